#include "priceeditor.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace flowbench::panels {

using metering::ModelPrice;
using metering::PriceTable;

namespace {

QString numberText(double v)
{
    return QString::number(v, 'g', 12);
}

QTableWidgetItem *item(const QString &text, bool number = false)
{
    auto *i = new QTableWidgetItem(text);
    if (number)
        i->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return i;
}

QString cellText(const QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *i = table->item(row, column);
    return i ? i->text().trimmed() : QString();
}

} // namespace

PriceEditor::PriceEditor(PriceTable table, QWidget *parent)
    : QDialog(parent)
    , m_savePath(PriceTable::userPath())
{
    setObjectName(QStringLiteral("dialog.prices"));
    setWindowTitle(tr("Model Prices"));
    resize(1090, 560);

    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(
        tr("Prices per million tokens. Cached and reasoning prices may stay empty (the input and "
           "output prices apply). A GPU price per hour replaces the token prices: cost = hourly "
           "price × request time ÷ concurrency. A model without a row is shown as unpriced."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_prices = new QTableWidget(0, ColumnCount, splitter);
    m_prices->setObjectName(QStringLiteral("prices.table"));
    m_prices->setHorizontalHeaderLabels({tr("Model"), tr("Provider"), tr("Input / 1M"),
                                         tr("Output / 1M"), tr("Cached / 1M"), tr("Reasoning / 1M"),
                                         tr("Currency"), tr("Effective from"), tr("GPU / hour"),
                                         tr("Concurrency")});
    m_prices->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_prices->horizontalHeader()->setStretchLastSection(true);
    m_prices->verticalHeader()->hide();
    m_prices->setAlternatingRowColors(true);
    m_prices->setSortingEnabled(false);
    m_prices->setColumnWidth(ModelColumn, 190);
    m_prices->setColumnWidth(ProviderColumn, 85);
    for (int c = InputColumn; c <= ReasoningColumn; ++c)
        m_prices->setColumnWidth(c, 98);
    m_prices->setColumnWidth(CurrencyColumn, 68);
    m_prices->setColumnWidth(EffectiveColumn, 102);
    m_prices->setColumnWidth(GpuHourlyColumn, 84);

    auto *ratesBox = new QWidget(splitter);
    auto *ratesLayout = new QVBoxLayout(ratesBox);
    ratesLayout->setContentsMargins(0, 0, 0, 0);
    ratesLayout->addWidget(new QLabel(tr("Currencies (value of one unit in USD):"), ratesBox));
    m_rates = new QTableWidget(0, 2, ratesBox);
    m_rates->setObjectName(QStringLiteral("prices.rates"));
    m_rates->setHorizontalHeaderLabels({tr("Currency"), tr("USD per unit")});
    m_rates->horizontalHeader()->setStretchLastSection(true);
    m_rates->verticalHeader()->hide();
    ratesLayout->addWidget(m_rates);
    splitter->addWidget(m_prices);
    splitter->addWidget(ratesBox);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({360, 140});
    layout->addWidget(splitter, 1);

    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add Model"), this);
    add->setObjectName(QStringLiteral("prices.add"));
    auto *remove = new QPushButton(tr("Remove"), this);
    remove->setObjectName(QStringLiteral("prices.remove"));
    auto *addRate = new QPushButton(tr("Add Currency"), this);
    addRate->setObjectName(QStringLiteral("prices.addCurrency"));
    auto *import = new QPushButton(tr("Import LiteLLM JSON…"), this);
    import->setObjectName(QStringLiteral("prices.import"));
    import->setToolTip(tr("Merge LiteLLM's model_prices_and_context_window.json (USD)"));
    auto *reset = new QPushButton(tr("Reset to Bundled"), this);
    reset->setObjectName(QStringLiteral("prices.reset"));
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addWidget(addRate);
    buttons->addStretch(1);
    buttons->addWidget(import);
    buttons->addWidget(reset);
    layout->addLayout(buttons);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("prices.status"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto *box = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    layout->addWidget(box);

    connect(add, &QPushButton::clicked, this, [this] {
        addPriceRow(ModelPrice::tokens(QString(), 0, 0));
        m_prices->setCurrentCell(m_prices->rowCount() - 1, ModelColumn);
        m_prices->editItem(m_prices->item(m_prices->rowCount() - 1, ModelColumn));
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        QList<int> rows;
        for (const QModelIndex &index : m_prices->selectionModel()->selectedRows())
            rows << index.row();
        if (rows.isEmpty() && m_prices->currentRow() >= 0)
            rows << m_prices->currentRow();
        std::sort(rows.begin(), rows.end(), std::greater<int>());
        for (int row : rows)
            m_prices->removeRow(row);
    });
    connect(addRate, &QPushButton::clicked, this, [this] {
        addRateRow(QString(), 1.0);
        m_rates->editItem(m_rates->item(m_rates->rowCount() - 1, 0));
    });
    connect(import, &QPushButton::clicked, this, [this] { (void)importLiteLlm(); });
    connect(reset, &QPushButton::clicked, this, &PriceEditor::resetToBundled);
    connect(box, &QDialogButtonBox::accepted, this, [this] {
        if (save())
            accept();
    });
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);

    setTable(table);
}

void PriceEditor::addPriceRow(const ModelPrice &p)
{
    const int row = m_prices->rowCount();
    m_prices->insertRow(row);
    const bool gpu = p.gpuHourly.has_value();
    m_prices->setItem(row, ModelColumn, item(p.model));
    m_prices->setItem(row, ProviderColumn, item(p.provider));
    m_prices->setItem(
        row, InputColumn,
        item(gpu ? QString() : numberText(PriceTable::perMillion(p.inputPerToken)), true));
    m_prices->setItem(
        row, OutputColumn,
        item(gpu ? QString() : numberText(PriceTable::perMillion(p.outputPerToken)), true));
    m_prices->setItem(
        row, CachedColumn,
        item(p.cachedPerToken ? numberText(PriceTable::perMillion(*p.cachedPerToken)) : QString(),
             true));
    m_prices->setItem(row, ReasoningColumn,
                      item(p.reasoningPerToken
                               ? numberText(PriceTable::perMillion(*p.reasoningPerToken))
                               : QString(),
                           true));
    m_prices->setItem(row, CurrencyColumn,
                      item(p.currency.isEmpty() ? QStringLiteral("USD") : p.currency));
    QString effective;
    if (p.effectiveFromMs > 0) {
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(p.effectiveFromMs, Qt::UTC);
        effective
            = at.time() == QTime(0, 0) ? at.date().toString(Qt::ISODate) : at.toString(Qt::ISODate);
    }
    m_prices->setItem(row, EffectiveColumn, item(effective));
    m_prices->setItem(row, GpuHourlyColumn, item(gpu ? numberText(*p.gpuHourly) : QString(), true));
    m_prices->setItem(row, ConcurrencyColumn,
                      item(gpu ? QString::number(std::max(1, p.concurrency)) : QString(), true));
}

void PriceEditor::addRateRow(const QString &currency, double rate)
{
    const int row = m_rates->rowCount();
    m_rates->insertRow(row);
    m_rates->setItem(row, 0, item(currency));
    m_rates->setItem(row, 1, item(numberText(rate), true));
}

void PriceEditor::setTable(const PriceTable &table)
{
    m_prices->setRowCount(0);
    m_rates->setRowCount(0);
    std::vector<ModelPrice> prices = table.prices();
    std::stable_sort(prices.begin(), prices.end(), [](const ModelPrice &a, const ModelPrice &b) {
        return a.model.compare(b.model, Qt::CaseInsensitive) < 0;
    });
    for (const ModelPrice &p : prices)
        addPriceRow(p);
    const QHash<QString, double> rates = table.rates();
    QStringList currencies = rates.keys();
    currencies.sort();
    currencies.removeAll(QStringLiteral("USD"));
    currencies.prepend(QStringLiteral("USD"));
    for (const QString &c : currencies)
        addRateRow(c, rates.value(c, 1.0));
    if (QTableWidgetItem *usd = m_rates->item(0, 0)) {
        usd->setFlags(usd->flags() & ~Qt::ItemIsEditable);
        m_rates->item(0, 1)->setFlags(m_rates->item(0, 1)->flags() & ~Qt::ItemIsEditable);
    }
    showStatus(tr("%n model price(s)", nullptr, static_cast<int>(prices.size())));
}

Result<PriceTable> PriceEditor::table() const
{
    PriceTable t;
    const auto fail = [](int row, const QString &column, const QString &text) {
        return makeError(QStringLiteral("prices.edit"),
                         tr("Row %1, %2: \"%3\" is not valid.").arg(row + 1).arg(column, text));
    };
    for (int r = 0; r < m_rates->rowCount(); ++r) {
        const QString currency = cellText(m_rates, r, 0).toUpper();
        if (currency.isEmpty())
            continue;
        bool ok = false;
        const double rate = cellText(m_rates, r, 1).toDouble(&ok);
        if (!ok || rate <= 0)
            return fail(r, tr("USD per unit"), cellText(m_rates, r, 1));
        t.setRate(currency, rate);
    }
    for (int r = 0; r < m_prices->rowCount(); ++r) {
        const QString model = cellText(m_prices, r, ModelColumn);
        if (model.isEmpty())
            continue; // an added row left empty
        const auto number = [&](int column, std::optional<double> &out) -> bool {
            const QString text = cellText(m_prices, r, column);
            out.reset();
            if (text.isEmpty())
                return true;
            bool ok = false;
            const double v = text.toDouble(&ok);
            if (!ok || v < 0)
                return false;
            out = v;
            return true;
        };
        const QString headers[ColumnCount]
            = {tr("Model"),       tr("Provider"),       tr("Input / 1M"), tr("Output / 1M"),
               tr("Cached / 1M"), tr("Reasoning / 1M"), tr("Currency"),   tr("Effective from"),
               tr("GPU / hour"),  tr("Concurrency")};
        std::optional<double> input, output, cached, reasoning, gpu, concurrency;
        for (auto [column, out] : {std::pair<int, std::optional<double> *>{InputColumn, &input},
                                   {OutputColumn, &output},
                                   {CachedColumn, &cached},
                                   {ReasoningColumn, &reasoning},
                                   {GpuHourlyColumn, &gpu},
                                   {ConcurrencyColumn, &concurrency}})
            if (!number(column, *out))
                return fail(r, headers[column], cellText(m_prices, r, column));
        ModelPrice p;
        p.model = model;
        p.provider = cellText(m_prices, r, ProviderColumn);
        p.currency = cellText(m_prices, r, CurrencyColumn).toUpper();
        if (p.currency.isEmpty())
            p.currency = QStringLiteral("USD");
        if (!t.rate(p.currency))
            return fail(r, headers[CurrencyColumn], p.currency + tr(" (no rate to USD)"));
        p.inputPerToken = PriceTable::perToken(input.value_or(0));
        p.outputPerToken = PriceTable::perToken(output.value_or(0));
        if (cached)
            p.cachedPerToken = PriceTable::perToken(*cached);
        if (reasoning)
            p.reasoningPerToken = PriceTable::perToken(*reasoning);
        if (gpu) {
            p.gpuHourly = *gpu;
            p.concurrency = std::max(1, static_cast<int>(concurrency.value_or(1)));
        }
        const QString effective = cellText(m_prices, r, EffectiveColumn);
        if (!effective.isEmpty()) {
            QDateTime at;
            const QDate date = QDate::fromString(effective, Qt::ISODate);
            if (date.isValid())
                at = date.startOfDay(Qt::UTC);
            else
                at = QDateTime::fromString(effective, Qt::ISODate);
            if (!at.isValid())
                return fail(r, headers[EffectiveColumn], effective);
            p.effectiveFromMs = at.toMSecsSinceEpoch();
        }
        t.addPrice(std::move(p));
    }
    return t;
}

Result<int> PriceEditor::importLiteLlm(const QString &givenPath)
{
    QString path = givenPath;
    if (path.isEmpty()) {
        const QString caption = tr("Import LiteLLM Prices");
        const QString filter = tr("LiteLLM price files (*.json)");
        path = m_openFile ? m_openFile(this, caption, filter)
                          : QFileDialog::getOpenFileName(this, caption, QString(), filter);
    }
    if (path.isEmpty())
        return 0;
    auto current = table();
    if (!current) {
        showStatus(current.error().message, true);
        return tl::unexpected(current.error());
    }
    auto imported = current->importLiteLlmFile(path);
    if (!imported) {
        showStatus(imported.error().message, true);
        return imported;
    }
    setTable(*current);
    showStatus(tr("Imported %n model price(s) from %1.", nullptr, *imported).arg(path));
    return imported;
}

void PriceEditor::resetToBundled()
{
    setTable(PriceTable::bundledDefault());
    showStatus(tr("The bundled prices are shown; Save keeps them."));
}

bool PriceEditor::save()
{
    auto t = table();
    if (!t) {
        showStatus(t.error().message, true);
        return false;
    }
    if (auto written = t->save(m_savePath); !written) {
        showStatus(written.error().message, true);
        return false;
    }
    showStatus(tr("Saved to %1.").arg(m_savePath));
    Q_EMIT saved(*t);
    return true;
}

void PriceEditor::showStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

} // namespace flowbench::panels

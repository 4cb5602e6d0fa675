#include "usagepanel.h"

#include "store/runstore.h"

#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QDateTimeAxis>
#include <QtCharts/QHorizontalBarSeries>
#include <QtCharts/QLineSeries>
#include <QtCharts/QStackedBarSeries>
#include <QtCharts/QValueAxis>

#include <QComboBox>
#include <QCoreApplication>
#include <QDateEdit>
#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace flowbench::panels {

using metering::UsageSeriesModel;

struct UsagePanel::Charts
{
    QChartView *views[TabCount] = {};
    QStandardItemModel *tables[TabCount] = {};

    QStackedBarSeries *nodeSeries = nullptr;
    QBarSet *input = nullptr;
    QBarSet *output = nullptr;
    QBarSet *reasoning = nullptr;
    QBarCategoryAxis *nodeAxis = nullptr;
    QValueAxis *nodeValues = nullptr;

    QHorizontalBarSeries *costSeries = nullptr;
    QBarSet *cost = nullptr;
    QBarCategoryAxis *costAxis = nullptr;
    QValueAxis *costValues = nullptr;
    QStringList costLabels;

    QLineSeries *timeline = nullptr;
    QDateTimeAxis *timeAxis = nullptr;
    QValueAxis *timeValues = nullptr;

    QBarSeries *latencySeries = nullptr;
    QBarSet *latency = nullptr;
    QBarCategoryAxis *latencyAxis = nullptr;
    QValueAxis *latencyValues = nullptr;

    QStackedBarSeries *periodSeries = nullptr;
    QBarSet *periodPrompt = nullptr;
    QBarSet *periodCompletion = nullptr;
    QBarCategoryAxis *periodAxis = nullptr;
    QValueAxis *periodValues = nullptr;
};

namespace {

QChart *newChart()
{
    auto *chart = new QChart;
    chart->setTheme(QChart::ChartThemeLight);
    chart->setAnimationOptions(QChart::NoAnimation); // live updates must not animate each event
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    return chart;
}

QValueAxis *countAxis(const QString &title)
{
    auto *axis = new QValueAxis;
    axis->setLabelFormat(QStringLiteral("%.0f"));
    axis->setTitleText(title);
    axis->setMin(0);
    axis->setMax(1);
    return axis;
}

// 0..max with round ticks; counts get integer ticks.
void fitAxis(QValueAxis *axis, double max, bool integers)
{
    if (max <= 0)
        max = integers ? 1 : 0.0001;
    axis->setRange(0, max * 1.08);
    axis->applyNiceNumbers();
    if (integers && axis->max() < 4)
        axis->setTickCount(static_cast<int>(axis->max()) + 1);
}

QStandardItem *numberItem(qint64 value)
{
    auto *item = new QStandardItem;
    item->setData(value, Qt::DisplayRole);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    item->setEditable(false);
    return item;
}

QStandardItem *textItem(const QString &text, bool right = false)
{
    auto *item = new QStandardItem(text);
    item->setEditable(false);
    if (right)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

void setRow(QStandardItemModel *model, int row, const QList<QStandardItem *> &items)
{
    if (row >= model->rowCount()) {
        model->appendRow(items);
        return;
    }
    for (int c = 0; c < items.size(); ++c)
        model->setItem(row, c, items[c]);
}

QString latencyLabel(size_t bucket)
{
    const auto &bounds = UsageSeriesModel::latencyBounds();
    if (bucket < bounds.size())
        return QCoreApplication::translate("flowbench::panels::UsagePanel", "≤%1 s")
            .arg(bounds[bucket]);
    return QCoreApplication::translate("flowbench::panels::UsagePanel", ">%1 s").arg(bounds.back());
}

} // namespace

UsagePanel::UsagePanel(UsageSeriesModel *series, store::RunStore *store, QWidget *parent)
    : QWidget(parent)
    , m_series(series)
    , m_store(store)
    , d(new Charts)
{
    setObjectName(QStringLiteral("panel.usage"));
    buildUi();
    if (m_series) {
        connect(m_series, &UsageSeriesModel::reset, this, &UsagePanel::rebuildAll);
        connect(m_series, &UsageSeriesModel::nodeTokensChanged, this, &UsagePanel::onNodeTokens);
        connect(m_series, &UsageSeriesModel::modelCostChanged, this, &UsagePanel::onModelCost);
        connect(m_series, &UsageSeriesModel::timelinePointChanged, this,
                &UsagePanel::onTimelinePoint);
        connect(m_series, &UsageSeriesModel::latencyBucketChanged, this,
                &UsagePanel::onLatencyBucket);
        connect(m_series, &UsageSeriesModel::periodTotalsChanged, this,
                &UsagePanel::onPeriodTotals);
    }
    rebuildAll();
    setPeriod(Last7Days);
}

UsagePanel::~UsagePanel()
{
    delete d;
}

void UsagePanel::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto *top = new QHBoxLayout;
    m_runLabel = new QLabel(this);
    m_runLabel->setObjectName(QStringLiteral("usage.run"));
    m_runLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addWidget(m_runLabel, 1);
    auto *follow = new QPushButton(tr("Follow Live Runs"), this);
    follow->setObjectName(QStringLiteral("usage.follow"));
    follow->setToolTip(tr("Show the next run's usage as it happens"));
    connect(follow, &QPushButton::clicked, this, &UsagePanel::followLiveRuns);
    top->addWidget(follow);
    auto *exportButton = new QPushButton(tr("Export CSV…"), this);
    exportButton->setObjectName(QStringLiteral("usage.export"));
    exportButton->setToolTip(tr("Save the numbers of the current tab as CSV"));
    connect(exportButton, &QPushButton::clicked, this, [this] { exportCsv(); });
    top->addWidget(exportButton);
    layout->addLayout(top);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("usage.tabs"));
    m_tabs->setDocumentMode(true);
    layout->addWidget(m_tabs, 1);

    for (int t = 0; t < TabCount; ++t) {
        d->views[t] = new QChartView(newChart());
        d->views[t]->setRenderHint(QPainter::Antialiasing);
        d->views[t]->setMinimumSize(320, 220);
        d->tables[t] = new QStandardItemModel(this);
    }

    // Tokens per node: stacked input / output / reasoning.
    {
        QChart *chart = d->views[NodeTokensTab]->chart();
        d->nodeSeries = new QStackedBarSeries;
        d->input = new QBarSet(tr("Input"));
        d->output = new QBarSet(tr("Output"));
        d->reasoning = new QBarSet(tr("Reasoning"));
        d->input->setColor(QColor(0x3b, 0x82, 0xc4));
        d->output->setColor(QColor(0x4c, 0xae, 0x6e));
        d->reasoning->setColor(QColor(0xe0, 0x9a, 0x2f));
        d->nodeSeries->append({d->input, d->output, d->reasoning});
        chart->addSeries(d->nodeSeries);
        d->nodeAxis = new QBarCategoryAxis;
        d->nodeAxis->setTruncateLabels(false);
        d->nodeAxis->setTitleText(tr("Node"));
        d->nodeValues = countAxis(tr("Tokens"));
        chart->addAxis(d->nodeAxis, Qt::AlignBottom);
        chart->addAxis(d->nodeValues, Qt::AlignLeft);
        d->nodeSeries->attachAxis(d->nodeAxis);
        d->nodeSeries->attachAxis(d->nodeValues);
        d->tables[NodeTokensTab]->setHorizontalHeaderLabels({tr("Node"), tr("Kind"), tr("Input"),
                                                             tr("Output"), tr("Reasoning"),
                                                             tr("Cached"), tr("Calls")});
    }
    // Cost by model: horizontal bars in USD, unpriced models labelled as such.
    {
        QChart *chart = d->views[ModelCostTab]->chart();
        d->costSeries = new QHorizontalBarSeries;
        d->cost = new QBarSet(tr("Cost (USD)"));
        d->cost->setColor(QColor(0x6a, 0x5a, 0xcd));
        d->costSeries->append(d->cost);
        chart->addSeries(d->costSeries);
        d->costAxis = new QBarCategoryAxis;
        d->costAxis->setTruncateLabels(false);
        d->costValues = new QValueAxis;
        d->costValues->setLabelFormat(QStringLiteral("$%.4f"));
        d->costValues->setTitleText(tr("USD"));
        chart->addAxis(d->costAxis, Qt::AlignLeft);
        chart->addAxis(d->costValues, Qt::AlignBottom);
        d->costSeries->attachAxis(d->costAxis);
        d->costSeries->attachAxis(d->costValues);
        d->tables[ModelCostTab]->setHorizontalHeaderLabels(
            {tr("Model"), tr("Cost (USD)"), tr("Tokens"), tr("Calls"), tr("Unpriced")});
    }
    // Tokens per minute.
    {
        QChart *chart = d->views[TimelineTab]->chart();
        d->timeline = new QLineSeries;
        d->timeline->setName(tr("Tokens per minute"));
        d->timeline->setPointsVisible(true);
        chart->addSeries(d->timeline);
        d->timeAxis = new QDateTimeAxis;
        d->timeAxis->setFormat(QStringLiteral("HH:mm"));
        d->timeAxis->setTitleText(tr("Time"));
        d->timeValues = countAxis(tr("Tokens"));
        chart->addAxis(d->timeAxis, Qt::AlignBottom);
        chart->addAxis(d->timeValues, Qt::AlignLeft);
        d->timeline->attachAxis(d->timeAxis);
        d->timeline->attachAxis(d->timeValues);
        d->tables[TimelineTab]->setHorizontalHeaderLabels({tr("Minute"), tr("Tokens")});
    }
    // Latency histogram.
    {
        QChart *chart = d->views[LatencyTab]->chart();
        d->latencySeries = new QBarSeries;
        d->latency = new QBarSet(tr("Calls"));
        d->latency->setColor(QColor(0x3b, 0x82, 0xc4));
        d->latencySeries->append(d->latency);
        chart->addSeries(d->latencySeries);
        d->latencyAxis = new QBarCategoryAxis;
        QStringList labels;
        QStringList axisLabels;
        const auto &bounds = UsageSeriesModel::latencyBounds();
        for (size_t b = 0; b <= bounds.size(); ++b) {
            labels << latencyLabel(b);
            axisLabels << (b < bounds.size() ? QString::number(bounds[b]) : QStringLiteral("+Inf"));
            d->latency->append(0);
        }
        d->latencyAxis->append(axisLabels);
        d->latencyAxis->setTitleText(tr("Latency, upper bound (s)"));
        d->latencyValues = countAxis(tr("Calls"));
        chart->addAxis(d->latencyAxis, Qt::AlignBottom);
        chart->addAxis(d->latencyValues, Qt::AlignLeft);
        d->latencySeries->attachAxis(d->latencyAxis);
        d->latencySeries->attachAxis(d->latencyValues);
        chart->legend()->hide();
        d->tables[LatencyTab]->setHorizontalHeaderLabels({tr("Latency"), tr("Calls")});
        for (size_t b = 0; b < static_cast<size_t>(labels.size()); ++b)
            d->tables[LatencyTab]->appendRow(
                {textItem(labels[static_cast<int>(b)]), numberItem(0)});
    }
    // Across runs.
    {
        QChart *chart = d->views[PeriodTab]->chart();
        d->periodSeries = new QStackedBarSeries;
        d->periodPrompt = new QBarSet(tr("Prompt"));
        d->periodCompletion = new QBarSet(tr("Completion"));
        d->periodPrompt->setColor(QColor(0x3b, 0x82, 0xc4));
        d->periodCompletion->setColor(QColor(0x4c, 0xae, 0x6e));
        d->periodSeries->append({d->periodPrompt, d->periodCompletion});
        chart->addSeries(d->periodSeries);
        d->periodAxis = new QBarCategoryAxis;
        d->periodAxis->setTruncateLabels(false);
        d->periodValues = countAxis(tr("Tokens"));
        chart->addAxis(d->periodAxis, Qt::AlignBottom);
        chart->addAxis(d->periodValues, Qt::AlignLeft);
        d->periodSeries->attachAxis(d->periodAxis);
        d->periodSeries->attachAxis(d->periodValues);
        d->tables[PeriodTab]->setHorizontalHeaderLabels({tr("Group"), tr("Calls"), tr("Prompt"),
                                                         tr("Completion"), tr("Cost (USD)"),
                                                         tr("Unpriced")});
    }

    const QString names[TabCount] = {tr("Tokens per Node"), tr("Cost by Model"),
                                     tr("Tokens per Minute"), tr("Latency"), tr("Across Runs")};
    const char *ids[TabCount] = {"nodeTokens", "modelCost", "timeline", "latency", "period"};
    for (int t = 0; t < TabCount; ++t) {
        d->views[t]->setObjectName(QStringLiteral("usage.%1.chart").arg(QLatin1String(ids[t])));
        QWidget *page = chartPage(static_cast<Tab>(t), d->views[t], d->tables[t]);
        page->setObjectName(QStringLiteral("usage.%1").arg(QLatin1String(ids[t])));
        if (t == PeriodTab) {
            auto *wrapper = new QWidget;
            auto *v = new QVBoxLayout(wrapper);
            v->setContentsMargins(0, 0, 0, 0);
            auto *controls = new QHBoxLayout;
            m_periodCombo = new QComboBox(wrapper);
            m_periodCombo->setObjectName(QStringLiteral("usage.period.preset"));
            m_periodCombo->addItems(
                {tr("Today"), tr("Last 7 days"), tr("Last 30 days"), tr("Custom range")});
            m_from = new QDateEdit(wrapper);
            m_to = new QDateEdit(wrapper);
            m_from->setObjectName(QStringLiteral("usage.period.from"));
            m_to->setObjectName(QStringLiteral("usage.period.to"));
            for (QDateEdit *e : {m_from, m_to}) {
                e->setCalendarPopup(true);
                e->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
            }
            m_groupCombo = new QComboBox(wrapper);
            m_groupCombo->setObjectName(QStringLiteral("usage.period.group"));
            m_groupCombo->addItem(tr("Model"), static_cast<int>(metering::UsageGroup::Model));
            m_groupCombo->addItem(tr("App"), static_cast<int>(metering::UsageGroup::App));
            m_groupCombo->addItem(tr("User"), static_cast<int>(metering::UsageGroup::User));
            m_groupCombo->addItem(tr("Day"), static_cast<int>(metering::UsageGroup::Time));
            auto *refresh = new QPushButton(tr("Refresh"), wrapper);
            refresh->setObjectName(QStringLiteral("usage.period.refresh"));
            controls->addWidget(new QLabel(tr("Period:"), wrapper));
            controls->addWidget(m_periodCombo);
            controls->addWidget(m_from);
            controls->addWidget(new QLabel(QStringLiteral("–"), wrapper));
            controls->addWidget(m_to);
            controls->addSpacing(12);
            controls->addWidget(new QLabel(tr("Group by:"), wrapper));
            controls->addWidget(m_groupCombo);
            controls->addStretch(1);
            controls->addWidget(refresh);
            v->addLayout(controls);
            v->addWidget(page, 1);
            m_periodTotals = new QLabel(wrapper);
            m_periodTotals->setObjectName(QStringLiteral("usage.period.totals"));
            v->addWidget(m_periodTotals);
            connect(m_periodCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
                if (!m_settingPeriod)
                    setPeriod(static_cast<Period>(index));
            });
            const auto dateEdited = [this] {
                if (!m_settingPeriod)
                    setDateRange(m_from->date(), m_to->date());
            };
            connect(m_from, &QDateEdit::dateChanged, this, dateEdited);
            connect(m_to, &QDateEdit::dateChanged, this, dateEdited);
            connect(m_groupCombo, &QComboBox::currentIndexChanged, this,
                    [this] { refreshPeriod(); });
            connect(refresh, &QPushButton::clicked, this, &UsagePanel::refreshPeriod);
            page = wrapper;
        }
        m_tabs->addTab(page, names[t]);
    }

    m_totals = new QLabel(this);
    m_totals->setObjectName(QStringLiteral("usage.totals"));
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_totals);
    // Across runs has its own totals line; the run's would read as a second, different total.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        m_totals->setVisible(index != PeriodTab);
        m_runLabel->setVisible(index != PeriodTab);
    });
}

QWidget *UsagePanel::chartPage(Tab tab, QChartView *view, QStandardItemModel *table)
{
    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(view);
    auto *tableView = new QTableView(splitter);
    static const char *const ids[TabCount]
        = {"nodeTokens", "modelCost", "timeline", "latency", "period"};
    tableView->setObjectName(QStringLiteral("usage.%1.table").arg(QLatin1String(ids[tab])));
    tableView->setModel(table);
    tableView->verticalHeader()->hide();
    tableView->setAlternatingRowColors(true);
    tableView->setSelectionBehavior(QAbstractItemView::SelectRows);
    tableView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    tableView->horizontalHeader()->setStretchLastSection(false);
    tableView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    tableView->setMinimumWidth(200);
    splitter->addWidget(tableView);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 0);
    splitter->setSizes({600, 420});
    return splitter;
}

void UsagePanel::setStore(store::RunStore *store)
{
    m_store = store;
    refreshPeriod();
}

void UsagePanel::showRun(const QString &runId)
{
    if (!m_series)
        return;
    std::vector<metering::UsageRecord> records;
    if (m_store) {
        metering::UsageFilter filter;
        filter.runId = runId;
        if (auto loaded = m_store->loadUsage(filter))
            records = std::move(*loaded);
    }
    m_series->load(runId, records);
}

void UsagePanel::followLiveRuns()
{
    if (m_series)
        m_series->setRun(QString());
}

void UsagePanel::setCurrentTab(Tab tab)
{
    m_tabs->setCurrentIndex(tab);
}

UsagePanel::Tab UsagePanel::currentTab() const
{
    return static_cast<Tab>(m_tabs->currentIndex());
}

QChartView *UsagePanel::chartView(Tab tab) const
{
    return tab >= 0 && tab < TabCount ? d->views[tab] : nullptr;
}

QAbstractItemModel *UsagePanel::tableModel(Tab tab) const
{
    return tab >= 0 && tab < TabCount ? d->tables[tab] : nullptr;
}

QString UsagePanel::totalsText() const
{
    return m_totals->text();
}

QString UsagePanel::periodTotalsText() const
{
    return m_periodTotals->text();
}

QString UsagePanel::formatUsd(double usd)
{
    const double a = std::abs(usd);
    const int decimals = a == 0 ? 2 : a < 0.01 ? 6 : a < 1 ? 4 : 2;
    return QStringLiteral("$") + QLocale().toString(usd, 'f', decimals);
}

// --- per-run series --------------------------------------------------------------------------

void UsagePanel::rebuildAll()
{
    // Only on reset (another run, a recorded run loaded): every series is refilled once.
    d->input->remove(0, d->input->count());
    d->output->remove(0, d->output->count());
    d->reasoning->remove(0, d->reasoning->count());
    d->nodeAxis->clear();
    d->tables[NodeTokensTab]->removeRows(0, d->tables[NodeTokensTab]->rowCount());
    d->cost->remove(0, d->cost->count());
    d->costAxis->clear();
    d->costLabels.clear();
    d->tables[ModelCostTab]->removeRows(0, d->tables[ModelCostTab]->rowCount());
    d->timeline->clear();
    d->tables[TimelineTab]->removeRows(0, d->tables[TimelineTab]->rowCount());

    if (m_series) {
        for (size_t i = 0; i < m_series->nodeTokens().size(); ++i)
            onNodeTokens(static_cast<int>(i), true);
        for (size_t i = 0; i < m_series->modelCosts().size(); ++i)
            onModelCost(static_cast<int>(i), true);
        QList<QPointF> points;
        for (const UsageSeriesModel::MinutePoint &p : m_series->timeline())
            points << QPointF(static_cast<double>(p.minuteMs), static_cast<double>(p.tokens));
        d->timeline->replace(points);
        for (size_t i = 0; i < m_series->timeline().size(); ++i)
            setRow(d->tables[TimelineTab], static_cast<int>(i),
                   {textItem(QDateTime::fromMSecsSinceEpoch(m_series->timeline()[i].minuteMs)
                                 .toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
                    numberItem(m_series->timeline()[i].tokens)});
        for (size_t b = 0; b < m_series->latencyCounts().size(); ++b)
            onLatencyBucket(static_cast<int>(b));
    }
    for (int t = 0; t < PeriodTab; ++t)
        updateAxes(static_cast<Tab>(t));
    updateTotals();
}

void UsagePanel::onNodeTokens(int row, bool)
{
    const auto &nodes = m_series->nodeTokens();
    if (row < 0 || static_cast<size_t>(row) >= nodes.size())
        return;
    const UsageSeriesModel::NodeTokens &n = nodes[static_cast<size_t>(row)];
    if (row >= d->input->count()) {
        d->input->append(static_cast<double>(n.input));
        d->output->append(static_cast<double>(n.output));
        d->reasoning->append(static_cast<double>(n.reasoning));
        d->nodeAxis->append(n.nodeId);
    } else {
        d->input->replace(row, static_cast<double>(n.input));
        d->output->replace(row, static_cast<double>(n.output));
        d->reasoning->replace(row, static_cast<double>(n.reasoning));
    }
    setRow(d->tables[NodeTokensTab], row,
           {textItem(n.nodeId), textItem(n.nodeKind), numberItem(n.input), numberItem(n.output),
            numberItem(n.reasoning), numberItem(n.cached), numberItem(n.calls)});
    updateAxes(NodeTokensTab);
    updateTotals();
}

QString UsagePanel::modelCostLabel(const UsageSeriesModel::ModelCost &m) const
{
    const QString model = m.model.isEmpty() ? tr("(unknown model)") : m.model;
    if (m.unpricedCalls >= m.calls)
        return tr("%1 — unpriced").arg(model);
    if (m.unpricedCalls > 0)
        return tr("%1 — %2 + %n unpriced", nullptr, m.unpricedCalls)
            .arg(model, formatUsd(m.costUsd));
    return tr("%1 — %2").arg(model, formatUsd(m.costUsd));
}

void UsagePanel::onModelCost(int row, bool)
{
    const auto &models = m_series->modelCosts();
    if (row < 0 || static_cast<size_t>(row) >= models.size())
        return;
    const UsageSeriesModel::ModelCost &m = models[static_cast<size_t>(row)];
    const QString label = modelCostLabel(m);
    if (row >= d->cost->count()) {
        d->cost->append(m.costUsd);
        d->costAxis->append(label);
        d->costLabels << label;
    } else {
        d->cost->replace(row, m.costUsd);
        if (d->costLabels[row] != label) {
            d->costAxis->replace(d->costLabels[row], label);
            d->costLabels[row] = label;
        }
    }
    const bool unpriced = m.unpricedCalls >= m.calls;
    QStandardItem *costItem = textItem(unpriced ? tr("unpriced") : formatUsd(m.costUsd), true);
    if (unpriced)
        costItem->setForeground(QColor(0xb0, 0x5a, 0x00));
    setRow(d->tables[ModelCostTab], row,
           {textItem(m.model), costItem, numberItem(m.tokens), numberItem(m.calls),
            numberItem(m.unpricedCalls)});
    updateAxes(ModelCostTab);
    updateTotals();
}

void UsagePanel::onTimelinePoint(int index, bool)
{
    const auto &timeline = m_series->timeline();
    if (index < 0 || static_cast<size_t>(index) >= timeline.size())
        return;
    const auto point = [&](int i) {
        const UsageSeriesModel::MinutePoint &p = timeline[static_cast<size_t>(i)];
        return QPointF(static_cast<double>(p.minuteMs), static_cast<double>(p.tokens));
    };
    // Points the chart has are replaced, new ones appended (gaps included): never a redraw.
    for (int i = d->timeline->count(); i <= index; ++i) {
        d->timeline->append(point(i));
        setRow(d->tables[TimelineTab], i,
               {textItem(QDateTime::fromMSecsSinceEpoch(timeline[static_cast<size_t>(i)].minuteMs)
                             .toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
                numberItem(timeline[static_cast<size_t>(i)].tokens)});
    }
    if (d->timeline->at(index) != point(index))
        d->timeline->replace(index, point(index));
    d->tables[TimelineTab]->setItem(index, 1,
                                    numberItem(timeline[static_cast<size_t>(index)].tokens));
    updateAxes(TimelineTab);
}

void UsagePanel::onLatencyBucket(int bucket)
{
    const auto &counts = m_series->latencyCounts();
    if (bucket < 0 || static_cast<size_t>(bucket) >= counts.size() || bucket >= d->latency->count())
        return;
    const int count = counts[static_cast<size_t>(bucket)];
    if (d->latency->at(bucket) != count)
        d->latency->replace(bucket, count);
    d->tables[LatencyTab]->setItem(bucket, 1, numberItem(count));
    updateAxes(LatencyTab);
}

void UsagePanel::updateAxes(Tab tab)
{
    switch (tab) {
    case NodeTokensTab: {
        double max = 0;
        for (int i = 0; i < d->input->count(); ++i)
            max = std::max(max, d->input->at(i) + d->output->at(i) + d->reasoning->at(i));
        fitAxis(d->nodeValues, max, true);
        break;
    }
    case ModelCostTab: {
        double max = 0;
        for (int i = 0; i < d->cost->count(); ++i)
            max = std::max(max, d->cost->at(i));
        fitAxis(d->costValues, max, false);
        const double top = d->costValues->max();
        d->costValues->setLabelFormat(top >= 10      ? QStringLiteral("$%.0f")
                                      : top >= 0.1   ? QStringLiteral("$%.2f")
                                      : top >= 0.001 ? QStringLiteral("$%.4f")
                                                     : QStringLiteral("$%.6f"));
        d->costValues->setTickCount(top >= 0.1 ? 5 : 3); // small amounts need many digits
        break;
    }
    case TimelineTab: {
        double max = 0;
        for (const QPointF &p : d->timeline->points())
            max = std::max(max, p.y());
        fitAxis(d->timeValues, max, true);
        const int n = d->timeline->count();
        const qint64 first
            = n ? static_cast<qint64>(d->timeline->at(0).x()) : QDateTime::currentMSecsSinceEpoch();
        const qint64 last = n ? static_cast<qint64>(d->timeline->at(n - 1).x()) : first;
        d->timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(first - 60000),
                              QDateTime::fromMSecsSinceEpoch(last + 60000));
        d->timeAxis->setTickCount(std::clamp(n + 2, 3, 7));
        break;
    }
    case LatencyTab: {
        double max = 0;
        for (int i = 0; i < d->latency->count(); ++i)
            max = std::max(max, d->latency->at(i));
        fitAxis(d->latencyValues, max, true);
        break;
    }
    case PeriodTab: {
        double max = 0;
        for (int i = 0; i < d->periodPrompt->count(); ++i)
            max = std::max(max, d->periodPrompt->at(i) + d->periodCompletion->at(i));
        fitAxis(d->periodValues, max, true);
        break;
    }
    case TabCount:
        break;
    }
}

void UsagePanel::updateTotals()
{
    if (!m_series)
        return;
    const QString run = m_series->runId();
    m_runLabel->setText(run.isEmpty() ? tr("Waiting for the next run…") : tr("Run %1").arg(run));
    qint64 input = 0;
    qint64 output = 0;
    qint64 reasoning = 0;
    int calls = 0;
    for (const UsageSeriesModel::NodeTokens &n : m_series->nodeTokens()) {
        input += n.input;
        output += n.output;
        reasoning += n.reasoning;
        calls += n.calls;
    }
    if (calls == 0) {
        m_totals->setText(tr("No LLM calls recorded for this run yet."));
        return;
    }
    const QLocale locale;
    const int unpriced = m_series->unpricedCalls();
    QString text = tr("%1 tokens (input %2, output %3, reasoning %4) in %n call(s)", nullptr, calls)
                       .arg(locale.toString(input + output + reasoning), locale.toString(input),
                            locale.toString(output), locale.toString(reasoning));
    if (unpriced >= calls)
        text += tr(" · cost: unpriced");
    else
        text += tr(" · cost: %1").arg(formatUsd(m_series->totalCostUsd()));
    if (unpriced > 0)
        text += tr(" · %n unpriced call(s)", nullptr, unpriced);
    m_totals->setText(text);
}

// --- across runs -----------------------------------------------------------------------------

void UsagePanel::setPeriod(Period period)
{
    const QDate today = QDate::currentDate();
    m_settingPeriod = true;
    m_periodCombo->setCurrentIndex(period);
    switch (period) {
    case Today:
        m_from->setDate(today);
        m_to->setDate(today);
        break;
    case Last7Days:
        m_from->setDate(today.addDays(-6));
        m_to->setDate(today);
        break;
    case Last30Days:
        m_from->setDate(today.addDays(-29));
        m_to->setDate(today);
        break;
    case CustomPeriod:
        break;
    }
    m_from->setEnabled(period == CustomPeriod);
    m_to->setEnabled(period == CustomPeriod);
    m_settingPeriod = false;
    refreshPeriod();
}

void UsagePanel::setDateRange(const QDate &from, const QDate &to)
{
    m_settingPeriod = true;
    m_periodCombo->setCurrentIndex(CustomPeriod);
    m_from->setDate(from);
    m_to->setDate(to);
    m_from->setEnabled(true);
    m_to->setEnabled(true);
    m_settingPeriod = false;
    refreshPeriod();
}

void UsagePanel::setPeriodGroup(metering::UsageGroup group)
{
    const int index = m_groupCombo->findData(static_cast<int>(group));
    if (index >= 0 && index != m_groupCombo->currentIndex())
        m_groupCombo->setCurrentIndex(index); // refreshes
    else
        refreshPeriod();
}

void UsagePanel::refreshPeriod()
{
    if (!m_series || !m_groupCombo || !m_from)
        return;
    const auto group = static_cast<metering::UsageGroup>(m_groupCombo->currentData().toInt());
    std::vector<metering::UsageTotals> totals;
    if (m_store) {
        metering::UsageFilter filter;
        const QDate from = std::min(m_from->date(), m_to->date());
        const QDate to = std::max(m_from->date(), m_to->date());
        filter.fromMs = from.startOfDay().toMSecsSinceEpoch();
        filter.toMs = to.addDays(1).startOfDay().toMSecsSinceEpoch();
        filter.bucketMs = 86400000;
        filter.utcOffsetMs = static_cast<qint64>(from.startOfDay().offsetFromUtc()) * 1000;
        if (auto result = m_store->aggregateUsage(group, filter))
            totals = std::move(*result);
        else
            m_periodTotals->setText(result.error().message);
    }
    m_series->setPeriodTotals(group, std::move(totals)); // → onPeriodTotals
}

QString UsagePanel::periodKeyText(const metering::UsageTotals &t) const
{
    if (m_series->periodGroup() == metering::UsageGroup::Time)
        return QDateTime::fromMSecsSinceEpoch(t.bucketMs).date().toString(Qt::ISODate);
    return t.key.isEmpty() ? tr("(none)") : t.key;
}

void UsagePanel::onPeriodTotals()
{
    // A new query answer: the bar sets are refilled in place (no series re-created).
    const auto &totals = m_series->periodTotals();
    d->periodPrompt->remove(0, d->periodPrompt->count());
    d->periodCompletion->remove(0, d->periodCompletion->count());
    d->periodAxis->clear();
    QStandardItemModel *table = d->tables[PeriodTab];
    table->removeRows(0, table->rowCount());
    QStringList categories;
    qint64 tokens = 0;
    qint64 calls = 0;
    qint64 unpriced = 0;
    double cost = 0;
    for (const metering::UsageTotals &t : totals) {
        const QString key = periodKeyText(t);
        categories << key;
        d->periodPrompt->append(static_cast<double>(t.promptTokens));
        d->periodCompletion->append(static_cast<double>(t.completionTokens));
        const bool allUnpriced = t.unpricedCalls >= t.calls && t.calls > 0;
        QString costText = allUnpriced ? tr("unpriced") : formatUsd(t.costUsd);
        if (!allUnpriced && t.unpricedCalls > 0)
            costText += tr(" + %n unpriced", nullptr, static_cast<int>(t.unpricedCalls));
        table->appendRow({textItem(key), numberItem(t.calls), numberItem(t.promptTokens),
                          numberItem(t.completionTokens), textItem(costText, true),
                          numberItem(t.unpricedCalls)});
        tokens += t.totalTokens();
        calls += t.calls;
        unpriced += t.unpricedCalls;
        cost += t.costUsd;
    }
    d->periodAxis->append(categories);
    updateAxes(PeriodTab);
    const QLocale locale;
    if (!m_store) {
        m_periodTotals->setText(tr("No run store: totals across runs are not available."));
        return;
    }
    if (calls == 0) {
        m_periodTotals->setText(tr("No LLM calls in this period."));
        return;
    }
    QString text = tr("%1 tokens in %n call(s)", nullptr, static_cast<int>(calls))
                       .arg(locale.toString(tokens));
    text += unpriced >= calls ? tr(" · cost: unpriced") : tr(" · cost: %1").arg(formatUsd(cost));
    if (unpriced > 0)
        text += tr(" · %n unpriced call(s)", nullptr, static_cast<int>(unpriced));
    m_periodTotals->setText(text);
}

// --- export --------------------------------------------------------------------------------

bool UsagePanel::exportCsv()
{
    if (!m_series)
        return false;
    static const UsageSeriesModel::Series series[TabCount]
        = {UsageSeriesModel::Series::NodeTokens, UsageSeriesModel::Series::ModelCost,
           UsageSeriesModel::Series::Timeline, UsageSeriesModel::Series::Latency,
           UsageSeriesModel::Series::Period};
    static const char *const names[TabCount]
        = {"node-tokens", "model-cost", "tokens-per-minute", "latency", "period-totals"};
    const Tab tab = currentTab();
    QString suggested = QStringLiteral("usage-%1").arg(QLatin1String(names[tab]));
    if (tab != PeriodTab && !m_series->runId().isEmpty())
        suggested += QLatin1Char('-') + m_series->runId().left(12);
    suggested += QStringLiteral(".csv");
    const QString caption = tr("Export Usage as CSV");
    const QString filter = tr("CSV files (*.csv)");
    const QString path = m_saveFile
                             ? m_saveFile(this, caption, suggested, filter)
                             : QFileDialog::getSaveFileName(this, caption, suggested, filter);
    if (path.isEmpty())
        return false;
    return exportCsv(series[tab], path);
}

bool UsagePanel::exportCsv(UsageSeriesModel::Series series, const QString &path)
{
    if (!m_series)
        return false;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
        return false;
    file.write(m_series->toCsv(series).toUtf8());
    if (!file.commit())
        return false;
    Q_EMIT csvExported(path);
    return true;
}

} // namespace flowbench::panels

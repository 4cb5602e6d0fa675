#include "eventspanel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QStyle>
#include <QTextCursor>
#include <QTextDocument>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace flowbench::panels {

using runtime::Json;
using runtime::RunEvent;

namespace {

QString pretty(const Json &value)
{
    return QString::fromStdString(value.dump(2, ' ', false, Json::error_handler_t::replace));
}

bool hasContent(const Json &value)
{
    return !value.is_null() && !(value.is_object() && value.empty());
}

} // namespace

EventsPanel::EventsPanel(runtime::Debugger *debugger, QWidget *parent)
    : QWidget(parent)
    , m_debugger(debugger)
    , m_model(new EventModel(this))
    , m_proxy(new EventFilterProxy(this))
{
    setObjectName(QStringLiteral("panel.events"));
    m_proxy->setSourceModel(m_model);

    // Filter bar.
    m_nodeCombo = new QComboBox(this);
    m_nodeCombo->setObjectName(QStringLiteral("events.nodeFilter"));
    m_nodeCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_nodeCombo->setMinimumContentsLength(12);
    m_nodeCombo->setToolTip(tr("Show the events of one node"));
    m_kindCombo = new QComboBox(this);
    m_kindCombo->setObjectName(QStringLiteral("events.kindFilter"));
    m_kindCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_kindCombo->setMinimumContentsLength(10);
    m_kindCombo->setToolTip(tr("Show the events of one node kind"));
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("events.search"));
    m_search->setPlaceholderText(tr("Filter events…"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(160);
    m_countLabel = new QLabel(this);
    m_countLabel->setObjectName(QStringLiteral("events.count"));
    m_countLabel->setEnabled(false); // drawn in the palette's muted text colour
    m_countLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    // Wide enough for large counts, so a new count never re-lays out the bar mid-run.
    m_countLabel->setMinimumWidth(m_countLabel->fontMetrics().horizontalAdvance(
        tr("%1 of %2 events").arg(999999).arg(999999)));
    m_followButton = new QToolButton(this);
    m_followButton->setObjectName(QStringLiteral("events.follow"));
    m_followButton->setText(tr("Follow"));
    m_followButton->setToolTip(tr("Keep the newest event in view"));
    m_followButton->setCheckable(true);
    m_followButton->setChecked(true);
    m_followButton->setIcon(style()->standardIcon(QStyle::SP_ArrowDown));
    m_followButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_followButton->setAutoRaise(true);
    auto *clearButton = new QToolButton(this);
    clearButton->setObjectName(QStringLiteral("events.clear"));
    clearButton->setText(tr("Clear"));
    clearButton->setToolTip(tr("Remove every event from the table"));
    clearButton->setIcon(style()->standardIcon(QStyle::SP_DialogResetButton));
    clearButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    clearButton->setAutoRaise(true);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 4, 4, 2);
    bar->setSpacing(6);
    bar->addWidget(m_nodeCombo);
    bar->addWidget(m_kindCombo);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_countLabel);
    bar->addWidget(m_followButton);
    bar->addWidget(clearButton);

    // Table.
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("events.table"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    // Fixed row heights and no content-based column sizing: the view never measures rows.
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    QHeaderView *header = m_table->horizontalHeader();
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setStretchLastSection(true);
    header->setSectionResizeMode(QHeaderView::Interactive);
    const QFontMetrics metrics = m_table->fontMetrics();
    const auto widthOf = [&metrics](const QString &sample, int extra) {
        return metrics.horizontalAdvance(sample) + extra;
    };
    const int em = metrics.horizontalAdvance(QLatin1Char('M'));
    m_table->setColumnWidth(EventModel::TimeColumn, widthOf(QStringLiteral("00:00:00.000"), 16));
    m_table->setColumnWidth(EventModel::NodeColumn, em * 8);
    m_table->setColumnWidth(EventModel::KindColumn, em * 6);
    m_table->setColumnWidth(EventModel::EventColumn, widthOf(QStringLiteral("node_succeeded"), 40));
    m_table->setColumnWidth(
        EventModel::DurationColumn,
        std::max(widthOf(tr("Duration"), 20), widthOf(QStringLiteral("00.00 s"), 16)));
    m_table->setColumnWidth(
        EventModel::TokensColumn,
        std::max(widthOf(tr("Tokens"), 20), widthOf(QStringLiteral("000000"), 16)));

    // Detail pane.
    auto *detailPane = new QWidget(this);
    detailPane->setObjectName(QStringLiteral("events.detailPane"));
    m_detailTitle = new QLabel(detailPane);
    m_detailTitle->setObjectName(QStringLiteral("events.detailTitle"));
    m_detailTitle->setTextFormat(Qt::PlainText);
    m_detailTitle->setWordWrap(true);
    QFont titleFont = m_detailTitle->font();
    titleFont.setBold(true);
    m_detailTitle->setFont(titleFont);
    m_detail = new QPlainTextEdit(detailPane);
    m_detail->setObjectName(QStringLiteral("events.detail"));
    m_detail->setReadOnly(true);
    m_detail->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_detail->setPlaceholderText(tr("Select an event to see its inputs, outputs and error."));
    auto *detailLayout = new QVBoxLayout(detailPane);
    detailLayout->setContentsMargins(4, 0, 0, 0);
    detailLayout->setSpacing(4);
    detailLayout->addWidget(m_detailTitle);
    detailLayout->addWidget(m_detail, 1);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("events.splitter"));
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(detailPane);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(m_splitter, 1);

    m_copyAction = new QAction(tr("Copy as JSON Lines"), this);
    m_copyAction->setObjectName(QStringLiteral("events.copyJsonLines"));
    m_copyAction->setShortcut(QKeySequence::Copy);
    m_copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_table->addAction(m_copyAction);
    connect(m_copyAction, &QAction::triggered, this, &EventsPanel::copySelection);

    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(this);
        m_copyAction->setEnabled(m_table->selectionModel()->hasSelection());
        menu.addAction(m_copyAction);
        menu.addSeparator();
        QAction *follow = menu.addAction(tr("Follow New Events"));
        follow->setCheckable(true);
        follow->setChecked(followMode());
        connect(follow, &QAction::toggled, this, &EventsPanel::setFollowMode);
        menu.exec(m_table->viewport()->mapToGlobal(pos));
        m_copyAction->setEnabled(true);
    });
    connect(m_table, &QAbstractItemView::clicked, this, [this](const QModelIndex &index) {
        const QString id = index.data(EventModel::NodeIdRole).toString();
        if (!id.isEmpty())
            Q_EMIT nodeActivated(id);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &EventsPanel::updateDetail);
    connect(m_model, &EventModel::rowsFlushed, this, &EventsPanel::onRowsFlushed);
    connect(m_model, &EventModel::filterValuesChanged, this, &EventsPanel::updateFilterCombos);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        updateDetail();
        updateCount();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &first, const QModelIndex &last) {
                const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
                if (current.isValid() && current.row() >= first.row()
                    && current.row() <= last.row())
                    updateDetail();
            });
    connect(m_nodeCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setNodeFilter(m_nodeCombo->currentData().toString());
        updateCount();
    });
    connect(m_kindCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setKindFilter(m_kindCombo->currentData().toString());
        updateCount();
    });
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setTextFilter(text);
        updateCount();
    });
    connect(m_followButton, &QToolButton::toggled, this, [this](bool on) {
        if (on)
            m_table->scrollToBottom();
    });
    connect(clearButton, &QToolButton::clicked, this, &EventsPanel::clear);
    // The view lays out new rows later than the insert: follow the range, not the insert.
    connect(m_table->verticalScrollBar(), &QScrollBar::rangeChanged, this, [this](int, int max) {
        if (followMode())
            m_table->verticalScrollBar()->setValue(max);
    });

    if (m_debugger) {
        connect(m_debugger, &runtime::Debugger::runEvent, this, &EventsPanel::onRunEvent);
        connect(m_debugger, &runtime::Debugger::runStarted, this, [this](const QString &runId) {
            if (runId != m_runId) {
                clear();
                m_runId = runId;
            }
        });
    }
    updateFilterCombos();
    updateCount();
    updateDetail();
}

bool EventsPanel::followMode() const
{
    return m_followButton->isChecked();
}

void EventsPanel::setFollowMode(bool follow)
{
    m_followButton->setChecked(follow);
}

void EventsPanel::setNodeFilter(const QString &nodeId)
{
    int index = m_nodeCombo->findData(nodeId);
    if (index < 0) {
        // Not seen yet: filter anyway, the combo shows the id.
        m_nodeCombo->addItem(nodeId, nodeId);
        index = m_nodeCombo->count() - 1;
    }
    m_nodeCombo->setCurrentIndex(index);
}

void EventsPanel::setKindFilter(const QString &kind)
{
    int index = m_kindCombo->findData(kind);
    if (index < 0) {
        m_kindCombo->addItem(kind, kind);
        index = m_kindCombo->count() - 1;
    }
    m_kindCombo->setCurrentIndex(index);
}

void EventsPanel::setTextFilter(const QString &text)
{
    m_search->setText(text);
}

void EventsPanel::clear()
{
    m_model->clear();
    m_detail->clear();
}

void EventsPanel::onRunEvent(const RunEvent &event)
{
    if (!event.runId.isEmpty() && event.runId != m_runId) {
        clear();
        m_runId = event.runId;
    }
    m_model->append(event);
}

void EventsPanel::onRowsFlushed()
{
    updateCount();
    if (followMode())
        m_table->scrollToBottom();
}

void EventsPanel::updateFilterCombos()
{
    const auto rebuild = [](QComboBox *combo, const QString &allText,
                            const QList<QPair<QString, QString>> &items) {
        const QString current = combo->currentData().toString();
        const QSignalBlocker blocker(combo);
        combo->clear();
        combo->addItem(allText, QString());
        for (const auto &item : items)
            combo->addItem(item.first, item.second);
        int index = combo->findData(current);
        if (index < 0 && !current.isEmpty()) {
            combo->addItem(current, current); // keep a filter whose rows are gone
            index = combo->count() - 1;
        }
        combo->setCurrentIndex(std::max(index, 0));
    };
    QList<QPair<QString, QString>> nodes;
    const QHash<QString, QString> &titles = m_model->nodeTitles();
    for (auto it = titles.cbegin(); it != titles.cend(); ++it)
        nodes.append({it.value().isEmpty() ? it.key() : it.value(), it.key()});
    std::sort(nodes.begin(), nodes.end(), [](const auto &a, const auto &b) {
        return QString::localeAwareCompare(a.first, b.first) < 0;
    });
    rebuild(m_nodeCombo, tr("All nodes"), nodes);
    QList<QPair<QString, QString>> kinds;
    for (const QString &kind : m_model->kinds())
        kinds.append({kind, kind});
    rebuild(m_kindCombo, tr("All kinds"), kinds);
}

void EventsPanel::updateCount()
{
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    if (shown == total)
        m_countLabel->setText(tr("%1 events").arg(total));
    else
        m_countLabel->setText(tr("%1 of %2 events").arg(shown).arg(total));
}

void EventsPanel::updateDetail()
{
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    if (!current.isValid()) {
        m_detailTitle->setText(tr("No event selected"));
        m_detail->clear();
        return;
    }
    const EventRow &row = m_model->row(current.row());
    const RunEvent &e = row.event;
    QStringList title{EventModel::eventLabel(row)};
    if (!e.nodeId.isEmpty())
        title << (e.nodeTitle.isEmpty() ? e.nodeId
                                        : QStringLiteral("%1 (%2)").arg(e.nodeTitle, e.nodeId));
    if (e.elapsedMs > 0)
        title << EventModel::formatDuration(e.elapsedMs);
    m_detailTitle->setText(title.join(QStringLiteral(" · ")));

    QList<QPair<QString, QString>> sections;
    const auto section = [&sections](const QString &heading, const QString &body) {
        sections.append({heading, body});
    };
    if (!e.error.isEmpty())
        section(tr("Error"), e.errorType.isEmpty()
                                 ? e.error
                                 : QStringLiteral("%1: %2").arg(e.errorType, e.error));
    if (row.chunkCount > 0) {
        section(tr("Streamed text (%1 chunks from %2)")
                    .arg(row.chunkCount)
                    .arg(e.selector.join(QLatin1Char('.'))),
                e.chunk);
    }
    if (hasContent(e.inputs))
        section(tr("Inputs"), pretty(e.inputs));
    if (hasContent(e.processData))
        section(tr("Process data"), pretty(e.processData));
    if (hasContent(e.outputs))
        section(tr("Outputs"), pretty(e.outputs));
    if (hasContent(e.usage))
        section(tr("Usage"), pretty(e.usage));
    if (hasContent(e.metadata))
        section(tr("Metadata"), pretty(e.metadata));
    if (sections.isEmpty())
        section(tr("Event"), pretty(m_model->rowJson(current.row())));

    // Headings in bold (and red for the error), bodies as plain monospaced JSON.
    const int scroll = m_detail->verticalScrollBar()->value();
    m_detail->clear();
    QTextCursor cursor(m_detail->document());
    QTextCharFormat headingFormat;
    headingFormat.setFontWeight(QFont::Bold);
    headingFormat.setFontFamilies(QStringList{font().family()});
    QTextCharFormat bodyFormat;
    bool first = true;
    for (const auto &item : std::as_const(sections)) {
        if (!first)
            cursor.insertText(QStringLiteral("\n\n"), bodyFormat);
        first = false;
        QTextCharFormat heading = headingFormat;
        if (item.first == tr("Error"))
            heading.setForeground(QColor(0xd3, 0x2f, 0x2f));
        cursor.insertText(item.first, heading);
        cursor.insertText(QStringLiteral("\n"), bodyFormat);
        cursor.insertText(item.second, bodyFormat);
    }
    m_detail->verticalScrollBar()->setValue(scroll);
}

QString EventsPanel::selectedRowsAsJsonLines() const
{
    QList<int> rows;
    const QModelIndexList selected = m_table->selectionModel()->selectedRows();
    rows.reserve(selected.size());
    for (const QModelIndex &index : selected)
        rows.append(m_proxy->mapToSource(index).row());
    std::sort(rows.begin(), rows.end());
    QString text;
    for (const int row : std::as_const(rows)) {
        text += QString::fromStdString(
            m_model->rowJson(row).dump(-1, ' ', false, Json::error_handler_t::replace));
        text += QLatin1Char('\n');
    }
    return text;
}

void EventsPanel::copySelection()
{
    const QString text = selectedRowsAsJsonLines();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

} // namespace flowbench::panels

#include "runhistorypanel.h"

#include <QAction>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QPainterPath>
#include <QSaveFile>
#include <QStackedWidget>
#include <QStyle>
#include <QToolBar>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

#include "runcomparedialog.h"

namespace flowbench::panels {

using Json = nlohmann::json;
using runtime::RunEvent;

namespace {

constexpr int kRunIdRole = Qt::UserRole + 1;

QString qs(const Json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                                 : QString();
}

qint64 num(const Json &object, const char *key, qint64 fallback = 0)
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    return it != object.end() && it->is_number() ? it->get<qint64>() : fallback;
}

Json member(const Json &object, const char *key)
{
    if (!object.is_object())
        return Json();
    const auto it = object.find(key);
    return it != object.end() ? *it : Json();
}

std::string ss(const QString &s)
{
    return s.toStdString();
}

// A round badge per run status, drawn so it looks the same on every platform.
QIcon statusIcon(const QString &status)
{
    static QHash<QString, QIcon> cache;
    const auto it = cache.constFind(status);
    if (it != cache.cend())
        return *it;
    QColor colour(0x8a, 0x8f, 0x98); // stopped, unknown
    enum class Glyph { Check, Cross, Bang, Square, Dot } glyph = Glyph::Square;
    if (status == QLatin1String("succeeded")) {
        colour = QColor(0x2e, 0xa0, 0x43);
        glyph = Glyph::Check;
    } else if (status == QLatin1String("failed")) {
        colour = QColor(0xd9, 0x3f, 0x3f);
        glyph = Glyph::Cross;
    } else if (status == QLatin1String("partial-succeeded")) {
        colour = QColor(0xe0, 0x8e, 0x0b);
        glyph = Glyph::Bang;
    } else if (status == QLatin1String("running")) {
        colour = QColor(0x2f, 0x7d, 0xe1);
        glyph = Glyph::Dot;
    }
    QIcon icon;
    for (const int size : {16, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        const qreal s = size / 16.0;
        p.setPen(Qt::NoPen);
        p.setBrush(colour);
        p.drawEllipse(QRectF(1 * s, 1 * s, 14 * s, 14 * s));
        QPen pen(Qt::white, 1.8 * s, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        switch (glyph) {
        case Glyph::Check: {
            QPainterPath path;
            path.moveTo(4.5 * s, 8.2 * s);
            path.lineTo(7 * s, 10.6 * s);
            path.lineTo(11.5 * s, 5.6 * s);
            p.drawPath(path);
            break;
        }
        case Glyph::Cross:
            p.drawLine(QPointF(5.3 * s, 5.3 * s), QPointF(10.7 * s, 10.7 * s));
            p.drawLine(QPointF(10.7 * s, 5.3 * s), QPointF(5.3 * s, 10.7 * s));
            break;
        case Glyph::Bang:
            p.drawLine(QPointF(8 * s, 4.5 * s), QPointF(8 * s, 8.8 * s));
            p.drawPoint(QPointF(8 * s, 11.3 * s));
            break;
        case Glyph::Square:
            p.setPen(Qt::NoPen);
            p.setBrush(Qt::white);
            p.drawRect(QRectF(5.5 * s, 5.5 * s, 5 * s, 5 * s));
            break;
        case Glyph::Dot:
            p.setPen(Qt::NoPen);
            p.setBrush(Qt::white);
            p.drawEllipse(QRectF(5.5 * s, 5.5 * s, 5 * s, 5 * s));
            break;
        }
        p.end();
        icon.addPixmap(pixmap);
    }
    cache.insert(status, icon);
    return icon;
}

QString statusText(const QString &status)
{
    if (status == QLatin1String("succeeded"))
        return QCoreApplication::translate("flowbench::panels::RunHistoryPanel", "Succeeded");
    if (status == QLatin1String("failed"))
        return QCoreApplication::translate("flowbench::panels::RunHistoryPanel", "Failed");
    if (status == QLatin1String("partial-succeeded"))
        return QCoreApplication::translate("flowbench::panels::RunHistoryPanel", "Partial");
    if (status == QLatin1String("stopped"))
        return QCoreApplication::translate("flowbench::panels::RunHistoryPanel", "Stopped");
    if (status == QLatin1String("running"))
        return QCoreApplication::translate("flowbench::panels::RunHistoryPanel", "Running");
    return status;
}

QString startedText(qint64 ms)
{
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(ms);
    const QLocale locale;
    if (when.date() == QDate::currentDate())
        return locale.toString(when.time(), QStringLiteral("HH:mm:ss"));
    return locale.toString(when, QStringLiteral("yyyy-MM-dd HH:mm"));
}

// A value shortened for trace args: long strings cut, big structures dumped and cut.
Json summarize(const Json &value, int depth = 0)
{
    constexpr std::size_t kMaxText = 200;
    constexpr std::size_t kMaxKeys = 24;
    if (value.is_string()) {
        const std::string &text = value.get_ref<const std::string &>();
        if (text.size() <= kMaxText)
            return value;
        // Cut on a UTF-8 boundary.
        std::size_t cut = kMaxText;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
            --cut;
        return text.substr(0, cut) + "…";
    }
    if (value.is_object() && depth == 0) {
        Json out = Json::object();
        std::size_t n = 0;
        for (auto it = value.begin(); it != value.end(); ++it) {
            if (++n > kMaxKeys) {
                out["…"] = std::to_string(value.size() - kMaxKeys) + " more";
                break;
            }
            out[it.key()] = summarize(it.value(), depth + 1);
        }
        return out;
    }
    if (value.is_structured()) {
        const std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
        if (text.size() <= kMaxText)
            return value;
        return summarize(Json(text), depth + 1);
    }
    return value;
}

Json nodeToJson(const store::RecordedNodeExecution &n)
{
    Json j = Json::object();
    j["execution_id"] = ss(n.executionId);
    j["node_id"] = ss(n.nodeId);
    j["node_type"] = ss(n.nodeKind);
    j["title"] = ss(n.title);
    j["status"] = ss(n.status);
    j["inputs"] = n.inputs;
    j["process_data"] = n.processData;
    j["outputs"] = n.outputs;
    j["usage"] = n.usage;
    j["metadata"] = n.metadata;
    j["error"] = ss(n.error);
    j["error_type"] = ss(n.errorType);
    j["started_ms"] = n.startedMs;
    j["elapsed_ms"] = n.elapsedMs;
    j["retries"] = n.retries;
    if (!n.iterationId.isEmpty())
        j["iteration_id"] = ss(n.iterationId);
    if (!n.loopId.isEmpty())
        j["loop_id"] = ss(n.loopId);
    if (n.index >= 0)
        j["index"] = n.index;
    return j;
}

Result<void> writeFile(const QString &path, const QByteArray &data)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit())
        return makeError(
            QStringLiteral("history.write"),
            QCoreApplication::translate("flowbench::panels::RunHistoryPanel", "cannot write %1: %2")
                .arg(QDir::toNativeSeparators(path), file.errorString()));
    return {};
}

} // namespace

std::optional<RunEvent> runEventFromJson(const Json &json)
{
    if (!json.is_object())
        return std::nullopt;
    const QString name = qs(json, "event");
    RunEvent e;
    bool known = false;
    for (int t = int(RunEvent::Type::RunStarted); t <= int(RunEvent::Type::VariableEdited); ++t) {
        if (RunEvent::typeName(RunEvent::Type(t)) == name) {
            e.type = RunEvent::Type(t);
            known = true;
            break;
        }
    }
    if (!known)
        return std::nullopt;
    e.runId = qs(json, "run_id");
    e.timestampMs = num(json, "timestamp");
    e.nodeId = qs(json, "node_id");
    e.nodeKind = qs(json, "node_type");
    e.nodeTitle = qs(json, "title");
    e.executionId = qs(json, "execution_id");
    e.inIterationId = qs(json, "iteration_id");
    e.inLoopId = qs(json, "loop_id");
    e.status = qs(json, "status");
    e.index = int(num(json, "index", -1));
    const auto selector = [&json](const char *key) {
        QStringList out;
        const Json sel = member(json, key);
        if (sel.is_array()) {
            for (const Json &part : sel)
                out << (part.is_string() ? QString::fromStdString(part.get<std::string>())
                                         : QString::fromStdString(part.dump()));
        }
        return out;
    };
    if (e.type == RunEvent::Type::NodeStreamChunk) {
        e.selector = selector("from_variable_selector");
        e.chunk = qs(json, "text");
        const Json final = member(json, "is_final");
        e.isFinal = final.is_boolean() && final.get<bool>();
    } else if (e.type == RunEvent::Type::VariableEdited) {
        e.selector = selector("selector");
    } else if (e.type == RunEvent::Type::NodeRetry) {
        e.retryIndex = int(num(json, "retry_index"));
    }
    e.inputs = member(json, "inputs");
    e.processData = member(json, "process_data");
    e.outputs = member(json, "outputs");
    e.metadata = member(json, "metadata");
    e.usage = member(json, "usage");
    e.error = qs(json, "error");
    e.errorType = qs(json, "error_type");
    e.elapsedMs = num(json, "elapsed_ms");
    e.exceptionsCount = int(num(json, "exceptions_count"));
    return e;
}

QList<RunEvent> recordedRunEvents(const store::RecordedRun &run)
{
    QList<RunEvent> events;
    if (!run.events.is_array())
        return events;
    events.reserve(qsizetype(run.events.size()));
    for (const Json &j : run.events) {
        if (auto e = runEventFromJson(j))
            events.append(std::move(*e));
    }
    return events;
}

Json runToJson(const store::RecordedRun &run)
{
    Json header = Json::object();
    header["id"] = ss(run.runId);
    header["workflow_name"] = ss(run.workflowName);
    header["status"] = ss(run.status);
    header["error"] = ss(run.error);
    header["inputs"] = run.inputs;
    header["query"] = ss(run.query);
    header["files"] = run.files;
    header["conversation_id"] = ss(run.conversationId);
    header["dialogue_count"] = run.dialogueCount;
    header["conversation_variables"] = run.conversationVariables;
    header["outputs"] = run.outputs;
    header["final_pool"] = run.finalPool;
    header["exceptions_count"] = run.exceptionsCount;
    header["started_ms"] = run.startedMs;
    header["elapsed_ms"] = run.elapsedMs;
    header["total_tokens"] = run.totalTokens;
    Json nodes = Json::array();
    for (const store::RecordedNodeExecution &n : run.nodes)
        nodes.push_back(nodeToJson(n));
    Json out = Json::object();
    out["format"] = "flowbench-run";
    out["version"] = 1;
    out["run"] = std::move(header);
    out["node_executions"] = std::move(nodes);
    out["events"] = run.events.is_array() ? run.events : Json::array();
    out["workflow"] = run.workflow;
    return out;
}

Json chromeTrace(const store::RecordedRun &run)
{
    qint64 origin = run.startedMs;
    for (const store::RecordedNodeExecution &n : run.nodes) {
        if (n.startedMs > 0 && (origin <= 0 || n.startedMs < origin))
            origin = n.startedMs;
    }
    // Executions in start order, each on the first lane free at its start.
    std::vector<std::size_t> order(run.nodes.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&run](std::size_t a, std::size_t b) {
        return run.nodes[a].startedMs < run.nodes[b].startedMs;
    });
    std::vector<qint64> laneEnds; // µs
    Json events = Json::array();
    Json process = {{"name", "process_name"},
                    {"ph", "M"},
                    {"pid", 1},
                    {"tid", 0},
                    {"args",
                     {{"name", ss(QStringLiteral("Flowbench run %1 (%2)")
                                      .arg(shortRunId(run.runId), run.workflowName))}}}};
    events.push_back(std::move(process));
    for (const std::size_t i : order) {
        const store::RecordedNodeExecution &n = run.nodes[i];
        const qint64 ts = qMax<qint64>(0, n.startedMs - origin) * 1000;
        const qint64 dur = qMax<qint64>(0, n.elapsedMs) * 1000;
        std::size_t lane = 0;
        while (lane < laneEnds.size() && laneEnds[lane] > ts)
            ++lane;
        if (lane == laneEnds.size())
            laneEnds.push_back(0);
        laneEnds[lane] = ts + dur;
        Json args = Json::object();
        args["node_id"] = ss(n.nodeId);
        args["execution_id"] = ss(n.executionId);
        args["kind"] = ss(n.nodeKind);
        args["status"] = ss(n.status);
        const Json tokens = member(n.usage, "total_tokens");
        if (tokens.is_number())
            args["tokens"] = tokens;
        if (n.retries > 0)
            args["retries"] = n.retries;
        if (n.index >= 0)
            args["index"] = n.index;
        if (!n.error.isEmpty())
            args["error"] = ss(n.error);
        args["inputs"] = summarize(n.inputs);
        args["outputs"] = summarize(n.outputs);
        Json e = Json::object();
        e["name"] = ss(n.title.isEmpty() ? n.nodeId : n.title);
        e["cat"] = ss(n.nodeKind.isEmpty() ? QStringLiteral("node") : n.nodeKind);
        e["ph"] = "X";
        e["ts"] = ts;
        e["dur"] = dur;
        e["pid"] = 1;
        e["tid"] = int(lane) + 1;
        e["args"] = std::move(args);
        events.push_back(std::move(e));
    }
    for (std::size_t lane = 0; lane < laneEnds.size(); ++lane) {
        events.push_back({{"name", "thread_name"},
                          {"ph", "M"},
                          {"pid", 1},
                          {"tid", int(lane) + 1},
                          {"args", {{"name", "lane " + std::to_string(lane + 1)}}}});
    }
    Json out = Json::object();
    out["traceEvents"] = std::move(events);
    out["displayTimeUnit"] = "ms";
    out["otherData"] = {{"run_id", ss(run.runId)},
                        {"workflow", ss(run.workflowName)},
                        {"status", ss(run.status)},
                        {"started_ms", run.startedMs},
                        {"total_tokens", run.totalTokens}};
    return out;
}

RunHistoryPanel::RunHistoryPanel(store::RunStore *store, QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("panel.runHistory"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    auto *toolbar = new QToolBar(this);
    toolbar->setObjectName(QStringLiteral("runHistory.toolbar"));
    toolbar->setIconSize(QSize(16, 16));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    layout->addWidget(toolbar);

    const auto makeAction
        = [this](const QString &name, const QString &text, QStyle::StandardPixmap icon) {
              auto *action = new QAction(style()->standardIcon(icon), text, this);
              action->setObjectName(name);
              return action;
          };
    m_openAction
        = makeAction(QStringLiteral("runHistory.open"), tr("Open"), QStyle::SP_DialogOpenButton);
    m_openAction->setToolTip(tr("Show this run on the canvas and in the panels"));
    m_compareAction = makeAction(QStringLiteral("runHistory.compare"), tr("Compare"),
                                 QStyle::SP_FileDialogContentsView);
    m_compareAction->setToolTip(tr("Compare two selected runs node by node"));
    m_replayAction
        = makeAction(QStringLiteral("runHistory.replay"), tr("Replay"), QStyle::SP_MediaPlay);
    m_replayAction->setToolTip(
        tr("Run again offline: model, HTTP and tool nodes answer with their recorded outputs"));
    m_deleteAction
        = makeAction(QStringLiteral("runHistory.delete"), tr("Delete"), QStyle::SP_TrashIcon);
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_deleteAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_exportJsonAction = makeAction(QStringLiteral("runHistory.exportJson"), tr("Export as JSON…"),
                                    QStyle::SP_DialogSaveButton);
    m_exportTraceAction = makeAction(QStringLiteral("runHistory.exportTrace"),
                                     tr("Export as Chrome Trace…"), QStyle::SP_DialogSaveButton);
    m_exportTraceAction->setToolTip(tr("Trace Event Format, for chrome://tracing or Perfetto"));
    m_refreshAction
        = makeAction(QStringLiteral("runHistory.refresh"), tr("Refresh"), QStyle::SP_BrowserReload);
    addAction(m_deleteAction);

    toolbar->addAction(m_openAction);
    toolbar->addAction(m_compareAction);
    toolbar->addAction(m_replayAction);
    auto *exportButton = new QToolButton(toolbar);
    exportButton->setObjectName(QStringLiteral("runHistory.export"));
    exportButton->setText(tr("Export"));
    exportButton->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
    exportButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *exportMenu = new QMenu(exportButton);
    exportMenu->addAction(m_exportJsonAction);
    exportMenu->addAction(m_exportTraceAction);
    exportButton->setMenu(exportMenu);
    toolbar->addWidget(exportButton);
    toolbar->addAction(m_deleteAction);
    auto *spacer = new QWidget(toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    toolbar->addAction(m_refreshAction);

    auto *stack = new QStackedWidget(this);
    layout->addWidget(stack, 1);
    m_tree = new QTreeWidget(stack);
    m_tree->setObjectName(QStringLiteral("runHistory.table"));
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels(
        {tr("Status"), tr("Started"), tr("Duration"), tr("Tokens"), tr("Cost"), tr("Run")});
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->setFrameShape(QFrame::NoFrame);
    QHeaderView *header = m_tree->header();
    header->setStretchLastSection(true);
    m_tree->setColumnWidth(StatusColumn, 130);
    m_tree->setColumnWidth(StartedColumn, 150);
    m_tree->setColumnWidth(DurationColumn, 90);
    m_tree->setColumnWidth(TokensColumn, 80);
    m_tree->setColumnWidth(CostColumn, 70);
    m_tree->headerItem()->setTextAlignment(DurationColumn, Qt::AlignRight | Qt::AlignVCenter);
    m_tree->headerItem()->setTextAlignment(TokensColumn, Qt::AlignRight | Qt::AlignVCenter);
    m_tree->headerItem()->setTextAlignment(CostColumn, Qt::AlignRight | Qt::AlignVCenter);
    stack->addWidget(m_tree);

    auto *empty
        = new QLabel(tr("No runs of this workflow yet.\nPress Run (F5) to record one."), stack);
    empty->setObjectName(QStringLiteral("runHistory.empty"));
    empty->setAlignment(Qt::AlignCenter);
    empty->setEnabled(false);
    stack->addWidget(empty);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("runHistory.message"));
    m_message->setWordWrap(true);
    m_message->setContentsMargins(6, 3, 6, 3);
    m_message->hide();
    layout->addWidget(m_message);

    connect(this, &RunHistoryPanel::runsChanged, stack,
            [stack](int count) { stack->setCurrentIndex(count > 0 ? 0 : 1); });
    connect(m_tree, &QTreeWidget::itemSelectionChanged, this, &RunHistoryPanel::updateActions);
    connect(m_tree, &QTreeWidget::itemActivated, this,
            [this](QTreeWidgetItem *item) { openRun(item->data(0, kRunIdRole).toString()); });
    connect(m_tree, &QTreeWidget::customContextMenuRequested, this,
            &RunHistoryPanel::showContextMenu);
    connect(m_openAction, &QAction::triggered, this, [this] {
        const QStringList ids = selectedRunIds();
        if (!ids.isEmpty())
            openRun(ids.first());
    });
    connect(m_compareAction, &QAction::triggered, this, [this] {
        const QStringList ids = selectedRunIds();
        if (ids.size() == 2)
            compareRuns(ids.at(1), ids.at(0)); // older first
    });
    connect(m_replayAction, &QAction::triggered, this, [this] {
        const QStringList ids = selectedRunIds();
        if (!ids.isEmpty())
            replayRun(ids.first());
    });
    connect(m_deleteAction, &QAction::triggered, this, [this] {
        const QStringList ids = selectedRunIds();
        if (ids.size() == 1) {
            deleteRun(ids.first());
        } else if (ids.size() > 1) {
            if (m_confirm
                && !m_confirm(this, tr("Delete %n run(s) with their events? This cannot be "
                                       "undone.",
                                       nullptr, int(ids.size()))))
                return;
            for (const QString &id : ids)
                removeRun(id);
            refresh();
        }
    });
    connect(m_exportJsonAction, &QAction::triggered, this, [this] { exportSelected(false); });
    connect(m_exportTraceAction, &QAction::triggered, this, [this] { exportSelected(true); });
    connect(m_refreshAction, &QAction::triggered, this, &RunHistoryPanel::refresh);

    setConfirmFunction(nullptr);
    setSaveFileFunction(nullptr);

    setStore(store);
}

void RunHistoryPanel::setStore(store::RunStore *store)
{
    if (m_savedConnection)
        disconnect(m_savedConnection);
    m_store = store;
    if (store) {
        m_savedConnection = connect(store, &store::RunStore::runSaved, this,
                                    &RunHistoryPanel::refresh, Qt::QueuedConnection);
    }
    refresh();
}

void RunHistoryPanel::setWorkflowKey(const QString &workflowName)
{
    if (workflowName == m_workflowKey && workflowName.isNull() == m_workflowKey.isNull())
        return;
    m_workflowKey = workflowName;
    refresh();
}

void RunHistoryPanel::setConfirmFunction(ConfirmFunction confirm)
{
    if (!confirm) {
        confirm = [](QWidget *parent, const QString &question) {
            return QMessageBox::question(parent, RunHistoryPanel::tr("Run History"), question,
                                         QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
                   == QMessageBox::Yes;
        };
    }
    m_confirm = std::move(confirm);
}

void RunHistoryPanel::setSaveFileFunction(SaveFileFunction saveFile)
{
    if (!saveFile) {
        saveFile = [](QWidget *parent, const QString &caption, const QString &suggested,
                      const QString &filter) {
            return QFileDialog::getSaveFileName(parent, caption, suggested, filter);
        };
    }
    m_saveFile = std::move(saveFile);
}

int RunHistoryPanel::runCount() const
{
    return m_tree->topLevelItemCount();
}

QString RunHistoryPanel::runIdAt(int row) const
{
    const QTreeWidgetItem *item = m_tree->topLevelItem(row);
    return item ? item->data(0, kRunIdRole).toString() : QString();
}

QStringList RunHistoryPanel::selectedRunIds() const
{
    // In list order (newest first), whatever order they were selected in.
    QStringList ids;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = m_tree->topLevelItem(i);
        if (item->isSelected())
            ids << item->data(0, kRunIdRole).toString();
    }
    return ids;
}

void RunHistoryPanel::selectRuns(const QStringList &runIds)
{
    m_tree->clearSelection();
    QTreeWidgetItem *first = nullptr;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_tree->topLevelItem(i);
        if (runIds.contains(item->data(0, kRunIdRole).toString())) {
            item->setSelected(true);
            if (!first)
                first = item;
        }
    }
    if (first)
        m_tree->setCurrentItem(first, 0, QItemSelectionModel::NoUpdate);
    updateActions();
}

void RunHistoryPanel::refresh()
{
    const QStringList selected = selectedRunIds();
    const QString current
        = m_tree->currentItem() ? m_tree->currentItem()->data(0, kRunIdRole).toString() : QString();
    m_tree->clear();
    QList<store::RunSummary> runs;
    if (m_store) {
        runs = m_workflowKey.isNull() ? m_store->listRuns(500)
                                      : m_store->listRunsOfWorkflow(m_workflowKey, 500);
    }
    const QString dash = QStringLiteral("—");
    QList<QTreeWidgetItem *> items;
    items.reserve(runs.size());
    for (const store::RunSummary &run : std::as_const(runs)) {
        auto *item = new QTreeWidgetItem;
        item->setData(0, kRunIdRole, run.runId);
        item->setIcon(StatusColumn, statusIcon(run.status));
        item->setText(StatusColumn, statusText(run.status));
        QString tip = tr("Run %1 of “%2”: %3").arg(run.runId, run.workflowName, run.status);
        if (!run.error.isEmpty())
            tip += QLatin1Char('\n') + run.error;
        if (run.exceptionsCount > 0 && run.status != QLatin1String("failed"))
            tip += QLatin1Char('\n')
                   + tr("%n node(s) failed and were handled", nullptr, run.exceptionsCount);
        item->setToolTip(StatusColumn, tip);
        item->setText(StartedColumn, startedText(run.startedMs));
        item->setToolTip(
            StartedColumn,
            QLocale().toString(QDateTime::fromMSecsSinceEpoch(run.startedMs), QLocale::LongFormat));
        item->setText(DurationColumn, run.status == QLatin1String("running")
                                          ? dash
                                          : formatRunDuration(run.elapsedMs));
        item->setText(TokensColumn, QLocale().toString(run.totalTokens));
        item->setText(CostColumn, dash);
        item->setToolTip(CostColumn, tr("Costs appear once a price table is configured"));
        item->setText(RunIdColumn, shortRunId(run.runId));
        item->setToolTip(RunIdColumn, run.runId);
        for (const int c : {int(DurationColumn), int(TokensColumn), int(CostColumn)})
            item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
        items << item;
    }
    m_tree->addTopLevelItems(items);
    for (QTreeWidgetItem *item : std::as_const(items)) {
        const QString id = item->data(0, kRunIdRole).toString();
        if (selected.contains(id))
            item->setSelected(true);
        if (id == current)
            m_tree->setCurrentItem(item, 0, QItemSelectionModel::NoUpdate);
    }
    updateActions();
    Q_EMIT runsChanged(int(items.size()));
}

bool RunHistoryPanel::openRun(const QString &runId)
{
    if (!m_store)
        return false;
    auto run = m_store->loadRun(runId);
    if (!run) {
        showMessage(run.error().message, true);
        return false;
    }
    showMessage({}, false);
    Q_EMIT runOpened(runId, recordedRunEvents(*run));
    return true;
}

RunCompareDialog *RunHistoryPanel::compareRuns(const QString &first, const QString &second)
{
    if (!m_store)
        return nullptr;
    auto a = m_store->loadRun(first);
    auto b = a ? m_store->loadRun(second) : a;
    if (!a || !b) {
        showMessage(!a ? a.error().message : b.error().message, true);
        return nullptr;
    }
    if (m_compare)
        m_compare->close();
    auto *dialog = new RunCompareDialog(*a, *b, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowFlag(Qt::Window);
    m_compare = dialog;
    dialog->show();
    return dialog;
}

void RunHistoryPanel::replayRun(const QString &runId)
{
    Q_EMIT replayRequested(runId);
}

bool RunHistoryPanel::deleteRun(const QString &runId)
{
    if (!m_store)
        return false;
    if (m_confirm
        && !m_confirm(
            this,
            tr("Delete run %1 with its events? This cannot be undone.").arg(shortRunId(runId))))
        return false;
    const bool removed = removeRun(runId);
    refresh();
    return removed;
}

bool RunHistoryPanel::removeRun(const QString &runId)
{
    auto deleted = m_store->deleteRun(runId);
    if (!deleted) {
        showMessage(deleted.error().message, true);
        return false;
    }
    showMessage({}, false);
    Q_EMIT runDeleted(runId);
    return true;
}

Result<void> RunHistoryPanel::exportRunJson(const QString &runId, const QString &path)
{
    if (!m_store)
        return makeError(QStringLiteral("history.store"), tr("there is no run store"));
    auto run = m_store->loadRun(runId);
    if (!run)
        return tl::unexpected(run.error());
    const std::string text = runToJson(*run).dump(2, ' ', false, Json::error_handler_t::replace);
    return writeFile(path, QByteArray::fromStdString(text + '\n'));
}

Result<void> RunHistoryPanel::exportChromeTrace(const QString &runId, const QString &path)
{
    if (!m_store)
        return makeError(QStringLiteral("history.store"), tr("there is no run store"));
    auto run = m_store->loadRun(runId);
    if (!run)
        return tl::unexpected(run.error());
    const std::string text = chromeTrace(*run).dump(-1, ' ', false, Json::error_handler_t::replace);
    return writeFile(path, QByteArray::fromStdString(text + '\n'));
}

void RunHistoryPanel::exportSelected(bool chrome)
{
    const QStringList ids = selectedRunIds();
    if (ids.isEmpty() || !m_saveFile)
        return;
    const QString id = ids.first();
    const QString suggested = chrome ? QStringLiteral("run-%1.trace.json").arg(shortRunId(id))
                                     : QStringLiteral("run-%1.json").arg(shortRunId(id));
    const QString path
        = m_saveFile(this, chrome ? tr("Export Run as Chrome Trace") : tr("Export Run as JSON"),
                     suggested, tr("JSON files (*.json)"));
    if (path.isEmpty())
        return;
    const Result<void> written = chrome ? exportChromeTrace(id, path) : exportRunJson(id, path);
    if (written)
        showMessage(tr("Exported run %1 to %2").arg(shortRunId(id), QDir::toNativeSeparators(path)),
                    false);
    else
        showMessage(written.error().message, true);
}

void RunHistoryPanel::updateActions()
{
    const int n = int(selectedRunIds().size());
    m_openAction->setEnabled(n == 1);
    m_compareAction->setEnabled(n == 2);
    m_replayAction->setEnabled(n == 1);
    m_deleteAction->setEnabled(n >= 1);
    m_exportJsonAction->setEnabled(n == 1);
    m_exportTraceAction->setEnabled(n == 1);
    if (auto *button = findChild<QToolButton *>(QStringLiteral("runHistory.export")))
        button->setEnabled(n == 1);
    m_refreshAction->setEnabled(m_store != nullptr);
}

void RunHistoryPanel::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
    m_message->setVisible(!text.isEmpty());
}

void RunHistoryPanel::showContextMenu(const QPoint &pos)
{
    QTreeWidgetItem *item = m_tree->itemAt(pos);
    if (item && !item->isSelected()) {
        m_tree->clearSelection();
        item->setSelected(true);
        m_tree->setCurrentItem(item);
    }
    QMenu menu(this);
    menu.addAction(m_openAction);
    menu.addAction(m_compareAction);
    menu.addAction(m_replayAction);
    menu.addSeparator();
    menu.addAction(m_exportJsonAction);
    menu.addAction(m_exportTraceAction);
    menu.addSeparator();
    menu.addAction(m_deleteAction);
    menu.exec(m_tree->viewport()->mapToGlobal(pos));
}

} // namespace flowbench::panels

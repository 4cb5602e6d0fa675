// The Events panel against a scripted fake debugger (Kate-style) and against a real GraphEngine
// run of resources/examples/hello_branching.yml.

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QRegularExpression>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QToolButton>

#include "document/dslio.h"
#include "eventspanel.h"
#include "runtime/debugger.h"
#include "runtime/graphengine.h"

using namespace flowbench;
using runtime::Json;
using runtime::RunEvent;
using runtime::RunStatus;
using Type = RunEvent::Type;

namespace {

QStringList sl(std::initializer_list<const char *> items)
{
    QStringList list;
    for (const char *item : items)
        list << QString::fromUtf8(item);
    return list;
}

// Emits what a test scripts; holds a pool; accepts everything.
class FakeDebugger : public runtime::Debugger
{
    Q_OBJECT

public:
    using runtime::Debugger::Debugger;

    bool can(Capability capability) const override
    {
        return capability == Capability::EditVariables ? m_status == RunStatus::Paused : true;
    }
    RunStatus status() const override { return m_status; }
    QString runId() const override { return m_runId; }
    QString pausedAtNode() const override { return {}; }
    Json poolSnapshot() const override { return m_pool; }
    void pause() override {}
    void resume() override {}
    void step() override {}
    void stop() override {}
    void runTo(const QString &) override {}
    Result<void> setVariable(const variables::Selector &, const Json &) override { return {}; }

    void startRun(const QString &id)
    {
        m_runId = id;
        m_status = RunStatus::Running;
        Q_EMIT runStarted(id);
        emitEvent(makeEvent(Type::RunStarted));
    }
    void finishRun()
    {
        m_status = RunStatus::Succeeded;
        emitEvent(makeEvent(Type::RunSucceeded));
        Q_EMIT runFinished(m_status);
    }
    RunEvent makeEvent(Type type, const QString &node = {}, const QString &kind = {},
                       const QString &title = {}) const
    {
        RunEvent e;
        e.type = type;
        e.runId = m_runId;
        e.nodeId = node;
        e.nodeKind = kind;
        e.nodeTitle = title;
        e.timestampMs = QDateTime::currentMSecsSinceEpoch();
        return e;
    }
    void emitEvent(const RunEvent &e) { Q_EMIT runEvent(e); }

    RunStatus m_status = RunStatus::NotStarted;
    QString m_runId;
    Json m_pool = Json::object();
};

// A Debugger over a real GraphEngine (what the app's RunController does, reduced to a test).
class EngineDebugger : public runtime::Debugger
{
    Q_OBJECT

public:
    EngineDebugger(document::Workflow workflow, QObject *parent = nullptr)
        : runtime::Debugger(parent)
        , m_workflow(std::move(workflow))
    {}

    void start(runtime::RunOptions options)
    {
        m_engine = new runtime::GraphEngine(m_workflow, std::move(options), this);
        connect(m_engine, &runtime::GraphEngine::runEvent, this, [this](const RunEvent &e) {
            Q_EMIT runEvent(e);
            if (e.type == Type::RunPaused || e.type == Type::RunResumed)
                Q_EMIT stateChanged();
        });
        connect(m_engine, &runtime::GraphEngine::finished, this, [this] {
            Q_EMIT runFinished(m_engine->status());
            Q_EMIT stateChanged();
        });
        m_engine->start();
        Q_EMIT runStarted(m_engine->runId());
    }

    bool can(Capability capability) const override
    {
        const RunStatus s = status();
        switch (capability) {
        case Capability::Continue:
        case Capability::Step:
        case Capability::EditVariables:
            return s == RunStatus::Paused;
        case Capability::Pause:
            return s == RunStatus::Running;
        default:
            return true;
        }
    }
    RunStatus status() const override
    {
        return m_engine ? m_engine->status() : RunStatus::NotStarted;
    }
    QString runId() const override { return m_engine ? m_engine->runId() : QString(); }
    QString pausedAtNode() const override
    {
        return m_engine ? m_engine->pausedAtNode() : QString();
    }
    Json poolSnapshot() const override
    {
        return m_engine ? m_engine->pool().toJson() : Json::object();
    }
    void pause() override { m_engine->pause(); }
    void resume() override { m_engine->resume(); }
    void step() override { m_engine->step(); }
    void stop() override { m_engine->stop(); }
    void runTo(const QString &id) override { m_engine->runTo(id); }
    Result<void> setVariable(const variables::Selector &selector, const Json &value) override
    {
        return m_engine->setVariable(selector, value);
    }

    runtime::GraphEngine *engine() const { return m_engine; }

private:
    document::Workflow m_workflow;
    runtime::GraphEngine *m_engine = nullptr;
};

QString cell(const panels::EventsPanel &panel, int row, int column)
{
    return panel.proxy()->index(row, column).data().toString();
}

QStringList eventColumn(const panels::EventsPanel &panel)
{
    QStringList list;
    for (int row = 0; row < panel.proxy()->rowCount(); ++row)
        list << cell(panel, row, panels::EventModel::EventColumn);
    return list;
}

// A small scripted run: start → llm (streams 3 chunks) → end, plus a failing code node.
void scriptRun(FakeDebugger &debugger)
{
    debugger.startRun(QStringLiteral("run-1"));
    RunEvent started = debugger.makeEvent(Type::NodeStarted, QStringLiteral("start"),
                                          QStringLiteral("start"), QStringLiteral("Start"));
    started.inputs = Json{{"query", "hello"}};
    debugger.emitEvent(started);
    RunEvent startDone = debugger.makeEvent(Type::NodeSucceeded, QStringLiteral("start"),
                                            QStringLiteral("start"), QStringLiteral("Start"));
    startDone.outputs = Json{{"query", "hello"}};
    startDone.elapsedMs = 3;
    debugger.emitEvent(startDone);
    debugger.emitEvent(debugger.makeEvent(Type::NodeStarted, QStringLiteral("llm"),
                                          QStringLiteral("llm"), QStringLiteral("Writer")));
    for (const char *text : {"Hel", "lo ", "world"}) {
        RunEvent chunk = debugger.makeEvent(Type::NodeStreamChunk, QStringLiteral("llm"),
                                            QStringLiteral("llm"), QStringLiteral("Writer"));
        chunk.selector = QStringList{QStringLiteral("llm"), QStringLiteral("text")};
        chunk.chunk = QString::fromLatin1(text);
        debugger.emitEvent(chunk);
    }
    RunEvent llmDone = debugger.makeEvent(Type::NodeSucceeded, QStringLiteral("llm"),
                                          QStringLiteral("llm"), QStringLiteral("Writer"));
    llmDone.inputs = Json{{"prompt", "say hello"}};
    llmDone.processData = Json{{"model", "qwen"}};
    llmDone.outputs = Json{{"text", "Hello world"}};
    llmDone.usage = Json{{"prompt_tokens", 7}, {"completion_tokens", 5}, {"total_tokens", 12}};
    llmDone.elapsedMs = 1250;
    debugger.emitEvent(llmDone);
    RunEvent failed = debugger.makeEvent(Type::NodeFailed, QStringLiteral("code"),
                                         QStringLiteral("code"), QStringLiteral("Parse"));
    failed.error = QStringLiteral("KeyError: 'answer'");
    failed.errorType = QStringLiteral("CodeNodeError");
    debugger.emitEvent(failed);
    debugger.finishRun();
}

} // namespace

class TestEventsPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsAppearBatchedWithColumns();
    void filtersByNodeKindAndText();
    void detailShowsInputsOutputsAndError();
    void copiesSelectedRowsAsJsonLines();
    void streamChunksCoalesce();
    void newRunClearsFinishedRunStays();
    void clickEmitsNodeActivated();
    void followModeKeepsNewestInView();
    void realEngineRun();
};

void TestEventsPanel::rowsAppearBatchedWithColumns()
{
    FakeDebugger debugger;
    panels::EventsPanel panel(&debugger);
    QCOMPARE(panel.objectName(), QStringLiteral("panel.events"));
    QCOMPARE(panel.table()->objectName(), QStringLiteral("events.table"));
    scriptRun(debugger);
    // Nothing is inserted per event: the rows arrive with the next flush.
    QCOMPARE(panel.model()->rowCount(), 0);
    QVERIFY(panel.model()->pendingCount() > 0);
    QTRY_COMPARE(panel.model()->rowCount(), 8);
    QCOMPARE(panel.model()->columnCount(), 7);
    QStringList headers;
    for (int c = 0; c < panel.model()->columnCount(); ++c)
        headers << panel.model()->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
    QCOMPARE(headers, (sl({"Time", "Node", "Kind", "Event", "Duration", "Tokens", "Message"})));
    QCOMPARE(eventColumn(panel),
             (sl({"run_started", "node_started", "node_succeeded", "node_started", "stream ×3",
                  "node_succeeded", "node_failed", "run_succeeded"})));
    using C = panels::EventModel;
    QCOMPARE(cell(panel, 5, C::NodeColumn), QStringLiteral("Writer"));
    QCOMPARE(cell(panel, 5, C::KindColumn), QStringLiteral("llm"));
    QCOMPARE(cell(panel, 5, C::DurationColumn), QStringLiteral("1.25 s"));
    QCOMPARE(cell(panel, 5, C::TokensColumn), QStringLiteral("12"));
    QCOMPARE(cell(panel, 5, C::MessageColumn), QStringLiteral("{\"text\":\"Hello world\"}"));
    QCOMPARE(cell(panel, 6, C::MessageColumn), QStringLiteral("KeyError: 'answer'"));
    QVERIFY(QRegularExpression(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}$"))
                .match(cell(panel, 0, C::TimeColumn))
                .hasMatch());
    QCOMPARE(panel.findChild<QLabel *>(QStringLiteral("events.count"))->text(),
             QStringLiteral("8 events"));
}

void TestEventsPanel::filtersByNodeKindAndText()
{
    FakeDebugger debugger;
    panels::EventsPanel panel(&debugger);
    scriptRun(debugger);
    QTRY_COMPARE(panel.model()->rowCount(), 8);

    auto *nodeCombo = panel.findChild<QComboBox *>(QStringLiteral("events.nodeFilter"));
    QVERIFY(nodeCombo);
    QCOMPARE(nodeCombo->count(), 4); // All nodes, Parse, Start, Writer
    nodeCombo->setCurrentIndex(nodeCombo->findText(QStringLiteral("Writer")));
    QCOMPARE(eventColumn(panel), (sl({"node_started", "stream ×3", "node_succeeded"})));
    nodeCombo->setCurrentIndex(0);
    QCOMPARE(panel.proxy()->rowCount(), 8);

    auto *kindCombo = panel.findChild<QComboBox *>(QStringLiteral("events.kindFilter"));
    kindCombo->setCurrentIndex(kindCombo->findData(QStringLiteral("start")));
    QCOMPARE(eventColumn(panel), (sl({"node_started", "node_succeeded"})));
    kindCombo->setCurrentIndex(0);

    auto *search = panel.findChild<QLineEdit *>(QStringLiteral("events.search"));
    QTest::keyClicks(search, QStringLiteral("keyerror"));
    QCOMPARE(eventColumn(panel), sl({"node_failed"}));
    QCOMPARE(panel.findChild<QLabel *>(QStringLiteral("events.count"))->text(),
             QStringLiteral("1 of 8 events"));
    search->clear();
    panel.setTextFilter(QStringLiteral("succeeded"));
    QCOMPARE(panel.proxy()->rowCount(), 3);
    // Rows that arrive later are filtered as they come.
    debugger.emitEvent(debugger.makeEvent(Type::NodeSucceeded, QStringLiteral("late")));
    QTRY_COMPARE(panel.proxy()->rowCount(), 4);
}

void TestEventsPanel::detailShowsInputsOutputsAndError()
{
    FakeDebugger debugger;
    panels::EventsPanel panel(&debugger);
    scriptRun(debugger);
    QTRY_COMPARE(panel.model()->rowCount(), 8);
    panel.table()->selectRow(5);
    const QString detail = panel.detailView()->toPlainText();
    QVERIFY2(detail.contains(QStringLiteral("Outputs\n{\n  \"text\": \"Hello world\"\n}")),
             qPrintable(detail));
    QVERIFY(detail.contains(QStringLiteral("Inputs\n{\n  \"prompt\": \"say hello\"")));
    QVERIFY(detail.contains(QStringLiteral("Process data")));
    QVERIFY(detail.contains(QStringLiteral("\"total_tokens\": 12")));
    QVERIFY(panel.detailView()->isReadOnly());
    panel.table()->selectRow(6);
    QVERIFY(panel.detailView()->toPlainText().startsWith(
        QStringLiteral("Error\nCodeNodeError: KeyError: 'answer'")));
    panel.table()->selectRow(4);
    QVERIFY(panel.detailView()->toPlainText().contains(QStringLiteral("Hello world")));
}

void TestEventsPanel::copiesSelectedRowsAsJsonLines()
{
    FakeDebugger debugger;
    panels::EventsPanel panel(&debugger);
    panel.resize(900, 300);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    scriptRun(debugger);
    QTRY_COMPARE(panel.model()->rowCount(), 8);
    panel.table()->selectRow(2);
    panel.table()->selectionModel()->select(
        panel.proxy()->index(4, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    panel.table()->selectionModel()->select(
        panel.proxy()->index(5, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QApplication::clipboard()->clear();
    panel.table()->setFocus();
    QTest::keyClick(panel.table(), Qt::Key_C, Qt::ControlModifier);
    const QString text = QApplication::clipboard()->text();
    QVERIFY(text.endsWith(QLatin1Char('\n')));
    const QStringList lines = text.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 3);
    QStringList events;
    for (const QString &line : lines) {
        const Json j = Json::parse(line.toStdString(), nullptr, false);
        QVERIFY2(j.is_object(), qPrintable(line));
        events << QString::fromStdString(j["event"].get<std::string>());
        QVERIFY(j["run_id"] == "run-1");
    }
    QCOMPARE(events, (sl({"node_succeeded", "node_stream_chunk", "node_succeeded"})));
    const Json stream = Json::parse(lines.at(1).toStdString());
    QVERIFY(stream["text"] == "Hello world");
    QVERIFY(stream["chunks"] == 3);
    QVERIFY(Json::parse(lines.at(2).toStdString())["outputs"]["text"] == "Hello world");
    panel.table()->selectRow(5);
    panel.grab().save(QStringLiteral("/tmp/p2-events-run.png"));
}

void TestEventsPanel::streamChunksCoalesce()
{
    FakeDebugger debugger;
    panels::EventsPanel panel(&debugger);
    debugger.startRun(QStringLiteral("run-s"));
    const auto chunk = [&debugger](const QString &node, const QString &text) {
        RunEvent e = debugger.makeEvent(Type::NodeStreamChunk, node, QStringLiteral("llm"));
        e.selector = QStringList{node, QStringLiteral("text")};
        e.chunk = text;
        debugger.emitEvent(e);
    };
    for (int i = 0; i < 500; ++i)
        chunk(QStringLiteral("a"), QStringLiteral("x"));
    QTRY_COMPARE(panel.model()->rowCount(), 2);
    // More chunks after the row is in the table grow the same row.
    for (int i = 0; i < 500; ++i)
        chunk(QStringLiteral("a"), QStringLiteral("y"));
    chunk(QStringLiteral("b"), QStringLiteral("other"));
    QTRY_COMPARE(panel.model()->rowCount(), 3);
    QCOMPARE(panel.model()->row(1).chunkCount, 1000);
    QCOMPARE(panel.model()->row(1).event.chunk,
             QString(500, QLatin1Char('x')) + QString(500, QLatin1Char('y')));
    QCOMPARE(cell(panel, 1, panels::EventModel::EventColumn), QStringLiteral("stream ×1000"));
    QCOMPARE(panel.model()->row(2).chunkCount, 1);
    // When the execution ends, a later stream of the node (a loop turn) gets a row of its own.
    debugger.emitEvent(debugger.makeEvent(Type::NodeSucceeded, QStringLiteral("a")));
    chunk(QStringLiteral("a"), QStringLiteral("again"));
    QTRY_COMPARE(panel.model()->rowCount(), 5);
    QCOMPARE(panel.model()->row(4).event.chunk, QStringLiteral("again"));
}

void TestEventsPanel::newRunClearsFinishedRunStays()
{
    FakeDebugger debugger;
    panels::EventsPanel panel(&debugger);
    scriptRun(debugger);
    QTRY_COMPARE(panel.model()->rowCount(), 8);
    QTest::qWait(100); // the finished run is kept
    QCOMPARE(panel.model()->rowCount(), 8);
    debugger.startRun(QStringLiteral("run-2"));
    QCOMPARE(panel.model()->rowCount(), 0);
    QTRY_COMPARE(panel.model()->rowCount(), 1);
    QCOMPARE(cell(panel, 0, panels::EventModel::EventColumn), QStringLiteral("run_started"));
    auto *nodeCombo = panel.findChild<QComboBox *>(QStringLiteral("events.nodeFilter"));
    QCOMPARE(nodeCombo->count(), 1); // the old run's nodes are gone from the filter
}

void TestEventsPanel::clickEmitsNodeActivated()
{
    FakeDebugger debugger;
    panels::EventsPanel panel(&debugger);
    panel.resize(900, 300);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    scriptRun(debugger);
    QTRY_COMPARE(panel.model()->rowCount(), 8);
    QSignalSpy activated(&panel, &panels::EventsPanel::nodeActivated);
    const QRect rect = panel.table()->visualRect(panel.proxy()->index(3, 1));
    QTest::mouseClick(panel.table()->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.at(0).at(0).toString(), QStringLiteral("llm"));
    // The run_started row names no node.
    const QRect runRow = panel.table()->visualRect(panel.proxy()->index(0, 1));
    QTest::mouseClick(panel.table()->viewport(), Qt::LeftButton, {}, runRow.center());
    QCOMPARE(activated.size(), 1);
}

void TestEventsPanel::followModeKeepsNewestInView()
{
    FakeDebugger debugger;
    panels::EventsPanel panel(&debugger);
    panel.resize(900, 240);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QVERIFY(panel.followMode());
    debugger.startRun(QStringLiteral("run-f"));
    for (int i = 0; i < 300; ++i)
        debugger.emitEvent(debugger.makeEvent(Type::NodeStarted, QStringLiteral("n%1").arg(i)));
    QTRY_COMPARE(panel.model()->rowCount(), 301);
    QScrollBar *bar = panel.table()->verticalScrollBar();
    QTRY_VERIFY(bar->maximum() > 0);
    QTRY_COMPARE(bar->value(), bar->maximum());

    panel.setFollowMode(false);
    bar->setValue(0);
    for (int i = 0; i < 100; ++i)
        debugger.emitEvent(debugger.makeEvent(Type::NodeStarted, QStringLiteral("m%1").arg(i)));
    QTRY_COMPARE(panel.model()->rowCount(), 401);
    QCOMPARE(bar->value(), 0);
    panel.findChild<QToolButton *>(QStringLiteral("events.follow"))->click();
    QVERIFY(panel.followMode());
    QTRY_COMPARE(bar->value(), bar->maximum());
}

void TestEventsPanel::realEngineRun()
{
    auto loaded = document::loadWorkflowFile(
        QStringLiteral(FLOWBENCH_SOURCE_DIR "/resources/examples/hello_branching.yml"));
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error().message));
    EngineDebugger debugger(loaded->workflow);
    panels::EventsPanel panel(&debugger);
    panel.resize(1000, 320);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy finished(&debugger, &runtime::Debugger::runFinished);
    runtime::RunOptions options;
    options.inputs = Json{{"query", "hello there"}};
    debugger.start(options);
    QVERIFY(finished.wait(10000));
    QTRY_VERIFY(panel.model()->pendingCount() == 0 && panel.model()->rowCount() > 0);
    const QStringList events = eventColumn(panel);
    QCOMPARE(events.first(), QStringLiteral("run_started"));
    QCOMPARE(events.last(), QStringLiteral("run_succeeded"));
    QCOMPARE(events.count(QStringLiteral("node_succeeded")), 3); // start, IF/ELSE, End

    // The End node's row shows its output; filtering by it leaves only its rows.
    panel.setNodeFilter(QStringLiteral("1754154034161"));
    QVERIFY(panel.proxy()->rowCount() >= 2);
    for (int row = 0; row < panel.proxy()->rowCount(); ++row)
        QCOMPARE(cell(panel, row, panels::EventModel::NodeColumn), QStringLiteral("End"));
    int succeeded = -1;
    for (int row = 0; row < panel.proxy()->rowCount(); ++row) {
        if (cell(panel, row, panels::EventModel::EventColumn) == QLatin1String("node_succeeded"))
            succeeded = row;
    }
    QVERIFY(succeeded >= 0);
    panel.table()->selectRow(succeeded);
    QVERIFY2(
        panel.detailView()->toPlainText().contains(QStringLiteral("\"true\": \"hello there\"")),
        qPrintable(panel.detailView()->toPlainText()));
    panel.setNodeFilter(QString());
    panel.setKindFilter(QStringLiteral("if-else"));
    QCOMPARE(eventColumn(panel), (sl({"node_started", "node_succeeded"})));
    panel.setKindFilter(QString());
    panel.table()->selectRow(panel.proxy()->rowCount() - 2);
    panel.grab().save(QStringLiteral("/tmp/p2-events-hello.png"));
}

QTEST_MAIN(TestEventsPanel)
#include "tst_eventspanel.moc"

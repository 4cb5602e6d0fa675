// Runs on the canvas: states from a real GraphEngine run drawn by the RunOverlay, breakpoints
// toggled by clicking the spot on the real view (and undone), a run paused at a breakpoint, and
// validation problems on the nodes. Grabs go to /tmp/c2-*.png for a person to look at.

#include <QHelpEvent>
#include <QSignalSpy>
#include <QTest>
#include <QToolTip>

#include "document/dslio.h"
#include "document/validator.h"
#include "document/workflowdocument.h"
#include "editsink.h"
#include "nodeitem.h"
#include "runoverlay.h"
#include "runtime/graphengine.h"
#include "workflowscene.h"
#include "workflowview.h"

using namespace flowbench;
using canvas::RunOverlay;
using document::Json;
using NodeState = RunOverlay::NodeState;
using EdgeState = RunOverlay::EdgeState;

namespace {

const QString kStart = QStringLiteral("1754154032319");
const QString kIf = QStringLiteral("1754217359748");
const QString kEndTrue = QStringLiteral("1754154034161");
const QString kEndFalse = QStringLiteral("1754217363584");
const QString kEdgeIn = QStringLiteral("1754154032319-source-1754217359748-target");
const QString kEdgeTrue = QStringLiteral("1754217359748-true-1754154034161-target");
const QString kEdgeFalse = QStringLiteral("1754217359748-false-1754217363584-target");

class RecordingSink : public canvas::EditSink
{
public:
    explicit RecordingSink(document::WorkflowDocument *document)
        : m_document(document)
    {}
    void applyEdit(document::Edit edit) override
    {
        bool ok = false;
        document::Edit inverse = m_document->apply(edit, &ok);
        if (ok) {
            undoStack.push_back(std::move(inverse));
            names.append(edit.name);
        }
    }
    void undo()
    {
        QVERIFY(!undoStack.empty());
        m_document->apply(undoStack.back());
        undoStack.pop_back();
    }
    std::vector<document::Edit> undoStack;
    QStringList names;

private:
    document::WorkflowDocument *m_document;
};

struct Canvas
{
    document::WorkflowDocument doc;
    RecordingSink sink{&doc};
    canvas::WorkflowScene scene{&doc, &sink};
    canvas::WorkflowView view{&scene};
    RunOverlay overlay{&scene, &sink};

    explicit Canvas(const QString &example)
    {
        const auto loaded
            = document::loadWorkflowFile(QStringLiteral(FLOWBENCH_SOURCE_DIR)
                                         + QStringLiteral("/resources/examples/") + example);
        if (!loaded)
            qFatal("load %s: %s", qPrintable(example), qPrintable(loaded.error().message));
        doc.reset(loaded->workflow);
        view.resize(1300, 640);
        view.show();
        view.setZoom(1.0);
        view.centerOn(scene.contentRect().center());
    }
    [[nodiscard]] const document::Workflow &wf() const { return doc.workflow(); }
    QPoint at(QPointF scenePos) { return view.mapFromScene(scenePos); }
    [[nodiscard]] QStringList breakpointsInDocument() const
    {
        QStringList ids;
        const Json list = wf().flowbench.value("breakpoints", Json::array());
        for (const Json &id : list)
            ids << QString::fromStdString(id.get<std::string>());
        return ids;
    }
    void grab(const QString &name)
    {
        QCoreApplication::processEvents();
        QVERIFY(view.grab().save(name));
    }
};

// Runs the workflow to its end (or its first pause) and returns the events it sent.
QList<runtime::RunEvent> runEngine(runtime::GraphEngine &engine)
{
    QList<runtime::RunEvent> events;
    QObject context;
    QObject::connect(&engine, &runtime::GraphEngine::runEvent, &context,
                     [&events](const runtime::RunEvent &e) { events.append(e); });
    QSignalSpy finished(&engine, &runtime::GraphEngine::finished);
    engine.start();
    const bool done = QTest::qWaitFor(
        [&] { return !finished.isEmpty() || engine.status() == runtime::RunStatus::Paused; },
        20000);
    if (!done)
        qWarning("run did not end: %s", qPrintable(engine.error()));
    return events;
}

QString toolTipAt(canvas::WorkflowView &view, QPoint viewportPos)
{
    QHelpEvent help(QEvent::ToolTip, viewportPos, view.viewport()->mapToGlobal(viewportPos));
    QCoreApplication::sendEvent(view.viewport(), &help);
    return QToolTip::isVisible() ? QToolTip::text() : QString();
}

} // namespace

class TestRunOverlay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void branchingRunStates();
    void clickSpotTogglesBreakpointAndUndoes();
    void pausedAtBreakpoint();
    void problemsBadge();
    void badgesTokensAndRepeatedExecutions();
    void decorationsFollowMovesAndRebuilds();
    void midRunAndPausedScreenshots();
};

void TestRunOverlay::branchingRunStates()
{
    Canvas c(QStringLiteral("hello_branching.yml"));
    QCOMPARE(c.overlay.nodeState(kIf), NodeState::None);

    runtime::RunOptions options;
    options.inputs = Json{{"query", "hello world"}};
    runtime::GraphEngine engine(c.wf(), options);
    QObject::connect(&engine, &runtime::GraphEngine::runEvent, &c.overlay, &RunOverlay::applyEvent);
    const QList<runtime::RunEvent> events = runEngine(engine);
    QCOMPARE(engine.status(), runtime::RunStatus::Succeeded);
    QVERIFY(!events.isEmpty());

    QCOMPARE(c.overlay.nodeState(kStart), NodeState::Succeeded);
    QCOMPARE(c.overlay.nodeState(kIf), NodeState::Succeeded);
    QCOMPARE(c.overlay.nodeState(kEndTrue), NodeState::Succeeded);
    QCOMPARE(c.overlay.nodeState(kEndFalse), NodeState::Skipped);
    QCOMPARE(c.overlay.edgeState(kEdgeIn), EdgeState::Taken);
    QCOMPARE(c.overlay.edgeState(kEdgeTrue), EdgeState::Taken);
    QCOMPARE(c.overlay.edgeState(kEdgeFalse), EdgeState::Skipped);
    QVERIFY(!c.overlay.isRunActive());
    // Only what has a state gets an item: four nodes, three edges.
    QCOMPARE(c.overlay.decoratedNodeCount(), 4);
    QCOMPARE(c.overlay.decoratedEdgeCount(), 3);
    c.grab(QStringLiteral("/tmp/c2-branching-done.png"));

    // The other branch in a second run: the first run's states are replaced.
    options.inputs = Json{{"query", "bye"}};
    runtime::GraphEngine second(c.wf(), options);
    QObject::connect(&second, &runtime::GraphEngine::runEvent, &c.overlay, &RunOverlay::applyEvent);
    runEngine(second);
    QCOMPARE(c.overlay.nodeState(kEndTrue), NodeState::Skipped);
    QCOMPARE(c.overlay.nodeState(kEndFalse), NodeState::Succeeded);
    QCOMPARE(c.overlay.edgeState(kEdgeTrue), EdgeState::Skipped);
    QCOMPARE(c.overlay.edgeState(kEdgeFalse), EdgeState::Taken);

    c.overlay.clearRun();
    QCOMPARE(c.overlay.nodeState(kIf), NodeState::None);
    QCOMPARE(c.overlay.edgeState(kEdgeIn), EdgeState::None);
    QCOMPARE(c.overlay.decoratedNodeCount(), 0);
    QCOMPARE(c.overlay.decoratedEdgeCount(), 0);
}

void TestRunOverlay::clickSpotTogglesBreakpointAndUndoes()
{
    Canvas c(QStringLiteral("hello_branching.yml"));
    QSignalSpy changed(&c.overlay, &RunOverlay::breakpointsChanged);
    c.scene.selectNodes({kStart});

    const QPoint spot = c.at(c.overlay.breakpointSpotScenePos(kIf));
    QVERIFY(c.view.viewport()->rect().contains(spot));
    // Hovering the node shows the faint spot; no item is made per node for it.
    QTest::mouseMove(c.view.viewport(), c.at(c.scene.nodeSceneRect(kIf).center()));
    const QList<QGraphicsItem *> hovered = c.scene.items(c.overlay.breakpointSpotScenePos(kIf));
    QVERIFY(std::any_of(hovered.cbegin(), hovered.cend(), [](const QGraphicsItem *item) {
        return item->isVisible() && item->toolTip().contains(QStringLiteral("Set a breakpoint"));
    }));
    c.grab(QStringLiteral("/tmp/c2-hover.png"));
    QTest::mouseMove(c.view.viewport(), spot);
    QTest::mouseClick(c.view.viewport(), Qt::LeftButton, {}, spot);

    QCOMPARE(c.breakpointsInDocument(), QStringList{kIf});
    QVERIFY(c.overlay.hasBreakpoint(kIf));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(c.sink.names.last(), QStringLiteral("Set breakpoint"));
    // The click set the breakpoint and did nothing else: the selection stayed.
    QCOMPARE(c.scene.selectedNodeIds(), QStringList{kStart});
    QVERIFY(toolTipAt(c.view, spot).contains(QStringLiteral("Breakpoint")));
    c.grab(QStringLiteral("/tmp/c2-breakpoint.png"));

    c.sink.undo();
    QVERIFY(c.breakpointsInDocument().isEmpty());
    QVERIFY(!c.overlay.hasBreakpoint(kIf));
    QCOMPARE(c.overlay.decoratedNodeCount(), 0);

    // F9's slot: toggles the selected node; a second click on the spot removes it again.
    c.scene.selectNodes({kEndTrue});
    c.overlay.toggleSelectedBreakpoints();
    QCOMPARE(c.breakpointsInDocument(), QStringList{kEndTrue});
    QTest::mouseClick(c.view.viewport(), Qt::LeftButton, {},
                      c.at(c.overlay.breakpointSpotScenePos(kEndTrue)));
    QVERIFY(c.breakpointsInDocument().isEmpty());
    QCOMPARE(c.sink.names.last(), QStringLiteral("Remove breakpoint"));

    // A conditional breakpoint keeps the RunOptions format and removes with the breakpoint.
    c.overlay.setBreakpointCondition(kIf, QStringLiteral("v(\"sys.query\") == \"x\""));
    runtime::RunOptions options;
    RunOverlay::applyWorkbenchState(c.wf(), &options);
    QVERIFY(options.breakpoints.contains(kIf));
    QCOMPARE(options.breakpointConditions.value(kIf), QStringLiteral("v(\"sys.query\") == \"x\""));
    QVERIFY(toolTipAt(c.view, c.at(c.overlay.breakpointSpotScenePos(kIf)))
                .contains(QStringLiteral("sys.query")));
    c.overlay.toggleBreakpoint(kIf);
    QVERIFY(!c.wf().flowbench.contains("breakpoint_conditions"));
}

void TestRunOverlay::pausedAtBreakpoint()
{
    Canvas c(QStringLiteral("hello_branching.yml"));
    c.overlay.toggleBreakpoint(kIf);
    runtime::RunOptions options;
    options.inputs = Json{{"query", "hello"}};
    RunOverlay::applyWorkbenchState(c.wf(), &options);
    QCOMPARE(options.breakpoints, QSet<QString>{kIf});

    runtime::GraphEngine engine(c.wf(), options);
    QObject::connect(&engine, &runtime::GraphEngine::runEvent, &c.overlay, &RunOverlay::applyEvent);
    runEngine(engine);
    QCOMPARE(engine.status(), runtime::RunStatus::Paused);
    QCOMPARE(c.overlay.pausedNodeId(), kIf);
    QCOMPARE(c.overlay.nodeState(kIf), NodeState::PausedHere);
    QCOMPARE(c.overlay.nodeState(kStart), NodeState::Succeeded);
    QCOMPARE(c.overlay.nodeState(kEndTrue), NodeState::Pending);
    QCOMPARE(c.overlay.edgeState(kEdgeIn), EdgeState::Taken);
    QCOMPARE(c.overlay.edgeState(kEdgeTrue), EdgeState::None);
    QVERIFY(c.overlay.isRunActive());
    c.grab(QStringLiteral("/tmp/c2-paused-hello.png"));

    QSignalSpy finished(&engine, &runtime::GraphEngine::finished);
    engine.resume();
    QVERIFY(finished.wait(10000));
    QVERIFY(c.overlay.pausedNodeId().isEmpty());
    QCOMPARE(c.overlay.nodeState(kIf), NodeState::Succeeded);
    QCOMPARE(c.overlay.nodeState(kEndFalse), NodeState::Skipped);
    QVERIFY(c.overlay.hasBreakpoint(kIf)); // the breakpoint outlives the run
}

void TestRunOverlay::problemsBadge()
{
    Canvas c(QStringLiteral("hello_branching.yml"));
    // A real checklist problem: End 2 outputs a variable of a node that does not exist.
    Json outputs = c.wf().node(kEndFalse)->data["outputs"];
    outputs[0]["value_selector"] = Json::array({"nowhere", "query"});
    c.doc.apply(document::SetNodeDataEdit{kEndFalse, QStringLiteral("/outputs"), outputs});
    QList<document::Problem> problems = document::validateWorkflow(c.wf());
    document::Problem documentLevel;
    documentLevel.message = QStringLiteral("document-level problem");
    problems.append(documentLevel); // no node: ignored
    c.overlay.setProblems(problems);

    const auto mine
        = std::find_if(problems.cbegin(), problems.cend(),
                       [](const document::Problem &p) { return p.nodeId == kEndFalse; });
    QVERIFY(mine != problems.cend());
    QCOMPARE(c.overlay.decoratedNodeCount(), 1);
    const QPointF badge = c.overlay.problemBadgeScenePos(kEndFalse);
    QVERIFY(!badge.isNull());
    const QString tip = toolTipAt(c.view, c.at(badge));
    QVERIFY2(tip.contains(mine->message), qPrintable(tip));
    c.grab(QStringLiteral("/tmp/c2-problems.png"));

    c.overlay.setProblems({});
    QCOMPARE(c.overlay.decoratedNodeCount(), 0);
}

void TestRunOverlay::badgesTokensAndRepeatedExecutions()
{
    Canvas c(QStringLiteral("support_chatflow.yml"));
    auto event = [](runtime::RunEvent::Type type, const QString &node, const QString &kind) {
        runtime::RunEvent e;
        e.type = type;
        e.nodeId = node;
        e.nodeKind = kind;
        return e;
    };
    using T = runtime::RunEvent::Type;
    c.overlay.applyEvent(event(T::RunStarted, {}, {}));
    QCOMPARE(c.overlay.nodeState(QStringLiteral("tech_llm")), NodeState::Pending);
    for (int i = 0; i < 2; ++i) { // an iteration body runs a node more than once
        c.overlay.applyEvent(
            event(T::NodeStarted, QStringLiteral("tech_llm"), QStringLiteral("llm")));
        QCOMPARE(c.overlay.nodeState(QStringLiteral("tech_llm")), NodeState::Running);
        runtime::RunEvent done
            = event(T::NodeSucceeded, QStringLiteral("tech_llm"), QStringLiteral("llm"));
        done.elapsedMs = 600;
        done.usage = Json{{"prompt_tokens", 100}, {"completion_tokens", 21}, {"total_tokens", 121}};
        c.overlay.applyEvent(done);
    }
    QCOMPARE(c.overlay.nodeState(QStringLiteral("tech_llm")), NodeState::Succeeded);
    QCOMPARE(c.overlay.elapsedMs(QStringLiteral("tech_llm")), 1200);
    QCOMPARE(c.overlay.totalTokens(QStringLiteral("tech_llm")), 242);
    QCOMPARE(RunOverlay::formatElapsed(1200), QStringLiteral("1.2 s"));
    QCOMPARE(RunOverlay::formatElapsed(850), QStringLiteral("850 ms"));
    QCOMPARE(RunOverlay::formatElapsed(125'000), QStringLiteral("2 min 5 s"));

    // A node still running when the run stops is drawn as stopped.
    c.overlay.applyEvent(
        event(T::NodeStarted, QStringLiteral("billing_llm"), QStringLiteral("llm")));
    c.overlay.applyEvent(event(T::RunStopped, {}, {}));
    QCOMPARE(c.overlay.nodeState(QStringLiteral("billing_llm")), NodeState::Stopped);
    QCOMPARE(c.overlay.nodeState(QStringLiteral("tech_llm")), NodeState::Succeeded);
    QVERIFY(!c.overlay.isRunActive());
    c.grab(QStringLiteral("/tmp/c2-badges.png"));
}

void TestRunOverlay::decorationsFollowMovesAndRebuilds()
{
    Canvas c(QStringLiteral("hello_branching.yml"));
    c.overlay.toggleBreakpoint(kIf);
    const QPointF before = c.overlay.breakpointSpotScenePos(kIf);
    c.doc.apply(document::MoveNodesEdit{{{kIf, c.wf().node(kIf)->position() + QPointF(40, 30)}}});
    QCOMPARE(c.overlay.breakpointSpotScenePos(kIf), before + QPointF(40, 30));
    // The decoration moved with it: the item under the new spot is the breakpoint mark.
    const QList<QGraphicsItem *> hits = c.scene.items(before + QPointF(40, 30));
    QVERIFY(std::any_of(hits.cbegin(), hits.cend(), [](const QGraphicsItem *item) {
        return item->toolTip().contains(QStringLiteral("Breakpoint"));
    }));

    // A reset rebuilds the scene (deleting every item); the overlay makes its items again.
    c.doc.reset(c.wf());
    QCOMPARE(c.overlay.decoratedNodeCount(), 1);
    QVERIFY(c.overlay.hasBreakpoint(kIf));
    c.overlay.toggleBreakpoint(kIf);
    QCOMPARE(c.overlay.decoratedNodeCount(), 0);
}

void TestRunOverlay::midRunAndPausedScreenshots()
{
    // A chatflow whose LLM and classifier outputs are pinned: it runs with no endpoint.
    Canvas c(QStringLiteral("support_chatflow.yml"));
    Json state = Json::object();
    state["pinned_outputs"]
        = Json{{"classifier", {{"class_id", "tech"}, {"class_name", "Technical questions"}}},
               {"tech_llm", {{"text", "Try clearing the cache, then restart the app."}}}};
    state["breakpoints"] = Json::array({"tech_answer", "billing_llm"});
    state["breakpoint_conditions"] = Json{{"billing_llm", "v(\"sys.query\").includes(\"refund\")"}};
    c.sink.applyEdit(document::SetWorkbenchStateEdit{state});
    QVERIFY(c.overlay.isPinned(QStringLiteral("tech_llm")));
    QCOMPARE(c.overlay.breakpointCondition(QStringLiteral("billing_llm")),
             QStringLiteral("v(\"sys.query\").includes(\"refund\")"));
    document::Problem warning;
    warning.severity = document::Problem::Severity::Warning;
    warning.nodeId = QStringLiteral("billing_answer");
    warning.message = QStringLiteral("Answer text is empty");
    c.overlay.setProblems({warning});

    runtime::RunOptions options;
    options.query = QStringLiteral("The app crashes on start");
    RunOverlay::applyWorkbenchState(c.wf(), &options);
    QCOMPARE(options.pinnedOutputs.size(), 2);
    runtime::GraphEngine engine(c.wf(), options);
    const QList<runtime::RunEvent> events = runEngine(engine);
    QCOMPARE(engine.status(), runtime::RunStatus::Paused);

    // Middle of the run: everything up to the pinned LLM's start.
    RunOverlay mid(&c.scene, &c.sink);
    int i = 0;
    for (; i < events.size(); ++i) {
        mid.applyEvent(events[i]);
        if (events[i].type == runtime::RunEvent::Type::NodeStarted
            && events[i].nodeId == QLatin1String("tech_llm"))
            break;
    }
    QVERIFY(i < events.size());
    QCOMPARE(mid.nodeState(QStringLiteral("tech_llm")), NodeState::Running);
    QCOMPARE(mid.nodeState(QStringLiteral("classifier")), NodeState::Succeeded);
    QCOMPARE(mid.nodeState(QStringLiteral("billing_llm")), NodeState::Skipped);
    QCOMPARE(mid.edgeState(QStringLiteral("classifier-tech-tech_llm-target")), EdgeState::Taken);
    c.grab(QStringLiteral("/tmp/c2-running.png"));
    // The animation ticks only while something runs, and only while the run is live.
    QTest::qWait(120);
    for (++i; i < events.size(); ++i)
        mid.applyEvent(events[i]);
    QCOMPARE(mid.nodeState(QStringLiteral("tech_answer")), NodeState::PausedHere);
    mid.clearRun();

    // The overlay that saw it live: paused before tech_answer, its breakpoint.
    for (const runtime::RunEvent &e : events)
        c.overlay.applyEvent(e);
    QCOMPARE(c.overlay.nodeState(QStringLiteral("tech_answer")), NodeState::PausedHere);
    QCOMPARE(c.overlay.nodeState(QStringLiteral("billing_answer")), NodeState::Skipped);
    c.grab(QStringLiteral("/tmp/c2-paused.png"));

    QSignalSpy finished(&engine, &runtime::GraphEngine::finished);
    QObject::connect(&engine, &runtime::GraphEngine::runEvent, &c.overlay, &RunOverlay::applyEvent);
    engine.resume();
    QVERIFY(finished.wait(10000));
    QCOMPARE(c.overlay.nodeState(QStringLiteral("tech_answer")), NodeState::Succeeded);
    QCOMPARE(c.overlay.edgeState(QStringLiteral("billing_llm-source-billing_answer-target")),
             EdgeState::Skipped);
    c.grab(QStringLiteral("/tmp/c2-done.png"));
}

QTEST_MAIN(TestRunOverlay)
#include "tst_runoverlay.moc"

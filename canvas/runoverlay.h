#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointF>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QStringList>

#include "document/validator.h"
#include "document/workflow.h"
#include "runtime/graphengine.h"
#include "runtime/runevent.h"

class QGraphicsSceneMouseEvent;
class QTimer;

namespace flowbench::canvas {

class EditSink;
class WorkflowScene;

namespace detail {
class EdgeDecoration;
class HoverSpot;
class NodeDecoration;
} // namespace detail

// Runs, breakpoints and validation problems drawn on top of a WorkflowScene. The overlay is not
// part of the scene's model: it adds its own decoration items (rings, badges, breakpoint spots,
// taken/skipped edge strokes) positioned from WorkflowScene::nodeSceneRect() and
// EdgeItem::path(), and re-lays them out on the document's changed() (only what moved) and the
// scene's rebuilt() (everything). Only nodes that have a run state, a breakpoint, a pinned
// output or a problem get items, and only edges that were taken or skipped; the running
// animation is one timer that ticks only while a node runs and repaints only running nodes.
//
// Node states come from RunEvents (applyEvent): a RunStarted forgets the previous run; every
// node of the run is then Pending until its NodeStarted (Running), its NodeSucceeded
// (Succeeded), NodeException (Exception: it failed and its error strategy applied), NodeFailed
// (Failed) or NodeSkipped (Skipped). RunPaused marks the node the run paused before
// (PausedHere) until RunResumed. When the run ends, nodes still running are Stopped and the
// states stay until the next RunStarted or clearRun(). Nodes inside an iteration or loop run
// once per item: their elapsed time and tokens add up, the last execution names the state.
// An edge is Taken when its source finished choosing the edge's handle (if-else case,
// classifier class, fail-branch) and its target was reached; it is Skipped when its target or
// source was skipped, when its source chose another handle, or when the run ended without
// taking it.
//
// Workbench state (the Workflow's `flowbench` object, saved with the native file):
//     "breakpoints":           ["node_id", ...]            pause before these nodes
//     "breakpoint_conditions": {"node_id": "js expression"} RunOptions::breakpointConditions
//     "pinned_outputs":        {"node_id": {outputs}}       RunOptions::pinnedOutputs
// A breakpoint is toggled with one SetWorkbenchStateEdit sent to the sink (so it undoes), by
// toggleBreakpoint() (the app binds F9 to toggleSelectedBreakpoints()) or by a click on the
// node's breakpoint spot, a small circle left of the node's top-left corner: faint while the
// mouse is over the node, solid red when set, a red diamond with "?" when conditional.
//
// GUI thread only. The scene and the sink must outlive the overlay.
//
//     RunOverlay overlay(&scene, &undoSink);
//     connect(&engine, &runtime::GraphEngine::runEvent, &overlay, &RunOverlay::applyEvent);
//     overlay.setProblems(document::validateWorkflow(doc.workflow()));
//     runtime::RunOptions options;
//     RunOverlay::applyWorkbenchState(doc.workflow(), &options); // breakpoints and pins
class RunOverlay : public QObject
{
    Q_OBJECT

public:
    enum class NodeState {
        None, // not part of a run (no run yet, or cleared)
        Pending,
        Running,
        PausedHere,
        Succeeded,
        Exception,
        Failed,
        Skipped,
        Stopped, // was running when the run stopped or failed elsewhere
    };
    enum class EdgeState { None, Taken, Skipped };

    RunOverlay(WorkflowScene *scene, EditSink *sink, QObject *parent = nullptr);
    ~RunOverlay() override;

    [[nodiscard]] NodeState nodeState(const QString &nodeId) const;
    [[nodiscard]] EdgeState edgeState(const QString &edgeId) const;
    [[nodiscard]] qint64 elapsedMs(const QString &nodeId) const; // summed over executions
    [[nodiscard]] qint64 totalTokens(const QString &nodeId) const;
    [[nodiscard]] bool isRunActive() const { return m_runActive; }
    [[nodiscard]] QString pausedNodeId() const { return m_pausedAt; }

    // Read from the document's workbench state.
    [[nodiscard]] bool hasBreakpoint(const QString &nodeId) const;
    [[nodiscard]] QString breakpointCondition(const QString &nodeId) const;
    [[nodiscard]] bool isPinned(const QString &nodeId) const;

    // Where things are drawn, in scene coordinates (null when the node is not on the canvas):
    // the centre of the breakpoint spot, and of the problem badge (when the node has problems).
    [[nodiscard]] QPointF breakpointSpotScenePos(const QString &nodeId) const;
    [[nodiscard]] QPointF problemBadgeScenePos(const QString &nodeId) const;
    // Number of decoration items for nodes and edges (what the overlay costs the scene).
    [[nodiscard]] int decoratedNodeCount() const { return int(m_nodeDecos.size()); }
    [[nodiscard]] int decoratedEdgeCount() const { return int(m_edgeDecos.size()); }

    // Copies the workbench state's breakpoints, conditions and pinned outputs into a run's
    // options (adding to what is there).
    static void applyWorkbenchState(const document::Workflow &workflow,
                                    runtime::RunOptions *options);

    // Formats an elapsed time as the badges show it: "850 ms", "1.2 s", "2 min 5 s".
    static QString formatElapsed(qint64 ms);

public Q_SLOTS:
    void applyEvent(const flowbench::runtime::RunEvent &event);
    // Forgets the run's states (breakpoints and problems stay).
    void clearRun();
    // Sets or removes the breakpoint on a node (one undoable edit; its condition goes with it).
    void toggleBreakpoint(const QString &nodeId);
    // F9: toggles the breakpoint on each selected node (one edit).
    void toggleSelectedBreakpoints();
    // Sets a breakpoint with a condition (an empty condition makes it unconditional).
    void setBreakpointCondition(const QString &nodeId, const QString &condition);
    // The checklist: each problem with a node id becomes a badge on that node; the rest are
    // ignored (the Problems list shows them).
    void setProblems(const QList<flowbench::document::Problem> &problems);

Q_SIGNALS:
    // The document's breakpoints or conditions changed (a running engine may want them).
    void breakpointsChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct NodeRun
    {
        NodeState state = NodeState::Pending;
        int running = 0;
        int finished = 0;
        bool started = false;
        bool allHandles = false; // a non-branch node: every outgoing edge is taken
        QSet<QString> handles;   // branch nodes: the handles chosen
        qint64 elapsedMs = 0;
        qint64 tokens = 0;
        int itemIndex = -1; // containers: the item or turn being run
        int retries = 0;
        QString error;
    };

    void readWorkbenchState();
    void updateNode(const QString &id); // creates, refreshes or deletes its decoration
    void updateEdge(const QString &id);
    void updateEdgesTouching(const QString &nodeId);
    void updateAllEdges();
    void layoutNode(detail::NodeDecoration *deco, const QString &id) const;
    void layoutEdge(detail::EdgeDecoration *deco, const QString &id) const;
    void recreateAll();
    void relayoutDirty();
    void ensureAdjacency() const;
    void tick();
    [[nodiscard]] EdgeState computeEdgeState(const QString &edgeId) const;
    [[nodiscard]] QString spotNodeAt(QPointF scenePos, bool cardToo) const;
    void setHoverNode(const QString &id);

    QPointer<WorkflowScene> m_scene;
    EditSink *m_sink = nullptr;

    // The current (or last) run.
    QHash<QString, NodeRun> m_runs;
    QHash<QString, EdgeState> m_edgeStates;
    QSet<QString> m_running;
    QString m_pausedAt;
    QString m_pauseReason;
    bool m_runActive = false;
    bool m_runEnded = false;
    bool m_inRun = false; // a run started since the last clearRun()

    // Workbench state.
    QSet<QString> m_breakpoints;
    QHash<QString, QString> m_conditions;
    QSet<QString> m_pinned;

    QHash<QString, QList<document::Problem>> m_problems;

    // Decorations (items live in the scene; QPointer because a scene rebuild deletes them).
    QHash<QString, QPointer<detail::NodeDecoration>> m_nodeDecos;
    QHash<QString, QPointer<detail::EdgeDecoration>> m_edgeDecos;
    QPointer<detail::HoverSpot> m_hoverSpot;
    QString m_hoverNode;
    bool m_swallowRelease = false;

    // Document edges by node and by id (Workflow::edge() is a linear search), rebuilt lazily
    // after structural edits.
    struct EdgeEnds
    {
        QString source;
        QString target;
        QString handle;
    };
    mutable QMultiHash<QString, QString> m_edgesByNode;
    mutable QHash<QString, EdgeEnds> m_edgeEnds;
    mutable bool m_adjacencyDirty = true;
    QSet<QString> m_dirtyNodes;
    QSet<QString> m_dirtyEdges;
    bool m_relayoutAll = false;

    QTimer *m_animation = nullptr;
    int m_phase = 0;

    friend class detail::NodeDecoration;
};

} // namespace flowbench::canvas

#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>

#include <memory>
#include <optional>

#include "core/result.h"
#include "document/workflow.h"
#include "conversation.h"
#include "llm/endpoint.h"
#include "runevent.h"
#include "variables/variablepool.h"

class QNetworkAccessManager;

namespace flowbench::runtime {

class PythonWorkerPool;

// What a run starts with and how it is limited.
struct RunOptions
{
    Json inputs = Json::object(); // start-node inputs by variable name
    QString query;                // chatflow: sys.query
    Json files = Json::array();   // sys.files / userinput.files
    QString conversationId;
    int dialogueCount = 0;
    QString userId = QStringLiteral("flowbench-user");
    QString appId;
    // Conversation variables carried over from earlier turns (name → value); the rest start from
    // the workflow's declared values.
    Json conversationVariables = Json::object();
    // Chatflow: the conversation's earlier turns, oldest first; nodes with `memory` put them in
    // their prompts (NodeContext::conversationHistory()).
    ConversationHistory conversationHistory;
    QHash<QString, Json> pinnedOutputs;     // node id → outputs object: the node does not run
    QHash<QString, QString> forcedFailures; // node id → error message
    QSet<QString> breakpoints;              // pause before these nodes start
    // Conditional breakpoints: node id → a JavaScript expression over the pool, evaluated just
    // before the node starts; the run pauses only when it is truthy (or when it cannot be
    // evaluated, with the error in the pause event). The pool is the global `pool`
    // ({"node_id": {"var": value}}), and `v("node.var.key")` reads one value:
    //     v("sys.query").includes("refund") && pool["1754"].score > 0.5
    QHash<QString, QString> breakpointConditions;
    int maxSteps = 500;    // node starts; Dify's WORKFLOW_MAX_EXECUTION_STEPS
    int maxSeconds = 1200; // Dify's WORKFLOW_MAX_EXECUTION_TIME
    // Re-run from a node: the pool of an earlier run, and the node to start at.
    QString startNodeId;
    std::optional<variables::VariablePool> initialPool;
    QString runId; // generated when empty
    // Where LLM-family nodes send their requests; without one they fail and say so.
    std::optional<llm::LlmEndpoint> llmEndpoint;
};

enum class RunStatus { NotStarted, Running, Paused, Succeeded, PartialSucceeded, Failed, Stopped };
QString runStatusName(RunStatus status); // Dify's spelling: "succeeded", "partial-succeeded", ...

// Runs one workflow with Dify's semantics (dify.md §4–§9): a FIFO ready queue, an OR-join that
// waits, branch handles with skip propagation, error strategies and retries, iteration and loop
// containers, and response streaming in Dify's order. Single-threaded on the thread that owns
// it: network nodes run on the event loop, CPU nodes on the global thread pool, so independent
// branches overlap while events come out in one well-defined order. The workflow is a snapshot:
// editing the document during a run cannot race it.
//
// Debugging: breakpoints (before a node starts), pause(), step() (one node, then pause again),
// resume(), stop(), and setVariable() while paused.
//
//     GraphEngine engine(workflow, options);
//     connect(&engine, &GraphEngine::runEvent, this, &Panel::onEvent);
//     connect(&engine, &GraphEngine::finished, this, [&] { engine.outputs(); });
//     engine.start(); // returns at once; the run goes on in the event loop
class GraphEngine : public QObject
{
    Q_OBJECT

public:
    GraphEngine(document::Workflow workflow, RunOptions options, QObject *parent = nullptr);
    ~GraphEngine() override;

    // Checks the workflow can run (validation errors, unsupported kinds) and builds the graph.
    // start() calls it; calling it first lets a caller report problems before any event.
    Result<void> prepare();
    void start();
    void stop();

    void pause();
    void resume();
    void step();
    // Runs until `nodeId` is about to start (a one-shot breakpoint), from a pause or not.
    void runTo(const QString &nodeId);
    void setBreakpoints(const QSet<QString> &nodeIds);
    void setBreakpointCondition(const QString &nodeId, const QString &expression);
    // Edits a pool value while paused; the value must keep its type (null may become anything).
    // The edit is part of the run: a VariableEdited event records it.
    Result<void> setVariable(const variables::Selector &selector, const Json &value);

    [[nodiscard]] RunStatus status() const { return m_status; }
    [[nodiscard]] QString runId() const { return m_runId; }
    [[nodiscard]] Json outputs() const { return m_outputs; }
    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] int exceptionsCount() const { return m_exceptionsCount; }
    [[nodiscard]] int steps() const { return m_steps; }
    [[nodiscard]] qint64 elapsedMs() const;
    [[nodiscard]] qint64 totalTokens() const { return m_totalTokens; }
    [[nodiscard]] QString pausedAtNode() const { return m_pausedAt; }
    [[nodiscard]] const variables::VariablePool &pool() const;

    // Shared services (otherwise the engine creates its own on first use).
    void setNetwork(QNetworkAccessManager *network);
    void setPythonWorkers(PythonWorkerPool *workers);

    struct Private; // the scheduler; public only so its helpers in the .cpp can name it

Q_SIGNALS:
    void runEvent(const flowbench::runtime::RunEvent &event);
    void finished();

private:
    std::unique_ptr<Private> d;
    RunStatus m_status = RunStatus::NotStarted;
    QString m_runId;
    Json m_outputs = Json::object();
    QString m_error;
    int m_exceptionsCount = 0;
    int m_steps = 0;
    qint64 m_totalTokens = 0;
    QString m_pausedAt;
    friend struct Private;
};

} // namespace flowbench::runtime

#pragma once

#include <QString>

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>

#include "conversation.h"
#include "variables/variablepool.h"

class QNetworkAccessManager;

namespace flowbench::llm {
struct LlmEndpoint;
}

namespace flowbench::runtime {

using Json = nlohmann::json;
class PythonWorkerPool;

// What a node hands back when it ends.
struct NodeResult
{
    enum class Status { Succeeded, Failed };
    Status status = Status::Succeeded;
    // inputs, processData and metadata start as null (no allocation: most nodes of a big graph
    // never fill them); writing a key makes them objects.
    Json inputs;                   // what the node read (shown in the inspector)
    Json processData;              // intermediate data (rendered request, ...)
    Json outputs = Json::object(); // written to the pool as [node_id, key]
    QString error;                 // for Failed: says what went wrong, for people
    QString errorType;             // e.g. "CodeExecutionError", "HTTPResponseCodeError"
    QString edgeSourceHandle = QStringLiteral("source"); // branch nodes: the chosen handle
    Json usage;                                          // token usage (LLM family)
    Json metadata;

    static NodeResult failure(QString error, QString errorType = QStringLiteral("NodeError"))
    {
        NodeResult r;
        r.status = Status::Failed;
        r.error = std::move(error);
        r.errorType = std::move(errorType);
        return r;
    }
};

// A pending write the engine applies to the pool when the node succeeds (assigner writes to
// conversation and loop variables).
struct VariableWrite
{
    variables::Selector selector;
    Json value;
};

// The engine's side of one node execution. All calls happen on the engine thread; the context
// lives until finish() has been called (and a little longer), then it is gone.
class NodeContext
{
public:
    virtual ~NodeContext() = default;

    [[nodiscard]] virtual const QString &nodeId() const = 0;
    [[nodiscard]] virtual const QString &kind() const = 0;
    [[nodiscard]] virtual const Json &data() const = 0; // the node's `data` object
    // The pool as it is when the node starts. Valid only until start() returns: copy what a
    // later callback needs.
    [[nodiscard]] virtual const variables::VariablePool &pool() const = 0;
    [[nodiscard]] virtual QString appMode() const = 0; // "workflow" | "advanced-chat"

    // Streams text out of the node (selector usually [node_id, "text"]).
    virtual void emitChunk(const QStringList &selector, const QString &text, bool isFinal) = 0;
    // Pool writes to apply when the node succeeds (assigner).
    virtual void writeVariables(std::vector<VariableWrite> writes) = 0;
    // Ends the execution. Exactly once. After a stop, the engine ignores it.
    virtual void finish(NodeResult result) = 0;

    // Runs CPU work on the thread pool and calls `done` back on the engine thread (not at all
    // when the run was stopped meanwhile). `work` must not touch the context or the pool.
    virtual void runInPool(std::function<NodeResult()> work, std::function<void(NodeResult)> done)
        = 0;

    [[nodiscard]] virtual QNetworkAccessManager *network() = 0;
    [[nodiscard]] virtual PythonWorkerPool *python() = 0;
    // The run's LLM endpoint, or nullptr when the run has none (LLM-family nodes then fail).
    [[nodiscard]] virtual const llm::LlmEndpoint *llmEndpoint() const = 0;
    [[nodiscard]] virtual bool isCancelled() const = 0;
    // Chatflow: the conversation's earlier turns, oldest first (empty in workflows and on a
    // conversation's first turn). Nodes with `memory` choose how many they use.
    [[nodiscard]] virtual const ConversationHistory &conversationHistory() const
    {
        static const ConversationHistory none;
        return none;
    }
};

// One node kind's behaviour. Created per execution by the node factory; start() must return at
// once (I/O on the event loop, CPU work through runInPool) and end with ctx.finish().
//
//     class EchoNode : public ExecNode {
//         void start(NodeContext &ctx) override {
//             NodeResult r; r.outputs["text"] = "hi"; ctx.finish(std::move(r));
//         }
//     };
class ExecNode
{
public:
    virtual ~ExecNode() = default;
    virtual void start(NodeContext &ctx) = 0;
    // Stop was requested: abort in-flight work (network replies). finish() is not needed after.
    virtual void cancel() {}
};

// The kinds the engine runs through ExecNode (everything but containers and their start/end
// markers, which the engine handles itself). nullptr for unknown kinds.
std::unique_ptr<ExecNode> createExecNode(const QString &kind);
// The same, resolved once: the engine looks the factory up when it builds the graph, not per run
// of a node. nullptr for unknown kinds.
using ExecNodeFactory = std::unique_ptr<ExecNode> (*)();
ExecNodeFactory execNodeFactory(const QString &kind);

} // namespace flowbench::runtime

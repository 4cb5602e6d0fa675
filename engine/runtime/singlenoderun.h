#pragma once

#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>

#include "execnode.h"
#include "llm/endpoint.h"

#include <optional>

class QNetworkAccessManager;

namespace flowbench::runtime {

// Runs one ExecNode outside a graph: the debugger's "run this node" with inputs given by hand
// or taken from a recorded pool, and the harness node tests use. Owns a real network manager and
// Python worker pool (created on first use). Lives on the thread that created it.
//
//     SingleNodeRun run;
//     run.start(QStringLiteral("code"), QStringLiteral("n1"), data, pool);
//     QSignalSpy done(&run, &SingleNodeRun::finished); done.wait();
//     run.result().outputs;
class SingleNodeRun : public QObject
{
    Q_OBJECT

public:
    explicit SingleNodeRun(QObject *parent = nullptr);
    ~SingleNodeRun() override;

    // Starts the node; `finished` fires when it ends (possibly before start() returns).
    // Unknown kinds finish at once with a failure.
    void start(const QString &kind, const QString &nodeId, const Json &data,
               variables::VariablePool pool, const QString &appMode = QStringLiteral("workflow"));
    void stop(); // cancels the node; `finished` fires with a failure "stopped"

    [[nodiscard]] const NodeResult &result() const { return m_result; }
    [[nodiscard]] bool isRunning() const { return m_running; }
    // Chunks streamed so far, in order: {selector, text, isFinal}.
    struct Chunk
    {
        QStringList selector;
        QString text;
        bool isFinal = false;
    };
    [[nodiscard]] const std::vector<Chunk> &chunks() const { return m_chunks; }
    [[nodiscard]] const std::vector<VariableWrite> &writes() const { return m_writes; }

    // Shared services, so several runs (and tests) can reuse one worker pool.
    void setPythonWorkers(PythonWorkerPool *workers);
    void setNetwork(QNetworkAccessManager *network);
    void setLlmEndpoint(std::optional<llm::LlmEndpoint> endpoint);
    // The earlier turns the node sees as its chatflow conversation (oldest first).
    void setConversationHistory(ConversationHistory history);

Q_SIGNALS:
    void chunk(const QStringList &selector, const QString &text, bool isFinal);
    void finished();

private:
    class Context;
    friend class Context;
    void complete(NodeResult result);
    QNetworkAccessManager *network();
    PythonWorkerPool *python();

    std::unique_ptr<Context> m_context;
    std::unique_ptr<ExecNode> m_node;
    NodeResult m_result;
    std::vector<Chunk> m_chunks;
    std::vector<VariableWrite> m_writes;
    bool m_running = false;
    QNetworkAccessManager *m_network = nullptr;
    PythonWorkerPool *m_python = nullptr;
    std::optional<llm::LlmEndpoint> m_llmEndpoint;
    ConversationHistory m_conversationHistory;
    std::unique_ptr<QNetworkAccessManager> m_ownNetwork;
    std::unique_ptr<PythonWorkerPool> m_ownPython;
};

} // namespace flowbench::runtime

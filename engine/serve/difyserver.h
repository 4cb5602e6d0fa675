#pragma once

#include <QHostAddress>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

#include "core/result.h"
#include "document/workflow.h"
#include "llm/endpoint.h"

namespace flowbench::store {
class RunStore;
}
namespace flowbench::metering {
class TokenMetrics;
}

namespace flowbench::serve {

// How `flowbench serve` (and tests) configure a DifyServer.
struct ServeOptions
{
    // Bearer key every request needs except GET /health; empty: no authentication (the caller
    // must then listen on loopback only: listen() refuses anything else).
    QString apiKey;
    int workers = 4;                          // runs at once; more answer 429
    qint64 maxBodyBytes = 10 * 1024 * 1024;   // larger request bodies answer 413
    int pingIntervalMs = 10000;               // SSE `event: ping` while a stream is quiet
    int shutdownGraceMs = 30000;              // shutdown(): then running workflows are stopped
    int maxSeconds = 1200;                    // per run (Dify's WORKFLOW_MAX_EXECUTION_TIME)
    std::optional<llm::LlmEndpoint> endpoint; // LLM-family nodes; none: they fail and say so
    QString endpointName;                     // metering label (profile name), else the URL
    QString appId;                            // sys.app_id and metering label; default: the name
    // Where the one-line JSON request log goes; default: stderr.
    std::function<void(const QByteArray &line)> logSink;
};

// Serves one workflow over Dify's service API, so Dify clients work unchanged:
//   POST /v1/workflows/run                  inputs, response_mode blocking|streaming, user, files
//   POST /v1/chat-messages                  chatflows: query, conversation_id, inputs, user, ...
//   POST /v1/workflows/tasks/{id}/stop      and /v1/chat-messages/{id}/stop → {"result":"success"}
//   GET  /v1/parameters, GET /v1/info       the start node's form and the app's features
//   GET  /health                            {"status":"ok",...} (no authentication)
//   GET  /metrics                           TokenMetrics in Prometheus text format
// Blocking answers are Dify's JSON; streaming answers are SSE (`data: {...}\n\n`) with
// workflow_started, node_started, text_chunk (message in chatflows), node_finished,
// workflow_finished (and message_end), `event: ping` every pingIntervalMs, in hand-made chunked
// encoding that ends with the 0-chunk. Errors are Dify's {"code","message","status"}: 400
// invalid_param, 401 unauthorized, 404 not_found, 405, 413 request_entity_too_large, 429
// too_many_requests, 503 service_unavailable (shutting down), 500 internal_server_error.
//
// State: none of its own beyond the runs in flight. Chatflow conversations (history,
// conversation variables, dialogue count) live in the RunStore (appendTurn/loadConversation);
// every run is recorded there. Without a store, chatflows answer single turns only (a
// conversation_id is then unknown: 404).
//
// Threading: lives on the thread that created it and answers from its event loop. The store
// (not owned) must outlive it. One log line per request goes to options.logSink when its answer
// is complete (a stream: when it ends).
//
//     DifyServer server(workflow, options, store.get());
//     auto port = server.listen(QHostAddress::LocalHost, 8080);
//     ... // SIGTERM:
//     connect(&server, &DifyServer::drained, qApp, &QCoreApplication::quit);
//     server.shutdown();
class DifyServer : public QObject
{
    Q_OBJECT

public:
    DifyServer(document::Workflow workflow, ServeOptions options, store::RunStore *store,
               QObject *parent = nullptr);
    ~DifyServer() override; // stops runs still going; their clients get no more bytes

    // Errors: "serve.insecure" (a non-loopback address without an API key), "serve.listen".
    Result<quint16> listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    [[nodiscard]] quint16 port() const;

    // Stops accepting connections (requests on open connections answer 503), lets running
    // workflows finish for shutdownGraceMs, then stops them; emits drained() once none is left
    // (queued, also when none was running).
    void shutdown();
    [[nodiscard]] bool isShuttingDown() const;

    [[nodiscard]] int runningCount() const;
    [[nodiscard]] metering::TokenMetrics &metrics();

Q_SIGNALS:
    void drained();
    // A run of a request started / finished (for tests and the log).
    void runStarted(const QString &taskId, const QString &runId);
    void runFinished(const QString &taskId, const QString &runId, const QString &status);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

// "0123..." == "0123..." without an early exit: the time taken does not depend on where the
// strings first differ (nor, beyond its length, on the secret).
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

} // namespace flowbench::serve

#include "difyserver.h"

#include "core/sockethttp.h"
#include "document/dslio.h"
#include "metering/ledger.h"
#include "metering/pricetable.h"
#include "metering/tokenmetrics.h"
#include "runtime/graphengine.h"
#include "runtime/pythonworker.h"
#include "store/runstore.h"
#include "variables/value.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QHttpServerRequest>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>
#include <QUuid>

#include <cstdio>
#include <map>

// How the server answers, and why it is built this way:
//
// Like the LLM simulator (engine/llm/simulator/simulator.cpp) it subclasses QAbstractHttpServer
// instead of using QHttpServer's router: handleRequest() hands over the request's QTcpSocket,
// and responses are written straight to it (Content-Length for JSON, hand-made chunked encoding
// with the terminating 0-chunk for SSE: QHttpServer 6.4 never ends a stream by itself). A run
// outlives the handler, so it holds the socket in a QPointer (QAbstractHttpServer deleteLater()s
// sockets that disconnect) and checks the state before every write. A client that goes away
// stops its run, which frees its worker slot.
namespace flowbench::serve {

using Json = nlohmann::json;

namespace {

using http::chunk;
using http::kChunkedEnd;
using http::SocketHttpServer;
using http::writeAll;
using http::writeResponse;

QByteArray dump(const Json &value)
{
    return QByteArray::fromStdString(value.dump(-1, ' ', false, Json::error_handler_t::replace));
}

std::string str(const QString &s)
{
    return s.toStdString();
}

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

qint64 nowSecs()
{
    return QDateTime::currentSecsSinceEpoch();
}

// Dify's node status for a finished-node event.
const char *nodeStatus(runtime::RunEvent::Type type)
{
    switch (type) {
    case runtime::RunEvent::Type::NodeSucceeded:
        return "succeeded";
    case runtime::RunEvent::Type::NodeException:
        return "exception";
    default:
        return "failed";
    }
}

Json orNull(const Json &value)
{
    return value.is_null() ? Json() : value;
}

Json orNull(const QString &value)
{
    return value.isEmpty() ? Json() : Json(str(value));
}

} // namespace

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    // Compare every byte of `a` (the presented value) against `b` cycled, so the loop length
    // depends only on what the client sent.
    unsigned diff = a.size() == b.size() ? 0u : 1u;
    if (b.isEmpty())
        return a.isEmpty();
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= unsigned(uchar(a[i]) ^ uchar(b[i % b.size()]));
    return diff == 0;
}

struct DifyServer::Private
{
    class Task;

    DifyServer *q = nullptr;
    document::Workflow workflow;
    ServeOptions options;
    QPointer<store::RunStore> store;
    bool chatflow = false;
    QString workflowId; // stable across instances serving the same file
    QString appId;

    SocketHttpServer *server = nullptr; // owned by q
    QList<QPointer<QTcpServer>> listeners;
    quint16 port = 0;
    bool shuttingDown = false;
    QTimer graceTimer;

    QNetworkAccessManager *network = nullptr;
    runtime::PythonWorkerPool *python = nullptr;
    metering::Ledger ledger;
    metering::TokenMetrics metrics;

    QHash<QString, QPointer<Task>> tasks; // task id → running task

    void handle(const QHttpServerRequest &request, QTcpSocket *socket);
    void log(const QByteArray &method, const QString &path, int status, qint64 durationMs,
             const QString &runId) const;
    void answer(QTcpSocket *socket, const QHttpServerRequest &request, const QElapsedTimer &clock,
                int status, const Json &body) const;
    void error(QTcpSocket *socket, const QHttpServerRequest &request, const QElapsedTimer &clock,
               int status, const char *code, const QString &message) const;
    void startRun(const QHttpServerRequest &request, QTcpSocket *socket, const QElapsedTimer &clock,
                  bool chat);
    Json parameters() const;
    void taskDone(const QString &taskId);
    void checkDrained();
};

// One request's run: the engine, the client socket and the translation of run events into
// Dify's blocking JSON or SSE events. Deletes itself (deleteLater) when the run has finished.
class DifyServer::Private::Task final : public QObject
{
public:
    Task(Private *server, QTcpSocket *socket, QByteArray method, QString path, QElapsedTimer clock)
        : m_server(server)
        , m_socket(socket)
        , m_method(std::move(method))
        , m_path(std::move(path))
        , m_clock(clock)
    {
        m_ping.setInterval(server->options.pingIntervalMs);
        connect(&m_ping, &QTimer::timeout, this, [this] { send("event: ping\n\n"); });
        connect(socket, &QTcpSocket::disconnected, this, [this] {
            // Nobody reads the answer any more: stop working for it.
            m_clientGone = true;
            if (m_engine && m_engine->status() == runtime::RunStatus::Running)
                m_engine->stop();
        });
    }

    QString taskId = newId();
    QString messageId = newId();
    QString conversationId;
    QString query;
    bool chat = false;
    bool streaming = false;
    bool newConversation = false;
    qint64 createdAt = nowSecs();
    runtime::RunOptions options;

    [[nodiscard]] QString runId() const { return options.runId; }
    [[nodiscard]] runtime::GraphEngine *engine() const { return m_engine.get(); }

    void addUsage(const metering::UsageRecord &r)
    {
        m_promptTokens += r.promptTokens;
        m_completionTokens += r.completionTokens;
        if (r.costUsd)
            m_costUsd += *r.costUsd;
    }

    bool start()
    {
        m_engine = std::make_unique<runtime::GraphEngine>(m_server->workflow, options);
        m_engine->setNetwork(m_server->network);
        m_engine->setPythonWorkers(m_server->python);
        if (auto ok = m_engine->prepare(); !ok) {
            writeResponse(m_socket, 500, "application/json",
                          dump(Json{{"code", "internal_server_error"},
                                    {"message", str(ok.error().message)},
                                    {"status", 500}}));
            m_server->log(m_method, m_path, 500, m_clock.elapsed(), runId());
            return false;
        }
        if (m_server->store)
            m_server->store->record(m_engine.get(), m_server->workflow, options);
        m_server->ledger.watch(m_engine.get(), options, m_server->options.endpointName);
        connect(m_engine.get(), &runtime::GraphEngine::runEvent, this,
                [this](const runtime::RunEvent &e) { onEvent(e); });
        connect(m_engine.get(), &runtime::GraphEngine::finished, this, [this] { onFinished(); });
        if (streaming) {
            writeAll(m_socket, "HTTP/1.1 200 OK\r\n"
                               "content-type: text/event-stream; charset=utf-8\r\n"
                               "cache-control: no-cache\r\n"
                               "x-accel-buffering: no\r\n"
                               "transfer-encoding: chunked\r\n\r\n");
            m_ping.start();
        }
        m_engine->start();
        return true;
    }

    void stop()
    {
        if (m_engine
            && (m_engine->status() == runtime::RunStatus::Running
                || m_engine->status() == runtime::RunStatus::Paused))
            m_engine->stop();
    }

private:
    Json head(const char *event) const
    {
        Json j{{"event", event}, {"task_id", str(taskId)}, {"workflow_run_id", str(runId())}};
        if (chat) {
            j["conversation_id"] = str(conversationId);
            j["message_id"] = str(messageId);
        }
        return j;
    }

    void send(const QByteArray &sse)
    {
        if (!streaming)
            return;
        writeAll(m_socket, chunk(sse));
    }

    void sendEvent(const Json &event)
    {
        send("data: " + dump(event) + "\n\n");
        m_ping.start(); // restart: pings only fill silences
    }

    Json nodeData(const runtime::RunEvent &e) const
    {
        return Json{{"id", str(e.executionId)},
                    {"node_id", str(e.nodeId)},
                    {"node_type", str(e.nodeKind)},
                    {"title", str(e.nodeTitle)},
                    {"index", m_nodeIndex.value(e.executionId, 0)},
                    {"predecessor_node_id", nullptr},
                    {"iteration_id", orNull(e.inIterationId)},
                    {"loop_id", orNull(e.inLoopId)}};
    }

    void onEvent(const runtime::RunEvent &e)
    {
        using T = runtime::RunEvent::Type;
        if (e.type == T::NodeStreamChunk)
            m_answer += e.chunk;
        if (!streaming)
            return;
        const qint64 at = e.timestampMs > 0 ? e.timestampMs / 1000 : nowSecs();
        switch (e.type) {
        case T::RunStarted: {
            Json j = head("workflow_started");
            j["data"] = Json{{"id", str(runId())},
                             {"workflow_id", str(m_server->workflowId)},
                             {"inputs", options.inputs},
                             {"created_at", createdAt}};
            sendEvent(j);
            break;
        }
        case T::NodeStarted: {
            m_nodeIndex.insert(e.executionId, ++m_nodesStarted);
            Json j = head("node_started");
            Json data = nodeData(e);
            data["inputs"] = orNull(e.inputs);
            data["created_at"] = at;
            j["data"] = std::move(data);
            sendEvent(j);
            break;
        }
        case T::NodeStreamChunk: {
            Json j;
            if (chat) {
                j = head("message");
                j["id"] = str(messageId);
                j["answer"] = str(e.chunk);
                j["from_variable_selector"] = Json::array();
                for (const QString &s : e.selector)
                    j["from_variable_selector"].push_back(str(s));
                j["created_at"] = createdAt;
            } else {
                j = head("text_chunk");
                Json selector = Json::array();
                for (const QString &s : e.selector)
                    selector.push_back(str(s));
                j["data"] = Json{{"text", str(e.chunk)}, {"from_variable_selector", selector}};
            }
            sendEvent(j);
            break;
        }
        case T::NodeSucceeded:
        case T::NodeFailed:
        case T::NodeException: {
            Json j = head("node_finished");
            Json data = nodeData(e);
            data["inputs"] = orNull(e.inputs);
            data["process_data"] = orNull(e.processData);
            data["outputs"] = orNull(e.outputs);
            data["status"] = nodeStatus(e.type);
            data["error"] = orNull(e.error);
            data["elapsed_time"] = double(e.elapsedMs) / 1000.0;
            Json metadata = e.metadata.is_object() ? e.metadata : Json::object();
            if (e.usage.is_object()) {
                if (auto t = e.usage.find("total_tokens"); t != e.usage.end())
                    metadata["total_tokens"] = *t;
            }
            data["execution_metadata"] = metadata;
            data["created_at"] = at - e.elapsedMs / 1000;
            data["finished_at"] = at;
            j["data"] = std::move(data);
            sendEvent(j);
            break;
        }
        case T::NodeRetry: {
            Json j = head("node_retry");
            Json data = nodeData(e);
            data["error"] = orNull(e.error);
            data["retry_index"] = e.retryIndex;
            data["created_at"] = at;
            j["data"] = std::move(data);
            sendEvent(j);
            break;
        }
        case T::IterationStarted:
        case T::IterationNext:
        case T::IterationSucceeded:
        case T::IterationFailed:
        case T::LoopStarted:
        case T::LoopNext:
        case T::LoopSucceeded:
        case T::LoopFailed: {
            const bool loop = e.type == T::LoopStarted || e.type == T::LoopNext
                              || e.type == T::LoopSucceeded || e.type == T::LoopFailed;
            const bool next = e.type == T::IterationNext || e.type == T::LoopNext;
            const bool started = e.type == T::IterationStarted || e.type == T::LoopStarted;
            std::string name = loop ? "loop_" : "iteration_";
            name += started ? "started" : next ? "next" : "completed";
            Json j = head(name.c_str());
            Json data{{"id", str(e.executionId)},
                      {"node_id", str(e.nodeId)},
                      {"node_type", str(e.nodeKind)},
                      {"title", str(e.nodeTitle)},
                      {"created_at", at}};
            if (next)
                data["index"] = e.index;
            if (!started && !next) {
                data["outputs"] = orNull(e.outputs);
                data["status"] = e.type == T::IterationSucceeded || e.type == T::LoopSucceeded
                                     ? "succeeded"
                                     : "failed";
                data["error"] = orNull(e.error);
                data["elapsed_time"] = double(e.elapsedMs) / 1000.0;
            }
            j["data"] = std::move(data);
            sendEvent(j);
            break;
        }
        default:
            break;
        }
    }

    Json usage() const
    {
        const double seconds = m_engine ? double(m_engine->elapsedMs()) / 1000.0 : 0.0;
        qint64 prompt = m_promptTokens, completion = m_completionTokens;
        if (prompt + completion == 0 && m_engine)
            prompt = m_engine->totalTokens(); // usage without a ledger record: count it once
        return Json{{"prompt_tokens", prompt},
                    {"prompt_unit_price", "0"},
                    {"prompt_price_unit", "0"},
                    {"prompt_price", "0"},
                    {"completion_tokens", completion},
                    {"completion_unit_price", "0"},
                    {"completion_price_unit", "0"},
                    {"completion_price", "0"},
                    {"total_tokens", prompt + completion},
                    {"total_price", QString::number(m_costUsd, 'f', 7).toStdString()},
                    {"currency", "USD"},
                    {"latency", seconds}};
    }

    Json finishedData(const QString &status) const
    {
        const runtime::GraphEngine &engine = *m_engine;
        return Json{{"id", str(runId())},
                    {"workflow_id", str(m_server->workflowId)},
                    {"status", str(status)},
                    {"outputs", engine.outputs()},
                    {"error", orNull(engine.error())},
                    {"elapsed_time", double(engine.elapsedMs()) / 1000.0},
                    {"total_tokens", engine.totalTokens()},
                    {"total_steps", engine.steps()},
                    {"exceptions_count", engine.exceptionsCount()},
                    {"files", Json::array()},
                    {"created_at", createdAt},
                    {"finished_at", nowSecs()}};
    }

    void onFinished()
    {
        m_ping.stop();
        const runtime::RunStatus runStatus = m_engine->status();
        const QString status = runtime::runStatusName(runStatus);
        const bool ok = runStatus == runtime::RunStatus::Succeeded
                        || runStatus == runtime::RunStatus::PartialSucceeded;
        QString answer = m_answer;
        if (const Json outputs = m_engine->outputs();
            outputs.contains("answer") && outputs["answer"].is_string())
            answer = qs(outputs["answer"].get<std::string>());
        // Only a successful turn becomes part of the conversation; it is committed before the
        // client hears about it, so its next turn (on any instance sharing the store) sees it.
        if (chat && ok && m_server->store) {
            const Json *conversation = m_engine->pool().scope("conversation");
            auto saved = m_server->store->appendTurn(
                conversationId, runId(), query, answer,
                conversation && conversation->is_object() ? *conversation : Json::object());
            if (!saved)
                std::fprintf(stderr, "flowbench serve: warning: turn not saved: %s\n",
                             saved.error().message.toUtf8().constData());
        }

        int httpStatus = 200;
        if (streaming) {
            Json finished = head("workflow_finished");
            finished["data"] = finishedData(status);
            sendEvent(finished);
            if (chat) {
                if (!ok) {
                    Json err = head("error");
                    err["status"] = 500;
                    err["code"] = "internal_server_error";
                    err["message"] = str(m_engine->error().isEmpty() ? status : m_engine->error());
                    sendEvent(err);
                } else {
                    Json end = head("message_end");
                    end["id"] = str(messageId);
                    end["metadata"] = Json{{"usage", usage()}};
                    end["files"] = Json::array();
                    sendEvent(end);
                }
            }
            writeAll(m_socket, kChunkedEnd);
        } else if (chat) {
            if (ok) {
                const Json body{{"event", "message"},
                                {"task_id", str(taskId)},
                                {"id", str(messageId)},
                                {"message_id", str(messageId)},
                                {"conversation_id", str(conversationId)},
                                {"mode", "advanced-chat"},
                                {"answer", str(answer)},
                                {"metadata", Json{{"usage", usage()}}},
                                {"created_at", createdAt}};
                writeResponse(m_socket, 200, "application/json", dump(body));
            } else {
                httpStatus = 500;
                const QString message = m_engine->error().isEmpty()
                                            ? QStringLiteral("The run ended %1.").arg(status)
                                            : m_engine->error();
                writeResponse(m_socket, 500, "application/json",
                              dump(Json{{"code", "completion_request_error"},
                                        {"message", str(message)},
                                        {"status", 500}}));
            }
        } else {
            const Json body{{"workflow_run_id", str(runId())},
                            {"task_id", str(taskId)},
                            {"data", finishedData(status)}};
            writeResponse(m_socket, 200, "application/json", dump(body));
        }
        m_server->log(m_method, m_path, m_clientGone ? 499 : httpStatus, m_clock.elapsed(),
                      runId());
        const QString id = taskId;
        Q_EMIT m_server->q->runFinished(taskId, runId(), status);
        deleteLater();
        m_server->taskDone(id);
    }

    Private *m_server;
    QPointer<QTcpSocket> m_socket;
    QByteArray m_method;
    QString m_path;
    QElapsedTimer m_clock;
    std::unique_ptr<runtime::GraphEngine> m_engine;
    QTimer m_ping;
    QString m_answer;
    QHash<QString, int> m_nodeIndex;
    int m_nodesStarted = 0;
    qint64 m_promptTokens = 0;
    qint64 m_completionTokens = 0;
    double m_costUsd = 0;
    bool m_clientGone = false;
};

void DifyServer::Private::log(const QByteArray &method, const QString &path, int status,
                              qint64 durationMs, const QString &runId) const
{
    const Json line{
        {"time", str(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs))},
        {"method", method.toStdString()},
        {"path", str(path)},
        {"status", status},
        {"duration_ms", durationMs},
        {"run_id", orNull(runId)},
    };
    const QByteArray text = dump(line);
    if (options.logSink) {
        options.logSink(text);
        return;
    }
    std::fprintf(stderr, "%s\n", text.constData());
    std::fflush(stderr);
}

namespace {

QByteArray methodName(const QHttpServerRequest &request)
{
    switch (request.method()) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    default:
        return "OTHER";
    }
}

} // namespace

void DifyServer::Private::answer(QTcpSocket *socket, const QHttpServerRequest &request,
                                 const QElapsedTimer &clock, int status, const Json &body) const
{
    writeResponse(socket, status, "application/json", dump(body));
    log(methodName(request), request.url().path(), status, clock.elapsed(), {});
}

void DifyServer::Private::error(QTcpSocket *socket, const QHttpServerRequest &request,
                                const QElapsedTimer &clock, int status, const char *code,
                                const QString &message) const
{
    answer(socket, request, clock, status,
           Json{{"code", code}, {"message", str(message)}, {"status", status}});
}

Json DifyServer::Private::parameters() const
{
    // The start node's variables as Dify's user_input_form: [{"text-input": {...}}, ...].
    Json form = Json::array();
    for (const document::Node &node : workflow.nodes()) {
        if (node.kind() != QLatin1String("start") || !node.parentId().isEmpty())
            continue;
        const auto vars = node.data.find("variables");
        if (vars == node.data.end() || !vars->is_array())
            break;
        for (const Json &v : *vars) {
            if (!v.is_object())
                continue;
            const std::string type = v.value("type", std::string("text-input"));
            Json entry = v;
            entry.erase("type");
            if (!entry.contains("default"))
                entry["default"] = "";
            form.push_back(Json{{type, entry}});
        }
        break;
    }
    const Json &features = workflow.features();
    const auto feature = [&features](const char *key, Json fallback) {
        const auto it = features.is_object() ? features.find(key) : features.end();
        return it != features.end() ? *it : fallback;
    };
    const Json disabled{{"enabled", false}};
    Json fileUpload = feature("file_upload", disabled);
    Json limits{{"file_size_limit", 15},       {"batch_count_limit", 5},
                {"image_file_size_limit", 10}, {"video_file_size_limit", 100},
                {"audio_file_size_limit", 50}, {"workflow_file_upload_limit", 10}};
    if (fileUpload.is_object() && fileUpload.contains("fileUploadConfig")
        && fileUpload["fileUploadConfig"].is_object())
        limits.update(fileUpload["fileUploadConfig"]);
    return Json{
        {"opening_statement", feature("opening_statement", "")},
        {"suggested_questions", feature("suggested_questions", Json::array())},
        {"suggested_questions_after_answer", feature("suggested_questions_after_answer", disabled)},
        {"speech_to_text", feature("speech_to_text", disabled)},
        {"text_to_speech", feature("text_to_speech", disabled)},
        {"retriever_resource", feature("retriever_resource", disabled)},
        {"annotation_reply", feature("annotation_reply", disabled)},
        {"more_like_this", feature("more_like_this", disabled)},
        {"sensitive_word_avoidance", feature("sensitive_word_avoidance", disabled)},
        {"user_input_form", form},
        {"file_upload", fileUpload},
        {"system_parameters", limits},
    };
}

void DifyServer::Private::startRun(const QHttpServerRequest &request, QTcpSocket *socket,
                                   const QElapsedTimer &clock, bool chat)
{
    const auto bad = [&](const QString &message) {
        error(socket, request, clock, 400, "invalid_param", message);
    };
    if (chat != chatflow) {
        error(socket, request, clock, 400, chat ? "not_chat_app" : "not_workflow_app",
              chat ? QStringLiteral("App mode is not chat; use POST /v1/workflows/run.")
                   : QStringLiteral("App mode is not workflow; use POST /v1/chat-messages."));
        return;
    }
    Json body;
    try {
        body = Json::parse(request.body().toStdString());
    } catch (const std::exception &) {
        bad(QStringLiteral("The request body is not valid JSON."));
        return;
    }
    if (!body.is_object()) {
        bad(QStringLiteral("The request body must be a JSON object."));
        return;
    }
    Json inputs = body.value("inputs", Json::object());
    if (inputs.is_null())
        inputs = Json::object();
    if (!inputs.is_object()) {
        bad(QStringLiteral("inputs must be a JSON object."));
        return;
    }
    const std::string mode
        = body.value("response_mode", std::string(chat ? "streaming" : "blocking"));
    if (mode != "blocking" && mode != "streaming") {
        bad(QStringLiteral("response_mode must be blocking or streaming."));
        return;
    }
    // Required start-node fields, as Dify checks them before running.
    for (const document::Node &node : workflow.nodes()) {
        if (node.kind() != QLatin1String("start") || !node.parentId().isEmpty())
            continue;
        const auto vars = node.data.find("variables");
        if (vars != node.data.end() && vars->is_array()) {
            for (const Json &v : *vars) {
                if (!v.is_object() || !v.value("required", false))
                    continue;
                const std::string name = v.value("variable", std::string());
                const auto it = inputs.find(name);
                if (it == inputs.end() || it->is_null()
                    || (it->is_string() && it->get<std::string>().empty())) {
                    bad(QStringLiteral("%1 is required in input form").arg(qs(name)));
                    return;
                }
            }
        }
        break;
    }
    QString query;
    if (chat) {
        const auto q = body.find("query");
        if (q == body.end() || !q->is_string() || q->get<std::string>().empty()) {
            bad(QStringLiteral("query is required."));
            return;
        }
        query = qs(q->get<std::string>());
    }
    Json files = body.value("files", Json::array());
    if (files.is_null())
        files = Json::array();
    if (!files.is_array()) {
        bad(QStringLiteral("files must be a list."));
        return;
    }
    // Dify's request files ({type, transfer_method, url | upload_file_id}) as the engine's file
    // values. There is no upload endpoint, so only remote URLs can be given.
    for (Json &f : files) {
        if (!f.is_object() || f.value("transfer_method", std::string()) != "remote_url"
            || !f.contains("url") || !f["url"].is_string()) {
            bad(QStringLiteral("Only files with transfer_method remote_url and a url are "
                               "supported (there is no /v1/files/upload)."));
            return;
        }
        const QUrl url(qs(f["url"].get<std::string>()));
        const QString name = url.fileName();
        const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
        f = Json{{"dify_model_identity", variables::kFileIdentity},
                 {"name", str(name)},
                 {"size", -1},
                 {"type", f.value("type", std::string("custom"))},
                 {"extension", dot >= 0 ? str(name.mid(dot).toLower()) : std::string()},
                 {"mime_type", ""},
                 {"transfer_method", "remote_url"},
                 {"remote_url", str(url.toString())},
                 {"url", str(url.toString())},
                 {"related_id", nullptr}};
    }
    if (shuttingDown) {
        error(socket, request, clock, 503, "service_unavailable",
              QStringLiteral("The server is shutting down."));
        return;
    }
    if (tasks.size() >= options.workers) {
        error(socket, request, clock, 429, "too_many_requests",
              QStringLiteral("Too many requests. Please try again later. (%1 runs at once)")
                  .arg(options.workers));
        return;
    }

    auto *task = new Task(this, socket, methodName(request), request.url().path(), clock);
    task->setParent(q);
    task->chat = chat;
    task->streaming = mode == "streaming";
    task->query = query;
    runtime::RunOptions &o = task->options;
    o.runId = newId();
    o.inputs = std::move(inputs);
    o.query = query;
    o.files = std::move(files);
    if (const auto user = body.find("user");
        user != body.end() && user->is_string() && !user->get<std::string>().empty())
        o.userId = qs(user->get<std::string>());
    o.appId = appId;
    o.maxSeconds = options.maxSeconds;
    o.llmEndpoint = options.endpoint;
    if (chat) {
        const std::string cid = body.value("conversation_id", std::string());
        if (cid.empty()) {
            task->conversationId = newId();
            task->newConversation = true;
            o.dialogueCount = 1;
        } else {
            task->conversationId = qs(cid);
            if (!store) {
                delete task;
                error(socket, request, clock, 404, "not_found",
                      QStringLiteral("Conversation Not Exists."));
                return;
            }
            auto conversation = store->loadConversation(task->conversationId);
            if (!conversation) {
                delete task;
                error(socket, request, clock, 500, "internal_server_error",
                      conversation.error().message);
                return;
            }
            if (conversation->dialogueCount == 0) {
                delete task;
                error(socket, request, clock, 404, "not_found",
                      QStringLiteral("Conversation Not Exists."));
                return;
            }
            o.conversationVariables = conversation->conversationVariables;
            o.conversationHistory = std::move(conversation->history);
            o.dialogueCount = conversation->dialogueCount + 1;
        }
        o.conversationId = task->conversationId;
    }
    tasks.insert(task->taskId, task);
    Q_EMIT q->runStarted(task->taskId, o.runId);
    if (!task->start()) {
        tasks.remove(task->taskId);
        task->deleteLater();
        checkDrained();
    }
}

void DifyServer::Private::taskDone(const QString &taskId)
{
    tasks.remove(taskId);
    checkDrained();
}

void DifyServer::Private::checkDrained()
{
    if (!shuttingDown || !tasks.isEmpty())
        return;
    graceTimer.stop();
    QMetaObject::invokeMethod(
        q, [this] { Q_EMIT q->drained(); }, Qt::QueuedConnection);
}

void DifyServer::Private::handle(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QElapsedTimer clock;
    clock.start();
    const QString path = request.url().path();
    const bool get = request.method() == QHttpServerRequest::Method::Get;
    const bool post = request.method() == QHttpServerRequest::Method::Post;

    if (path == QLatin1String("/health")) {
        if (!get) {
            error(socket, request, clock, 405, "method_not_allowed",
                  QStringLiteral("The method is not allowed for the requested URL."));
            return;
        }
        answer(socket, request, clock, shuttingDown ? 503 : 200,
               Json{{"status", shuttingDown ? "shutting_down" : "ok"},
                    {"version", FLOWBENCH_VERSION},
                    {"running", tasks.size()},
                    {"workers", options.workers}});
        return;
    }
    if (!options.apiKey.isEmpty()) {
        const QByteArray header = request.value("authorization");
        const QByteArray prefix = "Bearer ";
        const bool bearer = header.size() > prefix.size()
                            && header.left(prefix.size()).compare(prefix, Qt::CaseInsensitive) == 0;
        if (!bearer
            || !constantTimeEquals(header.mid(prefix.size()).trimmed(), options.apiKey.toUtf8())) {
            error(socket, request, clock, 401, "unauthorized",
                  bearer ? QStringLiteral("Access token is invalid")
                         : QStringLiteral("Authorization header must be provided and start with "
                                          "'Bearer'"));
            return;
        }
    }
    const qint64 declared = request.value("content-length").toLongLong();
    if (declared > options.maxBodyBytes || request.body().size() > options.maxBodyBytes) {
        error(
            socket, request, clock, 413, "request_entity_too_large",
            QStringLiteral("The request body is larger than %1 bytes.").arg(options.maxBodyBytes));
        // The rest of an oversized body is not worth reading.
        if (socket)
            socket->disconnectFromHost();
        return;
    }

    const auto wrongMethod = [&] {
        error(socket, request, clock, 405, "method_not_allowed",
              QStringLiteral("The method is not allowed for the requested URL."));
    };
    if (path == QLatin1String("/metrics")) {
        if (!get)
            return wrongMethod();
        writeResponse(socket, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render());
        log(methodName(request), path, 200, clock.elapsed(), {});
        return;
    }
    if (path == QLatin1String("/v1/workflows/run") || path == QLatin1String("/v1/chat-messages")) {
        if (!post)
            return wrongMethod();
        startRun(request, socket, clock, path == QLatin1String("/v1/chat-messages"));
        return;
    }
    static const QLatin1String taskPrefix("/v1/workflows/tasks/");
    static const QLatin1String chatPrefix("/v1/chat-messages/");
    if ((path.startsWith(taskPrefix) || path.startsWith(chatPrefix))
        && path.endsWith(QLatin1String("/stop"))) {
        if (!post)
            return wrongMethod();
        const qsizetype from = path.startsWith(taskPrefix) ? taskPrefix.size() : chatPrefix.size();
        const QString taskId = path.mid(from, path.size() - from - 5);
        // Dify answers success for any task id (the stop flag is fire-and-forget).
        if (const QPointer<Task> task = tasks.value(taskId); task)
            task->stop();
        answer(socket, request, clock, 200, Json{{"result", "success"}});
        return;
    }
    if (path == QLatin1String("/v1/parameters")) {
        if (!get)
            return wrongMethod();
        answer(socket, request, clock, 200, parameters());
        return;
    }
    if (path == QLatin1String("/v1/info")) {
        if (!get)
            return wrongMethod();
        answer(socket, request, clock, 200,
               Json{{"name", str(workflow.name())},
                    {"description", str(workflow.description())},
                    {"tags", Json::array()},
                    {"mode", str(workflow.modeString())},
                    {"author_name", "flowbench"}});
        return;
    }
    error(socket, request, clock, 404, "not_found",
          QStringLiteral("The requested URL was not found on the server."));
}

DifyServer::DifyServer(document::Workflow workflow, ServeOptions options, store::RunStore *store,
                       QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    d->chatflow = workflow.mode() == document::AppMode::AdvancedChat;
    const QByteArray content = dump(workflow.app) + dump(Json(str(workflow.name())));
    QByteArray nodes;
    for (const document::Node &node : workflow.nodes())
        nodes += dump(node.toJson());
    // A name-based UUID of the app and its graph: every instance serving the same file reports
    // the same workflow_id, as one Dify app would.
    d->workflowId
        = QUuid::createUuidV5(QUuid(QStringLiteral("6ba7b811-9dad-11d1-80b4-00c04fd430c8")),
                              content + nodes)
              .toString(QUuid::WithoutBraces);
    d->appId = options.appId.isEmpty() ? workflow.name() : options.appId;
    d->workflow = std::move(workflow);
    d->options = std::move(options);
    if (d->options.workers < 1)
        d->options.workers = 1;
    d->store = store;
    d->network = new QNetworkAccessManager(this);
    d->python = new runtime::PythonWorkerPool(std::min(d->options.workers, 4), this);
    d->ledger.setPriceTable(metering::PriceTable::userOrBundled());
    d->ledger.setStore(store);
    d->ledger.setMemoryLimit(10000);
    connect(&d->ledger, &metering::Ledger::recorded, &d->metrics,
            &metering::TokenMetrics::addUsage);
    connect(&d->ledger, &metering::Ledger::runEventSeen, &d->metrics,
            &metering::TokenMetrics::addRunEvent);
    connect(&d->ledger, &metering::Ledger::recorded, this,
            [this](const metering::UsageRecord &record) {
                for (const QPointer<Private::Task> &task : std::as_const(d->tasks)) {
                    if (task && task->runId() == record.runId) {
                        task->addUsage(record);
                        break;
                    }
                }
            });
    d->graceTimer.setSingleShot(true);
    connect(&d->graceTimer, &QTimer::timeout, this, [this] {
        for (const QPointer<Private::Task> &task : std::as_const(d->tasks))
            if (task)
                task->stop();
    });
    d->server = new SocketHttpServer(
        [this](const QHttpServerRequest &request, QTcpSocket *socket) {
            // nlohmann::json throws on surprises; nothing may escape into Qt's event loop.
            try {
                d->handle(request, socket);
            } catch (const std::exception &e) {
                writeResponse(socket, 500, "application/json",
                              dump(Json{{"code", "internal_server_error"},
                                        {"message", e.what()},
                                        {"status", 500}}));
            }
        },
        this);
}

DifyServer::~DifyServer()
{
    // Before the private part goes: no request may arrive, and every task (running or about to
    // be deleted later) goes while the ledger and the store it uses still exist.
    delete d->server;
    d->server = nullptr;
    d->tasks.clear();
    const QObjectList children = this->children();
    for (QObject *child : children)
        if (auto *task = dynamic_cast<Private::Task *>(child))
            delete task;
}

Result<quint16> DifyServer::listen(const QHostAddress &address, quint16 port)
{
    if (d->options.apiKey.isEmpty() && !address.isLoopback())
        return makeError(QStringLiteral("serve.insecure"),
                         QCoreApplication::translate(
                             "flowbench::serve::DifyServer",
                             "refusing to listen on %1 without an API key: give --api-key, or "
                             "listen on 127.0.0.1")
                             .arg(address.toString()));
    // Our own QTcpServer, bound to the HTTP server: portable to Qt versions without listen().
    auto *tcp = new QTcpServer;
    if (!tcp->listen(address, port)) {
        const QString why = tcp->errorString();
        delete tcp;
        return makeError(QStringLiteral("serve.listen"),
                         QCoreApplication::translate("flowbench::serve::DifyServer",
                                                     "cannot listen on %1:%2: %3")
                             .arg(address.toString())
                             .arg(port)
                             .arg(why));
    }
    d->server->bind(tcp);
    d->listeners.append(tcp);
    if (d->port == 0)
        d->port = tcp->serverPort();
    return tcp->serverPort();
}

quint16 DifyServer::port() const
{
    return d->port;
}

void DifyServer::shutdown()
{
    if (d->shuttingDown)
        return;
    d->shuttingDown = true;
    for (const QPointer<QTcpServer> &tcp : std::as_const(d->listeners))
        if (tcp)
            tcp->close();
    if (!d->tasks.isEmpty())
        d->graceTimer.start(d->options.shutdownGraceMs);
    d->checkDrained();
}

bool DifyServer::isShuttingDown() const
{
    return d->shuttingDown;
}

int DifyServer::runningCount() const
{
    return int(d->tasks.size());
}

metering::TokenMetrics &DifyServer::metrics()
{
    return d->metrics;
}

} // namespace flowbench::serve

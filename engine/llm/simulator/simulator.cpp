#include "simulator.h"

#include "simembeddings.h"
#include "simulatorrules.h"

#include "core/sockethttp.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHttpServerRequest>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <array>
#include <cmath>
#include <cstring>
#include <functional>
#include <map>

// How the simulator answers, and why it is built this way:
//
// It subclasses QAbstractHttpServer rather than using QHttpServer's router: handleRequest() hands
// over the QTcpSocket of each request, which is what a streaming server needs. Responses are
// written straight to that socket (status line, headers, Content-Length or hand-made chunked
// encoding with the terminating 0-chunk; QHttpServer 6.4 would never end a stream by itself).
// QAbstractHttpServer deleteLater()s a socket once it disconnects, so a generation holds it in a
// QPointer, listens to QTcpSocket::disconnected and checks the state before every write: a client
// that closes the connection stops the generation at once, as vLLM aborts a request whose client
// went away. Generation is paced by a QTimer, one token per tick, so the event loop stays free.
namespace flowbench::llm {

namespace {

using http::chunk;
using http::Headers;
using http::kChunkedEnd;
using http::SocketHttpServer;
using http::writeAll;
using http::writeResponse;
using sim::OJson;

// vLLM's error type names by status (serve/exception_handling/error_response.py), plus names in
// the same style for statuses vLLM itself never sends (a proxy in front of it would).
QString errorType(int status)
{
    switch (status) {
    case 400:
        return QStringLiteral("BadRequestError");
    case 404:
        return QStringLiteral("NotFoundError");
    case 422:
        return QStringLiteral("UnprocessableEntityError");
    case 429:
        return QStringLiteral("TooManyRequestsError");
    case 501:
        return QStringLiteral("NotImplementedError");
    case 503:
        return QStringLiteral("ServiceUnavailableError");
    default:
        return status >= 500 ? QStringLiteral("InternalServerError")
                             : QStringLiteral("BadRequestError");
    }
}

QByteArray dump(const OJson &value)
{
    return QByteArray::fromStdString(value.dump(-1, ' ', false, OJson::error_handler_t::replace));
}

std::string str(const QString &s)
{
    return s.toStdString();
}

bool writeJson(QTcpSocket *socket, int status, const OJson &body, const Headers &extra = {})
{
    return writeResponse(socket, status, "application/json", dump(body), extra);
}

bool writeError(QTcpSocket *socket, const sim::HttpError &error, const Headers &extra = {})
{
    return writeJson(socket, error.status, error.toJson(), extra);
}

QByteArray sseEvent(const QByteArray &json)
{
    return chunk("data: " + json + "\n\n");
}

QByteArray promLabel(const QString &value)
{
    QByteArray v = value.toUtf8();
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return v;
}

// Python's repr of a float, which prometheus_client uses: 3.0, 0.25.
QByteArray promNumber(double value)
{
    if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15)
        return QByteArray::number(qint64(value)) + ".0";
    return QByteArray::number(value, 'g', 15);
}

constexpr std::array<double, 16> kTtftBuckets
    = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0};

} // namespace

struct Simulator::Private
{
    class Generation;

    Simulator *q = nullptr;
    Config config;
    Faults faults;
    bool faultsArmed = false;
    SocketHttpServer *server = nullptr;
    quint16 port = 0;
    QElapsedTimer sinceListen;
    qint64 createdAt = QDateTime::currentSecsSinceEpoch();

    qint64 generated = 0;
    int requests = 0;
    QByteArray lastBody;

    // /metrics
    qint64 promptTokensTotal = 0;
    int running = 0;
    std::map<QByteArray, qint64> finished; // finished_reason -> count
    std::array<qint64, kTtftBuckets.size()> ttftBuckets{};
    qint64 ttftCount = 0;
    double ttftSum = 0;

    QList<QPointer<QObject>> generations;

    ~Private();

    void handle(const QHttpServerRequest &request, QTcpSocket *socket);
    bool authorized(const QHttpServerRequest &request) const;
    bool loading() const
    {
        return config.loadingForMs > 0 && sinceListen.isValid()
               && sinceListen.elapsed() < config.loadingForMs;
    }
    void answerLoading(QTcpSocket *socket) const;
    Faults takeFaults();
    void models(QTcpSocket *socket) const;
    void metrics(QTcpSocket *socket) const;
    void tokenize(const QHttpServerRequest &request, QTcpSocket *socket) const;
    void chat(const QHttpServerRequest &request, QTcpSocket *socket);
    void recordTtft(double seconds);
};

// One chat completion being generated, streamed or not. Owns nothing but its timer; deletes
// itself (deleteLater) once it has answered or its client has gone.
class Simulator::Private::Generation final : public QObject
{
public:
    struct Setup
    {
        QString id;
        QString model;
        qint64 created = 0;
        bool stream = false;
        bool includeUsage = false;
        bool continuousUsage = false;
        bool includeReasoning = true;
        bool closeAfter = false;
        int promptTokens = 0;
        int maxTokens = 0;
        sim::ReplyPlan plan;
        Faults faults;
        bool faultsArmed = false;
    };

    Generation(Private *sim, QTcpSocket *socket, Setup setup)
        : m_sim(sim)
        , m_socket(socket)
        , m_setup(std::move(setup))
    {
        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, [this] { tick(); });
        connect(socket, &QTcpSocket::disconnected, this, [this] { stop("abort"); });
        m_clock.start();
    }

    // Deleted before it finished (the simulator goes away): count it as aborted.
    ~Generation() override { account("abort"); }

    void start()
    {
        ++m_sim->running;
        m_sim->promptTokensTotal += m_setup.promptTokens;
        if (m_setup.stream) {
            // Like Starlette's StreamingResponse: the status goes out at once, the body after
            // the first token. Later failures can only be events inside this 200 stream.
            const QByteArray head = "HTTP/1.1 200 OK\r\n"
                                    "content-type: text/event-stream; charset=utf-8\r\n"
                                    "transfer-encoding: chunked\r\n\r\n";
            if (!writeAll(m_socket, head)) {
                stop("abort");
                return;
            }
        }
        m_timer.start(m_sim->config.timeToFirstTokenMs);
    }

private:
    bool connected() const
    {
        return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
    }

    int intervalMs() const
    {
        const double tps = m_sim->config.tokensPerSecond;
        return tps > 0 ? int(std::lround(1000.0 / tps)) : 0;
    }

    void account(const char *reason)
    {
        if (m_done)
            return;
        m_done = true;
        m_timer.stop();
        --m_sim->running;
        ++m_sim->finished[reason];
    }

    void stop(const char *reason)
    {
        if (m_done)
            return;
        account(reason);
        deleteLater();
    }

    void endConnectionIfAsked()
    {
        if (m_setup.closeAfter && connected())
            m_socket->disconnectFromHost();
    }

    // Faults apply just before token number `m_produced + 1` would be generated.
    bool applyFaults()
    {
        if (!m_setup.faultsArmed)
            return false;
        const Faults &f = m_setup.faults;
        if (f.disconnectAfterTokens >= 0 && m_produced >= f.disconnectAfterTokens) {
            // A close after what was written (abort() would drop unsent bytes and make the
            // count the client sees depend on timing).
            m_socket->flush();
            m_socket->disconnectFromHost();
            stop("abort");
            return true;
        }
        if (f.garbageAfterTokens >= 0 && m_produced >= f.garbageAfterTokens) {
            static const QByteArray garbage = "\xff\xfe<html><body>502 Bad Gateway</body></html>"
                                              "\x00\x01 {not json\n\n";
            if (m_setup.stream)
                writeAll(m_socket, chunk(garbage) + kChunkedEnd);
            else
                writeResponse(m_socket, 200, "application/json", garbage);
            endConnectionIfAsked();
            stop("abort");
            return true;
        }
        if (f.stallAfterTokens >= 0 && m_produced >= f.stallAfterTokens) {
            // Keep the request (and the connection) open without another byte: the client has
            // to time out or cancel. The disconnect then ends this generation.
            m_stalled = true;
            return true;
        }
        if (f.errorEventInStream && m_produced >= 1) {
            sim::HttpError error{500,
                                 QStringLiteral("InternalServerError"),
                                 QStringLiteral("Internal server error"),
                                 {}};
            if (m_setup.stream)
                writeAll(m_socket,
                         sseEvent(dump(error.toJson())) + sseEvent("[DONE]") + kChunkedEnd);
            else
                writeError(m_socket, error);
            endConnectionIfAsked();
            stop("abort");
            return true;
        }
        return false;
    }

    OJson chunkHead() const
    {
        OJson j;
        j["id"] = str(m_setup.id);
        j["object"] = "chat.completion.chunk";
        j["created"] = m_setup.created;
        j["model"] = str(m_setup.model);
        return j;
    }

    OJson usage(bool withDetails) const
    {
        OJson u;
        u["prompt_tokens"] = m_setup.promptTokens;
        u["total_tokens"] = m_setup.promptTokens + m_produced;
        u["completion_tokens"] = m_produced;
        if (withDetails)
            u["prompt_tokens_details"] = nullptr;
        return u;
    }

    // A choice chunk in the layout of vLLM's stream generator (see sse-examples.txt).
    QByteArray choiceChunk(const OJson &delta, const char *finishReason) const
    {
        OJson choice;
        choice["index"] = 0;
        choice["delta"] = delta;
        choice["logprobs"] = nullptr;
        choice["finish_reason"] = finishReason ? OJson(finishReason) : OJson(nullptr);
        if (finishReason)
            choice["stop_reason"] = nullptr;
        choice["token_ids"] = nullptr;
        OJson j = chunkHead();
        j["choices"] = OJson::array({choice});
        if (m_setup.continuousUsage)
            j["usage"] = usage(false);
        return sseEvent(dump(j));
    }

    QByteArray roleChunk() const
    {
        OJson delta;
        delta["role"] = "assistant";
        delta["content"] = "";
        OJson choice;
        choice["index"] = 0;
        choice["delta"] = delta;
        choice["logprobs"] = nullptr;
        choice["finish_reason"] = nullptr;
        OJson j = chunkHead();
        j["choices"] = OJson::array({choice});
        if (m_setup.continuousUsage)
            j["usage"] = usage(false);
        j["prompt_token_ids"] = nullptr;
        return sseEvent(dump(j));
    }

    OJson toolDelta(const sim::PlannedToken &token) const
    {
        OJson call;
        if (token.kind == sim::PlannedToken::Kind::ToolName) {
            call["id"] = str(m_setup.plan.toolCalls[size_t(token.toolIndex)].id);
            call["type"] = "function";
            call["index"] = token.toolIndex;
            call["function"] = OJson{{"name", str(token.text)}};
        } else {
            call["index"] = token.toolIndex;
            call["function"] = OJson{{"arguments", str(token.text)}};
        }
        OJson delta;
        delta["tool_calls"] = OJson::array({call});
        return delta;
    }

    bool visible(const sim::PlannedToken &token) const
    {
        using Kind = sim::PlannedToken::Kind;
        switch (token.kind) {
        case Kind::Reasoning:
            return m_setup.includeReasoning;
        case Kind::Content:
        case Kind::ToolName:
        case Kind::ToolArguments:
            return true;
        case Kind::Hidden:
        case Kind::Eos:
            return false;
        }
        return false;
    }

    const char *naturalFinish() const
    {
        return !m_setup.plan.toolCalls.empty() && !m_setup.plan.namedToolChoice ? "tool_calls"
                                                                                : "stop";
    }

    void tick()
    {
        if (m_done || m_stalled)
            return;
        if (!connected()) {
            stop("abort");
            return;
        }
        if (applyFaults())
            return;
        if (m_setup.stream && !m_roleSent) {
            if (!writeAll(m_socket, roleChunk())) {
                stop("abort");
                return;
            }
            m_roleSent = true;
        }

        const auto &tokens = m_setup.plan.tokens;
        const sim::PlannedToken &token = tokens[m_next++];
        ++m_produced;
        ++m_sim->generated;
        if (m_produced == 1)
            m_sim->recordTtft(double(m_clock.elapsed()) / 1000.0);

        const bool eos = token.kind == sim::PlannedToken::Kind::Eos;
        const bool last = eos || m_next >= tokens.size() || m_produced >= m_setup.maxTokens;
        const char *finishReason = !last ? nullptr : eos ? naturalFinish() : "length";

        if (m_setup.stream)
            streamToken(token, finishReason);
        else
            collect(token);
        if (m_done)
            return;
        if (last) {
            if (m_setup.stream)
                finishStream();
            else
                finishResponse(finishReason);
            endConnectionIfAsked();
            stop(std::strcmp(finishReason, "length") == 0 ? "length" : "stop");
            return;
        }
        m_timer.start(intervalMs());
    }

    void streamToken(const sim::PlannedToken &token, const char *finishReason)
    {
        using Kind = sim::PlannedToken::Kind;
        QByteArray out;
        if (visible(token)) {
            OJson delta;
            if (token.kind == Kind::Reasoning)
                delta["reasoning"] = str(token.text);
            else if (token.kind == Kind::Content)
                delta["content"] = str(token.text);
            else
                delta = toolDelta(token);
            out = choiceChunk(delta, finishReason);
        } else if (finishReason) {
            // The EOS (or a hidden token that hit the limit) still ends the choice, with an
            // empty delta: {} after tool calls, {"content": ""} otherwise.
            OJson delta = OJson::object();
            if (m_setup.plan.toolCalls.empty())
                delta["content"] = "";
            out = choiceChunk(delta, finishReason);
        }
        if (!out.isEmpty() && !writeAll(m_socket, out))
            stop("abort");
    }

    void finishStream()
    {
        QByteArray out;
        if (m_setup.includeUsage) {
            OJson j = chunkHead();
            j["choices"] = OJson::array();
            j["usage"] = usage(false);
            out += sseEvent(dump(j));
        }
        out += sseEvent("[DONE]") + kChunkedEnd;
        writeAll(m_socket, out);
    }

    void collect(const sim::PlannedToken &token)
    {
        using Kind = sim::PlannedToken::Kind;
        switch (token.kind) {
        case Kind::Reasoning:
            m_reasoning += token.text;
            m_hasReasoning = true;
            break;
        case Kind::Content:
            m_content += token.text;
            m_hasContent = true;
            break;
        case Kind::ToolName:
            m_callsStarted = std::max(m_callsStarted, token.toolIndex + 1);
            break;
        case Kind::ToolArguments:
            m_arguments[token.toolIndex] += token.text;
            break;
        case Kind::Hidden:
        case Kind::Eos:
            break;
        }
    }

    void finishResponse(const char *finishReason)
    {
        OJson message;
        message["role"] = "assistant";
        message["content"] = m_hasContent ? OJson(str(m_content)) : OJson(nullptr);
        message["refusal"] = nullptr;
        message["annotations"] = nullptr;
        message["audio"] = nullptr;
        message["function_call"] = nullptr;
        OJson calls = OJson::array();
        for (int i = 0; i < m_callsStarted; ++i) {
            const sim::PlannedToolCall &call = m_setup.plan.toolCalls[size_t(i)];
            OJson c;
            c["id"] = str(call.id);
            c["type"] = "function";
            c["function"] = OJson{{"name", str(call.name)}, {"arguments", str(m_arguments[i])}};
            calls.push_back(c);
        }
        message["tool_calls"] = calls;
        message["reasoning"]
            = m_hasReasoning && m_setup.includeReasoning ? OJson(str(m_reasoning)) : OJson(nullptr);
        OJson choice;
        choice["index"] = 0;
        choice["message"] = message;
        choice["logprobs"] = nullptr;
        choice["finish_reason"] = finishReason;
        choice["stop_reason"] = nullptr;
        choice["token_ids"] = nullptr;
        OJson j;
        j["id"] = str(m_setup.id);
        j["object"] = "chat.completion";
        j["created"] = m_setup.created;
        j["model"] = str(m_setup.model);
        j["choices"] = OJson::array({choice});
        j["service_tier"] = nullptr;
        j["system_fingerprint"] = nullptr;
        j["usage"] = usage(true);
        j["prompt_logprobs"] = nullptr;
        j["prompt_token_ids"] = nullptr;
        j["kv_transfer_params"] = nullptr;
        writeJson(m_socket, 200, j);
    }

    Private *m_sim;
    QPointer<QTcpSocket> m_socket;
    Setup m_setup;
    QTimer m_timer;
    QElapsedTimer m_clock;
    size_t m_next = 0;
    int m_produced = 0;
    bool m_roleSent = false;
    bool m_stalled = false;
    bool m_done = false;
    // Non-streamed answers are collected here.
    QString m_content;
    QString m_reasoning;
    bool m_hasContent = false;
    bool m_hasReasoning = false;
    int m_callsStarted = 0;
    std::map<int, QString> m_arguments;
};

Simulator::Private::~Private()
{
    // Generations first: they report into this object while they go.
    for (const QPointer<QObject> &g : std::as_const(generations))
        delete g.data();
    delete server;
}

void Simulator::Private::recordTtft(double seconds)
{
    ++ttftCount;
    ttftSum += seconds;
    for (size_t i = 0; i < kTtftBuckets.size(); ++i) {
        if (seconds <= kTtftBuckets[i])
            ++ttftBuckets[i];
    }
}

bool Simulator::Private::authorized(const QHttpServerRequest &request) const
{
    if (config.apiKey.isEmpty())
        return true;
    const QByteArray expected = "Bearer " + config.apiKey.toUtf8();
    for (const auto &[name, value] : request.headers()) {
        if (name.compare("authorization", Qt::CaseInsensitive) == 0)
            return value == expected;
    }
    return false;
}

void Simulator::Private::answerLoading(QTcpSocket *socket) const
{
    const sim::HttpError error{503, errorType(503), QStringLiteral("Loading model"), {}};
    writeError(socket, error);
}

Simulator::Faults Simulator::Private::takeFaults()
{
    if (!faultsArmed)
        return {};
    const Faults taken = faults;
    if (faults.count > 0 && --faults.count == 0) {
        faults = {};
        faultsArmed = false;
    }
    return taken;
}

void Simulator::Private::handle(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QString path = request.url().path();
    const auto method = request.method();
    ++requests;
    if (method != QHttpServerRequest::Method::Get)
        lastBody = request.body();
    Q_EMIT q->requestReceived(path);

    const bool get = method == QHttpServerRequest::Method::Get;
    const bool post = method == QHttpServerRequest::Method::Post;
    auto methodNotAllowed = [socket] {
        writeJson(socket, 405, OJson{{"detail", "Method Not Allowed"}});
    };

    // vLLM's --api-key guards /v1 only; /health, /metrics, /tokenize stay open.
    if (path.startsWith(QLatin1String("/v1/")) && !authorized(request)) {
        writeJson(socket, 401, OJson{{"error", "Unauthorized"}});
        return;
    }
    if (path == QLatin1String("/metrics") || path == QLatin1String("/version")) {
        if (!get)
            return methodNotAllowed();
        if (path == QLatin1String("/metrics"))
            metrics(socket);
        else
            writeJson(socket, 200, OJson{{"version", "0.17.1"}});
        return;
    }
    const bool known = path == QLatin1String("/health") || path == QLatin1String("/v1/models")
                       || path == QLatin1String("/v1/chat/completions")
                       || path == QLatin1String("/tokenize")
                       || path == QLatin1String("/v1/embeddings");
    if (!known) {
        writeJson(socket, 404, OJson{{"detail", "Not Found"}});
        return;
    }
    if (loading()) {
        answerLoading(socket);
        return;
    }
    if (path == QLatin1String("/health")) {
        if (!get)
            return methodNotAllowed();
        writeResponse(socket, 200, QByteArray(), QByteArray());
    } else if (path == QLatin1String("/v1/models")) {
        if (!get)
            return methodNotAllowed();
        models(socket);
    } else if (path == QLatin1String("/tokenize")) {
        if (!post)
            return methodNotAllowed();
        tokenize(request, socket);
    } else if (path == QLatin1String("/v1/embeddings")) {
        if (!post)
            return methodNotAllowed();
        const sim::EmbeddingsAnswer answer = sim::answerEmbeddings(request.body(), config.model);
        writeJson(socket, answer.status, answer.body);
    } else {
        if (!post)
            return methodNotAllowed();
        chat(request, socket);
    }
}

void Simulator::Private::models(QTcpSocket *socket) const
{
    OJson permission;
    permission["id"] = str(sim::randomHexId(QStringLiteral("modelperm-")));
    permission["object"] = "model_permission";
    permission["created"] = createdAt;
    permission["allow_create_engine"] = false;
    permission["allow_sampling"] = true;
    permission["allow_logprobs"] = true;
    permission["allow_search_indices"] = false;
    permission["allow_view"] = true;
    permission["allow_fine_tuning"] = false;
    permission["organization"] = "*";
    permission["group"] = nullptr;
    permission["is_blocking"] = false;
    OJson card;
    card["id"] = str(config.model);
    card["object"] = "model";
    card["created"] = createdAt;
    card["owned_by"] = "vllm";
    card["root"] = str(config.model);
    card["parent"] = nullptr;
    card["max_model_len"] = config.maxModelLen;
    card["permission"] = OJson::array({permission});
    OJson list;
    list["object"] = "list";
    list["data"] = OJson::array({card});
    writeJson(socket, 200, list);
}

void Simulator::Private::metrics(QTcpSocket *socket) const
{
    const QByteArray labels = "engine=\"0\",model_name=\"" + promLabel(config.model) + "\"";
    QByteArray out;
    auto metric = [&](const char *name, const char *type, const char *help, double value) {
        out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
        out += QByteArray(name) + '{' + labels + "} " + promNumber(value) + '\n';
    };
    metric("vllm:num_requests_running", "gauge", "Number of requests in model execution batches.",
           running);
    metric("vllm:num_requests_waiting", "gauge", "Number of requests waiting to be processed.", 0);
    metric("vllm:kv_cache_usage_perc", "gauge", "KV-cache usage. 1 means 100 percent usage.",
           running > 0 ? 0.01 * running : 0);
    metric("vllm:prompt_tokens_total", "counter", "Number of prefill tokens processed.",
           double(promptTokensTotal));
    metric("vllm:generation_tokens_total", "counter", "Number of generation tokens processed.",
           double(generated));

    out += "# HELP vllm:request_success_total Count of successfully processed requests.\n"
           "# TYPE vllm:request_success_total counter\n";
    for (const char *reason : {"stop", "length", "abort"}) {
        const auto it = finished.find(reason);
        out += "vllm:request_success_total{engine=\"0\",finished_reason=\"" + QByteArray(reason)
               + "\",model_name=\"" + promLabel(config.model) + "\"} "
               + promNumber(double(it == finished.end() ? 0 : it->second)) + '\n';
    }

    out += "# HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.\n"
           "# TYPE vllm:time_to_first_token_seconds histogram\n";
    for (size_t i = 0; i < kTtftBuckets.size(); ++i) {
        out += "vllm:time_to_first_token_seconds_bucket{" + labels + ",le=\""
               + promNumber(kTtftBuckets[i]) + "\"} " + promNumber(double(ttftBuckets[i])) + '\n';
    }
    out += "vllm:time_to_first_token_seconds_bucket{" + labels + ",le=\"+Inf\"} "
           + promNumber(double(ttftCount)) + '\n';
    out += "vllm:time_to_first_token_seconds_count{" + labels + "} " + promNumber(double(ttftCount))
           + '\n';
    out += "vllm:time_to_first_token_seconds_sum{" + labels + "} " + promNumber(ttftSum) + '\n';
    writeResponse(socket, 200, "text/plain; version=0.0.4; charset=utf-8", out);
}

namespace {

// The request body as JSON, or vLLM's 400.
tl::expected<OJson, sim::HttpError> parseBody(const QByteArray &body)
{
    OJson json = OJson::parse(body.constData(), body.constData() + body.size(), nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return tl::unexpected(sim::HttpError{400,
                                             QStringLiteral("BadRequestError"),
                                             QStringLiteral("JSON decode error: the request body "
                                                            "must be a JSON object"),
                                             {}});
    return json;
}

std::optional<sim::HttpError> checkModel(const OJson &body, const QString &served)
{
    if (!body.contains("model") || body["model"].is_null())
        return std::nullopt; // vLLM falls back to the served model
    if (!body["model"].is_string())
        return sim::HttpError{400,
                              QStringLiteral("BadRequestError"),
                              QStringLiteral("model: Input should be a valid string"),
                              {}};
    const QString model = QString::fromStdString(body["model"].get<std::string>());
    if (model == served)
        return std::nullopt;
    return sim::HttpError{404, QStringLiteral("NotFoundError"),
                          QStringLiteral("The model `%1` does not exist.").arg(model),
                          QStringLiteral("model")};
}

sim::PromptOptions promptOptions(const OJson &body)
{
    sim::PromptOptions options;
    const OJson mm = body.value("mm_processor_kwargs", OJson());
    const OJson images = mm.is_object() ? mm.value("images_kwargs", OJson()) : OJson();
    if (images.is_object()) {
        if (images.contains("min_pixels") && images["min_pixels"].is_number())
            options.minPixels = images["min_pixels"].get<qint64>();
        if (images.contains("max_pixels") && images["max_pixels"].is_number())
            options.maxPixels = images["max_pixels"].get<qint64>();
    }
    return options;
}

// An optional integer field: nullopt when absent or null, an error when of the wrong type.
tl::expected<std::optional<qint64>, sim::HttpError> intField(const OJson &body, const char *name)
{
    if (!body.contains(name) || body[name].is_null())
        return std::optional<qint64>();
    if (!body[name].is_number_integer())
        return tl::unexpected(sim::HttpError{
            400,
            QStringLiteral("BadRequestError"),
            QStringLiteral("%1: Input should be a valid integer").arg(QLatin1String(name)),
            {}});
    return std::optional<qint64>(body[name].get<qint64>());
}

} // namespace

void Simulator::Private::tokenize(const QHttpServerRequest &request, QTcpSocket *socket) const
{
    auto body = parseBody(request.body());
    if (!body) {
        writeError(socket, body.error());
        return;
    }
    if (auto error = checkModel(*body, config.model)) {
        writeError(socket, *error);
        return;
    }
    std::vector<int> ids;
    if (body->contains("messages")) {
        sim::PromptOptions options = promptOptions(*body);
        options.addGenerationPrompt = body->value("add_generation_prompt", OJson(true)) != false;
        auto info = sim::analyzePrompt((*body)["messages"], body->value("tools", OJson()), options);
        if (!info) {
            writeError(socket, info.error());
            return;
        }
        ids = std::move(info->tokenIds);
    } else if (body->contains("prompt") && (*body)["prompt"].is_string()) {
        ids = sim::promptTextTokenIds(QString::fromStdString((*body)["prompt"].get<std::string>()));
    } else {
        writeError(socket, {400,
                            QStringLiteral("BadRequestError"),
                            QStringLiteral("Either `prompt` or `messages` is required."),
                            {}});
        return;
    }
    OJson out;
    out["count"] = ids.size();
    out["max_model_len"] = config.maxModelLen;
    out["tokens"] = ids;
    out["token_strs"] = nullptr;
    writeJson(socket, 200, out);
}

void Simulator::Private::chat(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const Faults faultsNow = takeFaults();
    const bool armed = faultsNow.count != 0
                       && (faultsNow.status != 0 || faultsNow.disconnectAfterTokens >= 0
                           || faultsNow.garbageAfterTokens >= 0 || faultsNow.stallAfterTokens >= 0
                           || faultsNow.errorEventInStream);
    if (armed && faultsNow.status != 0) {
        Headers headers;
        if (faultsNow.retryAfterSeconds >= 0
            && (faultsNow.status == 429 || faultsNow.status == 503))
            headers.append({"retry-after", QByteArray::number(faultsNow.retryAfterSeconds)});
        if (faultsNow.status == 401) {
            writeJson(socket, 401, OJson{{"error", "Unauthorized"}}, headers);
        } else {
            const sim::HttpError error{
                faultsNow.status,
                errorType(faultsNow.status),
                QStringLiteral("Simulated fault: HTTP %1").arg(faultsNow.status),
                {}};
            writeError(socket, error, headers);
        }
        return;
    }

    auto parsed = parseBody(request.body());
    if (!parsed) {
        writeError(socket, parsed.error());
        return;
    }
    const OJson &body = *parsed;
    auto fail = [socket](const QString &message, int status = 400, const QString &param = {}) {
        writeError(socket, {status, errorType(status), message, param});
    };
    if (auto error = checkModel(body, config.model)) {
        writeError(socket, *error);
        return;
    }
    const bool stream
        = body.value("stream", OJson(false)).is_boolean() && body.value("stream", false);
    const OJson streamOptions = body.value("stream_options", OJson());
    if (!streamOptions.is_null() && !stream)
        return fail(QStringLiteral("Stream options can only be defined when `stream=True`."));
    const OJson tools = body.value("tools", OJson());
    if (tools.is_array() && tools.empty())
        return fail(QStringLiteral("`tools` must not be an empty list when given."));

    auto prompt = sim::analyzePrompt(body.value("messages", OJson()), tools, promptOptions(body));
    if (!prompt) {
        writeError(socket, prompt.error());
        return;
    }
    if (prompt->images > config.maxImagesPerPrompt)
        return fail(QStringLiteral("At most %1 image(s) may be provided in one prompt.")
                        .arg(config.maxImagesPerPrompt));

    // max_completion_tokens wins over the deprecated max_tokens (openai-endpoints.md §0.8).
    auto maxCompletion = intField(body, "max_completion_tokens");
    auto maxTokensField = intField(body, "max_tokens");
    auto minTokensField = intField(body, "min_tokens");
    auto budgetField = intField(body, "thinking_token_budget");
    for (const auto *field : {&maxCompletion, &maxTokensField, &minTokensField, &budgetField}) {
        if (!*field) {
            writeError(socket, field->error());
            return;
        }
    }
    const int promptTokens = prompt->tokens();
    const std::optional<qint64> requested
        = maxCompletion->has_value() ? *maxCompletion : *maxTokensField;
    if (requested && *requested < 1)
        return fail(QStringLiteral("max_tokens must be at least 1, got %1.").arg(*requested));
    if (promptTokens >= config.maxModelLen)
        return fail(QStringLiteral("This model's maximum context length is %1 tokens. However, "
                                   "your request has %2 input tokens. Please reduce the length "
                                   "of the input messages.")
                        .arg(config.maxModelLen)
                        .arg(promptTokens));
    if (requested && promptTokens + *requested > config.maxModelLen)
        return fail(QStringLiteral("This model's maximum context length is %1 tokens. However, "
                                   "you requested %2 output tokens and your prompt contains %3 "
                                   "input tokens, for a total of %4 tokens. Please reduce the "
                                   "length of the input prompt or the number of requested "
                                   "output tokens.")
                        .arg(config.maxModelLen)
                        .arg(*requested)
                        .arg(promptTokens)
                        .arg(promptTokens + *requested));
    const int maxTokens = int(requested.value_or(config.maxModelLen - promptTokens));

    // Thinking only when asked for: enable_thinking true, or (as recent vLLM does) a
    // reasoning_effort other than "none" when enable_thinking is absent.
    sim::ReplyOptions replyOptions;
    const OJson kwargs = body.value("chat_template_kwargs", OJson());
    const OJson enable = kwargs.is_object() ? kwargs.value("enable_thinking", OJson()) : OJson();
    if (enable.is_boolean())
        replyOptions.thinking = enable.get<bool>();
    else if (body.contains("reasoning_effort") && body["reasoning_effort"].is_string())
        replyOptions.thinking = body["reasoning_effort"] != "none";
    replyOptions.thinkingBudget = budgetField->has_value() ? int(**budgetField) : -1;
    replyOptions.minTokens = int(minTokensField->value_or(0));
    if (body.value("ignore_eos", OJson(false)) == true)
        replyOptions.fillToTokens = maxTokens;
    auto plan = sim::planReply(body, *prompt, replyOptions);
    if (!plan) {
        writeError(socket, plan.error());
        return;
    }

    Generation::Setup setup;
    setup.id = sim::randomHexId(QStringLiteral("chatcmpl-"));
    setup.model = config.model;
    setup.created = QDateTime::currentSecsSinceEpoch();
    setup.stream = stream;
    // In vLLM include_usage defaults to true once stream_options is present.
    if (streamOptions.is_object()) {
        setup.includeUsage = streamOptions.value("include_usage", OJson(true)) == true;
        setup.continuousUsage
            = setup.includeUsage
              && streamOptions.value("continuous_usage_stats", OJson(false)) == true;
    }
    setup.includeReasoning = body.value("include_reasoning", OJson(true)) != false;
    setup.closeAfter = request.value("connection").compare("close", Qt::CaseInsensitive) == 0;
    setup.promptTokens = promptTokens;
    setup.maxTokens = maxTokens;
    setup.plan = std::move(*plan);
    setup.faults = faultsNow;
    setup.faultsArmed = armed;
    auto *generation = new Generation(this, socket, std::move(setup));
    generation->setParent(q);
    generations.removeIf([](const QPointer<QObject> &g) { return g.isNull(); });
    generations.append(generation);
    generation->start();
}

Simulator::Simulator(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    d->server = new SocketHttpServer(
        [this](const QHttpServerRequest &request, QTcpSocket *socket) {
            // nlohmann::json throws on surprises; nothing may escape into Qt's event loop.
            try {
                d->handle(request, socket);
            } catch (const std::exception &e) {
                writeError(
                    socket,
                    {500, QStringLiteral("InternalServerError"), QString::fromUtf8(e.what()), {}});
            }
        },
        nullptr);
}

Simulator::~Simulator() = default;

void Simulator::setConfig(const Config &config)
{
    d->config = config;
}

Simulator::Config Simulator::config() const
{
    return d->config;
}

void Simulator::setFaults(const Faults &faults)
{
    d->faults = faults;
    d->faultsArmed = faults.count != 0;
}

quint16 Simulator::listen(const QHostAddress &address, quint16 port)
{
    // Listen on our own QTcpServer and bind it: portable to Qt versions whose listen() is gone.
    auto *tcp = new QTcpServer;
    if (!tcp->listen(address, port)) {
        delete tcp;
        return 0;
    }
    d->server->bind(tcp);
    if (d->port == 0)
        d->port = tcp->serverPort();
    d->sinceListen.start();
    return tcp->serverPort();
}

quint16 Simulator::port() const
{
    return d->port;
}

qint64 Simulator::generatedTokens() const
{
    return d->generated;
}

int Simulator::requestCount() const
{
    return d->requests;
}

QByteArray Simulator::lastRequestBody() const
{
    return d->lastBody;
}

int Simulator::runningRequests() const
{
    return d->running;
}

} // namespace flowbench::llm

#include "chatclient.h"

#include "clientretry.h"
#include "sseparser.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <climits>
#include <cmath>
#include <map>

namespace flowbench::llm {

namespace {

constexpr qint64 kMaxRetryAfterMs = 300000;
// After [DONE] the reply normally ends at once; one that lingers is closed after this.
constexpr int kLingerMs = 5000;
// A rough prompt-size guess for the tokens-per-minute bucket, corrected by `usage` afterwards.
constexpr double kCharsPerToken = 4.0;
constexpr double kTokensPerMediaPart = 1000.0;

// Token buckets for one endpoint, shared by every client of that base URL (possibly on several
// threads). Reservations may drive a bucket negative: each caller is told how long to wait until
// its share has refilled, so callers queue up in order without a shared timer.
class RateLimiter
{
public:
    // Takes one request and `tokens` tokens; returns how many ms the caller must wait first.
    qint64 reserve(int requestsPerMinute, int tokensPerMinute, double tokens)
    {
        QMutexLocker locker(&m_mutex);
        const qint64 now = m_clock.elapsed();
        qint64 wait = 0;
        if (requestsPerMinute > 0) {
            // Bursts of one second's worth (at least one request): requests are spaced evenly.
            m_requests.configure(std::max(1.0, requestsPerMinute / 60.0),
                                 requestsPerMinute / 60000.0, now);
            wait = std::max(wait, m_requests.take(1.0, now));
        }
        if (tokensPerMinute > 0 && tokens > 0) {
            // A minute's worth of tokens may go at once; one request never needs more than that.
            m_tokens.configure(tokensPerMinute, tokensPerMinute / 60000.0, now);
            wait = std::max(wait, m_tokens.take(std::min<double>(tokens, tokensPerMinute), now));
        }
        return wait;
    }

    // A reservation that was not used (cancelled while waiting).
    void giveBack(double tokens)
    {
        QMutexLocker locker(&m_mutex);
        const qint64 now = m_clock.elapsed();
        m_requests.put(1.0, now);
        m_tokens.put(tokens, now);
    }

    // Corrects the token bucket once `usage` tells the real count (delta may be negative).
    void charge(double delta)
    {
        QMutexLocker locker(&m_mutex);
        m_tokens.put(-delta, m_clock.elapsed());
    }

private:
    struct Bucket
    {
        double level = 0;
        double capacity = 0;
        double perMs = 0;
        qint64 last = 0;
        bool started = false;

        void refill(qint64 now)
        {
            if (started)
                level = std::min(capacity, level + static_cast<double>(now - last) * perMs);
            last = now;
        }
        void configure(double newCapacity, double newPerMs, qint64 now)
        {
            refill(now);
            if (!started) {
                started = true;
                level = newCapacity;
            }
            capacity = newCapacity;
            perMs = newPerMs;
            level = std::min(level, capacity);
        }
        qint64 take(double amount, qint64 now)
        {
            refill(now);
            level -= amount;
            return level >= 0 || perMs <= 0 ? 0 : static_cast<qint64>(std::ceil(-level / perMs));
        }
        void put(double amount, qint64 now)
        {
            if (!started)
                return;
            refill(now);
            level = std::min(capacity, level + amount);
        }
    };

    QMutex m_mutex;
    QElapsedTimer m_clock = [] {
        QElapsedTimer clock;
        clock.start();
        return clock;
    }();
    Bucket m_requests;
    Bucket m_tokens;
};

std::shared_ptr<RateLimiter> limiterFor(const QUrl &baseUrl)
{
    // Kept for the whole process: a client per node run must still see the earlier requests.
    static QMutex mutex;
    static std::map<QString, std::shared_ptr<RateLimiter>> limiters;
    const QString key
        = baseUrl.adjusted(QUrl::StripTrailingSlash | QUrl::NormalizePathSegments).toString();
    QMutexLocker locker(&mutex);
    std::shared_ptr<RateLimiter> &limiter = limiters[key];
    if (!limiter)
        limiter = std::make_shared<RateLimiter>();
    return limiter;
}

double estimateTokens(const ChatRequest &request)
{
    double chars = 0;
    double media = 0;
    for (const Message &message : request.messages) {
        for (const ContentPart &part : message.parts) {
            if (part.kind == ContentPart::Kind::Text)
                chars += part.text.size();
            else
                ++media;
        }
        chars += message.reasoning.size();
        for (const ToolCall &call : message.toolCalls)
            chars += call.name.size() + call.arguments.size();
    }
    if (!request.tools.is_null())
        chars += static_cast<double>(request.tools.dump().size());
    return chars / kCharsPerToken + media * kTokensPerMediaPart + request.maxTokens.value_or(0);
}

QString excerpt(const QByteArray &bytes)
{
    QString text = QString::fromUtf8(bytes.left(200)).simplified();
    if (bytes.size() > 200)
        text += QStringLiteral("…");
    return text;
}

QString secondsText(int ms)
{
    return QString::number(ms / 1000.0, 'g', 3);
}

} // namespace

struct ChatClient::Private
{
    Private(ChatClient *client, QNetworkAccessManager *manager, EndpointConfig config);

    enum class Mode { Undecided, Sse, Plain };
    enum class Next { Begin, Send };

    void begin();
    void send();
    void onConnected();
    void onReadyRead();
    void onFinished();
    void onEvent(const SseEvent &event);
    void onTimeout(QTimer *timer);
    Mode decideMode() const;
    void feed(const QByteArray &bytes, bool end);
    void processUpdate(const ChatStreamDecoder::Update &update);
    void firstOutput();
    void succeedFromStream();
    void succeedFromBody(const ChatResult &result);
    void finishWith(ChatResult result);
    void failOrRetry(const ChatError &error, bool retryable);
    void fail(const ChatError &error);
    void dropReply(bool abort);
    void stopTimers();
    void releaseReservation();
    [[nodiscard]] QUrl chatUrl() const;
    [[nodiscard]] int retryDelay(const ChatError &error) const;
    [[nodiscard]] ChatResult partial() const;

    ChatClient *q;
    QPointer<QNetworkAccessManager> network;
    EndpointConfig endpoint;
    ChatRequest request;
    QByteArray body;
    QPointer<QNetworkReply> reply;
    QTimer connectTimer;
    QTimer firstTokenTimer;
    QTimer idleTimer;
    QTimer waitTimer; // retry backoff and rate-limit waits
    Next next = Next::Begin;
    SseParser parser;
    ChatStreamDecoder decoder;
    QByteArray plainBody;
    Mode mode = Mode::Undecided;
    QElapsedTimer clock; // since start()
    int attempt = 0;
    bool running = false;
    bool sent = false;
    bool connected = false;
    // Bumped whenever a request ends or starts, so that work still on the stack (a parser
    // dispatch loop, a slot that cancelled) can tell it is stale.
    quint64 generation = 0;
    quint64 feedGeneration = 0;
    qint64 ttft = -1; // also "a token has streamed": never retry after that
    std::shared_ptr<RateLimiter> limiter;
    bool waitingForLimiter = false;
    double reservedTokens = 0;
    double estimatedTokens = 0;
    ChatResult last;
};

ChatClient::Private::Private(ChatClient *client, QNetworkAccessManager *manager,
                             EndpointConfig config)
    : q(client)
    , network(manager)
    , endpoint(std::move(config))
    , parser([this](const SseEvent &event) { onEvent(event); })
{
    for (QTimer *timer : {&connectTimer, &firstTokenTimer, &idleTimer, &waitTimer}) {
        timer->setSingleShot(true);
        timer->setTimerType(Qt::PreciseTimer);
    }
    QObject::connect(&connectTimer, &QTimer::timeout, q, [this] { onTimeout(&connectTimer); });
    QObject::connect(&firstTokenTimer, &QTimer::timeout, q,
                     [this] { onTimeout(&firstTokenTimer); });
    QObject::connect(&idleTimer, &QTimer::timeout, q, [this] { onTimeout(&idleTimer); });
    QObject::connect(&waitTimer, &QTimer::timeout, q, [this] {
        if (next == Next::Begin)
            begin();
        else
            send();
    });
    if (endpoint.requestsPerMinute > 0 || endpoint.tokensPerMinute > 0)
        limiter = limiterFor(endpoint.baseUrl);
}

QUrl ChatClient::Private::chatUrl() const
{
    QUrl url = endpoint.baseUrl;
    QString path = url.path();
    if (!path.endsWith(QLatin1Char('/')))
        path += QLatin1Char('/');
    url.setPath(path + QStringLiteral("chat/completions"));
    return url;
}

void ChatClient::Private::begin()
{
    if (!running)
        return;
    if (limiter) {
        const double tokens = attempt == 0 ? estimatedTokens : 0;
        const qint64 wait
            = limiter->reserve(endpoint.requestsPerMinute, endpoint.tokensPerMinute, tokens);
        reservedTokens += tokens;
        if (wait > 0) {
            waitingForLimiter = true;
            next = Next::Send;
            waitTimer.start(static_cast<int>(std::min<qint64>(wait, INT_MAX)));
            return;
        }
    }
    send();
}

void ChatClient::Private::send()
{
    waitingForLimiter = false;
    if (!running)
        return;
    if (!network) {
        fail(makeChatError(ChatError::Kind::Unreachable,
                           ChatClient::tr("The network manager is gone.")));
        return;
    }
    parser.reset();
    decoder.reset();
    plainBody.clear();
    mode = Mode::Undecided;
    connected = false;
    sent = true;

    QNetworkRequest httpRequest(chatUrl());
    httpRequest.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    httpRequest.setRawHeader("Accept", request.stream ? "text/event-stream" : "application/json");
    if (!endpoint.apiKey.isEmpty())
        httpRequest.setRawHeader("Authorization", "Bearer " + endpoint.apiKey.toUtf8());
    httpRequest.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                             QNetworkRequest::AlwaysNetwork);
    httpRequest.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);

    QNetworkReply *newReply = network->post(httpRequest, body);
    reply = newReply;
    QObject::connect(newReply, &QNetworkReply::readyRead, q, [this] { onReadyRead(); });
    QObject::connect(newReply, &QNetworkReply::finished, q, [this] { onFinished(); });
    QObject::connect(newReply, &QNetworkReply::requestSent, q, [this] { onConnected(); });
    QObject::connect(newReply, &QNetworkReply::metaDataChanged, q, [this] { onConnected(); });
    QObject::connect(newReply, &QNetworkReply::uploadProgress, q, [this](qint64 bytesSent, qint64) {
        if (bytesSent > 0)
            onConnected();
    });
    if (endpoint.connectTimeoutMs > 0)
        connectTimer.start(endpoint.connectTimeoutMs);
    else
        onConnected();
}

void ChatClient::Private::onConnected()
{
    if (connected)
        return;
    connected = true;
    connectTimer.stop();
    // Servers send nothing while a request is queued or in prefill (§3.5): this is the only
    // limit until the first token, and it is long by default.
    if (endpoint.firstTokenTimeoutMs > 0)
        firstTokenTimer.start(endpoint.firstTokenTimeoutMs);
}

ChatClient::Private::Mode ChatClient::Private::decideMode() const
{
    const int status
        = reply ? reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() : 0;
    const QString type
        = reply ? reply->header(QNetworkRequest::ContentTypeHeader).toString() : QString();
    // A JSON body on a streamed request is an error, or a server that ignored `stream`.
    if (request.stream && status >= 200 && status < 300
        && !type.contains(QLatin1String("json"), Qt::CaseInsensitive))
        return Mode::Sse;
    return Mode::Plain;
}

void ChatClient::Private::onReadyRead()
{
    if (!reply)
        return;
    onConnected();
    if (mode == Mode::Undecided)
        mode = decideMode();
    const QByteArray bytes = reply->readAll();
    if (bytes.isEmpty())
        return;
    if (mode == Mode::Plain) {
        plainBody += bytes;
        // A non-streamed answer arrives whole: its first bytes end the wait for the "first
        // token", and from then on only an idle limit applies.
        firstTokenTimer.stop();
        if (endpoint.idleTimeoutMs > 0)
            idleTimer.start(endpoint.idleTimeoutMs);
        return;
    }
    // Any bytes, pings included, show the connection is alive once tokens flow.
    if (ttft >= 0 && endpoint.idleTimeoutMs > 0)
        idleTimer.start(endpoint.idleTimeoutMs);
    feed(bytes, false);
}

void ChatClient::Private::feed(const QByteArray &bytes, bool end)
{
    const quint64 generationNow = generation;
    feedGeneration = generation;
    parser.feed(bytes);
    if (end)
        parser.finish();
    if (generation != generationNow)
        return; // a slot ended or restarted the request while events were dispatched
    if (const std::optional<ChatError> &error = decoder.error()) {
        failOrRetry(*error, error->retryable());
        return;
    }
    if (decoder.isDone())
        succeedFromStream();
}

void ChatClient::Private::onEvent(const SseEvent &event)
{
    if (!running || generation != feedGeneration || decoder.isDone() || decoder.error())
        return;
    processUpdate(decoder.handle(event));
}

void ChatClient::Private::processUpdate(const ChatStreamDecoder::Update &update)
{
    if (update.hasOutput())
        firstOutput();
    if (!update.content.isEmpty() || !update.reasoning.isEmpty())
        Q_EMIT q->delta(update.content, update.reasoning);
}

void ChatClient::Private::firstOutput()
{
    if (ttft >= 0)
        return;
    ttft = clock.elapsed();
    firstTokenTimer.stop();
    if (endpoint.idleTimeoutMs > 0)
        idleTimer.start(endpoint.idleTimeoutMs);
}

void ChatClient::Private::onFinished()
{
    QNetworkReply *finished = reply;
    if (!finished)
        return;
    if (mode == Mode::Undecided)
        mode = decideMode();
    const QByteArray rest = finished->readAll();
    const int status = finished->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError networkError = finished->error();
    const QString errorString = finished->errorString();
    const QByteArray retryAfter = finished->rawHeader("Retry-After");
    dropReply(false);

    if (mode == Mode::Sse) {
        const quint64 generationNow = generation;
        feed(rest, true);
        if (generation != generationNow || !running)
            return;
        // §3.6: EOF before [DONE] is a failure, unless the choice had already finished (older
        // servers that send no [DONE]).
        if (decoder.hasFinishReason()) {
            succeedFromStream();
            return;
        }
        if (parser.unknownLines() > 0) {
            fail(makeChatError(ChatError::Kind::MalformedStream,
                               ChatClient::tr("The server sent bytes that are not server-sent "
                                              "events: %1")
                                   .arg(excerpt(parser.firstUnknownLine())),
                               status));
            return;
        }
        const QString message
            = networkError != QNetworkReply::NoError
                  ? ChatClient::tr("The connection broke before the stream ended: %1")
                        .arg(errorString)
                  : ChatClient::tr("The server closed the stream before it ended.");
        failOrRetry(makeChatError(ChatError::Kind::Unreachable, message), true);
        return;
    }

    plainBody += rest;
    if (status == 0) {
        const bool timeout = networkError == QNetworkReply::TimeoutError;
        failOrRetry(makeChatError(timeout ? ChatError::Kind::Timeout : ChatError::Kind::Unreachable,
                                  errorString),
                    true);
        return;
    }
    if (status < 200 || status >= 300) {
        const ChatError error = chatErrorFromHttp(status, plainBody, retryAfter);
        failOrRetry(error, error.retryable());
        return;
    }
    const Json json = Json::parse(plainBody.constBegin(), plainBody.constEnd(), nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        fail(makeChatError(
            ChatError::Kind::MalformedStream,
            ChatClient::tr("The server's answer is not JSON: %1").arg(excerpt(plainBody)), status));
        return;
    }
    if (const auto it = json.find("error"); it != json.end() && !it->is_null()) {
        fail(chatErrorFromStream(json));
        return;
    }
    const std::optional<ChatResult> result = chatResultFromJson(json);
    if (!result) {
        fail(makeChatError(
            ChatError::Kind::MalformedStream,
            ChatClient::tr("The server's answer is no chat completion: %1").arg(excerpt(plainBody)),
            status));
        return;
    }
    succeedFromBody(*result);
}

void ChatClient::Private::onTimeout(QTimer *timer)
{
    if (!running)
        return;
    if (timer == &connectTimer) {
        dropReply(true);
        const ChatError error = makeChatError(
            ChatError::Kind::Timeout,
            ChatClient::tr("Could not connect to %1 within %2 s.")
                .arg(endpoint.baseUrl.toDisplayString(), secondsText(endpoint.connectTimeoutMs)));
        failOrRetry(error, true); // a connection error: worth another try
    } else if (timer == &firstTokenTimer) {
        fail(makeChatError(ChatError::Kind::Timeout,
                           ChatClient::tr("The server sent no answer within %1 s.")
                               .arg(secondsText(endpoint.firstTokenTimeoutMs))));
    } else {
        fail(makeChatError(ChatError::Kind::Timeout,
                           ChatClient::tr("The stream stalled: nothing arrived for %1 s.")
                               .arg(secondsText(endpoint.idleTimeoutMs))));
    }
}

void ChatClient::Private::succeedFromStream()
{
    const quint64 generationNow = generation;
    processUpdate(decoder.flush());
    if (generation != generationNow || !running)
        return;
    finishWith(decoder.result());
}

void ChatClient::Private::succeedFromBody(const ChatResult &result)
{
    if (!result.content.isEmpty() || !result.reasoning.isEmpty() || !result.toolCalls.empty())
        firstOutput();
    if (!result.content.isEmpty() || !result.reasoning.isEmpty()) {
        const quint64 generationNow = generation;
        Q_EMIT q->delta(result.content, result.reasoning);
        if (generation != generationNow || !running)
            return;
    }
    finishWith(result);
}

void ChatClient::Private::finishWith(ChatResult result)
{
    dropReply(false);
    result.latencyMs = clock.elapsed();
    result.timeToFirstTokenMs = ttft;
    if (limiter && endpoint.tokensPerMinute > 0 && result.usage.present)
        limiter->charge(static_cast<double>(result.usage.totalTokens) - reservedTokens);
    reservedTokens = 0;
    running = false;
    ++generation;
    last = result;
    Q_EMIT q->finished(result);
}

int ChatClient::Private::retryDelay(const ChatError &error) const
{
    return retryDelayMs(error, attempt, endpoint.retryBaseDelayMs, kMaxRetryAfterMs);
}

void ChatClient::Private::failOrRetry(const ChatError &error, bool retryable)
{
    // Never after a token has streamed: the caller has shown it, and a new answer would differ.
    if (!running || ttft >= 0 || !retryable || attempt >= endpoint.maxRetries) {
        fail(error);
        return;
    }
    dropReply(true);
    ++attempt;
    const int delay = retryDelay(error);
    const quint64 generationNow = generation;
    Q_EMIT q->retrying(attempt, error, delay);
    if (generation != generationNow || !running)
        return;
    next = Next::Begin;
    waitTimer.start(delay);
}

void ChatClient::Private::fail(const ChatError &error)
{
    if (!running)
        return;
    waitTimer.stop();
    releaseReservation();
    dropReply(true); // closing the connection makes vLLM, llama.cpp and Ollama stop generating
    if (sent) {
        decoder.flush();
        last = partial();
    }
    running = false;
    ++generation;
    Q_EMIT q->failed(error);
}

void ChatClient::Private::releaseReservation()
{
    if (limiter && waitingForLimiter)
        limiter->giveBack(attempt == 0 ? estimatedTokens : 0);
    waitingForLimiter = false;
}

void ChatClient::Private::stopTimers()
{
    connectTimer.stop();
    firstTokenTimer.stop();
    idleTimer.stop();
}

void ChatClient::Private::dropReply(bool abort)
{
    stopTimers();
    QNetworkReply *old = reply;
    reply = nullptr;
    if (!old)
        return;
    QObject::disconnect(old, nullptr, q, nullptr);
    if (abort || !old->isRunning()) {
        old->abort();
        old->deleteLater();
        return;
    }
    // [DONE] arrived but the body has not formally ended: let it end, so the connection can be
    // reused, and close it if it does not.
    QObject::connect(old, &QNetworkReply::finished, old, &QObject::deleteLater);
    QTimer::singleShot(kLingerMs, old, [old] { old->abort(); });
}

ChatResult ChatClient::Private::partial() const
{
    ChatResult result = decoder.result();
    if (mode == Mode::Plain)
        result = ChatResult();
    result.latencyMs = clock.isValid() ? clock.elapsed() : 0;
    result.timeToFirstTokenMs = ttft;
    return result;
}

// --- ChatClient --------------------------------------------------------------------------------

ChatClient::ChatClient(QNetworkAccessManager *network, EndpointConfig endpoint, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, network, std::move(endpoint)))
{}

ChatClient::~ChatClient()
{
    // No signals from a dying client; just stop the server's work and free the limiter slot.
    d->waitTimer.stop();
    d->releaseReservation();
    d->dropReply(true);
    d->running = false;
}

void ChatClient::start(const ChatRequest &request)
{
    if (d->running)
        d->fail(
            makeChatError(ChatError::Kind::Cancelled, tr("Cancelled: a new request was started.")));
    d->request = request;
    d->body = QByteArray::fromStdString(
        request.toJson(d->endpoint.kind).dump(-1, ' ', false, Json::error_handler_t::replace));
    d->estimatedTokens = estimateTokens(request);
    d->reservedTokens = 0;
    d->clock.start();
    d->attempt = 0;
    d->ttft = -1;
    d->running = true;
    d->sent = false;
    d->last = ChatResult();
    ++d->generation;
    // Even the first attempt goes through the event loop, so that no signal is emitted from
    // inside start().
    d->next = Private::Next::Begin;
    d->waitTimer.start(0);
}

void ChatClient::cancel()
{
    if (!d->running)
        return;
    d->fail(makeChatError(ChatError::Kind::Cancelled, tr("Cancelled.")));
}

bool ChatClient::isRunning() const
{
    return d->running;
}

ChatResult ChatClient::result() const
{
    return d->running && d->sent ? d->partial() : d->last;
}

} // namespace flowbench::llm

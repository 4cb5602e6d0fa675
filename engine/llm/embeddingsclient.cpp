#include "embeddingsclient.h"

#include "clientretry.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <cstring>
#include <optional>

namespace flowbench::llm {

namespace {

constexpr qint64 kMaxRetryAfterMs = 120000;

QString excerpt(const QByteArray &bytes)
{
    QString text = QString::fromUtf8(bytes.left(200)).simplified();
    if (bytes.size() > 200)
        text += QStringLiteral("...");
    return text;
}

// One item's vector: a float array, or base64 of little-endian float32.
bool readVector(const Json &value, std::vector<float> *out)
{
    out->clear();
    if (value.is_array()) {
        out->reserve(value.size());
        for (const Json &x : value) {
            if (!x.is_number())
                return false;
            out->push_back(x.get<float>());
        }
        return true;
    }
    if (value.is_string()) {
        const QByteArray raw
            = QByteArray::fromBase64(QByteArray::fromStdString(value.get<std::string>()));
        if (raw.size() % qsizetype(sizeof(float)) != 0)
            return false;
        out->resize(std::size_t(raw.size()) / sizeof(float));
        std::memcpy(out->data(), raw.constData(), std::size_t(raw.size()));
        return true;
    }
    return false;
}

} // namespace

struct EmbeddingsClient::Private
{
    EmbeddingsClient *q = nullptr;
    QPointer<QNetworkAccessManager> network;
    EndpointConfig endpoint;
    int batchSize = 64;
    QString model;
    QStringList inputs;
    qsizetype nextInput = 0; // first input of the batch in flight
    qsizetype batchCount = 0;
    EmbeddingsResult result;
    QPointer<QNetworkReply> reply;
    QTimer connectTimer;
    QTimer answerTimer;
    QTimer waitTimer;
    int attempt = 0;
    bool running = false;
    bool sent = false;

    QUrl url() const
    {
        QUrl u = endpoint.baseUrl;
        QString path = u.path();
        if (!path.endsWith(QLatin1Char('/')))
            path += QLatin1Char('/');
        u.setPath(path + QStringLiteral("embeddings"));
        return u;
    }

    void dropReply()
    {
        connectTimer.stop();
        answerTimer.stop();
        if (QNetworkReply *r = reply.data()) {
            reply = nullptr;
            r->disconnect(q);
            r->abort();
            r->deleteLater();
        }
    }

    void send()
    {
        if (!running)
            return;
        if (!network) {
            fail(makeChatError(ChatError::Kind::Unreachable,
                               QCoreApplication::translate("flowbench::llm::EmbeddingsClient",
                                                           "The network manager is gone.")));
            return;
        }
        batchCount = std::min<qsizetype>(batchSize, inputs.size() - nextInput);
        Json input = Json::array();
        for (qsizetype i = 0; i < batchCount; ++i)
            input.push_back(inputs.at(nextInput + i).toStdString());
        Json body{{"input", std::move(input)}, {"encoding_format", "float"}};
        if (!model.isEmpty())
            body["model"] = model.toStdString();
        QNetworkRequest request(url());
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        request.setRawHeader("Accept", "application/json");
        if (!endpoint.apiKey.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + endpoint.apiKey.toUtf8());
        request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                             QNetworkRequest::AlwaysNetwork);
        request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
        sent = false;
        QNetworkReply *r = network->post(
            request,
            QByteArray::fromStdString(body.dump(-1, ' ', false, Json::error_handler_t::replace)));
        reply = r;
        QObject::connect(r, &QNetworkReply::finished, q, [this] { onFinished(); });
        const auto onSent = [this] {
            if (sent)
                return;
            sent = true;
            connectTimer.stop();
            if (endpoint.firstTokenTimeoutMs > 0)
                answerTimer.start(endpoint.firstTokenTimeoutMs);
        };
        QObject::connect(r, &QNetworkReply::requestSent, q, onSent);
        QObject::connect(r, &QNetworkReply::metaDataChanged, q, onSent);
        if (endpoint.connectTimeoutMs > 0)
            connectTimer.start(endpoint.connectTimeoutMs);
        else
            onSent();
    }

    void onFinished()
    {
        QNetworkReply *r = reply.data();
        if (!r)
            return;
        const QByteArray bytes = r->readAll();
        const int status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QNetworkReply::NetworkError networkError = r->error();
        const QString errorString = r->errorString();
        const QByteArray retryAfter = r->rawHeader("Retry-After");
        dropReply();
        if (status == 0) {
            failOrRetry(makeChatError(networkError == QNetworkReply::TimeoutError
                                          ? ChatError::Kind::Timeout
                                          : ChatError::Kind::Unreachable,
                                      errorString));
            return;
        }
        if (status < 200 || status >= 300) {
            failOrRetry(chatErrorFromHttp(status, bytes, retryAfter));
            return;
        }
        const Json json = Json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false);
        const auto data = json.is_object() ? json.find("data") : json.end();
        if (json.is_discarded() || !json.is_object() || data == json.end() || !data->is_array()) {
            if (json.is_object() && json.contains("error") && !json["error"].is_null()) {
                fail(chatErrorFromStream(json));
                return;
            }
            fail(makeChatError(ChatError::Kind::MalformedStream,
                               QCoreApplication::translate("flowbench::llm::EmbeddingsClient",
                                                           "The server's answer is no embeddings "
                                                           "list: %1")
                                   .arg(excerpt(bytes)),
                               status));
            return;
        }
        std::vector<std::vector<float>> batch(static_cast<std::size_t>(batchCount));
        std::vector<bool> seen(static_cast<std::size_t>(batchCount), false);
        std::size_t position = 0;
        for (const Json &item : *data) {
            std::size_t index = position++;
            if (item.is_object() && item.contains("index") && item["index"].is_number_integer())
                index = std::size_t(std::max<qint64>(0, item["index"].get<qint64>()));
            if (!item.is_object() || index >= batch.size() || seen[index]
                || !readVector(item.value("embedding", Json()), &batch[index])) {
                fail(makeChatError(ChatError::Kind::MalformedStream,
                                   QCoreApplication::translate("flowbench::llm::EmbeddingsClient",
                                                               "The server's embeddings list is "
                                                               "malformed: %1")
                                       .arg(excerpt(bytes)),
                                   status));
                return;
            }
            seen[index] = true;
        }
        if (std::find(seen.begin(), seen.end(), false) != seen.end()) {
            fail(makeChatError(ChatError::Kind::MalformedStream,
                               QCoreApplication::translate("flowbench::llm::EmbeddingsClient",
                                                           "The server sent %1 vectors for %2 "
                                                           "inputs.")
                                   .arg(data->size())
                                   .arg(batchCount),
                               status));
            return;
        }
        for (auto &v : batch)
            result.vectors.push_back(std::move(v));
        if (const auto it = json.find("model"); it != json.end() && it->is_string())
            result.model = QString::fromStdString(it->get<std::string>());
        if (const auto usage = json.find("usage"); usage != json.end() && usage->is_object()) {
            result.promptTokens += usage->value("prompt_tokens", 0);
            result.totalTokens += usage->value("total_tokens", 0);
        }
        nextInput += batchCount;
        attempt = 0;
        if (nextInput < inputs.size()) {
            send();
            return;
        }
        running = false;
        Q_EMIT q->finished(result);
    }

    void onTimeout(bool connecting)
    {
        if (!running)
            return;
        dropReply();
        if (connecting) {
            failOrRetry(
                makeChatError(ChatError::Kind::Timeout,
                              QCoreApplication::translate("flowbench::llm::EmbeddingsClient",
                                                          "Could not connect to %1 within %2 s.")
                                  .arg(endpoint.baseUrl.toDisplayString())
                                  .arg(endpoint.connectTimeoutMs / 1000.0)));
        } else {
            fail(makeChatError(ChatError::Kind::Timeout,
                               QCoreApplication::translate("flowbench::llm::EmbeddingsClient",
                                                           "The server sent no embeddings within "
                                                           "%1 s.")
                                   .arg(endpoint.firstTokenTimeoutMs / 1000.0)));
        }
    }

    void failOrRetry(const ChatError &error)
    {
        if (!error.retryable() || attempt >= endpoint.maxRetries) {
            fail(error);
            return;
        }
        ++attempt;
        waitTimer.start(retryDelayMs(error, attempt, endpoint.retryBaseDelayMs, kMaxRetryAfterMs));
    }

    void fail(const ChatError &error)
    {
        dropReply();
        waitTimer.stop();
        if (!running)
            return;
        running = false;
        Q_EMIT q->failed(error);
    }
};

EmbeddingsClient::EmbeddingsClient(QNetworkAccessManager *network, EndpointConfig endpoint,
                                   QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    qRegisterMetaType<EmbeddingsResult>();
    qRegisterMetaType<ChatError>();
    d->q = this;
    d->network = network;
    d->endpoint = std::move(endpoint);
    for (QTimer *timer : {&d->connectTimer, &d->answerTimer, &d->waitTimer})
        timer->setSingleShot(true);
    connect(&d->connectTimer, &QTimer::timeout, this, [this] { d->onTimeout(true); });
    connect(&d->answerTimer, &QTimer::timeout, this, [this] { d->onTimeout(false); });
    connect(&d->waitTimer, &QTimer::timeout, this, [this] { d->send(); });
}

EmbeddingsClient::~EmbeddingsClient()
{
    d->running = false;
    d->dropReply();
}

void EmbeddingsClient::setBatchSize(int size)
{
    d->batchSize = std::max(1, size);
}

void EmbeddingsClient::start(const QString &model, const QStringList &inputs)
{
    d->dropReply();
    d->waitTimer.stop();
    d->model = model;
    d->inputs = inputs;
    d->nextInput = 0;
    d->attempt = 0;
    d->result = EmbeddingsResult();
    d->running = true;
    if (inputs.isEmpty()) {
        // Nothing to send; still end asynchronously, like every other start().
        QTimer::singleShot(0, this, [this] {
            if (!d->running)
                return;
            d->running = false;
            Q_EMIT finished(d->result);
        });
        return;
    }
    d->send();
}

void EmbeddingsClient::cancel()
{
    if (!d->running)
        return;
    d->fail(makeChatError(ChatError::Kind::Cancelled,
                          QCoreApplication::translate("flowbench::llm::EmbeddingsClient",
                                                      "The embeddings request was cancelled.")));
}

bool EmbeddingsClient::isRunning() const
{
    return d->running;
}

Result<EmbeddingsResult> EmbeddingsClient::embed(const EndpointConfig &endpoint,
                                                 const QString &model, const QStringList &inputs)
{
    QNetworkAccessManager network;
    EmbeddingsClient client(&network, endpoint);
    QEventLoop loop;
    std::optional<Result<EmbeddingsResult>> answer;
    connect(&client, &EmbeddingsClient::finished, &loop, [&](const EmbeddingsResult &r) {
        answer = r;
        loop.quit();
    });
    connect(&client, &EmbeddingsClient::failed, &loop, [&](const ChatError &e) {
        answer = makeError(QStringLiteral("embeddings.") + e.kindName(), e.message);
        loop.quit();
    });
    client.start(model, inputs);
    if (!answer)
        loop.exec();
    return *answer;
}

} // namespace flowbench::llm

#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

#include "chatclient.h"
#include "chattypes.h"
#include "core/result.h"

class QNetworkAccessManager;

namespace flowbench::llm {

// What POST /v1/embeddings answered: one vector per input, in input order.
struct EmbeddingsResult
{
    QString model;
    std::vector<std::vector<float>> vectors;
    int promptTokens = 0;
    int totalTokens = 0;
};

// Embeds texts through an OpenAI-compatible POST <baseUrl>/embeddings (vLLM, llama.cpp's
// --embeddings, Ollama's /v1, OpenAI, the simulator). Inputs are sent in batches of at most
// batchSize strings (one request after another); the vectors come back in input order whatever
// order the server lists them in. Errors are ChatError, typed as the chat client types them
// (chatErrorFromHttp: unreachable, loading, auth, unknown model, rate limited, ...); connection
// errors, 503, 429 and 5xx are retried like chat requests (EndpointConfig::maxRetries,
// retryBaseDelayMs with jitter, honouring Retry-After). Timeouts: connectTimeoutMs until the
// request is sent, then firstTokenTimeoutMs for the whole answer. Exactly one of
// finished/failed ends a start(); cancel() ends it with failed(Cancelled).
// Signals come from the thread that owns the network manager.
//
//     EmbeddingsClient client(network, endpoint.config);
//     connect(&client, &EmbeddingsClient::finished, this, [](const EmbeddingsResult &r) { ... });
//     client.start(QStringLiteral("bge-m3"), {QStringLiteral("a text"), ...});
class EmbeddingsClient : public QObject
{
    Q_OBJECT

public:
    EmbeddingsClient(QNetworkAccessManager *network, EndpointConfig endpoint,
                     QObject *parent = nullptr);
    ~EmbeddingsClient() override;

    void setBatchSize(int size); // default 64
    void start(const QString &model, const QStringList &inputs);
    void cancel();
    [[nodiscard]] bool isRunning() const;

    // Embeds synchronously: runs a local event loop (with its own network manager) on the calling
    // thread until the answer is in. For worker threads and command-line tools; never on a GUI
    // thread. The error's code is "embeddings.<kind>" (ChatError::kindName()).
    static Result<EmbeddingsResult> embed(const EndpointConfig &endpoint, const QString &model,
                                          const QStringList &inputs);

Q_SIGNALS:
    void finished(const flowbench::llm::EmbeddingsResult &result);
    void failed(const flowbench::llm::ChatError &error);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace flowbench::llm

Q_DECLARE_METATYPE(flowbench::llm::EmbeddingsResult)

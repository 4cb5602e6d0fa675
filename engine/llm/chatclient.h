#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

#include "chattypes.h"

class QNetworkAccessManager;

namespace flowbench::llm {

// Where and how to reach one OpenAI-compatible server.
struct EndpointConfig
{
    QUrl baseUrl;   // ".../v1"
    QString apiKey; // sent as Bearer when not empty
    ServerKind kind = ServerKind::VLlm;
    int connectTimeoutMs = 10000;
    int firstTokenTimeoutMs = 600000; // servers send nothing while a request waits
    int idleTimeoutMs = 120000;       // between chunks once tokens flow
    int maxRetries = 3;               // connection errors, loading, 429, 5xx; never after a token
    int retryBaseDelayMs = 500;       // exponential backoff with jitter, capped at 30 s
    int requestsPerMinute = 0;        // token-bucket limits per endpoint; 0: none
    int tokensPerMinute = 0;
};

// Streams one chat completion. Signals come from the thread that owns the client's network
// manager. Exactly one of finished/failed ends a request. cancel() aborts the reply, which makes
// vLLM stop generating, and ends with failed(Cancelled).
//
//     ChatClient client(network, endpoint);
//     connect(&client, &ChatClient::delta, this, [](const QString &text, const QString &thinking) {
//     ... }); connect(&client, &ChatClient::finished, this, [](const ChatResult &r) {
//     r.usage.totalTokens; }); client.start(request);
class ChatClient : public QObject
{
    Q_OBJECT

public:
    ChatClient(QNetworkAccessManager *network, EndpointConfig endpoint, QObject *parent = nullptr);
    ~ChatClient() override;

    void start(const ChatRequest &request);
    void cancel();
    [[nodiscard]] bool isRunning() const;
    // The answer as rebuilt so far; after failed() the partial text that did arrive (§3.6:
    // keep it for display).
    [[nodiscard]] ChatResult result() const;

Q_SIGNALS:
    // New content and/or reasoning text (either may be empty), as it streams.
    void delta(const QString &content, const QString &reasoning);
    void retrying(int attempt, const flowbench::llm::ChatError &error, int delayMs);
    void finished(const flowbench::llm::ChatResult &result);
    void failed(const flowbench::llm::ChatError &error);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace flowbench::llm

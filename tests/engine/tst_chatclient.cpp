// The chat client against the vLLM simulator on loopback: answers, usage, reasoning, tool calls,
// every injected fault, retries, timeouts, the shared rate limiter and cancellation.
#include "llm/chatclient.h"
#include "llm/simulator/simulator.h"
#include "llm/simulator/simulatorrules.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>
#include <vector>

using namespace flowbench::llm;

namespace {

// One client with spies on every documented signal, and the streamed text it saw.
struct Harness
{
    Harness(QNetworkAccessManager *network, const EndpointConfig &endpoint)
        : client(network, endpoint)
        , finished(&client, &ChatClient::finished)
        , failed(&client, &ChatClient::failed)
        , retrying(&client, &ChatClient::retrying)
    {
        QObject::connect(&client, &ChatClient::delta, &client,
                         [this](const QString &text, const QString &thinking) {
                             content += text;
                             reasoning += thinking;
                             ++deltas;
                         });
    }

    bool wait(int timeoutMs = 15000)
    {
        return QTest::qWaitFor([this] { return finished.count() + failed.count() > 0; }, timeoutMs);
    }
    [[nodiscard]] ChatResult result() const { return finished.at(0).at(0).value<ChatResult>(); }
    [[nodiscard]] ChatError error() const { return failed.at(0).at(0).value<ChatError>(); }
    [[nodiscard]] ChatError retryError(int i) const
    {
        return retrying.at(i).at(1).value<ChatError>();
    }

    ChatClient client;
    QSignalSpy finished;
    QSignalSpy failed;
    QSignalSpy retrying;
    QString content;
    QString reasoning;
    int deltas = 0;
};

EndpointConfig endpointFor(const Simulator &simulator)
{
    EndpointConfig endpoint;
    endpoint.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(simulator.port()));
    endpoint.kind = ServerKind::Simulator;
    endpoint.retryBaseDelayMs = 20;
    endpoint.maxRetries = 3;
    endpoint.connectTimeoutMs = 5000;
    endpoint.firstTokenTimeoutMs = 10000;
    endpoint.idleTimeoutMs = 10000;
    return endpoint;
}

ChatRequest ask(const QString &text, bool stream = true)
{
    ChatRequest request;
    request.model = QStringLiteral("flowbench-sim");
    request.messages.push_back(
        Message::text(QStringLiteral("system"), QStringLiteral("Be brief.")));
    request.messages.push_back(Message::text(QStringLiteral("user"), text));
    request.stream = stream;
    return request;
}

// What the simulator will answer, from its own published rules.
sim::PromptInfo promptOf(const ChatRequest &request)
{
    const sim::OJson body = sim::OJson::parse(request.toJson(ServerKind::Simulator).dump());
    const auto info = sim::analyzePrompt(body["messages"],
                                         body.contains("tools") ? body["tools"] : sim::OJson(),
                                         sim::PromptOptions());
    return info ? *info : sim::PromptInfo();
}

Json lastBody(const Simulator &simulator)
{
    const QByteArray body = simulator.lastRequestBody();
    return Json::parse(body.constBegin(), body.constEnd(), nullptr, false);
}

ContentPart imagePart()
{
    ContentPart part;
    part.kind = ContentPart::Kind::ImageUrl;
    // A PNG signature and nothing else: the simulator accepts bytes it cannot decode.
    part.url = QStringLiteral("data:image/png;base64,iVBORw0KGgo=");
    return part;
}

} // namespace

class TestChatClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void streamedAnswer();
    void nonStreamedEqualsStreamed();
    void reasoningWithThinking();
    void toolCalls();
    void serverErrorRetriedThenSucceeds();
    void serverErrorGivesUp();
    void rateLimitedHonoursRetryAfter();
    void auth();
    void unknownModel();
    void tooManyImages();
    void contextTooLong();
    void disconnectMidStreamNotRetried();
    void disconnectBeforeFirstTokenRetried();
    void garbageIsMalformed();
    void stallHitsIdleTimeout();
    void silenceHitsFirstTokenTimeout();
    void errorEventInStream();
    void loadingRetriedUntilReady();
    void unreachable();
    void rateLimiterSpacesRequests();
    void tokenBucketWaitsAndIsCorrected();
    void cancelStopsGeneration();
    void cancelWhileWaitingForRetry();

private:
    QNetworkAccessManager m_network;
};

void TestChatClient::streamedAnswer()
{
    Simulator simulator;
    simulator.setConfig([] {
        Simulator::Config config;
        config.timeToFirstTokenMs = 150;
        return config;
    }());
    QVERIFY(simulator.listen());
    Harness h(&m_network, endpointFor(simulator));
    ChatRequest request = ask(QStringLiteral("Hello there"));
    request.maxTokens = 200;
    h.client.start(request);
    QVERIFY(h.client.isRunning());
    QVERIFY(h.wait());
    QCOMPARE(h.failed.count(), 0);
    QCOMPARE(h.finished.count(), 1);
    QVERIFY(!h.client.isRunning());

    const ChatResult r = h.result();
    QCOMPARE(r.content, QStringLiteral("Echo: Hello there This is a simulated reply."));
    QCOMPARE(r.content, sim::answerText(promptOf(request)));
    QCOMPARE(h.content, r.content); // the deltas add up to the answer
    QVERIFY(h.deltas > 3);
    QCOMPARE(r.reasoning, QString());
    QCOMPARE(r.finishReason, QStringLiteral("stop"));
    QVERIFY(r.id.startsWith(QLatin1String("chatcmpl-")));
    QCOMPARE(r.model, QStringLiteral("flowbench-sim"));
    QVERIFY(r.usage.present);
    QCOMPARE(r.usage.promptTokens, qint64(promptOf(request).tokens()));
    QCOMPARE(r.usage.completionTokens, qint64(sim::splitTokens(r.content).size() + 1)); // + EOS
    QCOMPARE(r.usage.totalTokens, r.usage.promptTokens + r.usage.completionTokens);
    QVERIFY2(r.timeToFirstTokenMs >= 140, qPrintable(QString::number(r.timeToFirstTokenMs)));
    QVERIFY(r.latencyMs >= r.timeToFirstTokenMs);

    // What went over the wire.
    const Json sent = lastBody(simulator);
    QVERIFY(sent.is_object());
    QVERIFY(sent["stream"] == true);
    QVERIFY(sent["stream_options"]["include_usage"] == true);
    QVERIFY(sent["max_completion_tokens"] == 200);
    QCOMPARE(h.client.result().content, r.content);

    QTest::qWait(50);
    QCOMPARE(h.finished.count() + h.failed.count(), 1); // exactly one end
}

void TestChatClient::nonStreamedEqualsStreamed()
{
    Simulator simulator;
    QVERIFY(simulator.listen());
    Harness streamed(&m_network, endpointFor(simulator));
    Harness plain(&m_network, endpointFor(simulator));
    streamed.client.start(ask(QStringLiteral("Compare both ways")));
    QVERIFY(streamed.wait());
    plain.client.start(ask(QStringLiteral("Compare both ways"), false));
    QVERIFY(plain.wait());
    QCOMPARE(plain.failed.count(), 0);
    QCOMPARE(streamed.failed.count(), 0);
    QVERIFY(!lastBody(simulator).contains("stream_options"));

    const ChatResult a = streamed.result();
    const ChatResult b = plain.result();
    QCOMPARE(b.content, a.content);
    QCOMPARE(b.reasoning, a.reasoning);
    QCOMPARE(b.finishReason, a.finishReason);
    QVERIFY(b.usage.present);
    QCOMPARE(b.usage.promptTokens, a.usage.promptTokens);
    QCOMPARE(b.usage.completionTokens, a.usage.completionTokens);
    QCOMPARE(b.usage.totalTokens, a.usage.totalTokens);
    QCOMPARE(plain.content, b.content); // one delta with the whole answer
}

void TestChatClient::reasoningWithThinking()
{
    Simulator simulator;
    QVERIFY(simulator.listen());
    for (const bool stream : {true, false}) {
        Harness h(&m_network, endpointFor(simulator));
        ChatRequest request = ask(QStringLiteral("Why is the sky blue?"), stream);
        request.enableThinking = true;
        h.client.start(request);
        QVERIFY(h.wait());
        QCOMPARE(h.failed.count(), 0);
        const ChatResult r = h.result();
        const sim::PromptInfo prompt = promptOf(request);
        QCOMPARE(r.reasoning, sim::reasoningText(prompt));
        QVERIFY(r.reasoning.contains(QLatin1String("Why is the sky blue?")));
        QCOMPARE(r.content, QStringLiteral("\n\n") + sim::answerText(prompt));
        QCOMPARE(h.reasoning, r.reasoning);
        QCOMPARE(h.content, r.content);
        QVERIFY(lastBody(simulator)["chat_template_kwargs"]["enable_thinking"] == true);
    }

    // Thinking off is sent explicitly, and no reasoning comes back.
    Harness off(&m_network, endpointFor(simulator));
    ChatRequest request = ask(QStringLiteral("Why is the sky blue?"));
    request.enableThinking = false;
    off.client.start(request);
    QVERIFY(off.wait());
    QCOMPARE(off.result().reasoning, QString());
    QVERIFY(lastBody(simulator)["chat_template_kwargs"]["enable_thinking"] == false);
}

void TestChatClient::toolCalls()
{
    Simulator simulator;
    QVERIFY(simulator.listen());
    for (const bool stream : {true, false}) {
        Harness h(&m_network, endpointFor(simulator));
        ChatRequest request
            = ask(QStringLiteral(R"(Please call get_weather with {"city": "Berlin"})"), stream);
        request.tools = Json::parse(R"([{"type":"function","function":{"name":"get_weather",
            "description":"Current weather","parameters":{"type":"object",
            "properties":{"city":{"type":"string"}},"required":["city"]}}}])");
        request.toolChoice = "auto";
        h.client.start(request);
        QVERIFY(h.wait());
        QCOMPARE(h.failed.count(), 0);
        const ChatResult r = h.result();
        QCOMPARE(r.finishReason, QStringLiteral("tool_calls"));
        QCOMPARE(r.toolCalls.size(), size_t(1));
        QCOMPARE(r.toolCalls[0].name, QStringLiteral("get_weather"));
        QCOMPARE(r.toolCalls[0].arguments, QStringLiteral(R"({"city": "Berlin"})"));
        QVERIFY(r.toolCalls[0].id.startsWith(QLatin1String("chatcmpl-tool-")));
        const Json sent = lastBody(simulator);
        QVERIFY(sent["tool_choice"] == "auto");
        QVERIFY(sent["tools"][0]["function"]["name"] == "get_weather");
    }
}

void TestChatClient::serverErrorRetriedThenSucceeds()
{
    Simulator simulator;
    QVERIFY(simulator.listen());
    simulator.setFaults({.status = 500, .count = 1});
    Harness h(&m_network, endpointFor(simulator));
    h.client.start(ask(QStringLiteral("retry me")));
    QVERIFY(h.wait());
    QCOMPARE(h.failed.count(), 0);
    QCOMPARE(h.retrying.count(), 1);
    QCOMPARE(h.retrying.at(0).at(0).toInt(), 1);
    QCOMPARE(h.retryError(0).kind, ChatError::Kind::ServerError);
    QCOMPARE(h.retryError(0).httpStatus, 500);
    QCOMPARE(h.retryError(0).message, QStringLiteral("Simulated fault: HTTP 500"));
    QCOMPARE(h.result().content, QStringLiteral("Echo: retry me This is a simulated reply."));
}

void TestChatClient::serverErrorGivesUp()
{
    Simulator simulator;
    QVERIFY(simulator.listen());
    simulator.setFaults({.status = 502, .count = -1});
    EndpointConfig endpoint = endpointFor(simulator);
    endpoint.maxRetries = 2;
    Harness h(&m_network, endpoint);
    h.client.start(ask(QStringLiteral("never")));
    QVERIFY(h.wait());
    QCOMPARE(h.finished.count(), 0);
    QCOMPARE(h.retrying.count(), 2);
    QCOMPARE(h.error().kind, ChatError::Kind::ServerError);
    QCOMPARE(h.error().httpStatus, 502);
    QCOMPARE(h.error().message, QStringLiteral("Simulated fault: HTTP 502"));
    QCOMPARE(simulator.requestCount(), 3);
}

void TestChatClient::rateLimitedHonoursRetryAfter()
{
    Simulator simulator;
    QVERIFY(simulator.listen());
    simulator.setFaults({.status = 429, .retryAfterSeconds = 1, .count = 1});
    Harness h(&m_network, endpointFor(simulator));
    QElapsedTimer clock;
    clock.start();
    h.client.start(ask(QStringLiteral("patience")));
    QVERIFY(h.wait());
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(h.failed.count(), 0);
    QCOMPARE(h.retrying.count(), 1);
    QCOMPARE(h.retryError(0).kind, ChatError::Kind::RateLimited);
    QCOMPARE(h.retryError(0).retryAfterMs, 1000);
    QCOMPARE(h.retryError(0).message, QStringLiteral("Simulated fault: HTTP 429"));
    QCOMPARE(h.retrying.at(0).at(2).toInt(), 1000); // the delay is the server's, no backoff
    QVERIFY2(elapsed >= 950 && elapsed < 5000, qPrintable(QString::number(elapsed)));
}

void TestChatClient::auth()
{
    Simulator simulator;
    simulator.setConfig([] {
        Simulator::Config config;
        config.apiKey = QStringLiteral("sk-test");
        return config;
    }());
    QVERIFY(simulator.listen());
    Harness denied(&m_network, endpointFor(simulator));
    denied.client.start(ask(QStringLiteral("let me in")));
    QVERIFY(denied.wait());
    QCOMPARE(denied.error().kind, ChatError::Kind::Auth);
    QCOMPARE(denied.error().httpStatus, 401);
    QCOMPARE(denied.error().message, QStringLiteral("Unauthorized")); // {"error":"Unauthorized"}
    QCOMPARE(denied.retrying.count(), 0);

    EndpointConfig endpoint = endpointFor(simulator);
    endpoint.apiKey = QStringLiteral("sk-test");
    Harness allowed(&m_network, endpoint);
    allowed.client.start(ask(QStringLiteral("let me in")));
    QVERIFY(allowed.wait());
    QCOMPARE(allowed.failed.count(), 0);
}

void TestChatClient::unknownModel()
{
    Simulator simulator;
    QVERIFY(simulator.listen());
    Harness h(&m_network, endpointFor(simulator));
    ChatRequest request = ask(QStringLiteral("hi"));
    request.model = QStringLiteral("no-such-model");
    h.client.start(request);
    QVERIFY(h.wait());
    QCOMPARE(h.error().kind, ChatError::Kind::UnknownModel);
    QCOMPARE(h.error().httpStatus, 404);
    QVERIFY2(h.error().message.contains(QLatin1String("does not exist")),
             qPrintable(h.error().message));
    QVERIFY(h.error().message.contains(QLatin1String("no-such-model")));
    QCOMPARE(h.retrying.count(), 0);
}

void TestChatClient::tooManyImages()
{
    Simulator simulator;
    simulator.setConfig([] {
        Simulator::Config config;
        config.maxImagesPerPrompt = 1;
        return config;
    }());
    QVERIFY(simulator.listen());
    Harness h(&m_network, endpointFor(simulator));
    ChatRequest request = ask(QStringLiteral("What changed?"));
    request.messages.back().parts.push_back(imagePart());
    request.messages.back().parts.push_back(imagePart());
    h.client.start(request);
    QVERIFY(h.wait());
    QCOMPARE(h.error().kind, ChatError::Kind::TooManyImages);
    QCOMPARE(h.error().httpStatus, 400);
    QVERIFY2(h.error().message.startsWith(
                 QLatin1String("At most 1 image(s) may be provided in one prompt.")),
             qPrintable(h.error().message));

    // One image is fine, and it is counted.
    Harness one(&m_network, endpointFor(simulator));
    request.messages.back().parts.pop_back();
    one.client.start(request);
    QVERIFY(one.wait());
    QCOMPARE(one.failed.count(), 0);
    QVERIFY(one.result().content.contains(QLatin1String("Images received: 1.")));
}

void TestChatClient::contextTooLong()
{
    Simulator simulator;
    simulator.setConfig([] {
        Simulator::Config config;
        config.maxModelLen = 64;
        return config;
    }());
    QVERIFY(simulator.listen());
    Harness h(&m_network, endpointFor(simulator));
    h.client.start(ask(QString(400, QLatin1Char('x'))));
    QVERIFY(h.wait());
    QCOMPARE(h.error().kind, ChatError::Kind::ContextTooLong);
    QCOMPARE(h.error().httpStatus, 400);
    QVERIFY2(h.error().message.contains(QLatin1String("maximum context length")),
             qPrintable(h.error().message));
    QCOMPARE(h.retrying.count(), 0);
}

void TestChatClient::disconnectMidStreamNotRetried()
{
    Simulator simulator;
    QVERIFY(simulator.listen());
    simulator.setFaults({.disconnectAfterTokens = 3, .count = 1});
    Harness h(&m_network, endpointFor(simulator));
    h.client.start(ask(QStringLiteral("cut me off please")));
    QVERIFY(h.wait());
    QCOMPARE(h.finished.count(), 0);
    QCOMPARE(h.retrying.count(), 0); // tokens had streamed: a failure, never a retry
    QCOMPARE(h.error().kind, ChatError::Kind::Unreachable);
    QVERIFY(!h.content.isEmpty());
    QVERIFY(QStringLiteral("Echo: cut me off please").startsWith(h.content));
    QCOMPARE(h.client.result().content, h.content); // the partial text stays readable
    QVERIFY(h.client.result().timeToFirstTokenMs >= 0);
    QCOMPARE(simulator.requestCount(), 1);
}

void TestChatClient::disconnectBeforeFirstTokenRetried()
{
    Simulator simulator;
    QVERIFY(simulator.listen());
    simulator.setFaults({.disconnectAfterTokens = 0, .count = 1});
    Harness h(&m_network, endpointFor(simulator));
    h.client.start(ask(QStringLiteral("again")));
    QVERIFY(h.wait());
    QCOMPARE(h.failed.count(), 0);
    QCOMPARE(h.retrying.count(), 1);
    QCOMPARE(h.retryError(0).kind, ChatError::Kind::Unreachable);
    QCOMPARE(h.result().content, QStringLiteral("Echo: again This is a simulated reply."));
    QCOMPARE(h.content, h.result().content);
}

void TestChatClient::garbageIsMalformed()
{
    Simulator simulator;
    QVERIFY(simulator.listen());
    for (const bool stream : {true, false}) {
        simulator.setFaults({.garbageAfterTokens = 2, .count = 1});
        Harness h(&m_network, endpointFor(simulator));
        h.client.start(ask(QStringLiteral("speak clearly"), stream));
        QVERIFY(h.wait());
        QCOMPARE(h.finished.count(), 0);
        QCOMPARE(h.retrying.count(), 0);
        QCOMPARE(h.error().kind, ChatError::Kind::MalformedStream);
        QVERIFY2(h.error().message.contains(QLatin1String("502 Bad Gateway")),
                 qPrintable(h.error().message));
    }
}

void TestChatClient::stallHitsIdleTimeout()
{
    Simulator simulator;
    QVERIFY(simulator.listen());
    simulator.setFaults({.stallAfterTokens = 3, .count = 1});
    EndpointConfig endpoint = endpointFor(simulator);
    endpoint.idleTimeoutMs = 300;
    Harness h(&m_network, endpoint);
    QElapsedTimer clock;
    clock.start();
    h.client.start(ask(QStringLiteral("then stop talking")));
    QVERIFY(h.wait());
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(h.error().kind, ChatError::Kind::Timeout);
    QVERIFY2(h.error().message.contains(QLatin1String("stalled")), qPrintable(h.error().message));
    QVERIFY2(elapsed >= 280 && elapsed < 3000, qPrintable(QString::number(elapsed)));
    QCOMPARE(h.retrying.count(), 0);
    QVERIFY(!h.content.isEmpty());
    // The client closed the connection: the simulator's stalled request is gone.
    QTRY_COMPARE(simulator.runningRequests(), 0);
}

void TestChatClient::silenceHitsFirstTokenTimeout()
{
    Simulator simulator;
    QVERIFY(simulator.listen());
    simulator.setFaults({.stallAfterTokens = 0, .count = 1});
    EndpointConfig endpoint = endpointFor(simulator);
    endpoint.firstTokenTimeoutMs = 300;
    endpoint.idleTimeoutMs = 60000;
    Harness h(&m_network, endpoint);
    QElapsedTimer clock;
    clock.start();
    h.client.start(ask(QStringLiteral("say nothing")));
    QVERIFY(h.wait());
    QCOMPARE(h.error().kind, ChatError::Kind::Timeout);
    QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(h.retrying.count(), 0);
    QVERIFY(h.content.isEmpty());
}

void TestChatClient::errorEventInStream()
{
    Simulator simulator;
    QVERIFY(simulator.listen());
    simulator.setFaults({.errorEventInStream = true, .count = 1});
    Harness h(&m_network, endpointFor(simulator));
    h.client.start(ask(QStringLiteral("fail halfway")));
    QVERIFY(h.wait());
    QCOMPARE(h.finished.count(), 0);
    QCOMPARE(h.retrying.count(), 0);
    QCOMPARE(h.error().kind, ChatError::Kind::ServerError);
    QCOMPARE(h.error().httpStatus, 200);
    QCOMPARE(h.error().message, QStringLiteral("Internal server error"));
    QVERIFY(!h.content.isEmpty());
}

void TestChatClient::loadingRetriedUntilReady()
{
    Simulator simulator;
    simulator.setConfig([] {
        Simulator::Config config;
        config.loadingForMs = 800;
        return config;
    }());
    QVERIFY(simulator.listen());
    EndpointConfig endpoint = endpointFor(simulator);
    endpoint.maxRetries = 10;
    endpoint.retryBaseDelayMs = 100;
    Harness h(&m_network, endpoint);
    h.client.start(ask(QStringLiteral("are you up?")));
    QVERIFY(h.wait());
    QCOMPARE(h.failed.count(), 0);
    QVERIFY(h.retrying.count() >= 1);
    for (int i = 0; i < h.retrying.count(); ++i) {
        QCOMPARE(h.retryError(i).kind, ChatError::Kind::Loading);
        QCOMPARE(h.retryError(i).httpStatus, 503);
        QCOMPARE(h.retryError(i).message, QStringLiteral("Loading model"));
    }
    QCOMPARE(h.result().content, QStringLiteral("Echo: are you up? This is a simulated reply."));
}

void TestChatClient::unreachable()
{
    quint16 port = 0;
    {
        QTcpServer server; // take a free port, then free it again: nothing listens there
        QVERIFY(server.listen(QHostAddress::LocalHost));
        port = server.serverPort();
    }
    EndpointConfig endpoint;
    endpoint.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(port));
    endpoint.kind = ServerKind::VLlm;
    endpoint.maxRetries = 2;
    endpoint.retryBaseDelayMs = 20;
    Harness h(&m_network, endpoint);
    h.client.start(ask(QStringLiteral("anyone?")));
    QVERIFY(h.wait());
    QCOMPARE(h.error().kind, ChatError::Kind::Unreachable);
    QVERIFY(!h.error().message.isEmpty());
    QCOMPARE(h.retrying.count(), 2);
    QCOMPARE(h.retrying.at(1).at(0).toInt(), 2);
}

void TestChatClient::rateLimiterSpacesRequests()
{
    Simulator simulator;
    QVERIFY(simulator.listen());
    QElapsedTimer clock;
    std::vector<qint64> arrivals;
    connect(&simulator, &Simulator::requestReceived, this, [&](const QString &path) {
        if (path.endsWith(QLatin1String("/chat/completions")))
            arrivals.push_back(clock.elapsed());
    });
    EndpointConfig endpoint = endpointFor(simulator);
    endpoint.requestsPerMinute = 120;
    // Three clients of the same base URL share one limiter.
    std::vector<std::unique_ptr<Harness>> runs;
    for (int i = 0; i < 3; ++i)
        runs.push_back(std::make_unique<Harness>(&m_network, endpoint));
    clock.start();
    for (auto &run : runs)
        run->client.start(ask(QStringLiteral("quick")));
    for (auto &run : runs) {
        QVERIFY(run->wait());
        QCOMPARE(run->failed.count(), 0);
    }
    QCOMPARE(arrivals.size(), size_t(3));
    QVERIFY2(
        arrivals[2] - arrivals[0] >= 450,
        qPrintable(QStringLiteral("%1 %2 %3").arg(arrivals[0]).arg(arrivals[1]).arg(arrivals[2])));
}

void TestChatClient::tokenBucketWaitsAndIsCorrected()
{
    Simulator simulator;
    QVERIFY(simulator.listen());
    QElapsedTimer clock;
    std::vector<qint64> arrivals;
    connect(&simulator, &Simulator::requestReceived, this, [&](const QString &path) {
        if (path.endsWith(QLatin1String("/chat/completions")))
            arrivals.push_back(clock.elapsed());
    });
    EndpointConfig endpoint = endpointFor(simulator);
    endpoint.tokensPerMinute = 60000; // 1000 tokens a second, a minute's worth at once
    ChatRequest request = ask(QStringLiteral("tok"));
    request.maxTokens = 30300; // two of these estimates overdraw the bucket by ~0.6 s
    Harness first(&m_network, endpoint);
    Harness second(&m_network, endpoint);
    clock.start();
    first.client.start(request);
    second.client.start(request);
    QVERIFY(first.wait());
    QVERIFY(second.wait());
    QCOMPARE(first.failed.count() + second.failed.count(), 0);
    QCOMPARE(arrivals.size(), size_t(2));
    QVERIFY2(arrivals[1] - arrivals[0] >= 450,
             qPrintable(QStringLiteral("%1 %2").arg(arrivals[0]).arg(arrivals[1])));

    // The real usage was tiny: the estimates were given back, so the next one goes at once.
    Harness third(&m_network, endpoint);
    const qint64 before = clock.elapsed();
    third.client.start(request);
    QVERIFY(third.wait());
    QCOMPARE(arrivals.size(), size_t(3));
    QVERIFY2(arrivals[2] - before < 300, qPrintable(QString::number(arrivals[2] - before)));
}

void TestChatClient::cancelStopsGeneration()
{
    Simulator simulator;
    simulator.setConfig([] {
        Simulator::Config config;
        config.tokensPerSecond = 100;
        return config;
    }());
    QVERIFY(simulator.listen());
    Harness h(&m_network, endpointFor(simulator));
    ChatRequest request = ask(QStringLiteral("talk for a long time"));
    request.extraBody = {{"min_tokens", 2000}}; // ~20 s of generation unless stopped
    h.client.start(request);
    QVERIFY(QTest::qWaitFor([&] { return h.deltas >= 5; }, 10000));
    QCOMPARE(simulator.runningRequests(), 1);
    h.client.cancel();
    // cancel() ends the request at once, with failed(Cancelled).
    QCOMPARE(h.failed.count(), 1);
    QCOMPARE(h.error().kind, ChatError::Kind::Cancelled);
    QVERIFY(!h.client.isRunning());
    QCOMPARE(h.client.result().content, h.content);

    // The server notices the closed connection and stops generating.
    QTRY_COMPARE(simulator.runningRequests(), 0);
    const qint64 atStop = simulator.generatedTokens();
    QTest::qWait(500); // 50 tokens' worth at this rate
    QCOMPARE(simulator.generatedTokens(), atStop);
    QVERIFY2(atStop < 200, qPrintable(QString::number(atStop)));
    QCOMPARE(h.finished.count(), 0);
    QCOMPARE(h.failed.count(), 1);
    const int deltasAtCancel = h.deltas;
    QTest::qWait(100);
    QCOMPARE(h.deltas, deltasAtCancel);
}

void TestChatClient::cancelWhileWaitingForRetry()
{
    Simulator simulator;
    QVERIFY(simulator.listen());
    simulator.setFaults({.status = 429, .retryAfterSeconds = 30, .count = 1});
    Harness h(&m_network, endpointFor(simulator));
    h.client.start(ask(QStringLiteral("later")));
    QVERIFY(QTest::qWaitFor([&] { return h.retrying.count() == 1; }, 5000));
    h.client.cancel();
    QCOMPARE(h.failed.count(), 1);
    QCOMPARE(h.error().kind, ChatError::Kind::Cancelled);
    QTest::qWait(100);
    QCOMPARE(simulator.requestCount(), 1); // the retry never went out
    QCOMPARE(h.finished.count(), 0);
}

QTEST_GUILESS_MAIN(TestChatClient)
#include "tst_chatclient.moc"

// The vLLM-compatible simulator, driven over loopback with QNetworkAccessManager: response
// shapes, the exact SSE layout of sse-examples.txt, thinking, tool calls, errors, faults, and
// that a client closing its connection stops the generation.
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>

#include <memory>

#include "llm/simulator/simulator.h"
#include "llm/simulator/simulatorrules.h"

using flowbench::llm::Simulator;
using flowbench::llm::sim::OJson;
namespace sim = flowbench::llm::sim;

#define JSON_COMPARE(actual, expected)                                                             \
    do {                                                                                           \
        const OJson a_ = (actual);                                                                 \
        const OJson e_ = (expected);                                                               \
        QVERIFY2(a_ == e_, qPrintable(QString::fromStdString(a_.dump() + " != " + e_.dump())));    \
    } while (false)

namespace {

struct Response
{
    int status = 0;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    bool finished = false;

    [[nodiscard]] OJson json() const
    {
        return OJson::parse(body.constData(), body.constData() + body.size(), nullptr, false);
    }
};

// The `data:` payloads of an SSE body; fails the check when the body is not made of exactly
// "data: ...\n\n" events.
QList<QByteArray> sseData(const QByteArray &body, bool *wellFormed)
{
    QList<QByteArray> out;
    *wellFormed = true;
    qsizetype at = 0;
    while (at < body.size()) {
        const qsizetype end = body.indexOf("\n\n", at);
        if (end < 0) {
            *wellFormed = false;
            break;
        }
        const QByteArray event = body.mid(at, end - at);
        if (!event.startsWith("data: ") || event.contains('\n'))
            *wellFormed = false;
        out.append(event.mid(6));
        at = end + 2;
    }
    return out;
}

OJson parse(const QByteArray &text)
{
    return OJson::parse(text.constData(), text.constData() + text.size(), nullptr, false);
}

OJson userMessage(const std::string &text)
{
    return OJson{{"role", "user"}, {"content", text}};
}

OJson chatBody(const std::string &text, bool stream)
{
    OJson body;
    body["model"] = "flowbench-sim";
    body["messages"] = OJson::array({userMessage(text)});
    body["stream"] = stream;
    if (stream)
        body["stream_options"] = OJson{{"include_usage", true}};
    return body;
}

QByteArray pngHeader(quint32 width, quint32 height)
{
    QByteArray b("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    for (quint32 v : {width, height}) {
        b.append(char(v >> 24));
        b.append(char(v >> 16));
        b.append(char(v >> 8));
        b.append(char(v));
    }
    b.append("\x08\x02\0\0\0\0\0\0\0", 9);
    return b;
}

std::string pngDataUrl(quint32 width, quint32 height)
{
    return "data:image/png;base64," + pngHeader(width, height).toBase64().toStdString();
}

OJson weatherTool()
{
    return OJson::parse(R"({"type": "function", "function": {"name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {"type": "object", "properties": {"location": {"type": "string"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
            "required": ["location", "unit"]}}})");
}

// The chat answer for "Hello there": 8 content tokens, then the EOS.
const QStringList kHelloTokens = {
    QStringLiteral("Echo:"),      QStringLiteral(" Hello"),  QStringLiteral(" there"),
    QStringLiteral(" This"),      QStringLiteral(" is"),     QStringLiteral(" a"),
    QStringLiteral(" simulated"), QStringLiteral(" reply."),
};
constexpr int kHelloPromptTokens = 3 + 4 + 3; // generation prompt, role markers, 11 chars

} // namespace

class TstSimulator : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

    QUrl url(const Simulator &s, const QString &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(s.port()).arg(path));
    }

    QNetworkReply *send(const Simulator &s, const QByteArray &verb, const QString &path,
                        const QByteArray &body = {}, const QByteArray &apiKey = {},
                        int transferTimeoutMs = 0)
    {
        QNetworkRequest request(url(s, path));
        if (!body.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        if (!apiKey.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + apiKey);
        if (transferTimeoutMs > 0)
            request.setTransferTimeout(transferTimeoutMs);
        return m_network.sendCustomRequest(request, verb, body);
    }

    static Response wait(QNetworkReply *reply, int timeoutMs = 10000)
    {
        Response r;
        QSignalSpy finished(reply, &QNetworkReply::finished);
        r.finished = reply->isFinished() || finished.wait(timeoutMs);
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->readAll();
        r.error = reply->error();
        for (const auto &[name, value] : reply->rawHeaderPairs())
            r.headers.insert(name.toLower(), value);
        reply->deleteLater();
        return r;
    }

    Response request(const Simulator &s, const QByteArray &verb, const QString &path,
                     const QByteArray &body = {}, const QByteArray &apiKey = {})
    {
        return wait(send(s, verb, path, body, apiKey));
    }

    Response chat(const Simulator &s, const OJson &body, const QByteArray &apiKey = {})
    {
        return request(s, "POST", QStringLiteral("/v1/chat/completions"),
                       QByteArray::fromStdString(body.dump()), apiKey);
    }

    static void startSimulator(Simulator &s, const Simulator::Config &config = {})
    {
        s.setConfig(config);
        const quint16 port = s.listen();
        QVERIFY(port != 0);
        QCOMPARE(s.port(), port);
    }

private Q_SLOTS:
    void rules();
    void imageSizes();
    void modelsList();
    void healthAndVersion();
    void nonStreamedCompletion();
    void streamedCompletionLayout();
    void usageChunkOnlyWhenAsked();
    void lengthLimit();
    void thinking();
    void toolCallStreamed();
    void toolCallVariants();
    void errors_data();
    void errors();
    void apiKey();
    void loadingThenReady();
    void statusFault();
    void disconnectFault();
    void garbageFault();
    void stallFault();
    void errorEventFault();
    void nonStreamedFaults();
    void imagesCountIntoPrompt();
    void tokenize();
    void metrics();
    void abortStopsGeneration();
    void abortStopsNonStreamedGeneration();
    void pacing();
    void minTokensAndIgnoreEos();
    void counters();
    void destroyedWhileStreaming();
};

void TstSimulator::rules()
{
    QCOMPARE(sim::textTokens(QString()), 0);
    QCOMPARE(sim::textTokens(QStringLiteral("abcd")), 1);
    QCOMPARE(sim::textTokens(QStringLiteral("abcde")), 2);
    // Code points, not UTF-16 units: four emoji are one token.
    QCOMPARE(sim::textTokens(QStringLiteral("\U0001F600\U0001F600\U0001F600\U0001F600")), 1);

    const QString text = QStringLiteral("Hello  big\n\nworld .\n");
    const QStringList tokens = sim::splitTokens(text);
    QCOMPARE(tokens,
             QStringList({QStringLiteral("Hello"), QStringLiteral("  big"), QStringLiteral("\n\n"),
                          QStringLiteral("world"), QStringLiteral(" ."), QStringLiteral("\n")}));
    QCOMPARE(tokens.join(QString()), text);

    QCOMPARE(sim::imageTokens(QSize(896, 504)), 445);
    QCOMPARE(sim::imageTokens(QSize(1280, 720)), 904);
    QCOMPARE(sim::imageTokens(QSize(1792, 1792)), 3140);
    QCOMPARE(sim::imageTokens(QSize(4000, 3000)), 3140);
    QCOMPARE(sim::imageTokens(QSize(10, 10)), 200);
    QCOMPARE(sim::imageTokens(QSize()), 200);
    QCOMPARE(sim::imageTokens(QSize(1000, 1000), 1024, 1024 * 100), 100 + 4);

    QCOMPARE(sim::pythonJson(OJson::parse(R"({"a": 1, "b": [1, "x"], "c": {"d": null}})")),
             QStringLiteral(R"({"a": 1, "b": [1, "x"], "c": {"d": null}})"));
}

void TstSimulator::imageSizes()
{
    QCOMPARE(sim::imageSize(pngHeader(896, 504)), QSize(896, 504));
    // GIF: logical screen size, little-endian.
    QCOMPARE(sim::imageSize(QByteArray("GIF89a\x40\x01\xf0\x00\0\0", 12)), QSize(320, 240));
    // JPEG: SOI, an APP0 segment, then SOF0 with height 0x01E0 and width 0x0280.
    const QByteArray jpeg("\xff\xd8\xff\xe0\x00\x04\x00\x00\xff\xc0\x00\x11\x08\x01\xe0\x02\x80"
                          "\x03\x01\x22\x00",
                          21);
    QCOMPARE(sim::imageSize(jpeg), QSize(640, 480));
    // BMP: BITMAPINFOHEADER with a negative (top-down) height.
    QByteArray bmp("BM", 2);
    bmp.append(12, '\0');
    bmp.append("\x28\0\0\0", 4);
    bmp.append("\x20\0\0\0", 4);
    bmp.append("\xf0\xff\xff\xff", 4);
    QCOMPARE(sim::imageSize(bmp), QSize(32, 16));
    QVERIFY(!sim::imageSize(QByteArray("not an image")).isValid());
}

void TstSimulator::modelsList()
{
    Simulator s;
    Simulator::Config config;
    config.model = QStringLiteral("AIDC-AI/Ovis2.5-9B");
    config.maxModelLen = 40960;
    startSimulator(s, config);
    const Response r = request(s, "GET", QStringLiteral("/v1/models"));
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.startsWith(
        R"({"object":"list","data":[{"id":"AIDC-AI/Ovis2.5-9B","object":"model","created":)"));
    const OJson j = r.json();
    QCOMPARE(j["data"].size(), size_t(1));
    const OJson &card = j["data"][0];
    JSON_COMPARE(card["owned_by"], "vllm");
    JSON_COMPARE(card["root"], "AIDC-AI/Ovis2.5-9B");
    QVERIFY(card["parent"].is_null());
    JSON_COMPARE(card["max_model_len"], 40960);
    QVERIFY(card["created"].is_number_integer());
    QVERIFY(card["permission"].is_array());
    JSON_COMPARE(card["permission"][0]["object"], "model_permission");
    QVERIFY(r.headers.value("content-type").startsWith("application/json"));
}

void TstSimulator::healthAndVersion()
{
    Simulator s;
    startSimulator(s);
    const Response health = request(s, "GET", QStringLiteral("/health"));
    QCOMPARE(health.status, 200);
    QVERIFY(health.body.isEmpty());
    const Response version = request(s, "GET", QStringLiteral("/version"));
    QCOMPARE(version.status, 200);
    QVERIFY(version.json()["version"].is_string());
    const Response missing = request(s, "GET", QStringLiteral("/v1/nothing"));
    QCOMPARE(missing.status, 404);
    const Response wrongMethod = request(s, "GET", QStringLiteral("/v1/chat/completions"));
    QCOMPARE(wrongMethod.status, 405);
}

void TstSimulator::nonStreamedCompletion()
{
    Simulator s;
    startSimulator(s);
    const Response r = chat(s, chatBody("Hello there", false));
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.startsWith(R"({"id":"chatcmpl-)"));
    const OJson j = r.json();
    QCOMPARE(QString::fromStdString(j["id"].get<std::string>()).size(), 9 + 32);
    JSON_COMPARE(j["object"], "chat.completion");
    JSON_COMPARE(j["model"], "flowbench-sim");
    const OJson &choice = j["choices"][0];
    JSON_COMPARE(choice["index"], 0);
    JSON_COMPARE(choice["finish_reason"], "stop");
    QVERIFY(choice["stop_reason"].is_null());
    QVERIFY(choice["logprobs"].is_null());
    const OJson &message = choice["message"];
    JSON_COMPARE(message["role"], "assistant");
    JSON_COMPARE(message["content"], kHelloTokens.join(QString()).toStdString());
    QVERIFY(message["reasoning"].is_null());
    JSON_COMPARE(message["tool_calls"], OJson::array());
    const OJson expectedUsage
        = OJson::parse(R"({"prompt_tokens":10,"total_tokens":19,"completion_tokens":9,)"
                       R"("prompt_tokens_details":null})");
    JSON_COMPARE(j["usage"], expectedUsage);
    QCOMPARE(j["usage"].dump(), expectedUsage.dump()); // key order too
    QCOMPARE(s.generatedTokens(), qint64(kHelloTokens.size() + 1));
}

void TstSimulator::streamedCompletionLayout()
{
    Simulator s;
    startSimulator(s);
    const Response r = chat(s, chatBody("Hello there", true));
    QVERIFY(r.finished); // the chunked body ended: the reply did not hang
    QCOMPARE(r.error, QNetworkReply::NoError);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.headers.value("content-type"), QByteArray("text/event-stream; charset=utf-8"));
    bool wellFormed = false;
    const QList<QByteArray> data = sseData(r.body, &wellFormed);
    QVERIFY2(wellFormed, r.body.constData());
    // role + 8 content + finish + usage + [DONE]
    QCOMPARE(data.size(), 1 + kHelloTokens.size() + 1 + 1 + 1);

    const OJson first = parse(data.first());
    const std::string id = first["id"].get<std::string>();
    const qint64 created = first["created"].get<qint64>();
    const QByteArray head = QByteArray::fromStdString(
        R"({"id":")" + id + R"(","object":"chat.completion.chunk","created":)"
        + std::to_string(created) + R"(,"model":"flowbench-sim",)");
    QCOMPARE(data[0], head
                          + R"("choices":[{"index":0,"delta":{"role":"assistant","content":""},)"
                            R"("logprobs":null,"finish_reason":null}],"prompt_token_ids":null})");
    for (int i = 0; i < kHelloTokens.size(); ++i) {
        const QByteArray expected
            = head + R"("choices":[{"index":0,"delta":{"content":)"
              + QByteArray::fromStdString(OJson(kHelloTokens[i].toStdString()).dump())
              + R"(},"logprobs":null,"finish_reason":null,"token_ids":null}]})";
        QCOMPARE(data[1 + i], expected);
    }
    QCOMPARE(data[1 + kHelloTokens.size()],
             head
                 + R"("choices":[{"index":0,"delta":{"content":""},"logprobs":null,)"
                   R"("finish_reason":"stop","stop_reason":null,"token_ids":null}]})");
    QCOMPARE(data[2 + kHelloTokens.size()],
             head
                 + R"("choices":[],"usage":{"prompt_tokens":10,"total_tokens":19,)"
                   R"("completion_tokens":9}})");
    QCOMPARE(data.last(), QByteArray("[DONE]"));
    QVERIFY(r.body.endsWith("data: [DONE]\n\n"));
    QCOMPARE(s.runningRequests(), 0);

    // The connection stays usable (keep-alive after a chunked body).
    QCOMPARE(request(s, "GET", QStringLiteral("/health")).status, 200);
}

void TstSimulator::usageChunkOnlyWhenAsked()
{
    Simulator s;
    startSimulator(s);
    auto countUsage = [this, &s](const OJson &body) {
        const Response r = chat(s, body);
        bool ok = false;
        const QList<QByteArray> data = sseData(r.body, &ok);
        int usage = 0;
        for (const QByteArray &d : data) {
            if (d.contains("\"usage\""))
                ++usage;
        }
        return ok && data.last() == "[DONE]" ? usage : -1;
    };
    OJson body = chatBody("Hi", true);
    body.erase("stream_options");
    QCOMPARE(countUsage(body), 0);
    body["stream_options"] = OJson::object(); // include_usage defaults to true once present
    QCOMPARE(countUsage(body), 1);
    body["stream_options"] = OJson{{"include_usage", false}};
    QCOMPARE(countUsage(body), 0);
    body["stream_options"] = OJson{{"include_usage", true}, {"continuous_usage_stats", true}};
    // role + "Echo:" " Hi" + 5 words + finish + usage chunk: all carry usage
    QCOMPARE(countUsage(body), 1 + 7 + 1 + 1);
}

void TstSimulator::lengthLimit()
{
    Simulator s;
    startSimulator(s);
    OJson body = chatBody("Hello there", true);
    body["max_tokens"] = 3;
    Response r = chat(s, body);
    bool ok = false;
    QList<QByteArray> data = sseData(r.body, &ok);
    QVERIFY(ok);
    QCOMPARE(data.size(), 1 + 3 + 1 + 1); // role, 3 tokens (the last one finishing), usage, DONE
    const OJson last = parse(data[3]);
    JSON_COMPARE(last["choices"][0]["delta"]["content"], " there");
    JSON_COMPARE(last["choices"][0]["finish_reason"], "length");
    JSON_COMPARE(parse(data[4])["usage"]["completion_tokens"], 3);

    // max_completion_tokens wins over max_tokens.
    body = chatBody("Hello there", false);
    body["max_tokens"] = 5;
    body["max_completion_tokens"] = 2;
    r = chat(s, body);
    JSON_COMPARE(r.json()["choices"][0]["message"]["content"], "Echo: Hello");
    JSON_COMPARE(r.json()["choices"][0]["finish_reason"], "length");
    JSON_COMPARE(r.json()["usage"]["completion_tokens"], 2);

    // Exactly the answer's length leaves no room for the EOS: still "length", as in vLLM.
    body["max_completion_tokens"] = kHelloTokens.size();
    r = chat(s, body);
    JSON_COMPARE(r.json()["choices"][0]["finish_reason"], "length");
}

void TstSimulator::thinking()
{
    Simulator s;
    startSimulator(s);
    OJson body = chatBody("Hello there", true);
    body["chat_template_kwargs"] = OJson{{"enable_thinking", true}};
    Response r = chat(s, body);
    bool ok = false;
    QList<QByteArray> data = sseData(r.body, &ok);
    QVERIFY(ok);
    QString reasoning, content;
    int reasoningChunks = 0;
    bool contentSeen = false;
    for (const QByteArray &d : data.mid(1, data.size() - 3)) {
        const OJson delta = parse(d)["choices"][0]["delta"];
        QVERIFY(!delta.contains("reasoning_content")); // current vLLM sends only `reasoning`
        if (delta.contains("reasoning")) {
            QVERIFY2(!contentSeen, "reasoning after content");
            reasoning += QString::fromStdString(delta["reasoning"].get<std::string>());
            ++reasoningChunks;
        }
        if (delta.contains("content")) {
            contentSeen = true;
            content += QString::fromStdString(delta["content"].get<std::string>());
        }
    }
    QCOMPARE(reasoning,
             QStringLiteral("\nThe user wants a reply to: Hello there\nI will echo the message "
                            "back.\n"));
    QCOMPARE(content, QStringLiteral("\n\n") + kHelloTokens.join(QString()));
    const int reasoningTokens = int(sim::splitTokens(reasoning).size());
    QCOMPARE(reasoningChunks, reasoningTokens);
    // <think> + reasoning + </think> + "\n\n" + answer + EOS
    JSON_COMPARE(parse(data[data.size() - 2])["usage"]["completion_tokens"],
                 1 + reasoningTokens + 1 + 1 + kHelloTokens.size() + 1);

    // Non-streamed: message.reasoning.
    body = chatBody("Hello there", false);
    body["chat_template_kwargs"] = OJson{{"enable_thinking", true}};
    r = chat(s, body);
    JSON_COMPARE(r.json()["choices"][0]["message"]["reasoning"], reasoning.toStdString());

    // Off unless asked: absent, false; reasoning_effort turns it on when enable_thinking is absent.
    body = chatBody("Hello there", false);
    QVERIFY(chat(s, body).json()["choices"][0]["message"]["reasoning"].is_null());
    body["chat_template_kwargs"] = OJson{{"enable_thinking", false}};
    body["reasoning_effort"] = "high";
    QVERIFY(chat(s, body).json()["choices"][0]["message"]["reasoning"].is_null());
    body.erase("chat_template_kwargs");
    QVERIFY(chat(s, body).json()["choices"][0]["message"]["reasoning"].is_string());
    body["reasoning_effort"] = "none";
    QVERIFY(chat(s, body).json()["choices"][0]["message"]["reasoning"].is_null());

    // thinking_token_budget caps the reasoning text.
    body = chatBody("Hello there", false);
    body["chat_template_kwargs"] = OJson{{"enable_thinking", true}};
    body["thinking_token_budget"] = 3;
    r = chat(s, body);
    JSON_COMPARE(r.json()["choices"][0]["message"]["reasoning"], "\nThe user");
    JSON_COMPARE(r.json()["usage"]["completion_tokens"], 1 + 3 + 1 + 1 + kHelloTokens.size() + 1);

    // include_reasoning: false hides it; the tokens still count.
    body["include_reasoning"] = false;
    r = chat(s, body);
    QVERIFY(r.json()["choices"][0]["message"]["reasoning"].is_null());
    JSON_COMPARE(r.json()["usage"]["completion_tokens"], 1 + 3 + 1 + 1 + kHelloTokens.size() + 1);

    // A thinking model cut inside its reasoning: finish "length", content null.
    body.erase("include_reasoning");
    body.erase("thinking_token_budget");
    body["max_tokens"] = 4;
    r = chat(s, body);
    JSON_COMPARE(r.json()["choices"][0]["finish_reason"], "length");
    QVERIFY(r.json()["choices"][0]["message"]["content"].is_null());
}

void TstSimulator::toolCallStreamed()
{
    Simulator s;
    startSimulator(s);
    OJson body = chatBody(R"(How warm is it? Please call get_weather with )"
                          R"({"location": "Berlin", "unit": "celsius"} now.)",
                          true);
    body["tools"] = OJson::array({weatherTool()});
    body["tool_choice"] = "auto";
    const Response r = chat(s, body);
    bool ok = false;
    const QList<QByteArray> data = sseData(r.body, &ok);
    QVERIFY(ok);
    const OJson nameChunk = parse(data[1]);
    const OJson call = nameChunk["choices"][0]["delta"]["tool_calls"][0];
    const std::string callId = call["id"].get<std::string>();
    QCOMPARE(callId.size(), size_t(14 + 32));
    JSON_COMPARE(call["type"], "function");
    JSON_COMPARE(call["index"], 0);
    JSON_COMPARE(call["function"], OJson::parse(R"({"name":"get_weather"})"));
    // key order as vLLM: id, type, index, function
    QCOMPARE(QByteArray::fromStdString(call.dump()),
             QByteArray::fromStdString(
                 R"({"id":")" + callId
                 + R"(","type":"function","index":0,"function":{"name":"get_weather"}})"));

    std::string arguments;
    int argumentChunks = 0;
    for (const QByteArray &d : data.mid(2, data.size() - 5)) {
        const OJson c = parse(d)["choices"][0]["delta"]["tool_calls"][0];
        QCOMPARE(c.size(), size_t(2)); // only index + function.arguments
        JSON_COMPARE(c["index"], 0);
        arguments += c["function"]["arguments"].get<std::string>();
        ++argumentChunks;
    }
    QVERIFY(argumentChunks >= 2);
    QCOMPARE(arguments, std::string(R"({"location": "Berlin", "unit": "celsius"})"));
    const OJson finish = parse(data[data.size() - 3])["choices"][0];
    JSON_COMPARE(finish["delta"], OJson::object());
    JSON_COMPARE(finish["finish_reason"], "tool_calls");
    // <tool_call> name args... </tool_call> EOS
    JSON_COMPARE(parse(data[data.size() - 2])["usage"]["completion_tokens"],
                 1 + 1 + argumentChunks + 1 + 1);
    QCOMPARE(data.last(), QByteArray("[DONE]"));
}

void TstSimulator::toolCallVariants()
{
    Simulator s;
    startSimulator(s);
    OJson body = chatBody("Please call get_weather for me", false);
    body["tools"] = OJson::array({weatherTool()});
    Response r = chat(s, body);
    OJson choice = r.json()["choices"][0];
    JSON_COMPARE(choice["finish_reason"], "tool_calls");
    QVERIFY(choice["message"]["content"].is_null());
    const OJson call = choice["message"]["tool_calls"][0];
    JSON_COMPARE(call["type"], "function");
    JSON_COMPARE(call["function"]["name"], "get_weather");
    // No arguments in the prompt: the schema's required properties.
    JSON_COMPARE(call["function"]["arguments"], R"({"location": "test", "unit": "celsius"})");

    // No mention: a plain answer.
    body["messages"] = OJson::array({userMessage("What is the weather?")});
    r = chat(s, body);
    JSON_COMPARE(r.json()["choices"][0]["finish_reason"], "stop");
    JSON_COMPARE(r.json()["choices"][0]["message"]["tool_calls"], OJson::array());

    // A named tool_choice forces the call and finishes with "stop".
    body["tool_choice"] = OJson::parse(R"({"type":"function","function":{"name":"get_weather"}})");
    r = chat(s, body);
    JSON_COMPARE(r.json()["choices"][0]["finish_reason"], "stop");
    JSON_COMPARE(r.json()["choices"][0]["message"]["tool_calls"][0]["function"]["name"],
                 "get_weather");
    body["tool_choice"] = OJson::parse(R"({"type":"function","function":{"name":"nope"}})");
    QCOMPARE(chat(s, body).status, 400);

    // "required" without a mention calls the first tool.
    body["tool_choice"] = "required";
    r = chat(s, body);
    JSON_COMPARE(r.json()["choices"][0]["finish_reason"], "tool_calls");

    // "none": never.
    body["tool_choice"] = "none";
    body["messages"] = OJson::array({userMessage("call get_weather")});
    JSON_COMPARE(chat(s, body).json()["choices"][0]["finish_reason"], "stop");

    // After the tool answered, the model answers in text (no loop).
    body["tool_choice"] = "auto";
    body["messages"] = OJson::parse(R"([
        {"role": "user", "content": "call get_weather"},
        {"role": "assistant", "content": null, "tool_calls": [{"id": "chatcmpl-tool-1",
            "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "chatcmpl-tool-1", "content": "{\"temperature\": 18}"}])");
    r = chat(s, body);
    JSON_COMPARE(r.json()["choices"][0]["finish_reason"], "stop");
    JSON_COMPARE(r.json()["choices"][0]["message"]["content"],
                 R"(Tool result: {"temperature": 18} This is a simulated reply.)");

    // Two mentions: two parallel calls with increasing indexes.
    body["messages"] = OJson::array({userMessage("call get_weather and then call get_weather")});
    body["stream"] = true;
    const Response streamed = chat(s, body);
    bool ok = false;
    QSet<int> indexes;
    for (const QByteArray &d : sseData(streamed.body, &ok)) {
        const OJson j = parse(d);
        if (j.is_object() && !j["choices"].empty()
            && j["choices"][0]["delta"].contains("tool_calls"))
            indexes.insert(j["choices"][0]["delta"]["tool_calls"][0]["index"].get<int>());
    }
    QVERIFY(ok);
    QCOMPARE(indexes, QSet<int>({0, 1}));
}

void TstSimulator::errors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("message");

    const std::string twoImages
        = OJson::array({OJson{{"role", "user"},
                              {"content",
                               OJson::array({OJson{{"type", "image_url"},
                                                   {"image_url", OJson{{"url", pngDataUrl(8, 8)}}}},
                                             OJson{{"type", "image_url"},
                                                   {"image_url", OJson{{"url", pngDataUrl(8, 8)}}}},
                                             OJson{{"type", "text"}, {"text", "Compare"}}})}}})
              .dump();
    QTest::newRow("unknown model")
        << QByteArray(R"({"model":"gpt-x","messages":[{"role":"user","content":"hi"}]})") << 404
        << "NotFoundError"
        << "The model `gpt-x` does not exist.";
    QTest::newRow("too many images")
        << QByteArray::fromStdString(R"({"messages":)" + twoImages + "}") << 400
        << "BadRequestError"
        << "At most 1 image(s) may be provided in one prompt.";
    QTest::newRow("prompt over context")
        << QByteArray::fromStdString(R"({"messages":[{"role":"user","content":")"
                                     + std::string(500, 'x') + R"("}]})")
        << 400 << "BadRequestError"
        << "This model's maximum context length is 100 tokens. However, your request has 132 "
           "input tokens. Please reduce the length of the input messages.";
    QTest::newRow("prompt plus output over context")
        << QByteArray(R"({"messages":[{"role":"user","content":"hi"}],"max_tokens":95})") << 400
        << "BadRequestError"
        << "This model's maximum context length is 100 tokens. However, you requested 95 output "
           "tokens and your prompt contains 8 input tokens, for a total of 103 tokens. Please "
           "reduce the length of the input prompt or the number of requested output tokens.";
    QTest::newRow("stream options without stream") << QByteArray(
        R"({"messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":true}})")
                                                   << 400 << "BadRequestError"
                                                   << "Stream options can only be defined when "
                                                      "`stream=True`.";
    QTest::newRow("empty tools") << QByteArray(
        R"({"messages":[{"role":"user","content":"hi"}],"tools":[]})")
                                 << 400 << "BadRequestError"
                                 << "`tools` must not be an empty list when given.";
    QTest::newRow("no messages") << QByteArray(R"({"model":"flowbench-sim"})") << 400
                                 << "BadRequestError"
                                 << "messages: Field required";
    QTest::newRow("not json") << QByteArray("{oops") << 400 << "BadRequestError"
                              << "JSON decode error: the request body must be a JSON object";
    QTest::newRow("zero max tokens")
        << QByteArray(R"({"messages":[{"role":"user","content":"hi"}],"max_tokens":0})") << 400
        << "BadRequestError"
        << "max_tokens must be at least 1, got 0.";
    QTest::newRow("data url not base64")
        << QByteArray(R"({"messages":[{"role":"user","content":[{"type":"image_url",)"
                      R"("image_url":{"url":"data:image/png,abc"}}]}]})")
        << 501 << "NotImplementedError"
        << "Only base64 data URLs are supported for now.";
}

void TstSimulator::errors()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, type);
    QFETCH(QString, message);
    Simulator s;
    Simulator::Config config;
    config.maxModelLen = 100;
    config.maxImagesPerPrompt = 1;
    startSimulator(s, config);
    const Response r = request(s, "POST", QStringLiteral("/v1/chat/completions"), body);
    QCOMPARE(r.status, status);
    const OJson j = r.json();
    QVERIFY2(j.contains("error") && j["error"].is_object(), r.body.constData());
    JSON_COMPARE(j["error"]["type"], type.toStdString());
    JSON_COMPARE(j["error"]["message"], message.toStdString());
    JSON_COMPARE(j["error"]["code"], status); // an integer in vLLM
    QVERIFY(j["error"].contains("param"));
    if (status == 404)
        JSON_COMPARE(j["error"]["param"], "model");
    QCOMPARE(s.generatedTokens(), qint64(0));
}

void TstSimulator::apiKey()
{
    Simulator s;
    Simulator::Config config;
    config.apiKey = QStringLiteral("secret");
    startSimulator(s, config);
    Response r = request(s, "GET", QStringLiteral("/v1/models"));
    QCOMPARE(r.status, 401);
    QCOMPARE(r.body, QByteArray(R"({"error":"Unauthorized"})"));
    r = request(s, "GET", QStringLiteral("/v1/models"), {}, "wrong");
    QCOMPARE(r.status, 401);
    QCOMPARE(request(s, "GET", QStringLiteral("/v1/models"), {}, "secret").status, 200);
    QCOMPARE(chat(s, chatBody("hi", false)).status, 401);
    QCOMPARE(chat(s, chatBody("hi", false), "secret").status, 200);
    // Not guarded, as in vLLM.
    QCOMPARE(request(s, "GET", QStringLiteral("/health")).status, 200);
    QCOMPARE(request(s, "GET", QStringLiteral("/metrics")).status, 200);
    QCOMPARE(request(s, "POST", QStringLiteral("/tokenize"), R"({"prompt":"hello"})").status, 200);
}

void TstSimulator::loadingThenReady()
{
    Simulator s;
    Simulator::Config config;
    config.loadingForMs = 400;
    startSimulator(s, config);
    Response r = request(s, "GET", QStringLiteral("/health"));
    QCOMPARE(r.status, 503);
    r = chat(s, chatBody("hi", true));
    QCOMPARE(r.status, 503);
    JSON_COMPARE(r.json()["error"]["code"], 503);
    QCOMPARE(request(s, "GET", QStringLiteral("/v1/models")).status, 503);
    QTRY_COMPARE_WITH_TIMEOUT(request(s, "GET", QStringLiteral("/health")).status, 200, 3000);
    QCOMPARE(chat(s, chatBody("hi", false)).status, 200);
}

void TstSimulator::statusFault()
{
    Simulator s;
    startSimulator(s);
    Simulator::Faults faults;
    faults.status = 429;
    faults.retryAfterSeconds = 2;
    faults.count = 2;
    s.setFaults(faults);
    for (int i = 0; i < 2; ++i) {
        const Response r = chat(s, chatBody("hi", true));
        QCOMPARE(r.status, 429);
        QCOMPARE(r.headers.value("retry-after"), QByteArray("2"));
        JSON_COMPARE(r.json()["error"]["code"], 429);
        QVERIFY(r.json()["error"]["message"].is_string());
    }
    QCOMPARE(chat(s, chatBody("hi", true)).status, 200);

    faults = {};
    faults.status = 503;
    faults.count = -1;
    s.setFaults(faults);
    for (int i = 0; i < 3; ++i) {
        const Response r = chat(s, chatBody("hi", false));
        QCOMPARE(r.status, 503);
        QVERIFY(!r.headers.contains("retry-after"));
    }
    s.setFaults({.count = 0});
    QCOMPARE(chat(s, chatBody("hi", false)).status, 200);
    // Faults are for chat requests only.
    s.setFaults({.status = 500});
    QCOMPARE(request(s, "GET", QStringLiteral("/v1/models")).status, 200);
    QCOMPARE(chat(s, chatBody("hi", false)).status, 500);
}

void TstSimulator::disconnectFault()
{
    Simulator s;
    startSimulator(s);
    s.setFaults({.disconnectAfterTokens = 2});
    const Response r = chat(s, chatBody("Hello there", true));
    QVERIFY(r.finished);
    QCOMPARE(r.status, 200);
    // The body ends without its 0-chunk; QNAM does not always call that an error, which is why
    // a client must treat a stream without [DONE] as failed.
    QVERIFY2(r.body.count("data: ") == 3, r.body.constData()); // role + two tokens
    QVERIFY(!r.body.contains("[DONE]"));
    QCOMPARE(s.generatedTokens(), qint64(2));
    QTRY_COMPARE(s.runningRequests(), 0);
    // The next request is fine.
    QCOMPARE(chat(s, chatBody("Hello there", true)).error, QNetworkReply::NoError);
}

void TstSimulator::garbageFault()
{
    Simulator s;
    startSimulator(s);
    s.setFaults({.garbageAfterTokens = 1});
    const Response r = chat(s, chatBody("Hello there", true));
    QVERIFY(r.finished);
    QCOMPARE(r.error, QNetworkReply::NoError); // a complete chunked body, just not SSE
    QVERIFY(r.body.startsWith("data: "));
    QVERIFY(r.body.contains("502 Bad Gateway"));
    QVERIFY(!r.body.contains("[DONE]"));
    bool wellFormed = true;
    sseData(r.body, &wellFormed);
    QVERIFY(!wellFormed);
    QCOMPARE(s.generatedTokens(), qint64(1));
}

void TstSimulator::stallFault()
{
    Simulator s;
    startSimulator(s);
    s.setFaults({.stallAfterTokens = 2});
    QNetworkReply *reply
        = send(s, "POST", QStringLiteral("/v1/chat/completions"),
               QByteArray::fromStdString(chatBody("Hello there", true).dump()), {}, 500);
    // An aborted reply cannot be read afterwards: collect the body as it comes.
    QByteArray received;
    connect(reply, &QNetworkReply::readyRead, this, [&] { received += reply->readAll(); });
    const Response r = wait(reply);
    QVERIFY(r.finished);
    QCOMPARE(r.error, QNetworkReply::OperationCanceledError); // QNAM's transfer timeout
    QCOMPARE(received.count("data: "), 3);
    QCOMPARE(s.generatedTokens(), qint64(2));
    // The timed-out client closed the connection: the stalled request is gone.
    QTRY_COMPARE(s.runningRequests(), 0);
}

void TstSimulator::errorEventFault()
{
    Simulator s;
    startSimulator(s);
    s.setFaults({.errorEventInStream = true});
    const Response r = chat(s, chatBody("Hello there", true));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.error, QNetworkReply::NoError);
    bool ok = false;
    const QList<QByteArray> data = sseData(r.body, &ok);
    QVERIFY(ok);
    QCOMPARE(data.size(), 4); // role, one token, error, [DONE]
    const OJson error = parse(data[2]);
    QVERIFY(!error.contains("choices"));
    JSON_COMPARE(error["error"]["type"], "InternalServerError");
    JSON_COMPARE(error["error"]["code"], 500);
    QVERIFY(error["error"]["param"].is_null());
    QCOMPARE(data[3], QByteArray("[DONE]"));
}

void TstSimulator::nonStreamedFaults()
{
    Simulator s;
    startSimulator(s);
    // Until changed: QNAM resends a request once when the connection closes before any byte.
    s.setFaults({.disconnectAfterTokens = 1, .count = -1});
    Response r = chat(s, chatBody("Hello there", false));
    QCOMPARE(r.error, QNetworkReply::RemoteHostClosedError);
    s.setFaults({.errorEventInStream = true});
    r = chat(s, chatBody("Hello there", false));
    QCOMPARE(r.status, 500);
    JSON_COMPARE(r.json()["error"]["type"], "InternalServerError");
    s.setFaults({.garbageAfterTokens = 0});
    r = chat(s, chatBody("Hello there", false));
    QCOMPARE(r.status, 200);
    QVERIFY(r.json().is_discarded());
}

void TstSimulator::imagesCountIntoPrompt()
{
    Simulator s;
    startSimulator(s);
    OJson body = chatBody("", false);
    body["messages"] = OJson::parse(R"([{"role":"system","content":"Be brief."},
        {"role":"user","content":[{"type":"text","text":"Keyframe 1:"},
        {"type":"image_url","image_url":{"url":"IMG1"}},
        {"type":"text","text":"Keyframe 2:"},
        {"type":"image_url","image_url":{"url":"https://example.com/frame.jpg"}},
        {"type":"text","text":"What changed?"}]}])");
    body["messages"][1]["content"][1]["image_url"]["url"] = pngDataUrl(896, 504);
    const Response r = chat(s, body);
    QCOMPARE(r.status, 200);
    // 3 + system (4 + 3) + user (4 + 3 + 445 + 3 + 200 + 4)
    JSON_COMPARE(r.json()["usage"]["prompt_tokens"], 3 + 4 + 3 + 4 + 3 + 445 + 3 + 200 + 4);
    JSON_COMPARE(r.json()["choices"][0]["message"]["content"],
                 "Echo: Keyframe 1: Keyframe 2: What changed? This is a simulated reply. Images "
                 "received: 2.");

    // mm_processor_kwargs bound the pixels: 896×504 with max_pixels 1024·100 → 100 + 4.
    body["mm_processor_kwargs"] = OJson{{"images_kwargs", {{"max_pixels", 1024 * 100}}}};
    JSON_COMPARE(chat(s, body).json()["usage"]["prompt_tokens"],
                 3 + 4 + 3 + 4 + 3 + 104 + 3 + 104 + 4);

    body["messages"][1]["content"][1]["image_url"]["url"] = "data:image/png;base64,@@@";
    QCOMPARE(chat(s, body).status, 400);
}

void TstSimulator::tokenize()
{
    Simulator s;
    startSimulator(s);
    OJson body = chatBody("Hello there", false);
    body["messages"][0]["content"] = OJson::parse(R"([{"type":"text","text":"Hello there"},
        {"type":"image_url","image_url":{"url":"x"}}])");
    body["messages"][0]["content"][1]["image_url"]["url"] = pngDataUrl(1280, 720);
    const int chatPrompt = chat(s, body).json()["usage"]["prompt_tokens"].get<int>();
    QCOMPARE(chatPrompt, kHelloPromptTokens + 904);

    OJson tokenizeBody{{"model", "flowbench-sim"}, {"messages", body["messages"]}};
    Response r = request(s, "POST", QStringLiteral("/tokenize"),
                         QByteArray::fromStdString(tokenizeBody.dump()));
    QCOMPARE(r.status, 200);
    const OJson j = r.json();
    JSON_COMPARE(j["count"], chatPrompt);
    JSON_COMPARE(j["max_model_len"], 32768);
    QCOMPARE(j["tokens"].size(), size_t(chatPrompt));
    QVERIFY(j["token_strs"].is_null());

    tokenizeBody["add_generation_prompt"] = false;
    r = request(s, "POST", QStringLiteral("/tokenize"),
                QByteArray::fromStdString(tokenizeBody.dump()));
    JSON_COMPARE(r.json()["count"], chatPrompt - 3);

    r = request(s, "POST", QStringLiteral("/tokenize"), R"({"prompt":"Hello there, world"})");
    JSON_COMPARE(r.json()["count"], 5);
    r = request(s, "POST", QStringLiteral("/tokenize"), R"({"model":"other","prompt":"x"})");
    QCOMPARE(r.status, 404);
}

void TstSimulator::metrics()
{
    Simulator s;
    Simulator::Config config;
    config.model = QStringLiteral("m\"1");
    startSimulator(s, config);
    OJson body = chatBody("Hello there", false);
    body["model"] = "m\"1";
    QCOMPARE(chat(s, body).status, 200);
    const Response r = request(s, "GET", QStringLiteral("/metrics"));
    QCOMPARE(r.status, 200);
    QVERIFY(r.headers.value("content-type").startsWith("text/plain; version=0.0.4"));
    const QByteArray labels = R"({engine="0",model_name="m\"1"})";
    QVERIFY(r.body.contains("# TYPE vllm:num_requests_running gauge\n"));
    QVERIFY(r.body.contains("vllm:num_requests_running" + labels + " 0.0\n"));
    QVERIFY(r.body.contains("vllm:num_requests_waiting" + labels + " 0.0\n"));
    QVERIFY(r.body.contains("# TYPE vllm:prompt_tokens_total counter\n"));
    QVERIFY(r.body.contains("vllm:prompt_tokens_total" + labels + " 10.0\n"));
    QVERIFY(r.body.contains("vllm:generation_tokens_total" + labels + " 9.0\n"));
    QVERIFY(r.body.contains(
        R"(vllm:request_success_total{engine="0",finished_reason="stop",model_name="m\"1"} 1.0)"));
    QVERIFY(r.body.contains("# TYPE vllm:time_to_first_token_seconds histogram\n"));
    QVERIFY(r.body.contains(
        R"(vllm:time_to_first_token_seconds_count{engine="0",model_name="m\"1"} 1.0)"));
}

void TstSimulator::abortStopsGeneration()
{
    Simulator s;
    Simulator::Config config;
    config.tokensPerSecond = 50;
    startSimulator(s, config);
    OJson body = chatBody("Hello there", true);
    body["min_tokens"] = 500; // ten seconds of tokens
    QNetworkReply *reply = send(s, "POST", QStringLiteral("/v1/chat/completions"),
                                QByteArray::fromStdString(body.dump()));
    QByteArray received;
    bool aborted = false;
    connect(reply, &QNetworkReply::readyRead, this, [&] {
        received += reply->readAll();
        if (!aborted && received.count("data: ") >= 6) {
            aborted = true;
            reply->abort();
        }
    });
    QTRY_VERIFY_WITH_TIMEOUT(aborted, 5000);
    reply->deleteLater();
    QTRY_COMPARE_WITH_TIMEOUT(s.runningRequests(), 0, 2000);
    const qint64 afterAbort = s.generatedTokens();
    QVERIFY2(afterAbort < 20, QByteArray::number(afterAbort).constData());
    // Time for 20 more tokens at 50/s: none may come, the generation has stopped.
    QTest::qWait(400);
    QCOMPARE(s.generatedTokens(), afterAbort);
    const Response metrics = request(s, "GET", QStringLiteral("/metrics"));
    QVERIFY(
        metrics.body.contains(R"(vllm:request_success_total{engine="0",finished_reason="abort",)"
                              R"(model_name="flowbench-sim"} 1.0)"));
}

void TstSimulator::abortStopsNonStreamedGeneration()
{
    Simulator s;
    Simulator::Config config;
    config.tokensPerSecond = 50;
    startSimulator(s, config);
    OJson body = chatBody("Hello there", false);
    body["min_tokens"] = 500;
    QNetworkReply *reply = send(s, "POST", QStringLiteral("/v1/chat/completions"),
                                QByteArray::fromStdString(body.dump()));
    QTRY_VERIFY_WITH_TIMEOUT(s.generatedTokens() >= 5, 3000);
    reply->abort();
    reply->deleteLater();
    QTRY_COMPARE_WITH_TIMEOUT(s.runningRequests(), 0, 2000);
    const qint64 afterAbort = s.generatedTokens();
    QVERIFY(afterAbort < 30);
    QTest::qWait(400);
    QCOMPARE(s.generatedTokens(), afterAbort);
}

void TstSimulator::pacing()
{
    Simulator s;
    Simulator::Config config;
    config.timeToFirstTokenMs = 300;
    config.tokensPerSecond = 40; // 25 ms a token
    startSimulator(s, config);
    QElapsedTimer clock;
    clock.start();
    QNetworkReply *reply = send(s, "POST", QStringLiteral("/v1/chat/completions"),
                                QByteArray::fromStdString(chatBody("Hello there", true).dump()));
    qint64 headersAt = -1, firstDataAt = -1;
    connect(reply, &QNetworkReply::metaDataChanged, this, [&] {
        if (headersAt < 0)
            headersAt = clock.elapsed();
    });
    connect(reply, &QNetworkReply::readyRead, this, [&] {
        if (firstDataAt < 0 && reply->bytesAvailable() > 0)
            firstDataAt = clock.elapsed();
    });
    const Response r = wait(reply);
    const qint64 total = clock.elapsed();
    QCOMPARE(r.error, QNetworkReply::NoError);
    QVERIFY(headersAt >= 0 && headersAt < 250); // the 200 goes out before the first token
    QVERIFY2(firstDataAt >= 280, QByteArray::number(firstDataAt).constData());
    // 9 tokens: the first at 300 ms, eight more 25 ms apart.
    QVERIFY2(total >= 300 + 8 * 25 - 20, QByteArray::number(total).constData());
}

void TstSimulator::minTokensAndIgnoreEos()
{
    Simulator s;
    startSimulator(s);
    OJson body = chatBody("Hello there", false);
    body["min_tokens"] = 15;
    Response r = chat(s, body);
    JSON_COMPARE(r.json()["usage"]["completion_tokens"], 15);
    JSON_COMPARE(r.json()["choices"][0]["finish_reason"], "stop");
    JSON_COMPARE(r.json()["choices"][0]["message"]["content"],
                 kHelloTokens.join(QString()).toStdString() + " This is filler text. This is");

    body.erase("min_tokens");
    body["ignore_eos"] = true;
    body["max_tokens"] = 20;
    r = chat(s, body);
    JSON_COMPARE(r.json()["usage"]["completion_tokens"], 20);
    JSON_COMPARE(r.json()["choices"][0]["finish_reason"], "length");
}

void TstSimulator::counters()
{
    Simulator s;
    startSimulator(s);
    QSignalSpy received(&s, &Simulator::requestReceived);
    const QByteArray body = QByteArray::fromStdString(chatBody("Hello there", false).dump());
    QCOMPARE(request(s, "POST", QStringLiteral("/v1/chat/completions"), body).status, 200);
    QCOMPARE(request(s, "GET", QStringLiteral("/health")).status, 200);
    QCOMPARE(s.requestCount(), 2);
    QCOMPARE(s.lastRequestBody(), body); // GETs leave it alone
    QCOMPARE(received.size(), 2);
    QCOMPARE(received.at(0).at(0).toString(), QStringLiteral("/v1/chat/completions"));
    QCOMPARE(received.at(1).at(0).toString(), QStringLiteral("/health"));
}

void TstSimulator::destroyedWhileStreaming()
{
    auto s = std::make_unique<Simulator>();
    Simulator::Config config;
    config.tokensPerSecond = 20;
    startSimulator(*s, config);
    OJson body = chatBody("Hello there", true);
    body["min_tokens"] = 100;
    QNetworkReply *reply = send(*s, "POST", QStringLiteral("/v1/chat/completions"),
                                QByteArray::fromStdString(body.dump()));
    QTRY_VERIFY_WITH_TIMEOUT(s->generatedTokens() >= 2, 3000);
    s.reset(); // closes the connection: the client's reply ends, nothing dangles
    const Response r = wait(reply);
    QVERIFY(r.finished);
}

QTEST_GUILESS_MAIN(TstSimulator)
#include "tst_simulator.moc"

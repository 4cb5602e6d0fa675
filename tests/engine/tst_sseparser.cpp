// The SSE parser, the chat stream decoder and the request/error/usage JSON of the LLM client,
// against the vLLM transcripts in tests/data/llm/sse-examples.txt (a copy of the shared
// specs/sse-examples.txt) and the protocol facts of specs/openai-endpoints.md.
#include "llm/chattypes.h"
#include "llm/sseparser.h"

#include <QFile>
#include <QTimeZone>
#include <QTest>

#include <vector>

using namespace flowbench::llm;

#define QCOMPARE_JSON(actual, expected)                                                            \
    do {                                                                                           \
        const Json actual_ = (actual);                                                             \
        const Json expected_ = (expected);                                                         \
        QVERIFY2(actual_ == expected_,                                                             \
                 qPrintable(QString::fromStdString(actual_.dump() + " != " + expected_.dump())));  \
    } while (false)

namespace {

// Everything a run of parser + decoder produced, for comparing runs over different splits.
struct Rebuilt
{
    ChatResult result;
    QString streamedContent;   // the concatenated content updates
    QString streamedReasoning; // the concatenated reasoning updates
    int contentUpdates = 0;
    int reasoningUpdates = 0;
    bool done = false;
    std::optional<ChatError> error;
    int unknownLines = 0;
};

Rebuilt decode(const std::vector<QByteArray> &pieces)
{
    Rebuilt out;
    ChatStreamDecoder decoder;
    const auto take = [&out](const ChatStreamDecoder::Update &update) {
        out.streamedContent += update.content;
        out.streamedReasoning += update.reasoning;
        out.contentUpdates += update.content.isEmpty() ? 0 : 1;
        out.reasoningUpdates += update.reasoning.isEmpty() ? 0 : 1;
    };
    SseParser parser([&](const SseEvent &event) { take(decoder.handle(event)); });
    for (const QByteArray &piece : pieces)
        parser.feed(piece);
    parser.finish();
    take(decoder.flush());
    out.result = decoder.result();
    out.done = decoder.isDone();
    out.error = decoder.error();
    out.unknownLines = parser.unknownLines();
    return out;
}

Rebuilt decode(const QByteArray &body)
{
    return decode(std::vector<QByteArray>{body});
}

QByteArray transcriptBody(int number)
{
    QFile file(QStringLiteral(FLOWBENCH_SOURCE_DIR "/tests/data/llm/sse-examples.txt"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray text = file.readAll();
    const QByteArray header = "=== TRANSCRIPT " + QByteArray::number(number) + ":";
    const qsizetype at = text.indexOf(header);
    const QByteArray begin = "----- BEGIN BODY -----\n";
    const qsizetype start = text.indexOf(begin, at);
    const qsizetype end = text.indexOf("----- END BODY -----", start);
    if (at < 0 || start < 0 || end < 0)
        return {};
    return text.mid(start + begin.size(), end - start - begin.size());
}

QByteArray withLineEnds(QByteArray body, const QByteArray &lineEnd)
{
    // The bodies hold compact JSON (no raw line breaks inside), so every LF is a line end.
    return body.replace("\n", lineEnd);
}

struct Expected
{
    QString content;
    QString reasoning;
    QString finishReason;
    qint64 prompt = 0;
    qint64 completion = 0;
    qint64 total = 0;
    int contentChunks = 0;
    int reasoningChunks = 0;
    std::vector<ToolCall> toolCalls;
    QString id;
    QString model;
};

Expected expectedFor(int transcript)
{
    Expected e;
    switch (transcript) {
    case 1:
        e.content = QStringLiteral("The frame shows a red forklift parked beside two stacked "
                                   "pallets near the loading dock.");
        e.finishReason = QStringLiteral("stop");
        e.prompt = 486;
        e.completion = 18;
        e.total = 504;
        e.contentChunks = 17;
        e.id = QStringLiteral("chatcmpl-5b0f2c7e8d9a4f1e9c3b7a2d6e4f8a10");
        e.model = QStringLiteral("AIDC-AI/Ovis2.5-9B");
        break;
    case 2:
        e.reasoning = QStringLiteral(
            "\nFrame 1 shows the door closed and the corridor empty. In frame 2 the door is open "
            "and a person is stepping through. So someone opened the door between the two "
            "frames.\n");
        e.content = QStringLiteral(
            "\n\nBetween the two keyframes, a person opened the door and walked through it.");
        e.finishReason = QStringLiteral("stop");
        e.prompt = 951;
        e.completion = 55;
        e.total = 1006;
        e.contentChunks = 16;
        e.reasoningChunks = 36;
        e.id = QStringLiteral("chatcmpl-9e41d0a3b6c24f7f8e2d5c1b0a9f7e36");
        e.model = QStringLiteral("AIDC-AI/Ovis2.5-9B");
        break;
    case 3: {
        e.finishReason = QStringLiteral("tool_calls");
        e.prompt = 312;
        e.completion = 28;
        e.total = 340;
        ToolCall call;
        call.id = QStringLiteral("chatcmpl-tool-4f2a9c1e7b3d45e08a6c2f1d9b7e3a50");
        call.name = QStringLiteral("get_weather");
        call.arguments = QStringLiteral(R"({"location": "Berlin", "unit": "celsius"})");
        e.toolCalls.push_back(call);
        e.id = QStringLiteral("chatcmpl-0c7a3e5f1b2d48a6b9e0f4d3c2a1b7e8");
        e.model = QStringLiteral("Qwen/Qwen3-8B");
        break;
    }
    }
    return e;
}

// Compares one rebuild with the expectation; returns an empty string when they match.
QString mismatch(const Rebuilt &r, const Expected &e)
{
    const auto differ = [](const char *what, const QString &actual, const QString &expected) {
        return QStringLiteral("%1: got \"%2\", want \"%3\"")
            .arg(QLatin1String(what), actual, expected);
    };
    if (r.error)
        return QStringLiteral("unexpected error: ") + r.error->message;
    if (!r.done)
        return QStringLiteral("[DONE] not seen");
    if (r.unknownLines)
        return QStringLiteral("unknown lines");
    if (r.result.content != e.content)
        return differ("content", r.result.content, e.content);
    if (r.result.reasoning != e.reasoning)
        return differ("reasoning", r.result.reasoning, e.reasoning);
    if (r.streamedContent != e.content)
        return differ("streamed content", r.streamedContent, e.content);
    if (r.streamedReasoning != e.reasoning)
        return differ("streamed reasoning", r.streamedReasoning, e.reasoning);
    if (r.result.finishReason != e.finishReason)
        return differ("finish_reason", r.result.finishReason, e.finishReason);
    if (!r.result.usage.present || r.result.usage.promptTokens != e.prompt
        || r.result.usage.completionTokens != e.completion || r.result.usage.totalTokens != e.total)
        return QStringLiteral("usage %1/%2/%3")
            .arg(r.result.usage.promptTokens)
            .arg(r.result.usage.completionTokens)
            .arg(r.result.usage.totalTokens);
    if (r.result.id != e.id || r.result.model != e.model)
        return differ("id/model", r.result.id + r.result.model, e.id + e.model);
    if (r.result.toolCalls.size() != e.toolCalls.size())
        return QStringLiteral("%1 tool calls").arg(r.result.toolCalls.size());
    for (size_t i = 0; i < e.toolCalls.size(); ++i) {
        const ToolCall &a = r.result.toolCalls[i];
        const ToolCall &b = e.toolCalls[i];
        if (a.id != b.id || a.name != b.name || a.arguments != b.arguments)
            return differ("tool call", a.id + QLatin1Char(' ') + a.name + a.arguments,
                          b.id + QLatin1Char(' ') + b.name + b.arguments);
    }
    return {};
}

// A vLLM-style stream (role chunk, one chunk per piece, finish chunk, usage chunk, [DONE]).
QByteArray streamOf(const std::vector<std::pair<const char *, QString>> &deltas,
                    const char *finish = "stop")
{
    const auto event = [](const Json &chunk) {
        return "data: " + QByteArray::fromStdString(chunk.dump()) + "\n\n";
    };
    const auto chunk = [](Json delta, Json finishReason) {
        return Json{
            {"id", "chatcmpl-x"},
            {"object", "chat.completion.chunk"},
            {"model", "m"},
            {"choices",
             {{{"index", 0}, {"delta", std::move(delta)}, {"finish_reason", finishReason}}}}};
    };
    QByteArray body = event(chunk({{"role", "assistant"}, {"content", ""}}, nullptr));
    for (const auto &[field, text] : deltas)
        body += event(chunk({{field, text.toStdString()}}, nullptr));
    body += event(chunk(Json::object(), finish));
    body += event(
        {{"id", "chatcmpl-x"},
         {"choices", Json::array()},
         {"usage", {{"prompt_tokens", 3}, {"total_tokens", 5}, {"completion_tokens", 2}}}});
    return body + "data: [DONE]\n\n";
}

std::vector<SseEvent> parseAll(const std::vector<QByteArray> &pieces, int *unknown = nullptr)
{
    std::vector<SseEvent> events;
    SseParser parser([&events](const SseEvent &event) { events.push_back(event); });
    for (const QByteArray &piece : pieces)
        parser.feed(piece);
    parser.finish();
    if (unknown)
        *unknown = parser.unknownLines();
    return events;
}

} // namespace

class TestSseParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void transcripts_data();
    void transcripts();
    void thinkTagsInContent_data();
    void thinkTagsInContent();
    void thinkSplitterEdges();
    void lineEndsCommentsAndFields();
    void crLfSplitAcrossChunks();
    void byteOrderMark();
    void finishDispatchesPendingEvent();
    void errorEventsInStream_data();
    void errorEventsInStream();
    void malformedData();
    void usageAndReasoningVariants();
    void parallelAndWholeToolCalls();
    void nonStreamedResponse();
    void httpErrors_data();
    void httpErrors();
    void retryAfter();
    void requestJson();
    void requestJsonPerServer();
    void usageJson();
    void errorKinds();
};

void TestSseParser::transcripts_data()
{
    QTest::addColumn<int>("transcript");
    QTest::addColumn<QByteArray>("lineEnd");
    for (int t = 1; t <= 3; ++t) {
        QTest::addRow("transcript %d LF", t) << t << QByteArray("\n");
        QTest::addRow("transcript %d CRLF", t) << t << QByteArray("\r\n");
        QTest::addRow("transcript %d CR", t) << t << QByteArray("\r");
    }
}

void TestSseParser::transcripts()
{
    QFETCH(int, transcript);
    QFETCH(QByteArray, lineEnd);
    const QByteArray lf = transcriptBody(transcript);
    QVERIFY2(!lf.isEmpty(), "transcript body not found in tests/data/llm/sse-examples.txt");
    const QByteArray body = withLineEnds(lf, lineEnd);
    const Expected expected = expectedFor(transcript);

    // Whole.
    const Rebuilt whole = decode(body);
    QVERIFY2(mismatch(whole, expected).isEmpty(), qPrintable(mismatch(whole, expected)));
    QCOMPARE(whole.contentUpdates, expected.contentChunks);
    QCOMPARE(whole.reasoningUpdates, expected.reasoningChunks);

    // Two pieces, split at every byte position.
    for (qsizetype at = 0; at <= body.size(); ++at) {
        const Rebuilt split = decode({body.left(at), body.mid(at)});
        const QString why = mismatch(split, expected);
        if (!why.isEmpty())
            QFAIL(qPrintable(QStringLiteral("split at %1: %2").arg(at).arg(why)));
    }

    // Byte by byte.
    std::vector<QByteArray> bytes;
    bytes.reserve(body.size());
    for (char c : body)
        bytes.emplace_back(1, c);
    const Rebuilt single = decode(bytes);
    QVERIFY2(mismatch(single, expected).isEmpty(), qPrintable(mismatch(single, expected)));
    QCOMPARE(single.contentUpdates, expected.contentChunks);
}

void TestSseParser::thinkTagsInContent_data()
{
    QTest::addColumn<int>("pieceSize");
    for (int size : {1, 2, 3, 5, 7, 8, 9, 13, 40, 1000})
        QTest::addRow("pieces of %d chars", size) << size;
}

void TestSseParser::thinkTagsInContent()
{
    // Transcript 2 as a server without --reasoning-parser sends it (the file's note): all of it
    // in delta.content, "<think>\n…frames.\n</think>\n\nBetween…", here re-cut into pieces of
    // every size so that the tags fall across deltas.
    QFETCH(int, pieceSize);
    const Expected expected = expectedFor(2);
    const QString text = QStringLiteral("<think>") + expected.reasoning + QStringLiteral("</think>")
                         + expected.content;
    std::vector<std::pair<const char *, QString>> deltas;
    for (qsizetype at = 0; at < text.size(); at += pieceSize)
        deltas.emplace_back("content", text.mid(at, pieceSize));
    const QByteArray body = streamOf(deltas);

    const Rebuilt r = decode(body);
    QVERIFY(!r.error);
    QCOMPARE(r.result.reasoning, expected.reasoning);
    QCOMPARE(r.result.content, expected.content);
    QCOMPARE(r.streamedReasoning, expected.reasoning);
    QCOMPARE(r.streamedContent, expected.content);
    // And across every split of the bytes.
    for (qsizetype at = 0; at <= body.size(); at += 7) {
        const Rebuilt split = decode({body.left(at), body.mid(at)});
        QCOMPARE(split.result.reasoning, expected.reasoning);
        QCOMPARE(split.result.content, expected.content);
    }
}

void TestSseParser::thinkSplitterEdges()
{
    const auto run = [](const QStringList &pieces) {
        ThinkTagSplitter splitter;
        QString content;
        QString reasoning;
        for (const QString &piece : pieces)
            splitter.feed(piece, &content, &reasoning);
        splitter.finish(&content, &reasoning);
        return std::make_pair(content, reasoning);
    };
    // Plain answers pass through; "<" that turns out to be no tag is content.
    QCOMPARE(run({QStringLiteral("Hello")}).first, QStringLiteral("Hello"));
    QCOMPARE(run({QStringLiteral("<th"), QStringLiteral("ing>")}).first, QStringLiteral("<thing>"));
    QCOMPARE(run({QStringLiteral("a <think>b</think>")}).first,
             QStringLiteral("a <think>b</think>"));
    // Leading whitespace before the tag is dropped; an unclosed block is all reasoning.
    auto [content, reasoning] = run({QStringLiteral("\n <thi"), QStringLiteral("nk>abc</th")});
    QCOMPARE(content, QString());
    QCOMPARE(reasoning, QStringLiteral("abc</th"));
    std::tie(content, reasoning) = run({QStringLiteral("<think></think>"), QStringLiteral("x")});
    QCOMPARE(content, QStringLiteral("x"));
    QCOMPARE(reasoning, QString());
    // A reasoning text that contains "</" without closing.
    std::tie(content, reasoning)
        = run({QStringLiteral("<think>a </b"), QStringLiteral("> c</"), QStringLiteral("think>d")});
    QCOMPARE(reasoning, QStringLiteral("a </b> c"));
    QCOMPARE(content, QStringLiteral("d"));
    // Whitespace-only content is kept.
    QCOMPARE(run({QStringLiteral("\n")}).first, QStringLiteral("\n"));

    // A template that opened <think> in the prompt: only the closing tag is generated.
    const QByteArray body = streamOf(
        {{"content", QStringLiteral("plan")}, {"content", QStringLiteral("</think>\n\nanswer")}});
    const Rebuilt r = decode(body);
    QCOMPARE(r.result.reasoning, QStringLiteral("plan"));
    QCOMPARE(r.result.content, QStringLiteral("\n\nanswer"));
}

void TestSseParser::lineEndsCommentsAndFields()
{
    const QByteArray body = ": ping - 2026-01-01 00:00:00\n\n"
                            "data:{\"a\":1}\r\n\r\n"
                            ": keep-alive\r\r"
                            "event: update\nid: 7\ndata: {\"b\":\ndata: 2}\n\n"
                            "retry: 100\n"
                            "data\n\n"
                            "data:  two spaces\n\n"
                            "event: ignored-without-data\n\n"
                            "data: [DONE]\n\n";
    int unknown = -1;
    const std::vector<SseEvent> events = parseAll({body}, &unknown);
    QCOMPARE(unknown, 0);
    QCOMPARE(events.size(), size_t(5));
    QCOMPARE(events[0].data, QByteArray("{\"a\":1}"));
    QCOMPARE(events[0].event, QStringLiteral("message"));
    QCOMPARE(events[1].event, QStringLiteral("update"));
    QCOMPARE(events[1].id, QStringLiteral("7"));
    QCOMPARE(events[1].data, QByteArray("{\"b\":\n2}")); // multi-line data joined with LF
    QCOMPARE(events[2].data, QByteArray());              // a bare "data" line
    QCOMPARE(events[3].data, QByteArray(" two spaces")); // only one space is stripped
    QCOMPARE(events[4].data, QByteArray("[DONE]"));
    QCOMPARE(events[4].id, QStringLiteral("7")); // the last event id persists

    // Garbage lines are no events, but they are counted.
    const std::vector<SseEvent> garbage
        = parseAll({QByteArray("HTTP/1.1 garbage\n\x01\x02\xff\ndata: x\n\n")}, &unknown);
    QCOMPARE(garbage.size(), size_t(1));
    QCOMPARE(unknown, 2);
}

void TestSseParser::crLfSplitAcrossChunks()
{
    // CR at the end of one chunk and LF at the start of the next are one line end: no empty line
    // in between (which would dispatch early and split the event in two).
    const std::vector<SseEvent> events = parseAll(
        {QByteArray("data: a\r"), QByteArray("\ndata: b\r"), QByteArray("\n\r"), QByteArray("\n")});
    QCOMPARE(events.size(), size_t(1));
    QCOMPARE(events[0].data, QByteArray("a\nb"));

    // CR CR is two line ends: the event ends.
    const std::vector<SseEvent> crs
        = parseAll({QByteArray("data: a\r"), QByteArray("\r"), QByteArray("data: b\r\r")});
    QCOMPARE(crs.size(), size_t(2));
}

void TestSseParser::byteOrderMark()
{
    // A UTF-8 BOM before the first line is dropped (SSE rules), also when split across chunks.
    const QByteArray body = "\xEF\xBB\xBF"
                            "data: x\n\n";
    for (qsizetype at = 0; at <= body.size(); ++at) {
        int unknown = -1;
        const std::vector<SseEvent> events = parseAll({body.left(at), body.mid(at)}, &unknown);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(events[0].data, QByteArray("x"));
        QCOMPARE(unknown, 0);
    }
}

void TestSseParser::finishDispatchesPendingEvent()
{
    // llama.cpp may close right after its error event, without the blank line.
    const std::vector<SseEvent> events = parseAll({QByteArray("data: one\n\ndata: two")});
    QCOMPARE(events.size(), size_t(2));
    QCOMPARE(events[1].data, QByteArray("two"));
}

void TestSseParser::errorEventsInStream_data()
{
    QTest::addColumn<QByteArray>("tail");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");
    const int server = int(ChatError::Kind::ServerError);
    QTest::newRow("vLLM nested, then [DONE]")
        << QByteArray("data: {\"error\":{\"message\":\"Internal server error\",\"type\":"
                      "\"InternalServerError\",\"param\":null,\"code\":500}}\n\ndata: [DONE]\n\n")
        << server << QStringLiteral("Internal server error");
    QTest::newRow("vLLM flat (<= 0.10.0)")
        << QByteArray("data: {\"object\":\"error\",\"message\":\"boom\",\"type\":"
                      "\"InternalServerError\",\"param\":null,\"code\":500}\n\n")
        << server << QStringLiteral("boom");
    QTest::newRow("llama.cpp error line") << QByteArray(
        "error: {\"code\":500,\"message\":\"invalid utf-8\",\"type\":\"server_error\"}"
        "\n\ndata: [DONE]\n\n") << server << QStringLiteral("invalid utf-8");
    QTest::newRow("llama.cpp data error, closed without blank line")
        << QByteArray("data: {\"error\":{\"code\":500,\"message\":\"failed\",\"type\":"
                      "\"server_error\"}}")
        << server << QStringLiteral("failed");
    QTest::newRow("string error") << QByteArray("data: {\"error\":\"Unauthorized\"}\n\n") << server
                                  << QStringLiteral("Unauthorized");
    QTest::newRow("context overflow in stream")
        << QByteArray("data: {\"error\":{\"message\":\"This model's maximum context length is 4096 "
                      "tokens.\",\"type\":\"BadRequestError\",\"code\":400}}\n\n")
        << int(ChatError::Kind::ContextTooLong)
        << QStringLiteral("This model's maximum context length is 4096 tokens.");
}

void TestSseParser::errorEventsInStream()
{
    QFETCH(QByteArray, tail);
    QFETCH(int, kind);
    QFETCH(QString, message);
    const QByteArray head
        = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"par\"}}]}\n\n"
          "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tial\"}}]}\n\n";
    const QByteArray body = head + tail;
    for (qsizetype at = 0; at <= body.size(); ++at) {
        const Rebuilt r = decode({body.left(at), body.mid(at)});
        QVERIFY(r.error.has_value());
        QCOMPARE(int(r.error->kind), kind);
        QCOMPARE(r.error->message, message);
        QCOMPARE(r.error->httpStatus, 200);
        QVERIFY(!r.done); // [DONE] after an error does not turn it into success
        QCOMPARE(r.result.content, QStringLiteral("partial")); // kept for display
    }
}

void TestSseParser::malformedData()
{
    const Rebuilt r = decode(QByteArray("data: {\"choices\":[]}\n\ndata: {not json\n\n"));
    QVERIFY(r.error.has_value());
    QCOMPARE(r.error->kind, ChatError::Kind::MalformedStream);
    QVERIFY(r.error->message.contains(QLatin1String("{not json")));

    const Rebuilt array = decode(QByteArray("data: [1,2]\n\n"));
    QVERIFY(array.error.has_value());
    QCOMPARE(array.error->kind, ChatError::Kind::MalformedStream);

    // Garbage without data lines: no error from the decoder, but the parser counts it, and the
    // stream has no [DONE] (the client reports MalformedStream).
    const Rebuilt garbage = decode(QByteArray("\x89PNG\r\n\x1a\n\x00\x00garbage"));
    QVERIFY(!garbage.error);
    QVERIFY(!garbage.done);
    QVERIFY(garbage.unknownLines > 0);
}

void TestSseParser::usageAndReasoningVariants()
{
    // OpenAI style: "usage": null on every chunk, then the usage chunk with empty choices.
    // llama.cpp: reasoning in reasoning_content. vLLM 0.11.x: both fields with the same text.
    const QByteArray body
        = "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"think \"}}],"
          "\"usage\":null}\n\n"
          "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"more\","
          "\"reasoning_content\":\"more\"}}],\"usage\":null}\n\n"
          "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\",\"reasoning\":null}}],"
          "\"usage\":null}\n\n"
          "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"second choice\"}}]}\n\n"
          "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n"
          "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":4,"
          "\"total_tokens\":14,\"completion_tokens_details\":{\"reasoning_tokens\":3},"
          "\"prompt_tokens_details\":{\"cached_tokens\":8}}}\n\n"
          "data: [DONE]\n\n";
    const Rebuilt r = decode(body);
    QVERIFY(!r.error);
    QCOMPARE(r.result.reasoning, QStringLiteral("think more"));
    QCOMPARE(r.result.content, QStringLiteral("ok"));
    QCOMPARE(r.result.finishReason, QStringLiteral("length"));
    QVERIFY(r.result.usage.present);
    QCOMPARE(r.result.usage.promptTokens, 10);
    QCOMPARE(r.result.usage.completionTokens, 4);
    QCOMPARE(r.result.usage.totalTokens, 14);
    QCOMPARE(r.result.usage.reasoningTokens, 3);
    QCOMPARE(r.result.usage.cachedTokens, 8);

    // No usage at all (include_usage not honoured): present stays false.
    const Rebuilt none = decode(QByteArray("data: {\"choices\":[{\"index\":0,\"delta\":"
                                           "{\"content\":\"x\"},\"finish_reason\":\"stop\"}]}\n\n"
                                           "data: [DONE]\n\n"));
    QVERIFY(!none.result.usage.present);
    QCOMPARE(none.result.content, QStringLiteral("x"));
}

void TestSseParser::parallelAndWholeToolCalls()
{
    const QByteArray body
        = "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":["
          "{\"id\":\"a\",\"type\":\"function\",\"index\":0,\"function\":{\"name\":\"f\","
          "\"arguments\":\"\"}}]}}]}\n\n"
          "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":["
          "{\"id\":\"b\",\"type\":\"function\",\"index\":1,\"function\":{\"name\":\"g\"}}]}}]}\n\n"
          "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":["
          "{\"index\":1,\"function\":{\"arguments\":\"{\\\"y\\\":\"}},"
          "{\"index\":0,\"function\":{\"arguments\":\"{\\\"x\\\":1}\"}}]}}]}\n\n"
          "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":["
          "{\"index\":1,\"function\":{\"arguments\":\"2}\"}}]},\"finish_reason\":\"tool_calls\"}]}"
          "\n\ndata: [DONE]\n\n";
    const Rebuilt r = decode(body);
    QCOMPARE(r.result.toolCalls.size(), size_t(2));
    QCOMPARE(r.result.toolCalls[0].id, QStringLiteral("a"));
    QCOMPARE(r.result.toolCalls[0].name, QStringLiteral("f"));
    QCOMPARE(r.result.toolCalls[0].arguments, QStringLiteral("{\"x\":1}"));
    QCOMPARE(r.result.toolCalls[1].id, QStringLiteral("b"));
    QCOMPARE(r.result.toolCalls[1].name, QStringLiteral("g"));
    QCOMPARE(r.result.toolCalls[1].arguments, QStringLiteral("{\"y\":2}"));

    // Ollama: whole calls, arguments possibly as an object, no index.
    const Rebuilt ollama = decode(
        QByteArray("data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":["
                   "{\"id\":\"c1\",\"function\":{\"name\":\"f\",\"arguments\":{\"x\":1}}}]}}]}\n\n"
                   "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":["
                   "{\"id\":\"c2\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}}]}\n\n"
                   "data: [DONE]\n\n"));
    QCOMPARE(ollama.result.toolCalls.size(), size_t(2));
    QCOMPARE(ollama.result.toolCalls[0].arguments, QStringLiteral("{\"x\":1}"));
    QCOMPARE(ollama.result.toolCalls[1].name, QStringLiteral("g"));
}

void TestSseParser::nonStreamedResponse()
{
    // §2's example.
    const Json body = Json::parse(R"({
      "id": "chatcmpl-2f1c", "object": "chat.completion", "created": 1767225600,
      "model": "AIDC-AI/Ovis2.5-9B",
      "choices": [{"index": 0,
        "message": {"role": "assistant", "content": "A pallet was removed from the left rack.",
                    "reasoning": "Frame 1 shows three pallets...", "tool_calls": []},
        "logprobs": null, "finish_reason": "stop", "stop_reason": null}],
      "usage": {"prompt_tokens": 1412, "total_tokens": 1530, "completion_tokens": 118,
                "prompt_tokens_details": null},
      "system_fingerprint": null, "prompt_logprobs": null})");
    const std::optional<ChatResult> r = chatResultFromJson(body);
    QVERIFY(r.has_value());
    QCOMPARE(r->content, QStringLiteral("A pallet was removed from the left rack."));
    QCOMPARE(r->reasoning, QStringLiteral("Frame 1 shows three pallets..."));
    QCOMPARE(r->finishReason, QStringLiteral("stop"));
    QCOMPARE(r->usage.totalTokens, 1530);
    QCOMPARE(r->model, QStringLiteral("AIDC-AI/Ovis2.5-9B"));
    QVERIFY(r->toolCalls.empty());

    // No reasoning parser: the think block is split out of the content.
    const std::optional<ChatResult> tagged = chatResultFromJson(Json::parse(
        R"({"choices":[{"index":0,"message":{"content":"<think>\nhm\n</think>\n\nyes",
            "reasoning_content":null},"finish_reason":"stop"}]})"));
    QVERIFY(tagged.has_value());
    QCOMPARE(tagged->reasoning, QStringLiteral("\nhm\n"));
    QCOMPARE(tagged->content, QStringLiteral("\n\nyes"));

    // Tool calls, content null; llama.cpp's reasoning_content.
    const std::optional<ChatResult> tools = chatResultFromJson(Json::parse(
        R"({"choices":[{"index":0,"message":{"content":null,"reasoning_content":"r",
            "tool_calls":[{"id":"t1","type":"function","function":{"name":"get_weather",
            "arguments":"{\"location\": \"Berlin\"}"}}]},"finish_reason":"tool_calls"}]})"));
    QVERIFY(tools.has_value());
    QCOMPARE(tools->reasoning, QStringLiteral("r"));
    QCOMPARE(tools->content, QString());
    QCOMPARE(tools->toolCalls.size(), size_t(1));
    QCOMPARE(tools->toolCalls[0].arguments, QStringLiteral("{\"location\": \"Berlin\"}"));

    QVERIFY(!chatResultFromJson(Json::parse(R"({"error":{"message":"x"}})")).has_value());
    QVERIFY(!chatResultFromJson(Json::parse(R"([1])")).has_value());
}

void TestSseParser::httpErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");
    QTest::addColumn<qint64>("retryAfterMs");
    using K = ChatError::Kind;

    QTest::newRow("vLLM 401") << 401 << QByteArray(R"({"error":"Unauthorized"})") << QByteArray()
                              << int(K::Auth) << QStringLiteral("Unauthorized") << qint64(-1);
    QTest::newRow("llama.cpp 401")
        << 401
        << QByteArray(R"({"error":{"message":"Invalid API Key","type":"authentication_error",)"
                      R"("code":401}})")
        << QByteArray() << int(K::Auth) << QStringLiteral("Invalid API Key") << qint64(-1);
    QTest::newRow("vLLM 404 model")
        << 404
        << QByteArray(R"({"error":{"message":"The model `x` does not exist.","type":)"
                      R"("NotFoundError","param":"model","code":404}})")
        << QByteArray() << int(K::UnknownModel) << QStringLiteral("The model `x` does not exist.")
        << qint64(-1);
    QTest::newRow("wrong base URL")
        << 404 << QByteArray(R"({"detail":"Not Found"})") << QByteArray() << int(K::BadRequest)
        << QStringLiteral("Not Found") << qint64(-1);
    QTest::newRow("vLLM context (flat, old)")
        << 400
        << QByteArray(R"({"object":"error","message":"This model's maximum context length is )"
                      R"(4096 tokens. However, your request has 5000 input tokens.","type":)"
                      R"("BadRequestError","param":null,"code":400})")
        << QByteArray() << int(K::ContextTooLong)
        << QStringLiteral("This model's maximum context length is 4096 tokens. However, your "
                          "request has 5000 input tokens.")
        << qint64(-1);
    QTest::newRow("vLLM context (newest)")
        << 400
        << QByteArray(R"({"error":{"message":"You passed 9000 input tokens and requested 64 )"
                      R"(output tokens. However, the model's context length is only 8192 tokens, )"
                      R"(resulting in a maximum input length of 8128 tokens.","type":)"
                      R"("BadRequestError","param":"input_tokens","code":400}})")
        << QByteArray() << int(K::ContextTooLong)
        << QStringLiteral("You passed 9000 input tokens and requested 64 output tokens. However, "
                          "the model's context length is only 8192 tokens, resulting in a maximum "
                          "input length of 8128 tokens.")
        << qint64(-1);
    QTest::newRow("llama.cpp context")
        << 400
        << QByteArray(R"({"error":{"code":400,"message":"request (5000 tokens) exceeds the )"
                      R"(available context size (4096 tokens), try increasing it","type":)"
                      R"("exceed_context_size_error","n_prompt_tokens":5000,"n_ctx":4096}})")
        << QByteArray() << int(K::ContextTooLong)
        << QStringLiteral("request (5000 tokens) exceeds the available context size (4096 tokens), "
                          "try increasing it")
        << qint64(-1);
    QTest::newRow("OpenAI context code")
        << 400
        << QByteArray(R"({"error":{"message":"Too long.","type":"invalid_request_error",)"
                      R"("param":"messages","code":"context_length_exceeded"}})")
        << QByteArray() << int(K::ContextTooLong) << QStringLiteral("Too long.") << qint64(-1);
    QTest::newRow("too many images")
        << 400
        << QByteArray(R"({"error":{"message":"At most 1 image(s) may be provided in one prompt.",)"
                      R"("type":"BadRequestError","param":null,"code":400}})")
        << QByteArray() << int(K::TooManyImages)
        << QStringLiteral("At most 1 image(s) may be provided in one prompt.") << qint64(-1);
    QTest::newRow("too many images (old)")
        << 400
        << QByteArray(R"({"object":"error","message":"At most 2 image(s) may be provided in one )"
                      R"(request.","code":400})")
        << QByteArray() << int(K::TooManyImages)
        << QStringLiteral("At most 2 image(s) may be provided in one request.") << qint64(-1);
    QTest::newRow("bad request")
        << 400
        << QByteArray(R"({"error":{"message":"1 validation error:\n  bad","type":"Bad Request",)"
                      R"("param":null,"code":400}})")
        << QByteArray() << int(K::BadRequest) << QStringLiteral("1 validation error:\n  bad")
        << qint64(-1);
    QTest::newRow("429 seconds") << 429
                                 << QByteArray(R"({"error":{"message":"slow down","code":429}})")
                                 << QByteArray("2") << int(K::RateLimited)
                                 << QStringLiteral("slow down") << qint64(2000);
    QTest::newRow("429 no header")
        << 429 << QByteArray(R"({"error":{"message":"slow down","code":429}})") << QByteArray()
        << int(K::RateLimited) << QStringLiteral("slow down") << qint64(-1);
    QTest::newRow("llama.cpp loading")
        << 503
        << QByteArray(R"({"error":{"code":503,"message":"Loading model","type":)"
                      R"("unavailable_error"}})")
        << QByteArray("1") << int(K::Loading) << QStringLiteral("Loading model") << qint64(1000);
    QTest::newRow("500 internal")
        << 500
        << QByteArray(R"({"error":{"message":"EngineDeadError","type":"InternalServerError",)"
                      R"("param":null,"code":500}})")
        << QByteArray() << int(K::ServerError) << QStringLiteral("EngineDeadError") << qint64(-1);
    QTest::newRow("502 html from a proxy")
        << 502 << QByteArray("<html><body>Bad   Gateway</body></html>") << QByteArray()
        << int(K::ServerError) << QStringLiteral("<html><body>Bad Gateway</body></html>")
        << qint64(-1);
    QTest::newRow("empty body") << 500 << QByteArray() << QByteArray() << int(K::ServerError)
                                << QStringLiteral("HTTP 500") << qint64(-1);
    QTest::newRow("FastAPI 422 list")
        << 422 << QByteArray(R"({"detail":[{"msg":"field required"},{"msg":"bad type"}]})")
        << QByteArray() << int(K::BadRequest) << QStringLiteral("field required; bad type")
        << qint64(-1);
}

void TestSseParser::httpErrors()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, retryAfter);
    QFETCH(int, kind);
    QFETCH(QString, message);
    QFETCH(qint64, retryAfterMs);
    const ChatError error = chatErrorFromHttp(status, body, retryAfter);
    QCOMPARE(error.kindName(), [&] {
        ChatError e;
        e.kind = ChatError::Kind(kind);
        return e.kindName();
    }());
    QCOMPARE(error.httpStatus, status);
    QCOMPARE(error.message, message);
    QCOMPARE(error.retryAfterMs, retryAfterMs);
}

void TestSseParser::retryAfter()
{
    const QDateTime now = QDateTime(QDate(2015, 10, 21), QTime(7, 27, 30), QTimeZone::utc());
    QCOMPARE(parseRetryAfter("120", now), 120000);
    QCOMPARE(parseRetryAfter(" 1 ", now), 1000);
    QCOMPARE(parseRetryAfter("0.5", now), 500);
    QCOMPARE(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now), 30000);
    QCOMPARE(parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now), 0); // in the past
    QCOMPARE(parseRetryAfter("soon", now), -1);
    QCOMPARE(parseRetryAfter("", now), -1);
}

void TestSseParser::requestJson()
{
    ChatRequest request;
    request.model = QStringLiteral("AIDC-AI/Ovis2.5-9B");
    request.messages.push_back(
        Message::text(QStringLiteral("system"), QStringLiteral("Be brief.")));
    Message user;
    user.role = QStringLiteral("user");
    ContentPart text;
    text.text = QStringLiteral("Keyframe 1:");
    ContentPart image;
    image.kind = ContentPart::Kind::ImageUrl;
    image.url = QStringLiteral("data:image/jpeg;base64,/9j/AAA=");
    image.detail = QStringLiteral("high");
    ContentPart video;
    video.kind = ContentPart::Kind::VideoUrl;
    video.url = QStringLiteral("data:video/mp4;base64,AAAA");
    user.parts = {text, image, video};
    request.messages.push_back(user);
    Message assistant;
    assistant.role = QStringLiteral("assistant");
    assistant.toolCalls.push_back({QStringLiteral("t1"), QStringLiteral("get_weather"),
                                   QStringLiteral("{\"location\": \"Berlin\"}")});
    request.messages.push_back(assistant);
    Message tool = Message::text(QStringLiteral("tool"), QStringLiteral("{\"temperature\": 18}"));
    tool.toolCallId = QStringLiteral("t1");
    request.messages.push_back(tool);
    request.temperature = 0.2;
    request.topP = 0.9;
    request.topK = 20;
    request.repetitionPenalty = 1.05;
    request.maxTokens = 512;
    request.stop = {QStringLiteral("END")};
    request.seed = 42;
    request.tools = Json::parse(R"([{"type":"function","function":{"name":"get_weather",
        "parameters":{"type":"object","properties":{"location":{"type":"string"}}}}}])");
    request.toolChoice = "auto";
    request.responseFormat = Json::parse(
        R"({"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object"}}})");
    request.enableThinking = false;
    request.thinkingBudget = 256;
    request.extraBody = Json::parse(
        R"({"mm_processor_kwargs":{"images_kwargs":{"max_pixels":802816}},
            "chat_template_kwargs":{"custom":1},"seed":null})");

    const Json vllm = request.toJson(ServerKind::VLlm);
    QCOMPARE_JSON(vllm["model"], "AIDC-AI/Ovis2.5-9B");
    QCOMPARE_JSON(vllm["messages"][0], Json::parse(R"({"role":"system","content":"Be brief."})"));
    const Json expected1 = Json::parse(R"({"role":"user","content":[
        {"type":"text","text":"Keyframe 1:"},
        {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/AAA="}},
        {"type":"video_url","video_url":{"url":"data:video/mp4;base64,AAAA"}}]})");
    QCOMPARE_JSON(vllm["messages"][1], expected1);
    const Json expected2 = Json::parse(R"({"role":"assistant","content":null,
        "tool_calls":[{"id":"t1","type":"function","function":{"name":"get_weather",
        "arguments":"{\"location\": \"Berlin\"}"}}]})");
    QCOMPARE_JSON(vllm["messages"][2], expected2);
    const Json expected3 = Json::parse(R"({"role":"tool","tool_call_id":"t1",
        "content":"{\"temperature\": 18}"})");
    QCOMPARE_JSON(vllm["messages"][3], expected3);
    QCOMPARE_JSON(vllm["stream"], true);
    QCOMPARE_JSON(vllm["stream_options"], Json::parse(R"({"include_usage":true})"));
    QCOMPARE_JSON(vllm["max_completion_tokens"], 512);
    QVERIFY(!vllm.contains("max_tokens"));
    QCOMPARE_JSON(vllm["temperature"], 0.2);
    QCOMPARE_JSON(vllm["top_p"], 0.9);
    QCOMPARE_JSON(vllm["top_k"], 20);
    QCOMPARE_JSON(vllm["repetition_penalty"], 1.05);
    QCOMPARE_JSON(vllm["stop"], Json::parse(R"(["END"])"));
    QVERIFY(!vllm.contains("seed")); // removed by the extra body's null
    QCOMPARE_JSON(vllm["tools"], request.tools);
    QCOMPARE_JSON(vllm["tool_choice"], "auto");
    QCOMPARE_JSON(vllm["response_format"], request.responseFormat);
    QCOMPARE_JSON(vllm["chat_template_kwargs"],
                  Json::parse(R"({"enable_thinking":false,"custom":1})"));
    QCOMPARE_JSON(vllm["thinking_token_budget"], 256);
    QCOMPARE_JSON(vllm["mm_processor_kwargs"]["images_kwargs"]["max_pixels"], 802816);

    // Not streamed: no stream_options (vLLM answers 400 to that).
    request.stream = false;
    request.extraBody = Json::object();
    const Json plain = request.toJson(ServerKind::VLlm);
    QCOMPARE_JSON(plain["stream"], false);
    QVERIFY(!plain.contains("stream_options"));
    QCOMPARE_JSON(plain["seed"], 42);

    // An empty tools array is left out (recent vLLM rejects it).
    request.tools = Json::array();
    request.toolChoice = nullptr;
    QVERIFY(!request.toJson(ServerKind::VLlm).contains("tools"));
    QVERIFY(!request.toJson(ServerKind::VLlm).contains("tool_choice"));
}

void TestSseParser::requestJsonPerServer()
{
    ChatRequest request;
    request.model = QStringLiteral("m");
    Message user = Message::text(QStringLiteral("user"), QStringLiteral("hi"));
    ContentPart image;
    image.kind = ContentPart::Kind::ImageUrl;
    image.url = QStringLiteral("data:image/png;base64,AA==");
    image.detail = QStringLiteral("low");
    ContentPart video;
    video.kind = ContentPart::Kind::VideoUrl;
    video.url = QStringLiteral("https://example.org/v.mp4");
    user.parts.push_back(image);
    user.parts.push_back(video);
    request.messages.push_back(user);
    Message assistant = Message::text(QStringLiteral("assistant"), QStringLiteral("ok"));
    assistant.reasoning = QStringLiteral("because");
    request.messages.push_back(assistant);
    request.maxTokens = 100;
    request.topK = 5;
    request.repetitionPenalty = 1.1;
    request.enableThinking = true;
    request.thinkingBudget = 64;

    const Json llama = request.toJson(ServerKind::LlamaCpp);
    QCOMPARE_JSON(llama["max_tokens"], 100); // old builds read only this one
    QCOMPARE_JSON(llama["max_completion_tokens"], 100);
    QCOMPARE_JSON(llama["top_k"], 5);
    QCOMPARE_JSON(llama["repeat_penalty"], 1.1);
    QVERIFY(!llama.contains("repetition_penalty"));
    QVERIFY(!llama.contains("thinking_token_budget"));
    QCOMPARE_JSON(llama["chat_template_kwargs"]["enable_thinking"], true);
    const Json expected4 = Json::parse(R"({"type":"input_video","input_video":
                                  {"url":"https://example.org/v.mp4"}})");
    QCOMPARE_JSON(llama["messages"][0]["content"][2], expected4);
    QCOMPARE_JSON(llama["messages"][1]["reasoning_content"], "because");

    const Json ollama = request.toJson(ServerKind::Ollama);
    QCOMPARE_JSON(ollama["max_tokens"], 100);
    QVERIFY(!ollama.contains("max_completion_tokens"));
    QVERIFY(!ollama.contains("top_k"));
    QVERIFY(!ollama.contains("chat_template_kwargs"));
    QCOMPARE_JSON(ollama["reasoning_effort"], "medium");
    QCOMPARE_JSON(ollama["messages"][1]["reasoning"], "because");
    QVERIFY(!ollama["messages"][0]["content"][1]["image_url"].contains("detail"));

    const Json openai = request.toJson(ServerKind::OpenAI);
    QCOMPARE_JSON(openai["max_completion_tokens"], 100);
    QVERIFY(!openai.contains("max_tokens"));
    QVERIFY(!openai.contains("top_k"));
    QVERIFY(!openai.contains("repetition_penalty"));
    QVERIFY(!openai.contains("thinking_token_budget"));
    QVERIFY(!openai["messages"][1].contains("reasoning_content"));
    QCOMPARE_JSON(openai["messages"][0]["content"][1]["image_url"]["detail"], "low");

    const Json vllm = request.toJson(ServerKind::VLlm);
    QCOMPARE_JSON(vllm["max_completion_tokens"], 100);
    QCOMPARE_JSON(vllm["thinking_token_budget"], 64);
    QCOMPARE_JSON(vllm["messages"][1]["reasoning_content"], "because");
    QCOMPARE_JSON(request.toJson(ServerKind::Simulator), vllm);

    // An explicit field choice wins over the per-server default.
    request.maxTokensField = MaxTokensField::MaxTokens;
    QCOMPARE_JSON(request.toJson(ServerKind::VLlm)["max_tokens"], 100);
    QVERIFY(!request.toJson(ServerKind::VLlm).contains("max_completion_tokens"));
    request.maxTokensField = MaxTokensField::MaxCompletionTokens;
    QVERIFY(!request.toJson(ServerKind::Ollama).contains("max_tokens"));

    request.enableThinking = false;
    QCOMPARE_JSON(request.toJson(ServerKind::Ollama)["reasoning_effort"], "none");
    QCOMPARE_JSON(request.toJson(ServerKind::OpenAI)["reasoning_effort"], "none");
}

void TestSseParser::usageJson()
{
    Usage usage;
    usage.present = true;
    usage.promptTokens = 486;
    usage.completionTokens = 18;
    usage.totalTokens = 504;
    const Json json = usage.toJson(1500, 250);
    for (const char *key :
         {"prompt_tokens", "prompt_unit_price", "prompt_price_unit", "prompt_price",
          "completion_tokens", "completion_unit_price", "completion_price_unit", "completion_price",
          "total_tokens", "total_price", "currency", "latency"})
        QVERIFY2(json.contains(key), key);
    QCOMPARE_JSON(json["prompt_tokens"], 486);
    QCOMPARE_JSON(json["completion_tokens"], 18);
    QCOMPARE_JSON(json["total_tokens"], 504);
    QCOMPARE_JSON(json["latency"], 1.5);
    QCOMPARE_JSON(json["time_to_first_token"], 0.25);
    QCOMPARE_JSON(json["time_to_generate"], 1.25);
    QCOMPARE_JSON(json["currency"], "USD");
    QCOMPARE_JSON(json["total_price"], "0");
    QVERIFY(!json.contains("reasoning_tokens")); // only when the server said
    usage.reasoningTokens = 7;
    QCOMPARE_JSON(usage.toJson()["reasoning_tokens"], 7);
    QVERIFY(!usage.toJson().contains("time_to_first_token"));
}

void TestSseParser::errorKinds()
{
    using K = ChatError::Kind;
    const auto error = [](K kind, int status = 0) {
        ChatError e;
        e.kind = kind;
        e.httpStatus = status;
        return e;
    };
    QCOMPARE(error(K::Unreachable).kindName(), QStringLiteral("unreachable"));
    QCOMPARE(error(K::RateLimited).kindName(), QStringLiteral("rate_limited"));
    QCOMPARE(error(K::ContextTooLong).kindName(), QStringLiteral("context_too_long"));
    QCOMPARE(error(K::TooManyImages).kindName(), QStringLiteral("too_many_images"));
    QCOMPARE(error(K::MalformedStream).kindName(), QStringLiteral("malformed_stream"));
    QCOMPARE(error(K::UnknownModel).kindName(), QStringLiteral("unknown_model"));
    QCOMPARE(error(K::Cancelled).kindName(), QStringLiteral("cancelled"));
    QVERIFY(error(K::Unreachable).retryable());
    QVERIFY(error(K::Loading, 503).retryable());
    QVERIFY(error(K::RateLimited, 429).retryable());
    QVERIFY(error(K::ServerError, 500).retryable());
    QVERIFY(error(K::ServerError, 502).retryable());
    QVERIFY(!error(K::ServerError, 200).retryable()); // an error event inside a 200 stream
    QVERIFY(!error(K::Auth, 401).retryable());
    QVERIFY(!error(K::BadRequest, 400).retryable());
    QVERIFY(!error(K::ContextTooLong, 400).retryable());
    QVERIFY(!error(K::MalformedStream, 200).retryable());
    QVERIFY(!error(K::Cancelled).retryable());
    QVERIFY(!error(K::Timeout).retryable());
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"

#pragma once

#include <QByteArray>
#include <QString>

#include <functional>
#include <map>
#include <optional>

#include "chattypes.h"

namespace flowbench::llm {

// Incremental Server-Sent-Events parser, correct across any split of the byte stream: CRLF, LF
// or CR line ends, comment lines (":" pings and keep-alives) ignored, multi-line `data:` joined
// with "\n", events dispatched on a blank line, and llama.cpp's non-standard `error: {...}`
// line reported as an event of type "error".
//
//     SseParser parser([](const SseEvent &e) { if (e.data == "[DONE]") ...; });
//     parser.feed(reply->readAll()); // as bytes arrive, in any chunking
//     parser.finish();               // end of stream: dispatches a pending event
//
// The handler must not call feed(), finish() or reset() of the same parser.
struct SseEvent
{
    QString event; // "message" unless an `event:` field or the llama.cpp error line says else
    QByteArray data;
    QString id;
};

class SseParser
{
public:
    using Handler = std::function<void(const SseEvent &)>;
    explicit SseParser(Handler handler);
    void feed(const QByteArray &bytes);
    void finish();
    void reset();

    // Lines that are no SSE field this parser knows (data, event, id, retry, error) and no
    // comment. The SSE rules say to ignore them; a client that then sees the stream end early
    // can tell "garbage" from "cut off".
    [[nodiscard]] int unknownLines() const { return m_unknownLines; }
    [[nodiscard]] QByteArray firstUnknownLine() const { return m_firstUnknownLine; }

private:
    void processLine(const QByteArray &line);
    void dispatch();

    Handler m_handler;
    QByteArray m_buffer;
    bool m_skipLf = false; // the previous chunk ended with CR; a leading LF belongs to it
    QString m_event;
    QByteArray m_data;
    bool m_hasData = false;
    QString m_id;
    int m_unknownLines = 0;
    QByteArray m_firstUnknownLine;
    bool m_bomChecked = false; // a UTF-8 BOM at the start of the stream is dropped
};

// Splits `<think>…</think>` out of streamed content for servers that run no reasoning parser
// (openai-endpoints.md §3.4): only a think block at the start of the content (after optional
// whitespace) counts, and tags split across deltas are recognised. Text that might be the start
// of a tag is held back until it is decided (at most 8 characters).
class ThinkTagSplitter
{
public:
    // Appends to *content / *reasoning what `text` makes certain.
    void feed(const QString &text, QString *content, QString *reasoning);
    // End of the stream: releases what was held back (an unclosed think block is reasoning).
    void finish(QString *content, QString *reasoning);
    // The server splits reasoning itself: from now on content is passed through unchanged.
    void disable(QString *content, QString *reasoning);
    [[nodiscard]] bool foundThinkBlock() const { return m_found; }
    void reset();

private:
    enum class State { Detect, Inside, After, Off };
    State m_state = State::Detect;
    QString m_pending;
    bool m_found = false;
};

// Rebuilds a chat completion from the events of a streamed response (vLLM, llama.cpp, Ollama,
// OpenAI): content, reasoning (`reasoning`, else `reasoning_content`, else a leading <think>
// block in the content), tool calls assembled per index, finish reason, usage from whichever
// chunk carries it (the last wins; `choices` may be empty), and in-stream errors (a top-level
// `error` key or llama.cpp's `error:` line). Not a QObject; the client feeds it.
//
//     ChatStreamDecoder decoder;
//     SseParser parser([&](const SseEvent &e) { auto u = decoder.handle(e); show(u.content); });
//     ... parser.feed(bytes) ...; parser.finish();
//     decoder.flush(); if (decoder.isDone()) use(decoder.result());
class ChatStreamDecoder
{
public:
    struct Update
    {
        QString content;        // new answer text
        QString reasoning;      // new thinking text
        bool toolCalls = false; // a tool-call delta arrived
        [[nodiscard]] bool hasOutput() const
        {
            return toolCalls || !content.isEmpty() || !reasoning.isEmpty();
        }
    };

    Update handle(const SseEvent &event);
    // End of the stream: releases text held back while looking for a split </think> tag.
    Update flush();
    void reset();

    [[nodiscard]] bool isDone() const { return m_done; }      // "[DONE]" seen
    [[nodiscard]] bool hasOutput() const { return m_output; } // a token arrived
    [[nodiscard]] bool hasFinishReason() const { return !m_result.finishReason.isEmpty(); }
    [[nodiscard]] const std::optional<ChatError> &error() const { return m_error; }
    // The answer so far (call flush() first for the complete text).
    [[nodiscard]] ChatResult result() const;

private:
    void handleChunk(const Json &chunk, Update *update);

    ChatResult m_result;
    std::map<int, ToolCall> m_toolCalls;
    ThinkTagSplitter m_splitter;
    bool m_serverReasoning = false;
    bool m_done = false;
    bool m_output = false;
    std::optional<ChatError> m_error;
};

// Reads a non-streamed chat completion body (choices[0].message, usage, …), splitting a leading
// <think> block out of the content when the server sent no reasoning field. nullopt when the JSON
// is no chat completion.
[[nodiscard]] std::optional<ChatResult> chatResultFromJson(const Json &body);

} // namespace flowbench::llm

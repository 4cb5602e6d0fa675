#pragma once

#include <QByteArray>
#include <QList>
#include <QSize>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include <vector>

// The deterministic rules behind the simulator (simulator.h): how it counts prompt tokens, how
// it splits its replies into tokens, and what it answers. Pure functions, so they can be tested
// without a socket and so a client can see exactly what the simulator will report.
namespace flowbench::llm::sim {

// Key order matters on the wire (vLLM serialises pydantic models in declaration order).
using OJson = nlohmann::ordered_json;

// Text: ceil(code points / 4) tokens per string; "" is 0.
[[nodiscard]] int textTokens(const QString &text);

// Width and height read from the header of PNG, JPEG, GIF, BMP or WebP bytes; invalid when the
// format is unknown or the header is cut.
[[nodiscard]] QSize imageSize(const QByteArray &bytes);

// Ovis2.5-like image cost (openai-endpoints.md §7.2): the pixel count is clamped into
// [minPixels, maxPixels] (as the processor resizes), then ceil(pixels / 1024) + 4 marker tokens.
// An invalid size counts as minPixels. Defaults: 448·448 and 1792·1792, so an unreadable image
// costs 200 tokens, 896×504 costs 445 and 1792×1792 or larger costs 3140.
inline constexpr qint64 kDefaultMinPixels = 448 * 448;
inline constexpr qint64 kDefaultMaxPixels = 1792 * 1792;
[[nodiscard]] int imageTokens(QSize size, qint64 minPixels = kDefaultMinPixels,
                              qint64 maxPixels = kDefaultMaxPixels);

// Splits generated text into tokens: a run of whitespace that contains a line break is a token
// of its own; otherwise a token is the spaces before a word plus the word (" frame"). Joining the
// tokens gives the text back.
[[nodiscard]] QStringList splitTokens(const QString &text);

// JSON text the way Python's json.dumps writes it by default ({"a": 1, "b": [1, 2]}), which is
// how vLLM's tool parsers render tool-call arguments.
[[nodiscard]] QString pythonJson(const OJson &value);

// An error answer in vLLM's nested shape.
struct HttpError
{
    int status = 400;
    QString type = QStringLiteral("BadRequestError");
    QString message;
    QString param; // empty: null
    [[nodiscard]] OJson toJson() const;
};

// What the simulator makes of a chat request's messages (and /tokenize's).
//
// prompt tokens = 3 (the assistant generation prompt, when add_generation_prompt)
//               + per message: 4 (role markers) + textTokens(each string content / text part)
//                 + imageTokens(each image_url part) + textTokens(name) and
//                 textTokens(arguments) of each assistant tool call
//               + textTokens(compact JSON text of the `tools` array) when tools are offered.
// Reasoning sent back on assistant messages is dropped (as the Ovis2.5/Qwen3 templates do).
struct PromptInfo
{
    std::vector<int> tokenIds; // fake ids; their count is the prompt token count
    int images = 0;
    QString lastUserText; // the text parts of the last user message, joined with "\n"
    QString lastRole;     // role of the last message
    QString lastToolText; // content of the last message when it is a tool result
    [[nodiscard]] int tokens() const { return int(tokenIds.size()); }
};

struct PromptOptions
{
    qint64 minPixels = kDefaultMinPixels;
    qint64 maxPixels = kDefaultMaxPixels;
    bool addGenerationPrompt = true;
};

// Fails with vLLM's error for malformed messages and unusable image data URLs.
[[nodiscard]] tl::expected<PromptInfo, HttpError>
analyzePrompt(const OJson &messages, const OJson &tools, const PromptOptions &options);

// The completion prompt form of /tokenize: ceil(code points / 4) tokens.
[[nodiscard]] std::vector<int> promptTextTokenIds(const QString &text);

// One generated token. Hidden tokens (<think>, </think>, <tool_call>, </tool_call>, EOS) count
// into completion_tokens but produce no delta, as with vLLM's parsers.
struct PlannedToken
{
    enum class Kind { Reasoning, Content, ToolName, ToolArguments, Hidden, Eos };
    Kind kind = Kind::Content;
    QString text;
    int toolIndex = -1;
};

struct PlannedToolCall
{
    QString id;
    QString name;
    QString arguments; // Python-style JSON text
};

struct ReplyPlan
{
    std::vector<PlannedToken> tokens; // generation order; ends with Eos unless ignore_eos
    std::vector<PlannedToolCall> toolCalls;
    bool thinking = false;
    bool namedToolChoice = false; // finishes with "stop" instead of "tool_calls"
};

struct ReplyOptions
{
    bool thinking = false;
    int thinkingBudget = -1; // reasoning text tokens; -1: no limit
    int minTokens = 0;       // pad the answer with filler until this many tokens
    int fillToTokens = 0;    // ignore_eos: pad until this many tokens and leave out the EOS
};

// The deterministic reply (see simulator.h for the wording). Fails (400) when tool_choice names
// a function that is not offered.
[[nodiscard]] tl::expected<ReplyPlan, HttpError>
planReply(const OJson &request, const PromptInfo &prompt, const ReplyOptions &options);

// "Echo: <text> This is a simulated reply." and friends (see simulator.h).
[[nodiscard]] QString answerText(const PromptInfo &prompt);
[[nodiscard]] QString reasoningText(const PromptInfo &prompt);

// "chatcmpl-" / "chatcmpl-tool-" + 32 hex digits.
[[nodiscard]] QString randomHexId(const QString &prefix);

} // namespace flowbench::llm::sim

#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace flowbench::llm {

using Json = nlohmann::json;

// One part of a message's content (OpenAI "content parts").
struct ContentPart
{
    enum class Kind { Text, ImageUrl, VideoUrl };
    Kind kind = Kind::Text;
    QString text;   // Text
    QString url;    // ImageUrl / VideoUrl: a data: URL or http(s) URL
    QString detail; // image detail: "", "low", "high"
};

struct ToolCall
{
    QString id;
    QString name;
    QString arguments; // JSON text, as the server sends it (may be assembled from deltas)
};

struct Message
{
    QString role;                    // system | user | assistant | tool
    std::vector<ContentPart> parts;  // one Text part for plain messages
    QString reasoning;               // assistant: thinking text sent back (optional)
    std::vector<ToolCall> toolCalls; // assistant
    QString toolCallId;              // tool
    QString name;

    static Message text(QString role, QString text);
};

// Where the server wants the output-length limit (openai-endpoints.md §0.8).
enum class MaxTokensField { Auto, MaxTokens, MaxCompletionTokens };

enum class ServerKind { VLlm, LlamaCpp, Ollama, OpenAI, Simulator };

struct ChatRequest
{
    QString model;
    std::vector<Message> messages;
    bool stream = true;
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<int> topK;                 // vLLM/llama.cpp extra
    std::optional<double> repetitionPenalty; // vLLM extra
    std::optional<int> maxTokens;
    MaxTokensField maxTokensField = MaxTokensField::Auto;
    QStringList stop;
    std::optional<qint64> seed;
    Json tools;                         // OpenAI tools array, or null
    Json toolChoice;                    // "auto" | "none" | {"type":"function",...} | null
    Json responseFormat;                // {"type":"json_schema", "json_schema": {...}} or null
    std::optional<bool> enableThinking; // chat_template_kwargs.enable_thinking
    std::optional<int> thinkingBudget;  // sent in the field the server kind honours
    Json extraBody = Json::object();    // merged last (user-supplied server extras)

    // The JSON body for a server kind (always stream_options.include_usage when streaming).
    [[nodiscard]] Json toJson(ServerKind kind) const;
};

struct Usage
{
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 totalTokens = 0;
    qint64 reasoningTokens = 0; // completion_tokens_details.reasoning_tokens when given
    qint64 cachedTokens = 0;    // prompt_tokens_details.cached_tokens when given
    bool present = false;
    // Dify's usage shape: prompt_tokens, prompt_unit_price, prompt_price_unit, prompt_price,
    // completion_tokens (the same three prices), total_tokens, total_price, currency, latency
    // (seconds), plus time_to_first_token (seconds) when known and reasoning_tokens when given.
    // Prices are decimal strings ("0": local servers have no price).
    [[nodiscard]] Json toJson(qint64 latencyMs = 0, qint64 timeToFirstTokenMs = -1) const;
};

// The whole answer, rebuilt from a stream or read from a non-streamed response.
struct ChatResult
{
    QString content;   // without <think>…</think> when the thinking was split out of it
    QString reasoning; // from `reasoning`, else `reasoning_content`, else <think> in content
    std::vector<ToolCall> toolCalls;
    QString finishReason;
    QString model;
    QString id;
    Usage usage;
    qint64 timeToFirstTokenMs = -1; // from ChatClient::start() (rate-limit waits and retries
    qint64 latencyMs = 0;           // included) to the first token / to the end
};

// What went wrong, typed so callers can decide (retry, tell the user what to fix).
struct ChatError
{
    enum class Kind {
        Unreachable,     // connection refused, DNS, TLS
        Loading,         // 503, or refused just after the server started
        Auth,            // 401/403
        UnknownModel,    // 404 / "model ... does not exist"
        ContextTooLong,  // 400 "maximum context length" / llama.cpp exceed_context_size_error
        TooManyImages,   // 400 "At most N image(s) may be provided"
        RateLimited,     // 429 (retryAfterMs when the server said)
        BadRequest,      // other 4xx
        ServerError,     // 5xx, or an error event inside a 200 stream
        MalformedStream, // bytes that are not SSE/JSON as expected
        Timeout,         // connect, first token, or idle between chunks
        Cancelled,
    };
    Kind kind = Kind::ServerError;
    int httpStatus = 0;
    QString message; // the server's own message where there is one
    qint64 retryAfterMs = -1;
    [[nodiscard]] QString kindName() const; // "unreachable", "rate_limited", ...
    [[nodiscard]] bool retryable() const;   // connection errors, loading, 429, 5xx
};

// The typed error for an HTTP error response. Reads every body shape of openai-endpoints.md
// §4.1 (vLLM flat and nested, {"error":"Unauthorized"}, llama.cpp, Ollama, OpenAI, FastAPI's
// {"detail":…}, or plain text), classifies by status and by the wording of §0.6/§0.12/§4.2, and
// reads `retryAfter` (the Retry-After header value, seconds or an HTTP date).
[[nodiscard]] ChatError chatErrorFromHttp(int httpStatus, const QByteArray &body,
                                          const QByteArray &retryAfter = {});
// The typed error for an error object that arrived inside a 200 stream (`data: {"error":…}` or
// llama.cpp's `error:` line): ServerError unless the wording says context/too many images.
[[nodiscard]] ChatError chatErrorFromStream(const Json &body);
// The server's message inside any error body shape; empty when there is none.
[[nodiscard]] QString errorMessageFromJson(const Json &body);
// A Retry-After value (delay-seconds or an HTTP date) as milliseconds from `now`; -1 if unreadable.
[[nodiscard]] qint64 parseRetryAfter(const QByteArray &value,
                                     const QDateTime &now = QDateTime::currentDateTimeUtc());

} // namespace flowbench::llm

Q_DECLARE_METATYPE(flowbench::llm::ChatResult)
Q_DECLARE_METATYPE(flowbench::llm::ChatError)

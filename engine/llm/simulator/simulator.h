#pragma once

#include <QHostAddress>
#include <QObject>
#include <QString>

#include <memory>

namespace flowbench::llm {

// A local OpenAI-compatible server that speaks vLLM's current wire format (openai-endpoints.md):
// GET /v1/models (with max_model_len), POST /v1/chat/completions (streamed and not; a usage chunk
// with empty choices when stream_options.include_usage; `reasoning` deltas when thinking is on;
// tool calls when tools are offered and the prompt asks for them), POST /tokenize, GET /health,
// GET /metrics (vLLM metric names), POST /v1/embeddings (deterministic vectors that carry meaning:
// simembeddings.h). The text it answers is derived deterministically from the
// prompt, so tests can assert it. Images count into prompt tokens by a stated rule.
// Lives on the thread that created it; answers from that thread's event loop.
//
// The rules (simulatorrules.h has them as functions):
// - Prompt tokens: 3 for the assistant generation prompt, plus per message 4 (role markers) and
//   ceil(code points / 4) for every string content or text part (each counted on its own), plus
//   ceil(code points / 4) of each assistant tool call's name and arguments, plus ceil(code
//   points / 4) of the compact JSON text of `tools` when offered. Reasoning on assistant messages
//   is dropped, as the Qwen3/Ovis2.5 templates do.
// - Image tokens (Ovis2.5-like, openai-endpoints.md §7.2): pixels = width·height read from the
//   base64 data URL's PNG/JPEG/GIF/BMP/WebP header, clamped into [448², 1792²] (or the request's
//   mm_processor_kwargs.images_kwargs.min_pixels/max_pixels); tokens = ceil(pixels / 1024) + 4.
//   Images whose size cannot be read (http URLs, other formats) count as min_pixels: 200 tokens.
//   896×504 → 445, 1280×720 → 904, 1792×1792 and larger → 3140. A data URL without ;base64 is
//   501, bad base64 is 400; undecodable bytes are accepted.
// - /tokenize (messages form) returns the same count as usage.prompt_tokens; the prompt form is
//   ceil(code points / 4).
// - The answer: "Echo: <last user text> This is a simulated reply." where the text is
//   whitespace-simplified and cut to 200 code points (+ "..."), then " Images received: N." when
//   the prompt has images. After a tool result (last message role "tool") it is
//   "Tool result: <tool content> This is a simulated reply.".
// - Thinking only when chat_template_kwargs.enable_thinking is true (or, with it absent, when
//   reasoning_effort is set and not "none"): <think>, the reasoning "\nThe user wants a reply to:
//   <text>\nI will echo the message back.\n" (capped at thinking_token_budget tokens), </think>,
//   then the content, which starts with "\n\n" as vLLM's qwen3 parser leaves it.
//   include_reasoning: false drops the reasoning from the output (the tokens still count).
// - Completion tokens: the text splits into tokens as sim::splitTokens does (a whitespace run
//   with a line break alone, otherwise the spaces before a word plus the word: "Echo:", " The").
//   <think>, </think>, <tool_call>, </tool_call> and the EOS are generated tokens that send no
//   delta but count in completion_tokens and generatedTokens(), as in vLLM. max_completion_tokens
//   (winning over max_tokens; else max_model_len - prompt) cuts the generation: finish_reason
//   "length", carried by the chunk of the last token. min_tokens pads the answer with
//   " This is filler text." words before the EOS; ignore_eos pads up to max_tokens.
// - Tools: with `tools` offered and tool_choice "auto" (default) or "required", every
//   "call <name>" in the last user message (which must be the last message) becomes a tool call,
//   with the JSON object after it ("call get_weather with {\"city\": \"Berlin\"}") as arguments,
//   else the schema's required properties (first enum value, "test", 1, true, [], {}).
//   "required" without a mention calls the first tool; a named tool_choice always calls that
//   one and finishes with "stop" instead of "tool_calls". Arguments are written like Python's
//   json.dumps and streamed split by the token rule (several argument chunks per call).
// - Streams are vLLM's exact layout (sse-examples.txt): role chunk {"role":"assistant",
//   "content":""} with "prompt_token_ids":null, one chunk per visible token with "token_ids":null,
//   the finishing chunk with finish_reason and "stop_reason":null, then (stream_options present
//   and include_usage not false) the usage chunk with "choices":[], then data: [DONE]; chunked
//   transfer encoding with its terminating 0-chunk. continuous_usage_stats adds usage to every
//   chunk. The 200 status and headers go out at once; the first chunk after timeToFirstTokenMs.
// - Errors: vLLM's nested {"error":{message,type,param,code}}; 404 for another model, 400 for
//   too many images ("At most N image(s) may be provided in one prompt."), for prompt + max
//   tokens over maxModelLen ("This model's maximum context length is ..."), for stream_options
//   without stream, for `tools: []`; 401 {"error":"Unauthorized"} under /v1 without the key
//   (/health, /metrics, /tokenize, /version stay open); 503 "Loading model" for /health,
//   /v1/models, chat and /tokenize while loading.
// - Not simulated: n > 1, stop strings, logprobs, response_format (all accepted and ignored).
//
//     Simulator sim;
//     const quint16 port = sim.listen();           // 127.0.0.1, a free port
//     sim.setFaults({.status = 429, .retryAfterSeconds = 2, .count = 1});
//     ... // point a client at http://127.0.0.1:<port>/v1
class Simulator : public QObject
{
    Q_OBJECT

public:
    struct Config
    {
        QString model = QStringLiteral("flowbench-sim");
        int maxModelLen = 32768;
        int timeToFirstTokenMs = 0; // delay before the first streamed chunk
        double tokensPerSecond = 0; // 0: as fast as possible
        int maxImagesPerPrompt = 999;
        QString apiKey;       // when set, requests need "Authorization: Bearer <key>"
        int loadingForMs = 0; // answer 503 (model loading) for this long after listen()
    };

    // Faults injected into the next `count` chat requests (then cleared); -1: until changed.
    // A request takes the faults when it arrives (after the API-key and loading checks), before
    // its body is validated. The token thresholds count generated tokens (hidden ones included),
    // checked before each next token; the role chunk goes out with the first token, so
    // disconnectAfterTokens = 2 means the role chunk and two token chunks, then an abort.
    // A disconnect closes the connection after the bytes already written (no 0-chunk, no
    // [DONE]). For non-streamed requests: disconnect closes without an answer, garbage answers 200
    // with a body that is not JSON, stall never answers, errorEventInStream answers 500.
    struct Faults
    {
        int status = 0;                  // answer with this HTTP status and vLLM's error body
        int retryAfterSeconds = -1;      // with 429/503: a Retry-After header
        int disconnectAfterTokens = -1;  // close the connection mid-stream
        int garbageAfterTokens = -1;     // send bytes that are not SSE, then end
        int stallAfterTokens = -1;       // stop sending (the connection stays open)
        bool errorEventInStream = false; // after the first token: a data: {"error": ...}
                                         // event inside the 200 stream, then data: [DONE]
        int count = 1;
    };

    explicit Simulator(QObject *parent = nullptr);
    ~Simulator() override;

    void setConfig(const Config &config);
    [[nodiscard]] Config config() const;
    void setFaults(const Faults &faults);

    // Listens on address:port (0 = any free port); returns the port, 0 when it cannot listen.
    quint16 listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    [[nodiscard]] quint16 port() const;

    // Counters tests use: tokens actually generated (stop must stop generation), requests seen,
    // and the last request body as received.
    // requestCount() counts every HTTP request (any path); lastRequestBody() is the body of the
    // last request that was not a GET. A client that closes its connection stops its generation
    // before the next token (QTcpSocket::disconnected, and a state check before every write).
    [[nodiscard]] qint64 generatedTokens() const;
    [[nodiscard]] int requestCount() const;
    [[nodiscard]] QByteArray lastRequestBody() const;
    [[nodiscard]] int runningRequests() const; // chat requests still generating (or stalled)

Q_SIGNALS:
    void requestReceived(const QString &path);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace flowbench::llm

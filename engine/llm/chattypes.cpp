#include "chattypes.h"

#include <QLocale>
#include <QRegularExpression>
#include <QTimeZone>

#include <cmath>

namespace flowbench::llm {

namespace {

std::string str(const QString &text)
{
    return text.toStdString();
}

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

Json partToJson(const ContentPart &part, ServerKind kind)
{
    switch (part.kind) {
    case ContentPart::Kind::Text:
        return Json{{"type", "text"}, {"text", str(part.text)}};
    case ContentPart::Kind::ImageUrl: {
        Json image{{"url", str(part.url)}};
        // Only OpenAI reads `detail`; older vLLM logs a warning for it (§1.2).
        if (kind == ServerKind::OpenAI && !part.detail.isEmpty())
            image["detail"] = str(part.detail);
        return Json{{"type", "image_url"}, {"image_url", image}};
    }
    case ContentPart::Kind::VideoUrl:
        // llama.cpp's newer builds name the video part differently (§1.2).
        if (kind == ServerKind::LlamaCpp)
            return Json{{"type", "input_video"}, {"input_video", {{"url", str(part.url)}}}};
        return Json{{"type", "video_url"}, {"video_url", {{"url", str(part.url)}}}};
    }
    return Json();
}

Json messageToJson(const Message &message, ServerKind kind)
{
    Json out{{"role", str(message.role)}};
    if (message.parts.size() == 1 && message.parts.front().kind == ContentPart::Kind::Text) {
        out["content"] = str(message.parts.front().text);
    } else if (message.parts.empty()) {
        // An assistant turn that only called tools has content null (OpenAI's own shape).
        out["content"] = message.toolCalls.empty() ? Json("") : Json();
    } else {
        Json parts = Json::array();
        for (const ContentPart &part : message.parts)
            parts.push_back(partToJson(part, kind));
        out["content"] = std::move(parts);
    }
    if (!message.reasoning.isEmpty()) {
        // Current vLLM still accepts `reasoning_content` on input and renames it (§0.1);
        // llama.cpp reads that name too, Ollama reads `reasoning`, OpenAI takes neither.
        if (kind == ServerKind::Ollama)
            out["reasoning"] = str(message.reasoning);
        else if (kind != ServerKind::OpenAI)
            out["reasoning_content"] = str(message.reasoning);
    }
    if (!message.toolCalls.empty()) {
        Json calls = Json::array();
        for (const ToolCall &call : message.toolCalls) {
            calls.push_back(
                {{"id", str(call.id)},
                 {"type", "function"},
                 {"function", {{"name", str(call.name)}, {"arguments", str(call.arguments)}}}});
        }
        out["tool_calls"] = std::move(calls);
    }
    if (!message.toolCallId.isEmpty())
        out["tool_call_id"] = str(message.toolCallId);
    if (!message.name.isEmpty())
        out["name"] = str(message.name);
    return out;
}

bool honoursVllmExtras(ServerKind kind)
{
    return kind == ServerKind::VLlm || kind == ServerKind::Simulator;
}

QString priceString()
{
    // Local servers have no price; Dify writes its Decimal prices as strings.
    return QStringLiteral("0");
}

double seconds(qint64 ms)
{
    return static_cast<double>(ms) / 1000.0;
}

QString stringOf(const Json &value)
{
    if (value.is_string())
        return qs(value.get<std::string>());
    if (value.is_number_integer())
        return QString::number(value.get<qint64>());
    return {};
}

const Json *member(const Json &object, const char *key)
{
    if (!object.is_object())
        return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

// Everything in an error body that may carry the telling words: message, type and code.
QString errorHaystack(const Json &body, const QString &message)
{
    QString haystack = message;
    const Json *error = member(body, "error");
    const Json &object = error && error->is_object() ? *error : body;
    for (const char *key : {"type", "code"}) {
        if (const Json *value = member(object, key))
            haystack += QLatin1Char(' ') + stringOf(*value);
    }
    return haystack;
}

bool mentionsContextOverflow(const QString &text)
{
    // §0.12 and §4.2: the wording changes between versions, so match loosely.
    static const char *const needles[] = {
        "maximum context length",  "context length",       "maximum context",
        "max_model_len",           "exceed_context_size",  "exceeds the available context size",
        "context_length_exceeded", "maximum input length",
    };
    for (const char *needle : needles) {
        if (text.contains(QLatin1String(needle), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool mentionsTooManyImages(const QString &text)
{
    // §0.6 / §4.2: "At most N image(s) may be provided in one prompt." (or "in one request."),
    // the same for video, and the V0 "--limit-mm-per-prompt … passed N image items" wording.
    return (text.contains(QLatin1String("At most"), Qt::CaseInsensitive)
            && text.contains(QLatin1String("may be provided"), Qt::CaseInsensitive))
           || text.contains(QLatin1String("limit-mm-per-prompt"), Qt::CaseInsensitive);
}

QString bodyExcerpt(const QByteArray &body)
{
    QString text = QString::fromUtf8(body.left(400)).simplified();
    if (body.size() > 400)
        text += QStringLiteral("…");
    return text;
}

} // namespace

Message Message::text(QString role, QString text)
{
    Message message;
    message.role = std::move(role);
    ContentPart part;
    part.text = std::move(text);
    message.parts.push_back(std::move(part));
    return message;
}

Json ChatRequest::toJson(ServerKind kind) const
{
    Json body = Json::object();
    if (!model.isEmpty())
        body["model"] = str(model);
    Json list = Json::array();
    for (const Message &message : messages)
        list.push_back(messageToJson(message, kind));
    body["messages"] = std::move(list);
    body["stream"] = stream;
    // vLLM rejects stream_options on a non-streamed request (§1.1).
    if (stream)
        body["stream_options"] = {{"include_usage", true}};

    if (temperature)
        body["temperature"] = *temperature;
    if (topP)
        body["top_p"] = *topP;
    if (maxTokens) {
        // §0.8: vLLM honours max_completion_tokens (it wins over max_tokens), OpenAI wants it,
        // Ollama reads only max_tokens, and llama.cpp read only max_tokens before Feb 2026 and
        // both since: sending both with the same value is right for every llama.cpp build.
        MaxTokensField field = maxTokensField;
        bool both = false;
        if (field == MaxTokensField::Auto) {
            switch (kind) {
            case ServerKind::VLlm:
            case ServerKind::Simulator:
            case ServerKind::OpenAI:
                field = MaxTokensField::MaxCompletionTokens;
                break;
            case ServerKind::Ollama:
                field = MaxTokensField::MaxTokens;
                break;
            case ServerKind::LlamaCpp:
                both = true;
                break;
            }
        }
        if (both || field == MaxTokensField::MaxTokens)
            body["max_tokens"] = *maxTokens;
        if (both || field == MaxTokensField::MaxCompletionTokens)
            body["max_completion_tokens"] = *maxTokens;
    }
    if (!stop.isEmpty()) {
        Json list = Json::array();
        for (const QString &s : stop)
            list.push_back(str(s));
        body["stop"] = std::move(list);
    }
    if (seed)
        body["seed"] = *seed;
    // An empty tools array is a 400 in recent vLLM (§1.1).
    if (tools.is_array() && !tools.empty())
        body["tools"] = tools;
    if (!toolChoice.is_null())
        body["tool_choice"] = toolChoice;
    if (!responseFormat.is_null())
        body["response_format"] = responseFormat;

    if (topK && (honoursVllmExtras(kind) || kind == ServerKind::LlamaCpp))
        body["top_k"] = *topK;
    if (repetitionPenalty) {
        if (honoursVllmExtras(kind))
            body["repetition_penalty"] = *repetitionPenalty;
        else if (kind == ServerKind::LlamaCpp)
            body["repeat_penalty"] = *repetitionPenalty;
    }
    if (enableThinking) {
        // §0.10 / §10: a chat-template variable on vLLM and llama.cpp (send false explicitly:
        // the Ovis2.5 and Qwen3 templates think by default); reasoning_effort elsewhere.
        switch (kind) {
        case ServerKind::VLlm:
        case ServerKind::Simulator:
        case ServerKind::LlamaCpp:
            body["chat_template_kwargs"]["enable_thinking"] = *enableThinking;
            break;
        case ServerKind::Ollama:
            body["reasoning_effort"] = *enableThinking ? "medium" : "none";
            break;
        case ServerKind::OpenAI:
            if (!*enableThinking)
                body["reasoning_effort"] = "none";
            break;
        }
    }
    // §1.3: vLLM's hard cap is the top-level `thinking_token_budget` (ignored inside
    // chat_template_kwargs). llama.cpp only has the server flag --reasoning-budget, and Ollama
    // and OpenAI have no such field, so nothing is sent to them.
    if (thinkingBudget && honoursVllmExtras(kind))
        body["thinking_token_budget"] = *thinkingBudget;

    // User-supplied extras win; nested objects (chat_template_kwargs) are merged, and a null
    // removes a field (JSON merge patch).
    if (extraBody.is_object() && !extraBody.empty())
        body.merge_patch(extraBody);
    return body;
}

Json Usage::toJson(qint64 latencyMs, qint64 timeToFirstTokenMs) const
{
    const std::string zero = str(priceString());
    Json out{
        {"prompt_tokens", promptTokens},
        {"prompt_unit_price", zero},
        {"prompt_price_unit", zero},
        {"prompt_price", zero},
        {"completion_tokens", completionTokens},
        {"completion_unit_price", zero},
        {"completion_price_unit", zero},
        {"completion_price", zero},
        {"total_tokens", totalTokens},
        {"total_price", zero},
        {"currency", "USD"},
        {"latency", seconds(latencyMs)},
    };
    if (timeToFirstTokenMs >= 0) {
        out["time_to_first_token"] = seconds(timeToFirstTokenMs);
        out["time_to_generate"] = seconds(std::max<qint64>(0, latencyMs - timeToFirstTokenMs));
    }
    if (reasoningTokens > 0)
        out["reasoning_tokens"] = reasoningTokens;
    if (cachedTokens > 0)
        out["cached_tokens"] = cachedTokens;
    return out;
}

QString ChatError::kindName() const
{
    switch (kind) {
    case Kind::Unreachable:
        return QStringLiteral("unreachable");
    case Kind::Loading:
        return QStringLiteral("loading");
    case Kind::Auth:
        return QStringLiteral("auth");
    case Kind::UnknownModel:
        return QStringLiteral("unknown_model");
    case Kind::ContextTooLong:
        return QStringLiteral("context_too_long");
    case Kind::TooManyImages:
        return QStringLiteral("too_many_images");
    case Kind::RateLimited:
        return QStringLiteral("rate_limited");
    case Kind::BadRequest:
        return QStringLiteral("bad_request");
    case Kind::ServerError:
        return QStringLiteral("server_error");
    case Kind::MalformedStream:
        return QStringLiteral("malformed_stream");
    case Kind::Timeout:
        return QStringLiteral("timeout");
    case Kind::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("server_error");
}

bool ChatError::retryable() const
{
    switch (kind) {
    case Kind::Unreachable:
    case Kind::Loading:
    case Kind::RateLimited:
        return true;
    case Kind::ServerError:
        // An error event inside a 200 stream is the generation failing, not the server being
        // unavailable: repeating the request would most likely fail the same way.
        return httpStatus >= 500;
    default:
        return false;
    }
}

QString errorMessageFromJson(const Json &body)
{
    if (body.is_string())
        return qs(body.get<std::string>());
    if (!body.is_object())
        return {};
    if (const Json *error = member(body, "error")) {
        if (error->is_string())
            return qs(error->get<std::string>()); // vLLM's 401: {"error":"Unauthorized"}
        if (error->is_object()) {
            if (const Json *message = member(*error, "message"); message && message->is_string())
                return qs(message->get<std::string>());
            return qs(error->dump(-1, ' ', false, Json::error_handler_t::replace));
        }
    }
    // vLLM <= 0.10.0 flat body, and llama.cpp's `error:` line payload.
    if (const Json *message = member(body, "message"); message && message->is_string())
        return qs(message->get<std::string>());
    // FastAPI: {"detail":"Not Found"} or {"detail":[{"msg":…}, …]}.
    if (const Json *detail = member(body, "detail")) {
        if (detail->is_string())
            return qs(detail->get<std::string>());
        if (detail->is_array()) {
            QStringList messages;
            for (const Json &item : *detail) {
                if (const Json *msg = member(item, "msg"); msg && msg->is_string())
                    messages << qs(msg->get<std::string>());
            }
            return messages.join(QStringLiteral("; "));
        }
    }
    return {};
}

qint64 parseRetryAfter(const QByteArray &value, const QDateTime &now)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return -1;
    bool ok = false;
    const double secondsValue = trimmed.toDouble(&ok);
    if (ok)
        return secondsValue < 0 ? 0 : static_cast<qint64>(std::llround(secondsValue * 1000.0));
    // HTTP-date, IMF-fixdate form: "Wed, 21 Oct 2015 07:28:00 GMT" (RFC 9110 §5.6.7).
    QString text = QString::fromLatin1(trimmed);
    QDateTime when = QDateTime::fromString(text, Qt::RFC2822Date);
    if (!when.isValid()) {
        text.remove(QRegularExpression(QStringLiteral("\\s*(GMT|UTC)$")));
        when = QLocale::c().toDateTime(text, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss"));
        if (!when.isValid())
            return -1;
        when.setTimeZone(QTimeZone::utc());
    }
    return std::max<qint64>(0, now.msecsTo(when));
}

ChatError chatErrorFromHttp(int httpStatus, const QByteArray &body, const QByteArray &retryAfter)
{
    ChatError error;
    error.httpStatus = httpStatus;
    Json json = Json::parse(body.constBegin(), body.constEnd(), nullptr, false);
    if (json.is_discarded())
        json = Json();
    error.message = errorMessageFromJson(json);
    if (error.message.isEmpty())
        error.message = bodyExcerpt(body);
    if (error.message.isEmpty())
        error.message = QStringLiteral("HTTP %1").arg(httpStatus);
    const QString haystack = errorHaystack(json, error.message);

    if (httpStatus == 401 || httpStatus == 403) {
        error.kind = ChatError::Kind::Auth;
    } else if (httpStatus == 404) {
        // vLLM "The model `X` does not exist.", Ollama "model \"X\" not found", OpenAI
        // model_not_found. A bare "Not Found" is a wrong base URL, not a model.
        error.kind = haystack.contains(QLatin1String("model"), Qt::CaseInsensitive)
                         ? ChatError::Kind::UnknownModel
                         : ChatError::Kind::BadRequest;
    } else if (httpStatus == 429) {
        error.kind = ChatError::Kind::RateLimited;
    } else if (httpStatus == 503) {
        error.kind = ChatError::Kind::Loading;
    } else if (mentionsContextOverflow(haystack)) {
        error.kind = ChatError::Kind::ContextTooLong;
    } else if (mentionsTooManyImages(haystack)) {
        error.kind = ChatError::Kind::TooManyImages;
    } else if (httpStatus >= 400 && httpStatus < 500) {
        error.kind = ChatError::Kind::BadRequest;
    } else {
        error.kind = ChatError::Kind::ServerError;
    }
    if (error.kind == ChatError::Kind::RateLimited || error.kind == ChatError::Kind::Loading)
        error.retryAfterMs = parseRetryAfter(retryAfter);
    return error;
}

ChatError chatErrorFromStream(const Json &body)
{
    ChatError error;
    error.kind = ChatError::Kind::ServerError;
    error.httpStatus = 200;
    error.message = errorMessageFromJson(body);
    if (error.message.isEmpty())
        error.message = qs(body.dump(-1, ' ', false, Json::error_handler_t::replace));
    const QString haystack = errorHaystack(body, error.message);
    if (mentionsContextOverflow(haystack))
        error.kind = ChatError::Kind::ContextTooLong;
    else if (mentionsTooManyImages(haystack))
        error.kind = ChatError::Kind::TooManyImages;
    return error;
}

} // namespace flowbench::llm

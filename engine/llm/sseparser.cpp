#include "sseparser.h"

#include <QCoreApplication>

namespace flowbench::llm {

namespace {

const QLatin1String kOpenTag("<think>");
const QLatin1String kCloseTag("</think>");

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

const Json *member(const Json &object, const char *key)
{
    if (!object.is_object())
        return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

QString stringMember(const Json &object, const char *key)
{
    const Json *value = member(object, key);
    return value && value->is_string() ? qs(value->get<std::string>()) : QString();
}

qint64 integerMember(const Json &object, const char *key, qint64 fallback = 0)
{
    const Json *value = member(object, key);
    return value && value->is_number() ? value->get<qint64>() : fallback;
}

Usage usageFromJson(const Json &json)
{
    Usage usage;
    usage.present = true;
    usage.promptTokens = integerMember(json, "prompt_tokens");
    usage.completionTokens = integerMember(json, "completion_tokens");
    usage.totalTokens
        = integerMember(json, "total_tokens", usage.promptTokens + usage.completionTokens);
    if (const Json *details = member(json, "completion_tokens_details"))
        usage.reasoningTokens = integerMember(*details, "reasoning_tokens");
    if (const Json *details = member(json, "prompt_tokens_details"))
        usage.cachedTokens = integerMember(*details, "cached_tokens");
    return usage;
}

// `reasoning` first (current vLLM, Ollama), then `reasoning_content` (llama.cpp, older vLLM).
// The 0.11.x vLLM builds send both with the same text, so the second is read only when the
// first is absent.
QString reasoningOf(const Json &object)
{
    if (const Json *value = member(object, "reasoning"); value && value->is_string())
        return qs(value->get<std::string>());
    return stringMember(object, "reasoning_content");
}

QString argumentsOf(const Json &function)
{
    const Json *arguments = member(function, "arguments");
    if (!arguments || arguments->is_null())
        return {};
    if (arguments->is_string())
        return qs(arguments->get<std::string>());
    // Ollama's native shape carries the arguments as an object.
    return qs(arguments->dump(-1, ' ', false, Json::error_handler_t::replace));
}

// Templates that open <think> in the prompt (Qwen3 thinking-2507, DeepSeek-R1) make the model
// emit only the closing tag, so without a reasoning parser the content reads "…</think>answer".
void splitBareClosingTag(ChatResult *result)
{
    if (!result->reasoning.isEmpty())
        return;
    const qsizetype close = result->content.indexOf(kCloseTag);
    if (close < 0 || result->content.left(close).contains(kOpenTag))
        return;
    result->reasoning = result->content.left(close);
    result->content = result->content.mid(close + kCloseTag.size());
}

QString excerpt(const QByteArray &bytes)
{
    QString text = QString::fromUtf8(bytes.left(120));
    if (bytes.size() > 120)
        text += QStringLiteral("…");
    return text;
}

} // namespace

// --- SseParser ---------------------------------------------------------------------------------

SseParser::SseParser(Handler handler)
    : m_handler(std::move(handler))
{}

void SseParser::feed(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    // Everything before `from` was scanned already and holds no line end.
    qsizetype from = m_buffer.size();
    m_buffer.append(bytes);
    if (!m_bomChecked) {
        static const QByteArray bom("\xEF\xBB\xBF");
        if (m_buffer.startsWith(bom)) {
            m_buffer.remove(0, bom.size());
            from = 0;
            m_bomChecked = true;
        } else if (m_buffer.size() >= bom.size() || !bom.startsWith(m_buffer)) {
            m_bomChecked = true;
        } else {
            return; // the start of a BOM, split across chunks: wait for the rest
        }
    }
    if (m_buffer.isEmpty())
        return;
    qsizetype start = 0;
    qsizetype i = from;
    if (m_skipLf) {
        // The last chunk ended with CR, which ended a line; an LF right after it is the second
        // half of that CRLF, not an empty line (which would dispatch an event too early).
        m_skipLf = false;
        if (m_buffer.at(from) == '\n')
            start = i = from + 1;
    }
    for (; i < m_buffer.size(); ++i) {
        const char c = m_buffer.at(i);
        if (c != '\n' && c != '\r')
            continue;
        processLine(m_buffer.mid(start, i - start));
        if (c == '\r') {
            if (i + 1 < m_buffer.size()) {
                if (m_buffer.at(i + 1) == '\n')
                    ++i;
            } else {
                m_skipLf = true;
            }
        }
        start = i + 1;
    }
    m_buffer.remove(0, start);
}

void SseParser::finish()
{
    if (!m_buffer.isEmpty()) {
        const QByteArray line = m_buffer;
        m_buffer.clear();
        processLine(line);
    }
    m_skipLf = false;
    dispatch();
}

void SseParser::reset()
{
    m_buffer.clear();
    m_skipLf = false;
    m_event.clear();
    m_data.clear();
    m_hasData = false;
    m_id.clear();
    m_unknownLines = 0;
    m_firstUnknownLine.clear();
    m_bomChecked = false;
}

void SseParser::processLine(const QByteArray &line)
{
    if (line.isEmpty()) {
        dispatch();
        return;
    }
    if (line.startsWith(':'))
        return; // comment: pings, keep-alives
    const qsizetype colon = line.indexOf(':');
    const QByteArray field = colon < 0 ? line : line.left(colon);
    QByteArray value = colon < 0 ? QByteArray() : line.mid(colon + 1);
    if (value.startsWith(' '))
        value.remove(0, 1);

    const auto appendData = [this](const QByteArray &text) {
        if (m_hasData)
            m_data += '\n';
        m_data += text;
        m_hasData = true;
    };
    if (field == "data") {
        appendData(value);
    } else if (field == "event") {
        m_event = QString::fromUtf8(value);
    } else if (field == "id") {
        if (!value.contains('\0'))
            m_id = QString::fromUtf8(value);
    } else if (field == "retry") {
        // Reconnection delay: meaningless for a POST that is never resumed.
    } else if (field == "error") {
        // Older llama.cpp: `error: {...}` instead of a data line (§3.6).
        m_event = QStringLiteral("error");
        appendData(value);
    } else {
        if (m_unknownLines++ == 0)
            m_firstUnknownLine = line.left(200);
    }
}

void SseParser::dispatch()
{
    if (!m_hasData) {
        m_event.clear();
        return;
    }
    SseEvent event;
    event.event = m_event.isEmpty() ? QStringLiteral("message") : m_event;
    event.data = m_data;
    event.id = m_id;
    m_event.clear();
    m_data.clear();
    m_hasData = false;
    if (m_handler)
        m_handler(event);
}

// --- ThinkTagSplitter --------------------------------------------------------------------------

void ThinkTagSplitter::feed(const QString &text, QString *content, QString *reasoning)
{
    switch (m_state) {
    case State::Off:
    case State::After:
        *content += text;
        return;
    case State::Detect: {
        m_pending += text;
        qsizetype skip = 0;
        while (skip < m_pending.size() && m_pending.at(skip).isSpace())
            ++skip;
        const QStringView rest = QStringView(m_pending).mid(skip);
        if (rest.isEmpty())
            return; // only whitespace so far: the tag may still come
        if (rest.startsWith(kOpenTag)) {
            m_found = true;
            m_state = State::Inside;
            const QString inside = rest.mid(kOpenTag.size()).toString();
            m_pending.clear();
            feed(inside, content, reasoning);
            return;
        }
        if (rest.size() < kOpenTag.size() && kOpenTag.startsWith(rest))
            return; // "<thi": wait for the rest of the tag
        m_state = State::Off;
        *content += m_pending;
        m_pending.clear();
        return;
    }
    case State::Inside: {
        m_pending += text;
        const qsizetype close = m_pending.indexOf(kCloseTag);
        if (close >= 0) {
            *reasoning += m_pending.left(close);
            *content += m_pending.mid(close + kCloseTag.size());
            m_pending.clear();
            m_state = State::After;
            return;
        }
        // Hold back the longest tail that could be the start of "</think>".
        qsizetype keep = std::min<qsizetype>(m_pending.size(), kCloseTag.size() - 1);
        while (keep > 0 && !kCloseTag.startsWith(QStringView(m_pending).right(keep)))
            --keep;
        *reasoning += m_pending.left(m_pending.size() - keep);
        m_pending = m_pending.right(keep);
        return;
    }
    }
}

void ThinkTagSplitter::finish(QString *content, QString *reasoning)
{
    if (m_state == State::Inside)
        *reasoning += m_pending; // cut off while thinking (finish_reason "length")
    else
        *content += m_pending;
    m_pending.clear();
}

void ThinkTagSplitter::disable(QString *content, QString *reasoning)
{
    if (m_state == State::Off)
        return;
    finish(content, reasoning);
    m_state = State::Off;
}

void ThinkTagSplitter::reset()
{
    m_state = State::Detect;
    m_pending.clear();
    m_found = false;
}

// --- ChatStreamDecoder -------------------------------------------------------------------------

ChatStreamDecoder::Update ChatStreamDecoder::handle(const SseEvent &event)
{
    Update update;
    if (m_done || m_error)
        return update;
    const QByteArray data = event.data.trimmed();
    if (event.event == QLatin1String("error")) {
        Json body = Json::parse(data.constBegin(), data.constEnd(), nullptr, false);
        if (body.is_discarded())
            body = Json(QString::fromUtf8(data).toStdString());
        m_error = chatErrorFromStream(body);
        return update;
    }
    if (data == "[DONE]") {
        m_done = true;
        return update;
    }
    if (data.isEmpty())
        return update;
    const Json chunk = Json::parse(data.constBegin(), data.constEnd(), nullptr, false);
    if (chunk.is_discarded() || !chunk.is_object()) {
        ChatError error;
        error.kind = ChatError::Kind::MalformedStream;
        error.httpStatus = 200;
        error.message = QCoreApplication::translate("flowbench::llm::ChatClient",
                                                    "The server sent data that is not JSON: %1")
                            .arg(excerpt(data));
        m_error = error;
        return update;
    }
    // vLLM >= 0.10.1 / llama.cpp / OpenAI: {"error":{…}}; vLLM <= 0.10.0: {"object":"error",…}.
    const Json *error = member(chunk, "error");
    if ((error && !error->is_null()) || stringMember(chunk, "object") == QLatin1String("error")) {
        m_error = chatErrorFromStream(chunk);
        return update;
    }
    handleChunk(chunk, &update);
    m_result.content += update.content;
    m_result.reasoning += update.reasoning;
    if (update.hasOutput())
        m_output = true;
    return update;
}

void ChatStreamDecoder::handleChunk(const Json &chunk, Update *update)
{
    if (m_result.id.isEmpty())
        m_result.id = stringMember(chunk, "id");
    if (m_result.model.isEmpty())
        m_result.model = stringMember(chunk, "model");
    // OpenAI sends "usage": null on every other chunk; the last usage object wins.
    if (const Json *usage = member(chunk, "usage"); usage && usage->is_object())
        m_result.usage = usageFromJson(*usage);

    const Json *choices = member(chunk, "choices");
    if (!choices || !choices->is_array())
        return;
    for (const Json &choice : *choices) {
        if (!choice.is_object() || integerMember(choice, "index", 0) != 0)
            continue; // n > 1: only the first choice is rebuilt
        if (const QString finish = stringMember(choice, "finish_reason"); !finish.isEmpty())
            m_result.finishReason = finish;
        const Json *delta = member(choice, "delta");
        if (!delta || !delta->is_object())
            continue;

        if (const QString reasoning = reasoningOf(*delta); !reasoning.isEmpty()) {
            if (!m_serverReasoning) {
                // The server splits thinking itself: content is plain content from now on.
                m_serverReasoning = true;
                m_splitter.disable(&update->content, &update->reasoning);
            }
            update->reasoning += reasoning;
        }
        if (const QString content = stringMember(*delta, "content"); !content.isEmpty())
            m_splitter.feed(content, &update->content, &update->reasoning);

        const Json *toolCalls = member(*delta, "tool_calls");
        if (!toolCalls || !toolCalls->is_array())
            continue;
        for (const Json &callDelta : *toolCalls) {
            if (!callDelta.is_object())
                continue;
            const QString id = stringMember(callDelta, "id");
            int index = 0;
            if (const Json *value = member(callDelta, "index");
                value && value->is_number_integer()) {
                index = value->get<int>();
            } else if (!m_toolCalls.empty()) {
                // No index (some servers send whole calls): a new id starts a new call.
                index = m_toolCalls.rbegin()->first;
                if (!id.isEmpty() && !m_toolCalls.rbegin()->second.id.isEmpty()
                    && m_toolCalls.rbegin()->second.id != id)
                    ++index;
            }
            ToolCall &call = m_toolCalls[index];
            if (call.id.isEmpty())
                call.id = id;
            if (const Json *function = member(callDelta, "function")) {
                if (const QString name = stringMember(*function, "name");
                    !name.isEmpty() && call.name.isEmpty())
                    call.name = name;
                call.arguments += argumentsOf(*function);
            }
            update->toolCalls = true;
        }
    }
}

ChatStreamDecoder::Update ChatStreamDecoder::flush()
{
    Update update;
    m_splitter.finish(&update.content, &update.reasoning);
    m_result.content += update.content;
    m_result.reasoning += update.reasoning;
    if (update.hasOutput())
        m_output = true;
    return update;
}

void ChatStreamDecoder::reset()
{
    *this = ChatStreamDecoder();
}

ChatResult ChatStreamDecoder::result() const
{
    ChatResult result = m_result;
    result.toolCalls.clear();
    for (const auto &[index, call] : m_toolCalls)
        result.toolCalls.push_back(call);
    if (!m_serverReasoning && !m_splitter.foundThinkBlock())
        splitBareClosingTag(&result);
    return result;
}

// --- non-streamed responses --------------------------------------------------------------------

std::optional<ChatResult> chatResultFromJson(const Json &body)
{
    const Json *choices = member(body, "choices");
    if (!choices || !choices->is_array() || member(body, "error"))
        return std::nullopt;
    ChatResult result;
    result.id = stringMember(body, "id");
    result.model = stringMember(body, "model");
    if (const Json *usage = member(body, "usage"); usage && usage->is_object())
        result.usage = usageFromJson(*usage);

    const Json *choice = nullptr;
    for (const Json &candidate : *choices) {
        if (candidate.is_object() && integerMember(candidate, "index", 0) == 0) {
            choice = &candidate;
            break;
        }
    }
    if (!choice)
        return result;
    result.finishReason = stringMember(*choice, "finish_reason");
    const Json *message = member(*choice, "message");
    if (!message || !message->is_object())
        return result;

    QString content;
    if (const Json *value = member(*message, "content")) {
        if (value->is_string()) {
            content = qs(value->get<std::string>());
        } else if (value->is_array()) {
            for (const Json &part : *value)
                content += stringMember(part, "text");
        }
    }
    result.reasoning = reasoningOf(*message);
    if (result.reasoning.isEmpty()) {
        ThinkTagSplitter splitter;
        splitter.feed(content, &result.content, &result.reasoning);
        splitter.finish(&result.content, &result.reasoning);
        if (!splitter.foundThinkBlock())
            splitBareClosingTag(&result);
    } else {
        result.content = content;
    }

    if (const Json *calls = member(*message, "tool_calls"); calls && calls->is_array()) {
        for (const Json &call : *calls) {
            if (!call.is_object())
                continue;
            ToolCall toolCall;
            toolCall.id = stringMember(call, "id");
            if (const Json *function = member(call, "function")) {
                toolCall.name = stringMember(*function, "name");
                toolCall.arguments = argumentsOf(*function);
            }
            result.toolCalls.push_back(std::move(toolCall));
        }
    }
    return result;
}

} // namespace flowbench::llm

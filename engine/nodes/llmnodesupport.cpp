#include "llmnodesupport.h"

#include <QCoreApplication>

#include "llm/endpoint.h"
#include "runtime/execnode.h"

#include "nodes/filecontent.h"
#include "variables/template.h"
#include "variables/value.h"

#include <QRegularExpression>

#include <algorithm>

namespace flowbench::nodes::llmsupport {

QString qs(const std::string &s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

std::string str(const Json &object, const char *key, const std::string &fallback)
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

variables::Selector selectorOf(const Json &j)
{
    variables::Selector s;
    if (j.is_array())
        for (const Json &e : j)
            if (e.is_string())
                s.push_back(e.get<std::string>());
    return s;
}

QString selectorText(const Json &selector, const variables::VariablePool &pool)
{
    const variables::Selector sel = selectorOf(selector);
    const Json *value = sel.size() >= 2 ? pool.find(sel) : nullptr;
    if (!value || value->is_null())
        return {};
    if (value->is_string())
        return qs(value->get<std::string>());
    return qs(variables::renderText(*value));
}

namespace {

std::optional<Json> parseObject(const QString &text)
{
    const Json parsed = Json::parse(text.trimmed().toStdString(), nullptr, false);
    if (!parsed.is_discarded() && parsed.is_object())
        return parsed;
    return std::nullopt;
}

// The balanced {...} starting at `from` (a '{'), honouring JSON strings; empty when unbalanced.
QString balancedObject(const QString &text, qsizetype from)
{
    int depth = 0;
    bool inString = false;
    for (qsizetype i = from; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (inString) {
            if (c == QLatin1Char('\\'))
                ++i;
            else if (c == QLatin1Char('"'))
                inString = false;
            continue;
        }
        if (c == QLatin1Char('"'))
            inString = true;
        else if (c == QLatin1Char('{'))
            ++depth;
        else if (c == QLatin1Char('}') && --depth == 0)
            return text.mid(from, i - from + 1);
    }
    return {};
}

} // namespace

std::optional<Json> findJsonObject(const QString &text)
{
    if (auto whole = parseObject(text))
        return whole;
    static const QRegularExpression fence(QStringLiteral("```(?:json|JSON)?\\s*\\n?(.*?)```"),
                                          QRegularExpression::DotMatchesEverythingOption);
    for (auto it = fence.globalMatch(text); it.hasNext();) {
        if (auto inFence = parseObject(it.next().captured(1)))
            return inFence;
    }
    for (qsizetype at = text.indexOf(QLatin1Char('{')); at >= 0;
         at = text.indexOf(QLatin1Char('{'), at + 1)) {
        const QString object = balancedObject(text, at);
        if (object.isEmpty())
            continue;
        if (auto found = parseObject(object))
            return found;
    }
    return std::nullopt;
}

Result<QString> resolveModel(const runtime::NodeContext &ctx)
{
    const llm::LlmEndpoint *endpoint = ctx.llmEndpoint();
    if (!endpoint)
        return makeError(QStringLiteral("NoEndpointError"),
                         QCoreApplication::translate(
                             "flowbench::nodes::LlmNode",
                             "no LLM endpoint for this run: choose an endpoint profile, or run "
                             "`flowbench run FILE --endpoint URL` (try `flowbench simulate` for "
                             "a local one)"));
    const Json model = ctx.data().value("model", Json::object());
    const QString name = endpoint->resolveModel(qs(str(model, "provider")), qs(str(model, "name")));
    if (name.isEmpty())
        return makeError(
            QStringLiteral("ModelNotFoundError"),
            QCoreApplication::translate("flowbench::nodes::LlmNode",
                                        "the node has no model and the endpoint no default model"));
    return name;
}

void applyCompletionParams(const Json &model, llm::ChatRequest &r)
{
    const Json params
        = model.is_object() ? model.value("completion_params", Json::object()) : Json::object();
    if (!params.is_object())
        return;
    if (params.contains("temperature") && params["temperature"].is_number())
        r.temperature = params["temperature"].get<double>();
    if (params.contains("top_p") && params["top_p"].is_number())
        r.topP = params["top_p"].get<double>();
    if (params.contains("max_tokens") && params["max_tokens"].is_number())
        r.maxTokens = params["max_tokens"].get<int>();
    if (params.contains("seed") && params["seed"].is_number_integer())
        r.seed = params["seed"].get<qint64>();
    if (params.contains("stop") && params["stop"].is_array())
        for (const Json &s : params["stop"])
            if (s.is_string())
                r.stop << qs(s.get<std::string>());
}

Result<std::vector<llm::ContentPart>> visionImages(const Json &data,
                                                   const variables::VariablePool &pool)
{
    std::vector<llm::ContentPart> images;
    const Json vision = data.is_object() ? data.value("vision", Json::object()) : Json::object();
    if (!vision.is_object() || vision.value("enabled", false) != true)
        return images;
    const Json configs = vision.value("configs", Json::object());
    variables::Selector sel = selectorOf(
        configs.is_object() ? configs.value("variable_selector", Json::array()) : Json());
    if (sel.size() < 2)
        sel = {"sys", "files"};
    const Json *files = pool.find(sel);
    std::vector<Json> list;
    if (files && files->is_array())
        list.assign(files->begin(), files->end());
    else if (files && variables::isFile(*files))
        list.push_back(*files);
    for (const Json &file : list) {
        if (!variables::isFile(file) || str(file, "type") != "image")
            continue;
        llm::ContentPart part;
        part.kind = llm::ContentPart::Kind::ImageUrl;
        part.detail = qs(configs.is_object() ? str(configs, "detail") : std::string());
        const QString location = fileLocation(file);
        if (isRemoteLocation(location)) {
            part.url = location;
        } else {
            auto bytes = readLocalFileContent(file);
            if (!bytes)
                return tl::unexpected(bytes.error());
            part.url
                = QString::fromLatin1(toDataUrl(*bytes, qs(str(file, "mime_type", "image/png"))));
        }
        images.push_back(std::move(part));
    }
    return images;
}

void attachImages(std::vector<llm::Message> &messages, std::vector<llm::ContentPart> images)
{
    if (images.empty())
        return;
    auto last = std::find_if(messages.rbegin(), messages.rend(),
                             [](const llm::Message &m) { return m.role == QLatin1String("user"); });
    if (last == messages.rend()) {
        messages.push_back(llm::Message::text(QStringLiteral("user"), QString()));
        last = messages.rbegin();
    }
    for (llm::ContentPart &part : images)
        last->parts.push_back(std::move(part));
}

namespace {

constexpr int kMaxHistoryTurns = 500;    // TokenBufferMemory's message_limit cap
constexpr int kHistoryTokenLimit = 2000; // TokenBufferMemory's max_token_limit default

int estimatedTokens(const llm::Message &m)
{
    int tokens = 4;
    for (const llm::ContentPart &part : m.parts)
        if (part.kind == llm::ContentPart::Kind::Text)
            tokens += static_cast<int>((part.text.toUcs4().size() + 3) / 4);
    return tokens;
}

QString messageText(const llm::Message &m)
{
    QString text;
    for (const llm::ContentPart &part : m.parts)
        if (part.kind == llm::ContentPart::Kind::Text)
            text += part.text;
    return text;
}

} // namespace

std::vector<llm::Message> historyMessages(const Json &memory,
                                          const runtime::ConversationHistory &history)
{
    std::vector<llm::Message> messages;
    if (!memory.is_object() || history.empty())
        return messages;
    const Json window = memory.value("window", Json::object());
    const bool windowed = window.is_object() && window.value("enabled", false) == true;
    int limit = kMaxHistoryTurns;
    if (windowed && window.contains("size") && window["size"].is_number()) {
        const int size = window["size"].get<int>();
        if (size > 0)
            limit = std::min(size, kMaxHistoryTurns);
    }
    const size_t count = std::min(history.size(), static_cast<size_t>(limit));
    for (size_t i = history.size() - count; i < history.size(); ++i) {
        messages.push_back(llm::Message::text(QStringLiteral("user"), history[i].query));
        messages.push_back(llm::Message::text(QStringLiteral("assistant"), history[i].answer));
    }
    if (!windowed) {
        int tokens = 0;
        for (const llm::Message &m : messages)
            tokens += estimatedTokens(m);
        size_t drop = 0;
        while (tokens > kHistoryTokenLimit && messages.size() - drop > 1)
            tokens -= estimatedTokens(messages[drop++]);
        messages.erase(messages.begin(), messages.begin() + static_cast<std::ptrdiff_t>(drop));
    }
    return messages;
}

QString historyText(const Json &memory, const runtime::ConversationHistory &history,
                    const QString &userPrefix, const QString &assistantPrefix)
{
    QStringList lines;
    for (const llm::Message &m : historyMessages(memory, history)) {
        const QString &prefix = m.role == QLatin1String("user") ? userPrefix : assistantPrefix;
        lines << prefix + QStringLiteral(": ") + messageText(m);
    }
    return lines.join(QLatin1Char('\n'));
}

Json memoryConfig(const runtime::NodeContext &ctx)
{
    const Json &data = ctx.data();
    if (!data.is_object() || ctx.appMode() != QLatin1String("advanced-chat"))
        return Json();
    const auto it = data.find("memory");
    return it != data.end() && it->is_object() ? *it : Json();
}

} // namespace flowbench::nodes::llmsupport

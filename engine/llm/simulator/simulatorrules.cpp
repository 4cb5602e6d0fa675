#include "simulatorrules.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace flowbench::llm::sim {

namespace {

// Qwen3 ids for the chat-template markers, so /tokenize output looks plausible.
constexpr int kImStart = 151644;
constexpr int kImEnd = 151645;
constexpr int kNewline = 198;
constexpr int kImagePad = 151655;
constexpr int kGenerationPromptTokens = 3; // <|im_start|> assistant \n
constexpr int kTruncateAt = 200;           // code points of the prompt echoed back

QString fromStd(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

std::string dumpJson(const OJson &value)
{
    return value.dump(-1, ' ', false, OJson::error_handler_t::replace);
}

int codePoints(const QString &text)
{
    int n = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (!text.at(i).isLowSurrogate() || i == 0 || !text.at(i - 1).isHighSurrogate())
            ++n;
    }
    return n;
}

quint32 be16(const QByteArray &b, qsizetype at)
{
    return (quint32(quint8(b[at])) << 8) | quint8(b[at + 1]);
}

quint32 be32(const QByteArray &b, qsizetype at)
{
    return (be16(b, at) << 16) | be16(b, at + 2);
}

quint32 le16(const QByteArray &b, qsizetype at)
{
    return quint32(quint8(b[at])) | (quint32(quint8(b[at + 1])) << 8);
}

quint32 le24(const QByteArray &b, qsizetype at)
{
    return le16(b, at) | (quint32(quint8(b[at + 2])) << 16);
}

quint32 le32(const QByteArray &b, qsizetype at)
{
    return le16(b, at) | (le16(b, at + 2) << 16);
}

QSize jpegSize(const QByteArray &b)
{
    qsizetype i = 2;
    while (i + 3 < b.size()) {
        if (quint8(b[i]) != 0xFF) {
            ++i;
            continue;
        }
        const quint8 marker = quint8(b[i + 1]);
        if (marker == 0xFF) { // fill byte
            ++i;
            continue;
        }
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            i += 2;
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA)
            return {};
        const qsizetype length = be16(b, i + 2);
        const bool startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4
                                  && marker != 0xC8 && marker != 0xCC;
        if (startOfFrame) {
            if (i + 8 >= b.size())
                return {};
            return QSize(int(be16(b, i + 7)), int(be16(b, i + 5)));
        }
        i += 2 + length;
    }
    return {};
}

QSize webpSize(const QByteArray &b)
{
    if (b.size() < 30)
        return {};
    const QByteArray chunk = b.mid(12, 4);
    if (chunk == "VP8X")
        return QSize(int(le24(b, 24)) + 1, int(le24(b, 27)) + 1);
    if (chunk == "VP8L" && quint8(b[20]) == 0x2F) {
        const quint32 b1 = quint8(b[21]), b2 = quint8(b[22]), b3 = quint8(b[23]),
                      b4 = quint8(b[24]);
        const quint32 width = 1 + (b1 | ((b2 & 0x3F) << 8));
        const quint32 height = 1 + ((b2 >> 6) | (b3 << 2) | ((b4 & 0x0F) << 10));
        return QSize(int(width), int(height));
    }
    if (chunk == "VP8 " && quint8(b[23]) == 0x9D && quint8(b[24]) == 0x01 && quint8(b[25]) == 0x2A)
        return QSize(int(le16(b, 26) & 0x3FFF), int(le16(b, 28) & 0x3FFF));
    return {};
}

int roleId(const QString &role)
{
    if (role == QLatin1String("system"))
        return 8948;
    if (role == QLatin1String("user"))
        return 872;
    if (role == QLatin1String("assistant"))
        return 77091;
    if (role == QLatin1String("tool"))
        return 14172;
    return 1;
}

void appendTextIds(const QString &text, std::vector<int> *ids)
{
    const QList<uint> ucs4 = text.toUcs4();
    for (qsizetype i = 0; i < ucs4.size(); i += 4) {
        quint32 h = 2166136261u;
        for (qsizetype k = i; k < std::min(i + 4, ucs4.size()); ++k)
            h = (h ^ ucs4.at(k)) * 16777619u;
        ids->push_back(int(h % 151643u));
    }
}

QString truncated(const QString &text)
{
    const QString simple = text.simplified();
    const QList<uint> ucs4 = simple.toUcs4();
    if (ucs4.size() <= kTruncateAt)
        return simple;
    return QString::fromUcs4(reinterpret_cast<const char32_t *>(ucs4.constData()), kTruncateAt)
           + QStringLiteral("...");
}

// The text of a message's content: a string, or the text parts joined with "\n".
QString contentText(const OJson &content)
{
    if (content.is_string())
        return fromStd(content.get<std::string>());
    QStringList texts;
    if (content.is_array()) {
        for (const OJson &part : content) {
            if (part.is_object() && part.value("type", OJson()) == "text" && part.contains("text")
                && part["text"].is_string())
                texts.append(fromStd(part["text"].get<std::string>()));
        }
    }
    return texts.join(QLatin1Char('\n'));
}

HttpError badRequest(const QString &message)
{
    return HttpError{400, QStringLiteral("BadRequestError"), message, {}};
}

// Arguments a model would plausibly produce for a JSON schema: the required properties (all of
// them when none are listed) with the first enum value or a stand-in of the declared type.
OJson defaultArguments(const OJson &schema)
{
    OJson args = OJson::object();
    if (!schema.is_object() || !schema.contains("properties") || !schema["properties"].is_object())
        return args;
    const OJson &properties = schema["properties"];
    std::vector<std::string> names;
    if (schema.contains("required") && schema["required"].is_array()) {
        for (const OJson &n : schema["required"]) {
            if (n.is_string() && properties.contains(n.get<std::string>()))
                names.push_back(n.get<std::string>());
        }
    } else {
        for (auto it = properties.begin(); it != properties.end(); ++it)
            names.push_back(it.key());
    }
    for (const std::string &name : names) {
        const OJson &p = properties[name];
        if (!p.is_object()) {
            args[name] = nullptr;
            continue;
        }
        if (p.contains("enum") && p["enum"].is_array() && !p["enum"].empty()) {
            args[name] = p["enum"][0];
            continue;
        }
        const std::string type = p.contains("type") && p["type"].is_string()
                                     ? p["type"].get<std::string>()
                                     : std::string("string");
        if (type == "string")
            args[name] = "test";
        else if (type == "integer" || type == "number")
            args[name] = 1;
        else if (type == "boolean")
            args[name] = true;
        else if (type == "array")
            args[name] = OJson::array();
        else if (type == "object")
            args[name] = defaultArguments(p);
        else
            args[name] = nullptr;
    }
    return args;
}

// The balanced {...} starting at `from` (which must be '{'), honouring JSON strings.
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

struct Mention
{
    QString name;
    OJson arguments; // null when the prompt gave none
};

bool isNameChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('-')
           || c == QLatin1Char('.');
}

// Every "call <tool name> [with {json}]" in the text, in order.
std::vector<Mention> findMentions(const QString &text, const QStringList &names)
{
    std::vector<Mention> mentions;
    static const QString call = QStringLiteral("call ");
    qsizetype at = 0;
    while ((at = text.indexOf(call, at, Qt::CaseInsensitive)) >= 0) {
        const bool wordStart = at == 0 || !isNameChar(text.at(at - 1));
        at += call.size();
        if (!wordStart)
            continue;
        QString best;
        for (const QString &name : names) {
            if (name.size() > best.size() && text.mid(at, name.size()) == name
                && (at + name.size() == text.size() || !isNameChar(text.at(at + name.size()))))
                best = name;
        }
        if (best.isEmpty())
            continue;
        Mention mention{best, nullptr};
        qsizetype i = at + best.size();
        while (i < text.size() && text.at(i).isSpace())
            ++i;
        if (text.mid(i, 4).compare(QLatin1String("with"), Qt::CaseInsensitive) == 0) {
            i += 4;
            while (i < text.size() && text.at(i).isSpace())
                ++i;
        }
        if (i < text.size() && text.at(i) == QLatin1Char('{')) {
            const QString object = balancedObject(text, i);
            const OJson parsed = OJson::parse(object.toStdString(), nullptr, false);
            if (!parsed.is_discarded() && parsed.is_object())
                mention.arguments = parsed;
        }
        mentions.push_back(std::move(mention));
        at = i;
    }
    return mentions;
}

void appendPython(const OJson &value, std::string *out)
{
    if (value.is_object()) {
        *out += '{';
        bool first = true;
        for (auto it = value.begin(); it != value.end(); ++it) {
            if (!first)
                *out += ", ";
            first = false;
            *out += dumpJson(OJson(it.key()));
            *out += ": ";
            appendPython(it.value(), out);
        }
        *out += '}';
    } else if (value.is_array()) {
        *out += '[';
        bool first = true;
        for (const OJson &item : value) {
            if (!first)
                *out += ", ";
            first = false;
            appendPython(item, out);
        }
        *out += ']';
    } else {
        *out += dumpJson(value);
    }
}

} // namespace

int textTokens(const QString &text)
{
    return (codePoints(text) + 3) / 4;
}

QSize imageSize(const QByteArray &b)
{
    if (b.size() >= 24 && b.startsWith("\x89PNG\r\n\x1a\n") && b.mid(12, 4) == "IHDR")
        return QSize(int(be32(b, 16)), int(be32(b, 20)));
    if (b.size() >= 4 && quint8(b[0]) == 0xFF && quint8(b[1]) == 0xD8)
        return jpegSize(b);
    if (b.size() >= 10 && (b.startsWith("GIF87a") || b.startsWith("GIF89a")))
        return QSize(int(le16(b, 6)), int(le16(b, 8)));
    if (b.size() >= 26 && b.startsWith("BM")) {
        if (le32(b, 14) == 12)
            return QSize(int(le16(b, 18)), int(le16(b, 20)));
        return QSize(std::abs(qint32(le32(b, 18))), std::abs(qint32(le32(b, 22))));
    }
    if (b.size() >= 16 && b.startsWith("RIFF") && b.mid(8, 4) == "WEBP")
        return webpSize(b);
    return {};
}

int imageTokens(QSize size, qint64 minPixels, qint64 maxPixels)
{
    // A max_pixels below the default floor lowers the floor too.
    minPixels = std::max<qint64>(1, std::min(minPixels, maxPixels));
    maxPixels = std::max(minPixels, maxPixels);
    qint64 pixels
        = size.isValid() && !size.isEmpty() ? qint64(size.width()) * size.height() : minPixels;
    pixels = std::clamp(pixels, minPixels, maxPixels);
    return int((pixels + 1023) / 1024) + 4;
}

QStringList splitTokens(const QString &text)
{
    QStringList tokens;
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        qsizetype j = i;
        while (j < n && text.at(j).isSpace())
            ++j;
        const QStringView spaces = QStringView(text).mid(i, j - i);
        if (spaces.contains(QLatin1Char('\n')) || j == n) {
            tokens.append(spaces.toString());
            i = j;
            continue;
        }
        qsizetype k = j;
        while (k < n && !text.at(k).isSpace())
            ++k;
        tokens.append(text.mid(i, k - i));
        i = k;
    }
    return tokens;
}

QString pythonJson(const OJson &value)
{
    std::string out;
    appendPython(value, &out);
    return fromStd(out);
}

OJson HttpError::toJson() const
{
    OJson error;
    error["message"] = message.toStdString();
    error["type"] = type.toStdString();
    error["param"] = param.isEmpty() ? OJson(nullptr) : OJson(param.toStdString());
    error["code"] = status;
    OJson body;
    body["error"] = std::move(error);
    return body;
}

tl::expected<PromptInfo, HttpError> analyzePrompt(const OJson &messages, const OJson &tools,
                                                  const PromptOptions &options)
{
    if (messages.is_null())
        return tl::unexpected(badRequest(QStringLiteral("messages: Field required")));
    if (!messages.is_array())
        return tl::unexpected(badRequest(QStringLiteral("messages: Input should be a valid list")));
    PromptInfo info;
    std::vector<int> &ids = info.tokenIds;
    for (size_t m = 0; m < messages.size(); ++m) {
        const OJson &message = messages[m];
        const QString where = QStringLiteral("messages.%1").arg(m);
        if (!message.is_object() || !message.contains("role") || !message["role"].is_string())
            return tl::unexpected(badRequest(where + QStringLiteral(".role: Field required")));
        const QString role = fromStd(message["role"].get<std::string>());
        ids.insert(ids.end(), {kImStart, roleId(role), kNewline});
        const OJson content = message.value("content", OJson());
        if (content.is_string()) {
            appendTextIds(fromStd(content.get<std::string>()), &ids);
        } else if (content.is_array()) {
            for (size_t p = 0; p < content.size(); ++p) {
                const OJson &part = content[p];
                const QString partWhere = where + QStringLiteral(".content.%1").arg(p);
                if (!part.is_object() || !part.contains("type") || !part["type"].is_string())
                    return tl::unexpected(
                        badRequest(partWhere + QStringLiteral(".type: Field required")));
                const std::string type = part["type"].get<std::string>();
                if (type == "text") {
                    if (!part.contains("text") || !part["text"].is_string())
                        return tl::unexpected(
                            badRequest(partWhere + QStringLiteral(".text: Field required")));
                    appendTextIds(fromStd(part["text"].get<std::string>()), &ids);
                } else if (type == "image_url") {
                    // OpenAI nests {"url": ...}; Ollama also takes a bare string.
                    const OJson image = part.value("image_url", OJson());
                    const OJson url = image.is_object() ? image.value("url", OJson()) : image;
                    if (!url.is_string())
                        return tl::unexpected(badRequest(
                            partWhere + QStringLiteral(".image_url.url: Field required")));
                    const QString text = fromStd(url.get<std::string>());
                    QSize size;
                    if (text.startsWith(QLatin1String("data:"))) {
                        const qsizetype comma = text.indexOf(QLatin1Char(','));
                        const QString header = text.mid(5, comma - 5);
                        if (comma < 0 || !header.endsWith(QLatin1String(";base64")))
                            return tl::unexpected(HttpError{
                                501,
                                QStringLiteral("NotImplementedError"),
                                QStringLiteral("Only base64 data URLs are supported for now."),
                                {}});
                        auto decoded = QByteArray::fromBase64Encoding(
                            text.mid(comma + 1).toLatin1(),
                            QByteArray::AbortOnBase64DecodingErrors);
                        if (!decoded)
                            return tl::unexpected(badRequest(
                                QStringLiteral("Invalid base64-encoded image data in %1.")
                                    .arg(partWhere)));
                        size = imageSize(*decoded);
                    }
                    ++info.images;
                    ids.insert(ids.end(),
                               size_t(imageTokens(size, options.minPixels, options.maxPixels)),
                               kImagePad);
                }
                // Other media (video_url, input_audio) are accepted and cost nothing here.
            }
        } else if (!content.is_null()) {
            return tl::unexpected(badRequest(
                where + QStringLiteral(".content: Input should be a valid string or list")));
        }
        if (message.contains("tool_calls") && message["tool_calls"].is_array()) {
            for (const OJson &call : message["tool_calls"]) {
                const OJson function = call.is_object() ? call.value("function", OJson()) : OJson();
                if (!function.is_object())
                    continue;
                for (const char *key : {"name", "arguments"}) {
                    if (function.contains(key) && function[key].is_string())
                        appendTextIds(fromStd(function[key].get<std::string>()), &ids);
                }
            }
        }
        ids.push_back(kImEnd);
        info.lastRole = role;
        if (role == QLatin1String("user"))
            info.lastUserText = contentText(content);
        info.lastToolText = role == QLatin1String("tool") ? contentText(content) : QString();
    }
    if (tools.is_array() && !tools.empty())
        appendTextIds(fromStd(dumpJson(tools)), &ids);
    if (options.addGenerationPrompt)
        ids.insert(ids.end(), {kImStart, roleId(QStringLiteral("assistant")), kNewline});
    static_assert(kGenerationPromptTokens == 3);
    return info;
}

std::vector<int> promptTextTokenIds(const QString &text)
{
    std::vector<int> ids;
    appendTextIds(text, &ids);
    return ids;
}

QString answerText(const PromptInfo &prompt)
{
    static const QString tail = QStringLiteral("This is a simulated reply.");
    if (prompt.lastRole == QLatin1String("tool"))
        return QStringLiteral("Tool result: %1 %2").arg(truncated(prompt.lastToolText), tail);
    const QString echo = truncated(prompt.lastUserText);
    QString answer = QStringLiteral("Echo: ") + (echo.isEmpty() ? QString() : echo + u' ') + tail;
    if (prompt.images > 0)
        answer += QStringLiteral(" Images received: %1.").arg(prompt.images);
    return answer;
}

QString reasoningText(const PromptInfo &prompt)
{
    if (prompt.lastRole == QLatin1String("tool"))
        return QStringLiteral("\nThe tool returned: %1\nI will report the result.\n")
            .arg(truncated(prompt.lastToolText));
    const QString echo = truncated(prompt.lastUserText);
    return QStringLiteral("\nThe user wants a reply to: %1\nI will echo the message back.\n")
        .arg(echo.isEmpty() ? QStringLiteral("(no text)") : echo);
}

tl::expected<ReplyPlan, HttpError> planReply(const OJson &request, const PromptInfo &prompt,
                                             const ReplyOptions &options)
{
    ReplyPlan plan;
    plan.thinking = options.thinking;

    // Which tools to call.
    const OJson tools = request.value("tools", OJson());
    QStringList names;
    std::vector<OJson> schemas;
    if (tools.is_array()) {
        for (const OJson &tool : tools) {
            const OJson function = tool.is_object() ? tool.value("function", OJson()) : OJson();
            if (!function.is_object() || !function.contains("name")
                || !function["name"].is_string())
                continue;
            names.append(fromStd(function["name"].get<std::string>()));
            schemas.push_back(function.value("parameters", OJson()));
        }
    }
    std::vector<Mention> calls;
    if (!names.isEmpty()) {
        const OJson choice = request.value("tool_choice", OJson("auto"));
        const bool lastIsUser = prompt.lastRole == QLatin1String("user");
        if (choice.is_object()) {
            const OJson function = choice.value("function", OJson());
            const QString name
                = function.is_object() && function.contains("name") && function["name"].is_string()
                      ? fromStd(function["name"].get<std::string>())
                      : QString();
            if (!names.contains(name))
                return tl::unexpected(badRequest(
                    QStringLiteral("Tool '%1' has not been passed in `tools`.").arg(name)));
            plan.namedToolChoice = true;
            Mention forced{name, nullptr};
            for (const Mention &m : findMentions(prompt.lastUserText, {name})) {
                if (!m.arguments.is_null()) {
                    forced.arguments = m.arguments;
                    break;
                }
            }
            calls.push_back(forced);
        } else if (choice == "required" || (choice == "auto" && lastIsUser)) {
            if (lastIsUser)
                calls = findMentions(prompt.lastUserText, names);
            if (calls.empty() && choice == "required")
                calls.push_back({names.first(), nullptr});
        }
    }

    auto addText = [&plan](const QString &text, PlannedToken::Kind kind, int budget = -1) {
        const QStringList pieces = splitTokens(text);
        for (qsizetype i = 0; i < pieces.size() && (budget < 0 || i < budget); ++i)
            plan.tokens.push_back({kind, pieces.at(i), -1});
    };

    if (options.thinking) {
        plan.tokens.push_back({PlannedToken::Kind::Hidden, QStringLiteral("<think>"), -1});
        addText(reasoningText(prompt), PlannedToken::Kind::Reasoning, options.thinkingBudget);
        plan.tokens.push_back({PlannedToken::Kind::Hidden, QStringLiteral("</think>"), -1});
    }
    if (!calls.empty()) {
        for (size_t i = 0; i < calls.size(); ++i) {
            const qsizetype schemaIndex = names.indexOf(calls[i].name);
            const OJson args = calls[i].arguments.is_null()
                                   ? defaultArguments(schemas[size_t(schemaIndex)])
                                   : calls[i].arguments;
            PlannedToolCall call{randomHexId(QStringLiteral("chatcmpl-tool-")), calls[i].name,
                                 pythonJson(args)};
            plan.tokens.push_back({PlannedToken::Kind::Hidden, QStringLiteral("<tool_call>"), -1});
            plan.tokens.push_back({PlannedToken::Kind::ToolName, call.name, int(i)});
            for (const QString &piece : splitTokens(call.arguments))
                plan.tokens.push_back({PlannedToken::Kind::ToolArguments, piece, int(i)});
            plan.tokens.push_back({PlannedToken::Kind::Hidden, QStringLiteral("</tool_call>"), -1});
            plan.toolCalls.push_back(std::move(call));
        }
    } else {
        addText((options.thinking ? QStringLiteral("\n\n") : QString()) + answerText(prompt),
                PlannedToken::Kind::Content);
    }

    // min_tokens holds the EOS back; ignore_eos never sends it. Either way the model goes on.
    static const QStringList filler = {QStringLiteral(" This"), QStringLiteral(" is"),
                                       QStringLiteral(" filler"), QStringLiteral(" text.")};
    const int target = options.fillToTokens > 0 ? options.fillToTokens : options.minTokens - 1;
    for (int i = 0; int(plan.tokens.size()) < target; ++i)
        plan.tokens.push_back({PlannedToken::Kind::Content, filler.at(i % filler.size()), -1});
    if (options.fillToTokens <= 0)
        plan.tokens.push_back({PlannedToken::Kind::Eos, QString(), -1});
    return plan;
}

QString randomHexId(const QString &prefix)
{
    QString id = prefix;
    auto *random = QRandomGenerator::global();
    for (int i = 0; i < 4; ++i)
        id += QStringLiteral("%1").arg(random->generate(), 8, 16, QLatin1Char('0'));
    return id;
}

} // namespace flowbench::llm::sim

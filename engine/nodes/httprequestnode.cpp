#include "httprequestnode.h"

#include "filecontent.h"
#include "variables/template.h"
#include "variables/value.h"

#include <QDir>
#include <QFile>
#include <QMimeDatabase>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QSslError>
#include <QStringDecoder>
#include <QTimer>
#include <QUrl>
#include <QUuid>

#include <algorithm>
#include <optional>

namespace flowbench::nodes {

using runtime::NodeContext;
using runtime::NodeResult;
using variables::Json;

namespace {

using Pairs = std::vector<std::pair<QString, QString>>;

struct Failure
{
    QString message;
    QString type;
};

template<typename T>
using Outcome = tl::expected<T, Failure>;

tl::unexpected<Failure> failWith(QString message, const char *type)
{
    return tl::unexpected<Failure>(Failure{std::move(message), QString::fromLatin1(type)});
}

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

std::string stringMember(const Json &object, const char *key)
{
    const Json *value = member(object, key);
    return value && value->is_string() ? value->get<std::string>() : std::string();
}

std::optional<variables::Selector> selectorMember(const Json &object, const char *key)
{
    const Json *value = member(object, key);
    if (!value || !value->is_array() || value->empty())
        return std::nullopt;
    variables::Selector selector;
    for (const Json &part : *value) {
        if (!part.is_string())
            return std::nullopt;
        selector.push_back(part.get<std::string>());
    }
    return selector;
}

// Seconds from a timeout field; 0 when missing, null, zero or not a number (Dify's `or` default).
int seconds(const Json &timeout, const char *key)
{
    const Json *value = member(timeout, key);
    if (!value)
        return 0;
    if (value->is_number_integer())
        return int(std::clamp<qint64>(value->get<qint64>(), 0, 24 * 3600));
    if (value->is_number())
        return int(std::clamp(value->get<double>(), 0.0, 24.0 * 3600.0));
    if (value->is_string())
        return std::max(0, QString::fromStdString(value->get<std::string>()).toInt());
    return 0;
}

// Python's str.splitlines().
QStringList splitLines(const QString &text)
{
    QStringList lines;
    QString current;
    bool pending = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text.at(i).unicode();
        switch (c) {
        case u'\r':
            if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('\n'))
                ++i;
            [[fallthrough]];
        case u'\n':
        case u'\v':
        case u'\f':
        case 0x1c:
        case 0x1d:
        case 0x1e:
        case 0x85:
        case 0x2028:
        case 0x2029:
            lines.append(current);
            current.clear();
            pending = false;
            break;
        default:
            current.append(QChar(c));
            pending = true;
        }
    }
    if (pending)
        lines.append(current);
    return lines;
}

// Python dict assignment: an existing key keeps its place and takes the new value.
void setItem(Pairs &pairs, const QString &key, const QString &value)
{
    for (auto &pair : pairs) {
        if (pair.first == key) {
            pair.second = value;
            return;
        }
    }
    pairs.emplace_back(key, value);
}

bool hasHeader(const Pairs &headers, const QString &name)
{
    return std::any_of(headers.begin(), headers.end(), [name](const auto &header) {
        return header.first.compare(name, Qt::CaseInsensitive) == 0;
    });
}

void removeHeader(Pairs &headers, const QString &name)
{
    headers.erase(std::remove_if(headers.begin(), headers.end(),
                                 [name](const auto &header) {
                                     return header.first.compare(name, Qt::CaseInsensitive) == 0;
                                 }),
                  headers.end());
}

// urllib.parse.quote_plus: unreserved characters stay, space becomes '+', the rest %XX.
QByteArray quotePlus(const QString &text)
{
    QByteArray encoded = text.toUtf8().toPercentEncoding();
    encoded.replace("%20", "+");
    return encoded;
}

QByteArray urlEncode(const Pairs &pairs)
{
    QByteArray out;
    for (const auto &[key, value] : pairs) {
        if (!out.isEmpty())
            out += '&';
        out += quotePlus(key) + '=' + quotePlus(value);
    }
    return out;
}

// httpx's multipart parameter quoting.
QByteArray formParam(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    bytes.replace("\\", "\\\\");
    bytes.replace("\"", "%22");
    return bytes;
}

// Python's json.loads(strict=False) accepts raw control characters inside strings, which
// templates produce whenever they insert multi-line text; nlohmann refuses them, so escape them
// first.
std::string escapeControlCharactersInStrings(const std::string &text)
{
    std::string out;
    out.reserve(text.size());
    bool inString = false;
    bool escaped = false;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                inString = false;
            } else if (c < 0x20) {
                static const char *const hex = "0123456789abcdef";
                switch (c) {
                case '\n':
                    out += "\\n";
                    break;
                case '\r':
                    out += "\\r";
                    break;
                case '\t':
                    out += "\\t";
                    break;
                case '\b':
                    out += "\\b";
                    break;
                case '\f':
                    out += "\\f";
                    break;
                default:
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 0xf];
                }
                continue;
            }
        } else if (c == '"') {
            inString = true;
        }
        out += ch;
    }
    return out;
}

QString mimeEssence(const QString &contentType)
{
    return contentType.section(QLatin1Char(';'), 0, 0).trimmed().toLower();
}

// The filename parameter of a Content-Disposition header, if any.
QString dispositionFilename(const QString &disposition)
{
    const QStringList parts = disposition.split(QLatin1Char(';'));
    for (const QString &rawPart : parts) {
        const QString part = rawPart.trimmed();
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        if (eq < 0)
            continue;
        const QString name = part.left(eq).trimmed().toLower();
        QString value = part.mid(eq + 1).trimmed();
        if (value.size() >= 2 && value.startsWith(QLatin1Char('"'))
            && value.endsWith(QLatin1Char('"')))
            value = value.mid(1, value.size() - 2);
        if (name == QLatin1String("filename*")) {
            const qsizetype quote = value.indexOf(QLatin1String("''"));
            return QString::fromUtf8(QByteArray::fromPercentEncoding(
                (quote >= 0 ? value.mid(quote + 2) : value).toUtf8()));
        }
        if (name == QLatin1String("filename"))
            return value;
    }
    return {};
}

bool isAttachment(const QString &disposition)
{
    if (disposition.isEmpty())
        return false;
    return disposition.section(QLatin1Char(';'), 0, 0)
                   .trimmed()
                   .compare(QLatin1String("attachment"), Qt::CaseInsensitive)
               == 0
           || !dispositionFilename(disposition).isEmpty();
}

// Dify's Response.is_file, decided from the headers where it can be.
enum class BodyKind { Text, File, Sniff };

BodyKind classifyResponse(const QString &contentType, const QString &disposition)
{
    if (isAttachment(disposition))
        return BodyKind::File;
    const QString mime = mimeEssence(contentType);
    if (mime.startsWith(QLatin1String("text/")) && !mime.contains(QLatin1String("csv")))
        return BodyKind::Text;
    if (mime.startsWith(QLatin1String("application/"))) {
        static const char *const textTypes[]
            = {"json", "xml", "javascript", "x-www-form-urlencoded", "yaml", "graphql"};
        for (const char *textType : textTypes) {
            if (mime.contains(QLatin1String(textType)))
                return BodyKind::Text;
        }
        return BodyKind::Sniff;
    }
    if (mime.startsWith(QLatin1String("image/")) || mime.startsWith(QLatin1String("audio/"))
        || mime.startsWith(QLatin1String("video/"))) {
        return BodyKind::File;
    }
    // Everything else (text/csv included) has a main type that Python's mimetypes does not count
    // as binary.
    return BodyKind::Text;
}

bool isFileResponse(const QString &contentType, const QString &disposition,
                    const QByteArray &content)
{
    switch (classifyResponse(contentType, disposition)) {
    case BodyKind::File:
        return true;
    case BodyKind::Text:
        return false;
    case BodyKind::Sniff:
        break;
    }
    // application/* that is not obviously text: text when the start decodes as UTF-8 and looks
    // like code or markup, else a file when the type is a known one.
    const QByteArray sample = content.left(1024);
    auto decoder = QStringDecoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder.decode(sample); // converting is what runs the decoder
    Q_UNUSED(decoded)
    if (!decoder.hasError()) {
        static const char *const markers[] = {"{", "[", "<", "function", "var ", "const ", "let "};
        for (const char *marker : markers) {
            if (sample.contains(marker))
                return false;
        }
    }
    return QMimeDatabase().mimeTypeForName(mimeEssence(contentType)).isValid();
}

QString decodeText(const QByteArray &content, const QString &contentType)
{
    QString charset;
    const QStringList params = contentType.split(QLatin1Char(';'));
    for (qsizetype i = 1; i < params.size(); ++i) {
        const QString param = params.at(i).trimmed();
        if (param.startsWith(QLatin1String("charset="), Qt::CaseInsensitive)) {
            charset = param.mid(8).trimmed();
            charset.remove(QLatin1Char('"'));
        }
    }
    if (!charset.isEmpty()) {
        auto decoder = QStringDecoder(charset.toLatin1().constData());
        if (decoder.isValid())
            return decoder.decode(content);
    }
    return QString::fromUtf8(content);
}

struct FilePart
{
    QString key;
    Json file;
};

// Everything the request needs, computed from the node data and the pool in start().
struct RequestPlan
{
    QByteArray method; // upper case
    QString renderedUrl;
    QUrl url;
    QString logTarget; // "/path?query"
    Pairs headers;
    QString authHeader; // masked in the log
    QString bodyType;
    bool sendsBody = false;
    QByteArray body;
    QString bodyPreview;
    // form-data
    Pairs formFields;
    std::vector<FilePart> fileParts;
    QByteArray boundary;
    // binary
    Json binaryFile;
    bool needsFiles = false;
    Json processData = Json::object();
};

// Builds the multipart body (reading file parts) or the binary body. Blocking: disk I/O.
Outcome<std::pair<QByteArray, QString>> assembleFileBody(const RequestPlan &plan)
{
    if (plan.bodyType == QLatin1String("binary")) {
        auto bytes = readLocalFileContent(plan.binaryFile);
        if (!bytes)
            return failWith(bytes.error().message, "FileFetchError");
        return std::make_pair(*bytes, QString::fromUtf8(*bytes));
    }

    QByteArray body;
    QString preview;
    const QByteArray delimiter = "--" + plan.boundary + "\r\n";
    for (const auto &[key, value] : plan.formFields) {
        const QByteArray head
            = delimiter + "Content-Disposition: form-data; name=\"" + formParam(key) + "\"\r\n\r\n";
        body += head + value.toUtf8() + "\r\n";
        preview += QString::fromUtf8(head) + value + QStringLiteral("\r\n");
    }
    struct Loaded
    {
        QString key;
        QString name;
        QString mime;
        QByteArray bytes;
    };
    std::vector<Loaded> loaded;
    for (const FilePart &part : plan.fileParts) {
        auto bytes = readLocalFileContent(part.file);
        if (!bytes) {
            return failWith(HttpRequestNode::tr("form-data field '%1': %2")
                                .arg(part.key, bytes.error().message),
                            "FileFetchError");
        }
        QString mime = qs(stringMember(part.file, "mime_type"));
        if (mime.isEmpty())
            mime = QStringLiteral("application/octet-stream");
        QString name = qs(stringMember(part.file, "name"));
        if (name.isEmpty())
            name = qs(stringMember(part.file, "filename"));
        loaded.push_back({part.key, name, mime, *bytes});
    }
    // Dify forces multipart with a placeholder part when no file was attached.
    if (loaded.empty()) {
        loaded.push_back({QStringLiteral("__multipart_placeholder__"), QString(),
                          QStringLiteral("application/octet-stream"), QByteArray()});
    }
    for (const Loaded &file : loaded) {
        QByteArray head
            = delimiter + "Content-Disposition: form-data; name=\"" + formParam(file.key) + '"';
        if (!file.name.isEmpty())
            head += "; filename=\"" + formParam(file.name) + '"';
        head += "\r\nContent-Type: " + file.mime.toUtf8() + "\r\n\r\n";
        body += head + file.bytes + "\r\n";
        // Like Dify's log: file contents only when they are text.
        auto decoder = QStringDecoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        QString text = decoder.decode(file.bytes);
        if (decoder.hasError())
            text.clear();
        preview += QString::fromUtf8(head) + text + QStringLiteral("\r\n");
    }
    body += "--" + plan.boundary + "--\r\n";
    preview += QString::fromLatin1("--" + plan.boundary + "--\r\n");
    return std::make_pair(body, preview);
}

QString requestLog(const RequestPlan &plan)
{
    QString raw = QString::fromLatin1(plan.method) + QLatin1Char(' ') + plan.logTarget
                  + QStringLiteral(" HTTP/1.1\r\n");
    raw += QStringLiteral("Host: ") + plan.url.authority() + QStringLiteral("\r\n");
    for (const auto &[key, value] : plan.headers) {
        if (!plan.authHeader.isEmpty() && key.compare(plan.authHeader, Qt::CaseInsensitive) == 0)
            raw += key + QStringLiteral(": ") + QString(value.size(), QLatin1Char('*'));
        else
            raw += key + QStringLiteral(": ") + value;
        raw += QStringLiteral("\r\n");
    }
    if (!plan.bodyPreview.isEmpty()) {
        raw += QStringLiteral("Content-Length: %1\r\n").arg(plan.bodyPreview.toUcs4().size());
    }
    raw += QStringLiteral("\r\n") + plan.bodyPreview;
    return raw;
}

class PlanBuilder
{
public:
    PlanBuilder(const Json &data, const variables::VariablePool &pool)
        : m_data(data)
        , m_pool(pool)
    {}

    Outcome<RequestPlan> build()
    {
        RequestPlan plan;
        if (auto ok = method(plan); !ok)
            return tl::unexpected(ok.error());
        if (auto ok = url(plan); !ok)
            return tl::unexpected(ok.error());
        headers(plan);
        if (auto ok = body(plan); !ok)
            return tl::unexpected(ok.error());
        if (auto ok = authorization(plan); !ok)
            return tl::unexpected(ok.error());
        contentType(plan);
        return plan;
    }

private:
    QString render(const std::string &source) const
    {
        return qs(variables::renderTemplate(source, m_pool, variables::Rendering::Text));
    }
    QString render(const QString &source) const { return render(source.toStdString()); }

    Outcome<void> method(RequestPlan &plan)
    {
        const QString method = qs(stringMember(m_data, "method")).trimmed();
        static const char *const allowed[]
            = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
        const QByteArray upper = method.toUpper().toLatin1();
        for (const char *candidate : allowed) {
            if (upper == candidate) {
                plan.method = upper;
                return {};
            }
        }
        return failWith(HttpRequestNode::tr("Invalid http method '%1': method must be one of get, "
                                            "post, put, patch, delete, head or options")
                            .arg(method),
                        "InvalidHttpMethodError");
    }

    Outcome<void> url(RequestPlan &plan)
    {
        plan.renderedUrl = render(stringMember(m_data, "url"));
        if (plan.renderedUrl.isEmpty())
            return failWith(HttpRequestNode::tr("url is required"), "InvalidURLError");
        if (!plan.renderedUrl.startsWith(QLatin1String("http://"))
            && !plan.renderedUrl.startsWith(QLatin1String("https://"))) {
            return failWith(HttpRequestNode::tr("url should start with http:// or https:// "
                                                "(got '%1')")
                                .arg(plan.renderedUrl.left(200)),
                            "InvalidURLError");
        }
        QUrl url(plan.renderedUrl, QUrl::TolerantMode);
        if (!url.isValid() || url.host().isEmpty()) {
            return failWith(HttpRequestNode::tr("url '%1' is not a valid URL: %2")
                                .arg(plan.renderedUrl.left(200), url.errorString()),
                            "InvalidURLError");
        }
        url.setFragment(QString());

        // params: split first, then render key and value (Dify's _init_params), keeping
        // repeated keys.
        Pairs params;
        for (const QString &rawLine : splitLines(qs(stringMember(m_data, "params")))) {
            const QString line = rawLine.trimmed();
            if (line.isEmpty())
                continue;
            const qsizetype colon = line.indexOf(QLatin1Char(':'));
            const QString key = (colon < 0 ? line : line.left(colon)).trimmed();
            if (key.isEmpty())
                continue;
            const QString value = colon < 0 ? QString() : line.mid(colon + 1).trimmed();
            params.emplace_back(render(key), render(value));
        }

        QString path = url.path(QUrl::FullyEncoded);
        if (path.isEmpty())
            path = QStringLiteral("/");
        if (!params.empty()) {
            // httpx merges: the URL's own query items whose keys the params set are replaced.
            QByteArrayList kept;
            const QByteArray existing = url.query(QUrl::FullyEncoded).toLatin1();
            for (const QByteArray &item : existing.split('&')) {
                if (item.isEmpty())
                    continue;
                const qsizetype equals = item.indexOf('=');
                QByteArray plusDecoded = equals < 0 ? item : item.left(equals);
                plusDecoded.replace('+', ' ');
                const QString key = QString::fromUtf8(QByteArray::fromPercentEncoding(plusDecoded));
                const bool replaced = std::any_of(params.begin(), params.end(),
                                                  [&key](const auto &p) { return p.first == key; });
                if (!replaced)
                    kept.append(item);
            }
            QByteArray query = kept.join('&');
            const QByteArray encodedParams = urlEncode(params);
            if (!query.isEmpty())
                query += '&';
            query += encodedParams;
            url.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
            plan.logTarget = path + QLatin1Char('?') + QString::fromLatin1(encodedParams);
        } else if (url.hasQuery()) {
            plan.logTarget = path + QLatin1Char('?') + url.query(QUrl::FullyEncoded);
        } else {
            plan.logTarget = path;
        }
        plan.url = url;
        return {};
    }

    void headers(RequestPlan &plan)
    {
        // Dify renders the whole text first, then splits it (_init_headers).
        for (const QString &line : splitLines(render(stringMember(m_data, "headers")))) {
            if (line.trimmed().isEmpty())
                continue;
            const qsizetype colon = line.indexOf(QLatin1Char(':'));
            const QString key = (colon < 0 ? line : line.left(colon)).trimmed();
            const QString value = colon < 0 ? QString() : line.mid(colon + 1).trimmed();
            if (key.isEmpty())
                continue; // an empty header name cannot be sent
            setItem(plan.headers, key, value);
        }
    }

    Outcome<void> authorization(RequestPlan &plan)
    {
        const Json *auth = member(m_data, "authorization");
        if (!auth || stringMember(*auth, "type") != "api-key")
            return {};
        const Json *config = member(*auth, "config");
        if (!config || !config->is_object()) {
            return failWith(HttpRequestNode::tr("authorization config is required for api-key "
                                                "authorization"),
                            "AuthorizationConfigError");
        }
        const QString apiKey = render(stringMember(*config, "api_key"));
        if (apiKey.trimmed().isEmpty()) {
            return failWith(HttpRequestNode::tr("API key is required for authorization but was "
                                                "empty. Please provide a valid API key."),
                            "AuthorizationConfigError");
        }
        QString header = qs(stringMember(*config, "header")).trimmed();
        if (header.isEmpty())
            header = QStringLiteral("Authorization");
        const std::string type = stringMember(*config, "type");
        QString value;
        if (type == "bearer") {
            value = QStringLiteral("Bearer ") + apiKey;
        } else if (type == "basic") {
            // As Dify's executor: "user:password" is encoded, anything else is taken as encoded.
            value = QStringLiteral("Basic ")
                    + (apiKey.contains(QLatin1Char(':'))
                           ? QString::fromLatin1(apiKey.toUtf8().toBase64())
                           : apiKey);
        } else if (type == "custom") {
            value = apiKey;
        } else {
            return {}; // Dify sends no header for an unknown scheme
        }
        // The header set by hand with the same name is replaced (QNetworkRequest compares
        // names case-insensitively).
        removeHeader(plan.headers, header);
        plan.headers.emplace_back(header, value);
        plan.authHeader = header;
        return {};
    }

    // Body items: a list of {key, type, value, file}; Dify also accepts a bare string.
    std::vector<Json> bodyItems(const Json &body) const
    {
        std::vector<Json> items;
        const Json *data = member(body, "data");
        if (!data || data->is_null())
            return items;
        if (data->is_string()) {
            if (!data->get_ref<const std::string &>().empty())
                items.push_back(Json{{"key", ""}, {"type", "text"}, {"value", *data}});
            return items;
        }
        if (data->is_array()) {
            for (const Json &item : *data) {
                if (item.is_object())
                    items.push_back(item);
            }
        }
        return items;
    }

    Outcome<void> body(RequestPlan &plan)
    {
        const Json *body = member(m_data, "body");
        if (!body || !body->is_object())
            return {};
        plan.bodyType = qs(stringMember(*body, "type"));
        const std::vector<Json> items = bodyItems(*body);
        const QString &type = plan.bodyType;
        auto requireOne = [&]() -> Outcome<void> {
            if (items.size() != 1) {
                return failWith(HttpRequestNode::tr("%1 body type should have exactly one item, "
                                                    "but has %2")
                                    .arg(type)
                                    .arg(items.size()),
                                "RequestBodyError");
            }
            return {};
        };

        if (type.isEmpty() || type == QLatin1String("none")) {
            // Dify sends an empty body; methods that usually carry one say Content-Length: 0.
            plan.sendsBody
                = plan.method == "POST" || plan.method == "PUT" || plan.method == "PATCH";
            return {};
        }
        if (type == QLatin1String("raw-text")) {
            if (auto ok = requireOne(); !ok)
                return ok;
            const QString text = render(stringMember(items.front(), "value"));
            plan.body = text.toUtf8();
            plan.bodyPreview = text;
            plan.sendsBody = true;
            return {};
        }
        if (type == QLatin1String("json")) {
            if (auto ok = requireOne(); !ok)
                return ok;
            const std::string text = render(stringMember(items.front(), "value")).toStdString();
            // ordered_json keeps the user's key order, as Python's dict does.
            const auto parsed = nlohmann::ordered_json::parse(
                escapeControlCharactersInStrings(text), nullptr, false);
            if (parsed.is_discarded()) {
                plan.body = QByteArray::fromStdString(text);
                plan.processData["json_warning"]
                    = HttpRequestNode::tr("The body is not valid JSON; it was sent as rendered.")
                          .toStdString();
            } else {
                plan.body = QByteArray::fromStdString(
                    parsed.dump(-1, ' ', false, Json::error_handler_t::replace));
            }
            plan.bodyPreview = QString::fromUtf8(plan.body);
            plan.sendsBody = true;
            return {};
        }
        if (type == QLatin1String("x-www-form-urlencoded")) {
            Pairs fields;
            for (const Json &item : items) {
                setItem(fields, render(stringMember(item, "key")),
                        render(stringMember(item, "value")));
            }
            plan.body = urlEncode(fields);
            plan.bodyPreview = QString::fromLatin1(plan.body);
            plan.sendsBody = true;
            return {};
        }
        if (type == QLatin1String("binary")) {
            if (auto ok = requireOne(); !ok)
                return ok;
            const auto selector = selectorMember(items.front(), "file");
            const Json *file = selector ? m_pool.find(*selector) : nullptr;
            if (!file || !variables::isFile(*file)) {
                return failWith(HttpRequestNode::tr("cannot fetch file with selector %1: the "
                                                    "binary body needs a file variable")
                                    .arg(selector ? qs(variables::selectorText(*selector))
                                                  : QStringLiteral("(none)")),
                                "FileFetchError");
            }
            plan.binaryFile = *file;
            plan.needsFiles = true;
            plan.sendsBody = true;
            return {};
        }
        if (type == QLatin1String("form-data")) {
            std::vector<std::pair<QString, variables::Selector>> fileSelectors;
            for (const Json &item : items) {
                const std::string itemType = stringMember(item, "type");
                const QString key = render(stringMember(item, "key"));
                if (itemType == "file") {
                    const auto selector = selectorMember(item, "file");
                    if (!selector)
                        continue;
                    auto it
                        = std::find_if(fileSelectors.begin(), fileSelectors.end(),
                                       [&key](const auto &entry) { return entry.first == key; });
                    if (it != fileSelectors.end())
                        it->second = *selector;
                    else
                        fileSelectors.emplace_back(key, *selector);
                } else {
                    setItem(plan.formFields, key, render(stringMember(item, "value")));
                }
            }
            for (const auto &[key, selector] : fileSelectors) {
                const Json *value = m_pool.find(selector);
                if (!value)
                    continue; // Dify skips what is neither a file nor a list of files
                if (variables::isFile(*value)) {
                    plan.fileParts.push_back({key, *value});
                } else if (value->is_array()) {
                    for (const Json &element : *value) {
                        if (variables::isFile(element))
                            plan.fileParts.push_back({key, element});
                    }
                }
            }
            QByteArray random(16, '\0');
            for (char &byte : random)
                byte = char(QRandomGenerator::global()->bounded(256));
            plan.boundary = random.toHex();
            plan.needsFiles = true;
            plan.sendsBody = true;
            return {};
        }
        return failWith(HttpRequestNode::tr("unknown body type '%1': expected none, form-data, "
                                            "x-www-form-urlencoded, raw-text, json or binary")
                            .arg(type),
                        "RequestBodyError");
    }

    void contentType(RequestPlan &plan)
    {
        const QString name = QStringLiteral("Content-Type");
        const QString &type = plan.bodyType;
        if (type == QLatin1String("form-data")) {
            removeHeader(plan.headers, name);
            plan.headers.emplace_back(name, QStringLiteral("multipart/form-data; boundary=")
                                                + QString::fromLatin1(plan.boundary));
            return;
        }
        if (hasHeader(plan.headers, name))
            return;
        if (type == QLatin1String("json"))
            plan.headers.emplace_back(name, QStringLiteral("application/json"));
        else if (type == QLatin1String("x-www-form-urlencoded"))
            plan.headers.emplace_back(name, QStringLiteral("application/x-www-form-urlencoded"));
        else if (type == QLatin1String("raw-text"))
            plan.headers.emplace_back(name, QStringLiteral("text/plain"));
        else if (type == QLatin1String("binary")) {
            // Dify sends none; Qt would invent application/x-www-form-urlencoded.
            QString mime = qs(stringMember(plan.binaryFile, "mime_type"));
            plan.headers.emplace_back(
                name, mime.isEmpty() ? QStringLiteral("application/octet-stream") : mime);
        }
    }

    const Json &m_data;
    const variables::VariablePool &m_pool;
};

} // namespace

struct HttpRequestNode::Private
{
    enum class Phase { Connecting, Writing, Reading };

    NodeContext *ctx = nullptr;
    std::unique_ptr<QObject> guard = std::make_unique<QObject>();
    std::shared_ptr<int> alive = std::make_shared<int>(0);
    QPointer<QNetworkReply> reply;
    QTimer *timer = nullptr;
    Phase phase = Phase::Connecting;
    bool cancelled = false;
    bool done = false;

    RequestPlan plan;
    bool failOnHttpError = false;
    bool sslVerify = true;
    int connectTimeout = kDefaultConnectTimeout;
    int readTimeout = kDefaultReadTimeout;
    int writeTimeout = kDefaultWriteTimeout;
    BodyKind bodyKind = BodyKind::Text;

    void begin(const Json &data);
    void send();
    void restartTimer(Phase next);
    void onTimeout();
    void checkSize(qint64 received);
    void onFinished();
    void complete(NodeResult result);
    void abortWith(const QString &message, const QString &type);
    void dropReply();
    [[nodiscard]] QString failurePrefix() const
    {
        return HttpRequestNode::tr("HTTP request %1 %2 failed")
            .arg(QString::fromLatin1(plan.method), plan.renderedUrl.left(300));
    }
};

HttpRequestNode::HttpRequestNode()
    : d(std::make_unique<Private>())
{}

HttpRequestNode::~HttpRequestNode()
{
    d->cancelled = true;
    d->dropReply();
}

void HttpRequestNode::start(NodeContext &ctx)
{
    d->ctx = &ctx;
    try {
        d->begin(ctx.data());
    } catch (const std::exception &e) {
        d->complete(
            NodeResult::failure(HttpRequestNode::tr("The http-request node's data is malformed: %1")
                                    .arg(QString::fromUtf8(e.what())),
                                QStringLiteral("HttpRequestNodeError")));
    }
}

void HttpRequestNode::cancel()
{
    d->cancelled = true;
    d->dropReply();
}

void HttpRequestNode::Private::begin(const Json &data)
{
    auto built = PlanBuilder(data, ctx->pool()).build();
    if (!built) {
        complete(NodeResult::failure(built.error().message, built.error().type));
        return;
    }
    plan = std::move(*built);

    if (const Json *timeout = member(data, "timeout")) {
        connectTimeout = seconds(*timeout, "connect");
        readTimeout = seconds(*timeout, "read");
        writeTimeout = seconds(*timeout, "write");
    }
    if (connectTimeout <= 0)
        connectTimeout = kDefaultConnectTimeout;
    if (readTimeout <= 0)
        readTimeout = kDefaultReadTimeout;
    if (writeTimeout <= 0)
        writeTimeout = kDefaultWriteTimeout;
    if (const Json *verify = member(data, "ssl_verify"); verify && verify->is_boolean())
        sslVerify = verify->get<bool>();

    // §11.4: a non-2xx status fails the node only when something would handle the failure.
    const std::string strategy = stringMember(data, "error_strategy");
    bool retry = false;
    if (const Json *retryConfig = member(data, "retry_config")) {
        const Json *enabled = member(*retryConfig, "retry_enabled");
        retry = enabled && enabled->is_boolean() && enabled->get<bool>();
    }
    failOnHttpError = !strategy.empty() || retry;

    if (!plan.needsFiles) {
        plan.processData["request"] = requestLog(plan).toStdString();
        send();
        return;
    }

    // File parts are read on the pool: they may be large and on slow disks.
    auto result = std::make_shared<std::pair<QByteArray, QString>>();
    const RequestPlan snapshot = plan;
    std::weak_ptr<int> weak = alive;
    ctx->runInPool(
        [snapshot, result]() {
            auto assembled = assembleFileBody(snapshot);
            if (!assembled)
                return NodeResult::failure(assembled.error().message, assembled.error().type);
            *result = std::move(*assembled);
            return NodeResult();
        },
        [this, weak, result](NodeResult outcome) {
            if (weak.expired() || cancelled)
                return;
            if (outcome.status == NodeResult::Status::Failed) {
                complete(std::move(outcome));
                return;
            }
            plan.body = std::move(result->first);
            plan.bodyPreview = std::move(result->second);
            plan.processData["request"] = requestLog(plan).toStdString();
            send();
        });
}

void HttpRequestNode::Private::send()
{
    QNetworkAccessManager *network = ctx->network();
    if (!network) {
        complete(NodeResult::failure(
            HttpRequestNode::tr("%1: no network access is available").arg(failurePrefix()),
            QStringLiteral("HttpRequestNodeError")));
        return;
    }
    QNetworkRequest request(plan.url);
    for (const auto &[key, value] : plan.headers)
        request.setRawHeader(key.toUtf8(), value.toUtf8());
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    // Each request stands alone, as in Dify: no cookies kept between requests or runs.
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);

    if (plan.method == "HEAD")
        reply = network->head(request);
    else if (plan.sendsBody)
        reply = network->sendCustomRequest(request, plan.method, plan.body);
    else
        reply = network->sendCustomRequest(request, plan.method);

    QObject *context = guard.get();
    QNetworkReply *r = reply;
    timer = new QTimer(context);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, context, [this] { onTimeout(); });
    QObject::connect(r, &QNetworkReply::uploadProgress, context, [this](qint64 sent, qint64) {
        if (sent > 0 && phase != Phase::Reading)
            restartTimer(Phase::Writing);
    });
    QObject::connect(r, &QNetworkReply::requestSent, context,
                     [this] { restartTimer(Phase::Reading); });
    QObject::connect(r, &QNetworkReply::metaDataChanged, context, [this, r] {
        restartTimer(Phase::Reading);
        bodyKind = classifyResponse(QString::fromLatin1(r->rawHeader("Content-Type")),
                                    QString::fromLatin1(r->rawHeader("Content-Disposition")));
        const QVariant length = r->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid())
            checkSize(length.toLongLong());
    });
    QObject::connect(r, &QNetworkReply::downloadProgress, context, [this](qint64 received, qint64) {
        restartTimer(Phase::Reading);
        checkSize(received);
    });
#if QT_CONFIG(ssl)
    QObject::connect(r, &QNetworkReply::sslErrors, context, [this, r](const QList<QSslError> &) {
        if (!sslVerify)
            r->ignoreSslErrors();
    });
#endif
    QObject::connect(r, &QNetworkReply::finished, context, [this] { onFinished(); });
    if (reply)
        restartTimer(Phase::Connecting);
}

void HttpRequestNode::Private::restartTimer(Phase next)
{
    if (!timer || done)
        return;
    phase = next;
    const int secs = next == Phase::Connecting ? connectTimeout
                     : next == Phase::Writing  ? writeTimeout
                                               : readTimeout;
    timer->start(std::chrono::seconds(secs));
}

void HttpRequestNode::Private::onTimeout()
{
    switch (phase) {
    case Phase::Connecting:
        abortWith(HttpRequestNode::tr("%1: no connection within %2 s (connect timeout)")
                      .arg(failurePrefix())
                      .arg(connectTimeout),
                  QStringLiteral("HttpRequestNodeError"));
        break;
    case Phase::Writing:
        abortWith(HttpRequestNode::tr(
                      "%1: the request body could not be sent within %2 s (write timeout)")
                      .arg(failurePrefix())
                      .arg(writeTimeout),
                  QStringLiteral("HttpRequestNodeError"));
        break;
    case Phase::Reading:
        abortWith(HttpRequestNode::tr("%1: no response data for %2 s (read timeout)")
                      .arg(failurePrefix())
                      .arg(readTimeout),
                  QStringLiteral("HttpRequestNodeError"));
        break;
    }
}

void HttpRequestNode::Private::checkSize(qint64 received)
{
    // Text is known from the headers for most responses; others are held to the file limit
    // until the body can be sniffed at the end.
    const bool text = bodyKind == BodyKind::Text;
    const qint64 limit = text ? kMaxTextSize : kMaxBinarySize;
    if (received <= limit)
        return;
    abortWith(HttpRequestNode::tr("%1 size is too large, max size is %2, but current size is %3.")
                  .arg(text ? HttpRequestNode::tr("Text") : HttpRequestNode::tr("File"),
                       readableSize(limit), readableSize(received)),
              QStringLiteral("ResponseSizeError"));
}

void HttpRequestNode::Private::onFinished()
{
    if (done || cancelled || !reply)
        return;
    QNetworkReply *r = reply;
    if (timer)
        timer->stop();

    const QVariant statusAttribute = r->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!statusAttribute.isValid()) {
        const QString message
            = HttpRequestNode::tr("%1: %2").arg(failurePrefix(), r->errorString());
        dropReply();
        NodeResult result = NodeResult::failure(message, QStringLiteral("HttpRequestNodeError"));
        result.processData = plan.processData;
        complete(std::move(result));
        return;
    }

    const int status = statusAttribute.toInt();
    const QByteArray content = r->readAll();
    const QString contentType = QString::fromLatin1(r->rawHeader("Content-Type"));
    const QString disposition = QString::fromLatin1(r->rawHeader("Content-Disposition"));
    Json headers = Json::object();
    for (const auto &[name, value] : r->rawHeaderPairs()) {
        const std::string key = name.toLower().toStdString();
        const std::string text = QString::fromLatin1(value).toStdString();
        if (headers.contains(key))
            headers[key] = headers[key].get<std::string>() + ", " + text;
        else
            headers[key] = text;
    }
    const QUrl finalUrl = r->url();
    dropReply();

    const bool isFile = isFileResponse(contentType, disposition, content);
    const qint64 limit = isFile ? kMaxBinarySize : kMaxTextSize;
    if (content.size() > limit) {
        NodeResult result = NodeResult::failure(
            HttpRequestNode::tr("%1 size is too large, max size is %2, but current size is %3.")
                .arg(isFile ? HttpRequestNode::tr("File") : HttpRequestNode::tr("Text"),
                     readableSize(limit), readableSize(content.size())),
            QStringLiteral("ResponseSizeError"));
        result.processData = plan.processData;
        complete(std::move(result));
        return;
    }

    NodeResult result;
    result.processData = plan.processData;
    result.outputs["status_code"] = status;
    result.outputs["headers"] = headers;
    result.outputs["body"]
        = isFile ? std::string() : decodeText(content, contentType).toStdString();
    result.outputs["files"] = Json::array();
    if (status < 200 || status > 299) {
        if (failOnHttpError) {
            result.status = NodeResult::Status::Failed;
            result.error = HttpRequestNode::tr("Request failed with status code %1").arg(status);
            result.errorType = QStringLiteral("HTTPResponseCodeError");
        }
    }
    if (!isFile) {
        complete(std::move(result));
        return;
    }

    // A file response becomes a tool file, named as Dify names them: <uuid><extension>.
    QMimeDatabase mimes;
    QString mime;
    const QString dispositionName = dispositionFilename(disposition);
    if (!dispositionName.isEmpty()) {
        const QMimeType guessed
            = mimes.mimeTypeForFile(dispositionName, QMimeDatabase::MatchExtension);
        if (!guessed.isDefault())
            mime = guessed.name();
    }
    if (mime.isEmpty())
        mime = mimeEssence(contentType);
    if (mime.isEmpty()) {
        const QMimeType guessed
            = mimes.mimeTypeForFile(finalUrl.fileName(), QMimeDatabase::MatchExtension);
        mime = guessed.isDefault() ? QStringLiteral("application/octet-stream") : guessed.name();
    }
    const QString suffix = mimes.mimeTypeForName(mime).preferredSuffix();
    const QString extension
        = QLatin1Char('.') + (suffix.isEmpty() ? QStringLiteral("bin") : suffix);
    const QUuid id = QUuid::createUuid();
    const QString name = id.toString(QUuid::Id128) + extension;
    Json file = {{"dify_model_identity", variables::kFileIdentity},
                 {"id", nullptr},
                 {"type", fileTypeForMime(mime)},
                 {"transfer_method", "tool_file"},
                 {"related_id", id.toString(QUuid::WithoutBraces).toStdString()},
                 {"name", name.toStdString()},
                 {"extension", extension.toStdString()},
                 {"mime_type", mime.toStdString()},
                 {"size", content.size()}};

    if (content.size() <= kMaxTextSize) {
        file["url"] = toDataUrl(content, mime).toStdString();
        result.outputs["files"].push_back(std::move(file));
        complete(std::move(result));
        return;
    }

    // Larger files go to a temporary file rather than into the pool as base64.
    auto path = std::make_shared<QString>(
        QDir::temp().filePath(QStringLiteral("flowbench-files/") + name));
    std::weak_ptr<int> weak = alive;
    auto pending = std::make_shared<NodeResult>(std::move(result));
    ctx->runInPool(
        [path, content]() {
            QDir().mkpath(QFileInfo(*path).absolutePath());
            QSaveFile out(*path);
            if (!out.open(QIODevice::WriteOnly) || out.write(content) != content.size()
                || !out.commit()) {
                return NodeResult::failure(
                    HttpRequestNode::tr("cannot store the response file at %1: %2")
                        .arg(*path, out.errorString()),
                    QStringLiteral("HttpRequestNodeError"));
            }
            return NodeResult();
        },
        [this, weak, path, pending, file](NodeResult stored) mutable {
            if (weak.expired() || cancelled)
                return;
            if (stored.status == NodeResult::Status::Failed) {
                stored.processData = pending->processData;
                complete(std::move(stored));
                return;
            }
            file["url"] = QUrl::fromLocalFile(*path).toString().toStdString();
            pending->outputs["files"].push_back(std::move(file));
            complete(std::move(*pending));
        });
}

void HttpRequestNode::Private::abortWith(const QString &message, const QString &type)
{
    if (done || cancelled)
        return;
    dropReply();
    NodeResult result = NodeResult::failure(message, type);
    result.processData = plan.processData;
    complete(std::move(result));
}

void HttpRequestNode::Private::dropReply()
{
    if (timer)
        timer->stop();
    if (!reply)
        return;
    QNetworkReply *r = reply;
    reply = nullptr;
    QObject::disconnect(r, nullptr, guard.get(), nullptr);
    if (r->isRunning())
        r->abort();
    r->deleteLater();
}

void HttpRequestNode::Private::complete(NodeResult result)
{
    if (done || cancelled || !ctx)
        return;
    done = true;
    if (timer)
        timer->stop();
    ctx->finish(std::move(result));
}

} // namespace flowbench::nodes

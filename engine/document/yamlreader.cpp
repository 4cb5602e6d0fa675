// YAML → JSON with PyYAML's safe_load typing, built straight from libyaml's event stream.
// libyaml is the scanner PyYAML's C loader uses, so what parses (and what fails, such as tabs in
// indentation) matches what Dify accepts; it is also ~9x faster than yaml-cpp's scanner here
// (tests/bench/bench_load). yaml-cpp writes YAML (yamlwriter.cpp).
#include "dslio.h"
#include "dsltext.h"

#include "core/utf8.h"

#include <yaml.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>
#include <unordered_map>

namespace flowbench::document {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

std::string withoutUnderscores(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c != '_')
            out.push_back(c);
    }
    return out;
}

// Digits of base `base`, optionally with '_' separators, at least one digit.
bool allDigits(std::string_view s, int base)
{
    bool any = false;
    for (char c : s) {
        if (c == '_')
            continue;
        int v = -1;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        if (v < 0 || v >= base)
            return false;
        any = true;
    }
    return any;
}

Json integerJson(std::string_view digits, int base, bool negative)
{
    const std::string clean = withoutUnderscores(digits);
    unsigned long long value = 0;
    const auto [ptr, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), value, base);
    if (ec != std::errc() || ptr != clean.data() + clean.size()) {
        // Beyond 64 bits: PyYAML makes a big int; the nearest JSON is a double.
        double d = 0;
        for (char c : clean)
            d = d * base + (isDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
        return Json(negative ? -d : d);
    }
    if (negative) {
        if (value <= static_cast<unsigned long long>(INT64_MAX) + 1ULL)
            return Json(static_cast<long long>(0ULL - value));
        return Json(-static_cast<double>(value));
    }
    if (value <= static_cast<unsigned long long>(INT64_MAX))
        return Json(static_cast<long long>(value));
    return Json(value);
}

// Sexagesimal "190:20:30" (YAML 1.1): base-60 parts.
bool sexagesimal(std::string_view s, double *out)
{
    double total = 0;
    size_t start = 0;
    bool first = true;
    while (start <= s.size()) {
        size_t colon = s.find(':', start);
        std::string_view part
            = s.substr(start, colon == std::string_view::npos ? s.npos : colon - start);
        if (part.empty() || !allDigits(part, 10))
            return false;
        if (!first && (part.size() > 2 || (part.size() == 2 && part[0] > '5')))
            return false;
        total = total * 60 + std::stod(withoutUnderscores(part));
        first = false;
        if (colon == std::string_view::npos)
            break;
        start = colon + 1;
    }
    *out = total;
    return true;
}

} // namespace

Json resolvePlainScalar(std::string_view s)
{
    // The implicit resolvers of PyYAML's SafeLoader (yaml/resolver.py), YAML 1.1.
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
        return Json();
    switch (s.size()) {
    case 2:
    case 3:
    case 4:
    case 5:
        if (s == "yes" || s == "Yes" || s == "YES" || s == "true" || s == "True" || s == "TRUE"
            || s == "on" || s == "On" || s == "ON")
            return Json(true);
        if (s == "no" || s == "No" || s == "NO" || s == "false" || s == "False" || s == "FALSE"
            || s == "off" || s == "Off" || s == "OFF")
            return Json(false);
        break;
    default:
        break;
    }
    const char c0 = s[0];
    if (!(isDigit(c0) || c0 == '-' || c0 == '+' || c0 == '.'))
        return Json(s);

    bool negative = false;
    std::string_view body = s;
    if (c0 == '-' || c0 == '+') {
        negative = c0 == '-';
        body = s.substr(1);
        if (body.empty())
            return Json(s);
    }
    // Integers.
    if (body.size() > 2 && body[0] == '0' && body[1] == 'b' && allDigits(body.substr(2), 2))
        return integerJson(body.substr(2), 2, negative);
    if (body.size() > 2 && body[0] == '0' && body[1] == 'x' && allDigits(body.substr(2), 16))
        return integerJson(body.substr(2), 16, negative);
    if (body.size() > 1 && body[0] == '0' && allDigits(body.substr(1), 8))
        return integerJson(body.substr(1), 8, negative);
    if (body == "0")
        return Json(0);
    if (isDigit(body[0]) && body[0] != '0' && allDigits(body, 10))
        return integerJson(body, 10, negative);
    if (isDigit(body[0]) && body[0] != '0' && body.find(':') != body.npos
        && body.find('.') == body.npos) {
        double v = 0;
        if (sexagesimal(body, &v)) {
            const auto i = static_cast<long long>(v);
            return Json(negative ? -i : i);
        }
        return Json(s);
    }
    // Floats: [-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?, .inf, .nan, sexagesimal floats.
    if (body == ".inf" || body == ".Inf" || body == ".INF")
        return Json(negative ? -INFINITY : INFINITY);
    if (s == ".nan" || s == ".NaN" || s == ".NAN")
        return Json(NAN);
    size_t i = 0;
    bool intDigits = false;
    while (i < body.size() && (isDigit(body[i]) || (intDigits && body[i] == '_'))) {
        intDigits = true;
        ++i;
    }
    if (i < body.size() && body[i] == ':' && intDigits) {
        // 190:20:30.15
        const size_t dot = body.find('.');
        if (dot == body.npos)
            return Json(s);
        double v = 0;
        if (!sexagesimal(body.substr(0, dot), &v))
            return Json(s);
        const std::string frac = withoutUnderscores(body.substr(dot));
        for (size_t k = 1; k < frac.size(); ++k) {
            if (!isDigit(frac[k]))
                return Json(s);
        }
        v += frac.size() > 1 ? std::stod("0" + frac) : 0.0;
        return Json(negative ? -v : v);
    }
    if (i >= body.size() || body[i] != '.')
        return Json(s);
    ++i;
    bool fracDigits = false;
    while (i < body.size() && (isDigit(body[i]) || body[i] == '_')) {
        fracDigits = fracDigits || isDigit(body[i]);
        ++i;
    }
    if (!intDigits && !fracDigits)
        return Json(s); // "." or ".e+1"
    if (!intDigits && body[1] == '_')
        return Json(s);
    if (i < body.size()) {
        if (body[i] != 'e' && body[i] != 'E')
            return Json(s);
        ++i;
        if (i >= body.size() || (body[i] != '+' && body[i] != '-'))
            return Json(s);
        ++i;
        if (i >= body.size())
            return Json(s);
        while (i < body.size()) {
            if (!isDigit(body[i]))
                return Json(s);
            ++i;
        }
    }
    const std::string clean = withoutUnderscores(s);
    char *end = nullptr;
    const double v = std::strtod(clean.c_str(), &end);
    return Json(v);
}

namespace {

constexpr std::size_t kMaxValues = 5'000'000; // bounds alias expansion ("billion laughs")

struct Mark
{
    int line = -1; // 0-based
    int column = 0;
};

struct YamlFailure
{
    QString code;
    QString message;
    Mark mark;
};

Mark markOf(const yaml_mark_t &m)
{
    return Mark{static_cast<int>(m.line), static_cast<int>(m.column)};
}

QString textOf(const yaml_char_t *s)
{
    return s ? QString::fromUtf8(reinterpret_cast<const char *>(s)) : QString();
}

// Builds nlohmann::json from libyaml events. With `recordMarks`, also remembers the mark of
// every value by JSON pointer (used only to locate problems, never on the load path).
class JsonBuilder
{
public:
    explicit JsonBuilder(bool recordMarks)
        : m_recordMarks(recordMarks)
    {}

    Json root;
    std::optional<YamlFailure> failure;
    std::unordered_map<std::string, Mark> marks;

    void alias(const Mark &mark, const std::string &anchor)
    {
        const auto it = m_anchors.find(anchor);
        if (it == m_anchors.end()) {
            fail(QStringLiteral("yaml.alias"),
                 DslText::tr("unknown alias '*%1'").arg(QString::fromStdString(anchor)), mark);
            return;
        }
        m_count += countValues(it->second);
        if (m_count > kMaxValues) {
            fail(QStringLiteral("yaml.size"),
                 DslText::tr("aliases expand to more than %1 values").arg(kMaxValues), mark);
            return;
        }
        if (expectKey()) {
            fail(QStringLiteral("yaml.key"), DslText::tr("an alias cannot be a mapping key"), mark);
            return;
        }
        Json copy = it->second;
        place(std::move(copy), mark, {});
    }

    void scalar(const Mark &mark, const char *tag, bool plain, const char *anchor,
                std::string_view value)
    {
        if (failure)
            return;
        if (hasUnicodeNoncharacter(value)) {
            fail(QStringLiteral("yaml.noncharacter"),
                 DslText::tr("a string holds U+FFFE or U+FFFF, Unicode noncharacters that "
                             "YAML (and so Dify) cannot carry"),
                 mark);
            return;
        }
        if (expectKey()) {
            Frame &f = m_stack.back();
            std::string key(value);
            if (f.value->contains(key)) {
                fail(QStringLiteral("yaml.duplicate-key"),
                     DslText::tr("duplicate key '%1'").arg(QString::fromStdString(key)), mark);
                return;
            }
            f.key = std::move(key);
            f.haveKey = true;
            return;
        }
        Json v;
        const std::string_view t = tag ? std::string_view(tag) : std::string_view();
        if (t.empty() && plain) {
            v = resolvePlainScalar(value);
        } else if (t.empty() || t == "!" || t == "tag:yaml.org,2002:str") {
            v = std::string(value);
        } else if (t == "tag:yaml.org,2002:int" || t == "tag:yaml.org,2002:float"
                   || t == "tag:yaml.org,2002:bool" || t == "tag:yaml.org,2002:null") {
            v = resolvePlainScalar(value);
            const bool ok = (t.ends_with("int") && v.is_number_integer())
                            || (t.ends_with("float") && v.is_number())
                            || (t.ends_with("bool") && v.is_boolean())
                            || (t.ends_with("null") && v.is_null());
            if (!ok) {
                fail(QStringLiteral("yaml.tag"),
                     DslText::tr("'%1' is not a valid !!%2")
                         .arg(QString::fromUtf8(value.data(), qsizetype(value.size())),
                              QString::fromUtf8(t.substr(t.rfind(':') + 1).data(),
                                                qsizetype(t.size() - t.rfind(':') - 1))),
                     mark);
                return;
            }
        } else {
            fail(QStringLiteral("yaml.tag"),
                 DslText::tr("unsupported YAML tag '%1'").arg(QString::fromUtf8(tag)), mark);
            return;
        }
        if (v.is_number_float() && !std::isfinite(v.get<double>())) {
            // JSON (and so Dify's database) cannot hold them: say so instead of losing them.
            fail(QStringLiteral("yaml.number"),
                 DslText::tr("'%1' (infinity or NaN) cannot be stored in a workflow; quote it "
                             "to keep it as text")
                     .arg(QString::fromUtf8(value.data(), qsizetype(value.size()))),
                 mark);
            return;
        }
        place(std::move(v), mark, anchor ? std::string(anchor) : std::string());
    }

    void open(Json empty, const Mark &mark, const char *tag, const char *anchor, const char *what)
    {
        if (failure)
            return;
        const std::string_view t = tag ? std::string_view(tag) : std::string_view();
        if (!t.empty() && t != "!" && t != "tag:yaml.org,2002:map"
            && t != "tag:yaml.org,2002:seq") {
            fail(QStringLiteral("yaml.tag"),
                 DslText::tr("unsupported YAML tag '%1'").arg(QString::fromUtf8(tag)), mark);
            return;
        }
        if (expectKey()) {
            fail(QStringLiteral("yaml.key"),
                 DslText::tr("a %1 cannot be a mapping key").arg(QLatin1String(what)), mark);
            return;
        }
        if (m_stack.size() > 512) {
            fail(QStringLiteral("yaml.depth"), DslText::tr("nesting deeper than 512 levels"), mark);
            return;
        }
        ++m_count;
        std::string pointer;
        Json *target = slot(&pointer);
        *target = std::move(empty);
        if (m_recordMarks)
            marks.emplace(pointer, mark);
        m_stack.push_back(Frame{
            target, {}, false, anchor ? std::string(anchor) : std::string(), std::move(pointer)});
    }

    void close()
    {
        if (failure || m_stack.empty())
            return;
        Frame f = std::move(m_stack.back());
        m_stack.pop_back();
        if (!f.anchor.empty())
            m_anchors[f.anchor] = *f.value;
    }

    void fail(QString code, QString message, const Mark &mark)
    {
        if (!failure)
            failure = YamlFailure{std::move(code), std::move(message), mark};
    }

private:
    struct Frame
    {
        Json *value;
        std::string key;
        bool haveKey = false;
        std::string anchor;
        std::string pointer;
    };

    bool expectKey() const
    {
        return !m_stack.empty() && m_stack.back().value->is_object() && !m_stack.back().haveKey;
    }

    static std::size_t countValues(const Json &j)
    {
        if (!j.is_structured())
            return 1;
        std::size_t n = 1;
        for (const auto &child : j)
            n += countValues(child);
        return n;
    }

    static std::string escapePointer(const std::string &key)
    {
        std::string out;
        for (char c : key) {
            if (c == '~')
                out += "~0";
            else if (c == '/')
                out += "~1";
            else
                out.push_back(c);
        }
        return out;
    }

    // Where the next value goes, and its pointer when marks are recorded.
    Json *slot(std::string *pointer)
    {
        if (m_stack.empty()) {
            if (m_recordMarks)
                *pointer = "";
            return &root;
        }
        Frame &f = m_stack.back();
        if (f.value->is_array()) {
            if (m_recordMarks)
                *pointer = f.pointer + "/" + std::to_string(f.value->size());
            f.value->push_back(Json());
            return &f.value->back();
        }
        if (m_recordMarks)
            *pointer = f.pointer + "/" + escapePointer(f.key);
        f.haveKey = false;
        return &(*f.value)[f.key];
    }

    void place(Json v, const Mark &mark, const std::string &anchor)
    {
        if (failure)
            return;
        if (++m_count > kMaxValues) {
            fail(QStringLiteral("yaml.size"), DslText::tr("more than %1 values").arg(kMaxValues),
                 mark);
            return;
        }
        std::string pointer;
        Json *target = slot(&pointer);
        if (!anchor.empty())
            m_anchors[anchor] = v;
        *target = std::move(v);
        if (m_recordMarks)
            marks.emplace(std::move(pointer), mark);
    }

    bool m_recordMarks;
    std::size_t m_count = 0;
    std::vector<Frame> m_stack;
    std::unordered_map<std::string, Json> m_anchors;
};

SourceLocation locationOf(const QString &file, const Mark &mark)
{
    SourceLocation l;
    l.file = file;
    if (mark.line >= 0) {
        l.line = mark.line + 1;
        l.column = mark.column + 1;
    }
    return l;
}

// Owns a libyaml parser for one parse.
class Parser
{
public:
    explicit Parser(std::string_view text)
    {
        yaml_parser_initialize(&m_parser);
        yaml_parser_set_input_string(
            &m_parser, reinterpret_cast<const unsigned char *>(text.data()), text.size());
    }
    ~Parser() { yaml_parser_delete(&m_parser); }
    Parser(const Parser &) = delete;
    Parser &operator=(const Parser &) = delete;

    yaml_parser_t *get() { return &m_parser; }

private:
    yaml_parser_t m_parser;
};

// Feeds the events of the single document in `text` to `builder`.
Result<void> runParser(std::string_view text, JsonBuilder &builder, const QString &fileName)
{
    if (text.size() > kMaxDslBytes)
        return makeError(QStringLiteral("dsl.size"),
                         DslText::tr("file is %1 bytes; the limit is 10 MiB").arg(text.size()),
                         SourceLocation{fileName, 0, 0, {}});
    if (const auto bad = firstInvalidUtf8(text); bad != std::string_view::npos) {
        const LineColumn lc = lineColumnAt(text, bad);
        return makeError(QStringLiteral("yaml.encoding"),
                         DslText::tr("invalid UTF-8 (byte 0x%1 at offset %2)")
                             .arg(static_cast<unsigned char>(text[bad]), 2, 16, QLatin1Char('0'))
                             .arg(bad),
                         SourceLocation{fileName, lc.line, lc.column, {}});
    }
    Parser parser(text);
    int documents = 0;
    bool sawRoot = false;
    while (true) {
        yaml_event_t event;
        if (!yaml_parser_parse(parser.get(), &event)) {
            const yaml_parser_t *p = parser.get();
            QString message = textOf(reinterpret_cast<const yaml_char_t *>(p->problem));
            if (p->context)
                message += QStringLiteral(" (%1)").arg(
                    textOf(reinterpret_cast<const yaml_char_t *>(p->context)));
            if (message.isEmpty())
                message = DslText::tr("invalid YAML");
            return makeError(QStringLiteral("yaml.syntax"), message,
                             locationOf(fileName, markOf(p->problem_mark)));
        }
        const Mark mark = markOf(event.start_mark);
        const yaml_event_type_t type = event.type;
        switch (type) {
        case YAML_DOCUMENT_START_EVENT:
            if (++documents > 1) {
                yaml_event_delete(&event);
                return makeError(QStringLiteral("yaml.documents"),
                                 DslText::tr("more than one YAML document in the file"),
                                 locationOf(fileName, mark));
            }
            break;
        case YAML_ALIAS_EVENT:
            builder.alias(mark, reinterpret_cast<const char *>(event.data.alias.anchor));
            sawRoot = true;
            break;
        case YAML_SCALAR_EVENT:
            builder.scalar(mark, reinterpret_cast<const char *>(event.data.scalar.tag),
                           event.data.scalar.plain_implicit != 0,
                           reinterpret_cast<const char *>(event.data.scalar.anchor),
                           std::string_view(reinterpret_cast<const char *>(event.data.scalar.value),
                                            event.data.scalar.length));
            sawRoot = true;
            break;
        case YAML_SEQUENCE_START_EVENT:
            builder.open(
                Json::array(), mark, reinterpret_cast<const char *>(event.data.sequence_start.tag),
                reinterpret_cast<const char *>(event.data.sequence_start.anchor), "sequence");
            sawRoot = true;
            break;
        case YAML_MAPPING_START_EVENT:
            builder.open(
                Json::object(), mark, reinterpret_cast<const char *>(event.data.mapping_start.tag),
                reinterpret_cast<const char *>(event.data.mapping_start.anchor), "mapping");
            sawRoot = true;
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            builder.close();
            break;
        default:
            break;
        }
        yaml_event_delete(&event);
        if (builder.failure)
            return makeError(builder.failure->code, builder.failure->message,
                             locationOf(fileName, builder.failure->mark));
        if (type == YAML_STREAM_END_EVENT)
            break;
    }
    if (!sawRoot)
        return makeError(QStringLiteral("yaml.empty"),
                         DslText::tr("the file holds no YAML document"),
                         SourceLocation{fileName, 0, 0, {}});
    return {};
}

} // namespace

Result<Json> parseYaml(std::string_view text, const QString &fileName)
{
    JsonBuilder builder(false);
    if (auto ok = runParser(text, builder, fileName); !ok)
        return tl::unexpected(ok.error());
    return std::move(builder.root);
}

// Declared in workflowfile.cpp; JSON sources are located by pointer only.
SourceLocation locateInYaml(std::string_view text, const QString &pointer)
{
    JsonBuilder builder(true);
    if (!runParser(text, builder, {}))
        return {};
    std::string p = pointer.toStdString();
    while (true) {
        const auto it = builder.marks.find(p);
        if (it != builder.marks.end()) {
            SourceLocation l = locationOf({}, it->second);
            l.pointer = pointer;
            return l;
        }
        if (p.empty())
            return {};
        p.erase(p.rfind('/'));
    }
}

} // namespace flowbench::document

// JSON reading with duplicate-key detection and positions, via nlohmann's SAX interface.
#include "dslio.h"
#include "dsltext.h"

#include "core/utf8.h"

namespace flowbench::document {

namespace {

class DomBuilder
{
public:
    using string_t = Json::string_t;
    using binary_t = Json::binary_t;

    Json root;
    std::string duplicateKey;
    std::string badString;
    std::string duplicatePointer;
    std::size_t errorPosition = 0;
    std::string errorMessage;

    bool null() { return place(Json()); }
    bool boolean(bool v) { return place(Json(v)); }
    bool number_integer(Json::number_integer_t v) { return place(Json(v)); }
    bool number_unsigned(Json::number_unsigned_t v) { return place(Json(v)); }
    bool number_float(Json::number_float_t v, const string_t &) { return place(Json(v)); }
    bool string(string_t &v)
    {
        if (hasNoncharacter(v)) {
            badString = v;
            return false;
        }
        return place(Json(std::move(v)));
    }

    // U+FFFE and U+FFFF: a document holding one could not be exported to Dify's YAML without
    // loss, so it is refused on the way in.
    static bool hasNoncharacter(const std::string &s) { return hasUnicodeNoncharacter(s); }
    bool binary(binary_t &v) { return place(Json::binary(std::move(v))); }

    bool start_object(std::size_t) { return open(Json::object()); }
    bool key(string_t &k)
    {
        if (hasNoncharacter(k)) {
            badString = k;
            return false;
        }
        Frame &f = m_stack.back();
        if (f.value->contains(k)) {
            duplicateKey = k;
            duplicatePointer = pointer() + "/";
            for (char c : k)
                duplicatePointer += c == '~'   ? std::string("~0")
                                    : c == '/' ? std::string("~1")
                                               : std::string(1, c);
            return false;
        }
        f.key = std::move(k);
        return true;
    }
    bool end_object()
    {
        m_stack.pop_back();
        return true;
    }
    bool start_array(std::size_t) { return open(Json::array()); }
    bool end_array()
    {
        m_stack.pop_back();
        return true;
    }
    bool parse_error(std::size_t position, const std::string &,
                     const nlohmann::detail::exception &ex)
    {
        errorPosition = position;
        errorMessage = ex.what();
        return false;
    }

    std::string pointer() const
    {
        std::string p;
        for (const Frame &f : m_stack) {
            if (&f == &m_stack.back() && f.value->is_object())
                break; // the duplicate's parent object is the last frame
            p += "/";
            if (f.value->is_array()) {
                p += std::to_string(f.value->empty() ? 0 : f.value->size() - 1);
            } else {
                for (char c : f.key)
                    p += c == '~'   ? std::string("~0")
                         : c == '/' ? std::string("~1")
                                    : std::string(1, c);
            }
        }
        return p;
    }

private:
    struct Frame
    {
        Json *value;
        std::string key;
    };

    Json *slot()
    {
        if (m_stack.empty())
            return &root;
        Frame &f = m_stack.back();
        if (f.value->is_array()) {
            f.value->push_back(Json());
            return &f.value->back();
        }
        return &(*f.value)[f.key];
    }
    bool place(Json v)
    {
        *slot() = std::move(v);
        return true;
    }
    bool open(Json empty)
    {
        if (m_stack.size() > 512) {
            errorMessage = "nesting deeper than 512 levels";
            return false;
        }
        Json *target = slot();
        *target = std::move(empty);
        m_stack.push_back(Frame{target, {}});
        return true;
    }

    std::vector<Frame> m_stack;
};

} // namespace

Result<Json> parseJson(std::string_view text, const QString &fileName)
{
    if (text.size() > kMaxDslBytes)
        return makeError(QStringLiteral("dsl.size"),
                         DslText::tr("file is %1 bytes; the limit is 10 MiB").arg(text.size()),
                         SourceLocation{fileName, 0, 0, {}});
    if (const auto bad = firstInvalidUtf8(text); bad != std::string_view::npos) {
        const LineColumn lc = lineColumnAt(text, bad);
        return makeError(QStringLiteral("json.encoding"),
                         DslText::tr("invalid UTF-8 (byte 0x%1 at offset %2)")
                             .arg(static_cast<unsigned char>(text[bad]), 2, 16, QLatin1Char('0'))
                             .arg(bad),
                         SourceLocation{fileName, lc.line, lc.column, {}});
    }
    DomBuilder builder;
    bool ok = false;
    try {
        ok = Json::sax_parse(text, &builder, Json::input_format_t::json, true);
    } catch (const std::exception &e) {
        return makeError(QStringLiteral("json.syntax"), QString::fromUtf8(e.what()),
                         SourceLocation{fileName, 0, 0, {}});
    }
    if (ok)
        return std::move(builder.root);
    if (!builder.badString.empty()) {
        return makeError(QStringLiteral("json.noncharacter"),
                         DslText::tr("a string holds U+FFFE or U+FFFF, Unicode noncharacters "
                                     "that YAML (and so Dify) cannot carry"),
                         SourceLocation{fileName, 0, 0, {}});
    }
    if (!builder.duplicateKey.empty()) {
        return makeError(
            QStringLiteral("json.duplicate-key"),
            DslText::tr("duplicate key '%1'").arg(QString::fromStdString(builder.duplicateKey)),
            SourceLocation{fileName, 0, 0, QString::fromStdString(builder.duplicatePointer)});
    }
    const LineColumn lc
        = lineColumnAt(text, builder.errorPosition > 0 ? builder.errorPosition - 1 : 0);
    QString message = QString::fromStdString(builder.errorMessage);
    // nlohmann's text starts "[json.exception.parse_error.101] parse error at line 1, column 2: ";
    // keep only the part after the position, which we print ourselves.
    if (const int colon = message.indexOf(QStringLiteral(": "));
        colon > 0 && message.startsWith(QLatin1String("[json.exception")))
        message = message.mid(colon + 2);
    if (message.isEmpty())
        message = DslText::tr("invalid JSON");
    return makeError(QStringLiteral("json.syntax"), message,
                     SourceLocation{fileName, lc.line, lc.column, {}});
}

} // namespace flowbench::document

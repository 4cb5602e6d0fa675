#include "value.h"

#include <QChar>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <system_error>

// Renderings of values as Dify's Python code writes them (dify.md §5.4).
//
// nlohmann::json keeps object keys sorted, whereas Python dicts keep insertion order, so every
// rendering of an object here lists its keys alphabetically. Values that come from JSON text
// with keys already in order (most LLM and HTTP output does not) render byte for byte as Dify;
// others differ only in key order.

namespace flowbench::variables {

namespace {

// --- UTF-8 ---------------------------------------------------------------------------------

constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes one code point at `i` and advances past it. Malformed input yields kInvalid and
// advances one byte, so the caller can show that byte escaped.
char32_t decodeUtf8(std::string_view s, std::size_t &i)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    int length = 0;
    char32_t cp = 0;
    char32_t minimum = 0;
    if ((b0 & 0xE0) == 0xC0) {
        length = 2;
        cp = b0 & 0x1F;
        minimum = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        length = 3;
        cp = b0 & 0x0F;
        minimum = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        length = 4;
        cp = b0 & 0x07;
        minimum = 0x10000;
    } else {
        ++i;
        return kInvalid;
    }
    if (i + length > s.size()) {
        ++i;
        return kInvalid;
    }
    for (int k = 1; k < length; ++k) {
        const unsigned char b = byte(i + k);
        if ((b & 0xC0) != 0x80) {
            ++i;
            return kInvalid;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++i;
        return kInvalid;
    }
    i += length;
    return cp;
}

void appendHex(std::string &out, std::uint32_t value, int digits)
{
    static constexpr char kHex[] = "0123456789abcdef";
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
        out += kHex[(value >> shift) & 0xF];
}

// Python's str.isprintable() for one code point: everything but the Unicode categories
// "Other" (Cc, Cf, Cs, Co, Cn) and "Separator" (Zs, Zl, Zp), except the ASCII space.
bool isPythonPrintable(char32_t cp)
{
    if (cp == U' ')
        return true;
    switch (QChar::category(cp)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Other_PrivateUse:
    case QChar::Other_NotAssigned:
    case QChar::Separator_Space:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return false;
    default:
        return true;
    }
}

// --- Python repr ---------------------------------------------------------------------------

// repr(str): single quotes unless the text holds ' and no ", then double quotes.
void appendPythonStringRepr(std::string &out, std::string_view s)
{
    const bool hasSingle = s.find('\'') != std::string_view::npos;
    const bool hasDouble = s.find('"') != std::string_view::npos;
    const char quote = hasSingle && !hasDouble ? '"' : '\'';
    out += quote;
    std::size_t i = 0;
    while (i < s.size()) {
        const std::size_t start = i;
        const char32_t cp = decodeUtf8(s, i);
        if (cp == kInvalid) {
            out += "\\x";
            appendHex(out, static_cast<unsigned char>(s[start]), 2);
        } else if (cp == static_cast<char32_t>(quote) || cp == U'\\') {
            out += '\\';
            out += static_cast<char>(cp);
        } else if (cp == U'\t') {
            out += "\\t";
        } else if (cp == U'\n') {
            out += "\\n";
        } else if (cp == U'\r') {
            out += "\\r";
        } else if (cp < 0x20 || cp == 0x7F) {
            out += "\\x";
            appendHex(out, cp, 2);
        } else if (cp < 0x7F) {
            out += static_cast<char>(cp);
        } else if (isPythonPrintable(cp)) {
            out.append(s.substr(start, i - start));
        } else if (cp <= 0xFF) {
            out += "\\x";
            appendHex(out, cp, 2);
        } else if (cp <= 0xFFFF) {
            out += "\\u";
            appendHex(out, cp, 4);
        } else {
            out += "\\U";
            appendHex(out, cp, 8);
        }
    }
    out += quote;
}

// repr(float): the shortest digits that round-trip, in fixed notation when the decimal
// exponent is in [-4, 16), otherwise in scientific notation with a signed two-digit exponent.
void appendPythonFloat(std::string &out, double value, bool json)
{
    if (std::isnan(value)) {
        out += json ? "NaN" : "nan";
        return;
    }
    if (std::isinf(value)) {
        if (value < 0)
            out += '-';
        out += json ? "Infinity" : "inf";
        return;
    }
    char buffer[64];
    const auto [end, ec]
        = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    if (ec != std::errc()) { // cannot happen with this buffer size
        out += "nan";
        return;
    }
    // buffer holds "-d.ddde+XX" (or "de+XX" for a single digit).
    std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
    if (!text.empty() && text.front() == '-') {
        out += '-';
        text.remove_prefix(1);
    }
    const std::size_t ePos = text.find('e');
    std::string digits;
    for (char c : text.substr(0, ePos)) {
        if (c != '.')
            digits += c;
    }
    int exponent = 0;
    const std::string_view expText = text.substr(ePos + 1);
    std::from_chars(expText.data() + (expText.front() == '+' ? 1 : 0),
                    expText.data() + expText.size(), exponent);
    const int decimalPoint = exponent + 1; // digits are 0.d1d2... × 10^decimalPoint
    const int count = static_cast<int>(digits.size());

    if (decimalPoint > -4 && decimalPoint <= 16) {
        if (decimalPoint <= 0) {
            out += "0.";
            out.append(static_cast<std::size_t>(-decimalPoint), '0');
            out += digits;
        } else if (decimalPoint >= count) {
            out += digits;
            out.append(static_cast<std::size_t>(decimalPoint - count), '0');
            out += ".0";
        } else {
            out.append(digits, 0, static_cast<std::size_t>(decimalPoint));
            out += '.';
            out.append(digits, static_cast<std::size_t>(decimalPoint));
        }
        return;
    }
    out += digits.front();
    if (count > 1) {
        out += '.';
        out.append(digits, 1);
    }
    out += 'e';
    out += exponent < 0 ? '-' : '+';
    const int magnitude = exponent < 0 ? -exponent : exponent;
    if (magnitude < 10)
        out += '0';
    out += std::to_string(magnitude);
}

void appendPythonRepr(std::string &out, const Json &value);

// str(x) for a top-level value: strings unquoted, everything else as repr.
void appendPythonStr(std::string &out, const Json &value)
{
    if (value.is_string())
        out += value.get_ref<const std::string &>();
    else
        appendPythonRepr(out, value);
}

void appendPythonRepr(std::string &out, const Json &value)
{
    switch (value.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded:
        out += "None";
        break;
    case Json::value_t::boolean:
        out += value.get<bool>() ? "True" : "False";
        break;
    case Json::value_t::number_integer:
        out += std::to_string(value.get<std::int64_t>());
        break;
    case Json::value_t::number_unsigned:
        out += std::to_string(value.get<std::uint64_t>());
        break;
    case Json::value_t::number_float:
        appendPythonFloat(out, value.get<double>(), false);
        break;
    case Json::value_t::string:
        appendPythonStringRepr(out, value.get_ref<const std::string &>());
        break;
    case Json::value_t::array: {
        out += '[';
        bool first = true;
        for (const Json &item : value) {
            if (!first)
                out += ", ";
            first = false;
            appendPythonRepr(out, item);
        }
        out += ']';
        break;
    }
    case Json::value_t::object: {
        // Files render in their dict form: Dify's File repr is a pydantic dump nobody reads.
        out += '{';
        bool first = true;
        for (auto it = value.begin(); it != value.end(); ++it) {
            if (!first)
                out += ", ";
            first = false;
            appendPythonStringRepr(out, it.key());
            out += ": ";
            appendPythonRepr(out, it.value());
        }
        out += '}';
        break;
    }
    case Json::value_t::binary:
        out += "b''";
        break;
    }
}

// --- json.dumps(value, ensure_ascii=False[, indent=2]) --------------------------------------

void appendJsonString(std::string &out, std::string_view s)
{
    out += '"';
    for (const char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
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
            if (static_cast<unsigned char>(c) < 0x20) {
                out += "\\u";
                appendHex(out, static_cast<unsigned char>(c), 4);
            } else {
                out += c; // ensure_ascii=False: everything else, non-ASCII included, as is
            }
        }
    }
    out += '"';
}

void appendNewline(std::string &out, int indent, int level)
{
    out += '\n';
    out.append(static_cast<std::size_t>(indent * level), ' ');
}

// indent < 0: one line with ", " and ": "; otherwise Python's indented form (",\n" between
// items, ": " after keys, "[]" and "{}" for empty containers).
void appendPythonJson(std::string &out, const Json &value, int indent, int level)
{
    switch (value.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded:
    case Json::value_t::binary:
        out += "null";
        break;
    case Json::value_t::boolean:
        out += value.get<bool>() ? "true" : "false";
        break;
    case Json::value_t::number_integer:
        out += std::to_string(value.get<std::int64_t>());
        break;
    case Json::value_t::number_unsigned:
        out += std::to_string(value.get<std::uint64_t>());
        break;
    case Json::value_t::number_float:
        appendPythonFloat(out, value.get<double>(), true);
        break;
    case Json::value_t::string:
        appendJsonString(out, value.get_ref<const std::string &>());
        break;
    case Json::value_t::array:
    case Json::value_t::object: {
        const bool isObject = value.is_object();
        if (value.empty()) {
            out += isObject ? "{}" : "[]";
            break;
        }
        out += isObject ? '{' : '[';
        bool first = true;
        for (auto it = value.begin(); it != value.end(); ++it) {
            if (!first)
                out += indent < 0 ? ", " : ",";
            first = false;
            if (indent >= 0)
                appendNewline(out, indent, level + 1);
            if (isObject) {
                appendJsonString(out, it.key());
                out += ": ";
            }
            appendPythonJson(out, it.value(), indent, level + 1);
        }
        if (indent >= 0)
            appendNewline(out, indent, level);
        out += isObject ? '}' : ']';
        break;
    }
    }
}

std::string pythonJson(const Json &value, int indent)
{
    std::string out;
    appendPythonJson(out, value, indent, 0);
    return out;
}

// File.markdown: an image embeds, anything else links (named by its URL when it has no name).
std::string fileMarkdown(const Json &file)
{
    const auto stringAt = [&](const char *key, const char *fallback) -> std::string {
        for (const char *k : {key, fallback}) {
            const auto it = file.find(k);
            if (it != file.end() && it->is_string() && !it->get_ref<const std::string &>().empty())
                return it->get<std::string>();
        }
        return {};
    };
    const std::string url = stringAt("url", "remote_url");
    const std::string name = stringAt("name", "filename");
    const auto type = file.find("type");
    const bool image = type != file.end() && type->is_string() && *type == "image";
    if (image)
        return "![" + name + "](" + url + ")";
    return "[" + (name.empty() ? url : name) + "](" + url + ")";
}

} // namespace

bool isFile(const Json &value)
{
    if (!value.is_object())
        return false;
    const auto it = value.find("dify_model_identity");
    return it != value.end() && it->is_string()
           && it->get_ref<const std::string &>() == kFileIdentity;
}

std::string segmentType(const Json &value)
{
    switch (value.type()) {
    case Json::value_t::boolean:
        return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
        return "integer";
    case Json::value_t::number_float:
        return "float";
    case Json::value_t::string:
        return "string";
    case Json::value_t::object:
        return isFile(value) ? "file" : "object";
    case Json::value_t::array:
        break;
    case Json::value_t::null:
    case Json::value_t::discarded:
    case Json::value_t::binary:
        return "none";
    }

    // variable_factory.build_segment for lists: a list whose items are all lists (vacuously
    // so when empty) is array[any]; one element type names the array; only a mix of integers
    // and floats is array[number]; any other mix is array[any].
    bool allArrays = true;
    bool allNumbers = true;
    std::string common;
    bool mixed = false;
    for (const Json &item : value) {
        const std::string type = segmentType(item);
        allArrays = allArrays && item.is_array();
        allNumbers = allNumbers && item.is_number();
        if (common.empty())
            common = type;
        else if (common != type)
            mixed = true;
    }
    if (allArrays)
        return "array[any]";
    if (mixed)
        return allNumbers ? "array[number]" : "array[any]";
    if (common == "string")
        return "array[string]";
    if (common == "integer" || common == "float")
        return "array[number]";
    if (common == "boolean")
        return "array[boolean]";
    if (common == "object")
        return "array[object]";
    if (common == "file")
        return "array[file]";
    return "array[any]"; // a list of None
}

std::string userType(const Json &value)
{
    if (value.is_number())
        return "number";
    return segmentType(value);
}

std::string pythonStr(const Json &value)
{
    std::string out;
    appendPythonStr(out, value);
    return out;
}

std::string renderText(const Json &value)
{
    switch (value.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded:
        return {};
    case Json::value_t::object:
        return isFile(value) ? std::string() : pythonJson(value, -1);
    case Json::value_t::array: {
        if (value.empty())
            return {};
        const std::string type = segmentType(value);
        if (type == "array[file]")
            return {};
        if (type == "array[string]")
            return pythonJson(value, -1);
        return pythonStr(value);
    }
    default:
        return pythonStr(value);
    }
}

std::string renderMarkdown(const Json &value)
{
    switch (value.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded:
        return {};
    case Json::value_t::object:
        return isFile(value) ? fileMarkdown(value) : pythonJson(value, 2);
    case Json::value_t::array: {
        const bool files = segmentType(value) == "array[file]";
        std::string out;
        bool first = true;
        for (const Json &item : value) {
            if (!first)
                out += '\n';
            first = false;
            if (files) {
                out += fileMarkdown(item);
            } else {
                out += "- ";
                appendPythonStr(out, item);
            }
        }
        return out;
    }
    default:
        return pythonStr(value);
    }
}

std::string selectorText(const Selector &selector)
{
    std::string out;
    for (std::size_t i = 0; i < selector.size(); ++i) {
        if (i > 0)
            out += '.';
        out += selector[i];
    }
    return out;
}

} // namespace flowbench::variables

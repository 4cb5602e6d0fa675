// JSON → Dify-style YAML through yaml-cpp's emitter.
#include "dslio.h"

#include <yaml-cpp/emitter.h>

#include <charconv>
#include <cmath>

namespace flowbench::document {

namespace {

bool needsDoubleQuotes(const std::string &s)
{
    if (s.empty())
        return false;
    if (s.front() == ' ' || s.back() == ' ' || s.front() == '\t' || s.back() == '\t')
        return true;
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7F)
            return true; // newlines, tabs, control characters: escapes keep them exact
    }
    return false;
}

// A float as PyYAML writes it, so it reads back as a float: always a '.', signed exponent.
std::string floatText(double v)
{
    if (std::isnan(v))
        return ".nan";
    if (std::isinf(v))
        return v > 0 ? ".inf" : "-.inf";
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    std::string s(buf, end);
    const size_t e = s.find('e');
    std::string mantissa = e == s.npos ? s : s.substr(0, e);
    std::string exponent = e == s.npos ? "" : s.substr(e + 1);
    if (mantissa.find('.') == std::string::npos)
        mantissa += ".0";
    if (!exponent.empty() && exponent[0] != '-' && exponent[0] != '+')
        exponent = "+" + exponent;
    return exponent.empty() ? mantissa : mantissa + "e" + exponent;
}

// Characters a YAML reader refuses raw (DEL, U+FFFE, U+FFFF) that yaml-cpp's double-quoted
// writer passes through; escaping every non-ASCII character of such a string keeps it exact.
bool needsAsciiEscapes(const std::string &s)
{
    for (size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == 0x7F)
            return true;
        if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBF
            && (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xBE)
            return true;
    }
    return false;
}

void emitString(YAML::Emitter &out, const std::string &s)
{
    if (needsAsciiEscapes(s)) {
        out << YAML::EscapeNonAscii << YAML::DoubleQuoted << s << YAML::EmitNonAscii;
        return;
    }
    if (needsDoubleQuotes(s)) {
        out << YAML::DoubleQuoted << s;
        return;
    }
    // Quote whatever a plain scalar would turn into another type ("true", "0.5", "null", "").
    if (!resolvePlainScalar(s).is_string()) {
        out << YAML::SingleQuoted << s;
        return;
    }
    out << s; // yaml-cpp quotes it if plain style is not valid YAML (": ", "#", leading "-"...)
}

void emit(YAML::Emitter &out, const Json &v)
{
    switch (v.type()) {
    case Json::value_t::null:
        out << YAML::Null;
        break;
    case Json::value_t::boolean:
        out << (v.get<bool>() ? "true" : "false");
        break;
    case Json::value_t::number_integer:
        out << v.get<long long>();
        break;
    case Json::value_t::number_unsigned:
        out << v.get<unsigned long long>();
        break;
    case Json::value_t::number_float:
        out << floatText(v.get<double>());
        break;
    case Json::value_t::string:
        emitString(out, v.get_ref<const std::string &>());
        break;
    case Json::value_t::array:
        if (v.empty()) {
            out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
            break;
        }
        out << YAML::BeginSeq;
        for (const Json &item : v)
            emit(out, item);
        out << YAML::EndSeq;
        break;
    case Json::value_t::object:
        if (v.empty()) {
            out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
            break;
        }
        out << YAML::BeginMap;
        for (auto it = v.begin(); it != v.end(); ++it) {
            out << YAML::Key;
            emitString(out, it.key());
            out << YAML::Value;
            emit(out, it.value());
        }
        out << YAML::EndMap;
        break;
    case Json::value_t::binary:
    case Json::value_t::discarded:
        out << YAML::Null;
        break;
    }
}

} // namespace

QByteArray toYaml(const Json &value)
{
    YAML::Emitter out;
    out.SetIndent(2);
    out.SetSeqFormat(YAML::Block);
    out.SetMapFormat(YAML::Block);
    emit(out, value);
    QByteArray text(out.c_str(), static_cast<qsizetype>(out.size()));
    text.append('\n');
    return text;
}

} // namespace flowbench::document

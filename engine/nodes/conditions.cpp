#include "conditions.h"

#include "variables/template.h"
#include "variables/value.h"

#include <QCoreApplication>

#include <tl/expected.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

// Dify's ConditionProcessor (api/core/workflow/utils/condition/processor.py, 1.12.1), operator by
// operator. Where Python raises, the condition fails with a message that names the variable, the
// operator and what was wrong; the node then fails (dify.md §6, §12).

namespace flowbench::nodes {

namespace {

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

// A Python exception raised by an operator: its message, for people.
using Eval = tl::expected<bool, QString>;
tl::unexpected<QString> raise(QString message)
{
    return tl::unexpected<QString>(std::move(message));
}

constexpr std::string_view kNotEqual = "\xe2\x89\xa0";     // ≠
constexpr std::string_view kGreaterEqual = "\xe2\x89\xa5"; // ≥
constexpr std::string_view kLessEqual = "\xe2\x89\xa4";    // ≤

// ---- Python numbers -------------------------------------------------------------------------

// int or float as Python holds it; booleans are ints (True == 1).
struct Number
{
    bool isInt = true;
    std::int64_t i = 0;
    double d = 0;

    [[nodiscard]] double asDouble() const { return isInt ? static_cast<double>(i) : d; }
};

std::optional<Number> toNumber(const Json &value)
{
    if (value.is_boolean())
        return Number{true, value.get<bool>() ? 1 : 0, 0};
    if (value.is_number_integer() && !value.is_number_unsigned())
        return Number{true, value.get<std::int64_t>(), 0};
    if (value.is_number_unsigned()) {
        const auto u = value.get<std::uint64_t>();
        if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return Number{true, static_cast<std::int64_t>(u), 0};
        return Number{false, 0, static_cast<double>(u)};
    }
    if (value.is_number_float())
        return Number{false, 0, value.get<double>()};
    return std::nullopt;
}

// The double as an int64 when it is integral and in range.
std::optional<std::int64_t> exactInt(double d)
{
    // 2^63 is exactly representable; anything at or beyond it does not fit.
    constexpr double kLimit = 9223372036854775808.0;
    if (!std::isfinite(d) || d != std::trunc(d) || d >= kLimit || d < -kLimit)
        return std::nullopt;
    return static_cast<std::int64_t>(d);
}

// Three-way comparison with Python's exactness between ints and floats; nullopt when a NaN is
// involved (every comparison is then false, != is true).
std::optional<int> compareNumbers(const Number &a, const Number &b)
{
    const auto cmp = [](auto x, auto y) { return x < y ? -1 : (x > y ? 1 : 0); };
    if (a.isInt && b.isInt)
        return cmp(a.i, b.i);
    if (std::isnan(a.asDouble()) || std::isnan(b.asDouble()))
        return std::nullopt;
    if (a.isInt) {
        if (const auto bi = exactInt(b.d))
            return cmp(a.i, *bi);
    } else if (b.isInt) {
        if (const auto ai = exactInt(a.d))
            return cmp(*ai, b.i);
    }
    return cmp(a.asDouble(), b.asDouble());
}

bool isPythonSpace(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
}

std::string_view stripSpace(std::string_view text)
{
    while (!text.empty() && isPythonSpace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isPythonSpace(text.back()))
        text.remove_suffix(1);
    return text;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Consumes digits with single '_' between them (Python's numeric literal grammar); appends the
// digits to `out`. Returns false when a '_' is misplaced. `count` gets the digit count.
bool readDigits(std::string_view text, std::size_t &pos, std::string &out, std::size_t &count)
{
    count = 0;
    while (pos < text.size()) {
        const char c = text[pos];
        if (isDigit(c)) {
            out += c;
            ++count;
            ++pos;
        } else if (c == '_') {
            if (count == 0 || pos + 1 >= text.size() || !isDigit(text[pos + 1]))
                return false;
            ++pos;
        } else {
            break;
        }
    }
    return true;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i];
        if (x >= 'A' && x <= 'Z')
            x = static_cast<char>(x - 'A' + 'a');
        if (x != b[i])
            return false;
    }
    return true;
}

// ---- Conversions Python applies to the expected value --------------------------------------

QString shown(const Json &value)
{
    return qs(variables::pythonStr(value));
}

QString typeName(const Json &value)
{
    return qs(variables::userType(value));
}

// int(e)
tl::expected<Number, QString> pythonInt(const Json &e)
{
    if (e.is_string()) {
        const auto &text = e.get_ref<const std::string &>();
        if (const auto parsed = py::parseInt(text)) {
            if (const auto n = toNumber(*parsed))
                return *n;
        }
        return tl::unexpected<QString>(
            QCoreApplication::translate("flowbench::nodes::Conditions",
                                        "invalid literal for int() with base 10: '%1'")
                .arg(qs(text)));
    }
    if (const auto n = toNumber(e)) {
        if (n->isInt)
            return *n;
        if (std::isnan(n->d))
            return tl::unexpected<QString>(QCoreApplication::translate(
                "flowbench::nodes::Conditions", "cannot convert float NaN to integer"));
        if (std::isinf(n->d))
            return tl::unexpected<QString>(QCoreApplication::translate(
                "flowbench::nodes::Conditions", "cannot convert float infinity to integer"));
        if (const auto i = exactInt(std::trunc(n->d)))
            return Number{true, *i, 0};
        return Number{false, 0, std::trunc(n->d)};
    }
    return tl::unexpected<QString>(
        QCoreApplication::translate("flowbench::nodes::Conditions",
                                    "int() cannot convert a value of type %1")
            .arg(typeName(e)));
}

// float(e)
tl::expected<Number, QString> pythonFloat(const Json &e)
{
    if (e.is_string()) {
        const auto &text = e.get_ref<const std::string &>();
        if (const auto d = py::parseFloat(text))
            return Number{false, 0, *d};
        return tl::unexpected<QString>(
            QCoreApplication::translate("flowbench::nodes::Conditions",
                                        "could not convert string to float: '%1'")
                .arg(qs(text)));
    }
    if (const auto n = toNumber(e))
        return Number{false, 0, n->asDouble()};
    return tl::unexpected<QString>(
        QCoreApplication::translate("flowbench::nodes::Conditions",
                                    "float() cannot convert a value of type %1")
            .arg(typeName(e)));
}

// _convert_to_bool: ints (and bools) by truthiness, strings through json.loads when they hold an
// int or a bool ("true", "false", 1, 0); anything else raises.
tl::expected<Json, QString> convertToBool(const Json &e)
{
    if (e.is_boolean() || e.is_number_integer())
        return Json(py::truthy(e));
    if (e.is_string()) {
        const Json loaded = Json::parse(e.get_ref<const std::string &>(), nullptr, false);
        if (loaded.is_boolean() || loaded.is_number_integer())
            return Json(py::truthy(loaded));
    }
    return tl::unexpected<QString>(
        QCoreApplication::translate("flowbench::nodes::Conditions",
                                    "expected true, false, 1 or 0 for a boolean, got %1")
            .arg(shown(e)));
}

// ---- Operators ------------------------------------------------------------------------------

bool listContains(const Json &list, const Json &item)
{
    for (const Json &element : list) {
        if (py::equals(element, item))
            return true;
    }
    return false;
}

Eval containsOp(const Json &v, const Json &e, bool negate)
{
    if (!py::truthy(v))
        return negate;
    bool found = false;
    if (v.is_string()) {
        const std::string needle = e.is_string() ? e.get<std::string>() : variables::pythonStr(e);
        found = v.get_ref<const std::string &>().find(needle) != std::string::npos;
    } else if (v.is_array()) {
        found = listContains(v, e);
    } else {
        return raise(QCoreApplication::translate("flowbench::nodes::Conditions",
                                                 "the value must be a string or an array, not %1")
                         .arg(typeName(v)));
    }
    return negate ? !found : found;
}

Eval affixOp(const Json &v, const Json &e, bool start)
{
    if (!py::truthy(v))
        return false;
    if (!v.is_string())
        return raise(QCoreApplication::translate("flowbench::nodes::Conditions",
                                                 "the value must be a string, not %1")
                         .arg(typeName(v)));
    if (!e.is_string())
        return raise(QCoreApplication::translate("flowbench::nodes::Conditions",
                                                 "the expected value must be a string, not %1")
                         .arg(typeName(e)));
    const auto &s = v.get_ref<const std::string &>();
    const auto &x = e.get_ref<const std::string &>();
    if (x.size() > s.size())
        return false;
    return start ? s.compare(0, x.size(), x) == 0
                 : s.compare(s.size() - x.size(), x.size(), x) == 0;
}

Eval isOp(const Json &v, const Json &e, bool negate)
{
    if (v.is_null())
        return false; // Dify: None is neither `is` nor `is not` anything
    if (!v.is_string() && !v.is_boolean())
        return raise(QCoreApplication::translate("flowbench::nodes::Conditions",
                                                 "the value must be a string or a boolean, not %1")
                         .arg(typeName(v)));
    const bool same = py::equals(v, e);
    return negate ? !same : same;
}

Eval equalOp(const Json &v, const Json &e, bool negate)
{
    if (v.is_null())
        return false;
    const auto actual = toNumber(v);
    if (!actual)
        return raise(QCoreApplication::translate("flowbench::nodes::Conditions",
                                                 "the value must be a number or a boolean, not %1")
                         .arg(typeName(v)));
    bool same = false;
    if (v.is_boolean()) {
        same = v.get<bool>() == py::truthy(e);
    } else {
        const auto expected = actual->isInt ? pythonInt(e) : pythonFloat(e);
        if (!expected)
            return raise(expected.error());
        const auto c = compareNumbers(*actual, *expected);
        same = c && *c == 0;
    }
    return negate ? !same : same;
}

// _normalize_numeric_values: a string is parsed with float(); an int value meets an integral
// expected value as ints, otherwise both are floats.
Eval orderOp(const Json &v, const Json &e, std::string_view op)
{
    if (v.is_null())
        return false;
    const auto actual = toNumber(v);
    if (!actual)
        return raise(QCoreApplication::translate("flowbench::nodes::Conditions",
                                                 "the value must be a number, not %1")
                         .arg(typeName(v)));
    Number expected;
    if (e.is_string()) {
        const auto d = py::parseFloat(e.get_ref<const std::string &>());
        if (!d)
            return raise(QCoreApplication::translate("flowbench::nodes::Conditions",
                                                     "cannot convert '%1' to a number")
                             .arg(qs(e.get<std::string>())));
        expected = Number{false, 0, *d};
        if (actual->isInt) {
            if (const auto i = exactInt(*d))
                expected = Number{true, *i, 0};
        }
    } else if (const auto n = toNumber(e)) {
        expected = *n;
    } else {
        return raise(QCoreApplication::translate("flowbench::nodes::Conditions",
                                                 "cannot convert a value of type %1 to a number")
                         .arg(typeName(e)));
    }
    const auto c = compareNumbers(*actual, expected);
    if (!c)
        return false;
    if (op == ">")
        return *c > 0;
    if (op == "<")
        return *c < 0;
    if (op == kGreaterEqual)
        return *c >= 0;
    return *c <= 0;
}

Eval inOp(const Json &v, const Json &e, bool negate)
{
    if (!py::truthy(v))
        return negate;
    if (!e.is_array())
        return raise(QCoreApplication::translate("flowbench::nodes::Conditions",
                                                 "the expected value must be an array, not %1")
                         .arg(typeName(e)));
    const bool found = listContains(e, v);
    return negate ? !found : found;
}

// `item in value` for one element of an `all of` list.
tl::expected<bool, QString> memberOf(const Json &item, const Json &v)
{
    if (v.is_string()) {
        if (!item.is_string())
            return tl::unexpected<QString>(
                QCoreApplication::translate("flowbench::nodes::Conditions",
                                            "'in <string>' requires a string, not %1")
                    .arg(typeName(item)));
        return v.get_ref<const std::string &>().find(item.get_ref<const std::string &>())
               != std::string::npos;
    }
    if (v.is_array())
        return listContains(v, item);
    if (v.is_object()) {
        if (item.is_array() || item.is_object())
            return tl::unexpected<QString>(
                QCoreApplication::translate("flowbench::nodes::Conditions", "unhashable type: %1")
                    .arg(typeName(item)));
        return item.is_string() && v.contains(item.get_ref<const std::string &>());
    }
    return tl::unexpected<QString>(QCoreApplication::translate("flowbench::nodes::Conditions",
                                                               "a value of type %1 is not iterable")
                                       .arg(typeName(v)));
}

Eval allOfOp(const Json &v, const Json &e)
{
    if (!e.is_array())
        return raise(QCoreApplication::translate("flowbench::nodes::Conditions",
                                                 "'all of' needs a list of expected values, not %1")
                         .arg(typeName(e)));
    if (!py::truthy(v))
        return false;
    for (const Json &item : e) {
        const auto member = memberOf(item, v);
        if (!member)
            return raise(member.error());
        if (!*member)
            return false;
    }
    return true;
}

Eval evaluate(std::string_view op, const Json &v, const Json &e)
{
    if (op == "contains")
        return containsOp(v, e, false);
    if (op == "not contains")
        return containsOp(v, e, true);
    if (op == "start with")
        return affixOp(v, e, true);
    if (op == "end with")
        return affixOp(v, e, false);
    if (op == "is")
        return isOp(v, e, false);
    if (op == "is not")
        return isOp(v, e, true);
    if (op == "empty")
        return !py::truthy(v);
    if (op == "not empty")
        return py::truthy(v);
    if (op == "=")
        return equalOp(v, e, false);
    if (op == kNotEqual)
        return equalOp(v, e, true);
    if (op == ">" || op == "<" || op == kGreaterEqual || op == kLessEqual)
        return orderOp(v, e, op);
    if (op == "null")
        return v.is_null();
    if (op == "not null")
        return !v.is_null();
    if (op == "in")
        return inOp(v, e, false);
    if (op == "not in")
        return inOp(v, e, true);
    if (op == "all of")
        return allOfOp(v, e);
    if (op == "exists")
        return !v.is_null();
    if (op == "not exists")
        return v.is_null();
    return raise(
        QCoreApplication::translate("flowbench::nodes::Conditions", "unsupported operator '%1'")
            .arg(qs(op)));
}

// ---- Files ----------------------------------------------------------------------------------

// file_manager.get_attr: Dify's File keeps the name in `filename` and a remote address in
// `remote_url`; accept both spellings.
Json fileAttribute(const Json &file, const std::string &key)
{
    const auto at = [&](const char *name) -> Json {
        const auto it = file.find(name);
        return it != file.end() ? *it : Json();
    };
    Json value = at(key.c_str());
    if (value.is_null() && key == "name")
        value = at("filename");
    if (value.is_null() && key == "url")
        value = at("remote_url");
    return value;
}

bool isFileAttribute(const std::string &key)
{
    for (const char *name : {"name", "size", "type", "extension", "mime_type", "transfer_method",
                             "url", "related_id"}) {
        if (key == name)
            return true;
    }
    return false;
}

std::string withDot(const std::string &extension)
{
    return !extension.empty() && extension.front() != '.' ? "." + extension : extension;
}

// _process_sub_conditions: each sub-condition is tested on every file; one match is enough,
// except for operators containing "not", which must hold for every file.
Eval subConditions(const Json &files, const Json &sub)
{
    const Json conditions = sub.value("conditions", Json::array());
    const bool isAnd = sub.value("logical_operator", std::string("and")) != "or";
    if (!conditions.is_array())
        return raise(QCoreApplication::translate("flowbench::nodes::Conditions",
                                                 "the file sub-conditions must be a list"));
    std::vector<bool> groups;
    for (const Json &condition : conditions) {
        if (!condition.is_object())
            return raise(QCoreApplication::translate("flowbench::nodes::Conditions",
                                                     "a file sub-condition must be an object"));
        const std::string key = condition.value("key", std::string());
        const std::string op = condition.value("comparison_operator", std::string());
        if (!isFileAttribute(key))
            return raise(QCoreApplication::translate("flowbench::nodes::Conditions",
                                                     "'%1' is not a file attribute")
                             .arg(qs(key)));
        Json expected = condition.contains("value") ? condition.at("value") : Json();
        std::vector<Json> values;
        for (const Json &file : files)
            values.push_back(fileAttribute(file, key));
        if (key == "extension") {
            if (!expected.is_string())
                return raise(QCoreApplication::translate(
                    "flowbench::nodes::Conditions", "the expected extension must be a string"));
            expected = withDot(expected.get<std::string>());
            for (Json &value : values) {
                if (value.is_string())
                    value = withDot(value.get<std::string>());
            }
        }
        const bool every = op.find("not") != std::string::npos;
        bool result = every;
        for (const Json &value : values) {
            const Eval r = evaluate(op, value, expected);
            if (!r)
                return r;
            result = every ? (result && *r) : (result || *r);
        }
        groups.push_back(result);
    }
    bool result = isAnd;
    for (bool g : groups)
        result = isAnd ? (result && g) : (result || g);
    return result;
}

bool isBooleanType(const Json &value)
{
    const std::string type = variables::segmentType(value);
    return type == "boolean" || type == "array[boolean]";
}

Result<bool> conditionError(const std::string &selector, const std::string &op, QString reason)
{
    return makeError(
        QStringLiteral("condition.invalid"),
        QCoreApplication::translate("flowbench::nodes::Conditions", "Condition '%1' on %2: %3")
            .arg(qs(op), qs(selector), reason));
}

} // namespace

Result<bool> evaluateConditions(const Json &conditions, const QString &logicalOperator,
                                const variables::VariablePool &pool, Json *details)
{
    if (details)
        *details = Json::array();
    const bool isAnd = logicalOperator != QLatin1String("or");
    if (conditions.is_null())
        return isAnd;
    if (!conditions.is_array())
        return makeError(QStringLiteral("condition.invalid"),
                         QCoreApplication::translate("flowbench::nodes::Conditions",
                                                     "The conditions must be a list."));

    try {
        std::size_t index = 0;
        for (const Json &condition : conditions) {
            ++index;
            if (!condition.is_object()) {
                return makeError(QStringLiteral("condition.invalid"),
                                 QCoreApplication::translate("flowbench::nodes::Conditions",
                                                             "Condition %1 is not an object.")
                                     .arg(index));
            }
            variables::Selector selector;
            const auto selectorIt = condition.find("variable_selector");
            if (selectorIt != condition.end() && selectorIt->is_array()) {
                for (const Json &part : *selectorIt) {
                    if (part.is_string())
                        selector.push_back(part.get<std::string>());
                }
            }
            const std::string name = variables::selectorText(selector);
            const std::string op = condition.value("comparison_operator", std::string());

            const Json *found = pool.find(selector);
            if (!found) {
                return makeError(
                    QStringLiteral("condition.variable_not_found"),
                    QCoreApplication::translate("flowbench::nodes::Conditions",
                                                "Variable %1 not found (condition '%2').")
                        .arg(qs(name.empty() ? std::string("[]") : name), qs(op)));
            }
            const Json &actual = *found;

            Json expected;
            Eval result = false;
            if (variables::segmentType(actual) == "array[file]"
                && (op == "contains" || op == "not contains" || op == "all of")) {
                const auto sub = condition.find("sub_variable_condition");
                if (sub == condition.end() || !sub->is_object())
                    return conditionError(
                        name, op,
                        QCoreApplication::translate("flowbench::nodes::Conditions",
                                                    "a file sub-condition is required"));
                expected = *sub;
                result = subConditions(actual, *sub);
            } else if (op == "exists" || op == "not exists") {
                result = evaluate(op, actual, expected);
            } else {
                expected = condition.contains("value") ? condition.at("value") : Json();
                if (expected.is_string()) {
                    expected = variables::renderTemplate(expected.get_ref<const std::string &>(),
                                                         pool, variables::Rendering::Text);
                }
                if (isBooleanType(actual) && !expected.is_null()) {
                    if (expected.is_array()) {
                        Json converted = Json::array();
                        for (const Json &item : expected) {
                            const auto b = convertToBool(item);
                            if (!b)
                                return conditionError(name, op, b.error());
                            converted.push_back(*b);
                        }
                        expected = std::move(converted);
                    } else {
                        const auto b = convertToBool(expected);
                        if (!b)
                            return conditionError(name, op, b.error());
                        expected = *b;
                    }
                }
                result = evaluate(op, actual, expected);
            }
            if (!result)
                return conditionError(name, op, result.error());

            if (details) {
                details->push_back({{"actual_value", actual},
                                    {"expected_value", expected},
                                    {"comparison_operator", op},
                                    {"result", *result}});
            }
            if (isAnd && !*result)
                return false;
            if (!isAnd && *result)
                return true;
        }
    } catch (const Json::exception &e) {
        return makeError(
            QStringLiteral("condition.invalid"),
            QCoreApplication::translate("flowbench::nodes::Conditions", "Invalid condition: %1")
                .arg(QString::fromUtf8(e.what())));
    }
    return isAnd;
}

// ---- Python semantics -----------------------------------------------------------------------

namespace py {

bool truthy(const Json &value)
{
    switch (value.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded:
        return false;
    case Json::value_t::boolean:
        return value.get<bool>();
    case Json::value_t::number_integer:
        return value.get<std::int64_t>() != 0;
    case Json::value_t::number_unsigned:
        return value.get<std::uint64_t>() != 0;
    case Json::value_t::number_float:
        return value.get<double>() != 0.0; // NaN is truthy, as in Python
    case Json::value_t::string:
        // nlohmann counts strings as primitives: empty() is false for "".
        return !value.get_ref<const std::string &>().empty();
    case Json::value_t::array:
    case Json::value_t::object:
    case Json::value_t::binary:
        return !value.empty();
    }
    return false;
}

bool equals(const Json &a, const Json &b)
{
    const auto na = toNumber(a);
    const auto nb = toNumber(b);
    if (na || nb) {
        if (!na || !nb)
            return false;
        const auto c = compareNumbers(*na, *nb);
        return c && *c == 0;
    }
    if (a.type() != b.type())
        return false;
    if (a.is_array()) {
        if (a.size() != b.size())
            return false;
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (!equals(a[i], b[i]))
                return false;
        }
        return true;
    }
    if (a.is_object()) {
        if (a.size() != b.size())
            return false;
        for (auto it = a.begin(); it != a.end(); ++it) {
            const auto other = b.find(it.key());
            if (other == b.end() || !equals(it.value(), *other))
                return false;
        }
        return true;
    }
    return a == b;
}

std::optional<int> compare(const Json &a, const Json &b)
{
    const auto na = toNumber(a);
    const auto nb = toNumber(b);
    if (!na || !nb)
        return std::nullopt;
    return compareNumbers(*na, *nb);
}

std::optional<double> parseFloat(std::string_view text)
{
    text = stripSpace(text);
    std::size_t pos = 0;
    bool negative = false;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        negative = text[pos] == '-';
        ++pos;
    }
    const std::string_view rest = text.substr(pos);
    if (equalsIgnoreCase(rest, "inf") || equalsIgnoreCase(rest, "infinity"))
        return negative ? -std::numeric_limits<double>::infinity()
                        : std::numeric_limits<double>::infinity();
    if (equalsIgnoreCase(rest, "nan"))
        return std::numeric_limits<double>::quiet_NaN();

    std::string clean = negative ? "-" : "";
    std::size_t intDigits = 0;
    std::size_t fracDigits = 0;
    if (!readDigits(text, pos, clean, intDigits))
        return std::nullopt;
    if (pos < text.size() && text[pos] == '.') {
        clean += '.';
        ++pos;
        if (!readDigits(text, pos, clean, fracDigits))
            return std::nullopt;
    }
    if (intDigits + fracDigits == 0)
        return std::nullopt;
    if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
        clean += 'e';
        ++pos;
        if (pos < text.size() && (text[pos] == '+' || text[pos] == '-'))
            clean += text[pos++];
        std::size_t expDigits = 0;
        if (!readDigits(text, pos, clean, expDigits) || expDigits == 0)
            return std::nullopt;
    }
    if (pos != text.size())
        return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), value);
    if (ec == std::errc::result_out_of_range) {
        // Python rounds overflow to inf and underflow to 0 rather than raising.
        const auto e = clean.find('e');
        const bool tiny = e != std::string::npos && clean.find('-', e) != std::string::npos;
        if (tiny)
            return negative ? -0.0 : 0.0;
        return negative ? -std::numeric_limits<double>::infinity()
                        : std::numeric_limits<double>::infinity();
    }
    if (ec != std::errc() || end != clean.data() + clean.size())
        return std::nullopt;
    return value;
}

std::optional<Json> parseInt(std::string_view text)
{
    text = stripSpace(text);
    std::size_t pos = 0;
    bool negative = false;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        negative = text[pos] == '-';
        ++pos;
    }
    std::string digits;
    std::size_t count = 0;
    if (!readDigits(text, pos, digits, count) || count == 0 || pos != text.size())
        return std::nullopt;
    const std::string signedDigits = (negative ? "-" : "") + digits;
    std::int64_t value = 0;
    const auto [end, ec]
        = std::from_chars(signedDigits.data(), signedDigits.data() + signedDigits.size(), value);
    if (ec == std::errc() && end == signedDigits.data() + signedDigits.size())
        return Json(value);
    double big = 0;
    std::from_chars(signedDigits.data(), signedDigits.data() + signedDigits.size(), big);
    return Json(big);
}

} // namespace py

} // namespace flowbench::nodes

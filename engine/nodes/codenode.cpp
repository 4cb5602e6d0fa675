#include "codenode.h"

#include "jsrunner.h"

#include <QCoreApplication>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

namespace flowbench::nodes {

namespace {

std::atomic<int> s_timeLimitForTesting{0};

// The output-check messages below are Dify's own English text, kept verbatim (they reach the
// pool as error_message under an error strategy), so they are not translated.
const QString kValidation = QStringLiteral("OutputValidationError");
const QString kExecution = QStringLiteral("CodeExecutionError");

// Dify's CODE_MAX_NUMBER / CODE_MIN_NUMBER: ±(2^63 − 1).
constexpr std::int64_t kMaxNumber = std::numeric_limits<std::int64_t>::max();

tl::unexpected<Error> fail(const QString &type, const std::string &message)
{
    return makeError(type, QString::fromStdString(message));
}

// Python's type(value).__name__ for a JSON value.
std::string pyTypeName(const Json &value)
{
    switch (value.type()) {
    case Json::value_t::null:
        return "NoneType";
    case Json::value_t::boolean:
        return "bool";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
        return "int";
    case Json::value_t::number_float:
        return "float";
    case Json::value_t::string:
        return "str";
    case Json::value_t::array:
        return "list";
    case Json::value_t::object:
        return "dict";
    default:
        return "object";
    }
}

// Python's str(type(value)): "<class 'int'>".
std::string pyTypeRepr(const Json &value)
{
    return "<class '" + pyTypeName(value) + "'>";
}

// Python's isinstance(value, int | float): booleans are ints there.
bool isPyNumber(const Json &value)
{
    return value.is_number() || value.is_boolean();
}

std::size_t codePoints(const std::string &text)
{
    std::size_t count = 0;
    for (const char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
            ++count;
    }
    return count;
}

// Digits after the decimal point of Decimal(str(value)).normalize(): Python's str() of a float is
// the shortest round-trip form, as is std::to_chars without a precision.
int floatPrecision(double value)
{
    char buffer[64];
    const auto [end, ec]
        = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    if (ec != std::errc())
        return 0;
    const std::string text(buffer, end);
    const auto e = text.find('e');
    if (e == std::string::npos)
        return 0;
    int digits = 0;
    for (std::size_t i = 0; i < e; ++i) {
        if (text[i] >= '0' && text[i] <= '9')
            ++digits;
    }
    const int exponent = std::atoi(text.c_str() + e + 1);
    return std::max(0, digits - 1 - exponent);
}

// CodeNode._check_number: None passes; range ±(2^63−1); floats at most 20 decimals.
std::optional<Error> checkNumber(const Json &value, const std::string &variable)
{
    if (value.is_null() || value.is_boolean())
        return std::nullopt;
    bool outOfRange = false;
    if (value.is_number_unsigned()) {
        outOfRange = value.get<std::uint64_t>() > std::uint64_t(kMaxNumber);
    } else if (value.is_number_integer()) {
        outOfRange = value.get<std::int64_t>() < -kMaxNumber;
    } else if (value.is_number_float()) {
        // ±2^63 is the first double beyond ±(2^63−1); NaN fails too.
        const double d = value.get<double>();
        outOfRange = !(d > -9223372036854775808.0 && d < 9223372036854775808.0);
    }
    if (outOfRange) {
        return Error{kValidation,
                     QString::fromStdString("Output variable `" + variable
                                            + "` is out of range, it must be between "
                                            + std::to_string(-kMaxNumber) + " and "
                                            + std::to_string(kMaxNumber) + "."),
                     {}};
    }
    if (value.is_number_float() && floatPrecision(value.get<double>()) > CodeNode::kMaxPrecision) {
        return Error{kValidation,
                     QString::fromStdString("Output variable `" + variable
                                            + "` has too high precision, it must be less than "
                                            + std::to_string(CodeNode::kMaxPrecision) + " digits."),
                     {}};
    }
    return std::nullopt;
}

// CodeNode._check_string: None passes; at most 400 000 characters; NULs are removed.
Result<Json> checkString(const Json &value, const std::string &variable)
{
    if (value.is_null())
        return Json();
    if (!value.is_string()) {
        // Dify crashes here with a Python TypeError (len() of a non-string); say it plainly.
        return fail(kValidation, "Output " + variable + " must be a string, got "
                                     + pyTypeName(value) + " instead");
    }
    std::string text = value.get<std::string>();
    if (codePoints(text) > std::size_t(CodeNode::kMaxStringLength)) {
        return fail(kValidation, "The length of output variable `" + variable
                                     + "` must be less than "
                                     + std::to_string(CodeNode::kMaxStringLength) + " characters");
    }
    std::erase(text, '\0');
    return Json(std::move(text));
}

std::string indexed(const std::string &name, std::size_t i)
{
    return name + "[" + std::to_string(i) + "]";
}

// _transform_result with output_schema None: checks by instance type, returns nothing new (the
// caller keeps the value as it was, NULs included, as Dify does).
std::optional<Error> checkUntyped(const Json &result, const std::string &prefix, int depth)
{
    if (depth > CodeNode::kMaxDepth) {
        return Error{
            QStringLiteral("DepthLimitError"),
            QStringLiteral("Depth limit %1 reached, object too deep.").arg(CodeNode::kMaxDepth),
            {}};
    }
    for (const auto &[name, value] : result.items()) {
        const std::string variable = prefix.empty() ? name : prefix + "." + name;
        if (value.is_object()) {
            if (auto error = checkUntyped(value, variable, depth + 1))
                return error;
        } else if (value.is_boolean() || value.is_null()) {
            continue;
        } else if (value.is_number()) {
            if (auto error = checkNumber(value, variable))
                return error;
        } else if (value.is_string()) {
            if (auto checked = checkString(value, variable); !checked)
                return checked.error();
        } else if (value.is_array()) {
            if (value.empty() || value.front().is_null())
                continue;
            const Json &first = value.front();
            const Json &list = value; // clang 14 cannot capture a structured binding
            const auto all = [&list](auto predicate) {
                for (const Json &item : list) {
                    if (!item.is_null() && !predicate(item))
                        return false;
                }
                return true;
            };
            if (isPyNumber(first) && all(isPyNumber)) {
                for (std::size_t i = 0; i < value.size(); ++i) {
                    if (auto error = checkNumber(value[i], indexed(variable, i)))
                        return error;
                }
            } else if (first.is_string() && all([](const Json &j) { return j.is_string(); })) {
                for (std::size_t i = 0; i < value.size(); ++i) {
                    if (auto checked = checkString(value[i], indexed(variable, i)); !checked)
                        return checked.error();
                }
            } else if ((first.is_object() && all([](const Json &j) { return j.is_object(); }))
                       || (first.is_array() && all([](const Json &j) { return j.is_array(); }))) {
                for (std::size_t i = 0; i < value.size(); ++i) {
                    if (value[i].is_array()) {
                        // Dify fails here too (AttributeError: a list has no items()).
                        return Error{kValidation,
                                     QString::fromStdString("Output " + indexed(variable, i)
                                                            + " is a list inside a list, which "
                                                              "is not supported."),
                                     {}};
                    }
                    if (value[i].is_object()) {
                        if (auto error = checkUntyped(value[i], indexed(variable, i), depth + 1))
                            return error;
                    }
                }
            } else {
                return Error{kValidation,
                             QString::fromStdString("Output " + prefix + "." + name
                                                    + " is not a valid array. make sure all "
                                                      "elements are of the same type."),
                             {}};
            }
        }
    }
    return std::nullopt;
}

const Json *childrenOf(const Json &config)
{
    if (!config.is_object())
        return nullptr;
    const auto children = config.find("children");
    if (children == config.end() || !children->is_object())
        return nullptr;
    return &*children;
}

Result<Json> transform(const Json &result, const Json *schema, const std::string &prefix,
                       int depth);

// An object (or array element) checked against `children`, or by instance type without them.
Result<Json> transformObject(const Json &value, const Json *children, const std::string &prefix,
                             int depth)
{
    if (children)
        return transform(value, children, prefix, depth);
    if (auto error = checkUntyped(value, prefix, depth))
        return tl::unexpected(*error);
    return value;
}

// CodeNode._transform_result with a schema.
Result<Json> transform(const Json &result, const Json *schema, const std::string &prefix, int depth)
{
    if (depth > CodeNode::kMaxDepth) {
        return makeError(
            QStringLiteral("DepthLimitError"),
            QStringLiteral("Depth limit %1 reached, object too deep.").arg(CodeNode::kMaxDepth));
    }
    Json transformed = Json::object();
    std::size_t validated = 0;
    const std::string dot = prefix.empty() ? "" : ".";
    for (const auto &[name, config] : schema->items()) {
        const std::string path = prefix + dot + name;
        const auto found = result.find(name);
        if (found == result.end())
            return fail(kValidation, "Output " + path + " is missing.");
        const Json &value = *found;
        const std::string type
            = config.is_object() && config.contains("type") && config.at("type").is_string()
                  ? config.at("type").get<std::string>()
                  : std::string();
        if (type == "object") {
            if (value.is_null()) {
                transformed[name] = nullptr;
            } else if (!value.is_object()) {
                return fail(kValidation, "Output " + path + " is not an object, got "
                                             + pyTypeRepr(value) + " instead.");
            } else {
                // Dify builds this prefix with a dot even at the top level (".obj.key").
                auto inner
                    = transformObject(value, childrenOf(config), prefix + "." + name, depth + 1);
                if (!inner)
                    return inner;
                transformed[name] = std::move(*inner);
            }
        } else if (type == "number") {
            if (!value.is_null() && !isPyNumber(value)) {
                return fail(kValidation, "Output " + path + " is not a number, got "
                                             + pyTypeRepr(value) + " instead.");
            }
            if (auto error = checkNumber(value, path))
                return tl::unexpected(*error);
            // Dify turns booleans declared as numbers into 0/1 for older workflows.
            transformed[name] = value.is_boolean() ? Json(value.get<bool>() ? 1 : 0) : value;
        } else if (type == "string") {
            if (!value.is_null() && !value.is_string()) {
                return fail(kValidation, "Output " + path + " must be a string, got "
                                             + pyTypeName(value) + " instead");
            }
            auto checked = checkString(value, path);
            if (!checked)
                return checked;
            transformed[name] = std::move(*checked);
        } else if (type == "boolean") {
            // Dify 1.12.1 does not check the type of a boolean output (_check_boolean only lets
            // None through); neither do we.
            transformed[name] = value;
        } else if (type == "array[number]") {
            if (value.is_null()) {
                transformed[name] = nullptr;
            } else if (!value.is_array()) {
                return fail(kValidation, "Output " + path + " is not an array, got "
                                             + pyTypeRepr(value) + " instead.");
            } else {
                if (value.size() > std::size_t(CodeNode::kMaxNumberArrayLength)) {
                    return fail(kValidation, "The length of output variable `" + path
                                                 + "` must be less than "
                                                 + std::to_string(CodeNode::kMaxNumberArrayLength)
                                                 + " elements.");
                }
                Json items = Json::array();
                for (std::size_t i = 0; i < value.size(); ++i) {
                    const Json &item = value[i];
                    if (!isPyNumber(item)) {
                        return fail(kValidation, "The element at index " + std::to_string(i)
                                                     + " of output variable `" + path
                                                     + "` must be a number.");
                    }
                    if (auto error = checkNumber(item, indexed(path, i)))
                        return tl::unexpected(*error);
                    items.push_back(item.is_boolean() ? Json(item.get<bool>() ? 1 : 0) : item);
                }
                transformed[name] = std::move(items);
            }
        } else if (type == "array[string]") {
            if (value.is_null()) {
                transformed[name] = nullptr;
            } else if (!value.is_array()) {
                return fail(kValidation, "Output " + path + " is not an array, got "
                                             + pyTypeRepr(value) + " instead.");
            } else {
                if (value.size() > std::size_t(CodeNode::kMaxStringArrayLength)) {
                    return fail(kValidation, "The length of output variable `" + path
                                                 + "` must be less than "
                                                 + std::to_string(CodeNode::kMaxStringArrayLength)
                                                 + " elements.");
                }
                Json items = Json::array();
                for (std::size_t i = 0; i < value.size(); ++i) {
                    auto checked = checkString(value[i], indexed(path, i));
                    if (!checked)
                        return checked;
                    items.push_back(std::move(*checked));
                }
                transformed[name] = std::move(items);
            }
        } else if (type == "array[object]") {
            if (value.is_null()) {
                transformed[name] = nullptr;
            } else if (!value.is_array()) {
                return fail(kValidation, "Output " + path + " is not an array, got "
                                             + pyTypeRepr(value) + " instead.");
            } else {
                if (value.size() > std::size_t(CodeNode::kMaxObjectArrayLength)) {
                    return fail(kValidation, "The length of output variable `" + path
                                                 + "` must be less than "
                                                 + std::to_string(CodeNode::kMaxObjectArrayLength)
                                                 + " elements.");
                }
                for (std::size_t i = 0; i < value.size(); ++i) {
                    if (!value[i].is_object() && !value[i].is_null()) {
                        return fail(kValidation, "Output " + indexed(path, i)
                                                     + " is not an object, got "
                                                     + pyTypeRepr(value[i]) + " instead at index "
                                                     + std::to_string(i) + ".");
                    }
                }
                Json items = Json::array();
                for (std::size_t i = 0; i < value.size(); ++i) {
                    if (value[i].is_null()) {
                        items.push_back(nullptr);
                        continue;
                    }
                    auto inner = transformObject(value[i], childrenOf(config), indexed(path, i),
                                                 depth + 1);
                    if (!inner)
                        return inner;
                    items.push_back(std::move(*inner));
                }
                transformed[name] = std::move(items);
            }
        } else if (type == "array[boolean]") {
            if (value.is_null()) {
                transformed[name] = nullptr;
            } else if (!value.is_array()) {
                return fail(kValidation, "Output " + path + " is not an array, got "
                                             + pyTypeRepr(value) + " instead.");
            } else {
                for (std::size_t i = 0; i < value.size(); ++i) {
                    if (!value[i].is_null() && !value[i].is_boolean()) {
                        return fail(kValidation, "Output " + indexed(path, i)
                                                     + " is not a boolean, got "
                                                     + pyTypeRepr(value[i]) + " instead.");
                    }
                }
                transformed[name] = value;
            }
        } else {
            return fail(kValidation, "Output type " + type + " is not supported.");
        }
        ++validated;
    }
    if (validated != result.size())
        return makeError(QStringLiteral("CodeNodeError"),
                         QStringLiteral("Not all output parameters are validated."));
    return transformed;
}

// Python's re.match(r"^-?\d+\.?\d*e[+-]\d+$", value, re.IGNORECASE), ASCII digits.
bool looksScientific(const std::string &s)
{
    std::size_t i = 0;
    const std::size_t n = s.size() > 0 && s.back() == '\n' ? s.size() - 1 : s.size();
    const auto digits = [&] {
        const std::size_t start = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            ++i;
        return i - start;
    };
    if (i < n && s[i] == '-')
        ++i;
    if (digits() == 0)
        return false;
    if (i < n && s[i] == '.')
        ++i;
    digits();
    if (i >= n || (s[i] != 'e' && s[i] != 'E'))
        return false;
    ++i;
    if (i >= n || (s[i] != '+' && s[i] != '-'))
        return false;
    ++i;
    if (digits() == 0)
        return false;
    return i == n;
}

// TemplateTransformer._post_process_result: such strings become floats (float() semantics:
// overflow gives inf, which the range check then rejects).
void convertScientific(Json &value)
{
    if (value.is_string()) {
        const std::string &s = value.get_ref<const std::string &>();
        if (looksScientific(s))
            value = std::strtod(s.c_str(), nullptr);
    } else if (value.is_structured()) {
        for (auto &item : value)
            convertScientific(item);
    }
}

variables::Selector toSelector(const Json &value)
{
    variables::Selector selector;
    if (value.is_array()) {
        for (const Json &part : value) {
            if (part.is_string())
                selector.push_back(part.get<std::string>());
        }
    }
    return selector;
}

// The code's inputs as Dify builds them: every variable by name, null when the pool lacks it.
Json collectInputs(const Json &data, const variables::VariablePool &pool)
{
    Json inputs = Json::object();
    const auto variables = data.find("variables");
    if (variables == data.end() || !variables->is_array())
        return inputs;
    for (const Json &entry : *variables) {
        if (!entry.is_object())
            continue;
        const auto name = entry.find("variable");
        if (name == entry.end() || !name->is_string() || name->get<std::string>().empty())
            continue;
        const auto selector = entry.find("value_selector");
        const Json *value = selector != entry.end() ? pool.find(toSelector(*selector)) : nullptr;
        inputs[name->get<std::string>()] = value ? *value : Json();
    }
    return inputs;
}

runtime::NodeResult conclude(Result<Json> ran, const Json &inputs, const Json &outputs)
{
    runtime::NodeResult result;
    try {
        if (!ran) {
            result = runtime::NodeResult::failure(ran.error().message, kExecution);
        } else {
            auto checked = CodeNode::checkResult(std::move(*ran), outputs);
            if (checked)
                result.outputs = std::move(*checked);
            else
                result
                    = runtime::NodeResult::failure(checked.error().message, checked.error().code);
        }
    } catch (const std::exception &e) {
        result = runtime::NodeResult::failure(QString::fromUtf8(e.what()), kExecution);
    }
    result.inputs = inputs;
    return result;
}

} // namespace

int CodeNode::timeLimitMs()
{
    const int forTesting = s_timeLimitForTesting.load();
    return forTesting > 0 ? forTesting : kDefaultTimeLimitMs;
}

void CodeNode::setTimeLimitForTesting(int ms)
{
    s_timeLimitForTesting = std::max(0, ms);
}

Result<Json> CodeNode::checkResult(Json result, const Json &outputs)
{
    if (!result.is_object()) {
        return makeError(kExecution, QStringLiteral("Result must be a dict, got %1")
                                         .arg(QString::fromStdString(pyTypeName(result))));
    }
    convertScientific(result);
    // Dify requires `outputs`; a node without them declares nothing, so any key is extra.
    static const Json kNone = Json::object();
    return transform(result, outputs.is_object() ? &outputs : &kNone, std::string(), 1);
}

CodeNode::~CodeNode()
{
    cancel();
}

void CodeNode::cancel()
{
    m_cancelled->store(true);
    if (m_request && m_python)
        m_python->cancel(m_request);
    m_request = 0;
}

void CodeNode::start(runtime::NodeContext &ctx)
{
    m_ctx = &ctx;
    Json inputs;
    QString language;
    std::string code;
    Json outputs;
    try {
        const Json &data = ctx.data();
        inputs = collectInputs(data, ctx.pool());
        const auto codeField = data.find("code");
        if (codeField != data.end() && codeField->is_string())
            code = codeField->get<std::string>();
        const auto languageField = data.find("code_language");
        if (languageField != data.end() && languageField->is_string())
            language = QString::fromStdString(languageField->get<std::string>());
        const auto outputsField = data.find("outputs");
        if (outputsField != data.end())
            outputs = *outputsField;
    } catch (const std::exception &e) {
        ctx.finish(runtime::NodeResult::failure(
            QCoreApplication::translate("flowbench::nodes::CodeNode", "Invalid node data: %1")
                .arg(QString::fromUtf8(e.what())),
            QStringLiteral("CodeNodeError")));
        return;
    }

    const int limit = timeLimitMs();
    if (language == QLatin1String("python3")) {
        runtime::PythonWorkerPool *python = ctx.python();
        if (!python) {
            ctx.finish(runtime::NodeResult::failure(
                QCoreApplication::translate("flowbench::nodes::CodeNode",
                                            "No Python worker is available."),
                kExecution));
            return;
        }
        m_python = python;
        Json params = {{"code", code}, {"inputs", inputs}};
        m_request = python->call(QStringLiteral("python3"), std::move(params), limit,
                                 [this, inputs, outputs](Result<Json> reply) {
                                     m_request = 0;
                                     Result<Json> ran = reply;
                                     if (reply) {
                                         const auto found = reply->find("result");
                                         ran = found != reply->end() ? *found : Json();
                                     }
                                     m_ctx->finish(conclude(std::move(ran), inputs, outputs));
                                 });
        return;
    }
    if (language == QLatin1String("javascript")) {
        const QString source = QString::fromStdString(code);
        std::shared_ptr<std::atomic<bool>> cancelled = m_cancelled;
        ctx.runInPool(
            [source, inputs, outputs, limit, cancelled] {
                try {
                    // A fresh engine per execution: Dify starts a new Node process each time.
                    JsRunner js;
                    return conclude(js.run(source, inputs, limit, cancelled.get()), inputs,
                                    outputs);
                } catch (const std::exception &e) {
                    runtime::NodeResult failed
                        = runtime::NodeResult::failure(QString::fromUtf8(e.what()), kExecution);
                    failed.inputs = inputs;
                    return failed;
                }
            },
            [this](runtime::NodeResult result) { m_ctx->finish(std::move(result)); });
        return;
    }
    runtime::NodeResult failed = runtime::NodeResult::failure(
        language.isEmpty() ? QCoreApplication::translate(
            "flowbench::nodes::CodeNode",
            "The code language is missing: use python3 or javascript.")
                           : QCoreApplication::translate("flowbench::nodes::CodeNode",
                                                         "Unsupported code language: %1")
                                 .arg(language),
        QStringLiteral("CodeNodeError"));
    failed.inputs = inputs;
    ctx.finish(std::move(failed));
}

} // namespace flowbench::nodes

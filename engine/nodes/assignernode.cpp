#include "assignernode.h"

#include "conditions.h"
#include "variables/value.h"

#include <QCoreApplication>

#include <tl/expected.hpp>

#include <cstdint>
#include <optional>

// Dify 1.12.1's VariableAssignerNode v1 and v2 (api/core/workflow/nodes/variable_assigner), with
// the boolean support of its helpers.

namespace flowbench::nodes {

using Json = nlohmann::json;

namespace {

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

const QString kErrorType = QStringLiteral("VariableOperatorNodeError");

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

QString selectorShown(const variables::Selector &selector)
{
    return selector.empty() ? QStringLiteral("[]") : qs(variables::selectorText(selector));
}

bool isNumberType(const std::string &type)
{
    return type == "integer" || type == "float";
}

bool isArrayType(const std::string &type)
{
    return type.rfind("array[", 0) == 0;
}

// Python's isinstance(value, int | float): booleans are ints.
bool isPythonNumber(const Json &value)
{
    return value.is_number() || value.is_boolean();
}

bool isDict(const Json &value)
{
    return value.is_object() && !variables::isFile(value);
}

// The zero value `clear` writes (SegmentType.get_zero_value).
std::optional<Json> zeroValue(const std::string &type)
{
    if (type == "string")
        return Json("");
    if (type == "integer")
        return Json(0);
    if (type == "float")
        return Json(0.0);
    if (type == "boolean")
        return Json(false);
    if (type == "object")
        return Json::object();
    if (isArrayType(type))
        return Json::array();
    return std::nullopt;
}

// ---- v2 rules (v2/helpers.py) --------------------------------------------------------------

bool isOperationSupported(const std::string &type, const std::string &op)
{
    if (op == "over-write" || op == "clear")
        return true;
    if (op == "set")
        return type == "object" || type == "string" || type == "boolean" || isNumberType(type);
    if (op == "+=" || op == "-=" || op == "*=" || op == "/=")
        return isNumberType(type);
    if (op == "append" || op == "extend" || op == "remove-first" || op == "remove-last")
        return isArrayType(type);
    return false;
}

bool isVariableInputSupported(const std::string &op)
{
    return op != "set" && op != "+=" && op != "-=" && op != "*=" && op != "/=";
}

bool isConstantInputSupported(const std::string &type, const std::string &op)
{
    if (type == "string" || type == "object" || type == "boolean")
        return op == "over-write" || op == "set";
    if (isNumberType(type)) {
        return op == "over-write" || op == "set" || op == "+=" || op == "-=" || op == "*="
               || op == "/=";
    }
    return false;
}

template<typename Pred>
bool allItems(const Json &value, Pred pred)
{
    if (!value.is_array())
        return false;
    for (const Json &item : value) {
        if (!pred(item))
            return false;
    }
    return true;
}

bool isAnyItem(const Json &item)
{
    return item.is_string() || isPythonNumber(item) || isDict(item);
}

bool isInputValueValid(const std::string &type, const std::string &op, const Json &value)
{
    if (op == "clear" || op == "remove-first" || op == "remove-last")
        return true;
    if (type == "string")
        return value.is_string();
    if (type == "boolean")
        return value.is_boolean();
    if (isNumberType(type))
        return isPythonNumber(value) && !(op == "/=" && !py::truthy(value));
    if (type == "object")
        return isDict(value);
    if (op == "append") {
        if (type == "array[any]")
            return isAnyItem(value);
        if (type == "array[string]")
            return value.is_string();
        if (type == "array[number]")
            return isPythonNumber(value);
        if (type == "array[object]")
            return isDict(value);
        if (type == "array[boolean]")
            return value.is_boolean();
        return false;
    }
    if (op == "extend" || op == "over-write") {
        if (type == "array[any]")
            return allItems(value, isAnyItem);
        if (type == "array[string]")
            return allItems(value, [](const Json &i) { return i.is_string(); });
        if (type == "array[number]")
            return allItems(value, isPythonNumber);
        if (type == "array[object]")
            return allItems(value, isDict);
        if (type == "array[boolean]")
            return allItems(value, [](const Json &i) { return i.is_boolean(); });
    }
    return false;
}

// ---- Python arithmetic ----------------------------------------------------------------------

bool isIntLike(const Json &value)
{
    return value.is_boolean() || value.is_number_integer();
}

std::int64_t asInt(const Json &value)
{
    if (value.is_boolean())
        return value.get<bool>() ? 1 : 0;
    if (value.is_number_unsigned())
        return static_cast<std::int64_t>(value.get<std::uint64_t>());
    return value.get<std::int64_t>();
}

double asDouble(const Json &value)
{
    if (value.is_boolean())
        return value.get<bool>() ? 1.0 : 0.0;
    return value.get<double>();
}

// a <op> b as Python computes it: ints stay ints (beyond 64 bits they become floats here),
// anything with a float is a float, and `/` always gives a float.
Json arithmetic(const Json &a, const Json &b, const std::string &op)
{
    const bool ints = isIntLike(a) && isIntLike(b)
                      && !(a.is_number_unsigned() && a.get<std::uint64_t>() > INT64_MAX)
                      && !(b.is_number_unsigned() && b.get<std::uint64_t>() > INT64_MAX);
    if (ints && op != "/=") {
        const std::int64_t x = asInt(a);
        const std::int64_t y = asInt(b);
        std::int64_t r = 0;
        bool overflow = false;
        if (op == "+=")
            overflow = __builtin_add_overflow(x, y, &r);
        else if (op == "-=")
            overflow = __builtin_sub_overflow(x, y, &r);
        else
            overflow = __builtin_mul_overflow(x, y, &r);
        if (!overflow)
            return r;
    }
    const double x = asDouble(a);
    const double y = asDouble(b);
    if (op == "+=")
        return x + y;
    if (op == "-=")
        return x - y;
    if (op == "*=")
        return x * y;
    return x / y;
}

// ---- Bookkeeping shared by v1 and v2 -------------------------------------------------------

struct Update
{
    variables::Selector selector;
    std::string valueType; // the target's type before the node touched it
};

runtime::NodeResult fail(QString message, Json inputs)
{
    runtime::NodeResult result = runtime::NodeResult::failure(std::move(message), kErrorType);
    result.inputs = std::move(inputs);
    return result;
}

// process_data as Dify reports it, and the writes for the engine.
runtime::NodeResult succeed(const std::vector<Update> &updates,
                            const variables::VariablePool &working, Json inputs,
                            std::vector<runtime::VariableWrite> &writes, bool withNames)
{
    runtime::NodeResult result;
    result.inputs = std::move(inputs);
    Json updated = Json::array();
    for (const Update &update : updates) {
        const Json *value = working.find(update.selector);
        const Json newValue = value ? *value : Json();
        if (withNames)
            result.processData[update.selector[1]] = newValue;
        updated.push_back({{"name", update.selector[1]},
                           {"selector", update.selector},
                           {"value_type", update.valueType},
                           {"new_value", newValue}});
        writes.push_back({update.selector, newValue});
    }
    result.processData["__updated_variables"] = std::move(updated);
    return result;
}

void recordUpdate(std::vector<Update> &updates, const variables::Selector &selector,
                  const std::string &type)
{
    for (const Update &update : updates) {
        if (update.selector == selector)
            return;
    }
    updates.push_back({selector, type});
}

// ---- v2 -------------------------------------------------------------------------------------

runtime::NodeResult runV2(const Json &data, const variables::VariablePool &pool,
                          std::vector<runtime::VariableWrite> &writes)
{
    // Later items read earlier items' results, but nothing reaches the engine unless every
    // item succeeds.
    variables::VariablePool working = pool;
    std::vector<Update> updates;
    const Json items = data.value("items", Json::array());
    if (!items.is_array())
        return fail(QCoreApplication::translate("flowbench::nodes::AssignerNode",
                                                "The items must be a list."),
                    data);

    for (const Json &item : items) {
        if (!item.is_object())
            return fail(QCoreApplication::translate("flowbench::nodes::AssignerNode",
                                                    "An item must be an object."),
                        data);
        const variables::Selector selector = toSelector(item.value("variable_selector", Json()));
        const std::string op = item.value("operation", std::string("over-write"));
        const std::string inputType = item.value("input_type", std::string("variable"));
        const Json *target = selector.size() == 2 ? working.find(selector) : nullptr;
        if (!target)
            return fail(QCoreApplication::translate("flowbench::nodes::AssignerNode",
                                                    "Variable %1 not found")
                            .arg(selectorShown(selector)),
                        data);
        // A Dify variable keeps its declared type however its value changes; the best stand-in
        // here is the type of its value when the node started.
        std::string type = variables::segmentType(*target);
        for (const Update &update : updates) {
            if (update.selector == selector)
                type = update.valueType;
        }

        if (!isOperationSupported(type, op)) {
            return fail(QCoreApplication::translate("flowbench::nodes::AssignerNode",
                                                    "Operation %1 is not supported for type %2")
                            .arg(qs(op), qs(type)),
                        data);
        }
        if (inputType == "variable" && !isVariableInputSupported(op)) {
            return fail(
                QCoreApplication::translate("flowbench::nodes::AssignerNode",
                                            "Input type variable is not supported for operation %1")
                    .arg(qs(op)),
                data);
        }
        if (inputType == "constant" && !isConstantInputSupported(type, op)) {
            return fail(
                QCoreApplication::translate("flowbench::nodes::AssignerNode",
                                            "Input type constant is not supported for operation %1")
                    .arg(qs(op)),
                data);
        }

        Json value = item.contains("value") ? item.at("value") : Json();
        if (inputType == "variable" && op != "clear" && op != "remove-first" && op != "remove-last"
            && !value.is_null()) {
            const variables::Selector source = toSelector(value);
            const Json *found = working.find(source);
            if (!found)
                return fail(QCoreApplication::translate("flowbench::nodes::AssignerNode",
                                                        "Variable %1 not found")
                                .arg(selectorShown(source)),
                            data);
            if (found->is_null())
                continue; // Dify skips an item whose input variable is None
            value = *found;
        }
        if (op == "set" && type == "object" && value.is_string()) {
            Json parsed = Json::parse(value.get<std::string>(), nullptr, false);
            if (parsed.is_discarded())
                return fail(QCoreApplication::translate("flowbench::nodes::AssignerNode",
                                                        "Invalid input value %1")
                                .arg(qs(variables::pythonStr(value))),
                            data);
            value = std::move(parsed);
        }
        if (!isInputValueValid(type, op, value))
            return fail(QCoreApplication::translate("flowbench::nodes::AssignerNode",
                                                    "Invalid input value %1")
                            .arg(qs(variables::pythonStr(value))),
                        data);

        Json updated;
        if (op == "over-write" || op == "set") {
            updated = value;
        } else if (op == "clear") {
            const auto zero = zeroValue(type);
            if (!zero) {
                return fail(QCoreApplication::translate("flowbench::nodes::AssignerNode",
                                                        "A variable of type %1 cannot be cleared")
                                .arg(qs(type)),
                            data);
            }
            updated = *zero;
        } else if (op == "append") {
            updated = *target;
            updated.push_back(value);
        } else if (op == "extend") {
            updated = *target;
            for (const Json &element : value)
                updated.push_back(element);
        } else if (op == "remove-first" || op == "remove-last") {
            updated = *target;
            if (!updated.empty()) {
                if (op == "remove-first")
                    updated.erase(updated.begin());
                else
                    updated.erase(updated.end() - 1);
            }
        } else {
            updated = arithmetic(*target, value, op);
        }
        recordUpdate(updates, selector, type);
        working.set(selector, std::move(updated));
    }
    return succeed(updates, working, data, writes, true);
}

// ---- v1 -------------------------------------------------------------------------------------

runtime::NodeResult runV1(const Json &data, const variables::VariablePool &pool,
                          std::vector<runtime::VariableWrite> &writes)
{
    const variables::Selector selector
        = toSelector(data.value("assigned_variable_selector", Json()));
    const Json *target = selector.size() == 2 ? pool.find(selector) : nullptr;
    if (!target) {
        return fail(QCoreApplication::translate("flowbench::nodes::AssignerNode",
                                                "assigned variable not found: %1")
                        .arg(selectorShown(selector)),
                    Json::object());
    }
    const std::string type = variables::segmentType(*target);
    const std::string mode = data.value("write_mode", std::string("over-write"));
    const variables::Selector source = toSelector(data.value("input_variable_selector", Json()));

    Json income;
    Json updated;
    if (mode == "clear") {
        const auto zero = zeroValue(type);
        if (!zero) {
            return fail(QCoreApplication::translate("flowbench::nodes::AssignerNode",
                                                    "A variable of type %1 cannot be cleared")
                            .arg(qs(type)),
                        Json::object());
        }
        income = *zero;
        updated = *zero;
    } else if (mode == "over-write" || mode == "append") {
        const Json *found = pool.find(source);
        if (!found) {
            return fail(QCoreApplication::translate("flowbench::nodes::AssignerNode",
                                                    "input value not found: %1")
                            .arg(selectorShown(source)),
                        Json::object());
        }
        income = *found;
        if (mode == "over-write") {
            updated = income;
        } else {
            if (!target->is_array()) {
                return fail(
                    QCoreApplication::translate("flowbench::nodes::AssignerNode",
                                                "Cannot append to %1: it is a %2, not an array")
                        .arg(selectorShown(selector), qs(type)),
                    Json::object());
            }
            updated = *target;
            updated.push_back(income);
        }
    } else {
        return fail(
            QCoreApplication::translate("flowbench::nodes::AssignerNode", "Unknown write mode '%1'")
                .arg(qs(mode)),
            Json::object());
    }

    variables::VariablePool working = pool;
    working.set(selector, std::move(updated));
    return succeed({{selector, type}}, working, Json{{"value", income}}, writes, false);
}

bool isVersion2(const Json &data)
{
    const auto version = data.find("version");
    if (version != data.end() && version->is_string())
        return version->get<std::string>() == "2";
    // Without a version, the shape tells which one it is.
    return data.contains("items") && !data.contains("assigned_variable_selector");
}

} // namespace

void AssignerNode::start(runtime::NodeContext &ctx)
{
    runtime::NodeResult result;
    std::vector<runtime::VariableWrite> writes;
    try {
        result = isVersion2(ctx.data()) ? runV2(ctx.data(), ctx.pool(), writes)
                                        : runV1(ctx.data(), ctx.pool(), writes);
    } catch (const Json::exception &e) {
        writes.clear();
        result = runtime::NodeResult::failure(
            QCoreApplication::translate("flowbench::nodes::AssignerNode", "Invalid node data: %1")
                .arg(QString::fromUtf8(e.what())),
            kErrorType);
    }
    if (result.status == runtime::NodeResult::Status::Succeeded && !writes.empty())
        ctx.writeVariables(std::move(writes));
    ctx.finish(std::move(result));
}

} // namespace flowbench::nodes

#include "listoperatornode.h"

#include "conditions.h"
#include "variables/template.h"
#include "variables/value.h"

#include <QCoreApplication>

#include <tl/expected.hpp>

#include <algorithm>
#include <functional>

// Dify's ListOperatorNode (api/core/workflow/nodes/list_operator/node.py) with Graphon's boolean
// arrays.

namespace flowbench::nodes {

using Json = nlohmann::json;

namespace {

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

QString shown(const Json &value)
{
    return qs(variables::pythonStr(value));
}

// Dify raises; the node fails with the message.
using Step = tl::expected<void, QString>;
tl::unexpected<QString> raise(QString message)
{
    return tl::unexpected<QString>(std::move(message));
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

const Json &member(const Json &object, const char *key)
{
    static const Json null;
    if (!object.is_object())
        return null;
    const auto it = object.find(key);
    return it != object.end() ? *it : null;
}

bool enabled(const Json &data, const char *stage)
{
    const Json &flag = member(member(data, stage), "enabled");
    return flag.is_boolean() && flag.get<bool>();
}

// ---- Predicates -----------------------------------------------------------------------------

using Predicate = std::function<tl::expected<bool, QString>(const Json &)>;

bool contains(const std::string &haystack, const std::string &needle)
{
    return haystack.find(needle) != std::string::npos;
}

// _get_string_filter_func; `in` tests whether the item is part of the value (for a string value,
// a substring of it, as Python's `in` does).
tl::expected<std::function<bool(const std::string &)>, QString> stringFilter(const std::string &op,
                                                                             const Json &value)
{
    const std::string text = value.is_string() ? value.get<std::string>() : std::string();
    const auto in = [value](const std::string &x) {
        if (value.is_string())
            return contains(value.get_ref<const std::string &>(), x);
        if (value.is_array()) {
            return std::any_of(value.begin(), value.end(), [&](const Json &v) {
                return v.is_string() && v.get<std::string>() == x;
            });
        }
        return false;
    };
    if (op == "contains")
        return [text](const std::string &x) { return contains(x, text); };
    if (op == "not contains")
        return [text](const std::string &x) { return !contains(x, text); };
    if (op == "start with")
        return [text](const std::string &x) { return x.rfind(text, 0) == 0; };
    if (op == "end with") {
        return [text](const std::string &x) {
            return x.size() >= text.size()
                   && x.compare(x.size() - text.size(), text.size(), text) == 0;
        };
    }
    if (op == "is")
        return [text](const std::string &x) { return x == text; };
    if (op == "is not")
        return [text](const std::string &x) { return x != text; };
    if (op == "in")
        return in;
    if (op == "not in")
        return [in](const std::string &x) { return !in(x); };
    if (op == "empty")
        return [](const std::string &x) { return x.empty(); };
    if (op == "not empty")
        return [](const std::string &x) { return !x.empty(); };
    return tl::unexpected<QString>(
        QCoreApplication::translate("flowbench::nodes::ListOperatorNode", "Invalid condition: %1")
            .arg(qs(op)));
}

// _get_number_filter_func: the item against float(value).
tl::expected<Predicate, QString> numberFilter(const std::string &op, double value)
{
    const Json expected = value;
    const auto test = [expected, op](const Json &x) -> tl::expected<bool, QString> {
        const auto c = py::compare(x, expected);
        if (op == "=")
            return c && *c == 0;
        if (op == "\xe2\x89\xa0") // ≠
            return !(c && *c == 0);
        if (!x.is_number() && !x.is_boolean()) {
            return tl::unexpected<QString>(
                QCoreApplication::translate("flowbench::nodes::ListOperatorNode",
                                            "cannot compare %1 with a number")
                    .arg(shown(x)));
        }
        if (!c)
            return false; // NaN
        if (op == "<")
            return *c < 0;
        if (op == "\xe2\x89\xa4") // ≤
            return *c <= 0;
        if (op == ">")
            return *c > 0;
        return *c >= 0; // ≥
    };
    if (op == "=" || op == "\xe2\x89\xa0" || op == "<" || op == "\xe2\x89\xa4" || op == ">"
        || op == "\xe2\x89\xa5") {
        return Predicate(test);
    }
    return tl::unexpected<QString>(
        QCoreApplication::translate("flowbench::nodes::ListOperatorNode", "Invalid condition: %1")
            .arg(qs(op)));
}

tl::expected<double, QString> pythonFloat(const std::string &text)
{
    if (const auto d = py::parseFloat(text))
        return *d;
    return tl::unexpected<QString>(
        QCoreApplication::translate("flowbench::nodes::ListOperatorNode",
                                    "could not convert string to float: '%1'")
            .arg(qs(text)));
}

// A file attribute as the list operator's extractors read it: missing strings become "".
Json fileAttribute(const Json &file, const std::string &key)
{
    const auto at = [&](const char *name) -> Json {
        if (!file.is_object())
            return Json();
        const auto it = file.find(name);
        return it != file.end() ? *it : Json();
    };
    Json value = at(key.c_str());
    if (value.is_null() && key == "name")
        value = at("filename");
    if (value.is_null() && key == "url")
        value = at("remote_url");
    if (key != "size" && !value.is_string())
        return value.is_null() ? Json("") : Json(variables::pythonStr(value));
    return value;
}

bool isStringKey(const std::string &key)
{
    return key == "name" || key == "type" || key == "extension" || key == "mime_type"
           || key == "transfer_method" || key == "url" || key == "related_id";
}

// _get_file_filter_func. Like Dify, the operator is only checked once there is a file to test.
tl::expected<Predicate, QString> fileFilter(const std::string &key, const std::string &op,
                                            const Json &value)
{
    if ((key == "name" || key == "extension" || key == "mime_type" || key == "url"
         || key == "related_id")
        && value.is_string()) {
        return Predicate([key, op, value](const Json &file) -> tl::expected<bool, QString> {
            const auto filter = stringFilter(op, value);
            if (!filter)
                return tl::unexpected<QString>(filter.error());
            return (*filter)(fileAttribute(file, key).get<std::string>());
        });
    }
    if (key == "type" || key == "transfer_method") {
        return Predicate([key, op, value](const Json &file) -> tl::expected<bool, QString> {
            if (op != "in" && op != "not in")
                return tl::unexpected<QString>(
                    QCoreApplication::translate("flowbench::nodes::ListOperatorNode",
                                                "Invalid condition: %1")
                        .arg(qs(op)));
            const auto filter = stringFilter(op, value);
            return (*filter)(fileAttribute(file, key).get<std::string>());
        });
    }
    if (key == "size" && value.is_string()) {
        return Predicate([op, value](const Json &file) -> tl::expected<bool, QString> {
            const auto expected = pythonFloat(value.get<std::string>());
            if (!expected)
                return tl::unexpected<QString>(expected.error());
            const auto filter = numberFilter(op, *expected);
            if (!filter)
                return tl::unexpected<QString>(filter.error());
            return (*filter)(fileAttribute(file, "size"));
        });
    }
    return tl::unexpected<QString>(
        QCoreApplication::translate("flowbench::nodes::ListOperatorNode", "Invalid key: %1")
            .arg(qs(key)));
}

// ---- Stages ---------------------------------------------------------------------------------

Step applyFilter(Json &list, const std::string &type, const Json &filterBy,
                 const variables::VariablePool &pool)
{
    const Json &conditions = member(filterBy, "conditions");
    if (!conditions.is_array())
        return {};
    for (const Json &condition : conditions) {
        const std::string op = member(condition, "comparison_operator").is_string()
                                   ? member(condition, "comparison_operator").get<std::string>()
                                   : std::string("contains");
        const std::string key = member(condition, "key").is_string()
                                    ? member(condition, "key").get<std::string>()
                                    : std::string();
        Json value = condition.is_object() && condition.contains("value") ? condition.at("value")
                                                                          : Json("");
        Predicate predicate;
        if (type == "array[string]" || type == "array[number]") {
            if (!value.is_string())
                return raise(QCoreApplication::translate("flowbench::nodes::ListOperatorNode",
                                                         "Invalid filter value: %1")
                                 .arg(shown(value)));
            const std::string rendered = variables::renderTemplate(value.get<std::string>(), pool,
                                                                   variables::Rendering::Text);
            if (type == "array[string]") {
                const auto filter = stringFilter(op, rendered);
                if (!filter)
                    return raise(filter.error());
                predicate = [f = *filter](const Json &x) -> tl::expected<bool, QString> {
                    if (!x.is_string())
                        return false;
                    return f(x.get<std::string>());
                };
            } else {
                const auto expected = pythonFloat(rendered);
                if (!expected)
                    return raise(expected.error());
                const auto filter = numberFilter(op, *expected);
                if (!filter)
                    return raise(filter.error());
                predicate = *filter;
            }
        } else if (type == "array[file]") {
            if (value.is_boolean()) {
                return raise(
                    QCoreApplication::translate("flowbench::nodes::ListOperatorNode",
                                                "File filter expects a string value, got %1")
                        .arg(qs(variables::userType(value))));
            }
            if (value.is_string()) {
                value = variables::renderTemplate(value.get<std::string>(), pool,
                                                  variables::Rendering::Text);
            }
            const auto filter = fileFilter(key, op, value);
            if (!filter)
                return raise(filter.error());
            predicate = *filter;
        } else { // array[boolean]
            if (!value.is_boolean()) {
                return raise(
                    QCoreApplication::translate("flowbench::nodes::ListOperatorNode",
                                                "Boolean filter expects a boolean value, got %1")
                        .arg(qs(variables::userType(value))));
            }
            if (op != "is" && op != "is not")
                return raise(QCoreApplication::translate("flowbench::nodes::ListOperatorNode",
                                                         "Invalid condition: %1")
                                 .arg(qs(op)));
            const bool negate = op == "is not";
            predicate = [value, negate](const Json &x) -> tl::expected<bool, QString> {
                return (x == value) != negate;
            };
        }
        Json kept = Json::array();
        for (const Json &item : list) {
            const auto keep = predicate(item);
            if (!keep)
                return raise(keep.error());
            if (*keep)
                kept.push_back(item);
        }
        list = std::move(kept);
    }
    return {};
}

Step applyExtract(Json &list, const Json &extractBy, const variables::VariablePool &pool)
{
    const Json &serialJson = member(extractBy, "serial");
    std::string serial = "1";
    if (serialJson.is_string())
        serial = serialJson.get<std::string>();
    else if (serialJson.is_number())
        serial = variables::pythonStr(serialJson);
    const std::string rendered
        = variables::renderTemplate(serial, pool, variables::Rendering::Text);
    const auto parsed = py::parseInt(rendered);
    if (!parsed || !parsed->is_number_integer())
        return raise(QCoreApplication::translate("flowbench::nodes::ListOperatorNode",
                                                 "invalid literal for int() with base 10: '%1'")
                         .arg(qs(rendered)));
    const auto index = parsed->get<std::int64_t>();
    if (index < 1)
        return raise(QCoreApplication::translate("flowbench::nodes::ListOperatorNode",
                                                 "Invalid serial index: must be >= 1, got %1")
                         .arg(index));
    if (index > static_cast<std::int64_t>(list.size())) {
        return raise(QCoreApplication::translate("flowbench::nodes::ListOperatorNode",
                                                 "Invalid serial index: must be <= %1, got %2")
                         .arg(static_cast<qlonglong>(list.size()))
                         .arg(index));
    }
    list = Json::array({list.at(static_cast<std::size_t>(index - 1))});
    return {};
}

// Python's sorted(..., reverse=desc): stable, and equal items keep their order either way.
Step applyOrder(Json &list, const std::string &type, const Json &orderBy)
{
    const bool desc = member(orderBy, "value") == "desc";
    std::vector<Json> keys;
    if (type == "array[file]") {
        const std::string key = member(orderBy, "key").is_string()
                                    ? member(orderBy, "key").get<std::string>()
                                    : std::string();
        if (!isStringKey(key) && key != "size")
            return raise(QCoreApplication::translate("flowbench::nodes::ListOperatorNode",
                                                     "Invalid order key: %1")
                             .arg(qs(key)));
        for (const Json &file : list) {
            keys.push_back(fileAttribute(file, key));
            if (key == "size" && !keys.back().is_number() && list.size() > 1)
                return raise(
                    QCoreApplication::translate("flowbench::nodes::ListOperatorNode",
                                                "Cannot order by size: a file has no size"));
        }
    } else {
        for (const Json &item : list)
            keys.push_back(item);
    }
    const auto less = [](const Json &a, const Json &b) {
        if (a.is_string() && b.is_string())
            return a.get_ref<const std::string &>() < b.get_ref<const std::string &>();
        const auto c = py::compare(a, b);
        return c && *c < 0;
    };
    std::vector<std::size_t> order(list.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return desc ? less(keys[b], keys[a]) : less(keys[a], keys[b]);
    });
    Json sorted = Json::array();
    for (std::size_t i : order)
        sorted.push_back(list.at(i));
    list = std::move(sorted);
    return {};
}

// variable.value[:size]
void applyLimit(Json &list, const Json &limit)
{
    const Json &sizeJson = member(limit, "size");
    std::int64_t size = -1;
    if (sizeJson.is_number_integer())
        size = sizeJson.get<std::int64_t>();
    else if (sizeJson.is_number_float())
        size = static_cast<std::int64_t>(sizeJson.get<double>());
    const auto length = static_cast<std::int64_t>(list.size());
    const std::int64_t end
        = size >= 0 ? std::min(size, length) : std::max<std::int64_t>(0, length + size);
    list.erase(list.begin() + end, list.end());
}

runtime::NodeResult run(const Json &data, const variables::VariablePool &pool)
{
    const variables::Selector selector = toSelector(member(data, "variable"));
    const Json *found = pool.find(selector);
    if (!found) {
        return runtime::NodeResult::failure(
            QCoreApplication::translate("flowbench::nodes::ListOperatorNode",
                                        "Variable not found for selector: %1")
                .arg(selector.empty() ? QStringLiteral("[]")
                                      : qs(variables::selectorText(selector))),
            QStringLiteral("ListOperatorError"));
    }

    runtime::NodeResult result;
    if (!py::truthy(*found)) {
        result.inputs = {{"variable", Json::array()}};
        result.processData = result.inputs;
        result.outputs
            = {{"result", Json::array()}, {"first_record", Json()}, {"last_record", Json()}};
        return result;
    }
    const std::string type = variables::segmentType(*found);
    if (type != "array[string]" && type != "array[number]" && type != "array[file]"
        && type != "array[boolean]") {
        return runtime::NodeResult::failure(
            QCoreApplication::translate(
                "flowbench::nodes::ListOperatorNode",
                "Variable %1 is not an array of strings, numbers, booleans or files, actual type: "
                "%2")
                .arg(qs(variables::selectorText(selector)), qs(type)),
            QStringLiteral("ListOperatorError"));
    }
    result.inputs = {{"variable", *found}};
    result.processData = result.inputs;

    Json list = *found;
    Step step;
    if (enabled(data, "filter_by"))
        step = applyFilter(list, type, member(data, "filter_by"), pool);
    if (step && enabled(data, "extract_by"))
        step = applyExtract(list, member(data, "extract_by"), pool);
    if (step && enabled(data, "order_by"))
        step = applyOrder(list, type, member(data, "order_by"));
    if (step && enabled(data, "limit"))
        applyLimit(list, member(data, "limit"));
    if (!step) {
        runtime::NodeResult failure
            = runtime::NodeResult::failure(step.error(), QStringLiteral("ListOperatorError"));
        failure.inputs = std::move(result.inputs);
        failure.processData = std::move(result.processData);
        return failure;
    }

    const Json first = list.empty() ? Json() : list.front();
    const Json last = list.empty() ? Json() : list.back();
    result.outputs = {{"result", std::move(list)}, {"first_record", first}, {"last_record", last}};
    return result;
}

} // namespace

void ListOperatorNode::start(runtime::NodeContext &ctx)
{
    runtime::NodeResult result;
    try {
        result = run(ctx.data(), ctx.pool());
    } catch (const Json::exception &e) {
        result = runtime::NodeResult::failure(
            QCoreApplication::translate("flowbench::nodes::ListOperatorNode",
                                        "Invalid node data: %1")
                .arg(QString::fromUtf8(e.what())),
            QStringLiteral("ListOperatorError"));
    }
    ctx.finish(std::move(result));
}

} // namespace flowbench::nodes

#include "startnode.h"

#include "conditions.h"
#include "runtime/pythonworker.h"
#include "variables/value.h"

#include <QCoreApplication>

#include <tl/expected.hpp>

namespace flowbench::nodes {

using Json = nlohmann::json;

namespace {

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

const QString kErrorType = QStringLiteral("ValueError");
constexpr int kSchemaTimeoutMs = 5000;

// Python's len() of a str: code points.
std::int64_t codePoints(const std::string &text)
{
    std::int64_t count = 0;
    for (const char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
            ++count;
    }
    return count;
}

std::string stripNul(const std::string &text)
{
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c != '\0')
            out += c;
    }
    return out;
}

std::string stringField(const Json &object, const char *key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// max_length when it is set (Dify ignores 0 and null).
std::int64_t maxLength(const Json &variable)
{
    const auto it = variable.find("max_length");
    if (it == variable.end() || !it->is_number())
        return 0;
    return it->is_number_float() ? static_cast<std::int64_t>(it->get<double>())
                                 : it->get<std::int64_t>();
}

bool boolField(const Json &object, const char *key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_boolean() && it->get<bool>();
}

bool isEmptyString(const Json &value)
{
    return value.is_string() && value.get_ref<const std::string &>().empty();
}

using Checked = tl::expected<Json, QString>;
tl::unexpected<QString> reject(QString message)
{
    return tl::unexpected<QString>(std::move(message));
}

// BaseAppGenerator._validate_inputs for one declared variable, then the Start node's own
// json_object check (minus the schema, which the caller sends to Python).
Checked validate(const Json &variable, const Json *input,
                 std::vector<StartNode::SchemaCheck> &checks)
{
    const std::string name = stringField(variable, "variable");
    const std::string type = stringField(variable, "type");
    const bool required = boolField(variable, "required");
    const QString qname = qs(name);

    Json value = input ? *input : Json();
    if (value.is_null() || (required && isEmptyString(value))) {
        const auto defaultIt = variable.find("default");
        const bool hasDefault = defaultIt != variable.end() && !defaultIt->is_null()
                                && !(required && isEmptyString(*defaultIt));
        if (!hasDefault) {
            if (required)
                return reject(QCoreApplication::translate("flowbench::nodes::StartNode",
                                                          "%1 is required in input form")
                                  .arg(qname));
            return Json();
        }
        value = *defaultIt;
    }

    // An empty string stands for "no file" in optional file inputs (the form's default).
    if ((type == "file" || type == "file-list") && !required && isEmptyString(value))
        return Json();

    if ((type == "text-input" || type == "paragraph" || type == "select") && !value.is_string()) {
        return reject(QCoreApplication::translate("flowbench::nodes::StartNode",
                                                  "(type '%1') %2 in input form must be a string")
                          .arg(qs(type), qname));
    }

    if (type == "number") {
        if (value.is_number() || value.is_boolean())
            return value;
        if (!value.is_string()) {
            return reject(QCoreApplication::translate("flowbench::nodes::StartNode",
                                                      "%1 in input form must be a number, not %2")
                              .arg(qname, qs(variables::userType(value))));
        }
        const std::string text = value.get<std::string>();
        if (text.find_first_not_of(" \t\n\r\f\v") == std::string::npos)
            return Json();
        if (text.find('.') != std::string::npos) {
            if (const auto d = py::parseFloat(text))
                return Json(*d);
        } else if (const auto i = py::parseInt(text)) {
            return *i;
        }
        return reject(QCoreApplication::translate("flowbench::nodes::StartNode",
                                                  "%1 in input form must be a valid number")
                          .arg(qname));
    }

    if (type == "select") {
        const auto options = variable.find("options");
        bool listed = false;
        if (options != variable.end() && options->is_array()) {
            for (const Json &option : *options)
                listed = listed || py::equals(option, value);
        }
        if (!listed) {
            const Json shownOptions
                = options != variable.end() && options->is_array() ? *options : Json::array();
            return reject(
                QCoreApplication::translate("flowbench::nodes::StartNode",
                                            "%1 in input form must be one of the following: %2")
                    .arg(qname, qs(variables::pythonStr(shownOptions))));
        }
    } else if (type == "text-input" || type == "paragraph") {
        const std::int64_t limit = maxLength(variable);
        if (limit > 0 && codePoints(value.get<std::string>()) > limit) {
            return reject(
                QCoreApplication::translate("flowbench::nodes::StartNode",
                                            "%1 in input form must be less than %2 characters")
                    .arg(qname)
                    .arg(limit));
        }
    } else if (type == "file") {
        if (!variables::isFile(value))
            return reject(QCoreApplication::translate("flowbench::nodes::StartNode",
                                                      "%1 in input form must be a file")
                              .arg(qname));
    } else if (type == "file-list") {
        bool files = value.is_array();
        if (files) {
            for (const Json &item : value)
                files = files && variables::isFile(item);
        }
        if (!files)
            return reject(QCoreApplication::translate("flowbench::nodes::StartNode",
                                                      "%1 in input form must be a list of files")
                              .arg(qname));
        const std::int64_t limit = maxLength(variable);
        if (limit > 0 && static_cast<std::int64_t>(value.size()) > limit) {
            return reject(QCoreApplication::translate("flowbench::nodes::StartNode",
                                                      "%1 in input form must be less than %2 files")
                              .arg(qname)
                              .arg(limit));
        }
    } else if (type == "checkbox") {
        if (value.is_string()) {
            const std::string &text = value.get_ref<const std::string &>();
            const auto first = text.find_first_not_of(" \t\n\r\f\v");
            const auto last = text.find_last_not_of(" \t\n\r\f\v");
            std::string lowered;
            if (first != std::string::npos) {
                for (const char c : text.substr(first, last - first + 1))
                    lowered += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
            }
            if (lowered == "true" || lowered == "1" || lowered == "yes" || lowered == "on")
                value = true;
            else if (lowered == "false" || lowered == "0" || lowered == "no" || lowered == "off")
                value = false;
        } else if (value.is_number()) {
            const auto c = py::compare(value, Json(1));
            const auto z = py::compare(value, Json(0));
            if (c && *c == 0)
                value = true;
            else if (z && *z == 0)
                value = false;
        }
    } else if (type == "json_object") {
        if (value.is_string() && !value.get_ref<const std::string &>().empty()) {
            Json parsed = Json::parse(value.get<std::string>(), nullptr, false);
            if (parsed.is_object())
                value = std::move(parsed);
        }
        // Dify checks only truthy values: "" and {} pass as they are.
        if (py::truthy(value) && (!value.is_object() || variables::isFile(value)))
            return reject(QCoreApplication::translate("flowbench::nodes::StartNode",
                                                      "%1 in input form must be a dict")
                              .arg(qname));
        const auto schemaIt = variable.find("json_schema");
        if (py::truthy(value) && schemaIt != variable.end() && py::truthy(*schemaIt)) {
            Json schema = *schemaIt;
            if (schema.is_string()) {
                schema = Json::parse(schemaIt->get<std::string>(), nullptr, false);
                if (schema.is_discarded()) {
                    return reject(
                        QCoreApplication::translate("flowbench::nodes::StartNode",
                                                    "The JSON schema of %1 is not valid JSON: %2")
                            .arg(qname, qs(schemaIt->get<std::string>())));
                }
            }
            checks.push_back({name, std::move(schema), value});
        }
    }

    if (value.is_string())
        return stripNul(value.get<std::string>());
    return value;
}

} // namespace

StartNode::StartNode()
    : m_alive(std::make_shared<bool>(true))
{}

StartNode::~StartNode()
{
    cancel();
}

void StartNode::start(runtime::NodeContext &ctx)
{
    m_context = &ctx;
    runtime::NodeResult result;
    try {
        const Json &data = ctx.data();
        const Json *inputs = ctx.pool().scope("__inputs__");
        const auto variables = data.find("variables");
        if (variables != data.end() && variables->is_array()) {
            for (const Json &variable : *variables) {
                if (!variable.is_object())
                    continue;
                const std::string name = stringField(variable, "variable");
                if (name.empty())
                    continue;
                const Json *input = nullptr;
                if (inputs && inputs->is_object()) {
                    const auto it = inputs->find(name);
                    if (it != inputs->end())
                        input = &*it;
                }
                const Checked checked = validate(variable, input, m_checks);
                if (!checked) {
                    finish(runtime::NodeResult::failure(checked.error(), kErrorType));
                    return;
                }
                result.outputs[name] = *checked;
            }
        }
        if (const Json *system = ctx.pool().scope("sys"); system && system->is_object()) {
            for (auto it = system->begin(); it != system->end(); ++it)
                result.outputs["sys." + it.key()] = it.value();
        }
    } catch (const Json::exception &e) {
        finish(runtime::NodeResult::failure(
            QCoreApplication::translate("flowbench::nodes::StartNode", "Invalid node data: %1")
                .arg(QString::fromUtf8(e.what())),
            kErrorType));
        return;
    }
    result.inputs = result.outputs;
    m_result = std::move(result);
    m_python = m_checks.empty() ? nullptr : ctx.python();
    checkNext();
}

void StartNode::checkNext()
{
    if (m_next >= m_checks.size()) {
        finish(std::move(m_result));
        return;
    }
    if (!m_python) {
        finish(runtime::NodeResult::failure(
            QCoreApplication::translate(
                "flowbench::nodes::StartNode",
                "JSON schemas cannot be checked: the Python worker is not available."),
            kErrorType));
        return;
    }
    const SchemaCheck &check = m_checks[m_next];
    const QString variable = qs(check.variable);
    const std::weak_ptr<bool> alive = m_alive;
    const quint64 generation = ++m_generation;
    m_waiting = true;
    const quint64 request = m_python->call(
        QStringLiteral("jsonschema"), Json{{"schema", check.schema}, {"instance", check.instance}},
        kSchemaTimeoutMs, [this, alive, variable](Result<Json> reply) {
            if (alive.expired() || !m_waiting)
                return;
            m_waiting = false;
            if (!reply) {
                finish(runtime::NodeResult::failure(
                    QCoreApplication::translate(
                        "flowbench::nodes::StartNode",
                        "JSON object for '%1' could not be checked against its schema: %2")
                        .arg(variable, reply.error().message),
                    kErrorType));
                return;
            }
            const auto valid = reply->find("valid");
            if (valid == reply->end() || !valid->is_boolean() || !valid->get<bool>()) {
                const auto errorIt = reply->find("error");
                const Json error = errorIt != reply->end() ? *errorIt : Json();
                finish(runtime::NodeResult::failure(
                    QCoreApplication::translate("flowbench::nodes::StartNode",
                                                "JSON object for '%1' does not match schema: %2")
                        .arg(variable, error.is_string() ? qs(error.get<std::string>())
                                                         : qs(variables::pythonStr(error))),
                    kErrorType));
                return;
            }
            ++m_next;
            checkNext();
        });
    // The reply may have come already (and started the next check); keep the live request's id.
    if (m_waiting && generation == m_generation)
        m_request = request;
}

void StartNode::finish(runtime::NodeResult result)
{
    runtime::NodeContext *context = m_context;
    m_context = nullptr;
    if (context)
        context->finish(std::move(result));
}

void StartNode::cancel()
{
    m_context = nullptr;
    if (m_waiting && m_python)
        m_python->cancel(m_request);
    m_waiting = false;
}

} // namespace flowbench::nodes

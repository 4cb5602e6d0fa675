#include "parameterextractornode.h"

#include "llm/chatclient.h"
#include "llm/endpoint.h"
#include "nodes/llmnodesupport.h"
#include "variables/template.h"

#include <QCoreApplication>
#include <QStringList>

#include <cmath>

namespace flowbench::nodes {

using Json = nlohmann::json;
using llmsupport::qs;
using llmsupport::str;

namespace {

const char kToolName[] = "extract_parameters";

struct Parameter
{
    std::string name;
    std::string type; // string | number | boolean | array[string|number|boolean|object]
    std::string description;
    bool required = false;
    Json options = Json::array(); // allowed strings (select)
};

std::string normalisedType(std::string type)
{
    if (type == "bool")
        return "boolean";
    if (type == "select" || type.empty())
        return "string";
    if (type == "integer")
        return "number";
    return type;
}

// "array[number]" → "number"; "" for scalar types.
std::string itemType(const std::string &type)
{
    if (type.rfind("array[", 0) == 0 && type.size() > 7 && type.back() == ']')
        return type.substr(6, type.size() - 7);
    return {};
}

Json typeSchema(const std::string &type)
{
    if (const std::string item = itemType(type); !item.empty())
        return Json{{"type", "array"}, {"items", {{"type", item}}}};
    if (type == "array")
        return Json{{"type", "array"}};
    return Json{{"type", type}};
}

// The JSON-schema object for the parameter list (the tool's `parameters`).
Json parametersSchema(const std::vector<Parameter> &parameters)
{
    Json properties = Json::object();
    Json required = Json::array();
    for (const Parameter &p : parameters) {
        Json prop = typeSchema(p.type);
        if (!p.description.empty())
            prop["description"] = p.description;
        if (p.type == "string" && !p.options.empty())
            prop["enum"] = p.options;
        properties[p.name] = std::move(prop);
        if (p.required)
            required.push_back(p.name);
    }
    return Json{{"type", "object"}, {"properties", properties}, {"required", required}};
}

std::optional<Json> toNumber(const Json &v)
{
    if (v.is_number())
        return v;
    if (!v.is_string())
        return std::nullopt;
    const QString text = qs(v.get<std::string>()).trimmed();
    bool ok = false;
    if (const qlonglong i = text.toLongLong(&ok); ok)
        return Json(static_cast<std::int64_t>(i));
    if (const double f = text.toDouble(&ok); ok && std::isfinite(f))
        return Json(f);
    return std::nullopt;
}

std::optional<Json> toBoolean(const Json &v)
{
    if (v.is_boolean())
        return v;
    if (v.is_number())
        return Json(v.get<double>() != 0);
    if (!v.is_string())
        return std::nullopt;
    const QString text = qs(v.get<std::string>()).trimmed().toLower();
    if (text == QLatin1String("true") || text == QLatin1String("yes") || text == QLatin1String("1"))
        return Json(true);
    if (text == QLatin1String("false") || text == QLatin1String("no") || text == QLatin1String("0"))
        return Json(false);
    return std::nullopt;
}

std::optional<Json> toScalar(const Json &v, const std::string &type)
{
    if (type == "string") {
        if (v.is_string())
            return v;
        if (v.is_number() || v.is_boolean())
            return Json(v.dump());
        return std::nullopt;
    }
    if (type == "number")
        return toNumber(v);
    if (type == "boolean")
        return toBoolean(v);
    if (type == "object")
        return v.is_object() ? std::optional<Json>(v) : std::nullopt;
    return v; // unknown types pass through
}

// The value converted to the parameter's type; nullopt when it cannot be.
std::optional<Json> convert(const Json &v, const std::string &type)
{
    if (type == "array")
        return v.is_array() ? std::optional<Json>(v) : std::nullopt;
    const std::string item = itemType(type);
    if (item.empty())
        return toScalar(v, type);
    Json list = v;
    if (v.is_string()) { // a JSON array written as text
        list = Json::parse(v.get<std::string>(), nullptr, false);
        if (list.is_discarded())
            return std::nullopt;
    }
    if (!list.is_array())
        return std::nullopt;
    Json out = Json::array();
    for (const Json &e : list) {
        auto converted = toScalar(e, item);
        if (!converted)
            return std::nullopt;
        out.push_back(std::move(*converted));
    }
    return out;
}

// Dify's defaults for a parameter the answer does not give.
Json defaultValue(const std::string &type)
{
    if (type == "number")
        return 0;
    if (type == "boolean")
        return false;
    if (type.rfind("array", 0) == 0)
        return Json::array();
    return "";
}

} // namespace

struct ParameterExtractorNode::Private
{
    runtime::NodeContext *ctx = nullptr;
    std::unique_ptr<llm::ChatClient> client;
    std::vector<Parameter> parameters;
    bool functionCall = false;
    Json inputs = Json::object();
    Json processData = Json::object();
    bool done = false;

    void fail(const QString &message, const QString &type)
    {
        if (done)
            return;
        done = true;
        ctx->finish(runtime::NodeResult::failure(message, type));
    }
    void finished(const llm::ChatResult &res);
};

ParameterExtractorNode::ParameterExtractorNode()
    : d(std::make_unique<Private>())
{}

ParameterExtractorNode::~ParameterExtractorNode()
{
    cancel();
}

void ParameterExtractorNode::cancel()
{
    d->done = true; // a cancelled client reports failed(Cancelled): the engine needs no finish
    if (d->client)
        d->client->cancel();
}

void ParameterExtractorNode::start(runtime::NodeContext &ctx)
{
    d->ctx = &ctx;
    try {
        const Json &data = ctx.data();
        const Result<QString> modelNameResolved = llmsupport::resolveModel(ctx);
        if (!modelNameResolved) {
            d->fail(modelNameResolved.error().message, modelNameResolved.error().code);
            return;
        }
        const QString modelName = *modelNameResolved;
        const Json model = data.value("model", Json::object());

        const Json list = data.value("parameters", Json::array());
        if (list.is_array()) {
            for (const Json &p : list) {
                if (!p.is_object() || str(p, "name").empty())
                    continue;
                Parameter parameter;
                parameter.name = str(p, "name");
                parameter.type = normalisedType(str(p, "type", "string"));
                parameter.description = str(p, "description");
                parameter.required = p.value("required", false) == true;
                if (p.contains("options") && p["options"].is_array())
                    for (const Json &o : p["options"])
                        if (o.is_string())
                            parameter.options.push_back(o);
                d->parameters.push_back(std::move(parameter));
            }
        }
        if (d->parameters.empty()) {
            d->fail(QCoreApplication::translate("flowbench::nodes::ParameterExtractorNode",
                                                "the node has no parameters"),
                    QStringLiteral("ValueError"));
            return;
        }

        const variables::VariablePool &pool = ctx.pool();
        const QString query = llmsupport::selectorText(data.value("query", Json()), pool);
        const QString instruction = qs(
            variables::renderTemplate(str(data, "instruction"), pool, variables::Rendering::Text));
        d->functionCall = str(data, "reasoning_mode", "prompt") == "function_call";

        auto images = llmsupport::visionImages(data, pool);
        if (!images) {
            d->fail(images.error().message, QStringLiteral("FileFetchError"));
            return;
        }

        const Json schema = parametersSchema(d->parameters);
        // The prompt is not translated: it is for the model, and Dify's is English.
        QString system;
        if (d->functionCall) {
            system = QStringLiteral(
                "You are a helpful assistant that extracts structured parameters from the "
                "user's text. Call the extract_parameters function with the parameters the text "
                "gives; leave out those it does not give.");
        } else {
            system = QStringLiteral(
                         "You are a helpful assistant that extracts structured parameters from the "
                         "user's text. Answer with one JSON object only, without any other text. "
                         "Its keys are the parameter names of this JSON schema; leave out the "
                         "parameters the text does not give:\n")
                     + qs(schema.dump());
        }
        if (!instruction.trimmed().isEmpty())
            system += QStringLiteral("\nInstructions: ") + instruction.trimmed();
        // Chatflow memory: the earlier turns as text, as Dify's extractor prompts have them.
        const QString histories
            = llmsupport::historyText(llmsupport::memoryConfig(ctx), ctx.conversationHistory());
        if (!histories.isEmpty())
            system += QStringLiteral("\n### Memory\nHere are the chat histories between human "
                                     "and assistant, inside <histories></histories> XML tags.\n"
                                     "<histories>\n")
                      + histories + QStringLiteral("\n</histories>");

        llm::ChatRequest request;
        request.model = modelName;
        request.stream = true;
        llmsupport::applyCompletionParams(model, request);
        request.messages.push_back(llm::Message::text(QStringLiteral("system"), system));
        request.messages.push_back(llm::Message::text(QStringLiteral("user"), query));
        const int imageCount = static_cast<int>(images->size());
        llmsupport::attachImages(request.messages, std::move(*images));
        if (d->functionCall) {
            request.tools = Json::array(
                {Json{{"type", "function"},
                      {"function",
                       {{"name", kToolName},
                        {"description", "Extract parameters from the natural language text"},
                        {"parameters", schema}}}}});
            request.toolChoice = Json{{"type", "function"}, {"function", {{"name", kToolName}}}};
        }

        d->inputs = Json{{"query", query.toStdString()},
                         {"model", modelName.toStdString()},
                         {"image_count", imageCount}};
        d->processData = Json{
            {"model_mode", "chat"},
            {"reasoning_mode", d->functionCall ? "function_call" : "prompt"},
            {"prompts", Json::array({Json{{"role", "system"}, {"text", system.toStdString()}},
                                     Json{{"role", "user"}, {"text", query.toStdString()}}})},
            {"schema", schema}};
        if (d->functionCall)
            d->processData["tools"] = request.tools;

        d->client = std::make_unique<llm::ChatClient>(ctx.network(), ctx.llmEndpoint()->config);
        llm::ChatClient *client = d->client.get();
        QObject::connect(client, &llm::ChatClient::finished, client,
                         [this](const llm::ChatResult &res) { d->finished(res); });
        QObject::connect(client, &llm::ChatClient::failed, client, [this](const llm::ChatError &e) {
            d->fail(
                QCoreApplication::translate("flowbench::nodes::ParameterExtractorNode", "%1 (%2)")
                    .arg(e.message, e.kindName()),
                QStringLiteral("LLMError"));
        });
        client->start(request);
    } catch (const std::exception &e) {
        d->fail(QString::fromUtf8(e.what()), QStringLiteral("NodeError"));
    }
}

void ParameterExtractorNode::Private::finished(const llm::ChatResult &res)
{
    if (done)
        return;
    try {
        // The answer: the forced tool call's arguments, else a JSON object in the text.
        std::optional<Json> answer;
        Json toolCall;
        if (functionCall) {
            const llm::ToolCall *call = nullptr;
            for (const llm::ToolCall &c : res.toolCalls)
                if (!call || c.name == QLatin1String(kToolName))
                    call = &c;
            if (call) {
                toolCall = Json{{"name", call->name.toStdString()},
                                {"arguments", call->arguments.toStdString()}};
                answer = llmsupport::findJsonObject(call->arguments);
            }
        }
        if (!answer)
            answer = llmsupport::findJsonObject(res.content);

        QString reason;
        Json values = Json::object();
        for (const Parameter &p : parameters) {
            const Json *given = nullptr;
            if (answer) {
                const auto it = answer->find(p.name);
                if (it != answer->end() && !it->is_null())
                    given = &*it;
            }
            if (!given) {
                if (p.required && answer && reason.isEmpty())
                    reason = QCoreApplication::translate("flowbench::nodes::ParameterExtractorNode",
                                                         "Parameter %1 is required")
                                 .arg(qs(p.name));
                values[p.name] = defaultValue(p.type);
                continue;
            }
            std::optional<Json> value = convert(*given, p.type);
            if (!value) {
                if (reason.isEmpty())
                    reason = QCoreApplication::translate("flowbench::nodes::ParameterExtractorNode",
                                                         "Invalid `%1` value for parameter %2")
                                 .arg(qs(p.type), qs(p.name));
                values[p.name] = defaultValue(p.type);
                continue;
            }
            if (p.type == "string" && !p.options.empty()
                && std::find(p.options.begin(), p.options.end(), *value) == p.options.end()) {
                if (reason.isEmpty())
                    reason = QCoreApplication::translate("flowbench::nodes::ParameterExtractorNode",
                                                         "Invalid `select` value for parameter %1")
                                 .arg(qs(p.name));
            }
            values[p.name] = std::move(*value);
        }
        if (!answer)
            reason = QCoreApplication::translate(
                "flowbench::nodes::ParameterExtractorNode",
                "Failed to extract result from function call or text response");

        runtime::NodeResult r;
        r.inputs = inputs;
        const Json usage = res.usage.toJson(res.latencyMs, res.timeToFirstTokenMs);
        r.outputs = values;
        r.outputs["__is_success"] = reason.isEmpty() ? 1 : 0;
        r.outputs["__reason"] = reason.isEmpty() ? Json() : Json(reason.toStdString());
        r.outputs["__usage"] = usage;
        r.usage = usage;
        r.processData = processData;
        r.processData["raw_reply"] = res.content.toStdString();
        r.processData["tool_call"] = toolCall;
        r.processData["result"] = values;
        r.processData["finish_reason"] = res.finishReason.toStdString();
        r.processData["usage"] = usage;
        r.metadata
            = Json{{"model", res.model.toStdString()},
                   {"time_to_first_token_ms", res.timeToFirstTokenMs},
                   {"latency_ms", res.latencyMs},
                   {"endpoint", ctx->llmEndpoint()->config.baseUrl.toString().toStdString()}};
        done = true;
        ctx->finish(std::move(r));
    } catch (const std::exception &e) {
        fail(QString::fromUtf8(e.what()), QStringLiteral("NodeError"));
    }
}

} // namespace flowbench::nodes

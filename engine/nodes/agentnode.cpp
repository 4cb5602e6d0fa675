#include "agentnode.h"

#include "builtintools.h"
#include "toolparams.h"

#include "llm/chatclient.h"
#include "llm/endpoint.h"
#include "nodes/llmnodesupport.h"
#include "variables/template.h"
#include "variables/value.h"

#include <QCoreApplication>
#include <QNetworkReply>
#include <QPointer>
#include <QRegularExpression>

#include <deque>

namespace flowbench::nodes {

using Json = nlohmann::json;
using llmsupport::qs;
using llmsupport::str;

namespace {

// A {type, value} input (toolparams.h): `variable` from the pool, strings through the text
// rendering, other constants (the model object, the tool list) as they are.
Json inputValue(const Json &entry, const variables::VariablePool &pool)
{
    const toolparams::Input input = toolparams::splitInput(entry);
    if (input.type == "variable") {
        const variables::Selector selector = toolparams::toSelector(input.value);
        const Json *found = selector.size() >= 2 ? pool.find(selector) : nullptr;
        return found ? *found : Json();
    }
    if (input.value.is_string())
        return toolparams::renderText(input.value, pool);
    return input.value;
}

struct AgentTool
{
    const BuiltinTool *tool = nullptr;
    Json fixed = Json::object(); // settings and parameters the user set (not left to the model)
    QString description;
};

struct PendingCall
{
    QString id; // empty for a ReAct action
    QString name;
    QString arguments;
};

// ReAct: "Action: name" then "Action Input: {json}" in a reply (line breaks optional), or
// Dify's chain-of-thought blob "Action: {"action": name, "action_input": {...}}". A "Final
// Answer" action is no tool call.
bool parseReAct(const QString &text, PendingCall &call)
{
    static const QRegularExpression action(QStringLiteral("Action:\\s*`*\\s*([A-Za-z0-9_.\\-]+)"));
    static const QRegularExpression input(QStringLiteral("Action Input:\\s*"));
    const qsizetype at = text.indexOf(QLatin1String("Action:"));
    if (at < 0)
        return false;
    const QString rest = text.mid(at + 7);
    if (rest.trimmed().startsWith(QLatin1String("Final Answer"), Qt::CaseInsensitive))
        return false;
    if (const auto blob = llmsupport::findJsonObject(rest);
        blob && blob->is_object() && blob->contains("action") && blob->at("action").is_string()) {
        call.name = qs(blob->at("action").get<std::string>());
        const Json arguments = blob->value("action_input", Json::object());
        call.arguments
            = arguments.is_string() ? qs(arguments.get<std::string>()) : qs(arguments.dump());
    } else {
        const QRegularExpressionMatch a = action.match(text, at);
        if (!a.hasMatch())
            return false;
        call.name = a.captured(1);
        const QRegularExpressionMatch i = input.match(text, a.capturedEnd());
        const QString after = i.hasMatch() ? text.mid(i.capturedEnd()) : QString();
        const auto object = llmsupport::findJsonObject(after);
        call.arguments = object ? qs(object->dump()) : QString();
    }
    return !call.name.isEmpty()
           && !call.name.startsWith(QLatin1String("Final Answer"), Qt::CaseInsensitive);
}

} // namespace

struct AgentNode::Private
{
    runtime::NodeContext *ctx = nullptr;
    std::unique_ptr<llm::ChatClient> client;
    std::unique_ptr<QObject> guard; // context of tool network callbacks
    QPointer<QNetworkReply> reply;
    llm::ChatRequest request;
    std::vector<AgentTool> tools;
    std::deque<PendingCall> pending;
    int maxIterations = 5;
    int iteration = 0;
    llm::Usage usage;
    qint64 latencyMs = 0;
    Json trace = Json::array();
    Json inputs = Json::object();
    QString lastText;
    bool done = false;

    void fail(const QString &message, const QString &type)
    {
        if (done)
            return;
        done = true;
        runtime::NodeResult r = runtime::NodeResult::failure(message, type);
        r.inputs = inputs;
        r.processData = Json{{"steps", trace}};
        ctx->finish(std::move(r));
    }
    void succeed(const QString &text, const QString &note);
    void callModel();
    void onResponse(const llm::ChatResult &result);
    void runNext();
    void onToolResult(const PendingCall &call, const Json &arguments, const ToolResult &result);
    const AgentTool *findTool(const QString &name) const
    {
        for (const AgentTool &t : tools)
            if (t.tool->name == name)
                return &t;
        return nullptr;
    }
};

AgentNode::AgentNode()
    : d(std::make_unique<Private>())
{}

AgentNode::~AgentNode()
{
    cancel();
}

void AgentNode::cancel()
{
    d->done = true; // nothing may end the node after a stop (finish() is not needed)
    d->guard.reset();
    if (QNetworkReply *reply = d->reply) {
        reply->abort();
        reply->deleteLater();
    }
    d->reply.clear();
    if (d->client)
        d->client->cancel();
}

void AgentNode::start(runtime::NodeContext &ctx)
{
    d->ctx = &ctx;
    try {
        const Json &data = ctx.data();
        const Json params = data.value("agent_parameters", Json::object());
        const auto param = [&](const char *name) -> Json {
            if (!params.is_object() || !params.contains(name))
                return Json();
            return inputValue(params.at(name), ctx.pool());
        };

        const llm::LlmEndpoint *endpoint = ctx.llmEndpoint();
        if (!endpoint) {
            d->fail(QCoreApplication::translate(
                        "flowbench::nodes::AgentNode",
                        "no LLM endpoint for this run: choose an endpoint profile, or run "
                        "`flowbench run FILE --endpoint URL` (try `flowbench simulate` for a "
                        "local one)"),
                    QStringLiteral("NoEndpointError"));
            return;
        }
        Json model = param("model");
        if (!model.is_object())
            model = data.value("model", Json::object());
        if (!model.is_object())
            model = Json::object();
        const QString modelName = endpoint->resolveModel(
            qs(str(model, "provider")), qs(str(model, "model", str(model, "name"))));
        if (modelName.isEmpty()) {
            d->fail(QCoreApplication::translate(
                        "flowbench::nodes::AgentNode",
                        "the agent has no model and the endpoint no default model"),
                    QStringLiteral("ModelNotFoundError"));
            return;
        }

        const Json maxIter = param("maximum_iterations");
        if (maxIter.is_number())
            d->maxIterations = maxIter.get<int>();
        else if (maxIter.is_string())
            d->maxIterations = qs(maxIter.get<std::string>()).toInt();
        if (d->maxIterations < 1)
            d->maxIterations = 5;

        // Tools: built-in ones only.
        Json functions = Json::array();
        const Json toolList
            = params.is_object() && params.contains("tools") && params["tools"].is_object()
                  ? params["tools"].value("value", Json::array())
                  : Json::array();
        if (toolList.is_array()) {
            for (const Json &entry : toolList) {
                if (!entry.is_object() || entry.value("enabled", true) == false)
                    continue;
                const QString providerName = qs(str(entry, "provider_name"));
                const QString toolName = qs(str(entry, "tool_name"));
                const BuiltinTool *tool
                    = findBuiltinTool(qs(str(entry, "provider_id")),
                                      qs(str(entry, "provider_type")), providerName, toolName);
                if (!tool) {
                    d->fail(QCoreApplication::translate(
                                "flowbench::nodes::AgentNode",
                                "The agent's tool \"%1\" of provider \"%2\" is not built into "
                                "Flowbench. Only built-in tools can be offered to the model.")
                                .arg(toolName, providerName),
                            QStringLiteral("AgentNodeError"));
                    return;
                }
                AgentTool agentTool;
                agentTool.tool = tool;
                const Json settings = entry.value("settings", Json::object());
                if (settings.is_object())
                    for (auto it = settings.begin(); it != settings.end(); ++it) {
                        const Json v
                            = it->is_object() && it->contains("value") ? it->at("value") : *it;
                        if (!v.is_null())
                            agentTool.fixed[it.key()] = inputValue(v, ctx.pool());
                    }
                const Json parameters = entry.value("parameters", Json::object());
                if (parameters.is_object())
                    for (auto it = parameters.begin(); it != parameters.end(); ++it) {
                        if (!it->is_object() || it->value("auto", 1) != 0)
                            continue;
                        const Json v = it->value("value", Json());
                        if (!v.is_null())
                            agentTool.fixed[it.key()] = inputValue(v, ctx.pool());
                    }
                const Json extra = entry.value("extra", Json::object());
                agentTool.description = qs(str(extra, "description"));
                if (agentTool.description.isEmpty())
                    agentTool.description
                        = QStringLiteral("%1 / %2").arg(tool->provider, tool->name);
                Json properties = Json::object();
                Json required = Json::array();
                for (const QString &p : tool->parameters) {
                    if (agentTool.fixed.contains(p.toStdString()))
                        continue;
                    properties[p.toStdString()]
                        = {{"type", "string"}, {"description", p.toStdString()}};
                    if (tool->required.contains(p))
                        required.push_back(p.toStdString());
                }
                functions.push_back({{"type", "function"},
                                     {"function",
                                      {{"name", tool->name.toStdString()},
                                       {"description", agentTool.description.toStdString()},
                                       {"parameters",
                                        {{"type", "object"},
                                         {"properties", properties},
                                         {"required", required}}}}}});
                d->tools.push_back(std::move(agentTool));
            }
        }

        const auto text = [](const Json &v) {
            return v.is_string() ? qs(v.get<std::string>())
                                 : (v.is_null() ? QString() : qs(variables::renderText(v)));
        };
        const QString instruction = text(param("instruction"));
        const QString query = text(param("query"));
        llm::ChatRequest &r = d->request;
        r.model = modelName;
        r.stream = true;
        llmsupport::applyCompletionParams(model, r);
        if (!instruction.isEmpty())
            r.messages.push_back(llm::Message::text(QStringLiteral("system"), instruction));
        // Chatflow memory: the earlier turns between the instruction and the query, as Dify's
        // agent strategies put history_prompt_messages.
        for (llm::Message &m :
             llmsupport::historyMessages(llmsupport::memoryConfig(ctx), ctx.conversationHistory()))
            r.messages.push_back(std::move(m));
        r.messages.push_back(llm::Message::text(QStringLiteral("user"), query));
        if (!functions.empty()) {
            r.tools = functions;
            r.toolChoice = "auto";
        }
        d->inputs = Json{{"model", modelName.toStdString()},
                         {"instruction", instruction.toStdString()},
                         {"query", query.toStdString()},
                         {"tools", functions},
                         {"maximum_iterations", d->maxIterations}};
        d->callModel();
    } catch (const std::exception &e) {
        d->fail(QCoreApplication::translate("flowbench::nodes::AgentNode", "Agent node failed: %1")
                    .arg(QString::fromUtf8(e.what())),
                QStringLiteral("AgentNodeError"));
    }
}

void AgentNode::Private::callModel()
{
    ++iteration;
    if (client) // called from its own finished(): delete it later
        client.release()->deleteLater();
    client = std::make_unique<llm::ChatClient>(ctx->network(), ctx->llmEndpoint()->config);
    llm::ChatClient *c = client.get();
    QObject::connect(c, &llm::ChatClient::finished, c, [this](const llm::ChatResult &result) {
        try {
            onResponse(result);
        } catch (const std::exception &e) {
            fail(QCoreApplication::translate("flowbench::nodes::AgentNode", "Agent node failed: %1")
                     .arg(QString::fromUtf8(e.what())),
                 QStringLiteral("AgentNodeError"));
        }
    });
    QObject::connect(c, &llm::ChatClient::failed, c, [this](const llm::ChatError &e) {
        fail(QCoreApplication::translate("flowbench::nodes::AgentNode", "%1 (%2)")
                 .arg(e.message, e.kindName()),
             QStringLiteral("LLMError"));
    });
    client->start(request);
}

void AgentNode::Private::onResponse(const llm::ChatResult &result)
{
    if (done)
        return;
    usage.promptTokens += result.usage.promptTokens;
    usage.completionTokens += result.usage.completionTokens;
    usage.totalTokens += result.usage.totalTokens;
    usage.reasoningTokens += result.usage.reasoningTokens;
    usage.cachedTokens += result.usage.cachedTokens;
    usage.present = usage.present || result.usage.present;
    latencyMs += result.latencyMs;
    lastText = result.content;

    PendingCall react;
    const bool hasCalls = !result.toolCalls.empty();
    const bool isReAct = !hasCalls && !tools.empty() && parseReAct(result.content, react);
    if (!hasCalls && !isReAct) {
        succeed(result.content, QString());
        return;
    }
    if (iteration >= maxIterations) {
        succeed(lastText,
                QCoreApplication::translate("flowbench::nodes::AgentNode",
                                            "stopped after the maximum of %1 iteration(s) with "
                                            "tool calls still pending")
                    .arg(maxIterations));
        return;
    }
    llm::Message assistant = llm::Message::text(QStringLiteral("assistant"), result.content);
    if (hasCalls) {
        assistant.toolCalls = result.toolCalls;
        for (const llm::ToolCall &call : result.toolCalls)
            pending.push_back({call.id, call.name, call.arguments});
    } else {
        pending.push_back(react);
    }
    request.messages.push_back(std::move(assistant));
    runNext();
}

void AgentNode::Private::runNext()
{
    if (done)
        return;
    if (pending.empty()) {
        callModel();
        return;
    }
    const PendingCall call = pending.front();
    pending.pop_front();
    const AgentTool *agentTool = findTool(call.name);
    Json arguments = Json::object();
    if (!call.arguments.trimmed().isEmpty()) {
        try {
            arguments = Json::parse(call.arguments.toStdString());
        } catch (const std::exception &) {
            arguments = Json::object();
        }
    }
    if (!arguments.is_object())
        arguments = Json::object();
    if (!agentTool) {
        onToolResult(call, arguments,
                     ToolResult::failure(QCoreApplication::translate("flowbench::nodes::AgentNode",
                                                                     "there is no tool named %1")
                                             .arg(call.name)));
        return;
    }
    Json parameters = agentTool->fixed;
    for (auto it = arguments.begin(); it != arguments.end(); ++it)
        parameters[it.key()] = it.value();
    if (agentTool->tool->network) {
        if (guard) // may be the context of the callback running now
            guard.release()->deleteLater();
        guard = std::make_unique<QObject>();
        reply = fetchUrl(parameters, ctx->network(), guard.get(),
                         [this, call, parameters](ToolResult result) {
                             reply.clear();
                             onToolResult(call, parameters, result);
                         });
        return;
    }
    onToolResult(call, parameters, agentTool->tool->invoke(parameters));
}

void AgentNode::Private::onToolResult(const PendingCall &call, const Json &arguments,
                                      const ToolResult &result)
{
    if (done)
        return;
    QString output;
    if (!result.ok)
        output = QStringLiteral("Error: ") + result.error;
    else if (!result.text.isEmpty())
        output = result.text;
    else
        output = qs(result.json.dump());
    trace.push_back(Json{{"iteration", iteration},
                         {"tool", call.name.toStdString()},
                         {"tool_call_id", call.id.toStdString()},
                         {"input", arguments},
                         {"output", output.toStdString()},
                         {"ok", result.ok}});
    if (call.id.isEmpty()) { // ReAct
        request.messages.push_back(
            llm::Message::text(QStringLiteral("user"), QStringLiteral("Observation: ") + output));
    } else {
        llm::Message message = llm::Message::text(QStringLiteral("tool"), output);
        message.toolCallId = call.id;
        message.name = call.name;
        request.messages.push_back(std::move(message));
    }
    runNext();
}

void AgentNode::Private::succeed(const QString &text, const QString &note)
{
    done = true;
    const QStringList selector{ctx->nodeId(), QStringLiteral("text")};
    if (!text.isEmpty())
        ctx->emitChunk(selector, text, false);
    ctx->emitChunk(selector, QString(), true);
    runtime::NodeResult r;
    r.inputs = inputs;
    const Json usageJson = usage.toJson(latencyMs);
    r.outputs["text"] = text.toStdString();
    r.outputs["usage"] = usageJson;
    r.outputs["files"] = Json::array();
    r.outputs["json"] = Json::array();
    r.usage = usageJson;
    r.processData = Json{{"strategy", "function_calling"},
                         {"iterations", iteration},
                         {"maximum_iterations", maxIterations},
                         {"steps", trace}};
    if (!note.isEmpty())
        r.processData["note"] = note.toStdString();
    r.metadata = Json{{"endpoint", ctx->llmEndpoint()->config.baseUrl.toString().toStdString()},
                      {"latency_ms", latencyMs}};
    ctx->finish(std::move(r));
}

} // namespace flowbench::nodes

#include "toolnode.h"

#include "builtintools.h"
#include "toolparams.h"

#include "variables/template.h"
#include "variables/value.h"

#include <QCoreApplication>
#include <QNetworkReply>
#include <QObject>

namespace flowbench::nodes {

namespace {

QString stringMember(const Json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get<std::string>());
}

runtime::NodeResult toNodeResult(ToolResult tool, Json inputs, Json processData)
{
    if (!tool.ok) {
        runtime::NodeResult r
            = runtime::NodeResult::failure(std::move(tool.error), QStringLiteral("ToolNodeError"));
        r.inputs = std::move(inputs);
        r.processData = std::move(processData);
        return r;
    }
    runtime::NodeResult r;
    r.inputs = std::move(inputs);
    r.processData = std::move(processData);
    for (auto it = tool.variables.begin(); it != tool.variables.end(); ++it)
        r.outputs[it.key()] = it.value();
    r.outputs["text"] = tool.text.toStdString();
    r.outputs["files"] = Json::array();
    r.outputs["json"] = std::move(tool.json);
    return r;
}

// As the LLM node streams: the text, then an empty final chunk.
void streamText(runtime::NodeContext &ctx, const QString &text)
{
    if (text.isEmpty())
        return;
    const QStringList selector{ctx.nodeId(), QStringLiteral("text")};
    ctx.emitChunk(selector, text, false);
    ctx.emitChunk(selector, QString(), true);
}

} // namespace

ToolNode::ToolNode() = default;

ToolNode::~ToolNode()
{
    cancel();
}

void ToolNode::cancel()
{
    m_guard.reset(); // drops the reply's connections first, so no callback follows
    if (QNetworkReply *reply = m_reply) {
        reply->abort();
        reply->deleteLater();
    }
    m_reply.clear();
}

void ToolNode::start(runtime::NodeContext &ctx)
{
    runtime::NodeResult failed;
    try {
        const Json &data = ctx.data();
        const QString providerId = stringMember(data, "provider_id");
        const QString providerType = stringMember(data, "provider_type");
        const QString providerName = stringMember(data, "provider_name");
        const QString toolName = stringMember(data, "tool_name");
        const BuiltinTool *tool = findBuiltinTool(providerId, providerType, providerName, toolName);
        Json processData = {{"provider_id", providerId.toStdString()},
                            {"provider_type", providerType.toStdString()},
                            {"provider_name", providerName.toStdString()},
                            {"tool_name", toolName.toStdString()}};
        if (!tool) {
            const QString provider = providerName.isEmpty() ? providerId : providerName;
            runtime::NodeResult r = runtime::NodeResult::failure(
                QCoreApplication::translate(
                    "flowbench::nodes::ToolNode",
                    "The tool \"%1\" of provider \"%2\" (%3) is not built into Flowbench. Pin "
                    "this node's output to run the rest of the workflow.")
                    .arg(toolName, provider,
                         providerType.isEmpty() ? QStringLiteral("builtin") : providerType),
                QStringLiteral("ToolNodeError"));
            r.processData = std::move(processData);
            ctx.finish(std::move(r));
            return;
        }

        Json parameters = Json::object();
        const auto configurations = data.find("tool_configurations");
        if (configurations != data.end() && configurations->is_object()) {
            for (auto it = configurations->begin(); it != configurations->end(); ++it) {
                const Json &entry = it.value();
                const Json value
                    = (entry.is_object() && entry.contains("value")) ? entry.at("value") : entry;
                if (!value.is_null())
                    parameters[it.key()] = value;
            }
        }
        const auto inputs = data.find("tool_parameters");
        if (inputs != data.end() && inputs->is_object()) {
            for (auto it = inputs->begin(); it != inputs->end(); ++it) {
                const QString name = QString::fromStdString(it.key());
                const auto [type, value] = toolparams::splitInput(it.value());
                if (value.is_null())
                    continue;
                if (type == "variable") {
                    const variables::Selector selector = toolparams::toSelector(value);
                    const Json *found = selector.size() >= 2 ? ctx.pool().find(selector) : nullptr;
                    if (!found || found->is_null()) {
                        if (!tool->required.contains(name))
                            continue;
                        runtime::NodeResult r = runtime::NodeResult::failure(
                            QCoreApplication::translate(
                                "flowbench::nodes::ToolNode",
                                "Variable %1 does not exist (parameter \"%2\" of tool %3)")
                                .arg(QString::fromStdString(variables::selectorText(selector)),
                                     name, toolName),
                            QStringLiteral("ToolParameterError"));
                        r.processData = std::move(processData);
                        ctx.finish(std::move(r));
                        return;
                    }
                    parameters[it.key()] = *found;
                } else {
                    // mixed and constant alike: str(value), then the text rendering.
                    parameters[it.key()] = toolparams::renderText(value, ctx.pool());
                }
            }
        }
        for (const QString &name : tool->required) {
            const auto it = parameters.find(name.toStdString());
            if (it == parameters.end() || (it->is_string() && it->get<std::string>().empty())) {
                runtime::NodeResult r = runtime::NodeResult::failure(
                    QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                "The tool %1 needs the parameter \"%2\"")
                        .arg(toolName, name),
                    QStringLiteral("ToolParameterError"));
                r.inputs = parameters;
                r.processData = std::move(processData);
                ctx.finish(std::move(r));
                return;
            }
        }

        if (tool->network) {
            m_guard = std::make_unique<QObject>();
            runtime::NodeContext *context = &ctx;
            m_reply = fetchUrl(parameters, ctx.network(), m_guard.get(),
                               [this, context, parameters, processData](ToolResult result) {
                                   m_reply.clear();
                                   runtime::NodeResult r
                                       = toNodeResult(std::move(result), parameters, processData);
                                   if (r.status == runtime::NodeResult::Status::Succeeded) {
                                       const QString text = QString::fromStdString(
                                           r.outputs["text"].get<std::string>());
                                       streamText(*context, text);
                                   }
                                   context->finish(std::move(r));
                               });
            return;
        }
        runtime::NodeResult r = toNodeResult(tool->invoke(parameters), parameters, processData);
        if (r.status == runtime::NodeResult::Status::Succeeded) {
            const QString text = QString::fromStdString(r.outputs["text"].get<std::string>());
            streamText(ctx, text);
        }
        ctx.finish(std::move(r));
        return;
    } catch (const std::exception &e) {
        failed = runtime::NodeResult::failure(
            QCoreApplication::translate("flowbench::nodes::ToolNode", "Tool node failed: %1")
                .arg(QString::fromUtf8(e.what())),
            QStringLiteral("ToolNodeError"));
    }
    ctx.finish(std::move(failed));
}

} // namespace flowbench::nodes

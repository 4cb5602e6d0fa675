#include "templatetransformnode.h"

#include "codenode.h"

#include <QCoreApplication>

namespace flowbench::nodes {

namespace {

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

std::size_t codePoints(const std::string &text)
{
    std::size_t count = 0;
    for (const char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
            ++count;
    }
    return count;
}

} // namespace

TemplateTransformNode::~TemplateTransformNode()
{
    cancel();
}

void TemplateTransformNode::cancel()
{
    if (m_request && m_python)
        m_python->cancel(m_request);
    m_request = 0;
}

void TemplateTransformNode::start(runtime::NodeContext &ctx)
{
    m_ctx = &ctx;
    Json inputs = Json::object();
    std::string source;
    try {
        const Json &data = ctx.data();
        const auto variables = data.find("variables");
        if (variables != data.end() && variables->is_array()) {
            for (const Json &entry : *variables) {
                if (!entry.is_object())
                    continue;
                const auto name = entry.find("variable");
                if (name == entry.end() || !name->is_string() || name->get<std::string>().empty())
                    continue;
                const auto selector = entry.find("value_selector");
                const Json *value
                    = selector != entry.end() ? ctx.pool().find(toSelector(*selector)) : nullptr;
                inputs[name->get<std::string>()] = value ? *value : Json();
            }
        }
        const auto templateField = data.find("template");
        if (templateField != data.end() && templateField->is_string())
            source = templateField->get<std::string>();
    } catch (const std::exception &e) {
        ctx.finish(runtime::NodeResult::failure(
            QCoreApplication::translate("flowbench::nodes::TemplateTransformNode",
                                        "Invalid node data: %1")
                .arg(QString::fromUtf8(e.what())),
            QStringLiteral("TemplateTransformError")));
        return;
    }

    runtime::PythonWorkerPool *python = ctx.python();
    if (!python) {
        runtime::NodeResult failed = runtime::NodeResult::failure(
            QCoreApplication::translate("flowbench::nodes::TemplateTransformNode",
                                        "No Python worker is available."),
            QStringLiteral("CodeExecutionError"));
        failed.inputs = inputs;
        ctx.finish(std::move(failed));
        return;
    }
    m_python = python;
    Json params = {{"template", source}, {"inputs", inputs}};
    m_request = python->call(
        QStringLiteral("jinja2"), std::move(params), CodeNode::timeLimitMs(),
        [this, inputs](Result<Json> reply) {
            m_request = 0;
            runtime::NodeResult result;
            if (!reply) {
                result = runtime::NodeResult::failure(reply.error().message,
                                                      QStringLiteral("CodeExecutionError"));
            } else {
                const auto text = reply->find("result");
                if (text == reply->end() || !text->is_string()) {
                    result = runtime::NodeResult::failure(
                        QCoreApplication::translate("flowbench::nodes::TemplateTransformNode",
                                                    "The template produced no text."),
                        QStringLiteral("CodeExecutionError"));
                } else if (codePoints(text->get_ref<const std::string &>())
                           > std::size_t(kMaxOutputLength)) {
                    result = runtime::NodeResult::failure(
                        QStringLiteral("Output length exceeds %1 characters").arg(kMaxOutputLength),
                        QStringLiteral("TemplateTransformError"));
                } else {
                    result.outputs["output"] = *text;
                }
            }
            result.inputs = inputs;
            m_ctx->finish(std::move(result));
        });
}

} // namespace flowbench::nodes

#include "endnode.h"

#include <QCoreApplication>

namespace flowbench::nodes {

using Json = nlohmann::json;

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

runtime::NodeResult run(const Json &data, const variables::VariablePool &pool)
{
    runtime::NodeResult result;
    const auto outputs = data.find("outputs");
    if (outputs != data.end() && outputs->is_array()) {
        for (const Json &entry : *outputs) {
            if (!entry.is_object())
                continue;
            const auto name = entry.find("variable");
            if (name == entry.end() || !name->is_string())
                continue;
            const auto selector = entry.find("value_selector");
            const Json *value
                = selector != entry.end() ? pool.find(toSelector(*selector)) : nullptr;
            result.outputs[name->get<std::string>()] = value ? *value : Json();
        }
    }
    result.inputs = result.outputs;
    return result;
}

} // namespace

void EndNode::start(runtime::NodeContext &ctx)
{
    runtime::NodeResult result;
    try {
        result = run(ctx.data(), ctx.pool());
    } catch (const Json::exception &e) {
        result = runtime::NodeResult::failure(
            QCoreApplication::translate("flowbench::nodes::EndNode", "Invalid node data: %1")
                .arg(QString::fromUtf8(e.what())),
            QStringLiteral("ValueError"));
    }
    ctx.finish(std::move(result));
}

} // namespace flowbench::nodes

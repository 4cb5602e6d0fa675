#include "variableaggregatornode.h"

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

// The input key Dify shows: the selector without its node id, joined by '.'.
std::string inputKey(const variables::Selector &selector)
{
    std::string key;
    for (std::size_t i = 1; i < selector.size(); ++i) {
        if (i > 1)
            key += '.';
        key += selector[i];
    }
    return key;
}

// The first selector of `selectors` that the pool holds; records it in `inputs`.
const Json *firstPresent(const Json &selectors, const variables::VariablePool &pool, Json &inputs)
{
    if (!selectors.is_array())
        return nullptr;
    for (const Json &entry : selectors) {
        const variables::Selector selector = toSelector(entry);
        if (const Json *value = pool.find(selector)) {
            inputs[inputKey(selector)] = *value;
            return value;
        }
    }
    return nullptr;
}

runtime::NodeResult run(const Json &data, const variables::VariablePool &pool)
{
    runtime::NodeResult result;
    const auto settings = data.find("advanced_settings");
    bool grouped = false;
    if (settings != data.end() && settings->is_object()) {
        const auto enabled = settings->find("group_enabled");
        grouped = enabled != settings->end() && enabled->is_boolean() && enabled->get<bool>();
    }
    if (!grouped) {
        const auto variables = data.find("variables");
        if (variables != data.end()) {
            if (const Json *value = firstPresent(*variables, pool, result.inputs))
                result.outputs["output"] = *value;
        }
    } else {
        const auto groups = settings->find("groups");
        if (groups != settings->end() && groups->is_array()) {
            for (const Json &group : *groups) {
                if (!group.is_object())
                    continue;
                const auto name = group.find("group_name");
                const auto variables = group.find("variables");
                if (name == group.end() || !name->is_string() || variables == group.end())
                    continue;
                if (const Json *value = firstPresent(*variables, pool, result.inputs))
                    result.outputs[name->get<std::string>()] = Json{{"output", *value}};
            }
        }
    }
    return result;
}

} // namespace

void VariableAggregatorNode::start(runtime::NodeContext &ctx)
{
    runtime::NodeResult result;
    try {
        result = run(ctx.data(), ctx.pool());
    } catch (const Json::exception &e) {
        result = runtime::NodeResult::failure(
            QCoreApplication::translate("flowbench::nodes::VariableAggregatorNode",
                                        "Invalid node data: %1")
                .arg(QString::fromUtf8(e.what())),
            QStringLiteral("ValueError"));
    }
    ctx.finish(std::move(result));
}

} // namespace flowbench::nodes

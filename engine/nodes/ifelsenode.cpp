#include "ifelsenode.h"

#include "conditions.h"

#include <QCoreApplication>

namespace flowbench::nodes {

namespace {

QString logicalOperator(const Json &holder)
{
    const auto op = holder.find("logical_operator");
    if (op != holder.end() && op->is_string())
        return QString::fromStdString(op->get<std::string>());
    return QStringLiteral("and");
}

// Mirrors IfElseNode._run in Dify 1.12.1: every case tried is recorded, the node's inputs are the
// conditions of the last case tried, and a failure keeps what was gathered so far.
runtime::NodeResult run(const Json &data, const variables::VariablePool &pool)
{
    struct Case
    {
        std::string id;
        Json group; // what processData shows for the case
        Json conditions;
        QString logicalOperator;
    };
    std::vector<Case> cases;
    const auto casesIt = data.find("cases");
    if (casesIt != data.end() && !casesIt->is_null()) {
        if (!casesIt->is_array()) {
            return runtime::NodeResult::failure(
                QCoreApplication::translate("flowbench::nodes::IfElseNode",
                                            "The cases must be a list."),
                QStringLiteral("ValueError"));
        }
        for (const Json &c : *casesIt) {
            if (!c.is_object()) {
                return runtime::NodeResult::failure(
                    QCoreApplication::translate("flowbench::nodes::IfElseNode",
                                                "A case must be an object."),
                    QStringLiteral("ValueError"));
            }
            const auto id = c.find("case_id");
            cases.push_back({id != c.end() && id->is_string() ? id->get<std::string>() : "", c,
                             c.value("conditions", Json::array()), logicalOperator(c)});
        }
    } else {
        // The legacy shape: top-level conditions form the single case "true".
        cases.push_back(
            {"true", "default", data.value("conditions", Json::array()), logicalOperator(data)});
    }

    Json inputs = {{"conditions", Json::array()}};
    Json processData = {{"condition_results", Json::array()}};
    bool finalResult = false;
    std::string selected = "false";
    Json details = Json::array();
    for (const Case &c : cases) {
        details = Json::array();
        const Result<bool> result
            = evaluateConditions(c.conditions, c.logicalOperator, pool, &details);
        if (!result) {
            runtime::NodeResult failure = runtime::NodeResult::failure(
                result.error().message, QStringLiteral("ValueError"));
            failure.inputs = std::move(inputs);
            failure.processData = std::move(processData);
            return failure;
        }
        Json results = Json::array();
        for (const Json &detail : details)
            results.push_back(detail.at("result"));
        processData["condition_results"].push_back(
            {{"group", c.group}, {"results", std::move(results)}, {"final_result", *result}});
        if (*result) {
            finalResult = true;
            selected = c.id;
            break;
        }
    }
    inputs["conditions"] = std::move(details);

    runtime::NodeResult result;
    result.inputs = std::move(inputs);
    result.processData = std::move(processData);
    result.outputs = {{"result", finalResult}, {"selected_case_id", selected}};
    // Dify falls back to "false" for a case without an id.
    result.edgeSourceHandle = QString::fromStdString(selected.empty() ? "false" : selected);
    return result;
}

} // namespace

void IfElseNode::start(runtime::NodeContext &ctx)
{
    runtime::NodeResult result;
    try {
        result = run(ctx.data(), ctx.pool());
    } catch (const Json::exception &e) {
        result = runtime::NodeResult::failure(
            QCoreApplication::translate("flowbench::nodes::IfElseNode", "Invalid node data: %1")
                .arg(QString::fromUtf8(e.what())),
            QStringLiteral("ValueError"));
    }
    ctx.finish(std::move(result));
}

} // namespace flowbench::nodes

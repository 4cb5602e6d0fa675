#include "answernode.h"

#include "variables/template.h"
#include "variables/value.h"

#include <QCoreApplication>

namespace flowbench::nodes {

using Json = nlohmann::json;

namespace {

runtime::NodeResult run(const Json &data, const variables::VariablePool &pool)
{
    const auto answer = data.find("answer");
    std::string source;
    if (answer != data.end() && answer->is_string()) {
        source = answer->get<std::string>();
    } else if (answer != data.end() && !answer->is_null()) {
        return runtime::NodeResult::failure(
            QCoreApplication::translate("flowbench::nodes::AnswerNode",
                                        "The answer must be text, not %1.")
                .arg(QString::fromStdString(variables::userType(*answer))),
            QStringLiteral("ValueError"));
    }

    runtime::NodeResult result;
    result.outputs["answer"]
        = variables::renderTemplate(source, pool, variables::Rendering::Markdown);
    // Every occurrence counts, as in Dify, which collects files from the resolved segments.
    Json files = Json::array();
    for (const auto &segment : variables::parseTemplate(source)) {
        if (!segment.isVariable)
            continue;
        const Json *value = pool.find(segment.selector);
        if (!value)
            continue;
        if (variables::isFile(*value)) {
            files.push_back(*value);
        } else if (variables::segmentType(*value) == "array[file]") {
            for (const Json &file : *value)
                files.push_back(file);
        }
    }
    result.outputs["files"] = std::move(files);
    return result;
}

} // namespace

void AnswerNode::start(runtime::NodeContext &ctx)
{
    runtime::NodeResult result;
    try {
        result = run(ctx.data(), ctx.pool());
    } catch (const Json::exception &e) {
        result = runtime::NodeResult::failure(
            QCoreApplication::translate("flowbench::nodes::AnswerNode", "Invalid node data: %1")
                .arg(QString::fromUtf8(e.what())),
            QStringLiteral("ValueError"));
    }
    ctx.finish(std::move(result));
}

} // namespace flowbench::nodes

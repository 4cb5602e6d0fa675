#pragma once

#include "runtime/execnode.h"

#include <memory>

namespace flowbench::nodes {

// Dify's question-classifier (dify.md §3): asks the run's model which of the node's `classes`
// the query (query_variable_selector) belongs to. The system prompt carries the instruction and
// the categories as a JSON list of {category_id, category_name} and asks for a JSON answer
// {"category_id", "category_name"}; the user message is the query (plus vision images). The
// reply's first JSON object (fences allowed) picks the class by category_id, else by
// category_name (case-insensitive), else — as Dify — the first class is chosen.
// Outputs class_name, class_id, class_label (the class's label, else "CLASS <n>") and usage;
// NodeResult::edgeSourceHandle is the chosen class id. Without an endpoint, or when the server
// fails, the node fails (errorType NoEndpointError / LLMError).
class QuestionClassifierNode : public runtime::ExecNode
{
public:
    QuestionClassifierNode();
    ~QuestionClassifierNode() override;
    void start(runtime::NodeContext &ctx) override;
    void cancel() override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace flowbench::nodes

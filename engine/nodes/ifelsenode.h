#pragma once

#include "runtime/execnode.h"

namespace flowbench::nodes {

// Dify's If/Else node: tries data.cases in order (or the legacy top-level
// conditions/logical_operator as one case "true") and takes the first true case. Outputs result
// (bool) and selected_case_id ("false" when no case matched), which is also the edge handle. A
// condition that cannot be evaluated (a missing variable, a value Python would refuse) fails the
// node with errorType "ValueError". processData.condition_results lists {group, results,
// final_result} per case tried. Finishes synchronously.
class IfElseNode final : public runtime::ExecNode
{
public:
    void start(runtime::NodeContext &ctx) override;
};

} // namespace flowbench::nodes

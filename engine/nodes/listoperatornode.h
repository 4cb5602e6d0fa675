#pragma once

#include "runtime/execnode.h"

namespace flowbench::nodes {

// Dify's List Operator: reads data.variable, an array[string], array[number], array[boolean] or
// array[file], and applies, in this order and each only when enabled: filter_by (every condition
// in turn; string values are templates rendered with the text rendering; `key` picks the file
// attribute for file arrays), extract_by (the 1-based `serial`, itself a template), order_by
// (asc/desc; `key` for file arrays) and limit (`size`, Python's slice [:size]). Outputs
// `result`, `first_record` and `last_record` (null when the result is empty).
//
// As in Dify, a missing variable and a non-empty value of another type fail the node
// (errorType "ListOperatorError"), while an empty or falsy value gives an empty result.
// Finishes synchronously.
class ListOperatorNode final : public runtime::ExecNode
{
public:
    void start(runtime::NodeContext &ctx) override;
};

} // namespace flowbench::nodes

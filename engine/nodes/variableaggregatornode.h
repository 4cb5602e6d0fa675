#pragma once

#include "runtime/execnode.h"

namespace flowbench::nodes {

// Dify's Variable Aggregator (and the legacy variable-assigner kind): the first selector in list
// order that is present in the pool (a present null counts) becomes `output`; with
// advanced_settings.group_enabled each group gives {group_name: {output: value}}. Nothing present:
// no key (dify.md §12). Finishes synchronously.
class VariableAggregatorNode final : public runtime::ExecNode
{
public:
    void start(runtime::NodeContext &ctx) override;
};

} // namespace flowbench::nodes

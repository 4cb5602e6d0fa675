#pragma once

#include "runtime/execnode.h"

namespace flowbench::nodes {

// Dify's End node (workflow mode): outputs {variable: value} for each data.outputs entry, the value
// of its value_selector as plain JSON or null when the pool lacks it; the inputs are the same.
// Finishes synchronously.
class EndNode final : public runtime::ExecNode
{
public:
    void start(runtime::NodeContext &ctx) override;
};

} // namespace flowbench::nodes

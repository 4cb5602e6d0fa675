#pragma once

#include "runtime/execnode.h"

namespace flowbench::nodes {

// Dify's Variable Assigner (kind `assigner`). Version 2 (data.version "2") applies data.items in
// order: over-write, clear, append, extend, set, +=, -=, *=, /=, remove-first and remove-last,
// each checked against the target's type as Dify checks it (a `variable` input is refused for
// set and the arithmetic operations, division by zero is refused, `clear` writes the type's zero
// value). Version 1 applies one write_mode (over-write, append, clear) from
// input_variable_selector to assigned_variable_selector. Later items see earlier items' writes.
//
// The targets (conversation or loop variables, [scope, name]) must exist in the pool. The node
// has no outputs: the new values go to ctx.writeVariables(), which the engine applies when the
// node succeeds, and processData lists them as Dify does ({name: value} plus
// "__updated_variables": [{name, selector, value_type, new_value}]). A refused item fails the
// whole node and writes nothing (errorType "VariableOperatorNodeError"). Finishes synchronously.
class AssignerNode final : public runtime::ExecNode
{
public:
    void start(runtime::NodeContext &ctx) override;
};

} // namespace flowbench::nodes

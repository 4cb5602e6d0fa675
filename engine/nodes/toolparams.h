#pragma once

#include <nlohmann/json.hpp>

#include "variables/variablepool.h"

#include <string>

// Reading Dify's {type: mixed|variable|constant, value} inputs, shared by the tool node
// (tool_parameters) and the agent node (agent_parameters, fixed agent tool parameters).
namespace flowbench::nodes::toolparams {

using Json = nlohmann::json;

struct Input
{
    std::string type; // "mixed", "variable", "constant" (or what the DSL wrote)
    Json value;
};

// {type, value} as it is; a plain value in its place counts as `mixed` when it is a string
// and `constant` otherwise (the fixtures write `json_string: '{{#http.body#}}'`).
[[nodiscard]] Input splitInput(const Json &entry);

// A variable input's selector: a JSON array of strings, or "node.var" as some hand-written DSL
// has it.
[[nodiscard]] variables::Selector toSelector(const Json &value);

// A mixed/constant input as text: Python's str of a non-string first, then the text rendering
// of templates against `pool`.
[[nodiscard]] std::string renderText(const Json &value, const variables::VariablePool &pool);

} // namespace flowbench::nodes::toolparams

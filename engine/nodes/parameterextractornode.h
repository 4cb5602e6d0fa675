#pragma once

#include "runtime/execnode.h"

#include <memory>

namespace flowbench::nodes {

// Dify's parameter-extractor (dify.md §3): asks the run's model for the node's `parameters`
// ([{name, type, description, required, options}]) found in the query (a selector).
// reasoning_mode "function_call" offers one tool, extract_parameters, whose JSON-schema
// parameters are built from the list (string/number/boolean/array[...]; legacy bool → boolean,
// select → string with an enum) and forces it with tool_choice; the tool call's arguments are the
// answer (the reply text's JSON object when the model called nothing). "prompt" asks for a JSON
// object in the reply and reads the first one (fences allowed).
// Each value is converted to its declared type (numbers and booleans from strings, arrays
// element by element). Outputs every parameter by name (a missing one gets Dify's default: "",
// 0, false, []), __is_success (1/0), __reason (null on success, else what was wrong: a required
// parameter missing, a value of the wrong type, nothing parsable) and __usage. An unusable answer
// still succeeds with __is_success 0, as in Dify; a missing endpoint or a server error fails the
// node (NoEndpointError / LLMError).
class ParameterExtractorNode : public runtime::ExecNode
{
public:
    ParameterExtractorNode();
    ~ParameterExtractorNode() override;
    void start(runtime::NodeContext &ctx) override;
    void cancel() override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace flowbench::nodes

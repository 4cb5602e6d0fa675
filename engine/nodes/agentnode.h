#pragma once

#include "runtime/execnode.h"

#include <memory>

namespace flowbench::nodes {

// Dify's agent node (§3 agent). Dify runs agent strategies as plugins; this is Flowbench's own
// function-calling strategy over the run's endpoint, offering only the built-in tools
// (builtintools.h). Reads agent_parameters ({name: {type: mixed|variable|constant, value}}):
// `instruction` (system prompt), `query` (user message), `model` ({provider, model or name,
// completion_params}: resolved on the endpoint like the llm node's model), `tools` (a list of
// {provider_name, tool_name, parameters: {name: {auto, value}}, settings: {name: {value}}}),
// `maximum_iterations` (default 5). `mixed`/`constant` strings render as text templates,
// `variable` values come from the pool.
//
// Loop: the messages and the tools (as OpenAI function definitions) go to the model; each tool
// call runs its built-in tool and its result goes back as a tool message, until the model
// answers without tool calls or the iteration limit is reached (then the last text is the
// answer and process_data says so). When the model makes no tool calls but writes ReAct
// "Action:" / "Action Input:" lines, the action runs and an "Observation:" user turn follows.
//
// Outputs: text, usage (summed over every model call), files [], json []; process_data holds
// the trace (one entry per step: tool, input, output). The answer streams as [node_id, "text"].
// Failures: no endpoint ("NoEndpointError"), no model, a tool that is not built in, a model
// error ("AgentNodeError"/"LLMError").
class AgentNode final : public runtime::ExecNode
{
public:
    AgentNode();
    ~AgentNode() override;

    void start(runtime::NodeContext &ctx) override;
    void cancel() override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace flowbench::nodes

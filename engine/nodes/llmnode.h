#pragma once

#include "runtime/execnode.h"

#include <memory>

namespace flowbench::llm {
class ChatClient;
}

namespace flowbench::nodes {

// Dify's llm node (dify.md §3 llm) over an OpenAI-compatible endpoint: chat and completion
// prompts (basic templates and Jinja2 editions), context, vision from file variables, the
// chatflow query prompt, structured output (response_format json_schema), reasoning_format
// tagged/separated. Streams [node_id, "text"]; outputs text, reasoning_content, usage,
// finish_reason (and structured_output when enabled). The endpoint comes from the run
// (NodeContext::llmEndpoint()); without one the node fails and says how to give one.
class LlmNode : public runtime::ExecNode
{
public:
    LlmNode();
    ~LlmNode() override;
    void start(runtime::NodeContext &ctx) override;
    void cancel() override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace flowbench::nodes

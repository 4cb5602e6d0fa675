#pragma once

#include "runtime/execnode.h"

namespace flowbench::nodes {

// Dify's Answer node: outputs `answer`, data.answer rendered with the markdown rendering (§5.4),
// and `files`, every file the template references (a file variable adds itself, an array[file] its
// items), in template order. Streaming is the engine's business. Finishes synchronously.
class AnswerNode final : public runtime::ExecNode
{
public:
    void start(runtime::NodeContext &ctx) override;
};

} // namespace flowbench::nodes

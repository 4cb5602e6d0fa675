#pragma once

#include <QPointer>

#include "runtime/execnode.h"

#include <memory>

class QNetworkReply;
class QObject;

namespace flowbench::nodes {

// Dify's tool node (§3 tool), for the tools built into Flowbench (builtintools.h). Reads
// provider_id / provider_type / provider_name / tool_name, tool_configurations ({name: value or
// {type, value}}, passed as values) and tool_parameters ({name: {type, value}}): `mixed` and
// `constant` values go through the text rendering of templates (a constant as Python's str of it
// first), `variable` values pass the pool value at the selector unchanged. A plain value in place
// of {type, value} (the fixtures write `json_string: '{{#http.body#}}'`) counts as `mixed` when
// it is a string and `constant` otherwise. Null values are dropped. A `variable` input whose
// selector is missing fails the node when the tool requires that parameter, and is dropped
// otherwise.
//
// Outputs: text (string), files ([]: no built-in tool makes files), json (array) and every
// variable the tool emits (json_parse/json_replace emit `result`). A non-empty text is streamed
// once as [node_id, "text"].
//
// Failures (errorType "ToolNodeError"): a tool that is not built in (plugin, api, workflow, app,
// MCP tools or an unknown builtin), saying so and suggesting to pin the node's output; a missing
// required parameter; and whatever the tool reports. Retry and the error strategy are the
// engine's. The webscraper tool runs on ctx.network() and is aborted by cancel().
class ToolNode final : public runtime::ExecNode
{
public:
    ToolNode();
    ~ToolNode() override;

    void start(runtime::NodeContext &ctx) override;
    void cancel() override;

private:
    std::unique_ptr<QObject> m_guard; // context of the network callbacks; gone on cancel
    QPointer<QNetworkReply> m_reply;
};

} // namespace flowbench::nodes

#pragma once

#include <QPointer>

#include "runtime/execnode.h"
#include "runtime/pythonworker.h"

namespace flowbench::nodes {

using Json = nlohmann::json;

// Dify's Template node (§3 template-transform): data.template is Jinja2 source rendered by real
// Jinja2 in the shared PythonWorkerPool (as `jinja2.Template(source).render(**inputs)`: missing
// names render empty, no autoescape). data.variables ([{variable, value_selector}]) bind the
// names; values are passed as plain JSON, and a variable missing from the pool is null. Output:
// `output` (string). Fails when the template does not parse or render ("CodeExecutionError",
// with the Jinja message and line), or when the text is longer than 400 000 characters
// ("Output length exceeds 400000 characters"). The render shares CodeNode's time limit.
class TemplateTransformNode final : public runtime::ExecNode
{
public:
    static constexpr int kMaxOutputLength = 400000; // Dify's TEMPLATE_TRANSFORM_MAX_LENGTH

    ~TemplateTransformNode() override;
    void start(runtime::NodeContext &ctx) override;
    void cancel() override;

private:
    runtime::NodeContext *m_ctx = nullptr;
    QPointer<runtime::PythonWorkerPool> m_python;
    quint64 m_request = 0;
};

} // namespace flowbench::nodes

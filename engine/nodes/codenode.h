#pragma once

#include <QPointer>

#include <atomic>
#include <memory>

#include "core/result.h"
#include "runtime/execnode.h"
#include "runtime/pythonworker.h"

namespace flowbench::nodes {

using Json = nlohmann::json;

// Dify's Code node (§3 code): data.code defines `main`, called with the inputs bound by
// data.variables ([{variable, value_selector}]; a variable missing from the pool is passed as
// null). data.code_language picks the runtime: "python3" runs in the shared PythonWorkerPool
// (`main(**inputs)`), "javascript" in a JsRunner on the thread pool (`main(inputs)`). The result
// must be an object; it is then checked against data.outputs ({name: {type, children}}) exactly as
// Dify 1.12.1's CodeNode._transform_result does, and the checked object becomes the outputs.
//
// Failures: errorType "CodeExecutionError" when the code could not run or raised (time limit,
// crash, exception, non-object result); Dify's validation error names otherwise:
// "OutputValidationError" (missing key, wrong type, limits), "DepthLimitError" (objects nested
// deeper than 5) and "CodeNodeError" (an undeclared extra key: "Not all output parameters are
// validated.", or an unsupported code language).
class CodeNode final : public runtime::ExecNode
{
public:
    // Dify's sandbox worker timeout (CODE_EXECUTION_TIMEOUT); applies per execution.
    static constexpr int kDefaultTimeLimitMs = 15000;
    // Dify's CODE_* limits (§3 code, checked against 1.12.1's configuration).
    static constexpr int kMaxStringLength = 400000;
    static constexpr int kMaxPrecision = 20;
    static constexpr int kMaxDepth = 5;
    static constexpr int kMaxStringArrayLength = 30;
    static constexpr int kMaxObjectArrayLength = 30;
    static constexpr int kMaxNumberArrayLength = 1000;

    [[nodiscard]] static int timeLimitMs();
    // Tests only: a short limit for timeout tests; 0 restores kDefaultTimeLimitMs. Also used by
    // TemplateTransformNode, whose render goes through the same sandbox in Dify.
    static void setTimeLimitForTesting(int ms);

    // Dify's result post-processing and output check, usable without running code: strings that
    // look like scientific notation become numbers, then `result` is checked against `outputs`.
    // The error's code is the Dify error type ("OutputValidationError", ...).
    [[nodiscard]] static Result<Json> checkResult(Json result, const Json &outputs);

    ~CodeNode() override;
    void start(runtime::NodeContext &ctx) override;
    void cancel() override;

private:
    runtime::NodeContext *m_ctx = nullptr;
    QPointer<runtime::PythonWorkerPool> m_python;
    quint64 m_request = 0;
    std::shared_ptr<std::atomic<bool>> m_cancelled = std::make_shared<std::atomic<bool>>(false);
};

} // namespace flowbench::nodes

#pragma once

#include "runtime/execnode.h"

#include <QPointer>

#include <memory>
#include <string>
#include <vector>

namespace flowbench::runtime {
class PythonWorkerPool;
}

namespace flowbench::nodes {

// Dify's Start node together with the input checks Dify's app layer makes before a run
// (BaseAppGenerator._validate_inputs). The engine puts the run's user inputs in the pool under
// the scope "__inputs__" ([ "__inputs__", name ]) before the node starts.
//
// For each declared variable (data.variables): a required one that is missing, null or "" uses
// its `default` or fails "<variable> is required in input form"; an optional one that is missing
// takes its `default` (or null). text-input/paragraph/select must be strings, select one of
// `options`, text no longer than `max_length`; number strings become numbers ("3" → 3,
// "1.5" → 1.5, "" → null); checkbox strings and 0/1 become booleans; file and file-list take file
// values (variables::isFile) or lists of them; NULs are stripped from strings. json_object
// values must be objects (a string holding one is parsed) and are checked against their
// `json_schema` (JSON Schema Draft 7) by the Python worker, one at a time.
//
// Outputs: every declared variable by name, plus each system variable (scope "sys") as
// "sys.<name>", as Dify 1.12.1 does. Failures have errorType "ValueError". Finishes
// synchronously unless a JSON schema has to be checked.
class StartNode final : public runtime::ExecNode
{
public:
    StartNode();
    ~StartNode() override;

    void start(runtime::NodeContext &ctx) override;
    void cancel() override;

    struct SchemaCheck
    {
        std::string variable;
        nlohmann::json schema;
        nlohmann::json instance;
    };

private:
    void checkNext();
    void finish(runtime::NodeResult result);

    runtime::NodeContext *m_context = nullptr;
    QPointer<runtime::PythonWorkerPool> m_python;
    quint64 m_request = 0;
    quint64 m_generation = 0; // counts the checks sent
    bool m_waiting = false;
    std::vector<SchemaCheck> m_checks;
    std::size_t m_next = 0;
    runtime::NodeResult m_result;  // the success to report once every schema check passed
    std::shared_ptr<bool> m_alive; // callbacks test it, so none runs after destruction
};

} // namespace flowbench::nodes

#pragma once

#include <QObject>
#include <QString>

#include <nlohmann/json.hpp>

#include <functional>

#include "core/result.h"

namespace flowbench::runtime {

using Json = nlohmann::json;

// Long-lived `python3` worker processes that run Dify's sandboxed languages: python3 code nodes
// (`main(**inputs)`), Jinja2 templates (Debian's python3-jinja2) and JSON-schema checks
// (python3-jsonschema). One request at a time per process; requests queue when all are busy.
// A request that exceeds its time limit kills its process, which is restarted for the next
// request; a process that dies is restarted too. Lives on the thread that created it.
// Callbacks run on that thread from the event loop, never from inside call(); cancel() and the
// pool's destruction drop them uncalled. Processes start on first use; FLOWBENCH_PYTHON (read
// when the pool is created) names another interpreter than python3 on PATH.
//
//     pool.call("jinja2", {{"template", "{{ a }}!"}, {"inputs", {{"a", 1}}}}, 5000,
//               [](Result<Json> r) { /* r->at("result") == "1!" */ });
class PythonWorkerPool : public QObject
{
    Q_OBJECT

public:
    explicit PythonWorkerPool(int processes = 2, QObject *parent = nullptr);
    ~PythonWorkerPool() override;

    using Callback = std::function<void(Result<Json>)>;
    // method: "python3" {code, inputs} → {result}; "jinja2" {template, inputs} → {result};
    // "jsonschema" {schema, instance} → {valid, error}. Errors come back as Error with code
    // "python.error" (the user's code raised; message has the traceback's last line),
    // "python.timeout", "python.crashed" or "python.unavailable".
    // Returns a request id usable with cancel().
    quint64 call(const QString &method, Json params, int timeoutMs, Callback done);
    void cancel(quint64 requestId); // drops the callback; kills the process if it is running it

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace flowbench::runtime

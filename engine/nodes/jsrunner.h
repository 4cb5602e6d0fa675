#pragma once

#include <QString>

#include <nlohmann/json.hpp>

#include <atomic>
#include <memory>

#include "core/result.h"

namespace flowbench::nodes {

using Json = nlohmann::json;

// Runs Dify javascript code nodes: the code defines `function main({arg1, arg2}) { ... }`, which
// is called with the inputs object (as Dify's Node sandbox does); its result must be an object and
// goes through JSON.stringify, so undefined members and functions drop out exactly as in Dify.
//
// The QJSEngine has no extensions installed: no XMLHttpRequest, no Qt object, no file or process
// access. `console` is a silent stub so code that logs still runs (Dify discards its stdout too).
// Each run evaluates the code inside a function scope, so declarations do not leak into the next
// run on the same engine.
//
// Limits: `timeoutMs` of wall-clock time, enforced by a watchdog thread that interrupts the
// engine; the run also stops when the process grows by more than 1 GiB (QJSEngine has no heap
// cap of its own), or when `*cancelled` becomes true.
//
// Threading: not thread-safe. Create, use and destroy a runner on one thread (a pool thread, via
// NodeContext::runInPool); run() blocks. The engine is reusable after a timeout.
//
// Error codes: "javascript.error" (the code threw or returned something that is not an object;
// location.line is the line in the user's code when known), "javascript.timeout",
// "javascript.memory", "javascript.cancelled".
//
//     JsRunner js;
//     Result<Json> r = js.run(QStringLiteral("function main({a}) { return {b: a + 1}; }"),
//                             Json{{"a", 1}}, 1000);   // *r == {"b": 2}
class JsRunner
{
public:
    JsRunner();
    ~JsRunner();
    JsRunner(const JsRunner &) = delete;
    JsRunner &operator=(const JsRunner &) = delete;

    [[nodiscard]] Result<Json> run(const QString &code, const Json &inputs, int timeoutMs,
                                   const std::atomic<bool> *cancelled = nullptr);

private:
    // QtQml stays out of this header: the engine links it privately.
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace flowbench::nodes

#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace flowbench::runtime {

using Json = nlohmann::json;

// Everything a panel, `flowbench run --events` or the run store learns about a run arrives as
// one of these values (ARCHITECTURE.md, "Events are the interface"). Cheap to copy; registered
// with the meta-type system so it can be queued across threads.
struct RunEvent
{
    enum class Type {
        RunStarted,
        RunSucceeded,
        RunPartialSucceeded,
        RunFailed,
        RunStopped,
        RunPaused,
        RunResumed,
        NodeStarted,
        NodeStreamChunk,
        NodeSucceeded,
        NodeFailed,
        NodeException, // failed, error strategy applied
        NodeRetry,
        NodeSkipped,
        IterationStarted,
        IterationNext,
        IterationSucceeded,
        IterationFailed,
        LoopStarted,
        LoopNext,
        LoopSucceeded,
        LoopFailed,
        VariableEdited, // a person changed a pool value while paused (selector, outputs.value)
    };

    Type type = Type::RunStarted;
    QString runId;
    QString executionId; // one node execution (stable across retries)
    QString nodeId;
    QString nodeKind;
    QString nodeTitle;
    QString inIterationId; // set on events of nodes inside an iteration body
    QString inLoopId;
    int index = -1;         // iteration/loop index; for child node events, the item index
    qint64 timestampMs = 0; // ms since the epoch
    qint64 elapsedMs = 0;   // for finished events
    Json inputs;
    Json processData;
    Json outputs;
    Json metadata; // error_strategy, iteration_id, loop_index, completed_reason, ...
    Json usage;    // token usage where the node has it
    QString error;
    QString errorType;
    QStringList selector; // stream chunks: where the text comes from
    QString chunk;
    bool isFinal = false;
    int retryIndex = 0;
    int exceptionsCount = 0; // run-level finished events
    QString status;          // run/node status as Dify spells it: succeeded, failed, ...

    [[nodiscard]] static QString typeName(Type type); // "node_started", "run_succeeded", ...
    [[nodiscard]] bool isRunFinished() const;
    // One JSON object with only the fields that apply to the type.
    [[nodiscard]] Json toJson() const;
};

} // namespace flowbench::runtime

Q_DECLARE_METATYPE(flowbench::runtime::RunEvent)

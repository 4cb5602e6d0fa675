#include "runevent.h"

#include <QDateTime>

namespace flowbench::runtime {

QString RunEvent::typeName(Type type)
{
    switch (type) {
    case Type::RunStarted:
        return QStringLiteral("run_started");
    case Type::RunSucceeded:
        return QStringLiteral("run_succeeded");
    case Type::RunPartialSucceeded:
        return QStringLiteral("run_partial_succeeded");
    case Type::RunFailed:
        return QStringLiteral("run_failed");
    case Type::RunStopped:
        return QStringLiteral("run_stopped");
    case Type::RunPaused:
        return QStringLiteral("run_paused");
    case Type::RunResumed:
        return QStringLiteral("run_resumed");
    case Type::NodeStarted:
        return QStringLiteral("node_started");
    case Type::NodeStreamChunk:
        return QStringLiteral("node_stream_chunk");
    case Type::NodeSucceeded:
        return QStringLiteral("node_succeeded");
    case Type::NodeFailed:
        return QStringLiteral("node_failed");
    case Type::NodeException:
        return QStringLiteral("node_exception");
    case Type::NodeRetry:
        return QStringLiteral("node_retry");
    case Type::NodeSkipped:
        return QStringLiteral("node_skipped");
    case Type::IterationStarted:
        return QStringLiteral("iteration_started");
    case Type::IterationNext:
        return QStringLiteral("iteration_next");
    case Type::IterationSucceeded:
        return QStringLiteral("iteration_succeeded");
    case Type::IterationFailed:
        return QStringLiteral("iteration_failed");
    case Type::LoopStarted:
        return QStringLiteral("loop_started");
    case Type::LoopNext:
        return QStringLiteral("loop_next");
    case Type::LoopSucceeded:
        return QStringLiteral("loop_succeeded");
    case Type::LoopFailed:
        return QStringLiteral("loop_failed");
    case Type::VariableEdited:
        return QStringLiteral("variable_edited");
    }
    return QStringLiteral("unknown");
}

bool RunEvent::isRunFinished() const
{
    return type == Type::RunSucceeded || type == Type::RunPartialSucceeded
           || type == Type::RunFailed || type == Type::RunStopped;
}

Json RunEvent::toJson() const
{
    Json j = Json::object();
    j["event"] = typeName(type).toStdString();
    j["run_id"] = runId.toStdString();
    j["timestamp"] = timestampMs;
    const auto put = [&j](const char *key, const QString &v) {
        if (!v.isEmpty())
            j[key] = v.toStdString();
    };
    const auto putJson = [&j](const char *key, const Json &v) {
        if (!v.is_null())
            j[key] = v;
    };
    put("node_id", nodeId);
    put("node_type", nodeKind);
    put("title", nodeTitle);
    put("execution_id", executionId);
    put("iteration_id", inIterationId);
    put("loop_id", inLoopId);
    put("status", status);
    if (index >= 0)
        j["index"] = index;
    switch (type) {
    case Type::NodeStreamChunk: {
        Json sel = Json::array();
        for (const QString &s : selector)
            sel.push_back(s.toStdString());
        j["from_variable_selector"] = sel;
        j["text"] = chunk.toStdString();
        j["is_final"] = isFinal;
        break;
    }
    case Type::VariableEdited: {
        Json sel = Json::array();
        for (const QString &part : selector)
            sel.push_back(part.toStdString());
        j["selector"] = sel;
        break;
    }
    case Type::NodeRetry:
        j["retry_index"] = retryIndex;
        put("error", error);
        break;
    default:
        break;
    }
    putJson("inputs", inputs);
    putJson("process_data", processData);
    putJson("outputs", outputs);
    putJson("metadata", metadata);
    putJson("usage", usage);
    if (type != Type::NodeRetry)
        put("error", error);
    put("error_type", errorType);
    if (elapsedMs > 0 || type == Type::NodeSucceeded || isRunFinished())
        j["elapsed_ms"] = elapsedMs;
    if (isRunFinished())
        j["exceptions_count"] = exceptionsCount;
    return j;
}

} // namespace flowbench::runtime

#pragma once

#include <QObject>
#include <QString>

#include "core/result.h"
#include "graphengine.h"
#include "runevent.h"
#include "variables/value.h"

namespace flowbench::runtime {

// What the workbench panels see of "the current run": events, state, capability queries, the
// pool, and the debugger commands. The app implements it over GraphEngine (one run at a time);
// panel tests implement it with a fake, the way Kate's debugger plugin tests its views. Panels
// depend on this interface only, never on GraphEngine (ARCHITECTURE.md, "Events are the
// interface"). GUI thread only.
class Debugger : public QObject
{
    Q_OBJECT

public:
    enum class Capability {
        Run,           // start a new run
        Pause,         // a run is going and can pause before its next node
        Continue,      // paused
        Step,          // paused: run exactly one node
        StepInto,      // paused before an iteration or loop: stop at its first child
        Stop,          // running or paused
        RunToNode,     // run (or continue) until a node is about to start
        EditVariables, // paused: pool values may change
    };

    using QObject::QObject;

    [[nodiscard]] virtual bool can(Capability capability) const = 0;
    [[nodiscard]] virtual RunStatus status() const = 0;
    [[nodiscard]] virtual QString runId() const = 0;
    // The node the run is paused before; empty unless paused.
    [[nodiscard]] virtual QString pausedAtNode() const = 0;
    // The pool of the current (or last) run as {"scope": {"var": value}}; empty object before
    // the first run.
    [[nodiscard]] virtual Json poolSnapshot() const = 0;

    virtual void pause() = 0;
    virtual void resume() = 0;
    virtual void step() = 0;
    virtual void stop() = 0;
    virtual void runTo(const QString &nodeId) = 0;
    // Only while paused; the value keeps its type (GraphEngine::setVariable). Emits a
    // VariableEdited event through runEvent on success.
    virtual Result<void> setVariable(const variables::Selector &selector, const Json &value) = 0;

Q_SIGNALS:
    void runStarted(const QString &runId);
    void runEvent(const flowbench::runtime::RunEvent &event);
    void runFinished(flowbench::runtime::RunStatus status);
    // Running ↔ paused ↔ finished: capabilities may have changed.
    void stateChanged();
};

} // namespace flowbench::runtime

#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <memory>

#include "llm/defaultendpoint.h"
#include "metering/costestimate.h"
#include "metering/ledger.h"
#include "store/runstore.h"
#include "llm/endpoint.h"
#include "llm/endpointprofile.h"
#include "runtime/debugger.h"
#include "runtime/graphengine.h"
#include "runtime/runevent.h"
#include "runtime/singlenoderun.h"

#include <QHash>

namespace flowbench::document {
class WorkflowDocument;
}

namespace flowbench::app {

// The window's current run (the runtime::Debugger the panels observe): one GraphEngine at a
// time over a snapshot of the open document, with the document's workbench state (breakpoints
// and their conditions, pinned outputs) applied at start and kept in sync while the run lives.
// It re-emits the engine's events, so the canvas overlay and the panels observe one object that
// outlives each run. GUI thread only.
class RunController : public runtime::Debugger
{
    Q_OBJECT

public:
    explicit RunController(document::WorkflowDocument *document, QObject *parent = nullptr);
    ~RunController() override;

    // Starts a run of the document with `options` (inputs, query, ...) plus the workbench state.
    // When the workflow has LLM-family nodes and `options` names no endpoint, the endpoint is the
    // document's endpoint profile (workbench state) or the selected one, resolved first (which
    // may start the in-process simulator); the run then starts from the event loop. Returns
    // false, with the reason in lastError(), when a run is active or the workflow cannot run
    // (validation errors); a failure found later (an unknown profile) comes as startFailed().
    bool start(runtime::RunOptions options = {});
    // Runs one node alone with `poolSnapshot` ({"scope": {"var": value}}) as the pool it reads,
    // emitting the same events a run would (a run of one node), so the canvas and the panels
    // show its result. False with lastError() when a run is active or the node is unknown.
    bool runSingleNode(const QString &nodeId, const runtime::Json &poolSnapshot);
    // Re-runs the last recorded run from `nodeId` with its recorded pool (upstream outputs
    // kept, `nodeId` and what follows it run again).
    bool rerunFrom(const QString &nodeId);
    // Forced failures for the next runs (node id → message): a way to try error strategies.
    void setForcedFailure(const QString &nodeId, const QString &message);
    [[nodiscard]] bool isFailureForced(const QString &nodeId) const
    {
        return m_forcedFailures.contains(nodeId);
    }

    // A cost estimate of running the document with these inputs: prompt tokens counted with the
    // run's endpoint's /tokenize where it has one (else estimated), max_tokens as the bound,
    // priced with the ledger's price table. `done` is called from the event loop.
    void estimateCost(const runtime::Json &inputs, const QString &query, QObject *context,
                      std::function<void(const metering::CostEstimate &)> done);

    // "using endpoint profile 'Simulator (local, offline)' (in-process simulator)", or empty.
    [[nodiscard]] QString endpointDescription() const;

    // Where every run is recorded (FLOWBENCH_RUN_STORE overrides the default file; "none"
    // turns recording off). Null when recording is off or the store cannot be opened.
    [[nodiscard]] store::RunStore *runStore() const { return m_store.get(); }
    // The token ledger every run's LLM-family calls are metered into.
    [[nodiscard]] metering::Ledger *ledger() const { return m_ledger; }

    [[nodiscard]] bool can(Capability capability) const override;
    [[nodiscard]] runtime::RunStatus status() const override;
    [[nodiscard]] QString runId() const override;
    [[nodiscard]] QString pausedAtNode() const override;
    [[nodiscard]] runtime::Json poolSnapshot() const override;
    void pause() override;
    void resume() override;
    void step() override;
    void stop() override;
    void runTo(const QString &nodeId) override;
    Result<void> setVariable(const variables::Selector &selector,
                             const runtime::Json &value) override;

    [[nodiscard]] bool isActive() const; // running or paused
    [[nodiscard]] QString lastError() const { return m_lastError; }
    // The current (or last finished) run's engine; null before the first run. Panels read
    // through events; this is for the window's status bar and the pool viewer.
    [[nodiscard]] const runtime::GraphEngine *engine() const { return m_engine; }

Q_SIGNALS:
    void startFailed(const QString &message);

private:
    bool startNow(runtime::RunOptions options);
    void syncBreakpoints();

    document::WorkflowDocument *m_document = nullptr;
    QPointer<runtime::GraphEngine> m_engine;
    llm::ProfileStore m_profiles;
    std::unique_ptr<store::RunStore> m_store;
    llm::RunEndpointProvider *m_endpoints = nullptr;
    metering::Ledger *m_ledger = nullptr;
    bool m_resolving = false; // between start() and the endpoint's arrival
    QHash<QString, QString> m_forcedFailures;
    QPointer<runtime::SingleNodeRun> m_single; // "Run this node" in progress
    QString m_lastError;
};

} // namespace flowbench::app

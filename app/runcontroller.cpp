#include "runcontroller.h"

#include "document/workbenchstate.h"
#include "document/workflowdocument.h"
#include "runtime/workbenchrun.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QUuid>

namespace flowbench::app {

using runtime::GraphEngine;
using runtime::RunEvent;
using runtime::RunStatus;

RunController::RunController(document::WorkflowDocument *document, QObject *parent)
    : runtime::Debugger(parent)
    , m_document(document)
    , m_endpoints(new llm::RunEndpointProvider(this))
    , m_ledger(new metering::Ledger(this))
{
    const QString storePath = qEnvironmentVariableIsSet("FLOWBENCH_RUN_STORE")
                                  ? qEnvironmentVariable("FLOWBENCH_RUN_STORE")
                                  : store::RunStore::defaultPath();
    if (storePath != QLatin1String("none")) {
        if (auto opened = store::RunStore::open(storePath))
            m_store = std::move(*opened);
        else // the window works without history; say why once
            qWarning("flowbench: runs are not recorded: %s", qPrintable(opened.error().toString()));
    }
    m_ledger->setPriceTable(metering::PriceTable::userOrBundled());
    m_ledger->setStore(m_store.get());
    // Breakpoints toggled during a run take effect at the next node, as in a debugger.
    connect(m_document, &document::WorkflowDocument::workbenchStateChanged, this,
            &RunController::syncBreakpoints);
    connect(m_document, &document::WorkflowDocument::resetDone, this, [this] {
        if (isActive())
            stop(); // a different document was opened: this run no longer belongs to it
    });
}

RunController::~RunController()
{
    // A run still going (or paused) when the window closes ends as "stopped" in the history,
    // not "running" forever.
    if (isActive())
        m_engine->stop();
    if (m_engine) {
        m_engine->disconnect(this);
        // Before the store goes (members die before QObject children): its recording of the
        // run ends when the engine is destroyed.
        delete m_engine.data();
    }
    if (m_store)
        m_store->flush();
}

bool RunController::start(runtime::RunOptions options)
{
    m_lastError.clear();
    if (isActive() || m_resolving || m_single) {
        m_lastError = tr("A run is already in progress.");
        return false;
    }
    const document::Workflow &workflow = m_document->workflow();
    if (options.llmEndpoint || !llm::RunEndpointProvider::workflowNeedsEndpoint(workflow))
        return startNow(std::move(options));

    // The profile file may have changed since the last run (the settings dialog, another
    // window): read it each time. A missing or broken file leaves the built-in simulator.
    (void)m_profiles.load();
    const QString profile = document::workbenchState(workflow).endpointProfile;
    m_resolving = true;
    Q_EMIT stateChanged();
    m_endpoints->resolve(m_profiles, profile, this,
                         [this, options](Result<llm::LlmEndpoint> endpoint) mutable {
                             m_resolving = false;
                             if (!endpoint) {
                                 m_lastError = endpoint.error().message;
                                 Q_EMIT startFailed(m_lastError);
                                 Q_EMIT stateChanged();
                                 return;
                             }
                             options.llmEndpoint = *endpoint;
                             if (!startNow(std::move(options)))
                                 Q_EMIT startFailed(m_lastError);
                         });
    return true;
}

void RunController::estimateCost(const runtime::Json &inputs, const QString &query,
                                 QObject *context,
                                 std::function<void(const metering::CostEstimate &)> done)
{
    metering::CostEstimateRequest request;
    request.workflow = m_document->workflow();
    request.inputs = inputs.is_object() ? inputs : runtime::Json::object();
    request.query = query;
    request.prices = m_ledger->priceTable();
    auto *estimator = new metering::CostEstimator(nullptr, this);
    // The estimator reports to itself and always cleans up; `done` is dropped when `context`
    // went away meanwhile (a dialog closed before the estimate arrived).
    const QPointer<QObject> receiver(context);
    const auto run = [estimator, receiver, done](metering::CostEstimateRequest r) {
        estimator->estimate(std::move(r), estimator,
                            [estimator, receiver, done](const auto &estimate) {
                                if (receiver)
                                    done(estimate);
                                estimator->deleteLater();
                            });
    };
    if (!llm::RunEndpointProvider::workflowNeedsEndpoint(request.workflow)) {
        run(std::move(request));
        return;
    }
    (void)m_profiles.load();
    m_endpoints->resolve(m_profiles, document::workbenchState(request.workflow).endpointProfile,
                         this, [run, request](Result<llm::LlmEndpoint> endpoint) mutable {
                             if (endpoint)
                                 request.endpoint = *endpoint; // else: estimated counts
                             run(std::move(request));
                         });
}

QString RunController::endpointDescription() const
{
    return m_endpoints->description();
}

bool RunController::startNow(runtime::RunOptions options)
{
    runtime::applyWorkbenchState(document::workbenchState(m_document->workflow()), &options);
    for (auto it = m_forcedFailures.cbegin(); it != m_forcedFailures.cend(); ++it) {
        if (!options.forcedFailures.contains(it.key()))
            options.forcedFailures.insert(it.key(), it.value());
    }

    const runtime::RunOptions recordedOptions = options; // the store and ledger read them
    auto *engine = new GraphEngine(m_document->workflow(), std::move(options), this);
    if (auto prepared = engine->prepare(); !prepared) {
        m_lastError = prepared.error().message;
        delete engine;
        return false;
    }
    if (m_engine)
        m_engine->deleteLater(); // the previous run's engine; its events were all delivered
    m_engine = engine;
    connect(engine, &GraphEngine::runEvent, this, [this](const RunEvent &event) {
        Q_EMIT runEvent(event);
        if (event.type == RunEvent::Type::RunPaused || event.type == RunEvent::Type::RunResumed)
            Q_EMIT stateChanged();
    });
    connect(engine, &GraphEngine::finished, this, [this, engine] {
        if (engine != m_engine)
            return;
        Q_EMIT runFinished(engine->status());
        Q_EMIT stateChanged();
    });
    if (m_store)
        m_store->record(engine, m_document->workflow(), recordedOptions);
    m_ledger->watch(engine, recordedOptions, m_endpoints->profileName());
    // Observers reset their view of "the run" first: start() emits the first events at once.
    Q_EMIT runStarted(engine->runId());
    engine->start();
    Q_EMIT stateChanged();
    return true;
}

void RunController::pause()
{
    if (m_engine && m_engine->status() == RunStatus::Running)
        m_engine->pause();
}

void RunController::resume()
{
    if (m_engine && m_engine->status() == RunStatus::Paused)
        m_engine->resume();
}

void RunController::step()
{
    if (m_engine && m_engine->status() == RunStatus::Paused)
        m_engine->step();
}

void RunController::stop()
{
    if (isActive())
        m_engine->stop();
}

void RunController::runTo(const QString &nodeId)
{
    if (isActive()) {
        m_engine->runTo(nodeId);
        return;
    }
    runtime::RunOptions options;
    options.breakpoints.insert(nodeId); // a one-shot stop for this run only
    start(std::move(options));
}

bool RunController::can(Capability capability) const
{
    const RunStatus s = status();
    const bool paused = s == RunStatus::Paused;
    switch (capability) {
    case Capability::Run:
        return !isActive() && !m_resolving && !m_single;
    case Capability::Pause:
        return s == RunStatus::Running;
    case Capability::Continue:
    case Capability::Step:
    case Capability::EditVariables:
        return paused && !m_single;
    case Capability::StepInto:
        return paused; // a step before an iteration or loop stops at its first child
    case Capability::Stop:
        return isActive();
    case Capability::RunToNode:
        return true; // starts a run when none is active
    }
    return false;
}

QString RunController::runId() const
{
    return m_engine ? m_engine->runId() : QString();
}

runtime::Json RunController::poolSnapshot() const
{
    return m_engine ? m_engine->pool().toJson() : runtime::Json::object();
}

Result<void> RunController::setVariable(const variables::Selector &selector,
                                        const runtime::Json &value)
{
    if (!m_engine || m_engine->status() != RunStatus::Paused)
        return makeError(QStringLiteral("debugger.not_paused"),
                         tr("Variables can only be edited while the run is paused."));
    return m_engine->setVariable(selector, value);
}

bool RunController::runSingleNode(const QString &nodeId, const runtime::Json &poolSnapshot)
{
    m_lastError.clear();
    const document::Workflow &workflow = m_document->workflow();
    const document::Node *node = workflow.node(nodeId);
    if (isActive() || m_resolving || m_single) {
        m_lastError = tr("A run is already in progress.");
        return false;
    }
    if (!node) {
        m_lastError = tr("There is no node '%1'.").arg(nodeId);
        return false;
    }
    const QString runId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const auto event = [&](RunEvent::Type type) {
        RunEvent e;
        e.type = type;
        e.runId = runId;
        e.nodeId = nodeId;
        e.nodeKind = node->kind();
        e.nodeTitle = node->title();
        e.executionId = runId.left(8) + QStringLiteral("-1");
        e.timestampMs = QDateTime::currentMSecsSinceEpoch();
        return e;
    };
    auto *single = new runtime::SingleNodeRun(this);
    m_single = single;
    if (llm::RunEndpointProvider::workflowNeedsEndpoint(workflow)) {
        (void)m_profiles.load();
        if (auto endpoint = m_endpoints->resolveNow(
                m_profiles, document::workbenchState(workflow).endpointProfile))
            single->setLlmEndpoint(*endpoint);
    }
    QElapsedTimer clock;
    clock.start();
    connect(single, &runtime::SingleNodeRun::finished, this, [this, single, event, clock] {
        const runtime::NodeResult &r = single->result();
        const bool ok = r.status == runtime::NodeResult::Status::Succeeded;
        RunEvent done = event(ok ? RunEvent::Type::NodeSucceeded : RunEvent::Type::NodeFailed);
        done.elapsedMs = clock.elapsed();
        done.inputs = r.inputs;
        done.processData = r.processData;
        done.outputs = r.outputs;
        done.usage = r.usage;
        done.metadata = r.metadata;
        done.error = r.error;
        done.errorType = r.errorType;
        done.status = ok ? QStringLiteral("succeeded") : QStringLiteral("failed");
        Q_EMIT runEvent(done);
        RunEvent end = event(ok ? RunEvent::Type::RunSucceeded : RunEvent::Type::RunFailed);
        end.nodeId.clear();
        end.elapsedMs = done.elapsedMs;
        end.outputs = r.outputs;
        end.error = r.error;
        end.status = done.status;
        Q_EMIT runEvent(end);
        single->deleteLater();
        Q_EMIT runFinished(ok ? RunStatus::Succeeded : RunStatus::Failed);
        Q_EMIT stateChanged();
    });
    Q_EMIT runStarted(runId);
    RunEvent started = event(RunEvent::Type::RunStarted);
    started.nodeId.clear();
    started.status = QStringLiteral("running");
    Q_EMIT runEvent(started);
    RunEvent nodeStarted = event(RunEvent::Type::NodeStarted);
    nodeStarted.status = QStringLiteral("running");
    Q_EMIT runEvent(nodeStarted);
    single->start(node->kind(), nodeId, node->data, variables::VariablePool::fromJson(poolSnapshot),
                  workflow.modeString());
    Q_EMIT stateChanged();
    return true;
}

bool RunController::rerunFrom(const QString &nodeId)
{
    m_lastError.clear();
    const QString last = m_engine ? m_engine->runId() : QString();
    if (!m_store || last.isEmpty()) {
        m_lastError = tr("Re-run from a node needs a recorded run of this workflow: run it first.");
        return false;
    }
    m_store->flush();
    auto recorded = m_store->loadRun(last);
    if (!recorded) {
        m_lastError = recorded.error().message;
        return false;
    }
    return start(store::rerunFromOptions(*recorded, nodeId));
}

void RunController::setForcedFailure(const QString &nodeId, const QString &message)
{
    if (message.isEmpty())
        m_forcedFailures.remove(nodeId);
    else
        m_forcedFailures.insert(nodeId, message);
}

bool RunController::isActive() const
{
    return m_engine
           && (m_engine->status() == RunStatus::Running || m_engine->status() == RunStatus::Paused);
}

RunStatus RunController::status() const
{
    return m_engine ? m_engine->status() : RunStatus::NotStarted;
}

QString RunController::pausedAtNode() const
{
    return m_engine && m_engine->status() == RunStatus::Paused ? m_engine->pausedAtNode()
                                                               : QString();
}

void RunController::syncBreakpoints()
{
    if (!isActive())
        return;
    const document::WorkbenchState state = document::workbenchState(m_document->workflow());
    m_engine->setBreakpoints(QSet<QString>(state.breakpoints.cbegin(), state.breakpoints.cend()));
    for (const QString &id : state.breakpoints)
        m_engine->setBreakpointCondition(id, state.breakpointConditions.value(id));
}

} // namespace flowbench::app

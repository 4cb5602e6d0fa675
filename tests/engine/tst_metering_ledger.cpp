// The ledger against real runs: a two-LLM workflow on the simulator (a real vLLM-format server
// on loopback) gives one priced usage record per call, persisted in the run store and
// aggregated there with SQL; a budget rule pauses a real GraphEngine run through the Debugger
// interface (a budget breakpoint).
#include "document/dslio.h"
#include "llm/simulator/simulator.h"
#include "metering/alerts.h"
#include "metering/ledger.h"
#include "runtime/debugger.h"
#include "runtime/graphengine.h"
#include "store/runstore.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace flowbench;
using namespace flowbench::metering;
using Json = nlohmann::json;

namespace {

const char *const kTwoLlm = R"(app:
  mode: workflow
  name: two-llm
kind: app
version: 0.3.1
workflow:
  graph:
    edges:
    - {id: e1, source: start, sourceHandle: source, target: llm1, targetHandle: target}
    - {id: e2, source: llm1, sourceHandle: source, target: llm2, targetHandle: target}
    - {id: e3, source: llm2, sourceHandle: source, target: end, targetHandle: target}
    nodes:
    - id: start
      data:
        type: start
        title: Start
        variables:
        - {variable: q, label: q, type: text-input, required: true}
    - id: llm1
      data:
        type: llm
        title: First
        model: {provider: openai, name: gpt-4o, mode: chat, completion_params: {}}
        prompt_template:
        - {role: user, text: "{{#start.q#}}"}
    - id: llm2
      data:
        type: llm
        title: Second
        model: {provider: openai, name: gpt-4o, mode: chat, completion_params: {}}
        prompt_template:
        - {role: user, text: "again {{#llm1.text#}}"}
    - id: end
      data:
        type: end
        title: End
        outputs:
        - {variable: out, value_selector: [llm2, text]}
)";

// The minimal Debugger over one GraphEngine (the app has its own; engine tests cannot use it).
class EngineDebugger : public runtime::Debugger
{
public:
    explicit EngineDebugger(runtime::GraphEngine *engine)
        : m_engine(engine)
    {}
    bool can(Capability c) const override
    {
        const runtime::RunStatus s = m_engine->status();
        switch (c) {
        case Capability::Pause:
            return s == runtime::RunStatus::Running;
        case Capability::Continue:
        case Capability::Step:
            return s == runtime::RunStatus::Paused;
        case Capability::Stop:
            return s == runtime::RunStatus::Running || s == runtime::RunStatus::Paused;
        default:
            return false;
        }
    }
    runtime::RunStatus status() const override { return m_engine->status(); }
    QString runId() const override { return m_engine->runId(); }
    QString pausedAtNode() const override { return m_engine->pausedAtNode(); }
    Json poolSnapshot() const override { return Json::object(); }
    void pause() override { m_engine->pause(); }
    void resume() override { m_engine->resume(); }
    void step() override { m_engine->step(); }
    void stop() override { m_engine->stop(); }
    void runTo(const QString &nodeId) override { m_engine->runTo(nodeId); }
    Result<void> setVariable(const variables::Selector &s, const Json &v) override
    {
        return m_engine->setVariable(s, v);
    }

private:
    runtime::GraphEngine *m_engine;
};

} // namespace

class TestMeteringLedger : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void ledgerFromSimulatorRun();
    void storeAggregation();
    void budgetBreakpointPausesRun();

private:
    runtime::RunOptions options() const
    {
        runtime::RunOptions o;
        o.inputs = Json{{"q", "hello metering"}};
        o.appId = QStringLiteral("app-42");
        o.userId = QStringLiteral("alice");
        llm::LlmEndpoint e;
        e.config.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(m_sim.port()));
        e.config.kind = llm::ServerKind::VLlm;
        e.forcedModel = m_sim.config().model;
        o.llmEndpoint = e;
        return o;
    }
    PriceTable prices() const
    {
        // The simulator's model as a self-hosted model priced by GPU-hour.
        PriceTable t;
        t.addPrice(ModelPrice::gpuHour(m_sim.config().model, 3.6, 2));
        return t;
    }

    llm::Simulator m_sim;
    document::Workflow m_workflow;
    QTemporaryDir m_dir;
};

void TestMeteringLedger::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_sim.listen() != 0);
    auto loaded = document::loadWorkflowText(QByteArray(kTwoLlm), document::FileFormat::DifyYaml);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error().message));
    m_workflow = loaded->workflow;
}

void TestMeteringLedger::ledgerFromSimulatorRun()
{
    auto store = store::RunStore::open(m_dir.filePath(QStringLiteral("runs.sqlite")));
    QVERIFY(store);
    Ledger ledger;
    ledger.setPriceTable(prices());
    ledger.setStore(store->get());
    QSignalSpy recorded(&ledger, &Ledger::recorded);

    const runtime::RunOptions o = options();
    runtime::GraphEngine engine(m_workflow, o);
    (*store)->record(&engine, m_workflow, o);
    ledger.watch(&engine, o, QStringLiteral("local-sim"));
    QSignalSpy finished(&engine, &runtime::GraphEngine::finished);
    engine.start();
    QVERIFY(finished.count() || finished.wait(20000));
    QCOMPARE(engine.status(), runtime::RunStatus::Succeeded);

    QCOMPARE(recorded.count(), 2);
    QCOMPARE(ledger.records().size(), size_t(2));
    const UsageRecord &r = ledger.records().front();
    QCOMPARE(r.runId, engine.runId());
    QCOMPARE(r.nodeId, QStringLiteral("llm1"));
    QCOMPARE(r.nodeKind, QStringLiteral("llm"));
    QCOMPARE(r.appId, QStringLiteral("app-42"));
    QCOMPARE(r.userId, QStringLiteral("alice"));
    QCOMPARE(r.endpoint, QStringLiteral("local-sim"));
    QCOMPARE(r.model, m_sim.config().model);
    QVERIFY(r.promptTokens > 0);
    QVERIFY(r.completionTokens > 0);
    QVERIFY(r.ttftMs >= 0);
    QVERIFY(r.latencyMs >= r.ttftMs);
    QVERIFY(r.timestampMs > 0);
    QVERIFY(r.isPriced()); // GPU-hour: priced, even though the server is "free"
    QCOMPARE(r.currency, QStringLiteral("USD"));
    QVERIFY(qFuzzyCompare(1 + *r.cost, 1 + 3.6 * r.latencyMs / 3600000.0 / 2));
    QCOMPARE(ledger.records()[1].nodeId, QStringLiteral("llm2"));
    // The engine's token total agrees with the ledger.
    QCOMPARE(engine.totalTokens(),
             ledger.records()[0].totalTokens() + ledger.records()[1].totalTokens());

    // Persisted.
    UsageFilter f;
    f.runId = engine.runId();
    const auto stored = (*store)->loadUsage(f);
    QVERIFY(stored);
    QCOMPARE(stored->size(), size_t(2));
    QCOMPARE(stored->front().toJson(), r.toJson());

    // Without a price: recorded as unpriced, not as $0.
    Ledger unpriced;
    runtime::GraphEngine engine2(m_workflow, o);
    unpriced.watch(&engine2, o);
    QSignalSpy finished2(&engine2, &runtime::GraphEngine::finished);
    engine2.start();
    QVERIFY(finished2.count() || finished2.wait(20000));
    QCOMPARE(unpriced.records().size(), size_t(2));
    QVERIFY(!unpriced.records()[0].cost);
    QCOMPARE(unpriced.records()[0].endpoint, o.llmEndpoint->config.baseUrl.toString());
    QCOMPARE(unpriced.aggregate(UsageGroup::Run).front().unpricedCalls, 2);
}

void TestMeteringLedger::storeAggregation()
{
    auto store = store::RunStore::open(m_dir.filePath(QStringLiteral("agg.sqlite")));
    QVERIFY(store);
    std::vector<UsageRecord> records;
    const qint64 base = 1748736000000; // 2025-06-01T00:00:00Z
    for (int i = 0; i < 3000; ++i) {
        UsageRecord r;
        r.runId = QStringLiteral("run-%1").arg(i / 10);
        r.nodeId = QStringLiteral("n%1").arg(i % 3);
        r.nodeKind = QStringLiteral("llm");
        r.model = QStringLiteral("model-%1").arg(i % 4);
        r.appId = QStringLiteral("app-%1").arg(i % 2);
        r.userId = QStringLiteral("user-%1").arg(i % 5);
        r.endpoint = QStringLiteral("ep");
        r.promptTokens = 100 + i % 7;
        r.completionTokens = 50;
        r.cachedTokens = i % 2;
        r.latencyMs = 1000;
        r.timestampMs = base + static_cast<qint64>(i) * 60000; // one a minute: ~2 days
        if (i % 4 != 3) {
            r.cost = 0.001;
            r.currency = QStringLiteral("USD");
            r.costUsd = 0.001;
        }
        records.push_back(r);
    }
    // Half through the batched path, half in one transaction.
    for (size_t i = 0; i < 1500; ++i)
        (*store)->appendUsage(records[i]);
    QVERIFY((*store)->appendUsageBatch({records.begin() + 1500, records.end()}));

    for (UsageGroup by : {UsageGroup::Run, UsageGroup::Node, UsageGroup::Model, UsageGroup::App,
                          UsageGroup::User, UsageGroup::Endpoint, UsageGroup::Time}) {
        UsageFilter f;
        f.bucketMs = 3600000;
        const auto sql = (*store)->aggregateUsage(by, f);
        QVERIFY(sql);
        const auto mem = aggregate(records, by, f);
        QCOMPARE(sql->size(), mem.size());
        for (size_t i = 0; i < mem.size(); ++i) {
            QCOMPARE((*sql)[i].key, mem[i].key);
            QCOMPARE((*sql)[i].calls, mem[i].calls);
            QCOMPARE((*sql)[i].promptTokens, mem[i].promptTokens);
            QCOMPARE((*sql)[i].cachedTokens, mem[i].cachedTokens);
            QCOMPARE((*sql)[i].unpricedCalls, mem[i].unpricedCalls);
            QVERIFY(qAbs((*sql)[i].costUsd - mem[i].costUsd) < 1e-9);
        }
    }
    // A time window and a model.
    UsageFilter f;
    f.model = QStringLiteral("model-3");
    f.fromMs = base + 86400000;
    f.toMs = base + 2 * 86400000;
    const auto day2 = (*store)->aggregateUsage(UsageGroup::Time, f);
    QVERIFY(day2);
    QCOMPARE(day2->size(), size_t(1));
    QCOMPARE(day2->front().bucketMs, base + 86400000);
    QCOMPARE(day2->front().calls, 360); // 1440 minutes, every fourth record
    QCOMPARE(day2->front().unpricedCalls, 360);
    QCOMPARE(day2->front().costUsd, 0.0);
    // Not whole hours: answered from the records, still right.
    f.fromMs += 1;
    f.toMs -= 1;
    const auto raw = (*store)->aggregateUsage(UsageGroup::Model, f);
    QVERIFY(raw);
    QCOMPARE(raw->size(), size_t(1));
    QCOMPARE(raw->front().calls, aggregate(records, UsageGroup::Model, f).front().calls);
    // Reopening keeps everything (and the rollup).
    store->reset();
    auto reopened = store::RunStore::open(m_dir.filePath(QStringLiteral("agg.sqlite")));
    QVERIFY(reopened);
    const auto again = (*reopened)->aggregateUsage(UsageGroup::Model);
    QVERIFY(again);
    QCOMPARE(again->size(), size_t(4));
    QCOMPARE(again->front().calls, 750);
}

void TestMeteringLedger::budgetBreakpointPausesRun()
{
    const runtime::RunOptions o = options();
    runtime::GraphEngine engine(m_workflow, o);
    EngineDebugger debugger(&engine);
    Ledger ledger;
    ledger.setPriceTable(prices());
    AlertEngine alerts;
    AlertRule budget;
    budget.name = QStringLiteral("run budget");
    budget.kind = AlertRule::Kind::TokensPerRun;
    budget.threshold = 1; // the first call is over it
    budget.pauseRun = true;
    alerts.setRules({budget});
    alerts.setDebugger(&debugger);
    connect(&ledger, &Ledger::recorded, &alerts, &AlertEngine::addUsage);
    ledger.watch(&engine, o);
    QSignalSpy fired(&alerts, &AlertEngine::alert);
    QSignalSpy paused(&alerts, &AlertEngine::runPaused);

    QStringList order;
    connect(&engine, &runtime::GraphEngine::runEvent, this, [&](const runtime::RunEvent &e) {
        order << runtime::RunEvent::typeName(e.type) + QLatin1Char(':') + e.nodeId;
    });
    QSignalSpy finished(&engine, &runtime::GraphEngine::finished);
    engine.start();
    QTRY_COMPARE_WITH_TIMEOUT(engine.status(), runtime::RunStatus::Paused, 20000);
    QCOMPARE(fired.count(), 1);
    QCOMPARE(paused.count(), 1);
    QCOMPARE(engine.pausedAtNode(), QStringLiteral("llm2"));
    QCOMPARE(ledger.records().size(), size_t(1));
    QVERIFY2(!order.contains(QStringLiteral("node_started:llm2")), qPrintable(order.join(u' ')));

    // Resuming goes on; the rule does not fire again for this run.
    debugger.resume();
    QVERIFY(finished.count() || finished.wait(20000));
    QCOMPARE(engine.status(), runtime::RunStatus::Succeeded);
    QCOMPARE(ledger.records().size(), size_t(2));
    QCOMPARE(fired.count(), 1);
}

QTEST_GUILESS_MAIN(TestMeteringLedger)
#include "tst_metering_ledger.moc"

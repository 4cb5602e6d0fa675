// A run's cost estimate before it runs: prompt tokens counted by a real simulator's /tokenize on
// loopback (and equal to what the real run then reports), estimated when the endpoint's port is
// closed, max_tokens as the completion bound, priced with the PriceTable (unpriced stays
// unpriced, GPU-hour prices are time-priced).
#include "document/dslio.h"
#include "llm/simulator/simulator.h"
#include "metering/costestimate.h"
#include "metering/ledger.h"
#include "runtime/graphengine.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
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
        model: {provider: openai, name: gpt-4o, mode: chat, completion_params: {max_tokens: 256}}
        prompt_template:
        - {role: system, text: "You are terse."}
        - {role: user, text: "Summarize: {{#start.q#}}"}
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

} // namespace

class TestCostEstimate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void promptRendering();
    void exactCountFromSimulator();
    void estimatedWhenPortClosed();
    void gpuHourIsTimePriced();

private:
    CostEstimateRequest request(quint16 port) const
    {
        CostEstimateRequest r;
        r.workflow = m_workflow;
        r.inputs = Json{{"q", "the quarterly numbers went up by twelve percent"}};
        llm::LlmEndpoint e;
        e.config.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(port));
        e.config.kind = llm::ServerKind::VLlm;
        e.forcedModel = m_sim.config().model;
        r.endpoint = e;
        // $1 / $4 per million tokens.
        r.prices.addPrice(ModelPrice::tokens(m_sim.config().model, 1e-6, 4e-6));
        return r;
    }
    CostEstimate run(const CostEstimateRequest &r)
    {
        CostEstimator estimator;
        std::optional<CostEstimate> got;
        int calls = 0;
        estimator.estimate(r, this, [&](const CostEstimate &e) {
            got = e;
            ++calls;
        });
        if (!got)
            [&] { QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 10000); }();
        [&] { QCOMPARE(calls, 1); }();
        return got.value_or(CostEstimate{});
    }

    llm::Simulator m_sim;
    document::Workflow m_workflow;
};

void TestCostEstimate::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_sim.listen() != 0);
    auto loaded = document::loadWorkflowText(QByteArray(kTwoLlm), document::FileFormat::DifyYaml);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error().message));
    m_workflow = loaded->workflow;
}

void TestCostEstimate::promptRendering()
{
    const CostEstimateRequest r = request(m_sim.port());
    const auto prompt1 = estimatedPrompt(r, *m_workflow.node(QStringLiteral("llm1")));
    QCOMPARE(prompt1.size(), size_t(2));
    QCOMPARE(prompt1[0].role, QStringLiteral("system"));
    QCOMPARE(prompt1[1].text,
             QStringLiteral("Summarize: the quarterly numbers went up by twelve percent"));
    // A reference to another node's output cannot be known yet: it stays a placeholder.
    const auto prompt2 = estimatedPrompt(r, *m_workflow.node(QStringLiteral("llm2")));
    QCOMPARE(prompt2.size(), size_t(1));
    QCOMPARE(prompt2[0].text, QStringLiteral("again {{#llm1.text#}}"));
    QCOMPARE(estimateTokens(QStringLiteral("abcde")), qint64(2));
    QCOMPARE(estimateTokens(prompt2), qint64(3 + 4 + 6)); // 21 code points → 6
    QVERIFY(isLlmFamily(QStringLiteral("question-classifier")));
    QVERIFY(!isLlmFamily(QStringLiteral("code")));
    QCOMPARE(CostEstimator::tokenizeUrl(*r.endpoint).toString(),
             QStringLiteral("http://127.0.0.1:%1/tokenize").arg(m_sim.port()));
    llm::LlmEndpoint ollama;
    ollama.config.kind = llm::ServerKind::Ollama;
    ollama.config.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:11434/v1"));
    QVERIFY(CostEstimator::tokenizeUrl(ollama).isEmpty());
}

void TestCostEstimate::exactCountFromSimulator()
{
    const CostEstimateRequest r = request(m_sim.port());
    const int before = m_sim.requestCount();
    const CostEstimate e = run(r);
    QCOMPARE(m_sim.requestCount() - before, 2); // one /tokenize per LLM node
    QCOMPARE(e.nodes.size(), size_t(2));
    const NodeCostEstimate &n1 = e.nodes[0];
    QCOMPARE(n1.nodeId, QStringLiteral("llm1"));
    QCOMPARE(n1.model, m_sim.config().model);
    QCOMPARE(n1.promptCount, NodeCostEstimate::Count::Exact);
    QVERIFY(n1.tokenizeError.isEmpty());
    QVERIFY(n1.promptTokens > 10);
    QCOMPARE(n1.maxCompletionTokens, qint64(256));
    QVERIFY(n1.maxTokensFromParams);
    QVERIFY(n1.isPriced());
    QCOMPARE(n1.minCost->currency, QStringLiteral("USD"));
    QVERIFY(qFuzzyCompare(n1.minCost->amount, n1.promptTokens * 1e-6));
    QVERIFY(qFuzzyCompare(*n1.maxCost->usd, n1.promptTokens * 1e-6 + 256 * 4e-6));
    // No max_tokens: what is left of the simulator's context (max_model_len − prompt).
    const NodeCostEstimate &n2 = e.nodes[1];
    QCOMPARE(n2.promptCount, NodeCostEstimate::Count::Exact);
    QVERIFY(!n2.maxTokensFromParams);
    QCOMPARE(n2.maxCompletionTokens, m_sim.config().maxModelLen - n2.promptTokens);
    QCOMPARE(e.unpricedNodes, 0);
    QCOMPARE(e.promptTokens, n1.promptTokens + n2.promptTokens);
    QVERIFY(qFuzzyCompare(e.maxCostUsd, *n1.maxCost->usd + *n2.maxCost->usd));

    // The real run then reports exactly the counted prompt tokens for the fully known prompt.
    runtime::RunOptions o;
    o.inputs = r.inputs;
    o.llmEndpoint = r.endpoint;
    runtime::GraphEngine engine(m_workflow, o);
    Ledger ledger;
    ledger.watch(&engine, o);
    QSignalSpy finished(&engine, &runtime::GraphEngine::finished);
    engine.start();
    QVERIFY(finished.count() || finished.wait(20000));
    QCOMPARE(engine.status(), runtime::RunStatus::Succeeded);
    QCOMPARE(ledger.records().size(), size_t(2));
    QCOMPARE(ledger.records()[0].promptTokens, n1.promptTokens);
    QVERIFY(ledger.records()[0].completionTokens <= n1.maxCompletionTokens);
}

void TestCostEstimate::estimatedWhenPortClosed()
{
    // A port nobody listens on: connection refused, so every count is estimated.
    quint16 closed = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        closed = probe.serverPort();
    }
    CostEstimateRequest r = request(closed);
    r.prices = PriceTable(); // nothing priced: unpriced, never $0
    r.defaultMaxTokens = 1000;
    const CostEstimate e = run(r);
    QCOMPARE(e.nodes.size(), size_t(2));
    const NodeCostEstimate &n1 = e.nodes[0];
    QCOMPARE(n1.promptCount, NodeCostEstimate::Count::Estimated);
    QVERIFY(!n1.tokenizeError.isEmpty());
    const auto prompt = estimatedPrompt(r, *m_workflow.node(QStringLiteral("llm1")));
    QCOMPARE(n1.promptTokens, estimateTokens(prompt));
    QCOMPARE(n1.maxCompletionTokens, qint64(256));
    QCOMPARE(e.nodes[1].maxCompletionTokens, qint64(1000)); // the default
    QVERIFY(!n1.isPriced());
    QVERIFY(!n1.maxCost);
    QCOMPARE(e.unpricedNodes, 2);
    QCOMPARE(e.maxCostUsd, 0.0);
}

void TestCostEstimate::gpuHourIsTimePriced()
{
    CostEstimateRequest r = request(m_sim.port());
    r.prices = PriceTable();
    r.prices.addPrice(ModelPrice::gpuHour(m_sim.config().model, 2.5, 4));
    r.endpoint->config.kind = llm::ServerKind::OpenAI; // no /tokenize: answered at once
    const int before = m_sim.requestCount();
    const CostEstimate e = run(r);
    QCOMPARE(m_sim.requestCount(), before);
    QCOMPARE(e.nodes.size(), size_t(2));
    QVERIFY(e.nodes[0].timePriced);
    QVERIFY(!e.nodes[0].isPriced());
    QCOMPARE(e.nodes[0].promptCount, NodeCostEstimate::Count::Estimated);
    QVERIFY(e.nodes[0].tokenizeError.isEmpty());
    QCOMPARE(e.unpricedNodes, 2);
}

QTEST_GUILESS_MAIN(TestCostEstimate)
#include "tst_costestimate.moc"

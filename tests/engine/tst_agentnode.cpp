// The agent node (Flowbench's function-calling strategy) against the simulator: a tool call
// runs the built-in maths tool and its result goes back to the model, usage sums over the
// calls, a direct answer, the iteration limit, the ReAct fallback, and clean failures.
#include "llm/simulator/simulator.h"
#include "runtime/singlenoderun.h"
#include "variables/variablepool.h"

#include <QSignalSpy>
#include <QtTest>

using namespace flowbench;
using Json = nlohmann::json;

namespace {

Json agentData(const Json &query, int maxIterations = 5, Json tools = Json())
{
    if (tools.is_null())
        tools = Json::array({{{"provider_name", "maths"},
                              {"tool_name", "eval_expression"},
                              {"parameters", {{"expression", {{"auto", 1}, {"value", nullptr}}}}},
                              {"enabled", true}}});
    return Json{{"type", "agent"},
                {"title", "Agent"},
                {"agent_strategy_provider_name", "langgenius/agent/agent"},
                {"agent_strategy_name", "function_calling"},
                {"agent_parameters",
                 {{"model",
                   {{"type", "constant"},
                    {"value", {{"provider", "langgenius/openai/openai"}, {"model", "gpt-4o"}}}}},
                  {"instruction", {{"type", "constant"}, {"value", "You are a calculator."}}},
                  {"query", query},
                  {"tools", {{"type", "constant"}, {"value", tools}}},
                  {"maximum_iterations", {{"type", "constant"}, {"value", maxIterations}}}}}};
}

} // namespace

class TestAgentNode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void toolCallRunsBuiltinTool();
    void directAnswer();
    void iterationLimit();
    void reactFallback();
    void unknownToolFails();
    void serverFaultFailsCleanly();
    void noEndpointFailsClearly();

private:
    llm::LlmEndpoint endpoint() const
    {
        llm::LlmEndpoint e;
        e.config.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(m_sim.port()));
        e.config.kind = llm::ServerKind::VLlm;
        e.config.maxRetries = 0;
        e.forcedModel = m_sim.config().model;
        return e;
    }
    void run(runtime::SingleNodeRun &run, const Json &data, const variables::VariablePool &pool)
    {
        run.setLlmEndpoint(endpoint());
        QSignalSpy done(&run, &runtime::SingleNodeRun::finished);
        run.start(QStringLiteral("agent"), QStringLiteral("agent1"), data, pool);
        QVERIFY(done.count() || done.wait(15000));
    }
    static QString text(const runtime::NodeResult &r)
    {
        return QString::fromStdString(r.outputs.value("text", std::string()));
    }

    llm::Simulator m_sim;
};

void TestAgentNode::initTestCase()
{
    QVERIFY(m_sim.listen() != 0);
}

void TestAgentNode::toolCallRunsBuiltinTool()
{
    variables::VariablePool pool;
    pool.set("start", "q", "call eval_expression with {\"expression\": \"6*7\"}");
    const int before = m_sim.requestCount();
    runtime::SingleNodeRun r;
    run(r, agentData({{"type", "variable"}, {"value", {"start", "q"}}}), pool);
    const runtime::NodeResult &res = r.result();
    QVERIFY2(res.status == runtime::NodeResult::Status::Succeeded, qPrintable(res.error));
    QVERIFY2(text(res).contains(QStringLiteral("Tool result: 42")), qPrintable(text(res)));
    QCOMPARE(m_sim.requestCount() - before, 2);

    // The second request carries the assistant tool call and the tool message.
    const Json body = Json::parse(m_sim.lastRequestBody().toStdString());
    QCOMPARE(body["tools"][0]["function"]["name"], Json("eval_expression"));
    const Json &messages = body["messages"];
    QCOMPARE(messages.size(), size_t(4));
    QCOMPARE(messages[0]["role"], Json("system"));
    QCOMPARE(messages[2]["role"], Json("assistant"));
    QCOMPARE(messages[2]["tool_calls"][0]["function"]["name"], Json("eval_expression"));
    QCOMPARE(messages[3]["role"], Json("tool"));
    QCOMPARE(messages[3]["content"].dump().find("42") != std::string::npos, true);

    // Trace, usage summed over both calls, outputs and streaming.
    const Json &steps = res.processData["steps"];
    QCOMPARE(steps.size(), size_t(1));
    QCOMPARE(steps[0]["tool"], Json("eval_expression"));
    QCOMPARE(steps[0]["input"]["expression"], Json("6*7"));
    QCOMPARE(steps[0]["output"], Json("42"));
    QCOMPARE(res.processData["iterations"], Json(2));
    const Json &usage = res.outputs.at("usage");
    QVERIFY(usage["prompt_tokens"].get<qint64>() > 0);
    QCOMPARE(usage["total_tokens"].get<qint64>(),
             usage["prompt_tokens"].get<qint64>() + usage["completion_tokens"].get<qint64>());
    QCOMPARE(res.usage["total_tokens"], usage["total_tokens"]);
    QCOMPARE(res.outputs.at("files"), Json::array());
    QCOMPARE(res.outputs.at("json"), Json::array());
    QString streamed;
    for (const auto &c : r.chunks()) {
        QCOMPARE(c.selector, (QStringList{QStringLiteral("agent1"), QStringLiteral("text")}));
        streamed += c.text;
    }
    QCOMPARE(streamed, text(res));
    QVERIFY(r.chunks().back().isFinal);

    // Usage is the sum of both calls: more than one direct call of the same query.
    runtime::SingleNodeRun single;
    run(single, agentData({{"type", "mixed"}, {"value", "{{#start.q#}}"}}, 1), pool);
    QVERIFY(usage["total_tokens"].get<qint64>()
            > single.result().outputs.at("usage")["total_tokens"].get<qint64>());
}

void TestAgentNode::directAnswer()
{
    variables::VariablePool pool;
    pool.set("start", "name", "Ada");
    const int before = m_sim.requestCount();
    runtime::SingleNodeRun r;
    run(r, agentData({{"type", "mixed"}, {"value", "Say hello to {{#start.name#}}"}}), pool);
    const runtime::NodeResult &res = r.result();
    QVERIFY2(res.status == runtime::NodeResult::Status::Succeeded, qPrintable(res.error));
    QVERIFY2(text(res).contains(QStringLiteral("Echo: Say hello to Ada")), qPrintable(text(res)));
    QCOMPARE(m_sim.requestCount() - before, 1);
    QCOMPARE(res.processData["steps"], Json::array());
    QVERIFY(!res.processData.contains("note"));
}

void TestAgentNode::iterationLimit()
{
    const int before = m_sim.requestCount();
    runtime::SingleNodeRun r;
    run(r,
        agentData({{"type", "constant"},
                   {"value", "call eval_expression with {\"expression\": \"1+1\"}"}},
                  1),
        {});
    const runtime::NodeResult &res = r.result();
    QVERIFY2(res.status == runtime::NodeResult::Status::Succeeded, qPrintable(res.error));
    QCOMPARE(m_sim.requestCount() - before, 1);
    QCOMPARE(res.processData["iterations"], Json(1));
    QVERIFY(res.processData.contains("note"));
    QVERIFY(res.processData["note"].get<std::string>().find("1 iteration") != std::string::npos);
    QVERIFY(res.outputs.at("usage")["total_tokens"].get<qint64>() > 0);
    QVERIFY(!r.chunks().empty() && r.chunks().back().isFinal);
}

void TestAgentNode::reactFallback()
{
    // The simulator echoes the query, so its reply holds the ReAct lines and no tool call.
    runtime::SingleNodeRun r;
    run(r,
        agentData({{"type", "constant"},
                   {"value", "Thought: I need maths.\nAction: eval_expression\n"
                             "Action Input: {\"expression\": \"2+3\"}"}}),
        {});
    const runtime::NodeResult &res = r.result();
    QVERIFY2(res.status == runtime::NodeResult::Status::Succeeded, qPrintable(res.error));
    const Json &steps = res.processData["steps"];
    QVERIFY2(steps.size() == 1, qPrintable(text(res)));
    QCOMPARE(steps[0]["output"], Json("5"));
    QVERIFY2(text(res).contains(QStringLiteral("Observation: 5")), qPrintable(text(res)));
    const Json body = Json::parse(m_sim.lastRequestBody().toStdString());
    QCOMPARE(body["messages"].back()["role"], Json("user"));

    // Dify's chain-of-thought blob works too; a "Final Answer" action is the answer.
    runtime::SingleNodeRun blob;
    run(blob,
        agentData({{"type", "constant"},
                   {"value", "Action: {\"action\": \"eval_expression\", \"action_input\": "
                             "{\"expression\": \"3*3\"}}"}}),
        {});
    QVERIFY2(blob.result().status == runtime::NodeResult::Status::Succeeded,
             qPrintable(blob.result().error));
    QCOMPARE(blob.result().processData["steps"].size(), size_t(1));
    QCOMPARE(blob.result().processData["steps"][0]["output"], Json("9"));

    const int before = m_sim.requestCount();
    runtime::SingleNodeRun answer;
    run(answer,
        agentData({{"type", "constant"},
                   {"value", "Action: {\"action\": \"Final Answer\", \"action_input\": \"x\"}"}}),
        {});
    QCOMPARE(answer.result().status, runtime::NodeResult::Status::Succeeded);
    QCOMPARE(answer.result().processData["steps"], Json::array());
    QCOMPARE(m_sim.requestCount() - before, 1);
}

void TestAgentNode::unknownToolFails()
{
    const int before = m_sim.requestCount();
    runtime::SingleNodeRun r;
    run(r,
        agentData({{"type", "constant"}, {"value", "hi"}}, 5,
                  Json::array({{{"provider_name", "google"}, {"tool_name", "google_search"}}})),
        {});
    QCOMPARE(r.result().status, runtime::NodeResult::Status::Failed);
    QVERIFY2(r.result().error.contains(QStringLiteral("google_search")),
             qPrintable(r.result().error));
    QCOMPARE(m_sim.requestCount(), before);
}

void TestAgentNode::serverFaultFailsCleanly()
{
    m_sim.setFaults({.status = 500, .count = 1});
    runtime::SingleNodeRun r;
    run(r, agentData({{"type", "constant"}, {"value", "hi"}}), {});
    QCOMPARE(r.result().status, runtime::NodeResult::Status::Failed);
    QCOMPARE(r.result().errorType, QStringLiteral("LLMError"));
    QVERIFY(!r.result().error.isEmpty());
}

void TestAgentNode::noEndpointFailsClearly()
{
    runtime::SingleNodeRun r;
    QSignalSpy done(&r, &runtime::SingleNodeRun::finished);
    r.start(QStringLiteral("agent"), QStringLiteral("agent1"),
            agentData({{"type", "constant"}, {"value", "hi"}}), {});
    QVERIFY(done.count() || done.wait(5000));
    QCOMPARE(r.result().status, runtime::NodeResult::Status::Failed);
    QVERIFY(r.result().error.contains(QStringLiteral("--endpoint")));
}

QTEST_GUILESS_MAIN(TestAgentNode)
#include "tst_agentnode.moc"

// Dify conformance: the ten Dify 1.12.1 fixtures run with the inputs and pins of dify.md §10.2
// and give Dify's outputs and, where Dify's tests pin it, its event order.
#include "document/dslio.h"
#include "runtime/graphengine.h"

#include <QDir>
#include <QSignalSpy>
#include <QtTest>

using namespace flowbench;
using runtime::RunEvent;
using Json = nlohmann::json;

namespace {

document::Workflow fixture(const QString &name)
{
    auto loaded
        = document::loadWorkflowFile(QDir(QStringLiteral(FLOWBENCH_FIXTURES_DIR)).filePath(name));
    if (!loaded)
        qFatal("cannot load %s: %s", qPrintable(name), qPrintable(loaded.error().toString()));
    return loaded->workflow;
}

struct Outcome
{
    runtime::RunStatus status = runtime::RunStatus::NotStarted;
    Json outputs;
    QString error;
    std::vector<RunEvent> events;
    int exceptions = 0;
};

Outcome run(const document::Workflow &wf, const runtime::RunOptions &options)
{
    runtime::GraphEngine engine(wf, options);
    Outcome o;
    QObject::connect(&engine, &runtime::GraphEngine::runEvent, &engine,
                     [&o](const RunEvent &e) { o.events.push_back(e); });
    QSignalSpy finished(&engine, &runtime::GraphEngine::finished);
    engine.start();
    if (finished.isEmpty())
        finished.wait(30000);
    o.status = engine.status();
    o.outputs = engine.outputs();
    o.error = engine.error();
    o.exceptions = engine.exceptionsCount();
    return o;
}

// Event types as Dify's tests compare them (our NodeSkipped events have no Dify counterpart).
QStringList types(const std::vector<RunEvent> &events)
{
    QStringList out;
    for (const RunEvent &e : events) {
        if (e.type != RunEvent::Type::NodeSkipped)
            out << RunEvent::typeName(e.type);
    }
    return out;
}

QStringList chunks(const std::vector<RunEvent> &events)
{
    QStringList out;
    for (const RunEvent &e : events) {
        if (e.type == RunEvent::Type::NodeStreamChunk)
            out << e.chunk;
    }
    return out;
}

} // namespace

class TestConformance : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void passthrough_data();
    void passthrough();
    void endWithoutValueType();
    void helloBranching_data();
    void helloBranching();
    void answerWithText();
    void loopWithBreak();
    void iterationFlatten();
    void dualSwitchAggregator_data();
    void dualSwitchAggregator();
    void conversationVariables();
    void basicChatflowPinned();
    void basicChatflowFallback();
    void httpWithJsonTool();
    void httpWithRealJsonTool();
};

void TestConformance::passthrough_data()
{
    QTest::addColumn<QString>("query");
    QTest::newRow("ascii") << QStringLiteral("hello");
    QTest::newRow("unicode") << QStringLiteral("你好，世界 🤖 ünïcödé");
    QTest::newRow("5000 chars") << QString(5000, QLatin1Char('x'));
}

void TestConformance::passthrough()
{
    QFETCH(QString, query);
    runtime::RunOptions o;
    o.inputs = Json{{"query", query.toStdString()}};
    const Outcome r = run(fixture(QStringLiteral("simple_passthrough_workflow.yml")), o);
    QCOMPARE(r.status, runtime::RunStatus::Succeeded);
    QCOMPARE(r.outputs, (Json{{"query", query.toStdString()}}));
    QCOMPARE(types(r.events),
             (QStringList{QStringLiteral("run_started"), QStringLiteral("node_started"),
                          QStringLiteral("node_stream_chunk"), QStringLiteral("node_succeeded"),
                          QStringLiteral("node_started"), QStringLiteral("node_succeeded"),
                          QStringLiteral("run_succeeded")}));
    QCOMPARE(chunks(r.events), QStringList{query});
}

void TestConformance::endWithoutValueType()
{
    runtime::RunOptions o;
    o.inputs = Json{{"query", "test query"}};
    const Outcome r
        = run(fixture(QStringLiteral("end_node_without_value_type_field_workflow.yml")), o);
    QCOMPARE(r.status, runtime::RunStatus::Succeeded);
    QCOMPARE(r.outputs, (Json{{"query", "test query"}}));
}

void TestConformance::helloBranching_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("key");
    QTest::newRow("hello") << QStringLiteral("say hello there") << QStringLiteral("true");
    QTest::newRow("Hello is case-sensitive") << QStringLiteral("Hello") << QStringLiteral("false");
    QTest::newRow("no") << QStringLiteral("goodbye") << QStringLiteral("false");
}

void TestConformance::helloBranching()
{
    QFETCH(QString, query);
    QFETCH(QString, key);
    runtime::RunOptions o;
    o.inputs = Json{{"query", query.toStdString()}};
    const Outcome r = run(fixture(QStringLiteral("conditional_hello_branching_workflow.yml")), o);
    QCOMPARE(r.status, runtime::RunStatus::Succeeded);
    QCOMPARE(r.outputs, (Json{{key.toStdString(), query.toStdString()}})); // only one key present
}

void TestConformance::answerWithText()
{
    runtime::RunOptions o;
    o.query = QStringLiteral("Hello, AI!");
    const Outcome r = run(fixture(QStringLiteral("answer_end_with_text.yml")), o);
    QCOMPARE(r.status, runtime::RunStatus::Succeeded);
    QCOMPARE(r.outputs["answer"], Json("prefixHello, AI!suffix"));
    QCOMPARE(chunks(r.events), (QStringList{QStringLiteral("prefix"), QStringLiteral("Hello, AI!"),
                                            QStringLiteral("suffix")}));
    // All three chunks come before the start node succeeds (§8.2).
    const QStringList t = types(r.events);
    QCOMPARE(t.indexOf(QStringLiteral("node_succeeded")), 5);
}

void TestConformance::loopWithBreak()
{
    const Outcome r
        = run(fixture(QStringLiteral("increment_loop_with_break_condition_workflow.yml")), {});
    QCOMPARE(r.status, runtime::RunStatus::Succeeded);
    QCOMPARE(r.outputs, (Json{{"num", 5}}));
    int next = 0;
    for (const RunEvent &e : r.events)
        next += e.type == RunEvent::Type::LoopNext;
    QCOMPARE(next, 3); // rounds 1..4: num 2,3,4,5; the break after round 4
}

void TestConformance::iterationFlatten()
{
    const Outcome r
        = run(fixture(QStringLiteral("iteration_flatten_output_enabled_workflow.yml")), {});
    QVERIFY2(r.status == runtime::RunStatus::Succeeded, qPrintable(r.error));
    QCOMPARE(r.outputs, (Json{{"output", {1, 2, 2, 4, 3, 6}}}));
}

void TestConformance::dualSwitchAggregator_data()
{
    QTest::addColumn<int>("s1");
    QTest::addColumn<int>("s2");
    for (int a = 0; a <= 1; ++a)
        for (int b = 0; b <= 1; ++b)
            QTest::addRow("%d%d", a, b) << a << b;
}

void TestConformance::dualSwitchAggregator()
{
    QFETCH(int, s1);
    QFETCH(int, s2);
    runtime::RunOptions o;
    o.inputs = Json{{"switch1", s1}, {"switch2", s2}};
    const Outcome r
        = run(fixture(QStringLiteral("dual_switch_variable_aggregator_workflow.yml")), o);
    QVERIFY2(r.status == runtime::RunStatus::Succeeded, qPrintable(r.error));
    QCOMPARE(r.outputs, (Json{{"group1", s1 ? "switch 1 on" : "switch 1 off"},
                              {"group2", s2 ? "switch 2 on" : "switch 2 off"}}));
}

void TestConformance::conversationVariables()
{
    runtime::RunOptions o;
    o.query = QStringLiteral("Hello, this is my test query");
    const Outcome r = run(fixture(QStringLiteral("test_streaming_conversation_variables.yml")), o);
    QVERIFY2(r.status == runtime::RunStatus::Succeeded, qPrintable(r.error));
    QCOMPARE(r.outputs["answer"], Json("Hello, this is my test query"));
}

void TestConformance::basicChatflowPinned()
{
    runtime::RunOptions o;
    o.query = QStringLiteral("hi");
    o.pinnedOutputs.insert(QStringLiteral("llm"), Json{{"text", "mocked llm response"}});
    const Outcome r = run(fixture(QStringLiteral("basic_chatflow.yml")), o);
    QVERIFY2(r.status == runtime::RunStatus::Succeeded, qPrintable(r.error));
    QCOMPARE(r.outputs["answer"], Json("mocked llm response"));
    // The pinned LLM streams as Dify's mock does: word by word, through the answer.
    QCOMPARE(chunks(r.events).join(QString()), QStringLiteral("mocked llm response"));
}

void TestConformance::basicChatflowFallback()
{
    document::Workflow wf = fixture(QStringLiteral("basic_chatflow.yml"));
    document::Node *llm = wf.node(QStringLiteral("llm"));
    QVERIFY(llm);
    llm->data["error_strategy"] = "default-value";
    llm->data["default_value"]
        = Json::array({{{"key", "text"}, {"type", "string"}, {"value", "fallback response"}}});
    runtime::RunOptions o;
    o.query = QStringLiteral("hi");
    o.forcedFailures.insert(QStringLiteral("llm"), QStringLiteral("model unavailable"));
    const Outcome r = run(wf, o);
    QCOMPARE(r.status, runtime::RunStatus::PartialSucceeded);
    QCOMPARE(r.outputs["answer"], Json("fallback response"));
    QCOMPARE(r.exceptions, 1);
}

void TestConformance::httpWithJsonTool()
{
    runtime::RunOptions o;
    o.inputs = Json{{"url", "https://example.invalid/api"}};
    o.pinnedOutputs.insert(QStringLiteral("http_node"),
                           Json{{"status_code", 200},
                                {"body", "{\"key\":\"value\",\"number\":42}"},
                                {"headers", Json::object()}});
    o.pinnedOutputs.insert(QStringLiteral("tool_node"),
                           Json{{"result", {{"key", "value"}, {"number", 42}}}});
    const Outcome r = run(fixture(QStringLiteral("http_request_with_json_tool_workflow.yml")), o);
    QVERIFY2(r.status == runtime::RunStatus::Succeeded, qPrintable(r.error));
    QCOMPARE(r.outputs,
             (Json{{"status_code", 200}, {"parsed_data", {{"key", "value"}, {"number", 42}}}}));
}

// The same fixture with only the HTTP node pinned: the built-in json_parse tool runs for real.
void TestConformance::httpWithRealJsonTool()
{
    runtime::RunOptions o;
    o.inputs = Json{{"url", "https://example.invalid/api"}};
    o.pinnedOutputs.insert(QStringLiteral("http_node"),
                           Json{{"status_code", 200},
                                {"body", "{\"key\":\"value\",\"number\":42}"},
                                {"headers", Json::object()}});
    const Outcome r = run(fixture(QStringLiteral("http_request_with_json_tool_workflow.yml")), o);
    QVERIFY2(r.status == runtime::RunStatus::Succeeded, qPrintable(r.error));
    QCOMPARE(r.outputs,
             (Json{{"status_code", 200}, {"parsed_data", {{"key", "value"}, {"number", 42}}}}));
}

QTEST_GUILESS_MAIN(TestConformance)
#include "tst_conformance.moc"

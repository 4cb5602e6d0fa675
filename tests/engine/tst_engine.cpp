// Engine semantics beyond the fixtures: error strategies and retries (§7), skip propagation
// (§4), iteration error modes and parallelism, loops, limits, and the debugger (breakpoints,
// step, variable edits, stop cancelling in-flight HTTP).
#include "document/workflow.h"
#include "runtime/graphengine.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

using namespace flowbench;
using runtime::RunEvent;
using Json = nlohmann::json;

namespace {

Json node(const std::string &id, Json data, const std::string &parent = {})
{
    Json n{{"id", id},
           {"type", "custom"},
           {"data", std::move(data)},
           {"position", {{"x", 0}, {"y", 0}}}};
    if (!parent.empty())
        n["parentId"] = parent;
    return n;
}

Json edge(const std::string &s, const std::string &t, const std::string &handle = "source")
{
    return Json{
        {"id", s + "-" + handle + "-" + t}, {"source", s}, {"sourceHandle", handle}, {"target", t}};
}

Json start(Json variables = Json::array())
{
    return node("start",
                Json{{"type", "start"}, {"title", "Start"}, {"variables", std::move(variables)}});
}

Json textInput(const std::string &name)
{
    return Json{{"variable", name}, {"label", name}, {"type", "text-input"}, {"required", false}};
}

Json agg(const std::string &title, Json selectors)
{
    return Json{{"type", "variable-aggregator"},
                {"title", title},
                {"variables", std::move(selectors)},
                {"output_type", "string"}};
}

Json end(Json outputs)
{
    return node("end", Json{{"type", "end"}, {"title", "End"}, {"outputs", std::move(outputs)}});
}

Json out(const std::string &name, const std::string &n, const std::string &var)
{
    return Json{{"variable", name}, {"value_selector", {n, var}}};
}

document::Workflow workflow(Json nodes, Json edges, const char *mode = "workflow")
{
    auto wf = document::Workflow::fromJson(Json{
        {"app", {{"name", "t"}, {"mode", mode}}},
        {"kind", "app"},
        {"version", "0.5.0"},
        {"workflow", {{"graph", {{"nodes", std::move(nodes)}, {"edges", std::move(edges)}}}}}});
    if (!wf)
        qFatal("%s", qPrintable(wf.error().message));
    return *wf;
}

struct Recorder
{
    std::vector<RunEvent> events;
    QStringList of(RunEvent::Type type) const
    {
        QStringList ids;
        for (const RunEvent &e : events)
            if (e.type == type)
                ids << e.nodeId;
        return ids;
    }
};

bool waitFinished(runtime::GraphEngine &engine, int ms = 20000)
{
    QSignalSpy spy(&engine, &runtime::GraphEngine::finished);
    if (engine.status() != runtime::RunStatus::Running
        && engine.status() != runtime::RunStatus::Paused)
        return spy.wait(100) || true;
    return spy.wait(ms);
}

} // namespace

class TestEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void failBranchAfterRetries();
    void defaultValueMakesPartialSuccess();
    void failureWithoutStrategyFailsRun();
    void skipPropagatesAndJoinWaits();
    void iterationErrorModes_data();
    void iterationErrorModes();
    void parallelIterationKeepsOrder();
    void loopWithZeroRoundsOutputsNothing();
    void maxStepsAborts();
    void unknownKindRefusesToStart();
    void breakpointStepEditContinue();
    void stopCancelsInFlightHttp();
    void conditionalBreakpointAndRunTo_data();
    void conditionalBreakpointAndRunTo();
};

void TestEngine::failBranchAfterRetries()
{
    // A code node that fails twice over (1 try + 2 retries) and then takes its fail-branch.
    Json code{
        {"type", "code"},
        {"title", "C"},
        {"code_language", "python3"},
        {"code", "def main():\n  return {}\n"},
        {"variables", Json::array()},
        {"outputs", Json::object()},
        {"error_strategy", "fail-branch"},
        {"retry_config", {{"retry_enabled", true}, {"max_retries", 2}, {"retry_interval", 10}}}};
    auto wf = workflow(
        Json::array({start(), node("code", code), node("ok", agg("ok", Json::array())),
                     node("bad", agg("bad", Json::array({{"code", "error_message"}}))),
                     end(Json::array({out("err", "bad", "output")}))}),
        Json::array({edge("start", "code"), edge("code", "ok"), edge("code", "bad", "fail-branch"),
                     edge("ok", "end"), edge("bad", "end")}));
    runtime::RunOptions o;
    o.forcedFailures.insert(QStringLiteral("code"), QStringLiteral("boom"));
    runtime::GraphEngine engine(wf, o);
    Recorder r;
    connect(&engine, &runtime::GraphEngine::runEvent, this,
            [&r](const RunEvent &e) { r.events.push_back(e); });
    engine.start();
    QVERIFY(waitFinished(engine));
    QCOMPARE(engine.status(), runtime::RunStatus::PartialSucceeded);
    QCOMPARE(engine.exceptionsCount(), 3); // every failed attempt counts (§7)
    QCOMPARE(r.of(RunEvent::Type::NodeRetry).size(), 2);
    QCOMPARE(r.of(RunEvent::Type::NodeStarted).count(QStringLiteral("code")),
             1); // only the first attempt
    QCOMPARE(r.of(RunEvent::Type::NodeException), QStringList{QStringLiteral("code")});
    QCOMPARE(r.of(RunEvent::Type::NodeSkipped), QStringList{QStringLiteral("ok")});
    QCOMPARE(engine.outputs(), (Json{{"err", "boom"}}));
}

void TestEngine::defaultValueMakesPartialSuccess()
{
    Json code{
        {"type", "code"},
        {"title", "C"},
        {"code_language", "python3"},
        {"code", "x"},
        {"variables", Json::array()},
        {"outputs", {{"n", {{"type", "number"}}}}},
        {"error_strategy", "default-value"},
        {"default_value", Json::array({{{"key", "n"}, {"type", "number"}, {"value", "42"}}})}};
    auto wf = workflow(
        Json::array({start(), node("code", code),
                     end(Json::array({out("n", "code", "n"), out("t", "code", "error_type")}))}),
        Json::array({edge("start", "code"), edge("code", "end")}));
    runtime::RunOptions o;
    o.forcedFailures.insert(QStringLiteral("code"), QStringLiteral("down"));
    runtime::GraphEngine engine(wf, o);
    engine.start();
    QVERIFY(waitFinished(engine));
    QCOMPARE(engine.status(), runtime::RunStatus::PartialSucceeded);
    QCOMPARE(engine.outputs(), (Json{{"n", 42}, {"t", "ForcedFailure"}}));
}

void TestEngine::failureWithoutStrategyFailsRun()
{
    auto wf
        = workflow(Json::array({start(), node("a", agg("A", Json::array())), end(Json::array())}),
                   Json::array({edge("start", "a"), edge("a", "end")}));
    runtime::RunOptions o;
    o.forcedFailures.insert(QStringLiteral("a"), QStringLiteral("no good"));
    runtime::GraphEngine engine(wf, o);
    Recorder r;
    connect(&engine, &runtime::GraphEngine::runEvent, this,
            [&r](const RunEvent &e) { r.events.push_back(e); });
    engine.start();
    QVERIFY(waitFinished(engine));
    QCOMPARE(engine.status(), runtime::RunStatus::Failed);
    QCOMPARE(engine.error(), QStringLiteral("no good"));
    QVERIFY(!r.of(RunEvent::Type::NodeStarted).contains(QStringLiteral("end")));
}

void TestEngine::skipPropagatesAndJoinWaits()
{
    // start → if (q contains "x") → a → c ; else → b → c ; a/b → d (only via a) ; c joins both.
    Json cond{
        {"type", "if-else"},
        {"title", "IF"},
        {"cases", Json::array({{{"case_id", "true"},
                                {"id", "true"},
                                {"logical_operator", "and"},
                                {"conditions", Json::array({{{"id", "1"},
                                                             {"varType", "string"},
                                                             {"variable_selector", {"start", "q"}},
                                                             {"comparison_operator", "contains"},
                                                             {"value", "x"}}})}}})}};
    auto wf = workflow(
        Json::array({start(Json::array({textInput("q")})), node("if", cond),
                     node("a", agg("A", Json::array({{"start", "q"}}))),
                     node("b", agg("B", Json::array({{"start", "q"}}))),
                     node("d", agg("D", Json::array({{"a", "output"}}))),
                     node("c", agg("C", Json::array({{"a", "output"}, {"b", "output"}}))),
                     end(Json::array({out("c", "c", "output"), out("d", "d", "output")}))}),
        Json::array({edge("start", "if"), edge("if", "a", "true"), edge("if", "b", "false"),
                     edge("a", "c"), edge("b", "c"), edge("a", "d"), edge("c", "end"),
                     edge("d", "end")}));
    runtime::RunOptions o;
    o.inputs = Json{{"q", "no match"}};
    runtime::GraphEngine engine(wf, o);
    Recorder r;
    connect(&engine, &runtime::GraphEngine::runEvent, this,
            [&r](const RunEvent &e) { r.events.push_back(e); });
    engine.start();
    QVERIFY(waitFinished(engine));
    QCOMPARE(engine.status(), runtime::RunStatus::Succeeded);
    QCOMPARE(r.of(RunEvent::Type::NodeSkipped),
             (QStringList{QStringLiteral("a"), QStringLiteral("d")}));
    QCOMPARE(r.of(RunEvent::Type::NodeSucceeded).count(QStringLiteral("c")), 1); // joined once
    QCOMPARE(r.of(RunEvent::Type::NodeSucceeded).count(QStringLiteral("end")), 1);
    // The skipped branch's output reads as missing: null in the End outputs.
    QCOMPARE(engine.outputs(), (Json{{"c", "no match"}, {"d", nullptr}}));
}

namespace {

// start → source (pinned list) → iteration over it: the body fails for item 2.
document::Workflow iterationWorkflow(const std::string &mode, bool parallel)
{
    Json it{{"type", "iteration"},
            {"title", "It"},
            {"start_node_id", "itstart"},
            {"iterator_selector", {"source", "output"}},
            {"output_selector", {"body", "output"}},
            {"output_type", "array[number]"},
            {"is_parallel", parallel},
            {"parallel_nums", 3},
            {"error_handle_mode", mode}};
    Json body{{"type", "code"},
              {"title", "Body"},
              {"code_language", "python3"},
              {"code", "def main(x):\n    if x == 2:\n        raise ValueError('two')\n    return "
                       "{'output': x * 10}\n"},
              {"variables", Json::array({{{"variable", "x"}, {"value_selector", {"it", "item"}}}})},
              {"outputs", {{"output", {{"type", "number"}}}}},
              {"isInIteration", true},
              {"iteration_id", "it"}};
    return workflow(
        Json::array(
            {start(), node("source", agg("S", Json::array())), node("it", it),
             node("itstart",
                  Json{{"type", "iteration-start"}, {"title", ""}, {"isInIteration", true}}, "it"),
             node("body", body, "it"), end(Json::array({out("out", "it", "output")}))}),
        Json::array({edge("start", "source"), edge("source", "it"), edge("itstart", "body"),
                     edge("it", "end")}));
}

} // namespace

void TestEngine::iterationErrorModes_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("output");
    QTest::newRow("terminated") << "terminated"
                                << "failed"
                                << "null";
    QTest::newRow("continue-on-error") << "continue-on-error"
                                       << "succeeded"
                                       << "[10, null, 30]";
    QTest::newRow("remove-abnormal-output") << "remove-abnormal-output"
                                            << "succeeded"
                                            << "[10, 30]";
}

void TestEngine::iterationErrorModes()
{
    QFETCH(QString, mode);
    QFETCH(QString, status);
    QFETCH(QString, output);
    runtime::RunOptions o;
    o.pinnedOutputs.insert(QStringLiteral("source"), Json{{"output", {1, 2, 3}}});
    runtime::GraphEngine engine(iterationWorkflow(mode.toStdString(), false), o);
    engine.start();
    QVERIFY(waitFinished(engine));
    QCOMPARE(runtime::runStatusName(engine.status()), status);
    if (status == QLatin1String("succeeded"))
        QCOMPARE(engine.outputs()["out"], Json::parse(output.toStdString()));
    else
        QVERIFY(engine.error().contains(QStringLiteral("two")));
}

void TestEngine::parallelIterationKeepsOrder()
{
    runtime::RunOptions o;
    Json items = Json::array();
    for (int i = 3; i < 12; ++i)
        items.push_back(i);
    o.pinnedOutputs.insert(QStringLiteral("source"), Json{{"output", items}});
    runtime::GraphEngine engine(iterationWorkflow("terminated", true), o);
    int concurrent = 0, peak = 0;
    connect(&engine, &runtime::GraphEngine::runEvent, this, [&](const RunEvent &e) {
        if (e.nodeId != QLatin1String("body"))
            return;
        if (e.type == RunEvent::Type::NodeStarted)
            peak = std::max(peak, ++concurrent);
        else if (e.type == RunEvent::Type::NodeSucceeded || e.type == RunEvent::Type::NodeFailed)
            --concurrent;
    });
    engine.start();
    QVERIFY(waitFinished(engine));
    QCOMPARE(engine.status(), runtime::RunStatus::Succeeded);
    Json expected = Json::array();
    for (int i = 3; i < 12; ++i)
        expected.push_back(i * 10);
    QCOMPARE(engine.outputs()["out"], expected); // in item order whatever finished first
    QVERIFY2(peak > 1 && peak <= 3, qPrintable(QString::number(peak))); // parallel_nums = 3
}

void TestEngine::loopWithZeroRoundsOutputsNothing()
{
    Json loop{{"type", "loop"},
              {"title", "L"},
              {"start_node_id", "lstart"},
              {"loop_count", 5},
              {"logical_operator", "and"},
              {"loop_variables", Json::array({{{"label", "n"},
                                               {"var_type", "number"},
                                               {"value_type", "constant"},
                                               {"value", "7"}}})},
              {"break_conditions", Json::array({{{"variable_selector", {"loop", "n"}},
                                                 {"comparison_operator", "≥"},
                                                 {"value", "5"},
                                                 {"varType", "number"}}})}};
    auto wf = workflow(
        Json::array(
            {start(), node("loop", loop),
             node("lstart", Json{{"type", "loop-start"}, {"title", ""}, {"isInLoop", true}},
                  "loop"),
             end(Json::array({out("round", "loop", "loop_round"), out("n", "loop", "n")}))}),
        Json::array({edge("start", "loop"), edge("loop", "end")}));
    runtime::GraphEngine engine(wf, {});
    engine.start();
    QVERIFY(waitFinished(engine));
    QCOMPARE(engine.status(), runtime::RunStatus::Succeeded);
    // No round ran: no loop_round output, but the loop variable is readable at [loop, n] (§12).
    QCOMPARE(engine.outputs(), (Json{{"round", nullptr}, {"n", 7}}));
}

void TestEngine::maxStepsAborts()
{
    Json nodes = Json::array({start()}), edges = Json::array();
    std::string prev = "start";
    for (int i = 0; i < 20; ++i) {
        const std::string id = "n" + std::to_string(i);
        nodes.push_back(node(id, agg(id, Json::array())));
        edges.push_back(edge(prev, id));
        prev = id;
    }
    nodes.push_back(end(Json::array()));
    edges.push_back(edge(prev, "end"));
    runtime::RunOptions o;
    o.maxSteps = 10;
    runtime::GraphEngine engine(workflow(nodes, edges), o);
    engine.start();
    QVERIFY(waitFinished(engine));
    QCOMPARE(engine.status(), runtime::RunStatus::Stopped);
    QCOMPARE(engine.error(), QStringLiteral("Aborted: Maximum execution steps exceeded: 11 > 10"));
}

void TestEngine::unknownKindRefusesToStart()
{
    auto wf = workflow(
        Json::array({start(),
                     node("p", Json{{"type", "langgenius/some-plugin"}, {"title", "Plugin"}}),
                     end(Json::array())}),
        Json::array({edge("start", "p"), edge("p", "end")}));
    runtime::GraphEngine engine(wf, {});
    auto ok = engine.prepare();
    QVERIFY(!ok);
    QVERIFY2(ok.error().message.contains(QStringLiteral("langgenius/some-plugin")),
             qPrintable(ok.error().message));
}

void TestEngine::breakpointStepEditContinue()
{
    auto wf = workflow(
        Json::array({start(Json::array({textInput("q")})),
                     node("a1", agg("A1", Json::array({{"start", "q"}}))),
                     node("a2", agg("A2", Json::array({{"a1", "output"}}))),
                     node("a3", agg("A3", Json::array({{"a2", "output"}}))),
                     end(Json::array({out("out", "a3", "output")}))}),
        Json::array({edge("start", "a1"), edge("a1", "a2"), edge("a2", "a3"), edge("a3", "end")}));
    runtime::RunOptions o;
    o.inputs = Json{{"q", "original"}};
    o.breakpoints.insert(QStringLiteral("a1"));
    runtime::GraphEngine engine(wf, o);
    QSignalSpy events(&engine, &runtime::GraphEngine::runEvent);
    engine.start();
    QCOMPARE(engine.status(), runtime::RunStatus::Paused);
    QCOMPARE(engine.pausedAtNode(), QStringLiteral("a1"));
    QVERIFY(!engine.pool().contains({"a1", "output"}));

    const QStringList expected{QStringLiteral("a2"), QStringLiteral("a3"), QStringLiteral("end")};
    for (const QString &next : expected) {
        engine.step();
        QTRY_COMPARE(engine.status(), runtime::RunStatus::Paused);
        QCOMPARE(engine.pausedAtNode(), next);
    }
    QCOMPARE(*engine.pool().find({"a3", "output"}), Json("original"));
    // Type-checked edits: a string stays a string.
    QVERIFY(!engine.setVariable({"a3", "output"}, Json(5)));
    QVERIFY(engine.setVariable({"a3", "output"}, Json("edited")));
    engine.resume();
    QVERIFY(waitFinished(engine));
    QCOMPARE(engine.status(), runtime::RunStatus::Succeeded);
    QCOMPARE(engine.outputs(), (Json{{"out", "edited"}}));
}

void TestEngine::stopCancelsInFlightHttp()
{
    // A server that accepts and never answers; one branch waits on it, the other finishes.
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QTcpSocket *peer = nullptr;
    connect(&server, &QTcpServer::newConnection, this,
            [&] { peer = server.nextPendingConnection(); });
    const std::string url = "http://127.0.0.1:" + std::to_string(server.serverPort()) + "/slow";
    Json http{{"type", "http-request"},
              {"title", "Slow"},
              {"method", "get"},
              {"url", url},
              {"authorization", {{"type", "no-auth"}}},
              {"headers", ""},
              {"params", ""},
              {"body", {{"type", "none"}, {"data", Json::array()}}},
              {"timeout", {{"connect", 10}, {"read", 60}, {"write", 10}}}};
    auto wf = workflow(
        Json::array({start(), node("http", http), node("fast", agg("Fast", Json::array())),
                     end(Json::array({out("s", "http", "status_code")}))}),
        Json::array({edge("start", "http"), edge("start", "fast"), edge("http", "end"),
                     edge("fast", "end")}));
    runtime::GraphEngine engine(wf, {});
    Recorder r;
    connect(&engine, &runtime::GraphEngine::runEvent, this,
            [&r](const RunEvent &e) { r.events.push_back(e); });
    engine.start();
    QTRY_VERIFY(peer != nullptr);
    QTRY_VERIFY(r.of(RunEvent::Type::NodeSucceeded).contains(QStringLiteral("fast")));
    QSignalSpy closed(peer, &QTcpSocket::disconnected);
    engine.stop();
    QCOMPARE(engine.status(), runtime::RunStatus::Stopped);
    QVERIFY(closed.wait(5000)
            || peer->state() == QAbstractSocket::UnconnectedState); // request aborted
    QVERIFY(!r.of(RunEvent::Type::NodeSucceeded).contains(QStringLiteral("http")));
    QCOMPARE(r.events.back().type, RunEvent::Type::RunStopped);
}

void TestEngine::conditionalBreakpointAndRunTo_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("condition");
    QTest::addColumn<bool>("pauses");
    QTest::newRow("true") << "refund please"
                          << R"(v("start.q").includes("refund"))" << true;
    QTest::newRow("false") << "hello"
                           << R"(v("start.q").includes("refund"))" << false;
    QTest::newRow("pool object") << "abc"
                                 << R"(pool["start"]["q"].length === 3)" << true;
    QTest::newRow("broken expression pauses") << "x"
                                              << "this is not js" << true;
}

void TestEngine::conditionalBreakpointAndRunTo()
{
    QFETCH(QString, query);
    QFETCH(QString, condition);
    QFETCH(bool, pauses);
    auto wf = workflow(Json::array({start(Json::array({textInput("q")})),
                                    node("a1", agg("A1", Json::array({{"start", "q"}}))),
                                    node("a2", agg("A2", Json::array({{"a1", "output"}}))),
                                    end(Json::array({out("out", "a2", "output")}))}),
                       Json::array({edge("start", "a1"), edge("a1", "a2"), edge("a2", "end")}));
    runtime::RunOptions o;
    o.inputs = Json{{"q", query.toStdString()}};
    o.breakpoints.insert(QStringLiteral("a1"));
    o.breakpointConditions.insert(QStringLiteral("a1"), condition);
    runtime::GraphEngine engine(wf, o);
    Recorder r;
    connect(&engine, &runtime::GraphEngine::runEvent, this,
            [&r](const RunEvent &e) { r.events.push_back(e); });
    engine.start();
    if (!pauses) {
        QVERIFY(waitFinished(engine));
        QCOMPARE(engine.status(), runtime::RunStatus::Succeeded);
        return;
    }
    QCOMPARE(engine.status(), runtime::RunStatus::Paused);
    QCOMPARE(engine.pausedAtNode(), QStringLiteral("a1"));
    if (condition == QLatin1String("this is not js"))
        QVERIFY(r.events.back().error.contains(QStringLiteral("breakpoint condition")));
    // Run to the end node: a1 and a2 run, then it pauses again.
    engine.runTo(QStringLiteral("end"));
    QTRY_COMPARE(engine.status(), runtime::RunStatus::Paused);
    QCOMPARE(engine.pausedAtNode(), QStringLiteral("end"));
    // An edit while paused is recorded as an event of the run.
    QVERIFY(engine.setVariable({"a2", "output"}, Json("changed")));
    QCOMPARE(r.events.back().type, RunEvent::Type::VariableEdited);
    QCOMPARE(r.events.back().outputs["value"], Json("changed"));
    engine.resume();
    QVERIFY(waitFinished(engine));
    QCOMPARE(engine.outputs(), (Json{{"out", "changed"}}));
}

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"

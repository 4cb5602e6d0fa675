// question-classifier and parameter-extractor against the simulator (a real vLLM-format server
// on loopback). The simulator echoes the last user message ("Echo: <query> This is a simulated
// reply."), so a query that embeds a JSON answer gets it back; with tools offered it calls
// "call <tool> with {...}" mentions, or fills a forced tool's required properties by schema.
#include "document/dslio.h"
#include "llm/simulator/simulator.h"
#include "nodes/llmnodesupport.h"
#include "runtime/graphengine.h"
#include "runtime/singlenoderun.h"

#include <QSignalSpy>
#include <QtTest>

using namespace flowbench;
using Json = nlohmann::json;

namespace {

Json classifierData(const QString &instruction = {})
{
    return Json{
        {"type", "question-classifier"},
        {"title", "Classifier"},
        {"query_variable_selector", {"start", "q"}},
        {"model", {{"provider", "langgenius/openai/openai"}, {"name", "gpt-4o"}}},
        {"instruction", instruction.toStdString()},
        {"classes", Json::array({{{"id", "1"}, {"name", "Billing"}},
                                 {{"id", "2"}, {"name", "Technical support"}},
                                 {{"id", "3"}, {"name", "Other"}, {"label", "Fallback"}}})}};
}

Json extractorData(const std::string &mode)
{
    return Json{
        {"type", "parameter-extractor"},
        {"title", "Extractor"},
        {"query", {"start", "q"}},
        {"model", {{"name", "gpt-4o"}}},
        {"instruction", "Trip planning"},
        {"reasoning_mode", mode},
        {"parameters",
         Json::array(
             {{{"name", "city"}, {"type", "string"}, {"description", "City"}, {"required", true}},
              {{"name", "days"}, {"type", "number"}, {"description", "Days"}, {"required", true}},
              {{"name", "unit"},
               {"type", "select"},
               {"options", {"metric", "imperial"}},
               {"required", false}},
              {{"name", "tags"}, {"type", "array[string]"}, {"required", false}},
              {{"name", "pets"}, {"type", "bool"}, {"required", false}}})}};
}

std::string s(const Json &j)
{
    return j.is_string() ? j.get<std::string>() : j.dump();
}

} // namespace

class TestClassifierExtractor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void findJsonObject_data();
    void findJsonObject();

    void classifierPicksIdFromReply();
    void classifierMatchesNameCaseInsensitively();
    void classifierFallsBackToFirstClass();
    void classifierServerErrorFails();
    void classifierWithoutEndpointFails();

    void extractorFunctionCall();
    void extractorFunctionCallSchemaDefaults();
    void extractorConvertsTypes();
    void extractorPromptMode();
    void extractorRequiredMissing();
    void extractorInvalidValue();
    void extractorNothingParsable();
    void extractorServerErrorFails();

    void chatflowRoutesOnClass();

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
    runtime::NodeResult run(const QString &kind, const Json &data, const QString &query,
                            bool withEndpoint = true)
    {
        variables::VariablePool pool;
        pool.set("start", "q", query.toStdString());
        runtime::SingleNodeRun r;
        if (withEndpoint)
            r.setLlmEndpoint(endpoint());
        QSignalSpy done(&r, &runtime::SingleNodeRun::finished);
        r.start(kind, QStringLiteral("n1"), data, pool);
        if (!done.count() && !done.wait(15000))
            return runtime::NodeResult::failure(QStringLiteral("test: timed out"));
        return r.result();
    }
    Json lastBody() const { return Json::parse(m_sim.lastRequestBody().toStdString()); }

    llm::Simulator m_sim;
};

void TestClassifierExtractor::initTestCase()
{
    QVERIFY(m_sim.listen() != 0);
}

void TestClassifierExtractor::init()
{
    m_sim.setFaults({.count = 0});
}

void TestClassifierExtractor::findJsonObject_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // compact JSON, "" for none
    QTest::newRow("whole") << QStringLiteral(" {\"a\": 1} ") << QStringLiteral("{\"a\":1}");
    QTest::newRow("fence") << QStringLiteral("Sure:\n```json\n{\"a\": [1, 2]}\n```\nDone")
                           << QStringLiteral("{\"a\":[1,2]}");
    QTest::newRow("plain fence") << QStringLiteral("```\n{\"b\": true}\n```")
                                 << QStringLiteral("{\"b\":true}");
    QTest::newRow("inline") << QStringLiteral("Echo: pick {\"id\": \"}{\"} please")
                            << QStringLiteral("{\"id\":\"}{\"}");
    QTest::newRow("nested") << QStringLiteral("x {\"o\": {\"p\": 1}} y")
                            << QStringLiteral("{\"o\":{\"p\":1}}");
    QTest::newRow("skips broken") << QStringLiteral("{not json} then {\"c\": 3}")
                                  << QStringLiteral("{\"c\":3}");
    QTest::newRow("none") << QStringLiteral("no json here [1, 2]") << QString();
}

void TestClassifierExtractor::findJsonObject()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const auto found = nodes::llmsupport::findJsonObject(text);
    QCOMPARE(found ? QString::fromStdString(found->dump()) : QString(), expected);
}

void TestClassifierExtractor::classifierPicksIdFromReply()
{
    const runtime::NodeResult r
        = run(QStringLiteral("question-classifier"), classifierData(QStringLiteral("Be strict")),
              QStringLiteral("My app crashes. {\"category_id\": \"2\"}"));
    QVERIFY2(r.status == runtime::NodeResult::Status::Succeeded, qPrintable(r.error));
    QCOMPARE(r.edgeSourceHandle, QStringLiteral("2"));
    QCOMPARE(r.outputs["class_id"], Json("2"));
    QCOMPARE(r.outputs["class_name"], Json("Technical support"));
    QCOMPARE(r.outputs["class_label"], Json("CLASS 2"));
    QVERIFY(r.outputs["usage"]["total_tokens"].get<int>() > 0);
    QCOMPARE(r.usage, r.outputs["usage"]);
    QVERIFY(s(r.processData["raw_reply"]).find("Echo: My app crashes.") == 0);
    QCOMPARE(r.metadata["model"], Json(m_sim.config().model.toStdString()));

    // The request: the instruction and the categories in the system prompt, the query as user.
    const Json body = lastBody();
    QCOMPARE(body["model"], Json(m_sim.config().model.toStdString()));
    const std::string system = s(body["messages"][0]["content"]);
    QVERIFY(system.find("Be strict") != std::string::npos);
    QVERIFY(system.find(R"({"category_id":"2","category_name":"Technical support"})")
            != std::string::npos);
    QVERIFY(system.find("category_name") != std::string::npos);
    QCOMPARE(body["messages"][1]["role"], Json("user"));
    QVERIFY(s(body["messages"][1]["content"]).find("My app crashes.") != std::string::npos);
    QVERIFY(!body.contains("tools"));
}

void TestClassifierExtractor::classifierMatchesNameCaseInsensitively()
{
    // An unknown id, but a name that matches class 3 (which has its own label).
    runtime::NodeResult r = run(QStringLiteral("question-classifier"), classifierData(),
                                QStringLiteral("```json {\"category_id\": \"99\", "
                                               "\"category_name\": \"OTHER\"} ```"));
    QVERIFY2(r.status == runtime::NodeResult::Status::Succeeded, qPrintable(r.error));
    QCOMPARE(r.edgeSourceHandle, QStringLiteral("3"));
    QCOMPARE(r.outputs["class_name"], Json("Other"));
    QCOMPARE(r.outputs["class_label"], Json("Fallback"));

    // A numeric id matches the string id.
    r = run(QStringLiteral("question-classifier"), classifierData(),
            QStringLiteral("{\"category_id\": 1}"));
    QVERIFY2(r.status == runtime::NodeResult::Status::Succeeded, qPrintable(r.error));
    QCOMPARE(r.edgeSourceHandle, QStringLiteral("1"));
}

void TestClassifierExtractor::classifierFallsBackToFirstClass()
{
    // No JSON in the reply, and JSON naming no class: Dify chooses the first class.
    for (const QString &query : {QStringLiteral("I want my money back"),
                                 QStringLiteral("{\"category_id\": \"7\", \"x\": 1}")}) {
        const runtime::NodeResult r
            = run(QStringLiteral("question-classifier"), classifierData(), query);
        QVERIFY2(r.status == runtime::NodeResult::Status::Succeeded, qPrintable(r.error));
        QCOMPARE(r.edgeSourceHandle, QStringLiteral("1"));
        QCOMPARE(r.outputs["class_name"], Json("Billing"));
        QCOMPARE(r.outputs["class_label"], Json("CLASS 1"));
    }
}

void TestClassifierExtractor::classifierServerErrorFails()
{
    m_sim.setFaults({.status = 500, .count = -1});
    const runtime::NodeResult r
        = run(QStringLiteral("question-classifier"), classifierData(), QStringLiteral("hi"));
    m_sim.setFaults({.count = 0});
    QCOMPARE(r.status, runtime::NodeResult::Status::Failed);
    QCOMPARE(r.errorType, QStringLiteral("LLMError"));
    QVERIFY2(r.error.contains(QStringLiteral("Simulated fault: HTTP 500")), qPrintable(r.error));
}

void TestClassifierExtractor::classifierWithoutEndpointFails()
{
    const runtime::NodeResult r
        = run(QStringLiteral("question-classifier"), classifierData(), QStringLiteral("hi"), false);
    QCOMPARE(r.status, runtime::NodeResult::Status::Failed);
    QCOMPARE(r.errorType, QStringLiteral("NoEndpointError"));
    QVERIFY(r.error.contains(QStringLiteral("--endpoint")));
}

void TestClassifierExtractor::extractorFunctionCall()
{
    const runtime::NodeResult r
        = run(QStringLiteral("parameter-extractor"), extractorData("function_call"),
              QStringLiteral("call extract_parameters with {\"city\": \"Berlin\", \"days\": 3}"));
    QVERIFY2(r.status == runtime::NodeResult::Status::Succeeded, qPrintable(r.error));
    QCOMPARE(r.outputs["city"], Json("Berlin"));
    QCOMPARE(r.outputs["days"], Json(3));
    QCOMPARE(r.outputs["__is_success"], Json(1));
    QVERIFY(r.outputs["__reason"].is_null());
    // Optional parameters the answer leaves out get Dify's defaults.
    QCOMPARE(r.outputs["unit"], Json(""));
    QCOMPARE(r.outputs["tags"], Json::array());
    QCOMPARE(r.outputs["pets"], Json(false));
    QVERIFY(r.outputs["__usage"]["total_tokens"].get<int>() > 0);
    QCOMPARE(r.processData["tool_call"]["name"], Json("extract_parameters"));

    // The request: one forced tool whose schema comes from the parameter list.
    const Json body = lastBody();
    QCOMPARE(body["tools"].size(), size_t(1));
    const Json &function = body["tools"][0]["function"];
    QCOMPARE(function["name"], Json("extract_parameters"));
    QCOMPARE(body["tool_choice"]["function"]["name"], Json("extract_parameters"));
    const Json &props = function["parameters"]["properties"];
    QCOMPARE(props["city"]["type"], Json("string"));
    QCOMPARE(props["city"]["description"], Json("City"));
    QCOMPARE(props["days"]["type"], Json("number"));
    QCOMPARE(props["unit"]["type"], Json("string"));
    QCOMPARE(props["unit"]["enum"], Json({"metric", "imperial"}));
    QCOMPARE(props["tags"], Json({{"type", "array"}, {"items", {{"type", "string"}}}}));
    QCOMPARE(props["pets"]["type"], Json("boolean"));
    QCOMPARE(function["parameters"]["required"], Json({"city", "days"}));
}

void TestClassifierExtractor::extractorFunctionCallSchemaDefaults()
{
    // No arguments in the prompt: the simulator fills the forced tool's required properties.
    Json data = extractorData("function_call");
    data["parameters"][2]["required"] = true; // unit: the first enum value
    const runtime::NodeResult r
        = run(QStringLiteral("parameter-extractor"), data, QStringLiteral("A trip, please"));
    QVERIFY2(r.status == runtime::NodeResult::Status::Succeeded, qPrintable(r.error));
    QCOMPARE(r.outputs["__is_success"], Json(1));
    QCOMPARE(r.outputs["city"], Json("test"));
    QCOMPARE(r.outputs["days"], Json(1));
    QCOMPARE(r.outputs["unit"], Json("metric"));
}

void TestClassifierExtractor::extractorConvertsTypes()
{
    const runtime::NodeResult r
        = run(QStringLiteral("parameter-extractor"), extractorData("function_call"),
              QStringLiteral("call extract_parameters with {\"city\": \"Oslo\", \"days\": \"2.5\", "
                             "\"unit\": \"imperial\", \"tags\": [\"a\", 7], \"pets\": \"yes\"}"));
    QVERIFY2(r.status == runtime::NodeResult::Status::Succeeded, qPrintable(r.error));
    QCOMPARE(r.outputs["__is_success"], Json(1));
    QCOMPARE(r.outputs["days"], Json(2.5));
    QCOMPARE(r.outputs["unit"], Json("imperial"));
    QCOMPARE(r.outputs["tags"], Json({"a", "7"}));
    QCOMPARE(r.outputs["pets"], Json(true));
}

void TestClassifierExtractor::extractorPromptMode()
{
    const runtime::NodeResult r
        = run(QStringLiteral("parameter-extractor"), extractorData("prompt"),
              QStringLiteral("Trip: {\"city\": \"Paris\", \"days\": \"4\", \"pets\": false}"));
    QVERIFY2(r.status == runtime::NodeResult::Status::Succeeded, qPrintable(r.error));
    QCOMPARE(r.outputs["city"], Json("Paris"));
    QCOMPARE(r.outputs["days"], Json(4));
    QCOMPARE(r.outputs["pets"], Json(false));
    QCOMPARE(r.outputs["__is_success"], Json(1));
    QVERIFY(r.outputs["__reason"].is_null());
    const Json body = lastBody();
    QVERIFY(!body.contains("tools"));
    QVERIFY(!body.contains("tool_choice"));
    const std::string system = s(body["messages"][0]["content"]);
    QVERIFY(system.find("\"required\":[\"city\",\"days\"]") != std::string::npos);
    QVERIFY(system.find("Trip planning") != std::string::npos);
}

void TestClassifierExtractor::extractorRequiredMissing()
{
    const runtime::NodeResult r
        = run(QStringLiteral("parameter-extractor"), extractorData("prompt"),
              QStringLiteral("{\"city\": \"Rome\"}"));
    // As Dify: the node succeeds and says why the extraction did not.
    QVERIFY2(r.status == runtime::NodeResult::Status::Succeeded, qPrintable(r.error));
    QCOMPARE(r.outputs["__is_success"], Json(0));
    QCOMPARE(r.outputs["__reason"], Json("Parameter days is required"));
    QCOMPARE(r.outputs["city"], Json("Rome"));
    QCOMPARE(r.outputs["days"], Json(0));

    // The same through a tool call whose arguments leave it out.
    const runtime::NodeResult f
        = run(QStringLiteral("parameter-extractor"), extractorData("function_call"),
              QStringLiteral("call extract_parameters with {\"days\": 2}"));
    QVERIFY2(f.status == runtime::NodeResult::Status::Succeeded, qPrintable(f.error));
    QCOMPARE(f.outputs["__is_success"], Json(0));
    QCOMPARE(f.outputs["__reason"], Json("Parameter city is required"));
    QCOMPARE(f.outputs["city"], Json(""));
    QCOMPARE(f.outputs["days"], Json(2));
}

void TestClassifierExtractor::extractorInvalidValue()
{
    runtime::NodeResult r = run(QStringLiteral("parameter-extractor"), extractorData("prompt"),
                                QStringLiteral("{\"city\": \"Rome\", \"days\": \"many\"}"));
    QVERIFY2(r.status == runtime::NodeResult::Status::Succeeded, qPrintable(r.error));
    QCOMPARE(r.outputs["__is_success"], Json(0));
    QCOMPARE(r.outputs["__reason"], Json("Invalid `number` value for parameter days"));
    QCOMPARE(r.outputs["days"], Json(0));

    r = run(QStringLiteral("parameter-extractor"), extractorData("prompt"),
            QStringLiteral("{\"city\": \"Rome\", \"days\": 1, \"unit\": \"kelvin\"}"));
    QCOMPARE(r.outputs["__is_success"], Json(0));
    QCOMPARE(r.outputs["__reason"], Json("Invalid `select` value for parameter unit"));
}

void TestClassifierExtractor::extractorNothingParsable()
{
    const runtime::NodeResult r = run(QStringLiteral("parameter-extractor"),
                                      extractorData("prompt"), QStringLiteral("I go to Rome"));
    QVERIFY2(r.status == runtime::NodeResult::Status::Succeeded, qPrintable(r.error));
    QCOMPARE(r.outputs["__is_success"], Json(0));
    QVERIFY(s(r.outputs["__reason"]).find("Failed to extract") == 0);
    QCOMPARE(r.outputs["city"], Json(""));
    QCOMPARE(r.outputs["days"], Json(0));
}

void TestClassifierExtractor::extractorServerErrorFails()
{
    m_sim.setFaults({.status = 500, .count = -1});
    const runtime::NodeResult r = run(QStringLiteral("parameter-extractor"),
                                      extractorData("function_call"), QStringLiteral("hi"));
    m_sim.setFaults({.count = 0});
    QCOMPARE(r.status, runtime::NodeResult::Status::Failed);
    QCOMPARE(r.errorType, QStringLiteral("LLMError"));
    QVERIFY2(r.error.contains(QStringLiteral("Simulated fault: HTTP 500")), qPrintable(r.error));
}

void TestClassifierExtractor::chatflowRoutesOnClass()
{
    const QByteArray yaml = R"(app:
  mode: advanced-chat
  name: routing
kind: app
version: 0.5.0
workflow:
  graph:
    nodes:
    - id: start
      data: {type: start, title: Start, variables: []}
    - id: qc
      data:
        type: question-classifier
        title: Classifier
        query_variable_selector: [sys, query]
        model: {provider: langgenius/openai/openai, name: gpt-4o, mode: chat}
        instruction: ''
        classes:
        - {id: '1', name: Billing}
        - {id: '2', name: Technical support}
    - id: billing
      data: {type: answer, title: Billing, answer: 'billing {{#qc.class_name#}}'}
    - id: tech
      data: {type: answer, title: Tech, answer: 'tech {{#qc.class_name#}}'}
    edges:
    - {id: e1, source: start, sourceHandle: source, target: qc, targetHandle: target}
    - {id: e2, source: qc, sourceHandle: '1', target: billing, targetHandle: target}
    - {id: e3, source: qc, sourceHandle: '2', target: tech, targetHandle: target}
)";
    auto loaded = document::loadWorkflowText(yaml, document::FileFormat::DifyYaml);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error().message));
    runtime::RunOptions o;
    o.query = QStringLiteral("The app crashes {\"category_id\": \"2\"}");
    o.llmEndpoint = endpoint();
    runtime::GraphEngine engine(loaded->workflow, o);
    QStringList succeeded;
    QStringList skipped;
    connect(&engine, &runtime::GraphEngine::runEvent, this, [&](const runtime::RunEvent &e) {
        if (e.type == runtime::RunEvent::Type::NodeSucceeded)
            succeeded << e.nodeId;
        else if (e.type == runtime::RunEvent::Type::NodeSkipped)
            skipped << e.nodeId;
    });
    QSignalSpy finished(&engine, &runtime::GraphEngine::finished);
    engine.start();
    QVERIFY(finished.wait(20000));
    QVERIFY2(engine.status() == runtime::RunStatus::Succeeded, qPrintable(engine.error()));
    QVERIFY(succeeded.contains(QStringLiteral("qc")));
    QVERIFY(succeeded.contains(QStringLiteral("tech")));
    QVERIFY(!succeeded.contains(QStringLiteral("billing")));
    QVERIFY(skipped.contains(QStringLiteral("billing")));
    QCOMPARE(engine.outputs()["answer"], Json("tech Technical support"));
}

QTEST_GUILESS_MAIN(TestClassifierExtractor)
#include "tst_classifierextractor.moc"

// The llm node against the simulator (a real vLLM-format server on loopback): prompts rendered
// from the pool reach the server, the answer streams as [node, text] chunks, usage comes back,
// and a chatflow runs end to end through the engine.
#include "document/dslio.h"
#include "llm/simulator/simulator.h"
#include "runtime/graphengine.h"
#include "runtime/singlenoderun.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace flowbench;
using Json = nlohmann::json;

class TestLlmNode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void promptReachesServerAndAnswerStreams();
    void visionSendsImageParts();
    void noEndpointFailsClearly();
    void chatflowAgainstSimulator();

private:
    llm::LlmEndpoint endpoint() const
    {
        llm::LlmEndpoint e;
        e.config.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(m_sim.port()));
        e.config.kind = llm::ServerKind::VLlm;
        e.forcedModel = m_sim.config().model;
        return e;
    }

    llm::Simulator m_sim;
};

void TestLlmNode::initTestCase()
{
    QVERIFY(m_sim.listen() != 0);
}

void TestLlmNode::promptReachesServerAndAnswerStreams()
{
    const Json data{{"type", "llm"},
                    {"title", "LLM"},
                    {"model",
                     {{"provider", "langgenius/openai/openai"},
                      {"name", "gpt-4o"},
                      {"mode", "chat"},
                      {"completion_params", {{"temperature", 0.2}, {"max_tokens", 64}}}}},
                    {"prompt_template",
                     Json::array({{{"role", "system"}, {"text", "You are terse."}},
                                  {{"role", "user"}, {"text", "Summarise: {{#start.q#}}"}}})}};
    variables::VariablePool pool;
    pool.set("start", "q", "the quick brown fox");
    runtime::SingleNodeRun run;
    run.setLlmEndpoint(endpoint());
    QSignalSpy done(&run, &runtime::SingleNodeRun::finished);
    run.start(QStringLiteral("llm"), QStringLiteral("n1"), data, pool);
    QVERIFY(done.count() || done.wait(15000));
    const runtime::NodeResult &r = run.result();
    QVERIFY2(r.status == runtime::NodeResult::Status::Succeeded, qPrintable(r.error));
    const Json body = Json::parse(m_sim.lastRequestBody().toStdString());
    QCOMPARE(body["model"], Json(m_sim.config().model.toStdString())); // mapped to the served model
    QCOMPARE(body["messages"][1]["content"].dump().find("Summarise: the quick brown fox")
                 != std::string::npos,
             true);
    QCOMPARE(body["stream"], Json(true));
    QCOMPARE(body["stream_options"]["include_usage"], Json(true));
    const QString text = QString::fromStdString(r.outputs["text"].get<std::string>());
    QVERIFY(!text.isEmpty());
    QString streamed;
    for (const auto &c : run.chunks())
        streamed += c.text;
    QCOMPARE(streamed, text);
    QVERIFY(run.chunks().back().isFinal);
    QVERIFY(r.outputs["usage"]["total_tokens"].get<int>() > 0);
    QCOMPARE(r.outputs["usage"]["total_tokens"], r.usage["total_tokens"]);
}

void TestLlmNode::visionSendsImageParts()
{
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("dot.png"));
    QFile f(png);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray::fromBase64("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8B"
                                   "QDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="));
    f.close();
    const Json file{{"dify_model_identity", variables::kFileIdentity},
                    {"name", "dot.png"},
                    {"type", "image"},
                    {"extension", ".png"},
                    {"mime_type", "image/png"},
                    {"transfer_method", "local_file"},
                    {"url", QUrl::fromLocalFile(png).toString().toStdString()}};
    const Json data{
        {"type", "llm"},
        {"title", "LLM"},
        {"model", {{"name", "x"}, {"mode", "chat"}}},
        {"prompt_template", Json::array({{{"role", "user"}, {"text", "What is in the picture?"}}})},
        {"vision",
         {{"enabled", true},
          {"configs", {{"variable_selector", {"sys", "files"}}, {"detail", "low"}}}}}};
    variables::VariablePool pool;
    pool.set("sys", "files", Json::array({file}));
    runtime::SingleNodeRun run;
    run.setLlmEndpoint(endpoint());
    QSignalSpy done(&run, &runtime::SingleNodeRun::finished);
    run.start(QStringLiteral("llm"), QStringLiteral("n1"), data, pool);
    QVERIFY(done.count() || done.wait(15000));
    QVERIFY2(run.result().status == runtime::NodeResult::Status::Succeeded,
             qPrintable(run.result().error));
    const Json body = Json::parse(m_sim.lastRequestBody().toStdString());
    const Json &content = body["messages"][0]["content"];
    QVERIFY(content.is_array());
    bool sawImage = false;
    for (const Json &part : content)
        if (part.value("type", "") == "image_url")
            sawImage
                = part["image_url"]["url"].get<std::string>().rfind("data:image/png;base64,", 0)
                  == 0;
    QVERIFY(sawImage);
}

void TestLlmNode::noEndpointFailsClearly()
{
    runtime::SingleNodeRun run;
    QSignalSpy done(&run, &runtime::SingleNodeRun::finished);
    run.start(QStringLiteral("llm"), QStringLiteral("n1"),
              Json{{"type", "llm"}, {"model", {{"name", "m"}}}, {"prompt_template", Json::array()}},
              {});
    QVERIFY(done.count() || done.wait(5000));
    QCOMPARE(run.result().status, runtime::NodeResult::Status::Failed);
    QVERIFY(run.result().error.contains(QStringLiteral("--endpoint")));
}

void TestLlmNode::chatflowAgainstSimulator()
{
    auto loaded = document::loadWorkflowFile(QDir(QStringLiteral(FLOWBENCH_FIXTURES_DIR))
                                                 .filePath(QStringLiteral("basic_chatflow.yml")));
    QVERIFY(loaded);
    runtime::RunOptions o;
    o.query = QStringLiteral("hello simulator");
    o.llmEndpoint = endpoint();
    runtime::GraphEngine engine(loaded->workflow, o);
    QString streamed;
    connect(&engine, &runtime::GraphEngine::runEvent, this, [&](const runtime::RunEvent &e) {
        if (e.type == runtime::RunEvent::Type::NodeStreamChunk)
            streamed += e.chunk;
    });
    QSignalSpy finished(&engine, &runtime::GraphEngine::finished);
    engine.start();
    QVERIFY(finished.wait(20000));
    QVERIFY2(engine.status() == runtime::RunStatus::Succeeded, qPrintable(engine.error()));
    const QString answer = QString::fromStdString(engine.outputs()["answer"].get<std::string>());
    QVERIFY(!answer.isEmpty());
    QCOMPARE(streamed, answer); // streamed through the answer node in Dify's order
    QVERIFY(engine.totalTokens() > 0);
}

QTEST_GUILESS_MAIN(TestLlmNode)
#include "tst_llmnode.moc"

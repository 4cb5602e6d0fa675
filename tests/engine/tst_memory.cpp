// Chatflow memory (dify.md §3 llm `memory`): the conversation's earlier turns reach the model as
// user/assistant messages (chat prompts), as "#histories#" text with role prefixes (completion
// prompts) or inside the classifier's system prompt; and the run store keeps conversations
// between runs. The LLM-family nodes run against the simulator (a real vLLM-format server on
// loopback) and the tests read the request body it received.
#include "llm/simulator/simulator.h"
#include "nodes/llmnodesupport.h"
#include "runtime/graphengine.h"
#include "runtime/singlenoderun.h"
#include "store/runstore.h"

#include "document/dslio.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>

using namespace flowbench;
using Json = nlohmann::json;

namespace {

const runtime::ConversationHistory kHistory{
    {QStringLiteral("first question"), QStringLiteral("first answer")},
    {QStringLiteral("second question"), QStringLiteral("second answer")},
    {QStringLiteral("third question"), QStringLiteral("third answer")},
};

Json chatLlm(const Json &memory)
{
    return Json{
        {"type", "llm"},
        {"title", "LLM"},
        {"model", {{"name", "gpt-4o"}, {"mode", "chat"}}},
        {"prompt_template", Json::array({{{"role", "system"}, {"text", "You are terse."}}})},
        {"memory", memory}};
}

Json window(bool enabled, int size)
{
    return Json{{"window", {{"enabled", enabled}, {"size", size}}},
                {"query_prompt_template", "{{#sys.query#}}"}};
}

// The messages as [role, text] pairs (string content only).
std::vector<std::pair<std::string, std::string>> roles(const Json &messages)
{
    std::vector<std::pair<std::string, std::string>> out;
    for (const Json &m : messages)
        out.emplace_back(m.value("role", std::string()),
                         m["content"].is_string() ? m["content"].get<std::string>() : m.dump());
    return out;
}

} // namespace

class TestMemory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void windowKeepsLastTurnsInOrder();
    void windowDisabledKeepsTurnsWithinTokenLimit();
    void noMemoryOrWorkflowSeesNoHistory();
    void completionPromptRendersHistories();
    void classifierSeesHistory();
    void extractorSeesHistory();
    void agentSeesHistory();
    void engineRunPassesHistory();
    void runStoreConversationRoundTrip();
    void runStoreUpgradesOldFile();

private:
    llm::LlmEndpoint endpoint() const
    {
        llm::LlmEndpoint e;
        e.config.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(m_sim.port()));
        e.config.kind = llm::ServerKind::VLlm;
        e.forcedModel = m_sim.config().model;
        return e;
    }
    // Runs one node in a chatflow with `history`; returns the request body the server got.
    Json runNode(const QString &kind, const Json &data, const runtime::ConversationHistory &history,
                 const QString &appMode = QStringLiteral("advanced-chat"))
    {
        variables::VariablePool pool;
        pool.set("sys", "query", "current question");
        pool.set("start", "q", "current question");
        runtime::SingleNodeRun run;
        run.setLlmEndpoint(endpoint());
        run.setConversationHistory(history);
        QSignalSpy done(&run, &runtime::SingleNodeRun::finished);
        run.start(kind, QStringLiteral("n1"), data, pool, appMode);
        if (!done.count())
            done.wait(15000);
        m_result = run.result();
        if (m_result.status != runtime::NodeResult::Status::Succeeded)
            qWarning("%s", qPrintable(m_result.error));
        return Json::parse(m_sim.lastRequestBody().toStdString(), nullptr, false);
    }

    llm::Simulator m_sim;
    runtime::NodeResult m_result;
};

void TestMemory::initTestCase()
{
    QVERIFY(m_sim.listen() != 0);
}

void TestMemory::windowKeepsLastTurnsInOrder()
{
    const Json body = runNode(QStringLiteral("llm"), chatLlm(window(true, 2)), kHistory);
    QVERIFY(m_result.status == runtime::NodeResult::Status::Succeeded);
    using P = std::pair<std::string, std::string>;
    const std::vector<P> expected{{"system", "You are terse."},   {"user", "second question"},
                                  {"assistant", "second answer"}, {"user", "third question"},
                                  {"assistant", "third answer"},  {"user", "current question"}};
    QCOMPARE(roles(body["messages"]), expected);
    // The model answers the current query, and the recorded prompts show the history.
    QCOMPARE(m_result.outputs["text"], Json("Echo: current question This is a simulated reply."));
    QCOMPARE(m_result.inputs["prompts"].size(), size_t(6));
}

void TestMemory::windowDisabledKeepsTurnsWithinTokenLimit()
{
    // Disabled window: every turn (up to 500) while they fit in 2000 tokens.
    Json body = runNode(QStringLiteral("llm"), chatLlm(window(false, 2)), kHistory);
    QCOMPARE(body["messages"].size(), size_t(8)); // system + 3 turns + query
    QCOMPARE(body["messages"][1]["content"], Json("first question"));

    // Long turns: the oldest messages are dropped one by one until the rest fits.
    runtime::ConversationHistory longHistory;
    for (int i = 0; i < 5; ++i)
        longHistory.push_back({QStringLiteral("q%1 ").arg(i) + QString(1000, QLatin1Char('x')),
                               QStringLiteral("a%1 ").arg(i) + QString(1000, QLatin1Char('y'))});
    const std::vector<llm::Message> kept
        = nodes::llmsupport::historyMessages(window(false, 0), longHistory);
    // 10 messages of 4 + 251 tokens: 7 fit into 2000 (1785), 8 do not.
    QCOMPARE(kept.size(), size_t(7));
    QCOMPARE(kept.front().role, QStringLiteral("assistant"));
    QVERIFY(kept.front().parts.front().text.startsWith(QLatin1String("a1 ")));
    QVERIFY(kept.back().parts.front().text.startsWith(QLatin1String("a4 ")));
    // An enabled window is not cut by tokens; size 0 means no window limit.
    QCOMPARE(nodes::llmsupport::historyMessages(window(true, 3), longHistory).size(), size_t(6));
    QCOMPARE(nodes::llmsupport::historyMessages(window(true, 0), longHistory).size(), size_t(10));
}

void TestMemory::noMemoryOrWorkflowSeesNoHistory()
{
    Json data = chatLlm(window(true, 2));
    data["prompt_template"].push_back({{"role", "user"}, {"text", "{{#sys.query#}}"}});
    data.erase("memory");
    Json body = runNode(QStringLiteral("llm"), data, kHistory);
    QCOMPARE(body["messages"].size(), size_t(2));
    // A workflow has no conversation even when the node carries memory settings.
    body = runNode(QStringLiteral("llm"), chatLlm(window(true, 2)), kHistory,
                   QStringLiteral("workflow"));
    QCOMPARE(body["messages"].size(), size_t(1));
}

void TestMemory::completionPromptRendersHistories()
{
    Json memory = window(true, 2);
    memory["role_prefix"] = {{"user", "Customer"}, {"assistant", "Agent"}};
    Json data{{"type", "llm"},
              {"title", "LLM"},
              {"model", {{"name", "x"}, {"mode", "completion"}}},
              {"prompt_template", {{"text", "Chat so far:\n{{#histories#}}\nReply."}}},
              {"memory", memory}};
    Json body = runNode(QStringLiteral("llm"), data, kHistory);
    QVERIFY(m_result.status == runtime::NodeResult::Status::Succeeded);
    QCOMPARE(body["messages"][0]["content"],
             Json("Chat so far:\nCustomer: second question\nAgent: second answer\n"
                  "Customer: third question\nAgent: third answer\nReply."));
    // Without the placeholder the history goes before the prompt; the prefixes default to
    // Dify's Human/Assistant.
    data["prompt_template"] = {{"text", "Reply."}};
    data["memory"] = window(true, 1);
    body = runNode(QStringLiteral("llm"), data, kHistory);
    QCOMPARE(body["messages"][0]["content"],
             Json("Human: third question\nAssistant: third answer\nReply."));
}

void TestMemory::classifierSeesHistory()
{
    const Json data{{"type", "question-classifier"},
                    {"title", "Classifier"},
                    {"query_variable_selector", {"start", "q"}},
                    {"model", {{"name", "gpt-4o"}}},
                    {"classes", Json::array({{{"id", "1"}, {"name", "Billing"}},
                                             {{"id", "2"}, {"name", "Tech"}}})},
                    {"memory", window(true, 1)}};
    Json body = runNode(QStringLiteral("question-classifier"), data, kHistory);
    QVERIFY(m_result.status == runtime::NodeResult::Status::Succeeded);
    const std::string system = body["messages"][0]["content"].get<std::string>();
    QVERIFY2(system.find("<histories>\nHuman: third question\nAssistant: third answer\n"
                         "</histories>")
                 != std::string::npos,
             system.c_str());
    QVERIFY(system.find("second question") == std::string::npos);
    QCOMPARE(body["messages"].back()["content"], Json("current question"));
    // Without memory the prompt has no history section.
    Json plain = data;
    plain.erase("memory");
    body = runNode(QStringLiteral("question-classifier"), plain, kHistory);
    QVERIFY(body["messages"][0]["content"].get<std::string>().find("<histories>")
            == std::string::npos);
}

void TestMemory::extractorSeesHistory()
{
    const Json data{{"type", "parameter-extractor"},
                    {"title", "Extractor"},
                    {"query", {"start", "q"}},
                    {"model", {{"name", "gpt-4o"}}},
                    {"reasoning_mode", "prompt"},
                    {"parameters", Json::array({{{"name", "city"}, {"type", "string"}}})},
                    {"memory", window(true, 2)}};
    const Json body = runNode(QStringLiteral("parameter-extractor"), data, kHistory);
    QVERIFY2(m_result.status == runtime::NodeResult::Status::Succeeded, qPrintable(m_result.error));
    const std::string system = body["messages"][0]["content"].get<std::string>();
    QVERIFY2(system.find("<histories>\nHuman: second question\nAssistant: second answer\n"
                         "Human: third question\nAssistant: third answer\n</histories>")
                 != std::string::npos,
             system.c_str());
    QCOMPARE(body["messages"].size(), size_t(2));
}

void TestMemory::agentSeesHistory()
{
    const Json data{{"type", "agent"},
                    {"title", "Agent"},
                    {"agent_strategy_name", "function_calling"},
                    {"agent_parameters",
                     {{"model", {{"type", "constant"}, {"value", {{"model", "gpt-4o"}}}}},
                      {"instruction", {{"type", "constant"}, {"value", "Be helpful."}}},
                      {"query", {{"type", "constant"}, {"value", "current question"}}}}},
                    {"memory", window(true, 1)}};
    const Json body = runNode(QStringLiteral("agent"), data, kHistory);
    QVERIFY2(m_result.status == runtime::NodeResult::Status::Succeeded, qPrintable(m_result.error));
    using P = std::pair<std::string, std::string>;
    const std::vector<P> expected{{"system", "Be helpful."},
                                  {"user", "third question"},
                                  {"assistant", "third answer"},
                                  {"user", "current question"}};
    QCOMPARE(roles(body["messages"]), expected);
}

void TestMemory::engineRunPassesHistory()
{
    // RunOptions::conversationHistory reaches nodes run by the engine: the support example's
    // classifier and assistants keep the last 10 turns.
    auto loaded = document::loadWorkflowFile(
        QStringLiteral(FLOWBENCH_SOURCE_DIR "/resources/examples/support_chatflow.yml"));
    QVERIFY2(loaded.has_value(), loaded ? "" : qPrintable(loaded.error().message));
    runtime::RunOptions options;
    options.query = QStringLiteral(R"({"category_id": "tech"} current question)");
    options.conversationId = QStringLiteral("c1");
    options.dialogueCount = 4;
    options.conversationHistory = kHistory;
    options.llmEndpoint = endpoint();
    runtime::GraphEngine engine(loaded->workflow, options);
    QSignalSpy done(&engine, &runtime::GraphEngine::finished);
    engine.start();
    QVERIFY(done.count() || done.wait(15000));
    QVERIFY2(engine.status() == runtime::RunStatus::Succeeded, qPrintable(engine.error()));
    const Json body = Json::parse(m_sim.lastRequestBody().toStdString());
    QCOMPARE(body["messages"].size(), size_t(8)); // system + 3 turns + query
    QCOMPARE(body["messages"][0]["content"],
             Json("You are a precise technical support engineer. Answer step by step."));
    QCOMPARE(body["messages"][1]["content"], Json("first question"));
    QCOMPARE(body["messages"][6]["content"], Json("third answer"));
    QCOMPARE(engine.outputs()["answer"],
             Json(R"(Echo: {"category_id": "tech"} current question This is a simulated reply.)"));
    QCOMPARE(*engine.pool().find({"sys", "dialogue_count"}), Json(4));
}

void TestMemory::runStoreConversationRoundTrip()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("runs.sqlite"));
    {
        auto store = store::RunStore::open(path);
        QVERIFY2(store.has_value(), store ? "" : qPrintable(store.error().message));
        auto empty = (*store)->loadConversation(QStringLiteral("c1"));
        QVERIFY(empty.has_value());
        QCOMPARE(empty->dialogueCount, 0);
        QVERIFY(empty->history.empty());
        QCOMPARE(empty->conversationVariables, Json::object());
        QVERIFY((*store)->appendTurn(QStringLiteral("c1"), QStringLiteral("r1"),
                                     QStringLiteral("hi"), QStringLiteral("hello"),
                                     Json{{"n", 1}}));
        QVERIFY((*store)->appendTurn(QStringLiteral("other"), QStringLiteral("r2"),
                                     QStringLiteral("x"), QStringLiteral("y"), Json::object()));
        QVERIFY((*store)->appendTurn(QStringLiteral("c1"), QStringLiteral("r3"),
                                     QStringLiteral("and then?"), QStringLiteral("done"),
                                     Json{{"n", 2}, {"names", {"a"}}}));
    }
    auto store = store::RunStore::open(path); // reopened: it was written to the file
    QVERIFY(store.has_value());
    auto c = (*store)->loadConversation(QStringLiteral("c1"));
    QVERIFY(c.has_value());
    QCOMPARE(c->dialogueCount, 2);
    QCOMPARE(c->history.size(), size_t(2));
    QCOMPARE(c->history[0].query, QStringLiteral("hi"));
    QCOMPARE(c->history[0].answer, QStringLiteral("hello"));
    QCOMPARE(c->history[1].query, QStringLiteral("and then?"));
    QCOMPARE(c->history[1].answer, QStringLiteral("done"));
    QCOMPARE(c->runIds, QStringList({QStringLiteral("r1"), QStringLiteral("r3")}));
    QCOMPARE(c->conversationVariables, (Json{{"n", 2}, {"names", {"a"}}}));
}

void TestMemory::runStoreUpgradesOldFile()
{
    // A schema-1 file (before conversations): opening it adds the table and keeps its runs.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("old.sqlite"));
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("old"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral(
            "CREATE TABLE runs (run_id TEXT PRIMARY KEY NOT NULL, workflow_name TEXT NOT NULL"
            " DEFAULT '', status TEXT NOT NULL DEFAULT 'running', error TEXT NOT NULL DEFAULT '',"
            " workflow_hash TEXT NOT NULL DEFAULT '', inputs TEXT, query TEXT NOT NULL DEFAULT '',"
            " files TEXT, conversation_variables TEXT, conversation_id TEXT NOT NULL DEFAULT '',"
            " dialogue_count INTEGER NOT NULL DEFAULT 0, outputs TEXT, final_pool TEXT,"
            " exceptions_count INTEGER NOT NULL DEFAULT 0, started_ms INTEGER NOT NULL DEFAULT 0,"
            " elapsed_ms INTEGER NOT NULL DEFAULT 0, total_tokens INTEGER NOT NULL DEFAULT 0)")));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO runs (run_id, workflow_name, status,"
                                      " started_ms) VALUES ('old-run', 'Old', 'succeeded', 5)")));
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version=1")));
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("old"));

    auto store = store::RunStore::open(path);
    QVERIFY2(store.has_value(), store ? "" : qPrintable(store.error().message));
    const QList<store::RunSummary> runs = (*store)->listRuns();
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runs.first().runId, QStringLiteral("old-run"));
    QVERIFY((*store)->appendTurn(QStringLiteral("c"), QStringLiteral("old-run"),
                                 QStringLiteral("q"), QStringLiteral("a"), Json::object()));
    auto c = (*store)->loadConversation(QStringLiteral("c"));
    QVERIFY(c.has_value());
    QCOMPARE(c->dialogueCount, 1);
    store->reset();
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version")) && q.next());
        QCOMPARE(q.value(0).toInt(), store::RunStore::kSchemaVersion);
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
}

QTEST_GUILESS_MAIN(TestMemory)
#include "tst_memory.moc"

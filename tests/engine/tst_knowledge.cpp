// Local knowledge bases (store::KnowledgeStore: chunking, FTS5 trigram search, LIKE fallback)
// and the knowledge-retrieval node, alone and in the bundled rag_chatflow against the simulator.
#include "document/dslio.h"
#include "llm/simulator/simulator.h"
#include "runtime/graphengine.h"
#include "runtime/singlenoderun.h"
#include "store/knowledgebase.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace flowbench;
using Json = nlohmann::json;
using store::KnowledgeStore;

namespace {

QString knowledgeDir()
{
    return QStringLiteral(FLOWBENCH_SOURCE_DIR "/resources/examples/knowledge");
}

QStringList documentNames(const std::vector<KnowledgeStore::Hit> &hits)
{
    QStringList names;
    for (const auto &hit : hits)
        names << hit.documentName;
    return names;
}

} // namespace

class TestKnowledge : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void chunkingKeepsBoundariesAndOverlap();
    void chunkingCjk();
    void englishQueryFindsDocument();
    void chineseQueryFindsDocument();
    void topKAndThreshold();
    void shortQueryFallsBackToLike();
    void basesListAndRemove();
    void nodeReturnsResults();
    void nodeUnknownDatasetFails();
    void bundledSampleBaseIsCreatedOnFirstUse();
    void ragChatflowEndToEnd();

private:
    llm::LlmEndpoint endpoint() const
    {
        llm::LlmEndpoint e;
        e.config.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(m_sim.port()));
        e.config.kind = llm::ServerKind::VLlm;
        e.forcedModel = m_sim.config().model;
        return e;
    }
    Json nodeData(const Json &datasetIds) const
    {
        return Json{{"type", "knowledge-retrieval"},
                    {"title", "Knowledge retrieval"},
                    {"query_variable_selector", {"start", "q"}},
                    {"dataset_ids", datasetIds},
                    {"retrieval_mode", "multiple"},
                    {"multiple_retrieval_config", {{"top_k", 2}, {"score_threshold", nullptr}}}};
    }

    QTemporaryDir m_dir;
    QString m_storePath;
    QString m_baseId;
    KnowledgeStore m_store;
    llm::Simulator m_sim;
};

void TestKnowledge::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(m_sim.listen() != 0);
    m_storePath = m_dir.filePath(QStringLiteral("knowledge.sqlite"));
    QVERIFY(m_store.open(m_storePath));
    auto id = m_store.createBase(QStringLiteral("flowbench-docs"));
    QVERIFY(id);
    m_baseId = *id;
    QVERIFY(!m_store.createBase(QStringLiteral("flowbench-docs"))); // names are unique
    const QStringList files = QDir(knowledgeDir()).entryList({QStringLiteral("*.md")});
    QCOMPARE(files.size(), 3);
    for (const QString &file : files) {
        auto doc = m_store.addDocument(m_baseId, QDir(knowledgeDir()).filePath(file));
        QVERIFY2(doc, qPrintable(doc ? QString() : doc.error().message));
    }
    qputenv("FLOWBENCH_KNOWLEDGE_STORE", m_storePath.toUtf8());
}

void TestKnowledge::chunkingKeepsBoundariesAndOverlap()
{
    QString text;
    for (int p = 0; p < 6; ++p) {
        for (int s = 0; s < 5; ++s)
            text += QStringLiteral("Paragraph %1 sentence %2 has some words in it. ").arg(p).arg(s);
        text += QStringLiteral("\n\n");
    }
    const QStringList chunks = KnowledgeStore::chunkText(text, 500, 50);
    QVERIFY(chunks.size() >= 3);
    for (const QString &chunk : chunks) {
        QVERIFY2(chunk.size() <= 500, qPrintable(chunk));
        // Cuts fall on sentence ends and chunks start at word starts.
        QVERIFY2(chunk.endsWith(QLatin1Char('.')), qPrintable(chunk));
        QVERIFY2(chunk.front().isLetterOrNumber(), qPrintable(chunk));
    }
    // Paragraph breaks win over sentence ends: the first chunk ends with a whole paragraph.
    QVERIFY(
        chunks.first().endsWith(QStringLiteral("Paragraph 0 sentence 4 has some words in it."))
        || chunks.first().endsWith(QStringLiteral("Paragraph 1 sentence 4 has some words in it.")));
    // Consecutive chunks overlap by at most ~50 characters.
    for (qsizetype i = 1; i < chunks.size(); ++i) {
        const QString head = chunks.at(i).left(20);
        QVERIFY2(chunks.at(i - 1).contains(head) || !text.contains(head), qPrintable(head));
    }
    // Short text is one chunk; empty text none.
    QCOMPARE(KnowledgeStore::chunkText(QStringLiteral("  short text \n")),
             QStringList{QStringLiteral("short text")});
    QVERIFY(KnowledgeStore::chunkText(QStringLiteral("   ")).isEmpty());
}

void TestKnowledge::chunkingCjk()
{
    QString text;
    for (int i = 0; i < 60; ++i)
        text += QStringLiteral("工作流节点调用大语言模型。");
    const QStringList chunks = KnowledgeStore::chunkText(text, 100, 10);
    QVERIFY(chunks.size() >= 7);
    for (const QString &chunk : chunks) {
        QVERIFY(chunk.size() <= 100);
        QVERIFY2(chunk.endsWith(QStringLiteral("。")), qPrintable(chunk));
    }
}

void TestKnowledge::englishQueryFindsDocument()
{
    auto hits = m_store.search({m_baseId}, QStringLiteral("simulator"), 3, 0.0);
    QVERIFY(hits);
    QVERIFY(!hits->empty());
    QCOMPARE(hits->front().documentName, QStringLiteral("endpoints.md"));
    QCOMPARE(hits->front().position, 1);
    QVERIFY(hits->front().score > 0.0 && hits->front().score < 1.0);
    const Json j = hits->front().toJson();
    QCOMPARE(j["title"], Json("endpoints.md"));
    QCOMPARE(j["metadata"]["_source"], Json("knowledge"));
    QCOMPARE(j["metadata"]["dataset_id"], Json(m_baseId.toStdString()));
    QCOMPARE(j["metadata"]["dataset_name"], Json("flowbench-docs"));
    QCOMPARE(j["metadata"]["data_source_type"], Json("upload_file"));
    QCOMPARE(j["metadata"]["retriever_from"], Json("workflow"));
    QVERIFY(j["content"].get<std::string>().find("simulator") != std::string::npos);

    hits = m_store.search({m_baseId}, QStringLiteral("run history replay"), 3, 0.0);
    QVERIFY(hits && !hits->empty());
    QCOMPARE(hits->front().documentName, QStringLiteral("overview.md"));
    // Case-insensitive.
    hits = m_store.search({m_baseId}, QStringLiteral("OLLAMA"), 3, 0.0);
    QVERIFY(hits && !hits->empty());
    QCOMPARE(hits->front().documentName, QStringLiteral("endpoints.md"));
    // No match, no hits.
    hits = m_store.search({m_baseId}, QStringLiteral("kubernetes"), 3, 0.0);
    QVERIFY(hits && hits->empty());
}

void TestKnowledge::chineseQueryFindsDocument()
{
    for (const QString &query :
         {QStringLiteral("工作流"), QStringLiteral("大语言模型"), QStringLiteral("知识库")}) {
        auto hits = m_store.search({m_baseId}, query, 3, 0.0);
        QVERIFY(hits);
        QVERIFY2(!hits->empty(), qPrintable(query));
        QCOMPARE(hits->front().documentName, QStringLiteral("zh-guide.md"));
    }
}

void TestKnowledge::topKAndThreshold()
{
    // "Flowbench" is in every document.
    auto all = m_store.search({m_baseId}, QStringLiteral("Flowbench"), 10, 0.0);
    QVERIFY(all);
    QCOMPARE(all->size(), std::size_t(3));
    for (std::size_t i = 1; i < all->size(); ++i) {
        QVERIFY(all->at(i - 1).score >= all->at(i).score);
        QCOMPARE(all->at(i).position, int(i) + 1);
    }
    auto two = m_store.search({m_baseId}, QStringLiteral("Flowbench"), 2, 0.0);
    QVERIFY(two);
    QCOMPARE(two->size(), std::size_t(2));
    QCOMPARE(documentNames(*two), documentNames(*all).mid(0, 2));
    // A threshold between the best and the worst score drops the worst.
    const double cut = (all->front().score + all->back().score) / 2.0;
    if (all->front().score > all->back().score) {
        auto some = m_store.search({m_baseId}, QStringLiteral("Flowbench"), 10, cut);
        QVERIFY(some);
        QVERIFY(!some->empty() && some->size() < all->size());
        for (const auto &hit : *some)
            QVERIFY(hit.score >= cut);
    }
    auto none = m_store.search({m_baseId}, QStringLiteral("Flowbench"), 10, 0.9999);
    QVERIFY(none && none->empty());
    // Other bases are not searched.
    auto other = m_store.createBase(QStringLiteral("empty-base"));
    QVERIFY(other);
    auto empty = m_store.search({*other}, QStringLiteral("Flowbench"), 10, 0.0);
    QVERIFY(empty && empty->empty());
    QVERIFY(m_store.removeBase(*other));
}

void TestKnowledge::shortQueryFallsBackToLike()
{
    // Two characters: trigram cannot match, LIKE does.
    auto hits = m_store.search({m_baseId}, QStringLiteral("中文"), 3, 0.0);
    QVERIFY(hits);
    QVERIFY(!hits->empty());
    QCOMPARE(hits->front().documentName, QStringLiteral("zh-guide.md"));
    QCOMPARE(hits->front().score, 1.0);
    hits = m_store.search({m_baseId}, QStringLiteral("UR"), 3, 0.0); // "URL" in endpoints.md
    QVERIFY(hits && !hits->empty());
    QCOMPARE(hits->front().documentName, QStringLiteral("endpoints.md"));
    // LIKE wildcards in the query are literal.
    hits = m_store.search({m_baseId}, QStringLiteral("%"), 3, 0.0);
    QVERIFY(hits && hits->empty());
}

void TestKnowledge::basesListAndRemove()
{
    auto id = m_store.createBase(QStringLiteral("scratch"));
    QVERIFY(id);
    QVERIFY(m_store.addText(*id, QStringLiteral("note.txt"), QStringLiteral("ephemeral zebra")));
    auto bases = m_store.listBases();
    QCOMPARE(bases.size(), std::size_t(2));
    QCOMPARE(bases.at(0).name, QStringLiteral("flowbench-docs"));
    QCOMPARE(bases.at(0).documentCount, 3);
    QCOMPARE(m_store.resolveBase(QStringLiteral("scratch")), *id);
    QCOMPARE(m_store.resolveBase(*id), *id);
    auto hits = m_store.search({*id}, QStringLiteral("zebra"), 3, 0.0);
    QVERIFY(hits && hits->size() == 1);
    QVERIFY(m_store.removeBase(*id));
    QCOMPARE(m_store.listBases().size(), std::size_t(1));
    QVERIFY(m_store.resolveBase(QStringLiteral("scratch")).isEmpty());
    hits = m_store.search({*id}, QStringLiteral("zebra"), 3, 0.0);
    QVERIFY(hits && hits->empty());
    QVERIFY(!m_store.addText(*id, QStringLiteral("x"), QStringLiteral("y"))); // base is gone
}

void TestKnowledge::nodeReturnsResults()
{
    for (const QString &ref : {QStringLiteral("flowbench-docs"), m_baseId}) {
        variables::VariablePool pool;
        pool.set("start", "q", "工作流");
        runtime::SingleNodeRun run;
        QSignalSpy done(&run, &runtime::SingleNodeRun::finished);
        run.start(QStringLiteral("knowledge-retrieval"), QStringLiteral("kr"),
                  nodeData(Json::array({ref.toStdString()})), pool);
        QVERIFY(done.count() || done.wait(10000));
        const runtime::NodeResult &r = run.result();
        QVERIFY2(r.status == runtime::NodeResult::Status::Succeeded, qPrintable(r.error));
        const Json &result = r.outputs["result"];
        QVERIFY(result.is_array());
        QVERIFY(!result.empty() && result.size() <= 2);
        QCOMPARE(result[0]["title"], Json("zh-guide.md"));
        QCOMPARE(result[0]["metadata"]["dataset_name"], Json("flowbench-docs"));
        QCOMPARE(result[0]["metadata"]["position"], Json(1));
        QVERIFY(result[0]["content"].get<std::string>().find("工作流") != std::string::npos);
        QCOMPARE(r.inputs["query"], Json("工作流"));
    }
    // top_k 1 in single mode still returns hits of one base; top_k from the config is obeyed.
    variables::VariablePool pool;
    pool.set("start", "q", "Flowbench");
    Json data = nodeData(Json::array({"flowbench-docs"}));
    data["multiple_retrieval_config"]["top_k"] = 1;
    runtime::SingleNodeRun run;
    QSignalSpy done(&run, &runtime::SingleNodeRun::finished);
    run.start(QStringLiteral("knowledge-retrieval"), QStringLiteral("kr"), data, pool);
    QVERIFY(done.count() || done.wait(10000));
    QVERIFY2(run.result().status == runtime::NodeResult::Status::Succeeded,
             qPrintable(run.result().error));
    QCOMPARE(run.result().outputs["result"].size(), std::size_t(1));
}

void TestKnowledge::nodeUnknownDatasetFails()
{
    variables::VariablePool pool;
    pool.set("start", "q", "workflow");
    runtime::SingleNodeRun run;
    QSignalSpy done(&run, &runtime::SingleNodeRun::finished);
    run.start(QStringLiteral("knowledge-retrieval"), QStringLiteral("kr"),
              nodeData(Json::array({"flowbench-docs", "no-such-base"})), pool);
    QVERIFY(done.count() || done.wait(10000));
    QVERIFY(run.result().status == runtime::NodeResult::Status::Failed);
    QVERIFY2(run.result().error.contains(QStringLiteral("no-such-base")),
             qPrintable(run.result().error));

    // A missing query fails too.
    runtime::SingleNodeRun missing;
    QSignalSpy done2(&missing, &runtime::SingleNodeRun::finished);
    missing.start(QStringLiteral("knowledge-retrieval"), QStringLiteral("kr"),
                  nodeData(Json::array({"flowbench-docs"})), variables::VariablePool());
    QVERIFY(done2.count() || done2.wait(10000));
    QVERIFY(missing.result().status == runtime::NodeResult::Status::Failed);
}

// The RAG example's base ships with Flowbench: an empty store gets it on first use.
void TestKnowledge::bundledSampleBaseIsCreatedOnFirstUse()
{
    const QString fresh = m_dir.filePath(QStringLiteral("fresh-store.sqlite"));
    qputenv("FLOWBENCH_KNOWLEDGE_STORE", fresh.toUtf8());
    const auto restore
        = qScopeGuard([this] { qputenv("FLOWBENCH_KNOWLEDGE_STORE", m_storePath.toUtf8()); });
    variables::VariablePool pool;
    pool.set("start", "q", "simulator offline");
    runtime::SingleNodeRun run;
    QSignalSpy done(&run, &runtime::SingleNodeRun::finished);
    run.start(QStringLiteral("knowledge-retrieval"), QStringLiteral("kr"),
              nodeData(Json::array({"flowbench-docs"})), pool);
    QVERIFY(done.count() || done.wait(10000));
    QVERIFY2(run.result().status == runtime::NodeResult::Status::Succeeded,
             qPrintable(run.result().error));
    const Json &result = run.result().outputs["result"];
    QVERIFY2(result.is_array() && !result.empty(), run.result().outputs.dump().c_str());

    KnowledgeStore store;
    QVERIFY(store.open(fresh));
    QVERIFY(!store.resolveBase(QStringLiteral("flowbench-docs")).isEmpty());
    // Only bases that ship with Flowbench are made up; others still fail.
    QVERIFY(store.resolveBase(QStringLiteral("no-such-base")).isEmpty());
}

void TestKnowledge::ragChatflowEndToEnd()
{
    auto loaded = document::loadWorkflowFile(
        QStringLiteral(FLOWBENCH_SOURCE_DIR "/resources/examples/rag_chatflow.yml"));
    QVERIFY(loaded);
    runtime::RunOptions o;
    o.query = QStringLiteral("How do I start the simulator?");
    o.llmEndpoint = endpoint();
    runtime::GraphEngine engine(loaded->workflow, o);
    QSignalSpy finished(&engine, &runtime::GraphEngine::finished);
    engine.start();
    QVERIFY(finished.wait(20000));
    QVERIFY2(engine.status() == runtime::RunStatus::Succeeded, qPrintable(engine.error()));
    const QString answer = QString::fromStdString(engine.outputs()["answer"].get<std::string>());
    QVERIFY(answer.contains(QStringLiteral("How do I start the simulator?")));
    // The retrieved chunk reached the model in the system message.
    const Json body = Json::parse(m_sim.lastRequestBody().toStdString());
    QCOMPARE(body["messages"][0]["role"], Json("system"));
    const std::string system = body["messages"][0]["content"].dump();
    QVERIFY2(system.find("flowbench simulate") != std::string::npos, system.c_str());
    QVERIFY(system.find("<context>") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestKnowledge)
#include "tst_knowledge.moc"

// Embeddings: the simulator's /v1/embeddings, llm::EmbeddingsClient, knowledge bases with
// vectors (semantic and Dify's weighted hybrid search) and the knowledge-retrieval node's modes.
#include "document/workflow.h"
#include "llm/defaultendpoint.h"
#include "llm/embeddingsclient.h"
#include "llm/endpointprofile.h"
#include "llm/simulator/simembeddings.h"
#include "llm/simulator/simulator.h"
#include "runtime/singlenoderun.h"
#include "store/knowledgebase.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace flowbench;
using Json = nlohmann::json;
using store::KnowledgeStore;

namespace {

QStringList documentNames(const std::vector<KnowledgeStore::Hit> &hits)
{
    QStringList names;
    for (const auto &hit : hits)
        names << hit.documentName;
    return names;
}

} // namespace

class TestEmbeddings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void simulatorShapeAndDeterminism();
    void simulatorErrors();
    void clientBatchesAndTypesErrors();
    void semanticFindsNeighbourWithoutKeywordOverlap();
    void weightsReproduceKeywordAndSemanticOrder();
    void chineseSemanticQuery();
    void nodeHybridOutputShape();
    void nodeFallsBackToKeywordWithoutEndpoint();
    void defaultEndpointStartsSimulator();

private:
    llm::EndpointConfig config() const
    {
        llm::EndpointConfig c;
        c.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(m_sim.port()));
        return c;
    }
    KnowledgeStore::Embedder embedder() const
    {
        const llm::EndpointConfig c = config();
        return [c](const QString &model,
                   const QStringList &texts) -> Result<std::vector<std::vector<float>>> {
            auto r = llm::EmbeddingsClient::embed(c, model, texts);
            if (!r)
                return tl::unexpected(r.error());
            return std::move(r->vectors);
        };
    }
    std::vector<float> embedQuery(const QString &text) const
    {
        auto r = llm::EmbeddingsClient::embed(config(), m_sim.config().model, {text});
        return r && r->vectors.size() == 1 ? r->vectors.front() : std::vector<float>();
    }
    QPair<int, Json> post(const Json &body)
    {
        QNetworkAccessManager network;
        QNetworkRequest request(
            QUrl(QStringLiteral("http://127.0.0.1:%1/v1/embeddings").arg(m_sim.port())));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        QNetworkReply *reply = network.post(request, QByteArray::fromStdString(body.dump()));
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!done.wait(10000))
            return {0, Json()};
        const QByteArray bytes = reply->readAll();
        reply->deleteLater();
        return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                Json::parse(bytes.constData(), bytes.constData() + bytes.size(), nullptr, false)};
    }

    QTemporaryDir m_dir;
    llm::Simulator m_sim;
    KnowledgeStore m_store;
    QString m_base;   // English documents, with embeddings
    QString m_zhBase; // Chinese documents, with embeddings
};

void TestEmbeddings::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(m_sim.listen() != 0);
    const QString path = m_dir.filePath(QStringLiteral("knowledge.sqlite"));
    QVERIFY(m_store.open(path));
    auto base = m_store.createBase(QStringLiteral("support"), m_sim.config().model);
    QVERIFY(base);
    m_base = *base;
    QCOMPARE(m_store.embeddingModel(m_base), m_sim.config().model);
    const QList<QPair<QString, QString>> docs{
        {QStringLiteral("refunds.md"),
         QStringLiteral("Refund policy: a refund is issued within 14 days of purchase.")},
        {QStringLiteral("hours.md"),
         QStringLiteral("The office is open Monday to Friday, nine to five, except holidays.")},
        {QStringLiteral("shipping.md"),
         QStringLiteral("Shipping takes three business days; express delivery takes one day.")},
    };
    for (const auto &[name, text] : docs) {
        auto added = m_store.addText(m_base, name, text, embedder());
        QVERIFY2(added, qPrintable(added ? QString() : added.error().message));
    }
    QCOMPARE(m_store.vectorCount({m_base}), 3);
    auto zh = m_store.createBase(QStringLiteral("客服"), m_sim.config().model);
    QVERIFY(zh);
    m_zhBase = *zh;
    QVERIFY(m_store.addText(m_zhBase, QStringLiteral("退款.md"),
                            QStringLiteral("退款政策：购买后十四天内可以申请退款。"), embedder()));
    QVERIFY(m_store.addText(m_zhBase, QStringLiteral("营业时间.md"),
                            QStringLiteral("办公室周一至周五开放，节假日除外。"), embedder()));
    QVERIFY(m_store.addText(m_zhBase, QStringLiteral("配送.md"),
                            QStringLiteral("普通配送需要三个工作日，加急配送一天送达。"),
                            embedder()));
    qputenv("FLOWBENCH_KNOWLEDGE_STORE", path.toUtf8());
}

void TestEmbeddings::simulatorShapeAndDeterminism()
{
    const Json body{{"model", m_sim.config().model.toStdString()},
                    {"input", {"refund policy", "office hours", "退款政策"}}};
    const auto [status, json] = post(body);
    QCOMPARE(status, 200);
    QCOMPARE(json["object"], Json("list"));
    QCOMPARE(json["model"], Json(m_sim.config().model.toStdString()));
    QCOMPARE(json["data"].size(), std::size_t(3));
    for (std::size_t i = 0; i < 3; ++i) {
        const Json &item = json["data"][i];
        QCOMPARE(item["object"], Json("embedding"));
        QCOMPARE(item["index"], Json(i));
        QCOMPARE(item["embedding"].size(), std::size_t(llm::sim::kEmbeddingDimensions));
        double norm = 0;
        for (const Json &x : item["embedding"])
            norm += x.get<double>() * x.get<double>();
        QVERIFY(std::abs(norm - 1.0) < 1e-4); // L2-normalised
    }
    // ceil(13/4) + ceil(12/4) + ceil(4/4)
    QCOMPARE(json["usage"]["prompt_tokens"], Json(4 + 3 + 1));
    QCOMPARE(json["usage"]["total_tokens"], Json(8));
    // A single string, and the same text again: the same vector.
    const auto [status2, again]
        = post(Json{{"model", m_sim.config().model.toStdString()}, {"input", "refund policy"}});
    QCOMPARE(status2, 200);
    QCOMPARE(again["data"].size(), std::size_t(1));
    QCOMPARE(again["data"][0]["embedding"], json["data"][0]["embedding"]);
    // Meaning: a close text is nearer than an unrelated one.
    const auto cos = [](const std::vector<float> &a, const std::vector<float> &b) {
        double d = 0;
        for (std::size_t i = 0; i < a.size(); ++i)
            d += double(a[i]) * double(b[i]);
        return d;
    };
    const auto refund = llm::sim::embeddingVector(QStringLiteral("refund policy"));
    QVERIFY(cos(refund, llm::sim::embeddingVector(QStringLiteral("refunding")))
            > cos(refund, llm::sim::embeddingVector(QStringLiteral("office hours"))) + 0.1);
}

void TestEmbeddings::simulatorErrors()
{
    const std::string model = m_sim.config().model.toStdString();
    for (const Json &bad : {Json{{"model", model}}, Json{{"model", model}, {"input", 3}},
                            Json{{"model", model}, {"input", Json::array()}},
                            Json{{"model", model}, {"input", {"a", 1.5}}}}) {
        const auto [status, json] = post(bad);
        QCOMPARE(status, 400);
        QCOMPARE(json["error"]["type"], Json("BadRequestError"));
        QCOMPARE(json["error"]["code"], Json(400));
        QVERIFY(json["error"]["message"].is_string());
    }
    const auto [status, json] = post(Json{{"model", "other"}, {"input", "x"}});
    QCOMPARE(status, 404);
    QCOMPARE(json["error"]["type"], Json("NotFoundError"));
}

void TestEmbeddings::clientBatchesAndTypesErrors()
{
    QNetworkAccessManager network;
    llm::EmbeddingsClient client(&network, config());
    client.setBatchSize(2);
    QSignalSpy finished(&client, &llm::EmbeddingsClient::finished);
    const int before = m_sim.requestCount();
    const QStringList texts{QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three"),
                            QStringLiteral("four"), QStringLiteral("five")};
    client.start(m_sim.config().model, texts);
    QVERIFY(finished.wait(10000));
    QCOMPARE(m_sim.requestCount() - before, 3); // 2 + 2 + 1
    const auto result = finished.first().first().value<llm::EmbeddingsResult>();
    QCOMPARE(result.vectors.size(), std::size_t(5));
    QCOMPARE(result.vectors[4], llm::sim::embeddingVector(QStringLiteral("five")));
    QVERIFY(result.promptTokens >= 5);
    // An unknown model is a typed error.
    auto unknown = llm::EmbeddingsClient::embed(config(), QStringLiteral("nope"), texts);
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().code, QStringLiteral("embeddings.unknown_model"));
    // Nothing listening: unreachable, after the configured retries.
    llm::EndpointConfig dead;
    dead.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:1/v1"));
    dead.maxRetries = 0;
    auto unreachable = llm::EmbeddingsClient::embed(dead, QStringLiteral("m"), texts);
    QVERIFY(!unreachable);
    QCOMPARE(unreachable.error().code, QStringLiteral("embeddings.unreachable"));
}

void TestEmbeddings::semanticFindsNeighbourWithoutKeywordOverlap()
{
    // "refunding" shares no keyword (trigram phrase) with any chunk...
    const QString query = QStringLiteral("refunding");
    auto keyword = m_store.search({m_base}, query, 3, 0.0);
    QVERIFY(keyword);
    QVERIFY(keyword->empty());
    // ...but its vector is close to the refund chunk's.
    KnowledgeStore::SearchOptions options;
    options.mode = KnowledgeStore::SearchMode::Hybrid;
    options.topK = 3;
    options.queryVector = embedQuery(query);
    auto hybrid = m_store.search({m_base}, query, options);
    QVERIFY(hybrid);
    QVERIFY(!hybrid->empty());
    QCOMPARE(hybrid->front().documentName, QStringLiteral("refunds.md"));
    QVERIFY(hybrid->front().score > 0);
    QCOMPARE(hybrid->front().keywordScore, 0.0);
    QVERIFY(std::abs(hybrid->front().score - 0.7 * hybrid->front().vectorScore) < 1e-9);
}

void TestEmbeddings::weightsReproduceKeywordAndSemanticOrder()
{
    const QString query = QStringLiteral("refund days delivery");
    auto keyword = m_store.search({m_base}, query, 3, 0.0);
    QVERIFY(keyword);
    QVERIFY(keyword->size() >= 2);
    KnowledgeStore::SearchOptions options;
    options.topK = 3;
    options.queryVector = embedQuery(query);
    options.mode = KnowledgeStore::SearchMode::Semantic;
    auto semantic = m_store.search({m_base}, query, options);
    QVERIFY(semantic);
    QVERIFY(semantic->size() >= 2);

    options.mode = KnowledgeStore::SearchMode::Hybrid;
    options.keywordWeight = 1;
    options.vectorWeight = 0;
    auto keywordOnly = m_store.search({m_base}, query, options);
    QVERIFY(keywordOnly);
    QCOMPARE(documentNames(*keywordOnly), documentNames(*keyword));
    for (std::size_t i = 0; i < keyword->size(); ++i)
        QCOMPARE((*keywordOnly)[i].score, (*keyword)[i].score);

    options.keywordWeight = 0;
    options.vectorWeight = 1;
    auto semanticOnly = m_store.search({m_base}, query, options);
    QVERIFY(semanticOnly);
    QCOMPARE(documentNames(*semanticOnly), documentNames(*semantic));
    for (std::size_t i = 0; i < semantic->size(); ++i)
        QCOMPARE((*semanticOnly)[i].score, (*semantic)[i].score);

    // Mixed weights: each score is the weighted sum of its parts.
    options.keywordWeight = 0.3;
    options.vectorWeight = 0.7;
    auto mixed = m_store.search({m_base}, query, options);
    QVERIFY(mixed);
    for (const auto &hit : *mixed)
        QVERIFY(std::abs(hit.score - (0.3 * hit.keywordScore + 0.7 * hit.vectorScore)) < 1e-9);
    // The score threshold applies to the final score.
    options.scoreThreshold = mixed->front().score;
    auto strict = m_store.search({m_base}, query, options);
    QVERIFY(strict);
    QVERIFY(strict->size() >= 1 && strict->size() < mixed->size());
}

void TestEmbeddings::chineseSemanticQuery()
{
    const QString query = QStringLiteral("怎么退款");
    KnowledgeStore::SearchOptions options;
    options.mode = KnowledgeStore::SearchMode::Hybrid;
    options.topK = 3;
    options.queryVector = embedQuery(query);
    auto hits = m_store.search({m_zhBase}, query, options);
    QVERIFY(hits);
    QVERIFY(!hits->empty());
    QCOMPARE(hits->front().documentName, QStringLiteral("退款.md"));
    options.mode = KnowledgeStore::SearchMode::Semantic;
    options.queryVector = embedQuery(QStringLiteral("配送要几天"));
    hits = m_store.search({m_zhBase}, query, options);
    QVERIFY(hits);
    QVERIFY(!hits->empty());
    QCOMPARE(hits->front().documentName, QStringLiteral("配送.md"));
}

void TestEmbeddings::nodeHybridOutputShape()
{
    variables::VariablePool pool;
    pool.set("start", "q", "refunding");
    const Json data{{"type", "knowledge-retrieval"},
                    {"title", "Knowledge retrieval"},
                    {"query_variable_selector", {"start", "q"}},
                    {"dataset_ids", {"support"}},
                    {"retrieval_mode", "multiple"},
                    {"multiple_retrieval_config",
                     {{"top_k", 2},
                      {"score_threshold", nullptr},
                      {"reranking_mode", "weighted_score"},
                      {"reranking_enable", false},
                      {"weights",
                       {{"vector_setting",
                         {{"vector_weight", 0.6},
                          {"embedding_provider_name", "langgenius/openai/openai"},
                          {"embedding_model_name", "text-embedding-3-small"}}},
                        {"keyword_setting", {{"keyword_weight", 0.4}}}}}}}};
    llm::LlmEndpoint endpoint;
    endpoint.config = config();
    endpoint.forcedModel = m_sim.config().model;
    runtime::SingleNodeRun run;
    run.setLlmEndpoint(endpoint);
    QSignalSpy done(&run, &runtime::SingleNodeRun::finished);
    run.start(QStringLiteral("knowledge-retrieval"), QStringLiteral("kr"), data, pool);
    QVERIFY(done.count() || done.wait(10000));
    const runtime::NodeResult &r = run.result();
    QVERIFY2(r.status == runtime::NodeResult::Status::Succeeded, qPrintable(r.error));
    const Json &result = r.outputs["result"];
    QVERIFY(result.is_array());
    QVERIFY(!result.empty() && result.size() <= 2);
    QCOMPARE(result[0]["title"], Json("refunds.md"));
    QCOMPARE(result[0]["metadata"]["_source"], Json("knowledge"));
    QCOMPARE(result[0]["metadata"]["dataset_name"], Json("support"));
    QCOMPARE(result[0]["metadata"]["position"], Json(1));
    QVERIFY(result[0]["metadata"]["score"].get<double>() > 0);
    QCOMPARE(r.processData["search_method"], Json("hybrid_search"));
    QCOMPARE(r.processData["weights"]["vector_weight"], Json(0.6));
    QVERIFY(r.processData["embedding_usage"].contains(m_sim.config().model.toStdString()));
}

void TestEmbeddings::nodeFallsBackToKeywordWithoutEndpoint()
{
    variables::VariablePool pool;
    pool.set("start", "q", "refund");
    const Json data{{"type", "knowledge-retrieval"},
                    {"title", "Knowledge retrieval"},
                    {"query_variable_selector", {"start", "q"}},
                    {"dataset_ids", {"support"}},
                    {"retrieval_mode", "multiple"},
                    {"search_method", "semantic_search"},
                    {"multiple_retrieval_config", {{"top_k", 2}}}};
    runtime::SingleNodeRun run; // no endpoint
    QSignalSpy done(&run, &runtime::SingleNodeRun::finished);
    run.start(QStringLiteral("knowledge-retrieval"), QStringLiteral("kr"), data, pool);
    QVERIFY(done.count() || done.wait(10000));
    const runtime::NodeResult &r = run.result();
    QVERIFY2(r.status == runtime::NodeResult::Status::Succeeded, qPrintable(r.error));
    QCOMPARE(r.outputs["result"][0]["title"], Json("refunds.md"));
    QCOMPARE(r.processData["requested_search_method"], Json("semantic_search"));
    QCOMPARE(r.processData["search_method"], Json("keyword_search"));
    QVERIFY(r.processData["notes"].is_array() && !r.processData["notes"].empty());
}

void TestEmbeddings::defaultEndpointStartsSimulator()
{
    // A simulator-kind profile on a free port where nothing listens.
    quint16 freePort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        freePort = probe.serverPort();
    }
    const QString configDir = m_dir.filePath(QStringLiteral("config"));
    llm::ProfileStore profiles(configDir);
    QVERIFY(profiles.load());
    QCOMPARE(profiles.selectedProfileName(), llm::ProfileStore::defaultProfileName());
    llm::EndpointProfile p = llm::ProfileStore::defaultProfile();
    p.name = QStringLiteral("my-sim");
    p.builtIn = false;
    p.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(freePort));
    QVERIFY(profiles.addProfile(p));
    QVERIFY(!profiles.setSelectedProfileName(QStringLiteral("nope")));
    QVERIFY(profiles.setSelectedProfileName(p.name));
    {
        llm::ProfileStore again(configDir); // the selection is saved
        QVERIFY(again.load());
        QCOMPARE(again.selectedProfileName(), p.name);
    }
    QVERIFY(!llm::RunEndpointProvider::isAnswering(p.baseUrl));
    llm::RunEndpointProvider provider;
    auto endpoint = provider.resolveNow(profiles);
    QVERIFY2(endpoint, qPrintable(endpoint ? QString() : endpoint.error().message));
    QVERIFY(provider.startedSimulator());
    QCOMPARE(provider.profileName(), p.name);
    QCOMPARE(endpoint->config.baseUrl, p.baseUrl); // on the profile's own port
    QCOMPARE(endpoint->forcedModel, p.defaultModel);
    QVERIFY(provider.description().contains(QStringLiteral("in-process")));
    QVERIFY(llm::RunEndpointProvider::isAnswering(p.baseUrl));
    // It serves: embeddings through the endpoint the provider returned.
    auto embedded
        = llm::EmbeddingsClient::embed(endpoint->config, p.defaultModel, {QStringLiteral("hello")});
    QVERIFY(embedded);
    // A second provider finds it answering and starts nothing.
    llm::RunEndpointProvider second;
    auto same = second.resolveNow(profiles);
    QVERIFY(same);
    QVERIFY(!second.startedSimulator());
    QCOMPARE(same->config.baseUrl, p.baseUrl);
    // Gone with its provider.
    provider.release();
    QVERIFY(!llm::RunEndpointProvider::isAnswering(p.baseUrl));
    // Unknown profiles are errors; other kinds are returned as they are.
    QVERIFY(!provider.resolveNow(profiles, QStringLiteral("nope")));
    llm::EndpointProfile remote;
    remote.name = QStringLiteral("remote");
    remote.kind = llm::ServerKind::OpenAI;
    remote.baseUrl = QUrl(QStringLiteral("https://api.example.com/v1"));
    QVERIFY(profiles.addProfile(remote));
    auto r = provider.resolveNow(profiles, remote.name);
    QVERIFY(r);
    QCOMPARE(r->config.baseUrl, remote.baseUrl);
    QVERIFY(!provider.startedSimulator());

    document::Workflow workflow;
    QVERIFY(!llm::RunEndpointProvider::workflowNeedsEndpoint(workflow));
}

QTEST_GUILESS_MAIN(TestEmbeddings)
#include "tst_embeddings.moc"

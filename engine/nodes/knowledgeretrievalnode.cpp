#include "knowledgeretrievalnode.h"

#include "llm/embeddingsclient.h"
#include "llm/endpoint.h"
#include "store/knowledgebase.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <map>
#include <optional>

namespace flowbench::nodes {

using Json = nlohmann::json;
using runtime::NodeResult;

namespace {

const QString kErrorType = QStringLiteral("KnowledgeRetrievalNodeError");

variables::Selector toSelector(const Json &value)
{
    variables::Selector selector;
    if (value.is_array()) {
        for (const Json &part : value) {
            if (part.is_string())
                selector.push_back(part.get<std::string>());
        }
    }
    return selector;
}

using Mode = store::KnowledgeStore::SearchMode;

QString modeName(Mode mode)
{
    switch (mode) {
    case Mode::Semantic:
        return QStringLiteral("semantic_search");
    case Mode::Hybrid:
        return QStringLiteral("hybrid_search");
    case Mode::Keyword:
        break;
    }
    return QStringLiteral("keyword_search");
}

struct Request
{
    QString path;
    QStringList datasetIds;
    QString query;
    bool single = false;
    int topK = 4;
    double threshold = 0.0;
    Mode mode = Mode::Keyword;
    double keywordWeight = 0.3;
    double vectorWeight = 0.7;
    QStringList notes;                           // shown in processData
    std::optional<llm::EndpointConfig> endpoint; // the run's endpoint, for the query embedding
};

// The search the node's config asks for. Dify's fields: multiple_retrieval_config.reranking_mode
// "weighted_score" (or a `weights` object) is hybrid with weights.vector_setting.vector_weight and
// weights.keyword_setting.keyword_weight (a weight of 0 leaves that side out: 1/0 is keyword
// search, 0/1 semantic search). Flowbench also reads `search_method` (Dify's dataset retrieval
// names: keyword_search / full_text_search, semantic_search, hybrid_search) in the node's data or
// in multiple_retrieval_config; it wins over the weights' mode. Anything else: keyword search.
void readMode(const Json &data, const Json &config, Request *request)
{
    const auto number = [](const Json &object, const char *key, double fallback) {
        const Json value = object.is_object() ? object.value(key, Json()) : Json();
        return value.is_number() ? value.get<double>() : fallback;
    };
    if (config.is_object()) {
        const Json weights = config.value("weights", Json());
        const Json reranking = config.value("reranking_mode", Json());
        if (weights.is_object()) {
            request->vectorWeight = std::max(
                0.0, number(weights.value("vector_setting", Json()), "vector_weight", 0.7));
            request->keywordWeight = std::max(
                0.0, number(weights.value("keyword_setting", Json()), "keyword_weight", 0.3));
        }
        if (reranking == Json("weighted_score") || weights.is_object()) {
            request->mode = Mode::Hybrid;
        } else if (reranking == Json("reranking_model")
                   && config.value("reranking_enable", Json(true)) != Json(false)) {
            request->mode = Mode::Hybrid;
            request->notes << QCoreApplication::translate(
                "flowbench::nodes::KnowledgeRetrievalNode",
                "Reranking models are not available locally; the weighted score is used "
                "instead.");
        }
    }
    Json method = data.value("search_method", Json());
    if (!method.is_string() && config.is_object())
        method = config.value("search_method", Json());
    if (method.is_string()) {
        const std::string m = method.get<std::string>();
        if (m == "semantic_search")
            request->mode = Mode::Semantic;
        else if (m == "hybrid_search")
            request->mode = Mode::Hybrid;
        else if (m == "keyword_search" || m == "full_text_search")
            request->mode = Mode::Keyword;
    }
    if (request->mode == Mode::Hybrid && request->vectorWeight <= 0)
        request->mode = Mode::Keyword;
    else if (request->mode == Mode::Hybrid && request->keywordWeight <= 0)
        request->mode = Mode::Semantic;
}

// Bases that ship with Flowbench (":/engine/knowledge/<name>/*.md", the RAG example's
// "flowbench-docs"): created in the local store the first time a node asks for one by name.
QString createBundledBase(store::KnowledgeStore &store, const QString &name)
{
    const QDir dir(QStringLiteral(":/engine/knowledge/") + name);
    const QStringList files = dir.entryList({QStringLiteral("*.md")}, QDir::Files, QDir::Name);
    if (name.isEmpty() || name.contains(QLatin1Char('/')) || files.isEmpty())
        return {};
    auto base = store.createBase(name);
    if (!base)
        return {};
    for (const QString &file : files) {
        QFile f(dir.filePath(file));
        if (!f.open(QIODevice::ReadOnly)
            || !store.addText(*base, file, QString::fromUtf8(f.readAll())))
            return {};
    }
    return *base;
}

NodeResult retrieve(const Request &request)
{
    store::KnowledgeStore store;
    if (auto opened = store.open(request.path); !opened)
        return NodeResult::failure(opened.error().message, kErrorType);
    QStringList baseIds;
    for (const QString &id : request.datasetIds) {
        QString baseId = store.resolveBase(id);
        if (baseId.isEmpty())
            baseId = createBundledBase(store, id);
        if (baseId.isEmpty()) {
            return NodeResult::failure(
                QCoreApplication::translate(
                    "flowbench::nodes::KnowledgeRetrievalNode",
                    "Knowledge base not found: %1 (no local base has this id or name).")
                    .arg(id),
                kErrorType);
        }
        if (!baseIds.contains(baseId))
            baseIds << baseId;
    }
    store::KnowledgeStore::SearchOptions options;
    options.topK = request.single ? 4 * 8 : request.topK;
    options.scoreThreshold = request.threshold;
    options.keywordWeight = request.keywordWeight;
    options.vectorWeight = request.vectorWeight;
    QStringList notes = request.notes;
    Json process{{"requested_search_method", modeName(request.mode).toStdString()}};
    // Bases searched by vector, grouped by their embedding model; the rest by keyword.
    std::map<QString, QStringList> byModel;
    QStringList keywordBases;
    if (request.mode != Mode::Keyword) {
        for (const QString &baseId : baseIds) {
            const QString model = store.embeddingModel(baseId);
            if (!model.isEmpty() && store.vectorCount({baseId}) > 0)
                byModel[model] << baseId;
            else
                keywordBases << baseId;
        }
        if (!keywordBases.isEmpty()) {
            QStringList names;
            for (const QString &baseId : std::as_const(keywordBases))
                names << store.baseName(baseId);
            notes << QCoreApplication::translate("flowbench::nodes::KnowledgeRetrievalNode",
                                                 "No embeddings in %1: keyword search used there.")
                         .arg(names.join(QStringLiteral(", ")));
        }
        if (!byModel.empty() && !request.endpoint) {
            notes << QCoreApplication::translate("flowbench::nodes::KnowledgeRetrievalNode",
                                                 "No endpoint for the run: keyword search used "
                                                 "instead of %1.")
                         .arg(modeName(request.mode));
            byModel.clear();
            keywordBases = baseIds;
        }
    } else {
        keywordBases = baseIds;
    }
    std::vector<store::KnowledgeStore::Hit> all;
    Json embedding = Json::object();
    for (const auto &[model, ids] : byModel) {
        auto embedded = llm::EmbeddingsClient::embed(*request.endpoint, model, {request.query});
        if (!embedded || embedded->vectors.size() != 1) {
            notes << QCoreApplication::translate("flowbench::nodes::KnowledgeRetrievalNode",
                                                 "The query could not be embedded with %1 (%2): "
                                                 "keyword search used instead.")
                         .arg(model,
                              embedded ? QStringLiteral("no vector") : embedded.error().message);
            keywordBases << ids;
            continue;
        }
        embedding[model.toStdString()]
            = {{"prompt_tokens", embedded->promptTokens}, {"total_tokens", embedded->totalTokens}};
        options.mode = request.mode;
        options.queryVector = std::move(embedded->vectors.front());
        auto hits = store.search(ids, request.query, options);
        if (!hits)
            return NodeResult::failure(hits.error().message, kErrorType);
        for (auto &hit : *hits)
            all.push_back(std::move(hit));
    }
    if (!keywordBases.isEmpty()) {
        options.mode = Mode::Keyword;
        options.queryVector.clear();
        auto hits = store.search(keywordBases, request.query, options);
        if (!hits)
            return NodeResult::failure(hits.error().message, kErrorType);
        for (auto &hit : *hits)
            all.push_back(std::move(hit));
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const auto &a, const auto &b) { return a.score > b.score; });
    if (int(all.size()) > options.topK)
        all.resize(std::size_t(options.topK));
    const bool usedVectors = !embedding.empty();
    process["search_method"] = modeName(usedVectors ? request.mode : Mode::Keyword).toStdString();
    if (usedVectors && request.mode == Mode::Hybrid)
        process["weights"]
            = {{"keyword_weight", request.keywordWeight}, {"vector_weight", request.vectorWeight}};
    if (usedVectors)
        process["embedding_usage"] = std::move(embedding);
    if (!notes.isEmpty()) {
        Json list = Json::array();
        for (const QString &note : std::as_const(notes))
            list.push_back(note.toStdString());
        process["notes"] = std::move(list);
    }
    std::optional<std::vector<store::KnowledgeStore::Hit>> hits(std::move(all));
    std::vector<store::KnowledgeStore::Hit> kept;
    for (auto &hit : *hits) {
        if (request.single && (!kept.empty() && hit.baseId != kept.front().baseId))
            continue;
        if (request.single && kept.size() >= 4)
            break;
        kept.push_back(std::move(hit));
    }
    NodeResult result;
    result.processData = std::move(process);
    Json items = Json::array();
    for (std::size_t i = 0; i < kept.size(); ++i) {
        kept[i].position = int(i) + 1;
        items.push_back(kept[i].toJson());
    }
    result.outputs["result"] = std::move(items);
    return result;
}

} // namespace

QString KnowledgeRetrievalNode::storePath()
{
    const QString env = qEnvironmentVariable("FLOWBENCH_KNOWLEDGE_STORE");
    return env.isEmpty() ? store::KnowledgeStore::defaultPath() : env;
}

void KnowledgeRetrievalNode::start(runtime::NodeContext &ctx)
{
    const Json &data = ctx.data();
    Request request;
    request.path = storePath();

    const variables::Selector selector = toSelector(data.value("query_variable_selector", Json()));
    const Json *query = selector.size() >= 2 ? ctx.pool().find(selector) : nullptr;
    if (!query || !query->is_string()) {
        ctx.finish(NodeResult::failure(
            QCoreApplication::translate("flowbench::nodes::KnowledgeRetrievalNode",
                                        "Query is required and must be a string."),
            kErrorType));
        return;
    }
    request.query = QString::fromStdString(query->get<std::string>());

    const Json ids = data.value("dataset_ids", Json::array());
    if (ids.is_array()) {
        for (const Json &id : ids) {
            if (id.is_string())
                request.datasetIds << QString::fromStdString(id.get<std::string>());
        }
    }
    request.single = data.value("retrieval_mode", Json()) == Json("single");
    const Json config = data.value("multiple_retrieval_config", Json::object());
    readMode(data, request.single ? Json() : config, &request);
    if (const llm::LlmEndpoint *endpoint = ctx.llmEndpoint();
        endpoint && !endpoint->config.baseUrl.isEmpty())
        request.endpoint = endpoint->config;
    if (config.is_object()) {
        const Json topK = config.value("top_k", Json());
        if (topK.is_number())
            request.topK = std::max(1, topK.get<int>());
        const Json threshold = config.value("score_threshold", Json());
        if (threshold.is_number() && config.value("score_threshold_enabled", Json()) != Json(false))
            request.threshold = threshold.get<double>();
    }

    Json inputs{{"query", query->get<std::string>()}};
    if (request.datasetIds.isEmpty()) {
        NodeResult result;
        result.inputs = std::move(inputs);
        result.outputs["result"] = Json::array();
        ctx.finish(std::move(result));
        return;
    }
    runtime::NodeContext *context = &ctx;
    ctx.runInPool([request] { return retrieve(request); },
                  [context, inputs = std::move(inputs)](NodeResult result) mutable {
                      result.inputs = std::move(inputs);
                      context->finish(std::move(result));
                  });
}

} // namespace flowbench::nodes

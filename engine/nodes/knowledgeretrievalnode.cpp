#include "knowledgeretrievalnode.h"

#include "store/knowledgebase.h"

#include <QCoreApplication>

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

struct Request
{
    QString path;
    QStringList datasetIds;
    QString query;
    bool single = false;
    int topK = 4;
    double threshold = 0.0;
};

NodeResult retrieve(const Request &request)
{
    store::KnowledgeStore store;
    if (auto opened = store.open(request.path); !opened)
        return NodeResult::failure(opened.error().message, kErrorType);
    QStringList baseIds;
    for (const QString &id : request.datasetIds) {
        const QString baseId = store.resolveBase(id);
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
    auto hits = store.search(baseIds, request.query, request.single ? 4 * 8 : request.topK,
                             request.threshold);
    if (!hits)
        return NodeResult::failure(hits.error().message, kErrorType);
    std::vector<store::KnowledgeStore::Hit> kept;
    for (auto &hit : *hits) {
        if (request.single && (!kept.empty() && hit.baseId != kept.front().baseId))
            continue;
        if (request.single && kept.size() >= 4)
            break;
        kept.push_back(std::move(hit));
    }
    NodeResult result;
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

#include "costestimate.h"

#include "nodes/llmnodesupport.h"
#include "variables/template.h"
#include "variables/value.h"
#include "variables/variablepool.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>

namespace flowbench::metering {

namespace {

using nodes::llmsupport::qs;
using nodes::llmsupport::selectorOf;
using nodes::llmsupport::str;

// The values known before a run: start inputs (under every start node's id), sys.*, env.* and
// conversation.* declared values.
variables::VariablePool knownPool(const CostEstimateRequest &request)
{
    variables::VariablePool pool;
    for (const document::Node &node : request.workflow.nodes()) {
        if (node.kind() != QLatin1String("start"))
            continue;
        const std::string id = node.id.toStdString();
        if (request.inputs.is_object())
            for (auto it = request.inputs.begin(); it != request.inputs.end(); ++it)
                pool.set(id, it.key(), it.value());
    }
    pool.set("sys", "query", request.query.toStdString());
    pool.set("sys", "user_id", request.userId.toStdString());
    pool.set("sys", "app_id", request.appId.toStdString());
    pool.set("sys", "workflow_id", request.workflow.name().toStdString());
    for (const document::Variable &v : request.workflow.environmentVariables)
        pool.set("env", v.name.toStdString(), v.value());
    for (const document::Variable &v : request.workflow.conversationVariables)
        pool.set("conversation", v.name.toStdString(), v.value());
    return pool;
}

// Renders the references that resolve; the others stay as "{{#node.var#}}".
QString renderKnown(const std::string &source, const variables::VariablePool &pool)
{
    std::string out;
    for (const variables::TemplateSegment &seg : variables::parseTemplate(source)) {
        if (!seg.isVariable) {
            out += seg.text;
            continue;
        }
        const Json *value = pool.find(seg.selector);
        out += value && !value->is_null() ? variables::renderText(*value)
                                          : "{{#" + seg.text + "#}}";
    }
    return qs(out);
}

QString selectorText(const Json &selector, const variables::VariablePool &pool)
{
    const variables::Selector sel = selectorOf(selector);
    if (sel.size() < 2)
        return {};
    if (const Json *v = pool.find(sel); v && !v->is_null())
        return qs(variables::renderText(*v));
    std::string inner;
    for (const std::string &part : sel)
        inner += (inner.empty() ? "" : ".") + part;
    return qs("{{#" + inner + "#}}");
}

// An agent parameter: Dify's {type, value} or a bare value.
QString agentParam(const Json &params, const char *name, const variables::VariablePool &pool)
{
    if (!params.is_object() || !params.contains(name))
        return {};
    Json v = params.at(name);
    if (v.is_object() && v.contains("value"))
        v = v.at("value");
    if (v.is_string())
        return renderKnown(v.get<std::string>(), pool);
    if (v.is_array())
        return selectorText(v, pool);
    return v.is_null() ? QString() : qs(variables::renderText(v));
}

Json modelOf(const document::Node &node)
{
    const Json &data = node.data;
    if (node.kind() == QLatin1String("agent")) {
        const Json params = data.value("agent_parameters", Json::object());
        if (params.is_object() && params.contains("model")) {
            Json m = params.at("model");
            if (m.is_object() && m.contains("value"))
                m = m.at("value");
            if (m.is_object())
                return m;
        }
    }
    const Json m = data.value("model", Json::object());
    return m.is_object() ? m : Json::object();
}

} // namespace

bool isLlmFamily(const QString &kind)
{
    return kind == QLatin1String("llm") || kind == QLatin1String("question-classifier")
           || kind == QLatin1String("parameter-extractor") || kind == QLatin1String("agent");
}

qint64 estimateTokens(const QString &text)
{
    const qint64 points = text.toUcs4().size();
    return (points + 3) / 4;
}

qint64 estimateTokens(const std::vector<PromptMessage> &messages)
{
    qint64 n = 3;
    for (const PromptMessage &m : messages)
        n += 4 + estimateTokens(m.text);
    return n;
}

std::vector<PromptMessage> estimatedPrompt(const CostEstimateRequest &request,
                                           const document::Node &node, bool *partial)
{
    const variables::VariablePool pool = knownPool(request);
    const Json &data = node.data;
    const QString kind = node.kind();
    std::vector<PromptMessage> messages;
    bool isPartial = false;

    if (kind == QLatin1String("llm")) {
        QString context = QStringLiteral("{{#context#}}");
        const Json ctxCfg = data.value("context", Json::object());
        if (ctxCfg.is_object() && ctxCfg.value("enabled", false) == true) {
            const variables::Selector sel
                = selectorOf(ctxCfg.value("variable_selector", Json::array()));
            if (const Json *v = sel.size() >= 2 ? pool.find(sel) : nullptr)
                context = qs(variables::renderText(*v));
        } else {
            context.clear();
        }
        const auto render = [&](const std::string &text) {
            return renderKnown(text, pool).replace(QStringLiteral("{{#context#}}"), context);
        };
        const auto add = [&](const Json &entry, const QString &role) {
            if (!entry.is_object())
                return;
            QString text;
            if (str(entry, "edition_type") == "jinja2") {
                text = qs(str(entry, "jinja2_text")); // rendered by the Python worker at run time
                isPartial = true;
            } else {
                text = render(str(entry, "text"));
            }
            if (text.isEmpty() && role != QLatin1String("user"))
                return;
            messages.push_back({role, text});
        };
        const Json templ = data.value("prompt_template", Json());
        if (templ.is_array()) {
            for (const Json &entry : templ)
                add(entry, qs(str(entry, "role", "user")));
        } else {
            add(templ, QStringLiteral("user"));
        }
        const Json memory = data.value("memory", Json());
        if (memory.is_object() && request.workflow.mode() == document::AppMode::AdvancedChat)
            messages.push_back({QStringLiteral("user"),
                                render(str(memory, "query_prompt_template", "{{#sys.query#}}"))});
    } else {
        isPartial = true;
        QString instruction;
        QString query;
        QStringList extra;
        if (kind == QLatin1String("agent")) {
            const Json params = data.value("agent_parameters", Json::object());
            instruction = agentParam(params, "instruction", pool);
            query = agentParam(params, "query", pool);
        } else {
            instruction = renderKnown(str(data, "instruction"), pool);
            query = selectorText(kind == QLatin1String("question-classifier")
                                     ? data.value("query_variable_selector", Json())
                                     : data.value("query", Json()),
                                 pool);
            const Json list = kind == QLatin1String("question-classifier")
                                  ? data.value("classes", Json::array())
                                  : data.value("parameters", Json::array());
            if (list.is_array())
                for (const Json &item : list) {
                    const QString name = qs(str(item, "name"));
                    const QString description = qs(str(item, "description"));
                    extra << (description.isEmpty() ? name
                                                    : name + QStringLiteral(": ") + description);
                }
        }
        QString system = instruction;
        if (!extra.isEmpty())
            system += (system.isEmpty() ? QString() : QStringLiteral("\n"))
                      + extra.join(QLatin1Char('\n'));
        if (!system.isEmpty())
            messages.push_back({QStringLiteral("system"), system});
        messages.push_back({QStringLiteral("user"), query});
    }
    if (partial)
        *partial = isPartial;
    return messages;
}

CostEstimator::CostEstimator(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
{
    qRegisterMetaType<CostEstimate>();
}

CostEstimator::~CostEstimator()
{
    cancel();
}

QNetworkAccessManager *CostEstimator::network()
{
    if (m_network)
        return m_network;
    if (!m_ownNetwork)
        m_ownNetwork = new QNetworkAccessManager(this);
    return m_ownNetwork;
}

QUrl CostEstimator::tokenizeUrl(const llm::LlmEndpoint &endpoint)
{
    if (endpoint.config.kind != llm::ServerKind::VLlm
        && endpoint.config.kind != llm::ServerKind::Simulator)
        return {};
    QUrl url = endpoint.config.baseUrl;
    if (!url.isValid() || url.isEmpty())
        return {};
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    if (path.endsWith(QLatin1String("/v1")))
        path.chop(3);
    url.setPath(path + QStringLiteral("/tokenize"));
    url.setQuery(QString());
    return url;
}

void CostEstimator::cancel()
{
    ++m_generation;
    m_pending = 0;
    m_done = nullptr;
    m_context.clear();
    for (const QPointer<QNetworkReply> &reply : m_replies)
        if (reply) {
            reply->disconnect(this);
            reply->abort();
            reply->deleteLater();
        }
    m_replies.clear();
}

void CostEstimator::estimate(CostEstimateRequest request, QObject *context,
                             std::function<void(const CostEstimate &)> done)
{
    cancel();
    m_request = std::move(request);
    m_context = context;
    m_hasContext = context != nullptr;
    m_done = std::move(done);
    m_result = {};
    m_prompts.clear();

    std::vector<size_t> toAsk;
    for (const document::Node &node : m_request.workflow.nodes()) {
        if (!isLlmFamily(node.kind()))
            continue;
        NodeCostEstimate e;
        e.nodeId = node.id;
        e.nodeKind = node.kind();
        e.title = node.title();
        const Json model = modelOf(node);
        const QString provider = qs(str(model, "provider"));
        const QString name = qs(str(model, "name", str(model, "model")));
        e.model = m_request.endpoint ? m_request.endpoint->resolveModel(provider, name) : name;
        m_prompts.push_back(estimatedPrompt(m_request, node, &e.promptPartial));
        e.promptTokens = estimateTokens(m_prompts.back());
        const Json params = model.value("completion_params", Json::object());
        if (params.is_object() && params.contains("max_tokens")
            && params["max_tokens"].is_number()) {
            e.maxCompletionTokens = params["max_tokens"].get<qint64>();
            e.maxTokensFromParams = true;
        }
        m_result.nodes.push_back(std::move(e));
        toAsk.push_back(m_result.nodes.size() - 1);
    }

    const QUrl url = m_request.endpoint ? tokenizeUrl(*m_request.endpoint) : QUrl();
    if (url.isEmpty()) {
        complete();
        return;
    }
    m_pending = static_cast<int>(toAsk.size());
    m_replies.assign(m_result.nodes.size(), {});
    const quint64 generation = m_generation;
    for (size_t index : toAsk) {
        Json messages = Json::array();
        for (const PromptMessage &m : m_prompts[index])
            messages.push_back(
                Json{{"role", m.role.toStdString()}, {"content", m.text.toStdString()}});
        Json body{{"model", m_result.nodes[index].model.toStdString()}, {"messages", messages}};
        if (m_result.nodes[index].model.isEmpty())
            body.erase("model");
        QNetworkRequest req(url);
        req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        if (!m_request.endpoint->config.apiKey.isEmpty())
            req.setRawHeader("Authorization",
                             "Bearer " + m_request.endpoint->config.apiKey.toUtf8());
        req.setTransferTimeout(m_request.timeoutMs);
        QNetworkReply *reply = network()->post(req, QByteArray::fromStdString(body.dump()));
        m_replies[index] = reply;
        connect(reply, &QNetworkReply::finished, this, [this, reply, index, generation] {
            reply->deleteLater();
            if (generation != m_generation)
                return;
            if (reply->error() != QNetworkReply::NoError) {
                finishNode(index, std::nullopt, std::nullopt, reply->errorString());
                return;
            }
            try {
                const Json answer = Json::parse(reply->readAll().toStdString());
                std::optional<qint64> count;
                if (answer.contains("count") && answer["count"].is_number())
                    count = answer["count"].get<qint64>();
                else if (answer.contains("tokens") && answer["tokens"].is_array())
                    count = static_cast<qint64>(answer["tokens"].size());
                std::optional<qint64> maxLen;
                if (answer.contains("max_model_len") && answer["max_model_len"].is_number())
                    maxLen = answer["max_model_len"].get<qint64>();
                finishNode(index, count, maxLen,
                           count ? QString() : QStringLiteral("no token count in the answer"));
            } catch (const Json::exception &e) {
                finishNode(index, std::nullopt, std::nullopt, QString::fromUtf8(e.what()));
            }
        });
    }
    if (m_pending == 0)
        complete();
}

void CostEstimator::finishNode(size_t index, std::optional<qint64> exact,
                               std::optional<qint64> maxModelLen, const QString &error)
{
    NodeCostEstimate &e = m_result.nodes[index];
    if (exact) {
        e.promptTokens = *exact;
        e.promptCount = NodeCostEstimate::Count::Exact;
        if (!e.maxTokensFromParams && maxModelLen && *maxModelLen > *exact)
            e.maxCompletionTokens = *maxModelLen - *exact;
    } else {
        e.tokenizeError = error;
    }
    if (--m_pending <= 0)
        complete();
}

void CostEstimator::complete()
{
    m_pending = 0;
    m_replies.clear();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (size_t i = 0; i < m_result.nodes.size(); ++i) {
        NodeCostEstimate &e = m_result.nodes[i];
        if (e.maxCompletionTokens <= 0)
            e.maxCompletionTokens = m_request.defaultMaxTokens;
        if (e.nodeKind == QLatin1String("agent")) {
            const document::Node *node = m_request.workflow.node(e.nodeId);
            int iterations = 5;
            if (node) {
                const Json params = node->data.value("agent_parameters", Json::object());
                Json v = params.is_object() ? params.value("maximum_iterations", Json()) : Json();
                if (v.is_object() && v.contains("value"))
                    v = v.at("value");
                if (v.is_number())
                    iterations = std::max(1, v.get<int>());
                else if (v.is_string())
                    iterations = std::max(1, qs(v.get<std::string>()).toInt());
            }
            e.maxCompletionTokens *= iterations;
        }

        const ModelPrice *price = m_request.prices.find(e.model, now);
        if (price && price->gpuHourly) {
            e.timePriced = true;
        } else if (price) {
            UsageRecord r;
            r.model = e.model;
            r.timestampMs = now;
            r.promptTokens = e.promptTokens;
            e.minCost = m_request.prices.cost(r);
            // The upper bound prices every completion token at the dearer of output and
            // reasoning.
            const bool reasoningDearer
                = price->reasoningPerToken && *price->reasoningPerToken > price->outputPerToken;
            r.completionTokens = e.maxCompletionTokens;
            r.reasoningTokens = reasoningDearer ? e.maxCompletionTokens : 0;
            e.maxCost = m_request.prices.cost(r);
        }

        m_result.promptTokens += e.promptTokens;
        m_result.maxCompletionTokens += e.maxCompletionTokens;
        if (e.minCost && e.minCost->usd && e.maxCost && e.maxCost->usd) {
            m_result.minCostUsd += *e.minCost->usd;
            m_result.maxCostUsd += *e.maxCost->usd;
        } else {
            ++m_result.unpricedNodes;
        }
    }

    auto done = std::move(m_done);
    m_done = nullptr;
    const bool contextGone = m_hasContext && !m_context;
    const CostEstimate result = m_result;
    if (done && !contextGone)
        done(result);
    Q_EMIT finished(result);
}

} // namespace flowbench::metering

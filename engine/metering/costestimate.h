#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

#include "document/workflow.h"
#include "llm/endpoint.h"
#include "pricetable.h"

class QNetworkAccessManager;
class QNetworkReply;

namespace flowbench::metering {

// What a run will cost before it runs, per LLM-family node (llm, question-classifier,
// parameter-extractor, agent).
//
// Prompt: the node's prompt as far as it can be known before the run: the prompt templates
// rendered with the start inputs, sys.query, sys.user_id, sys.app_id, env.* and conversation.*;
// references to other nodes' outputs stay as their "{{#node.var#}}" placeholders (so their text
// counts, not the value they will have). The classifier, the extractor and the agent wrap their
// instruction and query in prompts of their own: their count is a lower bound (promptPartial).
//
// Prompt tokens: counted by the endpoint's POST /tokenize (vLLM's messages form
// {model, messages} → {count, max_model_len, tokens}; the simulator serves the same) when the
// endpoint is vLLM or the simulator and answers; otherwise estimated with the rule
//     3 + Σ over messages (4 + ceil(code points / 4))
// (the simulator's and roughly Qwen/Llama chat templates' framing, with ~4 characters a token).
//
// Completion upper bound: the node's completion_params.max_tokens; else, when /tokenize reported
// max_model_len, what is left of the context (max_model_len − prompt); else
// CostEstimateRequest::defaultMaxTokens. Agents: that times maximum_iterations.
//
// Cost: min = the prompt alone (no cache hits, no output), max = the prompt plus the completion
// bound at the higher of the output and reasoning prices, both with PriceTable's rules. A model
// without a price is unpriced (nullopt), never $0. A model priced by GPU-hour is timePriced and
// unpriced here: its cost depends on the request time, unknown before the run.
struct NodeCostEstimate
{
    enum class Count { Exact, Estimated };

    QString nodeId;
    QString nodeKind;
    QString title;
    QString model;
    qint64 promptTokens = 0;
    Count promptCount = Count::Estimated;
    bool promptPartial = false; // the node adds prompt text of its own: a lower bound
    qint64 maxCompletionTokens = 0;
    bool maxTokensFromParams = false; // completion_params.max_tokens set the bound
    std::optional<Cost> minCost;      // nullopt: unpriced
    std::optional<Cost> maxCost;
    bool timePriced = false; // priced by GPU-hour: no estimate before the run
    QString tokenizeError;   // why the count is estimated (empty when not asked)

    [[nodiscard]] bool isPriced() const { return minCost.has_value(); }
};

struct CostEstimate
{
    std::vector<NodeCostEstimate> nodes; // in workflow order
    qint64 promptTokens = 0;
    qint64 maxCompletionTokens = 0;
    double minCostUsd = 0; // over the nodes priced in USD (or a currency with a rate)
    double maxCostUsd = 0;
    int unpricedNodes = 0; // nodes without a USD cost: the totals leave them out
};

struct CostEstimateRequest
{
    document::Workflow workflow;
    Json inputs = Json::object(); // start-node inputs by variable name
    QString query;                // sys.query
    QString userId;
    QString appId;
    std::optional<llm::LlmEndpoint> endpoint; // none: model names as the nodes write them
    PriceTable prices;
    int defaultMaxTokens = 4096;
    int timeoutMs = 5000; // per /tokenize request
};

// The prompt messages a node would send, as CostEstimator renders them (no network). Exposed for
// tests and the run dialog's preview. role/text pairs.
struct PromptMessage
{
    QString role;
    QString text;
};
[[nodiscard]] std::vector<PromptMessage> estimatedPrompt(const CostEstimateRequest &request,
                                                         const document::Node &node,
                                                         bool *partial = nullptr);
// The estimate rule above for messages; and ceil(code points / 4) for one text.
[[nodiscard]] qint64 estimateTokens(const std::vector<PromptMessage> &messages);
[[nodiscard]] qint64 estimateTokens(const QString &text);
// True for llm, question-classifier, parameter-extractor and agent.
[[nodiscard]] bool isLlmFamily(const QString &kind);

// Runs one estimate at a time on the thread it lives on (network on the event loop). `done` is
// called exactly once per estimate() (possibly before estimate() returns, when there is nothing
// to ask the network), with `context` alive; cancel() or a new estimate() drops the pending one
// without calling it.
//
//     CostEstimator estimator;
//     estimator.estimate(request, this, [this](const CostEstimate &e) { show(e); });
class CostEstimator : public QObject
{
    Q_OBJECT

public:
    explicit CostEstimator(QNetworkAccessManager *network = nullptr, QObject *parent = nullptr);
    ~CostEstimator() override;

    void estimate(CostEstimateRequest request, QObject *context,
                  std::function<void(const CostEstimate &)> done);
    void cancel();
    [[nodiscard]] bool isRunning() const { return m_pending > 0; }

    // The /tokenize URL for an endpoint ("http://host:8000/v1" → "http://host:8000/tokenize"); an
    // empty URL for servers without one (OpenAI, Ollama, llama.cpp's differs).
    [[nodiscard]] static QUrl tokenizeUrl(const llm::LlmEndpoint &endpoint);

Q_SIGNALS:
    void finished(const flowbench::metering::CostEstimate &estimate);

private:
    void finishNode(size_t index, std::optional<qint64> exact, std::optional<qint64> maxModelLen,
                    const QString &error);
    void complete();
    [[nodiscard]] QNetworkAccessManager *network();

    QPointer<QNetworkAccessManager> m_network;
    QNetworkAccessManager *m_ownNetwork = nullptr;
    CostEstimateRequest m_request;
    CostEstimate m_result;
    std::vector<std::vector<PromptMessage>> m_prompts;
    std::vector<QPointer<QNetworkReply>> m_replies;
    QPointer<QObject> m_context;
    std::function<void(const CostEstimate &)> m_done;
    bool m_hasContext = false;
    int m_pending = 0;
    quint64 m_generation = 0;
};

} // namespace flowbench::metering

Q_DECLARE_METATYPE(flowbench::metering::CostEstimate)

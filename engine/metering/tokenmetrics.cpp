#include "tokenmetrics.h"

namespace flowbench::metering {

namespace {
const QString kTokens = QStringLiteral("dify_token_total");
const QString kCost = QStringLiteral("dify_token_cost_usd");
const QString kLatency = QStringLiteral("dify_request_latency_seconds");
const QString kUnpriced = QStringLiteral("flowbench_unpriced_requests_total");
const QString kRuns = QStringLiteral("flowbench_runs_total");
const QString kNodes = QStringLiteral("flowbench_node_executions_total");
const QString kNodeDuration = QStringLiteral("flowbench_node_duration_seconds");
} // namespace

const std::vector<double> &TokenMetrics::latencyBuckets()
{
    static const std::vector<double> buckets{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
    return buckets;
}

TokenMetrics::TokenMetrics(QObject *parent)
    : QObject(parent)
{
    const auto L = [](std::initializer_list<const char *> names) {
        QStringList out;
        for (const char *n : names)
            out << QString::fromLatin1(n);
        return out;
    };
    m_registry.define(kTokens, MetricsRegistry::Counter,
                      QStringLiteral("LLM tokens by model, app, user and direction (input "
                                     "includes cached, output includes reasoning)."),
                      L({"model", "app_id", "user_id", "direction"}));
    m_registry.define(kCost, MetricsRegistry::Gauge,
                      QStringLiteral("USD spent on LLM calls with a known price."),
                      L({"model", "app_id", "user_id"}));
    m_registry.define(kLatency, MetricsRegistry::Histogram,
                      QStringLiteral("Total latency of LLM requests in seconds."),
                      L({"model", "app_id"}), latencyBuckets());
    m_registry.define(kUnpriced, MetricsRegistry::Counter,
                      QStringLiteral("LLM calls whose model has no known price (not counted "
                                     "as 0 USD)."),
                      L({"model"}));
    m_registry.define(kRuns, MetricsRegistry::Counter,
                      QStringLiteral("Finished workflow runs by status."), L({"status"}));
    m_registry.define(kNodes, MetricsRegistry::Counter,
                      QStringLiteral("Finished node executions by node kind and status."),
                      L({"kind", "status"}));
    m_registry.define(kNodeDuration, MetricsRegistry::Histogram,
                      QStringLiteral("Node execution time in seconds by node kind."), L({"kind"}),
                      latencyBuckets());
}

void TokenMetrics::addUsage(const UsageRecord &r)
{
    const auto tokens = [&](const char *direction, qint64 n) {
        m_registry.add(kTokens, {r.model, r.appId, r.userId, QString::fromLatin1(direction)},
                       static_cast<double>(n));
    };
    tokens("input", r.promptTokens);
    tokens("output", r.completionTokens);
    tokens("reasoning", r.reasoningTokens);
    tokens("cached", r.cachedTokens);
    if (r.costUsd)
        m_registry.add(kCost, {r.model, r.appId, r.userId}, *r.costUsd);
    else
        m_registry.add(kUnpriced, {r.model}, 1);
    m_registry.observe(kLatency, {r.model, r.appId}, static_cast<double>(r.latencyMs) / 1000.0);
}

void TokenMetrics::addRunEvent(const runtime::RunEvent &e)
{
    using T = runtime::RunEvent::Type;
    if (e.isRunFinished()) {
        m_registry.add(kRuns,
                       {e.status.isEmpty() ? runtime::RunEvent::typeName(e.type) : e.status});
        return;
    }
    if (e.type != T::NodeSucceeded && e.type != T::NodeFailed && e.type != T::NodeException)
        return;
    const QString status = e.type == T::NodeSucceeded ? QStringLiteral("succeeded")
                           : e.type == T::NodeFailed  ? QStringLiteral("failed")
                                                      : QStringLiteral("exception");
    m_registry.add(kNodes, {e.nodeKind, status});
    m_registry.observe(kNodeDuration, {e.nodeKind}, static_cast<double>(e.elapsedMs) / 1000.0);
}

} // namespace flowbench::metering

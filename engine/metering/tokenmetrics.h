#pragma once

#include <QObject>

#include "metricsregistry.h"
#include "runtime/runevent.h"
#include "usagerecord.h"

namespace flowbench::metering {

// The metric families Flowbench exposes, kept up to date from usage records and run events.
// Names and labels follow the Dify token-metering plugin, so its dashboards keep working:
//   dify_token_total{model,app_id,user_id,direction}   counter; direction = input | output |
//                                                      reasoning | cached (input includes
//                                                      cached, output includes reasoning)
//   dify_token_cost_usd{model,app_id,user_id}          gauge: USD spent (priced calls only)
//   dify_request_latency_seconds{model,app_id}         histogram, buckets 0.1 … 300 s
// and Flowbench's own:
//   flowbench_unpriced_requests_total{model}           calls with no known price
//   flowbench_runs_total{status}                       finished runs
//   flowbench_node_executions_total{kind,status}       finished node executions
//   flowbench_node_duration_seconds{kind}              histogram of node durations
// Thread: the thread it lives on (slots); the registry itself may be rendered from any thread.
class TokenMetrics : public QObject
{
    Q_OBJECT

public:
    explicit TokenMetrics(QObject *parent = nullptr);

    [[nodiscard]] MetricsRegistry &registry() { return m_registry; }
    [[nodiscard]] const MetricsRegistry &registry() const { return m_registry; }
    [[nodiscard]] QByteArray render() const { return m_registry.render(); }

    static const std::vector<double> &latencyBuckets(); // 0.1 … 300 (seconds)

public Q_SLOTS:
    void addUsage(const flowbench::metering::UsageRecord &record);
    void addRunEvent(const flowbench::runtime::RunEvent &event);

private:
    MetricsRegistry m_registry;
};

} // namespace flowbench::metering

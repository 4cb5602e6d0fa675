#pragma once

#include <QByteArray>
#include <QString>

#include <vector>

#include "alerts.h"
#include "core/result.h"

namespace flowbench::metering {

// The settings of the Dify token-metering plugin, read from its YAML so a team's configuration
// carries over:
//     prometheus:      {enable: true, port: 9091}
//     token_collector: {sample_rate: 1.0, aggregation_window: 60}
//     alerting:        {enabled: true, threshold_per_minute: 10000, webhook_url: https://...}
// Missing keys keep their defaults; unknown keys are ignored.
struct PluginConfig
{
    bool prometheusEnabled = false;
    int prometheusPort = 9091;
    // Kept and shown, but the ledger records every call: a sampled ledger would under-report
    // cost.
    double sampleRate = 1.0;
    int aggregationWindowSeconds = 60;
    bool alertingEnabled = false;
    double thresholdPerMinute = 0;
    QString webhookUrl;

    // Errors: "metering.config" (not YAML, or a value of the wrong type).
    [[nodiscard]] static Result<PluginConfig> fromYaml(const QByteArray &yaml);
    // Errors: "metering.config-read" and fromYaml's.
    [[nodiscard]] static Result<PluginConfig> load(const QString &path);

    // alerting.* as rules: one tokens-per-minute rule over all calls with the webhook (format
    // from its host, webhookFormatForUrl), when alerting is enabled and the threshold > 0.
    [[nodiscard]] std::vector<AlertRule> alertRules() const;
};

} // namespace flowbench::metering

#include "pluginconfig.h"

#include <QCoreApplication>
#include <QFile>

#include <yaml-cpp/yaml.h>

namespace flowbench::metering {

Result<PluginConfig> PluginConfig::fromYaml(const QByteArray &yaml)
{
    PluginConfig c;
    try {
        const YAML::Node root = YAML::Load(yaml.toStdString());
        if (root.IsNull())
            return c;
        if (!root.IsMap())
            return makeError(QStringLiteral("metering.config"),
                             QCoreApplication::translate("flowbench::metering::PluginConfig",
                                                         "the metering configuration is not a "
                                                         "YAML mapping"));
        if (const YAML::Node p = root["prometheus"]; p && p.IsMap()) {
            if (p["enable"])
                c.prometheusEnabled = p["enable"].as<bool>();
            else if (p["enabled"])
                c.prometheusEnabled = p["enabled"].as<bool>();
            if (p["port"])
                c.prometheusPort = p["port"].as<int>();
        }
        if (const YAML::Node t = root["token_collector"]; t && t.IsMap()) {
            if (t["sample_rate"])
                c.sampleRate = t["sample_rate"].as<double>();
            if (t["aggregation_window"])
                c.aggregationWindowSeconds = t["aggregation_window"].as<int>();
        }
        if (const YAML::Node a = root["alerting"]; a && a.IsMap()) {
            if (a["enabled"])
                c.alertingEnabled = a["enabled"].as<bool>();
            if (a["threshold_per_minute"])
                c.thresholdPerMinute = a["threshold_per_minute"].as<double>();
            if (a["webhook_url"] && !a["webhook_url"].IsNull())
                c.webhookUrl = QString::fromStdString(a["webhook_url"].as<std::string>());
        }
    } catch (const YAML::Exception &e) {
        return makeError(QStringLiteral("metering.config"),
                         QCoreApplication::translate("flowbench::metering::PluginConfig",
                                                     "metering configuration: %1")
                             .arg(QString::fromStdString(e.what())));
    }
    if (c.prometheusPort <= 0 || c.prometheusPort > 65535)
        return makeError(QStringLiteral("metering.config"),
                         QCoreApplication::translate("flowbench::metering::PluginConfig",
                                                     "prometheus.port %1 is not a port")
                             .arg(c.prometheusPort));
    return c;
}

Result<PluginConfig> PluginConfig::load(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(
            QStringLiteral("metering.config-read"),
            QCoreApplication::translate("flowbench::metering::PluginConfig", "cannot read %1: %2")
                .arg(path, f.errorString()));
    return fromYaml(f.readAll());
}

std::vector<AlertRule> PluginConfig::alertRules() const
{
    if (!alertingEnabled || thresholdPerMinute <= 0)
        return {};
    AlertRule rule;
    rule.name = QStringLiteral("threshold_per_minute");
    rule.kind = AlertRule::Kind::TokensPerMinute;
    rule.scope = AlertRule::Scope::Total;
    rule.threshold = thresholdPerMinute;
    if (!webhookUrl.isEmpty()) {
        const QUrl url(webhookUrl);
        rule.webhooks.push_back({url, webhookFormatForUrl(url)});
    }
    return {rule};
}

} // namespace flowbench::metering

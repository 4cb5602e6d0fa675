#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <deque>
#include <functional>
#include <vector>

#include "usagerecord.h"

class QNetworkAccessManager;

namespace flowbench::runtime {
class Debugger;
}

namespace flowbench::metering {

enum class WebhookFormat {
    Slack,    // {"text": "..."}
    DingTalk, // {"msgtype": "text", "text": {"content": "..."}}
    WeCom,    // 企业微信 group robot: {"msgtype": "text", "text": {"content": "..."}}
    Json, // {"rule", "kind", "value", "threshold", "labels": {...}, "run_id", "time", "message"}
};

struct WebhookTarget
{
    QUrl url;
    WebhookFormat format = WebhookFormat::Json;
};

// The format a webhook URL's host implies: hooks.slack.com → Slack, oapi.dingtalk.com →
// DingTalk, qyapi.weixin.qq.com → WeCom, anything else → generic JSON.
[[nodiscard]] WebhookFormat webhookFormatForUrl(const QUrl &url);

// A threshold rule. What it measures:
//   TokensPerMinute: tokens of the calls in the last 60 s (sliding window), per scope value;
//   TokensPerRun / CostPerRun: the run's totals so far;
//   CostPerDay: USD spent today (local calendar day), per scope value.
// `scope` picks which label the window or the day is counted by (Total: everything together);
// with `scopeValue` set, only records with that value count.
struct AlertRule
{
    enum class Kind { TokensPerMinute, TokensPerRun, CostPerRun, CostPerDay };
    enum class Scope { Total, App, User, Model };

    QString name;
    Kind kind = Kind::TokensPerMinute;
    Scope scope = Scope::Total;
    QString scopeValue;
    double threshold = 0;
    bool notify = true;                  // the `alert` signal (desktop notification, Events)
    std::vector<WebhookTarget> webhooks; // POSTed on every alert
    bool pauseRun = false;               // a budget breakpoint: Debugger::pause()
};

// One crossing of a threshold.
struct Alert
{
    QString rule;
    AlertRule::Kind kind = AlertRule::Kind::TokensPerMinute;
    double value = 0;
    double threshold = 0;
    QMap<QString, QString> labels; // scope label (app_id, user_id, model) and run_id
    QString runId;
    qint64 timeMs = 0;
    QString message; // one line for people
};

[[nodiscard]] QString ruleKindName(AlertRule::Kind kind); // tokens_per_minute, ...
// The POST body of an alert in a webhook format (UTF-8 JSON).
[[nodiscard]] QByteArray webhookPayload(const Alert &alert, WebhookFormat format);

// Watches usage records against rules and acts when one is crossed. A rule fires once when its
// value goes above the threshold and again only after it has come back under it (per scope
// value; per run; per day), so a stream of calls over the limit gives one alert, not hundreds.
// The clock is injectable for tests; it defaults to the wall clock. Lives on its thread (GUI in
// the app); webhooks go through the given QNetworkAccessManager (or one of its own).
//
//     AlertEngine alerts;
//     alerts.setRules({{.name = "burst", .threshold = 10000, .webhooks = {{url, Slack}}}});
//     connect(&ledger, &Ledger::recorded, &alerts, &AlertEngine::addUsage);
class AlertEngine : public QObject
{
    Q_OBJECT

public:
    explicit AlertEngine(QObject *parent = nullptr);
    ~AlertEngine() override;

    void setRules(std::vector<AlertRule> rules);
    [[nodiscard]] const std::vector<AlertRule> &rules() const { return m_rules; }
    void setClock(std::function<qint64()> nowMs);
    void setNetwork(QNetworkAccessManager *network);
    // The run that pauseRun rules pause (not owned); pause() is called when the alert's run is
    // the debugger's run and it can pause.
    void setDebugger(runtime::Debugger *debugger);
    // TokensPerMinute's current sliding-window sum for a scope value ("" for Total).
    [[nodiscard]] double tokensPerMinute(AlertRule::Scope scope, const QString &value = {});

public Q_SLOTS:
    void addUsage(const flowbench::metering::UsageRecord &record);

Q_SIGNALS:
    void alert(const flowbench::metering::Alert &alert);
    void webhookDelivered(const QUrl &url, int httpStatus);
    void webhookFailed(const QUrl &url, const QString &message);
    void runPaused(const QString &runId, const QString &rule);

private:
    struct Window
    {
        std::deque<std::pair<qint64, qint64>> entries; // (time, tokens)
        double sum = 0;
    };
    void fire(const AlertRule &rule, const QString &key, double value, const UsageRecord &r);
    void check(const AlertRule &rule, const QString &stateKey, double value, const UsageRecord &r);
    Window &window(AlertRule::Scope scope, const QString &value, qint64 now);
    [[nodiscard]] QNetworkAccessManager *network();

    std::vector<AlertRule> m_rules;
    std::function<qint64()> m_now;
    QPointer<QNetworkAccessManager> m_network;
    QNetworkAccessManager *m_ownNetwork = nullptr;
    QPointer<runtime::Debugger> m_debugger;
    QHash<QString, Window> m_windows;   // "<scope>|<value>"
    QHash<QString, double> m_runTokens; // run id → tokens
    QHash<QString, double> m_runCost;   // run id → USD
    QHash<QString, double> m_dayCost;   // "<yyyy-MM-dd>|<scope>|<value>" → USD
    QHash<QString, bool> m_firing;      // rule state key → above the threshold
};

} // namespace flowbench::metering

Q_DECLARE_METATYPE(flowbench::metering::Alert)

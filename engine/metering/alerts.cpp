#include "alerts.h"

#include "runtime/debugger.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace flowbench::metering {

namespace {

constexpr qint64 kWindowMs = 60000;

QString scopeLabel(AlertRule::Scope scope)
{
    switch (scope) {
    case AlertRule::Scope::Total:
        return {};
    case AlertRule::Scope::App:
        return QStringLiteral("app_id");
    case AlertRule::Scope::User:
        return QStringLiteral("user_id");
    case AlertRule::Scope::Model:
        return QStringLiteral("model");
    }
    return {};
}

QString scopeValueOf(const UsageRecord &r, AlertRule::Scope scope)
{
    switch (scope) {
    case AlertRule::Scope::Total:
        return {};
    case AlertRule::Scope::App:
        return r.appId;
    case AlertRule::Scope::User:
        return r.userId;
    case AlertRule::Scope::Model:
        return r.model;
    }
    return {};
}

QString windowKey(AlertRule::Scope scope, const QString &value)
{
    return QString::number(static_cast<int>(scope)) + QLatin1Char('|') + value;
}

QString formatValue(AlertRule::Kind kind, double v)
{
    if (kind == AlertRule::Kind::CostPerRun || kind == AlertRule::Kind::CostPerDay)
        return QStringLiteral("$") + QString::number(v, 'f', v < 1 ? 4 : 2);
    return QString::number(static_cast<qint64>(v));
}

} // namespace

WebhookFormat webhookFormatForUrl(const QUrl &url)
{
    const QString host = url.host().toLower();
    if (host.endsWith(QLatin1String("slack.com")))
        return WebhookFormat::Slack;
    if (host.endsWith(QLatin1String("dingtalk.com")))
        return WebhookFormat::DingTalk;
    if (host == QLatin1String("qyapi.weixin.qq.com"))
        return WebhookFormat::WeCom;
    return WebhookFormat::Json;
}

QString ruleKindName(AlertRule::Kind kind)
{
    switch (kind) {
    case AlertRule::Kind::TokensPerMinute:
        return QStringLiteral("tokens_per_minute");
    case AlertRule::Kind::TokensPerRun:
        return QStringLiteral("tokens_per_run");
    case AlertRule::Kind::CostPerRun:
        return QStringLiteral("cost_per_run");
    case AlertRule::Kind::CostPerDay:
        return QStringLiteral("cost_per_day");
    }
    return {};
}

QByteArray webhookPayload(const Alert &a, WebhookFormat format)
{
    Json body;
    const std::string text = a.message.toStdString();
    switch (format) {
    case WebhookFormat::Slack:
        body = Json{{"text", text}};
        break;
    case WebhookFormat::DingTalk:
    case WebhookFormat::WeCom:
        body = Json{{"msgtype", "text"}, {"text", {{"content", text}}}};
        break;
    case WebhookFormat::Json: {
        Json labels = Json::object();
        for (auto it = a.labels.cbegin(); it != a.labels.cend(); ++it)
            labels[it.key().toStdString()] = it.value().toStdString();
        body = Json{{"rule", a.rule.toStdString()},
                    {"kind", ruleKindName(a.kind).toStdString()},
                    {"value", a.value},
                    {"threshold", a.threshold},
                    {"labels", labels},
                    {"run_id", a.runId.toStdString()},
                    {"time", QDateTime::fromMSecsSinceEpoch(a.timeMs, Qt::UTC)
                                 .toString(Qt::ISODateWithMs)
                                 .toStdString()},
                    {"message", text}};
        break;
    }
    }
    return QByteArray::fromStdString(body.dump(-1, ' ', false, Json::error_handler_t::replace));
}

AlertEngine::AlertEngine(QObject *parent)
    : QObject(parent)
    , m_now([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    qRegisterMetaType<Alert>();
}

AlertEngine::~AlertEngine() = default;

void AlertEngine::setRules(std::vector<AlertRule> rules)
{
    m_rules = std::move(rules);
    m_firing.clear();
}

void AlertEngine::setClock(std::function<qint64()> nowMs)
{
    m_now = std::move(nowMs);
}

void AlertEngine::setNetwork(QNetworkAccessManager *network)
{
    m_network = network;
}

void AlertEngine::setDebugger(runtime::Debugger *debugger)
{
    m_debugger = debugger;
}

QNetworkAccessManager *AlertEngine::network()
{
    if (m_network)
        return m_network;
    if (!m_ownNetwork)
        m_ownNetwork = new QNetworkAccessManager(this);
    return m_ownNetwork;
}

AlertEngine::Window &AlertEngine::window(AlertRule::Scope scope, const QString &value, qint64 now)
{
    Window &w = m_windows[windowKey(scope, value)];
    while (!w.entries.empty() && w.entries.front().first <= now - kWindowMs) {
        w.sum -= static_cast<double>(w.entries.front().second);
        w.entries.pop_front();
    }
    if (w.entries.empty())
        w.sum = 0; // no drift from floating point
    return w;
}

double AlertEngine::tokensPerMinute(AlertRule::Scope scope, const QString &value)
{
    return window(scope, value, m_now()).sum;
}

void AlertEngine::addUsage(const UsageRecord &r)
{
    const qint64 now = m_now();
    const qint64 tokens = r.totalTokens();
    using Scope = AlertRule::Scope;
    for (Scope s : {Scope::Total, Scope::App, Scope::User, Scope::Model}) {
        Window &w = window(s, scopeValueOf(r, s), now);
        w.entries.emplace_back(now, tokens);
        w.sum += static_cast<double>(tokens);
    }
    m_runTokens[r.runId] += static_cast<double>(tokens);
    if (r.costUsd)
        m_runCost[r.runId] += *r.costUsd;
    const QString day = QDateTime::fromMSecsSinceEpoch(now).date().toString(Qt::ISODate);
    if (r.costUsd) {
        for (Scope s : {Scope::Total, Scope::App, Scope::User, Scope::Model})
            m_dayCost[day + QLatin1Char('|') + windowKey(s, scopeValueOf(r, s))] += *r.costUsd;
    }

    for (const AlertRule &rule : std::as_const(m_rules)) {
        const QString value = scopeValueOf(r, rule.scope);
        if (!rule.scopeValue.isEmpty() && rule.scope != Scope::Total && value != rule.scopeValue)
            continue;
        const QString ruleKey
            = rule.name + QLatin1Char('|') + ruleKindName(rule.kind) + QLatin1Char('|');
        switch (rule.kind) {
        case AlertRule::Kind::TokensPerMinute:
            check(rule, ruleKey + windowKey(rule.scope, value), window(rule.scope, value, now).sum,
                  r);
            break;
        case AlertRule::Kind::TokensPerRun:
            check(rule, ruleKey + r.runId, m_runTokens.value(r.runId), r);
            break;
        case AlertRule::Kind::CostPerRun:
            check(rule, ruleKey + r.runId, m_runCost.value(r.runId), r);
            break;
        case AlertRule::Kind::CostPerDay:
            check(rule, ruleKey + day + QLatin1Char('|') + windowKey(rule.scope, value),
                  m_dayCost.value(day + QLatin1Char('|') + windowKey(rule.scope, value)), r);
            break;
        }
    }
}

void AlertEngine::check(const AlertRule &rule, const QString &stateKey, double value,
                        const UsageRecord &r)
{
    const bool above = value > rule.threshold;
    bool &firing = m_firing[stateKey];
    if (above && !firing)
        fire(rule, stateKey, value, r);
    firing = above;
}

void AlertEngine::fire(const AlertRule &rule, const QString &, double value, const UsageRecord &r)
{
    Alert a;
    a.rule = rule.name;
    a.kind = rule.kind;
    a.value = value;
    a.threshold = rule.threshold;
    a.runId = r.runId;
    a.timeMs = m_now();
    if (const QString label = scopeLabel(rule.scope); !label.isEmpty())
        a.labels.insert(label, scopeValueOf(r, rule.scope));
    if (!r.runId.isEmpty())
        a.labels.insert(QStringLiteral("run_id"), r.runId);
    const QString scope
        = a.labels.contains(scopeLabel(rule.scope))
              ? QStringLiteral(" (%1=%2)").arg(scopeLabel(rule.scope), scopeValueOf(r, rule.scope))
              : QString();
    a.message = QCoreApplication::translate("flowbench::metering::AlertEngine",
                                            "Flowbench alert \"%1\": %2 is %3, over %4%5")
                    .arg(rule.name, ruleKindName(rule.kind), formatValue(rule.kind, value),
                         formatValue(rule.kind, rule.threshold), scope);
    if (rule.notify)
        Q_EMIT alert(a);
    for (const WebhookTarget &target : rule.webhooks) {
        QNetworkRequest request(target.url);
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QStringLiteral("application/json; charset=utf-8"));
        request.setTransferTimeout(10000);
        QNetworkReply *reply = network()->post(request, webhookPayload(a, target.format));
        const QUrl url = target.url;
        connect(reply, &QNetworkReply::finished, this, [this, reply, url] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (reply->error() != QNetworkReply::NoError)
                Q_EMIT webhookFailed(url, reply->errorString());
            else
                Q_EMIT webhookDelivered(url, status);
        });
    }
    if (rule.pauseRun && m_debugger && (r.runId.isEmpty() || m_debugger->runId() == r.runId)
        && m_debugger->can(runtime::Debugger::Capability::Pause)) {
        m_debugger->pause();
        Q_EMIT runPaused(r.runId, rule.name);
    }
}

} // namespace flowbench::metering

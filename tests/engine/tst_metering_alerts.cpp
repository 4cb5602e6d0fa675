// Thresholds and alerts: the 60 s sliding window with an injected clock, per-scope rules,
// per-run and per-day budgets, and every webhook format POSTed to a local HTTP receiver.
#include "metering/alerts.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

using namespace flowbench;
using namespace flowbench::metering;
using Json = nlohmann::json;

namespace {

// Accepts HTTP requests on loopback, keeps each body, answers 200.
class Receiver : public QObject
{
    Q_OBJECT

public:
    Receiver()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, this, [this, s] { read(s); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
    }
    QList<QByteArray> bodies;
    QList<QByteArray> heads;

Q_SIGNALS:
    void received();

private:
    void read(QTcpSocket *s)
    {
        QByteArray &buf = m_buffers[s];
        buf += s->readAll();
        const qsizetype end = buf.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QByteArray head = buf.left(end);
        qsizetype length = 0;
        for (const QByteArray &line : head.split('\n')) {
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        }
        if (buf.size() < end + 4 + length)
            return;
        heads << head;
        bodies << buf.mid(end + 4, length);
        m_buffers.remove(s);
        s->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        s->disconnectFromHost();
        Q_EMIT received();
    }
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

UsageRecord usage(qint64 tokens, const QString &app = QStringLiteral("app1"),
                  const QString &run = QStringLiteral("run1"))
{
    UsageRecord r;
    r.runId = run;
    r.appId = app;
    r.userId = QStringLiteral("u1");
    r.model = QStringLiteral("m1");
    r.promptTokens = tokens;
    return r;
}

} // namespace

class TestMeteringAlerts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void slidingWindow();
    void scopes();
    void runAndDayBudgets();
    void payloadFormats();
    void webhooksReachReceiver_data();
    void webhooksReachReceiver();
};

void TestMeteringAlerts::slidingWindow()
{
    qint64 now = 1'000'000;
    AlertEngine a;
    a.setClock([&] { return now; });
    AlertRule r;
    r.name = QStringLiteral("tpm");
    r.threshold = 1000;
    a.setRules({r});
    QSignalSpy fired(&a, &AlertEngine::alert);

    a.addUsage(usage(600));
    now += 30'000;
    a.addUsage(usage(300));
    QCOMPARE(a.tokensPerMinute(AlertRule::Scope::Total), 900.0);
    QCOMPARE(fired.count(), 0);
    now += 29'000; // 59 s after the first: still in the window
    a.addUsage(usage(200));
    QCOMPARE(fired.count(), 1);
    const Alert alert = fired.last().at(0).value<Alert>();
    QCOMPARE(alert.value, 1100.0);
    QCOMPARE(alert.threshold, 1000.0);
    QCOMPARE(alert.kind, AlertRule::Kind::TokensPerMinute);
    QVERIFY(alert.message.contains(QStringLiteral("1100")));

    // Still above: no repeated alert.
    now += 500;
    a.addUsage(usage(10));
    QCOMPARE(fired.count(), 1);
    // The first record leaves the window (60 s after it): 300 + 200 + 10 + 0.
    now = 1'000'000 + 60'000;
    a.addUsage(usage(0));
    QCOMPARE(a.tokensPerMinute(AlertRule::Scope::Total), 510.0);
    // Back under the threshold, so the next crossing alerts again.
    a.addUsage(usage(600));
    QCOMPARE(fired.count(), 2);
    // Everything expires after a quiet minute.
    now += 61'000;
    QCOMPARE(a.tokensPerMinute(AlertRule::Scope::Total), 0.0);
}

void TestMeteringAlerts::scopes()
{
    qint64 now = 5'000'000;
    AlertEngine a;
    a.setClock([&] { return now; });
    AlertRule perApp;
    perApp.name = QStringLiteral("per app");
    perApp.scope = AlertRule::Scope::App;
    perApp.threshold = 100;
    AlertRule onlyApp2 = perApp;
    onlyApp2.name = QStringLiteral("app2 only");
    onlyApp2.scopeValue = QStringLiteral("app2");
    a.setRules({perApp, onlyApp2});
    QSignalSpy fired(&a, &AlertEngine::alert);
    a.addUsage(usage(80, QStringLiteral("app1")));
    a.addUsage(usage(80, QStringLiteral("app2")));
    QCOMPARE(fired.count(), 0); // 160 in total, but 80 per app
    a.addUsage(usage(30, QStringLiteral("app1")));
    QCOMPARE(fired.count(), 1);
    QCOMPARE(fired.last().at(0).value<Alert>().rule, QStringLiteral("per app"));
    QCOMPARE(fired.last().at(0).value<Alert>().labels.value(QStringLiteral("app_id")),
             QStringLiteral("app1"));
    a.addUsage(usage(30, QStringLiteral("app2")));
    QCOMPARE(fired.count(), 3); // both rules for app2
    QCOMPARE(a.tokensPerMinute(AlertRule::Scope::App, QStringLiteral("app2")), 110.0);
    QCOMPARE(a.tokensPerMinute(AlertRule::Scope::Model, QStringLiteral("m1")), 220.0);
}

void TestMeteringAlerts::runAndDayBudgets()
{
    qint64 now = QDateTime(QDate(2025, 6, 1), QTime(10, 0)).toMSecsSinceEpoch();
    AlertEngine a;
    a.setClock([&] { return now; });
    AlertRule perRun;
    perRun.name = QStringLiteral("run tokens");
    perRun.kind = AlertRule::Kind::TokensPerRun;
    perRun.threshold = 500;
    AlertRule runCost;
    runCost.name = QStringLiteral("run cost");
    runCost.kind = AlertRule::Kind::CostPerRun;
    runCost.threshold = 0.5;
    AlertRule dayCost;
    dayCost.name = QStringLiteral("day cost");
    dayCost.kind = AlertRule::Kind::CostPerDay;
    dayCost.threshold = 1.0;
    a.setRules({perRun, runCost, dayCost});
    QSignalSpy fired(&a, &AlertEngine::alert);
    const auto priced = [](qint64 tokens, double usd, const QString &run) {
        UsageRecord r = usage(tokens, QStringLiteral("app1"), run);
        r.cost = usd;
        r.costUsd = usd;
        return r;
    };
    a.addUsage(priced(400, 0.4, QStringLiteral("a")));
    a.addUsage(priced(400, 0.4, QStringLiteral("b")));
    QCOMPARE(fired.count(), 0);
    a.addUsage(priced(200, 0.2, QStringLiteral("a"))); // run a: 600 tokens, $0.60
    QCOMPARE(fired.count(), 2);
    a.addUsage(priced(10, 0.3, QStringLiteral("b"))); // run b $0.70; day $1.30
    QCOMPARE(fired.count(), 4);
    QCOMPARE(fired.last().at(0).value<Alert>().rule, QStringLiteral("day cost"));
    // A new day starts from zero.
    now += 86400000;
    a.addUsage(priced(1, 0.9, QStringLiteral("c")));
    QCOMPARE(fired.count(), 5); // run c's cost, not the day's
    // Unpriced calls never add cost.
    a.addUsage(usage(1, QStringLiteral("app1"), QStringLiteral("c")));
    QCOMPARE(fired.count(), 5);
}

void TestMeteringAlerts::payloadFormats()
{
    Alert alert;
    alert.rule = QStringLiteral("burst");
    alert.kind = AlertRule::Kind::TokensPerMinute;
    alert.value = 1200;
    alert.threshold = 1000;
    alert.labels.insert(QStringLiteral("app_id"), QStringLiteral("app1"));
    alert.timeMs = 1748736000000;
    alert.message = QStringLiteral("告警: 1200 > 1000");
    const auto parse
        = [&](WebhookFormat f) { return Json::parse(webhookPayload(alert, f).toStdString()); };
    QCOMPARE(parse(WebhookFormat::Slack), Json({{"text", "告警: 1200 > 1000"}}));
    const Json text{{"msgtype", "text"}, {"text", {{"content", "告警: 1200 > 1000"}}}};
    QCOMPARE(parse(WebhookFormat::DingTalk), text);
    QCOMPARE(parse(WebhookFormat::WeCom), text);
    const Json generic = parse(WebhookFormat::Json);
    QCOMPARE(generic["rule"], Json("burst"));
    QCOMPARE(generic["value"], Json(1200.0));
    QCOMPARE(generic["threshold"], Json(1000.0));
    QCOMPARE(generic["labels"]["app_id"], Json("app1"));
    QCOMPARE(generic["time"], Json("2025-06-01T00:00:00.000Z"));
}

void TestMeteringAlerts::webhooksReachReceiver_data()
{
    QTest::addColumn<int>("format");
    QTest::newRow("slack") << int(WebhookFormat::Slack);
    QTest::newRow("dingtalk") << int(WebhookFormat::DingTalk);
    QTest::newRow("wecom") << int(WebhookFormat::WeCom);
    QTest::newRow("json") << int(WebhookFormat::Json);
}

void TestMeteringAlerts::webhooksReachReceiver()
{
    QFETCH(int, format);
    Receiver receiver;
    QNetworkAccessManager network;
    AlertEngine a;
    a.setNetwork(&network);
    AlertRule r;
    r.name = QStringLiteral("tpm");
    r.threshold = 10;
    r.webhooks.push_back({receiver.url(QStringLiteral("/hook")), WebhookFormat(format)});
    a.setRules({r});
    QSignalSpy delivered(&a, &AlertEngine::webhookDelivered);
    QSignalSpy failed(&a, &AlertEngine::webhookFailed);
    a.addUsage(usage(50));
    QVERIFY(delivered.count() || delivered.wait(10000));
    QCOMPARE(failed.count(), 0);
    QCOMPARE(delivered.last().at(1).toInt(), 200);
    QCOMPARE(receiver.bodies.size(), 1);
    QVERIFY(receiver.heads.first().startsWith("POST /hook "));
    QVERIFY(receiver.heads.first().toLower().contains("content-type: application/json"));
    const Json body = Json::parse(receiver.bodies.first().toStdString());
    switch (WebhookFormat(format)) {
    case WebhookFormat::Slack:
        QVERIFY(body["text"].get<std::string>().find("tpm") != std::string::npos);
        break;
    case WebhookFormat::DingTalk:
    case WebhookFormat::WeCom:
        QCOMPARE(body["msgtype"], Json("text"));
        QVERIFY(body["text"]["content"].get<std::string>().find("50") != std::string::npos);
        break;
    case WebhookFormat::Json:
        QCOMPARE(body["rule"], Json("tpm"));
        QCOMPARE(body["value"], Json(50.0));
        QCOMPARE(body["labels"]["run_id"], Json("run1"));
        break;
    }
}

QTEST_GUILESS_MAIN(TestMeteringAlerts)
#include "tst_metering_alerts.moc"

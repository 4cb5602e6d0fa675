// The Prometheus side: exposition format details (HELP/TYPE, escaping, _total counters,
// cumulative histogram buckets up to +Inf), the metric names and labels Flowbench promises,
// /metrics over HTTP, `promtool check metrics` on the output and a real Prometheus server
// scraping a MetricsServer (the last two skip when the Debian `prometheus` package is absent).
#include "llm/simulator/simulator.h"
#include "metering/metricsserver.h"
#include "metering/tokenmetrics.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <QtTest>

using namespace flowbench;
using namespace flowbench::metering;
using Json = nlohmann::json;

namespace {

UsageRecord record(const QString &model, bool priced)
{
    UsageRecord r;
    r.runId = QStringLiteral("r1");
    r.model = model;
    r.appId = QStringLiteral("app \"one\"\\x\ny"); // needs every escape
    r.userId = QStringLiteral("alice");
    r.promptTokens = 100;
    r.completionTokens = 40;
    r.reasoningTokens = 10;
    r.cachedTokens = 20;
    r.latencyMs = 1300;
    if (priced) {
        r.cost = 0.002;
        r.costUsd = 0.002;
        r.currency = QStringLiteral("USD");
    }
    return r;
}

void fill(TokenMetrics &m)
{
    m.addUsage(record(QStringLiteral("gpt-4o"), true));
    m.addUsage(record(QStringLiteral("gpt-4o"), true));
    m.addUsage(record(QStringLiteral("local-llama"), false));
    runtime::RunEvent node;
    node.type = runtime::RunEvent::Type::NodeSucceeded;
    node.nodeKind = QStringLiteral("llm");
    node.elapsedMs = 2000;
    m.addRunEvent(node);
    runtime::RunEvent done;
    done.type = runtime::RunEvent::Type::RunSucceeded;
    done.status = QStringLiteral("succeeded");
    m.addRunEvent(done);
}

QByteArray get(QNetworkAccessManager &net, const QUrl &url, QByteArray *contentType = nullptr,
               int *status = nullptr)
{
    QNetworkReply *reply = net.get(QNetworkRequest(url));
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        done.wait(10000);
    const QByteArray body = reply->readAll();
    if (contentType)
        *contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    if (status)
        *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    return body;
}

quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

} // namespace

class TestMeteringPrometheus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exposition();
    void escaping();
    void servesMetrics();
    void promtoolAccepts();
    void prometheusScrapes();
    void cliMetricsOut();
};

void TestMeteringPrometheus::exposition()
{
    TokenMetrics m;
    fill(m);
    const QByteArray text = m.render();
    const QString t = QString::fromUtf8(text);
    QVERIFY(text.endsWith('\n'));
    QVERIFY(t.contains(QStringLiteral("# HELP dify_token_total ")));
    QVERIFY(t.contains(QStringLiteral("# TYPE dify_token_total counter\n")));
    QVERIFY(t.contains(QStringLiteral("# TYPE dify_token_cost_usd gauge\n")));
    QVERIFY(t.contains(QStringLiteral("# TYPE dify_request_latency_seconds histogram\n")));
    QVERIFY(t.contains(QStringLiteral("# TYPE flowbench_runs_total counter\n")));
    const QString app = QStringLiteral("app_id=\"app \\\"one\\\"\\\\x\\ny\"");
    for (const char *direction : {"input", "output", "reasoning", "cached"})
        QVERIFY(t.contains(QStringLiteral("dify_token_total{model=\"gpt-4o\",%1,user_id=\"alice\","
                                          "direction=\"%2\"} ")
                               .arg(app, QLatin1String(direction))));
    QVERIFY(t.contains(QStringLiteral("dify_token_total{model=\"gpt-4o\",%1,user_id=\"alice\","
                                      "direction=\"input\"} 200\n")
                           .arg(app)));
    QVERIFY(t.contains(QStringLiteral("dify_token_cost_usd{model=\"gpt-4o\",%1,user_id=\"alice\"} "
                                      "0.004\n")
                           .arg(app)));
    // Unpriced: no cost series, a counter instead.
    QVERIFY(!t.contains(QStringLiteral("dify_token_cost_usd{model=\"local-llama\"")));
    QVERIFY(
        t.contains(QStringLiteral("flowbench_unpriced_requests_total{model=\"local-llama\"} 1\n")));
    // Histogram: cumulative buckets to +Inf, then sum and count.
    const QString h
        = QStringLiteral("dify_request_latency_seconds_bucket{model=\"gpt-4o\",%1,le=").arg(app);
    QVERIFY(t.contains(h + QStringLiteral("\"1\"} 0\n")));
    QVERIFY(t.contains(h + QStringLiteral("\"2.5\"} 2\n")));
    QVERIFY(t.contains(h + QStringLiteral("\"300\"} 2\n")));
    QVERIFY(t.contains(h + QStringLiteral("\"+Inf\"} 2\n")));
    QVERIFY(t.contains(
        QStringLiteral("dify_request_latency_seconds_sum{model=\"gpt-4o\",%1} 2.6\n").arg(app)));
    QVERIFY(t.contains(
        QStringLiteral("dify_request_latency_seconds_count{model=\"gpt-4o\",%1} 2\n").arg(app)));
    QVERIFY(t.contains(QStringLiteral("flowbench_runs_total{status=\"succeeded\"} 1\n")));
    QVERIFY(t.contains(
        QStringLiteral("flowbench_node_executions_total{kind=\"llm\",status=\"succeeded\"} 1\n")));
    QVERIFY(t.contains(QStringLiteral("flowbench_node_duration_seconds_count{kind=\"llm\"} 1\n")));
    // Every counter name ends in _total; every sample line names a declared family.
    const QStringList lines = t.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        if (line.startsWith(QLatin1String("# TYPE")) && line.endsWith(QLatin1String(" counter")))
            QVERIFY2(line.section(QLatin1Char(' '), 2, 2).endsWith(QLatin1String("_total")),
                     qPrintable(line));
    }
}

void TestMeteringPrometheus::escaping()
{
    QCOMPARE(MetricsRegistry::escapeLabelValue(QStringLiteral("a\"b\\c\nd")),
             QByteArray("a\\\"b\\\\c\\nd"));
    QCOMPARE(MetricsRegistry::escapeLabelValue(QStringLiteral("模型")),
             QStringLiteral("模型").toUtf8());
    QByteArray n;
    MetricsRegistry::appendNumber(n, 0.1);
    n += ' ';
    MetricsRegistry::appendNumber(n, 12345678);
    n += ' ';
    MetricsRegistry::appendNumber(n, std::numeric_limits<double>::infinity());
    QCOMPARE(n, QByteArray("0.1 12345678 +Inf"));
    MetricsRegistry r;
    r.define(QStringLiteral("x_total"), MetricsRegistry::Counter,
             QStringLiteral("help with \\ and\nnewline"), {QStringLiteral("l")});
    r.add(QStringLiteral("x_total"), {QStringLiteral("v")}, 2);
    r.add(QStringLiteral("x_total"), {QStringLiteral("v")}, -5); // counters never go down
    QCOMPARE(r.render(), QByteArray("# HELP x_total help with \\\\ and\\nnewline\n"
                                    "# TYPE x_total counter\nx_total{l=\"v\"} 2\n"));
}

void TestMeteringPrometheus::servesMetrics()
{
    TokenMetrics m;
    fill(m);
    MetricsServer server(&m.registry());
    const auto port = server.listen(0);
    QVERIFY2(port, port ? "" : qPrintable(port.error().message));
    QNetworkAccessManager net;
    QByteArray type;
    int status = 0;
    const QByteArray body
        = get(net, QUrl(QStringLiteral("http://127.0.0.1:%1/metrics").arg(*port)), &type, &status);
    QCOMPARE(status, 200);
    QVERIFY(type.startsWith("text/plain; version=0.0.4"));
    QCOMPARE(body, m.render());
    get(net, QUrl(QStringLiteral("http://127.0.0.1:%1/other").arg(*port)), nullptr, &status);
    QCOMPARE(status, 404);
    // A second server on the same port fails clearly.
    MetricsServer again(&m.registry());
    QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(QStringLiteral("listen failed")));
    QVERIFY(!again.listen(*port));
}

void TestMeteringPrometheus::promtoolAccepts()
{
    const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    if (promtool.isEmpty())
        QSKIP("promtool is not installed (Debian package prometheus)");
    TokenMetrics m;
    fill(m);
    QProcess p;
    p.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
    QVERIFY(p.waitForStarted());
    p.write(m.render());
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(30000));
    const QByteArray out = p.readAllStandardOutput() + p.readAllStandardError();
    QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, out.constData());
    QVERIFY2(out.trimmed().isEmpty(), out.constData()); // no lint findings either
}

void TestMeteringPrometheus::prometheusScrapes()
{
    const QString prometheus = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
    if (prometheus.isEmpty())
        QSKIP("prometheus is not installed (Debian package prometheus)");
    TokenMetrics m;
    fill(m);
    MetricsServer server(&m.registry());
    const auto port = server.listen(0);
    QVERIFY(port);
    QTemporaryDir dir;
    const quint16 webPort = freePort();
    QFile config(dir.filePath(QStringLiteral("prometheus.yml")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QStringLiteral("global:\n  scrape_interval: 1s\n"
                                "scrape_configs:\n"
                                "  - job_name: flowbench\n"
                                "    scrape_interval: 1s\n"
                                "    static_configs:\n"
                                "      - targets: ['127.0.0.1:%1']\n")
                     .arg(*port)
                     .toUtf8());
    config.close();
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(prometheus,
            {QStringLiteral("--config.file=") + config.fileName(),
             QStringLiteral("--storage.tsdb.path=") + dir.filePath(QStringLiteral("data")),
             QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(webPort)});
    QVERIFY(p.waitForStarted());
    QNetworkAccessManager net;
    QUrl query(QStringLiteral("http://127.0.0.1:%1/api/v1/query").arg(webPort));
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("query"),
                   QStringLiteral("dify_token_total{model=\"gpt-4o\",direction=\"input\"}"));
    query.setQuery(q);
    Json found;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 30000 && p.state() == QProcess::Running) {
        const QByteArray body = get(net, query);
        const Json j = Json::parse(body.toStdString(), nullptr, false);
        if (!j.is_discarded() && j.value("status", "") == "success"
            && !j["data"]["result"].empty()) {
            found = j["data"]["result"][0];
            break;
        }
        QTest::qWait(300);
    }
    const QByteArray log = p.readAll();
    p.terminate();
    p.waitForFinished(10000);
    QVERIFY2(!found.is_null(), log.right(2000).constData());
    QCOMPARE(found["metric"]["user_id"], Json("alice"));
    QCOMPARE(found["metric"]["app_id"], Json("app \"one\"\\x\ny")); // escaping round-trips
    QCOMPARE(found["value"][1], Json("200"));
}

void TestMeteringPrometheus::cliMetricsOut()
{
#ifndef FLOWBENCH_BINARY
    QSKIP("the flowbench executable is not built (FLOWBENCH_GUI=OFF)");
#else
    llm::Simulator sim;
    QVERIFY(sim.listen() != 0);
    QTemporaryDir dir;
    QFile wf(dir.filePath(QStringLiteral("one-llm.yml")));
    QVERIFY(wf.open(QIODevice::WriteOnly));
    wf.write(R"(app: {mode: workflow, name: one-llm}
kind: app
version: 0.3.1
workflow:
  graph:
    edges:
    - {id: e1, source: start, sourceHandle: source, target: llm1, targetHandle: target}
    - {id: e2, source: llm1, sourceHandle: source, target: end, targetHandle: target}
    nodes:
    - id: start
      data: {type: start, title: Start, variables: [{variable: q, label: q, type: text-input}]}
    - id: llm1
      data:
        type: llm
        title: LLM
        model: {provider: openai, name: gpt-4o, mode: chat, completion_params: {}}
        prompt_template: [{role: user, text: "{{#start.q#}}"}]
    - id: end
      data: {type: end, title: End, outputs: [{variable: out, value_selector: [llm1, text]}]}
)");
    wf.close();
    const QString out = dir.filePath(QStringLiteral("run.prom"));
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("FLOWBENCH_RUN_STORE"), dir.filePath(QStringLiteral("runs.sqlite")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(FLOWBENCH_BINARY),
            {QStringLiteral("run"), wf.fileName(), QStringLiteral("--inputs"),
             QStringLiteral("{\"q\": \"hi\"}"), QStringLiteral("--endpoint"),
             QStringLiteral("http://127.0.0.1:%1/v1").arg(sim.port()), QStringLiteral("--model"),
             sim.config().model, QStringLiteral("--metrics-out"), out});
    // The simulator answers on this thread's event loop: keep it running while the CLI works.
    QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 30000);
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    QVERIFY2(text.contains(QStringLiteral("dify_token_total{model=\"%1\",app_id=\"\",user_id=")
                               .arg(sim.config().model)),
             qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("flowbench_runs_total{status=\"succeeded\"} 1\n")));
    QVERIFY(text.contains(
        QStringLiteral("flowbench_node_executions_total{kind=\"llm\",status=\"succeeded\"} 1\n")));
    QVERIFY(text.contains(QStringLiteral("flowbench_unpriced_requests_total{model=\"%1\"} 1\n")
                              .arg(sim.config().model)));
#endif
}

QTEST_GUILESS_MAIN(TestMeteringPrometheus)
#include "tst_metering_prometheus.moc"

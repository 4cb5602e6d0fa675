// `flowbench serve` against the real binary: it announces where it listens, answers /health and
// Dify's API, logs one JSON line per request, and a SIGTERM lets the running workflow finish and
// exits 0.
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

class TestServeCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void servesAndStopsOnSigterm();
    void refusesOpenHostWithoutKey();
    void badArguments();

private:
    QProcessEnvironment env(const QTemporaryDir &dir) const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("FLOWBENCH_RUN_STORE"),
                 dir.filePath(QStringLiteral("runs.sqlite")));
        e.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
        e.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
        return e;
    }
};

void TestServeCli::servesAndStopsOnSigterm()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcess p;
    p.setProcessEnvironment(env(dir));
    p.start(QStringLiteral(FLOWBENCH_BINARY),
            {QStringLiteral("serve"),
             QStringLiteral(FLOWBENCH_SOURCE_DIR "/tests/data/serve/slow_workflow.yml"),
             QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--api-key"),
             QStringLiteral("k1"), QStringLiteral("--workers"), QStringLiteral("2")});
    QVERIFY(p.waitForStarted(10000));
    p.setReadChannel(QProcess::StandardError);
    const QRegularExpression re(QStringLiteral(R"(on http://127\.0\.0\.1:(\d+)/v1 \(2 workers)"));
    int port = 0;
    QByteArray startup;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            startup += p.readAllStandardError();
            const auto m = re.match(QString::fromUtf8(startup));
            if (m.hasMatch())
                port = m.captured(1).toInt();
            return port > 0;
        }(),
        20000);

    QNetworkAccessManager network;
    const auto url = [port](const char *path) {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port) + QLatin1String(path));
    };
    QNetworkReply *health = network.get(QNetworkRequest(url("/health")));
    QSignalSpy healthDone(health, &QNetworkReply::finished);
    QVERIFY(healthDone.wait(10000));
    QCOMPARE(health->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(QJsonDocument::fromJson(health->readAll()).object().value(QStringLiteral("status")),
             QJsonValue(QStringLiteral("ok")));
    health->deleteLater();

    // A run that is still going when SIGTERM arrives finishes and is answered.
    QNetworkRequest run(url("/v1/workflows/run"));
    run.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    run.setRawHeader("Authorization", "Bearer k1");
    QNetworkReply *reply = network.post(
        run, R"({"inputs":{"text":"bye","seconds":1.5},"response_mode":"blocking","user":"u"})");
    QTest::qWait(500); // the run is in its code node
    p.terminate();     // SIGTERM
    QSignalSpy runDone(reply, &QNetworkReply::finished);
    QVERIFY(reply->isFinished() || runDone.wait(15000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    const QJsonObject data = QJsonDocument::fromJson(reply->readAll())
                                 .object()
                                 .value(QStringLiteral("data"))
                                 .toObject();
    QCOMPARE(data.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    reply->deleteLater();

    QVERIFY(p.waitForFinished(15000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(p.readAllStandardOutput().isEmpty());
    const QByteArray log = startup + p.readAllStandardError();
    // One JSON line per request, the rest are plain "flowbench serve:" lines.
    int requests = 0;
    for (const QByteArray &line : log.split('\n')) {
        if (line.isEmpty())
            continue;
        if (line.startsWith('{')) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            QVERIFY2(o.contains(QStringLiteral("time")) && o.contains(QStringLiteral("method"))
                         && o.contains(QStringLiteral("path"))
                         && o.contains(QStringLiteral("status"))
                         && o.contains(QStringLiteral("duration_ms"))
                         && o.contains(QStringLiteral("run_id")),
                     line.constData());
            ++requests;
        } else {
            QVERIFY2(line.startsWith("flowbench serve: "), line.constData());
        }
    }
    QCOMPARE(requests, 2);
    QVERIFY(log.contains("shutting down"));
    QVERIFY(log.contains("\"path\":\"/v1/workflows/run\""));
}

void TestServeCli::refusesOpenHostWithoutKey()
{
    QTemporaryDir dir;
    QProcess p;
    p.setProcessEnvironment(env(dir));
    p.start(QStringLiteral(FLOWBENCH_BINARY),
            {QStringLiteral("serve"),
             QStringLiteral(FLOWBENCH_SOURCE_DIR "/resources/examples/hello_branching.yml"),
             QStringLiteral("--host"), QStringLiteral("0.0.0.0"), QStringLiteral("--port"),
             QStringLiteral("0")});
    QVERIFY(p.waitForFinished(20000));
    QCOMPARE(p.exitCode(), 2);
    QVERIFY(p.readAllStandardError().contains("without --api-key"));
}

void TestServeCli::badArguments()
{
    QProcess p;
    p.start(QStringLiteral(FLOWBENCH_BINARY), {QStringLiteral("serve")});
    QVERIFY(p.waitForFinished(20000));
    QCOMPARE(p.exitCode(), 2);
    QVERIFY(p.readAllStandardError().contains("usage: flowbench serve"));

    p.start(QStringLiteral(FLOWBENCH_BINARY), {QStringLiteral("serve"), QStringLiteral("x.yml"),
                                               QStringLiteral("--workers"), QStringLiteral("0")});
    QVERIFY(p.waitForFinished(20000));
    QCOMPARE(p.exitCode(), 2);
}

QTEST_GUILESS_MAIN(TestServeCli)
#include "tst_serve_cli.moc"

// `flowbench simulate` against the real binary: it announces where it listens, serves the vLLM
// endpoints, and a SIGTERM ends it cleanly.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QtTest>

class TestSimulateCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void servesUntilSigterm();
    void badArguments();
};

void TestSimulateCli::servesUntilSigterm()
{
    QProcess p;
    p.start(QStringLiteral(FLOWBENCH_BINARY),
            {QStringLiteral("simulate"), QStringLiteral("--port"), QStringLiteral("0"),
             QStringLiteral("--model"), QStringLiteral("sim-model"), QStringLiteral("--api-key"),
             QStringLiteral("k1")});
    QVERIFY(p.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(p.canReadLine(), 10000);
    const QString line = QString::fromUtf8(p.readLine()).trimmed();
    const QRegularExpression re(QStringLiteral(
        R"(^flowbench simulate: listening on http://127\.0\.0\.1:(\d+)/v1 \(model sim-model\)$)"));
    const QRegularExpressionMatch m = re.match(line);
    QVERIFY2(m.hasMatch(), qPrintable(line));
    const int port = m.captured(1).toInt();
    QVERIFY(port > 0);

    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/models").arg(port)));
    request.setRawHeader("Authorization", "Bearer k1");
    QNetworkReply *reply = network.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    const QJsonObject models = QJsonDocument::fromJson(reply->readAll()).object();
    QCOMPARE(models.value(QStringLiteral("data"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("id")),
             QJsonValue(QStringLiteral("sim-model")));
    reply->deleteLater();

    p.terminate(); // SIGTERM on Unix
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(p.readAllStandardOutput().isEmpty()); // one line only
}

void TestSimulateCli::badArguments()
{
    for (const QStringList &args :
         {QStringList{QStringLiteral("simulate"), QStringLiteral("--bogus"), QStringLiteral("1")},
          QStringList{QStringLiteral("simulate"), QStringLiteral("--port"), QStringLiteral("x")},
          QStringList{QStringLiteral("simulate"), QStringLiteral("--host"),
                      QStringLiteral("not-an-ip")}}) {
        QProcess p;
        p.start(QStringLiteral(FLOWBENCH_BINARY), args);
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardOutput().isEmpty());
        QVERIFY(!p.readAllStandardError().isEmpty());
    }
}

QTEST_GUILESS_MAIN(TestSimulateCli)
#include "tst_simulate_cli.moc"

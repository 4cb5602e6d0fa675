// The ten Dify 1.12.1 fixtures: import, validate clean, and round-trip without losing anything.
#include "document/dslio.h"
#include "document/validator.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace flowbench::document;

class TestFixtures : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void validatesClean_data() { roundTrip_data(); }
    void validatesClean();
    void savedFilesReload_data() { roundTrip_data(); }
    void savedFilesReload();
};

void TestFixtures::roundTrip_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(FLOWBENCH_FIXTURES_DIR));
    const QStringList files = dir.entryList({QStringLiteral("*.yml")}, QDir::Files, QDir::Name);
    QCOMPARE(files.size(), 10);
    for (const QString &f : files)
        QTest::newRow(qPrintable(f)) << dir.filePath(f);
}

// YAML → JSON → YAML → JSON gives identical content, and the first JSON equals what PyYAML-style
// parsing of the original file gives (nothing added, nothing dropped).
void TestFixtures::roundTrip()
{
    QFETCH(QString, path);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray yaml = f.readAll();

    auto original = parseYaml(std::string_view(yaml.constData(), size_t(yaml.size())));
    QVERIFY2(original, qPrintable(original ? QString() : original.error().toString()));

    auto loaded = loadWorkflowText(yaml, FileFormat::DifyYaml, path);
    QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().toString()));

    const QByteArray json1 = serialize(loaded->workflow, FileFormat::NativeJson);
    QCOMPARE(Json::parse(json1.toStdString()), *original);

    auto fromJson = loadWorkflowText(json1, FileFormat::NativeJson, QStringLiteral("1.json"));
    QVERIFY(fromJson);
    const QByteArray yaml2 = serialize(fromJson->workflow, FileFormat::DifyYaml);
    auto fromYaml2 = loadWorkflowText(yaml2, FileFormat::DifyYaml, QStringLiteral("2.yml"));
    QVERIFY2(fromYaml2,
             qPrintable(fromYaml2 ? QString()
                                  : fromYaml2.error().toString() + QString::fromUtf8(yaml2)));
    const QByteArray json2 = serialize(fromYaml2->workflow, FileFormat::NativeJson);
    QCOMPARE(json2, json1);
    QCOMPARE(fromYaml2->workflow.nodes().size(), loaded->workflow.nodes().size());
}

void TestFixtures::validatesClean()
{
    QFETCH(QString, path);
    auto loaded = loadWorkflowFile(path);
    QVERIFY(loaded);
    QStringList errors;
    for (const Problem &p : validateWorkflow(loaded->workflow)) {
        if (p.isError())
            errors << QStringLiteral("[%1] %2: %3").arg(p.nodeId, p.pointer, p.message);
    }
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
}

// Saving through the real file path (QSaveFile) in every format and reading it back.
void TestFixtures::savedFilesReload()
{
    QFETCH(QString, path);
    auto loaded = loadWorkflowFile(path);
    QVERIFY(loaded);
    QTemporaryDir dir;
    const QString json = dir.filePath(QStringLiteral("w.json"));
    const QString yml = dir.filePath(QStringLiteral("w.yml"));
    QVERIFY(saveWorkflowFile(loaded->workflow, json, FileFormat::NativeJson));
    QVERIFY(saveWorkflowFile(loaded->workflow, yml, FileFormat::DifyYaml));
    auto a = loadWorkflowFile(json);
    auto b = loadWorkflowFile(yml);
    QVERIFY(a && b);
    QVERIFY(a->workflow == loaded->workflow);
    QVERIFY(b->workflow == loaded->workflow);
}

QTEST_GUILESS_MAIN(TestFixtures)
#include "tst_fixtures.moc"

// Reading and writing Dify DSL YAML and native JSON: typing, bad input, fidelity, atomic saves.
#include "document/dslio.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace flowbench::document;

namespace {

const char *kMinimal = R"(app:
  mode: workflow
  name: mini
kind: app
version: 0.5.0
workflow:
  graph:
    nodes:
    - id: s
      data: {type: start, title: Start, variables: []}
    - id: e
      data: {type: end, title: End, outputs: []}
    edges:
    - {id: s-source-e-target, source: s, sourceHandle: source, target: e, targetHandle: target}
)";

flowbench::Result<Json> yaml(const QByteArray &text)
{
    return parseYaml(std::string_view(text.constData(), size_t(text.size())),
                     QStringLiteral("t.yml"));
}

} // namespace

class TestDslIo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plainScalars_data();
    void plainScalars();
    void quotedScalarsStayStrings();
    void yamlStringsSurviveEmit_data();
    void yamlStringsSurviveEmit();
    void badYaml_data();
    void badYaml();
    void badJson_data();
    void badJson();
    void versionHandling();
    void unknownFieldsAndKindsSurvive();
    void deploymentDropsWorkbenchState();
    void secretsBlankedUnlessKept();
    void tenMegabyteString();
    void failedSaveKeepsOldFile();
    void anchorsAndAliases();
};

void TestDslIo::plainScalars_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("json"); // expected JSON, as PyYAML's safe_load reads it
    QTest::newRow("int") << "42"
                         << "42";
    QTest::newRow("negative") << "-7"
                              << "-7";
    QTest::newRow("float") << "0.7"
                           << "0.7";
    QTest::newRow("float no int part") << ".5"
                                       << "0.5";
    QTest::newRow("exp needs dot") << "1e3"
                                   << "\"1e3\"";
    QTest::newRow("exp with dot") << "1.0e+3"
                                  << "1000.0";
    QTest::newRow("version string") << "0.3.1"
                                    << "\"0.3.1\"";
    QTest::newRow("version float") << "0.6"
                                   << "0.6";
    QTest::newRow("yes") << "yes"
                         << "true";
    QTest::newRow("Off") << "Off"
                         << "false";
    QTest::newRow("True") << "True"
                          << "true";
    QTest::newRow("null") << "null"
                          << "null";
    QTest::newRow("tilde") << "~"
                           << "null";
    QTest::newRow("octal") << "010"
                           << "8";
    QTest::newRow("hex") << "0x1F"
                         << "31";
    QTest::newRow("underscores") << "1_000"
                                 << "1000";
    QTest::newRow("sexagesimal") << "1:30"
                                 << "90";
    QTest::newRow("time-like text") << "12:75"
                                    << "\"12:75\"";
    QTest::newRow("word") << "hello"
                          << "\"hello\"";
    QTest::newRow("timestamp id") << "1754154032319"
                                  << "1754154032319";
    QTest::newRow("dash text") << "-x"
                               << "\"-x\"";
    QTest::newRow("dot") << "."
                         << "\".\"";
    QTest::newRow("09 is not octal") << "09"
                                     << "\"09\"";
}

void TestDslIo::plainScalars()
{
    QFETCH(QString, text);
    QFETCH(QString, json);
    const Json got = resolvePlainScalar(text.toStdString());
    QCOMPARE(QString::fromStdString(got.dump()),
             QString::fromStdString(Json::parse(json.toStdString()).dump()));
}

void TestDslIo::quotedScalarsStayStrings()
{
    auto j = yaml("a: '0.6'\nb: \"true\"\nc: |\n  line1\n  line2\nd: 0.6\n");
    QVERIFY(j);
    QCOMPARE((*j)["a"], Json("0.6"));
    QCOMPARE((*j)["b"], Json("true"));
    QCOMPARE((*j)["c"], Json("line1\nline2\n"));
    QCOMPARE((*j)["d"], Json(0.6));
}

void TestDslIo::yamlStringsSurviveEmit_data()
{
    QTest::addColumn<QString>("value");
    for (const char *s : {"",
                          "true",
                          "no",
                          "null",
                          "~",
                          "0.5",
                          "42",
                          "1e3",
                          "0x10",
                          "010",
                          "1:30",
                          " leading",
                          "trailing ",
                          "a: b",
                          "# not a comment",
                          "- item",
                          "[x]",
                          "{y}",
                          "line1\nline2",
                          "tab\there",
                          "中文 工作流",
                          "emoji 🤖",
                          "'quoted'",
                          "\"dq\"",
                          "back\\slash",
                          "*alias",
                          "&anchor",
                          "!tag",
                          "%directive",
                          "@at",
                          "`tick`",
                          "|",
                          ">",
                          "?",
                          ":",
                          "-",
                          "end with colon:",
                          "{{#1754154032319.query#}}",
                          "\x01control",
                          "del\x7f",
                          "c1 \xc2\x85\xc2\x9f",
                          "bom \xef\xbb\xbf"}) {
        QTest::newRow(s) << QString::fromUtf8(s);
    }
}

void TestDslIo::yamlStringsSurviveEmit()
{
    QFETCH(QString, value);
    const Json doc = Json{{"k", value.toStdString()}, {value.toStdString(), "as key"}};
    const QByteArray text = toYaml(doc);
    auto back = yaml(text);
    QVERIFY2(back, qPrintable(back ? QString()
                                   : back.error().toString() + QStringLiteral("\n")
                                         + QString::fromUtf8(text)));
    QCOMPARE(*back, doc);
}

void TestDslIo::badYaml_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("line");
    QTest::newRow("truncated") << QByteArray(kMinimal).left(180) + "\n    - {id: x, data: {type: "
                               << "yaml.syntax" << 0;
    QTest::newRow("tabs") << QByteArray("app:\n\tname: x\n") << "yaml.syntax" << 2;
    QTest::newRow("duplicate key")
        << QByteArray("app:\n  name: a\n  name: b\n") << "yaml.duplicate-key" << 3;
    QTest::newRow("invalid utf-8")
        << QByteArray("app:\n  name: \xff\xfe\n") << "yaml.encoding" << 2;
    QTest::newRow("overlong utf-8") << QByteArray("a: \xc0\xaf\n") << "yaml.encoding" << 1;
    QTest::newRow("unknown tag") << QByteArray("a: !python/object x\n") << "yaml.tag" << 1;
    QTest::newRow("two documents") << QByteArray("a: 1\n---\nb: 2\n") << "yaml.documents" << 0;
    QTest::newRow("empty") << QByteArray("") << "yaml.empty" << 0;
    QTest::newRow("nan") << QByteArray("a:\n  b: .nan\n") << "yaml.number" << 2;
    QTest::newRow("tagged inf") << QByteArray("a: !!float -.inf\n") << "yaml.number" << 1;
    QTest::newRow("noncharacter") << QByteArray("a:\n  b: \"x\\uFFFF\"\n") << "yaml.noncharacter"
                                  << 2;
    QTest::newRow("complex key") << QByteArray("? [a, b]\n: 1\n") << "yaml.key" << 1;
}

void TestDslIo::badYaml()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, code);
    QFETCH(int, line);
    auto r = yaml(text);
    QVERIFY(!r);
    QCOMPARE(r.error().code, code);
    QCOMPARE(r.error().location.file, QStringLiteral("t.yml"));
    if (line > 0) {
        QCOMPARE(r.error().location.line, line);
        QVERIFY(r.error().location.column > 0);
    }
    QVERIFY(!r.error().message.isEmpty());
}

void TestDslIo::badJson_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("pointer");
    QTest::newRow("truncated") << QByteArray("{\"app\": {\"name\": \"x\"") << "json.syntax"
                               << QString();
    QTest::newRow("duplicate key")
        << QByteArray("{\"app\": {\"name\": 1, \"name\": 2}}") << "json.duplicate-key"
        << "/app/name";
    QTest::newRow("duplicate in list")
        << QByteArray("{\"a\": [{}, {\"k\": 1, \"k\": 1}]}") << "json.duplicate-key"
        << "/a/1/k";
    QTest::newRow("invalid utf-8")
        << QByteArray("{\"a\": \"\xed\xa0\x80\"}") << "json.encoding" << QString();
    QTest::newRow("noncharacter escape")
        << QByteArray("{\"a\": \"x\\ufffe\"}") << "json.noncharacter" << QString();
    QTest::newRow("trailing garbage") << QByteArray("{} x") << "json.syntax" << QString();
}

void TestDslIo::badJson()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, code);
    QFETCH(QString, pointer);
    auto r = parseJson(std::string_view(text.constData(), size_t(text.size())),
                       QStringLiteral("t.json"));
    QVERIFY(!r);
    QCOMPARE(r.error().code, code);
    QCOMPARE(r.error().location.pointer, pointer);
    if (code == QLatin1String("json.syntax"))
        QCOMPARE(r.error().location.line, 1);
}

void TestDslIo::versionHandling()
{
    // A float version is refused, as Dify does ("Invalid version type"), at its line.
    QByteArray text(kMinimal);
    text.replace("version: 0.5.0", "version: 0.6");
    auto r = loadWorkflowText(text, FileFormat::DifyYaml, QStringLiteral("f.yml"));
    QVERIFY(!r);
    QCOMPARE(r.error().code, QStringLiteral("dsl.version"));
    QVERIFY(r.error().message.contains(QStringLiteral("Invalid version type")));
    QCOMPARE(r.error().location.line, 5);
    QCOMPARE(r.error().location.file, QStringLiteral("f.yml"));

    // Missing: 0.1.0 with a warning, and not invented on save.
    text = QByteArray(kMinimal).replace("version: 0.5.0\n", "");
    auto missing = loadWorkflowText(text, FileFormat::DifyYaml);
    QVERIFY(missing);
    QCOMPARE(missing->workflow.version, QStringLiteral("0.1.0"));
    QVERIFY(!missing->warnings.isEmpty());
    QVERIFY(!documentJson(missing->workflow, FileFormat::DifyYaml).contains("version"));

    // Newer than we know: loads, warns.
    text = QByteArray(kMinimal).replace("0.5.0", "0.9.0");
    auto newer = loadWorkflowText(text, FileFormat::DifyYaml);
    QVERIFY(newer);
    QVERIFY(newer->warnings.join(QLatin1Char(' ')).contains(QStringLiteral("newer")));

    // Unparsable.
    text = QByteArray(kMinimal).replace("0.5.0", "banana");
    QVERIFY(!loadWorkflowText(text, FileFormat::DifyYaml));
}

void TestDslIo::unknownFieldsAndKindsSurvive()
{
    QByteArray text(kMinimal);
    text.replace("  name: mini\n", "  name: mini\n  future_app_key: {deep: [1, 2]}\n");
    text.replace("kind: app\n", "kind: app\nsomething_new: 7\n");
    text.replace("    - id: e\n", "    - id: p\n      type: custom\n      zIndex: 3\n      data: "
                                  "{type: 'langgenius/plugin-node', title: P, weird: {x: yes}}\n   "
                                  "   extra_wrapper: true\n    - id: e\n");
    text.replace("targetHandle: target}",
                 "targetHandle: target, data: {sourceType: start, _hidden: 1}, unknownEdgeKey: q}");
    auto r = loadWorkflowText(text, FileFormat::DifyYaml);
    QVERIFY(r);
    const Json original = *yaml(text);
    // Native JSON keeps absolutely everything.
    QCOMPARE(documentJson(r->workflow, FileFormat::NativeJson), original);
    // Dify YAML export keeps unknown kinds and fields, only `_` keys go.
    const Json exported = documentJson(r->workflow, FileFormat::DifyYaml);
    QCOMPARE(exported["app"]["future_app_key"], original["app"]["future_app_key"]);
    QCOMPARE(exported["something_new"], Json(7));
    const Json &plugin = exported["workflow"]["graph"]["nodes"][1];
    QCOMPARE(plugin["data"]["type"], Json("langgenius/plugin-node"));
    QCOMPARE(plugin["data"]["weird"]["x"], Json(true));
    QCOMPARE(plugin["extra_wrapper"], Json(true));
    const Json &edge = exported["workflow"]["graph"]["edges"][0];
    QCOMPARE(edge["unknownEdgeKey"], Json("q"));
    QVERIFY(!edge["data"].contains("_hidden"));
    QCOMPARE(r->workflow.node(QStringLiteral("p"))->kind(),
             QStringLiteral("langgenius/plugin-node"));
}

void TestDslIo::deploymentDropsWorkbenchState()
{
    auto r = loadWorkflowText(kMinimal, FileFormat::DifyYaml);
    QVERIFY(r);
    Workflow wf = r->workflow;
    wf.flowbench = Json{{"breakpoints", Json::array({"e"})}};
    Node *n = wf.node(QStringLiteral("s"));
    n->data["_runningStatus"] = "running";
    const Json native = documentJson(wf, FileFormat::NativeJson);
    QVERIFY(native.contains("flowbench"));
    QVERIFY(native["workflow"]["graph"]["nodes"][0]["data"].contains("_runningStatus"));
    for (FileFormat f : {FileFormat::DeploymentJson, FileFormat::DifyYaml}) {
        const Json out = documentJson(wf, f);
        QVERIFY(!out.contains("flowbench"));
        QVERIFY(!out["workflow"]["graph"]["nodes"][0]["data"].contains("_runningStatus"));
    }
    // The deployment JSON is what Dify's importer reads: it loads back as the same workflow.
    const QByteArray bytes = serialize(wf, FileFormat::DeploymentJson);
    auto back = loadWorkflowText(bytes, FileFormat::NativeJson);
    QVERIFY(back);
    QCOMPARE(back->workflow.nodes().size(), size_t(2));
}

void TestDslIo::secretsBlankedUnlessKept()
{
    QByteArray text(kMinimal);
    text.replace("  graph:\n",
                 "  environment_variables:\n  - {id: '1', name: api_key, value_type: secret, "
                 "value: sk-123, selector: [env, api_key]}\n  - {id: '2', name: region, "
                 "value_type: string, value: eu, selector: [env, region]}\n  graph:\n");
    auto r = loadWorkflowText(text, FileFormat::DifyYaml);
    QVERIFY(r);
    QCOMPARE(r->workflow.environmentVariables.size(), size_t(2));
    const Json blank = documentJson(r->workflow, FileFormat::DeploymentJson);
    QCOMPARE(blank["workflow"]["environment_variables"][0]["value"], Json(""));
    QCOMPARE(blank["workflow"]["environment_variables"][1]["value"], Json("eu"));
    QCOMPARE(documentJson(r->workflow,
                          FileFormat::DifyYaml)["workflow"]["environment_variables"][0]["value"],
             Json(""));
    const Json kept = documentJson(r->workflow, FileFormat::DeploymentJson, ExportOptions{true});
    QCOMPARE(kept["workflow"]["environment_variables"][0]["value"], Json("sk-123"));
    // The native file keeps the value (it is the user's own file).
    QCOMPARE(documentJson(r->workflow,
                          FileFormat::NativeJson)["workflow"]["environment_variables"][0]["value"],
             Json("sk-123"));
}

void TestDslIo::tenMegabyteString()
{
    // Just under the limit: loads. Just over: a clear error, before any parsing.
    const QByteArray big(10 * 1000 * 1000, 'x');
    QByteArray text(kMinimal);
    text.replace("  name: mini\n", "  name: mini\n  description: " + big + "\n");
    auto ok = loadWorkflowText(text, FileFormat::DifyYaml);
    QVERIFY(ok);
    QCOMPARE(ok->workflow.description().size(), big.size());
    QByteArray tooBig(kMinimal);
    tooBig.replace("  name: mini\n",
                   "  name: mini\n  description: " + QByteArray(11 * 1024 * 1024, 'x') + "\n");
    auto r = loadWorkflowText(tooBig, FileFormat::DifyYaml, QStringLiteral("big.yml"));
    QVERIFY(!r);
    QCOMPARE(r.error().code, QStringLiteral("dsl.size"));
    QVERIFY(r.error().message.contains(QStringLiteral("10 MiB")));
}

void TestDslIo::failedSaveKeepsOldFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("w.json"));
    auto r = loadWorkflowText(kMinimal, FileFormat::DifyYaml);
    QVERIFY(r);
    QVERIFY(saveWorkflowFile(r->workflow, path, FileFormat::NativeJson));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray before = f.readAll();
    f.close();
    // A directory cannot be replaced by a file: the save fails, the old file is untouched.
    const QString blocked = dir.filePath(QStringLiteral("sub"));
    QVERIFY(QDir().mkpath(blocked));
    auto failed = saveWorkflowFile(r->workflow, blocked, FileFormat::NativeJson);
    QVERIFY(!failed);
    QCOMPARE(failed.error().location.file, blocked);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), before);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("w.json")});
}

void TestDslIo::anchorsAndAliases()
{
    auto j = yaml("base: &b {x: 1, y: [a, b]}\ncopy: *b\n");
    QVERIFY(j);
    QCOMPARE((*j)["copy"], (*j)["base"]);
    // Exponential alias expansion is refused, not attempted.
    QByteArray bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    char prev = 'a';
    for (char c = 'b'; c <= 'j'; ++c) {
        bomb += QByteArray(1, c) + ": &" + c + " [";
        for (int i = 0; i < 10; ++i)
            bomb += QByteArray(i ? ", *" : "*") + prev;
        bomb += "]\n";
        prev = c;
    }
    auto r = yaml(bomb);
    QVERIFY(!r);
    QCOMPARE(r.error().code, QStringLiteral("yaml.size"));
}

QTEST_GUILESS_MAIN(TestDslIo)
#include "tst_dslio.moc"

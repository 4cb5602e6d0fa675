// The command line is a contract: drive the real `flowbench` binary and check exit codes,
// output formats, and that a failed conversion writes nothing.
#include <QDir>
#include "llm/endpointprofile.h"
#include "llm/simulator/simulator.h"
#include "store/runstore.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using Json = nlohmann::json;

namespace {

struct Run
{
    int code = -1;
    QString out;
    QString err;
};

QString g_runStore; // runs go to a store in the test's temporary folder

Run runFlowbench(const QStringList &args, const QByteArray &stdinText = {})
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!g_runStore.isEmpty())
        env.insert(QStringLiteral("FLOWBENCH_RUN_STORE"), g_runStore);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(FLOWBENCH_BINARY), args);
    p.write(stdinText);
    p.closeWriteChannel();
    p.waitForFinished(60000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QString fixture(const char *name)
{
    return QDir(QStringLiteral(FLOWBENCH_FIXTURES_DIR)).filePath(QString::fromLatin1(name));
}

void write(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

QByteArray read(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { g_runStore = m_dir.filePath(QStringLiteral("runs.sqlite")); }
    void version();
    void runPrintsResult();
    void runFailedAndUnusable();
    void runEventsAsJsonLines();
    void runPinFailAndConversation();
    void runReplay();
    void runBreakpointStepper();
    void runAgainstEndpoint();
    void examplesRunAgainstSimulator();
    void knowledgeBaseAndRagExample();
    void runWithProfile();
    void runUsesDefaultEndpoint();
    void everyExampleRunsOutOfTheBox_data();
    void everyExampleRunsOutOfTheBox();
    void runConversationTurns();
    void validateFixturesExitZero();
    void validateReportsProblemsWithLocations();
    void validateUnreadable_data();
    void validateUnreadable();
    void convertRoundTrip();
    void convertDeployBlanksSecrets();
    void convertFailureWritesNothing();
    void screenshotOfBadFileFailsCleanly();

private:
    QTemporaryDir m_dir;
};

void TestCli::version()
{
    const Run r = runFlowbench({QStringLiteral("--version")});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.startsWith(QStringLiteral("flowbench ")));
}

void TestCli::validateFixturesExitZero()
{
    const QDir dir(QStringLiteral(FLOWBENCH_FIXTURES_DIR));
    for (const QString &f : dir.entryList({QStringLiteral("*.yml")})) {
        const Run r = runFlowbench({QStringLiteral("validate"), dir.filePath(f)});
        QVERIFY2(r.code == 0, qPrintable(f + QLatin1Char('\n') + r.err));
        QVERIFY(r.out.contains(QStringLiteral(": valid (")));
    }
}

void TestCli::validateReportsProblemsWithLocations()
{
    // An if-else edge from a handle the node does not offer, in YAML: FILE:LINE:COL.
    QByteArray yaml = read(fixture("conditional_hello_branching_workflow.yml"));
    QVERIFY(yaml.contains("sourceHandle: 'false'"));
    yaml.replace("sourceHandle: 'false'", "sourceHandle: 'maybe'");
    const QString yml = m_dir.filePath(QStringLiteral("bad.yml"));
    write(yml, yaml);
    Run r = runFlowbench({QStringLiteral("validate"), yml});
    QCOMPARE(r.code, 1);
    // Line of the bad handle in the file we wrote.
    const int line = int(yaml.left(yaml.indexOf("sourceHandle: 'maybe'")).count('\n')) + 1;
    const QRegularExpression yamlLine(QStringLiteral("^%1:%2:\\d+: error: \\[\\d+\\] .*'maybe'")
                                          .arg(QRegularExpression::escape(yml))
                                          .arg(line),
                                      QRegularExpression::MultilineOption);
    QVERIFY2(yamlLine.match(r.err).hasMatch(), qPrintable(r.err));

    // The same problem in JSON: FILE: error: [node] /json/pointer: message.
    const QString json = m_dir.filePath(QStringLiteral("bad.json"));
    QCOMPARE(runFlowbench({QStringLiteral("convert"), yml, json}).code, 0);
    r = runFlowbench({QStringLiteral("validate"), json});
    QCOMPARE(r.code, 1);
    const QRegularExpression jsonLine(
        QStringLiteral("^%1: error: \\[\\d+\\] /workflow/graph/edges/\\d+/sourceHandle: .*'maybe'")
            .arg(QRegularExpression::escape(json)),
        QRegularExpression::MultilineOption);
    QVERIFY2(jsonLine.match(r.err).hasMatch(), qPrintable(r.err));
}

void TestCli::validateUnreadable_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<QString>("expect"); // in stderr
    QTest::newRow("float version")
        << QByteArray("app: {mode: workflow}\nversion: 0.6\nworkflow: {graph: {nodes: []}}\n")
        << "yml"
        << ":2:10: error: Invalid version type";
    QTest::newRow("tabs") << QByteArray("app:\n\tname: x\n") << "yml"
                          << ":2:1: error:";
    QTest::newRow("truncated json") << QByteArray("{\"app\": {\"mode\": ") << "json"
                                    << ":1:";
    QTest::newRow("invalid utf-8") << QByteArray("app:\n  name: \xff\n") << "yml"
                                   << ":2:9: error: invalid UTF-8";
    QTest::newRow("duplicate keys") << QByteArray("app: {}\napp: {}\n") << "yml"
                                    << ":2:1: error: duplicate key 'app'";
    QTest::newRow("nodes not a list") << QByteArray(
        "app: {mode: workflow}\nversion: '0.5.0'\nworkflow:\n  graph:\n    nodes: {a: 1}\n")
                                      << "yml"
                                      << ":5:12: error: 'workflow.graph.nodes' must be a list";
    QTest::newRow("missing file") << QByteArray() << "none"
                                  << "cannot open";
}

void TestCli::validateUnreadable()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, suffix);
    QFETCH(QString, expect);
    const QString path = m_dir.filePath(QStringLiteral("%1.%2").arg(
        QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_')),
        suffix));
    if (suffix != QLatin1String("none"))
        write(path, content);
    const Run r = runFlowbench({QStringLiteral("validate"), path});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.startsWith(path), qPrintable(r.err));
    QVERIFY2(r.err.contains(expect), qPrintable(r.err));
}

void TestCli::convertRoundTrip()
{
    const QString json = m_dir.filePath(QStringLiteral("rt.json"));
    const QString yml = m_dir.filePath(QStringLiteral("rt.yml"));
    const QString json2 = m_dir.filePath(QStringLiteral("rt2.json"));
    const QString src = fixture("iteration_flatten_output_enabled_workflow.yml");
    QCOMPARE(runFlowbench({QStringLiteral("convert"), src, json}).code, 0);
    QCOMPARE(runFlowbench({QStringLiteral("convert"), json, yml}).code, 0);
    QCOMPARE(runFlowbench({QStringLiteral("convert"), yml, json2}).code, 0);
    QVERIFY(!read(json).isEmpty());
    QCOMPARE(read(json2), read(json));
    QCOMPARE(runFlowbench({QStringLiteral("validate"), yml}).code, 0);
}

void TestCli::convertDeployBlanksSecrets()
{
    QByteArray yaml = read(fixture("simple_passthrough_workflow.yml"));
    yaml.replace("  environment_variables: []\n",
                 "  environment_variables:\n  - {id: '1', name: key, value_type: secret, value: "
                 "sk-live, selector: [env, key]}\n");
    const QString src = m_dir.filePath(QStringLiteral("secret.yml"));
    write(src, yaml);
    const QString native = m_dir.filePath(QStringLiteral("secret-native.json"));
    const QString deploy = m_dir.filePath(QStringLiteral("secret-deploy.json"));
    const QString kept = m_dir.filePath(QStringLiteral("secret-kept.json"));
    QCOMPARE(runFlowbench({QStringLiteral("convert"), src, native}).code, 0);
    QCOMPARE(
        runFlowbench({QStringLiteral("convert"), src, deploy, QStringLiteral("--deploy")}).code, 0);
    const Run k = runFlowbench({QStringLiteral("convert"), src, kept, QStringLiteral("--deploy"),
                                QStringLiteral("--keep-secrets")});
    QCOMPARE(k.code, 0);
    QVERIFY(k.err.contains(QStringLiteral("clear text")));
    QVERIFY(read(native).contains("sk-live"));
    QVERIFY(!read(deploy).contains("sk-live"));
    QVERIFY(read(kept).contains("sk-live"));
}

void TestCli::convertFailureWritesNothing()
{
    const QString bad = m_dir.filePath(QStringLiteral("broken.yml"));
    write(bad, "app:\n  name: [unclosed\n");
    const QString out = m_dir.filePath(QStringLiteral("never.json"));
    const Run r = runFlowbench({QStringLiteral("convert"), bad, out});
    QCOMPARE(r.code, 2);
    QVERIFY(!QFile::exists(out));
    // An existing target survives a failed conversion untouched.
    write(out, "precious");
    QCOMPARE(runFlowbench({QStringLiteral("convert"), bad, out}).code, 2);
    QCOMPARE(read(out), QByteArray("precious"));
}

void TestCli::screenshotOfBadFileFailsCleanly()
{
    const QString bad = m_dir.filePath(QStringLiteral("shot.yml"));
    write(bad, "version: 0.6\n");
    const Run r = runFlowbench(
        {QStringLiteral("--screenshot"), m_dir.filePath(QStringLiteral("x.png")), bad});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QStringLiteral("Invalid version type")));
}

namespace {

QJsonObject lastJson(const QString &out)
{
    const QStringList lines = out.trimmed().split(QLatin1Char('\n'));
    return QJsonDocument::fromJson(lines.last().toUtf8()).object();
}

} // namespace

void TestCli::runPrintsResult()
{
    const Run r
        = runFlowbench({QStringLiteral("run"), fixture("conditional_hello_branching_workflow.yml"),
                        QStringLiteral("--inputs"), QStringLiteral(R"({"query": "hello there"})")});
    QCOMPARE(r.code, 0);
    const QJsonObject o = lastJson(r.out);
    QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(o.value(QStringLiteral("outputs")).toObject().value(QStringLiteral("true")).toString(),
             QStringLiteral("hello there"));
    QVERIFY(o.value(QStringLiteral("error")).isNull());
    for (const char *key : {"exceptions_count", "elapsed_ms", "total_tokens", "run_id"})
        QVERIFY2(o.contains(QLatin1String(key)), key);
    // --inputs @file works too.
    const QString inputs = m_dir.filePath(QStringLiteral("inputs.json"));
    write(inputs, R"({"query": "bye"})");
    const Run f
        = runFlowbench({QStringLiteral("run"), fixture("conditional_hello_branching_workflow.yml"),
                        QStringLiteral("--inputs"), QLatin1Char('@') + inputs});
    QCOMPARE(f.code, 0);
    QCOMPARE(lastJson(f.out)
                 .value(QStringLiteral("outputs"))
                 .toObject()
                 .value(QStringLiteral("false"))
                 .toString(),
             QStringLiteral("bye"));
}

void TestCli::runFailedAndUnusable()
{
    // An LLM node whose endpoint does not answer fails the run: exit 1. (Without endpoint flags
    // the run uses the selected profile: here one that points where nothing listens.)
    const QString configHome = m_dir.filePath(QStringLiteral("config-unreachable"));
    {
        flowbench::llm::ProfileStore profiles(configHome + QStringLiteral("/Flowbench/Flowbench"));
        QVERIFY(profiles.load());
        flowbench::llm::EndpointProfile p;
        p.name = QStringLiteral("offline-vllm");
        p.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:1/v1"));
        QVERIFY(profiles.addProfile(p));
        QVERIFY(profiles.setSelectedProfileName(p.name));
    }
    const QByteArray savedConfigHome = qgetenv("XDG_CONFIG_HOME");
    qputenv("XDG_CONFIG_HOME", configHome.toUtf8());
    const Run failed = runFlowbench({QStringLiteral("run"), fixture("basic_chatflow.yml"),
                                     QStringLiteral("--query"), QStringLiteral("hi")});
    if (savedConfigHome.isEmpty())
        qunsetenv("XDG_CONFIG_HOME");
    else
        qputenv("XDG_CONFIG_HOME", savedConfigHome);
    QCOMPARE(failed.code, 1);
    QVERIFY2(failed.err.contains(QStringLiteral("offline-vllm")), qPrintable(failed.err));
    const QJsonObject o = lastJson(failed.out);
    QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
    QVERIFY(!o.value(QStringLiteral("error")).toString().isEmpty());
    // Unusable arguments and invalid files: exit 2, nothing on stdout.
    for (const QStringList &args :
         {QStringList{QStringLiteral("run")},
          QStringList{QStringLiteral("run"), fixture("simple_passthrough_workflow.yml"),
                      QStringLiteral("--inputs"), QStringLiteral("{bad")},
          QStringList{QStringLiteral("run"), fixture("simple_passthrough_workflow.yml"),
                      QStringLiteral("--bogus")},
          QStringList{QStringLiteral("run"), m_dir.filePath(QStringLiteral("missing.yml"))}}) {
        const Run r = runFlowbench(args);
        QVERIFY2(r.code == 2, qPrintable(args.join(QLatin1Char(' '))));
        QVERIFY(r.out.isEmpty());
        QVERIFY(!r.err.isEmpty());
    }
    QByteArray yaml = read(fixture("conditional_hello_branching_workflow.yml"));
    yaml.replace("sourceHandle: 'false'", "sourceHandle: 'maybe'");
    const QString bad = m_dir.filePath(QStringLiteral("invalid.yml"));
    write(bad, yaml);
    QCOMPARE(runFlowbench({QStringLiteral("run"), bad}).code, 2);
}

void TestCli::runEventsAsJsonLines()
{
    const QString eventsFile = m_dir.filePath(QStringLiteral("events.jsonl"));
    const Run r = runFlowbench({QStringLiteral("run"), fixture("simple_passthrough_workflow.yml"),
                                QStringLiteral("--inputs"), QStringLiteral(R"({"query": "q"})"),
                                QStringLiteral("--events"), QStringLiteral("-")});
    QCOMPARE(r.code, 0);
    QStringList types;
    for (const QString &line : r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        types << QJsonDocument::fromJson(line.toUtf8())
                     .object()
                     .value(QStringLiteral("event"))
                     .toString();
    QCOMPARE(types,
             (QStringList{QStringLiteral("run_started"), QStringLiteral("node_started"),
                          QStringLiteral("node_stream_chunk"), QStringLiteral("node_succeeded"),
                          QStringLiteral("node_started"), QStringLiteral("node_succeeded"),
                          QStringLiteral("run_succeeded")}));
    QCOMPARE(runFlowbench({QStringLiteral("run"), fixture("simple_passthrough_workflow.yml"),
                           QStringLiteral("--inputs"), QStringLiteral(R"({"query": "q"})"),
                           QStringLiteral("--events"), eventsFile})
                 .code,
             0);
    QCOMPARE(read(eventsFile).count('\n'), 7);
}

void TestCli::runPinFailAndConversation()
{
    const Run pinned
        = runFlowbench({QStringLiteral("run"), fixture("basic_chatflow.yml"),
                        QStringLiteral("--query"), QStringLiteral("hi"), QStringLiteral("--pin"),
                        QStringLiteral(R"(llm={"text": "pinned answer"})")});
    QCOMPARE(pinned.code, 0);
    QCOMPARE(lastJson(pinned.out)
                 .value(QStringLiteral("outputs"))
                 .toObject()
                 .value(QStringLiteral("answer"))
                 .toString(),
             QStringLiteral("pinned answer"));
    // --fail on a node without an error strategy fails the run with that message.
    const Run forced
        = runFlowbench({QStringLiteral("run"), fixture("simple_passthrough_workflow.yml"),
                        QStringLiteral("--inputs"), QStringLiteral(R"({"query": "q"})"),
                        QStringLiteral("--fail"), QStringLiteral("1754154034161=kaput")});
    QCOMPARE(forced.code, 1);
    QCOMPARE(lastJson(forced.out).value(QStringLiteral("error")).toString(),
             QStringLiteral("kaput"));
    // A conversation variable carried in from an earlier turn.
    const Run conv
        = runFlowbench({QStringLiteral("run"), fixture("test_streaming_conversation_variables.yml"),
                        QStringLiteral("--query"), QStringLiteral("turn two"),
                        QStringLiteral("--conversation-var"), QStringLiteral(R"(str="carried")")});
    QCOMPARE(conv.code, 0);
    QCOMPARE(lastJson(conv.out)
                 .value(QStringLiteral("outputs"))
                 .toObject()
                 .value(QStringLiteral("answer"))
                 .toString(),
             QStringLiteral("turn two")); // the assigner overwrites it with the query
}

void TestCli::runReplay()
{
    const Run first = runFlowbench(
        {QStringLiteral("run"), fixture("iteration_flatten_output_enabled_workflow.yml")});
    QCOMPARE(first.code, 0);
    const QJsonObject a = lastJson(first.out);
    const Run replay = runFlowbench(
        {QStringLiteral("run"), fixture("iteration_flatten_output_enabled_workflow.yml"),
         QStringLiteral("--replay"), a.value(QStringLiteral("run_id")).toString()});
    QCOMPARE(replay.code, 0);
    const QJsonObject b = lastJson(replay.out);
    QCOMPARE(b.value(QStringLiteral("outputs")), a.value(QStringLiteral("outputs")));
    QVERIFY(b.value(QStringLiteral("run_id")) != a.value(QStringLiteral("run_id")));
    const Run unknown
        = runFlowbench({QStringLiteral("run"), fixture("simple_passthrough_workflow.yml"),
                        QStringLiteral("--replay"), QStringLiteral("no-such-run")});
    QCOMPARE(unknown.code, 2);
}

void TestCli::runBreakpointStepper()
{
    // Pause before the end node, show the pool, continue on Enter.
    const Run r
        = runFlowbench({QStringLiteral("run"), fixture("simple_passthrough_workflow.yml"),
                        QStringLiteral("--inputs"), QStringLiteral(R"({"query": "stepped"})"),
                        QStringLiteral("--break"), QStringLiteral("1754154034161")},
                       "\n");
    QCOMPARE(r.code, 0);
    QVERIFY2(r.err.contains(QStringLiteral("paused before 1754154034161")), qPrintable(r.err));
    QVERIFY(r.err.contains(QStringLiteral("\"stepped\""))); // the pool was printed
    QCOMPARE(lastJson(r.out)
                 .value(QStringLiteral("outputs"))
                 .toObject()
                 .value(QStringLiteral("query"))
                 .toString(),
             QStringLiteral("stepped"));
    // "q" stops the run there: exit 1, status stopped.
    const Run q = runFlowbench({QStringLiteral("run"), fixture("simple_passthrough_workflow.yml"),
                                QStringLiteral("--inputs"), QStringLiteral(R"({"query": "x"})"),
                                QStringLiteral("--break"), QStringLiteral("1754154034161")},
                               "q\n");
    QCOMPARE(q.code, 1);
    QCOMPARE(lastJson(q.out).value(QStringLiteral("status")).toString(), QStringLiteral("stopped"));
}

void TestCli::runAgainstEndpoint()
{
    // A real vLLM-format server on loopback; every LLM node of the run is pointed at it.
    flowbench::llm::Simulator sim;
    flowbench::llm::Simulator::Config config = sim.config();
    config.apiKey = QStringLiteral("sk-test");
    sim.setConfig(config);
    const quint16 port = sim.listen();
    QVERIFY(port != 0);
    qputenv("FLOWBENCH_TEST_KEY", "sk-test");
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("FLOWBENCH_RUN_STORE"), g_runStore);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(FLOWBENCH_BINARY),
            {QStringLiteral("run"), fixture("basic_chatflow.yml"), QStringLiteral("--query"),
             QStringLiteral("What is Flowbench?"), QStringLiteral("--endpoint"),
             QStringLiteral("http://127.0.0.1:%1").arg(port), QStringLiteral("--model"),
             sim.config().model, QStringLiteral("--api-key-env"),
             QStringLiteral("FLOWBENCH_TEST_KEY")});
    // The simulator answers from this process's event loop, so wait on the loop, not blocking.
    QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 30000);
    QCOMPARE(p.exitCode(), 0);
    const QJsonObject o = lastJson(QString::fromUtf8(p.readAllStandardOutput()));
    QCOMPARE(
        o.value(QStringLiteral("outputs")).toObject().value(QStringLiteral("answer")).toString(),
        QStringLiteral("Echo: What is Flowbench? This is a simulated reply."));
    QVERIFY(o.value(QStringLiteral("total_tokens")).toInt() > 0); // usage in the output
    // Unusable endpoint flags are refused before anything runs.
    QCOMPARE(runFlowbench({QStringLiteral("run"), fixture("basic_chatflow.yml"),
                           QStringLiteral("--endpoint"), QStringLiteral("not a url")})
                 .code,
             2);
    QCOMPARE(runFlowbench({QStringLiteral("run"), fixture("basic_chatflow.yml"),
                           QStringLiteral("--model"), QStringLiteral("m")})
                 .code,
             2);
}

// The bundled LLM examples run end to end against a vLLM-format server, with usage reported.
void TestCli::examplesRunAgainstSimulator()
{
    flowbench::llm::Simulator sim;
    const quint16 port = sim.listen();
    QVERIFY(port != 0);
    const QString examples = QStringLiteral(FLOWBENCH_SOURCE_DIR "/resources/examples/");
    const QString png = m_dir.filePath(QStringLiteral("dot.png"));
    write(png, QByteArray::fromBase64("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
                                      "z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="));
    const QStringList endpoint{QStringLiteral("--endpoint"),
                               QStringLiteral("http://127.0.0.1:%1/v1").arg(port),
                               QStringLiteral("--model"), sim.config().model};
    struct Case
    {
        QStringList args;
        QString key;
        QString expected;
    };
    const QList<Case> cases{
        {{examples + QStringLiteral("support_chatflow.yml"), QStringLiteral("--query"),
          QStringLiteral(R"({"category_id": "tech"} my app crashes)")},
         QStringLiteral("answer"),
         QStringLiteral(
             R"(Echo: {"category_id": "tech"} my app crashes This is a simulated reply.)")},
        {{examples + QStringLiteral("vision_llm.yml"), QStringLiteral("--files"), png},
         QStringLiteral("description"),
         QStringLiteral("Echo: Describe this picture in two sentences. This is a simulated reply. "
                        "Images received: 1.")},
    };
    for (const Case &c : cases) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("FLOWBENCH_RUN_STORE"), g_runStore);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(FLOWBENCH_BINARY),
                QStringList{QStringLiteral("run")} + c.args + endpoint);
        QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 30000);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(p.exitCode() == 0, qPrintable(err));
        const QJsonObject o = lastJson(QString::fromUtf8(p.readAllStandardOutput()));
        QCOMPARE(o.value(QStringLiteral("outputs")).toObject().value(c.key).toString(), c.expected);
        QVERIFY(o.value(QStringLiteral("total_tokens")).toInt() > 0);
    }
}

// `flowbench knowledge add` builds the base the RAG example searches; the run puts the
// retrieved chunk into the model's context.
void TestCli::knowledgeBaseAndRagExample()
{
    const QString store = m_dir.filePath(QStringLiteral("knowledge.sqlite"));
    qputenv("FLOWBENCH_KNOWLEDGE_STORE", store.toLocal8Bit());
    const QString docs = QStringLiteral(FLOWBENCH_SOURCE_DIR "/resources/examples/knowledge/");
    const QStringList files = QDir(docs).entryList({QStringLiteral("*.md")});
    QVERIFY(!files.isEmpty());
    QStringList add{QStringLiteral("knowledge"), QStringLiteral("add"),
                    QStringLiteral("flowbench-docs")};
    for (const QString &f : files)
        add << docs + f;
    const Run added = runFlowbench(add);
    QVERIFY2(added.code == 0, qPrintable(added.err));
    const Run listed = runFlowbench({QStringLiteral("knowledge"), QStringLiteral("list")});
    QCOMPARE(listed.code, 0);
    QVERIFY(listed.out.contains(QStringLiteral("flowbench-docs")));
    QVERIFY(listed.out.contains(QStringLiteral("%1 documents").arg(files.size())));

    flowbench::llm::Simulator sim;
    QVERIFY(sim.listen() != 0);
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("FLOWBENCH_RUN_STORE"), g_runStore);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(FLOWBENCH_BINARY),
            {QStringLiteral("run"),
             QStringLiteral(FLOWBENCH_SOURCE_DIR "/resources/examples/rag_chatflow.yml"),
             QStringLiteral("--query"),
             QStringLiteral("How do I try Flowbench offline with flowbench simulate?"),
             QStringLiteral("--endpoint"), QStringLiteral("http://127.0.0.1:%1/v1").arg(sim.port()),
             QStringLiteral("--model"), sim.config().model});
    QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 30000);
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const QJsonObject o = lastJson(QString::fromUtf8(p.readAllStandardOutput()));
    QVERIFY(o.value(QStringLiteral("total_tokens")).toInt() > 0);
    // The retrieved chunk reached the model as context (the system message).
    QVERIFY(sim.lastRequestBody().contains("<context>"));
    QVERIFY(sim.lastRequestBody().contains("simulate"));
    const Run removed = runFlowbench(
        {QStringLiteral("knowledge"), QStringLiteral("remove"), QStringLiteral("flowbench-docs")});
    QCOMPARE(removed.code, 0);
    QCOMPARE(runFlowbench({QStringLiteral("knowledge"), QStringLiteral("remove"),
                           QStringLiteral("flowbench-docs")})
                 .code,
             1);
    qunsetenv("FLOWBENCH_KNOWLEDGE_STORE");
}

// --profile: a saved endpoint profile whose key comes from the environment variable it names.
void TestCli::runWithProfile()
{
    flowbench::llm::Simulator sim;
    flowbench::llm::Simulator::Config config = sim.config();
    config.apiKey = QStringLiteral("sk-profile");
    sim.setConfig(config);
    QVERIFY(sim.listen() != 0);
    const QString configHome = m_dir.filePath(QStringLiteral("config"));
    {
        flowbench::llm::ProfileStore profiles(configHome + QStringLiteral("/Flowbench/Flowbench"));
        QVERIFY(profiles.load());
        flowbench::llm::EndpointProfile p = flowbench::llm::ProfileStore::defaultProfile();
        p.name = QStringLiteral("local-sim");
        p.builtIn = false;
        p.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(sim.port()));
        p.apiKeyEnv = QStringLiteral("FLOWBENCH_PROFILE_KEY");
        QVERIFY(profiles.addProfile(p));
    }
    QProcess proc;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("FLOWBENCH_RUN_STORE"), g_runStore);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome);
    env.insert(QStringLiteral("FLOWBENCH_PROFILE_KEY"), QStringLiteral("sk-profile"));
    proc.setProcessEnvironment(env);
    proc.start(QStringLiteral(FLOWBENCH_BINARY),
               {QStringLiteral("run"), fixture("basic_chatflow.yml"), QStringLiteral("--query"),
                QStringLiteral("via profile"), QStringLiteral("--profile"),
                QStringLiteral("local-sim")});
    QTRY_VERIFY_WITH_TIMEOUT(proc.state() == QProcess::NotRunning, 30000);
    QVERIFY2(proc.exitCode() == 0, proc.readAllStandardError().constData());
    QCOMPARE(lastJson(QString::fromUtf8(proc.readAllStandardOutput()))
                 .value(QStringLiteral("outputs"))
                 .toObject()
                 .value(QStringLiteral("answer"))
                 .toString(),
             QStringLiteral("Echo: via profile This is a simulated reply."));
    // An unknown profile is refused with the names that exist.
    proc.start(QStringLiteral(FLOWBENCH_BINARY),
               {QStringLiteral("run"), fixture("basic_chatflow.yml"), QStringLiteral("--profile"),
                QStringLiteral("nope")});
    QTRY_VERIFY_WITH_TIMEOUT(proc.state() == QProcess::NotRunning, 30000);
    QCOMPARE(proc.exitCode(), 2);
    QVERIFY(proc.readAllStandardError().contains("local-sim"));
}

// `--conversation-id`: each run is a turn of a conversation kept in the run store; the next turn
// gets Dify's sys.dialogue_count (this turn included) and the earlier turns reach the model
// through the example's chatflow memory.
void TestCli::runConversationTurns()
{
    flowbench::llm::Simulator sim;
    const quint16 port = sim.listen();
    QVERIFY(port != 0);
    const QString example
        = QStringLiteral(FLOWBENCH_SOURCE_DIR "/resources/examples/support_chatflow.yml");
    QJsonObject out;
    const auto turn = [&](const QString &query, const QString &id = QStringLiteral("cli-c1"),
                          const QString &file = QString()) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("FLOWBENCH_RUN_STORE"), g_runStore);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(FLOWBENCH_BINARY),
                {QStringLiteral("run"), file.isEmpty() ? example : file,
                 QStringLiteral("--conversation-id"), id, QStringLiteral("--query"), query,
                 QStringLiteral("--endpoint"), QStringLiteral("http://127.0.0.1:%1/v1").arg(port),
                 QStringLiteral("--model"), sim.config().model});
        // The simulator answers from this process's event loop, so wait on the loop.
        QTRY_VERIFY_WITH_TIMEOUT(p.state() == QProcess::NotRunning, 30000);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(p.exitCode() == 0, qPrintable(err));
        out = lastJson(QString::fromUtf8(p.readAllStandardOutput()));
    };
    const QString first = QStringLiteral(R"({"category_id": "tech"} my app crashes)");
    const QString firstAnswer = QStringLiteral(
        R"(Echo: {"category_id": "tech"} my app crashes This is a simulated reply.)");
    turn(first);
    QCOMPARE(out.value(QStringLiteral("conversation_id")).toString(), QStringLiteral("cli-c1"));
    QCOMPARE(out.value(QStringLiteral("dialogue_count")).toInt(), 1);
    QCOMPARE(
        out.value(QStringLiteral("outputs")).toObject().value(QStringLiteral("answer")).toString(),
        firstAnswer);
    // The first turn's request had no history.
    Json body = Json::parse(sim.lastRequestBody().toStdString());
    QCOMPARE(body["messages"].size(), size_t(2));

    const QString second = QStringLiteral(R"({"category_id": "tech"} it still crashes)");
    turn(second);
    QCOMPARE(out.value(QStringLiteral("dialogue_count")).toInt(), 2);
    QCOMPARE(
        out.value(QStringLiteral("outputs")).toObject().value(QStringLiteral("answer")).toString(),
        QStringLiteral(
            R"(Echo: {"category_id": "tech"} it still crashes This is a simulated reply.)"));
    // The technical assistant saw system, the first turn, then the new query.
    body = Json::parse(sim.lastRequestBody().toStdString());
    QCOMPARE(body["messages"].size(), size_t(4));
    QCOMPARE(body["messages"][1]["role"], Json("user"));
    QCOMPARE(body["messages"][1]["content"], Json(first.toStdString()));
    QCOMPARE(body["messages"][2]["role"], Json("assistant"));
    QCOMPARE(body["messages"][2]["content"], Json(firstAnswer.toStdString()));
    QCOMPARE(body["messages"][3]["content"], Json(second.toStdString()));

    // The store has both turns; conversation variables are kept with each turn.
    turn(QStringLiteral("remember me"), QStringLiteral("cli-vars"),
         fixture("test_streaming_conversation_variables.yml"));
    {
        auto store = flowbench::store::RunStore::open(g_runStore);
        QVERIFY(store.has_value());
        auto c1 = (*store)->loadConversation(QStringLiteral("cli-c1"));
        QVERIFY(c1.has_value());
        QCOMPARE(c1->dialogueCount, 2);
        QCOMPARE(c1->history[1].query, second);
        auto vars = (*store)->loadConversation(QStringLiteral("cli-vars"));
        QVERIFY(vars.has_value());
        QCOMPARE(vars->conversationVariables.value("str", Json()), Json("remember me"));
    }

    // Without the flag nothing is added to the output; a workflow has no conversation.
    const Run plain
        = runFlowbench({QStringLiteral("run"), fixture("basic_chatflow.yml"),
                        QStringLiteral("--query"), QStringLiteral("hi"), QStringLiteral("--pin"),
                        QStringLiteral(R"(llm={"text": "pinned"})")});
    QCOMPARE(plain.code, 0);
    QVERIFY(!lastJson(plain.out).contains(QStringLiteral("dialogue_count")));
    const Run workflow
        = runFlowbench({QStringLiteral("run"), fixture("simple_passthrough_workflow.yml"),
                        QStringLiteral("--inputs"), QStringLiteral(R"({"query": "q"})"),
                        QStringLiteral("--conversation-id"), QStringLiteral("x")});
    QCOMPARE(workflow.code, 2);
    QVERIFY(workflow.err.contains(QStringLiteral("not a chatflow")));
}

// No --endpoint/--profile: the selected endpoint profile. The built-in simulator profile starts
// an in-process simulator when nothing answers on its port; a selected profile of another kind
// is used as it is. The profile store lives in a temporary XDG_CONFIG_HOME.
void TestCli::runUsesDefaultEndpoint()
{
    const QString configHome = m_dir.filePath(QStringLiteral("config-default"));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("FLOWBENCH_RUN_STORE"), g_runStore);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome);
    const QStringList args{
        QStringLiteral("run"),
        QStringLiteral(FLOWBENCH_SOURCE_DIR "/resources/examples/support_chatflow.yml"),
        QStringLiteral("--query"), QStringLiteral("hi")};
    QProcess proc;
    proc.setProcessEnvironment(env);
    proc.start(QStringLiteral(FLOWBENCH_BINARY), args);
    QTRY_VERIFY_WITH_TIMEOUT(proc.state() == QProcess::NotRunning, 30000);
    QString err = QString::fromUtf8(proc.readAllStandardError());
    QVERIFY2(proc.exitCode() == 0, qPrintable(err));
    QString out = QString::fromUtf8(proc.readAllStandardOutput());
    QCOMPARE(out.count(QLatin1Char('\n')), 1); // stdout holds the result line only
    QJsonObject o = lastJson(out);
    QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    QVERIFY(o.value(QStringLiteral("total_tokens")).toInt() > 0);
    // The note on stderr names the profile, unless something already answers on its port
    // (another simulator on 127.0.0.1:8765, which is then used).
    QVERIFY2(err.contains(flowbench::llm::ProfileStore::defaultProfileName()), qPrintable(err));
    QVERIFY(!QFile::exists(configHome + QStringLiteral("/Flowbench/Flowbench/endpoints.json")));

    // A selected profile of another kind is respected: its server gets the requests.
    flowbench::llm::Simulator sim;
    QVERIFY(sim.listen() != 0);
    {
        flowbench::llm::ProfileStore profiles(configHome + QStringLiteral("/Flowbench/Flowbench"));
        QVERIFY(profiles.load());
        flowbench::llm::EndpointProfile p;
        p.name = QStringLiteral("team-vllm");
        p.kind = flowbench::llm::ServerKind::VLlm;
        p.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(sim.port()));
        QVERIFY(profiles.addProfile(p));
        QVERIFY(profiles.setSelectedProfileName(p.name));
    }
    proc.start(QStringLiteral(FLOWBENCH_BINARY), args);
    QTRY_VERIFY_WITH_TIMEOUT(proc.state() == QProcess::NotRunning, 30000);
    err = QString::fromUtf8(proc.readAllStandardError());
    QVERIFY2(proc.exitCode() == 0, qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("'team-vllm'")), qPrintable(err));
    QVERIFY(!err.contains(QStringLiteral("in-process")));
    QVERIFY(sim.requestCount() >= 2); // the classifier and an LLM node
    o = lastJson(QString::fromUtf8(proc.readAllStandardOutput()));
    QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
}

// Every bundled example runs with no endpoint flags: the default profile is the built-in
// simulator, which the run starts in-process (on 127.0.0.1:8765, where the HTTP example fetches
// /v1/models). One row per file in resources/examples/, so a new example without inputs here
// fails until it gets a row.
void TestCli::everyExampleRunsOutOfTheBox_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("key");      // an output to check
    QTest::addColumn<QString>("expected"); // text that output contains
    QTest::addColumn<bool>("usesLlm");     // total_tokens > 0

    struct Row
    {
        QStringList args;
        QString key;
        QString expected;
        bool usesLlm;
    };
    const QString png = m_dir.filePath(QStringLiteral("example-dot.png"));
    const QHash<QString, Row> rows{
        {QStringLiteral("hello_branching.yml"),
         {{QStringLiteral("--inputs"), QStringLiteral(R"({"query": "hello there"})")},
          QStringLiteral("true"),
          QStringLiteral("hello there"),
          false}},
        {QStringLiteral("support_chatflow.yml"),
         {{QStringLiteral("--query"), QStringLiteral("My invoice is wrong")},
          QStringLiteral("answer"),
          QStringLiteral("This is a simulated reply."),
          true}},
        {QStringLiteral("vision_llm.yml"),
         {{QStringLiteral("--files"), png},
          QStringLiteral("description"),
          QStringLiteral("Images received: 1."),
          true}},
        // Its "flowbench-docs" base is the bundled sample, created on first use.
        {QStringLiteral("rag_chatflow.yml"),
         {{QStringLiteral("--query"), QStringLiteral("How do I try Flowbench offline?")},
          QStringLiteral("answer"),
          QStringLiteral("Echo: How do I try Flowbench offline?"),
          true}},
        {QStringLiteral("iteration_summaries.yml"),
         {{},
          QStringLiteral("digest"),
          QStringLiteral("5. Echo: The knowledge base search got hybrid retrieval."),
          true}},
        {QStringLiteral("http_code_pipeline.yml"),
         {{},
          QStringLiteral("explanation"),
          QStringLiteral("Echo: The server offers 1 model(s): "),
          true}},
    };
    const QDir examples(QStringLiteral(FLOWBENCH_SOURCE_DIR "/resources/examples"));
    const QStringList files = examples.entryList(
        {QStringLiteral("*.yml"), QStringLiteral("*.yaml"), QStringLiteral("*.json")}, QDir::Files,
        QDir::Name);
    QVERIFY(files.size() >= 6);
    for (const QString &name : files) {
        const Row row = rows.value(name, Row{{}, QString(), QString(), false});
        QTest::newRow(qPrintable(name))
            << examples.filePath(name) << row.args << row.key << row.expected << row.usesLlm;
    }
}

void TestCli::everyExampleRunsOutOfTheBox()
{
    QFETCH(QString, file);
    QFETCH(QStringList, args);
    QFETCH(QString, key);
    QFETCH(QString, expected);
    QFETCH(bool, usesLlm);
    QVERIFY2(!key.isEmpty(), "no inputs are known for this example: add a row to "
                             "everyExampleRunsOutOfTheBox_data()");
    write(m_dir.filePath(QStringLiteral("example-dot.png")),
          QByteArray::fromBase64("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
                                 "z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="));

    const QString name = QFileInfo(file).fileName();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("FLOWBENCH_RUN_STORE"), g_runStore);
    // A fresh profile store: the built-in simulator profile is the selected one.
    env.insert(QStringLiteral("XDG_CONFIG_HOME"),
               m_dir.filePath(QStringLiteral("config-examples")));
    const QString knowledge = m_dir.filePath(
        QStringLiteral("examples-knowledge-%1.sqlite").arg(QFileInfo(file).completeBaseName()));
    env.insert(QStringLiteral("FLOWBENCH_KNOWLEDGE_STORE"), knowledge);
    const auto flowbench = [&env](const QStringList &arguments) {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(FLOWBENCH_BINARY), arguments);
        p.closeWriteChannel();
        if (!p.waitForFinished(60000))
            p.kill();
        p.waitForFinished();
        return Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                   QString::fromUtf8(p.readAllStandardOutput()),
                   QString::fromUtf8(p.readAllStandardError())};
    };

    const Run validated = flowbench({QStringLiteral("validate"), file});
    QVERIFY2(validated.code == 0, qPrintable(validated.out + validated.err));

    // The RAG example's base ships with Flowbench and is created in the (empty) store on
    // first use: nothing is prepared here.
    const Run r = flowbench(QStringList{QStringLiteral("run"), file} + args);
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    const QJsonObject o = lastJson(r.out);
    QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    const QJsonValue value = o.value(QStringLiteral("outputs")).toObject().value(key);
    const QString text
        = value.isString()
              ? value.toString()
              : QString::fromUtf8(
                  QJsonDocument(QJsonObject{{key, value}}).toJson(QJsonDocument::Compact));
    QVERIFY2(text.contains(expected), qPrintable(text));
    if (usesLlm) {
        QVERIFY2(o.value(QStringLiteral("total_tokens")).toInt() > 0, qPrintable(r.out));
        QVERIFY2(r.err.contains(flowbench::llm::ProfileStore::defaultProfileName()),
                 qPrintable(r.err));
    }
    if (name == QLatin1String("http_code_pipeline.yml")) {
        const QJsonObject outputs = o.value(QStringLiteral("outputs")).toObject();
        QCOMPARE(outputs.value(QStringLiteral("status_code")).toInt(), 200);
        QVERIFY(!outputs.value(QStringLiteral("models")).toArray().isEmpty());
    }
    if (name == QLatin1String("iteration_summaries.yml"))
        QCOMPARE(
            o.value(QStringLiteral("outputs")).toObject().value(QStringLiteral("count")).toInt(),
            5);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"

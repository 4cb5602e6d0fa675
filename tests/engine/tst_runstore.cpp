// The run store: recording real runs and loading them back, the history list, offline replay,
// re-running from a node, refusing newer and damaged files, and what recording costs the engine.
#include "document/dslio.h"
#include "runtime/graphengine.h"
#include "store/runstore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

// The engine links QtSql privately; the test only uses it to damage a store on purpose.
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>

#include <algorithm>
#include <ctime>

// Readable QCOMPARE failures for JSON values (found by argument-dependent lookup).
namespace nlohmann {
inline char *toString(const json &value)
{
    return qstrdup(value.dump().c_str());
}
} // namespace nlohmann

using namespace flowbench;
using runtime::RunEvent;
using Json = nlohmann::json;

namespace {

const QString kHelloStart = QStringLiteral("1754154032319");
const QString kHelloIfElse = QStringLiteral("1754217359748");
const QString kHelloEnd = QStringLiteral("1754154034161");

document::Workflow fixture(const QString &name)
{
    auto loaded
        = document::loadWorkflowFile(QDir(QStringLiteral(FLOWBENCH_FIXTURES_DIR)).filePath(name));
    if (!loaded)
        qFatal("cannot load %s: %s", qPrintable(name), qPrintable(loaded.error().toString()));
    return loaded->workflow;
}

document::Workflow fromJson(const Json &doc)
{
    auto wf = document::Workflow::fromJson(doc);
    if (!wf)
        qFatal("bad workflow: %s", qPrintable(wf.error().message));
    return *wf;
}

Json node(const std::string &id, Json data)
{
    return Json{{"id", id},
                {"type", "custom"},
                {"data", std::move(data)},
                {"position", {{"x", 0}, {"y", 0}}}};
}

Json edge(const std::string &s, const std::string &t)
{
    return Json{{"id", s + "-" + t}, {"source", s}, {"sourceHandle", "source"}, {"target", t}};
}

Json workflowJson(Json nodes, Json edges, const std::string &name = "store test")
{
    return Json{
        {"app", {{"name", name}, {"mode", "workflow"}}},
        {"kind", "app"},
        {"version", "0.5.0"},
        {"workflow", {{"graph", {{"nodes", std::move(nodes)}, {"edges", std::move(edges)}}}}}};
}

// start(url) → http GET {{url}} → end(body, status)
document::Workflow httpWorkflow()
{
    Json start{{"type", "start"},
               {"title", "Start"},
               {"variables", Json::array({{{"variable", "url"},
                                           {"label", "url"},
                                           {"type", "text-input"},
                                           {"required", true},
                                           {"max_length", 256}}})}};
    Json http{{"type", "http-request"},
              {"title", "HTTP"},
              {"method", "get"},
              {"url", "{{#start.url#}}"},
              {"authorization", {{"type", "no-auth"}, {"config", nullptr}}},
              {"headers", ""},
              {"params", ""},
              {"body", {{"type", "none"}, {"data", Json::array()}}},
              {"timeout", {{"connect", 5}, {"read", 5}, {"write", 5}}}};
    Json end{{"type", "end"},
             {"title", "End"},
             {"outputs", Json::array({{{"variable", "body"}, {"value_selector", {"http", "body"}}},
                                      {{"variable", "status"},
                                       {"value_selector", {"http", "status_code"}}}})}};
    return fromJson(
        workflowJson(Json::array({node("start", start), node("http", http), node("end", end)}),
                     Json::array({edge("start", "http"), edge("http", "end")}), "http store test"));
}

// A chain of `n` nodes: start, n-2 no-op variable aggregators, end (as in bench_engine).
document::Workflow chain(int n)
{
    Json nodes = Json::array(
        {node("start", Json{{"type", "start"}, {"title", "Start"}, {"variables", Json::array()}})});
    Json edges = Json::array();
    std::string prev = "start";
    for (int i = 0; i < n - 2; ++i) {
        std::string id = "n"; // (not "n" + ...: GCC 12 warns falsely about that at -O3)
        id += std::to_string(i);
        nodes.push_back(node(id, Json{{"type", "variable-aggregator"},
                                      {"title", id},
                                      {"variables", Json::array()},
                                      {"output_type", "string"}}));
        edges.push_back(edge(prev, id));
        prev = id;
    }
    nodes.push_back(
        node("end", Json{{"type", "end"}, {"title", "End"}, {"outputs", Json::array()}}));
    edges.push_back(edge(prev, "end"));
    return fromJson(workflowJson(nodes, edges, "chain"));
}

// CPU time of the calling thread: on a busy machine, what recording costs the engine's thread
// shows better here than in wall time.
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// One finished run, as the engine saw it.
struct Outcome
{
    QString runId;
    QString status;
    Json outputs;
    QString error;
    Json events = Json::array();
    Json pool;
    double ms = 0;       // start() to `finished`
    double cpuMs = 0;    // CPU time of the engine's thread over the same span
    double storedMs = 0; // start() to everything committed (with a store)
};

Outcome runWith(store::RunStore *store, const document::Workflow &wf,
                const runtime::RunOptions &options)
{
    runtime::GraphEngine engine(wf, options);
    if (store)
        store->record(&engine, wf, options);
    Outcome o;
    QObject::connect(&engine, &runtime::GraphEngine::runEvent, &engine,
                     [&o](const RunEvent &e) { o.events.push_back(e.toJson()); });
    QSignalSpy finished(&engine, &runtime::GraphEngine::finished);
    QElapsedTimer t;
    const double cpu0 = threadCpuMs();
    t.start();
    engine.start();
    if (finished.isEmpty())
        finished.wait(30000);
    o.ms = t.nsecsElapsed() / 1e6;
    o.cpuMs = threadCpuMs() - cpu0;
    if (store) {
        store->flush();
        o.storedMs = t.nsecsElapsed() / 1e6;
    }
    o.runId = engine.runId();
    o.status = runtime::runStatusName(engine.status());
    o.outputs = engine.outputs();
    o.error = engine.error();
    o.pool = engine.pool().toJson();
    return o;
}

QStringList eventNames(const Json &events)
{
    QStringList out;
    for (const Json &e : events)
        out << QString::fromStdString(e.value("event", std::string()));
    return out;
}

QStringList startedNodes(const Json &events)
{
    QStringList out;
    for (const Json &e : events) {
        if (e.value("event", std::string()) == "node_started")
            out << QString::fromStdString(e.value("node_id", std::string()));
    }
    return out;
}

// A loopback HTTP server answering 200 {"a":1}, optionally after a delay; counts connections.
class TinyServer : public QObject
{
public:
    explicit TinyServer(int delayMs = 0)
        : m_delayMs(delayMs)
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                ++connections;
                connect(s, &QTcpSocket::readyRead, s, [this, s] {
                    m_requests[s] += s->readAll();
                    if (!m_requests[s].contains("\r\n\r\n"))
                        return;
                    QTimer::singleShot(m_delayMs, s, [s] {
                        s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 "Content-Length: 7\r\nConnection: close\r\n\r\n{\"a\":1}");
                        s->disconnectFromHost();
                    });
                });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    [[nodiscard]] QString url() const
    {
        return QStringLiteral("http://127.0.0.1:%1/data").arg(m_server.serverPort());
    }
    void close() { m_server.close(); }

    int connections = 0;

private:
    QTcpServer m_server;
    int m_delayMs = 0;
    QHash<QTcpSocket *, QByteArray> m_requests;
};

int snapshotCount(const QString &path)
{
    int count = -1;
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tst-count"));
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT count(*) FROM workflows")) && q.next())
                count = q.value(0).toInt();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("tst-count"));
    return count;
}

// A loopback port nothing listens on.
quint16 closedPort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost);
    const quint16 port = s.serverPort();
    s.close();
    return port;
}

} // namespace

class TestRunStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString newPath() { return m_dir.filePath(QStringLiteral("runs%1.sqlite").arg(++m_files)); }

    std::unique_ptr<store::RunStore> openStore(const QString &path)
    {
        auto opened = store::RunStore::open(path);
        if (!opened)
            qWarning("%s", qPrintable(opened.error().toString()));
        return opened ? std::move(*opened) : nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void defaultPathIsInAppData()
    {
        const QString path = store::RunStore::defaultPath();
        QVERIFY(path.endsWith(QLatin1String("/runs.sqlite")));
        QVERIFY(path.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
        QVERIFY(QFileInfo(path).absoluteDir().exists());
    }

    void recordsAndLoadsARun()
    {
        auto store = openStore(newPath());
        QVERIFY(store);
        QSignalSpy saved(store.get(), &store::RunStore::runSaved);
        QSignalSpy failed(store.get(), &store::RunStore::writeFailed);
        const document::Workflow wf
            = fixture(QStringLiteral("conditional_hello_branching_workflow.yml"));
        runtime::RunOptions options;
        options.inputs = Json{{"query", "hello world"}};
        const Outcome o = runWith(store.get(), wf, options);
        QCOMPARE(o.status, QStringLiteral("succeeded"));
        QCOMPARE(o.outputs, (Json{{"true", "hello world"}}));

        const auto run = store->loadRun(o.runId);
        QVERIFY2(run, qPrintable(run ? QString() : run.error().message));
        QCOMPARE(run->runId, o.runId);
        QCOMPARE(run->workflowName, QStringLiteral("if-else"));
        QCOMPARE(run->status, QStringLiteral("succeeded"));
        QVERIFY(run->error.isEmpty());
        QCOMPARE(run->outputs, o.outputs);
        QCOMPARE(run->inputs, options.inputs);
        QCOMPARE(run->workflow, document::documentJson(wf, document::FileFormat::NativeJson));
        QCOMPARE(run->finalPool, o.pool);
        QCOMPARE(run->exceptionsCount, 0);
        QVERIFY(run->startedMs > 0);
        QCOMPARE(run->events, o.events); // every event, in order
        QCOMPARE(eventNames(run->events).first(), QStringLiteral("run_started"));
        QCOMPARE(eventNames(run->events).last(), QStringLiteral("run_succeeded"));

        QCOMPARE(run->nodes.size(), size_t(3));
        QStringList order;
        for (const store::RecordedNodeExecution &n : run->nodes) {
            order << n.nodeId;
            QCOMPARE(n.status, QStringLiteral("succeeded"));
            QVERIFY(!n.executionId.isEmpty());
            QVERIFY(n.startedMs > 0);
        }
        QCOMPARE(order, (QStringList{kHelloStart, kHelloIfElse, kHelloEnd}));
        const store::RecordedNodeExecution &ifElse = run->nodes[1];
        QCOMPARE(ifElse.nodeKind, QStringLiteral("if-else"));
        QCOMPARE(ifElse.title, QStringLiteral("IF/ELSE"));
        QCOMPARE(ifElse.outputs.value("selected_case_id", std::string()), std::string("true"));
        const store::RecordedNodeExecution &end = run->nodes[2];
        QCOMPARE(end.outputs, (Json{{"true", "hello world"}}));
        QVERIFY(end.inputs.is_object());
        // The node rows agree with the node events.
        for (const Json &e : run->events) {
            if (e.value("event", std::string()) != "node_succeeded")
                continue;
            const auto it = std::find_if(run->nodes.begin(), run->nodes.end(), [&](const auto &n) {
                return n.executionId.toStdString() == e.value("execution_id", std::string());
            });
            QVERIFY(it != run->nodes.end());
            QCOMPARE(it->outputs, e.value("outputs", Json()));
            QCOMPARE(it->inputs, e.value("inputs", Json()));
        }

        QTRY_COMPARE(saved.count(), 1);
        QCOMPARE(saved.first().first().toString(), o.runId);
        QCOMPARE(failed.count(), 0);

        // A second store on the same file (another window, the CLI) sees the same run.
        auto other = openStore(store->path());
        QVERIFY(other);
        const auto again = other->loadRun(o.runId);
        QVERIFY(again);
        QCOMPARE(again->events, run->events);

        // No I/O nodes: replaying runs everything for real and gives the same outputs.
        const runtime::RunOptions replay = store::replayOptions(*run);
        QVERIFY(replay.pinnedOutputs.isEmpty());
        QCOMPARE(replay.inputs, options.inputs);
        const auto recorded = store::recordedWorkflow(*run);
        QVERIFY(recorded);
        QCOMPARE(runWith(nullptr, *recorded, replay).outputs, o.outputs);

        const auto missing = store->loadRun(QStringLiteral("no-such-run"));
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, QStringLiteral("store.not-found"));
    }

    void listsNewestFirstAndDeletes()
    {
        auto store = openStore(newPath());
        QVERIFY(store);
        const document::Workflow wf
            = fixture(QStringLiteral("conditional_hello_branching_workflow.yml"));
        QStringList ids;
        for (const char *query : {"hello one", "bye two", "hello three"}) {
            runtime::RunOptions options;
            options.inputs = Json{{"query", query}};
            ids.prepend(runWith(store.get(), wf, options).runId);
        }
        const QList<store::RunSummary> runs = store->listRuns();
        QCOMPARE(runs.size(), 3);
        QStringList listed;
        for (const store::RunSummary &s : runs) {
            listed << s.runId;
            QCOMPARE(s.status, QStringLiteral("succeeded"));
            QCOMPARE(s.workflowName, QStringLiteral("if-else"));
            QVERIFY(s.startedMs > 0);
        }
        QCOMPARE(listed, ids);
        QVERIFY(runs[0].startedMs >= runs[2].startedMs);
        QCOMPARE(store->listRuns(2).size(), 2);
        QCOMPARE(store->listRuns(2).first().runId, ids.first());

        QVERIFY(store->deleteRun(ids[1]));
        QCOMPARE(store->listRuns().size(), 2);
        QCOMPARE(store->loadRun(ids[1]).error().code, QStringLiteral("store.not-found"));
        QVERIFY(store->loadRun(ids[0]));
        const auto again = store->deleteRun(ids[1]);
        QVERIFY(!again);
        QCOMPARE(again.error().code, QStringLiteral("store.not-found"));

        // Three runs of one workflow keep one snapshot, which goes with the last of them.
        QCOMPARE(snapshotCount(store->path()), 1);
        QVERIFY(store->deleteRun(ids[0]));
        QCOMPARE(snapshotCount(store->path()), 1);
        QVERIFY(store->deleteRun(ids[2]));
        QCOMPARE(snapshotCount(store->path()), 0);
        QVERIFY(store->listRuns().isEmpty());
    }

    void replayServesIoFromTheRecording()
    {
        auto store = openStore(newPath());
        QVERIFY(store);
        TinyServer server;
        const document::Workflow wf = httpWorkflow();
        runtime::RunOptions options;
        options.inputs = Json{{"url", server.url().toStdString()}};
        const Outcome live = runWith(store.get(), wf, options);
        QCOMPARE(live.status, QStringLiteral("succeeded"));
        QCOMPARE(live.outputs.value("body", std::string()), std::string("{\"a\":1}"));
        QCOMPARE(live.outputs.value("status", 0), 200);
        QCOMPARE(server.connections, 1);

        const auto run = store->loadRun(live.runId);
        QVERIFY(run);
        const runtime::RunOptions replay = store::replayOptions(*run);
        QCOMPARE(replay.pinnedOutputs.keys(), QStringList{QStringLiteral("http")});
        QVERIFY(replay.forcedFailures.isEmpty());

        // The server still listens, so any request would be counted.
        server.connections = 0;
        const auto recorded = store::recordedWorkflow(*run);
        QVERIFY(recorded);
        const Outcome replayed = runWith(nullptr, *recorded, replay);
        QCOMPARE(replayed.status, QStringLiteral("succeeded"));
        QCOMPARE(replayed.outputs, live.outputs);
        QCOMPARE(server.connections, 0);

        // And with the server gone entirely.
        server.close();
        QCOMPARE(runWith(nullptr, *recorded, replay).outputs, live.outputs);
    }

    void replayRepeatsRecordedFailures()
    {
        auto store = openStore(newPath());
        QVERIFY(store);
        const document::Workflow wf = httpWorkflow();
        runtime::RunOptions options;
        options.inputs
            = Json{{"url", QStringLiteral("http://127.0.0.1:%1/").arg(closedPort()).toStdString()}};
        const Outcome live = runWith(store.get(), wf, options);
        QCOMPARE(live.status, QStringLiteral("failed"));

        const auto run = store->loadRun(live.runId);
        QVERIFY(run);
        QCOMPARE(run->status, QStringLiteral("failed"));
        QCOMPARE(run->error, live.error);
        const auto http = std::find_if(run->nodes.begin(), run->nodes.end(), [](const auto &n) {
            return n.nodeId == QLatin1String("http");
        });
        QVERIFY(http != run->nodes.end());
        QCOMPARE(http->status, QStringLiteral("failed"));
        QVERIFY(!http->error.isEmpty());

        const runtime::RunOptions replay = store::replayOptions(*run);
        QVERIFY(replay.pinnedOutputs.isEmpty());
        QCOMPARE(replay.forcedFailures.value(QStringLiteral("http")), http->error);
        const Outcome replayed = runWith(nullptr, *store::recordedWorkflow(*run), replay);
        QCOMPARE(replayed.status, QStringLiteral("failed"));
        QCOMPARE(replayed.error, live.error);
    }

    void recordsIterationItems()
    {
        auto store = openStore(newPath());
        QVERIFY(store);
        const document::Workflow wf
            = fixture(QStringLiteral("iteration_flatten_output_enabled_workflow.yml"));
        const Outcome live = runWith(store.get(), wf, {});
        QVERIFY2(live.status == QLatin1String("succeeded"), qPrintable(live.error));
        const auto run = store->loadRun(live.runId);
        QVERIFY(run);
        QCOMPARE(run->events, live.events);
        QList<int> items;
        for (const store::RecordedNodeExecution &n : run->nodes) {
            if (n.nodeId != QLatin1String("code_inner_node"))
                continue;
            QCOMPARE(n.iterationId, QStringLiteral("iteration_node"));
            QCOMPARE(n.status, QStringLiteral("succeeded"));
            items << n.index;
        }
        QCOMPARE(items, (QList<int>{0, 1, 2}));

        // The outer code node ran once and is pinned; the inner one differs per item and runs.
        const runtime::RunOptions replay = store::replayOptions(*run);
        QVERIFY(replay.pinnedOutputs.contains(QStringLiteral("code_node")));
        QVERIFY(!replay.pinnedOutputs.contains(QStringLiteral("code_inner_node")));
        const Outcome replayed = runWith(nullptr, *store::recordedWorkflow(*run), replay);
        QCOMPARE(replayed.outputs, live.outputs);
    }

    void rerunFromANodeReusesThePool()
    {
        auto store = openStore(newPath());
        QVERIFY(store);
        const document::Workflow wf
            = fixture(QStringLiteral("conditional_hello_branching_workflow.yml"));
        runtime::RunOptions options;
        options.inputs = Json{{"query", "hello world"}};
        const Outcome live = runWith(store.get(), wf, options);
        const auto run = store->loadRun(live.runId);
        QVERIFY(run);

        const runtime::RunOptions rerun = store::rerunFromOptions(*run, kHelloEnd);
        QCOMPARE(rerun.startNodeId, kHelloEnd);
        QVERIFY(rerun.initialPool.has_value());
        QVERIFY(!rerun.initialPool->hasScope(kHelloEnd.toStdString()));
        QVERIFY(rerun.initialPool->hasScope(kHelloStart.toStdString()));
        QVERIFY(rerun.initialPool->hasScope(kHelloIfElse.toStdString()));

        const Outcome again = runWith(store.get(), *store::recordedWorkflow(*run), rerun);
        QCOMPARE(again.status, QStringLiteral("succeeded"));
        QCOMPARE(again.outputs, live.outputs);
        QCOMPARE(startedNodes(again.events), QStringList{kHelloEnd}); // no start, no if-else
        // The re-run is a run of its own in the history.
        QCOMPARE(store->listRuns().first().runId, again.runId);

        // Re-running from the if-else drops its outputs and the end's, keeps the start's.
        const runtime::RunOptions fromIf = store::rerunFromOptions(*run, kHelloIfElse);
        QVERIFY(!fromIf.initialPool->hasScope(kHelloIfElse.toStdString()));
        QVERIFY(!fromIf.initialPool->hasScope(kHelloEnd.toStdString()));
        QVERIFY(fromIf.initialPool->hasScope(kHelloStart.toStdString()));
        const Outcome fromIfRun = runWith(nullptr, *store::recordedWorkflow(*run), fromIf);
        QCOMPARE(fromIfRun.outputs, live.outputs);
        QCOMPARE(startedNodes(fromIfRun.events), (QStringList{kHelloIfElse, kHelloEnd}));
    }

    void writesWhileRunning()
    {
        // The http node waits 1.5 s for its answer; the recording must reach the file before.
        const QString path = newPath();
        auto store = openStore(path);
        QVERIFY(store);
        auto reader = openStore(path); // another connection, as after a crash
        QVERIFY(reader);
        TinyServer server(1500);
        const document::Workflow wf = httpWorkflow();
        runtime::RunOptions options;
        options.inputs = Json{{"url", server.url().toStdString()}};
        runtime::GraphEngine engine(wf, options);
        store->record(&engine, wf, options);
        QSignalSpy finished(&engine, &runtime::GraphEngine::finished);
        engine.start();
        const QString id = engine.runId();
        const auto midRun = [&] {
            const auto run = reader->loadRun(id);
            if (!run || run->status != QLatin1String("running") || run->events.size() < 3)
                return false;
            return std::any_of(run->nodes.begin(), run->nodes.end(), [](const auto &n) {
                return n.nodeId == QLatin1String("http") && n.status == QLatin1String("running");
            });
        };
        QTRY_VERIFY_WITH_TIMEOUT(midRun(), 1400);
        QVERIFY(finished.isEmpty());
        QVERIFY(finished.wait(10000));
        store->flush();
        const auto done = reader->loadRun(id);
        QVERIFY(done);
        QCOMPARE(done->status, QStringLiteral("succeeded"));
        QCOMPARE(done->nodes.back().status, QStringLiteral("succeeded"));
    }

    void engineDestroyedMidRun()
    {
        auto store = openStore(newPath());
        QVERIFY(store);
        TinyServer server(5000);
        const document::Workflow wf = httpWorkflow();
        runtime::RunOptions options;
        options.inputs = Json{{"url", server.url().toStdString()}};
        QString id;
        {
            runtime::GraphEngine engine(wf, options);
            store->record(&engine, wf, options);
            engine.start();
            id = engine.runId();
            QTRY_COMPARE(server.connections, 1);
        }
        const auto run = store->loadRun(id);
        QVERIFY(run);
        QCOMPARE(run->status, QStringLiteral("stopped"));
        QVERIFY(!run->error.isEmpty());
        // An I/O node without a result fails on replay instead of going to the network.
        const runtime::RunOptions replay = store::replayOptions(*run);
        QVERIFY(replay.forcedFailures.contains(QStringLiteral("http")));
    }

    void unstartedEngineLeavesNoRun()
    {
        auto store = openStore(newPath());
        QVERIFY(store);
        const document::Workflow wf = httpWorkflow();
        {
            runtime::GraphEngine engine(wf, {});
            store->record(&engine, wf, {});
            store->record(&engine, wf, {}); // twice: ignored
        }
        QVERIFY(store->listRuns().isEmpty());
    }

    void reportsWriteFailures()
    {
        const QString path = newPath();
        auto store = openStore(path);
        QVERIFY(store);
        QSignalSpy failed(store.get(), &store::RunStore::writeFailed);
        QSignalSpy saved(store.get(), &store::RunStore::runSaved);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"),
                                                        QStringLiteral("tst-damage"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("DROP TABLE events")));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("tst-damage"));
        const document::Workflow wf
            = fixture(QStringLiteral("conditional_hello_branching_workflow.yml"));
        runtime::RunOptions options;
        options.inputs = Json{{"query", "hello"}};
        const Outcome o = runWith(store.get(), wf, options);
        QCOMPARE(o.status, QStringLiteral("succeeded")); // the run itself is not affected
        QTRY_VERIFY(!failed.isEmpty());
        QCOMPARE(failed.first().first().toString(), o.runId);
        QVERIFY(failed.first().at(1).toString().contains(QLatin1String("events")));
        QCOMPARE(saved.count(), 0);
    }

    void refusesNewerFiles()
    {
        const QString path = newPath();
        QVERIFY(openStore(path)); // created, then closed
        {
            QSqlDatabase db
                = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tst-newer"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(
                QStringLiteral("PRAGMA user_version=%1").arg(store::RunStore::kSchemaVersion + 1)));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("tst-newer"));
        const auto opened = store::RunStore::open(path);
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, QStringLiteral("store.newer"));
        QVERIFY(opened.error().message.contains(QLatin1String("newer Flowbench")));
        QVERIFY(
            opened.error().message.contains(QString::number(store::RunStore::kSchemaVersion + 1)));
        QVERIFY(opened.error().toString().contains(QFileInfo(path).fileName()));
    }

    void refusesDamagedFiles_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::newRow("not a database") << QStringLiteral("garbage");
        QTest::newRow("schema page overwritten") << QStringLiteral("page1");
    }

    void refusesDamagedFiles()
    {
        QFETCH(QString, damage);
        const QString path = newPath();
        if (damage == QLatin1String("garbage")) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            for (int i = 0; i < 512; ++i)
                f.write("this is not a database, just text.\n");
        } else {
            QVERIFY(openStore(path));
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.seek(100)); // past the 100-byte header: the schema table's page
            f.write(QByteArray(3000, '\xAB'));
        }
        const auto opened = store::RunStore::open(path);
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, QStringLiteral("store.corrupt"));
        QVERIFY(opened.error().message.contains(QFileInfo(path).fileName()));
        qInfo("%s", qPrintable(opened.error().toString()));
    }

    void recordingCost()
    {
        const int n = 2000;
        const document::Workflow wf = chain(n);
        runtime::RunOptions options;
        options.maxSteps = 1'000'000;
        auto store = openStore(newPath());
        QVERIFY(store);
        runWith(nullptr, wf, options); // warm up
        // Best of five: the machine may be busy with other work.
        const double inf = std::numeric_limits<double>::max();
        double alone = inf, aloneCpu = inf, recorded = inf, recordedCpu = inf, committed = inf;
        Outcome last;
        for (int i = 0; i < 5; ++i) {
            const Outcome a = runWith(nullptr, wf, options);
            alone = std::min(alone, a.ms);
            aloneCpu = std::min(aloneCpu, a.cpuMs);
            last = runWith(store.get(), wf, options);
            QCOMPARE(last.status, QStringLiteral("succeeded"));
            recorded = std::min(recorded, last.ms);
            recordedCpu = std::min(recordedCpu, last.cpuMs);
            committed = std::min(committed, last.storedMs);
        }
        qInfo("%d-node chain, best of 5: engine alone %.1f ms (engine thread CPU %.1f ms); with "
              "recording %.1f ms to `finished` (engine thread CPU %.1f ms), %.1f ms until the "
              "writer thread has committed it",
              n, alone, aloneCpu, recorded, recordedCpu, committed);
        const auto run = store->loadRun(last.runId);
        QVERIFY(run);
        QCOMPARE(run->nodes.size(), size_t(n));
        QCOMPARE(run->events.size(), last.events.size());
        QCOMPARE(run->events.back(), last.events.back());
    }
};

QTEST_GUILESS_MAIN(TestRunStore)
#include "tst_runstore.moc"

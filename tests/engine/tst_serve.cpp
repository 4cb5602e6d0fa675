// The Dify service API of `flowbench serve`, in-process: a DifyServer on a free loopback port,
// driven by QNetworkAccessManager; LLM nodes talk to the simulator.
#include "document/dslio.h"
#include "llm/simulator/simulator.h"
#include "metering/tokenmetrics.h"
#include "serve/difyserver.h"
#include "store/runstore.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace flowbench;
using Json = nlohmann::json;

namespace {

struct Reply
{
    int status = 0;
    QByteArray body;
    Json json() const
    {
        try {
            return Json::parse(body.toStdString());
        } catch (const std::exception &) {
            return Json();
        }
    }
};

// The `data:` events of an SSE body, in order; pings as {"event": "ping"}.
std::vector<Json> sseEvents(const QByteArray &body)
{
    std::vector<Json> events;
    for (const QByteArray &block : body.split('\n')) {
        if (block.startsWith("event: ping"))
            events.push_back(Json{{"event", "ping"}});
        else if (block.startsWith("data: "))
            events.push_back(Json::parse(block.mid(6).toStdString()));
    }
    return events;
}

QStringList eventNames(const std::vector<Json> &events)
{
    QStringList names;
    for (const Json &e : events)
        names << QString::fromStdString(e.value("event", std::string()));
    return names;
}

} // namespace

class TestServe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void healthAndParameters();
    void blockingWorkflow();
    void streamingWorkflow();
    void missingInputIs400();
    void wrongAppMode();
    void chatflowTwoTurns();
    void unknownConversationIs404();
    void authentication();
    void bodyTooLarge();
    void concurrencyLimitAndStop();
    void pingsWhileQuiet();
    void metricsText();
    void refusesNonLoopbackWithoutKey();
    void shutdownFinishesRuns();
    void logLines();

private:
    std::unique_ptr<serve::DifyServer> server(const QString &file,
                                              serve::ServeOptions options = {});
    Reply send(quint16 port, const QByteArray &method, const QString &path,
               const QByteArray &body = {}, const QByteArray &key = {});
    QString base(quint16 port) const { return QStringLiteral("http://127.0.0.1:%1").arg(port); }
    QString example(const char *name) const
    {
        return QStringLiteral(FLOWBENCH_SOURCE_DIR "/resources/examples/") + QLatin1String(name);
    }
    QString slowFile() const
    {
        return QStringLiteral(FLOWBENCH_SOURCE_DIR "/tests/data/serve/slow_workflow.yml");
    }

    QTemporaryDir m_dir;
    llm::Simulator m_sim;
    std::unique_ptr<store::RunStore> m_store;
    QNetworkAccessManager m_network;
    QList<QByteArray> m_log;
};

void TestServe::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    QVERIFY(m_sim.listen() != 0);
    auto opened = store::RunStore::open(m_dir.filePath(QStringLiteral("runs.sqlite")));
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
    m_store = std::move(*opened);
}

void TestServe::cleanupTestCase()
{
    m_store.reset();
}

std::unique_ptr<serve::DifyServer> TestServe::server(const QString &file,
                                                     serve::ServeOptions options)
{
    auto loaded = document::loadWorkflowFile(file);
    if (!loaded)
        return nullptr;
    llm::LlmEndpoint endpoint;
    endpoint.config.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(m_sim.port()));
    endpoint.forcedModel = m_sim.config().model;
    options.endpoint = endpoint;
    options.logSink = [this](const QByteArray &line) { m_log.append(line); };
    auto s = std::make_unique<serve::DifyServer>(loaded->workflow, options, m_store.get());
    if (!s->listen())
        return nullptr;
    return s;
}

Reply TestServe::send(quint16 port, const QByteArray &method, const QString &path,
                      const QByteArray &body, const QByteArray &key)
{
    QNetworkRequest request(QUrl(base(port) + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    if (!key.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + key);
    QNetworkReply *reply = m_network.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(30000);
    Reply r{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
    reply->deleteLater();
    return r;
}

void TestServe::healthAndParameters()
{
    auto s = server(example("hello_branching.yml"));
    QVERIFY(s);
    Reply health = send(s->port(), "GET", QStringLiteral("/health"));
    QCOMPARE(health.status, 200);
    QCOMPARE(health.json()["status"], "ok");

    Reply params = send(s->port(), "GET", QStringLiteral("/v1/parameters"));
    QCOMPARE(params.status, 200);
    const Json p = params.json();
    QVERIFY(p["user_input_form"].is_array());
    QCOMPARE(p["user_input_form"].size(), size_t(1));
    QCOMPARE(p["user_input_form"][0]["text-input"]["variable"], "query");
    QCOMPARE(p["user_input_form"][0]["text-input"]["required"], true);
    QCOMPARE(p["file_upload"]["enabled"], false);
    QVERIFY(p.contains("opening_statement"));
    QVERIFY(p["suggested_questions"].is_array());
    QVERIFY(p["system_parameters"].contains("file_size_limit"));

    auto slow = server(slowFile());
    QVERIFY(slow);
    const Json form = send(slow->port(), "GET", QStringLiteral("/v1/parameters")).json();
    QCOMPARE(form["user_input_form"][1]["number"]["variable"], "seconds");

    Reply missing = send(s->port(), "GET", QStringLiteral("/v1/nothing"));
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.json()["code"], "not_found");
    QCOMPARE(missing.json()["status"], 404);
}

void TestServe::blockingWorkflow()
{
    auto s = server(example("hello_branching.yml"));
    QVERIFY(s);
    const Reply r = send(s->port(), "POST", QStringLiteral("/v1/workflows/run"),
                         R"({"inputs":{"query":"hello world"},"response_mode":"blocking",
                             "user":"abc-123"})");
    QCOMPARE(r.status, 200);
    const Json j = r.json();
    QVERIFY2(j.contains("workflow_run_id") && j.contains("task_id"), r.body.constData());
    const Json &data = j["data"];
    QCOMPARE(data["id"], j["workflow_run_id"]);
    QCOMPARE(data["status"], "succeeded");
    QCOMPARE(data["outputs"]["true"], "hello world");
    QVERIFY(data["error"].is_null());
    QVERIFY(data["elapsed_time"].is_number());
    QVERIFY(data["total_steps"].get<int>() >= 3);
    QVERIFY(data["created_at"].is_number_integer());
    QVERIFY(data["finished_at"].is_number_integer());
    QVERIFY(data["workflow_id"].is_string());
    QVERIFY(data.contains("total_tokens"));

    // Recorded in the run store, with the user.
    auto run = m_store->loadRun(QString::fromStdString(j["workflow_run_id"].get<std::string>()));
    QVERIFY(run);
    QCOMPARE(run->status, QStringLiteral("succeeded"));
}

void TestServe::streamingWorkflow()
{
    auto s = server(example("hello_branching.yml"));
    QVERIFY(s);
    const Reply r = send(s->port(), "POST", QStringLiteral("/v1/workflows/run"),
                         R"({"inputs":{"query":"bye"},"response_mode":"streaming","user":"u"})");
    QCOMPARE(r.status, 200);
    const auto events = sseEvents(r.body);
    const QStringList names = eventNames(events);
    QVERIFY2(names.size() >= 4, r.body.constData());
    QCOMPARE(names.first(), QStringLiteral("workflow_started"));
    QCOMPARE(names.last(), QStringLiteral("workflow_finished"));
    QVERIFY(names.contains(QStringLiteral("node_started")));
    QVERIFY(names.contains(QStringLiteral("node_finished")));
    QVERIFY2(names.contains(QStringLiteral("text_chunk")), qPrintable(names.join(u',')));
    QString text;
    for (const Json &e : events) {
        QCOMPARE(e["task_id"], events.front()["task_id"]);
        QCOMPARE(e["workflow_run_id"], events.front()["workflow_run_id"]);
        if (e["event"] == "text_chunk")
            text += QString::fromStdString(e["data"]["text"].get<std::string>());
        if (e["event"] == "node_finished") {
            QVERIFY(e["data"].contains("node_id"));
            QVERIFY(e["data"].contains("execution_metadata"));
            QCOMPARE(e["data"]["status"], "succeeded");
        }
    }
    QCOMPARE(text, QStringLiteral("bye"));
    const Json &finished = events.back()["data"];
    QCOMPARE(finished["status"], "succeeded");
    QCOMPARE(finished["outputs"]["false"], "bye");
    QCOMPARE(finished["id"], events.front()["workflow_run_id"]);
}

void TestServe::missingInputIs400()
{
    auto s = server(example("hello_branching.yml"));
    QVERIFY(s);
    Reply r = send(s->port(), "POST", QStringLiteral("/v1/workflows/run"),
                   R"({"inputs":{},"response_mode":"blocking","user":"u"})");
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json()["code"], "invalid_param");
    QCOMPARE(r.json()["status"], 400);
    r = send(s->port(), "POST", QStringLiteral("/v1/workflows/run"), "{not json");
    QCOMPARE(r.status, 400);
    r = send(s->port(), "POST", QStringLiteral("/v1/workflows/run"),
             R"({"inputs":{"query":"x"},"response_mode":"sometimes"})");
    QCOMPARE(r.status, 400);
    r = send(s->port(), "GET", QStringLiteral("/v1/workflows/run"));
    QCOMPARE(r.status, 405);
    // No upload endpoint: upload_file_id is refused, remote URLs are taken.
    r = send(s->port(), "POST", QStringLiteral("/v1/workflows/run"),
             R"({"inputs":{"query":"x"},"files":[{"type":"image","transfer_method":"local_file",
                 "upload_file_id":"123"}]})");
    QCOMPARE(r.status, 400);
    r = send(s->port(), "POST", QStringLiteral("/v1/workflows/run"),
             R"({"inputs":{"query":"x"},"files":[{"type":"image","transfer_method":"remote_url",
                 "url":"https://example.com/a.png"}]})");
    QCOMPARE(r.status, 200);
}

void TestServe::wrongAppMode()
{
    auto s = server(example("hello_branching.yml"));
    QVERIFY(s);
    const Reply r = send(s->port(), "POST", QStringLiteral("/v1/chat-messages"),
                         R"({"query":"hi","inputs":{},"response_mode":"blocking"})");
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json()["code"], "not_chat_app");
}

void TestServe::chatflowTwoTurns()
{
    auto s = server(example("support_chatflow.yml"));
    QVERIFY(s);
    const Reply first = send(s->port(), "POST", QStringLiteral("/v1/chat-messages"),
                             R"({"query":"Where is my refund for invoice 42?","inputs":{},
                                 "response_mode":"blocking","user":"alice"})");
    QCOMPARE(first.status, 200);
    const Json a = first.json();
    QCOMPARE(a["event"], "message");
    QCOMPARE(a["mode"], "advanced-chat");
    QVERIFY2(a["answer"].get<std::string>().find("Where is my refund") != std::string::npos,
             first.body.constData());
    QCOMPARE(a["id"], a["message_id"]);
    QVERIFY(a["metadata"]["usage"]["total_tokens"].get<qint64>() > 0);
    QVERIFY(a["metadata"]["usage"]["prompt_tokens"].get<qint64>() > 0);
    const std::string conversation = a["conversation_id"].get<std::string>();
    QVERIFY(!conversation.empty());

    Json second{{"query", "And when will it arrive?"},
                {"inputs", Json::object()},
                {"response_mode", "streaming"},
                {"conversation_id", conversation},
                {"user", "alice"}};
    const Reply r = send(s->port(), "POST", QStringLiteral("/v1/chat-messages"),
                         QByteArray::fromStdString(second.dump()));
    QCOMPARE(r.status, 200);
    const auto events = sseEvents(r.body);
    const QStringList names = eventNames(events);
    QCOMPARE(names.first(), QStringLiteral("workflow_started"));
    QCOMPARE(names.last(), QStringLiteral("message_end"));
    QVERIFY(names.contains(QStringLiteral("message")));
    QVERIFY(names.contains(QStringLiteral("workflow_finished")));
    QString answer;
    for (const Json &e : events) {
        QCOMPARE(e["conversation_id"], conversation);
        if (e["event"] == "message")
            answer += QString::fromStdString(e["answer"].get<std::string>());
    }
    QVERIFY2(answer.contains(QStringLiteral("And when will it arrive?")), qPrintable(answer));
    QVERIFY(events.back()["metadata"]["usage"]["completion_tokens"].get<qint64>() > 0);

    // The first turn reached the model as history.
    const QByteArray last = m_sim.lastRequestBody();
    QVERIFY2(last.contains("Where is my refund for invoice 42?"), last.constData());
    QVERIFY(last.contains("And when will it arrive?"));

    // The conversation lives in the run store.
    auto state = m_store->loadConversation(QString::fromStdString(conversation));
    QVERIFY(state);
    QCOMPARE(state->dialogueCount, 2);
    QCOMPARE(state->history.size(), size_t(2));
}

void TestServe::unknownConversationIs404()
{
    auto s = server(example("support_chatflow.yml"));
    QVERIFY(s);
    const Reply r = send(s->port(), "POST", QStringLiteral("/v1/chat-messages"),
                         R"({"query":"hi","conversation_id":"no-such-conversation",
                             "response_mode":"blocking"})");
    QCOMPARE(r.status, 404);
    QCOMPARE(r.json()["code"], "not_found");
}

void TestServe::authentication()
{
    serve::ServeOptions options;
    options.apiKey = QStringLiteral("app-secret");
    auto s = server(example("hello_branching.yml"), options);
    QVERIFY(s);
    const QByteArray body = R"({"inputs":{"query":"hello"},"response_mode":"blocking"})";
    Reply r = send(s->port(), "POST", QStringLiteral("/v1/workflows/run"), body);
    QCOMPARE(r.status, 401);
    QCOMPARE(r.json()["code"], "unauthorized");
    QCOMPARE(r.json()["status"], 401);
    r = send(s->port(), "POST", QStringLiteral("/v1/workflows/run"), body, "app-secreT");
    QCOMPARE(r.status, 401);
    r = send(s->port(), "GET", QStringLiteral("/v1/parameters"), {}, "app-secre");
    QCOMPARE(r.status, 401);
    r = send(s->port(), "POST", QStringLiteral("/v1/workflows/run"), body, "app-secret");
    QCOMPARE(r.status, 200);
    QCOMPARE(send(s->port(), "GET", QStringLiteral("/health")).status, 200); // open

    QVERIFY(serve::constantTimeEquals("abc", "abc"));
    QVERIFY(!serve::constantTimeEquals("abd", "abc"));
    QVERIFY(!serve::constantTimeEquals("abcabc", "abc"));
    QVERIFY(!serve::constantTimeEquals("", "abc"));
}

void TestServe::bodyTooLarge()
{
    serve::ServeOptions options;
    options.maxBodyBytes = 64 * 1024;
    auto s = server(example("hello_branching.yml"), options);
    QVERIFY(s);
    const QByteArray big = R"({"inputs":{"query":")" + QByteArray(100 * 1024, 'x') + R"("}})";
    const Reply r = send(s->port(), "POST", QStringLiteral("/v1/workflows/run"), big);
    QCOMPARE(r.status, 413);
    QCOMPARE(r.json()["status"], 413);
}

void TestServe::concurrencyLimitAndStop()
{
    serve::ServeOptions options;
    options.workers = 1;
    auto s = server(slowFile(), options);
    QVERIFY(s);
    QSignalSpy started(s.get(), &serve::DifyServer::runStarted);
    QSignalSpy finished(s.get(), &serve::DifyServer::runFinished);

    QNetworkRequest request(QUrl(base(s->port()) + QStringLiteral("/v1/workflows/run")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QNetworkReply *slow = m_network.post(
        request, R"({"inputs":{"text":"zzz","seconds":20},"response_mode":"streaming"})");
    QVERIFY(started.wait(10000));
    const QString taskId = started.first().at(0).toString();

    // The one worker is busy: 429 in Dify's shape.
    const Reply busy = send(s->port(), "POST", QStringLiteral("/v1/workflows/run"),
                            R"({"inputs":{"text":"a","seconds":0},"response_mode":"blocking"})");
    QCOMPARE(busy.status, 429);
    QCOMPARE(busy.json()["code"], "too_many_requests");

    QElapsedTimer clock;
    clock.start();
    const Reply stop
        = send(s->port(), "POST", QStringLiteral("/v1/workflows/tasks/%1/stop").arg(taskId),
               R"({"user":"u"})");
    QCOMPARE(stop.status, 200);
    QCOMPARE(stop.json()["result"], "success");
    QSignalSpy done(slow, &QNetworkReply::finished);
    QVERIFY(slow->isFinished() || done.wait(10000));
    QVERIFY(clock.elapsed() < 15000);
    const auto events = sseEvents(slow->readAll());
    slow->deleteLater();
    QVERIFY(!events.empty());
    QCOMPARE(events.back()["event"], "workflow_finished");
    QCOMPARE(events.back()["data"]["status"], "stopped");
    QCOMPARE(events.back()["task_id"].get<std::string>(), taskId.toStdString());
    QTRY_COMPARE(s->runningCount(), 0);
    QCOMPARE(finished.size(), 1);

    // The slot is free again.
    const Reply again = send(s->port(), "POST", QStringLiteral("/v1/workflows/run"),
                             R"({"inputs":{"text":"a","seconds":0},"response_mode":"blocking"})");
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json()["data"]["outputs"]["result"], "a");
}

void TestServe::pingsWhileQuiet()
{
    serve::ServeOptions options;
    options.pingIntervalMs = 150;
    auto s = server(slowFile(), options);
    QVERIFY(s);
    const Reply r = send(s->port(), "POST", QStringLiteral("/v1/workflows/run"),
                         R"({"inputs":{"text":"p","seconds":1},"response_mode":"streaming"})");
    QCOMPARE(r.status, 200);
    QVERIFY2(r.body.contains("event: ping\n\n"), r.body.constData());
    const auto events = sseEvents(r.body);
    QCOMPARE(events.back()["data"]["outputs"]["result"], "p");
}

void TestServe::metricsText()
{
    auto s = server(example("support_chatflow.yml"));
    QVERIFY(s);
    QCOMPARE(send(s->port(), "POST", QStringLiteral("/v1/chat-messages"),
                  R"({"query":"My app crashes on start","response_mode":"blocking",
                      "user":"bob"})")
                 .status,
             200);
    const Reply m = send(s->port(), "GET", QStringLiteral("/metrics"));
    QCOMPARE(m.status, 200);
    QVERIFY2(m.body.contains("dify_token_total{"), m.body.constData());
    QVERIFY(m.body.contains("user_id=\"bob\""));
    QVERIFY(m.body.contains("flowbench_runs_total{status=\"succeeded\"} 1"));
}

void TestServe::refusesNonLoopbackWithoutKey()
{
    auto loaded = document::loadWorkflowFile(example("hello_branching.yml"));
    QVERIFY(loaded);
    serve::DifyServer open(loaded->workflow, {}, nullptr);
    auto refused = open.listen(QHostAddress::Any, 0);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, QStringLiteral("serve.insecure"));
    QVERIFY(open.listen(QHostAddress::LocalHost, 0));

    serve::ServeOptions keyed;
    keyed.apiKey = QStringLiteral("k");
    serve::DifyServer guarded(loaded->workflow, keyed, nullptr);
    QVERIFY(guarded.listen(QHostAddress::Any, 0));
}

void TestServe::shutdownFinishesRuns()
{
    serve::ServeOptions options;
    options.shutdownGraceMs = 20000;
    auto s = server(slowFile(), options);
    QVERIFY(s);
    QSignalSpy started(s.get(), &serve::DifyServer::runStarted);
    QSignalSpy drained(s.get(), &serve::DifyServer::drained);
    QNetworkRequest request(QUrl(base(s->port()) + QStringLiteral("/v1/workflows/run")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QNetworkReply *running = m_network.post(
        request, R"({"inputs":{"text":"finish me","seconds":1},"response_mode":"blocking"})");
    QVERIFY(started.wait(10000));
    s->shutdown();
    QVERIFY(s->isShuttingDown());
    QVERIFY(drained.wait(15000));
    QSignalSpy done(running, &QNetworkReply::finished);
    QVERIFY(running->isFinished() || done.wait(5000));
    const Json j = Json::parse(running->readAll().toStdString());
    running->deleteLater();
    QCOMPARE(j["data"]["status"], "succeeded"); // finished, not cut off
    QCOMPARE(j["data"]["outputs"]["result"], "finish me");

    // Stopped when the grace period ends.
    options.shutdownGraceMs = 200;
    auto t = server(slowFile(), options);
    QVERIFY(t);
    QSignalSpy started2(t.get(), &serve::DifyServer::runStarted);
    QSignalSpy drained2(t.get(), &serve::DifyServer::drained);
    QNetworkRequest request2(QUrl(base(t->port()) + QStringLiteral("/v1/workflows/run")));
    request2.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QNetworkReply *cut = m_network.post(
        request2, R"({"inputs":{"text":"x","seconds":30},"response_mode":"blocking"})");
    QVERIFY(started2.wait(10000));
    t->shutdown();
    QVERIFY(drained2.wait(10000));
    QSignalSpy done2(cut, &QNetworkReply::finished);
    QVERIFY(cut->isFinished() || done2.wait(5000));
    QCOMPARE(Json::parse(cut->readAll().toStdString())["data"]["status"], "stopped");
    cut->deleteLater();
}

void TestServe::logLines()
{
    m_log.clear();
    auto s = server(example("hello_branching.yml"));
    QVERIFY(s);
    send(s->port(), "POST", QStringLiteral("/v1/workflows/run"),
         R"({"inputs":{"query":"hello"},"response_mode":"blocking"})");
    send(s->port(), "GET", QStringLiteral("/health"));
    QCOMPARE(m_log.size(), 2);
    const Json run = Json::parse(m_log[0].toStdString());
    QCOMPARE(run["method"], "POST");
    QCOMPARE(run["path"], "/v1/workflows/run");
    QCOMPARE(run["status"], 200);
    QVERIFY(run["duration_ms"].is_number_integer());
    QVERIFY(run["run_id"].is_string());
    QVERIFY(run["time"].is_string());
    const Json health = Json::parse(m_log[1].toStdString());
    QCOMPARE(health["path"], "/health");
    QVERIFY(health["run_id"].is_null());
}

QTEST_GUILESS_MAIN(TestServe)
#include "tst_serve.moc"

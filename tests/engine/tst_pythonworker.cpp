// PythonWorkerPool against real python3 processes: the three methods, errors, limits, the
// sandbox, timeouts, crashes, queueing, cancellation and a missing interpreter or Jinja2.
#include "runtime/pythonworker.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <optional>

using flowbench::Result;
using flowbench::runtime::Json;
using flowbench::runtime::PythonWorkerPool;

// QCOMPARE cannot print nlohmann::json (and trips over its conversions).
#define QCOMPARE_JSON(actual, expected)                                                            \
    do {                                                                                           \
        const Json actual_ = (actual);                                                             \
        const Json expected_ = (expected);                                                         \
        QVERIFY2(actual_ == expected_,                                                             \
                 qPrintable(QString::fromStdString(actual_.dump() + " != " + expected_.dump())));  \
    } while (false)

namespace {

// Waits (on the event loop) for one call's answer.
Result<Json> callSync(PythonWorkerPool &pool, const QString &method, const Json &params,
                      int timeoutMs = 10000)
{
    std::optional<Result<Json>> answer;
    pool.call(method, params, timeoutMs, [&answer](Result<Json> r) { answer = std::move(r); });
    QElapsedTimer clock;
    clock.start();
    while (!answer && clock.elapsed() < timeoutMs + 30000)
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
    if (!answer)
        return flowbench::makeError(QStringLiteral("test.noanswer"), QStringLiteral("no answer"));
    return *answer;
}

Result<Json> python(PythonWorkerPool &pool, const char *code, const Json &inputs = Json::object(),
                    int timeoutMs = 10000)
{
    return callSync(pool, QStringLiteral("python3"), Json{{"code", code}, {"inputs", inputs}},
                    timeoutMs);
}

QString errorText(const Result<Json> &r)
{
    return r ? QStringLiteral("(succeeded: %1)").arg(QString::fromStdString(r->dump()))
             : r.error().code + QStringLiteral(": ") + r.error().message;
}

} // namespace

class tst_PythonWorker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void python3Result();
    void python3Exception();
    void python3SyntaxError();
    void python3NonDictResult();
    void python3MissingMain();
    void python3FreshNamespace();
    void printDoesNotCorruptProtocol();
    void networkRefused();
    void fileWritesRefused();
    void programsRefused();
    void resourceLimits();
    void memoryLimit();
    void outputTooLarge();
    void notJsonSerializable();
    void jinja2Render();
    void jinja2Errors();
    void jsonSchema();
    void timeoutKillsAndRecovers();
    void crashReportedAndRecovers();
    void parallelOnTwoProcesses();
    void queueKeepsOrder();
    void cancelQueued();
    void cancelRunning();
    void destroyWhileRunning();
    void missingInterpreter();
    void missingJinja2();
    void sequentialThroughput();

private:
    std::unique_ptr<PythonWorkerPool> m_pool;
};

void tst_PythonWorker::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("python3")).isEmpty())
        QFAIL("python3 is not on PATH: run scripts/install-deps");
    m_pool = std::make_unique<PythonWorkerPool>(2);
}

void tst_PythonWorker::python3Result()
{
    const auto r = python(*m_pool, "def main(a: int, b: int) -> dict:\n    return {'sum': a + b}\n",
                          Json{{"a", 1}, {"b", 2}});
    QVERIFY2(r, qPrintable(errorText(r)));
    QCOMPARE_JSON(r->at("result"), (Json{{"sum", 3}}));

    // Values keep their JSON types through Python: float stays float, unicode survives.
    const auto types = python(*m_pool,
                              "def main(f, s, n, o):\n"
                              "    return {'f': f, 's': s + '！', 'n': n, 'o': o, 'big': 2**62}\n",
                              Json{{"f", 2.0}, {"s", "你好"}, {"n", nullptr}, {"o", {{"k", {1}}}}});
    QVERIFY2(types, qPrintable(errorText(types)));
    QVERIFY(types->at("result").at("f").is_number_float());
    QCOMPARE_JSON(types->at("result").at("s"), Json("你好！"));
    QVERIFY(types->at("result").at("n").is_null());
    QCOMPARE_JSON(types->at("result").at("o"), (Json{{"k", {1}}}));
    QCOMPARE(types->at("result").at("big").get<std::int64_t>(), std::int64_t(1) << 62);
}

void tst_PythonWorker::python3Exception()
{
    const auto r = python(*m_pool, "def main():\n    raise ValueError('boom')\n");
    QVERIFY(!r);
    QCOMPARE(r.error().code, QStringLiteral("python.error"));
    QVERIFY2(r.error().message.endsWith(QStringLiteral("ValueError: boom")),
             qPrintable(r.error().message));
    // The traceback shows the user's frame and source line, not the worker's.
    QVERIFY2(r.error().message.contains(QStringLiteral("line 2, in main")),
             qPrintable(r.error().message));
    QVERIFY(r.error().message.contains(QStringLiteral("raise ValueError('boom')")));
    QVERIFY(!r.error().message.contains(QStringLiteral("pyworker")));
    QCOMPARE(r.error().location.line, 2);

    const auto exit = python(*m_pool, "import sys\ndef main():\n    sys.exit(3)\n");
    QVERIFY(!exit);
    QCOMPARE(exit.error().code, QStringLiteral("python.error"));
    QVERIFY2(exit.error().message.contains(QStringLiteral("SystemExit: 3")),
             qPrintable(exit.error().message));
}

void tst_PythonWorker::python3SyntaxError()
{
    const auto r = python(*m_pool, "def main():\n    return {'a': 1\n");
    QVERIFY(!r);
    QCOMPARE(r.error().code, QStringLiteral("python.error"));
    QVERIFY2(r.error().message.contains(QStringLiteral("SyntaxError")),
             qPrintable(r.error().message));
    QVERIFY(r.error().location.line > 0);
}

void tst_PythonWorker::python3NonDictResult()
{
    const auto r = python(*m_pool, "def main():\n    return [1, 2]\n");
    QVERIFY(!r);
    QCOMPARE(r.error().message, QStringLiteral("Result must be a dict, got list"));
}

void tst_PythonWorker::python3MissingMain()
{
    const auto r = python(*m_pool, "def helper():\n    return {}\n");
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains(QStringLiteral("name 'main' is not defined")),
             qPrintable(r.error().message));

    const auto wrongArgs = python(*m_pool, "def main(a):\n    return {}\n", Json{{"b", 1}});
    QVERIFY(!wrongArgs);
    QVERIFY2(wrongArgs.error().message.contains(QStringLiteral("TypeError")),
             qPrintable(wrongArgs.error().message));
}

void tst_PythonWorker::python3FreshNamespace()
{
    // Globals of one run are not visible in the next (Dify starts a fresh interpreter).
    PythonWorkerPool pool(1);
    QVERIFY(python(pool, "leak = 42\ndef main():\n    return {}\n"));
    const auto r = python(pool, "def main():\n    return {'seen': 'leak' in globals()}\n");
    QVERIFY2(r, qPrintable(errorText(r)));
    QCOMPARE_JSON(r->at("result").at("seen"), Json(false));
}

void tst_PythonWorker::printDoesNotCorruptProtocol()
{
    const auto r = python(*m_pool, "import os, sys\n"
                                   "def main():\n"
                                   "    print('{\"id\": 1, \"result\": {}}')\n"
                                   "    sys.stdout.flush()\n"
                                   "    os.write(1, b'junk\\n')\n"
                                   "    return {'ok': True}\n");
    QVERIFY2(r, qPrintable(errorText(r)));
    QCOMPARE_JSON(r->at("result"), (Json{{"ok", true}}));
}

void tst_PythonWorker::networkRefused()
{
    const auto direct = python(*m_pool, "import socket\n"
                                        "def main():\n"
                                        "    socket.create_connection(('127.0.0.1', 1))\n"
                                        "    return {}\n");
    QVERIFY(!direct);
    QVERIFY2(direct.error().message.contains(
                 QStringLiteral("PermissionError: network access is not allowed in code nodes")),
             qPrintable(direct.error().message));

    // The C-level socket type and name lookups are refused as well; ssl and urllib still import.
    const auto raw = python(*m_pool, "import _socket\n"
                                     "def main():\n"
                                     "    _socket.socket()\n"
                                     "    return {}\n");
    QVERIFY(!raw);
    QVERIFY2(raw.error().message.contains(QStringLiteral("network access is not allowed")),
             qPrintable(raw.error().message));
    const auto url
        = python(*m_pool, "import urllib.request, ssl\n"
                          "def main():\n"
                          "    urllib.request.urlopen('http://example.com/', timeout=2)\n"
                          "    return {}\n");
    QVERIFY(!url);
    QVERIFY2(url.error().message.contains(QStringLiteral("network access is not allowed")),
             qPrintable(url.error().message));
}

void tst_PythonWorker::fileWritesRefused()
{
    const auto open = python(*m_pool, "def main():\n"
                                      "    with open('out.txt', 'w') as f:\n"
                                      "        f.write('data')\n"
                                      "    return {}\n");
    QVERIFY(!open);
    QVERIFY2(open.error().message.contains(QStringLiteral("PermissionError")),
             qPrintable(open.error().message));
    QVERIFY(open.error().message.contains(QStringLiteral("writing files is not allowed")));

    const auto low = python(*m_pool, "import os\n"
                                     "def main():\n"
                                     "    fd = os.open('/tmp/flowbench-should-not-exist', "
                                     "os.O_WRONLY | os.O_CREAT)\n"
                                     "    return {}\n");
    QVERIFY(!low);
    QVERIFY(!QFile::exists(QStringLiteral("/tmp/flowbench-should-not-exist")));

    const auto remove = python(*m_pool, "import os\n"
                                        "def main():\n"
                                        "    os.remove('/nonexistent-file')\n"
                                        "    return {}\n");
    QVERIFY(!remove);
    QVERIFY2(remove.error().message.contains(QStringLiteral("PermissionError")),
             qPrintable(remove.error().message));

    // Reading stays allowed.
    const auto read = python(*m_pool, "def main():\n"
                                      "    with open('/etc/hostname') as f:\n"
                                      "        return {'n': len(f.read()) >= 0}\n");
    QVERIFY2(read, qPrintable(errorText(read)));
}

void tst_PythonWorker::programsRefused()
{
    const auto r = python(*m_pool, "import subprocess\n"
                                   "def main():\n"
                                   "    subprocess.run(['true'])\n"
                                   "    return {}\n");
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains(QStringLiteral("starting programs is not allowed")),
             qPrintable(r.error().message));
}

void tst_PythonWorker::resourceLimits()
{
    const auto r
        = python(*m_pool, "import os, resource\n"
                          "def main():\n"
                          "    return {\n"
                          "        'fsize': list(resource.getrlimit(resource.RLIMIT_FSIZE)),\n"
                          "        'as': list(resource.getrlimit(resource.RLIMIT_AS)),\n"
                          "        'nofile': list(resource.getrlimit(resource.RLIMIT_NOFILE)),\n"
                          "        'cpu': list(resource.getrlimit(resource.RLIMIT_CPU)),\n"
                          "        'cwd': os.getcwd(), 'tmp': os.environ.get('TMPDIR'),\n"
                          "        'pgid_is_pid': os.getpgid(0) == os.getpid(),\n"
                          "    }\n");
    QVERIFY2(r, qPrintable(errorText(r)));
    const Json &v = r->at("result");
    QCOMPARE_JSON(v.at("fsize"), (Json{0, 0}));
    QCOMPARE(v.at("as").at(1).get<std::int64_t>(), std::int64_t(1) << 30);
    QCOMPARE(v.at("nofile").at(1).get<int>(), 64);
    QVERIFY(v.at("cpu").at(0).get<std::int64_t>() < v.at("cpu").at(1).get<std::int64_t>());
    QCOMPARE_JSON(v.at("cwd"), v.at("tmp"));
    QVERIFY(v.at("cwd").get<std::string>() != QDir::currentPath().toStdString());
    QCOMPARE_JSON(v.at("pgid_is_pid"), Json(true));
}

void tst_PythonWorker::memoryLimit()
{
    const auto r = python(*m_pool, "def main():\n"
                                   "    block = bytearray(2 * 1024 * 1024 * 1024)\n"
                                   "    return {'n': len(block)}\n");
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains(QStringLiteral("MemoryError")),
             qPrintable(r.error().message));
    // The worker survives it.
    QVERIFY(python(*m_pool, "def main():\n    return {}\n"));
}

void tst_PythonWorker::outputTooLarge()
{
    const auto r = python(*m_pool, "def main():\n    return {'s': 'x' * (11 * 1024 * 1024)}\n");
    QVERIFY(!r);
    QCOMPARE(r.error().code, QStringLiteral("python.error"));
    QVERIFY2(r.error().message.contains(QStringLiteral("too large")),
             qPrintable(r.error().message));
    QVERIFY(python(*m_pool, "def main():\n    return {}\n"));
}

void tst_PythonWorker::notJsonSerializable()
{
    const auto r = python(*m_pool, "def main():\n    return {'s': {1, 2}}\n");
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains(QStringLiteral("not JSON serializable")),
             qPrintable(r.error().message));
    const auto nan = python(*m_pool, "def main():\n    return {'x': float('nan')}\n");
    QVERIFY(!nan);
}

void tst_PythonWorker::jinja2Render()
{
    const auto r = callSync(*m_pool, QStringLiteral("jinja2"),
                            Json{{"template", "{% for x in items %}{{ x|upper }}{% endfor %}"
                                              " {{ user.name }}{{ nothing }}|{{ '<b>' }}"},
                                 {"inputs", {{"items", {"a", "b"}}, {"user", {{"name", "Ada"}}}}}});
    QVERIFY2(r, qPrintable(errorText(r)));
    // Undefined names render empty; no autoescape.
    QCOMPARE_JSON(r->at("result"), Json("AB Ada|<b>"));

    // The interface example.
    const auto example = callSync(*m_pool, QStringLiteral("jinja2"),
                                  Json{{"template", "{{ a }}!"}, {"inputs", {{"a", 1}}}});
    QVERIFY2(example, qPrintable(errorText(example)));
    QCOMPARE_JSON(example->at("result"), Json("1!"));
}

void tst_PythonWorker::jinja2Errors()
{
    const auto syntax = callSync(*m_pool, QStringLiteral("jinja2"),
                                 Json{{"template", "first\nsecond\n{% for x in items %}{{ x }"},
                                      {"inputs", Json::object()}});
    QVERIFY(!syntax);
    QCOMPARE(syntax.error().code, QStringLiteral("python.error"));
    QVERIFY2(syntax.error().message.startsWith(QStringLiteral("TemplateSyntaxError: ")),
             qPrintable(syntax.error().message));
    QVERIFY2(syntax.error().message.endsWith(QStringLiteral("(line 3)")),
             qPrintable(syntax.error().message));
    QCOMPARE(syntax.error().location.line, 3);

    const auto runtime
        = callSync(*m_pool, QStringLiteral("jinja2"),
                   Json{{"template", "ok\n{{ 1 / 0 }}"}, {"inputs", Json::object()}});
    QVERIFY(!runtime);
    QVERIFY2(runtime.error().message.contains(QStringLiteral("ZeroDivisionError")),
             qPrintable(runtime.error().message));
    QVERIFY2(runtime.error().message.contains(QStringLiteral("(line 2)")),
             qPrintable(runtime.error().message));
}

void tst_PythonWorker::jsonSchema()
{
    const Json schema = {{"type", "object"},
                         {"properties", {{"age", {{"type", "integer"}, {"minimum", 0}}}}},
                         {"required", {"age"}}};
    const auto ok = callSync(*m_pool, QStringLiteral("jsonschema"),
                             Json{{"schema", schema}, {"instance", {{"age", 3}}}});
    QVERIFY2(ok, qPrintable(errorText(ok)));
    QCOMPARE_JSON(ok->at("valid"), Json(true));
    QVERIFY(ok->at("error").is_null());

    const auto bad = callSync(*m_pool, QStringLiteral("jsonschema"),
                              Json{{"schema", schema}, {"instance", {{"age", -1}}}});
    QVERIFY2(bad, qPrintable(errorText(bad)));
    QCOMPARE_JSON(bad->at("valid"), Json(false));
    QVERIFY2(QString::fromStdString(bad->at("error").get<std::string>())
                 .contains(QStringLiteral("minimum")),
             bad->at("error").dump().c_str());

    const auto invalid = callSync(*m_pool, QStringLiteral("jsonschema"),
                                  Json{{"schema", {{"type", 5}}}, {"instance", 1}});
    QVERIFY(!invalid);
    QVERIFY2(invalid.error().message.startsWith(QStringLiteral("invalid JSON schema")),
             qPrintable(invalid.error().message));
}

void tst_PythonWorker::timeoutKillsAndRecovers()
{
    PythonWorkerPool pool(1);
    QVERIFY(python(pool, "def main():\n    return {}\n")); // warm
    QElapsedTimer clock;
    clock.start();
    const auto r
        = python(pool, "def main():\n    while True:\n        pass\n", Json::object(), 400);
    QVERIFY(!r);
    QCOMPARE(r.error().code, QStringLiteral("python.timeout"));
    QVERIFY2(r.error().message.contains(QStringLiteral("exceeded 400 ms")),
             qPrintable(r.error().message));
    QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));

    const auto next = python(pool, "import os\ndef main():\n    return {'pid': os.getpid()}\n");
    QVERIFY2(next, qPrintable(errorText(next)));
    QVERIFY(next->at("result").at("pid").get<int>() > 0);

    // Sleeping (no CPU) is caught by the wall clock too.
    const auto sleeping
        = python(pool, "import time\ndef main():\n    time.sleep(30)\n", Json::object(), 300);
    QVERIFY(!sleeping);
    QCOMPARE(sleeping.error().code, QStringLiteral("python.timeout"));
    QVERIFY(python(pool, "def main():\n    return {}\n"));
}

void tst_PythonWorker::crashReportedAndRecovers()
{
    PythonWorkerPool pool(1);
    const auto first = python(pool, "import os\ndef main():\n    return {'pid': os.getpid()}\n");
    QVERIFY2(first, qPrintable(errorText(first)));

    const auto r = python(pool, "import os\ndef main():\n    os._exit(1)\n");
    QVERIFY(!r);
    QCOMPARE(r.error().code, QStringLiteral("python.crashed"));
    QVERIFY2(r.error().message.contains(QStringLiteral("status 1")), qPrintable(r.error().message));

    const auto words = python(pool, "import os, sys\n"
                                    "def main():\n"
                                    "    sys.stderr.write('dying words\\n')\n"
                                    "    sys.stderr.flush()\n"
                                    "    os._exit(3)\n");
    QVERIFY(!words);
    QCOMPARE(words.error().code, QStringLiteral("python.crashed"));
    QVERIFY2(words.error().message.contains(QStringLiteral("dying words")),
             qPrintable(words.error().message));

    const auto next = python(pool, "import os\ndef main():\n    return {'pid': os.getpid()}\n");
    QVERIFY2(next, qPrintable(errorText(next)));
    QVERIFY(next->at("result").at("pid") != first->at("result").at("pid"));
}

void tst_PythonWorker::parallelOnTwoProcesses()
{
    PythonWorkerPool pool(2);
    const char *code = "import os, time\n"
                       "def main(delay):\n"
                       "    time.sleep(delay)\n"
                       "    return {'pid': os.getpid()}\n";
    // Start both processes first, so the measurement below is about running, not starting.
    std::vector<Result<Json>> answers;
    const auto runTwo = [&](double delay) {
        answers.clear();
        for (int i = 0; i < 2; ++i) {
            pool.call(QStringLiteral("python3"),
                      Json{{"code", code}, {"inputs", {{"delay", delay}}}}, 10000,
                      [&answers](Result<Json> r) { answers.push_back(std::move(r)); });
        }
        QTRY_COMPARE_WITH_TIMEOUT(answers.size(), std::size_t(2), 20000);
    };
    runTwo(0.05);
    QElapsedTimer clock;
    clock.start();
    runTwo(0.6);
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(answers[0] && answers[1], qPrintable(errorText(answers[0]) + errorText(answers[1])));
    QVERIFY(answers[0]->at("result").at("pid") != answers[1]->at("result").at("pid"));
    // One after the other would take 1.2 s.
    QVERIFY2(elapsed < 1100, qPrintable(QStringLiteral("%1 ms").arg(elapsed)));
}

void tst_PythonWorker::queueKeepsOrder()
{
    PythonWorkerPool pool(1);
    std::vector<int> order;
    for (int i = 0; i < 4; ++i) {
        pool.call(QStringLiteral("python3"),
                  Json{{"code", "def main(i):\n    return {'i': i}\n"}, {"inputs", {{"i", i}}}},
                  10000, [&order](Result<Json> r) {
                      order.push_back(r ? r->at("result").at("i").get<int>() : -1);
                  });
    }
    QTRY_COMPARE_WITH_TIMEOUT(order.size(), std::size_t(4), 20000);
    QCOMPARE(order, (std::vector<int>{0, 1, 2, 3}));
}

void tst_PythonWorker::cancelQueued()
{
    PythonWorkerPool pool(1);
    bool cancelledCalled = false;
    std::optional<Result<Json>> first, third;
    pool.call(QStringLiteral("python3"),
              Json{{"code", "import time\ndef main():\n    time.sleep(0.2)\n    return {}\n"}},
              10000, [&first](Result<Json> r) { first = std::move(r); });
    const quint64 second
        = pool.call(QStringLiteral("python3"), Json{{"code", "def main():\n    return {}\n"}},
                    10000, [&cancelledCalled](Result<Json>) { cancelledCalled = true; });
    pool.call(QStringLiteral("python3"), Json{{"code", "def main():\n    return {'n': 3}\n"}},
              10000, [&third](Result<Json> r) { third = std::move(r); });
    pool.cancel(second);
    QTRY_VERIFY_WITH_TIMEOUT(third.has_value(), 20000);
    QVERIFY(first.has_value() && *first);
    QVERIFY(*third);
    QVERIFY(!cancelledCalled);
}

void tst_PythonWorker::cancelRunning()
{
    PythonWorkerPool pool(1);
    QVERIFY(python(pool, "def main():\n    return {}\n")); // warm
    bool called = false;
    const quint64 id = pool.call(QStringLiteral("python3"),
                                 Json{{"code", "def main():\n    while True:\n        pass\n"}},
                                 60000, [&called](Result<Json>) { called = true; });
    QCoreApplication::processEvents(); // dispatched: now running in the worker
    pool.cancel(id);
    QElapsedTimer clock;
    clock.start();
    const auto next = python(pool, "def main():\n    return {'ok': 1}\n");
    QVERIFY2(next, qPrintable(errorText(next)));
    QVERIFY(clock.elapsed() < 5000);
    QVERIFY(!called);
}

void tst_PythonWorker::destroyWhileRunning()
{
    QElapsedTimer clock;
    clock.start();
    {
        PythonWorkerPool pool(2);
        bool called = false;
        pool.call(QStringLiteral("python3"),
                  Json{{"code", "def main():\n    while True:\n        pass\n"}}, 60000,
                  [&called](Result<Json>) { called = true; });
        QCoreApplication::processEvents();
        QVERIFY(!called);
    }
    QVERIFY(clock.elapsed() < 5000);
}

void tst_PythonWorker::missingInterpreter()
{
    qputenv("FLOWBENCH_PYTHON", "/nonexistent/python3");
    PythonWorkerPool pool(1);
    qunsetenv("FLOWBENCH_PYTHON");
    const auto r = python(pool, "def main():\n    return {}\n");
    QVERIFY(!r);
    QCOMPARE(r.error().code, QStringLiteral("python.unavailable"));
    QVERIFY2(r.error().message.contains(QStringLiteral("python3-jinja2")),
             qPrintable(r.error().message));
}

void tst_PythonWorker::missingJinja2()
{
    // An interpreter without site-packages cannot import jinja2 or jsonschema.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString wrapper = dir.filePath(QStringLiteral("python3-nosite"));
    QFile file(wrapper);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("#!/bin/sh\nexec "
               + QStandardPaths::findExecutable(QStringLiteral("python3")).toUtf8()
               + " -S \"$@\"\n");
    file.close();
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);

    qputenv("FLOWBENCH_PYTHON", wrapper.toUtf8());
    PythonWorkerPool pool(1);
    qunsetenv("FLOWBENCH_PYTHON");
    const auto jinja = callSync(pool, QStringLiteral("jinja2"),
                                Json{{"template", "{{ a }}"}, {"inputs", {{"a", 1}}}});
    QVERIFY(!jinja);
    QCOMPARE(jinja.error().code, QStringLiteral("python.unavailable"));
    QVERIFY2(jinja.error().message.contains(QStringLiteral("Install python3-jinja2")),
             qPrintable(jinja.error().message));
    const auto schema = callSync(pool, QStringLiteral("jsonschema"),
                                 Json{{"schema", Json::object()}, {"instance", 1}});
    QVERIFY(!schema);
    QCOMPARE(schema.error().code, QStringLiteral("python.unavailable"));
    QVERIFY(schema.error().message.contains(QStringLiteral("python3-jsonschema")));
    // Plain Python code still runs.
    QVERIFY(python(pool, "def main():\n    return {}\n"));
}

void tst_PythonWorker::sequentialThroughput()
{
    // Each call is made from the previous one's callback: the pure round-trip cost. A real
    // QEventLoop waits (QTRY_* polls with sleeps in between, which would be measured too).
    PythonWorkerPool pool(1);
    QVERIFY(python(pool, "def main():\n    return {}\n")); // warm
    constexpr int kCalls = 500;
    int done = 0;
    long long sum = 0;
    QEventLoop loop;
    std::function<void()> next = [&] {
        pool.call(QStringLiteral("python3"),
                  Json{{"code", "def main(i):\n    return {'i': i}\n"}, {"inputs", {{"i", done}}}},
                  5000, [&](Result<Json> r) {
                      sum += r ? r->at("result").at("i").get<int>() : -1000000;
                      if (++done < kCalls)
                          next();
                      else
                          loop.quit();
                  });
    };
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    QElapsedTimer clock;
    clock.start();
    next();
    loop.exec();
    const double perCall = clock.nsecsElapsed() / 1e6 / kCalls;
    QCOMPARE(done, kCalls);
    QCOMPARE(sum, (long long)kCalls * (kCalls - 1) / 2);
    qInfo("python3 worker round trip (warm, %d sequential calls): %.3f ms per call", kCalls,
          perCall);
}

QTEST_GUILESS_MAIN(tst_PythonWorker)
#include "tst_pythonworker.moc"

// The Code node through SingleNodeRun with real python3 processes and QJSEngine: inputs, Dify's
// output checks (data-driven), errors, time limits, the sandbox, crashes and the call overhead.
#include "nodes/codenode.h"
#include "nodes/jsrunner.h"
#include "runtime/pythonworker.h"
#include "runtime/singlenoderun.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using flowbench::nodes::CodeNode;
using flowbench::nodes::JsRunner;
using flowbench::runtime::Json;
using flowbench::runtime::NodeResult;
using flowbench::runtime::PythonWorkerPool;
using flowbench::runtime::SingleNodeRun;
using flowbench::variables::VariablePool;

Q_DECLARE_METATYPE(Json)

#define QCOMPARE_JSON(actual, expected)                                                            \
    do {                                                                                           \
        const Json actual_ = (actual);                                                             \
        const Json expected_ = (expected);                                                         \
        QVERIFY2(actual_ == expected_,                                                             \
                 qPrintable(QString::fromStdString(actual_.dump() + " != " + expected_.dump())));  \
    } while (false)

namespace {

Json codeData(const std::string &language, const std::string &code, Json outputs,
              Json variables = Json::array())
{
    return Json{{"type", "code"},
                {"title", "Code"},
                {"code_language", language},
                {"code", code},
                {"variables", std::move(variables)},
                {"outputs", std::move(outputs)}};
}

Json declare(std::initializer_list<std::pair<const char *, const char *>> outputs)
{
    Json o = Json::object();
    for (const auto &[name, type] : outputs)
        o[name] = Json{{"type", type}, {"children", nullptr}};
    return o;
}

QString describe(const NodeResult &r)
{
    if (r.status == NodeResult::Status::Succeeded)
        return QStringLiteral("succeeded: ") + QString::fromStdString(r.outputs.dump());
    return QStringLiteral("failed (%1): %2").arg(r.errorType, r.error);
}

} // namespace

class tst_CodeNode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void pythonDeclaredOutputs();
    void pythonExtraKeyFails();
    void pythonMissingKeyFails();
    void pythonWrongTypeFails();
    void pythonStringTooLongFails();
    void pythonTimeoutThenNextSucceeds();
    void pythonExceptionReported();
    void pythonNetworkRefused();
    void pythonFileWriteFails();
    void pythonCrashThenRecovers();
    void pythonTwoNodesInParallel();

    void outputChecks_data();
    void outputChecks();

    void javascriptDeclaredOutputs();
    void javascriptExtraKeyFails();
    void javascriptMissingKeyFails();
    void javascriptWrongTypeFails();
    void javascriptStringTooLongFails();
    void javascriptTimeoutThenNextSucceeds();
    void javascriptExceptionReported();
    void javascriptNoNetworkNoFiles();
    void javascriptResultMustBeObject();
    void jsRunnerReusedAfterInterrupt();
    void jsRunnerCancel();

    void unsupportedLanguage();
    void roundTripOverhead();

private:
    NodeResult run(const Json &data, VariablePool pool = {});

    std::unique_ptr<PythonWorkerPool> m_python;
};

void tst_CodeNode::initTestCase()
{
    m_python = std::make_unique<PythonWorkerPool>(2);
}

void tst_CodeNode::cleanup()
{
    CodeNode::setTimeLimitForTesting(0);
}

NodeResult tst_CodeNode::run(const Json &data, VariablePool pool)
{
    SingleNodeRun single;
    single.setPythonWorkers(m_python.get());
    QSignalSpy finished(&single, &SingleNodeRun::finished);
    single.start(QStringLiteral("code"), QStringLiteral("code1"), data, std::move(pool));
    if (finished.isEmpty() && !finished.wait(60000))
        return NodeResult::failure(QStringLiteral("no answer"), QStringLiteral("Test"));
    return single.result();
}

void tst_CodeNode::pythonDeclaredOutputs()
{
    VariablePool pool;
    pool.set("start", "x", 2);
    pool.set("start", "name", "ada");
    pool.set("start", "profile", Json{{"langs", {"py", "js"}}});
    const Json variables = Json::array({
        {{"variable", "x"}, {"value_selector", {"start", "x"}}},
        {{"variable", "name"}, {"value_selector", {"start", "name"}}},
        {{"variable", "langs"}, {"value_selector", {"start", "profile", "langs"}}},
        {{"variable", "missing"}, {"value_selector", {"start", "nope"}}},
    });
    const char *code = "def main(x: int, name: str, langs: list, missing) -> dict:\n"
                       "    return {\n"
                       "        'doubled': x * 2,\n"
                       "        'greeting': f'hi {name}',\n"
                       "        'missing_is_none': missing is None,\n"
                       "        'langs': [l.upper() for l in langs],\n"
                       "        'info': {'n': len(langs), 'ratio': 0.5},\n"
                       "    }\n";
    Json outputs = declare({{"doubled", "number"},
                            {"greeting", "string"},
                            {"missing_is_none", "boolean"},
                            {"langs", "array[string]"}});
    outputs["info"]
        = Json{{"type", "object"},
               {"children", {{"n", {{"type", "number"}}}, {"ratio", {{"type", "number"}}}}}};
    const NodeResult r = run(codeData("python3", code, outputs, variables), pool);
    QVERIFY2(r.status == NodeResult::Status::Succeeded, qPrintable(describe(r)));
    QCOMPARE_JSON(r.outputs, (Json{{"doubled", 4},
                                   {"greeting", "hi ada"},
                                   {"missing_is_none", true},
                                   {"langs", {"PY", "JS"}},
                                   {"info", {{"n", 2}, {"ratio", 0.5}}}}));
    // The inputs are what the code saw, a missing variable as null.
    QCOMPARE_JSON(r.inputs,
                  (Json{{"x", 2}, {"name", "ada"}, {"langs", {"py", "js"}}, {"missing", nullptr}}));
}

void tst_CodeNode::pythonExtraKeyFails()
{
    const NodeResult r = run(codeData("python3", "def main():\n    return {'a': 1, 'b': 2}\n",
                                      declare({{"a", "number"}})));
    QVERIFY(r.status == NodeResult::Status::Failed);
    QCOMPARE(r.errorType, QStringLiteral("CodeNodeError"));
    QCOMPARE(r.error, QStringLiteral("Not all output parameters are validated."));
}

void tst_CodeNode::pythonMissingKeyFails()
{
    const NodeResult r = run(codeData("python3", "def main():\n    return {'a': 1}\n",
                                      declare({{"a", "number"}, {"b", "string"}})));
    QVERIFY(r.status == NodeResult::Status::Failed);
    QCOMPARE(r.errorType, QStringLiteral("OutputValidationError"));
    QCOMPARE(r.error, QStringLiteral("Output b is missing."));
}

void tst_CodeNode::pythonWrongTypeFails()
{
    const NodeResult r = run(
        codeData("python3", "def main():\n    return {'s': 5}\n", declare({{"s", "string"}})));
    QVERIFY(r.status == NodeResult::Status::Failed);
    QCOMPARE(r.errorType, QStringLiteral("OutputValidationError"));
    QCOMPARE(r.error, QStringLiteral("Output s must be a string, got int instead"));

    const NodeResult n = run(
        codeData("python3", "def main():\n    return {'n': 'five'}\n", declare({{"n", "number"}})));
    QVERIFY(n.status == NodeResult::Status::Failed);
    QCOMPARE(n.error, QStringLiteral("Output n is not a number, got <class 'str'> instead."));
}

void tst_CodeNode::pythonStringTooLongFails()
{
    const NodeResult r = run(codeData("python3", "def main():\n    return {'s': 'é' * 400001}\n",
                                      declare({{"s", "string"}})));
    QVERIFY(r.status == NodeResult::Status::Failed);
    QCOMPARE(r.error, QStringLiteral("The length of output variable `s` must be less than 400000 "
                                     "characters"));
    // The limit counts characters, not bytes: exactly 400 000 two-byte characters pass.
    const NodeResult ok = run(codeData("python3", "def main():\n    return {'s': 'é' * 400000}\n",
                                       declare({{"s", "string"}})));
    QVERIFY2(ok.status == NodeResult::Status::Succeeded, qPrintable(describe(ok)));
}

void tst_CodeNode::pythonTimeoutThenNextSucceeds()
{
    QCOMPARE(CodeNode::timeLimitMs(), CodeNode::kDefaultTimeLimitMs);
    CodeNode::setTimeLimitForTesting(500);
    QElapsedTimer clock;
    clock.start();
    const NodeResult r = run(codeData("python3", "def main():\n    while True:\n        pass\n",
                                      declare({{"a", "number"}})));
    QVERIFY(r.status == NodeResult::Status::Failed);
    QCOMPARE(r.errorType, QStringLiteral("CodeExecutionError"));
    QVERIFY2(r.error.contains(QStringLiteral("exceeded 500 ms")), qPrintable(r.error));
    QVERIFY(clock.elapsed() < 5000);

    CodeNode::setTimeLimitForTesting(0);
    const NodeResult next = run(
        codeData("python3", "def main():\n    return {'a': 1}\n", declare({{"a", "number"}})));
    QVERIFY2(next.status == NodeResult::Status::Succeeded, qPrintable(describe(next)));
}

void tst_CodeNode::pythonExceptionReported()
{
    const NodeResult r = run(codeData("python3", "def main():\n    raise ValueError(\"boom\")\n",
                                      declare({{"a", "number"}})));
    QVERIFY(r.status == NodeResult::Status::Failed);
    QCOMPARE(r.errorType, QStringLiteral("CodeExecutionError"));
    QVERIFY2(r.error.contains(QStringLiteral("ValueError: boom")), qPrintable(r.error));
    QVERIFY(r.error.contains(QStringLiteral("line 2")));
}

void tst_CodeNode::pythonNetworkRefused()
{
    const NodeResult r = run(codeData("python3",
                                      "import socket\n"
                                      "def main():\n"
                                      "    socket.create_connection((\"127.0.0.1\", 1))\n"
                                      "    return {'a': 1}\n",
                                      declare({{"a", "number"}})));
    QVERIFY(r.status == NodeResult::Status::Failed);
    QVERIFY2(r.error.contains(QStringLiteral("network access is not allowed in code nodes")),
             qPrintable(r.error));
}

void tst_CodeNode::pythonFileWriteFails()
{
    const NodeResult r = run(codeData("python3",
                                      "def main():\n"
                                      "    with open('notes.txt', 'w') as f:\n"
                                      "        f.write('hello')\n"
                                      "    return {'a': 1}\n",
                                      declare({{"a", "number"}})));
    QVERIFY(r.status == NodeResult::Status::Failed);
    QVERIFY2(r.error.contains(QStringLiteral("PermissionError")), qPrintable(r.error));
}

void tst_CodeNode::pythonCrashThenRecovers()
{
    const NodeResult r = run(codeData("python3", "import os\ndef main():\n    os._exit(1)\n",
                                      declare({{"a", "number"}})));
    QVERIFY(r.status == NodeResult::Status::Failed);
    QCOMPARE(r.errorType, QStringLiteral("CodeExecutionError"));
    QVERIFY2(r.error.contains(QStringLiteral("exited with status 1")), qPrintable(r.error));
    const NodeResult next = run(
        codeData("python3", "def main():\n    return {'a': 1}\n", declare({{"a", "number"}})));
    QVERIFY2(next.status == NodeResult::Status::Succeeded, qPrintable(describe(next)));
}

void tst_CodeNode::pythonTwoNodesInParallel()
{
    PythonWorkerPool workers(2);
    const Json data = codeData("python3",
                               "import os, time\n"
                               "def main():\n"
                               "    time.sleep(0.4)\n"
                               "    return {'pid': os.getpid()}\n",
                               declare({{"pid", "number"}}));
    SingleNodeRun first, second;
    first.setPythonWorkers(&workers);
    second.setPythonWorkers(&workers);
    QSignalSpy firstDone(&first, &SingleNodeRun::finished);
    QSignalSpy secondDone(&second, &SingleNodeRun::finished);
    first.start(QStringLiteral("code"), QStringLiteral("a"), data, {});
    second.start(QStringLiteral("code"), QStringLiteral("b"), data, {});
    QTRY_VERIFY_WITH_TIMEOUT(!firstDone.isEmpty() && !secondDone.isEmpty(), 20000);
    QVERIFY2(first.result().status == NodeResult::Status::Succeeded,
             qPrintable(describe(first.result())));
    QVERIFY2(second.result().status == NodeResult::Status::Succeeded,
             qPrintable(describe(second.result())));
    QVERIFY(first.result().outputs.at("pid") != second.result().outputs.at("pid"));
}

// Dify 1.12.1's CodeNode._transform_result, row by row. The value goes through Python
// (`main(v)` returns it), so it arrives with the types Python gives it.
void tst_CodeNode::outputChecks_data()
{
    QTest::addColumn<Json>("outputs");
    QTest::addColumn<Json>("value");
    QTest::addColumn<QString>("errorType"); // empty: succeeds
    QTest::addColumn<QString>("error");     // or the expected outputs, as JSON text

    const auto one = [](const char *type) { return declare({{"a", type}}); };
    const char *ok = "";
    const char *validation = "OutputValidationError";
    const auto row = [](const char *name, const Json &outputs, const Json &value,
                        const char *errorType, const std::string &expected) {
        QTest::newRow(name) << outputs << value << QString::fromUtf8(errorType)
                            << QString::fromStdString(expected);
    };

    row("number int", one("number"), Json{{"a", 3}}, ok, R"({"a":3})");
    row("number float", one("number"), Json{{"a", 0.1}}, ok, R"({"a":0.1})");
    row("number bool becomes int", one("number"), Json{{"a", true}}, ok, R"({"a":1})");
    row("number null", one("number"), Json{{"a", nullptr}}, ok, R"({"a":null})");
    row("number max", one("number"), Json{{"a", 9223372036854775807LL}}, ok,
        R"({"a":9223372036854775807})");
    row("number above max", one("number"), Json{{"a", 9223372036854775808ULL}}, validation,
        "Output variable `a` is out of range, it must be between -9223372036854775807 and "
        "9223372036854775807.");
    row("number below min", one("number"), Json{{"a", std::numeric_limits<std::int64_t>::min()}},
        validation,
        "Output variable `a` is out of range, it must be between -9223372036854775807 and "
        "9223372036854775807.");
    row("float 20 decimals", one("number"), Json{{"a", 1e-20}}, ok, R"({"a":1e-20})");
    row("float 21 decimals", one("number"), Json{{"a", 1.5e-20}}, validation,
        "Output variable `a` has too high precision, it must be less than 20 digits.");
    row("float big, no decimals", one("number"), Json{{"a", 1e16}}, ok, R"({"a":1e16})");
    row("scientific string becomes number", one("number"), Json{{"a", "1.5e+3"}}, ok,
        R"({"a":1500.0})");
    row("scientific needs an exponent sign (Dify's pattern)", one("number"), Json{{"a", "1.5e3"}},
        validation, "Output a is not a number, got <class 'str'> instead.");
    row("scientific string is no longer a string", one("string"), Json{{"a", "2E-3"}}, validation,
        "Output a must be a string, got float instead");
    row("string null", one("string"), Json{{"a", nullptr}}, ok, R"({"a":null})");
    row("string NULs stripped", one("string"), Json{{"a", std::string("x\0y", 3)}}, ok,
        R"({"a":"xy"})");
    row("boolean is not type-checked (Dify)", one("boolean"), Json{{"a", "yes"}}, ok,
        R"({"a":"yes"})");
    row("object wrong type", one("object"), Json{{"a", {1}}}, validation,
        "Output a is not an object, got <class 'list'> instead.");
    row("object without children keeps everything", one("object"),
        Json{{"a", {{"k", {1, 2}}, {"s", "t"}}}}, ok, R"({"a":{"k":[1,2],"s":"t"}})");
    row("object too deep", one("object"),
        Json{{"a", {{"b", {{"c", {{"d", {{"e", {{"f", 1}}}}}}}}}}}}, "DepthLimitError",
        "Depth limit 5 reached, object too deep.");
    row("object depth 5 is fine", one("object"), Json{{"a", {{"b", {{"c", {{"d", {{"e", 1}}}}}}}}}},
        ok, R"({"a":{"b":{"c":{"d":{"e":1}}}}})");
    // Objects below a declared object get Dify's ".a" prefix.
    row("untyped mixed array", one("object"), Json{{"a", {{"k", {1, "x"}}}}}, validation,
        "Output .a.k is not a valid array. make sure all elements are of the same type.");
    const Json withChildren
        = {{"a", {{"type", "object"}, {"children", {{"b", {{"type", "string"}}}}}}}};
    row("children missing key (Dify's leading dot)", withChildren, Json{{"a", Json::object()}},
        validation, "Output .a.b is missing.");
    row("children extra key", withChildren, Json{{"a", {{"b", "x"}, {"c", 1}}}}, "CodeNodeError",
        "Not all output parameters are validated.");
    row("array[string] 30", one("array[string]"), Json{{"a", Json(30, "s")}}, ok,
        Json{{"a", Json(30, "s")}}.dump());
    row("array[string] 31", one("array[string]"), Json{{"a", Json(31, "s")}}, validation,
        "The length of output variable `a` must be less than 30 elements.");
    row("array[string] not array", one("array[string]"), Json{{"a", "s"}}, validation,
        "Output a is not an array, got <class 'str'> instead.");
    row("array[number] 1001", one("array[number]"), Json{{"a", Json(1001, 1)}}, validation,
        "The length of output variable `a` must be less than 1000 elements.");
    row("array[number] element", one("array[number]"), Json{{"a", {1, "2"}}}, validation,
        "The element at index 1 of output variable `a` must be a number.");
    row("array[number] bools become ints", one("array[number]"), Json{{"a", {true, 2.5}}}, ok,
        R"({"a":[1,2.5]})");
    row("array[object] 31", one("array[object]"), Json{{"a", Json(31, Json::object())}}, validation,
        "The length of output variable `a` must be less than 30 elements.");
    row("array[object] element", one("array[object]"), Json{{"a", {Json::object(), 1}}}, validation,
        "Output a[1] is not an object, got <class 'int'> instead at index 1.");
    row("array[object] with null", one("array[object]"), Json{{"a", {nullptr, {{"k", 1}}}}}, ok,
        R"({"a":[null,{"k":1}]})");
    row("array[boolean] element", one("array[boolean]"), Json{{"a", {true, 1}}}, validation,
        "Output a[1] is not a boolean, got <class 'int'> instead.");
    row("unsupported type", one("array[file]"), Json{{"a", Json::array()}}, validation,
        "Output type array[file] is not supported.");
}

void tst_CodeNode::outputChecks()
{
    QFETCH(Json, outputs);
    QFETCH(Json, value);
    QFETCH(QString, errorType);
    QFETCH(QString, error);
    VariablePool pool;
    pool.set("start", "v", value);
    const Json data
        = codeData("python3", "def main(v):\n    return v\n", outputs,
                   Json::array({{{"variable", "v"}, {"value_selector", {"start", "v"}}}}));
    const NodeResult r = run(data, pool);
    if (errorType.isEmpty()) {
        QVERIFY2(r.status == NodeResult::Status::Succeeded, qPrintable(describe(r)));
        QCOMPARE_JSON(r.outputs, Json::parse(error.toStdString()));
    } else {
        QVERIFY2(r.status == NodeResult::Status::Failed, qPrintable(describe(r)));
        QCOMPARE(r.errorType, errorType);
        QCOMPARE(r.error, error);
    }
}

void tst_CodeNode::javascriptDeclaredOutputs()
{
    VariablePool pool;
    pool.set("start", "x", 2);
    pool.set("start", "name", "ada");
    const Json variables = Json::array({
        {{"variable", "x"}, {"value_selector", {"start", "x"}}},
        {{"variable", "name"}, {"value_selector", {"start", "name"}}},
        {{"variable", "missing"}, {"value_selector", {"start", "nope"}}},
    });
    const char *code = "function main({x, name, missing}) {\n"
                       "    console.log('ignored');\n"
                       "    return {doubled: x * 2, greeting: `hi ${name}`,\n"
                       "            missing_is_null: missing === null, ratio: 0.25,\n"
                       "            dropped: undefined};\n"
                       "}\n";
    const Json outputs = declare({{"doubled", "number"},
                                  {"greeting", "string"},
                                  {"missing_is_null", "boolean"},
                                  {"ratio", "number"}});
    const NodeResult r = run(codeData("javascript", code, outputs, variables), pool);
    QVERIFY2(r.status == NodeResult::Status::Succeeded, qPrintable(describe(r)));
    QCOMPARE_JSON(
        r.outputs,
        (Json{{"doubled", 4}, {"greeting", "hi ada"}, {"missing_is_null", true}, {"ratio", 0.25}}));
    QVERIFY(r.outputs.at("doubled").is_number_integer());
    QCOMPARE_JSON(r.inputs, (Json{{"x", 2}, {"name", "ada"}, {"missing", nullptr}}));
}

void tst_CodeNode::javascriptExtraKeyFails()
{
    const NodeResult r = run(codeData("javascript", "function main() { return {a: 1, b: 2}; }",
                                      declare({{"a", "number"}})));
    QVERIFY(r.status == NodeResult::Status::Failed);
    QCOMPARE(r.errorType, QStringLiteral("CodeNodeError"));
    QCOMPARE(r.error, QStringLiteral("Not all output parameters are validated."));
}

void tst_CodeNode::javascriptMissingKeyFails()
{
    const NodeResult r = run(codeData("javascript", "function main() { return {a: 1}; }",
                                      declare({{"a", "number"}, {"b", "string"}})));
    QVERIFY(r.status == NodeResult::Status::Failed);
    QCOMPARE(r.error, QStringLiteral("Output b is missing."));
}

void tst_CodeNode::javascriptWrongTypeFails()
{
    const NodeResult r = run(
        codeData("javascript", "function main() { return {s: [1]}; }", declare({{"s", "string"}})));
    QVERIFY(r.status == NodeResult::Status::Failed);
    QCOMPARE(r.errorType, QStringLiteral("OutputValidationError"));
    QCOMPARE(r.error, QStringLiteral("Output s must be a string, got list instead"));
}

void tst_CodeNode::javascriptStringTooLongFails()
{
    const NodeResult r
        = run(codeData("javascript", "function main() { return {s: 'x'.repeat(400001)}; }",
                       declare({{"s", "string"}})));
    QVERIFY(r.status == NodeResult::Status::Failed);
    QCOMPARE(r.error, QStringLiteral("The length of output variable `s` must be less than 400000 "
                                     "characters"));
}

void tst_CodeNode::javascriptTimeoutThenNextSucceeds()
{
    CodeNode::setTimeLimitForTesting(300);
    QElapsedTimer clock;
    clock.start();
    const NodeResult r = run(
        codeData("javascript", "function main() { for (;;) {} }", declare({{"a", "number"}})));
    QVERIFY(r.status == NodeResult::Status::Failed);
    QCOMPARE(r.errorType, QStringLiteral("CodeExecutionError"));
    QVERIFY2(r.error.contains(QStringLiteral("exceeded 300 ms")), qPrintable(r.error));
    QVERIFY(clock.elapsed() < 5000);
    CodeNode::setTimeLimitForTesting(0);
    const NodeResult next = run(
        codeData("javascript", "function main() { return {a: 1}; }", declare({{"a", "number"}})));
    QVERIFY2(next.status == NodeResult::Status::Succeeded, qPrintable(describe(next)));
}

void tst_CodeNode::javascriptExceptionReported()
{
    const NodeResult r
        = run(codeData("javascript", "function main() {\n  throw new Error('boom');\n}\n",
                       declare({{"a", "number"}})));
    QVERIFY(r.status == NodeResult::Status::Failed);
    QCOMPARE(r.errorType, QStringLiteral("CodeExecutionError"));
    QCOMPARE(r.error, QStringLiteral("Error: boom (line 2)"));

    const NodeResult reference = run(codeData(
        "javascript", "function main() {\n\n  return {a: nope};\n}\n", declare({{"a", "number"}})));
    QVERIFY(reference.status == NodeResult::Status::Failed);
    QVERIFY2(reference.error.startsWith(QStringLiteral("ReferenceError: nope is not defined")),
             qPrintable(reference.error));
    QVERIFY2(reference.error.contains(QStringLiteral("line 3")), qPrintable(reference.error));

    const NodeResult syntax = run(codeData("javascript", "function main() {\n  return {a: 1;\n}",
                                           declare({{"a", "number"}})));
    QVERIFY(syntax.status == NodeResult::Status::Failed);
    QVERIFY2(syntax.error.startsWith(QStringLiteral("SyntaxError")), qPrintable(syntax.error));

    const NodeResult thrown = run(
        codeData("javascript", "function main() { throw 'plain'; }", declare({{"a", "number"}})));
    QVERIFY(thrown.status == NodeResult::Status::Failed);
    QVERIFY2(thrown.error.contains(QStringLiteral("plain")), qPrintable(thrown.error));
}

void tst_CodeNode::javascriptNoNetworkNoFiles()
{
    const NodeResult r = run(codeData(
        "javascript",
        "function main() { return {types: [typeof XMLHttpRequest, typeof fetch, typeof require,"
        " typeof process, typeof Qt, typeof WebSocket, typeof console]}; }",
        declare({{"types", "array[string]"}})));
    QVERIFY2(r.status == NodeResult::Status::Succeeded, qPrintable(describe(r)));
    QCOMPARE_JSON(r.outputs.at("types"), (Json{"undefined", "undefined", "undefined", "undefined",
                                               "undefined", "undefined", "object"}));

    const NodeResult xhr = run(codeData(
        "javascript", "function main() { new XMLHttpRequest(); return {}; }", Json::object()));
    QVERIFY(xhr.status == NodeResult::Status::Failed);
    QVERIFY2(xhr.error.contains(QStringLiteral("ReferenceError")), qPrintable(xhr.error));
    const NodeResult fs = run(codeData("javascript",
                                       "function main() { require('fs').writeFileSync('x', 'y');"
                                       " return {}; }",
                                       Json::object()));
    QVERIFY(fs.status == NodeResult::Status::Failed);
    QVERIFY2(fs.error.contains(QStringLiteral("require")), qPrintable(fs.error));
}

void tst_CodeNode::javascriptResultMustBeObject()
{
    const NodeResult none = run(codeData("javascript", "function main() { }", Json::object()));
    QVERIFY(none.status == NodeResult::Status::Failed);
    QCOMPARE(none.error, QStringLiteral("main() must return an object, got undefined."));
    const NodeResult function
        = run(codeData("javascript", "function main() { return main; }", Json::object()));
    QVERIFY(function.status == NodeResult::Status::Failed);
    QCOMPARE(function.error, QStringLiteral("main() must return an object, got a function."));
    const NodeResult array
        = run(codeData("javascript", "function main() { return [1]; }", Json::object()));
    QVERIFY(array.status == NodeResult::Status::Failed);
    QCOMPARE(array.error, QStringLiteral("main() must return an object, got an array."));
    const NodeResult noMain = run(codeData("javascript", "function helper() {}", Json::object()));
    QVERIFY(noMain.status == NodeResult::Status::Failed);
    QVERIFY2(noMain.error.contains(QStringLiteral("main is not defined")),
             qPrintable(noMain.error));
}

void tst_CodeNode::jsRunnerReusedAfterInterrupt()
{
    JsRunner js;
    QElapsedTimer clock;
    clock.start();
    const auto looped
        = js.run(QStringLiteral("function main() { while (true) {} }"), Json::object(), 200);
    QVERIFY(!looped);
    QCOMPARE(looped.error().code, QStringLiteral("javascript.timeout"));
    QVERIFY(clock.elapsed() < 3000);

    const auto again = js.run(QStringLiteral("var leaked = 1;\n"
                                             "function main({a}) { return {b: a + 1}; }"),
                              Json{{"a", 1}}, 1000);
    QVERIFY2(again, again ? "" : qPrintable(again.error().message));
    QCOMPARE_JSON(*again, (Json{{"b", 2}}));
    // Declarations stay inside each run.
    const auto isolated = js.run(QStringLiteral("function main() { return {t: typeof leaked}; }"),
                                 Json::object(), 1000);
    QVERIFY(isolated);
    QCOMPARE_JSON(*isolated, (Json{{"t", "undefined"}}));
    // Deep recursion is a clean error, not a crash.
    const auto deep = js.run(QStringLiteral("function f(n) { return f(n + 1); }\n"
                                            "function main() { return {x: f(0)}; }"),
                             Json::object(), 5000);
    QVERIFY(!deep);
    QVERIFY2(deep.error().message.contains(QStringLiteral("RangeError")),
             qPrintable(deep.error().message));
}

void tst_CodeNode::jsRunnerCancel()
{
    JsRunner js;
    std::atomic<bool> cancelled{false};
    std::thread canceller([&cancelled] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        cancelled = true;
    });
    QElapsedTimer clock;
    clock.start();
    const auto r = js.run(QStringLiteral("function main() { for (;;) {} }"), Json::object(), 10000,
                          &cancelled);
    canceller.join();
    QVERIFY(!r);
    QCOMPARE(r.error().code, QStringLiteral("javascript.cancelled"));
    QVERIFY(clock.elapsed() < 2000);
}

void tst_CodeNode::unsupportedLanguage()
{
    const NodeResult r = run(codeData("ruby", "def main; end", Json::object()));
    QVERIFY(r.status == NodeResult::Status::Failed);
    QCOMPARE(r.errorType, QStringLiteral("CodeNodeError"));
    QCOMPARE(r.error, QStringLiteral("Unsupported code language: ruby"));
}

void tst_CodeNode::roundTripOverhead()
{
    const Json python
        = codeData("python3", "def main(a):\n    return {'b': a + 1}\n", declare({{"b", "number"}}),
                   Json::array({{{"variable", "a"}, {"value_selector", {"s", "a"}}}}));
    const Json javascript = codeData(
        "javascript", "function main({a}) { return {b: a + 1}; }", declare({{"b", "number"}}),
        Json::array({{{"variable", "a"}, {"value_selector", {"s", "a"}}}}));
    VariablePool pool;
    pool.set("s", "a", 1);
    struct Timing
    {
        double median = -1;
        double mean = -1;
    };
    const auto measure = [&](const Json &data) {
        for (int i = 0; i < 3; ++i) // warm: processes started, code paths hot
            run(data, pool);
        std::vector<double> ms;
        for (int i = 0; i < 50; ++i) {
            QElapsedTimer clock;
            clock.start();
            const NodeResult r = run(data, pool);
            ms.push_back(clock.nsecsElapsed() / 1e6);
            if (r.status != NodeResult::Status::Succeeded || r.outputs.value("b", 0) != 2)
                return Timing{};
        }
        std::sort(ms.begin(), ms.end());
        double sum = 0;
        for (const double m : ms)
            sum += m;
        return Timing{ms[ms.size() / 2], sum / double(ms.size())};
    };
    const Timing pythonMs = measure(python);
    const Timing javascriptMs = measure(javascript);
    QVERIFY(pythonMs.median >= 0);
    QVERIFY(javascriptMs.median >= 0);
    qInfo("code node round trip through SingleNodeRun (warm, 50 runs): python3 median %.3f ms, "
          "mean %.3f ms; javascript (fresh QJSEngine per run) median %.3f ms, mean %.3f ms",
          pythonMs.median, pythonMs.mean, javascriptMs.median, javascriptMs.mean);
}

QTEST_GUILESS_MAIN(tst_CodeNode)
#include "tst_codenode.moc"

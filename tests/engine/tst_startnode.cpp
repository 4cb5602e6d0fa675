// The Start node: Dify's input checks (BaseAppGenerator._validate_inputs plus the node's own
// json_object schema check), rule by rule, run through SingleNodeRun.
#include <QSignalSpy>
#include <QTest>

#include "runtime/pythonworker.h"
#include "runtime/singlenoderun.h"
#include "variables/value.h"

#include <memory>

using flowbench::runtime::NodeResult;
using flowbench::runtime::PythonWorkerPool;
using flowbench::runtime::SingleNodeRun;
using flowbench::variables::VariablePool;
using Json = nlohmann::json;

#define JSON_COMPARE(actual, expected)                                                             \
    do {                                                                                           \
        const Json a_ = (actual);                                                                  \
        const Json e_ = (expected);                                                                \
        QVERIFY2(a_ == e_, qPrintable(QString::fromStdString(a_.dump() + " != " + e_.dump())));    \
    } while (false)

namespace {

Json file(const char *name)
{
    return Json{{"dify_model_identity", "__dify__file__"},
                {"name", name},
                {"type", "document"},
                {"extension", ".txt"},
                {"transfer_method", "local_file"},
                {"size", 3}};
}

} // namespace

class TestStartNode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void inputs_data();
    void inputs();
    void systemVariablesAndSeveralInputs();
    void jsonSchema_data();
    void jsonSchema();
    void stopWhileCheckingSchema();

private:
    NodeResult run(const Json &variables, const Json &inputs, VariablePool pool = {});

    std::unique_ptr<PythonWorkerPool> m_python;
};

void TestStartNode::initTestCase()
{
    m_python = std::make_unique<PythonWorkerPool>(1);
}

NodeResult TestStartNode::run(const Json &variables, const Json &inputs, VariablePool pool)
{
    for (auto it = inputs.begin(); it != inputs.end(); ++it)
        pool.set("__inputs__", it.key(), it.value());
    SingleNodeRun runner;
    runner.setPythonWorkers(m_python.get());
    QSignalSpy finished(&runner, &SingleNodeRun::finished);
    runner.start(QStringLiteral("start"), QStringLiteral("start"), Json{{"variables", variables}},
                 std::move(pool));
    if (finished.isEmpty())
        finished.wait(20000);
    if (finished.count() != 1)
        return NodeResult::failure(QStringLiteral("the node did not finish exactly once"));
    return runner.result();
}

void TestStartNode::inputs_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("settings"); // JSON merged into the variable declaration
    QTest::addColumn<QString>("input");    // JSON of the user input for `q`; empty: absent
    QTest::addColumn<QString>("expected"); // JSON of outputs.q, or "!" + part of the error

    const auto row = [](const char *name, const char *type, const char *settings, const char *input,
                        const std::string &expected) {
        QTest::newRow(name) << QString::fromUtf8(type) << QString::fromUtf8(settings)
                            << QString::fromUtf8(input) << QString::fromStdString(expected);
    };
    const std::string f = file("a.txt").dump();
    const std::string files = Json::array({file("a.txt"), file("b.txt")}).dump();

    // required, default
    row("text", "text-input", "{}", R"("abc")", R"("abc")");
    row("required missing", "text-input", R"({"required":true})", "",
        "!q is required in input form");
    row("required null", "text-input", R"({"required":true})", "null",
        "!q is required in input form");
    row("required empty string", "paragraph", R"({"required":true})", R"("")",
        "!q is required in input form");
    row("required number missing", "number", R"({"required":true})", "",
        "!q is required in input form");
    row("required missing uses default", "text-input", R"({"required":true,"default":"d"})", "",
        R"("d")");
    row("required empty uses default", "text-input", R"({"required":true,"default":"d"})", R"("")",
        R"("d")");
    row("required empty default is no default", "text-input", R"({"required":true,"default":""})",
        "", "!q is required in input form");
    row("optional missing", "text-input", "{}", "", "null");
    row("optional missing uses default", "text-input", R"({"default":"d"})", "", R"("d")");
    row("optional empty stays", "text-input", R"({"default":"d"})", R"("")", R"("")");
    row("default is validated", "number", R"({"default":"4"})", "", "4");
    // strings
    row("text not string", "text-input", "{}", "5",
        "!(type 'text-input') q in input form must be a string");
    row("paragraph not string", "paragraph", "{}", "[1]",
        "!(type 'paragraph') q in input form must be a string");
    row("select", "select", R"({"options":["a","b"]})", R"("a")", R"("a")");
    row("select not an option", "select", R"({"options":["a","b"]})", R"("c")",
        "!q in input form must be one of the following: ['a', 'b']");
    row("select not string", "select", R"({"options":["1"]})", "1",
        "!(type 'select') q in input form must be a string");
    row("max_length counts characters", "text-input", R"({"max_length":5})", R"("héllo")",
        R"("héllo")");
    row("max_length exceeded", "paragraph", R"({"max_length":5})", R"("héllo!")",
        "!q in input form must be less than 5 characters");
    row("max_length 0 is no limit", "text-input", R"({"max_length":0})", R"("long text")",
        R"("long text")");
    row("max_length null is no limit", "text-input", R"({"max_length":null})", R"("long")",
        R"("long")");
    row("NUL stripped", "text-input", "{}", R"("a\u0000b\u0000")", R"("ab")");
    // numbers
    row("number int string", "number", "{}", R"("3")", "3");
    row("number float string", "number", "{}", R"("1.5")", "1.5");
    row("number spaced string", "number", "{}", R"(" 42 ")", "42");
    row("number empty string", "number", "{}", R"("")", "null");
    row("number blank string", "number", "{}", R"("  ")", "null");
    row("number int", "number", "{}", "7", "7");
    row("number float", "number", "{}", "2.5", "2.5");
    row("number text", "number", "{}", R"("abc")", "!q in input form must be a valid number");
    row("number 1e3 is not int()", "number", "{}", R"("1e3")",
        "!q in input form must be a valid number");
    row("number object", "number", "{}", R"({"a":1})", "!q in input form must be a number");
    // checkbox
    row("checkbox true", "checkbox", "{}", R"("true")", "true");
    row("checkbox Yes", "checkbox", "{}", R"(" Yes ")", "true");
    row("checkbox off", "checkbox", "{}", R"("off")", "false");
    row("checkbox 0 string", "checkbox", "{}", R"("0")", "false");
    row("checkbox 1", "checkbox", "{}", "1", "true");
    row("checkbox 0", "checkbox", "{}", "0", "false");
    row("checkbox bool", "checkbox", "{}", "false", "false");
    row("checkbox other text stays", "checkbox", "{}", R"("maybe")", R"("maybe")");
    // files
    row("file", "file", "{}", f.c_str(), f);
    row("file not a file", "file", R"({"required":true})", R"("x")",
        "!q in input form must be a file");
    row("file plain object", "file", "{}", R"({"name":"a"})", "!q in input form must be a file");
    row("optional file empty string", "file", "{}", R"("")", "null");
    row("file-list", "file-list", "{}", files.c_str(), files);
    row("file-list empty", "file-list", "{}", "[]", "[]");
    row("file-list with a non-file", "file-list", "{}", R"([1])",
        "!q in input form must be a list of files");
    row("file-list not a list", "file-list", "{}", f.c_str(),
        "!q in input form must be a list of files");
    row("file-list max_length", "file-list", R"({"max_length":1})", files.c_str(),
        "!q in input form must be less than 1 files");
    // json_object without a schema
    row("json object", "json_object", "{}", R"({"a":1})", R"({"a":1})");
    row("json object from text", "json_object", "{}", R"("{\"a\":1}")", R"({"a":1})");
    row("json object empty", "json_object", "{}", "{}", "{}");
    row("json object list", "json_object", "{}", "[1]", "!q in input form must be a dict");
    row("json object text not object", "json_object", "{}", R"("[1]")",
        "!q in input form must be a dict");
    row("json object required missing", "json_object", R"({"required":true})", "",
        "!q is required in input form");
}

void TestStartNode::inputs()
{
    QFETCH(QString, type);
    QFETCH(QString, settings);
    QFETCH(QString, input);
    QFETCH(QString, expected);

    Json variable = Json::parse(settings.toStdString());
    variable["variable"] = "q";
    variable["label"] = "Question";
    variable["type"] = type.toStdString();
    Json inputs = Json::object();
    if (!input.isEmpty())
        inputs["q"] = Json::parse(input.toStdString());

    const NodeResult result = run(Json::array({variable}), inputs);
    if (expected.startsWith(QLatin1Char('!'))) {
        QCOMPARE(result.status, NodeResult::Status::Failed);
        QVERIFY2(result.error.contains(expected.mid(1)), qPrintable(result.error));
        QCOMPARE(result.errorType, QStringLiteral("ValueError"));
        return;
    }
    QVERIFY2(result.status == NodeResult::Status::Succeeded, qPrintable(result.error));
    QVERIFY(result.outputs.contains("q"));
    JSON_COMPARE(result.outputs.at("q"), Json::parse(expected.toStdString()));
    JSON_COMPARE(result.inputs.at("q"), Json::parse(expected.toStdString()));
}

void TestStartNode::systemVariablesAndSeveralInputs()
{
    VariablePool pool;
    pool.set("sys", "query", "hi");
    pool.set("sys", "files", Json::array());
    pool.set("sys", "user_id", "u1");
    const Json variables = Json::array({
        {{"variable", "a"}, {"label", "A"}, {"type", "text-input"}},
        {{"variable", "b"}, {"label", "B"}, {"type", "number"}},
        {{"variable", "c"}, {"label", "C"}, {"type", "paragraph"}},
    });
    // Undeclared inputs are not outputs.
    const NodeResult result
        = run(variables, Json{{"a", "x"}, {"b", "2"}, {"extra", "ignored"}}, pool);
    QVERIFY2(result.status == NodeResult::Status::Succeeded, qPrintable(result.error));
    JSON_COMPARE(result.outputs, (Json{{"a", "x"},
                                       {"b", 2},
                                       {"c", nullptr},
                                       {"sys.query", "hi"},
                                       {"sys.files", Json::array()},
                                       {"sys.user_id", "u1"}}));
    JSON_COMPARE(result.inputs, result.outputs);

    // The first failing variable stops the node.
    const NodeResult failed
        = run(Json::array(
                  {variables[0], {{"variable", "r"}, {"type", "text-input"}, {"required", true}}}),
              Json{{"a", "x"}});
    QCOMPARE(failed.status, NodeResult::Status::Failed);
    QCOMPARE(failed.error, QStringLiteral("r is required in input form"));

    // No variables at all.
    const NodeResult empty = run(Json::array(), Json::object());
    QVERIFY(empty.status == NodeResult::Status::Succeeded);
    JSON_COMPARE(empty.outputs, Json::object());
}

void TestStartNode::jsonSchema_data()
{
    QTest::addColumn<QString>("schema"); // JSON of json_schema (an object, or a string of one)
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected"); // JSON of outputs.q, or "!" + parts of the error

    const char *schema = R"({"type":"object","properties":{"age":{"type":"integer","minimum":0}},
                             "required":["age"]})";
    QTest::newRow("valid") << QString::fromUtf8(schema) << QStringLiteral(R"({"age":3})")
                           << QStringLiteral(R"({"age":3})");
    QTest::newRow("missing property")
        << QString::fromUtf8(schema) << QStringLiteral(R"({"name":"x"})")
        << QStringLiteral(
               "!JSON object for 'q' does not match schema: 'age' is a required property");
    QTest::newRow("wrong type") << QString::fromUtf8(schema) << QStringLiteral(R"({"age":"3"})")
                                << QStringLiteral(
                                       "!does not match schema: '3' is not of type 'integer'");
    QTest::newRow("minimum") << QString::fromUtf8(schema) << QStringLiteral(R"({"age":-1})")
                             << QStringLiteral("!-1 is less than the minimum of 0");
    QTest::newRow("schema as text")
        << QString::fromStdString(Json(Json::parse(schema).dump()).dump())
        << QStringLiteral(R"({"age":"x"})") << QStringLiteral("!does not match schema");
    QTest::newRow("schema text not JSON")
        << QStringLiteral(R"("{nope")") << QStringLiteral(R"({"age":1})")
        << QStringLiteral("!JSON schema of q is not valid JSON");
    QTest::newRow("empty object skips the check")
        << QString::fromUtf8(schema) << QStringLiteral("{}") << QStringLiteral("{}");
    QTest::newRow("empty schema") << QStringLiteral(R"("")") << QStringLiteral(R"({"x":1})")
                                  << QStringLiteral(R"({"x":1})");
}

void TestStartNode::jsonSchema()
{
    QFETCH(QString, schema);
    QFETCH(QString, input);
    QFETCH(QString, expected);

    const Json variable = {{"variable", "q"},
                           {"label", "Q"},
                           {"type", "json_object"},
                           {"json_schema", Json::parse(schema.toStdString())}};
    const NodeResult result
        = run(Json::array({variable}), Json{{"q", Json::parse(input.toStdString())}});
    if (expected.startsWith(QLatin1Char('!'))) {
        QCOMPARE(result.status, NodeResult::Status::Failed);
        QVERIFY2(result.error.contains(expected.mid(1)), qPrintable(result.error));
        return;
    }
    QVERIFY2(result.status == NodeResult::Status::Succeeded, qPrintable(result.error));
    JSON_COMPARE(result.outputs.at("q"), Json::parse(expected.toStdString()));
}

void TestStartNode::stopWhileCheckingSchema()
{
    SingleNodeRun runner;
    runner.setPythonWorkers(m_python.get());
    VariablePool pool;
    pool.set("__inputs__", "q", Json{{"a", 1}});
    const Json data
        = {{"variables",
            {{{"variable", "q"}, {"type", "json_object"}, {"json_schema", {{"type", "object"}}}}}}};
    QSignalSpy finished(&runner, &SingleNodeRun::finished);
    runner.start(QStringLiteral("start"), QStringLiteral("start"), data, pool);
    QVERIFY(runner.isRunning()); // the schema check is asynchronous
    runner.stop();
    QCOMPARE(finished.count(), 1);
    QCOMPARE(runner.result().errorType, QStringLiteral("Cancelled"));

    // The worker pool is still usable afterwards, and the cancelled check never reports: the
    // next run finishes exactly once, successfully.
    runner.start(QStringLiteral("start"), QStringLiteral("start"), data, pool);
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.count(), 2);
    QVERIFY2(runner.result().status == NodeResult::Status::Succeeded,
             qPrintable(runner.result().error));
}

QTEST_GUILESS_MAIN(TestStartNode)
#include "tst_startnode.moc"

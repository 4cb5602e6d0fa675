// The logic node kinds run through SingleNodeRun: end, answer, variable aggregator, assigner (v1
// and v2), list operator and if-else (dify.md §3, §6, §11, §12).
#include <QSignalSpy>
#include <QTest>

#include "runtime/singlenoderun.h"
#include "variables/value.h"

using flowbench::runtime::NodeResult;
using flowbench::runtime::SingleNodeRun;
using flowbench::runtime::VariableWrite;
using flowbench::variables::VariablePool;
using Json = nlohmann::json;

#define JSON_COMPARE(actual, expected)                                                             \
    do {                                                                                           \
        const Json a_ = (actual);                                                                  \
        const Json e_ = (expected);                                                                \
        QVERIFY2(a_ == e_, qPrintable(QString::fromStdString(a_.dump() + " != " + e_.dump())));    \
    } while (false)

namespace {

struct Run
{
    NodeResult result;
    std::vector<VariableWrite> writes;
    int finishedCount = 0;
};

Run runNode(const char *kind, const Json &data, const VariablePool &pool)
{
    SingleNodeRun runner;
    QSignalSpy finished(&runner, &SingleNodeRun::finished);
    runner.start(QString::fromUtf8(kind), QStringLiteral("node"), data, pool);
    if (finished.isEmpty())
        finished.wait(5000);
    return {runner.result(), runner.writes(), int(finished.count())};
}

Json file(const char *name, const char *type, const char *extension, int size)
{
    return Json{{"dify_model_identity", "__dify__file__"},
                {"name", name},
                {"type", type},
                {"extension", extension},
                {"size", size},
                {"mime_type", std::string(type) + "/x"},
                {"transfer_method", "local_file"},
                {"url", std::string("https://example.com/") + name}};
}

} // namespace

class TestLogicNodes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void endNode();
    void answerMarkdown_data();
    void answerMarkdown();
    void answerFiles();
    void aggregator();
    void aggregatorGroups();
    void assigner_data();
    void assigner();
    void assignerSequence();
    void assignerFailureWritesNothing();
    void assignerLoopVariable();
    void assignerV1_data();
    void assignerV1();
    void listOperator_data();
    void listOperator();
    void listOperatorRecords();
    void ifElse_data();
    void ifElse();
    void ifElseDetails();
};

// ---- end ------------------------------------------------------------------------------------

void TestLogicNodes::endNode()
{
    VariablePool pool;
    pool.set("start", "query", "hi");
    pool.set("llm", "usage", Json{{"total_tokens", 5}});
    pool.set("code", "n", 2.0);
    const Json data = {{"outputs",
                        {{{"variable", "query"}, {"value_selector", {"start", "query"}}},
                         {{"variable", "tokens"},
                          {"value_selector", {"llm", "usage", "total_tokens"}},
                          {"value_type", "number"}},
                         {{"variable", "usage"}, {"value_selector", {"llm", "usage"}}},
                         {{"variable", "n"}, {"value_selector", {"code", "n"}}},
                         {{"variable", "gone"}, {"value_selector", {"skipped", "text"}}}}}};
    const Run run = runNode("end", data, pool);
    QCOMPARE(run.finishedCount, 1);
    QVERIFY(run.result.status == NodeResult::Status::Succeeded);
    const Json expected = {{"query", "hi"},
                           {"tokens", 5},
                           {"usage", {{"total_tokens", 5}}},
                           {"n", 2.0},
                           {"gone", nullptr}};
    JSON_COMPARE(run.result.outputs, expected);
    JSON_COMPARE(run.result.inputs, expected);
    QVERIFY(run.result.outputs.at("n").is_number_float());

    const Run empty = runNode("end", Json{{"outputs", Json::array()}}, pool);
    JSON_COMPARE(empty.result.outputs, Json::object());
}

// ---- answer ---------------------------------------------------------------------------------

void TestLogicNodes::answerMarkdown_data()
{
    QTest::addColumn<QString>("value");  // JSON of n.v
    QTest::addColumn<QString>("answer"); // the template
    QTest::addColumn<QString>("expected");

    QTest::newRow("text around") << QStringLiteral(R"("Hello, AI!")")
                                 << QStringLiteral("prefix{{#n.v#}}suffix")
                                 << QStringLiteral("prefixHello, AI!suffix");
    QTest::newRow("float 2.0") << QStringLiteral("2.0") << QStringLiteral("x={{#n.v#}}")
                               << QStringLiteral("x=2.0");
    QTest::newRow("int") << QStringLiteral("3") << QStringLiteral("{{#n.v#}}")
                         << QStringLiteral("3");
    QTest::newRow("float 0.1") << QStringLiteral("0.1") << QStringLiteral("{{#n.v#}}")
                               << QStringLiteral("0.1");
    QTest::newRow("True") << QStringLiteral("true") << QStringLiteral("{{#n.v#}}")
                          << QStringLiteral("True");
    QTest::newRow("False") << QStringLiteral("false") << QStringLiteral("{{#n.v#}}")
                           << QStringLiteral("False");
    QTest::newRow("null") << QStringLiteral("null") << QStringLiteral("[{{#n.v#}}]")
                          << QStringLiteral("[]");
    QTest::newRow("object indented")
        << QStringLiteral(R"({"a":1,"b":[1,2],"c":"é"})") << QStringLiteral("{{#n.v#}}")
        << QStringLiteral("{\n  \"a\": 1,\n  \"b\": [\n    1,\n"
                          "    2\n  ],\n  \"c\": \"é\"\n}");
    QTest::newRow("array[string] lines")
        << QStringLiteral(R"(["a","b"])") << QStringLiteral("{{#n.v#}}")
        << QStringLiteral("- a\n- b");
    QTest::newRow("array[number] lines")
        << QStringLiteral("[1,2.0]") << QStringLiteral("{{#n.v#}}") << QStringLiteral("- 1\n- 2.0");
    QTest::newRow("array[object] lines")
        << QStringLiteral(R"([{"k":true}])") << QStringLiteral("{{#n.v#}}")
        << QStringLiteral("- {'k': True}");
    QTest::newRow("unresolved is bare text")
        << QStringLiteral("1") << QStringLiteral("a {{#n.missing#}} b")
        << QStringLiteral("a n.missing b");
    QTest::newRow("not a reference stays")
        << QStringLiteral("1") << QStringLiteral("{{#retrieval-v2.result#}}")
        << QStringLiteral("{{#retrieval-v2.result#}}");
    QTest::newRow("no references")
        << QStringLiteral("1") << QStringLiteral("plain text") << QStringLiteral("plain text");
    QTest::newRow("empty") << QStringLiteral("1") << QString() << QString();
}

void TestLogicNodes::answerMarkdown()
{
    QFETCH(QString, value);
    QFETCH(QString, answer);
    QFETCH(QString, expected);
    VariablePool pool;
    pool.set("n", "v", Json::parse(value.toStdString()));
    const Run run
        = runNode("answer", Json{{"answer", answer.toStdString()}, {"variables", {}}}, pool);
    QVERIFY2(run.result.status == NodeResult::Status::Succeeded, qPrintable(run.result.error));
    QCOMPARE(QString::fromStdString(run.result.outputs.at("answer").get<std::string>()), expected);
    JSON_COMPARE(run.result.outputs.at("files"), Json::array());
}

void TestLogicNodes::answerFiles()
{
    VariablePool pool;
    const Json a = file("a.png", "image", ".png", 1);
    const Json b = file("b.pdf", "document", ".pdf", 2);
    const Json c = file("c.txt", "document", ".txt", 3);
    pool.set("n", "one", a);
    pool.set("n", "many", Json::array({b, c}));
    pool.set("n", "text", "t");
    const Run run = runNode(
        "answer",
        Json{{"answer", "{{#n.many#}} {{#n.text#}} {{#n.one#}} {{#n.one#}} {{#n.gone#}}"}}, pool);
    QVERIFY(run.result.status == NodeResult::Status::Succeeded);
    JSON_COMPARE(run.result.outputs.at("files"), Json::array({b, c, a, a}));
    QCOMPARE(QString::fromStdString(run.result.outputs.at("answer").get<std::string>()),
             QStringLiteral("[b.pdf](https://example.com/b.pdf)\n[c.txt](https://example.com/c.txt)"
                            " t ![a.png](https://example.com/a.png) "
                            "![a.png](https://example.com/a.png) n.gone"));

    const Run bad = runNode("answer", Json{{"answer", 5}}, pool);
    QCOMPARE(bad.result.status, NodeResult::Status::Failed);
}

// ---- variable aggregator --------------------------------------------------------------------

void TestLogicNodes::aggregator()
{
    VariablePool pool;
    pool.set("b", "y", "B");
    pool.set("c", "z", "C");
    pool.set("d", "obj", Json{{"k", "K"}});
    pool.set("e", "none", nullptr);

    // The first selector in list order that the pool holds.
    Run run = runNode("variable-aggregator",
                      Json::parse(R"({"variables":[["a","x"],["b","y"],["c","z"]]})"), pool);
    QVERIFY(run.result.status == NodeResult::Status::Succeeded);
    JSON_COMPARE(run.result.outputs, (Json{{"output", "B"}}));
    JSON_COMPARE(run.result.inputs, (Json{{"y", "B"}}));

    run = runNode("variable-aggregator", Json::parse(R"({"variables":[["c","z"],["b","y"]]})"),
                  pool);
    JSON_COMPARE(run.result.outputs, (Json{{"output", "C"}}));

    // A present null is selected.
    run = runNode("variable-aggregator", Json::parse(R"({"variables":[["e","none"],["b","y"]]})"),
                  pool);
    JSON_COMPARE(run.result.outputs, (Json{{"output", nullptr}}));

    // Nested selectors walk into objects.
    run = runNode("variable-aggregator", Json::parse(R"({"variables":[["d","obj","k"]]})"), pool);
    JSON_COMPARE(run.result.outputs, (Json{{"output", "K"}}));
    JSON_COMPARE(run.result.inputs, (Json{{"obj.k", "K"}}));

    // Nothing present: no output at all.
    run = runNode("variable-aggregator", Json::parse(R"({"variables":[["a","x"],["f","g"]]})"),
                  pool);
    QVERIFY(run.result.status == NodeResult::Status::Succeeded);
    JSON_COMPARE(run.result.outputs, Json::object());

    // The legacy kind name is the same node.
    run = runNode("variable-assigner",
                  Json::parse(R"({"output_type":"string","variables":[["a","x"],["c","z"]]})"),
                  pool);
    JSON_COMPARE(run.result.outputs, (Json{{"output", "C"}}));
}

void TestLogicNodes::aggregatorGroups()
{
    VariablePool pool;
    pool.set("t1", "output", "switch 1 on");
    pool.set("t4", "output", "switch 2 off");
    // Selector lists are written as JSON text: in an initializer list nlohmann would read
    // [["a","b"]] as the object {"a":"b"}.
    const Json settings = Json::parse(R"({"group_enabled":true,"groups":[
        {"groupId":"g1","group_name":"group1","output_type":"string",
         "variables":[["t1","output"],["t2","output"]]},
        {"groupId":"g2","group_name":"group2","output_type":"string",
         "variables":[["t3","output"],["t4","output"]]},
        {"groupId":"g3","group_name":"empty","variables":[["t5","output"]]}]})");
    const Json fallback = Json::parse(R"([["t4","output"]])");
    Run run = runNode("variable-aggregator",
                      Json{{"advanced_settings", settings}, {"variables", fallback}}, pool);
    QVERIFY(run.result.status == NodeResult::Status::Succeeded);
    JSON_COMPARE(run.result.outputs, (Json{{"group1", {{"output", "switch 1 on"}}},
                                           {"group2", {{"output", "switch 2 off"}}}}));

    // Groups disabled: the top-level list decides.
    Json off = settings;
    off["group_enabled"] = false;
    run = runNode("variable-aggregator", Json{{"advanced_settings", off}, {"variables", fallback}},
                  pool);
    JSON_COMPARE(run.result.outputs, (Json{{"output", "switch 2 off"}}));
}

// ---- assigner v2 ----------------------------------------------------------------------------

void TestLogicNodes::assigner_data()
{
    QTest::addColumn<QString>("target"); // JSON of conversation.t; empty: absent
    QTest::addColumn<QString>("operation");
    QTest::addColumn<QString>("inputType");
    // constant: the item's value; variable: the value of n.src the item points at (empty: absent)
    QTest::addColumn<QString>("value");
    // the new value of conversation.t; "!" + part of the error; "-" for no write
    QTest::addColumn<QString>("expected");

    const auto row = [](const char *name, const char *target, const char *op, const char *inputType,
                        const char *value, const char *expected) {
        QTest::newRow(name) << QString::fromUtf8(target) << QString::fromUtf8(op)
                            << QString::fromUtf8(inputType) << QString::fromUtf8(value)
                            << QString::fromUtf8(expected);
    };
    // over-write
    row("over-write string", R"("a")", "over-write", "constant", R"("b")", R"("b")");
    row("over-write string from variable", R"("a")", "over-write", "variable", R"("z")", R"("z")");
    row("over-write string with number", R"("a")", "over-write", "variable", "5",
        "!Invalid input value 5");
    row("over-write number", "1", "over-write", "constant", "2.5", "2.5");
    row("over-write object", R"({"a":1})", "over-write", "variable", R"({"b":2})", R"({"b":2})");
    row("over-write bool", "true", "over-write", "constant", "false", "false");
    row("over-write array[string]", R"(["a"])", "over-write", "variable", R"(["x","y"])",
        R"(["x","y"])");
    row("over-write array[string] wrong items", R"(["a"])", "over-write", "variable", "[1]",
        "!Invalid input value");
    row("over-write array[number]", "[1]", "over-write", "variable", "[2, 3.5]", "[2, 3.5]");
    row("over-write array constant refused", R"(["a"])", "over-write", "constant", R"(["b"])",
        "!Input type constant is not supported for operation over-write");
    row("over-write array[file] refused", R"([{"dify_model_identity":"__dify__file__"}])",
        "over-write", "variable", "[]", "!Invalid input value");
    // clear: the type's zero value
    row("clear string", R"("a")", "clear", "variable", "", R"("")");
    row("clear int", "5", "clear", "variable", "", "0");
    row("clear float", "2.5", "clear", "variable", "", "0.0");
    row("clear bool", "true", "clear", "variable", "", "false");
    row("clear object", R"({"a":1})", "clear", "variable", "", "{}");
    row("clear array", R"(["a","b"])", "clear", "variable", "", "[]");
    row("clear with constant input refused", R"("a")", "clear", "constant", R"("")",
        "!Input type constant is not supported for operation clear");
    row("clear null target", "null", "clear", "variable", "", "!cannot be cleared");
    // set
    row("set string", R"("a")", "set", "constant", R"("x")", R"("x")");
    row("set variable input refused", R"("a")", "set", "variable", R"("x")",
        "!Input type variable is not supported for operation set");
    row("set object from text", R"({})", "set", "constant", R"("{\"a\":1}")", R"({"a":1})");
    row("set object from bad text", R"({})", "set", "constant", R"("{oops")",
        "!Invalid input value {oops");
    row("set object with list", R"({})", "set", "constant", "[1]", "!Invalid input value");
    row("set bool", "false", "set", "constant", "true", "true");
    row("set bool with text", "false", "set", "constant", R"("true")", "!Invalid input value");
    row("set number", "5", "set", "constant", "7", "7");
    row("set number with text", "5", "set", "constant", R"("7")", "!Invalid input value 7");
    row("set array refused", "[1]", "set", "constant", "[2]",
        "!Operation set is not supported for type array[number]");
    // arithmetic
    row("+= int", "5", "+=", "constant", "2", "7");
    row("+= float", "5", "+=", "constant", "0.5", "5.5");
    row("-= int", "5", "-=", "constant", "7", "-2");
    row("*= int", "5", "*=", "constant", "3", "15");
    row("*= float", "2.5", "*=", "constant", "2", "5.0");
    row("/= gives float", "6", "/=", "constant", "4", "1.5");
    row("/= exact still float", "6", "/=", "constant", "3", "2.0");
    row("/= by zero refused", "6", "/=", "constant", "0", "!Invalid input value 0");
    row("/= by 0.0 refused", "6", "/=", "constant", "0.0", "!Invalid input value 0.0");
    row("+= variable input refused", "5", "+=", "variable", "1",
        "!Input type variable is not supported for operation +=");
    row("+= text value refused", "5", "+=", "constant", R"("1")", "!Invalid input value 1");
    row("+= on string refused", R"("a")", "+=", "constant", R"("b")",
        "!Operation += is not supported for type string");
    row("*= on bool refused", "true", "*=", "constant", "2",
        "!Operation *= is not supported for type boolean");
    // arrays
    row("append string", R"(["a","b"])", "append", "variable", R"("c")", R"(["a","b","c"])");
    row("append constant refused", R"(["a"])", "append", "constant", R"("c")",
        "!Input type constant is not supported for operation append");
    row("append number to strings refused", R"(["a"])", "append", "variable", "1",
        "!Invalid input value 1");
    row("append number", "[1,2]", "append", "variable", "3", "[1,2,3]");
    row("append object", R"([{"k":1}])", "append", "variable", R"({"k":2})",
        R"([{"k":1},{"k":2}])");
    row("append bool", "[true]", "append", "variable", "false", "[true,false]");
    row("append to empty array", "[]", "append", "variable", R"("x")", R"(["x"])");
    row("append to string refused", R"("a")", "append", "variable", R"("b")",
        "!Operation append is not supported for type string");
    row("extend", R"(["a","b"])", "extend", "variable", R"(["c","d"])", R"(["a","b","c","d"])");
    row("extend with mixed refused", R"(["a"])", "extend", "variable", R"(["c",1])",
        "!Invalid input value");
    row("extend with scalar refused", R"(["a"])", "extend", "variable", R"("c")",
        "!Invalid input value");
    row("remove-first", R"(["a","b","c"])", "remove-first", "variable", "", R"(["b","c"])");
    row("remove-last", R"(["a","b","c"])", "remove-last", "variable", "", R"(["a","b"])");
    row("remove-first on empty", "[]", "remove-first", "variable", "", "[]");
    row("remove-last on string refused", R"("abc")", "remove-last", "variable", "",
        "!Operation remove-last is not supported for type string");
    // inputs and targets
    row("null input skips the item", R"("a")", "over-write", "variable", "null", "-");
    row("missing input variable", R"("a")", "over-write", "variable", "",
        "!Variable n.src not found");
    row("missing target", "", "over-write", "constant", R"("x")",
        "!Variable conversation.t not found");
    row("unknown operation", R"("a")", "replace", "constant", R"("x")",
        "!Operation replace is not supported for type string");
}

void TestLogicNodes::assigner()
{
    QFETCH(QString, target);
    QFETCH(QString, operation);
    QFETCH(QString, inputType);
    QFETCH(QString, value);
    QFETCH(QString, expected);

    VariablePool pool;
    if (!target.isEmpty())
        pool.set("conversation", "t", Json::parse(target.toStdString()));
    Json item = {{"variable_selector", {"conversation", "t"}},
                 {"operation", operation.toStdString()},
                 {"input_type", inputType.toStdString()},
                 {"write_mode", "over-write"}};
    if (inputType == QLatin1String("constant")) {
        item["value"] = Json::parse(value.toStdString());
    } else {
        const bool needsInput
            = operation != QLatin1String("clear") && !operation.startsWith(QLatin1String("remove"));
        if (needsInput)
            item["value"] = Json::array({"n", "src"});
        if (!value.isEmpty())
            pool.set("n", "src", Json::parse(value.toStdString()));
    }
    const Run run = runNode("assigner", Json{{"version", "2"}, {"items", {item}}}, pool);
    QCOMPARE(run.finishedCount, 1);

    if (expected.startsWith(QLatin1Char('!'))) {
        QCOMPARE(run.result.status, NodeResult::Status::Failed);
        QVERIFY2(run.result.error.contains(expected.mid(1)), qPrintable(run.result.error));
        QCOMPARE(run.result.errorType, QStringLiteral("VariableOperatorNodeError"));
        QVERIFY(run.writes.empty());
        return;
    }
    QVERIFY2(run.result.status == NodeResult::Status::Succeeded, qPrintable(run.result.error));
    JSON_COMPARE(run.result.outputs, Json::object());
    if (expected == QLatin1String("-")) {
        QVERIFY(run.writes.empty());
        JSON_COMPARE(run.result.processData.at("__updated_variables"), Json::array());
        return;
    }
    const Json newValue = Json::parse(expected.toStdString());
    QCOMPARE(run.writes.size(), std::size_t(1));
    QVERIFY(run.writes[0].selector == (std::vector<std::string>{"conversation", "t"}));
    JSON_COMPARE(run.writes[0].value, newValue);
    // 2.0 stays a float, 7 an int
    QCOMPARE(run.writes[0].value.is_number_float(), newValue.is_number_float());
    JSON_COMPARE(run.result.processData.at("t"), newValue);
    const Json &updated = run.result.processData.at("__updated_variables");
    QCOMPARE(updated.size(), std::size_t(1));
    JSON_COMPARE(updated[0].at("name"), Json("t"));
    JSON_COMPARE(updated[0].at("selector"), Json::array({"conversation", "t"}));
    JSON_COMPARE(updated[0].at("new_value"), newValue);
    JSON_COMPARE(updated[0].at("value_type"),
                 Json(flowbench::variables::segmentType(Json::parse(target.toStdString()))));
}

void TestLogicNodes::assignerSequence()
{
    VariablePool pool;
    pool.set("conversation", "x", 1);
    pool.set("conversation", "log", Json::array());
    pool.set("n", "word", "hi");
    const Json items = {
        {{"variable_selector", {"conversation", "x"}},
         {"operation", "+="},
         {"input_type", "constant"},
         {"value", 2}},
        {{"variable_selector", {"conversation", "log"}},
         {"operation", "append"},
         {"input_type", "variable"},
         {"value", {"n", "word"}}},
        {{"variable_selector", {"conversation", "x"}},
         {"operation", "*="},
         {"input_type", "constant"},
         {"value", 10}},
        // Later items read earlier results, even as inputs.
        {{"variable_selector", {"conversation", "log"}},
         {"operation", "append"},
         {"input_type", "variable"},
         {"value", {"conversation", "x"}}},
    };
    const Run run = runNode("assigner", Json{{"version", "2"}, {"items", items}}, pool);
    QVERIFY2(run.result.status == NodeResult::Status::Succeeded, qPrintable(run.result.error));
    // One write per variable, in the order of their first update, with the final value.
    QCOMPARE(run.writes.size(), std::size_t(2));
    QVERIFY(run.writes[0].selector == (std::vector<std::string>{"conversation", "x"}));
    JSON_COMPARE(run.writes[0].value, Json(30));
    QVERIFY(run.writes[1].selector == (std::vector<std::string>{"conversation", "log"}));
    JSON_COMPARE(run.writes[1].value, (Json::array({"hi", 30})));
    JSON_COMPARE(run.result.processData, (Json{{"x", 30},
                                               {"log", {"hi", 30}},
                                               {"__updated_variables",
                                                {{{"name", "x"},
                                                  {"selector", {"conversation", "x"}},
                                                  {"value_type", "integer"},
                                                  {"new_value", 30}},
                                                 {{"name", "log"},
                                                  {"selector", {"conversation", "log"}},
                                                  {"value_type", "array[any]"},
                                                  {"new_value", {"hi", 30}}}}}}));
    JSON_COMPARE(run.result.inputs.at("items"), items);
}

void TestLogicNodes::assignerFailureWritesNothing()
{
    VariablePool pool;
    pool.set("conversation", "x", 1);
    const Json items = {{{"variable_selector", {"conversation", "x"}},
                         {"operation", "+="},
                         {"input_type", "constant"},
                         {"value", 2}},
                        {{"variable_selector", {"conversation", "x"}},
                         {"operation", "/="},
                         {"input_type", "constant"},
                         {"value", 0}}};
    const Run run = runNode("assigner", Json{{"version", "2"}, {"items", items}}, pool);
    QCOMPARE(run.result.status, NodeResult::Status::Failed);
    QVERIFY(run.writes.empty());
}

void TestLogicNodes::assignerLoopVariable()
{
    VariablePool pool;
    pool.set("loop1", "i", 0);
    const Json item = {{"variable_selector", {"loop1", "i"}},
                       {"operation", "+="},
                       {"input_type", "constant"},
                       {"value", 1}};
    const Run run = runNode("assigner", Json{{"version", "2"}, {"items", {item}}}, pool);
    QVERIFY2(run.result.status == NodeResult::Status::Succeeded, qPrintable(run.result.error));
    QCOMPARE(run.writes.size(), std::size_t(1));
    QVERIFY(run.writes[0].selector == (std::vector<std::string>{"loop1", "i"}));
    JSON_COMPARE(run.writes[0].value, Json(1));

    // A selector into an object is not a variable.
    pool.set("conversation", "obj", Json{{"k", 1}});
    Json deep = item;
    deep["variable_selector"] = {"conversation", "obj", "k"};
    const Run refused = runNode("assigner", Json{{"version", "2"}, {"items", {deep}}}, pool);
    QCOMPARE(refused.result.status, NodeResult::Status::Failed);
}

// ---- assigner v1 ----------------------------------------------------------------------------

void TestLogicNodes::assignerV1_data()
{
    QTest::addColumn<QString>("target"); // conversation.t; empty: absent
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("input"); // n.src; empty: absent
    QTest::addColumn<QString>("expected");

    QTest::newRow("over-write") << QStringLiteral(R"("a")") << QStringLiteral("over-write")
                                << QStringLiteral(R"("b")") << QStringLiteral(R"("b")");
    QTest::newRow("over-write any type") << QStringLiteral(R"("a")") << QStringLiteral("over-write")
                                         << QStringLiteral("[1]") << QStringLiteral("[1]");
    QTest::newRow("over-write with null")
        << QStringLiteral(R"("a")") << QStringLiteral("over-write") << QStringLiteral("null")
        << QStringLiteral("null");
    QTest::newRow("append") << QStringLiteral(R"(["a"])") << QStringLiteral("append")
                            << QStringLiteral(R"("b")") << QStringLiteral(R"(["a","b"])");
    QTest::newRow("append to string") << QStringLiteral(R"("a")") << QStringLiteral("append")
                                      << QStringLiteral(R"("b")") << QStringLiteral("!append");
    QTest::newRow("clear") << QStringLiteral(R"({"k":1})") << QStringLiteral("clear") << QString()
                           << QStringLiteral("{}");
    QTest::newRow("missing input") << QStringLiteral(R"("a")") << QStringLiteral("over-write")
                                   << QString() << QStringLiteral("!input value not found");
    QTest::newRow("missing target")
        << QString() << QStringLiteral("over-write") << QStringLiteral(R"("b")")
        << QStringLiteral("!assigned variable not found");
}

void TestLogicNodes::assignerV1()
{
    QFETCH(QString, target);
    QFETCH(QString, mode);
    QFETCH(QString, input);
    QFETCH(QString, expected);
    VariablePool pool;
    if (!target.isEmpty())
        pool.set("conversation", "t", Json::parse(target.toStdString()));
    if (!input.isEmpty())
        pool.set("n", "src", Json::parse(input.toStdString()));
    const Json data = {{"assigned_variable_selector", {"conversation", "t"}},
                       {"write_mode", mode.toStdString()},
                       {"input_variable_selector", {"n", "src"}}};
    const Run run = runNode("assigner", data, pool);
    if (expected.startsWith(QLatin1Char('!'))) {
        QCOMPARE(run.result.status, NodeResult::Status::Failed);
        QVERIFY2(run.result.error.contains(expected.mid(1)), qPrintable(run.result.error));
        QVERIFY(run.writes.empty());
        return;
    }
    QVERIFY2(run.result.status == NodeResult::Status::Succeeded, qPrintable(run.result.error));
    const Json newValue = Json::parse(expected.toStdString());
    QCOMPARE(run.writes.size(), std::size_t(1));
    JSON_COMPARE(run.writes[0].value, newValue);
    JSON_COMPARE(run.result.processData.at("__updated_variables")[0].at("new_value"), newValue);
    QVERIFY(run.result.inputs.contains("value"));
}

// ---- list operator --------------------------------------------------------------------------

void TestLogicNodes::listOperator_data()
{
    QTest::addColumn<QString>("list");     // JSON of n.list; empty: absent
    QTest::addColumn<QString>("filter");   // JSON of filter_by.conditions; empty: disabled
    QTest::addColumn<QString>("serial");   // extract_by.serial; empty: disabled
    QTest::addColumn<QString>("order");    // "asc"/"desc", optionally ":key"; empty: disabled
    QTest::addColumn<int>("limit");        // -999: disabled
    QTest::addColumn<QString>("expected"); // JSON of result, or "!" + part of the error

    const auto row = [](const char *name, const char *list, const char *filter, const char *serial,
                        const char *order, int limit, const std::string &e) {
        QTest::newRow(name) << QString::fromUtf8(list) << QString::fromUtf8(filter)
                            << QString::fromUtf8(serial) << QString::fromUtf8(order) << limit
                            << QString::fromStdString(e);
    };
    const auto cond = [](const char *op, const char *value, const char *key = "") {
        return std::string(R"([{"key":")") + key + R"(","comparison_operator":")" + op
               + R"(","value":)" + value + "}]";
    };
    const char *fruits = R"(["apple","banana","cherry",""])";
    constexpr int off = -999;

    // string filters
    row("contains", fruits, cond("contains", R"("an")").c_str(), "", "", off, R"(["banana"])");
    row("not contains", fruits, cond("not contains", R"("an")").c_str(), "", "", off,
        R"(["apple","cherry",""])");
    row("start with", fruits, cond("start with", R"("ch")").c_str(), "", "", off, R"(["cherry"])");
    row("end with", fruits, cond("end with", R"("e")").c_str(), "", "", off, R"(["apple"])");
    row("is", fruits, cond("is", R"("apple")").c_str(), "", "", off, R"(["apple"])");
    row("is not", fruits, cond("is not", R"("apple")").c_str(), "", "", off,
        R"(["banana","cherry",""])");
    row("in is substring of the value", fruits, cond("in", R"("apple,cherry")").c_str(), "", "",
        off, R"(["apple","cherry",""])");
    row("not in", fruits, cond("not in", R"("apple,cherry")").c_str(), "", "", off,
        R"(["banana"])");
    row("empty", fruits, cond("empty", R"("")").c_str(), "", "", off, R"([""])");
    row("not empty", fruits, cond("not empty", R"("")").c_str(), "", "", off,
        R"(["apple","banana","cherry"])");
    row("template value", fruits, cond("is", R"("{{#n.word#}}")").c_str(), "", "", off,
        R"(["cherry"])");
    row("conditions in sequence", fruits,
        R"([{"comparison_operator":"contains","value":"e"},
            {"comparison_operator":"not contains","value":"ch"}])",
        "", "", off, R"(["apple"])");
    row("number operator on strings", fruits, cond("=", R"("1")").c_str(), "", "", off,
        "!Invalid condition: =");
    row("list value on strings", fruits, cond("in", R"(["apple"])").c_str(), "", "", off,
        "!Invalid filter value");
    // number filters
    const char *numbers = "[1,5,10,2.5]";
    row("number >", numbers, cond(">", R"("2")").c_str(), "", "", off, "[5,10,2.5]");
    row("number =", numbers, cond("=", R"("5")").c_str(), "", "", off, "[5]");
    row("number = float", numbers, cond("=", R"("2.5")").c_str(), "", "", off, "[2.5]");
    row("number ≠", numbers, cond("≠", R"("5")").c_str(), "", "", off, "[1,10,2.5]");
    row("number ≤", numbers, cond("≤", R"("2.5")").c_str(), "", "", off, "[1,2.5]");
    row("number ≥", numbers, cond("≥", R"("10")").c_str(), "", "", off, "[10]");
    row("number <", numbers, cond("<", R"("1e1")").c_str(), "", "", off, "[1,5,2.5]");
    row("number value not a number", numbers, cond(">", R"("abc")").c_str(), "", "", off,
        "!could not convert string to float");
    row("string operator on numbers", numbers, cond("contains", R"("1")").c_str(), "", "", off,
        "!Invalid condition: contains");
    // booleans
    row("boolean is", "[true,false,true]", cond("is", "true").c_str(), "", "", off, "[true,true]");
    row("boolean is not", "[true,false,true]", cond("is not", "true").c_str(), "", "", off,
        "[false]");
    row("boolean needs a boolean", "[true]", cond("is", R"("true")").c_str(), "", "", off,
        "!Boolean filter expects a boolean value");
    // files
    const std::string files
        = Json::array({file("b.pdf", "document", ".pdf", 2000), file("a.png", "image", ".png", 10),
                       file("c.png", "image", ".png", 500)})
              .dump();
    const auto fileNames = [](std::initializer_list<const char *> names) {
        Json out = Json::array();
        for (const char *name : names) {
            const std::string n = name;
            if (n == "a.png")
                out.push_back(file("a.png", "image", ".png", 10));
            else if (n == "b.pdf")
                out.push_back(file("b.pdf", "document", ".pdf", 2000));
            else
                out.push_back(file("c.png", "image", ".png", 500));
        }
        return out.dump();
    };
    row("file name contains", files.c_str(), cond("contains", R"("a.")", "name").c_str(), "", "",
        off, fileNames({"a.png"}));
    row("file extension is", files.c_str(), cond("is", R"(".png")", "extension").c_str(), "", "",
        off, fileNames({"a.png", "c.png"}));
    row("file type in", files.c_str(), cond("in", R"(["document"])", "type").c_str(), "", "", off,
        fileNames({"b.pdf"}));
    row("file type not in", files.c_str(), cond("not in", R"(["document"])", "type").c_str(), "",
        "", off, fileNames({"a.png", "c.png"}));
    row("file type with another operator", files.c_str(),
        cond("is", R"(["document"])", "type").c_str(), "", "", off, "!Invalid condition: is");
    row("file size >", files.c_str(), cond(">", R"("100")", "size").c_str(), "", "", off,
        fileNames({"b.pdf", "c.png"}));
    row("file size needs text", files.c_str(), cond(">", R"(100)", "size").c_str(), "", "", off,
        "!Invalid key: size");
    row("file unknown key", files.c_str(), cond("is", R"("x")", "colour").c_str(), "", "", off,
        "!Invalid key: colour");
    row("file mime_type", files.c_str(), cond("start with", R"("image/")", "mime_type").c_str(), "",
        "", off, fileNames({"a.png", "c.png"}));
    // extract
    row("extract 2", fruits, "", "2", "", off, R"(["banana"])");
    row("extract template", fruits, "", "{{#n.num#}}", "", off, R"(["banana"])");
    row("extract 0", fruits, "", "0", "", off, "!must be >= 1");
    row("extract beyond", fruits, "", "5", "", off, "!must be <= 4");
    row("extract not a number", fruits, "", "x", "", off, "!invalid literal for int()");
    row("extract 1.0 is not int()", fruits, "", "1.0", "", off, "!invalid literal for int()");
    // order
    row("order strings asc", R"(["b","a","C"])", "", "", "asc", off, R"(["C","a","b"])");
    row("order strings desc", R"(["b","a","C"])", "", "", "desc", off, R"(["b","a","C"])");
    row("order numbers asc", "[3,1.5,2]", "", "", "asc", off, "[1.5,2,3]");
    row("order numbers desc", "[3,1.5,2]", "", "", "desc", off, "[3,2,1.5]");
    row("order booleans", "[true,false]", "", "", "asc", off, "[false,true]");
    row("order files by name", files.c_str(), "", "", "asc:name", off,
        fileNames({"a.png", "b.pdf", "c.png"}));
    row("order files by size desc", files.c_str(), "", "", "desc:size", off,
        fileNames({"b.pdf", "c.png", "a.png"}));
    row("order files: stable for equal keys", files.c_str(), "", "", "desc:extension", off,
        fileNames({"a.png", "c.png", "b.pdf"}));
    row("order files bad key", files.c_str(), "", "", "asc:colour", off,
        "!Invalid order key: colour");
    // limit: Python's [:size]
    row("limit 2", fruits, "", "", "", 2, R"(["apple","banana"])");
    row("limit 0", fruits, "", "", "", 0, "[]");
    row("limit beyond", fruits, "", "", "", 10, fruits);
    row("limit -1 drops the last", fruits, "", "", "", -1, R"(["apple","banana","cherry"])");
    // the stages run filter → extract → order → limit
    row("filter then order then limit", "[5,3,9,1,7]", cond(">", R"("2")").c_str(), "", "desc", 2,
        "[9,7]");
    row("extract before order", "[5,3,9,1,7]", cond(">", R"("2")").c_str(), "1", "desc", off,
        "[5]");
    row("extract after filter", "[5,3,9,1,7]", cond("<", R"("5")").c_str(), "2", "", off, "[1]");
    row("limit after order", "[5,3,9,1,7]", "", "", "asc", 3, "[1,3,5]");
    // inputs
    row("missing variable", "", "", "", "", off, "!Variable not found for selector: n.list");
    row("not an array", R"("abc")", "", "", "", off, "!not an array");
    row("array of objects", R"([{"a":1}])", "", "", "", off, "!not an array");
    row("mixed array", R"(["a",1])", "", "", "", off, "!not an array");
    row("empty array", "[]", cond("is", R"("x")").c_str(), "", "", off, "[]");
    row("falsy non-array is empty", R"("")", "", "", "", off, "[]");
    row("null is empty", "null", "", "", "", off, "[]");
}

void TestLogicNodes::listOperator()
{
    QFETCH(QString, list);
    QFETCH(QString, filter);
    QFETCH(QString, serial);
    QFETCH(QString, order);
    QFETCH(int, limit);
    QFETCH(QString, expected);

    VariablePool pool;
    if (!list.isEmpty())
        pool.set("n", "list", Json::parse(list.toStdString()));
    pool.set("n", "word", "cherry");
    pool.set("n", "num", 2);
    Json data = {{"variable", {"n", "list"}},
                 {"filter_by", {{"enabled", false}, {"conditions", Json::array()}}},
                 {"extract_by", {{"enabled", false}, {"serial", "1"}}},
                 {"order_by", {{"enabled", false}, {"key", ""}, {"value", "asc"}}},
                 {"limit", {{"enabled", false}, {"size", 10}}}};
    if (!filter.isEmpty())
        data["filter_by"] = {{"enabled", true}, {"conditions", Json::parse(filter.toStdString())}};
    if (!serial.isEmpty())
        data["extract_by"] = {{"enabled", true}, {"serial", serial.toStdString()}};
    if (!order.isEmpty()) {
        const QStringList parts = order.split(QLatin1Char(':'));
        data["order_by"] = {{"enabled", true},
                            {"value", parts.value(0).toStdString()},
                            {"key", parts.value(1).toStdString()}};
    }
    if (limit != -999)
        data["limit"] = {{"enabled", true}, {"size", limit}};

    const Run run = runNode("list-operator", data, pool);
    QCOMPARE(run.finishedCount, 1);
    if (expected.startsWith(QLatin1Char('!'))) {
        QCOMPARE(run.result.status, NodeResult::Status::Failed);
        QVERIFY2(run.result.error.contains(expected.mid(1)), qPrintable(run.result.error));
        return;
    }
    QVERIFY2(run.result.status == NodeResult::Status::Succeeded, qPrintable(run.result.error));
    const Json result = Json::parse(expected.toStdString());
    JSON_COMPARE(run.result.outputs.at("result"), result);
    JSON_COMPARE(run.result.outputs.at("first_record"), result.empty() ? Json() : result.front());
    JSON_COMPARE(run.result.outputs.at("last_record"), result.empty() ? Json() : result.back());
}

void TestLogicNodes::listOperatorRecords()
{
    VariablePool pool;
    pool.set("n", "list", Json::array({"x", "y", "z"}));
    const Json data = {{"variable", {"n", "list"}},
                       {"filter_by", {{"enabled", false}}},
                       {"order_by", {{"enabled", false}}},
                       {"limit", {{"enabled", false}}}};
    const Run run = runNode("list-operator", data, pool);
    QVERIFY(run.result.status == NodeResult::Status::Succeeded);
    JSON_COMPARE(run.result.outputs,
                 (Json{{"result", {"x", "y", "z"}}, {"first_record", "x"}, {"last_record", "z"}}));
    JSON_COMPARE(run.result.inputs, (Json{{"variable", {"x", "y", "z"}}}));
    JSON_COMPARE(run.result.processData, run.result.inputs);
}

// ---- if-else --------------------------------------------------------------------------------

void TestLogicNodes::ifElse_data()
{
    QTest::addColumn<QString>("data");
    QTest::addColumn<QString>("query");  // start.query; empty: absent
    QTest::addColumn<QString>("handle"); // edge handle, or "!" + part of the error
    QTest::addColumn<bool>("result");

    const char *hello = R"({"cases":[{"case_id":"true","id":"true","logical_operator":"and",
        "conditions":[{"id":"c1","varType":"string","variable_selector":["start","query"],
                       "comparison_operator":"contains","value":"hello"}]}]})";
    QTest::newRow("hello branch true") << QString::fromUtf8(hello) << QStringLiteral("say hello")
                                       << QStringLiteral("true") << true;
    QTest::newRow("hello is case-sensitive")
        << QString::fromUtf8(hello) << QStringLiteral("say Hello") << QStringLiteral("false")
        << false;
    QTest::newRow("missing variable fails")
        << QString::fromUtf8(hello) << QString() << QStringLiteral("!start.query") << false;

    const char *two = R"({"cases":[
        {"case_id":"true","logical_operator":"and","conditions":[
            {"variable_selector":["start","query"],"comparison_operator":"is","value":"a"}]},
        {"case_id":"8f2a-uuid","logical_operator":"or","conditions":[
            {"variable_selector":["start","query"],"comparison_operator":"is","value":"b"},
            {"variable_selector":["start","query"],"comparison_operator":"is","value":"c"}]}]})";
    QTest::newRow("first case") << QString::fromUtf8(two) << QStringLiteral("a")
                                << QStringLiteral("true") << true;
    QTest::newRow("second case") << QString::fromUtf8(two) << QStringLiteral("c")
                                 << QStringLiteral("8f2a-uuid") << true;
    QTest::newRow("else") << QString::fromUtf8(two) << QStringLiteral("d")
                          << QStringLiteral("false") << false;

    const char *firstWins = R"({"cases":[
        {"case_id":"one","conditions":[
            {"variable_selector":["start","query"],"comparison_operator":"not empty"}]},
        {"case_id":"two","conditions":[]}]})";
    QTest::newRow("first true case wins")
        << QString::fromUtf8(firstWins) << QStringLiteral("x") << QStringLiteral("one") << true;
    QTest::newRow("empty AND case is true")
        << QString::fromUtf8(firstWins) << QStringLiteral("") << QStringLiteral("two") << true;

    const char *legacy = R"({"logical_operator":"or","conditions":[
        {"variable_selector":["start","query"],"comparison_operator":"is","value":"a"},
        {"variable_selector":["start","query"],"comparison_operator":"is","value":"b"}]})";
    QTest::newRow("legacy true") << QString::fromUtf8(legacy) << QStringLiteral("b")
                                 << QStringLiteral("true") << true;
    QTest::newRow("legacy false") << QString::fromUtf8(legacy) << QStringLiteral("z")
                                  << QStringLiteral("false") << false;

    const char *shortCircuit = R"({"cases":[
        {"case_id":"true","logical_operator":"or","conditions":[
            {"variable_selector":["start","query"],"comparison_operator":"is","value":"a"},
            {"variable_selector":["gone","x"],"comparison_operator":"is","value":"a"}]},
        {"case_id":"never","conditions":[
            {"variable_selector":["gone","y"],"comparison_operator":"empty"}]}]})";
    QTest::newRow("short circuit: unevaluated missing variables are fine")
        << QString::fromUtf8(shortCircuit) << QStringLiteral("a") << QStringLiteral("true") << true;
    QTest::newRow("evaluated missing variable fails")
        << QString::fromUtf8(shortCircuit) << QStringLiteral("z") << QStringLiteral("!gone.x")
        << false;

    const char *number = R"({"cases":[{"case_id":"big","conditions":[
        {"variable_selector":["start","n"],"comparison_operator":"=","value":"1.5"}]}]})";
    QTest::newRow("int = 1.5 fails the node")
        << QString::fromUtf8(number) << QStringLiteral("x") << QStringLiteral("!1.5") << false;
    QTest::newRow("no cases") << QStringLiteral(R"({"cases":[]})") << QStringLiteral("x")
                              << QStringLiteral("false") << false;
}

void TestLogicNodes::ifElse()
{
    QFETCH(QString, data);
    QFETCH(QString, query);
    QFETCH(QString, handle);
    QFETCH(bool, result);

    VariablePool pool;
    if (!query.isNull())
        pool.set("start", "query", query.toStdString());
    pool.set("start", "n", 3);
    const Run run = runNode("if-else", Json::parse(data.toStdString()), pool);
    QCOMPARE(run.finishedCount, 1);
    if (handle.startsWith(QLatin1Char('!'))) {
        QCOMPARE(run.result.status, NodeResult::Status::Failed);
        QVERIFY2(run.result.error.contains(handle.mid(1)), qPrintable(run.result.error));
        QCOMPARE(run.result.errorType, QStringLiteral("ValueError"));
        return;
    }
    QVERIFY2(run.result.status == NodeResult::Status::Succeeded, qPrintable(run.result.error));
    QCOMPARE(run.result.edgeSourceHandle, handle);
    JSON_COMPARE(run.result.outputs,
                 (Json{{"result", result}, {"selected_case_id", handle.toStdString()}}));
}

void TestLogicNodes::ifElseDetails()
{
    VariablePool pool;
    pool.set("start", "query", "b");
    const Json data = Json::parse(R"({"cases":[
        {"case_id":"true","logical_operator":"and","conditions":[
            {"variable_selector":["start","query"],"comparison_operator":"is","value":"a"}]},
        {"case_id":"x","logical_operator":"or","conditions":[
            {"variable_selector":["start","query"],"comparison_operator":"is","value":"z"},
            {"variable_selector":["start","query"],"comparison_operator":"is","value":"b"}]}]})");
    const Run run = runNode("if-else", data, pool);
    QVERIFY(run.result.status == NodeResult::Status::Succeeded);
    const Json &results = run.result.processData.at("condition_results");
    QCOMPARE(results.size(), std::size_t(2));
    JSON_COMPARE(results[0].at("group"), data["cases"][0]);
    JSON_COMPARE(results[0].at("results"), Json::array({false}));
    JSON_COMPARE(results[0].at("final_result"), Json(false));
    JSON_COMPARE(results[1].at("results"), Json::array({false, true}));
    JSON_COMPARE(results[1].at("final_result"), Json(true));
    // The inputs are the conditions of the last case tried.
    const Json &conditions = run.result.inputs.at("conditions");
    QCOMPARE(conditions.size(), std::size_t(2));
    JSON_COMPARE(conditions[1].at("actual_value"), Json("b"));
    JSON_COMPARE(conditions[1].at("expected_value"), Json("b"));
    JSON_COMPARE(conditions[1].at("comparison_operator"), Json("is"));

    // The legacy shape reports its group as "default".
    const Run legacy
        = runNode("if-else", Json::parse(R"({"conditions":[{"variable_selector":["start","query"],
                                   "comparison_operator":"is","value":"b"}]})"),
                  pool);
    JSON_COMPARE(legacy.result.processData.at("condition_results")[0].at("group"), Json("default"));
    QCOMPARE(legacy.result.edgeSourceHandle, QStringLiteral("true"));
}

QTEST_GUILESS_MAIN(TestLogicNodes)
#include "tst_logicnodes.moc"

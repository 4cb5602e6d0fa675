// Dify's condition processor (dify.md §6, §12): every operator per value type, the conversions of
// the expected value, templates, file sub-conditions, short circuit and the Python helpers.
#include <QTest>

#include <cmath>

#include "nodes/conditions.h"
#include "variables/variablepool.h"

using flowbench::nodes::Json;
using flowbench::variables::VariablePool;
namespace py = flowbench::nodes::py;

// QCOMPARE cannot take nlohmann::json (its conversions are ambiguous); this shows both dumps.
#define JSON_COMPARE(actual, expected)                                                             \
    do {                                                                                           \
        const Json a_ = (actual);                                                                  \
        const Json e_ = (expected);                                                                \
        QVERIFY2(a_ == e_, qPrintable(QString::fromStdString(a_.dump() + " != " + e_.dump())));    \
    } while (false)

namespace {

enum Outcome { False = 0, True = 1, Fails = 2 };

// The variable under test lives at n.v; these sit beside it for templates.
VariablePool basePool()
{
    VariablePool pool;
    pool.set("n", "t", "hello");
    pool.set("n", "num", 5);
    pool.set("n", "f", 2.0);
    pool.set("n", "list", Json::array({"a", "b"}));
    return pool;
}

Json file(const char *name, const char *type, const char *extension, int size, const char *mime)
{
    return Json{{"dify_model_identity", "__dify__file__"},
                {"name", name},
                {"type", type},
                {"extension", extension},
                {"size", size},
                {"mime_type", mime},
                {"transfer_method", "local_file"},
                {"url", std::string("https://example.com/") + name}};
}

Json condition(const Json &op, const Json &value)
{
    Json c = {{"variable_selector", {"n", "v"}}, {"comparison_operator", op}};
    if (!value.is_discarded())
        c["value"] = value;
    return c;
}

} // namespace

class TestConditions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void operators_data();
    void operators();
    void fileSubConditions_data();
    void fileSubConditions();
    void shortCircuit();
    void details();
    void errorsNameVariableAndOperator();
    void pythonHelpers_data();
    void pythonHelpers();
    void truthyAndEquals();
};

void TestConditions::operators_data()
{
    QTest::addColumn<QString>("value"); // JSON of the variable at n.v; empty: absent
    QTest::addColumn<QString>("op");
    QTest::addColumn<QString>("expected"); // JSON of the condition's `value`; empty: absent
    QTest::addColumn<int>("outcome");

    const auto row = [](const char *name, const char *value, const char *op, const char *expected,
                        Outcome outcome) {
        QTest::newRow(name) << QString::fromUtf8(value) << QString::fromUtf8(op)
                            << QString::fromUtf8(expected) << int(outcome);
    };

    // contains / not contains
    row("str contains", R"("hello world")", "contains", R"("world")", True);
    row("str contains missing", R"("hello world")", "contains", R"("xyz")", False);
    row("str not contains", R"("hello")", "not contains", R"("x")", True);
    row("str not contains present", R"("hello")", "not contains", R"("ell")", False);
    row("empty str contains", R"("")", "contains", R"("a")", False);
    row("empty str not contains", R"("")", "not contains", R"("a")", True);
    row("null contains", "null", "contains", R"("a")", False);
    row("null not contains", "null", "not contains", R"("a")", True);
    row("array[string] contains", R"(["a","b"])", "contains", R"("a")", True);
    row("array[string] contains none", R"(["a","b"])", "contains", R"("c")", False);
    row("array[number] never contains a string", "[1,2]", "contains", R"("1")", False);
    row("array[number] not contains string", "[1,2]", "not contains", R"("1")", True);
    row("array[boolean] contains converted", "[true]", "contains", R"("true")", True);
    row("empty array contains", "[]", "contains", R"("a")", False);
    row("number contains raises", "5", "contains", R"("5")", Fails);
    row("object contains raises", R"({"a":1})", "contains", R"("a")", Fails);
    // start with / end with
    row("start with", R"("hello")", "start with", R"("he")", True);
    row("start with no", R"("hello")", "start with", R"("lo")", False);
    row("end with", R"("hello")", "end with", R"("lo")", True);
    row("end with no", R"("hello")", "end with", R"("he")", False);
    row("empty str start with empty", R"("")", "start with", R"("")", False);
    row("null end with", "null", "end with", R"("x")", False);
    row("number start with raises", "5", "start with", R"("5")", Fails);
    // is / is not
    row("is", R"("abc")", "is", R"("abc")", True);
    row("is differs", R"("abc")", "is", R"("abd")", False);
    row("is not", R"("abc")", "is not", R"("abd")", True);
    row("is not same", R"("abc")", "is not", R"("abc")", False);
    row("null is", "null", "is", R"("x")", False);
    row("null is not", "null", "is not", R"("x")", False);
    row("bool is true", "true", "is", R"("true")", True);
    row("bool is false", "true", "is", R"("false")", False);
    row("bool is 1", "true", "is", R"("1")", True);
    row("bool is 2 (json int)", "true", "is", R"("2")", True);
    row("bool is not 1", "false", "is not", R"("1")", True);
    row("bool is yes raises", "true", "is", R"("yes")", Fails);
    row("bool is True raises", "true", "is", R"("True")", Fails);
    row("bool is 1.0 raises", "true", "is", R"("1.0")", Fails);
    row("number is raises", "5", "is", R"("5")", Fails);
    // empty / not empty: Python truthiness
    row("empty str", R"("")", "empty", "", True);
    row("empty zero", "0", "empty", "", True);
    row("empty zero float", "0.0", "empty", "", True);
    row("empty list", "[]", "empty", "", True);
    row("empty dict", "{}", "empty", "", True);
    row("empty null", "null", "empty", "", True);
    row("empty false", "false", "empty", "", True);
    row("empty text", R"("a")", "empty", "", False);
    row("not empty zero", "0", "not empty", "", False);
    row("not empty [0]", "[0]", "not empty", "", True);
    row("not empty space", R"(" ")", "not empty", "", True);
    // = and ≠
    row("int = str", "5", "=", R"("5")", True);
    row("int = other", "5", "=", R"("6")", False);
    row("int ≠ other", "5", "≠", R"("6")", True);
    row("int ≠ same", "5", "≠", R"("5")", False);
    row("int = spaced", "5", "=", R"(" 5 ")", True);
    row("int = underscores", "1000", "=", R"("1_000")", True);
    row("int = 1.5 raises", "5", "=", R"("1.5")", Fails);
    row("int = empty raises", "5", "=", R"("")", Fails);
    row("int = 1e3 raises", "1000", "=", R"("1e3")", Fails);
    row("int = 1.0 raises", "1", "=", R"("1.0")", Fails);
    row("int ≠ 1.5 raises", "5", "≠", R"("1.5")", Fails);
    row("float = str", "2.5", "=", R"("2.5")", True);
    row("float = int str", "2.0", "=", R"("2")", True);
    row("float = 1e3", "1000.0", "=", R"("1e3")", True);
    row("float = text raises", "2.5", "=", R"("abc")", Fails);
    row("null = ", "null", "=", R"("1")", False);
    row("null ≠ ", "null", "≠", R"("1")", False);
    row("bool = true", "true", "=", R"("true")", True);
    row("bool = 0", "false", "=", R"("0")", True);
    row("bool ≠ 1", "false", "≠", R"("1")", True);
    row("string = raises", R"("5")", "=", R"("5")", Fails);
    row("list = raises", "[5]", "=", R"("5")", Fails);
    // > < ≥ ≤
    row("int > ", "5", ">", R"("3")", True);
    row("int > equal", "5", ">", R"("5")", False);
    row("int ≥ equal", "5", "≥", R"("5")", True);
    row("int < float str", "5", "<", R"("5.5")", True);
    row("int ≤ float str", "5", "≤", R"("4.9")", False);
    row("int > 1e3 parsed by float", "5", ">", R"("1e3")", False);
    row("int ≥ 5.0 as int", "5", "≥", R"("5.0")", True);
    row("float > int str", "2.5", ">", R"("2")", True);
    row("float ≤ ", "2.5", "≤", R"("2.5")", True);
    row("int < inf", "5", "<", R"("inf")", True);
    row("int > nan", "5", ">", R"("nan")", False);
    row("big ints compare as ints", "9007199254740993", ">", R"("9007199254740992")", True);
    row("> text raises", "5", ">", R"("abc")", Fails);
    row("> empty raises", "5", ">", R"("")", Fails);
    row("string > raises", R"("5")", ">", R"("3")", Fails);
    row("null > ", "null", ">", R"("1")", False);
    row("null ≤ ", "null", "≤", R"("1")", False);
    // null / not null
    row("null null", "null", "null", "", True);
    row("zero null", "0", "null", "", False);
    row("null not null", "null", "not null", "", False);
    row("empty str not null", R"("")", "not null", "", True);
    // in / not in
    row("in", R"("a")", "in", R"(["a","b"])", True);
    row("in absent", R"("c")", "in", R"(["a","b"])", False);
    row("not in", R"("c")", "not in", R"(["a","b"])", True);
    row("not in present", R"("a")", "not in", R"(["a","b"])", False);
    row("empty in", R"("")", "in", R"([""])", False);
    row("empty not in", R"("")", "not in", R"([""])", True);
    row("in string expected raises", R"("a")", "in", R"("abc")", Fails);
    row("int in strings", "1", "in", R"(["1"])", False);
    // all of
    row("all of", R"(["a","b","c"])", "all of", R"(["a","b"])", True);
    row("all of missing", R"(["a"])", "all of", R"(["a","b"])", False);
    row("all of empty", "[]", "all of", R"(["a"])", False);
    row("all of substrings", R"("abc")", "all of", R"(["a","bc"])", True);
    row("all of booleans", "[true,false]", "all of", R"(["true","0"])", True);
    row("all of string expected raises", R"(["a"])", "all of", R"("a")", Fails);
    // exists / not exists (test for null, not for absence)
    row("file exists", R"({"dify_model_identity":"__dify__file__","name":"a"})", "exists", "",
        True);
    row("null exists", "null", "exists", "", False);
    row("null not exists", "null", "not exists", "", True);
    row("value not exists", R"("x")", "not exists", "", False);
    // a missing variable fails whatever the operator
    row("absent contains", "", "contains", R"("a")", Fails);
    row("absent empty", "", "empty", "", Fails);
    row("absent exists", "", "exists", "", Fails);
    row("absent not exists", "", "not exists", "", Fails);
    row("absent null", "", "null", "", Fails);
    // expected values are templates rendered with the text rendering
    row("template string", R"("hello")", "is", R"("{{#n.t#}}")", True);
    row("template in text", R"("say hello")", "contains", R"("say {{#n.t#}}")", True);
    row("template number", "5", "=", R"("{{#n.num#}}")", True);
    row("template unresolved is its text", R"("n.missing")", "is", R"("{{#n.missing#}}")", True);
    row("template float renders 2.0", "2", "=", R"("{{#n.f#}}")", Fails);
    row("template array renders json", R"("[\"a\", \"b\"]")", "is", R"("{{#n.list#}}")", True);
    // operators
    row("unknown operator", R"("a")", "like", R"("a")", Fails);
    row("absent value is None", R"("a")", "is", "", False);
}

void TestConditions::operators()
{
    QFETCH(QString, value);
    QFETCH(QString, op);
    QFETCH(QString, expected);
    QFETCH(int, outcome);

    VariablePool pool = basePool();
    if (!value.isEmpty())
        pool.set("n", "v", Json::parse(value.toStdString()));
    const Json exp
        = expected.isEmpty() ? Json(Json::value_t::discarded) : Json::parse(expected.toStdString());
    const Json conditions = Json::array({condition(op.toStdString(), exp)});
    const auto result
        = flowbench::nodes::evaluateConditions(conditions, QStringLiteral("and"), pool);
    if (outcome == Fails) {
        QVERIFY2(!result, "expected a failure");
        QVERIFY(!result.error().message.isEmpty());
        return;
    }
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    QCOMPARE(*result, outcome == True);
}

void TestConditions::fileSubConditions_data()
{
    QTest::addColumn<QString>("op");
    QTest::addColumn<QString>("sub"); // JSON of sub_variable_condition; empty: absent
    QTest::addColumn<int>("outcome");

    const auto row = [](const char *name, const char *op, const char *sub, Outcome outcome) {
        QTest::newRow(name) << QString::fromUtf8(op) << QString::fromUtf8(sub) << int(outcome);
    };
    const auto one = [](const char *key, const char *op, const char *value) {
        return std::string(R"({"logical_operator":"and","conditions":[{"key":")") + key
               + R"(","comparison_operator":")" + op + R"(","value":)" + value + "}]}";
    };
    const auto r = [&](const char *name, const char *op, const std::string &sub, Outcome o) {
        row(name, op, sub.c_str(), o); // the row copies the text
    };

    r("type in image", "contains", one("type", "in", R"(["image"])"), True);
    r("type not in image: every file", "contains", one("type", "not in", R"(["image"])"), False);
    r("type not in audio", "contains", one("type", "not in", R"(["audio"])"), True);
    r("extension without dot", "contains", one("extension", "is", R"("pdf")"), True);
    r("extension with dot", "contains", one("extension", "is", R"(".png")"), True);
    r("extension is not: every file", "contains", one("extension", "is not", R"("png")"), False);
    r("extension is not gif", "contains", one("extension", "is not", R"("gif")"), True);
    r("extension list raises", "contains", one("extension", "is", R"([".png"])"), Fails);
    r("size >", "contains", one("size", ">", R"("1000")"), True);
    r("size <", "contains", one("size", "<", R"("50")"), False);
    r("name start with", "contains", one("name", "start with", R"("a")"), True);
    r("mime contains", "contains", one("mime_type", "contains", R"("image/")"), True);
    r("url end with", "contains", one("url", "end with", R"(".pdf")"), True);
    r("all of uses the same test", "all of", one("type", "in", R"(["document"])"), True);
    r("not contains uses the same test", "not contains", one("type", "in", R"(["video"])"), False);
    row("and: each sub-condition on any file", "contains",
        R"({"logical_operator":"and","conditions":[
            {"key":"type","comparison_operator":"in","value":["image"]},
            {"key":"size","comparison_operator":">","value":"1000"}]})",
        True);
    row("and: one fails", "contains",
        R"({"logical_operator":"and","conditions":[
            {"key":"type","comparison_operator":"in","value":["audio"]},
            {"key":"size","comparison_operator":">","value":"1000"}]})",
        False);
    row("or", "contains",
        R"({"logical_operator":"or","conditions":[
            {"key":"type","comparison_operator":"in","value":["audio"]},
            {"key":"name","comparison_operator":"end with","value":".pdf"}]})",
        True);
    row("no sub-condition raises", "contains", "", Fails);
    r("unknown key raises", "contains", one("colour", "is", R"("red")"), Fails);
}

void TestConditions::fileSubConditions()
{
    QFETCH(QString, op);
    QFETCH(QString, sub);
    QFETCH(int, outcome);

    VariablePool pool;
    pool.set("n", "v",
             Json::array({file("a.png", "image", ".png", 100, "image/png"),
                          file("b.pdf", "document", "pdf", 2000, "application/pdf")}));
    Json c = condition(op.toStdString(), Json(Json::value_t::discarded));
    if (!sub.isEmpty())
        c["sub_variable_condition"] = Json::parse(sub.toStdString());
    const auto result
        = flowbench::nodes::evaluateConditions(Json::array({c}), QStringLiteral("and"), pool);
    if (outcome == Fails) {
        QVERIFY(!result);
        return;
    }
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    QCOMPARE(*result, outcome == True);
}

void TestConditions::shortCircuit()
{
    VariablePool pool;
    pool.set("n", "v", "x");
    const Json yes = condition("is", "x");
    const Json no = condition("is", "y");
    const Json missing
        = {{"variable_selector", {"n", "missing"}}, {"comparison_operator", "is"}, {"value", "x"}};
    using flowbench::nodes::evaluateConditions;
    const QString andOp = QStringLiteral("and");
    const QString orOp = QStringLiteral("or");

    Json details;
    auto r = evaluateConditions(Json::array({no, missing}), andOp, pool, &details);
    QVERIFY(r);
    QCOMPARE(*r, false);
    QCOMPARE(details.size(), std::size_t(1)); // the missing variable is never looked at

    QVERIFY(!evaluateConditions(Json::array({yes, missing}), andOp, pool));

    details = Json();
    r = evaluateConditions(Json::array({yes, missing}), orOp, pool, &details);
    QVERIFY(r);
    QCOMPARE(*r, true);
    QCOMPARE(details.size(), std::size_t(1));

    QVERIFY(!evaluateConditions(Json::array({no, missing}), orOp, pool));

    r = evaluateConditions(Json::array(), andOp, pool);
    QVERIFY(r && *r); // an empty AND case is true
    r = evaluateConditions(Json::array(), orOp, pool);
    QVERIFY(r && !*r);
    r = evaluateConditions(Json::array({yes, yes}), andOp, pool);
    QVERIFY(r && *r);
    r = evaluateConditions(Json::array({no, no}), orOp, pool);
    QVERIFY(r && !*r);
}

void TestConditions::details()
{
    VariablePool pool = basePool();
    pool.set("n", "v", 7);
    Json details;
    const Json conditions
        = Json::array({condition(">", "{{#n.num#}}"), condition("not null", Json())});
    const auto r
        = flowbench::nodes::evaluateConditions(conditions, QStringLiteral("and"), pool, &details);
    QVERIFY(r && *r);
    QCOMPARE(details.size(), std::size_t(2));
    JSON_COMPARE(details[0].at("actual_value"), Json(7));
    JSON_COMPARE(details[0].at("expected_value"), Json("5")); // rendered
    JSON_COMPARE(details[0].at("comparison_operator"), Json(">"));
    JSON_COMPARE(details[0].at("result"), Json(true));
    JSON_COMPARE(details[1].at("comparison_operator"), Json("not null"));

    // Boolean variables show the converted expected value.
    pool.set("n", "v", true);
    details = Json();
    QVERIFY(flowbench::nodes::evaluateConditions(Json::array({condition("is", "false")}),
                                                 QStringLiteral("and"), pool, &details));
    JSON_COMPARE(details[0].at("expected_value"), Json(false));
}

void TestConditions::errorsNameVariableAndOperator()
{
    VariablePool pool;
    pool.set("n", "v", 5);
    auto r = flowbench::nodes::evaluateConditions(
        Json::array({{{"variable_selector", {"start", "gone"}}, {"comparison_operator", "≥"}}}),
        QStringLiteral("and"), pool);
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains(QStringLiteral("start.gone")),
             qPrintable(r.error().message));
    QVERIFY(r.error().message.contains(QStringLiteral("≥")));

    r = flowbench::nodes::evaluateConditions(Json::array({condition("=", "1.5")}),
                                             QStringLiteral("and"), pool);
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains(QStringLiteral("n.v")), qPrintable(r.error().message));
    QVERIFY(r.error().message.contains(QStringLiteral("1.5")));

    QVERIFY(!flowbench::nodes::evaluateConditions(Json("nope"), QStringLiteral("and"), pool));
    QVERIFY(!flowbench::nodes::evaluateConditions(Json::array({42}), QStringLiteral("and"), pool));
}

void TestConditions::pythonHelpers_data()
{
    QTest::addColumn<QString>("call");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected"); // JSON; "error" when Python raises

    const auto row = [](const char *call, const char *input, const char *expected) {
        QTest::addRow("%s(%s)", call, input)
            << QString::fromUtf8(call) << QString::fromUtf8(input) << QString::fromUtf8(expected);
    };
    row("int", "42", "42");
    row("int", " -7 ", "-7");
    row("int", "+5", "5");
    row("int", "1_000", "1000");
    row("int", "007", "7");
    row("int", "1__0", "error");
    row("int", "_1", "error");
    row("int", "1_", "error");
    row("int", "1.5", "error");
    row("int", "1.0", "error");
    row("int", "1e3", "error");
    row("int", "", "error");
    row("int", "0x10", "error");
    row("int", "99999999999999999999", "1e20");
    row("float", "1.5", "1.5");
    row("float", " .5 ", "0.5");
    row("float", "5.", "5.0");
    row("float", "1e3", "1000.0");
    row("float", "1_0.5", "10.5");
    row("float", "+.5e-3", "0.0005");
    row("float", "1e400", "inf");
    row("float", "-Infinity", "-inf");
    row("float", "nAn", "nan");
    row("float", "1_.5", "error");
    row("float", ".", "error");
    row("float", "1e", "error");
    row("float", "e5", "error");
    row("float", "0x1p3", "error");
    row("float", "", "error");
}

void TestConditions::pythonHelpers()
{
    QFETCH(QString, call);
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const std::string text = input.toStdString();
    if (call == QLatin1String("int")) {
        const auto r = py::parseInt(text);
        if (expected == QLatin1String("error")) {
            QVERIFY(!r);
            return;
        }
        QVERIFY(r);
        QVERIFY(py::equals(*r, Json::parse(expected.toStdString())));
        return;
    }
    const auto r = py::parseFloat(text);
    if (expected == QLatin1String("error")) {
        QVERIFY(!r);
        return;
    }
    QVERIFY(r);
    if (expected == QLatin1String("inf"))
        QVERIFY(std::isinf(*r) && *r > 0);
    else if (expected == QLatin1String("-inf"))
        QVERIFY(std::isinf(*r) && *r < 0);
    else if (expected == QLatin1String("nan"))
        QVERIFY(std::isnan(*r));
    else
        QCOMPARE(*r, Json::parse(expected.toStdString()).get<double>());
}

void TestConditions::truthyAndEquals()
{
    for (const char *falsy : {"null", "false", "0", "0.0", R"("")", "[]", "{}"})
        QVERIFY2(!py::truthy(Json::parse(falsy)), falsy);
    for (const char *truthy : {"true", "1", "-0.5", R"(" ")", "[0]", R"({"a":null})"})
        QVERIFY2(py::truthy(Json::parse(truthy)), truthy);
    QVERIFY(py::equals(Json(1), Json(1.0)));
    QVERIFY(py::equals(Json(true), Json(1)));
    QVERIFY(!py::equals(Json("1"), Json(1)));
    QVERIFY(py::equals(Json::parse(R"({"a":[1,2.0]})"), Json::parse(R"({"a":[1.0,2]})")));
    QVERIFY(!py::equals(Json::parse("[1,2]"), Json::parse("[2,1]")));
    QVERIFY(!py::equals(Json(9007199254740993), Json(9007199254740992.0)));
    QVERIFY(py::equals(Json(), Json()));
    QVERIFY(py::compare(Json(2), Json(2.5)) == std::optional<int>(-1));
    QVERIFY(!py::compare(Json("2"), Json(2)));
}

QTEST_GUILESS_MAIN(TestConditions)
#include "tst_conditions.moc"

// Values and the variable pool (dify.md §5.1, §5.4). The expected strings in the tables were
// produced by python3 itself (str(), repr(), json.dumps(..., ensure_ascii=False[, indent=2]))
// and by Dify's rendering rules applied to the same values, so they pin Python's exact output.

#include "variables/value.h"
#include "variables/variablepool.h"

#include <QTest>

#include <limits>

using namespace flowbench::variables;

namespace {

QByteArray bytes(const std::string &text)
{
    return QByteArray::fromStdString(text);
}

// JSON values are compared through their text: QCOMPARE on nlohmann::json itself trips over
// the implicit conversions, and the text makes a failure readable.
QByteArray dumped(const Json &value)
{
    return QByteArray::fromStdString(value.dump());
}

Json parse(const QByteArray &text)
{
    return Json::parse(text.toStdString());
}

Json file(const std::string &name, const std::string &type, const std::string &url)
{
    return Json{{"dify_model_identity", kFileIdentity},
                {"name", name},
                {"size", 2048},
                {"type", type},
                {"extension", ".png"},
                {"mime_type", "image/png"},
                {"transfer_method", "remote_url"},
                {"url", url},
                {"related_id", nullptr}};
}

} // namespace

class TestVariables : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void renderings_data();
    void renderings();
    void floats_data();
    void floats();
    void stringRepr_data();
    void stringRepr();
    void pinnedExamples();
    void nulAndInvalidUtf8();
    void userTypes();
    void files();
    void fileMarkdown_data();
    void fileMarkdown();
    void selectorTexts();

    void poolSetAndFind();
    void poolNestedWalk();
    void poolFileAttributes_data();
    void poolFileAttributes();
    void poolSetBySelector();
    void poolRemove();
    void poolSnapshotRoundTrip();
    void poolIsAValue();
};

void TestVariables::renderings_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("str");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("markdown");

    QTest::newRow("string") << QByteArray("\"hello\"") << QByteArray("string")
                            << QByteArray("hello") << QByteArray("hello") << QByteArray("hello");
    QTest::newRow("string non-ascii")
        << QByteArray("\"中文 ü\"") << QByteArray("string") << QByteArray("中文 ü")
        << QByteArray("中文 ü") << QByteArray("中文 ü");
    QTest::newRow("empty string") << QByteArray("\"\"") << QByteArray("string") << QByteArray("")
                                  << QByteArray("") << QByteArray("");
    QTest::newRow("int") << QByteArray("5") << QByteArray("integer") << QByteArray("5")
                         << QByteArray("5") << QByteArray("5");
    QTest::newRow("negative int") << QByteArray("-42") << QByteArray("integer") << QByteArray("-42")
                                  << QByteArray("-42") << QByteArray("-42");
    QTest::newRow("zero") << QByteArray("0") << QByteArray("integer") << QByteArray("0")
                          << QByteArray("0") << QByteArray("0");
    QTest::newRow("big int") << QByteArray("9223372036854775807") << QByteArray("integer")
                             << QByteArray("9223372036854775807")
                             << QByteArray("9223372036854775807")
                             << QByteArray("9223372036854775807");
    QTest::newRow("min int") << QByteArray("-9223372036854775808") << QByteArray("integer")
                             << QByteArray("-9223372036854775808")
                             << QByteArray("-9223372036854775808")
                             << QByteArray("-9223372036854775808");
    QTest::newRow("unsigned beyond int64")
        << QByteArray("18446744073709551615") << QByteArray("integer")
        << QByteArray("18446744073709551615") << QByteArray("18446744073709551615")
        << QByteArray("18446744073709551615");
    QTest::newRow("float 2.0") << QByteArray("2.0") << QByteArray("float") << QByteArray("2.0")
                               << QByteArray("2.0") << QByteArray("2.0");
    QTest::newRow("float 0.1") << QByteArray("0.1") << QByteArray("float") << QByteArray("0.1")
                               << QByteArray("0.1") << QByteArray("0.1");
    QTest::newRow("float 100.0") << QByteArray("100.0") << QByteArray("float")
                                 << QByteArray("100.0") << QByteArray("100.0")
                                 << QByteArray("100.0");
    QTest::newRow("float 1e-5") << QByteArray("1e-05") << QByteArray("float") << QByteArray("1e-05")
                                << QByteArray("1e-05") << QByteArray("1e-05");
    QTest::newRow("float 0.0001") << QByteArray("0.0001") << QByteArray("float")
                                  << QByteArray("0.0001") << QByteArray("0.0001")
                                  << QByteArray("0.0001");
    QTest::newRow("float 1e16") << QByteArray("1e16") << QByteArray("float") << QByteArray("1e+16")
                                << QByteArray("1e+16") << QByteArray("1e+16");
    QTest::newRow("float 1e15") << QByteArray("1e15") << QByteArray("float")
                                << QByteArray("1000000000000000.0")
                                << QByteArray("1000000000000000.0")
                                << QByteArray("1000000000000000.0");
    QTest::newRow("float 1.2345678901234568e17")
        << QByteArray("123456789012345680.0") << QByteArray("float")
        << QByteArray("1.2345678901234568e+17") << QByteArray("1.2345678901234568e+17")
        << QByteArray("1.2345678901234568e+17");
    QTest::newRow("float 1.5e300")
        << QByteArray("1.5e300") << QByteArray("float") << QByteArray("1.5e+300")
        << QByteArray("1.5e+300") << QByteArray("1.5e+300");
    QTest::newRow("float -0.0") << QByteArray("-0.0") << QByteArray("float") << QByteArray("-0.0")
                                << QByteArray("-0.0") << QByteArray("-0.0");
    QTest::newRow("float -2.5") << QByteArray("-2.5") << QByteArray("float") << QByteArray("-2.5")
                                << QByteArray("-2.5") << QByteArray("-2.5");
    QTest::newRow("float 1/3") << QByteArray("0.3333333333333333") << QByteArray("float")
                               << QByteArray("0.3333333333333333")
                               << QByteArray("0.3333333333333333")
                               << QByteArray("0.3333333333333333");
    QTest::newRow("float 5e-324") << QByteArray("5e-324") << QByteArray("float")
                                  << QByteArray("5e-324") << QByteArray("5e-324")
                                  << QByteArray("5e-324");
    QTest::newRow("float 1.7976931348623157e308")
        << QByteArray("1.7976931348623157e308") << QByteArray("float")
        << QByteArray("1.7976931348623157e+308") << QByteArray("1.7976931348623157e+308")
        << QByteArray("1.7976931348623157e+308");
    QTest::newRow("float 123.456")
        << QByteArray("123.456") << QByteArray("float") << QByteArray("123.456")
        << QByteArray("123.456") << QByteArray("123.456");
    QTest::newRow("float 1e22") << QByteArray("1e22") << QByteArray("float") << QByteArray("1e+22")
                                << QByteArray("1e+22") << QByteArray("1e+22");
    QTest::newRow("float 12345678.9")
        << QByteArray("12345678.9") << QByteArray("float") << QByteArray("12345678.9")
        << QByteArray("12345678.9") << QByteArray("12345678.9");
    QTest::newRow("true") << QByteArray("true") << QByteArray("boolean") << QByteArray("True")
                          << QByteArray("True") << QByteArray("True");
    QTest::newRow("false") << QByteArray("false") << QByteArray("boolean") << QByteArray("False")
                           << QByteArray("False") << QByteArray("False");
    QTest::newRow("null") << QByteArray("null") << QByteArray("none") << QByteArray("None")
                          << QByteArray("") << QByteArray("");
    QTest::newRow("object") << QByteArray("{\"a\": 1, \"b\": \"中\"}") << QByteArray("object")
                            << QByteArray("{'a': 1, 'b': '中'}")
                            << QByteArray("{\"a\": 1, \"b\": \"中\"}")
                            << QByteArray("{\n  \"a\": 1,\n  \"b\": \"中\"\n}");
    QTest::newRow("object nested")
        << QByteArray("{\"a\": [1], \"b\": {\"c\": null, \"d\": true}, \"e\": 2.0}")
        << QByteArray("object") << QByteArray("{'a': [1], 'b': {'c': None, 'd': True}, 'e': 2.0}")
        << QByteArray("{\"a\": [1], \"b\": {\"c\": null, \"d\": true}, \"e\": 2.0}")
        << QByteArray("{\n  \"a\": [\n    1\n  ],\n  \"b\": {\n    \"c\": null,\n    \"d\": true\n "
                      " },\n  \"e\": 2.0\n}");
    QTest::newRow("object empty") << QByteArray("{}") << QByteArray("object") << QByteArray("{}")
                                  << QByteArray("{}") << QByteArray("{}");
    QTest::newRow("object escapes")
        << QByteArray("{\"q\": \"say \\\"hi\\\"\\n\\tand \\\\ \\u0001\"}") << QByteArray("object")
        << QByteArray("{'q': 'say \"hi\"\\n\\tand \\\\ \\x01'}")
        << QByteArray("{\"q\": \"say \\\"hi\\\"\\n\\tand \\\\ \\u0001\"}")
        << QByteArray("{\n  \"q\": \"say \\\"hi\\\"\\n\\tand \\\\ \\u0001\"\n}");
    QTest::newRow("object apostrophe")
        << QByteArray("{\"k\": \"it's\"}") << QByteArray("object") << QByteArray("{'k': \"it's\"}")
        << QByteArray("{\"k\": \"it's\"}") << QByteArray("{\n  \"k\": \"it's\"\n}");
    QTest::newRow("object both quotes")
        << QByteArray("{\"k\": \"it's \\\"x\\\"\"}") << QByteArray("object")
        << QByteArray("{'k': 'it\\'s \"x\"'}") << QByteArray("{\"k\": \"it's \\\"x\\\"\"}")
        << QByteArray("{\n  \"k\": \"it's \\\"x\\\"\"\n}");
    QTest::newRow("array[string]")
        << QByteArray("[\"a\", \"b\"]") << QByteArray("array[string]") << QByteArray("['a', 'b']")
        << QByteArray("[\"a\", \"b\"]") << QByteArray("- a\n- b");
    QTest::newRow("array[string] escapes")
        << QByteArray("[\"x\\\"y\", \"ü\\n\"]") << QByteArray("array[string]")
        << QByteArray("['x\"y', 'ü\\n']") << QByteArray("[\"x\\\"y\", \"ü\\n\"]")
        << QByteArray("- x\"y\n- ü\n");
    QTest::newRow("array[string] empty") << QByteArray("[]") << QByteArray("array[any]")
                                         << QByteArray("[]") << QByteArray("") << QByteArray("");
    QTest::newRow("array[number]")
        << QByteArray("[1, 2.0, 3]") << QByteArray("array[number]") << QByteArray("[1, 2.0, 3]")
        << QByteArray("[1, 2.0, 3]") << QByteArray("- 1\n- 2.0\n- 3");
    QTest::newRow("array[number] ints")
        << QByteArray("[1, 2]") << QByteArray("array[number]") << QByteArray("[1, 2]")
        << QByteArray("[1, 2]") << QByteArray("- 1\n- 2");
    QTest::newRow("array[boolean]") << QByteArray("[true, false]") << QByteArray("array[boolean]")
                                    << QByteArray("[True, False]") << QByteArray("[True, False]")
                                    << QByteArray("- True\n- False");
    QTest::newRow("array[object]")
        << QByteArray("[{\"a\": 1}, {\"b\": \"c\"}]") << QByteArray("array[object]")
        << QByteArray("[{'a': 1}, {'b': 'c'}]") << QByteArray("[{'a': 1}, {'b': 'c'}]")
        << QByteArray("- {'a': 1}\n- {'b': 'c'}");
    QTest::newRow("array[any] mixed")
        << QByteArray("[1, 2.0, true, null]") << QByteArray("array[any]")
        << QByteArray("[1, 2.0, True, None]") << QByteArray("[1, 2.0, True, None]")
        << QByteArray("- 1\n- 2.0\n- True\n- None");
    QTest::newRow("array[any] string and int")
        << QByteArray("[\"a\", 1]") << QByteArray("array[any]") << QByteArray("['a', 1]")
        << QByteArray("['a', 1]") << QByteArray("- a\n- 1");
    QTest::newRow("array[any] nested lists")
        << QByteArray("[[1], [\"x\"]]") << QByteArray("array[any]") << QByteArray("[[1], ['x']]")
        << QByteArray("[[1], ['x']]") << QByteArray("- [1]\n- ['x']");
    QTest::newRow("array[any] nones")
        << QByteArray("[null, null]") << QByteArray("array[any]") << QByteArray("[None, None]")
        << QByteArray("[None, None]") << QByteArray("- None\n- None");
    QTest::newRow("array[any] list and string")
        << QByteArray("[[], \"s\"]") << QByteArray("array[any]") << QByteArray("[[], 's']")
        << QByteArray("[[], 's']") << QByteArray("- []\n- s");
    QTest::newRow("array[any] object and string")
        << QByteArray("[{\"k\": \"v\"}, \"s\"]") << QByteArray("array[any]")
        << QByteArray("[{'k': 'v'}, 's']") << QByteArray("[{'k': 'v'}, 's']")
        << QByteArray("- {'k': 'v'}\n- s");
    QTest::newRow("array[object] with non-ascii")
        << QByteArray("[{\"名\": \"值\"}]") << QByteArray("array[object]")
        << QByteArray("[{'名': '值'}]") << QByteArray("[{'名': '值'}]")
        << QByteArray("- {'名': '值'}");
    QTest::newRow("array[string] non-printable")
        << QByteArray("[\"a\\u00a0b\", \"\\u200b\", \"\\u0007\"]") << QByteArray("array[string]")
        << QByteArray("['a\\xa0b', '\\u200b', '\\x07']")
        << QByteArray("[\"a\u00a0b\", \"\u200b\", \"\\u0007\"]")
        << QByteArray("- a\u00a0b\n- \u200b\n- \x07"
                      "");
    QTest::newRow("object with list")
        << QByteArray("{\"a\": [1]}") << QByteArray("object") << QByteArray("{'a': [1]}")
        << QByteArray("{\"a\": [1]}") << QByteArray("{\n  \"a\": [\n    1\n  ]\n}");
    QTest::newRow("object empty containers")
        << QByteArray("{\"a\": [], \"b\": {}, \"c\": \"x\"}") << QByteArray("object")
        << QByteArray("{'a': [], 'b': {}, 'c': 'x'}")
        << QByteArray("{\"a\": [], \"b\": {}, \"c\": \"x\"}")
        << QByteArray("{\n  \"a\": [],\n  \"b\": {},\n  \"c\": \"x\"\n}");
    QTest::newRow("object deep")
        << QByteArray("{\"a\": {\"b\": {\"c\": [1, {\"d\": \"中\"}]}}}") << QByteArray("object")
        << QByteArray("{'a': {'b': {'c': [1, {'d': '中'}]}}}")
        << QByteArray("{\"a\": {\"b\": {\"c\": [1, {\"d\": \"中\"}]}}}")
        << QByteArray("{\n  \"a\": {\n    \"b\": {\n      \"c\": [\n        1,\n        {\n        "
                      "  \"d\": \"中\"\n        }\n      ]\n    }\n  }\n}");
    QTest::newRow("array[string] non-ascii")
        << QByteArray("[\"中\", \"ü\"]") << QByteArray("array[string]") << QByteArray("['中', 'ü']")
        << QByteArray("[\"中\", \"ü\"]") << QByteArray("- 中\n- ü");
    QTest::newRow("array[number] floats")
        << QByteArray("[0.1, 1e-05, 1e+16]") << QByteArray("array[number]")
        << QByteArray("[0.1, 1e-05, 1e+16]") << QByteArray("[0.1, 1e-05, 1e+16]")
        << QByteArray("- 0.1\n- 1e-05\n- 1e+16");
}

void TestVariables::renderings()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, str);
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, markdown);

    const Json value = parse(json);
    QCOMPARE(bytes(segmentType(value)), type);
    QCOMPARE(bytes(pythonStr(value)), str);
    QCOMPARE(bytes(renderText(value)), text);
    QCOMPARE(bytes(renderMarkdown(value)), markdown);
}

void TestVariables::floats_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("str");
    QTest::addColumn<QByteArray>("json"); // json.dumps({"x": value})

    QTest::newRow("2.0") << double(2.0) << QByteArray("2.0") << QByteArray("{\"x\": 2.0}");
    QTest::newRow("0.1") << double(0.1) << QByteArray("0.1") << QByteArray("{\"x\": 0.1}");
    QTest::newRow("100.0") << double(100.0) << QByteArray("100.0") << QByteArray("{\"x\": 100.0}");
    QTest::newRow("1e-05") << double(1e-05) << QByteArray("1e-05") << QByteArray("{\"x\": 1e-05}");
    QTest::newRow("0.0001") << double(0.0001) << QByteArray("0.0001")
                            << QByteArray("{\"x\": 0.0001}");
    QTest::newRow("0.00012") << double(0.00012) << QByteArray("0.00012")
                             << QByteArray("{\"x\": 0.00012}");
    QTest::newRow("1e+16") << double(1e+16) << QByteArray("1e+16") << QByteArray("{\"x\": 1e+16}");
    QTest::newRow("1e+15") << double(1000000000000000.0) << QByteArray("1000000000000000.0")
                           << QByteArray("{\"x\": 1000000000000000.0}");
    QTest::newRow("9999999999999998.0")
        << double(9999999999999998.0) << QByteArray("9999999999999998.0")
        << QByteArray("{\"x\": 9999999999999998.0}");
    QTest::newRow("1.2345678901234568e+17")
        << double(1.2345678901234568e+17) << QByteArray("1.2345678901234568e+17")
        << QByteArray("{\"x\": 1.2345678901234568e+17}");
    QTest::newRow("1.5e+300") << double(1.5e+300) << QByteArray("1.5e+300")
                              << QByteArray("{\"x\": 1.5e+300}");
    QTest::newRow("-1.5e-300") << double(-1.5e-300) << QByteArray("-1.5e-300")
                               << QByteArray("{\"x\": -1.5e-300}");
    QTest::newRow("-0.0") << double(-0.0) << QByteArray("-0.0") << QByteArray("{\"x\": -0.0}");
    QTest::newRow("0.0") << double(0.0) << QByteArray("0.0") << QByteArray("{\"x\": 0.0}");
    QTest::newRow("-2.5") << double(-2.5) << QByteArray("-2.5") << QByteArray("{\"x\": -2.5}");
    QTest::newRow("1/3") << double(0.3333333333333333) << QByteArray("0.3333333333333333")
                         << QByteArray("{\"x\": 0.3333333333333333}");
    QTest::newRow("2/3") << double(0.6666666666666666) << QByteArray("0.6666666666666666")
                         << QByteArray("{\"x\": 0.6666666666666666}");
    QTest::newRow("5e-324") << double(5e-324) << QByteArray("5e-324")
                            << QByteArray("{\"x\": 5e-324}");
    QTest::newRow("max") << double(1.7976931348623157e+308) << QByteArray("1.7976931348623157e+308")
                         << QByteArray("{\"x\": 1.7976931348623157e+308}");
    QTest::newRow("123.456") << double(123.456) << QByteArray("123.456")
                             << QByteArray("{\"x\": 123.456}");
    QTest::newRow("1e+22") << double(1e+22) << QByteArray("1e+22") << QByteArray("{\"x\": 1e+22}");
    QTest::newRow("1e+100") << double(1e+100) << QByteArray("1e+100")
                            << QByteArray("{\"x\": 1e+100}");
    QTest::newRow("12345678.9") << double(12345678.9) << QByteArray("12345678.9")
                                << QByteArray("{\"x\": 12345678.9}");
    QTest::newRow("0.1+0.2") << double(0.30000000000000004) << QByteArray("0.30000000000000004")
                             << QByteArray("{\"x\": 0.30000000000000004}");
    QTest::newRow("1e-07") << double(1e-07) << QByteArray("1e-07") << QByteArray("{\"x\": 1e-07}");
    QTest::newRow("1.5e-05") << double(1.5e-05) << QByteArray("1.5e-05")
                             << QByteArray("{\"x\": 1.5e-05}");
    QTest::newRow("inf") << double(std::numeric_limits<double>::infinity()) << QByteArray("inf")
                         << QByteArray("{\"x\": Infinity}");
    QTest::newRow("-inf") << double(-std::numeric_limits<double>::infinity()) << QByteArray("-inf")
                          << QByteArray("{\"x\": -Infinity}");
    QTest::newRow("nan") << double(std::numeric_limits<double>::quiet_NaN()) << QByteArray("nan")
                         << QByteArray("{\"x\": NaN}");
}

void TestVariables::floats()
{
    QFETCH(double, value);
    QFETCH(QByteArray, str);
    QFETCH(QByteArray, json);

    QCOMPARE(bytes(pythonStr(Json(value))), str);
    QCOMPARE(bytes(renderText(Json(value))), str);
    QCOMPARE(bytes(renderMarkdown(Json(value))), str);
    QCOMPARE(bytes(segmentType(Json(value))), QByteArray("float"));
    QCOMPARE(bytes(renderText(Json{{"x", value}})), json);
    // Inside a list the float is repr'd the same way.
    QCOMPARE(bytes(pythonStr(Json::array({value}))), "[" + str + "]");
}

void TestVariables::stringRepr_data()
{
    QTest::addColumn<QByteArray>("string");
    QTest::addColumn<QByteArray>("listRepr"); // str([s])
    QTest::addColumn<QByteArray>("listJson"); // json.dumps([s], ensure_ascii=False)
    QTest::addColumn<QByteArray>("dictRepr"); // str({s: s})

    QTest::newRow("plain") << QByteArray("abc") << QByteArray("['abc']") << QByteArray("[\"abc\"]")
                           << QByteArray("{'abc': 'abc'}");
    QTest::newRow("apostrophe") << QByteArray("it's") << QByteArray("[\"it's\"]")
                                << QByteArray("[\"it's\"]") << QByteArray("{\"it's\": \"it's\"}");
    QTest::newRow("double quote") << QByteArray("say \"hi\"") << QByteArray("['say \"hi\"']")
                                  << QByteArray("[\"say \\\"hi\\\"\"]")
                                  << QByteArray("{'say \"hi\"': 'say \"hi\"'}");
    QTest::newRow("both quotes") << QByteArray("it's \"x\"") << QByteArray("['it\\'s \"x\"']")
                                 << QByteArray("[\"it's \\\"x\\\"\"]")
                                 << QByteArray("{'it\\'s \"x\"': 'it\\'s \"x\"'}");
    QTest::newRow("backslash") << QByteArray("a\\b") << QByteArray("['a\\\\b']")
                               << QByteArray("[\"a\\\\b\"]") << QByteArray("{'a\\\\b': 'a\\\\b'}");
    QTest::newRow("controls") << QByteArray("\t\n\r\x01"
                                            "\x1f"
                                            "\x7f"
                                            "")
                              << QByteArray("['\\t\\n\\r\\x01\\x1f\\x7f']")
                              << QByteArray("[\"\\t\\n\\r\\u0001\\u001f\x7f"
                                            "\"]")
                              << QByteArray(
                                     "{'\\t\\n\\r\\x01\\x1f\\x7f': '\\t\\n\\r\\x01\\x1f\\x7f'}");
    QTest::newRow("bell") << QByteArray("\x07"
                                        "")
                          << QByteArray("['\\x07']") << QByteArray("[\"\\u0007\"]")
                          << QByteArray("{'\\x07': '\\x07'}");
    QTest::newRow("non-ascii") << QByteArray("中文ü") << QByteArray("['中文ü']")
                               << QByteArray("[\"中文ü\"]") << QByteArray("{'中文ü': '中文ü'}");
    QTest::newRow("emoji") << QByteArray("😀") << QByteArray("['😀']") << QByteArray("[\"😀\"]")
                           << QByteArray("{'😀': '😀'}");
    QTest::newRow("nbsp") << QByteArray("a\u00a0b") << QByteArray("['a\\xa0b']")
                          << QByteArray("[\"a\u00a0b\"]") << QByteArray("{'a\\xa0b': 'a\\xa0b'}");
    QTest::newRow("soft hyphen") << QByteArray("\u00ad") << QByteArray("['\\xad']")
                                 << QByteArray("[\"\u00ad\"]") << QByteArray("{'\\xad': '\\xad'}");
    QTest::newRow("c1 control") << QByteArray("\xc2"
                                              "\x85"
                                              "")
                                << QByteArray("['\\x85']")
                                << QByteArray("[\"\xc2"
                                              "\x85"
                                              "\"]")
                                << QByteArray("{'\\x85': '\\x85'}");
    QTest::newRow("zero width space")
        << QByteArray("\u200b") << QByteArray("['\\u200b']") << QByteArray("[\"\u200b\"]")
        << QByteArray("{'\\u200b': '\\u200b'}");
    QTest::newRow("line separator")
        << QByteArray("\u2028") << QByteArray("['\\u2028']") << QByteArray("[\"\u2028\"]")
        << QByteArray("{'\\u2028': '\\u2028'}");
    QTest::newRow("ideographic space")
        << QByteArray("\u3000") << QByteArray("['\\u3000']") << QByteArray("[\"\u3000\"]")
        << QByteArray("{'\\u3000': '\\u3000'}");
    QTest::newRow("private use") << QByteArray("\ue000") << QByteArray("['\\ue000']")
                                 << QByteArray("[\"\ue000\"]")
                                 << QByteArray("{'\\ue000': '\\ue000'}");
    QTest::newRow("unassigned") << QByteArray("\U000e0080") << QByteArray("['\\U000e0080']")
                                << QByteArray("[\"\U000e0080\"]")
                                << QByteArray("{'\\U000e0080': '\\U000e0080'}");
    QTest::newRow("bom") << QByteArray("\ufeff") << QByteArray("['\\ufeff']")
                         << QByteArray("[\"\ufeff\"]") << QByteArray("{'\\ufeff': '\\ufeff'}");
    QTest::newRow("combining") << QByteArray("é") << QByteArray("['é']") << QByteArray("[\"é\"]")
                               << QByteArray("{'é': 'é'}");
    QTest::newRow("quote and backslash")
        << QByteArray("'\\") << QByteArray("[\"'\\\\\"]") << QByteArray("[\"'\\\\\"]")
        << QByteArray("{\"'\\\\\": \"'\\\\\"}");
}

void TestVariables::stringRepr()
{
    QFETCH(QByteArray, string);
    QFETCH(QByteArray, listRepr);
    QFETCH(QByteArray, listJson);
    QFETCH(QByteArray, dictRepr);

    const std::string s = string.toStdString();
    QCOMPARE(bytes(pythonStr(Json(s))), string); // str() of a string is the string
    QCOMPARE(bytes(pythonStr(Json::array({s}))), listRepr);
    QCOMPARE(bytes(renderText(Json::array({s}))), listJson);
    QCOMPARE(bytes(pythonStr(Json{{s, s}})), dictRepr);
}

void TestVariables::pinnedExamples()
{
    QCOMPARE(bytes(renderText(parse(R"({"a": 1, "b": "中"})"))),
             QByteArray(R"({"a": 1, "b": "中"})"));
    QCOMPARE(bytes(renderText(parse("[1, 2.0, true, null]"))), QByteArray("[1, 2.0, True, None]"));
    QCOMPARE(bytes(renderText(parse(R"(["a", "b"])"))), QByteArray(R"(["a", "b"])"));
    QCOMPARE(bytes(renderMarkdown(parse(R"(["a", 1])"))), QByteArray("- a\n- 1"));
    QCOMPARE(bytes(renderMarkdown(parse(R"({"a": [1]})"))),
             QByteArray("{\n  \"a\": [\n    1\n  ]\n}"));
    QCOMPARE(bytes(pythonStr(Json(1e-5))), QByteArray("1e-05"));
    QCOMPARE(bytes(pythonStr(Json(1e16))), QByteArray("1e+16"));
    QCOMPARE(bytes(pythonStr(Json(123456789012345680.0))), QByteArray("1.2345678901234568e+17"));
    QCOMPARE(bytes(pythonStr(Json(0.1))), QByteArray("0.1"));
    QCOMPARE(bytes(pythonStr(Json(100.0))), QByteArray("100.0"));
    // (No raw string literals here: moc's tokenizer misreads the quotes inside them.)
    QCOMPARE(bytes(pythonStr(parse("{\"k\": \"it's\"}"))), QByteArray("{'k': \"it's\"}"));
    // Empty arrays: "" in the text rendering whatever the element type, "" in markdown too.
    QCOMPARE(bytes(renderText(Json::array())), QByteArray());
    QCOMPARE(bytes(renderMarkdown(Json::array())), QByteArray());
    QCOMPARE(bytes(pythonStr(Json::array())), QByteArray("[]"));
    QCOMPARE(bytes(pythonStr(Json::object())), QByteArray("{}"));
    // nlohmann::json sorts object keys, so renderings list them alphabetically (Python would
    // keep insertion order).
    QCOMPARE(bytes(renderText(parse(R"({"b": 1, "a": 2})"))), QByteArray(R"({"a": 2, "b": 1})"));
}

void TestVariables::nulAndInvalidUtf8()
{
    const std::string nul("a\0b", 3);
    QCOMPARE(bytes(pythonStr(Json::array({nul}))), QByteArray("['a\\x00b']"));
    QCOMPARE(bytes(renderText(Json::array({nul}))), QByteArray("[\"a\\u0000b\"]"));
    QCOMPARE(bytes(renderText(Json(nul))), bytes(nul));

    // Python strings cannot hold malformed UTF-8; each stray byte is shown escaped in a repr
    // and passed through in JSON text, so nothing throws and nothing is lost.
    const std::string broken("a\xff\xc3(b");
    QCOMPARE(bytes(pythonStr(Json::array({broken}))), QByteArray("['a\\xff\\xc3(b']"));
    QCOMPARE(bytes(renderText(Json::array({broken}))), bytes("[\"" + broken + "\"]"));
    QCOMPARE(bytes(renderMarkdown(Json{{"k", broken}})),
             bytes("{\n  \"k\": \"" + broken + "\"\n}"));
}

void TestVariables::userTypes()
{
    QCOMPARE(bytes(userType(Json(1))), QByteArray("number"));
    QCOMPARE(bytes(userType(Json(1.5))), QByteArray("number"));
    QCOMPARE(bytes(userType(Json(true))), QByteArray("boolean"));
    QCOMPARE(bytes(userType(Json("x"))), QByteArray("string"));
    QCOMPARE(bytes(userType(parse("[1, 2.5]"))), QByteArray("array[number]"));
    QCOMPARE(bytes(userType(Json())), QByteArray("none"));
    QCOMPARE(bytes(userType(file("a.png", "image", "https://x/a.png"))), QByteArray("file"));
}

void TestVariables::files()
{
    const Json image = file("cat.png", "image", "https://example.com/cat.png");
    const Json doc = file("report.pdf", "document", "https://example.com/r.pdf");
    QVERIFY(isFile(image));
    QVERIFY(!isFile(Json{{"name", "cat.png"}}));
    QVERIFY(!isFile(Json{{"dify_model_identity", "something else"}}));
    QVERIFY(!isFile(Json{{"dify_model_identity", 1}}));
    QVERIFY(!isFile(Json::array()));

    QCOMPARE(bytes(segmentType(image)), QByteArray("file"));
    QCOMPARE(bytes(segmentType(Json::array({image, doc}))), QByteArray("array[file]"));
    QCOMPARE(bytes(segmentType(Json::array({image, Json{{"a", 1}}}))), QByteArray("array[any]"));
    QCOMPARE(bytes(segmentType(Json{{"f", image}})), QByteArray("object"));

    // Files have no text rendering, alone or in a list of files.
    QCOMPARE(bytes(renderText(image)), QByteArray());
    QCOMPARE(bytes(renderText(Json::array({image, doc}))), QByteArray());
    QCOMPARE(bytes(renderMarkdown(Json::array({image, doc}))),
             QByteArray("![cat.png](https://example.com/cat.png)\n"
                        "[report.pdf](https://example.com/r.pdf)"));

    // Inside other containers a file shows its dict form (keys sorted).
    const Json small{{"dify_model_identity", kFileIdentity}, {"name", "a"}, {"type", "image"}};
    QCOMPARE(bytes(pythonStr(Json::array({small, 1}))),
             QByteArray("[{'dify_model_identity': '__dify__file__', 'name': 'a', 'type': "
                        "'image'}, 1]"));
    QCOMPARE(bytes(renderText(Json::array({small, 1}))), bytes(pythonStr(Json::array({small, 1}))));
    QCOMPARE(bytes(renderMarkdown(Json::array({small, 1}))),
             QByteArray("- {'dify_model_identity': '__dify__file__', 'name': 'a', 'type': "
                        "'image'}\n- 1"));
    QCOMPARE(bytes(renderText(Json{{"f", small}})),
             QByteArray(R"({"f": {"dify_model_identity": "__dify__file__", "name": "a", )"
                        R"("type": "image"}})"));
}

void TestVariables::fileMarkdown_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("markdown");

    QTest::newRow("image") << QByteArray(
        R"({"dify_model_identity": "__dify__file__", "name": "a.png", "type": "image", )"
        R"("url": "https://h/a.png"})")
                           << QByteArray("![a.png](https://h/a.png)");
    QTest::newRow("image without name") << QByteArray(
        R"({"dify_model_identity": "__dify__file__", "type": "image", "url": "https://h/a"})")
                                        << QByteArray("![](https://h/a)");
    QTest::newRow("document") << QByteArray(
        R"({"dify_model_identity": "__dify__file__", "name": "r.pdf", "type": "document", )"
        R"("url": "https://h/r.pdf"})")
                              << QByteArray("[r.pdf](https://h/r.pdf)");
    QTest::newRow("document without name is named by its url") << QByteArray(
        R"({"dify_model_identity": "__dify__file__", "name": null, "type": "document", )"
        R"("url": "https://h/r"})") << QByteArray("[https://h/r](https://h/r)");
    QTest::newRow("Dify spellings filename and remote_url") << QByteArray(
        R"({"dify_model_identity": "__dify__file__", "filename": "v.mp4", "type": "video", )"
        R"("remote_url": "https://h/v.mp4"})") << QByteArray("[v.mp4](https://h/v.mp4)");
}

void TestVariables::fileMarkdown()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, markdown);
    const Json value = parse(json);
    QCOMPARE(bytes(renderMarkdown(value)), markdown);
    QCOMPARE(bytes(renderText(value)), QByteArray());
}

void TestVariables::selectorTexts()
{
    QCOMPARE(bytes(selectorText({"node", "var"})), QByteArray("node.var"));
    QCOMPARE(bytes(selectorText({"llm", "usage", "total_tokens"})),
             QByteArray("llm.usage.total_tokens"));
    QCOMPARE(bytes(selectorText({})), QByteArray());
}

void TestVariables::poolSetAndFind()
{
    VariablePool pool;
    QVERIFY(!pool.hasScope("sys"));
    pool.set("sys", "query", "hello");
    pool.set("start", "n", Json());
    QVERIFY(pool.hasScope("sys"));
    QVERIFY(pool.contains({"sys", "query"}));
    QCOMPARE(dumped(*pool.find({"sys", "query"})), dumped(Json("hello")));

    // A present null is found; an absent variable is not.
    const Json *n = pool.find({"start", "n"});
    QVERIFY(n);
    QVERIFY(n->is_null());
    QVERIFY(!pool.find({"start", "missing"}));
    QVERIFY(!pool.find({"nowhere", "query"}));
    QVERIFY(!pool.find({"sys"}));
    QVERIFY(!pool.find({}));

    pool.set("sys", "query", "again");
    QCOMPARE(dumped(*pool.find({"sys", "query"})), dumped(Json("again")));
    QCOMPARE(dumped(*pool.scope("sys")), dumped(Json{{"query", "again"}}));
    QVERIFY(!pool.scope("llm"));
}

void TestVariables::poolNestedWalk()
{
    VariablePool pool;
    pool.set("llm", "usage", Json{{"total_tokens", 5}, {"detail", {{"cached", nullptr}}}});
    pool.set("code", "list", parse(R"([{"a": 1}, {"a": 2}])"));
    pool.set("code", "text", "abc");

    QCOMPARE(dumped(*pool.find({"llm", "usage", "total_tokens"})), dumped(Json(5)));
    const Json *cached = pool.find({"llm", "usage", "detail", "cached"});
    QVERIFY(cached); // a present null deeper down resolves too
    QVERIFY(cached->is_null());
    QVERIFY(!pool.find({"llm", "usage", "nope"}));
    QVERIFY(!pool.find({"llm", "usage", "total_tokens", "deeper"}));
    // Dify never walks into lists, not even with a numeric index.
    QVERIFY(!pool.find({"code", "list", "0"}));
    QVERIFY(!pool.find({"code", "list", "a"}));
    QVERIFY(!pool.find({"code", "text", "length"}));
}

void TestVariables::poolFileAttributes_data()
{
    QTest::addColumn<QByteArray>("attribute");
    QTest::addColumn<bool>("found");
    QTest::addColumn<QByteArray>("value"); // JSON text

    QTest::newRow("name") << QByteArray("name") << true << QByteArray(R"("cat.png")");
    QTest::newRow("size") << QByteArray("size") << true << QByteArray("2048");
    QTest::newRow("type") << QByteArray("type") << true << QByteArray(R"("image")");
    QTest::newRow("extension") << QByteArray("extension") << true << QByteArray(R"(".png")");
    QTest::newRow("mime_type") << QByteArray("mime_type") << true << QByteArray(R"("image/png")");
    QTest::newRow("transfer_method")
        << QByteArray("transfer_method") << true << QByteArray(R"("remote_url")");
    QTest::newRow("url") << QByteArray("url") << true << QByteArray(R"("https://h/cat.png")");
    QTest::newRow("related_id is null") << QByteArray("related_id") << true << QByteArray("null");
    QTest::newRow("not an attribute") << QByteArray("dify_model_identity") << false << QByteArray();
    QTest::newRow("unknown") << QByteArray("width") << false << QByteArray();
}

void TestVariables::poolFileAttributes()
{
    QFETCH(QByteArray, attribute);
    QFETCH(bool, found);
    QFETCH(QByteArray, value);

    VariablePool pool;
    pool.set("start", "f", file("cat.png", "image", "https://h/cat.png"));
    const Json *result = pool.find({"start", "f", attribute.toStdString()});
    QCOMPARE(result != nullptr, found);
    if (found) {
        QCOMPARE(dumped(*result), dumped(parse(value)));
        // Dify reads one attribute and ignores what follows it.
        const Json *deeper = pool.find({"start", "f", attribute.toStdString(), "x", "y"});
        QVERIFY(deeper);
        QCOMPARE(dumped(*deeper), dumped(parse(value)));
    }
}

void TestVariables::poolSetBySelector()
{
    VariablePool pool;
    QVERIFY(!pool.set(Selector{"only"}, 1));
    QVERIFY(!pool.set(Selector{}, 1));
    QVERIFY(!pool.hasScope("only"));

    QVERIFY(pool.set(Selector{"n", "v"}, 1));
    QCOMPARE(dumped(*pool.find({"n", "v"})), dumped(Json(1)));

    // Deeper selectors create the objects on the way.
    QVERIFY(pool.set(Selector{"n", "obj", "a", "b"}, "x"));
    QCOMPARE(dumped(*pool.find({"n", "obj"})), dumped(Json{{"a", {{"b", "x"}}}}));
    QVERIFY(pool.set(Selector{"n", "obj", "a", "c"}, 2));
    QCOMPARE(dumped(*pool.find({"n", "obj"})), dumped(Json{{"a", {{"b", "x"}, {"c", 2}}}}));
    QVERIFY(pool.set(Selector{"fresh", "obj", "k"}, true));
    QCOMPARE(dumped(*pool.find({"fresh", "obj"})), dumped(Json{{"k", true}}));

    // A path through a non-object is refused and leaves the pool as it was.
    const Json before = pool.toJson();
    QVERIFY(!pool.set(Selector{"n", "v", "k"}, 3));
    QVERIFY(!pool.set(Selector{"n", "obj", "a", "b", "deeper"}, 3));
    pool.set("n", "nothing", Json());
    QVERIFY(!pool.set(Selector{"n", "nothing", "k"}, 3));
    pool.remove({"n", "nothing"});
    QCOMPARE(dumped(pool.toJson()), dumped(before));
}

void TestVariables::poolRemove()
{
    VariablePool pool;
    pool.set("a", "x", 1);
    pool.set("a", "y", Json{{"k", 1}, {"j", 2}});
    pool.set("b", "z", 3);

    QVERIFY(pool.remove({"a", "x"}));
    QVERIFY(!pool.contains({"a", "x"}));
    QVERIFY(!pool.remove({"a", "x"}));
    QVERIFY(!pool.remove({"missing", "x"}));
    QVERIFY(!pool.remove({}));

    QVERIFY(pool.remove({"a", "y", "k"}));
    QCOMPARE(dumped(*pool.find({"a", "y"})), dumped(Json{{"j", 2}}));
    QVERIFY(!pool.remove({"a", "y", "k"}));
    QVERIFY(!pool.remove({"a", "y", "j", "deeper"}));

    QVERIFY(pool.remove({"a", "y"}));
    QVERIFY(pool.hasScope("a")); // emptied, still there
    pool.removeScope("a");
    QVERIFY(!pool.hasScope("a"));
    QVERIFY(pool.remove({"b"}));
    QVERIFY(!pool.hasScope("b"));
    pool.removeScope("never"); // harmless
}

void TestVariables::poolSnapshotRoundTrip()
{
    VariablePool pool;
    pool.set("sys", "query", "hi 中");
    pool.set("sys", "files", Json::array({file("a.png", "image", "https://h/a.png")}));
    pool.set("llm", "usage", Json{{"total_tokens", 5}, {"price", 0.25}});
    pool.set("start", "nothing", Json());
    pool.set("iter", "index", 3);

    const Json snapshot = pool.toJson();
    QCOMPARE(dumped(snapshot["sys"]["query"]), dumped(Json("hi 中")));
    QCOMPARE(dumped(snapshot["iter"]), dumped(Json{{"index", 3}}));
    QVERIFY(snapshot["start"].contains("nothing"));

    const VariablePool copy = VariablePool::fromJson(snapshot);
    QCOMPARE(dumped(copy.toJson()), dumped(snapshot));
    QCOMPARE(dumped(*copy.find({"llm", "usage", "price"})), dumped(Json(0.25)));
    QVERIFY(copy.find({"start", "nothing"}));
    // Through text too, as a recording would store it.
    QCOMPARE(dumped(VariablePool::fromJson(Json::parse(snapshot.dump())).toJson()),
             dumped(snapshot));

    // Malformed snapshots give what they can, never throw.
    QCOMPARE(dumped(VariablePool::fromJson(Json("nope")).toJson()), dumped(Json::object()));
    QCOMPARE(dumped(VariablePool::fromJson(Json{{"a", 1}, {"b", {{"x", 2}}}}).toJson()),
             dumped(Json{{"b", {{"x", 2}}}}));
    QCOMPARE(dumped(VariablePool().toJson()), dumped(Json::object()));
}

void TestVariables::poolIsAValue()
{
    VariablePool pool;
    pool.set("iteration", "item", 1);
    VariablePool copy = pool;
    copy.set("iteration", "item", 2);
    copy.set("inner", "x", 3);
    QCOMPARE(dumped(*pool.find({"iteration", "item"})), dumped(Json(1)));
    QVERIFY(!pool.hasScope("inner"));
    QCOMPARE(dumped(*copy.find({"iteration", "item"})), dumped(Json(2)));
}

QTEST_GUILESS_MAIN(TestVariables)

#include "tst_variables.moc"

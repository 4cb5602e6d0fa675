// The tool node with Flowbench's built-in tools: parameter kinds, each tool with real inputs, the
// webscraper against a local HTTP responder, the safe calculator, and the http + json tool
// fixture with only the HTTP node pinned.
#include <QDir>
#include <QHostAddress>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include "document/dslio.h"
#include "nodes/builtintools.h"
#include "runtime/graphengine.h"
#include "runtime/singlenoderun.h"
#include "variables/variablepool.h"

using namespace flowbench;
using runtime::NodeResult;
using runtime::SingleNodeRun;
using variables::VariablePool;
using Json = nlohmann::json;

namespace {

// A one-shot HTTP/1.1 responder: answers every request with the given status and body.
class TinyHttpServer : public QObject
{
public:
    TinyHttpServer(QByteArray status, QByteArray body)
        : m_status(std::move(status))
        , m_body(std::move(body))
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                    m_request += socket->readAll();
                    if (!m_request.contains("\r\n\r\n"))
                        return;
                    socket->write(
                        "HTTP/1.1 " + m_status
                        + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                        + QByteArray::number(m_body.size()) + "\r\nConnection: close\r\n\r\n"
                        + m_body);
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    QString url(const QString &path = QStringLiteral("/page")) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path);
    }
    QByteArray m_request;

private:
    QTcpServer m_server;
    QByteArray m_status;
    QByteArray m_body;
};

Json toolData(const char *provider, const char *tool, Json parameters,
              const char *providerType = "builtin")
{
    return Json{{"type", "tool"},
                {"title", "Tool"},
                {"provider_id", provider},
                {"provider_type", providerType},
                {"provider_name", provider},
                {"tool_name", tool},
                {"tool_configurations", Json::object()},
                {"tool_parameters", std::move(parameters)}};
}

Json mixed(const char *text)
{
    return Json{{"type", "mixed"}, {"value", text}};
}

NodeResult run(const Json &data, const VariablePool &pool = {}, SingleNodeRun *runner = nullptr)
{
    SingleNodeRun local;
    SingleNodeRun &node = runner ? *runner : local;
    QSignalSpy done(&node, &SingleNodeRun::finished);
    node.start(QStringLiteral("tool"), QStringLiteral("tool1"), data, pool);
    if (done.isEmpty() && !done.wait(40000))
        return NodeResult::failure(QStringLiteral("test: the node never finished"));
    return node.result();
}

// QCOMPARE on two JSON values, printing both when they differ.
#define JSON_COMPARE(actual, expected)                                                             \
    do {                                                                                           \
        const Json a_ = (actual);                                                                  \
        const Json e_ = (expected);                                                                \
        QVERIFY2(a_ == e_, qPrintable(QString::fromStdString(a_.dump() + " != " + e_.dump())));    \
    } while (false)

QString text(const NodeResult &r)
{
    return QString::fromStdString(r.outputs.value("text", std::string()));
}

} // namespace

class TestToolNode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void registry();
    void currentTime();
    void jsonParse();
    void jsonReplace();
    void maths_data();
    void maths();
    void mathsRefuses_data();
    void mathsRefuses();
    void mathsThroughNode();
    void textTools();
    void parameterKinds();
    void missingRequiredVariable();
    void unknownTool_data();
    void unknownTool();
    void webscraper();
    void webscraperFailures();
    void fixtureWithRealJsonTool();
};

void TestToolNode::registry()
{
    QVERIFY(nodes::findBuiltinTool(QStringLiteral("langgenius/time/time"),
                                   QStringLiteral("builtin"), QStringLiteral("time"),
                                   QStringLiteral("current_time")));
    QVERIFY(nodes::findBuiltinTool(QStringLiteral("builtin"), QStringLiteral("builtin"),
                                   QStringLiteral("Builtin Tools"), QStringLiteral("json_parse")));
    QVERIFY(!nodes::findBuiltinTool(QStringLiteral("time"), QStringLiteral("builtin"),
                                    QStringLiteral("time"), QStringLiteral("json_parse")));
    QVERIFY(!nodes::findBuiltinTool(QStringLiteral("x/google/google"), QStringLiteral("plugin"),
                                    QStringLiteral("google"), QStringLiteral("json_parse")));
}

void TestToolNode::currentTime()
{
    NodeResult r = run(toolData(
        "time", "current_time",
        {{"timezone", mixed("Asia/Shanghai")}, {"format", mixed("%Y-%m-%d %H:%M:%S %z 年")}}));
    QVERIFY2(r.status == NodeResult::Status::Succeeded, qPrintable(r.error));
    QVERIFY2(
        QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\+0800 年$"))
            .match(text(r))
            .hasMatch(),
        qPrintable(text(r)));
    JSON_COMPARE(r.outputs["files"], Json::array());
    JSON_COMPARE(r.outputs["json"], Json::array());

    r = run(toolData("time", "current_time", Json::object()));
    QVERIFY2(text(r).endsWith(QStringLiteral(" UTC")), qPrintable(text(r)));

    r = run(toolData("time", "current_time", {{"timezone", mixed("Mars/Olympus")}}));
    QCOMPARE(r.status, NodeResult::Status::Failed);
    QVERIFY2(r.error.contains(QStringLiteral("Mars/Olympus")), qPrintable(r.error));
}

void TestToolNode::jsonParse()
{
    const char *content = R"({"data": {"items": [{"name": "苹果"}, {"name": "香蕉", "n": 2}]}})";
    NodeResult r = run(toolData("json_process", "json_parse",
                                {{"content", {{"type", "constant"}, {"value", content}}},
                                 {"json_filter", mixed("$.data.items[1]")},
                                 {"ensure_ascii", {{"type", "constant"}, {"value", false}}}}));
    QVERIFY2(r.status == NodeResult::Status::Succeeded, qPrintable(r.error));
    QCOMPARE(text(r), QStringLiteral("{\"n\": 2, \"name\": \"香蕉\"}"));
    JSON_COMPARE(r.outputs["json"], Json::array({Json::parse(content)}));
    JSON_COMPARE(r.outputs["result"], (Json{{"name", "香蕉"}, {"n", 2}}));

    r = run(toolData("json_process", "json_parse",
                     {{"content", mixed(content)}, {"json_filter", mixed("data.items[0].name")}}));
    QCOMPARE(text(r), QStringLiteral("苹果"));

    r = run(toolData("json_process", "json_parse",
                     {{"content", mixed(content)}, {"json_filter", mixed("data.items[0]")}}));
    QCOMPARE(text(r), QStringLiteral("{\"name\": \"\\u82f9\\u679c\"}")); // ensure_ascii defaults on

    r = run(toolData("json_process", "json_parse", {{"content", mixed("{not json")}}));
    QCOMPARE(r.status, NodeResult::Status::Failed);
    QVERIFY2(r.error.contains(QStringLiteral("not valid JSON")), qPrintable(r.error));
}

void TestToolNode::jsonReplace()
{
    const char *content = R"({"user": {"name": "张三", "city": "北京市"}})";
    NodeResult r = run(toolData("json_process", "json_replace",
                                {{"content", mixed(content)},
                                 {"query", mixed("user.city")},
                                 {"replace_pattern", mixed("北京")},
                                 {"replace_value", mixed("上海")},
                                 {"ensure_ascii", mixed("false")}}));
    QVERIFY2(r.status == NodeResult::Status::Succeeded, qPrintable(r.error));
    JSON_COMPARE(r.outputs["result"],
                 Json::parse(R"({"user": {"name": "张三", "city": "上海市"}})"));

    r = run(toolData("json_process", "json_replace",
                     {{"content", mixed(content)},
                      {"query", mixed("user.name")},
                      {"replace_model", mixed("key")},
                      {"replace_value", mixed("姓名")}}));
    JSON_COMPARE(r.outputs["result"],
                 Json::parse(R"({"user": {"姓名": "张三", "city": "北京市"}})"));

    r = run(toolData("json_process", "json_replace",
                     {{"content", mixed(content)},
                      {"query", mixed("user.city")},
                      {"replace_model", mixed("value")},
                      {"replace_value", mixed("[1, 2]")},
                      {"value_decode", mixed("true")},
                      {"ensure_ascii", mixed("false")}}));
    QCOMPARE(text(r), QStringLiteral("{\"user\": {\"city\": [1, 2], \"name\": \"张三\"}}"));

    r = run(toolData("json_process", "json_replace",
                     {{"content", mixed(content)}, {"query", mixed("user.city")}}));
    QCOMPARE(r.status, NodeResult::Status::Failed); // pattern mode needs replace_pattern
}

void TestToolNode::maths_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("expected");
    QTest::newRow("precedence") << QStringLiteral("1 + 2 * 3") << QStringLiteral("7");
    QTest::newRow("parentheses") << QStringLiteral("(1 + 2) * 3") << QStringLiteral("9");
    QTest::newRow("left assoc") << QStringLiteral("10 - 4 - 3") << QStringLiteral("3");
    QTest::newRow("true division") << QStringLiteral("7 / 2") << QStringLiteral("3.5");
    QTest::newRow("float result") << QStringLiteral("10 / 4 * 2") << QStringLiteral("5.0");
    QTest::newRow("floor division") << QStringLiteral("-7 // 2") << QStringLiteral("-4");
    QTest::newRow("python modulo") << QStringLiteral("-7 % 3") << QStringLiteral("2");
    QTest::newRow("power right assoc") << QStringLiteral("2 ** 3 ** 2") << QStringLiteral("512");
    QTest::newRow("unary minus vs power") << QStringLiteral("-2 ** 2") << QStringLiteral("-4");
    QTest::newRow("negative exponent") << QStringLiteral("2 ** -1") << QStringLiteral("0.5");
    QTest::newRow("unary chain") << QStringLiteral("--3 + -(-2)") << QStringLiteral("5");
    QTest::newRow("sqrt") << QStringLiteral("sqrt(16)") << QStringLiteral("4.0");
    QTest::newRow("abs round") << QStringLiteral("abs(-3) + round(2.5)") << QStringLiteral("5");
    QTest::newRow("round digits") << QStringLiteral("round(3.14159, 2)") << QStringLiteral("3.14");
    QTest::newRow("min max") << QStringLiteral("max(1, 5, 3) - min(4, 2)") << QStringLiteral("3");
    QTest::newRow("scientific") << QStringLiteral("1.5e3 + .5") << QStringLiteral("1500.5");
    QTest::newRow("spaces") << QStringLiteral("  ( 2+3 )*( 4 )  ") << QStringLiteral("20");
}

void TestToolNode::maths()
{
    QFETCH(QString, expression);
    QFETCH(QString, expected);
    const nodes::ToolResult r = nodes::evaluateExpression(expression);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.text, expected);
}

void TestToolNode::mathsRefuses_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("message");
    QTest::newRow("import") << QStringLiteral("__import__('os').system('rm -rf /')")
                            << QStringLiteral("unexpected");
    QTest::newRow("name") << QStringLiteral("os.system('ls')") << QStringLiteral("\"os\"");
    QTest::newRow("open") << QStringLiteral("open('/etc/passwd')") << QStringLiteral("\"open\"");
    QTest::newRow("attribute") << QStringLiteral("(1).real") << QStringLiteral("unexpected");
    QTest::newRow("two statements") << QStringLiteral("1; 2") << QStringLiteral("unexpected");
    QTest::newRow("division by zero")
        << QStringLiteral("1 / (2 - 2)") << QStringLiteral("division by zero");
    QTest::newRow("modulo by zero")
        << QStringLiteral("5 % 0") << QStringLiteral("division by zero");
    QTest::newRow("unbalanced") << QStringLiteral("(1 + 2") << QStringLiteral("ends too early");
    QTest::newRow("dangling") << QStringLiteral("2 +") << QStringLiteral("ends too early");
    QTest::newRow("empty") << QStringLiteral("   ") << QStringLiteral("empty");
    QTest::newRow("sqrt negative") << QStringLiteral("sqrt(-1)") << QStringLiteral("negative");
    QTest::newRow("overflow") << QStringLiteral("10 ** 400") << QStringLiteral("finite");
    QTest::newRow("deep") << QString(500, QLatin1Char('-')) + QStringLiteral("1")
                          << QStringLiteral("deeply");
}

void TestToolNode::mathsRefuses()
{
    QFETCH(QString, expression);
    QFETCH(QString, message);
    const nodes::ToolResult r = nodes::evaluateExpression(expression);
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains(message), qPrintable(r.error));
}

void TestToolNode::mathsThroughNode()
{
    VariablePool pool;
    pool.set("start", "a", 6);
    pool.set("start", "b", 7);
    NodeResult r = run(toolData("maths", "eval_expression",
                                {{"expression", mixed("{{#start.a#}} * {{#start.b#}}")}}),
                       pool);
    QVERIFY2(r.status == NodeResult::Status::Succeeded, qPrintable(r.error));
    QCOMPARE(text(r), QStringLiteral("42"));
    JSON_COMPARE(r.outputs["json"], (Json::array({{{"expression", "6 * 7"}, {"result", 42}}})));
    JSON_COMPARE(r.inputs["expression"], "6 * 7");

    r = run(toolData("maths", "eval_expression", {{"expression", mixed("1/0")}}));
    QCOMPARE(r.status, NodeResult::Status::Failed);
    QCOMPARE(r.errorType, QStringLiteral("ToolNodeError"));
    QVERIFY2(r.error.contains(QStringLiteral("division by zero")), qPrintable(r.error));
}

void TestToolNode::textTools()
{
    NodeResult r = run(toolData("text_utilities", "word_count",
                                {{"text", mixed("你好世界 hello world, it's 2024\n第二行")}}));
    QVERIFY2(r.status == NodeResult::Status::Succeeded, qPrintable(r.error));
    QCOMPARE(text(r), QStringLiteral("11")); // 4 ideographs + hello world it's 2024 + 3
    JSON_COMPARE(r.outputs["json"][0]["lines"], 2);
    JSON_COMPARE(r.outputs["json"][0]["characters"], 31);

    r = run(toolData(
        "text_utilities", "regex_extract",
        {{"text", mixed("价格：12元，数量：3个，合计36元")}, {"pattern", mixed("(\\d+)元")}}));
    QVERIFY2(r.status == NodeResult::Status::Succeeded, qPrintable(r.error));
    QCOMPARE(text(r), QStringLiteral("12元\n36元"));
    JSON_COMPARE(r.outputs["json"][1], (Json{{"match", "36元"}, {"groups", {"36"}}}));

    r = run(toolData("text_utilities", "regex_extract",
                     {{"text", mixed("abc")}, {"pattern", mixed("(unclosed")}}));
    QCOMPARE(r.status, NodeResult::Status::Failed);
    QVERIFY2(r.error.contains(QStringLiteral("invalid pattern")), qPrintable(r.error));

    r = run(toolData("text_utilities", "to_upper", {{"text", mixed("héllo 世界 straße")}}));
    QCOMPARE(text(r), QStringLiteral("HÉLLO 世界 STRASSE"));
    r = run(toolData("text_utilities", "to_lower", {{"text", mixed("ÀBC 中文")}}));
    QCOMPARE(text(r), QStringLiteral("àbc 中文"));
    r = run(toolData("text_utilities", "trim", {{"text", mixed("  你好 \n")}}));
    QCOMPARE(text(r), QStringLiteral("你好"));
}

void TestToolNode::parameterKinds()
{
    VariablePool pool;
    pool.set("start", "name", "世界");
    pool.set("start", "data", Json{{"k", "值"}, {"n", 1}});
    pool.set("start", "n", 2);

    // mixed: a template rendered as text.
    SingleNodeRun runner;
    NodeResult r = run(toolData("text_utilities", "to_upper",
                                {{"text", mixed("hello {{#start.name#}} {{#start.n#}}")}}),
                       pool, &runner);
    QCOMPARE(text(r), QStringLiteral("HELLO 世界 2"));
    QCOMPARE(runner.chunks().size(), std::size_t(2));
    QCOMPARE(runner.chunks().front().selector,
             (QStringList{QStringLiteral("tool1"), QStringLiteral("text")}));
    QCOMPARE(runner.chunks().front().text, QStringLiteral("HELLO 世界 2"));

    // variable: the raw pool value reaches the tool (an object, not its text).
    r = run(toolData("json_process", "json_parse",
                     {{"content", {{"type", "variable"}, {"value", {"start", "data"}}}},
                      {"json_filter", mixed("k")}}),
            pool);
    QVERIFY2(r.status == NodeResult::Status::Succeeded, qPrintable(r.error));
    JSON_COMPARE(r.inputs["content"], (Json{{"k", "值"}, {"n", 1}}));
    QCOMPARE(text(r), QStringLiteral("值"));

    // constant: str(value), then rendered too (Graphon does the same).
    r = run(toolData("maths", "eval_expression",
                     {{"expression", {{"type", "constant"}, {"value", 12}}}}),
            pool);
    JSON_COMPARE(r.inputs["expression"], "12");
    QCOMPARE(text(r), QStringLiteral("12"));
    r = run(toolData("text_utilities", "trim",
                     {{"text", {{"type", "constant"}, {"value", " {{#start.name#}} "}}}}),
            pool);
    QCOMPARE(text(r), QStringLiteral("世界"));

    // tool_configurations: plain values and {type, value} both reach the tool.
    Json data = toolData("time", "current_time", Json::object());
    data["tool_configurations"]
        = {{"timezone", {{"type", "constant"}, {"value", "Asia/Tokyo"}}}, {"format", "%z"}};
    r = run(data);
    QCOMPARE(text(r), QStringLiteral("+0900"));

    // A missing optional variable is dropped.
    r = run(toolData("text_utilities", "word_count",
                     {{"text", {{"type", "variable"}, {"value", {"start", "nothing"}}}}}),
            pool);
    QVERIFY2(r.status == NodeResult::Status::Succeeded, qPrintable(r.error));
    QCOMPARE(text(r), QStringLiteral("0"));
    QVERIFY(!r.inputs.contains("text"));
}

void TestToolNode::missingRequiredVariable()
{
    NodeResult r
        = run(toolData("maths", "eval_expression",
                       {{"expression", {{"type", "variable"}, {"value", {"start", "x"}}}}}));
    QCOMPARE(r.status, NodeResult::Status::Failed);
    QCOMPARE(r.errorType, QStringLiteral("ToolParameterError"));
    QVERIFY2(r.error.contains(QStringLiteral("start.x")), qPrintable(r.error));

    r = run(toolData("webscraper", "webscraper", Json::object()));
    QCOMPARE(r.status, NodeResult::Status::Failed);
    QVERIFY2(r.error.contains(QStringLiteral("\"url\"")), qPrintable(r.error));
}

void TestToolNode::unknownTool_data()
{
    QTest::addColumn<QString>("providerType");
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("tool");
    QTest::newRow("plugin") << QStringLiteral("plugin")
                            << QStringLiteral("langgenius/google/google")
                            << QStringLiteral("google_search");
    QTest::newRow("mcp") << QStringLiteral("mcp") << QStringLiteral("my-mcp-server")
                         << QStringLiteral("lookup");
    QTest::newRow("unknown builtin")
        << QStringLiteral("builtin") << QStringLiteral("time") << QStringLiteral("weekday");
    QTest::newRow("workflow") << QStringLiteral("workflow") << QStringLiteral("abc-123")
                              << QStringLiteral("json_parse"); // same name, not a built-in
}

void TestToolNode::unknownTool()
{
    QFETCH(QString, providerType);
    QFETCH(QString, provider);
    QFETCH(QString, tool);
    const NodeResult r = run(toolData(provider.toUtf8().constData(), tool.toUtf8().constData(),
                                      Json::object(), providerType.toUtf8().constData()));
    QCOMPARE(r.status, NodeResult::Status::Failed);
    QVERIFY2(r.error.contains(tool) && r.error.contains(provider)
                 && r.error.contains(QStringLiteral("not built into Flowbench"))
                 && r.error.contains(QStringLiteral("Pin")),
             qPrintable(r.error));
}

void TestToolNode::webscraper()
{
    TinyHttpServer server("200 OK", QByteArrayLiteral("<html><body>你好, web</body></html>"));
    const NodeResult r = run(toolData("webscraper", "webscraper",
                                      {{"url", mixed(server.url().toUtf8().constData())},
                                       {"user_agent", mixed("FlowbenchTest/1")}}));
    QVERIFY2(r.status == NodeResult::Status::Succeeded, qPrintable(r.error));
    QCOMPARE(text(r), QStringLiteral("<html><body>你好, web</body></html>"));
    QVERIFY(server.m_request.startsWith("GET /page HTTP/1.1"));
    QVERIFY(server.m_request.contains("FlowbenchTest/1"));
}

void TestToolNode::webscraperFailures()
{
    { // a closed port
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        const QString url = QStringLiteral("http://127.0.0.1:%1/").arg(port);
        const NodeResult r
            = run(toolData("webscraper", "webscraper", {{"url", mixed(url.toUtf8().constData())}}));
        QCOMPARE(r.status, NodeResult::Status::Failed);
        QVERIFY2(r.error.contains(url) && r.error.contains(QStringLiteral("failed")),
                 qPrintable(r.error));
    }
    { // an error status
        TinyHttpServer server("404 Not Found", QByteArrayLiteral("nope"));
        const NodeResult r = run(toolData("webscraper", "webscraper",
                                          {{"url", mixed(server.url().toUtf8().constData())}}));
        QCOMPARE(r.status, NodeResult::Status::Failed);
        QVERIFY2(r.error.contains(QStringLiteral("404")), qPrintable(r.error));
    }
    { // over the size cap
        TinyHttpServer server("200 OK", QByteArray(nodes::kMaxFetchBytes + 10, 'x'));
        const NodeResult r = run(toolData("webscraper", "webscraper",
                                          {{"url", mixed(server.url().toUtf8().constData())}}));
        QCOMPARE(r.status, NodeResult::Status::Failed);
        QVERIFY2(r.error.contains(QStringLiteral("larger than")), qPrintable(r.error));
    }
    { // not an http URL
        const NodeResult r
            = run(toolData("webscraper", "webscraper", {{"url", mixed("file:///etc/passwd")}}));
        QCOMPARE(r.status, NodeResult::Status::Failed);
        QVERIFY2(r.error.contains(QStringLiteral("http(s)")), qPrintable(r.error));
    }
}

void TestToolNode::fixtureWithRealJsonTool()
{
    auto loaded = document::loadWorkflowFile(
        QDir(QStringLiteral(FLOWBENCH_FIXTURES_DIR))
            .filePath(QStringLiteral("http_request_with_json_tool_workflow.yml")));
    QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().toString()));
    runtime::RunOptions o;
    o.inputs = Json{{"url", "https://example.invalid/api"}};
    o.pinnedOutputs.insert(QStringLiteral("http_node"),
                           Json{{"status_code", 200},
                                {"body", "{\"key\":\"value\",\"number\":42}"},
                                {"headers", Json::object()}});
    runtime::GraphEngine engine(loaded->workflow, o);
    QSignalSpy finished(&engine, &runtime::GraphEngine::finished);
    engine.start();
    if (finished.isEmpty())
        QVERIFY(finished.wait(30000));
    QVERIFY2(engine.status() == runtime::RunStatus::Succeeded, qPrintable(engine.error()));
    JSON_COMPARE(engine.outputs(),
                 (Json{{"status_code", 200}, {"parsed_data", {{"key", "value"}, {"number", 42}}}}));
}

QTEST_GUILESS_MAIN(TestToolNode)
#include "tst_toolnode.moc"

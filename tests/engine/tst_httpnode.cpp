// The http-request node against a real HTTP/1.1 server on loopback.
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include "nodes/httprequestnode.h"
#include "runtime/singlenoderun.h"
#include "variables/value.h"
#include "variables/variablepool.h"

using flowbench::nodes::HttpRequestNode;
using flowbench::runtime::NodeResult;
using flowbench::runtime::SingleNodeRun;
using flowbench::variables::Json;
using flowbench::variables::VariablePool;

// QCOMPARE cannot take nlohmann::json (its conversions are ambiguous); this shows both dumps.
#define JSON_COMPARE(actual, expected)                                                             \
    do {                                                                                           \
        const Json a_ = (actual);                                                                  \
        const Json e_ = (expected);                                                                \
        QVERIFY2(a_ == e_, qPrintable(QString::fromStdString(a_.dump() + " != " + e_.dump())));    \
    } while (false)

namespace {

// A throwaway self-signed certificate for 127.0.0.1 (EC P-256, valid until 2126), only for the
// TLS test server below.
const char kTestKey[] = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgxgjWUg9d1tV3U5Dv
PtR60V4c3ltkp2ZnWgDp6N/rmyOhRANCAASBlz2zxtUrRt646mxDLIH3mGdbQDkD
Mr3cEWTDgemnVk/Xost3jI0Bv/5bjl8NVoU+hobxe44RXynnjg+AM6/W
-----END PRIVATE KEY-----
)";
const char kTestCertificate[] = R"(-----BEGIN CERTIFICATE-----
MIIBnDCCAUGgAwIBAgIUG235YaCXsmIgtFfQXNYqt6ByU5YwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNDEzMDI1N1oYDzIxMjYxMDMx
MTMwMjU3WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAASBlz2zxtUrRt646mxDLIH3mGdbQDkDMr3cEWTDgemnVk/Xost3jI0B
v/5bjl8NVoU+hobxe44RXynnjg+AM6/Wo28wbTAdBgNVHQ4EFgQUTZYkmaDWwJs5
opH47aec0AEPxS4wHwYDVR0jBBgwFoAUTZYkmaDWwJs5opH47aec0AEPxS4wDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDSQAwRgIhAJQXULq2JHp3TlcSbMFDomXJsE6L7ia0Xrf6C0MNUTKFAiEA
xgCPtHLXd4thraONg9Uq419mvuebd8EVz3JJhMMcxWc=
-----END CERTIFICATE-----
)";

// A tiny HTTP/1.1 responder: records every request and answers by path, one request per
// connection ("Connection: close").
class TestServer : public QObject
{
    Q_OBJECT

public:
    struct Request
    {
        QByteArray method;
        QByteArray target; // path?query as sent
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;

        [[nodiscard]] QByteArray header(const QByteArray &name) const
        {
            for (const auto &[key, value] : headers) {
                if (key.compare(name, Qt::CaseInsensitive) == 0)
                    return value;
            }
            return {};
        }
        [[nodiscard]] int headerCount(const QByteArray &name) const
        {
            int count = 0;
            for (const auto &header : headers)
                count += header.first.compare(name, Qt::CaseInsensitive) == 0 ? 1 : 0;
            return count;
        }
        [[nodiscard]] QByteArray path() const
        {
            const qsizetype query = target.indexOf('?');
            return query < 0 ? target : target.left(query);
        }
    };

    // With `tls`, answers HTTPS with the self-signed certificate above.
    explicit TestServer(bool tls, QObject *parent = nullptr)
        : QObject(parent)
        , m_tls(tls)
    {
        if (tls) {
            auto server = std::make_unique<QSslServer>();
            QSslConfiguration config = QSslConfiguration::defaultConfiguration();
            config.setLocalCertificate(QSslCertificate(QByteArray(kTestCertificate)));
            config.setPrivateKey(QSslKey(QByteArray(kTestKey), QSsl::Ec));
            config.setPeerVerifyMode(QSslSocket::VerifyNone);
            server->setSslConfiguration(config);
            m_server = std::move(server);
        } else {
            m_server = std::make_unique<QTcpServer>();
        }
        // A TLS server has a connection ready only after the handshake.
        connect(m_server.get(), &QTcpServer::newConnection, this, &TestServer::accept);
        connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, &TestServer::accept);
    }

    bool listen() { return m_server->listen(QHostAddress::LocalHost, 0); }
    [[nodiscard]] QString url(const QString &path) const
    {
        return QStringLiteral("%1://127.0.0.1:%2%3")
            .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
            .arg(m_server->serverPort())
            .arg(path);
    }

    std::vector<Request> requests;
    QByteArrayList closedPaths; // paths whose connection the client closed before our answer

    static QByteArray pngBytes()
    {
        return QByteArray::fromHex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                                   "1f15c4890000000d49444154789c6360000002000100e221bc330000000049"
                                   "454e44ae426082");
    }

private:
    void accept()
    {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            auto buffer = std::make_shared<QByteArray>();
            auto answered = std::make_shared<bool>(false);
            auto path = std::make_shared<QByteArray>();
            connect(socket, &QTcpSocket::readyRead, this, [=, this] {
                buffer->append(socket->readAll());
                const qsizetype end = buffer->indexOf("\r\n\r\n");
                if (end < 0 || !path->isEmpty())
                    return;
                Request request;
                const QList<QByteArray> lines = buffer->left(end).split('\n');
                const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
                request.method = requestLine.value(0);
                request.target = requestLine.value(1);
                qsizetype length = 0;
                for (qsizetype i = 1; i < lines.size(); ++i) {
                    const QByteArray line = lines.at(i).trimmed();
                    const qsizetype colon = line.indexOf(':');
                    if (colon < 0)
                        continue;
                    request.headers.append(
                        {line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
                    if (line.left(colon).trimmed().compare("content-length", Qt::CaseInsensitive)
                        == 0)
                        length = line.mid(colon + 1).trimmed().toLongLong();
                }
                if (buffer->size() < end + 4 + length)
                    return; // wait for the body
                request.body = buffer->mid(end + 4, length);
                *path = request.path();
                requests.push_back(request);
                *answered = respond(socket, request);
            });
            connect(socket, &QTcpSocket::disconnected, this, [=, this] {
                if (!*answered && !path->isEmpty())
                    closedPaths.append(*path);
                socket->deleteLater();
            });
        }
    }

    // Writes the answer for the request's path; false for paths that never answer.
    bool respond(QTcpSocket *socket, const Request &request)
    {
        const QByteArray path = request.path();
        int status = 200;
        QByteArray type = "text/plain";
        QByteArray body = "hello";
        QByteArray extra;
        if (path == "/slow") {
            return false;
        } else if (path == "/json") {
            type = "application/json";
            body = R"({"ok": true, "n": 1})";
        } else if (path.startsWith("/status/")) {
            status = path.mid(8).toInt();
            body = "boom";
        } else if (path == "/big") {
            body = QByteArray(2 * 1024 * 1024, 'a');
        } else if (path == "/huge") {
            type = "application/octet-stream";
            body = QByteArray(11 * 1024 * 1024, 'b');
        } else if (path == "/binary") {
            type = "image/png";
            body = pngBytes();
        } else if (path == "/largefile") {
            type = "image/png";
            body = pngBytes() + QByteArray(2 * 1024 * 1024, '\0');
        } else if (path == "/attachment") {
            type = "application/octet-stream";
            extra = "Content-Disposition: attachment; filename=\"report.pdf\"\r\n";
            body = "%PDF-1.4 fake";
        } else if (path == "/headers") {
            extra = "X-Multi: a\r\nX-Multi: b\r\nX-Custom: Value\r\n";
        } else if (path == "/latin1") {
            type = "text/plain; charset=iso-8859-1";
            body = "caf\xe9";
        } else if (path == "/appjs") {
            type = "application/x-flowbench-unknown";
            body = "{\"looks\": \"like json\"}";
        }
        QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + " Whatever\r\n";
        response += "Content-Type: " + type + "\r\n";
        response += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        response += "Connection: close\r\n" + extra + "\r\n";
        if (request.method != "HEAD")
            response += body;
        socket->write(response);
        socket->disconnectFromHost();
        return true;
    }

    bool m_tls = false;
    std::unique_ptr<QTcpServer> m_server;
};

Json baseData(const QString &url, const char *method = "get")
{
    return Json{{"type", "http-request"},
                {"title", "HTTP"},
                {"method", method},
                {"url", url.toStdString()},
                {"authorization", {{"type", "no-auth"}, {"config", nullptr}}},
                {"headers", ""},
                {"params", ""},
                {"body", {{"type", "none"}, {"data", Json::array()}}},
                {"timeout", {{"connect", 5}, {"read", 10}, {"write", 10}}}};
}

Json bodyData(const char *type, Json items)
{
    return Json{{"type", type}, {"data", std::move(items)}};
}

Json textItem(const char *key, const char *value)
{
    return Json{{"key", key}, {"type", "text"}, {"value", value}};
}

Json fileObject(const QString &name, const QString &mime, const QString &url)
{
    return Json{{"dify_model_identity", flowbench::variables::kFileIdentity},
                {"name", name.toStdString()},
                {"extension", QFileInfo(name).suffix().prepend(QLatin1Char('.')).toStdString()},
                {"mime_type", mime.toStdString()},
                {"type", "document"},
                {"transfer_method", "local_file"},
                {"url", url.toStdString()}};
}

std::string str(const QByteArray &bytes)
{
    return bytes.toStdString();
}

} // namespace

class TstHttpNode : public QObject
{
    Q_OBJECT

private:
    TestServer *m_server = nullptr;
    VariablePool m_pool;

    NodeResult run(const Json &data, const VariablePool &pool, SingleNodeRun *runner = nullptr)
    {
        SingleNodeRun local;
        SingleNodeRun &node = runner ? *runner : local;
        QSignalSpy done(&node, &SingleNodeRun::finished);
        node.start(QStringLiteral("http-request"), QStringLiteral("http"), data, pool);
        if (done.isEmpty())
            done.wait(20000);
        if (done.isEmpty())
            return NodeResult::failure(QStringLiteral("test: the node never finished"));
        return node.result();
    }
    NodeResult run(const Json &data) { return run(data, m_pool); }

    const TestServer::Request &lastRequest() const { return m_server->requests.back(); }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = new TestServer(false, this);
        QVERIFY(m_server->listen());
        m_pool.set("start", "name", "Ada Lovelace");
        m_pool.set("start", "n", 3);
        m_pool.set("start", "obj", Json{{"b", 1}, {"a", "x"}});
        m_pool.set("env", "token", "s3cret");
    }

    void init() { m_server->requests.clear(); }

    void createdByFactory()
    {
        QVERIFY(flowbench::runtime::createExecNode(QStringLiteral("http-request")) != nullptr);
    }

    void methods_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QByteArray>("sent");
        QTest::newRow("get") << "get" << QByteArray("GET");
        QTest::newRow("GET") << "GET" << QByteArray("GET");
        QTest::newRow("post") << "post" << QByteArray("POST");
        QTest::newRow("put") << "PUT" << QByteArray("PUT");
        QTest::newRow("patch") << "patch" << QByteArray("PATCH");
        QTest::newRow("delete") << "delete" << QByteArray("DELETE");
        QTest::newRow("head") << "head" << QByteArray("HEAD");
        QTest::newRow("options") << "Options" << QByteArray("OPTIONS");
    }
    void methods()
    {
        QFETCH(QString, method);
        QFETCH(QByteArray, sent);
        const NodeResult result
            = run(baseData(m_server->url(QStringLiteral("/json")), method.toLatin1().constData()));
        QCOMPARE(result.status, NodeResult::Status::Succeeded);
        QCOMPARE(m_server->requests.size(), std::size_t(1));
        QCOMPARE(lastRequest().method, sent);
        JSON_COMPARE(result.outputs.at("status_code"), Json(200));
        if (sent == "HEAD")
            JSON_COMPARE(result.outputs.at("body"), Json(""));
        else
            JSON_COMPARE(result.outputs.at("body"), Json(R"({"ok": true, "n": 1})"));
        JSON_COMPARE(result.outputs.at("headers").at("content-type"), Json("application/json"));
        JSON_COMPARE(result.outputs.at("files"), Json::array());
        const std::string log = result.processData.at("request").get<std::string>();
        QVERIFY2(log.rfind(sent.toStdString() + " /json HTTP/1.1\r\nHost: 127.0.0.1:", 0) == 0,
                 log.c_str());
    }

    void invalidMethodAndUrl()
    {
        NodeResult result = run(baseData(m_server->url(QStringLiteral("/json")), "fetch"));
        QCOMPARE(result.status, NodeResult::Status::Failed);
        QCOMPARE(result.errorType, QStringLiteral("InvalidHttpMethodError"));
        QVERIFY(result.error.contains(QLatin1String("fetch")));

        result = run(baseData(QStringLiteral("ftp://example.com/x")));
        QCOMPARE(result.errorType, QStringLiteral("InvalidURLError"));
        result = run(baseData(QStringLiteral("{{#start.missing#}}")));
        QCOMPARE(result.errorType, QStringLiteral("InvalidURLError"));
        QVERIFY(m_server->requests.empty());
    }

    void urlTemplate()
    {
        Json data = baseData(m_server->url(QStringLiteral("/echo/{{#start.n#}}")));
        const NodeResult result = run(data);
        QCOMPARE(result.status, NodeResult::Status::Succeeded);
        QCOMPARE(lastRequest().target, QByteArray("/echo/3"));
    }

    void authorization_data()
    {
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<QString>("apiKey");
        QTest::addColumn<QString>("header");
        QTest::addColumn<QByteArray>("sentHeader");
        QTest::addColumn<QByteArray>("sentValue");
        QTest::newRow("bearer") << "bearer"
                                << "{{#env.token#}}"
                                << "" << QByteArray("Authorization") << QByteArray("Bearer s3cret");
        QTest::newRow("basic user:pass is encoded")
            << "basic"
            << "user:pass"
            << "" << QByteArray("Authorization") << QByteArray("Basic dXNlcjpwYXNz");
        QTest::newRow("basic pre-encoded as is")
            << "basic"
            << "dXNlcjpwYXNz"
            << "" << QByteArray("Authorization") << QByteArray("Basic dXNlcjpwYXNz");
        QTest::newRow("custom") << "custom"
                                << "k-123"
                                << "X-Api-Key" << QByteArray("X-Api-Key") << QByteArray("k-123");
        QTest::newRow("custom without header")
            << "custom"
            << "k-123"
            << "" << QByteArray("Authorization") << QByteArray("k-123");
    }
    void authorization()
    {
        QFETCH(QString, scheme);
        QFETCH(QString, apiKey);
        QFETCH(QString, header);
        QFETCH(QByteArray, sentHeader);
        QFETCH(QByteArray, sentValue);
        Json data = baseData(m_server->url(QStringLiteral("/json")));
        data["headers"] = "Authorization: replaced-by-auth";
        data["authorization"] = {{"type", "api-key"},
                                 {"config",
                                  {{"type", scheme.toStdString()},
                                   {"api_key", apiKey.toStdString()},
                                   {"header", header.toStdString()}}}};
        const NodeResult result = run(data);
        QCOMPARE(result.status, NodeResult::Status::Succeeded);
        QCOMPARE(lastRequest().header(sentHeader), sentValue);
        QCOMPARE(lastRequest().headerCount(sentHeader), 1);
        // The log masks the key.
        const QString log
            = QString::fromStdString(result.processData.at("request").get<std::string>());
        QVERIFY2(!log.contains(QString::fromLatin1(sentValue)), qPrintable(log));
        QVERIFY(log.contains(QString::fromLatin1(sentHeader) + QStringLiteral(": *")));
    }

    void authorizationErrors()
    {
        Json data = baseData(m_server->url(QStringLiteral("/json")));
        data["authorization"] = {{"type", "api-key"}, {"config", nullptr}};
        NodeResult result = run(data);
        QCOMPARE(result.errorType, QStringLiteral("AuthorizationConfigError"));
        data["authorization"] = {{"type", "api-key"},
                                 {"config", {{"type", "bearer"}, {"api_key", "{{#env.none#}}x"}}}};
        result = run(data); // renders as "env.nonex": not empty, sent
        QCOMPARE(result.status, NodeResult::Status::Succeeded);
        QCOMPARE(lastRequest().header("Authorization"), QByteArray("Bearer env.nonex"));
        data["authorization"]["config"]["api_key"] = "  ";
        result = run(data);
        QCOMPARE(result.errorType, QStringLiteral("AuthorizationConfigError"));
    }

    void headersAndParams()
    {
        Json data = baseData(m_server->url(QStringLiteral("/json?keep=1&tag=old&flag")));
        data["headers"] = "X-Name: {{#start.name#}}\n\n  X-Unresolved:{{#start.nothing#}}  \r\n"
                          "X-Empty\nX-Dup: first\nX-Dup: second\nX-Obj: {{#start.obj#}}";
        data["params"] = "tag:{{#start.n#}}\n\ntag: two words\nq : {{#x.y#}}\n:ignored\nflag";
        const NodeResult result = run(data);
        QCOMPARE(result.status, NodeResult::Status::Succeeded);
        const TestServer::Request &request = lastRequest();
        QCOMPARE(request.header("X-Name"), QByteArray("Ada Lovelace"));
        QCOMPARE(request.header("X-Unresolved"), QByteArray("start.nothing"));
        QCOMPARE(request.header("X-Dup"), QByteArray("second"));
        QCOMPARE(request.headerCount("X-Dup"), 1);
        QCOMPARE(request.header("X-Obj"),
                 QByteArray::fromStdString(
                     flowbench::variables::renderText(Json{{"b", 1}, {"a", "x"}})));
        // Repeated keys stay; the URL's own "tag" is replaced, "keep" stays.
        QCOMPARE(request.target, QByteArray("/json?keep=1&tag=3&tag=two+words&q=x.y&flag="));
        const std::string log = result.processData.at("request").get<std::string>();
        QVERIFY2(log.rfind("GET /json?tag=3&tag=two+words&q=x.y&flag= HTTP/1.1\r\n", 0) == 0,
                 log.c_str());
    }

    void bodies_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("body"); // JSON of the node's body
        QTest::addColumn<QByteArray>("headers");
        QTest::addColumn<QByteArray>("sentBody");
        QTest::addColumn<QByteArray>("sentType");

        auto row = [](const char *name, const char *method, const Json &body, const char *headers,
                      const QByteArray &sentBody, const QByteArray &sentType) {
            QTest::newRow(name) << QByteArray(method) << QByteArray::fromStdString(body.dump())
                                << QByteArray(headers) << sentBody << sentType;
        };
        row("none post", "post", bodyData("none", Json::array()), "", "", "");
        row("raw-text", "post", bodyData("raw-text", {textItem("", "Hi {{#start.name#}}!")}), "",
            "Hi Ada Lovelace!", "text/plain");
        row("raw-text keeps custom type", "put", bodyData("raw-text", {textItem("", "<a/>")}),
            "content-type: application/xml", "<a/>", "application/xml");
        row("raw-text legacy string data", "post", Json{{"type", "raw-text"}, {"data", "plain"}},
            "", "plain", "text/plain");
        row("json", "post",
            bodyData("json", {textItem("", "{\"name\": \"{{#start.name#}}\", \"n\": {{#start.n#}},"
                                           " \"z\": 1, \"a\": [1, 2.5]}")}),
            "", R"({"name":"Ada Lovelace","n":3,"z":1,"a":[1,2.5]})", "application/json");
        row("json with raw newline in string", "post",
            bodyData("json", {textItem("", "{\"text\": \"line1\nline2\"}")}), "",
            R"({"text":"line1\nline2"})", "application/json");
        row("invalid json sent as rendered", "post", bodyData("json", {textItem("", "{\"a\": 1,")}),
            "", "{\"a\": 1,", "application/json");
        row("x-www-form-urlencoded", "post",
            bodyData("x-www-form-urlencoded",
                     {textItem("name", "{{#start.name#}}"), textItem("sym", "a&b=c/d~é"),
                      textItem("name", "again")}),
            "", "name=again&sym=a%26b%3Dc%2Fd~%C3%A9", "application/x-www-form-urlencoded");
    }
    void bodies()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, headers);
        QFETCH(QByteArray, sentBody);
        QFETCH(QByteArray, sentType);
        Json data = baseData(m_server->url(QStringLiteral("/json")), method.constData());
        data["body"] = Json::parse(body.toStdString());
        data["headers"] = headers.toStdString();
        const NodeResult result = run(data);
        QCOMPARE(result.status, NodeResult::Status::Succeeded);
        QCOMPARE(lastRequest().body, sentBody);
        QCOMPARE(lastRequest().header("Content-Type"), sentType);
        if (method == "post" && sentBody.isEmpty())
            QCOMPARE(lastRequest().header("Content-Length"), QByteArray("0"));
        const std::string log = result.processData.at("request").get<std::string>();
        QVERIFY2(log.size() >= std::size_t(sentBody.size())
                     && log.compare(log.size() - sentBody.size(), sentBody.size(), str(sentBody))
                            == 0,
                 log.c_str());
        if (QByteArray(QTest::currentDataTag()).startsWith("invalid json"))
            QVERIFY(result.processData.contains("json_warning"));
    }

    void bodyItemCount()
    {
        Json data = baseData(m_server->url(QStringLiteral("/json")), "post");
        data["body"] = bodyData("raw-text", {textItem("", "a"), textItem("", "b")});
        const NodeResult result = run(data);
        QCOMPARE(result.errorType, QStringLiteral("RequestBodyError"));
        QVERIFY(m_server->requests.empty());
    }

    void formData()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile local(dir.filePath(QStringLiteral("notes.txt")));
        QVERIFY(local.open(QIODevice::WriteOnly));
        local.write("file body\n");
        local.close();

        VariablePool pool = m_pool;
        pool.set("start", "doc",
                 fileObject(QStringLiteral("notes.txt"), QStringLiteral("text/plain"),
                            QUrl::fromLocalFile(local.fileName()).toString()));
        pool.set(
            "start", "pics",
            Json::array({fileObject(QStringLiteral("a.png"), QStringLiteral("image/png"),
                                    QStringLiteral("data:image/png;base64,")
                                        + QString::fromLatin1(TestServer::pngBytes().toBase64())),
                         fileObject(QStringLiteral("b.txt"), QStringLiteral("text/plain"),
                                    QStringLiteral("data:text/plain,hi%20there"))}));
        Json data = baseData(m_server->url(QStringLiteral("/json")), "post");
        data["headers"] = "Content-Type: text/plain"; // replaced by multipart
        data["body"] = bodyData(
            "form-data", {textItem("field", "{{#start.name#}}"),
                          Json{{"key", "doc"}, {"type", "file"}, {"file", {"start", "doc"}}},
                          Json{{"key", "pics"}, {"type", "file"}, {"file", {"start", "pics"}}}});
        const NodeResult result = run(data, pool);
        QCOMPARE(result.status, NodeResult::Status::Succeeded);
        const TestServer::Request &request = lastRequest();
        const QByteArray type = request.header("Content-Type");
        QVERIFY2(type.startsWith("multipart/form-data; boundary="), type.constData());
        QCOMPARE(request.headerCount("Content-Type"), 1);
        const QByteArray boundary = type.mid(type.indexOf('=') + 1);
        QCOMPARE(boundary.size(), 32);
        const QByteArray expected
            = "--" + boundary
              + "\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\n"
                "Ada Lovelace\r\n"
                "--"
              + boundary
              + "\r\nContent-Disposition: form-data; name=\"doc\"; "
                "filename=\"notes.txt\"\r\nContent-Type: text/plain\r\n\r\nfile body\n\r\n"
                "--"
              + boundary
              + "\r\nContent-Disposition: form-data; name=\"pics\"; "
                "filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n"
              + TestServer::pngBytes()
              + "\r\n"
                "--"
              + boundary
              + "\r\nContent-Disposition: form-data; name=\"pics\"; "
                "filename=\"b.txt\"\r\nContent-Type: text/plain\r\n\r\nhi there\r\n"
                "--"
              + boundary + "--\r\n";
        QCOMPARE(request.body, expected);
    }

    void formDataWithoutFilesHasPlaceholder()
    {
        Json data = baseData(m_server->url(QStringLiteral("/json")), "post");
        data["body"] = bodyData("form-data", {textItem("a", "1")});
        const NodeResult result = run(data);
        QCOMPARE(result.status, NodeResult::Status::Succeeded);
        const QByteArray type = lastRequest().header("Content-Type");
        const QByteArray boundary = type.mid(type.indexOf('=') + 1);
        QCOMPARE(
            lastRequest().body,
            "--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
                  "--"
                + boundary
                + "\r\nContent-Disposition: form-data; "
                  "name=\"__multipart_placeholder__\"\r\nContent-Type: application/octet-stream"
                  "\r\n\r\n\r\n--"
                + boundary + "--\r\n");
    }

    void formDataRemoteFileFails()
    {
        VariablePool pool = m_pool;
        pool.set("start", "doc",
                 fileObject(QStringLiteral("r.txt"), QStringLiteral("text/plain"),
                            QStringLiteral("https://example.invalid/r.txt")));
        Json data = baseData(m_server->url(QStringLiteral("/json")), "post");
        data["body"] = bodyData(
            "form-data", {Json{{"key", "doc"}, {"type", "file"}, {"file", {"start", "doc"}}}});
        const NodeResult result = run(data, pool);
        QCOMPARE(result.status, NodeResult::Status::Failed);
        QCOMPARE(result.errorType, QStringLiteral("FileFetchError"));
        QVERIFY2(result.error.contains(QLatin1String("r.txt")), qPrintable(result.error));
        QVERIFY(m_server->requests.empty());
    }

    void binaryBody()
    {
        VariablePool pool = m_pool;
        pool.set("start", "img",
                 fileObject(QStringLiteral("a.png"), QStringLiteral("image/png"),
                            QStringLiteral("data:image/png;base64,")
                                + QString::fromLatin1(TestServer::pngBytes().toBase64())));
        Json data = baseData(m_server->url(QStringLiteral("/json")), "post");
        data["body"]
            = bodyData("binary", {Json{{"key", ""}, {"type", "file"}, {"file", {"start", "img"}}}});
        NodeResult result = run(data, pool);
        QCOMPARE(result.status, NodeResult::Status::Succeeded);
        QCOMPARE(lastRequest().body, TestServer::pngBytes());
        QCOMPARE(lastRequest().header("Content-Type"), QByteArray("image/png"));

        data["body"]["data"][0]["file"] = {"start", "name"}; // a string, not a file
        result = run(data, pool);
        QCOMPARE(result.errorType, QStringLiteral("FileFetchError"));
        QVERIFY(result.error.contains(QLatin1String("start.name")));
    }

    void nonSuccessStatus()
    {
        Json data = baseData(m_server->url(QStringLiteral("/status/500")));
        NodeResult result = run(data);
        QCOMPARE(result.status, NodeResult::Status::Succeeded);
        JSON_COMPARE(result.outputs.at("status_code"), Json(500));
        JSON_COMPARE(result.outputs.at("body"), Json("boom"));

        data["retry_config"] = {{"enabled", true}, {"max_retries", 2}}; // the old key: no retry
        result = run(data);
        QCOMPARE(result.status, NodeResult::Status::Succeeded);

        data["retry_config"]
            = {{"retry_enabled", true}, {"max_retries", 2}, {"retry_interval", 100}};
        result = run(data);
        QCOMPARE(result.status, NodeResult::Status::Failed);
        QCOMPARE(result.errorType, QStringLiteral("HTTPResponseCodeError"));
        QCOMPARE(result.error, QStringLiteral("Request failed with status code 500"));
        JSON_COMPARE(result.outputs.at("status_code"), Json(500));

        data.erase("retry_config");
        data["error_strategy"] = "fail-branch";
        result = run(data);
        QCOMPARE(result.status, NodeResult::Status::Failed);
        QCOMPARE(result.errorType, QStringLiteral("HTTPResponseCodeError"));

        data["url"] = m_server->url(QStringLiteral("/status/404")).toStdString();
        data["error_strategy"] = "default-value";
        result = run(data);
        QCOMPARE(result.status, NodeResult::Status::Failed);
        JSON_COMPARE(result.outputs.at("status_code"), Json(404));

        data["url"] = m_server->url(QStringLiteral("/status/201")).toStdString();
        result = run(data);
        QCOMPARE(result.status, NodeResult::Status::Succeeded);
    }

    void responseHeaders()
    {
        const NodeResult result = run(baseData(m_server->url(QStringLiteral("/headers"))));
        QCOMPARE(result.status, NodeResult::Status::Succeeded);
        const Json &headers = result.outputs.at("headers");
        JSON_COMPARE(headers.at("x-custom"), Json("Value"));
        JSON_COMPARE(headers.at("x-multi"), Json("a, b"));
        JSON_COMPARE(headers.at("content-length"), Json("5"));
    }

    void responseCharset()
    {
        NodeResult result = run(baseData(m_server->url(QStringLiteral("/latin1"))));
        JSON_COMPARE(result.outputs.at("body"), Json("café"));
        // application/* with an unknown type whose body looks like JSON is text.
        result = run(baseData(m_server->url(QStringLiteral("/appjs"))));
        JSON_COMPARE(result.outputs.at("body"), Json("{\"looks\": \"like json\"}"));
        JSON_COMPARE(result.outputs.at("files"), Json::array());
    }

    void binaryResponse()
    {
        const NodeResult result = run(baseData(m_server->url(QStringLiteral("/binary"))));
        QCOMPARE(result.status, NodeResult::Status::Succeeded);
        JSON_COMPARE(result.outputs.at("body"), Json(""));
        const Json &files = result.outputs.at("files");
        QCOMPARE(files.size(), std::size_t(1));
        const Json &file = files.at(0);
        QVERIFY(flowbench::variables::isFile(file));
        JSON_COMPARE(file.at("mime_type"), Json("image/png"));
        JSON_COMPARE(file.at("extension"), Json(".png"));
        JSON_COMPARE(file.at("type"), Json("image"));
        JSON_COMPARE(file.at("transfer_method"), Json("tool_file"));
        JSON_COMPARE(file.at("size"), Json(TestServer::pngBytes().size()));
        QVERIFY(QString::fromStdString(file.at("name").get<std::string>())
                    .endsWith(QLatin1String(".png")));
        JSON_COMPARE(file.at("url").get<std::string>(),
                     "data:image/png;base64," + TestServer::pngBytes().toBase64().toStdString());
    }

    void attachmentResponse()
    {
        const NodeResult result = run(baseData(m_server->url(QStringLiteral("/attachment"))));
        QCOMPARE(result.status, NodeResult::Status::Succeeded);
        const Json &file = result.outputs.at("files").at(0);
        JSON_COMPARE(file.at("mime_type"), Json("application/pdf"));
        JSON_COMPARE(file.at("extension"), Json(".pdf"));
        JSON_COMPARE(file.at("type"), Json("document"));
    }

    void largeFileResponseGoesToDisk()
    {
        const NodeResult result = run(baseData(m_server->url(QStringLiteral("/largefile"))));
        QCOMPARE(result.status, NodeResult::Status::Succeeded);
        const Json &file = result.outputs.at("files").at(0);
        const QUrl url(QString::fromStdString(file.at("url").get<std::string>()));
        QVERIFY(url.isLocalFile());
        QFile stored(url.toLocalFile());
        QVERIFY(stored.open(QIODevice::ReadOnly));
        QCOMPARE(stored.size(), file.at("size").get<qint64>());
        QVERIFY(stored.read(8) == TestServer::pngBytes().left(8));
        stored.close();
        stored.remove();
    }

    void sizeLimits()
    {
        NodeResult result = run(baseData(m_server->url(QStringLiteral("/big"))));
        QCOMPARE(result.status, NodeResult::Status::Failed);
        QCOMPARE(result.errorType, QStringLiteral("ResponseSizeError"));
        QVERIFY2(
            result.error.startsWith(QLatin1String("Text size is too large, max size is 1.00 MB")),
            qPrintable(result.error));
        QVERIFY(result.error.contains(QLatin1String("2.00 MB")));

        result = run(baseData(m_server->url(QStringLiteral("/huge"))));
        QCOMPARE(result.status, NodeResult::Status::Failed);
        QCOMPARE(result.errorType, QStringLiteral("ResponseSizeError"));
        QVERIFY2(
            result.error.startsWith(QLatin1String("File size is too large, max size is 10.00 MB")),
            qPrintable(result.error));
    }

    void connectionRefused()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        const QString url = QStringLiteral("http://127.0.0.1:%1/x").arg(port);
        QElapsedTimer clock;
        clock.start();
        const NodeResult result = run(baseData(url));
        QVERIFY(clock.elapsed() < 5000);
        QCOMPARE(result.status, NodeResult::Status::Failed);
        QCOMPARE(result.errorType, QStringLiteral("HttpRequestNodeError"));
        QVERIFY2(result.error.contains(url), qPrintable(result.error));
        QVERIFY2(result.error.contains(QLatin1String("refused"), Qt::CaseInsensitive),
                 qPrintable(result.error));
        QVERIFY(result.processData.contains("request"));
    }

    void unknownHost()
    {
        const NodeResult result = run(baseData(QStringLiteral("http://nonexistent.invalid/")));
        QCOMPARE(result.status, NodeResult::Status::Failed);
        QCOMPARE(result.errorType, QStringLiteral("HttpRequestNodeError"));
        QVERIFY2(result.error.contains(QLatin1String("nonexistent.invalid")),
                 qPrintable(result.error));
    }

    void readTimeout()
    {
        Json data = baseData(m_server->url(QStringLiteral("/slow")));
        data["timeout"] = {{"connect", 0}, {"read", 1}, {"write", 0}};
        QElapsedTimer clock;
        clock.start();
        const NodeResult result = run(data);
        const qint64 elapsed = clock.elapsed();
        QCOMPARE(result.status, NodeResult::Status::Failed);
        QCOMPARE(result.errorType, QStringLiteral("HttpRequestNodeError"));
        QVERIFY2(result.error.contains(QLatin1String("read timeout")), qPrintable(result.error));
        QVERIFY2(result.error.contains(m_server->url(QStringLiteral("/slow"))),
                 qPrintable(result.error));
        QVERIFY2(elapsed >= 900 && elapsed < 3000, qPrintable(QString::number(elapsed)));
        QTRY_VERIFY(m_server->closedPaths.contains("/slow"));
        m_server->closedPaths.clear();
    }

    void sslVerify()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        TestServer tls(true);
        QVERIFY(tls.listen());
        Json data = baseData(tls.url(QStringLiteral("/json")));
        data["timeout"] = {{"connect", 5}, {"read", 5}, {"write", 5}};

        // Verification on (the default): the self-signed certificate is refused.
        NodeResult result = run(data);
        QCOMPARE(result.status, NodeResult::Status::Failed);
        QCOMPARE(result.errorType, QStringLiteral("HttpRequestNodeError"));
        QVERIFY2(result.error.contains(tls.url(QStringLiteral("/json"))), qPrintable(result.error));
        QVERIFY(tls.requests.empty());

        // Off: accepted, for this request only.
        data["ssl_verify"] = false;
        result = run(data);
        QVERIFY2(result.status == NodeResult::Status::Succeeded, qPrintable(result.error));
        JSON_COMPARE(result.outputs.at("status_code"), Json(200));
        QCOMPARE(tls.requests.size(), std::size_t(1));

        data["ssl_verify"] = true;
        result = run(data);
        QCOMPARE(result.status, NodeResult::Status::Failed);
    }

    void connectTimeout()
    {
        // TLS to the plain server: the handshake never completes, so the connection is never
        // ready and the connect timeout fires.
        Json data = baseData(m_server->url(QStringLiteral("/json"))
                                 .replace(QLatin1String("http://"), QLatin1String("https://")));
        data["ssl_verify"] = false;
        data["timeout"] = {{"connect", 1}, {"read", 30}, {"write", 30}};
        QElapsedTimer clock;
        clock.start();
        const NodeResult result = run(data);
        QCOMPARE(result.status, NodeResult::Status::Failed);
        QCOMPARE(result.errorType, QStringLiteral("HttpRequestNodeError"));
        QVERIFY2(result.error.contains(QLatin1String("connect timeout")), qPrintable(result.error));
        QVERIFY(clock.elapsed() < 3000);
    }

    void cancelMidRequest()
    {
        SingleNodeRun runner;
        QSignalSpy done(&runner, &SingleNodeRun::finished);
        Json data = baseData(m_server->url(QStringLiteral("/slow")));
        runner.start(QStringLiteral("http-request"), QStringLiteral("http"), data, m_pool);
        QTRY_COMPARE(m_server->requests.size(), std::size_t(1));
        QVERIFY(done.isEmpty());
        runner.stop();
        QCOMPARE(done.size(), 1);
        QCOMPARE(runner.result().errorType, QStringLiteral("Cancelled"));
        QTRY_VERIFY(m_server->closedPaths.contains("/slow"));
        m_server->closedPaths.clear();
        // Nothing arrives later.
        QTest::qWait(100);
        QCOMPARE(done.size(), 1);
    }

    void destroyedMidRequest()
    {
        {
            SingleNodeRun runner;
            runner.start(QStringLiteral("http-request"), QStringLiteral("http"),
                         baseData(m_server->url(QStringLiteral("/slow"))), m_pool);
            QTRY_COMPARE(m_server->requests.size(), std::size_t(1));
        } // the runner and its node go away with the request in flight
        QTRY_VERIFY(m_server->closedPaths.contains("/slow"));
        m_server->closedPaths.clear();
    }

    void malformedData()
    {
        Json data = baseData(m_server->url(QStringLiteral("/json")), "post");
        data["body"] = {{"type", "json"}, {"data", {{{"value", 5}}}}}; // value not a string
        data["timeout"] = "soon";
        data["headers"] = Json::array();
        const NodeResult result = run(data);
        // Wrong types read as empty: an empty JSON body is sent as is.
        QCOMPARE(result.status, NodeResult::Status::Succeeded);
    }
};

QTEST_GUILESS_MAIN(TstHttpNode)
#include "tst_httpnode.moc"

// The document-extractor node on real files (tests/data/documents, written by
// make_documents.py there).
#include <QFile>
#include <QHostAddress>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>

#include "nodes/documentextractornode.h"
#include "runtime/singlenoderun.h"
#include "variables/value.h"
#include "variables/variablepool.h"

using flowbench::nodes::DocumentExtractorNode;
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

QString documentPath(const QString &name)
{
    return QStringLiteral(FLOWBENCH_SOURCE_DIR "/tests/data/documents/") + name;
}

Json fileAt(const QString &url, const QString &name, const QString &extension,
            const QString &mime = QString())
{
    Json file = {{"dify_model_identity", flowbench::variables::kFileIdentity},
                 {"name", name.toStdString()},
                 {"type", "document"},
                 {"transfer_method", "local_file"},
                 {"url", url.toStdString()}};
    if (!extension.isNull())
        file["extension"] = extension.toStdString();
    if (!mime.isNull())
        file["mime_type"] = mime.toStdString();
    return file;
}

// A file variable for one of the test documents, with Dify's dotted extension.
Json document(const QString &name)
{
    const QString extension = QLatin1Char('.') + name.section(QLatin1Char('.'), -1);
    return fileAt(QUrl::fromLocalFile(documentPath(name)).toString(), name, extension);
}

QByteArray readDocument(const QString &name)
{
    QFile file(documentPath(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    return file.readAll();
}

Json nodeData(const char *scope = "start", const char *name = "file", bool isArray = false)
{
    return Json{{"type", "document-extractor"},
                {"title", "Doc"},
                {"variable_selector", {scope, name}},
                {"is_array_file", isArray}};
}

// Serves GET /<name> from the documents folder, 404 for anything else.
class FileServer : public QObject
{
    Q_OBJECT

public:
    bool listen()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                auto buffer = std::make_shared<QByteArray>();
                connect(socket, &QTcpSocket::readyRead, this, [socket, buffer] {
                    buffer->append(socket->readAll());
                    if (!buffer->contains("\r\n\r\n"))
                        return;
                    const QByteArray path = buffer->split(' ').value(1);
                    QFile file(documentPath(QString::fromUtf8(path.mid(1))));
                    QByteArray response;
                    if (!path.contains("..") && file.open(QIODevice::ReadOnly)) {
                        const QByteArray body = file.readAll();
                        response = "HTTP/1.1 200 OK\r\nContent-Length: "
                                   + QByteArray::number(body.size())
                                   + "\r\nConnection: close\r\n\r\n" + body;
                    } else {
                        response = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                                   "Connection: close\r\n\r\n";
                    }
                    socket->write(response);
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        return m_server.listen(QHostAddress::LocalHost, 0);
    }
    [[nodiscard]] QString url(const QString &name) const
    {
        return QStringLiteral("http://127.0.0.1:%1/%2").arg(m_server.serverPort()).arg(name);
    }

private:
    QTcpServer m_server;
};

const char kDocxText[] = "Hello docx\n"
                         "Bold\tafter tab\nnext line link\n"
                         "| Name | Value |\n"
                         "| --- | --- |\n"
                         "| alpha | 1<br>one |\n"
                         "| wide | wide |\n"
                         "\n"
                         "\n"
                         "End";

} // namespace

class TstDocumentExtractor : public QObject
{
    Q_OBJECT

private:
    NodeResult run(const Json &data, const VariablePool &pool)
    {
        SingleNodeRun node;
        QSignalSpy done(&node, &SingleNodeRun::finished);
        node.start(QStringLiteral("document-extractor"), QStringLiteral("doc"), data, pool);
        if (done.isEmpty())
            done.wait(20000);
        if (done.isEmpty())
            return NodeResult::failure(QStringLiteral("test: the node never finished"));
        return node.result();
    }
    NodeResult runOn(const Json &file)
    {
        VariablePool pool;
        pool.set("start", "file", file);
        return run(nodeData(), pool);
    }

private Q_SLOTS:
    void createdByFactory()
    {
        QVERIFY(flowbench::runtime::createExecNode(QStringLiteral("document-extractor"))
                != nullptr);
    }

    void formats_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::newRow("txt") << "sample.txt"
                             << "Hello, Flowbench.\nSecond line.\n";
        QTest::newRow("chinese txt") << "chinese.txt"
                                     << "你好，世界。\n这是一个测试文件。\n";
        QTest::newRow("cp1252 txt") << "cp1252.txt"
                                    << "Café € 5\n";
        QTest::newRow("md") << "sample.md"
                            << "# Title\n\n- item one\n- item two\n";
        // Dify reads HTML as plain text: the markup stays.
        QTest::newRow("html") << "sample.html"
                              << "<html><body><h1>Title</h1><p>A &amp; B</p></body></html>\n";
        QTest::newRow("json") << "sample.json"
                              << "{\n  \"name\": \"流程\",\n  \"items\": [\n    1,\n    2.5,\n"
                                 "    true,\n    null\n  ],\n  \"nested\": {\n    \"z\": 1,\n"
                                 "    \"a\": {}\n  }\n}";
        QTest::newRow("csv") << "sample.csv"
                             << "| name | age | note |\n| ---- | --- | ---- |\n"
                                "| Alice | 30 | likes, commas |\n| Bob | 25 | two lines |\n";
        QTest::newRow("pdf") << "sample.pdf"
                             << "Page one text\nPage two text";
        QTest::newRow("docx") << "sample.docx" << QString::fromUtf8(kDocxText);
        QTest::newRow("chinese docx")
            << "chinese.docx"
            << "你好，文档。\n| 名称 | 数值 |\n| --- | --- |\n| 甲 | 一 |\n";
    }
    void formats()
    {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        const NodeResult result = runOn(document(name));
        QVERIFY2(result.status == NodeResult::Status::Succeeded, qPrintable(result.error));
        QCOMPARE(QString::fromStdString(result.outputs.at("text").get<std::string>()), expected);
        JSON_COMPARE(result.inputs.at("variable_selector"), (Json{"start", "file"}));
        QCOMPARE(result.processData.at("documents").size(), std::size_t(1));
    }

    void failures_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("errorType");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("corrupt pdf") << "corrupt.pdf"
                                     << "TextExtractionError"
                                     << "PDF";
        QTest::newRow("corrupt docx") << "corrupt.docx"
                                      << "TextExtractionError"
                                      << "DOCX";
        QTest::newRow("unsupported") << "sample.xyz"
                                     << "UnsupportedFileTypeError"
                                     << ".xyz";
    }
    void failures()
    {
        QFETCH(QString, name);
        QFETCH(QString, errorType);
        QFETCH(QString, mentions);
        const NodeResult result = runOn(document(name));
        QCOMPARE(result.status, NodeResult::Status::Failed);
        QCOMPARE(result.errorType, errorType);
        QVERIFY2(result.error.contains(mentions), qPrintable(result.error));
    }

    void unavailableFormat()
    {
        Json file = document(QStringLiteral("sample.txt"));
        file["extension"] = ".xlsx";
        const NodeResult result = runOn(file);
        QCOMPARE(result.errorType, QStringLiteral("UnsupportedFileTypeError"));
        QVERIFY2(result.error.contains(QLatin1String(".xlsx")), qPrintable(result.error));
    }

    void extensionWithoutDotAndCase()
    {
        Json file = document(QStringLiteral("sample.pdf"));
        file["extension"] = "PDF";
        const NodeResult result = runOn(file);
        QVERIFY2(result.status == NodeResult::Status::Succeeded, qPrintable(result.error));
        QVERIFY(QString::fromStdString(result.outputs.at("text").get<std::string>())
                    .contains(QLatin1String("Page two text")));
    }

    void mimeTypeWhenNoExtension()
    {
        Json file
            = fileAt(QUrl::fromLocalFile(documentPath(QStringLiteral("sample.csv"))).toString(),
                     QStringLiteral("upload"), QString(), QStringLiteral("text/csv"));
        NodeResult result = runOn(file);
        QVERIFY2(result.status == NodeResult::Status::Succeeded, qPrintable(result.error));
        QVERIFY(result.outputs.at("text").get<std::string>().rfind("| name | age |", 0) == 0);

        file["mime_type"] = "application/x-nothing";
        result = runOn(file);
        QCOMPARE(result.errorType, QStringLiteral("UnsupportedFileTypeError"));
        QVERIFY(result.error.contains(QLatin1String("application/x-nothing")));

        file.erase("mime_type");
        file["name"] = "noextension";
        result = runOn(file);
        QCOMPARE(result.errorType, QStringLiteral("UnsupportedFileTypeError"));
        QVERIFY2(result.error.contains(QLatin1String("missing")), qPrintable(result.error));
    }

    void dataUrl()
    {
        const QString url = QStringLiteral("data:text/plain;base64,")
                            + QString::fromLatin1(QByteArray("数据 URL text").toBase64());
        const NodeResult result
            = runOn(fileAt(url, QStringLiteral("a.txt"), QStringLiteral(".txt")));
        QVERIFY2(result.status == NodeResult::Status::Succeeded, qPrintable(result.error));
        JSON_COMPARE(result.outputs.at("text"), Json("数据 URL text"));
    }

    void remoteFile()
    {
        FileServer server;
        QVERIFY(server.listen());
        NodeResult result = runOn(fileAt(server.url(QStringLiteral("sample.docx")),
                                         QStringLiteral("sample.docx"), QStringLiteral(".docx")));
        QVERIFY2(result.status == NodeResult::Status::Succeeded, qPrintable(result.error));
        JSON_COMPARE(result.outputs.at("text"), Json(kDocxText));

        result = runOn(fileAt(server.url(QStringLiteral("missing.txt")),
                              QStringLiteral("missing.txt"), QStringLiteral(".txt")));
        QCOMPARE(result.status, NodeResult::Status::Failed);
        QCOMPARE(result.errorType, QStringLiteral("FileDownloadError"));
        QVERIFY2(result.error.contains(QLatin1String("404")), qPrintable(result.error));
    }

    void missingLocalFile()
    {
        const NodeResult result = runOn(fileAt(QStringLiteral("file:///nonexistent/dir/x.txt"),
                                               QStringLiteral("x.txt"), QStringLiteral(".txt")));
        QCOMPARE(result.errorType, QStringLiteral("FileDownloadError"));
        QVERIFY2(result.error.contains(QLatin1String("x.txt")), qPrintable(result.error));
    }

    void listOfFiles()
    {
        VariablePool pool;
        pool.set("start", "files",
                 Json::array({document(QStringLiteral("sample.txt")), nullptr,
                              document(QStringLiteral("chinese.docx")),
                              document(QStringLiteral("sample.pdf"))}));
        const NodeResult result = run(nodeData("start", "files", true), pool);
        QVERIFY2(result.status == NodeResult::Status::Succeeded, qPrintable(result.error));
        JSON_COMPARE(result.outputs.at("text"),
                     (Json{"Hello, Flowbench.\nSecond line.\n",
                           "你好，文档。\n| 名称 | 数值 |\n| --- | --- |\n| 甲 | 一 |\n",
                           "Page one text\nPage two text"}));
        QCOMPARE(result.processData.at("documents").size(), std::size_t(3));
    }

    void listWithABadFileFails()
    {
        VariablePool pool;
        pool.set("start", "files",
                 Json::array({document(QStringLiteral("sample.txt")),
                              document(QStringLiteral("corrupt.pdf"))}));
        const NodeResult result = run(nodeData("start", "files", true), pool);
        QCOMPARE(result.errorType, QStringLiteral("TextExtractionError"));
        QVERIFY2(result.error.contains(QLatin1String("corrupt.pdf")), qPrintable(result.error));
    }

    void emptyInputs()
    {
        VariablePool pool;
        pool.set("start", "none", nullptr);
        pool.set("start", "empty", Json::array());
        NodeResult result = run(nodeData("start", "none"), pool);
        QCOMPARE(result.status, NodeResult::Status::Succeeded);
        JSON_COMPARE(result.outputs.at("text"), Json::array());
        result = run(nodeData("start", "empty", true), pool);
        QCOMPARE(result.status, NodeResult::Status::Succeeded);
        JSON_COMPARE(result.outputs.at("text"), Json::array());
    }

    void variableProblems()
    {
        VariablePool pool;
        pool.set("start", "text", "not a file");
        NodeResult result = run(nodeData("start", "absent"), pool);
        QCOMPARE(result.status, NodeResult::Status::Failed);
        QCOMPARE(result.errorType, QStringLiteral("DocumentExtractorError"));
        QVERIFY2(result.error.contains(QLatin1String("start.absent")), qPrintable(result.error));

        result = run(nodeData("start", "text"), pool);
        QCOMPARE(result.errorType, QStringLiteral("DocumentExtractorError"));
        QVERIFY2(result.error.contains(QLatin1String("start.text")), qPrintable(result.error));

        Json data = nodeData();
        data["variable_selector"] = Json::array();
        result = run(data, pool);
        QCOMPARE(result.errorType, QStringLiteral("DocumentExtractorError"));
        QVERIFY(result.error.contains(QLatin1String("variable_selector")));
    }

    void csvEdgeCases_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << QByteArray() << QString();
        QTest::newRow("blank line is an empty row")
            << QByteArray("a,b\n\nc,d") << "| a | b |\n| - | - |\n|  |\n| c | d |\n";
        QTest::newRow("quotes") << QByteArray("\"x \"\"q\"\"\",y\r\n1,\"2\"z\n")
                                << "| x \"q\" | y |\n| ----- | - |\n| 1 | 2z |\n";
        QTest::newRow("ragged rows and cr")
            << QByteArray("h\r1,2\r") << "| h |\n| - |\n| 1 | 2 |\n";
        QTest::newRow("empty header cell") << QByteArray(",b\n") << "|  | b |\n|  | - |\n";
    }
    void csvEdgeCases()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QString, expected);
        const auto text = DocumentExtractorNode::extractText(csv, QStringLiteral("csv"), QString());
        QVERIFY(text.has_value());
        QCOMPARE(*text, expected);
    }

    void directExtraction()
    {
        auto text
            = DocumentExtractorNode::extractText(readDocument(QStringLiteral("sample.pdf")),
                                                 QString(), QStringLiteral("application/pdf"));
        QVERIFY(text.has_value());
        QCOMPARE(*text, QStringLiteral("Page one text\nPage two text"));
        text = DocumentExtractorNode::extractText("{bad json", QStringLiteral(".json"), QString());
        QVERIFY(!text);
        QCOMPARE(text.error().code, QStringLiteral("TextExtractionError"));
        text = DocumentExtractorNode::extractText("\xEF\xBB\xBFwith bom", QStringLiteral(".txt"),
                                                  QString());
        QCOMPARE(*text, QStringLiteral("with bom"));
        text = DocumentExtractorNode::extractText("a = 1\n# note\nb: two\nc\n",
                                                  QStringLiteral(".properties"), QString());
        QCOMPARE(*text, QStringLiteral("a: 1\n# note\nb: two\nc: "));
    }

    void cancelWhileFetching()
    {
        // A server that accepts and never answers.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        VariablePool pool;
        pool.set("start", "file",
                 fileAt(QStringLiteral("http://127.0.0.1:%1/x.txt").arg(silent.serverPort()),
                        QStringLiteral("x.txt"), QStringLiteral(".txt")));
        SingleNodeRun node;
        QSignalSpy done(&node, &SingleNodeRun::finished);
        node.start(QStringLiteral("document-extractor"), QStringLiteral("doc"), nodeData(), pool);
        QTRY_VERIFY(silent.hasPendingConnections());
        QTcpSocket *socket = silent.nextPendingConnection();
        QVERIFY(socket);
        QVERIFY(done.isEmpty());
        node.stop();
        QCOMPARE(done.size(), 1);
        QCOMPARE(node.result().errorType, QStringLiteral("Cancelled"));
        QTRY_COMPARE(socket->state(), QAbstractSocket::UnconnectedState);
    }
};

QTEST_GUILESS_MAIN(TstDocumentExtractor)
#include "tst_documentextractor.moc"

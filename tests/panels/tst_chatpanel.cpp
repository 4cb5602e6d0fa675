// The chat pane against a real llm::Simulator on loopback (offscreen): streaming and Markdown,
// the usage footer, Stop halting server-side generation, thinking, images (scaling, the
// profile's limit, the server's "At most N images" error), video keyframes, the connection
// status line, export, the budget/max-tokens coupling and Workflow mode fed with RunEvents.

#include <QApplication>
#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QImageReader>
#include <QClipboard>
#include <QLabel>
#include <QMimeData>
#include <QPainter>
#include <QProcess>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include "chatattachmentstrip.h"
#include "chatconnectionstatus.h"
#include "chatmarkdown.h"
#include "chatmessagewidget.h"
#include "chatpanel.h"
#include "llm/endpointprofile.h"
#include "llm/simulator/simulator.h"

#include <nlohmann/json.hpp>

using namespace flowbench;
using Json = nlohmann::json;
using panels::ChatPanel;
using runtime::RunEvent;

namespace {

QImage testImage(int w, int h, QColor color)
{
    QImage image(w, h, QImage::Format_RGB32);
    image.fill(color);
    return image;
}

QSize dataUrlImageSize(const std::string &url)
{
    const auto comma = url.find(',');
    if (comma == std::string::npos)
        return {};
    const QByteArray bytes
        = QByteArray::fromBase64(QByteArray::fromStdString(url.substr(comma + 1)));
    QBuffer buffer;
    buffer.setData(bytes);
    QImageReader reader(&buffer);
    return reader.size();
}

// A canned OpenAI-compatible server: /v1/models, /health and one fixed streamed answer with
// reasoning (the screenshot's multimodal exchange, whose Markdown the simulator cannot echo).
class CannedServer : public QTcpServer
{
public:
    QByteArray answerStream;

    CannedServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                auto *buffer = new QByteArray;
                connect(socket, &QTcpSocket::readyRead, socket, [socket, buffer, this] {
                    *buffer += socket->readAll();
                    const qsizetype headerEnd = buffer->indexOf("\r\n\r\n");
                    if (headerEnd < 0)
                        return;
                    const QByteArray head = buffer->left(headerEnd);
                    qsizetype length = 0;
                    for (const QByteArray &line : head.split('\n'))
                        if (line.toLower().startsWith("content-length:"))
                            length = line.mid(15).trimmed().toLongLong();
                    if (buffer->size() < headerEnd + 4 + length)
                        return;
                    QByteArray body;
                    QByteArray type = "application/json";
                    if (head.startsWith("GET /v1/models"))
                        body = R"({"object":"list","data":[{"id":"ovis2.5-9b","object":"model",)"
                               R"("max_model_len":40960}]})";
                    else if (head.startsWith("GET"))
                        body = "{}";
                    else {
                        body = answerStream;
                        type = "text/event-stream";
                    }
                    socket->write("HTTP/1.1 200 OK\r\nContent-Type: " + type
                                  + "\r\nConnection: close\r\nContent-Length: "
                                  + QByteArray::number(body.size()) + "\r\n\r\n" + body);
                    socket->disconnectFromHost();
                    delete buffer;
                    socket->disconnect(this);
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
};

QByteArray sseChunk(const Json &delta)
{
    Json chunk = {
        {"id", "chatcmpl-1"},
        {"object", "chat.completion.chunk"},
        {"model", "ovis2.5-9b"},
        {"choices", Json::array({{{"index", 0}, {"delta", delta}, {"finish_reason", nullptr}}})}};
    return "data: " + QByteArray::fromStdString(chunk.dump()) + "\n\n";
}

} // namespace

class TestChatPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void streamsMarkdownAndShowsUsage();
    void markdownFinishedBlocksRenderOnce();
    void stopHaltsServerSideGeneration();
    void thinkingIsSentAndFolded();
    void imageIsScaledToMaxPixels();
    void tooManyImagesRefusedBeforeSending();
    void serverImageLimitIsExplained();
    void videoKeyframesWithExcludedFrames();
    void connectionStatusFollowsTheServer();
    void exportsMarkdownAndJson();
    void budgetAndMaxTokensAreCoupled();
    void regenerateAndEdit();
    void imagesFromClipboardAndDrop();
    void workflowModeEmitsAndRendersEvents();
    void screenshotMultimodalExchange();

private:
    void addProfile(const QString &name, int maxImages = 0, int maxPixels = 0);
    ChatPanel *makePanel(const QString &profile = QStringLiteral("sim"));
    ChatPanel *sendAndWait(const QString &text);
    Json lastBody() const { return Json::parse(m_sim->lastRequestBody().toStdString()); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<llm::Simulator> m_sim;
    std::unique_ptr<llm::ProfileStore> m_store;
    std::unique_ptr<ChatPanel> m_panel;
};

void TestChatPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestChatPanel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_sim = std::make_unique<llm::Simulator>();
    QVERIFY(m_sim->listen() > 0);
    m_store = std::make_unique<llm::ProfileStore>(m_dir->path());
    QVERIFY(m_store->load());
    addProfile(QStringLiteral("sim"));
}

void TestChatPanel::cleanup()
{
    m_panel.reset();
    m_store.reset();
    m_sim.reset();
    m_dir.reset();
}

void TestChatPanel::addProfile(const QString &name, int maxImages, int maxPixels)
{
    llm::EndpointProfile profile;
    profile.name = name;
    profile.kind = llm::ServerKind::Simulator;
    profile.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(m_sim->port()));
    profile.defaultModel = QStringLiteral("flowbench-sim");
    profile.maxImagesPerPrompt = maxImages;
    profile.maxPixels = maxPixels;
    if (m_store->profile(name))
        QVERIFY(m_store->updateProfile(profile));
    else
        QVERIFY(m_store->addProfile(profile));
}

ChatPanel *TestChatPanel::makePanel(const QString &profile)
{
    m_panel = std::make_unique<ChatPanel>();
    m_panel->resize(640, 760);
    m_panel->setProfileStore(m_store.get());
    m_panel->setCurrentProfile(profile);
    m_panel->show();
    [&] { QTRY_VERIFY(m_panel->isEndpointReady()); }();
    return m_panel.get();
}

ChatPanel *TestChatPanel::sendAndWait(const QString &text)
{
    QSignalSpy finished(m_panel.get(), &ChatPanel::turnFinished);
    m_panel->sendMessage(text);
    [&] { QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 10000); }();
    return m_panel.get();
}

void TestChatPanel::streamsMarkdownAndShowsUsage()
{
    auto config = m_sim->config();
    config.tokensPerSecond = 200;
    m_sim->setConfig(config);
    ChatPanel *panel = makePanel();
    QCOMPARE(panel->objectName(), QStringLiteral("panel.chat"));
    QSignalSpy busy(panel, &ChatPanel::busyChanged);
    panel->setInputText(QStringLiteral("Hello **world** and `code`"));
    QTest::keyClick(panel->findChild<QWidget *>(QStringLiteral("chat.input")), Qt::Key_Return);
    QVERIFY(panel->isBusy());
    QCOMPARE(panel->findChild<QPushButton *>(QStringLiteral("chat.send"))->text(),
             QStringLiteral("Stop"));
    QCOMPARE(panel->messageCount(), 2);
    // Part of the answer is on screen before the stream ends.
    QTRY_VERIFY(panel->messageWidget(1)->content()->plainText().contains(QStringLiteral("Echo")));
    QTRY_VERIFY_WITH_TIMEOUT(!panel->isBusy(), 10000);
    const QString shown = panel->messageWidget(1)->content()->plainText();
    QVERIFY2(
        shown.contains(QStringLiteral("Echo: Hello world and code This is a simulated reply.")),
        qPrintable(shown)); // Markdown rendered: no ** or ` left
    QCOMPARE(panel->messageText(1).trimmed(),
             QStringLiteral("Echo: Hello **world** and `code` This is a simulated reply."));
    const QString footer = panel->messageWidget(1)->footer()->text();
    QVERIFY2(footer.contains(QStringLiteral("prompt"))
                 && footer.contains(QStringLiteral("completion"))
                 && footer.contains(QStringLiteral("tokens/s"))
                 && footer.contains(QStringLiteral("first token"))
                 && footer.contains(QStringLiteral("cost —")),
             qPrintable(footer));
    QVERIFY(panel->messageWidget(1)->footer()->isVisible());
    // With a price table the cost is shown.
    metering::PriceTable prices;
    prices.addPrice(metering::ModelPrice::tokens(QStringLiteral("flowbench-sim"), 1e-6, 2e-6));
    panel->setPriceTable(prices);
    QVERIFY2(panel->messageWidget(1)->footer()->text().contains(QStringLiteral("cost 0.0")),
             qPrintable(panel->messageWidget(1)->footer()->text()));
    const Json body = lastBody();
    QVERIFY(body["messages"].size() == size_t(1));
    QVERIFY(body["chat_template_kwargs"]["enable_thinking"] == false);
    QVERIFY(!body.contains("thinking_token_budget"));
}

void TestChatPanel::markdownFinishedBlocksRenderOnce()
{
    panels::ChatMarkdownView view;
    view.resize(500, 100);
    const QString text = QStringLiteral(
        "# Title\n\nA paragraph with **bold** text.\n\n- one\n- two\n\n```cpp\nint main() {\n"
        "    return 0;\n}\n```\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\nThe end.");
    for (qsizetype i = 0; i < text.size(); i += 4) {
        view.append(text.mid(i, 4));
        view.flushNow();
    }
    view.finish();
    const auto &blocks = view.document().blocks();
    // heading, paragraph, two list items, code, table, paragraph
    QCOMPARE(int(blocks.size()), 7);
    QCOMPARE(blocks[4]->kind, panels::ChatMarkdownDocument::BlockKind::Code);
    QCOMPARE(blocks[5]->kind, panels::ChatMarkdownDocument::BlockKind::Table);
    // The heading closed before it was ever rendered as a tail, so once; the code block only
    // appended lines.
    QCOMPARE(blocks[0]->renders, 1);
    QVERIFY(blocks[1]->renders <= 4);
    QCOMPARE(view.document().codeText(*blocks[4]),
             QStringLiteral("int main() {\n    return 0;\n}"));
    QVERIFY(view.plainText().contains(QStringLiteral("A paragraph with bold text.")));
    QVERIFY(!view.plainText().contains(QStringLiteral("```")));
    // Identical to a render of the whole text at once.
    panels::ChatMarkdownView whole;
    whole.resize(500, 100);
    whole.setMarkdown(text);
    QCOMPARE(view.plainText(), whole.plainText());
    // Code blocks have a copy button.
    QCOMPARE(view.copyButtons().size(), 1);
    QSignalSpy copied(&view, &panels::ChatMarkdownView::codeCopied);
    view.copyButtons().first()->click();
    QCOMPARE(copied.count(), 1);
    QCOMPARE(copied.first().first().toString(), QStringLiteral("int main() {\n    return 0;\n}"));
}

void TestChatPanel::stopHaltsServerSideGeneration()
{
    auto config = m_sim->config();
    config.tokensPerSecond = 25;
    m_sim->setConfig(config);
    ChatPanel *panel = makePanel();
    const QString longText = QString(QStringLiteral("word ")).repeated(60);
    panel->sendMessage(longText);
    QTRY_VERIFY_WITH_TIMEOUT(panel->messageText(1).size() > 10, 10000);
    QSignalSpy finished(panel, &ChatPanel::turnFinished);
    QTest::mouseClick(panel->findChild<QPushButton *>(QStringLiteral("chat.send")), Qt::LeftButton);
    QTRY_COMPARE(finished.count(), 1);
    QVERIFY(!panel->isBusy());
    const qint64 atStop = m_sim->generatedTokens();
    QTest::qWait(600); // 15 more tokens at 25 tokens/s if it kept going
    const qint64 later = m_sim->generatedTokens();
    QVERIFY2(later <= atStop + 1, qPrintable(QStringLiteral("%1 -> %2").arg(atStop).arg(later)));
    QVERIFY(later < 40); // the full answer is 60+ tokens
    QTRY_COMPARE(m_sim->runningRequests(), 0);
    QVERIFY(panel->messageWidget(1)->footer()->text().startsWith(QStringLiteral("Stopped")));
    QVERIFY(panel->messageWidget(1)->content()->plainText().startsWith(QStringLiteral("Echo:")));
}

void TestChatPanel::thinkingIsSentAndFolded()
{
    auto config = m_sim->config();
    config.tokensPerSecond = 60;
    m_sim->setConfig(config);
    ChatPanel *panel = makePanel();
    panel->setMaxTokens(2048);
    panel->setThinkingEnabled(true);
    panel->setThinkingBudget(512);
    panel->sendMessage(QStringLiteral("Why is the sky blue?"));
    panels::ChatMessageWidget *answer = panel->messageWidget(1);
    // Open while the reasoning streams...
    QTRY_VERIFY(answer->thinking()->isVisible() && answer->thinking()->isExpanded()
                && answer->content()->source().isEmpty());
    // ...folded once the answer starts.
    QTRY_VERIFY_WITH_TIMEOUT(!panel->isBusy(), 10000);
    QVERIFY(answer->thinking()->isVisible());
    QVERIFY(!answer->thinking()->isExpanded());
    QVERIFY(!answer->thinking()->view()->isVisible());
    QVERIFY(answer->thinking()->text().contains(QStringLiteral("The user wants a reply to")));
    QVERIFY(answer->thinking()->toggleButton()->text().startsWith(QStringLiteral("Thought for")));
    answer->thinking()->toggleButton()->click();
    QVERIFY(answer->thinking()->isExpanded());
    QVERIFY(answer->thinking()->view()->isVisible());
    QVERIFY(answer->content()->plainText().startsWith(QStringLiteral("Echo: Why is the sky")));
    QVERIFY2(answer->footer()->text().contains(QStringLiteral("completion")),
             qPrintable(answer->footer()->text() + panel->messageText(1)));
    const Json body = lastBody();
    QVERIFY(body["chat_template_kwargs"]["enable_thinking"] == true);
    QVERIFY(body["thinking_token_budget"] == 512);
    QVERIFY(body.value("max_tokens", 0) == 2048 || body.value("max_completion_tokens", 0) == 2048);
}

void TestChatPanel::imageIsScaledToMaxPixels()
{
    addProfile(QStringLiteral("small"), 0, 200 * 200);
    ChatPanel *panel = makePanel(QStringLiteral("small"));
    panel->attachments()->addImage(testImage(800, 600, Qt::red), QStringLiteral("red.png"));
    QVERIFY(panel->attachments()->isVisible());
    QVERIFY(panel->findChild<QLabel *>(QStringLiteral("chat.attachmentSummary"))
                ->text()
                .contains(QStringLiteral("1 image,")));
    sendAndWait(QStringLiteral("What colour is this?"));
    const Json body = lastBody();
    const Json &content = body["messages"][0]["content"];
    QVERIFY(content.is_array());
    std::string url;
    for (const Json &part : content)
        if (part["type"] == "image_url")
            url = part["image_url"]["url"].get<std::string>();
    QVERIFY(url.rfind("data:image/jpeg;base64,", 0) == 0);
    const QSize size = dataUrlImageSize(url);
    QVERIFY(size.isValid());
    QVERIFY2(qint64(size.width()) * size.height() <= 200 * 200,
             qPrintable(QStringLiteral("%1x%2").arg(size.width()).arg(size.height())));
    QVERIFY(size.width() > 200); // aspect kept (4:3)
    QVERIFY(panel->messageText(1).contains(QStringLiteral("Images received: 1")));
    QVERIFY(!panel->attachments()->isVisible()); // sent: the strip is empty again
    QVERIFY(panel->messageWidget(0)->findChild<QLabel *>(QStringLiteral("chat.messageThumb")));
}

void TestChatPanel::tooManyImagesRefusedBeforeSending()
{
    addProfile(QStringLiteral("two"), 2, 0);
    ChatPanel *panel = makePanel(QStringLiteral("two"));
    const int requestsBefore = m_sim->requestCount();
    for (int i = 0; i < 3; ++i)
        panel->attachments()->addImage(testImage(64, 64, Qt::blue), QStringLiteral("b.png"));
    panel->sendMessage(QStringLiteral("three images"));
    QCOMPARE(panel->messageCount(), 0);
    QVERIFY(!panel->isBusy());
    QVERIFY2(panel->notice().contains(QStringLiteral("at most 2 image")),
             qPrintable(panel->notice()));
    QVERIFY(m_sim->lastRequestBody().isEmpty());
    QVERIFY(m_sim->requestCount() - requestsBefore <= 2); // connection checks only (GETs)
    // Removing one makes it fit.
    panel->attachments()->removeImage(0);
    QVERIFY(panel->notice().isEmpty());
    sendAndWait(QStringLiteral("two images"));
    QVERIFY(panel->messageText(1).contains(QStringLiteral("Images received: 2")));
}

void TestChatPanel::serverImageLimitIsExplained()
{
    auto config = m_sim->config();
    config.maxImagesPerPrompt = 1;
    m_sim->setConfig(config);
    ChatPanel *panel = makePanel();
    panel->attachments()->addImage(testImage(64, 64, Qt::green), QStringLiteral("a.png"));
    panel->attachments()->addImage(testImage(64, 64, Qt::yellow), QStringLiteral("b.png"));
    sendAndWait(QStringLiteral("two images"));
    QLabel *error = panel->messageWidget(1)->errorLabel();
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QStringLiteral("at most 1 image(s) in one prompt"))
                 && error->text().contains(QStringLiteral("--limit-mm-per-prompt"))
                 && error->text().contains(QStringLiteral("sends 2")),
             qPrintable(error->text()));
}

void TestChatPanel::videoKeyframesWithExcludedFrames()
{
    if (QStandardPaths::findExecutable(QStringLiteral("ffmpeg")).isEmpty())
        QSKIP("ffmpeg is needed to make the test clip");
    const QString clip = m_dir->filePath(QStringLiteral("clip 视频.mp4"));
    QProcess ffmpeg;
    ffmpeg.start(QStringLiteral("ffmpeg"),
                 {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-y"),
                  QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                  QStringLiteral("testsrc=size=320x240:rate=25:duration=4"),
                  QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p"), clip});
    QVERIFY(ffmpeg.waitForFinished(30000));
    QCOMPARE(ffmpeg.exitCode(), 0);

    ChatPanel *panel = makePanel();
    panel->setOpenFilesDialog(
        [clip](const QString &, const QString &) { return QStringList{clip}; });
    QSignalSpy done(panel->attachments(), &panels::ChatAttachmentStrip::extractionFinished);
    panel->findChild<QToolButton *>(QStringLiteral("chat.attachVideo"))->click();
    QVERIFY(done.wait(20000));
    QCOMPARE(done.first().first().toBool(), true);
    QCOMPARE(int(panel->attachments()->keyframes().frames.size()), 4); // auto: 4 s -> 4
    const auto thumbs
        = panel->attachments()->findChildren<QToolButton *>(QStringLiteral("chat.frameThumb"));
    QCOMPARE(thumbs.size(), 4);
    thumbs[1]->click(); // exclude frame 2
    QCOMPARE(panel->attachments()->imageCount(), 3);
    QVERIFY(panel->attachments()->isFrameExcluded(1));
    sendAndWait(QStringLiteral("What happens in the clip?"));
    const Json body = lastBody();
    const Json &content = body["messages"][0]["content"];
    int images = 0;
    QStringList labels;
    for (const Json &part : content) {
        if (part["type"] == "image_url")
            ++images;
        else
            labels << QString::fromStdString(part["text"].get<std::string>());
    }
    if (images != 3)
        qWarning("%s", lastBody().dump().substr(0, 600).c_str());
    QCOMPARE(images, 3);
    QVERIFY2(labels.contains(QStringLiteral("Frame 1 @ 00:00"))
                 && labels.contains(QStringLiteral("Frame 3 @ 00:02"))
                 && !labels.contains(QStringLiteral("Frame 2 @ 00:01")),
             qPrintable(labels.join(QLatin1Char('|'))));
    QVERIFY(panel->messageText(1).contains(QStringLiteral("Images received: 3")));

    // Cancel: a long extraction stops when asked.
    panel->attachments()->setKeyframeOptions(0, media::KeyframeMode::Exact);
    panel->attachments()->setVideoFile(clip);
    panel->attachments()->cancelExtraction();
    QVERIFY(!panel->attachments()->isExtracting());
}

void TestChatPanel::connectionStatusFollowsTheServer()
{
    ChatPanel *panel = makePanel();
    panels::ChatConnectionStatus *status = panel->connectionStatus();
    status->setIntervals(150, 100, 400);
    status->checkNow();
    QTRY_COMPARE(status->state(), llm::ConnectionCheck::State::Connected);
    QVERIFY(status->text().contains(QStringLiteral("flowbench-sim")));
    QVERIFY(panel->currentModel() == QStringLiteral("flowbench-sim"));
    m_sim.reset(); // the server goes away
    QTRY_COMPARE_WITH_TIMEOUT(status->state(), llm::ConnectionCheck::State::Unreachable, 5000);
    QVERIFY(status->text().startsWith(QStringLiteral("Unreachable")));
    QTRY_VERIFY_WITH_TIMEOUT(status->currentIntervalMs() >= 200, 3000); // backing off
}

void TestChatPanel::exportsMarkdownAndJson()
{
    ChatPanel *panel = makePanel();
    panel->setSystemPrompt(QStringLiteral("Be brief."));
    sendAndWait(QStringLiteral("First question"));
    const QString mdPath = m_dir->filePath(QStringLiteral("chat.md"));
    const QString jsonPath = m_dir->filePath(QStringLiteral("chat.json"));
    QString asked;
    panel->setSaveFileDialog([&](const QString &, const QString &suggested, const QString &) {
        asked = suggested;
        return suggested.endsWith(QStringLiteral(".md")) ? mdPath : jsonPath;
    });
    QVERIFY(panel->exportMarkdown());
    QCOMPARE(asked, QStringLiteral("chat.md"));
    QFile md(mdPath);
    QVERIFY(md.open(QIODevice::ReadOnly));
    const QString markdown = QString::fromUtf8(md.readAll());
    QVERIFY(markdown.contains(QStringLiteral("## You\n\nFirst question")));
    QVERIFY(markdown.contains(QStringLiteral("Echo: First question This is a simulated reply.")));
    QVERIFY(markdown.contains(QStringLiteral("**System:** Be brief.")));
    QVERIFY(panel->exportJson());
    QFile js(jsonPath);
    QVERIFY(js.open(QIODevice::ReadOnly));
    const Json doc = Json::parse(js.readAll().toStdString());
    QVERIFY(doc["format"] == "flowbench-chat");
    QVERIFY(doc["system"] == "Be brief.");
    QVERIFY(doc["messages"].size() == size_t(2));
    QVERIFY(doc["messages"][0]["role"] == "user");
    QVERIFY(doc["messages"][1]["role"] == "assistant");
    QVERIFY(doc["messages"][1]["usage"]["prompt_tokens"].get<int>() > 0);
    QVERIFY(doc["messages"][1]["usage"]["completion_tokens"].get<int>() > 0);
    // The request carried the system prompt first.
    QVERIFY(lastBody()["messages"][0]["role"] == "system");
}

void TestChatPanel::budgetAndMaxTokensAreCoupled()
{
    ChatPanel panel;
    panel.setThinkingEnabled(true);
    panel.setMaxTokens(4096);
    panel.setThinkingBudget(1000);
    QCOMPARE(panel.maxTokens(), 4096);
    // Raising the budget past max - 128 raises max tokens.
    panel.setThinkingBudget(4000);
    QCOMPARE(panel.maxTokens(), 4128);
    // Lowering max tokens pulls the budget down.
    panel.setMaxTokens(1000);
    QCOMPARE(panel.thinkingBudget(), 872);
    // The same through the sliders.
    auto *budgetSlider = panel.findChild<QSlider *>(QStringLiteral("chat.budgetSlider"));
    auto *maxSlider = panel.findChild<QSlider *>(QStringLiteral("chat.maxTokensSlider"));
    QVERIFY(budgetSlider && maxSlider);
    budgetSlider->setValue(3000);
    QCOMPARE(panel.maxTokens(), 3128);
    QCOMPARE(maxSlider->value(), 3128);
    maxSlider->setValue(2000);
    QCOMPARE(panel.thinkingBudget(), 1872);
    QCOMPARE(budgetSlider->value(), 1872);
    QVERIFY(panel.thinkingBudget() <= panel.maxTokens() - ChatPanel::kBudgetGap);
}

void TestChatPanel::regenerateAndEdit()
{
    ChatPanel *panel = makePanel();
    sendAndWait(QStringLiteral("alpha"));
    sendAndWait(QStringLiteral("beta"));
    QCOMPARE(panel->messageCount(), 4);
    // Regenerate replaces the last answer: the same conversation is sent again.
    QSignalSpy finished(panel, &ChatPanel::turnFinished);
    panel->messageWidget(3)->findChild<QToolButton *>(QStringLiteral("chat.regenerate"))->click();
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(panel->messageCount(), 4);
    QVERIFY(lastBody()["messages"].size() == size_t(3)); // alpha, answer, beta
    // Edit puts the message back into the input and drops it and what follows.
    panel->messageWidget(2)->findChild<QToolButton *>(QStringLiteral("chat.edit"))->click();
    QCOMPARE(panel->messageCount(), 2);
    QCOMPARE(panel->inputText(), QStringLiteral("beta"));
    panel->setInputText(QStringLiteral("gamma"));
    sendAndWait(panel->inputText());
    QVERIFY(panel->messageText(3).contains(QStringLiteral("Echo: gamma")));
    // Clear starts over.
    panel->findChild<QToolButton *>(QStringLiteral("chat.clear"))->click();
    QCOMPARE(panel->messageCount(), 0);
}

void TestChatPanel::imagesFromClipboardAndDrop()
{
    ChatPanel *panel = makePanel();
    // Paste (Ctrl+V in the input) takes the clipboard's image.
    QGuiApplication::clipboard()->setImage(testImage(120, 90, Qt::magenta));
    auto *input = panel->findChild<QWidget *>(QStringLiteral("chat.input"));
    input->setFocus();
    QTest::keySequence(input, QKeySequence::Paste);
    QCOMPARE(int(panel->attachments()->images().size()), 1);
    QCOMPARE(panel->attachments()->images().front().image.size(), QSize(120, 90));
    // Drag and drop of an image file.
    const QString path = m_dir->filePath(QStringLiteral("dropped image.png"));
    QVERIFY(testImage(200, 100, Qt::darkGreen).save(path));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(panel, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(panel, &drop);
    QCOMPARE(int(panel->attachments()->images().size()), 2);
    // The thumbnail's remove button.
    auto removes
        = panel->attachments()->findChildren<QToolButton *>(QStringLiteral("chat.removeImage"));
    QCOMPARE(removes.size(), 2);
    removes.first()->click();
    QCOMPARE(int(panel->attachments()->images().size()), 1);
    // A file that is not an image is refused with a message.
    const QString text = m_dir->filePath(QStringLiteral("notes.png"));
    QFile file(text);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not an image");
    file.close();
    QVERIFY(!panel->attachments()->addImageFile(text));
    // Edit and resend brings the message's images back.
    sendAndWait(QStringLiteral("look"));
    QVERIFY(panel->attachments()->images().empty());
    panel->editMessage(0);
    QCOMPARE(int(panel->attachments()->images().size()), 1);
    QCOMPARE(panel->inputText(), QStringLiteral("look"));
}

void TestChatPanel::workflowModeEmitsAndRendersEvents()
{
    ChatPanel panel;
    panel.resize(600, 700);
    panel.show();
    panel.setMode(ChatPanel::Mode::Workflow);
    QSignalSpy requested(&panel, &ChatPanel::workflowMessageRequested);
    panel.attachments()->addImage(testImage(100, 80, Qt::cyan), QStringLiteral("c.png"));
    panel.sendMessage(QStringLiteral("What is the refund policy?"));
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.first().at(0).toString(), QStringLiteral("What is the refund policy?"));
    const QStringList files = requested.first().at(1).toStringList();
    QCOMPARE(files.size(), 1);
    QVERIFY(QFile::exists(files.first()));
    const QString conversationId = requested.first().at(2).toString();
    QVERIFY(!conversationId.isEmpty());
    QCOMPARE(requested.first().at(3).toInt(), 1);
    QVERIFY(panel.isBusy());

    auto event = [](RunEvent::Type type, const QString &node, const QString &title) {
        RunEvent e;
        e.type = type;
        e.runId = QStringLiteral("run-1");
        e.nodeId = node;
        e.executionId = node + QStringLiteral("-x");
        e.nodeTitle = title;
        return e;
    };
    panel.appendWorkflowEvent(event(RunEvent::Type::RunStarted, {}, {}));
    panel.appendWorkflowEvent(
        event(RunEvent::Type::NodeStarted, QStringLiteral("start"), QStringLiteral("Start")));
    RunEvent ok
        = event(RunEvent::Type::NodeSucceeded, QStringLiteral("start"), QStringLiteral("Start"));
    ok.elapsedMs = 3;
    panel.appendWorkflowEvent(ok);
    panel.appendWorkflowEvent(
        event(RunEvent::Type::NodeStarted, QStringLiteral("llm"), QStringLiteral("LLM")));
    QVERIFY(panel.messageWidget(1)->progressLabel()->text().contains(QStringLiteral("▸ LLM…")));
    for (const QString &piece : {QStringLiteral("Refunds within **30"), QStringLiteral(" days**"),
                                 QStringLiteral(".\n\n- keep the receipt\n")}) {
        RunEvent chunk = event(RunEvent::Type::NodeStreamChunk, QStringLiteral("answer"),
                               QStringLiteral("Answer"));
        chunk.chunk = piece;
        panel.appendWorkflowEvent(chunk);
    }
    RunEvent llmDone
        = event(RunEvent::Type::NodeSucceeded, QStringLiteral("llm"), QStringLiteral("LLM"));
    llmDone.elapsedMs = 1234;
    llmDone.usage = {{"prompt_tokens", 40}, {"completion_tokens", 12}};
    panel.appendWorkflowEvent(llmDone);
    RunEvent finished = event(RunEvent::Type::RunSucceeded, {}, {});
    finished.outputs = {{"answer", "Refunds within **30 days**.\n\n- keep the receipt\n"}};
    QSignalSpy turnDone(&panel, &ChatPanel::turnFinished);
    panel.appendWorkflowEvent(finished);
    QCOMPARE(turnDone.count(), 1);
    QVERIFY(!panel.isBusy());
    panels::ChatMessageWidget *answer = panel.messageWidget(1);
    QVERIFY(answer->content()->plainText().contains(QStringLiteral("Refunds within 30 days.")));
    QVERIFY(answer->content()->plainText().contains(QStringLiteral("keep the receipt")));
    const QString progress = answer->progressLabel()->text();
    QVERIFY2(progress.contains(QStringLiteral("✓ Start"))
                 && progress.contains(QStringLiteral("✓ LLM")),
             qPrintable(progress));
    QVERIFY(answer->footer()->text().contains(QStringLiteral("40 prompt")));
    panel.finishWorkflowTurn(QStringLiteral("ignored"), {});
    QCOMPARE(turnDone.count(), 1);

    // The next message keeps the conversation id; the dialogue count grows.
    panel.sendMessage(QStringLiteral("And for opened items?"));
    QCOMPARE(requested.count(), 2);
    QCOMPARE(requested.at(1).at(2).toString(), conversationId);
    QCOMPARE(requested.at(1).at(3).toInt(), 2);
    panel.finishWorkflowTurn(QStringLiteral("Opened items: store credit only."), {});
    QVERIFY(
        panel.messageWidget(3)->content()->plainText().contains(QStringLiteral("store credit")));
    QSignalSpy stop(&panel, &ChatPanel::stopWorkflowRequested);
    panel.sendMessage(QStringLiteral("third"));
    panel.stop();
    QCOMPARE(stop.count(), 1);
    panel.appendWorkflowEvent(event(RunEvent::Type::RunStopped, {}, {}));
    QVERIFY(!panel.isBusy());
    // Clear starts a new conversation.
    panel.clear();
    panel.sendMessage(QStringLiteral("new"));
    QVERIFY(requested.last().at(2).toString() != conversationId);
    QCOMPARE(requested.last().at(3).toInt(), 1);
}

void TestChatPanel::screenshotMultimodalExchange()
{
    // A canned vLLM-style stream: reasoning, then Markdown with a list, a code block and a table.
    CannedServer canned;
    QVERIFY(canned.listen(QHostAddress::LocalHost));
    const QString reasoning = QStringLiteral(
        "The user sent a photo and 6 keyframes of a test pattern clip. The frames show the "
        "counter going up, so the clip is a timer. They also want code to sample frames.");
    const QString answer = QStringLiteral(
        "The clip is a **test pattern** with a running counter; the photo shows the same "
        "colour bars.\n\n"
        "- Frames 1–6 are evenly spaced (one every 2 s)\n"
        "- The counter matches the timestamps\n\n"
        "```python\n"
        "def timestamps(duration, count):\n"
        "    return [(i + 0.5) * duration / count for i in range(count)]\n"
        "```\n\n"
        "| frame | time | counter |\n|---|---|---|\n| 1 | 00:01 | 1 |\n| 6 | 00:11 | 11 |\n");
    QByteArray stream = sseChunk({{"role", "assistant"}, {"content", ""}});
    for (qsizetype i = 0; i < reasoning.size(); i += 12)
        stream += sseChunk({{"reasoning", reasoning.mid(i, 12).toStdString()}});
    for (qsizetype i = 0; i < answer.size(); i += 7)
        stream += sseChunk({{"content", answer.mid(i, 7).toStdString()}});
    Json usage = {{"id", "chatcmpl-1"},
                  {"object", "chat.completion.chunk"},
                  {"model", "ovis2.5-9b"},
                  {"choices", Json::array()},
                  {"usage",
                   {{"prompt_tokens", 6187},
                    {"completion_tokens", 212},
                    {"total_tokens", 6399},
                    {"completion_tokens_details", {{"reasoning_tokens", 41}}}}}};
    stream += sseChunk({}).replace("\"finish_reason\":null", "\"finish_reason\":\"stop\"");
    stream += "data: " + QByteArray::fromStdString(usage.dump()) + "\n\ndata: [DONE]\n\n";
    canned.answerStream = stream;

    llm::EndpointProfile profile;
    profile.name = QStringLiteral("Ovis2.5 on vLLM");
    profile.kind = llm::ServerKind::Simulator;
    profile.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(canned.serverPort()));
    profile.defaultModel = QStringLiteral("ovis2.5-9b");
    profile.maxPixels = 896 * 504;
    QVERIFY(m_store->addProfile(profile));
    ChatPanel *panel = makePanel(profile.name);
    panel->resize(620, 980);
    QTRY_COMPARE(panel->connectionStatus()->state(), llm::ConnectionCheck::State::Connected);
    panel->setThinkingEnabled(true);

    QImage photo(640, 400, QImage::Format_RGB32);
    {
        QPainter p(&photo);
        const QColor bars[]
            = {Qt::white, Qt::yellow, Qt::cyan, Qt::green, Qt::magenta, Qt::red, Qt::blue};
        for (int i = 0; i < 7; ++i)
            p.fillRect(i * 640 / 7, 0, 640 / 7 + 1, 400, bars[i]);
    }
    panel->attachments()->addImage(photo, QStringLiteral("bars.png"));
    if (!QStandardPaths::findExecutable(QStringLiteral("ffmpeg")).isEmpty()) {
        const QString clip = m_dir->filePath(QStringLiteral("timer.mp4"));
        QProcess::execute(QStringLiteral("ffmpeg"),
                          {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-y"),
                           QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                           QStringLiteral("testsrc=size=480x270:rate=25:duration=12"),
                           QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p"), clip});
        QSignalSpy done(panel->attachments(), &panels::ChatAttachmentStrip::extractionFinished);
        panel->attachments()->setKeyframeOptions(6, media::KeyframeMode::Fast);
        panel->attachments()->setVideoFile(clip);
        QVERIFY(done.wait(20000));
        panel->attachments()->setFrameExcluded(4, true);
        panel->setInputText(
            QStringLiteral("What is in the photo and the clip? And how are the frames chosen?"));
        QApplication::processEvents();
        panel->grab().save(QStringLiteral("/tmp/chat-composer.png"));
        panel->attachments()->setFrameExcluded(4, false);
    }
    sendAndWait(
        QStringLiteral("What is in the photo and the clip? Show how the frames are chosen."));
    QVERIFY(panel->messageWidget(1)->thinking()->isVisible());
    QVERIFY(!panel->messageWidget(1)->thinking()->isExpanded());
    QVERIFY(
        panel->messageWidget(1)->content()->plainText().contains(QStringLiteral("def timestamps")));
    QVERIFY(panel->messageWidget(1)->footer()->text().contains(QStringLiteral("41 reasoning")));
    // Attach a video again so the strip shows in the picture too.
    panel->setInputText(QStringLiteral("Now only the first half of the clip, please."));
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
    panel->grab().save(QStringLiteral("/tmp/chat-multimodal.png"));
    panel->messageWidget(1)->thinking()->toggleButton()->click();
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
    panel->grab().save(QStringLiteral("/tmp/chat-thinking-open.png"));
}

QTEST_MAIN(TestChatPanel)
#include "tst_chatpanel.moc"

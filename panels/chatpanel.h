#pragma once

#include <QImage>
#include <QPointer>
#include <QWidget>

#include "llm/chatclient.h"
#include "llm/endpoint.h"
#include "llm/endpointprofile.h"
#include "metering/pricetable.h"
#include "runtime/runevent.h"

#include <functional>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFrame;
class QLabel;
class QNetworkAccessManager;
class QPlainTextEdit;
class QPushButton;
class QScrollArea;
class QSlider;
class QSpinBox;
class QToolButton;
class QVBoxLayout;

namespace flowbench::llm {
class RunEndpointProvider;
}

namespace flowbench::panels {

class ChatAttachmentStrip;
class ChatConnectionStatus;
class ChatMessageWidget;

// The chat pane ("panel.chat"): test a model on an endpoint profile, or the open chatflow.
//
// Endpoint mode streams /v1/chat/completions (llm::ChatClient) on the chosen profile and model
// (models from /v1/models; the store's selected profile, the built-in simulator unless the user
// chose another, is preselected; the simulator profile starts an in-process simulator through
// llm::RunEndpointProvider). Answers render as incremental Markdown (ChatMarkdownView) with the
// reasoning in a folded "Thinking" section; each answer's footer shows prompt/completion/
// reasoning tokens, time to first token, tokens/s and cost (from setPriceTable(); "—" without).
// Requests carry the system prompt, sampling (on: temperature and top_p; off: temperature 0),
// max tokens, chat_template_kwargs.enable_thinking (always sent, true or false) and, when
// thinking is on, the thinking budget, kept at least kBudgetGap below max tokens (moving either
// control adjusts the other). Images (file dialog, drag and drop, paste) and video keyframes go
// through ChatAttachmentStrip, scaled to the profile's maxPixels; the profile's
// maxImagesPerPrompt is checked (over the whole conversation, as the server counts) before
// sending, and the server's "At most N image(s)" error is explained.
//
// Workflow mode sends nothing itself: send() emits workflowMessageRequested() and the app runs
// the open chatflow, feeding the run's events to appendWorkflowEvent() (node progress inline,
// NodeStreamChunk text as the answer) and calling finishWorkflowTurn() (a run-finished event
// finishes the turn too). The conversation id stays the same until clear().
//
// GUI thread only. File dialogs are injectable (tests).
class ChatPanel : public QWidget
{
    Q_OBJECT

public:
    enum class Mode { Endpoint, Workflow };
    Q_ENUM(Mode)

    static constexpr int kBudgetGap = 128;

    // (title, filter) → chosen paths; (title, suggested file name, filter) → path or empty.
    using OpenFilesDialog = std::function<QStringList(const QString &, const QString &)>;
    using SaveFileDialog
        = std::function<QString(const QString &, const QString &, const QString &)>;

    explicit ChatPanel(QWidget *parent = nullptr);
    ~ChatPanel() override;

    // Profiles and keys come from `store` (not owned; must outlive the panel). Without one the
    // panel loads its own (AppConfigLocation) when it first needs it.
    void setProfileStore(llm::ProfileStore *store);
    void setCurrentProfile(const QString &name);
    [[nodiscard]] QString currentProfile() const;
    [[nodiscard]] std::optional<llm::EndpointProfile> profile() const;
    void setCurrentModel(const QString &model);
    [[nodiscard]] QString currentModel() const;
    void setPriceTable(const metering::PriceTable &table);

    void setMode(Mode mode);
    [[nodiscard]] Mode mode() const { return m_mode; }

    void setSystemPrompt(const QString &prompt);
    [[nodiscard]] QString systemPrompt() const;
    void setSampling(bool on);
    void setTemperature(double value);
    void setTopP(double value);
    void setMaxTokens(int tokens);
    [[nodiscard]] int maxTokens() const;
    void setThinkingEnabled(bool on);
    [[nodiscard]] bool thinkingEnabled() const;
    void setThinkingBudget(int tokens);
    [[nodiscard]] int thinkingBudget() const;
    // The request the next send would make for the conversation so far (without a new message).
    [[nodiscard]] llm::ChatRequest buildRequest() const;

    void setOpenFilesDialog(OpenFilesDialog dialog);
    void setSaveFileDialog(SaveFileDialog dialog);

    [[nodiscard]] ChatAttachmentStrip *attachments() const { return m_attachments; }
    [[nodiscard]] ChatConnectionStatus *connectionStatus() const { return m_status; }
    [[nodiscard]] llm::RunEndpointProvider *endpointProvider() const { return m_provider; }
    [[nodiscard]] bool isEndpointReady() const { return m_endpoint.has_value(); }

    void setInputText(const QString &text);
    [[nodiscard]] QString inputText() const;
    // The composer's notice (why a message was refused, what went wrong with an attachment).
    [[nodiscard]] QString notice() const;

    [[nodiscard]] int messageCount() const { return int(m_turns.size()); }
    [[nodiscard]] ChatMessageWidget *messageWidget(int index) const;
    [[nodiscard]] QString messageText(int index) const;
    [[nodiscard]] bool isBusy() const { return m_busy; }
    [[nodiscard]] QString conversationId() const { return m_conversationId; }
    // User turns sent in this conversation (the next workflow run's sys.dialogue_count).
    [[nodiscard]] int dialogueCount() const;

    [[nodiscard]] QString conversationMarkdown() const;
    [[nodiscard]] QByteArray conversationJson() const;

public Q_SLOTS:
    void send();
    void sendMessage(const QString &text);
    void stop();
    void regenerate();
    void editMessage(int index);
    void copyMessage(int index);
    void clear();
    bool exportMarkdown();
    bool exportJson();
    void attachImages();
    void attachVideo();
    // Adds the clipboard's image (or image files) as attachments; false when it holds none.
    bool pasteFromClipboard();
    // Workflow mode: events of the run started for the last workflowMessageRequested().
    void appendWorkflowEvent(const flowbench::runtime::RunEvent &event);
    // Ends the workflow turn; `answer` is used when nothing streamed; `error` marks it failed.
    void finishWorkflowTurn(const QString &answer = {}, const QString &error = {});

Q_SIGNALS:
    // Workflow mode: run the open chatflow with sys.query = query, sys.files = files (local
    // JPEG paths), sys.conversation_id and sys.dialogue_count; carry the conversation variables
    // over from the previous turn of the same conversation id.
    void workflowMessageRequested(const QString &query, const QStringList &files,
                                  const QString &conversationId, int dialogueCount);
    void stopWorkflowRequested();
    void busyChanged(bool busy);
    // An answer ended (finished, failed or stopped).
    void turnFinished();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Turn
    {
        bool user = true;
        QString text;
        QString reasoning;
        std::vector<llm::ContentPart> attachments;      // user: image parts and frame labels
        std::vector<std::pair<QString, QImage>> images; // user: the images as attached (edit)
        QString videoPath;                              // user: the video (edit re-extracts)
        int imageCount = 0;
        QList<QImage> thumbnails;
        QString caption;
        QString model;
        llm::Usage usage;
        qint64 ttftMs = -1;
        qint64 latencyMs = 0;
        qint64 reasoningMs = -1;
        double tokensPerSecond = 0;
        std::optional<metering::Cost> cost;
        QString finishReason;
        QString error;
        bool stopped = false;
        QStringList progress; // workflow node lines
        QHash<QString, int> progressIndex;
        qint64 promptTokensWf = 0;
        qint64 completionTokensWf = 0;
        ChatMessageWidget *widget = nullptr;
    };

    void ensureStore();
    void reloadProfiles();
    void onProfileChanged();
    void onModelsChanged(const QStringList &models);
    void applyProfileDefaults(const llm::EndpointProfile &profile);
    ChatMessageWidget *addWidget(Turn &turn);
    void startRequest();
    void onDelta(const QString &content, const QString &reasoning);
    void onFinished(const llm::ChatResult &result);
    void onFailed(const llm::ChatError &error);
    void endTurn();
    void setBusy(bool busy);
    void setNotice(const QString &text, bool error = true);
    void updateFooter(Turn &turn);
    void updateActions();
    void removeTurnsFrom(int index);
    [[nodiscard]] QString explainError(const llm::ChatError &error) const;
    [[nodiscard]] int imagesInConversation() const;
    void scrollToBottomSoon();
    bool addDroppedFile(const QString &path);

    Mode m_mode = Mode::Endpoint;
    llm::ProfileStore *m_store = nullptr;
    llm::ProfileStore *m_ownStore = nullptr;
    llm::RunEndpointProvider *m_provider = nullptr;
    QNetworkAccessManager *m_network = nullptr;
    std::optional<llm::LlmEndpoint> m_endpoint;
    int m_resolveSerial = 0;
    bool m_sendWhenReady = false;
    std::optional<metering::PriceTable> m_prices;
    QPointer<llm::ChatClient> m_client;
    std::vector<Turn> m_turns;
    bool m_busy = false;
    bool m_stickToBottom = true;
    QString m_conversationId;
    qint64 m_reasoningStartMs = -1;
    qint64 m_contentStartMs = -1;
    OpenFilesDialog m_openDialog;
    SaveFileDialog m_saveDialog;

    QComboBox *m_modeCombo = nullptr;
    QComboBox *m_profileCombo = nullptr;
    QComboBox *m_modelCombo = nullptr;
    QToolButton *m_paramsButton = nullptr;
    QToolButton *m_clearButton = nullptr;
    QToolButton *m_exportButton = nullptr;
    ChatConnectionStatus *m_status = nullptr;
    QFrame *m_paramsBox = nullptr;
    QPlainTextEdit *m_systemEdit = nullptr;
    QCheckBox *m_samplingCheck = nullptr;
    QDoubleSpinBox *m_temperatureSpin = nullptr;
    QDoubleSpinBox *m_topPSpin = nullptr;
    QSlider *m_maxTokensSlider = nullptr;
    QSpinBox *m_maxTokensSpin = nullptr;
    QCheckBox *m_thinkingCheck = nullptr;
    QSlider *m_budgetSlider = nullptr;
    QSpinBox *m_budgetSpin = nullptr;
    QScrollArea *m_scroll = nullptr;
    QWidget *m_list = nullptr;
    QVBoxLayout *m_listLayout = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QLabel *m_notice = nullptr;
    ChatAttachmentStrip *m_attachments = nullptr;
    QToolButton *m_imageButton = nullptr;
    QToolButton *m_videoButton = nullptr;
    QToolButton *m_thinkingButton = nullptr;
    QPlainTextEdit *m_input = nullptr;
    QPushButton *m_sendButton = nullptr;
};

} // namespace flowbench::panels

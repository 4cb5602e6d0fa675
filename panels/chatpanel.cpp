#include "chatpanel.h"

#include "chatattachmentstrip.h"
#include "chatconnectionstatus.h"
#include "chatmarkdown.h"
#include "chatmessagewidget.h"

#include "llm/defaultendpoint.h"
#include "metering/usagerecord.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QImageReader>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMimeData>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSpinBox>
#include <QTimer>
#include <QToolButton>
#include <QUuid>
#include <QVBoxLayout>

namespace flowbench::panels {

namespace {

constexpr int kMaxTokensMin = 256;
constexpr int kMaxTokensMax = 32768;

const QStringList &videoSuffixes()
{
    static const QStringList suffixes{
        QStringLiteral("mp4"), QStringLiteral("mov"), QStringLiteral("mkv"), QStringLiteral("webm"),
        QStringLiteral("avi"), QStringLiteral("m4v"), QStringLiteral("mpg"), QStringLiteral("mpeg"),
        QStringLiteral("ts"),  QStringLiteral("flv")};
    return suffixes;
}

bool isImageFile(const QString &path)
{
    const QByteArray suffix = QFileInfo(path).suffix().toLower().toLatin1();
    return !suffix.isEmpty() && QImageReader::supportedImageFormats().contains(suffix);
}

bool isVideoFile(const QString &path)
{
    return videoSuffixes().contains(QFileInfo(path).suffix().toLower());
}

QString seconds(qint64 ms)
{
    return QLocale().toString(double(ms) / 1000.0, 'f', ms < 10000 ? 2 : 1);
}

} // namespace

ChatPanel::ChatPanel(QWidget *parent)
    : QWidget(parent)
    , m_provider(new llm::RunEndpointProvider(this))
    , m_network(new QNetworkAccessManager(this))
{
    setObjectName(QStringLiteral("panel.chat"));
    setAcceptDrops(true);

    // Top bar: mode, profile, model, parameters, clear, export.
    m_modeCombo = new QComboBox(this);
    m_modeCombo->setObjectName(QStringLiteral("chat.mode"));
    m_modeCombo->addItem(tr("Endpoint"), int(Mode::Endpoint));
    m_modeCombo->addItem(tr("Workflow"), int(Mode::Workflow));
    m_modeCombo->setToolTip(tr("Endpoint: chat with a model. Workflow: each message runs the "
                               "open chatflow."));
    m_profileCombo = new QComboBox(this);
    m_profileCombo->setObjectName(QStringLiteral("chat.profile"));
    m_profileCombo->setToolTip(tr("Endpoint profile"));
    m_profileCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_profileCombo->setMinimumContentsLength(12);
    m_modelCombo = new QComboBox(this);
    m_modelCombo->setObjectName(QStringLiteral("chat.model"));
    m_modelCombo->setEditable(true);
    m_modelCombo->setToolTip(tr("Model (from the server's /v1/models)"));
    m_modelCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_modelCombo->setMinimumContentsLength(12);
    m_paramsButton = new QToolButton(this);
    m_paramsButton->setObjectName(QStringLiteral("chat.parametersToggle"));
    m_paramsButton->setText(tr("Parameters"));
    m_paramsButton->setCheckable(true);
    m_paramsButton->setAutoRaise(true);
    m_clearButton = new QToolButton(this);
    m_clearButton->setObjectName(QStringLiteral("chat.clear"));
    m_clearButton->setText(tr("Clear"));
    m_clearButton->setToolTip(tr("Start a new conversation"));
    m_clearButton->setAutoRaise(true);
    m_exportButton = new QToolButton(this);
    m_exportButton->setObjectName(QStringLiteral("chat.export"));
    m_exportButton->setText(tr("Export"));
    m_exportButton->setAutoRaise(true);
    m_exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *exportMenu = new QMenu(m_exportButton);
    exportMenu->addAction(tr("As Markdown…"), this, [this] { exportMarkdown(); });
    exportMenu->addAction(tr("As JSON…"), this, [this] { exportJson(); });
    m_exportButton->setMenu(exportMenu);

    auto *top = new QHBoxLayout;
    top->setSpacing(4);
    top->addWidget(m_modeCombo);
    top->addWidget(m_profileCombo, 2);
    top->addWidget(m_modelCombo, 3);
    top->addWidget(m_paramsButton);
    top->addWidget(m_clearButton);
    top->addWidget(m_exportButton);

    m_status = new ChatConnectionStatus(m_network, this);

    // Parameters.
    m_paramsBox = new QFrame(this);
    m_paramsBox->setObjectName(QStringLiteral("chat.parameters"));
    m_paramsBox->setFrameShape(QFrame::StyledPanel);
    m_systemEdit = new QPlainTextEdit(m_paramsBox);
    m_systemEdit->setObjectName(QStringLiteral("chat.systemPrompt"));
    m_systemEdit->setPlaceholderText(tr("System prompt (optional)"));
    m_systemEdit->setFixedHeight(m_systemEdit->fontMetrics().lineSpacing() * 3 + 12);
    m_samplingCheck = new QCheckBox(tr("Sampling"), m_paramsBox);
    m_samplingCheck->setObjectName(QStringLiteral("chat.sampling"));
    m_samplingCheck->setToolTip(tr("Off: greedy decoding (temperature 0)"));
    m_samplingCheck->setChecked(true);
    m_temperatureSpin = new QDoubleSpinBox(m_paramsBox);
    m_temperatureSpin->setObjectName(QStringLiteral("chat.temperature"));
    m_temperatureSpin->setRange(0, 2);
    m_temperatureSpin->setSingleStep(0.05);
    m_temperatureSpin->setValue(0.6);
    m_temperatureSpin->setPrefix(tr("temperature "));
    m_topPSpin = new QDoubleSpinBox(m_paramsBox);
    m_topPSpin->setObjectName(QStringLiteral("chat.topP"));
    m_topPSpin->setRange(0.01, 1);
    m_topPSpin->setSingleStep(0.05);
    m_topPSpin->setValue(0.95);
    m_topPSpin->setPrefix(tr("top_p "));
    m_maxTokensSlider = new QSlider(Qt::Horizontal, m_paramsBox);
    m_maxTokensSlider->setObjectName(QStringLiteral("chat.maxTokensSlider"));
    m_maxTokensSlider->setRange(kMaxTokensMin, kMaxTokensMax);
    m_maxTokensSpin = new QSpinBox(m_paramsBox);
    m_maxTokensSpin->setObjectName(QStringLiteral("chat.maxTokens"));
    m_maxTokensSpin->setRange(kMaxTokensMin, kMaxTokensMax);
    m_thinkingCheck = new QCheckBox(tr("Thinking"), m_paramsBox);
    m_thinkingCheck->setObjectName(QStringLiteral("chat.thinking.enabled"));
    m_thinkingCheck->setToolTip(tr("Sent as chat_template_kwargs.enable_thinking"));
    m_budgetSlider = new QSlider(Qt::Horizontal, m_paramsBox);
    m_budgetSlider->setObjectName(QStringLiteral("chat.budgetSlider"));
    m_budgetSlider->setRange(1, kMaxTokensMax - kBudgetGap);
    m_budgetSpin = new QSpinBox(m_paramsBox);
    m_budgetSpin->setObjectName(QStringLiteral("chat.thinkingBudget"));
    m_budgetSpin->setRange(1, kMaxTokensMax - kBudgetGap);
    m_budgetSpin->setToolTip(
        tr("Thinking budget (tokens); kept at least %1 below max tokens").arg(kBudgetGap));
    auto *form = new QFormLayout(m_paramsBox);
    form->setContentsMargins(8, 6, 8, 6);
    form->addRow(tr("System"), m_systemEdit);
    auto *sampling = new QHBoxLayout;
    sampling->addWidget(m_samplingCheck);
    sampling->addWidget(m_temperatureSpin);
    sampling->addWidget(m_topPSpin);
    sampling->addStretch(1);
    form->addRow(QString(), sampling);
    auto *maxRow = new QHBoxLayout;
    maxRow->addWidget(m_maxTokensSlider, 1);
    maxRow->addWidget(m_maxTokensSpin);
    form->addRow(tr("Max tokens"), maxRow);
    auto *budgetRow = new QHBoxLayout;
    budgetRow->addWidget(m_thinkingCheck);
    budgetRow->addWidget(m_budgetSlider, 1);
    budgetRow->addWidget(m_budgetSpin);
    form->addRow(tr("Thinking budget"), budgetRow);
    m_paramsBox->hide();

    // Messages.
    m_scroll = new QScrollArea(this);
    m_scroll->setObjectName(QStringLiteral("chat.messages"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list = new QWidget(m_scroll);
    m_list->setObjectName(QStringLiteral("chat.messageList"));
    m_list->setBackgroundRole(QPalette::Base);
    m_list->setAutoFillBackground(true);
    m_listLayout = new QVBoxLayout(m_list);
    m_listLayout->setContentsMargins(10, 10, 10, 10);
    m_listLayout->setSpacing(14);
    m_emptyLabel = new QLabel(tr("Send a message to start. Drop or paste images, or attach a "
                                 "video to send its keyframes."),
                              m_list);
    m_emptyLabel->setObjectName(QStringLiteral("chat.empty"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);
    m_listLayout->addWidget(m_emptyLabel);
    m_listLayout->addStretch(1);
    m_scroll->setWidget(m_list);
    QScrollBar *bar = m_scroll->verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this,
            [this, bar](int value) { m_stickToBottom = value >= bar->maximum() - 40; });
    connect(bar, &QScrollBar::rangeChanged, this, [this, bar](int, int max) {
        if (m_stickToBottom)
            bar->setValue(max);
    });

    // Composer.
    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("chat.notice"));
    m_notice->setWordWrap(true);
    m_notice->hide();
    m_attachments = new ChatAttachmentStrip(this);
    m_imageButton = new QToolButton(this);
    m_imageButton->setObjectName(QStringLiteral("chat.attachImage"));
    m_imageButton->setText(tr("+ Image"));
    m_imageButton->setToolTip(tr("Attach images (or drop them here, or paste)"));
    m_imageButton->setAutoRaise(true);
    m_videoButton = new QToolButton(this);
    m_videoButton->setObjectName(QStringLiteral("chat.attachVideo"));
    m_videoButton->setText(tr("+ Video"));
    m_videoButton->setToolTip(tr("Attach a video: its keyframes are sent as images"));
    m_videoButton->setAutoRaise(true);
    m_thinkingButton = new QToolButton(this);
    m_thinkingButton->setObjectName(QStringLiteral("chat.thinkingButton"));
    m_thinkingButton->setText(tr("Thinking"));
    m_thinkingButton->setCheckable(true);
    m_thinkingButton->setAutoRaise(true);
    m_thinkingButton->setToolTip(tr("Let the model think before it answers"));
    m_input = new QPlainTextEdit(this);
    m_input->setObjectName(QStringLiteral("chat.input"));
    m_input->setPlaceholderText(tr("Message (Enter sends, Shift+Enter for a new line)"));
    m_input->setFixedHeight(m_input->fontMetrics().lineSpacing() * 3 + 14);
    m_input->installEventFilter(this);
    m_sendButton = new QPushButton(tr("Send"), this);
    m_sendButton->setObjectName(QStringLiteral("chat.send"));
    m_sendButton->setDefault(true);
    auto *inputRow = new QHBoxLayout;
    inputRow->setSpacing(4);
    inputRow->addWidget(m_imageButton);
    inputRow->addWidget(m_videoButton);
    inputRow->addWidget(m_thinkingButton);
    inputRow->addStretch(1);
    inputRow->addWidget(m_sendButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addWidget(m_paramsBox);
    layout->addWidget(m_scroll, 1);
    layout->addWidget(m_notice);
    layout->addWidget(m_attachments);
    layout->addWidget(m_input);
    layout->addLayout(inputRow);

    // Wiring.
    connect(m_modeCombo, &QComboBox::activated, this,
            [this] { setMode(Mode(m_modeCombo->currentData().toInt())); });
    connect(m_profileCombo, &QComboBox::activated, this, &ChatPanel::onProfileChanged);
    connect(m_paramsButton, &QToolButton::toggled, m_paramsBox, &QWidget::setVisible);
    connect(m_clearButton, &QToolButton::clicked, this, &ChatPanel::clear);
    connect(m_status, &ChatConnectionStatus::modelsChanged, this, &ChatPanel::onModelsChanged);
    connect(m_samplingCheck, &QCheckBox::toggled, this, [this](bool on) {
        m_temperatureSpin->setEnabled(on);
        m_topPSpin->setEnabled(on);
    });
    connect(m_maxTokensSlider, &QSlider::valueChanged, m_maxTokensSpin, &QSpinBox::setValue);
    connect(m_budgetSlider, &QSlider::valueChanged, m_budgetSpin, &QSpinBox::setValue);
    connect(m_maxTokensSpin, &QSpinBox::valueChanged, this, [this](int value) {
        m_maxTokensSlider->setValue(value);
        if (m_budgetSpin->value() > value - kBudgetGap)
            m_budgetSpin->setValue(std::max(1, value - kBudgetGap));
    });
    connect(m_budgetSpin, &QSpinBox::valueChanged, this, [this](int value) {
        m_budgetSlider->setValue(value);
        if (value > m_maxTokensSpin->value() - kBudgetGap)
            m_maxTokensSpin->setValue(std::min(kMaxTokensMax, value + kBudgetGap));
    });
    connect(m_thinkingCheck, &QCheckBox::toggled, m_thinkingButton, &QToolButton::setChecked);
    connect(m_thinkingButton, &QToolButton::toggled, m_thinkingCheck, &QCheckBox::setChecked);
    connect(m_thinkingCheck, &QCheckBox::toggled, this, [this](bool on) {
        m_budgetSlider->setEnabled(on);
        m_budgetSpin->setEnabled(on);
    });
    connect(m_imageButton, &QToolButton::clicked, this, &ChatPanel::attachImages);
    connect(m_videoButton, &QToolButton::clicked, this, &ChatPanel::attachVideo);
    connect(m_sendButton, &QPushButton::clicked, this, [this] {
        if (m_busy)
            stop();
        else
            send();
    });
    connect(m_attachments, &ChatAttachmentStrip::problem, this,
            [this](const QString &message) { setNotice(message); });
    connect(m_attachments, &ChatAttachmentStrip::changed, this, [this] {
        if (!m_notice->isHidden() && m_notice->property("imageLimit").toBool())
            setNotice({});
    });

    setMaxTokens(2048);
    setThinkingBudget(1024);
    setThinkingEnabled(false);
    m_budgetSlider->setEnabled(false);
    m_budgetSpin->setEnabled(false);
    updateActions();

    // A store handed over right after construction wins over the default one.
    QTimer::singleShot(0, this, [this] {
        if (!m_store)
            ensureStore();
    });
}

ChatPanel::~ChatPanel()
{
    if (m_client) {
        m_client->disconnect(this);
        m_client->cancel();
    }
}

// --- profiles -------------------------------------------------------------------------------

void ChatPanel::ensureStore()
{
    if (m_store)
        return;
    m_ownStore = new llm::ProfileStore(this);
    (void)m_ownStore->load();
    setProfileStore(m_ownStore);
}

void ChatPanel::setProfileStore(llm::ProfileStore *store)
{
    if (m_store == store)
        return;
    if (m_store)
        disconnect(m_store, nullptr, this, nullptr);
    m_store = store;
    if (m_store)
        connect(m_store, &llm::ProfileStore::profilesChanged, this, &ChatPanel::reloadProfiles);
    m_profileCombo->clear();
    reloadProfiles();
}

void ChatPanel::reloadProfiles()
{
    if (!m_store)
        return;
    const QString current = m_profileCombo->currentText();
    m_profileCombo->clear();
    m_profileCombo->addItems(m_store->profileNames());
    QString select = current;
    if (select.isEmpty() || m_profileCombo->findText(select) < 0)
        select = m_store->selectedProfileName();
    const int index = std::max(0, m_profileCombo->findText(select));
    m_profileCombo->setCurrentIndex(index);
    if (m_profileCombo->currentText() != current || !m_endpoint)
        onProfileChanged();
}

void ChatPanel::setCurrentProfile(const QString &name)
{
    ensureStore();
    const int index = m_profileCombo->findText(name);
    if (index < 0)
        return;
    m_profileCombo->setCurrentIndex(index);
    onProfileChanged();
}

QString ChatPanel::currentProfile() const
{
    return m_profileCombo->currentText();
}

std::optional<llm::EndpointProfile> ChatPanel::profile() const
{
    if (!m_store)
        return std::nullopt;
    return m_store->profile(currentProfile());
}

void ChatPanel::applyProfileDefaults(const llm::EndpointProfile &profile)
{
    const llm::Json &p = profile.defaultParameters;
    if (p.contains("temperature") && p["temperature"].is_number())
        m_temperatureSpin->setValue(p["temperature"].get<double>());
    if (p.contains("top_p") && p["top_p"].is_number())
        m_topPSpin->setValue(p["top_p"].get<double>());
    if (p.contains("max_tokens") && p["max_tokens"].is_number_integer())
        setMaxTokens(p["max_tokens"].get<int>());
    m_attachments->setMaxPixels(profile.maxPixels);
}

void ChatPanel::onProfileChanged()
{
    const auto p = profile();
    if (!p)
        return;
    applyProfileDefaults(*p);
    m_endpoint.reset();
    m_modelCombo->clear();
    if (!p->defaultModel.isEmpty())
        m_modelCombo->addItem(p->defaultModel);
    m_status->setIdle(p->kind == llm::ServerKind::Simulator
                          ? tr("Starting the simulator…")
                          : tr("Looking up the key for %1…").arg(p->name));
    const int serial = ++m_resolveSerial;
    auto ready = [this, serial, prof = *p](Result<llm::LlmEndpoint> endpoint) {
        if (serial != m_resolveSerial)
            return;
        if (!endpoint) {
            m_status->setIdle(endpoint.error().message);
            return;
        }
        m_endpoint = *endpoint;
        llm::EndpointProfile resolved = prof;
        resolved.baseUrl = endpoint->config.baseUrl;
        if (!endpoint->forcedModel.isEmpty())
            resolved.defaultModel = endpoint->forcedModel;
        if (m_modelCombo->currentText().isEmpty() && !resolved.defaultModel.isEmpty())
            m_modelCombo->addItem(resolved.defaultModel);
        m_status->setProfile(resolved, endpoint->config.apiKey);
        if (m_sendWhenReady) {
            m_sendWhenReady = false;
            startRequest();
        }
    };
    if (p->kind == llm::ServerKind::Simulator) {
        // Resolved here rather than with RunEndpointProvider::resolve(): the provider sends every
        // simulator profile to the simulator it started first, and this pane switches profiles.
        QTimer::singleShot(0, this, [this, serial, prof = *p, ready] {
            if (serial != m_resolveSerial)
                return;
            m_provider->release();
            ready(m_provider->endpointFor(prof));
        });
    } else {
        QPointer<ChatPanel> self(this);
        m_store->loadApiKey(p->name, [self, prof = *p, ready](Result<QString> key) {
            if (!self)
                return;
            // No key is no error: keyless local servers are common.
            ready(prof.toEndpoint(key ? *key : QString()));
        });
    }
}

void ChatPanel::onModelsChanged(const QStringList &models)
{
    const QString current = m_modelCombo->currentText();
    m_modelCombo->clear();
    m_modelCombo->addItems(models);
    if (!current.isEmpty() && m_modelCombo->findText(current) < 0)
        m_modelCombo->insertItem(0, current);
    const int index = m_modelCombo->findText(current);
    m_modelCombo->setCurrentIndex(index >= 0 ? index : 0);
}

void ChatPanel::setCurrentModel(const QString &model)
{
    const int index = m_modelCombo->findText(model);
    if (index >= 0)
        m_modelCombo->setCurrentIndex(index);
    else
        m_modelCombo->setCurrentText(model);
}

QString ChatPanel::currentModel() const
{
    return m_modelCombo->currentText().trimmed();
}

void ChatPanel::setPriceTable(const metering::PriceTable &table)
{
    m_prices = table;
    for (Turn &turn : m_turns)
        if (!turn.user)
            updateFooter(turn);
}

// --- parameters -------------------------------------------------------------------------------

void ChatPanel::setMode(Mode mode)
{
    m_mode = mode;
    m_modeCombo->setCurrentIndex(m_modeCombo->findData(int(mode)));
    const bool endpoint = mode == Mode::Endpoint;
    m_profileCombo->setVisible(endpoint);
    m_modelCombo->setVisible(endpoint);
    m_paramsButton->setVisible(endpoint);
    m_status->setVisible(endpoint);
    m_thinkingButton->setVisible(endpoint);
    if (!endpoint)
        m_paramsBox->hide();
    else
        m_paramsBox->setVisible(m_paramsButton->isChecked());
    m_input->setPlaceholderText(endpoint ? tr("Message (Enter sends, Shift+Enter for a new line)")
                                         : tr("Ask the open chatflow (sys.query)"));
}

void ChatPanel::setSystemPrompt(const QString &prompt)
{
    m_systemEdit->setPlainText(prompt);
}

QString ChatPanel::systemPrompt() const
{
    return m_systemEdit->toPlainText();
}

void ChatPanel::setSampling(bool on)
{
    m_samplingCheck->setChecked(on);
}

void ChatPanel::setTemperature(double value)
{
    m_temperatureSpin->setValue(value);
}

void ChatPanel::setTopP(double value)
{
    m_topPSpin->setValue(value);
}

void ChatPanel::setMaxTokens(int tokens)
{
    m_maxTokensSpin->setValue(tokens);
}

int ChatPanel::maxTokens() const
{
    return m_maxTokensSpin->value();
}

void ChatPanel::setThinkingEnabled(bool on)
{
    m_thinkingCheck->setChecked(on);
}

bool ChatPanel::thinkingEnabled() const
{
    return m_thinkingCheck->isChecked();
}

void ChatPanel::setThinkingBudget(int tokens)
{
    m_budgetSpin->setValue(tokens);
}

int ChatPanel::thinkingBudget() const
{
    return m_budgetSpin->value();
}

void ChatPanel::setOpenFilesDialog(OpenFilesDialog dialog)
{
    m_openDialog = std::move(dialog);
}

void ChatPanel::setSaveFileDialog(SaveFileDialog dialog)
{
    m_saveDialog = std::move(dialog);
}

void ChatPanel::setInputText(const QString &text)
{
    m_input->setPlainText(text);
}

QString ChatPanel::inputText() const
{
    return m_input->toPlainText();
}

QString ChatPanel::notice() const
{
    return m_notice->isHidden() ? QString() : m_notice->text();
}

void ChatPanel::setNotice(const QString &text, bool error)
{
    m_notice->setProperty("imageLimit", false);
    m_notice->setText(text);
    m_notice->setStyleSheet(
        error ? QStringLiteral("QLabel{color:#b42318;background:#fef3f2;border:1px solid #fecdca;"
                               "border-radius:6px;padding:5px;}")
              : QStringLiteral("QLabel{color:#344054;background:#f2f4f7;border-radius:6px;"
                               "padding:5px;}"));
    m_notice->setVisible(!text.isEmpty());
}

// --- conversation ---------------------------------------------------------------------------

ChatMessageWidget *ChatPanel::messageWidget(int index) const
{
    if (index < 0 || index >= int(m_turns.size()))
        return nullptr;
    return m_turns[size_t(index)].widget;
}

QString ChatPanel::messageText(int index) const
{
    if (index < 0 || index >= int(m_turns.size()))
        return {};
    return m_turns[size_t(index)].text;
}

int ChatPanel::dialogueCount() const
{
    return int(
        std::count_if(m_turns.begin(), m_turns.end(), [](const Turn &turn) { return turn.user; }));
}

int ChatPanel::imagesInConversation() const
{
    int n = 0;
    for (const Turn &turn : m_turns)
        n += turn.imageCount;
    return n;
}

ChatMessageWidget *ChatPanel::addWidget(Turn &turn)
{
    QString title;
    if (turn.user)
        title = tr("You");
    else if (m_mode == Mode::Workflow)
        title = tr("Chatflow");
    else
        title = turn.model.isEmpty() ? tr("Assistant") : turn.model;
    auto *widget = new ChatMessageWidget(turn.user ? ChatMessageWidget::Role::User
                                                   : ChatMessageWidget::Role::Assistant,
                                         title, m_list);
    m_listLayout->insertWidget(m_listLayout->count() - 1, widget);
    m_emptyLabel->hide();
    turn.widget = widget;
    connect(widget, &ChatMessageWidget::copyRequested, this, [this, widget] {
        for (int i = 0; i < int(m_turns.size()); ++i)
            if (m_turns[size_t(i)].widget == widget)
                copyMessage(i);
    });
    connect(widget, &ChatMessageWidget::editRequested, this, [this, widget] {
        for (int i = 0; i < int(m_turns.size()); ++i)
            if (m_turns[size_t(i)].widget == widget)
                editMessage(i);
    });
    connect(widget, &ChatMessageWidget::regenerateRequested, this, &ChatPanel::regenerate);
    m_stickToBottom = true;
    return widget;
}

void ChatPanel::send()
{
    sendMessage(m_input->toPlainText());
}

void ChatPanel::sendMessage(const QString &rawText)
{
    if (m_busy)
        return;
    const QString text = rawText.trimmed();
    if (m_attachments->isExtracting()) {
        setNotice(tr("Wait until the keyframes are taken (or cancel), then send."));
        return;
    }
    if (text.isEmpty() && m_attachments->imageCount() == 0)
        return;
    if (m_mode == Mode::Endpoint) {
        ensureStore();
        const auto p = profile();
        const int limit = p ? p->maxImagesPerPrompt : 0;
        const int previous = imagesInConversation();
        const int total = previous + m_attachments->imageCount();
        if (limit > 0 && total > limit) {
            setNotice(previous > 0
                          ? tr("Not sent: the profile \"%1\" allows at most %2 image(s) per "
                               "prompt, and this message would make %3 (%4 attached now, %5 "
                               "earlier in the conversation). Remove images, exclude keyframes, "
                               "or clear the conversation.")
                                .arg(p->name)
                                .arg(limit)
                                .arg(total)
                                .arg(m_attachments->imageCount())
                                .arg(previous)
                          : tr("Not sent: the profile \"%1\" allows at most %2 image(s) per "
                               "prompt, and %3 are attached. Remove images or exclude keyframes.")
                                .arg(p->name)
                                .arg(limit)
                                .arg(total));
            m_notice->setProperty("imageLimit", true);
            return;
        }
    }
    setNotice({});

    Turn user;
    user.user = true;
    user.text = text;
    user.imageCount = m_attachments->imageCount();
    for (const ChatAttachmentStrip::Image &image : m_attachments->images())
        user.images.emplace_back(image.name, image.image);
    user.videoPath = m_attachments->videoPath();
    user.thumbnails = m_attachments->thumbnails(48);
    if (!m_attachments->videoPath().isEmpty())
        user.caption = tr("%1 keyframes of %2")
                           .arg(m_attachments->includedFrameCount())
                           .arg(QFileInfo(m_attachments->videoPath()).fileName());
    QStringList files;
    if (m_mode == Mode::Endpoint) {
        user.attachments = m_attachments->contentParts();
    } else {
        if (m_conversationId.isEmpty())
            m_conversationId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        files = m_attachments->writeFiles(QDir::temp().filePath(
            QStringLiteral("flowbench-chat/%1/%2").arg(m_conversationId).arg(dialogueCount() + 1)));
    }
    m_turns.push_back(std::move(user));
    Turn &added = m_turns.back();
    ChatMessageWidget *widget = addWidget(added);
    widget->setContent(added.text, {});
    widget->setAttachments(added.thumbnails, added.caption);
    m_input->clear();
    m_attachments->clear();

    if (m_mode == Mode::Workflow) {
        Turn answer;
        answer.user = false;
        m_turns.push_back(std::move(answer));
        ChatMessageWidget *answerWidget = addWidget(m_turns.back());
        answerWidget->setStreaming(true);
        answerWidget->setProgress({tr("Starting the chatflow…")});
        m_contentStartMs = QDateTime::currentMSecsSinceEpoch();
        setBusy(true);
        Q_EMIT workflowMessageRequested(text, files, m_conversationId, dialogueCount());
        return;
    }
    startRequest();
}

llm::ChatRequest ChatPanel::buildRequest() const
{
    llm::ChatRequest request;
    request.model = currentModel();
    if (request.model.isEmpty() && m_endpoint)
        request.model = m_endpoint->forcedModel.isEmpty() ? m_endpoint->defaultModel
                                                          : m_endpoint->forcedModel;
    const QString system = systemPrompt().trimmed();
    if (!system.isEmpty())
        request.messages.push_back(llm::Message::text(QStringLiteral("system"), system));
    for (const Turn &turn : m_turns) {
        if (turn.user) {
            llm::Message message;
            message.role = QStringLiteral("user");
            if (!turn.text.isEmpty()) {
                llm::ContentPart part;
                part.text = turn.text;
                message.parts.push_back(part);
            }
            for (const llm::ContentPart &part : turn.attachments)
                message.parts.push_back(part);
            request.messages.push_back(std::move(message));
        } else if (!turn.text.isEmpty()) {
            request.messages.push_back(llm::Message::text(QStringLiteral("assistant"), turn.text));
        }
    }
    if (m_samplingCheck->isChecked()) {
        request.temperature = m_temperatureSpin->value();
        request.topP = m_topPSpin->value();
    } else {
        request.temperature = 0.0;
    }
    request.maxTokens = maxTokens();
    request.enableThinking = thinkingEnabled();
    if (thinkingEnabled())
        request.thinkingBudget = thinkingBudget();
    return request;
}

void ChatPanel::startRequest()
{
    if (!m_endpoint) {
        ensureStore();
        m_sendWhenReady = true;
        setBusy(true);
        setNotice(tr("Connecting to %1…").arg(currentProfile()), false);
        if (m_resolveSerial == 0)
            onProfileChanged();
        return;
    }
    setNotice({});
    const llm::ChatRequest request = buildRequest();
    Turn answer;
    answer.user = false;
    answer.model = request.model;
    m_turns.push_back(std::move(answer));
    ChatMessageWidget *widget = addWidget(m_turns.back());
    widget->setStreaming(true);
    widget->setFooter(tr("Waiting for the first token…"));
    updateActions();

    auto *client = new llm::ChatClient(m_network, m_endpoint->config, this);
    m_client = client;
    m_reasoningStartMs = -1;
    m_contentStartMs = QDateTime::currentMSecsSinceEpoch();
    connect(client, &llm::ChatClient::delta, this, &ChatPanel::onDelta);
    connect(client, &llm::ChatClient::finished, this, &ChatPanel::onFinished);
    connect(client, &llm::ChatClient::failed, this, &ChatPanel::onFailed);
    connect(client, &llm::ChatClient::retrying, this,
            [this](int attempt, const llm::ChatError &error, int delayMs) {
                if (!m_turns.empty() && m_turns.back().widget)
                    m_turns.back().widget->setFooter(
                        tr("Retrying (%1) in %2 s: %3")
                            .arg(attempt)
                            .arg(double(delayMs) / 1000.0, 0, 'f', 1)
                            .arg(error.message.isEmpty() ? error.kindName() : error.message));
            });
    setBusy(true);
    client->start(request);
}

void ChatPanel::onDelta(const QString &content, const QString &reasoning)
{
    if (m_turns.empty() || m_turns.back().user)
        return;
    Turn &turn = m_turns.back();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (!reasoning.isEmpty()) {
        if (m_reasoningStartMs < 0)
            m_reasoningStartMs = now;
        turn.reasoning += reasoning;
        turn.widget->appendReasoning(reasoning);
    }
    if (!content.isEmpty()) {
        if (turn.text.isEmpty() && m_reasoningStartMs >= 0 && turn.reasoningMs < 0)
            turn.reasoningMs = now - m_reasoningStartMs;
        turn.text += content;
        turn.widget->appendContent(content);
    }
    if (turn.widget->footer()->text() == tr("Waiting for the first token…"))
        turn.widget->setFooter(tr("Streaming…"));
}

void ChatPanel::onFinished(const llm::ChatResult &result)
{
    if (m_turns.empty() || m_turns.back().user)
        return;
    Turn &turn = m_turns.back();
    turn.text = result.content;
    turn.reasoning = result.reasoning;
    if (!result.model.isEmpty())
        turn.model = result.model;
    turn.usage = result.usage;
    turn.ttftMs = result.timeToFirstTokenMs;
    turn.latencyMs = result.latencyMs;
    turn.finishReason = result.finishReason;
    if (turn.reasoningMs < 0 && !turn.reasoning.isEmpty() && m_reasoningStartMs >= 0)
        turn.reasoningMs = QDateTime::currentMSecsSinceEpoch() - m_reasoningStartMs;
    const qint64 genMs = result.latencyMs - std::max<qint64>(0, result.timeToFirstTokenMs);
    if (result.usage.completionTokens > 1 && genMs >= 20)
        turn.tokensPerSecond = double(result.usage.completionTokens) * 1000.0 / double(genMs);
    // What arrived in pieces and what the client rebuilt agree; render the final text once
    // more only when they do not (e.g. <think> split out late).
    if (turn.widget->content()->source().trimmed() != turn.text.trimmed()
        || (turn.widget->thinking()->isHidden() && !turn.reasoning.isEmpty()))
        turn.widget->setContent(turn.text, turn.reasoning);
    turn.widget->finish(turn.reasoningMs);
    turn.widget->thinking()->setTokens(turn.usage.reasoningTokens);
    if (result.finishReason == QLatin1String("length"))
        turn.widget->setError(
            tr("The answer was cut at the max tokens limit (%1).").arg(maxTokens()));
    updateFooter(turn);
    endTurn();
}

QString ChatPanel::explainError(const llm::ChatError &error) const
{
    const QString server
        = error.message.isEmpty() ? QString() : tr("\nServer: %1").arg(error.message);
    switch (error.kind) {
    case llm::ChatError::Kind::TooManyImages: {
        static const QRegularExpression re(QStringLiteral("At most (\\d+) image"),
                                           QRegularExpression::CaseInsensitiveOption);
        const auto match = re.match(error.message);
        const int total = imagesInConversation();
        if (match.hasMatch())
            return tr("The server takes at most %1 image(s) in one prompt, and this conversation "
                      "sends %2 (every earlier image is sent again with each message). Remove "
                      "images or exclude keyframes, clear the conversation, or start vLLM with a "
                      "higher --limit-mm-per-prompt (e.g. '{\"image\":32}'). Set the profile's "
                      "image limit to %1 to be warned before sending.")
                       .arg(match.captured(1))
                       .arg(total)
                   + server;
        return tr("The server refused the number of images in this prompt (%1). Remove images or "
                  "raise --limit-mm-per-prompt.")
                   .arg(total)
               + server;
    }
    case llm::ChatError::Kind::Unreachable:
        return tr("Cannot reach %1. Is the server running?")
                   .arg(m_endpoint ? m_endpoint->config.baseUrl.toDisplayString() : QString())
               + server;
    case llm::ChatError::Kind::Loading:
        return tr("The server is still loading the model; try again in a moment.") + server;
    case llm::ChatError::Kind::Auth:
        return tr("The server refused the API key. Set the key in the endpoint profile.") + server;
    case llm::ChatError::Kind::UnknownModel:
        return tr("The server does not serve the model \"%1\". Pick one from the list.")
                   .arg(currentModel())
               + server;
    case llm::ChatError::Kind::ContextTooLong:
        return tr("The prompt and max tokens do not fit the model's context. Lower max tokens, "
                  "send fewer or smaller images, or clear the conversation.")
               + server;
    case llm::ChatError::Kind::RateLimited:
        return tr("Rate limited by the server.") + server;
    case llm::ChatError::Kind::Timeout:
        return tr("The server stopped answering (timeout).") + server;
    default:
        return tr("The request failed (%1).").arg(error.kindName()) + server;
    }
}

void ChatPanel::onFailed(const llm::ChatError &error)
{
    if (m_turns.empty() || m_turns.back().user) {
        endTurn();
        return;
    }
    Turn &turn = m_turns.back();
    const llm::ChatResult partial = m_client ? m_client->result() : llm::ChatResult{};
    if (!partial.content.isEmpty())
        turn.text = partial.content;
    if (!partial.reasoning.isEmpty())
        turn.reasoning = partial.reasoning;
    turn.ttftMs = partial.timeToFirstTokenMs;
    turn.latencyMs = QDateTime::currentMSecsSinceEpoch() - m_contentStartMs;
    turn.widget->finish(turn.reasoningMs);
    if (error.kind == llm::ChatError::Kind::Cancelled) {
        turn.stopped = true;
    } else {
        turn.error = explainError(error);
        turn.widget->setError(turn.error);
    }
    updateFooter(turn);
    endTurn();
}

void ChatPanel::endTurn()
{
    if (m_client) {
        m_client->disconnect(this);
        m_client->deleteLater();
        m_client = nullptr;
    }
    if (!m_turns.empty() && m_turns.back().widget)
        m_turns.back().widget->setStreaming(false);
    setBusy(false);
    updateActions();
    Q_EMIT turnFinished();
}

void ChatPanel::updateFooter(Turn &turn)
{
    if (!turn.widget)
        return;
    QStringList parts;
    const QLocale locale;
    if (turn.usage.present) {
        parts << tr("%1 prompt").arg(locale.toString(turn.usage.promptTokens))
              << tr("%1 completion").arg(locale.toString(turn.usage.completionTokens));
        if (turn.usage.reasoningTokens > 0)
            parts << tr("%1 reasoning").arg(locale.toString(turn.usage.reasoningTokens));
        parts.last() += tr(" tokens");
    } else if (turn.promptTokensWf + turn.completionTokensWf > 0) {
        parts << tr("%1 prompt").arg(locale.toString(turn.promptTokensWf))
              << tr("%1 completion tokens").arg(locale.toString(turn.completionTokensWf));
    }
    if (turn.ttftMs >= 0)
        parts << tr("first token %1 s").arg(seconds(turn.ttftMs));
    if (turn.tokensPerSecond > 0)
        parts << tr("%1 tokens/s").arg(locale.toString(turn.tokensPerSecond, 'f', 1));
    else if (turn.latencyMs > 0)
        parts << tr("%1 s").arg(seconds(turn.latencyMs));
    turn.cost.reset();
    if (m_prices && turn.usage.present) {
        metering::UsageRecord record;
        record.model = turn.model;
        record.promptTokens = turn.usage.promptTokens;
        record.completionTokens = turn.usage.completionTokens;
        record.reasoningTokens = turn.usage.reasoningTokens;
        record.cachedTokens = turn.usage.cachedTokens;
        record.latencyMs = turn.latencyMs;
        record.ttftMs = turn.ttftMs;
        record.timestampMs = QDateTime::currentMSecsSinceEpoch();
        turn.cost = m_prices->cost(record);
    }
    if (turn.cost)
        parts << tr("cost %1 %2")
                     .arg(locale.toString(turn.cost->amount, 'f', turn.cost->amount < 0.01 ? 6 : 4),
                          turn.cost->currency);
    else
        parts << tr("cost —");
    if (turn.stopped)
        parts.prepend(tr("Stopped"));
    turn.widget->setFooter(parts.join(QStringLiteral(" · ")),
                           turn.cost ? QString() : tr("No price known for this model"));
}

void ChatPanel::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    m_sendButton->setText(busy ? tr("Stop") : tr("Send"));
    m_sendButton->setObjectName(QStringLiteral("chat.send"));
    m_sendButton->setToolTip(busy ? tr("Stop the answer (the server stops generating)")
                                  : QString());
    m_clearButton->setEnabled(!busy);
    m_exportButton->setEnabled(!busy);
    Q_EMIT busyChanged(busy);
}

void ChatPanel::updateActions()
{
    int lastAssistant = -1;
    for (int i = 0; i < int(m_turns.size()); ++i)
        if (!m_turns[size_t(i)].user)
            lastAssistant = i;
    for (int i = 0; i < int(m_turns.size()); ++i)
        if (m_turns[size_t(i)].widget)
            m_turns[size_t(i)].widget->setRegenerateVisible(i == lastAssistant
                                                            && i == int(m_turns.size()) - 1);
}

void ChatPanel::stop()
{
    if (!m_busy)
        return;
    if (m_mode == Mode::Workflow) {
        Q_EMIT stopWorkflowRequested();
        return;
    }
    if (m_sendWhenReady) {
        m_sendWhenReady = false;
        setBusy(false);
        return;
    }
    if (m_client)
        m_client->cancel(); // ends with failed(Cancelled)
}

void ChatPanel::removeTurnsFrom(int index)
{
    while (int(m_turns.size()) > index) {
        delete m_turns.back().widget;
        m_turns.pop_back();
    }
    m_emptyLabel->setVisible(m_turns.empty());
    updateActions();
}

void ChatPanel::regenerate()
{
    if (m_busy || m_turns.empty() || m_turns.back().user)
        return;
    removeTurnsFrom(int(m_turns.size()) - 1);
    if (m_mode == Mode::Workflow) {
        // Run the last query again.
        if (m_turns.empty())
            return;
        const QString query = m_turns.back().text;
        removeTurnsFrom(int(m_turns.size()) - 1);
        sendMessage(query);
        return;
    }
    startRequest();
}

void ChatPanel::editMessage(int index)
{
    if (m_busy || index < 0 || index >= int(m_turns.size()) || !m_turns[size_t(index)].user)
        return;
    const QString text = m_turns[size_t(index)].text;
    const auto images = m_turns[size_t(index)].images;
    const QString video = m_turns[size_t(index)].videoPath;
    removeTurnsFrom(index);
    // The attachments come back too (a video's keyframes are taken again).
    m_attachments->clear();
    for (const auto &image : images)
        m_attachments->addImage(image.second, image.first);
    if (!video.isEmpty())
        m_attachments->setVideoFile(video);
    m_input->setPlainText(text);
    m_input->setFocus();
    m_input->moveCursor(QTextCursor::End);
}

void ChatPanel::copyMessage(int index)
{
    if (index < 0 || index >= int(m_turns.size()))
        return;
    QGuiApplication::clipboard()->setText(m_turns[size_t(index)].text);
}

void ChatPanel::clear()
{
    if (m_busy)
        stop();
    removeTurnsFrom(0);
    m_conversationId.clear();
    setNotice({});
}

// --- export ---------------------------------------------------------------------------------

QString ChatPanel::conversationMarkdown() const
{
    QString out;
    if (m_mode == Mode::Endpoint)
        out += tr("# Chat with %1 (%2)\n\n").arg(currentModel(), currentProfile());
    else
        out += tr("# Chatflow conversation %1\n\n").arg(m_conversationId);
    const QString system = systemPrompt().trimmed();
    if (!system.isEmpty() && m_mode == Mode::Endpoint)
        out += tr("**System:** %1\n\n").arg(system);
    for (const Turn &turn : m_turns) {
        if (turn.user) {
            out += tr("## You\n\n");
            out += turn.text + QStringLiteral("\n\n");
            if (turn.imageCount > 0)
                out += (turn.imageCount == 1 ? tr("*1 image attached*")
                                             : tr("*%1 images attached*").arg(turn.imageCount))
                       + (turn.caption.isEmpty()
                              ? QString()
                              : QStringLiteral(" (") + turn.caption + QStringLiteral(")"))
                       + QStringLiteral("\n\n");
            continue;
        }
        out += tr("## %1\n\n").arg(turn.model.isEmpty() ? tr("Assistant") : turn.model);
        if (!turn.reasoning.isEmpty())
            out += QStringLiteral("<details><summary>%1</summary>\n\n%2\n\n</details>\n\n")
                       .arg(tr("Thinking"), turn.reasoning.trimmed());
        out += turn.text.trimmed() + QStringLiteral("\n\n");
        if (!turn.error.isEmpty())
            out += QStringLiteral("> ")
                   + tr("Error: %1")
                         .arg(turn.error)
                         .replace(QLatin1Char('\n'), QStringLiteral("\n> "))
                   + QStringLiteral("\n\n");
        if (turn.widget && !turn.widget->footer()->text().isEmpty())
            out += QStringLiteral("*") + turn.widget->footer()->text() + QStringLiteral("*\n\n");
    }
    return out;
}

QByteArray ChatPanel::conversationJson() const
{
    llm::Json doc = llm::Json::object();
    doc["format"] = "flowbench-chat";
    doc["version"] = 1;
    doc["mode"] = m_mode == Mode::Endpoint ? "endpoint" : "workflow";
    if (m_mode == Mode::Endpoint) {
        doc["profile"] = currentProfile().toStdString();
        doc["model"] = currentModel().toStdString();
        doc["system"] = systemPrompt().toStdString();
        llm::Json params = llm::Json::object();
        params["sampling"] = m_samplingCheck->isChecked();
        if (m_samplingCheck->isChecked()) {
            params["temperature"] = m_temperatureSpin->value();
            params["top_p"] = m_topPSpin->value();
        }
        params["max_tokens"] = maxTokens();
        params["enable_thinking"] = thinkingEnabled();
        if (thinkingEnabled())
            params["thinking_budget"] = thinkingBudget();
        doc["parameters"] = params;
    } else {
        doc["conversation_id"] = m_conversationId.toStdString();
    }
    llm::Json messages = llm::Json::array();
    for (const Turn &turn : m_turns) {
        llm::Json m = llm::Json::object();
        m["role"] = turn.user ? "user" : "assistant";
        m["content"] = turn.text.toStdString();
        if (turn.user) {
            if (turn.imageCount > 0)
                m["images"] = turn.imageCount;
            if (!turn.caption.isEmpty())
                m["attachments"] = turn.caption.toStdString();
        } else {
            if (!turn.model.isEmpty())
                m["model"] = turn.model.toStdString();
            if (!turn.reasoning.isEmpty())
                m["reasoning"] = turn.reasoning.toStdString();
            if (turn.usage.present)
                m["usage"] = turn.usage.toJson(turn.latencyMs, turn.ttftMs);
            if (turn.tokensPerSecond > 0)
                m["tokens_per_second"] = turn.tokensPerSecond;
            if (turn.cost) {
                m["cost"] = turn.cost->amount;
                m["currency"] = turn.cost->currency.toStdString();
            }
            if (!turn.finishReason.isEmpty())
                m["finish_reason"] = turn.finishReason.toStdString();
            if (turn.stopped)
                m["stopped"] = true;
            if (!turn.error.isEmpty())
                m["error"] = turn.error.toStdString();
            if (!turn.progress.isEmpty()) {
                llm::Json nodes = llm::Json::array();
                for (const QString &line : turn.progress)
                    nodes.push_back(line.toStdString());
                m["nodes"] = nodes;
            }
        }
        messages.push_back(m);
    }
    doc["messages"] = messages;
    return QByteArray::fromStdString(doc.dump(2));
}

namespace {

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(bytes);
    return file.commit();
}

} // namespace

bool ChatPanel::exportMarkdown()
{
    const QString title = tr("Export conversation as Markdown");
    const QString filter = tr("Markdown (*.md)");
    const QString name = QStringLiteral("chat.md");
    const QString path = m_saveDialog ? m_saveDialog(title, name, filter)
                                      : QFileDialog::getSaveFileName(this, title, name, filter);
    if (path.isEmpty())
        return false;
    if (!writeFile(path, conversationMarkdown().toUtf8())) {
        setNotice(tr("Cannot write %1").arg(path));
        return false;
    }
    return true;
}

bool ChatPanel::exportJson()
{
    const QString title = tr("Export conversation as JSON");
    const QString filter = tr("JSON (*.json)");
    const QString name = QStringLiteral("chat.json");
    const QString path = m_saveDialog ? m_saveDialog(title, name, filter)
                                      : QFileDialog::getSaveFileName(this, title, name, filter);
    if (path.isEmpty())
        return false;
    if (!writeFile(path, conversationJson())) {
        setNotice(tr("Cannot write %1").arg(path));
        return false;
    }
    return true;
}

// --- attachments ----------------------------------------------------------------------------

void ChatPanel::attachImages()
{
    const QString title = tr("Attach images");
    const QString filter = tr("Images (*.png *.jpg *.jpeg *.webp *.bmp *.gif *.tif *.tiff)");
    const QStringList paths = m_openDialog ? m_openDialog(title, filter)
                                           : QFileDialog::getOpenFileNames(this, title, {}, filter);
    for (const QString &path : paths)
        m_attachments->addImageFile(path);
}

void ChatPanel::attachVideo()
{
    const QString title = tr("Attach a video");
    const QString filter = tr("Videos (*.mp4 *.mov *.mkv *.webm *.avi *.m4v *.mpg *.ts)");
    QStringList paths;
    if (m_openDialog) {
        paths = m_openDialog(title, filter);
    } else {
        const QString path = QFileDialog::getOpenFileName(this, title, {}, filter);
        if (!path.isEmpty())
            paths << path;
    }
    if (!paths.isEmpty())
        m_attachments->setVideoFile(paths.first());
}

bool ChatPanel::addDroppedFile(const QString &path)
{
    if (isVideoFile(path)) {
        m_attachments->setVideoFile(path);
        return true;
    }
    if (isImageFile(path))
        return m_attachments->addImageFile(path);
    setNotice(tr("%1 is neither an image nor a video.").arg(QFileInfo(path).fileName()));
    return false;
}

bool ChatPanel::pasteFromClipboard()
{
    const QMimeData *mime = QGuiApplication::clipboard()->mimeData();
    if (!mime)
        return false;
    if (mime->hasImage()) {
        const QImage image = qvariant_cast<QImage>(mime->imageData());
        if (!image.isNull()) {
            m_attachments->addImage(image, tr("pasted image"));
            return true;
        }
    }
    bool any = false;
    if (mime->hasUrls())
        for (const QUrl &url : mime->urls())
            if (url.isLocalFile()
                && (isImageFile(url.toLocalFile()) || isVideoFile(url.toLocalFile())))
                any = addDroppedFile(url.toLocalFile()) || any;
    return any;
}

void ChatPanel::dragEnterEvent(QDragEnterEvent *event)
{
    const QMimeData *mime = event->mimeData();
    bool ok = mime->hasImage();
    if (mime->hasUrls())
        for (const QUrl &url : mime->urls())
            ok = ok
                 || (url.isLocalFile()
                     && (isImageFile(url.toLocalFile()) || isVideoFile(url.toLocalFile())));
    if (ok)
        event->acceptProposedAction();
}

void ChatPanel::dropEvent(QDropEvent *event)
{
    const QMimeData *mime = event->mimeData();
    if (mime->hasUrls()) {
        for (const QUrl &url : mime->urls())
            if (url.isLocalFile())
                addDroppedFile(url.toLocalFile());
    } else if (mime->hasImage()) {
        m_attachments->addImage(qvariant_cast<QImage>(mime->imageData()), tr("dropped image"));
    }
    event->acceptProposedAction();
}

bool ChatPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_input && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->matches(QKeySequence::Paste)) {
            const QMimeData *mime = QGuiApplication::clipboard()->mimeData();
            if (mime && (mime->hasImage() || mime->hasUrls()) && pasteFromClipboard())
                return true;
        }
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
            && !(key->modifiers() & Qt::ShiftModifier)) {
            if (!m_busy)
                send();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

// --- workflow mode --------------------------------------------------------------------------

void ChatPanel::appendWorkflowEvent(const runtime::RunEvent &event)
{
    if (m_mode != Mode::Workflow || !m_busy || m_turns.empty() || m_turns.back().user)
        return;
    Turn &turn = m_turns.back();
    using T = runtime::RunEvent::Type;
    const QString title = event.nodeTitle.isEmpty() ? event.nodeId : event.nodeTitle;
    auto setLine = [&turn](const QString &key, const QString &line) {
        const auto it = turn.progressIndex.constFind(key);
        if (it != turn.progressIndex.cend()) {
            turn.progress[*it] = line;
        } else {
            turn.progressIndex.insert(key, int(turn.progress.size()));
            turn.progress << line;
        }
    };
    const QString key = event.executionId.isEmpty() ? event.nodeId : event.executionId;
    switch (event.type) {
    case T::RunStarted:
        turn.progress.clear();
        turn.progressIndex.clear();
        break;
    case T::NodeStarted:
        if (!event.inIterationId.isEmpty() || !event.inLoopId.isEmpty())
            return;
        setLine(key, tr("▸ %1…").arg(title));
        break;
    case T::NodeSucceeded:
        if (!event.inIterationId.isEmpty() || !event.inLoopId.isEmpty())
            return;
        setLine(key, tr("✓ %1  %2 s").arg(title, seconds(event.elapsedMs)));
        if (event.usage.is_object()) {
            turn.promptTokensWf += event.usage.value("prompt_tokens", qint64(0));
            turn.completionTokensWf += event.usage.value("completion_tokens", qint64(0));
        }
        break;
    case T::NodeFailed:
    case T::NodeException:
        setLine(key, tr("✗ %1: %2").arg(title, event.error));
        break;
    case T::NodeStreamChunk:
        if (!event.chunk.isEmpty()) {
            turn.text += event.chunk;
            turn.widget->appendContent(event.chunk);
        }
        return;
    case T::RunSucceeded:
    case T::RunPartialSucceeded: {
        QString answer;
        if (event.outputs.is_object() && event.outputs.contains("answer")
            && event.outputs["answer"].is_string())
            answer = QString::fromStdString(event.outputs["answer"].get<std::string>());
        finishWorkflowTurn(answer, {});
        return;
    }
    case T::RunFailed:
        finishWorkflowTurn({}, event.error.isEmpty() ? tr("The run failed.") : event.error);
        return;
    case T::RunStopped:
        turn.stopped = true;
        finishWorkflowTurn({}, {});
        return;
    default:
        return;
    }
    turn.widget->setProgress(turn.progress);
}

void ChatPanel::finishWorkflowTurn(const QString &answer, const QString &error)
{
    if (m_mode != Mode::Workflow || !m_busy || m_turns.empty() || m_turns.back().user)
        return;
    Turn &turn = m_turns.back();
    if (turn.text.isEmpty() && !answer.isEmpty()) {
        turn.text = answer;
        turn.widget->setContent(answer, {});
    }
    turn.widget->finish();
    turn.latencyMs = QDateTime::currentMSecsSinceEpoch() - m_contentStartMs;
    if (!error.isEmpty()) {
        turn.error = error;
        turn.widget->setError(error);
    }
    turn.widget->setProgress(turn.progress);
    updateFooter(turn);
    endTurn();
}

} // namespace flowbench::panels

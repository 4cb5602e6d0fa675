#include "profileeditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace flowbench::panels {

using Json = nlohmann::json;
using llm::ConnectionCheck;
using llm::EndpointProfile;
using llm::ServerKind;

namespace {

constexpr int kEntryRole = Qt::UserRole + 1;

// Secondary text: readable, but quieter than the fields.
void mute(QLabel *label)
{
    QPalette p = label->palette();
    const QColor text = p.color(QPalette::WindowText);
    const QColor window = p.color(QPalette::Window);
    p.setColor(QPalette::WindowText, QColor((text.red() * 3 + window.red() * 2) / 5,
                                            (text.green() * 3 + window.green() * 2) / 5,
                                            (text.blue() * 3 + window.blue() * 2) / 5));
    label->setPalette(p);
}

QString defaultUrl(ServerKind kind)
{
    switch (kind) {
    case ServerKind::VLlm:
        return QStringLiteral("http://localhost:8000/v1");
    case ServerKind::LlamaCpp:
        return QStringLiteral("http://localhost:8080/v1");
    case ServerKind::Ollama:
        return QStringLiteral("http://localhost:11434/v1");
    case ServerKind::OpenAI:
        return QStringLiteral("https://api.openai.com/v1");
    case ServerKind::Simulator:
        return QStringLiteral("http://127.0.0.1:8765/v1");
    }
    return {};
}

QString sectionTitle(const QString &text)
{
    return QStringLiteral("<b>%1</b>").arg(text.toHtmlEscaped());
}

QLabel *makeSection(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(sectionTitle(text), parent);
    label->setTextFormat(Qt::RichText);
    label->setContentsMargins(0, 8, 0, 0);
    return label;
}

} // namespace

ProfileEditor::ProfileEditor(llm::ProfileStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
{
    setObjectName(QStringLiteral("settings.endpoints"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    layout->addWidget(splitter);

    // The list and its buttons.
    auto *left = new QWidget(splitter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 6, 0);
    m_list = new QListWidget(left);
    m_list->setObjectName(QStringLiteral("endpoint.list"));
    m_list->setMinimumWidth(160);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setTextElideMode(Qt::ElideRight);
    leftLayout->addWidget(m_list, 1);
    auto *listButtons = new QGridLayout;
    auto *add = new QPushButton(tr("Add"), left);
    add->setObjectName(QStringLiteral("endpoint.add"));
    m_duplicate = new QPushButton(tr("Duplicate"), left);
    m_duplicate->setObjectName(QStringLiteral("endpoint.duplicate"));
    m_remove = new QPushButton(tr("Remove"), left);
    m_remove->setObjectName(QStringLiteral("endpoint.remove"));
    m_setDefault = new QPushButton(tr("Set as Default"), left);
    m_setDefault->setObjectName(QStringLiteral("endpoint.setDefault"));
    m_setDefault->setToolTip(tr("Runs use the default profile unless a workflow names another"));
    listButtons->addWidget(add, 0, 0);
    listButtons->addWidget(m_duplicate, 0, 1);
    listButtons->addWidget(m_remove, 1, 0);
    listButtons->addWidget(m_setDefault, 1, 1);
    leftLayout->addLayout(listButtons);
    splitter->addWidget(left);

    // The editor.
    auto *scroll = new QScrollArea(splitter);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_form = new QWidget(scroll);
    auto *formLayout = new QVBoxLayout(m_form);
    formLayout->setContentsMargins(6, 0, 6, 0);
    m_builtInNote = new QLabel(
        tr("The built-in simulator answers offline, on this computer. It cannot be changed; "
           "duplicate it to make a variant."),
        m_form);
    m_builtInNote->setObjectName(QStringLiteral("endpoint.builtInNote"));
    m_builtInNote->setWordWrap(true);
    m_builtInNote->setStyleSheet(
        QStringLiteral("background: palette(alternate-base); border-radius: 4px; padding: 6px;"));
    formLayout->addWidget(m_builtInNote);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    formLayout->addLayout(form);
    m_name = new QLineEdit(m_form);
    m_name->setObjectName(QStringLiteral("endpoint.name"));
    form->addRow(tr("Name"), m_name);
    m_kind = new QComboBox(m_form);
    m_kind->setObjectName(QStringLiteral("endpoint.kind"));
    m_kind->addItem(tr("vLLM"), llm::serverKindName(ServerKind::VLlm));
    m_kind->addItem(tr("llama.cpp (llama-server)"), llm::serverKindName(ServerKind::LlamaCpp));
    m_kind->addItem(tr("Ollama"), llm::serverKindName(ServerKind::Ollama));
    m_kind->addItem(tr("OpenAI-compatible API"), llm::serverKindName(ServerKind::OpenAI));
    m_kind->addItem(tr("Simulator"), llm::serverKindName(ServerKind::Simulator));
    form->addRow(tr("Server"), m_kind);
    m_baseUrl = new QLineEdit(m_form);
    m_baseUrl->setObjectName(QStringLiteral("endpoint.baseUrl"));
    m_baseUrl->setPlaceholderText(QStringLiteral("http://localhost:8000/v1"));
    form->addRow(tr("Base URL"), m_baseUrl);

    auto *keyRow = new QHBoxLayout;
    m_apiKey = new QLineEdit(m_form);
    m_apiKey->setObjectName(QStringLiteral("endpoint.apiKey"));
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_apiKey->setClearButtonEnabled(true);
    keyRow->addWidget(m_apiKey, 1);
    m_forgetKey = new QPushButton(tr("Forget"), m_form);
    m_forgetKey->setObjectName(QStringLiteral("endpoint.forgetKey"));
    m_forgetKey->setToolTip(tr("Remove the stored key from the keychain"));
    keyRow->addWidget(m_forgetKey);
    form->addRow(tr("API key"), keyRow);
    m_apiKeyEnv = new QLineEdit(m_form);
    m_apiKeyEnv->setObjectName(QStringLiteral("endpoint.apiKeyEnv"));
    m_apiKeyEnv->setPlaceholderText(tr("e.g. OPENAI_API_KEY (read before the keychain)"));
    form->addRow(tr("Key variable"), m_apiKeyEnv);
    m_keyInFile = new QCheckBox(tr("Without a keychain, keep it in a private file"), m_form);
    m_keyInFile->setToolTip(tr("Used only when the system keychain cannot store the key: the key "
                               "then goes to a file only you can read"));
    m_keyInFile->setObjectName(QStringLiteral("endpoint.keyInFile"));
    form->addRow(QString(), m_keyInFile);
    m_model = new QComboBox(m_form);
    m_model->setObjectName(QStringLiteral("endpoint.model"));
    m_model->setEditable(true);
    m_model->setInsertPolicy(QComboBox::NoInsert);
    m_model->lineEdit()->setPlaceholderText(tr("The served model name"));
    form->addRow(tr("Default model"), m_model);

    m_test = new QPushButton(tr("Test Connection"), m_form);
    m_test->setObjectName(QStringLiteral("endpoint.test"));
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addStretch(1);
    form->addRow(QString(), testRow);
    m_testResult = new QLabel(m_form);
    m_testResult->setObjectName(QStringLiteral("endpoint.testResult"));
    m_testResult->setTextFormat(Qt::RichText);
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(QString(), m_testResult);

    formLayout->addWidget(makeSection(tr("Model mapping"), m_form));
    auto *mappingHint = new QLabel(
        tr("Model names used in workflows (\"provider/name\" or \"name\") and the model this "
           "server serves instead."),
        m_form);
    mappingHint->setWordWrap(true);
    mute(mappingHint);
    formLayout->addWidget(mappingHint);
    m_mapping = new QTableWidget(0, 2, m_form);
    m_mapping->setObjectName(QStringLiteral("endpoint.mapping"));
    m_mapping->setHorizontalHeaderLabels({tr("Workflow model"), tr("Served model")});
    m_mapping->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_mapping->verticalHeader()->hide();
    m_mapping->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_mapping->setMinimumHeight(84);
    m_mapping->setMaximumHeight(110);
    formLayout->addWidget(m_mapping);
    auto *mappingButtons = new QHBoxLayout;
    auto *addMapping = new QPushButton(tr("Add Mapping"), m_form);
    addMapping->setObjectName(QStringLiteral("endpoint.mapping.add"));
    auto *removeMapping = new QPushButton(tr("Remove Mapping"), m_form);
    removeMapping->setObjectName(QStringLiteral("endpoint.mapping.remove"));
    mappingButtons->addWidget(addMapping);
    mappingButtons->addWidget(removeMapping);
    mappingButtons->addStretch(1);
    formLayout->addLayout(mappingButtons);

    formLayout->addWidget(makeSection(tr("Default parameters"), m_form));
    m_parameters = new QPlainTextEdit(m_form);
    m_parameters->setObjectName(QStringLiteral("endpoint.parameters"));
    m_parameters->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_parameters->setPlaceholderText(
        QStringLiteral("{\"temperature\": 0.7, \"top_p\": 0.9, \"max_tokens\": 512}"));
    m_parameters->setTabChangesFocus(true);
    m_parameters->setFixedHeight(m_parameters->fontMetrics().lineSpacing() * 4 + 14);
    formLayout->addWidget(m_parameters);
    m_parametersError = new QLabel(m_form);
    m_parametersError->setObjectName(QStringLiteral("endpoint.parametersError"));
    m_parametersError->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_parametersError->hide();
    formLayout->addWidget(m_parametersError);

    formLayout->addWidget(makeSection(tr("Limits"), m_form));
    auto *limits = new QFormLayout;
    limits->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_maxImages = new QSpinBox(m_form);
    m_maxImages->setObjectName(QStringLiteral("endpoint.maxImages"));
    m_maxImages->setRange(0, 1000);
    m_maxImages->setSpecialValueText(tr("No limit"));
    limits->addRow(tr("Images per prompt"), m_maxImages);
    m_maxPixels = new QSpinBox(m_form);
    m_maxPixels->setObjectName(QStringLiteral("endpoint.maxPixels"));
    m_maxPixels->setRange(0, 100'000'000);
    m_maxPixels->setSingleStep(65'536);
    m_maxPixels->setGroupSeparatorShown(true);
    m_maxPixels->setSpecialValueText(tr("No limit"));
    m_maxPixels->setToolTip(tr("Larger images are scaled down to this many pixels"));
    limits->addRow(tr("Pixels per image"), m_maxPixels);
    formLayout->addLayout(limits);
    formLayout->addStretch(1);
    scroll->setWidget(m_form);
    splitter->addWidget(scroll);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({190, 600});

    // Entries from the store.
    if (m_store) {
        for (const EndpointProfile &p : m_store->profiles()) {
            Entry e;
            e.profile = p;
            e.originalName = p.builtIn ? QString() : p.name;
            e.parametersText = p.defaultParameters.is_object() && !p.defaultParameters.empty()
                                   ? QString::fromStdString(p.defaultParameters.dump(2))
                                   : QString();
            m_entries << e;
        }
        m_default = m_store->selectedProfileName();
    }
    if (m_entries.isEmpty() || !m_entries.first().profile.builtIn) {
        Entry builtIn;
        builtIn.profile = llm::ProfileStore::defaultProfile();
        m_entries.prepend(builtIn);
    }
    if (m_default.isEmpty())
        m_default = llm::ProfileStore::defaultProfileName();

    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (m_loading)
            return;
        commitForm();
        loadForm(row);
    });
    connect(add, &QPushButton::clicked, this, &ProfileEditor::addProfile);
    connect(m_duplicate, &QPushButton::clicked, this, &ProfileEditor::duplicateProfile);
    connect(m_remove, &QPushButton::clicked, this, &ProfileEditor::removeProfile);
    connect(m_setDefault, &QPushButton::clicked, this, &ProfileEditor::setAsDefault);
    connect(m_test, &QPushButton::clicked, this, &ProfileEditor::testConnection);
    connect(addMapping, &QPushButton::clicked, this, [this] {
        const int row = m_mapping->rowCount();
        m_mapping->insertRow(row);
        m_mapping->setItem(row, 0, new QTableWidgetItem);
        m_mapping->setItem(row, 1, new QTableWidgetItem);
        m_mapping->editItem(m_mapping->item(row, 0));
        setModified();
    });
    connect(removeMapping, &QPushButton::clicked, this, [this] {
        if (m_mapping->currentRow() >= 0) {
            m_mapping->removeRow(m_mapping->currentRow());
            setModified();
        }
    });
    connect(m_forgetKey, &QPushButton::clicked, this, [this] {
        if (Entry *e = current()) {
            e->forgetKey = true;
            e->pendingKey.clear();
            m_apiKey->clear();
            m_apiKey->setPlaceholderText(tr("Will be forgotten when you apply"));
            m_forgetKey->setEnabled(false);
            setModified();
        }
    });
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        if (m_loading)
            return;
        // A fresh profile follows the server kind's usual address.
        const auto kind = llm::serverKindFromName(m_kind->currentData().toString());
        bool usual = m_baseUrl->text().trimmed().isEmpty();
        for (const ServerKind k : {ServerKind::VLlm, ServerKind::LlamaCpp, ServerKind::Ollama,
                                   ServerKind::OpenAI, ServerKind::Simulator})
            usual = usual || m_baseUrl->text().trimmed() == defaultUrl(k);
        if (kind && usual)
            m_baseUrl->setText(defaultUrl(*kind));
        setModified();
    });
    for (QLineEdit *edit : {m_name, m_baseUrl, m_apiKey, m_apiKeyEnv}) {
        connect(edit, &QLineEdit::textEdited, this, [this] { setModified(); });
    }
    connect(m_name, &QLineEdit::textChanged, this, [this](const QString &text) {
        // The list follows the name as it is typed.
        if (m_loading || m_current < 0 || m_current >= m_entries.size())
            return;
        if (QListWidgetItem *item = m_list->item(m_current)) {
            const bool isDefault = m_entries.at(m_current).profile.name == m_default;
            if (isDefault)
                m_default = text.trimmed();
            m_entries[m_current].profile.name = text.trimmed();
            const QString shown = text.trimmed().isEmpty() ? tr("(unnamed)") : text.trimmed();
            item->setText(isDefault ? QStringLiteral("★ ") + shown : shown);
        }
    });
    connect(m_model, &QComboBox::editTextChanged, this, [this] { setModified(); });
    connect(m_keyInFile, &QCheckBox::toggled, this, [this] { setModified(); });
    connect(m_parameters, &QPlainTextEdit::textChanged, this, [this] { setModified(); });
    connect(m_mapping, &QTableWidget::itemChanged, this, [this] { setModified(); });
    connect(m_maxImages, &QSpinBox::valueChanged, this, [this] { setModified(); });
    connect(m_maxPixels, &QSpinBox::valueChanged, this, [this] { setModified(); });

    rebuildList();
    int selected = 0;
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).profile.name == m_default)
            selected = i;
    }
    m_list->setCurrentRow(selected);
    m_modified = false;
}

ProfileEditor::~ProfileEditor() = default;

ProfileEditor::Entry *ProfileEditor::current()
{
    return m_current >= 0 && m_current < m_entries.size() ? &m_entries[m_current] : nullptr;
}

QStringList ProfileEditor::profileNames() const
{
    QStringList names;
    for (const Entry &e : m_entries)
        names << e.profile.name;
    return names;
}

EndpointProfile ProfileEditor::currentProfile()
{
    commitForm();
    const Entry *e = current();
    return e ? e->profile : EndpointProfile();
}

void ProfileEditor::selectProfile(const QString &name)
{
    const int index = int(profileNames().indexOf(name));
    if (index >= 0)
        m_list->setCurrentRow(index);
}

void ProfileEditor::setModified()
{
    if (m_loading)
        return;
    if (!m_modified) {
        m_modified = true;
        Q_EMIT modifiedChanged(true);
    }
}

void ProfileEditor::rebuildList()
{
    m_loading = true;
    const int row = m_current;
    m_list->clear();
    for (int i = 0; i < m_entries.size(); ++i) {
        const Entry &e = m_entries.at(i);
        const bool isDefault = e.profile.name == m_default;
        QString text = e.profile.name.isEmpty() ? tr("(unnamed)") : e.profile.name;
        if (isDefault)
            text = QStringLiteral("★ ") + text;
        auto *item = new QListWidgetItem(text, m_list);
        item->setData(kEntryRole, i);
        QString tip = e.profile.baseUrl.toString();
        if (isDefault)
            tip += QLatin1Char('\n') + tr("Default profile: runs use it unless told otherwise");
        item->setToolTip(tip);
        if (isDefault) {
            QFont bold = item->font();
            bold.setBold(true);
            item->setFont(bold);
        }
        if (e.profile.builtIn) {
            QFont italic = item->font();
            italic.setItalic(true);
            item->setFont(italic);
            item->setToolTip(tip + QLatin1Char('\n') + tr("Built in; duplicate it to change it"));
        }
    }
    m_list->setCurrentRow(row);
    m_loading = false;
}

void ProfileEditor::loadForm(int index)
{
    m_loading = true;
    m_current = index;
    const Entry *e = current();
    const bool editable = e && !e->profile.builtIn;
    m_builtInNote->setVisible(e && e->profile.builtIn);
    for (QWidget *w : std::initializer_list<QWidget *>{m_name, m_kind, m_baseUrl, m_apiKey,
                                                       m_apiKeyEnv, m_keyInFile, m_model, m_mapping,
                                                       m_parameters, m_maxImages, m_maxPixels})
        w->setEnabled(editable);
    for (auto *button : findChildren<QPushButton *>()) {
        if (button->objectName().startsWith(QLatin1String("endpoint.mapping.")))
            button->setEnabled(editable);
    }
    m_duplicate->setEnabled(e != nullptr);
    m_remove->setEnabled(editable);
    m_setDefault->setEnabled(e && e->profile.name != m_default);
    m_test->setEnabled(e != nullptr);
    m_testResult->clear();
    m_checkState = ConnectionCheck::State::Idle;
    if (m_check)
        m_check->cancel();
    if (!e) {
        m_loading = false;
        return;
    }
    const EndpointProfile &p = e->profile;
    m_name->setText(p.name);
    m_kind->setCurrentIndex(qMax(0, m_kind->findData(llm::serverKindName(p.kind))));
    m_baseUrl->setText(p.baseUrl.toString());
    m_apiKey->setText(e->pendingKey);
    m_apiKeyEnv->setText(p.apiKeyEnv);
    m_keyInFile->setChecked(p.apiKeyInFile);
    m_model->clear();
    m_model->setEditText(p.defaultModel);
    m_mapping->setRowCount(0);
    QStringList keys = p.modelMapping.keys();
    keys.sort();
    for (const QString &key : std::as_const(keys)) {
        const int row = m_mapping->rowCount();
        m_mapping->insertRow(row);
        m_mapping->setItem(row, 0, new QTableWidgetItem(key));
        m_mapping->setItem(row, 1, new QTableWidgetItem(p.modelMapping.value(key)));
    }
    m_parameters->setPlainText(e->parametersText);
    m_parametersError->hide();
    m_maxImages->setValue(p.maxImagesPerPrompt);
    m_maxPixels->setValue(p.maxPixels);
    m_loading = false;
    updateKeyState();
}

void ProfileEditor::commitForm()
{
    Entry *e = current();
    if (!e || e->profile.builtIn)
        return;
    EndpointProfile &p = e->profile;
    p.name = m_name->text().trimmed();
    if (const auto kind = llm::serverKindFromName(m_kind->currentData().toString()))
        p.kind = *kind;
    p.baseUrl = QUrl(m_baseUrl->text().trimmed());
    if (!m_apiKey->text().isEmpty()) {
        e->pendingKey = m_apiKey->text();
        e->forgetKey = false;
    }
    p.apiKeyEnv = m_apiKeyEnv->text().trimmed();
    p.apiKeyInFile = m_keyInFile->isChecked();
    p.defaultModel = m_model->currentText().trimmed();
    p.modelMapping.clear();
    for (int row = 0; row < m_mapping->rowCount(); ++row) {
        const QTableWidgetItem *from = m_mapping->item(row, 0);
        const QTableWidgetItem *to = m_mapping->item(row, 1);
        const QString a = from ? from->text().trimmed() : QString();
        const QString b = to ? to->text().trimmed() : QString();
        if (!a.isEmpty() && !b.isEmpty())
            p.modelMapping.insert(a, b);
    }
    e->parametersText = m_parameters->toPlainText();
    const std::string text = e->parametersText.trimmed().toStdString();
    Json params = text.empty() ? Json::object() : Json::parse(text, nullptr, false);
    if (params.is_object()) {
        p.defaultParameters = params;
        m_parametersError->hide();
    } else {
        m_parametersError->setText(tr("Enter a JSON object, such as {\"temperature\": 0.7}."));
        m_parametersError->show();
    }
    p.maxImagesPerPrompt = m_maxImages->value();
    p.maxPixels = m_maxPixels->value();
}

void ProfileEditor::updateKeyState()
{
    const Entry *e = current();
    const int generation = ++m_keyQuery;
    if (!e || e->profile.builtIn) {
        m_apiKey->setPlaceholderText(e ? tr("Not needed") : QString());
        m_forgetKey->setEnabled(false);
        return;
    }
    m_forgetKey->setEnabled(false);
    if (e->forgetKey) {
        m_apiKey->setPlaceholderText(tr("Will be forgotten when you apply"));
        return;
    }
    if (!e->profile.apiKeyEnv.isEmpty()
        && qEnvironmentVariableIsSet(qPrintable(e->profile.apiKeyEnv))) {
        m_apiKey->setPlaceholderText(tr("•••• from $%1").arg(e->profile.apiKeyEnv));
        return;
    }
    m_apiKey->setPlaceholderText(tr("Optional for local servers"));
    if (e->originalName.isEmpty() || !m_store)
        return;
    QPointer<ProfileEditor> self(this);
    const QString name = e->originalName;
    m_store->loadApiKey(name, [self, generation, name](Result<QString> key) {
        if (!self || generation != self->m_keyQuery || !key)
            return;
        const bool inFile = self->m_store && QFileInfo::exists(self->m_store->keyFilePath(name));
        self->m_apiKey->setPlaceholderText(
            inFile ? tr("•••• stored in a private file — type to replace")
                   : tr("•••• stored in keychain — type to replace"));
        self->m_forgetKey->setEnabled(self->m_apiKey->isEnabled());
    });
}

QString ProfileEditor::uniqueName(const QString &base) const
{
    const QStringList names = profileNames();
    if (!names.contains(base))
        return base;
    for (int i = 2;; ++i) {
        const QString candidate = QStringLiteral("%1 %2").arg(base).arg(i);
        if (!names.contains(candidate))
            return candidate;
    }
}

void ProfileEditor::addProfile()
{
    commitForm();
    Entry e;
    e.profile.name = uniqueName(tr("New endpoint"));
    e.profile.kind = ServerKind::VLlm;
    e.profile.baseUrl = QUrl(defaultUrl(ServerKind::VLlm));
    m_entries << e;
    m_current = int(m_entries.size()) - 1;
    rebuildList();
    loadForm(m_current);
    m_name->setFocus();
    m_name->selectAll();
    setModified();
}

void ProfileEditor::duplicateProfile()
{
    commitForm();
    const Entry *source = current();
    if (!source)
        return;
    Entry e;
    e.profile = source->profile;
    e.profile.builtIn = false;
    e.profile.name = uniqueName(tr("%1 copy").arg(source->profile.name));
    e.parametersText = source->parametersText;
    m_entries << e;
    m_current = int(m_entries.size()) - 1;
    rebuildList();
    loadForm(m_current);
    setModified();
}

void ProfileEditor::removeProfile()
{
    const Entry *e = current();
    if (!e || e->profile.builtIn)
        return;
    if (!e->originalName.isEmpty())
        m_removed << e->originalName;
    if (e->profile.name == m_default)
        m_default = llm::ProfileStore::defaultProfileName();
    const int index = m_current;
    m_entries.removeAt(index);
    m_current = qMin(index, int(m_entries.size()) - 1);
    rebuildList();
    loadForm(m_current);
    setModified();
}

void ProfileEditor::setAsDefault()
{
    commitForm();
    if (const Entry *e = current()) {
        m_default = e->profile.name;
        rebuildList();
        m_setDefault->setEnabled(false);
        setModified();
    }
}

bool ProfileEditor::apply(QString *error)
{
    commitForm();
    const auto fail = [&](int index, const QString &message) {
        if (error)
            *error = message;
        if (index >= 0)
            m_list->setCurrentRow(index);
        return false;
    };
    if (!m_store)
        return fail(-1, tr("There is no profile store."));
    // Check everything first, so a refused profile leaves the store as it was.
    QStringList seen;
    for (int i = 1; i < m_entries.size(); ++i) {
        const Entry &e = m_entries.at(i);
        if (seen.contains(e.profile.name)
            || e.profile.name == llm::ProfileStore::defaultProfileName())
            return fail(i, tr("There are two profiles named “%1”.").arg(e.profile.name));
        seen << e.profile.name;
        const std::string text = e.parametersText.trimmed().toStdString();
        const Json params = text.empty() ? Json::object() : Json::parse(text, nullptr, false);
        if (!params.is_object())
            return fail(
                i, tr("The default parameters of “%1” are not a JSON object.").arg(e.profile.name));
        auto checked = EndpointProfile::fromJson(e.profile.toJson());
        if (!checked)
            return fail(i, tr("Profile “%1”: %2").arg(e.profile.name, checked.error().message));
    }
    for (const QString &name : std::as_const(m_removed)) {
        if (m_store->profile(name)) {
            if (auto removed = m_store->removeProfile(name); !removed)
                return fail(-1, removed.error().message);
        }
    }
    m_removed.clear();
    QPointer<ProfileEditor> self(this);
    for (int i = 1; i < m_entries.size(); ++i) {
        Entry &e = m_entries[i];
        if (!e.originalName.isEmpty() && e.originalName != e.profile.name) {
            // Renamed: the key stays with the old name unless typed again.
            if (auto removed = m_store->removeProfile(e.originalName); !removed)
                return fail(i, removed.error().message);
            e.originalName.clear();
        }
        const Result<void> written = e.originalName.isEmpty() ? m_store->addProfile(e.profile)
                                                              : m_store->updateProfile(e.profile);
        if (!written)
            return fail(i, tr("Profile “%1”: %2").arg(e.profile.name, written.error().message));
        e.originalName = e.profile.name;
        const QString name = e.profile.name;
        if (e.forgetKey) {
            e.forgetKey = false;
            m_store->deleteApiKey(name, [self, name](Result<void> done) {
                if (self)
                    Q_EMIT self->keyStored(name, bool(done),
                                           done ? QString() : done.error().message);
            });
        }
        if (!e.pendingKey.isEmpty()) {
            const QString key = e.pendingKey;
            e.pendingKey.clear();
            m_store->storeApiKey(name, key, [self, name](Result<llm::KeySource> stored) {
                if (!self)
                    return;
                Q_EMIT self->keyStored(name, bool(stored),
                                       stored ? QString() : stored.error().message);
                if (self->current() && self->current()->profile.name == name)
                    self->updateKeyState();
            });
        }
    }
    if (m_store->selectedProfileName() != m_default) {
        if (auto selected = m_store->setSelectedProfileName(m_default); !selected)
            return fail(-1, selected.error().message);
    }
    m_apiKey->clear();
    updateKeyState();
    m_modified = false;
    Q_EMIT modifiedChanged(false);
    return true;
}

void ProfileEditor::testConnection()
{
    commitForm();
    const Entry *e = current();
    if (!e)
        return;
    const EndpointProfile profile = e->profile;
    if (!profile.baseUrl.isValid() || profile.baseUrl.scheme().isEmpty()) {
        showCheck(ConnectionCheck::State::Error,
                  tr("Enter a base URL such as %1.").arg(defaultUrl(profile.kind)));
        return;
    }
    if (!m_check) {
        m_check = new ConnectionCheck(nullptr, this);
        connect(
            m_check, &ConnectionCheck::finished, this,
            [this](ConnectionCheck::State state, const QString &detail, const QStringList &models) {
                QString text;
                switch (state) {
                case ConnectionCheck::State::Connected: {
                    const QString want = m_model->currentText().trimmed();
                    const QString model
                        = models.contains(want) || models.isEmpty() ? want : models.first();
                    text = m_check->maxModelLen() > 0
                               ? tr("Connected · %1 · max_model_len %2")
                                     .arg(model.toHtmlEscaped())
                                     .arg(m_check->maxModelLen())
                               : tr("Connected · %1").arg(model.toHtmlEscaped());
                    const QString typed = m_model->currentText();
                    m_loading = true;
                    m_model->clear();
                    m_model->addItems(models);
                    m_model->setEditText(typed);
                    m_loading = false;
                    break;
                }
                case ConnectionCheck::State::ModelMissing:
                    text = tr("Model “%1” is not served here. Available: %2")
                               .arg(m_model->currentText().toHtmlEscaped(),
                                    models.join(QStringLiteral(", ")).toHtmlEscaped());
                    break;
                case ConnectionCheck::State::Unauthorized:
                    text = tr("Unauthorized: check the API key");
                    break;
                case ConnectionCheck::State::Loading:
                    text = tr("Loading: the server is still loading the model");
                    break;
                case ConnectionCheck::State::Unreachable:
                    text = tr("Unreachable: %1").arg(detail.toHtmlEscaped());
                    break;
                default:
                    text = tr("Error: %1").arg(detail.toHtmlEscaped());
                    break;
                }
                showCheck(state, text);
            });
    }
    showCheck(ConnectionCheck::State::Checking, tr("Checking…"));
    QPointer<ProfileEditor> self(this);
    const auto start = [self, profile](const QString &key) {
        if (self && self->m_check)
            self->m_check->start(profile, key);
    };
    if (!e->pendingKey.isEmpty() || e->originalName.isEmpty() || !m_store) {
        start(e->pendingKey);
        return;
    }
    m_store->loadApiKey(e->originalName,
                        [start](Result<QString> key) { start(key ? *key : QString()); });
}

void ProfileEditor::showCheck(ConnectionCheck::State state, const QString &text)
{
    m_checkState = state;
    QString colour = QStringLiteral("#8a8f98");
    switch (state) {
    case ConnectionCheck::State::Connected:
        colour = QStringLiteral("#2ea043");
        break;
    case ConnectionCheck::State::Loading:
    case ConnectionCheck::State::ModelMissing:
        colour = QStringLiteral("#e08e0b");
        break;
    case ConnectionCheck::State::Unreachable:
    case ConnectionCheck::State::Unauthorized:
    case ConnectionCheck::State::Error:
        colour = QStringLiteral("#d93f3f");
        break;
    default:
        break;
    }
    m_testResult->setText(QStringLiteral("<span style=\"color:%1\">●</span> %2").arg(colour, text));
    m_testResult->setProperty("state", ConnectionCheck::stateName(state));
    Q_EMIT connectionChecked(state, text);
}

} // namespace flowbench::panels

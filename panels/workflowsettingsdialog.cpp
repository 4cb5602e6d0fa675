#include "workflowsettingsdialog.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QUuid>
#include <QVBoxLayout>

#include <exception>
#include <functional>

#include "codeeditor.h"

namespace flowbench::panels {

using document::Json;

namespace {

constexpr int kOriginalRole = Qt::UserRole + 1; // index into the document's list, -1 for new

QString qs(const Json &value)
{
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    if (value.is_null())
        return {};
    return QString::fromStdString(value.dump());
}

std::string ss(const QString &text)
{
    return text.toStdString();
}

QLineEdit *cellEdit(QTableWidget *table, int row, int column)
{
    return qobject_cast<QLineEdit *>(table->cellWidget(row, column));
}

QComboBox *cellCombo(QTableWidget *table, int row, int column)
{
    return qobject_cast<QComboBox *>(table->cellWidget(row, column));
}

QString cellText(QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item ? item->text().trimmed() : QString();
}

QWidget *tableWithButtons(QTableWidget *table, const QString &objectName,
                          const std::function<void()> &add, QWidget *parent)
{
    auto *page = new QWidget(parent);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(table, 1);
    auto *buttons = new QHBoxLayout;
    auto *addButton = new QPushButton(
        QCoreApplication::translate("flowbench::panels::WorkflowSettingsDialog", "Add"), page);
    addButton->setObjectName(objectName + QStringLiteral(".add"));
    auto *removeButton = new QPushButton(
        QCoreApplication::translate("flowbench::panels::WorkflowSettingsDialog", "Remove"), page);
    removeButton->setObjectName(objectName + QStringLiteral(".remove"));
    buttons->addWidget(addButton);
    buttons->addWidget(removeButton);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    QObject::connect(addButton, &QPushButton::clicked, page, add);
    QObject::connect(removeButton, &QPushButton::clicked, table, [table] {
        const int row = table->currentRow();
        if (row >= 0)
            table->removeRow(row);
    });
    return page;
}

} // namespace

WorkflowSettingsDialog::WorkflowSettingsDialog(document::WorkflowDocument *document,
                                               document::EditSink *sink, QWidget *parent)
    : QDialog(parent)
    , m_document(document)
    , m_sink(sink)
{
    setObjectName(QStringLiteral("dialog.workflowSettings"));
    setWindowTitle(tr("Workflow Settings"));
    resize(640, 460);
    auto *layout = new QVBoxLayout(this);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("settings.tabs"));
    layout->addWidget(m_tabs, 1);

    // General.
    auto *general = new QWidget(m_tabs);
    auto *form = new QFormLayout(general);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_name = new QLineEdit(general);
    m_name->setObjectName(QStringLiteral("settings.name"));
    form->addRow(tr("Name"), m_name);
    m_mode = new QLabel(general);
    m_mode->setObjectName(QStringLiteral("settings.mode"));
    m_mode->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Mode"), m_mode);
    m_descriptionEdit = new QPlainTextEdit(general);
    m_descriptionEdit->setObjectName(QStringLiteral("settings.description"));
    m_descriptionEdit->setTabChangesFocus(true);
    form->addRow(tr("Description"), m_descriptionEdit);
    m_tabs->addTab(general, tr("General"));

    // Environment variables.
    m_env = new QTableWidget(0, EnvColumnCount, this);
    m_env->setObjectName(QStringLiteral("settings.env"));
    m_env->setHorizontalHeaderLabels({tr("Name"), tr("Type"), tr("Value"), QString()});
    m_env->horizontalHeader()->setSectionResizeMode(EnvName, QHeaderView::Interactive);
    m_env->horizontalHeader()->setSectionResizeMode(EnvValue, QHeaderView::Stretch);
    m_env->horizontalHeader()->setSectionResizeMode(EnvReveal, QHeaderView::ResizeToContents);
    m_env->setColumnWidth(EnvName, 170);
    m_env->setColumnWidth(EnvType, 100);
    m_env->verticalHeader()->hide();
    m_env->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_env->setSelectionMode(QAbstractItemView::SingleSelection);
    auto *envPage = tableWithButtons(
        m_env, QStringLiteral("settings.env"), [this] { addEnvironmentRow(); }, m_tabs);
    auto *envHint = new QLabel(tr("Read in the workflow as {{#env.NAME#}}. Secret values are "
                                  "masked and left out of deployment exports."),
                               envPage);
    envHint->setWordWrap(true);
    envPage->layout()->addWidget(envHint);
    m_tabs->addTab(envPage, tr("Environment"));

    // Conversation variables.
    m_conversation = new QTableWidget(0, ConvColumnCount, this);
    m_conversation->setObjectName(QStringLiteral("settings.conversation"));
    m_conversation->setHorizontalHeaderLabels(
        {tr("Name"), tr("Type"), tr("Default value"), tr("Description")});
    m_conversation->horizontalHeader()->setSectionResizeMode(ConvDescription, QHeaderView::Stretch);
    m_conversation->setColumnWidth(ConvName, 150);
    m_conversation->setColumnWidth(ConvType, 120);
    m_conversation->setColumnWidth(ConvValue, 150);
    m_conversation->verticalHeader()->hide();
    m_conversation->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_conversation->setSelectionMode(QAbstractItemView::SingleSelection);
    auto *convPage = tableWithButtons(
        m_conversation, QStringLiteral("settings.conversation"), [this] { addConversationRow(); },
        m_tabs);
    const bool chat = m_document->workflow().mode() == document::AppMode::AdvancedChat;
    auto *convHint = new QLabel(chat ? tr("Kept per conversation; read as "
                                          "{{#conversation.NAME#}}, written by Variable Assigner "
                                          "nodes.")
                                     : tr("Conversation variables exist in chatflows only."),
                                convPage);
    convHint->setWordWrap(true);
    convPage->layout()->addWidget(convHint);
    const int convTab = m_tabs->addTab(convPage, tr("Conversation"));
    m_tabs->setTabEnabled(convTab, chat || !m_document->workflow().conversationVariables.empty());

    // Features.
    auto *features = new QWidget(m_tabs);
    auto *featureForm = new QFormLayout(features);
    featureForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_opening = new QPlainTextEdit(features);
    m_opening->setObjectName(QStringLiteral("settings.opening"));
    m_opening->setTabChangesFocus(true);
    m_opening->setFixedHeight(60);
    featureForm->addRow(tr("Opening statement"), m_opening);
    m_questions = new QPlainTextEdit(features);
    m_questions->setObjectName(QStringLiteral("settings.questions"));
    m_questions->setTabChangesFocus(true);
    m_questions->setFixedHeight(60);
    m_questions->setPlaceholderText(tr("One question per line"));
    featureForm->addRow(tr("Suggested questions"), m_questions);
    m_features = new CodeEditor(CodeEditor::Language::Json, features);
    m_features->setObjectName(QStringLiteral("settings.features"));
    featureForm->addRow(tr("Other features"), m_features);
    m_tabs->addTab(features, tr("Features"));

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("settings.error"));
    m_error->setStyleSheet(QStringLiteral("color: #d64545;"));
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &WorkflowSettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &WorkflowSettingsDialog::reject);

    load();
}

void WorkflowSettingsDialog::load()
{
    const document::Workflow &wf = m_document->workflow();
    m_name->setText(wf.name());
    switch (wf.mode()) {
    case document::AppMode::AdvancedChat:
        m_mode->setText(tr("Chatflow (advanced-chat)"));
        break;
    case document::AppMode::Workflow:
        m_mode->setText(tr("Workflow (workflow)"));
        break;
    case document::AppMode::Other:
        m_mode->setText(wf.modeString());
        break;
    }
    m_descriptionEdit->setPlainText(wf.description());
    for (std::size_t i = 0; i < wf.environmentVariables.size(); ++i) {
        const document::Variable &v = wf.environmentVariables[i];
        const int row = addEnvironmentRow(v.name, v.valueType, qs(v.value()));
        m_env->item(row, EnvName)->setData(kOriginalRole, int(i));
    }
    for (std::size_t i = 0; i < wf.conversationVariables.size(); ++i) {
        const document::Variable &v = wf.conversationVariables[i];
        const int row = addConversationRow(v.name, v.valueType, qs(v.value()),
                                           qs(v.raw.value("description", Json())));
        m_conversation->item(row, ConvName)->setData(kOriginalRole, int(i));
    }
    const Json &features = wf.features();
    Json rest = features.is_object() ? features : Json::object();
    if (rest.contains("opening_statement")) {
        m_opening->setPlainText(qs(rest["opening_statement"]));
        rest.erase("opening_statement");
    }
    if (rest.contains("suggested_questions")) {
        QStringList lines;
        if (rest["suggested_questions"].is_array()) {
            for (const Json &q : rest["suggested_questions"])
                lines.append(qs(q));
        }
        m_questions->setPlainText(lines.join(QLatin1Char('\n')));
        rest.erase("suggested_questions");
    }
    m_features->setText(QString::fromStdString(rest.dump(2)));
}

int WorkflowSettingsDialog::addEnvironmentRow(const QString &name, const QString &type,
                                              const QString &value)
{
    const int row = m_env->rowCount();
    m_env->insertRow(row);
    auto *nameItem = new QTableWidgetItem(name);
    nameItem->setData(kOriginalRole, -1);
    m_env->setItem(row, EnvName, nameItem);
    auto *combo = new QComboBox(m_env);
    QStringList types{QStringLiteral("string"), QStringLiteral("number"), QStringLiteral("secret")};
    if (!types.contains(type))
        types.append(type);
    combo->addItems(types);
    combo->setCurrentText(type);
    m_env->setCellWidget(row, EnvType, combo);
    auto *edit = new QLineEdit(value, m_env);
    edit->setFrame(false);
    m_env->setCellWidget(row, EnvValue, edit);
    auto *reveal = new QToolButton(m_env);
    reveal->setCheckable(true);
    reveal->setAutoRaise(true);
    reveal->setText(tr("Show"));
    reveal->setToolTip(tr("Show the secret value"));
    m_env->setCellWidget(row, EnvReveal, reveal);
    const auto update = [edit, reveal, combo] {
        const bool secret = combo->currentText() == QLatin1String("secret");
        reveal->setEnabled(secret);
        if (!secret)
            reveal->setChecked(false);
        reveal->setText(
            reveal->isChecked()
                ? QCoreApplication::translate("flowbench::panels::WorkflowSettingsDialog", "Hide")
                : QCoreApplication::translate("flowbench::panels::WorkflowSettingsDialog", "Show"));
        edit->setEchoMode(secret && !reveal->isChecked() ? QLineEdit::Password : QLineEdit::Normal);
    };
    connect(combo, &QComboBox::currentIndexChanged, edit, update);
    connect(reveal, &QToolButton::toggled, edit, update);
    update();
    if (name.isEmpty()) {
        m_env->setCurrentCell(row, EnvName);
        if (isVisible())
            m_env->editItem(nameItem);
    }
    return row;
}

int WorkflowSettingsDialog::addConversationRow(const QString &name, const QString &type,
                                               const QString &value, const QString &description)
{
    const int row = m_conversation->rowCount();
    m_conversation->insertRow(row);
    auto *nameItem = new QTableWidgetItem(name);
    nameItem->setData(kOriginalRole, -1);
    m_conversation->setItem(row, ConvName, nameItem);
    auto *combo = new QComboBox(m_conversation);
    QStringList types{QStringLiteral("string"),        QStringLiteral("number"),
                      QStringLiteral("boolean"),       QStringLiteral("object"),
                      QStringLiteral("array[string]"), QStringLiteral("array[number]"),
                      QStringLiteral("array[object]"), QStringLiteral("array[boolean]")};
    if (!types.contains(type))
        types.append(type);
    combo->addItems(types);
    combo->setCurrentText(type);
    m_conversation->setCellWidget(row, ConvType, combo);
    auto *edit = new QLineEdit(value, m_conversation);
    edit->setFrame(false);
    m_conversation->setCellWidget(row, ConvValue, edit);
    m_conversation->setItem(row, ConvDescription, new QTableWidgetItem(description));
    if (name.isEmpty()) {
        m_conversation->setCurrentCell(row, ConvName);
        if (isVisible())
            m_conversation->editItem(nameItem);
    }
    return row;
}

std::optional<std::vector<document::Variable>>
WorkflowSettingsDialog::collectEnvironment(QString *error) const
{
    const auto &original = m_document->workflow().environmentVariables;
    std::vector<document::Variable> out;
    QSet<QString> names;
    static const QRegularExpression identifier(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    for (int row = 0; row < m_env->rowCount(); ++row) {
        const QString name = cellText(m_env, row, EnvName);
        const QString type = cellCombo(m_env, row, EnvType)->currentText();
        const QString text = cellEdit(m_env, row, EnvValue)->text();
        if (!identifier.match(name).hasMatch()) {
            *error = tr("Environment variable %1: \"%2\" is not a valid name (letters, digits "
                        "and _).")
                         .arg(row + 1)
                         .arg(name);
            return std::nullopt;
        }
        if (names.contains(name)) {
            *error = tr("Two environment variables are named \"%1\".").arg(name);
            return std::nullopt;
        }
        names.insert(name);
        Json value = ss(text);
        if (type == QLatin1String("number")) {
            bool ok = false;
            const double number = text.trimmed().toDouble(&ok);
            if (!ok) {
                *error = tr("Environment variable \"%1\": \"%2\" is not a number.").arg(name, text);
                return std::nullopt;
            }
            value = number == double(qint64(number)) ? Json(qint64(number)) : Json(number);
        }
        const int index = m_env->item(row, EnvName)->data(kOriginalRole).toInt();
        document::Variable v;
        if (index >= 0 && std::size_t(index) < original.size())
            v = original[std::size_t(index)];
        else
            v.raw = Json::object({{"id", ss(QUuid::createUuid().toString(QUuid::WithoutBraces))},
                                  {"description", ""}});
        v.name = name;
        v.valueType = type;
        v.raw["name"] = ss(name);
        v.raw["value_type"] = ss(type);
        v.raw["value"] = value;
        v.raw["selector"] = Json::array({"env", ss(name)});
        out.push_back(std::move(v));
    }
    return out;
}

std::optional<std::vector<document::Variable>>
WorkflowSettingsDialog::collectConversation(QString *error) const
{
    const auto &original = m_document->workflow().conversationVariables;
    std::vector<document::Variable> out;
    QSet<QString> names;
    static const QRegularExpression identifier(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    for (int row = 0; row < m_conversation->rowCount(); ++row) {
        const QString name = cellText(m_conversation, row, ConvName);
        const QString type = cellCombo(m_conversation, row, ConvType)->currentText();
        const QString text = cellEdit(m_conversation, row, ConvValue)->text();
        if (!identifier.match(name).hasMatch()) {
            *error = tr("Conversation variable %1: \"%2\" is not a valid name (letters, digits "
                        "and _).")
                         .arg(row + 1)
                         .arg(name);
            return std::nullopt;
        }
        if (names.contains(name)) {
            *error = tr("Two conversation variables are named \"%1\".").arg(name);
            return std::nullopt;
        }
        names.insert(name);
        Json value = ss(text);
        if (type != QLatin1String("string")) {
            const QString trimmed = text.trimmed();
            if (trimmed.isEmpty()) {
                value = type == QLatin1String("number")    ? Json(0)
                        : type == QLatin1String("boolean") ? Json(false)
                        : type == QLatin1String("object")  ? Json::object()
                                                           : Json::array();
            } else {
                value = Json::parse(ss(trimmed), nullptr, false);
                const bool ok
                    = !value.is_discarded()
                      && ((type == QLatin1String("number") && value.is_number())
                          || (type == QLatin1String("boolean") && value.is_boolean())
                          || (type == QLatin1String("object") && value.is_object())
                          || (type.startsWith(QLatin1String("array")) && value.is_array()));
                if (!ok) {
                    *error = tr("Conversation variable \"%1\": \"%2\" is not a valid %3.")
                                 .arg(name, text, type);
                    return std::nullopt;
                }
            }
        }
        const int index = m_conversation->item(row, ConvName)->data(kOriginalRole).toInt();
        document::Variable v;
        if (index >= 0 && std::size_t(index) < original.size())
            v = original[std::size_t(index)];
        else
            v.raw = Json::object({{"id", ss(QUuid::createUuid().toString(QUuid::WithoutBraces))}});
        v.name = name;
        v.valueType = type;
        v.raw["name"] = ss(name);
        v.raw["value_type"] = ss(type);
        v.raw["value"] = value;
        v.raw["description"] = ss(cellText(m_conversation, row, ConvDescription));
        v.raw["selector"] = Json::array({"conversation", ss(name)});
        out.push_back(std::move(v));
    }
    return out;
}

std::optional<Json> WorkflowSettingsDialog::collectFeatures(QString *error) const
{
    const QString text = m_features->text().trimmed();
    Json features = Json::object();
    if (!text.isEmpty()) {
        try {
            features = Json::parse(ss(text));
        } catch (const std::exception &e) {
            *error = tr("Features: not valid JSON: %1").arg(QString::fromUtf8(e.what()));
            return std::nullopt;
        }
        if (!features.is_object()) {
            *error = tr("Features: a JSON object is expected.");
            return std::nullopt;
        }
    }
    const Json &original = m_document->workflow().features();
    const QString opening = m_opening->toPlainText();
    if (!opening.isEmpty() || (original.is_object() && original.contains("opening_statement")))
        features["opening_statement"] = ss(opening);
    Json questions = Json::array();
    const QStringList lines = m_questions->toPlainText().split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (!line.trimmed().isEmpty())
            questions.push_back(ss(line.trimmed()));
    }
    if (!questions.empty() || (original.is_object() && original.contains("suggested_questions")))
        features["suggested_questions"] = questions;
    return features;
}

std::optional<document::Edit> WorkflowSettingsDialog::pendingEdit(QString *error) const
{
    QString message;
    QString *err = error ? error : &message;
    const document::Workflow &wf = m_document->workflow();
    document::BatchEdit batch;
    const QString name = m_name->text().trimmed();
    if (name.isEmpty()) {
        *err = tr("The workflow needs a name.");
        return std::nullopt;
    }
    if (name != wf.name())
        batch.edits.emplace_back(document::SetAppFieldEdit{QStringLiteral("name"), ss(name)});
    const QString description = m_descriptionEdit->toPlainText();
    if (description != wf.description()) {
        batch.edits.emplace_back(
            document::SetAppFieldEdit{QStringLiteral("description"), ss(description)});
    }
    const auto env = collectEnvironment(err);
    if (!env)
        return std::nullopt;
    if (*env != wf.environmentVariables) {
        batch.edits.emplace_back(
            document::SetVariablesEdit{document::VariableScope::Environment, *env});
    }
    const auto conversation = collectConversation(err);
    if (!conversation)
        return std::nullopt;
    if (*conversation != wf.conversationVariables) {
        batch.edits.emplace_back(
            document::SetVariablesEdit{document::VariableScope::Conversation, *conversation});
    }
    const auto features = collectFeatures(err);
    if (!features)
        return std::nullopt;
    const Json &original = wf.features();
    if (*features != original && !(features->empty() && original.is_null()))
        batch.edits.emplace_back(
            document::SetWorkflowFieldEdit{QStringLiteral("features"), *features});
    return document::Edit(std::move(batch), tr("Change workflow settings"));
}

void WorkflowSettingsDialog::accept()
{
    QString error;
    const std::optional<document::Edit> edit = pendingEdit(&error);
    if (!edit) {
        m_error->setText(error);
        m_error->show();
        return;
    }
    const auto *batch = std::get_if<document::BatchEdit>(&edit->op);
    if (batch && !batch->edits.empty())
        m_sink->applyEdit(*edit);
    QDialog::accept();
}

} // namespace flowbench::panels

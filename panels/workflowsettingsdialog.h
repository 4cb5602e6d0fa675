#pragma once

#include <QDialog>

#include <optional>

#include "document/editsink.h"
#include "document/workflowdocument.h"

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableWidget;
class QTabWidget;

namespace flowbench::panels {

class CodeEditor;

// Workflow settings: app name, mode (read-only), description; environment variables (name,
// type string/number/secret, value; secret values masked, with a per-row reveal toggle);
// conversation variables (chatflows: name, type, default value, description); features
// (opening statement, suggested questions, and the whole `features` object as JSON).
// Nothing changes until OK, which sends one BatchEdit ("Change workflow settings") through the
// sink and closes; when a value is invalid (a number that does not parse, duplicate or empty
// names, JSON that does not parse) OK shows the message and keeps the dialog open.
// GUI thread only; document and sink outlive the dialog.
class WorkflowSettingsDialog : public QDialog
{
    Q_OBJECT

public:
    WorkflowSettingsDialog(document::WorkflowDocument *document, document::EditSink *sink,
                           QWidget *parent = nullptr);

    // The edit OK would send; an empty BatchEdit when nothing changed, nullopt (and `error`) when
    // a value is invalid.
    [[nodiscard]] std::optional<document::Edit> pendingEdit(QString *error = nullptr) const;

    [[nodiscard]] QTableWidget *environmentTable() const { return m_env; }
    [[nodiscard]] QTableWidget *conversationTable() const { return m_conversation; }
    [[nodiscard]] QTabWidget *tabs() const { return m_tabs; }

    // Appends a row (what the Add buttons do); returns its index.
    int addEnvironmentRow(const QString &name = {}, const QString &type = QStringLiteral("string"),
                          const QString &value = {});
    int addConversationRow(const QString &name = {}, const QString &type = QStringLiteral("string"),
                           const QString &value = {}, const QString &description = {});

    enum EnvColumn { EnvName, EnvType, EnvValue, EnvReveal, EnvColumnCount };
    enum ConvColumn { ConvName, ConvType, ConvValue, ConvDescription, ConvColumnCount };

public Q_SLOTS:
    void accept() override;

private:
    void load();
    [[nodiscard]] std::optional<std::vector<document::Variable>>
    collectEnvironment(QString *error) const;
    [[nodiscard]] std::optional<std::vector<document::Variable>>
    collectConversation(QString *error) const;
    [[nodiscard]] std::optional<document::Json> collectFeatures(QString *error) const;

    document::WorkflowDocument *m_document;
    document::EditSink *m_sink;
    QTabWidget *m_tabs = nullptr;
    QLineEdit *m_name = nullptr;
    QLabel *m_mode = nullptr;
    QPlainTextEdit *m_descriptionEdit = nullptr;
    QTableWidget *m_env = nullptr;
    QTableWidget *m_conversation = nullptr;
    QPlainTextEdit *m_opening = nullptr;
    QPlainTextEdit *m_questions = nullptr;
    CodeEditor *m_features = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace flowbench::panels

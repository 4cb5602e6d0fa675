#pragma once

#include <QDialog>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <vector>

#include "document/workflow.h"
#include "runtime/graphengine.h"

class QComboBox;
class QFormLayout;
class QLabel;
class QPlainTextEdit;

namespace flowbench::panels {

// What the Run dialog collects: start inputs by variable name (file inputs as Dify file
// objects), and for chatflows sys.query and sys.files.
struct RunInputs
{
    nlohmann::json inputs = nlohmann::json::object();
    QString query;
    nlohmann::json files = nlohmann::json::array();

    // Copies inputs, query and files into `options`.
    void applyTo(runtime::RunOptions &options) const;
};

// "Run" asks for the start inputs ("dialog.runInputs"): one field per visible variable of the
// workflow's start node, by type — text-input (line), paragraph (text box), select (its
// options), number, checkbox, file and file-list (paths with Browse…), json_object (JSON text) —
// plus Query and Files for chatflows. Required fields and malformed values are refused on OK
// with a message under the field. The values are remembered per workflow (QSettings group
// "runInputs/<app name>") and filled in the next time; otherwise each variable's default.
// Field widgets are named "runInputs.field.<variable>" (query: "runInputs.field.sys.query",
// files: "runInputs.field.sys.files"), their messages "runInputs.error.<variable>".
class RunInputsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit RunInputsDialog(const document::Workflow &workflow, QWidget *parent = nullptr);

    // True when there is something to ask (a visible start variable, or a chatflow).
    [[nodiscard]] bool hasFields() const { return !m_fields.isEmpty(); }
    [[nodiscard]] QStringList fieldNames() const; // in form order
    [[nodiscard]] QWidget *fieldWidget(const QString &name) const;
    [[nodiscard]] QLabel *errorLabel(const QString &name) const;

    // Checks every field, showing or clearing the messages; true when all are fine.
    bool validate();
    // The values as the run wants them (valid after a successful validate()).
    [[nodiscard]] RunInputs runInputs() const { return m_result; }

    // The QSettings group the values are remembered under.
    [[nodiscard]] static QString settingsGroup(const document::Workflow &workflow);

    // The run's cost estimate, shown under the form ("dialog.runInputs.cost"); the window
    // computes it (prompt tokens from the endpoint's /tokenize or estimated) and may update it.
    void setCostEstimate(const QString &text);
    [[nodiscard]] QString costEstimate() const;

public Q_SLOTS:
    void accept() override; // validate, remember, close

private:
    struct Field
    {
        QString name;
        QString type; // start variable type, or "query" / "files"
        nlohmann::json variable;
        bool required = false;
        QWidget *editor = nullptr;
        QLabel *error = nullptr;
    };

    void addField(QFormLayout *form, Field field, const QString &label, const QString &help);
    [[nodiscard]] nlohmann::json rawValue(const Field &field) const; // what is remembered
    void setRawValue(Field &field, const nlohmann::json &value);
    void restore();
    void remember() const;

    QString m_group;
    QList<Field> m_fields;
    QLabel *m_banner = nullptr;
    QLabel *m_cost = nullptr;
    RunInputs m_result;
};

// "Run this node" asks for the values the node reads ("dialog.singleNodeInputs"): one row per
// pool variable the node references (selectors and {{#…#}} templates in its data), prefilled
// from a pool snapshot ({"scope": {"var": value}}: the last run's, or the paused run's pool).
// Each value is edited as text or as JSON (a per-row switch; JSON is checked on OK). The result
// is the snapshot with the edited values put in, ready for VariablePool::fromJson.
// Editors are named "singleNode.value.<scope>.<var>", type switches
// "singleNode.type.<scope>.<var>".
class SingleNodeInputsDialog : public QDialog
{
    Q_OBJECT

public:
    SingleNodeInputsDialog(const document::Workflow &workflow, const QString &nodeId,
                           const nlohmann::json &poolSnapshot, QWidget *parent = nullptr);

    // The [scope, variable] pairs `node` reads, in the order they appear, without duplicates
    // (longer selectors are cut to their first two elements; the node's own scope is left out).
    [[nodiscard]] static QList<QStringList> referencedSelectors(const document::Node &node);

    [[nodiscard]] QList<QStringList> selectors() const;
    [[nodiscard]] QPlainTextEdit *editor(const QStringList &selector) const;
    [[nodiscard]] QComboBox *typeSwitch(const QStringList &selector) const;

    bool validate();
    // The snapshot to run with (valid after a successful validate()).
    [[nodiscard]] nlohmann::json poolSnapshot() const { return m_result; }

public Q_SLOTS:
    void accept() override;

private:
    struct Row
    {
        QStringList selector;
        bool present = false;
        QPlainTextEdit *editor = nullptr;
        QComboBox *type = nullptr;
        QLabel *error = nullptr;
    };

    nlohmann::json m_snapshot;
    nlohmann::json m_result;
    QList<Row> m_rows;
};

} // namespace flowbench::panels

#pragma once

#include <QHash>
#include <QList>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <optional>
#include <vector>

#include "codeeditor.h"
#include "document/editsink.h"
#include "document/workflowdocument.h"
#include "nodes/registry.h"

class QFormLayout;
class QVBoxLayout;
class QLabel;

namespace flowbench::panels {

// The editors of one node's `data`, built from its kind's property schema (NodeRegistry), with
// dedicated layouts where the schema alone would be poor: start variables (fields per input
// type), if-else cases and loop break conditions (operators per variable type), LLM prompt
// messages, code outputs, HTTP authorization and body, assigner/loop values that are either a
// selector or a constant, error strategy and retry. Unknown kinds get a JSON editor of the data.
//
// Every change is one SetNodeDataEdit (or a BatchEdit) sent through the sink, named after the
// field ("Change LLM Prompt"); text commits on editingFinished, choices at once. Values that are
// invalid (required and empty, out of range, JSON that does not parse, references the validator
// reports) are marked in place: the editor gets the dynamic property "invalid" = true and the
// message as tooltip; values that do not parse are not sent.
//
// The form is a snapshot: the inspector builds a new one whenever the node changes. Every editor
// carries the JSON pointer it edits as the dynamic property "fbPointer" (and editorFor() finds
// it), so focus can be carried over. GUI thread only; document and sink outlive the form.
class PropertyForm : public QWidget
{
    Q_OBJECT

public:
    PropertyForm(document::WorkflowDocument *document, document::EditSink *sink,
                 const QString &nodeId, QWidget *parent = nullptr);

    [[nodiscard]] const QString &nodeId() const { return m_nodeId; }

    // The editor of a data pointer ("/model/name", "/cases/0/conditions/1/comparison_operator"),
    // nullptr when the form shows none. Buttons that add list items are found as
    // editorFor("+/prompt_template").
    [[nodiscard]] QWidget *editorFor(const QString &pointer) const;
    [[nodiscard]] QStringList editorPointers() const { return m_editors.keys(); }
    [[nodiscard]] int editorCount() const { return int(m_editors.size()); }
    // Messages shown on editors, by pointer.
    [[nodiscard]] const QHash<QString, QString> &problems() const { return m_problems; }

    // Replaces VariablePicker::pick (tests choose a variable without a popup); empty restores it.
    using PickFunction = std::function<std::optional<QStringList>(
        QWidget *anchor, const QList<VariableRef> &variables, const QStringList &typeFilter)>;
    static void setPickFunction(PickFunction pick);

    static bool isInvalid(const QWidget *editor);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Ctx; // where a property lives: pointer, schema path, its parent object

    void build();
    void buildProperties(QFormLayout *form, const std::vector<nodes::PropertySchema> &props,
                         const QString &pointer, const QString &path, const document::Json &object);
    void addProperty(QFormLayout *form, const nodes::PropertySchema &prop, const Ctx &ctx);
    bool isVisible(const nodes::PropertySchema &prop, const Ctx &ctx) const;

    QWidget *makeLineEdit(const nodes::PropertySchema &prop, const Ctx &ctx);
    QWidget *makeNumberEdit(const nodes::PropertySchema &prop, const Ctx &ctx);
    QWidget *makeBool(const nodes::PropertySchema &prop, const Ctx &ctx);
    QWidget *makeEnum(const nodes::PropertySchema &prop, const Ctx &ctx, QStringList options = {});
    QWidget *makeTextEditor(const nodes::PropertySchema &prop, const Ctx &ctx,
                            CodeEditor::Language language);
    QWidget *makeJsonEditor(const nodes::PropertySchema &prop, const Ctx &ctx);
    QWidget *makeStringLines(const nodes::PropertySchema &prop, const Ctx &ctx);
    QWidget *makeStringSet(const nodes::PropertySchema &prop, const Ctx &ctx,
                           const QStringList &options);
    QWidget *makeSelector(const nodes::PropertySchema &prop, const Ctx &ctx,
                          const QStringList &typeFilter = {});
    QWidget *makeSelectorList(const nodes::PropertySchema &prop, const Ctx &ctx);
    QWidget *makeModel(const nodes::PropertySchema &prop, const Ctx &ctx);
    QWidget *makeList(const nodes::PropertySchema &prop, const Ctx &ctx);
    QWidget *makePromptList(const nodes::PropertySchema &prop, const Ctx &ctx);
    QWidget *makeCases(const nodes::PropertySchema &prop, const Ctx &ctx);
    QWidget *makeConditions(const nodes::PropertySchema &prop, const Ctx &ctx);
    QWidget *makeConditionRow(const QString &pointer, const document::Json &condition);
    QWidget *makeCodeOutputs(const nodes::PropertySchema &prop, const Ctx &ctx);
    QWidget *makeHttpBody(const nodes::PropertySchema &prop, const Ctx &ctx);
    QWidget *makeErrorStrategy(const nodes::PropertySchema &prop, const Ctx &ctx);
    QWidget *makeAddButton(const QString &text, const QString &listPointer,
                           std::function<void()> onClick);
    QWidget *makeItemTools(const QString &listPointer, const document::Json &list, int index);

    void registerEditor(QWidget *editor, const QString &pointer);
    void setProblem(QWidget *editor, const QString &message);
    void applyProblems();

    [[nodiscard]] document::Json valueAt(const QString &pointer) const;
    void commit(const QString &pointer, const document::Json &value, const QString &label);
    void commitRemove(const QString &pointer, const QString &label);
    void commitEdits(std::vector<document::SetNodeDataEdit> edits, const QString &label);
    [[nodiscard]] QString editName(const QString &label) const;
    [[nodiscard]] std::optional<QStringList> pick(QWidget *anchor,
                                                  const QStringList &typeFilter = {}) const;
    [[nodiscard]] QString selectorText(const document::Json &selector, QString *type) const;
    [[nodiscard]] QString variableType(const document::Json &selector) const;
    [[nodiscard]] VariableProvider provider() const;

    document::WorkflowDocument *m_document;
    document::EditSink *m_sink;
    QString m_nodeId;
    QString m_kind;
    const nodes::NodeKindInfo *m_info = nullptr;
    document::Json m_data;
    QList<VariableRef> m_visible;
    QVBoxLayout *m_layout = nullptr;
    QLabel *m_banner = nullptr;
    QHash<QString, QPointer<QWidget>> m_editors;
    QHash<QString, QString> m_problems;
};

} // namespace flowbench::panels

#pragma once

#include <QWidget>

#include <optional>

#include "codeeditor.h"
#include "document/workflow.h"

class QLabel;
class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace flowbench::document {
class WorkflowDocument;
}

namespace flowbench::panels {

// A searchable tree of the variables visible at a node (groups: upstream nodes' outputs, System,
// Environment, Conversation, the container's item/index), each with its type. Used by every
// selector field of the inspector, as a popup (pick()) or embedded.
//
// Rows are "var  type" under one bold row per group, in the order the variables come (for
// variablesVisibleAt: the container's variables, then upstream nodes nearest first, then System,
// Environment, Conversation). Typing in the search box filters by variable name, selector or
// group (case-insensitive); Up/Down move through the rows from the search box; Enter or a
// double-click on a row emits variableChosen. GUI thread only.
//
//     if (auto sel = VariablePicker::pick(button, variablesVisibleAt(wf, id), {"string"}))
//         sendEdit(SetNodeDataEdit{id, "/variable_selector", toJson(*sel)});
class VariablePicker : public QWidget
{
    Q_OBJECT

public:
    explicit VariablePicker(QWidget *parent = nullptr);

    void setVariables(const QList<VariableRef> &variables);
    // Only offer these types (e.g. {"string", "number"}); empty offers all. "array" (or
    // "array[any]") accepts every array type; variables typed "any" always pass; "secret"
    // environment variables count as "string".
    void setTypeFilter(const QStringList &types);
    [[nodiscard]] QStringList typeFilter() const { return m_typeFilter; }

    void setFilterText(const QString &text);
    [[nodiscard]] QString filterText() const;
    // Selectors of the rows shown now (after the text and type filters), top to bottom.
    [[nodiscard]] QList<QStringList> visibleSelectors() const;
    // The highlighted row's selector (empty when none).
    [[nodiscard]] QStringList currentSelector() const;

    [[nodiscard]] QLineEdit *searchEdit() const { return m_search; }
    [[nodiscard]] QTreeWidget *treeWidget() const { return m_tree; }

    // Shows the picker as a popup under `anchor` and returns the chosen selector, or nothing
    // when dismissed.
    static std::optional<QStringList> pick(QWidget *anchor, const QList<VariableRef> &variables,
                                           const QStringList &typeFilter = {});

Q_SIGNALS:
    void variableChosen(const QStringList &selector);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void rebuild();
    void applyFilter();
    [[nodiscard]] bool typeAccepted(const QString &type) const;
    void choose(QTreeWidgetItem *item);
    [[nodiscard]] QTreeWidgetItem *firstVisibleRow() const;

    QLineEdit *m_search = nullptr;
    QTreeWidget *m_tree = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QList<VariableRef> m_variables;
    QStringList m_typeFilter;
};

// The variables visible at `nodeId` in `workflow`, Dify's rules: outputs of every node upstream
// of it (through edges; for nodes inside a container also the container's upstream and its
// item/index or loop variables), sys.* for the app mode, env.*, conversation.* (chatflows).
// An unknown nodeId gets only sys/env/conversation. A container itself also sees its own
// item/index or loop variables and its children's outputs (for output_selector and break
// conditions). An iteration's item is typed from its iterator_selector's element type.
QList<VariableRef> variablesVisibleAt(const document::Workflow &workflow, const QString &nodeId);

// A provider that recomputes variablesVisibleAt(document->workflow(), nodeId) on each call.
// The document must outlive the provider.
VariableProvider variableProviderFor(const document::WorkflowDocument *document,
                                     const QString &nodeId);

} // namespace flowbench::panels

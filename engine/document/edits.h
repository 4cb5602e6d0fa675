#pragma once

#include <QList>
#include <QPair>
#include <QPointF>
#include <QString>

#include <variant>
#include <vector>

#include "workflow.h"

namespace flowbench::document {

// Edits are values. Applying one to a Workflow returns its inverse, so undo is "apply the
// inverse" and redo is "apply the inverse of the inverse". They hold ids, never pointers.

struct AddNodeEdit
{
    Node node;
    int index = -1; // position in the node list; -1 appends
};
struct RemoveNodeEdit
{
    QString id;
};
struct MoveNodesEdit
{
    QList<QPair<QString, QPointF>> positions; // node id → new position (parent-relative)
};
// Sets (or, with `remove`, deletes) one field of a node's data by JSON pointer ("/model/name"),
// or of its React-Flow wrapper ("/width", "/height" of a container or sticky note).
struct SetNodeDataEdit
{
    enum class Part { Data, Wrapper };
    QString nodeId;
    QString pointer;
    Json value;
    bool remove = false;
    Part part = Part::Data;
};
struct AddEdgeEdit
{
    Edge edge;
    int index = -1;
};
struct RemoveEdgeEdit
{
    QString id;
};
enum class VariableScope { Environment, Conversation };
struct SetVariablesEdit
{
    VariableScope scope = VariableScope::Environment;
    std::vector<Variable> variables;
};
// Sets (or removes) a key of the `app` object: name, mode, icon, description, ...
struct SetAppFieldEdit
{
    QString key;
    Json value;
    bool remove = false;
};
// Sets (or removes) a key of the `workflow` object that has no edit of its own (`features`, ...):
// Workflow::workflowExtra. Signals appInfoChanged.
struct SetWorkflowFieldEdit
{
    QString key;
    Json value;
    bool remove = false;
};
// Replaces the workbench-only `flowbench` object (breakpoints, pinned outputs, profile).
struct SetWorkbenchStateEdit
{
    Json state;
};

struct Edit;
struct BatchEdit
{
    std::vector<Edit> edits; // applied in order; the inverse applies inverses in reverse
};

struct Edit
{
    using Op = std::variant<AddNodeEdit, RemoveNodeEdit, MoveNodesEdit, SetNodeDataEdit,
                            AddEdgeEdit, RemoveEdgeEdit, SetVariablesEdit, SetAppFieldEdit,
                            SetWorkbenchStateEdit, BatchEdit, SetWorkflowFieldEdit>;
    Op op;
    QString name; // for Undo/Redo menu texts ("Move node", "Delete 3 nodes")

    template<typename T>
    Edit(T o, QString n = {})
        : op(std::move(o))
        , name(std::move(n))
    {}
    Edit() = default;
};

// Applies `edit` to `workflow` and returns the inverse edit. An edit that cannot apply (unknown
// id, bad pointer) changes nothing and returns an empty batch; `ok` (when given) says which.
Edit applyEdit(Workflow &workflow, const Edit &edit, bool *ok = nullptr);

// Removing nodes with their edges (and container children) as one edit.
Edit makeRemoveNodesEdit(const Workflow &workflow, const QStringList &nodeIds);

} // namespace flowbench::document

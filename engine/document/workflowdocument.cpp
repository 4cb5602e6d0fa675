#include "workflowdocument.h"

namespace flowbench::document {

WorkflowDocument::WorkflowDocument(QObject *parent)
    : QObject(parent)
{}

void WorkflowDocument::reset(Workflow workflow)
{
    Q_EMIT aboutToReset();
    m_workflow = std::move(workflow);
    Q_EMIT resetDone();
    Q_EMIT changed();
}

Edit WorkflowDocument::apply(const Edit &edit, bool *ok)
{
    bool applied = false;
    Edit inverse = applyEdit(m_workflow, edit, &applied);
    if (ok)
        *ok = applied;
    if (!applied)
        return inverse;
    const bool batch = std::holds_alternative<BatchEdit>(edit.op);
    if (batch)
        Q_EMIT batchStarted();
    notify(edit);
    if (batch)
        Q_EMIT batchFinished();
    Q_EMIT changed();
    return inverse;
}

void WorkflowDocument::notify(const Edit &applied)
{
    std::visit(
        [this](const auto &e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, AddNodeEdit>) {
                Q_EMIT nodeAdded(e.node.id);
            } else if constexpr (std::is_same_v<T, RemoveNodeEdit>) {
                Q_EMIT nodeRemoved(e.id);
            } else if constexpr (std::is_same_v<T, MoveNodesEdit>) {
                for (const auto &p : e.positions)
                    Q_EMIT nodeMoved(p.first);
            } else if constexpr (std::is_same_v<T, SetNodeDataEdit>) {
                Q_EMIT nodeChanged(e.nodeId);
            } else if constexpr (std::is_same_v<T, AddEdgeEdit>) {
                Q_EMIT edgeAdded(e.edge.id);
            } else if constexpr (std::is_same_v<T, RemoveEdgeEdit>) {
                Q_EMIT edgeRemoved(e.id);
            } else if constexpr (std::is_same_v<T, SetVariablesEdit>) {
                Q_EMIT variablesChanged();
            } else if constexpr (std::is_same_v<T, SetAppFieldEdit>) {
                Q_EMIT appInfoChanged();
            } else if constexpr (std::is_same_v<T, SetWorkflowFieldEdit>) {
                Q_EMIT appInfoChanged();
            } else if constexpr (std::is_same_v<T, SetWorkbenchStateEdit>) {
                Q_EMIT workbenchStateChanged();
            } else if constexpr (std::is_same_v<T, BatchEdit>) {
                for (const Edit &child : e.edits)
                    notify(child);
            }
        },
        applied.op);
}

} // namespace flowbench::document

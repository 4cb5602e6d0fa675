#include "undocommands.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QUndoStack>

#include <algorithm>

namespace flowbench::app {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(flowbench::app::EditCommand)
};

QStringList movedIds(const document::Edit &edit)
{
    QStringList ids;
    if (const auto *move = std::get_if<document::MoveNodesEdit>(&edit.op)) {
        for (const auto &entry : move->positions)
            ids.append(entry.first);
        ids.sort();
    }
    return ids;
}

} // namespace

EditCommand::EditCommand(document::WorkflowDocument *document, document::Edit edit,
                         QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_edit(std::move(edit))
    , m_movedIds(movedIds(m_edit))
    , m_lastPushMs(QDateTime::currentMSecsSinceEpoch())
{
    setText(m_edit.name.isEmpty() ? Tr::tr("Edit") : m_edit.name);
}

void EditCommand::redo()
{
    bool ok = false;
    m_inverse = m_document->apply(m_edit, &ok);
    if (!ok)
        setObsolete(true);
}

void EditCommand::undo()
{
    bool ok = false;
    m_edit = m_document->apply(m_inverse, &ok);
    if (!ok)
        setObsolete(true);
}

int EditCommand::id() const
{
    return m_movedIds.isEmpty() ? -1 : kMoveNodesId;
}

bool EditCommand::mergeWith(const QUndoCommand *other)
{
    if (other->id() != id() || id() == -1)
        return false;
    const auto *next = static_cast<const EditCommand *>(other);
    if (next->m_movedIds != m_movedIds || next->m_lastPushMs - m_lastPushMs > kMoveMergeWindowMs)
        return false;
    // Positions are absolute: the newer move is the redo, our inverse still restores the start.
    m_edit.op = next->m_edit.op;
    m_lastPushMs = next->m_lastPushMs;

    const auto &to = std::get<document::MoveNodesEdit>(m_edit.op).positions;
    const auto *from = std::get_if<document::MoveNodesEdit>(&m_inverse.op);
    if (from) {
        bool unchanged = to.size() == from->positions.size();
        for (const auto &entry : to) {
            if (!unchanged)
                break;
            unchanged = std::any_of(from->positions.cbegin(), from->positions.cend(),
                                    [&entry](const auto &start) { return start == entry; });
        }
        setObsolete(unchanged);
    }
    return true;
}

UndoEditSink::UndoEditSink(document::WorkflowDocument *document, QUndoStack *stack)
    : m_document(document)
    , m_stack(stack)
{}

void UndoEditSink::applyEdit(document::Edit edit)
{
    m_stack->push(new EditCommand(m_document, std::move(edit)));
}

} // namespace flowbench::app

#pragma once

#include <QStringList>
#include <QUndoCommand>

#include "document/edits.h"
#include "document/workflowdocument.h"
#include "document/editsink.h"
#include "editsink.h"

class QUndoStack;

namespace flowbench::app {

// One document edit on the undo stack. redo() applies the edit and keeps the inverse the
// document returns; undo() applies that inverse. Both are values naming nodes and edges by id, so
// the command never dangles however often the scene rebuilds its items. An edit that does not
// apply (unknown id) makes the command obsolete, and QUndoStack::push() drops it.
//
// Moves of the same set of nodes merge (mergeWith) when they follow each other within
// kMoveMergeWindowMs: a run of arrow-key nudges is one undo step. A mouse drag is already a
// single edit. A merge that brings the nodes back where they started makes the command obsolete.
class EditCommand : public QUndoCommand
{
public:
    EditCommand(document::WorkflowDocument *document, document::Edit edit,
                QUndoCommand *parent = nullptr);

    static constexpr int kMoveNodesId = 0x4d4f5645; // "MOVE"
    static constexpr qint64 kMoveMergeWindowMs = 1000;

    void redo() override;
    void undo() override;
    [[nodiscard]] int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

    [[nodiscard]] const document::Edit &edit() const { return m_edit; }

private:
    document::WorkflowDocument *m_document;
    document::Edit m_edit;
    document::Edit m_inverse;
    QStringList m_movedIds; // sorted; empty unless the edit is a MoveNodesEdit
    qint64 m_lastPushMs = 0;
};

// The canvas' EditSink: every edit becomes an EditCommand pushed on the stack.
// The window's one edit path: canvas gestures and panel forms both end here, as undo commands.
class UndoEditSink : public canvas::EditSink, public document::EditSink
{
public:
    UndoEditSink(document::WorkflowDocument *document, QUndoStack *stack);
    void applyEdit(document::Edit edit) override;

private:
    document::WorkflowDocument *m_document;
    QUndoStack *m_stack;
};

} // namespace flowbench::app

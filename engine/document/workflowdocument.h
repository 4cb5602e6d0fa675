#pragma once

#include <QObject>
#include <QString>

#include "edits.h"
#include "workflow.h"

namespace flowbench::document {

// The open workflow, shared by canvas and panels. All changes go through apply(), which emits
// fine-grained signals; reset() replaces the whole workflow (load, new). GUI thread only.
//
// Signals:
//  - nodeAdded/nodeRemoved/nodeChanged(id), nodeMoved(id), edgeAdded/edgeRemoved(id),
//    variablesChanged(), appInfoChanged(), workbenchStateChanged(): after each primitive edit;
//  - batchStarted()/batchFinished(): around a BatchEdit, so views can rebuild once;
//  - aboutToReset()/reset(): around reset();
//  - changed(): once after every apply() or reset().
//
//     WorkflowDocument doc;
//     doc.reset(loaded.workflow);
//     Edit undo = doc.apply(MoveNodesEdit{{{"1", QPointF(10, 20)}}});
//     doc.apply(undo); // back where it was
class WorkflowDocument : public QObject
{
    Q_OBJECT

public:
    explicit WorkflowDocument(QObject *parent = nullptr);

    [[nodiscard]] const Workflow &workflow() const { return m_workflow; }
    void reset(Workflow workflow);

    // Applies an edit and returns its inverse (see applyEdit). `ok` says whether it applied.
    Edit apply(const Edit &edit, bool *ok = nullptr);

Q_SIGNALS:
    void nodeAdded(const QString &id);
    void nodeRemoved(const QString &id);
    void nodeChanged(const QString &id);
    void nodeMoved(const QString &id);
    void edgeAdded(const QString &id);
    void edgeRemoved(const QString &id);
    void variablesChanged();
    void appInfoChanged();
    void workbenchStateChanged();
    void batchStarted();
    void batchFinished();
    void aboutToReset();
    void resetDone();
    void changed();

private:
    void notify(const Edit &applied);

    Workflow m_workflow;
};

} // namespace flowbench::document

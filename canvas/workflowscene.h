#pragma once

#include <QGraphicsScene>
#include <QHash>
#include <QMultiHash>
#include <QPointF>
#include <QSet>
#include <QStringList>

#include "document/graphedits.h"
#include "document/workflowdocument.h"

class QGraphicsPathItem;

namespace flowbench::canvas {

class DragPreview;
class EdgeItem;
class EditSink;
class NodeItem;
class NoteEditor;

// The canvas scene: mirrors a WorkflowDocument, one NodeItem per node and one EdgeItem per edge,
// addressed by id, and turns gestures into edits. The document is the truth:
//  - resetDone rebuilds every item once; every other document signal (also inside a batch)
//    updates just the items concerned, reading the document's final state; the positions of
//    moved nodes (and their children) and the edges attached to them are settled once per
//    apply(), on the document's changed() signal, before apply() returns. Adding one node to a
//    graph of 10,000 therefore costs one item, not a rebuild;
//  - a gesture never changes an item: while dragging the scene draws a preview (outlines of the
//    moved nodes, a rubber edge, a resize frame) and on release it sends one document::Edit to
//    the EditSink. The items change when the document says so.
//
// Gestures (left button):
//  - drag a node: moves the selection; positions land on a 16 px grid; one edit per drag.
//    Arrow keys nudge by one grid step (Shift: by 1 px, not snapped).
//  - drag from an output port: a rubber edge follows the mouse; the node under it is
//    highlighted green when document::canConnect allows the edge and red (forbidden cursor, the
//    reason in connectionHint) when not. Release on a node (its input port or anywhere on its
//    card) connects; release on a refusing node emits editRefused; release on empty canvas emits
//    connectionDroppedOnEmpty.
//  - drag an end of a selected edge (or the input port of a node with one incoming edge): the
//    edge is re-routed to the node or output port it is dropped on (document::makeRerouteEdit);
//    dropped elsewhere, nothing changes.
//  - drag the bottom-right grip of a container or a sticky note: resizes it (one edit setting
//    wrapper and data width/height).
//  - double-click a sticky note: edits its text inline (Ctrl+Return or a click elsewhere
//    commits, Escape cancels); the text is written as Dify's Lexical JSON. Double-click another
//    node: nodeActivated.
//  - Delete/Backspace: deleteSelection().
//  - drop of canvas::kNodeKindMimeType (the palette): addNodeAt(kind, drop position).
// Node positions in the document are relative to the node's container (parentId()); the scene
// places items at absolute positions and keeps children with their container.
//
// GUI thread only. The document and the sink must outlive the scene.
//
//     WorkflowScene scene(&document, &undoSink);
//     WorkflowView view(&scene);
//     scene.selectNodes({QStringLiteral("llm_1")});
//     const QString id = scene.addNodeAt(QStringLiteral("code"), QPointF(400, 200));
class WorkflowScene : public QGraphicsScene
{
    Q_OBJECT

public:
    WorkflowScene(document::WorkflowDocument *document, EditSink *sink, QObject *parent = nullptr);
    ~WorkflowScene() override;

    [[nodiscard]] document::WorkflowDocument *document() const { return m_document; }

    [[nodiscard]] NodeItem *nodeItem(const QString &id) const { return m_nodes.value(id); }
    [[nodiscard]] EdgeItem *edgeItem(const QString &id) const { return m_edges.value(id); }
    [[nodiscard]] int nodeItemCount() const { return int(m_nodes.size()); }
    [[nodiscard]] int edgeItemCount() const { return int(m_edges.size()); }

    // Ids of the selected nodes, in document order.
    [[nodiscard]] QStringList selectedNodeIds() const;
    // Ids of the selected edges, in document order.
    [[nodiscard]] QStringList selectedEdgeIds() const;
    [[nodiscard]] bool hasSelection() const;
    // Selects exactly these nodes (unknown ids are skipped).
    void selectNodes(const QStringList &ids);
    // The node's card in scene coordinates; null when there is no such node.
    [[nodiscard]] QRectF nodeSceneRect(const QString &id) const;
    // Bounding rectangle of every node (what "fit all" shows); null when the scene is empty.
    [[nodiscard]] QRectF contentRect() const;
    // The topmost container (iteration, loop) whose body contains the scene point; empty if none.
    [[nodiscard]] QString containerAt(QPointF scenePos) const;

    // Asks the sink to move the given nodes by `delta` (one edit). Nodes whose container is
    // among them are skipped: they move with it. With `snap`, every moved node's position lands
    // on the 16 px grid.
    void requestMove(const QStringList &ids, QPointF delta, bool snap = true);

    // Adds a node of `kind` with its top-left near `scenePos` (snapped; the input port sits at
    // the point), into the container under that point when there is one (into the container of
    // `connectFromNode` when that is given), and, with `connectFromNode`, connects
    // connectFromNode/connectFromHandle to it: one edit. Selects the new node and returns its
    // id; on refusal returns an empty string and emits editRefused.
    QString addNodeAt(const QString &kind, QPointF scenePos, const QString &connectFromNode = {},
                      const QString &connectFromHandle = {});

    // Edit menu. Each is one edit (one undo step); refusals emit editRefused.
    void selectAll();
    // Selected nodes (with their edges and container children) and selected edges. A container
    // start is not deleted without its container.
    void deleteSelection();
    // Puts the selected nodes on QGuiApplication::clipboard() as document::kNodesMimeType and
    // as text/plain JSON.
    void copySelection();
    void cutSelection();
    // Pastes the clipboard at the last mouse position over the canvas (into the container under
    // it), else 24 px right and down of the copies (further each time); selects the pasted nodes.
    void paste();
    // Copies and pastes the selection 24 px right and down, in the same container.
    void duplicateSelection();
    void alignSelection(document::Alignment alignment);
    void distributeSelection(Qt::Orientation orientation);
    // Layered layout of the selection, or of the whole graph.
    void autoLayout(bool selectionOnly);

    // The item sizes, as document::NodeSizeFn wants them.
    [[nodiscard]] QSizeF nodeSize(const QString &id) const;

    // Inline note editing (what a double-click on a note starts). commitNoteEdit writes the text
    // (one SetNodeDataEdit of data.text) when it changed; both end the editing.
    void beginNoteEdit(const QString &noteId);
    void commitNoteEdit();
    void cancelNoteEdit();
    [[nodiscard]] QString editedNoteId() const;

Q_SIGNALS:
    // After a full rebuild (load, new): views may want to fit.
    void rebuilt();
    // A node was double-clicked (the app opens the inspector on it).
    void nodeActivated(const QString &id);
    // The number of selected nodes changed.
    void selectionCountChanged(int nodes);
    // A gesture or command was refused; `message` says why (translated, for the status bar).
    void editRefused(const QString &message);
    // A connection drag was released on empty canvas: the view offers an "add node" popup and
    // calls addNodeAt(kind, scenePos, sourceId, sourceHandle).
    void connectionDroppedOnEmpty(const QString &sourceId, const QString &sourceHandle,
                                  QPointF scenePos);
    // While a connection is dragged: why the node under the mouse refuses it; empty when it
    // accepts or there is none (for the status bar).
    void connectionHint(const QString &message);

protected:
    bool event(QEvent *event) override;
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void dragEnterEvent(QGraphicsSceneDragDropEvent *event) override;
    void dragMoveEvent(QGraphicsSceneDragDropEvent *event) override;
    void dragLeaveEvent(QGraphicsSceneDragDropEvent *event) override;
    void dropEvent(QGraphicsSceneDragDropEvent *event) override;

private:
    enum class Gesture { None, Move, Connect, RerouteTarget, RerouteSource, Resize };

    void rebuild();
    void addNodeItem(const QString &id);
    void removeNodeItem(const QString &id);
    void addEdgeItem(const QString &id);
    void removeEdgeItem(const QString &id);
    void placeNode(const QString &id); // the node and, recursively, its children
    void updateEdgesTouching(const QSet<QString> &nodeIds);
    void updateEdge(EdgeItem *edge) const;
    void updateSceneRect();
    [[nodiscard]] QPointF absolutePosition(const QString &id) const;

    void onNodeAdded(const QString &id);
    void onNodeRemoved(const QString &id);
    void onNodeChanged(const QString &id);
    void onNodeMoved(const QString &id);
    void onEdgeAdded(const QString &id);
    void onEdgeRemoved(const QString &id);
    void flushPending();

    void apply(document::Edit edit);
    [[nodiscard]] QStringList draggableSelection() const;
    void updateDragPreview(QPointF delta);
    void endGesture();

    // Connection gestures.
    [[nodiscard]] NodeItem *outputPortAt(QPointF scenePos, QString *handle) const;
    [[nodiscard]] NodeItem *connectTargetAt(QPointF scenePos) const;
    [[nodiscard]] EdgeItem *edgeEndAt(QPointF scenePos, bool *targetEnd) const;
    void startConnect(const QString &sourceId, const QString &handle, QPointF scenePos);
    void startReroute(EdgeItem *edge, bool targetEnd, QPointF scenePos);
    void updateConnect(QPointF scenePos);
    void finishConnect(QPointF scenePos);
    // Why the current connection gesture may not end on `target`; empty when it may.
    [[nodiscard]] QString refusalFor(const NodeItem *target, const QString &targetHandle);
    void setHoverTarget(NodeItem *item, bool valid, const QString &reason);
    void setViewCursor(Qt::CursorShape shape, bool set);

    // Resize gesture.
    void updateResize(QPointF scenePos);
    void finishResize();

    [[nodiscard]] QPointF lastPasteTarget(bool *underMouse) const;
    void pastePayload(const document::Json &payload, bool atMouse, const QString &sameContainer);

    document::WorkflowDocument *m_document = nullptr;
    EditSink *m_sink = nullptr;
    QHash<QString, NodeItem *> m_nodes;
    QHash<QString, EdgeItem *> m_edges;
    QMultiHash<QString, EdgeItem *> m_edgesByNode; // both ends; kept with m_edges
    QSet<QString> m_pending; // nodes touched by the current apply(), settled on changed()

    // Gesture state: from a left press until release.
    Gesture m_gesture = Gesture::None;
    bool m_pressOnNode = false;
    bool m_dragging = false;
    QPointF m_pressScenePos;
    QStringList m_dragIds;
    DragPreview *m_movePreview = nullptr;       // Move: where the dragged nodes will land
    QGraphicsPathItem *m_dragPreview = nullptr; // Resize: the new frame

    QString m_connectNode;   // Connect: the source; RerouteTarget: the fixed source
    QString m_connectHandle; // its handle
    QString m_rerouteEdge;   // Reroute*: the edge being moved
    QString m_fixedTarget;   // RerouteSource: the fixed target
    QGraphicsPathItem *m_rubber = nullptr;
    QString m_hoverTarget;
    QString m_hoverHandle;
    QHash<QString, QString> m_refusals; // per target (and handle), cached for one gesture

    QString m_resizeNode;
    QSizeF m_resizeMin;
    QSizeF m_resizeStart;
    QSizeF m_resizeSize;

    NoteEditor *m_noteEditor = nullptr;

    QPointF m_lastMousePos;
    QPoint m_lastScreenPos;
    bool m_hasMousePos = false;
    bool m_cursorSet = false;
    bool m_selecting = false; // selectNodes/selectAll: one selectionCountChanged at the end
    int m_pasteCount = 0;
    int m_lastSelectionCount = -1;
};

} // namespace flowbench::canvas

#pragma once

#include <QGraphicsScene>
#include <QHash>
#include <QSet>
#include <QPointF>
#include <QStringList>

#include "document/workflowdocument.h"

class QGraphicsPathItem;

namespace flowbench::canvas {

class EdgeItem;
class EditSink;
class NodeItem;

// The canvas scene: mirrors a WorkflowDocument, one NodeItem per node and one EdgeItem per edge,
// addressed by id. The document is the truth:
//  - resetDone and batchFinished rebuild every item once (fine-grained signals that arrive
//    between batchStarted and batchFinished are ignored, the rebuild covers them);
//  - nodeAdded/nodeRemoved/nodeChanged/nodeMoved/edgeAdded/edgeRemoved update just the items
//    concerned; the positions of moved nodes (and their children) and the edges attached to them
//    are settled once per apply(), on the document's changed() signal, before apply() returns;
//  - a mouse drag never moves an item: while dragging the scene draws an outline preview, and on
//    release it sends one document::MoveNodesEdit for all selected nodes to the EditSink. The
//    items move when the document says nodeMoved. Arrow keys nudge the selection the same way.
// Node positions in the document are relative to the node's container (parentId()); the scene
// places items at absolute positions and keeps children with their container.
//
// GUI thread only. The document and the sink must outlive the scene.
//
//     WorkflowScene scene(&document, &undoSink);
//     WorkflowView view(&scene);
//     scene.selectNodes({QStringLiteral("llm_1")});
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
    // Selects exactly these nodes (unknown ids are skipped).
    void selectNodes(const QStringList &ids);
    // The node's card in scene coordinates; null when there is no such node.
    [[nodiscard]] QRectF nodeSceneRect(const QString &id) const;
    // Bounding rectangle of every node (what "fit all" shows); null when the scene is empty.
    [[nodiscard]] QRectF contentRect() const;

    // Asks the sink to move the given nodes by `delta` (one edit). Nodes whose container is
    // among them are skipped: they move with it.
    void requestMove(const QStringList &ids, QPointF delta);

Q_SIGNALS:
    // After a full rebuild (load, new, batch edits): views may want to fit.
    void rebuilt();
    // A node was double-clicked (the app opens the inspector on it).
    void nodeActivated(const QString &id);

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
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

    [[nodiscard]] QStringList draggableSelection() const;
    void updateDragPreview(QPointF delta);
    void endDrag();

    document::WorkflowDocument *m_document = nullptr;
    EditSink *m_sink = nullptr;
    QHash<QString, NodeItem *> m_nodes;
    QHash<QString, EdgeItem *> m_edges;
    int m_batchDepth = 0;
    QSet<QString> m_pending; // nodes touched by the current apply(), settled on changed()

    // Drag state: from a left press on a node until release.
    bool m_pressOnNode = false;
    bool m_dragging = false;
    QPointF m_pressScenePos;
    QStringList m_dragIds;
    QGraphicsPathItem *m_dragPreview = nullptr;
};

} // namespace flowbench::canvas

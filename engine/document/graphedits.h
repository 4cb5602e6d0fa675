#pragma once

#include <QPointF>
#include <QSizeF>
#include <QString>
#include <QStringList>

#include <functional>

#include "core/result.h"
#include "edits.h"
#include "workflow.h"

// Graph-editing gestures as edits: what the canvas asks for when a user adds, connects, pastes,
// aligns or lays out nodes. Pure functions of the Workflow; they never apply anything, the
// caller sends the returned Edit to the document (one undo step each).
namespace flowbench::document {

// --- Adding nodes -------------------------------------------------------------------------

// A fresh id that is not used in `workflow` (Dify style: a millisecond timestamp string,
// incremented until free). `taken` lists ids reserved by the same gesture.
QString freshNodeId(const Workflow &workflow, const QStringList &taken = {});

// Adds a node of `kind` with the registry's default data and title ("LLM", "LLM 2", ...) at
// `pos` (relative to `parentId` when given: an iteration or loop node). An iteration or loop
// gets its start node (iteration-start / loop-start, id "<id>start", at (24, 68)) inside it and
// data.start_node_id, as in Dify; a node added into a container gets parentId, isInIteration/
// isInLoop, iteration_id/loop_id and zIndex 1002 (the container has zIndex 1), and the container
// grows (wrapper and data width/height) when the node would stick out. `newId` receives the new
// node's id. The edit is named "Add <kind>". Errors: unknown kind or one that cannot be added by
// hand (container starts), parent that is not a container, a container inside a container
// (Dify forbids nesting), Start/End/notes inside a container, Exit Loop outside a loop.
Result<Edit> makeAddNodeEdit(const Workflow &workflow, const QString &kind, QPointF pos,
                             const QString &parentId = {}, QString *newId = nullptr);

// --- Connecting -----------------------------------------------------------------------------

// Whether an edge source/sourceHandle → target may be added. Refused: unknown nodes or handle
// (the handles the source's kind has, per the registry and its data), self-loops, an edge that
// already exists, a target that has no input (start, container starts, notes), a source with no
// outputs (end, notes), an edge across a container boundary (both ends must share parentId), and
// a cycle (target reaches source; one DFS over the edges, cheap at 10,000 nodes). The error's
// message is a user-facing sentence (translated), its code "graph.connect".
Result<void> canConnect(const Workflow &workflow, const QString &source,
                        const QString &sourceHandle, const QString &target);

// canConnect, then an AddEdgeEdit with Dify's edge shape (id from makeEdgeId, type "custom",
// targetHandle "target", data.sourceType/targetType/isInIteration/isInLoop and iteration_id/
// loop_id inside a container, zIndex 0 or 1002), named "Connect nodes".
Result<Edit> makeConnectEdit(const Workflow &workflow, const QString &source,
                             const QString &sourceHandle, const QString &target);

// Moves one end of an existing edge (re-route): remove + add as one edit, checked like
// canConnect (the moved edge itself does not count as a duplicate or for cycles), keeping the
// edge's place in the list. Either new end may equal the old one; both equal gives an empty
// batch.
Result<Edit> makeRerouteEdit(const Workflow &workflow, const QString &edgeId,
                             const QString &newSource, const QString &newSourceHandle,
                             const QString &newTarget);

// --- Clipboard ------------------------------------------------------------------------------

// MIME type of the clipboard payload; the text/plain flavour carries the same JSON.
inline constexpr char kNodesMimeType[] = "application/x-flowbench-nodes";

// The selected nodes (plus the children of selected containers) and the edges between them, as
// JSON {"flowbench_clipboard": 1, "nodes": [...], "edges": [...]} with nodes and edges in
// their DSL shapes. Container start nodes are only copied with their container. A node copied
// without its container carries its canvas (absolute) position.
Json copyNodes(const Workflow &workflow, const QStringList &ids);

// Pastes a copyNodes() payload: every node gets a fresh id; edges, parentId/iteration_id/
// loop_id/start_node_id, and references to pasted nodes inside the data (selectors
// ["old","x"] and template references {{#old.x#}}) are rewritten to the new ids; references
// to nodes that were not pasted are kept. Top-level pasted nodes are offset by `offset`
// (relative to their copied positions). With a non-empty `intoContainer` the pasted top-level
// nodes go into that container. `newIds` receives the pasted nodes' ids (for selecting them).
// A node whose container was not pasted becomes top-level (or goes into `intoContainer`). A
// Start node is dropped when the document already has one (Dify allows one). `clipboard` may
// also be the clipboard's text (a JSON string). The edit is named "Paste N nodes".
// Errors (code "clipboard.format"): a payload that is not a clipboard object (the message says
// which field), a container pasted into a container, Start/End/notes pasted into one.
Result<Edit> makePasteEdit(const Workflow &workflow, const Json &clipboard, QPointF offset,
                           const QString &intoContainer = {}, QStringList *newIds = nullptr);

// --- Arranging ------------------------------------------------------------------------------

// The on-canvas size of a node (the canvas knows it; documents may lack width/height).
using NodeSizeFn = std::function<QSizeF(const QString &nodeId)>;

enum class Alignment { Left, HorizontalCenter, Right, Top, VerticalCenter, Bottom };

// Aligns the nodes' edges to the outermost one (left-most left edge, bottom-most bottom edge,
// ...) or their centres to the middle of their bounding box. Nodes in different containers are
// aligned within their container; container start nodes do not move. An empty BatchEdit when
// fewer than two nodes. `size` may be null or return an empty size: the stored width/height,
// else 244×90, is used.
Edit makeAlignEdit(const Workflow &workflow, const QStringList &ids, Alignment alignment,
                   const NodeSizeFn &size);

// Spaces three or more nodes evenly (equal gaps) between the outermost two, along the axis.
Edit makeDistributeEdit(const Workflow &workflow, const QStringList &ids, Qt::Orientation axis,
                        const NodeSizeFn &size);

// Layered left-to-right layout (Sugiyama style: longest-path layers, barycentre ordering to
// reduce crossings, nodes centred per layer) of the given nodes, or of every top-level graph and
// every container's body when `ids` is empty (selected containers' bodies otherwise); layers are
// 80 px apart, nodes in a layer 40 px. Cycles are broken (back edges ignored). Each laid-out
// group keeps its top-left corner; a container body starts at (24, 68) and the container is
// resized to fit it with padding (wrapper and data width/height). Notes do not move. One
// BatchEdit (MoveNodesEdit plus the size changes) named "Auto layout".
Edit makeAutoLayoutEdit(const Workflow &workflow, const QStringList &ids, const NodeSizeFn &size);

} // namespace flowbench::document

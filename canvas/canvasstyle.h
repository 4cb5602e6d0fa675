#pragma once

#include <QColor>
#include <QPixmap>
#include <QString>

class QPainter;
class QRectF;
class QSvgRenderer;

namespace flowbench::canvas::style {

// Metrics of a node, in scene units (Dify's pixel sizes).
inline constexpr double kDefaultNodeWidth = 244;
inline constexpr double kDefaultNodeHeight = 90;
inline constexpr double kMinNodeHeight = 54;
inline constexpr double kCornerRadius = 12;
inline constexpr double kHeaderHeight = 54; // icon, title and subtitle
inline constexpr double kPortY = 27;        // ports of single-handle nodes sit on the header
inline constexpr double kHandleRowTop = 54; // labelled handles are rows below the header
inline constexpr double kHandleRowHeight = 26;
inline constexpr double kPortRadius = 4.5;
inline constexpr double kIconSize = 24;
inline constexpr double kGripSize = 14; // resize grip of containers and notes
inline constexpr double kGridSize = 16; // moves snap to this grid
inline constexpr double kMinNoteWidth = 120;
inline constexpr double kMinNoteHeight = 64;
inline constexpr double kMinContainerWidth = 240;
inline constexpr double kMinContainerHeight = 120;

// Z order: notes under everything, containers under the edges that run inside them, edges under
// the nodes whose ports cover their ends, a drag preview on top.
inline constexpr double kNoteZ = -30;
inline constexpr double kContainerZ = -20;
inline constexpr double kEdgeZ = -10;
inline constexpr double kNodeZ = 0;
inline constexpr double kSelectedNodeZ = 1;
inline constexpr double kRubberEdgeZ = 99; // the edge being connected or re-routed
inline constexpr double kDragPreviewZ = 100;
inline constexpr double kInlineEditorZ = 110;

QColor background();
QColor gridDot();
QColor nodeFill();
QColor nodeBorder();
QColor selection();
QColor titleText();
QColor subtitleText();
QColor edge();
QColor port();
QColor validTarget();   // connection feedback: a node that may take the edge
QColor invalidTarget(); // ... and one that refuses it

// Dify's sticky-note themes: blue, cyan, green, yellow, pink, violet (unknown → blue).
struct NoteTheme
{
    QColor border;
    QColor title;
    QColor body;
    QColor accent;
};
NoteTheme noteTheme(const QString &name);

// A shared SVG renderer for a resource path; nullptr when the file cannot be read. Renderers live
// until the application exits. GUI thread only.
QSvgRenderer *iconRenderer(const QString &path);

// The icon at `path` rendered once into a `pixels` x `pixels` pixmap and kept (per path and
// size; the cache is bounded). Null when the file cannot be read. GUI thread only.
QPixmap iconPixmap(const QString &path, int pixels);

// The icon's average colour (opaque pixels weighted by alpha), what a node far out shows of
// its icon; subtitleText() when the icon cannot be read. Cached per path. GUI thread only.
QColor iconColor(const QString &path);

// Draws the icon into `rect` (item coordinates) from iconPixmap() at the painter's device size;
// a grey rounded square when the icon cannot be read. Painting an SVG costs tens of
// microseconds, a cached pixmap about one.
void drawIcon(QPainter *painter, const QString &path, const QRectF &rect);

// The canvas background: the background colour and a dot every 20 scene units (coarser when
// zoomed out so the dots stay at least 10 px apart), for QGraphicsView::drawBackground with the
// view's painter (scene coordinates) and the exposed `rect`. The dots of the whole viewport are
// rendered once per zoom and viewport size into a pixmap that each paint copies from: drawing
// thousands of antialiased dots each frame cost more than the nodes and edges on top of them.
void drawDotGrid(QPainter *painter, const QRectF &rect, double zoom);

// Levels of detail by the painter's scale (QStyleOptionGraphicsItem::levelOfDetailFromTransform):
// below kTextLod cards lose their shadows and text (unreadable there), below kFlatLod they are
// flat rectangles without ports or icons and edges are thin lines.
inline constexpr double kTextLod = 0.4;
inline constexpr double kFlatLod = 0.15;

} // namespace flowbench::canvas::style

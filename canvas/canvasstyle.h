#pragma once

#include <QColor>
#include <QString>

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

// Z order: notes under everything, containers under the edges that run inside them, edges under
// the nodes whose ports cover their ends, a drag preview on top.
inline constexpr double kNoteZ = -30;
inline constexpr double kContainerZ = -20;
inline constexpr double kEdgeZ = -10;
inline constexpr double kNodeZ = 0;
inline constexpr double kSelectedNodeZ = 1;
inline constexpr double kDragPreviewZ = 100;

QColor background();
QColor gridDot();
QColor nodeFill();
QColor nodeBorder();
QColor selection();
QColor titleText();
QColor subtitleText();
QColor edge();
QColor port();

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

} // namespace flowbench::canvas::style

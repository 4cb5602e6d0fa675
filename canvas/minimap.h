#pragma once

#include <QPixmap>
#include <QPointF>
#include <QRectF>
#include <QWidget>

namespace flowbench::canvas {

class WorkflowView;

// The minimap overlay of a WorkflowView (a child widget the view keeps in its bottom-right
// corner): every node's card, scaled to fit, and the rectangle the view shows now. Clicking or
// dragging on it centres the view there.
//
// Cheap at 10,000 nodes: the node rectangles are drawn once into a cached pixmap, rebuilt (on
// the next paint) only after the document changes, the scene rebuilds or the minimap resizes;
// panning and zooming repaint just the pixmap and the viewport rectangle (the map grows, and the
// pixmap is rebuilt, only when the view's rectangle leaves it). The view calls
// update() when what it shows moves. GUI thread only.
class MiniMap : public QWidget
{
    Q_OBJECT

public:
    explicit MiniMap(WorkflowView *view);

    // Minimap widget coordinates ↔ scene coordinates (as of the last pixmap build).
    [[nodiscard]] QPointF mapToScene(QPointF widgetPos) const;
    [[nodiscard]] QPointF mapFromScene(QPointF scenePos) const;
    // How many times the node pixmap has been built (diagnostics and tests of the cache).
    [[nodiscard]] int pixmapBuilds() const { return m_builds; }

public Q_SLOTS:
    // The nodes changed: rebuild the pixmap on the next paint.
    void invalidate();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    void ensureMapping() const;
    [[nodiscard]] QRectF visibleSceneRect() const;
    void rebuildPixmap();
    void panTo(QPointF widgetPos);

    WorkflowView *m_view = nullptr;
    QPixmap m_pixmap;
    // Scene → widget mapping, recomputed lazily after invalidate() or a resize; the pixmap is
    // redrawn on the next paint after the mapping changed.
    mutable QRectF m_world; // the scene rectangle the minimap shows
    mutable double m_scale = 1;
    mutable QPointF m_offset;
    mutable bool m_dirty = true;
    mutable bool m_pixmapStale = true;
    bool m_dragging = false;
    int m_builds = 0;
};

} // namespace flowbench::canvas

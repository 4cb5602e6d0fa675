#include "workflowview.h"

#include "canvasstyle.h"
#include "workflowscene.h"

#include <QAction>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace flowbench::canvas {

WorkflowView::WorkflowView(WorkflowScene *scene, QWidget *parent)
    : QGraphicsView(scene, parent)
    , m_scene(scene)
{
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing
                   | QPainter::SmoothPixmapTransform);
    setDragMode(RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    setTransformationAnchor(AnchorUnderMouse);
    setResizeAnchor(AnchorViewCenter);
    setViewportUpdateMode(SmartViewportUpdate);
    setFrameShape(QFrame::NoFrame);
    setFocusPolicy(Qt::StrongFocus);
    // A canvas pans by dragging (middle button, or Space + left button), not by scroll bars;
    // the bars stay (hidden) as the mechanism that scrolls.
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_fitAllAction = new QAction(tr("Fit All"), this);
    m_fitAllAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_1));
    m_fitAllAction->setStatusTip(tr("Zoom to show the whole workflow"));
    connect(m_fitAllAction, &QAction::triggered, this, &WorkflowView::fitAll);
}

double WorkflowView::zoom() const
{
    return transform().m11();
}

void WorkflowView::setZoom(double factor)
{
    factor = std::clamp(factor, kMinZoom, kMaxZoom);
    const ViewportAnchor anchor = transformationAnchor();
    setTransformationAnchor(AnchorViewCenter);
    setTransform(QTransform::fromScale(factor, factor));
    setTransformationAnchor(anchor);
}

void WorkflowView::zoomBy(double factor)
{
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    if (qFuzzyCompare(target, zoom()))
        return;
    const double f = target / zoom();
    scale(f, f); // about the cursor: transformationAnchor is AnchorUnderMouse
}

void WorkflowView::fitAll()
{
    const QRectF content = m_scene->contentRect();
    if (content.isNull()) {
        setZoom(1.0);
        centerOn(0, 0);
        return;
    }
    fitInView(content.adjusted(-48, -48, 48, 48), Qt::KeepAspectRatio);
    if (zoom() > 1.0)
        setZoom(1.0);
    else if (zoom() < kMinZoom)
        setZoom(kMinZoom);
    centerOn(content.center());
}

void WorkflowView::centerOnNode(const QString &id)
{
    const QRectF rect = m_scene->nodeSceneRect(id);
    if (!rect.isNull())
        centerOn(rect.center());
}

void WorkflowView::drawBackground(QPainter *painter, const QRectF &rect)
{
    painter->fillRect(rect, style::background());
    // Dots every 20 scene units; coarser when zoomed out so they never turn into a grey wash.
    double step = 20;
    const double z = zoom();
    while (step * z < 10)
        step *= 2;
    const double left = std::floor(rect.left() / step) * step;
    const double top = std::floor(rect.top() / step) * step;
    QPolygonF dots;
    dots.reserve(int((rect.width() / step + 2) * (rect.height() / step + 2)));
    for (double x = left; x <= rect.right(); x += step) {
        for (double y = top; y <= rect.bottom(); y += step)
            dots.append(QPointF(x, y));
    }
    QPen pen(style::gridDot(), 1.6);
    pen.setCosmetic(true);
    pen.setCapStyle(Qt::RoundCap);
    painter->setPen(pen);
    painter->drawPoints(dots);
}

void WorkflowView::wheelEvent(QWheelEvent *event)
{
    const int delta = event->angleDelta().y();
    if (delta == 0) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    // One notch (120) zooms by 1.2x; touchpads send smaller steps and zoom smoothly.
    zoomBy(std::pow(1.2, delta / 120.0));
    event->accept();
}

void WorkflowView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat() && !m_panning) {
        setDragMode(ScrollHandDrag); // left-drag pans while Space is held
        event->accept();
        return;
    }
    QGraphicsView::keyPressEvent(event);
}

void WorkflowView::keyReleaseEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        setDragMode(RubberBandDrag);
        event->accept();
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

void WorkflowView::focusOutEvent(QFocusEvent *event)
{
    setDragMode(RubberBandDrag); // a Space release we never saw must not leave us panning
    QGraphicsView::focusOutEvent(event);
}

void WorkflowView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::MiddleButton) {
        m_panning = true;
        m_panLast = event->position();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void WorkflowView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_panning) {
        const QPointF d = event->position() - m_panLast;
        m_panLast = event->position();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - int(std::round(d.x())));
        verticalScrollBar()->setValue(verticalScrollBar()->value() - int(std::round(d.y())));
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void WorkflowView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning && event->button() == Qt::MiddleButton) {
        m_panning = false;
        viewport()->unsetCursor();
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

} // namespace flowbench::canvas

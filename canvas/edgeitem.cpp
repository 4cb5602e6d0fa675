#include "edgeitem.h"

#include "canvasstyle.h"

#include <QPainter>
#include <QPainterPathStroker>

#include <algorithm>
#include <cmath>

namespace flowbench::canvas {

EdgeItem::EdgeItem(const document::Edge &edge)
    : m_id(edge.id)
    , m_source(edge.source)
    , m_target(edge.target)
    , m_sourceHandle(edge.sourceHandle)
{
    setFlag(ItemIsSelectable);
    setAcceptHoverEvents(true);
    setZValue(style::kEdgeZ);
    // Only the bounding rect uses this pen (paint() draws its own): wide enough for the hover
    // shape and the selection stroke.
    setPen(QPen(style::edge(), 10));
}

void EdgeItem::setEndPoints(QPointF from, QPointF to, bool danglingHandle)
{
    m_dangling = danglingHandle;
    // Horizontal tangents at both ends, as React Flow's bezier edges; a backward edge (target
    // left of its source) gets longer tangents so it loops around instead of cutting through.
    const double dx = to.x() - from.x();
    const double reach = dx >= 0 ? std::max(dx * 0.5, 40.0) : std::max(std::abs(dx) * 0.35, 80.0);
    QPainterPath path(from);
    path.cubicTo(from + QPointF(reach, 0), to - QPointF(reach, 0), to);
    setPath(path);
}

QPainterPath EdgeItem::shape() const
{
    QPainterPathStroker stroker;
    stroker.setWidth(10);
    return stroker.createStroke(path());
}

void EdgeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    painter->setRenderHint(QPainter::Antialiasing);
    const bool hot = isSelected() || m_hovered;
    QPen pen(hot ? style::selection() : style::edge(), 2);
    if (m_dangling) {
        pen.setColor(hot ? style::selection() : QColor(0xf0, 0x44, 0x38));
        pen.setStyle(Qt::DashLine);
    }
    pen.setCapStyle(Qt::RoundCap);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(path());
}

void EdgeItem::hoverEnterEvent(QGraphicsSceneHoverEvent *event)
{
    m_hovered = true;
    update();
    QGraphicsPathItem::hoverEnterEvent(event);
}

void EdgeItem::hoverLeaveEvent(QGraphicsSceneHoverEvent *event)
{
    m_hovered = false;
    update();
    QGraphicsPathItem::hoverLeaveEvent(event);
}

} // namespace flowbench::canvas

#include "edgeitem.h"

#include "canvasstyle.h"

#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>

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

QPainterPath EdgeItem::curve(QPointF from, QPointF to)
{
    // A backward edge (target left of its source) gets longer tangents so it loops around
    // instead of cutting through.
    const double dx = to.x() - from.x();
    const double reach = dx >= 0 ? std::max(dx * 0.5, 40.0) : std::max(std::abs(dx) * 0.35, 80.0);
    QPainterPath path(from);
    path.cubicTo(from + QPointF(reach, 0), to - QPointF(reach, 0), to);
    return path;
}

void EdgeItem::setEndPoints(QPointF from, QPointF to, bool danglingHandle)
{
    m_dangling = danglingHandle;
    if (from == m_from && to == m_to && !path().isEmpty()) {
        update();
        return;
    }
    m_from = from;
    m_to = to;
    setPath(curve(from, to));
    QPainterPathStroker stroker;
    stroker.setWidth(10);
    m_shape = stroker.createStroke(path());
    m_line = QPainterPath(); // the drawn stroke, made on the next paint
}

QPainterPath EdgeItem::shape() const
{
    return m_shape;
}

void EdgeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const bool hot = isSelected() || m_hovered;
    QPen pen(hot ? style::selection() : style::edge(), 2);
    if (m_dangling) {
        pen.setColor(hot ? style::selection() : QColor(0xf0, 0x44, 0x38));
        pen.setStyle(Qt::DashLine);
    }
    const double lod
        = QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform());
    if (lod < style::kFlatLod) {
        // Far out: a one-pixel line, not antialiased (the curve is a few pixels long).
        pen.setWidth(isSelected() ? 2 : 1);
        pen.setCosmetic(true);
        painter->setRenderHint(QPainter::Antialiasing, false);
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(path());
        return;
    }
    painter->setRenderHint(QPainter::Antialiasing);
    if (m_dangling) {
        pen.setCapStyle(Qt::RoundCap);
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(path());
    } else {
        if (m_line.isEmpty()) {
            // Stroking a curve (flattening, joins) costs more than filling its outline: done
            // once per geometry, when first painted (a scene of 15,000 edges is not slowed
            // to build). Flattened to polygons, or the fill would flatten the curves again.
            QPainterPathStroker stroker;
            stroker.setWidth(2);
            stroker.setCapStyle(Qt::RoundCap);
            m_line.setFillRule(Qt::WindingFill);
            const QList<QPolygonF> polygons = stroker.createStroke(path()).toFillPolygons();
            for (const QPolygonF &polygon : polygons)
                m_line.addPolygon(polygon);
        }
        painter->fillPath(m_line, pen.color());
    }
    if (isSelected()) {
        // The ends can be dragged to another port (re-route): show them as grips.
        painter->setPen(QPen(style::selection(), 1.5));
        painter->setBrush(style::nodeFill());
        painter->drawEllipse(m_from, 5, 5);
        painter->drawEllipse(m_to, 5, 5);
    }
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

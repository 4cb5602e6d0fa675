#pragma once

#include <QGraphicsPathItem>
#include <QString>

#include "document/workflow.h"

namespace flowbench::canvas {

// One edge on the canvas: a cubic bezier from a source port to a target's input port. Holds the
// edge's id and the ids it connects; the scene computes the end points (setEndPoints) whenever
// either node moves.
class EdgeItem : public QGraphicsPathItem
{
public:
    enum { Type = UserType + 2 };

    explicit EdgeItem(const document::Edge &edge);

    [[nodiscard]] int type() const override { return Type; }
    [[nodiscard]] const QString &edgeId() const { return m_id; }
    [[nodiscard]] const QString &sourceId() const { return m_source; }
    [[nodiscard]] const QString &targetId() const { return m_target; }
    [[nodiscard]] const QString &sourceHandle() const { return m_sourceHandle; }

    // `danglingHandle`: the source node has no port for sourceHandle (drawn dashed).
    void setEndPoints(QPointF from, QPointF to, bool danglingHandle);
    [[nodiscard]] QPointF sourcePoint() const { return m_from; }
    [[nodiscard]] QPointF targetPoint() const { return m_to; }

    // The curve every edge (and the rubber edge of a connection drag) follows: horizontal
    // tangents at both ends, as React Flow's bezier edges.
    static QPainterPath curve(QPointF from, QPointF to);

    [[nodiscard]] QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

protected:
    void hoverEnterEvent(QGraphicsSceneHoverEvent *event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent *event) override;

private:
    QString m_id;
    QString m_source;
    QString m_target;
    QString m_sourceHandle;
    QPointF m_from;
    QPointF m_to;
    QPainterPath m_shape; // the hover/click stroke, computed once per geometry change
    QPainterPath m_line;  // the drawn 2 px stroke (round caps), made lazily by paint()
    bool m_dangling = false;
    bool m_hovered = false;
};

} // namespace flowbench::canvas

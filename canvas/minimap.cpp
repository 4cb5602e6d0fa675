#include "minimap.h"

#include "canvasstyle.h"
#include "nodeitem.h"
#include "workflowscene.h"
#include "workflowview.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QVector>

#include <algorithm>
#include <array>
#include <utility>

namespace flowbench::canvas {

namespace {

constexpr double kPadding = 8;       // between the frame and the drawing, in pixels
constexpr double kWorldMargin = 120; // around the nodes, in scene units
constexpr double kRadius = 8;

} // namespace

MiniMap::MiniMap(WorkflowView *view)
    : QWidget(view)
    , m_view(view)
{
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    setCursor(Qt::PointingHandCursor);
    setFocusPolicy(Qt::NoFocus);
    setToolTip(tr("Minimap: click or drag to move the view"));
    resize(200, 136);

    WorkflowScene *scene = view->workflowScene();
    using D = document::WorkflowDocument;
    connect(scene->document(), &D::changed, this, &MiniMap::invalidate);
    connect(scene->document(), &D::resetDone, this, &MiniMap::invalidate);
    connect(scene, &WorkflowScene::rebuilt, this, &MiniMap::invalidate);
}

void MiniMap::invalidate()
{
    m_dirty = true;
    update();
}

QPointF MiniMap::mapToScene(QPointF widgetPos) const
{
    ensureMapping();
    return (widgetPos - m_offset) / m_scale;
}

QPointF MiniMap::mapFromScene(QPointF scenePos) const
{
    ensureMapping();
    return scenePos * m_scale + m_offset;
}

void MiniMap::ensureMapping() const
{
    if (!m_dirty)
        return;
    m_dirty = false;
    m_pixmapStale = true;
    const WorkflowScene *scene = m_view->workflowScene();
    const QRectF content = scene->contentRect();
    m_world = content.isNull()
                  ? QRectF(-500, -350, 1000, 700)
                  : content.adjusted(-kWorldMargin, -kWorldMargin, kWorldMargin, kWorldMargin);
    // The view's rectangle is always inside the map (as in React Flow's minimap). When it sticks
    // out, the map grows by a fifth of a view more on each side, so a pan outside the nodes
    // rebuilds the pixmap now and then, not on every frame.
    const QRectF visible = visibleSceneRect();
    if (!m_world.contains(visible)) {
        const double dx = visible.width() / 5;
        const double dy = visible.height() / 5;
        m_world = m_world.united(visible.adjusted(-dx, -dy, dx, dy));
    }
    const QRectF inner = QRectF(rect()).adjusted(kPadding, kPadding, -kPadding, -kPadding);
    m_scale = std::min(inner.width() / m_world.width(), inner.height() / m_world.height());
    if (!(m_scale > 0))
        m_scale = 1;
    m_offset = inner.center() - m_world.center() * m_scale;
}

void MiniMap::rebuildPixmap()
{
    ensureMapping();
    m_pixmapStale = false;
    ++m_builds;
    const WorkflowScene *scene = m_view->workflowScene();
    const QRectF inner = QRectF(rect()).adjusted(kPadding, kPadding, -kPadding, -kPadding);
    const qreal dpr = devicePixelRatioF();
    m_pixmap = QPixmap((QSizeF(size()) * dpr).toSize());
    m_pixmap.setDevicePixelRatio(dpr);
    m_pixmap.fill(Qt::transparent);
    QPainter painter(&m_pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(style::nodeBorder(), 1));
    painter.setBrush(style::nodeFill());
    painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), kRadius, kRadius);

    // Thousands of tiny rectangles: no antialiasing, one brush change per kind of shape.
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setPen(Qt::NoPen);
    painter.setClipRect(inner.adjusted(-2, -2, 2, 2));
    QColor plain = style::subtitleText();
    plain.setAlpha(150);
    QColor container = style::selection();
    container.setAlpha(40);
    const QColor note = style::noteTheme(QString()).title;
    const QTransform toWidget
        = QTransform::fromTranslate(m_offset.x(), m_offset.y()).scale(m_scale, m_scale);
    std::array<QVector<QRectF>, 5> byShape; // indexed by NodeItem::Shape
    for (const document::Node &node : scene->document()->workflow().nodes()) {
        const NodeItem *item = scene->nodeItem(node.id);
        if (!item)
            continue;
        QRectF r = toWidget.mapRect(item->mapRectToScene(item->bodyRect()));
        // Keep every node visible as at least a dot when the graph is huge.
        r.setWidth(std::max(r.width(), 1.5));
        r.setHeight(std::max(r.height(), 1.5));
        const size_t shape = size_t(item->shapeKind());
        if (shape < byShape.size())
            byShape[shape].append(r);
    }
    using S = NodeItem::Shape;
    const std::pair<S, QColor> order[] = {{S::Note, note},
                                          {S::Container, container},
                                          {S::ContainerStart, plain},
                                          {S::Plain, plain},
                                          {S::Unsupported, style::edge()}};
    for (const auto &[shape, colour] : order) {
        painter.setBrush(colour);
        painter.drawRects(byShape[size_t(shape)]);
    }
}

QRectF MiniMap::visibleSceneRect() const
{
    return m_view->mapToScene(m_view->viewport()->rect()).boundingRect();
}

void MiniMap::paintEvent(QPaintEvent *)
{
    const QRectF visible = visibleSceneRect();
    if (!m_dirty && !m_world.contains(visible))
        m_dirty = true; // the view left the map: make room
    ensureMapping();
    if (m_pixmapStale)
        rebuildPixmap();
    QPainter painter(this);
    painter.drawPixmap(0, 0, m_pixmap);

    QRectF r(mapFromScene(visible.topLeft()), mapFromScene(visible.bottomRight()));
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setClipRect(QRectF(rect()).adjusted(1, 1, -1, -1));
    QColor fill = style::selection();
    fill.setAlpha(28);
    painter.setBrush(fill);
    painter.setPen(QPen(style::selection(), 1.2));
    painter.drawRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), 2, 2);
}

void MiniMap::resizeEvent(QResizeEvent *event)
{
    m_dirty = true;
    QWidget::resizeEvent(event);
}

void MiniMap::panTo(QPointF widgetPos)
{
    ensureMapping();
    m_view->centerOn(mapToScene(widgetPos));
    update();
}

void MiniMap::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    m_dragging = true;
    panTo(event->position());
    event->accept();
}

void MiniMap::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragging && (event->buttons() & Qt::LeftButton)) {
        panTo(event->position());
        event->accept();
        return;
    }
    QWidget::mouseMoveEvent(event);
}

void MiniMap::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_dragging && event->button() == Qt::LeftButton) {
        m_dragging = false;
        event->accept();
        return;
    }
    QWidget::mouseReleaseEvent(event);
}

} // namespace flowbench::canvas

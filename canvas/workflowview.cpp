#include "workflowview.h"

#include "addnodepopup.h"
#include "canvasstyle.h"
#include "findnodebar.h"
#include "minimap.h"
#include "workflowscene.h"

#include <QAction>
#include <QGestureEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QNativeGestureEvent>
#include <QPainter>
#include <QPinchGesture>
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

    viewport()->grabGesture(Qt::PinchGesture);

    m_miniMap = new MiniMap(this);
    m_findBar = new FindNodeBar(this);
    createActions();
    placeOverlays();

    connect(m_scene, &WorkflowScene::connectionDroppedOnEmpty, this,
            [this](const QString &sourceId, const QString &sourceHandle, QPointF scenePos) {
                showAddNodePopup(scenePos, sourceId, sourceHandle);
            });
}

void WorkflowView::createActions()
{
    m_fitAllAction = new QAction(tr("Fit All"), this);
    m_fitAllAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_1));
    m_fitAllAction->setStatusTip(tr("Zoom to show the whole workflow"));
    connect(m_fitAllAction, &QAction::triggered, this, &WorkflowView::fitAll);

    // Ctrl+= is Ctrl++ without Shift on most layouts; both zoom in. QKeySequence::ZoomIn is
    // one of them on every platform Flowbench runs on, so it is not listed again.
    m_zoomInAction = new QAction(tr("Zoom In"), this);
    m_zoomInAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus)});
    m_zoomInAction->setStatusTip(tr("Zoom in on the centre of the canvas"));
    connect(m_zoomInAction, &QAction::triggered, this, &WorkflowView::zoomIn);

    m_zoomOutAction = new QAction(tr("Zoom Out"), this);
    m_zoomOutAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Minus));
    m_zoomOutAction->setStatusTip(tr("Zoom out from the centre of the canvas"));
    connect(m_zoomOutAction, &QAction::triggered, this, &WorkflowView::zoomOut);

    m_resetZoomAction = new QAction(tr("Zoom to 100%"), this);
    m_resetZoomAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    connect(m_resetZoomAction, &QAction::triggered, this, &WorkflowView::resetZoom);

    m_fitSelectionAction = new QAction(tr("Fit Selection"), this);
    m_fitSelectionAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_2));
    m_fitSelectionAction->setStatusTip(tr("Zoom to show the selected nodes"));
    connect(m_fitSelectionAction, &QAction::triggered, this, &WorkflowView::fitSelection);

    m_minimapAction = new QAction(tr("Minimap"), this);
    m_minimapAction->setCheckable(true);
    m_minimapAction->setChecked(true);
    m_minimapAction->setStatusTip(tr("Show an overview of the whole workflow"));
    connect(m_minimapAction, &QAction::toggled, m_miniMap, &QWidget::setVisible);

    m_findAction = new QAction(tr("Find Node…"), this);
    m_findAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F));
    m_findAction->setStatusTip(tr("Find a node by title, id or type"));
    connect(m_findAction, &QAction::triggered, this, &WorkflowView::showFindBar);

    // Added to the view so their shortcuts work where the window puts them in no menu; scoped
    // to the canvas so they never steal keys from the panels (their own Ctrl+F, text fields).
    for (QAction *action : {m_fitAllAction, m_zoomInAction, m_zoomOutAction, m_resetZoomAction,
                            m_fitSelectionAction, m_minimapAction, m_findAction}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
    }
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
    viewChanged();
}

void WorkflowView::zoomBy(double factor)
{
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    if (qFuzzyCompare(target, zoom()))
        return;
    const double f = target / zoom();
    scale(f, f); // about the cursor: transformationAnchor is AnchorUnderMouse
    viewChanged();
}

void WorkflowView::zoomIn()
{
    setZoom(zoom() * 1.2);
}

void WorkflowView::zoomOut()
{
    setZoom(zoom() / 1.2);
}

void WorkflowView::resetZoom()
{
    setZoom(1.0);
}

void WorkflowView::zoomAbout(double factor, QPointF viewportPos)
{
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    if (qFuzzyCompare(target, zoom()))
        return;
    const QPointF anchor = mapToScene(viewportPos.toPoint());
    const ViewportAnchor previous = transformationAnchor();
    setTransformationAnchor(NoAnchor);
    setTransform(QTransform::fromScale(target, target));
    setTransformationAnchor(previous);
    // Scroll so the anchor is back under the fingers.
    const QPointF drift = mapFromScene(anchor) - viewportPos;
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() + int(std::round(drift.x())));
    verticalScrollBar()->setValue(verticalScrollBar()->value() + int(std::round(drift.y())));
    viewChanged();
}

void WorkflowView::fitSelection()
{
    QRectF selected;
    for (const QString &id : m_scene->selectedNodeIds())
        selected = selected.united(m_scene->nodeSceneRect(id));
    if (selected.isNull())
        return;
    const QRectF target = selected.adjusted(-48, -48, 48, 48);
    const QSizeF port = viewport()->size();
    const double fit = std::min(port.width() / target.width(), port.height() / target.height());
    setZoom(std::min(fit, std::max(zoom(), 1.0)));
    centerOn(selected.center());
    viewChanged();
}

void WorkflowView::showFindBar()
{
    placeOverlays();
    m_findBar->activate();
}

void WorkflowView::showAddNodePopup(QPointF scenePos, const QString &sourceId,
                                    const QString &sourceHandle)
{
    if (!m_addNodePopup) {
        m_addNodePopup = new AddNodePopup(this);
        connect(m_addNodePopup, &AddNodePopup::kindChosen, this, [this](const QString &kind) {
            const QString id = m_scene->addNodeAt(kind, m_addAt, m_addFromNode, m_addFromHandle);
            if (!id.isEmpty())
                setFocus(Qt::PopupFocusReason);
        });
    }
    m_addAt = scenePos;
    m_addFromNode = sourceId;
    m_addFromHandle = sourceHandle;
    m_addNodePopup->popup(viewport()->mapToGlobal(mapFromScene(scenePos)));
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
    viewChanged();
}

void WorkflowView::centerOnNode(const QString &id)
{
    const QRectF rect = m_scene->nodeSceneRect(id);
    if (!rect.isNull())
        centerOn(rect.center());
}

void WorkflowView::placeOverlays()
{
    constexpr int kMargin = 12;
    if (!m_miniMap || !m_findBar)
        return;
    m_miniMap->move(width() - m_miniMap->width() - kMargin,
                    height() - m_miniMap->height() - kMargin);
    const int barWidth = std::max(
        0, std::min(std::max(m_findBar->sizeHint().width(), 380), width() - 2 * kMargin));
    m_findBar->setGeometry(width() - barWidth - kMargin, kMargin, barWidth,
                           m_findBar->sizeHint().height());
    m_miniMap->raise();
    m_findBar->raise();
}

void WorkflowView::viewChanged()
{
    if (m_miniMap && m_miniMap->isVisible())
        m_miniMap->update();
}

void WorkflowView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    placeOverlays();
    viewChanged();
}

void WorkflowView::scrollContentsBy(int dx, int dy)
{
    QGraphicsView::scrollContentsBy(dx, dy);
    viewChanged();
}

bool WorkflowView::viewportEvent(QEvent *event)
{
    switch (event->type()) {
    case QEvent::NativeGesture: {
        // macOS trackpad pinch: value() is the change of scale since the last event.
        auto *gesture = static_cast<QNativeGestureEvent *>(event);
        if (gesture->gestureType() == Qt::ZoomNativeGesture) {
            zoomAbout(1.0 + gesture->value(), gesture->position());
            event->accept();
            return true;
        }
        break;
    }
    case QEvent::Gesture:
        if (pinchGesture(static_cast<QGestureEvent *>(event)))
            return true;
        break;
    default:
        break;
    }
    return QGraphicsView::viewportEvent(event);
}

bool WorkflowView::pinchGesture(QGestureEvent *event)
{
    auto *pinch = static_cast<QPinchGesture *>(event->gesture(Qt::PinchGesture));
    if (!pinch)
        return false;
    if (pinch->changeFlags() & QPinchGesture::ScaleFactorChanged) {
        const QPointF centre = viewport()->mapFromGlobal(pinch->centerPoint().toPoint());
        zoomAbout(pinch->scaleFactor(), centre);
    }
    event->accept(pinch);
    return true;
}

void WorkflowView::drawBackground(QPainter *painter, const QRectF &rect)
{
    // Dots every 20 scene units, coarser when zoomed out; drawn from a cached image.
    style::drawDotGrid(painter, rect, zoom());
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
    if (event->key() == Qt::Key_F3 && m_findBar->isVisible()) {
        event->modifiers() & Qt::ShiftModifier ? m_findBar->findPrevious() : m_findBar->findNext();
        event->accept();
        return;
    }
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

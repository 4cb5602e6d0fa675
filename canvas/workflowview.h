#pragma once

#include <QGraphicsView>
#include <QPointF>

class QAction;
class QGestureEvent;

namespace flowbench::canvas {

class AddNodePopup;
class FindNodeBar;
class MiniMap;
class WorkflowScene;

// The canvas view: antialiased, a dotted grid behind the graph, wheel zoom about the cursor
// (0.1x to 4x), middle-button drag (or Space + left drag) to pan, rubber-band selection with the
// left button on empty canvas; no scroll bars. Also:
//  - keyboard zoom (Ctrl+= / Ctrl++ in, Ctrl+- out, Ctrl+0 to 100%), fit all (Shift+1), fit
//    selection (Shift+2): QActions the view owns and adds to itself (shortcut context: the view
//    and its children), for the window's menus too;
//  - pinch zoom about the fingers (QNativeGestureEvent::ZoomNativeGesture on macOS trackpads,
//    QPinchGesture on touch screens);
//  - a minimap in the bottom-right corner (minimapAction() toggles it) and a find bar at the top
//    (findAction(), Ctrl+F), both child widgets of the view;
//  - the searchable "add node" popup where the scene reports a connection dropped on empty
//    canvas (WorkflowScene::connectionDroppedOnEmpty): the chosen kind is added there and
//    connected (WorkflowScene::addNodeAt).
// GUI thread only.
class WorkflowView : public QGraphicsView
{
    Q_OBJECT

public:
    explicit WorkflowView(WorkflowScene *scene, QWidget *parent = nullptr);

    [[nodiscard]] WorkflowScene *workflowScene() const { return m_scene; }
    // "Fit All" (Shift+1, as in Dify and Figma): triggers fitAll(). Owned by the view.
    [[nodiscard]] QAction *fitAllAction() const { return m_fitAllAction; }
    // Keyboard zoom: in and out by 1.2x about the view's centre, and back to 100%.
    [[nodiscard]] QAction *zoomInAction() const { return m_zoomInAction; }
    [[nodiscard]] QAction *zoomOutAction() const { return m_zoomOutAction; }
    [[nodiscard]] QAction *resetZoomAction() const { return m_resetZoomAction; }
    // "Fit Selection" (Shift+2): triggers fitSelection().
    [[nodiscard]] QAction *fitSelectionAction() const { return m_fitSelectionAction; }
    // Checkable, checked by default: shows the minimap.
    [[nodiscard]] QAction *minimapAction() const { return m_minimapAction; }
    // "Find Node" (Ctrl+F): shows the find bar.
    [[nodiscard]] QAction *findAction() const { return m_findAction; }

    [[nodiscard]] MiniMap *miniMap() const { return m_miniMap; }
    [[nodiscard]] FindNodeBar *findBar() const { return m_findBar; }
    // The "add node" popup; created on first use, nullptr before.
    [[nodiscard]] AddNodePopup *addNodePopup() const { return m_addNodePopup; }

    [[nodiscard]] double zoom() const;

    static constexpr double kMinZoom = 0.1;
    static constexpr double kMaxZoom = 4.0;

public Q_SLOTS:
    // Shows every node, never enlarging past 100%.
    void fitAll();
    // Scrolls so the node is in the middle of the view; the zoom stays.
    void centerOnNode(const QString &id);
    // Sets the zoom factor (clamped), keeping the view's centre.
    void setZoom(double factor);
    void zoomIn();
    void zoomOut();
    void resetZoom();
    // Zooms by `factor` (the result clamped) keeping the scene point under `viewportPos` there.
    void zoomAbout(double factor, QPointF viewportPos);
    // Shows every selected node: centres on them and zooms out as far as needed (never in past
    // 100%, or past the current zoom when that is larger). Nothing happens without a selection.
    void fitSelection();
    // Shows the find bar with its text selected.
    void showFindBar();
    // Opens the "add node" popup at the scene position; the chosen kind is added there with
    // WorkflowScene::addNodeAt(kind, scenePos, sourceId, sourceHandle).
    void showAddNodePopup(QPointF scenePos, const QString &sourceId = {},
                          const QString &sourceHandle = {});

protected:
    bool viewportEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void drawBackground(QPainter *painter, const QRectF &rect) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void keyReleaseEvent(QKeyEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    void zoomBy(double factor);
    void createActions();
    void placeOverlays();
    void viewChanged(); // what the viewport shows moved: the minimap follows
    bool pinchGesture(QGestureEvent *event);

    WorkflowScene *m_scene = nullptr;
    QAction *m_fitAllAction = nullptr;
    QAction *m_zoomInAction = nullptr;
    QAction *m_zoomOutAction = nullptr;
    QAction *m_resetZoomAction = nullptr;
    QAction *m_fitSelectionAction = nullptr;
    QAction *m_minimapAction = nullptr;
    QAction *m_findAction = nullptr;
    MiniMap *m_miniMap = nullptr;
    FindNodeBar *m_findBar = nullptr;
    AddNodePopup *m_addNodePopup = nullptr;
    // Where the pending "add node" popup adds and what it connects from.
    QPointF m_addAt;
    QString m_addFromNode;
    QString m_addFromHandle;
    bool m_panning = false;
    QPointF m_panLast;
};

} // namespace flowbench::canvas

#pragma once

#include <QGraphicsView>
#include <QPointF>

class QAction;

namespace flowbench::canvas {

class WorkflowScene;

// The canvas view: antialiased, a dotted grid behind the graph, wheel zoom about the cursor
// (0.1x to 4x), middle-button drag (or Space + left drag) to pan, rubber-band selection with the
// left button on empty canvas; no scroll bars. GUI thread only.
class WorkflowView : public QGraphicsView
{
    Q_OBJECT

public:
    explicit WorkflowView(WorkflowScene *scene, QWidget *parent = nullptr);

    [[nodiscard]] WorkflowScene *workflowScene() const { return m_scene; }
    // "Fit All" (Shift+1, as in Dify and Figma): triggers fitAll(). Owned by the view.
    [[nodiscard]] QAction *fitAllAction() const { return m_fitAllAction; }
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

protected:
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

    WorkflowScene *m_scene = nullptr;
    QAction *m_fitAllAction = nullptr;
    bool m_panning = false;
    QPointF m_panLast;
};

} // namespace flowbench::canvas

// The canvas view's helpers, driven like a user: the node palette (search, drag-and-drop), the
// "add node" popup, keyboard and pinch zoom, fit selection, the minimap and the find bar.
// Assertions are on the document, the selection and what the view shows.

#include <QApplication>
#include <QDragEnterEvent>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QNativeGestureEvent>
#include <QPointingDevice>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

#include "addnodepopup.h"
#include "document/workflowdocument.h"
#include "editsink.h"
#include "findnodebar.h"
#include "mimetypes.h"
#include "minimap.h"
#include "nodekindmodel.h"
#include "nodepalette.h"
#include "workflowscene.h"
#include "workflowview.h"

using namespace flowbench;
using document::Json;

namespace {

class DirectSink : public canvas::EditSink
{
public:
    explicit DirectSink(document::WorkflowDocument *document)
        : m_document(document)
    {}
    void applyEdit(document::Edit edit) override { m_document->apply(edit); }

private:
    document::WorkflowDocument *m_document;
};

document::Node makeNode(const char *id, const char *kind, const char *title, double x, double y)
{
    return document::Node::fromJson(Json{{"id", id},
                                         {"type", "custom"},
                                         {"position", {{"x", x}, {"y", y}}},
                                         {"data", {{"type", kind}, {"title", title}}}});
}

// start → "Summarise article" (llm) → "Classify" (question-classifier), a far "Summarise
// comments" (llm) and a code node: two titles share "summarise".
struct Canvas
{
    document::WorkflowDocument doc;
    DirectSink sink{&doc};
    canvas::WorkflowScene scene{&doc, &sink};
    canvas::WorkflowView view{&scene};

    Canvas()
    {
        document::Workflow wf;
        wf.insertNode(makeNode("start", "start", "Start", 0, 0));
        wf.insertNode(makeNode("sum_a", "llm", "Summarise article", 340, 0));
        wf.insertNode(makeNode("classify", "question-classifier", "Classify", 680, 0));
        wf.insertNode(makeNode("code_1", "code", "Post-process", 680, 300));
        wf.insertNode(makeNode("sum_b", "llm", "Summarise comments", 3400, 1800));
        wf.insertEdge(document::Edge::fromJson(Json{
            {"id", "e1"}, {"source", "start"}, {"target", "sum_a"}, {"sourceHandle", "source"}}));
        wf.insertEdge(document::Edge::fromJson(Json{{"id", "e2"},
                                                    {"source", "sum_a"},
                                                    {"target", "classify"},
                                                    {"sourceHandle", "source"}}));
        doc.reset(wf);
        view.resize(1200, 800);
        view.show();
        view.setZoom(1.0);
    }

    [[nodiscard]] const document::Workflow &wf() const { return doc.workflow(); }
    [[nodiscard]] QPointF viewCentre() const
    {
        return view.mapToScene(view.viewport()->rect().center());
    }
    [[nodiscard]] QRectF visibleRect() const
    {
        return view.mapToScene(view.viewport()->rect()).boundingRect();
    }
    [[nodiscard]] QStringList nodesOfKind(const QString &kind) const
    {
        QStringList ids;
        for (const document::Node &node : wf().nodes()) {
            if (node.kind() == kind)
                ids.append(node.id);
        }
        return ids;
    }
    bool activate()
    {
        view.activateWindow();
        view.setFocus();
        return QTest::qWaitForWindowActive(&view) && view.hasFocus();
    }
};

bool near(QPointF a, QPointF b, double tolerance)
{
    return std::abs(a.x() - b.x()) <= tolerance && std::abs(a.y() - b.y()) <= tolerance;
}

} // namespace

class TestCanvasView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void paletteListsAddableKindsByCategory();
    void paletteFilter_data();
    void paletteFilter();
    void paletteEnterAndDoubleClickActivate();
    void paletteDropAddsNodeAtDropPosition();
    void addNodePopupAddsAndConnects();
    void addNodePopupEscapeAddsNothing();
    void keyboardZoom();
    void pinchZoomKeepsPointUnderFingers();
    void fitSelectionShowsSelectedNode();
    void minimapClickMovesView();
    void minimapPixmapIsCached();
    void minimapToggles();
    void minimapAtTenThousandNodes();
    void findBarSelectsCentresAndCycles();
    void findBarMatchesIdAndKind();
    void screenshots();
};

void TestCanvasView::paletteListsAddableKindsByCategory()
{
    canvas::NodePalette palette;
    const QStringList kinds = palette.model()->visibleKinds();
    for (const char *kind : {"start", "llm", "if-else", "iteration", "loop", "code", "tool",
                             "http-request", "knowledge-retrieval", "custom-note"}) {
        QVERIFY2(kinds.contains(QLatin1String(kind)), kind);
    }
    QVERIFY(!kinds.contains(QStringLiteral("iteration-start")));
    QVERIFY(!kinds.contains(QStringLiteral("loop-start")));
    QVERIFY(!kinds.contains(QStringLiteral("variable-assigner"))); // legacy alias
    // Categories are rows with the kinds under them; the first one holds Start.
    canvas::NodeKindModel *model = palette.model();
    QVERIFY(model->rowCount() >= 5);
    const QModelIndex first = model->index(0, 0);
    QVERIFY(first.data(canvas::NodeKindModel::IsCategoryRole).toBool());
    QCOMPARE(model->index(0, 0, first).data(canvas::NodeKindModel::KindRole).toString(),
             QStringLiteral("start"));
    QVERIFY(!model->flags(first).testFlag(Qt::ItemIsDragEnabled));
    QVERIFY(
        model->flags(model->indexOfKind(QStringLiteral("llm"))).testFlag(Qt::ItemIsDragEnabled));
    QVERIFY(!model->indexOfKind(QStringLiteral("llm"))
                 .data(Qt::DecorationRole)
                 .value<QIcon>()
                 .isNull());
    QCOMPARE(palette.searchField()->placeholderText(), QStringLiteral("Search nodes"));
}

void TestCanvasView::paletteFilter_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("expected");
    QTest::newRow("name, lower case") << QStringLiteral("llm") << QStringLiteral("llm");
    QTest::newRow("name, part") << QStringLiteral("classif")
                                << QStringLiteral("question-classifier");
    QTest::newRow("kind id") << QStringLiteral("http-request") << QStringLiteral("http-request");
    QTest::newRow("kind id of a renamed kind")
        << QStringLiteral("template-transform") << QStringLiteral("template-transform");
    QTest::newRow("description") << QStringLiteral("jinja2")
                                 << QStringLiteral("template-transform");
}

void TestCanvasView::paletteFilter()
{
    QFETCH(QString, typed);
    QFETCH(QString, expected);
    canvas::NodePalette palette;
    palette.show();
    QTest::keyClicks(palette.searchField(), typed);
    QVERIFY2(palette.model()->visibleKinds().contains(expected),
             qPrintable(palette.model()->visibleKinds().join(QLatin1Char(' '))));
    QVERIFY(palette.model()->visibleKinds().size() < 6);
    QCOMPARE(palette.currentKind(), palette.model()->visibleKinds().constFirst());

    // Nothing matches: the list gives way to a note; clearing brings everything back.
    palette.searchField()->clear();
    QTest::keyClicks(palette.searchField(), QStringLiteral("zzzz"));
    QVERIFY(palette.model()->visibleKinds().isEmpty());
    QVERIFY(palette.kindView()->isHidden());
    palette.searchField()->clear();
    QVERIFY(palette.model()->visibleKinds().size() > 15);
    QVERIFY(palette.kindView()->isVisible());
}

void TestCanvasView::paletteEnterAndDoubleClickActivate()
{
    canvas::NodePalette palette;
    palette.resize(260, 900);
    palette.show();
    QSignalSpy activated(&palette, &canvas::NodePalette::kindActivated);
    QTest::keyClicks(palette.searchField(), QStringLiteral("code"));
    QTest::keyClick(palette.searchField(), Qt::Key_Return);
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.at(0).at(0).toString(), QStringLiteral("code"));

    palette.searchField()->clear();
    QTreeView *view = palette.kindView();
    const QModelIndex llm = palette.model()->indexOfKind(QStringLiteral("llm"));
    const QPoint at = view->visualRect(llm).center();
    // What a window system delivers for a double-click: press, release, press, double-click,
    // release.
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
    QTest::mousePress(view->viewport(), Qt::LeftButton, {}, at);
    QMouseEvent dblClick(QEvent::MouseButtonDblClick, at, view->viewport()->mapToGlobal(at),
                         Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->viewport(), &dblClick);
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(activated.size(), 2);
    QCOMPARE(activated.at(1).at(0).toString(), QStringLiteral("llm"));

    // Down in the search line walks the kinds, skipping category rows.
    palette.searchField()->setFocus();
    QTest::keyClicks(palette.searchField(), QStringLiteral("e"));
    const QString first = palette.currentKind();
    QTest::keyClick(palette.searchField(), Qt::Key_Down);
    QVERIFY(!palette.currentKind().isEmpty());
    QVERIFY(palette.currentKind() != first);
}

void TestCanvasView::paletteDropAddsNodeAtDropPosition()
{
    Canvas c;
    const QPointF dropScene(1500, 600);
    c.view.centerOn(dropScene);
    const QPoint at = c.view.mapFromScene(dropScene);
    std::unique_ptr<QMimeData> mime(canvas::NodePalette::mimeDataForKind(QStringLiteral("llm")));
    QCOMPARE(QString::fromUtf8(mime->data(QString::fromLatin1(canvas::kNodeKindMimeType))),
             QStringLiteral("llm"));

    QDragEnterEvent enter(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(c.view.viewport(), &enter);
    QVERIFY(enter.isAccepted());
    QDragMoveEvent move(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(c.view.viewport(), &move);
    QVERIFY(move.isAccepted());
    QDropEvent drop(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(c.view.viewport(), &drop);

    const QStringList llms = c.nodesOfKind(QStringLiteral("llm"));
    QCOMPARE(llms.size(), 3);
    const QString added = llms.constLast();
    QVERIFY(added != QLatin1String("sum_a") && added != QLatin1String("sum_b"));
    // The node lands where it was dropped (snapped to the grid: within one step).
    const QRectF rect = c.scene.nodeSceneRect(added);
    QVERIFY2(rect.adjusted(-20, -20, 20, 20).contains(dropScene),
             qPrintable(QStringLiteral("%1,%2 %3x%4")
                            .arg(rect.x())
                            .arg(rect.y())
                            .arg(rect.width())
                            .arg(rect.height())));
    QCOMPARE(c.scene.selectedNodeIds(), QStringList{added});
}

void TestCanvasView::addNodePopupAddsAndConnects()
{
    Canvas c;
    const QPointF where(1100, 0);
    QSignalSpy refused(&c.scene, &canvas::WorkflowScene::editRefused);
    // What the scene reports when a connection from a port is released on empty canvas.
    Q_EMIT c.scene.connectionDroppedOnEmpty(QStringLiteral("sum_a"), QStringLiteral("source"),
                                            where);
    canvas::AddNodePopup *popup = c.view.addNodePopup();
    QVERIFY(popup);
    QVERIFY(popup->isVisible());
    QVERIFY(popup->isWindow());
    QTRY_VERIFY(popup->searchField()->hasFocus());
    QTest::keyClicks(popup->searchField(), QStringLiteral("templ"));
    QCOMPARE(popup->model()->visibleKinds(), QStringList{QStringLiteral("template-transform")});
    QTest::keyClick(popup->searchField(), Qt::Key_Return);
    QVERIFY(!popup->isVisible());

    const QStringList added = c.nodesOfKind(QStringLiteral("template-transform"));
    QVERIFY2(refused.isEmpty(),
             refused.isEmpty() ? "" : qPrintable(refused.at(0).at(0).toString()));
    QCOMPARE(added.size(), 1);
    bool connected = false;
    for (const document::Edge *edge : c.wf().outgoingEdges(QStringLiteral("sum_a"))) {
        if (edge->target == added.constFirst())
            connected = edge->sourceHandle == QLatin1String("source");
    }
    QVERIFY(connected);
    QVERIFY(c.scene.nodeSceneRect(added.constFirst()).adjusted(-20, -40, 20, 40).contains(where));
}

void TestCanvasView::addNodePopupEscapeAddsNothing()
{
    Canvas c;
    const int before = int(c.wf().nodes().size());
    c.view.showAddNodePopup(QPointF(1100, 400), QStringLiteral("code_1"), QStringLiteral("source"));
    canvas::AddNodePopup *popup = c.view.addNodePopup();
    QVERIFY(popup->isVisible());
    QTest::keyClicks(popup->searchField(), QStringLiteral("code"));
    QTest::keyClick(popup->searchField(), Qt::Key_Escape);
    QVERIFY(!popup->isVisible());
    QCOMPARE(int(c.wf().nodes().size()), before);

    // A second popup starts with an empty search; a click on a kind chooses it.
    c.view.showAddNodePopup(QPointF(1100, 400), QStringLiteral("code_1"), QStringLiteral("source"));
    QVERIFY(popup->searchField()->text().isEmpty());
    QTest::keyClicks(popup->searchField(), QStringLiteral("answer"));
    const QModelIndex answer = popup->model()->indexOfKind(QStringLiteral("answer"));
    QVERIFY(answer.isValid());
    QTest::mouseClick(popup->kindView()->viewport(), Qt::LeftButton, {},
                      popup->kindView()->visualRect(answer).center());
    QCOMPARE(c.nodesOfKind(QStringLiteral("answer")).size(), 1);
    QCOMPARE(int(c.wf().nodes().size()), before + 1);
}

void TestCanvasView::keyboardZoom()
{
    Canvas c;
    QVERIFY(c.activate());
    const QPointF centre = c.viewCentre();
    QTest::keyClick(&c.view, Qt::Key_Equal, Qt::ControlModifier);
    QVERIFY2(c.view.zoom() > 1.1, qPrintable(QString::number(c.view.zoom())));
    QVERIFY(near(c.viewCentre(), centre, 2)); // about the centre
    QTest::keyClick(&c.view, Qt::Key_Plus, Qt::ControlModifier);
    const double twice = c.view.zoom();
    QVERIFY(twice > 1.3);
    QTest::keyClick(&c.view, Qt::Key_Minus, Qt::ControlModifier);
    QTest::keyClick(&c.view, Qt::Key_Minus, Qt::ControlModifier);
    QTest::keyClick(&c.view, Qt::Key_Minus, Qt::ControlModifier);
    QVERIFY(c.view.zoom() < 0.9);
    QTest::keyClick(&c.view, Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(c.view.zoom(), 1.0);
    // Many zoom-ins stop at the maximum.
    for (int i = 0; i < 30; ++i)
        c.view.zoomInAction()->trigger();
    QCOMPARE(c.view.zoom(), canvas::WorkflowView::kMaxZoom);
    c.view.resetZoomAction()->trigger();
    QCOMPARE(c.view.zoom(), 1.0);
}

void TestCanvasView::pinchZoomKeepsPointUnderFingers()
{
    Canvas c;
    const QPointF fingers(300, 200);
    const QPointF under = c.view.mapToScene(fingers.toPoint());
    QNativeGestureEvent pinch(Qt::ZoomNativeGesture, QPointingDevice::primaryPointingDevice(), 2,
                              fingers, fingers, c.view.viewport()->mapToGlobal(fingers), 0.5,
                              QPointF());
    QApplication::sendEvent(c.view.viewport(), &pinch);
    QVERIFY(qAbs(c.view.zoom() - 1.5) < 1e-6);
    QVERIFY(near(c.view.mapFromScene(under), fingers, 1.5));
}

void TestCanvasView::fitSelectionShowsSelectedNode()
{
    Canvas c;
    c.view.centerOn(0, 0);
    const QRectF far = c.scene.nodeSceneRect(QStringLiteral("sum_b"));
    QVERIFY(!c.visibleRect().intersects(far));
    c.scene.selectNodes({QStringLiteral("sum_b")});
    c.view.fitSelectionAction()->trigger();
    QVERIFY(c.visibleRect().contains(far));
    QCOMPARE(c.view.zoom(), 1.0); // a single node is not blown up

    // Two nodes far apart: zooms out until both fit.
    c.scene.selectNodes({QStringLiteral("start"), QStringLiteral("sum_b")});
    c.view.fitSelection();
    QVERIFY(c.view.zoom() < 1.0);
    QVERIFY(c.visibleRect().contains(c.scene.nodeSceneRect(QStringLiteral("start"))));
    QVERIFY(c.visibleRect().contains(far));
}

void TestCanvasView::minimapClickMovesView()
{
    Canvas c;
    QVERIFY(QTest::qWaitForWindowExposed(&c.view));
    canvas::MiniMap *map = c.view.miniMap();
    QVERIFY(map->isVisible());
    // Anchored in the bottom-right corner of the view.
    QVERIFY(map->geometry().right() > c.view.width() - 40);
    QVERIFY(map->geometry().bottom() > c.view.height() - 40);
    map->repaint(); // builds the mapping
    c.view.centerOn(0, 0);

    const QPointF target = c.scene.nodeSceneRect(QStringLiteral("sum_b")).center();
    const QPoint click = map->mapFromScene(target).toPoint();
    QVERIFY(map->rect().contains(click));
    QTest::mouseClick(map, Qt::LeftButton, {}, click);
    // Within a minimap pixel or so (about 20 scene units at this scale).
    QVERIFY2(near(c.viewCentre(), target, 30),
             qPrintable(QStringLiteral("%1,%2").arg(c.viewCentre().x()).arg(c.viewCentre().y())));
    QVERIFY(c.visibleRect().contains(c.scene.nodeSceneRect(QStringLiteral("sum_b"))));

    // Dragging pans continuously.
    const QPointF start = c.scene.nodeSceneRect(QStringLiteral("start")).center();
    QTest::mousePress(map, Qt::LeftButton, {}, click);
    QMouseEvent drag(QEvent::MouseMove, map->mapFromScene(start),
                     map->mapToGlobal(map->mapFromScene(start)), Qt::NoButton, Qt::LeftButton,
                     Qt::NoModifier);
    QApplication::sendEvent(map, &drag);
    QTest::mouseRelease(map, Qt::LeftButton, {}, map->mapFromScene(start).toPoint());
    QVERIFY(c.visibleRect().contains(c.scene.nodeSceneRect(QStringLiteral("start"))));
}

void TestCanvasView::minimapPixmapIsCached()
{
    Canvas c;
    QVERIFY(QTest::qWaitForWindowExposed(&c.view));
    canvas::MiniMap *map = c.view.miniMap();
    map->repaint();
    const int builds = map->pixmapBuilds();
    QVERIFY(builds >= 1);
    // Panning and zooming repaint the viewport rectangle only.
    c.view.centerOn(2000, 1000);
    c.view.zoomIn();
    map->repaint();
    QCOMPARE(map->pixmapBuilds(), builds);
    // A document change rebuilds it, once.
    document::MoveNodesEdit move;
    move.positions.append({QStringLiteral("code_1"), QPointF(900, 500)});
    c.sink.applyEdit(document::Edit(std::move(move), QStringLiteral("Move")));
    map->repaint();
    map->repaint();
    QCOMPARE(map->pixmapBuilds(), builds + 1);
}

void TestCanvasView::minimapToggles()
{
    Canvas c;
    QAction *toggle = c.view.minimapAction();
    QVERIFY(toggle->isCheckable());
    QVERIFY(toggle->isChecked());
    toggle->trigger();
    QVERIFY(!c.view.miniMap()->isVisible());
    toggle->trigger();
    QVERIFY(c.view.miniMap()->isVisible());
}

void TestCanvasView::minimapAtTenThousandNodes()
{
    document::WorkflowDocument doc;
    DirectSink sink(&doc);
    document::Workflow wf;
    std::vector<document::Node> nodes;
    nodes.reserve(10000);
    for (int i = 0; i < 10000; ++i) {
        const QByteArray id = "n" + QByteArray::number(i);
        nodes.push_back(makeNode(id.constData(), "code", "Step", (i % 100) * 300, (i / 100) * 160));
    }
    wf.setNodes(std::move(nodes));
    doc.reset(wf);
    canvas::WorkflowScene scene(&doc, &sink);
    canvas::WorkflowView view(&scene);
    view.resize(1200, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    canvas::MiniMap *map = view.miniMap();
    const int builds = map->pixmapBuilds();
    map->invalidate();
    QElapsedTimer timer;
    timer.start();
    map->repaint();
    const qint64 buildNs = timer.nsecsElapsed();
    QCOMPARE(map->pixmapBuilds(), builds + 1);
    // Panning inside the map repaints the cached pixmap and the view rectangle only (timed: the
    // minimap's own painting, not the view's).
    QPixmap target(map->size());
    qint64 paintNs = 0;
    for (int i = 0; i < 20; ++i) {
        view.centerOn(3000 + i * 100, 3000);
        timer.restart();
        map->render(&target);
        paintNs += timer.nsecsElapsed();
    }
    const qint64 panNs = paintNs / 20;
    QCOMPARE(map->pixmapBuilds(), builds + 1);
    qInfo("minimap, 10,000 nodes: pixmap build %.2f ms, repaint while panning %.3f ms",
          buildNs / 1e6, panNs / 1e6);
}

void TestCanvasView::findBarSelectsCentresAndCycles()
{
    Canvas c;
    QVERIFY(c.activate());
    canvas::FindNodeBar *bar = c.view.findBar();
    QVERIFY(!bar->isVisible());
    QTest::keyClick(&c.view, Qt::Key_F, Qt::ControlModifier);
    QVERIFY(bar->isVisible());
    QTRY_VERIFY(bar->lineEdit()->hasFocus());
    QVERIFY(bar->geometry().top() < 40); // over the top of the view

    QTest::keyClicks(bar->lineEdit(), QStringLiteral("SUMMARISE"));
    QCOMPARE(bar->matches(), (QStringList{QStringLiteral("sum_a"), QStringLiteral("sum_b")}));
    QCOMPARE(c.scene.selectedNodeIds(), QStringList{QStringLiteral("sum_a")});
    QVERIFY(near(c.viewCentre(), c.scene.nodeSceneRect(QStringLiteral("sum_a")).center(), 2));
    QCOMPARE(bar->statusText(), QStringLiteral("1 of 2"));

    QTest::keyClick(bar->lineEdit(), Qt::Key_Return);
    QCOMPARE(c.scene.selectedNodeIds(), QStringList{QStringLiteral("sum_b")});
    QVERIFY(near(c.viewCentre(), c.scene.nodeSceneRect(QStringLiteral("sum_b")).center(), 2));
    QCOMPARE(bar->statusText(), QStringLiteral("2 of 2"));

    QTest::keyClick(bar->lineEdit(), Qt::Key_F3); // wraps around
    QCOMPARE(c.scene.selectedNodeIds(), QStringList{QStringLiteral("sum_a")});
    QTest::keyClick(bar->lineEdit(), Qt::Key_F3, Qt::ShiftModifier);
    QCOMPARE(c.scene.selectedNodeIds(), QStringList{QStringLiteral("sum_b")});

    bar->lineEdit()->selectAll();
    QTest::keyClicks(bar->lineEdit(), QStringLiteral("nothing like it"));
    QVERIFY(bar->matches().isEmpty());
    QCOMPARE(bar->statusText(), QStringLiteral("No match"));

    QTest::keyClick(bar->lineEdit(), Qt::Key_Escape);
    QVERIFY(!bar->isVisible());
    QVERIFY(c.view.hasFocus());
}

void TestCanvasView::findBarMatchesIdAndKind()
{
    Canvas c;
    c.view.showFindBar();
    canvas::FindNodeBar *bar = c.view.findBar();
    QTest::keyClicks(bar->lineEdit(), QStringLiteral("code_1"));
    QCOMPARE(bar->matches(), QStringList{QStringLiteral("code_1")});
    QCOMPARE(c.scene.selectedNodeIds(), QStringList{QStringLiteral("code_1")});
    bar->lineEdit()->clear();
    QVERIFY(bar->statusText().isEmpty());
    QTest::keyClicks(bar->lineEdit(), QStringLiteral("question-classifier"));
    QCOMPARE(bar->matches(), QStringList{QStringLiteral("classify")});
    bar->lineEdit()->clear();
    QTest::keyClicks(bar->lineEdit(), QStringLiteral("LLM"));
    QCOMPARE(bar->matches(), (QStringList{QStringLiteral("sum_a"), QStringLiteral("sum_b")}));
    // The document changes under the bar: the matches follow.
    c.scene.addNodeAt(QStringLiteral("llm"), QPointF(0, 600));
    QCOMPARE(bar->matches().size(), 3);
}

void TestCanvasView::screenshots()
{
    Canvas c;
    c.view.resize(1100, 700);
    c.view.fitAll();
    c.view.showFindBar();
    QTest::keyClicks(c.view.findBar()->lineEdit(), QStringLiteral("summ"));
    c.view.centerOn(c.scene.nodeSceneRect(QStringLiteral("classify")).center());
    QVERIFY(c.view.grab().save(QStringLiteral("/tmp/c3-view.png")));
    c.view.resetZoom();
    c.view.centerOn(c.scene.nodeSceneRect(QStringLiteral("sum_a")).center());
    QVERIFY(c.view.grab().save(QStringLiteral("/tmp/c3-view-100.png")));

    canvas::NodePalette palette;
    palette.resize(260, 640);
    palette.show();
    QVERIFY(palette.grab().save(QStringLiteral("/tmp/c3-palette.png")));
    QTest::keyClicks(palette.searchField(), QStringLiteral("ex"));
    QVERIFY(palette.grab().save(QStringLiteral("/tmp/c3-palette-filtered.png")));

    c.view.showAddNodePopup(QPointF(1100, 0), QStringLiteral("classify"), QStringLiteral("1"));
    QTest::keyClicks(c.view.addNodePopup()->searchField(), QStringLiteral("t"));
    QVERIFY(c.view.addNodePopup()->grab().save(QStringLiteral("/tmp/c3-popup.png")));
    c.view.addNodePopup()->close();
}

QTEST_MAIN(TestCanvasView)
#include "tst_canvasview.moc"

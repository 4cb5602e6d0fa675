// Canvas figures for generated layered graphs (1,000 nodes / 1,500 edges and 10,000 nodes /
// 15,000 edges of real kinds): time to build the scene, frame time at 100% zoom and with
// everything in view, and frame time while dragging a selection of 50 nodes, for the BSP tree
// index and for no index. Prints a table; it is not a pass/fail test.
//
//     QT_QPA_PLATFORM=offscreen build/tests/bench/bench_canvas [frames [1000|10000]]
//
// Environment: BENCH_CANVAS_CLOCK=cpu times the thread's CPU time (a machine busy with other
// work); BENCH_CANVAS_GRID=cached draws the grid with canvas::style::drawDotGrid instead of the
// view's drawBackground; BENCH_CANVAS_GRAB=1 saves the view at 100% and at fit all
// (/tmp/perf-N-100.png, /tmp/perf-N-fit.png) and what a drag looks like (/tmp/c2-drag-*.png);
// BENCH_CANVAS_DRAG_ONLY=1 stops after the first drag figures (to profile a drag).
//
// A frame is a synchronous full repaint of the 1600x1000 viewport (QWidget::repaint) on the
// offscreen platform's raster backing store: what a real frame paints, without the flush to a
// screen. A drag frame is one mouse-move event on the viewport with the pointer button held,
// the queued event processing it causes, and the paint of the dirty region (an UpdateRequest
// sent to the window, which paints at once what Qt would paint on its next update).
#include "canvasstyle.h"
#include "document/workflowdocument.h"
#include "editsink.h"
#include "nodeitem.h"
#include "edgeitem.h"
#include "nodes/registry.h"
#include "runoverlay.h"
#include "workflowscene.h"
#include "workflowview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <vector>

using namespace flowbench;
using document::Json;

namespace {

class ApplySink : public canvas::EditSink
{
public:
    explicit ApplySink(document::WorkflowDocument *doc)
        : m_doc(doc)
    {}
    void applyEdit(document::Edit edit) override { m_doc->apply(edit); }

private:
    document::WorkflowDocument *m_doc;
};

constexpr int kColumnWidth = 320;
constexpr int kRowHeight = 150;

// A layered DAG: `rows` nodes per column, each node fed by the node in the same row of the
// previous column, every other node also by the row above: about 1.5 edges per node. Kinds
// cycle through the common ones; if-else nodes feed their two handles to different rows.
document::Workflow makeWorkflow(int count, int rows)
{
    const auto &registry = nodes::NodeRegistry::instance();
    const QStringList kinds = {QStringLiteral("llm"),
                               QStringLiteral("code"),
                               QStringLiteral("if-else"),
                               QStringLiteral("template-transform"),
                               QStringLiteral("http-request"),
                               QStringLiteral("question-classifier"),
                               QStringLiteral("variable-aggregator"),
                               QStringLiteral("parameter-extractor")};
    std::vector<document::Node> nodes;
    std::vector<document::Edge> edges;
    std::vector<QString> handlesOf; // second handle of each node (branching kinds), else source
    std::vector<QString> firstHandle;
    nodes.reserve(size_t(count));
    for (int i = 0; i < count; ++i) {
        const int column = i / rows;
        const int row = i % rows;
        const QString kind = i == 0 ? QStringLiteral("start") : kinds[i % kinds.size()];
        const nodes::NodeKindInfo *info = registry.find(kind);
        Json data = info && info->defaultData ? info->defaultData() : Json::object();
        data["type"] = kind.toStdString();
        data["title"]
            = QStringLiteral("%1 %2").arg(info ? info->displayName : kind).arg(i).toStdString();
        document::Node node;
        node.id = QStringLiteral("n%1").arg(i);
        node.data = std::move(data);
        node.wrapper = Json{{"type", "custom"},
                            {"width", 244},
                            {"height", 90},
                            {"sourcePosition", "right"},
                            {"targetPosition", "left"}};
        node.setPosition(QPointF(column * kColumnWidth, row * kRowHeight));
        const std::vector<nodes::Handle> handles = registry.handlesFor(kind, node.data);
        firstHandle.push_back(handles.empty() ? QStringLiteral("source") : handles.front().id);
        handlesOf.push_back(handles.size() > 1 ? handles[1].id : firstHandle.back());
        nodes.push_back(std::move(node));
    }
    auto connect = [&](int from, int to, const QString &handle) {
        document::Edge edge;
        edge.source = nodes[size_t(from)].id;
        edge.target = nodes[size_t(to)].id;
        edge.sourceHandle = handle;
        edge.id = document::makeEdgeId(edge.source, handle, edge.target);
        edge.wrapper = Json{{"type", "custom"}, {"targetHandle", "target"}};
        edges.push_back(std::move(edge));
    };
    for (int i = rows; i < count; ++i) {
        connect(i - rows, i, firstHandle[size_t(i - rows)]);
        if (i % 2 == 0 && i % rows != 0)
            connect(i - rows - 1, i, handlesOf[size_t(i - rows - 1)]);
        if (i % 17 == 0 && i % rows != rows - 1)
            connect(i - rows + 1, i, firstHandle[size_t(i - rows + 1)]);
    }
    document::Workflow wf;
    wf.setNodes(std::move(nodes));
    wf.setEdges(std::move(edges));
    return wf;
}

// The view, with its grid switchable: what the dot grid costs, and what it costs drawn from
// the cached image (canvas::style::drawDotGrid; BENCH_CANVAS_GRID=cached draws every figure's
// grid that way instead of with the view's own drawBackground).
class BenchView : public canvas::WorkflowView
{
public:
    using WorkflowView::WorkflowView;
    bool grid = true;
    bool cachedGrid = qgetenv("BENCH_CANVAS_GRID") == "cached";

protected:
    void drawBackground(QPainter *painter, const QRectF &rect) override
    {
        if (!grid)
            painter->fillRect(rect, canvas::style::background());
        else if (cachedGrid)
            canvas::style::drawDotGrid(painter, rect, zoom());
        else
            WorkflowView::drawBackground(painter, rect);
    }
};

class PaintCounter : public QObject
{
public:
    int paints = 0;
    qint64 area = 0; // pixels painted, summed over the paint events' regions

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint) {
            ++paints;
            for (const QRect &r : static_cast<QPaintEvent *>(event)->region())
                area += qint64(r.width()) * r.height();
        }
        return QObject::eventFilter(watched, event);
    }
};

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// BENCH_CANVAS_CLOCK=cpu times this thread's CPU time instead of wall time: on a machine shared
// with other work (builds), a frame's wall time includes the time the thread waited for a core.
// The painting is single-threaded, so CPU time is then the better estimate of an idle
// machine's frame.
bool useCpuClock()
{
    static const bool cpu = qgetenv("BENCH_CANVAS_CLOCK") == "cpu";
    return cpu;
}

qint64 threadCpuNs()
{
#if defined(CLOCK_THREAD_CPUTIME_ID)
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
#else
    return 0;
#endif
}

class Timer
{
public:
    void start()
    {
        m_wall.start();
        m_cpu = threadCpuNs();
    }
    void restart() { start(); }
    [[nodiscard]] qint64 nsecsElapsed() const
    {
        return useCpuClock() ? threadCpuNs() - m_cpu : m_wall.nsecsElapsed();
    }

private:
    QElapsedTimer m_wall;
    qint64 m_cpu = 0;
};

double msSince(const Timer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

void settle()
{
    for (int i = 0; i < 3; ++i)
        QCoreApplication::processEvents();
}

double frameTime(canvas::WorkflowView &view, int frames)
{
    settle();
    view.viewport()->repaint(); // warm caches (glyphs, SVG icons)
    std::vector<double> times;
    for (int i = 0; i < frames; ++i) {
        Timer t;
        t.start();
        view.viewport()->repaint();
        times.push_back(msSince(t));
    }
    return median(times);
}

// A wheel-zoom frame: the zoom changes by 1.2x (in, then back out) and the view repaints. What
// any per-zoom cache (icons, item pixmaps) costs to refill.
double zoomStepTime(canvas::WorkflowView &view, int frames)
{
    settle();
    const double base = view.zoom();
    std::vector<double> times;
    for (int i = 0; i < frames; ++i) {
        Timer t;
        t.start();
        view.setZoom(i % 2 == 0 ? base * 1.2 : base);
        view.viewport()->repaint();
        times.push_back(msSince(t));
    }
    view.setZoom(base);
    return median(times);
}

struct DragFigures
{
    double frame = 0;        // move + events + full repaint
    double events = 0;       // move + events only
    double move = 0;         // the mouse-move event alone (the scene's handler, the view's)
    int paintedInEvents = 0; // moves whose paint happened while processing events
    double drop = 0;         // release: the edit moving 50 nodes, applied
    double painted = 0;      // share of the viewport a move repaints (median, %)
};

// Selects 50 nodes around the view's centre, presses on one, moves the mouse `moves` times.
DragFigures dragFigures(canvas::WorkflowScene &scene, canvas::WorkflowView &view, int moves)
{
    DragFigures out;
    const QPointF centre = view.mapToScene(view.viewport()->rect().center());
    QList<QGraphicsItem *> near
        = scene.items(QRectF(centre - QPointF(1500, 1500), QSizeF(3000, 3000)));
    QStringList ids;
    QString pressOn;
    double best = 1e18;
    for (QGraphicsItem *item : near) {
        const auto *node = qgraphicsitem_cast<canvas::NodeItem *>(item);
        if (!node)
            continue;
        const QPointF c = scene.nodeSceneRect(node->nodeId()).center();
        const double d = QLineF(c, centre).length();
        ids.append(node->nodeId());
        if (d < best) {
            best = d;
            pressOn = node->nodeId();
        }
    }
    std::sort(ids.begin(), ids.end(), [&](const QString &a, const QString &b) {
        return QLineF(scene.nodeSceneRect(a).center(), centre).length()
               < QLineF(scene.nodeSceneRect(b).center(), centre).length();
    });
    ids = ids.mid(0, 50);
    if (!ids.contains(pressOn))
        ids.append(pressOn);
    scene.selectNodes(ids);
    settle();

    QWidget *vp = view.viewport();
    PaintCounter counter;
    vp->installEventFilter(&counter);
    const QPoint start = view.mapFromScene(scene.nodeSceneRect(pressOn).center());
    QTest::mousePress(vp, Qt::LeftButton, Qt::NoModifier, start);
    settle();
    std::vector<double> frames, events, moveOnly, painted;
    for (int i = 1; i <= moves + 2; ++i) {
        const QPoint to = start + QPoint(3 * i, 2 * i);
        Timer t;
        t.start();
        const int paintsBefore = counter.paints;
        const qint64 areaBefore = counter.area;
        QTest::mouseMove(vp, to);
        const double mv = msSince(t);
        settle(); // the scene's queued dirty-item processing; Qt may paint here
        const double e = msSince(t);
        // Where Qt deferred the paint past the event queue (a timer), paint now: the frame is
        // not over until the preview is on screen. Qt would paint only the dirty region; this
        // paints the whole viewport, so such frames are an upper bound.
        if (counter.paints == paintsBefore)
            vp->repaint();
        else
            ++out.paintedInEvents;
        const double f = msSince(t);
        painted.push_back(100.0 * double(counter.area - areaBefore)
                          / double(vp->width() * vp->height()));
        if (i > 2) { // the first moves cross the start-drag distance
            frames.push_back(f);
            events.push_back(e);
            moveOnly.push_back(mv);
        }
    }
    if (qEnvironmentVariableIsSet("BENCH_CANVAS_GRAB")) // check what the drag looks like
        view.grab().save(QStringLiteral("/tmp/c2-drag-%1-%2.png")
                             .arg(scene.itemIndexMethod() == QGraphicsScene::NoIndex ? 0 : 1)
                             .arg(scene.nodeItemCount()));
    Timer t;
    t.start();
    QTest::mouseRelease(vp, Qt::LeftButton, Qt::NoModifier,
                        start + QPoint(3 * (moves + 2), 2 * (moves + 2)));
    settle();
    out.drop = msSince(t);
    out.frame = median(frames);
    out.events = median(events);
    out.move = median(moveOnly);
    out.painted = median(painted);
    scene.clearSelection();
    return out;
}

// Every node succeeded, every edge taken: the most decorations a run makes.
void decorateAll(canvas::RunOverlay &overlay, const document::Workflow &wf)
{
    runtime::RunEvent e;
    e.type = runtime::RunEvent::Type::RunStarted;
    overlay.applyEvent(e);
    for (const document::Node &node : wf.nodes()) {
        e.nodeId = node.id;
        e.nodeKind = node.kind();
        e.type = runtime::RunEvent::Type::NodeStarted;
        overlay.applyEvent(e);
        e.type = runtime::RunEvent::Type::NodeSucceeded;
        e.elapsedMs = 1234;
        e.usage = Json{{"total_tokens", 321}};
        e.outputs = Json{{"selected_case_id", "true"}};
        overlay.applyEvent(e);
    }
    e = runtime::RunEvent();
    e.type = runtime::RunEvent::Type::RunSucceeded;
    overlay.applyEvent(e);
}

void printRow(const char *what, double bsp, double none)
{
    std::printf("  %-46s %10.3f %10.3f %8.2f\n", what, bsp, none, none > 0 ? bsp / none : 0.0);
}

void benchGraph(int count, int rows, int frames)
{
    std::printf("\n== %d nodes ==\n", count);
    document::Workflow wf = makeWorkflow(count, rows);
    std::printf("  %zu nodes, %zu edges\n", wf.nodes().size(), wf.edges().size());

    document::WorkflowDocument doc;
    ApplySink sink(&doc);
    Timer t;
    t.start();
    doc.reset(wf);
    const double reset = msSince(t);

    t.restart();
    canvas::WorkflowScene scene(&doc, &sink);
    const double build = msSince(t);
    t.restart();
    doc.reset(wf); // the same again, scene alive: a rebuild (open another file)
    const double rebuild = msSince(t);
    std::printf("  document reset %.1f ms; scene build %.1f ms; rebuild on reset %.1f ms\n", reset,
                build, rebuild);

    BenchView view(&scene);
    view.resize(1600, 1000);
    view.show();
    QTest::qWait(50);

    struct Figures
    {
        double frame100 = 0, frameFit = 0, frameAll = 0, fitZoom = 0, allZoom = 0;
        double frameDecorated = 0, decorate = 0;
        double frameNoAA = 0, frameNoNodes = 0, frameNoEdges = 0, frameNoGrid = 0;
        double frameViewFlags = 0, zoomStep = 0, frame100NoGrid = 0;
        DragFigures dragMinimal, dragBounding;
        DragFigures drag;
        double hitTest = 0;
        double frameCached = 0;
        DragFigures dragCached;
    };
    Figures fig[2];
    const QGraphicsScene::ItemIndexMethod methods[2]
        = {QGraphicsScene::BspTreeIndex, QGraphicsScene::NoIndex};
    for (int m = 0; m < 2; ++m) {
        scene.setItemIndexMethod(methods[m]);
        Figures &f = fig[m];
        view.setZoom(1.0);
        view.centerOn(scene.contentRect().center());
        f.frame100 = frameTime(view, frames);
        const bool grab = m == 0 && qEnvironmentVariableIsSet("BENCH_CANVAS_GRAB");
        if (grab)
            view.grab().save(QStringLiteral("/tmp/perf-%1-100.png").arg(count));
        view.grid = false;
        f.frame100NoGrid = frameTime(view, frames);
        view.grid = true;
        f.zoomStep = zoomStepTime(view, frames);

        // Hit test: what a click or hover costs (items under a point).
        {
            const QPointF p = view.mapToScene(view.viewport()->rect().center());
            Timer h;
            h.start();
            for (int i = 0; i < 200; ++i)
                (void)scene.items(p + QPointF(i % 7, i % 5));
            f.hitTest = msSince(h) / 200;
        }

        f.drag = dragFigures(scene, view, frames);
        if (qEnvironmentVariableIsSet("BENCH_CANVAS_DRAG_ONLY")) // for a profiler
            break;
        // The other viewport update modes, for the same drag (the view uses Smart).
        view.setViewportUpdateMode(QGraphicsView::MinimalViewportUpdate);
        f.dragMinimal = dragFigures(scene, view, frames);
        view.setViewportUpdateMode(QGraphicsView::BoundingRectViewportUpdate);
        f.dragBounding = dragFigures(scene, view, frames);
        view.setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);

        view.fitAll();
        f.fitZoom = view.zoom();
        f.frameFit = frameTime(view, frames);
        if (grab)
            view.grab().save(QStringLiteral("/tmp/perf-%1-fit.png").arg(count));
        // Everything in view, whatever the zoom (below the view's 10% floor for 10,000 nodes).
        const QRectF content = scene.contentRect();
        view.fitInView(content.adjusted(-48, -48, 48, 48), Qt::KeepAspectRatio);
        f.allZoom = view.zoom();
        f.frameAll = frameTime(view, frames);

        // Where the time goes at "everything in view": no antialiasing, nodes hidden, edges
        // hidden.
        view.setRenderHint(QPainter::Antialiasing, false);
        f.frameNoAA = frameTime(view, frames);
        view.setRenderHint(QPainter::Antialiasing, true);
        view.grid = false;
        f.frameNoGrid = frameTime(view, frames);
        view.grid = true;
        view.setOptimizationFlags(QGraphicsView::DontSavePainterState
                                  | QGraphicsView::DontAdjustForAntialiasing);
        f.frameViewFlags = frameTime(view, frames);
        view.setOptimizationFlags({});
        for (QGraphicsItem *item : scene.items())
            if (item->type() == canvas::NodeItem::Type)
                item->setVisible(false);
        f.frameNoNodes = frameTime(view, frames);
        for (QGraphicsItem *item : scene.items()) {
            if (item->type() == canvas::NodeItem::Type)
                item->setVisible(true);
            else if (item->type() == canvas::EdgeItem::Type)
                item->setVisible(false);
        }
        f.frameNoEdges = frameTime(view, frames);
        for (QGraphicsItem *item : scene.items())
            if (item->type() == canvas::EdgeItem::Type)
                item->setVisible(true);

        // A finished run on every node and edge (the overlay's worst case).
        {
            canvas::RunOverlay overlay(&scene, &sink);
            Timer d;
            d.start();
            decorateAll(overlay, doc.workflow());
            f.decorate = msSince(d);
            f.frameDecorated = frameTime(view, frames);
        }

        // What item caching would buy (the scene does not cache; this measures the idea):
        // nodes rendered once into pixmaps, then blitted.
        for (QGraphicsItem *item : scene.items())
            if (item->type() == canvas::NodeItem::Type)
                item->setCacheMode(QGraphicsItem::DeviceCoordinateCache);
        view.setZoom(1.0);
        view.centerOn(scene.contentRect().center());
        f.frameCached = frameTime(view, frames);
        f.dragCached = dragFigures(scene, view, frames);
        for (QGraphicsItem *item : scene.items())
            if (item->type() == canvas::NodeItem::Type)
                item->setCacheMode(QGraphicsItem::NoCache);
    }

    std::printf("\n  %-46s %10s %10s %8s\n", "figure (ms, median)", "BSP tree", "no index",
                "BSP/none");
    printRow("frame at 100% zoom", fig[0].frame100, fig[1].frame100);
    printRow("  same, grid not drawn", fig[0].frame100NoGrid, fig[1].frame100NoGrid);
    printRow("zoom step frame (1.2x in/out at 100%)", fig[0].zoomStep, fig[1].zoomStep);
    char label[96];
    std::snprintf(label, sizeof label, "frame, fit all (zoom %.3f)", fig[0].fitZoom);
    printRow(label, fig[0].frameFit, fig[1].frameFit);
    std::snprintf(label, sizeof label, "frame, everything in view (zoom %.3f)", fig[0].allZoom);
    printRow(label, fig[0].frameAll, fig[1].frameAll);
    printRow("  same, antialiasing off", fig[0].frameNoAA, fig[1].frameNoAA);
    printRow("  same, grid not drawn", fig[0].frameNoGrid, fig[1].frameNoGrid);
    printRow("  same, DontSavePainterState|DontAdjustForAA", fig[0].frameViewFlags,
             fig[1].frameViewFlags);
    printRow("  same, nodes hidden (edges + grid)", fig[0].frameNoNodes, fig[1].frameNoNodes);
    printRow("  same, edges hidden (nodes + grid)", fig[0].frameNoEdges, fig[1].frameNoEdges);
    printRow("  same, a finished run on every node/edge", fig[0].frameDecorated,
             fig[1].frameDecorated);
    printRow("drag 50 nodes: frame (move, events, paint)", fig[0].drag.frame, fig[1].drag.frame);
    printRow("drag 50 nodes: moves painted by the event loop", fig[0].drag.paintedInEvents,
             fig[1].drag.paintedInEvents);
    printRow("drag 50 nodes: move + queued events", fig[0].drag.events, fig[1].drag.events);
    printRow("drag 50 nodes: the move event alone", fig[0].drag.move, fig[1].drag.move);
    printRow("drag 50 nodes: % of the viewport repainted", fig[0].drag.painted,
             fig[1].drag.painted);
    printRow("drop 50 nodes (edit applied, items moved)", fig[0].drag.drop, fig[1].drag.drop);
    printRow("drag frame, MinimalViewportUpdate", fig[0].dragMinimal.frame,
             fig[1].dragMinimal.frame);
    printRow("drag frame, BoundingRectViewportUpdate", fig[0].dragBounding.frame,
             fig[1].dragBounding.frame);
    printRow("with nodes cached: frame at 100% zoom", fig[0].frameCached, fig[1].frameCached);
    printRow("with nodes cached: drag frame", fig[0].dragCached.frame, fig[1].dragCached.frame);
    printRow("hit test (items at a point)", fig[0].hitTest, fig[1].hitTest);
    printRow("overlay: apply a whole run's events", fig[0].decorate, fig[1].decorate);
    // The goals, for the BSP index the scene uses.
    if (count <= 1000) {
        const double worst = std::max(fig[0].frameFit, fig[0].frameAll);
        std::printf("  goal: frame with all %d nodes in view %.1f ms (<= 16): %s\n", count, worst,
                    worst <= 16 ? "met" : "NOT met");
    } else {
        std::printf("  goal: drag frame at %d nodes %.1f ms (<= 8): %s\n", count, fig[0].drag.frame,
                    fig[0].drag.frame <= 8 ? "met" : "NOT met");
    }
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // figures appear as they are measured
    const int frames = argc > 1 ? std::max(3, QString::fromLocal8Bit(argv[1]).toInt()) : 15;
    std::printf("bench_canvas: viewport 1600x1000, %d frames per figure, platform %s\n", frames,
                qPrintable(QGuiApplication::platformName()));
    std::printf("goals: <= 16 ms per frame with 1,000 nodes in view; <= 8 ms drag frames at "
                "10,000 nodes\n");
    std::printf("clock: %s\n", useCpuClock() ? "thread CPU time (BENCH_CANVAS_CLOCK=cpu)" : "wall");
    std::printf("grid: %s\n", qgetenv("BENCH_CANVAS_GRID") == "cached"
                                  ? "style::drawDotGrid (cached image)"
                                  : "the view's drawBackground");
    const QString only = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QString();
    if (only.isEmpty() || only == QLatin1String("1000"))
        benchGraph(1000, 25, frames);
    if (only.isEmpty() || only == QLatin1String("10000"))
        benchGraph(10000, 80, frames);
    return 0;
}

// Editing on the canvas, driven like a user: mouse drags on the real view's viewport, keys,
// drops from the palette; every assertion is on the WorkflowDocument.

#include <QApplication>
#include <QClipboard>
#include <QMimeData>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QTest>

#include "document/dslio.h"
#include "document/graphedits.h"
#include "document/workflowdocument.h"
#include "edgeitem.h"
#include "editsink.h"
#include "mimetypes.h"
#include "nodeitem.h"
#include "workflowscene.h"
#include "workflowview.h"

using namespace flowbench;
using document::Json;

namespace {

// Applies edits to the document and keeps their inverses, as the app's QUndoStack does.
class RecordingSink : public canvas::EditSink
{
public:
    explicit RecordingSink(document::WorkflowDocument *document)
        : m_document(document)
    {}
    void applyEdit(document::Edit edit) override
    {
        bool ok = false;
        document::Edit inverse = m_document->apply(edit, &ok);
        if (ok) {
            undoStack.push_back(std::move(inverse));
            names.append(edit.name);
        }
    }
    void undo()
    {
        QVERIFY(!undoStack.empty());
        m_document->apply(undoStack.back());
        undoStack.pop_back();
    }
    std::vector<document::Edit> undoStack;
    QStringList names;

private:
    document::WorkflowDocument *m_document;
};

struct Canvas
{
    document::WorkflowDocument doc;
    RecordingSink sink{&doc};
    canvas::WorkflowScene scene{&doc, &sink};
    canvas::WorkflowView view{&scene};

    Canvas()
    {
        view.resize(1400, 900);
        view.show();
        view.setZoom(1.0);
    }
    [[nodiscard]] const document::Workflow &wf() const { return doc.workflow(); }
    QWidget *viewport() { return view.viewport(); }
    QPoint at(QPointF scenePos) { return view.mapFromScene(scenePos); }

    // Nodes are added straight to the document (not through the sink): setup is not undoable.
    QString add(const QString &kind, QPointF pos, const QString &parent = {})
    {
        QString id;
        const Result<document::Edit> edit = document::makeAddNodeEdit(wf(), kind, pos, parent, &id);
        if (!edit)
            qFatal("add %s: %s", qPrintable(kind), qPrintable(edit.error().message));
        doc.apply(*edit);
        return id;
    }
    void connectNodes(const QString &from, const QString &to,
                      const QString &handle = QStringLiteral("source"))
    {
        const Result<document::Edit> edit = document::makeConnectEdit(wf(), from, handle, to);
        if (!edit)
            qFatal("connect: %s", qPrintable(edit.error().message));
        doc.apply(*edit);
    }
    void setData(const QString &id, const QString &pointer, Json value)
    {
        doc.apply(document::SetNodeDataEdit{id, pointer, std::move(value)});
    }
    [[nodiscard]] QPointF portOut(const QString &id) const
    {
        return scene.nodeItem(id)->outputPortScenePos(QStringLiteral("source"));
    }
    [[nodiscard]] QPointF portIn(const QString &id) const
    {
        return scene.nodeItem(id)->inputPortScenePos();
    }
    [[nodiscard]] QPointF header(const QString &id) const
    {
        return scene.nodeSceneRect(id).topLeft() + QPointF(120, 20);
    }

    void mouse(QEvent::Type type, QPointF scenePos, Qt::MouseButton button,
               Qt::MouseButtons buttons, Qt::KeyboardModifiers mods = {})
    {
        const QPoint p = at(scenePos);
        QMouseEvent event(type, QPointF(p), QPointF(viewport()->mapToGlobal(p)), button, buttons,
                          mods);
        QApplication::sendEvent(viewport(), &event);
    }
    void press(QPointF p) { mouse(QEvent::MouseButtonPress, p, Qt::LeftButton, Qt::LeftButton); }
    void moveHeld(QPointF p) { mouse(QEvent::MouseMove, p, Qt::NoButton, Qt::LeftButton); }
    void hover(QPointF p) { mouse(QEvent::MouseMove, p, Qt::NoButton, Qt::NoButton); }
    void release(QPointF p) { mouse(QEvent::MouseButtonRelease, p, Qt::LeftButton, Qt::NoButton); }
    // A drag in several steps, as a hand does it; `before` runs before the release.
    void drag(QPointF from, QPointF to, const std::function<void()> &before = {})
    {
        press(from);
        for (int i = 1; i <= 4; ++i)
            moveHeld(from + (to - from) * (i / 4.0));
        if (before)
            before();
        release(to);
    }
    void click(QPointF p)
    {
        press(p);
        release(p);
    }
    void dropKind(const QString &kind, QPointF scenePos)
    {
        QMimeData mime;
        mime.setData(QString::fromLatin1(canvas::kNodeKindMimeType), kind.toUtf8());
        const QPoint p = at(scenePos);
        QDragEnterEvent enter(p, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(viewport(), &enter);
        QDragMoveEvent move(p, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(viewport(), &move);
        QDropEvent drop(QPointF(p), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(viewport(), &drop);
    }
};

bool hasEdge(const document::Workflow &wf, const QString &from, const QString &to)
{
    for (const document::Edge &edge : wf.edges()) {
        if (edge.source == from && edge.target == to)
            return true;
    }
    return false;
}

QString dataString(const document::Node *node, const char *key)
{
    if (!node || !node->data.contains(key) || !node->data.at(key).is_string())
        return {};
    return QString::fromStdString(node->data.at(key).get<std::string>());
}

bool onGrid(QPointF p)
{
    return std::fmod(p.x(), 16.0) == 0 && std::fmod(p.y(), 16.0) == 0;
}

} // namespace

class TestCanvasEditing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void connectByDragging();
    void invalidConnectionIsRefused();
    void dropOnEmptyCanvasOffersNode();
    void moveSnapsWithOneUndoStep();
    void containerCarriesChildren();
    void copyPasteRemapsReferences();
    void deleteAndUndo();
    void containerStartIsNotDeletedAlone();
    void rerouteEdgeTarget();
    void dropKindOnCanvasAndIntoContainer();
    void resizeContainer();
    void editNoteText();
    void grabFixture();
};

void TestCanvasEditing::connectByDragging()
{
    Canvas c;
    const QString llm = c.add(QStringLiteral("llm"), {0, 96});
    const QString code = c.add(QStringLiteral("code"), {400, 96});
    c.view.centerOn(c.scene.contentRect().center());

    bool highlighted = false;
    c.drag(c.portOut(llm), c.portIn(code), [&] {
        highlighted = c.scene.nodeItem(code)->highlight() == canvas::NodeItem::Highlight::Valid;
        c.view.grab().save(QStringLiteral("/tmp/c1-connect-valid.png"));
    });
    QVERIFY(highlighted);
    QVERIFY(hasEdge(c.wf(), llm, code));
    QCOMPARE(c.sink.undoStack.size(), size_t(1));
    QCOMPARE(c.scene.nodeItem(code)->highlight(), canvas::NodeItem::Highlight::None);
    QCOMPARE(c.scene.edgeItemCount(), 1);

    // Releasing anywhere on the card works too; an edge from the same port to a second node.
    const QString end = c.add(QStringLiteral("end"), {400, 320});
    c.drag(c.portOut(llm), c.scene.nodeSceneRect(end).center());
    QVERIFY(hasEdge(c.wf(), llm, end));
    QCOMPARE(c.sink.undoStack.size(), size_t(2));
}

void TestCanvasEditing::invalidConnectionIsRefused()
{
    Canvas c;
    const QString a = c.add(QStringLiteral("llm"), {0, 96});
    const QString b = c.add(QStringLiteral("code"), {400, 96});
    c.connectNodes(a, b);
    c.view.centerOn(c.scene.contentRect().center());
    const Json before = c.wf().toJson();
    QSignalSpy refused(&c.scene, &canvas::WorkflowScene::editRefused);
    QSignalSpy hints(&c.scene, &canvas::WorkflowScene::connectionHint);

    // A cycle: b → a while a → b exists.
    canvas::NodeItem::Highlight during = canvas::NodeItem::Highlight::None;
    c.drag(c.portOut(b), c.portIn(a), [&] {
        during = c.scene.nodeItem(a)->highlight();
        c.view.grab().save(QStringLiteral("/tmp/c1-connect-refused.png"));
    });
    QCOMPARE(during, canvas::NodeItem::Highlight::Invalid);
    QCOMPARE(refused.count(), 1);
    QVERIFY(!refused.first().first().toString().isEmpty());
    QVERIFY(!hints.isEmpty());
    QVERIFY(!hints.first().first().toString().isEmpty());
    QVERIFY(c.wf().toJson() == before);

    // A self-loop: a's output onto a's own card.
    c.drag(c.portOut(a), c.scene.nodeSceneRect(a).center());
    QCOMPARE(refused.count(), 2);
    QVERIFY(c.wf().toJson() == before);
    // A duplicate of the existing edge.
    c.drag(c.portOut(a), c.portIn(b));
    QCOMPARE(refused.count(), 3);
    QVERIFY(c.wf().toJson() == before);
    QVERIFY(c.sink.undoStack.empty());
}

void TestCanvasEditing::dropOnEmptyCanvasOffersNode()
{
    Canvas c;
    const QString code = c.add(QStringLiteral("code"), {0, 96});
    c.view.centerOn(c.scene.contentRect().center());
    QSignalSpy dropped(&c.scene, &canvas::WorkflowScene::connectionDroppedOnEmpty);
    const QPointF empty = c.portOut(code) + QPointF(300, 120);
    c.drag(c.portOut(code), empty);
    QCOMPARE(dropped.count(), 1);
    QCOMPARE(dropped.first().at(0).toString(), code);
    QCOMPARE(dropped.first().at(1).toString(), QStringLiteral("source"));
    const QPointF at = dropped.first().at(2).toPointF();
    QVERIFY(QLineF(at, empty).length() < 2);
    QVERIFY(c.sink.undoStack.empty());

    // What the view's popup then does: one edit adds and connects, the new node is selected.
    const QString added
        = c.scene.addNodeAt(QStringLiteral("end"), at, code, QStringLiteral("source"));
    QVERIFY(!added.isEmpty());
    QVERIFY(hasEdge(c.wf(), code, added));
    QCOMPARE(c.sink.undoStack.size(), size_t(1));
    QCOMPARE(c.scene.selectedNodeIds(), QStringList{added});
    QVERIFY(onGrid(c.wf().node(added)->position()));
    c.sink.undo();
    QVERIFY(!c.wf().node(added));
    QCOMPARE(c.wf().edges().size(), size_t(0));
}

void TestCanvasEditing::moveSnapsWithOneUndoStep()
{
    Canvas c;
    const QString llm = c.add(QStringLiteral("llm"), {32, 96});
    const QString code = c.add(QStringLiteral("code"), {400, 96});
    c.connectNodes(llm, code);
    c.view.centerOn(c.scene.contentRect().center());
    const QPointF before = c.wf().node(llm)->position();
    c.drag(c.header(llm), c.header(llm) + QPointF(37, 21));
    QCOMPARE(c.sink.undoStack.size(), size_t(1));
    const QPointF after = c.wf().node(llm)->position();
    QVERIFY2(onGrid(after), qPrintable(QStringLiteral("%1,%2").arg(after.x()).arg(after.y())));
    QCOMPARE(after, QPointF(64, 112)); // 32+37 → 64, 96+21 → 112
    QCOMPARE(c.scene.nodeItem(llm)->pos(), after);
    // The edge follows its source.
    const canvas::EdgeItem *edge = c.scene.edgeItem(c.wf().edges().front().id);
    QCOMPARE(edge->sourcePoint(), c.portOut(llm));
    c.sink.undo();
    QCOMPARE(c.wf().node(llm)->position(), before);
    QCOMPARE(c.scene.nodeItem(llm)->pos(), before);
}

void TestCanvasEditing::containerCarriesChildren()
{
    Canvas c;
    const QString it = c.add(QStringLiteral("iteration"), {0, 0});
    const QString child = c.add(QStringLiteral("code"), {96, 64}, it);
    c.view.centerOn(c.scene.contentRect().center());
    const QPointF childRel = c.wf().node(child)->position();
    const QPointF childAbs = c.scene.nodeItem(child)->pos();
    const QPointF grab = c.scene.nodeSceneRect(it).topLeft() + QPointF(200, 20);
    c.drag(grab, grab + QPointF(160, 80));
    QCOMPARE(c.sink.undoStack.size(), size_t(1));
    QCOMPARE(c.wf().node(it)->position(), QPointF(160, 80));
    QCOMPARE(c.wf().node(child)->position(), childRel); // relative to the container
    QCOMPARE(c.scene.nodeItem(child)->pos(), childAbs + QPointF(160, 80));
}

void TestCanvasEditing::copyPasteRemapsReferences()
{
    Canvas c;
    const QString llm = c.add(QStringLiteral("llm"), {0, 96});
    const QString tpl = c.add(QStringLiteral("template-transform"), {400, 96});
    c.connectNodes(llm, tpl);
    const std::string ref = "Answer: {{#" + llm.toStdString() + ".text#}}";
    c.setData(tpl, QStringLiteral("/template"), ref);
    c.setData(tpl, QStringLiteral("/variables"),
              Json::array({{{"variable", "x"}, {"value_selector", {llm.toStdString(), "text"}}}}));
    c.view.centerOn(c.scene.contentRect().center());

    c.scene.selectNodes({llm, tpl});
    c.scene.copySelection();
    const QMimeData *mime = QGuiApplication::clipboard()->mimeData();
    QVERIFY(mime->hasFormat(QString::fromLatin1(document::kNodesMimeType)));
    QVERIFY(mime->text().contains(QStringLiteral("flowbench_clipboard")));

    const QPointF target(96, 400);
    c.hover(target);
    c.scene.paste();
    QCOMPARE(c.sink.undoStack.size(), size_t(1));
    QCOMPARE(c.wf().nodes().size(), size_t(4));
    const QStringList pasted = c.scene.selectedNodeIds();
    QCOMPARE(pasted.size(), 2);
    QString newLlm, newTpl;
    for (const QString &id : pasted) {
        (c.wf().node(id)->kind() == QLatin1String("llm") ? newLlm : newTpl) = id;
    }
    QVERIFY(!newLlm.isEmpty() && newLlm != llm);
    QVERIFY(!newTpl.isEmpty() && newTpl != tpl);
    const document::Node *copy = c.wf().node(newTpl);
    QCOMPARE(dataString(copy, "template"), QStringLiteral("Answer: {{#%1.text#}}").arg(newLlm));
    QCOMPARE(
        QString::fromStdString(copy->data["variables"][0]["value_selector"][0].get<std::string>()),
        newLlm);
    QVERIFY(hasEdge(c.wf(), newLlm, newTpl));
    // Pasted where the mouse is: the copies' corner lands at the cursor (snapped).
    QCOMPARE(c.wf().node(newLlm)->position(), QPointF(96, 400));
    // The original is untouched.
    QCOMPARE(dataString(c.wf().node(tpl), "template"), QString::fromStdString(ref));

    // Duplicate: +24,+24 from the copies.
    c.scene.selectNodes({llm});
    c.scene.duplicateSelection();
    const QStringList dup = c.scene.selectedNodeIds();
    QCOMPARE(dup.size(), 1);
    QCOMPARE(c.wf().node(dup.first())->position(), QPointF(24, 120));
}

void TestCanvasEditing::deleteAndUndo()
{
    Canvas c;
    const QString start = c.add(QStringLiteral("start"), {0, 96});
    const QString llm = c.add(QStringLiteral("llm"), {400, 96});
    const QString end = c.add(QStringLiteral("end"), {800, 96});
    c.connectNodes(start, llm);
    c.connectNodes(llm, end);
    c.view.centerOn(c.scene.contentRect().center());
    const Json before = c.wf().toJson();

    c.click(c.header(llm));
    QCOMPARE(c.scene.selectedNodeIds(), QStringList{llm});
    QTest::keyClick(c.viewport(), Qt::Key_Delete);
    QVERIFY(!c.wf().node(llm));
    QCOMPARE(c.wf().edges().size(), size_t(0));
    QCOMPARE(c.scene.nodeItemCount(), 2);
    QCOMPARE(c.scene.edgeItemCount(), 0);
    QCOMPARE(c.sink.undoStack.size(), size_t(1));
    c.sink.undo();
    QVERIFY(c.wf().toJson() == before);
    QCOMPARE(c.scene.nodeItemCount(), 3);
    QCOMPARE(c.scene.edgeItemCount(), 2);

    // An edge: click it, Backspace.
    const QString edgeId = c.wf().edges().front().id;
    const canvas::EdgeItem *edge = c.scene.edgeItem(edgeId);
    c.click(edge->path().pointAtPercent(0.5));
    QCOMPARE(c.scene.selectedEdgeIds(), QStringList{edgeId});
    QTest::keyClick(c.viewport(), Qt::Key_Backspace);
    QVERIFY(!c.wf().edge(edgeId));
    QCOMPARE(c.wf().nodes().size(), size_t(3));
    c.sink.undo();
    QVERIFY(c.wf().toJson() == before);
}

void TestCanvasEditing::containerStartIsNotDeletedAlone()
{
    Canvas c;
    const QString it = c.add(QStringLiteral("iteration"), {0, 0});
    c.view.centerOn(c.scene.contentRect().center());
    QString startId;
    for (const QString &id : c.wf().childrenOf(it))
        startId = c.wf().node(id)->kind() == QLatin1String("iteration-start") ? id : startId;
    QVERIFY(!startId.isEmpty());
    const Json before = c.wf().toJson();
    QSignalSpy refused(&c.scene, &canvas::WorkflowScene::editRefused);
    c.scene.selectNodes({startId});
    c.scene.deleteSelection();
    QCOMPARE(refused.count(), 1);
    QVERIFY(c.wf().toJson() == before);
    // With its container it goes.
    c.scene.selectNodes({it, startId});
    c.scene.deleteSelection();
    QCOMPARE(c.wf().nodes().size(), size_t(0));
}

void TestCanvasEditing::rerouteEdgeTarget()
{
    Canvas c;
    const QString a = c.add(QStringLiteral("llm"), {0, 96});
    const QString b = c.add(QStringLiteral("code"), {400, 0});
    const QString d = c.add(QStringLiteral("end"), {400, 240});
    c.connectNodes(a, b);
    c.view.centerOn(c.scene.contentRect().center());
    // b's input port has one edge: dragging it picks the edge up.
    c.drag(c.portIn(b), c.portIn(d));
    QVERIFY(!hasEdge(c.wf(), a, b));
    QVERIFY(hasEdge(c.wf(), a, d));
    QCOMPARE(c.wf().edges().size(), size_t(1));
    QCOMPARE(c.sink.undoStack.size(), size_t(1));
    c.sink.undo();
    QVERIFY(hasEdge(c.wf(), a, b));
}

void TestCanvasEditing::dropKindOnCanvasAndIntoContainer()
{
    Canvas c;
    const QString it = c.add(QStringLiteral("iteration"), {400, 0});
    c.view.centerOn(c.scene.contentRect().center());

    c.dropKind(QStringLiteral("code"), {96, 200});
    QCOMPARE(c.sink.undoStack.size(), size_t(1));
    const QStringList selected = c.scene.selectedNodeIds();
    QCOMPARE(selected.size(), 1);
    const document::Node *onCanvas = c.wf().node(selected.first());
    QCOMPARE(onCanvas->kind(), QStringLiteral("code"));
    QVERIFY(onCanvas->parentId().isEmpty());
    QVERIFY(onGrid(onCanvas->position()));

    const QRectF body = c.scene.nodeSceneRect(it);
    c.dropKind(QStringLiteral("llm"), body.center() + QPointF(40, 0));
    QCOMPARE(c.sink.undoStack.size(), size_t(2));
    const document::Node *inside = c.wf().node(c.scene.selectedNodeIds().value(0));
    QVERIFY(inside);
    QCOMPARE(inside->kind(), QStringLiteral("llm"));
    QCOMPARE(inside->parentId(), it);
}

void TestCanvasEditing::resizeContainer()
{
    Canvas c;
    const QString it = c.add(QStringLiteral("iteration"), {0, 0});
    c.view.centerOn(c.scene.contentRect().center());
    const QRectF rect = c.scene.nodeSceneRect(it);
    const QPointF grip = rect.bottomRight() - QPointF(5, 5);
    c.drag(grip, grip + QPointF(120, 64));
    QCOMPARE(c.sink.undoStack.size(), size_t(1));
    const document::Node *node = c.wf().node(it);
    const QSizeF expected(std::round(rect.width() + 120), std::round(rect.height() + 64));
    QCOMPARE(node->size(), expected);
    QCOMPARE(node->data.at("width").get<double>(), expected.width());
    QCOMPARE(node->data.at("height").get<double>(), expected.height());
    QCOMPARE(c.scene.nodeSceneRect(it).size(), expected);
    c.sink.undo();
    QCOMPARE(c.scene.nodeSceneRect(it).size(), rect.size());
}

void TestCanvasEditing::editNoteText()
{
    Canvas c;
    const QString note = c.scene.addNodeAt(QStringLiteral("custom-note"), {64, 64});
    QVERIFY(!note.isEmpty());
    c.setData(note, QStringLiteral("/author"), "Ann");
    c.setData(note, QStringLiteral("/theme"), "yellow");
    c.sink.undoStack.clear();
    c.view.centerOn(c.scene.contentRect().center());

    QTest::mouseDClick(c.viewport(), Qt::LeftButton, {},
                       c.at(c.scene.nodeSceneRect(note).center()));
    QCOMPARE(c.scene.editedNoteId(), note);
    QTest::keyClicks(c.viewport(), QStringLiteral("Hello"));
    QTest::keyClick(c.viewport(), Qt::Key_Return);
    QTest::keyClicks(c.viewport(), QStringLiteral("World"));
    c.view.grab().save(QStringLiteral("/tmp/c1-note-editing.png"));
    QTest::keyClick(c.viewport(), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(c.scene.editedNoteId().isEmpty());
    QCOMPARE(c.sink.undoStack.size(), size_t(1));
    const document::Node *node = c.wf().node(note);
    QCOMPARE(canvas::noteTextFromData(node->data), QStringLiteral("Hello\nWorld"));
    const Json state = Json::parse(dataString(node, "text").toStdString());
    QCOMPARE(state["root"]["children"].size(), size_t(2));
    QCOMPARE(state["root"]["children"][0]["type"].get<std::string>(), std::string("paragraph"));
    QCOMPARE(dataString(node, "author"), QStringLiteral("Ann"));

    // And its size, by the grip.
    const QRectF rect = c.scene.nodeSceneRect(note);
    const QPointF grip = rect.bottomRight() - QPointF(4, 4);
    c.drag(grip, grip + QPointF(80, 40));
    QCOMPARE(c.sink.undoStack.size(), size_t(2));
    QCOMPARE(c.wf().node(note)->size(),
             QSizeF(std::round(rect.width() + 80), std::round(rect.height() + 40)));
    QCOMPARE(c.wf().node(note)->data.at("width").get<double>(), std::round(rect.width() + 80));
}

void TestCanvasEditing::grabFixture()
{
    Canvas c;
    c.view.resize(1600, 900);
    const QString path = QStringLiteral(FLOWBENCH_FIXTURES_DIR)
                         + QStringLiteral("/iteration_flatten_output_enabled_workflow.yml");
    Result<document::LoadedWorkflow> loaded = document::loadWorkflowFile(path);
    QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().message));
    c.doc.reset(loaded->workflow);
    // Something of every decoration: an if-else with cases, a fail branch, a note.
    const QString ifElse = c.add(QStringLiteral("if-else"), {0, 420});
    const QString http = c.add(QStringLiteral("http-request"), {400, 420});
    c.setData(http, QStringLiteral("/error_strategy"), "fail-branch");
    c.setData(http, QStringLiteral("/url"), "https://api.example.com/items");
    const QString note = c.add(QStringLiteral("custom-note"), {800, 560});
    c.setData(note, QStringLiteral("/text"),
              canvas::noteDataFromText(QStringLiteral("Sticky note\nsecond line")).toStdString());
    c.setData(note, QStringLiteral("/theme"), "violet");
    c.connectNodes(ifElse, http, QStringLiteral("true"));
    c.view.fitAll();
    QVERIFY(c.scene.nodeItemCount() > 3);
    c.view.grab().save(QStringLiteral("/tmp/c1-fixture.png"));
    // The http node has SUCCESS and FAIL rows.
    const auto &ports = c.scene.nodeItem(http)->outputPorts();
    QCOMPARE(ports.size(), 2);
    QCOMPARE(ports.at(1).handle, QStringLiteral("fail-branch"));
}

QTEST_MAIN(TestCanvasEditing)
#include "tst_canvasediting.moc"

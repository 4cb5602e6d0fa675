// Edits as values: each returns its inverse; the document emits the documented signals.
#include "document/dslio.h"
#include "document/workflowdocument.h"

#include <QSignalSpy>
#include <QtTest>

using namespace flowbench::document;

namespace {

Workflow sample()
{
    const char *text
        = R"({"app": {"name": "t", "mode": "workflow"}, "kind": "app", "version": "0.5.0",
      "workflow": {"graph": {"nodes": [
        {"id": "s", "type": "custom", "position": {"x": 0, "y": 0}, "positionAbsolute": {"x": 0, "y": 0},
         "data": {"type": "start", "title": "Start", "variables": []}},
        {"id": "it", "type": "custom", "position": {"x": 300, "y": 0}, "data": {"type": "iteration", "title": "It"}},
        {"id": "child", "parentId": "it", "position": {"x": 20, "y": 60}, "data": {"type": "code", "title": "C", "isInIteration": true, "iteration_id": "it"}},
        {"id": "e", "type": "custom", "position": {"x": 600, "y": 0}, "data": {"type": "end", "title": "End", "outputs": []}}],
       "edges": [{"id": "s-it", "source": "s", "sourceHandle": "source", "target": "it"},
                 {"id": "it-e", "source": "it", "sourceHandle": "source", "target": "e"}]}}})";
    auto wf = Workflow::fromJson(Json::parse(text));
    return *wf;
}

} // namespace

class TestEdits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void inverseRestores_data();
    void inverseRestores();
    void moveKeepsAbsolutePositionInStep();
    void removeNodesTakesEdgesAndChildren();
    void failedBatchRollsBack();
    void documentSignals();
};

void TestEdits::inverseRestores_data()
{
    QTest::addColumn<int>("which");
    QTest::newRow("add node") << 0;
    QTest::newRow("remove node") << 1;
    QTest::newRow("move") << 2;
    QTest::newRow("set data field") << 3;
    QTest::newRow("add data field") << 4;
    QTest::newRow("remove data field") << 5;
    QTest::newRow("add edge") << 6;
    QTest::newRow("remove edge") << 7;
    QTest::newRow("variables") << 8;
    QTest::newRow("app field") << 9;
    QTest::newRow("workbench state") << 10;
}

void TestEdits::inverseRestores()
{
    QFETCH(int, which);
    Workflow wf = sample();
    const Json before = wf.toJson();
    Node extra = Node::fromJson(Json{{"id", "x"}, {"data", {{"type", "answer"}, {"title", "A"}}}});
    Edge edge = Edge::fromJson(Json{{"id", "e2"}, {"source", "s"}, {"target", "e"}});
    Variable v;
    v.name = QStringLiteral("k");
    v.valueType = QStringLiteral("string");
    v.raw = Json{{"name", "k"}, {"value_type", "string"}, {"value", "v"}};
    const std::vector<Edit> edits = {
        AddNodeEdit{extra, 1},
        RemoveNodeEdit{QStringLiteral("it")},
        MoveNodesEdit{
            {{QStringLiteral("s"), QPointF(10, 20)}, {QStringLiteral("e"), QPointF(5.5, 1)}}},
        SetNodeDataEdit{QStringLiteral("s"), QStringLiteral("/title"), Json("Begin")},
        SetNodeDataEdit{QStringLiteral("e"), QStringLiteral("/desc"), Json("new")},
        SetNodeDataEdit{QStringLiteral("s"), QStringLiteral("/variables"), {}, true},
        AddEdgeEdit{edge, 0},
        RemoveEdgeEdit{QStringLiteral("s-it")},
        SetVariablesEdit{VariableScope::Environment, {v}},
        SetAppFieldEdit{QStringLiteral("name"), Json("renamed")},
        SetWorkbenchStateEdit{Json{{"breakpoints", {"e"}}}},
    };
    bool ok = false;
    const Edit inverse = applyEdit(wf, edits[size_t(which)], &ok);
    QVERIFY(ok);
    QVERIFY(wf.toJson() != before);
    const Json after = wf.toJson();
    const Edit redo = applyEdit(wf, inverse, &ok);
    QVERIFY(ok);
    QCOMPARE(wf.toJson(), before);
    applyEdit(wf, redo, &ok);
    QVERIFY(ok);
    QCOMPARE(wf.toJson(), after);
}

void TestEdits::moveKeepsAbsolutePositionInStep()
{
    Workflow wf = sample();
    applyEdit(wf, MoveNodesEdit{{{QStringLiteral("s"), QPointF(40, 50)}}});
    const Json s = wf.node(QStringLiteral("s"))->toJson();
    QCOMPARE(s["position"], (Json{{"x", 40}, {"y", 50}}));
    QCOMPARE(s["positionAbsolute"], (Json{{"x", 40}, {"y", 50}}));
}

void TestEdits::removeNodesTakesEdgesAndChildren()
{
    Workflow wf = sample();
    const Json before = wf.toJson();
    const Edit remove = makeRemoveNodesEdit(wf, {QStringLiteral("it")});
    const Edit undo = applyEdit(wf, remove);
    QCOMPARE(wf.nodes().size(), size_t(2));
    QVERIFY(!wf.node(QStringLiteral("child")));
    QVERIFY(wf.edges().empty());
    applyEdit(wf, undo);
    QCOMPARE(wf.toJson(), before); // same order as before, too
}

void TestEdits::failedBatchRollsBack()
{
    Workflow wf = sample();
    const Json before = wf.toJson();
    BatchEdit batch;
    batch.edits.push_back(
        SetNodeDataEdit{QStringLiteral("s"), QStringLiteral("/title"), Json("X")});
    batch.edits.push_back(RemoveNodeEdit{QStringLiteral("no-such-node")});
    bool ok = true;
    applyEdit(wf, Edit(batch), &ok);
    QVERIFY(!ok);
    QCOMPARE(wf.toJson(), before);
    // Duplicate ids are refused, as are bad pointers.
    applyEdit(wf, AddNodeEdit{*wf.node(QStringLiteral("s"))}, &ok);
    QVERIFY(!ok);
    applyEdit(wf, SetNodeDataEdit{QStringLiteral("s"), QStringLiteral("no-slash"), Json(1)}, &ok);
    QVERIFY(!ok);
    QCOMPARE(wf.toJson(), before);
}

void TestEdits::documentSignals()
{
    WorkflowDocument doc;
    QSignalSpy reset(&doc, &WorkflowDocument::resetDone);
    QSignalSpy changed(&doc, &WorkflowDocument::changed);
    QSignalSpy moved(&doc, &WorkflowDocument::nodeMoved);
    QSignalSpy removedNodes(&doc, &WorkflowDocument::nodeRemoved);
    QSignalSpy removedEdges(&doc, &WorkflowDocument::edgeRemoved);
    QSignalSpy addedNodes(&doc, &WorkflowDocument::nodeAdded);
    QSignalSpy batchStart(&doc, &WorkflowDocument::batchStarted);
    QSignalSpy batchEnd(&doc, &WorkflowDocument::batchFinished);
    QSignalSpy nodeChanged(&doc, &WorkflowDocument::nodeChanged);
    QSignalSpy appInfo(&doc, &WorkflowDocument::appInfoChanged);
    QSignalSpy vars(&doc, &WorkflowDocument::variablesChanged);
    QSignalSpy state(&doc, &WorkflowDocument::workbenchStateChanged);

    doc.reset(sample());
    QCOMPARE(reset.size(), 1);
    QCOMPARE(changed.size(), 1);

    const Edit undoMove = doc.apply(MoveNodesEdit{{{QStringLiteral("e"), QPointF(1, 2)}}});
    QCOMPARE(moved.size(), 1);
    QCOMPARE(moved.at(0).at(0).toString(), QStringLiteral("e"));
    doc.apply(undoMove);
    QCOMPARE(doc.workflow().node(QStringLiteral("e"))->position(), QPointF(600, 0));

    const Edit undoRemove = doc.apply(makeRemoveNodesEdit(doc.workflow(), {QStringLiteral("it")}));
    QCOMPARE(batchStart.size(), 1);
    QCOMPARE(batchEnd.size(), 1);
    QCOMPARE(removedNodes.size(), 2);
    QCOMPARE(removedEdges.size(), 2);
    doc.apply(undoRemove);
    QCOMPARE(addedNodes.size(), 2);
    QCOMPARE(doc.workflow().nodes().size(), size_t(4));

    doc.apply(SetNodeDataEdit{QStringLiteral("s"), QStringLiteral("/title"), Json("B")});
    QCOMPARE(nodeChanged.size(), 1);
    doc.apply(SetAppFieldEdit{QStringLiteral("name"), Json("n")});
    QCOMPARE(appInfo.size(), 1);
    doc.apply(SetVariablesEdit{VariableScope::Conversation, {}});
    QCOMPARE(vars.size(), 1);
    doc.apply(SetWorkbenchStateEdit{Json{{"breakpoints", Json::array()}}});
    QCOMPARE(state.size(), 1);

    // A failed edit changes nothing and says nothing.
    const int before = changed.size();
    bool ok = true;
    doc.apply(RemoveNodeEdit{QStringLiteral("ghost")}, &ok);
    QVERIFY(!ok);
    QCOMPARE(changed.size(), before);
}

QTEST_GUILESS_MAIN(TestEdits)
#include "tst_edits.moc"

// Graph-editing gestures as edits: adding nodes with Dify's defaults and container shapes,
// connection rules, copy/paste with id and reference rewriting, align/distribute, auto layout.
#include "document/dslio.h"
#include "document/graphedits.h"
#include "document/validator.h"
#include "nodes/registry.h"

#include <QDir>
#include <QElapsedTimer>
#include <QRectF>
#include <QtTest>

using namespace flowbench::document;
using flowbench::nodes::NodeRegistry;

namespace {

QString q(const char *s)
{
    return QString::fromUtf8(s);
}

Json node(const char *id, const char *type, Json data = Json::object(), double x = 0, double y = 0)
{
    data["type"] = type;
    if (!data.contains("title"))
        data["title"] = id;
    return Json{{"id", id},
                {"type", "custom"},
                {"position", {{"x", x}, {"y", y}}},
                {"positionAbsolute", {{"x", x}, {"y", y}}},
                {"data", data}};
}

Json child(const char *id, const char *type, const char *parent, Json data = Json::object(),
           double x = 0, double y = 0)
{
    Json n = node(id, type, std::move(data), x, y);
    n["parentId"] = parent;
    n["zIndex"] = 1002;
    n["data"]["isInIteration"] = true;
    n["data"]["iteration_id"] = parent;
    return n;
}

Json edge(const char *source, const char *target, const char *handle = "source")
{
    return Json{{"id", std::string(source) + "-" + handle + "-" + target},
                {"source", source},
                {"sourceHandle", handle},
                {"target", target},
                {"targetHandle", "target"},
                {"type", "custom"}};
}

Workflow build(Json nodes, Json edges)
{
    Json root{{"app", {{"name", "t"}, {"mode", "workflow"}}},
              {"kind", "app"},
              {"version", "0.5.0"},
              {"workflow", {{"graph", {{"nodes", nodes}, {"edges", edges}}}}}};
    auto wf = Workflow::fromJson(root);
    return *wf;
}

// s → t → llm → if ─(true)→ e1
//                  └(c2)→ e2, └(false)→ e2 ; plus an iteration "it" with start and a child.
Workflow sample()
{
    Json start = node("s", "start",
                      Json{{"variables", Json::array({Json{{"variable", "text"},
                                                           {"label", "text"},
                                                           {"type", "text-input"},
                                                           {"required", true}}})}});
    Json tpl
        = node("t", "template-transform",
               Json{{"template", "{{ x }}"},
                    {"variables",
                     Json::array({Json{{"variable", "x"}, {"value_selector", {"s", "text"}}}})}},
               300, 0);
    Json llm = node(
        "llm", "llm",
        Json{{"title", "LLM"},
             {"model", {{"provider", "openai"}, {"name", "gpt"}, {"mode", "chat"}}},
             {"prompt_template", Json::array({Json{{"role", "user"},
                                                   {"text", "Use {{#t.output#}} and "
                                                            "{{#s.text#}}; {{#t.output.x#}}"}}})}},
        600, 0);
    Json cases
        = Json::array({Json{{"case_id", "true"},
                            {"logical_operator", "and"},
                            {"conditions", Json::array({Json{{"id", "c1"},
                                                             {"variable_selector", {"llm", "text"}},
                                                             {"comparison_operator", "contains"},
                                                             {"value", "yes"}}})}},
                       Json{{"case_id", "c2"},
                            {"logical_operator", "and"},
                            {"conditions", Json::array({Json{{"id", "c3"},
                                                             {"variable_selector", {"s", "text"}},
                                                             {"comparison_operator", "empty"},
                                                             {"value", ""}}})}}});
    Json ifElse = node("if", "if-else", Json{{"cases", cases}}, 900, 0);
    Json e1 = node("e1", "end", Json{{"outputs", Json::array()}}, 1200, 0);
    Json e2 = node("e2", "end", Json{{"outputs", Json::array()}}, 1200, 200);
    Json it = node("it", "iteration",
                   Json{{"start_node_id", "itstart"},
                        {"iterator_selector", {"s", "list"}},
                        {"output_selector", {"inner", "output"}}},
                   300, 400);
    it["zIndex"] = 1;
    it["width"] = 600;
    it["height"] = 300;
    Json itStart = child("itstart", "iteration-start", "it", Json{{"title", ""}}, 24, 68);
    itStart["type"] = "custom-iteration-start";
    itStart["data"].erase("iteration_id");
    Json inner
        = child("inner", "template-transform", "it",
                Json{{"template", "{{ v }}"},
                     {"variables",
                      Json::array({Json{{"variable", "v"}, {"value_selector", {"it", "item"}}}})}},
                128, 68);
    Json innerEdge = edge("itstart", "inner");
    innerEdge["zIndex"] = 1002;
    innerEdge["data"] = {{"isInIteration", true}, {"iteration_id", "it"}};
    return build(Json::array({start, tpl, llm, ifElse, e1, e2, it, itStart, inner}),
                 Json::array({edge("s", "t"), edge("t", "llm"), edge("llm", "if"),
                              edge("if", "e1", "true"), edge("if", "e2", "false"), innerEdge}));
}

QSizeF fixedSize(const QString &)
{
    return QSizeF(200, 80);
}

QStringList codes(const QList<Problem> &problems)
{
    QStringList out;
    for (const Problem &p : problems)
        out << p.code + (p.isError() ? q(" E") : q(" W"));
    out.sort();
    return out;
}

std::string firstPromptText(const Node &n)
{
    return n.data["prompt_template"][0]["text"].get<std::string>();
}

const Node *pastedOfKind(const Workflow &wf, const QStringList &ids, const char *kind)
{
    for (const QString &id : ids) {
        const Node *n = wf.node(id);
        if (n && n->kind() == QLatin1String(kind))
            return n;
    }
    return nullptr;
}

} // namespace

class TestGraphEdits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void freshIdsAreFree();
    void addNodeOfEachKind();
    void addContainerBringsItsStart();
    void addIntoContainer();
    void addRefusals();
    void canConnect_data();
    void canConnect();
    void connectThenUndo();
    void connectInsideContainer();
    void reroute();
    void copyPasteRewritesReferences();
    void pasteContainerWithChildren();
    void pasteIntoContainer();
    void pasteGarbage_data();
    void pasteGarbage();
    void align_data();
    void align();
    void distribute();
    void autoLayoutChain();
    void autoLayoutFanOut();
    void autoLayoutCyclesAndNotes();
    void autoLayoutResizesContainer();
    void bigGraphIsCheap();
    void fixtureCopyPaste_data();
    void fixtureCopyPaste();
};

void TestGraphEdits::freshIdsAreFree()
{
    const Workflow wf = sample();
    const QString a = freshNodeId(wf);
    QVERIFY(!wf.node(a));
    const QString b = freshNodeId(wf, {a});
    QVERIFY(b != a);
    bool numeric = false;
    a.toLongLong(&numeric);
    QVERIFY(numeric); // Dify style: millisecond timestamp
}

void TestGraphEdits::addNodeOfEachKind()
{
    for (const auto &info : NodeRegistry::instance().kinds()) {
        if (!info.canBeAdded)
            continue;
        Workflow wf = sample();
        QString id;
        auto edit = makeAddNodeEdit(wf, info.kind, QPointF(100, 200), {}, &id);
        if (info.kind == QLatin1String("loop-end")) {
            QVERIFY2(!edit, "Exit Loop outside a loop must be refused");
            continue;
        }
        QVERIFY2(edit.has_value(), qPrintable(info.kind));
        QCOMPARE(edit->name, q("Add ") + info.displayName);
        bool ok = false;
        const Json before = wf.toJson();
        const Edit undo = applyEdit(wf, *edit, &ok);
        QVERIFY2(ok, qPrintable(info.kind));
        const Node *n = wf.node(id);
        QVERIFY2(n, qPrintable(info.kind));
        QCOMPARE(n->kind(), info.kind);
        QCOMPARE(n->position(), QPointF(100, 200));
        QCOMPARE(QString::fromStdString(n->wrapper.value("type", std::string())), info.wrapperType);
        const Json defaults = info.defaultData();
        for (auto it = defaults.begin(); it != defaults.end(); ++it) {
            if (it.key() == "title" || it.key() == "start_node_id" || it.key() == "width"
                || it.key() == "height")
                continue;
            QVERIFY2(n->data.contains(it.key()) && n->data[it.key()] == it.value(),
                     qPrintable(info.kind + q(": ") + QString::fromStdString(it.key())));
        }
        if (!n->isNote()) {
            // sample() has a node titled "LLM": the new one is numbered.
            const QString expected
                = info.kind == QLatin1String("llm") ? info.displayName + q(" 2") : info.displayName;
            QCOMPARE(n->title(), expected);
        }
        applyEdit(wf, undo);
        QCOMPARE(wf.toJson(), before);
    }
}

void TestGraphEdits::addContainerBringsItsStart()
{
    for (const char *kind : {"iteration", "loop"}) {
        Workflow wf = sample();
        QString id;
        auto edit = makeAddNodeEdit(wf, q(kind), QPointF(0, 600), {}, &id);
        QVERIFY(edit);
        QVERIFY(applyEdit(wf, *edit).op.index() == 9); // inverse of a batch is a batch
        const Node *c = wf.node(id);
        QVERIFY(c);
        const QString startId = QString::fromStdString(c->data["start_node_id"].get<std::string>());
        QCOMPARE(startId, id + q("start"));
        const Node *s = wf.node(startId);
        QVERIFY(s);
        const bool loop = q(kind) == QLatin1String("loop");
        QCOMPARE(s->kind(), loop ? q("loop-start") : q("iteration-start"));
        QCOMPARE(s->parentId(), id);
        QCOMPARE(s->wrapper["type"], Json(loop ? "custom-loop-start" : "custom-iteration-start"));
        QCOMPARE(s->wrapper["zIndex"], Json(1002));
        QCOMPARE(s->wrapper["draggable"], Json(false));
        QCOMPARE(s->data[loop ? "isInLoop" : "isInIteration"], Json(true));
        QCOMPARE(c->wrapper["zIndex"], Json(1));
        QVERIFY(c->size().width() > 0 && c->size().height() > 0);
        QCOMPARE(wf.childrenOf(id), QStringList{startId});
    }
}

void TestGraphEdits::addIntoContainer()
{
    Workflow wf = sample();
    QString id;
    auto edit = makeAddNodeEdit(wf, q("code"), QPointF(200, 70), q("it"), &id);
    QVERIFY(edit);
    applyEdit(wf, *edit);
    const Node *n = wf.node(id);
    QVERIFY(n);
    QCOMPARE(n->parentId(), q("it"));
    QCOMPARE(n->wrapper["parentId"], Json("it"));
    QCOMPARE(n->wrapper["zIndex"], Json(1002));
    QCOMPARE(n->data["isInIteration"], Json(true));
    QCOMPARE(n->data["iteration_id"], Json("it"));
    QCOMPARE(n->wrapper["positionAbsolute"], (Json{{"x", 500}, {"y", 470}}));

    // A node dropped near the container's edge makes it grow (wrapper and data); undo shrinks.
    const Json before = wf.toJson();
    QString far;
    const Edit undo
        = applyEdit(wf, *makeAddNodeEdit(wf, q("code"), QPointF(500, 250), q("it"), &far));
    const Node *it = wf.node(q("it"));
    QVERIFY(it->size().width() >= 500 + 244);
    QVERIFY(it->size().height() >= 250 + 90);
    QCOMPARE(it->data["width"], it->wrapper["width"]);
    QCOMPARE(it->data["height"], it->wrapper["height"]);
    applyEdit(wf, undo);
    QCOMPARE(wf.toJson(), before);

    // Exit Loop goes into a loop.
    QString loopId;
    applyEdit(wf, *makeAddNodeEdit(wf, q("loop"), QPointF(0, 900), {}, &loopId));
    QString endId;
    auto exit = makeAddNodeEdit(wf, q("loop-end"), QPointF(100, 70), loopId, &endId);
    QVERIFY(exit);
    applyEdit(wf, *exit);
    QCOMPARE(wf.node(endId)->data["loop_id"], Json(loopId.toStdString()));
    QCOMPARE(wf.node(endId)->data["isInLoop"], Json(true));
}

void TestGraphEdits::addRefusals()
{
    const Workflow wf = sample();
    auto nested = makeAddNodeEdit(wf, q("loop"), QPointF(), q("it"));
    QVERIFY(!nested);
    QVERIFY(nested.error().message.contains(q("inside another")));
    QVERIFY(!makeAddNodeEdit(wf, q("iteration"), QPointF(), q("it")));
    QVERIFY(!makeAddNodeEdit(wf, q("code"), QPointF(), q("llm"))); // not a container
    QVERIFY(!makeAddNodeEdit(wf, q("code"), QPointF(), q("nope")));
    QVERIFY(!makeAddNodeEdit(wf, q("no-such-kind"), QPointF()));
    QVERIFY(!makeAddNodeEdit(wf, q("iteration-start"), QPointF()));
    QVERIFY(!makeAddNodeEdit(wf, q("loop-end"), QPointF(), q("it"))); // iteration, not loop
    QVERIFY(!makeAddNodeEdit(wf, q("end"), QPointF(), q("it")));
}

void TestGraphEdits::canConnect_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("handle");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("error"); // empty: allowed

    QTest::newRow("self-loop") << q("llm") << q("source") << q("llm") << q("itself");
    QTest::newRow("duplicate") << q("t") << q("source") << q("llm") << q("already connected");
    QTest::newRow("cycle") << q("if") << q("c2") << q("t") << q("cycle");
    QTest::newRow("cross-container") << q("t") << q("source") << q("inner") << q("boundary");
    QTest::newRow("out of container") << q("inner") << q("source") << q("e2") << q("boundary");
    QTest::newRow("into start") << q("llm") << q("source") << q("s") << q("no input");
    QTest::newRow("into container start")
        << q("inner") << q("source") << q("itstart") << q("no input");
    QTest::newRow("unknown handle") << q("if") << q("nope") << q("e1") << q("no output");
    QTest::newRow("plain node, branch handle") << q("t") << q("true") << q("e1") << q("no output");
    QTest::newRow("from end") << q("e1") << q("source") << q("e2") << q("no outputs");
    QTest::newRow("unknown node") << q("ghost") << q("source") << q("e2") << q("no longer");
    QTest::newRow("if-else case handle") << q("if") << q("c2") << q("e1") << QString();
    QTest::newRow("if-else else into new target") << q("if") << q("false") << q("e1") << QString();
    QTest::newRow("same target, other handle") << q("if") << q("true") << q("e2") << QString();
    QTest::newRow("skip ahead") << q("s") << q("source") << q("e1") << QString();
    QTest::newRow("into container") << q("llm") << q("source") << q("it") << QString();
}

void TestGraphEdits::canConnect()
{
    QFETCH(QString, source);
    QFETCH(QString, handle);
    QFETCH(QString, target);
    QFETCH(QString, error);
    const Workflow wf = sample();
    const auto result = flowbench::document::canConnect(wf, source, handle, target);
    if (error.isEmpty()) {
        QVERIFY2(result.has_value(), qPrintable(result ? QString() : result.error().message));
        QVERIFY(makeConnectEdit(wf, source, handle, target).has_value());
    } else {
        QVERIFY(!result);
        QVERIFY2(result.error().message.contains(error), qPrintable(result.error().message));
        QVERIFY(result.error().message.endsWith(QLatin1Char('.'))); // a sentence
        QVERIFY(!makeConnectEdit(wf, source, handle, target));
    }
}

void TestGraphEdits::connectThenUndo()
{
    Workflow wf = sample();
    const Json before = wf.toJson();
    auto edit = makeConnectEdit(wf, q("if"), q("c2"), q("e1"));
    QVERIFY(edit);
    QCOMPARE(edit->name, q("Connect nodes"));
    bool ok = false;
    const Edit undo = applyEdit(wf, *edit, &ok);
    QVERIFY(ok);
    const Edge *e = wf.edge(makeEdgeId(q("if"), q("c2"), q("e1")));
    QVERIFY(e);
    QCOMPARE(e->source, q("if"));
    QCOMPARE(e->sourceHandle, q("c2"));
    QCOMPARE(e->target, q("e1"));
    QCOMPARE(e->wrapper["type"], Json("custom"));
    QCOMPARE(e->wrapper["targetHandle"], Json("target"));
    QCOMPARE(e->wrapper["zIndex"], Json(0));
    QCOMPARE(e->wrapper["data"]["sourceType"], Json("if-else"));
    QCOMPARE(e->wrapper["data"]["targetType"], Json("end"));
    QCOMPARE(e->wrapper["data"]["isInIteration"], Json(false));
    QCOMPARE(e->wrapper["data"]["isInLoop"], Json(false));
    // Now the same connection is refused, and undo restores the document exactly.
    QVERIFY(!flowbench::document::canConnect(wf, q("if"), q("c2"), q("e1")));
    applyEdit(wf, undo, &ok);
    QVERIFY(ok);
    QCOMPARE(wf.toJson(), before);
    QVERIFY(validateWorkflow(wf).size() == validateWorkflow(sample()).size());
}

void TestGraphEdits::connectInsideContainer()
{
    Workflow wf = sample();
    QString id;
    applyEdit(wf, *makeAddNodeEdit(wf, q("code"), QPointF(400, 68), q("it"), &id));
    auto edit = makeConnectEdit(wf, q("inner"), q("source"), id);
    QVERIFY2(edit, qPrintable(edit ? QString() : edit.error().message));
    applyEdit(wf, *edit);
    const Edge *e = wf.edge(makeEdgeId(q("inner"), q("source"), id));
    QVERIFY(e);
    QCOMPARE(e->wrapper["zIndex"], Json(1002));
    QCOMPARE(e->wrapper["data"]["isInIteration"], Json(true));
    QCOMPARE(e->wrapper["data"]["iteration_id"], Json("it"));
}

void TestGraphEdits::reroute()
{
    Workflow wf = sample();
    const Json before = wf.toJson();
    const QString old = q("if-false-e2");
    const int index = wf.edgeIndex(old);
    auto edit = makeRerouteEdit(wf, old, q("if"), q("false"), q("e1"));
    QVERIFY2(edit, qPrintable(edit ? QString() : edit.error().message));
    const Edit undo = applyEdit(wf, *edit);
    QVERIFY(!wf.edge(old));
    const QString fresh = makeEdgeId(q("if"), q("false"), q("e1"));
    QCOMPARE(wf.edgeIndex(fresh), index);
    applyEdit(wf, undo);
    QCOMPARE(wf.toJson(), before);

    // Moving t→llm's target back to t would be a self-loop; if→t a cycle; the edge itself
    // does not count as a duplicate of itself.
    QVERIFY(!makeRerouteEdit(wf, q("t-source-llm"), q("t"), q("source"), q("t")));
    QVERIFY(!makeRerouteEdit(wf, q("if-true-e1"), q("if"), q("true"), q("t")));
    // Without the rerouted edge itself, t no longer reaches if: if→t is no cycle then.
    QVERIFY(makeRerouteEdit(wf, q("t-source-llm"), q("if"), q("c2"), q("t")));
    QVERIFY(makeRerouteEdit(wf, q("t-source-llm"), q("t"), q("source"), q("llm")));
    QVERIFY(!makeRerouteEdit(wf, q("no-edge"), q("t"), q("source"), q("llm")));
    // Re-routing the llm→if edge to start at t is fine (t no longer reaches llm via it).
    QVERIFY(makeRerouteEdit(wf, q("llm-source-if"), q("t"), q("source"), q("if")));
}

void TestGraphEdits::copyPasteRewritesReferences()
{
    Workflow wf = sample();
    const Json before = wf.toJson();
    const Json clip = copyNodes(wf, {q("t"), q("llm"), q("if")});
    QCOMPARE(clip["flowbench_clipboard"], Json(1));
    QCOMPARE(clip["nodes"].size(), size_t(3));
    QCOMPARE(clip["edges"].size(), size_t(2)); // t→llm, llm→if; not s→t, not if→e*

    QStringList ids;
    auto edit = makePasteEdit(wf, clip, QPointF(40, 500), {}, &ids);
    QVERIFY2(edit, qPrintable(edit ? QString() : edit.error().message));
    QCOMPARE(edit->name, q("Paste 3 nodes"));
    QCOMPARE(ids.size(), 3);
    const Edit undo = applyEdit(wf, *edit);
    const Node *t = pastedOfKind(wf, ids, "template-transform");
    const Node *llm = pastedOfKind(wf, ids, "llm");
    const Node *ifElse = pastedOfKind(wf, ids, "if-else");
    QVERIFY(t && llm && ifElse);
    QVERIFY(t->id != q("t") && llm->id != q("llm") && ifElse->id != q("if"));

    const std::string text = firstPromptText(*llm);
    const std::string newT = t->id.toStdString();
    QCOMPARE(text, "Use {{#" + newT + ".output#}} and {{#s.text#}}; {{#" + newT + ".output.x#}}");
    // The original keeps its references.
    QCOMPARE(firstPromptText(*wf.node(q("llm"))),
             std::string("Use {{#t.output#}} and {{#s.text#}}; {{#t.output.x#}}"));
    const Json &cases = ifElse->data["cases"];
    QCOMPARE(cases[0]["conditions"][0]["variable_selector"], (Json{llm->id.toStdString(), "text"}));
    QCOMPARE(cases[1]["conditions"][0]["variable_selector"], (Json{"s", "text"}));
    QCOMPARE(t->data["variables"][0]["value_selector"], (Json{"s", "text"}));

    // Positions are offset; edges are fresh and Dify-shaped.
    QCOMPARE(t->position(), QPointF(340, 500));
    QCOMPARE(t->wrapper["positionAbsolute"], (Json{{"x", 340}, {"y", 500}}));
    const Edge *e1 = wf.edge(makeEdgeId(t->id, q("source"), llm->id));
    const Edge *e2 = wf.edge(makeEdgeId(llm->id, q("source"), ifElse->id));
    QVERIFY(e1 && e2);
    QCOMPARE(wf.edges().size(), size_t(8));

    // Pasted nodes are valid: no reference or graph errors besides being unreachable.
    for (const Problem &p : validateWorkflow(wf)) {
        if (ids.contains(p.nodeId))
            QVERIFY2(!p.isError() || p.code == QLatin1String("not-upstream"),
                     qPrintable(p.code + q(": ") + p.message));
    }

    applyEdit(wf, undo);
    QCOMPARE(wf.toJson(), before);
}

void TestGraphEdits::pasteContainerWithChildren()
{
    Workflow wf = sample();
    const Json clip = copyNodes(wf, {q("it")});
    QCOMPARE(clip["nodes"].size(), size_t(3)); // it, its start, inner
    QCOMPARE(clip["edges"].size(), size_t(1));
    QStringList ids;
    auto edit = makePasteEdit(wf, clip, QPointF(0, 400), {}, &ids);
    QVERIFY2(edit, qPrintable(edit ? QString() : edit.error().message));
    QCOMPARE(ids.size(), 2); // the start node is not selectable
    applyEdit(wf, *edit);
    const Node *it = pastedOfKind(wf, ids, "iteration");
    const Node *inner = pastedOfKind(wf, ids, "template-transform");
    QVERIFY(it && inner);
    const QString startId = it->id + q("start");
    QCOMPARE(it->data["start_node_id"], Json(startId.toStdString()));
    const Node *start = wf.node(startId);
    QVERIFY(start);
    QCOMPARE(start->parentId(), it->id);
    QCOMPARE(start->position(), QPointF(24, 68));
    QCOMPARE(inner->parentId(), it->id);
    QCOMPARE(inner->data["iteration_id"], Json(it->id.toStdString()));
    QCOMPARE(inner->position(), QPointF(128, 68)); // children keep container-relative places
    QCOMPARE(inner->wrapper["positionAbsolute"], (Json{{"x", 428}, {"y", 868}}));
    QCOMPARE(inner->data["variables"][0]["value_selector"], (Json{it->id.toStdString(), "item"}));
    QCOMPARE(it->position(), QPointF(300, 800));
    QCOMPARE(it->data["iterator_selector"], (Json{"s", "list"}));
    const Edge *e = wf.edge(makeEdgeId(startId, q("source"), inner->id));
    QVERIFY(e);
    QCOMPARE(e->wrapper["data"]["iteration_id"], Json(it->id.toStdString()));
    QCOMPARE(e->wrapper["zIndex"], Json(1002));
    QCOMPARE(wf.childrenOf(it->id).size(), 2);
    // The original container is untouched.
    QCOMPARE(wf.childrenOf(q("it")).size(), 2);
}

void TestGraphEdits::pasteIntoContainer()
{
    Workflow wf = sample();
    const Json clip = copyNodes(wf, {q("t"), q("llm")});
    QStringList ids;
    auto edit = makePasteEdit(wf, clip, QPointF(-250, 100), q("it"), &ids);
    QVERIFY2(edit, qPrintable(edit ? QString() : edit.error().message));
    applyEdit(wf, *edit);
    for (const QString &id : ids) {
        const Node *n = wf.node(id);
        QCOMPARE(n->parentId(), q("it"));
        QCOMPARE(n->data["iteration_id"], Json("it"));
        QCOMPARE(n->wrapper["zIndex"], Json(1002));
    }
    const Node *t = pastedOfKind(wf, ids, "template-transform");
    QCOMPARE(t->position(), QPointF(50, 100));
    QCOMPARE(t->wrapper["positionAbsolute"], (Json{{"x", 350}, {"y", 500}}));
    const Edge &e = wf.edges().back();
    QCOMPARE(e.wrapper["data"]["isInIteration"], Json(true));
    QCOMPARE(e.wrapper["data"]["iteration_id"], Json("it"));
    QCOMPARE(e.wrapper["zIndex"], Json(1002));

    // A container cannot go into a container; a child copied alone pastes at top level.
    QVERIFY(!makePasteEdit(wf, copyNodes(wf, {q("it")}), QPointF(), q("it")));
    QStringList single;
    auto top = makePasteEdit(wf, copyNodes(wf, {q("inner")}), QPointF(0, 0), {}, &single);
    QVERIFY(top);
    applyEdit(wf, *top);
    QCOMPARE(single.size(), 1);
    const Node *lone = wf.node(single.first());
    QVERIFY(lone->parentId().isEmpty());
    QVERIFY(!lone->wrapper.contains("parentId"));
    QVERIFY(!lone->data.contains("iteration_id"));
    QCOMPARE(lone->position(), QPointF(428, 468)); // its canvas position
    // Its [it, item] reference stays (the iteration was not copied).
    QCOMPARE(lone->data["variables"][0]["value_selector"], (Json{"it", "item"}));
}

void TestGraphEdits::pasteGarbage_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("array") << q("[1, 2]") << q("flowbench_clipboard");
    QTest::newRow("other object") << q(R"({"hello": 1})") << q("flowbench_clipboard");
    QTest::newRow("no nodes") << q(R"({"flowbench_clipboard": 1})") << q("nodes");
    QTest::newRow("nodes not a list")
        << q(R"({"flowbench_clipboard": 1, "nodes": {}})") << q("nodes");
    QTest::newRow("node without id")
        << q(R"({"flowbench_clipboard": 1, "nodes": [{"data": {"type": "llm"}}]})") << q("id");
    QTest::newRow("node without data")
        << q(R"({"flowbench_clipboard": 1, "nodes": [{"id": "x"}]})") << q("data");
    QTest::newRow("edges not a list")
        << q(R"({"flowbench_clipboard": 1, "nodes": [], "edges": 3})") << q("edges");
    QTest::newRow("empty") << q(R"({"flowbench_clipboard": 1, "nodes": []})") << q("no nodes");
    QTest::newRow("text") << q(R"("just some text")") << q("does not hold nodes");
}

void TestGraphEdits::pasteGarbage()
{
    QFETCH(QString, json);
    QFETCH(QString, mentions);
    const Workflow wf = sample();
    const auto result = makePasteEdit(wf, Json::parse(json.toStdString()), QPointF());
    QVERIFY(!result);
    QCOMPARE(result.error().code, q("clipboard.format"));
    QVERIFY2(result.error().message.contains(mentions), qPrintable(result.error().message));
}

void TestGraphEdits::align_data()
{
    QTest::addColumn<int>("alignment");
    QTest::addColumn<QList<QPointF>>("expected");
    // Nodes a (0,0 200x80), b (300,100 100x40), c (100,300 200x80); bounds 0..400 × 0..380.
    QTest::newRow("left") << int(Alignment::Left) << QList<QPointF>{{0, 0}, {0, 100}, {0, 300}};
    QTest::newRow("right") << int(Alignment::Right)
                           << QList<QPointF>{{200, 0}, {300, 100}, {200, 300}};
    QTest::newRow("hcenter") << int(Alignment::HorizontalCenter)
                             << QList<QPointF>{{100, 0}, {150, 100}, {100, 300}};
    QTest::newRow("top") << int(Alignment::Top) << QList<QPointF>{{0, 0}, {300, 0}, {100, 0}};
    QTest::newRow("bottom") << int(Alignment::Bottom)
                            << QList<QPointF>{{0, 300}, {300, 340}, {100, 300}};
    QTest::newRow("vcenter") << int(Alignment::VerticalCenter)
                             << QList<QPointF>{{0, 150}, {300, 170}, {100, 150}};
}

void TestGraphEdits::align()
{
    QFETCH(int, alignment);
    QFETCH(QList<QPointF>, expected);
    Workflow wf = build(Json::array({node("a", "code", {}, 0, 0), node("b", "code", {}, 300, 100),
                                     node("c", "code", {}, 100, 300)}),
                        Json::array());
    const NodeSizeFn size = [](const QString &id) {
        return id == QLatin1String("b") ? QSizeF(100, 40) : QSizeF(200, 80);
    };
    const QStringList ids{q("a"), q("b"), q("c")};
    const Edit edit = makeAlignEdit(wf, ids, Alignment(alignment), size);
    QVERIFY(!edit.name.isEmpty());
    applyEdit(wf, edit);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(wf.node(ids[i])->position(), expected[i]);

    // Fewer than two nodes: nothing to do.
    const Edit none = makeAlignEdit(wf, {q("a")}, Alignment::Left, size);
    QVERIFY(std::holds_alternative<BatchEdit>(none.op));
    QVERIFY(std::get<BatchEdit>(none.op).edits.empty());
}

void TestGraphEdits::distribute()
{
    Workflow wf
        = build(Json::array({node("a", "code", {}, 0, 0), node("b", "code", {}, 220, 50),
                             node("c", "code", {}, 900, 10), node("d", "code", {}, 300, 90)}),
                Json::array());
    const Edit edit
        = makeDistributeEdit(wf, {q("a"), q("b"), q("c"), q("d")}, Qt::Horizontal, &fixedSize);
    QCOMPARE(edit.name, q("Distribute horizontally"));
    applyEdit(wf, edit);
    // Sorted a, b, d, c: span 0..1100, four nodes of 200 → gaps of 100.
    QCOMPARE(wf.node(q("a"))->position(), QPointF(0, 0));
    QCOMPARE(wf.node(q("b"))->position(), QPointF(300, 50));
    QCOMPARE(wf.node(q("d"))->position(), QPointF(600, 90));
    QCOMPARE(wf.node(q("c"))->position(), QPointF(900, 10));

    applyEdit(wf, makeDistributeEdit(wf, {q("a"), q("b"), q("c")}, Qt::Vertical, &fixedSize));
    // y: a 0, c 10, b 50 → span 0..130, three of 80 → gap -55: equal (overlapping) steps.
    QCOMPARE(wf.node(q("a"))->position().y(), 0.0);
    QCOMPARE(wf.node(q("c"))->position().y(), 25.0);
    QCOMPARE(wf.node(q("b"))->position().y(), 50.0);
}

void TestGraphEdits::autoLayoutChain()
{
    Workflow wf
        = build(Json::array({node("s", "start", {}, 500, 500), node("a", "code", {}, 0, 0),
                             node("b", "code", {}, 10, 10), node("c", "code", {}, 20, 5),
                             node("e", "end", {}, 5, 20)}),
                Json::array({edge("s", "a"), edge("a", "b"), edge("b", "c"), edge("c", "e")}));
    const Edit edit = makeAutoLayoutEdit(wf, {}, &fixedSize);
    QCOMPARE(edit.name, q("Auto layout"));
    bool ok = false;
    applyEdit(wf, edit, &ok);
    QVERIFY(ok);
    const QStringList chain{q("s"), q("a"), q("b"), q("c"), q("e")};
    for (int i = 1; i < chain.size(); ++i) {
        const QPointF prev = wf.node(chain[i - 1])->position();
        const QPointF cur = wf.node(chain[i])->position();
        QVERIFY(cur.x() >= prev.x() + 200 + 40); // at least the node width plus a gap
        QCOMPARE(cur.y(), prev.y());             // a chain is one straight line
    }
    for (int i = 0; i < chain.size(); ++i) {
        for (int j = i + 1; j < chain.size(); ++j) {
            const QRectF a(wf.node(chain[i])->position(), fixedSize({}));
            const QRectF b(wf.node(chain[j])->position(), fixedSize({}));
            QVERIFY(!a.intersects(b));
        }
    }
    // The layout stays where the graph was (its top-left corner).
    QCOMPARE(wf.node(q("s"))->position(), QPointF(0, 0));
}

void TestGraphEdits::autoLayoutFanOut()
{
    Workflow wf = sample();
    const Edit edit = makeAutoLayoutEdit(wf, {}, &fixedSize);
    applyEdit(wf, edit);
    const Node *ifElse = wf.node(q("if"));
    const Node *e1 = wf.node(q("e1"));
    const Node *e2 = wf.node(q("e2"));
    QVERIFY(e1->position().x() > ifElse->position().x());
    QCOMPARE(e1->position().x(), e2->position().x());
    QVERIFY(e1->position().y() != e2->position().y());
    QVERIFY(e1->position().y() < e2->position().y()); // IF above ELSE
    QVERIFY(std::abs(e1->position().y() - e2->position().y()) >= 80);

    // Every pair of top-level nodes is apart.
    QStringList top;
    for (const Node &n : wf.nodes()) {
        if (n.parentId().isEmpty())
            top << n.id;
    }
    const auto rectOf = [&](const QString &id) {
        const Node *n = wf.node(id);
        return QRectF(n->position(),
                      n->kind() == QLatin1String("iteration") ? n->size() : fixedSize(id));
    };
    for (int i = 0; i < top.size(); ++i) {
        for (int j = i + 1; j < top.size(); ++j)
            QVERIFY2(!rectOf(top[i]).intersects(rectOf(top[j])), qPrintable(top[i] + top[j]));
    }
}

void TestGraphEdits::autoLayoutCyclesAndNotes()
{
    Json note = node("n", "", Json{{"text", "hi"}, {"width", 240}, {"height", 88}}, 77, 66);
    note["type"] = "custom-note";
    Workflow wf = build(Json::array({node("a", "code", {}, 0, 0), node("b", "code", {}, 0, 0),
                                     node("c", "code", {}, 0, 0), note}),
                        Json::array({edge("a", "b"), edge("b", "c"), edge("c", "a")}));
    applyEdit(wf, makeAutoLayoutEdit(wf, {}, &fixedSize));
    QCOMPARE(wf.node(q("n"))->position(), QPointF(77, 66));
    QVERIFY(wf.node(q("a"))->position().x() < wf.node(q("b"))->position().x());
    QVERIFY(wf.node(q("b"))->position().x() < wf.node(q("c"))->position().x());
    // Only the selection moves.
    Workflow two = build(Json::array({node("a", "code", {}, 0, 0), node("b", "code", {}, 0, 0),
                                      node("c", "code", {}, 5, 5)}),
                         Json::array({edge("a", "b")}));
    applyEdit(two, makeAutoLayoutEdit(two, {q("a"), q("b")}, &fixedSize));
    QCOMPARE(two.node(q("c"))->position(), QPointF(5, 5));
    QCOMPARE(two.node(q("b"))->position(), QPointF(280, 0));
}

void TestGraphEdits::autoLayoutResizesContainer()
{
    Workflow wf = sample();
    QString extra;
    applyEdit(wf, *makeAddNodeEdit(wf, q("code"), QPointF(0, 0), q("it"), &extra));
    applyEdit(wf, *makeConnectEdit(wf, q("inner"), q("source"), extra));
    const Edit edit = makeAutoLayoutEdit(wf, {}, &fixedSize);
    const Json before = wf.toJson();
    const Edit undo = applyEdit(wf, edit);
    const Node *it = wf.node(q("it"));
    const QPointF start = wf.node(q("itstart"))->position();
    const QPointF inner = wf.node(q("inner"))->position();
    const QPointF last = wf.node(extra)->position();
    QVERIFY(start.x() >= 16 && start.y() >= 60);
    QVERIFY(inner.x() > start.x());
    QVERIFY(last.x() > inner.x());
    // Fitted: wide enough for the body plus padding, in the wrapper and in data.
    QVERIFY(it->size().width() >= last.x() + 200 + 16);
    QVERIFY(it->size().width() <= last.x() + 200 + 60);
    QVERIFY(it->size().height() >= last.y() + 80 + 16);
    QCOMPARE(it->data["width"], it->wrapper["width"]);
    QCOMPARE(it->data["height"], it->wrapper["height"]);
    // The container is laid out with its new size: nothing overlaps it.
    const QRectF box(it->position(), it->size());
    for (const Node &n : wf.nodes()) {
        if (n.parentId().isEmpty() && n.id != q("it"))
            QVERIFY2(!box.intersects(QRectF(n.position(), fixedSize(n.id))), qPrintable(n.id));
    }
    applyEdit(wf, undo);
    QCOMPARE(wf.toJson(), before);
}

void TestGraphEdits::bigGraphIsCheap()
{
    // A 10,000-node chain: the cycle check and the layout stay well under a second each.
    Json nodes = Json::array();
    Json edges = Json::array();
    for (int i = 0; i < 10000; ++i) {
        const std::string id = "n" + std::to_string(i);
        nodes.push_back(node(id.c_str(), "code", {}, 0, 0));
        if (i > 0) {
            const std::string prev = "n" + std::to_string(i - 1);
            edges.push_back(edge(prev.c_str(), id.c_str()));
        }
    }
    const Workflow wf = build(nodes, edges);
    QElapsedTimer timer;
    timer.start();
    const auto cycle = flowbench::document::canConnect(wf, q("n9999"), q("source"), q("n0"));
    QVERIFY(!cycle);
    QVERIFY(cycle.error().message.contains(q("cycle")));
    QVERIFY(flowbench::document::canConnect(wf, q("n0"), q("source"), q("n9999")));
    const qint64 connectMs = timer.restart();
    const Edit layout = makeAutoLayoutEdit(wf, {}, &fixedSize);
    const qint64 layoutMs = timer.elapsed();
    qInfo("canConnect x2: %lld ms, auto layout: %lld ms", connectMs, layoutMs);
    QVERIFY(connectMs < 1000);
    QVERIFY(layoutMs < 3000);
}

void TestGraphEdits::fixtureCopyPaste_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(FLOWBENCH_FIXTURES_DIR));
    const QStringList files = dir.entryList({QStringLiteral("*.yml")}, QDir::Files, QDir::Name);
    QVERIFY(!files.isEmpty());
    for (const QString &f : files)
        QTest::newRow(qPrintable(f)) << dir.filePath(f);
}

void TestGraphEdits::fixtureCopyPaste()
{
    QFETCH(QString, path);
    const auto loaded = loadWorkflowFile(path);
    QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().toString()));
    const Workflow &original = loaded->workflow;
    QStringList all;
    for (const Node &n : original.nodes())
        all << n.id;
    const Json clip = copyNodes(original, all);
    QCOMPARE(clip["nodes"].size(), original.nodes().size());
    QCOMPARE(clip["edges"].size(), original.edges().size());

    // Through the text flavour, into an empty copy of the document: the same problems as the
    // original (so every id, reference and container link was rewritten consistently).
    Workflow empty = original;
    empty.setNodes({});
    empty.setEdges({});
    QStringList ids;
    auto edit = makePasteEdit(empty, Json(clip.dump()), QPointF(0, 0), {}, &ids);
    QVERIFY2(edit, qPrintable(edit ? QString() : edit.error().message));
    Workflow pasted = empty;
    bool ok = false;
    applyEdit(pasted, *edit, &ok);
    QVERIFY(ok);
    QCOMPARE(pasted.nodes().size(), original.nodes().size());
    QCOMPARE(pasted.edges().size(), original.edges().size());
    for (const Node &n : pasted.nodes())
        QVERIFY2(!original.node(n.id), qPrintable(n.id));
    QCOMPARE(codes(validateWorkflow(pasted)), codes(validateWorkflow(original)));

    // Into the same document: the second Start is dropped, and nothing dangles.
    Workflow twice = original;
    auto again = makePasteEdit(twice, clip, QPointF(0, 1000));
    QVERIFY(again);
    applyEdit(twice, *again, &ok);
    QVERIFY(ok);
    const QStringList structural{
        q("duplicate-id"),      q("duplicate-edge-id"), q("dangling-edge"), q("unknown-handle"),
        q("missing-container"), q("multiple-start"),    q("unknown-node"),  q("cycle")};
    for (const Problem &p : validateWorkflow(twice))
        QVERIFY2(!structural.contains(p.code), qPrintable(p.code + q(": ") + p.message));
}

QTEST_GUILESS_MAIN(TestGraphEdits)
#include "tst_graphedits.moc"

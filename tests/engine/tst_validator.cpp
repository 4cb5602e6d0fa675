#include <QDir>
#include <QElapsedTimer>
#include <QTest>

#include "document/dslio.h"
#include "document/validator.h"

using namespace flowbench::document;

namespace {

Json node(const char *id, const char *type, Json data = Json::object())
{
    data["type"] = type;
    if (!data.contains("title"))
        data["title"] = id;
    return Json{{"id", id}, {"type", "custom"}, {"data", std::move(data)}};
}

Json child(const char *id, const char *type, const char *parent, Json data = Json::object())
{
    Json n = node(id, type, std::move(data));
    n["parentId"] = parent;
    return n;
}

Json edge(const char *source, const char *target, const char *handle = "source")
{
    return Json{{"id", std::string(source) + "-" + handle + "-" + target},
                {"source", source},
                {"sourceHandle", handle},
                {"target", target},
                {"targetHandle", "target"}};
}

Json selector(std::initializer_list<const char *> parts)
{
    Json s = Json::array();
    for (const char *p : parts)
        s.push_back(p);
    return s;
}

Json endNode(const char *id, Json selectorValue)
{
    return node(
        id, "end",
        Json{{"outputs", Json::array({Json{{"variable", "out"},
                                           {"value_selector", std::move(selectorValue)}}})}});
}

Json startNode(const char *id = "start", std::initializer_list<const char *> vars = {"q"})
{
    Json variables = Json::array();
    for (const char *v : vars)
        variables.push_back(Json{{"variable", v}, {"label", v}, {"type", "text-input"}});
    return node(id, "start", Json{{"variables", variables}});
}

Json document(const char *mode, Json nodes, Json edges, Json env = Json::array(),
              Json conversation = Json::array())
{
    return Json{{"version", "0.5.0"},
                {"kind", "app"},
                {"app", Json{{"name", "test"}, {"mode", mode}}},
                {"workflow",
                 Json{{"environment_variables", std::move(env)},
                      {"conversation_variables", std::move(conversation)},
                      {"graph", Json{{"nodes", std::move(nodes)}, {"edges", std::move(edges)}}}}}};
}

Workflow build(const Json &doc)
{
    auto wf = Workflow::fromJson(doc);
    if (!wf) {
        qWarning("fromJson failed: %s", qPrintable(wf.error().message));
        return Workflow();
    }
    return *wf;
}

QString describe(const QList<Problem> &problems)
{
    QStringList lines;
    for (const Problem &p : problems) {
        lines.append(QStringLiteral("%1 %2 [%3] %4: %5")
                         .arg(p.isError() ? QStringLiteral("E") : QStringLiteral("W"), p.code,
                              p.nodeId, p.pointer, p.message));
    }
    return lines.join(QLatin1Char('\n'));
}

QList<Problem> withCode(const QList<Problem> &problems, const QString &code)
{
    QList<Problem> out;
    for (const Problem &p : problems) {
        if (p.code == code)
            out.append(p);
    }
    return out;
}

// A minimal valid workflow: start(q) → end(start.q).
Json minimalNodes()
{
    return Json::array({startNode(), endNode("end", selector({"start", "q"}))});
}

} // namespace

class TestValidator : public QObject
{
    Q_OBJECT

private:
    // Exactly one problem with `code`; checks its fields.
    static void expectOne(const QList<Problem> &problems, const QString &code,
                          Problem::Severity severity, const QString &nodeId, const QString &pointer)
    {
        const QList<Problem> hits = withCode(problems, code);
        QVERIFY2(hits.size() == 1,
                 qPrintable(
                     QStringLiteral("expected one '%1', got:\n%2").arg(code, describe(problems))));
        const Problem &p = hits.first();
        QCOMPARE(p.severity, severity);
        QCOMPARE(p.nodeId, nodeId);
        QCOMPARE(p.pointer, pointer);
        QVERIFY(!p.message.isEmpty());
    }

    static QList<Problem> errorsOf(const QList<Problem> &problems)
    {
        QList<Problem> out;
        for (const Problem &p : problems) {
            if (p.isError())
                out.append(p);
        }
        return out;
    }

private Q_SLOTS:
    void fixtures_data()
    {
        QTest::addColumn<QString>("path");
        const QDir dir(QStringLiteral(FLOWBENCH_FIXTURES_DIR));
        const QStringList files = dir.entryList({QStringLiteral("*.yml")}, QDir::Files, QDir::Name);
        QCOMPARE(files.size(), 10);
        for (const QString &f : files)
            QTest::newRow(qPrintable(f)) << dir.filePath(f);
    }

    void fixtures()
    {
        QFETCH(QString, path);
        const auto loaded = loadWorkflowFile(path);
        QVERIFY2(loaded.has_value(), qPrintable(loaded ? QString() : loaded.error().toString()));
        const QList<Problem> problems = validateWorkflow(loaded->workflow);
        const QList<Problem> errors = errorsOf(problems);
        QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));
        if (!problems.isEmpty())
            qInfo("%s", qPrintable(describe(problems)));
    }

    void minimalIsClean()
    {
        const auto problems = Validator::validate(
            build(document("workflow", minimalNodes(), Json::array({edge("start", "end")}))));
        QVERIFY2(problems.isEmpty(), qPrintable(describe(problems)));
    }

    // Rule 1
    void duplicateNodeId()
    {
        Json nodes = minimalNodes();
        nodes.push_back(node("end", "answer", Json{{"answer", "x"}}));
        const auto problems = Validator::validate(
            build(document("workflow", nodes, Json::array({edge("start", "end")}))));
        expectOne(problems, QStringLiteral("duplicate-id"), Problem::Severity::Error,
                  QStringLiteral("end"), QStringLiteral("/workflow/graph/nodes/2/id"));
    }

    void duplicateEdgeId()
    {
        Json e2 = edge("start", "end");
        const auto problems = Validator::validate(
            build(document("workflow", minimalNodes(), Json::array({edge("start", "end"), e2}))));
        expectOne(problems, QStringLiteral("duplicate-edge-id"), Problem::Severity::Error,
                  QStringLiteral("start"), QStringLiteral("/workflow/graph/edges/1/id"));
    }

    // Rule 2
    void danglingEdge()
    {
        const auto problems = Validator::validate(
            build(document("workflow", minimalNodes(),
                           Json::array({edge("start", "end"), edge("start", "ghost")}))));
        expectOne(problems, QStringLiteral("dangling-edge"), Problem::Severity::Error,
                  QStringLiteral("start"), QStringLiteral("/workflow/graph/edges/1/target"));

        const auto fromGhost = Validator::validate(
            build(document("workflow", minimalNodes(),
                           Json::array({edge("start", "end"), edge("ghost", "end")}))));
        expectOne(fromGhost, QStringLiteral("dangling-edge"), Problem::Severity::Error,
                  QStringLiteral("end"), QStringLiteral("/workflow/graph/edges/1/source"));
    }

    void unknownHandle()
    {
        const Json ifElse = node(
            "if", "if-else",
            Json{{"cases", Json::array({Json{
                               {"case_id", "true"},
                               {"id", "true"},
                               {"logical_operator", "and"},
                               {"conditions",
                                Json::array({Json{{"id", "c1"},
                                                  {"varType", "string"},
                                                  {"variable_selector", selector({"start", "q"})},
                                                  {"comparison_operator", "contains"},
                                                  {"value", "x"}}})}}})}});
        Json nodes = minimalNodes();
        nodes.push_back(ifElse);
        const auto problems = Validator::validate(
            build(document("workflow", nodes,
                           Json::array({edge("start", "if"), edge("if", "end", "true"),
                                        edge("if", "end", "false"), edge("if", "end", "maybe")}))));
        expectOne(problems, QStringLiteral("unknown-handle"), Problem::Severity::Error,
                  QStringLiteral("if"), QStringLiteral("/workflow/graph/edges/3/sourceHandle"));
        const Problem p = withCode(problems, QStringLiteral("unknown-handle")).first();
        QVERIFY2(p.message.contains(QStringLiteral("'maybe'")), qPrintable(p.message));
        QVERIFY2(p.message.contains(QStringLiteral("true")), qPrintable(p.message));
        QVERIFY2(p.message.contains(QStringLiteral("false")), qPrintable(p.message));
    }

    // Rule 3
    void noStart()
    {
        const Json nodes = Json::array({endNode("end", selector({"sys", "user_id"}))});
        const auto problems
            = Validator::validate(build(document("workflow", nodes, Json::array())));
        expectOne(problems, QStringLiteral("no-start"), Problem::Severity::Error, QString(),
                  QStringLiteral("/workflow/graph/nodes"));
        QVERIFY(withCode(problems, QStringLiteral("unreachable")).isEmpty());
    }

    void triggerCountsAsRoot()
    {
        const Json nodes = Json::array(
            {node("hook", "trigger-webhook"), endNode("end", selector({"sys", "user_id"}))});
        const auto problems = Validator::validate(
            build(document("workflow", nodes, Json::array({edge("hook", "end")}))));
        QVERIFY2(withCode(problems, QStringLiteral("no-start")).isEmpty(),
                 qPrintable(describe(problems)));
        QVERIFY2(withCode(problems, QStringLiteral("unreachable")).isEmpty(),
                 qPrintable(describe(problems)));
    }

    void multipleStart()
    {
        Json nodes = minimalNodes();
        nodes.push_back(startNode("start2"));
        const auto problems = Validator::validate(build(document(
            "workflow", nodes, Json::array({edge("start", "end"), edge("start2", "end")}))));
        expectOne(problems, QStringLiteral("multiple-start"), Problem::Severity::Error,
                  QStringLiteral("start2"), QStringLiteral("/workflow/graph/nodes/2"));
    }

    // Rule 4
    void workflowWithoutEnd()
    {
        const auto problems = Validator::validate(
            build(document("workflow", Json::array({startNode()}), Json::array())));
        expectOne(problems, QStringLiteral("no-end"), Problem::Severity::Error, QString(),
                  QStringLiteral("/workflow/graph/nodes"));
    }

    void chatflowWithoutAnswer()
    {
        const auto problems = Validator::validate(
            build(document("advanced-chat", minimalNodes(), Json::array({edge("start", "end")}))));
        expectOne(problems, QStringLiteral("no-answer"), Problem::Severity::Error, QString(),
                  QStringLiteral("/workflow/graph/nodes"));
        expectOne(problems, QStringLiteral("end-in-chatflow"), Problem::Severity::Error,
                  QStringLiteral("end"), QStringLiteral("/workflow/graph/nodes/1"));
    }

    void answerInWorkflow()
    {
        Json nodes = minimalNodes();
        nodes.push_back(node("answer", "answer", Json{{"answer", "{{#start.q#}}"}}));
        const auto problems = Validator::validate(build(document(
            "workflow", nodes, Json::array({edge("start", "end"), edge("start", "answer")}))));
        expectOne(problems, QStringLiteral("answer-in-workflow"), Problem::Severity::Warning,
                  QStringLiteral("answer"), QStringLiteral("/workflow/graph/nodes/2"));
        QVERIFY2(errorsOf(problems).isEmpty(), qPrintable(describe(problems)));
    }

    // Rule 5
    void cycle()
    {
        const Json nodes
            = Json::array({startNode(), node("a", "template-transform", Json{{"template", "x"}}),
                           node("b", "template-transform", Json{{"template", "y"}}),
                           endNode("end", selector({"start", "q"}))});
        const auto problems = Validator::validate(build(document(
            "workflow", nodes,
            Json::array({edge("start", "a"), edge("a", "b"), edge("b", "a"), edge("b", "end")}))));
        const QList<Problem> cycles = withCode(problems, QStringLiteral("cycle"));
        QCOMPARE(cycles.size(), 2);
        QCOMPARE(cycles[0].nodeId, QStringLiteral("a"));
        QCOMPARE(cycles[0].pointer, QStringLiteral("/workflow/graph/nodes/1"));
        QCOMPARE(cycles[1].nodeId, QStringLiteral("b"));
        QVERIFY(cycles[0].isError());
    }

    void selfLoop()
    {
        const auto problems = Validator::validate(build(document(
            "workflow", minimalNodes(), Json::array({edge("start", "end"), edge("end", "end")}))));
        expectOne(problems, QStringLiteral("cycle"), Problem::Severity::Error,
                  QStringLiteral("end"), QStringLiteral("/workflow/graph/nodes/1"));
    }

    // Rule 6
    void unreachable()
    {
        Json nodes = minimalNodes();
        nodes.push_back(node("lonely", "template-transform", Json{{"template", "x"}}));
        Json note = Json{{"id", "note"},
                         {"type", "custom-note"},
                         {"data", Json{{"type", ""}, {"text", "{{#nowhere.x#}}"}}}};
        nodes.push_back(note);
        const auto problems = Validator::validate(
            build(document("workflow", nodes, Json::array({edge("start", "end")}))));
        expectOne(problems, QStringLiteral("unreachable"), Problem::Severity::Warning,
                  QStringLiteral("lonely"), QStringLiteral("/workflow/graph/nodes/2"));
        QVERIFY2(errorsOf(problems).isEmpty(), qPrintable(describe(problems)));
    }

    void containerChildrenAreReachable()
    {
        const Json nodes = Json::array(
            {startNode(),
             node("loop", "loop",
                  Json{{"start_node_id", "loopstart"},
                       {"loop_count", 3},
                       {"break_conditions", Json::array()},
                       {"loop_variables", Json::array({Json{{"label", "n"},
                                                            {"var_type", "number"},
                                                            {"value_type", "constant"},
                                                            {"value", "1"}}})}}),
             child("loopstart", "loop-start", "loop"),
             // A child not connected inside the loop is still counted as reachable.
             child("inner", "template-transform", "loop", Json{{"template", "x"}}),
             endNode("end", selector({"loop", "n"}))});
        const auto problems = Validator::validate(build(document(
            "workflow", nodes, Json::array({edge("start", "loop"), edge("loop", "end")}))));
        QVERIFY2(withCode(problems, QStringLiteral("unreachable")).isEmpty(),
                 qPrintable(describe(problems)));
    }

    // Rule 7: templates and selectors.
    void unknownNodeInTemplate()
    {
        const Json nodes = Json::array(
            {startNode(), node("tt", "template-transform", Json{{"template", "x"}}),
             node("http", "http-request",
                  Json{{"method", "get"}, {"url", "https://x/{{#ghost.v#}}?{{#start.q#}}"}}),
             endNode("end", selector({"start", "q"}))});
        const auto problems = Validator::validate(build(
            document("workflow", nodes,
                     Json::array({edge("start", "tt"), edge("tt", "http"), edge("http", "end")}))));
        expectOne(problems, QStringLiteral("unknown-node"), Problem::Severity::Error,
                  QStringLiteral("http"), QStringLiteral("/workflow/graph/nodes/2/data/url"));
    }

    void notUpstream()
    {
        const Json nodes = Json::array(
            {startNode(), node("a", "template-transform", Json{{"template", "x"}}),
             node("b", "template-transform",
                  Json{{"template", "y"},
                       {"variables",
                        Json::array({Json{{"variable", "v"},
                                          {"value_selector", selector({"c", "output"})}}})}}),
             node("c", "template-transform", Json{{"template", "z"}}),
             endNode("end", selector({"b", "output"}))});
        const auto problems = Validator::validate(
            build(document("workflow", nodes,
                           Json::array({edge("start", "a"), edge("a", "b"), edge("start", "c"),
                                        edge("b", "end"), edge("c", "end")}))));
        expectOne(problems, QStringLiteral("not-upstream"), Problem::Severity::Error,
                  QStringLiteral("b"),
                  QStringLiteral("/workflow/graph/nodes/2/data/variables/0/value_selector"));
    }

    void unknownVariable()
    {
        const auto problems = Validator::validate(build(document(
            "workflow", Json::array({startNode(), endNode("end", selector({"start", "nope"}))}),
            Json::array({edge("start", "end")}))));
        expectOne(problems, QStringLiteral("unknown-variable"), Problem::Severity::Error,
                  QStringLiteral("end"),
                  QStringLiteral("/workflow/graph/nodes/1/data/outputs/0/value_selector"));
        const Problem p = withCode(problems, QStringLiteral("unknown-variable")).first();
        QVERIFY2(p.message.contains(QStringLiteral("nope")), qPrintable(p.message));
    }

    void dynamicOutputsAreNotChecked()
    {
        const Json nodes = Json::array(
            {startNode(),
             node("tool", "tool",
                  Json{{"provider_id", "p"},
                       {"provider_type", "builtin"},
                       {"provider_name", "p"},
                       {"tool_name", "t"},
                       {"tool_label", "t"},
                       {"tool_configurations", Json::object()},
                       {"tool_parameters",
                        Json{{"a", Json{{"type", "variable"}, {"value", selector({"start", "q"})}}},
                             {"b", Json{{"type", "mixed"}, {"value", "{{#start.q#}}"}}}}}}),
             endNode("end", selector({"tool", "whatever_the_tool_says"}))});
        const auto problems = Validator::validate(build(document(
            "workflow", nodes, Json::array({edge("start", "tool"), edge("tool", "end")}))));
        QVERIFY2(withCode(problems, QStringLiteral("unknown-variable")).isEmpty(),
                 qPrintable(describe(problems)));
    }

    void toolVariableParameterIsASelector()
    {
        const Json nodes = Json::array(
            {startNode(),
             node("tool", "tool",
                  Json{{"provider_id", "p"},
                       {"provider_type", "builtin"},
                       {"provider_name", "p"},
                       {"tool_name", "t"},
                       {"tool_label", "t"},
                       {"tool_configurations", Json::object()},
                       {"tool_parameters", Json{{"a", Json{{"type", "variable"},
                                                           {"value", selector({"gone", "x"})}}}}}}),
             endNode("end", selector({"tool", "text"}))});
        const auto problems = Validator::validate(build(document(
            "workflow", nodes, Json::array({edge("start", "tool"), edge("tool", "end")}))));
        expectOne(problems, QStringLiteral("unknown-node"), Problem::Severity::Error,
                  QStringLiteral("tool"),
                  QStringLiteral("/workflow/graph/nodes/1/data/tool_parameters/a/value"));
    }

    void systemVariables_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("reference");
        QTest::addColumn<QString>("code"); // empty: no problem

        QTest::newRow("files in workflow") << "workflow"
                                           << "{{#sys.files#}}" << QString();
        QTest::newRow("user_id") << "workflow"
                                 << "{{#sys.user_id#}}" << QString();
        QTest::newRow("timestamp in workflow") << "workflow"
                                               << "{{#sys.timestamp#}}" << QString();
        QTest::newRow("query in workflow")
            << "workflow"
            << "{{#sys.query#}}" << QStringLiteral("chatflow-only-variable");
        QTest::newRow("conversation_id in workflow")
            << "workflow"
            << "{{#sys.conversation_id#}}" << QStringLiteral("chatflow-only-variable");
        QTest::newRow("dialogue_count in workflow")
            << "workflow"
            << "{{#sys.dialogue_count#}}" << QStringLiteral("chatflow-only-variable");
        QTest::newRow("query in chatflow") << "advanced-chat"
                                           << "{{#sys.query#}}" << QString();
        QTest::newRow("timestamp in chatflow")
            << "advanced-chat"
            << "{{#sys.timestamp#}}" << QStringLiteral("workflow-only-variable");
        QTest::newRow("unknown sys")
            << "workflow"
            << "{{#sys.nonsense#}}" << QStringLiteral("unknown-system-variable");
        QTest::newRow("userinput.files") << "workflow"
                                         << "{{#userinput.files#}}" << QString();
        QTest::newRow("userinput.other")
            << "workflow"
            << "{{#userinput.query#}}" << QStringLiteral("unknown-system-variable");
        QTest::newRow("env exists") << "workflow"
                                    << "{{#env.KEY#}}" << QString();
        QTest::newRow("env missing")
            << "workflow"
            << "{{#env.MISSING#}}" << QStringLiteral("unknown-environment-variable");
        QTest::newRow("conversation exists") << "advanced-chat"
                                             << "{{#conversation.memo#}}" << QString();
        QTest::newRow("conversation missing")
            << "advanced-chat"
            << "{{#conversation.other#}}" << QStringLiteral("unknown-conversation-variable");
        QTest::newRow("rag") << "workflow"
                             << "{{#rag.shared.x#}}" << QString();
        QTest::newRow("context is not a reference") << "workflow"
                                                    << "{{#context#}}" << QString();
        QTest::newRow("dash id is not a reference") << "workflow"
                                                    << "{{#a-b.c#}}" << QString();
        QTest::newRow("31-char name is not a reference")
            << "workflow"
            << "{{#ghost.abcdefghijklmnopqrstuvwxyz01234#}}" << QString();
        QTest::newRow("11 segments are not a reference")
            << "workflow"
            << "{{#ghost.a.b.c.d.e.f.g.h.i.j.k#}}" << QString();
        QTest::newRow("10 segments are a reference")
            << "workflow"
            << "{{#ghost.a.b.c.d.e.f.g.h.i.j#}}" << QStringLiteral("unknown-node");
        QTest::newRow("embedded") << "workflow"
                                  << "{{{#ghost.x#}}}" << QStringLiteral("unknown-node");
    }

    void systemVariables()
    {
        QFETCH(QString, mode);
        QFETCH(QString, reference);
        QFETCH(QString, code);
        const bool chat = mode == QLatin1String("advanced-chat");
        const Json last = chat ? node("answer", "answer", Json{{"answer", "ok"}})
                               : endNode("answer", selector({"start", "q"}));
        const Json nodes = Json::array(
            {startNode(),
             node("http", "http-request",
                  Json{{"method", "get"}, {"url", "https://x/" + reference.toStdString()}}),
             last});
        const Json env = Json::array(
            {Json{{"name", "KEY"}, {"value_type", "string"}, {"value", "v"}, {"id", "e1"}}});
        const Json conv = Json::array(
            {Json{{"name", "memo"}, {"value_type", "string"}, {"value", ""}, {"id", "c1"}}});
        const auto problems = Validator::validate(build(
            document(chat ? "advanced-chat" : "workflow", nodes,
                     Json::array({edge("start", "http"), edge("http", "answer")}), env, conv)));
        QList<Problem> refs;
        for (const Problem &p : problems) {
            if (p.pointer == QLatin1String("/workflow/graph/nodes/1/data/url"))
                refs.append(p);
        }
        if (code.isEmpty()) {
            QVERIFY2(refs.isEmpty(), qPrintable(describe(refs)));
            return;
        }
        QCOMPARE(refs.size(), 1);
        QCOMPARE(refs.first().code, code);
        QCOMPARE(refs.first().nodeId, QStringLiteral("http"));
        QCOMPARE(refs.first().isError(), code != QLatin1String("workflow-only-variable"));
    }

    void iterationScope()
    {
        // Inside: item/index of the enclosing iteration and upstream of the container are
        // readable; the container reads its child's output; after it, only `output`.
        const Json nodes = Json::array(
            {startNode(),
             node("gen", "code",
                  Json{{"code_language", "python3"},
                       {"code", "def main(): return {'r': [1]}"},
                       {"variables", Json::array()},
                       {"outputs", Json{{"r", Json{{"type", "array[number]"}}}}}}),
             node("it", "iteration",
                  Json{{"start_node_id", "itstart"},
                       {"iterator_selector", selector({"gen", "r"})},
                       {"output_selector", selector({"body", "output"})},
                       {"output_type", "array[string]"}}),
             child("itstart", "iteration-start", "it"),
             child(
                 "body", "template-transform", "it",
                 Json{{"template", "{{ a }}{{ b }}{{ c }}"},
                      {"variables",
                       Json::array(
                           {Json{{"variable", "a"}, {"value_selector", selector({"it", "item"})}},
                            Json{{"variable", "b"}, {"value_selector", selector({"it", "index"})}},
                            Json{{"variable", "c"}, {"value_selector", selector({"start", "q"})}},
                            Json{{"variable", "d"},
                                 {"value_selector", selector({"it", "output"})}}})}}),
             endNode("end", selector({"it", "item"}))});
        const auto problems = Validator::validate(
            build(document("workflow", nodes,
                           Json::array({edge("start", "gen"), edge("gen", "it"),
                                        edge("itstart", "body"), edge("it", "end")}))));
        const QList<Problem> unknown = withCode(problems, QStringLiteral("unknown-variable"));
        QVERIFY2(unknown.size() == 2, qPrintable(describe(problems)));
        QCOMPARE(unknown[0].nodeId, QStringLiteral("body"));
        QCOMPARE(unknown[0].pointer,
                 QStringLiteral("/workflow/graph/nodes/4/data/variables/3/value_selector"));
        QCOMPARE(unknown[1].nodeId, QStringLiteral("end"));
        QCOMPARE(errorsOf(problems).size(), 2);
    }

    void childOutputNotVisibleAfterContainer()
    {
        const Json nodes = Json::array(
            {startNode(),
             node("loop", "loop",
                  Json{{"start_node_id", "ls"},
                       {"loop_count", 2},
                       {"break_conditions",
                        Json::array({Json{{"id", "b"},
                                          {"varType", "number"},
                                          {"variable_selector", selector({"loop", "n"})},
                                          {"comparison_operator", "≥"},
                                          {"value", "3"}}})},
                       {"loop_variables",
                        Json::array({Json{{"label", "n"},
                                          {"var_type", "number"},
                                          {"value_type", "variable"},
                                          {"value", selector({"start", "q"})}}})}}),
             child("ls", "loop-start", "loop"),
             child("inner", "template-transform", "loop", Json{{"template", "x"}}),
             endNode("end", selector({"inner", "output"}))});
        const auto problems = Validator::validate(build(document(
            "workflow", nodes,
            Json::array({edge("start", "loop"), edge("ls", "inner"), edge("loop", "end")}))));
        expectOne(problems, QStringLiteral("not-upstream"), Problem::Severity::Error,
                  QStringLiteral("end"),
                  QStringLiteral("/workflow/graph/nodes/4/data/outputs/0/value_selector"));
        QCOMPARE(errorsOf(problems).size(), 1);
    }

    void aggregatorVariables()
    {
        const Json nodes = Json::array(
            {startNode(),
             node(
                 "agg", "variable-aggregator",
                 Json{{"output_type", "string"},
                      {"variables", Json::array({selector({"start", "q"}), selector({"zz", "q"})})},
                      {"advanced_settings",
                       Json{{"group_enabled", false},
                            {"groups", Json::array({Json{{"groupId", "g"},
                                                         {"group_name", "G"},
                                                         {"output_type", "string"},
                                                         {"variables", Json::array({selector(
                                                                           {"yy", "q"})})}}})}}}}),
             endNode("end", selector({"agg", "output"}))});
        const auto problems = Validator::validate(build(
            document("workflow", nodes, Json::array({edge("start", "agg"), edge("agg", "end")}))));
        QStringList pointers;
        for (const Problem &p : withCode(problems, QStringLiteral("unknown-node")))
            pointers.append(p.pointer);
        pointers.sort();
        QCOMPARE(pointers,
                 QStringList({QStringLiteral("/workflow/graph/nodes/1/data/advanced_settings/"
                                             "groups/0/variables/0"),
                              QStringLiteral("/workflow/graph/nodes/1/data/variables/1")}));
    }

    void pointerEscaping()
    {
        const Json nodes = Json::array(
            {startNode(),
             node("http", "http-request",
                  Json{{"method", "get"}, {"url", "https://x"}, {"a/b~c", "{{#ghost.v#}}"}}),
             endNode("end", selector({"start", "q"}))});
        const auto problems = Validator::validate(build(document(
            "workflow", nodes, Json::array({edge("start", "http"), edge("http", "end")}))));
        expectOne(problems, QStringLiteral("unknown-node"), Problem::Severity::Error,
                  QStringLiteral("http"), QStringLiteral("/workflow/graph/nodes/1/data/a~1b~0c"));
    }

    // Rule 8
    void requiredFields()
    {
        const Json nodes
            = Json::array({startNode(), node("http", "http-request", Json{{"method", "get"}}),
                           endNode("end", selector({"start", "q"}))});
        const auto problems = Validator::validate(build(document(
            "workflow", nodes, Json::array({edge("start", "http"), edge("http", "end")}))));
        const QList<Problem> fields = withCode(problems, QStringLiteral("invalid-field"));
        QVERIFY2(!fields.isEmpty(), qPrintable(describe(problems)));
        bool sawUrl = false;
        for (const Problem &p : fields) {
            QCOMPARE(p.nodeId, QStringLiteral("http"));
            QVERIFY2(p.pointer.startsWith(QStringLiteral("/workflow/graph/nodes/1/data")),
                     qPrintable(p.pointer));
            sawUrl = sawUrl || p.pointer == QLatin1String("/workflow/graph/nodes/1/data/url");
        }
        QVERIFY2(sawUrl, qPrintable(describe(fields)));
    }

    // Rule 9
    void unsupportedKind()
    {
        Json nodes = minimalNodes();
        nodes.push_back(node("plug", "some-plugin-node"));
        const auto problems = Validator::validate(
            build(document("workflow", nodes,
                           Json::array({edge("start", "end"), edge("start", "plug"),
                                        edge("plug", "end", "weird")}))));
        expectOne(problems, QStringLiteral("unsupported-kind"), Problem::Severity::Error,
                  QStringLiteral("plug"), QStringLiteral("/workflow/graph/nodes/2/data/type"));
        QVERIFY(withCode(problems, QStringLiteral("unknown-handle")).isEmpty());
        QVERIFY(withCode(problems, QStringLiteral("unsupported-kind"))
                    .first()
                    .message.contains(QStringLiteral("some-plugin-node")));
    }

    // Rule 10
    void missingContainer()
    {
        Json nodes = minimalNodes();
        nodes.push_back(child("orphan", "template-transform", "nowhere", Json{{"template", "x"}}));
        Json flagged = node("flagged", "template-transform",
                            Json{{"template", "x"}, {"isInLoop", true}, {"loop_id", "end"}});
        nodes.push_back(flagged);
        const auto problems = Validator::validate(
            build(document("workflow", nodes, Json::array({edge("start", "end")}))));
        const QList<Problem> missing = withCode(problems, QStringLiteral("missing-container"));
        QCOMPARE(missing.size(), 2);
        QCOMPARE(missing[0].nodeId, QStringLiteral("orphan"));
        QCOMPARE(missing[0].pointer, QStringLiteral("/workflow/graph/nodes/2/parentId"));
        QCOMPARE(missing[1].nodeId, QStringLiteral("flagged"));
        QCOMPARE(missing[1].pointer, QStringLiteral("/workflow/graph/nodes/3/data/loop_id"));
        QVERIFY(missing[1].isError());
    }

    // Rule 11
    void missingType()
    {
        Json nodes = minimalNodes();
        nodes.push_back(
            Json{{"id", "typeless"}, {"type", "custom"}, {"data", Json{{"title", "?"}}}});
        const auto problems = Validator::validate(
            build(document("workflow", nodes, Json::array({edge("start", "end")}))));
        expectOne(problems, QStringLiteral("missing-type"), Problem::Severity::Error,
                  QStringLiteral("typeless"), QStringLiteral("/workflow/graph/nodes/2/data/type"));
    }

    // Rule 12
    void largeEnvironmentVariable()
    {
        const Json env
            = Json::array({Json{{"name", "small"}, {"value_type", "string"}, {"value", "x"}},
                           Json{{"name", "big"},
                                {"value_type", "string"},
                                {"value", std::string(200 * 1024 + 1, 'x')}}});
        const auto problems = Validator::validate(
            build(document("workflow", minimalNodes(), Json::array({edge("start", "end")}), env)));
        expectOne(problems, QStringLiteral("variable-too-large"), Problem::Severity::Error,
                  QString(), QStringLiteral("/workflow/environment_variables/1/value"));
    }

    // Performance: a 1,000-node chain where every node reads the start and its predecessor.
    void performance_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("every"); // every n-th node carries references
        QTest::newRow("1000") << 1000 << 1;
        QTest::newRow("6000") << 6000 << 1;
        QTest::newRow("9000 (search fallback)") << 9000 << 50;
    }

    void performance()
    {
        QFETCH(int, count);
        QFETCH(int, every);
        std::vector<std::string> ids;
        Json nodes = Json::array({startNode()});
        Json edges = Json::array();
        std::string previous = "start";
        for (int i = 0; i < count; ++i) {
            std::string id = "n";
            id += std::to_string(i);
            ids.push_back(id);
            std::string ref = "{{#";
            ref += previous;
            ref += previous == "start" ? ".q#}}" : ".output#}}";
            if (i % every != 0) {
                nodes.push_back(node(id.c_str(), "template-transform", Json{{"template", "x"}}));
                edges.push_back(edge(previous.c_str(), id.c_str()));
                previous = id;
                continue;
            }
            nodes.push_back(node(
                id.c_str(), "template-transform",
                Json{{"variables",
                      Json::array(
                          {Json{{"variable", "a"}, {"value_selector", selector({"start", "q"})}},
                           Json{{"variable", "b"},
                                {"value_selector",
                                 Json::array({previous, previous == "start" ? "q" : "output"})}}})},
                     {"template", ref}}));
            edges.push_back(edge(previous.c_str(), id.c_str()));
            previous = id;
        }
        nodes.push_back(endNode("end", Json::array({previous, "output"})));
        edges.push_back(edge(previous.c_str(), "end"));
        // A wrong reference at the end is still found.
        Json &lastVariables = nodes[static_cast<std::size_t>(count)]["data"]["variables"];
        while (lastVariables.size() < 2)
            lastVariables.push_back(
                Json{{"variable", "x"}, {"value_selector", selector({"start", "q"})}});
        lastVariables.push_back(
            Json{{"variable", "c"}, {"value_selector", selector({"end", "out"})}});
        const Workflow wf = build(document("workflow", nodes, edges));
        QCOMPARE(static_cast<int>(wf.nodes().size()), count + 2);

        QList<Problem> problems = Validator::validate(wf); // warm-up (registry, statics)
        QElapsedTimer timer;
        timer.start();
        const int rounds = count > 1000 ? 5 : 50;
        for (int r = 0; r < rounds; ++r)
            problems = Validator::validate(wf);
        const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6 / rounds;
        qInfo("%d nodes: %.3f ms per validation", count + 2, ms);
        // Generous, so a loaded machine passes; quadratic work would not.
        QVERIFY2(ms < 50.0 * count / 1000, qPrintable(QString::number(ms)));
        expectOne(
            problems, QStringLiteral("not-upstream"), Problem::Severity::Error,
            QString::fromStdString(ids.back()),
            QStringLiteral("/workflow/graph/nodes/%1/data/variables/2/value_selector").arg(count));
        QCOMPARE(problems.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestValidator)

#include "tst_validator.moc"

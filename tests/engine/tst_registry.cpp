#include "nodes/registry.h"

#include <QFile>
#include <QSet>
#include <QTest>

using namespace flowbench::nodes;

namespace {

QStringList handleIds(const std::vector<Handle> &handles)
{
    QStringList ids;
    for (const Handle &h : handles)
        ids.append(h.id);
    return ids;
}

QStringList handleLabels(const std::vector<Handle> &handles)
{
    QStringList labels;
    for (const Handle &h : handles)
        labels.append(h.label);
    return labels;
}

QStringList outputNames(const std::vector<OutputVar> &outputs)
{
    QStringList names;
    for (const OutputVar &o : outputs)
        names.append(o.name);
    return names;
}

QString outputType(const std::vector<OutputVar> &outputs, const QString &name)
{
    for (const OutputVar &o : outputs) {
        if (o.name == name)
            return o.type;
    }
    return {};
}

const NodeKindInfo &info(const char *kind)
{
    const NodeKindInfo *found = NodeRegistry::instance().find(QLatin1String(kind));
    if (!found)
        qFatal("kind %s is not registered", kind);
    return *found;
}

std::vector<FieldProblem> problemsAt(const std::vector<FieldProblem> &problems,
                                     const QString &field)
{
    std::vector<FieldProblem> result;
    for (const FieldProblem &p : problems) {
        if (p.field == field)
            result.push_back(p);
    }
    return result;
}

const char *const kAllKinds[] = {
    "start",
    "end",
    "answer",
    "llm",
    "if-else",
    "code",
    "http-request",
    "template-transform",
    "variable-aggregator",
    "variable-assigner",
    "assigner",
    "iteration",
    "iteration-start",
    "loop",
    "loop-start",
    "loop-end",
    "knowledge-retrieval",
    "question-classifier",
    "parameter-extractor",
    "tool",
    "agent",
    "list-operator",
    "document-extractor",
    "custom-note",
};

} // namespace

class TestRegistry : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyKind_data();
    void everyKind();
    void noDuplicateKinds();
    void wrapperTypes();
    void noteDefaults();
    void containers();

    void ifElseHandles();
    void ifElseLegacyHandles();
    void failBranchAddsHandle();
    void classifierHandles();
    void endHasNoHandles();
    void unknownKind();

    void codeOutputs();
    void startOutputs();
    void llmOutputs();
    void errorOutputs();
    void aggregatorOutputs();
    void iterationAndLoopOutputs();

    void httpWithoutUrl();
    void llmWithoutModel();
    void codeChecks();
    void loopCountRange();
    void endOutputNames();
    void oddDataNeverThrows_data();
    void oddDataNeverThrows();
};

void TestRegistry::everyKind_data()
{
    QTest::addColumn<QString>("kind");
    for (const char *kind : kAllKinds)
        QTest::newRow(kind) << QString::fromLatin1(kind);
}

void TestRegistry::everyKind()
{
    QFETCH(QString, kind);
    const NodeKindInfo *found = NodeRegistry::instance().find(kind);
    QVERIFY2(found, qPrintable(kind));
    QCOMPARE(found->kind, kind);
    QVERIFY(!found->displayName.isEmpty());
    QVERIFY(!found->description.isEmpty());
    QVERIFY(!NodeRegistry::categoryName(found->category).isEmpty());
    QVERIFY(found->defaultData && found->handles && found->outputs && found->check);

    const Json data = found->defaultData();
    QVERIFY(data.is_object());
    const QString expectedType = kind == QLatin1String("custom-note") ? QString() : kind;
    QCOMPARE(QString::fromStdString(data.at("type").get<std::string>()), expectedType);
    QVERIFY(data.at("desc").is_string());
    if (kind != QLatin1String("custom-note")) {
        QCOMPARE(QString::fromStdString(data.at("title").get<std::string>()), found->displayName);
    }

    // The icon is ":/icons/nodes/<kind>.svg" and the file exists in the source tree.
    QCOMPARE(found->icon, QStringLiteral(":/icons/nodes/%1.svg").arg(kind));
#ifdef FLOWBENCH_SOURCE_DIR
    const QString file
        = QStringLiteral(FLOWBENCH_SOURCE_DIR "/resources/icons/nodes/%1.svg").arg(kind);
    QVERIFY2(QFile::exists(file), qPrintable(file));
#endif

    // Functions work on the default data and on data of the wrong shape.
    found->handles(data);
    found->outputs(data);
    found->check(data);
    found->handles(Json());
    found->outputs(Json::array());
    found->check(Json(42));

    // Property keys are unique per level.
    QSet<QString> keys;
    for (const PropertySchema &p : found->properties) {
        QVERIFY2(!keys.contains(p.key), qPrintable(p.key));
        keys.insert(p.key);
        if (p.type == PropertyType::Enum)
            QVERIFY2(!p.options.isEmpty(), qPrintable(p.key));
    }
}

void TestRegistry::noDuplicateKinds()
{
    QSet<QString> seen;
    for (const NodeKindInfo &k : NodeRegistry::instance().kinds()) {
        QVERIFY2(!seen.contains(k.kind), qPrintable(k.kind));
        seen.insert(k.kind);
    }
    QCOMPARE(seen.size(), qsizetype(std::size(kAllKinds)));
}

void TestRegistry::wrapperTypes()
{
    QCOMPARE(info("llm").wrapperType, QStringLiteral("custom"));
    QCOMPARE(info("iteration-start").wrapperType, QStringLiteral("custom-iteration-start"));
    QCOMPARE(info("loop-start").wrapperType, QStringLiteral("custom-loop-start"));
    QCOMPARE(info("loop-end").wrapperType, QStringLiteral("custom-simple"));
    QCOMPARE(info("custom-note").wrapperType, QStringLiteral("custom-note"));
    QVERIFY(!info("variable-assigner").canBeAdded);
    QVERIFY(info("variable-aggregator").canBeAdded);
    QCOMPARE(info("variable-assigner").displayName, info("variable-aggregator").displayName);
    QVERIFY(!info("iteration-start").canBeAdded);
    QVERIFY(!info("loop-start").canBeAdded);
    QVERIFY(info("loop-end").canBeAdded);
    QVERIFY(info("llm").supportsRetry && info("llm").supportsErrorStrategy);
    QVERIFY(info("tool").dynamicOutputs && info("agent").dynamicOutputs);
    QVERIFY(!info("if-else").supportsRetry);
    QVERIFY(!info("agent").supportsRetry);
}

void TestRegistry::noteDefaults()
{
    const NodeKindInfo &note = info("custom-note");
    QCOMPARE(note.category, Category::Annotation);
    const Json data = note.defaultData();
    QVERIFY(data.at("type") == Json(""));
    QVERIFY(data.at("theme") == Json("blue"));
    QVERIFY(data.at("showAuthor") == Json(true));
    QVERIFY(data.at("width") == Json(240));
    QVERIFY(data.at("height") == Json(88));
    QVERIFY(note.outputs(data).empty());
    QVERIFY(note.handles(data).empty());
}

void TestRegistry::containers()
{
    QVERIFY(info("iteration").isContainer);
    QVERIFY(info("loop").isContainer);
    QVERIFY(info("iteration-start").isContainerStart);
    QVERIFY(info("loop-start").isContainerStart);
    const Json iteration = info("iteration").defaultData();
    QVERIFY(iteration.at("flatten_output") == Json(true));
    QVERIFY(iteration.at("parallel_nums") == Json(10));
    QVERIFY(iteration.at("error_handle_mode") == Json("terminated"));
    const Json loop = info("loop").defaultData();
    QVERIFY(loop.at("loop_count") == Json(10));
    QVERIFY(loop.at("logical_operator") == Json("and"));
}

void TestRegistry::ifElseHandles()
{
    const Json data = Json::parse(R"({
        "type": "if-else",
        "cases": [
            {"case_id": "true", "logical_operator": "and", "conditions": []},
            {"case_id": "5d3f0e1a-8c1b-4e0b-9a8e-0d6a2b1c9f11", "logical_operator": "or",
             "conditions": []}
        ]
    })");
    const auto handles = NodeRegistry::instance().handlesFor(QStringLiteral("if-else"), data);
    QCOMPARE(
        handleIds(handles),
        QStringList({QStringLiteral("true"), QStringLiteral("5d3f0e1a-8c1b-4e0b-9a8e-0d6a2b1c9f11"),
                     QStringLiteral("false")}));
    QCOMPARE(handleLabels(handles),
             QStringList({QStringLiteral("IF"), QStringLiteral("ELIF"), QStringLiteral("ELSE")}));

    // The default data has one case "true" plus ELSE.
    QCOMPARE(handleIds(info("if-else").handles(info("if-else").defaultData())),
             QStringList({QStringLiteral("true"), QStringLiteral("false")}));
}

void TestRegistry::ifElseLegacyHandles()
{
    const Json data
        = Json::parse(R"({"type": "if-else", "logical_operator": "and", "conditions": []})");
    QCOMPARE(handleIds(info("if-else").handles(data)),
             QStringList({QStringLiteral("true"), QStringLiteral("false")}));
}

void TestRegistry::failBranchAddsHandle()
{
    Json data = info("code").defaultData();
    QCOMPARE(handleIds(info("code").handles(data)), QStringList({QStringLiteral("source")}));
    data["error_strategy"] = "fail-branch";
    const auto handles = info("code").handles(data);
    QCOMPARE(handleIds(handles),
             QStringList({QStringLiteral("source"), QStringLiteral("fail-branch")}));
    QCOMPARE(handles.back().label, QStringLiteral("FAIL"));

    data["error_strategy"] = "default-value";
    QCOMPARE(handleIds(info("code").handles(data)), QStringList({QStringLiteral("source")}));

    Json branch = info("if-else").defaultData();
    branch["error_strategy"] = "fail-branch";
    QCOMPARE(handleIds(info("if-else").handles(branch)),
             QStringList(
                 {QStringLiteral("true"), QStringLiteral("false"), QStringLiteral("fail-branch")}));
}

void TestRegistry::classifierHandles()
{
    const Json data = Json::parse(R"({
        "type": "question-classifier",
        "classes": [{"id": "1", "name": "Billing"}, {"id": "2", "name": ""},
                    {"id": "1754000000000", "name": "Other"}]
    })");
    const auto handles = info("question-classifier").handles(data);
    QCOMPARE(handleIds(handles), QStringList({QStringLiteral("1"), QStringLiteral("2"),
                                              QStringLiteral("1754000000000")}));
    QCOMPARE(handleLabels(handles),
             QStringList(
                 {QStringLiteral("Billing"), QStringLiteral("CLASS 2"), QStringLiteral("Other")}));
}

void TestRegistry::endHasNoHandles()
{
    QVERIFY(info("end").handles(info("end").defaultData()).empty());
    QVERIFY(info("loop-end").handles(info("loop-end").defaultData()).empty());
    QCOMPARE(handleIds(info("loop-start").handles(Json::object())),
             QStringList({QStringLiteral("source")}));
}

void TestRegistry::unknownKind()
{
    const NodeRegistry &registry = NodeRegistry::instance();
    QVERIFY(!registry.find(QStringLiteral("some-plugin-node")));
    QVERIFY(!registry.find(QString()));
    const auto handles = registry.handlesFor(QStringLiteral("some-plugin-node"),
                                             Json::object({{"type", "some-plugin-node"}}));
    QCOMPARE(handleIds(handles), QStringList({QStringLiteral("source")}));
    QVERIFY(handles.front().label.isEmpty());
    QVERIFY(registry.outputsFor(QStringLiteral("some-plugin-node"), Json::object()).empty());
}

void TestRegistry::codeOutputs()
{
    const Json data = Json::parse(R"({
        "type": "code",
        "outputs": {"count": {"type": "number", "children": null},
                    "items": {"type": "array[object]", "children": null}}
    })");
    const auto outputs = info("code").outputs(data);
    QCOMPARE(outputNames(outputs), QStringList({QStringLiteral("count"), QStringLiteral("items")}));
    QCOMPARE(outputType(outputs, QStringLiteral("count")), QStringLiteral("number"));
    QCOMPARE(outputType(outputs, QStringLiteral("items")), QStringLiteral("array[object]"));

    const auto defaults = info("code").outputs(info("code").defaultData());
    QCOMPARE(outputNames(defaults), QStringList({QStringLiteral("result")}));
}

void TestRegistry::startOutputs()
{
    const Json data = Json::parse(R"({
        "type": "start",
        "variables": [
            {"variable": "query", "type": "text-input"},
            {"variable": "n", "type": "number"},
            {"variable": "ok", "type": "checkbox"},
            {"variable": "doc", "type": "file"},
            {"variable": "docs", "type": "file-list"},
            {"variable": "cfg", "type": "json_object"},
            {"variable": "pick", "type": "select"},
            {"label": "no name"}
        ]
    })");
    const auto outputs = info("start").outputs(data);
    QCOMPARE(outputNames(outputs),
             QStringList({QStringLiteral("query"), QStringLiteral("n"), QStringLiteral("ok"),
                          QStringLiteral("doc"), QStringLiteral("docs"), QStringLiteral("cfg"),
                          QStringLiteral("pick")}));
    QCOMPARE(outputType(outputs, QStringLiteral("query")), QStringLiteral("string"));
    QCOMPARE(outputType(outputs, QStringLiteral("n")), QStringLiteral("number"));
    QCOMPARE(outputType(outputs, QStringLiteral("ok")), QStringLiteral("boolean"));
    QCOMPARE(outputType(outputs, QStringLiteral("doc")), QStringLiteral("file"));
    QCOMPARE(outputType(outputs, QStringLiteral("docs")), QStringLiteral("array[file]"));
    QCOMPARE(outputType(outputs, QStringLiteral("cfg")), QStringLiteral("object"));
    QCOMPARE(outputType(outputs, QStringLiteral("pick")), QStringLiteral("string"));
}

void TestRegistry::llmOutputs()
{
    Json data = info("llm").defaultData();
    QCOMPARE(outputNames(info("llm").outputs(data)),
             QStringList({QStringLiteral("text"), QStringLiteral("reasoning_content"),
                          QStringLiteral("usage"), QStringLiteral("finish_reason")}));
    data["structured_output_enabled"] = true;
    QVERIFY(outputNames(info("llm").outputs(data)).contains(QStringLiteral("structured_output")));
}

void TestRegistry::errorOutputs()
{
    Json data = info("http-request").defaultData();
    QVERIFY(
        !outputNames(info("http-request").outputs(data)).contains(QStringLiteral("error_message")));
    data["error_strategy"] = "default-value";
    const QStringList names = outputNames(info("http-request").outputs(data));
    QVERIFY(names.contains(QStringLiteral("error_message")));
    QVERIFY(names.contains(QStringLiteral("error_type")));
    QVERIFY(names.contains(QStringLiteral("status_code")));
}

void TestRegistry::aggregatorOutputs()
{
    Json data = Json::parse(R"({"type": "variable-aggregator", "output_type": "string",
                                "variables": [["a", "text"], ["b", "text"]]})");
    auto outputs = info("variable-aggregator").outputs(data);
    QCOMPARE(outputNames(outputs), QStringList({QStringLiteral("output")}));
    QCOMPARE(outputs.front().type, QStringLiteral("string"));

    data["advanced_settings"] = Json::parse(R"({"group_enabled": true, "groups": [
        {"groupId": "g1", "group_name": "Group1", "output_type": "string", "variables": []},
        {"groupId": "g2", "group_name": "Group2", "output_type": "number", "variables": []}]})");
    outputs = info("variable-assigner").outputs(data);
    QCOMPARE(outputNames(outputs),
             QStringList({QStringLiteral("Group1"), QStringLiteral("Group2")}));
    QCOMPARE(outputs.front().type, QStringLiteral("object"));
}

void TestRegistry::iterationAndLoopOutputs()
{
    Json iteration = info("iteration").defaultData();
    auto outputs = info("iteration").outputs(iteration);
    QCOMPARE(outputType(outputs, QStringLiteral("output")), QStringLiteral("array[string]"));
    QCOMPARE(outputType(outputs, QStringLiteral("item")), QStringLiteral("any"));
    QCOMPARE(outputType(outputs, QStringLiteral("index")), QStringLiteral("number"));

    const Json loop = Json::parse(R"({"type": "loop", "loop_count": 3, "loop_variables": [
        {"id": "v1", "label": "counter", "var_type": "number", "value_type": "constant",
         "value": "0"}]})");
    outputs = info("loop").outputs(loop);
    QCOMPARE(outputType(outputs, QStringLiteral("loop_round")), QStringLiteral("number"));
    QCOMPARE(outputType(outputs, QStringLiteral("counter")), QStringLiteral("number"));

    QVERIFY(info("loop-start").outputs(Json::object()).empty());
    QVERIFY(info("iteration-start").outputs(Json::object()).empty());
    QVERIFY(info("loop-end").outputs(Json::object()).empty());
    QVERIFY(info("end").outputs(info("end").defaultData()).empty());
}

void TestRegistry::httpWithoutUrl()
{
    const NodeKindInfo &http = info("http-request");
    Json data = http.defaultData();
    auto problems = problemsAt(http.check(data), QStringLiteral("/url"));
    QCOMPARE(problems.size(), std::size_t(1));
    QVERIFY(problems.front().error);
    QCOMPARE(problems.front().message, QStringLiteral("URL is required"));

    data["url"] = "https://example.com/{{#start.q#}}";
    QVERIFY(http.check(data).empty());
}

void TestRegistry::llmWithoutModel()
{
    const NodeKindInfo &llm = info("llm");
    Json data = llm.defaultData();
    const auto problems = llm.check(data);
    QCOMPARE(problems.size(), std::size_t(1));
    QCOMPARE(problems.front().field, QStringLiteral("/model/name"));
    QVERIFY(!problems.front().error);

    data["model"]["name"] = "gpt-4o-mini";
    QVERIFY(llm.check(data).empty());
    data.erase("prompt_template");
    const auto missing = problemsAt(llm.check(data), QStringLiteral("/prompt_template"));
    QCOMPARE(missing.size(), std::size_t(1));
    QVERIFY(missing.front().error);
}

void TestRegistry::codeChecks()
{
    const NodeKindInfo &code = info("code");
    Json data = code.defaultData();
    QVERIFY(code.check(data).empty());
    data["code_language"] = "jinja2";
    QCOMPARE(problemsAt(code.check(data), QStringLiteral("/code_language")).size(), std::size_t(1));
    data["code_language"] = "javascript";
    data["code"] = "";
    const auto problems = code.check(data);
    QCOMPARE(problems.size(), std::size_t(1));
    QCOMPARE(problems.front().field, QStringLiteral("/code"));
    QVERIFY(problems.front().error);
}

void TestRegistry::loopCountRange()
{
    const NodeKindInfo &loop = info("loop");
    Json data = loop.defaultData();
    QVERIFY(loop.check(data).empty());
    for (const Json &bad : {Json(0), Json(101), Json("10"), Json()}) {
        data["loop_count"] = bad;
        QCOMPARE(problemsAt(loop.check(data), QStringLiteral("/loop_count")).size(),
                 std::size_t(1));
    }
}

void TestRegistry::endOutputNames()
{
    const Json data = Json::parse(R"({"type": "end", "outputs": [
        {"variable": "ok", "value_selector": ["a", "b"]},
        {"variable": "", "value_selector": ["a", "c"]}]})");
    const auto problems = info("end").check(data);
    QCOMPARE(problems.size(), std::size_t(1));
    QCOMPARE(problems.front().field, QStringLiteral("/outputs/1/variable"));
    QVERIFY(problems.front().error);
}

void TestRegistry::oddDataNeverThrows_data()
{
    QTest::addColumn<QString>("json");
    QTest::newRow("null") << QStringLiteral("null");
    QTest::newRow("array") << QStringLiteral("[1, 2, 3]");
    QTest::newRow("string") << QStringLiteral("\"x\"");
    QTest::newRow("wrong field types") << QStringLiteral(
        R"({"cases": 5, "classes": {"a": 1}, "variables": "x", "outputs": [1], "model": 3,
            "prompt_template": "x", "loop_count": "many", "parameters": [null, 3],
            "loop_variables": [1], "advanced_settings": {"group_enabled": true, "groups": 1},
            "error_strategy": 7, "url": 9, "code": [], "dataset_ids": {},
            "structured_output_enabled": "yes"})");
    QTest::newRow("wrong item types") << QStringLiteral(
        R"({"cases": [1, null, {"case_id": 7}], "classes": [1, {"id": 2}],
            "variables": [null, {"variable": 1, "type": []}], "outputs": {"a": 1, "b": null},
            "loop_variables": [{"label": ["x"]}], "parameters": [{"name": 1}],
            "error_strategy": "fail-branch"})");
}

void TestRegistry::oddDataNeverThrows()
{
    QFETCH(QString, json);
    const Json data = Json::parse(json.toStdString());
    for (const NodeKindInfo &k : NodeRegistry::instance().kinds()) {
        k.handles(data);
        k.outputs(data);
        k.check(data);
    }
}

QTEST_GUILESS_MAIN(TestRegistry)

#include "tst_registry.moc"

// InspectorPanel, PropertyForm and WorkflowSettingsDialog against a real WorkflowDocument and a
// sink that applies each edit and keeps its inverse (so a test can undo, as the app's QUndoStack
// does).

#include "codeeditor.h"
#include "inspectorpanel.h"
#include "propertyform.h"
#include "workflowsettingsdialog.h"

#include "document/dslio.h"
#include "document/validator.h"
#include "nodes/registry.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTableWidget>
#include <QTabWidget>
#include <QToolButton>
#include <QtTest>

using namespace flowbench;
using namespace flowbench::panels;
using document::Json;

namespace {

class RecordingSink : public document::EditSink
{
public:
    explicit RecordingSink(document::WorkflowDocument *document)
        : m_document(document)
    {}

    void applyEdit(document::Edit edit) override
    {
        names.append(edit.name);
        bool ok = false;
        document::Edit inverse = m_document->apply(edit, &ok);
        if (ok)
            undo.push_back(std::move(inverse));
        else
            ++failed;
    }

    void undoLast()
    {
        document::Edit inverse = undo.back();
        undo.pop_back();
        m_document->apply(inverse);
    }

    QStringList names;
    std::vector<document::Edit> undo;
    int failed = 0;

private:
    document::WorkflowDocument *m_document;
};

document::Workflow loadFile(const QString &path)
{
    auto loaded = document::loadWorkflowFile(path);
    if (!loaded) {
        qWarning("%s", qPrintable(loaded.error().toString()));
        return {};
    }
    return loaded->workflow;
}

document::Workflow fixture(const char *name)
{
    return loadFile(QStringLiteral(FLOWBENCH_FIXTURES_DIR "/") + QLatin1String(name));
}

document::Workflow example(const char *name)
{
    return loadFile(QStringLiteral(FLOWBENCH_SOURCE_DIR "/resources/examples/")
                    + QLatin1String(name));
}

Json dataAt(const document::WorkflowDocument &doc, const QString &nodeId, const char *pointer)
{
    const document::Node *node = doc.workflow().node(nodeId);
    if (!node)
        return {};
    const Json::json_pointer ptr(pointer);
    return node->data.contains(ptr) ? node->data.at(ptr) : Json();
}

// Adds a node of `kind` with the registry's default data after `after` (connected).
void addNode(document::WorkflowDocument &doc, const QString &kind, const QString &id,
             const QString &after, QPointF pos = QPointF(400, 400))
{
    const nodes::NodeKindInfo *info = nodes::NodeRegistry::instance().find(kind);
    document::Node node;
    node.id = id;
    node.data = info->defaultData();
    node.wrapper = Json::object({{"type", info->wrapperType.toStdString()}});
    node.setPosition(pos);
    doc.apply(document::AddNodeEdit{node});
    if (!after.isEmpty() && kind != QLatin1String("custom-note")) {
        document::Edge edge;
        edge.source = after;
        edge.target = id;
        edge.id = document::makeEdgeId(after, edge.sourceHandle, id);
        doc.apply(document::AddEdgeEdit{edge});
    }
}

template<typename T>
T *editor(InspectorPanel &panel, const char *pointer)
{
    if (!panel.form())
        return nullptr;
    return qobject_cast<T *>(panel.form()->editorFor(QLatin1String(pointer)));
}

void setEditorText(QWidget *w, const QString &text)
{
    QMetaObject::invokeMethod(w, "setText", Q_ARG(QString, text));
}

} // namespace

class TstInspector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsLlmModelAndPrompt();
    void titleEditIsUndoable();
    void templateCommitsOnceOnFocusOut();
    void ifElseOperatorListFollowsType();
    void addStartVariableOfTypeSelect();
    void invalidValuesAreMarkedAndNotSent();
    void followsOutsideEditsAndRemoval();
    void everyKindShows();
    void settingsStoresMaskedSecret();
    void settingsRejectsInvalidFeatures();
    void screenshots();
};

void TstInspector::showsLlmModelAndPrompt()
{
    document::WorkflowDocument doc;
    doc.reset(example("support_chatflow.yml"));
    RecordingSink sink(&doc);
    InspectorPanel panel(&doc, &sink);
    QCOMPARE(panel.objectName(), QStringLiteral("panel.inspector"));
    QVERIFY(!panel.form()); // summary first

    panel.showNode(QStringLiteral("billing_llm"));
    QVERIFY(panel.form());
    QCOMPARE(panel.titleEdit()->text(), QStringLiteral("Billing assistant"));
    auto *model = editor<QLineEdit>(panel, "/model/name");
    QVERIFY(model);
    QCOMPARE(model->text(), QStringLiteral("flowbench-sim"));
    auto *prompt = editor<CodeEditor>(panel, "/prompt_template/0/text");
    QVERIFY(prompt);
    QVERIFY(prompt->text().contains(QLatin1String("billing assistant")));
    QCOMPARE(prompt->language(), CodeEditor::Language::Template);
    // Memory is shown in a chatflow, with its window size.
    auto *size = editor<QLineEdit>(panel, "/memory/window/size");
    QVERIFY(size);
    QCOMPARE(size->text(), QStringLiteral("10"));
    // Retry and error strategy for the LLM kind.
    QVERIFY(editor<QComboBox>(panel, "/error_strategy"));
    QVERIFY(editor<QCheckBox>(panel, "/retry_config/retry_enabled"));
    QCOMPARE(sink.names.size(), 0); // showing changes nothing
}

void TstInspector::titleEditIsUndoable()
{
    document::WorkflowDocument doc;
    doc.reset(example("support_chatflow.yml"));
    RecordingSink sink(&doc);
    InspectorPanel panel(&doc, &sink);
    panel.showNode(QStringLiteral("billing_llm"));

    panel.titleEdit()->setText(QStringLiteral("Invoices"));
    QTest::keyClick(panel.titleEdit(), Qt::Key_Return);
    QCOMPARE(doc.workflow().node(QStringLiteral("billing_llm"))->title(),
             QStringLiteral("Invoices"));
    QCOMPARE(sink.undo.size(), std::size_t(1));
    QCOMPARE(sink.names.last(), QStringLiteral("Rename node"));

    sink.undoLast();
    QCOMPARE(doc.workflow().node(QStringLiteral("billing_llm"))->title(),
             QStringLiteral("Billing assistant"));
    QCOMPARE(panel.titleEdit()->text(), QStringLiteral("Billing assistant"));
}

void TstInspector::templateCommitsOnceOnFocusOut()
{
    document::WorkflowDocument doc;
    doc.reset(example("support_chatflow.yml"));
    RecordingSink sink(&doc);
    InspectorPanel panel(&doc, &sink);
    panel.resize(420, 800);
    panel.show();
    QVERIFY(QTest::qWaitForWindowActive(&panel));
    panel.showNode(QStringLiteral("billing_llm"));

    auto *prompt = editor<CodeEditor>(panel, "/prompt_template/0/text");
    QVERIFY(prompt);
    prompt->setFocus();
    QVERIFY(prompt->hasFocus());
    prompt->SendScintilla(QsciScintilla::SCI_DOCUMENTEND);
    QTest::keyClicks(prompt, QStringLiteral(" Be brief."));
    QCOMPARE(sink.names.size(), 0); // not per keystroke
    panel.titleEdit()->setFocus();
    QCOMPARE(sink.undo.size(), std::size_t(1));
    QCOMPARE(sink.names.last(), QStringLiteral("Change LLM Prompt"));
    const QString text = QString::fromStdString(
        dataAt(doc, QStringLiteral("billing_llm"), "/prompt_template/0/text").get<std::string>());
    QVERIFY2(text.endsWith(QLatin1String(" Be brief.")), qPrintable(text));
    // The rebuilt form shows the new text; leaving again sends nothing more.
    auto *rebuilt = editor<CodeEditor>(panel, "/prompt_template/0/text");
    QVERIFY(rebuilt);
    QCOMPARE(rebuilt->text(), text);
    rebuilt->setFocus();
    panel.titleEdit()->setFocus();
    QCOMPARE(sink.undo.size(), std::size_t(1));

    // Tab from a changed field to the next: the edit rebuilds the form, and the focus stays on
    // the field it moved to.
    auto *model = editor<QLineEdit>(panel, "/model/name");
    model->setFocus();
    model->selectAll();
    QTest::keyClicks(model, QStringLiteral("qwen3"));
    QTest::keyClick(model, Qt::Key_Tab);
    QCOMPARE(dataAt(doc, QStringLiteral("billing_llm"), "/model/name"), Json("qwen3"));
    QWidget *focus = QApplication::focusWidget();
    QVERIFY(focus && panel.form()->isAncestorOf(focus));
    QCOMPARE(focus->property("fbPointer").toString(), QStringLiteral("/model/mode"));

    // The scroll position survives a rebuild.
    panel.resize(420, 300);
    QApplication::processEvents();
    auto *scroll = panel.findChild<QScrollArea *>(QStringLiteral("inspector.scroll"));
    QVERIFY(scroll->verticalScrollBar()->maximum() > 200);
    scroll->verticalScrollBar()->setValue(200);
    document::SetNodeDataEdit outside;
    outside.nodeId = QStringLiteral("billing_llm");
    outside.pointer = QStringLiteral("/model/name");
    outside.value = "other";
    doc.apply(outside);
    QApplication::processEvents();
    QCOMPARE(scroll->verticalScrollBar()->value(), 200);
}

void TstInspector::ifElseOperatorListFollowsType()
{
    document::WorkflowDocument doc;
    doc.reset(fixture("conditional_hello_branching_workflow.yml"));
    RecordingSink sink(&doc);
    InspectorPanel panel(&doc, &sink);
    const QString ifElse = QStringLiteral("1754217359748");
    panel.showNode(ifElse);

    auto *op = editor<QComboBox>(panel, "/cases/0/conditions/0/comparison_operator");
    QVERIFY(op);
    QCOMPARE(op->currentText(), QStringLiteral("contains"));
    QStringList offered;
    for (int i = 0; i < op->count(); ++i)
        offered.append(op->itemText(i));
    // A string variable offers the string operators only (dify.md §6).
    QStringList expected;
    for (const char *o : {"contains", "not contains", "start with", "end with", "is", "is not",
                          "empty", "not empty"})
        expected.append(QLatin1String(o));
    QCOMPARE(offered, expected);
    op->setCurrentIndex(int(offered.indexOf(QStringLiteral("start with"))));
    QCOMPARE(dataAt(doc, ifElse, "/cases/0/conditions/0/comparison_operator"), Json("start with"));
    QCOMPARE(sink.undo.size(), std::size_t(1));
    QCOMPARE(editor<QComboBox>(panel, "/cases/0/conditions/0/comparison_operator")->currentText(),
             QStringLiteral("start with"));

    // Picking a number variable switches the type and an operator that fits it, in one edit.
    addNode(doc, QStringLiteral("code"), QStringLiteral("calc"), QStringLiteral("1754154032319"));
    document::SetNodeDataEdit outputs;
    outputs.nodeId = QStringLiteral("calc");
    outputs.pointer = QStringLiteral("/outputs");
    outputs.value = Json::parse(R"({"n": {"type": "number", "children": null}})");
    doc.apply(outputs);
    document::Edge edge;
    edge.source = QStringLiteral("calc");
    edge.target = ifElse;
    edge.id = document::makeEdgeId(edge.source, edge.sourceHandle, edge.target);
    doc.apply(document::AddEdgeEdit{edge});
    PropertyForm::setPickFunction([](QWidget *, const QList<VariableRef> &variables,
                                     const QStringList &) -> std::optional<QStringList> {
        for (const VariableRef &v : variables) {
            if (v.selector == QStringList{QStringLiteral("calc"), QStringLiteral("n")})
                return v.selector;
        }
        return std::nullopt;
    });
    const std::size_t before = sink.undo.size();
    auto *selector
        = panel.form()->editorFor(QStringLiteral("/cases/0/conditions/0/variable_selector"));
    QVERIFY(selector);
    selector->findChild<QToolButton *>(QStringLiteral("pick"))->click();
    PropertyForm::setPickFunction({});
    QCOMPARE(sink.undo.size(), before + 1);
    QCOMPARE(dataAt(doc, ifElse, "/cases/0/conditions/0/variable_selector"),
             Json::parse(R"(["calc", "n"])"));
    QCOMPARE(dataAt(doc, ifElse, "/cases/0/conditions/0/varType"), Json("number"));
    QCOMPARE(dataAt(doc, ifElse, "/cases/0/conditions/0/comparison_operator"), Json("="));
    op = editor<QComboBox>(panel, "/cases/0/conditions/0/comparison_operator");
    QCOMPARE(op->itemText(0), QStringLiteral("="));
    QVERIFY(op->findText(QStringLiteral("start with")) < 0);

    // "empty" takes no value: the value field is disabled.
    op = editor<QComboBox>(panel, "/cases/0/conditions/0/comparison_operator");
    op->setCurrentIndex(op->findText(QStringLiteral("empty")));
    QVERIFY(!editor<QLineEdit>(panel, "/cases/0/conditions/0/value")->isEnabled());

    // ELIF adds a case with its own id (a new handle on the canvas).
    qobject_cast<QPushButton *>(panel.form()->editorFor(QStringLiteral("+/cases")))->click();
    const Json cases = dataAt(doc, ifElse, "/cases");
    QCOMPARE(cases.size(), std::size_t(2));
    QVERIFY(cases[1]["case_id"].is_string() && cases[1]["case_id"] != "true");
    QCOMPARE(nodes::NodeRegistry::instance()
                 .handlesFor(QStringLiteral("if-else"), doc.workflow().node(ifElse)->data)
                 .size(),
             std::size_t(3));
}

void TstInspector::addStartVariableOfTypeSelect()
{
    document::WorkflowDocument doc;
    doc.reset(fixture("conditional_hello_branching_workflow.yml"));
    RecordingSink sink(&doc);
    InspectorPanel panel(&doc, &sink);
    panel.resize(420, 800);
    panel.show();
    QVERIFY(QTest::qWaitForWindowActive(&panel));
    const QString start = QStringLiteral("1754154032319");
    panel.showNode(start);

    auto *add = qobject_cast<QPushButton *>(panel.form()->editorFor(QStringLiteral("+/variables")));
    QVERIFY(add);
    add->click();
    QCOMPARE(dataAt(doc, start, "/variables").size(), std::size_t(2));
    QCOMPARE(dataAt(doc, start, "/variables/1/variable"), Json("input_2"));
    QCOMPARE(dataAt(doc, start, "/variables/1/type"), Json("text-input"));
    QVERIFY(!panel.form()->editorFor(QStringLiteral("/variables/1/options"))); // not for text

    auto *type = editor<QComboBox>(panel, "/variables/1/type");
    QVERIFY(type);
    QStringList types;
    for (int i = 0; i < type->count(); ++i)
        types.append(type->itemData(i).toString());
    for (const char *t : {"text-input", "paragraph", "select", "number", "checkbox", "file",
                          "file-list", "json_object"})
        QVERIFY2(types.contains(QLatin1String(t)), t);
    type->setCurrentIndex(int(types.indexOf(QStringLiteral("select"))));
    QCOMPARE(dataAt(doc, start, "/variables/1/type"), Json("select"));

    auto *options = editor<CodeEditor>(panel, "/variables/1/options");
    QVERIFY(options);
    options->setFocus();
    QTest::keyClicks(options, QStringLiteral("red"));
    QTest::keyClick(options, Qt::Key_Return);
    QTest::keyClicks(options, QStringLiteral("green"));
    panel.titleEdit()->setFocus();
    QCOMPARE(dataAt(doc, start, "/variables/1/options"), Json::parse(R"(["red", "green"])"));
    QCOMPARE(sink.undo.size(), std::size_t(3));
    // The variable is an output of the start node downstream nodes can pick.
    const auto outputs = nodes::NodeRegistry::instance().outputsFor(
        QStringLiteral("start"), doc.workflow().node(start)->data);
    QCOMPARE(outputs.size(), std::size_t(2));
    QCOMPARE(outputs[1].name, QStringLiteral("input_2"));
    // Undo all three: back to the fixture.
    while (!sink.undo.empty())
        sink.undoLast();
    QCOMPARE(dataAt(doc, start, "/variables").size(), std::size_t(1));
}

void TstInspector::invalidValuesAreMarkedAndNotSent()
{
    document::WorkflowDocument doc;
    doc.reset(fixture("conditional_hello_branching_workflow.yml"));
    RecordingSink sink(&doc);
    InspectorPanel panel(&doc, &sink);
    panel.resize(420, 800);
    panel.show();
    QVERIFY(QTest::qWaitForWindowActive(&panel));
    const QString start = QStringLiteral("1754154032319");
    const document::Workflow before = doc.workflow();

    // A required name emptied: marked, tooltip says why, nothing sent.
    panel.showNode(start);
    auto *name = editor<QLineEdit>(panel, "/variables/0/variable");
    QVERIFY(name);
    QVERIFY(!PropertyForm::isInvalid(name));
    name->clear();
    QTest::keyClick(name, Qt::Key_Return);
    QVERIFY(PropertyForm::isInvalid(name));
    QVERIFY(name->toolTip().contains(QLatin1String("required")));
    QCOMPARE(sink.names.size(), 0);
    QVERIFY(doc.workflow() == before);

    // A number out of range.
    addNode(doc, QStringLiteral("loop"), QStringLiteral("loop1"), start);
    panel.showNode(QStringLiteral("loop1"));
    auto *count = editor<QLineEdit>(panel, "/loop_count");
    QVERIFY(count);
    count->setText(QStringLiteral("500"));
    QTest::keyClick(count, Qt::Key_Return);
    QVERIFY(PropertyForm::isInvalid(count));
    QVERIFY(count->toolTip().contains(QLatin1String("100")));
    QCOMPARE(dataAt(doc, QStringLiteral("loop1"), "/loop_count"), Json(10));
    count->setText(QStringLiteral("12"));
    QTest::keyClick(count, Qt::Key_Return);
    QCOMPARE(dataAt(doc, QStringLiteral("loop1"), "/loop_count"), Json(12));
    QVERIFY(!PropertyForm::isInvalid(editor<QLineEdit>(panel, "/loop_count")));

    // JSON that does not parse.
    addNode(doc, QStringLiteral("llm"), QStringLiteral("llm1"), start);
    panel.showNode(QStringLiteral("llm1"));
    auto *params = editor<CodeEditor>(panel, "/model/completion_params");
    QVERIFY(params);
    const std::size_t sent = sink.undo.size();
    params->setFocus();
    QTest::keyClicks(params, QStringLiteral("{ oops"));
    panel.titleEdit()->setFocus();
    QVERIFY(PropertyForm::isInvalid(params));
    QVERIFY(params->problem().contains(QLatin1String("JSON")));
    QCOMPARE(sink.undo.size(), sent);
    QCOMPARE(dataAt(doc, QStringLiteral("llm1"), "/model/completion_params/temperature"),
             Json(0.7));

    // The validator's problems are shown on their field: an HTTP node without a URL, and a
    // selector to a variable that is not upstream.
    addNode(doc, QStringLiteral("http-request"), QStringLiteral("http1"), start);
    panel.showNode(QStringLiteral("http1"));
    auto *url = editor<CodeEditor>(panel, "/url");
    QVERIFY(url);
    QVERIFY(PropertyForm::isInvalid(url));
    QVERIFY(!url->problem().isEmpty());
    document::SetNodeDataEdit selector;
    selector.nodeId = QStringLiteral("loop1");
    selector.pointer = QStringLiteral("/loop_variables");
    selector.value = Json::parse(
        R"([{"id": "a", "label": "x", "var_type": "string", "value_type": "variable",
             "value": ["http1", "body"]}])");
    doc.apply(selector);
    panel.showNode(QStringLiteral("loop1"));
    QWidget *chip = panel.form()->editorFor(QStringLiteral("/loop_variables/0/value"));
    QVERIFY(chip);
    QVERIFY(PropertyForm::isInvalid(chip));
    QVERIFY(!chip->toolTip().isEmpty());
    QCOMPARE(sink.failed, 0);
}

void TstInspector::followsOutsideEditsAndRemoval()
{
    document::WorkflowDocument doc;
    doc.reset(example("support_chatflow.yml"));
    RecordingSink sink(&doc);
    InspectorPanel panel(&doc, &sink);
    panel.showNode(QStringLiteral("billing_llm"));
    QSignalSpy rebuilt(&panel, &InspectorPanel::formRebuilt);

    document::SetNodeDataEdit edit;
    edit.nodeId = QStringLiteral("billing_llm");
    edit.pointer = QStringLiteral("/model/name");
    edit.value = "qwen3-8b";
    doc.apply(edit); // e.g. undo, or another view
    QCOMPARE(rebuilt.count(), 1);
    QCOMPARE(editor<QLineEdit>(panel, "/model/name")->text(), QStringLiteral("qwen3-8b"));

    // A change to another node's data does not rebuild this one.
    edit.nodeId = QStringLiteral("tech_llm");
    doc.apply(edit);
    QCOMPARE(rebuilt.count(), 1);

    // A batch rebuilds once.
    document::BatchEdit batch;
    edit.nodeId = QStringLiteral("billing_llm");
    edit.value = "a";
    batch.edits.emplace_back(edit);
    edit.value = "b";
    batch.edits.emplace_back(edit);
    doc.apply(batch);
    QCOMPARE(rebuilt.count(), 2);
    QCOMPARE(editor<QLineEdit>(panel, "/model/name")->text(), QStringLiteral("b"));

    doc.apply(document::makeRemoveNodesEdit(doc.workflow(), {QStringLiteral("billing_llm")}));
    QVERIFY(panel.nodeId().isEmpty());
    QVERIFY(!panel.form());
    auto *summary = panel.findChild<QLabel *>(QStringLiteral("inspector.summaryText"));
    QVERIFY(summary && summary->text().contains(QLatin1String("Support chatflow")));
}

void TstInspector::everyKindShows()
{
    for (const nodes::NodeKindInfo &info : nodes::NodeRegistry::instance().kinds()) {
        document::WorkflowDocument doc;
        doc.reset(fixture("conditional_hello_branching_workflow.yml"));
        RecordingSink sink(&doc);
        InspectorPanel panel(&doc, &sink);
        const QString id = QStringLiteral("n_") + info.kind;
        addNode(doc, info.kind, id, QStringLiteral("1754154032319"));
        panel.showNode(id);
        QVERIFY2(panel.form(), qPrintable(info.kind));
        QCOMPARE(panel.nodeId(), id);
        if (!info.properties.empty())
            QVERIFY2(panel.form()->editorCount() >= 1, qPrintable(info.kind));
        if (info.kind != QLatin1String("custom-note"))
            QCOMPARE(panel.titleEdit()->text(), info.displayName);
        QCOMPARE(sink.names.size(), 0);
    }
    // A kind Flowbench does not know shows its data read-only.
    document::WorkflowDocument doc;
    doc.reset(fixture("conditional_hello_branching_workflow.yml"));
    RecordingSink sink(&doc);
    InspectorPanel panel(&doc, &sink);
    document::Node node;
    node.id = QStringLiteral("plugin");
    node.data = Json::parse(R"({"type": "some-plugin", "title": "Plugin", "x": 1})");
    doc.apply(document::AddNodeEdit{node});
    panel.showNode(node.id);
    QVERIFY(panel.form());
    QVERIFY(panel.form()->editorCount() >= 1);
}

void TstInspector::settingsStoresMaskedSecret()
{
    document::WorkflowDocument doc;
    doc.reset(example("support_chatflow.yml"));
    RecordingSink sink(&doc);
    WorkflowSettingsDialog dialog(&doc, &sink);
    QCOMPARE(dialog.findChild<QLineEdit *>(QStringLiteral("settings.name"))->text(),
             QStringLiteral("Support chatflow"));
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("settings.mode"))
                ->text()
                .contains(QLatin1String("advanced-chat")));

    QTableWidget *env = dialog.environmentTable();
    dialog.findChild<QPushButton *>(QStringLiteral("settings.env.add"))->click();
    QCOMPARE(env->rowCount(), 1);
    env->item(0, WorkflowSettingsDialog::EnvName)->setText(QStringLiteral("API_KEY"));
    auto *type = qobject_cast<QComboBox *>(env->cellWidget(0, WorkflowSettingsDialog::EnvType));
    auto *value = qobject_cast<QLineEdit *>(env->cellWidget(0, WorkflowSettingsDialog::EnvValue));
    auto *reveal
        = qobject_cast<QToolButton *>(env->cellWidget(0, WorkflowSettingsDialog::EnvReveal));
    QVERIFY(type && value && reveal);
    QCOMPARE(value->echoMode(), QLineEdit::Normal);
    type->setCurrentText(QStringLiteral("secret"));
    value->setText(QStringLiteral("s3cret"));
    QCOMPARE(value->echoMode(), QLineEdit::Password); // masked
    reveal->click();
    QCOMPARE(value->echoMode(), QLineEdit::Normal);
    reveal->click();
    QCOMPARE(value->echoMode(), QLineEdit::Password);

    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(sink.undo.size(), std::size_t(1));
    QCOMPARE(sink.names.last(), QStringLiteral("Change workflow settings"));
    const auto &vars = doc.workflow().environmentVariables;
    QCOMPARE(vars.size(), std::size_t(1));
    QCOMPARE(vars[0].name, QStringLiteral("API_KEY"));
    QVERIFY(vars[0].isSecret());
    QCOMPARE(vars[0].value(), Json("s3cret"));
    QCOMPARE(vars[0].raw["selector"], Json::parse(R"(["env", "API_KEY"])"));

    // Reopened, the secret is still masked.
    WorkflowSettingsDialog again(&doc, &sink);
    auto *masked = qobject_cast<QLineEdit *>(
        again.environmentTable()->cellWidget(0, WorkflowSettingsDialog::EnvValue));
    QCOMPARE(masked->echoMode(), QLineEdit::Password);
    QCOMPARE(masked->text(), QStringLiteral("s3cret"));

    sink.undoLast();
    QVERIFY(doc.workflow().environmentVariables.empty());
}

void TstInspector::settingsRejectsInvalidFeatures()
{
    document::WorkflowDocument doc;
    doc.reset(fixture("basic_chatflow.yml"));
    RecordingSink sink(&doc);
    const document::Workflow before = doc.workflow();
    {
        WorkflowSettingsDialog dialog(&doc, &sink);
        setEditorText(dialog.findChild<QWidget *>(QStringLiteral("settings.features")),
                      QStringLiteral("{ not json"));
        dialog.accept();
        QVERIFY(dialog.result() != int(QDialog::Accepted));
        QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("settings.error"))->isVisibleTo(&dialog));
        QCOMPARE(sink.names.size(), 0);
        QVERIFY(doc.workflow() == before);
    }
    {
        WorkflowSettingsDialog dialog(&doc, &sink);
        dialog.findChild<QPlainTextEdit *>(QStringLiteral("settings.opening"))
            ->setPlainText(QStringLiteral("Hi! Ask me anything."));
        dialog.findChild<QPlainTextEdit *>(QStringLiteral("settings.questions"))
            ->setPlainText(QStringLiteral("What can you do?\nWho are you?"));
        dialog.addConversationRow(QStringLiteral("turns"), QStringLiteral("number"),
                                  QStringLiteral("0"), QStringLiteral("Turns so far"));
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        const Json &features = doc.workflow().features();
        QCOMPARE(features["opening_statement"], Json("Hi! Ask me anything."));
        QCOMPARE(features["suggested_questions"].size(), std::size_t(2));
        QCOMPARE(features["retriever_resource"]["enabled"], Json(true)); // kept
        QCOMPARE(doc.workflow().conversationVariables.size(), std::size_t(1));
        QCOMPARE(doc.workflow().conversationVariables[0].value(), Json(0));
        sink.undoLast();
        QVERIFY(doc.workflow() == before);
    }
}

void TstInspector::screenshots()
{
    const auto grab = [](QWidget *w, const QString &name) {
        w->show();
        QApplication::processEvents();
        const QString path = QStringLiteral("/tmp/p1a-%1.png").arg(name);
        QVERIFY(w->grab().save(path));
    };
    {
        document::WorkflowDocument doc;
        doc.reset(example("support_chatflow.yml"));
        RecordingSink sink(&doc);
        InspectorPanel panel(&doc, &sink);
        panel.resize(400, 1000);
        panel.showNode(QStringLiteral("billing_llm"));
        grab(&panel, QStringLiteral("llm"));
        panel.showNode(QString());
        grab(&panel, QStringLiteral("summary"));
        WorkflowSettingsDialog dialog(&doc, &sink);
        dialog.addEnvironmentRow(QStringLiteral("API_KEY"), QStringLiteral("secret"),
                                 QStringLiteral("sk-12345"));
        dialog.addEnvironmentRow(QStringLiteral("BASE_URL"), QStringLiteral("string"),
                                 QStringLiteral("https://api.example.com"));
        dialog.tabs()->setCurrentIndex(1);
        grab(&dialog, QStringLiteral("settings-env"));
        dialog.tabs()->setCurrentIndex(3);
        grab(&dialog, QStringLiteral("settings-features"));
        dialog.tabs()->setCurrentIndex(0);
        grab(&dialog, QStringLiteral("settings"));
    }
    {
        document::WorkflowDocument doc;
        doc.reset(fixture("conditional_hello_branching_workflow.yml"));
        RecordingSink sink(&doc);
        InspectorPanel panel(&doc, &sink);
        panel.resize(400, 800);
        document::SetNodeDataEdit cond;
        cond.nodeId = QStringLiteral("1754217359748");
        cond.pointer = QStringLiteral("/cases/0/conditions/1");
        cond.value = Json::parse(R"({"id": "c2", "varType": "string", "comparison_operator":
            "not empty", "variable_selector": ["sys", "user_id"], "value": ""})");
        doc.apply(cond);
        cond.pointer = QStringLiteral("/cases/1");
        cond.value = Json::parse(R"({"id": "k2", "case_id": "k2", "logical_operator": "or",
            "conditions": [{"id": "c3", "varType": "string", "comparison_operator": "is",
            "variable_selector": ["1754154032319", "query"], "value": "bye"}]})");
        doc.apply(cond);
        panel.showNode(QStringLiteral("1754217359748"));
        grab(&panel, QStringLiteral("ifelse"));
        const QString start = QStringLiteral("1754154032319");
        document::SetNodeDataEdit vars;
        vars.nodeId = start;
        vars.pointer = QStringLiteral("/variables/1");
        vars.value = Json::parse(R"({"variable": "tone", "label": "Tone", "type": "select",
            "required": false, "options": ["friendly", "formal"]})");
        doc.apply(vars);
        panel.showNode(start);
        grab(&panel, QStringLiteral("start"));
        addNode(doc, QStringLiteral("code"), QStringLiteral("code1"), start);
        document::SetNodeDataEdit inputs;
        inputs.nodeId = QStringLiteral("code1");
        inputs.pointer = QStringLiteral("/variables");
        inputs.value = Json::parse(R"([{"variable": "query", "value_selector":
            ["1754154032319", "query"]}])");
        doc.apply(inputs);
        panel.showNode(QStringLiteral("code1"));
        grab(&panel, QStringLiteral("code"));
        addNode(doc, QStringLiteral("http-request"), QStringLiteral("http1"), start);
        document::SetNodeDataEdit http;
        http.nodeId = QStringLiteral("http1");
        http.pointer = QStringLiteral("/body");
        http.value = Json::parse(R"({"type": "json", "data": [{"key": "", "type": "text",
            "value": "{\"q\": \"{{#1754154032319.query#}}\"}"}]})");
        doc.apply(http);
        http.pointer = QStringLiteral("/authorization");
        http.value = Json::parse(R"({"type": "api-key", "config": {"type": "bearer",
            "api_key": "{{#env.API_KEY#}}"}})");
        doc.apply(http);
        http.pointer = QStringLiteral("/url");
        http.value = "https://api.example.com/search";
        doc.apply(http);
        panel.showNode(QStringLiteral("http1"));
        grab(&panel, QStringLiteral("http"));
    }
}

QTEST_MAIN(TstInspector)
#include "tst_inspector.moc"

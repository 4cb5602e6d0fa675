// The Variables panel against a scripted fake debugger (Kate-style) and against a real
// GraphEngine run of resources/examples/hello_branching.yml paused at a breakpoint.

#include <QBuffer>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

#include "document/dslio.h"
#include "runtime/debugger.h"
#include "runtime/graphengine.h"
#include "variables/value.h"
#include "variablespanel.h"

using namespace flowbench;
using runtime::Json;
using runtime::RunEvent;
using runtime::RunStatus;
using Type = RunEvent::Type;
using Panel = panels::VariablesPanel;

namespace {

QStringList sl(std::initializer_list<const char *> items)
{
    QStringList list;
    for (const char *item : items)
        list << QString::fromUtf8(item);
    return list;
}

// Scripted run state and pool; setVariable refuses type changes as GraphEngine does and records
// what it was asked.
class FakeDebugger : public runtime::Debugger
{
    Q_OBJECT

public:
    using runtime::Debugger::Debugger;

    bool can(Capability capability) const override
    {
        switch (capability) {
        case Capability::EditVariables:
        case Capability::Continue:
        case Capability::Step:
            return m_status == RunStatus::Paused;
        default:
            return true;
        }
    }
    RunStatus status() const override { return m_status; }
    QString runId() const override { return m_runId; }
    QString pausedAtNode() const override { return m_pausedAt; }
    Json poolSnapshot() const override { return m_pool; }
    void pause() override {}
    void resume() override
    {
        m_status = RunStatus::Running;
        Q_EMIT runEvent(makeEvent(Type::RunResumed));
        Q_EMIT stateChanged();
    }
    void step() override {}
    void stop() override {}
    void runTo(const QString &) override {}
    Result<void> setVariable(const variables::Selector &selector, const Json &value) override
    {
        edits.append({selector, value});
        Json &old = m_pool[selector.at(0)][selector.at(1)];
        if (!old.is_null() && variables::userType(old) != variables::userType(value))
            return makeError(QStringLiteral("run.type"),
                             QStringLiteral("%1 holds %2; the new value is %3")
                                 .arg(QString::fromStdString(variables::selectorText(selector)),
                                      QString::fromStdString(variables::userType(old)),
                                      QString::fromStdString(variables::userType(value))));
        old = value;
        RunEvent e = makeEvent(Type::VariableEdited);
        e.nodeId = QString::fromStdString(selector.at(0));
        for (const std::string &part : selector)
            e.selector << QString::fromStdString(part);
        e.outputs = Json{{"value", value}};
        Q_EMIT runEvent(e);
        return {};
    }

    RunEvent makeEvent(Type type, const QString &node = {}, const QString &title = {}) const
    {
        RunEvent e;
        e.type = type;
        e.runId = m_runId;
        e.nodeId = node;
        e.nodeTitle = title;
        return e;
    }
    void startRun(const QString &id, const Json &pool)
    {
        m_runId = id;
        m_pool = pool;
        m_status = RunStatus::Running;
        Q_EMIT runStarted(id);
        Q_EMIT runEvent(makeEvent(Type::RunStarted));
        Q_EMIT stateChanged();
    }
    void nodeSucceeded(const QString &id, const QString &title, const Json &outputs)
    {
        for (auto it = outputs.begin(); it != outputs.end(); ++it)
            m_pool[id.toStdString()][it.key()] = it.value();
        RunEvent e = makeEvent(Type::NodeSucceeded, id, title);
        e.outputs = outputs;
        Q_EMIT runEvent(e);
    }
    void pauseAt(const QString &node)
    {
        m_status = RunStatus::Paused;
        m_pausedAt = node;
        Q_EMIT runEvent(makeEvent(Type::RunPaused, node));
        Q_EMIT stateChanged();
    }
    void finish()
    {
        m_status = RunStatus::Succeeded;
        Q_EMIT runEvent(makeEvent(Type::RunSucceeded));
        Q_EMIT runFinished(m_status);
        Q_EMIT stateChanged();
    }

    RunStatus m_status = RunStatus::NotStarted;
    QString m_runId;
    QString m_pausedAt;
    Json m_pool = Json::object();
    QList<QPair<variables::Selector, Json>> edits;
};

class EngineDebugger : public runtime::Debugger
{
    Q_OBJECT

public:
    EngineDebugger(document::Workflow workflow, QObject *parent = nullptr)
        : runtime::Debugger(parent)
        , m_workflow(std::move(workflow))
    {}

    void start(runtime::RunOptions options)
    {
        m_engine = new runtime::GraphEngine(m_workflow, std::move(options), this);
        connect(m_engine, &runtime::GraphEngine::runEvent, this, [this](const RunEvent &e) {
            Q_EMIT runEvent(e);
            if (e.type == Type::RunPaused || e.type == Type::RunResumed)
                Q_EMIT stateChanged();
        });
        connect(m_engine, &runtime::GraphEngine::finished, this, [this] {
            Q_EMIT runFinished(m_engine->status());
            Q_EMIT stateChanged();
        });
        m_engine->start();
        Q_EMIT runStarted(m_engine->runId());
    }
    bool can(Capability capability) const override
    {
        const RunStatus s = status();
        if (capability == Capability::EditVariables || capability == Capability::Continue
            || capability == Capability::Step)
            return s == RunStatus::Paused;
        return true;
    }
    RunStatus status() const override
    {
        return m_engine ? m_engine->status() : RunStatus::NotStarted;
    }
    QString runId() const override { return m_engine ? m_engine->runId() : QString(); }
    QString pausedAtNode() const override
    {
        return m_engine ? m_engine->pausedAtNode() : QString();
    }
    Json poolSnapshot() const override
    {
        return m_engine ? m_engine->pool().toJson() : Json::object();
    }
    void pause() override { m_engine->pause(); }
    void resume() override { m_engine->resume(); }
    void step() override { m_engine->step(); }
    void stop() override { m_engine->stop(); }
    void runTo(const QString &id) override { m_engine->runTo(id); }
    Result<void> setVariable(const variables::Selector &selector, const Json &value) override
    {
        return m_engine->setVariable(selector, value);
    }
    runtime::GraphEngine *engine() const { return m_engine; }

private:
    document::Workflow m_workflow;
    runtime::GraphEngine *m_engine = nullptr;
};

Json initialPool()
{
    return Json{{"sys", {{"query", "hi"}, {"user_id", "u1"}}},
                {"env", {{"API_URL", "https://example.com"}}}};
}

QStringList groupTitles(const Panel &panel)
{
    QStringList titles;
    for (int i = 0; i < panel.tree()->topLevelItemCount(); ++i)
        titles << panel.tree()->topLevelItem(i)->text(Panel::NameColumn);
    return titles;
}

bool isChanged(const Panel &panel, const char *scope, const char *name)
{
    QTreeWidgetItem *item = panel.itemFor(QString::fromLatin1(scope), QString::fromLatin1(name));
    return item && item->data(Panel::NameColumn, Panel::ChangedRole).toBool();
}

} // namespace

class TestVariablesPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void treeShowsOutputsAfterNodeSucceeded();
    void highlightsValuesChangedByTheLastStep();
    void editWhilePausedCallsSetVariable();
    void editRefusedTypeChangeShowsError();
    void editDisabledWhileRunning();
    void watchListSurvivesNewRun();
    void viewerShowsTextJsonAndImages();
    void realEngineEditWhilePaused();
};

void TestVariablesPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("flowbench-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_variablespanel"));
}

void TestVariablesPanel::init()
{
    QSettings().remove(QLatin1String(Panel::kWatchSettingsKey));
}

void TestVariablesPanel::treeShowsOutputsAfterNodeSucceeded()
{
    FakeDebugger debugger;
    Panel panel(&debugger);
    QCOMPARE(panel.objectName(), QStringLiteral("panel.variables"));
    debugger.startRun(QStringLiteral("r1"), initialPool());
    QCOMPARE(groupTitles(panel), sl({"System", "Environment"}));
    debugger.nodeSucceeded(
        QStringLiteral("llm1"), QStringLiteral("Writer"),
        Json{{"text", "Hello\nworld"}, {"usage", {{"total_tokens", 12}}}, {"scores", {1, 2.5}}});
    QTRY_VERIFY(panel.itemFor(QStringLiteral("llm1"), QStringLiteral("text")));
    QCOMPARE(groupTitles(panel), sl({"System", "Environment", "Writer"}));
    QTreeWidgetItem *text = panel.itemFor(QStringLiteral("llm1"), QStringLiteral("text"));
    QCOMPARE(text->text(Panel::TypeColumn), QStringLiteral("string"));
    QCOMPARE(text->text(Panel::ValueColumn), QStringLiteral("Hello ⏎ world"));
    QTreeWidgetItem *usage = panel.itemFor(QStringLiteral("llm1"), QStringLiteral("usage"));
    QCOMPARE(usage->text(Panel::TypeColumn), QStringLiteral("object"));
    QCOMPARE(usage->text(Panel::ValueColumn), QStringLiteral("{\"total_tokens\":12}"));
    QCOMPARE(
        panel.itemFor(QStringLiteral("llm1"), QStringLiteral("scores"))->text(Panel::TypeColumn),
        QStringLiteral("array[number]"));
    // The group row says which node id the title stands for.
    QCOMPARE(panel.tree()->topLevelItem(2)->text(Panel::TypeColumn), QStringLiteral("llm1"));
}

void TestVariablesPanel::highlightsValuesChangedByTheLastStep()
{
    FakeDebugger debugger;
    Panel panel(&debugger);
    panel.resize(900, 360);
    debugger.startRun(QStringLiteral("r1"), initialPool());
    debugger.nodeSucceeded(QStringLiteral("a"), QStringLiteral("A"), Json{{"x", 1}, {"y", "same"}});
    debugger.pauseAt(QStringLiteral("b"));
    // First pause: everything since the start of the run is the step's work; sys is not.
    QVERIFY(isChanged(panel, "a", "x"));
    QVERIFY(!isChanged(panel, "sys", "query"));

    debugger.resume();
    debugger.nodeSucceeded(QStringLiteral("b"), QStringLiteral("B"), Json{{"z", true}});
    debugger.m_pool["a"]["x"] = 2; // a later node rewrote a value (e.g. an assigner)
    debugger.pauseAt(QStringLiteral("c"));
    QVERIFY(isChanged(panel, "b", "z"));
    QVERIFY(isChanged(panel, "a", "x"));
    QVERIFY(!isChanged(panel, "a", "y"));
    QVERIFY(!isChanged(panel, "sys", "query"));
    QTreeWidgetItem *x = panel.itemFor(QStringLiteral("a"), QStringLiteral("x"));
    QCOMPARE(x->text(Panel::ValueColumn), QStringLiteral("2"));
    QVERIFY(x->font(Panel::NameColumn).bold());
    QVERIFY(
        !panel.itemFor(QStringLiteral("a"), QStringLiteral("y"))->font(Panel::NameColumn).bold());
    QVERIFY(x->foreground(Panel::ValueColumn).color()
            != panel.itemFor(QStringLiteral("a"), QStringLiteral("y"))
                   ->foreground(Panel::ValueColumn)
                   .color());

    // A step that changes nothing clears the marks.
    debugger.resume();
    debugger.pauseAt(QStringLiteral("d"));
    QVERIFY(!isChanged(panel, "b", "z"));
    QVERIFY(!isChanged(panel, "a", "x"));

    panel.selectVariable(QStringLiteral("a"), QStringLiteral("x"));
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
}

void TestVariablesPanel::editWhilePausedCallsSetVariable()
{
    FakeDebugger debugger;
    Panel panel(&debugger);
    panel.resize(900, 360);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    debugger.startRun(QStringLiteral("r1"), initialPool());
    debugger.nodeSucceeded(QStringLiteral("n"), QStringLiteral("Node"),
                           Json{{"count", 3}, {"name", "old"}, {"obj", {{"k", 1}}}});
    debugger.pauseAt(QStringLiteral("next"));
    QVERIFY(panel.selectVariable(QStringLiteral("n"), QStringLiteral("count")));
    auto *editButton = panel.findChild<QToolButton *>(QStringLiteral("variables.edit"));
    QVERIFY(editButton->isEnabled());
    editButton->click();
    QVERIFY(panel.isEditing());
    auto *line = panel.findChild<QLineEdit *>(QStringLiteral("variables.lineEditor"));
    QVERIFY(!line->isHidden());
    QCOMPARE(line->text(), QStringLiteral("3"));
    line->setText(QStringLiteral("42"));
    QTest::keyClick(line, Qt::Key_Return);
    QCOMPARE(debugger.edits.size(), 1);
    QVERIFY(debugger.edits.at(0).first == (variables::Selector{"n", "count"}));
    QVERIFY(debugger.edits.at(0).second == 42);
    QVERIFY(debugger.edits.at(0).second.is_number_integer());
    QVERIFY(!panel.isEditing());
    QCOMPARE(panel.itemFor(QStringLiteral("n"), QStringLiteral("count"))->text(Panel::ValueColumn),
             QStringLiteral("42"));
    QVERIFY(isChanged(panel, "n", "count")); // an edit is a change too

    // Strings are taken as typed (no JSON parsing, no quotes needed).
    QVERIFY(panel.selectVariable(QStringLiteral("n"), QStringLiteral("name")));
    const QRect nameRect
        = panel.tree()->visualItemRect(panel.itemFor(QStringLiteral("n"), QStringLiteral("name")));
    QSignalSpy dclicks(panel.tree(), &QTreeWidget::itemDoubleClicked);
    QTest::mouseClick(panel.tree()->viewport(), Qt::LeftButton, {}, nameRect.center());
    QTest::mouseDClick(panel.tree()->viewport(), Qt::LeftButton, {}, nameRect.center());
    QCOMPARE(dclicks.size(), 1);
    QVERIFY(panel.isEditing());
    QVERIFY(panel.applyEdit(QStringLiteral("42 is \"new\"")));
    QVERIFY(debugger.edits.at(1).second == "42 is \"new\"");

    // Objects open the JSON editor; the parsed object is sent.
    QVERIFY(panel.selectVariable(QStringLiteral("n"), QStringLiteral("obj")));
    QVERIFY(panel.startEdit());
    auto *json = panel.findChild<QPlainTextEdit *>(QStringLiteral("variables.jsonEditor"));
    QVERIFY(!json->isHidden());
    QVERIFY(json->toPlainText().contains(QStringLiteral("\"k\": 1")));
    json->setPlainText(QStringLiteral("{\"k\": 2, \"extra\": [true]}"));
    QVERIFY(panel.applyEdit());
    QVERIFY(debugger.edits.at(2).second == (Json{{"k", 2}, {"extra", {true}}}));

    // A number that is not one never reaches the debugger.
    QVERIFY(panel.selectVariable(QStringLiteral("n"), QStringLiteral("count")));
    QVERIFY(panel.startEdit());
    QVERIFY(!panel.applyEdit(QStringLiteral("forty")));
    QCOMPARE(debugger.edits.size(), 3);
    QVERIFY(panel.editError().contains(QStringLiteral("not a number")));
}

void TestVariablesPanel::editRefusedTypeChangeShowsError()
{
    FakeDebugger debugger;
    Panel panel(&debugger);
    panel.resize(900, 360);
    debugger.startRun(QStringLiteral("r1"), initialPool());
    debugger.nodeSucceeded(QStringLiteral("n"), QStringLiteral("Node"), Json{{"obj", {{"k", 1}}}});
    debugger.pauseAt(QStringLiteral("next"));
    QVERIFY(panel.selectVariable(QStringLiteral("n"), QStringLiteral("obj")));
    QVERIFY(panel.startEdit());
    QVERIFY(!panel.applyEdit(QStringLiteral("[1, 2]")));
    QCOMPARE(debugger.edits.size(), 1); // the debugger was asked, and refused
    QVERIFY(debugger.edits.at(0).second == (Json{1, 2}));
    QCOMPARE(panel.editError(),
             QStringLiteral("n.obj holds object; the new value is array[number]"));
    auto *error = panel.findChild<QLabel *>(QStringLiteral("variables.editError"));
    QVERIFY(!error->isHidden());
    QVERIFY(panel.isEditing()); // the user can fix it
    QCOMPARE(panel.itemFor(QStringLiteral("n"), QStringLiteral("obj"))->text(Panel::ValueColumn),
             QStringLiteral("{\"k\":1}"));
    // Broken JSON is reported before the debugger is asked.
    QVERIFY(!panel.applyEdit(QStringLiteral("{\"k\": ")));
    QCOMPARE(debugger.edits.size(), 1);
    QVERIFY(panel.editError().startsWith(QStringLiteral("Invalid JSON")));
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.grab().save(QStringLiteral("/tmp/p2-variables-error.png"));
}

void TestVariablesPanel::editDisabledWhileRunning()
{
    FakeDebugger debugger;
    Panel panel(&debugger);
    debugger.startRun(QStringLiteral("r1"), initialPool());
    debugger.nodeSucceeded(QStringLiteral("n"), QStringLiteral("Node"), Json{{"v", 1}});
    QTRY_VERIFY(panel.itemFor(QStringLiteral("n"), QStringLiteral("v")));
    QVERIFY(panel.selectVariable(QStringLiteral("n"), QStringLiteral("v")));
    auto *editButton = panel.findChild<QToolButton *>(QStringLiteral("variables.edit"));
    QVERIFY(!panel.canEdit());
    QVERIFY(!editButton->isEnabled());
    QVERIFY(!panel.startEdit());
    debugger.pauseAt(QStringLiteral("x"));
    QVERIFY(editButton->isEnabled());
    QVERIFY(panel.startEdit());
    // Continuing closes the editor: the value may change under it.
    debugger.resume();
    QVERIFY(!panel.isEditing());
    QVERIFY(!editButton->isEnabled());
    debugger.finish();
    QVERIFY(!editButton->isEnabled());
}

void TestVariablesPanel::watchListSurvivesNewRun()
{
    FakeDebugger debugger;
    {
        Panel panel(&debugger);
        debugger.startRun(QStringLiteral("r1"), initialPool());
        debugger.nodeSucceeded(QStringLiteral("llm1"), QStringLiteral("Writer"),
                               Json{{"text", "first"}});
        auto *input = panel.findChild<QLineEdit *>(QStringLiteral("variables.watchInput"));
        QTest::keyClicks(input, QStringLiteral("Writer.text"));
        QTest::keyClick(input, Qt::Key_Return);
        panel.addWatch(QStringLiteral("sys.query"));
        QCOMPARE(panel.watchList(), sl({"Writer.text", "sys.query"}));
        QCOMPARE(groupTitles(panel).first(), QStringLiteral("Watched"));
        QTreeWidgetItem *watched = panel.tree()->topLevelItem(0);
        QCOMPARE(watched->childCount(), 2);
        QCOMPARE(watched->child(0)->text(Panel::ValueColumn), QStringLiteral("first"));
        QCOMPARE(watched->child(1)->text(Panel::ValueColumn), QStringLiteral("hi"));

        // A new run: the pool is gone, the watches stay (not set until the node runs again).
        debugger.startRun(QStringLiteral("r2"), initialPool());
        QCOMPARE(panel.watchList(), sl({"Writer.text", "sys.query"}));
        watched = panel.tree()->topLevelItem(0);
        QCOMPARE(watched->child(0)->text(Panel::ValueColumn), QStringLiteral("not set"));
        QVERIFY(!panel.itemFor(QStringLiteral("llm1"), QStringLiteral("text")));
        debugger.nodeSucceeded(QStringLiteral("llm1"), QStringLiteral("Writer"),
                               Json{{"text", "second"}});
        QTRY_COMPARE(panel.tree()->topLevelItem(0)->child(0)->text(Panel::ValueColumn),
                     QStringLiteral("second"));
        QCOMPARE(QSettings().value(QLatin1String(Panel::kWatchSettingsKey)).toStringList(),
                 sl({"Writer.text", "sys.query"}));
    }
    // A new panel (the next session) reads the list back.
    Panel again(&debugger);
    QCOMPARE(again.watchList(), sl({"Writer.text", "sys.query"}));
    again.removeWatch(QStringLiteral("sys.query"));
    QCOMPARE(QSettings().value(QLatin1String(Panel::kWatchSettingsKey)).toStringList(),
             sl({"Writer.text"}));
}

void TestVariablesPanel::viewerShowsTextJsonAndImages()
{
    QImage image(40, 30, QImage::Format_RGB32);
    image.fill(Qt::red);
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    const std::string dataUrl = "data:image/png;base64," + png.toBase64().toStdString();
    const Json file{{"dify_model_identity", "__dify__file__"},
                    {"name", "red.png"},
                    {"type", "image"},
                    {"mime_type", "image/png"},
                    {"transfer_method", "local_file"},
                    {"url", dataUrl}};
    const std::string longText(5000, 'a');

    FakeDebugger debugger;
    Panel panel(&debugger);
    panel.resize(900, 360);
    debugger.startRun(QStringLiteral("r1"), initialPool());
    debugger.nodeSucceeded(QStringLiteral("n"), QStringLiteral("Node"),
                           Json{{"long", longText}, {"obj", {{"k", {1, 2}}}}, {"pic", file}});
    QTRY_VERIFY(panel.itemFor(QStringLiteral("n"), QStringLiteral("pic")));
    QCOMPARE(panel.itemFor(QStringLiteral("n"), QStringLiteral("pic"))->text(Panel::TypeColumn),
             QStringLiteral("file"));
    QCOMPARE(panel.itemFor(QStringLiteral("n"), QStringLiteral("pic"))->text(Panel::ValueColumn),
             QStringLiteral("red.png (image/png)"));

    panel.selectVariable(QStringLiteral("n"), QStringLiteral("long"));
    QCOMPARE(panel.viewer()->mode(), panels::ValueViewer::Mode::Text);
    QCOMPARE(panel.viewer()->text().size(), 5000);
    QVERIFY(
        panel.itemFor(QStringLiteral("n"), QStringLiteral("long"))->text(Panel::ValueColumn).size()
        <= 160);
    panel.selectVariable(QStringLiteral("n"), QStringLiteral("obj"));
    QCOMPARE(panel.viewer()->mode(), panels::ValueViewer::Mode::Json);
    QCOMPARE(panel.viewer()->text(), QStringLiteral("{\n  \"k\": [\n    1,\n    2\n  ]\n}"));
    panel.selectVariable(QStringLiteral("n"), QStringLiteral("pic"));
    QCOMPARE(panel.viewer()->mode(), panels::ValueViewer::Mode::Image);
    QCOMPARE(panel.viewer()->pixmap().size(), QSize(40, 30));
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.grab().save(QStringLiteral("/tmp/p2-variables-image.png"));
}

void TestVariablesPanel::realEngineEditWhilePaused()
{
    auto loaded = document::loadWorkflowFile(
        QStringLiteral(FLOWBENCH_SOURCE_DIR "/resources/examples/hello_branching.yml"));
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error().message));
    EngineDebugger debugger(loaded->workflow);
    Panel panel(&debugger);
    panel.resize(1000, 360);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const QString start = QStringLiteral("1754154032319");
    const QString ifElse = QStringLiteral("1754217359748");

    runtime::RunOptions options;
    options.inputs = Json{{"query", "goodbye"}};
    options.breakpoints.insert(ifElse);
    QSignalSpy paused(&debugger, &runtime::Debugger::stateChanged);
    debugger.start(options);
    QTRY_COMPARE(debugger.status(), RunStatus::Paused);

    // The start node's output is in the tree under its title, marked as the step's change.
    QTreeWidgetItem *query = panel.itemFor(start, QStringLiteral("query"));
    QVERIFY(query);
    QCOMPARE(query->text(Panel::ValueColumn), QStringLiteral("goodbye"));
    QCOMPARE(query->text(Panel::TypeColumn), QStringLiteral("string"));
    QVERIFY(groupTitles(panel).contains(QStringLiteral("Start")));
    QVERIFY(isChanged(panel, "1754154032319", "query"));
    QVERIFY(!isChanged(panel, "sys", "user_id"));

    // Edit the query so the branch flips: the engine takes it, the run goes the other way.
    QVERIFY(panel.selectVariable(start, QStringLiteral("query")));
    QVERIFY(panel.startEdit());
    panel.grab().save(QStringLiteral("/tmp/p2-variables-editing.png"));
    QVERIFY2(panel.applyEdit(QStringLiteral("hello again")), qPrintable(panel.editError()));
    QCOMPARE(panel.itemFor(start, QStringLiteral("query"))->text(Panel::ValueColumn),
             QStringLiteral("hello again"));
    panel.grab().save(QStringLiteral("/tmp/p2-variables-paused.png"));

    QSignalSpy finished(&debugger, &runtime::Debugger::runFinished);
    debugger.resume();
    QVERIFY(finished.wait(10000));
    QVERIFY(debugger.engine()->outputs().contains("true"));
    QVERIFY(debugger.engine()->outputs()["true"] == "hello again");
    QVERIFY(!panel.canEdit());
    QTRY_VERIFY(panel.itemFor(QStringLiteral("1754154034161"), QStringLiteral("true")));
    panel.selectVariable(QStringLiteral("1754154034161"), QStringLiteral("true"));
    panel.grab().save(QStringLiteral("/tmp/p2-variables-finished.png"));
}

QTEST_MAIN(TestVariablesPanel)
#include "tst_variablespanel.moc"

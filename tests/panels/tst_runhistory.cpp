// The Run history panel over a real RunStore in a temporary folder, filled by real GraphEngine
// runs of resources/examples/hello_branching.yml.

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

#include "document/dslio.h"
#include "runcomparedialog.h"
#include "runhistorypanel.h"
#include "runtime/graphengine.h"
#include "store/runstore.h"

using namespace flowbench;
using Json = nlohmann::json;
using runtime::RunEvent;

namespace {

const QString kEndNode = QStringLiteral("1754154034161");
const QString kStartNode = QStringLiteral("1754154032319");
const QString kIfElseNode = QStringLiteral("1754217359748");
const QString kEnd2Node = QStringLiteral("1754217363584");

} // namespace

class TestRunHistory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void listsRunsOfTheWorkflowNewestFirst();
    void refreshesWhenARunIsSaved();
    void openEmitsTheRecordedEvents();
    void compareMarksDifferingOutputs();
    void deleteAsksThenRemoves();
    void exportsJsonAndChromeTrace();
    void runEventRoundTrip();

private:
    QString recordRun(const QString &query, bool fail = false, const QString &name = {});

    document::Workflow m_workflow;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<store::RunStore> m_store;
};

void TestRunHistory::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    auto loaded = document::loadWorkflowFile(
        QStringLiteral(FLOWBENCH_SOURCE_DIR "/resources/examples/hello_branching.yml"));
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error().message));
    m_workflow = loaded->workflow;
    QCOMPARE(m_workflow.name(), QStringLiteral("if-else"));
}

void TestRunHistory::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto opened = store::RunStore::open(m_dir->filePath(QStringLiteral("runs.sqlite")));
    QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
    m_store = std::move(*opened);
}

void TestRunHistory::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

QString TestRunHistory::recordRun(const QString &query, bool fail, const QString &name)
{
    document::Workflow wf = m_workflow;
    if (!name.isEmpty())
        wf.setName(name);
    runtime::RunOptions options;
    options.inputs = Json{{"query", query.toStdString()}};
    if (fail)
        options.forcedFailures.insert(kEndNode, QStringLiteral("disk full"));
    runtime::GraphEngine engine(wf, options);
    m_store->record(&engine, wf, options);
    QSignalSpy finished(&engine, &runtime::GraphEngine::finished);
    QSignalSpy saved(m_store.get(), &store::RunStore::runSaved);
    engine.start();
    if (finished.isEmpty() && !finished.wait(10000))
        return {};
    if (saved.isEmpty() && !saved.wait(10000))
        return {};
    // Distinct start times, so "newest first" is not decided by ties.
    QTest::qWait(5);
    return engine.runId();
}

void TestRunHistory::listsRunsOfTheWorkflowNewestFirst()
{
    const QString first = recordRun(QStringLiteral("hello there"));
    const QString other = recordRun(QStringLiteral("hello"), false, QStringLiteral("other app"));
    const QString failed = recordRun(QStringLiteral("hello again"), true);
    QVERIFY(!first.isEmpty() && !other.isEmpty() && !failed.isEmpty());

    panels::RunHistoryPanel panel(m_store.get());
    QCOMPARE(panel.objectName(), QStringLiteral("panel.runHistory"));
    QCOMPARE(panel.runCount(), 3); // no key: every run
    panel.setWorkflowKey(QStringLiteral("if-else"));
    QCOMPARE(panel.runCount(), 2);
    QCOMPARE(panel.runIdAt(0), failed);
    QCOMPARE(panel.runIdAt(1), first);
    QTreeWidget *tree = panel.treeWidget();
    QCOMPARE(tree->topLevelItem(0)->text(panels::RunHistoryPanel::StatusColumn),
             QStringLiteral("Failed"));
    QVERIFY(tree->topLevelItem(0)
                ->toolTip(panels::RunHistoryPanel::StatusColumn)
                .contains(QStringLiteral("disk full")));
    QCOMPARE(tree->topLevelItem(1)->text(panels::RunHistoryPanel::StatusColumn),
             QStringLiteral("Succeeded"));
    QCOMPARE(tree->topLevelItem(1)->text(panels::RunHistoryPanel::CostColumn), QStringLiteral("—"));
    QVERIFY(tree->topLevelItem(1)
                ->text(panels::RunHistoryPanel::DurationColumn)
                .endsWith(QLatin1String("ms")));
    QCOMPARE(tree->topLevelItem(1)->text(panels::RunHistoryPanel::RunIdColumn), first.left(8));

    panel.resize(760, 240);
    panel.selectRuns({first});
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.grab().save(QStringLiteral("/tmp/p3-history.png"));

    panel.setWorkflowKey(QStringLiteral("other app"));
    QCOMPARE(panel.runCount(), 1);
    QCOMPARE(panel.runIdAt(0), other);
    panel.setWorkflowKey(QStringLiteral("never ran"));
    QCOMPARE(panel.runCount(), 0);
    QVERIFY(panel.findChild<QLabel *>(QStringLiteral("runHistory.empty"))->isVisible());
    panel.grab().save(QStringLiteral("/tmp/p3-history-empty.png"));
}

void TestRunHistory::refreshesWhenARunIsSaved()
{
    panels::RunHistoryPanel panel(m_store.get());
    panel.setWorkflowKey(QStringLiteral("if-else"));
    QCOMPARE(panel.runCount(), 0);
    const QString id = recordRun(QStringLiteral("hello"));
    QTRY_COMPARE(panel.runCount(), 1);
    QCOMPARE(panel.runIdAt(0), id);
}

void TestRunHistory::openEmitsTheRecordedEvents()
{
    const QString id = recordRun(QStringLiteral("hello there"));
    panels::RunHistoryPanel panel(m_store.get());
    panel.setWorkflowKey(QStringLiteral("if-else"));
    QSignalSpy opened(&panel, &panels::RunHistoryPanel::runOpened);
    auto *open = panel.findChild<QAction *>(QStringLiteral("runHistory.open"));
    QVERIFY(open);
    QVERIFY(!open->isEnabled()); // nothing selected
    panel.selectRuns({id});
    QVERIFY(open->isEnabled());
    open->trigger();
    QCOMPARE(opened.size(), 1);
    QCOMPARE(opened.at(0).at(0).toString(), id);
    const auto events = opened.at(0).at(1).value<QList<RunEvent>>();
    QVERIFY(events.size() >= 8);
    QCOMPARE(events.first().type, RunEvent::Type::RunStarted);
    QCOMPARE(events.last().type, RunEvent::Type::RunSucceeded);
    int succeeded = 0;
    for (const RunEvent &e : events) {
        QCOMPARE(e.runId, id);
        if (e.type == RunEvent::Type::NodeSucceeded) {
            ++succeeded;
            if (e.nodeId == kEndNode)
                QVERIFY(e.outputs == (Json{{"true", "hello there"}}));
        }
    }
    QCOMPARE(succeeded, 3);

    // Double-clicking (activating) a row opens it too.
    Q_EMIT panel.treeWidget()->itemActivated(panel.treeWidget()->topLevelItem(0), 0);
    QCOMPARE(opened.size(), 2);
}

void TestRunHistory::compareMarksDifferingOutputs()
{
    const QString a = recordRun(QStringLiteral("hello there"));
    const QString b = recordRun(QStringLiteral("goodbye"));
    const QString c = recordRun(QStringLiteral("hello there"));
    panels::RunHistoryPanel panel(m_store.get());
    panel.setWorkflowKey(QStringLiteral("if-else"));
    panel.resize(760, 260);
    auto *compare = panel.findChild<QAction *>(QStringLiteral("runHistory.compare"));
    panel.selectRuns({a});
    QVERIFY(!compare->isEnabled());
    panel.selectRuns({a, b});
    QVERIFY(compare->isEnabled());
    compare->trigger();
    panels::RunCompareDialog *dialog = panel.compareDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->firstRunId(), a); // older on the left
    QCOMPARE(dialog->secondRunId(), b);
    // "hello there" takes the true branch to End, "goodbye" the false one to End 2.
    QTreeWidgetItem *end = dialog->itemForNode(kEndNode);
    QTreeWidgetItem *end2 = dialog->itemForNode(kEnd2Node);
    QVERIFY(end && end2);
    QVERIFY(dialog->outputsDiffer(kEndNode));
    QCOMPARE(end->text(panels::RunCompareDialog::DiffColumn), QStringLiteral("≠"));
    QVERIFY(
        end->text(panels::RunCompareDialog::FirstOutputsColumn).contains(QLatin1String("true")));
    QCOMPARE(end->text(panels::RunCompareDialog::SecondOutputsColumn), QStringLiteral("not run"));
    QCOMPARE(end->text(panels::RunCompareDialog::StatusColumn),
             QStringLiteral("succeeded  →  not run"));
    QVERIFY(dialog->outputsDiffer(kStartNode));
    QVERIFY(dialog->outputsDiffer(kIfElseNode));
    QCOMPARE(dialog->treeWidget()->topLevelItemCount(), 4);
    QCOMPARE(dialog->differingCount(), 4);
    dialog->treeWidget()->setCurrentItem(end2);
    QVERIFY(dialog->findChild<QPlainTextEdit *>(QStringLiteral("compare.secondDetail"))
                ->toPlainText()
                .contains(QLatin1String("\"false\": \"goodbye\"")));
    QVERIFY(dialog->findChild<QPlainTextEdit *>(QStringLiteral("compare.firstDetail"))
                ->toPlainText()
                .contains(QLatin1String("did not run")));
    dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    dialog->grab().save(QStringLiteral("/tmp/p3-compare.png"));
    // The same inputs give the same outputs: nothing marked.
    panels::RunCompareDialog *same = panel.compareRuns(a, c);
    QVERIFY(same);
    QCOMPARE(same->differingCount(), 0);
    QVERIFY(!same->outputsDiffer(kEndNode));
    QVERIFY(same->itemForNode(kEndNode)->text(panels::RunCompareDialog::DiffColumn).isEmpty());
}

void TestRunHistory::deleteAsksThenRemoves()
{
    const QString a = recordRun(QStringLiteral("hello"));
    const QString b = recordRun(QStringLiteral("bye"));
    panels::RunHistoryPanel panel(m_store.get());
    panel.setWorkflowKey(QStringLiteral("if-else"));
    QSignalSpy deleted(&panel, &panels::RunHistoryPanel::runDeleted);

    // Declining keeps the run.
    QString asked;
    panel.setConfirmFunction([&asked](QWidget *, const QString &question) {
        asked = question;
        return false;
    });
    panel.selectRuns({a});
    panel.findChild<QAction *>(QStringLiteral("runHistory.delete"))->trigger();
    QVERIFY(asked.contains(a.left(8)));
    QCOMPARE(panel.runCount(), 2);
    QVERIFY(m_store->loadRun(a));

    // The default question box, answered Yes.
    panel.setConfirmFunction(nullptr);
    bool answered = false;
    QTimer::singleShot(0, this, [&answered] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        box->button(QMessageBox::Yes)->click();
        answered = true;
    });
    panel.selectRuns({a});
    panel.findChild<QAction *>(QStringLiteral("runHistory.delete"))->trigger();
    QVERIFY(answered);
    QCOMPARE(deleted.size(), 1);
    QCOMPARE(deleted.at(0).at(0).toString(), a);
    QCOMPARE(panel.runCount(), 1);
    QCOMPARE(panel.runIdAt(0), b);
    const auto gone = m_store->loadRun(a);
    QVERIFY(!gone);
    QCOMPARE(gone.error().code, QStringLiteral("store.not-found"));
}

void TestRunHistory::exportsJsonAndChromeTrace()
{
    const QString id = recordRun(QStringLiteral("hello there"));
    const auto run = m_store->loadRun(id);
    QVERIFY(run);
    QCOMPARE(int(run->nodes.size()), 3);
    panels::RunHistoryPanel panel(m_store.get());
    panel.setWorkflowKey(QStringLiteral("if-else"));
    const QString tracePath = m_dir->filePath(QStringLiteral("run.trace.json"));
    const QString jsonPath = m_dir->filePath(QStringLiteral("run.json"));
    QString suggested;
    panel.setSaveFileFunction(
        [&](QWidget *, const QString &, const QString &suggestedName, const QString &) {
            suggested = suggestedName;
            return suggestedName.contains(QLatin1String("trace")) ? tracePath : jsonPath;
        });
    panel.selectRuns({id});
    panel.findChild<QAction *>(QStringLiteral("runHistory.exportTrace"))->trigger();
    QCOMPARE(suggested, QStringLiteral("run-%1.trace.json").arg(id.left(8)));
    panel.findChild<QAction *>(QStringLiteral("runHistory.exportJson"))->trigger();

    QFile traceFile(tracePath);
    QVERIFY(traceFile.open(QIODevice::ReadOnly));
    const QByteArray traceText = traceFile.readAll();
    const Json trace = Json::parse(traceText.constData(), nullptr, false);
    QVERIFY(!trace.is_discarded());
    QVERIFY(trace["traceEvents"].is_array());
    int complete = 0;
    QSet<QString> names;
    for (const Json &e : trace["traceEvents"]) {
        QVERIFY(e.contains("ph") && e.contains("pid"));
        if (e["ph"] != "X")
            continue;
        ++complete;
        QCOMPARE(e["pid"].get<int>(), 1);
        QVERIFY(e["tid"].get<int>() >= 1);
        QVERIFY(e["ts"].is_number() && e["ts"].get<qint64>() >= 0);
        QVERIFY(e["dur"].is_number() && e["dur"].get<qint64>() >= 0);
        QVERIFY(e["args"].contains("outputs") && e["args"].contains("inputs"));
        names.insert(QString::fromStdString(e["name"].get<std::string>()));
        if (e["args"]["node_id"] == kEndNode.toStdString())
            QVERIFY(e["args"]["outputs"] == (Json{{"true", "hello there"}}));
    }
    QCOMPARE(complete, int(run->nodes.size()));
    QVERIFY(names.contains(QStringLiteral("End")));

    QFile jsonFile(jsonPath);
    QVERIFY(jsonFile.open(QIODevice::ReadOnly));
    const QByteArray jsonText = jsonFile.readAll();
    const Json exported = Json::parse(jsonText.constData(), nullptr, false);
    QVERIFY(!exported.is_discarded());
    QVERIFY(exported["run"]["id"] == id.toStdString());
    QVERIFY(exported["run"]["status"] == "succeeded");
    QCOMPARE(exported["node_executions"].size(), run->nodes.size());
    QCOMPARE(exported["events"].size(), run->events.size());
    QVERIFY(exported["workflow"].is_object());
    QVERIFY(panel.findChild<QLabel *>(QStringLiteral("runHistory.message"))
                ->text()
                .contains(QLatin1String("run.json")));
}

void TestRunHistory::runEventRoundTrip()
{
    RunEvent e;
    e.type = RunEvent::Type::NodeStreamChunk;
    e.runId = QStringLiteral("r1");
    e.nodeId = QStringLiteral("llm");
    e.nodeKind = QStringLiteral("llm");
    e.executionId = QStringLiteral("x1");
    e.timestampMs = 1234;
    e.selector = {QStringLiteral("llm"), QStringLiteral("text")};
    e.chunk = QStringLiteral("你好");
    e.isFinal = true;
    e.index = 2;
    const auto back = panels::runEventFromJson(e.toJson());
    QVERIFY(back);
    QVERIFY(back->toJson() == e.toJson());
    QVERIFY(!panels::runEventFromJson(Json{{"event", "no_such_event"}}));
}

QTEST_MAIN(TestRunHistory)
#include "tst_runhistory.moc"

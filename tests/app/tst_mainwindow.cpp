// The main window against the real document, canvas and panels.
#include "autosave.h"
#include "mainwindow.h"
#include "edgeitem.h"
#include "nodeitem.h"
#include "problemspanel.h"
#include "undocommands.h"
#include "workflowscene.h"
#include "workflowview.h"

#include "document/dslio.h"
#include "document/workflowdocument.h"

#include <QAction>
#include <QDockWidget>
#include <QAbstractButton>
#include <QFile>
#include <QMessageBox>
#include <QTimer>
#include <QProcess>
#include <QTreeWidget>
#include <QGraphicsView>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <QLineEdit>
#include <QDialog>
#include <QMenu>
#include <QUndoStack>

#include "chatpanel.h"
#include "eventmodel.h"
#include "eventspanel.h"
#include "runcontroller.h"
#include "runinputsdialog.h"
#include "runoverlay.h"
#include "variablespanel.h"

#include <memory>

using namespace flowbench;

class tst_MainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void opensFixtureWithOneItemPerNode_data();
    void opensFixtureWithOneItemPerNode();
    void moveThroughUndoStackMovesItemAndMarksModified();
    void consecutiveMovesOfSameNodesMerge();
    void dragSendsOneMoveEdit();
    void dockObjectNamesAreStable();
    void newDocumentHasStartAndEnd();
    void saveMakesCleanAndRecordsRecentFile();
    void bundledExampleAndIconsAreInResources();
    void containerMoveCarriesChildren();
    void batchEditUpdatesItemsWithoutRebuild();
    void problemDoubleClickSelectsNode();
    void unsupportedKindsAndNotesAreDrawnAsSuch();
    void autosaveOrphansBelongToDeadProcesses();
    void offerRecoveryOpensTheCopyAsModified();
    void debugSessionEndToEnd();
    void fileFromElsewhereAsksOnceBeforeRunningCode();
    void newFromExampleListsBundledExamples();
    void runDialogShowsCostEstimate();
    void chatWithTheOpenChatflow();

private:
    static QString fixture(const char *name)
    {
        return QStringLiteral(FLOWBENCH_FIXTURES_DIR "/") + QLatin1String(name);
    }

    std::unique_ptr<app::MainWindow> m_window;
    QTemporaryDir m_dir;
};

void tst_MainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("FlowbenchTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    QVERIFY(m_dir.isValid());
    // Runs of the window are recorded: keep them out of the user's history.
    qputenv("FLOWBENCH_RUN_STORE", m_dir.filePath(QStringLiteral("runs.sqlite")).toLocal8Bit());
}

void tst_MainWindow::init()
{
    QSettings().clear();
    m_window = std::make_unique<app::MainWindow>();
    m_window->resize(1200, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void tst_MainWindow::cleanup()
{
    // Destroying the window sends no close event, so no Save/Discard question blocks the test.
    m_window->autosave()->discard();
    m_window.reset();
}

void tst_MainWindow::opensFixtureWithOneItemPerNode_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("switches") << fixture("dual_switch_variable_aggregator_workflow.yml");
    QTest::newRow("iteration") << fixture("iteration_flatten_output_enabled_workflow.yml");
    QTest::newRow("loop") << fixture("increment_loop_with_break_condition_workflow.yml");
    QTest::newRow("chatflow") << fixture("basic_chatflow.yml");
}

void tst_MainWindow::opensFixtureWithOneItemPerNode()
{
    QFETCH(QString, file);
    QVERIFY(m_window->openFile(file));
    const document::Workflow &wf = m_window->document()->workflow();
    canvas::WorkflowScene *scene = m_window->scene();
    QCOMPARE(scene->nodeItemCount(), int(wf.nodes().size()));
    QCOMPARE(scene->edgeItemCount(), int(wf.edges().size()));
    for (const document::Node &node : wf.nodes()) {
        canvas::NodeItem *item = scene->nodeItem(node.id);
        QVERIFY2(item, qPrintable(node.id));
        QCOMPARE(item->nodeId(), node.id);
        // Children sit inside their container's body.
        if (!node.parentId().isEmpty()) {
            const QRectF container = scene->nodeSceneRect(node.parentId());
            QVERIFY2(container.contains(scene->nodeSceneRect(node.id)), qPrintable(node.id));
        }
    }
    QCOMPARE(m_window->filePath(), QFileInfo(file).absoluteFilePath());
    QVERIFY(!m_window->isWindowModified());
    QVERIFY(m_window->windowTitle().startsWith(QFileInfo(file).fileName()));
    QVERIFY(m_window->windowTitle().endsWith(QStringLiteral(" — Flowbench")));
}

void tst_MainWindow::moveThroughUndoStackMovesItemAndMarksModified()
{
    QVERIFY(m_window->openFile(fixture("dual_switch_variable_aggregator_workflow.yml")));
    document::WorkflowDocument *doc = m_window->document();
    const document::Node &first = doc->workflow().nodes().front();
    const QString id = first.id;
    const QPointF before = first.position();
    canvas::NodeItem *item = m_window->scene()->nodeItem(id);
    QVERIFY(item);
    const QPointF itemBefore = item->pos();
    QVERIFY(!m_window->isWindowModified());

    QSignalSpy moved(doc, &document::WorkflowDocument::nodeMoved);
    document::MoveNodesEdit move;
    move.positions.append({id, before + QPointF(120, 40)});
    m_window->undoStack()->push(
        new app::EditCommand(doc, document::Edit(move, QStringLiteral("Move node"))));

    QCOMPARE(moved.count(), 1);
    QCOMPARE(moved.at(0).at(0).toString(), id);
    QCOMPARE(doc->workflow().node(id)->position(), before + QPointF(120, 40));
    QCOMPARE(m_window->scene()->nodeItem(id), item); // moved, not rebuilt
    QCOMPARE(item->pos(), itemBefore + QPointF(120, 40));
    QVERIFY(m_window->isWindowModified());
    QVERIFY(m_window->isModified());
    QCOMPARE(m_window->undoAction()->text(), QStringLiteral("Undo Move node"));
    QVERIFY(m_window->undoAction()->isEnabled());

    m_window->undoStack()->undo();
    QCOMPARE(doc->workflow().node(id)->position(), before);
    QCOMPARE(item->pos(), itemBefore);
    QVERIFY(m_window->undoStack()->isClean());
    QVERIFY(!m_window->isWindowModified());
    QCOMPARE(m_window->redoAction()->text(), QStringLiteral("Redo Move node"));

    m_window->undoStack()->redo();
    QCOMPARE(item->pos(), itemBefore + QPointF(120, 40));
    QVERIFY(m_window->isWindowModified());
}

void tst_MainWindow::consecutiveMovesOfSameNodesMerge()
{
    QVERIFY(m_window->openFile(fixture("dual_switch_variable_aggregator_workflow.yml")));
    document::WorkflowDocument *doc = m_window->document();
    const QString id = doc->workflow().nodes().front().id;
    const QPointF start = doc->workflow().node(id)->position();
    // Three nudges to the right: one undo step. An arrow moves one grid step (16) and lands on
    // the grid; Shift+arrow moves one unsnapped pixel.
    m_window->scene()->selectNodes({id});
    m_window->view()->setFocus();
    QTest::keyClick(m_window->view()->viewport(), Qt::Key_Right);
    QTest::keyClick(m_window->view()->viewport(), Qt::Key_Right);
    QTest::keyClick(m_window->view()->viewport(), Qt::Key_Right, Qt::ShiftModifier);
    const auto snap = [](double v) { return std::round(v / 16) * 16; };
    QCOMPARE(doc->workflow().node(id)->position(),
             QPointF(snap(start.x()) + 32 + 1, snap(start.y())));
    QCOMPARE(m_window->undoStack()->count(), 1);
    m_window->undoStack()->undo();
    QCOMPARE(doc->workflow().node(id)->position(), start);

    // A different node set starts a new command.
    const QString other = doc->workflow().nodes().at(1).id;
    m_window->scene()->selectNodes({id});
    QTest::keyClick(m_window->view()->viewport(), Qt::Key_Down);
    m_window->scene()->selectNodes({id, other});
    QTest::keyClick(m_window->view()->viewport(), Qt::Key_Down);
    QCOMPARE(m_window->undoStack()->count(), 2);
}

void tst_MainWindow::dragSendsOneMoveEdit()
{
    QVERIFY(m_window->openFile(fixture("dual_switch_variable_aggregator_workflow.yml")));
    canvas::WorkflowView *view = m_window->view();
    view->setZoom(1.0);
    document::WorkflowDocument *doc = m_window->document();
    const QString id = doc->workflow().nodes().front().id;
    const QPointF before = doc->workflow().node(id)->position();
    m_window->view()->centerOnNode(id);
    const QRectF rect = m_window->scene()->nodeSceneRect(id);
    const QPoint press = view->mapFromScene(rect.center());

    QSignalSpy moved(doc, &document::WorkflowDocument::nodeMoved);
    QTest::mousePress(view->viewport(), Qt::LeftButton, {}, press);
    for (int step = 1; step <= 10; ++step) {
        QMouseEvent move(QEvent::MouseMove, QPointF(press + QPoint(step * 6, step * 3)),
                         view->viewport()->mapToGlobal(QPointF(press + QPoint(step * 6, step * 3))),
                         Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view->viewport(), &move);
        QCOMPARE(moved.count(), 0); // nothing moves while dragging
    }
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, press + QPoint(60, 30));
    QCOMPARE(moved.count(), 1);
    QCOMPARE(m_window->undoStack()->count(), 1);
    // The drop lands on the 16 px grid.
    const QPointF dropped = before + QPointF(60, 30);
    QCOMPARE(doc->workflow().node(id)->position(),
             QPointF(std::round(dropped.x() / 16) * 16, std::round(dropped.y() / 16) * 16));
    QCOMPARE(m_window->undoAction()->text(), QStringLiteral("Undo Move node"));
}

void tst_MainWindow::dockObjectNamesAreStable()
{
    const QList<QDockWidget *> docks = m_window->findChildren<QDockWidget *>();
    QStringList names;
    for (const QDockWidget *dock : docks)
        names.append(dock->objectName());
    QVERIFY2(names.contains(QStringLiteral("dock.problems")), qPrintable(names.join(u',')));
    QVERIFY2(names.contains(QStringLiteral("dock.outline")), qPrintable(names.join(u',')));
    auto *problems = m_window->findChild<QDockWidget *>(QStringLiteral("dock.problems"));
    QCOMPARE(m_window->dockWidgetArea(problems), Qt::BottomDockWidgetArea);
    QCOMPARE(problems->widget(), m_window->problemsPanel());
}

void tst_MainWindow::newDocumentHasStartAndEnd()
{
    document::Workflow workflow = app::MainWindow::makeNewWorkflow(false);
    QCOMPARE(workflow.nodes().size(), size_t(2));
    QCOMPARE(workflow.nodes().at(0).kind(), QStringLiteral("start"));
    QCOMPARE(workflow.nodes().at(1).kind(), QStringLiteral("end"));
    QCOMPARE(workflow.nodes().at(0).position(), QPointF(80, 200));
    QCOMPARE(workflow.nodes().at(1).position(), QPointF(400, 200));
    QCOMPARE(workflow.edges().size(), size_t(1));
    QVERIFY(workflow.nodes().at(0).id != workflow.nodes().at(1).id);

    document::Workflow chat = app::MainWindow::makeNewWorkflow(true);
    QCOMPARE(chat.nodes().at(1).kind(), QStringLiteral("answer"));
    QCOMPARE(chat.mode(), document::AppMode::AdvancedChat);

    // The window starts with such a document, untitled and clean.
    QCOMPARE(m_window->scene()->nodeItemCount(), 2);
    QVERIFY(m_window->windowTitle().startsWith(QStringLiteral("Untitled")));
    QVERIFY(!m_window->isWindowModified());
}

void tst_MainWindow::saveMakesCleanAndRecordsRecentFile()
{
    QVERIFY(m_window->openFile(fixture("iteration_flatten_output_enabled_workflow.yml")));
    document::WorkflowDocument *doc = m_window->document();
    const QString id = doc->workflow().nodes().front().id;
    document::MoveNodesEdit move;
    move.positions.append({id, QPointF(10, 10)});
    m_window->undoStack()->push(
        new app::EditCommand(doc, document::Edit(move, QStringLiteral("Move node"))));
    QVERIFY(m_window->isWindowModified());

    // The autosave copy protects the unsaved change; saving removes it.
    QVERIFY(m_window->autosave()->saveNow());
    QVERIFY(QFile::exists(m_window->autosave()->autosaveFilePath()));
    QVERIFY(QFile::exists(m_window->autosave()->metaFilePath()));
    const QString autosaved = m_window->autosave()->autosaveFilePath();

    const QString path = m_dir.filePath(QStringLiteral("saved.json"));
    QVERIFY(m_window->saveToFile(path));
    QVERIFY(!m_window->isWindowModified());
    QVERIFY(m_window->undoStack()->isClean());
    QVERIFY(!QFile::exists(autosaved));
    QCOMPARE(m_window->filePath(), path);
    QVERIFY(m_window->windowTitle().startsWith(QStringLiteral("saved.json")));
    QCOMPARE(QSettings().value(QStringLiteral("recentFiles")).toStringList().value(0), path);

    auto reloaded = document::loadWorkflowFile(path);
    QVERIFY(reloaded);
    QCOMPARE(reloaded->workflow.node(id)->position(), QPointF(10, 10));
}

void tst_MainWindow::bundledExampleAndIconsAreInResources()
{
    QVERIFY(QFile::exists(QStringLiteral(":/icons/flowbench.svg")));
    QVERIFY(QFile::exists(QStringLiteral(":/icons/nodes/llm.svg")));
    QVERIFY(QFile::exists(QStringLiteral(":/icons/nodes/unsupported.svg")));
    QVERIFY(m_window->openBundledExample());
    QVERIFY(m_window->filePath().isEmpty());
    QVERIFY(m_window->scene()->nodeItemCount() > 2);
    QVERIFY(m_window->statusText().contains(QStringLiteral("nodes")));
}

void tst_MainWindow::containerMoveCarriesChildren()
{
    QVERIFY(m_window->openFile(fixture("iteration_flatten_output_enabled_workflow.yml")));
    canvas::WorkflowScene *scene = m_window->scene();
    canvas::NodeItem *child = scene->nodeItem(QStringLiteral("code_inner_node"));
    canvas::NodeItem *container = scene->nodeItem(QStringLiteral("iteration_node"));
    QVERIFY(child && container);
    QVERIFY(container->isContainer());
    QCOMPARE(child->pos(), container->pos() + QPointF(128, 68)); // parent-relative in the file
    const QPointF childBefore = child->pos();

    document::MoveNodesEdit move;
    move.positions.append({QStringLiteral("iteration_node"), QPointF(684 + 100, 282 + 50)});
    m_window->undoStack()->push(new app::EditCommand(
        m_window->document(), document::Edit(move, QStringLiteral("Move node"))));
    QCOMPARE(child->pos(), childBefore + QPointF(100, 50));
    QVERIFY(scene->nodeSceneRect(QStringLiteral("iteration_node"))
                .contains(scene->nodeSceneRect(QStringLiteral("code_inner_node"))));
    // The edge into the container's child follows it.
    canvas::EdgeItem *edge
        = scene->edgeItem(QStringLiteral("iteration-start-source-code-inner-target"));
    QVERIFY(edge);
    QCOMPARE(edge->path().elementAt(edge->path().elementCount() - 1).x,
             child->inputPortScenePos().x());
}

void tst_MainWindow::batchEditUpdatesItemsWithoutRebuild()
{
    QVERIFY(m_window->openFile(fixture("dual_switch_variable_aggregator_workflow.yml")));
    document::WorkflowDocument *doc = m_window->document();
    const QString a = doc->workflow().nodes().at(0).id;
    const QString b = doc->workflow().nodes().at(1).id;
    QSignalSpy rebuilt(m_window->scene(), &canvas::WorkflowScene::rebuilt);
    document::BatchEdit batch;
    batch.edits.push_back(document::MoveNodesEdit{{{a, QPointF(1, 2)}}});
    batch.edits.push_back(document::MoveNodesEdit{{{b, QPointF(3, 4)}}});
    m_window->undoStack()->push(
        new app::EditCommand(doc, document::Edit(batch, QStringLiteral("Arrange"))));
    // A batch updates just the items it touches: no full rebuild (which would be slow at
    // thousands of nodes and lose the selection).
    QCOMPARE(rebuilt.count(), 0);
    QCOMPARE(m_window->scene()->nodeItem(a)->pos(), QPointF(1, 2));
    QCOMPARE(m_window->scene()->nodeItem(b)->pos(), QPointF(3, 4));
    QCOMPARE(m_window->undoAction()->text(), QStringLiteral("Undo Arrange"));
}

void tst_MainWindow::problemDoubleClickSelectsNode()
{
    QVERIFY(m_window->openFile(fixture("simple_passthrough_workflow.yml")));
    document::WorkflowDocument *doc = m_window->document();
    QCOMPARE(doc->workflow().edges().size(), size_t(1));
    const QString edgeId = doc->workflow().edges().front().id;
    const QString target = doc->workflow().edges().front().target;
    m_window->undoStack()->push(new app::EditCommand(
        doc, document::Edit(document::RemoveEdgeEdit{edgeId}, QStringLiteral("Delete edge"))));
    QCOMPARE(m_window->scene()->edgeItemCount(), 0);

    panels::ProblemsPanel *panel = m_window->problemsPanel();
    QSignalSpy changed(panel, &panels::ProblemsPanel::problemsChanged);
    QVERIFY(changed.wait(2000)); // the debounced refresh
    QVERIFY(!panel->problems().isEmpty());
    QVERIFY(m_window->statusText().contains(QStringLiteral("0 edges")));

    QTreeWidget *tree = panel->treeWidget();
    QTreeWidgetItem *row = nullptr;
    for (int i = 0; i < tree->topLevelItemCount() && !row; ++i) {
        if (panel->problems().at(i).nodeId == target)
            row = tree->topLevelItem(i);
    }
    QVERIFY2(row, "no problem names the disconnected node");
    m_window->findChild<QDockWidget *>(QStringLiteral("dock.problems"))->show();
    tree->scrollToItem(row);
    const QPoint at = tree->visualItemRect(row).center();
    QSignalSpy activated(panel, &panels::ProblemsPanel::nodeActivated);
    // A real double-click is press, release, double-click, release; QTest sends only the latter.
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(tree->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.at(0).at(0).toString(), target);
    QCOMPARE(m_window->scene()->selectedNodeIds(), QStringList{target});
}

void tst_MainWindow::unsupportedKindsAndNotesAreDrawnAsSuch()
{
    const QByteArray text = R"({
      "app": {"name": "t", "mode": "workflow"}, "kind": "app", "version": "0.5.0",
      "workflow": {"graph": {"edges": [], "nodes": [
        {"id": "p", "type": "custom", "position": {"x": 0, "y": 0},
         "data": {"type": "vendor-magic", "title": "Magic"}},
        {"id": "n", "type": "custom-note", "position": {"x": 300, "y": 0}, "width": 240, "height": 100,
         "data": {"type": "", "theme": "pink", "text": "{\"root\":{\"children\":[{\"children\":[{\"text\":\"Hello\",\"type\":\"text\"}],\"type\":\"paragraph\"},{\"children\":[{\"text\":\"world\",\"type\":\"text\"}],\"type\":\"paragraph\"}],\"type\":\"root\"}}"}}
      ]}}})";
    auto loaded = document::loadWorkflowText(text, document::FileFormat::NativeJson);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error().toString()));
    m_window->document()->reset(loaded->workflow);
    canvas::NodeItem *plugin = m_window->scene()->nodeItem(QStringLiteral("p"));
    QVERIFY(plugin);
    QCOMPARE(plugin->shapeKind(), canvas::NodeItem::Shape::Unsupported);
    QCOMPARE(plugin->subtitle(), QStringLiteral("Unsupported: vendor-magic"));
    QCOMPARE(plugin->bodyRect().size(), QSizeF(244, 90)); // Dify's default size
    QVERIFY(plugin->hasInputPort());

    canvas::NodeItem *note = m_window->scene()->nodeItem(QStringLiteral("n"));
    QVERIFY(note);
    QCOMPARE(note->shapeKind(), canvas::NodeItem::Shape::Note);
    QVERIFY(note->outputPorts().isEmpty());
    QCOMPARE(canvas::noteTextFromData(loaded->workflow.node(QStringLiteral("n"))->data),
             QStringLiteral("Hello\nworld"));
}

void tst_MainWindow::autosaveOrphansBelongToDeadProcesses()
{
    QDir().mkpath(app::Autosave::directory());
    QProcess finished;
    finished.start(QStringLiteral("true"));
    QVERIFY(finished.waitForFinished());
    const qint64 deadPid = finished.processId() > 0 ? finished.processId() : 999999999;

    auto write = [](const QString &base, qint64 pid, const QString &original) {
        const QString dir = app::Autosave::directory() + QLatin1Char('/');
        QFile json(dir + base + QStringLiteral(".json"));
        QVERIFY(json.open(QIODevice::WriteOnly));
        json.write("{}");
        QFile meta(dir + base + QStringLiteral(".meta"));
        QVERIFY(meta.open(QIODevice::WriteOnly));
        meta.write(
            QStringLiteral(
                R"({"version":1,"pid":%1,"originalPath":"%2","timestamp":"2024-01-01T10:00:00.000Z"})")
                .arg(pid)
                .arg(original)
                .toUtf8());
    };
    write(QStringLiteral("orphan"), deadPid, QStringLiteral("/tmp/x.json"));
    write(QStringLiteral("mine"), QCoreApplication::applicationPid(), QString());

    const QList<app::RecoveryEntry> orphans = app::Autosave::orphans();
    QStringList originals;
    for (const app::RecoveryEntry &entry : orphans)
        originals.append(entry.originalPath);
    QVERIFY2(originals.contains(QStringLiteral("/tmp/x.json")), qPrintable(originals.join(u',')));
    QVERIFY(!originals.contains(QString()));
    for (const app::RecoveryEntry &entry : orphans)
        app::Autosave::remove(entry);
    QFile::remove(app::Autosave::directory() + QStringLiteral("/mine.json"));
    QFile::remove(app::Autosave::directory() + QStringLiteral("/mine.meta"));
    QVERIFY(app::Autosave::orphans().isEmpty());
}

void tst_MainWindow::offerRecoveryOpensTheCopyAsModified()
{
    // A copy left by a process that is gone, of a document whose file is `original`.
    auto source
        = document::loadWorkflowFile(fixture("iteration_flatten_output_enabled_workflow.yml"));
    QVERIFY(source);
    QDir().mkpath(app::Autosave::directory());
    const QString base = app::Autosave::directory() + QStringLiteral("/crashed");
    QVERIFY(document::saveWorkflowFile(source->workflow, base + QStringLiteral(".json"),
                                       document::FileFormat::NativeJson));
    const QString original = m_dir.filePath(QStringLiteral("original.json"));
    QFile meta(base + QStringLiteral(".meta"));
    QVERIFY(meta.open(QIODevice::WriteOnly));
    meta.write(
        QStringLiteral(
            R"({"version":1,"pid":999999999,"originalPath":"%1","timestamp":"2024-05-01T08:30:00.000Z"})")
            .arg(original)
            .toUtf8());
    meta.close();

    QString question;
    QTimer::singleShot(0, m_window.get(), [&question] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        question = box->text();
        for (QAbstractButton *button : box->buttons()) {
            if (button->text() == QStringLiteral("Recover"))
                button->click();
        }
    });
    m_window->offerRecovery();

    QVERIFY2(question.startsWith(QStringLiteral("Recover unsaved changes from")),
             qPrintable(question));
    QCOMPARE(m_window->filePath(), original);
    QVERIFY(m_window->isModified());
    QVERIFY(m_window->isWindowModified());
    QCOMPARE(m_window->scene()->nodeItemCount(), int(source->workflow.nodes().size()));
    // The orphan is gone; this window's own copy protects the recovered work now.
    QVERIFY(!QFile::exists(base + QStringLiteral(".meta")));
    QVERIFY(QFile::exists(m_window->autosave()->autosaveFilePath()));
    QVERIFY(app::Autosave::orphans().isEmpty());
}

// The debugging loop a person goes through: a breakpoint, Run (inputs asked in the dialog),
// stop at the breakpoint, change a variable in the Variables panel, Step, Continue; the
// outputs follow the edited value and the Events panel lists what happened.
void tst_MainWindow::debugSessionEndToEnd()
{
    QVERIFY(m_window->openFile(
        QStringLiteral(FLOWBENCH_SOURCE_DIR "/resources/examples/hello_branching.yml")));
    const document::Workflow &wf = m_window->document()->workflow();
    QString startId, ifId;
    for (const document::Node &node : wf.nodes()) {
        if (node.kind() == QLatin1String("start"))
            startId = node.id;
        else if (node.kind() == QLatin1String("if-else"))
            ifId = node.id;
    }
    QVERIFY(!startId.isEmpty() && !ifId.isEmpty());

    // F9 on the selected if-else node.
    m_window->scene()->selectNodes({ifId});
    auto *toggle = m_window->findChild<QAction *>(QStringLiteral("action.toggleBreakpoint"));
    QVERIFY(toggle);
    toggle->trigger();
    QVERIFY(m_window->runOverlay()->hasBreakpoint(ifId));

    // Run: the start form asks for `query`.
    bool asked = false;
    QTimer::singleShot(0, this, [&] {
        auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        QCOMPARE(dialog->objectName(), QStringLiteral("dialog.runInputs"));
        auto *field = qobject_cast<QLineEdit *>(
            static_cast<panels::RunInputsDialog *>(dialog)->fieldWidget(QStringLiteral("query")));
        QVERIFY(field);
        field->setText(QStringLiteral("goodbye"));
        asked = true;
        dialog->accept();
    });
    m_window->runAction()->trigger();
    QVERIFY(asked);
    app::RunController *run = m_window->runController();
    QTRY_COMPARE_WITH_TIMEOUT(run->status(), runtime::RunStatus::Paused, 15000);
    QCOMPARE(run->pausedAtNode(), ifId);
    QCOMPARE(m_window->runOverlay()->nodeState(ifId), canvas::RunOverlay::NodeState::PausedHere);
    QCOMPARE(m_window->runAction()->text(), QStringLiteral("&Continue"));

    // Edit sys-free user input in the Variables panel while paused.
    panels::VariablesPanel *variables = m_window->variablesPanel();
    QTRY_VERIFY(variables->selectVariable(startId, QStringLiteral("query")));
    QVERIFY(variables->canEdit());
    QVERIFY(variables->startEdit());
    QVERIFY2(variables->applyEdit(QStringLiteral("hello again")),
             qPrintable(variables->editError()));

    // Step runs the if-else alone and pauses before the branch it chose.
    auto *step = m_window->findChild<QAction *>(QStringLiteral("action.step"));
    QVERIFY(step && step->isEnabled());
    step->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(run->status(), runtime::RunStatus::Paused, 15000);
    QVERIFY(run->pausedAtNode() != ifId);
    QCOMPARE(m_window->runOverlay()->nodeState(ifId), canvas::RunOverlay::NodeState::Succeeded);

    // Continue (F5 while paused) to the end.
    m_window->runAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(run->status(), runtime::RunStatus::Succeeded, 15000);
    const runtime::Json outputs = run->engine()->outputs();
    QVERIFY2(outputs.value("true", "") == "hello again", outputs.dump().c_str());

    // The Events panel has the story, including the edit.
    panels::EventModel *events = m_window->eventsPanel()->model();
    QStringList types;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            types.clear();
            for (int i = 0; i < events->rowCount(); ++i)
                types << runtime::RunEvent::typeName(events->row(i).event.type);
            return types.contains(QStringLiteral("run_succeeded"));
        }(),
        5000);
    QVERIFY2(types.contains(QStringLiteral("variable_edited")), qPrintable(types.join(u',')));
    QVERIFY(types.count(QStringLiteral("run_paused")) >= 2);
    QVERIFY(types.contains(QStringLiteral("node_succeeded")));
}

// A workflow with code nodes opened from a file asks before its first run; the answer is
// remembered for that file.
void tst_MainWindow::fileFromElsewhereAsksOnceBeforeRunningCode()
{
    const QString path = m_dir.filePath(QStringLiteral("downloaded.yml"));
    QFile::remove(path);
    QVERIFY(QFile::copy(fixture("iteration_flatten_output_enabled_workflow.yml"), path));
    QVERIFY(m_window->openFile(path));
    QVERIFY(!m_window->isTrusted());

    int asked = 0;
    const auto answer = [&](bool trust) {
        QTimer::singleShot(0, this, [&, trust] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            QVERIFY(box);
            QCOMPARE(box->objectName(), QStringLiteral("dialog.trust"));
            QVERIFY(box->text().contains(QStringLiteral("code")));
            ++asked;
            for (QAbstractButton *b : box->buttons()) {
                const bool isTrust = box->buttonRole(b) == QMessageBox::AcceptRole;
                if (isTrust == trust) {
                    b->click();
                    return;
                }
            }
        });
    };
    answer(false);
    m_window->runAction()->trigger();
    QCOMPARE(asked, 1);
    QCOMPARE(m_window->runController()->status(), runtime::RunStatus::NotStarted);

    answer(true);
    m_window->runAction()->trigger();
    QCOMPARE(asked, 2);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->runController()->isActive(), 15000);
    QCOMPARE(m_window->runController()->status(), runtime::RunStatus::Succeeded);

    // Opened again: trusted, no question.
    m_window->newDocument();
    QVERIFY(m_window->openFile(path));
    QVERIFY(m_window->isTrusted());
}

void tst_MainWindow::newFromExampleListsBundledExamples()
{
    auto *menu = m_window->findChild<QMenu *>(QStringLiteral("menu.examples"));
    QVERIFY(menu);
    QVERIFY(menu->actions().size() >= 4);
    menu->actions().first()->trigger();
    QVERIFY(m_window->filePath().isEmpty()); // untitled: Save asks where
    QVERIFY(m_window->isTrusted());
    QVERIFY(!m_window->document()->workflow().nodes().empty());
}

// The run dialog of a workflow with LLM nodes shows what the run may cost, with prompt tokens
// counted by the default endpoint (the in-process simulator's /tokenize).
void tst_MainWindow::runDialogShowsCostEstimate()
{
    QVERIFY(m_window->openFile(
        QStringLiteral(FLOWBENCH_SOURCE_DIR "/resources/examples/support_chatflow.yml")));
    QString shown;
    QTimer::singleShot(0, this, [&] {
        auto *dialog = qobject_cast<panels::RunInputsDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->costEstimate().contains(QLatin1Char('$')), 15000);
        shown = dialog->costEstimate();
        dialog->reject();
    });
    m_window->runAction()->trigger();
    QVERIFY2(shown.contains(QStringLiteral("prompt tokens")), qPrintable(shown));
    QCOMPARE(m_window->runController()->status(), runtime::RunStatus::NotStarted);
}

// Workflow mode of the chat pane: each message runs the open chatflow; the second turn sees
// the first (memory through the run store) and counts as dialogue 2.
void tst_MainWindow::chatWithTheOpenChatflow()
{
    QVERIFY(m_window->openFile(
        QStringLiteral(FLOWBENCH_SOURCE_DIR "/resources/examples/support_chatflow.yml")));
    panels::ChatPanel *chat = m_window->chatPanel();
    QVERIFY(chat);
    chat->setMode(panels::ChatPanel::Mode::Workflow);
    chat->sendMessage(QStringLiteral("My invoice is wrong"));
    QTRY_VERIFY_WITH_TIMEOUT(!chat->isBusy() && chat->messageCount() == 2, 20000);
    QVERIFY2(chat->messageText(1).contains(QStringLiteral("Echo")),
             qPrintable(chat->messageText(1)));
    QCOMPARE(m_window->runController()->status(), runtime::RunStatus::Succeeded);

    chat->sendMessage(QStringLiteral("Still wrong"));
    QTRY_VERIFY_WITH_TIMEOUT(!chat->isBusy() && chat->messageCount() == 4, 20000);
    QVERIFY2(chat->messageText(3).contains(QStringLiteral("Still wrong")),
             qPrintable(chat->messageText(3)));
    const auto conversation
        = m_window->runController()->runStore()->loadConversation(chat->conversationId());
    QVERIFY(conversation);
    QCOMPARE(conversation->dialogueCount, 2);
    QCOMPARE(conversation->history.front().query, QStringLiteral("My invoice is wrong"));
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"

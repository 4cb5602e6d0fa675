#include "mainwindow.h"

#include "autosave.h"
#include "runcontroller.h"
#include "undocommands.h"

#include "document/dslio.h"
#include "document/workflowdocument.h"
#include "nodes/registry.h"
#include "document/graphedits.h"
#include "eventspanel.h"
#include "inspectorpanel.h"
#include "alertrulesdialog.h"
#include "chatpanel.h"
#include "nodes/filecontent.h"
#include "metering/alerts.h"
#include "metering/costestimate.h"
#include "metering/metricsserver.h"
#include "metering/tokenmetrics.h"
#include "metering/usageseries.h"
#include "priceeditor.h"
#include "runhistorypanel.h"
#include "usagepanel.h"
#include "document/workbenchstate.h"
#include "nodeitem.h"
#include "runinputsdialog.h"
#include "settingsdialog.h"
#include "llm/endpointprofile.h"
#include "store/runstore.h"
#include "variablespanel.h"
#include "nodepalette.h"
#include "outlinepanel.h"
#include "problemspanel.h"
#include "runoverlay.h"
#include "workflowscene.h"
#include "workflowview.h"

#include <QAction>

#include <algorithm>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGraphicsItem>
#include <QInputDialog>
#include <QLineEdit>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QLocale>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

// Q_INIT_RESOURCE must be used outside any namespace. Referencing the initializer also makes the
// linker keep the resource object that flowbench_app carries from flowbench_resources.
static void initFlowbenchResources()
{
    Q_INIT_RESOURCE(flowbench_resources);
}

namespace flowbench::app {

using document::FileFormat;
using document::Workflow;

namespace {

const QString kRecentFilesKey = QStringLiteral("recentFiles");
const QString kGeometryKey = QStringLiteral("mainWindow/geometry");
const QString kStateKey = QStringLiteral("mainWindow/state");
const QString kLastDirKey = QStringLiteral("lastDirectory");
const QString kExampleResource = QStringLiteral(":/examples/hello_branching.yml");
const QString kTrustedFilesKey = QStringLiteral("trust/files");
const QString kWelcomeKey = QStringLiteral("welcome/showAtStartup");

void trustFile(const QString &absolutePath)
{
    QSettings settings;
    QStringList trusted = settings.value(kTrustedFilesKey).toStringList();
    if (trusted.contains(absolutePath))
        return;
    trusted.prepend(absolutePath);
    while (trusted.size() > 500) // a bounded list; the oldest files ask again
        trusted.removeLast();
    settings.setValue(kTrustedFilesKey, trusted);
}

// "Keep secret values" for the two export commands. Off by default; checking it shows why that
// is risky.
bool askExportOptions(QWidget *parent, const QString &title, document::ExportOptions *options)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(title);
    auto *layout = new QVBoxLayout(&dialog);
    auto *intro = new QLabel(
        MainWindow::tr("Workbench state (breakpoints, pinned outputs) is not exported. Secret "
                       "environment variables are exported with empty values unless you keep "
                       "them."),
        &dialog);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *keep = new QCheckBox(MainWindow::tr("Keep secret values"), &dialog);
    keep->setObjectName(QStringLiteral("export.keepSecrets"));
    layout->addWidget(keep);
    auto *warning = new QLabel(
        MainWindow::tr("<b>Warning:</b> the exported file will contain API keys and other "
                       "secrets in plain text. Do not share it or commit it to version control."),
        &dialog);
    warning->setWordWrap(true);
    warning->setStyleSheet(QStringLiteral("color: #b42318;"));
    warning->setVisible(false);
    layout->addWidget(warning);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(MainWindow::tr("Export…"));
    layout->addWidget(buttons);
    QObject::connect(keep, &QCheckBox::toggled, warning, &QLabel::setVisible);
    QObject::connect(keep, &QCheckBox::toggled, &dialog, [&dialog] { dialog.adjustSize(); });
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    options->keepSecrets = keep->isChecked();
    return true;
}

document::Node makeNode(const Workflow &workflow, const QString &kind, QPointF position)
{
    const nodes::NodeKindInfo *info = nodes::NodeRegistry::instance().find(kind);
    document::Node node;
    node.id = workflow.uniqueNodeId();
    node.data = info && info->defaultData ? info->defaultData()
                                          : document::Json{{"type", kind.toStdString()}};
    const document::Json point = {{"x", position.x()}, {"y", position.y()}};
    const std::string wrapperType = info ? info->wrapperType.toStdString() : "custom";
    node.wrapper = document::Json{{"type", wrapperType},
                                  {"position", point},
                                  {"positionAbsolute", point},
                                  {"width", 244},
                                  {"height", kind == QLatin1String("start") ? 54 : 90},
                                  {"sourcePosition", "right"},
                                  {"targetPosition", "left"},
                                  {"selected", false}};
    return node;
}

} // namespace

// ---- construction -----------------------------------------------------------------------------

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_document(new document::WorkflowDocument(this))
    , m_undoStack(new QUndoStack(this))
{
    initFlowbenchResources();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/flowbench.svg")));

    m_sink = std::make_unique<UndoEditSink>(m_document, m_undoStack);
    m_scene = new canvas::WorkflowScene(m_document, m_sink.get(), this);
    m_view = new canvas::WorkflowView(m_scene, this);
    m_view->setObjectName(QStringLiteral("canvas.view"));
    setCentralWidget(m_view);

    m_autosave = new Autosave(m_document, this);
    m_run = new RunController(m_document, this);
    m_overlay = new canvas::RunOverlay(m_scene, m_sink.get(), this);

    createActions();
    createDocks();
    createMenus();

    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("status.summary"));
    m_statusLabel->setContentsMargins(6, 0, 6, 0);
    statusBar()->addPermanentWidget(m_statusLabel);
    m_runStatusLabel = new QLabel(this);
    m_runStatusLabel->setObjectName(QStringLiteral("status.run"));
    m_runStatusLabel->setContentsMargins(6, 0, 6, 0);
    statusBar()->addWidget(m_runStatusLabel);

    connect(m_run, &RunController::runEvent, this, &MainWindow::onRunEvent);
    connect(m_run, &RunController::runEvent, m_overlay, &canvas::RunOverlay::applyEvent);
    connect(m_run, &RunController::runStarted, m_overlay, [this] { m_overlay->clearRun(); });
    connect(m_problems, &panels::ProblemsPanel::problemsChanged, m_overlay,
            [this] { m_overlay->setProblems(m_problems->problems()); });
    connect(m_document, &document::WorkflowDocument::resetDone, m_overlay,
            [this] { m_overlay->clearRun(); });
    connect(m_scene, &canvas::WorkflowScene::editRefused, this,
            [this](const QString &message) { statusBar()->showMessage(message, 5000); });
    connect(m_scene, &canvas::WorkflowScene::connectionHint, this,
            [this](const QString &message) { statusBar()->showMessage(message, 3000); });
    connect(m_run, &RunController::stateChanged, this, &MainWindow::updateRunActions);
    updateRunActions();

    connect(m_undoStack, &QUndoStack::cleanChanged, this, &MainWindow::updateModified);
    connect(m_document, &document::WorkflowDocument::changed, this, &MainWindow::updateStatus);
    connect(m_problems, &panels::ProblemsPanel::problemsChanged, this, &MainWindow::updateStatus);

    // Canvas ↔ panels, by node id.
    connect(m_problems, &panels::ProblemsPanel::nodeActivated, this,
            [this](const QString &id) { selectAndShow(id, true); });
    connect(m_outline, &panels::OutlinePanel::nodeSelected, this,
            [this](const QString &id) { selectAndShow(id, false); });
    connect(m_scene, &QGraphicsScene::selectionChanged, m_outline, [this] {
        const QStringList ids = m_scene->selectedNodeIds();
        m_outline->setSelectedNodes(ids);
        // One node: its form; none or several: the workflow summary.
        m_inspector->showNode(ids.size() == 1 ? ids.first() : QString());
    });
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &MainWindow::showCanvasMenu);
    connect(m_scene, &canvas::WorkflowScene::nodeActivated, this, [this] {
        m_inspectorDock->show();
        m_inspectorDock->raise();
    });

    resize(1280, 800);
    readSettings();
    setDocument(makeNewWorkflow(false), QString(), false);
}

MainWindow::~MainWindow()
{
    // Panels, the overlay and the scene observe the document (a child created first, so
    // destroyed first by ~QObject): take them down while it still exists.
    qDeleteAll(findChildren<QDockWidget *>(Qt::FindDirectChildrenOnly));
    delete m_overlay;
    m_overlay = nullptr;
    delete m_view;
    m_view = nullptr;
    delete m_scene;
    m_scene = nullptr;
}

void MainWindow::createActions()
{
    QStyle *st = style();
    m_newWorkflowAction = new QAction(st->standardIcon(QStyle::SP_FileIcon), tr("&Workflow"), this);
    m_newWorkflowAction->setShortcut(QKeySequence::New);
    m_newWorkflowAction->setStatusTip(tr("Start a new workflow"));
    m_newWorkflowAction->setIconText(tr("New"));
    connect(m_newWorkflowAction, &QAction::triggered, this, [this] { newDocument(false); });

    m_newChatflowAction = new QAction(tr("&Chatflow"), this);
    m_newChatflowAction->setStatusTip(tr("Start a new chatflow (a conversational workflow)"));
    connect(m_newChatflowAction, &QAction::triggered, this, [this] { newDocument(true); });

    m_openAction = new QAction(st->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open…"), this);
    m_openAction->setShortcut(QKeySequence::Open);
    connect(m_openAction, &QAction::triggered, this, &MainWindow::open);

    m_saveAction = new QAction(st->standardIcon(QStyle::SP_DialogSaveButton), tr("&Save"), this);
    m_saveAction->setShortcut(QKeySequence::Save);
    connect(m_saveAction, &QAction::triggered, this, &MainWindow::save);

    m_saveAsAction = new QAction(tr("Save &As…"), this);
    m_saveAsAction->setShortcut(QKeySequence::SaveAs);
    connect(m_saveAsAction, &QAction::triggered, this, &MainWindow::saveAs);

    m_importAction = new QAction(tr("&Import Dify DSL…"), this);
    m_importAction->setStatusTip(tr("Open a Dify DSL export (.yml) as a new, unsaved document"));
    connect(m_importAction, &QAction::triggered, this, &MainWindow::importDsl);

    m_exportDifyAction = new QAction(tr("&Export for Dify (YAML)…"), this);
    connect(m_exportDifyAction, &QAction::triggered, this,
            [this] { exportFor(FileFormat::DifyYaml); });

    m_exportDeployAction = new QAction(tr("Export JSON for &Deployment…"), this);
    connect(m_exportDeployAction, &QAction::triggered, this,
            [this] { exportFor(FileFormat::DeploymentJson); });

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    // The stack names the command: "Undo Move node".
    m_undoAction = m_undoStack->createUndoAction(this);
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_undoAction->setIcon(st->standardIcon(QStyle::SP_ArrowBack));
    m_openAction->setIconText(tr("Open"));
    m_saveAction->setIconText(tr("Save"));
    m_undoAction->setIconText(tr("Undo")); // the toolbar keeps a short, steady label
    m_redoAction = m_undoStack->createRedoAction(this);
    m_redoAction->setShortcut(QKeySequence::Redo);
    m_redoAction->setIcon(st->standardIcon(QStyle::SP_ArrowForward));
    m_redoAction->setIconText(tr("Redo"));

    // Debug: F5 runs, or continues a paused run, as in Qt Creator and Visual Studio.
    m_runAction = new QAction(st->standardIcon(QStyle::SP_MediaPlay), tr("&Run"), this);
    m_runAction->setObjectName(QStringLiteral("action.run"));
    m_runAction->setShortcut(Qt::Key_F5);
    m_runAction->setStatusTip(tr("Run the workflow (F5); continue a paused run"));
    connect(m_runAction, &QAction::triggered, this, [this] {
        if (m_run->status() == runtime::RunStatus::Paused)
            m_run->resume();
        else
            startRun();
    });
    m_pauseAction = new QAction(st->standardIcon(QStyle::SP_MediaPause), tr("&Pause"), this);
    m_pauseAction->setObjectName(QStringLiteral("action.pause"));
    m_pauseAction->setStatusTip(tr("Pause before the next node starts"));
    connect(m_pauseAction, &QAction::triggered, m_run, &RunController::pause);
    m_stepAction = new QAction(st->standardIcon(QStyle::SP_MediaSkipForward), tr("&Step"), this);
    m_stepAction->setObjectName(QStringLiteral("action.step"));
    m_stepAction->setShortcut(Qt::Key_F10);
    m_stepAction->setStatusTip(tr("Run one node, then pause again (F10)"));
    connect(m_stepAction, &QAction::triggered, m_run, &RunController::step);
    m_stepIntoAction = new QAction(tr("Step &Into Container"), this);
    m_stepIntoAction->setObjectName(QStringLiteral("action.stepInto"));
    m_stepIntoAction->setShortcut(Qt::Key_F11);
    m_stepIntoAction->setStatusTip(
        tr("Paused before an iteration or loop: stop at its first node (F11)"));
    connect(m_stepIntoAction, &QAction::triggered, m_run, &RunController::step);
    m_stopAction = new QAction(st->standardIcon(QStyle::SP_MediaStop), tr("S&top"), this);
    m_stopAction->setObjectName(QStringLiteral("action.stop"));
    m_stopAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    connect(m_stopAction, &QAction::triggered, m_run, &RunController::stop);
    m_breakpointAction = new QAction(tr("Toggle &Breakpoint"), this);
    m_breakpointAction->setObjectName(QStringLiteral("action.toggleBreakpoint"));
    m_breakpointAction->setShortcut(Qt::Key_F9);
    m_breakpointAction->setStatusTip(tr("Pause runs before the selected node starts (F9)"));
    connect(m_breakpointAction, &QAction::triggered, this,
            &MainWindow::toggleBreakpointOnSelection);

    m_aboutAction = new QAction(tr("&About Flowbench"), this);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::about);
}

void MainWindow::createDocks()
{
    m_problems = new panels::ProblemsPanel(m_document, this);
    m_problemsDock = new QDockWidget(tr("Problems"), this);
    m_problemsDock->setObjectName(QStringLiteral("dock.problems"));
    m_problemsDock->setWidget(m_problems);
    addDockWidget(Qt::BottomDockWidgetArea, m_problemsDock);

    m_outline = new panels::OutlinePanel(m_document, this);
    m_outlineDock = new QDockWidget(tr("Outline"), this);
    m_outlineDock->setObjectName(QStringLiteral("dock.outline"));
    m_outlineDock->setWidget(m_outline);
    addDockWidget(Qt::RightDockWidgetArea, m_outlineDock);

    m_palette = new canvas::NodePalette(this);
    m_paletteDock = new QDockWidget(tr("Nodes"), this);
    m_paletteDock->setObjectName(QStringLiteral("dock.palette"));
    m_paletteDock->setWidget(m_palette);
    addDockWidget(Qt::LeftDockWidgetArea, m_paletteDock);
    // Double-click (or Enter) on a palette entry adds the node in the middle of the view.
    connect(m_palette, &canvas::NodePalette::kindActivated, this, [this](const QString &kind) {
        const QPointF centre = m_view->mapToScene(m_view->viewport()->rect().center());
        m_scene->addNodeAt(kind, centre);
        m_view->setFocus();
    });

    m_inspector = new panels::InspectorPanel(m_document, m_sink.get(), this);
    m_inspectorDock = new QDockWidget(tr("Inspector"), this);
    m_inspectorDock->setObjectName(QStringLiteral("dock.inspector"));
    m_inspectorDock->setWidget(m_inspector);
    addDockWidget(Qt::RightDockWidgetArea, m_inspectorDock);
    tabifyDockWidget(m_inspectorDock, m_outlineDock);
    m_inspectorDock->raise();

    // The run's docks sit beside Problems at the bottom.
    m_events = new panels::EventsPanel(m_run, this);
    m_eventsDock = new QDockWidget(tr("Events"), this);
    m_eventsDock->setObjectName(QStringLiteral("dock.events"));
    m_eventsDock->setWidget(m_events);
    addDockWidget(Qt::BottomDockWidgetArea, m_eventsDock);
    m_variables = new panels::VariablesPanel(m_run, this);
    m_variablesDock = new QDockWidget(tr("Variables"), this);
    m_variablesDock->setObjectName(QStringLiteral("dock.variables"));
    m_variablesDock->setWidget(m_variables);
    addDockWidget(Qt::BottomDockWidgetArea, m_variablesDock);
    m_history = new panels::RunHistoryPanel(m_run->runStore(), this);
    m_historyDock = new QDockWidget(tr("Run History"), this);
    m_historyDock->setObjectName(QStringLiteral("dock.runHistory"));
    m_historyDock->setWidget(m_history);
    addDockWidget(Qt::BottomDockWidgetArea, m_historyDock);
    tabifyDockWidget(m_problemsDock, m_eventsDock);
    tabifyDockWidget(m_eventsDock, m_variablesDock);
    m_usageSeries = new metering::UsageSeriesModel(this);
    connect(m_run->ledger(), &metering::Ledger::recorded, m_usageSeries,
            &metering::UsageSeriesModel::add);
    m_usage = new panels::UsagePanel(m_usageSeries, m_run->runStore(), this);
    m_usageDock = new QDockWidget(tr("Usage && Cost"), this);
    m_usageDock->setObjectName(QStringLiteral("dock.usage"));
    m_usageDock->setWidget(m_usage);
    addDockWidget(Qt::BottomDockWidgetArea, m_usageDock);
    connect(m_run, &RunController::runStarted, m_usage, [this] { m_usage->followLiveRuns(); });
    tabifyDockWidget(m_variablesDock, m_historyDock);
    tabifyDockWidget(m_historyDock, m_usageDock);
    connect(m_history, &panels::RunHistoryPanel::runOpened, this,
            [this](const QString &runId, const QList<runtime::RunEvent> &events) {
                showRecordedRun(events);
                m_usage->showRun(runId);
            });
    connect(m_history, &panels::RunHistoryPanel::replayRequested, this, [this](const QString &id) {
        store::RunStore *runs = m_run->runStore();
        const auto recorded = runs ? runs->loadRun(id) : Result<store::RecordedRun>();
        if (!runs || !recorded) {
            QMessageBox::warning(this, tr("Cannot replay"),
                                 recorded ? tr("Runs are not recorded.")
                                          : recorded.error().message);
            return;
        }
        // Every I/O node is served from the recording: an offline, repeatable run.
        if (!m_run->start(store::replayOptions(*recorded)))
            QMessageBox::warning(this, tr("Cannot replay"), m_run->lastError());
    });
    const auto keyHistory = [this] { m_history->setWorkflowKey(m_document->workflow().name()); };
    connect(m_document, &document::WorkflowDocument::resetDone, m_history, keyHistory);
    connect(m_document, &document::WorkflowDocument::appInfoChanged, m_history, keyHistory);
    m_problemsDock->raise();
    connect(m_events, &panels::EventsPanel::nodeActivated, this,
            [this](const QString &id) { selectAndShow(id, true); });

    createChat();

    resizeDocks({m_paletteDock}, {220}, Qt::Horizontal);
    resizeDocks({m_problemsDock}, {220}, Qt::Vertical);
    resizeDocks({m_inspectorDock}, {380}, Qt::Horizontal);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QMenu *newMenu = file->addMenu(tr("&New"));
    newMenu->addAction(m_newWorkflowAction);
    newMenu->addAction(m_newChatflowAction);
    QMenu *examples = file->addMenu(tr("New from &Example"));
    examples->setObjectName(QStringLiteral("menu.examples"));
    const QStringList exampleFiles
        = QDir(QStringLiteral(":/examples"))
              .entryList({QStringLiteral("*.yml")}, QDir::Files, QDir::Name);
    for (const QString &name : exampleFiles) {
        const QString path = QStringLiteral(":/examples/") + name;
        QString title = QFileInfo(name).completeBaseName();
        QFile f(path);
        if (f.open(QIODevice::ReadOnly)) {
            if (auto loaded = document::loadWorkflowText(f.readAll(), FileFormat::DifyYaml, name))
                title = loaded->workflow.name();
        }
        connect(examples->addAction(title), &QAction::triggered, this,
                [this, path] { openExample(path); });
    }
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    rebuildRecentMenu();
    file->addSeparator();
    file->addAction(m_saveAction);
    file->addAction(m_saveAsAction);
    file->addSeparator();
    file->addAction(m_importAction);
    file->addAction(m_exportDifyAction);
    file->addAction(m_exportDeployAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_undoAction);
    edit->addAction(m_redoAction);
    edit->addSeparator();
    createEditActions(edit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_paletteDock->toggleViewAction());
    view->addAction(m_inspectorDock->toggleViewAction());
    view->addAction(m_outlineDock->toggleViewAction());
    view->addAction(m_problemsDock->toggleViewAction());
    view->addAction(m_eventsDock->toggleViewAction());
    view->addAction(m_variablesDock->toggleViewAction());
    view->addAction(m_historyDock->toggleViewAction());
    view->addAction(m_usageDock->toggleViewAction());
    view->addAction(m_chatDock->toggleViewAction());
    view->addSeparator();
    view->addAction(m_view->zoomInAction());
    view->addAction(m_view->zoomOutAction());
    view->addAction(m_view->resetZoomAction());
    view->addAction(m_view->fitAllAction());
    view->addAction(m_view->fitSelectionAction());
    view->addSeparator();
    view->addAction(m_view->minimapAction());
    view->addAction(m_view->findAction());

    QMenu *debug = menuBar()->addMenu(tr("&Debug"));
    debug->addAction(m_runAction);
    debug->addAction(m_pauseAction);
    debug->addAction(m_stepAction);
    debug->addAction(m_stepIntoAction);
    debug->addAction(m_stopAction);
    debug->addSeparator();
    debug->addAction(m_breakpointAction);

    createMetering(menuBar()->addMenu(tr("&Tools")));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_aboutAction);

    QToolBar *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("toolbar.main"));
    toolbar->setMovable(false);
    toolbar->setIconSize(QSize(18, 18));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(m_newWorkflowAction);
    toolbar->addAction(m_openAction);
    toolbar->addAction(m_saveAction);
    toolbar->addSeparator();
    toolbar->addAction(m_undoAction);
    toolbar->addAction(m_redoAction);
    toolbar->addSeparator();
    toolbar->addAction(m_view->fitAllAction());
    toolbar->addSeparator();
    toolbar->addAction(m_runAction);
    toolbar->addAction(m_pauseAction);
    toolbar->addAction(m_stepAction);
    toolbar->addAction(m_stopAction);
    view->insertAction(m_view->fitAllAction(), toolbar->toggleViewAction());
}

void MainWindow::readSettings()
{
    QSettings settings;
    const QByteArray geometry = settings.value(kGeometryKey).toByteArray();
    if (!geometry.isEmpty())
        restoreGeometry(geometry);
    restoreState(settings.value(kStateKey).toByteArray(), kStateVersion);
}

void MainWindow::writeSettings() const
{
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState(kStateVersion));
}

// ---- documents --------------------------------------------------------------------------------

Workflow MainWindow::makeNewWorkflow(bool chatflow)
{
    Workflow workflow;
    workflow.setName(tr("Untitled"));
    workflow.app["mode"] = chatflow ? "advanced-chat" : "workflow";

    const QString endKind = chatflow ? QStringLiteral("answer") : QStringLiteral("end");
    document::Node start = makeNode(workflow, QStringLiteral("start"), QPointF(80, 200));
    workflow.insertNode(start);
    document::Node end = makeNode(workflow, endKind, QPointF(400, 200));
    workflow.insertNode(end);

    document::Edge edge;
    edge.source = start.id;
    edge.target = end.id;
    edge.id = document::makeEdgeId(edge.source, edge.sourceHandle, edge.target);
    edge.wrapper = document::Json{{"type", "custom"},
                                  {"targetHandle", "target"},
                                  {"zIndex", 0},
                                  {"data",
                                   {{"sourceType", "start"},
                                    {"targetType", endKind.toStdString()},
                                    {"isInIteration", false},
                                    {"isInLoop", false}}}};
    workflow.insertEdge(edge);
    return workflow;
}

void MainWindow::setDocument(Workflow workflow, const QString &path, bool modified)
{
    m_undoStack->clear(); // its commands describe the old document
    m_document->reset(std::move(workflow));
    m_undoStack->setClean();
    m_autosave->discard();
    m_filePath = path;
    m_recovered = modified;
    m_autosave->setFilePath(path);
    if (modified)
        m_autosave->saveNow();
    m_problems->refresh();
    updateModified();
    updateStatus();
    QTimer::singleShot(0, m_view, [this] { m_view->fitAll(); });
}

void MainWindow::newDocument(bool chatflow)
{
    if (!maybeSave())
        return;
    setDocument(makeNewWorkflow(chatflow), QString(), false);
}

bool MainWindow::loadFile(const QString &path, bool keepPath)
{
    auto loaded = document::loadWorkflowFile(path);
    if (!loaded) {
        QMessageBox::critical(this, tr("Cannot Open Workflow"),
                              tr("Flowbench cannot open %1.\n\n%2")
                                  .arg(QDir::toNativeSeparators(path), loaded.error().toString()));
        return false;
    }
    const QString absolute = QFileInfo(path).absoluteFilePath();
    setDocument(std::move(loaded->workflow), keepPath ? absolute : QString(), false);
    m_trusted = QSettings().value(kTrustedFilesKey).toStringList().contains(absolute);
    QSettings().setValue(kLastDirKey, QFileInfo(absolute).absolutePath());
    if (keepPath)
        addRecentFile(absolute);
    if (!loaded->warnings.isEmpty())
        statusBar()->showMessage(loaded->warnings.join(QStringLiteral("  ·  ")), 15000);
    return true;
}

bool MainWindow::openFile(const QString &path)
{
    if (!maybeSave())
        return false;
    return loadFile(path, true);
}

bool MainWindow::openBundledExample()
{
    return openExample(kExampleResource);
}

bool MainWindow::openExample(const QString &resourcePath)
{
    if (!maybeSave())
        return false;
    QFile file(resourcePath);
    if (!file.open(QIODevice::ReadOnly)) {
        QMessageBox::critical(this, tr("Cannot Open Example"),
                              tr("The bundled example is missing from this build."));
        return false;
    }
    auto loaded = document::loadWorkflowText(file.readAll(), FileFormat::DifyYaml,
                                             QFileInfo(resourcePath).fileName());
    if (!loaded) {
        QMessageBox::critical(this, tr("Cannot Open Example"), loaded.error().toString());
        return false;
    }
    setDocument(std::move(loaded->workflow), QString(), false);
    m_trusted = true; // shipped with Flowbench
    return true;
}

void MainWindow::open()
{
    if (!maybeSave())
        return;
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Workflow"), dialogDirectory(),
        tr("Workflows (*.json *.yml *.yaml);;Flowbench workflows (*.json);;Dify DSL (*.yml "
           "*.yaml);;All files (*)"));
    if (!path.isEmpty())
        loadFile(path, true);
}

void MainWindow::importDsl()
{
    if (!maybeSave())
        return;
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import Dify DSL"), dialogDirectory(), tr("Dify DSL (*.yml *.yaml)"));
    if (!path.isEmpty())
        loadFile(path, false); // no path: Save asks where, as .json
}

bool MainWindow::save()
{
    if (m_filePath.isEmpty())
        return saveAs();
    return saveToFile(m_filePath);
}

bool MainWindow::saveAs()
{
    QString suggested = m_filePath;
    if (suggested.isEmpty()) {
        QString name = m_document->workflow().name().trimmed();
        name.replace(QRegularExpression(QStringLiteral("[\\\\/:*?\"<>|]")), QStringLiteral("_"));
        if (name.isEmpty())
            name = tr("Untitled");
        suggested = dialogDirectory() + QLatin1Char('/') + name + QStringLiteral(".json");
    }
    QString selectedFilter;
    QString path = QFileDialog::getSaveFileName(
        this, tr("Save Workflow"), suggested,
        tr("Flowbench workflow (*.json);;Dify DSL (*.yml *.yaml)"), &selectedFilter);
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += selectedFilter.contains(QLatin1String("*.yml")) ? QStringLiteral(".yml")
                                                                : QStringLiteral(".json");
    return saveToFile(path);
}

bool MainWindow::saveToFile(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const auto saved = document::saveWorkflowFile(m_document->workflow(), absolute,
                                                  document::formatForPath(absolute));
    if (!saved) {
        QMessageBox::critical(
            this, tr("Cannot Save Workflow"),
            tr("Flowbench cannot save %1.\n\n%2")
                .arg(QDir::toNativeSeparators(absolute), saved.error().toString()));
        return false;
    }
    m_autosave->discard();
    m_filePath = absolute;
    m_autosave->setFilePath(absolute);
    m_recovered = false;
    m_undoStack->setClean();
    QSettings().setValue(kLastDirKey, QFileInfo(absolute).absolutePath());
    addRecentFile(absolute);
    trustFile(absolute); // the user's own file from now on
    m_trusted = true;
    updateModified();
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(absolute)), 4000);
    return true;
}

void MainWindow::exportFor(FileFormat format)
{
    const bool yaml = format == FileFormat::DifyYaml;
    const QString title = yaml ? tr("Export for Dify") : tr("Export JSON for Deployment");
    document::ExportOptions options;
    if (!askExportOptions(this, title, &options))
        return;
    QString base = m_filePath.isEmpty() ? m_document->workflow().name()
                                        : QFileInfo(m_filePath).completeBaseName();
    if (base.trimmed().isEmpty())
        base = tr("Untitled");
    const QString suggested = dialogDirectory() + QLatin1Char('/') + base
                              + (yaml ? QStringLiteral(".yml") : QStringLiteral(".deploy.json"));
    QString path = QFileDialog::getSaveFileName(
        this, title, suggested, yaml ? tr("Dify DSL (*.yml *.yaml)") : tr("JSON (*.json)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += yaml ? QStringLiteral(".yml") : QStringLiteral(".json");
    const auto saved = document::saveWorkflowFile(m_document->workflow(), path, format, options);
    if (!saved) {
        QMessageBox::critical(this, tr("Cannot Export Workflow"), saved.error().toString());
        return;
    }
    statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 4000);
}

bool MainWindow::maybeSave()
{
    if (!isModified())
        return true;
    QMessageBox box(QMessageBox::Warning, tr("Unsaved Changes"),
                    tr("Do you want to save the changes to %1?").arg(displayName()),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setInformativeText(tr("Your changes will be lost if you don't save them."));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save:
        return save();
    case QMessageBox::Discard:
        return true;
    default:
        return false;
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    writeSettings();
    m_autosave->setModified(false);
    m_autosave->discard();
    event->accept();
}

void MainWindow::offerRecovery()
{
    const QList<RecoveryEntry> entries = Autosave::orphans();
    for (const RecoveryEntry &entry : entries) {
        QMessageBox box(
            QMessageBox::Question, tr("Recover Unsaved Changes"),
            tr("Recover unsaved changes from %1?")
                .arg(QLocale().toString(entry.timestamp.toLocalTime(), QLocale::ShortFormat)),
            QMessageBox::NoButton, this);
        box.setInformativeText(entry.originalPath.isEmpty()
                                   ? tr("Flowbench quit before an untitled workflow was saved.")
                                   : tr("Flowbench quit before changes to %1 were saved.")
                                         .arg(QDir::toNativeSeparators(entry.originalPath)));
        QPushButton *recover = box.addButton(tr("Recover"), QMessageBox::AcceptRole);
        QPushButton *discard = box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
        box.addButton(tr("Not Now"), QMessageBox::RejectRole);
        box.setDefaultButton(recover);
        box.exec();
        if (box.clickedButton() == discard) {
            Autosave::remove(entry);
            continue;
        }
        if (box.clickedButton() != recover)
            continue;
        if (!maybeSave())
            return;
        auto loaded = document::loadWorkflowFile(entry.autosavePath);
        if (!loaded) {
            QMessageBox::critical(this, tr("Cannot Recover"), loaded.error().toString());
            continue;
        }
        Autosave::remove(entry); // setDocument writes our own copy at once
        setDocument(std::move(loaded->workflow), entry.originalPath, true);
        return;
    }
}

// ---- state shown to the user ------------------------------------------------------------------

bool MainWindow::isModified() const
{
    return m_recovered || !m_undoStack->isClean();
}

void MainWindow::updateModified()
{
    const bool modified = isModified();
    m_autosave->setModified(modified);
    if (!modified)
        m_autosave->discard(); // back to what is on disk
    updateTitle();
    setWindowModified(modified);
}

QString MainWindow::displayName() const
{
    return m_filePath.isEmpty() ? tr("Untitled") : QFileInfo(m_filePath).fileName();
}

void MainWindow::updateTitle()
{
    setWindowTitle(tr("%1[*] — Flowbench").arg(displayName()));
    setWindowFilePath(m_filePath);
}

QString MainWindow::statusText() const
{
    const Workflow &workflow = m_document->workflow();
    const auto nodeCount = std::count_if(workflow.nodes().cbegin(), workflow.nodes().cend(),
                                         [](const document::Node &n) { return !n.isNote(); });
    return tr("%1 nodes, %2 edges · %3 errors, %4 warnings")
        .arg(qsizetype(nodeCount))
        .arg(qsizetype(workflow.edges().size()))
        .arg(m_problems->errorCount())
        .arg(m_problems->warningCount());
}

void MainWindow::updateStatus()
{
    m_statusLabel->setText(statusText());
}

void MainWindow::addRecentFile(const QString &path)
{
    QSettings settings;
    QStringList files = settings.value(kRecentFilesKey).toStringList();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    settings.setValue(kRecentFilesKey, files);
}

void MainWindow::rebuildRecentMenu()
{
    QSettings settings;
    const QStringList stored = settings.value(kRecentFilesKey).toStringList();
    QStringList files;
    for (const QString &file : stored) {
        if (QFileInfo::exists(file) && !files.contains(file))
            files.append(file);
    }
    if (files != stored)
        settings.setValue(kRecentFilesKey, files); // stale entries go

    m_recentMenu->clear();
    for (int i = 0; i < files.size() && i < kMaxRecentFiles; ++i) {
        const QString file = files.at(i);
        const QString label = QStringLiteral("&%1 %2").arg(
            i + 1 < 10 ? QString::number(i + 1) : QStringLiteral("0"), QFileInfo(file).fileName());
        QAction *action = m_recentMenu->addAction(label);
        action->setToolTip(QDir::toNativeSeparators(file));
        action->setStatusTip(QDir::toNativeSeparators(file));
        connect(action, &QAction::triggered, this, [this, file] { openFile(file); });
    }
    m_recentMenu->setEnabled(!files.isEmpty());
    if (!files.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear Menu"), this,
                                [] { QSettings().remove(kRecentFilesKey); });
    }
}

QString MainWindow::dialogDirectory() const
{
    if (!m_filePath.isEmpty())
        return QFileInfo(m_filePath).absolutePath();
    const QString last = QSettings().value(kLastDirKey).toString();
    if (!last.isEmpty() && QFileInfo(last).isDir())
        return last;
    return QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
}

void MainWindow::selectAndShow(const QString &id, bool centre)
{
    m_scene->selectNodes({id});
    if (centre)
        m_view->centerOnNode(id);
    else
        m_view->ensureVisible(m_scene->nodeSceneRect(id), 40, 40);
    if (centre)
        m_view->setFocus();
}

void MainWindow::fitAll()
{
    m_view->fitAll();
}

void MainWindow::about()
{
    QMessageBox::about(this, tr("About Flowbench"),
                       tr("<h3>Flowbench %1</h3>"
                          "<p>A native workbench for designing and debugging Dify-compatible LLM "
                          "workflows.</p>"
                          "<p>Built with Qt %2, running on Qt %3.</p>")
                           .arg(QStringLiteral(FLOWBENCH_VERSION), QStringLiteral(QT_VERSION_STR),
                                QString::fromLatin1(qVersion())));
}

// ---- editing ---------------------------------------------------------------------------------

void MainWindow::createEditActions(QMenu *edit)
{
    using document::Alignment;
    const auto add = [this, edit](const QString &text, const QKeySequence &shortcut,
                                  const QString &name, auto slot) {
        auto *action = new QAction(text, this);
        action->setObjectName(name);
        action->setShortcut(shortcut);
        // The canvas's shortcuts must not steal keys from text fields in docks.
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_view->addAction(action);
        connect(action, &QAction::triggered, this, slot);
        edit->addAction(action);
        return action;
    };
    add(tr("Cu&t"), QKeySequence::Cut, QStringLiteral("action.cut"),
        [this] { m_scene->cutSelection(); });
    add(tr("&Copy"), QKeySequence::Copy, QStringLiteral("action.copy"),
        [this] { m_scene->copySelection(); });
    add(tr("&Paste"), QKeySequence::Paste, QStringLiteral("action.paste"),
        [this] { m_scene->paste(); });
    add(tr("D&uplicate"), QKeySequence(Qt::CTRL | Qt::Key_D), QStringLiteral("action.duplicate"),
        [this] { m_scene->duplicateSelection(); });
    add(tr("&Delete"), QKeySequence::Delete, QStringLiteral("action.delete"),
        [this] { m_scene->deleteSelection(); });
    edit->addSeparator();
    add(tr("Select &All"), QKeySequence::SelectAll, QStringLiteral("action.selectAll"),
        [this] { m_scene->selectAll(); });
    edit->addSeparator();

    QMenu *align = edit->addMenu(tr("A&lign"));
    const struct
    {
        QString text;
        Alignment alignment;
    } alignments[] = {
        {tr("&Left Edges"), Alignment::Left},
        {tr("&Horizontal Centres"), Alignment::HorizontalCenter},
        {tr("&Right Edges"), Alignment::Right},
        {tr("&Top Edges"), Alignment::Top},
        {tr("&Vertical Centres"), Alignment::VerticalCenter},
        {tr("&Bottom Edges"), Alignment::Bottom},
    };
    for (const auto &a : alignments) {
        const Alignment alignment = a.alignment;
        connect(align->addAction(a.text), &QAction::triggered, this,
                [this, alignment] { m_scene->alignSelection(alignment); });
    }
    QMenu *distribute = edit->addMenu(tr("Dis&tribute"));
    connect(distribute->addAction(tr("&Horizontally")), &QAction::triggered, this,
            [this] { m_scene->distributeSelection(Qt::Horizontal); });
    connect(distribute->addAction(tr("&Vertically")), &QAction::triggered, this,
            [this] { m_scene->distributeSelection(Qt::Vertical); });
    add(tr("Auto &Layout"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L),
        QStringLiteral("action.autoLayout"), [this] { m_scene->autoLayout(false); });
    add(tr("Lay Out &Selection"), QKeySequence(), QStringLiteral("action.layoutSelection"),
        [this] { m_scene->autoLayout(true); });
    edit->addSeparator();
    auto *workflowSettings = edit->addAction(tr("&Workflow Settings…"));
    workflowSettings->setObjectName(QStringLiteral("action.workflowSettings"));
    connect(workflowSettings, &QAction::triggered, m_inspector,
            &panels::InspectorPanel::openWorkflowSettings);
    auto *settings = edit->addAction(tr("Se&ttings…"));
    settings->setObjectName(QStringLiteral("action.settings"));
    settings->setMenuRole(QAction::PreferencesRole);
    settings->setShortcut(QKeySequence::Preferences);
    connect(settings, &QAction::triggered, this, &MainWindow::openSettings);
}

void MainWindow::toggleBreakpointOnSelection()
{
    const QStringList ids = m_scene->selectedNodeIds();
    if (ids.isEmpty()) {
        statusBar()->showMessage(tr("Select a node to set a breakpoint on it."), 4000);
        return;
    }
    m_overlay->toggleSelectedBreakpoints(); // one undo step for all of them
}

// ---- runs ------------------------------------------------------------------------------------

// "Estimated cost: $0.0012 – $0.0150 (1,240 prompt tokens, at most 4,096 completion tokens;
// 1 node unpriced)".
static QString describeEstimate(const metering::CostEstimate &estimate)
{
    const QLocale locale;
    QString text = MainWindow::tr("Estimated cost: $%1 – $%2 (%3 prompt tokens, at most %4 "
                                  "completion tokens)")
                       .arg(QString::number(estimate.minCostUsd, 'f', 4),
                            QString::number(estimate.maxCostUsd, 'f', 4),
                            locale.toString(estimate.promptTokens),
                            locale.toString(estimate.maxCompletionTokens));
    if (estimate.unpricedNodes > 0)
        text += QLatin1Char(' ')
                + MainWindow::tr("%n LLM node(s) unpriced: set their prices in Tools › Model "
                                 "Prices.",
                                 nullptr, estimate.unpricedNodes);
    return text;
}

bool MainWindow::confirmTrust()
{
    if (m_trusted)
        return true;
    QStringList risky;
    for (const document::Node &node : m_document->workflow().nodes()) {
        const QString kind = node.kind();
        if (kind == QLatin1String("code") || kind == QLatin1String("http-request")
            || kind == QLatin1String("tool") || kind == QLatin1String("agent"))
            risky << QStringLiteral("%1 (%2)").arg(node.title(), kind);
    }
    if (risky.isEmpty())
        return true;
    QMessageBox box(QMessageBox::Warning, tr("Run a workflow from elsewhere?"),
                    tr("%1 was not made on this computer. Running it executes its code and "
                       "sends its HTTP requests:\n\n%2\n\nRun it only if you trust where it "
                       "came from.")
                        .arg(displayName(), risky.join(QLatin1Char('\n'))),
                    QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("dialog.trust"));
    QPushButton *trust = box.addButton(tr("Trust and Run"), QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != trust)
        return false;
    m_trusted = true;
    if (!m_filePath.isEmpty())
        trustFile(m_filePath);
    return true;
}

void MainWindow::startRun()
{
    if (!confirmTrust())
        return;
    runtime::RunOptions options;
    // Ask for the start node's inputs (remembered per workflow); nothing to ask, no dialog.
    panels::RunInputsDialog inputs(m_document->workflow(), this);
    const auto &nodes = m_document->workflow().nodes();
    if (std::any_of(nodes.cbegin(), nodes.cend(),
                    [](const document::Node &n) { return metering::isLlmFamily(n.kind()); })) {
        inputs.setCostEstimate(tr("Estimating the cost…"));
        QPointer<panels::RunInputsDialog> dialog(&inputs);
        m_run->estimateCost(inputs.runInputs().inputs, inputs.runInputs().query, &inputs,
                            [dialog](const metering::CostEstimate &estimate) {
                                if (dialog)
                                    dialog->setCostEstimate(describeEstimate(estimate));
                            });
    }
    if (inputs.hasFields()) {
        if (inputs.exec() != QDialog::Accepted)
            return;
        inputs.runInputs().applyTo(options);
    }
    if (!m_run->start(std::move(options))) {
        QMessageBox::warning(this, tr("Cannot run"), m_run->lastError());
        return;
    }
}

void MainWindow::showRecordedRun(const QList<runtime::RunEvent> &events)
{
    if (m_run->isActive()) {
        statusBar()->showMessage(tr("Stop the current run to look at a recorded one."), 5000);
        return;
    }
    m_overlay->clearRun();
    for (const runtime::RunEvent &event : events)
        m_overlay->applyEvent(event);
    statusBar()->showMessage(
        tr("Showing a recorded run (%n event(s))", nullptr, int(events.size())), 5000);
}

void MainWindow::showCanvasMenu(const QPoint &viewPos)
{
    // The node under the cursor (through decorations and ports), made the selection.
    QString nodeId;
    for (QGraphicsItem *item : m_view->items(viewPos)) {
        if (item->type() == canvas::NodeItem::Type) {
            nodeId = static_cast<canvas::NodeItem *>(item)->nodeId();
            break;
        }
    }
    const document::Node *node = m_document->workflow().node(nodeId);
    if (!node || node->isNote())
        return;
    if (!m_scene->selectedNodeIds().contains(nodeId))
        m_scene->selectNodes({nodeId});

    QMenu menu(this);
    using Cap = runtime::Debugger::Capability;
    QAction *runTo = menu.addAction(tr("Run to &Here"));
    runTo->setEnabled(m_run->can(Cap::RunToNode));
    connect(runTo, &QAction::triggered, this, [this, nodeId] {
        if (confirmTrust())
            m_run->runTo(nodeId);
    });
    QAction *runThis = menu.addAction(tr("Run &This Node…"));
    runThis->setEnabled(m_run->can(Cap::Run));
    connect(runThis, &QAction::triggered, this, [this, nodeId] { runSingleNode(nodeId); });
    QAction *rerun = menu.addAction(tr("&Re-run from Here"));
    rerun->setEnabled(m_run->can(Cap::Run) && m_run->engine());
    connect(rerun, &QAction::triggered, this, [this, nodeId] {
        if (confirmTrust() && !m_run->rerunFrom(nodeId))
            QMessageBox::warning(this, tr("Cannot re-run"), m_run->lastError());
    });
    menu.addSeparator();
    menu.addAction(m_breakpointAction);
    QAction *condition = menu.addAction(tr("Breakpoint &Condition…"));
    connect(condition, &QAction::triggered, this, [this, nodeId] {
        bool ok = false;
        const QString current
            = document::workbenchState(m_document->workflow()).breakpointConditions.value(nodeId);
        const QString text = QInputDialog::getText(
            this, tr("Breakpoint Condition"),
            tr("Pause only when this JavaScript expression is true (empty: always).\n"
               "Example: v(\"sys.query\").includes(\"refund\")"),
            QLineEdit::Normal, current, &ok);
        if (ok)
            m_overlay->setBreakpointCondition(nodeId, text);
    });
    menu.addSeparator();
    const bool pinned
        = document::workbenchState(m_document->workflow()).pinnedOutputs.contains(nodeId);
    QAction *pin = menu.addAction(pinned ? tr("&Unpin Output") : tr("&Pin Output…"));
    connect(pin, &QAction::triggered, this, [this, nodeId, pinned] {
        if (pinned)
            m_sink->applyEdit(document::makeUnpinOutputsEdit(m_document->workflow(), nodeId));
        else
            pinOutputs(nodeId);
    });
    QAction *fail = menu.addAction(tr("&Force Failure"));
    fail->setCheckable(true);
    fail->setChecked(m_run->isFailureForced(nodeId));
    fail->setToolTip(tr("The node fails in the next runs, so its error strategy can be tried"));
    connect(fail, &QAction::toggled, this, [this, nodeId](bool on) {
        m_run->setForcedFailure(nodeId, on ? tr("Failure forced from the workbench") : QString());
    });
    menu.exec(m_view->viewport()->mapToGlobal(viewPos));
}

void MainWindow::runSingleNode(const QString &nodeId)
{
    if (!confirmTrust())
        return;
    // Prefilled from the current (or last) run's pool; every value can be edited.
    panels::SingleNodeInputsDialog dialog(m_document->workflow(), nodeId, m_run->poolSnapshot(),
                                          this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (!m_run->runSingleNode(nodeId, dialog.poolSnapshot()))
        QMessageBox::warning(this, tr("Cannot run the node"), m_run->lastError());
}

void MainWindow::pinOutputs(const QString &nodeId)
{
    // From the last run when it has the node's outputs, else an empty object to fill in.
    const runtime::Json pool = m_run->poolSnapshot();
    const runtime::Json last = pool.value(nodeId.toStdString(), runtime::Json::object());
    bool ok = false;
    const QString text = QInputDialog::getMultiLineText(
        this, tr("Pin Output"),
        tr("The node will not run; later nodes read these outputs (a JSON object):"),
        QString::fromStdString(last.dump(2)), &ok);
    if (!ok)
        return;
    const runtime::Json outputs = runtime::Json::parse(text.toStdString(), nullptr, false);
    if (!outputs.is_object()) {
        QMessageBox::warning(this, tr("Pin Output"),
                             tr("The outputs must be a JSON object, like {\"text\": \"…\"}."));
        return;
    }
    m_sink->applyEdit(document::makePinOutputsEdit(m_document->workflow(), nodeId, outputs));
}

void MainWindow::showWelcome()
{
    if (!QSettings().value(kWelcomeKey, true).toBool())
        return;
    QDialog dialog(this);
    dialog.setObjectName(QStringLiteral("dialog.welcome"));
    dialog.setWindowTitle(tr("Welcome to Flowbench"));
    auto *layout = new QVBoxLayout(&dialog);
    auto *intro = new QLabel(
        tr("<h2>Welcome to Flowbench</h2>"
           "<p>Design Dify-compatible workflows, run them against vLLM or any "
           "OpenAI-compatible endpoint, and debug them step by step.</p>"
           "<p>Runs use the built-in <b>Simulator</b> endpoint until you set up your own, so "
           "every example works offline.</p>"),
        &dialog);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    const auto addChoice = [&](const QString &text, const QString &name, auto slot) {
        auto *button = new QPushButton(text, &dialog);
        button->setObjectName(name);
        connect(button, &QPushButton::clicked, &dialog, [&dialog, slot] {
            dialog.accept();
            slot();
        });
        layout->addWidget(button);
    };
    addChoice(tr("Open an Example"), QStringLiteral("welcome.example"),
              [this] { openBundledExample(); });
    addChoice(tr("Import a Dify DSL File…"), QStringLiteral("welcome.import"),
              [this] { importDsl(); });
    addChoice(tr("Set Up an Endpoint…"), QStringLiteral("welcome.endpoint"),
              [this] { openSettings(); });
    auto *again = new QCheckBox(tr("Show this at startup"), &dialog);
    again->setChecked(true);
    layout->addWidget(again);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog.exec();
    QSettings().setValue(kWelcomeKey, again->isChecked());
}

void MainWindow::createChat()
{
    m_profiles = std::make_unique<llm::ProfileStore>();
    if (auto loaded = m_profiles->load(); !loaded) // a broken file: the built-in profiles
        qWarning("flowbench: %s", qPrintable(loaded.error().toString()));
    m_chat = new panels::ChatPanel(this);
    m_chat->setProfileStore(m_profiles.get());
    m_chat->setPriceTable(m_run->ledger()->priceTable());
    m_chatDock = new QDockWidget(tr("Chat"), this);
    m_chatDock->setObjectName(QStringLiteral("dock.chat"));
    m_chatDock->setWidget(m_chat);
    addDockWidget(Qt::RightDockWidgetArea, m_chatDock);
    tabifyDockWidget(m_outlineDock, m_chatDock);
    m_inspectorDock->raise();
    connect(m_chat, &panels::ChatPanel::workflowMessageRequested, this, &MainWindow::runChatTurn);
    connect(m_chat, &panels::ChatPanel::stopWorkflowRequested, m_run, [this] {
        if (m_chatTurnRunning)
            m_run->stop();
    });
    // Workflow mode: the turn's run shows inline in the chat and in the workbench panels. The
    // turn ends at the run's final event (not at `finished`, which comes a loop turn later:
    // by then the next message may have started the next run).
    connect(m_run, &RunController::runEvent, m_chat, [this](const runtime::RunEvent &event) {
        if (!m_chatTurnRunning)
            return;
        m_chat->appendWorkflowEvent(event);
        if (!event.isRunFinished())
            return;
        m_chatTurnRunning = false;
        const QString answer
            = event.outputs.is_object()
                  ? QString::fromStdString(event.outputs.value("answer", std::string()))
                  : QString();
        const bool ok = event.type == runtime::RunEvent::Type::RunSucceeded
                        || event.type == runtime::RunEvent::Type::RunPartialSucceeded;
        // The turn joins the conversation in the run store, as `flowbench run
        // --conversation-id` and `flowbench serve` keep it.
        if (ok && m_run->runStore()) {
            const runtime::Json pool = m_run->poolSnapshot();
            (void)m_run->runStore()->appendTurn(
                m_chat->conversationId(), event.runId, m_chatQuery, answer,
                pool.value("conversation", runtime::Json::object()));
        }
        m_chat->finishWorkflowTurn(answer, ok ? QString() : event.error);
    });
    connect(m_run, &RunController::startFailed, m_chat, [this](const QString &message) {
        if (!m_chatTurnRunning)
            return;
        m_chatTurnRunning = false;
        m_chat->finishWorkflowTurn({}, message);
    });
}

void MainWindow::runChatTurn(const QString &query, const QStringList &files,
                             const QString &conversationId, int dialogueCount)
{
    if (m_document->workflow().mode() != document::AppMode::AdvancedChat) {
        m_chat->finishWorkflowTurn(
            {}, tr("The open workflow is not a chatflow: open or create a chatflow to chat "
                   "with it, or switch the chat to Endpoint mode."));
        return;
    }
    if (!confirmTrust()) {
        m_chat->finishWorkflowTurn({}, tr("Not run: the workflow is not trusted."));
        return;
    }
    runtime::RunOptions options;
    options.query = query;
    for (const QString &path : files)
        options.files.push_back(nodes::localFileObject(path));
    options.conversationId = conversationId;
    options.dialogueCount = dialogueCount;
    // Earlier turns (memory) and the conversation variables they left.
    if (store::RunStore *runs = m_run->runStore()) {
        if (auto conversation = runs->loadConversation(conversationId)) {
            options.conversationHistory = conversation->history;
            options.conversationVariables = conversation->conversationVariables;
        }
    }
    m_chatQuery = query;
    m_chatTurnRunning = true;
    if (!m_run->start(std::move(options))) {
        m_chatTurnRunning = false;
        m_chat->finishWorkflowTurn({}, m_run->lastError());
    }
}

void MainWindow::createMetering(QMenu *tools)
{
    // Prometheus counters of every run, and the alert rules the user keeps.
    m_metrics = new metering::TokenMetrics(this);
    connect(m_run->ledger(), &metering::Ledger::recorded, m_metrics,
            &metering::TokenMetrics::addUsage);
    connect(m_run->ledger(), &metering::Ledger::runEventSeen, m_metrics,
            &metering::TokenMetrics::addRunEvent);
    m_alerts = new metering::AlertEngine(this);
    m_alerts->setDebugger(m_run); // "pause the run" rules
    if (auto rules = panels::loadAlertRules())
        m_alerts->setRules(*rules);
    connect(m_run->ledger(), &metering::Ledger::recorded, m_alerts,
            &metering::AlertEngine::addUsage);
    connect(m_alerts, &metering::AlertEngine::alert, this, [this](const metering::Alert &alert) {
        statusBar()->showMessage(tr("Usage alert: %1").arg(alert.message), 15000);
        if (QSystemTrayIcon::isSystemTrayAvailable() && QSystemTrayIcon::supportsMessages()) {
            auto *tray = findChild<QSystemTrayIcon *>();
            if (!tray) {
                tray = new QSystemTrayIcon(windowIcon(), this);
                tray->show();
            }
            tray->showMessage(tr("Flowbench usage alert"), alert.message, QSystemTrayIcon::Warning);
        }
    });

    QAction *prices = tools->addAction(tr("Model &Prices…"));
    prices->setObjectName(QStringLiteral("action.prices"));
    connect(prices, &QAction::triggered, this, [this] {
        panels::PriceEditor editor(m_run->ledger()->priceTable(), this);
        connect(
            &editor, &panels::PriceEditor::saved, this,
            [this](const metering::PriceTable &table) { m_run->ledger()->setPriceTable(table); });
        editor.exec();
    });
    QAction *alerts = tools->addAction(tr("Usage &Alerts…"));
    alerts->setObjectName(QStringLiteral("action.alerts"));
    connect(alerts, &QAction::triggered, this, [this] {
        panels::AlertRulesDialog dialog(m_alerts->rules(), this);
        connect(
            &dialog, &panels::AlertRulesDialog::saved, m_alerts,
            [this](const std::vector<metering::AlertRule> &rules) { m_alerts->setRules(rules); });
        connect(&dialog, &panels::AlertRulesDialog::pluginConfigImported, this,
                [this](const metering::PluginConfig &config) {
                    QSettings().setValue(QStringLiteral("metrics/port"), config.prometheusPort);
                    setMetricsEndpoint(config.prometheusEnabled);
                });
        dialog.exec();
    });
    tools->addSeparator();
    QAction *metrics = tools->addAction(tr("Serve Prometheus &Metrics"));
    metrics->setObjectName(QStringLiteral("action.metrics"));
    metrics->setCheckable(true);
    metrics->setStatusTip(tr("Expose /metrics on 127.0.0.1 (port from the settings, 9091 by "
                             "default) for a Prometheus server to scrape"));
    connect(metrics, &QAction::toggled, this, &MainWindow::setMetricsEndpoint);
    metrics->setChecked(QSettings().value(QStringLiteral("metrics/enabled"), false).toBool());
}

void MainWindow::setMetricsEndpoint(bool enabled)
{
    QSettings().setValue(QStringLiteral("metrics/enabled"), enabled);
    if (auto *action = findChild<QAction *>(QStringLiteral("action.metrics")))
        action->setChecked(enabled); // when the plugin config switched it
    if (!enabled) {
        delete m_metricsServer;
        m_metricsServer = nullptr;
        return;
    }
    if (m_metricsServer)
        return;
    const int port
        = QSettings()
              .value(QStringLiteral("metrics/port"), int(metering::MetricsServer::kDefaultPort))
              .toInt();
    m_metricsServer = new metering::MetricsServer(&m_metrics->registry(), this);
    if (auto listening = m_metricsServer->listen(quint16(port)); !listening) {
        statusBar()->showMessage(tr("Cannot serve metrics: %1").arg(listening.error().message),
                                 10000);
        delete m_metricsServer;
        m_metricsServer = nullptr;
        return;
    }
    statusBar()->showMessage(
        tr("Prometheus metrics at http://127.0.0.1:%1/metrics").arg(m_metricsServer->port()),
        10000);
}

void MainWindow::openSettings()
{
    (void)m_profiles->load(); // another window or the command line may have changed it
    panels::SettingsDialog dialog(m_profiles.get(), this);
    dialog.exec();
    m_chat->setProfileStore(m_profiles.get()); // the chat's profile list follows the changes
}

void MainWindow::updateRunActions()
{
    using Cap = runtime::Debugger::Capability;
    const bool paused = m_run->can(Cap::Continue);
    m_runAction->setText(paused ? tr("&Continue") : tr("&Run"));
    m_runAction->setIconText(paused ? tr("Continue") : tr("Run"));
    m_runAction->setEnabled(paused || m_run->can(Cap::Run));
    m_pauseAction->setEnabled(m_run->can(Cap::Pause));
    m_stepAction->setEnabled(m_run->can(Cap::Step));
    m_stepIntoAction->setEnabled(m_run->can(Cap::StepInto));
    m_stopAction->setEnabled(m_run->can(Cap::Stop));
}

void MainWindow::onRunEvent(const runtime::RunEvent &event)
{
    using Type = runtime::RunEvent::Type;
    switch (event.type) {
    case Type::RunStarted:
        m_eventsDock->raise();
        m_runNodesFinished = 0;
        m_runStatusLabel->setText(tr("Running…"));
        break;
    case Type::NodeSucceeded:
    case Type::NodeFailed:
    case Type::NodeException:
        ++m_runNodesFinished;
        if (m_run->status() == runtime::RunStatus::Running)
            m_runStatusLabel->setText(
                tr("Running: %n node(s) finished", nullptr, m_runNodesFinished));
        break;
    case Type::RunPaused:
        m_variablesDock->raise(); // what a person looks at when a breakpoint hits
        m_runStatusLabel->setText(
            tr("Paused before %1").arg(event.nodeTitle.isEmpty() ? event.nodeId : event.nodeTitle));
        break;
    case Type::RunResumed:
        m_runStatusLabel->setText(tr("Running…"));
        break;
    case Type::RunSucceeded:
    case Type::RunPartialSucceeded:
        m_runStatusLabel->setText(
            tr("Run succeeded in %1 s")
                .arg(QLocale().toString(double(event.elapsedMs) / 1000.0, 'f', 2)));
        break;
    case Type::RunFailed:
        m_runStatusLabel->setText(tr("Run failed: %1").arg(event.error));
        break;
    case Type::RunStopped:
        m_runStatusLabel->setText(tr("Run stopped"));
        break;
    default:
        break;
    }
}

} // namespace flowbench::app

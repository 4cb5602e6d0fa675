#pragma once

#include <QMainWindow>
#include <QString>

#include <memory>

#include "document/dslio.h"
#include "document/workflow.h"
#include "runtime/runevent.h"

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QUndoStack;

namespace flowbench::document {
class WorkflowDocument;
}
namespace flowbench::canvas {
class NodePalette;
class RunOverlay;
class WorkflowScene;
class WorkflowView;
} // namespace flowbench::canvas
namespace flowbench::panels {
class EventsPanel;
class ChatPanel;
class RunHistoryPanel;
class UsagePanel;
class InspectorPanel;
class VariablesPanel;
class OutlinePanel;
class ProblemsPanel;
} // namespace flowbench::panels

namespace flowbench::metering {
class AlertEngine;
class MetricsServer;
class TokenMetrics;
class UsageSeriesModel;
} // namespace flowbench::metering

namespace flowbench::llm {
class ProfileStore;
}

namespace flowbench::app {

class Autosave;
class RunController;
class UndoEditSink;

// The workbench window: the canvas in the middle, the Problems dock ("dock.problems") at the
// bottom and the Outline dock ("dock.outline") on the right, File/Edit/View/Help menus, an undo
// stack whose commands hold document edits, autosave, and settings (QSettings "Flowbench").
//
// It owns the open WorkflowDocument; canvas and panels observe it and send edits through an
// EditSink that pushes undo commands. The window is modified while the undo stack is not clean
// (or after a recovery until the next save); the title is "<file name>[*] — Flowbench".
//
//     MainWindow window;
//     window.show();
//     window.openFile(path); // shows a message box and returns false when it cannot
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a workflow file (native JSON or Dify YAML; the path is kept, so Save writes the same
    // format back). Asks to save unsaved changes first. On failure shows the error and returns
    // false, leaving the current document as it was.
    bool openFile(const QString &path);
    // Opens the bundled example (:/examples/hello_branching.yml) as an untitled document.
    bool openBundledExample();
    // Offers to recover documents autosaved by a process that is no longer running.
    void offerRecovery();
    // First start (and later, unless turned off): open an example, import a Dify DSL file or
    // set up an endpoint. The built-in simulator profile is the default until then.
    void showWelcome();
    // Opens a bundled example (":/examples/NAME.yml") as an untitled document.
    bool openExample(const QString &resourcePath);
    // Whether the open document may run code and HTTP nodes without asking: documents made
    // here, bundled examples and files this user saved or trusted are; a file opened from
    // elsewhere asks once (the answer is remembered per file).
    [[nodiscard]] bool isTrusted() const { return m_trusted; }
    // Starts a new document: Start → End (workflow) or Start → Answer (chatflow).
    void newDocument(bool chatflow = false);
    // Saves to `path` without asking (format from the extension); errors are shown.
    bool saveToFile(const QString &path);

    void fitAll();

    [[nodiscard]] document::WorkflowDocument *document() const { return m_document; }
    [[nodiscard]] QUndoStack *undoStack() const { return m_undoStack; }
    [[nodiscard]] canvas::WorkflowScene *scene() const { return m_scene; }
    [[nodiscard]] canvas::WorkflowView *view() const { return m_view; }
    [[nodiscard]] panels::ProblemsPanel *problemsPanel() const { return m_problems; }
    [[nodiscard]] panels::OutlinePanel *outlinePanel() const { return m_outline; }
    [[nodiscard]] panels::InspectorPanel *inspector() const { return m_inspector; }
    [[nodiscard]] panels::EventsPanel *eventsPanel() const { return m_events; }
    [[nodiscard]] panels::RunHistoryPanel *runHistoryPanel() const { return m_history; }
    [[nodiscard]] panels::UsagePanel *usagePanel() const { return m_usage; }
    [[nodiscard]] panels::ChatPanel *chatPanel() const { return m_chat; }
    [[nodiscard]] metering::MetricsServer *metricsServer() const { return m_metricsServer; }
    [[nodiscard]] panels::VariablesPanel *variablesPanel() const { return m_variables; }
    [[nodiscard]] Autosave *autosave() const { return m_autosave; }
    [[nodiscard]] RunController *runController() const { return m_run; }
    [[nodiscard]] canvas::RunOverlay *runOverlay() const { return m_overlay; }
    [[nodiscard]] canvas::NodePalette *palette() const { return m_palette; }
    [[nodiscard]] QAction *runAction() const { return m_runAction; }
    [[nodiscard]] QAction *undoAction() const { return m_undoAction; }
    [[nodiscard]] QAction *redoAction() const { return m_redoAction; }
    [[nodiscard]] QString filePath() const { return m_filePath; }
    [[nodiscard]] bool isModified() const;
    [[nodiscard]] QString statusText() const;

    // A new, valid workflow: Start at (80,200) and End (or Answer, for a chatflow) at (400,200),
    // connected, their data from the node registry's defaults.
    static document::Workflow makeNewWorkflow(bool chatflow);

    static constexpr int kMaxRecentFiles = 10;
    static constexpr int kStateVersion = 3; // 3: palette, inspector, events, variables

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createDocks();
    void readSettings();
    void writeSettings() const;

    bool maybeSave();
    bool save();
    bool saveAs();
    void open();
    void importDsl();
    void exportFor(document::FileFormat format);
    void about();

    void createEditActions(QMenu *edit);
    void toggleBreakpointOnSelection();
    void startRun();
    bool confirmTrust();
    void showRecordedRun(const QList<runtime::RunEvent> &events);
    void openSettings();
    void createMetering(QMenu *tools);
    void createChat();
    void runChatTurn(const QString &query, const QStringList &files, const QString &conversationId,
                     int dialogueCount);
    void setMetricsEndpoint(bool enabled);
    void showCanvasMenu(const QPoint &viewPos);
    void runSingleNode(const QString &nodeId);
    void pinOutputs(const QString &nodeId);
    void updateRunActions();
    void onRunEvent(const runtime::RunEvent &event);

    bool loadFile(const QString &path, bool keepPath);
    void setDocument(document::Workflow workflow, const QString &path, bool modified);
    void updateModified();
    void updateTitle();
    void updateStatus();
    void addRecentFile(const QString &path);
    void rebuildRecentMenu();
    void selectAndShow(const QString &id, bool centre);
    [[nodiscard]] QString displayName() const;
    [[nodiscard]] QString dialogDirectory() const;

    document::WorkflowDocument *m_document = nullptr;
    QUndoStack *m_undoStack = nullptr;
    std::unique_ptr<UndoEditSink> m_sink;
    canvas::WorkflowScene *m_scene = nullptr;
    canvas::WorkflowView *m_view = nullptr;
    panels::ProblemsPanel *m_problems = nullptr;
    panels::OutlinePanel *m_outline = nullptr;
    QDockWidget *m_problemsDock = nullptr;
    QDockWidget *m_outlineDock = nullptr;
    QDockWidget *m_paletteDock = nullptr;
    QDockWidget *m_inspectorDock = nullptr;
    panels::InspectorPanel *m_inspector = nullptr;
    QDockWidget *m_eventsDock = nullptr;
    panels::EventsPanel *m_events = nullptr;
    QDockWidget *m_variablesDock = nullptr;
    panels::VariablesPanel *m_variables = nullptr;
    QDockWidget *m_historyDock = nullptr;
    panels::RunHistoryPanel *m_history = nullptr;
    QDockWidget *m_usageDock = nullptr;
    QDockWidget *m_chatDock = nullptr;
    panels::ChatPanel *m_chat = nullptr;
    std::unique_ptr<llm::ProfileStore> m_profiles; // endpoint profiles: the chat and Settings
    bool m_chatTurnRunning = false; // the current run is a chat turn of the open chatflow
    QString m_chatQuery;
    panels::UsagePanel *m_usage = nullptr;
    metering::UsageSeriesModel *m_usageSeries = nullptr;
    metering::AlertEngine *m_alerts = nullptr;
    metering::TokenMetrics *m_metrics = nullptr;
    metering::MetricsServer *m_metricsServer = nullptr;
    canvas::NodePalette *m_palette = nullptr;
    canvas::RunOverlay *m_overlay = nullptr;
    Autosave *m_autosave = nullptr;
    QLabel *m_statusLabel = nullptr;
    QLabel *m_runStatusLabel = nullptr;
    RunController *m_run = nullptr;
    int m_runNodesFinished = 0;

    QString m_filePath;
    bool m_recovered = false; // modified regardless of the undo stack until saved
    bool m_trusted = true;

    QAction *m_newWorkflowAction = nullptr;
    QAction *m_newChatflowAction = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_saveAsAction = nullptr;
    QAction *m_importAction = nullptr;
    QAction *m_exportDifyAction = nullptr;
    QAction *m_exportDeployAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_runAction = nullptr; // Run, or Continue while paused (F5)
    QAction *m_pauseAction = nullptr;
    QAction *m_stepAction = nullptr;
    QAction *m_stepIntoAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_breakpointAction = nullptr;
    QMenu *m_recentMenu = nullptr;
};

} // namespace flowbench::app

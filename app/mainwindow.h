#pragma once

#include <QMainWindow>
#include <QString>

#include <memory>

#include "document/dslio.h"
#include "document/workflow.h"

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QUndoStack;

namespace flowbench::document {
class WorkflowDocument;
}
namespace flowbench::canvas {
class WorkflowScene;
class WorkflowView;
} // namespace flowbench::canvas
namespace flowbench::panels {
class OutlinePanel;
class ProblemsPanel;
} // namespace flowbench::panels

namespace flowbench::app {

class Autosave;
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
    [[nodiscard]] Autosave *autosave() const { return m_autosave; }
    [[nodiscard]] QAction *undoAction() const { return m_undoAction; }
    [[nodiscard]] QAction *redoAction() const { return m_redoAction; }
    [[nodiscard]] QString filePath() const { return m_filePath; }
    [[nodiscard]] bool isModified() const;
    [[nodiscard]] QString statusText() const;

    // A new, valid workflow: Start at (80,200) and End (or Answer, for a chatflow) at (400,200),
    // connected, their data from the node registry's defaults.
    static document::Workflow makeNewWorkflow(bool chatflow);

    static constexpr int kMaxRecentFiles = 10;
    static constexpr int kStateVersion = 1;

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
    Autosave *m_autosave = nullptr;
    QLabel *m_statusLabel = nullptr;

    QString m_filePath;
    bool m_recovered = false; // modified regardless of the undo stack until saved

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
    QMenu *m_recentMenu = nullptr;
};

} // namespace flowbench::app

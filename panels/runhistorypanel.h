#pragma once

#include <QList>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <functional>

#include "core/result.h"
#include "runtime/runevent.h"
#include "runcomparedialog.h" // QPointer<RunCompareDialog> needs the complete type
#include "store/runstore.h"

class QAction;
class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace flowbench::panels {

// A recorded event (RunEvent::toJson()) back as a value; unknown event names give nullopt.
std::optional<runtime::RunEvent> runEventFromJson(const nlohmann::json &json);
// Every event of a recorded run, in order (entries that are not events are left out).
QList<runtime::RunEvent> recordedRunEvents(const store::RecordedRun &run);

// The whole run as one JSON document: {"run": {id, workflow_name, status, error, inputs, query,
// files, outputs, started_ms, elapsed_ms, total_tokens, ...}, "node_executions": [...],
// "events": [...], "workflow": <snapshot>}.
nlohmann::json runToJson(const store::RecordedRun &run);
// The run in Chrome's Trace Event Format (chrome://tracing, Perfetto): one complete ("X") event
// per node execution, ts/dur in microseconds relative to the run's start, pid 1, tid the
// parallel lane the execution ran in (executions that overlap in time get different lanes),
// args with the node id, kind, status, tokens and a summary of inputs and outputs; plus "M"
// metadata events naming the process and the lanes.
nlohmann::json chromeTrace(const store::RecordedRun &run);

// The Run history dock ("panel.runHistory"): the runs of the current workflow from the run
// store, newest first (status, start, duration, tokens, cost, run id). Cost shows "—" until the
// metering module prices runs. Actions in the toolbar and the context menu:
// - Open (double-click, Enter): emits runOpened with the run's recorded events, which the app
//   replays into the canvas overlay and the panels.
// - Compare (exactly two selected): opens a RunCompareDialog, node by node.
// - Replay offline: emits replayRequested; the app runs store::replayOptions(run).
// - Delete: asks (setConfirmFunction replaces the question box, for tests), then deletes.
// - Export as JSON / as a Chrome trace: asks for a file (setSaveFileFunction replaces the file
//   dialog) and writes runToJson() / chromeTrace().
// The list refreshes itself when the store says a run was saved (RunStore::runSaved) and on
// refresh(). GUI thread only; the store must outlive the panel (or be reset with setStore).
class RunHistoryPanel : public QWidget
{
    Q_OBJECT

public:
    enum Column {
        StatusColumn,
        StartedColumn,
        DurationColumn,
        TokensColumn,
        CostColumn,
        RunIdColumn,
        ColumnCount
    };

    // Returns true to go on. The default shows a QMessageBox question.
    using ConfirmFunction = std::function<bool(QWidget *parent, const QString &question)>;
    // Returns the chosen path, or an empty string when cancelled. The default is QFileDialog.
    using SaveFileFunction
        = std::function<QString(QWidget *parent, const QString &caption,
                                const QString &suggestedName, const QString &filter)>;

    explicit RunHistoryPanel(store::RunStore *store, QWidget *parent = nullptr);

    void setStore(store::RunStore *store);
    [[nodiscard]] store::RunStore *runStore() const { return m_store; }

    // Lists only the runs of the workflow with this app name (Workflow::name(), which the run
    // store records with each run); a null string lists every run in the store.
    void setWorkflowKey(const QString &workflowName);
    [[nodiscard]] QString workflowKey() const { return m_workflowKey; }

    // Null restores the default.
    void setConfirmFunction(ConfirmFunction confirm);
    void setSaveFileFunction(SaveFileFunction saveFile);

    [[nodiscard]] QTreeWidget *treeWidget() const { return m_tree; }
    [[nodiscard]] int runCount() const;
    [[nodiscard]] QString runIdAt(int row) const;
    [[nodiscard]] QStringList selectedRunIds() const;
    void selectRuns(const QStringList &runIds);

    // The dialog last opened by compareRuns() (null once it closed).
    [[nodiscard]] RunCompareDialog *compareDialog() const { return m_compare; }

    // The actions, for the app's menus and for tests. Each reports a failure in the panel's
    // message line (and returns false / null).
    bool openRun(const QString &runId);
    RunCompareDialog *compareRuns(const QString &first, const QString &second);
    void replayRun(const QString &runId);
    bool deleteRun(const QString &runId); // asks first
    Result<void> exportRunJson(const QString &runId, const QString &path);
    Result<void> exportChromeTrace(const QString &runId, const QString &path);

public Q_SLOTS:
    // Reads the list again (keeps the selection where the runs still exist).
    void refresh();

Q_SIGNALS:
    void runOpened(const QString &runId, const QList<flowbench::runtime::RunEvent> &events);
    void replayRequested(const QString &runId);
    void runDeleted(const QString &runId);
    // After every refresh.
    void runsChanged(int count);

private:
    bool removeRun(const QString &runId); // no question asked
    void updateActions();
    void showMessage(const QString &text, bool error);
    void showContextMenu(const QPoint &pos);
    void exportSelected(bool chrome);

    QPointer<store::RunStore> m_store;
    QMetaObject::Connection m_savedConnection;
    QString m_workflowKey;
    QTreeWidget *m_tree = nullptr;
    QLabel *m_message = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_compareAction = nullptr;
    QAction *m_replayAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_exportJsonAction = nullptr;
    QAction *m_exportTraceAction = nullptr;
    QAction *m_refreshAction = nullptr;
    ConfirmFunction m_confirm;
    SaveFileFunction m_saveFile;
    QPointer<RunCompareDialog> m_compare;
};

} // namespace flowbench::panels

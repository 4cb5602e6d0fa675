#pragma once

#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <QWidget>

#include "runtime/debugger.h"
#include "valueviewer.h"
#include "variablemodel.h"

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace flowbench::panels {

// The Variables dock ("panel.variables"): the current run's pool as a tree by scope (watches,
// System, Environment, Conversation, then each node by title, in the order the run reached
// them), each variable with its Dify type and a one-line preview. Values the last step changed
// are bold and coloured. A side pane shows the selected value whole (long text, pretty JSON, or
// the image of a file value) and edits it while the run is paused.
//
// Sources: poolSnapshot() on a new run, on each pause and when the run ends; in between, node
// outputs (NodeSucceeded/NodeException) and VariableEdited events, redrawn at most every
// kRefreshDelayMs. Editing calls Debugger::setVariable() with the parsed value (strings as
// typed; numbers, booleans and JSON parsed) and shows its error inline; it is offered only while
// can(EditVariables). The watch list ("node.var" or "Node title.var", optionally with object
// keys after) is kept across runs and saved in QSettings under "variables/watch".
// GUI thread only; the debugger may be null and may be destroyed before the panel.
class VariablesPanel : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kRefreshDelayMs = 50;
    static constexpr const char *kWatchSettingsKey = "variables/watch";

    enum Column { NameColumn, TypeColumn, ValueColumn, ColumnCount };
    enum Role {
        SelectorRole = Qt::UserRole + 1, // QStringList; empty for group rows
        ChangedRole,                     // bool
        WatchRole,                       // QString: the watch text, on watch rows
    };

    explicit VariablesPanel(runtime::Debugger *debugger, QWidget *parent = nullptr);

    [[nodiscard]] QTreeWidget *tree() const { return m_tree; }
    [[nodiscard]] const VariableModel &variables() const { return m_variables; }
    [[nodiscard]] ValueViewer *viewer() const { return m_viewer; }

    // The row of variable ["scope", "var"] (not a watch row), or null.
    [[nodiscard]] QTreeWidgetItem *itemFor(const QString &scope, const QString &name) const;
    // Selects that row (the viewer shows its value); false when there is none.
    bool selectVariable(const QString &scope, const QString &name);
    // The selector of the selected row; empty when a group or nothing is selected.
    [[nodiscard]] QStringList selectedSelector() const;

    [[nodiscard]] QStringList watchList() const { return m_watches; }
    void addWatch(const QString &text);
    void removeWatch(const QString &text);

    // Editing the selected variable (the Edit button, a double-click, F2).
    [[nodiscard]] bool canEdit() const;
    [[nodiscard]] bool isEditing() const;
    bool startEdit();
    // Parses `text` for the variable being edited and sends it to the debugger. False, with the
    // message shown under the editor (editError()), when it does not parse or is refused.
    bool applyEdit(const QString &text);
    bool applyEdit(); // the editor's current text
    void cancelEdit();
    [[nodiscard]] QString editError() const;

public Q_SLOTS:
    // Re-reads the debugger's pool and redraws now.
    void refresh();

private:
    void onRunEvent(const runtime::RunEvent &event);
    void newRun(const QString &runId);
    void scheduleRebuild();
    void rebuild();
    void updateSelection();
    void updateActions();
    void showContextMenu(const QPoint &pos);
    void saveWatches() const;
    [[nodiscard]] QStringList resolveWatch(const QString &text) const;
    void styleRow(QTreeWidgetItem *item, bool changed) const;

    QPointer<runtime::Debugger> m_debugger;
    QString m_runId;
    VariableModel m_variables;
    QStringList m_watches;
    QStringList m_editSelector;
    QTimer m_rebuildTimer;

    QLineEdit *m_watchInput = nullptr;
    QSplitter *m_splitter = nullptr;
    QTreeWidget *m_tree = nullptr;
    QLabel *m_title = nullptr;
    QToolButton *m_editButton = nullptr;
    QToolButton *m_watchButton = nullptr;
    QStackedWidget *m_sideStack = nullptr;
    ValueViewer *m_viewer = nullptr;
    QLineEdit *m_lineEditor = nullptr;
    QPlainTextEdit *m_jsonEditor = nullptr;
    QLabel *m_editError = nullptr;
    QPushButton *m_applyButton = nullptr;
};

} // namespace flowbench::panels

#pragma once

#include <QPointer>
#include <QWidget>

#include "eventmodel.h"
#include "runtime/debugger.h"

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSplitter;
class QTableView;
class QToolButton;

namespace flowbench::panels {

// The Events dock ("panel.events"): the current run's events as a live table (time, node, kind,
// event, duration, tokens, message), filtered by node, node kind and text, with a detail pane
// showing the selected row's inputs, process data, outputs and error as pretty JSON.
//
// Rows come from the debugger's runEvent signal through EventModel, which batches inserts
// (one per ~33 ms) and merges stream chunks, so a run emitting 10,000 events per second does not
// stall the UI. A new run (runStarted, or a RunStarted event of another run id) clears the
// table; a finished run stays until the next one starts. In follow mode the table keeps the
// newest row in view. Clicking a row that names a node emits nodeActivated(id). Ctrl+C and the
// context menu copy the selected rows as JSON lines (RunEvent::toJson(), one object per line).
// GUI thread only; the debugger may be null and may be destroyed before the panel.
class EventsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit EventsPanel(runtime::Debugger *debugger, QWidget *parent = nullptr);

    [[nodiscard]] EventModel *model() const { return m_model; }
    [[nodiscard]] EventFilterProxy *proxy() const { return m_proxy; }
    [[nodiscard]] QTableView *table() const { return m_table; }
    [[nodiscard]] QPlainTextEdit *detailView() const { return m_detail; }

    [[nodiscard]] bool followMode() const;
    void setFollowMode(bool follow);
    // Filters; empty strings show everything.
    void setNodeFilter(const QString &nodeId);
    void setKindFilter(const QString &kind);
    void setTextFilter(const QString &text);

    // The selected rows (in table order) as JSON lines, each ending with '\n'.
    [[nodiscard]] QString selectedRowsAsJsonLines() const;

public Q_SLOTS:
    void copySelection();
    // Clears the table (also done when a new run starts).
    void clear();

Q_SIGNALS:
    void nodeActivated(const QString &id);

private:
    void onRunEvent(const runtime::RunEvent &event);
    void onRowsFlushed();
    void updateFilterCombos();
    void updateDetail();
    void updateCount();

    QPointer<runtime::Debugger> m_debugger;
    QString m_runId;
    EventModel *m_model = nullptr;
    EventFilterProxy *m_proxy = nullptr;
    QComboBox *m_nodeCombo = nullptr;
    QComboBox *m_kindCombo = nullptr;
    QLineEdit *m_search = nullptr;
    QToolButton *m_followButton = nullptr;
    QLabel *m_countLabel = nullptr;
    QSplitter *m_splitter = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_detailTitle = nullptr;
    QPlainTextEdit *m_detail = nullptr;
    QAction *m_copyAction = nullptr;
};

} // namespace flowbench::panels

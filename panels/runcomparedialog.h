#pragma once

#include <QDialog>
#include <QString>

#include "store/runstore.h"

class QLabel;
class QPlainTextEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace flowbench::panels {

// "850 ms", "2.4 s", "3 min 5 s"; "—" for a negative duration.
QString formatRunDuration(qint64 ms);
// A short run id for headers and messages (its first 8 characters).
QString shortRunId(const QString &runId);

// Two recorded runs side by side, node by node ("dialog.runCompare"): one row per node that ran
// in either run (first run's order, then nodes only the second run has) with the status, the
// outputs of each run, the tokens and the duration. A node that ran several times (iteration or
// loop) shows its last outputs and status, and the sums of its tokens and durations. Rows whose
// outputs differ carry a "≠" marker and tinted output cells; a differing status is tinted too.
// Selecting a row shows both outputs in full below the table. Values that differ in every run
// by design (sys.workflow_run_id and sys.timestamp among the Start node's outputs) are not
// counted as differences.
class RunCompareDialog : public QDialog
{
    Q_OBJECT

public:
    enum Column {
        DiffColumn,
        NodeColumn,
        StatusColumn,
        FirstOutputsColumn,
        SecondOutputsColumn,
        TokensColumn,
        DurationColumn,
        ColumnCount
    };
    static constexpr int kNodeIdRole = Qt::UserRole + 1;
    static constexpr int kOutputsDifferRole = Qt::UserRole + 2;

    RunCompareDialog(const store::RecordedRun &first, const store::RecordedRun &second,
                     QWidget *parent = nullptr);

    [[nodiscard]] QTreeWidget *treeWidget() const { return m_tree; }
    // The row of a node, or nullptr when neither run has it.
    [[nodiscard]] QTreeWidgetItem *itemForNode(const QString &nodeId) const;
    [[nodiscard]] bool outputsDiffer(const QString &nodeId) const;
    [[nodiscard]] int differingCount() const { return m_differing; }
    [[nodiscard]] QString firstRunId() const { return m_firstId; }
    [[nodiscard]] QString secondRunId() const { return m_secondId; }

private:
    void showDetail(QTreeWidgetItem *item);

    QString m_firstId;
    QString m_secondId;
    QTreeWidget *m_tree = nullptr;
    QLabel *m_summary = nullptr;
    QPlainTextEdit *m_firstDetail = nullptr;
    QPlainTextEdit *m_secondDetail = nullptr;
    int m_differing = 0;
};

} // namespace flowbench::panels

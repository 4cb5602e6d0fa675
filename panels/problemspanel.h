#pragma once

#include <QList>
#include <QTimer>
#include <QWidget>

#include "document/validator.h"
#include "document/workflowdocument.h"

class QTreeWidget;
class QTreeWidgetItem;

namespace flowbench::panels {

// The Problems dock: validateWorkflow() results, one row each (severity, node title, field,
// message), errors first. Refreshes about 150 ms after the document's last changed() signal, so
// a burst of edits validates once. Double-clicking (or pressing Enter on) a row that names a node
// emits nodeActivated(id); the app selects and centres that node.
// GUI thread only; the document must outlive the panel.
class ProblemsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ProblemsPanel(const document::WorkflowDocument *document, QWidget *parent = nullptr);

    [[nodiscard]] const QList<document::Problem> &problems() const { return m_problems; }
    [[nodiscard]] int errorCount() const { return m_errors; }
    [[nodiscard]] int warningCount() const { return m_warnings; }
    [[nodiscard]] QTreeWidget *treeWidget() const { return m_tree; }

    static constexpr int kRefreshDelayMs = 150;

public Q_SLOTS:
    // Validates now (cancelling a pending debounced refresh).
    void refresh();

Q_SIGNALS:
    void nodeActivated(const QString &id);
    // After every refresh.
    void problemsChanged(int errors, int warnings);

private:
    void onItemActivated(QTreeWidgetItem *item);

    const document::WorkflowDocument *m_document = nullptr;
    QTreeWidget *m_tree = nullptr;
    QTimer m_refreshTimer;
    QList<document::Problem> m_problems;
    int m_errors = 0;
    int m_warnings = 0;
};

} // namespace flowbench::panels

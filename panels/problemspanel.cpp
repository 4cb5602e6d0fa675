#include "problemspanel.h"

#include <QHeaderView>
#include <QRegularExpression>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace flowbench::panels {

namespace {

enum Column { SeverityColumn, NodeColumn, FieldColumn, MessageColumn, ColumnCount };
constexpr int kNodeIdRole = Qt::UserRole + 1;

// "/workflow/graph/nodes/3/data/model/name" → "model/name", "/workflow/graph/edges/2/source" →
// "edges/2/source": the part a user recognises (the tooltip keeps the whole pointer).
QString fieldOf(const QString &pointer)
{
    static const QRegularExpression nodeData(
        QStringLiteral("^/workflow/graph/nodes/\\d+(/data)?/?"));
    static const QRegularExpression graph(QStringLiteral("^/workflow/(graph/)?"));
    QString field = pointer;
    if (field.contains(nodeData))
        field.remove(nodeData);
    else
        field.remove(graph);
    return field;
}

} // namespace

ProblemsPanel::ProblemsPanel(const document::WorkflowDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_tree(new QTreeWidget(this))
{
    m_tree->setObjectName(QStringLiteral("problems.tree"));
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels({tr("Severity"), tr("Node"), tr("Field"), tr("Message")});
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setColumnWidth(SeverityColumn, 100);
    m_tree->setColumnWidth(NodeColumn, 180);
    m_tree->setColumnWidth(FieldColumn, 160);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tree);

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(kRefreshDelayMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &ProblemsPanel::refresh);
    connect(m_document, &document::WorkflowDocument::changed, &m_refreshTimer,
            qOverload<>(&QTimer::start));
    connect(m_tree, &QTreeWidget::itemActivated, this, &ProblemsPanel::onItemActivated);
    refresh();
}

void ProblemsPanel::refresh()
{
    m_refreshTimer.stop();
    const document::Workflow &workflow = m_document->workflow();
    m_problems = document::validateWorkflow(workflow);
    std::stable_sort(m_problems.begin(), m_problems.end(),
                     [](const document::Problem &a, const document::Problem &b) {
                         return a.isError() && !b.isError();
                     });
    m_errors = int(std::count_if(m_problems.cbegin(), m_problems.cend(),
                                 [](const document::Problem &p) { return p.isError(); }));
    m_warnings = int(m_problems.size()) - m_errors;

    m_tree->clear();
    const QIcon errorIcon = style()->standardIcon(QStyle::SP_MessageBoxCritical);
    const QIcon warningIcon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    QList<QTreeWidgetItem *> rows;
    rows.reserve(m_problems.size());
    for (const document::Problem &problem : std::as_const(m_problems)) {
        auto *row = new QTreeWidgetItem;
        row->setIcon(SeverityColumn, problem.isError() ? errorIcon : warningIcon);
        row->setText(SeverityColumn, problem.isError() ? tr("Error") : tr("Warning"));
        if (!problem.nodeId.isEmpty()) {
            const document::Node *node = workflow.node(problem.nodeId);
            const QString title = node && !node->title().isEmpty() ? node->title() : problem.nodeId;
            row->setText(NodeColumn, title);
            row->setToolTip(NodeColumn, problem.nodeId);
        }
        row->setText(FieldColumn, fieldOf(problem.pointer));
        row->setToolTip(FieldColumn, problem.pointer);
        row->setText(MessageColumn, problem.message);
        row->setToolTip(MessageColumn, problem.code.isEmpty() ? problem.message
                                                              : QStringLiteral("%1 [%2]").arg(
                                                                  problem.message, problem.code));
        row->setData(SeverityColumn, kNodeIdRole, problem.nodeId);
        rows.append(row);
    }
    if (rows.isEmpty()) {
        auto *row = new QTreeWidgetItem;
        row->setText(MessageColumn, tr("No problems found."));
        row->setFlags(Qt::NoItemFlags);
        rows.append(row);
    }
    m_tree->addTopLevelItems(rows);
    Q_EMIT problemsChanged(m_errors, m_warnings);
}

void ProblemsPanel::onItemActivated(QTreeWidgetItem *item)
{
    if (!item)
        return;
    const QString id = item->data(SeverityColumn, kNodeIdRole).toString();
    if (!id.isEmpty())
        Q_EMIT nodeActivated(id);
}

} // namespace flowbench::panels

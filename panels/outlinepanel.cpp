#include "outlinepanel.h"

#include "nodes/registry.h"

#include <QHash>
#include <QHeaderView>
#include <QSignalBlocker>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace flowbench::panels {

namespace {

enum Column { TitleColumn, KindColumn, ColumnCount };
constexpr int kNodeIdRole = Qt::UserRole + 1;

} // namespace

OutlinePanel::OutlinePanel(const document::WorkflowDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_tree(new QTreeWidget(this))
{
    m_tree->setObjectName(QStringLiteral("outline.tree"));
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels({tr("Node"), tr("Kind")});
    m_tree->setUniformRowHeights(true);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setIconSize(QSize(16, 16));
    m_tree->header()->setStretchLastSection(true);
    m_tree->setColumnWidth(TitleColumn, 170);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tree);

    // Zero delay still coalesces a burst of signals from one apply() into one rebuild.
    m_rebuildTimer.setSingleShot(true);
    m_rebuildTimer.setInterval(0);
    connect(&m_rebuildTimer, &QTimer::timeout, this, &OutlinePanel::rebuild);
    connect(m_document, &document::WorkflowDocument::changed, &m_rebuildTimer,
            qOverload<>(&QTimer::start));
    connect(m_tree, &QTreeWidget::itemClicked, this, &OutlinePanel::onItemActivated);
    connect(m_tree, &QTreeWidget::itemActivated, this, &OutlinePanel::onItemActivated);
    rebuild();
}

void OutlinePanel::rebuild()
{
    m_rebuildTimer.stop();
    const QSignalBlocker blocker(m_tree);
    m_tree->clear();
    const auto &registry = nodes::NodeRegistry::instance();
    const document::Workflow &workflow = m_document->workflow();

    QHash<QString, QTreeWidgetItem *> items;
    QList<QPair<QString, QTreeWidgetItem *>> children; // parent id → item, placed afterwards
    for (const document::Node &node : workflow.nodes()) {
        const QString kind = node.kind();
        const nodes::NodeKindInfo *info = registry.find(kind);
        if (info && info->isContainerStart)
            continue; // fixed entry tiles of containers: not worth a row
        auto *item = new QTreeWidgetItem;
        const QString kindName = info ? info->displayName : tr("Unsupported: %1").arg(kind);
        QString title = node.title();
        if (title.isEmpty())
            title = node.isNote() ? tr("Note") : kindName;
        item->setText(TitleColumn, title);
        item->setText(KindColumn, kindName);
        item->setToolTip(TitleColumn, node.id);
        item->setIcon(TitleColumn,
                      QIcon(info ? info->icon : QStringLiteral(":/icons/nodes/unsupported.svg")));
        item->setData(TitleColumn, kNodeIdRole, node.id);
        items.insert(node.id, item);
        children.append({node.parentId(), item});
    }
    for (const auto &[parentId, item] : std::as_const(children)) {
        if (QTreeWidgetItem *parent = items.value(parentId); parent && parent != item)
            parent->addChild(item);
        else
            m_tree->addTopLevelItem(item);
    }
    m_tree->expandAll();
    setSelectedNodes(m_selected);
}

void OutlinePanel::setSelectedNodes(const QStringList &ids)
{
    m_selected = ids;
    const QSignalBlocker blocker(m_tree);
    m_tree->clearSelection();
    QTreeWidgetItemIterator it(m_tree);
    for (; *it; ++it) {
        if (ids.contains((*it)->data(TitleColumn, kNodeIdRole).toString())) {
            (*it)->setSelected(true);
            m_tree->scrollToItem(*it);
        }
    }
}

void OutlinePanel::onItemActivated(QTreeWidgetItem *item)
{
    if (!item)
        return;
    const QString id = item->data(TitleColumn, kNodeIdRole).toString();
    if (!id.isEmpty())
        Q_EMIT nodeSelected(id);
}

} // namespace flowbench::panels

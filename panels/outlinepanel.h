#pragma once

#include <QStringList>
#include <QTimer>
#include <QWidget>

#include "document/workflowdocument.h"

class QTreeWidget;
class QTreeWidgetItem;

namespace flowbench::panels {

// The Outline dock: every node as "title — kind", in document order, container children nested
// under their container. Clicking a row (or pressing Enter) emits nodeSelected(id); the app
// selects the node on the canvas and calls setSelectedNodes() back when the canvas selection
// changes. Rebuilds shortly after the document's changed() signal.
// GUI thread only; the document must outlive the panel.
class OutlinePanel : public QWidget
{
    Q_OBJECT

public:
    explicit OutlinePanel(const document::WorkflowDocument *document, QWidget *parent = nullptr);

    [[nodiscard]] QTreeWidget *treeWidget() const { return m_tree; }
    // Highlights these nodes without emitting nodeSelected.
    void setSelectedNodes(const QStringList &ids);

public Q_SLOTS:
    void rebuild();

Q_SIGNALS:
    void nodeSelected(const QString &id);

private:
    void onItemActivated(QTreeWidgetItem *item);

    const document::WorkflowDocument *m_document = nullptr;
    QTreeWidget *m_tree = nullptr;
    QTimer m_rebuildTimer;
    QStringList m_selected;
};

} // namespace flowbench::panels

#include "nodepalette.h"

#include "nodekindmodel.h"

#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QTreeView>
#include <QVBoxLayout>

namespace flowbench::canvas {

NodePalette::NodePalette(QWidget *parent)
    : QWidget(parent)
    , m_search(new QLineEdit(this))
    , m_view(new QTreeView(this))
    , m_empty(new QLabel(tr("No matching nodes"), this))
    , m_model(new NodeKindModel(this))
{
    m_search->setPlaceholderText(tr("Search nodes"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);

    m_view->setModel(m_model);
    m_view->setHeaderHidden(true);
    m_view->setRootIsDecorated(false);
    m_view->setItemsExpandable(false);
    m_view->setIndentation(0);
    m_view->setUniformRowHeights(true);
    m_view->setIconSize(QSize(20, 20));
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setDragEnabled(true);
    m_view->setDragDropMode(QAbstractItemView::DragOnly);
    m_view->setDefaultDropAction(Qt::CopyAction);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->installEventFilter(this);
    m_view->expandAll();

    m_empty->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    m_empty->setEnabled(false);
    m_empty->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(6);
    layout->addWidget(m_search);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_empty, 1);

    connect(m_search, &QLineEdit::textChanged, this, &NodePalette::applyFilter);
    connect(m_view, &QTreeView::doubleClicked, this, [this](const QModelIndex &index) {
        const QString kind = index.data(NodeKindModel::KindRole).toString();
        if (!kind.isEmpty())
            Q_EMIT kindActivated(kind);
    });
    setFocusProxy(m_search);
}

QString NodePalette::currentKind() const
{
    return m_view->currentIndex().data(NodeKindModel::KindRole).toString();
}

QMimeData *NodePalette::mimeDataForKind(const QString &kind)
{
    return NodeKindModel::mimeDataForKind(kind);
}

void NodePalette::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void NodePalette::applyFilter(const QString &text)
{
    m_model->setFilterText(text);
    m_view->expandAll();
    const bool any = m_model->rowCount() > 0;
    m_view->setVisible(any);
    m_empty->setVisible(!any);
    if (!text.trimmed().isEmpty() && any)
        m_view->setCurrentIndex(m_model->firstKindIndex());
}

void NodePalette::activateCurrent()
{
    const QString kind = currentKind();
    if (!kind.isEmpty())
        Q_EMIT kindActivated(kind);
}

bool NodePalette::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    switch (key->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (watched == m_search || watched == m_view) {
            if (watched == m_search && !m_view->currentIndex().isValid())
                m_view->setCurrentIndex(m_model->firstKindIndex());
            activateCurrent();
            return true;
        }
        break;
    case Qt::Key_Down:
    case Qt::Key_Up:
        if (watched == m_search) {
            const int step = key->key() == Qt::Key_Down ? 1 : -1;
            const QModelIndex next = m_model->neighbourKindIndex(m_view->currentIndex(), step);
            if (next.isValid())
                m_view->setCurrentIndex(next);
            return true;
        }
        break;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace flowbench::canvas

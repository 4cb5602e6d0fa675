#include "addnodepopup.h"

#include "nodekindmodel.h"

#include <QGuiApplication>
#include <QKeyEvent>
#include <QLineEdit>
#include <QScreen>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace flowbench::canvas {

AddNodePopup::AddNodePopup(QWidget *parent)
    : QFrame(parent, Qt::Popup | Qt::FramelessWindowHint)
    , m_search(new QLineEdit(this))
    , m_view(new QTreeView(this))
    , m_model(new NodeKindModel(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAttribute(Qt::WA_WindowPropagation);

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
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setFocusPolicy(Qt::NoFocus); // typing always goes to the search line
    m_view->expandAll();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(4);
    layout->addWidget(m_search);
    layout->addWidget(m_view, 1);
    resize(280, 400);

    connect(m_search, &QLineEdit::textChanged, this, &AddNodePopup::applyFilter);
    connect(m_view, &QTreeView::clicked, this, &AddNodePopup::choose);
}

void AddNodePopup::popup(const QPoint &globalPos)
{
    m_search->clear();
    applyFilter(QString());
    QRect geometry(globalPos, size());
    if (const QScreen *screen = QGuiApplication::screenAt(globalPos)) {
        const QRect available = screen->availableGeometry();
        if (geometry.right() > available.right())
            geometry.moveRight(available.right());
        if (geometry.bottom() > available.bottom())
            geometry.moveBottom(available.bottom());
        geometry.moveLeft(std::max(geometry.left(), available.left()));
        geometry.moveTop(std::max(geometry.top(), available.top()));
    }
    move(geometry.topLeft());
    show();
    raise();
    activateWindow();
    m_search->setFocus(Qt::PopupFocusReason);
}

void AddNodePopup::applyFilter(const QString &text)
{
    m_model->setFilterText(text);
    m_view->expandAll();
    m_view->setCurrentIndex(m_model->firstKindIndex());
    m_view->scrollToTop();
}

void AddNodePopup::choose(const QModelIndex &index)
{
    const QString kind = index.data(NodeKindModel::KindRole).toString();
    if (kind.isEmpty())
        return; // a category row
    close();
    Q_EMIT kindChosen(kind);
}

bool AddNodePopup::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        switch (key->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
            choose(m_view->currentIndex());
            return true;
        case Qt::Key_Down:
        case Qt::Key_Up: {
            const int step = key->key() == Qt::Key_Down ? 1 : -1;
            const QModelIndex next = m_model->neighbourKindIndex(m_view->currentIndex(), step);
            if (next.isValid()) {
                m_view->setCurrentIndex(next);
                m_view->scrollTo(next);
            }
            return true;
        }
        case Qt::Key_Escape:
            close();
            return true;
        default:
            break;
        }
    }
    return QFrame::eventFilter(watched, event);
}

void AddNodePopup::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        close();
        event->accept();
        return;
    }
    QFrame::keyPressEvent(event);
}

} // namespace flowbench::canvas

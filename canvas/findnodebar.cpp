#include "findnodebar.h"

#include "canvasstyle.h"
#include "nodes/registry.h"
#include "workflowscene.h"
#include "workflowview.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPixmap>
#include <QPolygonF>
#include <QToolButton>

namespace flowbench::canvas {

namespace {

enum class Glyph { Up, Down, Close };

// Thin line glyphs in the canvas's grey, drawn rather than taken from the widget style (whose
// arrows are coloured and whose close button is a title-bar box).
QIcon glyphIcon(Glyph glyph)
{
    QIcon icon;
    for (int size : {16, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.scale(size / 16.0, size / 16.0);
        painter.setPen(
            QPen(style::subtitleText(), 1.6, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        switch (glyph) {
        case Glyph::Up:
            painter.drawPolyline(QPolygonF({QPointF(4, 10), QPointF(8, 6), QPointF(12, 10)}));
            break;
        case Glyph::Down:
            painter.drawPolyline(QPolygonF({QPointF(4, 6), QPointF(8, 10), QPointF(12, 6)}));
            break;
        case Glyph::Close:
            painter.drawLine(QPointF(4.5, 4.5), QPointF(11.5, 11.5));
            painter.drawLine(QPointF(11.5, 4.5), QPointF(4.5, 11.5));
            break;
        }
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace

FindNodeBar::FindNodeBar(WorkflowView *view)
    : QFrame(view)
    , m_view(view)
    , m_edit(new QLineEdit(this))
    , m_status(new QLabel(this))
    , m_previous(new QToolButton(this))
    , m_next(new QToolButton(this))
    , m_close(new QToolButton(this))
{
    m_edit->setPlaceholderText(tr("Find node by title, id or type"));
    m_edit->setClearButtonEnabled(true);
    m_edit->setMinimumWidth(220);
    m_edit->installEventFilter(this);

    QPalette statusPalette = m_status->palette();
    statusPalette.setColor(QPalette::WindowText, style::subtitleText());
    m_status->setPalette(statusPalette);
    m_status->setMinimumWidth(m_status->fontMetrics().horizontalAdvance(tr("No match")) + 4);

    m_previous->setIcon(glyphIcon(Glyph::Up));
    m_previous->setToolTip(tr("Previous match (Shift+F3)"));
    m_previous->setAutoRaise(true);
    m_next->setIcon(glyphIcon(Glyph::Down));
    m_next->setToolTip(tr("Next match (F3)"));
    m_next->setAutoRaise(true);
    m_close->setIcon(glyphIcon(Glyph::Close));
    m_close->setToolTip(tr("Close (Escape)"));
    m_close->setAutoRaise(true);
    for (QToolButton *button : {m_previous, m_next, m_close})
        button->setFocusPolicy(Qt::NoFocus);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 5, 5, 5);
    layout->setSpacing(4);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_previous);
    layout->addWidget(m_next);
    layout->addWidget(m_close);

    connect(m_edit, &QLineEdit::textChanged, this, [this] {
        refreshMatches();
        goTo(m_matches.isEmpty() ? -1 : 0);
    });
    connect(m_previous, &QToolButton::clicked, this, &FindNodeBar::findPrevious);
    connect(m_next, &QToolButton::clicked, this, &FindNodeBar::findNext);
    connect(m_close, &QToolButton::clicked, this, &FindNodeBar::dismiss);
    connect(view->workflowScene()->document(), &document::WorkflowDocument::changed, this, [this] {
        m_stale = true;
        if (isVisible()) {
            refreshMatches();
            updateStatus();
        }
    });
    updateStatus();
    adjustSize();
    hide();
}

QString FindNodeBar::statusText() const
{
    if (m_edit->text().trimmed().isEmpty())
        return {};
    if (m_matches.isEmpty())
        return tr("No match");
    if (m_current < 0)
        return tr("%n match(es)", nullptr, int(m_matches.size()));
    return tr("%1 of %2").arg(m_current + 1).arg(m_matches.size());
}

void FindNodeBar::activate()
{
    if (m_stale)
        refreshMatches();
    show();
    raise();
    m_edit->setFocus(Qt::ShortcutFocusReason);
    m_edit->selectAll();
    updateStatus();
}

void FindNodeBar::dismiss()
{
    hide();
    m_view->setFocus(Qt::OtherFocusReason);
}

void FindNodeBar::refreshMatches()
{
    m_stale = false;
    const QString current
        = m_current >= 0 && m_current < m_matches.size() ? m_matches.at(m_current) : QString();
    m_matches.clear();
    m_current = -1;
    const QString text = m_edit->text().trimmed();
    if (text.isEmpty())
        return;
    const nodes::NodeRegistry &registry = nodes::NodeRegistry::instance();
    for (const document::Node &node : m_view->workflowScene()->document()->workflow().nodes()) {
        const QString kind = node.kind();
        bool match = node.title().contains(text, Qt::CaseInsensitive)
                     || node.id.contains(text, Qt::CaseInsensitive)
                     || kind.contains(text, Qt::CaseInsensitive);
        if (!match) {
            if (const nodes::NodeKindInfo *info = registry.find(kind))
                match = info->displayName.contains(text, Qt::CaseInsensitive);
        }
        if (match)
            m_matches.append(node.id);
    }
    m_current = int(m_matches.indexOf(current)); // keeps "3 of 5" across edits when it can
}

void FindNodeBar::goTo(int index)
{
    m_current = index;
    if (index >= 0 && index < m_matches.size()) {
        const QString id = m_matches.at(index);
        m_view->workflowScene()->selectNodes({id});
        m_view->centerOnNode(id);
    }
    updateStatus();
}

void FindNodeBar::findNext()
{
    if (m_stale)
        refreshMatches();
    if (m_matches.isEmpty()) {
        updateStatus();
        return;
    }
    goTo((m_current + 1) % int(m_matches.size()));
}

void FindNodeBar::findPrevious()
{
    if (m_stale)
        refreshMatches();
    if (m_matches.isEmpty()) {
        updateStatus();
        return;
    }
    const int n = int(m_matches.size());
    goTo(m_current < 0 ? n - 1 : (m_current - 1 + n) % n);
}

void FindNodeBar::updateStatus()
{
    m_status->setText(statusText());
    const bool any = !m_matches.isEmpty();
    m_previous->setEnabled(any);
    m_next->setEnabled(any);
}

bool FindNodeBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const bool shift = key->modifiers() & Qt::ShiftModifier;
        switch (key->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
        case Qt::Key_F3:
            shift ? findPrevious() : findNext();
            return true;
        case Qt::Key_Escape:
            dismiss();
            return true;
        default:
            break;
        }
    }
    return QFrame::eventFilter(watched, event);
}

void FindNodeBar::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(style::nodeBorder(), 1));
    painter.setBrush(style::nodeFill());
    painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8);
}

} // namespace flowbench::canvas

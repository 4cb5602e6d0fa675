#include "chatmessagewidget.h"

#include "chatmarkdown.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QRegularExpression>
#include <QToolButton>
#include <QVBoxLayout>

namespace flowbench::panels {

namespace {

constexpr int kUserIndent = 56;

// Secondary text: the thinking, the footer. Darker than the placeholder colour so it reads.
QColor muted(const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    return dark ? QColor(0xa0, 0xa6, 0xb0) : QColor(0x5f, 0x66, 0x72);
}

} // namespace

ChatThinkingSection::ChatThinkingSection(QWidget *parent)
    : QFrame(parent)
    , m_toggle(new QToolButton(this))
    , m_view(new ChatMarkdownView(this))
{
    setObjectName(QStringLiteral("chat.thinking"));
    m_toggle->setObjectName(QStringLiteral("chat.thinkingToggle"));
    m_toggle->setCheckable(true);
    m_toggle->setAutoRaise(true);
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toggle->setCursor(Qt::PointingHandCursor);
    m_view->setObjectName(QStringLiteral("chat.thinkingText"));
    m_view->setTextColor(muted(palette()));
    m_toggle->setStyleSheet(
        QStringLiteral("QToolButton{border:none;background:transparent;padding:2px 4px;color:%1;}"
                       "QToolButton:hover{color:palette(text);}")
            .arg(muted(palette()).name()));
    QFont small = m_view->font();
    small.setPointSizeF(small.pointSizeF() * 0.92);
    m_view->setFont(small);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 4);
    layout->setSpacing(2);
    layout->addWidget(m_toggle, 0, Qt::AlignLeft);
    auto *body = new QHBoxLayout;
    body->setContentsMargins(8, 0, 0, 0);
    auto *rule = new QFrame(this);
    rule->setFixedWidth(2);
    rule->setStyleSheet(QStringLiteral("background:#d0d4da;"));
    rule->setObjectName(QStringLiteral("chat.thinkingRule"));
    body->addWidget(rule);
    body->addSpacing(8);
    body->addWidget(m_view, 1);
    layout->addLayout(body);
    connect(m_toggle, &QToolButton::toggled, this, [this, rule](bool on) {
        m_view->setVisible(on);
        rule->setVisible(on);
        updateHeader();
    });
    setExpanded(false);
    updateHeader();
}

void ChatThinkingSection::append(const QString &reasoning)
{
    m_view->append(reasoning);
}

void ChatThinkingSection::setText(const QString &reasoning)
{
    m_view->setMarkdown(reasoning);
}

void ChatThinkingSection::setStreaming(bool streaming, qint64 elapsedMs)
{
    m_streaming = streaming;
    if (elapsedMs >= 0)
        m_elapsedMs = elapsedMs;
    if (!streaming)
        m_view->finish();
    updateHeader();
}

void ChatThinkingSection::setExpanded(bool expanded)
{
    m_toggle->setChecked(expanded);
    m_view->setVisible(expanded);
    updateHeader();
}

bool ChatThinkingSection::isExpanded() const
{
    return m_toggle->isChecked();
}

QString ChatThinkingSection::text() const
{
    return m_view->source();
}

void ChatThinkingSection::setTokens(qint64 tokens)
{
    m_tokens = tokens;
    updateHeader();
}

void ChatThinkingSection::updateHeader()
{
    m_toggle->setArrowType(isExpanded() ? Qt::DownArrow : Qt::RightArrow);
    QString text;
    if (m_streaming)
        text = tr("Thinking…");
    else if (m_elapsedMs >= 100)
        text = tr("Thought for %1 s").arg(double(m_elapsedMs) / 1000.0, 0, 'f', 1);
    else
        text = tr("Thinking");
    if (m_tokens > 0)
        text += m_tokens == 1 ? tr(" · 1 token") : tr(" · %1 tokens").arg(m_tokens);
    m_toggle->setText(text);
}

// ---------------------------------------------------------------------------------------------

ChatMessageWidget::ChatMessageWidget(Role role, const QString &title, QWidget *parent)
    : QFrame(parent)
    , m_role(role)
    , m_title(new QLabel(this))
    , m_thumbRow(new QWidget(this))
    , m_caption(new QLabel(this))
    , m_progress(new QLabel(this))
    , m_thinking(new ChatThinkingSection(this))
    , m_content(new ChatMarkdownView(this))
    , m_error(new QLabel(this))
    , m_footer(new QLabel(this))
{
    setObjectName(QStringLiteral("chat.message"));
    setProperty("chatRole",
                role == Role::User ? QStringLiteral("user") : QStringLiteral("assistant"));
    m_title->setObjectName(QStringLiteral("chat.messageTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_thumbLayout = new QHBoxLayout(m_thumbRow);
    m_thumbLayout->setContentsMargins(0, 0, 0, 0);
    m_thumbLayout->setSpacing(4);
    m_thumbRow->hide();
    // Many thumbnails must not widen the conversation: the row clips instead.
    m_thumbRow->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    m_thumbRow->setFixedHeight(44);
    m_caption->setObjectName(QStringLiteral("chat.attachmentCaption"));
    m_caption->setForegroundRole(QPalette::PlaceholderText);
    m_caption->hide();
    m_progress->setObjectName(QStringLiteral("chat.workflowProgress"));
    m_progress->setForegroundRole(QPalette::PlaceholderText);
    m_progress->hide();
    m_thinking->hide();
    m_content->setObjectName(QStringLiteral("chat.content"));
    m_error->setObjectName(QStringLiteral("chat.error"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral(
        "QLabel{color:#b42318;background:#fef3f2;border:1px solid #fecdca;border-radius:6px;"
        "padding:6px;}"));
    m_error->hide();
    m_footer->setObjectName(QStringLiteral("chat.footer"));
    m_footer->setForegroundRole(QPalette::PlaceholderText);
    QFont small = m_footer->font();
    small.setPointSizeF(small.pointSizeF() * 0.88);
    m_footer->setFont(small);
    m_footer->setWordWrap(true);
    m_footer->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_footer->hide();

    auto makeButton = [this, &small](const QString &name, const QString &text, const QString &tip) {
        auto *b = new QToolButton(this);
        b->setObjectName(name);
        b->setText(text);
        b->setToolTip(tip);
        b->setAutoRaise(true);
        b->setFont(small);
        b->setCursor(Qt::PointingHandCursor);
        return b;
    };
    m_copy = makeButton(QStringLiteral("chat.copyMessage"), tr("Copy"), tr("Copy the message"));
    m_regenerate = makeButton(QStringLiteral("chat.regenerate"), tr("Regenerate"),
                              tr("Ask again for this answer"));
    m_edit = makeButton(QStringLiteral("chat.edit"), tr("Edit"),
                        tr("Edit this message and send it again (later messages are removed)"));
    m_regenerate->setVisible(role == Role::Assistant);
    m_edit->setVisible(role == Role::User);
    connect(m_copy, &QToolButton::clicked, this, &ChatMessageWidget::copyRequested);
    connect(m_regenerate, &QToolButton::clicked, this, &ChatMessageWidget::regenerateRequested);
    connect(m_edit, &QToolButton::clicked, this, &ChatMessageWidget::editRequested);

    auto *layout = new QVBoxLayout(this);
    if (role == Role::User)
        layout->setContentsMargins(kUserIndent + 12, 8, 12, 6);
    else
        layout->setContentsMargins(4, 6, 4, 4);
    layout->setSpacing(5);
    auto *head = new QHBoxLayout;
    head->addWidget(m_title);
    head->addStretch(1);
    layout->addLayout(head);
    layout->addWidget(m_thumbRow);
    layout->addWidget(m_caption);
    layout->addWidget(m_progress);
    layout->addWidget(m_thinking);
    layout->addWidget(m_content);
    layout->addWidget(m_error);
    auto *foot = new QHBoxLayout;
    foot->setSpacing(2);
    foot->addWidget(m_footer, 1);
    if (role == Role::User)
        foot->addStretch(1); // the footer stays hidden: keep the actions on the right
    foot->addWidget(m_edit);
    foot->addWidget(m_regenerate);
    foot->addWidget(m_copy);
    layout->addLayout(foot);
    setTitle(title);
}

void ChatMessageWidget::setTitle(const QString &title)
{
    m_title->setText(title);
}

void ChatMessageWidget::setAttachments(const QList<QImage> &thumbnails, const QString &caption)
{
    while (QLayoutItem *item = m_thumbLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const int h = 44;
    int shown = 0;
    for (const QImage &image : thumbnails) {
        if (++shown > 12)
            break;
        auto *label = new QLabel(m_thumbRow);
        label->setObjectName(QStringLiteral("chat.messageThumb"));
        const QImage small = image.scaledToHeight(h * 2, Qt::SmoothTransformation);
        QPixmap pixmap(small.size());
        pixmap.fill(Qt::transparent);
        {
            QPainter p(&pixmap);
            p.setRenderHint(QPainter::Antialiasing);
            QPainterPath path;
            path.addRoundedRect(QRectF(pixmap.rect()), 12, 12);
            p.setClipPath(path);
            p.drawImage(0, 0, small);
        }
        pixmap.setDevicePixelRatio(2);
        label->setPixmap(pixmap);
        m_thumbLayout->addWidget(label);
    }
    if (thumbnails.size() > 12) {
        auto *more = new QLabel(tr("+%1").arg(thumbnails.size() - 12), m_thumbRow);
        m_thumbLayout->addWidget(more);
    }
    m_thumbLayout->addStretch(1);
    m_thumbRow->setVisible(!thumbnails.isEmpty());
    m_caption->setText(caption);
    m_caption->setVisible(!caption.isEmpty());
}

void ChatMessageWidget::appendReasoning(const QString &text)
{
    if (text.isEmpty())
        return;
    if (m_thinking->isHidden()) {
        m_thinking->show();
        m_thinking->setExpanded(true); // open while it streams
        m_thinking->setStreaming(true);
    }
    m_thinking->append(text);
}

void ChatMessageWidget::appendContent(const QString &text)
{
    if (text.isEmpty())
        return;
    if (!m_contentStarted) {
        m_contentStarted = true;
        if (!m_thinking->isHidden()) { // the answer starts: fold the thinking
            m_thinking->setStreaming(false);
            m_thinking->setExpanded(false);
        }
    }
    // vLLM's qwen3 parser leaves the "\n\n" after </think> at the start of the content.
    if (m_content->source().isEmpty()) {
        const QString trimmed = QString(text).remove(QRegularExpression(QStringLiteral("^\\s+")));
        if (trimmed.isEmpty()) {
            m_contentStarted = true;
            return;
        }
        m_content->append(trimmed);
        return;
    }
    m_content->append(text);
}

void ChatMessageWidget::setContent(const QString &markdown, const QString &reasoning)
{
    m_content->setMarkdown(markdown.trimmed());
    if (!reasoning.isEmpty()) {
        m_thinking->show();
        m_thinking->setText(reasoning.trimmed());
        m_thinking->setExpanded(false);
    } else {
        m_thinking->hide();
    }
}

void ChatMessageWidget::finish(qint64 thinkingMs)
{
    m_content->finish();
    if (!m_thinking->isHidden()) {
        m_thinking->setStreaming(false, thinkingMs);
        if (!m_content->source().isEmpty())
            m_thinking->setExpanded(false);
    }
}

void ChatMessageWidget::setStreaming(bool streaming)
{
    m_copy->setEnabled(!streaming);
    m_regenerate->setEnabled(!streaming);
    m_edit->setEnabled(!streaming);
}

void ChatMessageWidget::setFooter(const QString &text, const QString &toolTip)
{
    m_footer->setText(text);
    m_footer->setToolTip(toolTip);
    m_footer->setVisible(!text.isEmpty());
}

void ChatMessageWidget::setError(const QString &text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void ChatMessageWidget::setProgress(const QStringList &lines)
{
    m_progress->setText(lines.join(QLatin1Char('\n')));
    m_progress->setVisible(!lines.isEmpty());
}

void ChatMessageWidget::setRegenerateVisible(bool visible)
{
    m_regenerate->setVisible(visible && m_role == Role::Assistant);
}

void ChatMessageWidget::paintEvent(QPaintEvent *event)
{
    QFrame::paintEvent(event);
    if (m_role != Role::User)
        return;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    const QColor fill = dark ? QColor(0x26, 0x3a, 0x5c) : QColor(0xea, 0xf1, 0xfd);
    const QColor border = dark ? QColor(0x34, 0x4d, 0x78) : QColor(0xd3, 0xe1, 0xfa);
    QPainterPath path;
    path.addRoundedRect(QRectF(rect()).adjusted(kUserIndent + 0.5, 0.5, -0.5, -0.5), 12, 12);
    p.setPen(border);
    p.setBrush(fill);
    p.drawPath(path);
}

} // namespace flowbench::panels

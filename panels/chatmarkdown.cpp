#include "chatmarkdown.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QPainter>
#include <QPainterPath>
#include <QTextCharFormat>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextOption>
#include <QTextTable>
#include <QTimer>
#include <QToolButton>

namespace flowbench::panels {

namespace {

constexpr qreal kBlockSpacing = 8;
constexpr qreal kListSpacing = 2;
constexpr int kMinParse = 24; // a shorter open tail is shown as plain text

struct LineInfo
{
    int indent = 0; // leading spaces (a tab counts 4)
    int textStart = 0;
    bool blank = true;
};

LineInfo lineInfo(const QString &s, int start, int end)
{
    LineInfo info;
    int i = start;
    for (; i < end; ++i) {
        const QChar c = s.at(i);
        if (c == QLatin1Char(' '))
            ++info.indent;
        else if (c == QLatin1Char('\t'))
            info.indent += 4;
        else if (c != QLatin1Char('\r'))
            break;
    }
    info.textStart = i;
    info.blank = i >= end;
    return info;
}

// ``` or ~~~ (3+), at most 3 spaces of indent.
bool isFence(const QString &s, const LineInfo &info, int end, QChar *fenceChar, int *length)
{
    if (info.blank || info.indent > 3)
        return false;
    const QChar c = s.at(info.textStart);
    if (c != QLatin1Char('`') && c != QLatin1Char('~'))
        return false;
    int n = 0;
    while (info.textStart + n < end && s.at(info.textStart + n) == c)
        ++n;
    if (n < 3)
        return false;
    if (fenceChar)
        *fenceChar = c;
    if (length)
        *length = n;
    return true;
}

bool isHeading(const QString &s, const LineInfo &info, int end)
{
    if (info.blank || info.indent > 3 || s.at(info.textStart) != QLatin1Char('#'))
        return false;
    int n = 0;
    while (info.textStart + n < end && s.at(info.textStart + n) == QLatin1Char('#'))
        ++n;
    return n <= 6 && (info.textStart + n >= end || s.at(info.textStart + n) == QLatin1Char(' '));
}

bool isListItem(const QString &s, const LineInfo &info, int end)
{
    if (info.blank || info.indent > 1)
        return false;
    int i = info.textStart;
    const QChar c = s.at(i);
    if (c == QLatin1Char('-') || c == QLatin1Char('*') || c == QLatin1Char('+')) {
        ++i;
    } else {
        const int digits = i;
        while (i < end && s.at(i).isDigit() && i - digits < 9)
            ++i;
        if (i == digits || i >= end || (s.at(i) != QLatin1Char('.') && s.at(i) != QLatin1Char(')')))
            return false;
        ++i;
    }
    return i < end && s.at(i) == QLatin1Char(' ');
}

bool isTableLine(const QString &s, const LineInfo &info)
{
    return !info.blank && info.indent <= 3 && s.at(info.textStart) == QLatin1Char('|');
}

// Qt's Markdown tables have a heavy double grid: one light, collapsed rule instead.
void styleTables(QTextDocument *doc)
{
    for (QTextFrame *frame : doc->rootFrame()->childFrames()) {
        auto *table = qobject_cast<QTextTable *>(frame);
        if (!table)
            continue;
        QTextTableFormat format = table->format();
        format.setBorder(1);
        format.setBorderBrush(QColor(0xd0, 0xd5, 0xdd));
        format.setBorderStyle(QTextFrameFormat::BorderStyle_Solid);
        format.setBorderCollapse(true);
        format.setCellSpacing(0);
        format.setCellPadding(5);
        table->setFormat(format);
        for (int c = 0; c < table->columns(); ++c) {
            QTextTableCell cell = table->cellAt(0, c);
            QTextTableCellFormat cellFormat = cell.format().toTableCellFormat();
            cellFormat.setBackground(QColor(0xf4, 0xf5, 0xf7));
            cell.setFormat(cellFormat);
        }
    }
}

} // namespace

ChatMarkdownDocument::ChatMarkdownDocument()
    : m_codeFont(QFontDatabase::systemFont(QFontDatabase::FixedFont))
{}

ChatMarkdownDocument::~ChatMarkdownDocument() = default;

void ChatMarkdownDocument::setFont(const QFont &font)
{
    if (font == m_font)
        return;
    m_font = font;
    m_codeFont = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_codeFont.setPointSizeF(font.pointSizeF() > 0 ? font.pointSizeF() * 0.95
                                                   : m_codeFont.pointSizeF());
    for (auto &block : m_blocks) {
        if (block->doc)
            block->doc->setDefaultFont(block->kind == BlockKind::Code ? m_codeFont : m_font);
        block->dirty = true;
    }
    m_geometryDirty = true;
}

void ChatMarkdownDocument::setTextWidth(qreal width)
{
    width = std::max<qreal>(width, 40);
    if (qFuzzyCompare(width, m_width))
        return;
    m_width = width;
    for (auto &block : m_blocks)
        if (block->doc)
            layout(*block);
    m_geometryDirty = true;
}

void ChatMarkdownDocument::clear()
{
    m_source.clear();
    m_scanPos = 0;
    m_finished = false;
    m_blocks.clear();
    m_geometryDirty = true;
}

void ChatMarkdownDocument::setMarkdown(const QString &text)
{
    clear();
    append(text);
    finish();
}

ChatMarkdownDocument::Block *ChatMarkdownDocument::openBlock()
{
    if (m_blocks.empty() || m_blocks.back()->end >= 0)
        return nullptr;
    return m_blocks.back().get();
}

ChatMarkdownDocument::Block &ChatMarkdownDocument::startBlock(BlockKind kind, int at)
{
    auto block = std::make_unique<Block>();
    block->kind = kind;
    block->start = at;
    m_blocks.push_back(std::move(block));
    m_geometryDirty = true;
    return *m_blocks.back();
}

void ChatMarkdownDocument::closeOpen(int at)
{
    if (Block *open = openBlock()) {
        open->end = at;
        open->dirty = true;
    }
}

void ChatMarkdownDocument::append(const QString &chunk)
{
    if (chunk.isEmpty() || m_finished)
        return;
    m_source += chunk;
    int nl = m_source.indexOf(QLatin1Char('\n'), m_scanPos);
    while (nl >= 0) {
        processLine(m_scanPos, nl, nl + 1);
        m_scanPos = nl + 1;
        nl = m_source.indexOf(QLatin1Char('\n'), m_scanPos);
    }
    // The partial last line belongs to the open block, or opens one.
    if (m_scanPos < m_source.size()) {
        Block *open = openBlock();
        if (!open) {
            const LineInfo info = lineInfo(m_source, m_scanPos, int(m_source.size()));
            if (!info.blank) {
                QChar fc;
                int fl = 0;
                if (isFence(m_source, info, int(m_source.size()), &fc, &fl)) {
                    // wait for the whole fence line before opening a code block
                } else {
                    Block &b = startBlock(isTableLine(m_source, info) ? BlockKind::Table
                                                                      : BlockKind::Markdown,
                                          m_scanPos);
                    b.listItem = isListItem(m_source, info, int(m_source.size()));
                }
            }
        } else {
            open->dirty = true;
        }
    }
    if (Block *open = openBlock())
        open->dirty = true;
}

void ChatMarkdownDocument::processLine(int lineStart, int lineEnd, int nextStart)
{
    const LineInfo info = lineInfo(m_source, lineStart, lineEnd);
    Block *open = openBlock();
    if (open && open->kind == BlockKind::Code) {
        QChar fc;
        int fl = 0;
        if (lineStart >= open->contentStart && isFence(m_source, info, lineEnd, &fc, &fl)
            && fc == open->fenceChar && fl >= open->fenceLength
            && m_source.mid(info.textStart + fl, lineEnd - info.textStart - fl)
                   .trimmed()
                   .isEmpty()) {
            open->end = nextStart;
            open->dirty = true;
        }
        return;
    }
    // A block opened by this line while it was partial is decided again now that it is whole.
    if (open && open->start == lineStart) {
        m_blocks.pop_back();
        m_geometryDirty = true;
        open = nullptr;
    }
    if (info.blank) {
        closeOpen(lineStart);
        return;
    }
    QChar fc;
    int fl = 0;
    if (isFence(m_source, info, lineEnd, &fc, &fl)) {
        closeOpen(lineStart);
        Block &b = startBlock(BlockKind::Code, lineStart);
        b.fenceChar = fc;
        b.fenceLength = fl;
        b.language = m_source.mid(info.textStart + fl, lineEnd - info.textStart - fl).trimmed();
        b.contentStart = nextStart;
        b.codeDone = nextStart;
        return;
    }
    if (isHeading(m_source, info, lineEnd)) {
        if (open && open->start != lineStart)
            closeOpen(lineStart);
        if (Block *same = openBlock(); same && same->start == lineStart) {
            same->kind = BlockKind::Markdown;
            same->end = nextStart;
            same->dirty = true;
        } else {
            Block &b = startBlock(BlockKind::Markdown, lineStart);
            b.end = nextStart;
        }
        return;
    }
    if (isTableLine(m_source, info)) {
        if (open && open->kind == BlockKind::Table)
            return;
        if (open && open->start != lineStart)
            closeOpen(lineStart);
        if (Block *same = openBlock(); same && same->start == lineStart)
            same->kind = BlockKind::Table;
        else
            startBlock(BlockKind::Table, lineStart);
        return;
    }
    if (isListItem(m_source, info, lineEnd)) {
        if (open && open->start != lineStart)
            closeOpen(lineStart);
        if (Block *same = openBlock(); same && same->start == lineStart) {
            same->listItem = true;
        } else {
            Block &b = startBlock(BlockKind::Markdown, lineStart);
            b.listItem = true;
        }
        return;
    }
    // A plain line continues a paragraph or list item and ends a table.
    if (open && open->kind == BlockKind::Table) {
        closeOpen(lineStart);
        open = nullptr;
    }
    if (!open)
        startBlock(BlockKind::Markdown, lineStart);
}

void ChatMarkdownDocument::finish()
{
    if (m_finished)
        return;
    if (m_scanPos < m_source.size()) {
        processLine(m_scanPos, int(m_source.size()), int(m_source.size()));
        m_scanPos = int(m_source.size());
    }
    closeOpen(int(m_source.size()));
    m_finished = true;
}

void ChatMarkdownDocument::layout(Block &block)
{
    const qreal inner = block.kind == BlockKind::Code ? m_width - 2 * kCodePadding : m_width;
    // setTextWidth() lays the whole document out again even when the width is the same.
    if (!qFuzzyCompare(block.doc->textWidth(), std::max<qreal>(inner, 20)))
        block.doc->setTextWidth(std::max<qreal>(inner, 20));
    qreal h = block.doc->size().height();
    if (block.kind == BlockKind::Code)
        h += 2 * kCodePadding + kCodeHeader - 6;
    if (block.kind == BlockKind::Markdown && block.doc->isEmpty())
        h = 0;
    block.height = h;
}

void ChatMarkdownDocument::renderCode(Block &block)
{
    QTextCursor cursor(block.doc.get());
    cursor.movePosition(QTextCursor::End);
    if (block.partialLen > 0) {
        cursor.setPosition(cursor.position() - block.partialLen, QTextCursor::KeepAnchor);
        cursor.removeSelectedText();
        block.partialLen = 0;
    }
    // Complete lines (the closing fence excluded).
    const int limit = block.end >= 0 ? block.end : m_scanPos;
    int pos = block.codeDone;
    while (pos < limit) {
        const int nl = m_source.indexOf(QLatin1Char('\n'), pos);
        const int lineEnd = (nl < 0 || nl >= limit) ? limit : nl;
        const int next = (nl < 0 || nl >= limit) ? limit : nl + 1;
        if (block.end >= 0 && next >= block.end) { // the last line of a closed block: a fence?
            const LineInfo info = lineInfo(m_source, pos, lineEnd);
            if (isFence(m_source, info, lineEnd, nullptr, nullptr))
                break;
        }
        QString line = m_source.mid(pos, lineEnd - pos);
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        cursor.insertText(block.codeHasLine ? QLatin1Char('\n') + line : line);
        block.codeHasLine = true;
        pos = next;
        if (nl < 0)
            break;
    }
    block.codeDone = std::max(pos, block.codeDone);
    // The partial last line, unless it may become the closing fence.
    if (block.end < 0 && m_scanPos < m_source.size()) {
        const QString partial = m_source.mid(m_scanPos);
        const QString trimmed = partial.trimmed();
        if (!trimmed.startsWith(block.fenceChar)) {
            const QString text = block.codeHasLine ? QLatin1Char('\n') + partial : partial;
            cursor.insertText(text);
            block.partialLen = int(text.size());
        }
    }
}

void ChatMarkdownDocument::render(Block &block)
{
    if (!block.doc) {
        block.doc = std::make_unique<QTextDocument>();
        block.doc->setDocumentMargin(0);
        block.doc->setUndoRedoEnabled(false);
        block.doc->setDefaultFont(block.kind == BlockKind::Code ? m_codeFont : m_font);
        if (block.kind == BlockKind::Code) {
            QTextOption option = block.doc->defaultTextOption();
            option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
            block.doc->setDefaultTextOption(option);
        }
    }
    if (block.kind == BlockKind::Code) {
        renderCode(block);
    } else {
        int end = block.end >= 0 ? block.end : int(m_source.size());
        if (block.kind == BlockKind::Table && block.end < 0)
            end = std::max(block.start, m_scanPos); // complete rows only
        if (end == block.parsedEnd || (block.end < 0 && end == block.shownEnd)) {
            block.dirty = false;
            return;
        }
        // The open tail is parsed again only when it has grown by half since it was last parsed
        // (so each block is parsed about three times in all, however small the pieces); the
        // characters in between are appended as they are.
        if (block.end < 0 && block.kind == BlockKind::Markdown) {
            const int parsed = block.parsedEnd < 0 ? 0 : block.parsedEnd - block.start;
            const int length = end - block.start;
            if (length < kMinParse || (parsed > 0 && length * 2 < parsed * 3)) {
                const int from = block.shownEnd < 0 ? block.start : block.shownEnd;
                QString more = m_source.mid(from, end - from);
                more.replace(QLatin1Char('\n'), QLatin1Char(' '));
                more.remove(QLatin1Char('\r'));
                QTextCursor cursor(block.doc.get());
                cursor.movePosition(QTextCursor::End);
                cursor.insertText(more, QTextCharFormat());
                block.shownEnd = end;
                block.dirty = false;
                layout(block);
                return;
            }
        }
        block.shownEnd = end;
        block.parsedEnd = end;
        // A fresh document: one that has been laid out re-lays itself out after every insert
        // the Markdown importer makes (quadratic for tables).
        {
            auto fresh = std::make_unique<QTextDocument>();
            fresh->setDocumentMargin(0);
            fresh->setUndoRedoEnabled(false);
            fresh->setDefaultFont(m_font);
            block.doc = std::move(fresh);
        }
        QString text = m_source.mid(block.start, end - block.start);
        // An item's trailing "\n" would make Qt add an empty paragraph.
        while (text.endsWith(QLatin1Char('\n')) || text.endsWith(QLatin1Char('\r')))
            text.chop(1);
        block.doc->setMarkdown(text, QTextDocument::MarkdownDialectGitHub);
        if (block.kind == BlockKind::Table)
            styleTables(block.doc.get());
    }
    ++block.renders;
    block.dirty = false;
    layout(block);
}

bool ChatMarkdownDocument::flush()
{
    bool changed = m_geometryDirty;
    for (auto &block : m_blocks) {
        if (!block->dirty)
            continue;
        const qreal before = block->height;
        render(*block);
        changed = true;
        if (!qFuzzyCompare(before + 1, block->height + 1))
            m_geometryDirty = true;
    }
    if (m_geometryDirty) {
        qreal y = 0;
        const Block *previous = nullptr;
        for (auto &block : m_blocks) {
            if (previous && previous->height > 0 && block->height > 0)
                y += (previous->listItem && block->listItem) ? kListSpacing : kBlockSpacing;
            block->top = y;
            y += block->height;
            if (block->height > 0)
                previous = block.get();
        }
        m_geometryDirty = false;
    }
    return changed;
}

qreal ChatMarkdownDocument::height() const
{
    for (auto it = m_blocks.rbegin(); it != m_blocks.rend(); ++it)
        if ((*it)->height > 0)
            return (*it)->top + (*it)->height;
    return 0;
}

QString ChatMarkdownDocument::plainText() const
{
    QStringList parts;
    for (const auto &block : m_blocks)
        if (block->doc)
            parts << block->doc->toPlainText();
    return parts.join(QLatin1Char('\n'));
}

QString ChatMarkdownDocument::codeText(const Block &block) const
{
    if (block.kind != BlockKind::Code || !block.doc)
        return {};
    QString text = block.doc->toPlainText();
    if (block.partialLen > 0)
        text.chop(block.partialLen);
    return text;
}

int ChatMarkdownDocument::renderCount() const
{
    int n = 0;
    for (const auto &block : m_blocks)
        n += block->renders;
    return n;
}

void ChatMarkdownDocument::paint(QPainter *painter, const QRectF &clip,
                                 const QPalette &palette) const
{
    QAbstractTextDocumentLayout::PaintContext context;
    context.palette = palette;
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    const QColor codeBackground = dark ? QColor(0x2b, 0x2d, 0x31) : QColor(0xf4, 0xf5, 0xf7);
    const QColor codeBorder = dark ? QColor(0x3c, 0x3f, 0x44) : QColor(0xe1, 0xe4, 0xe8);
    for (const auto &block : m_blocks) {
        if (!block->doc || block->height <= 0)
            continue;
        const QRectF rect(0, block->top, m_width, block->height);
        if (!rect.intersects(clip))
            continue;
        painter->save();
        if (block->kind == BlockKind::Code) {
            QPainterPath path;
            path.addRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
            painter->setPen(codeBorder);
            painter->setBrush(codeBackground);
            painter->drawPath(path);
            QFont small = m_font;
            small.setPointSizeF(std::max<qreal>(small.pointSizeF() * 0.85, 7));
            painter->setFont(small);
            painter->setPen(palette.color(QPalette::PlaceholderText));
            painter->drawText(QRectF(rect.left() + kCodePadding, rect.top() + 4, rect.width() / 2,
                                     kCodeHeader - 4),
                              Qt::AlignLeft | Qt::AlignVCenter,
                              block->language.isEmpty() ? QStringLiteral("code") : block->language);
            painter->translate(rect.left() + kCodePadding,
                               rect.top() + kCodeHeader - 6 + kCodePadding);
        } else {
            painter->translate(rect.topLeft());
        }
        context.clip = clip.translated(-painter->transform().dx(), -painter->transform().dy());
        block->doc->documentLayout()->draw(painter, context);
        painter->restore();
    }
}

// ---------------------------------------------------------------------------------------------

ChatMarkdownView::ChatMarkdownView(QWidget *parent)
    : QWidget(parent)
    , m_flushTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("chat.markdown"));
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(33); // ~30 Hz: one render per frame however fast tokens come
    connect(m_flushTimer, &QTimer::timeout, this, &ChatMarkdownView::flushNow);
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    m_doc.setFont(font());
    m_doc.setTextWidth(std::max(width(), 200));
}

ChatMarkdownView::~ChatMarkdownView() = default;

void ChatMarkdownView::append(const QString &chunk)
{
    m_doc.append(chunk);
    if (!m_flushTimer->isActive())
        m_flushTimer->start();
}

void ChatMarkdownView::finish()
{
    m_doc.finish();
    flushNow();
}

void ChatMarkdownView::setMarkdown(const QString &text)
{
    m_doc.setMarkdown(text);
    flushNow();
}

void ChatMarkdownView::clear()
{
    m_doc.clear();
    flushNow();
}

void ChatMarkdownView::setTextColor(const QColor &color)
{
    m_textColor = color;
    update();
}

void ChatMarkdownView::flushNow()
{
    m_flushTimer->stop();
    if (m_doc.flush())
        afterFlush();
}

void ChatMarkdownView::afterFlush()
{
    int codeBlocks = 0;
    for (const auto &block : m_doc.blocks())
        if (block->kind == ChatMarkdownDocument::BlockKind::Code)
            ++codeBlocks;
    while (m_copyButtons.size() < codeBlocks) {
        auto *button = new QToolButton(this);
        button->setObjectName(QStringLiteral("chat.copyCode"));
        button->setText(tr("Copy"));
        button->setToolTip(tr("Copy the code"));
        button->setAutoRaise(true);
        button->setCursor(Qt::PointingHandCursor);
        const int index = int(m_copyButtons.size());
        connect(button, &QToolButton::clicked, this, [this, index] {
            int n = 0;
            for (const auto &block : m_doc.blocks()) {
                if (block->kind != ChatMarkdownDocument::BlockKind::Code)
                    continue;
                if (n++ == index) {
                    const QString code = m_doc.codeText(*block);
                    QGuiApplication::clipboard()->setText(code);
                    Q_EMIT codeCopied(code);
                    return;
                }
            }
        });
        button->show();
        m_copyButtons.append(button);
    }
    while (m_copyButtons.size() > codeBlocks)
        delete m_copyButtons.takeLast();
    placeCopyButtons();
    const int h = int(std::ceil(m_doc.height()));
    if (h != m_lastHeight) {
        m_lastHeight = h;
        updateGeometry();
    }
    update();
}

void ChatMarkdownView::placeCopyButtons()
{
    int n = 0;
    for (const auto &block : m_doc.blocks()) {
        if (block->kind != ChatMarkdownDocument::BlockKind::Code)
            continue;
        QToolButton *button = m_copyButtons.value(n++);
        if (!button)
            break;
        const QSize hint = button->sizeHint();
        const int bh = int(ChatMarkdownDocument::kCodeHeader);
        button->setGeometry(int(m_doc.textWidth()) - hint.width() - 4, int(block->top) + 2,
                            hint.width(), std::min(hint.height(), bh));
    }
}

int ChatMarkdownView::heightForWidth(int width) const
{
    if (width <= 0)
        return int(std::ceil(m_doc.height()));
    if (!qFuzzyCompare(qreal(width), m_doc.textWidth())) {
        m_doc.setTextWidth(width);
        m_doc.flush();
    }
    return int(std::ceil(m_doc.height()));
}

QSize ChatMarkdownView::sizeHint() const
{
    return {int(m_doc.textWidth()), int(std::ceil(m_doc.height()))};
}

QSize ChatMarkdownView::minimumSizeHint() const
{
    return {60, 0};
}

void ChatMarkdownView::paintEvent(QPaintEvent *event)
{
    Q_UNUSED(event)
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    QPalette pal = palette();
    if (m_textColor.isValid())
        pal.setColor(QPalette::Text, m_textColor);
    m_doc.paint(&painter, QRectF(rect()), pal);
}

void ChatMarkdownView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    m_doc.setTextWidth(width());
    m_doc.flush();
    placeCopyButtons();
    const int h = int(std::ceil(m_doc.height()));
    if (h != m_lastHeight) {
        m_lastHeight = h;
        updateGeometry();
    }
}

void ChatMarkdownView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        m_doc.setFont(font());
        flushNow();
    }
}

} // namespace flowbench::panels

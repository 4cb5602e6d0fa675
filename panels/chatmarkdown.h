#pragma once

#include <QColor>
#include <QFont>
#include <QPalette>
#include <QString>
#include <QWidget>

#include <memory>
#include <vector>

class QPainter;
class QTextDocument;
class QTimer;
class QToolButton;

namespace flowbench::panels {

// Streaming Markdown, laid out block by block (the chat pane's answers and thinking text).
//
// The source is split into blocks as it arrives: paragraphs, top-level list items, headings,
// fenced code blocks and tables. A block that is finished (a blank line, the next list item or
// heading, a closing fence, a line that ends a table) is rendered ONCE into its own QTextDocument
// (QTextDocument::setMarkdown, GitHub dialect) and never touched again; only the open tail block
// is re-rendered when flush() runs. Code blocks are appended to line by line (no re-parse), and a
// table's partial last row is left out until its line ends. So the cost of streaming grows
// linearly with the answer (bench_markdown measures it).
//
// Not a widget: ChatMarkdownView paints it; bench_markdown drives it directly. GUI thread only
// (QTextDocument needs a QGuiApplication for fonts).
//
//     ChatMarkdownDocument md;
//     md.setTextWidth(600);
//     md.append(QStringLiteral("# Title\n\nSome **bold")); md.flush();
//     md.append(QStringLiteral("** text\n")); md.finish(); md.flush();
//     md.height(); md.paint(&painter, clip, palette);
class ChatMarkdownDocument
{
public:
    enum class BlockKind { Markdown, Code, Table };

    struct Block
    {
        BlockKind kind = BlockKind::Markdown;
        int start = 0;        // offset of the block's first character in source()
        int end = -1;         // one past its last character; -1 while it is the open tail
        int contentStart = 0; // code: offset after the opening fence line
        QString language;     // code: the fence's info string
        QChar fenceChar;
        int fenceLength = 0;
        bool listItem = false;
        std::unique_ptr<QTextDocument> doc;
        bool dirty = true;
        int renders = 0;    // how many times the block was parsed (setMarkdown) or code appended
        int shownEnd = -1;  // markdown/table: source offset up to which the doc shows text
        int parsedEnd = -1; // markdown: source offset up to which it was parsed as Markdown
        qreal top = 0;
        qreal height = 0;
        // code blocks: appended incrementally
        int codeDone = 0; // source offset up to which complete code lines are in doc
        bool codeHasLine = false;
        int partialLen = 0; // characters of the shown partial last line (incl. its separator)
    };

    ChatMarkdownDocument();
    ~ChatMarkdownDocument();

    void setFont(const QFont &font);
    void setTextWidth(qreal width);
    [[nodiscard]] qreal textWidth() const { return m_width; }

    // Adds streamed text (cheap: block boundaries only; rendering waits for flush()).
    void append(const QString &chunk);
    // The stream ended: the last line and the tail block are complete.
    void finish();
    // Replaces everything with finished text.
    void setMarkdown(const QString &text);
    void clear();
    // Renders the blocks that changed; returns true when the height or any pixels changed.
    bool flush();

    [[nodiscard]] QString source() const { return m_source; }
    [[nodiscard]] bool isFinished() const { return m_finished; }
    [[nodiscard]] qreal height() const;
    [[nodiscard]] const std::vector<std::unique_ptr<Block>> &blocks() const { return m_blocks; }
    // The rendered text of all blocks (what a user reads), blocks separated by "\n".
    [[nodiscard]] QString plainText() const;
    [[nodiscard]] QString codeText(const Block &block) const;
    // Total renders of all blocks (tests: finished blocks are rendered once).
    [[nodiscard]] int renderCount() const;

    // Paints the blocks that intersect `clip` at (0, 0).
    void paint(QPainter *painter, const QRectF &clip, const QPalette &palette) const;

    static constexpr qreal kCodePadding = 10;
    static constexpr qreal kCodeHeader = 22;

private:
    void processLine(int lineStart, int lineEnd, int nextStart);
    void closeOpen(int at);
    Block *openBlock();
    Block &startBlock(BlockKind kind, int at);
    void render(Block &block);
    void renderCode(Block &block);
    void layout(Block &block);

    QString m_source;
    int m_scanPos = 0; // start of the first line not yet classified
    bool m_finished = false;
    std::vector<std::unique_ptr<Block>> m_blocks;
    QFont m_font;
    QFont m_codeFont;
    qreal m_width = 400;
    bool m_geometryDirty = true;
};

// A widget showing a ChatMarkdownDocument: height-for-width, code blocks with a "Copy" button,
// appended chunks coalesced into one render per frame (~30 Hz) so a fast stream never floods
// the event loop. GUI thread only.
class ChatMarkdownView : public QWidget
{
    Q_OBJECT

public:
    explicit ChatMarkdownView(QWidget *parent = nullptr);
    ~ChatMarkdownView() override;

    void append(const QString &chunk); // renders on the next frame
    void finish();                     // renders now
    void setMarkdown(const QString &text);
    void clear();
    void flushNow();
    void setTextColor(const QColor &color);

    [[nodiscard]] QString source() const { return m_doc.source(); }
    [[nodiscard]] QString plainText() const { return m_doc.plainText(); }
    [[nodiscard]] const ChatMarkdownDocument &document() const { return m_doc; }
    [[nodiscard]] QList<QToolButton *> copyButtons() const { return m_copyButtons; }

    [[nodiscard]] bool hasHeightForWidth() const override { return true; }
    [[nodiscard]] int heightForWidth(int width) const override;
    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

Q_SIGNALS:
    void codeCopied(const QString &code);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void afterFlush();
    void placeCopyButtons();

    mutable ChatMarkdownDocument m_doc;
    QTimer *m_flushTimer = nullptr;
    QList<QToolButton *> m_copyButtons;
    QColor m_textColor;
    int m_lastHeight = -1;
};

} // namespace flowbench::panels

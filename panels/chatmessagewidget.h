#pragma once

#include <QFrame>
#include <QImage>
#include <QList>

class QLabel;
class QToolButton;
class QVBoxLayout;
class QHBoxLayout;

namespace flowbench::panels {

class ChatMarkdownView;

// The folded "Thinking" section of an assistant message ("chat.thinking"): a header button
// ("Thinking…" while it streams, "Thought for 3.2 s" after) and the reasoning as Markdown in a
// muted colour. Open while the reasoning streams; the message folds it when the answer starts.
class ChatThinkingSection : public QFrame
{
    Q_OBJECT

public:
    explicit ChatThinkingSection(QWidget *parent = nullptr);

    void append(const QString &reasoning);
    void setText(const QString &reasoning);
    void setStreaming(bool streaming, qint64 elapsedMs = -1);
    void setExpanded(bool expanded);
    void setTokens(qint64 tokens); // reasoning tokens, when the server reports them
    [[nodiscard]] bool isExpanded() const;
    [[nodiscard]] QString text() const;
    [[nodiscard]] ChatMarkdownView *view() const { return m_view; }
    [[nodiscard]] QToolButton *toggleButton() const { return m_toggle; }

private:
    void updateHeader();

    QToolButton *m_toggle = nullptr;
    ChatMarkdownView *m_view = nullptr;
    bool m_streaming = false;
    qint64 m_elapsedMs = -1;
    qint64 m_tokens = 0;
};

// One message in the chat list ("chat.message"): a role line, the user's attachments as
// thumbnails, workflow node progress, the folded thinking section, the answer as streamed
// Markdown, an error line, a footer (tokens, time to first token, tokens/s, cost) and hover
// actions (Copy; Regenerate on the last answer; Edit on user messages). User messages are drawn
// as a tinted bubble on the right.
class ChatMessageWidget : public QFrame
{
    Q_OBJECT

public:
    enum class Role { User, Assistant };

    ChatMessageWidget(Role role, const QString &title, QWidget *parent = nullptr);

    [[nodiscard]] Role role() const { return m_role; }
    [[nodiscard]] ChatMarkdownView *content() const { return m_content; }
    [[nodiscard]] ChatThinkingSection *thinking() const { return m_thinking; }
    [[nodiscard]] QLabel *footer() const { return m_footer; }
    [[nodiscard]] QLabel *errorLabel() const { return m_error; }
    [[nodiscard]] QLabel *progressLabel() const { return m_progress; }

    void setTitle(const QString &title);
    void setAttachments(const QList<QImage> &thumbnails, const QString &caption);
    // Streaming: reasoning opens the thinking section; the first content folds it.
    void appendReasoning(const QString &text);
    void appendContent(const QString &text);
    void setContent(const QString &markdown, const QString &reasoning);
    void finish(qint64 thinkingMs = -1);
    void setStreaming(bool streaming);
    void setFooter(const QString &text, const QString &toolTip = {});
    void setError(const QString &text);
    // Workflow mode: one line per node ("✓ LLM 1.2 s").
    void setProgress(const QStringList &lines);
    void setRegenerateVisible(bool visible);

Q_SIGNALS:
    void copyRequested();
    void regenerateRequested();
    void editRequested();

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    Role m_role;
    QLabel *m_title = nullptr;
    QWidget *m_thumbRow = nullptr;
    QHBoxLayout *m_thumbLayout = nullptr;
    QLabel *m_caption = nullptr;
    QLabel *m_progress = nullptr;
    ChatThinkingSection *m_thinking = nullptr;
    ChatMarkdownView *m_content = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_footer = nullptr;
    QToolButton *m_copy = nullptr;
    QToolButton *m_regenerate = nullptr;
    QToolButton *m_edit = nullptr;
    bool m_contentStarted = false;
};

} // namespace flowbench::panels

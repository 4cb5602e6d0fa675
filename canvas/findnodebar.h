#pragma once

#include <QFrame>
#include <QStringList>

class QLabel;
class QLineEdit;
class QToolButton;

namespace flowbench::canvas {

class WorkflowView;

// "Find node" (Ctrl+F): a bar the view shows over its top-right corner. It matches nodes whose
// title, id, kind or kind name contains the text, case-insensitively, in document order. Typing
// goes to the first match; Enter or F3 goes to the next one, Shift+Enter or Shift+F3 to the
// previous one (wrapping around). Going to a match selects that node alone and centres the view
// on it; the bar shows "2 of 5" or "No match". Escape hides the bar and gives the view its focus
// back. Matches are recomputed when the document changes. GUI thread only.
class FindNodeBar : public QFrame
{
    Q_OBJECT

public:
    explicit FindNodeBar(WorkflowView *view);

    [[nodiscard]] QLineEdit *lineEdit() const { return m_edit; }
    // Ids of the matching nodes, in document order.
    [[nodiscard]] QStringList matches() const { return m_matches; }
    // Index into matches() of the node last gone to; -1 when none.
    [[nodiscard]] int currentMatch() const { return m_current; }
    // "2 of 5", "No match", or empty while the text is empty.
    [[nodiscard]] QString statusText() const;

public Q_SLOTS:
    // Shows the bar, focuses the text and selects it.
    void activate();
    // Hides the bar and focuses the view.
    void dismiss();
    void findNext();
    void findPrevious();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void refreshMatches();
    void goTo(int index);
    void updateStatus();

    WorkflowView *m_view = nullptr;
    QLineEdit *m_edit = nullptr;
    QLabel *m_status = nullptr;
    QToolButton *m_previous = nullptr;
    QToolButton *m_next = nullptr;
    QToolButton *m_close = nullptr;
    QStringList m_matches;
    int m_current = -1;
    bool m_stale = false; // the document changed since the matches were computed
};

} // namespace flowbench::canvas

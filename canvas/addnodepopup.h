#pragma once

#include <QFrame>

class QLineEdit;
class QTreeView;

namespace flowbench::canvas {

class NodeKindModel;

// The searchable "add node" popup shown where a connection was dropped on empty canvas: a
// frameless Qt::Popup with the search line focused over the addable kinds by category. Typing
// filters (NodeKindModel) and selects the first match; Up/Down move; Enter or a click on a kind
// emits kindChosen(kind) and closes; Escape (or a click outside) closes without a choice.
// GUI thread only.
//
//     auto *popup = new AddNodePopup(view);
//     connect(popup, &AddNodePopup::kindChosen, view, [=](const QString &kind) { ... });
//     popup->popup(QCursor::pos());
class AddNodePopup : public QFrame
{
    Q_OBJECT

public:
    explicit AddNodePopup(QWidget *parent = nullptr);

    [[nodiscard]] QLineEdit *searchField() const { return m_search; }
    [[nodiscard]] QTreeView *kindView() const { return m_view; }
    [[nodiscard]] NodeKindModel *model() const { return m_model; }

    // Clears the search, shows the popup with its top-left at `globalPos` (moved to stay on the
    // screen) and focuses the search line.
    void popup(const QPoint &globalPos);

Q_SIGNALS:
    void kindChosen(const QString &kind);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void applyFilter(const QString &text);
    void choose(const QModelIndex &index);

    QLineEdit *m_search = nullptr;
    QTreeView *m_view = nullptr;
    NodeKindModel *m_model = nullptr;
};

} // namespace flowbench::canvas

#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QMimeData;
class QTreeView;

namespace flowbench::canvas {

class NodeKindModel;

// The node palette (the main window puts it in the dock "dock.palette"): a search line over the
// addable node kinds, grouped by category, each with its icon and its description as tooltip.
//  - Typing filters by translated name, kind id or description (NodeKindModel); the first match
//    is selected, Up/Down in the search line move through the matches.
//  - Dragging a kind starts a QDrag carrying kNodeKindMimeType (the scene adds the node where it
//    is dropped).
//  - Double-click, or Enter in the list or the search line, emits kindActivated(kind); the
//    window then adds that kind at the centre of the view.
// GUI thread only.
//
//     auto *palette = new NodePalette;
//     connect(palette, &NodePalette::kindActivated, window, [=](const QString &kind) {
//         scene->addNodeAt(kind, view->mapToScene(view->viewport()->rect().center()));
//     });
class NodePalette : public QWidget
{
    Q_OBJECT

public:
    explicit NodePalette(QWidget *parent = nullptr);

    [[nodiscard]] QLineEdit *searchField() const { return m_search; }
    [[nodiscard]] QTreeView *kindView() const { return m_view; }
    [[nodiscard]] NodeKindModel *model() const { return m_model; }
    // The kind selected in the list; empty when none.
    [[nodiscard]] QString currentKind() const;

    // What a drag of `kind` carries (caller owns it); tests build the same drop with it.
    [[nodiscard]] static QMimeData *mimeDataForKind(const QString &kind);

public Q_SLOTS:
    // Focuses the search line and selects its text.
    void focusSearch();

Q_SIGNALS:
    void kindActivated(const QString &kind);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void applyFilter(const QString &text);
    void activateCurrent();

    QLineEdit *m_search = nullptr;
    QTreeView *m_view = nullptr;
    QLabel *m_empty = nullptr;
    NodeKindModel *m_model = nullptr;
};

} // namespace flowbench::canvas

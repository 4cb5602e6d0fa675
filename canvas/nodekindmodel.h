#pragma once

#include <QAbstractItemModel>
#include <QIcon>
#include <QString>
#include <QStringList>

#include <vector>

class QMimeData;

namespace flowbench::canvas {

// The node kinds a user can add, as a two-level tree: category rows (not selectable), each with
// the kinds of that category in the registry's order. Categories come in the order of Dify's
// block selector (flow and models first, then knowledge, logic, containers, transforms, tools,
// notes). Kinds the registry marks as not addable (iteration-start, loop-start, legacy aliases)
// are left out. Names, descriptions and category names are the registry's translated strings.
//
// setFilterText() narrows the tree to the kinds whose translated name, kind id or description
// contains the text (case-insensitive); categories left empty disappear. The model resets on
// every filter change. Kind rows drag as kNodeKindMimeType (mimetypes.h) carrying the kind.
// GUI thread only (icons are pixmaps).
//
//     NodeKindModel model;
//     model.setFilterText(QStringLiteral("llm"));
//     model.visibleKinds(); // {"llm"}
class NodeKindModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Role {
        KindRole = Qt::UserRole + 1, // QString: the kind id, empty on category rows
        DescriptionRole,             // QString: one translated line
        IsCategoryRole,              // bool
    };

    explicit NodeKindModel(QObject *parent = nullptr);

    void setFilterText(const QString &text);
    [[nodiscard]] QString filterText() const { return m_filter; }

    // The kinds shown now, in display order.
    [[nodiscard]] QStringList visibleKinds() const;
    // The row of a kind shown now; invalid when filtered out or unknown.
    [[nodiscard]] QModelIndex indexOfKind(const QString &kind) const;
    // The first kind row shown now; invalid when nothing matches.
    [[nodiscard]] QModelIndex firstKindIndex() const;
    // The kind row after (step 1) or before (step -1) `current`, skipping category rows;
    // `current` itself (or the first kind) at either end.
    [[nodiscard]] QModelIndex neighbourKindIndex(const QModelIndex &current, int step) const;

    // The kind's icon (its SVG rendered at 16, 20, 32 and 40 px; a lettered tile when the
    // resource is missing). Cached for the life of the application.
    [[nodiscard]] static QIcon iconForKind(const QString &kind);
    // A new QMimeData (caller owns it) carrying `kind` as kNodeKindMimeType, as a drag does.
    [[nodiscard]] static QMimeData *mimeDataForKind(const QString &kind);

    [[nodiscard]] QModelIndex index(int row, int column,
                                    const QModelIndex &parent = {}) const override;
    [[nodiscard]] QModelIndex parent(const QModelIndex &child) const override;
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex &index) const override;
    [[nodiscard]] QStringList mimeTypes() const override;
    [[nodiscard]] QMimeData *mimeData(const QModelIndexList &indexes) const override;
    [[nodiscard]] Qt::DropActions supportedDragActions() const override;

private:
    struct Entry
    {
        QString kind;
        QString name;
        QString description;
        int category = 0;
    };
    struct Group
    {
        int category = 0;
        QString name;
        std::vector<int> entries; // indexes into m_entries
    };

    void rebuildGroups();
    [[nodiscard]] const Entry *entryAt(const QModelIndex &index) const;

    std::vector<Entry> m_entries;
    std::vector<Group> m_groups; // what is shown, after the filter
    QString m_filter;
};

} // namespace flowbench::canvas

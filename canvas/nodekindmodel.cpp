#include "nodekindmodel.h"

#include "canvasstyle.h"
#include "mimetypes.h"
#include "nodes/registry.h"

#include <QFont>
#include <QHash>
#include <QMimeData>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QSize>
#include <QSvgRenderer>

#include <algorithm>
#include <array>

namespace flowbench::canvas {

namespace {

using nodes::Category;

// Dify's block selector: the everyday blocks first, then question understanding, logic,
// transforms and tools; notes last.
constexpr std::array kCategoryOrder
    = {Category::Flow,      Category::Model,     Category::Knowledge, Category::Logic,
       Category::Container, Category::Transform, Category::Tool,      Category::Annotation};

constexpr int kRowHeight = 26; // room around the 20 px icons

int categoryRank(Category category)
{
    const auto it = std::find(kCategoryOrder.begin(), kCategoryOrder.end(), category);
    return int(it - kCategoryOrder.begin());
}

QPixmap renderIcon(const QString &kind, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const nodes::NodeKindInfo *info = nodes::NodeRegistry::instance().find(kind);
    const QString path = info ? info->icon : QString();
    if (QSvgRenderer *renderer = path.isEmpty() ? nullptr : style::iconRenderer(path)) {
        renderer->render(&painter, QRectF(0, 0, size, size));
        return pixmap;
    }
    // No icon resource linked (a test binary, a plugin kind): a lettered tile in Dify's style.
    QPainterPath tile;
    tile.addRoundedRect(QRectF(0, 0, size, size), size / 4.0, size / 4.0);
    painter.fillPath(tile, style::subtitleText());
    QFont font = painter.font();
    font.setPixelSize(std::max(6, size * 5 / 8));
    font.setBold(true);
    painter.setFont(font);
    painter.setPen(Qt::white);
    const QString name = info ? info->displayName : kind;
    painter.drawText(QRectF(0, 0, size, size), Qt::AlignCenter, name.left(1).toUpper());
    return pixmap;
}

} // namespace

NodeKindModel::NodeKindModel(QObject *parent)
    : QAbstractItemModel(parent)
{
    for (const nodes::NodeKindInfo &info : nodes::NodeRegistry::instance().kinds()) {
        if (!info.canBeAdded || info.isContainerStart)
            continue;
        m_entries.push_back(
            Entry{info.kind, info.displayName, info.description, categoryRank(info.category)});
    }
    // Stable: kinds keep the registry's order inside their category.
    std::stable_sort(m_entries.begin(), m_entries.end(),
                     [](const Entry &a, const Entry &b) { return a.category < b.category; });
    rebuildGroups();
}

void NodeKindModel::setFilterText(const QString &text)
{
    const QString filter = text.trimmed();
    if (filter == m_filter)
        return;
    beginResetModel();
    m_filter = filter;
    rebuildGroups();
    endResetModel();
}

void NodeKindModel::rebuildGroups()
{
    m_groups.clear();
    for (int i = 0; i < int(m_entries.size()); ++i) {
        const Entry &entry = m_entries[size_t(i)];
        if (!m_filter.isEmpty() && !entry.name.contains(m_filter, Qt::CaseInsensitive)
            && !entry.kind.contains(m_filter, Qt::CaseInsensitive)
            && !entry.description.contains(m_filter, Qt::CaseInsensitive)) {
            continue;
        }
        if (m_groups.empty() || m_groups.back().category != entry.category) {
            m_groups.push_back(
                Group{entry.category,
                      nodes::NodeRegistry::categoryName(kCategoryOrder[size_t(entry.category)]),
                      {}});
        }
        m_groups.back().entries.push_back(i);
    }
}

QStringList NodeKindModel::visibleKinds() const
{
    QStringList kinds;
    for (const Group &group : m_groups) {
        for (int entry : group.entries)
            kinds.append(m_entries[size_t(entry)].kind);
    }
    return kinds;
}

QModelIndex NodeKindModel::indexOfKind(const QString &kind) const
{
    for (int g = 0; g < int(m_groups.size()); ++g) {
        const std::vector<int> &entries = m_groups[size_t(g)].entries;
        for (int row = 0; row < int(entries.size()); ++row) {
            if (m_entries[size_t(entries[size_t(row)])].kind == kind)
                return createIndex(row, 0, quintptr(g + 1));
        }
    }
    return {};
}

QModelIndex NodeKindModel::firstKindIndex() const
{
    if (m_groups.empty())
        return {};
    return createIndex(0, 0, quintptr(1)); // a group exists only with at least one entry
}

QModelIndex NodeKindModel::neighbourKindIndex(const QModelIndex &current, int step) const
{
    const QStringList kinds = visibleKinds();
    if (kinds.isEmpty())
        return {};
    const int at = kinds.indexOf(data(current, KindRole).toString());
    if (at < 0)
        return firstKindIndex();
    return indexOfKind(kinds.at(std::clamp(at + step, 0, int(kinds.size()) - 1)));
}

QIcon NodeKindModel::iconForKind(const QString &kind)
{
    static QHash<QString, QIcon> cache;
    auto it = cache.find(kind);
    if (it == cache.end()) {
        QIcon icon;
        for (int size : {16, 20, 32, 40})
            icon.addPixmap(renderIcon(kind, size));
        it = cache.insert(kind, icon);
    }
    return it.value();
}

QMimeData *NodeKindModel::mimeDataForKind(const QString &kind)
{
    auto *mime = new QMimeData;
    mime->setData(QString::fromLatin1(kNodeKindMimeType), kind.toUtf8());
    return mime;
}

const NodeKindModel::Entry *NodeKindModel::entryAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() == 0)
        return nullptr;
    const size_t group = size_t(index.internalId() - 1);
    if (group >= m_groups.size() || index.row() >= int(m_groups[group].entries.size()))
        return nullptr;
    return &m_entries[size_t(m_groups[group].entries[size_t(index.row())])];
}

QModelIndex NodeKindModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column != 0 || row < 0)
        return {};
    if (!parent.isValid())
        return row < int(m_groups.size()) ? createIndex(row, 0, quintptr(0)) : QModelIndex();
    if (parent.internalId() != 0 || parent.row() >= int(m_groups.size()))
        return {};
    if (row >= int(m_groups[size_t(parent.row())].entries.size()))
        return {};
    return createIndex(row, 0, quintptr(parent.row() + 1));
}

QModelIndex NodeKindModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int NodeKindModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() != 0 || parent.row() >= int(m_groups.size()))
        return 0;
    return int(m_groups[size_t(parent.row())].entries.size());
}

int NodeKindModel::columnCount(const QModelIndex &) const
{
    return 1;
}

QVariant NodeKindModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    if (index.internalId() == 0) {
        if (index.row() >= int(m_groups.size()))
            return {};
        switch (role) {
        case Qt::DisplayRole:
            return m_groups[size_t(index.row())].name;
        case IsCategoryRole:
            return true;
        case Qt::SizeHintRole:
            return QSize(160, kRowHeight);
        case Qt::ForegroundRole:
            return style::subtitleText();
        case Qt::FontRole: {
            QFont font;
            font.setBold(true);
            font.setPointSizeF(font.pointSizeF() * 0.9);
            return font;
        }
        default:
            return {};
        }
    }
    const Entry *entry = entryAt(index);
    if (!entry)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return entry->name;
    case Qt::DecorationRole:
        return iconForKind(entry->kind);
    case Qt::ToolTipRole:
        return entry->description;
    case KindRole:
        return entry->kind;
    case DescriptionRole:
        return entry->description;
    case IsCategoryRole:
        return false;
    case Qt::SizeHintRole:
        return QSize(160, kRowHeight);
    default:
        return {};
    }
}

Qt::ItemFlags NodeKindModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    if (index.internalId() == 0)
        return Qt::ItemIsEnabled;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled
           | Qt::ItemNeverHasChildren;
}

QStringList NodeKindModel::mimeTypes() const
{
    return {QString::fromLatin1(kNodeKindMimeType)};
}

QMimeData *NodeKindModel::mimeData(const QModelIndexList &indexes) const
{
    for (const QModelIndex &index : indexes) {
        if (const Entry *entry = entryAt(index))
            return mimeDataForKind(entry->kind);
    }
    return nullptr;
}

Qt::DropActions NodeKindModel::supportedDragActions() const
{
    return Qt::CopyAction;
}

} // namespace flowbench::canvas

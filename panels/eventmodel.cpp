#include "eventmodel.h"

#include <QColor>
#include <QDateTime>
#include <QIcon>
#include <QPainter>
#include <QPixmap>

#include <algorithm>
#include <limits>

namespace flowbench::panels {

using runtime::Json;
using runtime::RunEvent;
using Type = RunEvent::Type;

namespace {

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

// One line, at most `length` characters.
QString oneLine(QString text, int length)
{
    if (text.size() > length + 64)
        text.truncate(length + 64); // do not scan megabytes for newlines
    text.replace(QLatin1Char('\n'), QStringLiteral(" ⏎ "));
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    text.replace(QLatin1Char('\t'), QLatin1Char(' '));
    if (text.size() > length)
        text = text.left(length - 1) + QChar(0x2026);
    return text;
}

// The tail of a growing stream text, on one line.
QString tailLine(const QString &text, int length)
{
    if (text.size() <= length)
        return oneLine(text, length);
    return QChar(0x2026) + oneLine(text.right(length - 1), length - 1);
}

QString compact(const Json &value, int length)
{
    if (value.is_null())
        return {};
    if (value.is_object() && value.empty())
        return {};
    return oneLine(qs(value.dump(-1, ' ', false, Json::error_handler_t::replace)), length);
}

qint64 tokensOf(const Json &usage)
{
    if (!usage.is_object())
        return -1;
    const auto total = usage.find("total_tokens");
    if (total != usage.end() && total->is_number())
        return total->get<qint64>();
    qint64 sum = -1;
    for (const char *key : {"prompt_tokens", "completion_tokens"}) {
        const auto it = usage.find(key);
        if (it != usage.end() && it->is_number())
            sum = std::max<qint64>(sum, 0) + it->get<qint64>();
    }
    return sum;
}

QString messageOf(const RunEvent &e)
{
    const int n = EventModel::kMessageLength;
    switch (e.type) {
    case Type::NodeFailed:
    case Type::NodeException:
    case Type::NodeRetry:
    case Type::RunFailed:
    case Type::IterationFailed:
    case Type::LoopFailed:
        return oneLine(e.error, n);
    case Type::RunPaused: {
        QString reason;
        if (e.metadata.is_object() && e.metadata.contains("reason")
            && e.metadata["reason"].is_string())
            reason = qs(e.metadata["reason"].get<std::string>());
        const QString where = e.nodeTitle.isEmpty() ? e.nodeId : e.nodeTitle;
        QString text = reason.isEmpty() ? where : QStringLiteral("%1 · %2").arg(reason, where);
        if (!e.error.isEmpty())
            text += QStringLiteral(" · ") + e.error;
        return oneLine(text, n);
    }
    case Type::VariableEdited: {
        const Json value
            = e.outputs.is_object() && e.outputs.contains("value") ? e.outputs["value"] : Json();
        return oneLine(e.selector.join(QLatin1Char('.')) + QStringLiteral(" = ")
                           + qs(value.dump(-1, ' ', false, Json::error_handler_t::replace)),
                       n);
    }
    case Type::IterationNext:
    case Type::LoopNext:
        return QStringLiteral("#%1").arg(e.index);
    case Type::NodeStarted:
    case Type::IterationStarted:
    case Type::LoopStarted:
        return compact(e.inputs, n);
    case Type::NodeStreamChunk:
        return tailLine(e.chunk, n);
    default:
        break;
    }
    if (!e.error.isEmpty())
        return oneLine(e.error, n);
    return compact(e.outputs, n);
}

QString streamKey(const RunEvent &e)
{
    return e.executionId + QLatin1Char('\x1f') + e.nodeId + QLatin1Char('\x1f')
           + e.selector.join(QLatin1Char('.')) + QLatin1Char('\x1f') + e.inIterationId + e.inLoopId
           + QLatin1Char('\x1f') + QString::number(e.index);
}

QColor colourOf(Type type)
{
    switch (type) {
    case Type::RunSucceeded:
    case Type::NodeSucceeded:
    case Type::IterationSucceeded:
    case Type::LoopSucceeded:
        return QColor(0x2e, 0x9e, 0x4f);
    case Type::RunFailed:
    case Type::NodeFailed:
    case Type::IterationFailed:
    case Type::LoopFailed:
        return QColor(0xd3, 0x2f, 0x2f);
    case Type::NodeException:
    case Type::NodeRetry:
    case Type::RunPartialSucceeded:
    case Type::RunStopped:
        return QColor(0xef, 0x8a, 0x17);
    case Type::RunPaused:
    case Type::VariableEdited:
        return QColor(0x1e, 0x88, 0xe5);
    case Type::NodeStreamChunk:
        return QColor(0x8e, 0x6b, 0xd8);
    case Type::NodeSkipped:
        return QColor(0xa0, 0xa0, 0xa0);
    default:
        return QColor(0x78, 0x90, 0x9c);
    }
}

const QIcon &dotIcon(Type type)
{
    static QHash<int, QIcon> icons;
    auto it = icons.find(int(type));
    if (it == icons.end()) {
        QPixmap pixmap(12, 12);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(colourOf(type));
        painter.drawEllipse(QRectF(2, 2, 8, 8));
        painter.end();
        it = icons.insert(int(type), QIcon(pixmap));
    }
    return *it;
}

bool isFailure(Type type)
{
    return type == Type::NodeFailed || type == Type::RunFailed || type == Type::IterationFailed
           || type == Type::LoopFailed;
}

} // namespace

EventModel::EventModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kFlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &EventModel::flush);
}

int EventModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString EventModel::eventLabel(const EventRow &row)
{
    if (row.chunkCount > 0)
        return tr("stream ×%1").arg(row.chunkCount);
    return RunEvent::typeName(row.event.type);
}

QString EventModel::formatDuration(qint64 ms)
{
    if (ms < 1000)
        return tr("%1 ms").arg(ms);
    if (ms < 60000)
        return tr("%1 s").arg(double(ms) / 1000.0, 0, 'f', 2);
    return tr("%1 min %2 s").arg(ms / 60000).arg((ms % 60000) / 1000);
}

QVariant EventModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const EventRow &row = m_rows.at(index.row());
    const RunEvent &e = row.event;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QDateTime::fromMSecsSinceEpoch(e.timestampMs)
                .toString(QStringLiteral("HH:mm:ss.zzz"));
        case NodeColumn:
            return e.nodeTitle.isEmpty() ? e.nodeId : e.nodeTitle;
        case KindColumn:
            return e.nodeKind;
        case EventColumn:
            return eventLabel(row);
        case DurationColumn:
            if (row.chunkCount > 0 && row.lastChunkMs > e.timestampMs)
                return formatDuration(row.lastChunkMs - e.timestampMs);
            if (e.elapsedMs > 0 || e.type == Type::NodeSucceeded || e.isRunFinished())
                return formatDuration(e.elapsedMs);
            return {};
        case TokensColumn: {
            const qint64 tokens = tokensOf(e.usage);
            return tokens >= 0 ? QVariant(tokens) : QVariant();
        }
        case MessageColumn:
            return row.chunkCount > 0 ? tailLine(e.chunk, kMessageLength) : row.message;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        switch (index.column()) {
        case TimeColumn:
            return QDateTime::fromMSecsSinceEpoch(e.timestampMs).toString(Qt::ISODateWithMs);
        case NodeColumn:
            return e.nodeId;
        case EventColumn:
            return RunEvent::typeName(e.type);
        default:
            return {};
        }
    case Qt::DecorationRole:
        if (index.column() == EventColumn)
            return dotIcon(e.type);
        return {};
    case Qt::ForegroundRole:
        if (isFailure(e.type) && (index.column() == EventColumn || index.column() == MessageColumn))
            return colourOf(e.type);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == DurationColumn || index.column() == TokensColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case NodeIdRole:
        return e.nodeId;
    case NodeKindRole:
        return e.nodeKind;
    case EventTypeRole:
        return int(e.type);
    case SearchTextRole:
        return QStringList{e.nodeId, e.nodeTitle, e.nodeKind, RunEvent::typeName(e.type),
                           row.chunkCount > 0 ? e.chunk : row.message}
            .join(QLatin1Char('\n'));
    default:
        return {};
    }
}

QVariant EventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case NodeColumn:
        return tr("Node");
    case KindColumn:
        return tr("Kind");
    case EventColumn:
        return tr("Event");
    case DurationColumn:
        return tr("Duration");
    case TokensColumn:
        return tr("Tokens");
    case MessageColumn:
        return tr("Message");
    default:
        return {};
    }
}

EventRow &EventModel::rowAt(int globalRow)
{
    if (globalRow < m_rows.size())
        return m_rows[globalRow];
    return m_pending[globalRow - m_rows.size()];
}

void EventModel::append(const RunEvent &event)
{
    if (!event.nodeId.isEmpty() && !m_nodeTitles.contains(event.nodeId)) {
        m_nodeTitles.insert(event.nodeId, event.nodeTitle);
        m_filterValuesDirty = true;
    }
    if (!event.nodeKind.isEmpty() && !m_kinds.contains(event.nodeKind)) {
        m_kinds.insert(event.nodeKind);
        m_filterValuesDirty = true;
    }
    if (event.type == Type::NodeStreamChunk) {
        const QString key = streamKey(event);
        const auto it = m_streamRows.constFind(key);
        if (it != m_streamRows.cend()) {
            EventRow &row = rowAt(*it);
            row.event.chunk += event.chunk;
            row.event.isFinal = row.event.isFinal || event.isFinal;
            row.lastChunkMs = event.timestampMs;
            ++row.chunkCount;
            if (*it < m_rows.size())
                m_dirtyRows.insert(*it);
            scheduleFlush();
            return;
        }
        m_streamRows.insert(key, int(m_rows.size() + m_pending.size()));
        EventRow row;
        row.event = event;
        row.chunkCount = 1;
        row.lastChunkMs = event.timestampMs;
        m_pending.append(std::move(row));
        scheduleFlush();
        return;
    }
    if (event.type == Type::NodeSucceeded || event.type == Type::NodeFailed
        || event.type == Type::NodeException) {
        // The execution is over: a later stream of the same node (a loop's next turn, a retry)
        // starts a row of its own, after this one.
        for (auto it = m_streamRows.begin(); it != m_streamRows.end();) {
            if (rowAt(*it).event.nodeId == event.nodeId
                && rowAt(*it).event.inIterationId == event.inIterationId
                && rowAt(*it).event.inLoopId == event.inLoopId
                && rowAt(*it).event.index == event.index)
                it = m_streamRows.erase(it);
            else
                ++it;
        }
    }
    EventRow row;
    row.event = event;
    row.message = messageOf(event);
    m_pending.append(std::move(row));
    scheduleFlush();
}

void EventModel::scheduleFlush()
{
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void EventModel::flush()
{
    m_flushTimer.stop();
    if (!m_dirtyRows.isEmpty()) {
        int first = std::numeric_limits<int>::max();
        int last = -1;
        for (const int r : std::as_const(m_dirtyRows)) {
            first = std::min(first, r);
            last = std::max(last, r);
        }
        m_dirtyRows.clear();
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
    }
    if (!m_pending.isEmpty()) {
        const int first = int(m_rows.size());
        const int last = first + int(m_pending.size()) - 1;
        beginInsertRows({}, first, last);
        m_rows.append(std::move(m_pending));
        m_pending.clear();
        endInsertRows();
        Q_EMIT rowsFlushed(first, last);
    }
    if (m_filterValuesDirty) {
        m_filterValuesDirty = false;
        Q_EMIT filterValuesChanged();
    }
}

void EventModel::clear()
{
    m_flushTimer.stop();
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    m_streamRows.clear();
    m_dirtyRows.clear();
    m_nodeTitles.clear();
    m_kinds.clear();
    endResetModel();
    m_filterValuesDirty = false;
    Q_EMIT filterValuesChanged();
}

QStringList EventModel::kinds() const
{
    QStringList list(m_kinds.cbegin(), m_kinds.cend());
    list.sort();
    return list;
}

Json EventModel::rowJson(int r) const
{
    const EventRow &row = m_rows.at(r);
    Json j = row.event.toJson();
    if (row.chunkCount > 0)
        j["chunks"] = row.chunkCount;
    return j;
}

EventFilterProxy::EventFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
}

void EventFilterProxy::setNodeFilter(const QString &nodeId)
{
    if (m_node == nodeId)
        return;
    m_node = nodeId;
    invalidateFilter();
}

void EventFilterProxy::setKindFilter(const QString &kind)
{
    if (m_kind == kind)
        return;
    m_kind = kind;
    invalidateFilter();
}

void EventFilterProxy::setTextFilter(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (m_text == trimmed)
        return;
    m_text = trimmed;
    invalidateFilter();
}

bool EventFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_node.isEmpty() && m_kind.isEmpty() && m_text.isEmpty())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_node.isEmpty() && index.data(EventModel::NodeIdRole).toString() != m_node)
        return false;
    if (!m_kind.isEmpty() && index.data(EventModel::NodeKindRole).toString() != m_kind)
        return false;
    if (!m_text.isEmpty()
        && !index.data(EventModel::SearchTextRole).toString().contains(m_text, Qt::CaseInsensitive))
        return false;
    return true;
}

} // namespace flowbench::panels

#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QString>
#include <QTimer>

#include "runtime/runevent.h"

namespace flowbench::panels {

// One row of the Events table: an event, or a run of stream chunks of one node execution
// coalesced into one "streaming" row (chunkCount > 0, event.chunk holds the text so far).
struct EventRow
{
    runtime::RunEvent event;
    QString message;    // the Message column, computed once when the row is queued
    int chunkCount = 0; // stream rows: how many chunks were merged
    qint64 lastChunkMs = 0;
};

// The Events panel's table: one row per run event, in arrival order.
//
// Built for runs that emit thousands of events per second: append() only queues the event;
// rows are inserted in one beginInsertRows()/endInsertRows() per flush, at most every
// kFlushIntervalMs (about 30 Hz, CONVENTIONS.md), and NodeStreamChunk events never add a row
// each: the chunks of one node execution (node, selector, iteration item) accumulate in one
// stream row whose cells change with a single dataChanged() per flush.
// GUI thread only.
class EventModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        TimeColumn,
        NodeColumn,
        KindColumn,
        EventColumn,
        DurationColumn,
        TokensColumn,
        MessageColumn,
        ColumnCount
    };
    enum Role {
        NodeIdRole = Qt::UserRole + 1, // QString
        NodeKindRole,                  // QString
        EventTypeRole,                 // int (RunEvent::Type)
        SearchTextRole,                // QString: what the text filter matches
    };

    static constexpr int kFlushIntervalMs = 33;
    // The Message column shows at most this many characters (the detail view has all).
    static constexpr int kMessageLength = 240;

    explicit EventModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role) const override;

    // Queues `event`; it becomes a row (or part of a stream row) at the next flush.
    void append(const runtime::RunEvent &event);
    // Inserts everything queued now (the timer calls it; tests may too).
    void flush();
    // Drops every row and everything queued.
    void clear();

    [[nodiscard]] int pendingCount() const { return int(m_pending.size()); }
    [[nodiscard]] const EventRow &row(int row) const { return m_rows.at(row); }
    // The row as RunEvent::toJson(); a stream row is one node_stream_chunk object whose "text"
    // is the whole text streamed so far, with "chunks" saying how many were merged.
    [[nodiscard]] runtime::Json rowJson(int row) const;

    // Node ids → titles and node kinds seen in this model's rows, for the filter combos.
    [[nodiscard]] const QHash<QString, QString> &nodeTitles() const { return m_nodeTitles; }
    [[nodiscard]] QStringList kinds() const;

    // A short display text for an event (the Event column): "node_succeeded" → "succeeded", ...
    [[nodiscard]] static QString eventLabel(const EventRow &row);
    [[nodiscard]] static QString formatDuration(qint64 ms);

Q_SIGNALS:
    // After a flush that inserted rows [first, last].
    void rowsFlushed(int first, int last);
    // A node or kind appeared for the first time since the last clear().
    void filterValuesChanged();

private:
    void scheduleFlush();
    [[nodiscard]] EventRow &rowAt(int globalRow);

    QList<EventRow> m_rows;
    QList<EventRow> m_pending;
    // Stream key (node, selector, iteration item) → row index counting m_rows then m_pending.
    QHash<QString, int> m_streamRows;
    QSet<int> m_dirtyRows; // flushed stream rows that received chunks since the last flush
    QHash<QString, QString> m_nodeTitles;
    QSet<QString> m_kinds;
    bool m_filterValuesDirty = false;
    QTimer m_flushTimer;
};

// Filters EventModel rows by node id, node kind and a case-insensitive text. Never sorts: rows
// stay in arrival order, so an insert at the end costs only the new rows.
class EventFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit EventFilterProxy(QObject *parent = nullptr);

    void setNodeFilter(const QString &nodeId); // empty: every node
    void setKindFilter(const QString &kind);   // empty: every kind
    void setTextFilter(const QString &text);   // empty: everything

    [[nodiscard]] QString nodeFilter() const { return m_node; }
    [[nodiscard]] QString kindFilter() const { return m_kind; }
    [[nodiscard]] QString textFilter() const { return m_text; }

protected:
    [[nodiscard]] bool filterAcceptsRow(int sourceRow,
                                        const QModelIndex &sourceParent) const override;

private:
    QString m_node;
    QString m_kind;
    QString m_text;
};

} // namespace flowbench::panels

#pragma once

#include <QObject>
#include <QString>

#include <vector>

#include "usagerecord.h"

namespace flowbench::metering {

// The data behind the Usage & cost charts, without any chart code (Qt Charts stays in the panel
// and can be replaced). Per run: tokens per node, cost by model, tokens per minute, a latency
// histogram; across runs: totals for a period grouped by model, app, user or day.
//
// Incremental: add() changes one row or point and says which, so a chart appends or replace()s
// one point instead of redrawing. Signals carry the row/index and whether it was inserted
// (appended) or updated. reset() follows setRun()/load()/clear(): redraw everything.
//
//     UsageSeriesModel series;
//     connect(&ledger, &Ledger::recorded, &series, &UsageSeriesModel::add);
//     connect(&series, &UsageSeriesModel::nodeTokensChanged, panel, [&](int row, bool added) {
//         added ? bars->append(series.nodeTokens()[row]) : bars->replace(row, ...); });
class UsageSeriesModel : public QObject
{
    Q_OBJECT

public:
    struct NodeTokens
    {
        QString nodeId;
        QString nodeKind;
        qint64 input = 0;  // prompt tokens (cached included)
        qint64 output = 0; // completion tokens without reasoning
        qint64 reasoning = 0;
        qint64 cached = 0;
        int calls = 0;
    };
    struct ModelCost
    {
        QString model;
        double costUsd = 0;
        qint64 tokens = 0;
        int calls = 0;
        int unpricedCalls = 0; // shown as "unpriced", never as $0
    };
    struct MinutePoint
    {
        qint64 minuteMs = 0; // start of the minute (ms since the epoch)
        qint64 tokens = 0;
    };

    explicit UsageSeriesModel(QObject *parent = nullptr);

    // The run the per-run series follow; records of other runs are ignored by them. Empty: the
    // next record's run is taken (follow the current run). Clears the per-run series.
    void setRun(const QString &runId);
    [[nodiscard]] QString runId() const { return m_runId; }
    // Replaces the per-run series with a recorded run's records (a selected run from the store).
    void load(const QString &runId, const std::vector<UsageRecord> &records);
    void clear();

    [[nodiscard]] const std::vector<NodeTokens> &nodeTokens() const { return m_nodes; }
    [[nodiscard]] const std::vector<ModelCost> &modelCosts() const { return m_models; }
    [[nodiscard]] const std::vector<MinutePoint> &timeline() const { return m_timeline; }
    // Upper bounds in seconds (the last bucket is +Inf) and the counts per bucket.
    [[nodiscard]] static const std::vector<double> &latencyBounds();
    [[nodiscard]] const std::vector<int> &latencyCounts() const { return m_latency; }
    [[nodiscard]] double totalCostUsd() const;
    [[nodiscard]] int unpricedCalls() const;

    // Across runs: totals for a period (from RunStore::aggregateUsage or metering::aggregate).
    void setPeriodTotals(UsageGroup by, std::vector<UsageTotals> totals);
    [[nodiscard]] UsageGroup periodGroup() const { return m_periodGroup; }
    [[nodiscard]] const std::vector<UsageTotals> &periodTotals() const { return m_period; }

    // CSV of one series (header line, then a row per point), for the panel's export.
    enum class Series { NodeTokens, ModelCost, Timeline, Latency, Period };
    [[nodiscard]] QString toCsv(Series series) const;

public Q_SLOTS:
    void add(const flowbench::metering::UsageRecord &record);

Q_SIGNALS:
    void reset();
    void nodeTokensChanged(int row, bool inserted);
    void modelCostChanged(int row, bool inserted);
    void timelinePointChanged(int index, bool appended);
    void latencyBucketChanged(int bucket);
    void periodTotalsChanged();

private:
    void addQuietly(const UsageRecord &record, bool notify);

    QString m_runId;
    std::vector<NodeTokens> m_nodes;
    std::vector<ModelCost> m_models;
    std::vector<MinutePoint> m_timeline;
    std::vector<int> m_latency;
    UsageGroup m_periodGroup = UsageGroup::Model;
    std::vector<UsageTotals> m_period;
};

} // namespace flowbench::metering

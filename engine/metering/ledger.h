#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>

#include <vector>

#include "pricetable.h"
#include "runtime/graphengine.h"
#include "usagerecord.h"

namespace flowbench::store {
class RunStore;
}

namespace flowbench::metering {

// The usage ledger: turns every LLM-family node event into a priced UsageRecord, keeps them in
// memory for the live views, and appends them to a RunStore (batched on the store's writer
// thread) when one is set. Core-only; lives on the thread that delivers the events (the GUI
// thread in the app).
//
// The events do not carry the app, the user or the endpoint profile's name: watch() takes them
// from the run's options; runs fed through consume() without watch() get setRunLabels() or the
// default labels.
//
//     Ledger ledger;
//     ledger.setPriceTable(PriceTable::bundledDefault());
//     ledger.setStore(store);                 // optional; not owned
//     ledger.watch(&engine, options);         // before engine.start()
//     connect(&ledger, &Ledger::recorded, &metrics, &TokenMetrics::addUsage);
class Ledger : public QObject
{
    Q_OBJECT

public:
    explicit Ledger(QObject *parent = nullptr);
    ~Ledger() override;

    void setPriceTable(PriceTable prices);
    [[nodiscard]] const PriceTable &priceTable() const { return m_prices; }
    void setStore(store::RunStore *store);

    void setDefaultLabels(RunLabels labels) { m_defaultLabels = std::move(labels); }
    void setRunLabels(const QString &runId, RunLabels labels);
    // Labels from the options (appId, userId; `endpointName` names the profile, else the base
    // URL is used) and consume() on every event of `engine`.
    void watch(runtime::GraphEngine *engine, const runtime::RunOptions &options,
               const QString &endpointName = {});

    // Everything recorded since the last clear(), in order.
    [[nodiscard]] const std::vector<UsageRecord> &records() const { return m_records; }
    // Keeps at most this many records in memory (oldest dropped; the store keeps all).
    void setMemoryLimit(size_t limit) { m_limit = limit; }
    void clear();

    // In-memory aggregation of records() (for stored history use RunStore::aggregateUsage).
    [[nodiscard]] std::vector<UsageTotals> aggregate(UsageGroup by,
                                                     const UsageFilter &filter = {}) const;

public Q_SLOTS:
    void consume(const flowbench::runtime::RunEvent &event);
    // Prices (when not priced yet), keeps, stores and announces one record.
    void record(flowbench::metering::UsageRecord record);

Q_SIGNALS:
    void recorded(const flowbench::metering::UsageRecord &record);
    // Every event consume() saw, after its record (if any): metrics and alerts follow runs.
    void runEventSeen(const flowbench::runtime::RunEvent &event);

private:
    PriceTable m_prices;
    QPointer<store::RunStore> m_store;
    RunLabels m_defaultLabels;
    QHash<QString, RunLabels> m_labels;
    std::vector<UsageRecord> m_records;
    size_t m_limit = 200000;
};

} // namespace flowbench::metering

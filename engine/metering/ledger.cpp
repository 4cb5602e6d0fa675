#include "ledger.h"

#include "store/runstore.h"

#include <QDateTime>

namespace flowbench::metering {

Ledger::Ledger(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<UsageRecord>();
    qRegisterMetaType<runtime::RunEvent>();
}

Ledger::~Ledger() = default;

void Ledger::setPriceTable(PriceTable prices)
{
    m_prices = std::move(prices);
}

void Ledger::setStore(store::RunStore *store)
{
    m_store = store;
}

void Ledger::setRunLabels(const QString &runId, RunLabels labels)
{
    m_labels.insert(runId, std::move(labels));
}

void Ledger::watch(runtime::GraphEngine *engine, const runtime::RunOptions &options,
                   const QString &endpointName)
{
    FB_ASSERT(engine, return );
    RunLabels labels{options.appId, options.userId, endpointName};
    if (labels.endpoint.isEmpty() && options.llmEndpoint)
        labels.endpoint = options.llmEndpoint->config.baseUrl.toString();
    // The run id is known once the run starts; until then the engine's own (may be empty).
    if (!engine->runId().isEmpty())
        m_labels.insert(engine->runId(), labels);
    connect(engine, &runtime::GraphEngine::runEvent, this,
            [this, labels](const runtime::RunEvent &e) {
                if (e.type == runtime::RunEvent::Type::RunStarted)
                    m_labels.insert(e.runId, labels);
                consume(e);
            });
}

void Ledger::clear()
{
    m_records.clear();
}

std::vector<UsageTotals> Ledger::aggregate(UsageGroup by, const UsageFilter &filter) const
{
    return metering::aggregate(m_records, by, filter);
}

void Ledger::consume(const runtime::RunEvent &event)
{
    const auto it = m_labels.constFind(event.runId);
    if (auto r = usageFromEvent(event, it != m_labels.cend() ? *it : m_defaultLabels)) {
        r->cost.reset(); // always priced by this ledger's table
        record(std::move(*r));
    }
    if (event.isRunFinished())
        m_labels.remove(event.runId);
    Q_EMIT runEventSeen(event);
}

void Ledger::record(UsageRecord r)
{
    if (!r.cost)
        m_prices.price(r);
    if (r.timestampMs == 0)
        r.timestampMs = QDateTime::currentMSecsSinceEpoch();
    if (m_store)
        m_store->appendUsage(r);
    if (m_limit > 0 && m_records.size() >= m_limit)
        m_records.erase(m_records.begin(),
                        m_records.begin() + static_cast<std::ptrdiff_t>(m_limit / 10 + 1));
    m_records.push_back(r);
    Q_EMIT recorded(r); // a copy: a slot may record again
}

} // namespace flowbench::metering

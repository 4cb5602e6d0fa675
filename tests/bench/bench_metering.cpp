// Token metering figures, each beside a naive baseline measured in the same run:
//   recording a usage event (µs per record): in-memory ledger, ledger + run store
//   aggregation over N records (ms): SQL GROUP BY in the run store vs scanning in C++
//   /metrics rendering with 1,000 series (ms): MetricsRegistry vs QString concatenation
//
//   build/tests/bench/bench_metering [records=1000000]
#include "metering/ledger.h"
#include "metering/tokenmetrics.h"
#include "store/runstore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <cstdio>

using namespace flowbench;
using namespace flowbench::metering;

namespace {

runtime::RunEvent llmEvent(int i)
{
    runtime::RunEvent e;
    e.type = runtime::RunEvent::Type::NodeSucceeded;
    e.runId = QStringLiteral("run-%1").arg(i / 20);
    e.executionId = QStringLiteral("x-%1").arg(i);
    e.nodeId = QStringLiteral("llm%1").arg(i % 5);
    e.nodeKind = QStringLiteral("llm");
    e.timestampMs = 1748736000000 + i;
    e.usage = runtime::Json{{"prompt_tokens", 120 + i % 50},
                            {"completion_tokens", 40},
                            {"total_tokens", 160 + i % 50},
                            {"latency", 1.2},
                            {"time_to_first_token", 0.2}};
    e.metadata = runtime::Json{{"model", i % 2 ? "gpt-4o" : "qwen-max"},
                               {"latency_ms", 1200},
                               {"time_to_first_token_ms", 200},
                               {"endpoint", "http://127.0.0.1:8000/v1"}};
    return e;
}

UsageRecord syntheticRecord(int i)
{
    UsageRecord r;
    r.runId = QStringLiteral("run-%1").arg(i / 20);
    r.nodeId = QStringLiteral("llm%1").arg(i % 5);
    r.nodeKind = QStringLiteral("llm");
    // Correlated like real traffic: 50 users in 7 apps, each app's workflow calls two models
    // (one per node role), each model served by one endpoint.
    const int user = (i / 3) % 50;
    const int appIndex = user % 7;
    const int model = appIndex * 2 + i % 2;
    r.model = QStringLiteral("model-%1").arg(model);
    r.appId = QStringLiteral("app-%1").arg(appIndex);
    r.userId = QStringLiteral("user-%1").arg(user);
    r.endpoint = QStringLiteral("ep-%1").arg(model % 3);
    r.promptTokens = 100 + i % 100;
    r.completionTokens = 30 + i % 20;
    r.cachedTokens = i % 3 ? 0 : 20;
    r.latencyMs = 500 + i % 1000;
    r.timestampMs = 1748736000000 + static_cast<qint64>(i) * 2000; // ~23 days for 1M
    if (i % 10) {
        r.cost = 0.001;
        r.costUsd = 0.001;
        r.currency = QStringLiteral("USD");
    }
    return r;
}

double ms(const QElapsedTimer &t)
{
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

// The naive renderer: what one writes first, with QString and per-sample escaping.
QString naiveRender(const std::vector<UsageRecord> &series)
{
    QString out;
    out += QStringLiteral("# HELP dify_token_total Tokens\n# TYPE dify_token_total counter\n");
    for (const UsageRecord &r : series) {
        QString app = r.appId;
        app.replace(QStringLiteral("\\"), QStringLiteral("\\\\"))
            .replace(QStringLiteral("\""), QStringLiteral("\\\""));
        out = out + QStringLiteral("dify_token_total{model=\"") + r.model
              + QStringLiteral("\",app_id=\"") + app + QStringLiteral("\",user_id=\"") + r.userId
              + QStringLiteral("\",direction=\"input\"} ") + QString::number(r.promptTokens)
              + QLatin1Char('\n');
    }
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? std::atoi(argv[1]) : 1000000;
    QTemporaryDir dir;
    PriceTable prices = PriceTable::bundledDefault();

    // 1. Recording: event → priced record in memory, then also into the store.
    {
        const int events = 100000;
        std::vector<runtime::RunEvent> input;
        for (int i = 0; i < events; ++i)
            input.push_back(llmEvent(i));
        Ledger ledger;
        ledger.setPriceTable(prices);
        QElapsedTimer t;
        t.start();
        for (const auto &e : input)
            ledger.consume(e);
        const double memUs = ms(t) * 1000 / events;

        auto store = store::RunStore::open(dir.filePath(QStringLiteral("record.sqlite")));
        if (!store)
            return 1;
        Ledger stored;
        stored.setPriceTable(prices);
        stored.setStore(store->get());
        t.restart();
        for (const auto &e : input)
            stored.consume(e);
        const double callerUs = ms(t) * 1000 / events;
        (*store)->flush();
        (void)(*store)->aggregateUsage(UsageGroup::Run); // waits until committed
        const double committedUs = ms(t) * 1000 / events;
        std::printf("record usage event (%d events): in-memory ledger %.2f us/record; "
                    "with run store %.2f us/record on the caller, %.2f us/record until committed "
                    "on the writer thread\n",
                    events, memUs, callerUs, committedUs);
    }

    // 2. Aggregation over n records.
    {
        std::vector<UsageRecord> records;
        records.reserve(static_cast<size_t>(n));
        for (int i = 0; i < n; ++i)
            records.push_back(syntheticRecord(i));
        auto store = store::RunStore::open(dir.filePath(QStringLiteral("agg.sqlite")));
        if (!store)
            return 1;
        QElapsedTimer t;
        t.start();
        for (size_t i = 0; i < records.size(); i += 100000) {
            const auto end = std::min(records.size(), i + 100000);
            if (!(*store)->appendUsageBatch({records.begin() + static_cast<std::ptrdiff_t>(i),
                                             records.begin() + static_cast<std::ptrdiff_t>(end)}))
                return 1;
        }
        std::printf("insert %d records in batches of 100,000: %.0f ms (%.2f us/record)\n", n, ms(t),
                    ms(t) * 1000 / n);
        (void)(*store)->aggregateUsage(UsageGroup::Model); // warm the page cache
        struct Case
        {
            const char *name;
            UsageGroup by;
            UsageFilter filter;
        };
        UsageFilter oneApp;
        oneApp.appId = QStringLiteral("app-3");
        UsageFilter week;
        week.fromMs = 1748736000000 + 7LL * 86400000;
        week.toMs = week.fromMs + 7LL * 86400000;
        UsageFilter oneRun;
        oneRun.runId = QStringLiteral("run-4242");
        UsageFilter unaligned = week; // not whole hours: the records table, not the rollup
        unaligned.fromMs += 1;
        const std::vector<Case> cases{{"by model (all)", UsageGroup::Model, {}},
                                      {"by user (all)", UsageGroup::User, {}},
                                      {"by day (all)", UsageGroup::Time, {}},
                                      {"one app by model", UsageGroup::Model, oneApp},
                                      {"one week by day", UsageGroup::Time, week},
                                      {"one run by node", UsageGroup::Node, oneRun},
                                      {"week+1ms by model", UsageGroup::Model, unaligned}};
        for (const Case &c : cases) {
            t.restart();
            const auto sql = (*store)->aggregateUsage(c.by, c.filter);
            const double sqlMs = ms(t);
            t.restart();
            const auto scan = aggregate(records, c.by, c.filter);
            const double scanMs = ms(t);
            std::printf("aggregate %d records %-18s SQL %8.1f ms  C++ scan %8.1f ms  "
                        "ratio %.2fx  (%zu groups%s)\n",
                        n, c.name, sqlMs, scanMs, scanMs / std::max(sqlMs, 0.001),
                        sql ? sql->size() : 0,
                        sql && sql->size() == scan.size() ? "" : ", MISMATCH");
        }
    }

    // 3. /metrics with 1,000 series.
    {
        TokenMetrics metrics;
        std::vector<UsageRecord> series;
        for (int i = 0; i < 250; ++i) { // 250 label sets × 4 directions = 1,000 token series
            UsageRecord r = syntheticRecord(i);
            r.model = QStringLiteral("model-%1").arg(i % 25);
            r.appId = QStringLiteral("app-%1").arg(i / 25);
            r.userId = QStringLiteral("user-%1").arg(i);
            metrics.addUsage(r);
            for (int d = 0; d < 4; ++d)
                series.push_back(r);
        }
        const int rounds = 200;
        QElapsedTimer t;
        t.start();
        qsizetype bytes = 0;
        for (int i = 0; i < rounds; ++i)
            bytes += metrics.render().size();
        const double fast = ms(t) / rounds;
        t.restart();
        qsizetype naiveBytes = 0;
        for (int i = 0; i < rounds; ++i)
            naiveBytes += naiveRender(series).toUtf8().size();
        const double naive = ms(t) / rounds;
        std::printf("/metrics render: %d series in all (%d token series), %.3f ms per render "
                    "(%lld bytes); naive QString concatenation of the 1,000 token series alone "
                    "%.3f ms; ratio %.1fx\n",
                    metrics.registry().seriesCount(), 1000, fast,
                    static_cast<long long>(bytes / rounds), naive, naive / fast);
        Q_UNUSED(naiveBytes);
    }
    return 0;
}

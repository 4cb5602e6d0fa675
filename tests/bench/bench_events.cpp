// Events panel under load: does the table keep up with a run emitting 10,000 events per second,
// and with a burst of 100,000, without stalling the UI for more than a frame?
//
//     QT_QPA_PLATFORM=offscreen build/tests/bench/bench_events [seconds] [burst]
//
// Method. The real EventsPanel (follow mode on, shown offscreen at 1200×420, so every flush is
// laid out and painted into the backing store) is fed by a fake runtime::Debugger. A 1 ms
// QTimer (Qt::PreciseTimer) heartbeat records the gap between its ticks; the longest gap is the
// longest time the event loop could not run anything, i.e. the worst UI stall. Events come in
// the mix a streaming LLM run produces (node_started, 8 node_stream_chunk, node_succeeded with
// outputs and usage, per node execution):
//  * steady: a 1 ms producer timer emits however many events bring the total to rate × elapsed
//    (10,000/s), for `seconds`; then we wait until every event is a row and the view painted;
//  * burst: `burst` events are emitted as fast as possible in slices of 1,000 per event-loop
//    turn (what a queued connection from a worker thread delivers when flooded).
// The same figures are taken, in the same process, for a naive baseline: a QAbstractTableModel
// that inserts one row per event (beginInsertRows/endInsertRows each time, stream chunks
// included) behind the same QSortFilterProxyModel and QTableView settings, scrolling to the
// newest row per insert as a naive follow mode would.

#include <QAbstractTableModel>
#include <QApplication>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <functional>
#include <vector>

#include "eventspanel.h"
#include "runtime/debugger.h"

using namespace flowbench;
using runtime::Json;
using runtime::RunEvent;
using Type = RunEvent::Type;

namespace {

class FakeDebugger : public runtime::Debugger
{
    Q_OBJECT

public:
    using runtime::Debugger::Debugger;
    bool can(Capability) const override { return false; }
    runtime::RunStatus status() const override { return runtime::RunStatus::Running; }
    QString runId() const override { return QStringLiteral("bench"); }
    QString pausedAtNode() const override { return {}; }
    Json poolSnapshot() const override { return Json::object(); }
    void pause() override {}
    void resume() override {}
    void step() override {}
    void stop() override {}
    void runTo(const QString &) override {}
    Result<void> setVariable(const variables::Selector &, const Json &) override { return {}; }
    void send(const RunEvent &event) { Q_EMIT runEvent(event); }
};

// CPU time this thread has used, in ms: a gap whose CPU time is far below its wall time was the
// OS running something else (other processes on a busy machine), not this event loop.
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// The n-th event of a synthetic streaming run: executions of 10 events each.
RunEvent makeEvent(qint64 n)
{
    const qint64 execution = n / 10;
    const int phase = int(n % 10);
    RunEvent e;
    e.runId = QStringLiteral("bench");
    e.nodeId = QStringLiteral("llm_%1").arg(execution % 50);
    e.nodeKind = execution % 3 == 0 ? QStringLiteral("code") : QStringLiteral("llm");
    e.nodeTitle = QStringLiteral("Node %1").arg(execution % 50);
    e.executionId = QStringLiteral("x%1").arg(execution);
    e.timestampMs = QDateTime::currentMSecsSinceEpoch();
    if (phase == 0) {
        e.type = Type::NodeStarted;
        e.inputs = Json{{"query", "what is the weather like"}, {"n", execution}};
    } else if (phase < 9) {
        e.type = Type::NodeStreamChunk;
        e.executionId.clear(); // as the engine sends them
        e.selector = QStringList{e.nodeId, QStringLiteral("text")};
        e.chunk = QStringLiteral("token%1 ").arg(phase);
    } else {
        e.type = Type::NodeSucceeded;
        e.outputs = Json{{"text", "token1 token2 token3 token4 token5 token6 token7 token8"},
                         {"finish_reason", "stop"}};
        e.usage = Json{{"prompt_tokens", 20}, {"completion_tokens", 8}, {"total_tokens", 28}};
        e.elapsedMs = 42;
    }
    return e;
}

// Baseline: one beginInsertRows/endInsertRows per event, no coalescing.
class NaiveModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;
    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : 7;
    }
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role != Qt::DisplayRole)
            return {};
        const RunEvent &e = m_rows.at(size_t(index.row()));
        switch (index.column()) {
        case 0:
            return QDateTime::fromMSecsSinceEpoch(e.timestampMs)
                .toString(QStringLiteral("HH:mm:ss.zzz"));
        case 1:
            return e.nodeTitle;
        case 2:
            return e.nodeKind;
        case 3:
            return RunEvent::typeName(e.type);
        case 4:
            return e.elapsedMs;
        case 5:
            return e.usage.is_object() ? QVariant(qint64(e.usage.value("total_tokens", 0)))
                                       : QVariant();
        default:
            return e.type == Type::NodeStreamChunk
                       ? e.chunk
                       : QString::fromStdString(e.outputs.is_null() ? std::string()
                                                                    : e.outputs.dump());
        }
    }
    void append(const RunEvent &e)
    {
        const int row = int(m_rows.size());
        beginInsertRows({}, row, row);
        m_rows.push_back(e);
        endInsertRows();
    }
    void clear()
    {
        beginResetModel();
        m_rows.clear();
        endResetModel();
    }

private:
    std::vector<RunEvent> m_rows;
};

class NaiveWidget : public QWidget
{
public:
    explicit NaiveWidget(FakeDebugger *debugger)
    {
        m_proxy.setSourceModel(&m_model);
        m_table = new QTableView(this);
        m_table->setModel(&m_proxy);
        m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
        m_table->setAlternatingRowColors(true);
        m_table->setShowGrid(false);
        m_table->setWordWrap(false);
        m_table->verticalHeader()->setVisible(false);
        m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
        m_table->horizontalHeader()->setStretchLastSection(true);
        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(m_table);
        connect(debugger, &runtime::Debugger::runEvent, this, [this](const RunEvent &e) {
            m_model.append(e);
            m_table->scrollToBottom();
        });
    }
    int rows() const { return m_model.rowCount(); }
    void clear() { m_model.clear(); }

private:
    NaiveModel m_model;
    QSortFilterProxyModel m_proxy;
    QTableView *m_table = nullptr;
};

struct Figures
{
    qint64 events = 0;
    double emitMs = 0;   // from the first to the last event sent
    double drainMs = 0;  // from the last event sent until every row is in and painted
    double maxGapMs = 0; // longest heartbeat gap: the worst UI stall
    double p99GapMs = 0;
    double maxGapAtMs = 0; // when the longest gap ended, from the start of the measurement
    double maxBusyMs = 0;  // the most thread CPU time spent between two ticks
    int rows = 0;
};

// Runs `produce` (which calls `done` when it has sent everything) under a 1 ms heartbeat, then
// waits for `drained`, and reports the gaps.
Figures measure(const std::function<void(std::function<void()>)> &produce,
                const std::function<bool()> &drained, const std::function<int()> &rows)
{
    Figures f;
    std::vector<double> gaps;
    gaps.reserve(100000);
    double maxGap = 0;
    double maxGapAt = 0;
    double maxBusy = 0;
    double lastCpu = threadCpuMs();
    QElapsedTimer clock;
    clock.start();
    qint64 lastTick = clock.nsecsElapsed();
    QTimer heartbeat;
    heartbeat.setTimerType(Qt::PreciseTimer);
    heartbeat.setInterval(1);
    QObject::connect(&heartbeat, &QTimer::timeout, &heartbeat, [&] {
        const qint64 now = clock.nsecsElapsed();
        gaps.push_back(double(now - lastTick) / 1e6);
        if (gaps.back() > maxGap) {
            maxGap = gaps.back();
            maxGapAt = double(now) / 1e6;
        }
        lastTick = now;
        const double cpu = threadCpuMs();
        maxBusy = std::max(maxBusy, cpu - lastCpu);
        lastCpu = cpu;
    });
    heartbeat.start();

    bool sent = false;
    qint64 sentAt = 0;
    produce([&] {
        sent = true;
        sentAt = clock.nsecsElapsed();
    });
    while (!sent)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    while (!drained())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    // One more turn so the last rows are painted.
    QCoreApplication::processEvents();
    f.drainMs = double(clock.nsecsElapsed() - sentAt) / 1e6;
    f.emitMs = double(sentAt) / 1e6;
    heartbeat.stop();
    const qint64 now = clock.nsecsElapsed();
    gaps.push_back(double(now - lastTick) / 1e6);
    std::sort(gaps.begin(), gaps.end());
    f.maxGapMs = gaps.empty() ? 0 : gaps.back();
    f.p99GapMs = gaps.empty() ? 0 : gaps[size_t(double(gaps.size() - 1) * 0.99)];
    f.rows = rows();
    f.maxGapAtMs = maxGapAt;
    f.maxBusyMs = std::max(maxBusy, threadCpuMs() - lastCpu);
    return f;
}

// 10,000 events/s (rate) for `seconds`.
std::function<void(std::function<void()>)> steady(FakeDebugger *debugger, double seconds,
                                                  double rate, qint64 *count)
{
    return [=](std::function<void()> done) {
        auto *timer = new QTimer;
        timer->setTimerType(Qt::PreciseTimer);
        timer->setInterval(1);
        auto *clock = new QElapsedTimer;
        clock->start();
        *count = 0;
        QObject::connect(timer, &QTimer::timeout, timer, [=] {
            const double elapsed = double(clock->nsecsElapsed()) / 1e9;
            const qint64 target = qint64(std::min(elapsed, seconds) * rate);
            while (*count < target)
                debugger->send(makeEvent((*count)++));
            if (elapsed >= seconds) {
                timer->stop();
                timer->deleteLater();
                delete clock;
                done();
            }
        });
        timer->start();
    };
}

std::function<void(std::function<void()>)> burst(FakeDebugger *debugger, qint64 total,
                                                 qint64 *count)
{
    return [=](std::function<void()> done) {
        *count = 0;
        auto *timer = new QTimer;
        timer->setInterval(0);
        QObject::connect(timer, &QTimer::timeout, timer, [=] {
            const qint64 end = std::min(total, *count + 1000);
            while (*count < end)
                debugger->send(makeEvent((*count)++));
            if (*count >= total) {
                timer->stop();
                timer->deleteLater();
                done();
            }
        });
        timer->start();
    };
}

void print(const char *name, const Figures &f)
{
    std::printf("  %-34s %8lld events  sent in %8.1f ms  drained %7.1f ms  rows %7d  "
                "max stall %7.1f ms (at %6.0f ms, %6.1f ms CPU busy max)  p99 gap %5.1f ms\n",
                name, static_cast<long long>(f.events), f.emitMs, f.drainMs, f.rows, f.maxGapMs,
                f.maxGapAtMs, f.maxBusyMs, f.p99GapMs);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const double seconds = argc > 1 ? std::max(0.5, QByteArray(argv[1]).toDouble()) : 3.0;
    const qint64 burstSize = argc > 2 ? std::max(1000LL, QByteArray(argv[2]).toLongLong()) : 100000;
    const double rate = 10000;

    FakeDebugger debugger;
    std::printf("Events panel, %s platform; 1 ms heartbeat; a frame is 16.7 ms\n",
                qPrintable(QGuiApplication::platformName()));

    std::vector<std::pair<const char *, Figures>> results;
    qint64 count = 0;
    {
        panels::EventsPanel panel(&debugger);
        panel.resize(1200, 420);
        panel.show();
        QCoreApplication::processEvents();
        const auto drained = [&panel] { return panel.model()->pendingCount() == 0; };
        const auto rows = [&panel] { return panel.model()->rowCount(); };
        Figures a = measure(steady(&debugger, seconds, rate, &count), drained, rows);
        a.events = count;
        results.emplace_back("EventsPanel steady 10k/s", a);
        panel.clear();
        QCoreApplication::processEvents();
        Figures b = measure(burst(&debugger, burstSize, &count), drained, rows);
        b.events = count;
        results.emplace_back("EventsPanel burst", b);
    }
    // FLOWBENCH_BENCH_PANEL_ONLY=1 skips the baseline (for profiling the panel alone).
    if (qEnvironmentVariableIntValue("FLOWBENCH_BENCH_PANEL_ONLY")) {
        for (const auto &r : results)
            print(r.first, r.second);
        return 0;
    }
    {
        NaiveWidget naive(&debugger);
        naive.resize(1200, 420);
        naive.show();
        QCoreApplication::processEvents();
        const auto drained = [] { return true; }; // rows are inserted as events arrive
        const auto rows = [&naive] { return naive.rows(); };
        Figures a = measure(steady(&debugger, seconds, rate, &count), drained, rows);
        a.events = count;
        results.emplace_back("naive row-per-event steady 10k/s", a);
        naive.clear();
        QCoreApplication::processEvents();
        Figures b = measure(burst(&debugger, burstSize, &count), drained, rows);
        b.events = count;
        results.emplace_back("naive row-per-event burst", b);
    }
    for (const auto &r : results)
        print(r.first, r.second);
    const auto ratio = [](double naive, double panel) { return panel > 0 ? naive / panel : 0.0; };
    std::printf("ratio naive/panel: steady max stall %.1fx, burst max stall %.1fx, "
                "burst total (send+drain) %.1fx\n",
                ratio(results[2].second.maxGapMs, results[0].second.maxGapMs),
                ratio(results[3].second.maxGapMs, results[1].second.maxGapMs),
                ratio(results[3].second.emitMs + results[3].second.drainMs,
                      results[1].second.emitMs + results[1].second.drainMs));
    return 0;
}

#include "bench_events.moc"

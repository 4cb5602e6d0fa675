#pragma once

#include <QDate>
#include <QPointer>
#include <QString>
#include <QWidget>

#include <functional>

#include "metering/usageseries.h"

class QAbstractItemModel;
class QChartView;
class QComboBox;
class QDateEdit;
class QLabel;
class QStandardItemModel;
class QTabWidget;

namespace flowbench::store {
class RunStore;
}

namespace flowbench::panels {

// The Usage & cost dock ("panel.usage"), drawn from a metering::UsageSeriesModel (Core only) so
// that the chart code (Qt Charts, deprecated upstream) stays in this one file pair and can be
// replaced. Tabs, each a chart with a table of the same numbers beside it:
//   Tokens per node   stacked input / output / reasoning bars ("usage.nodeTokens");
//   Cost by model     horizontal bars, USD; a model without a price is labelled "unpriced",
//                     never $0 ("usage.modelCost");
//   Tokens per minute a line, appended to or replace()d point by point ("usage.timeline");
//   Latency           a histogram over UsageSeriesModel::latencyBounds() ("usage.latency");
//   Across runs       totals by model, app, user or day for a period (today, 7 days, 30 days
//                     or a date range) from RunStore::aggregateUsage ("usage.period").
// The per-run charts follow the model's change signals (one bar, point or row at a time) and are
// rebuilt only on UsageSeriesModel::reset(). A totals line ("usage.totals") says tokens and cost,
// with "N unpriced calls" when any. "Export CSV…" writes the current tab's series
// (UsageSeriesModel::toCsv) to a file asked with setSaveFileFunction's function (default:
// QFileDialog). GUI thread only; the series model and the store must outlive the panel.
class UsagePanel : public QWidget
{
    Q_OBJECT

public:
    enum Tab { NodeTokensTab, ModelCostTab, TimelineTab, LatencyTab, PeriodTab, TabCount };
    enum Period { Today, Last7Days, Last30Days, CustomPeriod };

    // Returns the chosen path, or an empty string when cancelled.
    using SaveFileFunction
        = std::function<QString(QWidget *parent, const QString &caption,
                                const QString &suggestedName, const QString &filter)>;

    UsagePanel(metering::UsageSeriesModel *series, store::RunStore *store,
               QWidget *parent = nullptr);
    ~UsagePanel() override;

    void setStore(store::RunStore *store);
    void setSaveFileFunction(SaveFileFunction function) { m_saveFile = std::move(function); }

    // Shows a recorded run: its usage records from the store (UsageSeriesModel::load).
    void showRun(const QString &runId);
    // Follows the next run the ledger reports (UsageSeriesModel::setRun({})).
    void followLiveRuns();

    void setCurrentTab(Tab tab);
    [[nodiscard]] Tab currentTab() const;

    // Across runs. setPeriod() fills the date range (Today, the last 7 or 30 days including
    // today); setDateRange() selects CustomPeriod. Both re-query the store, as refreshPeriod().
    void setPeriod(Period period);
    void setDateRange(const QDate &from, const QDate &to);
    void setPeriodGroup(metering::UsageGroup group); // Model, App, User or Time (per day)
    void refreshPeriod();

    // Writes the current tab's CSV: asks for a path; false when cancelled or not written.
    bool exportCsv();
    // Writes one series' CSV to `path`.
    bool exportCsv(metering::UsageSeriesModel::Series series, const QString &path);

    // For tests and the main window: the chart and the table of a tab, the totals line.
    [[nodiscard]] QChartView *chartView(Tab tab) const;
    [[nodiscard]] QAbstractItemModel *tableModel(Tab tab) const;
    [[nodiscard]] QString totalsText() const;
    [[nodiscard]] QString periodTotalsText() const;

    // "$0.0123" (more digits for small amounts); "unpriced" for nullopt.
    [[nodiscard]] static QString formatUsd(double usd);

Q_SIGNALS:
    void csvExported(const QString &path);

private:
    struct Charts;
    void buildUi();
    QWidget *chartPage(Tab tab, QChartView *view, QStandardItemModel *table);
    void rebuildAll();
    void onNodeTokens(int row, bool inserted);
    void onModelCost(int row, bool inserted);
    void onTimelinePoint(int index, bool appended);
    void onLatencyBucket(int bucket);
    void onPeriodTotals();
    void updateTotals();
    void updateAxes(Tab tab);
    [[nodiscard]] QString modelCostLabel(const metering::UsageSeriesModel::ModelCost &m) const;
    [[nodiscard]] QString periodKeyText(const metering::UsageTotals &t) const;

    QPointer<metering::UsageSeriesModel> m_series;
    QPointer<store::RunStore> m_store;
    SaveFileFunction m_saveFile;
    Charts *d = nullptr;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_runLabel = nullptr;
    QLabel *m_totals = nullptr;
    QLabel *m_periodTotals = nullptr;
    QComboBox *m_periodCombo = nullptr;
    QComboBox *m_groupCombo = nullptr;
    QDateEdit *m_from = nullptr;
    QDateEdit *m_to = nullptr;
    bool m_settingPeriod = false;
};

} // namespace flowbench::panels

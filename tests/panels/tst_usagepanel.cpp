// The Usage & cost dock, the price editor and the alert rules dialog. The panel is fed by a
// UsageSeriesModel from a real two-model run: two GraphEngine runs under one run id against two
// llm::Simulator servers on loopback (one model priced per token, one without a price), metered
// by a real metering::Ledger that also writes to a RunStore in a temporary directory.
#include "alertrulesdialog.h"
#include "priceeditor.h"
#include "usagepanel.h"

#include "document/dslio.h"
#include "llm/simulator/simulator.h"
#include "metering/ledger.h"
#include "runtime/graphengine.h"
#include "store/runstore.h"

#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QStackedBarSeries>

#include <QAbstractItemModel>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace flowbench;
using namespace flowbench::metering;
using flowbench::panels::AlertRulesDialog;
using flowbench::panels::PriceEditor;
using flowbench::panels::UsagePanel;
using Json = nlohmann::json;

namespace {

QByteArray workflowYaml(const char *name, const QStringList &llmNodes)
{
    QByteArray nodes;
    QByteArray edges;
    QString previous = QStringLiteral("start");
    int e = 0;
    for (const QString &id : llmNodes) {
        edges += QStringLiteral("    - {id: e%1, source: %2, sourceHandle: source, target: %3, "
                                "targetHandle: target}\n")
                     .arg(++e)
                     .arg(previous, id)
                     .toUtf8();
        nodes += QStringLiteral("    - id: %1\n"
                                "      data:\n"
                                "        type: llm\n"
                                "        title: %1\n"
                                "        model: {provider: openai, name: m, mode: chat, "
                                "completion_params: {}}\n"
                                "        prompt_template:\n"
                                "        - {role: system, text: \"You are the %1 step of a "
                                "report pipeline.\"}\n"
                                "        - {role: user, text: \"%1 this: {{#start.q#}}\"}\n")
                     .arg(id)
                     .toUtf8();
        previous = id;
    }
    edges += QStringLiteral("    - {id: e%1, source: %2, sourceHandle: source, target: end, "
                            "targetHandle: target}\n")
                 .arg(++e)
                 .arg(previous)
                 .toUtf8();
    return QByteArray("app:\n  mode: workflow\n  name: ") + name
           + "\nkind: app\nversion: 0.3.1\nworkflow:\n  graph:\n    edges:\n" + edges
           + "    nodes:\n"
             "    - id: start\n"
             "      data:\n"
             "        type: start\n"
             "        title: Start\n"
             "        variables:\n"
             "        - {variable: q, label: q, type: paragraph, required: true}\n"
           + nodes
           + "    - id: end\n"
             "      data:\n"
             "        type: end\n"
             "        title: End\n"
             "        outputs:\n"
             "        - {variable: out, value_selector: ["
           + previous.toUtf8() + ", text]}\n";
}

template<typename T>
T *firstSeries(QChartView *view)
{
    for (QAbstractSeries *s : view->chart()->series())
        if (auto *t = qobject_cast<T *>(s))
            return t;
    return nullptr;
}

QBarCategoryAxis *categoryAxis(QChartView *view)
{
    for (QAbstractAxis *a : view->chart()->axes())
        if (auto *c = qobject_cast<QBarCategoryAxis *>(a))
            return c;
    return nullptr;
}

QString cell(QAbstractItemModel *m, int row, int column)
{
    return m->index(row, column).data().toString();
}

} // namespace

class TestUsagePanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void liveChartsFromTwoModelRun();
    void timelineAppendsAndReplaces();
    void csvExport();
    void periodTotalsFromStore();
    void showRecordedRun();
    void priceEditorRoundTrip();
    void alertDialogSavesRule();

private:
    void runOn(llm::Simulator &sim, const document::Workflow &wf);

    QTemporaryDir m_dir;
    llm::Simulator m_priced;
    llm::Simulator m_local;
    std::unique_ptr<store::RunStore> m_store;
    Ledger m_ledger;
    UsageSeriesModel m_series;
    std::unique_ptr<UsagePanel> m_panel;
    QString m_runId = QStringLiteral("run-usage-1");
};

void TestUsagePanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    llm::Simulator::Config a;
    a.model = QStringLiteral("gpt-4o-mini");
    a.timeToFirstTokenMs = 40;
    a.tokensPerSecond = 120;
    m_priced.setConfig(a);
    llm::Simulator::Config b;
    b.model = QStringLiteral("qwen2.5-7b-local");
    b.timeToFirstTokenMs = 80;
    b.tokensPerSecond = 60;
    m_local.setConfig(b);
    QVERIFY(m_priced.listen() != 0);
    QVERIFY(m_local.listen() != 0);

    auto store = store::RunStore::open(m_dir.filePath(QStringLiteral("runs.sqlite")));
    QVERIFY(store);
    m_store = std::move(*store);
    PriceTable prices;
    prices.addPrice(ModelPrice::tokens(QStringLiteral("gpt-4o-mini"), 0.15e-6, 0.6e-6));
    m_ledger.setPriceTable(prices);
    m_ledger.setStore(m_store.get());
    connect(&m_ledger, &Ledger::recorded, &m_series, &UsageSeriesModel::add);
    m_panel = std::make_unique<UsagePanel>(&m_series, m_store.get());
    m_panel->resize(1100, 620);
}

void TestUsagePanel::runOn(llm::Simulator &sim, const document::Workflow &wf)
{
    runtime::RunOptions o;
    o.inputs = Json{{"q", "Quarterly revenue grew by twelve percent while costs stayed flat; "
                          "the board asks for a short summary with the main risks."}};
    o.appId = QStringLiteral("report-app");
    o.userId = QStringLiteral("alice");
    o.runId = m_runId;
    llm::LlmEndpoint e;
    e.config.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(sim.port()));
    e.config.kind = llm::ServerKind::VLlm;
    e.forcedModel = sim.config().model;
    o.llmEndpoint = e;
    runtime::GraphEngine engine(wf, o);
    m_ledger.watch(&engine, o, sim.config().model + QStringLiteral("-endpoint"));
    QSignalSpy finished(&engine, &runtime::GraphEngine::finished);
    engine.start();
    QVERIFY(finished.count() || finished.wait(30000));
    QCOMPARE(engine.status(), runtime::RunStatus::Succeeded);
}

void TestUsagePanel::liveChartsFromTwoModelRun()
{
    auto a = document::loadWorkflowText(
        workflowYaml("draft-review", {QStringLiteral("draft"), QStringLiteral("review")}),
        document::FileFormat::DifyYaml);
    QVERIFY2(a, a ? "" : qPrintable(a.error().message));
    auto b = document::loadWorkflowText(workflowYaml("summary", {QStringLiteral("summarize")}),
                                        document::FileFormat::DifyYaml);
    QVERIFY2(b, b ? "" : qPrintable(b.error().message));

    m_panel->followLiveRuns();
    QChartView *nodesView = m_panel->chartView(UsagePanel::NodeTokensTab);
    auto *stacked = firstSeries<QStackedBarSeries>(nodesView);
    QVERIFY(stacked);
    QCOMPARE(stacked->count(), 3); // input, output, reasoning
    QBarSet *input = stacked->barSets().at(0);
    QSignalSpy appended(input, &QBarSet::valuesAdded);

    runOn(m_priced, a->workflow);
    runOn(m_local, b->workflow);
    QCOMPARE(m_ledger.records().size(), size_t(3));
    QCOMPARE(m_series.runId(), m_runId);

    // Tokens per node: one stacked bar per node, appended as the calls came in.
    QCOMPARE(appended.count(), 3);
    QCOMPARE(firstSeries<QStackedBarSeries>(nodesView), stacked); // same series, never rebuilt
    QCOMPARE(categoryAxis(nodesView)->categories(),
             QStringList(
                 {QStringLiteral("draft"), QStringLiteral("review"), QStringLiteral("summarize")}));
    for (int i = 0; i < 3; ++i) {
        const UsageRecord &r = m_ledger.records()[static_cast<size_t>(i)];
        QCOMPARE(stacked->barSets().at(0)->at(i), double(r.promptTokens));
        QCOMPARE(stacked->barSets().at(1)->at(i), double(r.completionTokens - r.reasoningTokens));
        QCOMPARE(stacked->barSets().at(2)->at(i), double(r.reasoningTokens));
        QVERIFY(r.promptTokens > 0 && r.completionTokens > 0);
    }
    QAbstractItemModel *nodeTable = m_panel->tableModel(UsagePanel::NodeTokensTab);
    QCOMPARE(nodeTable->rowCount(), 3);
    QCOMPARE(cell(nodeTable, 2, 0), QStringLiteral("summarize"));
    QCOMPARE(cell(nodeTable, 2, 2).toLongLong(), m_ledger.records()[2].promptTokens);

    // Cost by model: the priced model in USD, the local one labelled unpriced (never $0).
    QChartView *costView = m_panel->chartView(UsagePanel::ModelCostTab);
    const QStringList models = categoryAxis(costView)->categories();
    QCOMPARE(models.size(), 2);
    QVERIFY2(models[0].startsWith(QStringLiteral("gpt-4o-mini — $")), qPrintable(models[0]));
    QCOMPARE(models[1], QStringLiteral("qwen2.5-7b-local — unpriced"));
    QAbstractItemModel *costTable = m_panel->tableModel(UsagePanel::ModelCostTab);
    QCOMPARE(cell(costTable, 1, 1), QStringLiteral("unpriced"));
    QVERIFY(cell(costTable, 0, 1).startsWith(QLatin1Char('$')));
    const double priced = *m_ledger.records()[0].costUsd + *m_ledger.records()[1].costUsd;
    QVERIFY(
        qFuzzyCompare(firstSeries<QAbstractBarSeries>(costView)->barSets().at(0)->at(0), priced));

    // Totals line: tokens, cost and the unpriced call.
    qint64 tokens = 0;
    for (const UsageRecord &r : m_ledger.records())
        tokens += r.totalTokens();
    const QString totals = m_panel->totalsText();
    QVERIFY2(totals.contains(QLocale().toString(tokens) + QStringLiteral(" tokens")),
             qPrintable(totals));
    QVERIFY2(totals.contains(UsagePanel::formatUsd(priced)), qPrintable(totals));
    QVERIFY2(totals.contains(QStringLiteral("1 unpriced call")), qPrintable(totals));

    // Latency histogram: three calls in the buckets.
    QChartView *latencyView = m_panel->chartView(UsagePanel::LatencyTab);
    double calls = 0;
    for (int i = 0; i < firstSeries<QAbstractBarSeries>(latencyView)->barSets().at(0)->count(); ++i)
        calls += firstSeries<QAbstractBarSeries>(latencyView)->barSets().at(0)->at(i);
    QCOMPARE(calls, 3.0);

    // Screenshots of the dock after the multi-model run.
    m_panel->show();
    for (auto [tab, name] : {std::pair{UsagePanel::NodeTokensTab, "nodes"},
                             {UsagePanel::ModelCostTab, "cost"},
                             {UsagePanel::LatencyTab, "latency"}}) {
        m_panel->setCurrentTab(tab);
        QCoreApplication::processEvents();
        QVERIFY(
            m_panel->grab().save(QStringLiteral("/tmp/k2-usage-%1.png").arg(QLatin1String(name))));
    }
}

void TestUsagePanel::timelineAppendsAndReplaces()
{
    auto *line = firstSeries<QLineSeries>(m_panel->chartView(UsagePanel::TimelineTab));
    QVERIFY(line);
    QCOMPARE(size_t(line->count()), m_series.timeline().size());
    QVERIFY(line->count() >= 1);
    QSignalSpy added(line, &QXYSeries::pointAdded);
    QSignalSpy replaced(line, &QXYSeries::pointReplaced);
    QSignalSpy cleared(line, &QXYSeries::pointsReplaced);

    // Two minutes after the last call: the gap minute and the new minute are appended.
    UsageRecord later = m_ledger.records().back();
    later.nodeId = QStringLiteral("summarize");
    later.timestampMs = m_series.timeline().back().minuteMs + 2 * 60000 + 5000;
    later.promptTokens = 500;
    later.completionTokens = 100;
    const int before = line->count();
    m_series.add(later);
    QCOMPARE(line->count(), before + 2);
    QCOMPARE(added.count(), 2);
    QCOMPARE(line->at(line->count() - 1).y(), 600.0);
    // Another call in the same minute replaces that point.
    later.timestampMs += 1000;
    m_series.add(later);
    QCOMPARE(line->count(), before + 2);
    QVERIFY(replaced.count() >= 1);
    QCOMPARE(line->at(line->count() - 1).y(), 1200.0);
    QCOMPARE(cleared.count(), 0); // never redrawn from scratch
    QCOMPARE(m_panel->tableModel(UsagePanel::TimelineTab)->rowCount(), line->count());

    m_panel->setCurrentTab(UsagePanel::TimelineTab);
    QCoreApplication::processEvents();
    QVERIFY(m_panel->grab().save(QStringLiteral("/tmp/k2-usage-timeline.png")));
}

void TestUsagePanel::csvExport()
{
    const QString path = m_dir.filePath(QStringLiteral("nodes.csv"));
    QString suggested;
    m_panel->setSaveFileFunction(
        [&](QWidget *, const QString &, const QString &name, const QString &) {
            suggested = name;
            return path;
        });
    m_panel->setCurrentTab(UsagePanel::NodeTokensTab);
    QSignalSpy exported(m_panel.get(), &UsagePanel::csvExported);
    QVERIFY(m_panel->exportCsv());
    QCOMPARE(exported.count(), 1);
    QVERIFY(suggested.startsWith(QStringLiteral("usage-node-tokens")));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString csv = QString::fromUtf8(file.readAll());
    QCOMPARE(csv, m_series.toCsv(UsageSeriesModel::Series::NodeTokens));
    const QStringList lines = csv.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 4);
    QVERIFY(lines[0].startsWith(QStringLiteral("node_id,node_kind,input_tokens")));
    QVERIFY(lines[1].startsWith(QStringLiteral("draft,llm,")));

    // Cancelled: nothing written.
    m_panel->setSaveFileFunction(
        [](QWidget *, const QString &, const QString &, const QString &) { return QString(); });
    QVERIFY(!m_panel->exportCsv());
    QCOMPARE(exported.count(), 1);
}

void TestUsagePanel::periodTotalsFromStore()
{
    m_panel->setPeriod(UsagePanel::Today);
    m_panel->setPeriodGroup(UsageGroup::Model);
    QAbstractItemModel *table = m_panel->tableModel(UsagePanel::PeriodTab);
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(cell(table, 0, 0), QStringLiteral("gpt-4o-mini"));
    QCOMPARE(cell(table, 0, 1).toInt(), 2);
    QCOMPARE(cell(table, 1, 0), QStringLiteral("qwen2.5-7b-local"));
    QCOMPARE(cell(table, 1, 4), QStringLiteral("unpriced"));
    QVERIFY2(m_panel->periodTotalsText().contains(QStringLiteral("1 unpriced call")),
             qPrintable(m_panel->periodTotalsText()));
    QCOMPARE(categoryAxis(m_panel->chartView(UsagePanel::PeriodTab))->categories().size(), 2);

    m_panel->setPeriodGroup(UsageGroup::User);
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(cell(table, 0, 0), QStringLiteral("alice"));
    QCOMPARE(cell(table, 0, 1).toInt(), 3);

    m_panel->setPeriodGroup(UsageGroup::Time);
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(cell(table, 0, 0), QDate::currentDate().toString(Qt::ISODate));

    // A range without calls.
    m_panel->setDateRange(QDate(2020, 1, 1), QDate(2020, 1, 31));
    QCOMPARE(table->rowCount(), 0);
    QCOMPARE(m_panel->periodTotalsText(), QStringLiteral("No LLM calls in this period."));

    m_panel->setPeriod(UsagePanel::Last7Days);
    m_panel->setPeriodGroup(UsageGroup::Model);
    m_panel->setCurrentTab(UsagePanel::PeriodTab);
    QCoreApplication::processEvents();
    QVERIFY(m_panel->grab().save(QStringLiteral("/tmp/k2-usage-period.png")));
}

void TestUsagePanel::showRecordedRun()
{
    UsageSeriesModel series;
    UsagePanel panel(&series, m_store.get());
    panel.showRun(m_runId);
    QCOMPARE(series.runId(), m_runId);
    QCOMPARE(series.nodeTokens().size(), size_t(3));
    QCOMPARE(panel.tableModel(UsagePanel::NodeTokensTab)->rowCount(), 3);
    QCOMPARE(categoryAxis(panel.chartView(UsagePanel::ModelCostTab))->categories().size(), 2);
    QVERIFY(panel.totalsText().contains(QStringLiteral("1 unpriced call")));
}

void TestUsagePanel::priceEditorRoundTrip()
{
    PriceTable t;
    t.setRate(QStringLiteral("CNY"), 0.14);
    ModelPrice p = ModelPrice::tokens(QStringLiteral("gpt-4o"), 2.5e-6, 10e-6);
    p.cachedPerToken = 1.25e-6;
    p.provider = QStringLiteral("openai");
    t.addPrice(p);
    t.addPrice(
        ModelPrice::tokens(QStringLiteral("qwen-max"), 2.4e-6, 9.6e-6, QStringLiteral("CNY"),
                           QDateTime(QDate(2025, 3, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch()));
    t.addPrice(ModelPrice::gpuHour(QStringLiteral("llama-3-70b-local"), 3.6, 8));

    PriceEditor editor(t);
    QCOMPARE(editor.objectName(), QStringLiteral("dialog.prices"));
    editor.setSavePath(m_dir.filePath(QStringLiteral("prices.json")));
    QTableWidget *table = editor.priceTable();
    QCOMPARE(table->rowCount(), 3);
    // Per million in the UI.
    int gpt = -1;
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, PriceEditor::ModelColumn)->text() == QStringLiteral("gpt-4o"))
            gpt = r;
    QVERIFY(gpt >= 0);
    QCOMPARE(table->item(gpt, PriceEditor::InputColumn)->text(), QStringLiteral("2.5"));
    QCOMPARE(table->item(gpt, PriceEditor::OutputColumn)->text(), QStringLiteral("10"));
    QCOMPARE(table->item(gpt, PriceEditor::CachedColumn)->text(), QStringLiteral("1.25"));
    QCOMPARE(table->item(gpt, PriceEditor::ReasoningColumn)->text(), QString());

    // Per token back, unchanged.
    auto back = editor.table();
    QVERIFY(back);
    const ModelPrice *g = back->find(QStringLiteral("gpt-4o"), 0);
    QVERIFY(g);
    QVERIFY(qFuzzyCompare(g->inputPerToken, 2.5e-6));
    QVERIFY(qFuzzyCompare(g->outputPerToken, 10e-6));
    QVERIFY(qFuzzyCompare(*g->cachedPerToken, 1.25e-6));
    QVERIFY(!g->reasoningPerToken);
    const ModelPrice *q
        = back->find(QStringLiteral("qwen-max"), QDateTime::currentMSecsSinceEpoch());
    QVERIFY(q);
    QCOMPARE(q->currency, QStringLiteral("CNY"));
    QCOMPARE(q->effectiveFromMs,
             QDateTime(QDate(2025, 3, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch());
    QCOMPARE(table->rowCount(), 3);
    const ModelPrice *llama = back->find(QStringLiteral("llama-3-70b-local"), 0);
    QVERIFY(llama && llama->gpuHourly);
    QCOMPARE(*llama->gpuHourly, 3.6);
    QCOMPARE(llama->concurrency, 8);
    QCOMPARE(*back->rate(QStringLiteral("CNY")), 0.14);

    // An edit per million is a price per token.
    table->item(gpt, PriceEditor::InputColumn)->setText(QStringLiteral("3"));
    back = editor.table();
    QVERIFY(qFuzzyCompare(back->find(QStringLiteral("gpt-4o"), 0)->inputPerToken, 3e-6));
    // Not a number: an error naming the row.
    table->item(gpt, PriceEditor::OutputColumn)->setText(QStringLiteral("ten"));
    QVERIFY(!editor.table());
    QCOMPARE(editor.table().error().code, QStringLiteral("prices.edit"));
    table->item(gpt, PriceEditor::OutputColumn)->setText(QStringLiteral("10"));

    // LiteLLM import merges.
    const QString litellm = m_dir.filePath(QStringLiteral("litellm.json"));
    {
        QFile f(litellm);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"sample_spec": {"input_cost_per_token": 0},
                   "claude-3-5-haiku": {"input_cost_per_token": 8e-07,
                     "output_cost_per_token": 4e-06, "litellm_provider": "anthropic"}})");
    }
    auto imported = editor.importLiteLlm(litellm);
    QVERIFY(imported);
    QCOMPARE(*imported, 1);
    QCOMPARE(table->rowCount(), 4);

    // Save writes the file and announces the table.
    QSignalSpy saved(&editor, &PriceEditor::saved);
    QVERIFY(editor.save());
    QCOMPARE(saved.count(), 1);
    auto loaded = PriceTable::load(editor.savePath());
    QVERIFY(loaded);
    QCOMPARE(loaded->prices().size(), size_t(4));
    QVERIFY(
        qFuzzyCompare(loaded->find(QStringLiteral("claude-3-5-haiku"), 0)->outputPerToken, 4e-6));

    editor.show();
    QCoreApplication::processEvents();
    QVERIFY(editor.grab().save(QStringLiteral("/tmp/k2-prices.png")));

    editor.resetToBundled();
    QCOMPARE(size_t(table->rowCount()), PriceTable::bundledDefault().prices().size());
}

void TestUsagePanel::alertDialogSavesRule()
{
    const QString path = m_dir.filePath(QStringLiteral("alert_rules.json"));
    AlertRulesDialog dialog({});
    QCOMPARE(dialog.objectName(), QStringLiteral("dialog.alertRules"));
    dialog.setSavePath(path);
    dialog.findChild<QPushButton *>(QStringLiteral("alerts.add"))->click();
    QCOMPARE(dialog.rules().size(), size_t(1));
    auto *name = dialog.findChild<QLineEdit *>(QStringLiteral("alerts.name"));
    name->clear();
    QTest::keyClicks(name, QStringLiteral("daily budget"));
    dialog.findChild<QComboBox *>(QStringLiteral("alerts.kind"))->setCurrentIndex(3);  // per day
    dialog.findChild<QComboBox *>(QStringLiteral("alerts.scope"))->setCurrentIndex(2); // user
    auto *value = dialog.findChild<QLineEdit *>(QStringLiteral("alerts.scopeValue"));
    QTest::keyClicks(value, QStringLiteral("alice"));
    dialog.findChild<QDoubleSpinBox *>(QStringLiteral("alerts.threshold"))->setValue(12.5);
    dialog.findChild<QCheckBox *>(QStringLiteral("alerts.pause"))->setChecked(true);
    dialog.findChild<QPushButton *>(QStringLiteral("alerts.addWebhook"))->click();
    auto *hooks = dialog.findChild<QTableWidget *>(QStringLiteral("alerts.webhooks"));
    QCOMPARE(hooks->rowCount(), 1);
    hooks->item(0, 0)->setText(QStringLiteral("https://oapi.dingtalk.com/robot/send?token=x"));

    QSignalSpy saved(&dialog, &AlertRulesDialog::saved);
    QVERIFY(dialog.save());
    QCOMPARE(saved.count(), 1);
    auto loaded = panels::loadAlertRules(path);
    QVERIFY(loaded);
    QCOMPARE(loaded->size(), size_t(1));
    const AlertRule &r = loaded->front();
    QCOMPARE(r.name, QStringLiteral("daily budget"));
    QCOMPARE(r.kind, AlertRule::Kind::CostPerDay);
    QCOMPARE(r.scope, AlertRule::Scope::User);
    QCOMPARE(r.scopeValue, QStringLiteral("alice"));
    QCOMPARE(r.threshold, 12.5);
    QVERIFY(r.pauseRun);
    QVERIFY(r.notify);
    QCOMPARE(r.webhooks.size(), size_t(1));
    QCOMPARE(r.webhooks[0].format, WebhookFormat::DingTalk); // from the host

    // The plugin's YAML adds its tokens-per-minute rule and passes Prometheus on.
    const QString yaml = m_dir.filePath(QStringLiteral("plugin.yaml"));
    {
        QFile f(yaml);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("prometheus:\n  enable: true\n  port: 9191\n"
                "alerting:\n  enabled: true\n  threshold_per_minute: 5000\n"
                "  webhook_url: https://hooks.slack.com/services/T/B/X\n");
    }
    QSignalSpy plugin(&dialog, &AlertRulesDialog::pluginConfigImported);
    auto added = dialog.importPluginConfig(yaml);
    QVERIFY(added);
    QCOMPARE(*added, 1);
    QCOMPARE(plugin.count(), 1);
    QCOMPARE(dialog.rules().size(), size_t(2));
    QCOMPARE(dialog.rules()[1].kind, AlertRule::Kind::TokensPerMinute);
    QCOMPARE(dialog.rules()[1].threshold, 5000.0);
    QCOMPARE(dialog.rules()[1].webhooks.at(0).format, WebhookFormat::Slack);
    QCOMPARE(dialog.currentRule(), 1);

    dialog.show();
    QCoreApplication::processEvents();
    QVERIFY(dialog.grab().save(QStringLiteral("/tmp/k2-alerts.png")));
}

QTEST_MAIN(TestUsagePanel)
#include "tst_usagepanel.moc"

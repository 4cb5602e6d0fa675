// Token metering without a server: prices (per token, cached and reasoning, currencies,
// effective dates, LiteLLM import, unpriced, GPU-hour), the bundled table, JSON round trip,
// in-memory aggregation, the series model's incremental signals and the plugin's YAML keys.
#include "metering/pluginconfig.h"
#include "metering/pricetable.h"
#include "metering/usageseries.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace flowbench;
using namespace flowbench::metering;
using Json = nlohmann::json;

namespace {

qint64 date(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toMSecsSinceEpoch();
}

UsageRecord call(const QString &model, qint64 prompt, qint64 completion, qint64 at = 0)
{
    UsageRecord r;
    r.runId = QStringLiteral("r1");
    r.nodeId = QStringLiteral("n1");
    r.model = model;
    r.promptTokens = prompt;
    r.completionTokens = completion;
    r.timestampMs = at ? at : date("2025-06-01T12:00:00Z");
    return r;
}

} // namespace

class TestMeteringPricing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void perToken();
    void cachedAndReasoning();
    void currencyConversion();
    void effectiveDate();
    void modelMatching();
    void unpricedIsNotZero();
    void gpuHour();
    void liteLlmImport();
    void jsonRoundTripAndBundled();
    void aggregationInMemory();
    void seriesModelIncremental();
    void pluginConfigYaml();
};

void TestMeteringPricing::perToken()
{
    PriceTable t;
    t.addPrice(ModelPrice::tokens(QStringLiteral("gpt-4o"), PriceTable::perToken(2.5),
                                  PriceTable::perToken(10)));
    const auto c = t.cost(call(QStringLiteral("gpt-4o"), 1000000, 500000));
    QVERIFY(c);
    QCOMPARE(c->currency, QStringLiteral("USD"));
    QVERIFY(qFuzzyCompare(c->amount, 2.5 + 5.0));
    QVERIFY(qFuzzyCompare(*c->usd, 7.5));
    QVERIFY(qFuzzyCompare(PriceTable::perMillion(t.prices().front().inputPerToken), 2.5));
}

void TestMeteringPricing::cachedAndReasoning()
{
    PriceTable t;
    ModelPrice o3 = ModelPrice::tokens(QStringLiteral("o3"), 2e-6, 8e-6);
    o3.cachedPerToken = 0.5e-6;
    o3.reasoningPerToken = 10e-6;
    t.addPrice(o3);
    UsageRecord r = call(QStringLiteral("o3"), 1000, 600);
    r.cachedTokens = 400;    // part of the 1000 prompt tokens
    r.reasoningTokens = 200; // part of the 600 completion tokens
    const auto c = t.cost(r);
    QVERIFY(c);
    const double expected = 600 * 2e-6 + 400 * 0.5e-6 + 400 * 8e-6 + 200 * 10e-6;
    QVERIFY(qFuzzyCompare(c->amount, expected));

    // Without separate prices cached/reasoning tokens cost like the others.
    PriceTable plain;
    plain.addPrice(ModelPrice::tokens(QStringLiteral("o3"), 2e-6, 8e-6));
    QVERIFY(qFuzzyCompare(plain.cost(r)->amount, 1000 * 2e-6 + 600 * 8e-6));
}

void TestMeteringPricing::currencyConversion()
{
    PriceTable t;
    t.setRate(QStringLiteral("CNY"), 0.14);
    t.addPrice(
        ModelPrice::tokens(QStringLiteral("qwen-max"), 2.4e-6, 9.6e-6, QStringLiteral("CNY")));
    const auto c = t.cost(call(QStringLiteral("qwen-max"), 1000000, 1000000));
    QVERIFY(c);
    QCOMPARE(c->currency, QStringLiteral("CNY"));
    QVERIFY(qFuzzyCompare(c->amount, 12.0));
    QVERIFY(qFuzzyCompare(*c->usd, 12.0 * 0.14));

    // A currency with no rate: priced in its currency, but no USD figure.
    t.addPrice(ModelPrice::tokens(QStringLiteral("yen-model"), 1, 1, QStringLiteral("JPY")));
    const auto y = t.cost(call(QStringLiteral("yen-model"), 1, 1));
    QVERIFY(y);
    QVERIFY(!y->usd);
    t.setRate(QStringLiteral("JPY"), 0.0067);
    QVERIFY(qFuzzyCompare(*t.cost(call(QStringLiteral("yen-model"), 1, 1))->usd, 2 * 0.0067));
}

void TestMeteringPricing::effectiveDate()
{
    PriceTable t;
    const QString usd = QStringLiteral("USD");
    t.addPrice(ModelPrice::tokens(QStringLiteral("m"), 3e-6, 0));
    t.addPrice(ModelPrice::tokens(QStringLiteral("m"), 1e-6, 0, usd, date("2025-03-01T00:00:00Z")));
    t.addPrice(
        ModelPrice::tokens(QStringLiteral("m"), 0.5e-6, 0, usd, date("2025-09-01T00:00:00Z")));
    const auto at = [&](const char *when) {
        return t.cost(call(QStringLiteral("m"), 1000000, 0, date(when)))->amount;
    };
    QVERIFY(qFuzzyCompare(at("2025-01-15T00:00:00Z"), 3.0));
    QVERIFY(qFuzzyCompare(at("2025-03-01T00:00:00Z"), 1.0));
    QVERIFY(qFuzzyCompare(at("2025-08-31T23:59:59Z"), 1.0));
    QVERIFY(qFuzzyCompare(at("2026-01-01T00:00:00Z"), 0.5));
}

void TestMeteringPricing::modelMatching()
{
    PriceTable t;
    t.addPrice(ModelPrice::tokens(QStringLiteral("gpt-4o"), 1, 0));
    t.addPrice(ModelPrice::tokens(QStringLiteral("qwen2.5-*"), 2, 0));
    t.addPrice(ModelPrice::tokens(QStringLiteral("qwen2.5-72b-*"), 3, 0));
    QCOMPARE(t.cost(call(QStringLiteral("GPT-4o"), 1, 0))->amount, 1.0);
    QCOMPARE(t.cost(call(QStringLiteral("openai/gpt-4o"), 1, 0))->amount, 1.0);
    QCOMPARE(t.cost(call(QStringLiteral("qwen2.5-7b-instruct"), 1, 0))->amount, 2.0);
    QCOMPARE(t.cost(call(QStringLiteral("qwen2.5-72b-instruct"), 1, 0))->amount, 3.0);
    QVERIFY(!t.cost(call(QStringLiteral("gpt-4o-mini"), 1, 0)));
}

void TestMeteringPricing::unpricedIsNotZero()
{
    PriceTable t;
    UsageRecord r = call(QStringLiteral("my-local-llama"), 100, 100);
    QVERIFY(!t.cost(r));
    r.cost = 1.0; // a stale value must go
    t.price(r);
    QVERIFY(!r.cost.has_value());
    QVERIFY(!r.costUsd.has_value());
    QVERIFY(!r.isPriced());
    QCOMPARE(r.toJson()["cost"], Json());

    // Aggregations count it as unpriced instead of adding $0.
    UsageRecord priced = call(QStringLiteral("gpt-4o"), 10, 10);
    priced.costUsd = 0.25;
    priced.cost = 0.25;
    const auto totals = aggregate({r, priced}, UsageGroup::Run);
    QCOMPARE(totals.size(), size_t(1));
    QCOMPARE(totals[0].calls, 2);
    QCOMPARE(totals[0].unpricedCalls, 1);
    QCOMPARE(totals[0].costUsd, 0.25);
}

void TestMeteringPricing::gpuHour()
{
    PriceTable t;
    // A self-hosted model: $2.40 per GPU-hour, the GPU serves 8 requests at once.
    t.addPrice(ModelPrice::gpuHour(QStringLiteral("llama-3-70b-local"), 2.40, 8));
    UsageRecord r = call(QStringLiteral("llama-3-70b-local"), 5000, 1000);
    r.latencyMs = 30000; // 30 s of request time
    const auto c = t.cost(r);
    QVERIFY(c);
    QVERIFY(qFuzzyCompare(c->amount, 2.40 * (30.0 / 3600.0) / 8));
    QVERIFY(c->amount > 0);
    // Round trip keeps the GPU price.
    const auto back = PriceTable::fromJson(t.toJson());
    QVERIFY(back);
    QVERIFY(qFuzzyCompare(back->cost(r)->amount, c->amount));
}

void TestMeteringPricing::liteLlmImport()
{
    // An excerpt in LiteLLM's model_prices_and_context_window.json format.
    const Json litellm = Json::parse(R"({
      "sample_spec": {
        "max_tokens": "LEGACY parameter. set to max_output_tokens if provider specifies it.",
        "input_cost_per_token": 0.0000,
        "output_cost_per_token": 0.000,
        "litellm_provider": "one of https://docs.litellm.ai/docs/providers",
        "mode": "one of: chat, embedding, completion, image_generation"
      },
      "gpt-4o": {
        "max_tokens": 16384, "max_input_tokens": 128000, "max_output_tokens": 16384,
        "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05,
        "cache_read_input_token_cost": 1.25e-06, "litellm_provider": "openai", "mode": "chat",
        "supports_function_calling": true, "supports_vision": true
      },
      "o1": {
        "input_cost_per_token": 1.5e-05, "output_cost_per_token": 6e-05,
        "cache_read_input_token_cost": 7.5e-06, "litellm_provider": "openai", "mode": "chat",
        "supports_reasoning": true
      },
      "deepseek/deepseek-reasoner": {
        "input_cost_per_token": 5.5e-07, "output_cost_per_token": 2.19e-06,
        "output_cost_per_reasoning_token": 2.19e-06, "litellm_provider": "deepseek",
        "mode": "chat"
      },
      "dall-e-3": { "output_cost_per_image": 0.04, "litellm_provider": "openai",
                    "mode": "image_generation" }
    })");
    PriceTable t;
    const auto n = t.importLiteLlm(litellm, date("2025-01-01T00:00:00Z"));
    QVERIFY(n);
    QCOMPARE(*n, 3); // sample_spec and the per-image model are skipped
    const ModelPrice *p = t.find(QStringLiteral("gpt-4o"), date("2025-06-01T00:00:00Z"));
    QVERIFY(p);
    QCOMPARE(p->provider, QStringLiteral("openai"));
    QCOMPARE(*p->cachedPerToken, 1.25e-06);
    QVERIFY(!t.find(QStringLiteral("sample_spec"), date("2025-06-01T00:00:00Z")));
    QVERIFY(!t.find(QStringLiteral("dall-e-3"), date("2025-06-01T00:00:00Z")));
    const ModelPrice *d = t.find(QStringLiteral("deepseek/deepseek-reasoner"), date("2025-06-01"));
    QVERIFY(d);
    QCOMPARE(*d->reasoningPerToken, 2.19e-06);
    // Not before its effective date.
    QVERIFY(!t.find(QStringLiteral("gpt-4o"), date("2024-06-01T00:00:00Z")));
    QVERIFY(!t.importLiteLlm(Json::array()));
}

void TestMeteringPricing::jsonRoundTripAndBundled()
{
    const PriceTable bundled = PriceTable::bundledDefault();
    QVERIFY(!bundled.isEmpty());
    QVERIFY(bundled.rate(QStringLiteral("CNY")));
    QVERIFY(bundled.find(QStringLiteral("gpt-4o-mini"), date("2025-06-01T00:00:00Z")));
    QVERIFY(bundled.find(QStringLiteral("qwen-max"), date("2025-06-01T00:00:00Z")));

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("prices.json"));
    QVERIFY(bundled.save(path));
    const auto loaded = PriceTable::load(path);
    QVERIFY(loaded);
    QCOMPARE(loaded->prices().size(), bundled.prices().size());
    QCOMPARE(loaded->toJson(), bundled.toJson());
    QVERIFY(!PriceTable::load(dir.filePath(QStringLiteral("missing.json"))));
    QVERIFY(!PriceTable::fromJson(Json{{"models", Json::object()}}));
}

void TestMeteringPricing::aggregationInMemory()
{
    std::vector<UsageRecord> records;
    const qint64 day = 86400000;
    const qint64 base = date("2025-06-01T00:00:00Z");
    for (int i = 0; i < 10; ++i) {
        UsageRecord r = call(i % 2 ? QStringLiteral("a") : QStringLiteral("b"), 10, 5,
                             base + (i % 3) * day + 1000);
        r.appId = i < 5 ? QStringLiteral("app1") : QStringLiteral("app2");
        r.costUsd = 0.01;
        records.push_back(r);
    }
    const auto byModel = aggregate(records, UsageGroup::Model);
    QCOMPARE(byModel.size(), size_t(2));
    QCOMPARE(byModel[0].key, QStringLiteral("a"));
    QCOMPARE(byModel[0].calls, 5);
    QCOMPARE(byModel[0].promptTokens, 50);
    const auto byDay = aggregate(records, UsageGroup::Time);
    QCOMPARE(byDay.size(), size_t(3));
    QCOMPARE(byDay[0].bucketMs, base);
    QCOMPARE(byDay[0].calls, 4); // i = 0, 3, 6, 9
    UsageFilter f;
    f.appId = QStringLiteral("app2");
    f.fromMs = base + day;
    const auto filtered = aggregate(records, UsageGroup::App, f);
    QCOMPARE(filtered.size(), size_t(1));
    QCOMPARE(filtered[0].calls, 3); // i = 5, 7, 8
}

void TestMeteringPricing::seriesModelIncremental()
{
    UsageSeriesModel s;
    QSignalSpy nodes(&s, &UsageSeriesModel::nodeTokensChanged);
    QSignalSpy models(&s, &UsageSeriesModel::modelCostChanged);
    QSignalSpy points(&s, &UsageSeriesModel::timelinePointChanged);
    QSignalSpy latency(&s, &UsageSeriesModel::latencyBucketChanged);
    const qint64 t0 = date("2025-06-01T12:00:10Z");
    UsageRecord a = call(QStringLiteral("m1"), 100, 50, t0);
    a.reasoningTokens = 20;
    a.latencyMs = 700;
    a.costUsd = 0.1;
    s.add(a);
    QCOMPARE(nodes.count(), 1);
    QCOMPARE(nodes.last().at(0).toInt(), 0);
    QCOMPARE(nodes.last().at(1).toBool(), true);
    QCOMPARE(s.nodeTokens()[0].output, 30);
    QCOMPARE(s.nodeTokens()[0].reasoning, 20);
    QCOMPARE(latency.last().at(0).toInt(), 3); // ≤ 1 s

    UsageRecord b = call(QStringLiteral("m2"), 10, 10, t0 + 2 * 60000); // two minutes later
    b.nodeId = QStringLiteral("n2");
    s.add(b); // unpriced
    QCOMPARE(nodes.last().at(0).toInt(), 1);
    QCOMPARE(nodes.last().at(1).toBool(), true);
    QCOMPARE(models.last().at(1).toBool(), true);
    QCOMPARE(s.modelCosts()[1].unpricedCalls, 1);
    QCOMPARE(s.timeline().size(), size_t(3)); // the empty minute is a zero point
    QCOMPARE(s.timeline()[1].tokens, 0);
    QCOMPARE(s.timeline()[2].tokens, 20);

    s.add(a); // same node, same model, first minute: updates, no inserts
    QCOMPARE(nodes.last().at(0).toInt(), 0);
    QCOMPARE(nodes.last().at(1).toBool(), false);
    QCOMPARE(points.last().at(0).toInt(), 0);
    QCOMPARE(points.last().at(1).toBool(), false);
    QCOMPARE(s.timeline()[0].tokens, 300);

    UsageRecord other = a;
    other.runId = QStringLiteral("another-run");
    const int before = nodes.count();
    s.add(other);
    QCOMPARE(nodes.count(), before); // other runs do not touch the per-run series

    QVERIFY(s.toCsv(UsageSeriesModel::Series::NodeTokens).startsWith(QStringLiteral("node_id,")));
    QCOMPARE(s.toCsv(UsageSeriesModel::Series::ModelCost).count(QLatin1Char('\n')), 3);

    QSignalSpy reset(&s, &UsageSeriesModel::reset);
    s.load(QStringLiteral("r1"), {a, b});
    QCOMPARE(reset.count(), 1);
    QCOMPARE(s.nodeTokens().size(), size_t(2));
}

void TestMeteringPricing::pluginConfigYaml()
{
    const QByteArray yaml = R"(
prometheus:
  enable: true
  port: 9100
token_collector:
  sample_rate: 0.5
  aggregation_window: 30
alerting:
  enabled: true
  threshold_per_minute: 5000
  webhook_url: https://oapi.dingtalk.com/robot/send?access_token=x
)";
    const auto c = PluginConfig::fromYaml(yaml);
    QVERIFY2(c, c ? "" : qPrintable(c.error().message));
    QCOMPARE(c->prometheusEnabled, true);
    QCOMPARE(c->prometheusPort, 9100);
    QCOMPARE(c->sampleRate, 0.5);
    QCOMPARE(c->aggregationWindowSeconds, 30);
    QCOMPARE(c->thresholdPerMinute, 5000.0);
    const auto rules = c->alertRules();
    QCOMPARE(rules.size(), size_t(1));
    QCOMPARE(rules[0].kind, AlertRule::Kind::TokensPerMinute);
    QCOMPARE(rules[0].webhooks.front().format, WebhookFormat::DingTalk);
    QCOMPARE(webhookFormatForUrl(QUrl(QStringLiteral("https://hooks.slack.com/services/x"))),
             WebhookFormat::Slack);
    QCOMPARE(webhookFormatForUrl(
                 QUrl(QStringLiteral("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"))),
             WebhookFormat::WeCom);

    const auto defaults = PluginConfig::fromYaml("{}");
    QVERIFY(defaults);
    QCOMPARE(defaults->prometheusPort, 9091);
    QVERIFY(defaults->alertRules().empty());
    QVERIFY(!PluginConfig::fromYaml("prometheus: {port: [1, 2]}"));
    QVERIFY(!PluginConfig::fromYaml("prometheus: {port: 70000}"));
}

QTEST_GUILESS_MAIN(TestMeteringPricing)
#include "tst_metering_pricing.moc"

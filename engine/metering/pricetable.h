#pragma once

#include <QHash>
#include <QString>

#include <optional>
#include <vector>

#include "core/result.h"
#include "usagerecord.h"

namespace flowbench::metering {

// The price of one model from one date on. Prices are stored per token in `currency` (the UI
// shows them per million tokens: perMillion()). A model is either priced per token or, when
// gpuHourly is set (a self-hosted model), by GPU time:
//     cost = gpuHourly × request latency ÷ concurrency
// where concurrency is how many requests the user says the GPU serves at once.
struct ModelPrice
{
    QString model;    // served model name; a trailing '*' makes it a prefix ("qwen2.5-*")
    QString provider; // informational (LiteLLM's litellm_provider)
    double inputPerToken = 0;
    double outputPerToken = 0;
    std::optional<double> cachedPerToken;    // cached prompt tokens; default: inputPerToken
    std::optional<double> reasoningPerToken; // reasoning tokens; default: outputPerToken
    std::optional<double> gpuHourly;         // per GPU-hour: replaces the token prices
    int concurrency = 1;
    QString currency = QStringLiteral("USD");
    qint64 effectiveFromMs = 0; // in effect from this time (ms since the epoch) on

    [[nodiscard]] Json toJson() const;
    [[nodiscard]] static Result<ModelPrice> fromJson(const Json &json);
    // Per-token prices; per-GPU-hour prices.
    [[nodiscard]] static ModelPrice tokens(const QString &model, double inputPerToken,
                                           double outputPerToken,
                                           const QString &currency = QStringLiteral("USD"),
                                           qint64 effectiveFromMs = 0);
    [[nodiscard]] static ModelPrice gpuHour(const QString &model, double hourly, int concurrency,
                                            const QString &currency = QStringLiteral("USD"));
};

// A cost in its own currency and, when the currency has a rate, in USD.
struct Cost
{
    double amount = 0;
    QString currency;
    std::optional<double> usd;
};

// Model prices with their history, and currency rates to USD. Value type; not thread-safe.
//
// Lookup: the entries whose model equals the record's model (case-insensitively), else equals it
// without a "provider/" prefix, else the longest '*' prefix that matches; among those, the one
// with the latest effective date not after the record's time. No entry → unpriced (nullopt).
//
//     PriceTable t;
//     t.setRate("CNY", 0.14); // 1 CNY = 0.14 USD
//     t.addPrice(ModelPrice::tokens("qwen-max", 2.4e-6, 9.6e-6, "CNY"));
//     std::optional<Cost> c = t.cost(record); // nullopt: unpriced, never 0
class PriceTable
{
public:
    PriceTable(); // USD at 1.0, no prices

    void setRate(const QString &currency, double usdPerUnit);
    [[nodiscard]] std::optional<double> rate(const QString &currency) const;
    [[nodiscard]] QHash<QString, double> rates() const { return m_rates; }
    [[nodiscard]] std::optional<double> toUsd(double amount, const QString &currency) const;

    void addPrice(ModelPrice price); // replaces an entry with the same model and date
    void removePrices(const QString &model);
    [[nodiscard]] const std::vector<ModelPrice> &prices() const { return m_prices; }
    [[nodiscard]] bool isEmpty() const { return m_prices.empty(); }

    // The price in effect for `model` at `atMs` (nullptr when none).
    [[nodiscard]] const ModelPrice *find(const QString &model, qint64 atMs) const;
    [[nodiscard]] std::optional<Cost> cost(const UsageRecord &record) const;
    // Fills record.cost, currency and costUsd (clears them when unpriced).
    void price(UsageRecord &record) const;

    // {"currencies": {"CNY": 0.14, ...}, "models": [ModelPrice::toJson(), ...]}
    [[nodiscard]] Json toJson() const;
    // Errors: "prices.format".
    [[nodiscard]] static Result<PriceTable> fromJson(const Json &json);
    // Errors: "prices.read", "prices.format" / "prices.write" (atomic, QSaveFile).
    [[nodiscard]] static Result<PriceTable> load(const QString &path);
    Result<void> save(const QString &path) const;

    // Merges LiteLLM's model_prices_and_context_window.json: every entry with a token price
    // (input_cost_per_token / output_cost_per_token, cache_read_input_token_cost,
    // output_cost_per_reasoning_token, litellm_provider); "sample_spec" and entries without
    // token prices are skipped. Prices are USD from `effectiveFromMs` on. Returns how many
    // models were imported. Errors: "prices.format".
    Result<int> importLiteLlm(const Json &json, qint64 effectiveFromMs = 0);
    Result<int> importLiteLlmFile(const QString &path, qint64 effectiveFromMs = 0);

    // The small table bundled with Flowbench (:/metering/default_prices.json).
    [[nodiscard]] static PriceTable bundledDefault();
    // <AppDataLocation>/prices.json: where the app's price editor saves the user's table.
    [[nodiscard]] static QString userPath();
    // The user's table when there is one (a broken file is reported with qWarning), else the
    // bundled one.
    [[nodiscard]] static PriceTable userOrBundled();

    [[nodiscard]] static double perMillion(double perToken) { return perToken * 1e6; }
    [[nodiscard]] static double perToken(double perMillion) { return perMillion / 1e6; }

private:
    QHash<QString, double> m_rates;
    std::vector<ModelPrice> m_prices;
};

} // namespace flowbench::metering

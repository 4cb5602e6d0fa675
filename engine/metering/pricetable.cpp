#include "pricetable.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <QDir>

#include <algorithm>

namespace flowbench::metering {

namespace {

std::optional<double> num(const Json &o, const char *key)
{
    const auto it = o.find(key);
    if (it == o.end() || it->is_null())
        return std::nullopt;
    if (it->is_number())
        return it->get<double>();
    if (it->is_string()) {
        bool ok = false;
        const double v = QString::fromStdString(it->get<std::string>()).toDouble(&ok);
        if (ok)
            return v;
    }
    return std::nullopt;
}

QString text(const Json &o, const char *key)
{
    const auto it = o.find(key);
    return it != o.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                            : QString();
}

Error formatError(const QString &what)
{
    return Error{
        QStringLiteral("prices.format"),
        QCoreApplication::translate("flowbench::metering::PriceTable", "price table: %1").arg(what),
        {}};
}

// "2025-01-01" or an ISO date-time, or ms since the epoch.
qint64 dateOf(const Json &o, const char *key)
{
    const auto it = o.find(key);
    if (it == o.end())
        return 0;
    if (it->is_number())
        return it->get<qint64>();
    if (!it->is_string())
        return 0;
    const QString s = QString::fromStdString(it->get<std::string>());
    QDateTime t = QDateTime::fromString(s, Qt::ISODateWithMs);
    if (!t.isValid()) {
        const QDate d = QDate::fromString(s, Qt::ISODate);
        if (d.isValid())
            t = d.startOfDay(Qt::UTC);
    }
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}

} // namespace

Json ModelPrice::toJson() const
{
    Json j{{"model", model.toStdString()},
           {"input_cost_per_token", inputPerToken},
           {"output_cost_per_token", outputPerToken},
           {"currency", currency.toStdString()}};
    if (!provider.isEmpty())
        j["provider"] = provider.toStdString();
    if (cachedPerToken)
        j["cache_read_input_token_cost"] = *cachedPerToken;
    if (reasoningPerToken)
        j["output_cost_per_reasoning_token"] = *reasoningPerToken;
    if (gpuHourly) {
        j["gpu_hourly_cost"] = *gpuHourly;
        j["concurrency"] = concurrency;
    }
    if (effectiveFromMs != 0)
        j["effective_from"] = QDateTime::fromMSecsSinceEpoch(effectiveFromMs, Qt::UTC)
                                  .toString(Qt::ISODate)
                                  .toStdString();
    return j;
}

Result<ModelPrice> ModelPrice::fromJson(const Json &j)
{
    if (!j.is_object())
        return tl::unexpected(formatError(QStringLiteral("a model price is not an object")));
    ModelPrice p;
    p.model = text(j, "model");
    if (p.model.isEmpty())
        return tl::unexpected(formatError(QStringLiteral("a model price has no model")));
    p.provider = text(j, "provider");
    p.inputPerToken = num(j, "input_cost_per_token").value_or(0);
    p.outputPerToken = num(j, "output_cost_per_token").value_or(0);
    // The UI's unit is also accepted in files people write by hand.
    if (const auto m = num(j, "input_cost_per_million"))
        p.inputPerToken = *m / 1e6;
    if (const auto m = num(j, "output_cost_per_million"))
        p.outputPerToken = *m / 1e6;
    p.cachedPerToken = num(j, "cache_read_input_token_cost");
    p.reasoningPerToken = num(j, "output_cost_per_reasoning_token");
    p.gpuHourly = num(j, "gpu_hourly_cost");
    p.concurrency = std::max(1, static_cast<int>(num(j, "concurrency").value_or(1)));
    const QString currency = text(j, "currency");
    p.currency = currency.isEmpty() ? QStringLiteral("USD") : currency.toUpper();
    p.effectiveFromMs = dateOf(j, "effective_from");
    return p;
}

ModelPrice ModelPrice::tokens(const QString &model, double inputPerToken, double outputPerToken,
                              const QString &currency, qint64 effectiveFromMs)
{
    ModelPrice p;
    p.model = model;
    p.inputPerToken = inputPerToken;
    p.outputPerToken = outputPerToken;
    p.currency = currency;
    p.effectiveFromMs = effectiveFromMs;
    return p;
}

ModelPrice ModelPrice::gpuHour(const QString &model, double hourly, int concurrency,
                               const QString &currency)
{
    ModelPrice p;
    p.model = model;
    p.gpuHourly = hourly;
    p.concurrency = std::max(1, concurrency);
    p.currency = currency;
    return p;
}

PriceTable::PriceTable()
{
    m_rates.insert(QStringLiteral("USD"), 1.0);
}

void PriceTable::setRate(const QString &currency, double usdPerUnit)
{
    m_rates.insert(currency.toUpper(), usdPerUnit);
}

std::optional<double> PriceTable::rate(const QString &currency) const
{
    const auto it = m_rates.constFind(currency.toUpper());
    if (it == m_rates.cend())
        return std::nullopt;
    return *it;
}

std::optional<double> PriceTable::toUsd(double amount, const QString &currency) const
{
    const auto r = rate(currency);
    if (!r)
        return std::nullopt;
    return amount * *r;
}

void PriceTable::addPrice(ModelPrice price)
{
    for (ModelPrice &p : m_prices) {
        if (p.model.compare(price.model, Qt::CaseInsensitive) == 0
            && p.effectiveFromMs == price.effectiveFromMs) {
            p = std::move(price);
            return;
        }
    }
    m_prices.push_back(std::move(price));
}

void PriceTable::removePrices(const QString &model)
{
    std::erase_if(m_prices, [&](const ModelPrice &p) {
        return p.model.compare(model, Qt::CaseInsensitive) == 0;
    });
}

const ModelPrice *PriceTable::find(const QString &model, qint64 atMs) const
{
    if (model.isEmpty())
        return nullptr;
    const auto best = [&](auto &&matches) -> const ModelPrice * {
        const ModelPrice *found = nullptr;
        for (const ModelPrice &p : m_prices) {
            if (!matches(p) || p.effectiveFromMs > atMs)
                continue;
            if (!found || p.effectiveFromMs > found->effectiveFromMs)
                found = &p;
        }
        return found;
    };
    if (const ModelPrice *p = best(
            [&](const ModelPrice &p) { return p.model.compare(model, Qt::CaseInsensitive) == 0; }))
        return p;
    if (const qsizetype slash = model.lastIndexOf(QLatin1Char('/')); slash >= 0) {
        const QString bare = model.mid(slash + 1);
        if (const ModelPrice *p = best([&](const ModelPrice &p) {
                return p.model.compare(bare, Qt::CaseInsensitive) == 0;
            }))
            return p;
    }
    // Prefix entries: the longest prefix wins.
    qsizetype longest = -1;
    for (const ModelPrice &p : m_prices) {
        if (p.model.endsWith(QLatin1Char('*'))
            && model.startsWith(p.model.chopped(1), Qt::CaseInsensitive))
            longest = std::max(longest, p.model.size());
    }
    if (longest < 0)
        return nullptr;
    return best([&](const ModelPrice &p) {
        return p.model.size() == longest && p.model.endsWith(QLatin1Char('*'))
               && model.startsWith(p.model.chopped(1), Qt::CaseInsensitive);
    });
}

std::optional<Cost> PriceTable::cost(const UsageRecord &r) const
{
    const ModelPrice *p = find(r.model, r.timestampMs);
    if (!p)
        return std::nullopt;
    double amount = 0;
    if (p->gpuHourly) {
        amount = *p->gpuHourly * (static_cast<double>(r.latencyMs) / 3600000.0)
                 / std::max(1, p->concurrency);
    } else {
        // Prompt tokens include the cached ones, completion tokens the reasoning ones (OpenAI).
        const qint64 cached = std::clamp<qint64>(r.cachedTokens, 0, r.promptTokens);
        const qint64 reasoning = std::clamp<qint64>(r.reasoningTokens, 0, r.completionTokens);
        amount
            = static_cast<double>(r.promptTokens - cached) * p->inputPerToken
              + static_cast<double>(cached) * p->cachedPerToken.value_or(p->inputPerToken)
              + static_cast<double>(r.completionTokens - reasoning) * p->outputPerToken
              + static_cast<double>(reasoning) * p->reasoningPerToken.value_or(p->outputPerToken);
    }
    return Cost{amount, p->currency, toUsd(amount, p->currency)};
}

void PriceTable::price(UsageRecord &r) const
{
    const auto c = cost(r);
    if (!c) {
        r.cost.reset();
        r.costUsd.reset();
        r.currency.clear();
        return;
    }
    r.cost = c->amount;
    r.currency = c->currency;
    r.costUsd = c->usd;
}

Json PriceTable::toJson() const
{
    Json currencies = Json::object();
    for (auto it = m_rates.cbegin(); it != m_rates.cend(); ++it)
        currencies[it.key().toStdString()] = it.value();
    Json models = Json::array();
    for (const ModelPrice &p : m_prices)
        models.push_back(p.toJson());
    return Json{{"currencies", currencies}, {"models", models}};
}

Result<PriceTable> PriceTable::fromJson(const Json &j)
{
    if (!j.is_object())
        return tl::unexpected(formatError(QStringLiteral("not a JSON object")));
    PriceTable t;
    if (const auto it = j.find("currencies"); it != j.end() && it->is_object()) {
        for (auto c = it->begin(); c != it->end(); ++c) {
            if (!c.value().is_number())
                return tl::unexpected(formatError(QStringLiteral("the rate of %1 is not a number")
                                                      .arg(QString::fromStdString(c.key()))));
            t.setRate(QString::fromStdString(c.key()), c.value().get<double>());
        }
    }
    if (const auto it = j.find("models"); it != j.end()) {
        if (!it->is_array())
            return tl::unexpected(formatError(QStringLiteral("\"models\" is not an array")));
        for (const Json &m : *it) {
            auto p = ModelPrice::fromJson(m);
            if (!p)
                return tl::unexpected(p.error());
            t.addPrice(std::move(*p));
        }
    }
    return t;
}

Result<PriceTable> PriceTable::load(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(
            QStringLiteral("prices.read"),
            QCoreApplication::translate("flowbench::metering::PriceTable", "cannot read %1: %2")
                .arg(path, f.errorString()));
    const QByteArray bytes = f.readAll();
    const Json j = Json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false);
    if (j.is_discarded())
        return tl::unexpected(formatError(QStringLiteral("%1 is not JSON").arg(path)));
    return fromJson(j);
}

Result<void> PriceTable::save(const QString &path) const
{
    QSaveFile f(path);
    const std::string body = toJson().dump(2);
    if (!f.open(QIODevice::WriteOnly) || f.write(body.data(), static_cast<qint64>(body.size())) < 0
        || !f.commit())
        return makeError(
            QStringLiteral("prices.write"),
            QCoreApplication::translate("flowbench::metering::PriceTable", "cannot write %1: %2")
                .arg(path, f.errorString()));
    return {};
}

Result<int> PriceTable::importLiteLlm(const Json &j, qint64 effectiveFromMs)
{
    if (!j.is_object())
        return tl::unexpected(formatError(QStringLiteral("LiteLLM prices: not a JSON object")));
    int imported = 0;
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (it.key() == "sample_spec" || !it.value().is_object())
            continue;
        const Json &m = it.value();
        const auto input = num(m, "input_cost_per_token");
        const auto output = num(m, "output_cost_per_token");
        if (!input && !output)
            continue; // per-image, per-second or per-query prices only
        ModelPrice p;
        p.model = QString::fromStdString(it.key());
        p.provider = text(m, "litellm_provider");
        p.inputPerToken = input.value_or(0);
        p.outputPerToken = output.value_or(0);
        p.cachedPerToken = num(m, "cache_read_input_token_cost");
        p.reasoningPerToken = num(m, "output_cost_per_reasoning_token");
        p.currency = QStringLiteral("USD");
        p.effectiveFromMs = effectiveFromMs;
        addPrice(std::move(p));
        ++imported;
    }
    return imported;
}

Result<int> PriceTable::importLiteLlmFile(const QString &path, qint64 effectiveFromMs)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(
            QStringLiteral("prices.read"),
            QCoreApplication::translate("flowbench::metering::PriceTable", "cannot read %1: %2")
                .arg(path, f.errorString()));
    const QByteArray bytes = f.readAll();
    const Json j = Json::parse(bytes.constBegin(), bytes.constEnd(), nullptr, false);
    if (j.is_discarded())
        return tl::unexpected(formatError(QStringLiteral("%1 is not JSON").arg(path)));
    return importLiteLlm(j, effectiveFromMs);
}

PriceTable PriceTable::bundledDefault()
{
    auto t = load(QStringLiteral(":/metering/default_prices.json"));
    if (!t) {
        qWarning("metering: bundled price table: %s", qPrintable(t.error().message));
        return PriceTable();
    }
    return std::move(*t);
}

QString PriceTable::userPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("prices.json"));
}

PriceTable PriceTable::userOrBundled()
{
    const QString path = userPath();
    if (QFile::exists(path)) {
        auto t = load(path);
        if (t)
            return std::move(*t);
        qWarning("metering: %s", qPrintable(t.error().message));
    }
    return bundledDefault();
}

} // namespace flowbench::metering

#include "usagerecord.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <map>

namespace flowbench::metering {

namespace {

QString qs(const Json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get<std::string>());
}

std::optional<double> number(const Json &object, const char *key)
{
    if (!object.is_object())
        return std::nullopt;
    const auto it = object.find(key);
    if (it == object.end())
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

qint64 count(const Json &object, const char *key)
{
    const auto v = number(object, key);
    return v ? static_cast<qint64>(std::llround(std::max(0.0, *v))) : 0;
}

} // namespace

Json UsageRecord::toJson() const
{
    Json j{{"run_id", runId.toStdString()},
           {"execution_id", executionId.toStdString()},
           {"node_id", nodeId.toStdString()},
           {"node_kind", nodeKind.toStdString()},
           {"app_id", appId.toStdString()},
           {"user_id", userId.toStdString()},
           {"endpoint", endpoint.toStdString()},
           {"model", model.toStdString()},
           {"prompt_tokens", promptTokens},
           {"completion_tokens", completionTokens},
           {"reasoning_tokens", reasoningTokens},
           {"cached_tokens", cachedTokens},
           {"image_count", imageCount},
           {"ttft_ms", ttftMs},
           {"latency_ms", latencyMs},
           {"timestamp_ms", timestampMs},
           {"cost", cost ? Json(*cost) : Json()},
           {"currency", currency.toStdString()},
           {"cost_usd", costUsd ? Json(*costUsd) : Json()}};
    return j;
}

UsageRecord UsageRecord::fromJson(const Json &j)
{
    UsageRecord r;
    r.runId = qs(j, "run_id");
    r.executionId = qs(j, "execution_id");
    r.nodeId = qs(j, "node_id");
    r.nodeKind = qs(j, "node_kind");
    r.appId = qs(j, "app_id");
    r.userId = qs(j, "user_id");
    r.endpoint = qs(j, "endpoint");
    r.model = qs(j, "model");
    r.promptTokens = count(j, "prompt_tokens");
    r.completionTokens = count(j, "completion_tokens");
    r.reasoningTokens = count(j, "reasoning_tokens");
    r.cachedTokens = count(j, "cached_tokens");
    r.imageCount = static_cast<int>(count(j, "image_count"));
    r.ttftMs = static_cast<qint64>(number(j, "ttft_ms").value_or(-1));
    r.latencyMs = count(j, "latency_ms");
    r.timestampMs = count(j, "timestamp_ms");
    r.cost = number(j, "cost");
    r.currency = qs(j, "currency");
    r.costUsd = number(j, "cost_usd");
    return r;
}

std::optional<UsageRecord> usageFromEvent(const runtime::RunEvent &e, const RunLabels &labels)
{
    using T = runtime::RunEvent::Type;
    if (e.type != T::NodeSucceeded && e.type != T::NodeException && e.type != T::NodeFailed)
        return std::nullopt;
    const Json &u = e.usage;
    if (!u.is_object() || (!u.contains("prompt_tokens") && !u.contains("completion_tokens")))
        return std::nullopt;
    if (e.metadata.is_object() && e.metadata.value("pinned", false) == true)
        return std::nullopt;

    UsageRecord r;
    r.runId = e.runId;
    r.executionId = e.executionId;
    r.nodeId = e.nodeId;
    r.nodeKind = e.nodeKind;
    r.appId = labels.appId;
    r.userId = labels.userId;
    r.promptTokens = count(u, "prompt_tokens");
    r.completionTokens = count(u, "completion_tokens");
    r.reasoningTokens = count(u, "reasoning_tokens");
    r.cachedTokens = count(u, "cached_tokens");
    r.timestampMs = e.timestampMs;

    const Json &m = e.metadata;
    r.model = qs(m, "model");
    if (r.model.isEmpty())
        r.model = qs(e.inputs, "model"); // agent: the served model it asked for
    r.endpoint = labels.endpoint.isEmpty() ? qs(m, "endpoint") : labels.endpoint;
    r.imageCount = static_cast<int>(count(e.inputs, "image_count"));

    if (const auto latency = number(m, "latency_ms"))
        r.latencyMs = static_cast<qint64>(*latency);
    else if (const auto seconds = number(u, "latency"))
        r.latencyMs = static_cast<qint64>(std::llround(*seconds * 1000));
    else
        r.latencyMs = e.elapsedMs;
    if (const auto ttft = number(m, "time_to_first_token_ms"); ttft && *ttft >= 0)
        r.ttftMs = static_cast<qint64>(*ttft);
    else if (const auto seconds = number(u, "time_to_first_token"))
        r.ttftMs = static_cast<qint64>(std::llround(*seconds * 1000));
    return r;
}

bool UsageFilter::matches(const UsageRecord &r) const
{
    const auto eq
        = [](const QString &want, const QString &have) { return want.isEmpty() || want == have; };
    return eq(runId, r.runId) && eq(nodeId, r.nodeId) && eq(model, r.model) && eq(appId, r.appId)
           && eq(userId, r.userId) && eq(endpoint, r.endpoint)
           && (fromMs == 0 || r.timestampMs >= fromMs) && (toMs == 0 || r.timestampMs < toMs);
}

namespace {

qint64 bucketOf(qint64 ts, const UsageFilter &f)
{
    const qint64 width = f.bucketMs > 0 ? f.bucketMs : 86400000;
    const qint64 local = ts + f.utcOffsetMs;
    // Floor division: timestamps before the epoch still land in the right bucket.
    const qint64 b = local >= 0 ? local / width : -((-local + width - 1) / width);
    return b * width - f.utcOffsetMs;
}

} // namespace

QString groupKey(const UsageRecord &r, UsageGroup by, const UsageFilter &f)
{
    switch (by) {
    case UsageGroup::Run:
        return r.runId;
    case UsageGroup::Node:
        return r.nodeId;
    case UsageGroup::NodeKind:
        return r.nodeKind;
    case UsageGroup::Model:
        return r.model;
    case UsageGroup::App:
        return r.appId;
    case UsageGroup::User:
        return r.userId;
    case UsageGroup::Endpoint:
        return r.endpoint;
    case UsageGroup::Time:
        return QString::number(bucketOf(r.timestampMs, f));
    }
    return {};
}

std::vector<UsageTotals> aggregate(const std::vector<UsageRecord> &records, UsageGroup by,
                                   const UsageFilter &filter)
{
    QHash<QString, UsageTotals> groups;
    for (const UsageRecord &r : records) {
        if (!filter.matches(r))
            continue;
        const QString key = groupKey(r, by, filter);
        UsageTotals &t = groups[key];
        if (t.calls == 0) {
            t.key = key;
            if (by == UsageGroup::Time)
                t.bucketMs = key.toLongLong();
        }
        ++t.calls;
        t.promptTokens += r.promptTokens;
        t.completionTokens += r.completionTokens;
        t.reasoningTokens += r.reasoningTokens;
        t.cachedTokens += r.cachedTokens;
        t.imageCount += r.imageCount;
        t.latencyMsSum += r.latencyMs;
        if (r.costUsd)
            t.costUsd += *r.costUsd;
        else
            ++t.unpricedCalls;
    }
    std::vector<UsageTotals> out;
    out.reserve(static_cast<size_t>(groups.size()));
    for (auto it = groups.cbegin(); it != groups.cend(); ++it)
        out.push_back(*it);
    std::sort(out.begin(), out.end(), [by](const UsageTotals &a, const UsageTotals &b) {
        return by == UsageGroup::Time ? a.bucketMs < b.bucketMs : a.key < b.key;
    });
    return out;
}

} // namespace flowbench::metering

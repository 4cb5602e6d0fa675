#pragma once

#include <QMetaType>
#include <QString>

#include <optional>
#include <vector>

#include "runtime/runevent.h"

namespace flowbench::metering {

using Json = nlohmann::json;

// One LLM-family call as the ledger keeps it: who asked (run, node, app, user), where (endpoint,
// model), how much (tokens, images), how fast (time to first token, total latency) and what it
// cost. Value type, registered with the meta-type system.
//
// Token conventions follow OpenAI's usage object: promptTokens INCLUDES cachedTokens and
// completionTokens INCLUDES reasoningTokens (the pricing splits them out again).
struct UsageRecord
{
    QString runId;
    QString executionId; // the engine's node execution (stable across retries)
    QString nodeId;
    QString nodeKind; // llm, agent, question-classifier, parameter-extractor
    QString appId;
    QString userId;   // sys.user_id
    QString endpoint; // endpoint profile name, else its base URL
    QString model;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 reasoningTokens = 0;
    qint64 cachedTokens = 0;
    int imageCount = 0;
    qint64 ttftMs = -1; // time to first token; -1 when unknown (non-streamed, agent)
    qint64 latencyMs = 0;
    qint64 timestampMs = 0; // when the call finished, ms since the epoch
    // Unpriced (no price known for the model at that time) is nullopt, never 0.
    std::optional<double> cost; // in `currency`
    QString currency;
    std::optional<double> costUsd;

    [[nodiscard]] qint64 totalTokens() const { return promptTokens + completionTokens; }
    [[nodiscard]] bool isPriced() const { return cost.has_value(); }
    [[nodiscard]] Json toJson() const;
    [[nodiscard]] static UsageRecord fromJson(const Json &json);
};

// What the events do not say about a run: the app and user it runs for and the endpoint's name.
struct RunLabels
{
    QString appId;
    QString userId;
    QString endpoint; // a profile name; empty: the base URL from the node's metadata
};

// The usage record of a finished LLM-family node event (NodeSucceeded, NodeException or
// NodeFailed with a `usage` object holding token counts); nullopt for every other event and for
// pinned nodes (no call happened). Reads the node's usage (prompt/completion/reasoning/cached
// tokens, latency and time_to_first_token in seconds), its metadata (model, endpoint,
// time_to_first_token_ms, latency_ms) and inputs (model, image_count) as the llm,
// question-classifier, parameter-extractor and agent nodes write them. Not priced.
[[nodiscard]] std::optional<UsageRecord> usageFromEvent(const runtime::RunEvent &event,
                                                        const RunLabels &labels);

// Which records an aggregation or a listing covers. Empty strings match everything; the time
// window is [fromMs, toMs) with 0 meaning open.
struct UsageFilter
{
    QString runId;
    QString nodeId;
    QString model;
    QString appId;
    QString userId;
    QString endpoint;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    // UsageGroup::Time: the bucket width (default one day) and the offset of local time from UTC
    // (so "day" buckets start at local midnight).
    qint64 bucketMs = 86400000;
    qint64 utcOffsetMs = 0;

    [[nodiscard]] bool matches(const UsageRecord &record) const;
};

enum class UsageGroup { Run, Node, NodeKind, Model, App, User, Endpoint, Time };

// One group of an aggregation. Cost sums only priced calls (in USD); unpricedCalls says how many
// calls had no price, so a total is never silently complete when it is not.
struct UsageTotals
{
    QString key;         // the group's value; Time: the bucket start in ms as text
    qint64 bucketMs = 0; // Time: the bucket start (ms since the epoch, UTC)
    qint64 calls = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 reasoningTokens = 0;
    qint64 cachedTokens = 0;
    qint64 imageCount = 0;
    qint64 latencyMsSum = 0;
    double costUsd = 0;
    qint64 unpricedCalls = 0;

    [[nodiscard]] qint64 totalTokens() const { return promptTokens + completionTokens; }
};

// The group key of one record (Time: the bucket start).
[[nodiscard]] QString groupKey(const UsageRecord &record, UsageGroup by, const UsageFilter &f);

// Aggregates records in memory (the ledger's live view; RunStore::aggregateUsage does the same in
// SQL). Groups come sorted by key.
[[nodiscard]] std::vector<UsageTotals> aggregate(const std::vector<UsageRecord> &records,
                                                 UsageGroup by, const UsageFilter &filter = {});

} // namespace flowbench::metering

Q_DECLARE_METATYPE(flowbench::metering::UsageRecord)

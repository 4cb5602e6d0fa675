#include "usageseries.h"

#include "tokenmetrics.h"

#include <QDateTime>

#include <algorithm>

namespace flowbench::metering {

namespace {

QString csvField(const QString &s)
{
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"'))
        && !s.contains(QLatin1Char('\n')))
        return s;
    QString out = s;
    out.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return QLatin1Char('"') + out + QLatin1Char('"');
}

} // namespace

UsageSeriesModel::UsageSeriesModel(QObject *parent)
    : QObject(parent)
    , m_latency(latencyBounds().size() + 1, 0)
{}

const std::vector<double> &UsageSeriesModel::latencyBounds()
{
    return TokenMetrics::latencyBuckets();
}

void UsageSeriesModel::setRun(const QString &runId)
{
    m_runId = runId;
    m_nodes.clear();
    m_models.clear();
    m_timeline.clear();
    std::fill(m_latency.begin(), m_latency.end(), 0);
    Q_EMIT reset();
}

void UsageSeriesModel::clear()
{
    setRun(QString());
}

void UsageSeriesModel::load(const QString &runId, const std::vector<UsageRecord> &records)
{
    m_runId = runId;
    m_nodes.clear();
    m_models.clear();
    m_timeline.clear();
    std::fill(m_latency.begin(), m_latency.end(), 0);
    for (const UsageRecord &r : records)
        addQuietly(r, false);
    Q_EMIT reset();
}

void UsageSeriesModel::add(const UsageRecord &record)
{
    addQuietly(record, true);
}

void UsageSeriesModel::addQuietly(const UsageRecord &r, bool notify)
{
    if (m_runId.isEmpty())
        m_runId = r.runId;
    if (r.runId != m_runId)
        return;

    // Tokens per node, in the order nodes first reported.
    auto node = std::find_if(m_nodes.begin(), m_nodes.end(),
                             [&](const NodeTokens &n) { return n.nodeId == r.nodeId; });
    const bool newNode = node == m_nodes.end();
    if (newNode) {
        m_nodes.push_back({r.nodeId, r.nodeKind});
        node = m_nodes.end() - 1;
    }
    const qint64 reasoning = std::clamp<qint64>(r.reasoningTokens, 0, r.completionTokens);
    node->input += r.promptTokens;
    node->output += r.completionTokens - reasoning;
    node->reasoning += reasoning;
    node->cached += r.cachedTokens;
    ++node->calls;
    if (notify)
        Q_EMIT nodeTokensChanged(static_cast<int>(node - m_nodes.begin()), newNode);

    auto model = std::find_if(m_models.begin(), m_models.end(),
                              [&](const ModelCost &m) { return m.model == r.model; });
    const bool newModel = model == m_models.end();
    if (newModel) {
        m_models.push_back({r.model});
        model = m_models.end() - 1;
    }
    ++model->calls;
    model->tokens += r.totalTokens();
    if (r.costUsd)
        model->costUsd += *r.costUsd;
    else
        ++model->unpricedCalls;
    if (notify)
        Q_EMIT modelCostChanged(static_cast<int>(model - m_models.begin()), newModel);

    // Tokens per minute: one point per minute from the first, gaps filled with zeros, so a
    // chart only ever appends or replaces its last points.
    const qint64 minute = r.timestampMs - (r.timestampMs % 60000);
    if (m_timeline.empty()) {
        m_timeline.push_back({minute, 0});
        if (notify)
            Q_EMIT timelinePointChanged(0, true);
    }
    if (minute < m_timeline.front().minuteMs) {
        // Out of order before the first minute (clock change): fold into the first point.
        m_timeline.front().tokens += r.totalTokens();
        if (notify)
            Q_EMIT timelinePointChanged(0, false);
    } else {
        while (m_timeline.back().minuteMs < minute) {
            m_timeline.push_back({m_timeline.back().minuteMs + 60000, 0});
            if (notify && m_timeline.back().minuteMs < minute)
                Q_EMIT timelinePointChanged(static_cast<int>(m_timeline.size()) - 1, true);
        }
        const auto index = static_cast<int>((minute - m_timeline.front().minuteMs) / 60000);
        const bool appended = notify && index == static_cast<int>(m_timeline.size()) - 1
                              && m_timeline[static_cast<size_t>(index)].tokens == 0;
        m_timeline[static_cast<size_t>(index)].tokens += r.totalTokens();
        if (notify)
            Q_EMIT timelinePointChanged(index, appended && index > 0);
    }

    const double seconds = static_cast<double>(r.latencyMs) / 1000.0;
    const auto &bounds = latencyBounds();
    const int bucket = static_cast<int>(std::lower_bound(bounds.begin(), bounds.end(), seconds)
                                        - bounds.begin());
    ++m_latency[static_cast<size_t>(bucket)];
    if (notify)
        Q_EMIT latencyBucketChanged(bucket);
}

double UsageSeriesModel::totalCostUsd() const
{
    double sum = 0;
    for (const ModelCost &m : m_models)
        sum += m.costUsd;
    return sum;
}

int UsageSeriesModel::unpricedCalls() const
{
    int n = 0;
    for (const ModelCost &m : m_models)
        n += m.unpricedCalls;
    return n;
}

void UsageSeriesModel::setPeriodTotals(UsageGroup by, std::vector<UsageTotals> totals)
{
    m_periodGroup = by;
    m_period = std::move(totals);
    Q_EMIT periodTotalsChanged();
}

QString UsageSeriesModel::toCsv(Series series) const
{
    QStringList lines;
    switch (series) {
    case Series::NodeTokens:
        lines << QStringLiteral("node_id,node_kind,input_tokens,output_tokens,reasoning_tokens,"
                                "cached_tokens,calls");
        for (const NodeTokens &n : m_nodes)
            lines << QStringLiteral("%1,%2,%3,%4,%5,%6,%7")
                         .arg(csvField(n.nodeId), csvField(n.nodeKind))
                         .arg(n.input)
                         .arg(n.output)
                         .arg(n.reasoning)
                         .arg(n.cached)
                         .arg(n.calls);
        break;
    case Series::ModelCost:
        lines << QStringLiteral("model,cost_usd,tokens,calls,unpriced_calls");
        for (const ModelCost &m : m_models)
            lines << QStringLiteral("%1,%2,%3,%4,%5")
                         .arg(csvField(m.model))
                         .arg(m.costUsd, 0, 'g', 12)
                         .arg(m.tokens)
                         .arg(m.calls)
                         .arg(m.unpricedCalls);
        break;
    case Series::Timeline:
        lines << QStringLiteral("minute,tokens");
        for (const MinutePoint &p : m_timeline)
            lines << QStringLiteral("%1,%2")
                         .arg(QDateTime::fromMSecsSinceEpoch(p.minuteMs, Qt::UTC)
                                  .toString(Qt::ISODate))
                         .arg(p.tokens);
        break;
    case Series::Latency: {
        lines << QStringLiteral("le_seconds,count");
        const auto &bounds = latencyBounds();
        for (size_t i = 0; i < m_latency.size(); ++i)
            lines << QStringLiteral("%1,%2")
                         .arg(i < bounds.size() ? QString::number(bounds[i])
                                                : QStringLiteral("+Inf"))
                         .arg(m_latency[i]);
        break;
    }
    case Series::Period:
        lines << QStringLiteral("key,calls,prompt_tokens,completion_tokens,reasoning_tokens,"
                                "cached_tokens,cost_usd,unpriced_calls");
        for (const UsageTotals &t : m_period)
            lines << QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8")
                         .arg(csvField(m_periodGroup == UsageGroup::Time
                                           ? QDateTime::fromMSecsSinceEpoch(t.bucketMs, Qt::UTC)
                                                 .toString(Qt::ISODate)
                                           : t.key))
                         .arg(t.calls)
                         .arg(t.promptTokens)
                         .arg(t.completionTokens)
                         .arg(t.reasoningTokens)
                         .arg(t.cachedTokens)
                         .arg(t.costUsd, 0, 'g', 12)
                         .arg(t.unpricedCalls);
        break;
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace flowbench::metering

#include "metricsregistry.h"

#include "core/result.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace flowbench::metering {

const QByteArray MetricsRegistry::kContentType("text/plain; version=0.0.4; charset=utf-8");

struct MetricsRegistry::Series
{
    QByteArray labelText;          // {a="x",b="y"} or empty
    QByteArray labelTextWithComma; // {a="x",b="y", ... for histogram buckets: ends before "le"
    double value = 0;
    std::vector<quint64> buckets; // non-cumulative counts per bucket (+Inf last)
    double sum = 0;
    quint64 count = 0;
};

struct MetricsRegistry::Family
{
    QString name;
    QByteArray nameBytes;
    Type type = Counter;
    QByteArray header; // the HELP and TYPE lines
    QStringList labels;
    std::vector<double> bounds;
    std::vector<QByteArray> boundText; // le="..." values
    std::vector<std::unique_ptr<Series>> series;
    QHash<QStringList, Series *> index;
};

namespace {

QByteArray escapeHelp(const QString &help)
{
    QByteArray out;
    for (const char c : help.toUtf8()) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

} // namespace

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

QByteArray MetricsRegistry::escapeLabelValue(const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    QByteArray out;
    out.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

void MetricsRegistry::appendNumber(QByteArray &out, double value)
{
    if (std::isnan(value)) {
        out += "NaN";
        return;
    }
    if (std::isinf(value)) {
        out += value > 0 ? "+Inf" : "-Inf";
        return;
    }
    char buffer[32];
    // Integral values (token counts) print as integers; others in the shortest round-trip form.
    if (std::abs(value) < 9.0e15 && value == std::floor(value)) {
        const auto r = std::to_chars(buffer, buffer + sizeof buffer, static_cast<qint64>(value));
        out.append(buffer, r.ptr - buffer);
        return;
    }
    const auto r = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, r.ptr - buffer);
}

void MetricsRegistry::define(const QString &name, Type type, const QString &help,
                             const QStringList &labels, const std::vector<double> &buckets)
{
    QMutexLocker lock(&m_mutex);
    if (m_byName.contains(name))
        return;
    auto f = std::make_unique<Family>();
    f->name = name;
    f->nameBytes = name.toUtf8();
    f->type = type;
    f->labels = labels;
    f->header = "# HELP " + f->nameBytes + ' ' + escapeHelp(help) + "\n# TYPE " + f->nameBytes
                + (type == Counter ? " counter\n"
                   : type == Gauge ? " gauge\n"
                                   : " histogram\n");
    if (type == Histogram) {
        f->bounds = buckets;
        std::sort(f->bounds.begin(), f->bounds.end());
        for (double b : f->bounds) {
            QByteArray t;
            appendNumber(t, b);
            f->boundText.push_back(t);
        }
        f->boundText.push_back(QByteArrayLiteral("+Inf"));
    }
    m_byName.insert(name, f.get());
    m_families.push_back(std::move(f));
}

MetricsRegistry::Series *MetricsRegistry::series(Family &f, const QStringList &values)
{
    if (Series *s = f.index.value(values))
        return s;
    FB_ASSERT(values.size() == f.labels.size(), return nullptr);
    auto s = std::make_unique<Series>();
    QByteArray labels;
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            labels += ',';
        labels += f.labels[i].toUtf8() + "=\"" + escapeLabelValue(values[i]) + '"';
    }
    if (!labels.isEmpty())
        s->labelText = '{' + labels + '}';
    s->labelTextWithComma = '{' + labels + (labels.isEmpty() ? "" : ",");
    if (f.type == Histogram)
        s->buckets.assign(f.bounds.size() + 1, 0);
    Series *raw = s.get();
    f.index.insert(values, raw);
    f.series.push_back(std::move(s));
    return raw;
}

void MetricsRegistry::add(const QString &name, const QStringList &labelValues, double delta)
{
    QMutexLocker lock(&m_mutex);
    Family *f = m_byName.value(name);
    FB_ASSERT(f && f->type != Histogram, return );
    if (f->type == Counter && delta < 0)
        return; // counters only go up
    if (Series *s = series(*f, labelValues))
        s->value += delta;
}

void MetricsRegistry::set(const QString &name, const QStringList &labelValues, double value)
{
    QMutexLocker lock(&m_mutex);
    Family *f = m_byName.value(name);
    FB_ASSERT(f && f->type == Gauge, return );
    if (Series *s = series(*f, labelValues))
        s->value = value;
}

void MetricsRegistry::observe(const QString &name, const QStringList &labelValues, double value)
{
    QMutexLocker lock(&m_mutex);
    Family *f = m_byName.value(name);
    FB_ASSERT(f && f->type == Histogram, return );
    Series *s = series(*f, labelValues);
    if (!s)
        return;
    const auto it = std::lower_bound(f->bounds.begin(), f->bounds.end(), value);
    ++s->buckets[static_cast<size_t>(it - f->bounds.begin())];
    s->sum += value;
    ++s->count;
}

double MetricsRegistry::value(const QString &name, const QStringList &labelValues) const
{
    QMutexLocker lock(&m_mutex);
    const Family *f = m_byName.value(name);
    if (!f)
        return 0;
    const Series *s = f->index.value(labelValues);
    return s ? (f->type == Histogram ? static_cast<double>(s->count) : s->value) : 0;
}

int MetricsRegistry::seriesCount() const
{
    QMutexLocker lock(&m_mutex);
    int n = 0;
    for (const auto &f : m_families)
        n += static_cast<int>(f->series.size());
    return n;
}

void MetricsRegistry::clear()
{
    QMutexLocker lock(&m_mutex);
    for (const auto &f : m_families) {
        f->series.clear();
        f->index.clear();
    }
}

QByteArray MetricsRegistry::render() const
{
    QMutexLocker lock(&m_mutex);
    QByteArray out;
    qsizetype estimate = 0;
    for (const auto &f : m_families)
        estimate += f->header.size()
                    + static_cast<qsizetype>(f->series.size()) * (f->nameBytes.size() + 64)
                          * (f->type == Histogram ? 16 : 1);
    out.reserve(estimate);
    for (const auto &f : m_families) {
        // A family without series still says what it is: scrapers then know the name exists.
        out += f->header;
        for (const auto &s : f->series) {
            if (f->type != Histogram) {
                out += f->nameBytes;
                out += s->labelText;
                out += ' ';
                appendNumber(out, s->value);
                out += '\n';
                continue;
            }
            quint64 cumulative = 0;
            for (size_t i = 0; i < s->buckets.size(); ++i) {
                cumulative += s->buckets[i];
                out += f->nameBytes;
                out += "_bucket";
                out += s->labelTextWithComma;
                out += "le=\"";
                out += f->boundText[i];
                out += "\"} ";
                appendNumber(out, static_cast<double>(cumulative));
                out += '\n';
            }
            out += f->nameBytes;
            out += "_sum";
            out += s->labelText;
            out += ' ';
            appendNumber(out, s->sum);
            out += '\n';
            out += f->nameBytes;
            out += "_count";
            out += s->labelText;
            out += ' ';
            appendNumber(out, static_cast<double>(s->count));
            out += '\n';
        }
    }
    return out;
}

} // namespace flowbench::metering

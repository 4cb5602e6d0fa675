#pragma once

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace flowbench::metering {

// Metric families and their series, rendered in the Prometheus text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/): one "# HELP" and one "# TYPE"
// line per family, label values escaped (\\, \", \n), histograms as _bucket{le=...} (cumulative,
// ending in le="+Inf"), _sum and _count. Counter names end in _total (the caller names them).
//
// Thread-safe: every call takes one mutex, so a MetricsServer may render on its thread while the
// ledger updates on another. Each series keeps its label text pre-rendered, so render() is
// copying bytes and formatting numbers (1,000 series: well under a millisecond).
//
//     MetricsRegistry m;
//     m.define("dify_token_total", MetricsRegistry::Counter, "Tokens", {"model", "direction"});
//     m.add("dify_token_total", {"gpt-4o", "input"}, 120);
//     QByteArray text = m.render();
class MetricsRegistry
{
public:
    enum Type { Counter, Gauge, Histogram };

    MetricsRegistry();
    ~MetricsRegistry();
    MetricsRegistry(const MetricsRegistry &) = delete;
    MetricsRegistry &operator=(const MetricsRegistry &) = delete;

    // Declares a family (again: ignored). Histogram buckets are upper bounds, ascending; +Inf is
    // implicit.
    void define(const QString &name, Type type, const QString &help, const QStringList &labels,
                const std::vector<double> &buckets = {});
    // Counter: adds delta (≥ 0). Gauge: adds delta (may be negative).
    void add(const QString &name, const QStringList &labelValues, double delta = 1);
    // Gauge: sets the value.
    void set(const QString &name, const QStringList &labelValues, double value);
    // Histogram: one observation.
    void observe(const QString &name, const QStringList &labelValues, double value);
    // The current value of a counter or gauge series (0 when absent); tests and --metrics-out.
    [[nodiscard]] double value(const QString &name, const QStringList &labelValues) const;
    [[nodiscard]] int seriesCount() const;
    void clear(); // drops every series, keeps the families

    [[nodiscard]] QByteArray render() const;

    // "a\"b" for a"b; backslash and newline too.
    [[nodiscard]] static QByteArray escapeLabelValue(const QString &value);
    // Shortest round-trip text of a sample value ("+Inf", "-Inf", "NaN" for those).
    static void appendNumber(QByteArray &out, double value);

    static const QByteArray kContentType; // "text/plain; version=0.0.4; charset=utf-8"

private:
    struct Family;
    struct Series;
    Series *series(Family &family, const QStringList &labelValues);
    mutable QMutex m_mutex;
    std::vector<std::unique_ptr<Family>> m_families;
    QHash<QString, Family *> m_byName;
};

} // namespace flowbench::metering

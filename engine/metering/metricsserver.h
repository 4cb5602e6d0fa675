#pragma once

#include <QHostAddress>
#include <QObject>

#include <memory>

#include "core/result.h"

namespace flowbench::metering {

class MetricsRegistry;

// Serves GET /metrics (Prometheus text format 0.0.4, Content-Type
// "text/plain; version=0.0.4; charset=utf-8") from a registry, on 127.0.0.1 by default: the
// desktop app when metrics are enabled, and `flowbench serve`. Other paths answer 404.
// Lives on the thread that created it; the registry must outlive it.
//
//     MetricsServer server(&metrics.registry());
//     if (auto port = server.listen(); !port) warn(port.error().message);
class MetricsServer : public QObject
{
    Q_OBJECT

public:
    static constexpr quint16 kDefaultPort = 9091;

    explicit MetricsServer(const MetricsRegistry *registry, QObject *parent = nullptr);
    ~MetricsServer() override;

    // Port 0 picks a free one. Errors: "metrics.listen" (port in use, ...).
    Result<quint16> listen(quint16 port = kDefaultPort,
                           const QHostAddress &address = QHostAddress::LocalHost);
    void close();
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] bool isListening() const { return m_port != 0; }

private:
    struct Private;
    std::unique_ptr<Private> d;
    const MetricsRegistry *m_registry;
    quint16 m_port = 0;
};

} // namespace flowbench::metering

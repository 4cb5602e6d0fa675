#include "metricsserver.h"

#include "metricsregistry.h"

#include <QCoreApplication>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>

namespace flowbench::metering {

struct MetricsServer::Private
{
    std::unique_ptr<QHttpServer> server;
};

MetricsServer::MetricsServer(const MetricsRegistry *registry, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
    , m_registry(registry)
{}

MetricsServer::~MetricsServer() = default;

Result<quint16> MetricsServer::listen(quint16 port, const QHostAddress &address)
{
    close();
    auto server = std::make_unique<QHttpServer>();
    const MetricsRegistry *registry = m_registry;
    server->route(QStringLiteral("/metrics"), QHttpServerRequest::Method::Get,
                  [registry](const QHttpServerRequest &) {
                      return QHttpServerResponse(MetricsRegistry::kContentType, registry->render());
                  });
    const quint16 bound = server->listen(address, port);
    if (bound == 0)
        return makeError(QStringLiteral("metrics.listen"),
                         QCoreApplication::translate("flowbench::metering::MetricsServer",
                                                     "cannot serve metrics on %1:%2")
                             .arg(address.toString())
                             .arg(port));
    d->server = std::move(server);
    m_port = bound;
    return bound;
}

void MetricsServer::close()
{
    d->server.reset();
    m_port = 0;
}

} // namespace flowbench::metering

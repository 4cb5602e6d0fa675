#include "defaultendpoint.h"

#include "document/workflow.h"
#include "llm/simulator/simulator.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QHostAddress>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <optional>

namespace flowbench::llm {

namespace {

bool isLoopback(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace

RunEndpointProvider::RunEndpointProvider(QObject *parent)
    : QObject(parent)
{}

RunEndpointProvider::~RunEndpointProvider() = default;

bool RunEndpointProvider::isAnswering(const QUrl &baseUrl, int probeTimeoutMs)
{
    const QString host = baseUrl.host();
    if (host.isEmpty())
        return false;
    QTcpSocket socket;
    socket.connectToHost(
        host, quint16(baseUrl.port(baseUrl.scheme() == QLatin1String("https") ? 443 : 80)));
    const bool connected = socket.waitForConnected(probeTimeoutMs);
    socket.abort();
    return connected;
}

bool RunEndpointProvider::workflowNeedsEndpoint(const document::Workflow &workflow)
{
    for (const document::Node &node : workflow.nodes()) {
        const QString kind = node.kind();
        if (kind == QLatin1String("llm") || kind == QLatin1String("question-classifier")
            || kind == QLatin1String("parameter-extractor") || kind == QLatin1String("agent")
            || kind == QLatin1String("knowledge-retrieval"))
            return true;
    }
    return false;
}

Result<LlmEndpoint> RunEndpointProvider::endpointFor(const EndpointProfile &profile,
                                                     const QString &apiKey)
{
    m_profileName = profile.name;
    LlmEndpoint endpoint = profile.toEndpoint(apiKey);
    if (profile.kind != ServerKind::Simulator)
        return endpoint;
    if (!profile.defaultModel.isEmpty())
        endpoint.forcedModel = profile.defaultModel;
    QUrl url = profile.baseUrl;
    if (m_simulator) {
        // Ours already: point at it again.
        url.setHost(QStringLiteral("127.0.0.1"));
        url.setPort(m_simulator->port());
        endpoint.config.baseUrl = url;
        return endpoint;
    }
    if (isAnswering(url))
        return endpoint;
    auto simulator = std::make_unique<Simulator>();
    Simulator::Config config = simulator->config();
    if (!profile.defaultModel.isEmpty())
        config.model = profile.defaultModel;
    simulator->setConfig(config);
    quint16 port = 0;
    if (isLoopback(url.host()) && url.port() > 0)
        port = simulator->listen(QHostAddress::LocalHost, quint16(url.port()));
    if (port == 0)
        port = simulator->listen(QHostAddress::LocalHost, 0);
    if (port == 0)
        return makeError(QStringLiteral("simulator.listen"),
                         QCoreApplication::translate("flowbench::llm::RunEndpointProvider",
                                                     "Cannot start the built-in simulator on "
                                                     "127.0.0.1."));
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port);
    endpoint.config.baseUrl = url;
    m_simulator = std::move(simulator);
    return endpoint;
}

void RunEndpointProvider::resolve(ProfileStore &store, const QString &profileName, QObject *context,
                                  std::function<void(Result<LlmEndpoint>)> done)
{
    const QString name = profileName.isEmpty() ? store.selectedProfileName() : profileName;
    const std::optional<EndpointProfile> profile = store.profile(name);
    QPointer<RunEndpointProvider> self(this);
    if (!profile) {
        QTimer::singleShot(0, context, [name, done = std::move(done)] {
            done(makeError(QStringLiteral("profile.missing"),
                           QCoreApplication::translate("flowbench::llm::RunEndpointProvider",
                                                       "There is no endpoint profile named "
                                                       "\"%1\".")
                               .arg(name)));
        });
        return;
    }
    if (profile->kind == ServerKind::Simulator) {
        QTimer::singleShot(0, context, [self, profile, done = std::move(done)] {
            if (!self)
                return;
            done(self->endpointFor(*profile));
        });
        return;
    }
    QPointer<QObject> guard(context);
    store.loadApiKey(name, [self, guard, profile, done = std::move(done)](Result<QString> key) {
        if (!self || !guard)
            return;
        done(self->endpointFor(*profile, key ? *key : QString()));
    });
}

Result<LlmEndpoint> RunEndpointProvider::resolveNow(ProfileStore &store, const QString &profileName)
{
    QEventLoop loop;
    std::optional<Result<LlmEndpoint>> answer;
    resolve(store, profileName, &loop, [&](Result<LlmEndpoint> endpoint) {
        answer = std::move(endpoint);
        loop.quit();
    });
    if (!answer)
        loop.exec();
    return *answer;
}

QString RunEndpointProvider::profileName() const
{
    return m_profileName;
}

bool RunEndpointProvider::startedSimulator() const
{
    return m_simulator != nullptr;
}

Simulator *RunEndpointProvider::simulator() const
{
    return m_simulator.get();
}

QString RunEndpointProvider::description() const
{
    return startedSimulator()
               ? QCoreApplication::translate("flowbench::llm::RunEndpointProvider",
                                             "using endpoint profile '%1' (in-process simulator "
                                             "on port %2)")
                     .arg(m_profileName)
                     .arg(m_simulator->port())
               : QCoreApplication::translate("flowbench::llm::RunEndpointProvider",
                                             "using endpoint profile '%1'")
                     .arg(m_profileName);
}

void RunEndpointProvider::release()
{
    m_simulator.reset();
}

} // namespace flowbench::llm

// `flowbench simulate`: the vLLM-compatible simulator as a stand-alone server, for trying the
// workbench (or any OpenAI client) without a GPU.
#include "cli.h"

#include "llm/simulator/simulator.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <cstdio>

namespace flowbench::app {

namespace {

std::atomic<int> g_signal{0};

void onTerminationSignal(int signal)
{
    g_signal.store(signal);
}

void simulateUsage()
{
    std::fprintf(
        stderr,
        "usage: flowbench simulate [--host 127.0.0.1] [--port N] [--model NAME]\n"
        "                          [--ttft-ms N] [--tokens-per-second N] [--api-key KEY]\n"
        "                          [--max-model-len N] [--max-images N] [--loading-ms N]\n");
}

void complain(const QString &text)
{
    std::fprintf(stderr, "flowbench simulate: %s\n", text.toUtf8().constData());
}

} // namespace

int simulateCommand(const QStringList &args)
{
    QString host = QStringLiteral("127.0.0.1");
    int port = 0;
    llm::Simulator::Config config;
    for (qsizetype i = 0; i < args.size(); ++i) {
        QString name = args.at(i);
        QString value;
        const qsizetype eq = name.indexOf(QLatin1Char('='));
        if (name.startsWith(QLatin1String("--")) && eq > 0) {
            value = name.mid(eq + 1);
            name = name.left(eq);
        } else if (name == QLatin1String("--help") || name == QLatin1String("-h")) {
            simulateUsage();
            return 0;
        } else if (i + 1 < args.size()) {
            value = args.at(++i);
        } else {
            complain(QStringLiteral("%1 needs a value").arg(name));
            simulateUsage();
            return 2;
        }
        bool ok = true;
        if (name == QLatin1String("--host"))
            host = value;
        else if (name == QLatin1String("--port"))
            port = value.toInt(&ok);
        else if (name == QLatin1String("--model"))
            config.model = value;
        else if (name == QLatin1String("--ttft-ms"))
            config.timeToFirstTokenMs = value.toInt(&ok);
        else if (name == QLatin1String("--tokens-per-second"))
            config.tokensPerSecond = value.toDouble(&ok);
        else if (name == QLatin1String("--api-key"))
            config.apiKey = value;
        else if (name == QLatin1String("--max-model-len"))
            config.maxModelLen = value.toInt(&ok);
        else if (name == QLatin1String("--max-images"))
            config.maxImagesPerPrompt = value.toInt(&ok);
        else if (name == QLatin1String("--loading-ms"))
            config.loadingForMs = value.toInt(&ok);
        else {
            complain(QStringLiteral("unknown option %1").arg(name));
            simulateUsage();
            return 2;
        }
        if (!ok || port < 0 || port > 65535 || config.timeToFirstTokenMs < 0
            || config.tokensPerSecond < 0 || config.maxModelLen < 1 || config.maxImagesPerPrompt < 0
            || config.loadingForMs < 0) {
            complain(QStringLiteral("bad value for %1: %2").arg(name, value));
            return 2;
        }
    }

    QHostAddress address;
    if (host == QLatin1String("localhost"))
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(host)) {
        complain(QStringLiteral("not an IP address: %1").arg(host));
        return 2;
    }

    llm::Simulator simulator;
    simulator.setConfig(config);
    const quint16 bound = simulator.listen(address, quint16(port));
    if (bound == 0) {
        complain(QStringLiteral("cannot listen on %1:%2").arg(host).arg(port));
        return 1;
    }
    const QString shownHost
        = host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(host) : host;
    std::printf("flowbench simulate: listening on http://%s:%u/v1 (model %s)\n",
                shownHost.toUtf8().constData(), unsigned(bound), config.model.toUtf8().constData());
    std::fflush(stdout);

    // A signal handler may only set a flag; a timer turns it into a normal quit, so the
    // simulator's destructor runs and the exit code is 0.
    std::signal(SIGINT, onTerminationSignal);
    std::signal(SIGTERM, onTerminationSignal);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, QCoreApplication::instance(), [] {
        if (g_signal.load() != 0)
            QCoreApplication::quit();
    });
    poll.start(100);
    QCoreApplication::exec();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    return 0;
}

} // namespace flowbench::app

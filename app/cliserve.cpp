// `flowbench serve`: one workflow behind Dify's service API (engine/serve/difyserver.h), so
// Dify clients and SDKs can call it unchanged.
#include "cli.h"
#include "cliendpoint.h"

#include "document/dslio.h"
#include "document/validator.h"
#include "llm/defaultendpoint.h"
#include "llm/endpoint.h"
#include "llm/endpointprofile.h"
#include "serve/difyserver.h"
#include "store/runstore.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QSocketNotifier>
#include <QUrl>

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace flowbench::app {

namespace {

int g_signalPipe[2] = {-1, -1};

// Async-signal-safe: one byte into the self-pipe; a QSocketNotifier turns it into a shutdown on
// the event loop.
void onTerminationSignal(int signal)
{
    const char byte = char(signal);
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}

void serveUsage()
{
    std::fprintf(stderr,
                 "usage: flowbench serve WORKFLOW [--host 127.0.0.1] [--port N] [--api-key KEY]\n"
                 "                       [--workers N] [--store PATH|none] [--grace-seconds N]\n"
                 "                       [--max-body-bytes N] [--timeout S]\n"
                 "                       [--endpoint URL [--model NAME] [--api-key-env VAR]]\n"
                 "                       [--profile NAME]\n");
}

void complain(const QString &text)
{
    std::fprintf(stderr, "flowbench serve: %s\n", text.toUtf8().constData());
}

struct ServeArgs
{
    QString file;
    QString host = QStringLiteral("127.0.0.1");
    int port = 8080;
    QString storePath;
    QString profile;
    QString model;
    int graceSeconds = 30;
    serve::ServeOptions options;
};

// --endpoint/--model/--api-key-env/--profile as `flowbench run` reads them (cliendpoint.h).
bool parseArgs(const QStringList &args, ServeArgs *out)
{
    for (qsizetype i = 0; i < args.size(); ++i) {
        QString name = args.at(i);
        if (name == QLatin1String("--help") || name == QLatin1String("-h")) {
            serveUsage();
            return false;
        }
        if (!name.startsWith(QLatin1String("--"))) {
            if (!out->file.isEmpty()) {
                complain(QStringLiteral("unexpected argument %1").arg(name));
                return false;
            }
            out->file = name;
            continue;
        }
        QString value;
        const qsizetype eq = name.indexOf(QLatin1Char('='));
        if (eq > 0) {
            value = name.mid(eq + 1);
            name = name.left(eq);
        } else if (i + 1 < args.size()) {
            value = args.at(++i);
        } else {
            complain(QStringLiteral("%1 needs a value").arg(name));
            return false;
        }
        bool ok = true;
        if (name == QLatin1String("--host")) {
            out->host = value;
        } else if (name == QLatin1String("--port")) {
            out->port = value.toInt(&ok);
            ok = ok && out->port >= 0 && out->port <= 65535;
        } else if (name == QLatin1String("--api-key")) {
            out->options.apiKey = value;
            ok = !value.isEmpty();
        } else if (name == QLatin1String("--workers")) {
            out->options.workers = value.toInt(&ok);
            ok = ok && out->options.workers > 0;
        } else if (name == QLatin1String("--store")) {
            out->storePath = value;
        } else if (name == QLatin1String("--grace-seconds")) {
            out->graceSeconds = value.toInt(&ok);
            ok = ok && out->graceSeconds >= 0;
        } else if (name == QLatin1String("--max-body-bytes")) {
            out->options.maxBodyBytes = value.toLongLong(&ok);
            ok = ok && out->options.maxBodyBytes > 0;
        } else if (name == QLatin1String("--timeout")) {
            out->options.maxSeconds = value.toInt(&ok);
            ok = ok && out->options.maxSeconds > 0;
        } else if (name == QLatin1String("--profile")) {
            out->profile = value;
        } else if (isEndpointFlag(name)) {
            QString problem;
            if (!applyEndpointFlag(name, value, out->options.endpoint, out->model, problem)) {
                complain(problem);
                return false;
            }
        } else {
            complain(QStringLiteral("unknown option %1").arg(name));
            return false;
        }
        if (!ok) {
            complain(QStringLiteral("bad value for %1: %2").arg(name, value));
            return false;
        }
    }
    if (out->file.isEmpty()) {
        serveUsage();
        return false;
    }
    if (QString problem; !checkEndpointFlags(out->profile, out->options.endpoint, problem)) {
        complain(problem);
        return false;
    }
    return true;
}

} // namespace

int serveCommand(const QStringList &rawArgs)
{
    ServeArgs args;
    if (!parseArgs(rawArgs, &args))
        return rawArgs.contains(QStringLiteral("--help")) || rawArgs.contains(QStringLiteral("-h"))
                   ? 0
                   : 2;

    QHostAddress address;
    if (args.host == QLatin1String("localhost"))
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(args.host)) {
        complain(QStringLiteral("not an IP address: %1").arg(args.host));
        return 2;
    }
    if (args.options.apiKey.isEmpty() && !address.isLoopback()) {
        complain(QStringLiteral("refusing to listen on %1 without --api-key (anyone who can "
                                "reach it could run the workflow); give --api-key KEY or use "
                                "--host 127.0.0.1")
                     .arg(args.host));
        return 2;
    }

    auto loaded = document::loadWorkflowFile(args.file);
    if (!loaded) {
        complain(loaded.error().toString());
        return 2;
    }
    document::Workflow workflow = std::move(loaded->workflow);
    int errors = 0;
    for (const document::Problem &p : document::validateWorkflow(workflow)) {
        if (!p.isError())
            continue;
        ++errors;
        complain(QStringLiteral("%1: error: %2%3: %4")
                     .arg(args.file,
                          p.nodeId.isEmpty() ? QString() : QStringLiteral("[%1] ").arg(p.nodeId),
                          p.pointer, p.message));
    }
    if (errors > 0)
        return 2;

    // Runs and conversations go to the run store: --store, else FLOWBENCH_RUN_STORE, else the
    // default file; "none" turns it off (chatflows then answer single turns only).
    if (args.storePath.isEmpty())
        args.storePath = qEnvironmentVariableIsSet("FLOWBENCH_RUN_STORE")
                             ? qEnvironmentVariable("FLOWBENCH_RUN_STORE")
                             : store::RunStore::defaultPath();
    std::unique_ptr<store::RunStore> runStore;
    if (args.storePath != QLatin1String("none")) {
        auto opened = store::RunStore::open(args.storePath);
        if (!opened) {
            complain(QStringLiteral("run store: %1").arg(opened.error().toString()));
            return 2;
        }
        runStore = std::move(*opened);
    } else if (workflow.mode() == document::AppMode::AdvancedChat) {
        complain(QStringLiteral("warning: --store none: conversations cannot continue "
                                "(conversation_id is unknown to every later request)"));
    }

    // The endpoint: --endpoint, --profile, else the default profile (the built-in simulator
    // profile starts an in-process simulator when none answers on its port). Declared before
    // the server: the simulator must outlive every run.
    llm::RunEndpointProvider defaultEndpoint;
    if (!args.profile.isEmpty()) {
        llm::ProfileStore profiles;
        if (auto ok = profiles.load(); !ok) {
            complain(QStringLiteral("--profile: %1").arg(ok.error().toString()));
            return 2;
        }
        auto endpoint = defaultEndpoint.resolveNow(profiles, args.profile);
        if (!endpoint) {
            complain(QStringLiteral("--profile: %1").arg(endpoint.error().toString()));
            return 2;
        }
        args.options.endpoint = *endpoint;
        if (!args.model.isEmpty())
            args.options.endpoint->forcedModel = args.model;
        args.options.endpointName = args.profile;
        complain(defaultEndpoint.description());
    } else if (!args.options.endpoint
               && llm::RunEndpointProvider::workflowNeedsEndpoint(workflow)) {
        llm::ProfileStore profiles;
        if (auto ok = profiles.load(); !ok)
            complain(QStringLiteral("warning: %1").arg(ok.error().toString()));
        auto endpoint = defaultEndpoint.resolveNow(profiles);
        if (!endpoint) {
            complain(QStringLiteral("default endpoint: %1").arg(endpoint.error().toString()));
            return 2;
        }
        args.options.endpoint = *endpoint;
        args.options.endpointName = defaultEndpoint.profileName();
        complain(defaultEndpoint.description());
    }

    args.options.shutdownGraceMs = args.graceSeconds * 1000;
    serve::DifyServer server(workflow, args.options, runStore.get());
    const auto bound = server.listen(address, quint16(args.port));
    if (!bound) {
        complain(bound.error().message);
        return 1;
    }
    const QString shownHost
        = args.host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(args.host) : args.host;
    if (args.options.apiKey.isEmpty())
        complain(QStringLiteral("no --api-key: listening on loopback only, without "
                                "authentication"));
    std::fprintf(stderr, "flowbench serve: %s (%s) on http://%s:%u/v1 (%d workers, store %s)\n",
                 workflow.name().toUtf8().constData(), workflow.modeString().toUtf8().constData(),
                 shownHost.toUtf8().constData(), unsigned(*bound), args.options.workers,
                 args.storePath.toUtf8().constData());
    std::fflush(stderr);

    // SIGTERM/SIGINT: stop accepting, let running workflows finish (--grace-seconds), stop the
    // rest, exit 0. The handler only writes to a self-pipe.
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0) {
        complain(QStringLiteral("cannot create the signal pipe"));
        return 1;
    }
    ::fcntl(g_signalPipe[1], F_SETFL, O_NONBLOCK);
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &server, [&server, &notifier] {
        char byte = 0;
        [[maybe_unused]] const auto got = ::read(g_signalPipe[0], &byte, 1);
        if (server.isShuttingDown()) {
            notifier.setEnabled(false);
            return;
        }
        complain(QStringLiteral("shutting down: no new connections; %1 run(s) to finish")
                     .arg(server.runningCount()));
        server.shutdown();
    });
    QObject::connect(&server, &serve::DifyServer::drained, QCoreApplication::instance(),
                     &QCoreApplication::quit);
    struct sigaction action = {};
    action.sa_handler = onTerminationSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);

    QCoreApplication::exec();

    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (runStore)
        runStore->flush();
    complain(QStringLiteral("stopped"));
    ::close(g_signalPipe[0]);
    ::close(g_signalPipe[1]);
    g_signalPipe[0] = g_signalPipe[1] = -1;
    return 0;
}

} // namespace flowbench::app

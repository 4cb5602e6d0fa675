#include "pythonworker.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <deque>
#include <optional>
#include <vector>

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>
#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#endif

// The worker script is a resource of the static engine library: its initializer is not pulled in
// by the linker unless referenced, hence the explicit Q_INIT_RESOURCE (outside any namespace).
static QByteArray loadWorkerScript()
{
    Q_INIT_RESOURCE(flowbench_engine_scripts);
    QFile file(QStringLiteral(":/engine/pyworker.py"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

namespace flowbench::runtime {

namespace {

constexpr qsizetype kMaxResponseBytes = 10 * 1024 * 1024;
// The worker itself refuses larger responses; this only catches a line that never ends.
constexpr qsizetype kMaxBufferedBytes = kMaxResponseBytes + 1024 * 1024;
constexpr qsizetype kStderrTailBytes = 4096;
// Python's start (and a cold import) does not count against a request's own limit.
constexpr int kStartupAllowanceMs = 10000;
constexpr rlim_t kAddressSpaceBytes = rlim_t(1) << 30;
constexpr rlim_t kCpuBackstopSeconds = 3600;
constexpr rlim_t kOpenFiles = 64;

QString installHint()
{
    return QCoreApplication::translate(
        "flowbench::runtime::PythonWorkerPool",
        "Install python3 and python3-jinja2 (scripts/install-deps does).");
}

// Runs in the forked child before exec: only async-signal-safe calls.
void limitChild()
{
    // Own process group, so a timeout kills whatever the user's code started as well.
    ::setsid();
#ifdef Q_OS_LINUX
    // A worker must not outlive the application (a crash skips the pool's destructor).
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    const auto limit = [](int resource, rlim_t value) {
        struct rlimit r;
        r.rlim_cur = value;
        r.rlim_max = value;
        ::setrlimit(resource, &r);
    };
    limit(RLIMIT_AS, kAddressSpaceBytes);
    limit(RLIMIT_CPU, kCpuBackstopSeconds);
    limit(RLIMIT_NOFILE, kOpenFiles);
    limit(RLIMIT_FSIZE, 0);
    limit(RLIMIT_CORE, 0);
}

} // namespace

struct PythonWorkerPool::Private
{
    struct Request
    {
        quint64 id = 0;
        QString method;
        Json params;
        int timeoutMs = 0;
        Callback done;
    };

    struct Worker
    {
        QProcess *process = nullptr;
        std::unique_ptr<QTemporaryDir> dir;
        QTimer *timer = nullptr;
        QByteArray out;
        QByteArray errTail;
        bool ready = false;
        std::optional<Request> current;
    };

    PythonWorkerPool *q = nullptr;
    std::vector<std::unique_ptr<Worker>> workers;
    std::deque<Request> queue;
    quint64 nextId = 1;
    bool dispatchScheduled = false;
    QString program; // resolved once; replaced by the interpreter the worker reports
    bool programFromEnv = false;
    QByteArray script;

    void scheduleDispatch();
    void dispatch();
    void startProcess(Worker *w);
    void send(Worker *w);
    void onStdout(Worker *w);
    void onStderr(Worker *w);
    void onFinished(Worker *w, int exitCode, QProcess::ExitStatus status);
    void onStartFailed(Worker *w);
    void onTimeout(Worker *w);
    void handleLine(Worker *w, const QByteArray &line);
    void retire(Worker *w, bool kill);
    // Ends the worker's current request. Call last: the callback may re-enter or delete the pool.
    void complete(Worker *w, Result<Json> result);
};

void PythonWorkerPool::Private::scheduleDispatch()
{
    if (dispatchScheduled)
        return;
    dispatchScheduled = true;
    // Never answer from inside call(): callers may not be ready for a synchronous callback.
    QMetaObject::invokeMethod(
        q,
        [this] {
            dispatchScheduled = false;
            dispatch();
        },
        Qt::QueuedConnection);
}

void PythonWorkerPool::Private::dispatch()
{
    if (program.isEmpty() && !programFromEnv)
        program = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (script.isEmpty())
        script = loadWorkerScript();
    const QPointer<PythonWorkerPool> alive(q);
    while (!queue.empty()) {
        if (program.isEmpty() || script.isEmpty()) {
            Request request = std::move(queue.front());
            queue.pop_front();
            const QString why
                = program.isEmpty()
                      ? QCoreApplication::translate("flowbench::runtime::PythonWorkerPool",
                                                    "python3 was not found on PATH.")
                      : QCoreApplication::translate("flowbench::runtime::PythonWorkerPool",
                                                    "The Python worker script is missing from the "
                                                    "build.");
            request.done(makeError(QStringLiteral("python.unavailable"),
                                   why + QLatin1Char(' ') + installHint()));
            if (!alive)
                return;
            continue;
        }
        Worker *idle = nullptr;
        for (const auto &w : workers) {
            if (!w->current) {
                idle = w.get();
                break;
            }
        }
        if (!idle)
            return;
        idle->current = std::move(queue.front());
        queue.pop_front();
        if (!idle->process)
            startProcess(idle);
        send(idle);
    }
}

void PythonWorkerPool::Private::startProcess(Worker *w)
{
    w->out.clear();
    w->errTail.clear();
    w->ready = false;
    w->dir = std::make_unique<QTemporaryDir>();
    auto *process = new QProcess(q);
    w->process = process;
    process->setProgram(program);
    process->setArguments({QStringLiteral("-I"), QStringLiteral("-B"), QStringLiteral("-c"),
                           QString::fromUtf8(script)});
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (w->dir->isValid()) {
        process->setWorkingDirectory(w->dir->path());
        env.insert(QStringLiteral("TMPDIR"), w->dir->path());
    }
    env.insert(QStringLiteral("PYTHONIOENCODING"), QStringLiteral("utf-8"));
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    process->setProcessEnvironment(env);
    process->setChildProcessModifier(limitChild);
    QObject::connect(process, &QProcess::readyReadStandardOutput, q, [this, w] { onStdout(w); });
    QObject::connect(process, &QProcess::readyReadStandardError, q, [this, w] { onStderr(w); });
    QObject::connect(
        process, &QProcess::finished, q,
        [this, w](int code, QProcess::ExitStatus status) { onFinished(w, code, status); });
    // Queued: in some Qt versions FailedToStart is emitted from inside start().
    QObject::connect(
        process, &QProcess::errorOccurred, q,
        [this, w, process](QProcess::ProcessError error) {
            if (error == QProcess::FailedToStart && w->process == process)
                onStartFailed(w);
        },
        Qt::QueuedConnection);
    process->start();
}

void PythonWorkerPool::Private::send(Worker *w)
{
    const Request &request = *w->current;
    const Json line = {{"id", request.id},
                       {"method", request.method.toStdString()},
                       {"params", request.params},
                       {"timeout_ms", request.timeoutMs}};
    QByteArray bytes
        = QByteArray::fromStdString(line.dump(-1, ' ', false, Json::error_handler_t::replace));
    bytes.append('\n');
    if (w->process->state() != QProcess::NotRunning)
        w->process->write(bytes);
    w->timer->start(w->ready ? request.timeoutMs : request.timeoutMs + kStartupAllowanceMs);
}

void PythonWorkerPool::Private::onStdout(Worker *w)
{
    QProcess *process = w->process;
    if (!process)
        return;
    w->out.append(process->readAllStandardOutput());
    const QPointer<PythonWorkerPool> alive(q);
    qsizetype newline;
    while (w->process == process && (newline = w->out.indexOf('\n')) >= 0) {
        const QByteArray line = w->out.left(newline);
        w->out.remove(0, newline + 1);
        handleLine(w, line);
        if (!alive)
            return;
    }
    if (w->process == process && w->out.size() > kMaxBufferedBytes) {
        retire(w, true);
        complete(w,
                 makeError(QStringLiteral("python.error"),
                           QCoreApplication::translate("flowbench::runtime::PythonWorkerPool",
                                                       "The result is too large (more than %1 MB).")
                               .arg(kMaxResponseBytes / (1024 * 1024))));
    }
}

void PythonWorkerPool::Private::handleLine(Worker *w, const QByteArray &line)
{
    const Json message
        = Json::parse(line.constData(), line.constData() + line.size(), nullptr, false);
    if (!message.is_object())
        return; // not ours (user code writing to the protocol descriptor): ignore
    if (message.contains("ready")) {
        w->ready = true;
        const auto executable = message.find("executable");
        // Restarts skip wrappers such as pyenv shims, which cost ~100 ms per start.
        if (!programFromEnv && executable != message.end() && executable->is_string()) {
            const QFileInfo info(QString::fromStdString(executable->get<std::string>()));
            if (info.isAbsolute() && info.isExecutable())
                program = info.filePath();
        }
        if (w->current)
            w->timer->start(w->current->timeoutMs);
        return;
    }
    const auto id = message.find("id");
    if (!w->current || id == message.end() || !id->is_number_unsigned()
        || id->get<quint64>() != w->current->id) {
        return;
    }
    const auto error = message.find("error");
    if (error != message.end() && error->is_object()) {
        Error e;
        e.code = QString::fromStdString(error->value("code", std::string("python.error")));
        e.message = QString::fromStdString(error->value("message", std::string()));
        const auto errorLine = error->find("line");
        if (errorLine != error->end() && errorLine->is_number_integer())
            e.location.line = errorLine->get<int>();
        complete(w, tl::unexpected<Error>(std::move(e)));
        return;
    }
    const auto result = message.find("result");
    complete(w, result != message.end() ? *result : Json::object());
}

void PythonWorkerPool::Private::onStderr(Worker *w)
{
    if (!w->process)
        return;
    w->errTail.append(w->process->readAllStandardError());
    if (w->errTail.size() > kStderrTailBytes)
        w->errTail = w->errTail.right(kStderrTailBytes);
}

void PythonWorkerPool::Private::onFinished(Worker *w, int exitCode, QProcess::ExitStatus status)
{
    if (!w->process)
        return;
    w->errTail.append(w->process->readAllStandardError());
    const QString tail = QString::fromUtf8(w->errTail.right(kStderrTailBytes)).trimmed();
    retire(w, false);
    if (!w->current)
        return; // an idle worker ended (recycled): the next request starts a new one
    QString message = status == QProcess::CrashExit
                          ? QCoreApplication::translate("flowbench::runtime::PythonWorkerPool",
                                                        "The Python worker crashed.")
                          : QCoreApplication::translate("flowbench::runtime::PythonWorkerPool",
                                                        "The Python worker exited with status %1.")
                                .arg(exitCode);
    if (!tail.isEmpty())
        message += QLatin1Char('\n') + tail;
    complete(w, makeError(QStringLiteral("python.crashed"), message));
}

void PythonWorkerPool::Private::onStartFailed(Worker *w)
{
    const QString why = w->process ? w->process->errorString() : QString();
    retire(w, false);
    if (!w->current)
        return;
    complete(w, makeError(QStringLiteral("python.unavailable"),
                          QCoreApplication::translate("flowbench::runtime::PythonWorkerPool",
                                                      "Python could not be started (%1: %2).")
                                  .arg(program, why)
                              + QLatin1Char(' ') + installHint()));
}

void PythonWorkerPool::Private::onTimeout(Worker *w)
{
    if (!w->current)
        return;
    const int limit = w->current->timeoutMs;
    retire(w, true);
    complete(w, makeError(QStringLiteral("python.timeout"),
                          QCoreApplication::translate("flowbench::runtime::PythonWorkerPool",
                                                      "The code ran too long: it exceeded %1 ms.")
                              .arg(limit)));
}

void PythonWorkerPool::Private::retire(Worker *w, bool kill)
{
    w->timer->stop();
    QProcess *process = w->process;
    w->process = nullptr;
    w->ready = false;
    w->out.clear();
    if (!process)
        return;
    QObject::disconnect(process, nullptr, q, nullptr);
    if (kill && process->state() != QProcess::NotRunning) {
        const qint64 pid = process->processId();
        if (pid > 0)
            ::kill(-pid_t(pid), SIGKILL); // the group: children the user's code started too
        process->kill();
    }
    if (process->state() == QProcess::NotRunning) {
        process->deleteLater();
    } else {
        QObject::connect(process, &QProcess::finished, process, &QObject::deleteLater);
    }
    // The directory goes now; a killed process has nothing left to write there.
    w->dir.reset();
}

void PythonWorkerPool::Private::complete(Worker *w, Result<Json> result)
{
    w->timer->stop();
    if (!w->current)
        return;
    Callback done = std::move(w->current->done);
    w->current.reset();
    if (!queue.empty())
        scheduleDispatch();
    if (done)
        done(std::move(result));
}

PythonWorkerPool::PythonWorkerPool(int processes, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    // FLOWBENCH_PYTHON picks another interpreter (tests, unusual installs); otherwise python3 is
    // looked up on PATH when the first request comes.
    d->program = qEnvironmentVariable("FLOWBENCH_PYTHON");
    d->programFromEnv = !d->program.isEmpty();
    for (int i = 0; i < std::max(1, processes); ++i) {
        auto w = std::make_unique<Private::Worker>();
        w->timer = new QTimer(this);
        w->timer->setSingleShot(true);
        Private::Worker *raw = w.get();
        connect(w->timer, &QTimer::timeout, this, [this, raw] { d->onTimeout(raw); });
        d->workers.push_back(std::move(w));
    }
}

PythonWorkerPool::~PythonWorkerPool()
{
    for (const auto &w : d->workers) {
        w->current.reset(); // pending callbacks are dropped, never called
        w->process = nullptr;
    }
    // Live workers and killed ones still waiting for their exit.
    const auto processes = findChildren<QProcess *>(Qt::FindDirectChildrenOnly);
    for (QProcess *process : processes) {
        disconnect(process, nullptr, this, nullptr);
        if (process->state() != QProcess::NotRunning) {
            const qint64 pid = process->processId();
            if (pid > 0)
                ::kill(-pid_t(pid), SIGKILL);
            process->kill();
            process->waitForFinished(2000);
        }
        delete process;
    }
}

quint64 PythonWorkerPool::call(const QString &method, Json params, int timeoutMs, Callback done)
{
    const quint64 id = d->nextId++;
    d->queue.push_back(
        Private::Request{id, method, std::move(params), std::max(1, timeoutMs), std::move(done)});
    d->scheduleDispatch();
    return id;
}

void PythonWorkerPool::cancel(quint64 requestId)
{
    for (auto it = d->queue.begin(); it != d->queue.end(); ++it) {
        if (it->id == requestId) {
            d->queue.erase(it);
            return;
        }
    }
    for (const auto &w : d->workers) {
        if (w->current && w->current->id == requestId) {
            // The process may be deep in the user's code: only a fresh one is safe to reuse.
            d->retire(w.get(), true);
            w->current.reset();
            if (!d->queue.empty())
                d->scheduleDispatch();
            return;
        }
    }
}

} // namespace flowbench::runtime

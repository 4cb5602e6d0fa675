#include "jsrunner.h"

#include <QCoreApplication>
#include <QFile>
#include <QJSEngine>
#include <QJSValue>
#include <QStringList>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <unistd.h>

namespace flowbench::nodes {

namespace {

constexpr long long kMemoryGrowthLimitBytes = 1LL << 30;
constexpr auto kPollInterval = std::chrono::milliseconds(50);

long long residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    if (fields.size() < 2)
        return 0;
    return fields.at(1).toLongLong() * ::sysconf(_SC_PAGESIZE);
}

// Interrupts the engine when the time is up, the process has grown too much or the caller
// cancelled. setInterrupted() is the one QJSEngine call that is safe from another thread.
class Watchdog
{
public:
    enum class Reason { None, Timeout, Memory, Cancelled };

    Watchdog(QJSEngine *engine, int timeoutMs, const std::atomic<bool> *cancelled)
        : m_engine(engine)
        , m_cancelled(cancelled)
        , m_deadline(std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs))
        , m_baseline(residentBytes())
        , m_thread([this] { watch(); })
    {}

    ~Watchdog() { stop(); }

    void stop()
    {
        {
            std::lock_guard lock(m_mutex);
            m_done = true;
        }
        m_wake.notify_all();
        if (m_thread.joinable())
            m_thread.join();
    }

    [[nodiscard]] Reason reason() const { return m_reason.load(); }

private:
    void watch()
    {
        std::unique_lock lock(m_mutex);
        while (!m_done) {
            const auto now = std::chrono::steady_clock::now();
            if (now >= m_deadline) {
                interrupt(Reason::Timeout);
                return;
            }
            if (m_cancelled && m_cancelled->load()) {
                interrupt(Reason::Cancelled);
                return;
            }
            if (m_baseline > 0 && residentBytes() - m_baseline > kMemoryGrowthLimitBytes) {
                interrupt(Reason::Memory);
                return;
            }
            m_wake.wait_for(lock, std::min<std::chrono::steady_clock::duration>(kPollInterval,
                                                                                m_deadline - now));
        }
    }

    void interrupt(Reason reason)
    {
        m_reason = reason;
        m_engine->setInterrupted(true);
    }

    QJSEngine *m_engine;
    const std::atomic<bool> *m_cancelled;
    std::chrono::steady_clock::time_point m_deadline;
    long long m_baseline;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_done = false;
    std::atomic<Reason> m_reason{Reason::None};
    std::thread m_thread; // last: starts once everything above is set
};

Error scriptError(const QJSValue &error)
{
    Error e;
    e.code = QStringLiteral("javascript.error");
    // Node reports a thrown non-Error value as "Uncaught <value>".
    e.message
        = error.isError() ? error.toString() : QStringLiteral("Uncaught %1").arg(error.toString());
    if (error.isError()) {
        const QJSValue line = error.property(QStringLiteral("lineNumber"));
        if (line.isNumber() && line.toInt() > 0) {
            e.location.line = line.toInt();
            e.message += QCoreApplication::translate("flowbench::nodes::JsRunner", " (line %1)")
                             .arg(e.location.line);
        }
    }
    return e;
}

QString describe(const QJSValue &value)
{
    if (value.isUndefined())
        return QStringLiteral("undefined");
    if (value.isNull())
        return QStringLiteral("null");
    if (value.isCallable())
        return QStringLiteral("a function");
    if (value.isArray())
        return QStringLiteral("an array");
    if (value.isString())
        return QStringLiteral("a string");
    if (value.isNumber())
        return QStringLiteral("a number");
    if (value.isBool())
        return QStringLiteral("a boolean");
    return QStringLiteral("a %1").arg(value.toString());
}

} // namespace

struct JsRunner::Private
{
    QJSEngine engine;
    QJSValue invoke; // calls a function and reports what it threw, whatever that is
};

JsRunner::JsRunner()
    : d(std::make_unique<Private>())
{
    // Dify's Node sandbox has a console whose output nobody sees; a silent one keeps code that
    // logs working without giving the script any output channel.
    d->engine.globalObject().setProperty(
        QStringLiteral("console"),
        d->engine.evaluate(QStringLiteral(
            "(function () { var quiet = function () {};"
            " return Object.freeze({log: quiet, info: quiet, warn: quiet, error: quiet,"
            " debug: quiet, trace: quiet, dir: quiet, table: quiet}); })()")));
    // QJSValue::call() returns a thrown value as if it were returned (`throw 'x'` looks like
    // `return 'x'`), so calls go through a JavaScript try/catch. Interruption is not catchable.
    d->invoke = d->engine.evaluate(
        QStringLiteral("(function (fn, self, args) {"
                       " try { return {ok: true, value: fn.apply(self, args)}; }"
                       " catch (e) { return {ok: false, error: e}; } })"));
}

JsRunner::~JsRunner() = default;

Result<Json> JsRunner::run(const QString &code, const Json &inputs, int timeoutMs,
                           const std::atomic<bool> *cancelled)
{
    QJSEngine &engine = d->engine;
    engine.setInterrupted(false);
    if (engine.hasError())
        engine.catchError();

    const QJSValue json = engine.globalObject().property(QStringLiteral("JSON"));
    const QJSValue parse = json.property(QStringLiteral("parse"));
    const QJSValue stringify = json.property(QStringLiteral("stringify"));

    Watchdog watchdog(&engine, std::max(1, timeoutMs), cancelled);
    // Every exit path resets the flag, so the engine can be reused after an interruption.
    struct ResetInterrupt
    {
        QJSEngine &engine;
        ~ResetInterrupt() { engine.setInterrupted(false); }
    } reset{engine};
    // While the watchdog has fired, any failure is the interruption, not the user's error.
    const auto failure = [&](const QJSValue &error) -> tl::unexpected<Error> {
        switch (watchdog.reason()) {
        case Watchdog::Reason::Timeout:
            return makeError(
                QStringLiteral("javascript.timeout"),
                QCoreApplication::translate("flowbench::nodes::JsRunner",
                                            "The code ran too long: it exceeded %1 ms.")
                    .arg(timeoutMs));
        case Watchdog::Reason::Memory:
            return makeError(
                QStringLiteral("javascript.memory"),
                QCoreApplication::translate("flowbench::nodes::JsRunner",
                                            "The code used too much memory (more than %1 MB).")
                    .arg(kMemoryGrowthLimitBytes / (1024 * 1024)));
        case Watchdog::Reason::Cancelled:
            return makeError(
                QStringLiteral("javascript.cancelled"),
                QCoreApplication::translate("flowbench::nodes::JsRunner", "Cancelled."));
        case Watchdog::Reason::None:
            break;
        }
        return tl::unexpected(scriptError(error));
    };
    // Calls `function` through m_invoke: the value it returned, or what it threw.
    const auto call = [&](const QJSValue &function, const QJSValue &self,
                          const QJSValueList &args) -> tl::expected<QJSValue, QJSValue> {
        QJSValue array = engine.newArray(uint(args.size()));
        for (int i = 0; i < args.size(); ++i)
            array.setProperty(quint32(i), args.at(i));
        const QJSValue outcome = d->invoke.call({function, self, array});
        if (engine.hasError())
            return tl::unexpected(engine.catchError());
        if (outcome.isError() || !outcome.isObject())
            return tl::unexpected(outcome); // "Error: Interrupted"
        if (!outcome.property(QStringLiteral("ok")).toBool())
            return tl::unexpected(outcome.property(QStringLiteral("error")));
        return outcome.property(QStringLiteral("value"));
    };

    const std::string text = inputs.is_object()
                                 ? inputs.dump(-1, ' ', false, Json::error_handler_t::replace)
                                 : std::string("{}");
    const QJSValue argument
        = parse.callWithInstance(json, {QJSValue(QString::fromStdString(text))});

    // A function scope keeps the code's declarations out of the global object; the opening line
    // is shared with the user's first line so reported line numbers match the editor.
    const QString program = QStringLiteral("(function () {") + code
                            + QStringLiteral("\n;return typeof main === 'function' ? main : "
                                             "undefined; })");
    QStringList stack;
    const QJSValue factory = engine.evaluate(program, QStringLiteral("code.js"), 1, &stack);
    if (!stack.isEmpty() || factory.isError() || engine.hasError())
        return failure(engine.hasError() ? engine.catchError() : factory);
    const auto main = call(factory, QJSValue(), {});
    if (!main)
        return failure(main.error());
    if (!main->isCallable()) {
        return makeError(
            QStringLiteral("javascript.error"),
            QCoreApplication::translate("flowbench::nodes::JsRunner",
                                        "ReferenceError: main is not defined (the code must define "
                                        "function main)"));
    }
    const auto output = call(*main, QJSValue(), {argument});
    if (!output)
        return failure(output.error());
    if (!output->isObject() || output->isArray() || output->isCallable()) {
        return makeError(QStringLiteral("javascript.error"),
                         QCoreApplication::translate("flowbench::nodes::JsRunner",
                                                     "main() must return an object, got %1.")
                             .arg(describe(*output)));
    }
    // As Dify: JSON.stringify decides what the result is (dates become strings, undefined
    // members and functions disappear, NaN becomes null). It may run the user's toJSON(), so the
    // watchdog stays on until it returns.
    const auto serialized = call(stringify, json, {*output});
    if (!serialized) {
        if (watchdog.reason() != Watchdog::Reason::None)
            return failure(serialized.error());
        return makeError(QStringLiteral("javascript.error"),
                         QCoreApplication::translate("flowbench::nodes::JsRunner",
                                                     "The result cannot be converted to JSON: %1")
                             .arg(serialized.error().toString()));
    }
    watchdog.stop();
    const std::string bytes = serialized->toString().toStdString();
    Json result = Json::parse(bytes, nullptr, false);
    if (!result.is_object()) {
        return makeError(QStringLiteral("javascript.error"),
                         QCoreApplication::translate("flowbench::nodes::JsRunner",
                                                     "The result cannot be converted to JSON."));
    }
    return result;
}

} // namespace flowbench::nodes

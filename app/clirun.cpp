// `flowbench run`: one headless run of a workflow with the embedded engine.
#include "cli.h"
#include "cliendpoint.h"

#include "document/dslio.h"
#include "document/validator.h"
#include "runtime/graphengine.h"
#include "store/runstore.h"
#include "metering/ledger.h"
#include "nodes/filecontent.h"
#include "metering/tokenmetrics.h"
#include "llm/defaultendpoint.h"
#include "llm/endpoint.h"
#include "llm/endpointprofile.h"

#include <QEventLoop>
#include "variables/value.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMimeDatabase>
#include <QSaveFile>
#include <QTextStream>
#include <QUrl>

#include <cstdio>
#include <iostream>
#include <string>

namespace flowbench::app {

namespace {

using document::Json;

struct RunArgs
{
    QString file;
    runtime::RunOptions options;
    QString eventsTarget; // "-" for stderr
    QString metricsOut;   // --metrics-out FILE: the run's metrics, Prometheus text format
    QString replay;
    QString profile; // --profile NAME
    QString model;   // --model, applied after --profile too
    // --conversation-id: a chatflow turn of a stored conversation (history, conversation
    // variables and dialogue count come from the run store; the turn is appended after it).
    QString conversationId;
};

void err(const QString &text)
{
    std::fprintf(stderr, "%s\n", text.toUtf8().constData());
}

// JSON given inline or as @file.
Result<Json> jsonArgument(const QString &value, const QString &what)
{
    QByteArray text = value.toUtf8();
    if (value.startsWith(QLatin1Char('@'))) {
        QFile f(value.mid(1));
        if (!f.open(QIODevice::ReadOnly))
            return makeError(
                QStringLiteral("cli.file"),
                QStringLiteral("%1: cannot read %2: %3").arg(what, value.mid(1), f.errorString()));
        text = f.readAll();
    }
    try {
        return Json::parse(text.toStdString());
    } catch (const std::exception &e) {
        return makeError(
            QStringLiteral("cli.json"),
            QStringLiteral("%1: invalid JSON: %2").arg(what, QString::fromUtf8(e.what())));
    }
}

// Parses everything after `run`; on failure prints why and returns false.
bool parseArgs(const QStringList &args, RunArgs *out)
{
    const auto need = [&args](int i, const QString &flag) {
        if (i + 1 >= args.size()) {
            err(QStringLiteral("flowbench run: %1 needs a value").arg(flag));
            return false;
        }
        return true;
    };
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a == QLatin1String("--inputs")) {
            if (!need(i, a))
                return false;
            auto j = jsonArgument(args[++i], a);
            if (!j || !j->is_object()) {
                err(j ? QStringLiteral("--inputs: expected a JSON object") : j.error().message);
                return false;
            }
            out->options.inputs = *j;
        } else if (a == QLatin1String("--query")) {
            if (!need(i, a))
                return false;
            out->options.query = args[++i];
        } else if (a == QLatin1String("--files")) {
            // Every following argument that is not a flag is a file.
            while (i + 1 < args.size() && !args[i + 1].startsWith(QLatin1String("--"))) {
                const QString path = args[++i];
                if (!QFileInfo::exists(path)) {
                    err(QStringLiteral("--files: no such file: %1").arg(path));
                    return false;
                }
                out->options.files.push_back(nodes::localFileObject(path));
            }
        } else if (a == QLatin1String("--conversation-var") || a == QLatin1String("--pin")
                   || a == QLatin1String("--fail")) {
            if (!need(i, a))
                return false;
            const QString spec = args[++i];
            const int eq = spec.indexOf(QLatin1Char('='));
            if (eq <= 0) {
                err(QStringLiteral("%1: expected NAME=VALUE, got '%2'").arg(a, spec));
                return false;
            }
            const QString key = spec.left(eq), value = spec.mid(eq + 1);
            if (a == QLatin1String("--fail")) {
                out->options.forcedFailures.insert(key, value);
                continue;
            }
            auto j = jsonArgument(value, a);
            if (!j) {
                err(j.error().message);
                return false;
            }
            if (a == QLatin1String("--pin")) {
                if (!j->is_object()) {
                    err(QStringLiteral("--pin %1: the pinned outputs must be a JSON object")
                            .arg(key));
                    return false;
                }
                out->options.pinnedOutputs.insert(key, *j);
            } else {
                out->options.conversationVariables[key.toStdString()] = *j;
            }
        } else if (a == QLatin1String("--break")) {
            if (!need(i, a))
                return false;
            out->options.breakpoints.insert(args[++i]);
        } else if (a == QLatin1String("--events")) {
            if (!need(i, a))
                return false;
            out->eventsTarget = args[++i];
        } else if (a == QLatin1String("--metrics-out")) {
            if (!need(i, a))
                return false;
            out->metricsOut = args[++i];
        } else if (a == QLatin1String("--max-steps") || a == QLatin1String("--timeout")) {
            if (!need(i, a))
                return false;
            bool ok = false;
            const int n = args[++i].toInt(&ok);
            if (!ok || n <= 0) {
                err(QStringLiteral("%1: expected a positive number").arg(a));
                return false;
            }
            (a == QLatin1String("--max-steps") ? out->options.maxSteps : out->options.maxSeconds)
                = n;
        } else if (isEndpointFlag(a)) {
            if (!need(i, a))
                return false;
            QString problem;
            if (!applyEndpointFlag(a, args[++i], out->options.llmEndpoint, out->model, problem)) {
                err(problem);
                return false;
            }
        } else if (a == QLatin1String("--conversation-id")) {
            if (!need(i, a))
                return false;
            out->conversationId = args[++i];
            if (out->conversationId.isEmpty()) {
                err(QStringLiteral("--conversation-id: the id must not be empty"));
                return false;
            }
        } else if (a == QLatin1String("--profile")) {
            if (!need(i, a))
                return false;
            out->profile = args[++i];
        } else if (a == QLatin1String("--replay")) {
            if (!need(i, a))
                return false;
            out->replay = args[++i];
        } else if (a.startsWith(QLatin1String("--"))) {
            err(QStringLiteral("flowbench run: unknown option %1").arg(a));
            return false;
        } else if (out->file.isEmpty()) {
            out->file = a;
        } else {
            err(QStringLiteral("flowbench run: unexpected argument %1").arg(a));
            return false;
        }
    }
    if (QString problem; !checkEndpointFlags(out->profile, out->options.llmEndpoint, problem)) {
        err(QStringLiteral("flowbench run: ") + problem);
        return false;
    }
    if (out->file.isEmpty() && out->replay.isEmpty()) {
        err(QStringLiteral(
            "usage: flowbench run FILE [--inputs JSON|@file] [--query TEXT] "
            "[--files PATH...] [--conversation-var NAME=JSON]... "
            "[--pin NODE_ID=JSON|@file]... [--fail NODE_ID=MESSAGE]... "
            "[--break NODE_ID]... [--events -|FILE] [--metrics-out FILE] [--max-steps N] "
            "[--timeout S] [--replay RUN_ID] [--endpoint URL [--model NAME] "
            "[--api-key-env VAR]] [--profile NAME] [--conversation-id ID]"));
        return false;
    }
    return true;
}

} // namespace

int runCommand(const QStringList &rawArgs)
{
    RunArgs args;
    if (!parseArgs(rawArgs, &args))
        return 2;
    // Every run is recorded in the run store, so it can be reopened, replayed or re-run.
    // FLOWBENCH_RUN_STORE overrides where (tests, scripts); "none" turns recording off.
    std::unique_ptr<store::RunStore> runStore;
    const QString storePath = qEnvironmentVariableIsSet("FLOWBENCH_RUN_STORE")
                                  ? qEnvironmentVariable("FLOWBENCH_RUN_STORE")
                                  : store::RunStore::defaultPath();
    if (storePath != QLatin1String("none")) {
        auto opened = store::RunStore::open(storePath);
        if (opened)
            runStore = std::move(*opened);
        else if (!args.replay.isEmpty()) {
            err(QStringLiteral("--replay: %1").arg(opened.error().toString()));
            return 2;
        } else
            err(QStringLiteral("warning: the run is not recorded: %1")
                    .arg(opened.error().toString()));
    }

    if (!args.profile.isEmpty()) {
        // A named endpoint profile; its key comes from its env var, the keychain or its file.
        llm::ProfileStore profiles;
        if (auto loaded = profiles.load(); !loaded) {
            err(QStringLiteral("--profile: %1").arg(loaded.error().toString()));
            return 2;
        }
        const auto profile = profiles.profile(args.profile);
        if (!profile) {
            err(QStringLiteral("--profile: no profile named '%1' (profiles: %2)")
                    .arg(args.profile, profiles.profileNames().join(QStringLiteral(", "))));
            return 2;
        }
        QString apiKey;
        QEventLoop wait;
        bool answered = false; // the callback may come before or after exec()
        profiles.loadApiKey(args.profile, [&](Result<QString> key) {
            answered = true;
            if (key)
                apiKey = *key;
            else if (key.error().code != QLatin1String("key.notFound"))
                err(QStringLiteral("warning: %1: no API key: %2")
                        .arg(args.profile, key.error().message));
            wait.quit();
        });
        if (!answered)
            wait.exec();
        args.options.llmEndpoint = profile->toEndpoint(apiKey);
        if (!args.model.isEmpty())
            args.options.llmEndpoint->forcedModel = args.model;
    }

    document::Workflow workflow;
    if (!args.replay.isEmpty()) {
        // Replay: the recorded workflow and inputs, every I/O node served from the recording.
        if (!runStore) {
            err(QStringLiteral("--replay needs the run store; FLOWBENCH_RUN_STORE is 'none'"));
            return 2;
        }
        auto recorded = runStore->loadRun(args.replay);
        if (!recorded) {
            err(QStringLiteral("--replay %1: %2").arg(args.replay, recorded.error().message));
            return 2;
        }
        auto wf = store::recordedWorkflow(*recorded);
        if (!wf) {
            err(QStringLiteral("--replay %1: %2").arg(args.replay, wf.error().message));
            return 2;
        }
        workflow = std::move(*wf);
        runtime::RunOptions replay = store::replayOptions(*recorded);
        // Flags given beside --replay still apply (limits, breakpoints, more pins).
        replay.breakpoints.unite(args.options.breakpoints);
        for (auto it = args.options.pinnedOutputs.cbegin(); it != args.options.pinnedOutputs.cend();
             ++it)
            replay.pinnedOutputs.insert(it.key(), it.value());
        replay.maxSteps = args.options.maxSteps;
        replay.llmEndpoint = args.options.llmEndpoint;
        replay.maxSeconds = args.options.maxSeconds;
        args.options = std::move(replay);
    } else {
        auto loaded = document::loadWorkflowFile(args.file);
        if (!loaded) {
            err(loaded.error().toString());
            return 2;
        }
        workflow = std::move(loaded->workflow);
    }
    // A turn of a stored conversation: its earlier turns, its conversation variables (flags given
    // with --conversation-var win) and Dify's dialogue count, which includes this turn.
    if (!args.conversationId.isEmpty()) {
        if (workflow.mode() != document::AppMode::AdvancedChat) {
            err(QStringLiteral("--conversation-id: %1 is not a chatflow (app mode advanced-chat)")
                    .arg(args.file));
            return 2;
        }
        if (!runStore) {
            err(QStringLiteral("--conversation-id needs the run store; FLOWBENCH_RUN_STORE is "
                               "'none' or cannot be opened"));
            return 2;
        }
        auto conversation = runStore->loadConversation(args.conversationId);
        if (!conversation) {
            err(QStringLiteral("--conversation-id %1: %2")
                    .arg(args.conversationId, conversation.error().message));
            return 2;
        }
        Json variables = conversation->conversationVariables;
        for (auto it = args.options.conversationVariables.begin();
             it != args.options.conversationVariables.end(); ++it)
            variables[it.key()] = it.value();
        args.options.conversationVariables = std::move(variables);
        args.options.conversationHistory = std::move(conversation->history);
        args.options.conversationId = args.conversationId;
        args.options.dialogueCount = conversation->dialogueCount + 1;
    }

    int errors = 0;
    for (const document::Problem &p : document::validateWorkflow(workflow)) {
        if (!p.isError())
            continue;
        ++errors;
        err(QStringLiteral("%1: error: %2%3: %4")
                .arg(args.file,
                     p.nodeId.isEmpty() ? QString() : QStringLiteral("[%1] ").arg(p.nodeId),
                     p.pointer, p.message));
    }
    if (errors > 0)
        return 2;

    QFile eventsFile;
    FILE *events = nullptr;
    if (args.eventsTarget == QLatin1String("-")) {
        events = stderr;
    } else if (!args.eventsTarget.isEmpty()) {
        eventsFile.setFileName(args.eventsTarget);
        if (!eventsFile.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            err(QStringLiteral("--events: cannot write %1: %2")
                    .arg(args.eventsTarget, eventsFile.errorString()));
            return 2;
        }
    }

    // Neither --endpoint nor --profile: LLM-family nodes use the default endpoint profile; the
    // built-in simulator profile starts an in-process simulator when none answers on its port.
    // (Declared before the engine: the simulator must outlive the run.)
    llm::RunEndpointProvider defaultEndpoint;
    if (!args.options.llmEndpoint && args.replay.isEmpty()
        && llm::RunEndpointProvider::workflowNeedsEndpoint(workflow)) {
        llm::ProfileStore profiles;
        if (auto loaded = profiles.load(); !loaded)
            err(QStringLiteral("warning: %1").arg(loaded.error().toString()));
        auto endpoint = defaultEndpoint.resolveNow(profiles);
        if (!endpoint) {
            err(QStringLiteral("default endpoint: %1").arg(endpoint.error().toString()));
            return 2;
        }
        args.options.llmEndpoint = *endpoint;
        err(defaultEndpoint.description());
    }

    runtime::GraphEngine engine(workflow, args.options);
    if (auto ok = engine.prepare(); !ok) {
        err(QStringLiteral("%1: error: %2").arg(args.file, ok.error().message));
        return 2;
    }
    if (runStore)
        runStore->record(&engine, workflow, args.options);
    // Token metering: every LLM call's usage, priced (the user's price table, else the bundled
    // one), goes to the run store and, with --metrics-out, into the run's metrics.
    metering::Ledger ledger;
    metering::TokenMetrics metrics;
    ledger.setPriceTable(metering::PriceTable::userOrBundled());
    ledger.setStore(runStore.get());
    ledger.watch(&engine, args.options, args.profile);
    QObject::connect(&ledger, &metering::Ledger::recorded, &metrics,
                     &metering::TokenMetrics::addUsage);
    QObject::connect(&ledger, &metering::Ledger::runEventSeen, &metrics,
                     &metering::TokenMetrics::addRunEvent);
    QObject::connect(
        &engine, &runtime::GraphEngine::runEvent, &engine, [&](const runtime::RunEvent &e) {
            const std::string line
                = e.toJson().dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
            if (events) {
                std::fputs(line.c_str(), events);
                std::fflush(events);
            } else if (eventsFile.isOpen()) {
                eventsFile.write(line.data(), static_cast<qint64>(line.size()));
                eventsFile.flush();
            }
            if (e.type != runtime::RunEvent::Type::RunPaused)
                return;
            // A terminal stepper: show where we are and what the pool holds.
            std::fprintf(
                stderr, "\n-- paused before %s (%s)\n%s\n", e.nodeId.toUtf8().constData(),
                e.nodeTitle.toUtf8().constData(),
                engine.pool().toJson().dump(2, ' ', false, Json::error_handler_t::replace).c_str());
            std::fprintf(stderr, "-- Enter: continue, s: step, q: stop > ");
            std::fflush(stderr);
            QMetaObject::invokeMethod(
                &engine,
                [&engine] {
                    std::string line;
                    if (!std::getline(std::cin, line))
                        line.clear();
                    if (line == "q")
                        engine.stop();
                    else if (line == "s")
                        engine.step();
                    else
                        engine.resume();
                },
                Qt::QueuedConnection);
        });
    QObject::connect(&engine, &runtime::GraphEngine::finished, QCoreApplication::instance(),
                     &QCoreApplication::quit);
    engine.start();
    if (engine.status() == runtime::RunStatus::Running
        || engine.status() == runtime::RunStatus::Paused)
        QCoreApplication::exec();

    if (runStore)
        runStore->flush();
    if (!args.metricsOut.isEmpty()) {
        // Atomic: a scraper or a CI step never reads half a file.
        QSaveFile out(args.metricsOut);
        const QByteArray text = metrics.render();
        if (!out.open(QIODevice::WriteOnly) || out.write(text) != text.size() || !out.commit())
            err(QStringLiteral("--metrics-out: cannot write %1: %2")
                    .arg(args.metricsOut, out.errorString()));
    }
    const runtime::RunStatus status = engine.status();
    Json result{{"status", runtime::runStatusName(status).toStdString()},
                {"outputs", engine.outputs()},
                {"error", engine.error().isEmpty() ? Json() : Json(engine.error().toStdString())},
                {"exceptions_count", engine.exceptionsCount()},
                {"elapsed_ms", engine.elapsedMs()},
                {"total_tokens", engine.totalTokens()},
                {"run_id", engine.runId().toStdString()}};
    if (!args.conversationId.isEmpty()) {
        result["conversation_id"] = args.conversationId.toStdString();
        result["dialogue_count"] = args.options.dialogueCount;
        // Only a successful turn becomes part of the conversation.
        if (status == runtime::RunStatus::Succeeded
            || status == runtime::RunStatus::PartialSucceeded) {
            const Json outputs = engine.outputs();
            const auto answer = outputs.find("answer");
            const Json *conversation = engine.pool().scope("conversation");
            auto saved = runStore->appendTurn(
                args.conversationId, engine.runId(), args.options.query,
                answer != outputs.end() && answer->is_string()
                    ? QString::fromStdString(answer->get<std::string>())
                    : QString(),
                conversation && conversation->is_object() ? *conversation : Json::object());
            if (!saved)
                err(QStringLiteral("warning: the turn was not saved to conversation %1: %2")
                        .arg(args.conversationId, saved.error().message));
        }
    }
    std::printf("%s\n", result.dump(-1, ' ', false, Json::error_handler_t::replace).c_str());
    std::fflush(stdout);
    return status == runtime::RunStatus::Succeeded || status == runtime::RunStatus::PartialSucceeded
               ? 0
               : 1;
}

} // namespace flowbench::app

#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <memory>
#include <vector>

#include "core/result.h"
#include "document/workflow.h"
#include "runtime/graphengine.h"
#include "metering/usagerecord.h"

namespace flowbench::store {

using Json = nlohmann::json;

// One node execution of a recorded run (an engine executionId: one node start, retries
// included). Nodes inside an iteration or loop have one execution per item or round.
struct RecordedNodeExecution
{
    QString executionId;
    QString nodeId;
    QString nodeKind;
    QString title;
    QString status; // running | retry | succeeded | failed | exception (Dify's spelling)
    Json inputs;
    Json processData;
    Json outputs;
    Json usage;
    Json metadata;
    QString error;
    QString errorType;
    qint64 startedMs = 0; // ms since the epoch
    qint64 elapsedMs = 0;
    int retries = 0;
    QString iterationId; // the container this execution ran in, if any
    QString loopId;
    int index = -1; // item index / loop round inside that container
};

// Everything a recorded run keeps: enough to show it again, replay it offline or re-run it from
// one node.
struct RecordedRun
{
    QString runId;
    QString workflowName;
    QString status; // running | succeeded | partial-succeeded | failed | stopped
    QString error;
    // The native JSON of the workflow snapshot the run used
    // (document::documentJson(wf, FileFormat::NativeJson)).
    Json workflow;
    Json inputs = Json::object();
    QString query;
    Json files = Json::array();
    Json conversationVariables = Json::object();
    QString conversationId; // chatflow: sys.conversation_id and sys.dialogue_count
    int dialogueCount = 0;
    Json outputs = Json::object();
    Json finalPool = Json::object(); // engine.pool().toJson() at the end
    int exceptionsCount = 0;
    qint64 startedMs = 0;
    qint64 elapsedMs = 0;
    qint64 totalTokens = 0;
    std::vector<RecordedNodeExecution> nodes; // in the order they started
    Json events = Json::array();              // RunEvent::toJson() of every event, in order
};

// A chatflow conversation as the run store keeps it between `flowbench run` invocations.
struct ConversationState
{
    runtime::ConversationHistory history;        // its turns, oldest first
    Json conversationVariables = Json::object(); // after the last turn ({} when none)
    // Turns stored so far. Dify counts the turn being run too: the next turn's
    // sys.dialogue_count is dialogueCount + 1.
    int dialogueCount = 0;
    QStringList runIds; // the run of each turn, oldest first
};

// One row of the run history.
struct RunSummary
{
    QString runId;
    QString workflowName;
    QString status;
    qint64 startedMs = 0;
    qint64 elapsedMs = 0;
    qint64 totalTokens = 0;
    int exceptionsCount = 0;
    QString error; // why it failed, empty otherwise
};

// The run history: an SQLite file (QtSql) with the runs, their node executions and their
// events (ARCHITECTURE.md, "SQLite (QtSql): run history").
//
// Threading: a RunStore is used from the thread that opened it, and records engines that live
// on that thread. Writes go to a private writer thread with its own connection, so recording
// never waits for the disk: an event costs the engine thread one copy into a buffer; the buffer
// goes to the writer every 500 ms and at the end of the run, where it is written in one
// transaction with prepared statements. Reads (loadRun, listRuns) first wait until everything
// recorded so far is committed, so they always see it. Other threads or processes that want the
// history open their own RunStore on the same file (WAL mode lets readers and a writer share it).
//
// A run whose recorder went away mid-run (crash, store destroyed first) keeps the events written
// up to then (at most ~500 ms are lost) and the status "running". Workflow snapshots are stored
// once per distinct content, in the native form (secret environment values included, as in a
// saved .json document).
//
//     auto store = store::RunStore::open(store::RunStore::defaultPath());
//     if (!store) return fail(store.error());
//     runtime::GraphEngine engine(workflow, options);
//     (*store)->record(&engine, workflow, options); // before start()
//     engine.start();
//     ... // later, e.g. in a history panel:
//     for (const store::RunSummary &s : (*store)->listRuns())
//         show(s.runId, s.status);
//     auto run = (*store)->loadRun(id);
//     runtime::GraphEngine replay(*store::recordedWorkflow(*run), store::replayOptions(*run));
class RunStore : public QObject
{
    Q_OBJECT

public:
    // PRAGMA user_version of the files this version writes; newer files are refused.
    // 2 added the conversations table; older files are upgraded when opened.
    static constexpr int kSchemaVersion = 2;

    // Opens (creating when absent, with its folder) a run store. Errors: "store.driver" (no Qt
    // SQLite driver), "store.open" (cannot open or create the file), "store.corrupt" (the file
    // is not an SQLite database or is damaged), "store.newer" (written by a newer Flowbench),
    // "store.schema" (the schema cannot be created).
    static Result<std::unique_ptr<RunStore>> open(const QString &path);
    // <AppDataLocation>/runs.sqlite; the folder is created.
    static QString defaultPath();

    ~RunStore() override; // commits what it has buffered, then closes the file

    [[nodiscard]] QString path() const;

    // Records one run of `engine` (`workflow` and `options` must be the ones it was built
    // with). Call before engine->start(): the run row is written at RunStarted, events and node
    // executions while it runs, and status, outputs, totals and the final pool at `finished`
    // (connect your own `finished` handlers after this call, or wait for runSaved, if they read
    // the store). If the engine is destroyed before finishing, what was recorded is kept with
    // the status the run-finished event gave, else "stopped". Recording the same engine twice
    // is ignored.
    void record(runtime::GraphEngine *engine, const document::Workflow &workflow,
                const runtime::RunOptions &options);

    // Blocks until everything recorded so far is committed.
    void flush();

    // "store.not-found" when there is no such run; "store.read" on database errors.
    [[nodiscard]] Result<RecordedRun> loadRun(const QString &runId) const;
    // Newest first. Empty (with a warning in the log) on database errors.
    [[nodiscard]] QList<RunSummary> listRuns(int limit = 100) const;
    // The runs of one workflow, by the app name it had when it ran (Workflow::name(), the
    // RunSummary::workflowName), newest first. Empty (with a warning) on database errors.
    [[nodiscard]] QList<RunSummary> listRunsOfWorkflow(const QString &workflowName,
                                                       int limit = 100) const;
    // Removes a run with its node executions and events (and its workflow snapshot when no
    // other run shares it); "store.not-found" when absent, "store.busy" while it is recording.
    Result<void> deleteRun(const QString &runId);

    // Chatflow conversations. appendTurn() adds the next turn of `conversationId` (its index is
    // the number of turns before it) with the conversation variables as they are after the turn;
    // it returns when the turn is committed. Errors: "store.write".
    Result<void> appendTurn(const QString &conversationId, const QString &runId,
                            const QString &query, const QString &answer,
                            const Json &conversationVariables);
    // The conversation's turns and its last conversation variables; an unknown id is an empty
    // conversation (dialogueCount 0). Errors: "store.read".
    [[nodiscard]] Result<ConversationState> loadConversation(const QString &conversationId) const;

    // Token metering (engine/metering): one usage record per LLM-family call, in the
    // usage_records table (indexed by run, model, app, user, endpoint and time). appendUsage()
    // costs the caller one copy: records go to the writer thread in batches (every 500 ms, or
    // at once when 1,000 are waiting) and are written in one transaction each. Usage records
    // outlive deleteRun(): they are the spending history.
    void appendUsage(const metering::UsageRecord &record);
    // Writes many records in one transaction and returns when they are committed (imports,
    // benchmarks). Errors: "store.write".
    Result<void> appendUsageBatch(const std::vector<metering::UsageRecord> &records);
    // SQL GROUP BY over the filter (see metering::aggregate for the in-memory equivalent);
    // groups sorted by key. Groupings by model, app, user, endpoint, node kind or time over
    // whole hours (no run/node filter, hour-aligned window) read an hourly rollup table kept in
    // step with the records; the rest read the records through their indexes. Waits for
    // everything appended so far. Errors: "store.read".
    [[nodiscard]] Result<std::vector<metering::UsageTotals>>
    aggregateUsage(metering::UsageGroup by, const metering::UsageFilter &filter = {}) const;
    // The records matching the filter, oldest first; limit < 0: all. Errors: "store.read".
    [[nodiscard]] Result<std::vector<metering::UsageRecord>>
    loadUsage(const metering::UsageFilter &filter = {}, int limit = -1) const;

Q_SIGNALS:
    // A recorded run's final write is committed (emitted on the store's thread).
    void runSaved(const QString &runId);
    // A write failed (disk full, file removed, ...); recording goes on with the next batch.
    void writeFailed(const QString &runId, const QString &message);

private:
    RunStore();

    struct Private;
    std::unique_ptr<Private> d;
};

// The workflow snapshot of a recorded run.
Result<document::Workflow> recordedWorkflow(const RecordedRun &run);

// Kinds whose result depends on the world (network, models, tools, files) or, for code, that
// are pinned anyway so a replay is deterministic: llm, question-classifier,
// parameter-extractor, agent, tool, knowledge-retrieval, http-request, document-extractor, code.
bool isIoKind(const QString &kind);

// Options that replay a recorded run offline: the same inputs, query, files, conversation id
// and variables; every I/O node (isIoKind) pinned to its recorded outputs, and I/O nodes that
// failed given the recorded error as a forced failure (so the engine applies their retry and
// error strategy again: fail-branch is taken again). An I/O node that handled a failure with
// the default-value strategy is pinned to the outputs it produced, which keeps the outputs
// identical (a forced failure would report the error type "ForcedFailure"). An I/O node with no
// recorded result (the run ended while it ran) fails with a message saying so instead of going
// to the network.
//
// Limitations: a node that ran several times (inside an iteration or loop) is pinned to its LAST
// outputs for every item/round, except a code node whose outputs differed between executions:
// that one runs again (it calls nothing, and pinning would give every item the last item's
// result). sys.timestamp and the execution ids differ from the recording.
runtime::RunOptions replayOptions(const RecordedRun &run);

// Options that re-run a recorded run from `nodeId`: the run's final pool without the outputs of
// that node and of every node downstream of it (container children included), so a node the
// new run does not reach does not keep a stale value; the same inputs, query and files.
runtime::RunOptions rerunFromOptions(const RecordedRun &run, const QString &nodeId);

} // namespace flowbench::store

#include "runstore.h"

#include "document/dslio.h"
#include "variables/variablepool.h"

#include <QAtomicInt>
#include <QCryptographicHash>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>

#include <array>
#include <optional>

namespace flowbench::store {

using runtime::RunEvent;

namespace {

constexpr int kFlushIntervalMs = 500;

// QtSql connections are per thread and named globally: every connection gets its own name.
QString newConnectionName()
{
    static QAtomicInt counter;
    return QStringLiteral("flowbench-runstore-%1").arg(counter.fetchAndAddRelaxed(1));
}

// Closes and unregisters a connection. The caller must hold no QSqlDatabase handle of it (Qt
// warns "connection is still in use" otherwise); this function's own handle ends before.
void dropConnection(const QString &name)
{
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

std::string dump(const Json &value)
{
    // Invalid UTF-8 in a node's output must not lose the whole batch: replace it.
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

QString toText(const Json &value)
{
    return QString::fromStdString(dump(value));
}

Json fromText(const QVariant &value)
{
    if (value.isNull())
        return Json();
    const QByteArray text = value.toString().toUtf8();
    if (text.isEmpty())
        return Json();
    try {
        Json j = Json::parse(text.constBegin(), text.constEnd(), nullptr, false);
        return j.is_discarded() ? Json() : j;
    } catch (const std::exception &) {
        return Json();
    }
}

std::string str(const QString &s)
{
    return s.toStdString();
}

const QStringList &schemaStatements()
{
    // Events and node executions are clustered by run (WITHOUT ROWID), so loading one run reads
    // contiguous pages; runs keep their rowid, which breaks ties in the newest-first order.
    static const QStringList statements{
        QStringLiteral("CREATE TABLE IF NOT EXISTS runs ("
                       " run_id TEXT PRIMARY KEY NOT NULL,"
                       " workflow_name TEXT NOT NULL DEFAULT '',"
                       " status TEXT NOT NULL DEFAULT 'running',"
                       " error TEXT NOT NULL DEFAULT '',"
                       " workflow_hash TEXT NOT NULL DEFAULT '',"
                       " inputs TEXT,"
                       " query TEXT NOT NULL DEFAULT '',"
                       " files TEXT,"
                       " conversation_variables TEXT,"
                       " conversation_id TEXT NOT NULL DEFAULT '',"
                       " dialogue_count INTEGER NOT NULL DEFAULT 0,"
                       " outputs TEXT,"
                       " final_pool TEXT,"
                       " exceptions_count INTEGER NOT NULL DEFAULT 0,"
                       " started_ms INTEGER NOT NULL DEFAULT 0,"
                       " elapsed_ms INTEGER NOT NULL DEFAULT 0,"
                       " total_tokens INTEGER NOT NULL DEFAULT 0)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS runs_by_start ON runs(started_ms)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS runs_by_workflow ON runs(workflow_hash)"),
        // Workflow snapshots by content hash: running the same workflow a hundred times while
        // debugging stores it once.
        QStringLiteral("CREATE TABLE IF NOT EXISTS workflows ("
                       " hash TEXT PRIMARY KEY NOT NULL,"
                       " body TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS node_executions ("
                       " run_id TEXT NOT NULL,"
                       " execution_id TEXT NOT NULL,"
                       " seq INTEGER NOT NULL,"
                       " node_id TEXT NOT NULL,"
                       " node_kind TEXT NOT NULL DEFAULT '',"
                       " title TEXT NOT NULL DEFAULT '',"
                       " status TEXT NOT NULL DEFAULT '',"
                       " inputs TEXT,"
                       " process_data TEXT,"
                       " outputs TEXT,"
                       " usage TEXT,"
                       " metadata TEXT,"
                       " error TEXT NOT NULL DEFAULT '',"
                       " error_type TEXT NOT NULL DEFAULT '',"
                       " started_ms INTEGER NOT NULL DEFAULT 0,"
                       " elapsed_ms INTEGER NOT NULL DEFAULT 0,"
                       " retries INTEGER NOT NULL DEFAULT 0,"
                       " iteration_id TEXT NOT NULL DEFAULT '',"
                       " loop_id TEXT NOT NULL DEFAULT '',"
                       " item_index INTEGER NOT NULL DEFAULT -1,"
                       " PRIMARY KEY (run_id, execution_id)) WITHOUT ROWID"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS node_executions_by_node"
                       " ON node_executions(run_id, node_id)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS events ("
                       " run_id TEXT NOT NULL,"
                       " seq INTEGER NOT NULL,"
                       " type TEXT NOT NULL,"
                       " node_id TEXT NOT NULL DEFAULT '',"
                       " body TEXT NOT NULL,"
                       " PRIMARY KEY (run_id, seq)) WITHOUT ROWID"),
    };
    return statements;
}

Error sqlError(const QString &code, const QString &what, const QSqlError &error)
{
    // SQLite's own words ("file is not a database"); the driver's ("Unable to fetch row") only
    // when SQLite said nothing.
    QString detail = error.databaseText().trimmed();
    if (detail.isEmpty())
        detail = error.driverText().trimmed();
    if (detail.isEmpty())
        detail
            = QCoreApplication::translate("flowbench::store::RunStore", "unknown database error");
    return Error{
        code,
        QCoreApplication::translate("flowbench::store::RunStore", "%1: %2").arg(what, detail),
        {}};
}

// What the run row starts with (sent at RunStarted).
struct RunHeader
{
    QString runId;
    document::Workflow workflow; // turned into JSON on the writer thread
    Json inputs;
    QString query;
    Json files;
    Json conversationVariables;
    QString conversationId;
    int dialogueCount = 0;
    qint64 startedMs = 0;
};

// What the run row ends with (sent at `finished`).
struct RunFinal
{
    QString status;
    QString error;
    Json outputs = Json::object();
    Json finalPool; // null when the engine was gone before it could be read
    int exceptionsCount = 0;
    qint64 elapsedMs = 0;
    qint64 totalTokens = 0;
};

// One unit of work for the writer: written in one transaction.
struct Batch
{
    QString runId;
    std::optional<RunHeader> header;
    std::vector<RunEvent> events;
    std::optional<RunFinal> final;
};

// Lives on the writer thread and owns the writing connection and its prepared statements.
class Writer : public QObject
{
public:
    Result<void> open(const QString &path)
    {
        m_name = newConnectionName();
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (!db.open())
            return tl::unexpected(
                sqlError(QStringLiteral("store.open"),
                         QCoreApplication::translate("flowbench::store::RunStore",
                                                     "cannot open the run store %1")
                             .arg(QDir::toNativeSeparators(path)),
                         db.lastError()));
        QSqlQuery pragma(db);
        // The reader set WAL on the file; synchronous is per connection: NORMAL is durable
        // across application crashes, and commits need no fsync in WAL mode.
        pragma.exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
        // Null QStrings bind as NULL: the statements COALESCE them to '' for NOT NULL columns.
        const auto prepare = [&](std::optional<QSqlQuery> &q, const QString &sql) {
            q.emplace(db);
            return q->prepare(sql);
        };
        const bool ok
            = prepare(m_insertRun,
                      QStringLiteral(
                          "INSERT OR REPLACE INTO runs (run_id, workflow_name, status,"
                          " workflow_hash, inputs, query, files, conversation_variables,"
                          " conversation_id, dialogue_count, started_ms)"
                          " VALUES (?, COALESCE(?, ''), 'running', ?, ?, COALESCE(?, ''), ?, ?,"
                          " COALESCE(?, ''), ?, ?)"))
              && prepare(
                  m_finishRun,
                  QStringLiteral("UPDATE runs SET status = ?, error = COALESCE(?, ''), outputs = ?,"
                                 " final_pool = ?, exceptions_count = ?, elapsed_ms = ?,"
                                 " total_tokens = ? WHERE run_id = ?"))
              && prepare(m_insertEvent,
                         QStringLiteral("INSERT OR REPLACE INTO events (run_id, seq, type,"
                                        " node_id, body) VALUES (?, ?, ?, COALESCE(?, ''), ?)"))
              && prepare(m_upsertNode,
                         QStringLiteral(
                             "INSERT OR REPLACE INTO node_executions (run_id, execution_id, seq,"
                             " node_id, node_kind, title, status, inputs, process_data, outputs,"
                             " usage, metadata, error, error_type, started_ms, elapsed_ms,"
                             " retries, iteration_id, loop_id, item_index) VALUES (?, ?, ?, ?,"
                             " COALESCE(?, ''), COALESCE(?, ''), COALESCE(?, ''), ?, ?, ?, ?, ?,"
                             " COALESCE(?, ''), COALESCE(?, ''), ?, ?, ?, COALESCE(?, ''),"
                             " COALESCE(?, ''), ?)"))
              && prepare(m_deleteEvents, QStringLiteral("DELETE FROM events WHERE run_id = ?"))
              && prepare(m_deleteNodes,
                         QStringLiteral("DELETE FROM node_executions WHERE run_id = ?"))
              && prepare(m_deleteRun, QStringLiteral("DELETE FROM runs WHERE run_id = ?"))
              && prepare(
                  m_insertWorkflow,
                  QStringLiteral("INSERT OR IGNORE INTO workflows (hash, body) VALUES (?, ?)"))
              && prepare(m_deleteWorkflows,
                         QStringLiteral("DELETE FROM workflows WHERE hash = ? AND NOT EXISTS"
                                        " (SELECT 1 FROM runs WHERE workflow_hash = ?)"))
              && prepare(m_workflowOf,
                         QStringLiteral("SELECT workflow_hash FROM runs WHERE run_id = ?"));
        if (!ok) {
            QSqlError error;
            for (auto *q : queries()) {
                if (*q && (*q)->lastError().isValid())
                    error = (*q)->lastError();
            }
            return tl::unexpected(
                sqlError(QStringLiteral("store.schema"),
                         QCoreApplication::translate("flowbench::store::RunStore",
                                                     "cannot prepare the run store's queries"),
                         error));
        }
        return {};
    }

    void close()
    {
        for (auto *q : queries())
            q->reset();
        if (!m_name.isEmpty())
            dropConnection(m_name);
        m_name.clear();
    }

    Result<void> write(const Batch &batch)
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        if (!db.isOpen())
            return makeError(QStringLiteral("store.write"),
                             QCoreApplication::translate("flowbench::store::RunStore",
                                                         "the run store is closed"));
        if (!db.transaction())
            return tl::unexpected(sqlError(
                QStringLiteral("store.write"),
                QCoreApplication::translate("flowbench::store::RunStore", "cannot write run %1")
                    .arg(batch.runId),
                db.lastError()));
        RunState &state = m_runs[batch.runId];
        const auto failed = [&](const QSqlQuery &q) {
            const QSqlError error = q.lastError();
            db.rollback();
            return tl::unexpected(sqlError(
                QStringLiteral("store.write"),
                QCoreApplication::translate("flowbench::store::RunStore", "cannot write run %1")
                    .arg(batch.runId),
                error));
        };

        if (batch.header) {
            const RunHeader &h = *batch.header;
            QSqlQuery &q = *m_insertRun;
            q.bindValue(0, h.runId);
            const std::string snapshot
                = dump(document::documentJson(h.workflow, document::FileFormat::NativeJson));
            const QString hash = QString::fromLatin1(
                QCryptographicHash::hash(
                    QByteArrayView(snapshot.data(), qsizetype(snapshot.size())),
                    QCryptographicHash::Sha256)
                    .toHex());
            m_insertWorkflow->bindValue(0, hash);
            m_insertWorkflow->bindValue(1, QString::fromStdString(snapshot));
            if (!m_insertWorkflow->exec())
                return failed(*m_insertWorkflow);
            q.bindValue(1, h.workflow.name());
            q.bindValue(2, hash);
            q.bindValue(3, toText(h.inputs));
            q.bindValue(4, h.query);
            q.bindValue(5, toText(h.files));
            q.bindValue(6, toText(h.conversationVariables));
            q.bindValue(7, h.conversationId);
            q.bindValue(8, h.dialogueCount);
            q.bindValue(9, h.startedMs);
            if (!q.exec())
                return failed(q);
        }

        // Node rows are updated in place and stay dirty until a commit succeeds, so a failed
        // batch loses its events but not the latest state of its node executions.
        for (const RunEvent &e : batch.events) {
            QSqlQuery &q = *m_insertEvent;
            q.bindValue(0, batch.runId);
            q.bindValue(1, state.nextEvent++);
            q.bindValue(2, RunEvent::typeName(e.type));
            q.bindValue(3, e.nodeId);
            q.bindValue(4, toText(e.toJson()));
            if (!q.exec())
                return failed(q);
            if (!e.executionId.isEmpty() && apply(state, e))
                state.dirty.insert(e.executionId);
        }
        for (const QString &id : std::as_const(state.dirty)) {
            const NodeRow &row = state.nodes[id];
            const RecordedNodeExecution &n = row.node;
            QSqlQuery &q = *m_upsertNode;
            q.bindValue(0, batch.runId);
            q.bindValue(1, n.executionId);
            q.bindValue(2, row.seq);
            q.bindValue(3, n.nodeId);
            q.bindValue(4, n.nodeKind);
            q.bindValue(5, n.title);
            q.bindValue(6, n.status);
            q.bindValue(7, toText(n.inputs));
            q.bindValue(8, toText(n.processData));
            q.bindValue(9, toText(n.outputs));
            q.bindValue(10, toText(n.usage));
            q.bindValue(11, toText(n.metadata));
            q.bindValue(12, n.error);
            q.bindValue(13, n.errorType);
            q.bindValue(14, n.startedMs);
            q.bindValue(15, n.elapsedMs);
            q.bindValue(16, n.retries);
            q.bindValue(17, n.iterationId);
            q.bindValue(18, n.loopId);
            q.bindValue(19, n.index);
            if (!q.exec())
                return failed(q);
        }

        if (batch.final) {
            const RunFinal &f = *batch.final;
            QSqlQuery &q = *m_finishRun;
            q.bindValue(0, f.status);
            q.bindValue(1, f.error);
            q.bindValue(2, toText(f.outputs));
            q.bindValue(3, toText(f.finalPool));
            q.bindValue(4, f.exceptionsCount);
            q.bindValue(5, f.elapsedMs);
            q.bindValue(6, f.totalTokens);
            q.bindValue(7, batch.runId);
            if (!q.exec())
                return failed(q);
        }
        if (!db.commit()) {
            const QSqlError error = db.lastError();
            db.rollback();
            return tl::unexpected(sqlError(
                QStringLiteral("store.write"),
                QCoreApplication::translate("flowbench::store::RunStore", "cannot write run %1")
                    .arg(batch.runId),
                error));
        }
        if (batch.final) {
            m_runs.remove(batch.runId);
            return {};
        }
        // A finished execution gets no more events: only running ones stay in memory.
        for (const QString &id : std::as_const(state.dirty)) {
            const auto it = state.nodes.find(id);
            if (it != state.nodes.end() && it->node.status != QLatin1String("running")
                && it->node.status != QLatin1String("retry"))
                state.nodes.erase(it);
        }
        state.dirty.clear();
        return {};
    }

    Result<void> deleteRun(const QString &runId)
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        const auto failed = [&](const QSqlError &error) {
            db.rollback();
            return tl::unexpected(sqlError(
                QStringLiteral("store.write"),
                QCoreApplication::translate("flowbench::store::RunStore", "cannot delete run %1")
                    .arg(runId),
                error));
        };
        if (!db.transaction())
            return failed(db.lastError());
        m_workflowOf->bindValue(0, runId);
        if (!m_workflowOf->exec())
            return failed(m_workflowOf->lastError());
        if (!m_workflowOf->next()) {
            m_workflowOf->finish();
            db.rollback();
            return makeError(QStringLiteral("store.not-found"),
                             QCoreApplication::translate("flowbench::store::RunStore",
                                                         "there is no recorded run '%1'")
                                 .arg(runId));
        }
        const QString hash = m_workflowOf->value(0).toString();
        m_workflowOf->finish();
        for (auto *q : {&m_deleteEvents, &m_deleteNodes, &m_deleteRun}) {
            (*q)->bindValue(0, runId);
            if (!(*q)->exec())
                return failed((*q)->lastError());
        }
        // The snapshot goes with its last run.
        m_deleteWorkflows->bindValue(0, hash);
        m_deleteWorkflows->bindValue(1, hash);
        if (!m_deleteWorkflows->exec())
            return failed(m_deleteWorkflows->lastError());
        if (!db.commit())
            return failed(db.lastError());
        return {};
    }

private:
    struct NodeRow
    {
        RecordedNodeExecution node;
        int seq = 0;
    };
    struct RunState
    {
        qint64 nextEvent = 0;
        int nextNode = 0;
        QHash<QString, NodeRow> nodes; // by executionId, until the run's final write
        QSet<QString> dirty;
    };

    // Folds one node event into its execution row; false when the event changes no row.
    static bool apply(RunState &state, const RunEvent &e)
    {
        switch (e.type) {
        case RunEvent::Type::NodeStarted:
        case RunEvent::Type::NodeRetry:
        case RunEvent::Type::NodeSucceeded:
        case RunEvent::Type::NodeFailed:
        case RunEvent::Type::NodeException:
            break;
        default:
            return false; // stream chunks and container progress live in the events only
        }
        auto it = state.nodes.find(e.executionId);
        if (it == state.nodes.end()) {
            it = state.nodes.insert(e.executionId, NodeRow{});
            it->seq = state.nextNode++;
            RecordedNodeExecution &n = it->node;
            n.executionId = e.executionId;
            n.nodeId = e.nodeId;
            n.nodeKind = e.nodeKind;
            n.title = e.nodeTitle;
            n.iterationId = e.inIterationId;
            n.loopId = e.inLoopId;
            n.index = e.index;
            n.startedMs = e.timestampMs;
            n.status = QStringLiteral("running");
        }
        RecordedNodeExecution &n = it->node;
        switch (e.type) {
        case RunEvent::Type::NodeStarted:
            n.startedMs = e.timestampMs;
            if (!e.inputs.is_null())
                n.inputs = e.inputs;
            break;
        case RunEvent::Type::NodeRetry:
            n.status = QStringLiteral("retry");
            n.retries = std::max(n.retries, e.retryIndex);
            n.error = e.error;
            n.errorType = e.errorType;
            break;
        default: // finished: succeeded, failed or exception
            n.status = !e.status.isEmpty()                       ? e.status
                       : e.type == RunEvent::Type::NodeFailed    ? QStringLiteral("failed")
                       : e.type == RunEvent::Type::NodeException ? QStringLiteral("exception")
                                                                 : QStringLiteral("succeeded");
            n.inputs = e.inputs;
            n.processData = e.processData;
            n.outputs = e.outputs;
            n.usage = e.usage;
            n.metadata = e.metadata;
            n.error = e.error;
            n.errorType = e.errorType;
            n.elapsedMs = e.elapsedMs;
            break;
        }
        return true;
    }

    std::array<std::optional<QSqlQuery> *, 10> queries()
    {
        return {&m_insertRun,       &m_finishRun,   &m_insertEvent, &m_upsertNode,
                &m_deleteEvents,    &m_deleteNodes, &m_deleteRun,   &m_insertWorkflow,
                &m_deleteWorkflows, &m_workflowOf};
    }

    QString m_name;
    std::optional<QSqlQuery> m_insertRun, m_finishRun, m_insertEvent, m_upsertNode, m_deleteEvents,
        m_deleteNodes, m_deleteRun, m_insertWorkflow, m_deleteWorkflows, m_workflowOf;
    QHash<QString, RunState> m_runs;
};

// The owner thread's side of one recording: events wait here until the next flush.
struct Recording
{
    QPointer<runtime::GraphEngine> engine;
    QString runId;
    std::optional<RunHeader> header; // until sent
    std::vector<RunEvent> pending;
    std::optional<RunFinal> fromEvent; // the run-finished event, in case `finished` never comes
};

} // namespace

struct RunStore::Private
{
    RunStore *q = nullptr;
    QString path;
    QString readName;
    QThread thread;
    Writer *writer = nullptr;
    QTimer flushTimer;
    std::vector<std::shared_ptr<Recording>> recordings;

    void post(std::shared_ptr<Batch> batch)
    {
        Writer *w = writer;
        RunStore *store = q;
        // The store outlives every posted call: its destructor waits for the writer.
        QMetaObject::invokeMethod(
            writer,
            [w, store, batch] {
                const auto written = w->write(*batch);
                const QString runId = batch->runId;
                const bool final = batch->final.has_value();
                const QString error = written ? QString() : written.error().message;
                QMetaObject::invokeMethod(
                    store,
                    [store, runId, final, error] {
                        if (!error.isEmpty()) {
                            qWarning("run store: %s", qPrintable(error));
                            Q_EMIT store->writeFailed(runId, error);
                        } else if (final) {
                            Q_EMIT store->runSaved(runId);
                        }
                    },
                    Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
    }

    // Sends what a recording has buffered (and the run row when not sent yet).
    void send(Recording &r, std::optional<RunFinal> final = std::nullopt)
    {
        if (r.pending.empty() && !r.header && !final)
            return;
        auto batch = std::make_shared<Batch>();
        batch->runId = r.runId;
        if (r.header) {
            if (r.header->startedMs == 0)
                r.header->startedMs = QDateTime::currentMSecsSinceEpoch();
            batch->header = std::move(r.header);
            r.header.reset();
        }
        batch->events.swap(r.pending);
        batch->final = std::move(final);
        post(std::move(batch));
    }

    void flushAll()
    {
        for (const auto &r : recordings) {
            if (!r->header) // started: the run row is on its way
                send(*r);
        }
    }

    // Sends every buffer and waits until the writer has committed it.
    void sync()
    {
        flushAll();
        QMetaObject::invokeMethod(
            writer, [] {}, Qt::BlockingQueuedConnection);
    }

    void end(const std::shared_ptr<Recording> &r, RunFinal final)
    {
        if (r->engine)
            QObject::disconnect(r->engine, nullptr, q, nullptr);
        // An engine that never started leaves no run behind.
        if (!r->header || !r->pending.empty())
            send(*r, std::move(final));
        std::erase(recordings, r);
        if (recordings.empty())
            flushTimer.stop();
    }

    [[nodiscard]] QSqlDatabase reader() const { return QSqlDatabase::database(readName, false); }
};

RunStore::RunStore()
    : d(std::make_unique<Private>())
{
    d->q = this;
    d->flushTimer.setInterval(kFlushIntervalMs);
    connect(&d->flushTimer, &QTimer::timeout, this, [this] { d->flushAll(); });
}

RunStore::~RunStore()
{
    // Runs still going keep what they recorded so far; their status stays "running".
    for (const auto &r : d->recordings) {
        if (r->engine)
            QObject::disconnect(r->engine, nullptr, this, nullptr);
        if (!r->header)
            d->send(*r);
    }
    d->recordings.clear();
    if (d->writer) {
        Writer *w = d->writer;
        // Queued calls run in order, so this runs after every batch posted above.
        QMetaObject::invokeMethod(
            w, [w] { w->close(); }, Qt::BlockingQueuedConnection);
        d->thread.quit();
        d->thread.wait();
        delete d->writer;
        d->writer = nullptr;
    }
    if (!d->readName.isEmpty())
        dropConnection(d->readName);
}

QString RunStore::defaultPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return QDir(dir).filePath(QStringLiteral("runs.sqlite"));
}

QString RunStore::path() const
{
    return d->path;
}

Result<std::unique_ptr<RunStore>> RunStore::open(const QString &path)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return makeError(QStringLiteral("store.driver"),
                         QCoreApplication::translate(
                             "flowbench::store::RunStore",
                             "the Qt SQLite driver is not installed (libqt6sql6-sqlite)"));
    const QFileInfo info(path);
    if (!info.absoluteDir().exists() && !QDir().mkpath(info.absolutePath()))
        return makeError(
            QStringLiteral("store.open"),
            QCoreApplication::translate("flowbench::store::RunStore", "cannot create the folder %1")
                .arg(QDir::toNativeSeparators(info.absolutePath())));

    std::unique_ptr<RunStore> store(new RunStore);
    store->d->path = path;
    store->d->readName = newConnectionName();
    const QString name = store->d->readName;

    // Checks the file and creates the schema on the reading connection. The QSqlDatabase handle
    // lives only inside this lambda, so the destructor's removeDatabase finds it unused.
    const auto init = [&]() -> Result<void> {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (!db.open())
            return tl::unexpected(
                sqlError(QStringLiteral("store.open"),
                         QCoreApplication::translate("flowbench::store::RunStore",
                                                     "cannot open the run store %1")
                             .arg(QDir::toNativeSeparators(path)),
                         db.lastError()));
        QSqlQuery q(db);
        // SQLite reads the file lazily: this is the first read, where a damaged file shows.
        if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
            return tl::unexpected(sqlError(
                QStringLiteral("store.corrupt"),
                QCoreApplication::translate("flowbench::store::RunStore",
                                            "%1 is not a Flowbench run store or is damaged")
                    .arg(QDir::toNativeSeparators(path)),
                q.lastError()));
        const int version = q.value(0).toInt();
        q.finish();
        if (version > kSchemaVersion)
            return makeError(
                QStringLiteral("store.newer"),
                QCoreApplication::translate("flowbench::store::RunStore",
                                            "%1 was written by a newer Flowbench (run store schema "
                                            "version %2; this version reads up to %3)")
                    .arg(QDir::toNativeSeparators(path))
                    .arg(version)
                    .arg(kSchemaVersion));
        // A file whose header is intact but whose schema page is not fails here (a full
        // integrity check would read the whole file: too slow at every start).
        if (!q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) || !q.next())
            return tl::unexpected(
                sqlError(QStringLiteral("store.corrupt"),
                         QCoreApplication::translate("flowbench::store::RunStore", "%1 is damaged")
                             .arg(QDir::toNativeSeparators(path)),
                         q.lastError()));
        q.finish();
        if (!q.exec(QStringLiteral("PRAGMA journal_mode=WAL")))
            return tl::unexpected(
                sqlError(QStringLiteral("store.open"),
                         QCoreApplication::translate("flowbench::store::RunStore",
                                                     "cannot use the run store %1")
                             .arg(QDir::toNativeSeparators(path)),
                         q.lastError()));
        q.finish();
        if (version < kSchemaVersion) {
            if (!db.transaction())
                return tl::unexpected(
                    sqlError(QStringLiteral("store.schema"),
                             QCoreApplication::translate("flowbench::store::RunStore",
                                                         "cannot create the run store %1")
                                 .arg(QDir::toNativeSeparators(path)),
                             db.lastError()));
            QStringList statements = schemaStatements();
            statements << QStringLiteral("PRAGMA user_version=%1").arg(kSchemaVersion);
            for (const QString &sql : std::as_const(statements)) {
                if (!q.exec(sql)) {
                    const QSqlError error = q.lastError();
                    db.rollback();
                    return tl::unexpected(
                        sqlError(QStringLiteral("store.schema"),
                                 QCoreApplication::translate("flowbench::store::RunStore",
                                                             "cannot create the run store %1")
                                     .arg(QDir::toNativeSeparators(path)),
                                 error));
                }
            }
            if (!db.commit())
                return tl::unexpected(
                    sqlError(QStringLiteral("store.schema"),
                             QCoreApplication::translate("flowbench::store::RunStore",
                                                         "cannot create the run store %1")
                                 .arg(QDir::toNativeSeparators(path)),
                             db.lastError()));
        }
        return {};
    };
    if (auto ok = init(); !ok)
        return tl::unexpected(ok.error()); // the destructor drops the connection

    store->d->writer = new Writer;
    store->d->writer->moveToThread(&store->d->thread);
    store->d->thread.setObjectName(QStringLiteral("RunStore writer"));
    store->d->thread.start();
    Result<void> opened;
    Writer *w = store->d->writer;
    QMetaObject::invokeMethod(
        w, [w, &opened, path] { opened = w->open(path); }, Qt::BlockingQueuedConnection);
    if (!opened)
        return tl::unexpected(opened.error());
    return store;
}

void RunStore::record(runtime::GraphEngine *engine, const document::Workflow &workflow,
                      const runtime::RunOptions &options)
{
    FB_ASSERT(engine, return );
    FB_ASSERT(QThread::currentThread() == thread(), return );
    for (const auto &r : d->recordings) {
        if (r->engine == engine)
            return;
    }
    auto r = std::make_shared<Recording>();
    r->engine = engine;
    r->runId = engine->runId();
    RunHeader h;
    h.runId = r->runId;
    h.workflow = workflow;
    h.inputs = options.inputs.is_object() ? options.inputs : Json::object();
    h.query = options.query;
    h.files = options.files.is_null() ? Json::array() : options.files;
    h.conversationVariables
        = options.conversationVariables.is_null() ? Json::object() : options.conversationVariables;
    h.conversationId = options.conversationId;
    h.dialogueCount = options.dialogueCount;
    r->header = std::move(h);
    d->recordings.push_back(r);

    // The hot path: one copy into the buffer. The run row goes out at once at RunStarted.
    Recording *raw = r.get();
    connect(engine, &runtime::GraphEngine::runEvent, this, [this, raw](const RunEvent &e) {
        raw->pending.push_back(e);
        if (e.type == RunEvent::Type::RunStarted && raw->header) {
            raw->header->startedMs = e.timestampMs;
            d->send(*raw);
            if (!d->flushTimer.isActive())
                d->flushTimer.start();
        } else if (e.isRunFinished()) {
            RunFinal f;
            f.status = e.status.isEmpty() ? RunEvent::typeName(e.type).mid(4) : e.status;
            f.error = e.error;
            f.outputs = e.outputs.is_null() ? Json::object() : e.outputs;
            f.exceptionsCount = e.exceptionsCount;
            f.elapsedMs = e.elapsedMs;
            raw->fromEvent = std::move(f);
        }
    });
    std::weak_ptr<Recording> weak = r;
    connect(engine, &runtime::GraphEngine::finished, this, [this, weak, engine] {
        const auto rec = weak.lock();
        if (!rec)
            return;
        RunFinal f;
        f.status = runtime::runStatusName(engine->status());
        f.error = engine->error();
        f.outputs = engine->outputs();
        f.finalPool = engine->pool().toJson();
        f.exceptionsCount = engine->exceptionsCount();
        f.elapsedMs = engine->elapsedMs();
        f.totalTokens = engine->totalTokens();
        d->end(rec, std::move(f));
    });
    connect(engine, &QObject::destroyed, this, [this, weak] {
        const auto rec = weak.lock();
        if (!rec)
            return;
        RunFinal f;
        if (rec->fromEvent) {
            f = *rec->fromEvent;
        } else {
            f.status = runtime::runStatusName(runtime::RunStatus::Stopped);
            f.error = tr("the run ended without finishing (its engine was destroyed)");
        }
        d->end(rec, std::move(f));
    });
    if (engine->status() != runtime::RunStatus::NotStarted) {
        // Recording a run that has started already: keep what comes from now on.
        d->send(*r);
        d->flushTimer.start();
    }
}

void RunStore::flush()
{
    FB_ASSERT(QThread::currentThread() == thread(), return );
    d->sync();
}

Result<RecordedRun> RunStore::loadRun(const QString &runId) const
{
    FB_ASSERT(QThread::currentThread() == thread(),
              return makeError(QStringLiteral("store.thread"),
                               QStringLiteral("RunStore used from another thread")));
    d->sync();
    QSqlDatabase db = d->reader();
    const auto readError = [&](const QSqlQuery &q) {
        return tl::unexpected(sqlError(QStringLiteral("store.read"),
                                       tr("cannot read run %1").arg(runId), q.lastError()));
    };
    RecordedRun run;
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral(
            "SELECT run_id, workflow_name, status, error,"
            " (SELECT body FROM workflows WHERE hash = workflow_hash), inputs, query, files,"
            " conversation_variables, conversation_id, dialogue_count, outputs, final_pool,"
            " exceptions_count, started_ms, elapsed_ms, total_tokens FROM runs WHERE run_id = ?"));
        q.addBindValue(runId);
        if (!q.exec())
            return readError(q);
        if (!q.next())
            return makeError(QStringLiteral("store.not-found"),
                             tr("there is no recorded run '%1'").arg(runId));
        run.runId = q.value(0).toString();
        run.workflowName = q.value(1).toString();
        run.status = q.value(2).toString();
        run.error = q.value(3).toString();
        run.workflow = fromText(q.value(4));
        const auto orElse = [](Json j, Json fallback) { return j.is_null() ? fallback : j; };
        run.inputs = orElse(fromText(q.value(5)), Json::object());
        run.query = q.value(6).toString();
        run.files = orElse(fromText(q.value(7)), Json::array());
        run.conversationVariables = orElse(fromText(q.value(8)), Json::object());
        run.conversationId = q.value(9).toString();
        run.dialogueCount = q.value(10).toInt();
        run.outputs = orElse(fromText(q.value(11)), Json::object());
        run.finalPool = orElse(fromText(q.value(12)), Json::object());
        run.exceptionsCount = q.value(13).toInt();
        run.startedMs = q.value(14).toLongLong();
        run.elapsedMs = q.value(15).toLongLong();
        run.totalTokens = q.value(16).toLongLong();
    }
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral(
            "SELECT execution_id, node_id, node_kind, title, status, inputs, process_data,"
            " outputs, usage, metadata, error, error_type, started_ms, elapsed_ms, retries,"
            " iteration_id, loop_id, item_index FROM node_executions WHERE run_id = ?"
            " ORDER BY seq"));
        q.addBindValue(runId);
        if (!q.exec())
            return readError(q);
        while (q.next()) {
            RecordedNodeExecution n;
            n.executionId = q.value(0).toString();
            n.nodeId = q.value(1).toString();
            n.nodeKind = q.value(2).toString();
            n.title = q.value(3).toString();
            n.status = q.value(4).toString();
            n.inputs = fromText(q.value(5));
            n.processData = fromText(q.value(6));
            n.outputs = fromText(q.value(7));
            n.usage = fromText(q.value(8));
            n.metadata = fromText(q.value(9));
            n.error = q.value(10).toString();
            n.errorType = q.value(11).toString();
            n.startedMs = q.value(12).toLongLong();
            n.elapsedMs = q.value(13).toLongLong();
            n.retries = q.value(14).toInt();
            n.iterationId = q.value(15).toString();
            n.loopId = q.value(16).toString();
            n.index = q.value(17).toInt();
            run.nodes.push_back(std::move(n));
        }
    }
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT body FROM events WHERE run_id = ? ORDER BY seq"));
        q.addBindValue(runId);
        if (!q.exec())
            return readError(q);
        while (q.next())
            run.events.push_back(fromText(q.value(0)));
    }
    return run;
}

QList<RunSummary> RunStore::listRuns(int limit) const
{
    QList<RunSummary> out;
    FB_ASSERT(QThread::currentThread() == thread(), return out);
    d->sync();
    QSqlQuery q(d->reader());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT run_id, workflow_name, status, started_ms, elapsed_ms,"
                             " total_tokens, exceptions_count FROM runs"
                             " ORDER BY started_ms DESC, rowid DESC LIMIT ?"));
    q.addBindValue(limit < 0 ? -1 : limit);
    if (!q.exec()) {
        qWarning("run store: cannot list runs: %s", qPrintable(q.lastError().text()));
        return out;
    }
    while (q.next()) {
        RunSummary s;
        s.runId = q.value(0).toString();
        s.workflowName = q.value(1).toString();
        s.status = q.value(2).toString();
        s.startedMs = q.value(3).toLongLong();
        s.elapsedMs = q.value(4).toLongLong();
        s.totalTokens = q.value(5).toLongLong();
        s.exceptionsCount = q.value(6).toInt();
        out.append(s);
    }
    return out;
}

Result<void> RunStore::deleteRun(const QString &runId)
{
    FB_ASSERT(QThread::currentThread() == thread(),
              return makeError(QStringLiteral("store.thread"), QStringLiteral("wrong thread")));
    for (const auto &r : d->recordings) {
        if (r->runId == runId)
            return makeError(QStringLiteral("store.busy"),
                             tr("run %1 is still being recorded").arg(runId));
    }
    flush();
    Result<void> result;
    Writer *w = d->writer;
    QMetaObject::invokeMethod(
        w, [w, &result, runId] { result = w->deleteRun(runId); }, Qt::BlockingQueuedConnection);
    return result;
}

Result<document::Workflow> recordedWorkflow(const RecordedRun &run)
{
    if (!run.workflow.is_object())
        return makeError(QStringLiteral("store.workflow"),
                         QCoreApplication::translate("flowbench::store::RunStore",
                                                     "run %1 has no workflow snapshot")
                             .arg(run.runId));
    return document::Workflow::fromJson(run.workflow);
}

bool isIoKind(const QString &kind)
{
    static const QSet<QString> kinds{
        QStringLiteral("llm"),
        QStringLiteral("question-classifier"),
        QStringLiteral("parameter-extractor"),
        QStringLiteral("agent"),
        QStringLiteral("tool"),
        QStringLiteral("knowledge-retrieval"),
        QStringLiteral("http-request"),
        QStringLiteral("document-extractor"),
        QStringLiteral("code"),
    };
    return kinds.contains(kind);
}

namespace {

runtime::RunOptions sameInputs(const RecordedRun &run)
{
    runtime::RunOptions o;
    o.inputs = run.inputs.is_object() ? run.inputs : Json::object();
    o.query = run.query;
    o.files = run.files.is_array() ? run.files : Json::array();
    o.conversationVariables
        = run.conversationVariables.is_object() ? run.conversationVariables : Json::object();
    o.conversationId = run.conversationId;
    o.dialogueCount = run.dialogueCount;
    return o;
}

} // namespace

runtime::RunOptions replayOptions(const RecordedRun &run)
{
    runtime::RunOptions o = sameInputs(run);
    // A code node that gave different outputs in different executions (one per iteration item)
    // would be wrong pinned to one of them; code calls nothing, so it runs again instead.
    QHash<QString, Json> firstCodeOutputs;
    QSet<QString> varyingCode;
    for (const RecordedNodeExecution &n : run.nodes) {
        if (n.nodeKind != QLatin1String("code") || n.status != QLatin1String("succeeded"))
            continue;
        const auto it = firstCodeOutputs.constFind(n.nodeId);
        if (it == firstCodeOutputs.cend())
            firstCodeOutputs.insert(n.nodeId, n.outputs);
        else if (*it != n.outputs)
            varyingCode.insert(n.nodeId);
    }
    // Executions are in start order, so a later one (the next loop round) replaces an earlier.
    for (const RecordedNodeExecution &n : run.nodes) {
        if (!isIoKind(n.nodeKind) || varyingCode.contains(n.nodeId))
            continue;
        const bool defaultValue
            = n.metadata.is_object()
              && n.metadata.value("error_strategy", std::string()) == "default-value";
        if (n.status == QLatin1String("succeeded")
            || (n.status == QLatin1String("exception") && defaultValue)) {
            o.pinnedOutputs.insert(n.nodeId, n.outputs.is_object() ? n.outputs : Json::object());
            o.forcedFailures.remove(n.nodeId);
        } else if (n.status == QLatin1String("failed") || n.status == QLatin1String("exception")) {
            o.forcedFailures.insert(n.nodeId, n.error);
            o.pinnedOutputs.remove(n.nodeId);
        } else {
            o.forcedFailures.insert(
                n.nodeId, QCoreApplication::translate("flowbench::store::RunStore",
                                                      "the recording has no result for this node "
                                                      "(the run ended while it ran)"));
            o.pinnedOutputs.remove(n.nodeId);
        }
    }
    return o;
}

runtime::RunOptions rerunFromOptions(const RecordedRun &run, const QString &nodeId)
{
    runtime::RunOptions o = sameInputs(run);
    o.startNodeId = nodeId;
    variables::VariablePool pool = variables::VariablePool::fromJson(run.finalPool);
    if (auto wf = recordedWorkflow(run)) {
        // The node, everything reachable from it, and the children of containers among them.
        QSet<QString> seen{nodeId};
        QStringList work{nodeId};
        while (!work.isEmpty()) {
            const QString id = work.takeLast();
            QStringList next;
            for (const document::Edge *e : wf->outgoingEdges(id))
                next << e->target;
            next << wf->childrenOf(id);
            for (const QString &t : std::as_const(next)) {
                if (!seen.contains(t)) {
                    seen.insert(t);
                    work << t;
                }
            }
        }
        for (const QString &id : std::as_const(seen))
            pool.removeScope(str(id));
    } else {
        pool.removeScope(str(nodeId));
    }
    o.initialPool = std::move(pool);
    return o;
}

} // namespace flowbench::store

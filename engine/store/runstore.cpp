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
        // Schema 2: the turns of chatflow conversations, with the conversation variables as
        // they were after each turn.
        QStringLiteral("CREATE TABLE IF NOT EXISTS conversations ("
                       " conversation_id TEXT NOT NULL,"
                       " turn_index INTEGER NOT NULL,"
                       " run_id TEXT NOT NULL DEFAULT '',"
                       " query TEXT NOT NULL DEFAULT '',"
                       " answer TEXT NOT NULL DEFAULT '',"
                       " created_ms INTEGER NOT NULL DEFAULT 0,"
                       " conversation_variables TEXT,"
                       " PRIMARY KEY (conversation_id, turn_index)) WITHOUT ROWID"),
    };
    return statements;
}

// Token metering (metering::UsageRecord). Created on every open (IF NOT EXISTS), so files of any
// schema version get it without a version bump. Every group-by column leads an index with the
// time after it, so a filtered aggregation (one app this week) reads only its range.
const QStringList &usageSchemaStatements()
{
    static const QStringList statements{
        QStringLiteral("CREATE TABLE IF NOT EXISTS usage_records ("
                       " id INTEGER PRIMARY KEY,"
                       " ts_ms INTEGER NOT NULL,"
                       " run_id TEXT NOT NULL DEFAULT '',"
                       " execution_id TEXT NOT NULL DEFAULT '',"
                       " node_id TEXT NOT NULL DEFAULT '',"
                       " node_kind TEXT NOT NULL DEFAULT '',"
                       " app_id TEXT NOT NULL DEFAULT '',"
                       " user_id TEXT NOT NULL DEFAULT '',"
                       " endpoint TEXT NOT NULL DEFAULT '',"
                       " model TEXT NOT NULL DEFAULT '',"
                       " prompt_tokens INTEGER NOT NULL DEFAULT 0,"
                       " completion_tokens INTEGER NOT NULL DEFAULT 0,"
                       " reasoning_tokens INTEGER NOT NULL DEFAULT 0,"
                       " cached_tokens INTEGER NOT NULL DEFAULT 0,"
                       " image_count INTEGER NOT NULL DEFAULT 0,"
                       " ttft_ms INTEGER,"
                       " latency_ms INTEGER NOT NULL DEFAULT 0,"
                       " cost REAL,"
                       " currency TEXT NOT NULL DEFAULT '',"
                       " cost_usd REAL)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS usage_by_run ON usage_records(run_id, node_id)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS usage_by_time ON usage_records(ts_ms)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS usage_by_model ON usage_records(model, ts_ms)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS usage_by_app ON usage_records(app_id, ts_ms)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS usage_by_user ON usage_records(user_id, ts_ms)"),
        QStringLiteral(
            "CREATE INDEX IF NOT EXISTS usage_by_endpoint ON usage_records(endpoint, ts_ms)"),
        // Hourly totals per (model, app, user, endpoint, node kind), kept up to date in the
        // same transaction as the records: aggregations by those columns or by hour/day over
        // whole hours read this instead of every record (a million records of a month are a
        // few tens of thousands of rows here).
        QStringLiteral("CREATE TABLE IF NOT EXISTS usage_rollup ("
                       " hour_ms INTEGER NOT NULL,"
                       " model TEXT NOT NULL,"
                       " app_id TEXT NOT NULL,"
                       " user_id TEXT NOT NULL,"
                       " endpoint TEXT NOT NULL,"
                       " node_kind TEXT NOT NULL,"
                       " calls INTEGER NOT NULL,"
                       " prompt_tokens INTEGER NOT NULL,"
                       " completion_tokens INTEGER NOT NULL,"
                       " reasoning_tokens INTEGER NOT NULL,"
                       " cached_tokens INTEGER NOT NULL,"
                       " image_count INTEGER NOT NULL,"
                       " latency_ms INTEGER NOT NULL,"
                       " cost_usd REAL NOT NULL,"
                       " unpriced INTEGER NOT NULL,"
                       " PRIMARY KEY (hour_ms, model, app_id, user_id, endpoint, node_kind))"
                       " WITHOUT ROWID"),
    };
    return statements;
}

// Fills usage_rollup from usage_records (a file whose records predate the rollup table).
const QString &usageRollupBackfill()
{
    static const QString sql = QStringLiteral(
        "INSERT OR REPLACE INTO usage_rollup SELECT (ts_ms / 3600000) * 3600000, model, app_id,"
        " user_id, endpoint, node_kind, COUNT(*), SUM(prompt_tokens), SUM(completion_tokens),"
        " SUM(reasoning_tokens), SUM(cached_tokens), SUM(image_count), SUM(latency_ms),"
        " TOTAL(cost_usd), SUM(cost_usd IS NULL) FROM usage_records GROUP BY 1, 2, 3, 4, 5, 6");
    return sql;
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

    Result<void> appendTurn(const QString &conversationId, const QString &runId,
                            const QString &query, const QString &answer, const Json &variables)
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        const auto failed = [&](const QSqlError &error) {
            db.rollback();
            return tl::unexpected(
                sqlError(QStringLiteral("store.write"),
                         QCoreApplication::translate("flowbench::store::RunStore",
                                                     "cannot save the turn of conversation %1")
                             .arg(conversationId),
                         error));
        };
        if (!db.isOpen() || !db.transaction())
            return failed(db.lastError());
        QSqlQuery q(db);
        q.prepare(QStringLiteral(
            "INSERT INTO conversations (conversation_id, turn_index, run_id, query, answer,"
            " created_ms, conversation_variables) VALUES (?, (SELECT COALESCE(MAX(turn_index) + 1,"
            " 0) FROM conversations WHERE conversation_id = ?), COALESCE(?, ''), COALESCE(?, ''),"
            " COALESCE(?, ''), ?, ?)"));
        q.addBindValue(conversationId);
        q.addBindValue(conversationId);
        q.addBindValue(runId);
        q.addBindValue(query);
        q.addBindValue(answer);
        q.addBindValue(QDateTime::currentMSecsSinceEpoch());
        q.addBindValue(toText(variables.is_object() ? variables : Json::object()));
        if (!q.exec())
            return failed(q.lastError());
        q.finish();
        if (!db.commit())
            return failed(db.lastError());
        return {};
    }

    // Token metering: one transaction per batch, one prepared statement.
    Result<void> writeUsage(const std::vector<metering::UsageRecord> &records)
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        const auto failed = [&](const QSqlError &error) {
            db.rollback();
            return tl::unexpected(sqlError(QStringLiteral("store.write"),
                                           QCoreApplication::translate("flowbench::store::RunStore",
                                                                       "cannot save usage records"),
                                           error));
        };
        if (!db.isOpen() || !db.transaction())
            return failed(db.lastError());
        if (!m_insertUsage) {
            m_insertUsage.emplace(db);
            if (!m_insertUsage->prepare(QStringLiteral(
                    "INSERT INTO usage_records (ts_ms, run_id, execution_id, node_id, node_kind,"
                    " app_id, user_id, endpoint, model, prompt_tokens, completion_tokens,"
                    " reasoning_tokens, cached_tokens, image_count, ttft_ms, latency_ms, cost,"
                    " currency, cost_usd) VALUES (?, COALESCE(?, ''), COALESCE(?, ''),"
                    " COALESCE(?, ''), COALESCE(?, ''), COALESCE(?, ''), COALESCE(?, ''),"
                    " COALESCE(?, ''), COALESCE(?, ''), ?, ?, ?, ?, ?, ?, ?, ?, COALESCE(?, ''),"
                    " ?)"))) {
                const QSqlError error = m_insertUsage->lastError();
                m_insertUsage.reset();
                return failed(error);
            }
        }
        if (!m_upsertRollup) {
            m_upsertRollup.emplace(db);
            if (!m_upsertRollup->prepare(QStringLiteral(
                    "INSERT INTO usage_rollup (hour_ms, model, app_id, user_id, endpoint,"
                    " node_kind, calls, prompt_tokens, completion_tokens, reasoning_tokens,"
                    " cached_tokens, image_count, latency_ms, cost_usd, unpriced) VALUES (?,"
                    " COALESCE(?, ''), COALESCE(?, ''), COALESCE(?, ''), COALESCE(?, ''),"
                    " COALESCE(?, ''), 1, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET"
                    " calls = calls + 1, prompt_tokens = prompt_tokens + excluded.prompt_tokens,"
                    " completion_tokens = completion_tokens + excluded.completion_tokens,"
                    " reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens,"
                    " cached_tokens = cached_tokens + excluded.cached_tokens,"
                    " image_count = image_count + excluded.image_count,"
                    " latency_ms = latency_ms + excluded.latency_ms,"
                    " cost_usd = cost_usd + excluded.cost_usd,"
                    " unpriced = unpriced + excluded.unpriced"))) {
                const QSqlError error = m_upsertRollup->lastError();
                m_upsertRollup.reset();
                return failed(error);
            }
        }
        QSqlQuery &q = *m_insertUsage;
        QSqlQuery &rollup = *m_upsertRollup;
        for (const metering::UsageRecord &r : records) {
            rollup.bindValue(0, r.timestampMs - r.timestampMs % 3600000);
            rollup.bindValue(1, r.model);
            rollup.bindValue(2, r.appId);
            rollup.bindValue(3, r.userId);
            rollup.bindValue(4, r.endpoint);
            rollup.bindValue(5, r.nodeKind);
            rollup.bindValue(6, r.promptTokens);
            rollup.bindValue(7, r.completionTokens);
            rollup.bindValue(8, r.reasoningTokens);
            rollup.bindValue(9, r.cachedTokens);
            rollup.bindValue(10, r.imageCount);
            rollup.bindValue(11, r.latencyMs);
            rollup.bindValue(12, r.costUsd.value_or(0.0));
            rollup.bindValue(13, r.costUsd ? 0 : 1);
            if (!rollup.exec())
                return failed(rollup.lastError());
            q.bindValue(0, r.timestampMs);
            q.bindValue(1, r.runId);
            q.bindValue(2, r.executionId);
            q.bindValue(3, r.nodeId);
            q.bindValue(4, r.nodeKind);
            q.bindValue(5, r.appId);
            q.bindValue(6, r.userId);
            q.bindValue(7, r.endpoint);
            q.bindValue(8, r.model);
            q.bindValue(9, r.promptTokens);
            q.bindValue(10, r.completionTokens);
            q.bindValue(11, r.reasoningTokens);
            q.bindValue(12, r.cachedTokens);
            q.bindValue(13, r.imageCount);
            q.bindValue(14, r.ttftMs >= 0 ? QVariant(r.ttftMs) : QVariant());
            q.bindValue(15, r.latencyMs);
            q.bindValue(16, r.cost ? QVariant(*r.cost) : QVariant());
            q.bindValue(17, r.currency);
            q.bindValue(18, r.costUsd ? QVariant(*r.costUsd) : QVariant());
            if (!q.exec())
                return failed(q.lastError());
        }
        if (!db.commit())
            return failed(db.lastError());
        return {};
    }
    void closeUsage()
    {
        m_insertUsage.reset();
        m_upsertRollup.reset();
    }
    std::optional<QSqlQuery> m_insertUsage;
    std::optional<QSqlQuery> m_upsertRollup;

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
    // Token metering: records waiting for the writer, and the timer that sends them.
    std::vector<metering::UsageRecord> pendingUsage;
    QTimer usageTimer;

    void postUsage()
    {
        usageTimer.stop();
        if (pendingUsage.empty())
            return;
        auto batch = std::make_shared<std::vector<metering::UsageRecord>>();
        batch->swap(pendingUsage);
        Writer *w = writer;
        RunStore *store = q;
        QMetaObject::invokeMethod(
            writer,
            [w, store, batch] {
                const auto written = w->writeUsage(*batch);
                if (written)
                    return;
                const QString error = written.error().message;
                QMetaObject::invokeMethod(
                    store,
                    [store, error] {
                        qWarning("run store: %s", qPrintable(error));
                        Q_EMIT store->writeFailed(QString(), error);
                    },
                    Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
    }

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
    d->usageTimer.setSingleShot(true);
    d->usageTimer.setInterval(kFlushIntervalMs);
    connect(&d->usageTimer, &QTimer::timeout, this, [this] { d->postUsage(); });
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
        d->postUsage();
        Writer *w = d->writer;
        // Queued calls run in order, so this runs after every batch posted above.
        QMetaObject::invokeMethod(
            w,
            [w] {
                w->closeUsage();
                w->close();
            },
            Qt::BlockingQueuedConnection);
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
        const bool hadRollup
            = q.exec(QStringLiteral("SELECT 1 FROM sqlite_master WHERE name = 'usage_rollup'"))
              && q.next();
        q.finish();
        QStringList usageStatements = usageSchemaStatements();
        if (!hadRollup)
            usageStatements << usageRollupBackfill();
        for (const QString &sql : std::as_const(usageStatements)) {
            if (!q.exec(sql))
                return tl::unexpected(
                    sqlError(QStringLiteral("store.schema"),
                             QCoreApplication::translate("flowbench::store::RunStore",
                                                         "cannot create the run store %1")
                                 .arg(QDir::toNativeSeparators(path)),
                             q.lastError()));
            q.finish();
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

namespace {

QList<RunSummary> readSummaries(QSqlQuery &q)
{
    QList<RunSummary> out;
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
        s.error = q.value(7).toString();
        out.append(s);
    }
    return out;
}

} // namespace

QList<RunSummary> RunStore::listRuns(int limit) const
{
    FB_ASSERT(QThread::currentThread() == thread(), return {});
    d->sync();
    QSqlQuery q(d->reader());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT run_id, workflow_name, status, started_ms, elapsed_ms,"
                             " total_tokens, exceptions_count, error FROM runs"
                             " ORDER BY started_ms DESC, rowid DESC LIMIT ?"));
    q.addBindValue(limit < 0 ? -1 : limit);
    return readSummaries(q);
}

QList<RunSummary> RunStore::listRunsOfWorkflow(const QString &workflowName, int limit) const
{
    FB_ASSERT(QThread::currentThread() == thread(), return {});
    d->sync();
    QSqlQuery q(d->reader());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT run_id, workflow_name, status, started_ms, elapsed_ms,"
                             " total_tokens, exceptions_count, error FROM runs"
                             " WHERE workflow_name = ? ORDER BY started_ms DESC, rowid DESC"
                             " LIMIT ?"));
    q.addBindValue(workflowName);
    q.addBindValue(limit < 0 ? -1 : limit);
    return readSummaries(q);
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

Result<void> RunStore::appendTurn(const QString &conversationId, const QString &runId,
                                  const QString &query, const QString &answer,
                                  const Json &conversationVariables)
{
    FB_ASSERT(QThread::currentThread() == thread(),
              return makeError(QStringLiteral("store.thread"), QStringLiteral("wrong thread")));
    Result<void> result;
    Writer *w = d->writer;
    QMetaObject::invokeMethod(
        w,
        [&] {
            result = w->appendTurn(conversationId, runId, query, answer, conversationVariables);
        },
        Qt::BlockingQueuedConnection);
    return result;
}

Result<ConversationState> RunStore::loadConversation(const QString &conversationId) const
{
    FB_ASSERT(QThread::currentThread() == thread(),
              return makeError(QStringLiteral("store.thread"), QStringLiteral("wrong thread")));
    d->sync();
    QSqlQuery q(d->reader());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT query, answer, run_id, conversation_variables"
                             " FROM conversations WHERE conversation_id = ? ORDER BY turn_index"));
    q.addBindValue(conversationId);
    if (!q.exec())
        return tl::unexpected(sqlError(
            QStringLiteral("store.read"),
            QCoreApplication::translate("flowbench::store::RunStore", "cannot read conversation %1")
                .arg(conversationId),
            q.lastError()));
    ConversationState state;
    Json last;
    while (q.next()) {
        state.history.push_back({q.value(0).toString(), q.value(1).toString()});
        state.runIds << q.value(2).toString();
        last = fromText(q.value(3));
    }
    state.conversationVariables = last.is_object() ? last : Json::object();
    state.dialogueCount = static_cast<int>(state.history.size());
    return state;
}

void RunStore::appendUsage(const metering::UsageRecord &record)
{
    FB_ASSERT(QThread::currentThread() == thread(), return );
    d->pendingUsage.push_back(record);
    if (d->pendingUsage.size() >= 1000)
        d->postUsage();
    else if (!d->usageTimer.isActive())
        d->usageTimer.start();
}

Result<void> RunStore::appendUsageBatch(const std::vector<metering::UsageRecord> &records)
{
    FB_ASSERT(QThread::currentThread() == thread(),
              return makeError(QStringLiteral("store.thread"), QStringLiteral("wrong thread")));
    d->postUsage(); // keeps the order
    Result<void> result;
    Writer *w = d->writer;
    QMetaObject::invokeMethod(
        w, [&] { result = w->writeUsage(records); }, Qt::BlockingQueuedConnection);
    return result;
}

namespace {

// The WHERE clause of a usage filter and its bound values, in order.
QString usageWhere(const metering::UsageFilter &f, QVariantList *values)
{
    QStringList terms;
    const auto eq = [&](const char *column, const QString &value) {
        if (value.isEmpty())
            return;
        terms << QString::fromLatin1(column) + QStringLiteral(" = ?");
        values->append(value);
    };
    eq("run_id", f.runId);
    eq("node_id", f.nodeId);
    eq("model", f.model);
    eq("app_id", f.appId);
    eq("user_id", f.userId);
    eq("endpoint", f.endpoint);
    if (f.fromMs != 0) {
        terms << QStringLiteral("ts_ms >= ?");
        values->append(f.fromMs);
    }
    if (f.toMs != 0) {
        terms << QStringLiteral("ts_ms < ?");
        values->append(f.toMs);
    }
    return terms.isEmpty() ? QString()
                           : QStringLiteral(" WHERE ") + terms.join(QStringLiteral(" AND "));
}

} // namespace

Result<std::vector<metering::UsageTotals>>
RunStore::aggregateUsage(metering::UsageGroup by, const metering::UsageFilter &filter) const
{
    FB_ASSERT(QThread::currentThread() == thread(),
              return makeError(QStringLiteral("store.thread"), QStringLiteral("wrong thread")));
    d->postUsage();
    d->sync();
    using G = metering::UsageGroup;
    const qint64 width = filter.bucketMs > 0 ? filter.bucketMs : 86400000;
    QString key;
    switch (by) {
    case G::Run:
        key = QStringLiteral("run_id");
        break;
    case G::Node:
        key = QStringLiteral("node_id");
        break;
    case G::NodeKind:
        key = QStringLiteral("node_kind");
        break;
    case G::Model:
        key = QStringLiteral("model");
        break;
    case G::App:
        key = QStringLiteral("app_id");
        break;
    case G::User:
        key = QStringLiteral("user_id");
        break;
    case G::Endpoint:
        key = QStringLiteral("endpoint");
        break;
    case G::Time:
        // Integers only (no user text in the SQL): the bucket start in UTC ms.
        key = QStringLiteral("((ts_ms + %1) / %2) * %2 - %1").arg(filter.utcOffsetMs).arg(width);
        break;
    }
    QVariantList values;
    const QString where = usageWhere(filter, &values);
    // The hourly rollup answers whenever whole hours are asked for: no run or node in the
    // filter or the grouping, hour-aligned window and buckets.
    constexpr qint64 hour = 3600000;
    const bool rollup = by != G::Run && by != G::Node && filter.runId.isEmpty()
                        && filter.nodeId.isEmpty() && filter.fromMs % hour == 0
                        && filter.toMs % hour == 0
                        && (by != G::Time || (width % hour == 0 && filter.utcOffsetMs % hour == 0));
    QString sql;
    if (rollup) {
        QString rollupKey = key;
        rollupKey.replace(QStringLiteral("ts_ms"), QStringLiteral("hour_ms"));
        QString rollupWhere = where;
        rollupWhere.replace(QStringLiteral("ts_ms"), QStringLiteral("hour_ms"));
        sql = QStringLiteral("SELECT %1, SUM(calls), SUM(prompt_tokens), SUM(completion_tokens),"
                             " SUM(reasoning_tokens), SUM(cached_tokens), SUM(image_count),"
                             " SUM(latency_ms), TOTAL(cost_usd), SUM(unpriced)"
                             " FROM usage_rollup%2 GROUP BY 1 ORDER BY 1")
                  .arg(rollupKey, rollupWhere);
    } else {
        sql = QStringLiteral("SELECT %1, COUNT(*), SUM(prompt_tokens), SUM(completion_tokens),"
                             " SUM(reasoning_tokens), SUM(cached_tokens), SUM(image_count),"
                             " SUM(latency_ms), TOTAL(cost_usd), SUM(cost_usd IS NULL)"
                             " FROM usage_records%2 GROUP BY 1 ORDER BY 1")
                  .arg(key, where);
    }
    QSqlQuery q(d->reader());
    q.setForwardOnly(true);
    q.prepare(sql);
    for (const QVariant &v : std::as_const(values))
        q.addBindValue(v);
    if (!q.exec())
        return tl::unexpected(sqlError(
            QStringLiteral("store.read"),
            QCoreApplication::translate("flowbench::store::RunStore", "cannot read usage records"),
            q.lastError()));
    std::vector<metering::UsageTotals> out;
    while (q.next()) {
        metering::UsageTotals t;
        t.key = q.value(0).toString();
        if (by == G::Time)
            t.bucketMs = q.value(0).toLongLong();
        t.calls = q.value(1).toLongLong();
        t.promptTokens = q.value(2).toLongLong();
        t.completionTokens = q.value(3).toLongLong();
        t.reasoningTokens = q.value(4).toLongLong();
        t.cachedTokens = q.value(5).toLongLong();
        t.imageCount = q.value(6).toLongLong();
        t.latencyMsSum = q.value(7).toLongLong();
        t.costUsd = q.value(8).toDouble();
        t.unpricedCalls = q.value(9).toLongLong();
        out.push_back(std::move(t));
    }
    return out;
}

Result<std::vector<metering::UsageRecord>> RunStore::loadUsage(const metering::UsageFilter &filter,
                                                               int limit) const
{
    FB_ASSERT(QThread::currentThread() == thread(),
              return makeError(QStringLiteral("store.thread"), QStringLiteral("wrong thread")));
    d->postUsage();
    d->sync();
    QVariantList values;
    const QString where = usageWhere(filter, &values);
    QSqlQuery q(d->reader());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT ts_ms, run_id, execution_id, node_id, node_kind, app_id,"
                             " user_id, endpoint, model, prompt_tokens, completion_tokens,"
                             " reasoning_tokens, cached_tokens, image_count, ttft_ms, latency_ms,"
                             " cost, currency, cost_usd FROM usage_records%1 ORDER BY ts_ms, id"
                             " LIMIT ?")
                  .arg(where));
    for (const QVariant &v : std::as_const(values))
        q.addBindValue(v);
    q.addBindValue(limit < 0 ? -1 : limit);
    if (!q.exec())
        return tl::unexpected(sqlError(
            QStringLiteral("store.read"),
            QCoreApplication::translate("flowbench::store::RunStore", "cannot read usage records"),
            q.lastError()));
    std::vector<metering::UsageRecord> out;
    while (q.next()) {
        metering::UsageRecord r;
        r.timestampMs = q.value(0).toLongLong();
        r.runId = q.value(1).toString();
        r.executionId = q.value(2).toString();
        r.nodeId = q.value(3).toString();
        r.nodeKind = q.value(4).toString();
        r.appId = q.value(5).toString();
        r.userId = q.value(6).toString();
        r.endpoint = q.value(7).toString();
        r.model = q.value(8).toString();
        r.promptTokens = q.value(9).toLongLong();
        r.completionTokens = q.value(10).toLongLong();
        r.reasoningTokens = q.value(11).toLongLong();
        r.cachedTokens = q.value(12).toLongLong();
        r.imageCount = q.value(13).toInt();
        r.ttftMs = q.value(14).isNull() ? -1 : q.value(14).toLongLong();
        r.latencyMs = q.value(15).toLongLong();
        if (!q.value(16).isNull())
            r.cost = q.value(16).toDouble();
        r.currency = q.value(17).toString();
        if (!q.value(18).isNull())
            r.costUsd = q.value(18).toDouble();
        out.push_back(std::move(r));
    }
    return out;
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

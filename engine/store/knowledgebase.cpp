#include "knowledgebase.h"

#include "nodes/documentextractornode.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QMimeDatabase>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUuid>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <unordered_map>

namespace flowbench::store {

using Json = nlohmann::json;

namespace {

QString newConnectionName()
{
    static QAtomicInt counter;
    return QStringLiteral("flowbench-knowledge-%1").arg(counter.fetchAndAddRelaxed(1));
}

tl::unexpected<Error> sqlError(const QSqlQuery &q)
{
    return makeError(QStringLiteral("knowledge.sql"),
                     QCoreApplication::translate("flowbench::store::KnowledgeStore",
                                                 "Knowledge store query failed: %1")
                         .arg(q.lastError().text()));
}

const QStringList &schemaStatements()
{
    static const QStringList statements{
        QStringLiteral("CREATE TABLE IF NOT EXISTS bases ("
                       " id TEXT PRIMARY KEY NOT NULL,"
                       " name TEXT NOT NULL UNIQUE,"
                       " created_ms INTEGER NOT NULL DEFAULT 0)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS documents ("
                       " id TEXT PRIMARY KEY NOT NULL,"
                       " base_id TEXT NOT NULL,"
                       " name TEXT NOT NULL,"
                       " path TEXT NOT NULL DEFAULT '',"
                       " created_ms INTEGER NOT NULL DEFAULT 0)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS documents_by_base ON documents(base_id)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS chunks ("
                       " id INTEGER PRIMARY KEY,"
                       " base_id TEXT NOT NULL,"
                       " document_id TEXT NOT NULL,"
                       " chunk_index INTEGER NOT NULL,"
                       " content TEXT NOT NULL)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS chunks_by_base ON chunks(base_id)"),
        // rowid = chunks.id; trigram so that CJK text (no spaces) is searchable.
        QStringLiteral("CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(content,"
                       " tokenize='trigram')"),
        // Optional embeddings: the base's model, and one float32 BLOB per embedded chunk.
        QStringLiteral("CREATE TABLE IF NOT EXISTS base_embeddings ("
                       " base_id TEXT PRIMARY KEY NOT NULL,"
                       " model TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS chunk_vectors ("
                       " chunk_id INTEGER PRIMARY KEY NOT NULL,"
                       " base_id TEXT NOT NULL,"
                       " model TEXT NOT NULL,"
                       " vector BLOB NOT NULL)"),
        QStringLiteral(
            "CREATE INDEX IF NOT EXISTS chunk_vectors_by_base ON chunk_vectors(base_id)"),
    };
    return statements;
}

bool isSentenceEnd(QChar c)
{
    static const QString ends = QStringLiteral(".!?;。！？；\n");
    return ends.contains(c);
}

// Where to cut text[from, limit): after the last paragraph break, else sentence end, else
// whitespace, searched in the second half of the window; `limit` when there is none.
qsizetype cutPoint(const QString &text, qsizetype from, qsizetype limit)
{
    const qsizetype floor = from + (limit - from) / 2;
    const qsizetype para = text.lastIndexOf(QLatin1String("\n\n"), limit - 2);
    if (para >= floor)
        return para + 2;
    for (qsizetype i = limit - 1; i >= floor; --i) {
        if (isSentenceEnd(text.at(i)))
            return i + 1;
    }
    for (qsizetype i = limit - 1; i >= floor; --i) {
        if (text.at(i).isSpace())
            return i + 1;
    }
    return limit;
}

QString placeholders(qsizetype n)
{
    QStringList marks;
    for (qsizetype i = 0; i < n; ++i)
        marks << QStringLiteral("?");
    return marks.join(QLatin1Char(','));
}

QStringList queryWords(const QString &query)
{
    return query.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

QByteArray toBlob(const std::vector<float> &v)
{
    QByteArray blob(qsizetype(v.size() * sizeof(float)), Qt::Uninitialized);
    if (!v.empty())
        std::memcpy(blob.data(), v.data(), v.size() * sizeof(float));
    return blob;
}

std::vector<float> fromBlob(const QByteArray &blob)
{
    std::vector<float> v(std::size_t(blob.size()) / sizeof(float));
    if (!v.empty())
        std::memcpy(v.data(), blob.constData(), v.size() * sizeof(float));
    return v;
}

// cosine(a, b), 0 when the dimensions differ or either is the zero vector.
double cosine(const std::vector<float> &a, const std::vector<float> &b)
{
    if (a.size() != b.size() || a.empty())
        return 0.0;
    double dot = 0, na = 0, nb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        dot += double(a[i]) * double(b[i]);
        na += double(a[i]) * double(a[i]);
        nb += double(b[i]) * double(b[i]);
    }
    if (na <= 0 || nb <= 0)
        return 0.0;
    return dot / (std::sqrt(na) * std::sqrt(nb));
}

tl::unexpected<Error> embeddingCountError(qsizetype got, qsizetype wanted)
{
    return makeError(QStringLiteral("knowledge.embeddings"),
                     QCoreApplication::translate("flowbench::store::KnowledgeStore",
                                                 "The embedding endpoint returned %1 vectors for "
                                                 "%2 chunks.")
                         .arg(got)
                         .arg(wanted));
}

} // namespace

Json KnowledgeStore::Hit::toJson() const
{
    const auto s = [](const QString &v) { return v.toStdString(); };
    return Json{{"content", s(content)},
                {"title", s(title)},
                {"metadata",
                 {{"_source", "knowledge"},
                  {"dataset_id", s(baseId)},
                  {"dataset_name", s(baseName)},
                  {"document_id", s(documentId)},
                  {"document_name", s(documentName)},
                  {"data_source_type", "upload_file"},
                  {"retriever_from", "workflow"},
                  {"score", score},
                  {"position", position},
                  {"segment_position", chunkIndex + 1}}}};
}

KnowledgeStore::KnowledgeStore() = default;

KnowledgeStore::~KnowledgeStore()
{
    close();
}

QString KnowledgeStore::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
           + QStringLiteral("/knowledge.sqlite");
}

Result<void> KnowledgeStore::open(const QString &path)
{
    close();
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) {
        return makeError(QStringLiteral("knowledge.open"),
                         QCoreApplication::translate("flowbench::store::KnowledgeStore",
                                                     "Cannot create the folder of %1")
                             .arg(path));
    }
    m_connection = newConnectionName();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
        db.setDatabaseName(path);
        if (!db.open()) {
            const QString error = db.lastError().text();
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(m_connection);
            m_connection.clear();
            return makeError(QStringLiteral("knowledge.open"),
                             QCoreApplication::translate("flowbench::store::KnowledgeStore",
                                                         "Cannot open the knowledge store %1: %2")
                                 .arg(path, error));
        }
        QSqlQuery q(db);
        q.exec(QStringLiteral("PRAGMA busy_timeout = 5000"));
        for (const QString &statement : schemaStatements()) {
            if (!q.exec(statement)) {
                auto error = sqlError(q);
                q = QSqlQuery();
                db = QSqlDatabase();
                close();
                return error;
            }
        }
    }
    return {};
}

void KnowledgeStore::close()
{
    if (m_connection.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
    m_connection.clear();
}

bool KnowledgeStore::isOpen() const
{
    return !m_connection.isEmpty();
}

Result<QString> KnowledgeStore::createBase(const QString &name, const QString &embeddingModel)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return makeError(QStringLiteral("knowledge.name"),
                         QCoreApplication::translate("flowbench::store::KnowledgeStore",
                                                     "A knowledge base needs a name."));
    if (!resolveBase(trimmed).isEmpty()) {
        return makeError(QStringLiteral("knowledge.name"),
                         QCoreApplication::translate("flowbench::store::KnowledgeStore",
                                                     "A knowledge base named %1 already exists.")
                             .arg(trimmed));
    }
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("INSERT INTO bases(id, name, created_ms) VALUES(?, ?, ?)"));
    q.addBindValue(id);
    q.addBindValue(trimmed);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!q.exec())
        return sqlError(q);
    if (!embeddingModel.trimmed().isEmpty()) {
        if (auto set = setEmbeddingModel(id, embeddingModel); !set)
            return tl::unexpected(set.error());
    }
    return id;
}

Result<void> KnowledgeStore::setEmbeddingModel(const QString &baseId, const QString &model)
{
    const QString trimmed = model.trimmed();
    if (trimmed == embeddingModel(baseId))
        return {};
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    db.transaction();
    QSqlQuery q(db);
    q.prepare(QStringLiteral("DELETE FROM chunk_vectors WHERE base_id = ?"));
    q.addBindValue(baseId);
    bool ok = q.exec();
    if (ok) {
        q.prepare(trimmed.isEmpty()
                      ? QStringLiteral("DELETE FROM base_embeddings WHERE base_id = ?")
                      : QStringLiteral("INSERT OR REPLACE INTO base_embeddings(base_id, model)"
                                       " VALUES(?, ?)"));
        q.addBindValue(baseId);
        if (!trimmed.isEmpty())
            q.addBindValue(trimmed);
        ok = q.exec();
    }
    if (!ok) {
        auto error = sqlError(q);
        db.rollback();
        return error;
    }
    db.commit();
    return {};
}

QString KnowledgeStore::embeddingModel(const QString &baseId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT model FROM base_embeddings WHERE base_id = ?"));
    q.addBindValue(baseId);
    if (q.exec() && q.next())
        return q.value(0).toString();
    return {};
}

int KnowledgeStore::vectorCount(const QStringList &baseIds) const
{
    if (baseIds.isEmpty())
        return 0;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM chunk_vectors WHERE base_id IN (%1)")
                  .arg(placeholders(baseIds.size())));
    for (const QString &id : baseIds)
        q.addBindValue(id);
    if (q.exec() && q.next())
        return q.value(0).toInt();
    return 0;
}

Result<int> KnowledgeStore::embedMissing(const QString &baseId, const Embedder &embed)
{
    const QString model = embeddingModel(baseId);
    if (model.isEmpty() || !embed)
        return 0;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT c.id, c.content FROM chunks c WHERE c.base_id = ? AND"
                             " NOT EXISTS (SELECT 1 FROM chunk_vectors v WHERE v.chunk_id = c.id)"
                             " ORDER BY c.id"));
    q.addBindValue(baseId);
    if (!q.exec())
        return sqlError(q);
    QList<qint64> ids;
    QStringList texts;
    while (q.next()) {
        ids << q.value(0).toLongLong();
        texts << q.value(1).toString();
    }
    if (ids.isEmpty())
        return 0;
    auto vectors = embed(model, texts);
    if (!vectors)
        return tl::unexpected(vectors.error());
    if (qsizetype(vectors->size()) != texts.size())
        return embeddingCountError(qsizetype(vectors->size()), texts.size());
    db.transaction();
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT OR REPLACE INTO chunk_vectors(chunk_id, base_id, model,"
                                  " vector) VALUES(?, ?, ?, ?)"));
    for (qsizetype i = 0; i < ids.size(); ++i) {
        insert.addBindValue(ids.at(i));
        insert.addBindValue(baseId);
        insert.addBindValue(model);
        insert.addBindValue(toBlob((*vectors)[std::size_t(i)]));
        if (!insert.exec()) {
            auto error = sqlError(insert);
            db.rollback();
            return error;
        }
    }
    db.commit();
    return int(ids.size());
}

std::vector<KnowledgeStore::Base> KnowledgeStore::listBases() const
{
    std::vector<Base> bases;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral("SELECT b.id, b.name,"
                               " (SELECT COUNT(*) FROM documents d WHERE d.base_id = b.id),"
                               " (SELECT e.model FROM base_embeddings e WHERE e.base_id = b.id),"
                               " (SELECT COUNT(*) FROM chunk_vectors v WHERE v.base_id = b.id)"
                               " FROM bases b ORDER BY b.name"))) {
        return bases;
    }
    while (q.next())
        bases.push_back(Base{q.value(0).toString(), q.value(1).toString(), q.value(2).toInt(),
                             q.value(3).toString(), q.value(4).toInt()});
    return bases;
}

Result<void> KnowledgeStore::removeBase(const QString &baseId)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    db.transaction();
    QSqlQuery q(db);
    const QStringList statements{
        QStringLiteral("DELETE FROM chunks_fts WHERE rowid IN"
                       " (SELECT id FROM chunks WHERE base_id = ?)"),
        QStringLiteral("DELETE FROM chunk_vectors WHERE base_id = ?"),
        QStringLiteral("DELETE FROM base_embeddings WHERE base_id = ?"),
        QStringLiteral("DELETE FROM chunks WHERE base_id = ?"),
        QStringLiteral("DELETE FROM documents WHERE base_id = ?"),
        QStringLiteral("DELETE FROM bases WHERE id = ?"),
    };
    for (const QString &statement : statements) {
        q.prepare(statement);
        q.addBindValue(baseId);
        if (!q.exec()) {
            auto error = sqlError(q);
            db.rollback();
            return error;
        }
    }
    db.commit();
    return {};
}

QString KnowledgeStore::resolveBase(const QString &idOrName) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT id FROM bases WHERE id = ? UNION ALL"
                             " SELECT id FROM bases WHERE name = ? LIMIT 1"));
    q.addBindValue(idOrName);
    q.addBindValue(idOrName);
    if (q.exec() && q.next())
        return q.value(0).toString();
    return {};
}

QString KnowledgeStore::baseName(const QString &baseId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT name FROM bases WHERE id = ?"));
    q.addBindValue(baseId);
    if (q.exec() && q.next())
        return q.value(0).toString();
    return {};
}

Result<QString> KnowledgeStore::addDocument(const QString &baseId, const QString &filePath,
                                            const Embedder &embed)
{
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly)) {
        return makeError(
            QStringLiteral("io.read"),
            QCoreApplication::translate("flowbench::store::KnowledgeStore", "Cannot read %1: %2")
                .arg(filePath, file.errorString()));
    }
    const QByteArray bytes = file.readAll();
    const QFileInfo info(filePath);
    const QString mime = QMimeDatabase().mimeTypeForFile(info).name();
    const Result<QString> text
        = nodes::DocumentExtractorNode::extractText(bytes, info.suffix().toLower(), mime);
    if (!text)
        return tl::unexpected<Error>(text.error());
    return addText(baseId, info.fileName(), *text, embed);
}

Result<QString> KnowledgeStore::addText(const QString &baseId, const QString &documentName,
                                        const QString &text, const Embedder &embed)
{
    if (baseName(baseId).isEmpty()) {
        return makeError(QStringLiteral("knowledge.base"),
                         QCoreApplication::translate("flowbench::store::KnowledgeStore",
                                                     "No knowledge base with id %1.")
                             .arg(baseId));
    }
    const QString documentId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QStringList chunks = chunkText(text);
    // Embed before writing anything: a failed embedding adds nothing.
    const QString model = embed ? embeddingModel(baseId) : QString();
    std::vector<std::vector<float>> vectors;
    if (!model.isEmpty() && !chunks.isEmpty()) {
        auto embedded = embed(model, chunks);
        if (!embedded)
            return tl::unexpected(embedded.error());
        if (qsizetype(embedded->size()) != chunks.size())
            return embeddingCountError(qsizetype(embedded->size()), chunks.size());
        vectors = std::move(*embedded);
    }
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    db.transaction();
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT INTO documents(id, base_id, name, path, created_ms) VALUES(?, ?, ?, '', ?)"));
    q.addBindValue(documentId);
    q.addBindValue(baseId);
    q.addBindValue(documentName);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    std::optional<tl::unexpected<Error>> failure;
    if (!q.exec())
        failure = sqlError(q);
    QSqlQuery chunk(db);
    chunk.prepare(QStringLiteral(
        "INSERT INTO chunks(base_id, document_id, chunk_index, content) VALUES(?, ?, ?, ?)"));
    QSqlQuery fts(db);
    fts.prepare(QStringLiteral("INSERT INTO chunks_fts(rowid, content) VALUES(?, ?)"));
    QSqlQuery vector(db);
    vector.prepare(QStringLiteral(
        "INSERT INTO chunk_vectors(chunk_id, base_id, model, vector) VALUES(?, ?, ?, ?)"));
    for (qsizetype i = 0; !failure && i < chunks.size(); ++i) {
        chunk.addBindValue(baseId);
        chunk.addBindValue(documentId);
        chunk.addBindValue(int(i));
        chunk.addBindValue(chunks.at(i));
        if (!chunk.exec()) {
            failure = sqlError(chunk);
            break;
        }
        const QVariant chunkId = chunk.lastInsertId();
        fts.addBindValue(chunkId);
        fts.addBindValue(chunks.at(i));
        if (!fts.exec()) {
            failure = sqlError(fts);
            break;
        }
        if (!vectors.empty()) {
            vector.addBindValue(chunkId);
            vector.addBindValue(baseId);
            vector.addBindValue(model);
            vector.addBindValue(toBlob(vectors[std::size_t(i)]));
            if (!vector.exec())
                failure = sqlError(vector);
        }
    }
    if (failure) {
        db.rollback();
        return *failure;
    }
    db.commit();
    return documentId;
}

Result<std::vector<KnowledgeStore::Hit>> KnowledgeStore::search(const QStringList &baseIds,
                                                                const QString &query, int topK,
                                                                double scoreThreshold) const
{
    std::vector<Hit> hits;
    const QStringList words = queryWords(query);
    if (baseIds.isEmpty() || words.isEmpty() || topK <= 0)
        return hits;
    QStringList ftsTerms;
    for (const QString &word : words) {
        if (word.size() >= 3)
            ftsTerms << QLatin1Char('"')
                            + QString(word).replace(QLatin1Char('"'), QLatin1String("\"\""))
                            + QLatin1Char('"');
    }
    const QString select = QStringLiteral(
        "SELECT c.content, c.chunk_index, d.id, d.name, b.id, b.name, c.id%1"
        " FROM %2 JOIN documents d ON d.id = c.document_id JOIN bases b ON b.id = c.base_id"
        " WHERE c.base_id IN (%3) AND %4");
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    const bool useFts = !ftsTerms.isEmpty();
    if (useFts) {
        q.prepare(select.arg(QStringLiteral(", bm25(chunks_fts)"),
                             QStringLiteral("chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid"),
                             placeholders(baseIds.size()),
                             QStringLiteral("chunks_fts MATCH ? ORDER BY bm25(chunks_fts)")));
        for (const QString &id : baseIds)
            q.addBindValue(id);
        q.addBindValue(ftsTerms.join(QLatin1String(" OR ")));
    } else {
        QStringList likes;
        for (qsizetype i = 0; i < words.size(); ++i)
            likes << QStringLiteral("c.content LIKE ? ESCAPE '\\'");
        q.prepare(
            select.arg(QString(), QStringLiteral("chunks c"), placeholders(baseIds.size()),
                       QLatin1Char('(') + likes.join(QLatin1String(" OR ")) + QLatin1Char(')')));
        for (const QString &id : baseIds)
            q.addBindValue(id);
        for (QString word : words) {
            word.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
                .replace(QLatin1Char('%'), QLatin1String("\\%"))
                .replace(QLatin1Char('_'), QLatin1String("\\_"));
            q.addBindValue(QLatin1Char('%') + word + QLatin1Char('%'));
        }
    }
    if (!q.exec())
        return sqlError(q);
    while (q.next()) {
        Hit hit;
        hit.content = q.value(0).toString();
        hit.chunkIndex = q.value(1).toInt();
        hit.documentId = q.value(2).toString();
        hit.documentName = q.value(3).toString();
        hit.title = hit.documentName;
        hit.baseId = q.value(4).toString();
        hit.baseName = q.value(5).toString();
        hit.chunkId = q.value(6).toLongLong();
        if (useFts) {
            const double bm25 = std::abs(q.value(7).toDouble());
            hit.score = bm25 / (1.0 + bm25);
        } else {
            int found = 0;
            for (const QString &word : words)
                found += hit.content.contains(word, Qt::CaseInsensitive) ? 1 : 0;
            hit.score = double(found) / double(words.size());
        }
        hit.keywordScore = hit.score;
        if (hit.score >= scoreThreshold)
            hits.push_back(std::move(hit));
        if (useFts && int(hits.size()) >= topK)
            break;
    }
    if (!useFts) {
        std::stable_sort(hits.begin(), hits.end(),
                         [](const Hit &a, const Hit &b) { return a.score > b.score; });
    }
    if (int(hits.size()) > topK)
        hits.resize(std::size_t(topK));
    for (std::size_t i = 0; i < hits.size(); ++i)
        hits[i].position = int(i) + 1;
    return hits;
}

Result<std::vector<KnowledgeStore::Hit>> KnowledgeStore::search(const QStringList &baseIds,
                                                                const QString &query,
                                                                const SearchOptions &options) const
{
    if (options.mode == SearchMode::Keyword)
        return search(baseIds, query, options.topK, options.scoreThreshold);
    std::vector<Hit> hits;
    if (baseIds.isEmpty() || options.topK <= 0)
        return hits;
    const bool hybrid = options.mode == SearchMode::Hybrid;
    const double kw = hybrid ? std::max(0.0, options.keywordWeight) : 0.0;
    const double vw = hybrid ? std::max(0.0, options.vectorWeight) : 1.0;

    // Candidates: every keyword match (hybrid), then every chunk with cosine > 0.
    std::unordered_map<qint64, std::size_t> byChunk;
    if (hybrid && kw > 0) {
        auto keyword = search(baseIds, query, std::numeric_limits<int>::max(), 0.0);
        if (!keyword)
            return keyword;
        for (Hit &hit : *keyword) {
            byChunk.emplace(hit.chunkId, hits.size());
            hits.push_back(std::move(hit));
        }
    }
    if (vw > 0 && !options.queryVector.empty()) {
        QSqlQuery q(QSqlDatabase::database(m_connection, false));
        q.prepare(QStringLiteral(
                      "SELECT c.content, c.chunk_index, d.id, d.name, b.id, b.name, c.id, v.vector"
                      " FROM chunk_vectors v JOIN chunks c ON c.id = v.chunk_id"
                      " JOIN documents d ON d.id = c.document_id JOIN bases b ON b.id = c.base_id"
                      " WHERE v.base_id IN (%1) ORDER BY c.id")
                      .arg(placeholders(baseIds.size())));
        for (const QString &id : baseIds)
            q.addBindValue(id);
        if (!q.exec())
            return sqlError(q);
        while (q.next()) {
            const double cos = cosine(options.queryVector, fromBlob(q.value(7).toByteArray()));
            const qint64 chunkId = q.value(6).toLongLong();
            if (const auto it = byChunk.find(chunkId); it != byChunk.end()) {
                hits[it->second].vectorScore = std::max(0.0, cos);
                continue;
            }
            if (cos <= 0)
                continue;
            Hit hit;
            hit.content = q.value(0).toString();
            hit.chunkIndex = q.value(1).toInt();
            hit.documentId = q.value(2).toString();
            hit.documentName = q.value(3).toString();
            hit.title = hit.documentName;
            hit.baseId = q.value(4).toString();
            hit.baseName = q.value(5).toString();
            hit.chunkId = chunkId;
            hit.vectorScore = cos;
            hits.push_back(std::move(hit));
        }
    }
    for (Hit &hit : hits) {
        if (!hybrid)
            hit.keywordScore = 0.0;
        hit.score = hit.keywordScore * kw + hit.vectorScore * vw;
    }
    hits.erase(std::remove_if(hits.begin(), hits.end(),
                              [&options](const Hit &h) {
                                  return h.score <= 0.0 || h.score < options.scoreThreshold;
                              }),
               hits.end());
    std::stable_sort(hits.begin(), hits.end(),
                     [](const Hit &a, const Hit &b) { return a.score > b.score; });
    if (int(hits.size()) > options.topK)
        hits.resize(std::size_t(options.topK));
    for (std::size_t i = 0; i < hits.size(); ++i)
        hits[i].position = int(i) + 1;
    return hits;
}

QStringList KnowledgeStore::chunkText(const QString &input, int size, int overlap)
{
    QString text = input;
    text.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    size = std::max(size, 20);
    overlap = std::clamp(overlap, 0, size / 2);
    QStringList chunks;
    const qsizetype n = text.size();
    qsizetype pos = 0;
    while (pos < n) {
        const qsizetype limit = std::min<qsizetype>(pos + size, n);
        const qsizetype cut = limit < n ? cutPoint(text, pos, limit) : n;
        const QString chunk = text.mid(pos, cut - pos).trimmed();
        if (!chunk.isEmpty())
            chunks << chunk;
        if (cut >= n)
            break;
        // The next chunk starts about `overlap` characters back, at a word or sentence start
        // when one is near.
        qsizetype next = std::max(cut - overlap, pos + 1);
        for (qsizetype i = next; i < cut; ++i) {
            if (text.at(i - 1).isSpace() || isSentenceEnd(text.at(i - 1))) {
                next = i;
                break;
            }
        }
        pos = next;
    }
    return chunks;
}

} // namespace flowbench::store

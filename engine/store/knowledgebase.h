#pragma once

#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include "core/result.h"

#include <vector>

namespace flowbench::store {

// Local knowledge bases for the knowledge-retrieval node: documents are split into chunks that
// live in a plain table and in an FTS5 index with the trigram tokenizer (so Chinese text is
// found too: toolchain.md pitfall 8).
//
// Ranking: SQLite's bm25() (lower is better, usually negative) becomes a score in 0..1 as
// score = |bm25| / (1 + |bm25|), so stronger matches score closer to 1. Queries of fewer than
// 3 characters (trigram needs 3) fall back to LIKE matching on each whitespace-separated word
// (in longer queries, words under 3 characters are left out of the FTS5 query); a query is
// searched as its words OR-ed together, each a quoted phrase. LIKE results score by the share
// of the query's words a chunk holds (0..1).
//
// A store is one SQLite file. Each KnowledgeStore object owns its own QtSql connection (unique
// name, removed in the destructor) and must be used on the thread that opened it; open one per
// thread to search concurrently.
//
//     KnowledgeStore store;
//     store.open(KnowledgeStore::defaultPath());
//     const QString id = *store.createBase(QStringLiteral("docs"));
//     store.addDocument(id, QStringLiteral("/path/guide.md"));
//     const auto hits = store.search({id}, QStringLiteral("workflow"), 3, 0.0);
class KnowledgeStore
{
public:
    struct Base
    {
        QString id;
        QString name;
        int documentCount = 0;
    };

    struct Hit
    {
        QString content;
        QString title; // the document's name
        QString baseId;
        QString baseName;
        QString documentId;
        QString documentName;
        double score = 0.0;
        int position = 0; // 1-based rank in the result list
        int chunkIndex = 0;
        // {content, title, metadata{_source, dataset_id, ...}} as Dify's retrieval node outputs.
        [[nodiscard]] nlohmann::json toJson() const;
    };

    KnowledgeStore();
    ~KnowledgeStore();
    KnowledgeStore(const KnowledgeStore &) = delete;
    KnowledgeStore &operator=(const KnowledgeStore &) = delete;

    // <AppDataLocation>/knowledge.sqlite
    static QString defaultPath();

    // Opens (creating the file and schema when missing).
    Result<void> open(const QString &path);
    void close();
    [[nodiscard]] bool isOpen() const;

    // A new base; its id is a UUID without braces. Names must be unique and non-empty.
    Result<QString> createBase(const QString &name);
    [[nodiscard]] std::vector<Base> listBases() const;
    Result<void> removeBase(const QString &baseId);
    // The base whose id or (else) name is `idOrName`; empty when there is none.
    [[nodiscard]] QString resolveBase(const QString &idOrName) const;
    [[nodiscard]] QString baseName(const QString &baseId) const;

    // Extracts the file's text (the document extractor's formats), chunks and indexes it.
    // Returns the document id.
    Result<QString> addDocument(const QString &baseId, const QString &filePath);
    // The same for text already at hand.
    Result<QString> addText(const QString &baseId, const QString &documentName,
                            const QString &text);

    // The best `topK` chunks of the bases for `query` with score >= scoreThreshold.
    Result<std::vector<Hit>> search(const QStringList &baseIds, const QString &query, int topK,
                                    double scoreThreshold) const;

    // Splits text into chunks of about `size` characters overlapping by about `overlap`,
    // cutting at paragraph, then sentence, then word boundaries where it can.
    static QStringList chunkText(const QString &text, int size = 500, int overlap = 50);

private:
    QString m_connection;
};

} // namespace flowbench::store

#pragma once

#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include "core/result.h"

#include <functional>
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
// Embeddings (optional, per base): a base may record the name of an embedding model (served by
// an OpenAI-compatible /v1/embeddings). Documents added to it with an Embedder get one vector per
// chunk, kept as a BLOB of float32 (host byte order) in chunk_vectors; without an Embedder the
// chunks are stored without vectors and embedMissing() adds them later. Search modes:
//   - Keyword: the FTS5/LIKE ranking above (score = normalised BM25).
//   - Semantic: cosine(query vector, chunk vector), chunks with cosine > 0.
//   - Hybrid: Dify's weighted score, keyword score × keywordWeight + cosine × vectorWeight, over
//     the union of keyword matches and chunks with cosine > 0 (a missing side scores 0).
//     Weights 1/0 give the keyword ranking and 0/1 the semantic one.
// Cosines below 0 count as 0. Chunks whose vector has another dimension than the query's score
// cosine 0. The score threshold applies to the final score.
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
        QString embeddingModel; // empty: keyword search only
        int vectorCount = 0;    // chunks that have a vector
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
        qint64 chunkId = 0;
        double keywordScore = 0.0; // the parts of a hybrid score (keyword-only: = score)
        double vectorScore = 0.0;
        // {content, title, metadata{_source, dataset_id, ...}} as Dify's retrieval node outputs.
        [[nodiscard]] nlohmann::json toJson() const;
    };

    enum class SearchMode { Keyword, Semantic, Hybrid };

    struct SearchOptions
    {
        SearchMode mode = SearchMode::Keyword;
        int topK = 4;
        double scoreThreshold = 0.0;
        double keywordWeight = 0.3; // Dify's default weighted_score weights
        double vectorWeight = 0.7;
        std::vector<float> queryVector; // Semantic and Hybrid: the query's embedding
    };

    // Embeds texts with `model`: one vector per text, in order (the knowledge CLI and the
    // retrieval node pass llm::EmbeddingsClient::embed on the run's endpoint).
    using Embedder = std::function<Result<std::vector<std::vector<float>>>(
        const QString &model, const QStringList &texts)>;

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
    // embeddingModel: the served model that embeds its chunks (empty: keyword search only).
    Result<QString> createBase(const QString &name, const QString &embeddingModel = {});
    [[nodiscard]] std::vector<Base> listBases() const;
    Result<void> removeBase(const QString &baseId);
    // The base whose id or (else) name is `idOrName`; empty when there is none.
    [[nodiscard]] QString resolveBase(const QString &idOrName) const;
    [[nodiscard]] QString baseName(const QString &baseId) const;
    // Setting another model drops the base's vectors (embedMissing() makes new ones); an empty
    // model turns embeddings off.
    Result<void> setEmbeddingModel(const QString &baseId, const QString &model);
    [[nodiscard]] QString embeddingModel(const QString &baseId) const;
    // Chunks of these bases that have a vector.
    [[nodiscard]] int vectorCount(const QStringList &baseIds) const;
    // Embeds the base's chunks that have no vector yet; returns how many it embedded.
    Result<int> embedMissing(const QString &baseId, const Embedder &embed);

    // Extracts the file's text (the document extractor's formats), chunks and indexes it.
    // Returns the document id. When the base has an embedding model and `embed` is given, the
    // chunks are embedded first; a failed embedding adds nothing and returns its error.
    Result<QString> addDocument(const QString &baseId, const QString &filePath,
                                const Embedder &embed = {});
    // The same for text already at hand.
    Result<QString> addText(const QString &baseId, const QString &documentName, const QString &text,
                            const Embedder &embed = {});

    // The best `topK` chunks of the bases for `query` with score >= scoreThreshold.
    Result<std::vector<Hit>> search(const QStringList &baseIds, const QString &query, int topK,
                                    double scoreThreshold) const;
    // Keyword, semantic or hybrid (see above). Semantic and Hybrid need options.queryVector.
    Result<std::vector<Hit>> search(const QStringList &baseIds, const QString &query,
                                    const SearchOptions &options) const;

    // Splits text into chunks of about `size` characters overlapping by about `overlap`,
    // cutting at paragraph, then sentence, then word boundaries where it can.
    static QStringList chunkText(const QString &text, int size = 500, int overlap = 50);

private:
    QString m_connection;
};

} // namespace flowbench::store

#pragma once

#include "runtime/execnode.h"

namespace flowbench::nodes {

// Dify's knowledge-retrieval node (§3) over local knowledge bases (store::KnowledgeStore).
// The store is the file named by the environment variable FLOWBENCH_KNOWLEDGE_STORE when it is
// set, else KnowledgeStore::defaultPath() (<AppDataLocation>/knowledge.sqlite).
//
// Reads the query (a string) at `query_variable_selector` and searches the bases in
// `dataset_ids`, each matched by base id or, else, by base name. `retrieval_mode: multiple`
// (the default) uses `multiple_retrieval_config.top_k` (default 4) and `score_threshold` (when
// it is a number and `score_threshold_enabled` is not false); reranking settings are ignored.
// `retrieval_mode: single` has no model pick a base: it returns the best hits (up to 4) of the
// base that holds the best hit. The search runs on the thread pool with its own connection.
//
// Output: `result`, an array of {content, title, metadata{_source: "knowledge", dataset_id,
// dataset_name, document_id, document_name, data_source_type, retriever_from, score,
// position}}. Fails (KnowledgeRetrievalNodeError) when the query is missing or not a string,
// when a dataset id names no local base, or when the store cannot be opened.
class KnowledgeRetrievalNode final : public runtime::ExecNode
{
public:
    void start(runtime::NodeContext &ctx) override;

    // The store path the node uses (FLOWBENCH_KNOWLEDGE_STORE or the default).
    static QString storePath();
};

} // namespace flowbench::nodes

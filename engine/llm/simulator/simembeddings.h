#pragma once

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

#include <vector>

namespace flowbench::llm::sim {

// The simulator's POST /v1/embeddings (vLLM's OpenAI-compatible embeddings API).
//
// Vectors are deterministic and carry meaning, so retrieval tests can assert rankings: a
// 256-dimensional feature-hashed bag of
//   - words (runs of letters/digits, lower-cased), weight 1,
//   - character trigrams of each word padded with '#' ("#refund#" → "#re", "ref", ...,
//     "nd#"), weight 0.5 (so "refunds" and "refunding" land near "refund"),
//   - for CJK text (no spaces), every character, weight 1, and every pair of adjacent
//     characters, weight 1 ("退款政策" is near "退款"),
// each feature hashed with FNV-1a (UTF-8) to a bucket and a sign, then L2-normalised. Texts
// without any feature get the zero vector. Unrelated texts score a cosine near 0.
//
// Request: {"model", "input": string | [string] | [int] | [[int]], "encoding_format":
// "float" (default) | "base64", "dimensions"}. Token-id inputs are embedded as their decimal
// numbers. Response: {"id":"embd-…","object":"list","created","model","data":[{"index",
// "object":"embedding","embedding":[floats] or base64 of little-endian float32}],"usage":
// {"prompt_tokens","total_tokens","completion_tokens":0,"prompt_tokens_details":null}} with
// ceil(code points / 4) prompt tokens per input (the token count of a token-id input).
// Errors (vLLM's nested {"error":{message,type,param,code}}): 400 for a body that is not a JSON
// object, a missing or empty input, an input of another type, another encoding_format, a dimensions
// other than 256; 404 for another model.

inline constexpr int kEmbeddingDimensions = 256;

// The vector for one text (see above).
[[nodiscard]] std::vector<float> embeddingVector(const QString &text);

// Answers one request body: the HTTP status and the JSON body to send.
struct EmbeddingsAnswer
{
    int status = 200;
    nlohmann::ordered_json body;
};
[[nodiscard]] EmbeddingsAnswer answerEmbeddings(const QByteArray &requestBody,
                                                const QString &servedModel);

} // namespace flowbench::llm::sim

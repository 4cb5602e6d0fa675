#pragma once

#include <QString>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "llm/chattypes.h"
#include "runtime/conversation.h"
#include "variables/variablepool.h"

namespace flowbench::runtime {
class NodeContext;
}

#include <optional>
#include <string>
#include <vector>

// Helpers shared by the LLM-family nodes that ask a model for a structured answer
// and the plain llm node. Pure functions, engine thread only where noted.
namespace flowbench::nodes::llmsupport {

using Json = nlohmann::json;

[[nodiscard]] QString qs(const std::string &s);
// object[key] when it is a string, else `fallback`.
[[nodiscard]] std::string str(const Json &object, const char *key,
                              const std::string &fallback = {});
// A JSON array of strings as a selector (other entries are dropped).
[[nodiscard]] variables::Selector selectorOf(const Json &j);
// The value a selector names, as prompt text ("" when it does not resolve).
[[nodiscard]] QString selectorText(const Json &selector, const variables::VariablePool &pool);

// The first JSON object in a model's reply: the whole text, else the inside of a ```json (or
// plain ```) fence, else the first balanced {...} anywhere that parses. nullopt when none.
//
//     findJsonObject("Sure!\n```json\n{\"a\": 1}\n```") → {"a": 1}
[[nodiscard]] std::optional<Json> findJsonObject(const QString &text);

// The served model for a node's data.model on the run's endpoint. Errors (code = the node's
// error type): "NoEndpointError" when the run has no endpoint, "ModelNotFoundError" when neither
// the node nor the endpoint names a model.
[[nodiscard]] Result<QString> resolveModel(const runtime::NodeContext &ctx);

// temperature, top_p, max_tokens, seed and stop from a Dify model's completion_params.
void applyCompletionParams(const Json &model, llm::ChatRequest &request);

// The image parts a node's `vision` settings ask for ({enabled, configs: {variable_selector,
// detail}}; the selector defaults to sys.files). Local files are read (blocking, small images).
[[nodiscard]] Result<std::vector<llm::ContentPart>>
visionImages(const Json &data, const variables::VariablePool &pool);

// Appends `images` to the last user message (adding one when there is none).
void attachImages(std::vector<llm::Message> &messages, std::vector<llm::ContentPart> images);

// Chatflow memory (a node's data.memory: {window: {enabled, size}, role_prefix: {user,
// assistant}, query_prompt_template}), as Dify's TokenBufferMemory reads it: the conversation's
// earlier turns, oldest first, each a user message (the query) and an assistant message (the
// answer). With window.enabled and size > 0 the last `size` turns (at most 500); otherwise the
// last 500 turns, from which the oldest messages are dropped one by one while the rest is over
// 2000 tokens (Dify's max_token_limit default; tokens estimated as ceil(code points / 4) + 4 per
// message), keeping at least one. No memory object → no messages.
//
//     history = {{"hi", "Echo: hi"}, {"more", "Echo: more"}, {"last", "Echo: last"}};
//     historyMessages({{"window", {{"enabled", true}, {"size", 2}}}}, history)
//         → user "more", assistant "Echo: more", user "last", assistant "Echo: last"
[[nodiscard]] std::vector<llm::Message>
historyMessages(const Json &memory, const runtime::ConversationHistory &history);
// The same as text for completion prompts and the classifier/extractor system prompts: one line
// "<prefix>: <content>" per message joined by "\n" (Dify's get_history_prompt_text). The
// prefixes default to Dify's "Human" and "Assistant".
[[nodiscard]] QString historyText(const Json &memory, const runtime::ConversationHistory &history,
                                  const QString &userPrefix = QStringLiteral("Human"),
                                  const QString &assistantPrefix = QStringLiteral("Assistant"));
// The node's memory object when the node has one and runs in a chatflow, else null: Dify reads
// memory only for chat apps.
[[nodiscard]] Json memoryConfig(const runtime::NodeContext &ctx);

} // namespace flowbench::nodes::llmsupport

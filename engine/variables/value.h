#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace flowbench::variables {

using Json = nlohmann::json;

// A selector names a value in the pool: ["node_id", "var", ...path]. The pool stores by the
// first two elements; the rest walk into object keys or file attributes.
using Selector = std::vector<std::string>;

// Files are JSON objects tagged as Dify tags its File model, so they survive JSON round trips:
// {"dify_model_identity": "__dify__file__", "name", "size", "type", "extension", "mime_type",
//  "transfer_method", "url", "related_id", ...}.
inline constexpr const char *kFileIdentity = "__dify__file__";
bool isFile(const Json &value);

// Dify's segment type of a value (§5.4): "string", "integer", "float", "boolean", "object",
// "none", "file", "array[string]", "array[number]", "array[object]", "array[boolean]",
// "array[file]", "array[any]". Integers and floats are "number" to users; `number` collapses them.
std::string segmentType(const Json &value);
std::string userType(const Json &value); // segmentType with integer/float shown as "number"

// Python's str() of the value as Dify's Python code would produce it: 2.0, True, None,
// ['a', 1], {'k': 'v'}.
std::string pythonStr(const Json &value);

// The two renderings of §5.4. `text` is used in prompts, HTTP fields, conditions and tool
// inputs; `markdown` in answer output and streamed values.
// Objects list their keys in nlohmann::json's sorted order in all three functions, where Python
// would keep insertion order; everything else matches Python byte for byte.
std::string renderText(const Json &value);
std::string renderMarkdown(const Json &value);

// "node.var.key" for messages.
std::string selectorText(const Selector &selector);

} // namespace flowbench::variables

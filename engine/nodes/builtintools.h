#pragma once

#include <QPointer>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class QObject;

namespace flowbench::nodes {

using Json = nlohmann::json;

// What a built-in tool hands back: Dify's tool messages folded into the tool node's outputs.
struct ToolResult
{
    bool ok = true;
    QString error;                   // for !ok: says what went wrong, for people
    QString text;                    // the text messages, concatenated
    Json json = Json::array();       // the json messages, in order
    Json variables = Json::object(); // variable messages: written as [node_id, name]

    static ToolResult failure(QString message)
    {
        ToolResult r;
        r.ok = false;
        r.error = std::move(message);
        return r;
    }
};

// One built-in tool. Parameters arrive as Dify hands them to a tool: `mixed` and `constant`
// inputs as strings, `variable` inputs as the raw pool value, configurations as given. Tools
// read booleans and numbers from either form.
struct BuiltinTool
{
    QString provider;       // Dify's provider name ("time", "json_process", "maths", ...)
    QString name;           // Dify's tool name ("current_time", "json_parse", ...)
    QStringList parameters; // every parameter it reads, required ones first
    QStringList required;   // parameters that must be present (and not empty)
    // Synchronous tools: pure CPU work, short and bounded. nullptr for network tools.
    ToolResult (*invoke)(const Json &parameters) = nullptr;
    bool network = false; // true: run with fetchUrl()
};

// The registry. Providers and tools (Dify's names where Dify has the tool):
//   time / current_time (format = strftime pattern, default "%Y-%m-%d %H:%M:%S %Z";
//       timezone = IANA id, default "UTC") → text.
//   json_process / json_parse (content, json_filter, ensure_ascii, output_full_parsed_json)
//       → json: the parsed value (a top-level array gives one entry per item), text: the
//       filtered value when json_filter is given, and the variable `result` (filtered value, or
//       the whole parsed value): a Flowbench extension so an End node can read an object.
//   json_process / json_replace (content, query, replace_model = pattern|key|value,
//       replace_pattern, replace_value, value_decode, ensure_ascii) → text (the new JSON),
//       json [new value] when it is an object, variable `result`.
//   maths / eval_expression (expression) → text (Python's str of the number), json
//       [{"expression", "result"}]. A recursive-descent evaluator: numbers, + - * / // % **,
//       parentheses, unary +/-, pi, e and sqrt abs round floor ceil min max pow log exp. Nothing
//       else parses, so no name, attribute or call can reach any interpreter.
//   webscraper / webscraper (url, user_agent) → text: the response body (raw, not a readable
//       extract as Dify's tool makes), at most kMaxFetchBytes, kFetchTimeoutMs per request.
//   text_utilities (Flowbench's own) / word_count (text) → text (count), json [{words,
//       characters, lines}]; regex_extract (text, pattern) → text (matches, one a line), json
//       [{match, groups}]; to_upper / to_lower / trim (text) → text.
//
// A JSON key path (json_filter, query) is "a.b[0].c", optionally starting with "$." (JSONPath's
// simple child steps only: no wildcards, filters or recursive descent).
const QList<BuiltinTool> &builtinTools();

// Finds the tool for a node's provider fields: the provider is the last '/'-separated part of
// provider_id ("langgenius/time/time" → "time") or else provider_name. When that names no
// built-in provider and provider_type is "builtin" (or empty), the tool name alone is looked up
// (the fixtures' provider "builtin"). nullptr when no tool matches.
const BuiltinTool *findBuiltinTool(const QString &providerId, const QString &providerType,
                                   const QString &providerName, const QString &toolName);

inline constexpr qint64 kMaxFetchBytes = 1024 * 1024;
inline constexpr int kFetchTimeoutMs = 30 * 1000;

// Runs a network tool: a GET on `network`, callbacks on `context`'s thread; `done` is called
// exactly once unless the reply is aborted through the returned pointer first (cancel), or
// `context` is destroyed. Never blocks.
QPointer<QNetworkReply> fetchUrl(const Json &parameters, QNetworkAccessManager *network,
                                 QObject *context, std::function<void(ToolResult)> done);

// Exposed for tests: evaluates an arithmetic expression (see maths / eval_expression).
ToolResult evaluateExpression(const QString &expression);

} // namespace flowbench::nodes

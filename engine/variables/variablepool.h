#pragma once

#include "value.h"

#include <memory>
#include <unordered_map>

namespace flowbench::variables {

// The run's variables: node outputs keyed by node id, plus the reserved scopes `sys`, `env`,
// `conversation`, `userinput` and container ids (iteration item/index, loop variables), which
// are stored the same way under their scope name. Plain value type: copying it is how an
// iteration gives each item its own pool. Not thread-safe; the engine owns it on one thread and
// nodes read a copy or a const reference on that thread only.
//
//     VariablePool pool;
//     pool.set("sys", "query", "hello");
//     pool.set("llm", "usage", Json{{"total_tokens", 5}});
//     const Json *t = pool.find({"llm", "usage", "total_tokens"}); // → 5
class VariablePool
{
public:
    void set(const std::string &scope, const std::string &name, Json value);
    // Sets by selector; with more than two elements, writes into the object at that path
    // (creating objects as needed). Returns false when the path crosses a non-object.
    bool set(const Selector &selector, Json value);
    // Removes one variable (two elements), a key of an object variable (more elements), or a
    // whole scope (one element, as removeScope). False when there was nothing to remove.
    bool remove(const Selector &selector);
    void removeScope(const std::string &scope); // all of a node's outputs

    // nullptr when absent. A present null is a non-null pointer to a null Json. Elements after
    // the second walk object keys, never array indices. After a file variable, the third names
    // one attribute (name, size, type, extension, mime_type, transfer_method, url, related_id;
    // one the file lacks reads as null) and any further elements are ignored, as in Dify.
    [[nodiscard]] const Json *find(const Selector &selector) const;
    [[nodiscard]] bool contains(const Selector &selector) const
    {
        return find(selector) != nullptr;
    }
    // All variables of one scope as an object, or nullptr.
    [[nodiscard]] const Json *scope(const std::string &scope) const;
    [[nodiscard]] bool hasScope(const std::string &scope) const
    {
        return this->scope(scope) != nullptr;
    }

    // {"scope": {"var": value}} for recording, replay and the variables panel.
    [[nodiscard]] Json toJson() const;
    static VariablePool fromJson(const Json &snapshot);

private:
    Json &writableScope(const std::string &scope);

    // Each scope is a JSON object shared between copies until one of them writes to it (copy on
    // write): an iteration copies the pool per item, and most scopes are never written there.
    std::unordered_map<std::string, std::shared_ptr<Json>> m_scopes;
};

} // namespace flowbench::variables

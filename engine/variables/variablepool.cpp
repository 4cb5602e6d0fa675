#include "variablepool.h"

#include <array>
#include <string_view>

namespace flowbench::variables {

namespace {

// Dify's FileAttribute values: the only names a selector may use after a file variable.
constexpr std::array<std::string_view, 8> kFileAttributes
    = {"name", "size", "type", "extension", "mime_type", "transfer_method", "url", "related_id"};

const Json &nullJson()
{
    static const Json null;
    return null;
}

// A file attribute as file_manager.get_attr reads it. Dify's File keeps the name in
// `filename` and a remote file's address in `remote_url`; accept those spellings too. An
// attribute the file lacks is a present null (Dify builds a NoneSegment from None).
const Json *fileAttribute(const Json &file, const std::string &attribute)
{
    bool known = false;
    for (std::string_view name : kFileAttributes)
        known = known || name == attribute;
    if (!known)
        return nullptr;
    const auto at = [&](const char *key) -> const Json * {
        const auto it = file.find(key);
        return it != file.end() && !it->is_null() ? &*it : nullptr;
    };
    const Json *found = at(attribute.c_str());
    if (!found && attribute == "name")
        found = at("filename");
    if (!found && attribute == "url")
        found = at("remote_url");
    return found ? found : &nullJson();
}

} // namespace

Json &VariablePool::writableScope(const std::string &scope)
{
    std::shared_ptr<Json> &slot = m_scopes[scope];
    if (!slot)
        slot = std::make_shared<Json>(Json::object());
    else if (slot.use_count() > 1)
        slot = std::make_shared<Json>(*slot); // another pool shares it: copy before writing
    if (!slot->is_object())
        *slot = Json::object();
    return *slot;
}

void VariablePool::set(const std::string &scope, const std::string &name, Json value)
{
    writableScope(scope)[name] = std::move(value);
}

bool VariablePool::set(const Selector &selector, Json value)
{
    if (selector.size() < 2)
        return false;
    if (selector.size() == 2) {
        set(selector[0], selector[1], std::move(value));
        return true;
    }
    // Check the whole path before touching anything, so a refused write changes nothing.
    if (const Json *variables = scope(selector[0])) {
        const Json *node = variables;
        for (std::size_t i = 1; i + 1 < selector.size(); ++i) {
            const auto it = node->find(selector[i]);
            if (it == node->end())
                break;
            if (!it->is_object())
                return false;
            node = &*it;
        }
    }
    Json *node = &writableScope(selector[0]);
    for (std::size_t i = 1; i + 1 < selector.size(); ++i) {
        Json &child = (*node)[selector[i]];
        if (child.is_null())
            child = Json::object();
        node = &child;
    }
    (*node)[selector.back()] = std::move(value);
    return true;
}

bool VariablePool::remove(const Selector &selector)
{
    if (selector.empty())
        return false;
    const auto scopeIt = m_scopes.find(selector[0]);
    if (scopeIt == m_scopes.end())
        return false;
    if (selector.size() == 1) {
        m_scopes.erase(scopeIt);
        return true;
    }
    {
        // Check before copying a shared scope.
        const Json *probe = scopeIt->second.get();
        for (std::size_t i = 1; i + 1 < selector.size(); ++i) {
            const auto it = probe->find(selector[i]);
            if (it == probe->end() || !it->is_object())
                return false;
            probe = &*it;
        }
        if (!probe->contains(selector.back()))
            return false;
    }
    Json *node = &writableScope(selector[0]);
    for (std::size_t i = 1; i + 1 < selector.size(); ++i)
        node = &(*node)[selector[i]];
    return node->erase(selector.back()) > 0;
}

void VariablePool::removeScope(const std::string &scope)
{
    m_scopes.erase(scope);
}

const Json *VariablePool::find(const Selector &selector) const
{
    if (selector.size() < 2)
        return nullptr;
    const Json *variables = scope(selector[0]);
    if (!variables)
        return nullptr;
    const auto it = variables->find(selector[1]);
    if (it == variables->end())
        return nullptr;
    const Json *node = &*it;
    if (selector.size() == 2)
        return node;
    // VariablePool.get: a file variable takes one attribute and ignores what follows it;
    // anything else walks object keys (a present null resolves), never array indices.
    if (isFile(*node))
        return fileAttribute(*node, selector[2]);
    for (std::size_t i = 2; i < selector.size(); ++i) {
        if (!node->is_object())
            return nullptr;
        const auto child = node->find(selector[i]);
        if (child == node->end())
            return nullptr;
        node = &*child;
    }
    return node;
}

const Json *VariablePool::scope(const std::string &scope) const
{
    const auto it = m_scopes.find(scope);
    return it == m_scopes.end() ? nullptr : it->second.get();
}

Json VariablePool::toJson() const
{
    Json snapshot = Json::object();
    for (const auto &[name, variables] : m_scopes)
        snapshot[name] = *variables;
    return snapshot;
}

VariablePool VariablePool::fromJson(const Json &snapshot)
{
    VariablePool pool;
    if (!snapshot.is_object())
        return pool;
    for (auto it = snapshot.begin(); it != snapshot.end(); ++it) {
        if (it.value().is_object())
            pool.m_scopes.emplace(it.key(), std::make_shared<Json>(it.value()));
    }
    return pool;
}

} // namespace flowbench::variables

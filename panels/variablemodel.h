#pragma once

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

#include "runtime/runevent.h"

namespace flowbench::panels {

// The Variables panel's copy of the run's pool ({"scope": {"var": value}}), the node titles seen
// in events, and what changed in the last step.
//
// "Changed" compares the pool with a base: while running, the pool at the last pause (or at the
// start of the run); while paused, the pool at the pause before, so the values the last step
// (or an edit) changed stay marked until the next one. Plain value type, GUI thread.
class VariableModel
{
public:
    using Json = runtime::Json;

    // A new run: the pool and both bases become `pool`, titles are forgotten.
    void reset(const Json &pool = Json::object());
    // Replaces the pool (a fresh poolSnapshot()).
    void setPool(const Json &pool);
    // A node's outputs (a finished node event): its scope becomes `outputs`' keys merged in.
    void mergeOutputs(const QString &scope, const Json &outputs);
    // One value (a VariableEdited event): ["scope", "var", ...keys].
    void setValue(const QStringList &selector, const Json &value);
    // The run paused with `pool`: the step's changes become the highlighted ones.
    void paused(const Json &pool);
    // The run continued: changes since this pause are highlighted from now on.
    void resumed();

    [[nodiscard]] const Json &pool() const { return m_pool; }
    [[nodiscard]] bool isPaused() const { return m_paused; }
    // Is the variable (scope, name) new or different from the base?
    [[nodiscard]] bool isChanged(const QString &scope, const QString &name) const;
    // The value at ["scope", "var", ...keys] (keys walk into objects), or nullptr.
    [[nodiscard]] const Json *find(const QStringList &selector) const;

    void setTitle(const QString &nodeId, const QString &title);
    // The node's title; the id itself for scopes without one.
    [[nodiscard]] QString title(const QString &scope) const;
    // Node ids in the order their first event arrived.
    [[nodiscard]] const QStringList &nodeOrder() const { return m_order; }
    // The scope whose id or title is `idOrTitle`, or an empty string.
    [[nodiscard]] QString resolveScope(const QString &idOrTitle) const;

    // Dify's segment type as users see it: string, number, boolean, object, file, none,
    // array[string], array[number], array[object], array[file], ...
    [[nodiscard]] static QString typeOf(const Json &value);
    // One line, at most `length` characters: strings raw, files by name, the rest as JSON.
    [[nodiscard]] static QString preview(const Json &value, int length = 160);

private:
    [[nodiscard]] const Json &base() const { return m_paused ? m_stepBase : m_lastPause; }

    Json m_pool = Json::object();
    Json m_lastPause = Json::object(); // the pool when the run last paused (or started)
    Json m_stepBase = Json::object();  // the pool at the pause before that
    bool m_paused = false;
    QHash<QString, QString> m_titles;
    QStringList m_order;
};

} // namespace flowbench::panels

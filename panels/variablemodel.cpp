#include "variablemodel.h"

#include "variables/value.h"

namespace flowbench::panels {

namespace {

const VariableModel::Json *member(const VariableModel::Json &object, const QString &key)
{
    if (!object.is_object())
        return nullptr;
    const auto it = object.find(key.toStdString());
    return it == object.end() ? nullptr : &*it;
}

} // namespace

void VariableModel::reset(const Json &pool)
{
    m_pool = pool.is_object() ? pool : Json::object();
    m_lastPause = m_pool;
    m_stepBase = m_pool;
    m_paused = false;
    m_titles.clear();
    m_order.clear();
}

void VariableModel::setPool(const Json &pool)
{
    m_pool = pool.is_object() ? pool : Json::object();
}

void VariableModel::mergeOutputs(const QString &scope, const Json &outputs)
{
    if (!outputs.is_object())
        return;
    Json &target = m_pool[scope.toStdString()];
    if (!target.is_object())
        target = Json::object();
    for (auto it = outputs.begin(); it != outputs.end(); ++it)
        target[it.key()] = it.value();
}

void VariableModel::setValue(const QStringList &selector, const Json &value)
{
    if (selector.size() < 2)
        return;
    Json *at = &m_pool;
    for (int i = 0; i < selector.size() - 1; ++i) {
        Json &next = (*at)[selector.at(i).toStdString()];
        if (!next.is_object())
            next = Json::object();
        at = &next;
    }
    (*at)[selector.constLast().toStdString()] = value;
}

void VariableModel::paused(const Json &pool)
{
    setPool(pool);
    m_stepBase = m_lastPause;
    m_lastPause = m_pool;
    m_paused = true;
}

void VariableModel::resumed()
{
    m_paused = false;
}

bool VariableModel::isChanged(const QString &scope, const QString &name) const
{
    const Json *now = find({scope, name});
    if (!now)
        return false;
    const Json *scopeBase = member(base(), scope);
    const Json *before = scopeBase ? member(*scopeBase, name) : nullptr;
    return !before || *before != *now;
}

const VariableModel::Json *VariableModel::find(const QStringList &selector) const
{
    const Json *at = &m_pool;
    for (const QString &part : selector) {
        at = member(*at, part);
        if (!at)
            return nullptr;
    }
    return at;
}

void VariableModel::setTitle(const QString &nodeId, const QString &title)
{
    if (nodeId.isEmpty())
        return;
    if (!m_titles.contains(nodeId))
        m_order.append(nodeId);
    if (!title.isEmpty() || !m_titles.contains(nodeId))
        m_titles.insert(nodeId, title);
}

QString VariableModel::title(const QString &scope) const
{
    const QString t = m_titles.value(scope);
    return t.isEmpty() ? scope : t;
}

QString VariableModel::resolveScope(const QString &idOrTitle) const
{
    if (member(m_pool, idOrTitle) || m_titles.contains(idOrTitle))
        return idOrTitle;
    for (auto it = m_titles.cbegin(); it != m_titles.cend(); ++it) {
        if (it.value() == idOrTitle)
            return it.key();
    }
    return {};
}

QString VariableModel::typeOf(const Json &value)
{
    return QString::fromStdString(variables::userType(value));
}

QString VariableModel::preview(const Json &value, int length)
{
    QString text;
    if (value.is_string()) {
        text = QString::fromStdString(value.get<std::string>().substr(0, size_t(length) * 4));
    } else if (variables::isFile(value)) {
        const auto name = value.find("name");
        const auto mime = value.find("mime_type");
        text = name != value.end() && name->is_string() ? QString::fromStdString(*name)
                                                        : QStringLiteral("file");
        if (mime != value.end() && mime->is_string())
            text += QStringLiteral(" (%1)").arg(QString::fromStdString(*mime));
    } else {
        text = QString::fromStdString(value.dump(-1, ' ', false, Json::error_handler_t::replace));
    }
    text.replace(QLatin1Char('\n'), QStringLiteral(" ⏎ "));
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    text.replace(QLatin1Char('\t'), QLatin1Char(' '));
    if (text.size() > length)
        text = text.left(length - 1) + QChar(0x2026);
    return text;
}

} // namespace flowbench::panels

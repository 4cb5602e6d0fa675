#include "toolparams.h"

#include "variables/template.h"
#include "variables/value.h"

#include <QString>
#include <QStringList>

namespace flowbench::nodes::toolparams {

Input splitInput(const Json &entry)
{
    if (entry.is_object() && entry.contains("type") && entry.contains("value")) {
        const Json &type = entry.at("type");
        return {type.is_string() ? type.get<std::string>() : std::string(), entry.at("value")};
    }
    return {entry.is_string() ? "mixed" : "constant", entry};
}

variables::Selector toSelector(const Json &value)
{
    variables::Selector selector;
    if (value.is_array()) {
        for (const Json &part : value) {
            if (part.is_string())
                selector.push_back(part.get<std::string>());
        }
    } else if (value.is_string()) {
        for (const QString &part :
             QString::fromStdString(value.get<std::string>()).split(QLatin1Char('.')))
            selector.push_back(part.toStdString());
    }
    return selector;
}

std::string renderText(const Json &value, const variables::VariablePool &pool)
{
    const std::string source
        = value.is_string() ? value.get<std::string>() : variables::pythonStr(value);
    return variables::renderTemplate(source, pool, variables::Rendering::Text);
}

} // namespace flowbench::nodes::toolparams

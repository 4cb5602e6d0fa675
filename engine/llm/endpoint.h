#pragma once

#include <QHash>
#include <QString>

#include "chatclient.h"

namespace flowbench::llm {

// The endpoint a run's LLM-family nodes talk to, and how a Dify node's model maps onto the models
// that endpoint serves. (Named profiles with keychain-held keys build one of these.)
struct LlmEndpoint
{
    EndpointConfig config;
    QString forcedModel;                  // when set, every node uses it (flowbench run --model)
    QString defaultModel;                 // for nodes whose model name is empty
    QHash<QString, QString> modelMapping; // "provider/name" or "name" → served model

    // The served model for a node's {provider, name}: forced, mapped, the node's own name, or the
    // default — in that order.
    [[nodiscard]] QString resolveModel(const QString &provider, const QString &name) const
    {
        if (!forcedModel.isEmpty())
            return forcedModel;
        if (const auto it = modelMapping.constFind(provider + QLatin1Char('/') + name);
            it != modelMapping.cend())
            return *it;
        if (const auto it = modelMapping.constFind(name); it != modelMapping.cend())
            return *it;
        return name.isEmpty() ? defaultModel : name;
    }
};

} // namespace flowbench::llm

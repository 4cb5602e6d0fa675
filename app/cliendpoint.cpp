#include "cliendpoint.h"

#include <QUrl>

namespace flowbench::app {

bool isEndpointFlag(const QString &flag)
{
    return flag == QLatin1String("--endpoint") || flag == QLatin1String("--model")
           || flag == QLatin1String("--api-key-env");
}

bool applyEndpointFlag(const QString &flag, const QString &value,
                       std::optional<llm::LlmEndpoint> &endpoint, QString &model, QString &error)
{
    if (!endpoint)
        endpoint = llm::LlmEndpoint();
    if (flag == QLatin1String("--endpoint")) {
        QUrl url(value);
        if (!url.isValid()
            || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
            error = QStringLiteral("--endpoint: expected an http(s) URL such as "
                                   "http://127.0.0.1:8000/v1, got '%1'")
                        .arg(value);
            return false;
        }
        // Accept the server root or its /v1 base, as users paste either.
        QString path = url.path();
        while (path.endsWith(QLatin1Char('/')))
            path.chop(1);
        if (!path.endsWith(QLatin1String("/v1")))
            path += QStringLiteral("/v1");
        url.setPath(path);
        endpoint->config.baseUrl = url;
    } else if (flag == QLatin1String("--model")) {
        endpoint->forcedModel = value;
        model = value;
    } else {
        if (!qEnvironmentVariableIsSet(value.toLocal8Bit().constData())) {
            error = QStringLiteral("--api-key-env: the environment variable %1 is not set")
                        .arg(value);
            return false;
        }
        endpoint->config.apiKey = qEnvironmentVariable(value.toLocal8Bit().constData());
    }
    return true;
}

bool checkEndpointFlags(const QString &profile, const std::optional<llm::LlmEndpoint> &endpoint,
                        QString &error)
{
    const bool hasUrl = endpoint && !endpoint->config.baseUrl.isEmpty();
    if (!profile.isEmpty() && hasUrl) {
        error = QStringLiteral("give --profile or --endpoint, not both");
        return false;
    }
    if (profile.isEmpty() && endpoint && !hasUrl) {
        error = QStringLiteral("--model and --api-key-env need --endpoint URL");
        return false;
    }
    return true;
}

} // namespace flowbench::app

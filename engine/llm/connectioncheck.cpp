#include "connectioncheck.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace flowbench::llm {

namespace {

QUrl withPath(QUrl url, const QString &suffix)
{
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + suffix);
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

// The "message" of an OpenAI/vLLM error body (nested or flat), or the body's start.
QString errorMessage(const QByteArray &body)
{
    const Json json = Json::parse(body.constData(), body.constData() + body.size(), nullptr, false);
    if (json.is_object()) {
        if (const auto it = json.find("error"); it != json.end()) {
            if (it->is_string())
                return QString::fromStdString(it->get<std::string>());
            if (it->is_object()) {
                const auto m = it->find("message");
                if (m != it->end() && m->is_string())
                    return QString::fromStdString(m->get<std::string>());
            }
        }
        if (const auto m = json.find("message"); m != json.end() && m->is_string())
            return QString::fromStdString(m->get<std::string>());
    }
    return QString::fromUtf8(body.left(200)).simplified();
}

} // namespace

ConnectionCheck::ConnectionCheck(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network ? network : new QNetworkAccessManager(this))
{}

ConnectionCheck::~ConnectionCheck()
{
    cancel();
}

QUrl ConnectionCheck::serverRoot(const QUrl &baseUrl)
{
    QUrl root = baseUrl;
    QString path = root.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    if (path.endsWith(QLatin1String("/v1")))
        path.chop(3);
    root.setPath(path);
    root.setQuery(QString());
    root.setFragment(QString());
    return root;
}

QString ConnectionCheck::stateName(State state)
{
    switch (state) {
    case State::Idle:
        return QStringLiteral("idle");
    case State::Checking:
        return QStringLiteral("checking");
    case State::Connected:
        return QStringLiteral("connected");
    case State::ModelMissing:
        return QStringLiteral("model-missing");
    case State::Unauthorized:
        return QStringLiteral("unauthorized");
    case State::Loading:
        return QStringLiteral("loading");
    case State::Unreachable:
        return QStringLiteral("unreachable");
    case State::Error:
        return QStringLiteral("error");
    }
    return QStringLiteral("error");
}

void ConnectionCheck::start(const EndpointProfile &profile, const QString &apiKey, int timeoutMs)
{
    cancel();
    m_profile = profile;
    m_timeoutMs = timeoutMs > 0 ? timeoutMs : 5000;
    m_modelsAnswer = {};
    m_health = {};
    m_models.clear();
    m_maxModelLen = 0;
    m_detail.clear();
    m_state = State::Checking;
    m_wantHealth = profile.kind == ServerKind::VLlm || profile.kind == ServerKind::LlamaCpp
                   || profile.kind == ServerKind::Simulator;

    if (!profile.baseUrl.isValid() || profile.baseUrl.host().isEmpty()) {
        // Not synchronously: callers connect after start() too.
        QTimer::singleShot(0, this, [this] {
            if (m_state == State::Checking)
                finish(State::Error,
                       QCoreApplication::translate("flowbench::llm::ConnectionCheck",
                                                   "The base URL is not a valid address."));
        });
        return;
    }

    QNetworkRequest models(withPath(profile.baseUrl, QStringLiteral("/models")));
    models.setTransferTimeout(m_timeoutMs);
    models.setRawHeader("Accept", "application/json");
    if (!apiKey.isEmpty())
        models.setRawHeader("Authorization", "Bearer " + apiKey.toUtf8());
    QNetworkReply *reply = m_network->get(models);
    m_modelsReply = reply;
    connect(reply, &QNetworkReply::finished, this,
            [this, reply] { onReply(reply, &m_modelsAnswer); });

    if (m_wantHealth) {
        QNetworkRequest health(withPath(serverRoot(profile.baseUrl), QStringLiteral("/health")));
        health.setTransferTimeout(m_timeoutMs);
        QNetworkReply *healthReply = m_network->get(health);
        m_healthReply = healthReply;
        connect(healthReply, &QNetworkReply::finished, this,
                [this, healthReply] { onReply(healthReply, &m_health); });
    }
}

void ConnectionCheck::cancel()
{
    for (QPointer<QNetworkReply> *reply : {&m_modelsReply, &m_healthReply}) {
        if (QNetworkReply *r = reply->data()) {
            reply->clear();
            r->disconnect(this);
            r->abort();
            r->deleteLater();
        }
    }
    if (m_state == State::Checking)
        m_state = State::Idle;
}

void ConnectionCheck::onReply(QNetworkReply *reply, Answer *answer)
{
    if (m_state != State::Checking)
        return;
    answer->done = true;
    answer->status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->isOpen())
        answer->body = reply->readAll(); // an aborted reply is closed
    if (answer->status == 0 && reply->error() != QNetworkReply::NoError) {
        answer->connectionError = true;
        answer->errorText = reply->error() == QNetworkReply::OperationCanceledError
                                ? QCoreApplication::translate("flowbench::llm::ConnectionCheck",
                                                              "no answer within %1 ms")
                                      .arg(m_timeoutMs)
                                : reply->errorString();
    }
    if (reply == m_modelsReply)
        m_modelsReply.clear();
    else if (reply == m_healthReply)
        m_healthReply.clear();
    reply->deleteLater();
    if (m_modelsAnswer.done && (!m_wantHealth || m_health.done))
        conclude();
}

void ConnectionCheck::conclude()
{
    const Answer &models = m_modelsAnswer;
    const bool healthLoading = m_wantHealth && m_health.status == 503;
    const QString address = m_profile.baseUrl.toString();

    if (models.connectionError && !healthLoading) {
        QString detail
            = QCoreApplication::translate("flowbench::llm::ConnectionCheck", "Cannot reach %1: %2.")
                  .arg(address, models.errorText);
        if (m_profile.kind == ServerKind::VLlm)
            detail += QLatin1Char(' ')
                      + QCoreApplication::translate("flowbench::llm::ConnectionCheck",
                                                    "A vLLM server opens its port only after its "
                                                    "model has loaded.");
        finish(State::Unreachable, detail);
        return;
    }
    if (models.status == 401 || models.status == 403) {
        finish(State::Unauthorized,
               QCoreApplication::translate("flowbench::llm::ConnectionCheck",
                                           "The server refused the API key (HTTP %1: %2). Check "
                                           "the key stored for this profile.")
                   .arg(models.status)
                   .arg(errorMessage(models.body)));
        return;
    }
    if (models.status == 503 || healthLoading) {
        finish(State::Loading,
               QCoreApplication::translate("flowbench::llm::ConnectionCheck",
                                           "The server is up but still loading its model."));
        return;
    }
    if (models.status != 200) {
        finish(State::Error, QCoreApplication::translate("flowbench::llm::ConnectionCheck",
                                                         "%1/models answered HTTP %2: %3")
                                 .arg(address)
                                 .arg(models.status)
                                 .arg(errorMessage(models.body)));
        return;
    }

    const Json json = Json::parse(models.body.constData(),
                                  models.body.constData() + models.body.size(), nullptr, false);
    const auto data = json.is_object() ? json.find("data") : json.end();
    if (!json.is_object() || data == json.end() || !data->is_array()) {
        finish(State::Error,
               QCoreApplication::translate("flowbench::llm::ConnectionCheck",
                                           "%1/models did not answer with a model list; is this "
                                           "an OpenAI-compatible server?")
                   .arg(address));
        return;
    }
    int firstLen = 0;
    int defaultLen = 0;
    for (const Json &card : *data) {
        if (!card.is_object() || !card.contains("id") || !card["id"].is_string())
            continue;
        const QString id = QString::fromStdString(card["id"].get<std::string>());
        int len = 0;
        if (const auto it = card.find("max_model_len"); it != card.end() && it->is_number())
            len = it->get<int>();
        if (m_models.isEmpty())
            firstLen = len;
        if (id == m_profile.defaultModel)
            defaultLen = len;
        m_models.append(id);
    }
    if (!m_profile.defaultModel.isEmpty() && !m_models.contains(m_profile.defaultModel)) {
        m_maxModelLen = firstLen;
        finish(State::ModelMissing,
               QCoreApplication::translate("flowbench::llm::ConnectionCheck",
                                           "The server does not serve the model \"%1\"; it "
                                           "serves: %2.")
                   .arg(m_profile.defaultModel, m_models.isEmpty()
                                                    ? QStringLiteral("-")
                                                    : m_models.join(QStringLiteral(", "))));
        return;
    }
    m_maxModelLen = m_profile.defaultModel.isEmpty() ? firstLen : defaultLen;
    QString model = m_profile.defaultModel.isEmpty() ? m_models.value(0) : m_profile.defaultModel;
    if (model.isEmpty())
        model = QStringLiteral("-");
    finish(State::Connected,
           m_maxModelLen > 0
               ? QCoreApplication::translate("flowbench::llm::ConnectionCheck",
                                             "Connected: %1 (context %2 tokens).")
                     .arg(model)
                     .arg(m_maxModelLen)
               : QCoreApplication::translate("flowbench::llm::ConnectionCheck", "Connected: %1.")
                     .arg(model));
}

void ConnectionCheck::finish(State state, const QString &detail)
{
    cancel();
    m_state = state;
    m_detail = detail;
    Q_EMIT finished(state, detail, m_models);
}

} // namespace flowbench::llm

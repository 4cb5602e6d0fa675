#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include "llm/endpointprofile.h"

class QNetworkAccessManager;
class QNetworkReply;

namespace flowbench::llm {

// Checks once whether a profile's server answers (openai-endpoints.md §5): GET <base>/models
// (Bearer key when given) and, for vLLM, llama.cpp and the simulator, GET <server root>/health
// (no key). No retries or backoff: callers poll.
//
// Outcome, in this order of precedence:
// - Unreachable: /models could not connect or timed out (and /health did not say 503). vLLM
//   opens its port only after loading, so a loading vLLM also reads as unreachable.
// - Unauthorized: /models answered 401 or 403.
// - Loading: /models or /health answered 503.
// - ModelMissing: /models answered, but the profile's defaultModel is not among the models.
// - Connected: /models answered (models(), maxModelLen() of the default or first model).
// - Error: anything else (another HTTP status, a body that is not a model list).
//
// Lives on the thread of the network manager; finished() is emitted exactly once per start()
// (never synchronously inside start(), never after cancel()). Starting again cancels the
// previous check.
//
//     ConnectionCheck check(&network);
//     connect(&check, &ConnectionCheck::finished, this,
//             [](ConnectionCheck::State s, const QString &detail, const QStringList &models) {});
//     check.start(profile, apiKey);
class ConnectionCheck : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Idle,
        Checking,
        Connected,
        ModelMissing,
        Unauthorized,
        Loading,
        Unreachable,
        Error
    };
    Q_ENUM(State)

    // network may be null: the check then uses a manager of its own.
    explicit ConnectionCheck(QNetworkAccessManager *network = nullptr, QObject *parent = nullptr);
    ~ConnectionCheck() override;

    void start(const EndpointProfile &profile, const QString &apiKey = {}, int timeoutMs = 5000);
    void cancel();

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] bool isRunning() const { return m_state == State::Checking; }
    [[nodiscard]] QString detail() const { return m_detail; }
    [[nodiscard]] QStringList models() const { return m_models; }
    [[nodiscard]] int maxModelLen() const { return m_maxModelLen; } // 0: not reported

    // "http://host:port/prefix" for "http://host:port/prefix/v1/" (where /health lives).
    [[nodiscard]] static QUrl serverRoot(const QUrl &baseUrl);
    [[nodiscard]] static QString stateName(State state);

Q_SIGNALS:
    void finished(flowbench::llm::ConnectionCheck::State state, const QString &detail,
                  const QStringList &models);

private:
    struct Answer
    {
        bool done = false;
        bool connectionError = false; // refused, timeout, DNS, TLS...
        int status = 0;
        QString errorText;
        QByteArray body;
    };

    void onReply(QNetworkReply *reply, Answer *answer);
    void conclude();
    void finish(State state, const QString &detail);

    QNetworkAccessManager *m_network = nullptr;
    EndpointProfile m_profile;
    int m_timeoutMs = 5000;
    QPointer<QNetworkReply> m_modelsReply;
    QPointer<QNetworkReply> m_healthReply;
    Answer m_modelsAnswer;
    Answer m_health;
    bool m_wantHealth = false;
    State m_state = State::Idle;
    QString m_detail;
    QStringList m_models;
    int m_maxModelLen = 0;
};

} // namespace flowbench::llm

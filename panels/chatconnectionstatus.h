#pragma once

#include <QStringList>
#include <QWidget>

#include "llm/connectioncheck.h"
#include "llm/endpointprofile.h"

class QLabel;
class QNetworkAccessManager;
class QTimer;
class QToolButton;

namespace flowbench::panels {

// The chat pane's connection status line ("chat.connection"): a coloured dot and a sentence —
// connected (with the model and its context length), loading, unreachable, unauthorized, model
// missing — plus a "Check now" button. Polls GET /v1/models (llm::ConnectionCheck) every
// okIntervalMs while connected; while failing it backs off from failIntervalMs, doubling up to
// maxFailIntervalMs. setProfile() checks at once. GUI thread only.
class ChatConnectionStatus : public QWidget
{
    Q_OBJECT

public:
    explicit ChatConnectionStatus(QNetworkAccessManager *network, QWidget *parent = nullptr);
    ~ChatConnectionStatus() override;

    // Starts polling `profile` (its baseUrl as resolved: an in-process simulator may have moved).
    void setProfile(const llm::EndpointProfile &profile, const QString &apiKey);
    // Stops polling and shows `message` (e.g. "Starting the simulator…").
    void setIdle(const QString &message);
    void setIntervals(int okIntervalMs, int failIntervalMs, int maxFailIntervalMs);

    [[nodiscard]] llm::ConnectionCheck::State state() const { return m_state; }
    [[nodiscard]] QString text() const;
    [[nodiscard]] QStringList models() const { return m_models; }
    [[nodiscard]] int currentIntervalMs() const { return m_interval; }

public Q_SLOTS:
    void checkNow();

Q_SIGNALS:
    void stateChanged(flowbench::llm::ConnectionCheck::State state, const QString &text);
    void modelsChanged(const QStringList &models);

private:
    void onFinished(llm::ConnectionCheck::State state, const QString &detail,
                    const QStringList &models);
    void show(llm::ConnectionCheck::State state, const QString &text);

    llm::ConnectionCheck *m_check = nullptr;
    QTimer *m_timer = nullptr;
    QLabel *m_dot = nullptr;
    QLabel *m_label = nullptr;
    QToolButton *m_checkButton = nullptr;
    llm::EndpointProfile m_profile;
    QString m_apiKey;
    bool m_active = false;
    llm::ConnectionCheck::State m_state = llm::ConnectionCheck::State::Idle;
    QStringList m_models;
    int m_okInterval = 5000;
    int m_failInterval = 2000;
    int m_maxFailInterval = 30000;
    int m_interval = 5000;
};

} // namespace flowbench::panels

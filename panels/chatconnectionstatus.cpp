#include "chatconnectionstatus.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>
#include <QToolButton>

namespace flowbench::panels {

using State = llm::ConnectionCheck::State;

ChatConnectionStatus::ChatConnectionStatus(QNetworkAccessManager *network, QWidget *parent)
    : QWidget(parent)
    , m_check(new llm::ConnectionCheck(network, this))
    , m_timer(new QTimer(this))
    , m_dot(new QLabel(this))
    , m_label(new QLabel(this))
    , m_checkButton(new QToolButton(this))
{
    setObjectName(QStringLiteral("chat.connection"));
    m_label->setObjectName(QStringLiteral("chat.connectionText"));
    m_checkButton->setObjectName(QStringLiteral("chat.checkNow"));
    m_checkButton->setText(tr("Check now"));
    m_checkButton->setAutoRaise(true);
    m_dot->setFixedSize(10, 10);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(2, 0, 2, 0);
    layout->setSpacing(6);
    layout->addWidget(m_dot);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_checkButton);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &ChatConnectionStatus::checkNow);
    connect(m_checkButton, &QToolButton::clicked, this, &ChatConnectionStatus::checkNow);
    connect(m_check, &llm::ConnectionCheck::finished, this, &ChatConnectionStatus::onFinished);
    show(State::Idle, tr("Not checked yet"));
}

ChatConnectionStatus::~ChatConnectionStatus() = default;

void ChatConnectionStatus::setIntervals(int okIntervalMs, int failIntervalMs, int maxFailIntervalMs)
{
    m_okInterval = okIntervalMs;
    m_failInterval = failIntervalMs;
    m_maxFailInterval = std::max(failIntervalMs, maxFailIntervalMs);
    m_interval = m_okInterval;
}

void ChatConnectionStatus::setProfile(const llm::EndpointProfile &profile, const QString &apiKey)
{
    m_profile = profile;
    m_apiKey = apiKey;
    m_active = true;
    m_interval = m_okInterval;
    checkNow();
}

void ChatConnectionStatus::setIdle(const QString &message)
{
    m_active = false;
    m_timer->stop();
    m_check->cancel();
    show(State::Idle, message);
}

void ChatConnectionStatus::checkNow()
{
    if (!m_active)
        return;
    m_timer->stop();
    if (m_state == State::Idle)
        show(State::Checking, tr("Checking %1…").arg(m_profile.baseUrl.toDisplayString()));
    m_check->start(m_profile, m_apiKey, 4000);
}

QString ChatConnectionStatus::text() const
{
    return m_label->text();
}

void ChatConnectionStatus::onFinished(State state, const QString &detail, const QStringList &models)
{
    QString text;
    switch (state) {
    case State::Connected: {
        const QString model
            = m_profile.defaultModel.isEmpty() ? models.value(0) : m_profile.defaultModel;
        text = m_check->maxModelLen() > 0
                   ? tr("Connected: %1 (context %2 tokens)").arg(model).arg(m_check->maxModelLen())
                   : tr("Connected: %1").arg(model);
        break;
    }
    case State::Loading:
        text = tr("Loading: the server is up but still loading the model");
        break;
    case State::Unreachable:
        text = tr("Unreachable: nothing answers at %1").arg(m_profile.baseUrl.toDisplayString());
        break;
    case State::Unauthorized:
        text = tr("Unauthorized: the server refused the API key (set it in the endpoint profile)");
        break;
    case State::ModelMissing:
        text = tr("Model missing: %1 is not served here (serves: %2)")
                   .arg(m_profile.defaultModel, models.join(QStringLiteral(", ")));
        break;
    default:
        text = tr("Error: %1").arg(detail);
        break;
    }
    if (!detail.isEmpty() && state != State::Connected && state != State::Error)
        m_label->setToolTip(detail);
    else
        m_label->setToolTip({});
    if (models != m_models) {
        m_models = models;
        Q_EMIT modelsChanged(models);
    }
    show(state, text);
    if (state == State::Connected || state == State::ModelMissing)
        m_interval = m_okInterval;
    else if (m_interval == m_okInterval)
        m_interval = m_failInterval;
    else
        m_interval = std::min(m_interval * 2, m_maxFailInterval);
    if (m_active)
        m_timer->start(m_interval);
}

void ChatConnectionStatus::show(State state, const QString &text)
{
    QColor color;
    switch (state) {
    case State::Connected:
        color = QColor(0x2e, 0xa0, 0x43);
        break;
    case State::Loading:
    case State::Checking:
    case State::ModelMissing:
        color = QColor(0xe0, 0x9b, 0x20);
        break;
    case State::Idle:
        color = QColor(0x9a, 0xa0, 0xa6);
        break;
    default:
        color = QColor(0xd9, 0x3b, 0x3b);
        break;
    }
    m_dot->setStyleSheet(QStringLiteral("background:%1;border-radius:5px;").arg(color.name()));
    const bool changed = state != m_state || text != m_label->text();
    m_state = state;
    m_label->setText(text);
    if (changed)
        Q_EMIT stateChanged(state, text);
}

} // namespace flowbench::panels

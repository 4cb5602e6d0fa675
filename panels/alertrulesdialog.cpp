#include "alertrulesdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableWidget>
#include <QVBoxLayout>

namespace flowbench::panels {

using metering::AlertRule;
using metering::WebhookFormat;
using metering::WebhookTarget;
using Json = nlohmann::json;

namespace {

const char *const kScopeNames[] = {"total", "app", "user", "model"};
const char *const kFormatNames[] = {"slack", "dingtalk", "wecom", "json"};

std::string stdText(const QString &s)
{
    return s.toStdString();
}

} // namespace

Json alertRulesToJson(const std::vector<AlertRule> &rules)
{
    Json list = Json::array();
    for (const AlertRule &r : rules) {
        Json hooks = Json::array();
        for (const WebhookTarget &w : r.webhooks)
            hooks.push_back(Json{{"url", stdText(w.url.toString())},
                                 {"format", kFormatNames[static_cast<int>(w.format)]}});
        list.push_back(Json{{"name", stdText(r.name)},
                            {"kind", stdText(metering::ruleKindName(r.kind))},
                            {"scope", kScopeNames[static_cast<int>(r.scope)]},
                            {"scope_value", stdText(r.scopeValue)},
                            {"threshold", r.threshold},
                            {"notify", r.notify},
                            {"pause_run", r.pauseRun},
                            {"webhooks", hooks}});
    }
    return Json{{"version", 1}, {"rules", list}};
}

Result<std::vector<AlertRule>> alertRulesFromJson(const Json &json)
{
    const auto bad = [](const QString &what) {
        return makeError(QStringLiteral("alerts.format"),
                         QCoreApplication::translate("flowbench::panels::AlertRulesDialog",
                                                     "The alert rules are not valid: %1")
                             .arg(what));
    };
    if (!json.is_object() || !json.contains("rules") || !json["rules"].is_array())
        return bad(QStringLiteral("no \"rules\" list"));
    std::vector<AlertRule> rules;
    try {
        for (const Json &j : json["rules"]) {
            AlertRule r;
            r.name = QString::fromStdString(j.value("name", std::string()));
            const QString kind = QString::fromStdString(j.value("kind", "tokens_per_minute"));
            bool knownKind = false;
            for (auto k : {AlertRule::Kind::TokensPerMinute, AlertRule::Kind::TokensPerRun,
                           AlertRule::Kind::CostPerRun, AlertRule::Kind::CostPerDay})
                if (metering::ruleKindName(k) == kind) {
                    r.kind = k;
                    knownKind = true;
                }
            if (!knownKind)
                return bad(kind);
            const std::string scope = j.value("scope", "total");
            const auto s = std::find(std::begin(kScopeNames), std::end(kScopeNames), scope);
            if (s == std::end(kScopeNames))
                return bad(QString::fromStdString(scope));
            r.scope = static_cast<AlertRule::Scope>(s - std::begin(kScopeNames));
            r.scopeValue = QString::fromStdString(j.value("scope_value", std::string()));
            r.threshold = j.value("threshold", 0.0);
            r.notify = j.value("notify", true);
            r.pauseRun = j.value("pause_run", false);
            for (const Json &w : j.value("webhooks", Json::array())) {
                WebhookTarget t;
                t.url = QUrl(QString::fromStdString(w.value("url", std::string())));
                const std::string format = w.value("format", "json");
                const auto f = std::find(std::begin(kFormatNames), std::end(kFormatNames), format);
                t.format = f == std::end(kFormatNames)
                               ? metering::webhookFormatForUrl(t.url)
                               : static_cast<WebhookFormat>(f - std::begin(kFormatNames));
                r.webhooks.push_back(t);
            }
            rules.push_back(std::move(r));
        }
    } catch (const Json::exception &e) {
        return bad(QString::fromUtf8(e.what()));
    }
    return rules;
}

QString alertRulesPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
           + QStringLiteral("/alert_rules.json");
}

Result<std::vector<AlertRule>> loadAlertRules(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return std::vector<AlertRule>{};
    if (!file.open(QIODevice::ReadOnly))
        return makeError(
            QStringLiteral("alerts.read"),
            QCoreApplication::translate("flowbench::panels::AlertRulesDialog", "Cannot read %1: %2")
                .arg(path, file.errorString()));
    const Json json = Json::parse(file.readAll().toStdString(), nullptr, false);
    if (json.is_discarded())
        return makeError(
            QStringLiteral("alerts.format"),
            QCoreApplication::translate("flowbench::panels::AlertRulesDialog", "%1 is not JSON")
                .arg(path));
    return alertRulesFromJson(json);
}

Result<void> saveAlertRules(const std::vector<AlertRule> &rules, const QString &path)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(QStringLiteral("alerts.write"),
                         QCoreApplication::translate("flowbench::panels::AlertRulesDialog",
                                                     "Cannot write %1: %2")
                             .arg(path, file.errorString()));
    file.write(QByteArray::fromStdString(alertRulesToJson(rules).dump(2)));
    if (!file.commit())
        return makeError(QStringLiteral("alerts.write"),
                         QCoreApplication::translate("flowbench::panels::AlertRulesDialog",
                                                     "Cannot write %1: %2")
                             .arg(path, file.errorString()));
    return {};
}

AlertRulesDialog::AlertRulesDialog(std::vector<AlertRule> rules, QWidget *parent)
    : QDialog(parent)
    , m_savePath(alertRulesPath())
{
    setObjectName(QStringLiteral("dialog.alertRules"));
    setWindowTitle(tr("Usage Alerts"));
    resize(820, 520);

    auto *layout = new QVBoxLayout(this);
    auto *splitter = new QSplitter(Qt::Horizontal, this);

    auto *left = new QWidget(splitter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    m_list = new QListWidget(left);
    m_list->setObjectName(QStringLiteral("alerts.list"));
    leftLayout->addWidget(m_list, 1);
    auto *listButtons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add Rule"), left);
    add->setObjectName(QStringLiteral("alerts.add"));
    auto *remove = new QPushButton(tr("Remove"), left);
    remove->setObjectName(QStringLiteral("alerts.remove"));
    listButtons->addWidget(add);
    listButtons->addWidget(remove);
    leftLayout->addLayout(listButtons);

    m_form = new QWidget(splitter);
    auto *formLayout = new QVBoxLayout(m_form);
    formLayout->setContentsMargins(0, 0, 0, 0);
    auto *ruleBox = new QGroupBox(tr("Rule"), m_form);
    auto *form = new QFormLayout(ruleBox);
    m_name = new QLineEdit(ruleBox);
    m_name->setObjectName(QStringLiteral("alerts.name"));
    m_kind = new QComboBox(ruleBox);
    m_kind->setObjectName(QStringLiteral("alerts.kind"));
    m_kind->addItems({tr("Tokens per minute (sliding 60 s)"), tr("Tokens per run"),
                      tr("Cost per run"), tr("Cost per day")});
    m_scope = new QComboBox(ruleBox);
    m_scope->setObjectName(QStringLiteral("alerts.scope"));
    m_scope->addItems(
        {tr("All calls together"), tr("Each app"), tr("Each user"), tr("Each model")});
    m_scopeValue = new QLineEdit(ruleBox);
    m_scopeValue->setObjectName(QStringLiteral("alerts.scopeValue"));
    m_scopeValue->setPlaceholderText(tr("any (count each value separately)"));
    auto *thresholdRow = new QHBoxLayout;
    m_threshold = new QDoubleSpinBox(ruleBox);
    m_threshold->setObjectName(QStringLiteral("alerts.threshold"));
    m_threshold->setRange(0, 1e12);
    m_threshold->setDecimals(4);
    m_threshold->setGroupSeparatorShown(true);
    m_unit = new QLabel(ruleBox);
    thresholdRow->addWidget(m_threshold, 1);
    thresholdRow->addWidget(m_unit);
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Measure:"), m_kind);
    form->addRow(tr("Counted for:"), m_scope);
    form->addRow(tr("Only for:"), m_scopeValue);
    form->addRow(tr("Alert above:"), thresholdRow);
    formLayout->addWidget(ruleBox);

    auto *actionBox = new QGroupBox(tr("Actions"), m_form);
    auto *actions = new QVBoxLayout(actionBox);
    m_notify = new QCheckBox(tr("Desktop notification and a line in Events"), actionBox);
    m_notify->setObjectName(QStringLiteral("alerts.notify"));
    m_pause = new QCheckBox(tr("Pause the run (budget breakpoint)"), actionBox);
    m_pause->setObjectName(QStringLiteral("alerts.pause"));
    actions->addWidget(m_notify);
    actions->addWidget(m_pause);
    actions->addWidget(new QLabel(tr("Webhooks (POSTed on every alert):"), actionBox));
    m_webhooks = new QTableWidget(0, 2, actionBox);
    m_webhooks->setObjectName(QStringLiteral("alerts.webhooks"));
    m_webhooks->setHorizontalHeaderLabels({tr("URL"), tr("Format")});
    m_webhooks->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_webhooks->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_webhooks->verticalHeader()->hide();
    actions->addWidget(m_webhooks, 1);
    auto *hookButtons = new QHBoxLayout;
    auto *addHook = new QPushButton(tr("Add Webhook"), actionBox);
    addHook->setObjectName(QStringLiteral("alerts.addWebhook"));
    auto *removeHook = new QPushButton(tr("Remove Webhook"), actionBox);
    hookButtons->addWidget(addHook);
    hookButtons->addWidget(removeHook);
    hookButtons->addStretch(1);
    actions->addLayout(hookButtons);
    formLayout->addWidget(actionBox, 1);

    splitter->addWidget(left);
    splitter->addWidget(m_form);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    layout->addWidget(splitter, 1);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("alerts.status"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto *bottom = new QHBoxLayout;
    auto *import = new QPushButton(tr("Import Plugin YAML…"), this);
    import->setObjectName(QStringLiteral("alerts.import"));
    import->setToolTip(tr("Read the Dify token-metering plugin's configuration (alerting.*, "
                          "prometheus.*)"));
    bottom->addWidget(import);
    bottom->addStretch(1);
    auto *box = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    bottom->addWidget(box);
    layout->addLayout(bottom);

    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (!m_loading)
            selectRule(row);
    });
    connect(add, &QPushButton::clicked, this, [this] {
        AlertRule r;
        r.name = tr("Rule %1").arg(m_rules.size() + 1);
        r.threshold = 10000;
        addRule(r);
    });
    connect(remove, &QPushButton::clicked, this, [this] { removeRule(m_current); });
    connect(m_name, &QLineEdit::textEdited, this, &AlertRulesDialog::storeForm);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &AlertRulesDialog::storeForm);
    connect(m_scope, &QComboBox::currentIndexChanged, this, &AlertRulesDialog::storeForm);
    connect(m_scopeValue, &QLineEdit::textEdited, this, &AlertRulesDialog::storeForm);
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, &AlertRulesDialog::storeForm);
    connect(m_notify, &QCheckBox::toggled, this, &AlertRulesDialog::storeForm);
    connect(m_pause, &QCheckBox::toggled, this, &AlertRulesDialog::storeForm);
    connect(m_webhooks, &QTableWidget::itemChanged, this, [this](QTableWidgetItem *item) {
        if (m_loading)
            return;
        // The format follows the URL's host until the user picks one.
        auto *combo = qobject_cast<QComboBox *>(m_webhooks->cellWidget(item->row(), 1));
        if (combo && !combo->property("chosen").toBool()) {
            const QSignalBlocker blocker(combo);
            combo->setCurrentIndex(
                static_cast<int>(metering::webhookFormatForUrl(QUrl(item->text().trimmed()))));
        }
        storeWebhooks();
    });
    connect(addHook, &QPushButton::clicked, this, [this] {
        if (m_current < 0)
            return;
        addWebhookRow({});
        m_webhooks->editItem(m_webhooks->item(m_webhooks->rowCount() - 1, 0));
    });
    connect(removeHook, &QPushButton::clicked, this, [this] {
        if (m_webhooks->currentRow() >= 0) {
            m_webhooks->removeRow(m_webhooks->currentRow());
            storeWebhooks();
        }
    });
    connect(import, &QPushButton::clicked, this, [this] { (void)importPluginConfig(); });
    connect(box, &QDialogButtonBox::accepted, this, [this] {
        if (save())
            accept();
    });
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);

    setRules(std::move(rules));
}

void AlertRulesDialog::setRules(std::vector<AlertRule> rules)
{
    m_rules = std::move(rules);
    m_loading = true;
    m_list->clear();
    for (size_t i = 0; i < m_rules.size(); ++i) {
        m_list->addItem(QString());
        refreshListItem(static_cast<int>(i));
    }
    m_loading = false;
    selectRule(m_rules.empty() ? -1 : 0);
}

void AlertRulesDialog::refreshListItem(int row)
{
    QListWidgetItem *item = m_list->item(row);
    if (!item || row < 0 || static_cast<size_t>(row) >= m_rules.size())
        return;
    const AlertRule &r = m_rules[static_cast<size_t>(row)];
    item->setText(r.name.isEmpty() ? tr("(unnamed rule)") : r.name);
}

int AlertRulesDialog::addRule(AlertRule rule)
{
    m_rules.push_back(std::move(rule));
    const int row = static_cast<int>(m_rules.size()) - 1;
    m_loading = true;
    m_list->addItem(QString());
    m_loading = false;
    refreshListItem(row);
    selectRule(row);
    return row;
}

void AlertRulesDialog::removeRule(int row)
{
    if (row < 0 || static_cast<size_t>(row) >= m_rules.size())
        return;
    m_rules.erase(m_rules.begin() + row);
    m_loading = true;
    delete m_list->takeItem(row);
    m_loading = false;
    selectRule(std::min(row, static_cast<int>(m_rules.size()) - 1));
}

void AlertRulesDialog::selectRule(int row)
{
    m_current = row >= 0 && static_cast<size_t>(row) < m_rules.size() ? row : -1;
    m_loading = true;
    m_list->setCurrentRow(m_current);
    m_loading = false;
    loadForm();
}

void AlertRulesDialog::loadForm()
{
    m_loading = true;
    m_form->setEnabled(m_current >= 0);
    const AlertRule r = m_current >= 0 ? m_rules[static_cast<size_t>(m_current)] : AlertRule{};
    m_name->setText(r.name);
    m_kind->setCurrentIndex(static_cast<int>(r.kind));
    m_scope->setCurrentIndex(static_cast<int>(r.scope));
    m_scopeValue->setText(r.scopeValue);
    const bool costRule
        = r.kind == AlertRule::Kind::CostPerRun || r.kind == AlertRule::Kind::CostPerDay;
    m_threshold->setDecimals(costRule ? 4 : 0); // before the value, which it would round
    m_threshold->setValue(r.threshold);
    m_notify->setChecked(r.notify);
    m_pause->setChecked(r.pauseRun);
    m_webhooks->setRowCount(0);
    for (const WebhookTarget &w : r.webhooks)
        addWebhookRow(w);
    const bool cost
        = r.kind == AlertRule::Kind::CostPerRun || r.kind == AlertRule::Kind::CostPerDay;
    m_unit->setText(cost ? tr("USD") : tr("tokens"));
    m_threshold->setDecimals(cost ? 4 : 0);
    m_scopeValue->setEnabled(m_scope->currentIndex() != static_cast<int>(AlertRule::Scope::Total));
    m_loading = false;
}

void AlertRulesDialog::storeForm()
{
    if (m_loading || m_current < 0)
        return;
    AlertRule &r = m_rules[static_cast<size_t>(m_current)];
    r.name = m_name->text().trimmed();
    r.kind = static_cast<AlertRule::Kind>(m_kind->currentIndex());
    r.scope = static_cast<AlertRule::Scope>(m_scope->currentIndex());
    r.scopeValue = m_scopeValue->text().trimmed();
    r.threshold = m_threshold->value();
    r.notify = m_notify->isChecked();
    r.pauseRun = m_pause->isChecked();
    const bool cost
        = r.kind == AlertRule::Kind::CostPerRun || r.kind == AlertRule::Kind::CostPerDay;
    m_unit->setText(cost ? tr("USD") : tr("tokens"));
    m_threshold->setDecimals(cost ? 4 : 0);
    m_scopeValue->setEnabled(m_scope->currentIndex() != static_cast<int>(AlertRule::Scope::Total));
    refreshListItem(m_current);
}

void AlertRulesDialog::addWebhookRow(const WebhookTarget &target)
{
    const bool wasLoading = m_loading;
    m_loading = true;
    const int row = m_webhooks->rowCount();
    m_webhooks->insertRow(row);
    m_webhooks->setItem(row, 0, new QTableWidgetItem(target.url.toString()));
    auto *combo = new QComboBox(m_webhooks);
    combo->addItems({tr("Slack"), tr("DingTalk"), tr("WeCom (企业微信)"), tr("Generic JSON")});
    combo->setCurrentIndex(static_cast<int>(target.format));
    combo->setProperty("chosen", !target.url.isEmpty());
    connect(combo, &QComboBox::activated, this, [this, combo] {
        combo->setProperty("chosen", true);
        storeWebhooks();
    });
    m_webhooks->setCellWidget(row, 1, combo);
    m_loading = wasLoading;
}

void AlertRulesDialog::storeWebhooks()
{
    if (m_loading || m_current < 0)
        return;
    std::vector<WebhookTarget> hooks;
    for (int row = 0; row < m_webhooks->rowCount(); ++row) {
        const QTableWidgetItem *item = m_webhooks->item(row, 0);
        const QString url = item ? item->text().trimmed() : QString();
        if (url.isEmpty())
            continue;
        WebhookTarget t;
        t.url = QUrl(url);
        if (auto *combo = qobject_cast<QComboBox *>(m_webhooks->cellWidget(row, 1)))
            t.format = static_cast<WebhookFormat>(combo->currentIndex());
        hooks.push_back(t);
    }
    m_rules[static_cast<size_t>(m_current)].webhooks = std::move(hooks);
}

Result<int> AlertRulesDialog::importPluginConfig(const QString &givenPath)
{
    QString path = givenPath;
    if (path.isEmpty()) {
        const QString caption = tr("Import Token-Metering Plugin Configuration");
        const QString filter = tr("YAML files (*.yaml *.yml);;All files (*)");
        path = m_openFile ? m_openFile(this, caption, filter)
                          : QFileDialog::getOpenFileName(this, caption, QString(), filter);
    }
    if (path.isEmpty())
        return 0;
    auto config = metering::PluginConfig::load(path);
    if (!config) {
        showStatus(config.error().message, true);
        return tl::unexpected(config.error());
    }
    const std::vector<AlertRule> imported = config->alertRules();
    for (AlertRule r : imported) {
        if (r.name.isEmpty())
            r.name = tr("Plugin: tokens per minute");
        addRule(std::move(r));
    }
    QString text = tr("Imported %n rule(s) from %1.", nullptr, static_cast<int>(imported.size()))
                       .arg(QFileInfo(path).fileName());
    text += QLatin1Char(' ')
            + (config->prometheusEnabled
                   ? tr("Prometheus metrics: on, port %1.").arg(config->prometheusPort)
                   : tr("Prometheus metrics: off."));
    showStatus(text);
    Q_EMIT pluginConfigImported(*config);
    return static_cast<int>(imported.size());
}

bool AlertRulesDialog::save()
{
    if (auto written = saveAlertRules(m_rules, m_savePath); !written) {
        showStatus(written.error().message, true);
        return false;
    }
    showStatus(tr("Saved to %1.").arg(m_savePath));
    Q_EMIT saved(m_rules);
    return true;
}

void AlertRulesDialog::showStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

} // namespace flowbench::panels

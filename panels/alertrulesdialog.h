#pragma once

#include <QDialog>
#include <QString>

#include <functional>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "metering/alerts.h"
#include "metering/pluginconfig.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QTableWidget;

namespace flowbench::panels {

// Alert rules as JSON (the dialog's file format):
//   {"version": 1, "rules": [{"name", "kind": "tokens_per_minute" | "tokens_per_run" |
//    "cost_per_run" | "cost_per_day", "scope": "total" | "app" | "user" | "model",
//    "scope_value", "threshold", "notify", "pause_run",
//    "webhooks": [{"url", "format": "slack" | "dingtalk" | "wecom" | "json"}]}]}
[[nodiscard]] nlohmann::json alertRulesToJson(const std::vector<metering::AlertRule> &rules);
// Errors: "alerts.format".
[[nodiscard]] Result<std::vector<metering::AlertRule>>
alertRulesFromJson(const nlohmann::json &json);
// <AppDataLocation>/alert_rules.json: where the dialog saves and the app loads the rules
// (engine/metering keeps rules in memory only: AlertEngine::setRules).
[[nodiscard]] QString alertRulesPath();
// A missing file is no rules. Errors: "alerts.read", "alerts.format".
[[nodiscard]] Result<std::vector<metering::AlertRule>> loadAlertRules(const QString &path
                                                                      = alertRulesPath());
// Atomic (QSaveFile). Errors: "alerts.write".
Result<void> saveAlertRules(const std::vector<metering::AlertRule> &rules,
                            const QString &path = alertRulesPath());

// The alert rules editor ("dialog.alertRules"): a list of rules ("alerts.list") and the selected
// rule's form: name, what is measured (tokens per minute over a sliding 60 s window, tokens or
// cost per run, cost per day), per which label (all calls, app, user, model) and optionally only
// for one value, the threshold, and the actions: a desktop notification with a line in Events,
// pausing the run (a budget breakpoint), and webhooks (URL + payload format Slack / DingTalk /
// WeCom / generic JSON; the format follows the URL's host until chosen). "Import Plugin YAML…"
// reads the Dify token-metering plugin's configuration (metering::PluginConfig) and adds its
// alerting rule; its Prometheus settings are passed on through pluginConfigImported(). Save writes
// the rules to savePath() (alertRulesPath() unless set) and emits saved().
class AlertRulesDialog : public QDialog
{
    Q_OBJECT

public:
    using OpenFileFunction
        = std::function<QString(QWidget *parent, const QString &caption, const QString &filter)>;

    explicit AlertRulesDialog(std::vector<metering::AlertRule> rules, QWidget *parent = nullptr);

    void setRules(std::vector<metering::AlertRule> rules);
    [[nodiscard]] const std::vector<metering::AlertRule> &rules() const { return m_rules; }

    void setSavePath(const QString &path) { m_savePath = path; }
    [[nodiscard]] QString savePath() const { return m_savePath; }
    void setOpenFileFunction(OpenFileFunction function) { m_openFile = std::move(function); }

    // Adds a rule and selects it; returns its row.
    int addRule(metering::AlertRule rule = {});
    void removeRule(int row);
    void selectRule(int row);
    [[nodiscard]] int currentRule() const { return m_current; }

    // Asks for the YAML (or takes `path`); returns how many rules it added.
    Result<int> importPluginConfig(const QString &path = {});
    bool save();

Q_SIGNALS:
    void saved(const std::vector<metering::AlertRule> &rules);
    void pluginConfigImported(const metering::PluginConfig &config);

private:
    void loadForm();
    void storeForm();
    void storeWebhooks();
    void addWebhookRow(const metering::WebhookTarget &target);
    void refreshListItem(int row);
    void showStatus(const QString &text, bool error = false);

    std::vector<metering::AlertRule> m_rules;
    int m_current = -1;
    bool m_loading = false;
    QString m_savePath;
    OpenFileFunction m_openFile;

    QListWidget *m_list = nullptr;
    QWidget *m_form = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_kind = nullptr;
    QComboBox *m_scope = nullptr;
    QLineEdit *m_scopeValue = nullptr;
    QDoubleSpinBox *m_threshold = nullptr;
    QLabel *m_unit = nullptr;
    QCheckBox *m_notify = nullptr;
    QCheckBox *m_pause = nullptr;
    QTableWidget *m_webhooks = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace flowbench::panels

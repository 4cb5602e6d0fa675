#pragma once

#include <QDialog>
#include <QPointer>

class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProcess;
class QPushButton;
class QStackedWidget;

namespace flowbench::llm {
class ProfileStore;
}

namespace flowbench::panels {

class ProfileEditor;

// Flowbench's preferences ("dialog.settings"): a page list on the left and the page on the
// right.
// - Endpoints: ProfileEditor over the ProfileStore (profiles, keys, test connection).
// - Code nodes: the Python interpreter ("python/interpreter"; empty: python3 from PATH) with a
//   Check button that runs `<interpreter> --version`.
// - Appearance: theme ("ui/theme": "system" | "light" | "dark") and language ("ui/language":
//   "" for the system's, "zh_CN", "en"; applied at the next start).
// - General: the autosave interval ("autosave/intervalSeconds").
// OK and Apply write (QSettings and the profile store) and emit settingsApplied(); Cancel
// discards. A profile the store refuses keeps the dialog open with the reason shown.
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    enum Page { EndpointsPage, PythonPage, AppearancePage, GeneralPage, PageCount };

    static constexpr const char *kPythonKey = "python/interpreter";
    static constexpr const char *kThemeKey = "ui/theme";
    static constexpr const char *kLanguageKey = "ui/language";
    static constexpr const char *kAutosaveKey = "autosave/intervalSeconds";
    static constexpr int kDefaultAutosaveSeconds = 30;

    explicit SettingsDialog(llm::ProfileStore *profiles, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    void setCurrentPage(Page page);
    [[nodiscard]] Page currentPage() const;
    [[nodiscard]] ProfileEditor *profileEditor() const { return m_profiles; }

    // Writes every page; false (with the reason shown) when something was refused.
    bool apply();

public Q_SLOTS:
    void accept() override;
    // Runs the interpreter's --version; the outcome shows in "settings.python.status".
    void checkPython();

Q_SIGNALS:
    void settingsApplied();
    void pythonChecked(bool ok, const QString &text);

private:
    void load();

    QListWidget *m_pages = nullptr;
    QStackedWidget *m_stack = nullptr;
    ProfileEditor *m_profiles = nullptr;
    QLineEdit *m_python = nullptr;
    QLabel *m_pythonStatus = nullptr;
    QPointer<QProcess> m_pythonCheck;
    QComboBox *m_theme = nullptr;
    QComboBox *m_language = nullptr;
    QDoubleSpinBox *m_autosave = nullptr;
    QLabel *m_message = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace flowbench::panels

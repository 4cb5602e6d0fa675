#pragma once

#include <QList>
#include <QPointer>
#include <QString>
#include <QWidget>

#include "llm/connectioncheck.h"
#include "llm/endpointprofile.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace flowbench::panels {

// The Endpoints page of the Settings dialog ("settings.endpoints"): the profile list (built-in
// simulator first, the default one marked ★) with Add, Duplicate, Remove and Set as Default, and
// an editor for the selected profile: name, server kind, base URL, API key, key environment
// variable, default model, model mapping, default parameters (JSON), and limits (images per
// prompt, pixels per image). Edits stay in the page until apply(), which writes them to the
// ProfileStore (keys go to the keychain through ProfileStore::storeApiKey; a stored key is never
// shown again, the field only says "•••• stored in keychain"). The built-in simulator profile
// is shown read-only.
// "Test connection" runs an llm::ConnectionCheck against the profile as edited (with the key
// typed, else the stored one) and shows the outcome in "endpoint.testResult".
// GUI thread only; the store must outlive the page.
class ProfileEditor : public QWidget
{
    Q_OBJECT

public:
    explicit ProfileEditor(llm::ProfileStore *store, QWidget *parent = nullptr);
    ~ProfileEditor() override;

    [[nodiscard]] QListWidget *profileList() const { return m_list; }
    [[nodiscard]] QStringList profileNames() const; // as edited, built-in first
    [[nodiscard]] QString defaultProfileName() const { return m_default; }
    // The selected profile as edited (form included).
    [[nodiscard]] llm::EndpointProfile currentProfile();
    void selectProfile(const QString &name);

    // Writes every change to the store; false with *error set when one was refused (the
    // offending profile is selected). Keys typed in are stored asynchronously; keyStored()
    // reports each outcome.
    bool apply(QString *error = nullptr);
    [[nodiscard]] bool isModified() const { return m_modified; }

    [[nodiscard]] llm::ConnectionCheck::State connectionState() const { return m_checkState; }
    [[nodiscard]] QLabel *connectionLabel() const { return m_testResult; }

public Q_SLOTS:
    void addProfile();
    void duplicateProfile();
    void removeProfile();
    void setAsDefault();
    void testConnection();

Q_SIGNALS:
    void modifiedChanged(bool modified);
    void connectionChecked(flowbench::llm::ConnectionCheck::State state, const QString &text);
    void keyStored(const QString &profileName, bool ok, const QString &message);

private:
    struct Entry
    {
        llm::EndpointProfile profile;
        QString originalName; // in the store; empty for a new profile
        QString pendingKey;   // typed, not yet stored
        QString parametersText;
        bool forgetKey = false;
    };

    void rebuildList();
    void loadForm(int index);
    void commitForm();
    void setModified();
    void updateKeyState();
    void showCheck(llm::ConnectionCheck::State state, const QString &text);
    [[nodiscard]] QString uniqueName(const QString &base) const;
    [[nodiscard]] Entry *current();

    llm::ProfileStore *m_store;
    QList<Entry> m_entries; // [0] is the built-in profile
    QStringList m_removed;  // original names removed
    QString m_default;
    int m_current = -1;
    bool m_loading = false;
    bool m_modified = false;

    QListWidget *m_list = nullptr;
    QPushButton *m_duplicate = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_setDefault = nullptr;
    QWidget *m_form = nullptr;
    QLabel *m_builtInNote = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_kind = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QLineEdit *m_apiKey = nullptr;
    QPushButton *m_forgetKey = nullptr;
    QLineEdit *m_apiKeyEnv = nullptr;
    QCheckBox *m_keyInFile = nullptr;
    QComboBox *m_model = nullptr;
    QTableWidget *m_mapping = nullptr;
    QPlainTextEdit *m_parameters = nullptr;
    QLabel *m_parametersError = nullptr;
    QSpinBox *m_maxImages = nullptr;
    QSpinBox *m_maxPixels = nullptr;
    QPushButton *m_test = nullptr;
    QLabel *m_testResult = nullptr;
    QPointer<llm::ConnectionCheck> m_check;
    llm::ConnectionCheck::State m_checkState = llm::ConnectionCheck::State::Idle;
    int m_keyQuery = 0; // generation of the latest key lookup
};

} // namespace flowbench::panels

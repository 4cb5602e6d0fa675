#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>
#include <optional>

#include "core/result.h"
#include "llm/chattypes.h"
#include "llm/endpoint.h"

namespace flowbench::llm {

// "vllm", "llamacpp", "ollama", "openai", "simulator" (the names used in endpoints.json).
[[nodiscard]] QString serverKindName(ServerKind kind);
[[nodiscard]] std::optional<ServerKind> serverKindFromName(const QString &name);

// A named server the user can pick: where it is, which model to use, and where its API key
// comes from. Holds NO key material: the key lives in an environment variable, the OS keychain
// or (only when the user agreed) a private 0600 file, and is fetched by ProfileStore::loadApiKey.
struct EndpointProfile
{
    QString name;
    ServerKind kind = ServerKind::VLlm;
    QUrl baseUrl; // ".../v1"
    QString defaultModel;
    QHash<QString, QString> modelMapping;    // "provider/name" or "name" → served model
    Json defaultParameters = Json::object(); // {"temperature":0.7,"top_p":0.9,"max_tokens":512}
    int maxImagesPerPrompt = 0;              // 0: no known limit
    int maxPixels = 0;                       // 0: no known limit
    QString apiKeyEnv;                       // name of an environment variable holding the key
    bool apiKeyInFile = false;               // the user agreed to keep the key in a 0600 file
    bool builtIn = false;                    // the simulator profile: read-only, not stored

    // Everything above except builtIn; never a key (there is none to write).
    [[nodiscard]] Json toJson() const;
    // Unknown members are ignored (an "api_key" member is never read). Fails on a missing name,
    // an unknown kind or a base URL that is not http(s).
    static Result<EndpointProfile> fromJson(const Json &json);

    [[nodiscard]] LlmEndpoint toEndpoint(const QString &apiKey) const;
};

// Where loadApiKey found, or storeApiKey put, a key.
enum class KeySource { Environment, Keychain, File };

// The user's endpoint profiles, persisted as JSON in <configDir>/endpoints.json (written
// atomically; the file never holds a key). The built-in "Simulator (local, offline)" profile
// always comes first, is never written to the file, and cannot be updated or removed.
// Lives on the thread that created it; key callbacks are called from its event loop (never
// synchronously from storeApiKey/loadApiKey).
//
//     ProfileStore store; // AppConfigLocation
//     store.load();
//     store.addProfile(profile);
//     store.storeApiKey(profile.name, key, [](Result<KeySource> r) { ... });
//     store.loadApiKey(profile.name, [](Result<QString> key) {
//         if (key) endpoint = profile.toEndpoint(*key); else show(key.error().message); });
class ProfileStore : public QObject
{
    Q_OBJECT

public:
    using KeyCallback = std::function<void(Result<QString>)>;
    using StoreCallback = std::function<void(Result<KeySource>)>;

    // Keeps its files in QStandardPaths::AppConfigLocation.
    explicit ProfileStore(QObject *parent = nullptr);
    // Keeps its files in configDir (tests).
    explicit ProfileStore(const QString &configDir, QObject *parent = nullptr);
    ~ProfileStore() override;

    [[nodiscard]] static QString defaultProfileName();
    [[nodiscard]] static EndpointProfile defaultProfile();

    // The profile runs use when none is named (RunEndpointProvider): the one the user selected,
    // kept as "default_profile" in endpoints.json, else (none selected, or it no longer exists)
    // the built-in simulator profile.
    [[nodiscard]] QString selectedProfileName() const;
    // Saved at once; an empty name or the built-in name selects the built-in profile.
    Result<void> setSelectedProfileName(const QString &name);

    // Reads endpoints.json; a missing file is no error. On an error the store keeps only the
    // built-in profile (and does not overwrite the broken file until the next change).
    Result<void> load();

    [[nodiscard]] QList<EndpointProfile> profiles() const; // built-in first
    [[nodiscard]] QStringList profileNames() const;
    [[nodiscard]] std::optional<EndpointProfile> profile(const QString &name) const;

    // Each change is saved at once; the error says why it was refused or not saved.
    Result<void> addProfile(const EndpointProfile &profile);
    Result<void> updateProfile(const EndpointProfile &profile); // by name
    // Also deletes the profile's key file and (asynchronously) its keychain entry.
    Result<void> removeProfile(const QString &name);

    // Writes the key to the OS keychain (service "Flowbench", key "endpoint/<name>"). When the
    // keychain fails and the profile's apiKeyInFile is set, writes <configDir>/keys/<sha1(name)>
    // with mode 0600 instead; otherwise the error says what to do.
    void storeApiKey(const QString &name, const QString &key, StoreCallback done);
    // Tries the environment variable named by apiKeyEnv, the keychain, then (only when
    // apiKeyInFile) the key file. Error codes: "key.profile" (no such profile), "key.notFound",
    // "key.keychainUnavailable" (its message says to set the variable or agree to the file).
    void loadApiKey(const QString &name, KeyCallback done);
    // Removes the key from the keychain and the key file; done gets an error only when the file
    // could not be removed (a keychain without the entry is fine).
    void deleteApiKey(const QString &name, std::function<void(Result<void>)> done);

    [[nodiscard]] QString configDir() const;
    [[nodiscard]] QString profilesFilePath() const;
    [[nodiscard]] QString keyFilePath(const QString &name) const;

Q_SIGNALS:
    void profilesChanged();

private:
    Result<void> save() const;
    Result<void> writeKeyFile(const QString &name, const QString &key) const;
    Result<QString> readKeyFile(const QString &name) const;

    QString m_configDir;
    QList<EndpointProfile> m_profiles; // without the built-in one
    QString m_selected;                // empty: the built-in one
};

} // namespace flowbench::llm

#include "endpointprofile.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>

#include <qt6keychain/keychain.h>

namespace flowbench::llm {

namespace {

const char kService[] = "Flowbench";

QString keychainKey(const QString &name)
{
    return QStringLiteral("endpoint/") + name;
}

QString jsonString(const Json &json, const char *key)
{
    const auto it = json.find(key);
    if (it == json.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get<std::string>());
}

int jsonInt(const Json &json, const char *key)
{
    const auto it = json.find(key);
    if (it == json.end() || !it->is_number())
        return 0;
    return it->get<int>();
}

// Calls `call` on the receiver's event loop, so callbacks never run inside the caller's frame.
void later(QObject *context, std::function<void()> call)
{
    QTimer::singleShot(0, context, std::move(call));
}

QString keychainUnavailableMessage(const QString &profileName, const QString &envName,
                                   const QString &detail)
{
    const QString env = envName.isEmpty() ? QStringLiteral("FLOWBENCH_API_KEY") : envName;
    return QCoreApplication::translate(
               "flowbench::llm::ProfileStore",
               "The system keychain is not available (%1), so the API key of \"%2\" cannot be "
               "kept there. Either set the environment variable %3 to the key (and name it in "
               "the profile), or agree to keep the key in a private file readable only by you.")
        .arg(detail, profileName, env);
}

} // namespace

QString serverKindName(ServerKind kind)
{
    switch (kind) {
    case ServerKind::VLlm:
        return QStringLiteral("vllm");
    case ServerKind::LlamaCpp:
        return QStringLiteral("llamacpp");
    case ServerKind::Ollama:
        return QStringLiteral("ollama");
    case ServerKind::OpenAI:
        return QStringLiteral("openai");
    case ServerKind::Simulator:
        return QStringLiteral("simulator");
    }
    return QStringLiteral("vllm");
}

std::optional<ServerKind> serverKindFromName(const QString &name)
{
    for (const ServerKind kind : {ServerKind::VLlm, ServerKind::LlamaCpp, ServerKind::Ollama,
                                  ServerKind::OpenAI, ServerKind::Simulator}) {
        if (name.compare(serverKindName(kind), Qt::CaseInsensitive) == 0)
            return kind;
    }
    return std::nullopt;
}

// --- EndpointProfile ----------------------------------------------------------------------------

Json EndpointProfile::toJson() const
{
    Json mapping = Json::object();
    for (auto it = modelMapping.cbegin(); it != modelMapping.cend(); ++it)
        mapping[it.key().toStdString()] = it.value().toStdString();
    Json out = Json::object();
    out["name"] = name.toStdString();
    out["kind"] = serverKindName(kind).toStdString();
    out["base_url"] = baseUrl.toString().toStdString();
    out["default_model"] = defaultModel.toStdString();
    out["model_mapping"] = std::move(mapping);
    out["default_parameters"] = defaultParameters.is_object() ? defaultParameters : Json::object();
    out["max_images_per_prompt"] = maxImagesPerPrompt;
    out["max_pixels"] = maxPixels;
    out["api_key_env"] = apiKeyEnv.toStdString();
    out["api_key_in_file"] = apiKeyInFile;
    return out;
}

Result<EndpointProfile> EndpointProfile::fromJson(const Json &json)
{
    if (!json.is_object())
        return makeError(QStringLiteral("profile.format"),
                         QCoreApplication::translate("flowbench::llm::EndpointProfile",
                                                     "An endpoint profile must be a JSON object."));
    EndpointProfile p;
    p.name = jsonString(json, "name").trimmed();
    if (p.name.isEmpty())
        return makeError(QStringLiteral("profile.name"),
                         QCoreApplication::translate("flowbench::llm::EndpointProfile",
                                                     "An endpoint profile has no name."));
    const QString kindName = jsonString(json, "kind");
    const auto kind
        = kindName.isEmpty() ? std::optional(ServerKind::VLlm) : serverKindFromName(kindName);
    if (!kind)
        return makeError(QStringLiteral("profile.kind"),
                         QCoreApplication::translate("flowbench::llm::EndpointProfile",
                                                     "Endpoint profile \"%1\": unknown server "
                                                     "kind \"%2\".")
                             .arg(p.name, kindName));
    p.kind = *kind;
    p.baseUrl = QUrl(jsonString(json, "base_url"));
    const QString scheme = p.baseUrl.scheme().toLower();
    if (!p.baseUrl.isValid() || p.baseUrl.host().isEmpty()
        || (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
        return makeError(QStringLiteral("profile.url"),
                         QCoreApplication::translate("flowbench::llm::EndpointProfile",
                                                     "Endpoint profile \"%1\": the base URL must "
                                                     "be an http or https address.")
                             .arg(p.name));
    p.defaultModel = jsonString(json, "default_model");
    if (const auto it = json.find("model_mapping"); it != json.end() && it->is_object()) {
        for (const auto &[from, to] : it->items()) {
            if (to.is_string())
                p.modelMapping.insert(QString::fromStdString(from),
                                      QString::fromStdString(to.get<std::string>()));
        }
    }
    if (const auto it = json.find("default_parameters"); it != json.end() && it->is_object())
        p.defaultParameters = *it;
    p.maxImagesPerPrompt = std::max(0, jsonInt(json, "max_images_per_prompt"));
    p.maxPixels = std::max(0, jsonInt(json, "max_pixels"));
    p.apiKeyEnv = jsonString(json, "api_key_env").trimmed();
    if (const auto it = json.find("api_key_in_file"); it != json.end() && it->is_boolean())
        p.apiKeyInFile = it->get<bool>();
    return p;
}

LlmEndpoint EndpointProfile::toEndpoint(const QString &apiKey) const
{
    LlmEndpoint endpoint;
    endpoint.config.baseUrl = baseUrl;
    endpoint.config.apiKey = apiKey;
    endpoint.config.kind = kind;
    endpoint.defaultModel = defaultModel;
    endpoint.modelMapping = modelMapping;
    return endpoint;
}

// --- ProfileStore -------------------------------------------------------------------------------

ProfileStore::ProfileStore(QObject *parent)
    : ProfileStore(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation), parent)
{}

ProfileStore::ProfileStore(const QString &configDir, QObject *parent)
    : QObject(parent)
    , m_configDir(configDir)
{}

ProfileStore::~ProfileStore() = default;

QString ProfileStore::defaultProfileName()
{
    return QStringLiteral("Simulator (local, offline)");
}

EndpointProfile ProfileStore::defaultProfile()
{
    EndpointProfile p;
    p.name = defaultProfileName();
    p.kind = ServerKind::Simulator;
    p.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:8765/v1"));
    p.defaultModel = QStringLiteral("flowbench-sim");
    p.builtIn = true;
    return p;
}

QString ProfileStore::configDir() const
{
    return m_configDir;
}

QString ProfileStore::profilesFilePath() const
{
    return m_configDir + QStringLiteral("/endpoints.json");
}

QString ProfileStore::keyFilePath(const QString &name) const
{
    const QByteArray hash = QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha1);
    return m_configDir + QStringLiteral("/keys/") + QString::fromLatin1(hash.toHex());
}

QString ProfileStore::selectedProfileName() const
{
    if (m_selected.isEmpty() || !profile(m_selected))
        return defaultProfileName();
    return m_selected;
}

Result<void> ProfileStore::setSelectedProfileName(const QString &name)
{
    if (!name.isEmpty() && !profile(name))
        return makeError(QStringLiteral("profile.missing"),
                         QCoreApplication::translate("flowbench::llm::ProfileStore",
                                                     "There is no endpoint profile named \"%1\".")
                             .arg(name));
    m_selected = name == defaultProfileName() ? QString() : name;
    Q_EMIT profilesChanged();
    return save();
}

Result<void> ProfileStore::load()
{
    m_profiles.clear();
    m_selected.clear();
    QFile file(profilesFilePath());
    if (!file.exists()) {
        Q_EMIT profilesChanged();
        return {};
    }
    if (!file.open(QIODevice::ReadOnly)) {
        Q_EMIT profilesChanged();
        return makeError(
            QStringLiteral("io.read"),
            QCoreApplication::translate("flowbench::llm::ProfileStore", "Cannot read %1: %2")
                .arg(file.fileName(), file.errorString()));
    }
    const QByteArray bytes = file.readAll();
    const Json root
        = Json::parse(bytes.constData(), bytes.constData() + bytes.size(), nullptr, false);
    Result<void> result;
    const auto list = root.is_object() ? root.find("profiles") : root.end();
    if (root.is_discarded() || !root.is_object() || list == root.end() || !list->is_array()) {
        result = makeError(QStringLiteral("profile.format"),
                           QCoreApplication::translate("flowbench::llm::ProfileStore",
                                                       "%1 is not a valid endpoint profile file.")
                               .arg(file.fileName()));
    } else {
        for (const Json &item : *list) {
            auto profile = EndpointProfile::fromJson(item);
            if (!profile) {
                if (result)
                    result = tl::unexpected(profile.error());
                continue;
            }
            if (profile->name == defaultProfileName() || this->profile(profile->name))
                continue;
            m_profiles.append(*profile);
        }
        if (const auto it = root.find("default_profile"); it != root.end() && it->is_string())
            m_selected = QString::fromStdString(it->get<std::string>());
    }
    Q_EMIT profilesChanged();
    return result;
}

QList<EndpointProfile> ProfileStore::profiles() const
{
    QList<EndpointProfile> all{defaultProfile()};
    all.append(m_profiles);
    return all;
}

QStringList ProfileStore::profileNames() const
{
    QStringList names{defaultProfileName()};
    for (const EndpointProfile &p : m_profiles)
        names.append(p.name);
    return names;
}

std::optional<EndpointProfile> ProfileStore::profile(const QString &name) const
{
    if (name == defaultProfileName())
        return defaultProfile();
    for (const EndpointProfile &p : m_profiles) {
        if (p.name == name)
            return p;
    }
    return std::nullopt;
}

Result<void> ProfileStore::addProfile(const EndpointProfile &profile)
{
    // Round-trip through JSON: the same validation as a loaded file.
    auto checked = EndpointProfile::fromJson(profile.toJson());
    if (!checked)
        return tl::unexpected(checked.error());
    if (this->profile(checked->name))
        return makeError(QStringLiteral("profile.exists"),
                         QCoreApplication::translate("flowbench::llm::ProfileStore",
                                                     "An endpoint profile named \"%1\" already "
                                                     "exists.")
                             .arg(checked->name));
    m_profiles.append(*checked);
    Q_EMIT profilesChanged();
    return save();
}

Result<void> ProfileStore::updateProfile(const EndpointProfile &profile)
{
    if (profile.name == defaultProfileName())
        return makeError(QStringLiteral("profile.builtIn"),
                         QCoreApplication::translate("flowbench::llm::ProfileStore",
                                                     "The built-in simulator profile cannot be "
                                                     "changed; add a profile of your own "
                                                     "instead."));
    auto checked = EndpointProfile::fromJson(profile.toJson());
    if (!checked)
        return tl::unexpected(checked.error());
    for (EndpointProfile &p : m_profiles) {
        if (p.name == checked->name) {
            p = *checked;
            Q_EMIT profilesChanged();
            return save();
        }
    }
    return makeError(QStringLiteral("profile.missing"),
                     QCoreApplication::translate("flowbench::llm::ProfileStore",
                                                 "There is no endpoint profile named \"%1\".")
                         .arg(profile.name));
}

Result<void> ProfileStore::removeProfile(const QString &name)
{
    if (name == defaultProfileName())
        return makeError(QStringLiteral("profile.builtIn"),
                         QCoreApplication::translate("flowbench::llm::ProfileStore",
                                                     "The built-in simulator profile cannot be "
                                                     "removed."));
    const auto it = std::find_if(m_profiles.begin(), m_profiles.end(),
                                 [&name](const EndpointProfile &p) { return p.name == name; });
    if (it == m_profiles.end())
        return makeError(QStringLiteral("profile.missing"),
                         QCoreApplication::translate("flowbench::llm::ProfileStore",
                                                     "There is no endpoint profile named \"%1\".")
                             .arg(name));
    m_profiles.erase(it);
    deleteApiKey(name, [](const Result<void> &) {});
    Q_EMIT profilesChanged();
    return save();
}

Result<void> ProfileStore::save() const
{
    Json list = Json::array();
    for (const EndpointProfile &p : m_profiles)
        list.push_back(p.toJson());
    Json root{{"version", 1}, {"profiles", std::move(list)}};
    if (!m_selected.isEmpty())
        root["default_profile"] = m_selected.toStdString();
    const std::string text = root.dump(2, ' ', false, Json::error_handler_t::replace) + '\n';

    if (!QDir().mkpath(m_configDir))
        return makeError(QStringLiteral("io.write"),
                         QCoreApplication::translate("flowbench::llm::ProfileStore",
                                                     "Cannot create the folder %1.")
                             .arg(m_configDir));
    QSaveFile file(profilesFilePath());
    if (!file.open(QIODevice::WriteOnly)
        || file.write(text.data(), qint64(text.size())) != qint64(text.size()) || !file.commit())
        return makeError(
            QStringLiteral("io.write"),
            QCoreApplication::translate("flowbench::llm::ProfileStore", "Cannot write %1: %2")
                .arg(file.fileName(), file.errorString()));
    return {};
}

Result<void> ProfileStore::writeKeyFile(const QString &name, const QString &key) const
{
    const QString dir = m_configDir + QStringLiteral("/keys");
    const auto failed = [](const QString &path, const QString &why) {
        return makeError(QStringLiteral("io.write"),
                         QCoreApplication::translate("flowbench::llm::ProfileStore",
                                                     "Cannot write the key file %1: %2")
                             .arg(path, why));
    };
    if (!QDir().mkpath(dir))
        return failed(dir, QCoreApplication::translate("flowbench::llm::ProfileStore",
                                                       "cannot create the folder"));
    // The folder too is private, so the temporary file is never readable by others.
    QFile::setPermissions(dir,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QSaveFile file(keyFilePath(name));
    if (!file.open(QIODevice::WriteOnly))
        return failed(file.fileName(), file.errorString());
    if (!file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        file.cancelWriting();
        file.commit();
        return failed(file.fileName(), file.errorString());
    }
    const QByteArray bytes = key.toUtf8();
    if (file.write(bytes) != bytes.size() || !file.commit())
        return failed(file.fileName(), file.errorString());
    QFile::setPermissions(file.fileName(), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return {};
}

Result<QString> ProfileStore::readKeyFile(const QString &name) const
{
    QFile file(keyFilePath(name));
    if (!file.exists())
        return makeError(QStringLiteral("key.notFound"), QString());
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("io.read"),
                         QCoreApplication::translate("flowbench::llm::ProfileStore",
                                                     "Cannot read the key file %1: %2")
                             .arg(file.fileName(), file.errorString()));
    return QString::fromUtf8(file.readAll()).trimmed();
}

void ProfileStore::storeApiKey(const QString &name, const QString &key, StoreCallback done)
{
    const auto profile = this->profile(name);
    if (!profile) {
        later(this, [done, name] {
            done(makeError(QStringLiteral("key.profile"),
                           QCoreApplication::translate("flowbench::llm::ProfileStore",
                                                       "There is no endpoint profile named "
                                                       "\"%1\".")
                               .arg(name)));
        });
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(QLatin1String(kService), this);
    job->setAutoDelete(true);
    job->setKey(keychainKey(name));
    job->setTextData(key);
    connect(job, &QKeychain::Job::finished, this,
            [this, done, key, p = *profile](QKeychain::Job *finished) {
                if (finished->error() == QKeychain::NoError) {
                    // One place only: a stale file copy would outlive a key changed here.
                    QFile::remove(keyFilePath(p.name));
                    done(KeySource::Keychain);
                    return;
                }
                if (p.apiKeyInFile) {
                    const auto written = writeKeyFile(p.name, key);
                    if (written)
                        done(KeySource::File);
                    else
                        done(tl::unexpected(written.error()));
                    return;
                }
                done(makeError(
                    QStringLiteral("key.keychainUnavailable"),
                    keychainUnavailableMessage(p.name, p.apiKeyEnv, finished->errorString())));
            });
    job->start();
}

void ProfileStore::loadApiKey(const QString &name, KeyCallback done)
{
    const auto profile = this->profile(name);
    if (!profile) {
        later(this, [done, name] {
            done(makeError(QStringLiteral("key.profile"),
                           QCoreApplication::translate("flowbench::llm::ProfileStore",
                                                       "There is no endpoint profile named "
                                                       "\"%1\".")
                               .arg(name)));
        });
        return;
    }
    if (!profile->apiKeyEnv.isEmpty()) {
        const QString fromEnv
            = qEnvironmentVariable(profile->apiKeyEnv.toLocal8Bit().constData()).trimmed();
        if (!fromEnv.isEmpty()) {
            later(this, [done, fromEnv] { done(fromEnv); });
            return;
        }
    }
    auto *job = new QKeychain::ReadPasswordJob(QLatin1String(kService), this);
    job->setAutoDelete(true);
    job->setKey(keychainKey(name));
    connect(
        job, &QKeychain::Job::finished, this, [this, done, p = *profile](QKeychain::Job *finished) {
            const auto *read = static_cast<QKeychain::ReadPasswordJob *>(finished);
            if (read->error() == QKeychain::NoError) {
                done(read->textData());
                return;
            }
            const bool keychainWorks = read->error() == QKeychain::EntryNotFound;
            if (p.apiKeyInFile) {
                auto fromFile = readKeyFile(p.name);
                if (fromFile || fromFile.error().code != QLatin1String("key.notFound")) {
                    done(std::move(fromFile));
                    return;
                }
            }
            if (keychainWorks) {
                done(makeError(QStringLiteral("key.notFound"),
                               QCoreApplication::translate("flowbench::llm::ProfileStore",
                                                           "No API key is stored for the "
                                                           "endpoint profile \"%1\".")
                                   .arg(p.name)));
                return;
            }
            done(makeError(QStringLiteral("key.keychainUnavailable"),
                           keychainUnavailableMessage(p.name, p.apiKeyEnv, read->errorString())));
        });
    job->start();
}

void ProfileStore::deleteApiKey(const QString &name, std::function<void(Result<void>)> done)
{
    Result<void> result;
    const QString path = keyFilePath(name);
    if (QFile::exists(path) && !QFile::remove(path))
        result = makeError(QStringLiteral("io.write"),
                           QCoreApplication::translate("flowbench::llm::ProfileStore",
                                                       "Cannot remove the key file %1.")
                               .arg(path));
    auto *job = new QKeychain::DeletePasswordJob(QLatin1String(kService), this);
    job->setAutoDelete(true);
    job->setKey(keychainKey(name));
    connect(job, &QKeychain::Job::finished, this,
            [done, result](QKeychain::Job *) { done(result); });
    job->start();
}

} // namespace flowbench::llm

// Endpoint profiles: JSON without keys, the built-in simulator profile, where API keys come from
// (environment, keychain, the agreed 0600 file) and that they never land in the profiles file;
// ConnectionCheck's states against the real simulator on loopback.
#include <QCoreApplication>
#include <QDateTime>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

#include "llm/connectioncheck.h"
#include "llm/endpointprofile.h"
#include "llm/simulator/simulator.h"

using flowbench::Result;
using flowbench::llm::ConnectionCheck;
using flowbench::llm::EndpointProfile;
using flowbench::llm::Json;
using flowbench::llm::KeySource;
using flowbench::llm::ProfileStore;
using flowbench::llm::ServerKind;
using flowbench::llm::Simulator;

namespace {

// A name no earlier run left in a real keychain.
QString uniqueName(const QString &stem)
{
    return stem + QLatin1Char('-') + QString::number(QCoreApplication::applicationPid())
           + QLatin1Char('-') + QString::number(QDateTime::currentMSecsSinceEpoch());
}

EndpointProfile makeProfile(const QString &name)
{
    EndpointProfile p;
    p.name = name;
    p.kind = ServerKind::VLlm;
    p.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:9/v1"));
    p.defaultModel = QStringLiteral("AIDC-AI/Ovis2.5-9B");
    return p;
}

Result<QString> loadKey(ProfileStore &store, const QString &name)
{
    std::optional<Result<QString>> out;
    store.loadApiKey(name, [&out](Result<QString> r) { out = std::move(r); });
    if (!QTest::qWaitFor([&out] { return out.has_value(); }, 15000))
        return flowbench::makeError(QStringLiteral("test.timeout"), QStringLiteral("no answer"));
    return *out;
}

Result<KeySource> storeKey(ProfileStore &store, const QString &name, const QString &key)
{
    std::optional<Result<KeySource>> out;
    store.storeApiKey(name, key, [&out](Result<KeySource> r) { out = std::move(r); });
    if (!QTest::qWaitFor([&out] { return out.has_value(); }, 15000))
        return flowbench::makeError(QStringLiteral("test.timeout"), QStringLiteral("no answer"));
    return *out;
}

void deleteKey(ProfileStore &store, const QString &name)
{
    bool done = false;
    store.deleteApiKey(name, [&done](const Result<void> &) { done = true; });
    QVERIFY(QTest::qWaitFor([&done] { return done; }, 15000));
}

// Every file under dir except the key files: none may contain the secret.
QStringList filesContaining(const QString &dir, const QByteArray &secret)
{
    QStringList hits;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (path.contains(QLatin1String("/keys/")))
            continue;
        QFile file(path);
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(secret))
            hits.append(path);
    }
    return hits;
}

struct CheckOutcome
{
    ConnectionCheck::State state = ConnectionCheck::State::Idle;
    QString detail;
    QStringList models;
    int maxModelLen = 0;
};

CheckOutcome runCheck(const EndpointProfile &profile, const QString &key = {}, int timeoutMs = 5000)
{
    ConnectionCheck check;
    QSignalSpy spy(&check, &ConnectionCheck::finished);
    check.start(profile, key, timeoutMs);
    CheckOutcome out;
    if (!spy.wait(timeoutMs + 5000) || spy.size() != 1)
        return out;
    out.state = spy.at(0).at(0).value<ConnectionCheck::State>();
    out.detail = spy.at(0).at(1).toString();
    out.models = spy.at(0).at(2).toStringList();
    out.maxModelLen = check.maxModelLen();
    return out;
}

EndpointProfile simulatorProfile(quint16 port,
                                 const QString &model = QStringLiteral("flowbench-sim"))
{
    EndpointProfile p = ProfileStore::defaultProfile();
    p.name = QStringLiteral("sim");
    p.builtIn = false;
    p.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(port));
    p.defaultModel = model;
    return p;
}

} // namespace

class TestEndpointProfile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void profileJsonRoundTrip();
    void fromJsonRejects_data();
    void fromJsonRejects();
    void defaultProfileAlwaysPresent();
    void profilesPersist();
    void envVarKeyWins();
    void keychainOrAgreedFile();
    void connectionConnected();
    void connectionModelMissing();
    void connectionUnauthorized();
    void connectionLoading();
    void connectionUnreachable();
    void connectionTimeout();

private:
    QTemporaryDir m_dir;
};

void TestEndpointProfile::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestEndpointProfile::profileJsonRoundTrip()
{
    EndpointProfile p = makeProfile(QStringLiteral("Lab vLLM"));
    p.modelMapping.insert(QStringLiteral("openai/gpt-4o"), QStringLiteral("AIDC-AI/Ovis2.5-9B"));
    p.modelMapping.insert(QStringLiteral("qwen"), QStringLiteral("Qwen3-8B"));
    p.defaultParameters = Json{{"temperature", 0.6}, {"top_p", 0.95}, {"max_tokens", 1024}};
    p.maxImagesPerPrompt = 16;
    p.maxPixels = 1792 * 1792;
    p.apiKeyEnv = QStringLiteral("LAB_VLLM_KEY");
    p.apiKeyInFile = true;

    const Json json = p.toJson();
    const std::string text = json.dump();
    QVERIFY(json.find("api_key") == json.end());
    QVERIFY(json.find("key") == json.end());

    auto back = EndpointProfile::fromJson(json);
    QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
    QCOMPARE(back->name, p.name);
    QCOMPARE(back->kind, p.kind);
    QCOMPARE(back->baseUrl, p.baseUrl);
    QCOMPARE(back->defaultModel, p.defaultModel);
    QCOMPARE(back->modelMapping, p.modelMapping);
    QVERIFY(back->defaultParameters == p.defaultParameters);
    QCOMPARE(back->maxImagesPerPrompt, 16);
    QCOMPARE(back->maxPixels, 1792 * 1792);
    QCOMPARE(back->apiKeyEnv, p.apiKeyEnv);
    QCOMPARE(back->apiKeyInFile, true);
    QVERIFY(back->toJson() == json);

    // A hand-written api_key member is never read.
    Json withKey = json;
    withKey["api_key"] = "sk-should-be-ignored";
    auto ignored = EndpointProfile::fromJson(withKey);
    QVERIFY(ignored);
    QVERIFY(ignored->toJson().dump().find("sk-should-be-ignored") == std::string::npos);

    const auto endpoint = back->toEndpoint(QStringLiteral("sk-secret"));
    QCOMPARE(endpoint.config.apiKey, QStringLiteral("sk-secret"));
    QCOMPARE(endpoint.config.baseUrl, p.baseUrl);
    QCOMPARE(endpoint.config.kind, ServerKind::VLlm);
    QCOMPARE(endpoint.defaultModel, p.defaultModel);
    QCOMPARE(endpoint.resolveModel(QStringLiteral("openai"), QStringLiteral("gpt-4o")),
             QStringLiteral("AIDC-AI/Ovis2.5-9B"));
    QCOMPARE(endpoint.resolveModel({}, {}), p.defaultModel);

    for (const ServerKind kind : {ServerKind::VLlm, ServerKind::LlamaCpp, ServerKind::Ollama,
                                  ServerKind::OpenAI, ServerKind::Simulator})
        QCOMPARE(flowbench::llm::serverKindFromName(flowbench::llm::serverKindName(kind)), kind);
}

void TestEndpointProfile::fromJsonRejects_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("code");
    QTest::newRow("not an object") << QStringLiteral("[1]") << QStringLiteral("profile.format");
    QTest::newRow("no name") << QStringLiteral("{\"base_url\":\"http://h/v1\"}")
                             << QStringLiteral("profile.name");
    QTest::newRow("bad kind") << QStringLiteral(
        "{\"name\":\"a\",\"kind\":\"x\",\"base_url\":\"http://h\"}")
                              << QStringLiteral("profile.kind");
    QTest::newRow("ftp url") << QStringLiteral("{\"name\":\"a\",\"base_url\":\"ftp://h/v1\"}")
                             << QStringLiteral("profile.url");
    QTest::newRow("no url") << QStringLiteral("{\"name\":\"a\"}") << QStringLiteral("profile.url");
}

void TestEndpointProfile::fromJsonRejects()
{
    QFETCH(QString, json);
    QFETCH(QString, code);
    const auto r = EndpointProfile::fromJson(Json::parse(json.toStdString()));
    QVERIFY(!r);
    QCOMPARE(r.error().code, code);
    QVERIFY(!r.error().message.isEmpty());
}

void TestEndpointProfile::defaultProfileAlwaysPresent()
{
    QTemporaryDir dir;
    ProfileStore store(dir.path());
    QVERIFY(store.load());
    QCOMPARE(store.profiles().size(), 1);
    const EndpointProfile def = store.profiles().first();
    QCOMPARE(def.name, QStringLiteral("Simulator (local, offline)"));
    QCOMPARE(def.kind, ServerKind::Simulator);
    QCOMPARE(def.baseUrl, QUrl(QStringLiteral("http://127.0.0.1:8765/v1")));
    QCOMPARE(def.defaultModel, QStringLiteral("flowbench-sim"));
    QVERIFY(def.builtIn);

    const auto removed = store.removeProfile(def.name);
    QVERIFY(!removed);
    QCOMPARE(removed.error().code, QStringLiteral("profile.builtIn"));
    EndpointProfile changed = def;
    changed.baseUrl = QUrl(QStringLiteral("http://10.0.0.1/v1"));
    QVERIFY(!store.updateProfile(changed));
    QVERIFY(!store.addProfile(changed)); // the name is taken
    QCOMPARE(store.profiles().size(), 1);
    QCOMPARE(store.profiles().first().baseUrl, def.baseUrl);

    // Still there, and still first, with a file that tries to redefine it.
    QFile file(store.profilesFilePath());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"version\":1,\"profiles\":[{\"name\":\"Simulator (local, offline)\","
               "\"kind\":\"vllm\",\"base_url\":\"http://10.0.0.1/v1\"}]}");
    file.close();
    QVERIFY(store.load());
    QCOMPARE(store.profiles().size(), 1);
    QCOMPARE(store.profiles().first().baseUrl, def.baseUrl);

    // A broken file: an error, the built-in profile stays.
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{ not json");
    file.close();
    const auto broken = store.load();
    QVERIFY(!broken);
    QCOMPARE(store.profileNames(), QStringList{ProfileStore::defaultProfileName()});
}

void TestEndpointProfile::profilesPersist()
{
    QTemporaryDir dir;
    {
        ProfileStore store(dir.path());
        QSignalSpy spy(&store, &ProfileStore::profilesChanged);
        QVERIFY(store.load());
        QVERIFY(store.addProfile(makeProfile(QStringLiteral("a"))));
        QVERIFY(store.addProfile(makeProfile(QStringLiteral("b"))));
        QVERIFY(!store.addProfile(makeProfile(QStringLiteral("a"))));
        EndpointProfile b = makeProfile(QStringLiteral("b"));
        b.defaultModel = QStringLiteral("other");
        QVERIFY(store.updateProfile(b));
        QVERIFY(!store.updateProfile(makeProfile(QStringLiteral("zzz"))));
        QVERIFY(store.removeProfile(QStringLiteral("a")));
        QVERIFY(!store.removeProfile(QStringLiteral("a")));
        QCOMPARE(spy.size(), 5); // load, add, add, update, remove
    }
    ProfileStore again(dir.path());
    QVERIFY(again.load());
    QCOMPARE(again.profileNames(),
             (QStringList{ProfileStore::defaultProfileName(), QStringLiteral("b")}));
    QCOMPARE(again.profile(QStringLiteral("b"))->defaultModel, QStringLiteral("other"));
    QVERIFY(!again.profile(QStringLiteral("a")));
    // The built-in profile is never written.
    QFile file(again.profilesFilePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains("Simulator (local, offline)"));
}

void TestEndpointProfile::envVarKeyWins()
{
    QTemporaryDir dir;
    ProfileStore store(dir.path());
    const QString name = uniqueName(QStringLiteral("tst-env"));
    const QByteArray var
        = "FLOWBENCH_TST_KEY_" + QByteArray::number(QDateTime::currentMSecsSinceEpoch());
    EndpointProfile p = makeProfile(name);
    p.apiKeyEnv = QString::fromLatin1(var);
    p.apiKeyInFile = true; // so the stored key is found even on a headless box
    QVERIFY(store.addProfile(p));

    const auto stored = storeKey(store, name, QStringLiteral("sk-stored-1234"));
    QVERIFY2(stored, qPrintable(stored ? QString() : stored.error().message));

    qputenv(var.constData(), "sk-from-env-5678");
    auto key = loadKey(store, name);
    QVERIFY2(key, qPrintable(key ? QString() : key.error().message));
    QCOMPARE(*key, QStringLiteral("sk-from-env-5678"));

    qunsetenv(var.constData());
    key = loadKey(store, name);
    QVERIFY2(key, qPrintable(key ? QString() : key.error().message));
    QCOMPARE(*key, QStringLiteral("sk-stored-1234"));

    QVERIFY(filesContaining(dir.path(), "sk-stored-1234").isEmpty());
    QVERIFY(filesContaining(dir.path(), "sk-from-env-5678").isEmpty());
    deleteKey(store, name);

    // An unknown profile is an error, not a crash.
    QCOMPARE(loadKey(store, QStringLiteral("nope")).error().code, QStringLiteral("key.profile"));
}

void TestEndpointProfile::keychainOrAgreedFile()
{
    QTemporaryDir dir;
    ProfileStore store(dir.path());
    const QByteArray secret
        = "sk-very-secret-" + QByteArray::number(QDateTime::currentMSecsSinceEpoch());

    // Not agreed to a file: the keychain works (round trip) or the error says what to do.
    const QString plain = uniqueName(QStringLiteral("tst-plain"));
    EndpointProfile p = makeProfile(plain);
    p.apiKeyEnv = QStringLiteral("LAB_KEY");
    QVERIFY(store.addProfile(p));
    const auto stored = storeKey(store, plain, QString::fromLatin1(secret));
    bool keychainAvailable = false;
    if (stored) {
        keychainAvailable = true;
        QCOMPARE(*stored, KeySource::Keychain);
        const auto key = loadKey(store, plain);
        QVERIFY2(key, qPrintable(key ? QString() : key.error().message));
        QCOMPARE(key->toLatin1(), secret);
    } else {
        QCOMPARE(stored.error().code, QStringLiteral("key.keychainUnavailable"));
        qInfo("%s", qPrintable(stored.error().message));
        QVERIFY2(stored.error().message.contains(QLatin1String("LAB_KEY")),
                 qPrintable(stored.error().message));
        QVERIFY(stored.error().message.contains(QLatin1String("environment variable")));
        QVERIFY(stored.error().message.contains(QLatin1String("file")));
        QVERIFY(!QFile::exists(store.keyFilePath(plain)));
        const auto key = loadKey(store, plain);
        QVERIFY(!key);
        QCOMPARE(key.error().code, QStringLiteral("key.keychainUnavailable"));
        QVERIFY(key.error().message.contains(QLatin1String("LAB_KEY")));
    }
    qInfo("keychain available: %s", keychainAvailable ? "yes" : "no");
    deleteKey(store, plain);

    // Agreed to a file: the keychain when it works, else the 0600 file.
    const QString agreed = uniqueName(QStringLiteral("tst-file"));
    EndpointProfile f = makeProfile(agreed);
    f.apiKeyInFile = true;
    QVERIFY(store.addProfile(f));
    const auto storedF = storeKey(store, agreed, QString::fromLatin1(secret));
    QVERIFY2(storedF, qPrintable(storedF ? QString() : storedF.error().message));
    QCOMPARE(*storedF, keychainAvailable ? KeySource::Keychain : KeySource::File);
    const auto keyF = loadKey(store, agreed);
    QVERIFY2(keyF, qPrintable(keyF ? QString() : keyF.error().message));
    QCOMPARE(keyF->toLatin1(), secret);

    if (*storedF == KeySource::File) {
        const QString path = store.keyFilePath(agreed);
        QVERIFY(QFile::exists(path));
        QVERIFY(!QFileInfo(path).fileName().contains(agreed)); // sha1 of the name
        const auto perms = QFile::permissions(path);
        QVERIFY(perms.testFlag(QFileDevice::ReadOwner));
        QVERIFY(perms.testFlag(QFileDevice::WriteOwner));
        QVERIFY(!(perms
                  & (QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
                     | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther
                     | QFileDevice::ExeOwner)));
#ifdef Q_OS_UNIX
        struct stat st
        {};
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0600);
#endif
        // Withdrawing the agreement: the file is no longer a source.
        f.apiKeyInFile = false;
        QVERIFY(store.updateProfile(f));
        QVERIFY(!loadKey(store, agreed));
        f.apiKeyInFile = true;
        QVERIFY(store.updateProfile(f));
    }

    // The key is in no file but the key file: not the profiles JSON, not anything else.
    const QStringList leaks = filesContaining(dir.path(), secret);
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(QLatin1Char(' '))));
    QFile profiles(store.profilesFilePath());
    QVERIFY(profiles.open(QIODevice::ReadOnly));
    QVERIFY(!profiles.readAll().contains(secret));

    // Removing the profile removes its key.
    QVERIFY(store.removeProfile(agreed));
    QTRY_VERIFY(!QFile::exists(store.keyFilePath(agreed)));
    QVERIFY(store.removeProfile(plain));
    QTest::qWait(50); // let the keychain delete jobs end
}

void TestEndpointProfile::connectionConnected()
{
    Simulator sim;
    const quint16 port = sim.listen();
    QVERIFY(port != 0);
    const auto out = runCheck(simulatorProfile(port));
    QCOMPARE(out.state, ConnectionCheck::State::Connected);
    QCOMPARE(out.models, QStringList{QStringLiteral("flowbench-sim")});
    QCOMPARE(out.maxModelLen, 32768);
    QVERIFY(out.detail.contains(QLatin1String("flowbench-sim")));
    QCOMPARE(ConnectionCheck::serverRoot(QUrl(QStringLiteral("http://h:1/x/v1/"))),
             QUrl(QStringLiteral("http://h:1/x")));
}

void TestEndpointProfile::connectionModelMissing()
{
    Simulator sim;
    const quint16 port = sim.listen();
    QVERIFY(port != 0);
    const auto out = runCheck(simulatorProfile(port, QStringLiteral("not-served")));
    QCOMPARE(out.state, ConnectionCheck::State::ModelMissing);
    QCOMPARE(out.models, QStringList{QStringLiteral("flowbench-sim")});
    QVERIFY(out.detail.contains(QLatin1String("not-served")));
}

void TestEndpointProfile::connectionUnauthorized()
{
    Simulator sim;
    Simulator::Config config;
    config.apiKey = QStringLiteral("right-key");
    sim.setConfig(config);
    const quint16 port = sim.listen();
    QVERIFY(port != 0);
    QCOMPARE(runCheck(simulatorProfile(port), QStringLiteral("wrong-key")).state,
             ConnectionCheck::State::Unauthorized);
    QCOMPARE(runCheck(simulatorProfile(port)).state, ConnectionCheck::State::Unauthorized);
    const auto out = runCheck(simulatorProfile(port), QStringLiteral("right-key"));
    QCOMPARE(out.state, ConnectionCheck::State::Connected);
    QVERIFY(!out.detail.contains(QLatin1String("right-key")));
}

void TestEndpointProfile::connectionLoading()
{
    Simulator sim;
    Simulator::Config config;
    config.loadingForMs = 60000;
    sim.setConfig(config);
    const quint16 port = sim.listen();
    QVERIFY(port != 0);
    const auto out = runCheck(simulatorProfile(port));
    QCOMPARE(out.state, ConnectionCheck::State::Loading);
    QVERIFY(out.models.isEmpty());
}

void TestEndpointProfile::connectionUnreachable()
{
    quint16 port = 0;
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        port = server.serverPort();
    } // closed: nothing listens there now
    const auto out = runCheck(simulatorProfile(port));
    QCOMPARE(out.state, ConnectionCheck::State::Unreachable);
    QVERIFY(!out.detail.isEmpty());
}

void TestEndpointProfile::connectionTimeout()
{
    // Accepts connections, never answers.
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QList<QTcpSocket *> sockets;
    connect(&server, &QTcpServer::newConnection, &server, [&server, &sockets] {
        while (QTcpSocket *s = server.nextPendingConnection())
            sockets.append(s);
    });
    QElapsedTimer timer;
    timer.start();
    const auto out = runCheck(simulatorProfile(server.serverPort()), {}, 300);
    QCOMPARE(out.state, ConnectionCheck::State::Unreachable);
    QVERIFY2(out.detail.contains(QLatin1String("300")), qPrintable(out.detail));
    QVERIFY(timer.elapsed() < 4000);
}

QTEST_GUILESS_MAIN(TestEndpointProfile)
#include "tst_endpointprofile.moc"

#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

#include "core/result.h"
#include "llm/endpoint.h"
#include "llm/endpointprofile.h"

namespace flowbench::document {
class Workflow;
}

namespace flowbench::llm {

class Simulator;

// The endpoint a run uses when the user named none: the ProfileStore's selected profile
// (ProfileStore::selectedProfileName(), the built-in "Simulator (local, offline)" unless the user
// chose another). The simulator is the out-of-the-box endpoint: when the profile's kind is
// ServerKind::Simulator and nothing accepts a TCP connection at its URL's host and port within
// probeTimeoutMs, the provider starts an in-process llm::Simulator on that loopback port (or, if
// it cannot listen there, on a free loopback port, and the endpoint's URL says which). The
// provider owns that simulator for as long as it lives: keep it alive for the whole run (and
// destroy it after the engine). A simulator that already answers there (`flowbench simulate
// --port 8765`) is used as it is. Simulator endpoints force the profile's default model, since a
// simulator serves one model whatever the workflow's nodes name.
// Other kinds get the profile's key (ProfileStore::loadApiKey: environment, keychain, consented
// file; a missing key is no error, keyless servers are common).
// Lives on the thread that created it; the in-process simulator answers from that thread's event
// loop, so that loop must run while the run talks to it (GUI thread, QCoreApplication::exec, or a
// worker thread's event loop).
//
//     ProfileStore profiles;
//     profiles.load();
//     RunEndpointProvider provider;                              // outlives the run
//     auto endpoint = provider.resolveNow(profiles);             // CLI: blocks on a local loop
//     provider.resolve(profiles, {}, this, [](Result<LlmEndpoint> e) { ... }); // GUI: async
//     if (provider.startedSimulator()) ... provider.description() ...
class RunEndpointProvider : public QObject
{
    Q_OBJECT

public:
    explicit RunEndpointProvider(QObject *parent = nullptr);
    ~RunEndpointProvider() override;

    // The endpoint for `profileName` (empty: store.selectedProfileName()), delivered to `done`
    // from `context`'s event loop (never synchronously). Errors: "profile.missing" for an
    // unknown profile, "simulator.listen" when no simulator could be started.
    void resolve(ProfileStore &store, const QString &profileName, QObject *context,
                 std::function<void(Result<LlmEndpoint>)> done);
    // The same, waiting on a local event loop (command-line tools, worker threads).
    Result<LlmEndpoint> resolveNow(ProfileStore &store, const QString &profileName = {});
    // No key lookup: the endpoint for `profile` with `apiKey`, starting the in-process simulator
    // when the profile needs one (synchronous).
    Result<LlmEndpoint> endpointFor(const EndpointProfile &profile, const QString &apiKey = {});

    // The profile last resolved and whether this provider runs a simulator for it.
    [[nodiscard]] QString profileName() const;
    [[nodiscard]] bool startedSimulator() const;
    [[nodiscard]] Simulator *simulator() const; // nullptr unless startedSimulator()
    // "using endpoint profile 'NAME' (in-process simulator)" and the like, for a status line.
    [[nodiscard]] QString description() const;
    // Stops the in-process simulator (if any).
    void release();

    // True when something accepts a TCP connection at the URL's host and port.
    static bool isAnswering(const QUrl &baseUrl, int probeTimeoutMs = 500);
    // True when the workflow has nodes that talk to an endpoint (llm, question-classifier,
    // parameter-extractor, agent, knowledge-retrieval).
    static bool workflowNeedsEndpoint(const document::Workflow &workflow);

private:
    QString m_profileName;
    std::unique_ptr<Simulator> m_simulator;
};

} // namespace flowbench::llm

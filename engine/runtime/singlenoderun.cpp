#include "singlenoderun.h"

#include "pythonworker.h"

#include <QNetworkAccessManager>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>
#include <QFutureWatcher>

namespace flowbench::runtime {

class SingleNodeRun::Context final : public NodeContext
{
public:
    Context(SingleNodeRun *owner, QString kind, QString nodeId, Json data,
            variables::VariablePool pool, QString appMode)
        : m_owner(owner)
        , m_kind(std::move(kind))
        , m_nodeId(std::move(nodeId))
        , m_data(std::move(data))
        , m_pool(std::move(pool))
        , m_appMode(std::move(appMode))
    {}

    const QString &nodeId() const override { return m_nodeId; }
    const QString &kind() const override { return m_kind; }
    const Json &data() const override { return m_data; }
    const variables::VariablePool &pool() const override { return m_pool; }
    QString appMode() const override { return m_appMode; }

    void emitChunk(const QStringList &selector, const QString &text, bool isFinal) override
    {
        if (m_done || m_cancelled)
            return;
        m_owner->m_chunks.push_back({selector, text, isFinal});
        Q_EMIT m_owner->chunk(selector, text, isFinal);
    }
    void writeVariables(std::vector<VariableWrite> writes) override
    {
        for (auto &w : writes)
            m_owner->m_writes.push_back(std::move(w));
    }
    void finish(NodeResult result) override
    {
        if (m_done || m_cancelled)
            return;
        m_done = true;
        m_owner->complete(std::move(result));
    }
    void runInPool(std::function<NodeResult()> work, std::function<void(NodeResult)> done) override
    {
        auto *watcher = new QFutureWatcher<NodeResult>(m_owner);
        QPointer<SingleNodeRun> owner(m_owner);
        const quint64 generation = m_generation;
        QObject::connect(watcher, &QFutureWatcher<NodeResult>::finished, m_owner,
                         [this, watcher, owner, generation, done = std::move(done)] {
                             watcher->deleteLater();
                             if (!owner || m_cancelled || generation != m_generation)
                                 return;
                             done(watcher->result());
                         });
        watcher->setFuture(QtConcurrent::run(std::move(work)));
    }
    QNetworkAccessManager *network() override { return m_owner->network(); }
    PythonWorkerPool *python() override { return m_owner->python(); }
    const llm::LlmEndpoint *llmEndpoint() const override
    {
        return m_owner->m_llmEndpoint ? &*m_owner->m_llmEndpoint : nullptr;
    }
    bool isCancelled() const override { return m_cancelled; }
    const ConversationHistory &conversationHistory() const override
    {
        return m_owner->m_conversationHistory;
    }

    void cancel()
    {
        m_cancelled = true;
        ++m_generation;
    }

private:
    SingleNodeRun *m_owner;
    QString m_kind;
    QString m_nodeId;
    Json m_data;
    variables::VariablePool m_pool;
    QString m_appMode;
    bool m_done = false;
    bool m_cancelled = false;
    quint64 m_generation = 0;
};

SingleNodeRun::SingleNodeRun(QObject *parent)
    : QObject(parent)
{}

SingleNodeRun::~SingleNodeRun()
{
    if (m_context)
        m_context->cancel();
    if (m_node)
        m_node->cancel();
}

QNetworkAccessManager *SingleNodeRun::network()
{
    if (!m_network) {
        m_ownNetwork = std::make_unique<QNetworkAccessManager>();
        m_network = m_ownNetwork.get();
    }
    return m_network;
}

PythonWorkerPool *SingleNodeRun::python()
{
    if (!m_python) {
        m_ownPython = std::make_unique<PythonWorkerPool>(1);
        m_python = m_ownPython.get();
    }
    return m_python;
}

void SingleNodeRun::setPythonWorkers(PythonWorkerPool *workers)
{
    m_python = workers;
}

void SingleNodeRun::setLlmEndpoint(std::optional<llm::LlmEndpoint> endpoint)
{
    m_llmEndpoint = std::move(endpoint);
}

void SingleNodeRun::setConversationHistory(ConversationHistory history)
{
    m_conversationHistory = std::move(history);
}

void SingleNodeRun::setNetwork(QNetworkAccessManager *network)
{
    m_network = network;
}

void SingleNodeRun::start(const QString &kind, const QString &nodeId, const Json &data,
                          variables::VariablePool pool, const QString &appMode)
{
    if (m_context)
        m_context->cancel();
    m_chunks.clear();
    m_writes.clear();
    m_result = NodeResult();
    m_running = true;
    m_node = createExecNode(kind);
    m_context = std::make_unique<Context>(this, kind, nodeId, data, std::move(pool), appMode);
    if (!m_node) {
        complete(NodeResult::failure(tr("node kind '%1' cannot run").arg(kind),
                                     QStringLiteral("UnsupportedNode")));
        return;
    }
    m_node->start(*m_context);
}

void SingleNodeRun::stop()
{
    if (!m_running)
        return;
    if (m_node)
        m_node->cancel();
    if (m_context)
        m_context->cancel();
    complete(NodeResult::failure(tr("stopped"), QStringLiteral("Cancelled")));
}

void SingleNodeRun::complete(NodeResult result)
{
    m_result = std::move(result);
    m_running = false;
    Q_EMIT finished();
}

} // namespace flowbench::runtime

#include "graphengine.h"

#include "document/validator.h"
#include "execnode.h"
#include "nodes/conditions.h"
#include "pythonworker.h"
#include "variables/template.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFutureWatcher>
#include <QJSEngine>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QTimer>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <deque>
#include <functional>
#include <set>
#include <unordered_map>

namespace flowbench::runtime {

using variables::Selector;
using variables::VariablePool;

namespace {

enum class EdgeState : quint8 { Unknown, Taken, Skipped };
enum class NodeState : quint8 { Unknown, Queued, Running, Done, Skipped };

// The kinds whose handles pick edges (§4.1); a node with error_strategy fail-branch joins them.
bool isBranchKind(const QString &kind)
{
    return kind == QLatin1String("if-else") || kind == QLatin1String("question-classifier");
}

bool isContainerKind(const QString &kind)
{
    return kind == QLatin1String("iteration") || kind == QLatin1String("loop");
}

// Only these kinds honour retry_config (§7).
bool isRetryableKind(const QString &kind)
{
    return kind == QLatin1String("llm") || kind == QLatin1String("code")
           || kind == QLatin1String("http-request") || kind == QLatin1String("tool");
}

bool isLlmFamily(const QString &kind)
{
    return kind == QLatin1String("llm") || kind == QLatin1String("question-classifier")
           || kind == QLatin1String("parameter-extractor") || kind == QLatin1String("agent")
           || kind == QLatin1String("tool") || kind == QLatin1String("knowledge-retrieval");
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString qs(const std::string &s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

Selector selectorOf(const Json &j)
{
    Selector s;
    if (!j.is_array())
        return s;
    for (const Json &e : j) {
        if (!e.is_string())
            return {};
        s.push_back(e.get<std::string>());
    }
    return s;
}

QStringList qSelector(const Selector &s)
{
    QStringList out;
    for (const std::string &e : s)
        out.append(qs(e));
    return out;
}

struct GNode
{
    QString id;
    std::string sid;
    QString kind;
    QString title;
    Json data;
    std::vector<int> out; // edge indices
    std::vector<int> in;
    bool branch = false;
    bool container = false;
    bool retryable = false;
    QString errorStrategy;
    ExecNodeFactory factory = nullptr;
};

struct GEdge
{
    int src = -1;
    int dst = -1;
    QString handle;
};

// Converts a default_value entry (§7) to its declared type.
Json convertDefault(const Json &entry)
{
    const Json value = entry.contains("value") ? entry["value"] : Json();
    const std::string type = entry.value("type", std::string("string"));
    if (!value.is_string() || type == "string")
        return value;
    const std::string text = value.get<std::string>();
    try {
        if (type == "number") {
            size_t used = 0;
            const double d = std::stod(text, &used);
            if (d == static_cast<double>(static_cast<long long>(d))
                && text.find('.') == std::string::npos)
                return Json(static_cast<long long>(d));
            return Json(d);
        }
        return Json::parse(text);
    } catch (const std::exception &) {
        return value;
    }
}

// Loop variable constants arrive as strings ("1", "[]") and are converted to var_type.
Json convertLoopConstant(const Json &value, const std::string &varType)
{
    if (!value.is_string())
        return value;
    const std::string text = value.get<std::string>();
    if (varType == "string")
        return value;
    try {
        if (varType == "number") {
            size_t used = 0;
            const double d = std::stod(text, &used);
            if (text.find_first_of(".eE") == std::string::npos)
                return Json(static_cast<long long>(d));
            return Json(d);
        }
        if (varType == "boolean")
            return Json(text == "true" || text == "True" || text == "1");
        return Json::parse(text);
    } catch (const std::exception &) {
        return value;
    }
}

} // namespace

QString runStatusName(RunStatus status)
{
    switch (status) {
    case RunStatus::NotStarted:
        return QStringLiteral("not-started");
    case RunStatus::Running:
        return QStringLiteral("running");
    case RunStatus::Paused:
        return QStringLiteral("paused");
    case RunStatus::Succeeded:
        return QStringLiteral("succeeded");
    case RunStatus::PartialSucceeded:
        return QStringLiteral("partial-succeeded");
    case RunStatus::Failed:
        return QStringLiteral("failed");
    case RunStatus::Stopped:
        return QStringLiteral("stopped");
    }
    return {};
}

struct Frame;
struct Execution;

// One graph scope being executed: the top level, one iteration item, or one loop round.
struct Frame
{
    Frame *parent = nullptr;
    int root = -1;
    std::vector<char> inScope;    // by node index
    std::vector<EdgeState> edges; // by edge index
    std::vector<NodeState> nodes; // by node index
    VariablePool *pool = nullptr;
    std::unique_ptr<VariablePool> ownPool; // iteration items own a copy
    QString inIterationId;
    QString inLoopId;
    int index = -1;
    bool topLevel = false;
    int queued = 0;  // entries in the ready queue
    int running = 0; // executions in flight
    int timers = 0;  // retries waiting
    bool failed = false;
    bool finished = false;
    QString failure;
    QString failureType;
    bool loopEnd = false;
    std::function<void(Frame *)> onDone;
};

struct Execution;

// Iteration and loop bookkeeping for a running container node.
struct ContainerRun
{
    Execution *exec = nullptr;
    Frame *frame = nullptr; // the frame the container node runs in
    bool isLoop = false;
    // iteration
    Json items = Json::array();
    int nextItem = 0;
    int active = 0;
    int parallel = 1;
    std::vector<Json> results;
    std::vector<char> dropped;
    QString errorMode;
    // loop
    int rounds = 0;
    int maxRounds = 10;
    std::vector<std::pair<std::string, std::string>> loopVars; // label, var_type
    std::vector<std::unique_ptr<Frame>> children;
    bool stopped = false;
};

struct GraphEngine::Private
{
    GraphEngine *q;
    document::Workflow workflow;
    RunOptions options;
    bool prepared = false;

    std::vector<GNode> nodes;
    std::vector<GEdge> edges;
    QHash<QString, int> index;
    int rootNode = -1;

    VariablePool pool;
    std::unique_ptr<Frame> top;
    std::deque<std::pair<Frame *, int>> ready;
    std::deque<std::pair<Execution *, NodeResult>> completed;
    std::unordered_map<Execution *, std::unique_ptr<Execution>> executions;
    std::vector<std::unique_ptr<Execution>> graveyard;
    std::unordered_map<Execution *, std::unique_ptr<ContainerRun>> containers;
    // Finished containers and frames wait here until the scheduler is back in the event loop:
    // they are often retired from inside one of their own callbacks.
    std::vector<std::unique_ptr<ContainerRun>> retiredContainers;
    std::vector<std::unique_ptr<Frame>> retiredFrames;
    bool pumpScheduled = false;
    bool pumping = false;
    bool ended = false;
    bool pauseRequested = false;
    int stepBudget = -1; // -1: free running
    QString skipBreakOnce;
    QString runToNode;                          // one-shot breakpoint
    std::unique_ptr<QJSEngine> conditionEngine; // conditional breakpoints, created on first use
    QElapsedTimer clock;
    QTimer timeLimit;
    std::vector<QString> answers; // executed answers' text, completion order
    QNetworkAccessManager *network = nullptr;
    PythonWorkerPool *python = nullptr;
    std::unique_ptr<QNetworkAccessManager> ownNetwork;
    std::unique_ptr<PythonWorkerPool> ownPython;
    quint64 executionCounter = 0;
    QString executionPrefix; // "<run id head>-", so ids are cheap to make

    // ---- response streaming (§9.3), top level only ----
    struct Segment
    {
        bool isVariable = false;
        QString text;
        Selector selector;
    };
    struct Session
    {
        int node = -1;
        std::vector<Segment> segments;
        std::vector<char> pathEdge; // edges on some root→node path
        std::vector<char> blocking; // of those, the ones that must be taken
        size_t cursor = 0;
        bool reachable = false;
        bool done = false;
    };
    std::vector<Session> sessions;
    std::vector<char> blockingForAny; // by edge
    bool sessionsDirty = true;        // a blocking edge was taken since the last check
    std::deque<int> sessionQueue;     // reachable, waiting to stream (indices into sessions)
    int activeSession = -1;
    struct Buffered
    {
        std::vector<QString> chunks;
        size_t consumed = 0;
        bool final = false;
    };
    std::unordered_map<std::string, Buffered> streamed; // "node\x1fvar"

    explicit Private(GraphEngine *owner)
        : q(owner)
    {}

    // ---- services ----
    QNetworkAccessManager *net()
    {
        if (!network) {
            ownNetwork = std::make_unique<QNetworkAccessManager>();
            network = ownNetwork.get();
        }
        return network;
    }
    PythonWorkerPool *py()
    {
        if (!python) {
            ownPython = std::make_unique<PythonWorkerPool>(2);
            python = ownPython.get();
        }
        return python;
    }

    // ---- graph ----
    Result<void> build();
    void initPool();
    std::vector<char> scopeFrom(int root) const;
    std::unique_ptr<Frame> makeFrame(int root, VariablePool *pool, Frame *parent);

    // ---- events ----
    RunEvent makeEvent(RunEvent::Type type, const Frame *frame = nullptr, int node = -1) const;
    void emitEvent(const RunEvent &e) { Q_EMIT q->runEvent(e); }

    // ---- scheduling ----
    void enqueue(Frame *f, int node);
    void pump();
    void startNode(Frame *f, int node);
    void launch(Execution *x);
    void complete(Execution *x, NodeResult result);
    void handleCompletion(Execution *x, NodeResult result);
    void succeed(Execution *x, NodeResult result, bool exception);
    void processEdges(Frame *f, int node, const QString &handle, bool branch);
    void settleTarget(Frame *f, int target, std::vector<int> &work);
    void failFrame(Frame *f, const QString &error, const QString &type);
    void checkFrameDone(Frame *f);
    void cancelFrame(Frame *f);
    void finishRun(RunStatus status, const QString &error);
    bool pausedBeforeStart(int node);
    bool breakpointHit(const GNode &g, QString *conditionError);
    void retireFrame(std::unique_ptr<Frame> frame);
    void retireContainer(Execution *x);
    void schedulePump();

    // ---- containers ----
    void startIteration(Execution *x);
    void launchIterationItem(ContainerRun *c);
    void finishIteration(ContainerRun *c);
    void startLoop(Execution *x);
    void runLoopRound(ContainerRun *c);
    void finishLoop(ContainerRun *c, const char *reason);

    // ---- response streaming ----
    void buildSessions();
    void checkSessions();
    bool sessionReachable(const Session &s) const;
    void flush();
    void onChunk(const Execution *x, const QStringList &selector, const QString &text, bool final);
};

// The NodeContext an ExecNode sees: one per execution.
struct Execution final : NodeContext
{
    GraphEngine::Private *engine = nullptr;
    Frame *frame = nullptr;
    int node = -1;
    QString executionId;
    std::unique_ptr<ExecNode> exec;
    qint64 startedMs = 0;
    int attempt = 0;
    bool done = false;
    bool cancelled = false;
    quint64 generation = 0;
    std::vector<VariableWrite> writes;

    const GNode &g() const { return engine->nodes[static_cast<size_t>(node)]; }
    const QString &nodeId() const override { return g().id; }
    const QString &kind() const override { return g().kind; }
    const Json &data() const override { return g().data; }
    const VariablePool &pool() const override { return *frame->pool; }
    QString appMode() const override { return engine->workflow.modeString(); }
    void emitChunk(const QStringList &selector, const QString &text, bool isFinal) override
    {
        if (done || cancelled)
            return;
        engine->onChunk(this, selector, text, isFinal);
    }
    void writeVariables(std::vector<VariableWrite> w) override
    {
        for (auto &one : w)
            writes.push_back(std::move(one));
    }
    void finish(NodeResult result) override
    {
        if (done || cancelled)
            return;
        done = true;
        engine->complete(this, std::move(result));
    }
    void runInPool(std::function<NodeResult()> work, std::function<void(NodeResult)> then) override
    {
        auto *watcher = new QFutureWatcher<NodeResult>(engine->q);
        QPointer<GraphEngine> owner(engine->q);
        const quint64 gen = generation;
        Execution *self = this;
        GraphEngine::Private *eng = engine;
        QObject::connect(watcher, &QFutureWatcher<NodeResult>::finished, engine->q,
                         [watcher, owner, gen, self, eng, then = std::move(then)] {
                             watcher->deleteLater();
                             if (!owner || !eng->executions.count(self) || self->cancelled
                                 || self->generation != gen)
                                 return;
                             then(watcher->result());
                         });
        watcher->setFuture(QtConcurrent::run(std::move(work)));
    }
    QNetworkAccessManager *network() override { return engine->net(); }
    PythonWorkerPool *python() override { return engine->py(); }
    const llm::LlmEndpoint *llmEndpoint() const override
    {
        return engine->options.llmEndpoint ? &*engine->options.llmEndpoint : nullptr;
    }
    bool isCancelled() const override { return cancelled; }
    const ConversationHistory &conversationHistory() const override
    {
        return engine->options.conversationHistory;
    }
};

// ---- building -------------------------------------------------------------------------------

Result<void> GraphEngine::Private::build()
{
    const QList<document::Problem> problems = document::validateWorkflow(workflow);
    QStringList errors;
    for (const document::Problem &p : problems) {
        if (p.isError())
            errors << (p.nodeId.isEmpty() ? p.message
                                          : QStringLiteral("[%1] %2").arg(p.nodeId, p.message));
    }
    if (!errors.isEmpty())
        return makeError(QStringLiteral("run.invalid"),
                         QCoreApplication::translate("flowbench::runtime::GraphEngine",
                                                     "the workflow cannot run: %1")
                             .arg(errors.join(QStringLiteral("; "))));

    nodes.clear();
    edges.clear();
    index.clear();
    for (const document::Node &n : workflow.nodes()) {
        if (n.isNote())
            continue; // the engine drops canvas-only nodes (Graph._filter_canvas_only_nodes)
        GNode g;
        g.id = n.id;
        g.sid = n.id.toStdString();
        g.kind = n.kind();
        g.title = n.title();
        g.data = n.data.is_object() ? n.data : Json::object();
        g.errorStrategy = qs(g.data.value("error_strategy", std::string()));
        g.branch = isBranchKind(g.kind) || g.errorStrategy == QLatin1String("fail-branch");
        g.container = isContainerKind(g.kind);
        g.retryable = isRetryableKind(g.kind);
        g.factory = execNodeFactory(g.kind);
        index.insert(g.id, static_cast<int>(nodes.size()));
        nodes.push_back(std::move(g));
    }
    for (const document::Edge &e : workflow.edges()) {
        const int s = index.value(e.source, -1), t = index.value(e.target, -1);
        if (s < 0 || t < 0)
            continue;
        const int ei = static_cast<int>(edges.size());
        edges.push_back(GEdge{s, t, e.sourceHandle});
        nodes[static_cast<size_t>(s)].out.push_back(ei);
        nodes[static_cast<size_t>(t)].in.push_back(ei);
    }
    rootNode = -1;
    if (!options.startNodeId.isEmpty()) {
        rootNode = index.value(options.startNodeId, -1);
        if (rootNode < 0)
            return makeError(QStringLiteral("run.start"),
                             QCoreApplication::translate("flowbench::runtime::GraphEngine",
                                                         "no node '%1' to start from")
                                 .arg(options.startNodeId));
    } else {
        for (size_t i = 0; i < nodes.size(); ++i) {
            if (nodes[i].kind == QLatin1String("start") && nodes[i].in.empty()) {
                rootNode = static_cast<int>(i);
                break;
            }
        }
        if (rootNode < 0)
            return makeError(QStringLiteral("run.start"),
                             QCoreApplication::translate("flowbench::runtime::GraphEngine",
                                                         "the workflow has no start node"));
    }
    // Kinds that cannot run yet are refused up front unless pinned (which replaces running).
    for (const GNode &g : nodes) {
        if (g.container || g.kind == QLatin1String("iteration-start")
            || g.kind == QLatin1String("loop-start") || g.kind == QLatin1String("loop-end"))
            continue;
        if (options.pinnedOutputs.contains(g.id) || options.forcedFailures.contains(g.id))
            continue;
        if (!g.factory && !isLlmFamily(g.kind))
            return makeError(
                QStringLiteral("run.unsupported"),
                QCoreApplication::translate("flowbench::runtime::GraphEngine",
                                            "node '%1' (%2) is of a kind Flowbench cannot run")
                    .arg(g.title.isEmpty() ? g.id : g.title, g.kind));
    }
    prepared = true;
    return {};
}

void GraphEngine::Private::initPool()
{
    if (options.initialPool) {
        pool = *options.initialPool;
        return;
    }
    const bool chat = workflow.mode() == document::AppMode::AdvancedChat;
    pool.set("__inputs__", "__marker__", Json());
    pool.removeScope("__inputs__");
    for (auto it = options.inputs.begin(); it != options.inputs.end(); ++it)
        pool.set("__inputs__", it.key(), it.value());
    if (chat) {
        pool.set("sys", "query", options.query.toStdString());
        pool.set("sys", "conversation_id", options.conversationId.toStdString());
        pool.set("sys", "dialogue_count", options.dialogueCount);
    } else {
        pool.set("sys", "timestamp", nowMs() / 1000);
    }
    pool.set("sys", "files", options.files);
    pool.set("userinput", "files", options.files);
    pool.set("sys", "user_id", options.userId.toStdString());
    pool.set("sys", "app_id", options.appId.toStdString());
    pool.set("sys", "workflow_id", workflow.name().toStdString());
    pool.set("sys", "workflow_run_id", q->m_runId.toStdString());
    for (const document::Variable &v : workflow.environmentVariables)
        pool.set("env", v.name.toStdString(), v.value());
    for (const document::Variable &v : workflow.conversationVariables) {
        const std::string name = v.name.toStdString();
        const auto carried = options.conversationVariables.find(name);
        pool.set("conversation", name,
                 carried != options.conversationVariables.end() ? *carried : v.value());
    }
}

std::vector<char> GraphEngine::Private::scopeFrom(int root) const
{
    std::vector<char> in(nodes.size(), 0);
    std::vector<int> stack{root};
    in[static_cast<size_t>(root)] = 1;
    while (!stack.empty()) {
        const int n = stack.back();
        stack.pop_back();
        for (int e : nodes[static_cast<size_t>(n)].out) {
            const int t = edges[static_cast<size_t>(e)].dst;
            if (!in[static_cast<size_t>(t)]) {
                in[static_cast<size_t>(t)] = 1;
                stack.push_back(t);
            }
        }
    }
    return in;
}

std::unique_ptr<Frame> GraphEngine::Private::makeFrame(int root, VariablePool *framePool,
                                                       Frame *parent)
{
    auto f = std::make_unique<Frame>();
    f->parent = parent;
    f->root = root;
    f->inScope = scopeFrom(root);
    f->edges.assign(edges.size(), EdgeState::Unknown);
    f->nodes.assign(nodes.size(), NodeState::Unknown);
    f->pool = framePool;
    if (parent) {
        f->inIterationId = parent->inIterationId;
        f->inLoopId = parent->inLoopId;
        f->index = parent->index;
    }
    return f;
}

// ---- events ---------------------------------------------------------------------------------

RunEvent GraphEngine::Private::makeEvent(RunEvent::Type type, const Frame *frame, int node) const
{
    RunEvent e;
    e.type = type;
    e.runId = q->m_runId;
    e.timestampMs = nowMs();
    if (node >= 0) {
        const GNode &g = nodes[static_cast<size_t>(node)];
        e.nodeId = g.id;
        e.nodeKind = g.kind;
        e.nodeTitle = g.title;
    }
    if (frame) {
        e.inIterationId = frame->inIterationId;
        e.inLoopId = frame->inLoopId;
        e.index = frame->index;
    }
    return e;
}

// ---- scheduling -----------------------------------------------------------------------------

void GraphEngine::Private::enqueue(Frame *f, int node)
{
    f->nodes[static_cast<size_t>(node)] = NodeState::Queued;
    ++f->queued;
    ready.emplace_back(f, node);
}

bool GraphEngine::Private::pausedBeforeStart(int node)
{
    const GNode &g = nodes[static_cast<size_t>(node)];
    QString conditionError;
    const bool breakpoint = skipBreakOnce != g.id && breakpointHit(g, &conditionError);
    const bool stepDone = stepBudget == 0;
    if (!breakpoint && !stepDone && !pauseRequested)
        return false;
    if (q->m_status == RunStatus::Paused)
        return true;
    q->m_status = RunStatus::Paused;
    q->m_pausedAt = g.id;
    pauseRequested = false;
    RunEvent e = makeEvent(RunEvent::Type::RunPaused, nullptr, node);
    e.status = QStringLiteral("paused");
    e.metadata = Json{{"reason", breakpoint ? "breakpoint" : stepDone ? "step" : "pause"}};
    if (!conditionError.isEmpty())
        e.error = conditionError;
    if (runToNode == g.id)
        runToNode.clear();
    emitEvent(e);
    return true;
}

bool GraphEngine::Private::breakpointHit(const GNode &g, QString *conditionError)
{
    if (runToNode == g.id)
        return true;
    if (!options.breakpoints.contains(g.id))
        return false;
    const QString expression = options.breakpointConditions.value(g.id).trimmed();
    if (expression.isEmpty())
        return true;
    if (!conditionEngine) {
        // No extensions: the expression sees only the pool and v(), never files or network.
        conditionEngine = std::make_unique<QJSEngine>();
        conditionEngine->evaluate(QStringLiteral(
            "function v(path) { var parts = String(path).split('.'); var x = pool;"
            " for (var i = 0; i < parts.length; ++i) { if (x === null || x === undefined)"
            " return undefined; x = x[parts[i]]; } return x; }"));
    }
    const Json snapshot = top && top->pool ? top->pool->toJson() : pool.toJson();
    const QByteArray text
        = QByteArray::fromStdString(snapshot.dump(-1, ' ', false, Json::error_handler_t::replace));
    conditionEngine->globalObject().setProperty(
        QStringLiteral("pool"),
        conditionEngine->toScriptValue(QJsonDocument::fromJson(text).object()));
    const QJSValue result = conditionEngine->evaluate(expression);
    if (result.isError()) {
        *conditionError = QCoreApplication::translate("flowbench::runtime::GraphEngine",
                                                      "breakpoint condition on %1 failed: %2")
                              .arg(g.id, result.toString());
        return true; // better to stop and say why than to run past silently
    }
    return result.toBool();
}

void GraphEngine::Private::pump()
{
    if (pumping)
        return;
    pumping = true;
    while (!ended) {
        if (!completed.empty()) {
            auto [x, result] = std::move(completed.front());
            completed.pop_front();
            handleCompletion(x, std::move(result));
            continue;
        }
        if (ready.empty() || q->m_status == RunStatus::Paused)
            break;
        auto [f, node] = ready.front();
        if (pausedBeforeStart(node))
            break;
        ready.pop_front();
        --f->queued;
        if (f->finished) { // a failed frame drops what it had queued
            checkFrameDone(f);
            continue;
        }
        skipBreakOnce.clear();
        if (stepBudget > 0)
            --stepBudget;
        startNode(f, node);
    }
    pumping = false;
    graveyard.clear();
    retiredContainers.clear();
    retiredFrames.clear();
}

void GraphEngine::Private::startNode(Frame *f, int node)
{
    const GNode &g = nodes[static_cast<size_t>(node)];
    f->nodes[static_cast<size_t>(node)] = NodeState::Running;
    ++f->running;

    // Container start markers are transparent: no events, their edges are taken at once.
    if (g.kind == QLatin1String("iteration-start") || g.kind == QLatin1String("loop-start")) {
        --f->running;
        f->nodes[static_cast<size_t>(node)] = NodeState::Done;
        processEdges(f, node, QStringLiteral("source"), false);
        checkFrameDone(f);
        return;
    }

    auto owned = std::make_unique<Execution>();
    Execution *x = owned.get();
    x->engine = this;
    x->frame = f;
    x->node = node;
    x->executionId = executionPrefix + QString::number(++executionCounter);
    x->startedMs = nowMs();
    executions.emplace(x, std::move(owned));

    ++q->m_steps;
    RunEvent started = makeEvent(RunEvent::Type::NodeStarted, f, node);
    started.executionId = x->executionId;
    started.status = QStringLiteral("running");
    emitEvent(started);
    launch(x);
}

void GraphEngine::Private::launch(Execution *x)
{
    const GNode &g = x->g();
    if (const auto forced = options.forcedFailures.constFind(g.id);
        forced != options.forcedFailures.cend()) {
        x->done = true;
        complete(x, NodeResult::failure(*forced, QStringLiteral("ForcedFailure")));
        return;
    }
    if (const auto pinned = options.pinnedOutputs.constFind(g.id);
        pinned != options.pinnedOutputs.cend()) {
        NodeResult r;
        r.outputs = pinned->is_object() ? *pinned : Json::object();
        r.metadata["pinned"] = true;
        // A pinned streaming node streams its text the way Dify's mock does: word by word.
        if (r.outputs.contains("text") && r.outputs["text"].is_string()
            && (g.kind == QLatin1String("llm") || g.kind == QLatin1String("agent"))) {
            const QString text = qs(r.outputs["text"].get<std::string>());
            const QStringList words = text.split(QLatin1Char(' '));
            const QStringList sel{g.id, QStringLiteral("text")};
            for (int i = 0; i < words.size(); ++i)
                onChunk(x, sel, i == 0 ? words[i] : QLatin1Char(' ') + words[i], false);
            onChunk(x, sel, QString(), true);
        }
        if (g.kind == QLatin1String("if-else") || g.kind == QLatin1String("question-classifier")) {
            const std::string key
                = g.kind == QLatin1String("if-else") ? "selected_case_id" : "class_id";
            if (r.outputs.contains(key) && r.outputs[key].is_string())
                r.edgeSourceHandle = qs(r.outputs[key].get<std::string>());
            else if (g.kind == QLatin1String("if-else"))
                r.edgeSourceHandle = QStringLiteral("false");
        }
        x->done = true;
        complete(x, std::move(r));
        return;
    }
    if (g.kind == QLatin1String("iteration")) {
        startIteration(x);
        return;
    }
    if (g.kind == QLatin1String("loop")) {
        startLoop(x);
        return;
    }
    if (g.kind == QLatin1String("loop-end")) {
        x->frame->loopEnd = true;
        x->done = true;
        complete(x, NodeResult());
        return;
    }
    x->exec = g.factory ? g.factory() : nullptr;
    if (!x->exec) {
        x->done = true;
        complete(x, NodeResult::failure(
                        isLlmFamily(g.kind)
                            ? QCoreApplication::translate(
                                  "flowbench::runtime::GraphEngine",
                                  "%1 nodes are not available yet: endpoint support "
                                  "arrives with the LLM client (pin this node's output "
                                  "to run the rest of the workflow)")
                                  .arg(g.kind)
                            : QCoreApplication::translate("flowbench::runtime::GraphEngine",
                                                          "node kind '%1' cannot run")
                                  .arg(g.kind),
                        QStringLiteral("NotAvailable")));
        return;
    }
    ++x->generation;
    x->exec->start(*x);
}

void GraphEngine::Private::complete(Execution *x, NodeResult result)
{
    completed.emplace_back(x, std::move(result));
    // Inside the scheduler loop the result is picked up at once. From an asynchronous callback
    // (a reply, a worker, a timer) the loop runs from the event loop instead, so the node's
    // objects are not destroyed under its own feet.
    if (!pumping)
        schedulePump();
}

void GraphEngine::Private::schedulePump()
{
    if (pumpScheduled)
        return;
    pumpScheduled = true;
    QMetaObject::invokeMethod(
        q,
        [this] {
            pumpScheduled = false;
            pump();
        },
        Qt::QueuedConnection);
}

void GraphEngine::Private::retireFrame(std::unique_ptr<Frame> frame)
{
    Frame *f = frame.get();
    ready.erase(std::remove_if(ready.begin(), ready.end(),
                               [f](const auto &entry) { return entry.first == f; }),
                ready.end());
    completed.erase(std::remove_if(completed.begin(), completed.end(),
                                   [f](const auto &entry) { return entry.first->frame == f; }),
                    completed.end());
    for (auto it = executions.begin(); it != executions.end();) {
        if (it->second->frame == f) {
            it->second->cancelled = true;
            if (it->second->exec)
                it->second->exec->cancel();
            graveyard.push_back(std::move(it->second));
            it = executions.erase(it);
        } else {
            ++it;
        }
    }
    retiredFrames.push_back(std::move(frame));
}

void GraphEngine::Private::retireContainer(Execution *x)
{
    auto it = containers.find(x);
    if (it == containers.end())
        return;
    std::unique_ptr<ContainerRun> c = std::move(it->second);
    containers.erase(it);
    c->stopped = true;
    for (auto &child : c->children)
        retireFrame(std::move(child));
    c->children.clear();
    retiredContainers.push_back(std::move(c));
}

void GraphEngine::Private::handleCompletion(Execution *x, NodeResult result)
{
    Frame *f = x->frame;
    const GNode &g = x->g();
    if (const Json &u = result.usage;
        u.is_object() && u.contains("total_tokens") && u["total_tokens"].is_number())
        q->m_totalTokens += u["total_tokens"].get<qint64>();

    if (result.status == NodeResult::Status::Failed) {
        if (f->topLevel)
            ++q->m_exceptionsCount; // every failure the dispatcher sees, retried or not (§7)
        const Json retry = g.data.value("retry_config", Json::object());
        const bool retryOn
            = g.retryable && retry.is_object() && retry.value("retry_enabled", false) == true;
        const int maxRetries = retry.is_object() ? retry.value("max_retries", 0) : 0;
        if (retryOn && x->attempt < maxRetries && !f->finished) {
            ++x->attempt;
            RunEvent e = makeEvent(RunEvent::Type::NodeRetry, f, x->node);
            e.executionId = x->executionId;
            e.retryIndex = x->attempt;
            e.error = result.error;
            e.errorType = result.errorType;
            e.status = QStringLiteral("retry");
            emitEvent(e);
            const int interval = std::max(0, retry.value("retry_interval", 1000));
            ++f->timers;
            x->done = false;
            x->exec.reset();
            QPointer<GraphEngine> owner(q);
            QTimer::singleShot(interval, q, [this, x, f] {
                --f->timers;
                if (ended || x->cancelled || f->finished) {
                    checkFrameDone(f);
                    return;
                }
                launch(x);
            });
            return;
        }
        if (g.errorStrategy == QLatin1String("fail-branch")
            || g.errorStrategy == QLatin1String("default-value")) {
            NodeResult handled;
            handled.inputs = result.inputs;
            handled.processData = result.processData;
            handled.error = result.error;
            handled.errorType = result.errorType;
            if (g.errorStrategy == QLatin1String("default-value")) {
                const Json defaults = g.data.value("default_value", Json::array());
                if (defaults.is_array()) {
                    for (const Json &d : defaults) {
                        if (d.is_object() && d.contains("key") && d["key"].is_string())
                            handled.outputs[d["key"].get<std::string>()] = convertDefault(d);
                    }
                }
                handled.edgeSourceHandle = QStringLiteral("source");
            } else {
                handled.edgeSourceHandle = QStringLiteral("fail-branch");
            }
            handled.outputs["error_message"] = result.error.toStdString();
            handled.outputs["error_type"] = result.errorType.toStdString();
            handled.metadata["error_strategy"] = g.errorStrategy.toStdString();
            succeed(x, std::move(handled), true);
            return;
        }
        // No strategy: the node fails, and with it its frame (and at top level, the run).
        --f->running;
        f->nodes[static_cast<size_t>(x->node)] = NodeState::Done;
        RunEvent e = makeEvent(RunEvent::Type::NodeFailed, f, x->node);
        e.executionId = x->executionId;
        e.inputs = result.inputs;
        e.processData = result.processData;
        e.error = result.error;
        e.errorType = result.errorType;
        e.status = QStringLiteral("failed");
        e.elapsedMs = nowMs() - x->startedMs;
        emitEvent(e);
        graveyard.push_back(std::move(executions[x]));
        executions.erase(x);
        failFrame(f, result.error, result.errorType);
        return;
    }
    succeed(x, std::move(result), false);
}

void GraphEngine::Private::succeed(Execution *x, NodeResult result, bool exception)
{
    Frame *f = x->frame;
    const int node = x->node;
    const GNode &g = nodes[static_cast<size_t>(node)];
    --f->running;
    f->nodes[static_cast<size_t>(node)] = NodeState::Done;

    VariablePool &p = *f->pool;
    if (result.outputs.is_object()) {
        for (auto it = result.outputs.begin(); it != result.outputs.end(); ++it)
            p.set(g.sid, it.key(), it.value());
    }
    for (const VariableWrite &w : x->writes)
        p.set(w.selector, w.value);
    if (g.kind == QLatin1String("answer") && (f->topLevel || !f->inLoopId.isEmpty())
        && f->inIterationId.isEmpty()) {
        const auto a = result.outputs.find("answer");
        answers.push_back(a != result.outputs.end() && a->is_string() ? qs(a->get<std::string>())
                                                                      : QString());
    }
    if (g.kind == QLatin1String("end") && f->topLevel && result.outputs.is_object()) {
        for (auto it = result.outputs.begin(); it != result.outputs.end(); ++it)
            q->m_outputs[it.key()] = it.value();
    }

    processEdges(f, node, result.edgeSourceHandle, g.branch);
    if (f->topLevel) {
        checkSessions();
        flush();
    }

    RunEvent e = makeEvent(
        exception ? RunEvent::Type::NodeException : RunEvent::Type::NodeSucceeded, f, node);
    e.executionId = x->executionId;
    e.inputs = std::move(result.inputs);
    e.processData = std::move(result.processData);
    e.outputs = std::move(result.outputs);
    e.usage = std::move(result.usage);
    e.metadata = std::move(result.metadata);
    e.error = result.error;
    e.errorType = result.errorType;
    e.status = exception ? QStringLiteral("exception") : QStringLiteral("succeeded");
    e.elapsedMs = nowMs() - x->startedMs;
    emitEvent(e);

    auto it = executions.find(x);
    if (it != executions.end()) {
        graveyard.push_back(std::move(it->second));
        executions.erase(it);
    }
    if (q->m_steps > options.maxSteps && !ended) {
        finishRun(RunStatus::Stopped,
                  QCoreApplication::translate("flowbench::runtime::GraphEngine",
                                              "Aborted: Maximum execution steps exceeded: %1 > %2")
                      .arg(q->m_steps)
                      .arg(options.maxSteps));
        return;
    }
    checkFrameDone(f);
}

void GraphEngine::Private::processEdges(Frame *f, int node, const QString &handle, bool branch)
{
    std::vector<int> work;
    const GNode &g = nodes[static_cast<size_t>(node)];
    for (int e : g.out) {
        const GEdge &edge = edges[static_cast<size_t>(e)];
        if (!f->inScope[static_cast<size_t>(edge.dst)])
            continue;
        const bool take = !branch || edge.handle == handle;
        f->edges[static_cast<size_t>(e)] = take ? EdgeState::Taken : EdgeState::Skipped;
        // Only a taken blocking edge can make a response session reachable.
        if (take && f->topLevel && blockingForAny[static_cast<size_t>(e)])
            sessionsDirty = true;
        work.push_back(edge.dst);
    }
    while (!work.empty()) {
        const int t = work.back();
        work.pop_back();
        settleTarget(f, t, work);
    }
}

// OR-join that waits (§4.3) and skip propagation (§4.4).
void GraphEngine::Private::settleTarget(Frame *f, int target, std::vector<int> &work)
{
    if (f->nodes[static_cast<size_t>(target)] != NodeState::Unknown)
        return;
    bool anyTaken = false;
    for (int e : nodes[static_cast<size_t>(target)].in) {
        const GEdge &edge = edges[static_cast<size_t>(e)];
        if (!f->inScope[static_cast<size_t>(edge.src)])
            continue;
        const EdgeState s = f->edges[static_cast<size_t>(e)];
        if (s == EdgeState::Unknown)
            return;
        anyTaken = anyTaken || s == EdgeState::Taken;
    }
    if (anyTaken) {
        enqueue(f, target);
        return;
    }
    f->nodes[static_cast<size_t>(target)] = NodeState::Skipped;
    RunEvent e = makeEvent(RunEvent::Type::NodeSkipped, f, target);
    e.status = QStringLiteral("skipped");
    emitEvent(e);
    for (int out : nodes[static_cast<size_t>(target)].out) {
        const GEdge &edge = edges[static_cast<size_t>(out)];
        if (!f->inScope[static_cast<size_t>(edge.dst)])
            continue;
        f->edges[static_cast<size_t>(out)] = EdgeState::Skipped;
        work.push_back(edge.dst);
    }
}

void GraphEngine::Private::failFrame(Frame *f, const QString &error, const QString &type)
{
    if (f->finished)
        return;
    f->failed = true;
    f->failure = error;
    f->failureType = type;
    if (f->topLevel) {
        finishRun(RunStatus::Failed, error);
        return;
    }
    cancelFrame(f);
    checkFrameDone(f);
}

void GraphEngine::Private::cancelFrame(Frame *f)
{
    for (auto &[ptr, x] : executions) {
        if (x->frame != f || x->cancelled)
            continue;
        x->cancelled = true;
        if (x->exec)
            x->exec->cancel();
        if (auto c = containers.find(ptr); c != containers.end()) {
            c->second->stopped = true;
            for (auto &child : c->second->children)
                cancelFrame(child.get());
        }
    }
}

void GraphEngine::Private::checkFrameDone(Frame *f)
{
    if (f->finished)
        return;
    if (f->failed) {
        // Wait for nothing: cancelled executions never report back.
        f->finished = true;
        if (f->onDone)
            f->onDone(f);
        return;
    }
    if (f->queued > 0 || f->running > 0 || f->timers > 0)
        return;
    f->finished = true;
    if (f->onDone)
        f->onDone(f);
}

void GraphEngine::Private::finishRun(RunStatus status, const QString &error)
{
    if (ended)
        return;
    if (status != RunStatus::Failed && status != RunStatus::Stopped) {
        flush();
        if (q->m_exceptionsCount > 0)
            status = RunStatus::PartialSucceeded;
    }
    ended = true;
    timeLimit.stop();
    for (auto &[ptr, x] : executions) {
        x->cancelled = true;
        if (x->exec)
            x->exec->cancel();
    }
    ready.clear();
    if (workflow.mode() == document::AppMode::AdvancedChat) {
        QString joined;
        for (const QString &a : answers)
            joined += a;
        q->m_outputs["answer"] = joined.toStdString();
    }
    q->m_status = status;
    q->m_error = error;
    RunEvent::Type type = RunEvent::Type::RunSucceeded;
    if (status == RunStatus::PartialSucceeded)
        type = RunEvent::Type::RunPartialSucceeded;
    else if (status == RunStatus::Failed)
        type = RunEvent::Type::RunFailed;
    else if (status == RunStatus::Stopped)
        type = RunEvent::Type::RunStopped;
    RunEvent e = makeEvent(type);
    e.outputs = q->m_outputs;
    e.error = error;
    e.exceptionsCount = q->m_exceptionsCount;
    e.status = runStatusName(status);
    e.elapsedMs = q->elapsedMs();
    emitEvent(e);
    QTimer::singleShot(0, q, [this] { Q_EMIT q->finished(); });
}

// ---- iteration (§3 iteration, §12) ----------------------------------------------------------

void GraphEngine::Private::startIteration(Execution *x)
{
    const GNode &g = x->g();
    auto run = std::make_unique<ContainerRun>();
    ContainerRun *c = run.get();
    c->exec = x;
    c->frame = x->frame;
    containers.emplace(x, std::move(run));

    RunEvent started = makeEvent(RunEvent::Type::IterationStarted, x->frame, x->node);
    started.executionId = x->executionId;
    const Selector sel = selectorOf(g.data.value("iterator_selector", Json::array()));
    const Json *value = sel.size() >= 2 ? x->frame->pool->find(sel) : nullptr;
    started.inputs = Json{{"iterator_selector", value ? *value : Json()}};
    emitEvent(started);

    if (value && !value->is_null() && !value->is_array()) {
        retireContainer(x);
        x->done = true;
        complete(x,
                 NodeResult::failure(QCoreApplication::translate("flowbench::runtime::GraphEngine",
                                                                 "iterator %1 is not a list")
                                         .arg(qs(variables::selectorText(sel))),
                                     QStringLiteral("IteratorVariableNotFoundError")));
        return;
    }
    c->items = value && value->is_array() ? *value : Json::array();
    c->errorMode = qs(g.data.value("error_handle_mode", std::string("terminated")));
    const bool parallel = g.data.value("is_parallel", false) == true;
    c->parallel = parallel ? std::max(1, g.data.value("parallel_nums", 10)) : 1;
    c->results.assign(c->items.size(), Json());
    c->dropped.assign(c->items.size(), 0);
    if (c->items.empty()) {
        finishIteration(c);
        return;
    }
    for (int i = 0; i < c->parallel && c->nextItem < static_cast<int>(c->items.size()); ++i)
        launchIterationItem(c);
}

void GraphEngine::Private::launchIterationItem(ContainerRun *c)
{
    Execution *x = c->exec;
    const GNode &g = x->g();
    const int item = c->nextItem++;
    const int root = index.value(qs(g.data.value("start_node_id", std::string())), -1);
    RunEvent next = makeEvent(RunEvent::Type::IterationNext, x->frame, x->node);
    next.executionId = x->executionId;
    next.index = item;
    emitEvent(next);
    if (root < 0) {
        x->done = true;
        complete(x,
                 NodeResult::failure(QCoreApplication::translate("flowbench::runtime::GraphEngine",
                                                                 "the iteration has no start node"),
                                     QStringLiteral("IterationNodeError")));
        return;
    }
    auto childPool = std::make_unique<VariablePool>(*x->frame->pool);
    childPool->set(g.sid, "item", c->items[static_cast<size_t>(item)]);
    childPool->set(g.sid, "index", item);
    auto frame = makeFrame(root, childPool.get(), x->frame);
    frame->ownPool = std::move(childPool);
    frame->inIterationId = g.id;
    frame->inLoopId.clear();
    frame->index = item;
    Frame *fr = frame.get();
    c->children.push_back(std::move(frame));
    ++c->active;
    fr->onDone = [this, c, item, x](Frame *done) {
        --c->active;
        if (c->stopped)
            return;
        const GNode &gn = x->g();
        if (done->failed) {
            if (c->errorMode == QLatin1String("continue-on-error")) {
                c->results[static_cast<size_t>(item)] = Json();
            } else if (c->errorMode == QLatin1String("remove-abnormal-output")) {
                c->dropped[static_cast<size_t>(item)] = 1;
            } else {
                c->stopped = true;
                for (auto &child : c->children)
                    cancelFrame(child.get());
                RunEvent failed = makeEvent(RunEvent::Type::IterationFailed, x->frame, x->node);
                failed.executionId = x->executionId;
                failed.error = done->failure;
                emitEvent(failed);
                retireContainer(x);
                x->done = true;
                complete(x, NodeResult::failure(done->failure, done->failureType));
                return;
            }
        } else {
            const Selector out = selectorOf(gn.data.value("output_selector", Json::array()));
            const Json *v = out.size() >= 2 ? done->pool->find(out) : nullptr;
            c->results[static_cast<size_t>(item)] = v ? *v : Json();
        }
        // Conversation-variable writes inside the body reach the parent (§3 iteration).
        if (const Json *conv = done->pool->scope("conversation")) {
            for (auto it = conv->begin(); it != conv->end(); ++it)
                x->frame->pool->set("conversation", it.key(), it.value());
        }
        if (c->nextItem < static_cast<int>(c->items.size())) {
            launchIterationItem(c);
        } else if (c->active == 0) {
            finishIteration(c);
        }
    };
    enqueue(fr, root);
}

void GraphEngine::Private::finishIteration(ContainerRun *c)
{
    Execution *x = c->exec;
    const GNode &g = x->g();
    Json list = Json::array();
    for (size_t i = 0; i < c->results.size(); ++i) {
        if (!c->dropped[i])
            list.push_back(c->results[i]);
    }
    // flatten_output (default true): concatenate when every non-null element is a list (§12).
    if (g.data.value("flatten_output", true) == true) {
        bool anyNonNull = false, allLists = true;
        for (const Json &v : list) {
            if (v.is_null())
                continue;
            anyNonNull = true;
            allLists = allLists && v.is_array();
        }
        if (anyNonNull && allLists) {
            Json flat = Json::array();
            for (const Json &v : list) {
                if (v.is_array())
                    for (const Json &e : v)
                        flat.push_back(e);
            }
            list = std::move(flat);
        }
    }
    NodeResult r;
    r.outputs["output"] = list;
    r.metadata["iterations"] = static_cast<int>(c->items.size());
    RunEvent done = makeEvent(RunEvent::Type::IterationSucceeded, x->frame, x->node);
    done.executionId = x->executionId;
    done.outputs = r.outputs;
    emitEvent(done);
    x->done = true;
    // The children are kept until the container's execution goes (their frames own pools
    // that events may still reference); free them now that nothing runs in them.
    retireContainer(x);
    complete(x, std::move(r));
}

// ---- loop (§3 loop, §12) --------------------------------------------------------------------

void GraphEngine::Private::startLoop(Execution *x)
{
    const GNode &g = x->g();
    auto run = std::make_unique<ContainerRun>();
    ContainerRun *c = run.get();
    c->exec = x;
    c->frame = x->frame;
    c->isLoop = true;
    c->maxRounds = std::clamp(g.data.value("loop_count", 10), 0, 100000);
    containers.emplace(x, std::move(run));

    VariablePool &p = *x->frame->pool;
    const Json vars = g.data.value("loop_variables", Json::array());
    Json initial = Json::object();
    if (vars.is_array()) {
        for (const Json &v : vars) {
            if (!v.is_object() || !v.contains("label") || !v["label"].is_string())
                continue;
            const std::string label = v["label"].get<std::string>();
            const std::string type = v.value("var_type", std::string("string"));
            Json value;
            if (v.value("value_type", std::string("constant")) == "variable") {
                const Selector sel = selectorOf(v.value("value", Json::array()));
                const Json *found = sel.size() >= 2 ? p.find(sel) : nullptr;
                value = found ? *found : Json();
            } else {
                value = convertLoopConstant(v.value("value", Json()), type);
            }
            p.set(g.sid, label, value);
            initial[label] = value;
            c->loopVars.emplace_back(label, type);
        }
    }
    RunEvent started = makeEvent(RunEvent::Type::LoopStarted, x->frame, x->node);
    started.executionId = x->executionId;
    started.inputs = initial;
    emitEvent(started);

    // Break conditions are checked before the first round; errors there are ignored (§3 loop).
    const Json conditions = g.data.value("break_conditions", Json::array());
    const QString logic = qs(g.data.value("logical_operator", std::string("and")));
    if (conditions.is_array() && !conditions.empty()) {
        auto broke = nodes::evaluateConditions(conditions, logic, p);
        if (broke && *broke) {
            finishLoop(c, "loop_break");
            return;
        }
    }
    if (c->maxRounds == 0) {
        finishLoop(c, "loop_completed");
        return;
    }
    runLoopRound(c);
}

void GraphEngine::Private::runLoopRound(ContainerRun *c)
{
    Execution *x = c->exec;
    const GNode &g = x->g();
    const int root = index.value(qs(g.data.value("start_node_id", std::string())), -1);
    if (root < 0) {
        retireContainer(x);
        x->done = true;
        complete(x,
                 NodeResult::failure(QCoreApplication::translate("flowbench::runtime::GraphEngine",
                                                                 "the loop has no start node"),
                                     QStringLiteral("LoopNodeError")));
        return;
    }
    auto frame = makeFrame(root, x->frame->pool, x->frame);
    frame->inLoopId = g.id;
    frame->inIterationId.clear();
    frame->index = c->rounds;
    // Each round starts from a clean slate for the body nodes' outputs.
    for (size_t i = 0; i < nodes.size(); ++i) {
        if (frame->inScope[i] && static_cast<int>(i) != root)
            x->frame->pool->removeScope(nodes[i].sid);
    }
    Frame *fr = frame.get();
    for (auto &old : c->children)
        retireFrame(std::move(old));
    c->children.clear();
    c->children.push_back(std::move(frame));
    fr->onDone = [this, c, x](Frame *done) {
        if (c->stopped)
            return;
        const GNode &gn = x->g();
        if (done->failed) {
            RunEvent failed = makeEvent(RunEvent::Type::LoopFailed, x->frame, x->node);
            failed.executionId = x->executionId;
            failed.error = done->failure;
            emitEvent(failed);
            const QString error = done->failure, type = done->failureType;
            retireContainer(x);
            x->done = true;
            complete(x, NodeResult::failure(error, type));
            return;
        }
        ++c->rounds;
        if (done->loopEnd) {
            finishLoop(c, "loop_break");
            return;
        }
        const Json conditions = gn.data.value("break_conditions", Json::array());
        const QString logic = qs(gn.data.value("logical_operator", std::string("and")));
        if (conditions.is_array() && !conditions.empty()) {
            auto broke = nodes::evaluateConditions(conditions, logic, *x->frame->pool);
            if (!broke) {
                retireContainer(x);
                x->done = true;
                complete(
                    x, NodeResult::failure(broke.error().message, QStringLiteral("LoopNodeError")));
                return;
            }
            if (*broke) {
                finishLoop(c, "loop_break");
                return;
            }
        }
        if (c->rounds >= c->maxRounds) {
            finishLoop(c, "loop_completed");
            return;
        }
        RunEvent next = makeEvent(RunEvent::Type::LoopNext, x->frame, x->node);
        next.executionId = x->executionId;
        next.index = c->rounds;
        emitEvent(next);
        runLoopRound(c);
    };
    enqueue(fr, root);
}

void GraphEngine::Private::finishLoop(ContainerRun *c, const char *reason)
{
    Execution *x = c->exec;
    const GNode &g = x->g();
    NodeResult r;
    if (c->rounds > 0) { // with zero rounds the loop outputs nothing (§12)
        for (const auto &[label, type] : c->loopVars) {
            const Json *v = x->frame->pool->find({g.sid, label});
            r.outputs[label] = v ? *v : Json();
        }
        r.outputs["loop_round"] = c->rounds;
    }
    r.metadata["completed_reason"] = reason;
    r.metadata["loop_round"] = c->rounds;
    RunEvent done = makeEvent(RunEvent::Type::LoopSucceeded, x->frame, x->node);
    done.executionId = x->executionId;
    done.outputs = r.outputs;
    done.metadata = r.metadata;
    emitEvent(done);
    retireContainer(x);
    x->done = true;
    complete(x, std::move(r));
}

// ---- response streaming (§9.3) --------------------------------------------------------------

void GraphEngine::Private::buildSessions()
{
    sessions.clear();
    blockingForAny.assign(edges.size(), 0);
    const std::vector<char> &scope = top->inScope;
    for (size_t n = 0; n < nodes.size(); ++n) {
        const GNode &g = nodes[n];
        if (!scope[n] || (g.kind != QLatin1String("answer") && g.kind != QLatin1String("end")))
            continue;
        Session s;
        s.node = static_cast<int>(n);
        if (g.kind == QLatin1String("answer")) {
            const std::string text = g.data.value("answer", std::string());
            for (const auto &seg : variables::parseTemplate(text))
                s.segments.push_back(Segment{seg.isVariable, qs(seg.text), seg.selector});
        } else {
            const Json outs = g.data.value("outputs", Json::array());
            bool first = true;
            if (outs.is_array()) {
                for (const Json &o : outs) {
                    const Selector sel = o.is_object()
                                             ? selectorOf(o.value("value_selector", Json::array()))
                                             : Selector();
                    if (sel.size() < 2)
                        continue;
                    if (!first)
                        s.segments.push_back(Segment{false, QStringLiteral("\n"), {}});
                    s.segments.push_back(Segment{true, {}, sel});
                    first = false;
                }
            }
        }
        // Edges on some root → node path.
        std::vector<char> fromRoot = scope;
        std::vector<char> toNode(nodes.size(), 0);
        std::vector<int> stack{static_cast<int>(n)};
        toNode[n] = 1;
        while (!stack.empty()) {
            const int v = stack.back();
            stack.pop_back();
            for (int e : nodes[static_cast<size_t>(v)].in) {
                const int src = edges[static_cast<size_t>(e)].src;
                if (scope[static_cast<size_t>(src)] && !toNode[static_cast<size_t>(src)]) {
                    toNode[static_cast<size_t>(src)] = 1;
                    stack.push_back(src);
                }
            }
        }
        std::set<std::string> writers;
        bool readsConversation = false;
        for (const Segment &seg : s.segments) {
            if (seg.isVariable && !seg.selector.empty()) {
                writers.insert(seg.selector[0]);
                readsConversation = readsConversation || seg.selector[0] == "conversation";
            }
        }
        s.pathEdge.assign(edges.size(), 0);
        s.blocking.assign(edges.size(), 0);
        for (size_t e = 0; e < edges.size(); ++e) {
            const GEdge &edge = edges[e];
            if (!fromRoot[static_cast<size_t>(edge.src)] || !toNode[static_cast<size_t>(edge.dst)])
                continue;
            s.pathEdge[e] = 1;
            const GNode &src = nodes[static_cast<size_t>(edge.src)];
            const bool blocking = src.branch || src.container || src.kind == QLatin1String("answer")
                                  || src.kind == QLatin1String("end") || writers.count(src.sid)
                                  || (readsConversation && src.kind == QLatin1String("assigner"));
            s.blocking[e] = blocking ? 1 : 0;
            if (blocking)
                blockingForAny[e] = 1;
        }
        sessions.push_back(std::move(s));
    }
}

bool GraphEngine::Private::sessionReachable(const Session &s) const
{
    std::vector<char> seen(nodes.size(), 0);
    std::vector<int> stack{top->root};
    seen[static_cast<size_t>(top->root)] = 1;
    while (!stack.empty()) {
        const int v = stack.back();
        stack.pop_back();
        if (v == s.node)
            return true;
        for (int e : nodes[static_cast<size_t>(v)].out) {
            if (!s.pathEdge[static_cast<size_t>(e)])
                continue;
            const EdgeState st = top->edges[static_cast<size_t>(e)];
            if (s.blocking[static_cast<size_t>(e)] ? st != EdgeState::Taken
                                                   : st == EdgeState::Skipped)
                continue;
            const int t = edges[static_cast<size_t>(e)].dst;
            if (!seen[static_cast<size_t>(t)]) {
                seen[static_cast<size_t>(t)] = 1;
                stack.push_back(t);
            }
        }
    }
    return false;
}

void GraphEngine::Private::checkSessions()
{
    if (!sessionsDirty)
        return;
    sessionsDirty = false;
    std::vector<int> newly;
    for (size_t i = 0; i < sessions.size(); ++i) {
        Session &s = sessions[i];
        if (s.reachable || s.done)
            continue;
        if (top->nodes[static_cast<size_t>(s.node)] == NodeState::Skipped) {
            s.done = true;
            continue;
        }
        if (sessionReachable(s)) {
            s.reachable = true;
            newly.push_back(static_cast<int>(i));
        }
    }
    // Sessions that become reachable together queue in node-id order (§12).
    std::sort(newly.begin(), newly.end(), [this](int a, int b) {
        return nodes[static_cast<size_t>(sessions[static_cast<size_t>(a)].node)].id
               < nodes[static_cast<size_t>(sessions[static_cast<size_t>(b)].node)].id;
    });
    for (int i : newly)
        sessionQueue.push_back(i);
}

void GraphEngine::Private::onChunk(const Execution *x, const QStringList &selector,
                                   const QString &text, bool final)
{
    if (!x->frame->topLevel)
        return; // body streams do not reach the run's response stream (Dify 1.12.1)
    if (selector.size() < 2)
        return;
    Buffered &b = streamed[selector[0].toStdString() + '\x1f' + selector[1].toStdString()];
    if (!text.isEmpty())
        b.chunks.push_back(text);
    b.final = b.final || final;
    flush();
}

void GraphEngine::Private::flush()
{
    while (true) {
        if (activeSession < 0) {
            if (sessionQueue.empty())
                return;
            activeSession = sessionQueue.front();
            sessionQueue.pop_front();
        }
        Session &s = sessions[static_cast<size_t>(activeSession)];
        const GNode &response = nodes[static_cast<size_t>(s.node)];
        bool blocked = false;
        while (s.cursor < s.segments.size() && !blocked) {
            const Segment &seg = s.segments[s.cursor];
            if (!seg.isVariable) {
                if (!seg.text.isEmpty()) {
                    RunEvent e = makeEvent(RunEvent::Type::NodeStreamChunk, top.get(), s.node);
                    e.selector = QStringList{response.id, response.kind == QLatin1String("end")
                                                              ? QStringLiteral("output")
                                                              : QStringLiteral("answer")};
                    e.chunk = seg.text;
                    emitEvent(e);
                }
                ++s.cursor;
                continue;
            }
            const std::string &scope = seg.selector[0];
            const bool system = scope == "sys" || scope == "env" || scope == "conversation"
                                || scope == "userinput";
            const int source = system ? -1 : index.value(qs(scope), -1);
            if (source >= 0 && top->nodes[static_cast<size_t>(source)] == NodeState::Skipped) {
                ++s.cursor; // a skipped source is silently left out
                continue;
            }
            if (!system && seg.selector.size() >= 2) {
                auto st = streamed.find(seg.selector[0] + '\x1f' + seg.selector[1]);
                if (st != streamed.end()) {
                    Buffered &b = st->second;
                    while (b.consumed < b.chunks.size()) {
                        RunEvent e = makeEvent(RunEvent::Type::NodeStreamChunk, top.get(), source);
                        e.selector
                            = qSelector(Selector(seg.selector.begin(), seg.selector.begin() + 2));
                        e.chunk = b.chunks[b.consumed++];
                        emitEvent(e);
                    }
                    const bool sourceDone
                        = source >= 0 && top->nodes[static_cast<size_t>(source)] == NodeState::Done;
                    if (b.final || sourceDone)
                        ++s.cursor;
                    else
                        blocked = true;
                    continue;
                }
            }
            const bool ready
                = system
                  || (source >= 0 && top->nodes[static_cast<size_t>(source)] == NodeState::Done)
                  || (source < 0 && top->pool->contains(seg.selector));
            const Json *value = ready ? top->pool->find(seg.selector) : nullptr;
            if (!value) {
                blocked = true; // not produced yet (or never: Dify stalls the session too)
                continue;
            }
            RunEvent e
                = makeEvent(RunEvent::Type::NodeStreamChunk, top.get(), system ? s.node : source);
            e.selector = system ? QStringList{response.id, QStringLiteral("answer")}
                                : qSelector(seg.selector);
            e.chunk = qs(variables::renderMarkdown(*value));
            if (!e.chunk.isEmpty())
                emitEvent(e);
            ++s.cursor;
        }
        if (blocked)
            return;
        s.done = true;
        activeSession = -1;
    }
}

// ---- GraphEngine ----------------------------------------------------------------------------

GraphEngine::GraphEngine(document::Workflow workflow, RunOptions options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this))
{
    qRegisterMetaType<flowbench::runtime::RunEvent>();
    d->workflow = std::move(workflow);
    d->options = std::move(options);
    m_runId = d->options.runId.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces)
                                         : d->options.runId;
    d->timeLimit.setSingleShot(true);
    connect(&d->timeLimit, &QTimer::timeout, this, [this] {
        d->finishRun(RunStatus::Stopped, QCoreApplication::translate(
                                             "flowbench::runtime::GraphEngine",
                                             "Aborted: Maximum execution time exceeded: %1s > %2s")
                                             .arg(elapsedMs() / 1000)
                                             .arg(d->options.maxSeconds));
    });
}

GraphEngine::~GraphEngine()
{
    d->ended = true;
    for (auto &[ptr, x] : d->executions) {
        x->cancelled = true;
        if (x->exec)
            x->exec->cancel();
    }
}

Result<void> GraphEngine::prepare()
{
    if (d->prepared)
        return {};
    return d->build();
}

void GraphEngine::start()
{
    if (m_status != RunStatus::NotStarted)
        return;
    d->clock.start();
    if (auto ok = prepare(); !ok) {
        m_status = RunStatus::Running;
        RunEvent started = d->makeEvent(RunEvent::Type::RunStarted);
        started.status = QStringLiteral("running");
        d->emitEvent(started);
        d->finishRun(RunStatus::Failed, ok.error().message);
        return;
    }
    m_status = RunStatus::Running;
    d->executionPrefix = m_runId.left(8) + QLatin1Char('-');
    d->initPool();
    d->top = d->makeFrame(d->rootNode, &d->pool, nullptr);
    d->top->topLevel = true;
    d->top->onDone = [this](Frame *f) {
        if (f->failed)
            d->finishRun(RunStatus::Failed, f->failure);
        else
            d->finishRun(RunStatus::Succeeded, QString());
    };
    d->buildSessions();
    if (d->options.maxSeconds > 0)
        d->timeLimit.start(d->options.maxSeconds * 1000);

    RunEvent started = d->makeEvent(RunEvent::Type::RunStarted);
    started.status = QStringLiteral("running");
    started.inputs = d->options.inputs;
    d->emitEvent(started);
    d->checkSessions();
    d->enqueue(d->top.get(), d->rootNode);
    d->pump();
}

void GraphEngine::stop()
{
    if (m_status == RunStatus::NotStarted || d->ended)
        return;
    d->finishRun(RunStatus::Stopped, tr("stopped by the user"));
}

void GraphEngine::pause()
{
    if (m_status != RunStatus::Running)
        return;
    d->pauseRequested = true;
    if (!d->ready.empty() && !d->pumping)
        d->pausedBeforeStart(d->ready.front().second);
}

void GraphEngine::resume()
{
    if (m_status != RunStatus::Paused)
        return;
    d->stepBudget = -1;
    d->skipBreakOnce = m_pausedAt;
    m_status = RunStatus::Running;
    RunEvent e = d->makeEvent(RunEvent::Type::RunResumed);
    e.status = QStringLiteral("running");
    d->emitEvent(e);
    m_pausedAt.clear();
    d->pump();
    if (!d->pumping && d->executions.empty() && d->ready.empty() && d->top)
        d->checkFrameDone(d->top.get());
}

void GraphEngine::step()
{
    if (m_status != RunStatus::Paused)
        return;
    d->stepBudget = 1;
    d->skipBreakOnce = m_pausedAt;
    m_status = RunStatus::Running;
    m_pausedAt.clear();
    d->pump();
}

void GraphEngine::setBreakpoints(const QSet<QString> &nodeIds)
{
    d->options.breakpoints = nodeIds;
}

void GraphEngine::setBreakpointCondition(const QString &nodeId, const QString &expression)
{
    if (expression.trimmed().isEmpty())
        d->options.breakpointConditions.remove(nodeId);
    else
        d->options.breakpointConditions.insert(nodeId, expression);
}

void GraphEngine::runTo(const QString &nodeId)
{
    d->runToNode = nodeId;
    if (m_status == RunStatus::Paused)
        resume();
}

Result<void> GraphEngine::setVariable(const variables::Selector &selector, const Json &value)
{
    if (m_status != RunStatus::Paused)
        return makeError(QStringLiteral("run.not-paused"),
                         tr("variables can be edited only while paused"));
    if (selector.size() < 2)
        return makeError(QStringLiteral("run.selector"), tr("a variable needs a node and a name"));
    const Json *old = d->pool.find(selector);
    if (old && !old->is_null() && !value.is_null()
        && variables::userType(*old) != variables::userType(value)
        && !(old->is_number() && value.is_number()))
        return makeError(QStringLiteral("run.type"),
                         tr("%1 holds %2; the new value is %3")
                             .arg(qs(variables::selectorText(selector)),
                                  qs(variables::userType(*old)), qs(variables::userType(value))));
    d->pool.set(selector, value);
    RunEvent e = d->makeEvent(RunEvent::Type::VariableEdited);
    e.nodeId = QString::fromStdString(selector[0]);
    for (const std::string &part : selector)
        e.selector << QString::fromStdString(part);
    e.inputs = Json{{"value", old ? *old : Json()}};
    e.outputs = Json{{"value", value}};
    d->emitEvent(e);
    return {};
}

qint64 GraphEngine::elapsedMs() const
{
    return d->clock.isValid() ? d->clock.elapsed() : 0;
}

const variables::VariablePool &GraphEngine::pool() const
{
    return d->pool;
}

void GraphEngine::setNetwork(QNetworkAccessManager *network)
{
    d->network = network;
}

void GraphEngine::setPythonWorkers(PythonWorkerPool *workers)
{
    d->python = workers;
}

} // namespace flowbench::runtime

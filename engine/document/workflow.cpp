#include "workflow.h"
#include "dsltext.h"

#include <QDateTime>

namespace flowbench::document {

namespace {

QString qs(const Json &j)
{
    if (j.is_string()) {
        const auto &s = j.get_ref<const std::string &>();
        return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
    }
    return {};
}

std::string ss(const QString &s)
{
    return s.toStdString();
}

const Json &emptyObject()
{
    static const Json empty = Json::object();
    return empty;
}

SourceLocation at(const std::string &pointer)
{
    SourceLocation l;
    l.pointer = QString::fromStdString(pointer);
    return l;
}

} // namespace

// ---- Node ---------------------------------------------------------------------------------

QString Node::kind() const
{
    const auto w = wrapper.find("type");
    if (w != wrapper.end() && w->is_string() && w->get_ref<const std::string &>() == "custom-note")
        return QStringLiteral("custom-note");
    if (data.is_object()) {
        const auto t = data.find("type");
        if (t != data.end())
            return qs(*t);
    }
    return {};
}

QString Node::title() const
{
    if (data.is_object()) {
        const auto t = data.find("title");
        if (t != data.end() && t->is_string())
            return qs(*t);
    }
    return {};
}

static QPointF pointOf(const Json &obj, const char *key)
{
    const auto p = obj.find(key);
    if (p == obj.end() || !p->is_object())
        return {};
    const auto x = p->find("x"), y = p->find("y");
    return QPointF(x != p->end() && x->is_number() ? x->get<double>() : 0.0,
                   y != p->end() && y->is_number() ? y->get<double>() : 0.0);
}

QPointF Node::position() const
{
    return pointOf(wrapper, "position");
}

static Json numberJson(double v)
{
    // Keep whole coordinates integral so files do not gain ".0" noise.
    const auto asInt = static_cast<long long>(v);
    if (static_cast<double>(asInt) == v)
        return Json(asInt);
    return Json(v);
}

void Node::setPosition(QPointF pos)
{
    const QPointF old = position();
    wrapper["position"] = Json{{"x", numberJson(pos.x())}, {"y", numberJson(pos.y())}};
    const auto abs = wrapper.find("positionAbsolute");
    if (abs != wrapper.end() && abs->is_object()) {
        const QPointF oldAbs = pointOf(wrapper, "positionAbsolute");
        const QPointF newAbs = oldAbs + (pos - old);
        *abs = Json{{"x", numberJson(newAbs.x())}, {"y", numberJson(newAbs.y())}};
    }
}

QSizeF Node::size() const
{
    const auto w = wrapper.find("width"), h = wrapper.find("height");
    return QSizeF(w != wrapper.end() && w->is_number() ? w->get<double>() : 0.0,
                  h != wrapper.end() && h->is_number() ? h->get<double>() : 0.0);
}

QString Node::parentId() const
{
    const auto p = wrapper.find("parentId");
    if (p != wrapper.end() && p->is_string())
        return qs(*p);
    if (!data.is_object())
        return {};
    const auto flag = [this](const char *key) {
        const auto f = data.find(key);
        return f != data.end() && f->is_boolean() && f->get<bool>();
    };
    if (flag("isInIteration")) {
        const auto i = data.find("iteration_id");
        if (i != data.end() && i->is_string())
            return qs(*i);
    }
    if (flag("isInLoop")) {
        const auto i = data.find("loop_id");
        if (i != data.end() && i->is_string())
            return qs(*i);
    }
    return {};
}

Json Node::toJson() const
{
    Json out = wrapper;
    out["id"] = ss(id);
    if (!data.is_null())
        out["data"] = data;
    return out;
}

Node Node::fromJson(Json object)
{
    Node n;
    auto id = object.find("id");
    if (id != object.end()) {
        n.id = qs(*id);
        object.erase(id);
    }
    auto data = object.find("data");
    if (data != object.end()) {
        n.data = std::move(*data);
        object.erase(data);
    } else {
        n.data = Json();
    }
    n.wrapper = std::move(object);
    return n;
}

// ---- Edge ---------------------------------------------------------------------------------

QString Edge::targetHandle() const
{
    const auto t = wrapper.find("targetHandle");
    return t != wrapper.end() && t->is_string() ? qs(*t) : QStringLiteral("target");
}

Json Edge::toJson() const
{
    Json out = wrapper;
    out["id"] = ss(id);
    out["source"] = ss(source);
    out["target"] = ss(target);
    if (hadSourceHandle || sourceHandle != QLatin1String("source"))
        out["sourceHandle"] = ss(sourceHandle);
    return out;
}

Edge Edge::fromJson(Json object)
{
    Edge e;
    const auto take = [&object](const char *key, QString *into) {
        auto it = object.find(key);
        if (it == object.end())
            return false;
        *into = qs(*it);
        object.erase(it);
        return true;
    };
    take("id", &e.id);
    take("source", &e.source);
    take("target", &e.target);
    e.hadSourceHandle = take("sourceHandle", &e.sourceHandle);
    if (!e.hadSourceHandle || e.sourceHandle.isEmpty()) {
        // Dify: a missing sourceHandle means "source".
        e.sourceHandle = QStringLiteral("source");
    }
    e.wrapper = std::move(object);
    return e;
}

QString makeEdgeId(const QString &source, const QString &sourceHandle, const QString &target)
{
    return source + QLatin1Char('-') + sourceHandle + QLatin1Char('-') + target
           + QStringLiteral("-target");
}

// ---- Variable -----------------------------------------------------------------------------

Json Variable::value() const
{
    const auto v = raw.find("value");
    return v != raw.end() ? *v : Json();
}

// ---- Workflow -----------------------------------------------------------------------------

Workflow::Workflow()
{
    app = Json{{"name", "Untitled"}, {"mode", "workflow"},
               {"icon", "🤖"},     {"icon_background", "#FFEAD5"},
               {"description", ""},  {"use_icon_as_answer_icon", false}};
    topExtra = Json{{"dependencies", Json::array()}};
    workflowExtra = Json{{"features", Json::object()}};
    graphExtra = Json{{"viewport", Json{{"x", 0}, {"y", 0}, {"zoom", 1}}}};
}

QString Workflow::name() const
{
    const auto n = app.find("name");
    return n != app.end() ? qs(*n) : QString();
}

void Workflow::setName(const QString &name)
{
    app["name"] = ss(name);
}

QString Workflow::modeString() const
{
    const auto m = app.find("mode");
    return m != app.end() ? qs(*m) : QString();
}

AppMode Workflow::mode() const
{
    const QString m = modeString();
    if (m == QLatin1String("workflow"))
        return AppMode::Workflow;
    if (m == QLatin1String("advanced-chat"))
        return AppMode::AdvancedChat;
    return AppMode::Other;
}

QString Workflow::description() const
{
    const auto d = app.find("description");
    return d != app.end() ? qs(*d) : QString();
}

const Json &Workflow::features() const
{
    const auto f = workflowExtra.find("features");
    return f != workflowExtra.end() ? *f : emptyObject();
}

Json Workflow::viewport() const
{
    const auto v = graphExtra.find("viewport");
    if (v != graphExtra.end() && v->is_object())
        return *v;
    return Json{{"x", 0}, {"y", 0}, {"zoom", 1}};
}

const Node *Workflow::node(const QString &id) const
{
    const int i = m_nodeIndex.value(id, -1);
    return i >= 0 ? &m_nodes[static_cast<size_t>(i)] : nullptr;
}

Node *Workflow::node(const QString &id)
{
    const int i = m_nodeIndex.value(id, -1);
    return i >= 0 ? &m_nodes[static_cast<size_t>(i)] : nullptr;
}

void Workflow::insertNode(Node node, int index)
{
    if (index < 0 || index >= static_cast<int>(m_nodes.size())) {
        // Duplicate ids are kept (the validator reports them); the index names the first.
        if (!m_nodeIndex.contains(node.id))
            m_nodeIndex.insert(node.id, static_cast<int>(m_nodes.size()));
        m_nodes.push_back(std::move(node));
        return;
    }
    m_nodes.insert(m_nodes.begin() + index, std::move(node));
    reindexNodes();
}

bool Workflow::removeNode(const QString &id)
{
    const int i = m_nodeIndex.value(id, -1);
    if (i < 0)
        return false;
    m_nodes.erase(m_nodes.begin() + i);
    reindexNodes();
    return true;
}

void Workflow::setNodes(std::vector<Node> nodes)
{
    m_nodes = std::move(nodes);
    reindexNodes();
}

void Workflow::reindexNodes()
{
    m_nodeIndex.clear();
    m_nodeIndex.reserve(static_cast<qsizetype>(m_nodes.size()));
    for (int i = static_cast<int>(m_nodes.size()) - 1; i >= 0; --i)
        m_nodeIndex.insert(m_nodes[static_cast<size_t>(i)].id, i);
}

QStringList Workflow::childrenOf(const QString &containerId) const
{
    QStringList out;
    for (const Node &n : m_nodes) {
        if (n.parentId() == containerId)
            out.append(n.id);
    }
    return out;
}

const Edge *Workflow::edge(const QString &id) const
{
    const int i = edgeIndex(id);
    return i >= 0 ? &m_edges[static_cast<size_t>(i)] : nullptr;
}

void Workflow::insertEdge(Edge edge, int index)
{
    if (index < 0 || index >= static_cast<int>(m_edges.size())) {
        // Duplicate ids are kept (the validator reports them); the index names the first.
        if (!m_edgeIndex.contains(edge.id))
            m_edgeIndex.insert(edge.id, static_cast<int>(m_edges.size()));
        m_edges.push_back(std::move(edge));
        return;
    }
    m_edges.insert(m_edges.begin() + index, std::move(edge));
    reindexEdges();
}

bool Workflow::removeEdge(const QString &id)
{
    const int i = edgeIndex(id);
    if (i < 0)
        return false;
    m_edges.erase(m_edges.begin() + i);
    if (i == static_cast<int>(m_edges.size()) && !m_edgeIndex.isEmpty()) {
        // The last edge: no other index moves. A later edge with the same id (a duplicate)
        // cannot exist after the last one, so the id is simply gone.
        m_edgeIndex.remove(id);
    } else {
        reindexEdges();
    }
    return true;
}

void Workflow::setEdges(std::vector<Edge> edges)
{
    m_edges = std::move(edges);
    reindexEdges();
}

void Workflow::reindexEdges()
{
    m_edgeIndex.clear();
    m_edgeIndex.reserve(static_cast<qsizetype>(m_edges.size()));
    for (int i = static_cast<int>(m_edges.size()) - 1; i >= 0; --i)
        m_edgeIndex.insert(m_edges[static_cast<size_t>(i)].id, i);
}

std::vector<const Edge *> Workflow::outgoingEdges(const QString &nodeId) const
{
    std::vector<const Edge *> out;
    for (const Edge &e : m_edges) {
        if (e.source == nodeId)
            out.push_back(&e);
    }
    return out;
}

std::vector<const Edge *> Workflow::incomingEdges(const QString &nodeId) const
{
    std::vector<const Edge *> out;
    for (const Edge &e : m_edges) {
        if (e.target == nodeId)
            out.push_back(&e);
    }
    return out;
}

QString Workflow::uniqueNodeId() const
{
    qint64 stamp = QDateTime::currentMSecsSinceEpoch();
    QString id = QString::number(stamp);
    while (m_nodeIndex.contains(id) || edgeIndex(id) >= 0)
        id = QString::number(++stamp);
    return id;
}

Json Workflow::toJson() const
{
    Json root = topExtra;
    root["app"] = app;
    root["kind"] = ss(kind);
    if (hadVersion)
        root["version"] = ss(version);
    if (!hadWorkflowSection && m_nodes.empty() && m_edges.empty())
        return root;

    Json wf = workflowExtra;
    Json env = Json::array();
    for (const Variable &v : environmentVariables)
        env.push_back(v.raw);
    Json conv = Json::array();
    for (const Variable &v : conversationVariables)
        conv.push_back(v.raw);
    if (hadEnvironmentVariables || !env.empty())
        wf["environment_variables"] = std::move(env);
    if (hadConversationVariables || !conv.empty())
        wf["conversation_variables"] = std::move(conv);

    Json graph = graphExtra;
    Json nodes = Json::array();
    for (const Node &n : m_nodes)
        nodes.push_back(n.toJson());
    Json edges = Json::array();
    for (const Edge &e : m_edges)
        edges.push_back(e.toJson());
    graph["nodes"] = std::move(nodes);
    graph["edges"] = std::move(edges);
    wf["graph"] = std::move(graph);
    root["workflow"] = std::move(wf);
    if (!flowbench.is_null() && !(flowbench.is_object() && flowbench.empty()))
        root["flowbench"] = flowbench;
    return root;
}

static Result<std::vector<Variable>> readVariables(Json list, const char *pointer)
{
    std::vector<Variable> out;
    if (list.is_null())
        return out;
    if (!list.is_array())
        return makeError(QStringLiteral("dsl.type"),
                         DslText::tr("%1 must be a list").arg(QLatin1String(pointer)), at(pointer));
    out.reserve(list.size());
    for (size_t i = 0; i < list.size(); ++i) {
        Json &entry = list[i];
        const std::string here = std::string(pointer) + "/" + std::to_string(i);
        if (!entry.is_object())
            return makeError(QStringLiteral("dsl.type"),
                             DslText::tr("variable entry must be a mapping"), at(here));
        Variable v;
        const auto name = entry.find("name");
        if (name == entry.end() || !name->is_string())
            return makeError(QStringLiteral("dsl.variable"),
                             DslText::tr("variable needs a string 'name'"), at(here + "/name"));
        v.name = qs(*name);
        const auto type = entry.find("value_type");
        if (type != entry.end())
            v.valueType = qs(*type);
        v.raw = std::move(entry);
        out.push_back(std::move(v));
    }
    return out;
}

Result<Workflow> Workflow::fromJson(Json root, QStringList *warnings)
{
    const auto warn = [warnings](const QString &w) {
        if (warnings)
            warnings->append(w);
    };
    if (!root.is_object())
        return makeError(QStringLiteral("dsl.root"),
                         DslText::tr("the document must be a mapping with 'app' and 'workflow'"),
                         at(""));
    Workflow wf;
    wf.topExtra = Json::object();
    wf.workflowExtra = Json::object();
    wf.graphExtra = Json::object();

    // version: Dify requires a string; a missing one is 0.1.0.
    if (auto v = root.find("version"); v != root.end()) {
        if (!v->is_string())
            return makeError(QStringLiteral("dsl.version"),
                             DslText::tr("Invalid version type: 'version' must be a string "
                                         "(write version: '%1' with quotes)")
                                 .arg(QString::fromStdString(v->dump())),
                             at("/version"));
        wf.version = qs(*v);
        DslVersion parsed;
        if (!DslVersion::parse(wf.version, &parsed))
            return makeError(
                QStringLiteral("dsl.version"),
                DslText::tr("Invalid version '%1': expected major.minor.patch").arg(wf.version),
                at("/version"));
        DslVersion newest;
        DslVersion::parse(QString::fromLatin1(kNewestKnownDslVersion), &newest);
        if (parsed > newest)
            warn(DslText::tr("DSL version %1 is newer than the newest Flowbench knows (%2); "
                             "unknown fields are kept but may not run")
                     .arg(wf.version, QLatin1String(kNewestKnownDslVersion)));
        else if (parsed.major < newest.major)
            warn(DslText::tr("DSL version %1 is an older major version than %2")
                     .arg(wf.version, QLatin1String(kNewestKnownDslVersion)));
        root.erase(v);
    } else {
        wf.version = QStringLiteral("0.1.0");
        wf.hadVersion = false;
        warn(DslText::tr("no 'version': treated as 0.1.0, as Dify does"));
    }

    if (auto k = root.find("kind"); k != root.end()) {
        if (!k->is_string() || k->get_ref<const std::string &>() != "app")
            warn(DslText::tr("'kind' %1 is not 'app': imported as an app, as Dify does")
                     .arg(QString::fromStdString(k->dump())));
        root.erase(k);
    } else {
        warn(DslText::tr("no 'kind': treated as 'app'"));
    }

    if (auto a = root.find("app"); a != root.end()) {
        if (!a->is_object())
            return makeError(QStringLiteral("dsl.type"), DslText::tr("'app' must be a mapping"),
                             at("/app"));
        wf.app = std::move(*a);
        root.erase(a);
    } else {
        return makeError(QStringLiteral("dsl.missing"), DslText::tr("missing 'app' section"),
                         at("/app"));
    }

    if (auto f = root.find("flowbench"); f != root.end()) {
        wf.flowbench = f->is_object() ? std::move(*f) : Json::object();
        root.erase(f);
    }

    auto w = root.find("workflow");
    if (w == root.end()) {
        const QString mode = wf.modeString();
        return makeError(QStringLiteral("dsl.mode"),
                         DslText::tr("app mode '%1' has no 'workflow' section; Flowbench opens "
                                     "workflow and advanced-chat (chatflow) apps")
                             .arg(mode),
                         at("/workflow"));
    }
    if (!w->is_object())
        return makeError(QStringLiteral("dsl.type"), DslText::tr("'workflow' must be a mapping"),
                         at("/workflow"));
    Json workflow = std::move(*w);
    root.erase(w);
    wf.topExtra = std::move(root);

    wf.hadEnvironmentVariables = workflow.contains("environment_variables");
    wf.hadConversationVariables = workflow.contains("conversation_variables");
    auto env = readVariables(workflow.contains("environment_variables")
                                 ? std::move(workflow["environment_variables"])
                                 : Json(),
                             "/workflow/environment_variables");
    if (!env)
        return tl::unexpected(env.error());
    wf.environmentVariables = std::move(*env);
    auto conv = readVariables(workflow.contains("conversation_variables")
                                  ? std::move(workflow["conversation_variables"])
                                  : Json(),
                              "/workflow/conversation_variables");
    if (!conv)
        return tl::unexpected(conv.error());
    wf.conversationVariables = std::move(*conv);
    workflow.erase("environment_variables");
    workflow.erase("conversation_variables");

    auto g = workflow.find("graph");
    if (g == workflow.end() || !g->is_object())
        return makeError(QStringLiteral("dsl.missing"),
                         DslText::tr("'workflow.graph' is missing or not a mapping"),
                         at("/workflow/graph"));
    Json graph = std::move(*g);
    workflow.erase(g);
    wf.workflowExtra = std::move(workflow);

    std::vector<Node> nodes;
    if (auto n = graph.find("nodes"); n != graph.end()) {
        if (!n->is_array())
            return makeError(QStringLiteral("dsl.type"),
                             DslText::tr("'workflow.graph.nodes' must be a list"),
                             at("/workflow/graph/nodes"));
        nodes.reserve(n->size());
        for (size_t i = 0; i < n->size(); ++i) {
            Json &entry = (*n)[i];
            const std::string here = "/workflow/graph/nodes/" + std::to_string(i);
            if (!entry.is_object())
                return makeError(QStringLiteral("dsl.type"),
                                 DslText::tr("node entry must be a mapping"), at(here));
            const auto id = entry.find("id");
            if (id == entry.end() || !id->is_string())
                return makeError(QStringLiteral("dsl.node"),
                                 DslText::tr("node needs a string 'id'"), at(here + "/id"));
            const auto data = entry.find("data");
            if (data != entry.end() && !data->is_object())
                return makeError(QStringLiteral("dsl.type"),
                                 DslText::tr("node 'data' must be a mapping"), at(here + "/data"));
            nodes.push_back(Node::fromJson(std::move(entry)));
        }
        graph.erase(n);
    }
    std::vector<Edge> edges;
    if (auto e = graph.find("edges"); e != graph.end()) {
        if (!e->is_array())
            return makeError(QStringLiteral("dsl.type"),
                             DslText::tr("'workflow.graph.edges' must be a list"),
                             at("/workflow/graph/edges"));
        edges.reserve(e->size());
        for (size_t i = 0; i < e->size(); ++i) {
            Json &entry = (*e)[i];
            const std::string here = "/workflow/graph/edges/" + std::to_string(i);
            if (!entry.is_object())
                return makeError(QStringLiteral("dsl.type"),
                                 DslText::tr("edge entry must be a mapping"), at(here));
            for (const char *key : {"source", "target"}) {
                const auto f = entry.find(key);
                if (f == entry.end() || !f->is_string())
                    return makeError(
                        QStringLiteral("dsl.edge"),
                        DslText::tr("edge needs a string '%1'").arg(QLatin1String(key)),
                        at(here + "/" + key));
            }
            for (const char *key : {"id", "sourceHandle"}) {
                const auto f = entry.find(key);
                if (f != entry.end() && !f->is_string() && !f->is_null())
                    return makeError(
                        QStringLiteral("dsl.edge"),
                        DslText::tr("edge '%1' must be a string").arg(QLatin1String(key)),
                        at(here + "/" + key));
            }
            edges.push_back(Edge::fromJson(std::move(entry)));
        }
        graph.erase(e);
    }
    wf.graphExtra = std::move(graph);
    wf.setNodes(std::move(nodes));
    wf.setEdges(std::move(edges));
    return wf;
}

bool DslVersion::parse(const QString &text, DslVersion *out)
{
    const QStringList parts = text.split(QLatin1Char('.'));
    if (parts.isEmpty() || parts.size() > 3)
        return false;
    int values[3] = {0, 0, 0};
    for (int i = 0; i < parts.size(); ++i) {
        bool ok = false;
        values[i] = parts[i].toInt(&ok);
        if (!ok || parts[i].isEmpty() || values[i] < 0)
            return false;
    }
    *out = DslVersion{values[0], values[1], values[2]};
    return true;
}

} // namespace flowbench::document

#include "graphedits.h"

#include "nodes/registry.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QRectF>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace flowbench::document {

namespace {

using nodes::NodeKindInfo;
using nodes::NodeRegistry;

// Dify's canvas constants (web/app/components/workflow/constants.ts).
constexpr int kChildZIndex = 1002;    // nodes and edges inside an iteration or loop
constexpr int kContainerZIndex = 1;   // the iteration or loop node itself
constexpr double kDefaultWidth = 244; // a regular node as Dify renders it
constexpr double kDefaultHeight = 90;
constexpr double kContainerWidth = 388; // a new iteration or loop
constexpr double kContainerHeight = 178;
constexpr double kStartX = 24; // where Dify puts the iteration-start / loop-start child
constexpr double kStartY = 68;
constexpr double kStartWidth = 44;
constexpr double kStartHeight = 48;

// Auto layout spacing and container padding (Dify: top 65, left/right 16, bottom 20; the body
// starts where Dify puts the start node).
constexpr double kLayerGap = 80;
constexpr double kNodeGap = 40;
constexpr double kPadRight = 24;
constexpr double kPadBottom = 24;
constexpr double kMinContainerWidth = 244;
constexpr double kMinContainerHeight = 152;

QString qs(const Json &j)
{
    if (j.is_string())
        return QString::fromStdString(j.get<std::string>());
    return {};
}

std::string ss(const QString &s)
{
    return s.toStdString();
}

Json numberJson(double v)
{
    const auto asInt = static_cast<long long>(std::llround(v));
    if (std::abs(static_cast<double>(asInt) - v) < 1e-9)
        return Json(asInt);
    return Json(v);
}

Json pointJson(QPointF p)
{
    return Json{{"x", numberJson(p.x())}, {"y", numberJson(p.y())}};
}

const NodeKindInfo *infoOf(const Node &node)
{
    return NodeRegistry::instance().find(node.kind());
}

bool isContainer(const Node &node)
{
    const NodeKindInfo *info = infoOf(node);
    return info && info->isContainer;
}

bool isContainerStart(const Node &node)
{
    const NodeKindInfo *info = infoOf(node);
    return info && info->isContainerStart;
}

bool isLoop(const Node &node)
{
    return node.kind() == QLatin1String("loop");
}

// Absolute canvas position of a node: its position plus its containers' positions.
QPointF absolutePosition(const Workflow &workflow, const Node &node)
{
    QPointF pos = node.position();
    QString parent = node.parentId();
    int guard = 0;
    while (!parent.isEmpty() && guard++ < 8) {
        const Node *p = workflow.node(parent);
        if (!p)
            break;
        pos += p->position();
        parent = p->parentId();
    }
    return pos;
}

// Marks `data`/`wrapper` as belonging to `container` (or to none when it is null), as Dify
// writes children: parentId, zIndex 1002, isInIteration/iteration_id or isInLoop/loop_id.
void setMembership(Node &node, const Node *container)
{
    if (!node.data.is_object())
        node.data = Json::object();
    if (!container) {
        node.wrapper.erase("parentId");
        node.wrapper.erase("extent");
        if (isContainer(node))
            node.wrapper["zIndex"] = kContainerZIndex;
        else
            node.wrapper.erase("zIndex");
        node.data.erase("iteration_id");
        node.data.erase("loop_id");
        if (node.data.contains("isInIteration"))
            node.data["isInIteration"] = false;
        if (node.data.contains("isInLoop"))
            node.data["isInLoop"] = false;
        return;
    }
    const bool loop = isLoop(*container);
    node.wrapper["parentId"] = ss(container->id);
    node.wrapper["zIndex"] = kChildZIndex;
    node.data["isInIteration"] = !loop;
    node.data["isInLoop"] = loop;
    if (loop) {
        node.data["loop_id"] = ss(container->id);
        node.data.erase("iteration_id");
    } else {
        node.data["iteration_id"] = ss(container->id);
        node.data.erase("loop_id");
    }
}

// Dify's edge fields that depend on the container both ends are in.
void setEdgeMembership(Json &wrapper, const Node *container)
{
    Json &data = wrapper["data"];
    if (!data.is_object())
        data = Json::object();
    const bool loop = container && isLoop(*container);
    data["isInIteration"] = container && !loop;
    data["isInLoop"] = loop;
    data.erase("iteration_id");
    data.erase("loop_id");
    if (container)
        data[loop ? "loop_id" : "iteration_id"] = ss(container->id);
    wrapper["zIndex"] = container ? kChildZIndex : 0;
}

Edge makeDifyEdge(const Workflow &workflow, const Node &source, const QString &sourceHandle,
                  const Node &target, Json wrapper = Json::object())
{
    Edge edge;
    edge.id = makeEdgeId(source.id, sourceHandle, target.id);
    edge.source = source.id;
    edge.sourceHandle = sourceHandle;
    edge.target = target.id;
    edge.hadSourceHandle = true;
    if (!wrapper.is_object())
        wrapper = Json::object();
    wrapper["type"] = "custom";
    wrapper["targetHandle"] = "target";
    Json &data = wrapper["data"];
    if (!data.is_object())
        data = Json::object();
    data["sourceType"] = ss(source.kind());
    data["targetType"] = ss(target.kind());
    const QString parent = source.parentId();
    setEdgeMembership(wrapper, parent.isEmpty() ? nullptr : workflow.node(parent));
    edge.wrapper = std::move(wrapper);
    return edge;
}

// Allocates Dify-style timestamp ids against a set of used ids built once.
class IdAllocator
{
public:
    explicit IdAllocator(const Workflow &workflow, const QStringList &taken = {})
        : m_stamp(QDateTime::currentMSecsSinceEpoch())
    {
        for (const Node &n : workflow.nodes())
            m_used.insert(n.id);
        for (const Edge &e : workflow.edges())
            m_used.insert(e.id);
        for (const QString &t : taken)
            m_used.insert(t);
    }

    QString next()
    {
        QString id = QString::number(m_stamp);
        while (m_used.contains(id))
            id = QString::number(++m_stamp);
        m_used.insert(id);
        return id;
    }

    // `wanted` when free, else a fresh id.
    QString take(const QString &wanted)
    {
        if (!wanted.isEmpty() && !m_used.contains(wanted)) {
            m_used.insert(wanted);
            return wanted;
        }
        return next();
    }

private:
    qint64 m_stamp;
    QSet<QString> m_used;
};

// ---- connecting --------------------------------------------------------------------------

tl::unexpected<Error> connectError(const QString &message)
{
    return makeError(QStringLiteral("graph.connect"), message);
}

// canConnect, ignoring the edge `ignoredEdge` (the one a re-route replaces).
Result<void> checkConnection(const Workflow &workflow, const QString &source,
                             const QString &sourceHandle, const QString &target,
                             const QString &ignoredEdge)
{
    const Node *src = workflow.node(source);
    const Node *tgt = workflow.node(target);
    if (!src || !tgt) {
        return connectError(QCoreApplication::translate("flowbench::document::GraphEdits",
                                                        "The node to connect no longer exists."));
    }
    if (source == target)
        return connectError(QCoreApplication::translate("flowbench::document::GraphEdits",
                                                        "A node cannot connect to itself."));
    if (src->isNote() || tgt->isNote())
        return connectError(QCoreApplication::translate("flowbench::document::GraphEdits",
                                                        "Notes cannot be connected."));

    const std::vector<nodes::Handle> handles
        = NodeRegistry::instance().handlesFor(src->kind(), src->data);
    if (handles.empty()) {
        return connectError(
            QCoreApplication::translate("flowbench::document::GraphEdits", "“%1” has no outputs.")
                .arg(src->title()));
    }
    const bool known = std::any_of(handles.begin(), handles.end(),
                                   [&](const nodes::Handle &h) { return h.id == sourceHandle; });
    if (!known) {
        return connectError(QCoreApplication::translate("flowbench::document::GraphEdits",
                                                        "“%1” has no output “%2”.")
                                .arg(src->title(), sourceHandle));
    }
    const QString targetKind = tgt->kind();
    if (targetKind == QLatin1String("start") || isContainerStart(*tgt)) {
        return connectError(
            QCoreApplication::translate("flowbench::document::GraphEdits", "“%1” has no input.")
                .arg(tgt->title()));
    }
    if (src->parentId() != tgt->parentId()) {
        return connectError(
            QCoreApplication::translate("flowbench::document::GraphEdits",
                                        "Edges cannot cross an iteration or loop boundary."));
    }

    // One pass over the edges: duplicates, and the adjacency for the cycle search.
    QHash<QString, QStringList> outgoing;
    for (const Edge &e : workflow.edges()) {
        if (!ignoredEdge.isEmpty() && e.id == ignoredEdge)
            continue;
        if (e.source == source && e.target == target && e.sourceHandle == sourceHandle) {
            return connectError(QCoreApplication::translate("flowbench::document::GraphEdits",
                                                            "These nodes are already connected."));
        }
        outgoing[e.source].append(e.target);
    }
    // A cycle appears when the target already reaches the source.
    QSet<QString> seen{target};
    QStringList stack{target};
    while (!stack.isEmpty()) {
        const QString current = stack.takeLast();
        if (current == source) {
            return connectError(QCoreApplication::translate(
                "flowbench::document::GraphEdits", "This connection would create a cycle."));
        }
        const auto it = outgoing.constFind(current);
        if (it == outgoing.cend())
            continue;
        for (const QString &next : *it) {
            if (!seen.contains(next)) {
                seen.insert(next);
                stack.append(next);
            }
        }
    }
    return {};
}

// ---- clipboard ---------------------------------------------------------------------------

bool isWordChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool isSegmentStart(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

using IdMap = std::unordered_map<std::string, std::string>;

// Rewrites the node ids of Dify template references ({{#id.var(.key)*#}}, the rule the
// validator and the engine use) that `map` names; everything else is copied unchanged.
bool rewriteTemplates(std::string &s, const IdMap &map)
{
    if (s.find("{{#") == std::string::npos)
        return false;
    std::string out;
    std::size_t copied = 0;
    std::size_t pos = 0;
    bool changed = false;
    while ((pos = s.find("{{#", pos)) != std::string::npos) {
        std::size_t p = pos + 3;
        const std::size_t idStart = p;
        while (p < s.size() && isWordChar(s[p]))
            ++p;
        const std::size_t idLen = p - idStart;
        if (idLen == 0 || idLen > 50 || p >= s.size() || s[p] != '.') {
            ++pos;
            continue;
        }
        int segments = 0;
        bool matched = false;
        while (p < s.size() && s[p] == '.') {
            ++p;
            const std::size_t segStart = p;
            if (p >= s.size() || !isSegmentStart(s[p]))
                break;
            while (p < s.size() && isWordChar(s[p]))
                ++p;
            if (p - segStart > 30 || ++segments > 10)
                break;
            if (s.compare(p, 3, "#}}") == 0) {
                matched = true;
                break;
            }
        }
        if (!matched) {
            ++pos;
            continue;
        }
        const auto it = map.find(s.substr(idStart, idLen));
        if (it != map.end()) {
            out.append(s, copied, idStart - copied);
            out.append(it->second);
            copied = idStart + idLen;
            changed = true;
        }
        pos = p + 3;
    }
    if (!changed)
        return false;
    out.append(s, copied, std::string::npos);
    s = std::move(out);
    return true;
}

bool isSelector(const Json &v)
{
    if (!v.is_array() || v.size() < 2)
        return false;
    return std::all_of(v.begin(), v.end(), [](const Json &e) { return e.is_string(); });
}

// Selectors ["old", ...] and template references {{#old.x#}} anywhere in `value`.
void rewriteReferences(Json &value, const IdMap &map)
{
    if (value.is_string()) {
        rewriteTemplates(value.get_ref<std::string &>(), map);
    } else if (value.is_array()) {
        if (isSelector(value)) {
            const auto it = map.find(value.front().get<std::string>());
            if (it != map.end())
                value.front() = it->second;
            return;
        }
        for (Json &element : value)
            rewriteReferences(element, map);
    } else if (value.is_object()) {
        for (auto it = value.begin(); it != value.end(); ++it)
            rewriteReferences(it.value(), map);
    }
}

tl::unexpected<Error> clipboardError(const QString &message)
{
    return makeError(QStringLiteral("clipboard.format"), message);
}

// ---- arranging ---------------------------------------------------------------------------

QSizeF sizeOf(const Workflow &workflow, const NodeSizeFn &size, const QString &id)
{
    QSizeF s;
    if (size)
        s = size(id);
    if (s.width() <= 0 || s.height() <= 0) {
        if (const Node *n = workflow.node(id)) {
            const QSizeF stored = n->size();
            if (s.width() <= 0)
                s.setWidth(stored.width() > 0 ? stored.width() : kDefaultWidth);
            if (s.height() <= 0)
                s.setHeight(stored.height() > 0 ? stored.height() : kDefaultHeight);
        } else {
            s = QSizeF(kDefaultWidth, kDefaultHeight);
        }
    }
    return s;
}

// The arrangeable nodes among `ids` (existing ones; notes may be aligned, container starts stay
// where Dify puts them), grouped by container in first-seen order.
QList<QStringList> groupByContainer(const Workflow &workflow, const QStringList &ids)
{
    QList<QStringList> groups;
    QHash<QString, int> groupOf;
    QSet<QString> seen;
    for (const QString &id : ids) {
        const Node *n = workflow.node(id);
        if (!n || isContainerStart(*n) || seen.contains(id))
            continue;
        seen.insert(id);
        const QString parent = n->parentId();
        auto it = groupOf.constFind(parent);
        if (it == groupOf.cend()) {
            it = groupOf.insert(parent, static_cast<int>(groups.size()));
            groups.append(QStringList());
        }
        groups[*it].append(id);
    }
    return groups;
}

Edit movesEdit(const QList<QPair<QString, QPointF>> &moves, const Workflow &workflow,
               const QString &name)
{
    MoveNodesEdit move;
    for (const auto &m : moves) {
        const Node *n = workflow.node(m.first);
        if (n && n->position() != m.second)
            move.positions.append(m);
    }
    if (move.positions.isEmpty())
        return Edit(BatchEdit{}, name);
    return Edit(std::move(move), name);
}

struct LayoutResult
{
    QList<QPair<QString, QPointF>> positions;
    QHash<QString, QSizeF> containerSizes; // containers resized to fit their bodies
};

// Layered left-to-right layout of `ids` (one container's body or top-level nodes). The
// top-left of the result is `origin`. `sizes` gives every node's size.
void layeredLayout(const Workflow &workflow, const QStringList &ids,
                   const std::function<QSizeF(const QString &)> &sizes, QPointF origin,
                   QList<QPair<QString, QPointF>> *positions)
{
    const int n = static_cast<int>(ids.size());
    if (n == 0)
        return;
    QHash<QString, int> index;
    for (int i = 0; i < n; ++i)
        index.insert(ids[i], i);

    // Induced edges, with the source handle's rank so branches keep their order (IF above
    // ELSE).
    struct Link
    {
        int from, to;
        double rank;
    };
    std::vector<Link> links;
    QHash<QString, std::vector<QString>> handleCache;
    for (const Edge &e : workflow.edges()) {
        const auto s = index.constFind(e.source);
        const auto t = index.constFind(e.target);
        if (s == index.cend() || t == index.cend() || *s == *t)
            continue;
        auto hc = handleCache.find(e.source);
        if (hc == handleCache.end()) {
            std::vector<QString> list;
            if (const Node *src = workflow.node(e.source)) {
                for (const nodes::Handle &h :
                     NodeRegistry::instance().handlesFor(src->kind(), src->data))
                    list.push_back(h.id);
            }
            hc = handleCache.insert(e.source, list);
        }
        const auto pos = std::find(hc->begin(), hc->end(), e.sourceHandle);
        const double rank = pos == hc->end() ? 0.0 : static_cast<double>(pos - hc->begin());
        links.push_back(Link{*s, *t, rank});
    }

    std::vector<std::vector<int>> out(static_cast<size_t>(n));
    std::vector<int> indegree(static_cast<size_t>(n), 0);
    for (std::size_t l = 0; l < links.size(); ++l) {
        out[static_cast<size_t>(links[l].from)].push_back(static_cast<int>(l));
        ++indegree[static_cast<size_t>(links[l].to)];
    }

    // Break cycles: iterative DFS from the roots (then from anything unvisited); an edge to a
    // node still on the stack is a back edge and is ignored for layering.
    std::vector<char> back(links.size(), 0);
    {
        std::vector<char> state(static_cast<size_t>(n), 0); // 0 new, 1 on stack, 2 done
        std::vector<int> order;
        for (int i = 0; i < n; ++i) {
            if (indegree[static_cast<size_t>(i)] == 0)
                order.push_back(i);
        }
        for (int i = 0; i < n; ++i)
            order.push_back(i);
        std::vector<std::pair<int, std::size_t>> stack;
        for (int root : order) {
            if (state[static_cast<size_t>(root)] != 0)
                continue;
            stack.emplace_back(root, 0);
            state[static_cast<size_t>(root)] = 1;
            while (!stack.empty()) {
                auto &[v, next] = stack.back();
                const auto &edges = out[static_cast<size_t>(v)];
                if (next < edges.size()) {
                    const int l = edges[next++];
                    const int w = links[static_cast<size_t>(l)].to;
                    if (state[static_cast<size_t>(w)] == 1) {
                        back[static_cast<size_t>(l)] = 1;
                    } else if (state[static_cast<size_t>(w)] == 0) {
                        state[static_cast<size_t>(w)] = 1;
                        stack.emplace_back(w, 0);
                    }
                } else {
                    state[static_cast<size_t>(v)] = 2;
                    stack.pop_back();
                }
            }
        }
    }

    // Longest-path layers over the remaining DAG (Kahn's order).
    std::vector<int> layer(static_cast<size_t>(n), 0);
    std::vector<int> remaining(static_cast<size_t>(n), 0);
    for (std::size_t l = 0; l < links.size(); ++l) {
        if (!back[l])
            ++remaining[static_cast<size_t>(links[l].to)];
    }
    std::vector<int> queue;
    for (int i = 0; i < n; ++i) {
        if (remaining[static_cast<size_t>(i)] == 0)
            queue.push_back(i);
    }
    for (std::size_t q = 0; q < queue.size(); ++q) {
        const int v = queue[q];
        for (int l : out[static_cast<size_t>(v)]) {
            if (back[static_cast<size_t>(l)])
                continue;
            const int w = links[static_cast<size_t>(l)].to;
            layer[static_cast<size_t>(w)]
                = std::max(layer[static_cast<size_t>(w)], layer[static_cast<size_t>(v)] + 1);
            if (--remaining[static_cast<size_t>(w)] == 0)
                queue.push_back(w);
        }
    }
    int layerCount = 0;
    for (int i = 0; i < n; ++i)
        layerCount = std::max(layerCount, layer[static_cast<size_t>(i)] + 1);

    // Initial order per layer: current y, then document order.
    std::vector<std::vector<int>> layers(static_cast<size_t>(layerCount));
    for (int i = 0; i < n; ++i)
        layers[static_cast<size_t>(layer[static_cast<size_t>(i)])].push_back(i);
    std::vector<double> currentY(static_cast<size_t>(n), 0);
    for (int i = 0; i < n; ++i) {
        if (const Node *node = workflow.node(ids[i]))
            currentY[static_cast<size_t>(i)] = node->position().y();
    }
    std::vector<double> slot(static_cast<size_t>(n), 0); // relative place within the layer
    for (auto &members : layers) {
        std::stable_sort(members.begin(), members.end(), [&](int a, int b) {
            return currentY[static_cast<size_t>(a)] < currentY[static_cast<size_t>(b)];
        });
        for (std::size_t k = 0; k < members.size(); ++k)
            slot[static_cast<size_t>(members[k])] = static_cast<double>(k);
    }

    // Barycentre sweeps (down over predecessors, up over successors); the handle rank breaks
    // ties so that a branch node's targets follow its handle order.
    std::vector<std::vector<int>> in(static_cast<size_t>(n));
    for (std::size_t l = 0; l < links.size(); ++l)
        in[static_cast<size_t>(links[l].to)].push_back(static_cast<int>(l));
    for (int sweep = 0; sweep < 4; ++sweep) {
        const bool down = sweep % 2 == 0;
        for (int li = 0; li < layerCount; ++li) {
            auto &members = layers[static_cast<size_t>(down ? li : layerCount - 1 - li)];
            std::vector<double> key(members.size());
            for (std::size_t k = 0; k < members.size(); ++k) {
                const int v = members[k];
                double sum = 0;
                int count = 0;
                const auto &adj = down ? in[static_cast<size_t>(v)] : out[static_cast<size_t>(v)];
                for (int l : adj) {
                    const Link &link = links[static_cast<size_t>(l)];
                    const int other = down ? link.from : link.to;
                    sum += slot[static_cast<size_t>(other)] + (down ? link.rank * 1e-3 : 0.0);
                    ++count;
                }
                key[k] = count ? sum / count : slot[static_cast<size_t>(v)];
            }
            std::vector<std::size_t> perm(members.size());
            for (std::size_t k = 0; k < perm.size(); ++k)
                perm[k] = k;
            std::stable_sort(perm.begin(), perm.end(),
                             [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
            std::vector<int> sorted;
            sorted.reserve(members.size());
            for (std::size_t k : perm)
                sorted.push_back(members[k]);
            members = std::move(sorted);
            for (std::size_t k = 0; k < members.size(); ++k)
                slot[static_cast<size_t>(members[k])] = static_cast<double>(k);
        }
    }

    // Coordinates: layers left to right, each stacked and centred on one line.
    std::vector<QSizeF> size(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
        size[static_cast<size_t>(i)] = sizes(ids[i]);
    std::vector<double> layerHeight(static_cast<size_t>(layerCount), 0);
    double tallest = 0;
    for (int li = 0; li < layerCount; ++li) {
        double h = 0;
        for (int v : layers[static_cast<size_t>(li)])
            h += size[static_cast<size_t>(v)].height();
        h += kNodeGap * static_cast<double>(layers[static_cast<size_t>(li)].size() - 1);
        layerHeight[static_cast<size_t>(li)] = h;
        tallest = std::max(tallest, h);
    }
    double x = origin.x();
    for (int li = 0; li < layerCount; ++li) {
        double y = origin.y() + (tallest - layerHeight[static_cast<size_t>(li)]) / 2;
        double widest = 0;
        for (int v : layers[static_cast<size_t>(li)]) {
            positions->append({ids[v], QPointF(std::round(x), std::round(y))});
            y += size[static_cast<size_t>(v)].height() + kNodeGap;
            widest = std::max(widest, size[static_cast<size_t>(v)].width());
        }
        x += widest + kLayerGap;
    }
}

} // namespace

// ---- Adding nodes ----------------------------------------------------------------------------

QString freshNodeId(const Workflow &workflow, const QStringList &taken)
{
    return IdAllocator(workflow, taken).next();
}

Result<Edit> makeAddNodeEdit(const Workflow &workflow, const QString &kind, QPointF pos,
                             const QString &parentId, QString *newId)
{
    const NodeKindInfo *info = NodeRegistry::instance().find(kind);
    if (!info || !info->canBeAdded) {
        return makeError(QStringLiteral("graph.add"),
                         QCoreApplication::translate("flowbench::document::GraphEdits",
                                                     "“%1” is not a node that can be added.")
                             .arg(kind));
    }
    const Node *container = nullptr;
    if (!parentId.isEmpty()) {
        container = workflow.node(parentId);
        if (!container || !isContainer(*container)) {
            return makeError(QStringLiteral("graph.add"),
                             QCoreApplication::translate(
                                 "flowbench::document::GraphEdits",
                                 "Nodes can only be placed inside an iteration or loop."));
        }
        if (info->isContainer) {
            return makeError(QStringLiteral("graph.add"),
                             QCoreApplication::translate(
                                 "flowbench::document::GraphEdits",
                                 "An iteration or loop cannot be placed inside another."));
        }
        if (kind == QLatin1String("start") || kind == QLatin1String("end")
            || kind == QLatin1String("custom-note")) {
            return makeError(
                QStringLiteral("graph.add"),
                QCoreApplication::translate("flowbench::document::GraphEdits",
                                            "%1 cannot be placed inside an iteration or loop.")
                    .arg(info->displayName));
        }
    }
    if (kind == QLatin1String("loop-end") && !(container && isLoop(*container))) {
        return makeError(
            QStringLiteral("graph.add"),
            QCoreApplication::translate("flowbench::document::GraphEdits",
                                        "Exit Loop can only be placed inside a loop."));
    }

    IdAllocator ids(workflow);
    Node node;
    node.id = ids.next();
    node.data = info->defaultData ? info->defaultData() : Json::object();
    if (!node.data.is_object())
        node.data = Json::object();
    node.data["type"] = kind == QLatin1String("custom-note") ? "" : ss(kind);
    node.data["selected"] = false;

    if (kind != QLatin1String("custom-note")) {
        // "LLM", "LLM 2", ...: the first free title.
        QSet<QString> titles;
        for (const Node &n : workflow.nodes())
            titles.insert(n.title());
        QString title = info->displayName;
        for (int i = 2; titles.contains(title); ++i)
            title = info->displayName + QLatin1Char(' ') + QString::number(i);
        node.data["title"] = ss(title);
    }

    node.wrapper["type"] = ss(info->wrapperType);
    node.wrapper["position"] = pointJson(pos);
    node.wrapper["positionAbsolute"]
        = pointJson(container ? absolutePosition(workflow, *container) + pos : pos);
    node.wrapper["sourcePosition"] = "right";
    node.wrapper["targetPosition"] = "left";
    if (container)
        setMembership(node, container);

    if (kind == QLatin1String("custom-note")) {
        node.wrapper["width"] = node.data.value("width", 240);
        node.wrapper["height"] = node.data.value("height", 88);
    }

    const QString name = QCoreApplication::translate("flowbench::document::GraphEdits", "Add %1")
                             .arg(info->displayName);
    if (newId)
        *newId = node.id;
    if (!info->isContainer) {
        if (!container)
            return Edit(AddNodeEdit{std::move(node)}, name);
        // As in Dify, a container grows to hold a node dropped near its edge.
        const QSizeF have = container->size();
        const QSizeF need(std::max(have.width(), pos.x() + kDefaultWidth + kPadRight),
                          std::max(have.height(), pos.y() + kDefaultHeight + kPadBottom));
        BatchEdit batch;
        batch.edits.push_back(AddNodeEdit{std::move(node)});
        if (need != have) {
            for (auto part : {SetNodeDataEdit::Part::Wrapper, SetNodeDataEdit::Part::Data}) {
                batch.edits.push_back(SetNodeDataEdit{container->id, QStringLiteral("/width"),
                                                      numberJson(std::ceil(need.width())), false,
                                                      part});
                batch.edits.push_back(SetNodeDataEdit{container->id, QStringLiteral("/height"),
                                                      numberJson(std::ceil(need.height())), false,
                                                      part});
            }
        }
        return Edit(std::move(batch), name);
    }

    // An iteration or loop comes with its start node, as Dify creates it.
    const bool loop = kind == QLatin1String("loop");
    const QString startId = ids.take(node.id + QStringLiteral("start"));
    node.data["start_node_id"] = ss(startId);
    node.data["width"] = kContainerWidth;
    node.data["height"] = kContainerHeight;
    node.wrapper["width"] = kContainerWidth;
    node.wrapper["height"] = kContainerHeight;
    node.wrapper["zIndex"] = kContainerZIndex;

    Node start;
    start.id = startId;
    const QString startKind
        = loop ? QStringLiteral("loop-start") : QStringLiteral("iteration-start");
    const NodeKindInfo *startInfo = NodeRegistry::instance().find(startKind);
    start.data = Json{{"type", ss(startKind)}, {"title", ""}, {"desc", ""}, {"selected", false}};
    start.data[loop ? "isInLoop" : "isInIteration"] = true;
    start.wrapper["type"] = startInfo ? ss(startInfo->wrapperType)
                                      : (loop ? "custom-loop-start" : "custom-iteration-start");
    start.wrapper["parentId"] = ss(node.id);
    start.wrapper["position"] = pointJson(QPointF(kStartX, kStartY));
    start.wrapper["positionAbsolute"] = pointJson(pos + QPointF(kStartX, kStartY));
    start.wrapper["width"] = kStartWidth;
    start.wrapper["height"] = kStartHeight;
    start.wrapper["zIndex"] = kChildZIndex;
    start.wrapper["draggable"] = false;
    start.wrapper["selectable"] = false;
    start.wrapper["sourcePosition"] = "right";
    start.wrapper["targetPosition"] = "left";

    BatchEdit batch;
    batch.edits.push_back(AddNodeEdit{std::move(node)});
    batch.edits.push_back(AddNodeEdit{std::move(start)});
    return Edit(std::move(batch), name);
}

// ---- Connecting ----------------------------------------------------------------------------

Result<void> canConnect(const Workflow &workflow, const QString &source,
                        const QString &sourceHandle, const QString &target)
{
    return checkConnection(workflow, source, sourceHandle, target, {});
}

Result<Edit> makeConnectEdit(const Workflow &workflow, const QString &source,
                             const QString &sourceHandle, const QString &target)
{
    const Result<void> ok = canConnect(workflow, source, sourceHandle, target);
    if (!ok)
        return tl::unexpected<Error>(ok.error());
    Edge edge
        = makeDifyEdge(workflow, *workflow.node(source), sourceHandle, *workflow.node(target));
    if (workflow.edge(edge.id)) {
        // Same triple under another handle spelling cannot happen; keep ids unique anyway.
        edge.id = IdAllocator(workflow).take(edge.id + QStringLiteral("-1"));
    }
    return Edit(AddEdgeEdit{std::move(edge)},
                QCoreApplication::translate("flowbench::document::GraphEdits", "Connect nodes"));
}

Result<Edit> makeRerouteEdit(const Workflow &workflow, const QString &edgeId,
                             const QString &newSource, const QString &newSourceHandle,
                             const QString &newTarget)
{
    const int index = workflow.edgeIndex(edgeId);
    if (index < 0) {
        return connectError(QCoreApplication::translate("flowbench::document::GraphEdits",
                                                        "The connection no longer exists."));
    }
    const Edge &old = workflow.edges()[static_cast<size_t>(index)];
    const QString name
        = QCoreApplication::translate("flowbench::document::GraphEdits", "Reconnect edge");
    if (old.source == newSource && old.sourceHandle == newSourceHandle && old.target == newTarget)
        return Edit(BatchEdit{}, name);
    const Result<void> ok
        = checkConnection(workflow, newSource, newSourceHandle, newTarget, edgeId);
    if (!ok)
        return tl::unexpected<Error>(ok.error());
    Edge edge = makeDifyEdge(workflow, *workflow.node(newSource), newSourceHandle,
                             *workflow.node(newTarget), old.wrapper);
    if (edge.id != old.id && workflow.edge(edge.id))
        edge.id = IdAllocator(workflow).take(edge.id + QStringLiteral("-1"));
    BatchEdit batch;
    batch.edits.push_back(RemoveEdgeEdit{old.id});
    batch.edits.push_back(AddEdgeEdit{std::move(edge), index});
    return Edit(std::move(batch), name);
}

// ---- Clipboard -----------------------------------------------------------------------------

Json copyNodes(const Workflow &workflow, const QStringList &ids)
{
    QSet<QString> chosen;
    for (const QString &id : ids) {
        const Node *n = workflow.node(id);
        if (n && !isContainerStart(*n))
            chosen.insert(id);
    }
    // Children (start nodes included) of chosen containers come along.
    bool grew = true;
    while (grew) {
        grew = false;
        for (const Node &n : workflow.nodes()) {
            if (!chosen.contains(n.id) && chosen.contains(n.parentId())) {
                chosen.insert(n.id);
                grew = true;
            }
        }
    }

    Json nodes = Json::array();
    for (const Node &n : workflow.nodes()) {
        if (!chosen.contains(n.id))
            continue;
        Json object = n.toJson();
        const QString parent = n.parentId();
        if (!parent.isEmpty() && !chosen.contains(parent)) {
            // Copied without its container: it travels with its canvas position.
            object["position"] = pointJson(absolutePosition(workflow, n));
        }
        nodes.push_back(std::move(object));
    }
    Json edges = Json::array();
    for (const Edge &e : workflow.edges()) {
        if (chosen.contains(e.source) && chosen.contains(e.target))
            edges.push_back(e.toJson());
    }
    return Json{
        {"flowbench_clipboard", 1}, {"nodes", std::move(nodes)}, {"edges", std::move(edges)}};
}

Result<Edit> makePasteEdit(const Workflow &workflow, const Json &clipboard, QPointF offset,
                           const QString &intoContainer, QStringList *newIds)
{
    Json payload = clipboard;
    if (payload.is_string()) {
        // Text flavour: parse it here so callers may hand over the clipboard text as is.
        try {
            payload = Json::parse(payload.get<std::string>());
        } catch (const std::exception &) {
            return clipboardError(QCoreApplication::translate(
                "flowbench::document::GraphEdits", "The clipboard does not hold nodes."));
        }
    }
    if (!payload.is_object() || !payload.contains("flowbench_clipboard")) {
        return clipboardError(QCoreApplication::translate(
            "flowbench::document::GraphEdits",
            "The clipboard does not hold nodes (no “flowbench_clipboard” field)."));
    }
    const auto nodesIt = payload.find("nodes");
    if (nodesIt == payload.end() || !nodesIt->is_array()) {
        return clipboardError(QCoreApplication::translate(
            "flowbench::document::GraphEdits", "The clipboard data has no “nodes” list."));
    }
    const auto edgesIt = payload.find("edges");
    if (edgesIt != payload.end() && !edgesIt->is_array()) {
        return clipboardError(
            QCoreApplication::translate("flowbench::document::GraphEdits",
                                        "The clipboard data's “edges” field is not a list."));
    }

    const Node *container = nullptr;
    if (!intoContainer.isEmpty()) {
        container = workflow.node(intoContainer);
        if (!container || !isContainer(*container)) {
            return clipboardError(
                QCoreApplication::translate("flowbench::document::GraphEdits",
                                            "Nodes can only be pasted into an iteration or loop."));
        }
    }

    // Read and check every node first.
    std::vector<Node> pasted;
    QSet<QString> payloadIds;
    for (std::size_t i = 0; i < nodesIt->size(); ++i) {
        const Json &object = (*nodesIt)[i];
        if (!object.is_object() || !object.contains("id") || !object["id"].is_string()
            || qs(object["id"]).isEmpty()) {
            return clipboardError(
                QCoreApplication::translate("flowbench::document::GraphEdits",
                                            "Node %1 of the clipboard data has no “id”.")
                    .arg(i + 1));
        }
        if (!object.contains("data") || !object["data"].is_object()) {
            return clipboardError(
                QCoreApplication::translate("flowbench::document::GraphEdits",
                                            "Node %1 of the clipboard data has no “data”.")
                    .arg(i + 1));
        }
        Node node = Node::fromJson(object);
        if (payloadIds.contains(node.id)) {
            return clipboardError(
                QCoreApplication::translate("flowbench::document::GraphEdits",
                                            "The clipboard data has two nodes with the id “%1”.")
                    .arg(node.id));
        }
        payloadIds.insert(node.id);
        pasted.push_back(std::move(node));
    }
    if (pasted.empty()) {
        return clipboardError(QCoreApplication::translate("flowbench::document::GraphEdits",
                                                          "The clipboard data holds no nodes."));
    }

    // Which nodes are pasted: a container start only with its container; a second Start is
    // dropped when the document already has one (Dify allows one).
    bool hasStart = false;
    for (const Node &n : workflow.nodes())
        hasStart = hasStart || n.kind() == QLatin1String("start");
    std::vector<Node> kept;
    for (Node &node : pasted) {
        const QString parent = node.parentId();
        const bool parentPasted = !parent.isEmpty() && payloadIds.contains(parent);
        if (isContainerStart(node) && !parentPasted)
            continue;
        if (hasStart && node.kind() == QLatin1String("start"))
            continue;
        if (container && !parentPasted) {
            const QString kind = node.kind();
            if (isContainer(node)) {
                return clipboardError(QCoreApplication::translate(
                    "flowbench::document::GraphEdits",
                    "An iteration or loop cannot be placed inside another."));
            }
            if (kind == QLatin1String("start") || kind == QLatin1String("end") || node.isNote()) {
                const NodeKindInfo *info = infoOf(node);
                return clipboardError(
                    QCoreApplication::translate("flowbench::document::GraphEdits",
                                                "%1 cannot be placed inside an iteration or loop.")
                        .arg(info ? info->displayName : kind));
            }
        }
        kept.push_back(std::move(node));
    }
    if (kept.empty()) {
        return clipboardError(QCoreApplication::translate(
            "flowbench::document::GraphEdits", "The clipboard data holds no nodes to paste."));
    }

    // New ids: containers' start nodes keep Dify's "<container>start" shape.
    IdAllocator allocator(workflow);
    IdMap map;
    QHash<QString, QString> newIdOf;
    for (const Node &node : kept) {
        if (isContainerStart(node))
            continue;
        const QString id = allocator.next();
        newIdOf.insert(node.id, id);
        map.emplace(ss(node.id), ss(id));
    }
    for (const Node &node : kept) {
        if (!isContainerStart(node))
            continue;
        const QString id = allocator.take(newIdOf.value(node.parentId()) + QStringLiteral("start"));
        newIdOf.insert(node.id, id);
        map.emplace(ss(node.id), ss(id));
    }

    // Rewrite ids, references and container links; place top-level nodes.
    QHash<QString, int> keptIndex;
    for (std::size_t i = 0; i < kept.size(); ++i)
        keptIndex.insert(newIdOf.value(kept[i].id), static_cast<int>(i));
    for (Node &node : kept) {
        const QString oldParent = node.parentId();
        node.id = newIdOf.value(node.id);
        rewriteReferences(node.data, map);
        for (const char *key : {"iteration_id", "loop_id", "start_node_id"}) {
            const auto it = node.data.find(key);
            if (it != node.data.end() && it->is_string()) {
                const auto m = map.find(it->get<std::string>());
                if (m != map.end())
                    *it = m->second;
            }
        }
        if (!oldParent.isEmpty() && newIdOf.contains(oldParent)) {
            node.wrapper["parentId"] = ss(newIdOf.value(oldParent));
        } else {
            setMembership(node, container);
            node.setPosition(node.position() + offset);
        }
        node.wrapper.erase("selected");
        if (node.data.contains("selected"))
            node.data["selected"] = false;
    }
    // positionAbsolute after all positions are known (parents are containers, one level).
    for (Node &node : kept) {
        QPointF abs = node.position();
        const QString parent = node.parentId();
        if (!parent.isEmpty()) {
            const auto k = keptIndex.constFind(parent);
            if (k != keptIndex.cend())
                abs += kept[static_cast<size_t>(*k)].position();
            else if (const Node *p = workflow.node(parent))
                abs += absolutePosition(workflow, *p);
        }
        node.wrapper["positionAbsolute"] = pointJson(abs);
    }

    // Where each pasted node lives now, for the edges' container fields.
    QHash<QString, QString> parentOf;
    QHash<QString, Node> pastedContainers;
    for (const Node &node : kept) {
        parentOf.insert(node.id, node.parentId());
        if (isContainer(node))
            pastedContainers.insert(node.id, node);
    }

    BatchEdit batch;
    QStringList selectable;
    // Containers before their children so that a consumer never sees an orphan.
    std::stable_sort(kept.begin(), kept.end(), [&](const Node &a, const Node &b) {
        return !keptIndex.contains(a.parentId()) && keptIndex.contains(b.parentId());
    });
    for (Node &node : kept) {
        if (!isContainerStart(node))
            selectable.append(node.id);
        batch.edits.push_back(AddNodeEdit{std::move(node)});
    }

    // Edges between pasted nodes, with fresh ids and the container fields of their new home.
    QSet<QString> edgeIds;
    for (const Edge &e : workflow.edges())
        edgeIds.insert(e.id);
    if (edgesIt != payload.end()) {
        for (const Json &object : *edgesIt) {
            if (!object.is_object())
                continue;
            Edge edge = Edge::fromJson(object);
            if (!newIdOf.contains(edge.source) || !newIdOf.contains(edge.target))
                continue;
            edge.source = newIdOf.value(edge.source);
            edge.target = newIdOf.value(edge.target);
            const QString base = makeEdgeId(edge.source, edge.sourceHandle, edge.target);
            edge.id = base;
            for (int i = 2; edgeIds.contains(edge.id); ++i)
                edge.id = base + QLatin1Char('-') + QString::number(i);
            edgeIds.insert(edge.id);
            const QString parent = parentOf.value(edge.source);
            const Node *home = nullptr;
            if (!parent.isEmpty()) {
                const auto p = pastedContainers.constFind(parent);
                home = p != pastedContainers.cend() ? &*p : workflow.node(parent);
            }
            setEdgeMembership(edge.wrapper, home);
            edge.wrapper.erase("selected");
            batch.edits.push_back(AddEdgeEdit{std::move(edge)});
        }
    }

    if (newIds)
        *newIds = selectable;
    const int count = static_cast<int>(selectable.size());
    const QString name
        = count == 1 ? QCoreApplication::translate("flowbench::document::GraphEdits", "Paste node")
                     : QCoreApplication::translate("flowbench::document::GraphEdits",
                                                   "Paste %n nodes", nullptr, count);
    return Edit(std::move(batch), name);
}

// ---- Arranging -----------------------------------------------------------------------------

Edit makeAlignEdit(const Workflow &workflow, const QStringList &ids, Alignment alignment,
                   const NodeSizeFn &size)
{
    QString name;
    switch (alignment) {
    case Alignment::Left:
        name = QCoreApplication::translate("flowbench::document::GraphEdits", "Align left");
        break;
    case Alignment::HorizontalCenter:
        name = QCoreApplication::translate("flowbench::document::GraphEdits",
                                           "Align centres horizontally");
        break;
    case Alignment::Right:
        name = QCoreApplication::translate("flowbench::document::GraphEdits", "Align right");
        break;
    case Alignment::Top:
        name = QCoreApplication::translate("flowbench::document::GraphEdits", "Align top");
        break;
    case Alignment::VerticalCenter:
        name = QCoreApplication::translate("flowbench::document::GraphEdits",
                                           "Align centres vertically");
        break;
    case Alignment::Bottom:
        name = QCoreApplication::translate("flowbench::document::GraphEdits", "Align bottom");
        break;
    }
    QList<QPair<QString, QPointF>> moves;
    for (const QStringList &group : groupByContainer(workflow, ids)) {
        if (group.size() < 2)
            continue;
        std::vector<QRectF> rects;
        QRectF bounds;
        for (const QString &id : group) {
            const QRectF r(workflow.node(id)->position(), sizeOf(workflow, size, id));
            rects.push_back(r);
            bounds = bounds.isNull() ? r : bounds.united(r);
        }
        for (qsizetype i = 0; i < group.size(); ++i) {
            QRectF r = rects[static_cast<size_t>(i)];
            switch (alignment) {
            case Alignment::Left:
                r.moveLeft(bounds.left());
                break;
            case Alignment::HorizontalCenter:
                r.moveLeft(bounds.center().x() - r.width() / 2);
                break;
            case Alignment::Right:
                r.moveRight(bounds.right());
                break;
            case Alignment::Top:
                r.moveTop(bounds.top());
                break;
            case Alignment::VerticalCenter:
                r.moveTop(bounds.center().y() - r.height() / 2);
                break;
            case Alignment::Bottom:
                r.moveBottom(bounds.bottom());
                break;
            }
            moves.append({group[i], r.topLeft()});
        }
    }
    return movesEdit(moves, workflow, name);
}

Edit makeDistributeEdit(const Workflow &workflow, const QStringList &ids, Qt::Orientation axis,
                        const NodeSizeFn &size)
{
    const bool horizontal = axis == Qt::Horizontal;
    const QString name = horizontal ? QCoreApplication::translate("flowbench::document::GraphEdits",
                                                                  "Distribute horizontally")
                                    : QCoreApplication::translate("flowbench::document::GraphEdits",
                                                                  "Distribute vertically");
    QList<QPair<QString, QPointF>> moves;
    for (const QStringList &group : groupByContainer(workflow, ids)) {
        if (group.size() < 3)
            continue;
        struct Item
        {
            QString id;
            QRectF rect;
        };
        std::vector<Item> items;
        for (const QString &id : group)
            items.push_back(
                Item{id, QRectF(workflow.node(id)->position(), sizeOf(workflow, size, id))});
        const auto start
            = [horizontal](const QRectF &r) { return horizontal ? r.left() : r.top(); };
        const auto length
            = [horizontal](const QRectF &r) { return horizontal ? r.width() : r.height(); };
        std::stable_sort(items.begin(), items.end(), [&](const Item &a, const Item &b) {
            return start(a.rect) < start(b.rect);
        });
        // Outermost: the first start and the furthest end stay where they are.
        const double first = start(items.front().rect);
        double last = 0;
        for (const Item &item : items)
            last = std::max(last, start(item.rect) + length(item.rect));
        double total = 0;
        for (const Item &item : items)
            total += length(item.rect);
        const double gap = (last - first - total) / static_cast<double>(items.size() - 1);
        double cursor = first;
        for (const Item &item : items) {
            QPointF p = item.rect.topLeft();
            if (horizontal)
                p.setX(std::round(cursor));
            else
                p.setY(std::round(cursor));
            moves.append({item.id, p});
            cursor += length(item.rect) + gap;
        }
    }
    return movesEdit(moves, workflow, name);
}

Edit makeAutoLayoutEdit(const Workflow &workflow, const QStringList &ids, const NodeSizeFn &size)
{
    const QString name
        = QCoreApplication::translate("flowbench::document::GraphEdits", "Auto layout");

    // What to lay out: groups of siblings (by container) and container bodies.
    QList<QStringList> groups; // siblings laid out among themselves
    QStringList bodies;        // containers whose whole body is laid out
    if (ids.isEmpty()) {
        QStringList top;
        for (const Node &n : workflow.nodes()) {
            if (n.isNote())
                continue;
            if (isContainer(n))
                bodies.append(n.id);
            if (n.parentId().isEmpty())
                top.append(n.id);
        }
        groups.append(top);
    } else {
        QStringList chosen;
        for (const QString &id : ids) {
            const Node *n = workflow.node(id);
            if (!n || n->isNote())
                continue;
            chosen.append(id);
            if (isContainer(*n) && !bodies.contains(id))
                bodies.append(id);
        }
        groups = groupByContainer(workflow, chosen);
    }

    QHash<QString, QSizeF> containerSize;
    QList<QPair<QString, QPointF>> moves;
    BatchEdit batch;

    const auto sizes = [&](const QString &id) {
        const auto c = containerSize.constFind(id);
        if (c != containerSize.cend())
            return *c;
        return sizeOf(workflow, size, id);
    };

    // Bodies first: their new sizes feed the outer layout.
    for (const QString &containerId : bodies) {
        QStringList children;
        for (const QString &child : workflow.childrenOf(containerId)) {
            const Node *c = workflow.node(child);
            if (c && !c->isNote())
                children.append(child);
        }
        QList<QPair<QString, QPointF>> placed;
        layeredLayout(workflow, children, sizes, QPointF(kStartX, kStartY), &placed);
        double right = 0, bottom = 0;
        for (const auto &p : placed) {
            const QSizeF s = sizes(p.first);
            right = std::max(right, p.second.x() + s.width());
            bottom = std::max(bottom, p.second.y() + s.height());
        }
        moves.append(placed);
        const QSizeF fitted(std::max(kMinContainerWidth, std::ceil(right + kPadRight)),
                            std::max(kMinContainerHeight, std::ceil(bottom + kPadBottom)));
        containerSize.insert(containerId, fitted);
        const Node *c = workflow.node(containerId);
        if (c->size() != fitted) {
            for (auto part : {SetNodeDataEdit::Part::Wrapper, SetNodeDataEdit::Part::Data}) {
                batch.edits.push_back(SetNodeDataEdit{containerId, QStringLiteral("/width"),
                                                      numberJson(fitted.width()), false, part});
                batch.edits.push_back(SetNodeDataEdit{containerId, QStringLiteral("/height"),
                                                      numberJson(fitted.height()), false, part});
            }
        }
    }

    for (const QStringList &group : groups) {
        if (group.isEmpty())
            continue;
        // Keep the group where it was: its current top-left corner is the origin.
        double left = std::numeric_limits<double>::max();
        double top = std::numeric_limits<double>::max();
        for (const QString &id : group) {
            const QPointF p = workflow.node(id)->position();
            left = std::min(left, p.x());
            top = std::min(top, p.y());
        }
        layeredLayout(workflow, group, sizes, QPointF(left, top), &moves);
    }

    MoveNodesEdit move;
    for (const auto &m : moves) {
        const Node *n = workflow.node(m.first);
        if (n && n->position() != m.second)
            move.positions.append(m);
    }
    if (!move.positions.isEmpty())
        batch.edits.insert(batch.edits.begin(), Edit(std::move(move)));
    return Edit(std::move(batch), name);
}

} // namespace flowbench::document

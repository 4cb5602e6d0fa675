#include "validator.h"

#include "nodes/registry.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace flowbench::document {

namespace {

using nodes::NodeKindInfo;
using nodes::NodeRegistry;

// Dify's MAX_VARIABLE_SIZE (env/conversation variables).
constexpr std::size_t kMaxVariableBytes = 200 * 1024;
// Up to this many nodes, ancestor sets are bit rows (N²/8 bytes: 8 MiB at 8192); above it, one
// backward search per referencing node.
constexpr int kBitsetNodeLimit = 8192;
constexpr int kMaxWalkDepth = 128;

constexpr std::array<std::string_view, 9> kSelectorKeys = {
    "value_selector",          "variable_selector",         "iterator_selector",
    "output_selector",         "query_variable_selector",   "assigned_variable_selector",
    "input_variable_selector", "query_attachment_selector", "file", // http body file items
};

QString qs(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

QString nodePointer(int index)
{
    return QStringLiteral("/workflow/graph/nodes/") + QString::number(index);
}

QString edgePointer(int index, QLatin1String field)
{
    return QStringLiteral("/workflow/graph/edges/") + QString::number(index) + QLatin1Char('/')
           + field;
}

void appendPointerToken(QString *out, std::string_view token)
{
    out->append(QLatin1Char('/'));
    QString t = qs(token);
    t.replace(QLatin1Char('~'), QStringLiteral("~0"));
    t.replace(QLatin1Char('/'), QStringLiteral("~1"));
    out->append(t);
}

bool isWordChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool isSegmentStart(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// Dify's template rule (VariableTemplateParser):
//   \{\{(#[a-zA-Z0-9_]{1,50}(\.[a-zA-Z_][a-zA-Z0-9_]{0,29}){1,10}#)\}\}
// Character classes never overlap the separators, so one forward pass decides each candidate.
// Calls f(whole inner text, node id, first segment) for every match, in order.
template<typename F>
void scanTemplates(std::string_view s, F &&f)
{
    std::size_t pos = 0;
    while ((pos = s.find("{{#", pos)) != std::string_view::npos) {
        std::size_t p = pos + 3;
        const std::size_t idStart = p;
        while (p < s.size() && isWordChar(s[p]))
            ++p;
        const std::size_t idLen = p - idStart;
        if (idLen == 0 || idLen > 50 || p >= s.size() || s[p] != '.') {
            ++pos;
            continue;
        }
        std::string_view first;
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
            if (segments == 1)
                first = s.substr(segStart, p - segStart);
            if (s.substr(p, 3) == "#}}") {
                matched = true;
                break;
            }
        }
        if (!matched) {
            ++pos;
            continue;
        }
        f(s.substr(idStart, p - idStart), s.substr(idStart, idLen), first);
        pos = p + 3;
    }
}

// A selector: a JSON array of at least two strings.
bool isSelector(const Json &v)
{
    if (!v.is_array() || v.size() < 2)
        return false;
    return std::all_of(v.begin(), v.end(), [](const Json &e) { return e.is_string(); });
}

std::string_view sv(const Json &stringValue)
{
    return stringValue.get_ref<const std::string &>();
}

bool stringIs(const Json &object, const char *key, std::string_view value)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() && sv(*it) == value;
}

QString joined(const QStringList &names)
{
    return names.isEmpty() ? Validator::tr("none") : names.join(QStringLiteral(", "));
}

class Checker
{
public:
    explicit Checker(const Workflow &workflow)
        : m_wf(workflow)
        , m_registry(NodeRegistry::instance())
        , m_n(static_cast<int>(workflow.nodes().size()))
        , m_mode(workflow.mode())
    {}

    QList<Problem> run()
    {
        checkNodes();
        checkVariables();
        checkEdges();
        checkRootsAndMode();
        findCycles();
        checkReachability();
        checkReferences();
        return std::move(m_problems);
    }

private:
    struct PathItem
    {
        const std::string *key = nullptr; // null: array index
        std::size_t index = 0;
    };

    const Node &node(int i) const { return m_wf.nodes()[static_cast<std::size_t>(i)]; }

    QString label(int i) const
    {
        const QString title = node(i).title();
        return title.isEmpty() ? node(i).id : title;
    }

    void add(Problem::Severity severity, const QString &nodeId, QString pointer, QString code,
             QString message)
    {
        Problem p;
        p.severity = severity;
        p.nodeId = nodeId;
        p.pointer = std::move(pointer);
        p.code = std::move(code);
        p.message = std::move(message);
        m_problems.append(std::move(p));
    }
    void error(const QString &nodeId, QString pointer, QString code, QString message)
    {
        add(Problem::Severity::Error, nodeId, std::move(pointer), std::move(code),
            std::move(message));
    }
    void warning(const QString &nodeId, QString pointer, QString code, QString message)
    {
        add(Problem::Severity::Warning, nodeId, std::move(pointer), std::move(code),
            std::move(message));
    }

    bool isContainerKind(int i) const
    {
        const QString &k = m_kind[static_cast<std::size_t>(i)];
        const NodeKindInfo *info = m_info[static_cast<std::size_t>(i)];
        return k == QLatin1String("iteration") || k == QLatin1String("loop")
               || (info && info->isContainer);
    }

    // ---- nodes ----------------------------------------------------------------------------

    void checkNodes()
    {
        const auto n = static_cast<std::size_t>(m_n);
        m_kind.resize(n);
        m_info.assign(n, nullptr);
        m_note.assign(n, 0);
        m_duplicate.assign(n, 0);
        m_parent.assign(n, -1);
        m_badParent.assign(n, 0);
        m_topLevel.assign(n, 1);

        for (int i = 0; i < m_n; ++i) {
            const Node &nd = node(i);
            const auto ui = static_cast<std::size_t>(i);
            m_kind[ui] = nd.kind();
            m_note[ui] = m_kind[ui] == QLatin1String("custom-note");
            if (m_wf.nodeIndex(nd.id) != i) {
                m_duplicate[ui] = 1;
                error(nd.id, nodePointer(i) + QStringLiteral("/id"), QStringLiteral("duplicate-id"),
                      Validator::tr("another node already has the id '%1'; ids must be unique")
                          .arg(nd.id));
            }
            if (m_note[ui])
                continue;
            const QString &kind = m_kind[ui];
            if (kind.isEmpty()) {
                error(nd.id, nodePointer(i) + QStringLiteral("/data/type"),
                      QStringLiteral("missing-type"),
                      Validator::tr("the node has no 'data.type', so its kind is unknown"));
                continue;
            }
            m_info[ui] = m_registry.find(kind);
            if (!m_info[ui]) {
                error(nd.id, nodePointer(i) + QStringLiteral("/data/type"),
                      QStringLiteral("unsupported-kind"),
                      Validator::tr("node kind '%1' is not supported by Flowbench; it is kept as "
                                    "is, but the workflow cannot run")
                          .arg(kind));
            } else if (m_info[ui]->check && nd.data.is_object()) {
                for (const nodes::FieldProblem &fp : m_info[ui]->check(nd.data)) {
                    add(fp.error ? Problem::Severity::Error : Problem::Severity::Warning, nd.id,
                        nodePointer(i) + QStringLiteral("/data") + fp.field,
                        QStringLiteral("invalid-field"), fp.message);
                }
            }
        }

        // Containers, once every node's kind is known.
        for (int i = 0; i < m_n; ++i) {
            const auto ui = static_cast<std::size_t>(i);
            if (m_note[ui])
                continue;
            const Node &nd = node(i);
            const QString parentId = nd.parentId();
            if (parentId.isEmpty())
                continue;
            m_topLevel[ui] = 0;
            const int p = m_wf.nodeIndex(parentId);
            if (p >= 0 && p != i && isContainerKind(p)) {
                m_parent[ui] = p;
                continue;
            }
            m_badParent[ui] = 1;
            QString pointer = nodePointer(i);
            if (nd.wrapper.contains("parentId"))
                pointer += QStringLiteral("/parentId");
            else if (stringIs(nd.data, "iteration_id", parentId.toStdString()))
                pointer += QStringLiteral("/data/iteration_id");
            else
                pointer += QStringLiteral("/data/loop_id");
            error(nd.id, pointer, QStringLiteral("missing-container"),
                  p < 0 ? Validator::tr("the node belongs to container '%1', which does not exist")
                              .arg(parentId)
                        : Validator::tr("the node belongs to '%1', which is not an iteration or "
                                        "loop")
                              .arg(label(p)));
        }
    }

    // ---- environment variables -------------------------------------------------------------

    void checkVariables()
    {
        const auto &env = m_wf.environmentVariables;
        for (std::size_t i = 0; i < env.size(); ++i) {
            m_envNames.insert(env[i].name);
            const Json value = env[i].value();
            const std::size_t bytes = value.is_string() ? sv(value).size() : value.dump().size();
            if (bytes > kMaxVariableBytes) {
                error({},
                      QStringLiteral("/workflow/environment_variables/") + QString::number(i)
                          + QStringLiteral("/value"),
                      QStringLiteral("variable-too-large"),
                      Validator::tr("environment variable '%1' holds %2 KB; Dify refuses values "
                                    "over 200 KB")
                          .arg(env[i].name)
                          .arg(static_cast<qulonglong>((bytes + 1023) / 1024)));
            }
        }
        for (const Variable &v : m_wf.conversationVariables)
            m_conversationNames.insert(v.name);
    }

    // ---- edges ----------------------------------------------------------------------------

    const std::vector<QString> &handlesOf(int s)
    {
        const auto us = static_cast<std::size_t>(s);
        if (!m_handlesDone[us]) {
            m_handlesDone[us] = 1;
            for (const nodes::Handle &h : m_registry.handlesFor(m_kind[us], node(s).data))
                m_handles[us].push_back(h.id);
        }
        return m_handles[us];
    }

    void checkEdges()
    {
        const auto &edges = m_wf.edges();
        const auto n = static_cast<std::size_t>(m_n);
        m_handles.assign(n, {});
        m_handlesDone.assign(n, 0);
        m_selfLoop.assign(n, 0);

        std::vector<std::pair<int, int>> links;
        links.reserve(edges.size());
        QHash<QString, int> edgeIds;
        edgeIds.reserve(static_cast<qsizetype>(edges.size()));

        for (int e = 0; e < static_cast<int>(edges.size()); ++e) {
            const Edge &edge = edges[static_cast<std::size_t>(e)];
            const int s = m_wf.nodeIndex(edge.source);
            const int t = m_wf.nodeIndex(edge.target);
            const QString touched = s >= 0 ? edge.source : (t >= 0 ? edge.target : QString());
            if (!edge.id.isEmpty()) {
                if (edgeIds.contains(edge.id)) {
                    error(touched, edgePointer(e, QLatin1String("id")),
                          QStringLiteral("duplicate-edge-id"),
                          Validator::tr("another edge already has the id '%1'; ids must be unique")
                              .arg(edge.id));
                } else {
                    edgeIds.insert(edge.id, e);
                }
            }
            if (s < 0) {
                error(touched, edgePointer(e, QLatin1String("source")),
                      QStringLiteral("dangling-edge"),
                      Validator::tr("edge '%1' starts at node '%2', which does not exist")
                          .arg(edge.id, edge.source));
            }
            if (t < 0) {
                error(touched, edgePointer(e, QLatin1String("target")),
                      QStringLiteral("dangling-edge"),
                      Validator::tr("edge '%1' ends at node '%2', which does not exist")
                          .arg(edge.id, edge.target));
            }
            if (s < 0 || t < 0)
                continue;
            links.emplace_back(s, t);
            if (s == t)
                m_selfLoop[static_cast<std::size_t>(s)] = 1;
            // Unknown kinds already fail as unsupported; their handles are not known.
            if (!m_info[static_cast<std::size_t>(s)])
                continue;
            const std::vector<QString> &offered = handlesOf(s);
            if (std::find(offered.begin(), offered.end(), edge.sourceHandle) == offered.end()) {
                error(edge.source, edgePointer(e, QLatin1String("sourceHandle")),
                      QStringLiteral("unknown-handle"),
                      Validator::tr("edge '%1' leaves '%2' from handle '%3', which the node does "
                                    "not offer (it offers: %4)")
                          .arg(edge.id, label(s), edge.sourceHandle,
                               joined(QStringList(offered.begin(), offered.end()))));
            }
        }
        buildAdjacency(links);
    }

    // Compressed adjacency: successors and predecessors of node i are
    // m_succ[m_succAt[i] .. m_succAt[i+1]) and likewise for m_pred.
    void buildAdjacency(const std::vector<std::pair<int, int>> &links)
    {
        const auto n = static_cast<std::size_t>(m_n);
        m_succAt.assign(n + 1, 0);
        m_predAt.assign(n + 1, 0);
        for (const auto &[s, t] : links) {
            ++m_succAt[static_cast<std::size_t>(s) + 1];
            ++m_predAt[static_cast<std::size_t>(t) + 1];
        }
        for (std::size_t i = 0; i < n; ++i) {
            m_succAt[i + 1] += m_succAt[i];
            m_predAt[i + 1] += m_predAt[i];
        }
        m_succ.resize(links.size());
        m_pred.resize(links.size());
        std::vector<int> sFill(m_succAt.begin(), m_succAt.end() - 1);
        std::vector<int> pFill(m_predAt.begin(), m_predAt.end() - 1);
        for (const auto &[s, t] : links) {
            m_succ[static_cast<std::size_t>(sFill[static_cast<std::size_t>(s)]++)] = t;
            m_pred[static_cast<std::size_t>(pFill[static_cast<std::size_t>(t)]++)] = s;
        }
    }

    // ---- roots and mode ---------------------------------------------------------------------

    static bool isRootKind(const QString &kind)
    {
        return kind == QLatin1String("start") || kind == QLatin1String("trigger-webhook")
               || kind == QLatin1String("trigger-schedule")
               || kind == QLatin1String("trigger-plugin") || kind == QLatin1String("datasource");
    }

    void checkRootsAndMode()
    {
        const AppMode mode = m_mode;
        int starts = 0;
        bool hasEnd = false, hasAnswer = false;
        for (int i = 0; i < m_n; ++i) {
            const auto ui = static_cast<std::size_t>(i);
            if (m_note[ui] || m_duplicate[ui])
                continue;
            const QString &kind = m_kind[ui];
            const bool topLevel = m_topLevel[ui];
            if (topLevel && isRootKind(kind))
                m_roots.push_back(i);
            if (topLevel && kind == QLatin1String("start") && ++starts > 1) {
                error(node(i).id, nodePointer(i), QStringLiteral("multiple-start"),
                      Validator::tr("the workflow has more than one start node; keep one"));
            }
            if (kind == QLatin1String("end")) {
                hasEnd = true;
                if (mode == AppMode::AdvancedChat)
                    error(node(i).id, nodePointer(i), QStringLiteral("end-in-chatflow"),
                          Validator::tr("end nodes exist only in workflows; a chatflow replies "
                                        "through answer nodes"));
            } else if (kind == QLatin1String("answer")) {
                hasAnswer = true;
                if (mode == AppMode::Workflow)
                    warning(node(i).id, nodePointer(i), QStringLiteral("answer-in-workflow"),
                            Validator::tr("answer nodes belong to chatflows; in a workflow, "
                                          "return results through an end node"));
            }
        }
        const QString nodesPointer = QStringLiteral("/workflow/graph/nodes");
        if (m_roots.empty())
            error({}, nodesPointer, QStringLiteral("no-start"),
                  Validator::tr("the workflow has no start node"));
        if (mode == AppMode::Workflow && !hasEnd)
            error({}, nodesPointer, QStringLiteral("no-end"),
                  Validator::tr("a workflow needs an end node to return its outputs"));
        if (mode == AppMode::AdvancedChat && !hasAnswer)
            error({}, nodesPointer, QStringLiteral("no-answer"),
                  Validator::tr("a chatflow needs an answer node to reply"));
    }

    // ---- cycles (Tarjan, iterative) ----------------------------------------------------------

    void findCycles()
    {
        const auto n = static_cast<std::size_t>(m_n);
        std::vector<int> index(n, -1), low(n, 0);
        std::vector<char> onStack(n, 0);
        std::vector<int> stack;
        std::vector<std::pair<int, int>> calls; // node, next successor slot
        m_sccOf.assign(n, -1);
        m_sccMembers.clear();
        m_sccAt.assign(1, 0);
        int counter = 0;

        const auto enter = [&](int v) {
            const auto uv = static_cast<std::size_t>(v);
            index[uv] = low[uv] = counter++;
            stack.push_back(v);
            onStack[uv] = 1;
            calls.emplace_back(v, m_succAt[uv]);
        };
        for (int root = 0; root < m_n; ++root) {
            if (index[static_cast<std::size_t>(root)] >= 0)
                continue;
            enter(root);
            while (!calls.empty()) {
                const int v = calls.back().first;
                const auto uv = static_cast<std::size_t>(v);
                const int slot = calls.back().second;
                if (slot < m_succAt[uv + 1]) {
                    ++calls.back().second;
                    const int w = m_succ[static_cast<std::size_t>(slot)];
                    const auto uw = static_cast<std::size_t>(w);
                    if (index[uw] < 0)
                        enter(w);
                    else if (onStack[uw])
                        low[uv] = std::min(low[uv], index[uw]);
                    continue;
                }
                if (low[uv] == index[uv]) {
                    const int id = static_cast<int>(m_sccAt.size()) - 1;
                    int w = -1;
                    do {
                        w = stack.back();
                        stack.pop_back();
                        onStack[static_cast<std::size_t>(w)] = 0;
                        m_sccOf[static_cast<std::size_t>(w)] = id;
                        m_sccMembers.push_back(w);
                    } while (w != v);
                    m_sccAt.push_back(static_cast<int>(m_sccMembers.size()));
                }
                calls.pop_back();
                if (!calls.empty()) {
                    const auto uu = static_cast<std::size_t>(calls.back().first);
                    low[uu] = std::min(low[uu], low[uv]);
                }
            }
        }

        const int sccCount = static_cast<int>(m_sccAt.size()) - 1;
        for (int c = 0; c < sccCount; ++c) {
            const int begin = m_sccAt[static_cast<std::size_t>(c)];
            const int end = m_sccAt[static_cast<std::size_t>(c) + 1];
            const int first = m_sccMembers[static_cast<std::size_t>(begin)];
            if (end - begin == 1 && !m_selfLoop[static_cast<std::size_t>(first)])
                continue;
            // Report in file order, naming a few companions.
            std::vector<int> members(m_sccMembers.begin() + begin, m_sccMembers.begin() + end);
            std::sort(members.begin(), members.end());
            for (int v : members) {
                QStringList others;
                for (int w : members) {
                    if (w == v)
                        continue;
                    if (others.size() == 3) {
                        others.append(QStringLiteral("…"));
                        break;
                    }
                    others.append(QLatin1Char('\'') + label(w) + QLatin1Char('\''));
                }
                error(node(v).id, nodePointer(v), QStringLiteral("cycle"),
                      others.isEmpty()
                          ? Validator::tr("the node is connected to itself; Dify graphs cannot "
                                          "have cycles (use a loop node to repeat steps)")
                          : Validator::tr("the node is on a cycle with %1; Dify graphs cannot "
                                          "have cycles (use a loop node to repeat steps)")
                                .arg(others.join(QStringLiteral(", "))));
            }
        }
    }

    // ---- reachability -----------------------------------------------------------------------

    void checkReachability()
    {
        if (m_roots.empty())
            return; // no-start already says why nothing runs
        const auto n = static_cast<std::size_t>(m_n);
        // Children per container, compressed like the adjacency.
        std::vector<int> childAt(n + 1, 0);
        for (std::size_t i = 0; i < n; ++i) {
            if (m_parent[i] >= 0)
                ++childAt[static_cast<std::size_t>(m_parent[i]) + 1];
        }
        for (std::size_t i = 0; i < n; ++i)
            childAt[i + 1] += childAt[i];
        std::vector<int> children(static_cast<std::size_t>(childAt[n]));
        std::vector<int> fill(childAt.begin(), childAt.end() - 1);
        for (std::size_t i = 0; i < n; ++i) {
            if (m_parent[i] >= 0)
                children[static_cast<std::size_t>(fill[static_cast<std::size_t>(m_parent[i])]++)]
                    = static_cast<int>(i);
        }

        std::vector<char> seen(n, 0);
        std::vector<int> queue(m_roots.begin(), m_roots.end());
        for (int r : m_roots)
            seen[static_cast<std::size_t>(r)] = 1;
        const auto visit = [&](int w) {
            if (!seen[static_cast<std::size_t>(w)]) {
                seen[static_cast<std::size_t>(w)] = 1;
                queue.push_back(w);
            }
        };
        for (std::size_t head = 0; head < queue.size(); ++head) {
            const auto v = static_cast<std::size_t>(queue[head]);
            for (int k = m_succAt[v]; k < m_succAt[v + 1]; ++k)
                visit(m_succ[static_cast<std::size_t>(k)]);
            for (int k = childAt[v]; k < childAt[v + 1]; ++k)
                visit(children[static_cast<std::size_t>(k)]);
        }
        for (int i = 0; i < m_n; ++i) {
            const auto ui = static_cast<std::size_t>(i);
            if (seen[ui] || m_note[ui] || m_duplicate[ui] || m_badParent[ui]
                || m_kind[ui].isEmpty())
                continue;
            if (m_parent[ui] >= 0)
                continue; // its container is unreachable too, and says so once

            warning(node(i).id, nodePointer(i), QStringLiteral("unreachable"),
                    Validator::tr("the node is not connected to the start, so it never runs"));
        }
    }

    // ---- ancestry ---------------------------------------------------------------------------

    // True when container `outer` encloses `inner` (at any depth).
    bool encloses(int outer, int inner) const
    {
        int p = m_parent[static_cast<std::size_t>(inner)];
        for (int guard = 0; p >= 0 && guard < m_n; ++guard) {
            if (p == outer)
                return true;
            p = m_parent[static_cast<std::size_t>(p)];
        }
        return false;
    }

    void buildAncestorRows()
    {
        m_rowsBuilt = true;
        m_words = (static_cast<std::size_t>(m_n) + 63) / 64;
        const int sccCount = static_cast<int>(m_sccAt.size()) - 1;
        m_rows.assign(static_cast<std::size_t>(sccCount) * m_words, 0);
        // Tarjan emits components sinks first: walk them backwards so predecessors come first.
        for (int c = sccCount - 1; c >= 0; --c) {
            std::uint64_t *row = &m_rows[static_cast<std::size_t>(c) * m_words];
            const int begin = m_sccAt[static_cast<std::size_t>(c)];
            const int end = m_sccAt[static_cast<std::size_t>(c) + 1];
            for (int m = begin; m < end; ++m) {
                const auto v = static_cast<std::size_t>(m_sccMembers[static_cast<std::size_t>(m)]);
                if (end - begin > 1 || m_selfLoop[v])
                    row[v / 64] |= std::uint64_t(1) << (v % 64);
                for (int k = m_predAt[v]; k < m_predAt[v + 1]; ++k) {
                    const auto p = static_cast<std::size_t>(m_pred[static_cast<std::size_t>(k)]);
                    const auto pc = static_cast<std::size_t>(m_sccOf[p]);
                    if (static_cast<int>(pc) == c)
                        continue;
                    row[p / 64] |= std::uint64_t(1) << (p % 64);
                    const std::uint64_t *prow = &m_rows[pc * m_words];
                    for (std::size_t w = 0; w < m_words; ++w)
                        row[w] |= prow[w];
                }
            }
        }
    }

    bool rowHas(int of, int t) const
    {
        const auto c = static_cast<std::size_t>(m_sccOf[static_cast<std::size_t>(of)]);
        const auto ut = static_cast<std::size_t>(t);
        return (m_rows[c * m_words + ut / 64] >> (ut % 64)) & 1U;
    }

    // Marks everything upstream of n and of n's enclosing containers (large graphs only).
    void searchUpstream(int n)
    {
        const int stamp = n + 1;
        m_searchedFor = n;
        if (m_mark.empty())
            m_mark.assign(static_cast<std::size_t>(m_n), 0);
        std::vector<int> &queue = m_queue;
        queue.clear();
        queue.push_back(n);
        for (int c = m_parent[static_cast<std::size_t>(n)], guard = 0; c >= 0 && guard < m_n;
             c = m_parent[static_cast<std::size_t>(c)], ++guard)
            queue.push_back(c);
        for (std::size_t head = 0; head < queue.size(); ++head) {
            const auto v = static_cast<std::size_t>(queue[head]);
            for (int k = m_predAt[v]; k < m_predAt[v + 1]; ++k) {
                const auto p = static_cast<std::size_t>(m_pred[static_cast<std::size_t>(k)]);
                if (m_mark[p] != stamp) {
                    m_mark[p] = stamp;
                    queue.push_back(static_cast<int>(p));
                }
            }
        }
    }

    // t runs before n: an edge ancestor of n or of a container enclosing n.
    bool isUpstream(int t, int n)
    {
        if (m_n > kBitsetNodeLimit) {
            if (m_searchedFor != n)
                searchUpstream(n);
            return m_mark[static_cast<std::size_t>(t)] == n + 1;
        }
        if (!m_rowsBuilt)
            buildAncestorRows();
        if (rowHas(n, t))
            return true;
        for (int c = m_parent[static_cast<std::size_t>(n)], guard = 0; c >= 0 && guard < m_n;
             c = m_parent[static_cast<std::size_t>(c)], ++guard) {
            if (rowHas(c, t))
                return true;
        }
        return false;
    }

    // ---- references -------------------------------------------------------------------------

    // One reference: [first, second, ...] from a selector, or the inner text of a template.
    struct Ref
    {
        std::string_view first, second;
        std::string_view text;          // template inner text; empty for selectors
        const Json *selector = nullptr; // the selector array, when it is one
    };

    // The reference as "a.b.c", for messages only.
    static QString shown(const Ref &ref)
    {
        if (!ref.selector)
            return qs(ref.text);
        QStringList parts;
        for (const Json &e : *ref.selector)
            parts.append(qs(sv(e)));
        return parts.join(QLatin1Char('.'));
    }

    static QStringList toQStringList(const std::vector<std::string> &names)
    {
        QStringList out;
        for (const std::string &n : names)
            out.append(qs(n));
        return out;
    }

    // Node index for an id taken from the document (template text or selector element). The
    // views point into the workflow's JSON, which outlives the checker.
    int indexOf(std::string_view id)
    {
        const auto hit = m_idCache.find(id);
        if (hit != m_idCache.end())
            return hit->second;
        const int index = m_wf.nodeIndex(qs(id));
        m_idCache.emplace(id, index);
        return index;
    }

    // Names a node publishes to readers after it; nullptr when not checkable (unknown kind,
    // dynamic outputs).
    const std::vector<std::string> *outputsOf(int t)
    {
        const auto ut = static_cast<std::size_t>(t);
        if (m_outputsState.empty()) {
            m_outputsState.assign(static_cast<std::size_t>(m_n), 0);
            m_outputs.assign(static_cast<std::size_t>(m_n), {});
        }
        if (m_outputsState[ut] == 0) {
            const NodeKindInfo *info = m_info[ut];
            if (!info || info->dynamicOutputs) {
                m_outputsState[ut] = 2;
            } else {
                m_outputsState[ut] = 1;
                const Node &nd = node(t);
                std::vector<std::string> &names = m_outputs[ut];
                // An iteration's item/index exist only inside its body (innerVariables),
                // whatever the registry lists.
                const bool iteration = m_kind[ut] == QLatin1String("iteration");
                for (const nodes::OutputVar &o : m_registry.outputsFor(m_kind[ut], nd.data)) {
                    if (iteration
                        && (o.name == QLatin1String("item") || o.name == QLatin1String("index")))
                        continue;
                    names.push_back(o.name.toStdString());
                }
                const auto strategy = nd.data.find("error_strategy");
                if (strategy != nd.data.end() && strategy->is_string() && !sv(*strategy).empty()) {
                    for (const char *extra : {"error_message", "error_type"}) {
                        if (std::find(names.begin(), names.end(), extra) == names.end())
                            names.emplace_back(extra);
                    }
                }
            }
        }
        return m_outputsState[ut] == 1 ? &m_outputs[ut] : nullptr;
    }

    // What nodes inside container c read from [c, ...]: iteration item/index, loop variables.
    std::vector<std::string> innerVariables(int c) const
    {
        const QString &kind = m_kind[static_cast<std::size_t>(c)];
        std::vector<std::string> names;
        if (kind == QLatin1String("iteration")) {
            names = {"item", "index"};
        } else if (kind == QLatin1String("loop")) {
            const Json &data = node(c).data;
            const auto vars = data.find("loop_variables");
            if (vars != data.end() && vars->is_array()) {
                for (const Json &v : *vars) {
                    if (!v.is_object())
                        continue;
                    const auto l = v.find("label");
                    if (l != v.end() && l->is_string())
                        names.emplace_back(sv(*l));
                }
            }
        }
        return names;
    }

    QString pointerHere(int n) const
    {
        QString p = nodePointer(n) + QStringLiteral("/data");
        for (const PathItem &item : m_path) {
            if (item.key)
                appendPointerToken(&p, *item.key);
            else
                p += QLatin1Char('/') + QString::number(item.index);
        }
        return p;
    }

    static bool oneOf(std::string_view s, std::initializer_list<std::string_view> options)
    {
        return std::find(options.begin(), options.end(), s) != options.end();
    }

    void checkReference(int n, const Ref &ref)
    {
        const Node &from = node(n);
        const auto err = [&](const char *code, const QString &message) {
            error(from.id, pointerHere(n), QLatin1String(code), message);
        };
        const std::string_view first = ref.first, second = ref.second;

        if (first == "sys") {
            const bool known
                = oneOf(second, {"query", "files", "conversation_id", "dialogue_count", "user_id",
                                 "app_id", "workflow_id", "workflow_run_id", "timestamp"});
            const bool pipeline
                = m_mode == AppMode::Other
                  && oneOf(second, {"document_id", "original_document_id", "batch", "dataset_id",
                                    "datasource_type", "datasource_info", "invoke_from"});
            if (!known && !pipeline) {
                err("unknown-system-variable",
                    Validator::tr("'%1' is not a system variable (known: query, files, "
                                  "conversation_id, dialogue_count, user_id, app_id, workflow_id, "
                                  "workflow_run_id, timestamp)")
                        .arg(shown(ref)));
            } else if (m_mode == AppMode::Workflow
                       && oneOf(second, {"query", "conversation_id", "dialogue_count"})) {
                err("chatflow-only-variable",
                    Validator::tr("sys.%1 exists only in chatflows; a workflow reads its inputs "
                                  "from the start node")
                        .arg(qs(second)));
            } else if (m_mode == AppMode::AdvancedChat && second == "timestamp") {
                warning(from.id, pointerHere(n), QStringLiteral("workflow-only-variable"),
                        Validator::tr("sys.timestamp is set only in workflow runs; in a chatflow "
                                      "it is empty"));
            }
            return;
        }
        if (first == "env") {
            if (!m_envNames.contains(qs(second)))
                err("unknown-environment-variable",
                    Validator::tr("'%1' names no environment variable; add '%2' under "
                                  "environment variables")
                        .arg(shown(ref), qs(second)));
            return;
        }
        if (first == "conversation") {
            if (!m_conversationNames.contains(qs(second)))
                err("unknown-conversation-variable",
                    Validator::tr("'%1' names no conversation variable; add '%2' under "
                                  "conversation variables")
                        .arg(shown(ref), qs(second)));
            return;
        }
        if (first == "userinput") {
            if (second != "files")
                err("unknown-system-variable",
                    Validator::tr("'%1' is not an input variable; only userinput.files exists")
                        .arg(shown(ref)));
            return;
        }
        if (first == "rag")
            return;

        const int t = indexOf(first);
        if (t < 0 || m_note[static_cast<std::size_t>(t)]) {
            err("unknown-node", Validator::tr("'%1' refers to node '%2', which does not exist")
                                    .arg(shown(ref), qs(first)));
            return;
        }
        bool inner = false;
        if (t == n) {
            if (!isContainerKind(n)) {
                err("not-upstream",
                    Validator::tr("'%1' refers to this node's own output, which does not exist "
                                  "while it runs")
                        .arg(shown(ref)));
                return;
            }
            inner = true;
        } else if (encloses(t, n)) {
            inner = true;
        } else if (!encloses(n, t) && !isUpstream(t, n)) {
            err("not-upstream",
                Validator::tr("'%1' refers to '%2', which does not run before this node; "
                              "connect it upstream or pick another variable")
                    .arg(shown(ref), label(t)));
            return;
        }

        if (inner) {
            const std::vector<std::string> names = innerVariables(t);
            if (std::find(names.begin(), names.end(), second) == names.end())
                err("unknown-variable",
                    Validator::tr("inside '%1' you can read %2, not '%3'")
                        .arg(label(t), joined(toQStringList(names)), qs(second)));
            return;
        }
        // 1.12.1's start node also copies system variables as outputs named "sys.<name>".
        if (m_kind[static_cast<std::size_t>(t)] == QLatin1String("start")
            && (second == "sys" || second.substr(0, 4) == "sys."))
            return;
        const std::vector<std::string> *names = outputsOf(t);
        if (names && std::find(names->begin(), names->end(), second) == names->end())
            err("unknown-variable", Validator::tr("'%1' has no output '%2' (it offers: %3)")
                                        .arg(label(t), qs(second), joined(toQStringList(*names))));
    }

    void checkSelector(int n, const Json &selector)
    {
        checkReference(n, Ref{sv(selector[0]), sv(selector[1]), {}, &selector});
    }

    void scanString(int n, std::string_view text)
    {
        std::string_view seen[4]; // one problem per distinct reference per string (first few)
        std::size_t seenCount = 0;
        scanTemplates(text, [&](std::string_view whole, std::string_view id, std::string_view var) {
            if (std::find(seen, seen + seenCount, whole) != seen + seenCount)
                return;
            if (seenCount < std::size(seen))
                seen[seenCount++] = whole;
            checkReference(n, Ref{id, var, whole, nullptr});
        });
    }

    void walk(int n, const Json &value, int depth)
    {
        if (depth > kMaxWalkDepth)
            return;
        if (value.is_string()) {
            scanString(n, sv(value));
        } else if (value.is_array()) {
            for (std::size_t i = 0; i < value.size(); ++i) {
                m_path.push_back({nullptr, i});
                walk(n, value[i], depth + 1);
                m_path.pop_back();
            }
        } else if (value.is_object()) {
            walkObject(n, value, depth);
        }
    }

    void walkObject(int n, const Json &object, int depth)
    {
        // Variable-mode inputs keep a selector in `value`: tool/agent parameters
        // ({type: variable}), loop variables ({value_type: variable}), assigner v2 items
        // ({input_type: variable}).
        const auto valueIsSelector = [&object] {
            return stringIs(object, "type", "variable")
                   || stringIs(object, "value_type", "variable")
                   || stringIs(object, "input_type", "variable");
        };
        for (auto it = object.begin(); it != object.end(); ++it) {
            const std::string &key = it.key();
            if (depth == 0 && (key == "title" || key == "desc" || key == "code" || key == "type"))
                continue; // free text and source code are not templates
            m_path.push_back({&key, 0});
            bool selector = false;
            if (it->is_array()) {
                if (std::find(kSelectorKeys.begin(), kSelectorKeys.end(), key)
                        != kSelectorKeys.end()
                    || (key == "value" && valueIsSelector())
                    || (depth == 0 && key == "variable" && m_walkKind == WalkKind::ListOperator)
                    || (depth == 0 && key == "query"
                        && m_walkKind == WalkKind::ParameterExtractor)) {
                    selector = isSelector(*it);
                    if (selector)
                        checkSelector(n, *it);
                } else if (m_walkKind == WalkKind::Aggregator && key == "variables") {
                    for (std::size_t i = 0; i < it->size(); ++i) {
                        if (!isSelector((*it)[i]))
                            continue;
                        m_path.push_back({nullptr, i});
                        checkSelector(n, (*it)[i]);
                        m_path.pop_back();
                    }
                }
            }
            if (!selector)
                walk(n, *it, depth + 1);
            m_path.pop_back();
        }
    }

    void checkReferences()
    {
        for (int i = 0; i < m_n; ++i) {
            const auto ui = static_cast<std::size_t>(i);
            if (m_note[ui] || m_duplicate[ui] || !node(i).data.is_object())
                continue;
            const QString &kind = m_kind[ui];
            if (kind == QLatin1String("variable-aggregator")
                || kind == QLatin1String("variable-assigner"))
                m_walkKind = WalkKind::Aggregator;
            else if (kind == QLatin1String("list-operator"))
                m_walkKind = WalkKind::ListOperator;
            else if (kind == QLatin1String("parameter-extractor"))
                m_walkKind = WalkKind::ParameterExtractor;
            else
                m_walkKind = WalkKind::Other;
            m_path.clear();
            walkObject(i, node(i).data, 0);
        }
    }

    const Workflow &m_wf;
    const NodeRegistry &m_registry;
    const int m_n;
    const AppMode m_mode;
    QList<Problem> m_problems;

    // Per node, by index in nodes().
    std::vector<QString> m_kind;
    std::vector<const NodeKindInfo *> m_info;
    std::vector<char> m_note, m_duplicate, m_badParent, m_selfLoop;
    std::vector<int> m_parent; // enclosing container's index, -1 when top level or invalid
    std::vector<std::vector<QString>> m_handles;
    std::vector<char> m_handlesDone;
    std::vector<char> m_topLevel;
    std::vector<char> m_outputsState; // 0 not computed, 1 m_outputs valid, 2 not checkable
    std::vector<std::vector<std::string>> m_outputs;
    std::unordered_map<std::string_view, int> m_idCache;
    std::vector<int> m_roots;

    QSet<QString> m_envNames, m_conversationNames;

    std::vector<int> m_succAt, m_succ, m_predAt, m_pred;

    // Strongly connected components: members of component c are
    // m_sccMembers[m_sccAt[c] .. m_sccAt[c+1]).
    std::vector<int> m_sccOf, m_sccMembers, m_sccAt;

    bool m_rowsBuilt = false;
    std::size_t m_words = 0;
    std::vector<std::uint64_t> m_rows; // per component: bit set of ancestor nodes

    int m_searchedFor = -1;
    std::vector<int> m_mark, m_queue;

    // Kind-specific selector places for the node being walked.
    enum class WalkKind { Other, Aggregator, ListOperator, ParameterExtractor };
    WalkKind m_walkKind = WalkKind::Other;
    std::vector<PathItem> m_path;
};

} // namespace

QList<Problem> Validator::validate(const Workflow &workflow)
{
    return Checker(workflow).run();
}

} // namespace flowbench::document

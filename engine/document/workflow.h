#pragma once

#include <QHash>
#include <QPointF>
#include <QSizeF>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <vector>

#include "core/result.h"

namespace flowbench::document {

using Json = nlohmann::json;

// The DSL version Flowbench writes into new documents (Dify 1.12.1's CURRENT_DSL_VERSION) and the
// newest version it knows (Dify 1.13's). Files newer than the latter load with a warning.
inline constexpr const char *kNewDocumentDslVersion = "0.5.0";
inline constexpr const char *kNewestKnownDslVersion = "0.6.0";

enum class AppMode { Workflow, AdvancedChat, Other };

// One node of the graph. `data` is Dify's `data` object verbatim (its `type` is the node
// kind); `wrapper` holds every other key of the React-Flow wrapper (position, width, parentId,
// zIndex, ... and keys we do not know) verbatim, without `id` and `data`.
struct Node
{
    QString id;
    Json data = Json::object();
    Json wrapper = Json::object();

    // `data.type`; for sticky notes (wrapper type `custom-note`, empty data.type) "custom-note".
    [[nodiscard]] QString kind() const;
    [[nodiscard]] QString title() const;
    [[nodiscard]] QPointF position() const;
    void setPosition(QPointF pos);     // updates `position` and `positionAbsolute`
    [[nodiscard]] QSizeF size() const; // `width`/`height`, 0 when absent
    // The container (iteration/loop) this node belongs to: `parentId`, else data.iteration_id /
    // data.loop_id when the node is marked as inside one. Empty for top-level nodes.
    [[nodiscard]] QString parentId() const;
    [[nodiscard]] bool isNote() const { return kind() == QLatin1String("custom-note"); }

    [[nodiscard]] Json toJson() const; // wrapper + id + data
    static Node fromJson(Json object); // object must be a JSON object
    friend bool operator==(const Node &, const Node &) = default;
};

// One edge. Dify reads `source`, `target` and `sourceHandle` (default "source"); everything
// else (targetHandle, type, zIndex, data, unknown keys) stays in `wrapper` verbatim.
struct Edge
{
    QString id;
    QString source;
    QString sourceHandle = QStringLiteral("source");
    QString target;
    Json wrapper = Json::object();
    bool hadSourceHandle = true; // written back only when it was present

    [[nodiscard]] QString targetHandle() const;
    [[nodiscard]] Json toJson() const;
    static Edge fromJson(Json object);
    friend bool operator==(const Edge &, const Edge &) = default;
};

// Canonical UI edge id: "<source>-<sourceHandle>-<target>-target".
QString makeEdgeId(const QString &source, const QString &sourceHandle, const QString &target);

// Environment or conversation variable; `value` stays JSON so every value type round-trips.
struct Variable
{
    QString name;
    QString valueType;         // string | number | secret | boolean | object | array[...]
    Json raw = Json::object(); // the whole entry verbatim (id, description, selector, value, ...)

    [[nodiscard]] Json value() const;
    [[nodiscard]] bool isSecret() const { return valueType == QLatin1String("secret"); }
    friend bool operator==(const Variable &, const Variable &) = default;
};

// A Dify-compatible workflow. Plain value type: copying it is how a run takes its snapshot.
// Every key Flowbench does not model is kept in the *Extra objects and written back, so opening
// and saving never loses data. Node and edge order is the file's order.
class Workflow
{
public:
    Workflow();

    // App info: `app` object (name, mode, icon, description, unknown keys).
    Json app = Json::object();
    QString kind = QStringLiteral("app");
    QString version = QString::fromLatin1(kNewDocumentDslVersion);
    bool hadVersion = true;
    std::vector<Variable> environmentVariables;
    std::vector<Variable> conversationVariables;
    Json flowbench = Json::object(); // workbench-only state: breakpoints, pinned outputs, profile

    // Everything else, verbatim: top level (dependencies, unknown keys), `workflow` (features,
    // rag_pipeline_variables, ...), `workflow.graph` (viewport, ...).
    Json topExtra = Json::object();
    Json workflowExtra = Json::object();
    Json graphExtra = Json::object();
    bool hadWorkflowSection = true;      // a file without `workflow:` is not silently given one
    bool hadEnvironmentVariables = true; // absent lists stay absent while empty
    bool hadConversationVariables = true;

    [[nodiscard]] QString name() const;
    void setName(const QString &name);
    [[nodiscard]] QString modeString() const;
    [[nodiscard]] AppMode mode() const;
    [[nodiscard]] QString description() const;
    [[nodiscard]] const Json &features() const;
    [[nodiscard]] Json viewport() const; // {x, y, zoom}

    // Nodes, in file order, with an id index kept in step.
    [[nodiscard]] const std::vector<Node> &nodes() const { return m_nodes; }
    [[nodiscard]] const Node *node(const QString &id) const;
    [[nodiscard]] Node *node(const QString &id);
    [[nodiscard]] int nodeIndex(const QString &id) const { return m_nodeIndex.value(id, -1); }
    void insertNode(Node node, int index = -1); // -1 appends
    bool removeNode(const QString &id);
    void setNodes(std::vector<Node> nodes);
    // Children of a container (nodes whose parentId() is `containerId`).
    [[nodiscard]] QStringList childrenOf(const QString &containerId) const;

    // Edges, in file order, with an id index kept in step (as nodes).
    [[nodiscard]] const std::vector<Edge> &edges() const { return m_edges; }
    [[nodiscard]] const Edge *edge(const QString &id) const;
    [[nodiscard]] int edgeIndex(const QString &id) const { return m_edgeIndex.value(id, -1); }
    void insertEdge(Edge edge, int index = -1);
    bool removeEdge(const QString &id);
    void setEdges(std::vector<Edge> edges);
    [[nodiscard]] std::vector<const Edge *> outgoingEdges(const QString &nodeId) const;
    [[nodiscard]] std::vector<const Edge *> incomingEdges(const QString &nodeId) const;

    // A fresh id no node (or edge) uses: Dify's millisecond-timestamp style.
    [[nodiscard]] QString uniqueNodeId() const;

    // Native JSON document (Dify DSL layout + `flowbench`).
    [[nodiscard]] Json toJson() const;
    // Builds from a parsed DSL/native document. Fails only on shapes that cannot be a workflow
    // (the root or a list of the wrong JSON type); warnings (version handling) are appended.
    static Result<Workflow> fromJson(Json root, QStringList *warnings = nullptr);

    friend bool operator==(const Workflow &a, const Workflow &b)
    {
        return a.toJson() == b.toJson();
    }

private:
    void reindexNodes();
    void reindexEdges();

    std::vector<Node> m_nodes;
    std::vector<Edge> m_edges;
    QHash<QString, int> m_nodeIndex;
    QHash<QString, int> m_edgeIndex; // the first edge with each id
};

// Dify's version rule (§1.3): "major.minor.patch" digits only.
struct DslVersion
{
    int major = 0, minor = 0, patch = 0;
    static bool parse(const QString &text, DslVersion *out);
    friend auto operator<=>(const DslVersion &, const DslVersion &) = default;
};

} // namespace flowbench::document

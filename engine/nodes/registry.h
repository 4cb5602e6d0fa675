#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <functional>
#include <vector>

namespace flowbench::nodes {

using Json = nlohmann::json;

enum class Category { Flow, Model, Logic, Transform, Tool, Knowledge, Container, Annotation };

// The type of one property in a kind's schema; the inspector picks an editor by it.
enum class PropertyType {
    String,   // one line
    Text,     // multi-line plain text
    Template, // text with {{#node.var#}} references
    Code,     // source code (language from a sibling property)
    Jinja,    // Jinja2 template source
    Bool,
    Integer,
    Number,
    Enum,     // one of `options`
    Selector, // ["node_id", "var", ...]
    SelectorList,
    Json,        // any JSON value
    List,        // list of objects, each described by `children`
    Object,      // nested object described by `children`
    Model,       // {provider, name, mode, completion_params}
    KeyValueText // multi-line "key:value" (HTTP headers, params)
};

struct PropertySchema
{
    QString key; // JSON key inside the parent object (data for top level)
    PropertyType type = PropertyType::String;
    QString label;     // translated
    QString help;      // translated
    Json defaultValue; // null when none
    bool required = false;
    QStringList options;                  // for Enum
    double minimum = 0, maximum = 0;      // both 0: unbounded
    std::vector<PropertySchema> children; // for List / Object
};

// A source handle a node offers, with its label for the canvas.
struct Handle
{
    QString id;    // "source", "true", "false", a case id, a class id, "fail-branch"
    QString label; // empty for the plain "source" handle
};

// An output variable a node writes to the pool: [node_id, name].
struct OutputVar
{
    QString name;
    QString type; // Dify segment type: string, number, object, array[string], array[file], ...
};

// One problem a kind-specific check finds in a node's data.
struct FieldProblem
{
    bool error = true; // false: warning
    QString field;     // JSON pointer relative to `data`, e.g. "/url"
    QString message;
};

// Everything Flowbench knows about one node kind (`data.type`).
struct NodeKindInfo
{
    QString kind;        // "llm", "if-else", ...
    QString displayName; // translated
    QString description; // translated, one line
    Category category = Category::Flow;
    QString icon; // Qt resource path of an SVG: ":/icons/nodes/llm.svg"
    QString wrapperType = QStringLiteral("custom"); // React-Flow wrapper `type`
    bool isContainer = false;                       // iteration, loop
    bool isContainerStart = false;                  // iteration-start, loop-start
    bool canBeAdded = true;                         // offered in the palette
    bool supportsErrorStrategy = false;
    bool supportsRetry = false;
    std::vector<PropertySchema> properties;

    // Default `data` for a new node (type, title, desc and kind-specific fields).
    std::function<Json()> defaultData;
    // Source handles, computed from the node's data (if-else cases + "false", classifier
    // classes, "fail-branch" when that error strategy is set).
    std::function<std::vector<Handle>(const Json &data)> handles;
    // Output variables, computed from data (code outputs, start variables, ...). `dynamic` is
    // set when the kind may write variables the data does not declare (tool, agent).
    std::function<std::vector<OutputVar>(const Json &data)> outputs;
    bool dynamicOutputs = false;
    // Kind-specific required-field checks.
    std::function<std::vector<FieldProblem>(const Json &data)> check;
};

// Registry of node kinds. Thread-safe after first use (built once, read-only).
class NodeRegistry
{
    Q_DECLARE_TR_FUNCTIONS(flowbench::nodes::NodeRegistry)

public:
    static const NodeRegistry &instance();

    // nullptr for kinds Flowbench does not know (plugin nodes, newer kinds): such nodes are
    // kept verbatim, drawn as "unsupported" and refused by a run.
    [[nodiscard]] const NodeKindInfo *find(const QString &kind) const;
    [[nodiscard]] const std::vector<NodeKindInfo> &kinds() const { return m_kinds; }
    [[nodiscard]] static QString categoryName(Category category);

    // Handles and outputs for any node; unknown kinds offer "source" and declare no outputs.
    [[nodiscard]] std::vector<Handle> handlesFor(const QString &kind, const Json &data) const;
    [[nodiscard]] std::vector<OutputVar> outputsFor(const QString &kind, const Json &data) const;

private:
    NodeRegistry();
    std::vector<NodeKindInfo> m_kinds;
};

} // namespace flowbench::nodes

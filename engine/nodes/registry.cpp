#include "registry.h"

#include <cstdint>
#include <exception>
#include <initializer_list>
#include <string>
#include <utility>

namespace flowbench::nodes {

namespace {

// ---- JSON access that never throws ---------------------------------------------------------
// Node data comes from user files and may have any shape: every read checks the type first.

const Json &nullJson()
{
    static const Json null;
    return null;
}

const Json &emptyArray()
{
    static const Json empty = Json::array();
    return empty;
}

// obj[key], or null when obj is not an object or has no such key.
const Json &field(const Json &obj, const char *key)
{
    if (!obj.is_object())
        return nullJson();
    const auto it = obj.find(key);
    return it == obj.end() ? nullJson() : *it;
}

// obj[key] when it is an array, else an empty array (so callers can always iterate).
const Json &arrayField(const Json &obj, const char *key)
{
    const Json &value = field(obj, key);
    return value.is_array() ? value : emptyArray();
}

QString toQString(const Json &value)
{
    if (value.is_string()) {
        const auto &s = value.get_ref<const std::string &>();
        return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
    }
    if (value.is_number_integer())
        return value.is_number_unsigned() ? QString::number(value.get<std::uint64_t>())
                                          : QString::number(value.get<std::int64_t>());
    if (value.is_number_float())
        return QString::number(value.get<double>());
    return {};
}

// obj[key] as a string; numbers are formatted (ids are sometimes numeric), anything else is "".
QString stringField(const Json &obj, const char *key)
{
    return toQString(field(obj, key));
}

bool boolField(const Json &obj, const char *key, bool fallback = false)
{
    const Json &value = field(obj, key);
    return value.is_boolean() ? value.get<bool>() : fallback;
}

bool isNonEmptyArray(const Json &value)
{
    return value.is_array() && !value.empty();
}

bool isBlankString(const Json &value)
{
    return !value.is_string() || toQString(value).trimmed().isEmpty();
}

// The error strategy a node has, "" when none (or an unknown value the engine would reject).
QString errorStrategy(const Json &data)
{
    const QString strategy = stringField(data, "error_strategy");
    if (strategy == QLatin1String("fail-branch") || strategy == QLatin1String("default-value"))
        return strategy;
    return {};
}

QString pointer(const char *key)
{
    return QStringLiteral("/") + QLatin1String(key);
}

QString pointer(const char *list, qsizetype index, const char *key)
{
    return QStringLiteral("/%1/%2/%3").arg(QLatin1String(list)).arg(index).arg(QLatin1String(key));
}

Json jsonList(std::initializer_list<Json> items)
{
    Json list = Json::array();
    for (const Json &item : items)
        list.push_back(item);
    return list;
}

Json defaultModel()
{
    return Json::object({{"provider", ""},
                         {"name", ""},
                         {"mode", "chat"},
                         {"completion_params", Json::object({{"temperature", 0.7}})}});
}

// ---- Schema builder ------------------------------------------------------------------------

class Prop
{
public:
    Prop(const char *key, PropertyType type, QString label)
    {
        m_schema.key = QLatin1String(key);
        m_schema.type = type;
        m_schema.label = std::move(label);
    }

    Prop &help(QString text)
    {
        m_schema.help = std::move(text);
        return *this;
    }
    Prop &def(Json value)
    {
        m_schema.defaultValue = std::move(value);
        return *this;
    }
    Prop &required()
    {
        m_schema.required = true;
        return *this;
    }
    Prop &options(QStringList options)
    {
        m_schema.options = std::move(options);
        return *this;
    }
    Prop &range(double minimum, double maximum)
    {
        m_schema.minimum = minimum;
        m_schema.maximum = maximum;
        return *this;
    }
    Prop &children(std::vector<PropertySchema> children)
    {
        m_schema.children = std::move(children);
        return *this;
    }

    operator PropertySchema() const { return m_schema; } // NOLINT(google-explicit-constructor)

private:
    PropertySchema m_schema;
};

QStringList words(std::initializer_list<const char *> items)
{
    QStringList list;
    for (const char *item : items)
        list.append(QString::fromUtf8(item)); // the comparison operators are not ASCII
    return list;
}

// Start input type -> segment type (Dify's inputVarTypeToVarType: anything else is a string).
QString inputVarType(const QString &inputType)
{
    if (inputType == QLatin1String("number"))
        return QStringLiteral("number");
    if (inputType == QLatin1String("checkbox"))
        return QStringLiteral("boolean");
    if (inputType == QLatin1String("file"))
        return QStringLiteral("file");
    if (inputType == QLatin1String("file-list"))
        return QStringLiteral("array[file]");
    if (inputType == QLatin1String("json_object"))
        return QStringLiteral("object");
    return QStringLiteral("string");
}

OutputVar out(const char *name, const char *type)
{
    return OutputVar{QLatin1String(name), QLatin1String(type)};
}

using HandlesFn = std::function<std::vector<Handle>(const Json &)>;
using OutputsFn = std::function<std::vector<OutputVar>(const Json &)>;
using CheckFn = std::function<std::vector<FieldProblem>(const Json &)>;

// ---- The kinds -----------------------------------------------------------------------------

// Builds every kind. A file-local class so that its tr() shares NodeRegistry's context.
class KindBuilder
{
    Q_DECLARE_TR_FUNCTIONS(flowbench::nodes::NodeRegistry)

public:
    static std::vector<NodeKindInfo> all();

private:
    static NodeKindInfo make(const char *kind, QString displayName, QString description,
                             Category category, Json extraDefaults = Json::object());

    static std::vector<Handle> plainSource(const Json &) { return {sourceHandle()}; }
    static Handle sourceHandle() { return Handle{QStringLiteral("source"), QString()}; }
    static FieldProblem error(QString field, QString message)
    {
        return FieldProblem{true, std::move(field), std::move(message)};
    }
    static FieldProblem warning(QString field, QString message)
    {
        return FieldProblem{false, std::move(field), std::move(message)};
    }
    static void checkModel(const Json &data, std::vector<FieldProblem> &problems);

    // Shared schema pieces.
    static PropertySchema modelProp();
    static PropertySchema memoryProp();
    static PropertySchema visionProp();
    static PropertySchema variablesProp(const char *key);
    static std::vector<PropertySchema> conditionChildren();
    static QStringList comparisonOperators();
    static QStringList valueTypes();
    static void addErrorHandling(NodeKindInfo &info);

    static NodeKindInfo start();
    static NodeKindInfo end();
    static NodeKindInfo answer();
    static NodeKindInfo llm();
    static NodeKindInfo ifElse();
    static NodeKindInfo code();
    static NodeKindInfo httpRequest();
    static NodeKindInfo templateTransform();
    static NodeKindInfo variableAggregator(const char *kind);
    static NodeKindInfo assigner();
    static NodeKindInfo iteration();
    static NodeKindInfo iterationStart();
    static NodeKindInfo loop();
    static NodeKindInfo loopStart();
    static NodeKindInfo loopEnd();
    static NodeKindInfo knowledgeRetrieval();
    static NodeKindInfo questionClassifier();
    static NodeKindInfo parameterExtractor();
    static NodeKindInfo tool();
    static NodeKindInfo agent();
    static NodeKindInfo listOperator();
    static NodeKindInfo documentExtractor();
    static NodeKindInfo note();

    static void finish(NodeKindInfo &info);
};

NodeKindInfo KindBuilder::make(const char *kind, QString displayName, QString description,
                               Category category, Json extraDefaults)
{
    NodeKindInfo info;
    info.kind = QLatin1String(kind);
    info.displayName = std::move(displayName);
    info.description = std::move(description);
    info.category = category;
    info.icon = QStringLiteral(":/icons/nodes/%1.svg").arg(info.kind);

    Json defaults
        = Json::object({{"type", kind}, {"title", info.displayName.toStdString()}, {"desc", ""}});
    if (extraDefaults.is_object()) {
        for (auto it = extraDefaults.begin(); it != extraDefaults.end(); ++it)
            defaults[it.key()] = it.value();
    }
    info.defaultData = [defaults] { return defaults; };
    info.handles = &KindBuilder::plainSource;
    info.outputs = [](const Json &) { return std::vector<OutputVar>(); };
    info.check = [](const Json &) { return std::vector<FieldProblem>(); };
    return info;
}

void KindBuilder::checkModel(const Json &data, std::vector<FieldProblem> &problems)
{
    if (isBlankString(field(field(data, "model"), "name"))) {
        problems.push_back(
            warning(QStringLiteral("/model/name"),
                    tr("no model set: the endpoint profile's default model is used")));
    }
}

PropertySchema KindBuilder::modelProp()
{
    return Prop("model", PropertyType::Model, tr("Model"))
        .def(defaultModel())
        .help(tr("Provider, model name, mode (chat or completion) and completion parameters. "
                 "An empty name uses the endpoint profile's default model."));
}

PropertySchema KindBuilder::memoryProp()
{
    return Prop("memory", PropertyType::Object, tr("Memory"))
        .help(tr("Chatflow only: how much of the conversation history the model sees."))
        .children({
            Prop("window", PropertyType::Object, tr("Window"))
                .children({
                    Prop("enabled", PropertyType::Bool, tr("Limit history")).def(false),
                    Prop("size", PropertyType::Integer, tr("Messages")).def(50).range(1, 100),
                }),
            Prop("role_prefix", PropertyType::Object, tr("Role prefixes"))
                .help(tr("Completion models only."))
                .children({
                    Prop("user", PropertyType::String, tr("User")).def("Human"),
                    Prop("assistant", PropertyType::String, tr("Assistant")).def("Assistant"),
                }),
            Prop("query_prompt_template", PropertyType::Template, tr("Query template"))
                .def("{{#sys.query#}}\n\n{{#sys.files#}}"),
        });
}

PropertySchema KindBuilder::visionProp()
{
    return Prop("vision", PropertyType::Object, tr("Vision"))
        .help(tr("Send image files to models that accept them."))
        .children({
            Prop("enabled", PropertyType::Bool, tr("Enabled")).def(false),
            Prop("configs", PropertyType::Object, tr("Settings"))
                .children({
                    Prop("variable_selector", PropertyType::Selector, tr("Files"))
                        .def(jsonList({"sys", "files"})),
                    Prop("detail", PropertyType::Enum, tr("Detail"))
                        .options(words({"high", "low"}))
                        .def("high"),
                }),
        });
}

PropertySchema KindBuilder::variablesProp(const char *key)
{
    return Prop(key, PropertyType::List, tr("Input variables"))
        .def(Json::array())
        .help(tr("Names the code or template sees, each bound to a variable of the workflow."))
        .children({
            Prop("variable", PropertyType::String, tr("Name")).required(),
            Prop("value_selector", PropertyType::Selector, tr("Value")),
        });
}

QStringList KindBuilder::comparisonOperators()
{
    return words({"contains",   "not contains",
                  "start with", "end with",
                  "is",         "is not",
                  "empty",      "not empty",
                  "in",         "not in",
                  "all of",     "=",
                  "≠",          ">",
                  "<",          "≥",
                  "≤",          "null",
                  "not null",   "exists",
                  "not exists"});
}

QStringList KindBuilder::valueTypes()
{
    return words({"string", "number", "object", "boolean", "array[string]", "array[number]",
                  "array[object]", "array[boolean]"});
}

std::vector<PropertySchema> KindBuilder::conditionChildren()
{
    return {
        Prop("variable_selector", PropertyType::Selector, tr("Variable")).required(),
        Prop("comparison_operator", PropertyType::Enum, tr("Operator"))
            .options(comparisonOperators())
            .def("contains"),
        Prop("value", PropertyType::Json, tr("Value"))
            .help(tr("A string (may contain {{#node.var#}} references), a number, a boolean or "
                     "a list for 'in', 'not in' and 'all of'.")),
        Prop("varType", PropertyType::String, tr("Variable type")),
    };
}

// Error strategy and retry settings for the kinds whose panels offer them.
void KindBuilder::addErrorHandling(NodeKindInfo &info)
{
    if (info.supportsRetry) {
        info.properties.push_back(
            Prop("retry_config", PropertyType::Object, tr("Retry on failure"))
                .children({
                    Prop("retry_enabled", PropertyType::Bool, tr("Enabled")).def(false),
                    Prop("max_retries", PropertyType::Integer, tr("Max retries"))
                        .def(3)
                        .range(1, 10),
                    Prop("retry_interval", PropertyType::Integer, tr("Interval (ms)"))
                        .def(1000)
                        .range(100, 5000),
                }));
    }
    if (info.supportsErrorStrategy) {
        info.properties.push_back(
            Prop("error_strategy", PropertyType::Enum, tr("On error"))
                .options(words({"", "fail-branch", "default-value"}))
                .help(tr("Empty: the run fails (the key is removed from the data). "
                         "fail-branch: follow the FAIL handle. default-value: continue with "
                         "the default values.")));
        info.properties.push_back(
            Prop("default_value", PropertyType::List, tr("Default values"))
                .help(tr("Outputs used when the node fails and the strategy is "
                         "default-value."))
                .children({
                    Prop("key", PropertyType::String, tr("Output")).required(),
                    Prop("type", PropertyType::Enum, tr("Type"))
                        .options(words({"string", "number", "object", "array[number]",
                                        "array[string]", "array[object]", "array[file]"}))
                        .def("string"),
                    Prop("value", PropertyType::Json, tr("Value")),
                }));
    }
}

// Adds what every kind shares: the FAIL handle and the error outputs when an error strategy is
// set, and a guard so that odd data can never throw out of a kind's functions.
void KindBuilder::finish(NodeKindInfo &info)
{
    addErrorHandling(info);

    const bool isNote = info.kind == QLatin1String("custom-note");
    HandlesFn handles = std::move(info.handles);
    info.handles = [handles, isNote](const Json &data) -> std::vector<Handle> {
        try {
            std::vector<Handle> result = handles(data);
            if (!isNote && errorStrategy(data) == QLatin1String("fail-branch"))
                result.push_back(Handle{QStringLiteral("fail-branch"), tr("FAIL")});
            return result;
        } catch (const std::exception &) {
            return {sourceHandle()};
        }
    };

    OutputsFn outputs = std::move(info.outputs);
    info.outputs = [outputs, isNote](const Json &data) -> std::vector<OutputVar> {
        try {
            std::vector<OutputVar> result = outputs(data);
            if (!isNote && !errorStrategy(data).isEmpty()) {
                result.push_back(out("error_message", "string"));
                result.push_back(out("error_type", "string"));
            }
            return result;
        } catch (const std::exception &) {
            return {};
        }
    };

    CheckFn check = std::move(info.check);
    info.check = [check](const Json &data) -> std::vector<FieldProblem> {
        try {
            return check(data);
        } catch (const std::exception &) {
            return {FieldProblem{true, QString(), tr("The node's data cannot be checked.")}};
        }
    };
}

// ---- start / end / answer ------------------------------------------------------------------

NodeKindInfo KindBuilder::start()
{
    NodeKindInfo info = make("start", tr("Start"), tr("Defines the inputs a run starts with"),
                             Category::Flow, Json::object({{"variables", Json::array()}}));
    info.properties = {
        Prop("variables", PropertyType::List, tr("Input fields"))
            .def(Json::array())
            .children({
                Prop("variable", PropertyType::String, tr("Variable name")).required(),
                Prop("label", PropertyType::String, tr("Label")),
                Prop("type", PropertyType::Enum, tr("Type"))
                    .options(words({"text-input", "paragraph", "select", "number", "checkbox",
                                    "file", "file-list", "json_object", "external_data_tool"}))
                    .def("text-input"),
                Prop("required", PropertyType::Bool, tr("Required")).def(true),
                Prop("max_length", PropertyType::Integer, tr("Max length")).def(48),
                Prop("options", PropertyType::Json, tr("Options"))
                    .help(tr("The choices of a select field: a list of strings.")),
                Prop("default", PropertyType::Json, tr("Default value")),
                Prop("hide", PropertyType::Bool, tr("Hidden")).def(false),
                Prop("description", PropertyType::Text, tr("Description")),
                Prop("allowed_file_types", PropertyType::Json, tr("Allowed file types"))
                    .help(tr("image, document, audio, video, custom")),
                Prop("allowed_file_extensions", PropertyType::Json, tr("Allowed file extensions")),
                Prop("allowed_file_upload_methods", PropertyType::Json, tr("Upload methods"))
                    .help(tr("local_file, remote_url")),
                Prop("json_schema", PropertyType::Json, tr("JSON schema"))
                    .help(tr("Draft 7 schema a json_object input is checked against.")),
            }),
    };
    info.outputs = [](const Json &data) {
        std::vector<OutputVar> result;
        for (const Json &variable : arrayField(data, "variables")) {
            const QString name = stringField(variable, "variable");
            if (!name.isEmpty())
                result.push_back(OutputVar{name, inputVarType(stringField(variable, "type"))});
        }
        return result;
    };
    info.check = [](const Json &data) {
        std::vector<FieldProblem> problems;
        const Json &variables = arrayField(data, "variables");
        for (std::size_t i = 0; i < variables.size(); ++i) {
            if (stringField(variables[i], "variable").isEmpty()) {
                problems.push_back(error(pointer("variables", qsizetype(i), "variable"),
                                         tr("An input field has no variable name.")));
            }
        }
        return problems;
    };
    return info;
}

NodeKindInfo KindBuilder::end()
{
    NodeKindInfo info = make("end", tr("End"), tr("Defines the outputs of a workflow run"),
                             Category::Flow, Json::object({{"outputs", Json::array()}}));
    info.properties = {
        Prop("outputs", PropertyType::List, tr("Output variables"))
            .def(Json::array())
            .children({
                Prop("variable", PropertyType::String, tr("Name")).required(),
                Prop("value_selector", PropertyType::Selector, tr("Value")),
                Prop("value_type", PropertyType::Enum, tr("Type"))
                    .options(
                        words({"any", "string", "number", "integer", "secret", "boolean", "object",
                               "file", "array", "array[string]", "array[number]", "array[object]",
                               "array[boolean]", "array[file]", "array[any]"}))
                    .def("any"),
            }),
    };
    info.handles = [](const Json &) { return std::vector<Handle>(); };
    info.check = [](const Json &data) {
        std::vector<FieldProblem> problems;
        const Json &outputs = arrayField(data, "outputs");
        for (std::size_t i = 0; i < outputs.size(); ++i) {
            if (isBlankString(field(outputs[i], "variable"))) {
                problems.push_back(error(pointer("outputs", qsizetype(i), "variable"),
                                         tr("An output has no variable name.")));
            }
        }
        return problems;
    };
    return info;
}

NodeKindInfo KindBuilder::answer()
{
    NodeKindInfo info
        = make("answer", tr("Answer"), tr("Streams a reply to the user in a chat"), Category::Flow,
               Json::object({{"answer", ""}, {"variables", Json::array()}}));
    info.properties = {
        Prop("answer", PropertyType::Template, tr("Reply"))
            .def("")
            .help(tr("Text with {{#node.var#}} references; values are shown in their "
                     "Markdown form.")),
    };
    info.outputs = [](const Json &) {
        return std::vector<OutputVar>{out("answer", "string"), out("files", "array[file]")};
    };
    info.check = [](const Json &data) {
        std::vector<FieldProblem> problems;
        if (isBlankString(field(data, "answer")))
            problems.push_back(warning(pointer("answer"), tr("The reply is empty.")));
        return problems;
    };
    return info;
}

// ---- llm -----------------------------------------------------------------------------------

NodeKindInfo KindBuilder::llm()
{
    NodeKindInfo info = make(
        "llm", tr("LLM"), tr("Calls a large language model with a prompt"), Category::Model,
        Json::object(
            {{"model", defaultModel()},
             {"prompt_template", jsonList({Json::object({{"role", "system"}, {"text", ""}})})},
             {"context", Json::object({{"enabled", false}, {"variable_selector", Json::array()}})},
             {"vision", Json::object({{"enabled", false}})}}));
    info.supportsErrorStrategy = true;
    info.supportsRetry = true;
    info.properties = {
        modelProp(),
        Prop("prompt_template", PropertyType::List, tr("Prompt"))
            .required()
            .help(tr("Chat models: a list of messages. Completion models: one object with "
                     "the prompt text."))
            .children({
                Prop("role", PropertyType::Enum, tr("Role"))
                    .options(words({"system", "user", "assistant"}))
                    .def("system"),
                Prop("text", PropertyType::Template, tr("Text")).def(""),
                Prop("edition_type", PropertyType::Enum, tr("Editor"))
                    .options(words({"basic", "jinja2"}))
                    .def("basic"),
                Prop("jinja2_text", PropertyType::Jinja, tr("Jinja2 text")),
            }),
        Prop("prompt_config", PropertyType::Object, tr("Jinja2 variables"))
            .children({
                variablesProp("jinja2_variables"),
            }),
        Prop("context", PropertyType::Object, tr("Context"))
            .help(tr("A value put where {{#context#}} appears in the prompt, usually a "
                     "knowledge retrieval result."))
            .children({
                Prop("enabled", PropertyType::Bool, tr("Enabled")).def(false),
                Prop("variable_selector", PropertyType::Selector, tr("Variable")),
            }),
        memoryProp(),
        visionProp(),
        Prop("structured_output_enabled", PropertyType::Bool, tr("Structured output")).def(false),
        Prop("structured_output", PropertyType::Json, tr("Output schema"))
            .help(tr("{\"schema\": <JSON schema>}; used when structured output is enabled.")),
        Prop("reasoning_format", PropertyType::Enum, tr("Reasoning format"))
            .options(words({"tagged", "separated"}))
            .def("tagged")
            .help(tr("tagged keeps <think> blocks in the text; separated moves them to "
                     "reasoning_content.")),
    };
    info.outputs = [](const Json &data) {
        std::vector<OutputVar> result{out("text", "string"), out("reasoning_content", "string"),
                                      out("usage", "object"), out("finish_reason", "string")};
        if (boolField(data, "structured_output_enabled")
            || boolField(data, "structured_output_switch_on")) {
            result.push_back(out("structured_output", "object"));
        }
        return result;
    };
    info.check = [](const Json &data) {
        std::vector<FieldProblem> problems;
        checkModel(data, problems);
        const Json &prompt = field(data, "prompt_template");
        if (!(isNonEmptyArray(prompt) || prompt.is_object())) {
            problems.push_back(error(pointer("prompt_template"), tr("The prompt is missing.")));
        }
        return problems;
    };
    return info;
}

// ---- if-else -------------------------------------------------------------------------------

NodeKindInfo KindBuilder::ifElse()
{
    NodeKindInfo info = make("if-else", tr("IF/ELSE"),
                             tr("Branches on conditions: IF, ELIF and ELSE"), Category::Logic,
                             Json::object({{"cases", jsonList({Json::object({
                                                         {"case_id", "true"},
                                                         {"id", "true"},
                                                         {"logical_operator", "and"},
                                                         {"conditions", Json::array()},
                                                     })})}}));
    info.properties = {
        Prop("cases", PropertyType::List, tr("Cases"))
            .help(tr("Tried in order; the first true case picks its handle, ELSE when none "
                     "is true. A case without conditions is true."))
            .children({
                Prop("case_id", PropertyType::String, tr("Case id")),
                Prop("logical_operator", PropertyType::Enum, tr("Combine with"))
                    .options(words({"and", "or"}))
                    .def("and"),
                Prop("conditions", PropertyType::List, tr("Conditions"))
                    .def(Json::array())
                    .children(conditionChildren()),
            }),
    };
    info.handles = [](const Json &data) {
        std::vector<Handle> handles;
        const Json &cases = arrayField(data, "cases");
        if (cases.empty()) {
            // Legacy shape: top-level conditions, one case "true".
            handles.push_back(Handle{QStringLiteral("true"), tr("IF")});
        } else {
            for (const Json &c : cases) {
                QString id = stringField(c, "case_id");
                if (id.isEmpty())
                    id = stringField(c, "id");
                if (id.isEmpty())
                    continue;
                handles.push_back(Handle{id, handles.empty() ? tr("IF") : tr("ELIF")});
            }
        }
        handles.push_back(Handle{QStringLiteral("false"), tr("ELSE")});
        return handles;
    };
    info.outputs = [](const Json &) {
        return std::vector<OutputVar>{out("result", "boolean"), out("selected_case_id", "string")};
    };
    return info;
}

// ---- code ----------------------------------------------------------------------------------

NodeKindInfo KindBuilder::code()
{
    const char *source = "def main() -> dict:\n"
                         "    return {\n"
                         "        \"result\": \"\",\n"
                         "    }\n";
    const Json defaultOutputs
        = Json::object({{"result", Json::object({{"type", "string"}, {"children", nullptr}})}});
    NodeKindInfo info
        = make("code", tr("Code"), tr("Runs Python or JavaScript code"), Category::Transform,
               Json::object({{"code_language", "python3"},
                             {"code", source},
                             {"variables", Json::array()},
                             {"outputs", defaultOutputs}}));
    info.supportsErrorStrategy = true;
    info.supportsRetry = true;
    info.properties = {
        Prop("code_language", PropertyType::Enum, tr("Language"))
            .options(words({"python3", "javascript"}))
            .def("python3")
            .required(),
        variablesProp("variables"),
        Prop("code", PropertyType::Code, tr("Code"))
            .required()
            .def(source)
            .help(tr("Defines main(...), called with the input variables as keyword "
                     "arguments; it returns a dict with exactly the declared outputs.")),
        Prop("outputs", PropertyType::Json, tr("Output variables"))
            .def(defaultOutputs)
            .help(tr("{name: {type, children}}; type is string, number, object, boolean, "
                     "array[string], array[number], array[object] or array[boolean].")),
        Prop("dependencies", PropertyType::Json, tr("Dependencies"))
            .help(tr("Optional list of {name, version} packages for the sandbox.")),
    };
    info.outputs = [](const Json &data) {
        std::vector<OutputVar> result;
        const Json &outputs = field(data, "outputs");
        if (!outputs.is_object())
            return result;
        for (auto it = outputs.begin(); it != outputs.end(); ++it) {
            QString type = stringField(it.value(), "type");
            if (type.isEmpty())
                type = QStringLiteral("any");
            result.push_back(OutputVar{QString::fromStdString(it.key()), type});
        }
        return result;
    };
    info.check = [](const Json &data) {
        std::vector<FieldProblem> problems;
        if (isBlankString(field(data, "code")))
            problems.push_back(error(pointer("code"), tr("The code is missing.")));
        const QString language = stringField(data, "code_language");
        if (language != QLatin1String("python3") && language != QLatin1String("javascript")) {
            problems.push_back(
                error(pointer("code_language"),
                      language.isEmpty()
                          ? tr("The code language is missing.")
                          : tr("Unsupported code language \"%1\": use python3 or javascript.")
                                .arg(language)));
        }
        return problems;
    };
    return info;
}

// ---- http-request --------------------------------------------------------------------------

NodeKindInfo KindBuilder::httpRequest()
{
    NodeKindInfo info = make(
        "http-request", tr("HTTP Request"), tr("Sends an HTTP request"), Category::Tool,
        Json::object({{"variables", Json::array()},
                      {"method", "get"},
                      {"url", ""},
                      {"authorization", Json::object({{"type", "no-auth"}, {"config", nullptr}})},
                      {"headers", ""},
                      {"params", ""},
                      {"body", Json::object({{"type", "none"}, {"data", Json::array()}})},
                      {"ssl_verify", true},
                      {"timeout", Json::object({{"max_connect_timeout", 0},
                                                {"max_read_timeout", 0},
                                                {"max_write_timeout", 0}})},
                      {"retry_config", Json::object({{"retry_enabled", true},
                                                     {"max_retries", 3},
                                                     {"retry_interval", 100}})}}));
    info.supportsErrorStrategy = true;
    info.supportsRetry = true;
    info.properties = {
        Prop("method", PropertyType::Enum, tr("Method"))
            .options(words({"get", "post", "put", "patch", "delete", "head", "options"}))
            .def("get"),
        Prop("url", PropertyType::Template, tr("URL")).required().def(""),
        Prop("authorization", PropertyType::Object, tr("Authorization"))
            .children({
                Prop("type", PropertyType::Enum, tr("Type"))
                    .options(words({"no-auth", "api-key"}))
                    .def("no-auth"),
                Prop("config", PropertyType::Object, tr("API key"))
                    .children({
                        Prop("type", PropertyType::Enum, tr("Scheme"))
                            .options(words({"basic", "bearer", "custom"}))
                            .def("bearer"),
                        Prop("api_key", PropertyType::String, tr("Key")),
                        Prop("header", PropertyType::String, tr("Header"))
                            .help(tr("Header name for the custom scheme.")),
                    }),
            }),
        Prop("headers", PropertyType::KeyValueText, tr("Headers")).def(""),
        Prop("params", PropertyType::KeyValueText, tr("Query parameters")).def(""),
        Prop("body", PropertyType::Object, tr("Body"))
            .children({
                Prop("type", PropertyType::Enum, tr("Type"))
                    .options(words({"none", "form-data", "x-www-form-urlencoded", "raw-text",
                                    "json", "binary"}))
                    .def("none"),
                Prop("data", PropertyType::List, tr("Content"))
                    .def(Json::array())
                    .children({
                        Prop("key", PropertyType::String, tr("Key")),
                        Prop("type", PropertyType::Enum, tr("Type"))
                            .options(words({"text", "file"}))
                            .def("text"),
                        Prop("value", PropertyType::Template, tr("Value")),
                        Prop("file", PropertyType::Selector, tr("File")),
                    }),
            }),
        Prop("timeout", PropertyType::Object, tr("Timeouts"))
            .help(tr("Seconds; empty or 0 uses the maximum."))
            .children({
                Prop("connect", PropertyType::Integer, tr("Connect")).range(0, 10),
                Prop("read", PropertyType::Integer, tr("Read")).range(0, 600),
                Prop("write", PropertyType::Integer, tr("Write")).range(0, 600),
            }),
        Prop("ssl_verify", PropertyType::Bool, tr("Verify TLS certificates")).def(true),
    };
    info.outputs = [](const Json &) {
        return std::vector<OutputVar>{out("status_code", "number"), out("body", "string"),
                                      out("headers", "object"), out("files", "array[file]")};
    };
    info.check = [](const Json &data) {
        std::vector<FieldProblem> problems;
        if (isBlankString(field(data, "url")))
            problems.push_back(error(pointer("url"), tr("URL is required")));
        return problems;
    };
    return info;
}

// ---- template-transform --------------------------------------------------------------------

NodeKindInfo KindBuilder::templateTransform()
{
    NodeKindInfo info
        = make("template-transform", tr("Template"), tr("Renders a Jinja2 template into text"),
               Category::Transform, Json::object({{"template", ""}, {"variables", Json::array()}}));
    info.properties = {
        variablesProp("variables"),
        Prop("template", PropertyType::Jinja, tr("Template")).def(""),
    };
    info.outputs = [](const Json &) { return std::vector<OutputVar>{out("output", "string")}; };
    info.check = [](const Json &data) {
        std::vector<FieldProblem> problems;
        if (isBlankString(field(data, "template")))
            problems.push_back(warning(pointer("template"), tr("The template is empty.")));
        return problems;
    };
    return info;
}

// ---- variable-aggregator (and its legacy name variable-assigner) ---------------------------

NodeKindInfo KindBuilder::variableAggregator(const char *kind)
{
    NodeKindInfo info = make(
        kind, tr("Variable Aggregator"), tr("Merges the variables of several branches into one"),
        Category::Logic, Json::object({{"output_type", "any"}, {"variables", Json::array()}}));
    const QStringList types
        = words({"any", "string", "number", "object", "boolean", "file", "array[string]",
                 "array[number]", "array[object]", "array[boolean]", "array[file]", "array[any]"});
    info.properties = {
        Prop("output_type", PropertyType::Enum, tr("Output type")).options(types).def("any"),
        Prop("variables", PropertyType::SelectorList, tr("Variables"))
            .def(Json::array())
            .help(tr("The output is the first of these that exists, in list order.")),
        Prop("advanced_settings", PropertyType::Object, tr("Groups"))
            .children({
                Prop("group_enabled", PropertyType::Bool, tr("Aggregate in groups")).def(false),
                Prop("groups", PropertyType::List, tr("Groups"))
                    .def(Json::array())
                    .children({
                        Prop("group_name", PropertyType::String, tr("Name")).required(),
                        Prop("groupId", PropertyType::String, tr("Id")),
                        Prop("output_type", PropertyType::Enum, tr("Output type"))
                            .options(types)
                            .def("any"),
                        Prop("variables", PropertyType::SelectorList, tr("Variables"))
                            .def(Json::array()),
                    }),
            }),
    };
    info.outputs = [](const Json &data) {
        std::vector<OutputVar> result;
        const Json &advanced = field(data, "advanced_settings");
        if (boolField(advanced, "group_enabled")) {
            for (const Json &group : arrayField(advanced, "groups")) {
                const QString name = stringField(group, "group_name");
                if (!name.isEmpty())
                    result.push_back(OutputVar{name, QStringLiteral("object")});
            }
            return result;
        }
        QString type = stringField(data, "output_type");
        if (type.isEmpty())
            type = QStringLiteral("any");
        result.push_back(OutputVar{QStringLiteral("output"), type});
        return result;
    };
    return info;
}

// ---- assigner ------------------------------------------------------------------------------

NodeKindInfo KindBuilder::assigner()
{
    NodeKindInfo info = make("assigner", tr("Variable Assigner"),
                             tr("Writes values to conversation or loop variables"), Category::Logic,
                             Json::object({{"version", "2"}, {"items", Json::array()}}));
    info.properties = {
        Prop("items", PropertyType::List, tr("Assignments"))
            .def(Json::array())
            .children({
                Prop("variable_selector", PropertyType::Selector, tr("Variable")).required(),
                Prop("operation", PropertyType::Enum, tr("Operation"))
                    .options(words({"over-write", "clear", "append", "extend", "set",
                                    "+=", "-=", "*=", "/=", "remove-first", "remove-last"}))
                    .def("over-write"),
                Prop("input_type", PropertyType::Enum, tr("Input"))
                    .options(words({"variable", "constant"}))
                    .def("variable"),
                Prop("value", PropertyType::Json, tr("Value"))
                    .help(tr("A selector for a variable input, a literal for a constant.")),
            }),
    };
    return info;
}

// ---- iteration / loop ----------------------------------------------------------------------

NodeKindInfo KindBuilder::iteration()
{
    NodeKindInfo info = make("iteration", tr("Iteration"),
                             tr("Runs its body once for each item of a list"), Category::Container,
                             Json::object({{"start_node_id", ""},
                                           {"iterator_selector", Json::array()},
                                           {"output_selector", Json::array()},
                                           {"is_parallel", false},
                                           {"parallel_nums", 10},
                                           {"error_handle_mode", "terminated"},
                                           {"flatten_output", true}}));
    info.isContainer = true;
    info.properties = {
        Prop("iterator_selector", PropertyType::Selector, tr("Input list"))
            .required()
            .help(tr("An array variable; the body reads [iteration, item] and "
                     "[iteration, index].")),
        Prop("output_selector", PropertyType::Selector, tr("Output variable"))
            .required()
            .help(tr("A variable inside the body, collected from every iteration.")),
        Prop("output_type", PropertyType::Enum, tr("Output type"))
            .options(words({"array[string]", "array[number]", "array[object]", "array[boolean]",
                            "array[file]", "array[any]"}))
            .def("array[string]"),
        Prop("is_parallel", PropertyType::Bool, tr("Parallel")).def(false),
        Prop("parallel_nums", PropertyType::Integer, tr("Max parallel")).def(10).range(1, 10),
        Prop("error_handle_mode", PropertyType::Enum, tr("On item error"))
            .options(words({"terminated", "continue-on-error", "remove-abnormal-output"}))
            .def("terminated"),
        Prop("flatten_output", PropertyType::Bool, tr("Flatten output"))
            .def(true)
            .help(tr("Join the lists when every iteration outputs a list.")),
    };
    info.outputs = [](const Json &data) {
        QString type = stringField(data, "output_type");
        if (type.isEmpty())
            type = QStringLiteral("array[string]");
        // item and index are readable inside the body only, as [iteration_id, item/index].
        return std::vector<OutputVar>{OutputVar{QStringLiteral("output"), type}, out("item", "any"),
                                      out("index", "number")};
    };
    info.check = [](const Json &data) {
        std::vector<FieldProblem> problems;
        if (!isNonEmptyArray(field(data, "iterator_selector"))) {
            problems.push_back(
                error(pointer("iterator_selector"), tr("The input list is not set.")));
        }
        if (!isNonEmptyArray(field(data, "output_selector"))) {
            problems.push_back(
                error(pointer("output_selector"), tr("The output variable is not set.")));
        }
        return problems;
    };
    return info;
}

NodeKindInfo KindBuilder::iterationStart()
{
    NodeKindInfo info = make("iteration-start", tr("Iteration Start"),
                             tr("Where the body of an iteration starts"), Category::Container);
    info.wrapperType = QStringLiteral("custom-iteration-start");
    info.isContainerStart = true;
    info.canBeAdded = false;
    return info;
}

NodeKindInfo KindBuilder::loop()
{
    NodeKindInfo info = make("loop", tr("Loop"), tr("Runs its body until a break condition holds"),
                             Category::Container,
                             Json::object({{"start_node_id", ""},
                                           {"loop_count", 10},
                                           {"break_conditions", Json::array()},
                                           {"logical_operator", "and"},
                                           {"loop_variables", Json::array()}}));
    info.isContainer = true;
    info.properties = {
        Prop("loop_variables", PropertyType::List, tr("Loop variables"))
            .def(Json::array())
            .help(tr("Readable and writable in the body as [loop, label]."))
            .children({
                Prop("label", PropertyType::String, tr("Name")).required(),
                Prop("var_type", PropertyType::Enum, tr("Type"))
                    .options(valueTypes())
                    .def("string"),
                Prop("value_type", PropertyType::Enum, tr("Initial value from"))
                    .options(words({"constant", "variable"}))
                    .def("constant"),
                Prop("value", PropertyType::Json, tr("Initial value")),
            }),
        Prop("break_conditions", PropertyType::List, tr("Break conditions"))
            .def(Json::array())
            .help(tr("Checked before the first round and after every round."))
            .children(conditionChildren()),
        Prop("logical_operator", PropertyType::Enum, tr("Combine with"))
            .options(words({"and", "or"}))
            .def("and"),
        Prop("loop_count", PropertyType::Integer, tr("Max rounds"))
            .def(10)
            .range(1, 100)
            .required(),
    };
    info.outputs = [](const Json &data) {
        std::vector<OutputVar> result{out("loop_round", "number")};
        for (const Json &variable : arrayField(data, "loop_variables")) {
            const QString label = stringField(variable, "label");
            if (label.isEmpty())
                continue;
            QString type = stringField(variable, "var_type");
            if (type.isEmpty())
                type = QStringLiteral("any");
            result.push_back(OutputVar{label, type});
        }
        return result;
    };
    info.check = [](const Json &data) {
        std::vector<FieldProblem> problems;
        const Json &count = field(data, "loop_count");
        if (!count.is_number() || count.get<double>() < 1 || count.get<double>() > 100) {
            problems.push_back(error(pointer("loop_count"),
                                     tr("The number of rounds must be between 1 and 100.")));
        }
        return problems;
    };
    return info;
}

NodeKindInfo KindBuilder::loopStart()
{
    NodeKindInfo info = make("loop-start", tr("Loop Start"), tr("Where the body of a loop starts"),
                             Category::Container);
    info.wrapperType = QStringLiteral("custom-loop-start");
    info.isContainerStart = true;
    info.canBeAdded = false;
    return info;
}

NodeKindInfo KindBuilder::loopEnd()
{
    NodeKindInfo info
        = make("loop-end", tr("Exit Loop"), tr("Stops the loop it is in"), Category::Container);
    info.wrapperType = QStringLiteral("custom-simple");
    info.handles = [](const Json &) { return std::vector<Handle>(); };
    return info;
}

// ---- knowledge-retrieval -------------------------------------------------------------------

NodeKindInfo KindBuilder::knowledgeRetrieval()
{
    NodeKindInfo info
        = make("knowledge-retrieval", tr("Knowledge Retrieval"),
               tr("Retrieves passages from knowledge bases"), Category::Knowledge,
               Json::object({{"query_variable_selector", Json::array()},
                             {"query_attachment_selector", Json::array()},
                             {"dataset_ids", Json::array()},
                             {"retrieval_mode", "multiple"},
                             {"multiple_retrieval_config",
                              Json::object({{"top_k", 4}, {"reranking_enable", false}})}}));
    info.properties = {
        Prop("query_variable_selector", PropertyType::Selector, tr("Query")),
        Prop("query_attachment_selector", PropertyType::Selector, tr("Query attachments")),
        Prop("dataset_ids", PropertyType::Json, tr("Knowledge bases"))
            .def(Json::array())
            .help(tr("A list of dataset ids.")),
        Prop("retrieval_mode", PropertyType::Enum, tr("Retrieval mode"))
            .options(words({"single", "multiple"}))
            .def("multiple"),
        Prop("multiple_retrieval_config", PropertyType::Object, tr("Multi-path retrieval"))
            .children({
                Prop("top_k", PropertyType::Integer, tr("Top K")).def(4).range(1, 10),
                Prop("score_threshold", PropertyType::Number, tr("Score threshold")).range(0, 1),
                Prop("reranking_enable", PropertyType::Bool, tr("Rerank")).def(false),
                Prop("reranking_mode", PropertyType::Enum, tr("Rerank mode"))
                    .options(words({"reranking_model", "weighted_score"})),
                Prop("reranking_model", PropertyType::Object, tr("Rerank model"))
                    .children({
                        Prop("provider", PropertyType::String, tr("Provider")),
                        Prop("model", PropertyType::String, tr("Model")),
                    }),
                Prop("weights", PropertyType::Json, tr("Weights")),
            }),
        Prop("single_retrieval_config", PropertyType::Object, tr("Single-path retrieval"))
            .children({modelProp()}),
        Prop("metadata_filtering_mode", PropertyType::Enum, tr("Metadata filtering"))
            .options(words({"disabled", "automatic", "manual"}))
            .def("disabled"),
        Prop("metadata_model_config", PropertyType::Model, tr("Metadata filter model")),
        Prop("metadata_filtering_conditions", PropertyType::Json, tr("Metadata conditions"))
            .help(tr("{logical_operator, conditions: [{name, comparison_operator, value}]}")),
        visionProp(),
    };
    info.outputs
        = [](const Json &) { return std::vector<OutputVar>{out("result", "array[object]")}; };
    info.check = [](const Json &data) {
        std::vector<FieldProblem> problems;
        if (!isNonEmptyArray(field(data, "dataset_ids"))) {
            problems.push_back(
                warning(pointer("dataset_ids"), tr("No knowledge base is selected.")));
        }
        return problems;
    };
    return info;
}

// ---- question-classifier / parameter-extractor ---------------------------------------------

NodeKindInfo KindBuilder::questionClassifier()
{
    NodeKindInfo info
        = make("question-classifier", tr("Question Classifier"),
               tr("Lets a model route the question to one of several classes"), Category::Model,
               Json::object({{"query_variable_selector", Json::array()},
                             {"model", defaultModel()},
                             {"classes", jsonList({Json::object({{"id", "1"}, {"name", ""}}),
                                                   Json::object({{"id", "2"}, {"name", ""}})})},
                             {"instruction", ""},
                             {"vision", Json::object({{"enabled", false}})}}));
    info.supportsErrorStrategy = true;
    info.properties = {
        Prop("query_variable_selector", PropertyType::Selector, tr("Input")).required(),
        modelProp(),
        Prop("classes", PropertyType::List, tr("Classes"))
            .required()
            .help(tr("Each class has its own handle; the first class is chosen when the "
                     "model's answer cannot be parsed."))
            .children({
                Prop("id", PropertyType::String, tr("Id")),
                Prop("name", PropertyType::Text, tr("Topic")),
                Prop("label", PropertyType::String, tr("Label")),
            }),
        Prop("instruction", PropertyType::Template, tr("Instructions")).def(""),
        memoryProp(),
        visionProp(),
    };
    info.handles = [](const Json &data) {
        std::vector<Handle> handles;
        const Json &classes = arrayField(data, "classes");
        for (std::size_t i = 0; i < classes.size(); ++i) {
            const QString id = stringField(classes[i], "id");
            if (id.isEmpty())
                continue;
            QString label = stringField(classes[i], "name").trimmed();
            if (label.isEmpty())
                label = tr("CLASS %1").arg(i + 1);
            handles.push_back(Handle{id, label});
        }
        return handles;
    };
    info.outputs = [](const Json &) {
        return std::vector<OutputVar>{out("class_name", "string"), out("class_id", "string"),
                                      out("class_label", "string"), out("usage", "object")};
    };
    info.check = [](const Json &data) {
        std::vector<FieldProblem> problems;
        checkModel(data, problems);
        if (!isNonEmptyArray(field(data, "classes")))
            problems.push_back(error(pointer("classes"), tr("There are no classes.")));
        return problems;
    };
    return info;
}

NodeKindInfo KindBuilder::parameterExtractor()
{
    NodeKindInfo info
        = make("parameter-extractor", tr("Parameter Extractor"),
               tr("Lets a model extract structured parameters from text"), Category::Model,
               Json::object({{"query", Json::array()},
                             {"model", defaultModel()},
                             {"parameters", Json::array()},
                             {"instruction", ""},
                             {"reasoning_mode", "prompt"},
                             {"vision", Json::object({{"enabled", false}})}}));
    info.supportsErrorStrategy = true;
    info.properties = {
        Prop("query", PropertyType::Selector, tr("Input")).required(),
        modelProp(),
        Prop("parameters", PropertyType::List, tr("Parameters"))
            .required()
            .def(Json::array())
            .children({
                Prop("name", PropertyType::String, tr("Name")).required(),
                Prop("type", PropertyType::Enum, tr("Type"))
                    .options(words({"string", "number", "boolean", "array[string]", "array[number]",
                                    "array[object]", "array[boolean]"}))
                    .def("string"),
                Prop("description", PropertyType::Text, tr("Description")),
                Prop("required", PropertyType::Bool, tr("Required")).def(false),
                Prop("options", PropertyType::Json, tr("Options"))
                    .help(tr("Allowed values of a string parameter (a list of strings).")),
            }),
        Prop("instruction", PropertyType::Template, tr("Instructions")).def(""),
        Prop("reasoning_mode", PropertyType::Enum, tr("Reasoning mode"))
            .options(words({"function_call", "prompt"}))
            .def("prompt"),
        memoryProp(),
        visionProp(),
    };
    info.outputs = [](const Json &data) {
        std::vector<OutputVar> result;
        for (const Json &parameter : arrayField(data, "parameters")) {
            const QString name = stringField(parameter, "name");
            if (name.isEmpty())
                continue;
            QString type = stringField(parameter, "type");
            if (type == QLatin1String("bool"))
                type = QStringLiteral("boolean");
            else if (type == QLatin1String("select") || type.isEmpty())
                type = QStringLiteral("string");
            result.push_back(OutputVar{name, type});
        }
        result.push_back(out("__is_success", "number"));
        result.push_back(out("__reason", "string"));
        result.push_back(out("__usage", "object"));
        return result;
    };
    info.check = [](const Json &data) {
        std::vector<FieldProblem> problems;
        checkModel(data, problems);
        if (!isNonEmptyArray(field(data, "query")))
            problems.push_back(error(pointer("query"), tr("The input variable is not set.")));
        const Json &parameters = field(data, "parameters");
        if (!isNonEmptyArray(parameters)) {
            problems.push_back(error(pointer("parameters"), tr("There are no parameters.")));
            return problems;
        }
        for (std::size_t i = 0; i < parameters.size(); ++i) {
            const QString name = stringField(parameters[i], "name");
            if (name.trimmed().isEmpty()) {
                problems.push_back(error(pointer("parameters", qsizetype(i), "name"),
                                         tr("A parameter has no name.")));
            } else if (name == QLatin1String("__reason") || name == QLatin1String("__is_success")) {
                problems.push_back(error(pointer("parameters", qsizetype(i), "name"),
                                         tr("The parameter name \"%1\" is reserved.").arg(name)));
            }
        }
        return problems;
    };
    return info;
}

// ---- tool / agent --------------------------------------------------------------------------

NodeKindInfo KindBuilder::tool()
{
    NodeKindInfo info
        = make("tool", tr("Tool"), tr("Calls a tool of a provider or plugin"), Category::Tool,
               Json::object({{"provider_id", ""},
                             {"provider_type", "builtin"},
                             {"provider_name", ""},
                             {"tool_name", ""},
                             {"tool_label", ""},
                             {"tool_configurations", Json::object()},
                             {"tool_parameters", Json::object()},
                             {"tool_node_version", "2"}}));
    info.supportsErrorStrategy = true;
    info.supportsRetry = true;
    info.dynamicOutputs = true;
    info.properties = {
        Prop("provider_id", PropertyType::String, tr("Provider")).required(),
        Prop("provider_type", PropertyType::Enum, tr("Provider type"))
            .options(
                words({"builtin", "plugin", "api", "workflow", "app", "dataset-retrieval", "mcp"}))
            .def("builtin"),
        Prop("provider_name", PropertyType::String, tr("Provider name")),
        Prop("tool_name", PropertyType::String, tr("Tool")).required(),
        Prop("tool_label", PropertyType::String, tr("Tool label")),
        Prop("tool_parameters", PropertyType::Json, tr("Inputs"))
            .def(Json::object())
            .help(tr("{name: {type: mixed|variable|constant, value}}")),
        Prop("tool_configurations", PropertyType::Json, tr("Settings")).def(Json::object()),
        Prop("credential_id", PropertyType::String, tr("Credential")),
        Prop("plugin_unique_identifier", PropertyType::String, tr("Plugin")),
    };
    info.outputs = [](const Json &) {
        return std::vector<OutputVar>{out("text", "string"), out("files", "array[file]"),
                                      out("json", "array[object]")};
    };
    info.check = [](const Json &data) {
        std::vector<FieldProblem> problems;
        if (isBlankString(field(data, "provider_id")))
            problems.push_back(error(pointer("provider_id"), tr("The provider is not set.")));
        if (isBlankString(field(data, "tool_name")))
            problems.push_back(error(pointer("tool_name"), tr("The tool is not set.")));
        return problems;
    };
    return info;
}

NodeKindInfo KindBuilder::agent()
{
    NodeKindInfo info
        = make("agent", tr("Agent"), tr("Lets an agent strategy call tools to reach a goal"),
               Category::Model,
               Json::object({{"agent_parameters", Json::object()}, {"tool_node_version", "2"}}));
    info.supportsErrorStrategy = true;
    info.dynamicOutputs = true;
    info.properties = {
        Prop("agent_strategy_provider_name", PropertyType::String, tr("Strategy provider")),
        Prop("agent_strategy_name", PropertyType::String, tr("Strategy")),
        Prop("agent_strategy_label", PropertyType::String, tr("Strategy label")),
        Prop("agent_parameters", PropertyType::Json, tr("Parameters"))
            .def(Json::object())
            .help(tr("{name: {type: mixed|variable|constant, value}}; tools are in "
                     "tools.value.")),
        memoryProp(),
        Prop("plugin_unique_identifier", PropertyType::String, tr("Plugin")),
        Prop("output_schema", PropertyType::Json, tr("Output schema")),
    };
    info.outputs = [](const Json &) {
        return std::vector<OutputVar>{out("text", "string"), out("usage", "object"),
                                      out("files", "array[file]"), out("json", "array[object]")};
    };
    return info;
}

// ---- list-operator / document-extractor ----------------------------------------------------

NodeKindInfo KindBuilder::listOperator()
{
    NodeKindInfo info = make(
        "list-operator", tr("List Operator"), tr("Filters, sorts and slices a list"),
        Category::Transform,
        Json::object(
            {{"variable", Json::array()},
             {"filter_by", Json::object({{"enabled", false}, {"conditions", Json::array()}})},
             {"extract_by", Json::object({{"enabled", false}, {"serial", "1"}})},
             {"order_by", Json::object({{"enabled", false}, {"key", ""}, {"value", "asc"}})},
             {"limit", Json::object({{"enabled", false}, {"size", 10}})}}));
    info.properties = {
        Prop("variable", PropertyType::Selector, tr("Input list")).required(),
        Prop("filter_by", PropertyType::Object, tr("Filter"))
            .children({
                Prop("enabled", PropertyType::Bool, tr("Enabled")).def(false),
                Prop("conditions", PropertyType::List, tr("Conditions"))
                    .def(Json::array())
                    .children({
                        Prop("key", PropertyType::String, tr("File attribute"))
                            .help(tr("For lists of files: type, name, extension, size, ...")),
                        Prop("comparison_operator", PropertyType::Enum, tr("Operator"))
                            .options(comparisonOperators())
                            .def("contains"),
                        Prop("value", PropertyType::Json, tr("Value")),
                    }),
            }),
        Prop("extract_by", PropertyType::Object, tr("Take one item"))
            .children({
                Prop("enabled", PropertyType::Bool, tr("Enabled")).def(false),
                Prop("serial", PropertyType::Template, tr("Position"))
                    .def("1")
                    .help(tr("1-based index; may contain {{#node.var#}} references.")),
            }),
        Prop("order_by", PropertyType::Object, tr("Sort"))
            .children({
                Prop("enabled", PropertyType::Bool, tr("Enabled")).def(false),
                Prop("key", PropertyType::String, tr("File attribute")),
                Prop("value", PropertyType::Enum, tr("Order"))
                    .options(words({"asc", "desc"}))
                    .def("asc"),
            }),
        Prop("limit", PropertyType::Object, tr("Keep the first"))
            .children({
                Prop("enabled", PropertyType::Bool, tr("Enabled")).def(false),
                Prop("size", PropertyType::Integer, tr("Items")).def(10).range(1, 1e9),
            }),
    };
    info.outputs = [](const Json &data) {
        // The UI stores the input's type in var_type / item_var_type.
        QString listType = stringField(data, "var_type");
        if (!listType.startsWith(QLatin1String("array")))
            listType = QStringLiteral("array[any]");
        QString itemType = stringField(data, "item_var_type");
        if (itemType.isEmpty())
            itemType = QStringLiteral("any");
        return std::vector<OutputVar>{OutputVar{QStringLiteral("result"), listType},
                                      OutputVar{QStringLiteral("first_record"), itemType},
                                      OutputVar{QStringLiteral("last_record"), itemType}};
    };
    info.check = [](const Json &data) {
        std::vector<FieldProblem> problems;
        if (!isNonEmptyArray(field(data, "variable")))
            problems.push_back(error(pointer("variable"), tr("The input list is not set.")));
        return problems;
    };
    return info;
}

NodeKindInfo KindBuilder::documentExtractor()
{
    NodeKindInfo info
        = make("document-extractor", tr("Doc Extractor"), tr("Extracts the text of documents"),
               Category::Transform,
               Json::object({{"variable_selector", Json::array()}, {"is_array_file", false}}));
    info.properties = {
        Prop("variable_selector", PropertyType::Selector, tr("Input file")).required(),
        Prop("is_array_file", PropertyType::Bool, tr("List of files"))
            .def(false)
            .help(tr("Set when the input is array[file]; the output is then array[string].")),
    };
    info.outputs = [](const Json &data) {
        return std::vector<OutputVar>{
            OutputVar{QStringLiteral("text"), boolField(data, "is_array_file")
                                                  ? QStringLiteral("array[string]")
                                                  : QStringLiteral("string")}};
    };
    info.check = [](const Json &data) {
        std::vector<FieldProblem> problems;
        if (!isNonEmptyArray(field(data, "variable_selector"))) {
            problems.push_back(
                error(pointer("variable_selector"), tr("The input file is not set.")));
        }
        return problems;
    };
    return info;
}

// ---- custom-note ---------------------------------------------------------------------------

NodeKindInfo KindBuilder::note()
{
    NodeKindInfo info = make("custom-note", tr("Note"),
                             tr("A sticky note on the canvas; it never runs"), Category::Annotation,
                             Json::object({{"type", ""},
                                           {"title", ""},
                                           {"text", ""},
                                           {"theme", "blue"},
                                           {"author", ""},
                                           {"showAuthor", true},
                                           {"width", 240},
                                           {"height", 88}}));
    info.wrapperType = QStringLiteral("custom-note");
    info.properties = {
        Prop("text", PropertyType::Text, tr("Text")).def(""),
        Prop("theme", PropertyType::Enum, tr("Colour"))
            .options(words({"blue", "cyan", "green", "yellow", "pink", "violet"}))
            .def("blue"),
        Prop("author", PropertyType::String, tr("Author")).def(""),
        Prop("showAuthor", PropertyType::Bool, tr("Show author")).def(true),
    };
    info.handles = [](const Json &) { return std::vector<Handle>(); };
    return info;
}

std::vector<NodeKindInfo> KindBuilder::all()
{
    std::vector<NodeKindInfo> kinds;
    kinds.push_back(start());
    kinds.push_back(end());
    kinds.push_back(answer());
    kinds.push_back(llm());
    kinds.push_back(knowledgeRetrieval());
    kinds.push_back(questionClassifier());
    kinds.push_back(ifElse());
    kinds.push_back(iteration());
    kinds.push_back(iterationStart());
    kinds.push_back(loop());
    kinds.push_back(loopStart());
    kinds.push_back(loopEnd());
    kinds.push_back(code());
    kinds.push_back(templateTransform());
    kinds.push_back(variableAggregator("variable-aggregator"));
    NodeKindInfo legacy = variableAggregator("variable-assigner");
    legacy.canBeAdded = false;
    kinds.push_back(std::move(legacy));
    kinds.push_back(documentExtractor());
    kinds.push_back(assigner());
    kinds.push_back(parameterExtractor());
    kinds.push_back(httpRequest());
    kinds.push_back(listOperator());
    kinds.push_back(tool());
    kinds.push_back(agent());
    kinds.push_back(note());
    for (NodeKindInfo &info : kinds)
        finish(info);
    return kinds;
}

} // namespace

// ---- NodeRegistry --------------------------------------------------------------------------

NodeRegistry::NodeRegistry()
    : m_kinds(KindBuilder::all())
{}

const NodeRegistry &NodeRegistry::instance()
{
    static const NodeRegistry registry; // thread-safe initialisation (C++11 magic statics)
    return registry;
}

const NodeKindInfo *NodeRegistry::find(const QString &kind) const
{
    for (const NodeKindInfo &info : m_kinds) {
        if (info.kind == kind)
            return &info;
    }
    return nullptr;
}

QString NodeRegistry::categoryName(Category category)
{
    switch (category) {
    case Category::Flow:
        return tr("Flow");
    case Category::Model:
        return tr("Model");
    case Category::Logic:
        return tr("Logic");
    case Category::Transform:
        return tr("Transform");
    case Category::Tool:
        return tr("Tools");
    case Category::Knowledge:
        return tr("Knowledge");
    case Category::Container:
        return tr("Containers");
    case Category::Annotation:
        return tr("Annotations");
    }
    return {};
}

std::vector<Handle> NodeRegistry::handlesFor(const QString &kind, const Json &data) const
{
    if (const NodeKindInfo *info = find(kind); info && info->handles)
        return info->handles(data);
    return {Handle{QStringLiteral("source"), QString()}};
}

std::vector<OutputVar> NodeRegistry::outputsFor(const QString &kind, const Json &data) const
{
    if (const NodeKindInfo *info = find(kind); info && info->outputs)
        return info->outputs(data);
    return {};
}

} // namespace flowbench::nodes

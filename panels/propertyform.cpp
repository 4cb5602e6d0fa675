#include "propertyform.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QFormLayout>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QWheelEvent>
#include <QRegularExpression>
#include <QStyle>
#include <QToolButton>
#include <QUuid>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>

#include "document/validator.h"
#include "variablepicker.h"

namespace flowbench::panels {

using document::Json;
using nodes::PropertySchema;
using nodes::PropertyType;

namespace {

PropertyForm::PickFunction &pickOverride()
{
    static PropertyForm::PickFunction function;
    return function;
}

QString qs(const Json &value)
{
    if (value.is_string()) {
        const auto &s = value.get_ref<const std::string &>();
        return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
    }
    if (value.is_number_unsigned())
        return QString::number(value.get<std::uint64_t>());
    if (value.is_number_integer())
        return QString::number(value.get<std::int64_t>());
    if (value.is_number_float())
        return QString::number(value.get<double>(), 'g', 15);
    if (value.is_boolean())
        return value.get<bool>() ? QStringLiteral("true") : QStringLiteral("false");
    return {};
}

std::string ss(const QString &text)
{
    return text.toStdString();
}

const Json &field(const Json &object, const char *key)
{
    static const Json null;
    if (!object.is_object())
        return null;
    const auto it = object.find(key);
    return it == object.end() ? null : *it;
}

QString stringField(const Json &object, const char *key)
{
    return qs(field(object, key));
}

bool boolField(const Json &object, const char *key)
{
    const Json &value = field(object, key);
    return value.is_boolean() && value.get<bool>();
}

QString escapeToken(QString key)
{
    key.replace(QLatin1Char('~'), QLatin1String("~0"));
    key.replace(QLatin1Char('/'), QLatin1String("~1"));
    return key;
}

QString uuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString selectorKey(const Json &selector)
{
    QStringList parts;
    if (selector.is_array()) {
        for (const Json &part : selector)
            parts.append(qs(part));
    }
    return parts.join(QLatin1Char('.'));
}

Json toSelectorJson(const QStringList &selector)
{
    Json list = Json::array();
    for (const QString &part : selector)
        list.push_back(ss(part));
    return list;
}

// Dify's operator lists per variable type (dify.md §6); unknown types get the whole set.
QStringList operatorsFor(const QString &type)
{
    const auto list = [](std::initializer_list<const char *> items) {
        QStringList out;
        for (const char *item : items)
            out.append(QString::fromUtf8(item));
        return out;
    };
    if (type == QLatin1String("string") || type == QLatin1String("secret"))
        return list({"contains", "not contains", "start with", "end with", "is", "is not", "empty",
                     "not empty"});
    if (type == QLatin1String("number") || type == QLatin1String("integer")
        || type == QLatin1String("float"))
        return list({"=", "≠", ">", "<", "≥", "≤", "empty", "not empty"});
    if (type == QLatin1String("boolean"))
        return list({"is", "is not"});
    if (type == QLatin1String("file"))
        return list({"exists", "not exists"});
    if (type == QLatin1String("array[string]") || type == QLatin1String("array[number]")
        || type == QLatin1String("array[boolean]"))
        return list({"contains", "not contains", "empty", "not empty"});
    if (type == QLatin1String("array[object]"))
        return list({"empty", "not empty"});
    if (type == QLatin1String("array[file]"))
        return list({"contains", "not contains", "all of", "empty", "not empty"});
    return list({"contains",   "not contains",
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

bool operatorTakesValue(const QString &op)
{
    static const QStringList none{QStringLiteral("empty"),  QStringLiteral("not empty"),
                                  QStringLiteral("null"),   QStringLiteral("not null"),
                                  QStringLiteral("exists"), QStringLiteral("not exists")};
    return !none.contains(op);
}

// Display text of enum values where the raw Dify identifier reads poorly.
QString enumText(const QString &path, const QString &value)
{
    if (path == QLatin1String("variables/*/type")) {
        if (value == QLatin1String("text-input"))
            return QCoreApplication::translate("flowbench::panels::PropertyForm", "Short text");
        if (value == QLatin1String("paragraph"))
            return QCoreApplication::translate("flowbench::panels::PropertyForm", "Paragraph");
        if (value == QLatin1String("select"))
            return QCoreApplication::translate("flowbench::panels::PropertyForm", "Select");
        if (value == QLatin1String("number"))
            return QCoreApplication::translate("flowbench::panels::PropertyForm", "Number");
        if (value == QLatin1String("checkbox"))
            return QCoreApplication::translate("flowbench::panels::PropertyForm", "Checkbox");
        if (value == QLatin1String("file"))
            return QCoreApplication::translate("flowbench::panels::PropertyForm", "Single file");
        if (value == QLatin1String("file-list"))
            return QCoreApplication::translate("flowbench::panels::PropertyForm", "File list");
        if (value == QLatin1String("json_object"))
            return QCoreApplication::translate("flowbench::panels::PropertyForm", "JSON object");
        if (value == QLatin1String("external_data_tool"))
            return QCoreApplication::translate("flowbench::panels::PropertyForm",
                                               "External data tool");
    }
    if (path == QLatin1String("code_language")) {
        if (value == QLatin1String("python3"))
            return QStringLiteral("Python 3");
        if (value == QLatin1String("javascript"))
            return QStringLiteral("JavaScript");
    }
    if (path == QLatin1String("method"))
        return value.toUpper();
    if (path == QLatin1String("authorization/type")) {
        if (value == QLatin1String("no-auth"))
            return QCoreApplication::translate("flowbench::panels::PropertyForm", "None");
        if (value == QLatin1String("api-key"))
            return QCoreApplication::translate("flowbench::panels::PropertyForm", "API key");
    }
    if (value == QLatin1String("and"))
        return QCoreApplication::translate("flowbench::panels::PropertyForm", "AND");
    if (value == QLatin1String("or"))
        return QCoreApplication::translate("flowbench::panels::PropertyForm", "OR");
    if (value.isEmpty())
        return QCoreApplication::translate("flowbench::panels::PropertyForm", "(none)");
    return value;
}

QToolButton *toolButton(QWidget *parent, QStyle::StandardPixmap icon, const QString &tip,
                        const QString &name)
{
    auto *button = new QToolButton(parent);
    button->setIcon(parent->style()->standardIcon(icon));
    button->setToolTip(tip);
    button->setAutoRaise(true);
    button->setObjectName(name);
    button->setIconSize(QSize(12, 12));
    return button;
}

void repolish(QWidget *widget)
{
    widget->style()->unpolish(widget);
    widget->style()->polish(widget);
    widget->update();
}

void fitEditorHeight(CodeEditor *editor, int minLines, int maxLines)
{
    const int lines = std::clamp(int(editor->lines()), minLines, maxLines);
    const int spacing = QFontMetrics(editor->font()).lineSpacing() + 2;
    editor->setFixedHeight(lines * spacing + 10);
}

// A section's title: bold at the top level, a quieter sub-heading inside a section.
QLabel *sectionLabel(const QString &text, QWidget *parent, bool nested = false)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(!nested);
    if (nested)
        font.setItalic(true);
    label->setFont(font);
    label->setObjectName(QStringLiteral("inspector.section"));
    label->setContentsMargins(0, nested ? 2 : 8, 0, 0);
    return label;
}

// Every form's label column has the same width, so fields line up across nested sections.
constexpr int kLabelWidth = 112;

QLabel *rowLabel(const QString &text, QWidget *parent, const QString &pointer = {},
                 const QString &help = {})
{
    auto *label = new QLabel(text, parent);
    label->setMinimumWidth(kLabelWidth);
    label->setToolTip(help);
    if (!pointer.isEmpty())
        label->setProperty("fbLabelFor", pointer);
    return label;
}

QFormLayout *newForm(QWidget *parent)
{
    auto *form = new QFormLayout(parent);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    form->setHorizontalSpacing(10);
    form->setVerticalSpacing(5);
    return form;
}

} // namespace

struct PropertyForm::Ctx
{
    QString pointer; // the value's JSON pointer in data
    QString path;    // schema path: "prompt_template/*/text"
    Json parent;     // the object holding the value
    Json value;      // null when absent
    const std::vector<PropertySchema> *siblings = nullptr;
};

void PropertyForm::setPickFunction(PickFunction pick)
{
    pickOverride() = std::move(pick);
}

bool PropertyForm::isInvalid(const QWidget *editor)
{
    return editor && editor->property("invalid").toBool();
}

PropertyForm::PropertyForm(document::WorkflowDocument *document, document::EditSink *sink,
                           const QString &nodeId, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_sink(sink)
    , m_nodeId(nodeId)
{
    setObjectName(QStringLiteral("inspector.form"));
    setStyleSheet(QStringLiteral(
        "QLineEdit[invalid=\"true\"] { border: 1px solid #d64545; border-radius: 3px;"
        " padding: 2px 3px; }"
        "QLineEdit[warning=\"true\"] { border: 1px solid #d99a1e; border-radius: 3px;"
        " padding: 2px 3px; }"
        "QLabel[invalid=\"true\"] { color: #d64545; }"
        "QLabel[chip=\"true\"] { background: palette(alternate-base); border: 1px solid "
        "palette(mid); border-radius: 9px; padding: 1px 8px; }"
        "QLabel[chip=\"true\"][invalid=\"true\"] { border-color: #d64545; }"
        "QLabel[chip=\"true\"][empty=\"true\"] { color: palette(mid); border-style: dashed; }"
        "QFrame#inspectorItem { border: 1px solid palette(midlight); border-radius: 4px; }"
        "QLabel#inspectorHint { color: palette(dark); }"
        "QLabel#inspectorBanner { background: #fff4e5; color: #7a4a00; border: 1px solid "
        "#f0c36d; border-radius: 3px; padding: 4px 6px; }"));
    build();
}

QWidget *PropertyForm::editorFor(const QString &pointer) const
{
    return m_editors.value(pointer).data();
}

// ---- building ------------------------------------------------------------------------------

void PropertyForm::build()
{
    m_layout = new QVBoxLayout(this);
    m_layout->setContentsMargins(8, 6, 8, 8);
    m_layout->setSpacing(6);

    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("inspectorBanner"));
    m_banner->setWordWrap(true);
    m_banner->hide();
    m_layout->addWidget(m_banner);

    const document::Node *node = m_document->workflow().node(m_nodeId);
    if (!node) {
        m_layout->addStretch(1);
        return;
    }
    m_data = node->data;
    m_kind = node->kind();
    m_info = nodes::NodeRegistry::instance().find(m_kind);
    m_visible = variablesVisibleAt(m_document->workflow(), m_nodeId);

    auto *body = new QWidget(this);
    QFormLayout *form = newForm(body);
    m_layout->addWidget(body);

    if (!m_info) {
        auto *hint = new QLabel(
            tr("Flowbench does not know the node kind \"%1\"; its data is kept as it is.")
                .arg(m_kind),
            body);
        hint->setObjectName(QStringLiteral("inspectorHint"));
        hint->setWordWrap(true);
        form->addRow(hint);
        auto *view = new CodeEditor(CodeEditor::Language::Json, body);
        view->setText(QString::fromStdString(m_data.dump(2)));
        view->setReadOnly(true);
        fitEditorHeight(view, 6, 24);
        form->addRow(view);
        registerEditor(view, QString());
    } else if (m_info->properties.empty()) {
        auto *hint = new QLabel(tr("This node has no settings."), body);
        hint->setObjectName(QStringLiteral("inspectorHint"));
        form->addRow(hint);
    } else {
        buildProperties(form, m_info->properties, QString(), QString(), m_data);
    }
    m_layout->addStretch(1);
    applyProblems();
}

void PropertyForm::buildProperties(QFormLayout *form, const std::vector<PropertySchema> &props,
                                   const QString &pointer, const QString &path, const Json &object)
{
    for (const PropertySchema &prop : props) {
        Ctx ctx;
        ctx.pointer = pointer + QLatin1Char('/') + escapeToken(prop.key);
        ctx.path = path.isEmpty() ? prop.key : path + QLatin1Char('/') + prop.key;
        ctx.parent = object;
        ctx.value = field(object, ss(prop.key).c_str());
        ctx.siblings = &props;
        if (isVisible(prop, ctx))
            addProperty(form, prop, ctx);
    }
}

bool PropertyForm::isVisible(const PropertySchema &prop, const Ctx &ctx) const
{
    const QString &path = ctx.path;
    const QString kind = m_kind;
    static const QStringList hidden{
        QStringLiteral("cases/*/case_id"),
        QStringLiteral("classes/*/id"),
        QStringLiteral("advanced_settings/groups/*/groupId"),
    };
    if (hidden.contains(path))
        return false;

    // Inside an object with an "enabled" switch, the other settings show only when it is on.
    if (ctx.siblings && prop.key != QLatin1String("enabled")
        && prop.key != QLatin1String("retry_enabled")) {
        for (const PropertySchema &sibling : *ctx.siblings) {
            if (sibling.type != PropertyType::Bool || path.count(QLatin1Char('/')) == 0)
                continue;
            if (sibling.key == QLatin1String("enabled")
                || sibling.key == QLatin1String("retry_enabled")) {
                if (!boolField(ctx.parent, ss(sibling.key).c_str()))
                    return false;
            }
        }
    }

    const QString parentType = stringField(ctx.parent, "type");
    if (kind == QLatin1String("start") && path.startsWith(QLatin1String("variables/*/"))) {
        const QString key = prop.key;
        const bool text = parentType == QLatin1String("text-input")
                          || parentType == QLatin1String("paragraph") || parentType.isEmpty();
        const bool file
            = parentType == QLatin1String("file") || parentType == QLatin1String("file-list");
        if (key == QLatin1String("max_length"))
            return text || parentType == QLatin1String("file-list");
        if (key == QLatin1String("options"))
            return parentType == QLatin1String("select");
        if (key.startsWith(QLatin1String("allowed_file")))
            return file;
        if (key == QLatin1String("json_schema"))
            return parentType == QLatin1String("json_object");
        if (key == QLatin1String("default"))
            return !file && parentType != QLatin1String("external_data_tool");
        return true;
    }
    if (path == QLatin1String("memory"))
        return m_document->workflow().mode() == document::AppMode::AdvancedChat
               || m_data.contains("memory");
    if (path == QLatin1String("memory/role_prefix"))
        return stringField(field(m_data, "model"), "mode") == QLatin1String("completion");
    if (path == QLatin1String("prompt_config")) {
        const Json &prompt = field(m_data, "prompt_template");
        if (prompt.is_array()) {
            for (const Json &message : prompt) {
                if (stringField(message, "edition_type") == QLatin1String("jinja2"))
                    return true;
            }
        }
        return stringField(prompt, "edition_type") == QLatin1String("jinja2");
    }
    if (path == QLatin1String("structured_output"))
        return boolField(m_data, "structured_output_enabled")
               || boolField(m_data, "structured_output_switch_on");
    if (path == QLatin1String("default_value"))
        return stringField(m_data, "error_strategy") == QLatin1String("default-value");
    if (path == QLatin1String("authorization/config"))
        return parentType == QLatin1String("api-key");
    if (path == QLatin1String("authorization/config/header"))
        return parentType == QLatin1String("custom");
    if (path == QLatin1String("parallel_nums"))
        return boolField(m_data, "is_parallel");
    if (kind == QLatin1String("variable-aggregator")
        || kind == QLatin1String("variable-assigner")) {
        const bool grouped = boolField(field(m_data, "advanced_settings"), "group_enabled");
        if (path == QLatin1String("output_type") || path == QLatin1String("variables"))
            return !grouped;
        if (path == QLatin1String("advanced_settings/groups"))
            return grouped;
    }
    if (kind == QLatin1String("knowledge-retrieval")) {
        const QString mode = stringField(m_data, "retrieval_mode");
        if (path == QLatin1String("single_retrieval_config"))
            return mode == QLatin1String("single");
        if (path == QLatin1String("multiple_retrieval_config"))
            return mode != QLatin1String("single");
        const QString filtering = stringField(m_data, "metadata_filtering_mode");
        if (path == QLatin1String("metadata_model_config"))
            return filtering == QLatin1String("automatic");
        if (path == QLatin1String("metadata_filtering_conditions"))
            return filtering == QLatin1String("manual");
        const bool rerank = boolField(ctx.parent, "reranking_enable");
        const QString rerankMode = stringField(ctx.parent, "reranking_mode");
        if (path == QLatin1String("multiple_retrieval_config/reranking_mode"))
            return rerank;
        if (path == QLatin1String("multiple_retrieval_config/reranking_model"))
            return rerank && rerankMode != QLatin1String("weighted_score");
        if (path == QLatin1String("multiple_retrieval_config/weights"))
            return rerank && rerankMode == QLatin1String("weighted_score");
    }
    if (kind == QLatin1String("parameter-extractor")
        && path == QLatin1String("parameters/*/options"))
        return parentType == QLatin1String("string") || parentType == QLatin1String("select");
    if (kind == QLatin1String("http-request") && path.startsWith(QLatin1String("body/data/*/"))) {
        const QString bodyType = stringField(field(m_data, "body"), "type");
        if (prop.key == QLatin1String("type"))
            return bodyType == QLatin1String("form-data");
        if (prop.key == QLatin1String("file"))
            return parentType == QLatin1String("file");
        if (prop.key == QLatin1String("value"))
            return parentType != QLatin1String("file");
    }
    if (kind == QLatin1String("llm") && path == QLatin1String("prompt_template/*/jinja2_text"))
        return stringField(ctx.parent, "edition_type") == QLatin1String("jinja2");
    if (kind == QLatin1String("llm") && path == QLatin1String("prompt_template/*/text"))
        return stringField(ctx.parent, "edition_type") != QLatin1String("jinja2");
    return true;
}

void PropertyForm::addProperty(QFormLayout *form, const PropertySchema &prop, const Ctx &ctx)
{
    QWidget *parent = form->parentWidget();
    const QString &path = ctx.path;
    const auto addWide = [&](QWidget *editor, bool withLabel = true) {
        if (withLabel) {
            auto *label = new QLabel(prop.label, parent);
            label->setToolTip(prop.help);
            label->setProperty("fbLabelFor", ctx.pointer);
            form->addRow(label);
        }
        form->addRow(editor);
    };
    const auto addInline = [&](QWidget *editor) {
        form->addRow(rowLabel(prop.label, parent, ctx.pointer, prop.help), editor);
    };
    const auto addSection = [&](QWidget *content) {
        auto *label = sectionLabel(prop.label, parent, path.contains(QLatin1Char('/')));
        label->setToolTip(prop.help);
        label->setProperty("fbLabelFor", ctx.pointer);
        form->addRow(label);
        form->addRow(content);
    };

    // Layouts of their own, where the schema alone would be poor.
    if (m_kind == QLatin1String("llm") && path == QLatin1String("prompt_template")
        && !ctx.value.is_object()) {
        addSection(makePromptList(prop, ctx));
        return;
    }
    if (m_kind == QLatin1String("if-else") && path == QLatin1String("cases")) {
        addSection(makeCases(prop, ctx));
        return;
    }
    if (path == QLatin1String("break_conditions")) {
        addSection(makeConditions(prop, ctx));
        return;
    }
    if (m_kind == QLatin1String("code") && path == QLatin1String("outputs")) {
        addSection(makeCodeOutputs(prop, ctx));
        return;
    }
    if (m_kind == QLatin1String("http-request") && path == QLatin1String("body")) {
        addSection(makeHttpBody(prop, ctx));
        return;
    }
    if (path == QLatin1String("error_strategy")) {
        addInline(makeErrorStrategy(prop, ctx));
        return;
    }
    if (m_kind == QLatin1String("start")
        && (path == QLatin1String("variables/*/options")
            || path == QLatin1String("variables/*/allowed_file_extensions"))) {
        addWide(makeStringLines(prop, ctx));
        return;
    }
    if (path == QLatin1String("parameters/*/options") || path == QLatin1String("dataset_ids")) {
        addWide(makeStringLines(prop, ctx));
        return;
    }
    if (path == QLatin1String("variables/*/allowed_file_types")) {
        addInline(makeStringSet(prop, ctx,
                                {QStringLiteral("image"), QStringLiteral("document"),
                                 QStringLiteral("audio"), QStringLiteral("video"),
                                 QStringLiteral("custom")}));
        return;
    }
    if (path == QLatin1String("variables/*/allowed_file_upload_methods")) {
        addInline(
            makeStringSet(prop, ctx, {QStringLiteral("local_file"), QStringLiteral("remote_url")}));
        return;
    }
    if ((path == QLatin1String("items/*/value")
         && stringField(ctx.parent, "input_type") != QLatin1String("constant"))
        || (path == QLatin1String("loop_variables/*/value")
            && stringField(ctx.parent, "value_type") == QLatin1String("variable"))) {
        addInline(makeSelector(prop, ctx));
        return;
    }
    if (path == QLatin1String("variables/*/default") && m_kind == QLatin1String("start")) {
        PropertySchema text = prop;
        text.type = PropertyType::String;
        addInline(makeLineEdit(text, ctx));
        return;
    }

    switch (prop.type) {
    case PropertyType::String:
        addInline(makeLineEdit(prop, ctx));
        break;
    case PropertyType::Integer:
    case PropertyType::Number:
        addInline(makeNumberEdit(prop, ctx));
        break;
    case PropertyType::Bool:
        if (path.contains(QLatin1Char('/'))) {
            form->addRow(rowLabel(QString(), parent), makeBool(prop, ctx));
        } else {
            // A top-level switch: its name in the label column, so it does not read as part of
            // the section above.
            auto *box = static_cast<QCheckBox *>(makeBool(prop, ctx));
            box->setText(QString());
            QLabel *label = rowLabel(prop.label, parent, ctx.pointer, prop.help);
            label->setBuddy(box);
            form->addRow(label, box);
        }
        break;
    case PropertyType::Enum:
        addInline(makeEnum(prop, ctx));
        break;
    case PropertyType::Selector: {
        QStringList filter;
        if (path == QLatin1String("iterator_selector") || path == QLatin1String("variable"))
            filter = {QStringLiteral("array[string]"), QStringLiteral("array[number]"),
                      QStringLiteral("array[object]"), QStringLiteral("array[boolean]"),
                      QStringLiteral("array[file]"),   QStringLiteral("array[any]")};
        addInline(makeSelector(prop, ctx, filter));
        break;
    }
    case PropertyType::Text:
    case PropertyType::KeyValueText:
        addWide(makeTextEditor(prop, ctx, CodeEditor::Language::PlainText));
        break;
    case PropertyType::Template:
        addWide(makeTextEditor(prop, ctx, CodeEditor::Language::Template));
        break;
    case PropertyType::Jinja:
        addWide(makeTextEditor(prop, ctx, CodeEditor::Language::Jinja));
        break;
    case PropertyType::Code: {
        const bool js = stringField(m_data, "code_language") == QLatin1String("javascript");
        addWide(makeTextEditor(
            prop, ctx, js ? CodeEditor::Language::JavaScript : CodeEditor::Language::Python));
        break;
    }
    case PropertyType::Json:
        addWide(makeJsonEditor(prop, ctx));
        break;
    case PropertyType::SelectorList:
        addWide(makeSelectorList(prop, ctx));
        break;
    case PropertyType::List:
        addSection(makeList(prop, ctx));
        break;
    case PropertyType::Model:
        addSection(makeModel(prop, ctx));
        break;
    case PropertyType::Object: {
        auto *content = new QWidget(parent);
        QFormLayout *nested = newForm(content);
        nested->setContentsMargins(0, 0, 0, 0);
        buildProperties(nested, prop.children, ctx.pointer, ctx.path, ctx.value);
        addSection(content);
        break;
    }
    }
}

// ---- simple editors ------------------------------------------------------------------------

QWidget *PropertyForm::makeLineEdit(const PropertySchema &prop, const Ctx &ctx)
{
    auto *edit = new QLineEdit(qs(ctx.value), this);
    edit->setCursorPosition(0);
    if (!prop.defaultValue.is_null())
        edit->setPlaceholderText(qs(prop.defaultValue));
    edit->setToolTip(prop.help);
    registerEditor(edit, ctx.pointer);
    if (prop.required && edit->text().trimmed().isEmpty())
        setProblem(edit, tr("%1 is required.").arg(prop.label));
    const QString pointer = ctx.pointer;
    const QString label = prop.label;
    const bool required = prop.required;
    const bool wasString = ctx.value.is_string() || ctx.value.is_null();
    const Json original = ctx.value;
    connect(edit, &QLineEdit::editingFinished, this, [=, this] {
        const QString text = edit->text();
        if (required && text.trimmed().isEmpty()) {
            setProblem(edit, tr("%1 is required.").arg(label));
            return;
        }
        if (!wasString && text == qs(original))
            return; // a number or boolean shown as text, unchanged
        commit(pointer, Json(ss(text)), label);
    });
    return edit;
}

QWidget *PropertyForm::makeNumberEdit(const PropertySchema &prop, const Ctx &ctx)
{
    auto *edit = new QLineEdit(qs(ctx.value), this);
    edit->setMaximumWidth(160);
    edit->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    if (!prop.defaultValue.is_null())
        edit->setPlaceholderText(qs(prop.defaultValue));
    registerEditor(edit, ctx.pointer);
    const bool integer = prop.type == PropertyType::Integer;
    const bool bounded = prop.minimum != 0 || prop.maximum != 0;
    const double minimum = prop.minimum, maximum = prop.maximum;
    const bool required = prop.required;
    const QString label = prop.label;
    QString help = prop.help;
    if (bounded) {
        const QString range = tr("Between %1 and %2.").arg(minimum).arg(maximum);
        help = help.isEmpty() ? range : help + QLatin1Char('\n') + range;
    }
    edit->setToolTip(help);

    // The message for a text, empty when valid; `value` receives the number.
    const auto check = [=](const QString &text, Json *value) -> QString {
        const QString trimmed = text.trimmed();
        if (trimmed.isEmpty())
            return required ? tr("%1 is required.").arg(label) : QString();
        bool ok = false;
        double number = 0;
        if (integer) {
            const qlonglong v = trimmed.toLongLong(&ok);
            number = double(v);
            if (ok && value)
                *value = Json(std::int64_t(v));
        } else {
            number = trimmed.toDouble(&ok);
            if (ok && value)
                *value = number == std::floor(number) && std::abs(number) < 1e15
                             ? Json(std::int64_t(number))
                             : Json(number);
        }
        if (!ok)
            return integer ? tr("Not a whole number.") : tr("Not a number.");
        if (bounded && (number < minimum || number > maximum))
            return tr("Must be between %1 and %2.").arg(minimum).arg(maximum);
        return {};
    };
    if (!ctx.value.is_null()) {
        const QString message = check(edit->text(), nullptr);
        if (!message.isEmpty())
            setProblem(edit, message);
    } else if (required) {
        setProblem(edit, tr("%1 is required.").arg(label));
    }
    const QString pointer = ctx.pointer;
    connect(edit, &QLineEdit::editingFinished, this, [=, this] {
        Json value;
        const QString message = check(edit->text(), &value);
        if (!message.isEmpty()) {
            setProblem(edit, message);
            return;
        }
        if (edit->text().trimmed().isEmpty())
            commitRemove(pointer, label);
        else
            commit(pointer, value, label);
    });
    return edit;
}

QWidget *PropertyForm::makeBool(const PropertySchema &prop, const Ctx &ctx)
{
    auto *box = new QCheckBox(prop.label, this);
    const bool fallback = prop.defaultValue.is_boolean() && prop.defaultValue.get<bool>();
    box->setChecked(ctx.value.is_boolean() ? ctx.value.get<bool>() : fallback);
    box->setToolTip(prop.help);
    registerEditor(box, ctx.pointer);
    const QString pointer = ctx.pointer;
    const QString label = prop.label;
    connect(box, &QCheckBox::toggled, this,
            [this, pointer, label](bool on) { commit(pointer, Json(on), label); });
    return box;
}

QWidget *PropertyForm::makeEnum(const PropertySchema &prop, const Ctx &ctx, QStringList options)
{
    if (options.isEmpty())
        options = prop.options;
    auto *combo = new QComboBox(this);
    combo->setToolTip(prop.help);
    QString current = qs(ctx.value);
    if (ctx.value.is_null() && !prop.defaultValue.is_null())
        current = qs(prop.defaultValue);
    if (!options.contains(current))
        options.append(current);
    for (const QString &option : options)
        combo->addItem(enumText(ctx.path, option), option);
    combo->setCurrentIndex(int(options.indexOf(current)));
    if (!current.isEmpty() && !prop.options.isEmpty() && !prop.options.contains(current))
        setProblem(combo, tr("\"%1\" is not one of the allowed values.").arg(current));
    registerEditor(combo, ctx.pointer);
    const QString pointer = ctx.pointer;
    const QString label = prop.label;
    const QString path = ctx.path;
    connect(combo, &QComboBox::currentIndexChanged, this, [=, this](int index) {
        const QString value = combo->itemData(index).toString();
        if (m_kind == QLatin1String("llm") && path == QLatin1String("model/mode")) {
            // Chat prompts are a list of messages, completion prompts one text: convert.
            std::vector<document::SetNodeDataEdit> edits;
            document::SetNodeDataEdit mode;
            mode.nodeId = m_nodeId;
            mode.pointer = pointer;
            mode.value = ss(value);
            edits.push_back(mode);
            const Json prompt = valueAt(QStringLiteral("/prompt_template"));
            document::SetNodeDataEdit convert;
            convert.nodeId = m_nodeId;
            convert.pointer = QStringLiteral("/prompt_template");
            if (value == QLatin1String("completion") && prompt.is_array()) {
                QStringList texts;
                for (const Json &message : prompt)
                    texts.append(stringField(message, "text"));
                convert.value = Json::object(
                    {{"text", ss(texts.join(QStringLiteral("\n\n")))}, {"edition_type", "basic"}});
                edits.push_back(convert);
            } else if (value == QLatin1String("chat") && prompt.is_object()) {
                convert.value = Json::array({Json::object(
                    {{"role", "system"}, {"text", field(prompt, "text")}, {"id", ss(uuid())}})});
                edits.push_back(convert);
            }
            commitEdits(std::move(edits), label);
            return;
        }
        commit(pointer, Json(ss(value)), label);
    });
    return combo;
}

QWidget *PropertyForm::makeTextEditor(const PropertySchema &prop, const Ctx &ctx,
                                      CodeEditor::Language language)
{
    auto *editor = new CodeEditor(language, this);
    editor->setText(qs(ctx.value));
    editor->setToolTip(prop.help);
    if (language == CodeEditor::Language::Template || language == CodeEditor::Language::Jinja)
        editor->setVariableProvider(provider());
    const bool code
        = language == CodeEditor::Language::Python || language == CodeEditor::Language::JavaScript;
    // URLs and positions are one line; prompts and code get room.
    const bool oneLine
        = ctx.path == QLatin1String("url") || ctx.path == QLatin1String("extract_by/serial");
    fitEditorHeight(editor, code ? 8 : (oneLine ? 1 : 3), code ? 22 : 12);
    registerEditor(editor, ctx.pointer);
    const bool required = prop.required;
    const QString label = prop.label;
    if (required && editor->text().trimmed().isEmpty())
        setProblem(editor, tr("%1 is required.").arg(label));
    const QString pointer = ctx.pointer;
    connect(editor, &CodeEditor::editingFinished, this, [=, this] {
        const QString text = editor->text();
        if (required && text.trimmed().isEmpty()) {
            setProblem(editor, tr("%1 is required.").arg(label));
            return;
        }
        commit(pointer, Json(ss(text)), label);
    });
    return editor;
}

QWidget *PropertyForm::makeJsonEditor(const PropertySchema &prop, const Ctx &ctx)
{
    auto *editor = new CodeEditor(CodeEditor::Language::Json, this);
    editor->setText(ctx.value.is_null() ? QString() : QString::fromStdString(ctx.value.dump(2)));
    editor->setToolTip(prop.help);
    fitEditorHeight(editor, 2, 14);
    registerEditor(editor, ctx.pointer);
    const QString pointer = ctx.pointer;
    const QString label = prop.label;
    const bool required = prop.required;
    connect(editor, &CodeEditor::editingFinished, this, [=, this] {
        const QString text = editor->text().trimmed();
        if (text.isEmpty()) {
            if (required) {
                setProblem(editor, tr("%1 is required.").arg(label));
                return;
            }
            commitRemove(pointer, label);
            return;
        }
        Json value;
        try {
            value = Json::parse(ss(text));
        } catch (const std::exception &e) {
            setProblem(editor, tr("Not valid JSON: %1").arg(QString::fromUtf8(e.what())));
            return;
        }
        commit(pointer, value, label);
    });
    return editor;
}

QWidget *PropertyForm::makeStringLines(const PropertySchema &prop, const Ctx &ctx)
{
    auto *editor = new CodeEditor(CodeEditor::Language::PlainText, this);
    QStringList lines;
    if (ctx.value.is_array()) {
        for (const Json &item : ctx.value)
            lines.append(item.is_string() ? qs(item) : QString::fromStdString(item.dump()));
    }
    editor->setText(lines.join(QLatin1Char('\n')));
    editor->setToolTip(prop.help.isEmpty() ? tr("One value per line.")
                                           : prop.help + QLatin1Char('\n') + tr("One per line."));
    fitEditorHeight(editor, 3, 10);
    registerEditor(editor, ctx.pointer);
    const QString pointer = ctx.pointer;
    const QString label = prop.label;
    connect(editor, &CodeEditor::editingFinished, this, [=, this] {
        Json list = Json::array();
        const QStringList parts = editor->text().split(QLatin1Char('\n'));
        for (const QString &line : parts) {
            if (!line.trimmed().isEmpty())
                list.push_back(ss(line.trimmed()));
        }
        commit(pointer, list, label);
    });
    return editor;
}

QWidget *PropertyForm::makeStringSet(const PropertySchema &prop, const Ctx &ctx,
                                     const QStringList &options)
{
    auto *box = new QWidget(this);
    auto *grid = new QGridLayout(box);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(10);
    grid->setVerticalSpacing(2);
    QStringList checked;
    if (ctx.value.is_array()) {
        for (const Json &item : ctx.value)
            checked.append(qs(item));
    }
    registerEditor(box, ctx.pointer);
    box->setToolTip(prop.help);
    QList<QCheckBox *> boxes;
    for (int i = 0; i < options.size(); ++i) {
        auto *check = new QCheckBox(options[i], box);
        check->setChecked(checked.contains(options[i]));
        grid->addWidget(check, i / 3, i % 3);
        boxes.append(check);
    }
    const QString pointer = ctx.pointer;
    const QString label = prop.label;
    for (QCheckBox *check : boxes) {
        connect(check, &QCheckBox::toggled, this, [=, this] {
            Json list = Json::array();
            for (QCheckBox *b : boxes) {
                if (b->isChecked())
                    list.push_back(ss(b->text()));
            }
            commit(pointer, list, label);
        });
    }
    return box;
}

// ---- selectors -----------------------------------------------------------------------------

QString PropertyForm::variableType(const Json &selector) const
{
    const QString key = selectorKey(selector);
    for (const VariableRef &ref : m_visible) {
        if (ref.selector.join(QLatin1Char('.')) == key)
            return ref.type;
    }
    return {};
}

QString PropertyForm::selectorText(const Json &selector, QString *type) const
{
    if (type)
        *type = variableType(selector);
    if (!selector.is_array() || selector.empty())
        return {};
    const QString first = qs(selector[0]);
    QStringList rest;
    for (std::size_t i = 1; i < selector.size(); ++i)
        rest.append(qs(selector[i]));
    if (const document::Node *node = m_document->workflow().node(first)) {
        const QString title = node->title().isEmpty() ? first : node->title();
        return title + QStringLiteral(" / ") + rest.join(QLatin1Char('.'));
    }
    return first + QLatin1Char('.') + rest.join(QLatin1Char('.'));
}

std::optional<QStringList> PropertyForm::pick(QWidget *anchor, const QStringList &typeFilter) const
{
    const QList<VariableRef> variables = variablesVisibleAt(m_document->workflow(), m_nodeId);
    if (pickOverride())
        return pickOverride()(anchor, variables, typeFilter);
    return VariablePicker::pick(anchor, variables, typeFilter);
}

VariableProvider PropertyForm::provider() const
{
    document::WorkflowDocument *document = m_document;
    const QString nodeId = m_nodeId;
    return [document, nodeId] { return variablesVisibleAt(document->workflow(), nodeId); };
}

QWidget *PropertyForm::makeSelector(const PropertySchema &prop, const Ctx &ctx,
                                    const QStringList &typeFilter)
{
    auto *box = new QWidget(this);
    auto *row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(2);
    auto *chip = new QLabel(box);
    chip->setObjectName(QStringLiteral("chip"));
    chip->setProperty("chip", true);
    chip->setTextFormat(Qt::RichText);
    chip->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    QString type;
    const QString text = selectorText(ctx.value, &type);
    if (text.isEmpty()) {
        chip->setText(tr("Not set"));
        chip->setProperty("empty", true);
    } else {
        chip->setText(text.toHtmlEscaped()
                      + (type.isEmpty() ? QString()
                                        : QStringLiteral("  <span style=\"color:gray\">%1</span>")
                                              .arg(type.toHtmlEscaped())));
    }
    chip->setToolTip(selectorKey(ctx.value));
    row->addWidget(chip, 1);
    auto *choose = toolButton(box, QStyle::SP_FileDialogContentsView, tr("Choose a variable"),
                              QStringLiteral("pick"));
    row->addWidget(choose);
    auto *clear
        = toolButton(box, QStyle::SP_LineEditClearButton, tr("Clear"), QStringLiteral("clear"));
    clear->setVisible(!text.isEmpty());
    row->addWidget(clear);
    registerEditor(box, ctx.pointer);
    if (prop.required && text.isEmpty())
        setProblem(box, tr("%1 is required.").arg(prop.label));

    const QString pointer = ctx.pointer;
    const QString label = prop.label;
    const bool condition = ctx.path.endsWith(QLatin1String("conditions/*/variable_selector"));
    connect(choose, &QToolButton::clicked, this, [=, this] {
        const std::optional<QStringList> chosen = pick(choose, typeFilter);
        if (!chosen)
            return;
        if (!condition) {
            commit(pointer, toSelectorJson(*chosen), label);
            return;
        }
        // A condition's operator list depends on the variable's type: keep them in step.
        const QString base = pointer.left(pointer.lastIndexOf(QLatin1Char('/')));
        const QString newType = variableType(toSelectorJson(*chosen));
        std::vector<document::SetNodeDataEdit> edits;
        document::SetNodeDataEdit selector;
        selector.nodeId = m_nodeId;
        selector.pointer = pointer;
        selector.value = toSelectorJson(*chosen);
        edits.push_back(selector);
        if (!newType.isEmpty()) {
            document::SetNodeDataEdit varType = selector;
            varType.pointer = base + QStringLiteral("/varType");
            varType.value = ss(newType);
            edits.push_back(varType);
            const QStringList ops = operatorsFor(newType);
            if (!ops.contains(qs(valueAt(base + QStringLiteral("/comparison_operator"))))) {
                document::SetNodeDataEdit op = selector;
                op.pointer = base + QStringLiteral("/comparison_operator");
                op.value = ss(ops.value(0));
                edits.push_back(op);
            }
        }
        commitEdits(std::move(edits), label);
    });
    connect(clear, &QToolButton::clicked, this,
            [=, this] { commit(pointer, Json::array(), label); });
    return box;
}

QWidget *PropertyForm::makeSelectorList(const PropertySchema &prop, const Ctx &ctx)
{
    auto *box = new QWidget(this);
    auto *column = new QVBoxLayout(box);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(3);
    const Json list = ctx.value.is_array() ? ctx.value : Json::array();
    const QString pointer = ctx.pointer;
    const QString label = prop.label;
    for (std::size_t i = 0; i < list.size(); ++i) {
        auto *row = new QWidget(box);
        auto *h = new QHBoxLayout(row);
        h->setContentsMargins(0, 0, 0, 0);
        h->setSpacing(2);
        PropertySchema item = prop;
        item.type = PropertyType::Selector;
        item.required = true;
        Ctx itemCtx = ctx;
        itemCtx.pointer = pointer + QLatin1Char('/') + QString::number(i);
        itemCtx.value = list[i];
        h->addWidget(makeSelector(item, itemCtx), 1);
        h->addWidget(makeItemTools(pointer, list, int(i)));
        column->addWidget(row);
    }
    if (list.empty()) {
        auto *hint = new QLabel(tr("No variables yet."), box);
        hint->setObjectName(QStringLiteral("inspectorHint"));
        column->addWidget(hint);
    }
    column->addWidget(makeAddButton(tr("Add variable"), pointer, [=, this] {
        const std::optional<QStringList> chosen = pick(box);
        if (!chosen)
            return;
        Json next = list;
        next.push_back(toSelectorJson(*chosen));
        commit(pointer, next, label);
    }));
    registerEditor(box, pointer);
    return box;
}

// ---- model ---------------------------------------------------------------------------------

QWidget *PropertyForm::makeModel(const PropertySchema &prop, const Ctx &ctx)
{
    auto *content = new QWidget(this);
    QFormLayout *form = newForm(content);
    form->setContentsMargins(0, 0, 0, 0);
    const Json model = ctx.value.is_object() ? ctx.value : Json::object();
    const auto child = [&](const char *key, PropertyType type, const QString &label) {
        PropertySchema schema;
        schema.key = QLatin1String(key);
        schema.type = type;
        schema.label = label;
        Ctx c;
        c.pointer = ctx.pointer + QLatin1Char('/') + QLatin1String(key);
        c.path = ctx.path + QLatin1Char('/') + QLatin1String(key);
        c.parent = model;
        c.value = field(model, key);
        return std::make_pair(schema, c);
    };
    {
        auto [schema, c] = child("provider", PropertyType::String, tr("Provider"));
        auto *edit = static_cast<QLineEdit *>(makeLineEdit(schema, c));
        edit->setPlaceholderText(tr("OpenAI-compatible endpoint"));
        form->addRow(rowLabel(schema.label, content, c.pointer), edit);
    }
    {
        auto [schema, c] = child("name", PropertyType::String, tr("Model"));
        auto *edit = static_cast<QLineEdit *>(makeLineEdit(schema, c));
        edit->setPlaceholderText(tr("The endpoint profile's default"));
        form->addRow(rowLabel(schema.label, content, c.pointer), edit);
    }
    {
        auto [schema, c] = child("mode", PropertyType::Enum, tr("Mode"));
        schema.options = {QStringLiteral("chat"), QStringLiteral("completion")};
        schema.defaultValue = "chat";
        form->addRow(rowLabel(schema.label, content, c.pointer), makeEnum(schema, c));
    }
    {
        auto [schema, c] = child("completion_params", PropertyType::Json, tr("Parameters"));
        schema.help = tr("Completion parameters as JSON: temperature, top_p, max_tokens, "
                         "presence_penalty, stop, ...");
        auto *label = new QLabel(schema.label, content);
        label->setToolTip(schema.help);
        label->setProperty("fbLabelFor", c.pointer);
        form->addRow(label);
        form->addRow(makeJsonEditor(schema, c));
    }
    Q_UNUSED(prop)
    return content;
}

// ---- lists ---------------------------------------------------------------------------------

QWidget *PropertyForm::makeAddButton(const QString &text, const QString &listPointer,
                                     std::function<void()> onClick)
{
    auto *button
        = new QPushButton(style()->standardIcon(QStyle::SP_FileDialogNewFolder), text, this);
    button->setIcon(QIcon());
    button->setText(QStringLiteral("+ ") + text);
    button->setFlat(false);
    button->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Fixed);
    button->setObjectName(QStringLiteral("add"));
    m_editors.insert(QStringLiteral("+") + listPointer, button);
    connect(button, &QPushButton::clicked, this, std::move(onClick));
    return button;
}

QWidget *PropertyForm::makeItemTools(const QString &listPointer, const Json &list, int index)
{
    auto *tools = new QWidget(this);
    auto *h = new QHBoxLayout(tools);
    h->setContentsMargins(0, 0, 0, 0);
    h->setSpacing(0);
    const int count = list.is_array() ? int(list.size()) : 0;
    const QString itemPointer = listPointer + QLatin1Char('/') + QString::number(index);
    const auto move = [this, listPointer, list, index](int to) {
        Json next = list;
        std::swap(next[std::size_t(index)], next[std::size_t(to)]);
        commit(listPointer, next, tr("order"));
    };
    if (count > 1) {
        auto *up = toolButton(tools, QStyle::SP_ArrowUp, tr("Move up"), QStringLiteral("up"));
        up->setEnabled(index > 0);
        connect(up, &QToolButton::clicked, this, [move, index] { move(index - 1); });
        h->addWidget(up);
        auto *down
            = toolButton(tools, QStyle::SP_ArrowDown, tr("Move down"), QStringLiteral("down"));
        down->setEnabled(index < count - 1);
        connect(down, &QToolButton::clicked, this, [move, index] { move(index + 1); });
        h->addWidget(down);
    }
    auto *remove
        = toolButton(tools, QStyle::SP_DialogDiscardButton, tr("Remove"), QStringLiteral("remove"));
    m_editors.insert(QStringLiteral("-") + itemPointer, remove);
    connect(remove, &QToolButton::clicked, this, [this, listPointer, list, index] {
        Json next = list;
        const Json removed = list[std::size_t(index)];
        next.erase(std::size_t(index));
        std::vector<document::SetNodeDataEdit> edits;
        document::SetNodeDataEdit set;
        set.nodeId = m_nodeId;
        set.pointer = listPointer;
        set.value = next;
        edits.push_back(set);
        // A removed case or class takes its branch's edges with it.
        QString handle;
        if (m_kind == QLatin1String("if-else") && listPointer == QLatin1String("/cases"))
            handle = stringField(removed, "case_id");
        else if (m_kind == QLatin1String("question-classifier")
                 && listPointer == QLatin1String("/classes"))
            handle = stringField(removed, "id");
        if (handle.isEmpty()) {
            commitEdits(std::move(edits), tr("list"));
            return;
        }
        document::BatchEdit batch;
        batch.edits.emplace_back(edits.front());
        for (const document::Edge *edge : m_document->workflow().outgoingEdges(m_nodeId)) {
            if (edge->sourceHandle == handle)
                batch.edits.emplace_back(document::RemoveEdgeEdit{edge->id});
        }
        m_sink->applyEdit(document::Edit(std::move(batch), editName(tr("list"))));
    });
    h->addWidget(remove);
    return tools;
}

QWidget *PropertyForm::makeList(const PropertySchema &prop, const Ctx &ctx)
{
    auto *box = new QWidget(this);
    auto *column = new QVBoxLayout(box);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(4);
    const Json list = ctx.value.is_array() ? ctx.value : Json::array();
    if (!ctx.value.is_array() && !ctx.value.is_null()) {
        // Data of an unexpected shape: edit it as JSON rather than lose it.
        PropertySchema json = prop;
        json.type = PropertyType::Json;
        column->addWidget(makeJsonEditor(json, ctx));
        return box;
    }
    // Lists of small records (name + selector, name + selector + type) as compact rows.
    const bool compact
        = prop.children.size() <= 3
          && std::all_of(prop.children.begin(), prop.children.end(), [](const PropertySchema &c) {
                 return c.type == PropertyType::String || c.type == PropertyType::Selector
                        || c.type == PropertyType::Enum;
             });
    if (compact && !list.empty()) {
        auto *table = new QWidget(box);
        auto *grid = new QGridLayout(table);
        grid->setContentsMargins(0, 0, 0, 0);
        grid->setHorizontalSpacing(4);
        grid->setVerticalSpacing(3);
        int col = 0;
        for (const PropertySchema &child : prop.children) {
            auto *heading = new QLabel(child.label, table);
            heading->setObjectName(QStringLiteral("inspectorHint"));
            heading->setToolTip(child.help);
            grid->addWidget(heading, 0, col);
            grid->setColumnStretch(col, child.type == PropertyType::Selector ? 3 : 2);
            ++col;
        }
        for (std::size_t i = 0; i < list.size(); ++i) {
            col = 0;
            for (const PropertySchema &child : prop.children) {
                Ctx c;
                c.pointer = ctx.pointer + QLatin1Char('/') + QString::number(i) + QLatin1Char('/')
                            + escapeToken(child.key);
                c.path = ctx.path + QStringLiteral("/*/") + child.key;
                c.parent = list[i];
                c.value = field(list[i], ss(child.key).c_str());
                QWidget *editor = child.type == PropertyType::String ? makeLineEdit(child, c)
                                  : child.type == PropertyType::Enum ? makeEnum(child, c)
                                                                     : makeSelector(child, c);
                editor->setMinimumWidth(60);
                grid->addWidget(editor, int(i) + 1, col++);
            }
            grid->addWidget(makeItemTools(ctx.pointer, list, int(i)), int(i) + 1, col);
        }
        column->addWidget(table);
    }
    for (std::size_t i = 0; !compact && i < list.size(); ++i) {
        const Json &item = list[i];
        auto *frame = new QFrame(box);
        frame->setObjectName(QStringLiteral("inspectorItem"));
        auto *v = new QVBoxLayout(frame);
        v->setContentsMargins(6, 3, 4, 6);
        v->setSpacing(3);
        auto *header = new QHBoxLayout;
        QString summary;
        for (const PropertySchema &child : prop.children) {
            if (child.type == PropertyType::String || child.type == PropertyType::Text) {
                summary = stringField(item, ss(child.key).c_str());
                if (!summary.isEmpty())
                    break;
            }
        }
        QString title = QStringLiteral("%1").arg(i + 1);
        if (!summary.isEmpty())
            title += QStringLiteral(" · ") + summary.left(40);
        if (m_kind == QLatin1String("start")) {
            const QString type = stringField(item, "type");
            if (!type.isEmpty())
                title += QStringLiteral("  (%1)").arg(
                    enumText(QStringLiteral("variables/*/type"), type));
        }
        auto *caption = new QLabel(title, frame);
        caption->setObjectName(QStringLiteral("inspectorHint"));
        header->addWidget(caption, 1);
        header->addWidget(makeItemTools(ctx.pointer, list, int(i)));
        v->addLayout(header);
        auto *body = new QWidget(frame);
        QFormLayout *form = newForm(body);
        buildProperties(form, prop.children, ctx.pointer + QLatin1Char('/') + QString::number(i),
                        ctx.path + QStringLiteral("/*"), item);
        v->addWidget(body);
        column->addWidget(frame);
    }
    if (list.empty()) {
        auto *hint = new QLabel(tr("None yet."), box);
        hint->setObjectName(QStringLiteral("inspectorHint"));
        column->addWidget(hint);
    }
    const QString pointer = ctx.pointer;
    const QString label = prop.label;
    const QString path = ctx.path;
    const std::vector<PropertySchema> children = prop.children;
    column->addWidget(makeAddButton(tr("Add"), pointer, [=, this] {
        Json item = Json::object();
        for (const PropertySchema &child : children) {
            if (!child.defaultValue.is_null())
                item[ss(child.key)] = child.defaultValue;
        }
        // A unique name for the first required name-like field.
        const auto uniqueName = [&list](const char *key, const QString &base) {
            for (int n = int(list.size()) + 1;; ++n) {
                const QString candidate = base + QString::number(n);
                bool used = false;
                for (const Json &other : list)
                    used = used || stringField(other, key) == candidate;
                if (!used)
                    return candidate;
            }
        };
        if (m_kind == QLatin1String("start") && path == QLatin1String("variables")) {
            const QString name = uniqueName("variable", QStringLiteral("input_"));
            item["variable"] = ss(name);
            item["label"] = ss(name);
            item["options"] = Json::array();
        } else if (path == QLatin1String("classes")) {
            int next = 1;
            for (const Json &other : list)
                next = std::max(next, stringField(other, "id").toInt() + 1);
            item["id"] = ss(QString::number(next));
            item["name"] = "";
        } else if (path == QLatin1String("advanced_settings/groups")) {
            item["groupId"] = ss(uuid());
            item["group_name"] = ss(uniqueName("group_name", QStringLiteral("Group")));
        } else if (path == QLatin1String("loop_variables")) {
            item["id"] = ss(uuid());
            item["label"] = ss(uniqueName("label", QStringLiteral("var_")));
            item["value"] = "";
        } else if (path == QLatin1String("parameters")) {
            item["name"] = ss(uniqueName("name", QStringLiteral("param_")));
            item["description"] = "";
        } else if (path == QLatin1String("outputs") || path.endsWith(QLatin1String("variables"))) {
            item["variable"] = ss(uniqueName("variable", QStringLiteral("var_")));
            if (!item.contains("value_selector"))
                item["value_selector"] = Json::array();
        } else if (path == QLatin1String("items")) {
            item["variable_selector"] = Json::array();
            item["value"] = Json::array();
        }
        Json next = list;
        next.push_back(item);
        commit(pointer, next, label);
    }));
    return box;
}

QWidget *PropertyForm::makePromptList(const PropertySchema &prop, const Ctx &ctx)
{
    auto *box = new QWidget(this);
    auto *column = new QVBoxLayout(box);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(4);
    const Json list = ctx.value.is_array() ? ctx.value : Json::array();
    const QStringList roles{QStringLiteral("system"), QStringLiteral("user"),
                            QStringLiteral("assistant")};
    for (std::size_t i = 0; i < list.size(); ++i) {
        const Json &message = list[i];
        const QString itemPointer = ctx.pointer + QLatin1Char('/') + QString::number(i);
        auto *frame = new QFrame(box);
        frame->setObjectName(QStringLiteral("inspectorItem"));
        auto *v = new QVBoxLayout(frame);
        v->setContentsMargins(6, 4, 4, 6);
        v->setSpacing(3);
        auto *header = new QHBoxLayout;
        const auto childCtx = [&](const char *key) {
            Ctx c;
            c.pointer = itemPointer + QLatin1Char('/') + QLatin1String(key);
            c.path = ctx.path + QStringLiteral("/*/") + QLatin1String(key);
            c.parent = message;
            c.value = field(message, key);
            return c;
        };
        PropertySchema role;
        role.key = QStringLiteral("role");
        role.type = PropertyType::Enum;
        role.label = tr("Role");
        role.options = roles;
        role.defaultValue = i == 0 ? "system" : "user";
        auto *roleCombo = makeEnum(role, childCtx("role"));
        roleCombo->setToolTip(tr("Message role"));
        header->addWidget(roleCombo);
        PropertySchema edition;
        edition.key = QStringLiteral("edition_type");
        edition.type = PropertyType::Enum;
        edition.label = tr("Editor");
        edition.options = {QStringLiteral("basic"), QStringLiteral("jinja2")};
        edition.defaultValue = "basic";
        auto *editionCombo = makeEnum(edition, childCtx("edition_type"));
        editionCombo->setToolTip(tr("basic: {{#node.var#}} references; jinja2: a Jinja2 "
                                    "template with the Jinja2 variables"));
        header->addWidget(editionCombo);
        header->addStretch(1);
        header->addWidget(makeItemTools(ctx.pointer, list, int(i)));
        v->addLayout(header);
        const bool jinja = stringField(message, "edition_type") == QLatin1String("jinja2");
        PropertySchema text;
        text.key = jinja ? QStringLiteral("jinja2_text") : QStringLiteral("text");
        text.type = jinja ? PropertyType::Jinja : PropertyType::Template;
        text.label = tr("Prompt");
        v->addWidget(
            makeTextEditor(text, childCtx(jinja ? "jinja2_text" : "text"),
                           jinja ? CodeEditor::Language::Jinja : CodeEditor::Language::Template));
        column->addWidget(frame);
    }
    const QString pointer = ctx.pointer;
    const QString label = prop.label;
    column->addWidget(makeAddButton(tr("Add message"), pointer, [=, this] {
        Json next = list;
        const QString last = list.empty() ? QString() : stringField(list.back(), "role");
        const char *role = last == QLatin1String("user") ? "assistant" : "user";
        next.push_back(Json::object({{"role", role}, {"text", ""}, {"id", ss(uuid())}}));
        commit(pointer, next, label);
    }));
    return box;
}

// ---- conditions (if-else cases, loop break conditions) --------------------------------------

QWidget *PropertyForm::makeConditionRow(const QString &pointer, const Json &condition)
{
    auto *row = new QWidget(this);
    auto *grid = new QGridLayout(row);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(4);
    grid->setVerticalSpacing(2);

    PropertySchema selector;
    selector.key = QStringLiteral("variable_selector");
    selector.type = PropertyType::Selector;
    selector.label = tr("Variable");
    selector.required = true;
    Ctx c;
    c.pointer = pointer + QStringLiteral("/variable_selector");
    c.path = QStringLiteral("conditions/*/variable_selector");
    c.parent = condition;
    c.value = field(condition, "variable_selector");
    grid->addWidget(makeSelector(selector, c), 0, 0, 1, 2);

    QString type = stringField(condition, "varType");
    if (type.isEmpty())
        type = variableType(c.value);
    QStringList ops = operatorsFor(type);
    const QString op = stringField(condition, "comparison_operator");
    auto *combo = new QComboBox(row);
    if (!op.isEmpty() && !ops.contains(op))
        ops.append(op);
    for (const QString &o : ops)
        combo->addItem(o, o);
    combo->setCurrentIndex(int(ops.indexOf(op)));
    combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    combo->setToolTip(type.isEmpty() ? tr("Operator") : tr("Operators for %1").arg(type));
    registerEditor(combo, pointer + QStringLiteral("/comparison_operator"));
    grid->addWidget(combo, 1, 0);
    connect(combo, &QComboBox::currentIndexChanged, this, [=, this](int index) {
        commit(pointer + QStringLiteral("/comparison_operator"),
               Json(ss(combo->itemData(index).toString())), tr("Operator"));
    });

    const Json value = field(condition, "value");
    auto *valueEdit = new QLineEdit(
        value.is_string() || value.is_null() ? qs(value) : QString::fromStdString(value.dump()),
        row);
    valueEdit->setPlaceholderText(tr("Value; {{#node.var#}} allowed"));
    valueEdit->setEnabled(operatorTakesValue(op));
    if (!operatorTakesValue(op))
        valueEdit->setPlaceholderText(QString());
    registerEditor(valueEdit, pointer + QStringLiteral("/value"));
    grid->addWidget(valueEdit, 1, 1);
    grid->setColumnStretch(1, 1);
    const bool wasString = value.is_string() || value.is_null();
    connect(valueEdit, &QLineEdit::editingFinished, this, [=, this] {
        const QString text = valueEdit->text();
        Json next = Json(ss(text));
        const bool listOp = op == QLatin1String("in") || op == QLatin1String("not in")
                            || op == QLatin1String("all of");
        if (!wasString || listOp) {
            const Json parsed = Json::parse(ss(text), nullptr, false);
            if (!parsed.is_discarded() && (!listOp || parsed.is_array()))
                next = parsed;
        }
        commit(pointer + QStringLiteral("/value"), next, tr("Value"));
    });
    return row;
}

QWidget *PropertyForm::makeConditions(const PropertySchema &prop, const Ctx &ctx)
{
    auto *box = new QWidget(this);
    auto *column = new QVBoxLayout(box);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(4);
    const Json list = ctx.value.is_array() ? ctx.value : Json::array();
    for (std::size_t i = 0; i < list.size(); ++i) {
        auto *frame = new QFrame(box);
        frame->setObjectName(QStringLiteral("inspectorItem"));
        auto *h = new QHBoxLayout(frame);
        h->setContentsMargins(4, 4, 2, 4);
        h->setSpacing(2);
        h->addWidget(makeConditionRow(ctx.pointer + QLatin1Char('/') + QString::number(i), list[i]),
                     1);
        auto *tools = makeItemTools(ctx.pointer, list, int(i));
        h->addWidget(tools, 0, Qt::AlignTop);
        column->addWidget(frame);
    }
    if (list.empty()) {
        auto *hint = new QLabel(tr("No conditions."), box);
        hint->setObjectName(QStringLiteral("inspectorHint"));
        column->addWidget(hint);
    }
    const QString pointer = ctx.pointer;
    const QString label = prop.label;
    column->addWidget(makeAddButton(tr("Add condition"), pointer, [=, this] {
        Json next = list;
        next.push_back(Json::object({{"id", ss(uuid())},
                                     {"varType", "string"},
                                     {"variable_selector", Json::array()},
                                     {"comparison_operator", "contains"},
                                     {"value", ""}}));
        commit(pointer, next, label);
    }));
    return box;
}

QWidget *PropertyForm::makeCases(const PropertySchema &prop, const Ctx &ctx)
{
    auto *box = new QWidget(this);
    auto *column = new QVBoxLayout(box);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(6);
    const Json list = ctx.value.is_array() ? ctx.value : Json::array();
    PropertySchema conditions;
    conditions.key = QStringLiteral("conditions");
    conditions.type = PropertyType::List;
    conditions.label = tr("Conditions");
    for (std::size_t i = 0; i < list.size(); ++i) {
        const Json &c = list[i];
        const QString itemPointer = ctx.pointer + QLatin1Char('/') + QString::number(i);
        auto *frame = new QFrame(box);
        frame->setObjectName(QStringLiteral("inspectorItem"));
        auto *v = new QVBoxLayout(frame);
        v->setContentsMargins(6, 4, 4, 6);
        v->setSpacing(4);
        auto *header = new QHBoxLayout;
        auto *caption = sectionLabel(i == 0 ? tr("IF") : tr("ELIF"), frame);
        caption->setContentsMargins(0, 0, 0, 0);
        header->addWidget(caption);
        const Json conds = field(c, "conditions");
        if (conds.is_array() && conds.size() > 1) {
            PropertySchema logical;
            logical.key = QStringLiteral("logical_operator");
            logical.type = PropertyType::Enum;
            logical.label = tr("Combine with");
            logical.options = {QStringLiteral("and"), QStringLiteral("or")};
            logical.defaultValue = "and";
            Ctx lc;
            lc.pointer = itemPointer + QStringLiteral("/logical_operator");
            lc.path = QStringLiteral("cases/*/logical_operator");
            lc.parent = c;
            lc.value = field(c, "logical_operator");
            auto *combo = makeEnum(logical, lc);
            combo->setToolTip(tr("How the conditions combine"));
            header->addWidget(combo);
        }
        header->addStretch(1);
        if (list.size() > 1)
            header->addWidget(makeItemTools(ctx.pointer, list, int(i)));
        v->addLayout(header);
        Ctx cc;
        cc.pointer = itemPointer + QStringLiteral("/conditions");
        cc.path = QStringLiteral("cases/*/conditions");
        cc.parent = c;
        cc.value = conds;
        v->addWidget(makeConditions(conditions, cc));
        column->addWidget(frame);
    }
    const QString pointer = ctx.pointer;
    const QString label = prop.label;
    column->addWidget(makeAddButton(tr("Add ELIF"), pointer, [=, this] {
        Json next = list;
        const QString id = uuid();
        next.push_back(Json::object({{"case_id", ss(id)},
                                     {"id", ss(id)},
                                     {"logical_operator", "and"},
                                     {"conditions", Json::array()}}));
        commit(pointer, next, label);
    }));
    auto *otherwise = new QLabel(tr("ELSE: taken when no case is true."), box);
    otherwise->setObjectName(QStringLiteral("inspectorHint"));
    column->addWidget(otherwise);
    return box;
}

// ---- code outputs, HTTP body, error strategy ------------------------------------------------

QWidget *PropertyForm::makeCodeOutputs(const PropertySchema &prop, const Ctx &ctx)
{
    auto *box = new QWidget(this);
    auto *grid = new QGridLayout(box);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(4);
    grid->setVerticalSpacing(3);
    const Json outputs = ctx.value.is_object() ? ctx.value : Json::object();
    const QStringList types{QStringLiteral("string"),        QStringLiteral("number"),
                            QStringLiteral("object"),        QStringLiteral("boolean"),
                            QStringLiteral("array[string]"), QStringLiteral("array[number]"),
                            QStringLiteral("array[object]"), QStringLiteral("array[boolean]")};
    const QString pointer = ctx.pointer;
    const QString label = prop.label;
    int row = 0;
    for (auto it = outputs.begin(); it != outputs.end(); ++it, ++row) {
        const QString name = QString::fromStdString(it.key());
        const QString itemPointer = pointer + QLatin1Char('/') + escapeToken(name);
        auto *nameEdit = new QLineEdit(name, box);
        registerEditor(nameEdit, itemPointer);
        grid->addWidget(nameEdit, row, 0);
        connect(nameEdit, &QLineEdit::editingFinished, this, [=, this] {
            const QString renamed = nameEdit->text().trimmed();
            if (renamed == name)
                return;
            static const QRegularExpression identifier(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
            if (!identifier.match(renamed).hasMatch()) {
                setProblem(nameEdit, tr("Output names are identifiers: letters, digits, _."));
                return;
            }
            if (outputs.contains(ss(renamed))) {
                setProblem(nameEdit, tr("Another output is named \"%1\".").arg(renamed));
                return;
            }
            Json next = outputs;
            next[ss(renamed)] = outputs[ss(name)];
            next.erase(ss(name));
            commit(pointer, next, label);
        });
        auto *type = new QComboBox(box);
        QString current = stringField(it.value(), "type");
        QStringList options = types;
        if (!options.contains(current))
            options.append(current);
        type->addItems(options);
        type->setCurrentIndex(int(options.indexOf(current)));
        registerEditor(type, itemPointer + QStringLiteral("/type"));
        grid->addWidget(type, row, 1);
        connect(type, &QComboBox::currentIndexChanged, this, [=, this](int) {
            commit(itemPointer + QStringLiteral("/type"), Json(ss(type->currentText())), label);
        });
        auto *remove = toolButton(box, QStyle::SP_DialogDiscardButton, tr("Remove"),
                                  QStringLiteral("remove"));
        m_editors.insert(QStringLiteral("-") + itemPointer, remove);
        connect(remove, &QToolButton::clicked, this, [=, this] {
            Json next = outputs;
            next.erase(ss(name));
            commit(pointer, next, label);
        });
        grid->addWidget(remove, row, 2);
    }
    grid->setColumnStretch(0, 3);
    grid->setColumnStretch(1, 2);
    grid->addWidget(
        makeAddButton(
            tr("Add output"), pointer,
            [=, this] {
                Json next = outputs;
                for (int n = 1;; ++n) {
                    const std::string key = "output" + std::to_string(n);
                    if (!next.contains(key)) {
                        next[key] = Json::object({{"type", "string"}, {"children", nullptr}});
                        break;
                    }
                }
                commit(pointer, next, label);
            }),
        row, 0, 1, 3);
    registerEditor(box, pointer);
    return box;
}

QWidget *PropertyForm::makeHttpBody(const PropertySchema &prop, const Ctx &ctx)
{
    auto *content = new QWidget(this);
    QFormLayout *form = newForm(content);
    form->setContentsMargins(0, 0, 0, 0);
    const Json body = ctx.value.is_object() ? ctx.value : Json::object();
    const PropertySchema *typeSchema = nullptr;
    const PropertySchema *dataSchema = nullptr;
    for (const PropertySchema &child : prop.children) {
        if (child.key == QLatin1String("type"))
            typeSchema = &child;
        else if (child.key == QLatin1String("data"))
            dataSchema = &child;
    }
    const QString type = stringField(body, "type");
    if (typeSchema) {
        Ctx c;
        c.pointer = ctx.pointer + QStringLiteral("/type");
        c.path = ctx.path + QStringLiteral("/type");
        c.parent = body;
        c.value = field(body, "type");
        form->addRow(rowLabel(typeSchema->label, content, c.pointer), makeEnum(*typeSchema, c));
    }
    const Json data = field(body, "data");
    const Json first = data.is_array() && !data.empty() ? data[0] : Json::object();
    const QString dataPointer = ctx.pointer + QStringLiteral("/data");
    if (type == QLatin1String("json") || type == QLatin1String("raw-text")) {
        auto *editor = new CodeEditor(CodeEditor::Language::Template, content);
        editor->setText(stringField(first, "value"));
        editor->setVariableProvider(provider());
        fitEditorHeight(editor, 5, 16);
        registerEditor(editor, dataPointer + QStringLiteral("/0/value"));
        form->addRow(editor);
        const QString label = prop.label;
        connect(editor, &CodeEditor::editingFinished, this, [=, this] {
            Json item = first.is_object() ? first : Json::object();
            item["type"] = "text";
            if (!item.contains("key"))
                item["key"] = "";
            item["value"] = ss(editor->text());
            Json next = Json::array({item});
            commit(dataPointer, next, label);
        });
    } else if (type == QLatin1String("binary")) {
        PropertySchema file;
        file.key = QStringLiteral("file");
        file.type = PropertyType::Selector;
        file.label = tr("File");
        file.required = true;
        Ctx c;
        c.pointer = dataPointer + QStringLiteral("/0/file");
        c.path = ctx.path + QStringLiteral("/data/*/file");
        c.parent = first;
        c.value = field(first, "file");
        if (data.is_array() && !data.empty()) {
            form->addRow(rowLabel(file.label, content, c.pointer),
                         makeSelector(file, c, {QStringLiteral("file")}));
        } else {
            // No item yet: picking creates it.
            const QString label = prop.label;
            auto *choose = new QPushButton(tr("Choose file variable…"), content);
            m_editors.insert(c.pointer, choose);
            connect(choose, &QPushButton::clicked, this, [=, this] {
                const std::optional<QStringList> chosen = pick(choose, {QStringLiteral("file")});
                if (!chosen)
                    return;
                commit(dataPointer,
                       Json::array({Json::object(
                           {{"key", ""}, {"type", "file"}, {"file", toSelectorJson(*chosen)}})}),
                       label);
            });
            form->addRow(rowLabel(file.label, content, c.pointer), choose);
        }
    } else if (type != QLatin1String("none") && !type.isEmpty() && dataSchema) {
        Ctx c;
        c.pointer = dataPointer;
        c.path = ctx.path + QStringLiteral("/data");
        c.parent = body;
        c.value = data;
        form->addRow(makeList(*dataSchema, c));
    }
    return content;
}

QWidget *PropertyForm::makeErrorStrategy(const PropertySchema &prop, const Ctx &ctx)
{
    auto *combo = new QComboBox(this);
    combo->setToolTip(prop.help);
    combo->addItem(tr("None: the run fails"), QString());
    combo->addItem(tr("Fail branch"), QStringLiteral("fail-branch"));
    combo->addItem(tr("Default value"), QStringLiteral("default-value"));
    const QString current = qs(ctx.value);
    int index = combo->findData(current);
    if (index < 0) {
        combo->addItem(current, current);
        index = combo->count() - 1;
        setProblem(combo, tr("\"%1\" is not an error strategy.").arg(current));
    }
    combo->setCurrentIndex(index);
    registerEditor(combo, ctx.pointer);
    const QString pointer = ctx.pointer;
    const QString label = prop.label;
    connect(combo, &QComboBox::currentIndexChanged, this, [=, this](int i) {
        const QString value = combo->itemData(i).toString();
        if (value.isEmpty()) {
            commitRemove(pointer, label);
            return;
        }
        std::vector<document::SetNodeDataEdit> edits;
        document::SetNodeDataEdit set;
        set.nodeId = m_nodeId;
        set.pointer = pointer;
        set.value = ss(value);
        edits.push_back(set);
        const Json defaults = valueAt(QStringLiteral("/default_value"));
        if (value == QLatin1String("default-value") && (!defaults.is_array() || defaults.empty())) {
            // Dify's defaults: one entry per main output, with the type's zero value.
            QStringList keys;
            if (m_kind == QLatin1String("llm"))
                keys = {QStringLiteral("text")};
            else if (m_kind == QLatin1String("http-request"))
                keys = {QStringLiteral("body"), QStringLiteral("status_code"),
                        QStringLiteral("headers")};
            else if (m_kind == QLatin1String("tool"))
                keys = {QStringLiteral("text"), QStringLiteral("json")};
            Json list = Json::array();
            for (const nodes::OutputVar &output :
                 nodes::NodeRegistry::instance().outputsFor(m_kind, m_data)) {
                if (!keys.isEmpty() && !keys.contains(output.name))
                    continue;
                QString t = output.type;
                Json zero = "";
                if (t == QLatin1String("number")) {
                    zero = 0;
                } else if (t == QLatin1String("object")) {
                    zero = "{}";
                } else if (t.startsWith(QLatin1String("array"))) {
                    zero = "[]";
                } else if (t != QLatin1String("string")) {
                    continue;
                }
                list.push_back(
                    Json::object({{"key", ss(output.name)}, {"type", ss(t)}, {"value", zero}}));
            }
            set.pointer = QStringLiteral("/default_value");
            set.value = list;
            edits.push_back(set);
        }
        commitEdits(std::move(edits), label);
    });
    return combo;
}

// ---- problems and edits --------------------------------------------------------------------

bool PropertyForm::eventFilter(QObject *watched, QEvent *event)
{
    // A wheel over a combo box the user has not clicked scrolls the form instead of changing
    // the value (and sending an edit) by accident.
    auto *widget = qobject_cast<QWidget *>(watched);
    if (event->type() == QEvent::Wheel && widget && !widget->hasFocus()) {
        for (QWidget *w = parentWidget(); w; w = w->parentWidget()) {
            if (auto *area = qobject_cast<QAbstractScrollArea *>(w)) {
                QCoreApplication::sendEvent(area->verticalScrollBar(), event);
                break;
            }
        }
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void PropertyForm::registerEditor(QWidget *editor, const QString &pointer)
{
    if (qobject_cast<QComboBox *>(editor)) {
        editor->setFocusPolicy(Qt::StrongFocus);
        editor->installEventFilter(this);
    }
    editor->setProperty("fbPointer", pointer);
    editor->setObjectName(QStringLiteral("field:") + pointer);
    m_editors.insert(pointer, editor);
}

void PropertyForm::setProblem(QWidget *editor, const QString &message)
{
    if (!editor)
        return;
    const bool invalid = !message.isEmpty();
    editor->setProperty("invalid", invalid);
    m_problems.insert(editor->property("fbPointer").toString(), message);
    if (auto *code = qobject_cast<CodeEditor *>(editor)) {
        code->setProblem(message);
    } else {
        editor->setToolTip(message);
        if (auto *chip = editor->findChild<QLabel *>(QStringLiteral("chip"))) {
            chip->setProperty("invalid", invalid);
            chip->setToolTip(message);
            repolish(chip);
        }
    }
    repolish(editor);
    // The row's label turns red too.
    const QString pointer = editor->property("fbPointer").toString();
    const QList<QLabel *> labels = findChildren<QLabel *>();
    for (QLabel *label : labels) {
        if (label->property("fbLabelFor").toString() == pointer) {
            label->setProperty("invalid", invalid);
            repolish(label);
        }
    }
}

void PropertyForm::applyProblems()
{
    static const QRegularExpression nodeData(QStringLiteral("^/workflow/graph/nodes/\\d+/data"));
    QStringList unplaced;
    const QList<document::Problem> problems = document::validateWorkflow(m_document->workflow());
    for (const document::Problem &problem : problems) {
        if (problem.nodeId != m_nodeId)
            continue;
        QString pointer = problem.pointer;
        const QRegularExpressionMatch match = nodeData.match(pointer);
        QWidget *editor = nullptr;
        if (match.hasMatch()) {
            pointer = pointer.mid(match.capturedLength());
            while (!pointer.isEmpty() && !(editor = editorFor(pointer)))
                pointer = pointer.left(pointer.lastIndexOf(QLatin1Char('/')));
        }
        if (!editor) {
            unplaced.append((problem.isError() ? tr("Error: ") : tr("Warning: "))
                            + problem.message);
            continue;
        }
        const QString existing = m_problems.value(pointer);
        const QString message
            = existing.isEmpty() ? problem.message : existing + QLatin1Char('\n') + problem.message;
        if (problem.isError()) {
            setProblem(editor, message);
        } else if (!isInvalid(editor)) {
            // Warnings: an amber mark and the tooltip, not "invalid".
            editor->setProperty("warning", true);
            editor->setToolTip(message);
            repolish(editor);
        }
    }
    m_banner->setText(unplaced.join(QLatin1Char('\n')));
    m_banner->setVisible(!unplaced.isEmpty());
}

Json PropertyForm::valueAt(const QString &pointer) const
{
    const document::Node *node = m_document->workflow().node(m_nodeId);
    if (!node)
        return {};
    try {
        const Json::json_pointer ptr(ss(pointer));
        return node->data.contains(ptr) ? node->data.at(ptr) : Json();
    } catch (const std::exception &) {
        return {};
    }
}

QString PropertyForm::editName(const QString &label) const
{
    const QString kind = m_info ? m_info->displayName : m_kind;
    return tr("Change %1 %2").arg(kind, label);
}

void PropertyForm::commit(const QString &pointer, const Json &value, const QString &label)
{
    if (valueAt(pointer) == value)
        return;
    document::SetNodeDataEdit edit;
    edit.nodeId = m_nodeId;
    edit.pointer = pointer;
    edit.value = value;
    m_sink->applyEdit(document::Edit(std::move(edit), editName(label)));
}

void PropertyForm::commitRemove(const QString &pointer, const QString &label)
{
    const document::Node *node = m_document->workflow().node(m_nodeId);
    try {
        if (!node || !node->data.contains(Json::json_pointer(ss(pointer))))
            return;
    } catch (const std::exception &) {
        return;
    }
    document::SetNodeDataEdit edit;
    edit.nodeId = m_nodeId;
    edit.pointer = pointer;
    edit.remove = true;
    m_sink->applyEdit(document::Edit(std::move(edit), editName(label)));
}

void PropertyForm::commitEdits(std::vector<document::SetNodeDataEdit> edits, const QString &label)
{
    if (edits.size() == 1) {
        commit(edits.front().pointer, edits.front().value, label);
        return;
    }
    document::BatchEdit batch;
    for (document::SetNodeDataEdit &edit : edits)
        batch.edits.emplace_back(std::move(edit));
    m_sink->applyEdit(document::Edit(std::move(batch), editName(label)));
}

} // namespace flowbench::panels

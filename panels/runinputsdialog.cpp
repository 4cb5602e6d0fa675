#include "runinputsdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMimeDatabase>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSettings>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <string_view>

#include "nodes/filecontent.h"
#include "variables/template.h"
#include "variables/value.h"

namespace flowbench::panels {

using Json = nlohmann::json;

namespace {

QString qs(const Json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return {};
    return it->is_string() ? QString::fromStdString(it->get<std::string>())
                           : QString::fromStdString(it->dump());
}

bool flag(const Json &object, const char *key, bool fallback)
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    return it != object.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

// Secondary text: readable, but quieter than the fields.
void mute(QLabel *label)
{
    QPalette p = label->palette();
    const QColor text = p.color(QPalette::WindowText);
    const QColor window = p.color(QPalette::Window);
    p.setColor(QPalette::WindowText, QColor((text.red() * 3 + window.red() * 2) / 5,
                                            (text.green() * 3 + window.green() * 2) / 5,
                                            (text.blue() * 3 + window.blue() * 2) / 5));
    label->setPalette(p);
}

int intField(const Json &object, const char *key)
{
    if (!object.is_object())
        return 0;
    const auto it = object.find(key);
    if (it == object.end())
        return 0;
    if (it->is_number())
        return it->get<int>();
    if (it->is_string())
        return QString::fromStdString(it->get<std::string>()).toInt();
    return 0;
}

QString fromJsonText(const Json &value)
{
    return value.is_string() ? QString::fromStdString(value.get<std::string>())
                             : QString::fromStdString(value.dump());
}

QLabel *makeErrorLabel(QWidget *parent, const QString &name)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: #c62828;"));
    label->hide();
    return label;
}

void showError(QLabel *label, QWidget *editor, const QString &message)
{
    label->setText(message);
    label->setVisible(!message.isEmpty());
    if (editor) {
        // Dynamic property the style sheet below reacts to.
        editor->setProperty("invalid", !message.isEmpty());
        editor->setStyleSheet(
            message.isEmpty() ? QString()
                              : QStringLiteral("border: 1px solid #c62828; border-radius: 3px;"));
    }
}

QPlainTextEdit *makeTextBox(QWidget *parent, bool monospace, int lines)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setTabChangesFocus(true);
    if (monospace)
        edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    const int height = edit->fontMetrics().lineSpacing() * lines + 14;
    edit->setFixedHeight(height);
    return edit;
}

QStringList pathsOf(const QString &text)
{
    QStringList out;
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        const QString path = line.trimmed();
        if (!path.isEmpty())
            out << path;
    }
    return out;
}

QString pathFromFileValue(const Json &value)
{
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    const QString url = qs(value, "url");
    const QUrl u(url);
    return u.isLocalFile() ? u.toLocalFile() : url;
}

// Selector places in node data, as the validator walks them.
constexpr std::array<std::string_view, 9> kSelectorKeys = {
    "value_selector",          "variable_selector",         "iterator_selector",
    "output_selector",         "query_variable_selector",   "assigned_variable_selector",
    "input_variable_selector", "query_attachment_selector", "file",
};

bool isSelector(const Json &value)
{
    if (!value.is_array() || value.size() < 2)
        return false;
    return std::all_of(value.begin(), value.end(), [](const Json &e) { return e.is_string(); });
}

struct SelectorCollector
{
    QString kind;
    QList<QStringList> out;

    void add(const QStringList &selector)
    {
        if (selector.size() < 2)
            return;
        const QStringList pair = selector.mid(0, 2);
        if (!out.contains(pair))
            out << pair;
    }
    void addJson(const Json &selector)
    {
        QStringList parts;
        for (const Json &e : selector)
            parts << QString::fromStdString(e.get<std::string>());
        add(parts);
    }
    void walk(const Json &value, int depth)
    {
        if (depth > 64)
            return;
        if (value.is_string()) {
            for (const variables::Selector &s :
                 variables::templateSelectors(value.get_ref<const std::string &>())) {
                QStringList parts;
                for (const std::string &p : s)
                    parts << QString::fromStdString(p);
                add(parts);
            }
        } else if (value.is_array()) {
            for (const Json &item : value)
                walk(item, depth + 1);
        } else if (value.is_object()) {
            walkObject(value, depth);
        }
    }
    void walkObject(const Json &object, int depth)
    {
        const auto isVariableValue = [&object] {
            for (const char *key : {"type", "value_type", "input_type"}) {
                const auto it = object.find(key);
                if (it != object.end() && it->is_string() && it->get<std::string>() == "variable")
                    return true;
            }
            return false;
        };
        for (auto it = object.begin(); it != object.end(); ++it) {
            const std::string &key = it.key();
            if (depth == 0 && (key == "title" || key == "desc" || key == "code" || key == "type"))
                continue;
            if (it->is_array()) {
                const bool selectorKey
                    = std::find(kSelectorKeys.begin(), kSelectorKeys.end(), key)
                          != kSelectorKeys.end()
                      || (key == "value" && isVariableValue())
                      || (depth == 0 && key == "variable" && kind == QLatin1String("list-operator"))
                      || (depth == 0 && key == "query"
                          && kind == QLatin1String("parameter-extractor"));
                if (selectorKey && isSelector(*it)) {
                    addJson(*it);
                    continue;
                }
                if ((kind == QLatin1String("variable-aggregator")
                     || kind == QLatin1String("variable-assigner"))
                    && key == "variables") {
                    for (const Json &item : *it) {
                        if (isSelector(item))
                            addJson(item);
                    }
                    continue;
                }
            }
            walk(*it, depth + 1);
        }
    }
};

} // namespace

// --- RunInputs ----------------------------------------------------------------------------

void RunInputs::applyTo(runtime::RunOptions &options) const
{
    options.inputs = inputs.is_object() ? inputs : Json::object();
    options.query = query;
    options.files = files.is_array() ? files : Json::array();
}

// --- RunInputsDialog ----------------------------------------------------------------------

QString RunInputsDialog::settingsGroup(const document::Workflow &workflow)
{
    QString name = workflow.name().trimmed();
    if (name.isEmpty())
        name = QStringLiteral("untitled");
    return QStringLiteral("runInputs/")
           + QString::fromLatin1(QUrl::toPercentEncoding(name, QByteArray(" -._")));
}

RunInputsDialog::RunInputsDialog(const document::Workflow &workflow, QWidget *parent)
    : QDialog(parent)
    , m_group(settingsGroup(workflow))
{
    setObjectName(QStringLiteral("dialog.runInputs"));
    const QString app = workflow.name().isEmpty() ? tr("Untitled") : workflow.name();
    setWindowTitle(tr("Run “%1”").arg(app));
    setMinimumWidth(520);

    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Inputs of the Start node. Fields marked * are required."), this);
    intro->setObjectName(QStringLiteral("runInputs.intro"));
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *page = new QWidget(scroll);
    auto *form = new QFormLayout(page);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
    form->setVerticalSpacing(10);
    scroll->setWidget(page);
    layout->addWidget(scroll, 1);
    m_cost = new QLabel(this);
    m_cost->setObjectName(QStringLiteral("dialog.runInputs.cost"));
    m_cost->setWordWrap(true);
    m_cost->setTextFormat(Qt::PlainText);
    m_cost->hide();
    layout->addWidget(m_cost);

    const document::Node *start = nullptr;
    for (const document::Node &node : workflow.nodes()) {
        if (node.kind() == QLatin1String("start") && node.parentId().isEmpty()) {
            start = &node;
            break;
        }
    }
    if (workflow.mode() == document::AppMode::AdvancedChat) {
        Field query;
        query.name = QStringLiteral("sys.query");
        query.type = QStringLiteral("query");
        query.required = true;
        addField(form, std::move(query), tr("Query"), tr("The user's message (sys.query)"));
    }
    if (start) {
        const Json variables
            = start->data.is_object() ? start->data.value("variables", Json()) : Json();
        if (variables.is_array()) {
            for (const Json &variable : variables) {
                const QString name = qs(variable, "variable");
                if (name.isEmpty() || flag(variable, "hide", false))
                    continue;
                Field field;
                field.name = name;
                field.type = qs(variable, "type");
                if (field.type.isEmpty())
                    field.type = QStringLiteral("text-input");
                field.variable = variable;
                field.required = flag(variable, "required", true);
                const QString label = qs(variable, "label");
                addField(form, std::move(field), label.isEmpty() ? name : label,
                         qs(variable, "description"));
            }
        }
    }
    if (workflow.mode() == document::AppMode::AdvancedChat) {
        Field files;
        files.name = QStringLiteral("sys.files");
        files.type = QStringLiteral("files");
        addField(form, std::move(files), tr("Files"),
                 tr("Files sent with the message (sys.files), one path per line"));
    }
    if (m_fields.isEmpty()) {
        auto *none = new QLabel(tr("This workflow takes no inputs."), page);
        none->setEnabled(false);
        form->addRow(none);
    }

    m_banner = makeErrorLabel(this, QStringLiteral("runInputs.banner"));
    layout->addWidget(m_banner);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->setObjectName(QStringLiteral("runInputs.buttons"));
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Run"));
    auto *reset = buttons->addButton(tr("Defaults"), QDialogButtonBox::ResetRole);
    reset->setObjectName(QStringLiteral("runInputs.defaults"));
    reset->setToolTip(tr("Put every field back to its default value"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &RunInputsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(reset, &QPushButton::clicked, this, [this] {
        for (Field &field : m_fields)
            setRawValue(field, field.variable.is_object() ? field.variable.value("default", Json())
                                                          : Json());
    });

    restore();
    // Room for a short form without scrolling; tall forms scroll.
    page->adjustSize();
    scroll->setMinimumHeight(qMin(page->sizeHint().height() + 8, 560));
    adjustSize();
}

void RunInputsDialog::addField(QFormLayout *form, Field field, const QString &label,
                               const QString &help)
{
    QWidget *page = form->parentWidget();
    auto *cell = new QWidget(page);
    auto *cellLayout = new QVBoxLayout(cell);
    cellLayout->setContentsMargins(0, 0, 0, 0);
    cellLayout->setSpacing(2);
    const QString objectName = QStringLiteral("runInputs.field.") + field.name;
    const QString type = field.type;
    QWidget *editor = nullptr;
    if (type == QLatin1String("paragraph")) {
        editor = makeTextBox(cell, false, 4);
    } else if (type == QLatin1String("select")) {
        auto *combo = new QComboBox(cell);
        if (!field.required)
            combo->addItem(tr("(none)"), QString());
        const Json options = field.variable.value("options", Json::array());
        if (options.is_array()) {
            for (const Json &option : options)
                combo->addItem(fromJsonText(option), fromJsonText(option));
        }
        editor = combo;
    } else if (type == QLatin1String("checkbox")) {
        auto *check = new QCheckBox(cell);
        editor = check;
    } else if (type == QLatin1String("json_object")) {
        auto *edit = makeTextBox(cell, true, 5);
        edit->setPlaceholderText(QStringLiteral("{ }"));
        editor = edit;
    } else if (type == QLatin1String("file") || type == QLatin1String("file-list")
               || type == QLatin1String("files")) {
        const bool many = type != QLatin1String("file");
        auto *row = new QWidget(cell);
        auto *rowLayout = new QHBoxLayout(row);
        rowLayout->setContentsMargins(0, 0, 0, 0);
        QWidget *pathEditor = nullptr;
        if (many) {
            auto *edit = makeTextBox(row, false, 3);
            edit->setPlaceholderText(tr("One file path per line"));
            pathEditor = edit;
        } else {
            auto *edit = new QLineEdit(row);
            edit->setPlaceholderText(tr("Path to a file"));
            edit->setClearButtonEnabled(true);
            pathEditor = edit;
        }
        pathEditor->setObjectName(objectName);
        rowLayout->addWidget(pathEditor, 1);
        auto *browse = new QPushButton(many ? tr("Add…") : tr("Browse…"), row);
        browse->setObjectName(objectName + QStringLiteral(".browse"));
        rowLayout->addWidget(browse, 0, Qt::AlignTop);
        connect(browse, &QPushButton::clicked, this, [this, pathEditor, many] {
            if (many) {
                const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Choose Files"));
                auto *edit = static_cast<QPlainTextEdit *>(pathEditor);
                for (const QString &path : paths)
                    edit->appendPlainText(QDir::toNativeSeparators(path));
            } else {
                const QString path = QFileDialog::getOpenFileName(this, tr("Choose a File"));
                if (!path.isEmpty())
                    static_cast<QLineEdit *>(pathEditor)->setText(QDir::toNativeSeparators(path));
            }
        });
        cellLayout->addWidget(row);
        editor = pathEditor;
    } else if (type == QLatin1String("number")) {
        auto *edit = new QLineEdit(cell);
        edit->setPlaceholderText(tr("A number"));
        edit->setMaximumWidth(220);
        editor = edit;
    } else {
        auto *edit = new QLineEdit(cell);
        edit->setClearButtonEnabled(true);
        const int maxLength = intField(field.variable, "max_length");
        if (maxLength > 0)
            edit->setMaxLength(maxLength);
        editor = edit;
    }
    if (editor->parentWidget() == cell) {
        editor->setObjectName(objectName);
        cellLayout->addWidget(editor);
    }
    if (!help.isEmpty()) {
        auto *hint = new QLabel(help, cell);
        hint->setWordWrap(true);
        QFont small = hint->font();
        small.setPointSizeF(small.pointSizeF() * 0.9);
        hint->setFont(small);
        mute(hint);
        cellLayout->addWidget(hint);
    }
    field.editor = editor;
    field.error = makeErrorLabel(cell, QStringLiteral("runInputs.error.") + field.name);
    cellLayout->addWidget(field.error);

    QString text = label.toHtmlEscaped();
    if (field.required)
        text += QStringLiteral(" <span style=\"color:#c62828\">*</span>");
    auto *labelWidget = new QLabel(text, page);
    labelWidget->setTextFormat(Qt::RichText);
    labelWidget->setBuddy(editor);
    labelWidget->setToolTip(field.name);
    form->addRow(labelWidget, cell);
    m_fields << std::move(field);
}

QStringList RunInputsDialog::fieldNames() const
{
    QStringList names;
    for (const Field &field : m_fields)
        names << field.name;
    return names;
}

QWidget *RunInputsDialog::fieldWidget(const QString &name) const
{
    for (const Field &field : m_fields) {
        if (field.name == name)
            return field.editor;
    }
    return nullptr;
}

QLabel *RunInputsDialog::errorLabel(const QString &name) const
{
    for (const Field &field : m_fields) {
        if (field.name == name)
            return field.error;
    }
    return nullptr;
}

Json RunInputsDialog::rawValue(const Field &field) const
{
    if (auto *check = qobject_cast<QCheckBox *>(field.editor))
        return check->isChecked();
    if (auto *combo = qobject_cast<QComboBox *>(field.editor))
        return combo->currentData().toString().toStdString();
    if (auto *line = qobject_cast<QLineEdit *>(field.editor))
        return line->text().toStdString();
    if (auto *text = qobject_cast<QPlainTextEdit *>(field.editor))
        return text->toPlainText().toStdString();
    return Json();
}

void RunInputsDialog::setRawValue(Field &field, const Json &value)
{
    if (auto *check = qobject_cast<QCheckBox *>(field.editor)) {
        bool on = false;
        if (value.is_boolean())
            on = value.get<bool>();
        else if (value.is_number())
            on = value.get<double>() != 0;
        else if (value.is_string())
            on = QString::fromStdString(value.get<std::string>()).trimmed().toLower()
                 == QLatin1String("true");
        check->setChecked(on);
        return;
    }
    QString text;
    if (field.type == QLatin1String("file") || field.type == QLatin1String("file-list")
        || field.type == QLatin1String("files")) {
        QStringList paths;
        if (value.is_array()) {
            for (const Json &item : value)
                paths << pathFromFileValue(item);
        } else if (!value.is_null()) {
            paths << pathFromFileValue(value);
        }
        text = paths.join(QLatin1Char('\n'));
    } else if (field.type == QLatin1String("json_object") && value.is_object()) {
        text = QString::fromStdString(value.dump(2));
    } else if (!value.is_null()) {
        text = fromJsonText(value);
    }
    if (auto *combo = qobject_cast<QComboBox *>(field.editor)) {
        const int index = combo->findData(text);
        combo->setCurrentIndex(index >= 0 ? index : 0);
    } else if (auto *line = qobject_cast<QLineEdit *>(field.editor)) {
        line->setText(text);
    } else if (auto *edit = qobject_cast<QPlainTextEdit *>(field.editor)) {
        edit->setPlainText(text);
    }
}

void RunInputsDialog::restore()
{
    QSettings settings;
    const QByteArray stored = settings.value(m_group + QStringLiteral("/values")).toByteArray();
    Json remembered = Json::parse(stored.constBegin(), stored.constEnd(), nullptr, false);
    if (!remembered.is_object())
        remembered = Json::object();
    for (Field &field : m_fields) {
        const std::string key = field.name.toStdString();
        if (remembered.contains(key))
            setRawValue(field, remembered[key]);
        else if (field.variable.is_object())
            setRawValue(field, field.variable.value("default", Json()));
    }
}

void RunInputsDialog::remember() const
{
    Json values = Json::object();
    for (const Field &field : m_fields)
        values[field.name.toStdString()] = rawValue(field);
    QSettings settings;
    settings.setValue(m_group + QStringLiteral("/values"), QString::fromStdString(values.dump()));
}

bool RunInputsDialog::validate()
{
    RunInputs result;
    int failures = 0;
    for (const Field &field : m_fields) {
        QString message;
        const Json raw = rawValue(field);
        const QString text
            = raw.is_string() ? QString::fromStdString(raw.get<std::string>()) : QString();
        const bool empty = raw.is_string() && text.trimmed().isEmpty();
        Json value;
        const QString &type = field.type;
        if (empty) {
            if (field.required)
                message = tr("This field is required.");
        } else if (type == QLatin1String("number")) {
            bool ok = false;
            const QString t = text.trimmed();
            const qlonglong i = t.toLongLong(&ok);
            if (ok) {
                value = i;
            } else {
                const double d = t.toDouble(&ok);
                if (ok)
                    value = d;
                else
                    message = tr("Enter a number.");
            }
        } else if (type == QLatin1String("checkbox")) {
            value = raw;
        } else if (type == QLatin1String("json_object")) {
            const std::string utf8 = text.toStdString();
            Json parsed = Json::parse(utf8, nullptr, false);
            if (parsed.is_discarded() || !parsed.is_object())
                message = tr("Enter a JSON object, such as {\"key\": \"value\"}.");
            else
                value = std::move(parsed);
        } else if (type == QLatin1String("file") || type == QLatin1String("file-list")
                   || type == QLatin1String("files")) {
            const QStringList paths = pathsOf(text);
            Json files = Json::array();
            for (const QString &path : paths) {
                if (!QFileInfo(path).isFile()) {
                    message = tr("No such file: %1").arg(path);
                    break;
                }
                files.push_back(nodes::localFileObject(path));
            }
            if (message.isEmpty()) {
                if (type == QLatin1String("file") && paths.size() > 1)
                    message = tr("Choose one file.");
                else if (type == QLatin1String("file"))
                    value = files.empty() ? Json() : files.front();
                else
                    value = std::move(files);
            }
            const int maxFiles = intField(field.variable, "max_length");
            if (message.isEmpty() && type == QLatin1String("file-list") && maxFiles > 0
                && paths.size() > maxFiles)
                message = tr("Choose at most %n file(s).", nullptr, maxFiles);
        } else {
            const int maxLength = intField(field.variable, "max_length");
            if (type == QLatin1String("paragraph") && maxLength > 0 && text.size() > maxLength)
                message = tr("At most %n character(s).", nullptr, maxLength);
            value = text.toStdString();
        }
        showError(field.error, field.editor, message);
        if (!message.isEmpty()) {
            if (failures++ == 0)
                field.editor->setFocus();
            continue;
        }
        if (field.type == QLatin1String("query"))
            result.query = text;
        else if (field.type == QLatin1String("files"))
            result.files = value.is_array() ? value : Json::array();
        else if (!value.is_null())
            result.inputs[field.name.toStdString()] = value;
    }
    m_banner->setText(failures ? tr("%n field(s) need attention.", nullptr, failures) : QString());
    m_banner->setVisible(failures > 0);
    if (failures == 0)
        m_result = std::move(result);
    return failures == 0;
}

void RunInputsDialog::accept()
{
    if (!validate())
        return;
    remember();
    QDialog::accept();
}

// --- SingleNodeInputsDialog ----------------------------------------------------------------

QList<QStringList> SingleNodeInputsDialog::referencedSelectors(const document::Node &node)
{
    SelectorCollector collector;
    collector.kind = node.kind();
    if (node.data.is_object())
        collector.walkObject(node.data, 0);
    QList<QStringList> out;
    for (const QStringList &s : std::as_const(collector.out)) {
        if (s.first() != node.id)
            out << s;
    }
    return out;
}

SingleNodeInputsDialog::SingleNodeInputsDialog(const document::Workflow &workflow,
                                               const QString &nodeId, const Json &poolSnapshot,
                                               QWidget *parent)
    : QDialog(parent)
    , m_snapshot(poolSnapshot.is_object() ? poolSnapshot : Json::object())
{
    setObjectName(QStringLiteral("dialog.singleNodeInputs"));
    const document::Node *node = workflow.node(nodeId);
    const QString title = node ? node->title() : nodeId;
    setWindowTitle(tr("Run “%1”").arg(title));
    setMinimumWidth(560);
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(
        tr("Values this node reads, from the last run or the current pool. Edit them as text or "
           "as JSON, then run the node alone."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *page = new QWidget(scroll);
    auto *form = new QFormLayout(page);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
    form->setVerticalSpacing(10);
    scroll->setWidget(page);
    layout->addWidget(scroll, 1);

    const QList<QStringList> selectors = node ? referencedSelectors(*node) : QList<QStringList>();
    for (const QStringList &selector : selectors) {
        Row row;
        row.selector = selector;
        const std::string scope = selector.at(0).toStdString();
        const std::string var = selector.at(1).toStdString();
        const Json *value = nullptr;
        const auto scopeIt = m_snapshot.find(scope);
        if (scopeIt != m_snapshot.end() && scopeIt->is_object()) {
            const auto varIt = scopeIt->find(var);
            if (varIt != scopeIt->end())
                value = &*varIt;
        }
        row.present = value != nullptr;
        const QString key = selector.join(QLatin1Char('.'));
        auto *cell = new QWidget(page);
        auto *cellLayout = new QVBoxLayout(cell);
        cellLayout->setContentsMargins(0, 0, 0, 0);
        cellLayout->setSpacing(2);
        auto *line = new QHBoxLayout;
        row.editor = makeTextBox(cell, true, 3);
        row.editor->setObjectName(QStringLiteral("singleNode.value.") + key);
        if (!row.present)
            row.editor->setPlaceholderText(tr("(not in the pool: leave empty to leave it unset)"));
        row.type = new QComboBox(cell);
        row.type->setObjectName(QStringLiteral("singleNode.type.") + key);
        row.type->addItem(tr("Text"), QStringLiteral("text"));
        row.type->addItem(tr("JSON"), QStringLiteral("json"));
        const bool asText = !value || value->is_string();
        row.type->setCurrentIndex(asText ? 0 : 1);
        if (value)
            row.editor->setPlainText(value->is_string()
                                         ? QString::fromStdString(value->get<std::string>())
                                         : QString::fromStdString(value->dump(2)));
        line->addWidget(row.editor, 1);
        line->addWidget(row.type, 0, Qt::AlignTop);
        cellLayout->addLayout(line);
        row.error = makeErrorLabel(cell, QStringLiteral("singleNode.error.") + key);
        cellLayout->addWidget(row.error);

        QString source = selector.at(0);
        if (const document::Node *from = workflow.node(selector.at(0)))
            source = from->title();
        auto *label = new QLabel(QStringLiteral("%1 · <b>%2</b>")
                                     .arg(source.toHtmlEscaped(), selector.at(1).toHtmlEscaped()),
                                 page);
        label->setTextFormat(Qt::RichText);
        label->setToolTip(QStringLiteral("{{#%1#}}").arg(key));
        label->setBuddy(row.editor);
        form->addRow(label, cell);
        m_rows << row;
    }
    if (m_rows.isEmpty()) {
        auto *none = new QLabel(tr("This node reads no variables."), page);
        none->setEnabled(false);
        form->addRow(none);
    }

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Run Node"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &SingleNodeInputsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    page->adjustSize();
    scroll->setMinimumHeight(qMin(page->sizeHint().height() + 8, 560));
    adjustSize();
}

QList<QStringList> SingleNodeInputsDialog::selectors() const
{
    QList<QStringList> out;
    for (const Row &row : m_rows)
        out << row.selector;
    return out;
}

QPlainTextEdit *SingleNodeInputsDialog::editor(const QStringList &selector) const
{
    for (const Row &row : m_rows) {
        if (row.selector == selector)
            return row.editor;
    }
    return nullptr;
}

QComboBox *SingleNodeInputsDialog::typeSwitch(const QStringList &selector) const
{
    for (const Row &row : m_rows) {
        if (row.selector == selector)
            return row.type;
    }
    return nullptr;
}

bool SingleNodeInputsDialog::validate()
{
    Json result = m_snapshot;
    int failures = 0;
    for (const Row &row : m_rows) {
        const QString text = row.editor->toPlainText();
        const bool json = row.type->currentData().toString() == QLatin1String("json");
        QString message;
        Json value;
        if (!row.present && text.isEmpty()) {
            showError(row.error, row.editor, {});
            continue;
        }
        if (json) {
            value = Json::parse(text.toStdString(), nullptr, false);
            if (value.is_discarded())
                message = tr("Not valid JSON. Switch to Text to pass it as a string.");
        } else {
            value = text.toStdString();
        }
        showError(row.error, row.editor, message);
        if (!message.isEmpty()) {
            if (failures++ == 0)
                row.editor->setFocus();
            continue;
        }
        const std::string scope = row.selector.at(0).toStdString();
        if (!result[scope].is_object())
            result[scope] = Json::object();
        result[scope][row.selector.at(1).toStdString()] = std::move(value);
    }
    if (failures == 0)
        m_result = std::move(result);
    return failures == 0;
}

void SingleNodeInputsDialog::accept()
{
    if (validate())
        QDialog::accept();
}

void RunInputsDialog::setCostEstimate(const QString &text)
{
    m_cost->setText(text);
    m_cost->setVisible(!text.isEmpty());
}

QString RunInputsDialog::costEstimate() const
{
    return m_cost->text();
}

} // namespace flowbench::panels

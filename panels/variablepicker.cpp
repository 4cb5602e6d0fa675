#include "variablepicker.h"

#include "document/workflowdocument.h"
#include "nodes/registry.h"

#include <QCoreApplication>
#include <QCursor>
#include <QEventLoop>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QScreen>
#include <QSet>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace flowbench::panels {

namespace {

using document::Json;
using document::Workflow;

constexpr int kSelectorRole = Qt::UserRole + 1;

enum Column { VariableColumn, TypeColumn, ColumnCount };

QString jsonString(const Json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get<std::string>());
}

bool isReserved(const QString &first)
{
    return first == QLatin1String("sys") || first == QLatin1String("env")
           || first == QLatin1String("conversation") || first == QLatin1String("userinput");
}

// Stops a local event loop when the popup hides or goes away.
class HideWatcher : public QObject
{
public:
    HideWatcher(QEventLoop *loop, QObject *parent)
        : QObject(parent)
        , m_loop(loop)
    {}

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Hide)
            m_loop->quit();
        return QObject::eventFilter(watched, event);
    }

private:
    QEventLoop *m_loop;
};

// ---- scope ---------------------------------------------------------------------------------

class Scope
{
public:
    explicit Scope(const Workflow &workflow)
        : m_wf(workflow)
        , m_registry(nodes::NodeRegistry::instance())
    {}

    QString groupOf(const document::Node &node) const
    {
        const QString title = node.title();
        if (!title.isEmpty())
            return title;
        if (const nodes::NodeKindInfo *info = m_registry.find(node.kind()))
            return info->displayName;
        return node.id;
    }

    // The containers enclosing `id`, innermost first (guarded against parent cycles).
    QStringList enclosing(const QString &id) const
    {
        QStringList result;
        const document::Node *node = m_wf.node(id);
        QString parent = node ? node->parentId() : QString();
        while (!parent.isEmpty() && !result.contains(parent) && parent != id) {
            const document::Node *p = m_wf.node(parent);
            if (!p)
                break;
            result.append(parent);
            parent = p->parentId();
        }
        return result;
    }

    std::vector<nodes::OutputVar> outputsOf(const document::Node &node) const
    {
        std::vector<nodes::OutputVar> outputs = m_registry.outputsFor(node.kind(), node.data);
        if (node.kind() == QLatin1String("iteration")) {
            // item/index exist only inside the body.
            std::erase_if(outputs, [](const nodes::OutputVar &o) {
                return o.name == QLatin1String("item") || o.name == QLatin1String("index");
            });
        }
        return outputs;
    }

    // The type of what `selector` names, "any" when unknown.
    QString typeOf(const Json &selector) const
    {
        if (!selector.is_array() || selector.size() < 2 || !selector[0].is_string()
            || !selector[1].is_string())
            return QStringLiteral("any");
        const QString first = QString::fromStdString(selector[0].get<std::string>());
        const QString second = QString::fromStdString(selector[1].get<std::string>());
        if (selector.size() > 2)
            return QStringLiteral("any");
        if (first == QLatin1String("sys")) {
            for (const auto &s : systemVariables(document::AppMode::AdvancedChat)) {
                if (s.first == second)
                    return s.second;
            }
            return QStringLiteral("any");
        }
        if (first == QLatin1String("env") || first == QLatin1String("conversation")) {
            const auto &vars = first == QLatin1String("env") ? m_wf.environmentVariables
                                                             : m_wf.conversationVariables;
            for (const document::Variable &v : vars) {
                if (v.name == second)
                    return v.valueType;
            }
            return QStringLiteral("any");
        }
        if (const document::Node *node = m_wf.node(first)) {
            for (const nodes::OutputVar &o : m_registry.outputsFor(node->kind(), node->data)) {
                if (o.name == second)
                    return o.type;
            }
        }
        return QStringLiteral("any");
    }

    // Inside container `c`: iteration item/index, loop variables.
    QList<VariableRef> innerVariables(const document::Node &c) const
    {
        QList<VariableRef> result;
        const QString group = groupOf(c);
        if (c.kind() == QLatin1String("iteration")) {
            QString item = QStringLiteral("any");
            const auto it = c.data.find("iterator_selector");
            if (it != c.data.end()) {
                const QString listType = typeOf(*it);
                if (listType.startsWith(QLatin1String("array["))
                    && listType.endsWith(QLatin1Char(']')))
                    item = listType.mid(6, listType.size() - 7);
            }
            result.append({{c.id, QStringLiteral("item")}, group, item});
            result.append({{c.id, QStringLiteral("index")}, group, QStringLiteral("number")});
        } else if (c.kind() == QLatin1String("loop")) {
            const auto vars = c.data.find("loop_variables");
            if (vars != c.data.end() && vars->is_array()) {
                for (const Json &v : *vars) {
                    const QString label = jsonString(v, "label");
                    if (label.isEmpty())
                        continue;
                    QString type = jsonString(v, "var_type");
                    if (type.isEmpty())
                        type = QStringLiteral("any");
                    result.append({{c.id, label}, group, type});
                }
            }
        }
        return result;
    }

    void appendOutputs(const document::Node &node, QList<VariableRef> *out) const
    {
        const QString group = groupOf(node);
        for (const nodes::OutputVar &o : outputsOf(node))
            out->append({{node.id, o.name}, group, o.type});
    }

    // Ids upstream of `from` through incoming edges, nearest first, `skip` excluded and added to.
    QStringList upstream(const QString &from, QSet<QString> *seen) const
    {
        QStringList order;
        QStringList queue{from};
        for (qsizetype head = 0; head < queue.size(); ++head) {
            for (const document::Edge *e : m_wf.incomingEdges(queue.at(head))) {
                if (seen->contains(e->source) || !m_wf.node(e->source))
                    continue;
                seen->insert(e->source);
                queue.append(e->source);
                order.append(e->source);
            }
        }
        return order;
    }

    static std::vector<std::pair<QString, QString>> systemVariables(document::AppMode mode)
    {
        const QString str = QStringLiteral("string");
        std::vector<std::pair<QString, QString>> result;
        if (mode == document::AppMode::AdvancedChat) {
            result.emplace_back(QStringLiteral("query"), str);
            result.emplace_back(QStringLiteral("files"), QStringLiteral("array[file]"));
            result.emplace_back(QStringLiteral("conversation_id"), str);
            result.emplace_back(QStringLiteral("dialogue_count"), QStringLiteral("number"));
        } else {
            result.emplace_back(QStringLiteral("files"), QStringLiteral("array[file]"));
        }
        result.emplace_back(QStringLiteral("user_id"), str);
        result.emplace_back(QStringLiteral("app_id"), str);
        result.emplace_back(QStringLiteral("workflow_id"), str);
        result.emplace_back(QStringLiteral("workflow_run_id"), str);
        if (mode == document::AppMode::Workflow)
            result.emplace_back(QStringLiteral("timestamp"), QStringLiteral("number"));
        return result;
    }

    QList<VariableRef> visibleAt(const QString &nodeId) const
    {
        QList<VariableRef> out;
        const document::Node *self = m_wf.node(nodeId);
        if (self) {
            const QStringList containers = enclosing(nodeId);
            const nodes::NodeKindInfo *info = m_registry.find(self->kind());
            const bool isContainer = info && info->isContainer;

            // A container reads its own item/index or loop variables (break conditions) and
            // its body's outputs (output_selector).
            if (isContainer) {
                out += innerVariables(*self);
                for (const document::Node &n : m_wf.nodes()) {
                    if (!n.isNote() && enclosing(n.id).contains(nodeId))
                        appendOutputs(n, &out);
                }
            }
            for (const QString &c : containers)
                out += innerVariables(*m_wf.node(c));

            // Upstream: the node's own predecessors first, then each enclosing container's.
            QSet<QString> seen{nodeId};
            for (const QString &c : containers)
                seen.insert(c);
            QStringList ids = upstream(nodeId, &seen);
            for (const QString &c : containers)
                ids += upstream(c, &seen);
            for (const QString &id : ids) {
                const document::Node *n = m_wf.node(id);
                if (n && !n->isNote())
                    appendOutputs(*n, &out);
            }
        }

        const QString system
            = QCoreApplication::translate("flowbench::panels::VariablePicker", "System");
        for (const auto &s : systemVariables(m_wf.mode()))
            out.append({{QStringLiteral("sys"), s.first}, system, s.second});
        const QString environment
            = QCoreApplication::translate("flowbench::panels::VariablePicker", "Environment");
        for (const document::Variable &v : m_wf.environmentVariables) {
            if (!v.name.isEmpty())
                out.append({{QStringLiteral("env"), v.name}, environment, v.valueType});
        }
        if (m_wf.mode() == document::AppMode::AdvancedChat) {
            const QString conversation
                = QCoreApplication::translate("flowbench::panels::VariablePicker", "Conversation");
            for (const document::Variable &v : m_wf.conversationVariables) {
                if (!v.name.isEmpty())
                    out.append(
                        {{QStringLiteral("conversation"), v.name}, conversation, v.valueType});
            }
        }
        return out;
    }

private:
    const Workflow &m_wf;
    const nodes::NodeRegistry &m_registry;
};

} // namespace

// ---- VariablePicker --------------------------------------------------------------------------

VariablePicker::VariablePicker(QWidget *parent)
    : QWidget(parent)
    , m_search(new QLineEdit(this))
    , m_tree(new QTreeWidget(this))
    , m_emptyLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("variablepicker"));
    m_search->setObjectName(QStringLiteral("variablepicker.search"));
    m_search->setPlaceholderText(tr("Search variables"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);

    m_tree->setObjectName(QStringLiteral("variablepicker.tree"));
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels({tr("Variable"), tr("Type")});
    m_tree->setHeaderHidden(true);
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setExpandsOnDoubleClick(false);
    m_tree->setItemsExpandable(false);
    m_tree->setIndentation(12);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(VariableColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(TypeColumn, QHeaderView::ResizeToContents);

    m_emptyLabel->setObjectName(QStringLiteral("variablepicker.empty"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setText(tr("No variables"));
    m_emptyLabel->setEnabled(false);
    m_emptyLabel->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(m_search);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_emptyLabel, 1);
    setFocusProxy(m_search);

    connect(m_search, &QLineEdit::textChanged, this, &VariablePicker::applyFilter);
    connect(m_tree, &QTreeWidget::itemActivated, this,
            [this](QTreeWidgetItem *item) { choose(item); });
}

void VariablePicker::setVariables(const QList<VariableRef> &variables)
{
    m_variables = variables;
    rebuild();
}

void VariablePicker::setTypeFilter(const QStringList &types)
{
    m_typeFilter = types;
    applyFilter();
}

void VariablePicker::setFilterText(const QString &text)
{
    m_search->setText(text); // applyFilter via textChanged
}

QString VariablePicker::filterText() const
{
    return m_search->text();
}

void VariablePicker::rebuild()
{
    m_tree->clear();
    QHash<QString, QTreeWidgetItem *> groups;
    QFont bold = m_tree->font();
    bold.setBold(true);
    const QColor typeColor = palette().color(QPalette::PlaceholderText);
    for (const VariableRef &ref : std::as_const(m_variables)) {
        if (ref.selector.isEmpty())
            continue;
        QTreeWidgetItem *group = groups.value(ref.group);
        if (!group) {
            group = new QTreeWidgetItem(m_tree, {ref.group});
            group->setFont(VariableColumn, bold);
            group->setFlags(Qt::ItemIsEnabled);
            group->setFirstColumnSpanned(true);
            groups.insert(ref.group, group);
        }
        const QString name = isReserved(ref.selector.first())
                                 ? ref.selector.join(QLatin1Char('.'))
                                 : ref.selector.mid(1).join(QLatin1Char('.'));
        auto *row = new QTreeWidgetItem(group, {name, ref.type});
        row->setData(VariableColumn, kSelectorRole, ref.selector);
        row->setForeground(TypeColumn, typeColor);
        row->setTextAlignment(TypeColumn, Qt::AlignRight | Qt::AlignVCenter);
        row->setToolTip(VariableColumn,
                        QStringLiteral("{{#%1#}}").arg(ref.selector.join(QLatin1Char('.'))));
    }
    m_tree->expandAll();
    applyFilter();
}

bool VariablePicker::typeAccepted(const QString &type) const
{
    if (m_typeFilter.isEmpty() || type == QLatin1String("any") || type.isEmpty())
        return true;
    const QString effective = type == QLatin1String("secret") ? QStringLiteral("string") : type;
    for (const QString &wanted : m_typeFilter) {
        if (wanted == effective || wanted == QLatin1String("any"))
            return true;
        if ((wanted == QLatin1String("array") || wanted == QLatin1String("array[any]"))
            && effective.startsWith(QLatin1String("array")))
            return true;
    }
    return false;
}

void VariablePicker::applyFilter()
{
    const QString needle = m_search->text().trimmed();
    int shown = 0;
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        QTreeWidgetItem *group = m_tree->topLevelItem(g);
        const bool groupMatches
            = !needle.isEmpty()
              && group->text(VariableColumn).contains(needle, Qt::CaseInsensitive);
        int visible = 0;
        for (int r = 0; r < group->childCount(); ++r) {
            QTreeWidgetItem *row = group->child(r);
            const QStringList selector = row->data(VariableColumn, kSelectorRole).toStringList();
            const bool textMatches
                = needle.isEmpty() || groupMatches
                  || row->text(VariableColumn).contains(needle, Qt::CaseInsensitive)
                  || selector.join(QLatin1Char('.')).contains(needle, Qt::CaseInsensitive);
            const bool show = textMatches && typeAccepted(row->text(TypeColumn));
            row->setHidden(!show);
            visible += show ? 1 : 0;
        }
        group->setHidden(visible == 0);
        shown += visible;
    }
    m_tree->setVisible(shown > 0);
    m_emptyLabel->setText(m_variables.isEmpty() ? tr("No variables") : tr("No variable matches"));
    m_emptyLabel->setVisible(shown == 0);

    QTreeWidgetItem *current = m_tree->currentItem();
    if (!current || current->isHidden() || !current->parent() || current->parent()->isHidden()) {
        if (QTreeWidgetItem *first = firstVisibleRow())
            m_tree->setCurrentItem(first);
        else
            m_tree->setCurrentItem(nullptr);
    }
}

QTreeWidgetItem *VariablePicker::firstVisibleRow() const
{
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        QTreeWidgetItem *group = m_tree->topLevelItem(g);
        if (group->isHidden())
            continue;
        for (int r = 0; r < group->childCount(); ++r) {
            if (!group->child(r)->isHidden())
                return group->child(r);
        }
    }
    return nullptr;
}

QList<QStringList> VariablePicker::visibleSelectors() const
{
    QList<QStringList> result;
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        QTreeWidgetItem *group = m_tree->topLevelItem(g);
        if (group->isHidden())
            continue;
        for (int r = 0; r < group->childCount(); ++r) {
            if (!group->child(r)->isHidden())
                result.append(group->child(r)->data(VariableColumn, kSelectorRole).toStringList());
        }
    }
    return result;
}

QStringList VariablePicker::currentSelector() const
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    return item ? item->data(VariableColumn, kSelectorRole).toStringList() : QStringList();
}

void VariablePicker::choose(QTreeWidgetItem *item)
{
    if (!item || item->isHidden())
        return;
    const QStringList selector = item->data(VariableColumn, kSelectorRole).toStringList();
    if (!selector.isEmpty())
        Q_EMIT variableChosen(selector);
}

bool VariablePicker::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        switch (key->key()) {
        case Qt::Key_Up:
        case Qt::Key_Down:
        case Qt::Key_PageUp:
        case Qt::Key_PageDown: {
            // Move through rows only (group rows are not selectable).
            QTreeWidgetItem *current = m_tree->currentItem();
            const bool down = key->key() == Qt::Key_Down || key->key() == Qt::Key_PageDown;
            const int steps
                = key->key() == Qt::Key_PageUp || key->key() == Qt::Key_PageDown ? 8 : 1;
            QTreeWidgetItem *target = current ? current : firstVisibleRow();
            for (int i = 0; current && i < steps; ++i) {
                QTreeWidgetItem *next = target;
                do {
                    next = down ? m_tree->itemBelow(next) : m_tree->itemAbove(next);
                } while (next && !next->parent());
                if (!next)
                    break;
                target = next;
            }
            if (target)
                m_tree->setCurrentItem(target);
            return true;
        }
        case Qt::Key_Return:
        case Qt::Key_Enter:
            choose(m_tree->currentItem() ? m_tree->currentItem() : firstVisibleRow());
            return true;
        case Qt::Key_Escape:
            if (windowType() == Qt::Popup) {
                hide();
                return true;
            }
            break;
        default:
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

std::optional<QStringList> VariablePicker::pick(QWidget *anchor,
                                                const QList<VariableRef> &variables,
                                                const QStringList &typeFilter)
{
    QPointer<VariablePicker> picker = new VariablePicker(anchor);
    picker->setObjectName(QStringLiteral("variablepicker.popup"));
    picker->setWindowFlags(Qt::Popup);
    picker->setAttribute(Qt::WA_DeleteOnClose, false);
    picker->setTypeFilter(typeFilter);
    picker->setVariables(variables);

    const QSize size(anchor ? qMax(anchor->width(), 340) : 340, 380);
    QPoint at = anchor ? anchor->mapToGlobal(QPoint(0, anchor->height())) : QCursor::pos();
    if (const QScreen *screen = anchor ? anchor->screen() : picker->screen()) {
        const QRect area = screen->availableGeometry();
        if (at.y() + size.height() > area.bottom() && anchor)
            at.setY(anchor->mapToGlobal(QPoint(0, 0)).y() - size.height());
        at.setX(qBound(area.left(), at.x(), qMax(area.left(), area.right() - size.width())));
        at.setY(qBound(area.top(), at.y(), qMax(area.top(), area.bottom() - size.height())));
    }
    picker->resize(size);
    picker->move(at);

    std::optional<QStringList> result;
    QEventLoop loop;
    auto *watcher = new HideWatcher(&loop, picker);
    picker->installEventFilter(watcher);
    QObject::connect(picker, &VariablePicker::variableChosen, &loop,
                     [&result, &loop](const QStringList &selector) {
                         result = selector;
                         loop.quit();
                     });
    QObject::connect(picker, &QObject::destroyed, &loop, &QEventLoop::quit);
    picker->show();
    picker->m_search->setFocus(Qt::PopupFocusReason);
    if (picker && picker->isVisible())
        loop.exec();
    delete picker.data();
    return result;
}

// ---- scope -----------------------------------------------------------------------------------

QList<VariableRef> variablesVisibleAt(const document::Workflow &workflow, const QString &nodeId)
{
    return Scope(workflow).visibleAt(nodeId);
}

VariableProvider variableProviderFor(const document::WorkflowDocument *document,
                                     const QString &nodeId)
{
    return [document, nodeId] { return variablesVisibleAt(document->workflow(), nodeId); };
}

} // namespace flowbench::panels

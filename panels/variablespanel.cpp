#include "variablespanel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace flowbench::panels {

using runtime::Json;
using runtime::RunEvent;
using Type = RunEvent::Type;
using Capability = runtime::Debugger::Capability;

namespace {

constexpr int kGroupKeyRole = Qt::UserRole + 10;
const QColor kChangedColour(0xd0, 0x5a, 0x00);

variables::Selector toSelector(const QStringList &parts)
{
    variables::Selector selector;
    selector.reserve(size_t(parts.size()));
    for (const QString &part : parts)
        selector.push_back(part.toStdString());
    return selector;
}

bool isScalar(const Json &value)
{
    return value.is_string() || value.is_number() || value.is_boolean() || value.is_null();
}

} // namespace

VariablesPanel::VariablesPanel(runtime::Debugger *debugger, QWidget *parent)
    : QWidget(parent)
    , m_debugger(debugger)
{
    setObjectName(QStringLiteral("panel.variables"));

    m_watchInput = new QLineEdit(this);
    m_watchInput->setObjectName(QStringLiteral("variables.watchInput"));
    m_watchInput->setPlaceholderText(tr("Watch a variable: node.variable, then Enter"));
    m_watchInput->setClearButtonEnabled(true);
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 4, 4, 2);
    bar->addWidget(m_watchInput, 1);

    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("variables.tree"));
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels({tr("Name"), tr("Type"), tr("Value")});
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->setTextElideMode(Qt::ElideRight);
    m_tree->header()->setStretchLastSection(true);
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    m_tree->setColumnWidth(NameColumn, em * 16);
    m_tree->setColumnWidth(TypeColumn, em * 8);

    // Side pane: title and actions over the viewer or the editor.
    auto *side = new QWidget(this);
    side->setObjectName(QStringLiteral("variables.sidePane"));
    m_title = new QLabel(side);
    m_title->setObjectName(QStringLiteral("variables.title"));
    m_title->setTextFormat(Qt::PlainText);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_watchButton = new QToolButton(side);
    m_watchButton->setObjectName(QStringLiteral("variables.watch"));
    m_watchButton->setText(tr("Watch"));
    m_watchButton->setToolTip(tr("Show this variable at the top of the list"));
    m_watchButton->setCheckable(true);
    m_watchButton->setIcon(style()->standardIcon(QStyle::SP_FileDialogContentsView));
    m_watchButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_watchButton->setAutoRaise(true);
    m_editButton = new QToolButton(side);
    m_editButton->setObjectName(QStringLiteral("variables.edit"));
    m_editButton->setText(tr("Edit"));
    m_editButton->setToolTip(tr("Change the value (while the run is paused)"));
    m_editButton->setIcon(style()->standardIcon(QStyle::SP_FileDialogDetailedView));
    m_editButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_editButton->setAutoRaise(true);
    auto *titleBar = new QHBoxLayout;
    titleBar->setContentsMargins(0, 0, 0, 0);
    titleBar->addWidget(m_title, 1);
    titleBar->addWidget(m_watchButton);
    titleBar->addWidget(m_editButton);

    m_viewer = new ValueViewer(side);

    auto *editorPage = new QWidget(side);
    editorPage->setObjectName(QStringLiteral("variables.editor"));
    m_lineEditor = new QLineEdit(editorPage);
    m_lineEditor->setObjectName(QStringLiteral("variables.lineEditor"));
    m_jsonEditor = new QPlainTextEdit(editorPage);
    m_jsonEditor->setObjectName(QStringLiteral("variables.jsonEditor"));
    m_jsonEditor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_jsonEditor->setTabChangesFocus(true);
    m_editError = new QLabel(editorPage);
    m_editError->setObjectName(QStringLiteral("variables.editError"));
    m_editError->setWordWrap(true);
    m_editError->setTextFormat(Qt::PlainText);
    QPalette errorPalette = m_editError->palette();
    errorPalette.setColor(QPalette::WindowText, QColor(0xd3, 0x2f, 0x2f));
    m_editError->setPalette(errorPalette);
    m_editError->hide();
    m_applyButton = new QPushButton(tr("Apply"), editorPage);
    m_applyButton->setObjectName(QStringLiteral("variables.apply"));
    m_applyButton->setToolTip(tr("Set the value in the paused run (Ctrl+Enter)"));
    m_applyButton->setDefault(true);
    auto *cancelButton = new QPushButton(tr("Cancel"), editorPage);
    cancelButton->setObjectName(QStringLiteral("variables.cancel"));
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(cancelButton);
    buttons->addWidget(m_applyButton);
    auto *editorLayout = new QVBoxLayout(editorPage);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    editorLayout->addWidget(m_lineEditor);
    editorLayout->addWidget(m_jsonEditor, 1);
    editorLayout->addWidget(m_editError);
    editorLayout->addLayout(buttons);
    editorLayout->addStretch(0);

    m_sideStack = new QStackedWidget(side);
    m_sideStack->addWidget(m_viewer);
    m_sideStack->addWidget(editorPage);
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(4, 0, 0, 0);
    sideLayout->setSpacing(4);
    sideLayout->addLayout(titleBar);
    sideLayout->addWidget(m_sideStack, 1);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("variables.splitter"));
    m_splitter->addWidget(m_tree);
    m_splitter->addWidget(side);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(m_splitter, 1);

    m_watches = QSettings().value(QLatin1String(kWatchSettingsKey)).toStringList();

    m_rebuildTimer.setSingleShot(true);
    m_rebuildTimer.setInterval(kRefreshDelayMs);
    connect(&m_rebuildTimer, &QTimer::timeout, this, &VariablesPanel::rebuild);
    connect(m_watchInput, &QLineEdit::returnPressed, this, [this] {
        addWatch(m_watchInput->text());
        m_watchInput->clear();
    });
    connect(m_tree, &QTreeWidget::itemSelectionChanged, this, &VariablesPanel::updateSelection);
    connect(m_tree, &QTreeWidget::itemDoubleClicked, this, [this] {
        if (canEdit())
            startEdit();
    });
    connect(m_tree, &QWidget::customContextMenuRequested, this, &VariablesPanel::showContextMenu);
    auto *editShortcut = new QShortcut(QKeySequence(Qt::Key_F2), m_tree);
    editShortcut->setContext(Qt::WidgetShortcut);
    connect(editShortcut, &QShortcut::activated, this, [this] { startEdit(); });
    connect(m_editButton, &QToolButton::clicked, this, [this] { startEdit(); });
    connect(m_watchButton, &QToolButton::clicked, this, [this](bool on) {
        const QStringList selector = selectedSelector();
        if (selector.isEmpty())
            return;
        const QString text = selector.join(QLatin1Char('.'));
        if (on)
            addWatch(text);
        else
            removeWatch(text);
    });
    connect(m_applyButton, &QPushButton::clicked, this, [this] { applyEdit(); });
    connect(cancelButton, &QPushButton::clicked, this, &VariablesPanel::cancelEdit);
    connect(m_lineEditor, &QLineEdit::returnPressed, this, [this] { applyEdit(); });
    auto *applyShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), editorPage);
    applyShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(applyShortcut, &QShortcut::activated, this, [this] { applyEdit(); });
    auto *cancelShortcut = new QShortcut(QKeySequence(Qt::Key_Escape), editorPage);
    cancelShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(cancelShortcut, &QShortcut::activated, this, &VariablesPanel::cancelEdit);

    if (m_debugger) {
        connect(m_debugger, &runtime::Debugger::runEvent, this, &VariablesPanel::onRunEvent);
        connect(m_debugger, &runtime::Debugger::runStarted, this, &VariablesPanel::newRun);
        connect(m_debugger, &runtime::Debugger::stateChanged, this, [this] {
            if (isEditing() && !(m_debugger && m_debugger->can(Capability::EditVariables)))
                cancelEdit();
            updateActions();
        });
        connect(m_debugger, &runtime::Debugger::runFinished, this, [this] { refresh(); });
        m_variables.reset(m_debugger->poolSnapshot());
        m_runId = m_debugger->runId();
    }
    rebuild();
}

void VariablesPanel::newRun(const QString &runId)
{
    if (runId == m_runId)
        return;
    m_runId = runId;
    cancelEdit();
    m_variables.reset(m_debugger ? m_debugger->poolSnapshot() : Json::object());
    rebuild();
}

void VariablesPanel::onRunEvent(const RunEvent &event)
{
    if (!event.runId.isEmpty() && event.runId != m_runId)
        newRun(event.runId);
    const bool inContainer = !event.inIterationId.isEmpty() || !event.inLoopId.isEmpty();
    if (!event.nodeId.isEmpty() && !inContainer)
        m_variables.setTitle(event.nodeId, event.nodeTitle);
    switch (event.type) {
    case Type::NodeSucceeded:
    case Type::NodeException:
        // Nodes inside containers write to the item's own pool, not the run's.
        if (!inContainer)
            m_variables.mergeOutputs(event.nodeId, event.outputs);
        break;
    case Type::VariableEdited:
        if (event.outputs.is_object() && event.outputs.contains("value"))
            m_variables.setValue(event.selector, event.outputs["value"]);
        break;
    case Type::RunPaused:
        m_variables.paused(m_debugger ? m_debugger->poolSnapshot() : m_variables.pool());
        rebuild();
        updateActions();
        return;
    case Type::RunResumed:
        m_variables.resumed();
        if (isEditing())
            cancelEdit();
        break;
    default:
        if (event.isRunFinished()) {
            m_variables.resumed();
            if (isEditing())
                cancelEdit();
            refresh();
            return;
        }
        if (event.type == Type::NodeStarted || event.type == Type::NodeStreamChunk)
            return; // nothing in the pool changed
        break;
    }
    scheduleRebuild();
}

void VariablesPanel::refresh()
{
    if (m_debugger)
        m_variables.setPool(m_debugger->poolSnapshot());
    rebuild();
}

void VariablesPanel::scheduleRebuild()
{
    if (!m_rebuildTimer.isActive())
        m_rebuildTimer.start();
}

QStringList VariablesPanel::resolveWatch(const QString &text) const
{
    QStringList parts = text.trimmed().split(QLatin1Char('.'));
    if (parts.isEmpty() || parts.first().isEmpty())
        return {};
    const QString scope = m_variables.resolveScope(parts.first());
    if (!scope.isEmpty())
        parts[0] = scope;
    return parts;
}

void VariablesPanel::styleRow(QTreeWidgetItem *item, bool changed) const
{
    item->setData(NameColumn, ChangedRole, changed);
    if (!changed)
        return;
    QFont font = m_tree->font();
    font.setBold(true);
    for (int column = 0; column < ColumnCount; ++column) {
        item->setFont(column, font);
        if (column != TypeColumn)
            item->setForeground(column, kChangedColour);
    }
    item->setToolTip(NameColumn, tr("Changed by the last step"));
}

void VariablesPanel::rebuild()
{
    m_rebuildTimer.stop();
    // Keep what the user looks at: the selected row, collapsed groups, the scroll position.
    QStringList selected;
    QString selectedWatch;
    if (QTreeWidgetItem *current = m_tree->currentItem()) {
        selected = current->data(NameColumn, SelectorRole).toStringList();
        selectedWatch = current->data(NameColumn, WatchRole).toString();
    }
    QSet<QString> collapsed;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *group = m_tree->topLevelItem(i);
        if (!group->isExpanded())
            collapsed.insert(group->data(NameColumn, kGroupKeyRole).toString());
    }
    const int scroll = m_tree->verticalScrollBar()->value();

    const QSignalBlocker blocker(m_tree);
    m_tree->setUpdatesEnabled(false);
    m_tree->clear();
    QTreeWidgetItem *toSelect = nullptr;
    QFont groupFont = m_tree->font();
    groupFont.setBold(true);
    const QBrush muted = palette().brush(QPalette::Disabled, QPalette::Text);

    const auto addGroup = [&](const QString &key, const QString &title, const QString &tip) {
        auto *group = new QTreeWidgetItem(m_tree);
        group->setText(NameColumn, title);
        group->setFont(NameColumn, groupFont);
        group->setToolTip(NameColumn, tip);
        group->setData(NameColumn, kGroupKeyRole, key);
        group->setFirstColumnSpanned(false);
        group->setExpanded(!collapsed.contains(key));
        return group;
    };
    const auto fillRow = [&](QTreeWidgetItem *row, const Json &value) {
        row->setText(TypeColumn, VariableModel::typeOf(value));
        row->setForeground(TypeColumn, muted);
        row->setText(ValueColumn, VariableModel::preview(value));
    };

    if (!m_watches.isEmpty()) {
        QTreeWidgetItem *group = addGroup(QStringLiteral("@watch"), tr("Watched"),
                                          tr("Variables you watch, kept across runs"));
        for (const QString &watch : std::as_const(m_watches)) {
            const QStringList selector = resolveWatch(watch);
            auto *row = new QTreeWidgetItem(group);
            row->setText(NameColumn, watch);
            row->setData(NameColumn, WatchRole, watch);
            row->setIcon(NameColumn, style()->standardIcon(QStyle::SP_FileDialogContentsView));
            if (const Json *value = m_variables.find(selector)) {
                row->setData(NameColumn, SelectorRole, selector);
                fillRow(row, *value);
                styleRow(row, selector.size() >= 2
                                  && m_variables.isChanged(selector.at(0), selector.at(1)));
            } else {
                row->setText(ValueColumn, tr("not set"));
                row->setForeground(ValueColumn, muted);
            }
            if (!selectedWatch.isEmpty() && selectedWatch == watch)
                toSelect = row;
        }
    }

    const Json &pool = m_variables.pool();
    QStringList scopes;
    const QStringList fixed{QStringLiteral("sys"), QStringLiteral("env"),
                            QStringLiteral("conversation")};
    for (const QString &scope : fixed) {
        if (pool.contains(scope.toStdString()))
            scopes << scope;
    }
    for (const QString &id : m_variables.nodeOrder()) {
        if (pool.contains(id.toStdString()) && !scopes.contains(id))
            scopes << id;
    }
    QStringList others;
    for (auto it = pool.begin(); it != pool.end(); ++it) {
        const QString scope = QString::fromStdString(it.key());
        // "__inputs__" and the like are the engine's bookkeeping, not variables.
        if (!scopes.contains(scope) && !scope.startsWith(QLatin1String("__")))
            others << scope;
    }
    std::sort(others.begin(), others.end(), [this](const QString &a, const QString &b) {
        return QString::localeAwareCompare(m_variables.title(a), m_variables.title(b)) < 0;
    });
    scopes << others;

    for (const QString &scope : std::as_const(scopes)) {
        const Json &variables = pool[scope.toStdString()];
        if (!variables.is_object())
            continue;
        QString title = m_variables.title(scope);
        if (scope == QLatin1String("sys"))
            title = tr("System");
        else if (scope == QLatin1String("env"))
            title = tr("Environment");
        else if (scope == QLatin1String("conversation"))
            title = tr("Conversation");
        else if (scope == QLatin1String("userinput"))
            title = tr("User input");
        QTreeWidgetItem *group = addGroup(scope, title, scope);
        if (title != scope) {
            group->setText(TypeColumn, scope);
            group->setForeground(TypeColumn, muted);
        }
        for (auto it = variables.begin(); it != variables.end(); ++it) {
            const QString name = QString::fromStdString(it.key());
            auto *row = new QTreeWidgetItem(group);
            row->setText(NameColumn, name);
            row->setData(NameColumn, SelectorRole, QStringList{scope, name});
            row->setToolTip(NameColumn, scope + QLatin1Char('.') + name);
            fillRow(row, it.value());
            styleRow(row, m_variables.isChanged(scope, name));
            if (selectedWatch.isEmpty() && selected == QStringList{scope, name})
                toSelect = row;
        }
    }
    if (m_tree->topLevelItemCount() == 0) {
        auto *row = new QTreeWidgetItem(m_tree);
        row->setText(NameColumn, tr("No variables yet: run the workflow to fill the pool."));
        row->setFirstColumnSpanned(true);
        row->setFlags(Qt::NoItemFlags);
    }
    if (toSelect)
        m_tree->setCurrentItem(toSelect);
    m_tree->setUpdatesEnabled(true);
    m_tree->verticalScrollBar()->setValue(scroll);
    updateSelection();
}

QTreeWidgetItem *VariablesPanel::itemFor(const QString &scope, const QString &name) const
{
    const QStringList wanted{scope, name};
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *group = m_tree->topLevelItem(i);
        for (int j = 0; j < group->childCount(); ++j) {
            QTreeWidgetItem *row = group->child(j);
            if (row->data(NameColumn, WatchRole).toString().isEmpty()
                && row->data(NameColumn, SelectorRole).toStringList() == wanted)
                return row;
        }
    }
    return nullptr;
}

bool VariablesPanel::selectVariable(const QString &scope, const QString &name)
{
    QTreeWidgetItem *row = itemFor(scope, name);
    if (!row)
        return false;
    m_tree->setCurrentItem(row);
    return true;
}

QStringList VariablesPanel::selectedSelector() const
{
    const QTreeWidgetItem *current = m_tree->currentItem();
    return current ? current->data(NameColumn, SelectorRole).toStringList() : QStringList();
}

void VariablesPanel::updateSelection()
{
    const QStringList selector = selectedSelector();
    if (isEditing() && selector != m_editSelector)
        cancelEdit();
    const Json *value = selector.isEmpty() ? nullptr : m_variables.find(selector);
    if (!value) {
        m_title->setText(tr("No variable selected"));
        m_viewer->clear();
    } else {
        QStringList shown = selector;
        shown[0] = m_variables.title(selector.first());
        m_title->setText(QStringLiteral("%1 · %2").arg(shown.join(QStringLiteral(" › ")),
                                                       VariableModel::typeOf(*value)));
        m_title->setToolTip(selector.join(QLatin1Char('.')));
        // Keep the viewer's scroll position when only the pool around it changed.
        if (m_viewer->mode() == ValueViewer::Mode::Empty
            || m_title->property("shownSelector").toStringList() != selector
            || m_title->property("shownValue").toString() != QString::fromStdString(value->dump()))
            m_viewer->setValue(*value);
        m_title->setProperty("shownSelector", selector);
        m_title->setProperty("shownValue", QString::fromStdString(value->dump()));
    }
    updateActions();
}

void VariablesPanel::updateActions()
{
    const QStringList selector = selectedSelector();
    m_editButton->setEnabled(canEdit());
    m_watchButton->setEnabled(!selector.isEmpty());
    const QSignalBlocker blocker(m_watchButton);
    m_watchButton->setChecked(
        m_watches.contains(selector.join(QLatin1Char('.')))
        || (m_tree->currentItem()
            && !m_tree->currentItem()->data(NameColumn, WatchRole).toString().isEmpty()));
    if (!m_debugger || !m_debugger->can(Capability::EditVariables))
        m_editButton->setToolTip(tr("Values can be edited while the run is paused"));
    else
        m_editButton->setToolTip(tr("Change the value (F2 or double-click)"));
}

void VariablesPanel::showContextMenu(const QPoint &pos)
{
    QTreeWidgetItem *item = m_tree->itemAt(pos);
    if (!item)
        return;
    m_tree->setCurrentItem(item);
    const QStringList selector = selectedSelector();
    const QString watch = item->data(NameColumn, WatchRole).toString();
    QMenu menu(this);
    if (!watch.isEmpty()) {
        menu.addAction(tr("Stop Watching"), this, [this, watch] { removeWatch(watch); });
    } else if (!selector.isEmpty()) {
        const QString text = selector.join(QLatin1Char('.'));
        if (m_watches.contains(text))
            menu.addAction(tr("Stop Watching"), this, [this, text] { removeWatch(text); });
        else
            menu.addAction(tr("Watch"), this, [this, text] { addWatch(text); });
    }
    if (!selector.isEmpty()) {
        QAction *edit = menu.addAction(tr("Edit Value…"), this, [this] { startEdit(); });
        edit->setEnabled(canEdit());
        menu.addSeparator();
        menu.addAction(tr("Copy Value"), this, [this, selector] {
            if (const Json *value = m_variables.find(selector))
                QApplication::clipboard()->setText(
                    value->is_string() ? QString::fromStdString(value->get<std::string>())
                                       : QString::fromStdString(value->dump(
                                           2, ' ', false, Json::error_handler_t::replace)));
        });
        menu.addAction(tr("Copy Reference"), this, [selector] {
            QApplication::clipboard()->setText(
                QStringLiteral("{{#%1#}}").arg(selector.join(QLatin1Char('.'))));
        });
    }
    if (menu.isEmpty())
        return;
    menu.exec(m_tree->viewport()->mapToGlobal(pos));
}

void VariablesPanel::addWatch(const QString &text)
{
    const QString watch = text.trimmed();
    if (watch.isEmpty() || m_watches.contains(watch))
        return;
    m_watches.append(watch);
    saveWatches();
    rebuild();
}

void VariablesPanel::removeWatch(const QString &text)
{
    if (m_watches.removeAll(text.trimmed()) == 0)
        return;
    saveWatches();
    rebuild();
}

void VariablesPanel::saveWatches() const
{
    QSettings().setValue(QLatin1String(kWatchSettingsKey), m_watches);
}

bool VariablesPanel::canEdit() const
{
    if (!m_debugger || !m_debugger->can(Capability::EditVariables))
        return false;
    const QStringList selector = selectedSelector();
    return selector.size() >= 2 && m_variables.find(selector) != nullptr;
}

bool VariablesPanel::isEditing() const
{
    return m_sideStack->currentIndex() == 1;
}

bool VariablesPanel::startEdit()
{
    if (!canEdit())
        return false;
    m_editSelector = selectedSelector();
    const Json &value = *m_variables.find(m_editSelector);
    const bool scalar = isScalar(value);
    m_lineEditor->setVisible(scalar);
    m_jsonEditor->setVisible(!scalar);
    if (scalar) {
        m_lineEditor->setText(value.is_string() ? QString::fromStdString(value.get<std::string>())
                              : value.is_null() ? QString()
                                                : QString::fromStdString(value.dump()));
        m_lineEditor->setPlaceholderText(value.is_string() ? tr("Text") : tr("A JSON value"));
    } else {
        m_jsonEditor->setPlainText(
            QString::fromStdString(value.dump(2, ' ', false, Json::error_handler_t::replace)));
    }
    m_editError->clear();
    m_editError->hide();
    m_sideStack->setCurrentIndex(1);
    if (scalar) {
        m_lineEditor->setFocus();
        m_lineEditor->selectAll();
    } else {
        m_jsonEditor->setFocus();
    }
    return true;
}

bool VariablesPanel::applyEdit()
{
    if (!isEditing())
        return false;
    return applyEdit(!m_lineEditor->isHidden() ? m_lineEditor->text()
                                               : m_jsonEditor->toPlainText());
}

bool VariablesPanel::applyEdit(const QString &text)
{
    const auto fail = [this](const QString &message) {
        m_editError->setText(message);
        m_editError->show();
        return false;
    };
    if (!isEditing() || m_editSelector.isEmpty())
        return false;
    if (!m_debugger || !m_debugger->can(Capability::EditVariables))
        return fail(tr("Values can be edited only while the run is paused."));
    const Json *old = m_variables.find(m_editSelector);
    Json value;
    if (old && old->is_string()) {
        value = text.toStdString();
    } else {
        try {
            value = Json::parse(text.toStdString());
        } catch (const Json::exception &error) {
            if (!old || old->is_null()) {
                value = text.toStdString(); // an unset value takes text as it is
            } else if (old->is_number()) {
                return fail(tr("“%1” is not a number.").arg(text));
            } else if (old->is_boolean()) {
                return fail(tr("Type true or false."));
            } else {
                // "[json.exception.parse_error.101] parse error at line 1, ..." → "parse error ..."
                QString message = QString::fromUtf8(error.what());
                message.remove(QRegularExpression(QStringLiteral("^\\[[^\\]]*\\]\\s*")));
                return fail(tr("Invalid JSON: %1").arg(message));
            }
        }
    }
    const Result<void> result = m_debugger->setVariable(toSelector(m_editSelector), value);
    if (!result)
        return fail(result.error().message);
    m_variables.setValue(m_editSelector, value);
    cancelEdit();
    rebuild();
    return true;
}

void VariablesPanel::cancelEdit()
{
    m_editSelector.clear();
    m_editError->clear();
    m_editError->hide();
    m_sideStack->setCurrentIndex(0);
    updateActions();
}

QString VariablesPanel::editError() const
{
    return m_editError->isHidden() ? QString() : m_editError->text();
}

} // namespace flowbench::panels

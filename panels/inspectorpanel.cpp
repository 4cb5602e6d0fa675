#include "inspectorpanel.h"

#include <QApplication>
#include <QFile>
#include <QFrame>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "document/validator.h"
#include "nodes/registry.h"
#include "propertyform.h"
#include "workflowsettingsdialog.h"

namespace flowbench::panels {

namespace {

QString qs(const document::Json &value)
{
    return value.is_string() ? QString::fromStdString(value.get<std::string>()) : QString();
}

// The pointer of the form editor that holds (or contains) `widget`, empty when none.
QString editorPointerOf(QWidget *widget, const QWidget *form)
{
    for (QWidget *w = widget; w && w != form; w = w->parentWidget()) {
        const QVariant pointer = w->property("fbPointer");
        if (pointer.isValid())
            return pointer.toString();
    }
    return {};
}

QString descOf(const document::Node &node)
{
    return node.data.is_object() ? qs(node.data.value("desc", document::Json())) : QString();
}

} // namespace

InspectorPanel::InspectorPanel(document::WorkflowDocument *document, document::EditSink *sink,
                               QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_sink(sink)
{
    setObjectName(QStringLiteral("panel.inspector"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_stack = new QStackedWidget(this);
    layout->addWidget(m_stack);

    // Summary page.
    auto *summaryPage = new QWidget(m_stack);
    summaryPage->setObjectName(QStringLiteral("inspector.summary"));
    auto *summaryLayout = new QVBoxLayout(summaryPage);
    summaryLayout->setContentsMargins(12, 12, 12, 12);
    m_summary = new QLabel(summaryPage);
    m_summary->setObjectName(QStringLiteral("inspector.summaryText"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    summaryLayout->addWidget(m_summary);
    auto *settings = new QPushButton(tr("Workflow settings…"), summaryPage);
    settings->setObjectName(QStringLiteral("inspector.settings"));
    settings->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Fixed);
    connect(settings, &QPushButton::clicked, this, &InspectorPanel::openWorkflowSettings);
    summaryLayout->addWidget(settings);
    summaryLayout->addStretch(1);
    m_stack->addWidget(summaryPage);

    // Node page: header + scrolling form.
    auto *nodePage = new QWidget(m_stack);
    auto *nodeLayout = new QVBoxLayout(nodePage);
    nodeLayout->setContentsMargins(0, 0, 0, 0);
    nodeLayout->setSpacing(0);
    auto *header = new QWidget(nodePage);
    header->setObjectName(QStringLiteral("inspector.header"));
    auto *headerLayout = new QVBoxLayout(header);
    headerLayout->setContentsMargins(8, 8, 8, 6);
    headerLayout->setSpacing(4);
    auto *titleRow = new QHBoxLayout;
    titleRow->setSpacing(6);
    m_icon = new QLabel(header);
    m_icon->setFixedSize(24, 24);
    titleRow->addWidget(m_icon);
    m_title = new QLineEdit(header);
    m_title->setObjectName(QStringLiteral("inspector.title"));
    m_title->setPlaceholderText(tr("Title"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    titleRow->addWidget(m_title, 1);
    headerLayout->addLayout(titleRow);
    m_kind = new QLabel(header);
    m_kind->setObjectName(QStringLiteral("inspector.kind"));
    m_kind->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_kind->setWordWrap(true);
    QPalette hint = m_kind->palette();
    hint.setColor(QPalette::WindowText, hint.color(QPalette::Disabled, QPalette::WindowText));
    m_kind->setPalette(hint);
    headerLayout->addWidget(m_kind);
    m_description = new QLineEdit(header);
    m_description->setObjectName(QStringLiteral("inspector.description"));
    m_description->setPlaceholderText(tr("Add a description…"));
    headerLayout->addWidget(m_description);
    nodeLayout->addWidget(header);
    auto *line = new QFrame(nodePage);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);
    nodeLayout->addWidget(line);
    m_scroll = new QScrollArea(nodePage);
    m_scroll->setObjectName(QStringLiteral("inspector.scroll"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    nodeLayout->addWidget(m_scroll, 1);
    m_stack->addWidget(nodePage);

    connect(m_title, &QLineEdit::editingFinished, this, &InspectorPanel::commitTitle);
    connect(m_description, &QLineEdit::editingFinished, this, &InspectorPanel::commitDescription);

    using Doc = document::WorkflowDocument;
    connect(m_document, &Doc::nodeChanged, this, [this](const QString &id) {
        if (id == m_nodeId)
            scheduleRebuild();
    });
    connect(m_document, &Doc::nodeRemoved, this, [this](const QString &id) {
        if (id == m_nodeId)
            showNode(QString());
        else
            scheduleRebuild();
    });
    connect(m_document, &Doc::nodeAdded, this, &InspectorPanel::scheduleRebuild);
    connect(m_document, &Doc::edgeAdded, this, &InspectorPanel::scheduleRebuild);
    connect(m_document, &Doc::edgeRemoved, this, &InspectorPanel::scheduleRebuild);
    connect(m_document, &Doc::variablesChanged, this, &InspectorPanel::scheduleRebuild);
    connect(m_document, &Doc::appInfoChanged, this, &InspectorPanel::scheduleRebuild);
    connect(m_document, &Doc::batchStarted, this, [this] { m_inBatch = true; });
    connect(m_document, &Doc::batchFinished, this, [this] {
        m_inBatch = false;
        if (m_pending)
            rebuild();
    });
    connect(m_document, &Doc::resetDone, this, [this] {
        m_inBatch = false;
        showNode(m_document->workflow().node(m_nodeId) ? m_nodeId : QString());
    });

    showNode(QString());
}

InspectorPanel::~InspectorPanel()
{
    // Focus leaving the title while the panel closes must not send edits to a half-destroyed view.
    disconnect(m_document, nullptr, this, nullptr);
    m_title->blockSignals(true);
    m_description->blockSignals(true);
}

void InspectorPanel::showNode(const QString &nodeId)
{
    m_nodeId = m_document->workflow().node(nodeId) ? nodeId : QString();
    if (m_scroll->widget())
        m_scroll->verticalScrollBar()->setValue(0);
    rebuild();
}

void InspectorPanel::scheduleRebuild()
{
    if (m_inBatch) {
        m_pending = true;
        return;
    }
    rebuild();
}

void InspectorPanel::rebuild()
{
    m_pending = false;
    if (m_nodeId.isEmpty() || !m_document->workflow().node(m_nodeId)) {
        m_nodeId.clear();
        m_headerNodeId.clear();
        if (QWidget *old = m_scroll->takeWidget()) {
            old->hide();
            old->deleteLater();
        }
        m_form = nullptr;
        refreshSummary();
        m_stack->setCurrentIndex(0);
        Q_EMIT formRebuilt();
        return;
    }
    refreshHeader(m_headerNodeId != m_nodeId);
    m_headerNodeId = m_nodeId;

    // Carry the scroll position and the focused field over to the new form.
    const int scroll = m_scroll->verticalScrollBar()->value();
    QString focusPointer;
    bool sameNode = false;
    if (m_form) {
        sameNode = m_form->nodeId() == m_nodeId;
        if (sameNode && m_form->isAncestorOf(QApplication::focusWidget()))
            focusPointer = editorPointerOf(QApplication::focusWidget(), m_form);
    }
    if (QWidget *old = m_scroll->takeWidget()) {
        old->hide();
        old->deleteLater(); // a slot of one of its editors may be running
    }
    m_form = new PropertyForm(m_document, m_sink, m_nodeId);
    m_scroll->setWidget(m_form);
    m_stack->setCurrentIndex(1);
    if (sameNode) {
        m_form->adjustSize();
        m_scroll->verticalScrollBar()->setValue(scroll);
        // The layout settles on the next pass; restore again then.
        QPointer<PropertyForm> form = m_form;
        QTimer::singleShot(0, this, [this, form, scroll] {
            if (form && form == m_form)
                m_scroll->verticalScrollBar()->setValue(scroll);
        });
        if (!focusPointer.isEmpty()) {
            if (QWidget *editor = m_form->editorFor(focusPointer))
                editor->setFocus(Qt::OtherFocusReason);
        }
    }
    Q_EMIT formRebuilt();
}

void InspectorPanel::refreshHeader(bool nodeSwitched)
{
    const document::Node *node = m_document->workflow().node(m_nodeId);
    if (!node)
        return;
    const nodes::NodeKindInfo *info = nodes::NodeRegistry::instance().find(node->kind());
    const QIcon icon = info && QFile::exists(info->icon) ? QIcon(info->icon) : QIcon();
    m_icon->setPixmap(icon.isNull() ? QPixmap() : icon.pixmap(24, 24));
    m_icon->setVisible(!icon.isNull());
    if (nodeSwitched || !m_title->hasFocus() || !m_title->isModified())
        m_title->setText(node->title());
    m_title->setReadOnly(node->isNote());
    const QString kindName = info ? info->displayName : tr("Unsupported (%1)").arg(node->kind());
    m_kind->setText(tr("%1 · id %2").arg(kindName, node->id));
    m_kind->setToolTip(info ? info->description : QString());
    const QString description = descOf(*node);
    if (nodeSwitched || !m_description->hasFocus() || !m_description->isModified())
        m_description->setText(description);
    m_description->setVisible(!node->isNote());
}

void InspectorPanel::refreshSummary()
{
    const document::Workflow &workflow = m_document->workflow();
    int nodes = 0;
    for (const document::Node &node : workflow.nodes())
        nodes += node.isNote() ? 0 : 1;
    const QList<document::Problem> problems = document::validateWorkflow(workflow);
    int errors = 0;
    for (const document::Problem &p : problems)
        errors += p.isError() ? 1 : 0;
    const QString mode = workflow.mode() == document::AppMode::AdvancedChat ? tr("Chatflow")
                         : workflow.mode() == document::AppMode::Workflow   ? tr("Workflow")
                                                                            : workflow.modeString();
    QString text = QStringLiteral("<h3>%1</h3>")
                       .arg((workflow.name().isEmpty() ? tr("Untitled workflow") : workflow.name())
                                .toHtmlEscaped());
    if (!workflow.description().isEmpty())
        text += QStringLiteral("<p>%1</p>").arg(workflow.description().toHtmlEscaped());
    text += QStringLiteral("<table cellspacing=\"2\">");
    const auto row = [&text](const QString &label, const QString &value) {
        text += QStringLiteral("<tr><td style=\"color:gray;padding-right:12px\">%1</td><td>%2</td>"
                               "</tr>")
                    .arg(label.toHtmlEscaped(), value.toHtmlEscaped());
    };
    row(tr("Mode"), mode);
    row(tr("Nodes"), QString::number(nodes));
    row(tr("Connections"), QString::number(workflow.edges().size()));
    row(tr("Environment variables"), QString::number(workflow.environmentVariables.size()));
    if (workflow.mode() == document::AppMode::AdvancedChat)
        row(tr("Conversation variables"), QString::number(workflow.conversationVariables.size()));
    row(tr("Problems"), errors == 0 ? tr("none") : tr("%n error(s)", nullptr, errors));
    text += QStringLiteral("</table><p style=\"color:gray\">%1</p>")
                .arg(tr("Select a node on the canvas to edit its properties.").toHtmlEscaped());
    m_summary->setText(text);
}

void InspectorPanel::commitTitle()
{
    const document::Node *node = m_document->workflow().node(m_nodeId);
    if (!node)
        return;
    const QString title = m_title->text().trimmed();
    if (title.isEmpty()) {
        m_title->setText(node->title()); // a node keeps a title
        return;
    }
    if (title == node->title())
        return;
    document::SetNodeDataEdit edit;
    edit.nodeId = m_nodeId;
    edit.pointer = QStringLiteral("/title");
    edit.value = title.toStdString();
    m_sink->applyEdit(document::Edit(std::move(edit), tr("Rename node")));
}

void InspectorPanel::commitDescription()
{
    const document::Node *node = m_document->workflow().node(m_nodeId);
    if (!node)
        return;
    const QString text = m_description->text();
    if (text == descOf(*node))
        return;
    document::SetNodeDataEdit edit;
    edit.nodeId = m_nodeId;
    edit.pointer = QStringLiteral("/desc");
    edit.value = text.toStdString();
    m_sink->applyEdit(document::Edit(std::move(edit), tr("Change node description")));
}

void InspectorPanel::openWorkflowSettings()
{
    WorkflowSettingsDialog dialog(m_document, m_sink, this);
    dialog.exec();
}

} // namespace flowbench::panels

#pragma once

#include <QPointer>
#include <QString>
#include <QWidget>

#include "document/editsink.h"
#include "document/workflowdocument.h"
#include "propertyform.h" // QPointer<PropertyForm> needs the complete type where it is used

class QLabel;
class QLineEdit;
class QPushButton;
class QScrollArea;
class QStackedWidget;

namespace flowbench::panels {

// The Inspector dock ("panel.inspector"): the properties of the node selected on the canvas.
// A header with the kind's icon, the editable title (SetNodeDataEdit /title), the kind's name
// and the description (/desc), then a PropertyForm built from the kind's schema. With no node
// shown it displays the workflow's summary and a button that opens the workflow settings.
//
// The panel follows the document: the form is rebuilt when the shown node changes (keeping the
// scroll position and the focused field), and when edges or variables change (what a selector
// may reference depends on them); inside a BatchEdit it rebuilds once, at batchFinished. When
// the node is removed the panel goes back to the summary. Every change goes through the sink.
// GUI thread only; document and sink outlive the panel.
//
//     auto *inspector = new InspectorPanel(document, undoSink, dock);
//     connect(scene, &WorkflowScene::selectionChanged, inspector, [=] {
//         inspector->showNode(scene->selectedNodeIds().value(0));
//     });
class InspectorPanel : public QWidget
{
    Q_OBJECT

public:
    InspectorPanel(document::WorkflowDocument *document, document::EditSink *sink,
                   QWidget *parent = nullptr);
    ~InspectorPanel() override;

    // Shows a node's properties; an empty or unknown id shows the workflow summary.
    void showNode(const QString &nodeId);
    [[nodiscard]] const QString &nodeId() const { return m_nodeId; }

    // The current form (nullptr while the summary shows). Replaced on every rebuild.
    [[nodiscard]] PropertyForm *form() const { return m_form; }
    [[nodiscard]] QLineEdit *titleEdit() const { return m_title; }
    [[nodiscard]] QLineEdit *descriptionEdit() const { return m_description; }

public Q_SLOTS:
    // Opens the workflow settings dialog (modal); its changes go through the sink.
    void openWorkflowSettings();

Q_SIGNALS:
    // After each rebuild of the form (tests and the app wait for it).
    void formRebuilt();

private:
    void rebuild();
    void scheduleRebuild();
    void refreshHeader(bool nodeSwitched);
    void refreshSummary();
    void commitTitle();
    void commitDescription();

    document::WorkflowDocument *m_document;
    document::EditSink *m_sink;
    QString m_nodeId;
    QString m_headerNodeId; // the node the header shows
    bool m_inBatch = false;
    bool m_pending = false;

    QStackedWidget *m_stack = nullptr;
    // Summary page.
    QLabel *m_summary = nullptr;
    // Node page.
    QLabel *m_icon = nullptr;
    QLineEdit *m_title = nullptr;
    QLabel *m_kind = nullptr;
    QLineEdit *m_description = nullptr;
    QScrollArea *m_scroll = nullptr;
    QPointer<PropertyForm> m_form;
};

} // namespace flowbench::panels

#pragma once

#include <QGraphicsItem>
#include <QList>
#include <QSizeF>
#include <QString>
#include <QStringList>

#include "document/workflow.h"

namespace flowbench::canvas {

// One node of the workflow on the canvas. The item holds the node's id and a display cache
// (title, kind name, handles, note text) refreshed from the document by updateFrom(); it never
// holds graph data the document does not have, nor a pointer to a document::Node. It is not
// movable: a drag is a request the scene turns into an edit (see WorkflowScene).
//
// Shapes: a plain node (rounded card with icon, title, kind and ports), a container (iteration,
// loop: a large translucent body drawn behind its children), a container start (a small tile
// inside a container), a sticky note (kind custom-note) and an unsupported kind (dashed, grey).
class NodeItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 1 };
    enum class Shape { Plain, Container, ContainerStart, Note, Unsupported };
    // Feedback while a connection is dragged over the node: a valid target, or a refusal.
    enum class Highlight { None, Valid, Invalid };

    struct Port
    {
        QString handle; // the source handle id ("source", "true", a case id, ...)
        QString label;  // shown next to the port; empty for a plain "source"
        QPointF pos;    // in item coordinates
    };

    explicit NodeItem(const document::Node &node);

    [[nodiscard]] int type() const override { return Type; }
    [[nodiscard]] const QString &nodeId() const { return m_id; }
    [[nodiscard]] const QString &kind() const { return m_kind; }
    [[nodiscard]] const QString &title() const { return m_title; }
    [[nodiscard]] const QString &subtitle() const { return m_subtitle; }
    [[nodiscard]] Shape shapeKind() const { return m_shape; }
    [[nodiscard]] bool isContainer() const { return m_shape == Shape::Container; }
    // The container this node sits in (document::Node::parentId()), empty at top level.
    [[nodiscard]] const QString &containerId() const { return m_containerId; }
    [[nodiscard]] const QList<Port> &outputPorts() const { return m_ports; }
    [[nodiscard]] bool hasInputPort() const { return m_hasInput; }
    // Whether a drag may move this node (container starts are fixed, as in Dify).
    [[nodiscard]] bool isDraggable() const { return m_shape != Shape::ContainerStart; }

    // Containers and sticky notes are resized by a grip in their bottom-right corner.
    [[nodiscard]] bool isResizable() const
    {
        return m_shape == Shape::Container || m_shape == Shape::Note;
    }
    // The plain text of a sticky note (empty for other shapes).
    [[nodiscard]] const QString &noteText() const { return m_noteText; }
    // Where a sticky note's text sits, in item coordinates (the inline editor goes there).
    [[nodiscard]] QRectF noteTextRect() const;

    // Re-reads the display cache from the node (same id). Call on nodeChanged.
    void updateFrom(const document::Node &node);

    // Hit tests in item coordinates, with a tolerance that makes the small ports easy to hit.
    // outputPortAt returns the handle id of the port at `pos`, empty when none.
    [[nodiscard]] QString outputPortAt(QPointF pos) const;
    [[nodiscard]] bool isInputPortAt(QPointF pos) const;
    [[nodiscard]] bool isResizeGripAt(QPointF pos) const;

    // Connection feedback; only repaints this item.
    void setHighlight(Highlight highlight);
    [[nodiscard]] Highlight highlight() const { return m_highlight; }

    // The card itself, in item coordinates (ports stick out of it).
    [[nodiscard]] QRectF bodyRect() const { return QRectF(QPointF(0, 0), m_size); }
    // Scene position of the output port for `handle`; falls back to the first port (or the right
    // edge) and clears *found when the node has no such handle.
    [[nodiscard]] QPointF outputPortScenePos(const QString &handle, bool *found = nullptr) const;
    [[nodiscard]] QPointF inputPortScenePos() const;
    [[nodiscard]] QPointF inputPortPos() const;

    [[nodiscard]] QRectF boundingRect() const override;
    [[nodiscard]] QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant &value) override;

private:
    void paintFlat(QPainter *painter) const;
    void paintCard(QPainter *painter, double lod) const;
    void paintContainer(QPainter *painter, double lod) const;
    void paintContainerStart(QPainter *painter) const;
    void paintNote(QPainter *painter, double lod) const;
    void paintHeader(QPainter *painter, double lod) const;
    void paintPorts(QPainter *painter, double lod) const;
    void paintGrip(QPainter *painter) const;
    void paintHighlight(QPainter *painter) const;
    void elideTexts();
    [[nodiscard]] double baseZ() const;

    QString m_id;
    QString m_kind;
    QString m_title;
    QString m_subtitle;
    QString m_detail; // one line of the node's settings (model, method and URL, ...)
    // Elided once per update, not per paint (what the card shows at its width).
    QString m_titleShown;
    QString m_subtitleShown;
    QString m_detailShown;
    QStringList m_portLabelsShown;
    QString m_iconPath;
    QString m_containerId;
    QString m_noteText;
    QString m_noteAuthor;
    QString m_noteTheme;
    Shape m_shape = Shape::Plain;
    QSizeF m_size;
    QList<Port> m_ports;
    bool m_hasInput = true;
    Highlight m_highlight = Highlight::None;
};

// Plain text of a sticky note's `data.text`: Dify stores the Lexical editor state as a JSON
// string; anything that is not such a state is returned as is.
QString noteTextFromData(const document::Json &data);

// The Lexical editor state Dify stores in a note's `data.text` (a JSON string): one paragraph
// per line of `text`.
QString noteDataFromText(const QString &text);

} // namespace flowbench::canvas

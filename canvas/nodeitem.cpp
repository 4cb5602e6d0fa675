#include "nodeitem.h"

#include "canvasstyle.h"
#include "nodes/registry.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <QSvgRenderer>

#include <algorithm>

namespace flowbench::canvas {

namespace {

using document::Json;

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(flowbench::canvas::NodeItem)
};

QString str(const Json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get<std::string>());
}

void collectLexicalText(const Json &node, QString &out)
{
    if (!node.is_object())
        return;
    const QString type = str(node, "type");
    if (type == QLatin1String("linebreak")) {
        out += QLatin1Char('\n');
        return;
    }
    if (const auto text = node.find("text"); text != node.end() && text->is_string())
        out += QString::fromStdString(text->get<std::string>());
    if (const auto children = node.find("children");
        children != node.end() && children->is_array()) {
        for (const Json &child : *children)
            collectLexicalText(child, out);
    }
    static const QStringList blocks = {QStringLiteral("paragraph"), QStringLiteral("heading"),
                                       QStringLiteral("listitem"), QStringLiteral("quote")};
    if (blocks.contains(type) && !out.endsWith(QLatin1Char('\n')))
        out += QLatin1Char('\n');
}

// One line summarising what a node does, shown in the card body when there is room.
QString detailOf(const QString &kind, const Json &data)
{
    if (kind == QLatin1String("llm") || kind == QLatin1String("question-classifier")
        || kind == QLatin1String("parameter-extractor")) {
        if (const auto model = data.find("model"); model != data.end())
            return str(*model, "name");
        return {};
    }
    if (kind == QLatin1String("code"))
        return str(data, "code_language");
    if (kind == QLatin1String("http-request")) {
        const QString method = str(data, "method").toUpper();
        const QString url = str(data, "url");
        return (method + QLatin1Char(' ') + url).trimmed();
    }
    if (kind == QLatin1String("tool"))
        return str(data, "tool_label").isEmpty() ? str(data, "tool_name") : str(data, "tool_label");
    if (kind == QLatin1String("agent"))
        return str(data, "agent_strategy_label");
    if (kind == QLatin1String("template-transform"))
        return str(data, "template").simplified();
    if (kind == QLatin1String("answer"))
        return str(data, "answer").simplified();
    // Start lists its input variables, End its outputs: what a reader looks for first.
    const char *listKey = kind == QLatin1String("start") ? "variables"
                          : kind == QLatin1String("end") ? "outputs"
                                                         : nullptr;
    if (listKey) {
        QStringList names;
        if (const auto list = data.find(listKey); list != data.end() && list->is_array()) {
            for (const Json &entry : *list)
                names.append(str(entry, "variable"));
        }
        names.removeAll(QString());
        if (!names.isEmpty())
            return names.join(QStringLiteral(", "));
    }
    if (kind == QLatin1String("variable-aggregator")) {
        if (const auto list = data.find("variables"); list != data.end() && list->is_array())
            return Tr::tr("Variables: %1").arg(qsizetype(list->size()));
    }
    return str(data, "desc").simplified();
}

QFont pixelFont(int pixels, QFont::Weight weight = QFont::Normal)
{
    QFont font;
    font.setPixelSize(pixels);
    font.setWeight(weight);
    return font;
}

void drawIcon(QPainter *painter, const QString &path, const QRectF &rect)
{
    if (QSvgRenderer *renderer = style::iconRenderer(path)) {
        renderer->render(painter, rect);
        return;
    }
    painter->setPen(Qt::NoPen);
    painter->setBrush(style::subtitleText());
    painter->drawRoundedRect(rect, 6, 6);
}

double lodOf(const QPainter *painter)
{
    return QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform());
}

} // namespace

QString noteTextFromData(const Json &data)
{
    const QString raw = str(data, "text");
    const Json state = Json::parse(raw.toStdString(), nullptr, false);
    if (state.is_discarded() || !state.is_object() || !state.contains("root"))
        return raw;
    QString out;
    collectLexicalText(state.at("root"), out);
    return out.trimmed();
}

NodeItem::NodeItem(const document::Node &node)
    : m_id(node.id)
{
    setFlag(ItemIsSelectable);
    setAcceptHoverEvents(false);
    updateFrom(node);
}

void NodeItem::updateFrom(const document::Node &node)
{
    prepareGeometryChange();
    const auto &registry = nodes::NodeRegistry::instance();
    m_kind = node.kind();
    m_containerId = node.parentId();
    const nodes::NodeKindInfo *info = registry.find(m_kind);

    if (node.isNote())
        m_shape = Shape::Note;
    else if (!info)
        m_shape = Shape::Unsupported;
    else if (info->isContainer)
        m_shape = Shape::Container;
    else if (info->isContainerStart)
        m_shape = Shape::ContainerStart;
    else
        m_shape = Shape::Plain;

    m_title = node.title();
    if (m_shape == Shape::Unsupported) {
        m_subtitle = Tr::tr("Unsupported: %1").arg(m_kind.isEmpty() ? Tr::tr("(no type)") : m_kind);
        m_iconPath = QStringLiteral(":/icons/nodes/unsupported.svg");
    } else {
        m_subtitle = info ? info->displayName : QString();
        m_iconPath = info ? info->icon : QString();
    }
    if (m_title.isEmpty())
        m_title = m_shape == Shape::Unsupported ? m_kind : m_subtitle;
    m_detail = detailOf(m_kind, node.data);

    if (m_shape == Shape::Note) {
        m_noteText = noteTextFromData(node.data);
        m_noteTheme = str(node.data, "theme");
        const auto show = node.data.find("showAuthor");
        m_noteAuthor = show != node.data.end() && show->is_boolean() && show->get<bool>()
                           ? str(node.data, "author")
                           : QString();
    } else {
        m_noteText.clear();
        m_noteAuthor.clear();
        m_noteTheme.clear();
    }

    QSizeF size = node.size();
    if (size.width() <= 0)
        size.setWidth(m_shape == Shape::ContainerStart ? 44 : style::kDefaultNodeWidth);
    if (size.height() <= 0)
        size.setHeight(m_shape == Shape::ContainerStart ? 48 : style::kDefaultNodeHeight);

    // Ports: one per source handle; none on notes. Start nodes and container starts take no
    // input (nor do Dify's trigger kinds, which start a graph too).
    m_ports.clear();
    m_hasInput = m_shape != Shape::Note && m_shape != Shape::ContainerStart
                 && m_kind != QLatin1String("start")
                 && !m_kind.startsWith(QLatin1String("trigger"));
    if (m_shape != Shape::Note) {
        const std::vector<nodes::Handle> handles = registry.handlesFor(m_kind, node.data);
        if (m_shape == Shape::ContainerStart) {
            for (const nodes::Handle &h : handles)
                m_ports.append({h.id, QString(), QPointF(size.width(), size.height() / 2)});
        } else if (handles.size() == 1 && handles.front().label.isEmpty()) {
            m_ports.append({handles.front().id, QString(), QPointF(size.width(), style::kPortY)});
        } else {
            double y = style::kHandleRowTop + style::kHandleRowHeight / 2;
            for (const nodes::Handle &h : handles) {
                m_ports.append({h.id, h.label, QPointF(size.width(), y)});
                y += style::kHandleRowHeight;
            }
            if (!handles.empty()) {
                const double needed
                    = style::kHandleRowTop + style::kHandleRowHeight * double(handles.size()) + 8;
                size.setHeight(std::max(size.height(), needed));
            }
        }
    }
    if (m_shape == Shape::Plain || m_shape == Shape::Unsupported)
        size.setHeight(std::max(size.height(), style::kMinNodeHeight));
    m_size = size;

    setZValue(baseZ());
    update();
}

double NodeItem::baseZ() const
{
    switch (m_shape) {
    case Shape::Note:
        return style::kNoteZ;
    case Shape::Container:
        return style::kContainerZ;
    default:
        return isSelected() ? style::kSelectedNodeZ : style::kNodeZ;
    }
}

QPointF NodeItem::outputPortScenePos(const QString &handle, bool *found) const
{
    for (const Port &port : m_ports) {
        if (port.handle == handle) {
            if (found)
                *found = true;
            return mapToScene(port.pos);
        }
    }
    if (found)
        *found = false;
    if (!m_ports.isEmpty())
        return mapToScene(m_ports.constFirst().pos);
    return mapToScene(QPointF(m_size.width(), std::min(style::kPortY, m_size.height() / 2)));
}

QPointF NodeItem::inputPortScenePos() const
{
    return mapToScene(QPointF(0, std::min(style::kPortY, m_size.height() / 2)));
}

QRectF NodeItem::boundingRect() const
{
    const double m = style::kPortRadius + 2;
    return bodyRect().adjusted(-m, -m, m, m + 4);
}

QPainterPath NodeItem::shape() const
{
    QPainterPath path;
    const double radius = m_shape == Shape::Note ? 6 : style::kCornerRadius;
    path.addRoundedRect(bodyRect(), radius, radius);
    return path;
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant &value)
{
    if (change == ItemSelectedHasChanged)
        setZValue(baseZ());
    return QGraphicsItem::itemChange(change, value);
}

void NodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const double lod = lodOf(painter);
    painter->setRenderHint(QPainter::Antialiasing);
    switch (m_shape) {
    case Shape::Note:
        paintNote(painter, lod);
        return;
    case Shape::Container:
        paintContainer(painter, lod);
        break;
    case Shape::ContainerStart:
        paintContainerStart(painter);
        break;
    case Shape::Plain:
    case Shape::Unsupported:
        paintCard(painter, lod);
        break;
    }
    paintPorts(painter, lod);
}

void NodeItem::paintCard(QPainter *painter, double lod) const
{
    const QRectF r = bodyRect();
    const double radius = style::kCornerRadius;
    const bool unsupported = m_shape == Shape::Unsupported;

    // A soft shadow: two translucent layers are cheap and look close to Dify's shadow-xs.
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(16, 24, 40, 10));
    painter->drawRoundedRect(r.adjusted(-1, 0, 1, 3), radius + 1, radius + 1);
    painter->setBrush(QColor(16, 24, 40, 14));
    painter->drawRoundedRect(r.adjusted(0, 1, 0, 1.5), radius, radius);

    QPen pen;
    if (isSelected()) {
        pen = QPen(style::selection(), 2);
    } else if (unsupported) {
        pen = QPen(QColor(0x98, 0xa2, 0xb3), 1.5, Qt::DashLine);
    } else {
        pen = QPen(style::nodeBorder(), 1);
    }
    painter->setPen(pen);
    painter->setBrush(unsupported ? QColor(0xf9, 0xfa, 0xfb) : style::nodeFill());
    painter->drawRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius);

    paintHeader(painter, lod);
    if (lod < 0.4)
        return;

    // Labelled handles are rows on the right; otherwise the body shows one detail line.
    const bool rows
        = m_ports.size() > 1 || (m_ports.size() == 1 && !m_ports.first().label.isEmpty());
    if (rows) {
        painter->setFont(pixelFont(11, QFont::DemiBold));
        painter->setPen(QColor(0x34, 0x40, 0x54));
        for (const Port &port : m_ports) {
            const QRectF row(12, port.pos.y() - style::kHandleRowHeight / 2, r.width() - 26,
                             style::kHandleRowHeight);
            const QFontMetricsF fm(painter->font());
            painter->drawText(row, Qt::AlignRight | Qt::AlignVCenter,
                              fm.elidedText(port.label, Qt::ElideRight, row.width()));
        }
    } else if (!m_detail.isEmpty() && r.height() - style::kHeaderHeight >= 26) {
        const QRectF chip(12, style::kHeaderHeight - 4, r.width() - 24, 22);
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0xf2, 0xf4, 0xf7));
        painter->drawRoundedRect(chip, 6, 6);
        painter->setFont(pixelFont(11));
        painter->setPen(QColor(0x47, 0x54, 0x67));
        const QRectF text = chip.adjusted(8, 0, -8, 0);
        const QFontMetricsF fm(painter->font());
        painter->drawText(text, Qt::AlignLeft | Qt::AlignVCenter,
                          fm.elidedText(m_detail, Qt::ElideRight, text.width()));
    }
}

void NodeItem::paintHeader(QPainter *painter, double lod) const
{
    const QRectF r = bodyRect();
    const QRectF icon(14, (style::kHeaderHeight - style::kIconSize) / 2, style::kIconSize,
                      style::kIconSize);
    drawIcon(painter, m_iconPath, icon);
    if (lod < 0.4)
        return;
    const double left = icon.right() + 10;
    const double width = r.width() - left - 14;
    // The kind's name under the title, unless the title already is that name.
    const bool subtitle = !m_subtitle.isEmpty() && m_subtitle != m_title;
    painter->setFont(pixelFont(13, QFont::DemiBold));
    painter->setPen(style::titleText());
    {
        const QFontMetricsF fm(painter->font());
        const QRectF titleRect
            = subtitle ? QRectF(left, 9, width, 19) : QRectF(left, 0, width, style::kHeaderHeight);
        painter->drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter,
                          fm.elidedText(m_title, Qt::ElideRight, width));
    }
    if (!subtitle)
        return;
    painter->setFont(pixelFont(11));
    painter->setPen(m_shape == Shape::Unsupported ? QColor(0xb5, 0x47, 0x08)
                                                  : style::subtitleText());
    const QFontMetricsF fm(painter->font());
    painter->drawText(QRectF(left, 28, width, 16), Qt::AlignLeft | Qt::AlignVCenter,
                      fm.elidedText(m_subtitle, Qt::ElideRight, width));
}

void NodeItem::paintContainer(QPainter *painter, double lod) const
{
    const QRectF r = bodyRect();
    const double radius = style::kCornerRadius + 4;
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(16, 24, 40, 12));
    painter->drawRoundedRect(r.adjusted(-1, 0, 1, 3), radius + 1, radius + 1);

    // Translucent body: the canvas grid shows through, the children sit on top of it.
    painter->setPen(isSelected() ? QPen(style::selection(), 2) : QPen(QColor(0xd0, 0xd5, 0xdd), 1));
    painter->setBrush(QColor(0xf9, 0xfa, 0xfb, 170));
    painter->drawRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius);

    // Opaque header band, clipped to the rounded outline.
    QPainterPath outline;
    outline.addRoundedRect(r.adjusted(1, 1, -1, -1), radius, radius);
    QPainterPath band;
    band.addRect(QRectF(r.left(), r.top(), r.width(), style::kHeaderHeight));
    painter->setPen(Qt::NoPen);
    painter->setBrush(style::nodeFill());
    painter->drawPath(outline.intersected(band));
    painter->setPen(QPen(QColor(0xea, 0xec, 0xf0), 1));
    painter->drawLine(QPointF(r.left() + 1, style::kHeaderHeight),
                      QPointF(r.right() - 1, style::kHeaderHeight));
    paintHeader(painter, lod);
}

void NodeItem::paintContainerStart(QPainter *painter) const
{
    const QRectF r = bodyRect();
    painter->setPen(QPen(isSelected() ? style::selection() : style::nodeBorder(), 1));
    painter->setBrush(style::nodeFill());
    painter->drawRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), 10, 10);
    const double s = std::min({style::kIconSize, r.width() - 12, r.height() - 12});
    drawIcon(painter, m_iconPath, QRectF(r.center() - QPointF(s / 2, s / 2), QSizeF(s, s)));
}

void NodeItem::paintNote(QPainter *painter, double lod) const
{
    const style::NoteTheme theme = style::noteTheme(m_noteTheme);
    const QRectF r = bodyRect();
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(16, 24, 40, 12));
    painter->drawRoundedRect(r.adjusted(-1, 0, 1, 3), 7, 7);
    painter->setPen(isSelected() ? QPen(style::selection(), 2) : QPen(theme.border, 1));
    painter->setBrush(theme.body);
    painter->drawRoundedRect(r.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);

    QPainterPath outline;
    outline.addRoundedRect(r.adjusted(1, 1, -1, -1), 6, 6);
    QPainterPath band;
    band.addRect(QRectF(r.left(), r.top(), r.width(), 8));
    painter->setPen(Qt::NoPen);
    painter->setBrush(theme.title);
    painter->drawPath(outline.intersected(band));
    if (lod < 0.4)
        return;

    QRectF textRect = r.adjusted(12, 16, -12, -10);
    if (!m_noteAuthor.isEmpty()) {
        painter->setFont(pixelFont(10));
        painter->setPen(style::subtitleText());
        painter->drawText(textRect, Qt::AlignLeft | Qt::AlignBottom, m_noteAuthor);
        textRect.setBottom(textRect.bottom() - 16);
    }
    painter->save();
    painter->setClipRect(textRect);
    painter->setFont(pixelFont(12));
    painter->setPen(QColor(0x1d, 0x29, 0x39));
    painter->drawText(textRect, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, m_noteText);
    painter->restore();
}

void NodeItem::paintPorts(QPainter *painter, double lod) const
{
    if (lod < 0.25)
        return;
    painter->setBrush(style::nodeFill());
    painter->setPen(QPen(style::port(), 1.5));
    const double radius = style::kPortRadius;
    if (m_hasInput)
        painter->drawEllipse(QPointF(0, std::min(style::kPortY, m_size.height() / 2)), radius,
                             radius);
    for (const Port &port : m_ports)
        painter->drawEllipse(port.pos, radius, radius);
}

} // namespace flowbench::canvas

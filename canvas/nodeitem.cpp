#include "nodeitem.h"

#include "canvasstyle.h"
#include "nodes/registry.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QLineF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

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

// "x contains foo" for the first condition of the first case, "+2" when there are more.
QString conditionSummary(const Json &data)
{
    const Json *conditions = nullptr;
    if (const auto cases = data.find("cases");
        cases != data.end() && cases->is_array() && !cases->empty()) {
        const Json &first = cases->front();
        if (const auto c = first.find("conditions"); c != first.end() && c->is_array())
            conditions = &*c;
    } else if (const auto c = data.find("conditions"); c != data.end() && c->is_array()) {
        conditions = &*c; // the pre-0.1 layout without cases
    }
    if (!conditions || conditions->empty())
        return Tr::tr("No conditions");
    const Json &cond = conditions->front();
    QString variable;
    if (const auto sel = cond.find("variable_selector"); sel != cond.end() && sel->is_array()) {
        QStringList parts;
        for (const Json &part : *sel) {
            if (part.is_string())
                parts.append(QString::fromStdString(part.get<std::string>()));
        }
        variable = parts.size() > 1 ? parts.mid(1).join(QLatin1Char('.')) : parts.join(QString());
    }
    QString value;
    if (const auto v = cond.find("value"); v != cond.end()) {
        value = v->is_string() ? QString::fromStdString(v->get<std::string>())
                : v->is_null() ? QString()
                               : QString::fromStdString(v->dump());
    }
    QString text = QStringList{variable, str(cond, "comparison_operator"), value.simplified()}
                       .join(QLatin1Char(' '))
                       .simplified();
    if (conditions->size() > 1)
        text += QStringLiteral(" +%1").arg(qsizetype(conditions->size() - 1));
    return text;
}

// One line summarising what a node does, shown in the card body when there is room.
QString detailOf(const QString &kind, const Json &data)
{
    if (kind == QLatin1String("if-else"))
        return conditionSummary(data);
    if (kind == QLatin1String("loop")) {
        if (const auto max = data.find("loop_count"); max != data.end() && max->is_number())
            return Tr::tr("At most %1 turns").arg(max->get<long long>());
    }
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
    if (kind == QLatin1String("knowledge-retrieval") || kind == QLatin1String("document-extractor")
        || kind == QLatin1String("list-operator") || kind == QLatin1String("iteration")) {
        // What they read: the last part of their input selector.
        for (const char *key :
             {"query_variable_selector", "variable_selector", "variable", "iterator_selector"}) {
            if (const auto sel = data.find(key);
                sel != data.end() && sel->is_array() && sel->size() >= 2 && sel->back().is_string())
                return QStringLiteral("{{%1}}").arg(
                    QString::fromStdString(sel->back().get<std::string>()));
        }
    }
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

// The summary chip of a card with labelled rows, between the header and the first row.
constexpr double kDetailRow = 22;

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

QString noteDataFromText(const QString &text)
{
    // The shape Dify's note editor (Lexical) saves; Dify reads back any valid state.
    Json paragraphs = Json::array();
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        Json children = Json::array();
        if (!line.isEmpty()) {
            children.push_back({{"detail", 0},
                                {"format", 0},
                                {"mode", "normal"},
                                {"style", ""},
                                {"text", line.toStdString()},
                                {"type", "text"},
                                {"version", 1}});
        }
        paragraphs.push_back({{"children", children},
                              {"direction", line.isEmpty() ? Json() : Json("ltr")},
                              {"format", ""},
                              {"indent", 0},
                              {"type", "paragraph"},
                              {"version", 1},
                              {"textFormat", 0},
                              {"textStyle", ""}});
    }
    const Json state = {{"root",
                         {{"children", paragraphs},
                          {"direction", "ltr"},
                          {"format", ""},
                          {"indent", 0},
                          {"type", "root"},
                          {"version", 1}}}};
    return QString::fromStdString(state.dump());
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
            // The one-line summary (condition, model, URL) sits between header and rows.
            const double top = style::kHandleRowTop + (m_detail.isEmpty() ? 0 : kDetailRow);
            double y = top + style::kHandleRowHeight / 2;
            for (const nodes::Handle &h : handles) {
                // With a fail branch the plain handle is the success path (Dify's SUCCESS row).
                QString label = h.label;
                if (label.isEmpty() && h.id == QLatin1String("source"))
                    label = Tr::tr("SUCCESS");
                m_ports.append({h.id, label, QPointF(size.width(), y)});
                y += style::kHandleRowHeight;
            }
            if (!handles.empty()) {
                const double needed = top + style::kHandleRowHeight * double(handles.size()) + 8;
                size.setHeight(std::max(size.height(), needed));
            }
        }
    }
    if (m_shape == Shape::Plain || m_shape == Shape::Unsupported)
        size.setHeight(std::max(size.height(), style::kMinNodeHeight));
    m_size = size;
    elideTexts();

    setZValue(baseZ());
    update();
}

void NodeItem::elideTexts()
{
    const double left = 14 + style::kIconSize + 10;
    const double width = m_size.width() - left - 14;
    m_titleShown
        = QFontMetricsF(pixelFont(13, QFont::DemiBold)).elidedText(m_title, Qt::ElideRight, width);
    m_subtitleShown = QFontMetricsF(pixelFont(11)).elidedText(m_subtitle, Qt::ElideRight, width);
    m_detailShown = QFontMetricsF(pixelFont(11))
                        .elidedText(m_detail, Qt::ElideRight, m_size.width() - 24 - 16);
    m_portLabelsShown.clear();
    const QFontMetricsF fm(pixelFont(11, QFont::DemiBold));
    for (const Port &port : std::as_const(m_ports))
        m_portLabelsShown.append(fm.elidedText(port.label, Qt::ElideRight, m_size.width() - 26));
}

QRectF NodeItem::noteTextRect() const
{
    return bodyRect().adjusted(12, 16, -12, m_noteAuthor.isEmpty() ? -10 : -26);
}

QString NodeItem::outputPortAt(QPointF pos) const
{
    const double reach = style::kPortRadius + 5;
    for (const Port &port : m_ports) {
        if (QLineF(port.pos, pos).length() <= reach)
            return port.handle;
    }
    return {};
}

bool NodeItem::isInputPortAt(QPointF pos) const
{
    return m_hasInput && QLineF(inputPortPos(), pos).length() <= style::kPortRadius + 5;
}

bool NodeItem::isResizeGripAt(QPointF pos) const
{
    if (!isResizable())
        return false;
    const QRectF grip(m_size.width() - style::kGripSize, m_size.height() - style::kGripSize,
                      style::kGripSize + 2, style::kGripSize + 2);
    return grip.contains(pos);
}

void NodeItem::setHighlight(Highlight highlight)
{
    if (m_highlight == highlight)
        return;
    m_highlight = highlight;
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
    return mapToScene(inputPortPos());
}

QPointF NodeItem::inputPortPos() const
{
    return QPointF(0, std::min(style::kPortY, m_size.height() / 2));
}

QRectF NodeItem::boundingRect() const
{
    // Room for the ports, the shadow and the connection highlight ring.
    const double m = style::kPortRadius + 4;
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
    if (lod < style::kFlatLod) {
        // Far out a card is a few pixels: a flat rectangle says where it is, nothing more.
        paintFlat(painter);
        if (m_highlight != Highlight::None) {
            painter->setRenderHint(QPainter::Antialiasing);
            paintHighlight(painter);
        }
        return;
    }
    painter->setRenderHint(QPainter::Antialiasing);
    switch (m_shape) {
    case Shape::Note:
        paintNote(painter, lod);
        if (lod >= style::kTextLod)
            paintGrip(painter);
        return;
    case Shape::Container:
        paintContainer(painter, lod);
        if (lod >= style::kTextLod)
            paintGrip(painter);
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
    if (m_highlight != Highlight::None)
        paintHighlight(painter);
}

void NodeItem::paintFlat(QPainter *painter) const
{
    QColor fill = style::nodeFill();
    QColor border = style::nodeBorder();
    switch (m_shape) {
    case Shape::Note: {
        const style::NoteTheme theme = style::noteTheme(m_noteTheme);
        fill = theme.body;
        border = theme.border;
        break;
    }
    case Shape::Container:
        fill = QColor(0xf9, 0xfa, 0xfb, 170);
        border = QColor(0xd0, 0xd5, 0xdd);
        break;
    case Shape::Unsupported:
        fill = QColor(0xf9, 0xfa, 0xfb);
        border = QColor(0x98, 0xa2, 0xb3);
        break;
    case Shape::Plain:
    case Shape::ContainerStart:
        break;
    }
    QPen pen(isSelected() ? style::selection() : border, isSelected() ? 2 : 1);
    pen.setCosmetic(true);
    pen.setJoinStyle(Qt::MiterJoin);
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setPen(pen);
    painter->setBrush(fill);
    painter->drawRect(bodyRect());
    // The icon as a square of its colour: the kinds stay apart at a glance.
    if (!m_iconPath.isEmpty() && m_shape != Shape::Note) {
        const double s = std::min(style::kIconSize, m_size.height() - 8);
        const QRectF icon = m_shape == Shape::ContainerStart
                                ? QRectF(bodyRect().center() - QPointF(s / 2, s / 2), QSizeF(s, s))
                                : QRectF(14, (style::kHeaderHeight - s) / 2, s, s);
        painter->fillRect(icon, style::iconColor(m_iconPath));
    }
}

void NodeItem::paintHighlight(QPainter *painter) const
{
    const bool valid = m_highlight == Highlight::Valid;
    QPen pen(valid ? style::validTarget() : style::invalidTarget(), 2.5);
    if (!valid)
        pen.setStyle(Qt::DashLine);
    painter->setPen(pen);
    QColor fill = valid ? style::validTarget() : style::invalidTarget();
    fill.setAlpha(m_shape == Shape::Container ? 10 : 18);
    painter->setBrush(fill);
    painter->drawRoundedRect(bodyRect().adjusted(-2, -2, 2, 2), style::kCornerRadius + 2,
                             style::kCornerRadius + 2);
    if (m_hasInput) {
        painter->setBrush(valid ? style::validTarget() : style::invalidTarget());
        painter->setPen(Qt::NoPen);
        painter->drawEllipse(inputPortPos(), style::kPortRadius + 1.5, style::kPortRadius + 1.5);
    }
}

void NodeItem::paintGrip(QPainter *painter) const
{
    // Three short diagonal strokes in the corner, as a window's size grip.
    const QPointF corner(m_size.width() - 4, m_size.height() - 4);
    painter->setPen(QPen(isSelected() ? style::selection() : QColor(0x98, 0xa2, 0xb3), 1.2));
    for (int i = 1; i <= 3; ++i) {
        const double d = 3.5 * i;
        painter->drawLine(corner - QPointF(d, 0), corner - QPointF(0, d));
    }
}

void NodeItem::paintCard(QPainter *painter, double lod) const
{
    const QRectF r = bodyRect();
    const double radius = style::kCornerRadius;
    const bool unsupported = m_shape == Shape::Unsupported;

    // A soft shadow: two translucent layers look close to Dify's shadow-xs. Zoomed out it is
    // under a pixel wide and not drawn.
    if (lod >= style::kTextLod) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(16, 24, 40, 10));
        painter->drawRoundedRect(r.adjusted(-1, 0, 1, 3), radius + 1, radius + 1);
        painter->setBrush(QColor(16, 24, 40, 14));
        painter->drawRoundedRect(r.adjusted(0, 1, 0, 1.5), radius, radius);
    }

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
    if (lod < style::kTextLod)
        return;

    // Labelled handles are rows on the right, under the detail line when there is one;
    // otherwise the body shows the detail line when there is room.
    const bool rows
        = m_ports.size() > 1 || (m_ports.size() == 1 && !m_ports.first().label.isEmpty());
    const bool detail = !m_detail.isEmpty() && (rows || r.height() - style::kHeaderHeight >= 26);
    if (detail) {
        const QRectF chip(12, style::kHeaderHeight - 4, r.width() - 24, kDetailRow);
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0xf2, 0xf4, 0xf7));
        painter->drawRoundedRect(chip, 6, 6);
        painter->setFont(pixelFont(11));
        painter->setPen(QColor(0x47, 0x54, 0x67));
        painter->drawText(chip.adjusted(8, 0, -8, 0), Qt::AlignLeft | Qt::AlignVCenter,
                          m_detailShown);
    }
    if (rows) {
        painter->setFont(pixelFont(11, QFont::DemiBold));
        for (qsizetype i = 0; i < m_ports.size(); ++i) {
            const Port &port = m_ports.at(i);
            const QRectF row(12, port.pos.y() - style::kHandleRowHeight / 2, r.width() - 26,
                             style::kHandleRowHeight);
            painter->setPen(port.handle == QLatin1String("fail-branch") ? QColor(0xd9, 0x2d, 0x20)
                                                                        : QColor(0x34, 0x40, 0x54));
            painter->drawText(row, Qt::AlignRight | Qt::AlignVCenter, m_portLabelsShown.value(i));
        }
    }
}

void NodeItem::paintHeader(QPainter *painter, double lod) const
{
    const QRectF r = bodyRect();
    const QRectF icon(14, (style::kHeaderHeight - style::kIconSize) / 2, style::kIconSize,
                      style::kIconSize);
    style::drawIcon(painter, m_iconPath, icon);
    if (lod < style::kTextLod)
        return;
    const double left = icon.right() + 10;
    const double width = r.width() - left - 14;
    // The kind's name under the title, unless the title already is that name.
    const bool subtitle = !m_subtitle.isEmpty() && m_subtitle != m_title;
    painter->setFont(pixelFont(13, QFont::DemiBold));
    painter->setPen(style::titleText());
    const QRectF titleRect
        = subtitle ? QRectF(left, 9, width, 19) : QRectF(left, 0, width, style::kHeaderHeight);
    painter->drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter, m_titleShown);
    if (!subtitle)
        return;
    painter->setFont(pixelFont(11));
    painter->setPen(m_shape == Shape::Unsupported ? QColor(0xb5, 0x47, 0x08)
                                                  : style::subtitleText());
    painter->drawText(QRectF(left, 28, width, 16), Qt::AlignLeft | Qt::AlignVCenter,
                      m_subtitleShown);
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
    style::drawIcon(painter, m_iconPath, QRectF(r.center() - QPointF(s / 2, s / 2), QSizeF(s, s)));
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
    if (lod < style::kTextLod)
        return;

    const QRectF textRect = noteTextRect();
    if (!m_noteAuthor.isEmpty()) {
        painter->setFont(pixelFont(10));
        painter->setPen(style::subtitleText());
        painter->drawText(r.adjusted(12, 16, -12, -10), Qt::AlignLeft | Qt::AlignBottom,
                          m_noteAuthor);
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

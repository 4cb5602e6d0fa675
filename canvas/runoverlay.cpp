#include "runoverlay.h"

#include "document/workbenchstate.h"
#include "runtime/workbenchrun.h"

#include "canvasstyle.h"
#include "edgeitem.h"
#include "editsink.h"
#include "nodeitem.h"
#include "workflowscene.h"

#include <QEvent>
#include <QFontMetricsF>
#include <QGraphicsObject>
#include <QGraphicsSceneMouseEvent>
#include <QLocale>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <QTimer>

#include <QLineF>

#include <algorithm>
#include <climits>
#include <cmath>

namespace flowbench::canvas {

using document::Json;
using runtime::RunEvent;
using NodeState = RunOverlay::NodeState;
using EdgeState = RunOverlay::EdgeState;

namespace {

// Above the nodes (selected ones too), below a drag preview. Container decorations sit just above
// their container's body, so the children inside stay on top of a container's fade.
constexpr double kDecorationZ = 5;
constexpr double kContainerDecorationZ = style::kContainerZ + 0.5;
constexpr double kEdgeDecorationZ = style::kEdgeZ + 0.5;
constexpr double kHoverSpotZ = 6;

// Geometry, in node coordinates (the card's top-left corner is 0,0).
constexpr double kRingMargin = 3;
constexpr double kPillTop = -26;
constexpr double kPillHeight = 20;
const QPointF kSpotCentre(-13, 12);
constexpr double kSpotRadius = 5.5;
constexpr double kSpotHitRadius = 9;
constexpr double kBadgeRadius = 8.5;

QColor accent()
{
    return style::selection();
}
QColor success()
{
    return QColor(0x17, 0xb2, 0x6a);
}
QColor warning()
{
    return QColor(0xf7, 0x90, 0x09);
}
QColor danger()
{
    return QColor(0xf0, 0x44, 0x38);
}
QColor muted()
{
    return QColor(0x98, 0xa2, 0xb3);
}

QColor stateColour(NodeState state)
{
    switch (state) {
    case NodeState::Running:
        return accent();
    case NodeState::PausedHere:
    case NodeState::Exception:
        return warning();
    case NodeState::Succeeded:
        return success();
    case NodeState::Failed:
        return danger();
    case NodeState::None:
    case NodeState::Pending:
    case NodeState::Skipped:
    case NodeState::Stopped:
        break;
    }
    return muted();
}

QFont pillFont()
{
    QFont font;
    font.setPixelSize(11);
    font.setWeight(QFont::DemiBold);
    return font;
}

double lodOf(const QPainter *painter)
{
    return QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform());
}

bool isTransparentKind(const QString &kind)
{
    return kind == QLatin1String("iteration-start") || kind == QLatin1String("loop-start");
}

QString jsonString(const Json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                                 : QString();
}

// The glyph in a status pill: a filled circle in the state's colour with a white mark.
void drawStatusGlyph(QPainter *painter, NodeState state, QPointF centre, double r, int phase)
{
    const QColor colour = stateColour(state);
    if (state == NodeState::Running) {
        // A spinner: a faint ring and a turning arc.
        QPen pen(QColor(colour.red(), colour.green(), colour.blue(), 60), 2);
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        const QRectF box(centre - QPointF(r - 1, r - 1), QSizeF(2 * r - 2, 2 * r - 2));
        painter->drawEllipse(box);
        pen.setColor(colour);
        pen.setCapStyle(Qt::RoundCap);
        painter->setPen(pen);
        painter->drawArc(box, -phase * 16 * 24, 110 * 16);
        return;
    }
    painter->setPen(Qt::NoPen);
    painter->setBrush(colour);
    painter->drawEllipse(centre, r, r);
    QPen pen(Qt::white, 1.6);
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    const double s = r * 0.45;
    switch (state) {
    case NodeState::Succeeded: {
        QPainterPath tick(centre + QPointF(-s, 0.1 * s));
        tick.lineTo(centre + QPointF(-0.25 * s, 0.8 * s));
        tick.lineTo(centre + QPointF(s, -0.7 * s));
        painter->drawPath(tick);
        break;
    }
    case NodeState::Failed:
        painter->drawLine(centre + QPointF(-s, -s), centre + QPointF(s, s));
        painter->drawLine(centre + QPointF(-s, s), centre + QPointF(s, -s));
        break;
    case NodeState::Exception:
        painter->drawLine(centre + QPointF(0, -s), centre + QPointF(0, 0.3 * s));
        painter->drawPoint(centre + QPointF(0, s));
        break;
    case NodeState::PausedHere:
        painter->drawLine(centre + QPointF(-0.4 * s, -s * 0.8),
                          centre + QPointF(-0.4 * s, s * 0.8));
        painter->drawLine(centre + QPointF(0.4 * s, -s * 0.8), centre + QPointF(0.4 * s, s * 0.8));
        break;
    case NodeState::Skipped: // a forward arrow: passed over
        painter->drawLine(centre + QPointF(-s, 0), centre + QPointF(s, 0));
        painter->drawLine(centre + QPointF(0.2 * s, -0.7 * s), centre + QPointF(s, 0));
        painter->drawLine(centre + QPointF(0.2 * s, 0.7 * s), centre + QPointF(s, 0));
        break;
    default: // stopped: a square
        painter->setPen(Qt::NoPen);
        painter->setBrush(Qt::white);
        painter->drawRect(QRectF(centre - QPointF(0.6 * s, 0.6 * s), QSizeF(1.2 * s, 1.2 * s)));
        break;
    }
}

} // namespace

namespace detail {

// A small mark attached to a node decoration: the breakpoint spot, the pin, the problem badge.
// Each is its own item so each has its own tooltip.
class Mark : public QGraphicsItem
{
public:
    enum class Kind { Breakpoint, ConditionalBreakpoint, Pin, Error, Warning };

    Mark(Kind kind, QGraphicsItem *parent)
        : QGraphicsItem(parent)
        , m_kind(kind)
    {
        setAcceptedMouseButtons(Qt::NoButton);
    }

    void setKind(Kind kind, const QString &text = {})
    {
        m_kind = kind;
        m_text = text;
        update();
    }
    [[nodiscard]] Kind kind() const { return m_kind; }

    [[nodiscard]] QRectF boundingRect() const override
    {
        const double r = radius() + 1.5;
        return QRectF(-r, -r, 2 * r, 2 * r);
    }
    [[nodiscard]] QPainterPath shape() const override
    {
        QPainterPath path;
        const double r = m_kind == Kind::Breakpoint || m_kind == Kind::ConditionalBreakpoint
                             ? kSpotHitRadius
                             : radius();
        path.addEllipse(QPointF(0, 0), r, r);
        return path;
    }

    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        painter->setRenderHint(QPainter::Antialiasing);
        const double r = radius();
        switch (m_kind) {
        case Kind::Breakpoint:
            painter->setPen(QPen(Qt::white, 1.5));
            painter->setBrush(danger());
            painter->drawEllipse(QPointF(0, 0), r, r);
            break;
        case Kind::ConditionalBreakpoint:
            // Red like a breakpoint, a little larger, with a question mark: "pauses if ...".
            painter->setPen(QPen(Qt::white, 1.5));
            painter->setBrush(danger());
            painter->drawEllipse(QPointF(0, 0), r, r);
            drawCentredText(painter, QStringLiteral("?"), 9);
            break;
        case Kind::Pin: {
            painter->setPen(QPen(style::nodeBorder(), 1));
            painter->setBrush(Qt::white);
            painter->drawEllipse(QPointF(0, 0), r, r);
            // A push pin leaning right: round head, short body, needle.
            painter->save();
            painter->rotate(35);
            painter->setPen(Qt::NoPen);
            painter->setBrush(accent());
            painter->drawEllipse(QPointF(0, -3.2), 2.6, 2.6);
            painter->drawRect(QRectF(-1.3, -2.5, 2.6, 3.2));
            painter->drawRect(QRectF(-3, 0.4, 6, 1.4));
            painter->setPen(QPen(accent(), 1.1, Qt::SolidLine, Qt::RoundCap));
            painter->drawLine(QPointF(0, 1.8), QPointF(0, 5));
            painter->restore();
            break;
        }
        case Kind::Error:
        case Kind::Warning:
            painter->setPen(QPen(Qt::white, 1.5));
            painter->setBrush(m_kind == Kind::Error ? danger() : warning());
            painter->drawEllipse(QPointF(0, 0), r, r);
            drawCentredText(painter, m_text.isEmpty() ? QStringLiteral("!") : m_text, 10);
            break;
        }
    }

private:
    [[nodiscard]] double radius() const
    {
        switch (m_kind) {
        case Kind::Breakpoint:
            return kSpotRadius;
        case Kind::ConditionalBreakpoint:
            return kSpotRadius + 1.5;
        default:
            return kBadgeRadius;
        }
    }
    static void drawCentredText(QPainter *painter, const QString &text, int pixels)
    {
        QFont font;
        font.setPixelSize(pixels);
        font.setWeight(QFont::Bold);
        painter->setFont(font);
        painter->setPen(Qt::white);
        painter->drawText(QRectF(-8, -8, 16, 16), Qt::AlignCenter, text);
    }

    Kind m_kind;
    QString m_text;
};

// Everything the overlay draws for one node: the state ring (or the fade of a skipped node),
// the status pill above the card, and the marks. Hit-testable only on the pill (and the marks,
// which are children), so clicks, drags and connections on the card reach the node below.
class NodeDecoration : public QGraphicsObject
{
public:
    explicit NodeDecoration(const RunOverlay *overlay)
        : m_overlay(overlay)
    {
        setAcceptedMouseButtons(Qt::NoButton);
        setZValue(kDecorationZ);
    }

    struct Look
    {
        NodeState state = NodeState::None;
        QString pillText;
        QString pillToolTip;
        bool breakpoint = false;
        QString condition; // non-empty: conditional
        QString breakpointToolTip;
        bool pinned = false;
        QString pinToolTip;
        int errors = 0;
        int warnings = 0;
        QString problemToolTip;
    };

    void setGeometry(QPointF pos, QSizeF size, bool container)
    {
        setPos(pos);
        setZValue(container ? kContainerDecorationZ : kDecorationZ);
        if (size == m_size)
            return;
        prepareGeometryChange();
        m_size = size;
        placeMarks();
    }

    void setLook(const Look &look)
    {
        prepareGeometryChange();
        m_look = look;
        m_pillWidth = 0;
        if (hasPill()) {
            const QFontMetricsF fm(pillFont());
            m_pillWidth = 8 + 12
                          + (look.pillText.isEmpty() ? 0 : 6 + fm.horizontalAdvance(look.pillText))
                          + 8;
        }
        setToolTip(look.pillToolTip);

        syncMark(m_breakpoint, look.breakpoint,
                 look.condition.isEmpty() ? Mark::Kind::Breakpoint
                                          : Mark::Kind::ConditionalBreakpoint,
                 look.breakpointToolTip);
        syncMark(m_pin, look.pinned, Mark::Kind::Pin, look.pinToolTip);
        const int problems = look.errors + look.warnings;
        syncMark(m_problem, problems > 0, look.errors > 0 ? Mark::Kind::Error : Mark::Kind::Warning,
                 look.problemToolTip);
        if (m_problem)
            m_problem->setKind(m_problem->kind(),
                               problems > 1 ? QString::number(std::min(problems, 9)) : QString());
        placeMarks();
        update();
    }

    [[nodiscard]] const Look &look() const { return m_look; }
    [[nodiscard]] QPointF problemBadgeCentre() const
    {
        return m_problem ? m_problem->pos() : QPointF();
    }

    [[nodiscard]] QRectF boundingRect() const override
    {
        const double m = kRingMargin + 8; // the paused halo reaches 7.5 past the ring
        return QRectF(QPointF(0, 0), m_size).adjusted(-m, kPillTop - 2, m, m);
    }
    [[nodiscard]] QPainterPath shape() const override
    {
        QPainterPath path;
        if (hasPill())
            path.addRect(pillRect());
        return path;
    }

    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        const NodeState state = m_look.state;
        if (state == NodeState::None || state == NodeState::Pending)
            return;
        painter->setRenderHint(QPainter::Antialiasing);
        const double lod = lodOf(painter);
        const QRectF card(QPointF(0, 0), m_size);
        const double radius = style::kCornerRadius;

        if (state == NodeState::Skipped) {
            QColor veil = style::background();
            veil.setAlpha(165);
            painter->setPen(Qt::NoPen);
            painter->setBrush(veil);
            painter->drawRoundedRect(card.adjusted(-1, -1, 1, 3), radius, radius);
        } else {
            const QColor colour = stateColour(state);
            const QRectF ring = card.adjusted(-kRingMargin, -kRingMargin, kRingMargin, kRingMargin);
            if (state == NodeState::PausedHere) {
                // A soft halo outside the card (the card itself stays readable).
                QColor glow = colour;
                glow.setAlpha(55);
                painter->setPen(QPen(glow, 6));
                painter->setBrush(Qt::NoBrush);
                painter->drawRoundedRect(ring.adjusted(-3, -3, 3, 3), radius + 6, radius + 6);
            }
            QPen pen(colour, state == NodeState::PausedHere ? 3 : 2);
            if (state == NodeState::Running) {
                // Marching dashes: the animation timer advances the phase.
                pen.setStyle(Qt::CustomDashLine);
                pen.setDashPattern({4, 3});
                pen.setDashOffset(-m_overlay->m_phase * 0.7);
            } else if (state == NodeState::Stopped) {
                pen.setStyle(Qt::DashLine);
            }
            painter->setPen(pen);
            painter->setBrush(Qt::NoBrush);
            painter->drawRoundedRect(ring, radius + kRingMargin, radius + kRingMargin);
        }
        if (hasPill() && lod >= 0.3)
            paintPill(painter, lod);
    }

private:
    [[nodiscard]] bool hasPill() const
    {
        return m_look.state != NodeState::None && m_look.state != NodeState::Pending;
    }
    [[nodiscard]] QRectF pillRect() const { return QRectF(0, kPillTop, m_pillWidth, kPillHeight); }

    void paintPill(QPainter *painter, double lod) const
    {
        const QRectF pill = pillRect();
        const NodeState state = m_look.state;
        const QColor colour = stateColour(state);
        painter->setPen(QPen(state == NodeState::Skipped ? style::nodeBorder() : colour, 1));
        painter->setBrush(Qt::white);
        painter->drawRoundedRect(pill.adjusted(0.5, 0.5, -0.5, -0.5), kPillHeight / 2,
                                 kPillHeight / 2);
        drawStatusGlyph(painter, state, QPointF(pill.left() + 8 + 6, pill.center().y()), 6,
                        m_overlay->m_phase);
        if (lod < 0.5 || m_look.pillText.isEmpty())
            return;
        painter->setFont(pillFont());
        painter->setPen(state == NodeState::Skipped || state == NodeState::Stopped
                            ? style::subtitleText()
                            : style::titleText());
        painter->drawText(pill.adjusted(8 + 12 + 6, 0, -6, 0), Qt::AlignLeft | Qt::AlignVCenter,
                          m_look.pillText);
    }

    void syncMark(Mark *&mark, bool wanted, Mark::Kind kind, const QString &toolTip)
    {
        if (!wanted) {
            delete mark; // a child: removed from the scene with it
            mark = nullptr;
            return;
        }
        if (!mark)
            mark = new Mark(kind, this);
        mark->setKind(kind);
        mark->setToolTip(toolTip);
    }

    void placeMarks()
    {
        // Breakpoint left of the title; badges right-aligned in the pill row: problem, then pin.
        if (m_breakpoint)
            m_breakpoint->setPos(kSpotCentre);
        double x = m_size.width() - kBadgeRadius;
        const double y = kPillTop + kPillHeight / 2;
        if (m_problem) {
            m_problem->setPos(x, y);
            x -= 2 * kBadgeRadius + 4;
        }
        if (m_pin)
            m_pin->setPos(x, y);
    }

    const RunOverlay *m_overlay;
    QSizeF m_size;
    Look m_look;
    double m_pillWidth = 0;
    Mark *m_breakpoint = nullptr;
    Mark *m_pin = nullptr;
    Mark *m_problem = nullptr;
};

// A taken or skipped edge, drawn over the edge item: taken solid in the accent colour, skipped
// faded and dashed (over a stroke of the canvas colour that hides the plain edge below).
class EdgeDecoration : public QGraphicsObject
{
public:
    EdgeDecoration()
    {
        setAcceptedMouseButtons(Qt::NoButton);
        setZValue(kEdgeDecorationZ);
    }

    void setPath(const QPainterPath &path)
    {
        prepareGeometryChange();
        m_path = path;
        m_bounds = path.boundingRect().adjusted(-4, -4, 4, 4);
    }
    void setState(EdgeState state)
    {
        m_state = state;
        update();
    }

    [[nodiscard]] QRectF boundingRect() const override { return m_bounds; }
    [[nodiscard]] QPainterPath shape() const override { return {}; } // never hit

    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setBrush(Qt::NoBrush);
        if (m_state == EdgeState::Taken) {
            QPen pen(accent(), 2.5);
            pen.setCapStyle(Qt::RoundCap);
            painter->setPen(pen);
            painter->drawPath(m_path);
            return;
        }
        QPen erase(style::background(), 4);
        erase.setCapStyle(Qt::FlatCap);
        painter->setPen(erase);
        painter->drawPath(m_path);
        QColor faded = style::edge();
        faded.setAlpha(150);
        QPen pen(faded, 1.5, Qt::CustomDashLine);
        pen.setDashPattern({4, 4});
        painter->setPen(pen);
        painter->drawPath(m_path);
    }

private:
    QPainterPath m_path;
    QRectF m_bounds;
    EdgeState m_state = EdgeState::None;
};

// The faint breakpoint spot shown on the node under the mouse (one item for the whole scene).
class HoverSpot : public QGraphicsObject
{
public:
    HoverSpot()
    {
        setAcceptedMouseButtons(Qt::NoButton);
        setZValue(kHoverSpotZ);
        setVisible(false);
    }
    [[nodiscard]] QRectF boundingRect() const override
    {
        const double r = kSpotRadius + 2;
        return QRectF(-r, -r, 2 * r, 2 * r);
    }
    [[nodiscard]] QPainterPath shape() const override
    {
        QPainterPath path;
        path.addEllipse(QPointF(0, 0), kSpotHitRadius, kSpotHitRadius);
        return path;
    }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        painter->setRenderHint(QPainter::Antialiasing);
        QColor fill = danger();
        fill.setAlpha(70);
        painter->setPen(QPen(QColor(danger().red(), danger().green(), danger().blue(), 120), 1));
        painter->setBrush(fill);
        painter->drawEllipse(QPointF(0, 0), kSpotRadius, kSpotRadius);
    }
};

} // namespace detail

using detail::EdgeDecoration;
using detail::HoverSpot;
using detail::NodeDecoration;

// ---- construction -----------------------------------------------------------------------------

RunOverlay::RunOverlay(WorkflowScene *scene, EditSink *sink, QObject *parent)
    : QObject(parent)
    , m_scene(scene)
    , m_sink(sink)
{
    m_animation = new QTimer(this);
    m_animation->setInterval(40);
    connect(m_animation, &QTimer::timeout, this, &RunOverlay::tick);

    using D = document::WorkflowDocument;
    D *doc = scene->document();
    // The scene connected to the document first, so its items are in place when these run.
    connect(doc, &D::workbenchStateChanged, this, &RunOverlay::readWorkbenchState);
    connect(doc, &D::resetDone, this, &RunOverlay::readWorkbenchState);
    connect(doc, &D::nodeAdded, this, [this](const QString &id) { m_dirtyNodes.insert(id); });
    connect(doc, &D::nodeRemoved, this, [this](const QString &id) { m_dirtyNodes.insert(id); });
    connect(doc, &D::nodeChanged, this, [this](const QString &id) { m_dirtyNodes.insert(id); });
    connect(doc, &D::nodeMoved, this, [this](const QString &id) { m_dirtyNodes.insert(id); });
    connect(doc, &D::edgeAdded, this, [this](const QString &id) { m_dirtyEdges.insert(id); });
    connect(doc, &D::edgeRemoved, this, [this](const QString &id) { m_dirtyEdges.insert(id); });
    connect(doc, &D::batchStarted, this, [this] { m_relayoutAll = true; });
    connect(doc, &D::changed, this, &RunOverlay::relayoutDirty);
    connect(scene, &WorkflowScene::rebuilt, this, &RunOverlay::recreateAll);
    scene->installEventFilter(this);

    readWorkbenchState();
}

RunOverlay::~RunOverlay()
{
    if (!m_scene)
        return;
    m_scene->removeEventFilter(this);
    for (const QPointer<NodeDecoration> &deco : std::as_const(m_nodeDecos))
        delete deco.data(); // QGraphicsItem's destructor removes it from the scene
    for (const QPointer<EdgeDecoration> &deco : std::as_const(m_edgeDecos))
        delete deco.data();
    delete m_hoverSpot.data();
}

// ---- queries ----------------------------------------------------------------------------------

NodeState RunOverlay::nodeState(const QString &nodeId) const
{
    if (!m_pausedAt.isEmpty() && nodeId == m_pausedAt)
        return NodeState::PausedHere;
    const auto it = m_runs.constFind(nodeId);
    if (it != m_runs.cend())
        return it->state;
    if (m_inRun && m_scene && m_scene->document()->workflow().node(nodeId))
        return NodeState::Pending;
    return NodeState::None;
}

EdgeState RunOverlay::edgeState(const QString &edgeId) const
{
    return m_edgeStates.value(edgeId, EdgeState::None);
}

qint64 RunOverlay::elapsedMs(const QString &nodeId) const
{
    return m_runs.value(nodeId).elapsedMs;
}

qint64 RunOverlay::totalTokens(const QString &nodeId) const
{
    return m_runs.value(nodeId).tokens;
}

bool RunOverlay::hasBreakpoint(const QString &nodeId) const
{
    return m_breakpoints.contains(nodeId);
}

QString RunOverlay::breakpointCondition(const QString &nodeId) const
{
    return m_conditions.value(nodeId);
}

bool RunOverlay::isPinned(const QString &nodeId) const
{
    return m_pinned.contains(nodeId);
}

QPointF RunOverlay::breakpointSpotScenePos(const QString &nodeId) const
{
    if (!m_scene)
        return {};
    const QRectF rect = m_scene->nodeSceneRect(nodeId);
    return rect.isNull() ? QPointF() : rect.topLeft() + kSpotCentre;
}

QPointF RunOverlay::problemBadgeScenePos(const QString &nodeId) const
{
    const NodeDecoration *deco = m_nodeDecos.value(nodeId);
    if (!deco || !m_problems.contains(nodeId))
        return {};
    return deco->mapToScene(deco->problemBadgeCentre());
}

QString RunOverlay::formatElapsed(qint64 ms)
{
    if (ms < 1000)
        return tr("%1 ms").arg(std::max<qint64>(ms, 0));
    if (ms < 60'000)
        return tr("%1 s").arg(QLocale().toString(double(ms) / 1000.0, 'f', 1));
    const qint64 s = (ms + 500) / 1000;
    return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
}

// ---- workbench state --------------------------------------------------------------------------

void RunOverlay::applyWorkbenchState(const document::Workflow &workflow,
                                     runtime::RunOptions *options)
{
    if (options)
        runtime::applyWorkbenchState(document::workbenchState(workflow), options);
}

void RunOverlay::readWorkbenchState()
{
    if (!m_scene)
        return;
    runtime::RunOptions options;
    applyWorkbenchState(m_scene->document()->workflow(), &options);
    QSet<QString> pinned;
    for (auto it = options.pinnedOutputs.cbegin(); it != options.pinnedOutputs.cend(); ++it)
        pinned.insert(it.key());

    const bool breakpointsChanged
        = options.breakpoints != m_breakpoints || options.breakpointConditions != m_conditions;
    QSet<QString> touched = m_breakpoints;
    touched.unite(options.breakpoints);
    touched.unite(m_pinned);
    touched.unite(pinned);
    for (auto it = m_conditions.cbegin(); it != m_conditions.cend(); ++it)
        touched.insert(it.key());
    for (auto it = options.breakpointConditions.cbegin(); it != options.breakpointConditions.cend();
         ++it)
        touched.insert(it.key());

    m_breakpoints = options.breakpoints;
    m_conditions = options.breakpointConditions;
    m_pinned = pinned;
    for (const QString &id : std::as_const(touched))
        updateNode(id);
    // The faint spot under the mouse hides on a node that now has a breakpoint, and comes back.
    const QString hovered = m_hoverNode;
    m_hoverNode.clear();
    setHoverNode(hovered);
    if (breakpointsChanged)
        Q_EMIT this->breakpointsChanged();
}

void RunOverlay::toggleBreakpoint(const QString &nodeId)
{
    if (!m_scene || nodeId.isEmpty())
        return;
    const document::Node *node = m_scene->document()->workflow().node(nodeId);
    if (!node || node->isNote() || !m_sink)
        return;
    m_sink->applyEdit(document::makeToggleBreakpointEdit(m_scene->document()->workflow(), nodeId));
}

void RunOverlay::toggleSelectedBreakpoints()
{
    if (!m_scene || !m_sink)
        return;
    const document::Workflow &workflow = m_scene->document()->workflow();
    QStringList ids;
    for (const QString &id : m_scene->selectedNodeIds()) {
        const document::Node *node = workflow.node(id);
        if (node && !node->isNote())
            ids.append(id);
    }
    // Several: like an editor with a multi-line selection, set them all unless all are set.
    if (!ids.isEmpty())
        m_sink->applyEdit(document::makeToggleBreakpointsEdit(workflow, ids));
}

void RunOverlay::setBreakpointCondition(const QString &nodeId, const QString &condition)
{
    if (!m_scene || !m_sink || !m_scene->document()->workflow().node(nodeId))
        return;
    m_sink->applyEdit(document::makeSetBreakpointConditionEdit(m_scene->document()->workflow(),
                                                               nodeId, condition));
}

// ---- problems ---------------------------------------------------------------------------------

void RunOverlay::setProblems(const QList<document::Problem> &problems)
{
    QHash<QString, QList<document::Problem>> byNode;
    for (const document::Problem &problem : problems) {
        if (!problem.nodeId.isEmpty())
            byNode[problem.nodeId].append(problem);
    }
    QSet<QString> touched;
    for (auto it = m_problems.cbegin(); it != m_problems.cend(); ++it)
        touched.insert(it.key());
    for (auto it = byNode.cbegin(); it != byNode.cend(); ++it)
        touched.insert(it.key());
    // Unchanged nodes keep their items: compare messages, not whole lists of everything.
    auto same = [](const QList<document::Problem> &a, const QList<document::Problem> &b) {
        if (a.size() != b.size())
            return false;
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (a[i].message != b[i].message || a[i].severity != b[i].severity)
                return false;
        }
        return true;
    };
    QSet<QString> changed;
    for (const QString &id : std::as_const(touched)) {
        if (!same(m_problems.value(id), byNode.value(id)))
            changed.insert(id);
    }
    m_problems = std::move(byNode);
    for (const QString &id : std::as_const(changed))
        updateNode(id);
}

// ---- run events -------------------------------------------------------------------------------

void RunOverlay::clearRun()
{
    QSet<QString> touched(m_runs.keyBegin(), m_runs.keyEnd());
    if (!m_pausedAt.isEmpty())
        touched.insert(m_pausedAt);
    const QList<QString> edges = m_edgeStates.keys();
    m_runs.clear();
    m_edgeStates.clear();
    m_running.clear();
    m_pausedAt.clear();
    m_pauseReason.clear();
    m_runActive = false;
    m_runEnded = false;
    m_inRun = false;
    m_animation->stop();
    for (const QString &id : std::as_const(touched))
        updateNode(id);
    for (const QString &id : edges)
        updateEdge(id);
}

void RunOverlay::applyEvent(const RunEvent &event)
{
    using T = RunEvent::Type;
    switch (event.type) {
    case T::NodeStreamChunk: // the hot path of a streaming run: nothing to draw
    case T::VariableEdited:
        return;
    case T::RunStarted:
        clearRun();
        m_inRun = true;
        m_runActive = true;
        m_adjacencyDirty = true;
        return;
    case T::RunPaused: {
        const QString previous = m_pausedAt;
        m_pausedAt = event.nodeId;
        const QString reason = jsonString(event.metadata, "reason");
        if (reason == QLatin1String("breakpoint"))
            m_pauseReason = tr("Paused before this node: breakpoint");
        else if (reason == QLatin1String("step"))
            m_pauseReason = tr("Paused before this node: step");
        else
            m_pauseReason = tr("Paused before this node");
        if (!event.error.isEmpty())
            m_pauseReason += QLatin1Char('\n') + event.error;
        if (!previous.isEmpty() && previous != m_pausedAt)
            updateNode(previous);
        updateNode(m_pausedAt);
        updateEdgesTouching(m_pausedAt);
        return;
    }
    case T::RunResumed: {
        const QString previous = m_pausedAt;
        m_pausedAt.clear();
        updateNode(previous);
        updateEdgesTouching(previous);
        return;
    }
    case T::RunSucceeded:
    case T::RunPartialSucceeded:
    case T::RunFailed:
    case T::RunStopped: {
        m_runActive = false;
        m_runEnded = true;
        const QString paused = m_pausedAt;
        m_pausedAt.clear();
        const QSet<QString> running = m_running;
        m_running.clear();
        m_animation->stop();
        for (const QString &id : running) {
            NodeRun &run = m_runs[id];
            run.running = 0;
            run.state = NodeState::Stopped;
            updateNode(id);
        }
        updateNode(paused);
        updateAllEdges(); // whatever was not taken now was skipped
        return;
    }
    default:
        break;
    }
    if (event.nodeId.isEmpty())
        return;

    NodeRun &run = m_runs[event.nodeId];
    switch (event.type) {
    case T::NodeStarted:
        ++run.running;
        run.started = true;
        run.state = NodeState::Running;
        m_running.insert(event.nodeId);
        if (!m_animation->isActive())
            m_animation->start();
        break;
    case T::NodeRetry:
        run.retries = std::max(run.retries, event.retryIndex);
        run.error = event.error;
        break;
    case T::NodeSucceeded:
    case T::NodeException:
    case T::NodeFailed: {
        run.running = std::max(0, run.running - 1);
        ++run.finished;
        run.elapsedMs += event.elapsedMs;
        if (event.usage.is_object()) {
            if (const auto total = event.usage.find("total_tokens");
                total != event.usage.end() && total->is_number())
                run.tokens += total->get<qint64>();
        }
        run.error = event.error;
        const bool failed = event.type == T::NodeFailed;
        const bool exception = event.type == T::NodeException;
        // The handle it chose (the engine's NodeResult::edgeSourceHandle is not in the event;
        // it follows from the outputs and the error strategy, as the engine decides it).
        const QString kind = event.nodeKind;
        const document::Node *node
            = m_scene ? m_scene->document()->workflow().node(event.nodeId) : nullptr;
        const QString strategy = node ? jsonString(node->data, "error_strategy") : QString();
        if (failed) {
            // No edge is taken out of a failed node.
        } else if (exception) {
            const QString used = jsonString(event.metadata, "error_strategy");
            run.handles.insert(used == QLatin1String("fail-branch") ? QStringLiteral("fail-branch")
                                                                    : QStringLiteral("source"));
        } else if (kind == QLatin1String("if-else")) {
            const QString chosen = jsonString(event.outputs, "selected_case_id");
            run.handles.insert(chosen.isEmpty() ? QStringLiteral("false") : chosen);
        } else if (kind == QLatin1String("question-classifier")) {
            run.handles.insert(jsonString(event.outputs, "class_id"));
        } else if (strategy == QLatin1String("fail-branch")) {
            run.handles.insert(QStringLiteral("source"));
        } else {
            run.allHandles = true;
        }
        if (run.running == 0) {
            run.state = failed      ? NodeState::Failed
                        : exception ? NodeState::Exception
                                    : NodeState::Succeeded;
            m_running.remove(event.nodeId);
        }
        break;
    }
    case T::NodeSkipped:
        if (!run.started)
            run.state = NodeState::Skipped;
        break;
    case T::IterationNext:
    case T::LoopNext:
        run.itemIndex = event.index;
        break;
    default:
        return; // iteration/loop started/finished: the container's node events say it all
    }
    updateNode(event.nodeId);
    updateEdgesTouching(event.nodeId);
}

void RunOverlay::tick()
{
    if (m_running.isEmpty()) {
        m_animation->stop();
        return;
    }
    m_phase = (m_phase + 1) % 1000;
    for (const QString &id : std::as_const(m_running)) {
        if (NodeDecoration *deco = m_nodeDecos.value(id))
            deco->update();
    }
}

// ---- edges ------------------------------------------------------------------------------------

void RunOverlay::ensureAdjacency() const
{
    if (!m_adjacencyDirty || !m_scene)
        return;
    m_edgesByNode.clear();
    m_edgeEnds.clear();
    for (const document::Edge &edge : m_scene->document()->workflow().edges()) {
        m_edgeEnds.insert(edge.id, EdgeEnds{edge.source, edge.target, edge.sourceHandle});
        m_edgesByNode.insert(edge.source, edge.id);
        if (edge.target != edge.source)
            m_edgesByNode.insert(edge.target, edge.id);
    }
    m_adjacencyDirty = false;
}

EdgeState RunOverlay::computeEdgeState(const QString &edgeId) const
{
    if (!m_inRun || !m_scene)
        return EdgeState::None;
    ensureAdjacency();
    const auto ends = m_edgeEnds.constFind(edgeId);
    if (ends == m_edgeEnds.cend())
        return EdgeState::None;
    const EdgeEnds *edge = &*ends;
    const document::Workflow &wf = m_scene->document()->workflow();
    const NodeRun source = m_runs.value(edge->source, NodeRun{});
    const NodeRun target = m_runs.value(edge->target, NodeRun{});
    const document::Node *sourceNode = wf.node(edge->source);
    const bool transparent = sourceNode && isTransparentKind(sourceNode->kind());
    const bool sourceFinished = source.finished > 0 && source.state != NodeState::Failed;
    const bool handleMatches = source.allHandles || source.handles.contains(edge->handle);
    const bool targetReached = target.started || edge->target == m_pausedAt;

    if ((transparent || (sourceFinished && handleMatches)) && targetReached)
        return EdgeState::Taken;
    const bool targetSkipped = m_runs.contains(edge->target) && target.state == NodeState::Skipped;
    const bool sourceSkipped = m_runs.contains(edge->source) && source.state == NodeState::Skipped;
    if (targetSkipped || sourceSkipped || (sourceFinished && !handleMatches) || m_runEnded)
        return EdgeState::Skipped;
    return EdgeState::None;
}

void RunOverlay::updateEdgesTouching(const QString &nodeId)
{
    if (nodeId.isEmpty())
        return;
    ensureAdjacency();
    const QList<QString> edges = m_edgesByNode.values(nodeId);
    for (const QString &id : edges)
        updateEdge(id);
}

void RunOverlay::updateAllEdges()
{
    if (!m_scene)
        return;
    for (const document::Edge &edge : m_scene->document()->workflow().edges())
        updateEdge(edge.id);
}

void RunOverlay::updateEdge(const QString &id)
{
    if (!m_scene)
        return;
    const EdgeState state = computeEdgeState(id);
    if (state == EdgeState::None)
        m_edgeStates.remove(id);
    else
        m_edgeStates.insert(id, state);

    QPointer<EdgeDecoration> deco = m_edgeDecos.value(id);
    const EdgeItem *item = m_scene->edgeItem(id);
    if (state == EdgeState::None || !item || !item->isVisible()) {
        delete deco.data();
        m_edgeDecos.remove(id);
        return;
    }
    if (!deco) {
        deco = new EdgeDecoration;
        m_scene->addItem(deco);
        m_edgeDecos.insert(id, deco);
        layoutEdge(deco, id);
    }
    deco->setState(state);
}

void RunOverlay::layoutEdge(EdgeDecoration *deco, const QString &id) const
{
    const EdgeItem *item = m_scene ? m_scene->edgeItem(id) : nullptr;
    if (!deco || !item)
        return;
    deco->setPath(item->sceneTransform().map(item->path()));
}

// ---- nodes ------------------------------------------------------------------------------------

void RunOverlay::updateNode(const QString &id)
{
    if (!m_scene || id.isEmpty())
        return;
    const NodeState state = nodeState(id);
    const bool breakpoint = m_breakpoints.contains(id);
    const bool pinned = m_pinned.contains(id);
    const QList<document::Problem> problems = m_problems.value(id);
    const bool wanted = (state != NodeState::None && state != NodeState::Pending) || breakpoint
                        || pinned || !problems.isEmpty();
    QPointer<NodeDecoration> deco = m_nodeDecos.value(id);
    if (!wanted || !m_scene->nodeItem(id)) {
        delete deco.data();
        m_nodeDecos.remove(id);
        return;
    }

    NodeDecoration::Look look;
    look.state = state;
    const NodeRun run = m_runs.value(id);
    QStringList pill;
    QString status;
    switch (state) {
    case NodeState::Running:
        status = run.itemIndex >= 0 ? tr("Running item %1").arg(run.itemIndex + 1) : tr("Running");
        pill << (run.itemIndex >= 0 ? tr("Item %1").arg(run.itemIndex + 1) : tr("Running"));
        break;
    case NodeState::PausedHere:
        status = m_pauseReason;
        pill << tr("Paused here");
        break;
    case NodeState::Succeeded:
        status = tr("Succeeded");
        break;
    case NodeState::Exception:
        status = tr("Failed; its error strategy applied: %1").arg(run.error);
        break;
    case NodeState::Failed:
        status = tr("Failed: %1").arg(run.error);
        break;
    case NodeState::Skipped:
        status = tr("Skipped: the run did not take a branch that leads here");
        pill << tr("Skipped");
        break;
    case NodeState::Stopped:
        status = tr("Stopped before it finished");
        pill << tr("Stopped");
        break;
    case NodeState::None:
    case NodeState::Pending:
        break;
    }
    const bool finished = state == NodeState::Succeeded || state == NodeState::Exception
                          || state == NodeState::Failed;
    if (finished) {
        pill << formatElapsed(run.elapsedMs);
        if (run.tokens > 0)
            pill << tr("%n tokens", nullptr, int(std::min<qint64>(run.tokens, INT_MAX)));
    }
    look.pillText = pill.join(QStringLiteral(" · "));
    QStringList tip{status};
    if (finished) {
        tip << tr("Time: %1").arg(formatElapsed(run.elapsedMs));
        if (run.finished > 1)
            tip << tr("Ran %n times", nullptr, run.finished);
        if (run.tokens > 0)
            tip << tr("Tokens: %1").arg(QLocale().toString(run.tokens));
    }
    if (run.retries > 0)
        tip << tr("Retried %n times", nullptr, run.retries);
    tip.removeAll(QString());
    look.pillToolTip = tip.join(QLatin1Char('\n'));

    look.breakpoint = breakpoint;
    look.condition = m_conditions.value(id);
    look.breakpointToolTip
        = look.condition.isEmpty()
              ? tr("Breakpoint: the run pauses before this node (click to "
                   "remove)")
              : tr("Conditional breakpoint: pauses when %1 (click to remove)").arg(look.condition);
    look.pinned = pinned;
    look.pinToolTip = tr("Output pinned");
    QStringList messages;
    for (const document::Problem &problem : problems) {
        if (problem.isError())
            ++look.errors;
        else
            ++look.warnings;
        messages << (problem.isError() ? tr("Error: %1") : tr("Warning: %1")).arg(problem.message);
    }
    look.problemToolTip = messages.join(QLatin1Char('\n'));

    if (!deco) {
        deco = new NodeDecoration(this);
        m_scene->addItem(deco);
        m_nodeDecos.insert(id, deco);
        layoutNode(deco, id);
    }
    deco->setLook(look);
}

void RunOverlay::layoutNode(NodeDecoration *deco, const QString &id) const
{
    const NodeItem *item = m_scene ? m_scene->nodeItem(id) : nullptr;
    if (!deco || !item)
        return;
    const QRectF rect = item->mapRectToScene(item->bodyRect());
    deco->setGeometry(rect.topLeft(), rect.size(), item->isContainer());
}

void RunOverlay::recreateAll()
{
    // A rebuild deleted every item in the scene, ours too (QPointer knows); anything left is
    // deleted here before the decorations are made again.
    for (const QPointer<NodeDecoration> &deco : std::as_const(m_nodeDecos))
        delete deco.data();
    for (const QPointer<EdgeDecoration> &deco : std::as_const(m_edgeDecos))
        delete deco.data();
    delete m_hoverSpot.data();
    m_nodeDecos.clear();
    m_edgeDecos.clear();
    m_hoverNode.clear();
    m_adjacencyDirty = true;
    m_dirtyNodes.clear();
    m_dirtyEdges.clear();
    m_relayoutAll = false;

    QSet<QString> ids(m_runs.keyBegin(), m_runs.keyEnd());
    ids.unite(m_breakpoints);
    ids.unite(m_pinned);
    for (auto it = m_problems.cbegin(); it != m_problems.cend(); ++it)
        ids.insert(it.key());
    if (!m_pausedAt.isEmpty())
        ids.insert(m_pausedAt);
    for (const QString &id : std::as_const(ids))
        updateNode(id);
    if (m_inRun)
        updateAllEdges();
}

void RunOverlay::relayoutDirty()
{
    if (!m_scene)
        return;
    if (m_relayoutAll) {
        // A batch: the scene rebuilt (rebuilt() already recreated everything) or will; nothing
        // fine-grained to do.
        m_relayoutAll = false;
        m_dirtyNodes.clear();
        m_dirtyEdges.clear();
        return;
    }
    if (m_dirtyNodes.isEmpty() && m_dirtyEdges.isEmpty())
        return;
    if (!m_dirtyEdges.isEmpty())
        m_adjacencyDirty = true;
    QSet<QString> nodes = m_dirtyNodes;
    // Children move with a moved container: relay out every decorated node inside one.
    bool container = false;
    for (const QString &id : std::as_const(m_dirtyNodes)) {
        if (const NodeItem *item = m_scene->nodeItem(id); item && item->isContainer())
            container = true;
    }
    if (container) {
        for (auto it = m_nodeDecos.cbegin(); it != m_nodeDecos.cend(); ++it)
            nodes.insert(it.key());
    }
    m_dirtyNodes.clear();
    for (const QString &id : std::as_const(nodes)) {
        NodeDecoration *deco = m_nodeDecos.value(id);
        if (deco && m_scene->nodeItem(id))
            layoutNode(deco, id);
        else if (deco || m_scene->nodeItem(id))
            updateNode(id); // removed (drop its items) or added back (an undo)
    }
    // Edges: the ones added or removed, and the decorated ones attached to a moved node.
    QSet<QString> edges = m_dirtyEdges;
    m_dirtyEdges.clear();
    if (m_inRun) {
        for (const QString &id : std::as_const(edges))
            updateEdge(id);
    } else {
        for (const QString &id : std::as_const(edges)) {
            delete m_edgeDecos.value(id).data();
            m_edgeDecos.remove(id);
        }
    }
    ensureAdjacency();
    for (auto it = m_edgeDecos.cbegin(); it != m_edgeDecos.cend(); ++it) {
        const auto edge = m_edgeEnds.constFind(it.key());
        if (edge != m_edgeEnds.cend()
            && (container || nodes.contains(edge->source) || nodes.contains(edge->target)))
            layoutEdge(it.value(), it.key());
    }
}

// ---- mouse: the breakpoint spot ---------------------------------------------------------------

QString RunOverlay::spotNodeAt(QPointF scenePos, bool cardToo) const
{
    if (!m_scene)
        return {};
    // The spot sits left of the card: look a little to the right of the mouse too.
    const QRectF probe(scenePos.x() - 2, scenePos.y() - kSpotHitRadius, -kSpotCentre.x() + 12,
                       2 * kSpotHitRadius);
    const QList<QGraphicsItem *> hits
        = m_scene->items(probe, Qt::IntersectsItemBoundingRect, Qt::DescendingOrder);
    QString onCard;
    for (QGraphicsItem *hit : hits) {
        const auto *node = qgraphicsitem_cast<NodeItem *>(hit);
        if (!node || node->shapeKind() == NodeItem::Shape::Note)
            continue;
        const QPointF spot = node->mapToScene(kSpotCentre);
        if (QLineF(spot, scenePos).length() <= kSpotHitRadius)
            return node->nodeId();
        if (cardToo && onCard.isEmpty() && node->contains(node->mapFromScene(scenePos)))
            onCard = node->nodeId();
    }
    return onCard;
}

void RunOverlay::setHoverNode(const QString &id)
{
    if (id == m_hoverNode || !m_scene)
        return;
    m_hoverNode = id;
    if (!m_hoverSpot) {
        m_hoverSpot = new HoverSpot;
        m_scene->addItem(m_hoverSpot);
    }
    // A node with a breakpoint shows its own spot.
    if (id.isEmpty() || m_breakpoints.contains(id)) {
        m_hoverSpot->setVisible(false);
        return;
    }
    m_hoverSpot->setToolTip(tr("Set a breakpoint: the run pauses before this node (F9)"));
    m_hoverSpot->setPos(breakpointSpotScenePos(id));
    m_hoverSpot->setVisible(true);
}

bool RunOverlay::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_scene)
        return QObject::eventFilter(watched, event);
    switch (event->type()) {
    case QEvent::GraphicsSceneMouseMove: {
        const auto *e = static_cast<QGraphicsSceneMouseEvent *>(event);
        if (e->buttons() == Qt::NoButton)
            setHoverNode(spotNodeAt(e->scenePos(), true));
        break;
    }
    case QEvent::GraphicsSceneMousePress:
    case QEvent::GraphicsSceneMouseDoubleClick: {
        auto *e = static_cast<QGraphicsSceneMouseEvent *>(event);
        if (e->button() != Qt::LeftButton || !m_sink)
            break;
        const QString id = spotNodeAt(e->scenePos(), false);
        if (id.isEmpty())
            break;
        toggleBreakpoint(id);
        m_swallowRelease = true;
        e->accept();
        return true; // no selection change, no rubber band
    }
    case QEvent::GraphicsSceneMouseRelease:
        if (m_swallowRelease) {
            m_swallowRelease = false;
            event->accept();
            return true;
        }
        break;
    case QEvent::Leave:
    case QEvent::GraphicsSceneLeave:
        setHoverNode(QString());
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace flowbench::canvas

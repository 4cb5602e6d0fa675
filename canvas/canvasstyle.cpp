#include "canvasstyle.h"

#include <QHash>
#include <QImage>
#include <QPaintDevice>
#include <QPainter>
#include <QPolygonF>
#include <QSvgRenderer>

#include <cmath>
#include <memory>

namespace flowbench::canvas::style {

QColor background()
{
    return QColor(0xf2, 0xf4, 0xf7);
}
QColor gridDot()
{
    return QColor(0xc8, 0xce, 0xd8);
}
QColor nodeFill()
{
    return QColor(0xff, 0xff, 0xff);
}
QColor nodeBorder()
{
    return QColor(0xe4, 0xe7, 0xec);
}
QColor selection()
{
    return QColor(0x29, 0x70, 0xff);
}
QColor titleText()
{
    return QColor(0x10, 0x18, 0x28);
}
QColor subtitleText()
{
    return QColor(0x66, 0x70, 0x85);
}
QColor edge()
{
    return QColor(0xa4, 0xae, 0xbd);
}
QColor port()
{
    return QColor(0x29, 0x70, 0xff);
}
QColor validTarget()
{
    return QColor(0x17, 0xb2, 0x6a);
}
QColor invalidTarget()
{
    return QColor(0xf0, 0x44, 0x38);
}

NoteTheme noteTheme(const QString &name)
{
    // Dify's note-node THEME_MAP.
    static const QHash<QString, NoteTheme> themes = {
        {QStringLiteral("blue"),
         {QColor(0x84, 0xca, 0xff), QColor(0xd1, 0xe9, 0xff), QColor(0xef, 0xf8, 0xff),
          QColor(0x2e, 0x90, 0xfa)}},
        {QStringLiteral("cyan"),
         {QColor(0x67, 0xe3, 0xf9), QColor(0xcf, 0xf9, 0xfe), QColor(0xec, 0xfd, 0xff),
          QColor(0x06, 0xae, 0xd4)}},
        {QStringLiteral("green"),
         {QColor(0x73, 0xe2, 0xa3), QColor(0xd3, 0xf8, 0xdf), QColor(0xed, 0xfc, 0xf2),
          QColor(0x16, 0xb3, 0x64)}},
        {QStringLiteral("yellow"),
         {QColor(0xfd, 0xe2, 0x72), QColor(0xfe, 0xf7, 0xc3), QColor(0xfe, 0xfb, 0xe8),
          QColor(0xea, 0xaa, 0x08)}},
        {QStringLiteral("pink"),
         {QColor(0xfa, 0xa7, 0xe0), QColor(0xfc, 0xe7, 0xf6), QColor(0xfd, 0xf2, 0xfa),
          QColor(0xee, 0x46, 0xbc)}},
        {QStringLiteral("violet"),
         {QColor(0xbd, 0xb4, 0xfe), QColor(0xec, 0xe9, 0xfe), QColor(0xf5, 0xf3, 0xff),
          QColor(0x87, 0x5b, 0xf7)}},
    };
    return themes.value(name, themes.value(QStringLiteral("blue")));
}

QSvgRenderer *iconRenderer(const QString &path)
{
    static QHash<QString, std::shared_ptr<QSvgRenderer>> cache;
    auto it = cache.find(path);
    if (it == cache.end()) {
        auto renderer = std::make_shared<QSvgRenderer>(path);
        it = cache.insert(path, renderer->isValid() ? renderer : nullptr);
    }
    return it.value().get();
}

QPixmap iconPixmap(const QString &path, int pixels)
{
    // (path, size) → pixmap. Sizes follow the zoom; a few hundred entries of at most 128 px
    // are a few megabytes, and the whole cache is dropped past that (zooming refills it).
    static QHash<std::pair<QString, int>, QPixmap> cache;
    const std::pair<QString, int> key(path, pixels);
    if (const auto it = cache.constFind(key); it != cache.cend())
        return it.value();
    QSvgRenderer *renderer = iconRenderer(path);
    if (!renderer || pixels <= 0)
        return {};
    QPixmap pixmap(pixels, pixels);
    pixmap.fill(Qt::transparent);
    {
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        renderer->render(&painter, QRectF(0, 0, pixels, pixels));
    }
    if (cache.size() >= 400)
        cache.clear();
    cache.insert(key, pixmap);
    return pixmap;
}

QColor iconColor(const QString &path)
{
    static QHash<QString, QColor> cache;
    if (const auto it = cache.constFind(path); it != cache.cend())
        return it.value();
    const QImage image = iconPixmap(path, 16).toImage().convertToFormat(QImage::Format_ARGB32);
    double r = 0, g = 0, b = 0, weight = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            const double a = c.alphaF();
            r += c.redF() * a;
            g += c.greenF() * a;
            b += c.blueF() * a;
            weight += a;
        }
    }
    const QColor color
        = weight > 0 ? QColor::fromRgbF(float(r / weight), float(g / weight), float(b / weight))
                     : subtitleText();
    cache.insert(path, color);
    return color;
}

void drawIcon(QPainter *painter, const QString &path, const QRectF &rect)
{
    const QTransform &t = painter->worldTransform();
    const double dpr = painter->device() ? painter->device()->devicePixelRatio() : 1.0;
    const double scale = std::sqrt(t.m11() * t.m11() + t.m12() * t.m12()) * dpr;
    const int pixels = int(std::ceil(rect.width() * scale - 0.01));
    if (t.isRotating() || pixels > 128) {
        // Rare (zoomed far in): the pixmap would be large and used by a handful of nodes.
        if (QSvgRenderer *renderer = iconRenderer(path)) {
            renderer->render(painter, rect);
            return;
        }
    } else if (const QPixmap pixmap = iconPixmap(path, pixels); !pixmap.isNull()) {
        painter->drawPixmap(rect, pixmap, QRectF(pixmap.rect()));
        return;
    }
    painter->setPen(Qt::NoPen);
    painter->setBrush(subtitleText());
    painter->drawRoundedRect(rect, 6, 6);
}

namespace {

double gridStep(double zoom)
{
    double step = 20;
    while (step * zoom < 10)
        step *= 2;
    return step;
}

// The dots as the view drew them before the cache: cosmetic 1.6 px round points.
void paintDots(QPainter *painter, const QRectF &rect, double step)
{
    const double left = std::floor(rect.left() / step) * step;
    const double top = std::floor(rect.top() / step) * step;
    QPolygonF dots;
    dots.reserve(int((rect.width() / step + 2) * (rect.height() / step + 2)));
    for (double x = left; x <= rect.right(); x += step) {
        for (double y = top; y <= rect.bottom(); y += step)
            dots.append(QPointF(x, y));
    }
    QPen pen(gridDot(), 1.6);
    pen.setCosmetic(true);
    pen.setCapStyle(Qt::RoundCap);
    painter->setPen(pen);
    painter->drawPoints(dots);
}

} // namespace

void drawDotGrid(QPainter *painter, const QRectF &rect, double zoom)
{
    const QTransform world = painter->worldTransform();
    const QPaintDevice *device = painter->device();
    const double step = gridStep(zoom);
    const double period = step * world.m11(); // device-independent pixels between dots
    if (!device || world.type() > QTransform::TxScale || period < 1
        || std::abs(world.m11() - world.m22()) > 1e-9) {
        painter->fillRect(rect, background());
        paintDots(painter, rect, step);
        return;
    }
    // Dots sit at phase + n * period (device pixels). The cached image holds the dots for the
    // viewport and a margin, for one fractional phase; scrolling by whole pixels (all a view
    // does) keeps the fraction, so only a zoom or a resize renders it again.
    const double phaseX = world.dx() - std::floor(world.dx() / period) * period;
    const double phaseY = world.dy() - std::floor(world.dy() / period) * period;
    const double intX = std::floor(phaseX);
    const double intY = std::floor(phaseY);
    const double fracX = std::round((phaseX - intX) * 16) / 16;
    const double fracY = std::round((phaseY - intY) * 16) / 16;
    const int margin = int(std::ceil(period)) + 1;
    const QSize size(device->width() + 2 * margin + 2, device->height() + 2 * margin + 2);
    const double dpr = device->devicePixelRatio();

    struct Cached
    {
        double period = 0, fracX = -1, fracY = -1, dpr = 0;
        QSize size;
        QPixmap pixmap;
    };
    static Cached cached;
    if (cached.period != period || cached.fracX != fracX || cached.fracY != fracY
        || cached.dpr != dpr || cached.size != size) {
        cached = Cached{period, fracX, fracY, dpr, size, QPixmap(size * dpr)};
        cached.pixmap.setDevicePixelRatio(dpr);
        cached.pixmap.fill(background());
        QPainter p(&cached.pixmap);
        p.setRenderHint(QPainter::Antialiasing, painter->testRenderHint(QPainter::Antialiasing));
        // In the image, the dot of index n is at margin + frac + n * period.
        p.translate(margin + fracX, margin + fracY);
        p.scale(period / step, period / step);
        paintDots(&p,
                  QRectF(-step, -step, (size.width() / period + 2) * step,
                         (size.height() / period + 2) * step),
                  step);
    }
    // The image's origin on the device: its dot 0 lands on a dot of the grid.
    const QPointF origin(intX - margin, intY - margin);
    const QRectF target
        = world.mapRect(rect).intersected(QRectF(0, 0, device->width(), device->height()));
    if (target.isEmpty())
        return;
    const QRectF aligned = QRectF(target.toAlignedRect());
    painter->save();
    painter->resetTransform();
    painter->drawPixmap(aligned, cached.pixmap,
                        QRectF((aligned.topLeft() - origin) * dpr, aligned.size() * dpr));
    painter->restore();
}

} // namespace flowbench::canvas::style

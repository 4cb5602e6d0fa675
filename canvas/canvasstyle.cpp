#include "canvasstyle.h"

#include <QHash>
#include <QSvgRenderer>

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

} // namespace flowbench::canvas::style

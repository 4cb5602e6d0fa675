#include "valueviewer.h"

#include <QFileInfo>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QStackedWidget>
#include <QUrl>
#include <QVBoxLayout>

#include "variables/value.h"

namespace flowbench::panels {

using runtime::Json;

ValueViewer::ValueViewer(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_text(new QPlainTextEdit(this))
    , m_imageArea(new QScrollArea(this))
    , m_image(new QLabel)
    , m_imageInfo(new QLabel(this))
{
    setObjectName(QStringLiteral("variables.viewer"));
    m_text->setObjectName(QStringLiteral("variables.viewerText"));
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setPlaceholderText(tr("Select a variable to see its value."));
    m_image->setObjectName(QStringLiteral("variables.viewerImage"));
    m_image->setAlignment(Qt::AlignCenter);
    m_imageArea->setWidget(m_image);
    m_imageArea->setWidgetResizable(true);
    m_imageArea->setAlignment(Qt::AlignCenter);
    m_imageInfo->setEnabled(false);

    auto *imagePage = new QWidget(this);
    auto *imageLayout = new QVBoxLayout(imagePage);
    imageLayout->setContentsMargins(0, 0, 0, 0);
    imageLayout->addWidget(m_imageArea, 1);
    imageLayout->addWidget(m_imageInfo);

    m_stack->addWidget(m_text);
    m_stack->addWidget(imagePage);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
}

void ValueViewer::clear()
{
    m_mode = Mode::Empty;
    m_pixmap = {};
    m_text->clear();
    m_stack->setCurrentIndex(0);
}

void ValueViewer::setValue(const Json &value)
{
    if (variables::isFile(value)) {
        m_pixmap = imageOf(value);
        if (!m_pixmap.isNull()) {
            m_mode = Mode::Image;
            const auto name = value.find("name");
            m_imageInfo->setText(tr("%1 · %2 × %3 px")
                                     .arg(name != value.end() && name->is_string()
                                              ? QString::fromStdString(*name)
                                              : tr("image"))
                                     .arg(m_pixmap.width())
                                     .arg(m_pixmap.height()));
            updateImage();
            m_stack->setCurrentIndex(1);
            return;
        }
    }
    m_pixmap = {};
    if (value.is_string()) {
        m_mode = Mode::Text;
        m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
        m_text->setPlainText(QString::fromStdString(value.get<std::string>()));
    } else {
        m_mode = Mode::Json;
        m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
        m_text->setPlainText(
            QString::fromStdString(value.dump(2, ' ', false, Json::error_handler_t::replace)));
    }
    m_stack->setCurrentIndex(0);
}

QString ValueViewer::text() const
{
    return m_text->toPlainText();
}

QPixmap ValueViewer::imageOf(const Json &value)
{
    if (!value.is_object())
        return {};
    for (const char *key : {"url", "remote_url", "path"}) {
        const auto it = value.find(key);
        if (it == value.end() || !it->is_string())
            continue;
        const QString url = QString::fromStdString(it->get<std::string>());
        QPixmap pixmap;
        if (url.startsWith(QLatin1String("data:"))) {
            const int comma = url.indexOf(QLatin1Char(','));
            if (comma < 0)
                continue;
            const bool base64 = url.left(comma).endsWith(QLatin1String(";base64"));
            const QByteArray payload = url.mid(comma + 1).toLatin1();
            pixmap.loadFromData(base64 ? QByteArray::fromBase64(payload)
                                       : QByteArray::fromPercentEncoding(payload));
        } else {
            const QString path
                = url.startsWith(QLatin1String("file:")) ? QUrl(url).toLocalFile() : url;
            if (QFileInfo(path).isAbsolute() && QFileInfo::exists(path))
                pixmap.load(path);
        }
        if (!pixmap.isNull())
            return pixmap;
    }
    return {};
}

void ValueViewer::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (m_mode == Mode::Image)
        updateImage();
}

void ValueViewer::updateImage()
{
    // Shown whole, never enlarged beyond its own size.
    const QSize room = m_imageArea->viewport()->size() - QSize(8, 8);
    QPixmap shown = m_pixmap;
    if (m_pixmap.width() > room.width() || m_pixmap.height() > room.height())
        shown = m_pixmap.scaled(room.expandedTo(QSize(16, 16)), Qt::KeepAspectRatio,
                                Qt::SmoothTransformation);
    m_image->setPixmap(shown);
}

} // namespace flowbench::panels

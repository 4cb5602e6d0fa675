#include "image.h"

#include "keyframes.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QImageWriter>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace flowbench::media {

namespace {

Result<QImage> readWith(QImageReader &reader, const QString &what)
{
    reader.setAutoTransform(true); // EXIF orientation
    QImage image = reader.read();
    if (image.isNull()) {
        return makeError(QStringLiteral("media.bad-image"),
                         QCoreApplication::translate("flowbench::media::Image",
                                                     "%1 is not an image that can be read, or it "
                                                     "is damaged (%2)")
                             .arg(what, reader.errorString()));
    }
    return image;
}

} // namespace

Result<QImage> loadImage(const QString &path)
{
    const QFileInfo fi(path);
    const QString shown = QDir::toNativeSeparators(path);
    if (!fi.exists() || fi.isDir()) {
        return makeError(
            QStringLiteral("media.not-found"),
            QCoreApplication::translate("flowbench::media::Image", "%1: no such file").arg(shown));
    }
    if (fi.size() == 0) {
        return makeError(
            QStringLiteral("media.empty"),
            QCoreApplication::translate("flowbench::media::Image", "%1 is empty (0 bytes)")
                .arg(shown));
    }
    QImageReader reader(path);
    reader.setDecideFormatFromContent(true);
    return readWith(reader, shown);
}

Result<QImage> loadImage(const QByteArray &bytes)
{
    const QString what = QCoreApplication::translate("flowbench::media::Image", "The data");
    if (bytes.isEmpty()) {
        return makeError(
            QStringLiteral("media.empty"),
            QCoreApplication::translate("flowbench::media::Image", "The image data is empty"));
    }
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    return readWith(reader, what);
}

QImage scaledToMaxPixels(const QImage &image, qint64 maxPixels)
{
    const QSize target = fitToMaxPixels(image.size(), maxPixels);
    if (target == image.size())
        return image;
    return image.scaled(target, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
}

Result<QByteArray> encodeImage(const QImage &image, ImageFormat format, int quality)
{
    if (image.isNull()) {
        return makeError(
            QStringLiteral("media.encode"),
            QCoreApplication::translate("flowbench::media::Image", "There is no image to encode"));
    }
    QImage source = image;
    if (format == ImageFormat::Jpeg && image.hasAlphaChannel()) {
        // JPEG has no alpha: flatten onto white rather than the black transparent pixels.
        source = QImage(image.size(), QImage::Format_RGB32);
        source.fill(Qt::white);
        QPainter painter(&source);
        painter.drawImage(0, 0, image);
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer,
                        format == ImageFormat::Jpeg ? QByteArray("jpeg") : QByteArray("png"));
    if (format == ImageFormat::Jpeg)
        writer.setQuality(std::clamp(quality, 0, 100));
    if (!writer.write(source)) {
        return makeError(QStringLiteral("media.encode"),
                         QCoreApplication::translate("flowbench::media::Image",
                                                     "The image could not be encoded (%1)")
                             .arg(writer.errorString()));
    }
    return bytes;
}

Result<QString> imageDataUrl(const QImage &image, ImageFormat format, int quality)
{
    auto bytes = encodeImage(image, format, quality);
    if (!bytes)
        return tl::unexpected(bytes.error());
    const QLatin1String prefix = format == ImageFormat::Jpeg
                                     ? QLatin1String("data:image/jpeg;base64,")
                                     : QLatin1String("data:image/png;base64,");
    return prefix + QString::fromLatin1(bytes->toBase64());
}

Result<llm::ContentPart> imageContentPart(const QImage &image, ImageFormat format, int quality)
{
    auto url = imageDataUrl(image, format, quality);
    if (!url)
        return tl::unexpected(url.error());
    llm::ContentPart part;
    part.kind = llm::ContentPart::Kind::ImageUrl;
    part.url = *url;
    return part;
}

int estimateImageVisualTokens(QSize size)
{
    if (size.isEmpty())
        return 0;
    double pixels = double(size.width()) * double(size.height());
    // The processor scales both sides by one factor into [min_pixels, max_pixels].
    if (pixels < double(kImageMinPixels))
        pixels = double(kImageMinPixels);
    else if (pixels > double(kImageMaxPixels))
        pixels = double(kImageMaxPixels);
    return int(std::ceil(pixels / 1024.0 - 1e-9));
}

int estimateImageTokens(QSize size)
{
    const int visual = estimateImageVisualTokens(size);
    return visual > 0 ? visual + kImageIndicatorTokens : 0;
}

} // namespace flowbench::media

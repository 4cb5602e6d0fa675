// Images for prompts: loading (file, bytes, EXIF orientation), max-pixels scaling, data URLs and
// the token estimate.
#include "media/image.h"

#include <QBuffer>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

using namespace flowbench;
using namespace flowbench::media;

namespace {

// A 40x20 JPEG whose left half is red and right half blue, with EXIF Orientation = `orientation`
// (6: the viewer rotates 90 degrees clockwise).
QByteArray jpegWithOrientation(quint16 orientation)
{
    QImage image(40, 20, QImage::Format_RGB32);
    image.fill(Qt::blue);
    for (int y = 0; y < 20; ++y)
        for (int x = 0; x < 20; ++x)
            image.setPixel(x, y, qRgb(255, 0, 0));
    QByteArray jpeg;
    QBuffer buffer(&jpeg);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG", 95);
    // APP1 "Exif\0\0" + little-endian TIFF header + IFD0 with one entry (0x0112 Orientation).
    QByteArray tiff;
    tiff += QByteArray("II*\0", 4);
    tiff += QByteArray("\x08\x00\x00\x00", 4); // IFD0 at offset 8
    tiff += QByteArray("\x01\x00", 2);         // one entry
    tiff += QByteArray("\x12\x01\x03\x00", 4); // tag 0x0112, type SHORT
    tiff += QByteArray("\x01\x00\x00\x00", 4); // count 1
    tiff += char(orientation & 0xff);
    tiff += char(orientation >> 8);
    tiff += QByteArray("\x00\x00", 2);         // value padding
    tiff += QByteArray("\x00\x00\x00\x00", 4); // no next IFD
    const QByteArray payload = QByteArray("Exif\0\0", 6) + tiff;
    QByteArray app1;
    app1 += char(0xff);
    app1 += char(0xe1);
    const int length = int(payload.size()) + 2;
    app1 += char(length >> 8);
    app1 += char(length & 0xff);
    app1 += payload;
    return jpeg.left(2) + app1 + jpeg.mid(2); // right after SOI
}

} // namespace

class tst_Images : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scalingKeepsAspectUnderMaxPixels_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<qint64>("maxPixels");
        QTest::newRow("1080p to 720p budget") << QSize(1920, 1080) << qint64(1280 * 720);
        QTest::newRow("portrait") << QSize(1080, 1920) << qint64(500000);
        QTest::newRow("panorama") << QSize(4000, 500) << qint64(200000);
        QTest::newRow("odd budget") << QSize(333, 777) << qint64(12345);
    }

    void scalingKeepsAspectUnderMaxPixels()
    {
        QFETCH(QSize, size);
        QFETCH(qint64, maxPixels);
        QImage image(size, QImage::Format_RGB32);
        image.fill(Qt::green);
        const QImage scaled = scaledToMaxPixels(image, maxPixels);
        QVERIFY(qint64(scaled.width()) * scaled.height() <= maxPixels);
        QVERIFY(qint64(scaled.width()) * scaled.height() > maxPixels * 0.95);
        const double before = double(size.width()) / size.height();
        const double after = double(scaled.width()) / scaled.height();
        QVERIFY2(qAbs(after / before - 1.0) < 0.02, qPrintable(QString::number(after)));
    }

    void neverScalesUp()
    {
        QImage image(64, 48, QImage::Format_RGB32);
        image.fill(Qt::red);
        QCOMPARE(scaledToMaxPixels(image, 1000000).size(), QSize(64, 48));
        QCOMPARE(scaledToMaxPixels(image, 0).size(), QSize(64, 48));
    }

    void dataUrls()
    {
        QImage image(50, 30, QImage::Format_ARGB32);
        image.fill(QColor(10, 200, 30, 255));
        for (ImageFormat format : {ImageFormat::Jpeg, ImageFormat::Png}) {
            auto url = imageDataUrl(image, format, 85);
            QVERIFY(url);
            const QString prefix = format == ImageFormat::Jpeg
                                       ? QStringLiteral("data:image/jpeg;base64,")
                                       : QStringLiteral("data:image/png;base64,");
            QVERIFY(url->startsWith(prefix));
            const QByteArray bytes = QByteArray::fromBase64(url->mid(prefix.size()).toLatin1());
            auto decoded = loadImage(bytes);
            QVERIFY(decoded);
            QCOMPARE(decoded->size(), QSize(50, 30));
            const QColor c = decoded->pixelColor(25, 15);
            QVERIFY(qAbs(c.green() - 200) < 8 && qAbs(c.red() - 10) < 8);
        }
        auto part = imageContentPart(image, ImageFormat::Jpeg);
        QVERIFY(part);
        QCOMPARE(part->kind, llm::ContentPart::Kind::ImageUrl);
        QVERIFY(part->url.startsWith(u"data:image/jpeg;base64,"));
        QVERIFY(!imageDataUrl(QImage(), ImageFormat::Png));
    }

    void jpegFlattensAlphaOntoWhite()
    {
        QImage image(10, 10, QImage::Format_ARGB32);
        image.fill(Qt::transparent);
        auto bytes = encodeImage(image, ImageFormat::Jpeg);
        QVERIFY(bytes);
        auto decoded = loadImage(*bytes);
        QVERIFY(decoded);
        QVERIFY(decoded->pixelColor(5, 5).lightness() > 240);
    }

    void tokenEstimate_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<int>("visual");
        // openai-endpoints.md §7.2's examples, then the clamps to [448², 1792²] pixels.
        QTest::newRow("896x504") << QSize(896, 504) << 441;
        QTest::newRow("1280x720") << QSize(1280, 720) << 900;
        QTest::newRow("1792x1792") << QSize(1792, 1792) << 3136;
        QTest::newRow("small is scaled up") << QSize(100, 100) << 196;
        QTest::newRow("huge is scaled down") << QSize(8000, 6000) << 3136;
        QTest::newRow("empty") << QSize(0, 0) << 0;
    }

    void tokenEstimate()
    {
        QFETCH(QSize, size);
        QFETCH(int, visual);
        QCOMPARE(estimateImageVisualTokens(size), visual);
        QCOMPARE(estimateImageTokens(size), visual > 0 ? visual + kImageIndicatorTokens : 0);
    }

    void exifOrientation()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString file = dir.filePath(QStringLiteral("rotated photo 照片.jpg"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(jpegWithOrientation(6));
        out.close();
        auto image = loadImage(file);
        QVERIFY2(image, qPrintable(image ? QString() : image.error().message));
        QCOMPARE(image->size(), QSize(20, 40)); // rotated 90 degrees clockwise
        // Clockwise: the left (red) half is now on top.
        QVERIFY(image->pixelColor(10, 5).red() > 200);
        QVERIFY(image->pixelColor(10, 35).blue() > 200);

        auto upright = loadImage(jpegWithOrientation(1));
        QVERIFY(upright);
        QCOMPARE(upright->size(), QSize(40, 20));
    }

    void loadErrors()
    {
        QTemporaryDir dir;
        auto missing = loadImage(dir.filePath(QStringLiteral("missing.png")));
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, QStringLiteral("media.not-found"));
        QVERIFY(missing.error().message.contains(u"missing.png"));

        const QString empty = dir.filePath(QStringLiteral("empty.png"));
        QFile(empty).open(QIODevice::WriteOnly);
        auto e = loadImage(empty);
        QVERIFY(!e);
        QCOMPARE(e.error().code, QStringLiteral("media.empty"));

        const QString junk = dir.filePath(QStringLiteral("junk.jpg"));
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(1000, 'x'));
        f.close();
        auto j = loadImage(junk);
        QVERIFY(!j);
        QCOMPARE(j.error().code, QStringLiteral("media.bad-image"));
        QVERIFY(j.error().message.contains(u"junk.jpg"));
        QVERIFY(!loadImage(QByteArray()));
        QVERIFY(!loadImage(QByteArray("not an image")));
    }
};

QTEST_GUILESS_MAIN(tst_Images)
#include "tst_images.moc"

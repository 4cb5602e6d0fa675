#include "filecontent.h"

#include "variables/value.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QMimeDatabase>
#include <QUrl>

namespace flowbench::nodes {

namespace {

QString stringField(const Json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get<std::string>());
}

// The translation context of these messages.
class FileContent
{
    Q_DECLARE_TR_FUNCTIONS(flowbench::nodes::FileContent)
};

} // namespace

QString fileLocation(const Json &file)
{
    QString location = stringField(file, "url");
    if (location.isEmpty())
        location = stringField(file, "remote_url");
    return location;
}

bool isRemoteLocation(const QString &location)
{
    return location.startsWith(QLatin1String("http://"), Qt::CaseInsensitive)
           || location.startsWith(QLatin1String("https://"), Qt::CaseInsensitive);
}

Result<QByteArray> readLocalFileContent(const Json &file)
{
    const QString location = fileLocation(file);
    const QString name = fileDisplayName(file);
    if (location.isEmpty()) {
        return makeError(
            QStringLiteral("file.location"),
            FileContent::tr("file '%1' has no url to read its content from").arg(name));
    }

    if (location.startsWith(QLatin1String("data:"), Qt::CaseInsensitive)) {
        const qsizetype comma = location.indexOf(QLatin1Char(','));
        if (comma < 0) {
            return makeError(
                QStringLiteral("file.location"),
                FileContent::tr("file '%1' has a data: URL without a ',' before its content")
                    .arg(name));
        }
        const QString header = location.mid(5, comma - 5);
        const QByteArray payload = location.mid(comma + 1).toLatin1();
        if (header.endsWith(QLatin1String(";base64"), Qt::CaseInsensitive)) {
            auto decoded = QByteArray::fromBase64Encoding(QByteArray::fromPercentEncoding(payload),
                                                          QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded) {
                return makeError(
                    QStringLiteral("file.location"),
                    FileContent::tr("file '%1' has a data: URL whose base64 content is invalid")
                        .arg(name));
            }
            return *decoded;
        }
        // Not base64: the text is percent-encoded UTF-8 (RFC 2397).
        return QByteArray::fromPercentEncoding(location.mid(comma + 1).toUtf8());
    }

    QString path;
    if (location.startsWith(QLatin1String("file:"), Qt::CaseInsensitive))
        path = QUrl(location).toLocalFile();
    else if (QFileInfo(location).isAbsolute() && !location.contains(QLatin1String("://")))
        path = location;
    if (path.isEmpty()) {
        return makeError(
            QStringLiteral("file.location"),
            FileContent::tr("file '%1' is at '%2', which is not a data: or file:// URL")
                .arg(name, location));
    }
    QFile source(path);
    if (!source.open(QIODevice::ReadOnly)) {
        return makeError(QStringLiteral("io.read"),
                         FileContent::tr("cannot read file '%1' at %2: %3")
                             .arg(name, path, source.errorString()));
    }
    return source.readAll();
}

QByteArray toDataUrl(const QByteArray &bytes, const QString &mimeType)
{
    const QString mime = mimeType.isEmpty() ? QStringLiteral("application/octet-stream") : mimeType;
    return "data:" + mime.toUtf8() + ";base64," + bytes.toBase64();
}

std::string fileTypeForMime(const QString &mimeType)
{
    const QString mime = mimeType.section(QLatin1Char(';'), 0, 0).trimmed().toLower();
    if (mime.startsWith(QLatin1String("image/")))
        return "image";
    if (mime.startsWith(QLatin1String("audio/")))
        return "audio";
    if (mime.startsWith(QLatin1String("video/")))
        return "video";
    if (mime.startsWith(QLatin1String("text/")) || mime == QLatin1String("application/pdf")
        || mime == QLatin1String("application/json") || mime == QLatin1String("application/msword")
        || mime.startsWith(QLatin1String("application/vnd.openxmlformats-officedocument"))
        || mime.startsWith(QLatin1String("application/vnd.ms-"))) {
        return "document";
    }
    return "custom";
}

QString fileDisplayName(const Json &file)
{
    QString name = stringField(file, "name");
    if (name.isEmpty())
        name = stringField(file, "filename");
    if (name.isEmpty())
        name = fileLocation(file).left(80);
    return name;
}

QString readableSize(qint64 bytes)
{
    if (bytes < 1024)
        return FileContent::tr("%1 bytes").arg(bytes);
    if (bytes < 1024 * 1024)
        return FileContent::tr("%1 KB").arg(double(bytes) / 1024.0, 0, 'f', 2);
    return FileContent::tr("%1 MB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 2);
}

Json localFileObject(const QString &path)
{
    const QFileInfo info(path);
    const QString mime = QMimeDatabase().mimeTypeForFile(info).name();
    QString type = QStringLiteral("custom");
    if (mime.startsWith(QLatin1String("image/")))
        type = QStringLiteral("image");
    else if (mime.startsWith(QLatin1String("audio/")))
        type = QStringLiteral("audio");
    else if (mime.startsWith(QLatin1String("video/")))
        type = QStringLiteral("video");
    else if (mime.startsWith(QLatin1String("text/")) || mime.contains(QLatin1String("pdf"))
             || mime.contains(QLatin1String("document")) || mime.contains(QLatin1String("json")))
        type = QStringLiteral("document");
    return Json{{"dify_model_identity", variables::kFileIdentity},
                {"name", info.fileName().toStdString()},
                {"size", info.size()},
                {"type", type.toStdString()},
                {"extension", (QLatin1Char('.') + info.suffix().toLower()).toStdString()},
                {"mime_type", mime.toStdString()},
                {"transfer_method", "local_file"},
                {"url", QUrl::fromLocalFile(info.absoluteFilePath()).toString().toStdString()},
                {"related_id", nullptr}};
}

} // namespace flowbench::nodes

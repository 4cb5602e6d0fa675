#include "autosave.h"

#include <QSettings>

#include "document/dslio.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QStandardPaths>

#include <algorithm>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <signal.h>
#endif
#ifdef Q_OS_WIN
#include <windows.h>
#endif

namespace flowbench::app {

namespace {

Q_LOGGING_CATEGORY(lcAutosave, "flowbench.autosave")

constexpr int kMetaVersion = 1;

} // namespace

Autosave::Autosave(const document::WorkflowDocument *document, QObject *parent)
    : QObject(parent)
    , m_document(document)
{
    // The settings dialog's "autosave/intervalSeconds" (General page); 30 s by default.
    const int seconds
        = QSettings().value(QStringLiteral("autosave/intervalSeconds"), kIntervalMs / 1000).toInt();
    m_timer.setInterval(seconds > 0 ? seconds * 1000 : kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (m_changedSinceWrite || !m_written)
            saveNow();
    });
    connect(m_document, &document::WorkflowDocument::changed, this,
            [this] { m_changedSinceWrite = true; });
}

QString Autosave::directory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
           + QStringLiteral("/autosave");
}

QString Autosave::baseName() const
{
    if (m_filePath.isEmpty())
        return QStringLiteral("untitled-%1").arg(QCoreApplication::applicationPid());
    const QByteArray hash = QCryptographicHash::hash(
        QFileInfo(m_filePath).absoluteFilePath().toUtf8(), QCryptographicHash::Sha1);
    return QString::fromLatin1(hash.toHex());
}

QString Autosave::autosaveFilePath() const
{
    return directory() + QLatin1Char('/') + baseName() + QStringLiteral(".json");
}

QString Autosave::metaFilePath() const
{
    return directory() + QLatin1Char('/') + baseName() + QStringLiteral(".meta");
}

void Autosave::setFilePath(const QString &path)
{
    if (path == m_filePath)
        return;
    const bool hadCopy = m_written;
    discard();
    m_filePath = path;
    if (hadCopy)
        saveNow(); // keep protecting the unsaved work under its new name
}

void Autosave::setModified(bool modified)
{
    if (modified) {
        if (!m_timer.isActive())
            m_timer.start();
    } else {
        m_timer.stop();
    }
}

bool Autosave::saveNow()
{
    if (!QDir().mkpath(directory())) {
        qCWarning(lcAutosave) << "cannot create" << directory();
        return false;
    }
    const auto saved = document::saveWorkflowFile(m_document->workflow(), autosaveFilePath(),
                                                  document::FileFormat::NativeJson);
    if (!saved) {
        qCWarning(lcAutosave) << saved.error().toString();
        return false;
    }
    QJsonObject meta;
    meta.insert(QStringLiteral("version"), kMetaVersion);
    meta.insert(QStringLiteral("originalPath"), m_filePath);
    meta.insert(QStringLiteral("timestamp"),
                QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    meta.insert(QStringLiteral("pid"), QCoreApplication::applicationPid());
    QSaveFile file(metaFilePath());
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(meta).toJson()) < 0
        || !file.commit()) {
        qCWarning(lcAutosave) << "cannot write" << metaFilePath() << file.errorString();
        return false;
    }
    m_written = true;
    m_changedSinceWrite = false;
    return true;
}

void Autosave::discard()
{
    // Only our own copy: another window with the same file writes under the same name.
    if (m_written) {
        QFile::remove(autosaveFilePath());
        QFile::remove(metaFilePath());
    }
    m_written = false;
}

bool Autosave::isProcessRunning(qint64 pid)
{
    if (pid <= 0)
        return false;
#if defined(Q_OS_UNIX)
    // Signal 0 checks existence only; EPERM means it exists but belongs to someone else. A
    // recycled pid reads as running: the copy is then offered on a later start instead.
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
#elif defined(Q_OS_WIN)
    HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, DWORD(pid));
    if (!process)
        return false;
    DWORD code = 0;
    const bool running = GetExitCodeProcess(process, &code) && code == STILL_ACTIVE;
    CloseHandle(process);
    return running;
#else
    return false;
#endif
}

QList<RecoveryEntry> Autosave::orphans()
{
    QList<RecoveryEntry> entries;
    const QDir dir(directory());
    const qint64 self = QCoreApplication::applicationPid();
    const QStringList metas = dir.entryList({QStringLiteral("*.meta")}, QDir::Files);
    for (const QString &name : metas) {
        RecoveryEntry entry;
        entry.metaPath = dir.filePath(name);
        entry.autosavePath
            = dir.filePath(QFileInfo(name).completeBaseName() + QStringLiteral(".json"));
        QFile file(entry.metaPath);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject meta = QJsonDocument::fromJson(file.readAll()).object();
        entry.originalPath = meta.value(QStringLiteral("originalPath")).toString();
        entry.timestamp = QDateTime::fromString(meta.value(QStringLiteral("timestamp")).toString(),
                                                Qt::ISODateWithMs);
        entry.pid = qint64(meta.value(QStringLiteral("pid")).toDouble());
        if (!QFile::exists(entry.autosavePath))
            continue;
        if (entry.pid == self || isProcessRunning(entry.pid))
            continue; // another window is still working on it
        entries.append(entry);
    }
    std::sort(entries.begin(), entries.end(), [](const RecoveryEntry &a, const RecoveryEntry &b) {
        return a.timestamp > b.timestamp;
    });
    return entries;
}

void Autosave::remove(const RecoveryEntry &entry)
{
    QFile::remove(entry.autosavePath);
    QFile::remove(entry.metaPath);
}

} // namespace flowbench::app

#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include "document/workflowdocument.h"

namespace flowbench::app {

// A crash copy of an unsaved document found on disk.
struct RecoveryEntry
{
    QString autosavePath; // the native JSON copy
    QString metaPath;     // its sidecar: {"originalPath", "timestamp", "pid", "version"}
    QString originalPath; // the document's file; empty for an untitled document
    QDateTime timestamp;  // when the copy was written
    qint64 pid = 0;       // the process that wrote it
};

// Autosave of the open document. While the document is modified, every kIntervalMs the
// document is written as native JSON to
//   <AppDataLocation>/autosave/<sha1 of the file path, or "untitled-<pid>">.json
// next to a `.meta` sidecar naming the original path, the time and the writing process. The
// window calls discard() when the document is saved or closed cleanly, so only a crash (or a
// killed process) leaves files behind; orphans() finds them on the next start.
// GUI thread only; the document must outlive this object.
class Autosave : public QObject
{
    Q_OBJECT

public:
    explicit Autosave(const document::WorkflowDocument *document, QObject *parent = nullptr);

    static constexpr int kIntervalMs = 30'000;

    // The document's file path (empty: untitled). Moving to another path removes the copy
    // written under the old one.
    void setFilePath(const QString &path);
    // Starts the periodic save while modified; stops it otherwise (the copy stays until
    // discard(), a clean document needs none).
    void setModified(bool modified);
    // Writes the copy now. False (with a warning logged) when it cannot be written.
    bool saveNow();
    // Removes this session's copy and sidecar, if any.
    void discard();

    [[nodiscard]] QString autosaveFilePath() const;
    [[nodiscard]] QString metaFilePath() const;
    [[nodiscard]] bool isActive() const { return m_timer.isActive(); }

    // <AppDataLocation>/autosave
    static QString directory();
    // Copies whose writing process is no longer running, newest first. Copies written by this
    // process are never orphans.
    static QList<RecoveryEntry> orphans();
    static void remove(const RecoveryEntry &entry);
    static bool isProcessRunning(qint64 pid);

private:
    [[nodiscard]] QString baseName() const;

    const document::WorkflowDocument *m_document;
    QString m_filePath;
    QTimer m_timer;
    bool m_changedSinceWrite = false;
    bool m_written = false;
};

} // namespace flowbench::app

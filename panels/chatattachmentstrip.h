#pragma once

#include <QFutureWatcher>
#include <QImage>
#include <QSet>
#include <QWidget>

#include "llm/chattypes.h"
#include "media/keyframes.h"

#include <atomic>
#include <memory>
#include <vector>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QProgressBar;
class QSpinBox;
class QTimer;
class QToolButton;

namespace flowbench::panels {

// What the chat composer will send besides text ("chat.attachments"): images (thumbnails with a
// remove button) and at most one video, whose keyframes are extracted on a worker thread
// (QtConcurrent; progress bar and Cancel) and shown as a strip where a click excludes or
// re-includes a frame. Frame count (automatic or 1..N) and mode (exact/fast) re-extract when
// changed. Everything is scaled to maxPixels before it is sent; the estimated prompt tokens
// (media::estimateImageTokens) are shown. Hidden while empty. GUI thread only; destroying the
// strip cancels an extraction and waits for it.
class ChatAttachmentStrip : public QWidget
{
    Q_OBJECT

public:
    struct Image
    {
        QString name;
        QImage image; // as loaded (EXIF orientation applied)
    };

    explicit ChatAttachmentStrip(QWidget *parent = nullptr);
    ~ChatAttachmentStrip() override;

    void setMaxPixels(qint64 maxPixels); // 0: no limit
    [[nodiscard]] qint64 maxPixels() const { return m_maxPixels; }

    // Images; false (and problem()) when the file is not a readable image.
    bool addImageFile(const QString &path);
    void addImage(const QImage &image, const QString &name);
    void removeImage(int index);
    [[nodiscard]] const std::vector<Image> &images() const { return m_images; }

    // Replaces the video and extracts its keyframes with the current count and mode.
    void setVideoFile(const QString &path);
    void removeVideo();
    void setKeyframeOptions(int count, media::KeyframeMode mode); // count 0: automatic
    [[nodiscard]] bool isExtracting() const;
    void cancelExtraction();
    [[nodiscard]] QString videoPath() const { return m_videoPath; }
    [[nodiscard]] const media::KeyframeSet &keyframes() const { return m_frames; }
    void setFrameExcluded(int index, bool excluded); // 0-based frame index
    [[nodiscard]] bool isFrameExcluded(int index) const { return m_excluded.contains(index); }
    [[nodiscard]] int includedFrameCount() const;

    // Images plus included frames: what the prompt will carry.
    [[nodiscard]] int imageCount() const;
    [[nodiscard]] int estimatedTokens() const;
    [[nodiscard]] bool isEmpty() const;
    // The parts to send: each image, then "Frame i @ mm:ss" labels each followed by its frame,
    // every one scaled to maxPixels and sent as a JPEG data URL.
    [[nodiscard]] std::vector<llm::ContentPart> contentParts() const;
    // Small copies for the sent message's thumbnails (images first, then included frames).
    [[nodiscard]] QList<QImage> thumbnails(int height) const;
    // The attachments written as JPEG files into `dir` (Workflow mode's sys.files).
    [[nodiscard]] QStringList writeFiles(const QString &dir) const;
    void clear();

Q_SIGNALS:
    void changed();
    void problem(const QString &message);
    void extractionFinished(bool ok, const QString &message);

private:
    void startExtraction();
    void onExtracted();
    void rebuild();
    void updateSummary();
    [[nodiscard]] QImage scaled(const QImage &image) const;

    struct Job;
    std::vector<Image> m_images;
    QString m_videoPath;
    media::KeyframeSet m_frames;
    QSet<int> m_excluded;
    qint64 m_maxPixels = 0;
    int m_count = 0;
    media::KeyframeMode m_mode = media::KeyframeMode::Fast;
    std::shared_ptr<Job> m_job;
    QFutureWatcher<void> *m_watcher = nullptr;
    QTimer *m_progressTimer = nullptr;

    QWidget *m_imageRow = nullptr;
    QHBoxLayout *m_imageLayout = nullptr;
    QWidget *m_videoBox = nullptr;
    QLabel *m_videoTitle = nullptr;
    QSpinBox *m_countSpin = nullptr;
    QComboBox *m_modeCombo = nullptr;
    QProgressBar *m_progress = nullptr;
    QToolButton *m_cancelButton = nullptr;
    QToolButton *m_removeVideoButton = nullptr;
    QWidget *m_frameRow = nullptr;
    QHBoxLayout *m_frameLayout = nullptr;
    QLabel *m_summary = nullptr;
};

} // namespace flowbench::panels

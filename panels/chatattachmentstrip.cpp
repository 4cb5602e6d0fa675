#include "chatattachmentstrip.h"

#include "media/image.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QProgressBar>
#include <QScrollArea>
#include <QSpinBox>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace flowbench::panels {

struct ChatAttachmentStrip::Job
{
    std::atomic<bool> cancel{false};
    std::atomic<int> done{0};
    std::atomic<int> total{0};
    Result<media::KeyframeSet> result = media::KeyframeSet{};
};

namespace {

constexpr int kThumbHeight = 56;

QPixmap roundedThumb(const QImage &image, int height, bool dim)
{
    if (image.isNull())
        return {};
    const QImage small = image.scaledToHeight(height * 2, Qt::SmoothTransformation);
    const QSize size(std::max(1, small.width() / 2), height);
    QPixmap pixmap(size * 2);
    pixmap.setDevicePixelRatio(2);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    QPainterPath path;
    path.addRoundedRect(QRectF(QPointF(0, 0), QSizeF(size)), 6, 6);
    p.setClipPath(path);
    p.drawImage(QRectF(QPointF(0, 0), QSizeF(size)), small);
    if (dim) {
        p.fillRect(QRectF(QPointF(0, 0), QSizeF(size)), QColor(255, 255, 255, 170));
        QPen pen(QColor(0xd9, 0x3b, 0x3b), 2.5);
        p.setPen(pen);
        const QPointF c(size.width() / 2.0, size.height() / 2.0);
        p.drawLine(c + QPointF(-8, -8), c + QPointF(8, 8));
        p.drawLine(c + QPointF(-8, 8), c + QPointF(8, -8));
    }
    return pixmap;
}

QString timeLabel(double seconds)
{
    const int s = int(seconds);
    return QStringLiteral("%1:%2")
        .arg(s / 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

ChatAttachmentStrip::ChatAttachmentStrip(QWidget *parent)
    : QWidget(parent)
    , m_watcher(new QFutureWatcher<void>(this))
    , m_progressTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("chat.attachments"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);

    m_imageRow = new QWidget(this);
    m_imageLayout = new QHBoxLayout(m_imageRow);
    m_imageLayout->setContentsMargins(0, 0, 0, 0);
    m_imageLayout->setSpacing(6);
    m_imageLayout->addStretch(1);
    layout->addWidget(m_imageRow);

    m_videoBox = new QWidget(this);
    m_videoBox->setObjectName(QStringLiteral("chat.videoBox"));
    auto *videoLayout = new QVBoxLayout(m_videoBox);
    videoLayout->setContentsMargins(0, 0, 0, 0);
    videoLayout->setSpacing(3);
    auto *header = new QHBoxLayout;
    header->setSpacing(6);
    m_videoTitle = new QLabel(m_videoBox);
    m_videoTitle->setObjectName(QStringLiteral("chat.videoTitle"));
    m_videoTitle->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_countSpin = new QSpinBox(m_videoBox);
    m_countSpin->setObjectName(QStringLiteral("chat.frameCount"));
    m_countSpin->setRange(0, media::kMaxKeyframes);
    m_countSpin->setSpecialValueText(tr("auto"));
    m_countSpin->setPrefix(tr("frames: "));
    m_countSpin->setToolTip(tr("Keyframes to take, spread uniformly (auto: one per second, "
                               "at most 30)"));
    m_modeCombo = new QComboBox(m_videoBox);
    m_modeCombo->setObjectName(QStringLiteral("chat.frameMode"));
    m_modeCombo->addItem(tr("fast"), int(media::KeyframeMode::Fast));
    m_modeCombo->addItem(tr("exact"), int(media::KeyframeMode::Exact));
    m_modeCombo->setToolTip(tr("fast: the nearest keyframe; exact: the frame at each timestamp"));
    m_progress = new QProgressBar(m_videoBox);
    m_progress->setObjectName(QStringLiteral("chat.frameProgress"));
    m_progress->setMaximumWidth(120);
    m_progress->setTextVisible(true);
    m_cancelButton = new QToolButton(m_videoBox);
    m_cancelButton->setObjectName(QStringLiteral("chat.cancelFrames"));
    m_cancelButton->setText(tr("Cancel"));
    m_removeVideoButton = new QToolButton(m_videoBox);
    m_removeVideoButton->setObjectName(QStringLiteral("chat.removeVideo"));
    m_removeVideoButton->setText(QStringLiteral("✕"));
    m_removeVideoButton->setToolTip(tr("Remove the video"));
    m_removeVideoButton->setAutoRaise(true);
    header->addWidget(m_videoTitle, 1);
    header->addWidget(m_countSpin);
    header->addWidget(m_modeCombo);
    header->addWidget(m_progress);
    header->addWidget(m_cancelButton);
    header->addWidget(m_removeVideoButton);
    videoLayout->addLayout(header);
    auto *scroll = new QScrollArea(m_videoBox);
    scroll->setObjectName(QStringLiteral("chat.frameStrip"));
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setFixedHeight(kThumbHeight + 32);
    m_frameRow = new QWidget(scroll);
    m_frameLayout = new QHBoxLayout(m_frameRow);
    m_frameLayout->setContentsMargins(0, 0, 0, 0);
    m_frameLayout->setSpacing(4);
    m_frameLayout->addStretch(1);
    scroll->setWidget(m_frameRow);
    videoLayout->addWidget(scroll);
    layout->addWidget(m_videoBox);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("chat.attachmentSummary"));
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_summary);

    connect(m_countSpin, &QSpinBox::editingFinished, this, [this] {
        if (m_countSpin->value() != m_count)
            setKeyframeOptions(m_countSpin->value(), m_mode);
    });
    connect(m_modeCombo, &QComboBox::activated, this, [this] {
        setKeyframeOptions(m_count, media::KeyframeMode(m_modeCombo->currentData().toInt()));
    });
    connect(m_cancelButton, &QToolButton::clicked, this, &ChatAttachmentStrip::cancelExtraction);
    connect(m_removeVideoButton, &QToolButton::clicked, this, &ChatAttachmentStrip::removeVideo);
    connect(m_watcher, &QFutureWatcher<void>::finished, this, &ChatAttachmentStrip::onExtracted);
    m_progressTimer->setInterval(100);
    connect(m_progressTimer, &QTimer::timeout, this, [this] {
        if (m_job) {
            m_progress->setMaximum(std::max(1, m_job->total.load()));
            m_progress->setValue(m_job->done.load());
        }
    });
    rebuild();
}

ChatAttachmentStrip::~ChatAttachmentStrip()
{
    if (m_job)
        m_job->cancel = true;
    m_watcher->waitForFinished();
}

void ChatAttachmentStrip::setMaxPixels(qint64 maxPixels)
{
    m_maxPixels = maxPixels;
    updateSummary();
}

QImage ChatAttachmentStrip::scaled(const QImage &image) const
{
    return media::scaledToMaxPixels(image, m_maxPixels);
}

bool ChatAttachmentStrip::addImageFile(const QString &path)
{
    auto image = media::loadImage(path);
    if (!image) {
        Q_EMIT problem(
            tr("Cannot attach %1: %2").arg(QFileInfo(path).fileName(), image.error().message));
        return false;
    }
    addImage(*image, QFileInfo(path).fileName());
    return true;
}

void ChatAttachmentStrip::addImage(const QImage &image, const QString &name)
{
    if (image.isNull())
        return;
    m_images.push_back({name, image});
    rebuild();
    Q_EMIT changed();
}

void ChatAttachmentStrip::removeImage(int index)
{
    if (index < 0 || index >= int(m_images.size()))
        return;
    m_images.erase(m_images.begin() + index);
    rebuild();
    Q_EMIT changed();
}

void ChatAttachmentStrip::setVideoFile(const QString &path)
{
    cancelExtraction();
    m_videoPath = path;
    m_frames = {};
    m_excluded.clear();
    startExtraction();
}

void ChatAttachmentStrip::removeVideo()
{
    cancelExtraction();
    m_videoPath.clear();
    m_frames = {};
    m_excluded.clear();
    rebuild();
    Q_EMIT changed();
}

void ChatAttachmentStrip::setKeyframeOptions(int count, media::KeyframeMode mode)
{
    const bool same = count == m_count && mode == m_mode;
    m_count = count;
    m_mode = mode;
    m_countSpin->setValue(count);
    m_modeCombo->setCurrentIndex(m_modeCombo->findData(int(mode)));
    if (!same && !m_videoPath.isEmpty()) {
        cancelExtraction();
        m_frames = {};
        m_excluded.clear();
        startExtraction();
    }
}

bool ChatAttachmentStrip::isExtracting() const
{
    return m_watcher->isRunning();
}

void ChatAttachmentStrip::cancelExtraction()
{
    if (!m_job)
        return;
    m_job->cancel = true;
    m_watcher->waitForFinished(); // the decoder checks the flag between frames
}

void ChatAttachmentStrip::startExtraction()
{
    auto job = std::make_shared<Job>();
    m_job = job;
    media::KeyframeOptions options;
    options.count = m_count;
    options.mode = m_mode;
    options.maxPixels = 0; // scaled at send time, so a maxPixels change needs no re-extraction
    options.allowPartial = true;
    options.cancel = &job->cancel;
    const QString path = m_videoPath;
    m_watcher->setFuture(QtConcurrent::run([job, options, path]() mutable {
        options.progress = [job](int done, int total) {
            job->done = done;
            job->total = total;
            return !job->cancel.load();
        };
        job->result = media::extractKeyframes(path, options);
    }));
    m_progress->setValue(0);
    m_progressTimer->start();
    rebuild();
    Q_EMIT changed();
}

void ChatAttachmentStrip::onExtracted()
{
    m_progressTimer->stop();
    std::shared_ptr<Job> job = std::move(m_job);
    m_job.reset();
    if (!job)
        return;
    bool ok = true;
    QString message;
    if (job->result) {
        m_frames = std::move(*job->result);
        if (!m_frames.problems.isEmpty())
            message = m_frames.problems.join(QLatin1Char('\n'));
        if (m_frames.frames.empty()) {
            ok = false;
            if (message.isEmpty())
                message = tr("No frames could be decoded from %1.")
                              .arg(QFileInfo(m_videoPath).fileName());
        }
    } else {
        ok = false;
        message = job->result.error().code == QLatin1String("media.cancelled")
                      ? tr("Keyframe extraction cancelled.")
                      : tr("Cannot take keyframes from %1: %2")
                            .arg(QFileInfo(m_videoPath).fileName(), job->result.error().message);
    }
    if (!ok) {
        m_videoPath.clear();
        m_frames = {};
        Q_EMIT problem(message);
    }
    rebuild();
    Q_EMIT changed();
    Q_EMIT extractionFinished(ok, message);
}

void ChatAttachmentStrip::setFrameExcluded(int index, bool excluded)
{
    if (index < 0 || index >= int(m_frames.frames.size()))
        return;
    if (excluded)
        m_excluded.insert(index);
    else
        m_excluded.remove(index);
    rebuild();
    Q_EMIT changed();
}

int ChatAttachmentStrip::includedFrameCount() const
{
    return int(m_frames.frames.size()) - int(m_excluded.size());
}

int ChatAttachmentStrip::imageCount() const
{
    return int(m_images.size()) + includedFrameCount();
}

bool ChatAttachmentStrip::isEmpty() const
{
    return m_images.empty() && m_videoPath.isEmpty();
}

int ChatAttachmentStrip::estimatedTokens() const
{
    int tokens = 0;
    for (const Image &image : m_images)
        tokens
            += media::estimateImageTokens(media::fitToMaxPixels(image.image.size(), m_maxPixels));
    for (int i = 0; i < int(m_frames.frames.size()); ++i)
        if (!m_excluded.contains(i))
            tokens += media::estimateImageTokens(
                media::fitToMaxPixels(m_frames.frames[size_t(i)].image.size(), m_maxPixels));
    return tokens;
}

std::vector<llm::ContentPart> ChatAttachmentStrip::contentParts() const
{
    std::vector<llm::ContentPart> parts;
    for (const Image &image : m_images)
        if (auto part = media::imageContentPart(scaled(image.image), media::ImageFormat::Jpeg, 88))
            parts.push_back(*part);
    for (int i = 0; i < int(m_frames.frames.size()); ++i) {
        if (m_excluded.contains(i))
            continue;
        const media::Keyframe &frame = m_frames.frames[size_t(i)];
        llm::ContentPart label;
        // Part of the prompt, not of the UI: the same words whatever the UI language, so the
        // model sees the same request (and tests and replays compare equal).
        label.text
            = QStringLiteral("Frame %1 @ %2").arg(frame.index).arg(timeLabel(frame.timestampS));
        parts.push_back(label);
        if (auto part = media::imageContentPart(scaled(frame.image), media::ImageFormat::Jpeg, 88))
            parts.push_back(*part);
    }
    return parts;
}

QList<QImage> ChatAttachmentStrip::thumbnails(int height) const
{
    QList<QImage> out;
    for (const Image &image : m_images)
        out << image.image.scaledToHeight(height * 2, Qt::SmoothTransformation);
    for (int i = 0; i < int(m_frames.frames.size()); ++i)
        if (!m_excluded.contains(i))
            out << m_frames.frames[size_t(i)].image.scaledToHeight(height * 2,
                                                                   Qt::SmoothTransformation);
    return out;
}

QStringList ChatAttachmentStrip::writeFiles(const QString &dir) const
{
    QStringList files;
    QDir().mkpath(dir);
    int n = 0;
    auto write = [&](const QImage &image, const QString &base) {
        const QString path = QDir(dir).filePath(
            QStringLiteral("%1-%2.jpg").arg(++n, 2, 10, QLatin1Char('0')).arg(base));
        if (scaled(image).save(path, "JPEG", 88))
            files << path;
    };
    for (const Image &image : m_images)
        write(image.image, QFileInfo(image.name).completeBaseName());
    for (int i = 0; i < int(m_frames.frames.size()); ++i)
        if (!m_excluded.contains(i))
            write(m_frames.frames[size_t(i)].image, QStringLiteral("frame%1").arg(i + 1));
    return files;
}

void ChatAttachmentStrip::clear()
{
    cancelExtraction();
    m_images.clear();
    m_videoPath.clear();
    m_frames = {};
    m_excluded.clear();
    rebuild();
    Q_EMIT changed();
}

void ChatAttachmentStrip::rebuild()
{
    // Images: thumbnail + remove button.
    while (m_imageLayout->count() > 1) {
        QLayoutItem *item = m_imageLayout->takeAt(0);
        delete item->widget();
        delete item;
    }
    for (int i = 0; i < int(m_images.size()); ++i) {
        const Image &image = m_images[size_t(i)];
        auto *thumb = new QLabel(m_imageRow);
        thumb->setObjectName(QStringLiteral("chat.imageThumb"));
        const QPixmap pixmap = roundedThumb(image.image, kThumbHeight, false);
        thumb->setPixmap(pixmap);
        thumb->setFixedSize(pixmap.deviceIndependentSize().toSize());
        const QSize sent = media::fitToMaxPixels(image.image.size(), m_maxPixels);
        thumb->setToolTip(tr("%1\n%2×%3, sent as %4×%5, about %6 tokens")
                              .arg(image.name)
                              .arg(image.image.width())
                              .arg(image.image.height())
                              .arg(sent.width())
                              .arg(sent.height())
                              .arg(media::estimateImageTokens(sent)));
        auto *remove = new QToolButton(thumb);
        remove->setObjectName(QStringLiteral("chat.removeImage"));
        remove->setText(QStringLiteral("✕"));
        remove->setToolTip(tr("Remove %1").arg(image.name));
        remove->setStyleSheet(QStringLiteral(
            "QToolButton{background:rgba(0,0,0,150);color:white;border:none;border-radius:8px;"
            "font-size:9px;}QToolButton:hover{background:rgba(200,40,40,220);}"));
        remove->setFixedSize(16, 16);
        remove->move(thumb->width() - 18, 2);
        connect(remove, &QToolButton::clicked, this, [this, i] { removeImage(i); });
        m_imageLayout->insertWidget(i, thumb);
    }
    m_imageRow->setVisible(!m_images.empty());

    // Video: header and frame strip.
    while (m_frameLayout->count() > 1) {
        QLayoutItem *item = m_frameLayout->takeAt(0);
        delete item->widget();
        delete item;
    }
    const bool extracting = bool(m_job);
    m_videoBox->setVisible(!m_videoPath.isEmpty());
    m_progress->setVisible(extracting);
    m_cancelButton->setVisible(extracting);
    if (!m_videoPath.isEmpty()) {
        const QString name = QFileInfo(m_videoPath).fileName();
        if (extracting)
            m_videoTitle->setText(tr("%1 — taking keyframes…").arg(name));
        else
            m_videoTitle->setText(tr("%1 — %2 s, %3 of %4 frames")
                                      .arg(name)
                                      .arg(QLocale().toString(m_frames.info.durationS, 'f', 1))
                                      .arg(includedFrameCount())
                                      .arg(m_frames.frames.size()));
        m_videoTitle->setToolTip(m_videoPath);
    }
    for (int i = 0; i < int(m_frames.frames.size()); ++i) {
        const media::Keyframe &frame = m_frames.frames[size_t(i)];
        const bool excluded = m_excluded.contains(i);
        auto *button = new QToolButton(m_frameRow);
        button->setObjectName(QStringLiteral("chat.frameThumb"));
        button->setCheckable(true);
        button->setChecked(!excluded);
        button->setAutoRaise(true);
        button->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
        const QPixmap pixmap = roundedThumb(frame.image, kThumbHeight, excluded);
        button->setIcon(QIcon(pixmap));
        button->setIconSize(pixmap.deviceIndependentSize().toSize());
        button->setText(timeLabel(frame.timestampS));
        button->setToolTip(excluded ? tr("Frame %1 at %2 s: excluded (click to include)")
                                          .arg(frame.index)
                                          .arg(frame.timestampS, 0, 'f', 2)
                                    : tr("Frame %1 at %2 s (click to exclude)")
                                          .arg(frame.index)
                                          .arg(frame.timestampS, 0, 'f', 2));
        connect(button, &QToolButton::clicked, this,
                [this, i](bool checked) { setFrameExcluded(i, !checked); });
        m_frameLayout->insertWidget(i, button);
    }
    updateSummary();
    setVisible(!isEmpty());
}

void ChatAttachmentStrip::updateSummary()
{
    const int count = imageCount();
    if (count == 0) {
        m_summary->clear();
        m_summary->hide();
        return;
    }
    QString text = (count == 1 ? tr("1 image, about %1 prompt tokens")
                               : tr("%1 images, about %2 prompt tokens").arg(count))
                       .arg(QLocale().toString(estimatedTokens()));
    if (m_maxPixels > 0)
        text += tr(" · scaled to at most %1 MP").arg(double(m_maxPixels) / 1e6, 0, 'f', 2);
    m_summary->setText(text);
    m_summary->show();
}

} // namespace flowbench::panels

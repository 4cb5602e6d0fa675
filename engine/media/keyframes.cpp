#include "keyframes.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QFuture>
#include <QThread>
#include <QThreadPool>
#include <QTransform>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libswscale/swscale.h>
}

namespace flowbench::media {

namespace {

// FFmpeg logs to stderr by default; keep its last error line for our messages instead.
std::mutex g_logMutex;
QString g_lastLogLine;

void logCallback(void *avcl, int level, const char *fmt, va_list vl)
{
    if (level > AV_LOG_ERROR)
        return;
    char line[1024];
    int printPrefix = 0; // no "[mov,mp4,... @ 0x...]" prefix
    av_log_format_line2(avcl, level, fmt, vl, line, sizeof line, &printPrefix);
    const QString text = QString::fromUtf8(line).trimmed();
    if (text.isEmpty())
        return;
    std::lock_guard lock(g_logMutex);
    g_lastLogLine = text;
}

void installLogCallback()
{
    static std::once_flag once;
    std::call_once(once, [] { av_log_set_callback(logCallback); });
}

QString takeLastLogLine()
{
    std::lock_guard lock(g_logMutex);
    QString line = g_lastLogLine;
    g_lastLogLine.clear();
    return line;
}

QString avErrorText(int error)
{
    char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(error, buffer, sizeof buffer);
    QString text = QString::fromUtf8(buffer);
    const QString logged = takeLastLogLine();
    if (!logged.isEmpty() && !text.contains(logged))
        text += QStringLiteral("; ") + logged;
    return text;
}

struct FormatCloser
{
    void operator()(AVFormatContext *c) const { avformat_close_input(&c); }
};
struct CodecFreer
{
    void operator()(AVCodecContext *c) const { avcodec_free_context(&c); }
};
struct FrameFreer
{
    void operator()(AVFrame *f) const { av_frame_free(&f); }
};
struct PacketFreer
{
    void operator()(AVPacket *p) const { av_packet_free(&p); }
};
struct SwsFreer
{
    void operator()(SwsContext *s) const { sws_freeContext(s); }
};

using FormatPtr = std::unique_ptr<AVFormatContext, FormatCloser>;
using CodecPtr = std::unique_ptr<AVCodecContext, CodecFreer>;
using FramePtr = std::unique_ptr<AVFrame, FrameFreer>;
using PacketPtr = std::unique_ptr<AVPacket, PacketFreer>;

const uint8_t *displayMatrixOf(const AVStream *st)
{
#if LIBAVFORMAT_VERSION_MAJOR > 60                                                                 \
    || (LIBAVFORMAT_VERSION_MAJOR == 60 && LIBAVFORMAT_VERSION_MINOR >= 15)
    const AVPacketSideData *sd = av_packet_side_data_get(
        st->codecpar->coded_side_data, st->codecpar->nb_coded_side_data, AV_PKT_DATA_DISPLAYMATRIX);
    if (!sd || sd->size < 9 * sizeof(int32_t))
        return nullptr;
    return sd->data;
#else
    size_t size = 0;
    const uint8_t *data = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &size);
    return size >= 9 * sizeof(int32_t) ? data : nullptr;
#endif
}

bool frameIsKey(const AVFrame *f)
{
#if LIBAVUTIL_VERSION_INT >= AV_VERSION_INT(58, 7, 100)
    return (f->flags & AV_FRAME_FLAG_KEY) || f->pict_type == AV_PICTURE_TYPE_I;
#else
    return f->key_frame || f->pict_type == AV_PICTURE_TYPE_I;
#endif
}

int64_t framePts(const AVFrame *f)
{
    if (f->best_effort_timestamp != AV_NOPTS_VALUE)
        return f->best_effort_timestamp;
    if (f->pts != AV_NOPTS_VALUE)
        return f->pts;
    return f->pkt_dts;
}

struct Opened
{
    FormatPtr fmt;
    AVStream *stream = nullptr;
    const AVCodec *codec = nullptr;
    VideoInfo info;
    int64_t start = 0; // stream time base
    AVRational sar{1, 1};
};

Result<Opened> openVideo(const QString &path)
{
    installLogCallback();
    const QFileInfo fi(path);
    const QString shown = QDir::toNativeSeparators(path);
    if (!fi.exists()) {
        return makeError(
            QStringLiteral("media.not-found"),
            QCoreApplication::translate("flowbench::media::Keyframes", "%1: no such file")
                .arg(shown));
    }
    if (fi.isDir()) {
        return makeError(QStringLiteral("media.unreadable"),
                         QCoreApplication::translate("flowbench::media::Keyframes",
                                                     "%1 is a folder, not a video file")
                             .arg(shown));
    }
    if (fi.size() == 0) {
        return makeError(
            QStringLiteral("media.empty"),
            QCoreApplication::translate("flowbench::media::Keyframes", "%1 is empty (0 bytes)")
                .arg(shown));
    }
    if (!fi.isReadable()) {
        return makeError(QStringLiteral("media.unreadable"),
                         QCoreApplication::translate("flowbench::media::Keyframes",
                                                     "%1 cannot be read (permission denied)")
                             .arg(shown));
    }

    Opened o;
    takeLastLogLine();
    // "file:" keeps a ':' in the name from being read as a protocol; FFmpeg takes UTF-8 names.
    const QByteArray url = QByteArrayLiteral("file:") + fi.absoluteFilePath().toUtf8();
    AVFormatContext *raw = nullptr;
    int r = avformat_open_input(&raw, url.constData(), nullptr, nullptr);
    if (r < 0) {
        return makeError(QStringLiteral("media.unsupported"),
                         QCoreApplication::translate(
                             "flowbench::media::Keyframes",
                             "%1 is not a video file that can be read, or it is damaged (%2)")
                             .arg(shown, avErrorText(r)));
    }
    o.fmt.reset(raw);
    r = avformat_find_stream_info(raw, nullptr);
    if (r < 0) {
        return makeError(QStringLiteral("media.unsupported"),
                         QCoreApplication::translate(
                             "flowbench::media::Keyframes",
                             "%1 is not a video file that can be read, or it is damaged (%2)")
                             .arg(shown, avErrorText(r)));
    }
    o.info.container = QString::fromUtf8(raw->iformat->name);

    // The best video stream that is not a cover picture.
    int best = av_find_best_stream(raw, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (best >= 0 && (raw->streams[best]->disposition & AV_DISPOSITION_ATTACHED_PIC))
        best = -1;
    bool hasAudio = false;
    for (unsigned i = 0; i < raw->nb_streams; ++i) {
        const AVStream *st = raw->streams[i];
        if (st->codecpar->codec_type == AVMEDIA_TYPE_AUDIO)
            hasAudio = true;
        if (best < 0 && st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO
            && !(st->disposition & AV_DISPOSITION_ATTACHED_PIC))
            best = int(i);
    }
    if (best < 0) {
        return makeError(QStringLiteral("media.no-video"),
                         hasAudio ? QCoreApplication::translate("flowbench::media::Keyframes",
                                                                "%1 has no video stream (it holds "
                                                                "only audio)")
                                        .arg(shown)
                                  : QCoreApplication::translate("flowbench::media::Keyframes",
                                                                "%1 has no video stream")
                                        .arg(shown));
    }
    o.stream = raw->streams[best];
    const AVCodecParameters *par = o.stream->codecpar;
    o.codec = avcodec_find_decoder(par->codec_id);
    if (!o.codec) {
        return makeError(QStringLiteral("media.no-decoder"),
                         QCoreApplication::translate("flowbench::media::Keyframes",
                                                     "%1: no decoder for its video codec (%2)")
                             .arg(shown, QString::fromUtf8(avcodec_get_name(par->codec_id))));
    }
    o.info.codec = QString::fromUtf8(o.codec->name);
    if (par->width <= 0 || par->height <= 0) {
        return makeError(QStringLiteral("media.unsupported"),
                         QCoreApplication::translate("flowbench::media::Keyframes",
                                                     "%1: the video stream has no picture size")
                             .arg(shown));
    }

    const double tb = av_q2d(o.stream->time_base);
    o.start = o.stream->start_time != AV_NOPTS_VALUE ? o.stream->start_time : 0;
    double duration = 0;
    if (o.stream->duration != AV_NOPTS_VALUE && o.stream->duration > 0)
        duration = double(o.stream->duration) * tb;
    else if (raw->duration != AV_NOPTS_VALUE && raw->duration > 0)
        duration = double(raw->duration) / AV_TIME_BASE
                   - (raw->start_time != AV_NOPTS_VALUE
                          ? double(o.start) * tb - double(raw->start_time) / AV_TIME_BASE
                          : 0.0);
    if (!(duration > 0) || !std::isfinite(duration)) {
        return makeError(QStringLiteral("media.no-duration"),
                         QCoreApplication::translate("flowbench::media::Keyframes",
                                                     "%1: the video's duration is unknown")
                             .arg(shown));
    }
    o.info.durationS = duration;
    const AVRational rate = o.stream->avg_frame_rate;
    o.info.frameRate = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0.0;

    // Rotation: ffmpeg's CLI rotates by -av_display_rotation_get() (clockwise degrees).
    if (const uint8_t *m = displayMatrixOf(o.stream)) {
        const auto *matrix = reinterpret_cast<const int32_t *>(m);
        const double ccw = av_display_rotation_get(matrix);
        if (std::isfinite(ccw)) {
            long quarter = std::lround(-ccw / 90.0) % 4;
            if (quarter < 0)
                quarter += 4;
            o.info.rotation = int(quarter) * 90;
        }
        o.info.mirrored = (qint64(matrix[0]) * matrix[4] - qint64(matrix[1]) * matrix[3]) < 0;
    }
    o.sar = av_guess_sample_aspect_ratio(raw, o.stream, nullptr);
    o.info.codedSize = QSize(par->width, par->height);
    int displayWidth = par->width;
    if (o.sar.num > 0 && o.sar.den > 0 && o.sar.num != o.sar.den)
        displayWidth = std::max(1, int(std::lround(double(par->width) * av_q2d(o.sar))));
    o.info.displaySize = (o.info.rotation % 180 == 90) ? QSize(par->height, displayWidth)
                                                       : QSize(displayWidth, par->height);
    return o;
}

// One extraction: a demuxer, one decoder reused for every frame, one scaler.
class Extractor
{
public:
    Extractor(Opened &opened, const KeyframeOptions &options)
        : m_o(opened)
        , m_options(options)
        , m_fmt(opened.fmt.get())
        , m_st(opened.stream)
        , m_index(opened.stream->index)
    {}

    ~Extractor() { sws_freeContext(m_sws); }

    // threadCount: the decoder's threads; 0: one per core.
    Result<void> open(int threadCount = 0)
    {
        m_dec.reset(avcodec_alloc_context3(m_o.codec));
        m_packet.reset(av_packet_alloc());
        m_frame.reset(av_frame_alloc());
        m_last.reset(av_frame_alloc());
        if (!m_dec || !m_packet || !m_frame || !m_last)
            return makeError(
                QStringLiteral("media.memory"),
                QCoreApplication::translate("flowbench::media::Keyframes", "Out of memory"));
        int r = avcodec_parameters_to_context(m_dec.get(), m_st->codecpar);
        if (r >= 0) {
            m_dec->pkt_timebase = m_st->time_base;
            m_dec->thread_count = threadCount; // 0: automatic, one per core
            m_dec->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
            r = avcodec_open2(m_dec.get(), m_o.codec, nullptr);
        }
        if (r < 0) {
            return makeError(QStringLiteral("media.no-decoder"),
                             QCoreApplication::translate("flowbench::media::Keyframes",
                                                         "The %1 decoder could not be opened (%2)")
                                 .arg(m_o.info.codec, avErrorText(r)));
        }
        // Keyframe times from the container's index where it lists every sample (MP4/MOV sample
        // tables, AVI idx1). Others (Matroska cues, MPEG-TS) list some keyframes or none: those
        // are found by reading packets near each target instead.
        const QByteArray demuxer(m_fmt->iformat->name);
        const bool completeIndex
            = demuxer.contains("mp4") || demuxer.contains("mov") || demuxer == "avi";
        const int entries = completeIndex ? avformat_index_get_entries_count(m_st) : 0;
        for (int i = 0; i < entries; ++i) {
            const AVIndexEntry *e = avformat_index_get_entry(m_st, i);
            if (e && (e->flags & AVINDEX_KEYFRAME) && e->timestamp != AV_NOPTS_VALUE)
                m_keyframes.push_back(e->timestamp);
        }
        std::sort(m_keyframes.begin(), m_keyframes.end());
        m_keyframes.erase(std::unique(m_keyframes.begin(), m_keyframes.end()), m_keyframes.end());
        const double frameRate = m_o.info.frameRate > 0 ? m_o.info.frameRate : 25.0;
        m_endTolerance = std::max(0.5, 2.0 / frameRate);
        return {};
    }

    [[nodiscard]] bool cancelled() const
    {
        return (m_options.cancel && m_options.cancel->load(std::memory_order_relaxed))
               || (m_stop && m_stop->load(std::memory_order_relaxed));
    }
    // A second cancel flag (the parallel path's own).
    void setStop(const std::atomic<bool> *stop) { m_stop = stop; }
    [[nodiscard]] const std::vector<int64_t> &keyframes() const { return m_keyframes; }
    [[nodiscard]] double frameRate() const { return m_o.info.frameRate; }
    // The keyframe packet's time that the last decodeNearestKey chose (AV_NOPTS_VALUE: none).
    [[nodiscard]] int64_t chosenTime() const { return m_chosenTime; }

    int64_t toStream(double seconds) const
    {
        return m_o.start + int64_t(std::llround(seconds / av_q2d(m_st->time_base)));
    }
    double toSeconds(int64_t pts) const
    {
        return double(pts - m_o.start) * av_q2d(m_st->time_base);
    }

    // Exact: the first frame with pts >= target. Leaves the frame in m_last.
    // Returns false with m_problem set when there is none.
    bool decodeExact(int64_t target)
    {
        bool seek = true;
        if (m_positioned && m_lastPts != AV_NOPTS_VALUE) {
            if (m_lastPts >= target)
                return true; // targets rise; the frame before m_last was below the previous one
            if (!m_keyframes.empty()) {
                auto it = std::upper_bound(m_keyframes.begin(), m_keyframes.end(), target);
                const int64_t keyBefore
                    = it == m_keyframes.begin() ? m_keyframes.front() : *std::prev(it);
                seek = keyBefore > m_lastPts;
            } else {
                seek = toSeconds(target) - toSeconds(m_lastPts) > 1.0;
            }
        }
        if (!seek)
            return decodeUntil(target);
        if (m_knownEnd != AV_NOPTS_VALUE
            && toSeconds(target) - toSeconds(m_knownEnd) > m_endTolerance) {
            m_problem = endedProblem(target, m_knownEnd);
            return false;
        }
        // Some demuxers (MPEG-TS, streams without an index) land after the keyframe before the
        // target, so nothing decodes or the first frame is past the target: seek earlier.
        const double backoff[] = {0.0, 2.0, 6.0, 20.0, -1.0};
        for (double back : backoff) {
            const int64_t at = back < 0 ? m_o.start : target - toTicks(back);
            if (!seekTo(at, back < 0))
                return false;
            const bool ok = decodeUntil(target);
            if (m_cancelled)
                return false;
            if (ok && (m_firstPts <= target || back < 0))
                return true;
            if (!ok && m_firstPts != AV_NOPTS_VALUE)
                return false; // frames decoded up to the end of the data: the file is short
            if (back < 0 || m_o.start >= at)
                return ok;
        }
        return false;
    }

    // Fast mode with an index: each keyframe goes to the target nearest it, among the targets
    // for which it is the nearest keyframe; the other targets (AV_NOPTS_VALUE) are decoded
    // exactly. So a snap never takes a frame that an exact decode nearer to it would take.
    std::vector<int64_t> planSnaps(const std::vector<int64_t> &targets) const
    {
        std::vector<int64_t> plan(targets.size(), AV_NOPTS_VALUE);
        if (m_keyframes.empty())
            return plan;
        std::vector<int64_t> nearest(targets.size());
        for (size_t i = 0; i < targets.size(); ++i) {
            const int64_t target = targets[i];
            auto it = std::lower_bound(m_keyframes.begin(), m_keyframes.end(), target);
            if (it == m_keyframes.end())
                nearest[i] = m_keyframes.back();
            else if (it == m_keyframes.begin())
                nearest[i] = *it;
            else
                nearest[i] = (target - *std::prev(it) <= *it - target) ? *std::prev(it) : *it;
        }
        for (size_t i = 0; i < targets.size(); ++i) {
            bool closest = true;
            for (size_t j = 0; j < targets.size() && closest; ++j) {
                if (j == i || nearest[j] != nearest[i])
                    continue;
                const int64_t di = std::abs(targets[i] - nearest[i]);
                const int64_t dj = std::abs(targets[j] - nearest[j]);
                closest = di < dj || (di == dj && i < j);
            }
            if (closest)
                plan[i] = nearest[i];
        }
        return plan;
    }

    // Fast: decodes only the keyframe `planned` (from planSnaps) or, without an index, the
    // keyframe nearest the target. Returns false when the caller should decode exactly instead
    // (no keyframe planned, or its frame was taken already).
    bool decodeNearestKey(int64_t target, int64_t planned, const std::set<int64_t> &taken)
    {
        m_chosenTime = AV_NOPTS_VALUE;
        if (!m_keyframes.empty() && planned == AV_NOPTS_VALUE)
            return false;
        PacketPtr chosen(av_packet_alloc());
        if (!chosen)
            return false;
        m_positioned = false; // the demuxer moves: an exact decode after this must seek
        if (!m_keyframes.empty()) {
            const int64_t nearest = planned;
            if (av_seek_frame(m_fmt, m_index, nearest, AVSEEK_FLAG_BACKWARD) < 0)
                return false;
            if (!readKeyPacket(chosen.get()))
                return false;
        } else {
            // No index: the keyframe before the target, and the next one if it is nearer. Some
            // demuxers (MPEG-TS) land after the target: seek earlier until before it.
            for (double back : {0.0, 2.0, 6.0, 20.0}) {
                av_packet_unref(chosen.get());
                const int64_t at = target - toTicks(back);
                if (av_seek_frame(m_fmt, m_index, at, AVSEEK_FLAG_BACKWARD) < 0)
                    return false;
                if (!readKeyPacket(chosen.get()))
                    return false;
                const int64_t t = packetTime(chosen.get());
                if (t == AV_NOPTS_VALUE || t <= target || at <= m_o.start)
                    break;
            }
            const int64_t before = packetTime(chosen.get());
            if (before < target) {
                PacketPtr next(av_packet_alloc());
                for (int n = 0; next && n < 2000; ++n) {
                    if (av_read_frame(m_fmt, next.get()) < 0)
                        break;
                    if (next->stream_index != m_index) {
                        av_packet_unref(next.get());
                        continue;
                    }
                    const int64_t t = packetTime(next.get());
                    if (t != AV_NOPTS_VALUE && t - target > target - before) {
                        av_packet_unref(next.get());
                        break;
                    }
                    if ((next->flags & AV_PKT_FLAG_KEY) && t != AV_NOPTS_VALUE) {
                        av_packet_unref(chosen.get());
                        av_packet_move_ref(chosen.get(), next.get());
                        break;
                    }
                    av_packet_unref(next.get());
                }
            }
        }
        const int64_t chosenTime = packetTime(chosen.get());
        m_chosenTime = chosenTime;
        if (chosenTime != AV_NOPTS_VALUE && taken.count(chosenTime))
            return false;

        // Decode that one packet: send it, drain, and reset the decoder for the next use.
        avcodec_flush_buffers(m_dec.get());
        m_positioned = false;
        m_lastPts = AV_NOPTS_VALUE;
        int r = avcodec_send_packet(m_dec.get(), chosen.get());
        if (r < 0)
            noteDecodeError(r);
        avcodec_send_packet(m_dec.get(), nullptr);
        bool got = false;
        while (true) {
            r = avcodec_receive_frame(m_dec.get(), m_frame.get());
            if (r < 0)
                break;
            if (!got) {
                av_frame_unref(m_last.get());
                av_frame_move_ref(m_last.get(), m_frame.get());
                got = true;
            } else {
                av_frame_unref(m_frame.get());
            }
        }
        if (r != AVERROR_EOF && r != AVERROR(EAGAIN))
            noteDecodeError(r);
        avcodec_flush_buffers(m_dec.get());
        if (!got)
            return false;
        m_lastPts = framePts(m_last.get());
        return m_lastPts != AV_NOPTS_VALUE && !taken.count(m_lastPts);
    }

    // m_last as an RGB image, scaled to maxPixels, rotated as the metadata says.
    QImage lastImage()
    {
        const AVFrame *f = m_last.get();
        if (f->width <= 0 || f->height <= 0)
            return {};
        int width = f->width;
        if (m_o.sar.num > 0 && m_o.sar.den > 0 && m_o.sar.num != m_o.sar.den)
            width = std::max(1, int(std::lround(double(f->width) * av_q2d(m_o.sar))));
        const QSize out = fitToMaxPixels(QSize(width, f->height), m_options.maxPixels);
        const bool sameSize = out == QSize(f->width, f->height);
        m_sws = sws_getCachedContext(m_sws, f->width, f->height, AVPixelFormat(f->format),
                                     out.width(), out.height(), AV_PIX_FMT_RGB24,
                                     sameSize ? SWS_POINT : SWS_BICUBIC, nullptr, nullptr, nullptr);
        if (!m_sws)
            return {};
        QImage image(out, QImage::Format_RGB888);
        if (image.isNull())
            return {};
        uint8_t *dst[4] = {image.bits(), nullptr, nullptr, nullptr};
        int dstStride[4] = {int(image.bytesPerLine()), 0, 0, 0};
        sws_scale(m_sws, f->data, f->linesize, 0, f->height, dst, dstStride);
        if (m_o.info.mirrored)
            image = image.mirrored(true, false);
        if (m_o.info.rotation != 0)
            image = image.transformed(QTransform().rotate(m_o.info.rotation));
        return image;
    }

    [[nodiscard]] bool lastIsKey() const { return frameIsKey(m_last.get()); }
    [[nodiscard]] int64_t lastPts() const { return m_lastPts; }
    [[nodiscard]] const QString &problem() const { return m_problem; }
    [[nodiscard]] int decodeErrors() const { return m_decodeErrors; }
    [[nodiscard]] const QString &lastDecodeError() const { return m_lastDecodeError; }
    [[nodiscard]] bool wasCancelled() const { return m_cancelled; }

private:
    QString endedProblem(int64_t target, int64_t end) const
    {
        return QCoreApplication::translate("flowbench::media::Keyframes",
                                           "no frame at %1 s: the video data ends at %2 s (the "
                                           "file is truncated or damaged)")
            .arg(toSeconds(target), 0, 'f', 3)
            .arg(toSeconds(end), 0, 'f', 3);
    }

    int64_t toTicks(double seconds) const
    {
        return int64_t(std::llround(seconds / av_q2d(m_st->time_base)));
    }

    static int64_t packetTime(const AVPacket *p)
    {
        return p->pts != AV_NOPTS_VALUE ? p->pts : p->dts;
    }

    void noteDecodeError(int r)
    {
        ++m_decodeErrors;
        m_lastDecodeError = avErrorText(r);
    }

    // The next packet of our stream that is a keyframe (after a seek).
    bool readKeyPacket(AVPacket *into)
    {
        for (int n = 0; n < 5000; ++n) {
            const int r = av_read_frame(m_fmt, into);
            if (r < 0)
                return false;
            if (into->stream_index == m_index && (into->flags & AV_PKT_FLAG_KEY))
                return true;
            av_packet_unref(into);
        }
        return false;
    }

    bool seekTo(int64_t target, bool fromStart = false)
    {
        int r = -1;
        if (fromStart)
            r = avformat_seek_file(m_fmt, -1, INT64_MIN, 0, 0, 0);
        if (r < 0)
            r = av_seek_frame(m_fmt, m_index, target, AVSEEK_FLAG_BACKWARD);
        if (r < 0)
            r = avformat_seek_file(m_fmt, m_index, INT64_MIN, target, target, 0);
        if (r < 0) // decode from the start: slow, but it works for streams that cannot seek
            r = av_seek_frame(m_fmt, m_index, m_o.start, AVSEEK_FLAG_BACKWARD | AVSEEK_FLAG_ANY);
        if (r < 0) {
            m_problem = QCoreApplication::translate("flowbench::media::Keyframes",
                                                    "cannot seek to %1 s (%2)")
                            .arg(toSeconds(target), 0, 'f', 3)
                            .arg(avErrorText(r));
            return false;
        }
        avcodec_flush_buffers(m_dec.get());
        m_positioned = true;
        m_demuxEof = false;
        m_lastPts = AV_NOPTS_VALUE;
        m_firstPts = AV_NOPTS_VALUE;
        av_frame_unref(m_last.get());
        return true;
    }

    bool decodeUntil(int64_t target)
    {
        int errorsInARow = 0;
        while (true) {
            if (cancelled()) {
                m_cancelled = true;
                return false;
            }
            int r = avcodec_receive_frame(m_dec.get(), m_frame.get());
            if (r == 0) {
                errorsInARow = 0;
                int64_t pts = framePts(m_frame.get());
                if (pts == AV_NOPTS_VALUE)
                    pts = m_lastPts == AV_NOPTS_VALUE ? m_o.start : m_lastPts + 1;
                av_frame_unref(m_last.get());
                av_frame_move_ref(m_last.get(), m_frame.get());
                m_lastPts = pts;
                if (m_firstPts == AV_NOPTS_VALUE)
                    m_firstPts = pts;
                if (pts >= target)
                    return true;
                continue;
            }
            if (r == AVERROR_EOF) {
                m_positioned = false;
                if (m_lastPts != AV_NOPTS_VALUE
                    && (m_knownEnd == AV_NOPTS_VALUE || m_lastPts > m_knownEnd))
                    m_knownEnd = m_lastPts;
                // The stream ended: the last frame counts when it is close to the target (the
                // target lies within the last frame's display time); otherwise the file is
                // shorter than its header says.
                if (m_lastPts != AV_NOPTS_VALUE
                    && toSeconds(target) - toSeconds(m_lastPts) <= m_endTolerance)
                    return true;
                m_problem = m_lastPts == AV_NOPTS_VALUE
                                ? QCoreApplication::translate("flowbench::media::Keyframes",
                                                              "no frame could be decoded near %1 s")
                                      .arg(toSeconds(target), 0, 'f', 3)
                                : endedProblem(target, m_lastPts);
                return false;
            }
            if (r != AVERROR(EAGAIN)) {
                noteDecodeError(r);
                if (++errorsInARow > 1000) {
                    m_problem = m_lastDecodeError;
                    return false;
                }
            }
            if (m_demuxEof) {
                // Drain was requested; the decoder should report EOF. Guard against a decoder
                // that keeps asking for input.
                if (++errorsInARow > 1000) {
                    m_problem = QCoreApplication::translate("flowbench::media::Keyframes",
                                                            "the decoder did not finish");
                    return false;
                }
                avcodec_send_packet(m_dec.get(), nullptr);
                continue;
            }
            r = av_read_frame(m_fmt, m_packet.get());
            if (r < 0) {
                if (r != AVERROR_EOF)
                    noteDecodeError(r);
                m_demuxEof = true;
                avcodec_send_packet(m_dec.get(), nullptr);
                continue;
            }
            if (m_packet->stream_index != m_index) {
                av_packet_unref(m_packet.get());
                continue;
            }
            r = avcodec_send_packet(m_dec.get(), m_packet.get());
            av_packet_unref(m_packet.get());
            if (r < 0 && r != AVERROR(EAGAIN))
                noteDecodeError(r);
        }
    }

    Opened &m_o;
    const KeyframeOptions &m_options;
    AVFormatContext *m_fmt;
    AVStream *m_st;
    int m_index;
    CodecPtr m_dec;
    PacketPtr m_packet;
    FramePtr m_frame;
    FramePtr m_last;
    SwsContext *m_sws = nullptr;
    const std::atomic<bool> *m_stop = nullptr;
    int64_t m_chosenTime = AV_NOPTS_VALUE;
    std::vector<int64_t> m_keyframes; // from the index, sorted
    bool m_positioned = false;        // the decoder continues from m_lastPts without a seek
    bool m_demuxEof = false;
    bool m_cancelled = false;
    int64_t m_lastPts = AV_NOPTS_VALUE;
    int64_t m_firstPts = AV_NOPTS_VALUE; // the first frame decoded since the last seek
    int64_t m_knownEnd = AV_NOPTS_VALUE; // the last frame before the end of the data, once met
    double m_endTolerance = 0.5;
    int m_decodeErrors = 0;
    QString m_lastDecodeError;
    QString m_problem;
};

tl::unexpected<Error> cancelledError()
{
    return makeError(QStringLiteral("media.cancelled"),
                     QCoreApplication::translate("flowbench::media::Keyframes",
                                                 "Keyframe extraction was cancelled"));
}

// One decoded frame (or why there is none), ready to go into the set.
struct Capture
{
    bool ok = false;
    int64_t pts = AV_NOPTS_VALUE;
    bool keyframe = false;
    QImage image;
    QString problem;
};

Capture captureFrame(Extractor &extractor, bool ok)
{
    Capture c;
    c.ok = ok;
    if (ok) {
        c.pts = extractor.lastPts();
        c.keyframe = extractor.lastIsKey();
        c.image = extractor.lastImage();
    } else {
        c.problem = extractor.problem();
    }
    return c;
}

// Parallel extraction: the sorted targets are split into contiguous groups that never split the
// targets after one keyframe (so each group decodes exactly what the sequential loop would), and
// every group gets its own demuxer and decoder. Fast mode's "no repeated frame" rule needs the
// frames taken before: the groups decode candidates (the planned snap, else the exact frame) and
// the merge, in timestamp order, applies the rule as the sequential loop does, decoding the rare
// replacement on the calling thread.
struct TargetRange
{
    int begin = 0;
    int end = 0; // exclusive
};

// Below this many frames to decode in all, one decoder is as quick as several.
constexpr double kMinParallelFrames = 90;
constexpr int kMaxParallelGroups = 4;

std::vector<TargetRange> parallelGroups(const Extractor &extractor,
                                        const std::vector<int64_t> &targets,
                                        const std::vector<int64_t> &plan, KeyframeMode mode)
{
    const std::vector<int64_t> &keys = extractor.keyframes();
    const int ideal = QThread::idealThreadCount();
    if (keys.size() < 2 || targets.size() < 2 || ideal < 2
        || qEnvironmentVariableIsSet("FLOWBENCH_KEYFRAMES_SEQUENTIAL"))
        return {};
    const double fps = extractor.frameRate() > 0 ? extractor.frameRate() : 25.0;
    struct Unit
    {
        TargetRange range;
        size_t key = 0;
        int64_t lastExact = AV_NOPTS_VALUE;
        int snaps = 0;
        double cost = 0; // frames to decode
    };
    std::vector<Unit> units;
    for (size_t i = 0; i < targets.size(); ++i) {
        auto it = std::upper_bound(keys.begin(), keys.end(), targets[i]);
        const size_t key = it == keys.begin() ? 0 : size_t(std::prev(it) - keys.begin());
        if (units.empty() || units.back().key != key)
            units.push_back({{int(i), int(i)}, key});
        Unit &u = units.back();
        u.range.end = int(i) + 1;
        if (mode == KeyframeMode::Fast && plan[i] != AV_NOPTS_VALUE)
            ++u.snaps;
        else
            u.lastExact = targets[i];
    }
    double total = 0;
    for (Unit &u : units) {
        u.cost = u.snaps;
        if (u.lastExact != AV_NOPTS_VALUE)
            u.cost += 1
                      + std::max(0.0, extractor.toSeconds(u.lastExact)
                                          - extractor.toSeconds(keys[u.key]))
                            * fps;
        total += u.cost;
    }
    const int k = std::min({ideal, int(units.size()), kMaxParallelGroups});
    if (k < 2 || total < kMinParallelFrames)
        return {};
    std::vector<TargetRange> groups;
    double done = 0;
    size_t first = 0;
    for (size_t u = 0; u + 1 < units.size() && int(groups.size()) < k - 1; ++u) {
        done += units[u].cost;
        const size_t unitsLeft = units.size() - 1 - u;
        const size_t groupsLeft = size_t(k) - groups.size() - 1;
        if (done >= total * double(groups.size() + 1) / k || unitsLeft == groupsLeft) {
            groups.push_back({units[first].range.begin, units[u].range.end});
            first = u + 1;
        }
    }
    groups.push_back({units[first].range.begin, units.back().range.end});
    return groups;
}

struct Candidate
{
    bool snapTried = false;
    bool snapOk = false;
    int64_t chosenTime = AV_NOPTS_VALUE;
    Capture snap;
    bool exactDone = false;
    Capture exact;
};

struct ParallelOutcome
{
    bool cancelled = false;
    std::vector<Capture> frames; // per target
    std::vector<bool> snapped;
    int decodeErrors = 0;
    QString lastDecodeError;
};

// nullopt: a group could not open the file; the caller goes sequential.
std::optional<ParallelOutcome> extractParallel(const QString &path, const KeyframeOptions &options,
                                               Extractor &mainExtractor,
                                               const std::vector<int64_t> &targets,
                                               const std::vector<int64_t> &plan,
                                               const std::vector<TargetRange> &groups)
{
    const int count = int(targets.size());
    const int k = int(groups.size());
    const bool fast = options.mode == KeyframeMode::Fast;
    std::vector<Candidate> candidates(targets.size());
    struct GroupState
    {
        bool openFailed = false;
        bool cancelled = false;
        int decodeErrors = 0;
        QString lastDecodeError;
    };
    std::vector<GroupState> states(groups.size());
    std::atomic<bool> stop{false};
    bool userStop = false;
    std::atomic<int> done{0};
    std::atomic<int> finished{0};
    std::mutex mutex;
    std::condition_variable changed;
    const int threads = std::max(1, QThread::idealThreadCount() / k);
    auto notify = [&] {
        std::lock_guard lock(mutex);
        changed.notify_all();
    };

    auto runGroup = [&](int g) {
        GroupState &state = states[size_t(g)];
        auto work = [&] {
            auto opened = openVideo(path);
            if (!opened) {
                state.openFailed = true;
                return;
            }
            Extractor extractor(*opened, options);
            extractor.setStop(&stop);
            if (!extractor.open(threads)) {
                state.openFailed = true;
                return;
            }
            const std::set<int64_t> none;
            for (int i = groups[size_t(g)].begin; i < groups[size_t(g)].end; ++i) {
                if (extractor.cancelled()) {
                    state.cancelled = true;
                    break;
                }
                Candidate &c = candidates[size_t(i)];
                if (fast && plan[size_t(i)] != AV_NOPTS_VALUE) {
                    c.snapTried = true;
                    c.snapOk
                        = extractor.decodeNearestKey(targets[size_t(i)], plan[size_t(i)], none);
                    c.chosenTime = extractor.chosenTime();
                    if (c.snapOk)
                        c.snap = captureFrame(extractor, true);
                }
                if (!c.snapOk) {
                    const bool ok = extractor.decodeExact(targets[size_t(i)]);
                    if (extractor.wasCancelled()) {
                        state.cancelled = true;
                        break;
                    }
                    c.exact = captureFrame(extractor, ok);
                    c.exactDone = true;
                }
                done.fetch_add(1);
                notify();
            }
            state.decodeErrors = extractor.decodeErrors();
            state.lastDecodeError = extractor.lastDecodeError();
        };
        work();
        if (state.openFailed)
            stop = true;
        finished.fetch_add(1);
        notify();
    };

    QThreadPool pool; // our own: the callers' pool may be busy (or be running this very call)
    pool.setMaxThreadCount(k);
    std::vector<QFuture<void>> futures;
    for (int g = 0; g < k; ++g)
        futures.push_back(QtConcurrent::run(&pool, runGroup, g));

    // Progress and cancellation on the calling thread while the groups decode.
    int reported = 0; // progress(0, count) was called before
    while (true) {
        {
            std::unique_lock lock(mutex);
            changed.wait_for(lock, std::chrono::milliseconds(20), [&] {
                return finished.load() == k
                       || (!userStop && std::min(done.load(), count - 1) > reported);
            });
        }
        if (options.cancel && options.cancel->load(std::memory_order_relaxed))
            userStop = true;
        const int now = std::min(done.load(), count - 1);
        while (!userStop && !stop && reported < now) {
            ++reported;
            if (options.progress && !options.progress(reported, count))
                userStop = true;
        }
        if (userStop)
            stop = true;
        if (finished.load() == k)
            break;
    }
    for (QFuture<void> &f : futures)
        f.waitForFinished();

    ParallelOutcome out;
    bool openFailed = false;
    for (const GroupState &state : states) {
        openFailed = openFailed || state.openFailed;
        out.decodeErrors += state.decodeErrors;
        if (state.decodeErrors > 0)
            out.lastDecodeError = state.lastDecodeError;
    }
    if (userStop || (options.cancel && options.cancel->load())) {
        out.cancelled = true;
        return out;
    }
    if (openFailed)
        return std::nullopt;

    // The merge, in timestamp order, as the sequential loop decides.
    std::set<int64_t> taken;
    out.frames.resize(targets.size());
    out.snapped.resize(targets.size(), false);
    const int errorsBefore = mainExtractor.decodeErrors();
    auto exactNow = [&](int64_t target) {
        const bool ok = mainExtractor.decodeExact(target);
        return captureFrame(mainExtractor, ok);
    };
    for (size_t i = 0; i < targets.size(); ++i) {
        if (mainExtractor.cancelled()) {
            out.cancelled = true;
            return out;
        }
        const Candidate &c = candidates[i];
        Capture frame;
        if (c.snapOk && !(c.chosenTime != AV_NOPTS_VALUE && taken.count(c.chosenTime))
            && !taken.count(c.snap.pts)) {
            frame = c.snap;
            out.snapped[i] = true;
        } else {
            frame = c.exactDone ? c.exact : exactNow(targets[i]);
            if (frame.ok && fast && taken.count(frame.pts))
                frame = exactNow(frame.pts + 1);
            if (mainExtractor.wasCancelled()) {
                out.cancelled = true;
                return out;
            }
        }
        if (frame.ok && !frame.image.isNull())
            taken.insert(frame.pts);
        out.frames[i] = std::move(frame);
    }
    if (mainExtractor.decodeErrors() > errorsBefore) {
        out.decodeErrors += mainExtractor.decodeErrors() - errorsBefore;
        out.lastDecodeError = mainExtractor.lastDecodeError();
    }
    return out;
}

} // namespace

int automaticKeyframeCount(double durationS)
{
    if (!(durationS > 0) || !std::isfinite(durationS))
        return 0;
    return std::clamp(int(std::floor(std::min(durationS, 1e6))), 1, kMaxAutoKeyframes);
}

std::vector<double> keyframeTimestamps(double durationS, int count)
{
    std::vector<double> times;
    if (count <= 0 || !(durationS > 0))
        return times;
    times.reserve(size_t(count));
    for (int i = 0; i < count; ++i)
        times.push_back((i + 0.5) * durationS / count);
    return times;
}

QSize fitToMaxPixels(QSize size, qint64 maxPixels)
{
    if (maxPixels <= 0 || size.isEmpty() || qint64(size.width()) * size.height() <= maxPixels)
        return size;
    const double factor = std::sqrt(double(maxPixels) / (double(size.width()) * size.height()));
    int w = std::max(1, int(std::floor(size.width() * factor)));
    int h = std::max(1, int(std::floor(size.height() * factor)));
    while (qint64(w) * h > maxPixels && (w > 1 || h > 1)) { // guard against rounding
        if (w >= h)
            --w;
        else
            --h;
    }
    return QSize(w, h);
}

QString keyframeModeName(KeyframeMode mode)
{
    return mode == KeyframeMode::Fast ? QStringLiteral("fast") : QStringLiteral("exact");
}

Result<VideoInfo> probeVideo(const QString &path)
{
    auto opened = openVideo(path);
    if (!opened)
        return tl::unexpected(opened.error());
    return opened->info;
}

Result<KeyframeSet> extractKeyframes(const QString &path, const KeyframeOptions &options)
{
    const QString shown = QDir::toNativeSeparators(path);
    if (options.count < 0 || options.count > kMaxKeyframes) {
        return makeError(QStringLiteral("media.bad-count"),
                         QCoreApplication::translate("flowbench::media::Keyframes",
                                                     "The frame count must be between 1 and %1")
                             .arg(kMaxKeyframes));
    }
    auto opened = openVideo(path);
    if (!opened)
        return tl::unexpected(opened.error());
    Extractor extractor(*opened, options);
    if (auto r = extractor.open(); !r)
        return tl::unexpected(r.error());

    KeyframeSet set;
    set.path = path;
    set.info = opened->info;
    set.mode = options.mode;
    const int count
        = options.count > 0 ? options.count : automaticKeyframeCount(opened->info.durationS);
    set.requested = count;
    const std::vector<double> times = keyframeTimestamps(opened->info.durationS, count);
    std::vector<int64_t> targets;
    for (double t : times)
        targets.push_back(extractor.toStream(t));
    const std::vector<int64_t> plan = options.mode == KeyframeMode::Fast
                                          ? extractor.planSnaps(targets)
                                          : std::vector<int64_t>(targets.size(), AV_NOPTS_VALUE);
    // Adds target i's frame, or the reason there is none; true when added.
    auto addFrame = [&](int i, Capture c, bool snapped) {
        if (!c.ok) {
            set.problems << QCoreApplication::translate("flowbench::media::Keyframes",
                                                        "frame %1 (%2 s): %3")
                                .arg(i + 1)
                                .arg(times[size_t(i)], 0, 'f', 3)
                                .arg(c.problem);
            return false;
        }
        if (c.image.isNull()) {
            set.problems << QCoreApplication::translate("flowbench::media::Keyframes",
                                                        "frame %1 (%2 s): cannot convert the "
                                                        "picture")
                                .arg(i + 1)
                                .arg(times[size_t(i)], 0, 'f', 3);
            return false;
        }
        Keyframe frame;
        frame.index = i + 1;
        frame.timestampS = times[size_t(i)];
        frame.ptsS = extractor.toSeconds(c.pts);
        frame.keyframe = c.keyframe;
        frame.snapped = snapped;
        frame.image = std::move(c.image);
        set.frames.push_back(std::move(frame));
        return true;
    };
    int decodeErrors = 0;
    QString lastDecodeError;
    bool parallelDone = false;
    if (const auto groups = parallelGroups(extractor, targets, plan, options.mode);
        groups.size() > 1) {
        if (extractor.cancelled() || (options.progress && !options.progress(0, count)))
            return cancelledError();
        auto outcome = extractParallel(path, options, extractor, targets, plan, groups);
        if (outcome) {
            if (outcome->cancelled)
                return cancelledError();
            for (int i = 0; i < count; ++i)
                addFrame(i, std::move(outcome->frames[size_t(i)]), outcome->snapped[size_t(i)]);
            decodeErrors = outcome->decodeErrors;
            lastDecodeError = outcome->lastDecodeError;
            parallelDone = true;
        }
    }
    std::set<int64_t> taken;
    for (int i = 0; i < count && !parallelDone; ++i) {
        if (extractor.cancelled() || (options.progress && !options.progress(i, count)))
            return cancelledError();
        const int64_t target = targets[size_t(i)];
        bool snapped = false;
        bool ok = false;
        if (options.mode == KeyframeMode::Fast)
            ok = snapped = extractor.decodeNearestKey(target, plan[size_t(i)], taken);
        if (!ok) {
            ok = extractor.decodeExact(target);
            // Fast mode never repeats a frame: where the exact frame was taken by a snap (an
            // index-less file), take the one after it.
            if (ok && options.mode == KeyframeMode::Fast && taken.count(extractor.lastPts()))
                ok = extractor.decodeExact(extractor.lastPts() + 1);
        }
        if (extractor.wasCancelled())
            return cancelledError();
        const Capture c = captureFrame(extractor, ok);
        if (addFrame(i, c, snapped))
            taken.insert(c.pts);
    }
    if (options.progress)
        options.progress(count, count);
    if (!parallelDone) {
        decodeErrors = extractor.decodeErrors();
        lastDecodeError = extractor.lastDecodeError();
    }
    if (decodeErrors > 0) {
        set.problems << QCoreApplication::translate("flowbench::media::Keyframes",
                                                    "%n decoding error(s), the last: %1", nullptr,
                                                    decodeErrors)
                            .arg(lastDecodeError);
    }
    if (!set.complete() && !options.allowPartial) {
        return makeError(QStringLiteral("media.decode"),
                         QCoreApplication::translate("flowbench::media::Keyframes",
                                                     "%1: %2 of %3 frames could not be decoded "
                                                     "(%4)")
                             .arg(shown, QString::number(count - int(set.frames.size())),
                                  QString::number(count), set.problems.join(QStringLiteral("; "))));
    }
    return set;
}

} // namespace flowbench::media

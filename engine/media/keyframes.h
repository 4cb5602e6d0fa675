#pragma once

#include "core/result.h"

#include <QImage>
#include <QMetaType>
#include <QSize>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <vector>

// Video keyframes for multimodal prompts, decoded in-process with FFmpeg's libraries
// (libavformat/libavcodec/libswscale; no subprocess, no hardware decoding).
//
// Timestamps: `count` points spread uniformly over the duration, each in the middle of its
// slice: t_i = (i + 0.5) * duration / count, i = 0 .. count-1 (seconds from the start of the
// video stream). The automatic count is min(floor(duration_s), 30), and 1 for a video shorter
// than one second.
//
// Modes:
//  - Exact: seeks to the keyframe at or before t_i and decodes forward to the first frame whose
//    presentation time is >= t_i (pts-based, so variable frame rate works). Targets in the same
//    GOP are decoded without seeking again.
//  - Fast: snaps to the keyframe nearest t_i and decodes only that keyframe; where the snap
//    would repeat a frame already taken, that timestamp falls back to exact decoding.
//
// Rotation metadata (the display matrix) is applied to the images, and so is a non-square
// sample aspect ratio; `maxPixels` scales the result down keeping the aspect.
//
// Threading: every function is reentrant (its own decoders per call) and blocks; call it from a
// worker thread for long files. The progress callback runs on the calling thread. Where the
// targets fall in several GOPs and there is much to decode (a complete index, long GOPs), the
// targets are split into contiguous groups by GOP, each decoded with its own demuxer and decoder
// on a private thread pool (up to 4, at most one per core); the result is the same as the
// sequential decode's. FLOWBENCH_KEYFRAMES_SEQUENTIAL=1 in the environment turns that off.
//
//     media::KeyframeOptions options;
//     options.mode = media::KeyframeMode::Fast;
//     options.maxPixels = 1280 * 720;
//     auto frames = media::extractKeyframes(path, options);
//     if (!frames)
//         showError(frames.error().message);
namespace flowbench::media {

enum class KeyframeMode { Exact, Fast };

// The largest automatic count, and the largest count a caller may choose.
constexpr int kMaxAutoKeyframes = 30;
constexpr int kMaxKeyframes = 1000;

struct KeyframeOptions
{
    int count = 0; // 0: automatic (min(floor(duration_s), 30), at least 1); else 1..kMaxKeyframes
    KeyframeMode mode = KeyframeMode::Exact;
    qint64 maxPixels = 0; // 0: full size; else width*height <= maxPixels, aspect kept
    // Called before each frame and after the last one with (done, total); return false to cancel.
    std::function<bool(int done, int total)> progress;
    const std::atomic<bool> *cancel = nullptr; // set to true from any thread to cancel
    // When some frames cannot be decoded (a damaged or truncated file), the call fails unless
    // this is true; then the frames that could be decoded are returned with `problems` filled.
    bool allowPartial = false;
};

struct VideoInfo
{
    double durationS = 0;
    QSize codedSize;   // as stored
    QSize displaySize; // after sample aspect ratio and rotation
    int rotation = 0;  // clockwise degrees applied to the frames: 0, 90, 180 or 270
    bool mirrored = false;
    double frameRate = 0; // average; 0 when unknown
    QString codec;        // decoder name: "h264", "hevc", ...
    QString container;    // demuxer name: "mov,mp4,m4a,3gp,3g2,mj2", ...
};

struct Keyframe
{
    int index = 0;         // 1-based, in timestamp order
    double timestampS = 0; // the requested time
    double ptsS = 0;       // the presentation time of the frame taken
    bool keyframe = false; // the frame is a keyframe (I/IDR) of the stream
    bool snapped = false;  // Fast mode took the nearest keyframe (false: decoded exactly)
    QImage image;          // RGB888, rotated, scaled to maxPixels
};

struct KeyframeSet
{
    QString path;
    VideoInfo info;
    KeyframeMode mode = KeyframeMode::Exact;
    int requested = 0;            // how many timestamps were asked for
    std::vector<Keyframe> frames; // == requested unless allowPartial and problems
    QStringList problems;         // decode errors and frames that could not be decoded
    [[nodiscard]] bool complete() const { return int(frames.size()) == requested; }
};

// min(floor(durationS), 30); 1 for 0 < durationS < 1; 0 when durationS <= 0.
[[nodiscard]] int automaticKeyframeCount(double durationS);
// t_i = (i + 0.5) * durationS / count.
[[nodiscard]] std::vector<double> keyframeTimestamps(double durationS, int count);
// Width and height scaled down (never up) so that width * height <= maxPixels, aspect kept;
// maxPixels <= 0 leaves the size alone.
[[nodiscard]] QSize fitToMaxPixels(QSize size, qint64 maxPixels);

[[nodiscard]] QString keyframeModeName(KeyframeMode mode); // "exact" | "fast"

// Opens the file and reads its video stream's properties. Error codes: media.not-found,
// media.empty, media.unreadable, media.unsupported (not a media file, or damaged beyond
// opening), media.no-video (audio only), media.no-duration, media.no-decoder.
[[nodiscard]] Result<VideoInfo> probeVideo(const QString &path);

// Extracts the keyframes. Error codes: those of probeVideo, plus media.bad-count,
// media.cancelled, media.decode (some frames could not be decoded; the message says which and
// why).
[[nodiscard]] Result<KeyframeSet> extractKeyframes(const QString &path,
                                                   const KeyframeOptions &options = {});

} // namespace flowbench::media

Q_DECLARE_METATYPE(flowbench::media::KeyframeSet)

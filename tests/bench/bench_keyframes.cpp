// Keyframe extraction figures: 30 frames from a 120 s 1080p H.264 clip at GOP 30 and at GOP 250,
// in exact and fast mode, beside the same frames taken the way scripts do it: one
// `ffmpeg -ss T -i clip -frames:v 1 out.jpg` process per frame.
//
//   bench_keyframes [--frames N] [--seconds S] [--repeats R] [--no-loop]
//
// The clips are generated once with the ffmpeg CLI (testsrc2, libx264 -preset ultrafast) and
// cached in /tmp/flowbench-bench-keyframes. Goals: exact <= 1.5 s at GOP 30, fast <= 0.5 s,
// and >= 3x faster than the per-frame ffmpeg loop (compared with JPEG writing included, since
// the loop writes JPEGs too).
#include "media/keyframes.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImageWriter>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QtConcurrent/QtConcurrentMap>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>

using namespace flowbench::media;

namespace {

QString g_ffmpeg;

// CPU seconds (user + system) of this process, or of its finished children.
double cpuSeconds(int who)
{
    rusage usage{};
    getrusage(who, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
           + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

bool runFfmpeg(const QStringList &args, int timeoutMs = 600000)
{
    QProcess p;
    p.start(g_ffmpeg, QStringList{QStringLiteral("-v"), QStringLiteral("error"),
                                  QStringLiteral("-nostdin"), QStringLiteral("-y")}
                          + args);
    if (!p.waitForFinished(timeoutMs) || p.exitCode() != 0) {
        std::fprintf(stderr, "ffmpeg failed: %s\n", p.readAllStandardError().constData());
        return false;
    }
    return true;
}

QString clipFor(int gop, int seconds)
{
    const QString dir = QStringLiteral("/tmp/flowbench-bench-keyframes");
    QDir().mkpath(dir);
    const QString file
        = QStringLiteral("%1/testsrc2_1080p_%2s_gop%3.mp4").arg(dir).arg(seconds).arg(gop);
    if (QFileInfo(file).size() > 0)
        return file;
    std::fprintf(stderr, "generating %s ...\n", qPrintable(file));
    const QString partial = file + QStringLiteral(".part.mp4");
    if (!runFfmpeg({QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                    QStringLiteral("testsrc2=size=1920x1080:rate=30:duration=%1").arg(seconds),
                    QStringLiteral("-c:v"), QStringLiteral("libx264"), QStringLiteral("-preset"),
                    QStringLiteral("ultrafast"), QStringLiteral("-g"), QString::number(gop),
                    QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p"), partial})
        || !QFile::rename(partial, file)) {
        QFile::remove(partial);
        return {};
    }
    return file;
}

struct Figures
{
    double decodeS = 0; // extractKeyframes to QImages
    double totalS = 0;  // plus writing the JPEGs (in parallel, as `flowbench keyframes` does)
    double cpuS = 0;    // CPU seconds of the whole (all threads)
    int snapped = 0;
    double maxLagS = 0; // exact: worst pts - timestamp
    bool ok = false;
};

Figures measure(const QString &clip, KeyframeMode mode, int frames, int repeats)
{
    Figures best;
    for (int r = 0; r < repeats; ++r) {
        QTemporaryDir out;
        QElapsedTimer timer;
        const double cpu0 = cpuSeconds(RUSAGE_SELF);
        timer.start();
        KeyframeOptions options;
        options.count = frames;
        options.mode = mode;
        auto set = extractKeyframes(clip, options);
        const double decode = timer.nsecsElapsed() / 1e9;
        if (!set) {
            std::fprintf(stderr, "%s\n", qPrintable(set.error().message));
            return best;
        }
        QtConcurrent::blockingMap(set->frames, [&out](const Keyframe &f) {
            QImageWriter writer(out.filePath(QStringLiteral("frame_%1.jpg").arg(f.index)), "jpeg");
            writer.setQuality(90);
            writer.write(f.image);
        });
        const double total = timer.nsecsElapsed() / 1e9;
        const double cpu = cpuSeconds(RUSAGE_SELF) - cpu0;
        if (!best.ok || total < best.totalS) {
            best.ok = true;
            best.decodeS = decode;
            best.totalS = total;
            best.cpuS = cpu;
            best.snapped = 0;
            best.maxLagS = 0;
            for (const Keyframe &f : set->frames) {
                best.snapped += f.snapped ? 1 : 0;
                best.maxLagS = std::max(best.maxLagS, f.ptsS - f.timestampS);
            }
        }
    }
    return best;
}

// Wall seconds; *cpu gets the children's CPU seconds.
double ffmpegLoop(const QString &clip, const std::vector<double> &times, double *cpu)
{
    QTemporaryDir out;
    const double cpu0 = cpuSeconds(RUSAGE_CHILDREN);
    QElapsedTimer timer;
    timer.start();
    for (size_t i = 0; i < times.size(); ++i) {
        if (!runFfmpeg({QStringLiteral("-ss"), QString::number(times[i], 'f', 3),
                        QStringLiteral("-i"), clip, QStringLiteral("-frames:v"),
                        QStringLiteral("1"), QStringLiteral("-q:v"), QStringLiteral("2"),
                        out.filePath(QStringLiteral("out_%1.jpg").arg(i + 1))}))
            return -1;
    }
    *cpu = cpuSeconds(RUSAGE_CHILDREN) - cpu0;
    return timer.nsecsElapsed() / 1e9;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int frames = 30;
    int seconds = 120;
    int repeats = 3;
    bool loop = true;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--frames") && i + 1 < args.size())
            frames = args[++i].toInt();
        else if (args[i] == QLatin1String("--seconds") && i + 1 < args.size())
            seconds = args[++i].toInt();
        else if (args[i] == QLatin1String("--repeats") && i + 1 < args.size())
            repeats = std::max(1, args[++i].toInt());
        else if (args[i] == QLatin1String("--no-loop"))
            loop = false;
    }
    g_ffmpeg = QStandardPaths::findExecutable(QStringLiteral("ffmpeg"));
    if (g_ffmpeg.isEmpty()) {
        std::fprintf(stderr, "bench_keyframes: the ffmpeg command is needed to make the clips\n");
        return 1;
    }
    std::printf("bench_keyframes: %d frames of a %d s 1920x1080 H.264 clip (testsrc2, x264 "
                "ultrafast), %d cores, best of %d\n",
                frames, seconds, QThread::idealThreadCount(), repeats);
    std::printf("(decode_s: to images; total_s: with the JPEGs written; cpu_s: CPU seconds, all "
                "threads; loop: one ffmpeg process per frame; ratio: loop/total, wall and CPU)\n");
    std::printf("%-5s %-6s %8s %8s %7s %8s %7s %7s %7s %7s %6s  %s\n", "GOP", "mode", "decode_s",
                "total_s", "cpu_s", "loop_s", "loopcpu", "ratio", "cpurat", "snapped", "lag_s",
                "goal");
    for (int gop : {30, 250}) {
        const QString clip = clipFor(gop, seconds);
        if (clip.isEmpty())
            return 1;
        auto info = probeVideo(clip);
        if (!info) {
            std::fprintf(stderr, "%s\n", qPrintable(info.error().message));
            return 1;
        }
        const std::vector<double> times = keyframeTimestamps(info->durationS, frames);
        double loopCpuS = 0;
        const double loopS = loop ? ffmpegLoop(clip, times, &loopCpuS) : -1;
        for (KeyframeMode mode : {KeyframeMode::Exact, KeyframeMode::Fast}) {
            const Figures f = measure(clip, mode, frames, repeats);
            if (!f.ok)
                return 1;
            const double ratio = loopS > 0 ? loopS / f.totalS : 0;
            QString goal;
            if (mode == KeyframeMode::Exact && gop == 30)
                goal = QStringLiteral("exact <= 1.5 s: %1")
                           .arg(f.totalS <= 1.5 ? QStringLiteral("met") : QStringLiteral("MISSED"));
            else if (mode == KeyframeMode::Fast)
                goal = QStringLiteral("fast <= 0.5 s: %1")
                           .arg(f.totalS <= 0.5 ? QStringLiteral("met") : QStringLiteral("MISSED"));
            if (loopS > 0)
                goal += QStringLiteral("%1>= 3x loop: %2")
                            .arg(goal.isEmpty() ? QString() : QStringLiteral("; "),
                                 ratio >= 3 ? QStringLiteral("met") : QStringLiteral("MISSED"));
            const double cpuRatio = loopS > 0 && f.cpuS > 0 ? loopCpuS / f.cpuS : 0;
            std::printf(
                "%-5d %-6s %8.3f %8.3f %7.3f %8.3f %7.3f %6.1fx %6.1fx %4d/%-2d %6.3f  %s\n", gop,
                qPrintable(keyframeModeName(mode)), f.decodeS, f.totalS, f.cpuS, loopS, loopCpuS,
                ratio, cpuRatio, f.snapped, frames, f.maxLagS, qPrintable(goal));
            std::fflush(stdout);
        }
    }
    return 0;
}

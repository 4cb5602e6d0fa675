// `flowbench keyframes VIDEO --count N|auto --mode exact|fast --out DIR [--max-pixels P]`:
// keyframes of a video as JPEG files, with their timestamps as one JSON object on stdout.
#include "cli.h"

#include "media/keyframes.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QImageWriter>
#include <QtConcurrent/QtConcurrentMap>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

#ifdef Q_OS_WIN
#include <io.h>
#define FB_ISATTY _isatty
#define FB_FILENO _fileno
#else
#include <unistd.h>
#define FB_ISATTY isatty
#define FB_FILENO fileno
#endif

namespace flowbench::app {

namespace {

void keyframesUsage(FILE *to)
{
    std::fprintf(to,
                 "usage: flowbench keyframes VIDEO [--count N|auto] [--mode exact|fast] --out DIR\n"
                 "                           [--max-pixels P] [--quality Q]\n"
                 "  writes DIR/frame_001.jpg ... and prints their timestamps as JSON\n");
}

void complain(const QString &text)
{
    std::fprintf(stderr, "flowbench keyframes: %s\n", text.toUtf8().constData());
}

double rounded(double seconds)
{
    return std::round(seconds * 1000.0) / 1000.0;
}

} // namespace

int keyframesCommand(const QStringList &args)
{
    QString video;
    QString outDir;
    media::KeyframeOptions options;
    int quality = 90;
    for (qsizetype i = 0; i < args.size(); ++i) {
        QString name = args.at(i);
        QString value;
        if (name == QLatin1String("--help") || name == QLatin1String("-h")) {
            keyframesUsage(stdout);
            return 0;
        }
        if (!name.startsWith(QLatin1String("--"))) {
            if (!video.isEmpty()) {
                complain(QCoreApplication::translate("flowbench::app::Keyframes",
                                                     "one video at a time (got %1 and %2)")
                             .arg(video, name));
                return 2;
            }
            video = name;
            continue;
        }
        const qsizetype eq = name.indexOf(QLatin1Char('='));
        if (eq > 0) {
            value = name.mid(eq + 1);
            name = name.left(eq);
        } else if (i + 1 < args.size()) {
            value = args.at(++i);
        } else {
            complain(QCoreApplication::translate("flowbench::app::Keyframes", "%1 needs a value")
                         .arg(name));
            return 2;
        }
        bool ok = true;
        if (name == QLatin1String("--count")) {
            if (value == QLatin1String("auto")) {
                options.count = 0;
            } else {
                options.count = value.toInt(&ok);
                ok = ok && options.count >= 1 && options.count <= media::kMaxKeyframes;
            }
        } else if (name == QLatin1String("--mode")) {
            if (value == QLatin1String("exact"))
                options.mode = media::KeyframeMode::Exact;
            else if (value == QLatin1String("fast"))
                options.mode = media::KeyframeMode::Fast;
            else
                ok = false;
        } else if (name == QLatin1String("--out")) {
            outDir = value;
        } else if (name == QLatin1String("--max-pixels")) {
            options.maxPixels = value.toLongLong(&ok);
            ok = ok && options.maxPixels >= 0;
        } else if (name == QLatin1String("--quality")) {
            quality = value.toInt(&ok);
            ok = ok && quality >= 0 && quality <= 100;
        } else {
            complain(QCoreApplication::translate("flowbench::app::Keyframes", "unknown option %1")
                         .arg(name));
            keyframesUsage(stderr);
            return 2;
        }
        if (!ok) {
            complain(
                QCoreApplication::translate("flowbench::app::Keyframes", "bad value for %1: %2")
                    .arg(name, value));
            return 2;
        }
    }
    if (video.isEmpty() || outDir.isEmpty()) {
        keyframesUsage(stderr);
        return 2;
    }

    const bool tty = FB_ISATTY(FB_FILENO(stderr)) != 0;
    if (tty) {
        options.progress = [](int done, int total) {
            std::fprintf(stderr, "\rflowbench keyframes: %d/%d", done, total);
            if (done == total)
                std::fprintf(stderr, "\n");
            std::fflush(stderr);
            return true;
        };
    }
    auto frames = media::extractKeyframes(video, options);
    if (!frames) {
        complain(frames.error().message);
        return 2;
    }

    QDir dir(outDir);
    if (!dir.mkpath(QStringLiteral("."))) {
        complain(
            QCoreApplication::translate("flowbench::app::Keyframes", "%1: cannot create the folder")
                .arg(QDir::toNativeSeparators(outDir)));
        return 2;
    }
    // JPEG encoding costs about as much as decoding: write the frames in parallel.
    const std::vector<media::Keyframe> &taken = frames->frames;
    std::vector<QString> files(taken.size());
    std::vector<QString> failures(taken.size());
    std::vector<int> order(taken.size());
    for (size_t i = 0; i < taken.size(); ++i) {
        order[i] = int(i);
        files[i] = dir.filePath(
            QStringLiteral("frame_%1.jpg").arg(taken[i].index, 3, 10, QLatin1Char('0')));
    }
    QtConcurrent::blockingMap(order, [&](int i) {
        QImageWriter writer(files[size_t(i)], "jpeg");
        writer.setQuality(quality);
        if (!writer.write(taken[size_t(i)].image))
            failures[size_t(i)] = writer.errorString();
    });
    using Json = nlohmann::ordered_json; // keys in the documented order
    Json list = Json::array();
    for (size_t i = 0; i < taken.size(); ++i) {
        const media::Keyframe &frame = taken[i];
        if (!failures[i].isEmpty()) {
            complain(QCoreApplication::translate("flowbench::app::Keyframes", "%1: %2")
                         .arg(QDir::toNativeSeparators(files[i]), failures[i]));
            return 2;
        }
        list.push_back(Json{{"index", frame.index},
                            {"timestamp_s", rounded(frame.timestampS)},
                            {"pts_s", rounded(frame.ptsS)},
                            {"file", files[i].toStdString()},
                            {"width", frame.image.width()},
                            {"height", frame.image.height()},
                            {"keyframe", frame.keyframe}});
    }
    Json result{{"video", video.toStdString()},
                {"duration_s", rounded(frames->info.durationS)},
                {"count", frames->frames.size()},
                {"mode", media::keyframeModeName(frames->mode).toStdString()},
                {"frames", std::move(list)}};
    if (!frames->problems.isEmpty()) {
        Json problems = Json::array();
        for (const QString &problem : frames->problems) {
            problems.push_back(problem.toStdString());
            complain(QCoreApplication::translate("flowbench::app::Keyframes", "warning: %1")
                         .arg(problem));
        }
        result["problems"] = std::move(problems);
    }
    const std::string json = result.dump(-1, ' ', false, Json::error_handler_t::replace);
    std::fwrite(json.data(), 1, json.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
    return 0;
}

} // namespace flowbench::app

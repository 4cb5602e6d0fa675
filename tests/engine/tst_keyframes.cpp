// Keyframes from clips generated with the ffmpeg CLI: counts, uniform timestamps, exact and fast
// modes, variable frame rate, rotation, scaling, cancel, and clear errors for bad files.
#include "media/keyframes.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTransform>

#include <atomic>
#include <set>

using namespace flowbench;
using namespace flowbench::media;

class tst_Keyframes : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_ffmpeg;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    bool ffmpeg(const QStringList &args)
    {
        QProcess p;
        p.start(m_ffmpeg, QStringList{QStringLiteral("-v"), QStringLiteral("error"),
                                      QStringLiteral("-nostdin"), QStringLiteral("-y")}
                              + args);
        if (!p.waitForFinished(120000) || p.exitCode() != 0) {
            qWarning("ffmpeg %s failed: %s", qPrintable(args.join(QLatin1Char(' '))),
                     p.readAllStandardError().constData());
            return false;
        }
        return true;
    }

    bool testsrc(const QString &name, double seconds, const QStringList &extra = {})
    {
        return ffmpeg(
            QStringList{QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                        QStringLiteral("testsrc=size=160x120:rate=25:duration=%1").arg(seconds)}
            + extra
            + QStringList{QStringLiteral("-c:v"), QStringLiteral("libx264"),
                          QStringLiteral("-preset"), QStringLiteral("ultrafast"),
                          QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p"), path(name)});
    }

    static void checkUniform(const KeyframeSet &set)
    {
        const double d = set.info.durationS;
        const int n = set.requested;
        for (size_t i = 0; i < set.frames.size(); ++i) {
            const Keyframe &f = set.frames[i];
            QCOMPARE(f.index, int(i) + 1);
            QVERIFY(qAbs(f.timestampS - (i + 0.5) * d / n) < 1e-9);
            QVERIFY(f.timestampS > 0 && f.timestampS < d);
            QVERIFY2(f.ptsS >= -1e-6 && f.ptsS < d + 1e-6, qPrintable(QString::number(f.ptsS)));
            QVERIFY(!f.image.isNull());
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_ffmpeg = QStandardPaths::findExecutable(QStringLiteral("ffmpeg"));
        if (m_ffmpeg.isEmpty())
            QSKIP("the ffmpeg command is not installed (apt install ffmpeg): it makes the clips");
        QVERIFY(m_dir.isValid());
        QVERIFY(testsrc(QStringLiteral("1s.mp4"), 1));
        QVERIFY(testsrc(QStringLiteral("7.5s.mp4"), 7.5,
                        {QStringLiteral("-movflags"), QStringLiteral("+faststart")}));
        QVERIFY(testsrc(QStringLiteral("120s.mp4"), 120));
        // 25 fps for 2 s, then 5 fps.
        QVERIFY(testsrc(QStringLiteral("vfr.mp4"), 4,
                        {QStringLiteral("-vf"),
                         QStringLiteral("setpts='if(lt(N,50),N*0.04,2+(N-50)*0.2)/TB'"),
                         QStringLiteral("-fps_mode"), QStringLiteral("vfr")}));
        // Containers without a complete index: keyframes every second.
        QVERIFY(testsrc(QStringLiteral("gop.ts"), 8, {QStringLiteral("-g"), QStringLiteral("25")}));
        QVERIFY(
            testsrc(QStringLiteral("gop.mkv"), 8, {QStringLiteral("-g"), QStringLiteral("25")}));
        QVERIFY(testsrc(QStringLiteral("plain2s.mp4"), 2));
        QVERIFY(
            ffmpeg({QStringLiteral("-i"), path(QStringLiteral("plain2s.mp4")), QStringLiteral("-c"),
                    QStringLiteral("copy"), QStringLiteral("-metadata:s:v:0"),
                    QStringLiteral("rotate=90"), path(QStringLiteral("rotated.mp4"))}));
        QVERIFY(ffmpeg({QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                        QStringLiteral("sine=frequency=440:duration=2"),
                        path(QStringLiteral("audio.m4a"))}));

        QFile source(path(QStringLiteral("7.5s.mp4")));
        QVERIFY(source.open(QIODevice::ReadOnly));
        const QByteArray bytes = source.readAll();
        QFile truncated(path(QStringLiteral("truncated.mp4")));
        QVERIFY(truncated.open(QIODevice::WriteOnly));
        truncated.write(bytes.left(bytes.size() / 2));
        truncated.close();
        QVERIFY(QFile::copy(source.fileName(), path(QStringLiteral("视频 测试 片段.mp4"))));

        QFile corrupt(path(QStringLiteral("corrupt.mp4")));
        QVERIFY(corrupt.open(QIODevice::WriteOnly));
        QRandomGenerator random(42);
        QByteArray noise(64 * 1024, Qt::Uninitialized);
        for (char &c : noise)
            c = char(random.bounded(256));
        corrupt.write(noise);
        corrupt.close();
        QFile empty(path(QStringLiteral("empty.mp4")));
        QVERIFY(empty.open(QIODevice::WriteOnly));
        empty.close();
    }

    void rules()
    {
        QCOMPARE(automaticKeyframeCount(0.4), 1);
        QCOMPARE(automaticKeyframeCount(1.0), 1);
        QCOMPARE(automaticKeyframeCount(7.5), 7);
        QCOMPARE(automaticKeyframeCount(30.9), 30);
        QCOMPARE(automaticKeyframeCount(120), 30);
        QCOMPARE(automaticKeyframeCount(0), 0);
        const auto times = keyframeTimestamps(10, 4);
        QCOMPARE(times, (std::vector<double>{1.25, 3.75, 6.25, 8.75}));
        QCOMPARE(fitToMaxPixels(QSize(1920, 1080), 0), QSize(1920, 1080));
        const QSize fitted = fitToMaxPixels(QSize(1920, 1080), 1280 * 720);
        QVERIFY(qint64(fitted.width()) * fitted.height() <= 1280 * 720);
        QVERIFY(qAbs(double(fitted.width()) / fitted.height() - 16.0 / 9.0) < 0.01);
        QCOMPARE(fitToMaxPixels(QSize(100, 50), 1000000), QSize(100, 50));
    }

    void counts_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("expected");
        QTest::addColumn<double>("duration");
        QTest::newRow("1 s auto") << "1s.mp4" << 0 << 1 << 1.0;
        QTest::newRow("7.5 s auto") << "7.5s.mp4" << 0 << 7 << 7.5;
        QTest::newRow("120 s auto") << "120s.mp4" << 0 << 30 << 120.0;
        QTest::newRow("7.5 s chosen 5") << "7.5s.mp4" << 5 << 5 << 7.5;
        QTest::newRow("1 s chosen 12") << "1s.mp4" << 12 << 12 << 1.0;
    }

    void counts()
    {
        QFETCH(QString, file);
        QFETCH(int, count);
        QFETCH(int, expected);
        QFETCH(double, duration);
        for (KeyframeMode mode : {KeyframeMode::Exact, KeyframeMode::Fast}) {
            KeyframeOptions options;
            options.count = count;
            options.mode = mode;
            auto set = extractKeyframes(path(file), options);
            QVERIFY2(set, qPrintable(set ? QString() : set.error().message));
            QVERIFY(qAbs(set->info.durationS - duration) < 0.05);
            QCOMPARE(int(set->frames.size()), expected);
            QVERIFY(set->complete());
            QVERIFY2(set->problems.isEmpty(), qPrintable(set->problems.join(u'\n')));
            checkUniform(*set);
            QCOMPARE(set->frames.front().image.size(), QSize(160, 120));
        }
    }

    void exactFramesAtOrAfterTheTimestamp_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("count");
        QTest::newRow("mp4 120 s") << "120s.mp4" << 30;
        QTest::newRow("mpeg-ts") << "gop.ts" << 16;
        QTest::newRow("matroska") << "gop.mkv" << 16;
    }

    void exactFramesAtOrAfterTheTimestamp()
    {
        QFETCH(QString, file);
        QFETCH(int, count);
        KeyframeOptions options;
        options.count = count;
        auto set = extractKeyframes(path(file), options);
        QVERIFY2(set, qPrintable(set ? QString() : set.error().message));
        QCOMPARE(set->frames.size(), size_t(count));
        for (const Keyframe &f : set->frames) {
            QVERIFY2(f.ptsS >= f.timestampS - 1e-3 && f.ptsS - f.timestampS < 0.04 + 1e-3,
                     qPrintable(QStringLiteral("%1 -> %2").arg(f.timestampS).arg(f.ptsS)));
        }
    }

    void fastModeHasNoDuplicates_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("count");
        QTest::newRow("120 s, 30") << "120s.mp4" << 30;
        QTest::newRow("7.5 s, 7 (one keyframe)") << "7.5s.mp4" << 0;
        QTest::newRow("1 s, 12") << "1s.mp4" << 12;
        QTest::newRow("vfr, 10") << "vfr.mp4" << 10;
        QTest::newRow("mpeg-ts, 16") << "gop.ts" << 16;
        QTest::newRow("matroska, 16") << "gop.mkv" << 16;
        QTest::newRow("matroska, 30") << "gop.mkv" << 30;
    }

    void fastModeHasNoDuplicates()
    {
        QFETCH(QString, file);
        QFETCH(int, count);
        KeyframeOptions options;
        options.mode = KeyframeMode::Fast;
        options.count = count;
        auto set = extractKeyframes(path(file), options);
        QVERIFY2(set, qPrintable(set ? QString() : set.error().message));
        QVERIFY(set->complete());
        std::set<double> seen;
        int snapped = 0;
        for (const Keyframe &f : set->frames) {
            QVERIFY2(seen.insert(f.ptsS).second, qPrintable(QString::number(f.ptsS)));
            if (f.snapped) {
                ++snapped;
                QVERIFY(f.keyframe);
            } else {
                QVERIFY(f.ptsS >= f.timestampS - 1e-3); // the exact fallback
            }
        }
        QVERIFY(snapped >= 1); // at least the first keyframe
        checkUniform(*set);
    }

    void variableFrameRate()
    {
        KeyframeOptions options;
        options.count = 10;
        auto set = extractKeyframes(path(QStringLiteral("vfr.mp4")), options);
        QVERIFY2(set, qPrintable(set ? QString() : set.error().message));
        QVERIFY(qAbs(set->info.durationS - 11.84) < 0.05);
        for (const Keyframe &f : set->frames) {
            // 0.04 s apart before 2 s, 0.2 s after; a frame-index guess would miss by seconds.
            const double gap = f.timestampS < 1.96 ? 0.04 : 0.2;
            QVERIFY2(f.ptsS >= f.timestampS - 1e-3 && f.ptsS - f.timestampS <= gap + 1e-3,
                     qPrintable(QStringLiteral("%1 -> %2").arg(f.timestampS).arg(f.ptsS)));
        }
    }

    void rotation()
    {
        auto info = probeVideo(path(QStringLiteral("rotated.mp4")));
        QVERIFY(info);
        QVERIFY(info->rotation == 90 || info->rotation == 270);
        QCOMPARE(info->displaySize, QSize(120, 160));
        for (KeyframeMode mode : {KeyframeMode::Exact, KeyframeMode::Fast}) {
            KeyframeOptions options;
            options.mode = mode;
            auto set = extractKeyframes(path(QStringLiteral("rotated.mp4")), options);
            QVERIFY(set);
            QCOMPARE(set->frames.size(), size_t(2));
            for (const Keyframe &f : set->frames)
                QCOMPARE(f.image.size(), QSize(120, 160));
        }
        // Turned the way the ffmpeg CLI turns it (its autorotate), not the other way.
        KeyframeOptions options;
        options.count = 2;
        auto set = extractKeyframes(path(QStringLiteral("rotated.mp4")), options);
        QVERIFY(set);
        const Keyframe &frame = set->frames.front();
        const QString reference = path(QStringLiteral("rotated-reference.png"));
        QVERIFY(ffmpeg({QStringLiteral("-ss"), QString::number(frame.ptsS, 'f', 3),
                        QStringLiteral("-i"), path(QStringLiteral("rotated.mp4")),
                        QStringLiteral("-frames:v"), QStringLiteral("1"), reference}));
        const QImage expected(reference);
        QCOMPARE(expected.size(), QSize(120, 160));
        const auto difference = [](const QImage &a, const QImage &b) {
            double sum = 0;
            for (int y = 0; y < a.height(); ++y) {
                for (int x = 0; x < a.width(); ++x) {
                    const QRgb p = a.pixel(x, y);
                    const QRgb q = b.pixel(x, y);
                    sum += qAbs(qRed(p) - qRed(q)) + qAbs(qGreen(p) - qGreen(q))
                           + qAbs(qBlue(p) - qBlue(q));
                }
            }
            return sum / (3.0 * a.width() * a.height());
        };
        const double same = difference(frame.image, expected);
        const double turned
            = difference(frame.image.transformed(QTransform().rotate(180)), expected);
        QVERIFY2(same < 12 && turned > 3 * same,
                 qPrintable(QStringLiteral("%1 vs %2").arg(same).arg(turned)));
    }

    void maxPixels()
    {
        KeyframeOptions options;
        options.count = 3;
        options.maxPixels = 4800;
        auto set = extractKeyframes(path(QStringLiteral("120s.mp4")), options);
        QVERIFY(set);
        for (const Keyframe &f : set->frames)
            QCOMPARE(f.image.size(), QSize(80, 60));
        options.maxPixels = 5000; // not a whole factor: aspect kept, under the budget
        set = extractKeyframes(path(QStringLiteral("rotated.mp4")), options);
        QVERIFY(set);
        const QSize s = set->frames.front().image.size();
        QVERIFY(s.width() * s.height() <= 5000);
        QVERIFY(s.height() > s.width());
        QVERIFY(qAbs(double(s.width()) / s.height() - 0.75) < 0.03);
    }

    void chineseFileNameWithSpaces()
    {
        auto set = extractKeyframes(path(QStringLiteral("视频 测试 片段.mp4")));
        QVERIFY2(set, qPrintable(set ? QString() : set.error().message));
        QCOMPARE(set->frames.size(), size_t(7));
    }

    // Long clips are decoded in parallel groups (one decoder per group of GOPs); the frames
    // must be exactly those of the sequential decoder, in both modes.
    void parallelMatchesSequential_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("exact") << int(KeyframeMode::Exact);
        QTest::newRow("fast") << int(KeyframeMode::Fast);
    }
    void parallelMatchesSequential()
    {
        QFETCH(int, mode);
        KeyframeOptions options;
        options.count = 30;
        options.mode = KeyframeMode(mode);
        const QString clip = path(QStringLiteral("120s.mp4")); // 12 GOPs of 10 s
        const auto parallel = extractKeyframes(clip, options);
        QVERIFY(parallel);
        qputenv("FLOWBENCH_KEYFRAMES_SEQUENTIAL", "1");
        const auto sequential = extractKeyframes(clip, options);
        qunsetenv("FLOWBENCH_KEYFRAMES_SEQUENTIAL");
        QVERIFY(sequential);
        QCOMPARE(parallel->frames.size(), sequential->frames.size());
        for (size_t i = 0; i < parallel->frames.size(); ++i) {
            const Keyframe &a = parallel->frames[i];
            const Keyframe &b = sequential->frames[i];
            QCOMPARE(a.ptsS, b.ptsS);
            QCOMPARE(a.keyframe, b.keyframe);
            QCOMPARE(a.snapped, b.snapped);
            QVERIFY2(a.image == b.image, qPrintable(QStringLiteral("frame %1").arg(a.index)));
        }
    }

    void progressAndCancel()
    {
        QList<QPair<int, int>> calls;
        KeyframeOptions options;
        options.count = 4;
        options.progress = [&](int done, int total) {
            calls.append({done, total});
            return true;
        };
        auto set = extractKeyframes(path(QStringLiteral("7.5s.mp4")), options);
        QVERIFY(set);
        QCOMPARE(calls.size(), 5);
        QCOMPARE(calls.last(), qMakePair(4, 4));

        options.progress = [](int done, int) { return done < 2; };
        set = extractKeyframes(path(QStringLiteral("7.5s.mp4")), options);
        QVERIFY(!set);
        QCOMPARE(set.error().code, QStringLiteral("media.cancelled"));

        std::atomic<bool> cancel{true};
        options.progress = {};
        options.cancel = &cancel;
        set = extractKeyframes(path(QStringLiteral("7.5s.mp4")), options);
        QVERIFY(!set);
        QCOMPARE(set.error().code, QStringLiteral("media.cancelled"));
    }

    void errors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("says");
        QTest::newRow("missing") << "nope.mp4"
                                 << "media.not-found"
                                 << "no such file";
        QTest::newRow("zero bytes") << "empty.mp4"
                                    << "media.empty"
                                    << "empty";
        QTest::newRow("random bytes") << "corrupt.mp4"
                                      << "media.unsupported"
                                      << "damaged";
        QTest::newRow("audio only") << "audio.m4a"
                                    << "media.no-video"
                                    << "only audio";
        QTest::newRow("truncated") << "truncated.mp4"
                                   << "media.decode"
                                   << "truncated";
    }

    void errors()
    {
        QFETCH(QString, file);
        QFETCH(QString, code);
        QFETCH(QString, says);
        for (KeyframeMode mode : {KeyframeMode::Exact, KeyframeMode::Fast}) {
            KeyframeOptions options;
            options.mode = mode;
            auto set = extractKeyframes(path(file), options);
            QVERIFY(!set);
            QCOMPARE(set.error().code, code);
            QVERIFY2(set.error().message.contains(file), qPrintable(set.error().message));
            QVERIFY2(set.error().message.contains(says), qPrintable(set.error().message));
        }
    }

    void truncatedPartial()
    {
        KeyframeOptions options;
        options.allowPartial = true;
        auto set = extractKeyframes(path(QStringLiteral("truncated.mp4")), options);
        QVERIFY(set);
        QVERIFY(!set->complete());
        QVERIFY(!set->problems.isEmpty());
        QVERIFY(set->frames.size() >= 1 && set->frames.size() < 7);
    }

    void badCount()
    {
        KeyframeOptions options;
        options.count = kMaxKeyframes + 1;
        auto set = extractKeyframes(path(QStringLiteral("1s.mp4")), options);
        QVERIFY(!set);
        QCOMPARE(set.error().code, QStringLiteral("media.bad-count"));
    }

    void fuzzishNeverCrashes()
    {
        // Damaged copies of a valid clip: each call returns (frames or an error), none crashes.
        QFile source(path(QStringLiteral("7.5s.mp4")));
        QVERIFY(source.open(QIODevice::ReadOnly));
        const QByteArray bytes = source.readAll();
        QRandomGenerator random(7);
        for (int round = 0; round < 12; ++round) {
            QByteArray damaged = bytes;
            const int flips = 1 + int(random.bounded(50));
            for (int i = 0; i < flips; ++i)
                damaged[random.bounded(int(damaged.size()))] = char(random.bounded(256));
            if (round % 3 == 2)
                damaged.truncate(random.bounded(int(damaged.size())));
            const QString name = path(QStringLiteral("fuzz%1.mp4").arg(round));
            QFile out(name);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(damaged);
            out.close();
            for (KeyframeMode mode : {KeyframeMode::Exact, KeyframeMode::Fast}) {
                KeyframeOptions options;
                options.mode = mode;
                options.allowPartial = round % 2 == 0;
                auto set = extractKeyframes(name, options);
                if (!set)
                    QVERIFY(!set.error().message.isEmpty());
            }
        }
    }

#ifdef FLOWBENCH_BINARY
    void commandLine()
    {
        const QString out = path(QStringLiteral("cli out"));
        QProcess p;
        p.start(QStringLiteral(FLOWBENCH_BINARY),
                {QStringLiteral("keyframes"), path(QStringLiteral("7.5s.mp4")),
                 QStringLiteral("--count"), QStringLiteral("auto"), QStringLiteral("--mode"),
                 QStringLiteral("fast"), QStringLiteral("--out"), out,
                 QStringLiteral("--max-pixels"), QStringLiteral("4800")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const QJsonObject json = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QCOMPARE(json.value(QStringLiteral("count")).toInt(), 7);
        QCOMPARE(json.value(QStringLiteral("mode")).toString(), QStringLiteral("fast"));
        const QJsonArray frames = json.value(QStringLiteral("frames")).toArray();
        QCOMPARE(frames.size(), 7);
        const QJsonObject first = frames.first().toObject();
        QCOMPARE(first.value(QStringLiteral("index")).toInt(), 1);
        QCOMPARE(first.value(QStringLiteral("width")).toInt(), 80);
        QVERIFY(QFile::exists(first.value(QStringLiteral("file")).toString()));
        QVERIFY(first.value(QStringLiteral("file")).toString().endsWith(u"frame_001.jpg"));
        QVERIFY(p.readAllStandardError().isEmpty()); // no progress when stderr is not a TTY

        p.start(QStringLiteral(FLOWBENCH_BINARY),
                {QStringLiteral("keyframes"), path(QStringLiteral("audio.m4a")),
                 QStringLiteral("--out"), out});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 2);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(u"audio.m4a") && err.contains(u"no video"), qPrintable(err));
    }
#endif
};

QTEST_GUILESS_MAIN(tst_Keyframes)
#include "tst_keyframes.moc"

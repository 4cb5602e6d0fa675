// flowbench: one binary for the workbench window and the command line.
#include "cli.h"
#include "document/dslio.h"
#include "mainwindow.h"
#include "chatpanel.h"
#include "runcontroller.h"
#include "workflowscene.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDockWidget>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QPalette>
#include <QSettings>
#include <QStyle>
#include <QSize>
#include <QTimer>
#include <QTranslator>

#include <cstdio>

namespace {

// Settings that take effect at startup (the settings dialog says so): the Python interpreter of
// code nodes (FLOWBENCH_PYTHON, which the engine reads, wins when set) and the theme.
void applyStartupSettings(QApplication &app)
{
    const QSettings settings;
    const QString python = settings.value(QStringLiteral("python/interpreter")).toString();
    if (!python.isEmpty() && !qEnvironmentVariableIsSet("FLOWBENCH_PYTHON"))
        qputenv("FLOWBENCH_PYTHON", python.toLocal8Bit());
    const QString theme = settings.value(QStringLiteral("ui/theme")).toString();
    if (theme != QLatin1String("dark") && theme != QLatin1String("light"))
        return; // "system": the platform's style and palette
    app.setStyle(QStringLiteral("Fusion"));
    QPalette palette = app.style()->standardPalette();
    if (theme == QLatin1String("dark")) {
        const QColor window(0x2b, 0x2d, 0x31), base(0x1e, 0x1f, 0x22), text(0xdf, 0xe1, 0xe5);
        palette.setColor(QPalette::Window, window);
        palette.setColor(QPalette::WindowText, text);
        palette.setColor(QPalette::Base, base);
        palette.setColor(QPalette::AlternateBase, window);
        palette.setColor(QPalette::Text, text);
        palette.setColor(QPalette::Button, window);
        palette.setColor(QPalette::ButtonText, text);
        palette.setColor(QPalette::ToolTipBase, base);
        palette.setColor(QPalette::ToolTipText, text);
        palette.setColor(QPalette::Highlight, QColor(0x35, 0x74, 0xf0));
        palette.setColor(QPalette::HighlightedText, Qt::white);
        palette.setColor(QPalette::PlaceholderText, QColor(0x8b, 0x8e, 0x94));
        palette.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6f, 0x72, 0x78));
        palette.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6f, 0x72, 0x78));
    }
    app.setPalette(palette);
}

// The UI language: `--lang zh_CN|en` on the command line, else the "ui/language" setting, else
// the system locale.
QLocale uiLocale(const QStringList &arguments)
{
    const int lang = arguments.indexOf(QStringLiteral("--lang"));
    QString name = lang > 0 ? arguments.value(lang + 1) : QString();
    if (name.isEmpty())
        name = QSettings().value(QStringLiteral("ui/language")).toString();
    return name.isEmpty() ? QLocale() : QLocale(name);
}

void installTranslators(QCoreApplication &app, const QLocale &locale)
{
    QLocale::setDefault(locale);
    auto *ours = new QTranslator(&app);
    if (ours->load(locale, QStringLiteral("flowbench"), QStringLiteral("_"),
                   QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(ours);
    auto *qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
}

struct ScreenshotArgs
{
    QString outPath;
    QString file;
    bool run = false;
    QByteArray inputs;     // --inputs JSON
    QString query;         // --query TEXT (chatflows)
    int grabAfterMs = -1;  // --grab-after MS: a picture of the run in progress
    QSize size{1400, 860}; // --size WxH
    QString select;        // --select NODE_ID: the inspector shows it
    QStringList docks;     // --dock NAME...: raised before the grab ("events", "variables")
    QString chat;          // --chat TEXT: sent from the chat dock (endpoint mode) first
    QStringList attach;    // --attach FILE...: images or a video attached to that message
    bool thinking = false; // --thinking: with thinking mode on
};

// `--screenshot OUT.png [--run] [--lang zh_CN|en] [FILE]`.
bool parseScreenshotArgs(const QStringList &arguments, ScreenshotArgs *out)
{
    const int shot = int(arguments.indexOf(QStringLiteral("--screenshot")));
    out->outPath = arguments.value(shot + 1);
    if (out->outPath.isEmpty() || out->outPath.startsWith(QLatin1String("--")))
        return false;
    for (int i = shot + 2; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (a == QLatin1String("--run")) {
            out->run = true;
        } else if (a == QLatin1String("--inputs") && i + 1 < arguments.size()) {
            out->inputs = arguments.at(++i).toUtf8();
        } else if (a == QLatin1String("--query") && i + 1 < arguments.size()) {
            out->query = arguments.at(++i);
        } else if (a == QLatin1String("--select") && i + 1 < arguments.size()) {
            out->select = arguments.at(++i);
        } else if (a == QLatin1String("--chat") && i + 1 < arguments.size()) {
            out->chat = arguments.at(++i);
        } else if (a == QLatin1String("--attach") && i + 1 < arguments.size()) {
            out->attach.append(arguments.at(++i));
        } else if (a == QLatin1String("--thinking")) {
            out->thinking = true;
        } else if (a == QLatin1String("--dock") && i + 1 < arguments.size()) {
            out->docks.append(arguments.at(++i));
        } else if (a == QLatin1String("--size") && i + 1 < arguments.size()) {
            const QStringList wh = arguments.at(++i).split(QLatin1Char('x'));
            const int w = wh.value(0).toInt(), h = wh.value(1).toInt();
            if (wh.size() != 2 || w < 320 || h < 240)
                return false;
            out->size = QSize(w, h);
        } else if (a == QLatin1String("--grab-after") && i + 1 < arguments.size()) {
            bool ok = false;
            out->grabAfterMs = arguments.at(++i).toInt(&ok);
            if (!ok || out->grabAfterMs < 0)
                return false;
        } else if (a == QLatin1String("--lang")) {
            ++i; // read by uiLocale()
        } else if (a.startsWith(QLatin1String("--")) || !out->file.isEmpty()) {
            return false;
        } else {
            out->file = a;
        }
    }
    return true;
}

// Opens FILE (or the bundled example), optionally runs it until it ends or pauses at a
// breakpoint, lets layout and painting settle, grabs the window and saves it. Works under
// QT_QPA_PLATFORM=offscreen.
int takeScreenshot(QApplication &app, const ScreenshotArgs &args)
{
    const QString &outPath = args.outPath;
    const QString &file = args.file;
    if (!file.isEmpty()) {
        // Report a bad file on stderr instead of a modal message box nobody can click.
        if (auto loaded = flowbench::document::loadWorkflowFile(file); !loaded) {
            std::fprintf(stderr, "%s\n", qPrintable(loaded.error().toString()));
            return 2;
        }
    }
    flowbench::app::MainWindow window;
    window.resize(args.size);
    if (file.isEmpty() ? !window.openBundledExample() : !window.openFile(file))
        return 2;
    window.show();
    int code = 0;
    bool grabbed = false;
    const auto grabSoon = [&] {
        QTimer::singleShot(300, &window, [&] {
            if (grabbed)
                return;
            grabbed = true;
            for (const QString &name : args.docks) {
                auto *dock = window.findChild<QDockWidget *>(QStringLiteral("dock.") + name);
                if (!dock) {
                    std::fprintf(stderr, "flowbench: no dock named '%s'\n", qPrintable(name));
                    continue;
                }
                dock->show();
                dock->raise();
            }
            QCoreApplication::processEvents(); // lay out and paint the raised docks
            if (!window.grab().save(outPath)) {
                std::fprintf(stderr, "flowbench: cannot write %s\n", qPrintable(outPath));
                code = 2;
            }
            app.quit();
        });
    };
    using flowbench::app::RunController;
    QTimer::singleShot(600, &window, [&] {
        window.fitAll();
        if (!args.select.isEmpty()) {
            window.scene()->selectNodes({args.select});
            if (auto *dock = window.findChild<QDockWidget *>(QStringLiteral("dock.inspector")))
                dock->raise(); // the picture is of that node's form
        }
        if (!args.chat.isEmpty()) {
            // A chat turn against the default endpoint, then the picture.
            flowbench::panels::ChatPanel *chat = window.chatPanel();
            if (auto *dock = window.findChild<QDockWidget *>(QStringLiteral("dock.chat"))) {
                dock->show();
                dock->raise();
            }
            chat->setThinkingEnabled(args.thinking);
            for (const QString &file : args.attach) {
                chat->setOpenFilesDialog(
                    [file](const QString &, const QString &) { return QStringList{file}; });
                static const QStringList videos{QStringLiteral("mp4"), QStringLiteral("mkv"),
                                                QStringLiteral("webm"), QStringLiteral("mov")};
                if (videos.contains(QFileInfo(file).suffix().toLower()))
                    chat->attachVideo();
                else
                    chat->attachImages();
            }
            QObject::connect(chat, &flowbench::panels::ChatPanel::turnFinished, &window,
                             [&] { grabSoon(); });
            // Keyframes are extracted on a worker thread: give them a moment.
            QTimer::singleShot(args.attach.isEmpty() ? 0 : 3000, &window,
                               [&, chat] { chat->sendMessage(args.chat); });
            QTimer::singleShot(60000, &window, [&] { grabSoon(); });
            return;
        }
        if (!args.run) {
            grabSoon();
            return;
        }
        RunController *run = window.runController();
        QObject::connect(run, &RunController::runFinished, &window, [&] { grabSoon(); });
        QObject::connect(run, &RunController::stateChanged, &window, [&, run] {
            if (run->status() == flowbench::runtime::RunStatus::Paused)
                grabSoon(); // stopped at a breakpoint: that is the picture
        });
        flowbench::runtime::RunOptions options;
        options.query = args.query;
        if (!args.inputs.isEmpty()) {
            options.inputs
                = flowbench::runtime::Json::parse(args.inputs.toStdString(), nullptr, false);
            if (!options.inputs.is_object()) {
                std::fprintf(stderr, "flowbench: --inputs must be a JSON object\n");
                code = 2;
                app.quit();
                return;
            }
        }
        if (!run->start(std::move(options))) {
            std::fprintf(stderr, "flowbench: cannot run: %s\n", qPrintable(run->lastError()));
            grabSoon();
            return;
        }
        // A run that never ends (a stalled endpoint) still gets its picture.
        if (args.grabAfterMs >= 0)
            QTimer::singleShot(args.grabAfterMs, &window, [&] { grabSoon(); });
        QTimer::singleShot(120000, &window, [&] {
            std::fprintf(stderr, "flowbench: the run did not finish in 120 s\n");
            grabSoon();
        });
    });
    app.exec();
    return code;
}

} // namespace

int main(int argc, char *argv[])
{
    QStringList arguments;
    arguments.reserve(argc);
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));

    QCoreApplication::setOrganizationName(QStringLiteral("Flowbench"));
    QCoreApplication::setApplicationName(QStringLiteral("Flowbench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLOWBENCH_VERSION));

    if (flowbench::app::isCliCommand(arguments)) {
        QCoreApplication app(argc, argv);
        installTranslators(app, uiLocale(arguments));
        return flowbench::app::runCli(arguments);
    }

    QApplication app(argc, argv);
    installTranslators(app, uiLocale(arguments));
    app.setWindowIcon(QIcon(QStringLiteral(":/icons/flowbench.svg")));
    applyStartupSettings(app);

    if (arguments.contains(QStringLiteral("--screenshot"))) {
        ScreenshotArgs args;
        if (!parseScreenshotArgs(arguments, &args)) {
            std::fprintf(
                stderr,
                "usage: flowbench --screenshot OUT.png [--run [--inputs JSON] [--query TEXT] "
                "[--grab-after MS]] [--chat TEXT [--attach FILE]... [--thinking]] [--size WxH] "
                "[--select NODE] [--dock NAME]... "
                "[--lang zh_CN|en] [FILE]\n");
            return 2;
        }
        return takeScreenshot(app, args);
    }

    flowbench::app::MainWindow window;
    window.show();
    QString file = arguments.value(1);
    if (file == QLatin1String("--lang"))
        file = arguments.value(3);
    if (file == QLatin1String("--example"))
        window.openBundledExample();
    else if (!file.isEmpty())
        window.openFile(file);
    QTimer::singleShot(0, &window, [&window, file] {
        window.offerRecovery();
        if (file.isEmpty())
            window.showWelcome();
    });
    return app.exec();
}

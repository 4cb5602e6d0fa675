// flowbench: one binary for the workbench window and the command line.
#include "cli.h"
#include "document/dslio.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTimer>
#include <QTranslator>

#include <cstdio>

namespace {

void installTranslators(QCoreApplication &app)
{
    const QLocale locale;
    auto *ours = new QTranslator(&app);
    if (ours->load(locale, QStringLiteral("flowbench"), QStringLiteral("_"),
                   QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(ours);
    auto *qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
}

// `--screenshot OUT.png [FILE]`: open FILE (or the bundled example), let layout and painting
// settle, grab the window and save it. Works under QT_QPA_PLATFORM=offscreen.
int takeScreenshot(QApplication &app, const QString &outPath, const QString &file)
{
    if (!file.isEmpty()) {
        // Report a bad file on stderr instead of a modal message box nobody can click.
        if (auto loaded = flowbench::document::loadWorkflowFile(file); !loaded) {
            std::fprintf(stderr, "%s\n", qPrintable(loaded.error().toString()));
            return 2;
        }
    }
    flowbench::app::MainWindow window;
    window.resize(1400, 860);
    if (file.isEmpty() ? !window.openBundledExample() : !window.openFile(file))
        return 2;
    window.show();
    int code = 0;
    QTimer::singleShot(600, &window, [&] {
        window.fitAll();
        QTimer::singleShot(300, &window, [&] {
            if (!window.grab().save(outPath)) {
                std::fprintf(stderr, "flowbench: cannot write %s\n", qPrintable(outPath));
                code = 2;
            }
            app.quit();
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
        installTranslators(app);
        return flowbench::app::runCli(arguments);
    }

    QApplication app(argc, argv);
    installTranslators(app);
    app.setWindowIcon(QIcon(QStringLiteral(":/icons/flowbench.svg")));

    const int shot = arguments.indexOf(QStringLiteral("--screenshot"));
    if (shot > 0) {
        if (shot + 1 >= arguments.size()) {
            std::fprintf(stderr, "usage: flowbench --screenshot OUT.png [FILE]\n");
            return 2;
        }
        return takeScreenshot(app, arguments.at(shot + 1), arguments.value(shot + 2));
    }

    flowbench::app::MainWindow window;
    window.show();
    const QString file = arguments.value(1);
    if (file == QLatin1String("--example"))
        window.openBundledExample();
    else if (!file.isEmpty())
        window.openFile(file);
    QTimer::singleShot(0, &window, [&window] { window.offerRecovery(); });
    return app.exec();
}

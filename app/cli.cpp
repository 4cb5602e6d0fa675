#include "cli.h"

#include "document/dslio.h"
#include "document/validator.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QTextStream>

#include <cstdio>

namespace flowbench::app {

namespace {

using namespace flowbench::document;

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

void printUsage(QTextStream &s)
{
    s << "Usage: flowbench [FILE]                      open the workbench\n"
         "       flowbench validate FILE                check a workflow (.yml/.yaml/.json)\n"
         "       flowbench convert IN OUT [--deploy] [--keep-secrets]\n"
         "                                             Dify YAML <-> native JSON <-> deployment "
         "JSON\n"
         "       flowbench run FILE [--inputs JSON|@file] [--query TEXT] [--files PATH...]\n"
         "                     [--conversation-var NAME=JSON]... [--pin NODE_ID=JSON|@file]...\n"
         "                     [--fail NODE_ID=MESSAGE]... [--break NODE_ID]... [--events -|FILE]\n"
         "                     [--metrics-out FILE] [--max-steps N] [--timeout S] [--replay "
         "RUN_ID]\n"
         "                     [--endpoint URL [--model NAME] [--api-key-env VAR]] [--profile "
         "NAME]\n"
         "                     [--conversation-id ID]  a chatflow turn of a stored conversation\n"
         "       flowbench simulate [--host 127.0.0.1] [--port N] [--model NAME] [--ttft-ms N]\n"
         "                          [--tokens-per-second N] [--api-key KEY]\n"
         "                                             a vLLM-compatible test server\n"
         "       flowbench knowledge list | add NAME FILE... | remove NAME\n"
         "                                             local knowledge bases for retrieval nodes\n"
         "       flowbench keyframes VIDEO [--count N|auto] [--mode exact|fast] --out DIR\n"
         "                           [--max-pixels P]  video keyframes as JPEG + JSON\n"
         "       flowbench serve WORKFLOW [--host 127.0.0.1] [--port N] [--api-key KEY]\n"
         "                       [--workers N] [--store PATH|none] [--grace-seconds N]\n"
         "                       [--endpoint URL [--model NAME] [--api-key-env VAR]]\n"
         "                       [--profile NAME]\n"
         "                                             the workflow behind Dify's service API\n"
         "       flowbench --screenshot OUT.png [--run [--inputs JSON] [--query TEXT]\n"
         "                          [--grab-after MS]] [--size WxH] [--select NODE]\n"
         "                          [--dock NAME]... [--chat TEXT [--attach FILE]... "
         "[--thinking]]\n"
         "                          [--lang zh_CN|en] [FILE]\n"
         "                                             save a picture of the window (after a run)\n"
         "       flowbench [--lang zh_CN|en] [FILE]    open the workbench\n"
         "       flowbench --version\n";
    s.flush();
}

// "FILE:LINE:COL: error: message" or "FILE: error: message".
void printError(const Error &e, const QString &file)
{
    Error located = e;
    if (located.location.file.isEmpty())
        located.location.file = file;
    QString where = located.location.file;
    if (located.location.line > 0)
        where += QStringLiteral(":%1:%2").arg(located.location.line).arg(located.location.column);
    QString message = located.message;
    if (located.location.line <= 0 && !located.location.pointer.isEmpty())
        message = located.location.pointer + QStringLiteral(": ") + message;
    err() << where << ": error: " << message << "\n";
    err().flush();
}

int validateCommand(const QStringList &args)
{
    if (args.size() != 1) {
        printUsage(err());
        return 2;
    }
    const QString path = args.first();
    auto loaded = loadWorkflowFile(path);
    if (!loaded) {
        printError(loaded.error(), path);
        return 2;
    }
    for (const QString &w : loaded->warnings)
        out() << path << ": warning: " << w << "\n";

    const QList<Problem> problems = validateWorkflow(loaded->workflow);
    const std::string_view source(loaded->source.constData(),
                                  static_cast<size_t>(loaded->source.size()));
    int errors = 0;
    for (const Problem &p : problems) {
        const char *severity = p.isError() ? "error" : "warning";
        if (p.isError())
            ++errors;
        const QString node = p.nodeId.isEmpty() ? QString() : QStringLiteral("[%1] ").arg(p.nodeId);
        QTextStream &s = p.isError() ? err() : out();
        if (loaded->format == FileFormat::DifyYaml) {
            const SourceLocation at = locateInSource(source, loaded->format, p.pointer);
            s << path << ":" << at.line << ":" << at.column << ": " << severity << ": " << node
              << p.message << "\n";
        } else {
            s << path << ": " << severity << ": " << node << p.pointer << ": " << p.message << "\n";
        }
    }
    out().flush();
    err().flush();
    if (errors > 0) {
        err() << path << ": " << errors << (errors == 1 ? " error" : " errors") << "\n";
        err().flush();
        return 1;
    }
    out() << path << ": valid (" << loaded->workflow.nodes().size() << " nodes, "
          << loaded->workflow.edges().size() << " edges)\n";
    out().flush();
    return 0;
}

int convertCommand(const QStringList &rawArgs)
{
    QStringList args;
    bool deploy = false;
    ExportOptions options;
    for (const QString &a : rawArgs) {
        if (a == QLatin1String("--deploy"))
            deploy = true;
        else if (a == QLatin1String("--keep-secrets"))
            options.keepSecrets = true;
        else
            args.append(a);
    }
    if (args.size() != 2) {
        printUsage(err());
        return 2;
    }
    const QString &in = args[0];
    const QString &outPath = args[1];
    auto loaded = loadWorkflowFile(in);
    if (!loaded) {
        printError(loaded.error(), in);
        return 2;
    }
    for (const QString &w : loaded->warnings)
        err() << in << ": warning: " << w << "\n";
    FileFormat format = formatForPath(outPath);
    if (deploy) {
        if (format == FileFormat::DifyYaml) {
            // YAML exports are deployment forms already: no workbench state, secrets blanked.
        } else {
            format = FileFormat::DeploymentJson;
        }
    }
    if (options.keepSecrets && format != FileFormat::NativeJson)
        err() << outPath << ": warning: secret values are written in clear text\n";
    if (auto saved = saveWorkflowFile(loaded->workflow, outPath, format, options); !saved) {
        printError(saved.error(), outPath);
        return 2;
    }
    err().flush();
    return 0;
}

} // namespace

bool isCliCommand(const QStringList &arguments)
{
    if (arguments.size() < 2)
        return false;
    const QString &cmd = arguments.at(1);
    return cmd == QLatin1String("validate") || cmd == QLatin1String("convert")
           || cmd == QLatin1String("run") || cmd == QLatin1String("knowledge")
           || cmd == QLatin1String("simulate") || cmd == QLatin1String("keyframes")
           || cmd == QLatin1String("serve") || cmd == QLatin1String("--version")
           || cmd == QLatin1String("-v") || cmd == QLatin1String("--help")
           || cmd == QLatin1String("-h") || cmd == QLatin1String("help");
}

int runCli(const QStringList &arguments)
{
    const QString cmd = arguments.value(1);
    const QStringList rest = arguments.mid(2);
    if (cmd == QLatin1String("--version") || cmd == QLatin1String("-v")) {
        out() << "flowbench " << FLOWBENCH_VERSION << "\n";
        out().flush();
        return 0;
    }
    if (cmd == QLatin1String("validate"))
        return validateCommand(rest);
    if (cmd == QLatin1String("convert"))
        return convertCommand(rest);
    if (cmd == QLatin1String("run"))
        return runCommand(rest);
    if (cmd == QLatin1String("knowledge"))
        return knowledgeCommand(rest);
    if (cmd == QLatin1String("simulate"))
        return simulateCommand(rest);
    if (cmd == QLatin1String("keyframes"))
        return keyframesCommand(rest);
    if (cmd == QLatin1String("serve"))
        return serveCommand(rest);
    printUsage(out());
    return cmd.startsWith(QLatin1String("-h")) || cmd == QLatin1String("help")
                   || cmd == QLatin1String("--help")
               ? 0
               : 2;
}

} // namespace flowbench::app

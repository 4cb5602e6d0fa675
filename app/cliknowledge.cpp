// `flowbench knowledge`: the local knowledge bases that knowledge-retrieval nodes search.
#include "cli.h"

#include "store/knowledgebase.h"

#include <QFileInfo>

#include <cstdio>

namespace flowbench::app {

namespace {

void say(FILE *to, const QString &text)
{
    std::fprintf(to, "%s\n", text.toUtf8().constData());
}

int usage()
{
    say(stderr,
        QStringLiteral("usage: flowbench knowledge list\n"
                       "       flowbench knowledge add NAME FILE...   (creates NAME if needed)\n"
                       "       flowbench knowledge remove NAME\n"
                       "The store is FLOWBENCH_KNOWLEDGE_STORE, else %1")
            .arg(store::KnowledgeStore::defaultPath()));
    return 2;
}

} // namespace

int knowledgeCommand(const QStringList &args)
{
    const QString action = args.value(0);
    if (action.isEmpty() || (action == QLatin1String("add") && args.size() < 3)
        || (action == QLatin1String("remove") && args.size() != 2))
        return usage();
    const QString path = qEnvironmentVariableIsSet("FLOWBENCH_KNOWLEDGE_STORE")
                             ? qEnvironmentVariable("FLOWBENCH_KNOWLEDGE_STORE")
                             : store::KnowledgeStore::defaultPath();
    store::KnowledgeStore kb;
    if (auto opened = kb.open(path); !opened) {
        say(stderr, opened.error().toString());
        return 2;
    }
    if (action == QLatin1String("list")) {
        for (const auto &base : kb.listBases())
            say(stdout, QStringLiteral("%1\t%2\t%3 documents")
                            .arg(base.name, base.id)
                            .arg(base.documentCount));
        return 0;
    }
    if (action == QLatin1String("remove")) {
        const QString id = kb.resolveBase(args[1]);
        if (id.isEmpty()) {
            say(stderr, QStringLiteral("flowbench knowledge: no base named %1").arg(args[1]));
            return 1;
        }
        if (auto removed = kb.removeBase(id); !removed) {
            say(stderr, removed.error().toString());
            return 1;
        }
        return 0;
    }
    if (action != QLatin1String("add"))
        return usage();
    QString id = kb.resolveBase(args[1]);
    if (id.isEmpty()) {
        auto created = kb.createBase(args[1]);
        if (!created) {
            say(stderr, created.error().toString());
            return 1;
        }
        id = *created;
    }
    int failures = 0;
    for (const QString &file : args.mid(2)) {
        auto added = kb.addDocument(id, file);
        if (!added) {
            ++failures;
            say(stderr, QStringLiteral("%1: %2").arg(file, added.error().message));
        } else {
            say(stdout, QStringLiteral("added %1 to %2").arg(QFileInfo(file).fileName(), args[1]));
        }
    }
    return failures ? 1 : 0;
}

} // namespace flowbench::app

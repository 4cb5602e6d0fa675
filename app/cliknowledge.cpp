// `flowbench knowledge`: the local knowledge bases that knowledge-retrieval nodes search.
#include "cli.h"

#include "llm/defaultendpoint.h"
#include "llm/embeddingsclient.h"
#include "llm/endpointprofile.h"
#include "store/knowledgebase.h"

#include <QFileInfo>

#include <optional>

#include <cstdio>

namespace flowbench::app {

namespace {

void say(FILE *to, const QString &text)
{
    std::fprintf(to, "%s\n", text.toUtf8().constData());
}

int usage()
{
    say(stderr, QStringLiteral(
                    "usage: flowbench knowledge list\n"
                    "       flowbench knowledge add NAME FILE... [--embedding-model MODEL]\n"
                    "           [--endpoint URL [--api-key-env VAR]]   (creates NAME if needed;\n"
                    "           a base with an embedding model embeds its chunks through the\n"
                    "           endpoint, else the default endpoint profile)\n"
                    "       flowbench knowledge remove NAME\n"
                    "The store is FLOWBENCH_KNOWLEDGE_STORE, else %1")
                    .arg(store::KnowledgeStore::defaultPath()));
    return 2;
}

} // namespace

int knowledgeCommand(const QStringList &rawArgs)
{
    // Options of `add`; the rest are positional.
    QStringList args;
    QString embeddingModel;
    QString endpointUrl;
    QString apiKeyEnv;
    for (qsizetype i = 0; i < rawArgs.size(); ++i) {
        const QString &a = rawArgs.at(i);
        QString *target = a == QLatin1String("--embedding-model") ? &embeddingModel
                          : a == QLatin1String("--endpoint")      ? &endpointUrl
                          : a == QLatin1String("--api-key-env")   ? &apiKeyEnv
                                                                  : nullptr;
        if (!target) {
            args << a;
            continue;
        }
        if (i + 1 >= rawArgs.size())
            return usage();
        *target = rawArgs.at(++i);
    }
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
        for (const auto &base : kb.listBases()) {
            QString line = QStringLiteral("%1\t%2\t%3 documents")
                               .arg(base.name, base.id)
                               .arg(base.documentCount);
            if (!base.embeddingModel.isEmpty())
                line += QStringLiteral("\tembeddings: %1 (%2 vectors)")
                            .arg(base.embeddingModel)
                            .arg(base.vectorCount);
            say(stdout, line);
        }
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
        auto created = kb.createBase(args[1], embeddingModel);
        if (!created) {
            say(stderr, created.error().toString());
            return 1;
        }
        id = *created;
    } else if (!embeddingModel.isEmpty()) {
        if (auto set = kb.setEmbeddingModel(id, embeddingModel); !set) {
            say(stderr, set.error().toString());
            return 1;
        }
    }
    // Embeddings: through --endpoint, else the default endpoint profile (which may start an
    // in-process simulator for as long as this command runs).
    llm::RunEndpointProvider provider;
    store::KnowledgeStore::Embedder embed;
    if (!kb.embeddingModel(id).isEmpty()) {
        std::optional<llm::EndpointConfig> config;
        if (!endpointUrl.isEmpty()) {
            const QUrl url(endpointUrl);
            if (!url.isValid()
                || (url.scheme() != QLatin1String("http")
                    && url.scheme() != QLatin1String("https"))) {
                say(stderr, QStringLiteral("--endpoint: expected an http(s) URL such as "
                                           "http://127.0.0.1:8000/v1"));
                return 2;
            }
            config = llm::EndpointConfig();
            config->baseUrl = url;
            if (!apiKeyEnv.isEmpty())
                config->apiKey = qEnvironmentVariable(apiKeyEnv.toLocal8Bit().constData());
        } else {
            llm::ProfileStore profiles;
            if (auto loaded = profiles.load(); !loaded)
                say(stderr, QStringLiteral("warning: %1").arg(loaded.error().toString()));
            auto endpoint = provider.resolveNow(profiles);
            if (!endpoint) {
                say(stderr, endpoint.error().toString());
                return 1;
            }
            say(stderr, provider.description());
            config = endpoint->config;
        }
        embed = [config
                 = *config](const QString &model,
                            const QStringList &texts) -> Result<std::vector<std::vector<float>>> {
            auto embedded = llm::EmbeddingsClient::embed(config, model, texts);
            if (!embedded)
                return tl::unexpected(embedded.error());
            return std::move(embedded->vectors);
        };
        // Chunks added before the base had a model (or while no endpoint answered).
        if (auto missing = kb.embedMissing(id, embed); !missing) {
            say(stderr, missing.error().toString());
            return 1;
        }
    }
    int failures = 0;
    for (const QString &file : args.mid(2)) {
        auto added = kb.addDocument(id, file, embed);
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

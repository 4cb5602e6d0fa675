#include "questionclassifiernode.h"

#include "llm/chatclient.h"
#include "llm/endpoint.h"
#include "nodes/llmnodesupport.h"
#include "variables/template.h"

#include <QCoreApplication>

namespace flowbench::nodes {

using Json = nlohmann::json;
using llmsupport::qs;
using llmsupport::str;

namespace {

struct ClassEntry
{
    QString id;
    QString name;
    QString label;
};

// An id or name in the model's answer: strings as they are, numbers as their text.
QString answerField(const Json &answer, const char *key)
{
    const auto it = answer.find(key);
    if (it == answer.end())
        return {};
    if (it->is_string())
        return qs(it->get<std::string>()).trimmed();
    if (it->is_number())
        return qs(it->dump());
    return {};
}

} // namespace

struct QuestionClassifierNode::Private
{
    runtime::NodeContext *ctx = nullptr;
    std::unique_ptr<llm::ChatClient> client;
    std::vector<ClassEntry> classes;
    Json inputs = Json::object();
    Json prompts = Json::array();
    bool done = false;

    void fail(const QString &message, const QString &type)
    {
        if (done)
            return;
        done = true;
        ctx->finish(runtime::NodeResult::failure(message, type));
    }
    void finished(const llm::ChatResult &res);
};

QuestionClassifierNode::QuestionClassifierNode()
    : d(std::make_unique<Private>())
{}

QuestionClassifierNode::~QuestionClassifierNode()
{
    cancel();
}

void QuestionClassifierNode::cancel()
{
    d->done = true; // a cancelled client reports failed(Cancelled): the engine needs no finish
    if (d->client)
        d->client->cancel();
}

void QuestionClassifierNode::start(runtime::NodeContext &ctx)
{
    d->ctx = &ctx;
    try {
        const Json &data = ctx.data();
        const Result<QString> modelNameResolved = llmsupport::resolveModel(ctx);
        if (!modelNameResolved) {
            d->fail(modelNameResolved.error().message, modelNameResolved.error().code);
            return;
        }
        const QString modelName = *modelNameResolved;
        const Json model = data.value("model", Json::object());

        const Json classes = data.value("classes", Json::array());
        Json categories = Json::array();
        if (classes.is_array()) {
            for (const Json &c : classes) {
                if (!c.is_object())
                    continue;
                ClassEntry entry{qs(str(c, "id")), qs(str(c, "name")), qs(str(c, "label"))};
                if (entry.id.isEmpty())
                    continue;
                if (entry.label.isEmpty())
                    entry.label = QStringLiteral("CLASS %1").arg(d->classes.size() + 1);
                categories.push_back(Json{{"category_id", entry.id.toStdString()},
                                          {"category_name", entry.name.toStdString()}});
                d->classes.push_back(std::move(entry));
            }
        }
        if (d->classes.empty()) {
            d->fail(QCoreApplication::translate("flowbench::nodes::QuestionClassifierNode",
                                                "the node has no classes"),
                    QStringLiteral("ValueError"));
            return;
        }

        const variables::VariablePool &pool = ctx.pool();
        const QString query
            = llmsupport::selectorText(data.value("query_variable_selector", Json()), pool);
        const QString instruction = qs(
            variables::renderTemplate(str(data, "instruction"), pool, variables::Rendering::Text));

        auto images = llmsupport::visionImages(data, pool);
        if (!images) {
            d->fail(images.error().message, QStringLiteral("FileFetchError"));
            return;
        }

        // The prompt is not translated: it is for the model, and Dify's is English.
        QString system = QStringLiteral(
            "You are a text classification engine that analyzes text data and assigns it to "
            "exactly one of the categories below.\n");
        if (!instruction.trimmed().isEmpty())
            system += QStringLiteral("Classification instructions: ") + instruction.trimmed()
                      + QLatin1Char('\n');
        system += QStringLiteral("Categories: ") + qs(categories.dump()) + QLatin1Char('\n');
        system += QStringLiteral("Answer with a JSON object only, without any other text: "
                                 "{\"category_id\": \"<the chosen category_id>\", "
                                 "\"category_name\": \"<the chosen category_name>\"}");
        // Chatflow memory: the earlier turns as text, as Dify's classifier prompt has them.
        const QString histories
            = llmsupport::historyText(llmsupport::memoryConfig(ctx), ctx.conversationHistory());
        if (!histories.isEmpty())
            system += QStringLiteral("\n### Memory\nHere are the chat histories between human "
                                     "and assistant, inside <histories></histories> XML tags.\n"
                                     "<histories>\n")
                      + histories + QStringLiteral("\n</histories>");

        llm::ChatRequest request;
        request.model = modelName;
        request.stream = true;
        llmsupport::applyCompletionParams(model, request);
        request.messages.push_back(llm::Message::text(QStringLiteral("system"), system));
        request.messages.push_back(llm::Message::text(QStringLiteral("user"), query));
        const int imageCount = static_cast<int>(images->size());
        llmsupport::attachImages(request.messages, std::move(*images));

        d->prompts = Json::array({Json{{"role", "system"}, {"text", system.toStdString()}},
                                  Json{{"role", "user"}, {"text", query.toStdString()}}});
        d->inputs = Json{{"query", query.toStdString()},
                         {"model", modelName.toStdString()},
                         {"image_count", imageCount}};

        d->client = std::make_unique<llm::ChatClient>(ctx.network(), ctx.llmEndpoint()->config);
        llm::ChatClient *client = d->client.get();
        QObject::connect(client, &llm::ChatClient::finished, client,
                         [this](const llm::ChatResult &res) { d->finished(res); });
        QObject::connect(client, &llm::ChatClient::failed, client, [this](const llm::ChatError &e) {
            d->fail(
                QCoreApplication::translate("flowbench::nodes::QuestionClassifierNode", "%1 (%2)")
                    .arg(e.message, e.kindName()),
                QStringLiteral("LLMError"));
        });
        client->start(request);
    } catch (const std::exception &e) {
        d->fail(QString::fromUtf8(e.what()), QStringLiteral("NodeError"));
    }
}

void QuestionClassifierNode::Private::finished(const llm::ChatResult &res)
{
    if (done)
        return;
    try {
        // As Dify: the first class unless the answer names another one.
        const ClassEntry *chosen = &classes.front();
        const std::optional<Json> answer = llmsupport::findJsonObject(res.content);
        if (answer) {
            const QString id = answerField(*answer, "category_id");
            const QString name = answerField(*answer, "category_name");
            const auto byId = std::find_if(classes.cbegin(), classes.cend(),
                                           [&](const ClassEntry &c) { return c.id == id; });
            const auto byName
                = std::find_if(classes.cbegin(), classes.cend(), [&](const ClassEntry &c) {
                      return !name.isEmpty()
                             && c.name.trimmed().compare(name, Qt::CaseInsensitive) == 0;
                  });
            if (!id.isEmpty() && byId != classes.cend())
                chosen = &*byId;
            else if (byName != classes.cend())
                chosen = &*byName;
        }

        runtime::NodeResult r;
        r.inputs = inputs;
        const Json usage = res.usage.toJson(res.latencyMs, res.timeToFirstTokenMs);
        r.outputs["class_name"] = chosen->name.toStdString();
        r.outputs["class_id"] = chosen->id.toStdString();
        r.outputs["class_label"] = chosen->label.toStdString();
        r.outputs["usage"] = usage;
        r.usage = usage;
        r.edgeSourceHandle = chosen->id;
        r.processData = Json{{"model_mode", "chat"},
                             {"prompts", prompts},
                             {"raw_reply", res.content.toStdString()},
                             {"parsed_reply", answer ? *answer : Json()},
                             {"finish_reason", res.finishReason.toStdString()},
                             {"usage", usage}};
        r.metadata
            = Json{{"model", res.model.toStdString()},
                   {"time_to_first_token_ms", res.timeToFirstTokenMs},
                   {"latency_ms", res.latencyMs},
                   {"endpoint", ctx->llmEndpoint()->config.baseUrl.toString().toStdString()}};
        done = true;
        ctx->finish(std::move(r));
    } catch (const std::exception &e) {
        fail(QString::fromUtf8(e.what()), QStringLiteral("NodeError"));
    }
}

} // namespace flowbench::nodes

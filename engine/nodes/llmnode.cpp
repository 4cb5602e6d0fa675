#include "llmnode.h"

#include "llm/chatclient.h"
#include "llm/endpoint.h"
#include "nodes/llmnodesupport.h"
#include "runtime/pythonworker.h"
#include "variables/template.h"

#include <QCoreApplication>
#include <QPointer>

#include <optional>

namespace flowbench::nodes {

using Json = nlohmann::json;
using llmsupport::qs;
using llmsupport::selectorOf;
using llmsupport::str;

namespace {

// The context variable as prompt text: strings as they are, retrieval results joined (§3 llm).
QString contextText(const Json &value)
{
    if (value.is_string())
        return qs(value.get<std::string>());
    if (value.is_array()) {
        QStringList parts;
        for (const Json &item : value) {
            if (item.is_object() && item.contains("content") && item["content"].is_string())
                parts << qs(item["content"].get<std::string>());
            else
                parts << qs(variables::renderText(item));
        }
        return parts.join(QLatin1Char('\n'));
    }
    return qs(variables::renderText(value));
}

struct PromptPiece
{
    QString role;
    QString text;
    bool jinja = false;
    bool history = false; // a memory turn: sent even when empty
};

} // namespace

struct LlmNode::Private
{
    runtime::NodeContext *ctx = nullptr;
    std::unique_ptr<llm::ChatClient> client;
    std::vector<PromptPiece> pieces;
    size_t pendingJinja = 0;
    bool failed = false;
    bool tagged = true;     // reasoning_format: tagged keeps <think>…</think> in the text
    bool thinkOpen = false; // a <think> tag was streamed and not closed yet
    bool structured = false;
    Json inputs = Json::object();
    llm::ChatRequest request;
    std::vector<llm::ContentPart> images; // attached to the last user message
    std::optional<QString> histories;     // completion prompts: the memory text for #histories#
    QString model;
    std::vector<quint64> pythonRequests;

    void fail(const QString &message, const QString &type)
    {
        if (failed)
            return;
        failed = true;
        ctx->finish(runtime::NodeResult::failure(message, type));
    }
    void renderJinja();
    void send();
};

LlmNode::LlmNode()
    : d(std::make_unique<Private>())
{}

LlmNode::~LlmNode()
{
    cancel();
}

void LlmNode::cancel()
{
    if (d->client)
        d->client->cancel();
    if (d->ctx)
        for (quint64 id : d->pythonRequests)
            d->ctx->python()->cancel(id);
    d->pythonRequests.clear();
}

void LlmNode::start(runtime::NodeContext &ctx)
{
    d->ctx = &ctx;
    const Json &data = ctx.data();
    const Result<QString> model = llmsupport::resolveModel(ctx);
    if (!model) {
        d->fail(model.error().message, model.error().code);
        return;
    }
    d->model = *model;
    const variables::VariablePool &pool = ctx.pool();

    QString context;
    const Json ctxCfg = data.value("context", Json::object());
    if (ctxCfg.is_object() && ctxCfg.value("enabled", false) == true) {
        const variables::Selector sel
            = selectorOf(ctxCfg.value("variable_selector", Json::array()));
        if (const Json *v = sel.size() >= 2 ? pool.find(sel) : nullptr)
            context = contextText(*v);
    }
    const auto render = [&](const std::string &text) {
        QString t = qs(variables::renderTemplate(text, pool, variables::Rendering::Text));
        return t.replace(QStringLiteral("{{#context#}}"), context);
    };

    const Json templ = data.value("prompt_template", Json());
    const auto addPiece = [&](const Json &entry, const QString &role) {
        if (!entry.is_object())
            return;
        if (str(entry, "edition_type") == "jinja2")
            d->pieces.push_back({role, qs(str(entry, "jinja2_text")), true});
        else
            d->pieces.push_back({role, render(str(entry, "text")), false});
    };
    if (templ.is_array()) {
        for (const Json &entry : templ)
            addPiece(entry, qs(str(entry, "role", "user")));
    } else if (templ.is_object()) {
        addPiece(templ, QStringLiteral("user")); // completion models: one prompt
    } else {
        d->fail(
            QCoreApplication::translate("flowbench::nodes::LlmNode", "prompt_template is missing"),
            QStringLiteral("ValueError"));
        return;
    }
    // Chatflow memory (Dify's fetch_prompt_messages): chat prompts get the earlier turns as
    // user/assistant messages after the template's messages, then the query prompt; a completion
    // prompt gets them as text in #histories# (or before the prompt when it has no placeholder).
    const Json memory = llmsupport::memoryConfig(ctx);
    if (memory.is_object()) {
        if (templ.is_array()) {
            for (const llm::Message &m :
                 llmsupport::historyMessages(memory, ctx.conversationHistory())) {
                QString text;
                for (const llm::ContentPart &part : m.parts)
                    text += part.text;
                d->pieces.push_back({m.role, text, false, true});
            }
        } else {
            const Json prefix = memory.value("role_prefix", Json::object());
            d->histories = llmsupport::historyText(memory, ctx.conversationHistory(),
                                                   qs(str(prefix, "user", "Human")),
                                                   qs(str(prefix, "assistant", "Assistant")));
        }
        const std::string query = str(memory, "query_prompt_template", "{{#sys.query#}}");
        d->pieces.push_back({QStringLiteral("user"), render(query), false});
    }

    // Request parameters from completion_params.
    llm::ChatRequest &r = d->request;
    r.model = d->model;
    r.stream = true;
    llmsupport::applyCompletionParams(data.value("model", Json::object()), r);
    d->structured = data.value("structured_output_enabled", false) == true
                    || data.value("structured_output_switch_on", false) == true;
    if (d->structured) {
        const Json schema
            = data.value("structured_output", Json::object()).value("schema", Json::object());
        r.responseFormat
            = Json{{"type", "json_schema"},
                   {"json_schema", {{"name", "output"}, {"schema", schema}, {"strict", false}}}};
    }
    d->tagged = str(data, "reasoning_format", "tagged") != "separated";

    // Vision: image files become image parts of the last user message.
    auto images = llmsupport::visionImages(data, pool);
    if (!images) {
        d->fail(images.error().message, QStringLiteral("FileFetchError"));
        return;
    }
    d->inputs["model"] = d->model.toStdString();
    d->inputs["image_count"] = static_cast<int>(images->size());
    d->images = std::move(*images);
    d->renderJinja();
}

void LlmNode::Private::renderJinja()
{
    // Jinja2 prompt editions render in the Python worker with the node's jinja2_variables.
    Json inputs = Json::object();
    const Json vars = ctx->data()
                          .value("prompt_config", Json::object())
                          .value("jinja2_variables", Json::array());
    if (vars.is_array()) {
        for (const Json &v : vars) {
            if (!v.is_object() || !v.contains("variable") || !v["variable"].is_string())
                continue;
            const variables::Selector sel = selectorOf(v.value("value_selector", Json::array()));
            const Json *value = sel.size() >= 2 ? ctx->pool().find(sel) : nullptr;
            inputs[v["variable"].get<std::string>()] = value ? *value : Json();
        }
    }
    for (size_t i = 0; i < pieces.size(); ++i) {
        if (!pieces[i].jinja)
            continue;
        ++pendingJinja;
        pythonRequests.push_back(ctx->python()->call(
            QStringLiteral("jinja2"),
            Json{{"template", pieces[i].text.toStdString()}, {"inputs", inputs}}, 10000,
            [this, i](Result<Json> r) {
                if (failed)
                    return;
                if (!r) {
                    fail(QCoreApplication::translate("flowbench::nodes::LlmNode",
                                                     "Jinja2 prompt: %1")
                             .arg(r.error().message),
                         QStringLiteral("TemplateRenderError"));
                    return;
                }
                pieces[i].text = qs(r->value("result", std::string()));
                pieces[i].jinja = false;
                if (--pendingJinja == 0)
                    send();
            }));
    }
    if (pendingJinja == 0)
        send();
}

void LlmNode::Private::send()
{
    request.messages.clear();
    if (histories && !pieces.empty()) {
        QString &prompt = pieces.front().text;
        if (prompt.contains(QLatin1String("#histories#"))) {
            prompt.replace(QStringLiteral("{{#histories#}}"), *histories);
            prompt.replace(QStringLiteral("#histories#"), *histories);
        } else if (!histories->isEmpty()) {
            prompt = *histories + QLatin1Char('\n') + prompt;
        }
    }
    Json prompts = Json::array();
    for (const PromptPiece &p : pieces) {
        if (p.text.isEmpty() && p.role != QLatin1String("user") && !p.history)
            continue;
        request.messages.push_back(llm::Message::text(p.role, p.text));
        prompts.push_back(Json{{"role", p.role.toStdString()}, {"text", p.text.toStdString()}});
    }
    llmsupport::attachImages(request.messages, std::move(images));
    if (request.messages.empty()) {
        fail(QCoreApplication::translate("flowbench::nodes::LlmNode", "the prompt is empty"),
             QStringLiteral("ValueError"));
        return;
    }
    inputs["prompts"] = prompts;

    client = std::make_unique<llm::ChatClient>(ctx->network(), ctx->llmEndpoint()->config);
    const QStringList selector{ctx->nodeId(), QStringLiteral("text")};
    QObject::connect(client.get(), &llm::ChatClient::delta, client.get(),
                     [this, selector](const QString &content, const QString &reasoning) {
                         QString out;
                         if (tagged && !reasoning.isEmpty()) {
                             if (!thinkOpen)
                                 out += QStringLiteral("<think>\n");
                             thinkOpen = true;
                             out += reasoning;
                         }
                         if (!content.isEmpty()) {
                             if (thinkOpen) {
                                 out += QStringLiteral("\n</think>\n");
                                 thinkOpen = false;
                             }
                             out += content;
                         }
                         if (!out.isEmpty())
                             ctx->emitChunk(selector, out, false);
                     });
    QObject::connect(
        client.get(), &llm::ChatClient::finished, client.get(),
        [this, selector](const llm::ChatResult &res) {
            if (failed)
                return;
            ctx->emitChunk(selector, QString(), true);
            runtime::NodeResult r;
            r.inputs = inputs;
            QString text = res.content;
            if (tagged && !res.reasoning.isEmpty())
                text = QStringLiteral("<think>\n") + res.reasoning + QStringLiteral("\n</think>\n")
                       + res.content;
            r.outputs["text"] = text.toStdString();
            r.outputs["reasoning_content"] = res.reasoning.toStdString();
            Json usage = res.usage.toJson(res.latencyMs, res.timeToFirstTokenMs);
            r.outputs["usage"] = usage;
            r.outputs["finish_reason"] = res.finishReason.toStdString();
            if (structured) {
                try {
                    r.outputs["structured_output"] = Json::parse(res.content.toStdString());
                } catch (const std::exception &) {
                    r.outputs["structured_output"] = Json::object();
                }
            }
            r.usage = usage;
            r.metadata
                = Json{{"model", res.model.toStdString()},
                       {"time_to_first_token_ms", res.timeToFirstTokenMs},
                       {"latency_ms", res.latencyMs},
                       {"endpoint", ctx->llmEndpoint()->config.baseUrl.toString().toStdString()}};
            failed = true; // finished: nothing more may end this node
            ctx->finish(std::move(r));
        });
    QObject::connect(client.get(), &llm::ChatClient::failed, client.get(),
                     [this](const llm::ChatError &e) {
                         fail(QCoreApplication::translate("flowbench::nodes::LlmNode", "%1 (%2)")
                                  .arg(e.message, e.kindName()),
                              QStringLiteral("LLMError"));
                     });
    client->start(request);
}

} // namespace flowbench::nodes

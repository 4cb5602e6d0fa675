#include "dslio.h"
#include "dsltext.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace flowbench::document {

SourceLocation locateInYaml(std::string_view text, const QString &pointer); // yamlreader.cpp

FileFormat formatForPath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("yml") || suffix == QLatin1String("yaml"))
        return FileFormat::DifyYaml;
    return FileFormat::NativeJson;
}

SourceLocation locateInSource(std::string_view text, FileFormat format, const QString &pointer)
{
    if (format == FileFormat::DifyYaml)
        return locateInYaml(text, pointer);
    SourceLocation l;
    l.pointer = pointer;
    return l;
}

namespace {

void dropUnderscoreKeys(Json &object)
{
    if (!object.is_object())
        return;
    for (auto it = object.begin(); it != object.end();) {
        if (!it.key().empty() && it.key()[0] == '_')
            it = object.erase(it);
        else
            ++it;
    }
}

} // namespace

Json documentJson(const Workflow &workflow, FileFormat format, const ExportOptions &options)
{
    Json root = workflow.toJson();
    if (format == FileFormat::NativeJson)
        return root;
    root.erase("flowbench");
    auto wf = root.find("workflow");
    if (wf == root.end())
        return root;
    // UI runtime state (`_runningStatus`, `_children`, ...) never goes into a DSL.
    if (auto graph = wf->find("graph"); graph != wf->end()) {
        for (const char *list : {"nodes", "edges"}) {
            auto items = graph->find(list);
            if (items == graph->end() || !items->is_array())
                continue;
            for (Json &item : *items) {
                dropUnderscoreKeys(item);
                if (auto data = item.find("data"); data != item.end())
                    dropUnderscoreKeys(*data);
            }
        }
    }
    if (!options.keepSecrets) {
        if (auto env = wf->find("environment_variables"); env != wf->end() && env->is_array()) {
            for (Json &v : *env) {
                if (v.is_object() && v.value("value_type", std::string()) == "secret")
                    v["value"] = "";
            }
        }
    }
    return root;
}

QByteArray serialize(const Workflow &workflow, FileFormat format, const ExportOptions &options)
{
    const Json root = documentJson(workflow, format, options);
    if (format == FileFormat::DifyYaml)
        return toYaml(root);
    const std::string text = root.dump(2, ' ', false, Json::error_handler_t::replace);
    QByteArray out(text.data(), static_cast<qsizetype>(text.size()));
    out.append('\n');
    return out;
}

Result<LoadedWorkflow> loadWorkflowText(const QByteArray &text, FileFormat format,
                                        const QString &fileName)
{
    const std::string_view view(text.constData(), static_cast<size_t>(text.size()));
    Result<Json> parsed
        = format == FileFormat::DifyYaml ? parseYaml(view, fileName) : parseJson(view, fileName);
    if (!parsed)
        return tl::unexpected(parsed.error());
    LoadedWorkflow loaded;
    loaded.format = format;
    auto wf = Workflow::fromJson(std::move(*parsed), &loaded.warnings);
    if (!wf) {
        Error e = wf.error();
        const SourceLocation found = locateInSource(view, format, e.location.pointer);
        e.location.file = fileName;
        e.location.line = found.line;
        e.location.column = found.column;
        return tl::unexpected(e);
    }
    loaded.workflow = std::move(*wf);
    loaded.source = text;
    return loaded;
}

Result<LoadedWorkflow> loadWorkflowFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("io.read"),
                         DslText::tr("cannot open: %1").arg(file.errorString()),
                         SourceLocation{path, 0, 0, {}});
    if (file.size() > static_cast<qint64>(kMaxDslBytes))
        return makeError(QStringLiteral("dsl.size"),
                         DslText::tr("file is %1 bytes; the limit is 10 MiB").arg(file.size()),
                         SourceLocation{path, 0, 0, {}});
    const QByteArray text = file.readAll();
    return loadWorkflowText(text, formatForPath(path), path);
}

Result<void> saveWorkflowFile(const Workflow &workflow, const QString &path, FileFormat format,
                              const ExportOptions &options)
{
    const QByteArray bytes = serialize(workflow, format, options);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(QStringLiteral("io.write"),
                         DslText::tr("cannot write: %1").arg(file.errorString()),
                         SourceLocation{path, 0, 0, {}});
    if (file.write(bytes) != bytes.size() || !file.commit())
        return makeError(QStringLiteral("io.write"),
                         DslText::tr("cannot write: %1").arg(file.errorString()),
                         SourceLocation{path, 0, 0, {}});
    return {};
}

} // namespace flowbench::document

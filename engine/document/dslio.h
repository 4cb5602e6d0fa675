#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <string_view>

#include "core/result.h"
#include "workflow.h"

namespace flowbench::document {

// Dify's import size limit (AppDslService): larger files are refused before parsing.
inline constexpr std::size_t kMaxDslBytes = 10 * 1024 * 1024;

enum class FileFormat {
    DifyYaml,       // .yml / .yaml: Dify DSL
    NativeJson,     // .json: DSL layout + `flowbench` workbench state
    DeploymentJson, // .json for deployment: no `flowbench`, no `_` keys, secrets blanked
};

// Chooses by extension: .yml/.yaml → DifyYaml, anything else → NativeJson.
FileFormat formatForPath(const QString &path);

// Parses YAML with PyYAML's safe_load rules (YAML 1.1 implicit types: yes/no/on/off are
// booleans, "1e3" is a string, quoted scalars are strings) into JSON. Rejects invalid UTF-8,
// duplicate keys, unknown tags and anything over kMaxDslBytes; errors carry line and column.
Result<Json> parseYaml(std::string_view text, const QString &fileName = {});

// Parses JSON, rejecting duplicate keys and invalid UTF-8; errors carry line and column, and
// the JSON pointer where the parser stopped.
Result<Json> parseJson(std::string_view text, const QString &fileName = {});

// Line and column (1-based) of the value a JSON pointer names, in YAML or JSON source text.
// Falls back to the nearest ancestor that exists; {0,0} when nothing matches.
SourceLocation locateInSource(std::string_view text, FileFormat format, const QString &pointer);

// Dify-style YAML: block style, keys sorted, strings quoted whenever PyYAML would otherwise
// read them as another type (so "true", "0.5" and "" stay strings).
QByteArray toYaml(const Json &value);

// How PyYAML would type a plain (unquoted) scalar: the JSON it means.
Json resolvePlainScalar(std::string_view text);

struct ExportOptions
{
    bool keepSecrets = false; // deployment forms blank secret env values unless asked
};

// The document in a given format: native keeps everything; the Dify YAML and deployment JSON
// forms drop `flowbench` and `_`-prefixed keys and blank secret values unless keepSecrets.
Json documentJson(const Workflow &workflow, FileFormat format, const ExportOptions &options = {});
QByteArray serialize(const Workflow &workflow, FileFormat format,
                     const ExportOptions &options = {});

struct LoadedWorkflow
{
    Workflow workflow;
    FileFormat format = FileFormat::NativeJson;
    QStringList warnings;
    QByteArray source; // the text as read, for locating problems
};

// Reads a file or text in the given format. Errors say file, line and column where known.
Result<LoadedWorkflow> loadWorkflowText(const QByteArray &text, FileFormat format,
                                        const QString &fileName = {});
Result<LoadedWorkflow> loadWorkflowFile(const QString &path);

// Atomic save (QSaveFile): the target is either the old file or the complete new one.
Result<void> saveWorkflowFile(const Workflow &workflow, const QString &path, FileFormat format,
                              const ExportOptions &options = {});

} // namespace flowbench::document

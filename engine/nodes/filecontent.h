#pragma once

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

#include "core/result.h"

#include <string>

namespace flowbench::nodes {

using Json = nlohmann::json;

// Helpers for file variables ({"dify_model_identity": "__dify__file__", "url", ...}) shared by
// the nodes that read or produce file bytes (http-request, document-extractor). Pure functions,
// safe to call from any thread.

// Where a file's bytes live: its `url`, else Dify's `remote_url`; empty when neither is set.
QString fileLocation(const Json &file);

// True for http:// and https:// locations, which have to be fetched over the network.
bool isRemoteLocation(const QString &location);

// Reads a file's bytes from a `data:` URL, a `file://` URL or an absolute local path. Blocking
// (disk I/O): call it from runInPool. Error codes: "file.location" (no location, or one this
// function cannot read, such as http), "io.read" (the local file cannot be read).
Result<QByteArray> readLocalFileContent(const Json &file);

// `data:<mime>;base64,<bytes>`.
QByteArray toDataUrl(const QByteArray &bytes, const QString &mimeType);

// Dify's file type for a MIME type: "image", "audio", "video", "document" or "custom".
std::string fileTypeForMime(const QString &mimeType);

// The file's name for messages: `name`, else `filename`, else its location.
QString fileDisplayName(const Json &file);

// "523 bytes", "1.50 KB", "2.00 MB": Dify's readable size in its size-limit messages.
QString readableSize(qint64 bytes);

// A Dify file object for a local path (transfer_method local_file, url a file:// URL), as
// `flowbench run --files` and the Run dialog build it. The type is guessed from the MIME type of
// the file (its name, else its first bytes: blocking disk I/O), more loosely than
// fileTypeForMime(): any MIME type naming pdf, document or json counts as a document.
Json localFileObject(const QString &path);

} // namespace flowbench::nodes

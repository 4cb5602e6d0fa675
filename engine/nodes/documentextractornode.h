#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include "core/result.h"
#include "runtime/execnode.h"

#include <memory>

namespace flowbench::nodes {

// Dify's document-extractor node (§3): reads the file (or list of files) at `variable_selector`
// and outputs its text: a string for one file, array[string] for a list (an empty or null input
// gives []). File bytes come from data: and file:// URLs (read on the thread pool) or from
// http(s) URLs (fetched with the engine's network manager); extraction runs on the thread pool.
//
// Formats, chosen by `extension` (else `mime_type`), as Dify does: plain text (txt, md,
// markdown, mdx, html, htm, xml and Dify's list of source-code and config extensions; HTML is
// returned as is, as in Dify), json (re-indented by 2), csv (a Markdown table), pdf (Poppler,
// pages joined by "\n"), docx (paragraphs and Markdown tables), properties. yaml/yml are
// returned as text instead of being re-dumped. Dify's doc, xls(x), ppt(x), epub, odt, eml and
// msg extractors are not available: those fail with UnsupportedFileTypeError.
//
// Failures: DocumentExtractorError (variable missing or not a file), FileDownloadError,
// UnsupportedFileTypeError, TextExtractionError.
class DocumentExtractorNode final : public runtime::ExecNode
{
    Q_DECLARE_TR_FUNCTIONS(flowbench::nodes::DocumentExtractorNode)

public:
    DocumentExtractorNode();
    ~DocumentExtractorNode() override;

    void start(runtime::NodeContext &ctx) override;
    void cancel() override;

    // The text of one document. `extension` may come with or without its dot ("pdf", ".pdf");
    // when it is empty, `mimeType` decides. Thread-safe and blocking (call it from the pool).
    // The error's code is the Dify error type (UnsupportedFileTypeError, TextExtractionError).
    static Result<QString> extractText(const QByteArray &content, const QString &extension,
                                       const QString &mimeType);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace flowbench::nodes

#pragma once

#include <QCoreApplication>

#include "runtime/execnode.h"

#include <memory>

namespace flowbench::nodes {

// Dify's http-request node (§3). Renders url, headers, params and body with the text rendering,
// sends the request on the engine thread's QNetworkAccessManager and outputs status_code, body,
// headers (lower-case names) and files (a binary response as one file object).
//
// Differences from Dify worth knowing:
// * A json body that does not parse (even after raw control characters inside strings are
//   escaped, which Python's strict=False allows) is sent as rendered instead of being repaired;
//   process_data.json_warning says so.
// * Files sent in form-data and binary bodies must be data: or file:// URLs.
// * A binary body is sent with the file's MIME type as Content-Type (Dify sends none).
// * A file response is stored as a data: URL up to 1 MiB, beyond that in a temporary file
//   (file:// URL).
//
// Failures: InvalidURLError, InvalidHttpMethodError, AuthorizationConfigError, RequestBodyError,
// FileFetchError, ResponseSizeError, HttpRequestNodeError (connection, DNS, TLS, timeouts) and
// HTTPResponseCodeError (non-2xx, only with an error strategy or retry enabled).
class HttpRequestNode final : public runtime::ExecNode
{
    Q_DECLARE_TR_FUNCTIONS(flowbench::nodes::HttpRequestNode)

public:
    HttpRequestNode();
    ~HttpRequestNode() override;

    void start(runtime::NodeContext &ctx) override;
    void cancel() override;

    static constexpr int kDefaultConnectTimeout = 10;   // HTTP_REQUEST_MAX_CONNECT_TIMEOUT, s
    static constexpr int kDefaultReadTimeout = 600;     // HTTP_REQUEST_MAX_READ_TIMEOUT, s
    static constexpr int kDefaultWriteTimeout = 600;    // HTTP_REQUEST_MAX_WRITE_TIMEOUT, s
    static constexpr qint64 kMaxTextSize = 1024 * 1024; // HTTP_REQUEST_NODE_MAX_TEXT_SIZE
    static constexpr qint64 kMaxBinarySize = 10 * 1024 * 1024; // ..._MAX_BINARY_SIZE

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace flowbench::nodes

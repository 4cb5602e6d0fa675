#pragma once

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QList>
#include <QPair>

#include <functional>

class QHttpServerRequest;
class QTcpSocket;

// HTTP/1.1 responses written straight to a request's socket, for the servers that answer from
// the engine (the LLM simulator, `flowbench serve`). QHttpServer 6.4's router cannot stream: it
// never ends a chunked response by itself. So these servers subclass QAbstractHttpServer, whose
// handleRequest() hands over the request's QTcpSocket, and write the status line, headers,
// Content-Length bodies or hand-made chunked encoding (with the terminating 0-chunk) themselves.
// QAbstractHttpServer deleteLater()s a socket once it disconnects: hold it in a QPointer and
// write through writeAll(), which checks the state first. Event-loop thread only.
namespace flowbench::http {

// A QAbstractHttpServer that hands every request and its socket to one handler.
class SocketHttpServer final : public QAbstractHttpServer
{
public:
    using Handler = std::function<void(const QHttpServerRequest &, QTcpSocket *)>;

    SocketHttpServer(Handler handler, QObject *parent);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &, QTcpSocket *) override;

private:
    Handler m_handler;
};

using Headers = QList<QPair<QByteArray, QByteArray>>;

// "OK", "Not Found", ... for a status code ("Status" for one not in the table).
[[nodiscard]] QByteArray reasonPhrase(int status);

// Writes all of `bytes` when the socket is still connected; false when it is gone or short.
bool writeAll(QTcpSocket *socket, const QByteArray &bytes);

// A whole response: status line, content-type (when not empty), content-length, `extra`
// headers, then the body.
bool writeResponse(QTcpSocket *socket, int status, const QByteArray &contentType,
                   const QByteArray &body, const Headers &extra = {});

// One chunk of a chunked body: hex size, CRLF, data, CRLF.
[[nodiscard]] QByteArray chunk(const QByteArray &data);

// The terminating 0-chunk of a chunked body.
inline const QByteArray kChunkedEnd = QByteArrayLiteral("0\r\n\r\n");

} // namespace flowbench::http

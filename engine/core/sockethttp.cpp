#include "sockethttp.h"

#include <QHttpServerRequest>
#include <QTcpSocket>

#include <map>

namespace flowbench::http {

SocketHttpServer::SocketHttpServer(Handler handler, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_handler(std::move(handler))
{}

bool SocketHttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    m_handler(request, socket);
    return true;
}

void SocketHttpServer::missingHandler(const QHttpServerRequest &, QTcpSocket *) {}

QByteArray reasonPhrase(int status)
{
    static const std::map<int, QByteArray> phrases = {
        {200, "OK"},
        {400, "Bad Request"},
        {401, "Unauthorized"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {408, "Request Timeout"},
        {413, "Payload Too Large"},
        {422, "Unprocessable Entity"},
        {429, "Too Many Requests"},
        {500, "Internal Server Error"},
        {501, "Not Implemented"},
        {502, "Bad Gateway"},
        {503, "Service Unavailable"},
        {504, "Gateway Timeout"},
    };
    const auto it = phrases.find(status);
    return it == phrases.end() ? QByteArray("Status") : it->second;
}

bool writeAll(QTcpSocket *socket, const QByteArray &bytes)
{
    return socket && socket->state() == QAbstractSocket::ConnectedState
           && socket->write(bytes) == bytes.size();
}

bool writeResponse(QTcpSocket *socket, int status, const QByteArray &contentType,
                   const QByteArray &body, const Headers &extra)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    if (!contentType.isEmpty())
        out += "content-type: " + contentType + "\r\n";
    out += "content-length: " + QByteArray::number(body.size()) + "\r\n";
    for (const auto &[name, value] : extra)
        out += name + ": " + value + "\r\n";
    out += "\r\n" + body;
    return writeAll(socket, out);
}

QByteArray chunk(const QByteArray &data)
{
    return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
}

} // namespace flowbench::http

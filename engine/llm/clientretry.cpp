#include "clientretry.h"

#include <QRandomGenerator>

#include <algorithm>

namespace flowbench::llm {

namespace {

constexpr qint64 kMaxBackoffMs = 30000;

} // namespace

ChatError makeChatError(ChatError::Kind kind, QString message, int httpStatus)
{
    ChatError error;
    error.kind = kind;
    error.message = std::move(message);
    error.httpStatus = httpStatus;
    return error;
}

int retryDelayMs(const ChatError &error, int attempt, int baseDelayMs, qint64 maxRetryAfterMs)
{
    if (error.retryAfterMs >= 0)
        return static_cast<int>(std::min(error.retryAfterMs, maxRetryAfterMs));
    const qint64 base = std::max(1, baseDelayMs);
    const qint64 backoff = std::min<qint64>(kMaxBackoffMs, base << std::min(attempt - 1, 20));
    const qint64 half = backoff / 2;
    return static_cast<int>(half + QRandomGenerator::global()->bounded(half + 1));
}

} // namespace flowbench::llm

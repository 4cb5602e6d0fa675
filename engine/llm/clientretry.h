#pragma once

#include "chattypes.h"

#include <QString>

// Helpers shared by the HTTP clients of an endpoint (ChatClient, EmbeddingsClient).
namespace flowbench::llm {

// A ChatError of `kind` with `message` and the HTTP status (0: none).
[[nodiscard]] ChatError makeChatError(ChatError::Kind kind, QString message, int httpStatus = 0);

// How long to wait before retry number `attempt` (1-based) after `error`: the server's
// Retry-After capped at `maxRetryAfterMs`, else an exponential backoff from `baseDelayMs`
// (at least 1) capped at 30 s, with "equal jitter": half fixed, half random, so clients that
// failed together spread out.
[[nodiscard]] int retryDelayMs(const ChatError &error, int attempt, int baseDelayMs,
                               qint64 maxRetryAfterMs);

} // namespace flowbench::llm

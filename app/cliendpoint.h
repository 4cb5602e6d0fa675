#pragma once

#include "llm/endpoint.h"

#include <QString>

#include <optional>

namespace flowbench::app {

// The endpoint flags `flowbench run` and `flowbench serve` share: --endpoint URL, --model NAME,
// --api-key-env VAR (cliendpoint.cpp), and --profile NAME beside them.

// Whether `flag` is --endpoint, --model or --api-key-env.
[[nodiscard]] bool isEndpointFlag(const QString &flag);

// Applies one of those flags with its value to `endpoint` (created on first use) and `model`
// (--model). An --endpoint URL may be the server root or its /v1 base; --api-key-env reads the
// key from the named environment variable. On a bad value returns false and sets `error`.
[[nodiscard]] bool applyEndpointFlag(const QString &flag, const QString &value,
                                     std::optional<llm::LlmEndpoint> &endpoint, QString &model,
                                     QString &error);

// After parsing: --profile and --endpoint exclude each other, and --model/--api-key-env need
// --endpoint unless a profile is named. Returns false and sets `error` when they do not fit.
[[nodiscard]] bool checkEndpointFlags(const QString &profile,
                                      const std::optional<llm::LlmEndpoint> &endpoint,
                                      QString &error);

} // namespace flowbench::app

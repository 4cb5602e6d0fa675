#pragma once

#include <QString>

#include <tl/expected.hpp>

namespace flowbench {

// Where a problem is: a file, a 1-based line and column when the text format knows them,
// and a JSON pointer into the document ("/workflow/graph/nodes/3/data/url").
struct SourceLocation
{
    QString file;
    int line = 0;
    int column = 0;
    QString pointer;
};

// An expected failure (bad input, unreadable file), as opposed to a bug.
struct Error
{
    QString code;    // stable, machine-readable: "yaml.syntax", "io.read", ...
    QString message; // for people: says what is wrong
    SourceLocation location;

    // "file:line:col: message" or "file: message", whichever the location allows.
    [[nodiscard]] QString toString() const;
};

template<typename T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> makeError(QString code, QString message, SourceLocation location = {})
{
    return tl::unexpected<Error>(Error{std::move(code), std::move(message), std::move(location)});
}

// Soft assertion for bugs: logs the failed condition with its place and lets the caller recover.
void softAssertFailed(const char *condition, const char *file, int line);

} // namespace flowbench

#define FB_ASSERT(cond, action)                                                                    \
    if (Q_LIKELY(cond)) {                                                                          \
    } else {                                                                                       \
        ::flowbench::softAssertFailed(#cond, __FILE__, __LINE__);                                  \
        action;                                                                                    \
    }                                                                                              \
    do {                                                                                           \
    } while (false)

#pragma once

#include <cstddef>
#include <string_view>

namespace flowbench {

// Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlongs,
// no surrogates, nothing above U+10FFFF), or std::string_view::npos when the text is valid.
std::size_t firstInvalidUtf8(std::string_view text);

// Whether UTF-8 text holds U+FFFE or U+FFFF, Unicode noncharacters that YAML cannot carry.
bool hasUnicodeNoncharacter(std::string_view text);

// 1-based line and column (in bytes) of a byte offset.
struct LineColumn
{
    int line = 1;
    int column = 1;
};
LineColumn lineColumnAt(std::string_view text, std::size_t offset);

} // namespace flowbench

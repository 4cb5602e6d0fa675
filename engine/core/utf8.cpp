#include "utf8.h"

namespace flowbench {

std::size_t firstInvalidUtf8(std::string_view text)
{
    const auto *s = reinterpret_cast<const unsigned char *>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int extra = 0;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
        } else if (c == 0xE0) {
            extra = 2;
            lo = 0xA0;
        } else if (c == 0xED) {
            extra = 2;
            hi = 0x9F; // no UTF-16 surrogates
        } else if (c >= 0xE1 && c <= 0xEF) {
            extra = 2;
        } else if (c == 0xF0) {
            extra = 3;
            lo = 0x90;
        } else if (c >= 0xF1 && c <= 0xF3) {
            extra = 3;
        } else if (c == 0xF4) {
            extra = 3;
            hi = 0x8F;
        } else {
            return i;
        }
        if (i + static_cast<std::size_t>(extra) >= n)
            return i;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (int k = 2; k <= extra; ++k) {
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return i;
        }
        i += extra + 1;
    }
    return std::string_view::npos;
}

bool hasUnicodeNoncharacter(std::string_view s)
{
    for (size_t i = 0; i + 2 < s.size(); ++i) {
        if (static_cast<unsigned char>(s[i]) == 0xEF && static_cast<unsigned char>(s[i + 1]) == 0xBF
            && (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xBE)
            return true;
    }
    return false;
}

LineColumn lineColumnAt(std::string_view text, std::size_t offset)
{
    LineColumn lc;
    const std::size_t end = offset < text.size() ? offset : text.size();
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++lc.line;
            lineStart = i + 1;
        }
    }
    lc.column = static_cast<int>(end - lineStart) + 1;
    return lc;
}

} // namespace flowbench

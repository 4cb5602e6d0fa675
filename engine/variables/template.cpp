#include "template.h"

#include <unordered_set>

namespace flowbench::variables {

namespace {

constexpr std::string_view kOpen = "{{#";
constexpr std::string_view kClose = "#}}";
constexpr std::size_t kMaxNodeIdLength = 50;
constexpr std::size_t kMaxSegmentLength = 30;
constexpr int kMaxSegments = 10;

bool isWordChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool isWordStart(char c)
{
    return isWordChar(c) && !(c >= '0' && c <= '9');
}

// Length of the reference starting at `start` (which holds "{{#"), or 0 when the text there
// does not match Dify's VARIABLE_PATTERN. Every piece of the pattern is a maximal run of word
// characters followed by '.' or '#', so the regex never backtracks into a shorter run and a
// single forward pass decides the match. A match spans at most 3 + 50 + 10 × 31 + 3 bytes.
std::size_t matchReference(std::string_view source, std::size_t start)
{
    std::size_t i = start + kOpen.size();
    const std::size_t idStart = i;
    while (i < source.size() && isWordChar(source[i]))
        ++i;
    const std::size_t idLength = i - idStart;
    if (idLength == 0 || idLength > kMaxNodeIdLength)
        return 0;
    int segments = 0;
    while (i < source.size() && source[i] == '.') {
        if (++segments > kMaxSegments)
            return 0;
        ++i;
        if (i >= source.size() || !isWordStart(source[i]))
            return 0;
        const std::size_t segmentStart = i;
        while (i < source.size() && isWordChar(source[i]))
            ++i;
        if (i - segmentStart > kMaxSegmentLength)
            return 0;
    }
    if (segments == 0 || source.substr(i, kClose.size()) != kClose)
        return 0;
    return i + kClose.size() - start;
}

// Walks the template once: onText(literal) for text between references, onReference(inner)
// for each reference's "node.var..." text. Empty literals are not reported.
template<typename OnText, typename OnReference>
void scanTemplate(std::string_view source, OnText &&onText, OnReference &&onReference)
{
    std::size_t textStart = 0;
    std::size_t pos = source.find(kOpen);
    while (pos != std::string_view::npos) {
        const std::size_t length = matchReference(source, pos);
        if (length == 0) {
            pos = source.find(kOpen, pos + 1);
            continue;
        }
        if (pos > textStart)
            onText(source.substr(textStart, pos - textStart));
        onReference(source.substr(pos + kOpen.size(), length - kOpen.size() - kClose.size()));
        textStart = pos + length;
        pos = source.find(kOpen, textStart);
    }
    if (textStart < source.size())
        onText(source.substr(textStart));
}

void splitSelector(std::string_view inner, Selector &selector)
{
    std::size_t count = 0;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = inner.find('.', start);
        const std::string_view part = inner.substr(
            start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        // Reuses the strings' capacity: rendering splits every reference of a large template.
        if (count < selector.size())
            selector[count].assign(part);
        else
            selector.emplace_back(part);
        ++count;
        if (dot == std::string_view::npos)
            break;
        start = dot + 1;
    }
    selector.resize(count);
}

} // namespace

std::vector<TemplateSegment> parseTemplate(std::string_view source)
{
    std::vector<TemplateSegment> segments;
    scanTemplate(
        source,
        [&](std::string_view text) {
            TemplateSegment segment;
            segment.text.assign(text);
            segments.push_back(std::move(segment));
        },
        [&](std::string_view inner) {
            TemplateSegment segment;
            segment.isVariable = true;
            segment.text.assign(inner);
            splitSelector(inner, segment.selector);
            segments.push_back(std::move(segment));
        });
    return segments;
}

std::string renderTemplate(std::string_view source, const VariablePool &pool, Rendering rendering)
{
    std::string out;
    out.reserve(source.size());
    Selector selector;
    scanTemplate(
        source, [&](std::string_view text) { out.append(text); },
        [&](std::string_view inner) {
            splitSelector(inner, selector);
            const Json *value = pool.find(selector);
            if (!value)
                out.append(inner); // Dify renders an unresolved reference as its bare text
            else if (value->is_string())
                out += value->get_ref<const std::string &>(); // both renderings: as is
            else if (rendering == Rendering::Markdown)
                out += renderMarkdown(*value);
            else
                out += renderText(*value);
        });
    return out;
}

std::vector<Selector> templateSelectors(std::string_view source)
{
    std::vector<Selector> selectors;
    std::unordered_set<std::string_view> seen; // views into `source`, which outlives the set
    scanTemplate(
        source, [](std::string_view) {},
        [&](std::string_view inner) {
            if (!seen.insert(inner).second)
                return;
            Selector selector;
            splitSelector(inner, selector);
            selectors.push_back(std::move(selector));
        });
    return selectors;
}

} // namespace flowbench::variables

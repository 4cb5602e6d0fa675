#include "templatelexer.h"

#include "qsci.h"

#include <QFontDatabase>

namespace flowbench::panels {

namespace {

bool isWordChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool isSegmentStart(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool startsWith(const QByteArray &text, int pos, const char *what)
{
    for (int i = 0; what[i]; ++i) {
        if (pos + i >= text.size() || text.at(pos + i) != what[i])
            return false;
    }
    return true;
}

// Farthest an unmatched "{{#...#}}" is looked for (one line, a generous reference length).
constexpr int kMaxReferenceLength = 400;

} // namespace

TemplateLexer::TemplateLexer(bool jinja, QObject *parent)
    : QsciLexerCustom(parent)
    , m_jinja(jinja)
{}

void TemplateLexer::setJinja(bool jinja)
{
    if (m_jinja == jinja)
        return;
    m_jinja = jinja;
    if (editor())
        editor()->recolor();
}

void TemplateLexer::setKnownReferences(const QSet<QString> &references)
{
    if (m_checkKnown && m_known == references)
        return;
    m_known = references;
    m_checkKnown = true;
    if (editor())
        editor()->recolor();
}

void TemplateLexer::clearKnownReferences()
{
    if (!m_checkKnown)
        return;
    m_checkKnown = false;
    m_known.clear();
    if (editor())
        editor()->recolor();
}

void TemplateLexer::setDark(bool dark)
{
    m_dark = dark;
    for (int style = 0; style < StyleCount; ++style)
        setColor(defaultColor(style), style);
}

const char *TemplateLexer::language() const
{
    return m_jinja ? "Jinja2" : "Template";
}

QString TemplateLexer::description(int style) const
{
    switch (style) {
    case Default:
        return tr("Text");
    case Reference:
        return tr("Variable reference");
    case InvalidReference:
        return tr("Invalid variable reference");
    case JinjaTag:
        return tr("Jinja tag");
    case JinjaKeyword:
        return tr("Jinja keyword");
    case JinjaExpression:
        return tr("Jinja expression");
    case JinjaComment:
        return tr("Jinja comment");
    case JinjaString:
        return tr("Jinja string");
    default:
        return {};
    }
}

QColor TemplateLexer::defaultColor(int style) const
{
    switch (style) {
    case Reference:
        return m_dark ? QColor(0x6c, 0xb6, 0xff) : QColor(0x15, 0x5e, 0xef);
    case InvalidReference:
        return m_dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xd0, 0x1f, 0x1f);
    case JinjaTag:
    case JinjaKeyword:
        return m_dark ? QColor(0xd2, 0xa8, 0xff) : QColor(0x8a, 0x2b, 0xb8);
    case JinjaExpression:
        return m_dark ? QColor(0x56, 0xd3, 0x64) : QColor(0x11, 0x7a, 0x3a);
    case JinjaComment:
        return m_dark ? QColor(0x8b, 0x94, 0x9e) : QColor(0x6a, 0x73, 0x7d);
    case JinjaString:
        return m_dark ? QColor(0xff, 0xa6, 0x57) : QColor(0xb3, 0x5c, 0x00);
    default:
        return m_dark ? QColor(0xe6, 0xed, 0xf3) : QColor(0x1f, 0x23, 0x28);
    }
}

QFont TemplateLexer::defaultFont(int style) const
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (style == Reference || style == InvalidReference || style == JinjaKeyword)
        font.setBold(true);
    if (style == JinjaComment)
        font.setItalic(true);
    return font;
}

int TemplateLexer::matchReference(const QByteArray &s, int pos, QByteArray *key)
{
    if (!startsWith(s, pos, "{{#"))
        return 0;
    int p = pos + 3;
    const int idStart = p;
    while (p < s.size() && isWordChar(s.at(p)))
        ++p;
    const int idLen = p - idStart;
    if (idLen == 0 || idLen > 50 || p >= s.size() || s.at(p) != '.')
        return 0;
    int segments = 0;
    int firstEnd = -1;
    while (p < s.size() && s.at(p) == '.') {
        ++p;
        const int segStart = p;
        if (p >= s.size() || !isSegmentStart(s.at(p)))
            return 0;
        while (p < s.size() && isWordChar(s.at(p)))
            ++p;
        if (p - segStart > 30 || ++segments > 10)
            return 0;
        if (segments == 1)
            firstEnd = p;
        if (startsWith(s, p, "#}}")) {
            if (key)
                *key = s.mid(idStart, firstEnd - idStart);
            return p + 3 - pos;
        }
    }
    return 0;
}

void TemplateLexer::styleText(int, int)
{
    QsciScintilla *ed = editor();
    if (!ed)
        return;
    const int length = ed->length();
    const QByteArray s = ed->bytes(0, length);
    const int n = int(qMin<qsizetype>(s.size(), length));

    startStyling(0);
    int run = 0; // pending Default bytes
    const auto flush = [&] {
        if (run > 0)
            setStyling(run, Default);
        run = 0;
    };
    const auto styled = [&](int len, int style) {
        flush();
        if (len > 0)
            setStyling(len, style);
    };
    // Styles a Jinja block from `p` whose closing delimiter is `close`; strings inside get
    // JinjaString, the first word of a tag JinjaKeyword.
    const auto jinjaBlock = [&](int p, const char *close, int style) -> int {
        int end = s.indexOf(close, p + 2);
        end = end < 0 ? n : end + 2;
        flush();
        int segment = p; // start of the part not styled yet
        const auto put = [&](int upTo, int st) {
            if (upTo > segment)
                setStyling(upTo - segment, st);
            segment = upTo;
        };
        int q = p + 2;
        if (style == JinjaTag) {
            while (q < end && (s.at(q) == ' ' || s.at(q) == '-' || s.at(q) == '+'))
                ++q;
            put(q, style);
            while (q < end && isWordChar(s.at(q)))
                ++q;
            put(q, JinjaKeyword);
        }
        while (q < end) {
            const char c = s.at(q);
            if (c == '"' || c == '\'') {
                put(q, style);
                int r = q + 1;
                while (r < end && s.at(r) != c) {
                    if (s.at(r) == '\\')
                        ++r;
                    ++r;
                }
                r = qMin(r + 1, end);
                put(r, JinjaString);
                q = r;
            } else {
                ++q;
            }
        }
        put(end, style);
        return end;
    };

    int p = 0;
    while (p < n) {
        const char c = s.at(p);
        if (c == '{' && startsWith(s, p, "{{#")) {
            QByteArray key;
            const int len = matchReference(s, p, &key);
            if (len > 0) {
                const bool known = !m_checkKnown || m_known.contains(QString::fromUtf8(key));
                styled(len, known ? Reference : InvalidReference);
                p += len;
                continue;
            }
            // Something closed like a reference but not one ("{{#1.x-y#}}"): invalid.
            const int close = s.indexOf("#}}", p + 3);
            const int newline = s.indexOf('\n', p);
            if (close > 0 && close - p < kMaxReferenceLength && (newline < 0 || close < newline)) {
                styled(close + 3 - p, InvalidReference);
                p = close + 3;
                continue;
            }
        }
        if (m_jinja && c == '{' && p + 1 < n) {
            const char d = s.at(p + 1);
            if (d == '#') {
                int end = s.indexOf("#}", p + 2);
                end = end < 0 ? n : end + 2;
                styled(end - p, JinjaComment);
                p = end;
                continue;
            }
            if (d == '%') {
                p = jinjaBlock(p, "%}", JinjaTag);
                continue;
            }
            if (d == '{') {
                p = jinjaBlock(p, "}}", JinjaExpression);
                continue;
            }
        }
        ++run;
        ++p;
    }
    flush();
}

} // namespace flowbench::panels

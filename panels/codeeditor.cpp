#include "codeeditor.h"

#include "templatelexer.h"

#include <QFocusEvent>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QRegularExpression>
#include <QSet>

namespace flowbench::panels {

namespace {

constexpr int kProblemIndicator = 8; // first container indicator
constexpr int kProblemMarker = 1;
constexpr int kProblemMargin = 1;
constexpr int kLineNumberMargin = 0;
constexpr int kMaxLexerStyles = 128;

bool isCode(CodeEditor::Language language)
{
    return language == CodeEditor::Language::Python || language == CodeEditor::Language::JavaScript
           || language == CodeEditor::Language::Json || language == CodeEditor::Language::Jinja;
}

bool isText(CodeEditor::Language language)
{
    return language == CodeEditor::Language::Template || language == CodeEditor::Language::Jinja
           || language == CodeEditor::Language::PlainText;
}

bool offersReferences(CodeEditor::Language language)
{
    return language == CodeEditor::Language::Template || language == CodeEditor::Language::Jinja;
}

// A light-theme colour moved to a dark background: same hue, lightness mirrored.
QColor forDark(const QColor &color)
{
    const QColor hsl = color.toHsl();
    const int lightness = qBound(150, 255 - hsl.lightness(), 235);
    return QColor::fromHsl(hsl.hslHue(), qMin(hsl.hslSaturation(), 200), lightness);
}

// Only ids and names a template can spell are offered for insertion (Dify §5.2).
bool templateSpellable(const QStringList &selector)
{
    static const QRegularExpression id(QStringLiteral("^[A-Za-z0-9_]{1,50}$"));
    static const QRegularExpression segment(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,29}$"));
    if (selector.size() < 2 || selector.size() > 11 || !id.match(selector.first()).hasMatch())
        return false;
    for (qsizetype i = 1; i < selector.size(); ++i) {
        if (!segment.match(selector.at(i)).hasMatch())
            return false;
    }
    return true;
}

} // namespace

CodeEditor::CodeEditor(Language language, QWidget *parent)
    : QsciScintilla(parent)
    , m_language(language)
{
    setUtf8(true);
    setAutoIndent(true);
    setIndentationsUseTabs(false);
    setBackspaceUnindents(true);
    setTabIndents(true);
    SendScintilla(SCI_SETSCROLLWIDTHTRACKING, 1);
    SendScintilla(SCI_SETSCROLLWIDTH, 1);

    setMarginType(kProblemMargin, SymbolMargin);
    setMarginWidth(kProblemMargin, 0);
    setMarginMarkerMask(kProblemMargin, 1 << kProblemMarker);
    setMarginSensitivity(kProblemMargin, false);
    markerDefine(QsciScintilla::Circle, kProblemMarker);
    indicatorDefine(SquiggleIndicator, kProblemIndicator);

    connect(this, &QsciScintilla::textChanged, this, [this] {
        if (hasFocus())
            m_dirty = true;
        if (!m_problem.isEmpty())
            applyProblemIndicator();
    });
    connect(this, &QsciScintilla::userListActivated, this, &CodeEditor::onUserListActivated);

    setLanguage(language);
}

void CodeEditor::setLanguage(Language language)
{
    m_language = language;
    QsciLexer *old = lexer();
    setLexer(nullptr);
    if (old && old->parent() == this)
        delete old;
    m_templateLexer = nullptr;

    QsciLexer *lex = nullptr;
    switch (language) {
    case Language::Python: {
        auto *python = new QsciLexerPython(this);
        python->setIndentationWarning(QsciLexerPython::Inconsistent);
        lex = python;
        break;
    }
    case Language::JavaScript:
        lex = new QsciLexerJavaScript(this);
        break;
    case Language::Json:
        lex = new QsciLexerJSON(this);
        break;
    case Language::Template:
    case Language::Jinja:
        m_templateLexer = new TemplateLexer(language == Language::Jinja, this);
        lex = m_templateLexer;
        break;
    case Language::PlainText:
        break;
    }
    if (lex)
        setLexer(lex);

    const bool code = isCode(language);
    setMarginType(kLineNumberMargin, NumberMargin);
    setMarginLineNumbers(kLineNumberMargin, code);
    if (code)
        setMarginWidth(kLineNumberMargin, QStringLiteral("0000"));
    else
        setMarginWidth(kLineNumberMargin, 0);
    setBraceMatching(code ? SloppyBraceMatch : NoBraceMatch);
    setCaretLineVisible(code && language != Language::Jinja);
    const int indent = language == Language::Json || language == Language::JavaScript ? 2 : 4;
    setIndentationWidth(indent);
    setTabWidth(indent);

    if (isText(language)) {
        setWrapMode(WrapWord);
        setWrapVisualFlags(WrapFlagNone);
        SendScintilla(SCI_SETHSCROLLBAR, 0);
    } else {
        setWrapMode(WrapNone);
        SendScintilla(SCI_SETHSCROLLBAR, 1);
    }
    applyTheme();
    refreshKnownReferences();
}

void CodeEditor::setVariableProvider(VariableProvider provider)
{
    m_provider = std::move(provider);
    refreshKnownReferences();
}

void CodeEditor::applyTheme()
{
    const QPalette pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const bool dark = base.lightness() < 128;
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);

    if (QsciLexer *lex = lexer()) {
        if (m_templateLexer)
            m_templateLexer->setDark(dark);
        lex->setDefaultPaper(base);
        lex->setDefaultColor(text);
        lex->setDefaultFont(mono);
        for (int style = 0; style < kMaxLexerStyles; ++style) {
            if (lex->description(style).isEmpty())
                continue;
            QFont font = lex->defaultFont(style);
            QFont styled = mono;
            styled.setBold(font.bold());
            styled.setItalic(font.italic());
            lex->setFont(styled, style);
            lex->setPaper(base, style);
            if (!m_templateLexer) {
                const QColor color = lex->defaultColor(style);
                lex->setColor(dark ? forDark(color) : color, style);
            }
        }
    } else {
        setFont(mono);
        setPaper(base);
        setColor(text);
    }

    const QColor margin = pal.color(QPalette::Window);
    setMarginsBackgroundColor(margin);
    setMarginsForegroundColor(pal.color(QPalette::PlaceholderText));
    setMarginsFont(mono);
    setCaretForegroundColor(text);
    setCaretLineBackgroundColor(dark ? base.lighter(130) : base.darker(104));
    setSelectionBackgroundColor(pal.color(QPalette::Highlight));
    setSelectionForegroundColor(pal.color(QPalette::HighlightedText));
    setMatchedBraceBackgroundColor(dark ? QColor(0x3a, 0x5a, 0x3a) : QColor(0xc8, 0xf0, 0xc8));
    setUnmatchedBraceForegroundColor(dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xd0, 0x1f, 0x1f));

    const QColor problem = dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xd0, 0x1f, 0x1f);
    setIndicatorForegroundColor(problem, kProblemIndicator);
    setMarkerBackgroundColor(problem, kProblemMarker);
    setMarkerForegroundColor(problem, kProblemMarker);
}

void CodeEditor::setProblem(const QString &message)
{
    if (m_problem == message)
        return;
    m_problem = message;
    setToolTip(message);
    viewport()->setToolTip(message);
    setProperty("problem", !message.isEmpty());
    setMarginWidth(kProblemMargin, message.isEmpty() ? 0 : 14);
    markerDeleteAll(kProblemMarker);
    if (!message.isEmpty())
        markerAdd(0, kProblemMarker);
    applyProblemIndicator();
}

void CodeEditor::applyProblemIndicator()
{
    const int length = this->length();
    SendScintilla(SCI_SETINDICATORCURRENT, kProblemIndicator);
    SendScintilla(SCI_INDICATORCLEARRANGE, 0, length);
    if (!m_problem.isEmpty() && length > 0)
        SendScintilla(SCI_INDICATORFILLRANGE, 0, length);
}

void CodeEditor::refreshKnownReferences()
{
    if (!m_templateLexer)
        return;
    if (!m_provider) {
        m_templateLexer->clearKnownReferences();
        return;
    }
    QSet<QString> known;
    const QList<VariableRef> refs = m_provider();
    for (const VariableRef &ref : refs) {
        if (ref.selector.size() >= 2)
            known.insert(ref.selector.at(0) + QLatin1Char('.') + ref.selector.at(1));
    }
    m_templateLexer->setKnownReferences(known);
}

bool CodeEditor::showReferenceCompletion()
{
    if (!m_provider || !offersReferences(m_language))
        return false;
    m_completionEntries.clear();
    m_completionKeys.clear();
    QSet<QString> known;
    const QList<VariableRef> refs = m_provider();
    for (const VariableRef &ref : refs) {
        if (ref.selector.size() < 2)
            continue;
        known.insert(ref.selector.at(0) + QLatin1Char('.') + ref.selector.at(1));
        if (!templateSpellable(ref.selector))
            continue;
        const QString key = ref.selector.join(QLatin1Char('.'));
        QString entry = key + QStringLiteral("   ") + ref.group + QStringLiteral(" \u203a ")
                        + ref.selector.mid(1).join(QLatin1Char('.'));
        // Scintilla's list separators must not occur in an entry.
        entry.replace(QLatin1Char('\x04'), QLatin1Char(' '));
        entry.replace(QLatin1Char('\x1e'), QLatin1Char(' '));
        if (m_completionKeys.contains(entry))
            continue;
        m_completionEntries.append(entry);
        m_completionKeys.insert(entry, key);
    }
    if (m_templateLexer)
        m_templateLexer->setKnownReferences(known);
    if (m_completionEntries.isEmpty())
        return false;

    m_completionStart = int(SendScintilla(SCI_GETCURRENTPOS));
    SendScintilla(SCI_AUTOCSETIGNORECASE, 1);
    SendScintilla(SCI_AUTOCSETORDER, SC_ORDER_CUSTOM); // keep the provider's order (nearest first)
    SendScintilla(SCI_AUTOCSETMAXHEIGHT, 12);
    // '?' may occur in node titles: use a type separator no entry contains.
    SendScintilla(SCI_AUTOCSETTYPESEPARATOR, 0x1e);
    showUserList(kReferenceListId, m_completionEntries);
    SendScintilla(SCI_AUTOCSETTYPESEPARATOR, '?');
    return isListActive();
}

void CodeEditor::onUserListActivated(int id, const QString &entry)
{
    if (id != kReferenceListId)
        return;
    const QString key = m_completionKeys.value(entry);
    if (key.isEmpty())
        return;
    const int pos = int(SendScintilla(SCI_GETCURRENTPOS));
    const int start = m_completionStart >= 0 && m_completionStart <= pos ? m_completionStart : pos;
    // Editing an existing reference: its closing "#}}" is already there.
    const bool closed = pos + 3 <= length() && bytes(pos, pos + 3).startsWith("#}}");
    const QByteArray insert = (closed ? key : key + QStringLiteral("#}}")).toUtf8();
    SendScintilla(SCI_SETTARGETRANGE, start, pos);
    SendScintilla(SCI_REPLACETARGET, insert.size(), insert.constData());
    SendScintilla(SCI_GOTOPOS, start + int(insert.size()) + (closed ? 3 : 0));
    m_completionStart = -1;
    m_dirty = true;
}

void CodeEditor::focusInEvent(QFocusEvent *event)
{
    QsciScintilla::focusInEvent(event);
    if (event->reason() == Qt::PopupFocusReason)
        return;
    if (!m_dirty)
        m_textAtFocusIn = text();
    refreshKnownReferences();
}

void CodeEditor::focusOutEvent(QFocusEvent *event)
{
    QsciScintilla::focusOutEvent(event);
    // The completion list and context menu take focus for a moment; that is not leaving.
    if (event->reason() == Qt::PopupFocusReason || isListActive())
        return;
    if (!m_dirty)
        return;
    m_dirty = false;
    const QString now = text();
    if (now == m_textAtFocusIn)
        return;
    m_textAtFocusIn = now;
    Q_EMIT editingFinished();
}

void CodeEditor::keyPressEvent(QKeyEvent *event)
{
    QsciScintilla::keyPressEvent(event);
    if (!offersReferences(m_language) || event->text() != QLatin1String("#") || isListActive())
        return;
    const int pos = int(SendScintilla(SCI_GETCURRENTPOS));
    // QsciScintilla::bytes() includes a terminating NUL.
    if (pos >= 3 && bytes(pos - 3, pos).startsWith("{{#"))
        showReferenceCompletion();
}

void CodeEditor::changeEvent(QEvent *event)
{
    QsciScintilla::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
}

} // namespace flowbench::panels

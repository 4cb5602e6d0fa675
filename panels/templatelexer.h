#pragma once

#include "qsci.h"

#include <QSet>
#include <QString>

namespace flowbench::panels {

// Highlights Dify prompt/template text: {{#node_id.var(.key)*#}} references (bold; a reference
// that does not follow Dify's grammar, or that names a variable not in the known set, in the
// "invalid" style). In Jinja mode it also styles {% tags %} (keyword bold), {{ expressions }},
// {# comments #} and string literals inside tags/expressions.
//
// The whole document is restyled on every styleText() call: prompts are small and it keeps
// multi-line constructs ({# ... #} spanning lines) right without per-line state.
// Owned by its editor (QsciScintilla::setLexer does not take ownership: parent it to the editor).
class TemplateLexer : public QsciLexerCustom
{
    Q_OBJECT

public:
    enum Style {
        Default = 0,
        Reference = 1,
        InvalidReference = 2,
        JinjaTag = 3,
        JinjaKeyword = 4,
        JinjaExpression = 5,
        JinjaComment = 6,
        JinjaString = 7,
        StyleCount
    };

    explicit TemplateLexer(bool jinja, QObject *parent = nullptr);

    [[nodiscard]] bool isJinja() const { return m_jinja; }
    void setJinja(bool jinja);

    // References ("node_id.var", the first two selector elements) the text may use; a
    // well-formed reference outside the set is styled InvalidReference. Until set, every
    // well-formed reference counts as valid.
    void setKnownReferences(const QSet<QString> &references);
    void clearKnownReferences();

    // Dark palettes get light colours.
    void setDark(bool dark);

    [[nodiscard]] const char *language() const override;
    [[nodiscard]] QString description(int style) const override;
    [[nodiscard]] QColor defaultColor(int style) const override;
    [[nodiscard]] QFont defaultFont(int style) const override;
    void styleText(int start, int end) override;

    // Dify's reference grammar (§5.2): id [A-Za-z0-9_]{1,50}, then 1-10 segments
    // [A-Za-z_][A-Za-z0-9_]{0,29}. Returns the length of "{{#...#}}" starting at `pos` in
    // `text` (which must start with "{{#" there), or 0 when it does not match; `key` receives
    // "id.first_segment".
    static int matchReference(const QByteArray &text, int pos, QByteArray *key = nullptr);

private:
    bool m_jinja = false;
    bool m_dark = false;
    bool m_checkKnown = false;
    QSet<QString> m_known;
};

} // namespace flowbench::panels

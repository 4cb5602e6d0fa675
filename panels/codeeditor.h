#pragma once

#include "qsci.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace flowbench::panels {

class TemplateLexer;

// A variable a template or selector may reference: the picker's and the completion's item.
struct VariableRef
{
    QStringList selector; // ["node_id", "var"], ["sys", "query"], ["env", "KEY"], ...
    QString group;        // display group: the node's title, "System", "Environment", ...
    QString type;         // Dify segment type: string, number, object, array[file], ...
};

// Gives the variables visible at the edited node (upstream outputs, sys, env, conversation,
// container item/index), computed when asked so it is always current.
using VariableProvider = std::function<QList<VariableRef>()>;

// QScintilla editor for node fields: Python and JavaScript (code nodes), JSON, prompt/template
// text where {{#node.var#}} references are highlighted, and Jinja2 (tags and expressions
// highlighted). In Template and Jinja modes typing "{{#" offers completion of variable
// references from the provider. Light/dark follow the palette.
//
// Code languages (Python, JavaScript, JSON, Jinja) get a line-number margin and brace matching;
// text modes (Template, Jinja, PlainText) wrap words and have no horizontal scroll bar. All use
// the system monospace font and auto-indent. Well-formed references the provider does not offer
// are highlighted as invalid (the known set is refreshed when the provider is set, on focus-in
// and whenever the completion list opens). GUI thread only.
//
//     auto *prompt = new CodeEditor(CodeEditor::Language::Template, form);
//     prompt->setVariableProvider([doc, id] { return variablesVisibleAt(doc->workflow(), id); });
//     connect(prompt, &CodeEditor::editingFinished, form, [=] { sendEdit(prompt->text()); });
class CodeEditor : public QsciScintilla
{
    Q_OBJECT

public:
    enum class Language { Python, JavaScript, Json, Template, Jinja, PlainText };

    explicit CodeEditor(Language language, QWidget *parent = nullptr);

    [[nodiscard]] Language language() const { return m_language; }
    void setLanguage(Language language);
    void setVariableProvider(VariableProvider provider);

    // Marks the editor invalid (red margin/underline and the message as tooltip); empty clears.
    void setProblem(const QString &message);
    [[nodiscard]] QString problem() const { return m_problem; }

    // Opens the reference completion list at the caret (what typing "{{#" does); choosing an
    // entry inserts "node_id.var#}}" (the caller has typed "{{#"). No-op without a provider or
    // outside Template/Jinja. Returns whether a list opened.
    bool showReferenceCompletion();
    // The entries the last completion list offered, as shown ("node_id.var  Group › var").
    [[nodiscard]] QStringList completionEntries() const { return m_completionEntries; }
    // Re-reads the provider so references it no longer offers are highlighted as invalid.
    void refreshKnownReferences();

    // The lexer of Template/Jinja modes (nullptr otherwise); owned by the editor.
    [[nodiscard]] TemplateLexer *templateLexer() const { return m_templateLexer; }

    static constexpr int kReferenceListId = 1;

Q_SIGNALS:
    // Focus left the editor after a change (forms turn this into one undoable edit).
    void editingFinished();

protected:
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void applyTheme();
    void applyProblemIndicator();
    void onUserListActivated(int id, const QString &entry);

    Language m_language;
    VariableProvider m_provider;
    bool m_dirty = false;
    QString m_textAtFocusIn;
    QString m_problem;
    TemplateLexer *m_templateLexer = nullptr;
    int m_completionStart = -1;
    QStringList m_completionEntries;
    QHash<QString, QString> m_completionKeys; // entry → "node_id.var"
};

} // namespace flowbench::panels

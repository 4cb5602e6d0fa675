// CodeEditor (lexers, template highlighting, "{{#" completion, editingFinished, problems),
// VariablePicker (filters, keyboard pick) and variablesVisibleAt on real Dify fixtures.

#include "codeeditor.h"
#include "templatelexer.h"
#include "variablepicker.h"

#include "document/dslio.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QSignalSpy>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtTest>

using namespace flowbench;
using namespace flowbench::panels;

namespace {

document::Workflow loadFixture(const char *name)
{
    const QString path = QStringLiteral(FLOWBENCH_FIXTURES_DIR "/") + QLatin1String(name);
    auto loaded = document::loadWorkflowFile(path);
    if (!loaded) {
        qWarning("%s", qPrintable(loaded.error().toString()));
        return {};
    }
    return loaded->workflow;
}

QStringList keysOf(const QList<VariableRef> &refs)
{
    QStringList keys;
    for (const VariableRef &r : refs)
        keys.append(r.selector.join(QLatin1Char('.')));
    return keys;
}

const VariableRef *findRef(const QList<VariableRef> &refs, const QString &key)
{
    for (const VariableRef &r : refs) {
        if (r.selector.join(QLatin1Char('.')) == key)
            return &r;
    }
    return nullptr;
}

int styleAt(CodeEditor &editor, int pos)
{
    editor.SendScintilla(QsciScintillaBase::SCI_COLOURISE, 0, -1);
    return int(editor.SendScintilla(QsciScintillaBase::SCI_GETSTYLEAT, pos));
}

// Byte offset of `needle` in the editor's text (ASCII test texts).
int posOf(CodeEditor &editor, const char *needle)
{
    return int(editor.text().toUtf8().indexOf(needle));
}

// The QScintilla completion list (its own top-level list widget), when shown.
QListWidget *visibleCompletionList()
{
    const QWidgetList tops = QApplication::topLevelWidgets();
    for (QWidget *w : tops) {
        if (auto *list = qobject_cast<QListWidget *>(w); list && list->isVisible())
            return list;
    }
    return nullptr;
}

} // namespace

class TstEditors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void lexerPerLanguage_data();
    void lexerPerLanguage();
    void textModesWrapAndCodeHasLineNumbers();
    void templateLexerStylesReferences();
    void jinjaStylesTagsExpressionsComments();
    void unknownReferenceStyledInvalid();

    void typingOpensUpstreamCompletion();
    void choosingInsertsReference();
    void editingFinishedOnlyAfterChange();
    void problemMarksEditor();
    void darkPaletteGivesLightText();

    void middleNodeSeesUpstreamOnly();
    void iterationBodySeesItemAndIndex();
    void loopBodySeesLoopVariables();
    void chatflowOnlySystemVariables();

    void pickerFiltersByTextAndType();
    void pickViaKeyboard();
    void pickDismissedWithEscape();

    void screenshots();

private:
    document::Workflow m_iteration;
    document::Workflow m_chatflow;
    document::Workflow m_conversation;
    document::Workflow m_loop;
    document::Workflow m_branching;
};

void TstEditors::initTestCase()
{
    m_iteration = loadFixture("iteration_flatten_output_enabled_workflow.yml");
    m_chatflow = loadFixture("basic_chatflow.yml");
    m_conversation = loadFixture("test_streaming_conversation_variables.yml");
    m_loop = loadFixture("increment_loop_with_break_condition_workflow.yml");
    m_branching = loadFixture("conditional_hello_branching_workflow.yml");
    QVERIFY(m_iteration.node(QStringLiteral("code_inner_node")));
    QVERIFY(m_chatflow.node(QStringLiteral("llm")));
    QVERIFY(!m_conversation.conversationVariables.empty());
    QVERIFY(m_loop.node(QStringLiteral("1754827988715")));
    QVERIFY(m_branching.node(QStringLiteral("1754217359748")));
}

// ---- lexers --------------------------------------------------------------------------------

void TstEditors::lexerPerLanguage_data()
{
    QTest::addColumn<int>("language");
    QTest::addColumn<QString>("lexerClass");
    QTest::newRow("python") << int(CodeEditor::Language::Python)
                            << QStringLiteral("QsciLexerPython");
    QTest::newRow("javascript") << int(CodeEditor::Language::JavaScript)
                                << QStringLiteral("QsciLexerJavaScript");
    QTest::newRow("json") << int(CodeEditor::Language::Json) << QStringLiteral("QsciLexerJSON");
    QTest::newRow("template") << int(CodeEditor::Language::Template)
                              << QStringLiteral("flowbench::panels::TemplateLexer");
    QTest::newRow("jinja") << int(CodeEditor::Language::Jinja)
                           << QStringLiteral("flowbench::panels::TemplateLexer");
    QTest::newRow("plain") << int(CodeEditor::Language::PlainText) << QString();
}

void TstEditors::lexerPerLanguage()
{
    QFETCH(int, language);
    QFETCH(QString, lexerClass);
    const auto lang = CodeEditor::Language(language);
    CodeEditor editor(lang);
    QCOMPARE(editor.language(), lang);
    if (lexerClass.isEmpty()) {
        QVERIFY(!editor.lexer());
    } else {
        QVERIFY(editor.lexer());
        QCOMPARE(QString::fromLatin1(editor.lexer()->metaObject()->className()), lexerClass);
    }
    QCOMPARE(editor.templateLexer() != nullptr,
             lang == CodeEditor::Language::Template || lang == CodeEditor::Language::Jinja);
    if (editor.templateLexer())
        QCOMPARE(editor.templateLexer()->isJinja(), lang == CodeEditor::Language::Jinja);

    // Switching language replaces the lexer (the old one is not leaked into the new mode).
    editor.setLanguage(CodeEditor::Language::Python);
    QCOMPARE(QString::fromLatin1(editor.lexer()->metaObject()->className()),
             QStringLiteral("QsciLexerPython"));
    QVERIFY(!editor.templateLexer());

    // Python keywords get the keyword style.
    editor.setText(QStringLiteral("def main(x):\n    return x\n"));
    QCOMPARE(styleAt(editor, 0), int(QsciLexerPython::Keyword));
}

void TstEditors::textModesWrapAndCodeHasLineNumbers()
{
    CodeEditor code(CodeEditor::Language::Python);
    QVERIFY(code.marginLineNumbers(0));
    QVERIFY(code.marginWidth(0) > 0);
    QCOMPARE(code.wrapMode(), QsciScintilla::WrapNone);
    QVERIFY(code.autoIndent());
    QCOMPARE(code.braceMatching(), QsciScintilla::SloppyBraceMatch);

    CodeEditor text(CodeEditor::Language::Template);
    QCOMPARE(text.marginWidth(0), 0);
    QCOMPARE(text.wrapMode(), QsciScintilla::WrapWord);
    QCOMPARE(text.SendScintilla(QsciScintillaBase::SCI_GETHSCROLLBAR), 0L);

    // Every style uses a fixed-pitch font.
    const QFont font = code.lexer()->font(QsciLexerPython::Default);
    QVERIFY(QFontInfo(font).fixedPitch());
}

void TstEditors::templateLexerStylesReferences()
{
    CodeEditor editor(CodeEditor::Language::Template);
    editor.setText(QStringLiteral("Hi {{#llm.text#}}, see {{#bad-id.x#}} and {{#sys.query#}}."));
    QCOMPARE(styleAt(editor, 0), int(TemplateLexer::Default));
    const int ref = posOf(editor, "{{#llm");
    QCOMPARE(styleAt(editor, ref), int(TemplateLexer::Reference));
    QCOMPARE(styleAt(editor, ref + 8), int(TemplateLexer::Reference));
    QCOMPARE(styleAt(editor, posOf(editor, "#}}, see") + 2), int(TemplateLexer::Reference));
    QCOMPARE(styleAt(editor, posOf(editor, ", see")), int(TemplateLexer::Default));
    // A node id with '-' cannot be referenced in templates (Dify §5.2).
    QCOMPARE(styleAt(editor, posOf(editor, "{{#bad")), int(TemplateLexer::InvalidReference));
    QCOMPARE(styleAt(editor, posOf(editor, "{{#sys")), int(TemplateLexer::Reference));
    QVERIFY(editor.lexer()->font(TemplateLexer::Reference).bold());
    QVERIFY(editor.lexer()->color(TemplateLexer::Reference)
            != editor.lexer()->color(TemplateLexer::InvalidReference));

    // Template mode does not treat Jinja syntax specially.
    editor.setText(QStringLiteral("{% if x %}"));
    QCOMPARE(styleAt(editor, 1), int(TemplateLexer::Default));
}

void TstEditors::jinjaStylesTagsExpressionsComments()
{
    CodeEditor editor(CodeEditor::Language::Jinja);
    editor.setText(QStringLiteral("{# note #}\n{% for x in items %}{{ x | upper }} 'a'\n"
                                  "{% endfor %} {{#llm.text#}}"));
    QCOMPARE(styleAt(editor, 1), int(TemplateLexer::JinjaComment));
    QCOMPARE(styleAt(editor, posOf(editor, "{% for")), int(TemplateLexer::JinjaTag));
    QCOMPARE(styleAt(editor, posOf(editor, "for x")), int(TemplateLexer::JinjaKeyword));
    QCOMPARE(styleAt(editor, posOf(editor, "in items")), int(TemplateLexer::JinjaTag));
    QCOMPARE(styleAt(editor, posOf(editor, "x | upper")), int(TemplateLexer::JinjaExpression));
    QCOMPARE(styleAt(editor, posOf(editor, "'a'")), int(TemplateLexer::Default));
    QCOMPARE(styleAt(editor, posOf(editor, "endfor")), int(TemplateLexer::JinjaKeyword));
    QCOMPARE(styleAt(editor, posOf(editor, "{{#llm")), int(TemplateLexer::Reference));

    // A comment spanning lines stays a comment on its second line.
    editor.setText(QStringLiteral("{# one\ntwo #} after"));
    QCOMPARE(styleAt(editor, posOf(editor, "two")), int(TemplateLexer::JinjaComment));
    QCOMPARE(styleAt(editor, posOf(editor, "after")), int(TemplateLexer::Default));
    editor.setText(QStringLiteral("{{ \"s\" }}"));
    QCOMPARE(styleAt(editor, posOf(editor, "\"s\"")), int(TemplateLexer::JinjaString));
}

void TstEditors::unknownReferenceStyledInvalid()
{
    // A well-formed reference to something not upstream is marked, so a user sees it at once.
    const document::Workflow wf = m_iteration;
    CodeEditor editor(CodeEditor::Language::Template);
    editor.setText(QStringLiteral("{{#code_node.result#}} {{#end_node.output#}}"));
    QCOMPARE(styleAt(editor, posOf(editor, "{{#end")), int(TemplateLexer::Reference));
    editor.setVariableProvider(
        [wf] { return variablesVisibleAt(wf, QStringLiteral("iteration_node")); });
    QCOMPARE(styleAt(editor, 0), int(TemplateLexer::Reference));
    QCOMPARE(styleAt(editor, posOf(editor, "{{#end")), int(TemplateLexer::InvalidReference));
}

// ---- completion and editing ----------------------------------------------------------------

void TstEditors::typingOpensUpstreamCompletion()
{
    const document::Workflow wf = m_iteration;
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *editor = new CodeEditor(CodeEditor::Language::Template, &window);
    layout->addWidget(editor);
    editor->setVariableProvider(
        [wf] { return variablesVisibleAt(wf, QStringLiteral("code_inner_node")); });
    window.resize(500, 300);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    editor->setFocus();

    QTest::keyClicks(editor, QStringLiteral("Value {{"));
    QVERIFY(!editor->isListActive());
    QTest::keyClicks(editor, QStringLiteral("#"));
    QVERIFY(editor->isListActive());

    const QStringList entries = editor->completionEntries();
    QStringList keys;
    for (const QString &e : entries)
        keys.append(e.section(QLatin1Char(' '), 0, 0));
    QVERIFY2(keys.contains(QStringLiteral("iteration_node.item")), qPrintable(keys.join(u',')));
    QVERIFY(keys.contains(QStringLiteral("iteration_node.index")));
    QVERIFY(keys.contains(QStringLiteral("code_node.result")));
    QVERIFY(keys.contains(QStringLiteral("sys.user_id")));
    // Downstream, the node itself and the container's own output are not offered.
    QVERIFY(!keys.contains(QStringLiteral("end_node.output")));
    QVERIFY(!keys.contains(QStringLiteral("code_inner_node.result")));
    QVERIFY(!keys.contains(QStringLiteral("iteration_node.output")));
    QVERIFY(!keys.contains(QStringLiteral("sys.query"))); // a workflow, not a chatflow
    // Entries show where the variable comes from.
    QVERIFY(entries.contains(QStringLiteral("code_node.result   Generate Array \u203a result")));

    // Plain braces elsewhere do not open it; Escape closes it.
    QTest::keyClick(editor, Qt::Key_Escape);
    QVERIFY(!editor->isListActive());
    QTest::keyClicks(editor, QStringLiteral(" {#"));
    QVERIFY(!editor->isListActive());

    // Code editors never offer references.
    editor->setLanguage(CodeEditor::Language::Python);
    editor->setText(QString());
    QTest::keyClicks(editor, QStringLiteral("{{#"));
    QVERIFY(!editor->isListActive());
}

void TstEditors::choosingInsertsReference()
{
    const document::Workflow wf = m_chatflow;
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *editor = new CodeEditor(CodeEditor::Language::Template, &window);
    layout->addWidget(editor);
    editor->setVariableProvider([wf] { return variablesVisibleAt(wf, QStringLiteral("answer")); });
    window.resize(500, 300);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    editor->setFocus();

    // Typing narrows the list; Enter inserts the reference and its closing "#}}".
    QTest::keyClicks(editor, QStringLiteral("Q: {{#"));
    QVERIFY(editor->isListActive());
    QTest::keyClicks(editor, QStringLiteral("sys.qu"));
    QVERIFY(editor->isListActive());
    QTest::keyClick(editor, Qt::Key_Return);
    QVERIFY(!editor->isListActive());
    QCOMPARE(editor->text(), QStringLiteral("Q: {{#sys.query#}}"));
    int line = 0, index = 0;
    editor->getCursorPosition(&line, &index);
    QCOMPARE(index, editor->text().size());
    QCOMPARE(styleAt(*editor, 4), int(TemplateLexer::Reference));

    // The first entry is the nearest upstream node's output.
    QTest::keyClicks(editor, QStringLiteral(" A: {{#"));
    QVERIFY(editor->isListActive());
    QVERIFY(editor->completionEntries().first().startsWith(QLatin1String("llm.text ")));
    QTest::keyClick(editor, Qt::Key_Return);
    QCOMPARE(editor->text(), QStringLiteral("Q: {{#sys.query#}} A: {{#llm.text#}}"));

    // Replacing the inside of an existing reference does not duplicate "#}}".
    editor->setText(QStringLiteral("{{##}}"));
    editor->setCursorPosition(0, 3);
    QVERIFY(editor->showReferenceCompletion());
    QTest::keyClicks(editor, QStringLiteral("llm.te"));
    QTest::keyClick(editor, Qt::Key_Return);
    QCOMPARE(editor->text(), QStringLiteral("{{#llm.text#}}"));
}

void TstEditors::editingFinishedOnlyAfterChange()
{
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *editor = new CodeEditor(CodeEditor::Language::Python, &window);
    auto *other = new QLineEdit(&window);
    layout->addWidget(editor);
    layout->addWidget(other);
    editor->setText(QStringLiteral("x = 1\n"));
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QSignalSpy finished(editor, &CodeEditor::editingFinished);

    editor->setFocus();
    QVERIFY(editor->hasFocus());
    other->setFocus();
    QCOMPARE(finished.count(), 0); // no change, no edit

    editor->setFocus();
    QTest::keyClicks(editor, QStringLiteral("y"));
    QCOMPARE(finished.count(), 0); // not while typing
    other->setFocus();
    QCOMPARE(finished.count(), 1);
    QVERIFY(editor->text().contains(QLatin1Char('y')));

    editor->setFocus();
    other->setFocus();
    QCOMPARE(finished.count(), 1); // once per change

    // Typing and undoing it is no change.
    editor->setFocus();
    QTest::keyClicks(editor, QStringLiteral("z"));
    QTest::keyClick(editor, Qt::Key_Backspace);
    other->setFocus();
    QCOMPARE(finished.count(), 1);

    // A programmatic setText (the form showing the document) is not an edit.
    editor->setText(QStringLiteral("reloaded = True\n"));
    editor->setFocus();
    other->setFocus();
    QCOMPARE(finished.count(), 1);
}

void TstEditors::problemMarksEditor()
{
    CodeEditor editor(CodeEditor::Language::Template);
    editor.setText(QStringLiteral("{{#x.y#}}"));
    QCOMPARE(editor.marginWidth(1), 0);
    editor.setProblem(QStringLiteral("'x.y' refers to node 'x', which does not exist"));
    QCOMPARE(editor.problem(), QStringLiteral("'x.y' refers to node 'x', which does not exist"));
    QCOMPARE(editor.toolTip(), editor.problem());
    QVERIFY(editor.marginWidth(1) > 0);
    QVERIFY(editor.markersAtLine(0) & (1 << 1));
    // The text carries the problem indicator (8).
    QVERIFY(editor.SendScintilla(QsciScintillaBase::SCI_INDICATORVALUEAT, 8, 2) != 0);
    editor.setProblem(QString());
    QVERIFY(editor.toolTip().isEmpty());
    QCOMPARE(editor.marginWidth(1), 0);
    QCOMPARE(editor.markersAtLine(0) & (1 << 1), 0u);
    QCOMPARE(editor.SendScintilla(QsciScintillaBase::SCI_INDICATORVALUEAT, 8, 2), 0L);
}

void TstEditors::darkPaletteGivesLightText()
{
    QPalette dark;
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::Window, QColor(0x2a, 0x2a, 0x2a));
    for (auto language : {CodeEditor::Language::Python, CodeEditor::Language::Jinja}) {
        CodeEditor editor(language);
        editor.setPalette(dark);
        QsciLexer *lexer = editor.lexer();
        QVERIFY(lexer->paper(0).lightness() < 64);
        // Every style stays readable on the dark paper.
        for (int style = 0; style < 32; ++style) {
            if (!lexer->description(style).isEmpty())
                QVERIFY2(lexer->color(style).lightness() >= 128,
                         qPrintable(QString::number(style)));
        }
    }
    CodeEditor plain(CodeEditor::Language::PlainText);
    plain.setPalette(dark);
    QCOMPARE(plain.paper(), QColor(0x1e, 0x1e, 0x1e));
}

// ---- scope ---------------------------------------------------------------------------------

void TstEditors::middleNodeSeesUpstreamOnly()
{
    // start → code_node → iteration_node → end_node
    const QList<VariableRef> atCode = variablesVisibleAt(m_iteration, QStringLiteral("code_node"));
    const QStringList codeKeys = keysOf(atCode);
    QVERIFY(!codeKeys.contains(QStringLiteral("code_node.result"))); // not its own output
    QVERIFY(!codeKeys.contains(QStringLiteral("iteration_node.output")));
    QVERIFY(!codeKeys.contains(QStringLiteral("end_node.output")));

    const QList<VariableRef> atEnd = variablesVisibleAt(m_iteration, QStringLiteral("end_node"));
    const QStringList endKeys = keysOf(atEnd);
    QVERIFY(endKeys.contains(QStringLiteral("code_node.result")));
    QVERIFY(endKeys.contains(QStringLiteral("iteration_node.output")));
    // Outside the body: no item/index, no body outputs.
    QVERIFY(!endKeys.contains(QStringLiteral("iteration_node.item")));
    QVERIFY(!endKeys.contains(QStringLiteral("code_inner_node.result")));
    // Nearest first, grouped by node title, typed.
    QCOMPARE(endKeys.first(), QStringLiteral("iteration_node.output"));
    const VariableRef *result = findRef(atEnd, QStringLiteral("code_node.result"));
    QVERIFY(result);
    QCOMPARE(result->group, QStringLiteral("Generate Array"));
    QCOMPARE(result->type, QStringLiteral("array[number]"));

    // A branch: the if-else sees the start node, not the End nodes after it.
    const QStringList ifKeys
        = keysOf(variablesVisibleAt(m_branching, QStringLiteral("1754217359748")));
    for (const QString &k : ifKeys) {
        QVERIFY2(!k.startsWith(QLatin1String("1754154034161."))
                     && !k.startsWith(QLatin1String("1754217363584.")),
                 qPrintable(k));
    }
    const QStringList startVars
        = keysOf(variablesVisibleAt(m_branching, QStringLiteral("1754154034161")));
    // The start node's declared variables are offered to the nodes after it.
    const document::Node *start = m_branching.node(QStringLiteral("1754154032319"));
    const auto declared = start->data.find("variables");
    QVERIFY(declared != start->data.end() && declared->is_array() && !declared->empty());
    for (const auto &v : *declared) {
        const QString name = QString::fromStdString(v["variable"].get<std::string>());
        QVERIFY2(startVars.contains(QStringLiteral("1754154032319.") + name), qPrintable(name));
    }
}

void TstEditors::iterationBodySeesItemAndIndex()
{
    const QList<VariableRef> inBody
        = variablesVisibleAt(m_iteration, QStringLiteral("code_inner_node"));
    const QStringList keys = keysOf(inBody);
    QVERIFY(keys.contains(QStringLiteral("iteration_node.item")));
    QVERIFY(keys.contains(QStringLiteral("iteration_node.index")));
    QVERIFY(keys.contains(QStringLiteral("code_node.result"))); // the container's upstream
    QVERIFY(!keys.contains(QStringLiteral("iteration_node.output")));
    QVERIFY(!keys.contains(QStringLiteral("end_node.output")));
    // The container's variables come first; item takes the list's element type.
    QCOMPARE(keys.first(), QStringLiteral("iteration_node.item"));
    QCOMPARE(findRef(inBody, QStringLiteral("iteration_node.item"))->type,
             QStringLiteral("number"));
    QCOMPARE(findRef(inBody, QStringLiteral("iteration_node.index"))->type,
             QStringLiteral("number"));
    QCOMPARE(findRef(inBody, QStringLiteral("iteration_node.item"))->group,
             QStringLiteral("Iteration with Flatten Enabled"));

    // The iteration node itself (its output_selector) reads its body's outputs.
    const QStringList atContainer
        = keysOf(variablesVisibleAt(m_iteration, QStringLiteral("iteration_node")));
    QVERIFY(atContainer.contains(QStringLiteral("code_inner_node.result")));
    QVERIFY(atContainer.contains(QStringLiteral("code_node.result")));
    QVERIFY(!atContainer.contains(QStringLiteral("end_node.output")));
}

void TstEditors::loopBodySeesLoopVariables()
{
    const QList<VariableRef> inBody = variablesVisibleAt(m_loop, QStringLiteral("1754827988715"));
    const VariableRef *num = findRef(inBody, QStringLiteral("1754827949615.num"));
    QVERIFY(num);
    QCOMPARE(num->type, QStringLiteral("number"));
    QVERIFY(!findRef(inBody, QStringLiteral("1754827949615.loop_round")));
    const QStringList atEnd = keysOf(variablesVisibleAt(m_loop, QStringLiteral("1754828005059")));
    QVERIFY(atEnd.contains(QStringLiteral("1754827949615.num")));
    QVERIFY(atEnd.contains(QStringLiteral("1754827949615.loop_round")));
}

void TstEditors::chatflowOnlySystemVariables()
{
    const QStringList chat = keysOf(variablesVisibleAt(m_chatflow, QStringLiteral("answer")));
    for (const char *k :
         {"sys.query", "sys.conversation_id", "sys.dialogue_count", "sys.files", "sys.user_id",
          "sys.app_id", "sys.workflow_id", "sys.workflow_run_id", "llm.text"})
        QVERIFY2(chat.contains(QLatin1String(k)), k);
    QVERIFY(!chat.contains(QStringLiteral("answer.answer")));

    const QStringList flow = keysOf(variablesVisibleAt(m_iteration, QStringLiteral("end_node")));
    for (const char *k :
         {"sys.files", "sys.user_id", "sys.app_id", "sys.workflow_id", "sys.workflow_run_id"})
        QVERIFY2(flow.contains(QLatin1String(k)), k);
    for (const char *k : {"sys.query", "sys.conversation_id", "sys.dialogue_count"})
        QVERIFY2(!flow.contains(QLatin1String(k)), k);

    // Conversation variables exist in chatflows only; environment variables everywhere.
    const QList<VariableRef> conv = variablesVisibleAt(m_conversation, QStringLiteral("answer"));
    const VariableRef *str = findRef(conv, QStringLiteral("conversation.str"));
    QVERIFY(str);
    QCOMPARE(str->group, QStringLiteral("Conversation"));

    document::Workflow withEnv = m_iteration;
    document::Variable key;
    key.name = QStringLiteral("API_KEY");
    key.valueType = QStringLiteral("secret");
    withEnv.environmentVariables.push_back(key);
    document::Variable conversation;
    conversation.name = QStringLiteral("memory");
    conversation.valueType = QStringLiteral("string");
    withEnv.conversationVariables.push_back(conversation);
    const QList<VariableRef> env = variablesVisibleAt(withEnv, QStringLiteral("end_node"));
    QVERIFY(findRef(env, QStringLiteral("env.API_KEY")));
    QCOMPARE(findRef(env, QStringLiteral("env.API_KEY"))->group, QStringLiteral("Environment"));
    QVERIFY(!findRef(env, QStringLiteral("conversation.memory")));

    // An unknown node still gets the global scopes.
    QVERIFY(keysOf(variablesVisibleAt(m_chatflow, QStringLiteral("nope")))
                .contains(QStringLiteral("sys.query")));
}

// ---- picker ----------------------------------------------------------------------------------

void TstEditors::pickerFiltersByTextAndType()
{
    VariablePicker picker;
    const QList<VariableRef> vars = variablesVisibleAt(m_chatflow, QStringLiteral("answer"));
    picker.setVariables(vars);
    QCOMPARE(picker.visibleSelectors().size(), vars.size());

    // Group rows name the node; rows show "var  type".
    QTreeWidget *tree = picker.treeWidget();
    QCOMPARE(tree->topLevelItem(0)->text(0), QStringLiteral("LLM"));
    QCOMPARE(tree->topLevelItem(0)->child(0)->text(0), QStringLiteral("text"));
    QCOMPARE(tree->topLevelItem(0)->child(0)->text(1), QStringLiteral("string"));

    picker.setFilterText(QStringLiteral("QUERY"));
    QCOMPARE(picker.visibleSelectors(),
             QList<QStringList>{QStringList({QStringLiteral("sys"), QStringLiteral("query")})});
    QCOMPARE(picker.currentSelector(),
             QStringList({QStringLiteral("sys"), QStringLiteral("query")}));

    // Matching the group shows all of its rows.
    picker.setFilterText(QStringLiteral("system"));
    for (const QStringList &s : picker.visibleSelectors())
        QCOMPARE(s.first(), QStringLiteral("sys"));
    QVERIFY(picker.visibleSelectors().size() >= 8);

    picker.setFilterText(QString());
    picker.setTypeFilter({QStringLiteral("number")});
    const QList<QStringList> numbers = picker.visibleSelectors();
    QVERIFY(
        numbers.contains(QStringList({QStringLiteral("sys"), QStringLiteral("dialogue_count")})));
    for (const QStringList &s : numbers) {
        const VariableRef *ref = findRef(vars, s.join(QLatin1Char('.')));
        QVERIFY(ref->type == QLatin1String("number") || ref->type == QLatin1String("any"));
    }
    picker.setTypeFilter({QStringLiteral("array")});
    QVERIFY(picker.visibleSelectors().contains(
        QStringList({QStringLiteral("sys"), QStringLiteral("files")})));

    // Nothing matches: the tree gives way to a message.
    picker.setTypeFilter({});
    picker.setFilterText(QStringLiteral("zzz"));
    QVERIFY(picker.visibleSelectors().isEmpty());
    QVERIFY(
        picker.findChild<QLabel *>(QStringLiteral("variablepicker.empty"))->isVisibleTo(&picker));

    // Double-click (activation) on a row emits the selector.
    picker.setFilterText(QString());
    QSignalSpy chosen(&picker, &VariablePicker::variableChosen);
    QTreeWidgetItem *row = tree->topLevelItem(0)->child(0);
    Q_EMIT tree->itemActivated(row, 0);
    QCOMPARE(chosen.count(), 1);
    QCOMPARE(chosen.at(0).at(0).toStringList(),
             QStringList({QStringLiteral("llm"), QStringLiteral("text")}));
}

void TstEditors::pickViaKeyboard()
{
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *anchor = new QLineEdit(&window);
    layout->addWidget(anchor);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));

    bool sawPopup = false;
    QTimer::singleShot(0, &window, [&sawPopup] {
        auto *popup = qobject_cast<VariablePicker *>(QApplication::activePopupWidget());
        if (!popup)
            return;
        sawPopup = true;
        QVERIFY(popup->searchEdit()->hasFocus());
        // Only strings are offered; "sys." narrows to system variables; Down moves one row.
        QTest::keyClicks(popup->searchEdit(), QStringLiteral("sys."));
        QCOMPARE(popup->currentSelector(),
                 QStringList({QStringLiteral("sys"), QStringLiteral("query")}));
        QTest::keyClick(popup->searchEdit(), Qt::Key_Down);
        QTest::keyClick(popup->searchEdit(), Qt::Key_Return);
    });
    const std::optional<QStringList> choice
        = VariablePicker::pick(anchor, variablesVisibleAt(m_chatflow, QStringLiteral("answer")),
                               {QStringLiteral("string")});
    QVERIFY(sawPopup);
    QVERIFY(choice.has_value());
    // sys.files (array[file]) is filtered out, so the row after query is conversation_id.
    QCOMPARE(*choice, QStringList({QStringLiteral("sys"), QStringLiteral("conversation_id")}));
    QVERIFY(!QApplication::activePopupWidget());
}

void TstEditors::pickDismissedWithEscape()
{
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *anchor = new QLineEdit(&window);
    layout->addWidget(anchor);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTimer::singleShot(0, &window, [] {
        if (QWidget *popup = QApplication::activePopupWidget())
            QTest::keyClick(popup->focusWidget() ? popup->focusWidget() : popup, Qt::Key_Escape);
    });
    const std::optional<QStringList> choice
        = VariablePicker::pick(anchor, variablesVisibleAt(m_chatflow, QStringLiteral("answer")));
    QVERIFY(!choice.has_value());
}

// ---- look ------------------------------------------------------------------------------------

void TstEditors::screenshots()
{
    const document::Workflow wf = m_iteration;
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *prompt = new CodeEditor(CodeEditor::Language::Template, &window);
    auto *jinja = new CodeEditor(CodeEditor::Language::Jinja, &window);
    auto *python = new CodeEditor(CodeEditor::Language::Python, &window);
    layout->addWidget(prompt);
    layout->addWidget(jinja);
    layout->addWidget(python);
    const auto provider
        = [wf] { return variablesVisibleAt(wf, QStringLiteral("code_inner_node")); };
    prompt->setVariableProvider(provider);
    jinja->setVariableProvider(provider);
    prompt->setText(QStringLiteral("Pair the item {{#iteration_node.item#}} (index "
                                   "{{#iteration_node.index#}}) with {{#end_node.output#}} and "
                                   "{{#bad-id.x#}}.\nList: "));
    jinja->setText(QStringLiteral("{# greeting #}\n{% for x in items %}\n  {{ x | upper }} "
                                  "'{{#sys.user_id#}}'\n{% endfor %}"));
    python->setText(QStringLiteral("def main(arg1: int) -> dict:\n    # pair\n"
                                   "    return {\"result\": [arg1, arg1 * 2]}\n"));
    python->setProblem(QStringLiteral("main() must return a dict"));
    window.resize(560, 420);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    prompt->setFocus();
    prompt->setCursorPosition(1, 6);
    QTest::keyClicks(prompt, QStringLiteral("{{#"));
    QVERIFY(prompt->isListActive());
    QTest::qWait(50);

    // The completion list is its own window: paint it over the editor where it shows.
    QPixmap shot = window.grab();
    if (QListWidget *list = visibleCompletionList()) {
        QPainter painter(&shot);
        painter.drawPixmap(window.mapFromGlobal(list->mapToGlobal(QPoint(0, 0))), list->grab());
    }
    QVERIFY(shot.save(QStringLiteral("/tmp/p1b-editors.png")));
    QTest::keyClick(prompt, Qt::Key_Escape);
    QVERIFY(window.grab().save(QStringLiteral("/tmp/p1b-editors-closed.png")));

    QPalette dark;
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::Window, QColor(0x2a, 0x2a, 0x2a));
    dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
    window.setPalette(dark);
    QVERIFY(window.grab().save(QStringLiteral("/tmp/p1b-editors-dark.png")));

    VariablePicker picker;
    picker.setVariables(variablesVisibleAt(wf, QStringLiteral("code_inner_node")));
    picker.resize(340, 380);
    picker.show();
    QVERIFY(QTest::qWaitForWindowExposed(&picker));
    QVERIFY(picker.grab().save(QStringLiteral("/tmp/p1b-picker.png")));
    picker.setFilterText(QStringLiteral("id"));
    QVERIFY(picker.grab().save(QStringLiteral("/tmp/p1b-picker-filtered.png")));
}

QTEST_MAIN(TstEditors)
#include "tst_editors.moc"

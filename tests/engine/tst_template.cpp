// Dify's `{{#node.var#}}` templates (dify.md §5.2, §11 item 5, §12 "Templates"). The expected
// results were produced by python3 running Dify's VARIABLE_PATTERN.split and its
// VariablePool.get / convert_template rules over the same pool.

#include "variables/template.h"

#include <QElapsedTimer>
#include <QTest>

using namespace flowbench::variables;

namespace {

QByteArray bytes(const std::string &text)
{
    return QByteArray::fromStdString(text);
}

std::string_view view(const QByteArray &text)
{
    return std::string_view(text.constData(), static_cast<std::size_t>(text.size()));
}

Json file(const char *name, const char *type, const char *url, Json relatedId, int size,
          const char *extension, const char *mime, const char *transfer)
{
    return Json{{"dify_model_identity", kFileIdentity},
                {"extension", extension},
                {"mime_type", mime},
                {"name", name},
                {"related_id", std::move(relatedId)},
                {"size", size},
                {"transfer_method", transfer},
                {"type", type},
                {"url", url}};
}

VariablePool samplePool()
{
    const Json image = file("cat.png", "image", "https://h/cat.png", nullptr, 2048, ".png",
                            "image/png", "remote_url");
    const Json doc = file("r.pdf", "document", "https://h/r.pdf", "f-1", 10, ".pdf",
                          "application/pdf", "local_file");
    VariablePool pool;
    pool.set("start", "name", "Ada");
    pool.set("start", "age", 36);
    pool.set("start", "score", 2.0);
    pool.set("start", "flag", true);
    pool.set("start", "nothing", nullptr);
    pool.set("start", "obj", Json{{"a", 1}, {"b", "中"}});
    pool.set("start", "list", Json::array({"x", "y"}));
    pool.set("start", "nums", Json::array({1, 2.0}));
    pool.set("start", "mixed", Json::array({"a", 1}));
    pool.set("start", "empty", Json::array());
    pool.set("start", "f", doc);
    pool.set("start", "img", image);
    pool.set("start", "nested", Json{{"inner", {{"deep", {1, 2}}, {"none", nullptr}}}});
    pool.set("sys", "query", "hi");
    pool.set("sys", "files", Json::array({image, doc}));
    pool.set("1754154032319", "text", "digits");
    return pool;
}

} // namespace

class TestTemplate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void render_data();
    void render();
    void selectors();
    void largeTemplate();
    void pathologicalInput();
};

void TestTemplate::parse_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QByteArrayList>("segments"); // "text:..." or "var:node.var"

    QTest::newRow("empty") << QByteArray("") << (QByteArrayList{});
    QTest::newRow("plain text") << QByteArray("no references here")
                                << (QByteArrayList{QByteArray("text:no references here")});
    QTest::newRow("one reference")
        << QByteArray("Hello {{#start.name#}}!")
        << (QByteArrayList{QByteArray("text:Hello "), QByteArray("var:start.name"),
                           QByteArray("text:!")});
    QTest::newRow("whole text") << QByteArray("{{#sys.query#}}")
                                << (QByteArrayList{QByteArray("var:sys.query")});
    QTest::newRow("reserved scopes")
        << QByteArray("{{#env.key#}}{{#conversation.c#}}{{#userinput.files#}}")
        << (QByteArrayList{QByteArray("var:env.key"), QByteArray("var:conversation.c"),
                           QByteArray("var:userinput.files")});
    QTest::newRow("digit node id") << QByteArray("{{#1754154032319.text#}}")
                                   << (QByteArrayList{QByteArray("var:1754154032319.text")});
    QTest::newRow("deeper selector") << QByteArray("{{#llm.usage.total_tokens#}}")
                                     << (QByteArrayList{QByteArray("var:llm.usage.total_tokens")});
    QTest::newRow("dash in node id")
        << QByteArray("{{#retrieval-v2.result#}}")
        << (QByteArrayList{QByteArray("text:{{#retrieval-v2.result#}}")});
    QTest::newRow("node id of 50")
        << QByteArray("{{#nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn.v#}}")
        << (QByteArrayList{QByteArray("var:nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn.v")});
    QTest::newRow("node id of 51")
        << QByteArray("{{#nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn.v#}}")
        << (QByteArrayList{
               QByteArray("text:{{#nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn.v#}}")});
    QTest::newRow("segment of 30")
        << QByteArray("{{#n.ssssssssssssssssssssssssssssss#}}")
        << (QByteArrayList{QByteArray("var:n.ssssssssssssssssssssssssssssss")});
    QTest::newRow("segment of 31")
        << QByteArray("{{#n.sssssssssssssssssssssssssssssss#}}")
        << (QByteArrayList{QByteArray("text:{{#n.sssssssssssssssssssssssssssssss#}}")});
    QTest::newRow("ten segments") << QByteArray("{{#n.a.a.a.a.a.a.a.a.a.a#}}")
                                  << (QByteArrayList{QByteArray("var:n.a.a.a.a.a.a.a.a.a.a")});
    QTest::newRow("eleven segments")
        << QByteArray("{{#n.a.a.a.a.a.a.a.a.a.a.a#}}")
        << (QByteArrayList{QByteArray("text:{{#n.a.a.a.a.a.a.a.a.a.a.a#}}")});
    QTest::newRow("no segment") << QByteArray("{{#node#}}")
                                << (QByteArrayList{QByteArray("text:{{#node#}}")});
    QTest::newRow("segment starting with digit")
        << QByteArray("{{#node.1abc#}}") << (QByteArrayList{QByteArray("text:{{#node.1abc#}}")});
    QTest::newRow("empty segment")
        << QByteArray("{{#a..b#}}") << (QByteArrayList{QByteArray("text:{{#a..b#}}")});
    QTest::newRow("trailing dot") << QByteArray("{{#a.b.#}}")
                                  << (QByteArrayList{QByteArray("text:{{#a.b.#}}")});
    QTest::newRow("unclosed") << QByteArray("{{#a.b#}")
                              << (QByteArrayList{QByteArray("text:{{#a.b#}")});
    QTest::newRow("space inside") << QByteArray("{{# a.b #}}")
                                  << (QByteArrayList{QByteArray("text:{{# a.b #}}")});
    QTest::newRow("newline inside")
        << QByteArray("{{#a.b\n#}}") << (QByteArrayList{QByteArray("text:{{#a.b\n#}}")});
    QTest::newRow("non-ASCII name")
        << QByteArray("{{#中.b#}}") << (QByteArrayList{QByteArray("text:{{#中.b#}}")});
    QTest::newRow("extra braces") << QByteArray("{{{#a.b#}}}")
                                  << (QByteArrayList{QByteArray("text:{"), QByteArray("var:a.b"),
                                                     QByteArray("text:}")});
    QTest::newRow("failed start then match")
        << QByteArray("{{#a{{#b.c#}}")
        << (QByteArrayList{QByteArray("text:{{#a"), QByteArray("var:b.c")});
    QTest::newRow("adjacent") << QByteArray("{{#a.b#}}{{#a.b#}}")
                              << (QByteArrayList{QByteArray("var:a.b"), QByteArray("var:a.b")});
    QTest::newRow("trailing close")
        << QByteArray("{{#a.b#}}#}}")
        << (QByteArrayList{QByteArray("var:a.b"), QByteArray("text:#}}")});
    QTest::newRow("underscores") << QByteArray("{{#_.__#}} {{#A_b.C_d9#}}")
                                 << (QByteArrayList{QByteArray("var:_.__"), QByteArray("text: "),
                                                    QByteArray("var:A_b.C_d9")});
    QTest::newRow("open only") << QByteArray("{{#") << (QByteArrayList{QByteArray("text:{{#")});
    QTest::newRow("dangling open at end")
        << QByteArray("text {{#a.b") << (QByteArrayList{QByteArray("text:text {{#a.b")});
    QTest::newRow("single braces")
        << QByteArray("{#a.b#}") << (QByteArrayList{QByteArray("text:{#a.b#}")});
    QTest::newRow("jinja style") << QByteArray("{{ a.b }}")
                                 << (QByteArrayList{QByteArray("text:{{ a.b }}")});
    QTest::newRow("lots of text")
        << QByteArray("Line 1\n{{#a.b#}} and {{#c.d.e#}}, then {{#bad-id.x#}}.")
        << (QByteArrayList{QByteArray("text:Line 1\n"), QByteArray("var:a.b"),
                           QByteArray("text: and "), QByteArray("var:c.d.e"),
                           QByteArray("text:, then {{#bad-id.x#}}.")});
}

void TestTemplate::parse()
{
    QFETCH(QByteArray, source);
    QFETCH(QByteArrayList, segments);

    QByteArrayList actual;
    for (const TemplateSegment &segment : parseTemplate(view(source))) {
        if (segment.isVariable) {
            actual.append("var:" + bytes(segment.text));
            // The selector is the inner text split at the dots.
            QCOMPARE(bytes(selectorText(segment.selector)), bytes(segment.text));
            QVERIFY(segment.selector.size() >= 2);
        } else {
            actual.append("text:" + bytes(segment.text));
            QVERIFY(segment.selector.empty());
        }
    }
    QCOMPARE(actual, segments);
}

void TestTemplate::render_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("markdown");

    // "plain node.var text is not replaced": Dify 1.12.1 also replaces plain text between
    // references that equals an existing `node.var` (its regex split hands that text to
    // VariablePool.get too). That quirk is deliberately not copied; the row pins the choice.
    QTest::newRow("string") << QByteArray("Hi {{#start.name#}}!") << QByteArray("Hi Ada!")
                            << QByteArray("Hi Ada!");
    QTest::newRow("integer") << QByteArray("{{#start.age#}}") << QByteArray("36")
                             << QByteArray("36");
    QTest::newRow("float") << QByteArray("{{#start.score#}}") << QByteArray("2.0")
                           << QByteArray("2.0");
    QTest::newRow("boolean") << QByteArray("{{#start.flag#}}") << QByteArray("True")
                             << QByteArray("True");
    QTest::newRow("null") << QByteArray("[{{#start.nothing#}}]") << QByteArray("[]")
                          << QByteArray("[]");
    QTest::newRow("object") << QByteArray("{{#start.obj#}}")
                            << QByteArray("{\"a\": 1, \"b\": \"中\"}")
                            << QByteArray("{\n  \"a\": 1,\n  \"b\": \"中\"\n}");
    QTest::newRow("array[string]")
        << QByteArray("{{#start.list#}}") << QByteArray("[\"x\", \"y\"]") << QByteArray("- x\n- y");
    QTest::newRow("array[number]")
        << QByteArray("{{#start.nums#}}") << QByteArray("[1, 2.0]") << QByteArray("- 1\n- 2.0");
    QTest::newRow("array[any]") << QByteArray("{{#start.mixed#}}") << QByteArray("['a', 1]")
                                << QByteArray("- a\n- 1");
    QTest::newRow("empty array") << QByteArray("[{{#start.empty#}}]") << QByteArray("[]")
                                 << QByteArray("[]");
    QTest::newRow("file") << QByteArray("{{#start.f#}}") << QByteArray("")
                          << QByteArray("[r.pdf](https://h/r.pdf)");
    QTest::newRow("array[file]") << QByteArray("{{#sys.files#}}") << QByteArray("")
                                 << QByteArray(
                                        "![cat.png](https://h/cat.png)\n[r.pdf](https://h/r.pdf)");
    QTest::newRow("file attribute")
        << QByteArray("{{#start.f.name#}} {{#start.f.size#}} {{#start.f.type#}}")
        << QByteArray("r.pdf 10 document") << QByteArray("r.pdf 10 document");
    QTest::newRow("file attribute null")
        << QByteArray("[{{#start.img.related_id#}}]") << QByteArray("[]") << QByteArray("[]");
    QTest::newRow("after a file attribute the rest is ignored")
        << QByteArray("{{#start.img.name.more.keys#}}") << QByteArray("cat.png")
        << QByteArray("cat.png");
    QTest::newRow("unknown file attribute")
        << QByteArray("{{#start.f.width#}}") << QByteArray("start.f.width")
        << QByteArray("start.f.width");
    QTest::newRow("nested") << QByteArray("{{#start.nested.inner.deep#}}") << QByteArray("[1, 2]")
                            << QByteArray("- 1\n- 2");
    QTest::newRow("nested object")
        << QByteArray("{{#start.nested.inner#}}")
        << QByteArray("{\"deep\": [1, 2], \"none\": null}")
        << QByteArray("{\n  \"deep\": [\n    1,\n    2\n  ],\n  \"none\": null\n}");
    QTest::newRow("nested null") << QByteArray("[{{#start.nested.inner.none#}}]")
                                 << QByteArray("[]") << QByteArray("[]");
    QTest::newRow("nested missing")
        << QByteArray("{{#start.nested.nope#}}") << QByteArray("start.nested.nope")
        << QByteArray("start.nested.nope");
    QTest::newRow("into a string")
        << QByteArray("{{#start.name.first#}}") << QByteArray("start.name.first")
        << QByteArray("start.name.first");
    QTest::newRow("unresolved") << QByteArray("Dear {{#abc.name#}},")
                                << QByteArray("Dear abc.name,") << QByteArray("Dear abc.name,");
    QTest::newRow("unresolved scope")
        << QByteArray("{{#sys.nope#}}") << QByteArray("sys.nope") << QByteArray("sys.nope");
    QTest::newRow("unmatched stays literal")
        << QByteArray("{{#retrieval-v2.result#}} {{#start.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx#}}")
        << QByteArray("{{#retrieval-v2.result#}} {{#start.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx#}}")
        << QByteArray("{{#retrieval-v2.result#}} {{#start.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx#}}");
    QTest::newRow("digit node id")
        << QByteArray("{{#1754154032319.text#}}") << QByteArray("digits") << QByteArray("digits");
    QTest::newRow("sys query") << QByteArray("Q: {{#sys.query#}}") << QByteArray("Q: hi")
                               << QByteArray("Q: hi");
    QTest::newRow("repeated") << QByteArray("{{#start.age#}}{{#start.age#}}") << QByteArray("3636")
                              << QByteArray("3636");
    QTest::newRow("plain node.var text is not replaced")
        << QByteArray("start.name") << QByteArray("start.name") << QByteArray("start.name");
    QTest::newRow("mixed text")
        << QByteArray("{{#start.name#}} is {{#start.age#}}; obj={{#start.obj#}}; {{#x.y#}}")
        << QByteArray("Ada is 36; obj={\"a\": 1, \"b\": \"中\"}; x.y")
        << QByteArray("Ada is 36; obj={\n  \"a\": 1,\n  \"b\": \"中\"\n}; x.y");
}

void TestTemplate::render()
{
    QFETCH(QByteArray, source);
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, markdown);

    const VariablePool pool = samplePool();
    QCOMPARE(bytes(renderTemplate(view(source), pool, Rendering::Text)), text);
    QCOMPARE(bytes(renderTemplate(view(source), pool, Rendering::Markdown)), markdown);
}

void TestTemplate::selectors()
{
    const std::vector<Selector> selectors = templateSelectors(
        "{{#start.name#}} {{#sys.query#}} {{#start.name#}} {{#bad-id.x#}} {{#llm.usage.tokens#}}"
        "{{#sys.query#}}{{#start.name.first#}}");
    const std::vector<Selector> expected = {{"start", "name"},
                                            {"sys", "query"},
                                            {"llm", "usage", "tokens"},
                                            {"start", "name", "first"}};
    QCOMPARE(selectors.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i)
        QCOMPARE(bytes(selectorText(selectors[i])), bytes(selectorText(expected[i])));
    QVERIFY(templateSelectors("no references").empty());
    QVERIFY(templateSelectors("").empty());
}

// Not a benchmark: a sanity check that a large prompt renders in a blink. The figure is printed,
// not asserted, so a slow machine cannot fail the test.
void TestTemplate::largeTemplate()
{
    const VariablePool pool = samplePool();
    const char *references[]
        = {"{{#start.name#}}",  "{{#start.obj#}}",          "{{#start.nums#}}", "{{#sys.query#}}",
           "{{#missing.var#}}", "{{#start.nested.inner#}}", "{{#bad-id.x#}}",   "{{#start.age#}}"};
    std::string source;
    std::string expected;
    const std::string filler(90, 'x');
    for (int i = 0; i < 1000; ++i) {
        const char *reference = references[i % std::size(references)];
        source += filler;
        source += reference;
        expected += filler;
        expected += renderTemplate(reference, pool, Rendering::Text);
    }
    QVERIFY(source.size() >= 100 * 1000);

    QElapsedTimer timer;
    timer.start();
    const std::string rendered = renderTemplate(source, pool, Rendering::Text);
    const qint64 renderNs = timer.nsecsElapsed();
    timer.restart();
    const std::vector<TemplateSegment> segments = parseTemplate(source);
    const qint64 parseNs = timer.nsecsElapsed();
    timer.restart();
    const std::vector<Selector> selectors = templateSelectors(source);
    const qint64 selectorsNs = timer.nsecsElapsed();

    qInfo("%zu KB template, 1000 references: render %.3f ms, parse %.3f ms, selectors %.3f ms",
          source.size() / 1024, renderNs / 1e6, parseNs / 1e6, selectorsNs / 1e6);

    QCOMPARE(bytes(rendered), bytes(expected));
    // Each of the 125 {{#bad-id.x#}} is text: it and the fillers around it make one segment.
    QCOMPARE(segments.size(), std::size_t(1000 + 1000 - 2 * 125));
    QCOMPARE(selectors.size(), std::size(references) - 1);
}

// Text full of near-misses must still be scanned in linear time: every "{{#" starts a match
// attempt, and each attempt is bounded by the pattern's maximum length.
void TestTemplate::pathologicalInput()
{
    const VariablePool pool = samplePool();
    const std::string openers(100 * 1000, '{');
    std::string hashes;
    while (hashes.size() < 100 * 1000)
        hashes += "{{#";
    std::string longIds;
    while (longIds.size() < 100 * 1000)
        longIds
            += "{{#" + std::string(50, 'n') + "." + std::string(29, 's') + ".a.a.a.a.a.a.a.a.a.a#}";

    const std::string *sources[] = {&openers, &hashes, &longIds};
    for (const std::string *source : sources) {
        QElapsedTimer timer;
        timer.start();
        const std::string rendered = renderTemplate(*source, pool, Rendering::Text);
        qInfo("%zu KB without a reference: %.3f ms", source->size() / 1024,
              timer.nsecsElapsed() / 1e6);
        QCOMPARE(rendered.size(), source->size());
        QVERIFY(rendered == *source);
    }
}

QTEST_GUILESS_MAIN(TestTemplate)

#include "tst_template.moc"

// The Template (template-transform) node through SingleNodeRun with real Jinja2 in python3.
#include "nodes/codenode.h"
#include "nodes/templatetransformnode.h"
#include "runtime/pythonworker.h"
#include "runtime/singlenoderun.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using flowbench::nodes::CodeNode;
using flowbench::runtime::Json;
using flowbench::runtime::NodeResult;
using flowbench::runtime::PythonWorkerPool;
using flowbench::runtime::SingleNodeRun;
using flowbench::variables::VariablePool;

#define QCOMPARE_JSON(actual, expected)                                                            \
    do {                                                                                           \
        const Json actual_ = (actual);                                                             \
        const Json expected_ = (expected);                                                         \
        QVERIFY2(actual_ == expected_,                                                             \
                 qPrintable(QString::fromStdString(actual_.dump() + " != " + expected_.dump())));  \
    } while (false)

namespace {

Json templateData(const std::string &source, Json variables = Json::array())
{
    return Json{{"type", "template-transform"},
                {"title", "Template"},
                {"template", source},
                {"variables", std::move(variables)}};
}

Json bind(const char *name, std::vector<std::string> selector)
{
    return Json{{"variable", name}, {"value_selector", selector}};
}

QString describe(const NodeResult &r)
{
    if (r.status == NodeResult::Status::Succeeded)
        return QStringLiteral("succeeded: ") + QString::fromStdString(r.outputs.dump());
    return QStringLiteral("failed (%1): %2").arg(r.errorType, r.error);
}

} // namespace

class tst_TemplateNode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void loopsAndFilters();
    void plainObjectsAndMissingValues();
    void whitespaceAsJinja2Template();
    void syntaxErrorNamesLine();
    void renderErrorNamesLine();
    void outputLengthLimit();
    void timeoutThenNextSucceeds();
    void renderOverhead();

private:
    NodeResult run(const Json &data, VariablePool pool = {});

    std::unique_ptr<PythonWorkerPool> m_python;
};

void tst_TemplateNode::initTestCase()
{
    m_python = std::make_unique<PythonWorkerPool>(1);
}

void tst_TemplateNode::cleanup()
{
    CodeNode::setTimeLimitForTesting(0);
}

NodeResult tst_TemplateNode::run(const Json &data, VariablePool pool)
{
    SingleNodeRun single;
    single.setPythonWorkers(m_python.get());
    QSignalSpy finished(&single, &SingleNodeRun::finished);
    single.start(QStringLiteral("template-transform"), QStringLiteral("tt"), data, std::move(pool));
    if (finished.isEmpty() && !finished.wait(60000))
        return NodeResult::failure(QStringLiteral("no answer"), QStringLiteral("Test"));
    return single.result();
}

void tst_TemplateNode::loopsAndFilters()
{
    VariablePool pool;
    pool.set("start", "items", Json{"a", "b", "c"});
    const NodeResult r = run(templateData("{% for x in items %}{{ x|upper }}{% endfor %}",
                                          Json::array({bind("items", {"start", "items"})})),
                             pool);
    QVERIFY2(r.status == NodeResult::Status::Succeeded, qPrintable(describe(r)));
    QCOMPARE_JSON(r.outputs, (Json{{"output", "ABC"}}));
    QCOMPARE_JSON(r.inputs, (Json{{"items", {"a", "b", "c"}}}));

    const NodeResult more = run(templateData("{{ items|join(', ') }} ({{ items|length }})"
                                             "{% if items|length > 2 %} many{% endif %}"
                                             " {{ '%.1f'|format(ratio) }}",
                                             Json::array({bind("items", {"start", "items"}),
                                                          bind("ratio", {"start", "ratio"})})),
                                [] {
                                    VariablePool p;
                                    p.set("start", "items", Json{"a", "b", "c"});
                                    p.set("start", "ratio", 0.25);
                                    return p;
                                }());
    QVERIFY2(more.status == NodeResult::Status::Succeeded, qPrintable(describe(more)));
    QCOMPARE_JSON(more.outputs, (Json{{"output", "a, b, c (3) many 0.2"}}));
}

void tst_TemplateNode::plainObjectsAndMissingValues()
{
    VariablePool pool;
    pool.set("llm", "usage", Json{{"total_tokens", 7}, {"tags", {"x"}}});
    const NodeResult r = run(
        templateData("{{ usage.total_tokens }}/{{ usage['tags'][0] }}/{{ missing }}/{{ nope }}"
                     "/{{ usage.absent }}",
                     Json::array({bind("usage", {"llm", "usage"}), bind("missing", {"x", "y"})})),
        pool);
    QVERIFY2(r.status == NodeResult::Status::Succeeded, qPrintable(describe(r)));
    // A bound variable missing from the pool is None (Python's str: "None"); an unbound name
    // and a missing key are Jinja2's Undefined, which renders empty.
    QCOMPARE_JSON(r.outputs, (Json{{"output", "7/x/None//"}}));
    QCOMPARE_JSON(r.inputs,
                  (Json{{"usage", {{"total_tokens", 7}, {"tags", {"x"}}}}, {"missing", nullptr}}));
}

void tst_TemplateNode::whitespaceAsJinja2Template()
{
    // jinja2.Template defaults: one trailing newline is dropped, blocks keep their newlines, no
    // autoescape.
    VariablePool pool;
    pool.set("s", "v", "<b>&</b>");
    const NodeResult r = run(
        templateData("{% if true %}\n{{ v }}\n{% endif %}\n", Json::array({bind("v", {"s", "v"})})),
        pool);
    QVERIFY2(r.status == NodeResult::Status::Succeeded, qPrintable(describe(r)));
    QCOMPARE_JSON(r.outputs, (Json{{"output", "\n<b>&</b>\n"}}));
}

void tst_TemplateNode::syntaxErrorNamesLine()
{
    const NodeResult r = run(templateData("Hello\n{% for x in items %}\n{{ x }\n{% endfor %}"));
    QVERIFY(r.status == NodeResult::Status::Failed);
    QCOMPARE(r.errorType, QStringLiteral("CodeExecutionError"));
    QVERIFY2(r.error.startsWith(QStringLiteral("TemplateSyntaxError: ")), qPrintable(r.error));
    QVERIFY2(r.error.endsWith(QStringLiteral("(line 3)")), qPrintable(r.error));

    const NodeResult unclosed = run(templateData("{% for x in items %}{{ x }}"));
    QVERIFY(unclosed.status == NodeResult::Status::Failed);
    QVERIFY2(unclosed.error.contains(QStringLiteral("endfor")), qPrintable(unclosed.error));
    QVERIFY2(unclosed.error.contains(QStringLiteral("(line 1)")), qPrintable(unclosed.error));
}

void tst_TemplateNode::renderErrorNamesLine()
{
    const NodeResult r = run(templateData("a\nb\n{{ items.pop() + 1 }}"));
    QVERIFY(r.status == NodeResult::Status::Failed);
    QVERIFY2(r.error.contains(QStringLiteral("UndefinedError")), qPrintable(r.error));
    QVERIFY2(r.error.contains(QStringLiteral("(line 3)")), qPrintable(r.error));
}

void tst_TemplateNode::outputLengthLimit()
{
    const NodeResult longer = run(templateData("{{ 'é' * 400001 }}"));
    QVERIFY(longer.status == NodeResult::Status::Failed);
    QCOMPARE(longer.error, QStringLiteral("Output length exceeds 400000 characters"));
    const NodeResult exact = run(templateData("{{ 'é' * 400000 }}"));
    QVERIFY2(exact.status == NodeResult::Status::Succeeded, qPrintable(describe(exact)));
    QCOMPARE(exact.outputs.at("output").get<std::string>().size(), std::size_t(800000));
}

void tst_TemplateNode::timeoutThenNextSucceeds()
{
    CodeNode::setTimeLimitForTesting(500);
    QElapsedTimer clock;
    clock.start();
    const NodeResult r = run(templateData("{% for i in range(10**12) %}{% endfor %}"));
    QVERIFY(r.status == NodeResult::Status::Failed);
    QVERIFY2(r.error.contains(QStringLiteral("exceeded 500 ms")), qPrintable(r.error));
    QVERIFY(clock.elapsed() < 5000);
    CodeNode::setTimeLimitForTesting(0);
    const NodeResult next = run(templateData("ok"));
    QVERIFY2(next.status == NodeResult::Status::Succeeded, qPrintable(describe(next)));
    QCOMPARE_JSON(next.outputs, (Json{{"output", "ok"}}));
}

void tst_TemplateNode::renderOverhead()
{
    VariablePool pool;
    pool.set("start", "items", Json{"a", "b", "c"});
    const Json data = templateData("{% for x in items %}{{ x|upper }}{% endfor %}",
                                   Json::array({bind("items", {"start", "items"})}));
    for (int i = 0; i < 3; ++i) // warm: process started, Jinja2 imported, template compiled
        run(data, pool);
    std::vector<double> ms;
    double sum = 0;
    for (int i = 0; i < 50; ++i) {
        QElapsedTimer clock;
        clock.start();
        const NodeResult r = run(data, pool);
        ms.push_back(clock.nsecsElapsed() / 1e6);
        sum += ms.back();
        QVERIFY2(r.status == NodeResult::Status::Succeeded, qPrintable(describe(r)));
    }
    std::sort(ms.begin(), ms.end());
    qInfo("template node round trip through SingleNodeRun (warm, 50 runs): jinja2 median %.3f ms, "
          "mean %.3f ms",
          ms[ms.size() / 2], sum / double(ms.size()));
}

QTEST_GUILESS_MAIN(tst_TemplateNode)
#include "tst_templatenode.moc"

// Engine overhead per node: a 10,000-node chain, a 100x100 wide graph (100 parallel chains of
// 100 nodes between a fan-out and a join) and a 10,000-item iteration, all of no-op nodes
// (variable aggregators with nothing to aggregate). Beside each figure: the same graph run by
// tests/bench/dify_mimic.py, a Python ready-queue + worker-thread + dispatcher mimic of Dify's
// engine, and the ratio. Prints figures; not a pass/fail test.
//     usage: bench_engine [scale] [chain|wide|iteration]   (scale 1 = the sizes above; naming
//            one graph runs only that one, without the baseline, e.g. under callgrind)
#include "document/workflow.h"
#include "runtime/graphengine.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QProcess>

#include <cstdio>

using namespace flowbench;
using Json = nlohmann::json;

namespace {

Json node(const std::string &id, Json data, const std::string &parent = {})
{
    Json n{{"id", id},
           {"type", "custom"},
           {"data", std::move(data)},
           {"position", {{"x", 0}, {"y", 0}}}};
    if (!parent.empty())
        n["parentId"] = parent;
    return n;
}

Json noop(const std::string &title)
{
    return Json{{"type", "variable-aggregator"},
                {"title", title},
                {"variables", Json::array()},
                {"output_type", "string"}};
}

Json edge(const std::string &s, const std::string &t)
{
    return Json{{"id", s + "-" + t}, {"source", s}, {"sourceHandle", "source"}, {"target", t}};
}

Json workflow(Json nodes, Json edges)
{
    return Json{
        {"app", {{"name", "bench"}, {"mode", "workflow"}}},
        {"kind", "app"},
        {"version", "0.5.0"},
        {"workflow", {{"graph", {{"nodes", std::move(nodes)}, {"edges", std::move(edges)}}}}}};
}

Json startNode()
{
    return node("start", Json{{"type", "start"}, {"title", "Start"}, {"variables", Json::array()}});
}

Json endNode()
{
    return node("end", Json{{"type", "end"}, {"title", "End"}, {"outputs", Json::array()}});
}

Json chain(int n)
{
    Json nodes = Json::array({startNode()}), edges = Json::array();
    std::string prev = "start";
    for (int i = 0; i < n - 2; ++i) {
        const std::string id = "n" + std::to_string(i);
        nodes.push_back(node(id, noop(id)));
        edges.push_back(edge(prev, id));
        prev = id;
    }
    nodes.push_back(endNode());
    edges.push_back(edge(prev, "end"));
    return workflow(nodes, edges);
}

Json wide(int layers, int width)
{
    Json nodes = Json::array({startNode()}), edges = Json::array();
    for (int c = 0; c < width; ++c) {
        std::string prev = "start";
        for (int l = 0; l < layers; ++l) {
            const std::string id = "n" + std::to_string(l) + "_" + std::to_string(c);
            nodes.push_back(node(id, noop(id)));
            edges.push_back(edge(prev, id));
            prev = id;
        }
        edges.push_back(edge(prev, "end"));
    }
    nodes.push_back(endNode());
    return workflow(nodes, edges);
}

Json iteration(int items)
{
    Json list = Json::array();
    for (int i = 0; i < items; ++i)
        list.push_back(i);
    Json nodes = Json::array({startNode()});
    nodes.push_back(node("source", noop("items")));
    nodes.push_back(node("it", Json{{"type", "iteration"},
                                    {"title", "It"},
                                    {"start_node_id", "itstart"},
                                    {"iterator_selector", {"source", "output"}},
                                    {"output_selector", {"body", "output"}},
                                    {"output_type", "array[string]"},
                                    {"is_parallel", false},
                                    {"error_handle_mode", "terminated"}}));
    nodes.push_back(node("itstart",
                         Json{{"type", "iteration-start"}, {"title", ""}, {"isInIteration", true}},
                         "it"));
    Json body = noop("body");
    body["isInIteration"] = true;
    body["iteration_id"] = "it";
    nodes.push_back(node("body", body, "it"));
    nodes.push_back(endNode());
    Json edges = Json::array({edge("start", "source"), edge("source", "it"),
                              edge("itstart", "body"), edge("it", "end")});
    Json wf = workflow(nodes, edges);
    (void)list;
    return wf;
}

struct Figure
{
    double usPerNode = 0;
    int steps = 0;
    QString status;
};

Figure runOnce(const Json &doc, runtime::RunOptions options = {})
{
    auto wf = document::Workflow::fromJson(doc);
    if (!wf) {
        std::fprintf(stderr, "bad workflow: %s\n", qPrintable(wf.error().message));
        std::exit(1);
    }
    options.maxSteps = 100'000'000;
    runtime::GraphEngine engine(*wf, options);
    if (auto ok = engine.prepare(); !ok) {
        std::fprintf(stderr, "cannot run: %s\n", qPrintable(ok.error().message));
        std::exit(1);
    }
    QEventLoop loop;
    QObject::connect(&engine, &runtime::GraphEngine::finished, &loop, &QEventLoop::quit);
    QElapsedTimer t;
    t.start();
    engine.start();
    if (engine.status() == runtime::RunStatus::Running)
        loop.exec();
    const qint64 ns = t.nsecsElapsed();
    return {ns / 1000.0 / std::max(1, engine.steps()), engine.steps(),
            runtime::runStatusName(engine.status())};
}

double mimic(const QStringList &args)
{
    const QString script = QStringLiteral(FLOWBENCH_SOURCE_DIR "/tests/bench/dify_mimic.py");
    QProcess p;
    p.start(QStringLiteral("python3"), QStringList{script} + args);
    p.waitForFinished(600000);
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed().toDouble();
}

void report(const char *name, const Figure &f, double baseline)
{
    std::printf(
        "%-28s %8d nodes  %8.3f us/node   python mimic %8.3f us/node   ratio %6.1fx  (%s)\n", name,
        f.steps, f.usPerNode, baseline, baseline / f.usPerNode, qPrintable(f.status));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const double scale = argc > 1 ? std::atof(argv[1]) : 1.0;
    const int n = std::max(10, int(10000 * scale));
    const int side = std::max(3, int(100 * std::sqrt(scale)));

    const QString only = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QString();
    if (only == QLatin1String("chain")) {
        report("chain", runOnce(chain(n)), 0);
        return 0;
    }
    std::printf("goal: <= 1 us per node, >= 50x the mimic on the chain\n");
    const Figure c = runOnce(chain(n));
    report("chain", c, mimic({QStringLiteral("chain"), QString::number(n)}));
    const Figure w = runOnce(wide(side, side));
    report("wide (layers x width)", w,
           mimic({QStringLiteral("wide"), QString::number(side), QString::number(side)}));

    Json items = Json::array();
    for (int i = 0; i < n; ++i)
        items.push_back(i);
    runtime::RunOptions o;
    o.pinnedOutputs.insert(QStringLiteral("source"), Json{{"output", items}});
    const Figure it = runOnce(iteration(n), o);
    report("iteration (items)", it, mimic({QStringLiteral("iteration"), QString::number(n)}));
    return 0;
}

// Load + validate a generated 1,000-node Dify-shaped workflow as native JSON and as Dify YAML,
// and time PyYAML's C loader (python3-yaml, CSafeLoader) on the same YAML as the baseline.
// Prints figures; it is not a pass/fail test.   usage: bench_load [nodes] [repeats] [--keep]
#include "document/dslio.h"
#include "document/validator.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace flowbench::document;

namespace {

// A layered graph of realistic nodes: start → (llm, code, http, template, if-else)* → end.
Json makeWorkflow(int count)
{
    Json nodes = Json::array();
    Json edges = Json::array();
    const auto wrap = [](const std::string &id, Json data, int x, int y) {
        return Json{{"id", id},
                    {"type", "custom"},
                    {"data", std::move(data)},
                    {"position", {{"x", x}, {"y", y}}},
                    {"positionAbsolute", {{"x", x}, {"y", y}}},
                    {"width", 244},
                    {"height", 90},
                    {"selected", false},
                    {"sourcePosition", "right"},
                    {"targetPosition", "left"}};
    };
    const auto edge = [&edges](const std::string &s, const std::string &h, const std::string &t) {
        edges.push_back(Json{{"id", s + "-" + h + "-" + t + "-target"},
                             {"type", "custom"},
                             {"source", s},
                             {"sourceHandle", h},
                             {"target", t},
                             {"targetHandle", "target"},
                             {"zIndex", 0},
                             {"data", {{"isInIteration", false}, {"isInLoop", false}}}});
    };
    nodes.push_back(wrap("start",
                         {{"type", "start"},
                          {"title", "Start"},
                          {"desc", ""},
                          {"variables", Json::array({{{"variable", "query"},
                                                      {"label", "query"},
                                                      {"type", "paragraph"},
                                                      {"required", true},
                                                      {"max_length", 4000},
                                                      {"options", Json::array()}}})}},
                         0, 0));
    std::string prev = "start"; // the node the next edge leaves
    bool prevIsIf = false;
    std::string lastNode = "start"; // the latest node with a string output
    std::string prevVar = "query";
    for (int i = 1; i < count - 1; ++i) {
        const std::string id = "n" + std::to_string(i);
        const int x = 300 * i, y = (i % 7) * 120;
        Json data;
        std::string outVar;
        switch (i % 5) {
        case 0:
            data = {{"type", "llm"},
                    {"title", "LLM " + std::to_string(i)},
                    {"model",
                     {{"provider", "langgenius/openai_api_compatible/openai_api_compatible"},
                      {"name", "Qwen3-8B"},
                      {"mode", "chat"},
                      {"completion_params", {{"temperature", 0.7}, {"max_tokens", 512}}}}},
                    {"prompt_template",
                     Json::array({{{"role", "system"}, {"text", "You are helpful. 你好。"}},
                                  {{"role", "user"},
                                   {"text", "Answer: {{#" + lastNode + "." + prevVar + "#}}"}}})},
                    {"context", {{"enabled", false}, {"variable_selector", Json::array()}}},
                    {"vision", {{"enabled", false}}}};
            outVar = "text";
            break;
        case 1:
            data = {
                {"type", "code"},
                {"title", "Code " + std::to_string(i)},
                {"code_language", "python3"},
                {"code", "def main(arg1: str) -> dict:\n    return {\"result\": arg1.upper()}\n"},
                {"variables",
                 Json::array({{{"variable", "arg1"},
                               {"value_selector", Json::array({lastNode, prevVar})}}})},
                {"outputs", {{"result", {{"type", "string"}, {"children", nullptr}}}}}};
            outVar = "result";
            break;
        case 2:
            data = {{"type", "http-request"},
                    {"title", "HTTP " + std::to_string(i)},
                    {"method", "post"},
                    {"url", "https://example.com/api/{{#" + lastNode + "." + prevVar + "#}}"},
                    {"authorization", {{"type", "no-auth"}, {"config", nullptr}}},
                    {"headers", "Content-Type:application/json"},
                    {"params", ""},
                    {"body",
                     {{"type", "json"},
                      {"data", Json::array({{{"type", "text"}, {"value", "{\"q\": 1}"}}})}}},
                    {"timeout", {{"connect", 10}, {"read", 60}, {"write", 20}}},
                    {"retry_config",
                     {{"retry_enabled", true}, {"max_retries", 3}, {"retry_interval", 100}}}};
            outVar = "body";
            break;
        case 3:
            data = {{"type", "template-transform"},
                    {"title", "Template " + std::to_string(i)},
                    {"template", "{{ arg1 }} -- {{ arg1 | length }}"},
                    {"variables",
                     Json::array({{{"variable", "arg1"},
                                   {"value_selector", Json::array({lastNode, prevVar})}}})}};
            outVar = "output";
            break;
        default:
            data = {{"type", "if-else"},
                    {"title", "IF " + std::to_string(i)},
                    {"cases",
                     Json::array({{{"case_id", "true"},
                                   {"id", "true"},
                                   {"logical_operator", "and"},
                                   {"conditions", Json::array({{{"id", "c" + std::to_string(i)},
                                                                {"varType", "string"},
                                                                {"variable_selector",
                                                                 Json::array({lastNode, prevVar})},
                                                                {"comparison_operator", "contains"},
                                                                {"value", "hello"}}})}}})}};
            outVar = "";
            break;
        }
        data["desc"] = "";
        data["selected"] = false;
        nodes.push_back(wrap(id, std::move(data), x, y));
        edge(prev, prevIsIf ? "true" : "source", id);
        prev = id;
        prevIsIf = outVar.empty();
        if (!prevIsIf) {
            // The next node reads this one's output; an if-else passes the older value on.
            lastNode = id;
            prevVar = outVar;
        }
    }
    nodes.push_back(
        wrap("end",
             {{"type", "end"},
              {"title", "End"},
              {"outputs", Json::array({{{"variable", "out"},
                                        {"value_selector", Json::array({lastNode, prevVar})},
                                        {"value_type", "string"}}})}},
             300 * count, 0));
    edge(prev, prevIsIf ? "true" : "source", "end");
    Json features = {{"opening_statement", ""},
                     {"suggested_questions", Json::array()},
                     {"file_upload", {{"enabled", false}}}};
    return Json{
        {"app", {{"name", "bench"}, {"mode", "workflow"}, {"icon", "🤖"}, {"description", ""}}},
        {"kind", "app"},
        {"version", "0.5.0"},
        {"dependencies", Json::array()},
        {"workflow",
         {{"conversation_variables", Json::array()},
          {"environment_variables", Json::array()},
          {"features", features},
          {"graph",
           {{"nodes", nodes},
            {"edges", edges},
            {"viewport", {{"x", 0}, {"y", 0}, {"zoom", 0.7}}}}}}}};
}

double medianMs(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct Timing
{
    double loadMs = 0;
    double validateMs = 0;
    int errors = 0;
};

Timing timeLoad(const QByteArray &text, FileFormat format, int repeats)
{
    std::vector<double> load, validate;
    int errors = 0;
    for (int r = 0; r < repeats; ++r) {
        QElapsedTimer t;
        t.start();
        auto loaded = loadWorkflowText(text, format);
        load.push_back(t.nsecsElapsed() / 1e6);
        if (!loaded) {
            std::fprintf(stderr, "load failed: %s\n", qPrintable(loaded.error().toString()));
            std::exit(1);
        }
        t.restart();
        const auto problems = validateWorkflow(loaded->workflow);
        validate.push_back(t.nsecsElapsed() / 1e6);
        errors = static_cast<int>(std::count_if(problems.begin(), problems.end(),
                                                [](const Problem &p) { return p.isError(); }));
    }
    return {medianMs(load), medianMs(validate), errors};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int count = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int repeats = argc > 2 ? std::atoi(argv[2]) : 9;

    auto parsed = Workflow::fromJson(makeWorkflow(count));
    if (!parsed)
        return 1;
    const QByteArray json = serialize(*parsed, FileFormat::NativeJson);
    const QByteArray yaml = serialize(*parsed, FileFormat::DifyYaml);
    QTemporaryDir dir;
    const bool keep = argc > 3 && QByteArray(argv[3]) == "--keep";
    dir.setAutoRemove(!keep);
    const QString yamlPath = dir.filePath(QStringLiteral("bench.yml"));
    QFile f(yamlPath);
    if (!f.open(QIODevice::WriteOnly) || f.write(yaml) != yaml.size())
        return 1;
    f.close();

    const Timing j = timeLoad(json, FileFormat::NativeJson, repeats);
    const Timing y = timeLoad(yaml, FileFormat::DifyYaml, repeats);

    // Baseline: PyYAML's C loader parsing the same file, timed inside Python (no start-up).
    QProcess py;
    py.start(QStringLiteral("python3"),
             {QStringLiteral("-c"),
              QStringLiteral("import sys,time,yaml\n"
                             "data=open(sys.argv[1],'rb').read()\n"
                             "ts=[]\n"
                             "for _ in range(int(sys.argv[2])):\n"
                             "  t=time.perf_counter(); yaml.load(data, Loader=yaml.CSafeLoader)\n"
                             "  ts.append((time.perf_counter()-t)*1000)\n"
                             "ts.sort(); print(ts[len(ts)//2])"),
              yamlPath, QString::number(std::max(3, repeats / 3))});
    py.waitForFinished(600000);
    bool ok = false;
    const double pyMs = QString::fromUtf8(py.readAllStandardOutput()).trimmed().toDouble(&ok);

    std::printf("workflow: %d nodes, %zu edges; JSON %.2f MB, YAML %.2f MB; median of %d runs\n",
                count, parsed->edges().size(), json.size() / 1e6, yaml.size() / 1e6, repeats);
    std::printf(
        "native JSON : load %8.2f ms + validate %6.2f ms = %8.2f ms  (goal <= 50 ms; %d errors)\n",
        j.loadMs, j.validateMs, j.loadMs + j.validateMs, j.errors);
    std::printf("Dify YAML   : load %8.2f ms + validate %6.2f ms = %8.2f ms  (%d errors)\n",
                y.loadMs, y.validateMs, y.loadMs + y.validateMs, y.errors);
    if (ok) {
        std::printf("PyYAML CSafeLoader parse only: %8.2f ms\n", pyMs);
        std::printf("ratio PyYAML / Flowbench YAML load+validate: %.1fx  (goal >= 10x)\n",
                    pyMs / (y.loadMs + y.validateMs));
    } else {
        std::printf("PyYAML baseline unavailable (python3-yaml missing?): %s\n",
                    py.readAllStandardError().constData());
    }
    if (keep)
        std::printf("inputs kept: %s\n", qPrintable(yamlPath));
    return 0;
}

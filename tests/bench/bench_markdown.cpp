// Streaming Markdown rendering figures (panels/chatmarkdown.h): a ~60 KB answer (paragraphs,
// lists, code fences, tables) streamed in 4-character pieces into ChatMarkdownDocument, against
// one full render of the finished text. Goals (issue 8): total CPU <= 3x one full render, worst
// single update <= 4 ms.
//
//   QT_QPA_PLATFORM=offscreen build/tests/bench/bench_markdown [kilobytes] [piece] [frame-pieces]
//
// "Every piece" flushes after each 4-character piece (the raw incremental cost: the tail block is
// re-rendered 15,000 times). "Per frame" is what ChatMarkdownView does: pieces are appended at
// once and the tail is rendered once per ~33 ms frame; at a fast 240 pieces/s (about 240
// tokens/s) that is one flush per 8 pieces. Rendering = QTextDocument::setMarkdown + layout at
// 640 px (painting is per frame and the same either way, so it is left out).

#include "chatmarkdown.h"

#include <QApplication>
#include <QTextDocument>

#include <algorithm>
#include <cstdio>
#include <ctime>

using flowbench::panels::ChatMarkdownDocument;

namespace {

double cpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

QString makeAnswer(int bytes)
{
    QString out;
    int section = 0;
    while (out.size() < bytes) {
        ++section;
        out += QStringLiteral("## Section %1: what the numbers say\n\n").arg(section);
        out += QStringLiteral(
                   "The run took **%1 seconds** in total, most of it in the `llm` node, which "
                   "waited for the first token while the server filled its KV cache. Prefix "
                   "caching helped the second turn: the shared system prompt was already cached, "
                   "so only the new question had to be processed. See the *table* below for the "
                   "per-node figures and the [docs](https://example.com/docs) for details.\n\n")
                   .arg(section * 3);
        out += QStringLiteral("Things to check next:\n\n"
                              "- the **temperature** (0.6 is the model's default)\n"
                              "- whether `top_p` is sent at all\n"
                              "- the thinking budget, which must stay below `max_tokens`\n"
                              "  - nested: at least 128 tokens below\n"
                              "- image sizes: 1280x720 costs about 904 tokens\n\n");
        out += QStringLiteral("1. Start the server with `--reasoning-parser qwen3`.\n"
                              "2. Send one image and read `usage.prompt_tokens`.\n"
                              "3. Compare with the estimate.\n\n");
        out += QStringLiteral("```python\n"
                              "import json, requests\n\n"
                              "def ask(question: str, image_url: str | None = None) -> str:\n"
                              "    parts = [{\"type\": \"text\", \"text\": question}]\n"
                              "    if image_url:\n"
                              "        parts.append({\"type\": \"image_url\",\n"
                              "                      \"image_url\": {\"url\": image_url}})\n"
                              "    body = {\"model\": \"ovis\", \"messages\": [\n"
                              "        {\"role\": \"user\", \"content\": parts}],\n"
                              "        \"stream\": False, \"max_tokens\": 512}\n"
                              "    r = requests.post(URL, json=body, timeout=60)\n"
                              "    r.raise_for_status()\n"
                              "    return r.json()[\"choices\"][0][\"message\"][\"content\"]\n"
                              "```\n\n");
        out += QStringLiteral("| node | kind | tokens | ms |\n"
                              "| --- | --- | ---: | ---: |\n"
                              "| start | start | 0 | 1 |\n"
                              "| classify | question-classifier | 212 | 840 |\n"
                              "| answer_llm | llm | 1,024 | %1 |\n"
                              "| answer | answer | 0 | 2 |\n\n")
                   .arg(section * 17 % 5000);
        out += QStringLiteral("> Note: the figures are from a simulated endpoint; a real server "
                              "adds network and queueing time.\n\n");
    }
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const int kb = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 60;
    const int piece = argc > 2 ? QString::fromLocal8Bit(argv[2]).toInt() : 4;
    const int framePieces = argc > 3 ? QString::fromLocal8Bit(argv[3]).toInt() : 8;
    const QString answer = makeAnswer(kb * 1024);
    const qreal width = 640;

    // Warm-up (fonts, md4c, the layout engine).
    {
        ChatMarkdownDocument warm;
        warm.setTextWidth(width);
        warm.setMarkdown(answer);
        warm.flush();
    }

    // One final full render, two ways: a single QTextDocument, and this renderer.
    double singleDocMs = 1e9;
    double blockDocMs = 1e9;
    for (int i = 0; i < 3; ++i) {
        double t0 = cpuMs();
        QTextDocument doc;
        doc.setDocumentMargin(0);
        doc.setMarkdown(answer, QTextDocument::MarkdownDialectGitHub);
        doc.setTextWidth(width);
        volatile qreal h = doc.size().height();
        (void)h;
        singleDocMs = std::min(singleDocMs, cpuMs() - t0);
        t0 = cpuMs();
        ChatMarkdownDocument md;
        md.setTextWidth(width);
        md.setMarkdown(answer);
        md.flush();
        blockDocMs = std::min(blockDocMs, cpuMs() - t0);
    }

    double byKind[4] = {0, 0, 0, 0};
    double worstByKind[4] = {0, 0, 0, 0};
    // Two passes per mode: one untimed for the total (timing every update costs two system
    // calls per piece), one timing each update (CPU time of this thread: the machine is shared,
    // and wall time would count the time other processes ran) for the worst one.
    auto stream
        = [&](int flushEvery, double *totalMs, double *worstMs, int *renders, int *flushes) {
              for (const bool timed : {false, true}) {
                  ChatMarkdownDocument md;
                  md.setTextWidth(width);
                  const double t0 = cpuMs();
                  double worst = 0;
                  int n = 0;
                  int count = 0;
                  for (qsizetype pos = 0; pos < answer.size(); pos += piece) {
                      const double c0 = timed ? cpuMs() : 0;
                      md.append(answer.mid(pos, piece));
                      if (++n % flushEvery == 0 || pos + piece >= answer.size()) {
                          md.flush();
                          ++count;
                      }
                      if (!timed)
                          continue;
                      const double ms = cpuMs() - c0;
                      worst = std::max(worst, ms);
                      if (flushEvery == 1 && !md.blocks().empty()) {
                          const auto &tail = *md.blocks().back();
                          const int kind = tail.kind == ChatMarkdownDocument::BlockKind::Code    ? 1
                                           : tail.kind == ChatMarkdownDocument::BlockKind::Table ? 2
                                           : tail.listItem                                       ? 3
                                                           : 0;
                          byKind[kind] += ms;
                          worstByKind[kind] = std::max(worstByKind[kind], ms);
                      }
                  }
                  const double c0 = cpuMs();
                  md.finish();
                  md.flush();
                  worst = std::max(worst, cpuMs() - c0);
                  if (timed) {
                      *worstMs = worst;
                      continue;
                  }
                  *totalMs = cpuMs() - t0;
                  *renders = md.renderCount();
                  *flushes = count + 1;
                  if (md.plainText().size() < answer.size() / 2)
                      std::printf("WARNING: rendered text is short (%lld chars)\n",
                                  static_cast<long long>(md.plainText().size()));
              }
          };

    double everyTotal = 0, everyWorst = 0, frameTotal = 0, frameWorst = 0;
    int everyRenders = 0, frameRenders = 0, everyFlushes = 0, frameFlushes = 0;
    stream(1, &everyTotal, &everyWorst, &everyRenders, &everyFlushes);
    std::printf("every piece, by open tail block: paragraph %.0f ms (worst %.2f), code %.0f ms "
                "(worst %.2f), table %.0f ms (worst %.2f), list item %.0f ms (worst %.2f)\n",
                byKind[0], worstByKind[0], byKind[1], worstByKind[1], byKind[2], worstByKind[2],
                byKind[3], worstByKind[3]);
    stream(framePieces, &frameTotal, &frameWorst, &frameRenders, &frameFlushes);

    std::printf("answer: %lld characters, %d-character pieces (%lld pieces)\n",
                static_cast<long long>(answer.size()), piece,
                static_cast<long long>((answer.size() + piece - 1) / piece));
    std::printf("one full render: single QTextDocument %.1f ms CPU; block renderer %.1f ms CPU\n",
                singleDocMs, blockDocMs);
    std::printf("streamed, flush every piece: total %.1f ms CPU (%.2fx single doc, %.2fx block "
                "renderer), worst update %.2f ms CPU, %d flushes, %d block renders\n",
                everyTotal, everyTotal / singleDocMs, everyTotal / blockDocMs, everyWorst,
                everyFlushes, everyRenders);
    std::printf(
        "streamed, flush per frame (every %d pieces): total %.1f ms CPU (%.2fx single "
        "doc, %.2fx block renderer), worst update %.2f ms CPU, %d flushes, %d block renders\n",
        framePieces, frameTotal, frameTotal / singleDocMs, frameTotal / blockDocMs, frameWorst,
        frameFlushes, frameRenders);
    std::printf("goals: total <= 3x one full render, worst update <= 4 ms\n");
    return 0;
}

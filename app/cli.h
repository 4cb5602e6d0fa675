#pragma once

#include <QStringList>

namespace flowbench::app {

// The command-line half of the `flowbench` binary. Each command returns the process exit code.
//
//   flowbench validate FILE          0 valid (warnings printed), 1 problems, 2 unreadable
//   flowbench convert IN OUT [--deploy] [--keep-secrets]
//   flowbench run FILE [...]             0 succeeded/partial, 1 failed/stopped, 2 unusable
//   flowbench simulate [...]             a vLLM-compatible simulator until SIGINT/SIGTERM: 0
//   flowbench --version
bool isCliCommand(const QStringList &arguments);
int runCommand(const QStringList &args);       // `flowbench run` (clirun.cpp)
int knowledgeCommand(const QStringList &args); // `flowbench knowledge` (cliknowledge.cpp)
// `flowbench simulate` (clisimulate.cpp)
int simulateCommand(const QStringList &args);
// `flowbench keyframes` (clikeyframes.cpp)
int keyframesCommand(const QStringList &args);
// `flowbench serve` (cliserve.cpp): Dify's service API until SIGINT/SIGTERM, then 0
int serveCommand(const QStringList &args);
int runCli(const QStringList &arguments);

} // namespace flowbench::app

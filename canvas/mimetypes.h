#pragma once

namespace flowbench::canvas {

// Drag payload of a palette item: the node kind as UTF-8 ("llm", "iteration", "custom-note").
inline constexpr char kNodeKindMimeType[] = "application/x-flowbench-node-kind";

} // namespace flowbench::canvas

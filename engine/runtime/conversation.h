#pragma once

#include <QString>

#include <vector>

namespace flowbench::runtime {

// One earlier turn of a chatflow conversation: what the user asked and what the app answered
// (the run's `answer` output). A run's history is oldest first; the current query is not part of
// it. Chat-model nodes with `memory` see the turns as user/assistant messages (dify.md §3 llm).
struct ConversationTurn
{
    QString query;
    QString answer;
};

using ConversationHistory = std::vector<ConversationTurn>;

} // namespace flowbench::runtime

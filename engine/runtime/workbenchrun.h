#pragma once

#include "document/workbenchstate.h"
#include "graphengine.h"

namespace flowbench::runtime {

// Adds a document's workbench state (breakpoints, their conditions, pinned outputs) to a run's
// options; what the options already say wins.
inline void applyWorkbenchState(const document::WorkbenchState &state, RunOptions *options)
{
    for (const QString &id : state.breakpoints)
        options->breakpoints.insert(id);
    for (auto it = state.breakpointConditions.cbegin(); it != state.breakpointConditions.cend();
         ++it) {
        if (!options->breakpointConditions.contains(it.key()))
            options->breakpointConditions.insert(it.key(), it.value());
    }
    for (auto it = state.pinnedOutputs.cbegin(); it != state.pinnedOutputs.cend(); ++it) {
        if (!options->pinnedOutputs.contains(it.key()))
            options->pinnedOutputs.insert(it.key(), it.value());
    }
}

} // namespace flowbench::runtime

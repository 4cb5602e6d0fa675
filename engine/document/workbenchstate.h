#pragma once

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

#include "edits.h"
#include "workflow.h"

namespace flowbench::document {

// The workbench-only state of a workflow file: the `flowbench` object beside `app` and
// `workflow` (ARCHITECTURE.md, "Files"). Deployment exports drop it. Its JSON shape:
//
//     "flowbench": {
//       "breakpoints": ["1754", "1760"],
//       "breakpoint_conditions": {"1754": "v(\"sys.query\").length > 3"},
//       "pinned_outputs": {"1760": {"text": "a fixed answer"}},
//       "endpoint_profile": "Simulator (local, offline)"
//     }
//
// Breakpoints keep the order they were set in. Unknown keys are kept. Edits replace the whole
// object (SetWorkbenchStateEdit), one undo step.
struct WorkbenchState
{
    QStringList breakpoints;                      // in the order they were set
    QHash<QString, QString> breakpointConditions; // node id → JavaScript; only for breakpoints
    QHash<QString, Json> pinnedOutputs;           // node id → outputs object
    QString endpointProfile;
    Json extra = Json::object(); // keys we do not know, written back verbatim

    static WorkbenchState fromJson(const Json &object); // tolerant: wrong shapes are skipped
    [[nodiscard]] Json toJson() const;
};

[[nodiscard]] inline WorkbenchState workbenchState(const Workflow &workflow)
{
    return WorkbenchState::fromJson(workflow.flowbench);
}

// Edits on the workbench state, named for the Undo menu.
Edit makeToggleBreakpointEdit(const Workflow &workflow, const QString &nodeId);
// F9 on a selection: sets them all unless all are set, then removes them all.
Edit makeToggleBreakpointsEdit(const Workflow &workflow, const QStringList &nodeIds);
// An empty condition makes the breakpoint unconditional; sets the breakpoint when absent.
Edit makeSetBreakpointConditionEdit(const Workflow &workflow, const QString &nodeId,
                                    const QString &condition);
Edit makePinOutputsEdit(const Workflow &workflow, const QString &nodeId, const Json &outputs);
Edit makeUnpinOutputsEdit(const Workflow &workflow, const QString &nodeId);

} // namespace flowbench::document

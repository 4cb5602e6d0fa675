#include "workbenchstate.h"

#include <QCoreApplication>

#include <algorithm>
#include <utility>

namespace flowbench::document {

namespace {

const char kBreakpoints[] = "breakpoints";
const char kPinned[] = "pinned_outputs";
const char kProfile[] = "endpoint_profile";

Edit replaceState(const WorkbenchState &state, const QString &name)
{
    return Edit(SetWorkbenchStateEdit{state.toJson()}, name);
}

} // namespace

WorkbenchState WorkbenchState::fromJson(const Json &object)
{
    WorkbenchState state;
    if (!object.is_object())
        return state;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const std::string &key = it.key();
        const Json &value = it.value();
        if (key == kBreakpoints && value.is_array()) {
            for (const Json &bp : value) {
                if (!bp.is_object() || !bp.contains("node_id") || !bp["node_id"].is_string())
                    continue;
                const QString id = QString::fromStdString(bp["node_id"].get<std::string>());
                state.breakpoints.insert(id);
                if (bp.contains("condition") && bp["condition"].is_string()) {
                    const auto condition
                        = QString::fromStdString(bp["condition"].get<std::string>());
                    if (!condition.trimmed().isEmpty())
                        state.breakpointConditions.insert(id, condition);
                }
            }
        } else if (key == kPinned && value.is_object()) {
            for (auto p = value.begin(); p != value.end(); ++p) {
                if (p.value().is_object())
                    state.pinnedOutputs.insert(QString::fromStdString(p.key()), p.value());
            }
        } else if (key == kProfile && value.is_string()) {
            state.endpointProfile = QString::fromStdString(value.get<std::string>());
        } else {
            state.extra[key] = value;
        }
    }
    return state;
}

Json WorkbenchState::toJson() const
{
    Json object = extra.is_object() ? extra : Json::object();
    if (!breakpoints.isEmpty()) {
        QStringList ids(breakpoints.cbegin(), breakpoints.cend());
        std::sort(ids.begin(), ids.end()); // stable files: no hash order in saved JSON
        Json list = Json::array();
        for (const QString &id : std::as_const(ids)) {
            Json bp = {{"node_id", id.toStdString()}};
            if (const QString condition = breakpointConditions.value(id); !condition.isEmpty())
                bp["condition"] = condition.toStdString();
            list.push_back(std::move(bp));
        }
        object[kBreakpoints] = std::move(list);
    }
    if (!pinnedOutputs.isEmpty()) {
        Json pinned = Json::object(); // nlohmann's object is a sorted map
        for (auto it = pinnedOutputs.cbegin(); it != pinnedOutputs.cend(); ++it)
            pinned[it.key().toStdString()] = it.value();
        object[kPinned] = std::move(pinned);
    }
    if (!endpointProfile.isEmpty())
        object[kProfile] = endpointProfile.toStdString();
    return object;
}

Edit makeToggleBreakpointEdit(const Workflow &workflow, const QString &nodeId)
{
    WorkbenchState state = workbenchState(workflow);
    const bool set = !state.breakpoints.contains(nodeId);
    if (set) {
        state.breakpoints.insert(nodeId);
    } else {
        state.breakpoints.remove(nodeId);
        state.breakpointConditions.remove(nodeId);
    }
    return replaceState(state, set ? QCoreApplication::translate(
                                   "flowbench::document::WorkbenchState", "Set breakpoint")
                                   : QCoreApplication::translate(
                                       "flowbench::document::WorkbenchState", "Remove breakpoint"));
}

Edit makeSetBreakpointConditionEdit(const Workflow &workflow, const QString &nodeId,
                                    const QString &condition)
{
    WorkbenchState state = workbenchState(workflow);
    state.breakpoints.insert(nodeId);
    if (condition.trimmed().isEmpty())
        state.breakpointConditions.remove(nodeId);
    else
        state.breakpointConditions.insert(nodeId, condition);
    return replaceState(state, QCoreApplication::translate("flowbench::document::WorkbenchState",
                                                           "Set breakpoint condition"));
}

Edit makePinOutputsEdit(const Workflow &workflow, const QString &nodeId, const Json &outputs)
{
    WorkbenchState state = workbenchState(workflow);
    state.pinnedOutputs.insert(nodeId, outputs.is_object() ? outputs : Json::object());
    return replaceState(
        state, QCoreApplication::translate("flowbench::document::WorkbenchState", "Pin output"));
}

Edit makeUnpinOutputsEdit(const Workflow &workflow, const QString &nodeId)
{
    WorkbenchState state = workbenchState(workflow);
    state.pinnedOutputs.remove(nodeId);
    return replaceState(
        state, QCoreApplication::translate("flowbench::document::WorkbenchState", "Unpin output"));
}

} // namespace flowbench::document

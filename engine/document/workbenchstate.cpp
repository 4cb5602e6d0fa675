#include "workbenchstate.h"

#include <QCoreApplication>

#include <algorithm>
#include <utility>

namespace flowbench::document {

namespace {

const char kBreakpoints[] = "breakpoints";
const char kConditions[] = "breakpoint_conditions";
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
                if (!bp.is_string())
                    continue;
                const QString id = QString::fromStdString(bp.get<std::string>());
                if (!id.isEmpty() && !state.breakpoints.contains(id))
                    state.breakpoints.append(id);
            }
        } else if (key == kConditions && value.is_object()) {
            for (auto c = value.begin(); c != value.end(); ++c) {
                if (!c.value().is_string())
                    continue;
                const auto condition = QString::fromStdString(c.value().get<std::string>());
                if (!condition.trimmed().isEmpty())
                    state.breakpointConditions.insert(QString::fromStdString(c.key()), condition);
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
    // A condition only means something on a breakpoint.
    for (auto it = state.breakpointConditions.begin(); it != state.breakpointConditions.end();) {
        if (state.breakpoints.contains(it.key()))
            ++it;
        else
            it = state.breakpointConditions.erase(it);
    }
    return state;
}

Json WorkbenchState::toJson() const
{
    Json object = extra.is_object() ? extra : Json::object();
    if (!breakpoints.isEmpty()) {
        Json list = Json::array();
        for (const QString &id : breakpoints)
            list.push_back(id.toStdString());
        object[kBreakpoints] = std::move(list);
    }
    Json conditions = Json::object(); // nlohmann's object is a sorted map: stable files
    for (auto it = breakpointConditions.cbegin(); it != breakpointConditions.cend(); ++it) {
        if (breakpoints.contains(it.key()) && !it.value().trimmed().isEmpty())
            conditions[it.key().toStdString()] = it.value().toStdString();
    }
    if (!conditions.empty())
        object[kConditions] = std::move(conditions);
    if (!pinnedOutputs.isEmpty()) {
        Json pinned = Json::object();
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
    return makeToggleBreakpointsEdit(workflow, {nodeId});
}

Edit makeToggleBreakpointsEdit(const Workflow &workflow, const QStringList &nodeIds)
{
    WorkbenchState state = workbenchState(workflow);
    const bool allSet = std::all_of(nodeIds.cbegin(), nodeIds.cend(), [&](const QString &id) {
        return state.breakpoints.contains(id);
    });
    for (const QString &id : nodeIds) {
        if (allSet) {
            state.breakpoints.removeAll(id);
            state.breakpointConditions.remove(id);
        } else if (!state.breakpoints.contains(id)) {
            state.breakpoints.append(id);
        }
    }
    // Plain words for one node: English has no plural forms file to turn "%n" into them.
    const int n = int(nodeIds.size());
    QString name;
    if (n == 1)
        name = allSet ? QCoreApplication::translate("flowbench::document::WorkbenchState",
                                                    "Remove breakpoint")
                      : QCoreApplication::translate("flowbench::document::WorkbenchState",
                                                    "Set breakpoint");
    else
        name = allSet ? QCoreApplication::translate("flowbench::document::WorkbenchState",
                                                    "Remove %1 breakpoints")
                            .arg(n)
                      : QCoreApplication::translate("flowbench::document::WorkbenchState",
                                                    "Set %1 breakpoints")
                            .arg(n);
    return replaceState(state, name);
}

Edit makeSetBreakpointConditionEdit(const Workflow &workflow, const QString &nodeId,
                                    const QString &condition)
{
    WorkbenchState state = workbenchState(workflow);
    if (!state.breakpoints.contains(nodeId))
        state.breakpoints.append(nodeId);
    if (condition.trimmed().isEmpty())
        state.breakpointConditions.remove(nodeId);
    else
        state.breakpointConditions.insert(nodeId, condition.trimmed());
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

#include "edits.h"

#include <QSet>

namespace flowbench::document {

namespace {

Json::json_pointer pointerOf(const QString &p, bool *ok)
{
    try {
        *ok = true;
        return Json::json_pointer(p.toStdString());
    } catch (const std::exception &) {
        *ok = false;
        return Json::json_pointer();
    }
}

struct Applier
{
    Workflow &wf;
    bool ok = true;

    Edit operator()(const AddNodeEdit &e)
    {
        if (e.node.id.isEmpty() || wf.node(e.node.id)) {
            ok = false;
            return BatchEdit{};
        }
        wf.insertNode(e.node, e.index);
        return RemoveNodeEdit{e.node.id};
    }
    Edit operator()(const RemoveNodeEdit &e)
    {
        const int index = wf.nodeIndex(e.id);
        if (index < 0) {
            ok = false;
            return BatchEdit{};
        }
        Node old = wf.nodes()[static_cast<size_t>(index)];
        wf.removeNode(e.id);
        return AddNodeEdit{std::move(old), index};
    }
    Edit operator()(const MoveNodesEdit &e)
    {
        MoveNodesEdit inverse;
        for (const auto &[id, pos] : e.positions) {
            Node *n = wf.node(id);
            if (!n) {
                ok = false;
                continue;
            }
            inverse.positions.append({id, n->position()});
            n->setPosition(pos);
        }
        return inverse;
    }
    Edit operator()(const SetNodeDataEdit &e)
    {
        Node *n = wf.node(e.nodeId);
        bool valid = false;
        const auto ptr = pointerOf(e.pointer, &valid);
        if (!n || !valid || e.pointer.isEmpty()) {
            ok = false;
            return BatchEdit{};
        }
        Json &target = e.part == SetNodeDataEdit::Part::Data ? n->data : n->wrapper;
        if (!target.is_object())
            target = Json::object();
        try {
            const bool existed = target.contains(ptr);
            SetNodeDataEdit inverse{e.nodeId, e.pointer, {}, !existed, e.part};
            if (existed)
                inverse.value = target.at(ptr);
            if (e.remove) {
                if (existed) {
                    Json &parent = target.at(ptr.parent_pointer());
                    if (parent.is_object())
                        parent.erase(ptr.back());
                    else if (parent.is_array())
                        parent.erase(static_cast<size_t>(std::stoul(ptr.back())));
                }
            } else {
                target[ptr] = e.value;
            }
            return inverse;
        } catch (const std::exception &) {
            ok = false;
            return BatchEdit{};
        }
    }
    Edit operator()(const AddEdgeEdit &e)
    {
        if (e.edge.id.isEmpty() || wf.edgeIndex(e.edge.id) >= 0) {
            ok = false;
            return BatchEdit{};
        }
        wf.insertEdge(e.edge, e.index);
        return RemoveEdgeEdit{e.edge.id};
    }
    Edit operator()(const RemoveEdgeEdit &e)
    {
        const int index = wf.edgeIndex(e.id);
        if (index < 0) {
            ok = false;
            return BatchEdit{};
        }
        Edge old = wf.edges()[static_cast<size_t>(index)];
        wf.removeEdge(e.id);
        return AddEdgeEdit{std::move(old), index};
    }
    Edit operator()(const SetVariablesEdit &e)
    {
        auto &target = e.scope == VariableScope::Environment ? wf.environmentVariables
                                                             : wf.conversationVariables;
        SetVariablesEdit inverse{e.scope, target};
        target = e.variables;
        return inverse;
    }
    Edit operator()(const SetAppFieldEdit &e)
    {
        const std::string key = e.key.toStdString();
        const bool existed = wf.app.contains(key);
        SetAppFieldEdit inverse{e.key, existed ? wf.app[key] : Json(), !existed};
        if (e.remove)
            wf.app.erase(key);
        else
            wf.app[key] = e.value;
        return inverse;
    }
    Edit operator()(const SetWorkflowFieldEdit &e)
    {
        const std::string key = e.key.toStdString();
        if (key.empty() || key == "graph") {
            ok = false;
            return BatchEdit{};
        }
        if (!wf.workflowExtra.is_object())
            wf.workflowExtra = Json::object();
        const bool existed = wf.workflowExtra.contains(key);
        SetWorkflowFieldEdit inverse{e.key, existed ? wf.workflowExtra[key] : Json(), !existed};
        if (e.remove)
            wf.workflowExtra.erase(key);
        else
            wf.workflowExtra[key] = e.value;
        return inverse;
    }
    Edit operator()(const SetWorkbenchStateEdit &e)
    {
        SetWorkbenchStateEdit inverse{wf.flowbench};
        wf.flowbench = e.state;
        return inverse;
    }
    Edit operator()(const BatchEdit &e)
    {
        BatchEdit inverse;
        inverse.edits.reserve(e.edits.size());
        for (const Edit &child : e.edits) {
            Applier inner{wf};
            Edit inv = std::visit(inner, child.op);
            if (!inner.ok) {
                // Roll back what this batch already did so the document stays consistent.
                for (auto it = inverse.edits.rbegin(); it != inverse.edits.rend(); ++it) {
                    Applier undo{wf};
                    std::visit(undo, it->op);
                }
                ok = false;
                return BatchEdit{};
            }
            inverse.edits.push_back(std::move(inv));
        }
        std::reverse(inverse.edits.begin(), inverse.edits.end());
        return inverse;
    }
};

} // namespace

Edit applyEdit(Workflow &workflow, const Edit &edit, bool *ok)
{
    Applier applier{workflow};
    Edit inverse = std::visit(applier, edit.op);
    inverse.name = edit.name;
    if (ok)
        *ok = applier.ok;
    return inverse;
}

Edit makeRemoveNodesEdit(const Workflow &workflow, const QStringList &nodeIds)
{
    QSet<QString> doomed(nodeIds.begin(), nodeIds.end());
    // Containers take their children with them (transitively).
    bool grew = true;
    while (grew) {
        grew = false;
        for (const Node &n : workflow.nodes()) {
            if (!doomed.contains(n.id) && doomed.contains(n.parentId())) {
                doomed.insert(n.id);
                grew = true;
            }
        }
    }
    BatchEdit batch;
    // Edges first (highest index first so recorded indices stay valid on undo), then nodes.
    const auto &edges = workflow.edges();
    for (int i = static_cast<int>(edges.size()) - 1; i >= 0; --i) {
        const Edge &e = edges[static_cast<size_t>(i)];
        if (doomed.contains(e.source) || doomed.contains(e.target))
            batch.edits.push_back(RemoveEdgeEdit{e.id});
    }
    const auto &nodes = workflow.nodes();
    for (int i = static_cast<int>(nodes.size()) - 1; i >= 0; --i) {
        if (doomed.contains(nodes[static_cast<size_t>(i)].id))
            batch.edits.push_back(RemoveNodeEdit{nodes[static_cast<size_t>(i)].id});
    }
    return Edit(std::move(batch));
}

} // namespace flowbench::document

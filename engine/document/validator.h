#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>

#include "workflow.h"

namespace flowbench::document {

// One entry of the checklist. `pointer` is a JSON pointer into the document as saved
// ("/workflow/graph/nodes/3/data/url"); `nodeId` is empty for document-level problems.
struct Problem
{
    enum class Severity { Warning, Error };
    Severity severity = Severity::Error;
    QString nodeId;
    QString pointer;
    QString message; // translated, says what is wrong and, where it helps, what to do
    QString code;    // stable rule id: "duplicate-id", "dangling-edge", "unreachable", ...

    [[nodiscard]] bool isError() const { return severity == Severity::Error; }
};

// Dify's checklist plus Flowbench's own checks. Pure function of the workflow; cheap enough to
// run after every edit (a 1,000-node workflow validates in about a millisecond). Thread-safe.
//
// Problem codes (E error, W warning):
//   graph:      duplicate-id E, duplicate-edge-id E, dangling-edge E, unknown-handle E, cycle E,
//               unreachable W, missing-container E, missing-type E, unsupported-kind E
//   roots/mode: no-start E, multiple-start E, no-end E, no-answer E, end-in-chatflow E,
//               answer-in-workflow W
//   references ({{#node.var#}} in any string of `data`, and selectors):
//               unknown-node E, not-upstream E, unknown-variable E, unknown-system-variable E,
//               chatflow-only-variable E, workflow-only-variable W,
//               unknown-environment-variable E, unknown-conversation-variable E
//   fields:     invalid-field (E or W, from NodeKindInfo::check), variable-too-large E
//
//     const QList<Problem> problems = validateWorkflow(doc.workflow());
//     bool runnable = std::none_of(problems.begin(), problems.end(), &Problem::isError);
class Validator
{
    Q_DECLARE_TR_FUNCTIONS(flowbench::document::Validator)

public:
    static QList<Problem> validate(const Workflow &workflow);
};

inline QList<Problem> validateWorkflow(const Workflow &workflow)
{
    return Validator::validate(workflow);
}

} // namespace flowbench::document

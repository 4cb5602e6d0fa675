// kind → ExecNode. Containers (iteration, loop) and their start/end markers are run by the
// engine itself and are not listed here.
#include "runtime/execnode.h"

#include <QHash>

#include "nodes/answernode.h"
#include "nodes/assignernode.h"
#include "nodes/codenode.h"
#include "nodes/documentextractornode.h"
#include "nodes/endnode.h"
#include "nodes/httprequestnode.h"
#include "nodes/ifelsenode.h"
#include "nodes/listoperatornode.h"
#include "nodes/startnode.h"
#include "nodes/templatetransformnode.h"
#include "nodes/variableaggregatornode.h"

namespace flowbench::runtime {

std::unique_ptr<ExecNode> createExecNode(const QString &kind)
{
    if (kind == QLatin1String("start"))
        return std::make_unique<nodes::StartNode>();
    if (kind == QLatin1String("end"))
        return std::make_unique<nodes::EndNode>();
    if (kind == QLatin1String("answer"))
        return std::make_unique<nodes::AnswerNode>();
    if (kind == QLatin1String("if-else"))
        return std::make_unique<nodes::IfElseNode>();
    if (kind == QLatin1String("code"))
        return std::make_unique<nodes::CodeNode>();
    if (kind == QLatin1String("template-transform"))
        return std::make_unique<nodes::TemplateTransformNode>();
    if (kind == QLatin1String("variable-aggregator") || kind == QLatin1String("variable-assigner"))
        return std::make_unique<nodes::VariableAggregatorNode>();
    if (kind == QLatin1String("assigner"))
        return std::make_unique<nodes::AssignerNode>();
    if (kind == QLatin1String("list-operator"))
        return std::make_unique<nodes::ListOperatorNode>();
    if (kind == QLatin1String("http-request"))
        return std::make_unique<nodes::HttpRequestNode>();
    if (kind == QLatin1String("document-extractor"))
        return std::make_unique<nodes::DocumentExtractorNode>();
    return nullptr;
}

} // namespace flowbench::runtime

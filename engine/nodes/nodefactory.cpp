// kind → ExecNode. Containers (iteration, loop) and their start/end markers are run by the
// engine itself and are not listed here.
#include "runtime/execnode.h"

#include <QHash>

#include "nodes/agentnode.h"
#include "nodes/answernode.h"
#include "nodes/assignernode.h"
#include "nodes/codenode.h"
#include "nodes/documentextractornode.h"
#include "nodes/endnode.h"
#include "nodes/httprequestnode.h"
#include "nodes/ifelsenode.h"
#include "nodes/knowledgeretrievalnode.h"
#include "nodes/listoperatornode.h"
#include "nodes/llmnode.h"
#include "nodes/parameterextractornode.h"
#include "nodes/questionclassifiernode.h"
#include "nodes/startnode.h"
#include "nodes/templatetransformnode.h"
#include "nodes/toolnode.h"
#include "nodes/variableaggregatornode.h"

namespace flowbench::runtime {

namespace {

template<typename T>
std::unique_ptr<ExecNode> make()
{
    return std::make_unique<T>();
}

} // namespace

ExecNodeFactory execNodeFactory(const QString &kind)
{
    static const QHash<QString, ExecNodeFactory> factories{
        {QStringLiteral("start"), &make<nodes::StartNode>},
        {QStringLiteral("end"), &make<nodes::EndNode>},
        {QStringLiteral("answer"), &make<nodes::AnswerNode>},
        {QStringLiteral("if-else"), &make<nodes::IfElseNode>},
        {QStringLiteral("code"), &make<nodes::CodeNode>},
        {QStringLiteral("template-transform"), &make<nodes::TemplateTransformNode>},
        {QStringLiteral("variable-aggregator"), &make<nodes::VariableAggregatorNode>},
        {QStringLiteral("variable-assigner"), &make<nodes::VariableAggregatorNode>}, // legacy name
        {QStringLiteral("assigner"), &make<nodes::AssignerNode>},
        {QStringLiteral("list-operator"), &make<nodes::ListOperatorNode>},
        {QStringLiteral("http-request"), &make<nodes::HttpRequestNode>},
        {QStringLiteral("document-extractor"), &make<nodes::DocumentExtractorNode>},
        {QStringLiteral("llm"), &make<nodes::LlmNode>},
        {QStringLiteral("tool"), &make<nodes::ToolNode>},
        {QStringLiteral("agent"), &make<nodes::AgentNode>},
        {QStringLiteral("question-classifier"), &make<nodes::QuestionClassifierNode>},
        {QStringLiteral("parameter-extractor"), &make<nodes::ParameterExtractorNode>},
        {QStringLiteral("knowledge-retrieval"), &make<nodes::KnowledgeRetrievalNode>},
    };
    return factories.value(kind, nullptr);
}

std::unique_ptr<ExecNode> createExecNode(const QString &kind)
{
    const ExecNodeFactory factory = execNodeFactory(kind);
    return factory ? factory() : nullptr;
}

} // namespace flowbench::runtime

#pragma once

#include <QCoreApplication>

namespace flowbench::document {

// Translation context for the messages of the DSL readers and writers (users read them in the
// Problems list, the Open dialog and on the command line).
struct DslText
{
    Q_DECLARE_TR_FUNCTIONS(flowbench::document::Dsl)
};

} // namespace flowbench::document

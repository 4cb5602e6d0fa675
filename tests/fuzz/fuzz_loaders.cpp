// libFuzzer target over the document loaders: the first byte picks YAML or JSON, the rest is the
// file. Anything may fail to load; nothing may crash, hang or leak, and whatever loads must
// serialize and load again as exactly what that format holds (the Dify form drops `_` keys).
#include "document/dslio.h"
#include "document/validator.h"

#include <cstdint>
#include <cstdlib>

using namespace flowbench::document;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const bool asYaml = (data[0] & 1) == 0;
    const QByteArray text(reinterpret_cast<const char *>(data + 1),
                          static_cast<qsizetype>(size - 1));
    auto loaded = loadWorkflowText(text, asYaml ? FileFormat::DifyYaml : FileFormat::NativeJson);
    if (!loaded)
        return 0;
    (void)validateWorkflow(loaded->workflow);
    for (FileFormat f : {FileFormat::NativeJson, FileFormat::DifyYaml}) {
        const QByteArray out = serialize(loaded->workflow, f);
        auto again = loadWorkflowText(out, f);
        if (!again)
            std::abort(); // what we write, we must read
        if (again->workflow.toJson() != documentJson(loaded->workflow, f))
            std::abort(); // and read back exactly what that format holds
    }
    return 0;
}

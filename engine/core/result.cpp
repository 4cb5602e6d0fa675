#include "result.h"

#include <QtDebug>

namespace flowbench {

QString Error::toString() const
{
    QString where = location.file;
    if (location.line > 0)
        where += QStringLiteral(":%1:%2").arg(location.line).arg(location.column);
    if (where.isEmpty())
        return message;
    return where + QStringLiteral(": ") + message;
}

void softAssertFailed(const char *condition, const char *file, int line)
{
    qWarning("SOFT ASSERT: \"%s\" in %s:%d", condition, file, line);
}

} // namespace flowbench

// The zh_CN catalogue must be complete: every message translated, none unfinished, obsolete or
// vanished, and every %1/%n placeholder and & accelerator of a source kept in its translation.
#include <algorithm>

#include <QFile>
#include <QList>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QXmlStreamReader>

namespace {

struct Message
{
    QString context;
    QString source;
    QString type; // the translation's type attribute: empty, unfinished, obsolete or vanished
    bool numerus = false;
    QStringList forms; // the translation, or its numerus forms
};

QString describe(const Message &m)
{
    QString source = m.source;
    source.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    return m.context + QStringLiteral(": \"") + source + QLatin1Char('"');
}

// %1 … %99, %L1, and %n (plural count) as QString::arg() and tr() read them.
QSet<QString> placeholders(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("%L?(?:[1-9][0-9]?|n)"));
    QSet<QString> found;
    for (auto it = re.globalMatch(text); it.hasNext();)
        found.insert(it.next().captured(0));
    return found;
}

// The mnemonic letter of "&File" or "文件(&F)", lower-cased; empty when there is none ("&&" is a
// literal ampersand).
QString accelerator(const QString &text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) != QLatin1Char('&'))
            continue;
        if (text.at(i + 1) == QLatin1Char('&')) {
            ++i;
            continue;
        }
        if (!text.at(i + 1).isSpace())
            return text.at(i + 1).toLower();
    }
    return {};
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void catalogueIsZhCn();
    void everyMessageIsTranslated();
    void placeholdersAreKept();
    void acceleratorsAreKept();
    void contextsNameClasses();

private:
    QString m_language;
    QString m_tsVersion;
    QList<Message> m_messages;
};

void TestTranslations::initTestCase()
{
    const QString path
        = QStringLiteral(FLOWBENCH_SOURCE_DIR) + QStringLiteral("/translations/flowbench_zh_CN.ts");
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly),
             qPrintable(path + QStringLiteral(": ") + file.errorString()));

    QXmlStreamReader xml(&file);
    QString context;
    Message *current = nullptr;
    bool inTranslation = false;
    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            const auto name = xml.name();
            if (name == QLatin1String("TS")) {
                m_language = xml.attributes().value(QLatin1String("language")).toString();
                m_tsVersion = xml.attributes().value(QLatin1String("version")).toString();
            } else if (name == QLatin1String("context")) {
                context.clear();
            } else if (name == QLatin1String("name") && !current) {
                context = xml.readElementText();
            } else if (name == QLatin1String("message")) {
                m_messages.append(Message());
                current = &m_messages.last();
                current->context = context;
                current->numerus
                    = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
            } else if (current && name == QLatin1String("source")) {
                current->source = xml.readElementText();
            } else if (current && name == QLatin1String("translation")) {
                current->type = xml.attributes().value(QLatin1String("type")).toString();
                if (current->numerus) {
                    inTranslation = true;
                } else {
                    current->forms.append(xml.readElementText());
                }
            } else if (current && inTranslation && name == QLatin1String("numerusform")) {
                current->forms.append(xml.readElementText());
            } else if (current) {
                xml.skipCurrentElement(); // comment, extracomment, location, oldsource, …
            }
        } else if (token == QXmlStreamReader::EndElement) {
            if (xml.name() == QLatin1String("message"))
                current = nullptr;
            else if (xml.name() == QLatin1String("translation"))
                inTranslation = false;
        }
    }
    QVERIFY2(
        !xml.hasError(),
        qPrintable(
            QStringLiteral("%1:%2: %3").arg(path).arg(xml.lineNumber()).arg(xml.errorString())));
    QVERIFY2(!m_messages.isEmpty(), "the catalogue holds no messages");
}

void TestTranslations::catalogueIsZhCn()
{
    QCOMPARE(m_language, QStringLiteral("zh_CN"));
    QCOMPARE(m_tsVersion, QStringLiteral("2.1"));
}

void TestTranslations::everyMessageIsTranslated()
{
    QStringList offending;
    for (const Message &m : std::as_const(m_messages)) {
        QString why;
        if (!m.type.isEmpty())
            why = m.type; // unfinished, obsolete, vanished
        else if (m.forms.isEmpty())
            why = QStringLiteral("no translation");
        else if (std::any_of(m.forms.cbegin(), m.forms.cend(),
                             [](const QString &form) { return form.trimmed().isEmpty(); }))
            why = QStringLiteral("empty");
        if (!why.isEmpty())
            offending.append(QStringLiteral("  [%1] %2").arg(why, describe(m)));
    }
    QVERIFY2(offending.isEmpty(),
             qPrintable(QStringLiteral("%1 of %2 messages are not finished:\n%3")
                            .arg(offending.size())
                            .arg(m_messages.size())
                            .arg(offending.join(QLatin1Char('\n')))));
}

void TestTranslations::placeholdersAreKept()
{
    QStringList offending;
    for (const Message &m : std::as_const(m_messages)) {
        const QSet<QString> wanted = placeholders(m.source);
        if (wanted.isEmpty())
            continue;
        for (const QString &form : m.forms) {
            QStringList lost;
            for (const QString &p : wanted) {
                if (!form.contains(p))
                    lost.append(p);
            }
            if (!lost.isEmpty()) {
                lost.sort();
                offending.append(QStringLiteral("  %1 loses %2 in \"%3\"")
                                     .arg(describe(m), lost.join(QStringLiteral(", ")), form));
            }
        }
    }
    QVERIFY2(offending.isEmpty(), qPrintable(QStringLiteral("translations drop placeholders:\n")
                                             + offending.join(QLatin1Char('\n'))));
}

void TestTranslations::acceleratorsAreKept()
{
    QStringList offending;
    for (const Message &m : std::as_const(m_messages)) {
        const QString wanted = accelerator(m.source);
        if (wanted.isEmpty())
            continue;
        for (const QString &form : m.forms) {
            if (accelerator(form) != wanted)
                offending.append(QStringLiteral("  %1 → \"%2\" (wants &%3)")
                                     .arg(describe(m), form, wanted.toUpper()));
        }
    }
    QVERIFY2(offending.isEmpty(),
             qPrintable(QStringLiteral("translations lose their & accelerator:\n")
                        + offending.join(QLatin1Char('\n'))));
}

// lupdate files a tr() call whose class it cannot resolve under a guessed context (a namespace,
// a helper struct's own name), and the app then never finds the translation. Every context must
// be a fully qualified Flowbench class: flowbench::<module>::<Class>.
void TestTranslations::contextsNameClasses()
{
    QStringList wrong;
    QSet<QString> seen;
    for (const Message &m : m_messages) {
        if (seen.contains(m.context))
            continue;
        seen.insert(m.context);
        const QStringList parts = m.context.split(QStringLiteral("::"));
        if (parts.size() != 3 || parts.first() != QLatin1String("flowbench")
            || parts.last().isEmpty() || !parts.last().at(0).isUpper())
            wrong << m.context;
    }
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QStringLiteral(", "))));
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"

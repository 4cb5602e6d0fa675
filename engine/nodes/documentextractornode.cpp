#include "documentextractornode.h"

#include "filecontent.h"
#include "variables/value.h"

#include <QBuffer>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRegularExpression>
#include <QRectF>
#include <QStringDecoder>
#include <QUrl>
#include <QXmlStreamReader>

#include <poppler-qt6.h>
#include <quazip/quazip.h>
#include <quazip/quazipfile.h>

#include <optional>
#include <set>

Q_LOGGING_CATEGORY(lcDocuments, "flowbench.nodes.documents", QtWarningMsg)

namespace flowbench::nodes {

using runtime::NodeContext;
using runtime::NodeResult;
using variables::Json;

namespace {

tl::unexpected<Error> extractionError(const QString &message)
{
    return makeError(QStringLiteral("TextExtractionError"), message);
}

// ---- text decoding ---------------------------------------------------------------------------

// Windows-1252's 0x80-0x9F; the undefined slots keep their Latin-1 code point.
constexpr char16_t kCp1252High[32]
    = {0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
       0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
       0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

// Dify detects the charset among UTF-8, Latin-1 and cp1252: UTF-8 when the bytes are valid
// UTF-8, cp1252 (a superset of Latin-1's printable range) otherwise. BOMs are honoured.
QString decodeText(const QByteArray &bytes)
{
    if (bytes.startsWith("\xEF\xBB\xBF"))
        return QString::fromUtf8(bytes.mid(3));
    if (bytes.startsWith("\xFF\xFE") || bytes.startsWith("\xFE\xFF")) {
        auto decoder
            = QStringDecoder(QStringDecoder::Utf16, QStringDecoder::Flag::ConvertInitialBom);
        QString text = decoder.decode(bytes);
        if (text.startsWith(QChar(0xFEFF)))
            text.remove(0, 1);
        return text;
    }
    auto utf8 = QStringDecoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = utf8.decode(bytes);
    if (!utf8.hasError())
        return text;
    text.clear();
    text.reserve(bytes.size());
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        text.append(c >= 0x80 && c < 0xA0 ? QChar(kCp1252High[c - 0x80]) : QChar(char16_t(c)));
    }
    return text;
}

// ---- json ------------------------------------------------------------------------------------

Result<QString> jsonText(const QByteArray &bytes)
{
    const std::string text = decodeText(bytes).toStdString();
    // ordered_json keeps the file's key order, as Python's json module does.
    try {
        const auto parsed = nlohmann::ordered_json::parse(text);
        return QString::fromStdString(parsed.dump(2, ' ', false, Json::error_handler_t::replace));
    } catch (const std::exception &e) {
        return extractionError(DocumentExtractorNode::tr("Failed to decode or parse JSON file: %1")
                                   .arg(QString::fromUtf8(e.what())));
    }
}

// ---- csv -------------------------------------------------------------------------------------

// Python's csv.reader with the excel dialect (not strict): ',' separates, '"' quotes at the start
// of a field with "" for a quote, any of \r, \n, \r\n ends a record, a blank line is an empty
// record.
std::vector<QStringList> parseCsv(const QString &text)
{
    std::vector<QStringList> rows;
    QStringList row;
    QString field;
    enum class State { StartRecord, StartField, InField, InQuoted, QuoteInQuoted };
    State state = State::StartRecord;
    auto endField = [&] {
        row.append(field);
        field.clear();
    };
    auto endRecord = [&] {
        rows.push_back(row);
        row.clear();
    };
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = text.at(i);
        const bool newline = c == QLatin1Char('\n') || c == QLatin1Char('\r');
        const bool crlf
            = c == QLatin1Char('\r') && i + 1 < n && text.at(i + 1) == QLatin1Char('\n');
        switch (state) {
        case State::StartRecord:
            if (newline) {
                endRecord(); // blank line: []
                if (crlf)
                    ++i;
                break;
            }
            state = State::StartField;
            [[fallthrough]];
        case State::StartField:
            if (c == QLatin1Char('"')) {
                state = State::InQuoted;
            } else if (c == QLatin1Char(',')) {
                endField();
            } else if (newline) {
                endField();
                endRecord();
                if (crlf)
                    ++i;
                state = State::StartRecord;
            } else {
                field.append(c);
                state = State::InField;
            }
            break;
        case State::InField:
            if (c == QLatin1Char(',')) {
                endField();
                state = State::StartField;
            } else if (newline) {
                endField();
                endRecord();
                if (crlf)
                    ++i;
                state = State::StartRecord;
            } else {
                field.append(c);
            }
            break;
        case State::InQuoted:
            if (c == QLatin1Char('"'))
                state = State::QuoteInQuoted;
            else
                field.append(c);
            break;
        case State::QuoteInQuoted:
            if (c == QLatin1Char('"')) {
                field.append(c);
                state = State::InQuoted;
            } else if (c == QLatin1Char(',')) {
                endField();
                state = State::StartField;
            } else if (newline) {
                endField();
                endRecord();
                if (crlf)
                    ++i;
                state = State::StartRecord;
            } else {
                field.append(c); // non-strict: text after the closing quote is kept
                state = State::InField;
            }
            break;
        }
    }
    if (state != State::StartRecord) {
        endField();
        endRecord();
    }
    return rows;
}

QString csvText(const QByteArray &bytes)
{
    const std::vector<QStringList> rows = parseCsv(decodeText(bytes));
    if (rows.empty())
        return {};
    auto cell = [](QString text) {
        text.replace(QLatin1Char('\n'), QLatin1Char(' '));
        text.remove(QLatin1Char('\r'));
        return text;
    };
    auto line = [&cell](const QStringList &cells) {
        QStringList normalized;
        for (const QString &text : cells)
            normalized.append(cell(text));
        return QStringLiteral("| ") + normalized.join(QStringLiteral(" | "))
               + QStringLiteral(" |\n");
    };
    QString out = line(rows.front());
    QStringList dashes;
    for (const QString &header : rows.front())
        dashes.append(QString(header.toUcs4().size(), QLatin1Char('-')));
    out += QStringLiteral("| ") + dashes.join(QStringLiteral(" | ")) + QStringLiteral(" |\n");
    for (std::size_t i = 1; i < rows.size(); ++i)
        out += line(rows[i]);
    return out;
}

// ---- properties ------------------------------------------------------------------------------

QString propertiesText(const QByteArray &bytes)
{
    QStringList out;
    const QString text = decodeText(bytes);
    for (const QString &rawLine : text.split(QRegularExpression(QStringLiteral("\r\n|\r|\n")))) {
        const QString line = rawLine.trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#'))
            || line.startsWith(QLatin1Char('!'))) {
            out.append(line);
            continue;
        }
        qsizetype split = line.indexOf(QLatin1Char('='));
        if (split < 0)
            split = line.indexOf(QLatin1Char(':'));
        const QString key = split < 0 ? line : line.left(split);
        const QString value = split < 0 ? QString() : line.mid(split + 1);
        out.append(key.trimmed() + QStringLiteral(": ") + value.trimmed());
    }
    // str.splitlines() drops the empty piece after a final newline.
    if (!out.isEmpty() && out.constLast().isEmpty()
        && (text.endsWith(QLatin1Char('\n')) || text.endsWith(QLatin1Char('\r'))))
        out.removeLast();
    return out.join(QLatin1Char('\n'));
}

// ---- pdf -------------------------------------------------------------------------------------

void popplerMessage(const QString &message, const QVariant &)
{
    qCDebug(lcDocuments) << "poppler:" << message;
}

Result<QString> pdfText(const QByteArray &bytes)
{
    // Poppler's global state is not documented as thread-safe (Dify locks pdfium likewise).
    static QMutex mutex;
    QMutexLocker locker(&mutex);
    static const bool quiet = [] {
        Poppler::setDebugErrorFunction(popplerMessage, QVariant());
        return true;
    }();
    Q_UNUSED(quiet)

    const std::unique_ptr<Poppler::Document> document = Poppler::Document::loadFromData(bytes);
    if (!document)
        return extractionError(DocumentExtractorNode::tr(
            "Failed to extract text from PDF: the file is not a readable PDF"));
    if (document->isLocked())
        return extractionError(DocumentExtractorNode::tr(
            "Failed to extract text from PDF: the file is password-protected"));
    const int pages = document->numPages();
    if (pages <= 0)
        return extractionError(
            DocumentExtractorNode::tr("Failed to extract text from PDF: the file has no pages"));
    QStringList texts;
    for (int i = 0; i < pages; ++i) {
        const std::unique_ptr<Poppler::Page> page = document->page(i);
        texts.append(page ? page->text(QRectF()) : QString());
    }
    return texts.join(QLatin1Char('\n'));
}

// ---- docx ------------------------------------------------------------------------------------

bool isWordNamespace(QStringView uri)
{
    return uri == QLatin1String("http://schemas.openxmlformats.org/wordprocessingml/2006/main")
           || uri == QLatin1String("http://purl.oclc.org/ooxml/wordprocessingml/main");
}

// Reads document.xml the way python-docx (which Dify uses) sees it: the body's paragraphs and
// tables in order; a paragraph's text is its runs' and hyperlinks' runs' text (w:t, tabs and
// line breaks); a table is a Markdown table of its cells' paragraphs.
class DocxReader
{
public:
    explicit DocxReader(const QByteArray &xml)
        : m_xml(xml)
    {}

    Result<QString> read()
    {
        QStringList blocks;
        bool sawBody = false;
        while (!m_xml.atEnd()) {
            if (m_xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (isW(u"body")) {
                sawBody = true;
                readBody(blocks);
                break;
            }
        }
        if (m_xml.hasError()) {
            return extractionError(
                DocumentExtractorNode::tr("Failed to extract text from DOCX: word/document.xml is "
                                          "malformed: %1 (line %2)")
                    .arg(m_xml.errorString())
                    .arg(m_xml.lineNumber()));
        }
        if (!sawBody)
            return extractionError(DocumentExtractorNode::tr(
                "Failed to extract text from DOCX: the document has no body"));
        return blocks.join(QLatin1Char('\n'));
    }

private:
    bool isW(QStringView localName) const
    {
        return m_xml.name() == localName && isWordNamespace(m_xml.namespaceUri());
    }

    void readBody(QStringList &blocks)
    {
        while (m_xml.readNextStartElement()) {
            if (isW(u"p")) {
                blocks.append(readParagraph());
            } else if (isW(u"tbl")) {
                if (auto table = readTable())
                    blocks.append(*table);
            } else {
                m_xml.skipCurrentElement();
            }
        }
    }

    QString readParagraph()
    {
        QString text;
        while (m_xml.readNextStartElement()) {
            if (isW(u"r")) {
                text += readRun();
            } else if (isW(u"hyperlink")) {
                while (m_xml.readNextStartElement()) {
                    if (isW(u"r"))
                        text += readRun();
                    else
                        m_xml.skipCurrentElement();
                }
            } else {
                m_xml.skipCurrentElement();
            }
        }
        return text;
    }

    QString readRun()
    {
        QString text;
        while (m_xml.readNextStartElement()) {
            if (isW(u"t")) {
                text += m_xml.readElementText(QXmlStreamReader::IncludeChildElements);
                continue;
            }
            if (isW(u"tab") || isW(u"ptab")) {
                text += QLatin1Char('\t');
            } else if (isW(u"br")) {
                const QStringView type = brType();
                if (type.isEmpty() || type == QLatin1String("textWrapping"))
                    text += QLatin1Char('\n');
            } else if (isW(u"cr")) {
                text += QLatin1Char('\n');
            } else if (isW(u"noBreakHyphen")) {
                text += QLatin1Char('-');
            }
            m_xml.skipCurrentElement();
        }
        return text;
    }

    QStringView brType() const
    {
        for (const QXmlStreamAttribute &attribute : m_xml.attributes()) {
            if (attribute.name() == QLatin1String("type"))
                return attribute.value();
        }
        return {};
    }

    QString attributeValue(QStringView localName) const
    {
        for (const QXmlStreamAttribute &attribute : m_xml.attributes()) {
            if (attribute.name() == localName)
                return attribute.value().toString();
        }
        return {};
    }

    struct Cell
    {
        QString text;
        int span = 1;
        bool continuesMerge = false;
    };

    Cell readCell()
    {
        Cell cell;
        QStringList paragraphs;
        while (m_xml.readNextStartElement()) {
            if (isW(u"p")) {
                paragraphs.append(readParagraph());
            } else if (isW(u"tcPr")) {
                while (m_xml.readNextStartElement()) {
                    if (isW(u"gridSpan")) {
                        cell.span = std::clamp(attributeValue(u"val").toInt(), 1, 1000);
                    } else if (isW(u"vMerge")) {
                        const QString value = attributeValue(u"val");
                        cell.continuesMerge = value.isEmpty() || value == QLatin1String("continue");
                    }
                    m_xml.skipCurrentElement();
                }
            } else {
                m_xml.skipCurrentElement(); // nested tables are not part of cell.text
            }
        }
        cell.text = paragraphs.join(QLatin1Char('\n'));
        return cell;
    }

    std::optional<QString> readTable()
    {
        // Rows expanded to grid columns, as python-docx's row.cells: a spanned cell repeats, a
        // vertically merged continuation shows the cell it continues.
        std::vector<QStringList> rows;
        while (m_xml.readNextStartElement()) {
            if (!isW(u"tr")) {
                m_xml.skipCurrentElement();
                continue;
            }
            QStringList cells;
            while (m_xml.readNextStartElement()) {
                if (!isW(u"tc")) {
                    m_xml.skipCurrentElement();
                    continue;
                }
                const Cell cell = readCell();
                for (int i = 0; i < cell.span; ++i) {
                    const qsizetype column = cells.size();
                    if (cell.continuesMerge && !rows.empty() && column < rows.back().size())
                        cells.append(rows.back().at(column));
                    else
                        cells.append(cell.text);
                }
            }
            rows.push_back(cells);
        }
        const bool hasContent = std::any_of(rows.begin(), rows.end(), [](const QStringList &row) {
            return std::any_of(row.begin(), row.end(),
                               [](const QString &text) { return !text.trimmed().isEmpty(); });
        });
        if (!hasContent)
            return std::nullopt;
        auto line = [](const QStringList &cells) {
            QStringList out;
            for (QString text : cells)
                out.append(text.replace(QLatin1Char('\n'), QLatin1String("<br>")));
            return QStringLiteral("| ") + out.join(QStringLiteral(" | ")) + QStringLiteral(" |\n");
        };
        QString markdown = line(rows.front());
        markdown
            += QStringLiteral("| ")
               + QStringList(rows.front().size(), QStringLiteral("---")).join(QStringLiteral(" | "))
               + QStringLiteral(" |\n");
        for (std::size_t i = 1; i < rows.size(); ++i)
            markdown += line(rows[i]);
        return markdown;
    }

    QXmlStreamReader m_xml;
};

// The main document part named by _rels/.rels (usually word/document.xml).
QString mainDocumentPart(const QByteArray &rels)
{
    QXmlStreamReader xml(rels);
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement
            || xml.name() != QLatin1String("Relationship")) {
            continue;
        }
        const QXmlStreamAttributes attributes = xml.attributes();
        if (attributes.value(QLatin1String("Type")).endsWith(QLatin1String("/officeDocument"))) {
            QString target = attributes.value(QLatin1String("Target")).toString();
            while (target.startsWith(QLatin1Char('/')))
                target.remove(0, 1);
            return target;
        }
    }
    return QStringLiteral("word/document.xml");
}

Result<QString> docxText(const QByteArray &bytes)
{
    QByteArray data = bytes;
    QBuffer buffer(&data);
    QuaZip zip(&buffer);
    if (!zip.open(QuaZip::mdUnzip))
        return extractionError(DocumentExtractorNode::tr(
            "Failed to extract text from DOCX: the file is not a ZIP archive"));

    // Some writers (Evernote on Windows) store entries with '\' separators; Dify normalises them.
    QHash<QString, QString> entries;
    for (const QString &name : zip.getFileNameList()) {
        QString normalized = name;
        normalized.replace(QLatin1Char('\\'), QLatin1Char('/'));
        entries.insert(normalized, name);
    }
    auto readEntry = [&zip, &entries](const QString &name) -> std::optional<QByteArray> {
        const auto it = entries.constFind(name);
        if (it == entries.constEnd() || !zip.setCurrentFile(*it))
            return std::nullopt;
        QuaZipFile file(&zip);
        if (!file.open(QIODevice::ReadOnly))
            return std::nullopt;
        QByteArray content = file.readAll();
        file.close();
        if (file.getZipError() != UNZ_OK)
            return std::nullopt;
        return content;
    };

    QString part = QStringLiteral("word/document.xml");
    if (const auto rels = readEntry(QStringLiteral("_rels/.rels")))
        part = mainDocumentPart(*rels);
    auto document = readEntry(part);
    if (!document)
        return extractionError(
            DocumentExtractorNode::tr("Failed to extract text from DOCX: '%1' is missing or "
                                      "unreadable")
                .arg(part));
    return DocxReader(*document).read();
}

// ---- dispatch --------------------------------------------------------------------------------

enum class Format { PlainText, Json, Yaml, Pdf, Docx, Csv, Properties, Unavailable };

std::optional<Format> formatForExtension(const QString &extension)
{
    static const std::set<QString> plainText = [] {
        std::set<QString> set;
        for (const char *ext :
             {".txt",  ".markdown", ".md",  ".mdx", ".html", ".htm",  ".xml",   ".c",   ".h",
              ".cpp",  ".hpp",      ".cc",  ".cxx", ".c++",  ".py",   ".js",    ".ts",  ".jsx",
              ".tsx",  ".java",     ".php", ".rb",  ".go",   ".rs",   ".swift", ".kt",  ".scala",
              ".sh",   ".bash",     ".bat", ".ps1", ".sql",  ".r",    ".m",     ".pl",  ".lua",
              ".vim",  ".asm",      ".s",   ".css", ".scss", ".less", ".sass",  ".ini", ".cfg",
              ".conf", ".toml",     ".env", ".log", ".vtt"}) {
            set.insert(QString::fromLatin1(ext));
        }
        return set;
    }();
    if (plainText.count(extension))
        return Format::PlainText;
    if (extension == QLatin1String(".json"))
        return Format::Json;
    if (extension == QLatin1String(".yaml") || extension == QLatin1String(".yml"))
        return Format::Yaml;
    if (extension == QLatin1String(".pdf"))
        return Format::Pdf;
    if (extension == QLatin1String(".docx"))
        return Format::Docx;
    if (extension == QLatin1String(".csv"))
        return Format::Csv;
    if (extension == QLatin1String(".properties"))
        return Format::Properties;
    for (const char *ext :
         {".doc", ".xls", ".xlsx", ".ppt", ".pptx", ".epub", ".odt", ".eml", ".msg"}) {
        if (extension == QLatin1String(ext))
            return Format::Unavailable;
    }
    return std::nullopt;
}

std::optional<Format> formatForMime(const QString &mime)
{
    static const QHash<QString, Format> formats = {
        {QStringLiteral("text/plain"), Format::PlainText},
        {QStringLiteral("text/html"), Format::PlainText},
        {QStringLiteral("text/htm"), Format::PlainText},
        {QStringLiteral("text/markdown"), Format::PlainText},
        {QStringLiteral("text/xml"), Format::PlainText},
        {QStringLiteral("text/vtt"), Format::PlainText},
        {QStringLiteral("application/json"), Format::Json},
        {QStringLiteral("application/x-yaml"), Format::Yaml},
        {QStringLiteral("text/yaml"), Format::Yaml},
        {QStringLiteral("application/pdf"), Format::Pdf},
        {QStringLiteral("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
         Format::Docx},
        {QStringLiteral("text/csv"), Format::Csv},
        {QStringLiteral("text/properties"), Format::Properties},
        {QStringLiteral("application/msword"), Format::Unavailable},
        {QStringLiteral("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
         Format::Unavailable},
        {QStringLiteral("application/vnd.ms-excel"), Format::Unavailable},
        {QStringLiteral("application/vnd.ms-powerpoint"), Format::Unavailable},
        {QStringLiteral(
             "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
         Format::Unavailable},
        {QStringLiteral("application/epub+zip"), Format::Unavailable},
        {QStringLiteral("application/vnd.oasis.opendocument.text"), Format::Unavailable},
        {QStringLiteral("message/rfc822"), Format::Unavailable},
        {QStringLiteral("application/vnd.ms-outlook"), Format::Unavailable},
    };
    const auto it = formats.constFind(mime);
    if (it == formats.constEnd())
        return std::nullopt;
    return *it;
}

// Python's bool(value).
bool truthy(const Json &value)
{
    switch (value.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded:
        return false;
    case Json::value_t::boolean:
        return value.get<bool>();
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
        return value.get<double>() != 0.0;
    case Json::value_t::string:
    case Json::value_t::array:
    case Json::value_t::object:
    case Json::value_t::binary:
        return !value.empty();
    }
    return true;
}

QString stringField(const Json &file, const char *key)
{
    const auto it = file.find(key);
    return it != file.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                               : QString();
}

// The extension the extractor is chosen by: the file's own, else (when it has a MIME type) none,
// else its name's.
QString fileExtension(const Json &file)
{
    QString extension = stringField(file, "extension");
    if (extension.isEmpty() && stringField(file, "mime_type").isEmpty()) {
        const QString suffix = QFileInfo(stringField(file, "name")).suffix();
        if (!suffix.isEmpty())
            extension = suffix;
    }
    return extension;
}

} // namespace

Result<QString> DocumentExtractorNode::extractText(const QByteArray &content,
                                                   const QString &extension,
                                                   const QString &mimeType)
{
    std::optional<Format> format;
    QString kind;
    if (!extension.isEmpty()) {
        kind = extension.trimmed().toLower();
        if (!kind.startsWith(QLatin1Char('.')))
            kind.prepend(QLatin1Char('.'));
        format = formatForExtension(kind);
        if (!format) {
            return makeError(QStringLiteral("UnsupportedFileTypeError"),
                             DocumentExtractorNode::tr("Unsupported Extension Type: %1").arg(kind));
        }
    } else if (!mimeType.isEmpty()) {
        kind = mimeType.section(QLatin1Char(';'), 0, 0).trimmed().toLower();
        format = formatForMime(kind);
        if (!format) {
            return makeError(QStringLiteral("UnsupportedFileTypeError"),
                             DocumentExtractorNode::tr("Unsupported MIME type: %1").arg(kind));
        }
    } else {
        return makeError(QStringLiteral("UnsupportedFileTypeError"),
                         DocumentExtractorNode::tr(
                             "Unable to determine file type: MIME type or file extension is "
                             "missing"));
    }

    switch (*format) {
    case Format::PlainText:
    case Format::Yaml:
        return decodeText(content);
    case Format::Json:
        return jsonText(content);
    case Format::Pdf:
        return pdfText(content);
    case Format::Docx:
        return docxText(content);
    case Format::Csv:
        return csvText(content);
    case Format::Properties:
        return propertiesText(content);
    case Format::Unavailable:
        break;
    }
    return makeError(QStringLiteral("UnsupportedFileTypeError"),
                     DocumentExtractorNode::tr(
                         "Unsupported Extension Type: %1 (Flowbench cannot extract text from this "
                         "format)")
                         .arg(kind));
}

struct DocumentExtractorNode::Private
{
    NodeContext *ctx = nullptr;
    std::unique_ptr<QObject> guard = std::make_unique<QObject>();
    std::shared_ptr<int> alive = std::make_shared<int>(0);
    std::vector<QPointer<QNetworkReply>> replies;
    bool cancelled = false;
    bool done = false;

    Json inputs = Json::object();
    Json processData = Json::object();
    std::vector<Json> files;
    bool isList = false;
    std::vector<std::optional<QByteArray>> fetched; // per file, for http(s) files
    int pendingFetches = 0;

    void begin(const Json &data);
    void fetch(QNetworkAccessManager *network, std::size_t index, const QString &location);
    void extract();
    void complete(NodeResult result);
    void dropReplies();
};

DocumentExtractorNode::DocumentExtractorNode()
    : d(std::make_unique<Private>())
{}

DocumentExtractorNode::~DocumentExtractorNode()
{
    d->cancelled = true;
    d->dropReplies();
}

void DocumentExtractorNode::start(NodeContext &ctx)
{
    d->ctx = &ctx;
    try {
        d->begin(ctx.data());
    } catch (const std::exception &e) {
        d->complete(NodeResult::failure(
            DocumentExtractorNode::tr("The document-extractor node's data is malformed: %1")
                .arg(QString::fromUtf8(e.what())),
            QStringLiteral("DocumentExtractorError")));
    }
}

void DocumentExtractorNode::cancel()
{
    d->cancelled = true;
    d->dropReplies();
}

void DocumentExtractorNode::Private::begin(const Json &data)
{
    variables::Selector selector;
    const auto selectorIt = data.find("variable_selector");
    if (selectorIt != data.end() && selectorIt->is_array()) {
        for (const Json &part : *selectorIt) {
            if (part.is_string())
                selector.push_back(part.get<std::string>());
        }
    }
    if (selector.size() < 2) {
        complete(NodeResult::failure(
            DocumentExtractorNode::tr("variable_selector is not set: choose the file variable "
                                      "to extract text from"),
            QStringLiteral("DocumentExtractorError")));
        return;
    }
    const QString selectorText = QString::fromStdString(variables::selectorText(selector));
    const Json *value = ctx->pool().find(selector);
    if (!value) {
        complete(NodeResult::failure(
            DocumentExtractorNode::tr("File variable not found for selector: %1").arg(selectorText),
            QStringLiteral("DocumentExtractorError")));
        return;
    }
    inputs["variable_selector"] = selector;

    const bool fileList
        = value->is_array() && std::all_of(value->begin(), value->end(), [](const Json &v) {
              return v.is_null() || variables::isFile(v);
          });
    if (truthy(*value) && !variables::isFile(*value) && !fileList) {
        complete(NodeResult::failure(
            DocumentExtractorNode::tr("Variable %1 is not a file or a list of files (it is %2)")
                .arg(selectorText, QString::fromStdString(variables::userType(*value))),
            QStringLiteral("DocumentExtractorError")));
        return;
    }

    isList = value->is_array();
    if (isList) {
        for (const Json &element : *value) {
            if (variables::isFile(element))
                files.push_back(element);
        }
    } else if (variables::isFile(*value)) {
        files.push_back(*value);
    }
    processData["documents"] = Json(files);

    if (files.empty()) {
        // Dify: an empty or null input gives an empty list, whatever the variable's type.
        NodeResult result;
        result.inputs = inputs;
        result.processData = processData;
        result.outputs["text"] = Json::array();
        complete(std::move(result));
        return;
    }

    fetched.resize(files.size());
    std::vector<std::pair<std::size_t, QString>> remote;
    for (std::size_t i = 0; i < files.size(); ++i) {
        const QString location = fileLocation(files[i]);
        if (isRemoteLocation(location))
            remote.emplace_back(i, location);
    }
    if (remote.empty()) {
        extract();
        return;
    }
    QNetworkAccessManager *network = ctx->network();
    if (!network) {
        complete(NodeResult::failure(
            DocumentExtractorNode::tr("Error downloading file: no network access for %1")
                .arg(remote.front().second),
            QStringLiteral("FileDownloadError")));
        return;
    }
    pendingFetches = int(remote.size());
    for (const auto &[index, location] : remote)
        fetch(network, index, location);
}

void DocumentExtractorNode::Private::fetch(QNetworkAccessManager *network, std::size_t index,
                                           const QString &location)
{
    QNetworkRequest request{QUrl(location)};
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setTransferTimeout(300 * 1000);
    QNetworkReply *reply = network->get(request);
    replies.emplace_back(reply);
    QObject::connect(reply, &QNetworkReply::finished, guard.get(), [this, reply, index, location] {
        reply->deleteLater();
        if (done || cancelled)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() != QNetworkReply::NoError || status >= 400) {
            NodeResult result = NodeResult::failure(
                DocumentExtractorNode::tr("Error downloading file: %1: %2")
                    .arg(location.left(300),
                         status >= 400 ? DocumentExtractorNode::tr("HTTP status %1").arg(status)
                                       : reply->errorString()),
                QStringLiteral("FileDownloadError"));
            result.inputs = inputs;
            result.processData = processData;
            complete(std::move(result));
            return;
        }
        fetched[index] = reply->readAll();
        if (--pendingFetches == 0)
            extract();
    });
}

void DocumentExtractorNode::Private::extract()
{
    std::weak_ptr<int> weak = alive;
    auto texts = std::make_shared<std::vector<QString>>();
    ctx->runInPool(
        [files = files, fetched = fetched, texts]() {
            for (std::size_t i = 0; i < files.size(); ++i) {
                const Json &file = files[i];
                QByteArray content;
                if (fetched[i]) {
                    content = *fetched[i];
                } else {
                    auto read = readLocalFileContent(file);
                    if (!read) {
                        return NodeResult::failure(
                            DocumentExtractorNode::tr("Error downloading file: %1")
                                .arg(read.error().message),
                            QStringLiteral("FileDownloadError"));
                    }
                    content = std::move(*read);
                }
                auto text
                    = extractText(content, fileExtension(file), stringField(file, "mime_type"));
                if (!text) {
                    QString message = text.error().message;
                    if (files.size() > 1)
                        message = DocumentExtractorNode::tr("%1 (file '%2')")
                                      .arg(message, fileDisplayName(file));
                    return NodeResult::failure(message, text.error().code);
                }
                texts->push_back(std::move(*text));
            }
            return NodeResult();
        },
        [this, weak, texts](NodeResult result) {
            if (weak.expired() || cancelled)
                return;
            result.inputs = inputs;
            result.processData = processData;
            if (result.status == NodeResult::Status::Succeeded) {
                if (isList) {
                    Json list = Json::array();
                    for (const QString &text : *texts)
                        list.push_back(text.toStdString());
                    result.outputs["text"] = std::move(list);
                } else {
                    result.outputs["text"]
                        = texts->empty() ? std::string() : texts->front().toStdString();
                }
            }
            complete(std::move(result));
        });
}

void DocumentExtractorNode::Private::complete(NodeResult result)
{
    if (done || cancelled || !ctx)
        return;
    done = true;
    dropReplies();
    ctx->finish(std::move(result));
}

void DocumentExtractorNode::Private::dropReplies()
{
    for (const QPointer<QNetworkReply> &reply : replies) {
        if (!reply)
            continue;
        QObject::disconnect(reply, nullptr, guard.get(), nullptr);
        if (reply->isRunning())
            reply->abort();
        reply->deleteLater();
    }
    replies.clear();
}

} // namespace flowbench::nodes

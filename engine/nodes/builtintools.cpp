#include "builtintools.h"

#include "variables/value.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTimeZone>
#include <QUrl>

#include <cmath>
#include <limits>
#include <memory>
#include <variant>

namespace flowbench::nodes {

namespace {

// ---- parameter access ------------------------------------------------------------------------

QString paramString(const Json &params, const char *name)
{
    const auto it = params.find(name);
    if (it == params.end() || it->is_null())
        return {};
    if (it->is_string())
        return QString::fromStdString(it->get<std::string>());
    return QString::fromStdString(variables::renderText(*it));
}

bool paramBool(const Json &params, const char *name, bool fallback)
{
    const auto it = params.find(name);
    if (it == params.end() || it->is_null())
        return fallback;
    if (it->is_boolean())
        return it->get<bool>();
    if (it->is_number())
        return it->get<double>() != 0;
    const QString s = paramString(params, name).trimmed().toLower();
    if (s.isEmpty())
        return fallback;
    return s == QLatin1String("true") || s == QLatin1String("1") || s == QLatin1String("yes");
}

// Python's json.dumps with its default separators (", " and ": ").
std::string pythonDumps(const Json &value, bool ensureAscii)
{
    if (value.is_object()) {
        std::string out = "{";
        bool first = true;
        for (auto it = value.begin(); it != value.end(); ++it) {
            if (!first)
                out += ", ";
            first = false;
            out += Json(it.key()).dump(-1, ' ', ensureAscii) + ": "
                   + pythonDumps(it.value(), ensureAscii);
        }
        return out + "}";
    }
    if (value.is_array()) {
        std::string out = "[";
        bool first = true;
        for (const Json &item : value) {
            if (!first)
                out += ", ";
            first = false;
            out += pythonDumps(item, ensureAscii);
        }
        return out + "]";
    }
    return value.dump(-1, ' ', ensureAscii, Json::error_handler_t::replace);
}

// ---- key paths -------------------------------------------------------------------------------

using PathStep = std::variant<std::string, std::size_t>;

// "a.b[0].c" or "$.a.b[0]"; false when it does not parse.
bool parsePath(const QString &text, std::vector<PathStep> &steps)
{
    QString path = text.trimmed();
    if (path.startsWith(QLatin1Char('$')))
        path.remove(0, 1);
    qsizetype i = 0;
    while (i < path.size()) {
        const QChar c = path.at(i);
        if (c == QLatin1Char('.')) {
            ++i;
            continue;
        }
        if (c == QLatin1Char('[')) {
            const qsizetype close = path.indexOf(QLatin1Char(']'), i);
            if (close < 0)
                return false;
            QString inner = path.mid(i + 1, close - i - 1).trimmed();
            if (inner.size() >= 2
                && (inner.front() == QLatin1Char('\'') || inner.front() == QLatin1Char('"'))
                && inner.back() == inner.front()) {
                steps.emplace_back(inner.mid(1, inner.size() - 2).toStdString());
            } else {
                bool ok = false;
                const qulonglong index = inner.toULongLong(&ok);
                if (!ok)
                    return false;
                steps.emplace_back(static_cast<std::size_t>(index));
            }
            i = close + 1;
            continue;
        }
        qsizetype end = i;
        while (end < path.size() && path.at(end) != QLatin1Char('.')
               && path.at(end) != QLatin1Char('['))
            ++end;
        const QString key = path.mid(i, end - i);
        if (key == QLatin1String("*"))
            return false;
        steps.emplace_back(key.toStdString());
        i = end;
    }
    return true;
}

// The value at the path, or nullptr.
Json *walk(Json &root, const std::vector<PathStep> &steps)
{
    Json *at = &root;
    for (const PathStep &step : steps) {
        if (const auto *key = std::get_if<std::string>(&step)) {
            if (!at->is_object())
                return nullptr;
            const auto it = at->find(*key);
            if (it == at->end())
                return nullptr;
            at = &*it;
        } else {
            const std::size_t index = std::get<std::size_t>(step);
            if (!at->is_array() || index >= at->size())
                return nullptr;
            at = &(*at)[index];
        }
    }
    return at;
}

QString badPath(const QString &tool, const QString &path)
{
    return QCoreApplication::translate("flowbench::nodes::ToolNode",
                                       "%1: \"%2\" is not a supported key path (use a.b[0].c)")
        .arg(tool, path);
}

bool parseJson(const QString &tool, const QString &content, Json &out, ToolResult &failure)
{
    try {
        out = Json::parse(content.toStdString());
        return true;
    } catch (const std::exception &e) {
        failure = ToolResult::failure(
            QCoreApplication::translate("flowbench::nodes::ToolNode",
                                        "%1: the content is not valid JSON (%2)")
                .arg(tool, QString::fromUtf8(e.what())));
        return false;
    }
}

// ---- time ------------------------------------------------------------------------------------

QString pad(qint64 value, int width)
{
    return QStringLiteral("%1").arg(value, width, 10, QLatin1Char('0'));
}

QString strftime(const QDateTime &t, const QString &format)
{
    const QLocale c = QLocale::c();
    const QDate d = t.date();
    const QTime tm = t.time();
    QString out;
    for (qsizetype i = 0; i < format.size(); ++i) {
        const QChar ch = format.at(i);
        if (ch != QLatin1Char('%') || i + 1 >= format.size()) {
            out += ch;
            continue;
        }
        const char spec = format.at(++i).toLatin1();
        const int offset = t.offsetFromUtc();
        switch (spec) {
        case 'Y':
            out += QString::number(d.year());
            break;
        case 'y':
            out += pad(d.year() % 100, 2);
            break;
        case 'm':
            out += pad(d.month(), 2);
            break;
        case 'd':
            out += pad(d.day(), 2);
            break;
        case 'H':
            out += pad(tm.hour(), 2);
            break;
        case 'I':
            out += pad(tm.hour() % 12 == 0 ? 12 : tm.hour() % 12, 2);
            break;
        case 'M':
            out += pad(tm.minute(), 2);
            break;
        case 'S':
            out += pad(tm.second(), 2);
            break;
        case 'f':
            out += pad(tm.msec() * 1000LL, 6);
            break;
        case 'p':
            out += tm.hour() < 12 ? QStringLiteral("AM") : QStringLiteral("PM");
            break;
        case 'j':
            out += pad(d.dayOfYear(), 3);
            break;
        case 'a':
            out += c.dayName(d.dayOfWeek(), QLocale::ShortFormat);
            break;
        case 'A':
            out += c.dayName(d.dayOfWeek(), QLocale::LongFormat);
            break;
        case 'b':
            out += c.monthName(d.month(), QLocale::ShortFormat);
            break;
        case 'B':
            out += c.monthName(d.month(), QLocale::LongFormat);
            break;
        case 'w':
            out += QString::number(d.dayOfWeek() % 7);
            break;
        case 'Z':
            out += t.timeZoneAbbreviation();
            break;
        case 'z':
            out += (offset < 0 ? QLatin1Char('-') : QLatin1Char('+'))
                   + pad(std::abs(offset) / 3600, 2) + pad(std::abs(offset) % 3600 / 60, 2);
            break;
        case '%':
            out += QLatin1Char('%');
            break;
        default:
            out += QLatin1Char('%');
            out += format.at(i);
        }
    }
    return out;
}

ToolResult currentTime(const Json &params)
{
    QString format = paramString(params, "format");
    if (format.isEmpty())
        format = QStringLiteral("%Y-%m-%d %H:%M:%S %Z");
    QString zone = paramString(params, "timezone").trimmed();
    if (zone.isEmpty())
        zone = QStringLiteral("UTC");
    const QTimeZone tz(zone.toUtf8());
    if (!tz.isValid()) {
        return ToolResult::failure(QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                               "current_time: invalid timezone %1")
                                       .arg(zone));
    }
    const QDateTime now = QDateTime::currentDateTimeUtc().toTimeZone(tz);
    ToolResult r;
    r.text = strftime(now, format);
    return r;
}

// ---- json_process ----------------------------------------------------------------------------

ToolResult jsonParse(const Json &params)
{
    const QString tool = QStringLiteral("json_parse");
    QString content = paramString(params, "content");
    if (content.isEmpty())
        content = paramString(params, "json_string"); // the name the fixtures use
    if (content.trimmed().isEmpty()) {
        return ToolResult::failure(QCoreApplication::translate(
            "flowbench::nodes::ToolNode", "json_parse: the parameter \"content\" is empty"));
    }
    ToolResult r;
    Json parsed;
    if (!parseJson(tool, content, parsed, r))
        return r;
    const bool ensureAscii = paramBool(params, "ensure_ascii", true);
    if (paramBool(params, "output_full_parsed_json", true)) {
        if (parsed.is_array()) {
            for (const Json &item : parsed)
                r.json.push_back(item);
        } else {
            r.json.push_back(parsed);
        }
    }
    const QString filter = paramString(params, "json_filter").trimmed();
    if (filter.isEmpty() || filter == QLatin1String("$")) {
        r.variables["result"] = parsed;
        return r;
    }
    std::vector<PathStep> steps;
    if (!parsePath(filter, steps))
        return ToolResult::failure(badPath(tool, filter));
    const Json *found = walk(parsed, steps);
    if (!found) {
        r.text = QStringLiteral("[]"); // jsonpath_ng finds nothing: Dify prints the empty list
        r.variables["result"] = nullptr;
        return r;
    }
    r.text = found->is_string() ? QString::fromStdString(found->get<std::string>())
             : (found->is_object() || found->is_array())
                 ? QString::fromStdString(pythonDumps(*found, ensureAscii))
                 : QString::fromStdString(variables::pythonStr(*found));
    r.variables["result"] = *found;
    return r;
}

ToolResult jsonReplace(const Json &params)
{
    const QString tool = QStringLiteral("json_replace");
    const QString content = paramString(params, "content");
    const QString query = paramString(params, "query").trimmed();
    QString model = paramString(params, "replace_model").trimmed();
    if (model.isEmpty())
        model = QStringLiteral("pattern");
    const QString pattern = paramString(params, "replace_pattern");
    const QString replacement = paramString(params, "replace_value");
    const bool ensureAscii = paramBool(params, "ensure_ascii", true);
    ToolResult r;
    Json root;
    if (!parseJson(tool, content, root, r))
        return r;
    std::vector<PathStep> steps;
    if (query.isEmpty() || !parsePath(query, steps))
        return ToolResult::failure(badPath(tool, query));
    if (model == QLatin1String("pattern")) {
        if (pattern.isEmpty()) {
            return ToolResult::failure(QCoreApplication::translate(
                "flowbench::nodes::ToolNode",
                "json_replace: replace_pattern is needed when replace_model is \"pattern\""));
        }
        if (Json *at = walk(root, steps); at && at->is_string()) {
            *at = QString::fromStdString(at->get<std::string>())
                      .replace(pattern, replacement)
                      .toStdString();
        }
    } else if (model == QLatin1String("key")) {
        // Renames the key the path ends in.
        if (!steps.empty() && std::holds_alternative<std::string>(steps.back())) {
            const std::string key = std::get<std::string>(steps.back());
            std::vector<PathStep> parentSteps(steps.begin(), steps.end() - 1);
            if (Json *parent = walk(root, parentSteps);
                parent && parent->is_object() && parent->contains(key)) {
                Json moved = std::move((*parent)[key]);
                parent->erase(key);
                (*parent)[replacement.toStdString()] = std::move(moved);
            }
        }
    } else if (model == QLatin1String("value")) {
        Json value = replacement.toStdString();
        if (paramBool(params, "value_decode", false)) {
            if (!parseJson(tool, replacement, value, r))
                return r;
        }
        if (Json *at = walk(root, steps))
            *at = std::move(value);
    } else {
        return ToolResult::failure(
            QCoreApplication::translate("flowbench::nodes::ToolNode",
                                        "json_replace: unknown replace_model \"%1\" (use "
                                        "pattern, key or value)")
                .arg(model));
    }
    r.text = QString::fromStdString(pythonDumps(root, ensureAscii));
    if (root.is_object())
        r.json.push_back(root);
    r.variables["result"] = root;
    return r;
}

// ---- maths -----------------------------------------------------------------------------------

// Numbers keep Python's int/float distinction so "2+3" prints 5 and "7/2" prints 3.5.
struct Number
{
    double value = 0;
    bool isInt = false;
};

constexpr double kMaxExactInt = 9007199254740992.0; // 2^53

class Evaluator
{
public:
    explicit Evaluator(const QString &source)
        : m_src(source)
    {}

    bool run(Number &out)
    {
        skipSpace();
        if (m_pos >= m_src.size())
            return fail(QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                    "the expression is empty"));
        if (!expr(out))
            return false;
        skipSpace();
        if (m_pos < m_src.size())
            return unexpected();
        if (!std::isfinite(out.value))
            return fail(QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                    "the result is not a finite number"));
        return true;
    }

    QString error;

private:
    bool fail(const QString &message)
    {
        if (error.isEmpty())
            error = message;
        return false;
    }
    bool unexpected()
    {
        if (m_pos >= m_src.size())
            return fail(QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                    "the expression ends too early"));
        return fail(QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                "unexpected \"%1\" at position %2")
                        .arg(m_src.at(m_pos))
                        .arg(m_pos + 1));
    }
    void skipSpace()
    {
        while (m_pos < m_src.size() && m_src.at(m_pos).isSpace())
            ++m_pos;
    }
    bool take(QLatin1String token)
    {
        skipSpace();
        if (QStringView(m_src).mid(m_pos).startsWith(token)) {
            m_pos += token.size();
            return true;
        }
        return false;
    }
    bool peek(QLatin1String token)
    {
        skipSpace();
        return QStringView(m_src).mid(m_pos).startsWith(token);
    }
    static Number make(double v, bool isInt)
    {
        return Number{v, isInt && std::abs(v) < kMaxExactInt};
    }
    bool divisionByZero()
    {
        return fail(QCoreApplication::translate("flowbench::nodes::ToolNode", "division by zero"));
    }

    bool expr(Number &out)
    {
        if (!term(out))
            return false;
        for (;;) {
            if (take(QLatin1String("+"))) {
                Number rhs;
                if (!term(rhs))
                    return false;
                out = make(out.value + rhs.value, out.isInt && rhs.isInt);
            } else if (take(QLatin1String("-"))) {
                Number rhs;
                if (!term(rhs))
                    return false;
                out = make(out.value - rhs.value, out.isInt && rhs.isInt);
            } else {
                return true;
            }
        }
    }

    bool term(Number &out)
    {
        if (!unary(out))
            return false;
        for (;;) {
            if (peek(QLatin1String("**")))
                return true; // only after a primary; a stray one is reported by the caller
            QString op;
            if (take(QLatin1String("//")))
                op = QStringLiteral("//");
            else if (take(QLatin1String("*")))
                op = QStringLiteral("*");
            else if (take(QLatin1String("/")))
                op = QStringLiteral("/");
            else if (take(QLatin1String("%")))
                op = QStringLiteral("%");
            else
                return true;
            Number rhs;
            if (!unary(rhs))
                return false;
            const bool ints = out.isInt && rhs.isInt;
            if (op == QLatin1String("*")) {
                out = make(out.value * rhs.value, ints);
            } else if (op == QLatin1String("/")) {
                if (rhs.value == 0)
                    return divisionByZero();
                out = make(out.value / rhs.value, false);
            } else if (op == QLatin1String("//")) {
                if (rhs.value == 0)
                    return divisionByZero();
                out = make(std::floor(out.value / rhs.value), ints);
            } else {
                if (rhs.value == 0)
                    return divisionByZero();
                // Python's modulo takes the divisor's sign.
                double m = std::fmod(out.value, rhs.value);
                if (m != 0 && ((m < 0) != (rhs.value < 0)))
                    m += rhs.value;
                out = make(m, ints);
            }
        }
    }

    bool unary(Number &out)
    {
        if (++m_depth > 200)
            return fail(QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                    "the expression is nested too deeply"));
        bool ok = false;
        if (take(QLatin1String("-"))) {
            ok = unary(out);
            out.value = -out.value;
        } else if (take(QLatin1String("+"))) {
            ok = unary(out);
        } else {
            ok = power(out);
        }
        --m_depth;
        return ok;
    }

    bool power(Number &out)
    {
        if (!primary(out))
            return false;
        if (!take(QLatin1String("**")))
            return true;
        Number exponent;
        if (!unary(exponent)) // right-associative, and 2**-1 is allowed
            return false;
        if (out.value == 0 && exponent.value < 0)
            return fail(QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                    "0 cannot be raised to a negative power"));
        const double v = std::pow(out.value, exponent.value);
        if (std::isnan(v))
            return fail(QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                    "a negative number cannot be raised to a "
                                                    "fractional power"));
        out = make(v, out.isInt && exponent.isInt && exponent.value >= 0);
        return true;
    }

    bool number(Number &out)
    {
        const qsizetype start = m_pos;
        bool isInt = true;
        while (m_pos < m_src.size()
               && (m_src.at(m_pos).isDigit() || m_src.at(m_pos) == QLatin1Char('_')))
            ++m_pos;
        if (m_pos < m_src.size() && m_src.at(m_pos) == QLatin1Char('.')) {
            isInt = false;
            ++m_pos;
            while (m_pos < m_src.size() && m_src.at(m_pos).isDigit())
                ++m_pos;
        }
        if (m_pos < m_src.size()
            && (m_src.at(m_pos) == QLatin1Char('e') || m_src.at(m_pos) == QLatin1Char('E'))) {
            qsizetype p = m_pos + 1;
            if (p < m_src.size()
                && (m_src.at(p) == QLatin1Char('+') || m_src.at(p) == QLatin1Char('-')))
                ++p;
            if (p < m_src.size() && m_src.at(p).isDigit()) {
                isInt = false;
                m_pos = p;
                while (m_pos < m_src.size() && m_src.at(m_pos).isDigit())
                    ++m_pos;
            }
        }
        QString text = m_src.mid(start, m_pos - start);
        text.remove(QLatin1Char('_'));
        bool ok = false;
        const double v = text.toDouble(&ok);
        if (!ok || text == QLatin1String(".")) {
            m_pos = start;
            return unexpected();
        }
        out = make(v, isInt);
        return true;
    }

    bool primary(Number &out)
    {
        skipSpace();
        if (m_pos >= m_src.size())
            return unexpected();
        const QChar c = m_src.at(m_pos);
        if (c.isDigit() || c == QLatin1Char('.'))
            return number(out);
        if (take(QLatin1String("("))) {
            if (!expr(out))
                return false;
            if (!take(QLatin1String(")")))
                return unexpected();
            return true;
        }
        if (c.isLetter() && c.unicode() < 128) {
            const qsizetype start = m_pos;
            while (m_pos < m_src.size() && m_src.at(m_pos).unicode() < 128
                   && (m_src.at(m_pos).isLetterOrNumber()))
                ++m_pos;
            const QString name = m_src.mid(start, m_pos - start);
            if (name == QLatin1String("pi")) {
                out = make(M_PI, false);
                return true;
            }
            if (name == QLatin1String("e")) {
                out = make(M_E, false);
                return true;
            }
            static const QStringList functions{QStringLiteral("sqrt"),  QStringLiteral("abs"),
                                               QStringLiteral("round"), QStringLiteral("floor"),
                                               QStringLiteral("ceil"),  QStringLiteral("min"),
                                               QStringLiteral("max"),   QStringLiteral("pow"),
                                               QStringLiteral("log"),   QStringLiteral("exp")};
            if (!functions.contains(name) || !peek(QLatin1String("("))) {
                return fail(QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                        "\"%1\" is not a known function or "
                                                        "constant (allowed: %2, pi, e)")
                                .arg(name, functions.join(QStringLiteral(", "))));
            }
            take(QLatin1String("("));
            std::vector<Number> args;
            if (!take(QLatin1String(")"))) {
                for (;;) {
                    Number a;
                    if (!expr(a))
                        return false;
                    args.push_back(a);
                    if (take(QLatin1String(")")))
                        break;
                    if (!take(QLatin1String(",")))
                        return unexpected();
                }
            }
            return call(name, args, out);
        }
        return unexpected();
    }

    bool call(const QString &name, const std::vector<Number> &args, Number &out)
    {
        const auto arity = [&](std::size_t lo, std::size_t hi) {
            if (args.size() >= lo && args.size() <= hi)
                return true;
            return fail(QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                    "%1() takes %2 to %3 arguments, not %4")
                            .arg(name)
                            .arg(lo)
                            .arg(hi)
                            .arg(args.size()));
        };
        if (name == QLatin1String("min") || name == QLatin1String("max")) {
            if (!arity(1, 1000))
                return false;
            out = args.front();
            for (const Number &a : args) {
                if (name == QLatin1String("min") ? a.value < out.value : a.value > out.value)
                    out = a;
            }
            return true;
        }
        if (name == QLatin1String("pow") || name == QLatin1String("round")
            || name == QLatin1String("log")) {
            if (!arity(name == QLatin1String("pow") ? 2 : 1, 2))
                return false;
        } else if (!arity(1, 1)) {
            return false;
        }
        const Number x = args.front();
        if (name == QLatin1String("sqrt")) {
            if (x.value < 0)
                return fail(QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                        "sqrt() of a negative number"));
            out = make(std::sqrt(x.value), false);
        } else if (name == QLatin1String("abs")) {
            out = make(std::abs(x.value), x.isInt);
        } else if (name == QLatin1String("floor")) {
            out = make(std::floor(x.value), true);
        } else if (name == QLatin1String("ceil")) {
            out = make(std::ceil(x.value), true);
        } else if (name == QLatin1String("exp")) {
            out = make(std::exp(x.value), false);
        } else if (name == QLatin1String("log")) {
            if (x.value <= 0 || (args.size() == 2 && (args[1].value <= 0 || args[1].value == 1)))
                return fail(QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                        "log() outside its domain"));
            out = make(args.size() == 2 ? std::log(x.value) / std::log(args[1].value)
                                        : std::log(x.value),
                       false);
        } else if (name == QLatin1String("round")) {
            // Python rounds half to even (the default floating-point rounding mode).
            if (args.size() == 1) {
                out = make(std::nearbyint(x.value), true);
            } else {
                const double scale = std::pow(10.0, std::trunc(args[1].value));
                out = make(std::nearbyint(x.value * scale) / scale, x.isInt);
            }
        } else { // pow
            const Number saved = x;
            out = saved;
            const Number exponent = args[1];
            if (out.value == 0 && exponent.value < 0)
                return fail(QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                        "0 cannot be raised to a negative power"));
            const double v = std::pow(out.value, exponent.value);
            if (std::isnan(v))
                return fail(QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                        "a negative number cannot be raised to "
                                                        "a fractional power"));
            out = make(v, saved.isInt && exponent.isInt && exponent.value >= 0);
        }
        return true;
    }

    QString m_src;
    qsizetype m_pos = 0;
    int m_depth = 0;
};

ToolResult evalExpression(const Json &params)
{
    return evaluateExpression(paramString(params, "expression"));
}

// ---- text utilities --------------------------------------------------------------------------

bool isIdeograph(char32_t c)
{
    const QChar::Script s = QChar::script(c);
    return s == QChar::Script_Han || s == QChar::Script_Hiragana || s == QChar::Script_Katakana;
}

ToolResult wordCount(const Json &params)
{
    const QString text = paramString(params, "text");
    qint64 words = 0;
    qint64 characters = 0;
    bool inWord = false;
    for (const char32_t c : text.toUcs4()) {
        ++characters;
        if (isIdeograph(c)) {
            ++words; // CJK text has no spaces: each ideograph or kana counts as a word
            inWord = false;
        } else if (QChar::isLetterOrNumber(c) || c == U'\'' || c == U'_'
                   || QChar::category(c) == QChar::Mark_NonSpacing) {
            if (!inWord)
                ++words;
            inWord = true;
        } else {
            inWord = false;
        }
    }
    const qint64 lines = text.isEmpty() ? 0 : text.count(QLatin1Char('\n')) + 1;
    ToolResult r;
    r.text = QString::number(words);
    r.json.push_back({{"words", words}, {"characters", characters}, {"lines", lines}});
    return r;
}

ToolResult regexExtract(const Json &params)
{
    const QString text = paramString(params, "text");
    const QString pattern = paramString(params, "pattern");
    const QRegularExpression re(pattern, QRegularExpression::UseUnicodePropertiesOption);
    if (!re.isValid()) {
        return ToolResult::failure(QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                               "regex_extract: invalid pattern "
                                                               "\"%1\": %2")
                                       .arg(pattern, re.errorString()));
    }
    ToolResult r;
    QStringList found;
    for (auto it = re.globalMatch(text); it.hasNext() && found.size() < 10000;) {
        const QRegularExpressionMatch m = it.next();
        Json groups = Json::array();
        for (int g = 1; g <= m.lastCapturedIndex(); ++g)
            groups.push_back(m.captured(g).toStdString());
        found << m.captured(0);
        r.json.push_back({{"match", m.captured(0).toStdString()}, {"groups", groups}});
    }
    r.text = found.join(QLatin1Char('\n'));
    return r;
}

ToolResult toUpper(const Json &params)
{
    ToolResult r;
    r.text = paramString(params, "text").toUpper();
    return r;
}

ToolResult toLower(const Json &params)
{
    ToolResult r;
    r.text = paramString(params, "text").toLower();
    return r;
}

ToolResult trim(const Json &params)
{
    ToolResult r;
    r.text = paramString(params, "text").trimmed();
    return r;
}

QString providerPart(const QString &providerId)
{
    const qsizetype slash = providerId.lastIndexOf(QLatin1Char('/'));
    return (slash >= 0 ? providerId.mid(slash + 1) : providerId).trimmed();
}

} // namespace

ToolResult evaluateExpression(const QString &expression)
{
    if (expression.size() > 10000) {
        return ToolResult::failure(QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                               "eval_expression: the expression "
                                                               "is too long"));
    }
    Evaluator evaluator(expression);
    Number result;
    if (!evaluator.run(result)) {
        return ToolResult::failure(QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                               "eval_expression: %1 in \"%2\"")
                                       .arg(evaluator.error, expression));
    }
    const Json value = result.isInt ? Json(static_cast<qint64>(result.value)) : Json(result.value);
    ToolResult r;
    r.text = QString::fromStdString(variables::pythonStr(value));
    r.json.push_back({{"expression", expression.toStdString()}, {"result", value}});
    return r;
}

const QList<BuiltinTool> &builtinTools()
{
    static const QList<BuiltinTool> tools{
        {QStringLiteral("time"),
         QStringLiteral("current_time"),
         {QStringLiteral("format"), QStringLiteral("timezone")},
         {},
         &currentTime},
        {QStringLiteral("json_process"),
         QStringLiteral("json_parse"),
         {QStringLiteral("content"), QStringLiteral("json_filter"), QStringLiteral("ensure_ascii"),
          QStringLiteral("output_full_parsed_json"), QStringLiteral("json_string")},
         {}, // content is checked by the tool, which also accepts json_string
         &jsonParse},
        {QStringLiteral("json_process"),
         QStringLiteral("json_replace"),
         {QStringLiteral("content"), QStringLiteral("query"), QStringLiteral("replace_model"),
          QStringLiteral("replace_pattern"), QStringLiteral("replace_value"),
          QStringLiteral("value_decode"), QStringLiteral("ensure_ascii")},
         {QStringLiteral("content"), QStringLiteral("query")},
         &jsonReplace},
        {QStringLiteral("maths"),
         QStringLiteral("eval_expression"),
         {QStringLiteral("expression")},
         {QStringLiteral("expression")},
         &evalExpression},
        {QStringLiteral("webscraper"),
         QStringLiteral("webscraper"),
         {QStringLiteral("url"), QStringLiteral("user_agent")},
         {QStringLiteral("url")},
         nullptr,
         true},
        {QStringLiteral("text_utilities"),
         QStringLiteral("word_count"),
         {QStringLiteral("text")},
         {},
         &wordCount},
        {QStringLiteral("text_utilities"),
         QStringLiteral("regex_extract"),
         {QStringLiteral("text"), QStringLiteral("pattern")},
         {QStringLiteral("pattern")},
         &regexExtract},
        {QStringLiteral("text_utilities"),
         QStringLiteral("to_upper"),
         {QStringLiteral("text")},
         {},
         &toUpper},
        {QStringLiteral("text_utilities"),
         QStringLiteral("to_lower"),
         {QStringLiteral("text")},
         {},
         &toLower},
        {QStringLiteral("text_utilities"),
         QStringLiteral("trim"),
         {QStringLiteral("text")},
         {},
         &trim},
    };
    return tools;
}

const BuiltinTool *findBuiltinTool(const QString &providerId, const QString &providerType,
                                   const QString &providerName, const QString &toolName)
{
    const QList<BuiltinTool> &tools = builtinTools();
    const QStringList candidates{providerPart(providerId), providerPart(providerName)};
    bool knownProvider = false;
    for (const QString &provider : candidates) {
        if (provider.isEmpty())
            continue;
        for (const BuiltinTool &tool : tools) {
            if (tool.provider != provider)
                continue;
            knownProvider = true;
            if (tool.name == toolName)
                return &tool;
        }
    }
    if (knownProvider)
        return nullptr;
    if (!providerType.isEmpty() && providerType != QLatin1String("builtin"))
        return nullptr;
    const BuiltinTool *match = nullptr;
    for (const BuiltinTool &tool : tools) {
        if (tool.name == toolName) {
            if (match)
                return nullptr; // ambiguous
            match = &tool;
        }
    }
    return match;
}

QPointer<QNetworkReply> fetchUrl(const Json &parameters, QNetworkAccessManager *network,
                                 QObject *context, std::function<void(ToolResult)> done)
{
    const QString text = paramString(parameters, "url").trimmed();
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
        done(ToolResult::failure(QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                             "webscraper: \"%1\" is not an "
                                                             "http(s) URL")
                                     .arg(text)));
        return {};
    }
    if (!network) {
        done(ToolResult::failure(QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                             "webscraper: no network access")));
        return {};
    }
    QNetworkRequest request(url);
    QString agent = paramString(parameters, "user_agent");
    if (agent.isEmpty())
        agent = QStringLiteral("Flowbench/1.0");
    request.setHeader(QNetworkRequest::UserAgentHeader, agent);
    request.setTransferTimeout(kFetchTimeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setMaximumRedirectsAllowed(10);
    QNetworkReply *reply = network->get(request);
    auto finished = std::make_shared<bool>(false);
    auto complete = [finished, done](ToolResult r) {
        if (*finished)
            return;
        *finished = true;
        done(std::move(r));
    };
    QObject::connect(reply, &QNetworkReply::downloadProgress, context,
                     [reply, complete, text](qint64 received, qint64 total) {
                         if (received <= kMaxFetchBytes && total <= kMaxFetchBytes)
                             return;
                         complete(ToolResult::failure(
                             QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                         "webscraper: %1 is larger than %2 bytes")
                                 .arg(text)
                                 .arg(kMaxFetchBytes)));
                         reply->abort();
                     });
    QObject::connect(reply, &QNetworkReply::finished, context, [reply, complete, text] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() != QNetworkReply::NoError && status < 400) {
            const QString why = reply->error() == QNetworkReply::OperationCanceledError
                                    ? QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                                  "no answer within %1 s")
                                          .arg(kFetchTimeoutMs / 1000)
                                    : reply->errorString();
            complete(ToolResult::failure(
                QCoreApplication::translate("flowbench::nodes::ToolNode",
                                            "webscraper: fetching %1 failed: %2")
                    .arg(text, why)));
            return;
        }
        if (status >= 400) {
            complete(
                ToolResult::failure(QCoreApplication::translate("flowbench::nodes::ToolNode",
                                                                "webscraper: %1 answered HTTP %2")
                                        .arg(text)
                                        .arg(status)));
            return;
        }
        const QByteArray body = reply->read(kMaxFetchBytes + 1);
        if (body.size() > kMaxFetchBytes) {
            complete(ToolResult::failure(
                QCoreApplication::translate("flowbench::nodes::ToolNode",
                                            "webscraper: %1 is larger than %2 bytes")
                    .arg(text)
                    .arg(kMaxFetchBytes)));
            return;
        }
        ToolResult r;
        r.text = QString::fromUtf8(body);
        complete(std::move(r));
    });
    return reply;
}

} // namespace flowbench::nodes

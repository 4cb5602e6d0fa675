#include "simembeddings.h"

#include "simulatorrules.h"

#include <QDateTime>

#include <cmath>
#include <cstring>

namespace flowbench::llm::sim {

namespace {

bool isCjk(char32_t c)
{
    switch (QChar::script(c)) {
    case QChar::Script_Han:
    case QChar::Script_Hiragana:
    case QChar::Script_Katakana:
    case QChar::Script_Hangul:
        return true;
    default:
        return false;
    }
}

void addFeature(std::vector<float> &v, const char *kind, const QString &feature, float weight)
{
    const QByteArray bytes = QByteArray(kind) + feature.toUtf8();
    quint64 h = 1469598103934665603ULL;
    for (const char c : bytes) {
        h ^= quint64(quint8(c));
        h *= 1099511628211ULL;
    }
    const auto bucket = std::size_t(h % quint64(kEmbeddingDimensions));
    v[bucket] += ((h >> 40) & 1U) ? -weight : weight;
}

void addWord(std::vector<float> &v, const QString &word)
{
    if (word.isEmpty())
        return;
    addFeature(v, "w:", word, 1.0f);
    const QList<uint> cps = (QLatin1Char('#') + word + QLatin1Char('#')).toUcs4();
    for (qsizetype i = 0; i + 3 <= cps.size(); ++i) {
        const char32_t tri[3] = {char32_t(cps[i]), char32_t(cps[i + 1]), char32_t(cps[i + 2])};
        addFeature(v, "t:", QString::fromUcs4(tri, 3), 0.5f);
    }
}

void addCjkRun(std::vector<float> &v, const QList<char32_t> &run)
{
    for (qsizetype i = 0; i < run.size(); ++i) {
        addFeature(v, "c:", QString::fromUcs4(&run[i], 1), 1.0f);
        if (i + 1 < run.size())
            addFeature(v, "b:", QString::fromUcs4(&run[i], 2), 1.0f);
    }
}

int tokenCount(const QString &text)
{
    const qsizetype points = text.toUcs4().size();
    return int((points + 3) / 4);
}

EmbeddingsAnswer error(int status, const QString &message, const QString &param = {})
{
    const HttpError e{
        status, status == 404 ? QStringLiteral("NotFoundError") : QStringLiteral("BadRequestError"),
        message, param};
    return {status, e.toJson()};
}

} // namespace

std::vector<float> embeddingVector(const QString &text)
{
    std::vector<float> v(std::size_t(kEmbeddingDimensions), 0.0f);
    QString word;
    QList<char32_t> run;
    const auto flush = [&] {
        addWord(v, word);
        word.clear();
        addCjkRun(v, run);
        run.clear();
    };
    for (const uint cp : text.toUcs4()) {
        const auto c = char32_t(cp);
        if (isCjk(c)) {
            addWord(v, word);
            word.clear();
            run.append(c);
        } else if (QChar::isLetterOrNumber(c)) {
            addCjkRun(v, run);
            run.clear();
            const char32_t lower = QChar::toLower(c);
            word += QString::fromUcs4(&lower, 1);
        } else {
            flush();
        }
    }
    flush();
    double norm = 0;
    for (const float x : v)
        norm += double(x) * double(x);
    if (norm > 0) {
        const double scale = 1.0 / std::sqrt(norm);
        for (float &x : v)
            x = float(double(x) * scale);
    }
    return v;
}

EmbeddingsAnswer answerEmbeddings(const QByteArray &requestBody, const QString &servedModel)
{
    const OJson body = OJson::parse(requestBody.constData(),
                                    requestBody.constData() + requestBody.size(), nullptr, false);
    if (body.is_discarded() || !body.is_object())
        return error(400, QStringLiteral("JSON decode error: the request body must be a JSON "
                                         "object"));
    QString model = servedModel;
    if (body.contains("model") && !body["model"].is_null()) {
        if (!body["model"].is_string())
            return error(400, QStringLiteral("model: Input should be a valid string"));
        model = QString::fromStdString(body["model"].get<std::string>());
        if (model != servedModel)
            return error(404, QStringLiteral("The model `%1` does not exist.").arg(model),
                         QStringLiteral("model"));
    }
    if (!body.contains("input") || body["input"].is_null())
        return error(400, QStringLiteral("input: Field required"));
    QString format = QStringLiteral("float");
    if (const auto it = body.find("encoding_format"); it != body.end() && !it->is_null())
        format = it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
    if (format != QLatin1String("float") && format != QLatin1String("base64"))
        return error(400, QStringLiteral("encoding_format: Input should be 'float' or 'base64'"));
    if (body.contains("dimensions") && !body["dimensions"].is_null()
        && body["dimensions"] != OJson(kEmbeddingDimensions))
        return error(400, QStringLiteral("Model \"%1\" does not support matryoshka "
                                         "representation, changing output dimensions will lead "
                                         "to poor results.")
                              .arg(model));

    // Each input as text plus its token count.
    QList<QPair<QString, int>> inputs;
    const QString typeMessage
        = QStringLiteral("input: Input should be a valid string or a list of strings or token ids");
    const auto tokenIds = [](const OJson &ids, QString *text) {
        QStringList parts;
        for (const OJson &id : ids) {
            if (!id.is_number_integer())
                return false;
            parts << QString::number(id.get<qint64>());
        }
        *text = parts.join(QLatin1Char(' '));
        return true;
    };
    const OJson &input = body["input"];
    if (input.is_string()) {
        const QString text = QString::fromStdString(input.get<std::string>());
        inputs.append({text, tokenCount(text)});
    } else if (input.is_array()) {
        if (input.empty())
            return error(400, QStringLiteral("input: List should have at least 1 item after "
                                             "validation, not 0"));
        if (input.front().is_number_integer()) {
            QString text;
            if (!tokenIds(input, &text))
                return error(400, typeMessage);
            inputs.append({text, int(input.size())});
        } else {
            for (const OJson &item : input) {
                QString text;
                if (item.is_string()) {
                    text = QString::fromStdString(item.get<std::string>());
                    inputs.append({text, tokenCount(text)});
                } else if (item.is_array() && tokenIds(item, &text)) {
                    inputs.append({text, int(item.size())});
                } else {
                    return error(400, typeMessage);
                }
            }
        }
    } else {
        return error(400, typeMessage);
    }

    OJson data = OJson::array();
    int tokens = 0;
    for (qsizetype i = 0; i < inputs.size(); ++i) {
        const std::vector<float> v = embeddingVector(inputs[i].first);
        tokens += inputs[i].second;
        OJson item;
        item["index"] = i;
        item["object"] = "embedding";
        if (format == QLatin1String("base64")) {
            QByteArray raw(qsizetype(v.size() * sizeof(float)), Qt::Uninitialized);
            std::memcpy(raw.data(), v.data(), v.size() * sizeof(float)); // little-endian hosts
            item["embedding"] = raw.toBase64().toStdString();
        } else {
            item["embedding"] = v;
        }
        data.push_back(std::move(item));
    }
    OJson out;
    out["id"] = randomHexId(QStringLiteral("embd-")).toStdString();
    out["object"] = "list";
    out["created"] = QDateTime::currentSecsSinceEpoch();
    out["model"] = model.toStdString();
    out["data"] = std::move(data);
    out["usage"] = OJson{{"prompt_tokens", tokens},
                         {"total_tokens", tokens},
                         {"completion_tokens", 0},
                         {"prompt_tokens_details", nullptr}};
    return {200, std::move(out)};
}

} // namespace flowbench::llm::sim

#pragma once

#include <QDialog>
#include <QString>

#include <functional>

#include "core/result.h"
#include "metering/pricetable.h"

class QLabel;
class QTableWidget;

namespace flowbench::panels {

// The price table editor ("dialog.prices"). One row per model price: model (a trailing '*' makes
// it a prefix), provider, input / output / cached / reasoning prices PER MILLION tokens (cached
// and reasoning may stay empty: the input and output prices apply), currency, effective date
// (yyyy-MM-dd, UTC midnight; empty: always), and for self-hosted models a GPU price per hour
// with the concurrency the GPU serves (when set, it replaces the token prices). A second table
// holds the currencies' rates to USD (USD is 1). Buttons: add and remove a row, import LiteLLM's
// model_prices_and_context_window.json (merged, USD), reset to the bundled table, and Save, which
// writes the table to savePath() (PriceTable::userPath() unless set) and emits saved().
// The file dialog for the import is injectable for tests.
class PriceEditor : public QDialog
{
    Q_OBJECT

public:
    enum Column {
        ModelColumn,
        ProviderColumn,
        InputColumn,
        OutputColumn,
        CachedColumn,
        ReasoningColumn,
        CurrencyColumn,
        EffectiveColumn,
        GpuHourlyColumn,
        ConcurrencyColumn,
        ColumnCount
    };

    // Returns the chosen path, or an empty string when cancelled.
    using OpenFileFunction
        = std::function<QString(QWidget *parent, const QString &caption, const QString &filter)>;

    explicit PriceEditor(metering::PriceTable table, QWidget *parent = nullptr);

    void setTable(const metering::PriceTable &table);
    // The table as edited (per-million → per-token). Errors: "prices.edit" naming the row and
    // the cell that is not a number or a date.
    [[nodiscard]] Result<metering::PriceTable> table() const;

    void setSavePath(const QString &path) { m_savePath = path; }
    [[nodiscard]] QString savePath() const { return m_savePath; }
    void setOpenFileFunction(OpenFileFunction function) { m_openFile = std::move(function); }

    // Asks for a LiteLLM JSON file (or takes `path`) and merges it; returns the count imported.
    Result<int> importLiteLlm(const QString &path = {});
    void resetToBundled();
    // Writes the table; on success emits saved() and returns true.
    bool save();

    [[nodiscard]] QTableWidget *priceTable() const { return m_prices; }
    [[nodiscard]] QTableWidget *rateTable() const { return m_rates; }

Q_SIGNALS:
    void saved(const metering::PriceTable &table);

private:
    void addPriceRow(const metering::ModelPrice &price);
    void addRateRow(const QString &currency, double rate);
    void showStatus(const QString &text, bool error = false);

    QTableWidget *m_prices = nullptr;
    QTableWidget *m_rates = nullptr;
    QLabel *m_status = nullptr;
    QString m_savePath;
    OpenFileFunction m_openFile;
};

} // namespace flowbench::panels

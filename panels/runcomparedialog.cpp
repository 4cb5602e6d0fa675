#include "runcomparedialog.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <vector>

namespace flowbench::panels {

using Json = nlohmann::json;

QString formatRunDuration(qint64 ms)
{
    if (ms < 0)
        return QStringLiteral("—");
    if (ms < 1000)
        return QCoreApplication::translate("flowbench::panels::RunCompareDialog", "%1 ms").arg(ms);
    if (ms < 60'000)
        return QCoreApplication::translate("flowbench::panels::RunCompareDialog", "%1 s")
            .arg(QLocale().toString(double(ms) / 1000.0, 'f', ms < 10'000 ? 2 : 1));
    const qint64 seconds = ms / 1000;
    return QCoreApplication::translate("flowbench::panels::RunCompareDialog", "%1 min %2 s")
        .arg(seconds / 60)
        .arg(seconds % 60);
}

QString shortRunId(const QString &runId)
{
    return runId.left(8);
}

namespace {

struct NodeSide
{
    bool present = false;
    QString title;
    QString kind;
    QString status;
    Json outputs;
    QString error;
    qint64 tokens = 0;
    qint64 elapsedMs = 0;
    int executions = 0;
};

qint64 tokensOf(const Json &usage)
{
    if (!usage.is_object())
        return 0;
    const auto it = usage.find("total_tokens");
    return it != usage.end() && it->is_number() ? it->get<qint64>() : 0;
}

// Outputs without what differs in every run by design (the Start node's run id and time).
Json comparable(const Json &outputs)
{
    if (!outputs.is_object())
        return outputs;
    Json out = outputs;
    out.erase("sys.workflow_run_id");
    out.erase("sys.timestamp");
    return out;
}

QString oneLine(const Json &value)
{
    if (value.is_null())
        return QStringLiteral("—");
    QString text
        = QString::fromStdString(value.dump(-1, ' ', false, Json::error_handler_t::replace));
    if (text.size() > 160)
        text = text.left(159) + QChar(0x2026);
    return text;
}

QString pretty(const NodeSide &side)
{
    if (!side.present)
        return QCoreApplication::translate("flowbench::panels::RunCompareDialog",
                                           "(the node did not run)");
    QString text = side.outputs.is_null() ? QString()
                                          : QString::fromStdString(side.outputs.dump(
                                              2, ' ', false, Json::error_handler_t::replace));
    if (!side.error.isEmpty())
        text += (text.isEmpty() ? QString() : QStringLiteral("\n\n"))
                + QCoreApplication::translate("flowbench::panels::RunCompareDialog", "Error: %1")
                      .arg(side.error);
    return text;
}

QString pair(const QString &a, const QString &b)
{
    return a == b ? a : a + QStringLiteral("  →  ") + b;
}

QString runLabel(const store::RecordedRun &run)
{
    return QStringLiteral("%1 · %2 · %3")
        .arg(shortRunId(run.runId), run.status,
             QLocale().toString(QDateTime::fromMSecsSinceEpoch(run.startedMs),
                                QLocale::ShortFormat));
}

} // namespace

RunCompareDialog::RunCompareDialog(const store::RecordedRun &first,
                                   const store::RecordedRun &second, QWidget *parent)
    : QDialog(parent)
    , m_firstId(first.runId)
    , m_secondId(second.runId)
{
    setObjectName(QStringLiteral("dialog.runCompare"));
    setWindowTitle(tr("Compare Runs"));
    resize(980, 560);

    // Per node, both sides, in first-run order then second-run order.
    QStringList order;
    QHash<QString, NodeSide> sides[2];
    const store::RecordedRun *runs[2] = {&first, &second};
    for (int r = 0; r < 2; ++r) {
        for (const store::RecordedNodeExecution &n : runs[r]->nodes) {
            NodeSide &side = sides[r][n.nodeId];
            if (!side.present && !order.contains(n.nodeId))
                order << n.nodeId;
            side.present = true;
            side.title = n.title.isEmpty() ? n.nodeId : n.title;
            side.kind = n.nodeKind;
            side.status = n.status;
            side.outputs = n.outputs;
            side.error = n.error;
            side.tokens += tokensOf(n.usage);
            side.elapsedMs += n.elapsedMs;
            ++side.executions;
        }
    }

    auto *layout = new QVBoxLayout(this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("compare.summary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    layout->addWidget(m_summary);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    layout->addWidget(splitter, 1);

    m_tree = new QTreeWidget(splitter);
    m_tree->setObjectName(QStringLiteral("compare.table"));
    m_tree->setColumnCount(ColumnCount);
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setHeaderLabels({QString(), tr("Node"), tr("Status (A → B)"), tr("Outputs A"),
                             tr("Outputs B"), tr("Tokens"), tr("Duration")});
    m_tree->headerItem()->setToolTip(FirstOutputsColumn, runLabel(first));
    m_tree->headerItem()->setToolTip(SecondOutputsColumn, runLabel(second));
    m_tree->headerItem()->setToolTip(DiffColumn, tr("≠ marks nodes whose outputs differ"));
    QHeaderView *header = m_tree->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(DiffColumn, QHeaderView::Fixed);
    m_tree->setColumnWidth(DiffColumn, 28);
    m_tree->setColumnWidth(NodeColumn, 170);
    m_tree->setColumnWidth(StatusColumn, 190);
    header->setSectionResizeMode(FirstOutputsColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(SecondOutputsColumn, QHeaderView::Stretch);
    m_tree->setColumnWidth(TokensColumn, 90);
    m_tree->setColumnWidth(DurationColumn, 130);

    const QColor diffTint(255, 196, 0, 60);
    const QColor statusTint(220, 50, 47, 50);
    for (const QString &id : std::as_const(order)) {
        const NodeSide a = sides[0].value(id);
        const NodeSide b = sides[1].value(id);
        const bool differ = a.present != b.present || comparable(a.outputs) != comparable(b.outputs)
                            || a.error != b.error;
        auto *item = new QTreeWidgetItem(m_tree);
        item->setData(NodeColumn, kNodeIdRole, id);
        item->setData(NodeColumn, kOutputsDifferRole, differ);
        const NodeSide &any = a.present ? a : b;
        QString title = any.title;
        const int runsMax = qMax(a.executions, b.executions);
        if (runsMax > 1)
            title += QStringLiteral("  ×%1").arg(runsMax);
        item->setText(NodeColumn, title);
        item->setToolTip(NodeColumn, tr("%1 (%2)").arg(id, any.kind));
        const QString none = tr("not run");
        const QString sa = a.present ? a.status : none;
        const QString sb = b.present ? b.status : none;
        item->setText(StatusColumn, pair(sa, sb));
        item->setText(FirstOutputsColumn, a.present ? oneLine(a.outputs) : none);
        item->setText(SecondOutputsColumn, b.present ? oneLine(b.outputs) : none);
        item->setToolTip(FirstOutputsColumn, pretty(a));
        item->setToolTip(SecondOutputsColumn, pretty(b));
        item->setText(TokensColumn,
                      pair(a.present ? QString::number(a.tokens) : QStringLiteral("—"),
                           b.present ? QString::number(b.tokens) : QStringLiteral("—")));
        item->setText(DurationColumn,
                      pair(a.present ? formatRunDuration(a.elapsedMs) : QStringLiteral("—"),
                           b.present ? formatRunDuration(b.elapsedMs) : QStringLiteral("—")));
        item->setTextAlignment(TokensColumn, Qt::AlignRight | Qt::AlignVCenter);
        item->setTextAlignment(DurationColumn, Qt::AlignRight | Qt::AlignVCenter);
        item->setTextAlignment(DiffColumn, Qt::AlignCenter);
        if (differ) {
            ++m_differing;
            item->setText(DiffColumn, QStringLiteral("≠"));
            item->setToolTip(DiffColumn, tr("The outputs differ"));
            QFont bold = item->font(DiffColumn);
            bold.setBold(true);
            item->setFont(DiffColumn, bold);
            item->setForeground(DiffColumn, QColor(0xc0, 0x6a, 0x00));
            item->setBackground(FirstOutputsColumn, diffTint);
            item->setBackground(SecondOutputsColumn, diffTint);
        }
        if (sa != sb)
            item->setBackground(StatusColumn, statusTint);
    }

    auto *details = new QWidget(splitter);
    auto *detailLayout = new QHBoxLayout(details);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    const auto makeDetail = [&](const QString &name, const QString &title) {
        auto *column = new QVBoxLayout;
        column->setSpacing(2);
        auto *heading = new QLabel(title, details);
        heading->setTextFormat(Qt::RichText);
        column->addWidget(heading);
        auto *edit = new QPlainTextEdit(details);
        edit->setObjectName(name);
        edit->setReadOnly(true);
        edit->setFont(fixed);
        edit->setPlaceholderText(tr("Select a node to see its outputs in full."));
        column->addWidget(edit, 1);
        detailLayout->addLayout(column);
        return edit;
    };
    m_firstDetail = makeDetail(QStringLiteral("compare.firstDetail"),
                               tr("<b>A</b> · %1").arg(runLabel(first).toHtmlEscaped()));
    m_secondDetail = makeDetail(QStringLiteral("compare.secondDetail"),
                                tr("<b>B</b> · %1").arg(runLabel(second).toHtmlEscaped()));
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    const auto statusLine = [](const QString &letter, const store::RecordedRun &run) {
        return QStringLiteral("<tr><td><b>%1</b>&nbsp;&nbsp;</td><td>%2&nbsp;&nbsp;</td>"
                              "<td>%3&nbsp;&nbsp;</td><td>%4&nbsp;&nbsp;</td><td>%5</td></tr>")
            .arg(letter, shortRunId(run.runId).toHtmlEscaped(), run.status.toHtmlEscaped(),
                 QLocale().toString(QDateTime::fromMSecsSinceEpoch(run.startedMs),
                                    QLocale::ShortFormat),
                 formatRunDuration(run.elapsedMs));
    };
    m_summary->setText(
        QStringLiteral("<table>%1%2</table>")
            .arg(statusLine(QStringLiteral("A"), first), statusLine(QStringLiteral("B"), second))
        + (m_differing == 0
               ? tr("The outputs of every node are the same.")
               : tr("%n node(s) with different outputs, marked ≠.", nullptr, m_differing)));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_tree, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem *item) { showDetail(item); });

    // Remember both sides' full text for the detail view.
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_tree->topLevelItem(i);
        const QString id = item->data(NodeColumn, kNodeIdRole).toString();
        item->setData(FirstOutputsColumn, kNodeIdRole, pretty(sides[0].value(id)));
        item->setData(SecondOutputsColumn, kNodeIdRole, pretty(sides[1].value(id)));
    }
}

QTreeWidgetItem *RunCompareDialog::itemForNode(const QString &nodeId) const
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_tree->topLevelItem(i);
        if (item->data(NodeColumn, kNodeIdRole).toString() == nodeId)
            return item;
    }
    return nullptr;
}

bool RunCompareDialog::outputsDiffer(const QString &nodeId) const
{
    const QTreeWidgetItem *item = itemForNode(nodeId);
    return item && item->data(NodeColumn, kOutputsDifferRole).toBool();
}

void RunCompareDialog::showDetail(QTreeWidgetItem *item)
{
    m_firstDetail->setPlainText(item ? item->data(FirstOutputsColumn, kNodeIdRole).toString()
                                     : QString());
    m_secondDetail->setPlainText(item ? item->data(SecondOutputsColumn, kNodeIdRole).toString()
                                      : QString());
}

} // namespace flowbench::panels

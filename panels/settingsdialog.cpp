#include "settingsdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStyle>
#include <QVBoxLayout>

#include "profileeditor.h"

namespace flowbench::panels {

namespace {

QString key(const char *k)
{
    return QString::fromLatin1(k);
}

// Secondary text: readable, but quieter than the fields.
void mute(QLabel *label)
{
    QPalette p = label->palette();
    const QColor text = p.color(QPalette::WindowText);
    const QColor window = p.color(QPalette::Window);
    p.setColor(QPalette::WindowText, QColor((text.red() * 3 + window.red() * 2) / 5,
                                            (text.green() * 3 + window.green() * 2) / 5,
                                            (text.blue() * 3 + window.blue() * 2) / 5));
    label->setPalette(p);
}

QLabel *makeNote(const QString &text, QWidget *parent)
{
    auto *note = new QLabel(text, parent);
    note->setWordWrap(true);
    mute(note);
    return note;
}

QWidget *makePage(const QString &title, const QString &subtitle, QWidget *parent,
                  QVBoxLayout **body)
{
    auto *page = new QWidget(parent);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(12, 4, 4, 4);
    auto *heading = new QLabel(title, page);
    QFont big = heading->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    heading->setFont(big);
    layout->addWidget(heading);
    if (!subtitle.isEmpty()) {
        layout->addWidget(makeNote(subtitle, page));
    }
    layout->addSpacing(6);
    *body = layout;
    return page;
}

} // namespace

SettingsDialog::SettingsDialog(llm::ProfileStore *profiles, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("dialog.settings"));
    setWindowTitle(tr("Settings"));
    resize(960, 640);

    auto *layout = new QVBoxLayout(this);
    auto *row = new QHBoxLayout;
    layout->addLayout(row, 1);
    m_pages = new QListWidget(this);
    m_pages->setObjectName(QStringLiteral("settings.pages"));
    m_pages->setFixedWidth(160);
    m_pages->setIconSize(QSize(20, 20));
    m_pages->setSpacing(2);
    row->addWidget(m_pages);
    m_stack = new QStackedWidget(this);
    m_stack->setObjectName(QStringLiteral("settings.stack"));
    row->addWidget(m_stack, 1);

    QVBoxLayout *body = nullptr;

    // Endpoints.
    QWidget *endpoints = makePage(
        tr("Endpoints"),
        tr("OpenAI-compatible servers that LLM nodes talk to. Keys are kept in the system "
           "keychain, never in workflow files."),
        m_stack, &body);
    m_profiles = new ProfileEditor(profiles, endpoints);
    body->addWidget(m_profiles, 1);
    m_stack->addWidget(endpoints);

    // Python.
    QWidget *python = makePage(tr("Code Nodes"),
                               tr("Python code nodes and Jinja2 templates run in this "
                                  "interpreter (it needs the jinja2 package)."),
                               m_stack, &body);
    auto *pythonForm = new QFormLayout;
    pythonForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto *pythonRow = new QHBoxLayout;
    m_python = new QLineEdit(python);
    m_python->setObjectName(QStringLiteral("settings.python"));
    m_python->setPlaceholderText(tr("python3 from PATH"));
    m_python->setClearButtonEnabled(true);
    pythonRow->addWidget(m_python, 1);
    auto *browse = new QPushButton(tr("Browse…"), python);
    browse->setObjectName(QStringLiteral("settings.python.browse"));
    pythonRow->addWidget(browse);
    auto *check = new QPushButton(tr("Check"), python);
    check->setObjectName(QStringLiteral("settings.python.check"));
    pythonRow->addWidget(check);
    pythonForm->addRow(tr("Interpreter"), pythonRow);
    m_pythonStatus = new QLabel(python);
    m_pythonStatus->setObjectName(QStringLiteral("settings.python.status"));
    m_pythonStatus->setTextFormat(Qt::RichText);
    m_pythonStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    pythonForm->addRow(QString(), m_pythonStatus);
    body->addLayout(pythonForm);
    body->addWidget(makeNote(tr("The FLOWBENCH_PYTHON environment variable, when set, wins over "
                                "this setting."),
                             python));
    body->addStretch(1);
    m_stack->addWidget(python);

    // Appearance.
    QWidget *appearance = makePage(
        tr("Appearance"), tr("How Flowbench looks and which language it speaks."), m_stack, &body);
    auto *appearanceForm = new QFormLayout;
    appearanceForm->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    m_theme = new QComboBox(appearance);
    m_theme->setObjectName(QStringLiteral("settings.theme"));
    m_theme->addItem(tr("Follow the system"), QStringLiteral("system"));
    m_theme->addItem(tr("Light"), QStringLiteral("light"));
    m_theme->addItem(tr("Dark"), QStringLiteral("dark"));
    appearanceForm->addRow(tr("Theme"), m_theme);
    m_language = new QComboBox(appearance);
    m_language->setObjectName(QStringLiteral("settings.language"));
    m_language->addItem(tr("Follow the system"), QString());
    m_language->addItem(QStringLiteral("中文"), QStringLiteral("zh_CN"));
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    appearanceForm->addRow(tr("Language"), m_language);
    m_theme->setMinimumWidth(280);
    m_language->setMinimumWidth(280);
    auto *languageNote
        = makeNote(tr("A new language applies after Flowbench restarts."), appearance);
    languageNote->setObjectName(QStringLiteral("settings.language.note"));
    appearanceForm->addRow(QString(), languageNote);
    body->addLayout(appearanceForm);
    body->addStretch(1);
    m_stack->addWidget(appearance);

    // General.
    QWidget *general = makePage(tr("General"), QString(), m_stack, &body);
    auto *generalForm = new QFormLayout;
    generalForm->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    m_autosave = new QDoubleSpinBox(general);
    m_autosave->setObjectName(QStringLiteral("settings.autosave"));
    m_autosave->setDecimals(1);
    m_autosave->setRange(0.5, 60.0);
    m_autosave->setSingleStep(0.5);
    m_autosave->setSuffix(tr(" min"));
    m_autosave->setMinimumWidth(140);
    generalForm->addRow(tr("Autosave every"), m_autosave);
    generalForm->addRow(QString(),
                        makeNote(tr("While a workflow has unsaved changes, a recovery copy is "
                                    "written this often. It is offered again after a crash."),
                                 general));
    body->addLayout(generalForm);
    body->addStretch(1);
    m_stack->addWidget(general);

    const auto addPage = [this](const QString &text, QStyle::StandardPixmap icon) {
        auto *item = new QListWidgetItem(style()->standardIcon(icon), text, m_pages);
        item->setSizeHint(QSize(0, 32));
    };
    addPage(tr("Endpoints"), QStyle::SP_DriveNetIcon);
    addPage(tr("Code Nodes"), QStyle::SP_FileDialogContentsView);
    addPage(tr("Appearance"), QStyle::SP_DesktopIcon);
    addPage(tr("General"), QStyle::SP_FileDialogDetailedView);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("settings.message"));
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_message->hide();
    layout->addWidget(m_message);

    m_buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::Apply, this);
    m_buttons->setObjectName(QStringLiteral("settings.buttons"));
    layout->addWidget(m_buttons);

    connect(m_pages, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this,
            &SettingsDialog::apply);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Choose a Python Interpreter"),
                                                          m_python->text());
        if (!path.isEmpty()) {
            m_python->setText(QDir::toNativeSeparators(path));
            checkPython();
        }
    });
    connect(check, &QPushButton::clicked, this, &SettingsDialog::checkPython);

    load();
    m_pages->setCurrentRow(0);
}

SettingsDialog::~SettingsDialog()
{
    if (m_pythonCheck) {
        m_pythonCheck->disconnect(this);
        m_pythonCheck->kill();
        m_pythonCheck->waitForFinished(1000);
    }
}

void SettingsDialog::setCurrentPage(Page page)
{
    m_pages->setCurrentRow(int(page));
}

SettingsDialog::Page SettingsDialog::currentPage() const
{
    return Page(m_stack->currentIndex());
}

void SettingsDialog::load()
{
    QSettings settings;
    m_python->setText(settings.value(key(kPythonKey)).toString());
    const int theme = m_theme->findData(settings.value(key(kThemeKey), QStringLiteral("system")));
    m_theme->setCurrentIndex(qMax(0, theme));
    const int language = m_language->findData(settings.value(key(kLanguageKey)).toString());
    m_language->setCurrentIndex(qMax(0, language));
    const int seconds = settings.value(key(kAutosaveKey), kDefaultAutosaveSeconds).toInt();
    m_autosave->setValue(qMax(30, seconds) / 60.0);
}

bool SettingsDialog::apply()
{
    m_message->hide();
    QString error;
    if (!m_profiles->apply(&error)) {
        setCurrentPage(EndpointsPage);
        m_message->setText(error);
        m_message->show();
        return false;
    }
    QSettings settings;
    const QString python = m_python->text().trimmed();
    if (python.isEmpty())
        settings.remove(key(kPythonKey));
    else
        settings.setValue(key(kPythonKey), python);
    settings.setValue(key(kThemeKey), m_theme->currentData().toString());
    settings.setValue(key(kLanguageKey), m_language->currentData().toString());
    settings.setValue(key(kAutosaveKey), qRound(m_autosave->value() * 60.0));
    settings.sync();
    Q_EMIT settingsApplied();
    return true;
}

void SettingsDialog::accept()
{
    if (apply())
        QDialog::accept();
}

void SettingsDialog::checkPython()
{
    if (m_pythonCheck) {
        m_pythonCheck->disconnect(this);
        m_pythonCheck->kill();
        m_pythonCheck->deleteLater();
    }
    QString program = m_python->text().trimmed();
    if (program.isEmpty())
        program = QStandardPaths::findExecutable(QStringLiteral("python3"));
    const auto report = [this](bool ok, const QString &text) {
        m_pythonStatus->setText(QStringLiteral("<span style=\"color:%1\">●</span> %2")
                                    .arg(ok ? QStringLiteral("#2ea043") : QStringLiteral("#d93f3f"),
                                         text.toHtmlEscaped()));
        Q_EMIT pythonChecked(ok, text);
    };
    if (program.isEmpty()) {
        report(false, tr("python3 is not on PATH; choose an interpreter."));
        return;
    }
    auto *process = new QProcess(this);
    m_pythonCheck = process;
    m_pythonStatus->setText(tr("Checking…"));
    connect(process, &QProcess::finished, this,
            [process, report](int code, QProcess::ExitStatus status) {
                QString out = QString::fromLocal8Bit(process->readAllStandardOutput()).trimmed();
                if (out.isEmpty())
                    out = QString::fromLocal8Bit(process->readAllStandardError()).trimmed();
                if (status == QProcess::NormalExit && code == 0 && !out.isEmpty())
                    report(true, out);
                else
                    report(false, tr("%1 exited with code %2").arg(process->program()).arg(code));
                process->deleteLater();
            });
    connect(
        process, &QProcess::errorOccurred, this, [process, report](QProcess::ProcessError error) {
            if (error != QProcess::FailedToStart)
                return;
            report(false, tr("Cannot run %1: %2").arg(process->program(), process->errorString()));
            process->deleteLater();
        });
    process->start(program, {QStringLiteral("--version")});
}

} // namespace flowbench::panels

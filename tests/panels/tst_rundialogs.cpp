// The Run inputs dialog, the single-node inputs dialog and the Settings dialog, driven as a
// person would: fill fields, press OK, look at what was refused, saved and remembered. The
// endpoint test runs against a real llm::Simulator on loopback.

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include "document/dslio.h"
#include "document/workflow.h"
#include "llm/endpointprofile.h"
#include "llm/simulator/simulator.h"
#include "profileeditor.h"
#include "runinputsdialog.h"
#include "settingsdialog.h"

using namespace flowbench;
using Json = nlohmann::json;

namespace {

Json startVariable(const char *name, const char *type, bool required, Json extra = Json::object())
{
    Json v = {{"variable", name}, {"label", name}, {"type", type}, {"required", required}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        v[it.key()] = it.value();
    return v;
}

document::Workflow fixture(const char *mode)
{
    Json variables = Json::array({
        startVariable("name", "text-input", true, {{"max_length", 48}}),
        startVariable("notes", "paragraph", false, {{"description", "Anything else"}}),
        startVariable("tone", "select", true, {{"options", {"formal", "casual"}}}),
        startVariable("count", "number", false, {{"default", 2}}),
        startVariable("flag", "checkbox", false),
        startVariable("doc", "file", false),
        startVariable("attachments", "file-list", false, {{"max_length", 3}}),
        startVariable("config", "json_object", false),
        startVariable("hidden", "text-input", false, {{"hide", true}}),
    });
    Json root = {
        {"app", {{"name", std::string("Inputs fixture ") + mode}, {"mode", mode}}},
        {"kind", "app"},
        {"version", "0.5.0"},
        {"workflow",
         {{"graph",
           {{"nodes",
             {{{"id", "start"},
               {"position", {{"x", 0}, {"y", 0}}},
               {"data", {{"type", "start"}, {"title", "Start"}, {"variables", variables}}}},
              {{"id", "llm"},
               {"position", {{"x", 300}, {"y", 0}}},
               {"data",
                {{"type", "template-transform"},
                 {"title", "Format"},
                 {"template", "{{ a }} {{#start.name#}} {{#sys.query#}}"},
                 {"variables",
                  {{{"variable", "a"}, {"value_selector", {"start", "tone"}}},
                   {{"variable", "b"}, {"value_selector", {"start", "config", "key"}}}}}}}}}},
            {"edges", Json::array()}}}}},
    };
    auto wf = document::Workflow::fromJson(root);
    return wf ? *wf : document::Workflow();
}

QStringList sl(std::initializer_list<const char *> parts)
{
    QStringList out;
    for (const char *p : parts)
        out << QString::fromUtf8(p);
    return out;
}

template<typename T>
T *field(QDialog &dialog, const QString &name)
{
    return dialog.findChild<T *>(QStringLiteral("runInputs.field.") + name);
}

void clickOk(QDialog &dialog)
{
    auto *buttons = dialog.findChild<QDialogButtonBox *>();
    QVERIFY(buttons);
    buttons->button(QDialogButtonBox::Ok)->click();
}

} // namespace

class TestRunDialogs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void runInputsBuildsFieldsPerType();
    void runInputsRefusesEmptyRequiredAndRemembers();
    void runInputsForChatflows();
    void singleNodeInputsPrefillAndEdit();
    void settingsAddProfilePersists();
    void settingsStoresKeyWithoutShowingIt();
    void settingsWritesPreferences();
    void settingsCancelDiscards();
    void testConnectionAgainstSimulator();
    void testConnectionUnreachable();

private:
    QTemporaryDir m_dir;
};

void TestRunDialogs::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("FlowbenchTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_rundialogs"));
    QSettings().clear();
}

void TestRunDialogs::runInputsBuildsFieldsPerType()
{
    const document::Workflow wf = fixture("workflow");
    QCOMPARE(wf.nodes().size(), std::size_t(2));
    panels::RunInputsDialog dialog(wf);
    QCOMPARE(dialog.objectName(), QStringLiteral("dialog.runInputs"));
    QVERIFY(dialog.hasFields());
    QCOMPARE(dialog.fieldNames(), sl({"name", "notes", "tone", "count", "flag", "doc",
                                      "attachments", "config"})); // hidden left out
    QVERIFY(field<QLineEdit>(dialog, QStringLiteral("name")));
    QCOMPARE(field<QLineEdit>(dialog, QStringLiteral("name"))->maxLength(), 48);
    QVERIFY(field<QPlainTextEdit>(dialog, QStringLiteral("notes")));
    auto *tone = field<QComboBox>(dialog, QStringLiteral("tone"));
    QVERIFY(tone);
    QCOMPARE(tone->count(), 2);
    QCOMPARE(tone->itemText(1), QStringLiteral("casual"));
    QCOMPARE(field<QLineEdit>(dialog, QStringLiteral("count"))->text(), QStringLiteral("2"));
    QVERIFY(field<QCheckBox>(dialog, QStringLiteral("flag")));
    QVERIFY(field<QLineEdit>(dialog, QStringLiteral("doc")));
    QVERIFY(dialog.findChild<QPushButton *>(QStringLiteral("runInputs.field.doc.browse")));
    QVERIFY(field<QPlainTextEdit>(dialog, QStringLiteral("attachments")));
    QVERIFY(field<QPlainTextEdit>(dialog, QStringLiteral("config")));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.grab().save(QStringLiteral("/tmp/p3-runinputs.png"));
}

void TestRunDialogs::runInputsRefusesEmptyRequiredAndRemembers()
{
    const document::Workflow wf = fixture("workflow");
    QSettings().remove(panels::RunInputsDialog::settingsGroup(wf));
    const QString docPath = m_dir.filePath(QStringLiteral("report.txt"));
    {
        QFile f(docPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("hello");
    }
    {
        panels::RunInputsDialog dialog(wf);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        clickOk(dialog);
        QVERIFY(dialog.isVisible()); // refused
        QLabel *error = dialog.errorLabel(QStringLiteral("name"));
        QVERIFY(error && error->isVisible());
        QCOMPARE(error->text(), QStringLiteral("This field is required."));
        QVERIFY(!dialog.errorLabel(QStringLiteral("notes"))->isVisible());
        dialog.grab().save(QStringLiteral("/tmp/p3-runinputs-error.png"));

        // A malformed number and JSON are refused too.
        QTest::keyClicks(field<QLineEdit>(dialog, QStringLiteral("name")), QStringLiteral("Ada"));
        field<QLineEdit>(dialog, QStringLiteral("count"))->setText(QStringLiteral("three"));
        field<QPlainTextEdit>(dialog, QStringLiteral("config"))
            ->setPlainText(QStringLiteral("[1, 2]"));
        clickOk(dialog);
        QVERIFY(dialog.isVisible());
        QVERIFY(!dialog.errorLabel(QStringLiteral("name"))->isVisible());
        QVERIFY(dialog.errorLabel(QStringLiteral("count"))->isVisible());
        QVERIFY(dialog.errorLabel(QStringLiteral("config"))->isVisible());

        field<QLineEdit>(dialog, QStringLiteral("count"))->setText(QStringLiteral("3"));
        field<QPlainTextEdit>(dialog, QStringLiteral("config"))
            ->setPlainText(QStringLiteral("{\"key\": 1}"));
        field<QComboBox>(dialog, QStringLiteral("tone"))->setCurrentIndex(1);
        field<QCheckBox>(dialog, QStringLiteral("flag"))->setChecked(true);
        field<QLineEdit>(dialog, QStringLiteral("doc"))->setText(docPath);
        clickOk(dialog);
        QVERIFY(!dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        const panels::RunInputs inputs = dialog.runInputs();
        QVERIFY(inputs.inputs["name"] == "Ada");
        QVERIFY(inputs.inputs["tone"] == "casual");
        QVERIFY(inputs.inputs["count"] == 3);
        QVERIFY(inputs.inputs["flag"] == true);
        QVERIFY(inputs.inputs["config"] == (Json{{"key", 1}}));
        QVERIFY(inputs.inputs["doc"]["name"] == "report.txt");
        QVERIFY(inputs.inputs["doc"]["dify_model_identity"] == "__dify__file__");
        QVERIFY(!inputs.inputs.contains("notes")); // optional and empty
        runtime::RunOptions options;
        inputs.applyTo(options);
        QVERIFY(options.inputs == inputs.inputs);
    }
    // The next time, the values are back.
    panels::RunInputsDialog again(wf);
    QCOMPARE(field<QLineEdit>(again, QStringLiteral("name"))->text(), QStringLiteral("Ada"));
    QCOMPARE(field<QComboBox>(again, QStringLiteral("tone"))->currentText(),
             QStringLiteral("casual"));
    QCOMPARE(field<QLineEdit>(again, QStringLiteral("count"))->text(), QStringLiteral("3"));
    QVERIFY(field<QCheckBox>(again, QStringLiteral("flag"))->isChecked());
    QCOMPARE(field<QLineEdit>(again, QStringLiteral("doc"))->text(), docPath);
    // Another workflow does not see them.
    document::Workflow other = wf;
    other.setName(QStringLiteral("Another app"));
    panels::RunInputsDialog fresh(other);
    QVERIFY(field<QLineEdit>(fresh, QStringLiteral("name"))->text().isEmpty());
}

void TestRunDialogs::runInputsForChatflows()
{
    const document::Workflow wf = fixture("advanced-chat");
    QSettings().remove(panels::RunInputsDialog::settingsGroup(wf));
    panels::RunInputsDialog dialog(wf);
    const QStringList names = dialog.fieldNames();
    QCOMPARE(names.first(), QStringLiteral("sys.query"));
    QCOMPARE(names.last(), QStringLiteral("sys.files"));
    field<QLineEdit>(dialog, QStringLiteral("name"))->setText(QStringLiteral("Bo"));
    QVERIFY(!dialog.validate());
    QVERIFY(dialog.errorLabel(QStringLiteral("sys.query"))->isVisibleTo(&dialog));
    field<QLineEdit>(dialog, QStringLiteral("sys.query"))->setText(QStringLiteral("hi there"));
    field<QPlainTextEdit>(dialog, QStringLiteral("sys.files"))
        ->setPlainText(QStringLiteral(FLOWBENCH_SOURCE_DIR "/resources/examples/hello_branching.yml"
                                                           "\n"));
    QVERIFY(dialog.validate());
    QCOMPARE(dialog.runInputs().query, QStringLiteral("hi there"));
    QCOMPARE(dialog.runInputs().files.size(), std::size_t(1));
    QVERIFY(dialog.runInputs().files[0]["name"] == "hello_branching.yml");
    field<QPlainTextEdit>(dialog, QStringLiteral("sys.files"))
        ->setPlainText(QStringLiteral("/no/such/file.png"));
    QVERIFY(!dialog.validate());
    QVERIFY(dialog.errorLabel(QStringLiteral("sys.files"))
                ->text()
                .contains(QLatin1String("/no/such/file.png")));
}

void TestRunDialogs::singleNodeInputsPrefillAndEdit()
{
    const document::Workflow wf = fixture("workflow");
    const document::Node *node = wf.node(QStringLiteral("llm"));
    QVERIFY(node);
    const QList<QStringList> selectors = panels::SingleNodeInputsDialog::referencedSelectors(*node);
    QCOMPARE(selectors, (QList<QStringList>{sl({"start", "name"}), sl({"sys", "query"}),
                                            sl({"start", "tone"}), sl({"start", "config"})}));
    const Json pool = {{"start", {{"name", "Ada"}, {"tone", "formal"}, {"config", {{"k", 1}}}}},
                       {"other", {{"x", 1}}}};
    panels::SingleNodeInputsDialog dialog(wf, QStringLiteral("llm"), pool);
    QCOMPARE(dialog.objectName(), QStringLiteral("dialog.singleNodeInputs"));
    QCOMPARE(dialog.editor(sl({"start", "name"}))->toPlainText(), QStringLiteral("Ada"));
    QCOMPARE(dialog.typeSwitch(sl({"start", "name"}))->currentData().toString(),
             QStringLiteral("text"));
    QCOMPARE(dialog.typeSwitch(sl({"start", "config"}))->currentData().toString(),
             QStringLiteral("json"));
    QVERIFY(dialog.editor(sl({"sys", "query"}))->toPlainText().isEmpty()); // not in the pool
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.grab().save(QStringLiteral("/tmp/p3-singlenode.png"));

    dialog.editor(sl({"start", "config"}))->setPlainText(QStringLiteral("{\"k\": "));
    QVERIFY(!dialog.validate());
    QVERIFY(
        dialog.findChild<QLabel *>(QStringLiteral("singleNode.error.start.config"))->isVisible());
    dialog.editor(sl({"start", "config"}))->setPlainText(QStringLiteral("{\"k\": 2}"));
    dialog.editor(sl({"start", "name"}))->setPlainText(QStringLiteral("Grace"));
    dialog.editor(sl({"sys", "query"}))->setPlainText(QStringLiteral("why?"));
    QVERIFY(dialog.validate());
    const Json result = dialog.poolSnapshot();
    QVERIFY(result["start"]["name"] == "Grace");
    QVERIFY(result["start"]["config"] == (Json{{"k", 2}}));
    QVERIFY(result["start"]["tone"] == "formal");
    QVERIFY(result["sys"]["query"] == "why?");
    QVERIFY(result["other"]["x"] == 1); // the rest of the pool stays
}

void TestRunDialogs::settingsAddProfilePersists()
{
    QTemporaryDir config;
    llm::ProfileStore store(config.path());
    QVERIFY(store.load());
    panels::SettingsDialog dialog(&store);
    QCOMPARE(dialog.objectName(), QStringLiteral("dialog.settings"));
    panels::ProfileEditor *editor = dialog.profileEditor();
    QCOMPARE(editor->profileNames(), QStringList{llm::ProfileStore::defaultProfileName()});
    dialog.findChild<QPushButton *>(QStringLiteral("endpoint.add"))->click();
    QCOMPARE(editor->profileList()->count(), 2);
    auto *name = dialog.findChild<QLineEdit *>(QStringLiteral("endpoint.name"));
    name->selectAll();
    QTest::keyClicks(name, QStringLiteral("Lab vLLM"));
    auto *url = dialog.findChild<QLineEdit *>(QStringLiteral("endpoint.baseUrl"));
    url->clear();
    QTest::keyClicks(url, QStringLiteral("http://gpu-box:8000/v1"));
    dialog.findChild<QComboBox *>(QStringLiteral("endpoint.model"))
        ->setEditText(QStringLiteral("Qwen/Qwen2.5-7B-Instruct"));
    dialog.findChild<QPlainTextEdit *>(QStringLiteral("endpoint.parameters"))
        ->setPlainText(QStringLiteral("{\"temperature\": 0.2}"));
    dialog.findChild<QPushButton *>(QStringLiteral("endpoint.setDefault"))->click();
    QCOMPARE(editor->defaultProfileName(), QStringLiteral("Lab vLLM"));
    QVERIFY(store.profileNames().size() == 1); // nothing written before OK
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.grab().save(QStringLiteral("/tmp/p3-settings-endpoints.png"));
    clickOk(dialog);
    QVERIFY(!dialog.isVisible());

    llm::ProfileStore reread(config.path());
    QVERIFY(reread.load());
    const auto saved = reread.profile(QStringLiteral("Lab vLLM"));
    QVERIFY(saved);
    QCOMPARE(saved->baseUrl, QUrl(QStringLiteral("http://gpu-box:8000/v1")));
    QCOMPARE(saved->defaultModel, QStringLiteral("Qwen/Qwen2.5-7B-Instruct"));
    QVERIFY(saved->defaultParameters == (Json{{"temperature", 0.2}}));
    QCOMPARE(reread.selectedProfileName(), QStringLiteral("Lab vLLM"));

    // A bad URL is refused with the reason, and the dialog stays open.
    panels::SettingsDialog second(&store);
    second.profileEditor()->selectProfile(QStringLiteral("Lab vLLM"));
    second.findChild<QLineEdit *>(QStringLiteral("endpoint.baseUrl"))
        ->setText(QStringLiteral("gpu-box"));
    second.show();
    clickOk(second);
    QVERIFY(second.isVisible());
    auto *message = second.findChild<QLabel *>(QStringLiteral("settings.message"));
    QVERIFY(message->isVisible());
    QVERIFY(message->text().contains(QLatin1String("Lab vLLM")));
    llm::ProfileStore unchanged(config.path());
    QVERIFY(unchanged.load());
    QCOMPARE(unchanged.profile(QStringLiteral("Lab vLLM"))->baseUrl,
             QUrl(QStringLiteral("http://gpu-box:8000/v1")));
}

void TestRunDialogs::settingsStoresKeyWithoutShowingIt()
{
    QTemporaryDir config;
    llm::ProfileStore store(config.path());
    const QString secret = QStringLiteral("sk-test-0123456789");
    {
        panels::SettingsDialog dialog(&store);
        dialog.findChild<QPushButton *>(QStringLiteral("endpoint.add"))->click();
        dialog.findChild<QLineEdit *>(QStringLiteral("endpoint.name"))
            ->setText(QStringLiteral("Hosted"));
        auto *key = dialog.findChild<QLineEdit *>(QStringLiteral("endpoint.apiKey"));
        QCOMPARE(key->echoMode(), QLineEdit::Password);
        QTest::keyClicks(key, secret);
        // No keychain on a test machine: the user agrees to the private file.
        dialog.findChild<QCheckBox *>(QStringLiteral("endpoint.keyInFile"))->setChecked(true);
        QSignalSpy stored(dialog.profileEditor(), &panels::ProfileEditor::keyStored);
        dialog.show();
        clickOk(dialog);
        QVERIFY(stored.wait(15000));
        QVERIFY2(stored.at(0).at(1).toBool(), qPrintable(stored.at(0).at(2).toString()));
    }
    QFile profiles(store.profilesFilePath());
    QVERIFY(profiles.open(QIODevice::ReadOnly));
    QVERIFY(!profiles.readAll().contains(secret.toUtf8())); // never in endpoints.json

    panels::SettingsDialog again(&store);
    again.profileEditor()->selectProfile(QStringLiteral("Hosted"));
    auto *key = again.findChild<QLineEdit *>(QStringLiteral("endpoint.apiKey"));
    QTRY_VERIFY_WITH_TIMEOUT(key->placeholderText().startsWith(QStringLiteral("••••")), 15000);
    QVERIFY(key->text().isEmpty()); // the stored key is never shown
    QVERIFY(again.findChild<QPushButton *>(QStringLiteral("endpoint.forgetKey"))->isEnabled());

    // Leave no test key in a developer's real keychain.
    bool deleted = false;
    store.deleteApiKey(QStringLiteral("Hosted"), [&deleted](Result<void>) { deleted = true; });
    QTRY_VERIFY_WITH_TIMEOUT(deleted, 15000);
}

void TestRunDialogs::settingsWritesPreferences()
{
    QTemporaryDir config;
    llm::ProfileStore store(config.path());
    panels::SettingsDialog dialog(&store);
    QSignalSpy applied(&dialog, &panels::SettingsDialog::settingsApplied);
    dialog.setCurrentPage(panels::SettingsDialog::AppearancePage);
    auto *theme = dialog.findChild<QComboBox *>(QStringLiteral("settings.theme"));
    theme->setCurrentIndex(theme->findData(QStringLiteral("dark")));
    auto *language = dialog.findChild<QComboBox *>(QStringLiteral("settings.language"));
    language->setCurrentIndex(language->findData(QStringLiteral("zh_CN")));
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("settings.language.note")));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.grab().save(QStringLiteral("/tmp/p3-settings-appearance.png"));
    dialog.findChild<QDoubleSpinBox *>(QStringLiteral("settings.autosave"))->setValue(2.0);
    dialog.setCurrentPage(panels::SettingsDialog::GeneralPage);
    dialog.grab().save(QStringLiteral("/tmp/p3-settings-general.png"));

    dialog.setCurrentPage(panels::SettingsDialog::PythonPage);
    auto *python = dialog.findChild<QLineEdit *>(QStringLiteral("settings.python"));
    QSignalSpy checked(&dialog, &panels::SettingsDialog::pythonChecked);
    dialog.checkPython(); // python3 from PATH
    QVERIFY(checked.wait(10000));
    QVERIFY2(checked.at(0).at(0).toBool(), qPrintable(checked.at(0).at(1).toString()));
    QVERIFY(checked.at(0).at(1).toString().startsWith(QLatin1String("Python 3")));
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("settings.python.status"))
                ->text()
                .contains(QLatin1String("Python 3")));
    dialog.grab().save(QStringLiteral("/tmp/p3-settings-python.png"));
    python->setText(QStringLiteral("/no/such/python"));
    dialog.checkPython();
    QVERIFY(checked.wait(10000));
    QVERIFY(!checked.at(1).at(0).toBool());
    python->setText(QStringLiteral("/usr/bin/python3"));

    dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Apply)->click();
    QCOMPARE(applied.size(), 1);
    QVERIFY(dialog.isVisible()); // Apply keeps it open
    QSettings settings;
    QCOMPARE(settings.value(QStringLiteral("ui/theme")).toString(), QStringLiteral("dark"));
    QCOMPARE(settings.value(QStringLiteral("ui/language")).toString(), QStringLiteral("zh_CN"));
    QCOMPARE(settings.value(QStringLiteral("autosave/intervalSeconds")).toInt(), 120);
    QCOMPARE(settings.value(QStringLiteral("python/interpreter")).toString(),
             QStringLiteral("/usr/bin/python3"));

    // Reopened, the dialog shows what was saved.
    panels::SettingsDialog again(&store);
    QCOMPARE(again.findChild<QComboBox *>(QStringLiteral("settings.theme"))->currentData(),
             QVariant(QStringLiteral("dark")));
    QCOMPARE(again.findChild<QDoubleSpinBox *>(QStringLiteral("settings.autosave"))->value(), 2.0);
}

void TestRunDialogs::settingsCancelDiscards()
{
    QTemporaryDir config;
    llm::ProfileStore store(config.path());
    QSettings().setValue(QStringLiteral("ui/theme"), QStringLiteral("light"));
    panels::SettingsDialog dialog(&store);
    auto *theme = dialog.findChild<QComboBox *>(QStringLiteral("settings.theme"));
    QCOMPARE(theme->currentData().toString(), QStringLiteral("light"));
    theme->setCurrentIndex(theme->findData(QStringLiteral("dark")));
    dialog.findChild<QPushButton *>(QStringLiteral("endpoint.add"))->click();
    dialog.show();
    dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Cancel)->click();
    QVERIFY(!dialog.isVisible());
    QCOMPARE(QSettings().value(QStringLiteral("ui/theme")).toString(), QStringLiteral("light"));
    llm::ProfileStore reread(config.path());
    QVERIFY(reread.load());
    QCOMPARE(reread.profileNames().size(), 1);
}

void TestRunDialogs::testConnectionAgainstSimulator()
{
    llm::Simulator simulator;
    const quint16 port = simulator.listen();
    QVERIFY(port != 0);
    QTemporaryDir config;
    llm::ProfileStore store(config.path());
    panels::SettingsDialog dialog(&store);
    dialog.findChild<QPushButton *>(QStringLiteral("endpoint.add"))->click();
    auto *kind = dialog.findChild<QComboBox *>(QStringLiteral("endpoint.kind"));
    kind->setCurrentIndex(kind->findData(QStringLiteral("vllm")));
    dialog.findChild<QLineEdit *>(QStringLiteral("endpoint.name"))
        ->setText(QStringLiteral("Local sim"));
    dialog.findChild<QLineEdit *>(QStringLiteral("endpoint.baseUrl"))
        ->setText(QStringLiteral("http://127.0.0.1:%1/v1").arg(port));
    dialog.findChild<QComboBox *>(QStringLiteral("endpoint.model"))
        ->setEditText(simulator.config().model);
    panels::ProfileEditor *editor = dialog.profileEditor();
    QSignalSpy checked(editor, &panels::ProfileEditor::connectionChecked);
    dialog.findChild<QPushButton *>(QStringLiteral("endpoint.test"))->click();
    QTRY_VERIFY_WITH_TIMEOUT(editor->connectionState() != llm::ConnectionCheck::State::Checking,
                             10000);
    QCOMPARE(editor->connectionState(), llm::ConnectionCheck::State::Connected);
    const QString text = editor->connectionLabel()->text();
    QVERIFY2(text.contains(QLatin1String("Connected")), qPrintable(text));
    QVERIFY2(text.contains(simulator.config().model), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("max_model_len")), qPrintable(text));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.grab().save(QStringLiteral("/tmp/p3-settings-connected.png"));

    // A model the server does not serve.
    dialog.findChild<QComboBox *>(QStringLiteral("endpoint.model"))
        ->setEditText(QStringLiteral("no-such-model"));
    dialog.findChild<QPushButton *>(QStringLiteral("endpoint.test"))->click();
    QTRY_VERIFY_WITH_TIMEOUT(editor->connectionState() != llm::ConnectionCheck::State::Checking,
                             10000);
    QCOMPARE(editor->connectionState(), llm::ConnectionCheck::State::ModelMissing);
}

void TestRunDialogs::testConnectionUnreachable()
{
    // A port nothing listens on: bind one, then close it.
    quint16 port = 0;
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        port = server.serverPort();
    }
    QTemporaryDir config;
    llm::ProfileStore store(config.path());
    panels::SettingsDialog dialog(&store);
    dialog.findChild<QPushButton *>(QStringLiteral("endpoint.add"))->click();
    dialog.findChild<QLineEdit *>(QStringLiteral("endpoint.baseUrl"))
        ->setText(QStringLiteral("http://127.0.0.1:%1/v1").arg(port));
    panels::ProfileEditor *editor = dialog.profileEditor();
    dialog.findChild<QPushButton *>(QStringLiteral("endpoint.test"))->click();
    QTRY_VERIFY_WITH_TIMEOUT(editor->connectionState() != llm::ConnectionCheck::State::Checking,
                             10000);
    QCOMPARE(editor->connectionState(), llm::ConnectionCheck::State::Unreachable);
    QVERIFY(editor->connectionLabel()->text().contains(QLatin1String("Unreachable")));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.grab().save(QStringLiteral("/tmp/p3-settings-unreachable.png"));
}

QTEST_MAIN(TestRunDialogs)
#include "tst_rundialogs.moc"

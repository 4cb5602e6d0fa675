// The workbench state (`flowbench` object): breakpoints, conditions, pinned outputs survive a
// round trip, unknown keys are kept, and the edits toggle, undo and redo as a user expects.
#include "document/edits.h"
#include "document/workbenchstate.h"

#include <QTest>

using namespace flowbench::document;

class TestWorkbenchState : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripKeepsUnknownKeys()
    {
        Json in = Json::object();
        in["breakpoints"] = Json::array({"b", "a", 7, "b"}); // junk and a repeat are dropped
        in["breakpoint_conditions"]
            = Json{{"b", "v(\"sys.query\") == 'x'"}, {"gone", "1"}, {"a", 3}};
        in["pinned_outputs"] = Json{{"p", Json{{"text", "fixed"}}}, {"q", 3}};
        in["endpoint_profile"] = "Local vLLM";
        in["future_key"] = Json::array({1, 2});
        const WorkbenchState state = WorkbenchState::fromJson(in);
        QCOMPARE(state.breakpoints, (QStringList{QStringLiteral("b"), QStringLiteral("a")}));
        // Only breakpoints carry conditions; a non-string condition is skipped.
        QCOMPARE(state.breakpointConditions.size(), 1);
        QCOMPARE(state.breakpointConditions.value(QStringLiteral("b")),
                 QStringLiteral("v(\"sys.query\") == 'x'"));
        QCOMPARE(state.pinnedOutputs.size(), 1); // "q" is not an outputs object
        QCOMPARE(state.endpointProfile, QStringLiteral("Local vLLM"));
        const Json out = state.toJson();
        QVERIFY(out["future_key"] == Json::array({1, 2}));
        // The order they were set in is kept.
        QVERIFY(out["breakpoints"] == Json::array({"b", "a"}));
        QVERIFY(out["breakpoint_conditions"].size() == 1);
        QVERIFY(WorkbenchState::fromJson(out).toJson() == out);
    }

    void toggleUndoRedo()
    {
        Workflow wf;
        wf.flowbench = Json{{"keep", true}};
        Edit inverse = applyEdit(wf, makeToggleBreakpointEdit(wf, QStringLiteral("n1")));
        QVERIFY(workbenchState(wf).breakpoints.contains(QStringLiteral("n1")));
        QVERIFY(wf.flowbench["keep"] == Json(true));
        Edit redo = applyEdit(wf, inverse);
        QVERIFY(workbenchState(wf).breakpoints.isEmpty());
        applyEdit(wf, redo);
        QVERIFY(workbenchState(wf).breakpoints.contains(QStringLiteral("n1")));

        applyEdit(
            wf, makeSetBreakpointConditionEdit(wf, QStringLiteral("n1"), QStringLiteral("1 > 0")));
        QCOMPARE(workbenchState(wf).breakpointConditions.value(QStringLiteral("n1")),
                 QStringLiteral("1 > 0"));
        // Removing the breakpoint drops its condition too.
        applyEdit(wf, makeToggleBreakpointEdit(wf, QStringLiteral("n1")));
        QVERIFY(workbenchState(wf).breakpointConditions.isEmpty());
    }

    void toggleSeveral()
    {
        Workflow wf;
        applyEdit(wf, makeToggleBreakpointEdit(wf, QStringLiteral("a")));
        // Not all set: sets the missing ones, keeps "a".
        applyEdit(wf, makeToggleBreakpointsEdit(wf, {QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(workbenchState(wf).breakpoints,
                 (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        // All set: removes them all.
        const Edit edit = makeToggleBreakpointsEdit(wf, {QStringLiteral("a"), QStringLiteral("b")});
        QVERIFY(edit.name.contains(QLatin1String("Remove")));
        applyEdit(wf, edit);
        QVERIFY(workbenchState(wf).breakpoints.isEmpty());
    }

    void pinAndUnpin()
    {
        Workflow wf;
        applyEdit(wf, makePinOutputsEdit(wf, QStringLiteral("llm"), Json{{"text", "hi"}}));
        QVERIFY(workbenchState(wf).pinnedOutputs.value(QStringLiteral("llm"))
                == (Json{{"text", "hi"}}));
        applyEdit(wf, makeUnpinOutputsEdit(wf, QStringLiteral("llm")));
        QVERIFY(workbenchState(wf).pinnedOutputs.isEmpty());
        QVERIFY(wf.flowbench.empty());
    }
};

QTEST_GUILESS_MAIN(TestWorkbenchState)
#include "tst_workbenchstate.moc"

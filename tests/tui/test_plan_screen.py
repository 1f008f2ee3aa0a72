"""The action plan in the app: the plan screen, editing an entry by keyboard, sign-off and
reopening from the results, and issue 14's walkthrough from a completed assessment to a
reopened one, every step in the history view and in the store."""

from __future__ import annotations

import datetime

from textual.widgets import Input, RadioSet

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import SignedOff, Store
from assess.tui.app import AssessApp
from assess.tui.demo import demo_answers
from assess.tui.screens.history import HistoryScreen
from assess.tui.screens.modals import ConfirmModal
from assess.tui.screens.pick import PickModal
from assess.tui.screens.plan import PlanEntryModal, PlanScreen, plan_lines
from assess.tui.screens.results import ResultsScreen
from assess.tui.screens.review import ReviewScreen
from assess.tui.screens.signoff import ReopenModal, SignOffModal

from .helpers import asynctest, report_text, screen_text, settle, type_text

TODAY = "2027-03-01"


def flat(app: AssessApp) -> str:
    """The screen's text with its line breaks and runs of spaces as single spaces."""
    return " ".join(screen_text(app).split())


def fixed_store(db) -> Store:  # type: ignore[no-untyped-def]
    return Store.open(db, clock=lambda: f"{TODAY}T10:00:00.000Z")


async def set_status(pilot, status: str) -> None:  # type: ignore[no-untyped-def]
    """In the entry dialog, move to the status and press the one wanted, by keyboard."""
    modal = pilot.app.screen
    assert isinstance(modal, PlanEntryModal)
    radios = modal.query_one(RadioSet)
    while not radios.has_focus:
        await pilot.press("tab")
    order = ["not started", "in progress", "done", "dropped"]
    await pilot.press("home")
    for _ in range(order.index(status)):
        await pilot.press("right")
    await pilot.press("enter")
    await settle(pilot, lambda: modal.status == status, f"the status {status}")


async def fill(pilot, box: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Go to a box of the entry dialog, clear it and type `text`."""
    modal = pilot.app.screen
    field = modal.query_one(f"#{box}", Input)
    while not field.has_focus:
        await pilot.press("tab")
    await pilot.press("end")
    while field.value:
        await pilot.press("backspace")
    await type_text(pilot, text)
    await settle(pilot, lambda: field.value == text, f"{box} typed")


def test_plan_lines_put_overdue_first_then_gap_order(db, bank: Bank) -> None:  # type: ignore[no-untyped-def]
    store = fixed_store(db)
    made = store.create(authority="Borsetshire", answers=demo_answers(bank))
    gaps = [g.id for g in made.result.gaps]
    store.save_plan(
        made.id,
        {
            gaps[0]: {"status": "done"},
            gaps[2]: {"due": "2027-01-31", "status": "in progress"},  # overdue on 1 March
        },
    )
    lines = plan_lines(store.get(made.id), datetime.date.fromisoformat(TODAY))
    # Overdue first; then the gap with no entry, in gap order; then what is done.
    assert [line.id for line in lines] == [gaps[2], gaps[1], gaps[0]]
    assert lines[0].overdue and lines[1].entry is None and lines[2].entry is not None


@asynctest
async def test_a_bad_due_date_is_refused_with_the_reason_and_nothing_saved(db, bank: Bank) -> None:  # type: ignore[no-untyped-def]
    store = fixed_store(db)
    made = store.create(authority="Borsetshire", answers=demo_answers(bank))
    app = AssessApp(store, cursor_blink=False, handle_signals=False, remember_theme=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(PlanScreen(made.id))
        await settle(pilot, lambda: isinstance(app.screen, PlanScreen), "the plan")
        await pilot.press("d")
        await settle(pilot, lambda: isinstance(app.screen, PlanEntryModal), "the entry")
        for typed, reason in (
            ("31/03/2027", "is not a date written as YYYY-MM-DD"),
            ("2027-02-30", "is not a real date"),
        ):
            await fill(pilot, "due", typed)
            await pilot.press("enter")
            await settle(pilot, lambda r=reason: r in screen_text(app), reason)
            assert isinstance(app.screen, PlanEntryModal)
            assert app.screen.query_one("#due", Input).has_focus  # the cursor is where to fix it
        await set_status(pilot, "dropped")
        await fill(pilot, "due", "2027-03-31")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "dropped action needs a reason" in screen_text(app), "why")
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, PlanScreen), "back")
    assert store.get(made.id).plan == {}
    assert store.get(made.id).revision == made.revision


@asynctest
async def test_issue_14_walkthrough(db, bank: Bank) -> None:  # type: ignore[no-untyped-def]
    """Complete an assessment, open the plan from a gap, set owner, due date and status on
    three entries, sign off, try to change it (refused, with the reason), reopen with a
    reason, and find every step in the history view and in the store."""
    store = fixed_store(db)
    answers = demo_answers(bank)
    made = store.create(authority="Borsetshire", service="Waste", assessor="Ann", answers=answers)
    gaps = [g.id for g in made.result.gaps]
    assert len(gaps) >= 3
    app = AssessApp(store, cursor_blink=False, handle_signals=False, remember_theme=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        # Complete it on the review screen.
        app.push_screen(ReviewScreen(made.id))
        await settle(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review")
        await pilot.press("m")
        await settle(
            pilot,
            lambda: isinstance(app.screen, ConfirmModal) or store.get(made.id).status == "complete",
            "asked or done",
        )
        if isinstance(app.screen, ConfirmModal):
            await pilot.press("y")
        await settle(pilot, lambda: store.get(made.id).status == "complete", "complete")
        await pilot.press("escape")

        # The results; G picks the first gap and opens its plan entry.
        app.push_screen(ResultsScreen(made.id))
        await settle(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
        results = app.screen
        await pilot.press("g")
        await settle(pilot, lambda: isinstance(app.screen, PickModal), "the gaps")
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, PlanEntryModal), "the entry")
        await fill(pilot, "owner", "Jo Bloggs")
        await fill(pilot, "due", "2027-06-30")
        await set_status(pilot, "in progress")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: gaps[0] in store.get(made.id).plan, "saved")
        assert isinstance(app.screen, PlanScreen)

        # Two more entries from the plan screen, by their own keys.
        for qid, owner, due, status in (
            (gaps[1], "Sam Patel", "2027-09-30", "not started"),
            (gaps[2], "Jo Bloggs", "2027-12-31", "done"),
        ):
            plan = app.screen
            assert isinstance(plan, PlanScreen)
            while plan.highlighted_id() != qid:
                await pilot.press("down")
            await pilot.press("o")
            await settle(pilot, lambda: isinstance(app.screen, PlanEntryModal), "the entry")
            await fill(pilot, "owner", owner)
            await fill(pilot, "due", due)
            await set_status(pilot, status)
            await pilot.press("ctrl+s")
            await settle(pilot, lambda q=qid: q in store.get(made.id).plan, "saved")
        plan_now = store.get(made.id).plan
        assert [(plan_now[q].owner, plan_now[q].due, plan_now[q].status) for q in gaps[:3]] == [
            ("Jo Bloggs", datetime.date(2027, 6, 30), "in progress"),
            ("Sam Patel", datetime.date(2027, 9, 30), "not started"),
            ("Jo Bloggs", datetime.date(2027, 12, 31), "done"),
        ]
        # A plan change returned it to draft: complete it again before signing off.
        assert store.get(made.id).status == "draft"
        store.set_status(made.id, "complete", who="Ann")

        # Sign off from the results.
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is results, "the results")
        await pilot.press("o")
        await settle(pilot, lambda: isinstance(app.screen, SignOffModal), "the sign-off")
        assert app.screen.query_one("#name", Input).value == "Ann"
        await type_text(pilot, "Head of Waste")
        await pilot.press("enter")
        await settle(pilot, lambda: store.get(made.id).signed_off, "signed off")
        await settle(pilot, lambda: "signed off, read-only" in screen_text(app), "read-only")

        # Changing it now is refused, with the reason: on the plan screen and in the store.
        await pilot.press("l")
        await settle(pilot, lambda: isinstance(app.screen, PlanScreen), "the plan")
        assert "signed off by Ann (Head of Waste)" in flat(app)
        await pilot.press("enter")
        await settle(pilot, lambda: flat(app).count("so it cannot be changed") == 2, "refused")
        assert isinstance(app.screen, PlanScreen)  # no dialog opened
        try:
            store.save_answer(made.id, gaps[0], Answer(4))
        except SignedOff as exc:
            assert "signed off by Ann (Head of Waste)" in exc.message
        else:
            raise AssertionError("a signed-off assessment took a change")
        await pilot.press("escape")

        # Reopen with a reason.
        await settle(pilot, lambda: app.screen is results, "the results")
        await pilot.press("r")
        await settle(pilot, lambda: isinstance(app.screen, ReopenModal), "the reopening")
        await pilot.press("enter")  # no reason: refused
        await settle(pilot, lambda: "Say why it is being reopened" in screen_text(app), "why")
        await type_text(pilot, "Owners changed after the restructure")
        await pilot.press("enter")
        await settle(pilot, lambda: not store.get(made.id).signed_off, "reopened")

        # Every step is in the history view.
        await pilot.press("h")
        await settle(pilot, lambda: isinstance(app.screen, HistoryScreen), "the history")
        await settle(pilot, lambda: bool(app.screen.query(".report-part")), "drawn")
        history = " ".join(report_text(app.screen).split())
        first = bank.question(gaps[0])
        assert first is not None
        for words in (
            "Status: draft → complete",
            f"Action plan entry for “{first.text}” added",
            "owner “Jo Bloggs”",
            "due date 2027-06-30",
            "status in progress",
            "status done",
            "Signed off by “Ann” (Head of Waste) on 2027-03-01; review by 2027-09-01",
            "Reopened for changes, because “Owners changed after the restructure”",
            "Sign-off by “Ann” of 2027-03-01 withdrawn",
        ):
            assert words in history, words

    # And in the store, in order.
    final = store.get(made.id)
    details = [(e.field, e.after) for e in final.history if e.kind == "detail"]
    assert ("status", "complete") in details
    signed = [a for f, a in details if f == "signoff"]
    assert signed[0]["name"] == "Ann" and signed[0]["role"] == "Head of Waste"
    assert signed[-1] is None
    assert ("reopened", "Owners changed after the restructure") in details
    plan_changes = [e for e in final.history if e.kind == "plan"]
    assert {e.question_id for e in plan_changes} == set(gaps[:3])
    assert all(e.who for e in final.history)

"""The settling walk-through's keys (a level outside the officers' views refused, N/A where
one of them said so, Backspace, leaving with settled items unsaved) and the history in words
(every kind of change, one question or the whole assessment)."""

from __future__ import annotations

from textual.widgets import Static

from assess.domain.answers import Answer
from assess.domain.assessment import HistoryEntry
from assess.domain.bank import Bank
from assess.domain.compare import compare
from assess.reports.history import describe, history_document
from assess.store import Store
from assess.tui.app import AssessApp
from assess.tui.screens.compare import CompareScreen
from assess.tui.screens.history import HistoryScreen
from assess.tui.screens.home import HomeScreen
from assess.tui.screens.modals import ConfirmModal
from assess.tui.screens.settle import SettleScreen

from .helpers import asynctest, report_text, screen_text, settle, static_text


def app_for(store: Store) -> AssessApp:
    return AssessApp(store, cursor_blink=False, handle_signals=False, remember_theme=False)


def flat(text: str) -> str:
    return " ".join(text.split())


def two_officers(store: Store) -> list[str]:
    views = (
        (
            "Ann",
            {
                "R-LEAD-OWNERSHIP": Answer(1, None, "Leader only"),
                "R-FIT-WELLBEING": Answer(None, "A county matter"),
            },
        ),
        ("Bob", {"R-LEAD-OWNERSHIP": Answer(3, None, "Both own it"), "R-FIT-WELLBEING": Answer(2)}),
    )
    return [
        store.create(
            authority="Borsetshire",
            service="Waste",
            assessor=who,
            period="2026/27",
            answers=answers,
        ).id
        for who, answers in views
    ]


def prompt(walk: SettleScreen) -> str:
    return flat(static_text(walk.query_one("#settle-prompt", Static)))


@asynctest
async def test_settling_keys(db) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(db)
    ids = two_officers(store)
    comparison = compare([store.get(i) for i in ids])
    app = app_for(store)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.push_screen(CompareScreen(ids))
        await settle(pilot, lambda: bool(app.screen.query(".report-part")), "the report")
        compare_screen = app.screen
        await pilot.press("s")
        await settle(pilot, lambda: isinstance(app.screen, SettleScreen), "the settling")
        walk = app.screen
        assert isinstance(walk, SettleScreen)
        first = walk.item
        assert first is not None and first.id in {"R-LEAD-OWNERSHIP", "R-FIT-WELLBEING"}
        ownership = next(i for i in walk.open_items if i.id == "R-LEAD-OWNERSHIP")
        while walk.item is not ownership:
            await pilot.press("right")
        shown = flat(screen_text(app))
        assert "Ann: level 1 – Planned Leader only" in shown
        assert "Bob: level 3 – Largely in place Both own it" in shown
        assert prompt(walk) == "Type the agreed level: 1, 2 or 3."
        await pilot.press("4")  # not between their views: refused, nothing settled
        await settle(pilot, lambda: "Not level 4" in flat(screen_text(app)), "the refusal")
        assert walk.settled == {}
        await pilot.press("a")  # nobody said n/a here
        await settle(pilot, lambda: "Not not applicable" in flat(screen_text(app)), "refused")
        await pilot.press("2")
        await settle(pilot, lambda: walk.settled.get("R-LEAD-OWNERSHIP") == 2, "settled")
        await pilot.press("left")
        await settle(pilot, lambda: walk.item is ownership, "back to it")
        assert prompt(walk).startswith("Settled at level 2 – In progress.")
        await pilot.press("backspace")
        await settle(pilot, lambda: "R-LEAD-OWNERSHIP" not in walk.settled, "undone")
        await pilot.press("3")
        wellbeing = next(i for i in walk.open_items if i.id == "R-FIT-WELLBEING")
        while walk.item is not wellbeing:
            await pilot.press("left" if walk.item is None else "right")
        assert "Ann: not applicable: A county matter" in flat(screen_text(app))
        assert prompt(walk) == "Type the agreed level: 2, or A for not applicable."
        await pilot.press("a")
        await settle(pilot, lambda: walk.settled.get("R-FIT-WELLBEING", 0) is None, "n/a")
        # Back to the comparison: the report shows the consensus as settled, not saved yet.
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is compare_screen, "the comparison")
        report = flat(report_text(compare_screen))
        assert "2 settled by the officers; 0 left to settle" in report
        assert compare_screen.comparison is not None
        assert dict(compare_screen.comparison.settled) == {
            "R-LEAD-OWNERSHIP": 3,
            "R-FIT-WELLBEING": None,
        }
        # Leaving now would lose what was settled: asked first; No stays.
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmModal), "the question")
        await pilot.press("n")
        await settle(pilot, lambda: app.screen is compare_screen, "stayed")
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmModal), "the question")
        await pilot.press("y")
        await settle(pilot, lambda: isinstance(app.screen, HomeScreen), "left")
    assert len(store.list()) == 2  # nothing was saved
    assert comparison.kind == "across officers"


def entry(**fields: object) -> HistoryEntry:
    base: dict[str, object] = {"at": "2027-03-01T10:00:00.000Z", "who": "Ann", "question_id": ""}
    base.update(fields)
    return HistoryEntry(**base)  # type: ignore[arg-type]


def test_every_kind_of_change_in_words(bank: Bank) -> None:
    q = bank.question("R-LEAD-OWNERSHIP")
    assert q is not None
    name = f"“{q.text}”"
    cases = [
        (
            entry(
                question_id=q.id, before={"value": 1}, after={"value": 3, "evidence": "Minute 4"}
            ),
            f"Answer to {name}: 1 – Planned → 3 – Largely in place; evidence noted: “Minute 4”",
        ),
        (entry(question_id=q.id, before={"value": 3}, after=None), f"Answer to {name} cleared"),
        (
            entry(question_id="R-FIT-WELLBEING", before=None, after={"na": "Not ours"}),
            "not applicable (“Not ours”)",  # a criterion that may be marked not applicable
        ),
        (
            entry(
                kind="plan",
                question_id=q.id,
                before={"action": "Do it", "status": "not started"},
                after={"action": "Do it", "status": "dropped", "reason": "Merged", "owner": "Jo"},
            ),
            f"Action plan for {name}: owner none → “Jo”; status not started → dropped; reason "
            "for dropping none → “Merged”",
        ),
        (entry(kind="plan", question_id=q.id, before={"action": "x"}, after=None), "removed"),
        (
            entry(kind="detail", field="stage", before=0, after=1),
            "Stage: 0, Exploring → 1, Options",
        ),
        (
            entry(kind="detail", field="period", before="2026/27", after="2027/28"),
            "Period: 2026/27 → 2027/28",
        ),
        (
            entry(kind="detail", field="status", before="complete", after="draft"),
            "Status: complete → draft",
        ),
        (
            entry(kind="detail", field="assessor", before="Ann", after="Bob"),
            "Assessor: “Ann” → “Bob”",
        ),
        (
            entry(kind="detail", field="confidence", before="", after="Amber"),
            "Officer's own delivery confidence: none → Amber",
        ),
        (
            entry(kind="detail", field="reopened", before=None, after="Audit"),
            "Reopened for changes, because “Audit”",
        ),
    ]
    for change, words in cases:
        assert words in describe(bank, change), (change, describe(bank, change))
    # Text from data stays as typed (the renderers make it harmless): never cut to nothing.
    odd = entry(question_id=q.id, before=None, after={"value": 2, "evidence": "[b]x[/b] =SUM(A1)"})
    assert "“[b]x[/b] =SUM(A1)”" in describe(bank, odd)


@asynctest
async def test_one_questions_history_then_the_whole(db, bank: Bank) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(db)
    made = store.create(authority="Borsetshire", answers={"R-LEAD-OWNERSHIP": Answer(1)})
    store.save_answer(made.id, "R-LEAD-OWNERSHIP", Answer(2), who="Bob")
    store.save_answer(made.id, "R-CASE-RIGOUR", Answer(3), who="Bob")
    store.set_details(made.id, period="2026/27", who="Cat")
    whole = history_document(store.get(made.id))
    assert whole.title == "History: Borsetshire"
    app = app_for(store)
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(HistoryScreen(made.id, "R-LEAD-OWNERSHIP"))
        await settle(pilot, lambda: bool(app.screen.query(".report-part")), "drawn")
        text = flat(report_text(app.screen))
        assert "1 – Planned → 2 – In progress" in text and "· Bob" in text
        assert "Period" not in text and "R-CASE-RIGOUR" not in text
        assert "Whole assessment" in screen_text(app)
        await pilot.press("a")
        await settle(
            pilot, lambda: "Period: none → 2026/27" in flat(report_text(app.screen)), "all"
        )
        assert "Whole assessment" not in screen_text(app)

"""Issue 15's story, through the app: this year's assessment of a district council's waste
service, next year's copy with the work done, a colleague's view of this year, their
consensus settled item by item, then the comparison over time from a chosen baseline;
the kinds, the directions of change, the settled consensus and the store at the end."""

from __future__ import annotations

from fractions import Fraction

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.domain.compare import Comparison, compare
from assess.domain.consensus import SETTLED, consensus
from assess.store import Store
from assess.tui.app import AssessApp
from assess.tui.demo import demo_answers
from assess.tui.screens.compare import CompareScreen
from assess.tui.screens.home import HomeScreen
from assess.tui.screens.modals import ConfirmModal
from assess.tui.screens.pick import PickModal
from assess.tui.screens.settle import SettleScreen

from .helpers import asynctest, report_text, screen_text, settle

AUTHORITY = "Borsetshire District Council"
SERVICE = "Waste and recycling"


def flat(text: str) -> str:
    return " ".join(text.split())


async def select_on_home(pilot, ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Select each of `ids` on the home screen with Space, moving to its row first."""
    home = pilot.app.screen
    assert isinstance(home, HomeScreen)
    for wanted in ids:
        row = next(i for i, s in enumerate(home.shown) if s.id == wanted)
        while home.table.cursor_row != row:
            await pilot.press("down" if home.table.cursor_row < row else "up")
        await pilot.press("space")
        await settle(pilot, lambda w=wanted: w in home.selected, "selected")


async def wait_for_report(pilot) -> CompareScreen:  # type: ignore[no-untyped-def]
    await settle(pilot, lambda: isinstance(pilot.app.screen, CompareScreen), "the comparison")
    screen = pilot.app.screen
    await settle(pilot, lambda: bool(screen.query(".report-part")), "the report")
    assert isinstance(screen, CompareScreen)
    return screen


@asynctest
async def test_the_story_of_one_service_over_two_years_and_two_officers(db, bank: Bank) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(db)
    answers = demo_answers(bank)
    ann = store.create(
        authority=AUTHORITY,
        service=SERVICE,
        assessor="Ann Smith-Watson",
        period="2026/27",
        answers=answers,
    )
    gaps = [g.id for g in ann.result.gaps]
    store.save_plan(ann.id, {gaps[0]: {"owner": "Jo", "status": "in progress"}})
    store.set_status(ann.id, "complete")
    # Next year's copy (the next period is proposed), with the work done on two gaps.
    next_year = store.duplicate(ann.id)
    assert next_year.period == "2027/28" and gaps[0] in next_year.plan
    store.save_answers(next_year.id, {gaps[0]: Answer(4), gaps[1]: Answer(4)})
    store.save_plan(next_year.id, {gaps[0]: {"status": "done"}})
    # A colleague's view of this year: higher on one gap, lower on one strength.
    strength = next(c.id for c in ann.result.applicable if c.level == 4)
    bob_answers = {**answers, gaps[0]: Answer(3, None, "Bob: the sponsors met twice")}
    bob_answers[strength] = Answer(2, None, "Bob: not yet evidenced")
    bob = store.create(
        authority=AUTHORITY,
        service=SERVICE,
        assessor="Bob Jones",
        period="2026/27",
        answers=bob_answers,
    )
    revisions = {a.id: store.get(a.id).revision for a in (ann, next_year, bob)}

    app = AssessApp(store, cursor_blink=False, handle_signals=False, remember_theme=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, HomeScreen), "the list")
        await settle(pilot, lambda: len(app.screen.shown) == 3, "three rows")  # type: ignore[attr-defined]

        # Two officers' views of one authority, service and period: across officers.
        await select_on_home(pilot, [ann.id, bob.id])
        await pilot.press("c")
        officers = await wait_for_report(pilot)
        c = officers.comparison
        assert c is not None and c.kind == "across officers" and c.detected_kind == c.kind
        assert "Compare · across officers" in screen_text(app)
        agreed = consensus(c)
        pending = agreed.to_settle
        assert {item.id for item in pending} == {gaps[0], strength}
        report = flat(report_text(officers))
        assert "Consensus score: not settled yet; between" in report
        assert "Ann Smith-Watson · Bob Jones" not in report  # no trend between officers
        assert "Trend" not in report.split("Readiness by dimension")[1].split("Answers")[0]

        # Settle each item: the screen shows each officer's level and note.
        await pilot.press("s")
        await settle(pilot, lambda: isinstance(app.screen, SettleScreen), "the settling")
        walk = app.screen
        assert isinstance(walk, SettleScreen)
        chosen: dict[str, int] = {}
        for _ in pending:
            item = walk.item
            assert item is not None
            shown = flat(screen_text(app))
            assert item.question.text[:40] in shown
            assert "Ann Smith-Watson: level" in shown and "Bob Jones: level" in shown
            level = max(c for c in item.choices if c is not None)
            chosen[item.id] = level
            await pilot.press(str(level))
            await settle(pilot, lambda i=item: walk.item is not i, "the next item")
        assert walk.item is None  # the summary
        assert f"{len(pending)} of {len(pending)} items settled" in flat(screen_text(app))
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmModal), "the question")
        await pilot.press("y")
        officers = await wait_for_report(pilot)
        consensus_id = officers.saved_id
        assert consensus_id
        assert "Consensus score: " in flat(report_text(officers))
        assert "not settled yet" not in flat(report_text(officers))

        # K: the kind can be changed, and back.
        await pilot.press("k")
        await settle(pilot, lambda: isinstance(app.screen, PickModal), "the kinds")
        await pilot.press("home", "enter")  # over time
        await settle(pilot, lambda: officers.comparison.kind == "over time", "over time")  # type: ignore[union-attr]
        assert "(Chosen by you; they look like a comparison across officers.)" in flat(
            report_text(officers)
        )
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, HomeScreen), "the list")

        # Over time: this year, the consensus of this year, next year; from the consensus.
        app.push_screen(CompareScreen([next_year.id, consensus_id, ann.id]))
        series = await wait_for_report(pilot)
        s = series.comparison
        assert s is not None and s.kind == "over time"
        # In period order, then in the order they were made.
        assert [col.id for col in s.columns] == [ann.id, consensus_id, next_year.id]
        assert [col.label for col in s.columns][-1] == "2027/28"
        await pilot.press("b")
        await settle(pilot, lambda: isinstance(app.screen, PickModal), "the columns")
        await pilot.press("down", "enter")
        await settle(pilot, lambda: series.comparison.baseline.id == consensus_id, "baseline")  # type: ignore[union-attr]
        s = series.comparison
        assert s is not None and s.baseline_chosen
        overall = s.overall_row
        assert overall.deltas[1] == 0 and overall.change is not None and overall.change > 0
        assert overall.trend == "up"
        report = flat(report_text(series))
        assert "(an improvement)" in report and "▲ up" in report
        assert "Each change is measured from" in report and "(the baseline you chose)" in report
        # The consensus has no action plan; measured from this year's, the action is done
        # and its level rose.
        assert "The baseline has no action-plan entries" in report
        await pilot.press("b")
        await settle(pilot, lambda: isinstance(app.screen, PickModal), "the columns")
        await pilot.press("up", "enter")
        await settle(pilot, lambda: series.comparison.baseline.id == ann.id, "baseline")  # type: ignore[union-attr]
        report = flat(report_text(series))
        assert "Done, and the level rose (1)" in report and "(an improvement)" in report

    # The store: the three assessments untouched, and the settled consensus, a new draft.
    assert {a.id: store.get(a.id).revision for a in (ann, next_year, bob)} == revisions
    assert len(store.list()) == 4
    saved = store.get(consensus_id)
    assert saved.status == "draft" and saved.assessor == "Consensus of Ann Smith-Watson, Bob Jones"
    assert (saved.authority, saved.service, saved.period) == (AUTHORITY, SERVICE, "2026/27")
    for qid, level in chosen.items():
        assert saved.answers[qid].level == level
        assert saved.answers[qid].evidence.startswith("Settled by the officers of:")
    assert "Bob: the sponsors met twice" in saved.answers[gaps[0]].evidence
    # The draft scores as the settled consensus does on the comparison.
    again = consensus(officers_comparison(store, ann.id, bob.id).with_settled(chosen))
    assert all(again.item(q).rule == SETTLED for q in chosen)
    assert again.result().overall == saved.result.overall
    assert isinstance(saved.result.overall, Fraction)


def officers_comparison(store: Store, *ids: str) -> Comparison:
    return compare([store.get(i) for i in ids])

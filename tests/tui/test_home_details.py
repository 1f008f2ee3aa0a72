"""The home screen shows what matters, keeps its place, and moves assessments on by stage,
bank and period; the export dialog does what its keys say; the crashes of issue 12 stay gone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import Input, Static

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import Store
from assess.tui.app import AssessApp
from assess.tui.screens.help import HelpScreen
from assess.tui.screens.home import HomeScreen
from assess.tui.screens.modals import ConfirmModal, ExportReportModal
from assess.tui.screens.questionnaire import QuestionnaireScreen
from assess.tui.screens.results import ResultsScreen
from assess.tui.screens.review import ReviewScreen
from tests.tui.helpers import asynctest, screen_text, settle, static_text


def pane(app: AssessApp) -> str:
    return " ".join(static_text(app.screen.query_one("#details", Static), 200).split())


@asynctest
async def test_the_pane_shows_the_whole_row_its_plan_and_a_review_due(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    today = store.clock()[:10]
    year = int(today[:4])
    made = store.create(
        authority="Anytown Borough Council with a long name",
        service="Waste and recycling collection",
        assessor="Alexandra Officer-Smythe",
        period="2026/27",
        stage=1,
        plan={
            "R-CASE-RIGOUR": {"owner": "Finance", "due": f"{year - 1}-01-31"},
            "R-PV-TEST": {"owner": "Policy", "due": f"{year - 1}-02-28"},
            "R-MKT-DIALOGUE": {"owner": "Procurement", "due": f"{year + 1}-09-30"},
        },
    )
    signed = store.create(authority="Signed Council", answers={"R-LEAD-OWNERSHIP": Answer(3)})
    store.set_status(signed.id, "complete")
    Store.open(store.root, clock=lambda: f"{year - 1}-01-10T09:00:00.000Z").sign_off(
        signed.id, name="Pat", role="Chief executive"
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        # Newest first: Anytown (the sign-off was stamped a year ago).
        assert home.highlighted_id() == made.id
        text = pane(app)
        for part in (
            "Anytown Borough Council with a long name — Waste and recycling collection",
            "Assessor: Alexandra Officer-Smythe",
            "Period: 2026/27",
            "Stage 1, Options and business case",
            "3 actions, 2 overdue",
        ):
            assert part in text, (part, text)
        await pilot.press("down")
        await settle(pilot, lambda: "Signed Council" in pane(app), "the other row")
        assert "its review was due on" in pane(app)
        assert "review due" in screen_text(app)
        # Space is on the key bar and in the help, saying that it moves on.
        assert "Space" in screen_text(app).splitlines()[-2] + screen_text(app).splitlines()[-1]
        await pilot.press("f1")
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        assert "and move to the next one" in " ".join(screen_text(app).split())


@asynctest
async def test_next_stage_asks_first_then_moves_on(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    made = store.create(authority="Staged")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmModal), "the question")
        assert "Stage 1, Options and business case" in screen_text(app)
        await pilot.press("n")
        await settle(pilot, lambda: isinstance(app.screen, HomeScreen), "the list")
        assert store.get(made.id).stage == 0
        await pilot.press("t", "y")
        await settle(pilot, lambda: store.get(made.id).stage == 1, "stage 1")
        await settle(pilot, lambda: "Stage 1, Options" in pane(app), "the pane")
    assert any(h.field == "stage" for h in store.get(made.id).history)


@asynctest
async def test_upgrade_makes_a_new_draft_and_says_what_needs_an_answer(
    store: Store, make_app: Callable[..., AssessApp], v1_bank: Bank
) -> None:
    old = store.create(authority="Old Bank", bank=v1_bank, answers={"R-LEAD-OWNERSHIP": Answer(3)})
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmModal), "the question")
        await pilot.press("y")
        await settle(pilot, lambda: len(store.list()) == 2, "the new draft")
        await settle(pilot, lambda: "need a fresh answer" in screen_text(app), "the notice")
        home = app.screen
        assert isinstance(home, HomeScreen)
        new_id = home.highlighted_id()
        assert new_id != old.id
    upgraded = store.get(new_id)
    assert upgraded.bank.version == store.current_bank().version
    assert upgraded.answers["R-LEAD-OWNERSHIP"] == Answer(3)
    assert store.get(old.id).bank.version == v1_bank.version  # the original stays


@asynctest
async def test_the_highlight_stays_on_the_same_assessment_after_any_screen(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    older = store.create(authority="Older")
    store.create(authority="Newer")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.press("down")  # Older
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, QuestionnaireScreen), "the questions")
        await pilot.press("y")  # a change: Older becomes the newest, first in the list
        await settle(pilot, lambda: store.get(older.id).answers, "saved")
        await pilot.press("escape", "escape")
        await settle(pilot, lambda: app.screen is home, "the list")
        assert home.highlighted_id() == older.id
        assert home.table.cursor_row == 0
        await pilot.press("v")
        await settle(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is home, "the list")
        assert home.highlighted_id() == older.id


@asynctest
async def test_a_row_deleted_by_a_colleague_is_said_not_crashed_on(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    store.create(authority="Other Council")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        for key in ("v", "enter", "r", "d", "t", "x"):
            gone = store.create(authority="Gone Council")
            home.reload(keep=gone.id)
            Store.open(store.root).delete(gone.id)  # a colleague, meanwhile
            await pilot.press(key)
            await pilot.pause()
            if not isinstance(app.screen, HomeScreen):
                await pilot.press("enter")  # a dialog: go ahead, as an officer would
            await settle(pilot, lambda: app.screen is home, f"the list ({key})")
            await settle(pilot, lambda: "Gone Council" not in screen_text(app), f"gone ({key})")
            assert "Other Council" in screen_text(app)
    assert app.return_code in (None, 0)


@asynctest
async def test_the_export_dialog_exports_on_enter_to_a_clear_path(
    store: Store,
    make_app: Callable[..., AssessApp],
    tmp_path: Path,
    monkeypatch,
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    store.create(authority="Anytown", service="Waste", assessor="A. Officer", period="2026/27")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await settle(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
        await pilot.press("e")
        await settle(pilot, lambda: isinstance(app.screen, ExportReportModal), "the dialog")
        dialog = app.screen
        from assess.reports.export import FORMATS

        for number, fmt in enumerate(FORMATS, 1):
            assert f"{number}  {fmt.label}" in screen_text(app) or number > 5
        assert len(FORMATS) == 7
        path = dialog.query_one("#path", Input)
        expected = tmp_path / "assess-reports" / "anytown-waste-2026-27-a-officer.html"
        await pilot.press("3")  # HTML
        await settle(pilot, lambda: path.value == str(expected), "the html path")
        shown = static_text(dialog.query_one("#path-shown", Static), 300)
        assert f"Saves to: {expected}" in shown
        # Typing in the box adds to the path, never replaces it.
        await pilot.press("tab")
        await settle(pilot, lambda: app.focused is path, "the path box")
        await pilot.press("x")
        assert path.value == str(expected) + "x"
        await pilot.press("backspace", "shift+tab")
        await settle(pilot, lambda: app.focused is not path, "the formats")
        await pilot.press("enter")  # Enter in the list exports, it does not move on
        await settle(pilot, lambda: isinstance(app.screen, ResultsScreen), "exported")
    assert "<html" in expected.read_text("utf-8").lower()


async def run_keys(app: AssessApp, pilot, *keys: str | tuple[int, int]) -> None:
    for key in keys:
        if isinstance(key, tuple):
            await pilot.resize_terminal(*key)
        else:
            await pilot.press(key)
        await pilot.pause()


@asynctest
async def test_the_crashes_of_issue_12_stay_gone(
    store: Store, make_app: Callable[..., AssessApp], bank: Bank
) -> None:
    from assess.tui.demo import demo_answers

    store.create(authority="Crash Test", answers=demo_answers(bank))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # The palette, then paging through it.
        await run_keys(app, pilot, "ctrl+p", "pageup", "pagedown")
        assert isinstance(app.screen, CommandPalette)
        # F1 in the palette, and the palette again: one palette, no clash.
        await run_keys(app, pilot, "f1", "ctrl+p")
        assert sum(isinstance(s, CommandPalette) for s in app.screen_stack) == 1
        await run_keys(app, pilot, "escape")
        assert isinstance(app.screen, HomeScreen)
        # The review at 1×1, then paging.
        await run_keys(app, pilot, "enter", "r")
        assert isinstance(app.screen, ReviewScreen)
        await run_keys(app, pilot, (1, 1), "pagedown", "pageup", (80, 24))
        assert isinstance(app.screen, ReviewScreen)
        # Help opened and closed fast, twice.
        await run_keys(app, pilot, "f1", "escape", "f1", "f1")
        assert isinstance(app.screen, ReviewScreen)
    assert app.return_code in (None, 0)


@asynctest
async def test_a_second_submit_in_a_burst_is_ignored_by_every_dialog(
    store: Store, make_app: Callable[..., AssessApp], tmp_path: Path, monkeypatch
) -> None:
    """Two submits in the same turn of the event loop (Enter Enter in one read from the
    terminal): the dialog answers once, and nothing is done twice."""
    from assess.tui.screens.modals import CopyModal, ExportBundleModal, RenameModal

    monkeypatch.setenv("HOME", str(tmp_path))
    made = store.create(authority="Burst", period="2026/27")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        for key, kind, submit in (
            ("e", ExportBundleModal, "action_export"),
            ("d", CopyModal, "go"),
            ("r", RenameModal, "save"),
        ):
            await pilot.press(key)
            await settle(pilot, lambda kind=kind: isinstance(app.screen, kind), kind.__name__)
            dialog = app.screen
            getattr(dialog, submit)()
            getattr(dialog, submit)()
            await settle(pilot, lambda: app.screen is home, "the list")
            await settle(pilot, lambda: home.working is None, "done")
    assert len(store.list()) == 2  # one copy
    assert sorted(p.name for p in (tmp_path / "assess-reports").iterdir()) == ["assess-bundle.json"]
    assert store.get(made.id).authority == "Burst"
    assert app.return_code in (None, 0)


@asynctest
async def test_the_pane_grows_and_shrinks_to_show_each_row_in_full(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    # Rows whose details take one, two or three more lines than the others: the
    # pane is laid out again when its height must change, and only then.
    year = int(store.clock()[:4])
    store.create(authority="Short")
    store.create(
        authority="A council with a long name that wraps " * 2,
        service="Waste and recycling collection, street cleansing and grounds",
        assessor="Alexandra Officer-Smythe",
        period="2026/27",
    )
    signed = store.create(authority="Signed Council", answers={"R-LEAD-OWNERSHIP": Answer(3)})
    store.set_status(signed.id, "complete")
    Store.open(store.root, clock=lambda: f"{year - 1}-01-10T09:00:00.000Z").sign_off(
        signed.id, name="Pat", role="Chief executive"
    )
    store.create(authority="Short again")
    for size in ((80, 24), (60, 20), (120, 40)):
        app = make_app()
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            for key in ("home", "down", "down", "down", "up", "up", "up", "end", "home"):
                await pilot.press(key)
                await pilot.pause()
                box = app.screen.query_one("#details", Static)
                region = box.content_region
                rows = screen_text(app).splitlines()[region.y : region.bottom]
                seen = " ".join(" ".join(rows).split())
                at_cap = box.outer_size.height == 6  # its max-height: longer text is cut
                # The whole text, or as much as the cap allows; and no blank line under it.
                assert at_cap or seen == pane(app), (size, key, seen, pane(app))
                assert seen and pane(app).startswith(seen[:20])
                assert all(row.strip() for row in rows), (size, key, rows)

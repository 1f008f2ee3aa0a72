"""The home screen: first run, demo, delete (confirm, cancel, undo), rename, copy, export,
filter, sort, select and compare."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Input

from assess.store import Store
from assess.tui.app import AssessApp
from assess.tui.screens.compare import CompareScreen
from assess.tui.screens.home import HomeScreen, column_widths
from assess.tui.screens.modals import ConfirmModal, CopyModal, ExportBundleModal, RenameModal
from tests.helpers import exported_records, invoke
from tests.tui.helpers import asynctest, screen_text, settle, type_text


def names(store: Store) -> list[str]:
    return sorted(s.authority for s in store.list())


@asynctest
async def test_first_run_explains_the_app_and_makes_a_demo(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Welcome" in text and "Press N to start a new assessment" in text
        await pilot.press("m")
        await settle(pilot, lambda: "Demo Council" in screen_text(app), "the demo row")
        (summary,) = store.list()
        assert summary.authority == "Demo Council"
        # Plausible demo answers: nearly everything answered, a real score.
        assert summary.completeness == 1.0 and summary.score is not None
        assert "Demo Council" in screen_text(app)
        assert "Welcome" not in screen_text(app)


@asynctest
async def test_delete_asks_first_and_can_be_cancelled_and_undone(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    store.create(authority="Keep Council")
    store.create(authority="Gone Council")  # newest: first row
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert "Gone Council" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert names(store) == ["Gone Council", "Keep Council"]

        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("enter")  # the focused button is Cancel: Enter must not delete
        await pilot.pause()
        assert names(store) == ["Gone Council", "Keep Council"]

        await pilot.press("x", "y")
        await settle(pilot, lambda: "Gone Council" not in screen_text(app), "the row gone")
        assert names(store) == ["Keep Council"]

        await pilot.press("u")
        await settle(pilot, lambda: "Gone Council" in screen_text(app), "the row back")
        assert names(store) == ["Gone Council", "Keep Council"]


@asynctest
async def test_rename_checks_the_names(store: Store, make_app: Callable[..., AssessApp]) -> None:
    made = store.create(authority="Old Name", service="Waste")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RenameModal)
        await pilot.press("ctrl+a", "backspace", "enter")  # an empty authority is refused
        await pilot.pause()
        assert isinstance(app.screen, RenameModal)
        assert "The authority is required." in screen_text(app)
        await type_text(pilot, "New [b]Name")
        await pilot.press("enter")
        await settle(pilot, lambda: "New [b]Name" in screen_text(app), "the new name")
        assert isinstance(app.screen, HomeScreen)
    renamed = Store.open(store.root).get(made.id)
    assert (renamed.authority, renamed.service) == ("New [b]Name", "Waste")


@asynctest
async def test_duplicate_copies_the_answers(
    store: Store, make_app: Callable[..., AssessApp], bank
) -> None:
    from assess.tui.demo import demo_answers

    made = store.create(authority="Copied Council", answers=demo_answers(bank), period="2026/27")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await settle(pilot, lambda: isinstance(app.screen, CopyModal), "the copy dialog")
        # The next period is proposed, and a bad one is refused with a reason.
        box = app.screen.query_one("#period", Input)
        assert box.value == "2027/28"
        box.value = "2027/29"
        await pilot.press("enter")
        await settle(pilot, lambda: "not a financial year" in screen_text(app), "the reason")
        box.value = "2027/28"
        await pilot.press("enter")
        await settle(pilot, lambda: len(store.list()) == 2, "the copy")
        await settle(pilot, lambda: isinstance(app.screen, HomeScreen), "the list")
        home = app.screen
        assert isinstance(home, HomeScreen)
        copy = next(s for s in store.list() if s.id != made.id)
        # The highlight is on the copy, and the two rows are told apart by their period.
        await settle(pilot, lambda: home.highlighted_id() == copy.id, "the copy highlighted")
        text = screen_text(app)
        assert "2026/27" in text and "2027/28" in text
        assert "Period: 2027/28" in text
    assert store.get(copy.id).answers == made.answers
    assert copy.status == "draft" and copy.period == "2027/28"


@asynctest
async def test_export_writes_a_bundle_and_will_not_overwrite_unasked(
    store: Store, make_app: Callable[..., AssessApp], tmp_path: Path
) -> None:
    first = store.create(authority="Alpha")
    store.create(authority="Beta")
    target = tmp_path / "out.json"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # Select the second row (Alpha, the older) only.
        await pilot.press("down", "space")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportBundleModal)
        assert "1 selected assessment" in screen_text(app)
        default = app.screen.query_one("#path", Input).value
        assert default == str(Path.home() / "assess-bundle.json") or "assess-bundle" in default
        # The path is put in the box (typing it key by key would only cost time).
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, HomeScreen), "the list")
        # The same bundle of lines as `assess export` writes.
        assert [a["id"] for a in exported_records(target)] == [first.id]

        # The same path again: warned, and only replaced on a second Enter.
        target.write_text("keep me", "utf-8")
        await pilot.press("e")
        await settle(pilot, lambda: isinstance(app.screen, ExportBundleModal), "the dialog")
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot, lambda: "already exists" in screen_text(app), "the warning")
        assert target.read_text("utf-8") == "keep me"
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, HomeScreen), "the list")
        assert [a["id"] for a in exported_records(target)] == [first.id]


@asynctest
async def test_filter_sort_select_and_compare(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    store.create(authority="Anytown", service="Waste", assessor="Ann")
    store.create(authority="Bigcity", service="Leisure", assessor="Bob")
    store.create(authority="Cornford", service="Waste", assessor="Cat")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert [s.authority for s in home.shown] == ["Cornford", "Bigcity", "Anytown"]

        await pilot.press("slash")
        await type_text(pilot, "waste")
        await pilot.pause()
        assert [s.authority for s in home.shown] == ["Cornford", "Anytown"]
        assert home.table.row_count == 2
        assert "2 match the filter" in screen_text(app)
        await pilot.press("escape")  # back to the table, filter kept
        await pilot.press("escape")  # and now the filter is cleared
        await pilot.pause()
        assert len(home.shown) == 3

        await pilot.press("s")  # sort by authority, A to Z
        await pilot.pause()
        assert [s.authority for s in home.shown] == ["Anytown", "Bigcity", "Cornford"]
        await pilot.press("o")
        await pilot.pause()
        assert [s.authority for s in home.shown] == ["Cornford", "Bigcity", "Anytown"]

        await pilot.press("c")  # nothing selected: told what to do, nothing opens
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("space", "space")  # selects two rows (the cursor moves on)
        assert len(home.selected) == 2
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        text = screen_text(app)
        assert "Cornford" in text and "Bigcity" in text and "Anytown" not in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


@asynctest
async def test_compare_takes_the_selection_in_the_order_on_screen(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    # The comparison's first column is its baseline: the row the officer sees first.
    anytown = store.create(authority="Anytown")
    bigcity = store.create(authority="Bigcity")
    cornford = store.create(authority="Cornford")  # newest: first in the store's list
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.press("s")  # by authority, A to Z (the cursor stays on Cornford)
        await pilot.press("home", "space", "space")  # Anytown, then Bigcity
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert app.screen.assessment_ids == [anytown.id, bigcity.id]
        await pilot.press("escape")
        await pilot.pause()

        # Selected rows the filter hides come after the shown ones.
        await pilot.press("home", "down", "space")  # Bigcity off again
        await pilot.press("space")  # and Cornford (the cursor moved on to it) on
        await pilot.press("slash")
        await type_text(pilot, "corn")
        await pilot.press("escape")  # back to the table, the filter kept
        await pilot.pause()
        assert [s.authority for s in home.shown] == ["Cornford"]
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert app.screen.assessment_ids == [cornford.id, anytown.id]


def test_columns_fit_the_terminal() -> None:
    for width in (60, 80, 100, 120, 200):
        columns = column_widths(width)
        used = sum(w for _, _, w in columns) + 2 * len(columns) + 1
        assert used <= width, (width, used)
    assert any(key == "band" for key, _, _ in column_widths(120))
    assert not any(key == "band" for key, _, _ in column_widths(80))


@asynctest
async def test_the_home_screen_the_list_and_the_report_show_the_same_completeness(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    # One answer of 39 or so: 2.6%, where rounding and truncating would disagree.
    made = store.create(authority="Kent", answers={"R-LEAD-OWNERSHIP": 3})
    share = store.list()[0].completeness
    shown = f"{int(share * 100)}%"
    assert shown != f"{share * 100:.0f}%"
    listed = invoke("list", db=store.root)
    assert f" {shown} " in listed.out
    report = invoke("report", made.id, db=store.root)
    assert f"({shown})" in report.out
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert f" {shown} " in screen_text(app)

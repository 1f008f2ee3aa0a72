"""Exports from the results and compare screens are byte for byte the files that
`assess report ID -o FILE` and `assess compare IDS -o FILE` write, in every format.

Both are dated "today": the app asks the store's clock, the command line the
calendar. Here both are frozen to the same day.
"""

from __future__ import annotations

import datetime
import types
from pathlib import Path

import pytest
from textual.widgets import Input

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.reports.export import FORMATS
from assess.store import Store
from assess.tui.app import AssessApp
from assess.tui.demo import demo_answers
from assess.tui.screens.compare import CompareScreen
from assess.tui.screens.modals import ExportReportModal
from assess.tui.screens.results import ResultsScreen
from tests.helpers import invoke
from tests.tui.helpers import asynctest, settle

DAY = datetime.date(2026, 3, 5)


class FrozenDate(datetime.date):
    @classmethod
    def today(cls) -> FrozenDate:
        return cls(DAY.year, DAY.month, DAY.day)


@pytest.fixture
def frozen(db: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A store whose clock says DAY, and a command line whose calendar says so too."""
    fake = types.SimpleNamespace(date=FrozenDate)
    monkeypatch.setattr("assess.cli.report.datetime", fake)
    monkeypatch.setattr("assess.cli.compare.datetime", fake)
    return Store.open(db, clock=lambda: f"{DAY.isoformat()}T10:00:00.000Z")


def app_for(store: Store) -> AssessApp:
    return AssessApp(store, cursor_blink=False, handle_signals=False, remember_theme=False)


async def export_each_format(pilot, app: AssessApp, folder: Path) -> dict[str, bytes]:
    """Press E on the screen showing, pick each format by its number, save; the files' bytes."""
    screen = app.screen
    saved: dict[str, bytes] = {}
    for number, fmt in enumerate(FORMATS, 1):
        target = folder / f"screen{fmt.suffix}"
        await pilot.press("e")
        await settle(pilot, lambda: isinstance(app.screen, ExportReportModal), "the dialog")
        await pilot.press(str(number))
        await settle(pilot, lambda fmt=fmt: app.screen.format == fmt.key, fmt.key)
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("tab", "enter")
        await settle(pilot, lambda t=target: app.screen is screen and t.exists(), "the file")
        saved[fmt.key] = target.read_bytes()
    return saved


@asynctest
async def test_results_exports_are_the_report_command_files(
    db: Path, frozen: Store, bank: Bank, tmp_path: Path
) -> None:
    made = frozen.create(authority="Anytown [b]Council[/b]", answers=demo_answers(bank))
    app = app_for(frozen)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("v")
        await settle(pilot, lambda: isinstance(app.screen, ResultsScreen), "the results")
        from_screen = await export_each_format(pilot, app, tmp_path)
    for fmt in FORMATS:
        target = tmp_path / f"command{fmt.suffix}"
        done = invoke("report", made.id, "--format", fmt.key, "-o", str(target), db=db)
        assert done.code == 0, done.err
        assert target.read_bytes() == from_screen[fmt.key], fmt.key
    assert from_screen["csv"].startswith("\ufeff".encode())
    assert DAY.isoformat().encode() in from_screen["text"]


@asynctest
async def test_compare_exports_are_the_compare_command_files(
    db: Path, frozen: Store, bank: Bank, tmp_path: Path
) -> None:
    ids = []
    for n, who in enumerate(("Ann", "Bob", "Cat")):
        answers = demo_answers(bank)
        answers["R-LEAD-OWNERSHIP"] = Answer((1, 3, 4)[n], None, f"{who}'s note =SUM(A1)")
        made = frozen.create(
            authority="Borsetshire", service="Waste", assessor=who, answers=answers
        )
        ids.append(made.id)
    app = app_for(frozen)
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(CompareScreen(ids))
        await settle(pilot, lambda: isinstance(app.screen, CompareScreen), "the comparison")
        from_screen = await export_each_format(pilot, app, tmp_path)
    for fmt in FORMATS:
        target = tmp_path / f"command{fmt.suffix}"
        done = invoke("compare", *ids, "--format", fmt.key, "-o", str(target), db=db)
        assert done.code == 0, done.err
        assert target.read_bytes() == from_screen[fmt.key], fmt.key
    assert from_screen["csv"].startswith("\ufeff".encode())
    assert DAY.isoformat().encode() in from_screen["json"]

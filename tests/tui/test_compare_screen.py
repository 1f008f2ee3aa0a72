"""The compare screen: opened from the home screen, its content, the kind and the baseline,
settling and saving a consensus, exporting, help, hostile text, and snapshots.

The compare screen's snapshots are in `test_snapshots_b.py`, with the other screens of
the results, the plan, the history and the consensus.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import html5lib
import pytest
from textual.widgets import Input

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import Store
from assess.tui.app import AssessApp
from assess.tui.demo import demo_answers
from assess.tui.screens.compare import CompareScreen
from assess.tui.screens.help import HelpScreen
from assess.tui.screens.home import HomeScreen
from assess.tui.screens.modals import ConfirmModal, ExportReportModal
from assess.tui.screens.settle import SettleScreen
from assess.tui.widgets.report import ReportView

from .helpers import asynctest, report_text, screen_text, settle

START = "2026-03-0"
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def officers(store: Store, bank: Bank, *, assessors: tuple[str, ...] = ("Ann", "Bob", "Cat")):
    """Officers' views of Borsetshire's waste service, from the demo answers."""
    made = []
    for n, who in enumerate(assessors):
        answers = demo_answers(bank)
        answers["R-LEAD-OWNERSHIP"] = Answer((1, 3, 4)[n % 3], None, f"{who}'s note")
        answers["R-CASE-RIGOUR"] = Answer((2, 2, 3)[n % 3])
        if n == 1:
            answers["S-MECHANISM"] = Answer("fixed-term")
        made.append(
            store.create(authority="Borsetshire", service="Waste", assessor=who, answers=answers)
        )
    return made


async def open_compare(pilot, rows: int) -> CompareScreen:
    """Select the first `rows` rows on the home screen with Space, then press C."""
    await pilot.pause()
    await pilot.press(*(["space"] * rows), "c")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, CompareScreen)
    return screen


@asynctest
async def test_open_from_home_and_read_the_comparison(
    store: Store, bank: Bank, make_app: Callable[..., AssessApp]
) -> None:
    made = officers(store, bank)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_compare(pilot, 3)
        assert sorted(screen.assessment_ids) == sorted(a.id for a in made)
        comparison = screen.comparison
        assert comparison is not None and comparison.kind == "across officers"
        text = screen_text(app)
        assert "Compare · across officers: Borsetshire — Waste" in text
        assert "Across officers: 3 officers' views" in text
        assert "S  Settle" in text
        report = report_text(screen)
        for fragment in (
            "The assessments compared",
            "Overall readiness",
            "Readiness by dimension",
            "Answers that differ",
            "Ann: 1 – Planned. Evidence: Ann's note",
            "Cat: 4 – Fully in place and evidenced. Evidence: Cat's note",
            "Gaps closed, opened and persisting",
            "Where the officers disagree",
            "The officers' consensus",
        ):
            assert fragment in report, fragment
        # The end of the report scrolls into view.
        await pilot.press("end")
        view = screen.query_one(ReportView)
        await settle(pilot, lambda: view.is_vertical_scroll_end, "the end")
        # The last row of the appendix of identifiers: the last question named.
        assert comparison.bank.criteria[-1].id in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, HomeScreen), "the list")


SCROLLBAR = "▁▂▃▄▅▆▇█▔▕"


def top_line(app: AssessApp) -> str:
    """The first line of the report on screen (under the title bar), without the scrollbar."""
    lines = (line.rstrip(SCROLLBAR + " ").strip() for line in screen_text(app).splitlines()[1:])
    return next(line for line in lines if line)


@asynctest
async def test_n_and_p_jump_between_sections(
    store: Store, bank: Bank, make_app: Callable[..., AssessApp]
) -> None:
    made = officers(store, bank)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(CompareScreen([a.id for a in made]))
        await settle(pilot, lambda: bool(app.screen.query(".report-part")), "the report")
        headings = [
            "The assessments compared",
            "Overall readiness",
            "Readiness by dimension",
            "Answers that differ",
            "Gaps closed, opened and persisting",
            "Where the officers disagree",
        ]
        for heading in headings:
            await pilot.press("n")
            await settle(pilot, lambda h=heading: top_line(app).startswith(h), heading)
        for heading in reversed(headings[:-1]):
            await pilot.press("p")
            await settle(pilot, lambda h=heading: top_line(app).startswith(h), heading)
        # Three Ns in a burst go three sections on, each from where the last one went.
        await pilot.press("home")
        await settle(pilot, lambda: top_line(app).startswith("Comparison across"), "the top")
        for _ in range(3):
            app.simulate_key("n")
        await settle(pilot, lambda: top_line(app).startswith(headings[2]), headings[2])


@asynctest
async def test_scores_show_changes_and_a_trend(
    store: Store, bank: Bank, make_app: Callable[..., AssessApp]
) -> None:
    old = store.create(authority="Borsetshire", answers={"R-LEAD-OWNERSHIP": Answer(1)})
    new = store.create(authority="Borsetshire", answers={"R-LEAD-OWNERSHIP": Answer(4)})
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(CompareScreen([new.id, old.id]))
        await settle(pilot, lambda: bool(app.screen.query(".report-part")), "the report")
        text = screen_text(app)
        # Made the same day by the same officer: a series, oldest first.
        assert app.screen.comparison.kind == "over time"  # type: ignore[attr-defined]
        report = report_text(app.screen)
        lines = report.splitlines()
        leadership = next(line for line in lines if "Leadership and ownership" in line)
        # 100 × (3 × 1/4) / 5 = 15 → 100 × (3 × 4/4) / 5 = 60.
        assert "15.0" in leadership and "60.0 (+45.0)" in leadership and "▲ up" in leadership
        assert "S  Settle" not in text


@asynctest
async def test_a_consensus_with_nothing_to_settle_is_saved_after_confirming(
    store: Store, bank: Bank, make_app: Callable[..., AssessApp]
) -> None:
    made = officers(store, bank)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(CompareScreen([a.id for a in made]))
        await settle(pilot, lambda: bool(app.screen.query(".report-part")), "the report")
        await pilot.press("s")
        await settle(pilot, lambda: isinstance(app.screen, SettleScreen), "the settling")
        # Three officers: every level has a clear middle, so nothing is left to settle.
        assert "0 of 0 settled" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmModal), "the question")
        assert "Consensus of Ann, Bob, Cat" in screen_text(app)
        await pilot.press("n")  # cancelled: nothing saved
        await settle(pilot, lambda: isinstance(app.screen, SettleScreen), "back")
        assert len(store.list()) == 3
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmModal), "the question")
        await pilot.press("y")
        await settle(pilot, lambda: isinstance(app.screen, CompareScreen), "the comparison")
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.saved_id
        saved = store.get(screen.saved_id)
        assert saved.assessor == "Consensus of Ann, Bob, Cat"
        assert saved.answers["R-LEAD-OWNERSHIP"].level == 3  # the middle of 1, 3, 4
        assert saved.answers["R-CASE-RIGOUR"].level == 2  # the middle of 2, 2, 3
        assert "S-MECHANISM" not in saved.answers  # they did not agree on it
        assert saved.answers["S-EXPLORE"].value == "yes"  # they did on this
        assert len(store.list()) == 4
        assert [store.get(a.id).revision for a in made] == [a.revision for a in made]
        await pilot.press("escape")  # saved: leaving asks nothing
        await settle(pilot, lambda: isinstance(app.screen, HomeScreen), "the list")
        assert saved.id in {s.id for s in app.screen.shown}  # type: ignore[attr-defined]


@asynctest
async def test_no_consensus_for_a_comparison_across_services(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    ids = [store.create(authority="Borsetshire", service=s).id for s in ("Waste", "Leisure")]
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.push_screen(CompareScreen(ids))
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        await settle(pilot, lambda: "no consensus" in screen_text(app), "the notice")
        assert len(store.list()) == 2


@asynctest
async def test_export_the_comparison(
    store: Store,
    bank: Bank,
    make_app: Callable[..., AssessApp],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    made = officers(store, bank)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(CompareScreen([a.id for a in made]))
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ExportReportModal)
        await pilot.press("3")  # HTML
        await pilot.pause()
        path = modal.query_one("#path", Input).value
        assert path == str(
            tmp_path / "assess-reports" / "assess-comparison-across-officers-borsetshire-waste.html"
        )
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        page = Path(path).read_text("utf-8")
        html5lib.HTMLParser(strict=True).parse(page)
        assert "Comparison across officers: Borsetshire — Waste" in page

        await pilot.press("e")
        await pilot.pause()
        await pilot.press("4")  # JSON, to a file of our own choosing
        await pilot.pause()
        target = tmp_path / "mine.json"
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("tab", "enter")
        await pilot.pause()
        data = json.loads(target.read_text("utf-8"))
        assert data["disagreements"] == ["R-LEAD-OWNERSHIP"]


@asynctest
async def test_help_describes_the_keys(
    store: Store, bank: Bank, make_app: Callable[..., AssessApp]
) -> None:
    made = officers(store, bank, assessors=("Ann", "Bob"))
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(CompareScreen([a.id for a in made]))
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "settle the officers' consensus" in text
        assert "choose the baseline" in text and "choose the kind of comparison" in text
        assert "export the comparison to a file" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)


@asynctest
async def test_names_and_notes_are_shown_literally(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    hostile = "[bold]Ann[/bold] [link=http://x]x[/link] <script>"
    a = store.create(
        authority="[red]Borsetshire[/red]",
        assessor=hostile,
        answers={"R-PV-TEST": Answer(1, None, "[i]not italic[/i] =SUM(A1)")},
    )
    b = store.create(authority="[red]Borsetshire[/red]", assessor="Bob", answers={})
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(CompareScreen([a.id, b.id]))
        await pilot.pause()
        seen = screen_text(app)
        for _ in range(12):
            await pilot.press("pagedown")
            await pilot.pause()
            seen += screen_text(app)
        assert "[red]Borsetshire[/red]" in seen
        assert hostile in seen
        assert "[i]not italic[/i] =SUM(A1)" in seen


@asynctest
async def test_different_bank_versions_say_what_was_left_out(
    store: Store, bank: Bank, make_app: Callable[..., AssessApp]
) -> None:
    from tests.compare.support import newer_bank

    old = store.create(authority="Borsetshire", answers={"R-MKT-DIALOGUE": Answer(4)})
    new = store.create(authority="Borsetshire", bank=newer_bank(bank))
    assert new.bank.version != bank.version
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(CompareScreen([old.id, new.id]))
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        newer = newer_bank(bank)
        assert f"versions {bank.version}, {newer.version}: compared on the" in text
        assert f"{len(bank.questions) - 2} questions they share; 2 left out" in text
        dialogue = bank.question("R-MKT-DIALOGUE")
        assert dialogue is not None and f"Left out (2): “{dialogue.text}”" in text


@asynctest
async def test_an_assessment_that_has_gone_is_reported_not_crashed(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    a = store.create(authority="Borsetshire")
    b = store.create(authority="Borsetshire")
    store.delete(b.id)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(CompareScreen([a.id, b.id]))
        await pilot.pause()
        assert "These assessments cannot be compared" in screen_text(app)
        await pilot.press("s", "e")  # nothing to save or export; nothing breaks
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)


@asynctest
async def test_many_assessments_split_the_scores_to_fit(
    store: Store, make_app: Callable[..., AssessApp]
) -> None:
    ids = [
        store.create(
            authority="Borsetshire",
            period=f"{2020 + n}/{21 + n}",
            answers={"R-PV-TEST": Answer(n % 5)},
        ).id
        for n in range(7)
    ]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(CompareScreen(ids))
        await pilot.pause()
        await settle(pilot, lambda: bool(app.screen.query(".report-part")), "the report")
        # Seven columns do not fit in 80 cells: the scores come in several tables,
        # each with the overall row, and only the last has the trend.
        report = report_text(app.screen)
        assert "Assessments 1 to 3 of 7" in report and "Assessments 7 to 7 of 7" in report
        lines = report.splitlines()
        # Three tables of scores, then the trend chart's line for it.
        overall = [line for line in lines if line.startswith("Overall readiness ")]
        assert len(overall) == 4 and "→" in overall[-1]
        heads = [line for line in lines if line.startswith("Dimension ")]
        assert len(heads) == 3 and [("Trend" in head) for head in heads] == [False, False, True]

"""Officers read question text, never bare question ids: a scan of everything the results,
compare, review, plan, history and settle screens show, and of the text, Markdown and HTML
reports and comparisons. Ids belong in JSON, CSV and the appendix of identifiers only."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from textual.screen import Screen

from assess.domain.bank import Bank
from assess.domain.compare import ACROSS_OFFICERS, OVER_TIME, compare
from assess.reports import render_comparison
from assess.reports.export import render_text
from assess.reports.model import report_for
from assess.tui.screens.compare import CompareScreen
from assess.tui.screens.history import HistoryScreen
from assess.tui.screens.plan import PlanScreen
from assess.tui.screens.results import ResultsScreen
from assess.tui.screens.review import ReviewScreen
from assess.tui.screens.settle import SettleScreen

from .helpers import asynctest, report_text, screen_text, settle
from .scenes import Scenes, app_for, scenes  # noqa: F401  (the fixture)

APPENDIX = "Appendix: identifiers"


def bare_ids(bank: Bank, text: str) -> list[str]:
    """The question ids that appear in `text` as words of their own."""
    found = []
    for q in bank.questions:
        if re.search(rf"(?<![A-Za-z0-9-]){re.escape(q.id)}(?![A-Za-z0-9-])", text):
            found.append(q.id)
    return found


def body(text: str) -> str:
    """The text before the appendix, where ids are listed on purpose."""
    return text.split(APPENDIX)[0]


def test_the_scan_finds_an_id() -> None:
    from assess.domain.bank import load_shipped_bank

    bank = load_shipped_bank()
    assert bare_ids(bank, "see R-CASE-RIGOUR, then") == ["R-CASE-RIGOUR"]
    assert bare_ids(bank, "R-CASE-RIGOUR-X and XR-CASE-RIGOUR") == []


def comparisons(s: Scenes) -> dict[str, list[str]]:
    return {
        "over time": [s.this_year, s.next_year],
        "across officers": [s.this_year, s.colleague],
        "across services": [s.this_year, s.leisure],
        "across authorities": [s.this_year, s.felpersham],
    }


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_reports_and_comparisons_name_questions_by_their_text(scenes: Scenes, fmt: str) -> None:  # noqa: F811
    store = scenes.store
    for assessment_id in (scenes.this_year, scenes.next_year, scenes.leisure):
        a = store.get(assessment_id)
        out = render_text(report_for(a, "2027-03-01"), fmt)
        assert APPENDIX in out
        assert bare_ids(a.bank, body(out)) == [], (fmt, "report", assessment_id)
    for kind, ids in comparisons(scenes).items():
        c = compare([store.get(i) for i in ids])
        assert c.kind == kind
        out = render_comparison(c, fmt, date="2027-03-01")
        assert bare_ids(c.bank, body(out)) == [], (fmt, kind)
        assert APPENDIX in out


async def seen(pilot, screen: Screen[object], ready: Callable[[], bool]) -> str:  # type: ignore[no-untyped-def]
    """All the screen shows but an appendix of ids: the screen, and the whole report it has."""
    pilot.app.push_screen(screen)
    await settle(pilot, ready, "the screen")
    text = body(screen_text(pilot.app))
    if screen.query(".report-part"):
        report = report_text(screen)
        assert APPENDIX in report or isinstance(screen, HistoryScreen)
        text += "\n" + body(report)
    return text


@asynctest
async def test_the_screens_name_questions_by_their_text(scenes: Scenes) -> None:  # noqa: F811
    store = scenes.store
    bank = store.get(scenes.this_year).bank
    app = app_for(store)
    async with app.run_test(size=(160, 120)) as pilot:

        def drawn(kind: type[Screen[object]]) -> Callable[[], bool]:
            def ready() -> bool:
                shown = app.screen
                return isinstance(shown, kind) and (
                    bool(shown.query(".report-part")) or kind in (ReviewScreen, PlanScreen)
                )

            return ready

        texts: dict[str, str] = {}
        texts["results"] = await seen(pilot, ResultsScreen(scenes.this_year), drawn(ResultsScreen))
        texts["review"] = await seen(pilot, ReviewScreen(scenes.next_year), drawn(ReviewScreen))
        texts["plan"] = await seen(pilot, PlanScreen(scenes.this_year), drawn(PlanScreen))
        texts["history"] = await seen(pilot, HistoryScreen(scenes.this_year), drawn(HistoryScreen))
        for kind, ids in comparisons(scenes).items():
            texts[kind] = await seen(pilot, CompareScreen(ids), drawn(CompareScreen))
        officers = compare([store.get(i) for i in comparisons(scenes)[ACROSS_OFFICERS]])
        pilot.app.push_screen(SettleScreen(officers))
        await settle(pilot, lambda: isinstance(app.screen, SettleScreen), "the settling")
        texts["settle"] = screen_text(app)
        await pilot.press("right")
        texts["settle, the next item"] = screen_text(app)
        for name, text in texts.items():
            assert bare_ids(bank, body(text)) == [], name
        assert OVER_TIME in texts["over time"]

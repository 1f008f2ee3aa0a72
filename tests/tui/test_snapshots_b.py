"""Snapshots of the results, compare (each kind), plan, plan entry, history and settle screens at
60×20, 80×24 and 120×40, drawn from the story's fixed store (`scenes.py`).

Regenerate with `pytest tests/tui/test_snapshots_b.py --snapshot-update` after looking at
the new pictures (rsvg-convert turns the SVGs into PNGs).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.screen import Screen

from assess.domain.compare import compare
from assess.tui.screens.compare import CompareScreen
from assess.tui.screens.history import HistoryScreen
from assess.tui.screens.plan import PlanScreen
from assess.tui.screens.results import ResultsScreen
from assess.tui.screens.settle import SettleScreen

from .scenes import SIZES, Scenes, app_for, opening, report_drawn, scenes  # noqa: F401


def of(kind: type[Screen[object]]) -> Callable[[Screen[object]], bool]:
    return lambda screen: isinstance(screen, kind)


@pytest.mark.parametrize("size", SIZES)
def test_results(snap_compare, scenes: Scenes, size) -> None:  # noqa: F811
    run = opening(lambda: ResultsScreen(scenes.this_year), report_drawn)
    assert snap_compare(app_for(scenes.store), run_before=run, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("kind", ["over-time", "officers", "services", "authorities"])
def test_compare(snap_compare, scenes: Scenes, size, kind: str) -> None:  # noqa: F811
    other = {
        "over-time": scenes.next_year,
        "officers": scenes.colleague,
        "services": scenes.leisure,
        "authorities": scenes.felpersham,
    }[kind]
    run = opening(lambda: CompareScreen([scenes.this_year, other]), report_drawn)
    assert snap_compare(app_for(scenes.store), run_before=run, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_compare_over_time_at_the_plan(snap_compare, scenes: Scenes, size) -> None:  # noqa: F811
    # N from the top: the assessments, overall, dimensions, answers, gaps, then the plan.
    run = opening(
        lambda: CompareScreen([scenes.this_year, scenes.next_year]), report_drawn, *["n"] * 6
    )
    assert snap_compare(app_for(scenes.store), run_before=run, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_plan(snap_compare, scenes: Scenes, size) -> None:  # noqa: F811
    run = opening(lambda: PlanScreen(scenes.next_year), of(PlanScreen))
    assert snap_compare(app_for(scenes.store), run_before=run, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_plan_entry(snap_compare, scenes: Scenes, size) -> None:  # noqa: F811
    run = opening(lambda: PlanScreen(scenes.next_year), of(PlanScreen), "d")
    assert snap_compare(app_for(scenes.store), run_before=run, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_history(snap_compare, scenes: Scenes, size) -> None:  # noqa: F811
    run = opening(lambda: HistoryScreen(scenes.this_year), report_drawn)
    assert snap_compare(app_for(scenes.store), run_before=run, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_settle(snap_compare, scenes: Scenes, size) -> None:  # noqa: F811
    store = scenes.store
    officers = compare([store.get(scenes.this_year), store.get(scenes.colleague)])
    run = opening(lambda: SettleScreen(officers), of(SettleScreen), "2")
    assert snap_compare(app_for(store), run_before=run, terminal_size=size)

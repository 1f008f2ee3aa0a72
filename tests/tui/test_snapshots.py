"""Snapshots of every screen at 80×24 and 120×40 (cursor blink off, times fixed).

Regenerate with `pytest tests/tui/test_snapshots.py --snapshot-update` after
looking at the new pictures (pytest writes a report of any difference).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import Store
from assess.tui.app import AssessApp
from assess.tui.demo import demo_answers

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
START = "2025-03-04T10:"


@pytest.fixture
def fixed_store(db: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A store whose timestamps never change, a fixed home folder, and colour on."""
    # Each call a minute later than the last: fixed, yet the list order is well defined.
    minutes = iter(range(60))
    store = Store.open(db, clock=lambda: f"{START}{next(minutes):02d}:00.000Z")
    # Ids are random; the results show them, so the snapshots need fixed ones.
    ids = iter(f"fe2e2e{n:02d}" for n in range(100))
    monkeypatch.setattr("assess.store.store.Store._new_id", lambda self: next(ids))
    monkeypatch.setenv("HOME", "/home/officer")
    monkeypatch.delenv("NO_COLOR", raising=False)
    return store


@pytest.fixture
def filled(fixed_store: Store, bank: Bank) -> Store:
    answers = demo_answers(bank)
    del answers["R-CASE-DEBATE"]
    fixed_store.create(
        authority="Anytown Borough Council",
        service="Waste",
        assessor="A. Officer",
        answers=answers,
    )
    fixed_store.create(
        authority="Demo Council",
        service="Demo: back-office services",
        assessor="Demo officer",
        answers=demo_answers(bank),
    )
    fixed_store.create(
        authority="Cornford [District] Council",
        assessor="C. Lee",
        answers={"S-EXPLORE": Answer("yes")},
    )
    return fixed_store


def open_question(question_id: str) -> Callable:
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.app.screen.go_to(question_id)
        await pilot.pause()

    return run_before


def app_for(store: Store) -> AssessApp:
    return AssessApp(store, cursor_blink=False, handle_signals=False, remember_theme=False)


@pytest.mark.parametrize("size", SIZES)
def test_home_first_run(snap_compare, fixed_store: Store, size) -> None:
    assert snap_compare(app_for(fixed_store), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_home_with_rows(snap_compare, filled: Store, size) -> None:
    assert snap_compare(app_for(filled), press=["down", "space"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_new_form(snap_compare, fixed_store: Store, size) -> None:
    assert snap_compare(app_for(fixed_store), press=["n", "enter"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_questionnaire_maturity(snap_compare, filled: Store, size) -> None:
    assert snap_compare(
        app_for(filled), run_before=open_question("R-CASE-DEBATE"), terminal_size=size
    )


@pytest.mark.parametrize("size", SIZES)
def test_questionnaire_ranking(snap_compare, filled: Store, size) -> None:
    assert snap_compare(
        app_for(filled), run_before=open_question("S-CHALLENGES"), terminal_size=size
    )


@pytest.mark.parametrize("size", SIZES)
def test_questionnaire_multi(snap_compare, filled: Store, size) -> None:
    assert snap_compare(app_for(filled), run_before=open_question("S-SERVICES"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_review(snap_compare, filled: Store, size) -> None:
    assert snap_compare(app_for(filled), press=["enter", "r"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_results(snap_compare, filled: Store, size) -> None:
    assert snap_compare(app_for(filled), press=["v"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, filled: Store, size) -> None:
    assert snap_compare(app_for(filled), press=["enter", "f1"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_confirm_delete(snap_compare, filled: Store, size) -> None:
    assert snap_compare(app_for(filled), press=["x"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_export_dialog(snap_compare, filled: Store, size) -> None:
    assert snap_compare(app_for(filled), press=["e"], terminal_size=size)

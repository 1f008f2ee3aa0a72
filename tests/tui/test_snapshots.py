"""Snapshots of every screen of the app's part A at 60×20, 80×24 and 120×40.

Cursor blink off, ids fixed, and time frozen through the store's clock (every
write is stamped 4 March 2025, a minute apart), so a picture changes only
when what the officer sees changes. The store has what an officer's would:
an assessment with its copy for the next period (told apart by the period),
an action plan with overdue entries, a signed-off assessment past its review
date, and hostile-looking text that must show as typed.

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

SIZES = [
    pytest.param((60, 20), id="60x20"),
    pytest.param((80, 24), id="80x24"),
    pytest.param((120, 40), id="120x40"),
]
START = "2025-03-04T10:"


@pytest.fixture
def fixed_store(db: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A store whose timestamps never change, a fixed home folder, and colour on."""
    # Each call a minute later than the last: fixed, yet the list order is well defined.
    minutes = iter(range(60))
    store = Store.open(db, clock=lambda: f"{START}{next(minutes):02d}:00.000Z")
    # Ids are random; some screens show them, so the snapshots need fixed ones.
    ids = iter(f"fe2e2e{n:02d}" for n in range(100))
    monkeypatch.setattr("assess.store.store.Store._new_id", lambda self: next(ids))
    monkeypatch.setenv("HOME", "/home/officer")
    monkeypatch.delenv("NO_COLOR", raising=False)
    return store


@pytest.fixture
def filled(fixed_store: Store, bank: Bank) -> Store:
    answers = demo_answers(bank)
    del answers["R-CASE-DEBATE"]
    answers["S-SERVICES"] = Answer(("ict", "other"))
    answers["S-SERVICES-OTHER"] = Answer("Legal services and [b]courts[/b]")
    done = fixed_store.create(
        authority="Cornford [District] Council",
        assessor="C. Lee",
        answers=demo_answers(bank),
        period="2023/24",
    )
    fixed_store.set_status(done.id, "complete")
    # Signed off a year before the frozen "today": its review date has passed.
    Store.open(fixed_store.root, clock=lambda: "2024-03-01T09:00:00.000Z").sign_off(
        done.id, name="Pat Chief", role="Chief executive"
    )
    first = fixed_store.create(
        authority="Anytown Borough Council",
        service="Waste",
        assessor="A. Officer",
        answers=answers,
        stage=1,
        period="2024/25",
        plan={
            "R-CASE-RIGOUR": {"owner": "Finance lead", "due": "2025-01-31"},
            "R-PV-TEST": {"owner": "Policy team", "due": "2025-02-28"},
            "R-MKT-DIALOGUE": {"owner": "Procurement", "due": "2025-09-30"},
        },
    )
    fixed_store.duplicate(first.id)  # next year's copy: 2025/26
    return fixed_store


def open_question(question_id: str) -> Callable:
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("enter")  # the newest: the 2025/26 copy of Anytown
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
    # The second row (last year's Anytown: plan with overdue actions) selected with Space.
    assert snap_compare(app_for(filled), press=["down", "space", "up"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_home_review_due(snap_compare, filled: Store, size) -> None:
    assert snap_compare(app_for(filled), press=["end"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_new_form(snap_compare, fixed_store: Store, size) -> None:
    assert snap_compare(app_for(fixed_store), press=["n", "enter"], terminal_size=size)


QUESTIONS = {
    "maturity": "R-CASE-DEBATE",  # unanswered, from a later stage than the copy's
    "later": "R-SEL-TRACK-RECORD",  # applies from stage 3: says so
    "na": "R-FIT-WELLBEING",  # not applicable, with its reason
    "single": "S-MECHANISM",
    "likert": "S-INNOVATION",
    "yesno": "S-EXPLORE",
    "multi": "S-SERVICES",
    "ranking": "S-CHALLENGES",
    "number": "R-MKT-RESEARCH-COUNT",
    "text": "S-SERVICES-OTHER",
}


@pytest.mark.parametrize("kind", list(QUESTIONS))
@pytest.mark.parametrize("size", SIZES)
def test_questionnaire(snap_compare, filled: Store, kind: str, size) -> None:
    assert snap_compare(
        app_for(filled), run_before=open_question(QUESTIONS[kind]), terminal_size=size
    )


@pytest.mark.parametrize("size", SIZES)
def test_review(snap_compare, filled: Store, size) -> None:
    assert snap_compare(app_for(filled), press=["down", "enter", "r"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, filled: Store, size) -> None:
    assert snap_compare(app_for(filled), press=["enter", "f1"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_confirm_delete(snap_compare, filled: Store, size) -> None:
    assert snap_compare(app_for(filled), press=["x"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_copy_dialog(snap_compare, filled: Store, size) -> None:
    assert snap_compare(app_for(filled), press=["d"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_export_bundle(snap_compare, filled: Store, size) -> None:
    assert snap_compare(app_for(filled), press=["e"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_export_report(snap_compare, filled: Store, size) -> None:
    assert snap_compare(app_for(filled), press=["v", "e", "3"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_go_to_question(snap_compare, filled: Store, size) -> None:
    keys = ["enter", "ctrl+g", "b", "u", "s", "i", "n", "e", "s", "s", "space", "c"]
    assert snap_compare(app_for(filled), press=keys, terminal_size=size)

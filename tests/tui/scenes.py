"""Fixed stores for the results, compare, plan, history and settle screens' tests and snapshots.

One district council's waste service, as in the story officers tell: this
year's assessment with an action plan, signed off and reopened; next year's
copy with the work done; a colleague's view of this year; another service;
another authority. Times and ids are fixed (the screens show them, and
snapshots are compared byte for byte), and the store's clock says what day
it is, so what is overdue never depends on when the tests run.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import Store
from assess.tui.app import AssessApp
from assess.tui.demo import demo_answers

from .helpers import settle

AUTHORITY = "Borsetshire District Council"
SERVICE = "Waste and recycling"
SIZES = [
    pytest.param((60, 20), id="60x20"),
    pytest.param((80, 24), id="80x24"),
    pytest.param((120, 40), id="120x40"),
]


@dataclass(frozen=True)
class Scenes:
    store: Store
    this_year: str  # Ann Smith-Watson's 2026/27: plan, signed off, reopened
    next_year: str  # her copy for 2027/28, with the work done
    colleague: str  # Bob Jones's view of 2026/27
    leisure: str  # Ann's 2026/27 of another service
    felpersham: str  # another authority's waste service


def ticking_clock() -> Callable[[], str]:
    """A clock that moves on a minute each time it is read, from 1 March 2027, 09:00 UTC."""
    minutes: Iterator[int] = iter(range(10_000))

    def now() -> str:
        n = next(minutes)
        return f"2027-03-01T{9 + n // 60:02d}:{n % 60:02d}:00.000Z"

    return now


def fixed_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    ids = iter(f"b0a7d{n:03d}" for n in range(1000))
    monkeypatch.setattr(Store, "_new_id", lambda self: next(ids))


def build(store: Store, bank: Bank) -> Scenes:
    """The story's assessments, made through the store as the app makes them."""
    base = demo_answers(bank)
    this_year = store.create(
        authority=AUTHORITY,
        service=SERVICE,
        assessor="Ann Smith-Watson",
        period="2026/27",
        answers=base,
        who="Ann Smith-Watson",
    )
    gaps = [g.id for g in this_year.result.gaps]
    store.save_plan(
        this_year.id,
        {
            gaps[0]: {"owner": "Jo Bloggs", "due": "2026-09-30", "status": "done"},
            gaps[1]: {"owner": "Sam Patel", "due": "2026-12-31", "status": "done"},
            gaps[2]: {"owner": "Jo Bloggs", "due": "2027-01-31", "status": "in progress"},
        },
        who="Ann Smith-Watson",
    )
    store.set_status(this_year.id, "complete", who="Ann Smith-Watson")
    store.sign_off(this_year.id, name="Pat Lee", role="Director of Place", who="Pat Lee")
    store.reopen(this_year.id, reason="Audit asked for the evidence notes", who="Pat Lee")
    store.set_status(this_year.id, "complete", who="Ann Smith-Watson")
    next_year = store.duplicate(this_year.id, who="Ann Smith-Watson")
    # A criterion at its target this year slips below it next year: a new gap.
    slipped = next(
        c for c in this_year.result.applicable if c.level is not None and c.level >= c.target
    )
    store.save_answers(
        next_year.id,
        {
            gaps[0]: Answer(4, None, "Done: cabinet minute 14"),  # done, and the level rose
            gaps[1]: base[gaps[1]],  # done, but the level did not rise
            slipped.id: Answer(slipped.target - 2, None, "The team left"),
        },
        who="Ann Smith-Watson",
    )
    colleague_answers = dict(base)
    for qid, level in ((gaps[0], 4), (gaps[2], 3), ("R-LEAD-OWNERSHIP", 1)):
        colleague_answers[qid] = Answer(level, None, "Bob's reading of the papers")
    colleague = store.create(
        authority=AUTHORITY,
        service=SERVICE,
        assessor="Bob Jones",
        period="2026/27",
        answers=colleague_answers,
        who="Bob Jones",
    )
    leisure = store.create(
        authority=AUTHORITY,
        service="Leisure centres",
        assessor="Ann Smith-Watson",
        period="2026/27",
        answers={k: v for k, v in base.items() if k.startswith("S-")},
    )
    felpersham = store.create(
        authority="Felpersham City Council",
        service=SERVICE,
        assessor="Chris Wood",
        period="2026/27",
        answers=base,
    )
    return Scenes(store, this_year.id, next_year.id, colleague.id, leisure.id, felpersham.id)


@pytest.fixture
def scenes(db: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch) -> Scenes:
    """The story's store, with fixed times and ids, a fixed home folder, and colour on."""
    fixed_ids(monkeypatch)
    monkeypatch.setenv("HOME", "/home/officer")
    monkeypatch.delenv("NO_COLOR", raising=False)
    return build(Store.open(db, clock=ticking_clock()), bank)


def app_for(store: Store) -> AssessApp:
    return AssessApp(store, cursor_blink=False, handle_signals=False, remember_theme=False)


def opening(
    make: Callable[[], Screen[object]], ready: Callable[[Screen[object]], bool], *keys: str
) -> Callable[[Pilot], Awaitable[None]]:
    """A snapshot's `run_before`: push the screen, wait until it is drawn, press `keys`."""

    async def run(pilot: Pilot) -> None:
        pilot.app.push_screen(make())
        await settle(pilot, lambda: ready(pilot.app.screen), "the screen")
        for key in keys:
            await pilot.press(key)
            await pilot.pause()

    return run


def report_drawn(screen: Screen[object]) -> bool:
    return bool(screen.query(".report-part"))

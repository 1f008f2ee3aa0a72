"""Every screen at tiny, normal and huge sizes, and through random resizes (1×1 and back).

Nothing may raise, the app must still answer keys afterwards, and from 80×24
up each screen's key content must be on screen.
"""

from __future__ import annotations

import random
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import Store
from assess.tui.app import AssessApp
from assess.tui.demo import demo_answers
from assess.tui.screens.compare import CompareScreen
from assess.tui.screens.help import HelpScreen
from assess.tui.screens.modals import StaleSaveModal
from assess.tui.screens.questionnaire import QuestionnaireScreen
from tests.tui.helpers import asynctest, screen_text

pytestmark = pytest.mark.robustness

SIZES = [(20, 8), (80, 24), (250, 70)]
Setup = Callable[[object, AssessApp], Awaitable[None]]


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def random_sizes(seed: int) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    sizes = [(rng.randint(1, 260), rng.randint(1, 80)) for _ in range(10)]
    return [*sizes[:4], (1, 1), *sizes[4:], (1, 1), (80, 24)]


def filled_store(db: Path, bank: Bank) -> Store:
    store = Store.open(db)
    answers = demo_answers(bank)
    answers["S-SERVICES"] = Answer(("ict", "other"))
    answers["S-SERVICES-OTHER"] = Answer("Legal services and [b]courts[/b]")
    store.create(authority="Anytown Borough Council", service="Waste", answers=answers)
    store.create(authority="Bigcity Council", assessor="B. Lee")
    return store


def keys(*names: str) -> Setup:
    async def setup(pilot, app: AssessApp) -> None:
        await pilot.pause()
        for name in names:
            await pilot.press(name)
            await pilot.pause()

    return setup


def question(question_id: str) -> Setup:
    async def setup(pilot, app: AssessApp) -> None:
        await pilot.pause()
        await pilot.press("down", "enter")  # the older: Anytown, with the answers
        await pilot.pause()
        assert isinstance(app.screen, QuestionnaireScreen)
        await app.screen.go_to(question_id)
        await pilot.pause()
        assert app.screen.current is not None and app.screen.current.id == question_id

    return setup


async def stale_modal(pilot, app: AssessApp) -> None:
    await question("R-LEAD-OWNERSHIP")(pilot, app)
    app.push_screen(
        StaleSaveModal(
            "Do the leaders own it?", who="bob", at="04 Mar 2025 10:01", theirs="2", yours="3"
        )
    )
    await pilot.pause()


async def compare(pilot, app: AssessApp) -> None:
    await keys("space", "space", "c")(pilot, app)
    assert isinstance(app.screen, CompareScreen)


# name: (store with rows?, how to get there, text that must show from 80×24 up)
SCREENS: dict[str, tuple[bool, Setup, str]] = {
    "home-first-run": (False, keys(), "Welcome"),
    "home-with-rows": (True, keys(), "Bigcity Council"),
    "new-form": (True, keys("n"), "Authority (required)"),
    "maturity": (True, question("R-LEAD-OWNERSHIP"), "Not started"),
    "single": (True, question("S-MECHANISM"), "joint venture"),
    "likert": (True, question("S-INNOVATION"), "High"),
    "yesno": (True, question("S-EXPLORE"), "Yes"),
    "multi": (True, question("S-SERVICES"), "[x]"),
    "ranking": (True, question("S-CHALLENGES"), "ranked"),
    "number": (True, question("R-MKT-RESEARCH-COUNT"), "A number"),
    "text": (True, question("S-SERVICES-OTHER"), "[b]courts[/b]"),
    "review": (True, keys("down", "enter", "r"), "Review"),
    "results": (True, keys("down", "v"), "Readiness"),
    "help": (True, keys("f1"), "Help"),
    "confirm-delete": (True, keys("x"), "Delete this assessment?"),
    "rename": (True, keys("r"), "Rename assessment"),
    "export-bundle": (True, keys("e"), "Export a bundle"),
    "export-report": (True, keys("down", "v", "e"), "Export the report"),
    "stale-save": (True, stale_modal, "Someone else changed"),
    "compare": (True, compare, "Bigcity"),
}


async def still_answers_keys(pilot, app: AssessApp) -> None:
    """F1 opens help over any screen and Escape closes it again."""
    screen = app.screen
    if isinstance(screen, HelpScreen):
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        return
    await pilot.press("f1")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    await pilot.press("escape")
    await pilot.pause()
    assert app.screen is screen


@pytest.mark.parametrize("name", list(SCREENS))
@asynctest
async def test_every_screen_survives_any_size(
    name: str, tmp_path: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    with_rows, setup, phrase = SCREENS[name]
    store = filled_store(tmp_path / "store", bank) if with_rows else Store.open(tmp_path / "s")
    app = AssessApp(store, cursor_blink=False, handle_signals=False, remember_theme=False)
    seed = sum(map(ord, name))
    async with app.run_test(size=(80, 24)) as pilot:
        await setup(pilot, app)
        screen = app.screen
        for width, height in [*SIZES, *random_sizes(seed), *SIZES]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            assert app.screen is screen, (name, width, height)
            text = screen_text(app)
            if width >= 80 and height >= 24:
                assert phrase in text, (name, width, height, text)
        await still_answers_keys(pilot, app)
    assert app.return_code in (None, 0)

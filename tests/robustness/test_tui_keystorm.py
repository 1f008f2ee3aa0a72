"""A key storm: the app driven by random keys on every screen, and it neither crashes nor hangs.

Each run starts on one screen of a store with assessments in it and sends
random keys for a while: letters and digits (answers, shortcuts), Enter,
Escape, Tab, the arrows and PgUp/PgDn, Space, the command palette (Ctrl+P),
help (F1, ?), undo (Ctrl+Z), go to (Ctrl+G), and now and then a resize to a
random size (1×1 included). The runs add up to more than a minute. A run
fails on any exception inside the app, on the app stopping by itself, or on
a key that the app has not dealt with within `HANG` seconds (an unresponsive
screen). At the end the app must still open the help and close it again, and
the store must still read cleanly.

The storm is seeded: the seed is printed (run with `-s` to see it), and
ASSESS_STORM_SEED=N replays a failing storm exactly.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from pathlib import Path

import pytest
from textual.command import CommandPalette

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import Store
from assess.tui.app import AssessApp
from assess.tui.demo import demo_answers
from assess.tui.screens.help import HelpScreen
from tests.tui.helpers import asynctest

pytestmark = pytest.mark.robustness

# Seconds of storm per starting screen: six screens, 66 s in all.
STORM = 11.0
# A key not dealt with in this many seconds is a hang (a PDF export takes a few).
HANG = 30.0

KEYS = [
    *"abcdefghijklmnopqrstuvwxyz",
    *"0123456789",
    "enter", "enter", "escape", "escape", "escape", "tab", "shift+tab",
    "up", "down", "down", "left", "right", "pageup", "pagedown", "pagedown", "home", "end",
    "space", "space", "backspace", "delete", "question_mark", "slash",
    "left_square_bracket", "right_square_bracket", "shift+up", "shift+down",
    "ctrl+p", "f1", "ctrl+z", "ctrl+g", "ctrl+a", "ctrl+s", "minus",
]  # fmt: skip
# How each run reaches its first screen from the home screen.
STARTS: dict[str, list[str]] = {
    "home": [],
    "questions": ["enter"],
    "review": ["enter", "r"],
    "results": ["v"],
    "new form": ["n"],
    "palette": ["ctrl+p"],
}


def _seed() -> int:
    chosen = os.environ.get("ASSESS_STORM_SEED")
    return int(chosen) if chosen else random.SystemRandom().randrange(1_000_000)


# One seed for the whole storm (each run adds its screen's name to it).
SEED = _seed()


def filled(root: Path, bank: Bank) -> Store:
    store = Store.open(root)
    answers = demo_answers(bank)
    answers["S-SERVICES"] = Answer(("ict", "other"))
    answers["S-SERVICES-OTHER"] = Answer("Legal services and [b]courts[/b]")
    store.create(authority="Anytown Borough Council", service="Waste", answers=answers)
    store.create(authority="Bigcity Council", assessor="B. Lee", period="2026/27", stage=2)
    store.create(authority="Cornford", answers={"R-LEAD-OWNERSHIP": Answer(3)})
    return store


async def responsive(pilot, what: str) -> None:
    try:
        await asyncio.wait_for(pilot.pause(), HANG)
    except TimeoutError:
        raise AssertionError(f"the app did not answer within {HANG:.0f} s ({what})") from None


@pytest.mark.parametrize("start", list(STARTS))
@asynctest
async def test_random_keys_never_crash_or_hang(
    start: str, tmp_path: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # exports land here
    (tmp_path / "home").mkdir()
    print(f"key storm from {start!r}: ASSESS_STORM_SEED={SEED}")
    rng = random.Random(f"{SEED} {start}")
    store = filled(tmp_path / "store", bank)
    app = AssessApp(store, cursor_blink=False, handle_signals=False, remember_theme=False)
    pressed: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await responsive(pilot, "start")
        for key in STARTS[start]:
            await pilot.press(key)
            await responsive(pilot, key)
        deadline = time.monotonic() + STORM
        while time.monotonic() < deadline:
            if rng.random() < 0.03:
                sizes = [(1, 1), (60, 20), (80, 24), (120, 40)]
                size = rng.choice([*sizes, (rng.randint(1, 200), rng.randint(1, 60))])
                pressed.append(f"resize{size}")
                await pilot.resize_terminal(*size)
            else:
                key = rng.choice(KEYS)
                pressed.append(key)
                await pilot.press(key)
            await responsive(pilot, " ".join(pressed[-8:]))
            assert app.is_running, f"the app stopped after: {' '.join(pressed[-20:])}"
        # Still answering: back to a normal size, help opens over whatever is on top.
        await pilot.resize_terminal(80, 24)
        await responsive(pilot, "resize")
        under = app.screen
        if isinstance(under, HelpScreen):
            await pilot.press("escape")
            await responsive(pilot, "escape")
            under = app.screen
        await pilot.press("f1")
        await responsive(pilot, "f1")
        if not isinstance(under, CommandPalette):  # the palette ignores F1
            assert isinstance(app.screen, HelpScreen), type(app.screen)
            await pilot.press("escape")
            await responsive(pilot, "escape")
            assert app.screen is under
    print(f"  {len(pressed)} keys and resizes")
    assert app.return_code in (None, 0), pressed[-20:]
    # The store reads cleanly after whatever the storm did to it.
    Store.open(store.root).list()

"""Helpers for driving the app through Pilot's public API: what the screen shows, typing,
and waiting for what a key press leads to.

Why `settle`: `pilot.press` and `pilot.pause` wait until the app looks idle,
judged by how much processor time it used in the last few milliseconds. On a
busy machine the app is starved, uses little, and looks idle while the keys
it was sent are still on their way through the widgets; the test then runs
ahead of the app (and a Ctrl+Q could overtake the keys before it). So a test
waits for the state it expects (the next question on screen, the note in its
box) with `settle`, never for a length of time.
"""

from __future__ import annotations

import asyncio
import functools
import html
import io
import re
from collections.abc import Awaitable, Callable

from rich.cells import cell_len
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

# How many pauses `settle` waits before it gives up: generous, so that only
# a condition that never comes true ends it (the test then fails with a message).
SETTLE_PAUSES = 1000


async def settle(pilot: Pilot, condition: Callable[[], bool], what: str = "") -> None:
    """Pause until `condition()` holds (a hang guard ends it after SETTLE_PAUSES pauses)."""
    for attempt in range(SETTLE_PAUSES):
        if condition():
            return
        # At first only a turn of the event loop; then short waits, for work that
        # happens off the loop (saves run in a thread) on a machine that may be busy.
        await pilot.pause(None if attempt < 100 else 0.02)
    raise AssertionError(f"the app never reached: {what or condition}")


async def type_text(pilot: Pilot, text: str) -> None:
    """Type `text` key by key, as an officer would (Pilot presses each key in turn)."""
    await pilot.press(*("space" if ch == " " else ch for ch in text))


# One run of text in the SVG screenshot: where it starts, how wide it is, its row, the text.
_SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)" '
    r'clip-path="url\(#[^)]*-line-(\d+)\)">(.*?)</text>'
)


def screen_text(app: App[object]) -> str:
    """Everything on the screen as plain text, one line per terminal row.

    Read from the app's own screenshot (`export_screenshot`, the SVG the
    snapshot tests compare), so it is what an officer would see.
    """
    width, height = app.size
    rows = [[" "] * width for _ in range(height)]
    for x, length, line, escaped in _SVG_TEXT.findall(app.export_screenshot()):
        text = html.unescape(escaped).replace("\xa0", " ")
        cells = cell_len(text)
        if not cells or int(line) >= height:
            continue
        column = round(float(x) / (float(length) / cells))
        for char in text:
            if 0 <= column < width:
                rows[int(line)][column] = char
            column += max(cell_len(char), 1)
    return "\n".join("".join(row) for row in rows)


def static_text(widget: Static, width: int = 100) -> str:
    """What a Static shows (all of it, not only the part on screen), as plain text."""
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, legacy_windows=False).print(widget.content)
    return out.getvalue()


def report_text(screen: Screen[object]) -> str:
    """The whole report a results or compare screen shows (every section, scrolled or not)."""
    parts = screen.query(".report-part").results(Static)
    return "".join(static_text(part, width=300) for part in parts)


def asynctest(fn: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async test function on a fresh event loop (no pytest plugin needed)."""

    @functools.wraps(fn)
    def run(*args: object, **kwargs: object) -> None:
        asyncio.run(fn(*args, **kwargs))  # type: ignore[arg-type]

    return run

"""Helpers for driving the app: what the screen shows as text, and typing."""

from __future__ import annotations

import asyncio
import functools
import io
import unicodedata
from collections.abc import Awaitable, Callable

from rich.console import Console
from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot
from textual.widgets import Static


def _key_event(key: str) -> events.Key:
    """The event a terminal key press gives (as Pilot builds it)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(
            _get_unicode_name_from_key(REPLACED_KEYS.get(key, key))
        )
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def keys(pilot: Pilot, *names: str) -> None:
    """Press the keys `names` ("tab", "pagedown", "3"…) in order, then wait once (see type_text)."""
    app = pilot.app
    driver = app._driver
    assert driver is not None
    for name in names:
        event = _key_event(name)
        event.set_sender(app)
        driver.send_message(event)
    await pilot.pause()


async def type_text(pilot: Pilot, text: str) -> None:
    """Type `text` key by key, as an officer would, then wait once for the app to catch up.

    Each key goes through the app's real key handling, in order (a key that
    moves the focus sends the next keys to the new place, as in a terminal);
    only Pilot's wait after every key is left out, which made typing a file
    name take seconds.
    """
    await keys(pilot, *("space" if ch == " " else ch for ch in text))


def screen_text(app: App) -> str:
    """Everything on the screen as plain text, one line per terminal row."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def static_text(widget: Static, width: int = 100) -> str:
    """What a Static shows (all of it, not only the part on screen), as plain text."""
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, legacy_windows=False).print(widget.content)
    return out.getvalue()


def asynctest(fn: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async test function on a fresh event loop (no pytest plugin needed)."""

    @functools.wraps(fn)
    def run(*args: object, **kwargs: object) -> None:
        asyncio.run(fn(*args, **kwargs))  # type: ignore[arg-type]

    return run

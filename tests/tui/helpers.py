"""Helpers for driving the app: what the screen shows as text, and typing."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable

from textual.app import App
from textual.pilot import Pilot


async def type_text(pilot: Pilot, text: str) -> None:
    """Type `text` key by key, as an officer would."""
    # Pilot turns punctuation into key names itself; a space must be named.
    await pilot.press(*("space" if ch == " " else ch for ch in text))


def screen_text(app: App) -> str:
    """Everything on the screen as plain text, one line per terminal row."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def asynctest(fn: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async test function on a fresh event loop (no pytest plugin needed)."""

    @functools.wraps(fn)
    def run(*args: object, **kwargs: object) -> None:
        asyncio.run(fn(*args, **kwargs))  # type: ignore[arg-type]

    return run

"""The key line at the bottom of every screen: the few keys that matter there, in words.

A fixed line of text per screen rather than Textual's Footer, which rebuilds
itself whenever focus or bindings change; on a question screen that cost a
visible fraction of every key press. What it shows comes from the screen's
key table (`tui/keys.py`); F1 lists every key.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import Static

Hint = tuple[str, str]  # (key as written, what it does)


def key_line(hints: Iterable[Hint]) -> Text:
    """`N New  Enter Open` with each key in reverse video."""
    text = Text(end="", no_wrap=True, overflow="ellipsis")
    for i, (key, words) in enumerate(hints):
        if i:
            text.append(" ")
        text.append(f" {key} ", style="bold reverse")
        text.append(f" {words}")
    return text


class KeyBar(Static):
    """Shows (key, words) hints; the key names and words are ours, never data."""

    def __init__(
        self, hints: Iterable[Hint], *, id: str | None = None, classes: str = "keybar"
    ) -> None:
        super().__init__(key_line(hints), id=id, classes=classes)

    def show(self, hints: Iterable[Hint]) -> None:
        self.update(key_line(hints))

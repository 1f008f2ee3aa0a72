"""The key line at the bottom of every screen: the few keys that matter there, in words.

A fixed line of text per screen rather than Textual's Footer, which rebuilds
itself whenever focus or bindings change; on a question screen that cost a
visible fraction of every key press. F1 lists every key.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


def key_line(hints: str) -> Text:
    """`"N new · Enter open"` with each key in bold."""
    text = Text(end="", no_wrap=True, overflow="ellipsis")
    for i, hint in enumerate(h.strip() for h in hints.split("·")):
        if i:
            text.append(" ")
        key, _, words = hint.partition(" ")
        text.append(f" {key} ", style="bold reverse")
        text.append(f" {words}")
    return text


class KeyBar(Static):
    """Shows `hints` ("KEY words · KEY words"); the key names are ours, never data."""

    def __init__(self, hints: str, **kwargs) -> None:
        super().__init__(key_line(hints), classes="keybar", **kwargs)

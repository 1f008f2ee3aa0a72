"""The key line at the bottom of every screen: the few keys that matter there, in words.

A fixed set of hints per screen rather than Textual's Footer, which rebuilds
itself whenever focus or bindings change; on a question screen that cost a
visible fraction of every key press. What it shows comes from the screen's
key table (`tui/keys.py`); F1 lists every key.

On a narrow terminal the hints wrap onto a second (or third) line, each hint
kept whole, so the last ones (F1 Help) never fall off the edge.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.geometry import Size
from textual.widgets import Static

Hint = tuple[str, str]  # (key as written, what it does)


def hint_text(key: str, words: str) -> Text:
    """` Esc  Back`: the key in reverse video, then what it does."""
    text = Text(end="", no_wrap=True)
    text.append(f" {key} ", style="bold reverse")
    text.append(f" {words}")
    return text


def key_lines(hints: Iterable[Hint], width: int) -> list[Text]:
    """The hints packed into lines of at most `width` cells, never splitting a hint."""
    lines: list[Text] = []
    line = Text(end="", no_wrap=True, overflow="ellipsis")
    for key, words in hints:
        piece = hint_text(key, words)
        if line.cell_len and line.cell_len + 1 + piece.cell_len > width:
            lines.append(line)
            line = Text(end="", no_wrap=True, overflow="ellipsis")
        if line.cell_len:
            line.append(" ")
        line.append_text(piece)
    if line.cell_len or not lines:
        lines.append(line)
    return lines


def key_line(hints: Iterable[Hint]) -> Text:
    """Every hint on one line (for a dialog's key line, which wraps as text)."""
    return Text(" ").join(hint_text(k, w) for k, w in hints)


class KeyBar(Static):
    """Shows (key, words) hints; the key names and words are ours, never data."""

    def __init__(
        self, hints: Iterable[Hint], *, id: str | None = None, classes: str = "keybar"
    ) -> None:
        self.hints: list[Hint] = list(hints)
        super().__init__(id=id, classes=classes)

    def show(self, hints: Iterable[Hint]) -> None:
        self.hints = list(hints)
        self.refresh(layout=True)

    def _width(self, width: int) -> int:
        return max(width, 1)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(key_lines(self.hints, self._width(width)))

    def render(self) -> Text:
        lines = key_lines(self.hints, self._width(self.content_size.width or 80))
        return Text("\n", end="").join(lines)

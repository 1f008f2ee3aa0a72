"""A hint under a list that follows the highlight (what a level or an option means).

The hint is always as tall as the longest text it may show at the current
width, so moving the highlight only repaints these lines: nothing below
moves, and the screen needs no new layout on every arrow key (a layout of
the question screen cost more than the rest of a key press together).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from textual.content import Content
from textual.geometry import Size
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.css.styles import RulesMap


class StableHint(Static):
    """Shows one of `texts` at a time, always as tall as the tallest of them."""

    def __init__(self, texts: Iterable[str], **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)
        self.texts: list[str] = []
        self._heights: dict[int, int] = {}
        self.set_texts(texts)

    def set_texts(self, texts: Iterable[str]) -> None:
        """The texts this hint may show (another question's); lays the hint out again."""
        self.texts = [text for text in texts if text]
        self._heights.clear()
        self.display = bool(self.texts)
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            # Textual's own widgets pass their styles as the rules map they are.
            rules = cast("RulesMap", self.styles)
            height = max((Content(text).get_height(rules, width) for text in self.texts), default=0)
            self._heights[width] = height
        return height

    def show(self, text: str) -> None:
        """Show `text` (one of `texts`, or nothing): a repaint, never a new layout."""
        self.update(Content(text), layout=False)

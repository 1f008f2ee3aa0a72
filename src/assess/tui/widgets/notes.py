"""Typed text: the free-text answer and the evidence note.

Both are multi-line text areas. The cursor blink can be turned off (the
snapshot tests do) through the app's `cursor_blink` setting.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.widgets import TextArea

from assess.tui.widgets.base import QUESTION_KEYS


class NoteArea(TextArea):
    """A text area that follows the app's cursor-blink setting."""

    BINDINGS: ClassVar[list[BindingType]] = [*QUESTION_KEYS]

    def __init__(self, text: str = "", **kwargs) -> None:
        super().__init__(text, soft_wrap=True, tab_behavior="focus", **kwargs)

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "cursor_blink", True)

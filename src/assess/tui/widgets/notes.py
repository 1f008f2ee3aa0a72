"""Typed text: the free-text answer and the evidence note.

Both are multi-line text areas. The cursor blink can be turned off (the
snapshot tests do) through the app's `cursor_blink` setting.
"""

from __future__ import annotations

from typing import Any

from textual import getters
from textual.widgets import TextArea

from assess.tui.base import AssessAppBase
from assess.tui.keys import WithKeys
from assess.tui.widgets.base import QUESTION_KEYS
from assess.tui.widgets.field import SELECT_ALL
from assess.tui.widgets.steady import SteadyScrollbars


class NoteArea(WithKeys, SteadyScrollbars, TextArea):
    """A text area that follows the app's cursor-blink setting; Ctrl+A selects all of it."""

    KEYS = (*QUESTION_KEYS, SELECT_ALL)
    app = getters.app(AssessAppBase)

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        super().__init__(text, soft_wrap=True, tab_behavior="focus", **kwargs)

    def on_mount(self) -> None:
        self.cursor_blink = self.app.cursor_blink

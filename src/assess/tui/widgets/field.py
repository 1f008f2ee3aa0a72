"""A one-line text box that follows the app's cursor-blink setting (the snapshot tests turn it off).

Kept apart from the multi-line note area so that screens with only one-line
boxes (the home screen's filter, the forms) do not load the text-area code.
"""

from __future__ import annotations

from textual.widgets import Input


class Field(Input):
    """A one-line input that follows the app's cursor-blink setting."""

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "cursor_blink", True)

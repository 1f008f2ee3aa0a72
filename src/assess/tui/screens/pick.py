"""A dialog that asks the officer to pick one of a short list: a baseline, a kind, a gap.

Up / Down move, Enter picks, Escape cancels; a choice that cannot be made
just now is shown with the reason and cannot be picked. It returns the id
of the choice (None when cancelled) and changes nothing itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from assess.tui.keys import Key
from assess.tui.screens.base import AppModal
from assess.tui.text import hang, plain
from assess.tui.widgets.options import Options


@dataclass(frozen=True)
class Choice:
    """One line of the list: what it is called, a line about it, and whether it can be picked."""

    id: str
    label: str
    about: str = ""
    disabled: bool = False
    current: bool = False  # marked as the one in use now


class PickModal(AppModal[str | None]):
    """Pick one of `choices`; returns its id, or None when cancelled."""

    CSS_PATH = "governance.tcss"

    KEYS = (
        Key("up,down", help="move through the list", shown="Up / Down", bar="Move", bar_shown="↑↓"),
        Key("enter", help="pick the highlighted one", bar="Pick"),
        Key("escape", "cancel", help="cancel: nothing changes", bar="Cancel"),
    )

    def __init__(self, title: str, body: str, choices: Sequence[Choice]) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.choices = tuple(choices)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog pick-dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            if self.body:
                yield Static(plain(self.body), classes="dialog-body", markup=False)
            yield Options(
                *(Option(self._line(c), id=c.id, disabled=c.disabled) for c in self.choices),
                id="choices",
            )
            yield self.key_bar(classes="dialog-keys")

    @staticmethod
    def _line(choice: Choice) -> Group | Text:
        mark = "● " if choice.current else "  "
        title = Text(choice.label, style="bold" if choice.current else "")
        if not choice.about:
            return Text(mark) + title
        return Group(hang(mark, Group(title, Text(choice.about, style="dim"))))

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        start = next((i for i, c in enumerate(self.choices) if c.current and not c.disabled), None)
        if start is None:
            start = next((i for i, c in enumerate(self.choices) if not c.disabled), 0)
        listing.highlighted = start
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)

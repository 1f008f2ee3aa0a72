"""Help: what the keys do on the screen the officer was on, in plain English.

Each screen keeps its help in a `HELP` string: paragraphs of prose, and key
lines written as `KEY<two or more spaces>what it does` (a line indented to
the description column continues the one above). Key lines are laid out as
a two-column table so that descriptions wrap neatly at any terminal width.
"""

from __future__ import annotations

import re
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

GENERAL = """\
On every screen:
F1 or ?   show this help (Escape closes it)
Ctrl+P    search every command by name
F2        switch between the light and dark theme
Ctrl+Q    quit

Every answer is saved as soon as you give it. Typed text is saved a moment after \
you stop typing, when you leave the box, and when you quit."""

_KEY_LINE = re.compile(r"^(\S.{0,17}?)\s{2,}(\S.*)$")
_CONTINUED = re.compile(r"^\s{4,}(\S.*)$")


def layout_help(text: str) -> RenderableType:
    """Prose as wrapped paragraphs; key lines as a table with a key column."""
    parts: list[RenderableType] = []
    table: Table | None = None
    rows: list[list[str]] = []
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            parts.append(Text(" ".join(paragraph)))
            paragraph.clear()

    def end_table() -> None:
        nonlocal table
        if rows:
            table = Table.grid(padding=(0, 2))
            table.add_column(style="bold", no_wrap=True)
            table.add_column()
            for key, what in rows:
                table.add_row(key, what)
            parts.append(table)
            rows.clear()

    for line in text.splitlines():
        continued = _CONTINUED.match(line)
        key_line = _KEY_LINE.match(line)
        if not line.strip():
            end_paragraph()
            end_table()
            parts.append(Text(""))
        elif continued and rows:
            rows[-1][1] += " " + continued.group(1)
        elif key_line:
            end_paragraph()
            rows.append([key_line.group(1).strip(), key_line.group(2)])
        else:
            end_table()
            paragraph.append(line.strip())
    end_paragraph()
    end_table()
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    """A pop-up with the help of the screen underneath."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q,question_mark", "close", "Close")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        text = getattr(self.under, "HELP", None) or "This screen has no keys of its own."
        with Vertical(id="help-box"):
            yield Static("Help", id="help-title", markup=False)
            with VerticalScroll(id="help-scroll"):
                yield Static(layout_help(text), id="help-text")
                yield Static(layout_help(GENERAL), id="help-general")
            yield Static("Escape closes this help · Up/Down scroll", id="help-foot", markup=False)

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)

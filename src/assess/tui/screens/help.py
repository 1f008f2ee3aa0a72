"""Help: what the screen the officer was on is for, and what every key does there.

The prose is the screen's `HELP`; the key tables come from the screen's key
table and the app's (`tui/keys.py`), the same entries that make the bindings,
the key bar and the palette, so the help cannot drift from the keys.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from assess.tui.keys import Key, help_rows
from assess.tui.screens.base import AppModal, AppScreen, HelpTable

GENERAL = (
    "Every answer is saved as soon as you give it. Typed text is saved a moment after "
    "you stop typing, when you leave the box, and when you quit."
)
NO_KEYS = "This screen has no keys of its own."


def prose(text: str) -> list[Text]:
    """Paragraphs (split at blank lines) with their line breaks undone; "- " lines stay lines."""
    out: list[Text] = []
    for block in text.strip().split("\n\n"):
        lines: list[str] = []
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("- ") or not lines:
                lines.append(line)
            else:
                lines[-1] += " " + line
        out.append(Text("\n".join(lines)))
    return out


def key_table(rows: list[tuple[str, str]]) -> Table:
    """Keys in a column of their own, so that what they do wraps neatly at any width."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for key, what in rows:
        table.add_row(Text(key), Text(what))
    return table


def layout_help(text: str, tables: list[HelpTable], *, keys_after: int = 1) -> RenderableType:
    """The prose with the key tables after its first `keys_after` paragraphs.

    The keys come early, where an officer looks for them; the longer
    explanation follows.
    """
    paragraphs: list[list[RenderableType]] = [[p] for p in prose(text)] if text.strip() else []
    keys: list[list[RenderableType]] = [
        [*([Text(heading, style="bold")] if heading else []), key_table(rows)]
        for heading, rows in tables
        if rows
    ]
    parts: list[RenderableType] = []
    for chunk in [*paragraphs[:keys_after], *keys, *paragraphs[keys_after:]]:
        if parts:
            parts.append(Text(""))  # a blank line between paragraphs and tables
        parts += chunk
    return Group(*parts) if parts else Text(NO_KEYS)


class HelpScreen(AppModal[None]):
    """A pop-up with the help of the screen underneath."""

    # Focused by Textual once the screen is shown (a query in on_mount could run
    # after a fast Escape had already taken the screen away).
    AUTO_FOCUS = "#help-scroll"

    KEYS = (
        Key("escape,q", "close", help="close this help (F1 and ? do too)", bar="Close"),
        Key(
            "up,down,pageup,pagedown",
            help="scroll",
            bar="Scroll",
            shown="Up / Down, PgUp / PgDn",
            bar_shown="↑↓",
        ),
    )

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        under = self.under
        if isinstance(under, AppScreen):
            text, tables = under.HELP, under.help_tables()
        else:
            text, tables = "", []
        with Vertical(id="help-box"):
            yield Static("Help", id="help-title", markup=False)
            with VerticalScroll(id="help-scroll"):
                yield Static(layout_help(text, tables), id="help-text")
                yield Static(
                    layout_help(
                        GENERAL, [("On every screen:", help_rows(self.app.KEYS))], keys_after=0
                    ),
                    id="help-general",
                )
            yield self.key_bar(id="help-foot", classes="")

    def key_hints(self, *, labels: dict[str, str] | None = None) -> list[tuple[str, str]]:
        # F1 on the help screen closes it: "F1 Help" would mislead here.
        return [(key.bar_key, key.bar) for key in self.KEYS if key.bar]

    def action_close(self) -> None:
        self.dismiss(None)

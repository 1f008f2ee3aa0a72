"""Showing data text safely and formatting the few values every screen shows.

Names, notes and question text are typed by people and may contain square
brackets that Textual and Rich would read as markup. Everything that comes
from data goes through `plain()` (a literal `Content`) or `literal()` (a
literal Rich `Text`) so that it is shown exactly as typed.
"""

from __future__ import annotations

from datetime import datetime

from rich.console import RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.content import Content


def plain(value: object) -> Content:
    """Data text as literal content: never parsed as markup."""
    return Content(str(value))


def literal(value: object, style: str = "") -> Text:
    """Data text as a literal Rich `Text` (for DataTable cells and bars)."""
    return Text(str(value), style=style, end="")


def one_line(value: str, width: int) -> str:
    """`value` on one line, cut with an ellipsis to fit `width` cells."""
    flat = " ".join(value.split())
    if width <= 1:
        return flat[:width]
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def when(iso: str, *, with_time: bool = False) -> str:
    """A stored UTC timestamp as local date (and time), the same whatever today is."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return iso[:16]
    return moment.strftime("%d %b %Y %H:%M" if with_time else "%d %b %Y")


def plural(count: int, noun: str, many: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (many or noun + 's')}"


def hang(prefix: str | Text, body: RenderableType, style: str = "") -> Table:
    """`prefix` then `body`, where `body` wraps under its own first word, not under the prefix.

    For list items ("   ! text", "1. text", "Action: text"): a wrapped line
    that went back to column 0 made a long list hard to scan.
    """
    head = prefix if isinstance(prefix, Text) else Text(prefix, style=style)
    grid = Table.grid()
    grid.add_column(width=head.cell_len, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(head, Text(body) if isinstance(body, str) else body)
    return grid


def indent(body: RenderableType | str, cells: int) -> Padding:
    """`body` with every line (wrapped ones too) indented by `cells`."""
    return Padding(Text(body) if isinstance(body, str) else body, (0, 0, 0, cells))

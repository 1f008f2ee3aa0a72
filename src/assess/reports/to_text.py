"""The terminal report: a Document drawn with Rich.

Every piece of text is put into a `rich.text.Text` (or a Table of them) and
the console is made with markup, emoji and highlighting off, so nothing an
officer or a bank wrote is ever read as Rich markup: `[bold]` prints as
`[bold]`. Colour is used only when asked for (a terminal without NO_COLOR);
otherwise the output has no escape codes at all, at the given width (80 by
default), so it reads well in a pipe, a file or an email.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table as RichTable
from rich.text import Text

from assess.reports.document import (
    BAR_WIDTH,
    Bars,
    Block,
    Document,
    Facts,
    Heading,
    Items,
    Paragraph,
    Score,
    Table,
    Tone,
    bar_cells,
)
from assess.reports.escape import printable
from assess.reports.layout import report_document
from assess.reports.model import Report

DEFAULT_WIDTH = 80

STYLES: dict[Tone, str] = {
    "plain": "",
    "strong": "bold",
    "muted": "dim",
    "good": "green",
    "warning": "yellow",
    "bad": "red",
}


def render(report: Report, *, width: int = DEFAULT_WIDTH, color: bool = False) -> str:
    """The readiness report for a terminal (`color`) or for plain text."""
    return render_document(report_document(report), width=width, color=color)


def render_document(document: Document, *, width: int = DEFAULT_WIDTH, color: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=max(40, width),
        # With no colour system Rich writes no escape codes at all.
        color_system="standard" if color else None,
        force_terminal=color,
        no_color=not color,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
        legacy_windows=False,
    )
    renderables: list[RenderableType] = [
        _t(document.title, "bold"),
        Text("═" * min(len(document.title), console.width), style="bold"),
    ]
    for block in document.blocks:
        renderables += _block(block, console)
    # One print of the whole report: each print has a fixed cost worth avoiding.
    console.print(Group(*renderables))
    # Rich pads some lines to the full width; trailing spaces only get in the way.
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    return "\n".join(lines).rstrip("\n") + "\n"


def _t(text: str, style: str = "") -> Text:
    """Data text as a Rich Text: never read as markup, control characters made harmless."""
    return Text(printable(text), style=style)


def _styled(text: str, tone: Tone = "plain") -> Text:
    return _t(text, STYLES[tone])


def _block(block: Block, console: Console) -> list[RenderableType]:
    if isinstance(block, Heading):
        style = "bold underline" if block.level <= 2 else "bold"
        return [Text(""), _t(block.text, style)]
    if isinstance(block, Paragraph):
        return [_styled(block.text, block.tone)]
    if isinstance(block, Facts):
        grid = RichTable.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        for label, value in block.pairs:
            grid.add_row(_t(label), _t(value))
        return [Text(""), grid]
    if isinstance(block, Score):
        line = Text()
        line.append(printable(f"{block.label}  "), style="bold")
        line.append(printable(f"{block.shown} / 100"), style="bold")
        line.append("  ")
        line.append(printable(block.band), style=f"bold {STYLES[block.tone]}".strip())
        return [line]
    if isinstance(block, Bars):
        return [_bars(block)]
    if isinstance(block, Table):
        return [_table(block)]
    if isinstance(block, Items):
        return _items(block, console)
    raise TypeError(f"no terminal layout for {type(block).__name__}")


def _bars(block: Bars) -> RichTable:
    grid = RichTable.grid(padding=(0, 1))
    grid.add_column(ratio=1, overflow="fold")
    grid.add_column(no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(style="dim", overflow="fold", max_width=26)
    for bar in block.rows:
        filled = bar_cells(bar.value, BAR_WIDTH)
        drawn = Text()
        drawn.append("█" * filled, style=STYLES[bar.tone])
        drawn.append("░" * (BAR_WIDTH - filled), style="dim")
        grid.add_row(_t(bar.label), drawn, _t(bar.shown), _t(bar.note))
    return grid


def _table(block: Table) -> RichTable:
    table = RichTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    for column in block.columns:
        table.add_column(
            _t(column.title, "bold"),
            justify=column.align,
            overflow="fold",
            ratio=1 if column.wide else None,
            no_wrap=not column.wide,
        )
    for row in block.rows:
        table.add_row(*(_t(cell) for cell in row))
    return table


def _items(block: Items, console: Console) -> list[RenderableType]:
    # Wrapped by hand with a hanging indent: much faster than a grid per item,
    # and the number stays clear of the wrapped lines.
    indent = len(f"{len(block.items)}.") + 1 if block.numbered else 2
    out: list[RenderableType] = []
    for number, item in enumerate(block.items, 1):
        marker = f"{number}." if block.numbered else "•"
        title = _t(item.title, f"bold {STYLES[item.tone]}".strip())
        out += [Text(""), _hanging(title, marker.rjust(indent - 1) + " ", indent, console)]
        for label, text in item.lines:
            if not text:
                continue
            line = Text()
            if label:
                line.append(printable(f"{label}: "), style="bold")
            line.append(printable(text))
            out.append(_hanging(line, " " * indent, indent, console))
    return out


def _hanging(text: Text, first: str, indent: int, console: Console) -> Text:
    """`text` wrapped to the console, the first line after `first`, the rest indented."""
    lines = text.wrap(console, max(20, console.width - indent), overflow="fold")
    result = Text(first, style="bold")
    for i, line in enumerate(lines):
        if i:
            result.append("\n" + " " * indent)
        result.append_text(line)
    return result

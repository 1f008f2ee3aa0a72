"""The terminal report: a Document drawn with Rich.

Every piece of text is put into a `rich.text.Text` (or a Table of them) and
the console is made with markup, emoji and highlighting off, so nothing an
officer or a bank wrote is ever read as Rich markup: `[bold]` prints as
`[bold]`. Colour is used only when asked for (a terminal without NO_COLOR);
otherwise the output has no escape codes at all, at the given width (80 by
default), so it reads well in a pipe, a file or an email.

`document_renderables` hands the same renderables, block by block, to the
app's results and compare screens, so they draw what this module prints.

Without colour, blocks whose text is all one cell a character (as almost all
text is) are drawn straight into lines (`_plain_block`), as `_plain_items`
does for lists: the same rules Rich lays them out by (its table widths,
padding, word wrap, folding and cropping), without its per-cell machinery,
which costs most of a report's time. The same characters come out either
way; `tests/reports/test_plain_drawing.py` draws documents both ways to keep
it so, and any other block goes through Rich. Rich is imported only then:
a plain report of such text is drawn without it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assess.reports.document import (
    BAR_WIDTH,
    Bars,
    Block,
    Chart,
    Document,
    Facts,
    Heading,
    Items,
    Paragraph,
    Score,
    Table,
    Tone,
    bar_cells,
    chart_rows,
)
from assess.reports.escape import shown
from assess.reports.layout import report_document
from assess.reports.model import Report

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table as RichTable
    from rich.text import Text

DEFAULT_WIDTH = 80

STYLES: dict[Tone, str] = {
    "plain": "",
    "strong": "bold",
    "muted": "dim",
    "good": "green",
    "warning": "yellow",
    "bad": "red",
}


def render(
    report: Report, *, width: int = DEFAULT_WIDTH, color: bool = False, marking: str = ""
) -> str:
    """The readiness report for a terminal (`color`) or for plain text."""
    return render_document(report_document(report), width=width, color=color, marking=marking)


def render_document(
    document: Document, *, width: int = DEFAULT_WIDTH, color: bool = False, marking: str = ""
) -> str:
    """The document drawn in characters; `marking` (e.g. OFFICIAL) is its first and last line."""
    out = _Out(width, color)
    if marking:
        out.draw(_plain_lines([shown(marking), ""], out.width), lambda: _marking(marking, True))
    out.draw(_plain_title(document, out.width), lambda: _title(document, out.console))
    for block in document.blocks:
        if isinstance(block, Items) and not color:
            # Without colour a list is plain lines: written straight out, it costs a
            # fraction of drawing thousands of lines through the console.
            out.flush()
            out.buffer.write(_plain_items(block, out))
            continue
        plain = None if color else _plain_block(block, out.width)
        out.draw(plain, _through_rich(block, out))
    if marking:
        out.draw(_plain_lines(["", shown(marking)], out.width), lambda: _marking(marking, False))
    out.flush()
    # Rich pads some lines to the full width; trailing spaces only get in the way.
    lines = [line.rstrip() for line in out.buffer.getvalue().splitlines()]
    return "\n".join(lines).rstrip("\n") + "\n"


class _Out:
    """Where a document is drawn: lines written straight, or renderables through Rich.

    The console (and Rich) is made only when a block needs it; renderables
    wait and are printed together, since each print has a fixed cost.
    """

    def __init__(self, width: int, color: bool) -> None:
        self.buffer = io.StringIO()
        self.width = max(40, width)  # as `_console` makes it
        self.color = color
        self._console: Console | None = None
        self.pending: list[RenderableType] = []

    @property
    def console(self) -> Console:
        if self._console is None:
            self._console = _console(self.width, self.color, self.buffer)
        return self._console

    def draw(self, plain: list[str] | None, rich: Callable[[], list[RenderableType]]) -> None:
        """Lines already drawn (when not colour and not None), else `rich()` through Rich."""
        if plain is None or self.color:
            self.pending += rich()
            return
        self.flush()
        self.buffer.write("".join(line + "\n" for line in plain))

    def flush(self) -> None:
        """Print what is waiting, in one go, and clear it."""
        if self.pending:
            from rich.console import Group

            self.console.print(Group(*self.pending))
            self.pending.clear()


def _through_rich(block: Block, out: _Out) -> Callable[[], list[RenderableType]]:
    """What draws `block` through Rich, should it need to be."""
    return lambda: _block(block, out.console)


def _marking(marking: str, first: bool) -> list[RenderableType]:
    from rich.text import Text

    line = _t(marking, "bold")
    return [line, Text("")] if first else [Text(""), line]


def document_renderables(document: Document, *, width: int = DEFAULT_WIDTH) -> list[RenderableType]:
    """What `render_document` prints, as Rich renderables laid out `width` cells wide.

    For a caller that draws them itself (the app's results and compare
    screens): the same title and blocks, in the same words and styles, from
    the same functions. A document with an empty title starts with its first
    block (a part of a longer document).
    """
    console = _console(width, color=True, file=io.StringIO())
    renderables = _title(document, console)
    for block in document.blocks:
        renderables += _block(block, console)
    return renderables


def _console(width: int, color: bool, file: io.StringIO) -> Console:
    """A console that never reads text as markup, emoji or something to highlight."""
    from rich.console import Console

    return Console(
        file=file,
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


def _title(document: Document, console: Console) -> list[RenderableType]:
    from rich.text import Text

    if not document.title:
        return []
    return [
        _t(document.title, "bold"),
        Text("═" * min(len(document.title), console.width), style="bold"),
    ]


def _plain_title(document: Document, width: int) -> list[str] | None:
    """`_title` drawn without colour."""
    if not document.title:
        return []
    return _plain_lines([shown(document.title), "═" * min(len(document.title), width)], width)


def _t(text: str, style: str = "") -> Text:
    """Data text as a Rich Text: never read as markup, control characters made harmless."""
    from rich.text import Text

    return Text(shown(text), style=style)


def _styled(text: str, tone: Tone = "plain") -> Text:
    return _t(text, STYLES[tone])


def _block(block: Block, console: Console) -> list[RenderableType]:
    from rich.table import Table as RichTable
    from rich.text import Text

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
        line.append(shown(f"{block.label}  "), style="bold")
        line.append(shown(f"{block.shown} / 100"), style="bold")
        line.append("  ")
        line.append(shown(block.band), style=f"bold {STYLES[block.tone]}".strip())
        return [line]
    if isinstance(block, Bars):
        return [_bars(block)]
    if isinstance(block, Chart):
        return [Text(""), _t(block.title, "bold"), _chart(block)]
    if isinstance(block, Table):
        return [_table(block)]
    if isinstance(block, Items):
        return _items(block, console)
    raise TypeError(f"no terminal layout for {type(block).__name__}")


def _bars(block: Bars) -> RichTable:
    from rich.table import Table as RichTable
    from rich.text import Text

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


def _chart(block: Chart) -> RichTable:
    """A chart in characters: a sparkline per trend, or a bar from lowest to highest."""
    from rich.table import Table as RichTable

    grid = RichTable.grid(padding=(0, 1))
    grid.add_column(ratio=1, overflow="fold")
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    for label, drawn, figures in chart_rows(block)[1]:
        grid.add_row(_t(label), _t(drawn), _t(figures))
    return grid


def _table(block: Table) -> RichTable:
    from rich import box
    from rich.table import Table as RichTable

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
    # and the number stays clear of the wrapped lines. The whole list is one
    # Text, already wrapped: a long comparison has thousands of these lines,
    # and each renderable costs the console as much again as the wrapping.
    from rich.text import Text

    indent = len(f"{len(block.items)}.") + 1 if block.numbered else 2
    out = Text(no_wrap=True, overflow="fold")
    for number, item in enumerate(block.items, 1):
        marker = f"{number}." if block.numbered else "•"
        title = _t(item.title, f"bold {STYLES[item.tone]}".strip())
        out.append("\n" if number == 1 else "\n\n")  # a blank line before each item
        out.append_text(_hanging(title, marker.rjust(indent - 1) + " ", indent, console))
        for label, text in item.lines:
            if not text:
                continue
            line = Text()
            if label:
                line.append(shown(f"{label}: "), style="bold")
            line.append(shown(text))
            out.append("\n")
            out.append_text(_hanging(line, " " * indent, indent, console))
    return [out]


def _hanging(text: Text, first: str, indent: int, console: Console) -> Text:
    """`text` wrapped to the console, the first line after `first`, the rest indented."""
    from rich.text import Text

    lines = _wrap(text, max(20, console.width - indent), console)
    # Already wrapped: the console need not wrap it again. Only the marker is
    # bold: a style given to the Text itself would make every line bold.
    result = Text(no_wrap=True, overflow="fold")
    result.append(first, style="bold")
    for i, line in enumerate(lines):
        if i:
            result.append("\n" + " " * indent)
        result.append_text(line)
    return result


def _plain_items(block: Items, drawing: _Out) -> str:
    """The list as `_items` draws it, as plain text (for output without colour)."""
    indent = len(f"{len(block.items)}.") + 1 if block.numbered else 2
    width = max(20, drawing.width - indent)
    out: list[str] = []
    for number, item in enumerate(block.items, 1):
        marker = f"{number}." if block.numbered else "•"
        out.append("")
        entries = [(marker.rjust(indent - 1) + " ", shown(item.title))]
        entries += [
            (" " * indent, shown(f"{label}: {text}" if label else text))
            for label, text in item.lines
            if text
        ]
        for first, text in entries:
            lines = (
                _fold(text, width) if _simple(text) else _plain_wrap(text, width, drawing.console)
            )
            for i, line in enumerate(lines):
                out.append((first if i == 0 else " " * indent) + line)
    return "\n".join(out) + "\n"


_WORD = re.compile(r"\s*\S+\s*")


def _wrap(text: Text, width: int, console: Console) -> list[Text]:
    """`text` wrapped to `width` exactly as `Text.wrap` (fold) does, but faster.

    A long comparison lists thousands of answer lines; Rich measures every word
    in cells, which costs most of the time of the whole report. When every
    character is one cell wide (as in almost all text), lengths are plain
    `len`, and the same line breaks come from the same greedy rule here.
    """
    plain = text.plain
    if not _one_cell_each(plain):
        return list(text.wrap(console, width, overflow="fold"))
    if len(plain) <= width:
        return [text]
    lines = text.divide(_breaks(plain, width))
    for line in lines:
        line.rstrip_end(width)
    return list(lines)


def _plain_wrap(text: str, width: int, console: Console) -> list[str]:
    """`_wrap` for a plain string."""
    if not _one_cell_each(text):
        from rich.text import Text

        return [line.plain for line in Text(text).wrap(console, width, overflow="fold")]
    if len(text) <= width:
        return [text]
    starts = [0, *_breaks(text, width)]
    ends = [*starts[1:], len(text)]
    return [text[start:end] for start, end in zip(starts, ends, strict=True)]


def _one_cell_each(text: str) -> bool:
    if _simple(text):
        return True
    from rich.cells import cell_len

    return "\n" not in text and "\t" not in text and cell_len(text) == len(text)


def _breaks(plain: str, width: int) -> list[int]:
    """Where Rich's greedy word wrap (folding long words) breaks `plain`."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(plain):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            # A word longer than a line is folded, as Rich does.
            pieces = [word[i : i + width] for i in range(0, len(word), width)]
            for n, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if n == len(pieces) - 1:
                    offset = len(piece)
                else:
                    start += len(piece)
        else:
            breaks.append(start)
            offset = len(word)
    return breaks


# ----------------------------------------------------------------------------
# Drawing without colour, straight into lines (see the module docstring)

# Characters Rich counts as one cell (its own quick set, and the punctuation and
# currency signs banks and officers write); other text is drawn through Rich.
_ONE_CELL = frozenset(
    chr(code)
    for start, end in (
        (0x20, 0x7E),
        (0xA0, 0xAC),
        (0xAE, 0x2FF),
        (0x370, 0x482),
        (0x2010, 0x2027),
        (0x2030, 0x205E),
        (0x20A0, 0x20BF),
        (0x2190, 0x22FF),
        (0x2500, 0x25FC),
    )
    for code in range(start, end + 1)
)


def _simple(text: str) -> bool:
    """Whether every character of `text` is one cell wide, on one line (no tab)."""
    return _ONE_CELL.issuperset(text)


@dataclass(frozen=True)
class _Column:
    """What `_plain_grid` needs of a Rich table column."""

    justify: str = "left"
    wrap: bool = True  # False: no_wrap
    overflow: str = "ellipsis"
    max_width: int | None = None


def _plain_block(block: Block, width: int) -> list[str] | None:
    """`block` drawn as `_block` draws it without colour; None when it needs Rich."""
    if isinstance(block, Heading):
        return _plain_lines(["", shown(block.text)], width)
    if isinstance(block, Paragraph):
        return _plain_lines([shown(block.text)], width)
    if isinstance(block, Score):
        line = shown(f"{block.label}  ") + shown(f"{block.shown} / 100") + "  " + shown(block.band)
        return _plain_lines([line], width)
    columns: tuple[_Column, ...]
    if isinstance(block, Facts):
        columns = (_Column(wrap=False), _Column(overflow="fold"))
        grid = _plain_grid(columns, None, [[shown(a), shown(b)] for a, b in block.pairs], width, 2)
        return None if grid is None else ["", *grid]
    if isinstance(block, Bars):
        columns = (
            _Column(overflow="fold"),
            _Column(wrap=False),
            _Column(justify="right", wrap=False),
            _Column(overflow="fold", max_width=26),
        )
        rows = []
        for bar in block.rows:
            filled = bar_cells(bar.value, BAR_WIDTH)
            drawn = "█" * filled + "░" * (BAR_WIDTH - filled)
            rows.append([shown(bar.label), drawn, shown(bar.shown), shown(bar.note)])
        return _plain_grid(columns, None, rows, width, 1)
    if isinstance(block, Chart):
        title = _plain_lines(["", shown(block.title)], width)
        columns = (_Column(overflow="fold"), _Column(wrap=False), _Column(wrap=False))
        rows = [[shown(a), shown(b), shown(c)] for a, b, c in chart_rows(block)[1]]
        grid = _plain_grid(columns, None, rows, width, 1)
        return None if title is None or grid is None else [*title, *grid]
    if isinstance(block, Table):
        columns = tuple(
            _Column(justify=c.align, wrap=c.wide, overflow="fold") for c in block.columns
        )
        head = [shown(c.title) for c in block.columns]
        rows = [[shown(cell) for cell in row] for row in block.rows]
        return _plain_grid(columns, head, rows, width, 1)
    return None


def _plain_lines(texts: list[str], width: int) -> list[str] | None:
    """Lines of text wrapped to the console, as a Text each; None if any is not simple."""
    if not all(_simple(text) for text in texts):
        return None
    return [line for text in texts for line in _fold(text, width)]


def _fold(text: str, width: int) -> list[str]:
    """Simple text word-wrapped to `width`, long words folded (`Text.wrap`, overflow fold)."""
    if len(text) <= width:
        return [text]
    starts = [0, *_breaks(text, width)]
    ends = [*starts[1:], len(text)]
    return [text[start:end] for start, end in zip(starts, ends, strict=True)]


def _plain_grid(
    columns: tuple[_Column, ...],
    head: list[str] | None,
    rows: list[list[str]],
    width: int,
    padding: int,
) -> list[str] | None:
    """A table drawn as Rich draws `_table` (with `head`) or a grid (without), in lines.

    With `head`: box SIMPLE_HEAD, no edge, padding (0, 1) not at the edges. A
    grid: no box, padding (0, `padding`) collapsed, not at the edges. None when
    some text is not simple, or a column is too narrow to draw.
    """
    cells = [*([head] if head else []), *rows]
    if not all(_simple(text) for row in cells for text in row):
        return None
    n = len(columns)
    if head:
        pads = [(0 if i == 0 else padding, 0 if i == n - 1 else padding) for i in range(n)]
    else:  # collapsed: each column but the last has its padding on the right only
        pads = [(0, 0 if i == n - 1 else padding) for i in range(n)]
    available = width - (n - 1 if head else 0)
    if available < 1:
        return None
    measured = [[_measure(row[i]) for row in cells] for i in range(n)]

    def column_width(i: int, limit: int) -> int:
        # `Table._measure_column`: each cell measured within `limit`, padding included.
        # Only the widest counts: Rich uses a column's minimum only to expand a table.
        extra = sum(pads[i])
        high: int | None = None
        for text_min, text_max in measured[i]:
            if limit - extra < 1:
                cell = (limit, limit)
            else:
                inner = _normalized(min(text_min, limit), min(text_max, limit))
                inner = (0, 0) if inner[1] < 1 else inner
                cell = (min(inner[0] + extra, limit), min(inner[1] + extra, limit))
            cell = _normalized(*cell)
            cell_max = 0 if cell[1] < 1 else cell[1]
            high = cell_max if high is None else max(high, cell_max)
        widest = min(limit if high is None else high, limit)
        most = columns[i].max_width
        return widest if most is None else min(widest, most + extra)

    widths = [column_width(i, available) or 1 for i in range(n)]
    if sum(widths) > available:
        widths = _collapse(widths, [c.wrap for c in columns], available)
        if sum(widths) > available:
            widths = _ratio_reduce(sum(widths) - available, [1] * n, widths, widths)
        widths = [column_width(i, w) for i, w in enumerate(widths)]
    # A column squeezed to nothing draws as nothing (Rich does the same); one left
    # too narrow for its own padding is drawn by Rich.
    if any(w and w - sum(pad) < 1 for w, pad in zip(widths, pads, strict=True)):
        return None
    lines: list[str] = []
    divider = " " if head else ""
    for number, row in enumerate(cells):
        drawn = [_plain_cell(text, widths[i], pads[i], columns[i]) for i, text in enumerate(row)]
        height = max(len(cell) for cell in drawn)
        for i, cell in enumerate(drawn):
            blank = [" " * widths[i]] * (height - len(cell))
            # Rich aligns the header row at the bottom, every other row at the top.
            drawn[i] = blank + cell if head and number == 0 else cell + blank
        lines += [divider.join(cell[k] for cell in drawn) for k in range(height)]
        if head and number == 0:
            lines.append("─" * (sum(widths) + n - 1))
    # Squeezed hard, the columns can still add up to more than the console, which
    # crops every line to its width.
    return [line[:width] for line in lines]


def _measure(text: str) -> tuple[int, int]:
    """`Text.__rich_measure__` for simple text: the longest word and the longest line."""
    longest_line = len(text)
    words = text.split()
    return (max(len(word) for word in words) if words else longest_line), longest_line


def _normalized(low: int, high: int) -> tuple[int, int]:
    low = min(max(0, low), high)
    return max(0, low), max(0, max(low, high))


def _plain_cell(text: str, width: int, pad: tuple[int, int], column: _Column) -> list[str]:
    """One cell's lines: its text wrapped or cut to fit, justified, padded."""
    if not width:
        return [""]
    inner = width - pad[0] - pad[1]
    pieces = _fold(text, inner) if column.wrap else [text]
    lines = []
    for piece in pieces:
        if column.wrap and len(piece) > inner:  # `Text.rstrip_end`
            excess = len(piece) - inner
            spaces = len(piece) - len(piece.rstrip())
            piece = piece[: len(piece) - min(spaces, excess)]
        if column.justify == "right":
            piece = _cut(piece.rstrip(), inner, column.overflow).rjust(inner)
        else:
            piece = _cut(piece, inner, column.overflow).ljust(inner)
        lines.append(" " * pad[0] + piece + " " * pad[1])
    return lines


def _cut(text: str, width: int, overflow: str) -> str:
    """`Text.truncate`: text longer than `width` cropped, with an ellipsis unless folding."""
    if len(text) <= width:
        return text
    return text[: width - 1] + "…" if overflow == "ellipsis" else text[:width]


def _collapse(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    """`Table._collapse_widths`: narrow the widest wrapping columns until the table fits."""
    total = sum(widths)
    excess = total - max_width
    if any(wrapable):
        while total and excess > 0:
            widest = max(w for w, can in zip(widths, wrapable, strict=True) if can)
            second = max(
                w if can and w != widest else 0 for w, can in zip(widths, wrapable, strict=True)
            )
            difference = widest - second
            ratios = [
                1 if (w == widest and can) else 0 for w, can in zip(widths, wrapable, strict=True)
            ]
            if not any(ratios) or not difference:
                break
            widths = _ratio_reduce(excess, ratios, [min(excess, difference)] * len(widths), widths)
            total = sum(widths)
            excess = total - max_width
    return widths


def _ratio_reduce(
    total: int, ratios: list[int], maximums: list[int], values: list[int]
) -> list[int]:
    """`rich._ratio.ratio_reduce`: take `total` off `values` in proportion to `ratios`."""
    ratios = [ratio if most else 0 for ratio, most in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    result = []
    for ratio, most, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            taken = min(most, round(ratio * remaining / total_ratio))
            result.append(value - taken)
            remaining -= taken
            total_ratio -= ratio
        else:
            result.append(value)
    return result

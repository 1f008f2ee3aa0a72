"""The home screen's table of assessments: every one of them, however many, drawn on demand.

A store may hold ten thousand assessments. This table keeps only the list of
summaries (already sorted and filtered by the home screen) and draws the rows
that are on screen when they are painted, so showing, sorting or filtering
any number of rows costs the same as a screenful, and memory grows only with
the summaries themselves.

Keys: Up/Down, PgUp/PgDn, Home/End move the highlighted row; Enter (or a
double click) chooses it. The header stays at the top while the rows scroll.
Cell text comes from data, so it is cut to fit and stripped of control
characters before it reaches the terminal, never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from assess.tui.widgets.steady import SteadyScrollbars

# (key, heading, width in cells)
Column = tuple[str, str, int]
# One cell: its text and its style ("" for the row's own).
Cell = tuple[str, str]

_CONTROL = {code: None for code in [*range(32), 127, *range(128, 160)]}


def fit(text: str, width: int) -> str:
    """`text` on one line, without control characters, cut with an ellipsis to `width` cells."""
    flat = " ".join(text.translate(_CONTROL).split()) if text else ""
    if width <= 0:
        return ""
    cut = set_cell_size(flat, width)
    if cut.rstrip() != flat and flat:
        cut = set_cell_size(flat, width - 1) + "…"
    return cut


class SummaryTable(SteadyScrollbars, ScrollView, can_focus=True):
    """Rows of cells computed on demand by `cells(index)`; one highlighted row."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "summary-table--header",
        "summary-table--cursor",
        "summary-table--stripe",
    }
    DEFAULT_CSS = """
    SummaryTable {
        background: $surface;
        color: $foreground;
        & > .summary-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .summary-table--stripe {
            background: $surface-lighten-1 50%;
        }
        & > .summary-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .summary-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        &:dark > .summary-table--stripe {
            background: $surface-darken-1 40%;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "choose", "Open", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Chosen(Message):
        """The officer pressed Enter on (or double-clicked) row `index`."""

        def __init__(self, table: SummaryTable, index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.columns: list[Column] = []
        self.headings: list[Cell] = []
        self.row_count = 0
        self.cells: Callable[[int], Sequence[Cell]] = lambda index: ()
        # Called as the highlight moves, not posted: what follows it (the detail
        # pane) is then drawn in the same frame as the rows, not one frame later.
        self.moved: Callable[[int], None] = lambda index: None

    # -- what is shown ---------------------------------------------------------

    def show(
        self,
        columns: list[Column],
        headings: list[Cell],
        row_count: int,
        cells: Callable[[int], Sequence[Cell]],
        cursor: int = 0,
        moved: Callable[[int], None] | None = None,
    ) -> None:
        """Show `row_count` rows whose cells `cells(index)` gives, the cursor on row `cursor`.

        `moved(index)` is called each time the highlight moves to another row.
        """
        if moved is not None:
            self.moved = moved
        self.columns = columns
        self.headings = headings
        self.row_count = row_count
        self.cells = cells
        width = sum(w + 2 for _, _, w in columns)
        self.virtual_size = Size(width, row_count + 1)
        self.cursor_row = max(0, min(cursor, row_count - 1))
        self.refresh()

    def refresh_row(self, index: int) -> None:
        """Repaint one row (its selection mark changed)."""
        y = index - round(self.scroll_y) + 1
        if 1 <= y < self.size.height:
            self.refresh_lines(y)

    @property
    def _page(self) -> int:
        return max(1, self.size.height - 1)  # rows below the header

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, self.row_count - 1)) if self.row_count else 0

    def watch_cursor_row(self, old: int, new: int) -> None:
        top = round(self.scroll_y)
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + self._page:
            self.scroll_to(y=new - self._page + 1, animate=False, immediate=True)
        self.refresh_row(old)
        self.refresh_row(new)
        if old != new:
            self.moved(new)

    # -- keys and mouse ------------------------------------------------------------

    def action_move(self, step: int) -> None:
        self.cursor_row += step

    def action_page(self, step: int) -> None:
        self.cursor_row += step * self._page

    def action_jump(self, where: int) -> None:
        self.cursor_row = self.row_count - 1 if where < 0 else 0

    def action_choose(self) -> None:
        if self.row_count:
            self.post_message(self.Chosen(self, self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        index = round(self.scroll_y) + event.y - 1
        if 0 <= index < self.row_count:
            self.cursor_row = index
            if event.chain >= 2:
                self.action_choose()

    # -- drawing -----------------------------------------------------------------

    def _segments(self, cells: Sequence[Cell], base: Style) -> list[Segment]:
        segments = []
        for (_, _, width), (text, style) in zip(self.columns, cells, strict=False):
            cell_style = base + Style.parse(style) if style else base
            segments.append(Segment(" ", base))
            segments.append(Segment(fit(text, width), cell_style))
            segments.append(Segment(" ", base))
        return segments

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            base = self.get_component_rich_style("summary-table--header")
            segments = self._segments(self.headings, base)
        else:
            index = round(self.scroll_y) + y - 1
            if index >= self.row_count:
                return Strip.blank(width, self.rich_style)
            if index == self.cursor_row:
                base = self.rich_style + self.get_component_rich_style("summary-table--cursor")
            elif index % 2:
                base = self.rich_style + self.get_component_rich_style("summary-table--stripe")
            else:
                base = self.rich_style
            segments = self._segments(self.cells(index), base)
        strip = Strip(segments)
        return strip.adjust_cell_length(width, base).crop(0, width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()

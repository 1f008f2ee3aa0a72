"""The questionnaire's sidebar: every section shown, grouped by instrument, with answered counts.

The survey's sections come under "Survey" and the readiness criteria's under
"Readiness", so an officer sees which instrument a section belongs to. A
section's title is never cut: a long one wraps onto a second line, under its
own first word, with the count on its first line. A tick marks a finished
section. Enter on a section opens its first unanswered question. Moving
between questions redraws only the lines that changed (the count column is
as wide as the largest count can be, so a line never changes height).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets.option_list import Option, OptionDoesNotExist

from assess.tui.keys import WithKeys
from assess.tui.widgets.base import QUESTION_KEYS
from assess.tui.widgets.options import Options
from assess.tui.widgets.picker import hanging

# (section id, instrument heading, title, answered, shown)
Row = tuple[str, str, str, int, int]
HEADING = "heading:"


class SectionList(WithKeys, Options):
    """Sections as `✓ Title … 3/5` under their instrument's heading; the current one marked."""

    KEYS = QUESTION_KEYS

    class Picked(Message):
        def __init__(self, section_id: str) -> None:
            super().__init__()
            self.section_id = section_id

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)
        self.rows: list[Row] = []
        self.current: str | None = None
        self._drawn: list[tuple[Row, bool]] = []
        self._drawn_width = 0

    def show(self, rows: list[Row], current: str | None) -> None:
        self.rows = rows
        self.current = current
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _line(self, row: Row, width: int) -> Text:
        section_id, _, title, answered, shown = row
        count = f"{answered}/{shown}".rjust(len(f"{shown}/{shown}"))
        mark = "✓" if answered == shown else ("›" if section_id == self.current else " ")
        head = Text(mark + " ", style="bold", end="")
        room = max(width - len(count) - 1, 4)
        body = hanging(head, " ".join(title.split()), room)
        if section_id == self.current:
            body.stylize("bold", 2)
        first, _, rest = body.plain.partition("\n")
        line = body[: len(first)]
        line.append(" " * max(1, width - len(first) - len(count)))
        line.append(count, style="dim" if answered < shown else "")
        if rest:
            line.append("\n")
            line.append_text(body[len(first) + 1 :])
        return line

    def _option_rows(self, width: int) -> list[Option]:
        options: list[Option] = []
        heading = None
        for row in self.rows:
            if row[1] != heading:
                heading = row[1]
                options.append(
                    Option(
                        Text(heading, style="bold underline"), id=HEADING + heading, disabled=True
                    )
                )
            options.append(Option(self._line(row, width), id=row[0]))
        return options

    def _draw(self) -> None:
        width = max(self.scrollable_content_region.width, 12)
        keys = [(row, row[0] == self.current) for row in self.rows]
        same = [k[0][:3] for k in keys] == [k[0][:3] for k in self._drawn]
        if width == self._drawn_width and same:
            # The same sections: redraw only the lines that changed (a count, the
            # current section), which needs no new layout.
            for key, before in zip(keys, self._drawn, strict=True):
                if key != before:
                    index = self.get_option_index(key[0][0])
                    self.replace_option_prompt_at_index(index, self._line(key[0], width))
            self.refresh()
        else:
            self.set_options(self._option_rows(width))
        self._drawn = keys
        self._drawn_width = width
        if self.current is not None:
            try:
                index = self.get_option_index(self.current)
            except OptionDoesNotExist:
                return
            if self.highlighted != index:
                self.highlighted = index

    def action_select(self) -> None:
        option = self.highlighted_option
        if option is not None and option.id is not None and not option.disabled:
            self.post_message(self.Picked(option.id))

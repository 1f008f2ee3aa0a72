"""The questionnaire's sidebar: every section shown, with answered / shown counts.

Each line is one section, cut to the sidebar's width so that all sections
fit an 80×24 terminal (the sidebar grows on wider terminals, so whole titles
show there). A tick marks a finished section. Enter on a section opens its
first unanswered question. Moving between questions redraws only the lines
that changed.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from assess.tui.keys import WithKeys
from assess.tui.text import one_line
from assess.tui.widgets.base import QUESTION_KEYS


class SectionList(WithKeys, OptionList):
    """Sections as `✓ Title … 3/5`; the current one is highlighted."""

    KEYS = QUESTION_KEYS

    class Picked(Message):
        def __init__(self, section_id: str) -> None:
            super().__init__()
            self.section_id = section_id

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)
        self.rows: list[tuple[str, str, int, int]] = []
        self.current: str | None = None
        self._drawn: list[tuple[str, str, int, int, bool]] = []
        self._drawn_width = 0

    def show(self, rows: list[tuple[str, str, int, int]], current: str | None) -> None:
        """Rows are (section id, title, answered, shown)."""
        self.rows = rows
        self.current = current
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _line(self, row: tuple[str, str, int, int], width: int) -> Text:
        section_id, title, answered, shown = row
        count = f"{answered}/{shown}"
        mark = "✓" if answered == shown else ("›" if section_id == self.current else " ")
        room = width - len(count) - 3
        line = Text(end="", no_wrap=True)
        line.append(mark + " ", style="bold")
        name = one_line(title, room)
        line.append(name, style="bold" if section_id == self.current else "")
        line.append(" " * max(1, width - 2 - len(name) - len(count)))
        line.append(count, style="dim" if answered < shown else "")
        return line

    def _draw(self) -> None:
        width = max(self.scrollable_content_region.width, 12)
        keys = [(*row, row[0] == self.current) for row in self.rows]
        if width == self._drawn_width and [k[0] for k in keys] == [k[0] for k in self._drawn]:
            # The same sections: redraw only the lines that changed (a count, the
            # current section), which needs no new layout.
            for index, (key, before) in enumerate(zip(keys, self._drawn, strict=True)):
                if key != before:
                    self.replace_option_prompt_at_index(index, self._line(self.rows[index], width))
            self.refresh()
        else:
            self.set_options(Option(self._line(row, width), id=row[0]) for row in self.rows)
        self._drawn = keys
        self._drawn_width = width
        ids = [r[0] for r in self.rows]
        if self.current in ids and self.highlighted != ids.index(self.current):
            self.highlighted = ids.index(self.current)

    def action_select(self) -> None:
        option = self.highlighted_option
        if option is not None and option.id is not None:
            self.post_message(self.Picked(option.id))

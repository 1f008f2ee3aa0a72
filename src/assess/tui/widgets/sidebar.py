"""The questionnaire's sidebar: every section shown, with answered / shown counts.

Each line is one section, cut to the sidebar's width so that all sections
fit an 80×24 terminal. A tick marks a finished section. Enter on a section
opens its first unanswered question.
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from assess.tui.text import one_line


class SectionList(OptionList):
    """Sections as `✓ Title … 3/5`; the current one is highlighted."""

    class Picked(Message):
        def __init__(self, section_id: str) -> None:
            super().__init__()
            self.section_id = section_id

    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self.rows: list[tuple[str, str, int, int]] = []
        self.current: str | None = None

    def show(self, rows: list[tuple[str, str, int, int]], current: str | None) -> None:
        """Rows are (section id, title, answered, shown)."""
        self.rows = rows
        self.current = current
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        width = max(self.scrollable_content_region.width, 12)
        options = []
        for section_id, title, answered, shown in self.rows:
            count = f"{answered}/{shown}"
            mark = "✓" if answered == shown else ("›" if section_id == self.current else " ")
            room = width - len(count) - 3
            line = Text(end="", no_wrap=True)
            line.append(mark + " ", style="bold")
            name = one_line(title, room)
            line.append(name, style="bold" if section_id == self.current else "")
            line.append(" " * max(1, width - 2 - len(name) - len(count)))
            line.append(count, style="dim" if answered < shown else "")
            options.append(Option(line, id=section_id))
        self.set_options(options)
        ids = [r[0] for r in self.rows]
        if self.current in ids:
            self.highlighted = ids.index(self.current)

    def action_select(self) -> None:
        option = self.highlighted_option
        if option is not None and option.id is not None:
            self.post_message(self.Picked(option.id))

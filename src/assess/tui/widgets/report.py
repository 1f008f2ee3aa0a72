"""A report on screen, drawn exactly as `assess report --format text` prints it.

The results and compare screens show a report `Document` (`reports.layout`,
`reports.compare_layout`) through the text report's own Rich renderables
(`reports.formats.text.document_renderables`), so the screen and the printed
report say the same things in the same words. What the screen adds is only
how it is seen: it scrolls, it is laid out again for the width of the
terminal, and each section (from one main heading to the next) is a widget of
its own, so that N and P can bring the next or previous one to the top.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from assess.reports.document import Document, Heading
from assess.reports.formats.text import document_renderables


def sections(document: Document) -> list[Document]:
    """The document cut before each main heading: the title and facts, then one per section."""
    parts: list[Document] = [Document(document.title)]
    for block in document.blocks:
        if isinstance(block, Heading) and block.level <= 2:
            parts.append(Document(""))
        last = parts[-1]
        parts[-1] = Document(last.title, (*last.blocks, block))
    return [part for part in parts if part.title or part.blocks]


def drawn(part: Document, width: int) -> RenderableType:
    """One section's renderables; the blank line above a heading becomes the widget's margin."""
    renderables = document_renderables(part, width=width)
    first = renderables[0] if renderables else None
    if not part.title and isinstance(first, Text) and not first.plain:
        renderables = renderables[1:]
    return Group(*renderables)


class ReportView(VerticalScroll):
    """Scrolls through a report, laid out again whenever its width changes."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.make: Callable[[int], Document] | None = None
        self.document: Document | None = None
        self._width = 0

    def show(self, make: Callable[[int], Document]) -> None:
        """Show the Document `make(width)` gives for the width (and again when it changes)."""
        self.make = make
        self.redraw(again=True)

    def on_resize(self) -> None:
        self.redraw()

    def redraw(self, *, again: bool = False) -> None:
        """Lay the report out for the width it has now (`again`: also if the width is the same)."""
        width = self.scrollable_content_region.width
        if self.make is None or width <= 0 or (width == self._width and not again):
            return
        self._width = width
        document = self.make(width)
        self.document = document
        parts = [drawn(part, width) for part in sections(document)]
        shown = list(self.query(".report-part").results(Static))
        if len(shown) == len(parts):
            for widget, part in zip(shown, parts, strict=True):
                widget.update(part)
            return
        self.remove_children()
        self.mount_all(
            Static(part, classes="report-part" + (" report-section" if i else ""))
            for i, part in enumerate(parts)
        )

    def jump(self, step: int) -> None:
        """Scroll the next (`step` 1) or previous (-1) section to the top."""
        parts = list(self.query(".report-part").results(Static))
        if not parts:
            return
        tops = [part.virtual_region_with_margin.y for part in parts]
        here = self.scroll_y
        if step > 0:
            later = [i for i, top in enumerate(tops) if top > here + 0.5]
            target = parts[later[0]] if later else parts[-1]
        else:
            earlier = [i for i, top in enumerate(tops) if top < here - 0.5]
            target = parts[earlier[-1]] if earlier else parts[0]
        # At once, not after the next refresh: a second N pressed straight after
        # must start from where the first one went.
        self.scroll_to_widget(target, top=True, animate=False, immediate=True)

"""Scrolling widgets that leave their scrollbars alone when a layout changes nothing of theirs.

Textual 8 lays a scrolling widget (an option list, a text area) out again
on every layout of its screen, and asks whether its sizes changed by
comparing the size the layout offers its content with the widget's own
scrollable size. Those two differ whenever the content is longer than the
widget, so every layout anywhere on the screen redraws such a widget's
scrollbars, one frame later. Moving to another section of the questions
lays the screen out twice (its texts change height), so the sections
column's scrollbar was drawn a third time, unchanged, a frame after
everything else: the officer's key took one frame longer than it needed.

`SteadyScrollbars` remembers what its widget's last layout was given and
had; when a layout brings exactly the same, it is left as it was. Any
change (of size, of the content's size, of the scrolling styles) is laid
out as Textual would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.geometry import Size
    from textual.scroll_view import ScrollView

    _Base = ScrollView
else:
    # At run time a plain mixin: Textual finds a widget's CSS type names along
    # its first widget base, which stays the Textual class mixed into.
    _Base = object


class SteadyScrollbars(_Base):
    """Mixed in before a Textual scrolling widget: see the module docstring."""

    _steady_sizes: tuple[Any, ...] | None = None

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        styles = self.styles
        sizes = (
            size,
            virtual_size,
            container_size,
            self.virtual_size,
            styles.overflow_x,
            styles.overflow_y,
            styles.scrollbar_size_vertical,
            styles.scrollbar_size_horizontal,
            styles.scrollbar_gutter,
        )
        if sizes == self._steady_sizes and size == self._size:
            return False
        self._steady_sizes = sizes
        return super()._size_updated(size, virtual_size, container_size, layout)

"""The app's option list and drop-down: Textual's, made safe to page through at any size.

Textual 8's OptionList works out which line each option starts on only once
it has room to draw; on a terminal shrunk to nothing (1×1, or a list squeezed
to no height), PgUp / PgDn look that up and fail (a KeyError from inside
Textual). A drop-down's open list is an OptionList too. Every option list in
the app is `Options` and every drop-down is `Dropdown`, so paging there does
nothing while nothing can be seen (a test walks the app's source for any
other).
"""

from __future__ import annotations

from typing import TypeVar

from textual.app import ComposeResult
from textual.widgets import OptionList, Select
from textual.widgets._select import SelectCurrent, SelectOverlay

from assess.tui.widgets.steady import SteadyScrollbars

T = TypeVar("T")


class Options(SteadyScrollbars, OptionList):
    """An OptionList whose paging keys do nothing while it has no room to show a line.

    Its scrollbars are left alone by a layout that changes nothing of its own
    (`steady`).
    """

    def _has_room(self) -> bool:
        region = self.scrollable_content_region
        return region.width > 0 and region.height > 0

    def action_page_down(self) -> None:
        if self._has_room():
            super().action_page_down()

    def action_page_up(self) -> None:
        if self._has_room():
            super().action_page_up()


class _DropdownList(SelectOverlay, Options):
    """A drop-down's open list, with `Options`' paging (its own behaviour otherwise).

    SelectOverlay comes first: Textual matches types in queries and CSS along
    the first base only, and Select looks for its list by that type.
    """


class Dropdown(Select[T]):
    """Textual's Select, whose open list is `_DropdownList`."""

    def compose(self) -> ComposeResult:
        # Select.compose as in Textual 8, with the safe list in place of its
        # own; Select finds the list by its type, which this one still is.
        yield SelectCurrent(self.prompt)
        yield _DropdownList(type_to_search=self._type_to_search).data_bind(compact=Select.compact)

"""The app's option list: Textual's, made safe to page through at any terminal size.

Textual 8's OptionList works out which line each option starts on only once
it has room to draw; on a terminal shrunk to nothing (1×1, or a list squeezed
to no height), PgUp / PgDn look that up and fail (a KeyError from inside
Textual). Every option list in the app is this one, so paging there does
nothing, as it should when nothing can be seen.
"""

from __future__ import annotations

from textual.widgets import OptionList


class Options(OptionList):
    """An OptionList whose paging keys do nothing while it has no room to show a line."""

    def _has_room(self) -> bool:
        region = self.scrollable_content_region
        return region.width > 0 and region.height > 0

    def action_page_down(self) -> None:
        if self._has_room():
            super().action_page_down()

    def action_page_up(self) -> None:
        if self._has_room():
            super().action_page_up()

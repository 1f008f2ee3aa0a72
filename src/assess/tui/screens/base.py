"""What every screen and dialog of the app shares: typed access to the app and its store,
and keys drawn from one table.

A screen declares its keys once, in `KEYS` (see `tui/keys.py`); from that
table come its bindings, its key bar (`key_bar`), its rows on the help
screen (`help_tables`) and its commands in the palette (`palette_commands`).
`HELP` is the screen's explanation in prose, without key lines: the help
screen puts the key table under it. A screen that offers a key only some of
the time (the consensus on the compare screen) names its action in
`hidden_keys`, and it disappears from all four at once.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import getters
from textual.screen import ModalScreen, Screen

from assess.tui.base import AssessAppBase
from assess.tui.keys import Command, WithKeys, bar_hints, commands, help_rows
from assess.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from assess.store import Store

ResultType = TypeVar("ResultType")
# A section of the help screen's key table: its heading ("" for none) and its rows.
HelpTable = tuple[str, list[tuple[str, str]]]


class AppScreen(WithKeys, Screen[ResultType]):
    """A full screen of the app."""

    app = getters.app(AssessAppBase)

    HELP: ClassVar[str] = ""
    """What the screen is for and how to read it, in prose; the keys are listed under it."""

    @property
    def store(self) -> Store:
        return self.app.store

    def hidden_keys(self) -> Collection[str]:
        """Actions of `KEYS` that do nothing here just now (left off the bar, help and palette)."""
        return ()

    def key_bar(self, *, labels: dict[str, str] | None = None, **kwargs: str) -> KeyBar:
        """The key bar: this screen's keys with a bar label, then the app's (F1 Help).

        `labels` renames an action's label for this instance (a dialog's button name).
        """
        return KeyBar(self.key_hints(labels=labels), **kwargs)

    def key_hints(self, *, labels: dict[str, str] | None = None) -> list[tuple[str, str]]:
        """What the key bar shows: (key, label) pairs."""
        renamed = labels or {}
        hidden = self.hidden_keys()
        own = [
            (key, renamed.get(action, label))
            for key, label, action in bar_hints(self.KEYS)
            if action not in hidden
        ]
        return own + [(key, label) for key, label, _ in bar_hints(self.app.KEYS)]

    def help_tables(self) -> list[HelpTable]:
        """The screen's key table for the help screen (more than one where keys are grouped)."""
        return [("", help_rows(self.KEYS, hide=self.hidden_keys()))]

    def palette_commands(self) -> list[Command]:
        return commands(self.KEYS, self.run_action, hide=self.hidden_keys())


class AppModal(ModalScreen[ResultType], AppScreen[ResultType]):
    """A dialog of the app (over the screen that opened it).

    ModalScreen comes first: Textual takes a class's styles from its first base.
    """

"""What every screen and dialog of the app shares: typed access to the app and its store,
and keys drawn from one table.

A screen declares its keys once, in `KEYS` (see `tui/keys.py`); from that
table come its bindings, its key bar (`key_bar`), its rows on the help
screen (`help_tables`) and its commands in the palette (`palette_commands`).
`HELP` is the screen's explanation in prose, without key lines: the help
screen puts the key table under it. A screen that offers a key only some of
the time (the consensus on the compare screen) names its action in
`hidden_keys`, and it disappears from all four at once.

Two things every screen needs to be safe to drive fast and to share a store:

- A screen is dismissed once. A second Enter in the same burst, or a key
  that reaches a dialog already on its way out, is ignored (`dismiss`), so a
  form never submits twice and a result callback never runs twice.
- Store calls that write run off the event loop (`in_background`): a
  colleague's process holding the store's lock (stopped, or on a slow shared
  drive) must never freeze the screen. The screen says what it is waiting
  for, ignores a second request while one is under way, and a refusal
  (`BadInput`: busy, disk full, read-only, deleted elsewhere) is said in
  words, never raised.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import threading
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import getters
from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen, Screen
from textual.timer import Timer

from assess.domain.errors import BadInput
from assess.tui.base import AssessAppBase
from assess.tui.keys import Command, WithKeys, bar_hints, commands, help_rows
from assess.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from assess.store import Store

ResultType = TypeVar("ResultType")
Done = TypeVar("Done")
# Seconds a store call may take before the screen says it is waiting.
WAIT_NOTICE = 1.0
# A section of the help screen's key table: its heading ("" for none) and its rows.
HelpTable = tuple[str, list[tuple[str, str]]]


def off_the_loop(
    app: AssessAppBase, name: str, work: Callable[[], Done], then: Callable[[Done], object]
) -> None:
    """Run `work` in a thread of its own, then `then(result)` on the app's event loop.

    `work` must not raise (it returns its failure as its result); once the app
    has closed, `then` is not called.
    """

    def run() -> None:
        result = work()
        # The app closed meanwhile (its loop gone, or stopped while this waited for
        # it): there is nobody to tell, and a traceback would land on the terminal.
        with contextlib.suppress(RuntimeError, concurrent.futures.CancelledError):
            app.call_from_thread(then, result)

    threading.Thread(target=run, name=f"assess-{name}", daemon=True).start()


class AppScreen(WithKeys, Screen[ResultType]):
    """A full screen of the app."""

    app = getters.app(AssessAppBase)

    HELP: ClassVar[str] = ""
    """What the screen is for and how to read it, in prose; the keys are listed under it."""

    _leaving = False
    _working: str | None = None

    @property
    def store(self) -> Store:
        return self.app.store

    # -- leaving once, and store calls off the event loop -------------------------

    @property
    def leaving(self) -> bool:
        """Dismissed already (its result is on its way): further keys do nothing."""
        return self._leaving

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        # Textual's dismiss pops whatever screen is on top: from a screen that
        # is not (a help screen over it) or one already leaving, it would pop
        # another screen and call the result callback twice.
        if self._leaving or self.app.screen is not self:
            return AwaitComplete.nothing()
        self._leaving = True
        return super().dismiss(result)

    @property
    def working(self) -> str | None:
        """What a store call under way is doing ("saving the names"), or None."""
        return self._working

    def in_background(
        self,
        doing: str,
        work: Callable[[], Done],
        done: Callable[[Done], object],
        *,
        failed: Callable[[BadInput], object] | None = None,
    ) -> bool:
        """Run `work` (a store call) in a thread; then `done(result)` on the event loop.

        `doing` says what it is in words ("making the copy"). A refusal goes to
        `failed` (or is told in a notice); while one call is under way another
        is ignored, with a notice (False is returned).
        """
        if self._working is not None:
            self.notify(f"Still {self._working}…", timeout=2, markup=False)
            return False
        self._working = doing
        waiting: Timer = self.set_timer(WAIT_NOTICE, lambda: self._still_waiting(doing))
        app = self.app

        def finish(outcome: tuple[bool, Any]) -> None:
            waiting.stop()
            self._working = None
            ok, value = outcome
            if not self.is_attached:
                return
            if ok:
                done(value)
            elif failed is not None:
                failed(value)
            else:
                self.refused(doing, value)

        def outcome_of() -> tuple[bool, Any]:
            try:
                return (True, work())
            except BadInput as exc:
                return (False, exc)
            except OSError as exc:  # the store wraps these; one that slips through is said too
                return (False, BadInput(exc.strerror or str(exc)))

        off_the_loop(app, doing, outcome_of, finish)
        return True

    def _still_waiting(self, doing: str) -> None:
        if self._working == doing:
            self.notify(
                f"Waiting for the store while {doing} (another save is holding it)…",
                timeout=3,
                markup=False,
            )

    def refused(self, doing: str, problem: BadInput) -> None:
        """Say that a store call was refused, in one notice (data in it is never markup)."""
        self.notify(
            f"Could not finish {doing}: {problem.message}",
            severity="error",
            timeout=8,
            markup=False,
        )

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

"""The app as every screen sees it: the store, the keys every screen shares, and saving
on the way out.

The screens reach the app through `AssessAppBase` (typed, see
`screens/base.py`); `AssessApp` in `app.py` adds what needs the screens
themselves (the first screen, the help screen). The app opens the store
before it starts (so a broken store is reported as bad input, not inside a
half-drawn screen), and makes sure that nothing typed is lost however it
ends: Ctrl+Q, a closed terminal (SIGHUP) or a polite kill (SIGTERM) all save
pending text first.
"""

from __future__ import annotations

import asyncio
import gc
import json
import signal
import threading
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.dom import DOMNode
from textual.screen import Screen
from textual.theme import Theme

from assess.tui.commands import AssessCommands
from assess.tui.keys import Command, Key, WithKeys, commands

if TYPE_CHECKING:
    from assess.store import Store

HERE = Path(__file__).parent
# High contrast: white and yellow on black, for officers who need the strongest
# difference between text and background (and no pale greys at all).
HIGH_CONTRAST = Theme(
    name="assess-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    boost="#333333",
    success="#00ff00",
    warning="#ffff00",
    error="#ff8080",
    dark=True,
    luminosity_spread=0.0,
    text_alpha=1.0,
)
THEMES = ("textual-dark", "textual-light", HIGH_CONTRAST.name)
THEME_NAMES = {
    "textual-dark": "Dark theme",
    "textual-light": "Light theme",
    HIGH_CONTRAST.name: "High-contrast theme",
}
_HANDLED_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)

# The keys every screen has. The help screen lists them under "On every screen".
GLOBAL_KEYS = (
    Key(
        "f1",
        "help",
        help="show this help (Escape closes it)",
        bar="Help",
        command="Help for this screen",
        command_help="What each key does here",
        priority=True,
    ),
    # Not a priority key: "?" typed in a box is a question mark.
    Key("question_mark", "help"),
    Key("ctrl+p", "command_palette", help="search every command by name", priority=True),
    Key(
        "f2",
        "toggle_theme",
        help="switch between the dark, light and high-contrast themes",
        command="Switch theme (dark, light, high contrast)",
        command_help="Change the colours",
        priority=True,
    ),
    Key(
        "ctrl+q",
        "quit",
        help="quit (everything typed is saved first)",
        command="Quit",
        command_help="Save everything and leave the app",
        priority=True,
    ),
)


def _settings_file() -> Path:
    from platformdirs import user_data_path

    return user_data_path("assess", appauthor=False) / "tui.json"


def load_theme() -> str:
    """The theme the officer chose last time (dark if none, or if the file is unreadable)."""
    try:
        theme = json.loads(_settings_file().read_text("utf-8")).get("theme")
    except (OSError, ValueError, AttributeError):
        return THEMES[0]
    return theme if theme in THEMES else THEMES[0]


def save_theme(theme: str) -> None:
    from assess.store import atomic_write_text

    path = _settings_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps({"theme": theme}))
    except OSError:
        pass  # remembering the theme is a convenience; failing to must not stop the app


class AssessAppBase(WithKeys, App[None]):
    """The store, the shared keys and the safe way out; see `AssessApp` for the screens."""

    TITLE = "Assess"
    # Paths from this file, not from the module of a subclass (Textual's default).
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        HERE / "app.tcss",
        HERE / "screens" / "screens.tcss",
        HERE / "widgets" / "widgets.tcss",
    ]
    COMMANDS = App.COMMANDS | {AssessCommands}
    ENABLE_COMMAND_PALETTE = True
    KEYS = GLOBAL_KEYS

    def __init__(
        self,
        store: Store,
        *,
        cursor_blink: bool = True,
        handle_signals: bool = True,
        theme: str | None = None,
        remember_theme: bool = True,
        resume_gc: bool = False,
    ) -> None:
        super().__init__()
        self.store = store
        self.cursor_blink = cursor_blink
        self.handle_signals = handle_signals
        self.remember_theme = remember_theme
        self.register_theme(HIGH_CONTRAST)
        self.theme = theme or (load_theme() if remember_theme else THEMES[0])
        # Screens with unsaved typed text register a function here that saves it.
        self.flushers: list[Callable[[], None]] = []
        self._signals_installed: list[int] = []
        self.warm_up_thread: threading.Thread | None = None
        self._resume_gc = resume_gc

    # -- start and stop --------------------------------------------------------

    def on_mount(self) -> None:
        if self.handle_signals:
            self._install_signal_handlers()

    def warm_up(self) -> None:
        """After the home screen's first paint: the start-up work that could wait.

        Resumes the garbage collector if start-up paused it (`run_on`), and
        loads what opening an assessment needs in a background thread (once;
        see `warmup`).
        """
        if self._resume_gc:
            self._resume_gc = False
            # What start-up made stays for the whole session: never scan it again.
            gc.freeze()
            gc.enable()
        if self.warm_up_thread is None:
            from assess.tui import warmup

            self.warm_up_thread = warmup.start(self.store.current_bank)

    def _install_signal_handlers(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in _HANDLED_SIGNALS:
            try:
                loop.add_signal_handler(signum, self._stop_on_signal, signum)
            except (NotImplementedError, RuntimeError, ValueError):
                continue  # not the main thread, or a platform without these signals
            self._signals_installed.append(signum)

    def on_unmount(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        for signum in self._signals_installed:
            loop.remove_signal_handler(signum)
        self._signals_installed.clear()

    def _stop_on_signal(self, signum: int) -> None:
        # Runs on the event loop, like every key press, so saving here cannot race an edit.
        self.save_pending(quiet=True)
        self.exit(return_code=128 + signum)

    def save_pending(self, *, quiet: bool = False) -> bool:
        """Save typed text that is waiting for its pause; False if something could not be saved."""
        problems = self.pending_problems()
        if not quiet:
            for problem in problems:
                self.notify(f"Could not save: {problem}", severity="error", markup=False)
        return not problems

    async def action_quit(self) -> None:
        # Ctrl+Q is acted on the moment it arrives, but keys that arrived just
        # before it (a burst, or a busy machine) may still be on their way
        # through the focused widget and up to the screen: typed text not yet
        # in its box, a PgDn not yet done. Quitting now would lose them, and
        # a key reaching the app after its screens are gone is an error. So
        # the quit waits its turn behind them, hop by hop up from the focused
        # widget (each hop queued after what that widget had to do).
        chain: list[DOMNode] = []
        node: DOMNode | None = self.focused
        while node is not None and node is not self:
            chain.append(node)
            node = node.parent
        self._after(chain, self._quit_now)

    def _after(self, chain: list[DOMNode], then: Callable[[], None]) -> None:
        """Run `then` once each of `chain` (in order) has handled what it had waiting."""
        if not chain:
            self.call_later(then)
            return
        first, rest = chain[0], chain[1:]
        if not first.call_later(self._after, rest, then):
            self._after(rest, then)  # gone already: nothing of its can be waiting

    def _quit_now(self) -> None:
        problems = self.pending_problems()
        if not problems:
            self.exit()
            return
        self.ask_to_quit_anyway(problems)

    def ask_to_quit_anyway(self, problems: list[str]) -> None:
        """Something could not be saved: say what, and quit only if the officer says so.

        (The dialog is a screen: `AssessApp` shows it; here, the problems are told.)
        """
        for problem in problems:
            self.notify(f"Not quitting: {problem}", severity="error", markup=False)

    def pending_problems(self) -> list[str]:
        """Save typed text that is waiting for its pause; what could not be saved, in words."""
        problems: list[str] = []
        for flush in list(self.flushers):
            try:
                flush()
            except Exception as exc:  # every failure is told to the officer, never swallowed
                message = getattr(exc, "message", None) or str(exc)
                problems.append(message[:1].upper() + message[1:])
        return problems

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        from assess.tui.commands import Palette

        # Textual checks only the top screen: with the help open over the
        # palette, a second palette would clash with the first one's id.
        if self.use_command_palette and not any(
            isinstance(screen, CommandPalette) for screen in self.screen_stack
        ):
            self.push_screen(Palette(id="--command-palette"))

    # -- shared actions (F1, "help", is `AssessApp.action_help`) -----------------

    def action_toggle_theme(self) -> None:
        """The next of the three themes: dark, light, high contrast (NO_COLOR: monochrome)."""
        at = THEMES.index(self.theme) if self.theme in THEMES else -1
        self.theme = THEMES[(at + 1) % len(THEMES)]
        if self.remember_theme:
            save_theme(self.theme)
        self.notify(THEME_NAMES[self.theme], timeout=2, markup=False)

    def palette_commands(self) -> list[Command]:
        """The palette's commands every screen has (from `GLOBAL_KEYS`)."""
        return commands(self.KEYS, self.run_action)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # Our own provider lists the app's commands (quit included); keep Textual's
        # keys panel, and drop its themes picker (F2 switches between the two
        # themes we have checked for readability) and its screenshot command.
        for command in super().get_system_commands(screen):
            if command.title.lower().startswith("keys"):
                yield command

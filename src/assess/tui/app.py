"""The Textual app: screens, keys every screen shares, theme, and saving on the way out.

`run(settings)` is what `assess` (with no subcommand) calls. The app opens
the store before it starts (so a broken store is reported as bad input, not
inside a half-drawn screen), shows the home screen, and makes sure that
nothing typed is lost however it ends: Ctrl+Q, a closed terminal (SIGHUP) or
a polite kill (SIGTERM) all save pending text first.
"""

from __future__ import annotations

import asyncio
import gc
import json
import signal
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from assess.tui.commands import AssessCommands

THEMES = ("textual-dark", "textual-light")
_HANDLED_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
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


class AssessApp(App[None]):
    """Complete, resume, review and compare readiness assessments."""

    TITLE = "Assess"
    CSS_PATH: ClassVar[list[str]] = ["app.tcss", "screens/screens.tcss", "widgets/widgets.tcss"]
    COMMANDS = App.COMMANDS | {AssessCommands}
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", priority=True),
        Binding("question_mark", "help", "Help", show=False),
        Binding("f2", "toggle_theme", "Light/dark", show=False, priority=True),
    ]

    def __init__(
        self,
        store: Any,
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
        self.theme = theme or (load_theme() if remember_theme else THEMES[0])
        # Screens with unsaved typed text register a function here that saves it.
        self.flushers: list[Callable[[], None]] = []
        self._signals_installed: list[int] = []
        self.warm_up_thread: threading.Thread | None = None
        self._resume_gc = resume_gc

    # -- start and stop --------------------------------------------------------

    def get_default_screen(self) -> Screen:
        # The home screen is the app's first screen, not pushed over Textual's
        # blank default: then its first frame already has the rows (a pushed
        # screen's first frame had only the bars, the rows came a frame later).
        from assess.tui.screens.home import HomeScreen

        return HomeScreen()

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

            self.warm_up_thread = warmup.start()

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
        ok = True
        for flush in list(self.flushers):
            try:
                flush()
            except Exception as exc:  # reported, never swallowed silently
                ok = False
                if not quiet:
                    self.notify(f"Could not save: {exc}", severity="error", markup=False)
        return ok

    async def action_quit(self) -> None:
        if self.save_pending():
            self.exit()

    # -- shared actions ----------------------------------------------------------

    def action_help(self) -> None:
        from assess.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen))

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]
        if self.remember_theme:
            save_theme(self.theme)
        self.notify(
            "Light theme" if self.theme == THEMES[1] else "Dark theme", timeout=2, markup=False
        )

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Our own provider lists the app's commands; keep Textual's quit and keys, drop its themes
        # picker (F2 switches between the two themes we have checked for readability)
        # and its screenshot command.
        for command in super().get_system_commands(screen):
            if command.title.lower().startswith(("quit", "keys")):
                yield command


def run(settings: Any) -> None:
    """Open the store and run the app until the officer quits."""
    run_on(settings.store())


def run_on(store: Any, *, resume_gc: bool = False) -> None:
    """Run the app on an open store until the officer quits.

    `resume_gc`: the caller paused the garbage collector for start-up (see
    `assess.__main__`); the app resumes it after the first paint.
    """
    app = AssessApp(store, resume_gc=resume_gc)
    app.run()
    if app.return_code:
        raise SystemExit(app.return_code)

"""The Textual app: its first screen, the help screen, and running it.

`run(settings)` is what `assess` (with no subcommand) calls. Everything the
screens rely on (the store, the keys every screen shares, saving on the way
out) is in `AssessAppBase` (`tui/base.py`), which the screens import for typed
access; this module adds what needs the screens themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from assess.tui.base import THEMES, AssessAppBase, load_theme, save_theme

if TYPE_CHECKING:
    from textual.screen import Screen

    from assess.store import Store

__all__ = ["THEMES", "AssessApp", "load_theme", "run", "run_on", "save_theme"]


class OpensStore(Protocol):
    """What `run` needs of the command line's settings: the store they name."""

    def store(self) -> Store: ...


class AssessApp(AssessAppBase):
    """Complete, resume, review and compare readiness assessments."""

    def get_default_screen(self) -> Screen[Any]:
        # The home screen is the app's first screen, not pushed over Textual's
        # blank default: then its first frame already has the rows (a pushed
        # screen's first frame had only the bars, the rows came a frame later).
        from assess.tui.screens.home import HomeScreen

        return HomeScreen()

    def action_help(self) -> None:
        from textual.command import CommandPalette

        from assess.tui.screens.help import HelpScreen

        if isinstance(self.screen, CommandPalette):
            return  # the palette lists and explains its own commands
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen))

    def ask_to_quit_anyway(self, problems: list[str]) -> None:
        from assess.tui.screens.modals import QuitAnywayModal

        def decided(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        if not isinstance(self.screen, QuitAnywayModal):
            self.push_screen(QuitAnywayModal(problems), decided)


def run(settings: OpensStore) -> None:
    """Open the store and run the app until the officer quits."""
    run_on(settings.store())


def run_on(store: Store, *, resume_gc: bool = False) -> None:
    """Run the app on an open store until the officer quits.

    `resume_gc`: the caller paused the garbage collector for start-up (see
    `assess.__main__`); the app resumes it after the first paint.
    """
    app = AssessApp(store, resume_gc=resume_gc)
    app.run()
    if app.return_code:
        raise SystemExit(app.return_code)

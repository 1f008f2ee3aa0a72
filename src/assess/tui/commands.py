"""The command palette (Ctrl+P): the app's actions by name, for officers who prefer typing.

Each screen lists what it can do in `palette_commands()` as (name, help,
callback) triples; this provider offers those of the screen the palette was
opened from, plus the commands every screen has.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

Command = tuple[str, str, Callable[[], object]]


class AssessCommands(Provider):
    """Commands for the current screen: New assessment, Open, Results, Review, Export…"""

    def _commands(self) -> list[Command]:
        commands: list[Command] = []
        screen = self.screen
        listed = getattr(screen, "palette_commands", None)
        if callable(listed):
            commands.extend(listed())
        app = self.app
        commands.append(("Help for this screen", "What each key does here", app.action_help))
        commands.append(
            ("Switch light / dark theme", "Change the colours (also F2)", app.action_toggle_theme)
        )
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)

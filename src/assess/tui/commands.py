"""The command palette (Ctrl+P): the app's actions by name, for officers who prefer typing.

The commands come from the same key tables as the bindings, the key bar and
the help (`tui/keys.py`): those of the screen the palette was opened from
(its `palette_commands()`), then those every screen has (the app's).
"""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits, Provider

from assess.tui.keys import Command


class AssessCommands(Provider):
    """Commands for the current screen: New assessment, Open, Results, Review, Export…"""

    def _commands(self) -> list[Command]:
        found: list[Command] = []
        for source in (self.screen, self.app):
            listed = getattr(source, "palette_commands", None)
            if callable(listed):
                found.extend(listed())
        return found

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)

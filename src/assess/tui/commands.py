"""The command palette (Ctrl+P): the app's actions by name, for officers who prefer typing.

The commands come from the same key tables as the bindings, the key bar and
the help (`tui/keys.py`): those of the screen the palette was opened from
(its `palette_commands()`), then those every screen has (the app's).
"""

from __future__ import annotations

from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider

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


class Palette(CommandPalette):
    """Textual's command palette, its paging keys safe before its list has room to draw.

    As with the app's option lists (`widgets/options.py`), Textual's list of
    commands looks up the line of its first command when PgUp / PgDn is
    pressed, which fails before that line has been laid out (a KeyError from
    inside Textual): paging then does nothing, as it should.
    """

    def _action_command_list(self, action: str) -> None:
        if action in ("page_up", "page_down"):
            region = self.query_one(CommandList).scrollable_content_region
            if region.width <= 0 or region.height <= 0:
                return
        super()._action_command_list(action)

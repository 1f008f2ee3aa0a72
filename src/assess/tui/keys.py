"""Every screen's keys, declared once, in one table per screen.

A screen (or dialog, or the app for the keys every screen shares) lists its
keys as a tuple of `Key`s in its `KEYS`. Everything an officer reads or
presses about a key comes from that one entry:

- the Textual binding (`bindings`),
- the key bar at the bottom of the screen (`bar_hints`),
- the two-column key table on the help screen (`help_rows`),
- the screen's commands in the command palette, Ctrl+P (`commands`).

So changing a key, or what it is called, is one edit. A `Key` with no action
describes a key that a widget or Textual itself handles (Up / Down in a list,
Tab between boxes): it is shown on the help screen and in the key bar but
makes no binding.

No widgets here: the home screen imports this module before its first paint.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Iterable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, ClassVar

from textual.binding import Binding

# Key names as officers read them; any other name is shown with its first
# letter upper-cased ("n" is N, "f1" is F1, "ctrl+p" is Ctrl+P).
NAMES = {
    "escape": "Escape",
    "enter": "Enter",
    "space": "Space",
    "tab": "Tab",
    "delete": "Delete",
    "backspace": "Backspace",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "up": "Up",
    "down": "Down",
    "left": "Left",
    "right": "Right",
    "home": "Home",
    "end": "End",
    "slash": "/",
    "question_mark": "?",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "minus": "-",
    "plus": "+",
}
# The key bar is one line: a few names are shorter there.
BAR_NAMES = {"escape": "Esc"}


def key_name(key: str, *, short: bool = False) -> str:
    """One Textual key name as officers read it: "ctrl+p" → "Ctrl+P", "escape" → "Escape"."""
    *modifiers, base = key.split("+")
    if short and base in BAR_NAMES:
        name = BAR_NAMES[base]
    else:
        name = NAMES.get(base, base[:1].upper() + base[1:])
    return "+".join([*(m.capitalize() for m in modifiers), name])


@dataclass(frozen=True)
class Key:
    """One key (or several doing the same thing) on one screen, and everything said about it."""

    keys: str
    """Textual key names, comma-separated ("delete,x"); the first is the one in the key bar."""
    action: str = ""
    """The action it runs ("new", "section(1)", "app.help"); empty for a key that a
    widget or Textual handles, which is described but not bound here."""
    help: str = ""
    """What it does, for the help screen (empty keeps it off the help)."""
    bar: str = ""
    """Its label in the key bar (empty keeps it off the bar)."""
    command: str = ""
    """Its name in the command palette (empty keeps it out of the palette)."""
    command_help: str = ""
    """The palette's line under the name; the key is added after it."""
    shown: str = ""
    """The key(s) as written on the help screen, when the names do not say it ("0–4")."""
    bar_shown: str = ""
    """The key as written in the key bar, when not its first key's name ("↑↓")."""
    priority: bool = False
    """Acted on before the focused widget sees the key (Textual's priority binding)."""
    per_key: bool = False
    """Each key runs the action with itself as the argument: keys "1,2,3" and action
    "pick" bind 1 to pick(1), 2 to pick(2), 3 to pick(3)."""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(k.strip() for k in self.keys.split(",") if k.strip())

    @property
    def written(self) -> str:
        """The key(s) for the help screen: "Delete or X"."""
        return self.shown or " or ".join(key_name(k) for k in self.names)

    @property
    def bar_key(self) -> str:
        """The key for the key bar: the first key's short name."""
        return self.bar_shown or key_name(self.names[0], short=True)

    def bindings(self) -> list[Binding]:
        """Its Textual bindings: none without an action, one per key with `per_key`."""
        if not self.action:
            return []
        # `show` is for Textual's own footer, which the app does not use: the key
        # bar and the help screen are drawn from the table instead.
        about = self.bar or self.command or self.help
        if self.per_key:
            return [
                Binding(name, f"{self.action}({name})", about, show=False, priority=self.priority)
                for name in self.names
            ]
        return [Binding(self.keys, self.action, about, show=False, priority=self.priority)]


# A palette entry: its name, its help line, and what it runs.
Command = tuple[str, str, Callable[[], object]]


Keys = tuple[Key, ...]


def bindings(keys: Iterable[Key]) -> list[Binding]:
    """The Textual bindings of a table (keys without an action make none)."""
    return [binding for key in keys for binding in key.bindings()]


class WithKeys:
    """Mixin for a screen, widget or app whose `KEYS` table makes its `BINDINGS`.

    Put it before the Textual class in the bases, so that the bindings are set
    before Textual reads them when the class is made.
    """

    KEYS: ClassVar[Keys] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if "KEYS" in cls.__dict__:
            cls.BINDINGS = bindings(cls.KEYS)  # type: ignore[attr-defined]
        super().__init_subclass__(**kwargs)


def bar_hints(keys: Iterable[Key]) -> list[tuple[str, str, str]]:
    """(key, label, action) for the key bar, in table order."""
    return [(key.bar_key, key.bar, key.action) for key in keys if key.bar]


def help_rows(keys: Iterable[Key], *, hide: Collection[str] = ()) -> list[tuple[str, str]]:
    """(key, what it does) rows for the help screen, in table order.

    A key with no words of its own that does what the key before it does is
    written in that key's row: F1, then ? for help, make "F1 or ?".
    """
    rows: list[tuple[str, str]] = []
    last: Key | None = None
    for key in keys:
        if key.action in hide:
            continue
        if key.help:
            rows.append((key.written, key.help))
            last = key
        elif last is not None and key.action and key.action == last.action and rows:
            written, what = rows[-1]
            rows[-1] = (f"{written} or {key.written}", what)
    return rows


def commands(
    keys: Iterable[Key], run: Callable[[str], Awaitable[object]], *, hide: Collection[str] = ()
) -> list[Command]:
    """The palette's commands for a table: each runs its key's action with `run`
    (the `run_action` of the screen or app the table belongs to)."""
    found: list[Command] = []
    for key in keys:
        if not key.command or not key.action or key.action in hide:
            continue
        about = f"{key.command_help} ({key.bar_key})" if key.command_help else key.bar_key
        found.append((key.command, about, partial(run, key.action)))
    return found


def rebind(keys: Keys, action: str, new_keys: str) -> Keys:
    """The same table with the key(s) of `action` changed (for a variant of a screen)."""
    if not any(key.action == action for key in keys):
        raise ValueError(f"no key runs {action!r}")
    return tuple(replace(key, keys=new_keys) if key.action == action else key for key in keys)

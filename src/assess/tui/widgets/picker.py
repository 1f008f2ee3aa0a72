"""A keyboard list of options with a visible mark, shared by the choice widgets.

Each option shows a mark that does not rely on colour (● / ○, [x] / [ ]), so
the choice is clear with NO_COLOR and on any terminal. Prompts are built from
literal text, never markup, because labels come from the bank.

A long label wraps under its own first word, not under the mark, so the
marks and keys stay a clean column. Ticking or choosing only redraws the
prompts in place; the list is laid out again only when its options change.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console
from rich.text import Text
from textual.containers import ScrollableContainer
from textual.events import Resize
from textual.message import Message
from textual.widgets.option_list import Option

from assess.tui.keys import Key, WithKeys
from assess.tui.widgets.base import QUESTION_KEYS, AnswerInput
from assess.tui.widgets.options import Options


def hanging(prefix: Text, body: str, width: int) -> Text:
    """`prefix` then `body`, wrapped to `width` cells with every later line under the body."""
    indent = prefix.cell_len
    room = width - indent
    text = prefix.copy()
    text.end = ""
    if room < 8:  # too narrow to indent usefully: let it wrap as it will
        text.append(body)
        return text
    lines = Text(body).wrap(_measuring_console(), room)
    for i, line in enumerate(lines):
        if i:
            text.append("\n" + " " * indent)
        text.append(line.plain.rstrip())
    return text


@functools.cache
def _measuring_console() -> Console:
    """A console for measuring text only (`Text.wrap` needs one); it never prints."""
    return Console(width=1000, color_system=None, force_terminal=False)


class Picker(WithKeys, Options):
    """An OptionList whose prompts are rebuilt from (id, label) pairs and a mark function."""

    KEYS = (
        Key("up,down", help="move to an option", shown="Up / Down"),
        Key("space", "select", help="choose the highlighted option (Enter does the same)"),
        # PgDn / PgUp move between questions, not through the options (see QUESTION_KEYS).
        *QUESTION_KEYS,
    )

    class Chosen(Message):
        def __init__(self, picker: Picker, option_id: str) -> None:
            super().__init__()
            self.picker = picker
            self.option_id = option_id

    def __init__(
        self,
        items: Sequence[tuple[str, str]],
        mark: Callable[[str], str],
        key_label: Callable[[int, str], str] | None = None,
        on_move: Callable[[], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(markup=False, **kwargs)
        self.items: list[tuple[str, str]] = list(items)
        self.mark = mark
        self.key_label = key_label
        self.on_move = on_move
        self._shown_ids: list[str] = []
        self._width = 0
        self.rebuild()

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        # Called here rather than from the OptionHighlighted message, so that
        # what depends on the highlight is drawn in the same frame as the
        # highlight itself (the message arrives a frame, some 30 ms, later).
        if self.on_move is not None and self.is_mounted:
            self.on_move()
        # On a short terminal the question scrolls: keep the highlighted option in view.
        if highlighted is not None and self.is_mounted and self.has_focus:
            self.call_after_refresh(self._keep_in_view)

    def _keep_in_view(self) -> None:
        """Scroll the question (not the list) so that the highlighted option shows whole."""
        outer = next((a for a in self.ancestors if isinstance(a, ScrollableContainer)), None)
        if self.highlighted is None or outer is None or not outer.region.height:
            return
        heights = [_lines_of(option.prompt) for option in self.options]
        top = self.region.y + sum(heights[: self.highlighted])
        height = heights[self.highlighted]
        top -= round(self.scroll_y)
        view = outer.region
        if top + height > view.bottom:
            outer.scroll_relative(y=top + height - view.bottom, animate=False, immediate=True)
        elif top < view.y:
            outer.scroll_relative(y=top - view.y, animate=False, immediate=True)

    def prompt(self, index: int, option_id: str, label: str) -> Text:
        head = Text(end="")
        head.append(self.mark(option_id) + " ", style="bold")
        if self.key_label is not None:
            head.append(self.key_label(index, option_id) + "  ", style="dim")
        if self._width <= 0:
            head.append(label)
            return head
        return hanging(head, " ".join(label.split()), self._width)

    def on_resize(self, event: Resize) -> None:
        width = self.scrollable_content_region.width
        if width != self._width:
            self._width = width
            self.rebuild(relayout=True)

    def set_items(self, items: Sequence[tuple[str, str]], keep: str | None = None) -> None:
        """Show other options (another question's)."""
        self.items = list(items)
        self.rebuild(keep=keep, fresh=True)

    def rebuild(
        self, keep: str | None = None, *, relayout: bool = False, fresh: bool = False
    ) -> None:
        """Redraw every prompt; keep the highlight on option `keep` (or where it was).

        When the options are the same ones in the same order, only the prompts
        are replaced (a mark changed): their heights cannot change, so no new
        layout is needed. `fresh`: these are another question's options, so the
        highlight goes to `keep` or the first option, not where it was.
        """
        current = self.highlighted_option.id if self.highlighted_option else None
        target = keep if fresh else (keep or current)
        ids = [oid for oid, _ in self.items]
        if ids == self._shown_ids and not relayout:
            for i, (oid, label) in enumerate(self.items):
                self.replace_option_prompt_at_index(i, self.prompt(i, oid, label))
            self.refresh()
        else:
            self.set_options(
                Option(self.prompt(i, oid, label), id=oid)
                for i, (oid, label) in enumerate(self.items)
            )
            self._shown_ids = ids
        index = ids.index(target) if target in ids else (0 if ids else None)
        if index is not None and index != self.highlighted:
            self.highlighted = index

    def action_select(self) -> None:
        option = self.highlighted_option
        if option is None or option.id is None:
            return
        chosen = self.Chosen(self, option.id)
        # Straight to the answer widget, not through the message queue, so the
        # choice is made before any key pressed after it (PgDn) is acted on.
        owner = owning_input(self)
        handler = getattr(owner, "on_picker_chosen", None)
        if callable(handler):
            handler(chosen)
        else:
            self.post_message(chosen)


def _lines_of(prompt: object) -> int:
    """How many lines a prompt takes (ours are wrapped already, by `hanging`)."""
    text = prompt.plain if isinstance(prompt, Text) else str(prompt)
    return text.count("\n") + 1


def owning_input(picker: Picker) -> AnswerInput | None:
    node = picker.parent
    while node is not None and not isinstance(node, AnswerInput):
        node = node.parent
    return node

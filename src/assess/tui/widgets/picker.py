"""A keyboard list of options with a visible mark, shared by the choice widgets.

Each option shows a mark that does not rely on colour (● / ○, [x] / [ ]), so
the choice is clear with NO_COLOR and on any terminal. Prompts are built from
literal text, never markup, because labels come from the bank.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from assess.tui.widgets.base import AnswerInput


class Picker(OptionList):
    """An OptionList whose prompts are rebuilt from (id, label) pairs and a mark function."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "select", "Choose", show=False)]

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
        **kwargs,
    ) -> None:
        super().__init__(markup=False, **kwargs)
        self.items: list[tuple[str, str]] = list(items)
        self.mark = mark
        self.key_label = key_label
        self.rebuild()

    def prompt(self, index: int, option_id: str, label: str) -> Text:
        text = Text(end="")
        marker = self.mark(option_id)
        text.append(marker + " ", style="bold")
        if self.key_label is not None:
            text.append(self.key_label(index, option_id) + "  ", style="dim")
        text.append(label)
        return text

    def rebuild(self, keep: str | None = None) -> None:
        """Redraw every prompt; keep the highlight on option `keep` (or where it was)."""
        current = self.highlighted_option.id if self.highlighted_option else None
        target = keep or current
        self.set_options(
            Option(self.prompt(i, oid, label), id=oid) for i, (oid, label) in enumerate(self.items)
        )
        ids = [oid for oid, _ in self.items]
        if target in ids:
            self.highlighted = ids.index(target)
        elif ids:
            self.highlighted = 0

    def action_select(self) -> None:
        option = self.highlighted_option
        if option is not None and option.id is not None:
            self.post_message(self.Chosen(self, option.id))


def owning_input(picker: Picker) -> AnswerInput | None:
    node = picker.parent
    while node is not None and not isinstance(node, AnswerInput):
        node = node.parent
    return node

"""Yes/no questions: Y or N (or 1 / 2), or the arrows and Enter."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from assess.tui.widgets.single import SingleChoiceInput


class YesNoInput(SingleChoiceInput):
    """A yes/no question; Y and N answer it directly."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer('yes')", "Yes", show=False),
        Binding("n", "answer('no')", "No", show=False),
    ]

    def action_answer(self, option_id: str) -> None:
        if self.question.option(option_id) is not None:
            self.choose(option_id)

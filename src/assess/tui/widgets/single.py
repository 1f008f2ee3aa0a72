"""Single choice and Likert questions: one option from a list, picked by number or Enter."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import OptionList

from assess.domain.answers import Answer
from assess.domain.bank import Bank, Question
from assess.tui.keys import Key, Keys
from assess.tui.widgets.base import AnswerInput, option_of
from assess.tui.widgets.hint import StableHint
from assess.tui.widgets.picker import Picker


class SingleChoiceInput(AnswerInput):
    """Press 1–9 to choose an option, or move with the arrows and press Enter or Space."""

    KEYS: ClassVar[Keys] = (
        Key(
            ",".join(str(n) for n in range(1, 10)),
            "pick",
            help="pick an option by its number",
            bar="to choose",
            shown="1–9",
            per_key=True,
        ),
    )

    def __init__(
        self, question: Question, bank: Bank, answer: Answer | None, **kwargs: Any
    ) -> None:
        super().__init__(question, bank, answer, **kwargs)
        self.choice: str | None = option_of(answer)
        items = [(o.id, o.label) for o in question.options]
        self.picker = Picker(items, self._mark, self._key, on_move=self._describe, classes="picker")

    def _mark(self, option_id: str) -> str:
        return "●" if option_id == self.choice else "○"

    @staticmethod
    def _key(index: int, option_id: str) -> str:
        return str(index + 1) if index < 9 else " "

    def compose(self) -> ComposeResult:
        yield self.picker
        yield StableHint((o.help for o in self.question.options), classes="hint", id="option-help")

    def on_mount(self) -> None:
        self.picker.rebuild(keep=self.choice)
        self._describe()

    def focus_target(self) -> Widget:
        return self.picker

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()  # the picker has told `_describe` already

    def _describe(self) -> None:
        option = self.picker.highlighted_option
        found = self.question.option(option.id) if option and option.id else None
        for hint in self.query("#option-help").results(StableHint):  # none until mounted
            hint.show(found.help if found is not None else "")

    def on_picker_chosen(self, event: Picker.Chosen) -> None:
        event.stop()
        self.choose(event.option_id)

    def action_pick(self, number: int) -> None:
        """Choose option `number` (1 is the first)."""
        if 1 <= number <= len(self.question.options):
            self.choose(self.question.options[number - 1].id)

    def choose(self, option_id: str) -> None:
        self.choice = option_id
        self.picker.rebuild(keep=option_id)
        self.edited(option_id)

    def set_answer(self, answer: Answer | None) -> None:
        super().set_answer(answer)
        self.choice = option_of(answer)
        self.picker.rebuild(keep=self.choice)

    def load(self, question: Question, answer: Answer | None) -> None:
        super().load(question, answer)
        self.choice = option_of(answer)
        self.query_one("#option-help", StableHint).set_texts(o.help for o in question.options)
        self.picker.set_items([(o.id, o.label) for o in question.options], keep=self.choice)
        self._describe()


class LikertInput(SingleChoiceInput):
    """A rating scale (for example high / medium / low): one point on the scale."""

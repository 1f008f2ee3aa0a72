"""Multiple choice questions: tick any number of options."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widget import Widget

from assess.domain.answers import Answer
from assess.domain.bank import Bank, Question
from assess.tui.keys import Key
from assess.tui.widgets.base import AnswerInput, options_of
from assess.tui.widgets.picker import Picker


class MultiChoiceInput(AnswerInput):
    """Press 1–9 (or Space / Enter on the highlighted option) to tick or untick it."""

    KEYS = (
        Key(
            ",".join(str(n) for n in range(1, 10)),
            "tick",
            help="on tick-box questions, tick or untick an option by its number",
            bar="to tick each that applies",
            shown="1–9",
            per_key=True,
        ),
    )

    def __init__(
        self, question: Question, bank: Bank, answer: Answer | None, **kwargs: Any
    ) -> None:
        super().__init__(question, bank, answer, **kwargs)
        self.ticked: list[str] = options_of(answer)
        items = [(o.id, o.label) for o in question.options]
        self.picker = Picker(items, self._mark, self._key, classes="picker")

    def _mark(self, option_id: str) -> str:
        return "[x]" if option_id in self.ticked else "[ ]"

    @staticmethod
    def _key(index: int, option_id: str) -> str:
        return str(index + 1) if index < 9 else " "

    def compose(self) -> ComposeResult:
        yield self.picker

    def focus_target(self) -> Widget:
        return self.picker

    def on_picker_chosen(self, event: Picker.Chosen) -> None:
        event.stop()
        self.flip(event.option_id)

    def action_tick(self, number: int) -> None:
        """Tick or untick option `number` (1 is the first)."""
        if 1 <= number <= len(self.question.options):
            self.flip(self.question.options[number - 1].id)

    def flip(self, option_id: str) -> None:
        if option_id in self.ticked:
            self.ticked.remove(option_id)
        else:
            self.ticked.append(option_id)
        # Keep the bank's order so the stored answer does not depend on click order.
        order = self.question.option_ids
        self.ticked.sort(key=order.index)
        self.picker.rebuild(keep=option_id)
        self.edited(tuple(self.ticked) if self.ticked else None)

    def set_answer(self, answer: Answer | None) -> None:
        super().set_answer(answer)
        self.ticked = options_of(answer)
        self.picker.rebuild()

    def load(self, question: Question, answer: Answer | None) -> None:
        super().load(question, answer)
        self.ticked = options_of(answer)
        self.picker.set_items([(o.id, o.label) for o in question.options])

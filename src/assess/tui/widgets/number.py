"""Number questions: typed, checked against the bank's minimum and maximum as you type.

The box takes any key, not only digits (Textual's number box drops letters
without a word): a letter typed by mistake is shown, with the reason it
cannot be saved right under it, and the stored answer stays as it was.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, Static

from assess.domain.answers import Answer, AnswerProblem, check_answer
from assess.domain.bank import Bank, Question
from assess.tui.text import plain
from assess.tui.widgets.base import AnswerField, AnswerInput, number_of


def _shown(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class NumberInput(AnswerInput):
    """Type a number; it is saved when it is valid, a moment after you stop typing."""

    TYPING = "Type a number"

    def __init__(
        self, question: Question, bank: Bank, answer: Answer | None, **kwargs: Any
    ) -> None:
        super().__init__(question, bank, answer, **kwargs)
        number = number_of(answer)
        start = "" if number is None else _shown(number)
        self.field = AnswerField(start, placeholder=self._range(), classes="number")

    def _range(self) -> str:
        low, high, unit = self.question.minimum, self.question.maximum, self.question.unit
        unit = f" {unit}" if unit else ""
        if low is not None and high is not None:
            return f"A number from {_shown(low)} to {_shown(high)}{unit}"
        if low is not None:
            return f"A number, at least {_shown(low)}{unit}"
        if high is not None:
            return f"A number, at most {_shown(high)}{unit}"
        return f"A number{unit}"

    def compose(self) -> ComposeResult:
        yield self.field
        yield Static(plain(self._range()), id="number-state", classes="hint", markup=False)

    def focus_target(self) -> Widget:
        return self.field

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        state = self.query_one("#number-state", Static)
        text = event.value.strip()
        if not text:
            state.update(plain("Empty: this question will be left unanswered."))
            state.remove_class("problem")
            self.edited(None, typed=True)
            return
        try:
            number: float = int(text) if text.lstrip("+-").isdigit() else float(text)
            value = check_answer(self.question, number).value
        except (ValueError, AnswerProblem) as exc:
            message = str(exc) if isinstance(exc, AnswerProblem) else f"{text!r} is not a number"
            state.update(plain(f"Not saved: {message}. {self._range()}."))
            state.add_class("problem")
            self.invalid(message)
            return
        state.update(plain(self._range()))
        state.remove_class("problem")
        self.edited(value, typed=True)

    def set_answer(self, answer: Answer | None) -> None:
        super().set_answer(answer)
        with self.prevent(Input.Changed):
            number = number_of(answer)
            self.field.value = "" if number is None else _shown(number)

    def load(self, question: Question, answer: Answer | None) -> None:
        super().load(question, answer)
        self.set_answer(answer)
        self.field.placeholder = self._range()
        state = self.query_one("#number-state", Static)
        state.update(plain(self._range()))
        state.remove_class("problem")

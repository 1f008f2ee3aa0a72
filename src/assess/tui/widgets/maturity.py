"""The maturity scale (levels 0–4, and "not applicable" with a reason where allowed).

The levels are listed one per line so the whole scale fits an 80×24
terminal; what the highlighted level means for this criterion (the bank's
own descriptor) is shown underneath, so the officer reads it before choosing.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static

from assess.answers import Answer
from assess.bank import LEVELS, Bank, Question
from assess.tui.text import plain
from assess.tui.widgets.base import AnswerInput
from assess.tui.widgets.notes import Field
from assess.tui.widgets.picker import Picker

NA = "na"


class MaturityInput(AnswerInput):
    """Choose a level with 0–4 (or N for not applicable), or with the arrows and Enter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(level), f"level({level})", show=False) for level in LEVELS),
        Binding("n", "not_applicable", "Not applicable", show=False),
    ]

    def __init__(self, question: Question, bank: Bank, answer: Answer | None, **kwargs) -> None:
        super().__init__(question, bank, answer, **kwargs)
        self.choice: str | None = self._choice_of(answer)
        self._hint_lines = -1
        items = [(str(level), bank.level_label(level)) for level in LEVELS]
        if question.allow_na:
            items.append((NA, "Not applicable"))
        self.picker = Picker(items, self._mark, self._key, classes="picker")

    @staticmethod
    def _choice_of(answer: Answer | None) -> str | None:
        if answer is None:
            return None
        return NA if answer.is_na else str(answer.value)

    def _mark(self, option_id: str) -> str:
        return "●" if option_id == self.choice else "○"

    @staticmethod
    def _key(index: int, option_id: str) -> str:
        return "N" if option_id == NA else option_id

    def compose(self) -> ComposeResult:
        yield self.picker
        yield Static(classes="hint", id="level-meaning", markup=False)
        reason = self.answer.na_reason if self.answer is not None and self.answer.is_na else ""
        na_input = Field(
            reason or "",
            placeholder="Why does this not apply here? (needed before it is saved)",
            id="na-reason",
            classes="na-reason",
        )
        na_input.display = self.choice == NA
        yield na_input

    def on_mount(self) -> None:
        self.picker.rebuild(keep=self.choice)
        self._describe()

    def focus_target(self) -> Widget:
        return self.picker

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._describe()

    def _describe(self) -> None:
        option = self.picker.highlighted_option
        hint = self.query_one("#level-meaning", Static)
        if option is None or option.id is None:
            hint.update("")
        elif option.id == NA:
            hint.update(plain("Not applicable: this criterion does not apply here. Say why."))
        else:
            level = int(option.id)
            label = self.bank.level_label(level)
            hint.update(
                plain(f"{level} {label}: {self.bank.level_descriptor(self.question, level)}")
            )

    def on_picker_chosen(self, event: Picker.Chosen) -> None:
        event.stop()
        if event.option_id == NA:
            self.action_not_applicable()
        else:
            self.action_level(int(event.option_id))

    def action_level(self, level: int) -> None:
        self.choice = str(level)
        self.picker.rebuild(keep=self.choice)
        self.query_one("#na-reason", Input).display = False
        self._describe()
        self.edited(level)

    def action_not_applicable(self) -> None:
        if not self.question.allow_na:
            self.app.notify("This criterion cannot be marked not applicable.", timeout=4)
            return
        self.choice = NA
        self.picker.rebuild(keep=NA)
        self._describe()
        reason = self.query_one("#na-reason", Input)
        reason.display = True
        reason.focus()
        if reason.value.strip():
            self.edited(None, na_reason=reason.value.strip())

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id != "na-reason" or self.choice != NA:
            return
        text = event.value.strip()
        if text:
            self.edited(None, na_reason=text, typed=True)

    def set_answer(self, answer: Answer | None) -> None:
        super().set_answer(answer)
        self.choice = self._choice_of(answer)
        self.picker.rebuild(keep=self.choice)
        reason = self.query_one("#na-reason", Input)
        reason.display = self.choice == NA
        reason.value = answer.na_reason or "" if answer is not None else ""
        self._describe()

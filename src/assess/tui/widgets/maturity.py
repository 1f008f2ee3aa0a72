"""The maturity scale (levels 0–4, and "not applicable" with a reason where allowed).

The levels are listed one per line so the whole scale fits an 80×24
terminal; what the highlighted level means for this criterion (the bank's
own descriptor) is shown underneath, so the officer reads it before choosing.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.events import Key
from textual.widget import Widget
from textual.widgets import Input, OptionList

from assess.domain.answers import Answer
from assess.domain.bank import LEVELS, Bank, Question
from assess.tui.keys import Key as KeyEntry
from assess.tui.widgets.base import AnswerField, AnswerInput
from assess.tui.widgets.hint import StableHint
from assess.tui.widgets.picker import Picker

NA = "na"


class MaturityInput(AnswerInput):
    """Choose a level with 0–4 (or N for not applicable), or with the arrows and Enter."""

    KEYS = (
        KeyEntry(
            ",".join(str(level) for level in LEVELS),
            "level",
            help="rate a criterion: 0 not started … 4 fully in place and evidenced",
            bar="to rate",
            shown=f"{LEVELS[0]}–{LEVELS[-1]}",
            per_key=True,
        ),
        KeyEntry(
            "n",
            "not_applicable",
            help="mark a criterion not applicable (where allowed); you are asked why",
            bar="for not applicable",
        ),
    )

    def __init__(
        self, question: Question, bank: Bank, answer: Answer | None, **kwargs: Any
    ) -> None:
        super().__init__(question, bank, answer, **kwargs)
        self.choice: str | None = self._choice_of(answer)
        self.picker = Picker(
            self._items(), self._mark, self._key, on_move=self._describe, classes="picker"
        )

    def _items(self) -> list[tuple[str, str]]:
        items = [(str(level), self.bank.level_label(level)) for level in LEVELS]
        if self.question.allow_na:
            items.append((NA, "Not applicable"))
        return items

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

    def _meaning(self, option_id: str) -> str:
        if option_id == NA:
            return "Not applicable: this criterion does not apply here. Say why."
        level = int(option_id)
        label = self.bank.level_label(level)
        return f"{level} {label}: {self.bank.level_descriptor(self.question, level)}"

    def _reason(self) -> str:
        answer = self.answer
        return (answer.na_reason or "") if answer is not None and answer.is_na else ""

    def compose(self) -> ComposeResult:
        yield self.picker
        yield StableHint(
            (self._meaning(oid) for oid, _ in self.picker.items),
            classes="hint",
            id="level-meaning",
        )
        na_input = AnswerField(
            self._reason(),
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
        event.stop()  # the picker has told `_describe` already

    def _describe(self) -> None:
        option = self.picker.highlighted_option
        for hint in self.query("#level-meaning").results(StableHint):  # none until mounted
            hint.show("" if option is None or option.id is None else self._meaning(option.id))

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
        reason.cursor_position = len(reason.value)
        self.call_after_refresh(reason.scroll_visible, animate=False)
        if reason.value.strip():
            self.edited(None, na_reason=reason.value.strip())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter in the reason box: done with this question (the reason is saved
        # on the way), so the box never holds the officer on it.
        event.stop()
        if event.input.id != "na-reason":
            return
        if not event.value.strip():
            self.app.notify(
                "Say why this criterion does not apply, or choose a level (Up goes back).",
                timeout=4,
            )
            return
        self.call_later(self.run_action, "screen.next_question")

    def on_key(self, event: Key) -> None:
        # Up from the reason box goes back to the levels.
        reason = self.query_one("#na-reason", Input)
        if event.key == "up" and reason.has_focus:
            event.stop()
            self.picker.focus()

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
        with reason.prevent(Input.Changed):
            reason.value = self._reason()
        self._describe()

    def load(self, question: Question, answer: Answer | None) -> None:
        super().load(question, answer)
        self.choice = self._choice_of(answer)
        self.query_one("#level-meaning", StableHint).set_texts(
            self._meaning(oid) for oid, _ in self._items()
        )
        self.picker.set_items(self._items(), keep=self.choice)
        reason = self.query_one("#na-reason", Input)
        reason.display = self.choice == NA
        with reason.prevent(Input.Changed):
            reason.value = self._reason()
        self._describe()

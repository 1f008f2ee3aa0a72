"""Free-text questions: a few lines of plain text, saved after a short pause."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import TextArea

from assess.domain.answers import Answer
from assess.domain.bank import Bank, Question
from assess.tui.widgets.base import AnswerInput, text_of
from assess.tui.widgets.notes import NoteArea


class TextInput(AnswerInput):
    """Type the answer; an empty box leaves the question unanswered."""

    TYPING = "Type your answer"

    def __init__(
        self, question: Question, bank: Bank, answer: Answer | None, **kwargs: Any
    ) -> None:
        super().__init__(question, bank, answer, **kwargs)
        start = answer.value if answer is not None and isinstance(answer.value, str) else ""
        self.area = NoteArea(start, classes="free-text", placeholder="Type your answer here")

    def compose(self) -> ComposeResult:
        yield self.area

    def focus_target(self) -> Widget:
        return self.area

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        text = self.area.text
        self.edited(text if text.strip() else None, typed=True)

    def set_answer(self, answer: Answer | None) -> None:
        super().set_answer(answer)
        with self.prevent(TextArea.Changed):
            self.area.text = text_of(answer)

    def load(self, question: Question, answer: Answer | None) -> None:
        super().load(question, answer)
        self.set_answer(answer)

"""What every answer widget shares: the message it sends when the officer changes an answer.

An answer widget shows one question's answer and lets the officer change it
by keyboard. It never saves anything itself: it posts `AnswerInput.Edited`
and the questionnaire screen decides when to save (at once for a choice,
after a short pause for typed text).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget

from assess.domain.answers import Answer, Value
from assess.domain.bank import Bank, Question
from assess.tui.keys import Key, WithKeys
from assess.tui.widgets.field import SELECT_ALL, Field

# PgDn / PgUp go to the next / previous question from anywhere on the question
# screen. They are ordinary keys there (so they keep their place among the keys
# pressed around them); the widgets that have a use of their own for them (the
# option lists, the text boxes) carry these keys too, to pass them on instead.
# The questionnaire's key table lists these same two entries.
NEXT_QUESTION = Key(
    "pagedown",
    "screen.next_question",
    help="next question",
    bar="Next",
    command="Next question",
    command_help="Go to the next question",
)
PREVIOUS_QUESTION = Key(
    "pageup",
    "screen.previous_question",
    help="previous question",
    bar="Previous",
    command="Previous question",
    command_help="Go back to the previous question",
)
QUESTION_KEYS = (NEXT_QUESTION, PREVIOUS_QUESTION)


def text_of(answer: Answer | None) -> str:
    """A typed answer's text ("" when there is none)."""
    value = None if answer is None else answer.value
    return value if isinstance(value, str) else ""


def option_of(answer: Answer | None) -> str | None:
    """The option chosen in a single-choice answer."""
    value = None if answer is None else answer.value
    return value if isinstance(value, str) else None


def options_of(answer: Answer | None) -> list[str]:
    """The options ticked or ranked in a multiple-choice or ranking answer, in order."""
    value = None if answer is None else answer.value
    return list(value) if isinstance(value, tuple) else []


def number_of(answer: Answer | None) -> float | None:
    """A number answer's number."""
    value = None if answer is None else answer.value
    return value if isinstance(value, int | float) else None


class AnswerField(Field):
    """A one-line box inside an answer (a number, a not-applicable reason).

    Textual's Input scrolls with PgDn / PgUp; here they move between questions,
    as everywhere else on the question screen.
    """

    KEYS = (*QUESTION_KEYS, SELECT_ALL)


class AnswerInput(WithKeys, Vertical):
    """Base class for the answer widget of one question.

    Its `KEYS` are the keys that answer the question; the questionnaire's help
    lists them, and the line above the answer shows those with a bar label.
    """

    TYPING: ClassVar[str] = ""
    """For a typed answer (no keys of its own): what to do, in words."""

    class Edited(Message):
        """The officer changed the answer (value None and na_reason None clears it)."""

        def __init__(
            self,
            question_id: str,
            value: Value | None,
            na_reason: str | None = None,
            typed: bool = False,
        ) -> None:
            super().__init__()
            self.question_id = question_id
            self.value = value
            self.na_reason = na_reason
            self.typed = typed

    class Invalid(Message):
        """What the officer typed cannot be saved (the stored answer stays as it was)."""

        def __init__(self, question_id: str, problem: str) -> None:
            super().__init__()
            self.question_id = question_id
            self.problem = problem

    def __init__(
        self, question: Question, bank: Bank, answer: Answer | None, **kwargs: Any
    ) -> None:
        super().__init__(classes="answer-input", **kwargs)
        self.question = question
        self.bank = bank
        self.answer = answer

    def edited(
        self, value: Value | None, na_reason: str | None = None, typed: bool = False
    ) -> None:
        self._tell(self.Edited(self.question.id, value, na_reason, typed))

    def invalid(self, problem: str) -> None:
        self._tell(self.Invalid(self.question.id, problem))

    def _tell(self, message: Message) -> None:
        # Straight to the screen, not through the message queue: a key pressed
        # right after (PgDn after Y) must already see the new answer and the
        # follow-up questions it brings, or it would skip past them.
        handler = getattr(self.screen, "answer_message", None)
        if callable(handler):
            handler(message)
        else:
            self.post_message(message)

    def focus_target(self) -> Widget:
        """The part of this widget that takes the keyboard when the question opens."""
        return self

    def set_answer(self, answer: Answer | None) -> None:
        """Show an answer read from the store (after a reload)."""
        self.answer = answer

    def load(self, question: Question, answer: Answer | None) -> None:
        """Show another question of the same type in this widget.

        Reusing the mounted widget (rather than mounting a new one) keeps a
        move to the next question to one layout, and the keyboard focus where
        it is. Subclasses redraw what depends on the question.
        """
        self.question = question
        self.answer = answer

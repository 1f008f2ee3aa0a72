"""Which answer widget each question type gets."""

from __future__ import annotations

from assess.domain.answers import Answer
from assess.domain.bank import Bank, Question
from assess.tui.widgets.base import AnswerInput
from assess.tui.widgets.maturity import MaturityInput
from assess.tui.widgets.multi import MultiChoiceInput
from assess.tui.widgets.number import NumberInput
from assess.tui.widgets.ranking import RankingInput
from assess.tui.widgets.single import LikertInput, SingleChoiceInput
from assess.tui.widgets.text import TextInput
from assess.tui.widgets.yesno import YesNoInput

WIDGETS: dict[str, type[AnswerInput]] = {
    "maturity": MaturityInput,
    "single": SingleChoiceInput,
    "likert": LikertInput,
    "yesno": YesNoInput,
    "multi": MultiChoiceInput,
    "ranking": RankingInput,
    "number": NumberInput,
    "text": TextInput,
}


def widget_class(question: Question) -> type[AnswerInput]:
    return WIDGETS[question.type]


def answer_widget(question: Question, bank: Bank, answer: Answer | None) -> AnswerInput:
    kind = widget_class(question)
    return kind(question, bank, answer, id=f"answer-{kind.__name__.lower()}")

"""Moving an assessment's answers from one version of a question bank to another.

When a new bank ships, an assessment made on an earlier one can be upgraded:
a new draft on the new bank that starts with every answer that still means
the same thing. An answer carries over when the new bank has a question with
the same id, or one that names the old id under `replaces` (a question split
or renamed), and the answer, evidence note included, still fits it: the same
type of question, an option it still offers, a level, a number in range, "not
applicable" only where that is still allowed. Every answer goes through the
same check as an answer typed in (`answers.check_answer`), so nothing is
carried that could not be entered by hand.

`plan_upgrade` says what carries, what is left behind and why, and which of
the new bank's questions need a fresh answer. It changes nothing: storing the
draft and asking the officer is for the store, the command line and the app.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assess.domain.answers import Answer, AnswerProblem, check_answer
from assess.domain.bank import Bank, Question


@dataclass(frozen=True)
class CarriedAnswer:
    """An answer that carries over: to `question_id` in the new bank, from `from_id`."""

    question_id: str
    from_id: str
    answer: Answer

    @property
    def renamed(self) -> bool:
        """Carried from a question the new bank replaces (split or renamed): worth a look."""
        return self.question_id != self.from_id


@dataclass(frozen=True)
class LeftBehind:
    """An answer in the old assessment that does not carry over, and why, in plain words."""

    old_id: str
    reason: str


@dataclass(frozen=True)
class UpgradePlan:
    """What an upgrade from `old_bank` to `new_bank` does with one assessment's answers."""

    old_bank: str  # "id version" of each bank, for messages
    new_bank: str
    carried: tuple[CarriedAnswer, ...]  # in the new bank's order
    left_behind: tuple[LeftBehind, ...]  # in the old bank's order
    fresh: tuple[str, ...]  # new-bank questions needing a fresh answer, in bank order
    new_questions: tuple[str, ...]  # of those, the ones with no counterpart at all

    @property
    def answers(self) -> dict[str, Answer]:
        """The answers to start the upgraded draft with, by new-bank question id."""
        return {c.question_id: c.answer for c in self.carried}


def counterparts(old: Bank, new_question: Question) -> tuple[Question, ...]:
    """The old bank's questions whose answers may carry to `new_question`, first choice first."""
    ids = [new_question.id, *new_question.replaces]
    found = (old.question(qid) for qid in dict.fromkeys(ids))
    return tuple(q for q in found if q is not None)


def carry(old_question: Question, new_question: Question, answer: Answer) -> Answer | str:
    """The answer as it stands on the new question, or why it cannot carry over."""
    if old_question.type != new_question.type:
        return (
            f"it answered a {_kind(old_question)} question, and its successor "
            f"{_named(new_question)} is a {_kind(new_question)} question"
        )
    if answer.is_na and not new_question.allow_na:
        return f"it was marked not applicable, which {_named(new_question)} no longer allows"
    try:
        return check_answer(new_question, answer.to_data())
    except AnswerProblem as problem:
        return f"it no longer fits {_named(new_question)}: the answer {problem}"


def plan_upgrade(old: Bank, new: Bank, answers: Mapping[str, Answer]) -> UpgradePlan:
    """Which answers carry from `old` to `new`, which do not, and what needs answering afresh."""
    carried: list[CarriedAnswer] = []
    fresh: list[str] = []
    new_questions: list[str] = []
    reasons: dict[str, str] = {}
    used: set[str] = set()
    for question in new.questions:
        candidates = counterparts(old, question)
        if not candidates:
            new_questions.append(question.id)
            fresh.append(question.id)
            continue
        answered = [c for c in candidates if c.id in answers]
        taken: CarriedAnswer | None = None
        taken_from: Question | None = None
        for candidate in answered:
            outcome = carry(candidate, question, answers[candidate.id])
            if isinstance(outcome, str):
                reasons[candidate.id] = outcome
            elif taken_from is None:
                taken = CarriedAnswer(question.id, candidate.id, outcome)
                taken_from = candidate
            else:
                # Several old questions merged into one: the first answer listed is kept.
                reasons[candidate.id] = (
                    f"{_named(question)} takes over from more than one question, and the "
                    f"answer to {_named(taken_from)} was carried instead"
                )
        if taken is not None:
            carried.append(taken)
            used.add(taken.from_id)
        elif answered:
            fresh.append(question.id)
    left_behind = []
    for question in old.questions:
        if question.id not in answers or question.id in used:
            continue
        reason = reasons.get(
            question.id, f"{new.id} {new.version} has no question that takes it over"
        )
        left_behind.append(LeftBehind(question.id, reason))
    return UpgradePlan(
        old_bank=f"{old.id} {old.version}",
        new_bank=f"{new.id} {new.version}",
        carried=tuple(carried),
        left_behind=tuple(left_behind),
        fresh=tuple(fresh),
        new_questions=tuple(new_questions),
    )


_KINDS = {
    "maturity": "rated (level 0–4)",
    "single": "single-choice",
    "multi": "multiple-choice",
    "ranking": "ranking",
    "yesno": "yes/no",
    "likert": "scale",
    "number": "number",
    "text": "text",
}


def _kind(question: Question) -> str:
    return _KINDS.get(question.type, question.type)


def _named(question: Question) -> str:
    return f"“{question.text}”"

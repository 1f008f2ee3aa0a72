"""Answers: values checked against the bank, and which questions are shown.

An answer is a value of the right kind for its question (a level 0–4 or
"not applicable" with a reason for a criterion, option ids for choices and
rankings, a number in range, text), plus an optional evidence note. Values
come from answers files, bundles, the store and the TUI; all of them pass
through `check_answer`, so a bad value is refused the same way everywhere,
with a message naming the question.

Conditional questions (`show_if` in the bank) are evaluated here too, because
whether a question is shown depends only on the answers given so far.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from assess.domain.bank import Bank, Condition, Question
from assess.domain.errors import AnswersError
from assess.domain.safejson import ParsedFile
from assess.domain.visible import has_lone_surrogate

MAX_TEXT = 10_000
MAX_ANSWERS_FILE_BYTES = 2 * 1024 * 1024

# Control characters other than tab and newline can rewrite a terminal screen
# (escape sequences) or break files, so they are refused in every text value.
# Bidirectional and zero-width characters are kept (the officer typed them) and
# shown by their code wherever a note is shown (`visible`).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

Value = int | float | str | tuple[str, ...]


class AnswerProblem(ValueError):
    """One value that does not fit its question."""


@dataclass(frozen=True)
class Answer:
    """A checked answer: `value` (None when not applicable), the reason, the evidence note."""

    value: Value | None
    na_reason: str | None = None
    evidence: str = ""

    @property
    def is_na(self) -> bool:
        return self.na_reason is not None

    @property
    def level(self) -> int | None:
        """The maturity level, for a criterion answered with a level."""
        return self.value if isinstance(self.value, int) and not self.is_na else None

    def to_data(self) -> dict[str, Any]:
        """Plain JSON-ready form, as stored and exported."""
        data: dict[str, Any] = {}
        if self.is_na:
            data["na"] = self.na_reason
        else:
            data["value"] = list(self.value) if isinstance(self.value, tuple) else self.value
        if self.evidence:
            data["evidence"] = self.evidence
        return data

    def with_evidence(self, evidence: str) -> Answer:
        return Answer(self.value, self.na_reason, _clean_text(evidence, "the evidence note"))


Answers = Mapping[str, Answer]


# ----------------------------------------------------------------------------
# Checking values


def check_answer(question: Question, raw: Any) -> Answer:
    """Turn a raw value (from a file, bundle or the store) into an `Answer`, or raise."""
    evidence = ""
    na_reason: str | None = None
    value: Any = raw
    if isinstance(raw, Answer):
        return raw
    if isinstance(raw, dict):
        allowed = {"value", "evidence", "na", "level"}
        unknown = sorted(set(raw) - allowed)
        if unknown:
            raise AnswerProblem(
                f"has an unknown field {unknown[0]!r}; use value (or level), evidence or na"
            )
        if "level" in raw and "value" in raw:
            raise AnswerProblem("gives both 'level' and 'value'; give one")
        if "level" in raw and not question.is_criterion:
            raise AnswerProblem("is not a criterion, so it takes 'value', not 'level'")
        note = raw.get("evidence")
        evidence = "" if note is None else _clean_text(note, "the evidence note")
        if raw.get("na") is not None:
            if "level" in raw or "value" in raw:
                raise AnswerProblem("is marked not applicable and also given a value; give one")
            na_reason = _clean_text(raw["na"], "the not-applicable reason").strip()
            if not question.allow_na:
                raise AnswerProblem("cannot be marked not applicable in this bank")
            if not na_reason:
                raise AnswerProblem("is marked not applicable without a reason; say why")
            return Answer(None, na_reason, evidence)
        if "level" in raw:
            value = raw["level"]
        elif "value" in raw:
            value = raw["value"]
        else:
            raise AnswerProblem("has no value; give value (or level for a criterion) or na")
    return Answer(_check_value(question, value), None, evidence)


def _check_value(q: Question, value: Any) -> Value:
    if value is None:
        raise AnswerProblem("has an empty value")
    if q.type == "maturity":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 4:
            raise AnswerProblem(f"{_show(value)} is not a level; give a whole number from 0 to 4")
        return value
    if q.type in ("single", "likert", "yesno"):
        if q.type == "yesno" and isinstance(value, bool):
            value = "yes" if value else "no"
        if not isinstance(value, str):
            raise AnswerProblem(f"{_show(value)} is not an option; choose one of {_ids(q)}")
        if value not in q.option_ids:
            raise AnswerProblem(f"{_show(value)} is not an option; choose one of {_ids(q)}")
        return value
    if q.type in ("multi", "ranking"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple):
            raise AnswerProblem(f"{_show(value)} is not a list of options from {_ids(q)}")
        chosen: list[str] = []
        for item in value:
            if not isinstance(item, str) or item not in q.option_ids:
                raise AnswerProblem(f"{_show(item)} is not an option; choose from {_ids(q)}")
            if item in chosen:
                raise AnswerProblem(f"names {item!r} twice")
            chosen.append(item)
        if q.type == "ranking" and not chosen:
            raise AnswerProblem("is an empty ranking; rank at least one option")
        return tuple(chosen)
    if q.type == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise AnswerProblem(f"{_show(value)} is not a number")
        if isinstance(value, float) and not math.isfinite(value):
            raise AnswerProblem(f"{_show(value)} is not a finite number")
        if q.minimum is not None and value < q.minimum:
            raise AnswerProblem(f"{_show(value)} is below the minimum of {_num(q.minimum)}")
        if q.maximum is not None and value > q.maximum:
            raise AnswerProblem(f"{_show(value)} is above the maximum of {_num(q.maximum)}")
        return int(value) if isinstance(value, float) and value.is_integer() else value
    # Free text
    if not isinstance(value, str):
        raise AnswerProblem(f"{_show(value)} is not text")
    text = _clean_text(value, "the text")
    if not text.strip():
        raise AnswerProblem("is empty text; leave the question out instead")
    return text


def _clean_text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise AnswerProblem(f"{what} must be text, not {_show(value)}")
    if len(value) > MAX_TEXT:
        raise AnswerProblem(f"{what} is longer than {MAX_TEXT:,} characters")
    if has_lone_surrogate(value):
        raise AnswerProblem(f"{what} holds bytes that are not UTF-8 text; save the file as UTF-8")
    if _CONTROL.search(value):
        raise AnswerProblem(f"{what} contains control characters; use plain text")
    return value


def _show(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _ids(q: Question) -> str:
    return ", ".join(q.option_ids)


# ----------------------------------------------------------------------------
# Answers files


def parse_answers(
    bank: Bank, raw: Any, doc: ParsedFile | None = None, where: str = "answers"
) -> dict[str, Answer | None]:
    """Check a mapping of question ids to raw values; None clears an answer.

    Every bad value is collected, so an officer can fix the file in one pass;
    any problem raises `AnswersError` with one line per bad value.
    """
    if not isinstance(raw, dict):
        at = doc.where(("answers",)) if doc else where
        raise AnswersError(f"{at}: 'answers' must map question ids to values")
    result: dict[str, Answer | None] = {}
    problems: list[str] = []
    for qid, value in raw.items():
        at = doc.where(("answers", qid)) if doc else where
        question = bank.question(str(qid))
        if question is None:
            problems.append(f"{at}: {qid}: there is no question with this id in bank {bank.id}")
            continue
        if value is None:
            result[question.id] = None
            continue
        try:
            result[question.id] = check_answer(question, value)
        except AnswerProblem as exc:
            problems.append(f"{at}: {qid}: {exc}")
    if problems:
        count = len(problems)
        raise AnswersError(
            f"{count} bad value{'s' if count > 1 else ''} in {doc.source if doc else where}; "
            "nothing was saved",
            problems,
        )
    return result


# ----------------------------------------------------------------------------
# Conditional questions


def condition_met(bank: Bank, condition: Condition, answers: Answers) -> bool:
    answer = answers.get(condition.question)
    if condition.answered is not None:
        return (answer is not None) == condition.answered
    if answer is None or answer.is_na:
        return False
    value = answer.value
    if condition.equals is not None:
        return value == condition.equals and type(value) is type(condition.equals)
    if condition.any_of is not None:
        chosen = value if isinstance(value, tuple) else (value,)
        return any(option in chosen for option in condition.any_of)
    if condition.first is not None:
        return isinstance(value, tuple) and bool(value) and value[0] == condition.first
    if condition.at_least is not None:
        return isinstance(value, int | float) and value >= condition.at_least
    return False


def visible_ids(bank: Bank, answers: Answers) -> set[str]:
    """Ids of the questions shown given these answers (hidden ones are not asked)."""
    # Each question's conditions look only at questions before it, so the
    # questions without any are all shown at once, and the conditional ones then
    # decided in bank order (`Bank.show_rules`).
    shown = set(bank.unconditional_ids)
    for qid, conditions, looks_back in bank.show_rules:
        if looks_back and all(
            c.question in shown and condition_met(bank, c, answers) for c in conditions
        ):
            shown.add(qid)
    return shown


def visible_questions(bank: Bank, answers: Answers) -> list[Question]:
    shown = visible_ids(bank, answers)
    return [q for q in bank.questions if q.id in shown]


def unanswered(bank: Bank, answers: Answers, within: Iterable[Question] | None = None) -> list[str]:
    """Ids of shown questions with no answer, in bank order."""
    shown = visible_ids(bank, answers)
    pool = within if within is not None else bank.questions
    return [q.id for q in pool if q.id in shown and answers.get(q.id) is None]

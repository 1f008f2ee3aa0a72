"""Answers files: a whole assessment's answers, plan changes and details in YAML or JSON.

An officer (or another program) can write answers in a file and give it to
`assess new --answers`, `assess answer` or `assess report --answers`; a
workbook exported by `assess report --format xlsx` is read into the same
shape. Every value is checked the way the app checks it, and every bad value
is named with its place in the file, before anything is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assess.domain import stages
from assess.domain.answers import MAX_ANSWERS_FILE_BYTES, Answer, parse_answers
from assess.domain.bank import Bank
from assess.domain.errors import AnswersError, BadInput
from assess.domain.names import check_name
from assess.domain.period import PeriodProblem, check_period
from assess.domain.plan import PlanProblem, check_entry
from assess.domain.safejson import ParsedFile
from assess.domain.safeyaml import read_parsed


@dataclass(frozen=True)
class AnswersFile:
    """A checked answers file: the answers (None clears one), plan changes and details.

    `plan` maps criterion ids to the plan fields the file changes, each already
    checked (`plan.check_entry`); they are merged over the entry the
    assessment has when saved. `period` is None when the file does not give one.
    """

    answers: dict[str, Answer | None]
    authority: str | None = None
    service: str | None = None
    assessor: str | None = None
    plan: dict[str, dict[str, Any]] = field(default_factory=dict)
    period: str | None = None
    stage: int | None = None


NAME_FIELDS = ("authority", "service", "assessor")
TOP_FIELDS = frozenset({"answers", "plan", "period", "stage", "bank", *NAME_FIELDS})


def read_answers_file(path: Path, bank: Bank) -> AnswersFile:
    """Read an answers file (YAML or JSON) and check all of it.

    `{answers: {QID: VALUE}, plan: {QID: {owner: ..., due: ..., status: ...}}}`,
    either part optional; the file may also name the `authority`, `service` and
    `assessor` (checked like names typed anywhere else) and the `period`.
    """
    try:
        doc = read_parsed(Path(path), max_bytes=MAX_ANSWERS_FILE_BYTES, what="answers file")
    except AnswersError:
        raise
    except BadInput as exc:
        raise AnswersError(exc.message, exc.problems) from None
    return answers_from_parsed(doc, bank)


def answers_from_parsed(doc: ParsedFile, bank: Bank) -> AnswersFile:
    """Check a parsed answers file (from YAML, JSON or a workbook read into the same shape)."""
    data = doc.value
    if not isinstance(data, dict) or not ({"answers", "plan"} & set(data)):
        raise AnswersError(
            f"{doc.source}: an answers file needs a top-level 'answers:' mapping of question "
            "ids (or a 'plan:' mapping of action-plan entries)"
        )
    unknown = sorted(set(data) - TOP_FIELDS, key=str)
    if unknown:
        raise AnswersError(f"{doc.where((unknown[0],))}: unknown top-level field {unknown[0]!r}")
    named = data.get("bank")
    if named is not None and named != bank.id:
        raise AnswersError(
            f"{doc.where(('bank',))}: this answers file is for the question bank {named!r}, "
            f"not {bank.id!r}; its question ids would not mean the same thing"
        )
    names: dict[str, str | None] = {}
    for key in NAME_FIELDS:
        if data.get(key) is None:
            names[key] = None
            continue
        try:
            names[key] = check_name(data[key], f"{key} name", required=False)
        except BadInput as exc:
            raise AnswersError(f"{doc.where((key,))}: {exc.message}") from None
    period = None
    if data.get("period") is not None:
        try:
            period = check_period(data["period"])
        except PeriodProblem as exc:
            raise AnswersError(f"{doc.where(('period',))}: {exc}") from None
    stage = None
    if data.get("stage") is not None:
        try:
            stage = stages.stage(data["stage"]).number
        except ValueError as exc:
            raise AnswersError(f"{doc.where(('stage',))}: {exc}") from None
    answers = parse_answers(bank, data["answers"], doc) if "answers" in data else {}
    plan = parse_plan(bank, data["plan"], doc) if "plan" in data else {}
    return AnswersFile(answers, plan=plan, period=period, stage=stage, **names)


def parse_plan(bank: Bank, raw: Any, doc: ParsedFile) -> dict[str, dict[str, Any]]:
    """Check the plan changes of an answers file; every bad value named, or none saved."""
    if not isinstance(raw, dict):
        raise AnswersError(f"{doc.where(('plan',))}: 'plan' must map criterion ids to entries")
    checked: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for qid, value in raw.items():
        at = doc.where(("plan", qid))
        question = bank.question(str(qid))
        if question is None:
            problems.append(f"{at}: {qid}: there is no question with this id in bank {bank.id}")
            continue
        try:
            check_entry(question, value)
        except PlanProblem as exc:
            problems.append(f"{at}: {qid}: {exc}")
            continue
        checked[question.id] = dict(value)
    if problems:
        count = len(problems)
        raise AnswersError(
            f"{count} bad plan entr{'ies' if count > 1 else 'y'} in {doc.source}; "
            "nothing was saved",
            problems,
        )
    return checked


def load_answers_file(path: Path, bank: Bank) -> dict[str, Answer | None]:
    """The checked answers of an answers file (see `read_answers_file`)."""
    return read_answers_file(path, bank).answers

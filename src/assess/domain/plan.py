"""The action plan: who will close each gap, by when, and how far it has got.

Each readiness criterion can have one plan entry: the action (the bank's
recommendation unless the officer rewrote it), an owner, a due date, a status
(not started, in progress, done, or dropped with a reason), the level it aims
for and a note. Entries usually come from gaps, but any criterion can have one.

Plan entries are checked here wherever they come from (the app, `assess plan
set`, an answers file, a workbook, a bundle), with a message naming the field,
so a bad one is refused the same way everywhere. Pure functions: what is
overdue on a given day, the order a plan is read in, which entries a copy for
the next period carries, and what became of each entry a year later.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from assess.domain.bank import Bank, Question
from assess.domain.scoring import Result

Status = Literal["not started", "in progress", "done", "dropped"]
STATUSES: tuple[Status, ...] = ("not started", "in progress", "done", "dropped")
OPEN_STATUSES: frozenset[str] = frozenset({"not started", "in progress"})
# What officers type on the command line and in answers files, as well as the words.
STATUS_KEYS: dict[str, Status] = {
    "not-started": "not started",
    "in-progress": "in progress",
    **{s: s for s in STATUSES},
}
FIELDS = ("action", "owner", "due", "status", "reason", "aim", "note")
MAX_ACTION = 2_000
MAX_NOTE = 10_000
MAX_OWNER = 200
# Control characters can rewrite a terminal (escape sequences) or break a file.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class PlanProblem(ValueError):
    """One plan value that cannot be used."""


@dataclass(frozen=True)
class PlanEntry:
    """One criterion's entry in the action plan."""

    question_id: str
    action: str
    owner: str = ""
    due: datetime.date | None = None
    status: Status = "not started"
    reason: str = ""  # why it was dropped (required then, empty otherwise)
    aim: int | None = None  # the level it aims for; None means the criterion's target
    note: str = ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue(self, today: datetime.date) -> bool:
        """Due date passed and neither done nor dropped."""
        return self.due is not None and self.due < today and self.is_open

    def to_data(self) -> dict[str, Any]:
        """Plain JSON-ready form, as stored, exported and written in answers files."""
        data: dict[str, Any] = {"action": self.action, "status": self.status}
        if self.owner:
            data["owner"] = self.owner
        if self.due is not None:
            data["due"] = self.due.isoformat()
        if self.reason:
            data["reason"] = self.reason
        if self.aim is not None:
            data["aim"] = self.aim
        if self.note:
            data["note"] = self.note
        return data


Plan = Mapping[str, PlanEntry]


def parse_due(text: Any) -> datetime.date | None:
    """A due date typed as YYYY-MM-DD (None for an empty one); PlanProblem otherwise."""
    if text is None or text == "":
        return None
    if isinstance(text, datetime.datetime):
        return text.date()
    if isinstance(text, datetime.date):
        return text
    # Spaces around a typed date are forgiven; a line break or anything else is not.
    if not isinstance(text, str) or not _DATE.fullmatch(text.strip(" ")):
        raise PlanProblem(f"the due date {_show(text)} is not a date written as YYYY-MM-DD")
    try:
        return datetime.date.fromisoformat(text.strip(" "))
    except ValueError:
        raise PlanProblem(f"the due date {_show(text)} is not a real date") from None


def parse_status(text: Any) -> Status:
    if not isinstance(text, str) or (key := text.strip().lower()) not in STATUS_KEYS:
        words = ", ".join(STATUSES)
        raise PlanProblem(f"the status {_show(text)} is not one of: {words}")
    return STATUS_KEYS[key]


def check_entry(question: Question, raw: Any, base: PlanEntry | None = None) -> PlanEntry:
    """A plan entry for `question` from plain data, merged over `base` where given.

    `raw` maps any of FIELDS to a value; a field left out keeps its value in
    `base` (or its default, the bank's action for `action`).
    """
    if not question.is_criterion:
        raise PlanProblem("only a readiness criterion can have an action-plan entry")
    if not isinstance(raw, Mapping):
        raise PlanProblem(
            "a plan entry must be a mapping of fields (action, owner, due, status, ...)"
        )
    unknown = sorted(str(k) for k in raw if k not in FIELDS)
    if unknown:
        raise PlanProblem(
            f"unknown field {_show(unknown[0])}; a plan entry has {', '.join(FIELDS)}"
        )
    entry = base or PlanEntry(question.id, question.action)
    changes: dict[str, Any] = {}
    if "action" in raw:
        action = _text(raw["action"], "the action", MAX_ACTION)
        changes["action"] = action or question.action
    if "owner" in raw:
        changes["owner"] = _owner(raw["owner"])
    if "due" in raw:
        changes["due"] = parse_due(raw["due"])
    if "status" in raw:
        changes["status"] = parse_status(raw["status"])
    if "reason" in raw:
        changes["reason"] = _text(raw["reason"], "the reason", MAX_NOTE)
    if "aim" in raw:
        changes["aim"] = _aim(raw["aim"])
    if "note" in raw:
        changes["note"] = _text(raw["note"], "the note", MAX_NOTE)
    entry = replace(entry, **changes)
    if entry.status == "dropped" and not entry.reason.strip():
        raise PlanProblem("a dropped action needs a reason (say why it was dropped)")
    if entry.status != "dropped" and "reason" not in raw:
        entry = replace(entry, reason="")
    return entry


def check_reason(value: Any, what: str) -> str:
    """A reason an officer gives (for dropping an action, reopening, a rating): plain text."""
    return _text(value, what, MAX_NOTE)


def _text(value: Any, what: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PlanProblem(f"{what} must be text, not {_show(value)}")
    if len(value) > limit:
        raise PlanProblem(f"{what} is longer than {limit:,} characters")
    if _CONTROL.search(value):
        raise PlanProblem(f"{what} contains control characters; use plain text")
    return value.strip()


def _owner(value: Any) -> str:
    owner = _text(value, "the owner", MAX_OWNER)
    if _NAME_CONTROL.search(owner):
        raise PlanProblem("the owner contains line breaks or control characters")
    return owner


def _aim(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 4:
        raise PlanProblem(f"the level aimed for {_show(value)} is not a level from 0 to 4")
    return value


def _show(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def check_plan(bank: Bank, raw: Any, where: str = "plan") -> dict[str, PlanEntry]:
    """Every entry of a plan given as {question id: {field: value}}; PlanProblem lines named."""
    if not isinstance(raw, Mapping):
        raise PlanProblem(f"{where} must map question ids to plan entries")
    entries: dict[str, PlanEntry] = {}
    problems: list[str] = []
    for qid, value in raw.items():
        question = bank.question(qid) if isinstance(qid, str) else None
        if question is None:
            problems.append(f"{where}.{_show(qid)}: no such question in the bank")
            continue
        try:
            entries[qid] = check_entry(question, value)
        except PlanProblem as exc:
            problems.append(f"{where}.{qid}: {exc}")
    if problems:
        raise PlanProblems(problems)
    return entries


class PlanProblems(PlanProblem):
    """Several plan values that cannot be used, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


# ----------------------------------------------------------------------------
# Reading a plan


@dataclass(frozen=True)
class PlanRow:
    """A plan entry beside where its criterion stands now."""

    entry: PlanEntry
    question: Question
    level: int | None  # the criterion's level now (None when not rated or n/a)
    target: int
    gap_points: int
    gap_rank: int | None  # where the gap sits in the gap list, if it is a gap
    overdue: bool

    @property
    def aim(self) -> int:
        return self.entry.aim if self.entry.aim is not None else self.target


def plan_rows(result: Result, plan: Plan, today: datetime.date) -> tuple[PlanRow, ...]:
    """The plan as it is read: overdue first, then open entries in gap order, then the rest."""
    by_id = {c.id: c for c in result.criteria}
    ranks = {g.id: g.rank for g in result.gaps}
    order = {c.id: n for n, c in enumerate(result.criteria)}
    rows = []
    for qid, entry in plan.items():
        criterion = by_id.get(qid)
        if criterion is None:
            continue  # a question this bank no longer has
        rows.append(
            PlanRow(
                entry=entry,
                question=criterion.question,
                level=criterion.level,
                target=criterion.target,
                gap_points=criterion.gap_points,
                gap_rank=ranks.get(qid),
                overdue=entry.overdue(today),
            )
        )

    def key(row: PlanRow) -> tuple[int, int, int]:
        group = 0 if row.overdue else 1 if row.entry.is_open else 2
        rank = row.gap_rank if row.gap_rank is not None else len(order) + 1
        return (group, rank, order.get(row.question.id, 0))

    return tuple(sorted(rows, key=key))


@dataclass(frozen=True)
class PlanProgress:
    """What the home screen and reports say of a plan: "7 actions, 2 overdue"."""

    total: int
    open: int
    done: int
    dropped: int
    overdue: int

    def describe(self) -> str:
        if not self.total:
            return "no actions yet"
        words = [f"{self.total} action{'s' if self.total != 1 else ''}"]
        if self.overdue:
            words.append(f"{self.overdue} overdue")
        if self.done:
            words.append(f"{self.done} done")
        return ", ".join(words)


def progress(plan: Iterable[PlanEntry], today: datetime.date) -> PlanProgress:
    entries = list(plan)
    return PlanProgress(
        total=len(entries),
        open=sum(1 for e in entries if e.is_open),
        done=sum(1 for e in entries if e.status == "done"),
        dropped=sum(1 for e in entries if e.status == "dropped"),
        overdue=sum(1 for e in entries if e.overdue(today)),
    )


def carried_over(plan: Plan) -> dict[str, PlanEntry]:
    """The entries a copy for the next period takes with it: the open ones."""
    return {qid: entry for qid, entry in plan.items() if entry.is_open}


# ----------------------------------------------------------------------------
# What became of the plan, a period later

DONE_AND_ROSE = "done, and the level rose"
DONE_NOT_ROSE = "done, but the level did not rise"
NOT_DONE = "not done"
DROPPED = "dropped"
NEW_GAP = "a new gap with no plan entry"


@dataclass(frozen=True)
class PlanOutcome:
    """One entry of the earlier plan (or one new gap), and what became of it."""

    question: Question
    outcome: str
    entry: PlanEntry | None  # the earlier entry; None for a new gap
    later_entry: PlanEntry | None  # the entry in the later assessment, if any
    level_before: int | None
    level_after: int | None


def plan_outcomes(
    earlier_plan: Plan,
    earlier: Result,
    later_plan: Plan,
    later: Result,
) -> tuple[PlanOutcome, ...]:
    """For each entry of the earlier plan, what became of it; then the new gaps with no entry.

    An entry counts as done when it is done in either assessment (the later
    one carries the open entries across and may have finished them).
    """
    before = {c.id: c for c in earlier.criteria}
    after = {c.id: c for c in later.criteria}
    outcomes: list[PlanOutcome] = []
    for qid, entry in earlier_plan.items():
        then, now = before.get(qid), after.get(qid)
        if then is None or now is None:
            continue  # not a question both assessments ask
        later_entry = later_plan.get(qid)
        status = later_entry.status if later_entry is not None else entry.status
        if entry.status == "done":
            status = "done"
        level_before, level_after = then.level, now.level
        if status == "done":
            rose = (level_after or 0) > (level_before or 0)
            outcome = DONE_AND_ROSE if rose else DONE_NOT_ROSE
        elif status == "dropped":
            outcome = DROPPED
        else:
            outcome = NOT_DONE
        outcomes.append(
            PlanOutcome(then.question, outcome, entry, later_entry, level_before, level_after)
        )
    planned = set(earlier_plan) | set(later_plan)
    for gap in later.gaps:
        then = before.get(gap.id)
        was_a_gap = then is not None and then.gap_points > 0
        if gap.id not in planned and not was_a_gap:
            outcomes.append(
                PlanOutcome(
                    gap.criterion.question,
                    NEW_GAP,
                    None,
                    None,
                    then.level if then is not None else None,
                    gap.criterion.level,
                )
            )
    return tuple(outcomes)

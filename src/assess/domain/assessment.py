"""A saved assessment and its list summary: the record the store keeps.

An assessment is always read together with the exact bank it was made with
(the store keeps a copy of every bank version it has seen), so its answers
keep their meaning after the shipped bank changes. Reports, comparisons and
the TUI all work from this one record.

Importing this module is cheap on purpose: the home screen and `assess list`
need `Summary` and the name checks, and must not pay for the question-bank
models (pydantic) or scoring, so those are imported only where an
assessment is scored (`result`, `summary()`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from assess.domain.rules import RULES_VERSION

if TYPE_CHECKING:
    from assess.domain.answers import Answer
    from assess.domain.bank import Bank
    from assess.domain.plan import PlanEntry
    from assess.domain.scoring import Result
    from assess.domain.signoff import SignOff

Status = Literal["draft", "complete"]
STATUSES: tuple[Status, ...] = ("draft", "complete")


def now_iso() -> str:
    """The current time as ISO 8601 in UTC, to the millisecond (sortable as text)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


HistoryKind = Literal["answer", "plan", "detail"]


@dataclass(frozen=True)
class HistoryEntry:
    """One change: who, when, what, and its stored form before and after.

    `kind` says what changed: an answer or a plan entry (of `question_id`), or
    a detail of the assessment itself (`field`: a name, the stage, the period,
    the status, a sign-off, a reopening, the officer's own rating).
    """

    at: str
    who: str
    question_id: str
    before: Any
    after: Any
    kind: HistoryKind = "answer"
    field: str = ""

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "at": self.at,
            "who": self.who,
            "question_id": self.question_id,
            "before": self.before,
            "after": self.after,
        }
        if self.kind != "answer":
            data["kind"] = self.kind
        if self.field:
            data["field"] = self.field
        return data


@dataclass(frozen=True)
class Assessment:
    """One officer's assessment of one authority (and optionally one service)."""

    id: str
    authority: str
    service: str
    assessor: str
    created: str
    updated: str
    status: Status
    bank: Bank
    answers: Mapping[str, Answer]
    history: tuple[HistoryEntry, ...] = ()
    revision: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict)
    stage: int = 0  # the partnership's stage the assessment is made at (0 Exploring ... 5)
    period: str = ""  # e.g. "2026/27" or "as at 2026-12-01" (see `period`)
    authority_type: str = ""  # a key of authority.AUTHORITY_TYPES, or ""
    region: str = ""  # a key of authority.REGIONS, or ""
    plan: Mapping[str, PlanEntry] = field(default_factory=dict)
    signoff: SignOff | None = None
    # The officer's own delivery confidence rating, beside the one the rules suggest.
    confidence: str = ""
    confidence_reason: str = ""

    @property
    def signed_off(self) -> bool:
        return self.signoff is not None

    @property
    def bank_id(self) -> str:
        return self.bank.id

    @property
    def bank_version(self) -> str:
        return self.bank.version

    @property
    def bank_hash(self) -> str:
        return self.bank.content_hash

    @property
    def title(self) -> str:
        """`Authority — Service` as officers name an assessment."""
        return f"{self.authority} — {self.service}" if self.service else self.authority

    @cached_property
    def result(self) -> Result:
        from assess.domain.scoring import score

        return score(self.bank, self.answers, self.stage)

    def summary(self) -> Summary:
        """The list summary, from the one scoring of the assessment (`result`)."""
        from assess.domain.scoring import round_score

        head = self.result
        open_due = sorted(
            entry.due.isoformat() for entry in self.plan.values() if entry.is_open and entry.due
        )
        return Summary(
            id=self.id,
            authority=self.authority,
            service=self.service,
            assessor=self.assessor,
            status=self.status,
            created=self.created,
            updated=self.updated,
            completeness=float(head.completeness),
            score=round_score(head.overall),
            band=head.band,
            bank_id=self.bank_id,
            bank_version=self.bank_version,
            revision=self.revision,
            stage=self.stage,
            period=self.period,
            confidence=head.confidence or "",
            plan_total=len(self.plan),
            plan_due=tuple(open_due),
            review=self.signoff.review.isoformat() if self.signoff else "",
            rules_version=RULES_VERSION,
        )


def percent_done(share: float) -> str:
    """A share 0–1 (answered of applicable) as a whole percentage, everywhere it is shown.

    Rounded down, so that 100% means every applicable question is answered;
    the small allowance keeps a float such as 0.29 (0.28999…) at 29%.
    """
    return f"{math.floor(share * 100 + 1e-9)}%"


class Summary(NamedTuple):
    """What `assess list` and the home screen show for an assessment.

    A named tuple rather than a dataclass: `Store.list()` builds one per
    assessment, 10,000 in a large store, while the officer waits for the home
    screen, and a tuple is made in a fraction of the time (no attribute dict).
    """

    id: str
    authority: str
    service: str
    assessor: str
    status: Status
    created: str
    updated: str
    completeness: float  # 0.0–1.0 of the shown questions answered
    score: float | None  # overall readiness to one decimal
    band: str
    bank_id: str
    bank_version: str
    revision: int
    stage: int
    period: str
    confidence: str  # the suggested delivery confidence ("" when not assessed)
    plan_total: int  # action-plan entries
    plan_due: tuple[str, ...]  # due dates (ISO) of the open entries that have one
    review: str  # the review date of a signed-off assessment (ISO), else ""
    rules_version: int  # the scoring rules the score and band were worked out by

    def to_data(self) -> dict[str, Any]:
        data = self._asdict()
        data["plan_due"] = list(self.plan_due)
        return data

    @property
    def signed_off(self) -> bool:
        return bool(self.review)

    def overdue(self, today: str) -> int:
        """How many open plan entries were due before `today` (ISO 8601)."""
        return sum(1 for due in self.plan_due if due < today)

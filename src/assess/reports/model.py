"""The report model: the scoring result of one assessment, with what a report adds to it.

A `Report` holds the scoring `Result` itself (never a copy of its figures), the
survey benchmark, who and what the report is about, and the few views a report
needs beyond scoring: every question as a row (for CSV and JSON), what is
unanswered, what is rated 3 or 4 without evidence, what is marked not
applicable. The renderers only lay it out: JSON and CSV read the model, and the
terminal, Markdown and HTML reports (and the app's results screen) draw the one
`Document` that `layout.report_document` makes from it. Nothing here formats for
a particular output, and nothing is escaped: text stays as the officer or the
bank wrote it, and each renderer escapes it on the way out.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING

from assess.domain.answers import Answer, visible_ids
from assess.domain.bank import Bank, Question
from assess.domain.plan import PlanEntry, PlanRow, plan_rows
from assess.domain.scoring import (
    RULES,
    CaseResult,
    CriterionResult,
    DimensionResult,
    Gap,
    Result,
    score,
)
from assess.domain.survey import Benchmark, benchmark, describe_answer

if TYPE_CHECKING:
    from assess.domain.assessment import Assessment
    from assess.domain.signoff import SignOff

# Evidence is expected for these levels: "largely" or "fully in place" is a claim.
EVIDENCE_EXPECTED_FROM = 3


@dataclass(frozen=True)
class ReportMeta:
    """Who and what the report is about, and when it was produced."""

    authority: str
    service: str = ""
    assessor: str = ""
    date: str = ""  # the day the report was produced (ISO 8601)
    assessment_id: str = ""  # empty when reporting straight from an answers file
    status: str = ""
    created: str = ""
    updated: str = ""
    revision: int | None = None
    source: str = ""  # where the answers came from, e.g. an answers file
    stage: int = 0  # the partnership's stage the assessment is made at
    period: str = ""
    authority_type: str = ""
    region: str = ""
    signoff: SignOff | None = None
    confidence: str = ""  # the officer's own delivery confidence rating, if given
    confidence_reason: str = ""

    @property
    def title(self) -> str:
        """`Authority — Service`, as officers name an assessment."""
        return f"{self.authority} — {self.service}" if self.service else self.authority

    @classmethod
    def from_assessment(cls, assessment: Assessment, date: str = "") -> ReportMeta:
        return cls(
            authority=assessment.authority,
            service=assessment.service,
            assessor=assessment.assessor,
            date=date,
            assessment_id=assessment.id,
            status=assessment.status,
            created=assessment.created,
            updated=assessment.updated,
            revision=assessment.revision,
            stage=assessment.stage,
            period=assessment.period,
            authority_type=assessment.authority_type,
            region=assessment.region,
            signoff=assessment.signoff,
            confidence=assessment.confidence,
            confidence_reason=assessment.confidence_reason,
        )


@dataclass(frozen=True)
class QuestionRow:
    """Any question or criterion, answered or not: one row of the CSV export."""

    question: Question
    instrument: str
    section_id: str
    section_title: str
    shown: bool
    answer: Answer | None
    answer_text: str  # the answer in words
    criterion: CriterionResult | None  # the criterion as scored, for a readiness criterion

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def text(self) -> str:
        return self.question.text

    @property
    def type(self) -> str:
        return self.question.type

    @property
    def answered(self) -> bool:
        return self.answer is not None

    @property
    def value(self) -> int | float | str | None:
        """A number or text answer as given; None for choices, levels and no answer."""
        if self.answer is None or self.answer.is_na:
            return None
        raw = self.answer.value
        if (isinstance(raw, int | float) and not isinstance(raw, bool)) or isinstance(raw, str):
            return raw
        return None

    @property
    def level(self) -> int | None:
        return self.criterion.level if self.criterion and self.criterion.shown else None

    @property
    def na_reason(self) -> str | None:
        return self.answer.na_reason if self.answer is not None else None

    @property
    def evidence(self) -> str:
        return self.answer.evidence if self.answer is not None else ""


@dataclass(frozen=True)
class Unanswered:
    """A question asked at the assessment's stage that has no answer yet."""

    question: Question
    instrument: str
    section_title: str

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def text(self) -> str:
        return self.question.text


@dataclass(frozen=True)
class Report:
    """One assessment's readiness report: its scoring result and what the report adds."""

    meta: ReportMeta
    bank: Bank
    answers: Mapping[str, Answer]
    result: Result
    benchmark: Benchmark
    plan: Mapping[str, PlanEntry] = field(default_factory=dict)
    rules: str = RULES

    # -- the scoring result, as the layout reads it ------------------------------

    @property
    def overall(self) -> Fraction | None:
        return self.result.overall

    @property
    def band(self) -> str:
        return self.result.band

    @property
    def uncapped_band(self) -> str:
        return self.result.uncapped_band

    @property
    def confidence(self) -> str | None:
        return self.result.confidence

    @property
    def dimensions(self) -> tuple[DimensionResult, ...]:
        return self.result.dimensions

    @property
    def cases(self) -> tuple[CaseResult, ...]:
        return self.result.cases

    @property
    def criteria(self) -> tuple[CriterionResult, ...]:
        return self.result.criteria

    @property
    def gaps(self) -> tuple[Gap, ...]:
        return self.result.gaps

    @property
    def capped_by(self) -> tuple[CriterionResult, ...]:
        return self.result.capped_by

    @property
    def is_capped(self) -> bool:
        return bool(self.result.caps)

    @property
    def questions_shown(self) -> int:
        return self.result.questions_shown

    @property
    def questions_answered(self) -> int:
        return self.result.questions_answered

    @property
    def criteria_applicable(self) -> int:
        return self.result.criteria_applicable

    @property
    def criteria_answered(self) -> int:
        return self.result.criteria_answered

    @property
    def completeness(self) -> Fraction:
        return self.result.completeness

    # -- what a report adds ----------------------------------------------------------

    @cached_property
    def questions(self) -> tuple[QuestionRow, ...]:
        shown = visible_ids(self.bank, self.answers)
        scored = {c.id: c for c in self.result.criteria}
        return tuple(
            QuestionRow(
                question=q,
                instrument=self.bank.instrument_of(q.id),
                section_id=self.bank.section_of(q.id).id,
                section_title=self.bank.section_of(q.id).title,
                shown=q.id in shown,
                answer=self.answers.get(q.id),
                answer_text=describe_answer(self.bank, q, self.answers.get(q.id)),
                criterion=scored.get(q.id),
            )
            for q in self.bank.questions
        )

    @cached_property
    def unanswered(self) -> tuple[Unanswered, ...]:
        """Questions asked at this stage with no answer, in bank order."""
        from assess.domain.scoring import asked_ids

        asked = asked_ids(self.bank, self.answers, self.result.stage)
        return tuple(
            Unanswered(q, self.bank.instrument_of(q.id), self.bank.section_of(q.id).title)
            for q in self.bank.questions
            if q.id in asked and self.answers.get(q.id) is None
        )

    @cached_property
    def missing_evidence(self) -> tuple[CriterionResult, ...]:
        """Criteria rated 3 or 4 with no evidence note: a claim nobody has backed yet."""
        return tuple(
            c
            for c in self.result.applicable
            if c.level is not None and c.level >= EVIDENCE_EXPECTED_FROM and not c.evidence.strip()
        )

    @cached_property
    def not_applicable(self) -> tuple[CriterionResult, ...]:
        return tuple(c for c in self.result.criteria if c.na_reason is not None)

    @property
    def later_stage(self) -> tuple[CriterionResult, ...]:
        return self.result.later_stage

    @property
    def today(self) -> datetime.date | None:
        """The report's date, by which actions are overdue (None when it has none)."""
        try:
            return datetime.date.fromisoformat(self.meta.date) if self.meta.date else None
        except ValueError:
            return None

    @cached_property
    def plan_rows(self) -> tuple[PlanRow, ...]:
        """The action plan as it is read: overdue first, then in gap order."""
        return plan_rows(self.result, self.plan, self.today or datetime.date.min)

    def plan_entry(self, question_id: str) -> PlanEntry | None:
        return self.plan.get(question_id)


def build_report(
    meta: ReportMeta,
    bank: Bank,
    answers: Mapping[str, Answer],
    result: Result | None = None,
    bench: Benchmark | None = None,
    plan: Mapping[str, PlanEntry] | None = None,
) -> Report:
    """The report on `answers` (scored at `meta.stage` unless a result is given)."""
    return Report(
        meta=meta,
        bank=bank,
        answers=answers,
        result=result if result is not None else score(bank, answers, meta.stage),
        benchmark=bench if bench is not None else benchmark(bank, answers, meta.stage),
        plan=dict(plan or {}),
    )


def report_for(assessment: Assessment, date: str) -> Report:
    """The report on a saved assessment, as of `date` (ISO 8601; overdue is judged on it)."""
    return build_report(
        ReportMeta.from_assessment(assessment, date=date),
        assessment.bank,
        assessment.answers,
        assessment.result,
        plan=assessment.plan,
    )

"""The report model: every fact a readiness report shows, worked out once.

`build_report` turns (assessment details, bank, answers, scoring Result,
benchmark) into a `Report` of plain frozen dataclasses. The renderers only
lay it out: JSON and CSV read the model directly, and the terminal, Markdown
and HTML reports lay out the same `Document` (see `layout.py`). Nothing here
formats for a particular output, and nothing is escaped yet: text stays as
the officer or the bank wrote it, and each renderer escapes it on the way out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING

from assess.domain.answers import Answer, visible_ids
from assess.domain.bank import Bank, Question
from assess.domain.scoring import RULES, CriterionResult, Result, score
from assess.domain.survey import Benchmark, benchmark, describe_answer

if TYPE_CHECKING:
    from assess.domain.assessment import Assessment

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
        )


@dataclass(frozen=True)
class BankInfo:
    id: str
    version: str
    title: str
    content_hash: str

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]


@dataclass(frozen=True)
class CriterionRow:
    """One readiness criterion as the report shows it."""

    id: str
    text: str
    dimension_id: str
    dimension_title: str
    level: int | None  # None: unanswered or not applicable
    level_label: str  # "Planned", "Not yet rated", "Not applicable"
    answered: bool
    applicable: bool
    na_reason: str | None
    target: int
    weight: int
    critical: bool
    score: Fraction | None  # level / 4, None when not applicable
    gap_points: int  # 0 when at or above target, or not applicable
    evidence: str
    action: str

    @property
    def effective_level(self) -> int:
        return self.level or 0


@dataclass(frozen=True)
class DimensionRow:
    id: str
    title: str
    weight: int
    score: Fraction | None  # None: no applicable criterion
    criteria: int  # criteria in the dimension
    applicable: int
    answered: int  # applicable criteria with a level


@dataclass(frozen=True)
class GapRow:
    """A criterion below its target, in the order the scoring rules put gaps."""

    rank: int
    criterion: CriterionRow
    points: int

    @property
    def id(self) -> str:
        return self.criterion.id


@dataclass(frozen=True)
class QuestionRow:
    """Any question or criterion, answered or not: one row of the CSV export."""

    id: str
    instrument: str
    section_id: str
    section_title: str
    text: str
    type: str
    shown: bool
    answered: bool
    answer_text: str  # the answer in words
    value: int | float | str | None  # a number answer stays a number
    level: int | None
    na_reason: str | None
    target: int | None
    weight: int | None
    gap_points: int | None
    critical: bool | None
    evidence: str


@dataclass(frozen=True)
class Unanswered:
    id: str
    text: str
    instrument: str
    section_title: str


@dataclass(frozen=True)
class Report:
    """Everything a readiness report shows, computed once."""

    meta: ReportMeta
    bank: BankInfo
    overall: Fraction | None
    band: str
    uncapped_band: str
    capped_by: tuple[CriterionRow, ...]
    dimensions: tuple[DimensionRow, ...]
    criteria: tuple[CriterionRow, ...]
    gaps: tuple[GapRow, ...]
    questions: tuple[QuestionRow, ...]
    unanswered: tuple[Unanswered, ...]
    missing_evidence: tuple[CriterionRow, ...]
    not_applicable: tuple[CriterionRow, ...]
    benchmark: Benchmark
    questions_shown: int
    questions_answered: int
    criteria_applicable: int
    criteria_answered: int
    rules: str

    @property
    def completeness(self) -> Fraction:
        if not self.questions_shown:
            return Fraction(1)
        return Fraction(self.questions_answered, self.questions_shown)

    @property
    def is_capped(self) -> bool:
        return bool(self.capped_by)


def build_report(
    meta: ReportMeta,
    bank: Bank,
    answers: Mapping[str, Answer],
    result: Result | None = None,
    bench: Benchmark | None = None,
) -> Report:
    """Work out every figure and list the report shows."""
    if result is None:
        result = score(bank, answers)
    if bench is None:
        bench = benchmark(bank, answers)
    criteria = {c.id: _criterion_row(bank, c) for c in result.criteria}
    gap_points = {g.id: g.points for g in result.gaps}
    criteria = {
        cid: replace(row, gap_points=gap_points.get(cid, 0)) for cid, row in criteria.items()
    }
    dimensions = tuple(
        DimensionRow(
            id=d.id,
            title=d.title,
            weight=d.weight,
            score=d.score,
            criteria=len(d.criteria),
            applicable=d.applicable,
            answered=d.answered,
        )
        for d in result.dimensions
    )
    gaps = tuple(
        GapRow(rank=i, criterion=criteria[g.id], points=g.points)
        for i, g in enumerate(result.gaps, 1)
    )
    shown = visible_ids(bank, answers)
    questions = tuple(
        _question_row(bank, q, answers.get(q.id), q.id in shown, criteria.get(q.id))
        for q in bank.questions
    )
    unanswered = tuple(
        Unanswered(q.id, q.text, bank.instrument_of(q.id), bank.section_of(q.id).title)
        for q in bank.questions
        if q.id in shown and answers.get(q.id) is None
    )
    rows = tuple(criteria.values())
    return Report(
        meta=meta,
        bank=BankInfo(bank.id, bank.version, bank.title, bank.content_hash),
        overall=result.overall,
        band=result.band,
        uncapped_band=result.uncapped_band,
        capped_by=tuple(criteria[c.id] for c in result.capped_by),
        dimensions=dimensions,
        criteria=rows,
        gaps=gaps,
        questions=questions,
        unanswered=unanswered,
        missing_evidence=tuple(
            r
            for r in rows
            if r.applicable
            and r.level is not None
            and r.level >= EVIDENCE_EXPECTED_FROM
            and not r.evidence.strip()
        ),
        not_applicable=tuple(r for r in rows if r.na_reason is not None),
        benchmark=bench,
        questions_shown=result.questions_shown,
        # Counted here, not taken from the Result, so that an id mapped to None
        # (a cleared answer) never counts as answered.
        questions_answered=sum(1 for qid in shown if answers.get(qid) is not None),
        criteria_applicable=result.criteria_applicable,
        criteria_answered=result.criteria_answered,
        rules=RULES,
    )


def _criterion_row(bank: Bank, c: CriterionResult) -> CriterionRow:
    q = c.question
    if c.na_reason is not None:
        label = "Not applicable"
    elif not c.applicable:
        label = "Not asked"
    elif c.level is None:
        label = "Not yet rated"
    else:
        label = bank.level_label(c.level)
    return CriterionRow(
        id=q.id,
        text=q.text,
        dimension_id=c.dimension_id,
        dimension_title=bank.section_of(q.id).title,
        level=c.level if c.applicable else None,
        level_label=label,
        answered=c.answered,
        applicable=c.applicable,
        na_reason=c.na_reason,
        target=q.target,
        weight=q.weight,
        critical=q.critical,
        score=c.score,
        gap_points=0,
        evidence=c.evidence,
        action=q.action,
    )


def _question_row(
    bank: Bank,
    q: Question,
    answer: Answer | None,
    shown: bool,
    criterion: CriterionRow | None,
) -> QuestionRow:
    value: int | float | str | None = None
    if answer is not None and not answer.is_na:
        raw = answer.value
        if (isinstance(raw, int | float) and not isinstance(raw, bool)) or isinstance(raw, str):
            value = raw
    return QuestionRow(
        id=q.id,
        instrument=bank.instrument_of(q.id),
        section_id=bank.section_of(q.id).id,
        section_title=bank.section_of(q.id).title,
        text=q.text,
        type=q.type,
        shown=shown,
        answered=answer is not None,
        answer_text=describe_answer(bank, q, answer),
        value=value,
        level=criterion.level if criterion else None,
        na_reason=answer.na_reason if answer is not None else None,
        target=q.target if q.is_criterion else None,
        weight=q.weight if q.is_criterion else None,
        gap_points=criterion.gap_points if criterion else None,
        critical=q.critical if q.is_criterion else None,
        evidence=answer.evidence if answer is not None else "",
    )

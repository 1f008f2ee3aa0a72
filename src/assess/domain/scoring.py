"""Readiness scores, bands, critical caps and gaps, exactly as DESIGN.md defines them.

Pure functions over a bank and its answers; every score is an exact
`Fraction` and is rounded only when shown (`format_score`). The rules, which
the README and every report repeat:

- criterion score = level / 4; an unanswered criterion counts as level 0;
  a criterion marked not applicable (or hidden by a condition) leaves both
  the numerator and the denominator;
- dimension score = 100 × Σ(weight × level/4) / Σ(weight) over its applicable criteria;
- overall = Σ(dimension weight × dimension score) / Σ(dimension weight) over
  dimensions with at least one applicable criterion;
- band: ≥ 75 Ready, ≥ 50 Nearly ready, else Not ready; any applicable critical
  criterion below level 2 caps the band at Not ready;
- a gap is an applicable criterion below its target; gap points =
  weight × (target − level); gaps are ordered critical first, then by points
  (highest first), then in bank order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from assess.domain.answers import Answers, visible_ids
from assess.domain.bank import Bank, Question

READY = "Ready"
NEARLY_READY = "Nearly ready"
NOT_READY = "Not ready"
NOT_ASSESSED = "Not assessed"

READY_FROM = Fraction(75)
NEARLY_READY_FROM = Fraction(50)
CRITICAL_MINIMUM = 2

RULES = (
    "Each criterion is rated 0–4 and scores level ÷ 4; unanswered counts as 0; "
    "not applicable is left out. A dimension scores 100 × Σ(weight × level ÷ 4) ÷ Σ(weight); "
    "overall readiness is the dimension scores averaged by dimension weight. "
    "Ready ≥ 75, Nearly ready ≥ 50, otherwise Not ready; a critical criterion below "
    "level 2 caps the band at Not ready. A gap is a criterion below its target; "
    "gap points = weight × (target − level). A question hidden by an earlier answer "
    "is not asked and is left out like not applicable."
)


@dataclass(frozen=True)
class CriterionResult:
    """One criterion as scored: `level` is None when unanswered, `applicable` False when n/a."""

    question: Question
    dimension_id: str
    level: int | None
    applicable: bool
    na_reason: str | None
    evidence: str

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def effective_level(self) -> int:
        """The level used for scoring: unanswered counts as 0."""
        return self.level or 0

    @property
    def score(self) -> Fraction | None:
        return Fraction(self.effective_level, 4) if self.applicable else None

    @property
    def answered(self) -> bool:
        return self.level is not None or self.na_reason is not None


@dataclass(frozen=True)
class DimensionResult:
    id: str
    title: str
    weight: int
    score: Fraction | None  # None when no criterion in it applies
    criteria: tuple[CriterionResult, ...]

    @property
    def applicable(self) -> int:
        return sum(1 for c in self.criteria if c.applicable)

    @property
    def answered(self) -> int:
        return sum(1 for c in self.criteria if c.applicable and c.level is not None)


@dataclass(frozen=True)
class Gap:
    criterion: CriterionResult
    target: int
    points: int

    @property
    def id(self) -> str:
        return self.criterion.id

    @property
    def critical(self) -> bool:
        return self.criterion.question.critical

    @property
    def action(self) -> str:
        return self.criterion.question.action


@dataclass(frozen=True)
class Result:
    """Everything the report needs about readiness."""

    overall: Fraction | None
    band: str
    uncapped_band: str
    capped_by: tuple[CriterionResult, ...]
    dimensions: tuple[DimensionResult, ...]
    gaps: tuple[Gap, ...]
    questions_shown: int
    questions_answered: int

    @property
    def criteria(self) -> tuple[CriterionResult, ...]:
        return tuple(c for d in self.dimensions for c in d.criteria)

    @property
    def criteria_applicable(self) -> int:
        return sum(d.applicable for d in self.dimensions)

    @property
    def criteria_answered(self) -> int:
        return sum(d.answered for d in self.dimensions)

    @property
    def completeness(self) -> Fraction:
        """Share of the shown questions (survey and criteria) that have an answer."""
        if not self.questions_shown:
            return Fraction(1)
        return Fraction(self.questions_answered, self.questions_shown)

    def dimension(self, dimension_id: str) -> DimensionResult | None:
        return next((d for d in self.dimensions if d.id == dimension_id), None)


def band_for(score: Fraction | None) -> str:
    if score is None:
        return NOT_ASSESSED
    if score >= READY_FROM:
        return READY
    if score >= NEARLY_READY_FROM:
        return NEARLY_READY
    return NOT_READY


def score(bank: Bank, answers: Answers) -> Result:
    """Score `answers` against `bank`."""
    shown = visible_ids(bank, answers)
    dimensions: list[DimensionResult] = []
    for section in bank.dimensions:
        criteria: list[CriterionResult] = []
        for q in section.questions:
            if not q.is_criterion:
                continue
            answer = answers.get(q.id)
            na = answer.na_reason if answer is not None and answer.is_na else None
            criteria.append(
                CriterionResult(
                    question=q,
                    dimension_id=section.id,
                    level=answer.level if answer is not None else None,
                    applicable=q.id in shown and na is None,
                    na_reason=na,
                    evidence=answer.evidence if answer is not None else "",
                )
            )
        applicable = [c for c in criteria if c.applicable]
        total_weight = sum(c.question.weight for c in applicable)
        # One exact fraction per dimension rather than one per criterion: the same value,
        # computed about twice as fast (scoring runs on every autosave).
        dim_score = (
            Fraction(
                100 * sum(c.question.weight * c.effective_level for c in applicable),
                4 * total_weight,
            )
            if total_weight
            else None
        )
        dimensions.append(
            DimensionResult(section.id, section.title, section.weight, dim_score, tuple(criteria))
        )

    scored = [d for d in dimensions if d.score is not None]
    dim_weight = sum(d.weight for d in scored)
    overall = sum(d.weight * d.score for d in scored) / dim_weight if dim_weight else None
    uncapped = band_for(overall)
    capped_by = tuple(
        c
        for d in dimensions
        for c in d.criteria
        if c.applicable and c.question.critical and c.effective_level < CRITICAL_MINIMUM
    )
    band = NOT_READY if capped_by and overall is not None else uncapped

    order = {q.id: i for i, q in enumerate(bank.questions)}
    gaps = [
        Gap(c, c.question.target, c.question.weight * (c.question.target - c.effective_level))
        for d in dimensions
        for c in d.criteria
        if c.applicable and c.effective_level < c.question.target
    ]
    gaps.sort(key=lambda g: (not g.critical, -g.points, order[g.id]))

    answered = sum(1 for qid in shown if answers.get(qid) is not None)
    return Result(
        overall=Fraction(overall) if overall is not None else None,
        band=band,
        uncapped_band=uncapped,
        capped_by=capped_by,
        dimensions=tuple(dimensions),
        gaps=tuple(gaps),
        questions_shown=len(shown),
        questions_answered=answered,
    )


@dataclass(frozen=True)
class Headline:
    """The overall score (exact), its band, and the share of shown questions answered."""

    overall: Fraction | None
    band: str
    completeness: Fraction


def headline(bank: Bank, answers: Answers) -> Headline:
    """`score(bank, answers)`'s overall, band and completeness, and nothing else.

    Every autosave stores these three figures for the list, so they are worked
    out here without building each criterion's result and the ordered gaps
    (a quarter of the cost of `score`). The same rules as `score`, restated
    with whole numbers and one exact fraction; tests/test_scoring_headline.py
    checks, over random banks and answers, that the two always agree.
    """
    shown = visible_ids(bank, answers)
    # Per scored dimension: (dimension weight × 100 × Σ weight·level, 4 × Σ weight).
    terms: list[tuple[int, int]] = []
    dimension_weight = 0
    capped = False
    for section in bank.dimensions:
        points = weights = 0
        for question in section.questions:
            if not question.is_criterion or question.id not in shown:
                continue
            answer = answers.get(question.id)
            if answer is not None and answer.is_na:
                continue
            level = (answer.level if answer is not None else None) or 0
            points += question.weight * level
            weights += question.weight
            if question.critical and level < CRITICAL_MINIMUM:
                capped = True
        if weights:
            terms.append((section.weight * 100 * points, 4 * weights))
            dimension_weight += section.weight
    overall: Fraction | None = None
    if dimension_weight:
        common = math.lcm(*(denominator for _, denominator in terms))
        total = sum(numerator * (common // denominator) for numerator, denominator in terms)
        overall = Fraction(total, common * dimension_weight)
    band = NOT_READY if capped and overall is not None else band_for(overall)
    answered = sum(1 for qid in shown if answers.get(qid) is not None)
    completeness = Fraction(answered, len(shown)) if shown else Fraction(1)
    return Headline(overall, band, completeness)


def format_score(value: Fraction | None, empty: str = "–") -> str:
    """One decimal, rounded half up from the exact fraction (67.25 → 67.3)."""
    if value is None:
        return empty
    tenths = (Fraction(value) * 10 + Fraction(1, 2)).__floor__()
    return f"{tenths // 10}.{tenths % 10}" if tenths >= 0 else f"{value:.1f}"


def round_score(value: Fraction | None) -> float | None:
    """The shown score as a number, for JSON and CSV."""
    return None if value is None else float(format_score(value))

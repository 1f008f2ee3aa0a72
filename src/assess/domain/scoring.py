"""Readiness scores, bands, caps, delivery confidence and gaps: the scoring rules, version 2.

One function, `score`, applies the rules to a bank, its answers and the stage
the assessment is at; everything else (reports, the app, the list of
assessments, comparisons) reads its `Result`. Every score is an exact
`Fraction`, rounded only when shown (`format_score`). The rules, which the
README, docs/scoring.md and every report repeat:

- A criterion applies when it is shown (its `show_if` holds), is not marked not
  applicable, and its `from_stage` is at or before the assessment's stage;
  later ones are listed as coming at a later stage and never count against
  the authority. An unanswered criterion that applies counts as level 0.
- Effective weight e = D × w (the dimension's weight times the criterion's);
  each criterion's share of the overall score is e ÷ Σe over applicable criteria.
- Overall readiness = 100 × Σ(e × level ÷ 4) ÷ Σe over applicable criteria.
- A dimension (or one of the five business cases) scores
  100 × Σ(w × level ÷ 4) ÷ Σw over its applicable criteria.
- The band is decided on the score as shown (one decimal, half up): 75.0 and
  above Ready, 50.0 to 74.9 Nearly ready, below 50.0 Not ready; Not assessed
  when no criterion applies.
- Caps: a critical criterion below level 2 caps the band at Not ready; one at
  level 2 or more but below its target caps it at Nearly ready.
- Delivery confidence (Gateway's five-point scale): Red when a critical
  criterion is below level 2; else Amber/Red when the band is Not ready, Amber
  when Nearly ready, Amber/Green when Ready with a gap, Green when Ready with none.
- A gap is an applicable criterion below its target; gap points =
  e × (target − level). Gaps are ordered critical first, then by gap points
  (highest first), then in bank order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any, TypeVar

from assess.domain.answers import Answers, visible_ids
from assess.domain.bank import CASES, Bank, Question, Section
from assess.domain.confidence import (
    AMBER,
    AMBER_GREEN,
    AMBER_RED,
    GREEN,
    RED,
)
from assess.domain.rules import RULES_VERSION

READY = "Ready"
NEARLY_READY = "Nearly ready"
NOT_READY = "Not ready"
NOT_ASSESSED = "Not assessed"
BANDS = (NOT_READY, NEARLY_READY, READY)  # lowest first

READY_FROM = Fraction(75)
NEARLY_READY_FROM = Fraction(50)
CRITICAL_MINIMUM = 2


CASE_TITLES = {
    "strategic": "Strategic case",
    "economic": "Economic case",
    "commercial": "Commercial case",
    "financial": "Financial case",
    "management": "Management case",
}

RULES = (
    f"Scoring rules, version {RULES_VERSION}. Each readiness criterion is rated 0–4. A "
    "criterion counts when it is asked, not marked not applicable, and applies at the "
    "assessment's stage; criteria for later stages are listed but never count against the "
    "authority. An unanswered criterion that counts is taken as level 0. Each criterion's "
    "effective weight is its dimension's weight times its own weight. Overall readiness = "
    "100 × Σ(effective weight × level ÷ 4) ÷ Σ(effective weight); a dimension or business "
    "case scores 100 × Σ(weight × level ÷ 4) ÷ Σ(weight) over its criteria. The band is "
    "decided on the score as shown to one decimal: 75.0 or more Ready, 50.0 to 74.9 Nearly "
    "ready, otherwise Not ready. A critical criterion below level 2 caps the band at Not "
    "ready; a critical criterion at level 2 or more but below its target caps it at Nearly "
    "ready. Suggested delivery confidence: Red if a critical criterion is below level 2, "
    "else Amber/Red for Not ready, Amber for Nearly ready, Amber/Green for Ready with a "
    "gap and Green for Ready with none. A gap is a criterion below its target; gap points "
    "= effective weight × (target − level). A question hidden by an earlier answer is not "
    "asked and is left out like not applicable."
)


@dataclass(frozen=True)
class CriterionResult:
    """One readiness criterion as scored.

    `level` is the level given (None when unanswered or not applicable);
    `applicable` says whether it counts at this stage; `later_stage` that it
    is asked but applies only from a later stage.
    """

    question: Question
    dimension: Section
    level: int | None
    level_label: str
    na_reason: str | None
    evidence: str
    shown: bool
    applicable: bool
    later_stage: bool

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def text(self) -> str:
        return self.question.text

    @property
    def dimension_id(self) -> str:
        return self.dimension.id

    @property
    def dimension_title(self) -> str:
        return self.dimension.title

    @property
    def weight(self) -> int:
        return self.question.weight

    @property
    def target(self) -> int:
        return self.question.target

    @property
    def critical(self) -> bool:
        return self.question.critical

    @property
    def action(self) -> str:
        return self.question.action

    @property
    def from_stage(self) -> int:
        return self.question.from_stage

    @property
    def effective_weight(self) -> int:
        """e = D × w: the dimension's weight times the criterion's."""
        return self.dimension.weight * self.question.weight

    @property
    def effective_level(self) -> int:
        """The level used for scoring: unanswered counts as 0."""
        return self.level or 0

    @property
    def score(self) -> Fraction | None:
        """level ÷ 4 where the criterion counts; None where it does not."""
        return Fraction(self.effective_level, 4) if self.applicable else None

    @property
    def answered(self) -> bool:
        return self.level is not None or self.na_reason is not None

    @property
    def gap_points(self) -> int:
        """e × (target − level) for an applicable criterion below target; else 0."""
        if not self.applicable or self.effective_level >= self.target:
            return 0
        return self.effective_weight * (self.target - self.effective_level)


@dataclass(frozen=True)
class DimensionResult:
    section: Section
    score: Fraction | None  # None when no criterion in it applies
    criteria: tuple[CriterionResult, ...]

    @property
    def id(self) -> str:
        return self.section.id

    @property
    def title(self) -> str:
        return self.section.title

    @property
    def weight(self) -> int:
        return self.section.weight

    @property
    def applicable(self) -> int:
        return sum(1 for c in self.criteria if c.applicable)

    @property
    def answered(self) -> int:
        return sum(1 for c in self.criteria if c.applicable and c.level is not None)


@dataclass(frozen=True)
class CaseResult:
    """One of the five business cases, scored over the criteria that evidence it."""

    id: str
    title: str
    score: Fraction | None
    criteria: tuple[CriterionResult, ...]

    @property
    def applicable(self) -> int:
        return sum(1 for c in self.criteria if c.applicable)


@dataclass(frozen=True)
class Cap:
    """A critical criterion that holds the band down, and the band it holds it at."""

    criterion: CriterionResult
    band: str  # NOT_READY (below level 2) or NEARLY_READY (level 2 or more, below target)


@dataclass(frozen=True)
class Gap:
    criterion: CriterionResult
    rank: int  # 1 for the most urgent

    @property
    def id(self) -> str:
        return self.criterion.id

    @property
    def critical(self) -> bool:
        return self.criterion.critical

    @property
    def action(self) -> str:
        return self.criterion.action

    @property
    def target(self) -> int:
        return self.criterion.target

    @property
    def points(self) -> int:
        return self.criterion.gap_points


# What `score` reads of one criterion: level, not-applicable reason, evidence,
# shown, applicable, and applying only at a later stage.
Row = tuple[int | None, str | None, str, bool, bool, bool]


@dataclass(frozen=True)
class Rated:
    """What `score` found, criterion by criterion, from which `Result` makes its parts.

    The sums, caps and gaps are worked out in `score`'s one pass; the
    per-criterion results (`Result.dimensions`, `caps`, `gaps`, `cases`)
    are made from these rows only when something reads them. An autosave
    needs only the summary (score, band, confidence), and making an object
    for every criterion was most of what rescoring cost.
    """

    bank: Bank = field(compare=False, repr=False)
    bank_hash: str
    rows: tuple[Row, ...]  # every criterion, in bank order
    dimension_sums: tuple[tuple[int, int], ...]  # (Σ(w × level), Σw) of each dimension
    case_sums: tuple[tuple[int, int], ...]  # the same for each case, in `CASES` order
    not_ready_caps: tuple[int, ...]  # rows of the criteria that cap at Not ready
    nearly_ready_caps: tuple[int, ...]  # and at Nearly ready, each in bank order
    gaps: tuple[int, ...]  # rows of the gaps, most urgent first


@dataclass(frozen=True)
class Result:
    """Everything about readiness that reports, the app and the list show."""

    stage: int
    overall: Fraction | None
    band: str
    uncapped_band: str
    confidence: str | None  # None when not assessed
    questions_shown: int
    questions_answered: int
    rated: Rated = field(repr=False)
    rules_version: int = RULES_VERSION

    @cached_property
    def _made(self) -> tuple[tuple[DimensionResult, ...], tuple[CriterionResult, ...]]:
        """Each dimension's result and every criterion's, from the rows `score` kept."""
        rated = self.rated
        labels = rated.bank.level_labels
        rows = iter(rated.rows)
        sums = iter(rated.dimension_sums)
        dimensions: list[DimensionResult] = []
        every: list[CriterionResult] = []
        for section, facts in rated.bank.criteria_by_dimension:
            criteria = []
            for fact in facts:
                level, na, evidence, shown, applicable, later = next(rows)
                if na is not None:
                    label = "Not applicable"
                elif not shown:
                    label = "Not asked"
                elif level is None:
                    label = "Not yet rated"
                else:
                    found = labels.get(level)
                    label = str(level) if found is None else found
                criteria.append(
                    _frozen(
                        CriterionResult,
                        {
                            "question": fact.question,
                            "dimension": section,
                            "level": level,
                            "level_label": label,
                            "na_reason": na,
                            "evidence": evidence,
                            "shown": shown,
                            "applicable": applicable,
                            "later_stage": later,
                        },
                    )
                )
            weighted, weights = next(sums)
            dimensions.append(
                _frozen(
                    DimensionResult,
                    {
                        "section": section,
                        "score": _fraction(weighted, weights),
                        "criteria": tuple(criteria),
                    },
                )
            )
            every.extend(criteria)
        return tuple(dimensions), tuple(every)

    @property
    def dimensions(self) -> tuple[DimensionResult, ...]:
        return self._made[0]

    @cached_property
    def caps(self) -> tuple[Cap, ...]:
        """The critical criteria holding the band down: the tighter caps first, in bank order."""
        criteria = self.criteria
        rated = self.rated
        return tuple(
            _frozen(Cap, {"criterion": criteria[row], "band": band})
            for rows, band in (
                (rated.not_ready_caps, NOT_READY),
                (rated.nearly_ready_caps, NEARLY_READY),
            )
            for row in rows
        )

    @cached_property
    def gaps(self) -> tuple[Gap, ...]:
        criteria = self.criteria
        return tuple(
            _frozen(Gap, {"criterion": criteria[row], "rank": rank})
            for rank, row in enumerate(self.rated.gaps, 1)
        )

    @cached_property
    def cases(self) -> tuple[CaseResult, ...]:
        """Each business case some criterion evidences, scored over those criteria."""
        tagged: dict[str, list[CriterionResult]] = {case: [] for case in CASES}
        facts = (
            fact for _, dimension in self.rated.bank.criteria_by_dimension for fact in dimension
        )
        for fact, criterion in zip(facts, self.criteria, strict=True):
            for case in fact.cases:
                tagged[case].append(criterion)
        return tuple(
            CaseResult(case, CASE_TITLES[case], _fraction(weighted, weights), tuple(tagged[case]))
            for case, (weighted, weights) in zip(CASES, self.rated.case_sums, strict=True)
            if tagged[case]
        )

    @property
    def criteria(self) -> tuple[CriterionResult, ...]:
        return self._made[1]

    @cached_property
    def applicable(self) -> tuple[CriterionResult, ...]:
        return tuple(c for c in self.criteria if c.applicable)

    @property
    def later_stage(self) -> tuple[CriterionResult, ...]:
        """Criteria asked but applying only from a later stage (never counted)."""
        return tuple(c for c in self.criteria if c.later_stage)

    @property
    def capped_by(self) -> tuple[CriterionResult, ...]:
        return tuple(cap.criterion for cap in self.caps)

    @cached_property
    def total_effective_weight(self) -> int:
        return sum(c.effective_weight for c in self.applicable)

    def share(self, criterion: CriterionResult) -> Fraction | None:
        """The criterion's share of the overall score: e ÷ Σe (None when it does not count)."""
        if not criterion.applicable or not self.total_effective_weight:
            return None
        return Fraction(criterion.effective_weight, self.total_effective_weight)

    @property
    def criteria_applicable(self) -> int:
        return len(self.applicable)

    @property
    def criteria_answered(self) -> int:
        return sum(1 for c in self.applicable if c.level is not None)

    @property
    def completeness(self) -> Fraction:
        """Share of the questions asked (survey and criteria) that have an answer."""
        if not self.questions_shown:
            return Fraction(1)
        return Fraction(self.questions_answered, self.questions_shown)

    def dimension(self, dimension_id: str) -> DimensionResult | None:
        return next((d for d in self.dimensions if d.id == dimension_id), None)


def shown_value(value: Fraction) -> Fraction:
    """The score as shown: rounded half up to one decimal, exactly."""
    return Fraction(_tenths(value), 10)


def _tenths(value: Fraction) -> int:
    """⌊value × 10 + ½⌋, the score as shown in tenths, in whole numbers.

    With value = n/d that is ⌊(20n + d) / 2d⌋; Fraction arithmetic gives the
    same number, at several times the cost, on every save that rescores.
    """
    exact = value if type(value) is Fraction else Fraction(value)
    numerator, denominator = exact.numerator, exact.denominator
    return (20 * numerator + denominator) // (2 * denominator)


# The band thresholds in tenths: a whole number of tenths t is at least x exactly
# when it is at least ⌈x⌉.
_READY_TENTHS = math.ceil(READY_FROM * 10)
_NEARLY_READY_TENTHS = math.ceil(NEARLY_READY_FROM * 10)


def band_for(score: Fraction | None) -> str:
    """The band of a score, decided on the score as shown so that number and band agree."""
    if score is None:
        return NOT_ASSESSED
    tenths = _tenths(score)
    if tenths >= _READY_TENTHS:
        return READY
    if tenths >= _NEARLY_READY_TENTHS:
        return NEARLY_READY
    return NOT_READY


def asked_ids(bank: Bank, answers: Answers, stage: int) -> set[str]:
    """Ids of the questions asked at `stage`: shown, and for readiness items, applying by then.

    A readiness item for a later stage is still there to answer, but an
    assessment is complete without it.
    """
    return _asked(bank, visible_ids(bank, answers), stage)


def _asked(bank: Bank, shown: set[str], stage: int) -> set[str]:
    """`asked_ids` given the ids shown (which `score` has already worked out)."""
    return {
        qid
        for qid, from_stage in bank.asked_from
        if qid in shown and (from_stage is None or from_stage <= stage)
    }


_T = TypeVar("_T")
_new = object.__new__
_set = object.__setattr__


def _frozen(cls: type[_T], fields: dict[str, Any]) -> _T:
    """An instance of the frozen dataclass `cls` with these fields (every one of them).

    The same object its `__init__` makes, made faster: a frozen dataclass's
    `__init__` sets each field through `object.__setattr__`, one call per
    field, and `score` makes one result per criterion and per gap each time an
    autosave rescores. Only for the classes below, which have no defaults and
    no `__post_init__`; a test checks the objects equal those `__init__` makes.
    """
    made = _new(cls)
    _set(made, "__dict__", fields)
    return made


def score(bank: Bank, answers: Answers, stage: int = 0) -> Result:
    """Apply the scoring rules to `answers` on `bank` for an assessment at `stage`.

    One pass over the criteria gathers everything the rules need (sums of
    whole-number weights and levels, caps, gaps, cases); each score is then
    one exact `Fraction` of those sums, as the module docstring writes it.
    What each criterion was given is kept as a row (`Rated`), from which the
    result makes its per-criterion parts when they are read.
    """
    shown = visible_ids(bank, answers)
    rows: list[Row] = []
    dimension_sums: list[tuple[int, int]] = []
    total = weighted_levels = 0  # Σe and Σ(e × level) over applicable criteria
    not_ready_caps: list[int] = []
    nearly_ready_caps: list[int] = []
    below: list[tuple[bool, int, int, int]] = []
    case_weights = dict.fromkeys(CASES, 0)  # Σw over each case's applicable criteria
    case_weighted = dict.fromkeys(CASES, 0)  # Σ(w × level) over them
    for section, facts in bank.criteria_by_dimension:
        dimension_weight = section.weight
        weights = weighted = 0  # Σw and Σ(w × level) over the dimension's applicable ones
        for _, qid, from_stage, weight, target, critical, cases, place in facts:
            answer = answers.get(qid)
            if answer is None:
                na = level = None
                evidence = ""
            else:
                na = answer.na_reason
                value = answer.value
                level = value if na is None and isinstance(value, int) else None  # Answer.level
                evidence = answer.evidence
            is_shown = qid in shown
            counts = is_shown and na is None
            applicable = counts and from_stage <= stage
            index = len(rows)
            rows.append((level, na, evidence, is_shown, applicable, counts and from_stage > stage))
            if not applicable:
                continue
            rated = level or 0
            effective = dimension_weight * weight
            weights += weight
            weighted += weight * rated
            total += effective
            weighted_levels += effective * rated
            for case in cases:
                case_weights[case] += weight
                case_weighted[case] += weight * rated
            if critical and rated < max(CRITICAL_MINIMUM, target):
                (not_ready_caps if rated < CRITICAL_MINIMUM else nearly_ready_caps).append(index)
            if rated < target:  # gap points e × (target − level), always more than 0
                below.append((not critical, -effective * (target - rated), place, index))
        dimension_sums.append((weighted, weights))

    overall = _fraction(weighted_levels, total)
    uncapped = band_for(overall)
    if overall is None:
        band = uncapped
    elif not_ready_caps:
        band = NOT_READY
    elif nearly_ready_caps:
        band = _lowest([uncapped, NEARLY_READY])
    else:
        band = uncapped
    # Critical first, then by gap points (highest first), then in bank order; the
    # bank order is unique, so the rows' numbers are never compared.
    below.sort(key=_gap_order)
    asked = _asked(bank, shown, stage)
    rated_rows = _frozen(
        Rated,
        {
            "bank": bank,
            "bank_hash": bank.content_hash,
            "rows": tuple(rows),
            "dimension_sums": tuple(dimension_sums),
            "case_sums": tuple((case_weighted[case], case_weights[case]) for case in CASES),
            "not_ready_caps": tuple(not_ready_caps),
            "nearly_ready_caps": tuple(nearly_ready_caps),
            "gaps": tuple(entry[3] for entry in below),
        },
    )
    return Result(
        stage=stage,
        overall=overall,
        band=band,
        uncapped_band=uncapped,
        confidence=_confidence(band, bool(not_ready_caps), bool(below)),
        questions_shown=len(asked),
        questions_answered=sum(1 for qid in asked if answers.get(qid) is not None),
        rated=rated_rows,
    )


def _gap_order(entry: tuple[bool, int, int, int]) -> tuple[bool, int, int]:
    return entry[0], entry[1], entry[2]


def _fraction(weighted: int, weights: int) -> Fraction | None:
    """100 × Σ(weight × level ÷ 4) ÷ Σweight, from the two whole-number sums; None when empty."""
    return Fraction(100 * weighted, 4 * weights) if weights else None


def _lowest(bands: list[str]) -> str:
    return min(bands, key=BANDS.index)


def _confidence(band: str, below_level_2: bool, gaps: bool) -> str | None:
    """The suggested confidence, given whether a critical criterion is below level 2 and any gap."""
    if band == NOT_ASSESSED:
        return None
    if below_level_2:
        return RED
    if band == NOT_READY:
        return AMBER_RED
    if band == NEARLY_READY:
        return AMBER
    return AMBER_GREEN if gaps else GREEN


def format_score(value: Fraction | None, empty: str = "–") -> str:
    """One decimal, rounded half up from the exact fraction (67.25 → 67.3)."""
    if value is None:
        return empty
    tenths = _tenths(value)
    return f"{tenths // 10}.{tenths % 10}" if tenths >= 0 else f"{value:.1f}"


def round_score(value: Fraction | None) -> float | None:
    """The shown score as a number, for JSON and CSV."""
    return None if value is None else float(format_score(value))

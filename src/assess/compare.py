"""Comparisons of saved assessments: over time, across services, across officers.

Two or more assessments are compared on the questions their banks share (the
same id, type and options), scored on one common bank so that the figures
side by side mean the same thing. A comparison holds:

- per-dimension and overall scores side by side, with deltas from the first;
- the answers that differ, with each side's evidence note;
- gaps closed, opened and persisting between the first and the last;
- for each criterion, the spread of levels, the criteria on which officers
  disagree by two levels or more, and a consensus view (the median level,
  rounding down between two middle values so that readiness is never
  overstated) that can be saved as a new assessment to settle.

The order of the columns is the order given, except that a series of one
authority is put in date order so that "first" and "last" mean what they say.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from assess.answers import Answer, visible_ids
from assess.assessment import Assessment
from assess.bank import Bank, Question
from assess.errors import BadInput
from assess.scoring import Result, score

OVER_TIME = "over time"
ACROSS_SERVICES = "across services"
ACROSS_OFFICERS = "across officers"
MIXED = "mixed"

DISAGREEMENT_LEVELS = 2
# Officers' views of one authority and service are taken within weeks of each
# other; assessments further apart than this are treated as a series over time.
SAME_ROUND_DAYS = 90


@dataclass(frozen=True)
class Column:
    """One assessment in the comparison, scored on the common bank."""

    assessment: Assessment
    result: Result

    @property
    def id(self) -> str:
        return self.assessment.id

    @property
    def label(self) -> str:
        """A short heading: the assessor (or the id) and the date."""
        who = self.assessment.assessor or self.assessment.id
        return f"{who} ({self.assessment.updated[:10]})"


@dataclass(frozen=True)
class DimensionRow:
    id: str
    title: str
    scores: tuple[Fraction | None, ...]
    deltas: tuple[Fraction | None, ...]  # each column minus the first; None where either is

    @property
    def trend(self) -> str:
        """up, down or flat from the first scored column to the last."""
        scored = [s for s in self.scores if s is not None]
        if len(scored) < 2 or scored[-1] == scored[0]:
            return "flat"
        return "up" if scored[-1] > scored[0] else "down"


@dataclass(frozen=True)
class AnswerChange:
    """A shared question whose answers are not all the same."""

    question: Question
    answers: tuple[Answer | None, ...]


@dataclass(frozen=True)
class GapChange:
    criterion_id: str
    points_before: int | None  # None: not a gap in the first assessment
    points_after: int | None  # None: not a gap in the last


@dataclass(frozen=True)
class CriterionSpread:
    """How the officers rated one criterion; `levels` has None for unrated or n/a."""

    question: Question
    levels: tuple[int | None, ...]
    na: tuple[bool, ...]

    @property
    def rated(self) -> list[int]:
        return [level for level in self.levels if level is not None]

    @property
    def spread(self) -> int | None:
        rated = self.rated
        return max(rated) - min(rated) if len(rated) >= 2 else None

    @property
    def disagreement(self) -> bool:
        return (self.spread or 0) >= DISAGREEMENT_LEVELS

    @property
    def median(self) -> int | None:
        rated = self.rated
        return statistics.median_low(rated) if rated else None


@dataclass(frozen=True)
class Comparison:
    kind: str
    columns: tuple[Column, ...]
    bank: Bank  # the common bank: the shared questions of the newest bank
    shared_ids: tuple[str, ...]
    left_out: tuple[str, ...]  # question ids not shared by every bank
    dimensions: tuple[DimensionRow, ...]
    changes: tuple[AnswerChange, ...]
    gaps_closed: tuple[GapChange, ...]
    gaps_opened: tuple[GapChange, ...]
    gaps_persisting: tuple[GapChange, ...]
    spreads: tuple[CriterionSpread, ...]

    @property
    def overall(self) -> tuple[Fraction | None, ...]:
        return tuple(c.result.overall for c in self.columns)

    @property
    def overall_deltas(self) -> tuple[Fraction | None, ...]:
        return _deltas(self.overall)

    @property
    def disagreements(self) -> tuple[CriterionSpread, ...]:
        return tuple(s for s in self.spreads if s.disagreement)

    @property
    def shared_count(self) -> int:
        return len(self.shared_ids)

    @property
    def same_bank(self) -> bool:
        return not self.left_out


def compare(assessments: Sequence[Assessment], kind: str | None = None) -> Comparison:
    """Compare two or more assessments; `kind` overrides the detected kind."""
    if len(assessments) < 2:
        raise BadInput("a comparison needs at least two assessments")
    ids = [a.id for a in assessments]
    if len(set(ids)) != len(ids):
        raise BadInput("the same assessment is named twice; compare different assessments")
    detected = kind or detect_kind(assessments)
    ordered = list(assessments)
    if detected == OVER_TIME:
        ordered.sort(key=lambda a: a.created)
    common, shared, left_out = common_bank([a.bank for a in ordered])
    columns = tuple(Column(a, score(common, _restrict_answers(a, shared))) for a in ordered)
    return Comparison(
        kind=detected,
        columns=columns,
        bank=common,
        shared_ids=shared,
        left_out=left_out,
        dimensions=_dimension_rows(common, columns),
        changes=_changes(common, columns),
        **_gap_changes(columns),
        spreads=_spreads(common, columns),
    )


def detect_kind(assessments: Sequence[Assessment]) -> str:
    authorities = {_norm(a.authority) for a in assessments}
    services = {_norm(a.service) for a in assessments}
    if len(authorities) > 1:
        return MIXED
    if len(services) > 1:
        return ACROSS_SERVICES
    assessors = {_norm(a.assessor) for a in assessments}
    created = [_when(a.created) for a in assessments]
    same_round = (max(created) - min(created)).days <= SAME_ROUND_DAYS
    if len(assessors) > 1 and same_round:
        return ACROSS_OFFICERS
    return OVER_TIME


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _when(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


# ----------------------------------------------------------------------------
# The common bank


def common_bank(banks: Sequence[Bank]) -> tuple[Bank, tuple[str, ...], tuple[str, ...]]:
    """The newest bank cut down to the questions every bank shares.

    Returns (common bank, shared ids in bank order, ids left out, sorted).
    A question is shared when every bank has it with the same type and the
    same options; a conditional question is shared only if what it depends
    on is shared too.
    """
    reference = newest_bank(banks)
    if all(b.content_hash == reference.content_hash for b in banks):
        return reference, tuple(q.id for q in reference.questions), ()
    every_id = {q.id for b in banks for q in b.questions}
    keep = {
        q.id for q in reference.questions if all(_same_question(q, b.question(q.id)) for b in banks)
    }
    # A question shown only after an answer to a question we dropped cannot be shown.
    changed = True
    while changed:
        changed = False
        for q in reference.questions:
            if q.id in keep and any(c.question not in keep for c in q.show_if):
                keep.discard(q.id)
                changed = True
    data = reference.to_data()
    instruments = []
    for instrument in data["instruments"]:
        sections = []
        for section in instrument["sections"]:
            questions = [q for q in section["questions"] if q["id"] in keep]
            if instrument["id"] == "readiness" and not any(
                q["type"] == "maturity" for q in questions
            ):
                continue
            if questions:
                sections.append({**section, "questions": questions})
        if sections:
            instruments.append({**instrument, "sections": sections})
    if not instruments:
        raise BadInput("these assessments share no questions, so they cannot be compared")
    data["instruments"] = instruments
    data["consistency"] = [
        c
        for c in data["consistency"]
        if c["criterion"] in keep and all(w["question"] in keep for w in c["when"])
    ]
    common = Bank.model_validate(data)
    shared = tuple(q.id for q in common.questions)
    return common, shared, tuple(sorted(every_id - set(shared)))


def newest_bank(banks: Sequence[Bank]) -> Bank:
    return max(banks, key=lambda b: tuple(int(part) for part in b.version.split(".")))


def _same_question(a: Question, b: Question | None) -> bool:
    return b is not None and a.type == b.type and set(a.option_ids) == set(b.option_ids)


def _restrict_answers(assessment: Assessment, shared: tuple[str, ...]) -> dict[str, Answer]:
    keep = set(shared)
    return {qid: answer for qid, answer in assessment.answers.items() if qid in keep}


# ----------------------------------------------------------------------------
# Rows


def _deltas(values: Sequence[Fraction | None]) -> tuple[Fraction | None, ...]:
    first = values[0]
    return tuple(None if first is None or value is None else value - first for value in values)


def _dimension_rows(bank: Bank, columns: tuple[Column, ...]) -> tuple[DimensionRow, ...]:
    rows = []
    for section in bank.dimensions:
        scores = tuple(_dimension_score(c.result, section.id) for c in columns)
        rows.append(DimensionRow(section.id, section.title, scores, _deltas(scores)))
    return tuple(rows)


def _dimension_score(result: Result, dimension_id: str) -> Fraction | None:
    found = result.dimension(dimension_id)
    return found.score if found else None


def _changes(bank: Bank, columns: tuple[Column, ...]) -> tuple[AnswerChange, ...]:
    changes = []
    for question in bank.questions:
        answers = tuple(c.assessment.answers.get(question.id) for c in columns)
        values = {_comparable(a) for a in answers}
        if len(values) > 1:
            changes.append(AnswerChange(question, answers))
    return tuple(changes)


def _comparable(answer: Answer | None) -> Any:
    # Evidence notes do not make an answer different; the value or n/a does.
    if answer is None:
        return None
    return ("n/a",) if answer.is_na else ("value", answer.value)


def _gap_changes(columns: tuple[Column, ...]) -> dict[str, tuple[GapChange, ...]]:
    before = {g.id: g.points for g in columns[0].result.gaps}
    after = {g.id: g.points for g in columns[-1].result.gaps}
    order = [g.id for g in columns[-1].result.gaps] + [
        g.id for g in columns[0].result.gaps if g.id not in after
    ]
    closed, opened, persisting = [], [], []
    for qid in order:
        change = GapChange(qid, before.get(qid), after.get(qid))
        if qid in before and qid in after:
            persisting.append(change)
        elif qid in before:
            closed.append(change)
        else:
            opened.append(change)
    return {
        "gaps_closed": tuple(closed),
        "gaps_opened": tuple(opened),
        "gaps_persisting": tuple(persisting),
    }


def _spreads(bank: Bank, columns: tuple[Column, ...]) -> tuple[CriterionSpread, ...]:
    spreads = []
    for question in bank.criteria:
        levels: list[int | None] = []
        na: list[bool] = []
        for column in columns:
            answer = column.assessment.answers.get(question.id)
            levels.append(answer.level if answer is not None else None)
            na.append(answer is not None and answer.is_na)
        spreads.append(CriterionSpread(question, tuple(levels), tuple(na)))
    return tuple(spreads)


# ----------------------------------------------------------------------------
# Consensus


def consensus_answers(comparison: Comparison) -> dict[str, Answer]:
    """A consensus view for the officers to settle.

    Each criterion takes the median of the levels given (the lower middle
    value when two are in the middle), with a note of who said what; one that
    everyone who answered marked not applicable stays not applicable. A survey
    answer is carried over only where everyone who answered agreed.
    """
    names = [c.assessment.assessor or c.id for c in comparison.columns]
    result: dict[str, Answer] = {}
    for spread in comparison.spreads:
        said = ", ".join(
            f"{name} {'n/a' if is_na else ('–' if level is None else level)}"
            for name, level, is_na in zip(names, spread.levels, spread.na, strict=True)
        )
        median = spread.median
        if median is not None:
            note = f"Consensus (median) of: {said}."
            if spread.disagreement:
                note += f" Views differ by {spread.spread} levels: agree this one."
            result[spread.question.id] = Answer(median, None, note)
        elif any(spread.na) and spread.question.allow_na:
            reasons = [
                c.assessment.answers[spread.question.id].na_reason or ""
                for c, is_na in zip(comparison.columns, spread.na, strict=True)
                if is_na
            ]
            result[spread.question.id] = Answer(None, "; ".join(dict.fromkeys(reasons)), "")
    for question in comparison.bank.questions:
        if question.is_criterion:
            continue
        given = [
            c.assessment.answers[question.id]
            for c in comparison.columns
            if question.id in c.assessment.answers
        ]
        if given and len({_comparable(a) for a in given}) == 1:
            result[question.id] = Answer(given[0].value, given[0].na_reason, "")
    # Conditional answers only count where their question is still shown.
    shown = visible_ids(comparison.bank, result)
    return {qid: answer for qid, answer in result.items() if qid in shown}


def save_consensus(store: Any, comparison: Comparison, *, who: str = "") -> Assessment:
    """Save the consensus view as a new draft assessment in `store`."""
    first = comparison.columns[0].assessment
    names = ", ".join(c.assessment.assessor or c.id for c in comparison.columns)
    assessor = f"Consensus of {names}"
    if len(assessor) > 200:
        assessor = assessor[:197] + "..."
    # Every consensus answer is to a shared question, so the newest full bank holds them all.
    newest = newest_bank([c.assessment.bank for c in comparison.columns])
    return store.create(
        authority=first.authority,
        service=first.service,
        assessor=assessor,
        bank=newest,
        answers=consensus_answers(comparison),
        who=who,
    )

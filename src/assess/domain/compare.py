"""Comparisons of saved assessments: over time, across services, across officers.

Two or more assessments are compared on the questions their banks share (the
same id, type and options), scored on one common bank so that the figures
side by side mean the same thing. A comparison holds:

- per-dimension and overall scores side by side, with deltas from the first
  column and, for each dimension, its trend from the first to the last;
- the answers that differ, with each side's evidence note;
- gaps closed, opened and persisting between the first and the last;
- for each criterion, the spread of levels, the criteria on which officers
  disagree by two levels or more, and a consensus view (the median level,
  rounding down between two middle values so that readiness is never
  overstated) that can be saved as a new assessment to settle.

The order of the columns is the order given, except that a series of one
authority is put in date order so that "first" and "last" mean what they say
(and officers' views too, so that their columns never depend on how they were
picked).
Nothing here formats for a screen or a file; `assess.reports` lays it out.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from assess.domain.answers import MAX_TEXT, Answer, AnswerProblem, check_answer, visible_ids
from assess.domain.assessment import Assessment
from assess.domain.bank import Bank, Question
from assess.domain.errors import BadInput
from assess.domain.scoring import RULES, Result, score

OVER_TIME = "over time"
ACROSS_SERVICES = "across services"
ACROSS_OFFICERS = "across officers"
MIXED = "across authorities"
KINDS = (OVER_TIME, ACROSS_SERVICES, ACROSS_OFFICERS, MIXED)

DISAGREEMENT_LEVELS = 2
# Officers' views of one authority and service are taken within weeks of each
# other; assessments further apart than this are treated as a series over time.
SAME_ROUND_DAYS = 90

COMPARISON_RULES = (
    "Assessments are compared on the questions every one of their question banks asks "
    "in the same way (same id, type and options), and all are scored with the newest "
    "bank's weights and targets, so the figures side by side mean the same thing. "
    "Changes are measured from the first column. An answer has changed when its value "
    "(or not applicable) differs; a new evidence note alone is not a change. A gap is "
    "closed when the criterion is below target in the first column and not in the last, "
    "opened the other way round, and persisting when it is below target in both. "
    f"Officers disagree on a criterion when their levels are {DISAGREEMENT_LEVELS} or "
    "more apart. The consensus level is the median of the levels given (the lower of "
    "the two middle levels when there is an even number, so readiness is never "
    "overstated); a criterion that everyone who answered marked not applicable stays "
    "not applicable, and a survey answer is kept only where everyone who answered agreed."
)


@dataclass(frozen=True)
class ComparedAssessment:
    """One assessment in the comparison, scored on the common bank."""

    assessment: Assessment
    result: Result
    label: str = ""  # a short heading that tells the columns apart (see `_labels`)

    @property
    def id(self) -> str:
        return self.assessment.id

    @property
    def gap_points(self) -> int:
        """All of this assessment's gap points added up."""
        return sum(g.points for g in self.result.gaps)


@dataclass(frozen=True)
class DimensionScores:
    id: str
    title: str
    scores: tuple[Fraction | None, ...]
    deltas: tuple[Fraction | None, ...]  # each column minus the first; None where either is

    @property
    def change(self) -> Fraction | None:
        """From the first scored column to the last; None with fewer than two scores."""
        scored = [s for s in self.scores if s is not None]
        return scored[-1] - scored[0] if len(scored) >= 2 else None

    @property
    def trend(self) -> str:
        """up, down or flat from the first scored column to the last."""
        change = self.change
        if not change:
            return "flat"
        return "up" if change > 0 else "down"


@dataclass(frozen=True)
class AnswerChange:
    """A shared question whose answers are not all the same."""

    question: Question
    answers: tuple[Answer | None, ...]  # None: not answered (or not asked) in that column


@dataclass(frozen=True)
class GapChange:
    """A criterion below target in the first column, the last, or both."""

    question: Question
    points_before: int | None  # None: not a gap in the first assessment
    points_after: int | None  # None: not a gap in the last
    level_before: int | None  # the level as scored (unanswered counts 0); None if n/a
    level_after: int | None

    @property
    def criterion_id(self) -> str:
        return self.question.id


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
    detected_kind: str  # what the assessments looked like; `kind` may be the officer's choice
    columns: tuple[ComparedAssessment, ...]
    bank: Bank  # the common bank: the shared questions of the newest bank
    shared_ids: tuple[str, ...]
    left_out: tuple[str, ...]  # question ids not shared by every bank
    dimensions: tuple[DimensionScores, ...]
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
    def overall_row(self) -> DimensionScores:
        """Overall readiness as a row like the dimensions' (for tables and trends)."""
        return DimensionScores("overall", "Overall readiness", self.overall, self.overall_deltas)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(c.label for c in self.columns)

    @property
    def assessments(self) -> tuple[Assessment, ...]:
        return tuple(c.assessment for c in self.columns)

    @property
    def disagreements(self) -> tuple[CriterionSpread, ...]:
        return tuple(s for s in self.spreads if s.disagreement)

    @property
    def shared_count(self) -> int:
        return len(self.shared_ids)

    @property
    def same_bank(self) -> bool:
        return not self.left_out

    @property
    def bank_versions(self) -> tuple[str, ...]:
        """The distinct bank versions compared, oldest first."""
        return tuple(sorted({c.assessment.bank.version for c in self.columns}, key=_version_key))

    @property
    def for_officers(self) -> bool:
        return self.kind == ACROSS_OFFICERS

    @property
    def rules(self) -> str:
        return f"{COMPARISON_RULES} {RULES}"


def compare(assessments: Sequence[Assessment], kind: str | None = None) -> Comparison:
    """Compare two or more assessments; `kind` (one of KINDS) overrides the detected kind."""
    if len(assessments) < 2:
        raise BadInput("a comparison needs at least two assessments")
    ids = [a.id for a in assessments]
    if len(set(ids)) != len(ids):
        raise BadInput("the same assessment is named twice; compare different assessments")
    detected = detect_kind(assessments)
    chosen = _check_kind(kind, assessments) if kind is not None else detected
    ordered = list(assessments)
    if chosen in (OVER_TIME, ACROSS_OFFICERS):
        # Officers' views are put in the order they were made too, so that the
        # columns come out the same however they were picked.
        ordered.sort(key=lambda a: a.created)
    common, shared, left_out = common_bank([a.bank for a in ordered])
    labels = _labels(ordered, chosen)
    columns = tuple(
        ComparedAssessment(a, score(common, _shown_answers(common, a), a.stage), label)
        for a, label in zip(ordered, labels, strict=True)
    )
    return Comparison(
        kind=chosen,
        detected_kind=detected,
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


def same_subject(assessments: Sequence[Assessment]) -> bool:
    """True when every assessment is of the same authority and service."""
    return len({(_norm(a.authority), _norm(a.service)) for a in assessments}) == 1


def _check_kind(kind: str, assessments: Sequence[Assessment]) -> str:
    if kind not in KINDS:
        raise BadInput(f"{kind!r} is not a kind of comparison; use one of: {', '.join(KINDS)}")
    if kind == ACROSS_OFFICERS and not same_subject(assessments):
        raise BadInput(
            "a comparison across officers needs assessments of the same authority and "
            "service; these are of different ones"
        )
    return kind


def describe_kind(comparison: Comparison) -> str:
    """What is compared and how to read it, in plain English."""
    columns = comparison.columns
    first, last = columns[0].assessment, columns[-1].assessment
    n = len(columns)
    if comparison.kind == OVER_TIME:
        text = (
            f"Over time: {n} assessments of {first.title}, from {first.created[:10]} to "
            f"{last.created[:10]}, oldest first. Each change is measured from the oldest."
        )
    elif comparison.kind == ACROSS_OFFICERS:
        text = (
            f"Across officers: {n} officers' views of {first.title}. Where their levels "
            f"differ by {DISAGREEMENT_LEVELS} or more they should agree one; the consensus "
            "view takes the median level and can be saved as a new assessment to settle."
        )
    elif comparison.kind == ACROSS_SERVICES:
        services = len({_norm(a.service) for a in comparison.assessments})
        text = (
            f"Across services: {n} assessments of {services} services of {first.authority}. "
            "Each difference is measured from the first column."
        )
    else:
        authorities = len({_norm(a.authority) for a in comparison.assessments})
        text = (
            f"Across authorities: {n} assessments of {authorities} different authorities. "
            "Each difference is measured from the first column."
        )
    if comparison.kind != comparison.detected_kind:
        text += f" (Chosen by you; they look like a comparison {comparison.detected_kind}.)"
    return text


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _when(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _labels(assessments: Sequence[Assessment], kind: str) -> list[str]:
    """Short column headings that tell the assessments apart.

    Each kind starts from what differs between its columns (the date over time,
    the officer across officers...) and adds the next detail only to headings
    that would otherwise be the same; the id at the end always tells them apart.
    """

    def parts(a: Assessment) -> list[str]:
        assessor = a.assessor or "no assessor named"
        service = a.service or "no service named"
        date = a.created[:10]
        if kind == OVER_TIME:
            return [date, a.created[11:16], assessor, a.id]
        if kind == ACROSS_OFFICERS:
            return [assessor, date, a.id]
        if kind == ACROSS_SERVICES:
            return [service, assessor, date, a.id]
        return [a.authority, service, assessor, date, a.id]

    every = [parts(a) for a in assessments]
    chosen = [[p[0]] for p in every]
    next_part = [1] * len(every)
    while True:
        labels = [" · ".join(c) for c in chosen]
        groups: dict[str, list[int]] = {}
        for i, label in enumerate(labels):
            groups.setdefault(label, []).append(i)
        clashes = [group for group in groups.values() if len(group) > 1]
        if not clashes:
            return labels
        for group in clashes:
            # Skip details the clashing columns share (the same officer, say);
            # the id at the end always differs.
            k = max(next_part[i] for i in group)
            while len({every[i][k] for i in group}) == 1:
                k += 1
            for i in group:
                chosen[i].append(every[i][k])
                next_part[i] = k + 1


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


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def newest_bank(banks: Sequence[Bank]) -> Bank:
    return max(banks, key=lambda b: _version_key(b.version))


def _same_question(a: Question, b: Question | None) -> bool:
    return b is not None and a.type == b.type and set(a.option_ids) == set(b.option_ids)


def _shown_answers(bank: Bank, assessment: Assessment) -> dict[str, Answer]:
    """The assessment's answers to the shared questions that it shows.

    An answer kept for a question that an earlier answer now hides (or that
    the common bank lacks) was not given in this assessment's current view,
    so it is neither a change nor a level in the spread.
    """
    shared = {qid: a for qid, a in assessment.answers.items() if bank.question(qid) is not None}
    shown = visible_ids(bank, shared)
    return {qid: a for qid, a in shared.items() if qid in shown}


# ----------------------------------------------------------------------------
# Rows


def _deltas(values: Sequence[Fraction | None]) -> tuple[Fraction | None, ...]:
    first = values[0]
    return tuple(None if first is None or value is None else value - first for value in values)


def _dimension_rows(
    bank: Bank, columns: tuple[ComparedAssessment, ...]
) -> tuple[DimensionScores, ...]:
    rows = []
    for section in bank.dimensions:
        scores = tuple(_dimension_score(c.result, section.id) for c in columns)
        rows.append(DimensionScores(section.id, section.title, scores, _deltas(scores)))
    return tuple(rows)


def _dimension_score(result: Result, dimension_id: str) -> Fraction | None:
    found = result.dimension(dimension_id)
    return found.score if found else None


def column_answers(comparison: Comparison, index: int) -> dict[str, Answer]:
    """The answers a column was scored on (shared and shown questions only)."""
    return _shown_answers(comparison.bank, comparison.columns[index].assessment)


def _changes(bank: Bank, columns: tuple[ComparedAssessment, ...]) -> tuple[AnswerChange, ...]:
    shown = [_shown_answers(bank, c.assessment) for c in columns]
    changes = []
    for question in bank.questions:
        answers = tuple(s.get(question.id) for s in shown)
        values = {_comparable(question, a) for a in answers}
        if len(values) > 1:
            changes.append(AnswerChange(question, answers))
    return tuple(changes)


def _comparable(question: Question, answer: Answer | None) -> Any:
    # Evidence notes do not make an answer different; the value or n/a does.
    if answer is None:
        return None
    if answer.is_na:
        return ("n/a",)
    value = answer.value
    if question.type == "multi" and isinstance(value, tuple):
        return ("value", frozenset(value))  # a choice of several: the order means nothing
    return ("value", value)


def _gap_changes(columns: tuple[ComparedAssessment, ...]) -> dict[str, tuple[GapChange, ...]]:
    first, last = columns[0].result, columns[-1].result
    before = {g.id: g.points for g in first.gaps}
    after = {g.id: g.points for g in last.gaps}
    levels_before = {c.id: _scored_level(c) for c in first.criteria}
    levels_after = {c.id: _scored_level(c) for c in last.criteria}
    questions = {c.id: c.question for c in last.criteria}
    order = [g.id for g in last.gaps] + [g.id for g in first.gaps if g.id not in after]
    closed, opened, persisting = [], [], []
    for qid in order:
        change = GapChange(
            questions[qid], before.get(qid), after.get(qid), levels_before[qid], levels_after[qid]
        )
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


def _scored_level(criterion: Any) -> int | None:
    return criterion.effective_level if criterion.applicable else None


def _spreads(bank: Bank, columns: tuple[ComparedAssessment, ...]) -> tuple[CriterionSpread, ...]:
    shown = [_shown_answers(bank, c.assessment) for c in columns]
    spreads = []
    for question in bank.criteria:
        levels: list[int | None] = []
        na: list[bool] = []
        for answers in shown:
            answer = answers.get(question.id)
            levels.append(answer.level if answer is not None else None)
            na.append(answer is not None and answer.is_na)
        spreads.append(CriterionSpread(question, tuple(levels), tuple(na)))
    return tuple(spreads)


# ----------------------------------------------------------------------------
# Consensus


def _names(comparison: Comparison) -> list[str]:
    return [c.assessment.assessor or c.label for c in comparison.columns]


def consensus_answers(comparison: Comparison) -> dict[str, Answer]:
    """A consensus view for the officers to settle.

    Each criterion takes the median of the levels given (the lower middle
    value when two are in the middle), with a note of who said what and their
    evidence; one that everyone who answered marked not applicable stays not
    applicable. A survey answer is carried over only where everyone who
    answered agreed.
    """
    names = _names(comparison)
    shown = [column_answers(comparison, i) for i in range(len(comparison.columns))]
    result: dict[str, Answer] = {}
    for spread in comparison.spreads:
        qid = spread.question.id
        said = ", ".join(
            f"{name} {'n/a' if is_na else ('–' if level is None else level)}"
            for name, level, is_na in zip(names, spread.levels, spread.na, strict=True)
        )
        median = spread.median
        if median is not None:
            note = f"Consensus (median) of: {said}."
            if spread.disagreement:
                note += f" Views differ by {spread.spread} levels: agree this one."
            notes = [
                f"{name}: {answers[qid].evidence.strip()}"
                for name, answers in zip(names, shown, strict=True)
                if qid in answers and answers[qid].evidence.strip()
            ]
            if notes:
                note += " Evidence noted by " + "; ".join(notes)
            result[qid] = Answer(median, None, _fit(note))
        elif any(spread.na) and spread.question.allow_na:
            reasons = [answers[qid].na_reason or "" for answers in shown if qid in answers]
            reason = "; ".join(dict.fromkeys(r for r in reasons if r)) or "Not applicable"
            result[qid] = Answer(None, _fit(reason), "")
    for question in comparison.bank.questions:
        if question.is_criterion:
            continue
        given = [answers[question.id] for answers in shown if question.id in answers]
        if given and len({_comparable(question, a) for a in given}) == 1:
            result[question.id] = Answer(given[0].value, given[0].na_reason, "")
    # Conditional answers only count where their question is still shown.
    visible = visible_ids(comparison.bank, result)
    return {qid: answer for qid, answer in result.items() if qid in visible}


def _fit(text: str) -> str:
    """Text cut to what an answer may hold, so a long set of notes still saves."""
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def consensus_result(comparison: Comparison) -> Result:
    """How the consensus view scores, on the common bank."""
    # Officers' views of one round are made at one stage; the latest, if they differ.
    stage = max(c.assessment.stage for c in comparison.columns)
    return score(comparison.bank, consensus_answers(comparison), stage)


def consensus_assessor(comparison: Comparison) -> str:
    """The assessor name a saved consensus gets: "Consensus of Ann, Bob, Cat"."""
    assessor = f"Consensus of {', '.join(_names(comparison))}"
    return assessor if len(assessor) <= 200 else assessor[:197] + "..."


def save_consensus(store: Any, comparison: Comparison, *, who: str = "") -> Assessment:
    """Save the consensus view as a new draft assessment in `store`.

    Only a comparison across officers has a consensus to settle: the median of
    one authority's readiness last year and this year, or of two services,
    describes nothing real, so anything else is refused.
    """
    if not comparison.for_officers:
        raise BadInput(
            "a consensus view is for several officers' assessments of the same authority "
            f"and service; these are compared {comparison.kind}, so nothing was saved"
        )
    first = comparison.columns[0].assessment
    # Every consensus answer is to a shared question, so the newest full bank holds them all.
    newest = newest_bank([c.assessment.bank for c in comparison.columns])
    answers: dict[str, Answer] = {}
    for qid, answer in consensus_answers(comparison).items():
        question = newest.question(qid)
        if question is None:
            continue
        try:
            # Banks that share a question may still differ in what it allows (a range,
            # "not applicable"); an answer the newest bank refuses is left for them to give.
            answers[qid] = check_answer(question, answer.to_data())
        except AnswerProblem:
            continue
    return store.create(
        authority=first.authority,
        service=first.service,
        assessor=consensus_assessor(comparison),
        bank=newest,
        answers=answers,
        who=who,
    )

"""Comparisons of saved assessments: over time, across services, officers or authorities.

Two or more assessments are compared on the questions their banks share (the
same id, type and options), scored on one common bank so that the figures
side by side mean the same thing. A comparison holds:

- per-dimension and overall scores side by side, with the change of each
  column from the **baseline** (the earliest over time, else the first
  column, unless the officer names another);
- the answers that differ, with each side's evidence note;
- gaps closed, opened and persisting between the baseline and the last column;
- over time, what became of each action-plan entry of the baseline
  (`domain.plan.plan_outcomes`);
- for each criterion, the spread of levels and whether officers disagree by
  two levels or more (the consensus itself is `domain.consensus`).

The kind of comparison is worked out from the authority, service, period and
assessor of each assessment (`detect_kind`), and can be overridden. Over time
the columns go in period order, then by when each was made
(`domain.period.order_key`); across officers there is one view per officer,
the latest, and a warning names any officer with several. Otherwise the
columns keep the order given, with the baseline first.
Nothing here formats for a screen or a file; `assess.reports` lays it out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from fractions import Fraction
from typing import Any

from assess.domain.answers import Answer, visible_ids
from assess.domain.assessment import Assessment
from assess.domain.bank import Bank, Question
from assess.domain.errors import BadInput
from assess.domain.period import order_key
from assess.domain.plan import PlanOutcome, plan_outcomes
from assess.domain.scoring import RULES, Result, score

OVER_TIME = "over time"
ACROSS_SERVICES = "across services"
ACROSS_OFFICERS = "across officers"
MIXED = "across authorities"
KINDS = (OVER_TIME, ACROSS_SERVICES, ACROSS_OFFICERS, MIXED)

DISAGREEMENT_LEVELS = 2
# Without a period to go by, officers' views of one authority and service are
# taken within weeks of each other; assessments further apart than this are
# treated as a series over time.
SAME_ROUND_DAYS = 90

COMPARISON_RULES = (
    "Assessments are compared on the questions every one of their question banks asks "
    "in the same way (same id, type and options), and all are scored with the newest "
    "bank's weights and targets, so the figures side by side mean the same thing. "
    "The kind of comparison is worked out from the assessments: different authorities "
    "are compared across authorities, different services of one authority across "
    "services, one authority and service in different periods over time, and "
    "different assessors of one authority, service and period across officers. Over "
    "time the assessments are put in period order, then in the order they were made. "
    "Changes are measured from the baseline: the earliest assessment over time, "
    "otherwise the first, unless another is chosen. An answer has changed when its value "
    "(or not applicable) differs; a new evidence note alone is not a change. A gap is "
    "closed when the criterion is below target in the baseline and not in the last "
    "column, opened the other way round, and persisting when it is below target in both. "
    "Over time, each action-plan entry of the baseline is reported as done with the "
    "level risen, done but the level not risen, not done, or dropped; and gaps of the "
    "last assessment with no plan entry are listed as new gaps. "
    f"Officers disagree on a criterion when their levels are {DISAGREEMENT_LEVELS} or "
    "more apart. Across officers each officer counts once, with their latest "
    "assessment. The consensus takes a level where every officer who answered agrees, "
    "or where an odd number of officers gives a clear middle level; where the two "
    "middle levels of an even number differ (or some officers say not applicable and "
    "others give a level) the item is left for the officers to settle, and until it is "
    "the consensus score is given as a range from the lowest to the highest it could "
    "be. A survey answer is carried into the consensus only where every officer who "
    "answered agrees."
)


@dataclass(frozen=True)
class ComparedAssessment:
    """One assessment in the comparison, scored on the common bank."""

    assessment: Assessment
    result: Result
    # The answers it was scored on: to the shared questions, and shown (`_shown_answers`).
    answers: Mapping[str, Answer]
    label: str = ""  # a short heading that tells the columns apart (see `_labels`)

    @property
    def id(self) -> str:
        return self.assessment.id

    @property
    def officer(self) -> str:
        """Who made it, as the comparison names them."""
        return self.assessment.assessor or "no assessor named"

    @property
    def gap_points(self) -> int:
        """All of this assessment's gap points added up."""
        return sum(g.points for g in self.result.gaps)


@dataclass(frozen=True)
class DimensionScores:
    id: str
    title: str
    scores: tuple[Fraction | None, ...]
    deltas: tuple[Fraction | None, ...]  # each column minus the baseline; None where either is
    baseline: int = 0  # the column the deltas are measured from

    @property
    def change(self) -> Fraction | None:
        """From the baseline to the last column; None where either has no score."""
        first, last = self.scores[self.baseline], self.scores[-1]
        if first is None or last is None or self.baseline == len(self.scores) - 1:
            return None
        return last - first

    @property
    def trend(self) -> str:
        """up, down or flat from the baseline to the last column."""
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
    """A criterion below target in the baseline, the last column, or both."""

    question: Question
    points_before: int | None  # None: not a gap in the baseline
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


@dataclass(frozen=True)
class SetAside:
    """An officer's earlier assessment, left out because their latest one is their view."""

    assessment: Assessment
    kept: Assessment  # the officer's latest, which is compared


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
    baseline_index: int = 0
    baseline_chosen: bool = False  # named by the officer rather than the default
    plan_outcomes: tuple[PlanOutcome, ...] = ()  # over time only
    set_aside: tuple[SetAside, ...] = ()  # across officers: earlier views of one officer
    left_out_texts: tuple[tuple[str, str], ...] = ()  # (id, question text) of `left_out`
    # Across officers: the items the officers have settled so far, {question id: level,
    # or None for not applicable}; `domain.consensus` applies them (see `with_settled`).
    settled: Mapping[str, int | None] = field(default_factory=dict)

    @property
    def baseline(self) -> ComparedAssessment:
        return self.columns[self.baseline_index]

    @property
    def last(self) -> ComparedAssessment:
        return self.columns[-1]

    @property
    def overall(self) -> tuple[Fraction | None, ...]:
        return tuple(c.result.overall for c in self.columns)

    @property
    def overall_deltas(self) -> tuple[Fraction | None, ...]:
        return _deltas(self.overall, self.baseline_index)

    @property
    def overall_row(self) -> DimensionScores:
        """Overall readiness as a row like the dimensions' (for tables and trends)."""
        return DimensionScores(
            "overall", "Overall readiness", self.overall, self.overall_deltas, self.baseline_index
        )

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
    def over_time(self) -> bool:
        return self.kind == OVER_TIME

    @property
    def warnings(self) -> tuple[str, ...]:
        """What the officer must know about what is compared (an officer with several views)."""
        return officer_warnings(self.set_aside)

    @property
    def rules(self) -> str:
        return f"{COMPARISON_RULES} {RULES}"

    def with_settled(self, settled: Mapping[str, int | None]) -> Comparison:
        """The same comparison with the officers' settled items (checked by the consensus)."""
        return replace(self, settled=dict(settled))


def compare(
    assessments: Sequence[Assessment], kind: str | None = None, baseline: str | None = None
) -> Comparison:
    """Compare two or more assessments.

    `kind` (one of KINDS) overrides the kind worked out from them; `baseline`
    (an assessment id) names the column changes are measured from.
    """
    if len(assessments) < 2:
        raise BadInput("a comparison needs at least two assessments")
    ids = [a.id for a in assessments]
    if len(set(ids)) != len(ids):
        raise BadInput("the same assessment is named twice; compare different assessments")
    detected = detect_kind(assessments)
    chosen = _check_kind(kind, assessments) if kind is not None else detected
    ordered = list(assessments)
    set_aside: tuple[SetAside, ...] = ()
    if chosen == ACROSS_OFFICERS:
        ordered, set_aside = one_view_per_officer(ordered)
    if chosen == OVER_TIME:
        ordered.sort(key=lambda a: order_key(a.period, a.created))
    elif chosen == ACROSS_OFFICERS:
        # In the order they were made, so that the columns come out the same
        # however they were picked.
        ordered.sort(key=lambda a: a.created)
    index = _baseline_index(ordered, chosen, baseline, set_aside)
    if chosen != OVER_TIME and index:
        # Any other comparison reads from its first column: the baseline goes there.
        ordered.insert(0, ordered.pop(index))
        index = 0
    common, shared, left_out = common_bank([a.bank for a in ordered])
    labels = _labels(ordered, chosen)
    shown = [_shown_answers(common, a) for a in ordered]
    columns = tuple(
        ComparedAssessment(a, score(common, answers, a.stage), answers, label)
        for a, answers, label in zip(ordered, shown, labels, strict=True)
    )
    closed, opened, persisting = _gap_changes(columns[index], columns[-1])
    outcomes: tuple[PlanOutcome, ...] = ()
    if chosen == OVER_TIME:
        before, after = columns[index], columns[-1]
        outcomes = plan_outcomes(
            before.assessment.plan, before.result, after.assessment.plan, after.result
        )
    return Comparison(
        kind=chosen,
        detected_kind=detected,
        columns=columns,
        bank=common,
        shared_ids=shared,
        left_out=left_out,
        dimensions=_dimension_rows(common, columns, index),
        changes=_changes(common, columns),
        gaps_closed=closed,
        gaps_opened=opened,
        gaps_persisting=persisting,
        spreads=_spreads(common, columns),
        baseline_index=index,
        baseline_chosen=baseline is not None,
        plan_outcomes=outcomes,
        set_aside=set_aside,
        left_out_texts=_left_out_texts(left_out, [a.bank for a in ordered]),
    )


def detect_kind(assessments: Sequence[Assessment]) -> str:
    """The kind of comparison the assessments make, from authority, service, period, assessor."""
    return kind_and_reason(assessments)[0]


def kind_and_reason(assessments: Sequence[Assessment]) -> tuple[str, str]:
    """The kind of comparison, and what it was worked out from, in words."""
    authorities = {_norm(a.authority) for a in assessments}
    if len(authorities) > 1:
        return MIXED, f"{len(authorities)} different authorities"
    services = {_norm(a.service) for a in assessments}
    if len(services) > 1:
        return ACROSS_SERVICES, f"one authority, {len(services)} different services"
    periods = {_norm(a.period) for a in assessments}
    if len(periods) > 1:
        named = sorted({a.period for a in assessments if a.period}, key=lambda p: order_key(p, ""))
        missing = " and one with none" if "" in periods else ""
        return OVER_TIME, (
            f"one authority and service, in different periods ({', '.join(named)}{missing})"
        )
    assessors = {_norm(a.assessor) for a in assessments}
    period = next(iter(periods))
    if len(assessors) > 1:
        if period:
            return ACROSS_OFFICERS, (
                f"one authority, service and period ({assessments[0].period}), "
                f"{len(assessors)} different assessors"
            )
        created = [_when(a.created) for a in assessments]
        if (max(created) - min(created)).days <= SAME_ROUND_DAYS:
            return ACROSS_OFFICERS, (
                f"one authority and service, no period given, {len(assessors)} different "
                f"assessors within {SAME_ROUND_DAYS} days"
            )
        return OVER_TIME, (
            f"one authority and service, no period given, made more than {SAME_ROUND_DAYS} "
            "days apart"
        )
    what = f"one period ({assessments[0].period})" if period else "no period given"
    return OVER_TIME, f"one authority, service and assessor, {what}"


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


def one_view_per_officer(
    assessments: Sequence[Assessment],
) -> tuple[list[Assessment], tuple[SetAside, ...]]:
    """Each officer's latest assessment (by period, then when made), and the ones set aside."""
    latest: dict[str, Assessment] = {}
    for a in assessments:
        key = _norm(a.assessor)
        held = latest.get(key)
        if held is None or order_key(a.period, a.created) > order_key(held.period, held.created):
            latest[key] = a
    kept = [a for a in assessments if latest[_norm(a.assessor)] is a]
    aside = tuple(
        SetAside(a, latest[_norm(a.assessor)])
        for a in assessments
        if latest[_norm(a.assessor)] is not a
    )
    if len(kept) < 2:
        who = kept[0].assessor or "an officer with no name given"
        raise BadInput(
            f"a comparison across officers needs two or more officers' views; these "
            f"assessments are all by {who}"
        )
    return kept, aside


def officer_warnings(set_aside: Sequence[SetAside]) -> tuple[str, ...]:
    """One sentence per officer with several assessments: which one is their view."""
    by_officer: dict[str, list[SetAside]] = {}
    for item in set_aside:
        by_officer.setdefault(item.kept.id, []).append(item)
    warnings = []
    for items in by_officer.values():
        kept = items[0].kept
        who = kept.assessor or "An officer with no name given"
        others = len(items)
        warnings.append(
            f"{who} has {others + 1} assessments here; only the latest ({_made(kept)}) is "
            f"compared as their view, and {'the other is' if others == 1 else 'the others are'} "
            f"left out ({'; '.join(_made(i.assessment) for i in items)})."
        )
    return tuple(warnings)


def _made(a: Assessment) -> str:
    period = f"{a.period}, " if a.period else ""
    return f"{period}made {a.created[:10]}"


def _baseline_index(
    ordered: Sequence[Assessment], kind: str, baseline: str | None, set_aside: Sequence[SetAside]
) -> int:
    if baseline is None:
        return 0
    for i, a in enumerate(ordered):
        if a.id == baseline:
            if kind == OVER_TIME and i == len(ordered) - 1:
                raise BadInput(
                    f"assessment {baseline} is the latest of those compared over time; the "
                    "baseline is an earlier one, and changes are measured from it up to the "
                    "latest"
                )
            return i
    if any(item.assessment.id == baseline for item in set_aside):
        raise BadInput(
            f"assessment {baseline} is left out of this comparison: its officer's latest "
            "assessment is their view; name that one as the baseline"
        )
    raise BadInput(f"the baseline {baseline} is not one of the assessments compared")


def describe_kind(comparison: Comparison) -> str:
    """What is compared and how to read it, in plain English."""
    columns = comparison.columns
    first, last = columns[0].assessment, columns[-1].assessment
    base = comparison.baseline
    n = len(columns)
    if comparison.kind == OVER_TIME:
        text = (
            f"Over time: {n} assessments of {first.title}, from {_when_made(first)} to "
            f"{_when_made(last)}, in period order. Each change is measured from "
            f"{base.label}"
            + (" (the baseline you chose)." if comparison.baseline_chosen else ", the earliest.")
        )
    elif comparison.kind == ACROSS_OFFICERS:
        text = (
            f"Across officers: {n} officers' views of {first.title}"
            + (f" for {first.period}" if first.period else "")
            + ". Where every officer agrees, or an odd number of them gives a clear middle "
            "level, the consensus takes it; where the two middle levels of an even number "
            "differ, the officers settle the item between them."
        )
    elif comparison.kind == ACROSS_SERVICES:
        services = len({_norm(a.service) for a in comparison.assessments})
        text = (
            f"Across services: {n} assessments of {services} services of {first.authority}. "
            f"Each difference is measured from {base.label}."
        )
    else:
        authorities = len({_norm(a.authority) for a in comparison.assessments})
        text = (
            f"Across authorities: {n} assessments of {authorities} different authorities. "
            f"Each difference is measured from {base.label}."
        )
    if comparison.kind != comparison.detected_kind:
        text += f" (Chosen by you; they look like a comparison {comparison.detected_kind}.)"
    return text


def _when_made(a: Assessment) -> str:
    return a.period or a.created[:10]


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _when(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _labels(assessments: Sequence[Assessment], kind: str) -> list[str]:
    """Headings that tell the assessments apart, never cut.

    Each kind starts from what differs between its columns (the period over
    time, the officer across officers...) and adds the next detail only to
    headings that would otherwise be the same; the id at the end always
    tells them apart.
    """

    def parts(a: Assessment) -> list[str]:
        assessor = a.assessor or "no assessor named"
        service = a.service or "no service named"
        period = a.period or "no period"
        date = a.created[:10]
        if kind == OVER_TIME:
            return [a.period or date, date, a.created[11:16], assessor, a.id]
        if kind == ACROSS_OFFICERS:
            return [assessor, period, date, a.id]
        if kind == ACROSS_SERVICES:
            return [service, period, assessor, date, a.id]
        return [a.authority, service, period, assessor, date, a.id]

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


def _left_out_texts(left_out: Sequence[str], banks: Sequence[Bank]) -> tuple[tuple[str, str], ...]:
    """Each question left out, with its text from the newest bank that asks it."""
    found = []
    for qid in left_out:
        for bank in sorted(banks, key=lambda b: _version_key(b.version), reverse=True):
            question = bank.question(qid)
            if question is not None:
                found.append((qid, question.text))
                break
    return tuple(found)


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
    if assessment.bank is bank or assessment.bank.content_hash == bank.content_hash:
        # Made with the common bank itself: every answer is to one of its questions
        # (and any other would not be shown below), so there is nothing to filter.
        shared: Mapping[str, Answer] = assessment.answers
    else:
        shared = {qid: a for qid, a in assessment.answers.items() if bank.question(qid) is not None}
    shown = visible_ids(bank, shared)
    return {qid: a for qid, a in shared.items() if qid in shown}


# ----------------------------------------------------------------------------
# Rows


def _deltas(values: Sequence[Fraction | None], baseline: int = 0) -> tuple[Fraction | None, ...]:
    first = values[baseline]
    return tuple(None if first is None or value is None else value - first for value in values)


def _dimension_rows(
    bank: Bank, columns: tuple[ComparedAssessment, ...], baseline: int
) -> tuple[DimensionScores, ...]:
    # Each column's dimension scores by id, found once (not a search per dimension).
    by_id = [{d.id: d.score for d in c.result.dimensions} for c in columns]
    rows = []
    for section in bank.dimensions:
        scores = tuple(found.get(section.id) for found in by_id)
        rows.append(
            DimensionScores(section.id, section.title, scores, _deltas(scores, baseline), baseline)
        )
    return tuple(rows)


def column_answers(comparison: Comparison, index: int) -> Mapping[str, Answer]:
    """The answers a column was scored on (shared and shown questions only)."""
    return comparison.columns[index].answers


def _changes(bank: Bank, columns: tuple[ComparedAssessment, ...]) -> tuple[AnswerChange, ...]:
    shown = [c.answers for c in columns]
    changes = []
    for question in bank.questions:
        answers = tuple(s.get(question.id) for s in shown)
        first = comparable(question, answers[0])
        if any(comparable(question, a) != first for a in answers[1:]):
            changes.append(AnswerChange(question, answers))
    return tuple(changes)


def comparable(question: Question, answer: Answer | None) -> Any:
    """What makes two answers the same: the value or n/a, never the evidence note."""
    if answer is None:
        return None
    if answer.is_na:
        return ("n/a",)
    value = answer.value
    if question.type == "multi" and isinstance(value, tuple):
        return ("value", frozenset(value))  # a choice of several: the order means nothing
    return ("value", value)


def _gap_changes(
    before_column: ComparedAssessment, after_column: ComparedAssessment
) -> tuple[tuple[GapChange, ...], tuple[GapChange, ...], tuple[GapChange, ...]]:
    """The gaps closed, opened and persisting from one column to another."""
    first, last = before_column.result, after_column.result
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
    return tuple(closed), tuple(opened), tuple(persisting)


def _scored_level(criterion: Any) -> int | None:
    return criterion.effective_level if criterion.applicable else None


def _spreads(bank: Bank, columns: tuple[ComparedAssessment, ...]) -> tuple[CriterionSpread, ...]:
    shown = [c.answers for c in columns]
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

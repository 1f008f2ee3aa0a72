"""Properties of the scoring rules (version 2) over random banks, answers and stages.

Each property is one of the rules' promises: scores stay within 0–100; raising
a level never lowers any score or the delivery confidence; moving to a later
stage never stops a criterion from counting; the order answers arrive in never
matters; "not applicable" leaves the other criteria's weight shares alone; each
criterion's share is e ÷ Σe; the band always agrees with the score as shown;
and a critical criterion below level 2 always caps the band at Not ready.
The report built from the Result must carry the same figures.
"""

from __future__ import annotations

import json
from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from assess.domain.answers import Answer
from assess.domain.bank import Bank, bank_from_data
from assess.domain.confidence import CONFIDENCE_RATINGS
from assess.domain.scoring import (
    NEARLY_READY,
    NOT_ASSESSED,
    NOT_READY,
    READY,
    format_score,
    score,
)
from assess.reports import ReportMeta, build_report, render

from .banks import NA, banks_with_answers

BAND_RANK = {NOT_ASSESSED: -1, NOT_READY: 0, NEARLY_READY: 1, READY: 2}
STAGES = st.integers(0, 5)


def _confidence_rank(confidence: str | None) -> int:
    return -1 if confidence is None else CONFIDENCE_RATINGS.index(confidence)


def _all_scores(result):
    yield result.overall
    for d in result.dimensions:
        yield d.score
        for c in d.criteria:
            yield None if c.score is None else c.score * 100


@given(banks_with_answers())
def test_every_score_stays_between_0_and_100(case: tuple[Bank, dict[str, Answer]]) -> None:
    bank, answers = case
    result = score(bank, answers)
    for value in _all_scores(result):
        assert value is None or 0 <= value <= 100
    report = json.loads(render(build_report(ReportMeta("A"), bank, answers, result), "json"))
    numbers = [report["overall"]["score"]] + [d["score"] for d in report["dimensions"]]
    assert all(n is None or 0 <= n <= 100 for n in numbers)


@given(banks_with_answers(), st.data(), STAGES)
def test_raising_one_level_never_lowers_any_score(
    case: tuple[Bank, dict[str, Answer]], data: st.DataObject, stage: int
) -> None:
    bank, answers = case
    raisable = [
        q.id
        for q in bank.criteria
        if not (answers.get(q.id) and answers[q.id].is_na)
        and (answers[q.id].level if q.id in answers else 0) < 4
    ]
    assume(raisable)
    qid = data.draw(st.sampled_from(raisable))
    before_answer = answers.get(qid)
    # Unanswered counts as 0, so "one level up" from unanswered is level 1.
    new_level = (before_answer.level if before_answer else 0) + 1
    raised = {**answers, qid: Answer(new_level)}

    before, after = score(bank, answers, stage), score(bank, raised, stage)
    for b, a in zip(before.criteria, after.criteria, strict=True):
        assert (a.score or 0) >= (b.score or 0)
    for b, a in zip(before.dimensions + before.cases, after.dimensions + after.cases, strict=True):
        assert (b.score is None) == (a.score is None)
        if b.score is not None:
            assert a.score is not None and a.score >= b.score
    assert (before.overall is None) == (after.overall is None)
    if before.overall is not None and after.overall is not None:
        assert after.overall >= before.overall
    assert BAND_RANK[after.band] >= BAND_RANK[before.band]
    assert _confidence_rank(after.confidence) >= _confidence_rank(before.confidence)
    assert sum(g.points for g in after.gaps) <= sum(g.points for g in before.gaps)


@given(banks_with_answers(), st.integers(0, 4), st.integers(1, 5))
def test_a_later_stage_never_stops_a_criterion_counting(
    case: tuple[Bank, dict[str, Answer]], stage: int, later: int
) -> None:
    bank, answers = case
    later = min(5, stage + later)
    before, after = score(bank, answers, stage), score(bank, answers, later)
    counted_before = {c.id for c in before.criteria if c.applicable}
    counted_after = {c.id for c in after.criteria if c.applicable}
    assert counted_before <= counted_after
    # What counts from a later stage is exactly what was listed as coming later.
    newly = counted_after - counted_before
    assert newly == {c.id for c in before.later_stage if c.from_stage <= later}


@given(banks_with_answers(), STAGES)
def test_each_share_is_the_effective_weight_over_the_total(
    case: tuple[Bank, dict[str, Answer]], stage: int
) -> None:
    bank, answers = case
    result = score(bank, answers, stage)
    counting = [c for c in result.criteria if c.applicable]
    total = sum(c.dimension.weight * c.question.weight for c in counting)
    for c in result.criteria:
        if c in counting:
            assert result.share(c) == Fraction(c.dimension.weight * c.question.weight, total)
        else:
            assert result.share(c) is None
    if counting:
        assert sum(result.share(c) or 0 for c in counting) == 1
        # The overall score is the share-weighted mean of the criterion scores.
        assert result.overall == 100 * sum(
            (result.share(c) or 0) * (c.score or 0) for c in counting
        )


@given(banks_with_answers(), STAGES)
def test_the_band_always_agrees_with_the_score_as_shown(
    case: tuple[Bank, dict[str, Answer]], stage: int
) -> None:
    bank, answers = case
    result = score(bank, answers, stage)
    if result.overall is None:
        assert result.band == NOT_ASSESSED and result.confidence is None
        return
    shown = float(format_score(result.overall))
    on_the_number = READY if shown >= 75 else NEARLY_READY if shown >= 50 else NOT_READY
    assert result.uncapped_band == on_the_number
    # A cap may only lower the band, never raise it.
    assert BAND_RANK[result.band] <= BAND_RANK[on_the_number]
    if not result.caps:
        assert result.band == on_the_number


@given(banks_with_answers(), st.randoms(use_true_random=False))
def test_answer_order_never_matters(case: tuple[Bank, dict[str, Answer]], rnd) -> None:
    bank, answers = case
    items = list(answers.items())
    rnd.shuffle(items)
    shuffled = dict(items)
    assert score(bank, shuffled) == score(bank, answers)
    meta = ReportMeta("Anytown", date="2025-01-01")
    for fmt in ("json", "csv", "markdown"):
        assert render(build_report(meta, bank, shuffled), fmt) == render(
            build_report(meta, bank, answers), fmt
        )


def _without(bank: Bank, qid: str) -> Bank:
    """The same bank with criterion `qid` taken out (and its dimension, if it empties)."""
    data = bank.to_data()
    readiness = next(i for i in data["instruments"] if i["id"] == "readiness")
    for section in readiness["sections"]:
        section["questions"] = [q for q in section["questions"] if q["id"] != qid]
    readiness["sections"] = [s for s in readiness["sections"] if s["questions"]]
    return bank_from_data(data, "<bank without one criterion>")


@given(banks_with_answers(), st.data())
def test_not_applicable_leaves_the_other_criteria_weight_shares_alone(
    case: tuple[Bank, dict[str, Answer]], data: st.DataObject
) -> None:
    bank, answers = case
    candidates = [
        q.id for q in bank.criteria if q.allow_na and not (q.id in answers and answers[q.id].is_na)
    ]
    assume(candidates)
    qid = data.draw(st.sampled_from(candidates))
    marked = {**answers, qid: Answer(None, NA)}
    result = score(bank, marked)
    dim_id = bank.section_of(qid).id

    # The dimension score is the weighted mean over the criteria that still apply,
    # each keeping its own weight relative to the others.
    dim = result.dimension(dim_id)
    rest = [c for c in dim.criteria if c.applicable]
    if rest:
        total = sum(c.question.weight for c in rest)
        expected = 100 * sum(Fraction(c.question.weight, total) * c.score for c in rest)
        assert dim.score == expected
    else:
        assert dim.score is None

    # Exactly as if the criterion were not in the bank at all.
    if len(bank.criteria) > 1:
        reduced = score(_without(bank, qid), answers)
        assert result.overall == reduced.overall
        by_id = {d.id: d.score for d in reduced.dimensions}
        for d in result.dimensions:
            assert d.score == by_id.get(d.id)
    # The other dimensions do not move.
    before = {d.id: d.score for d in score(bank, answers).dimensions}
    for d in result.dimensions:
        if d.id != dim_id:
            assert d.score == before[d.id]


@given(banks_with_answers(), st.data())
def test_a_critical_criterion_below_level_2_always_caps_the_band(
    case: tuple[Bank, dict[str, Answer]], data: st.DataObject
) -> None:
    bank, answers = case
    critical = [q.id for q in bank.criteria if q.critical and q.from_stage == 0]
    assume(critical)
    qid = data.draw(st.sampled_from(critical))
    low = data.draw(st.sampled_from(["unanswered", 0, 1]))
    answers = dict(answers)
    if low == "unanswered":
        answers.pop(qid, None)
    else:
        answers[qid] = Answer(low)
    result = score(bank, answers)
    assert result.band == NOT_READY
    assert qid in [c.id for c in result.capped_by]
    report = json.loads(render(build_report(ReportMeta("A"), bank, answers, result), "json"))
    assert report["overall"]["band"] == NOT_READY
    assert qid in report["overall"]["capped_by"]


@given(banks_with_answers(), STAGES)
def test_the_caps_are_exactly_the_critical_criteria_short_of_level_2_or_target(
    case: tuple[Bank, dict[str, Answer]], stage: int
) -> None:
    bank, answers = case
    result = score(bank, answers, stage)
    expected = {
        c.id: NOT_READY if c.effective_level < 2 else NEARLY_READY
        for c in result.criteria
        if c.applicable and c.question.critical and c.effective_level < max(2, c.target)
    }
    assert {cap.criterion.id: cap.band for cap in result.caps} == expected


@given(banks_with_answers())
def test_the_json_report_carries_the_exact_figures(
    case: tuple[Bank, dict[str, Answer]],
) -> None:
    bank, answers = case
    result = score(bank, answers)
    report = json.loads(render(build_report(ReportMeta("A"), bank, answers), "json"))
    overall = report["overall"]
    if result.overall is None:
        assert overall["exact"] is None and overall["score"] is None
    else:
        assert Fraction(overall["exact"]) == result.overall
        assert abs(overall["score"] - float(result.overall)) <= 0.05 + 1e-9
    assert [g["id"] for g in report["gaps"]] == [g.id for g in result.gaps]
    assert [g["points"] for g in report["gaps"]] == [g.points for g in result.gaps]
    for d, dim in zip(report["dimensions"], result.dimensions, strict=True):
        assert (d["exact"] is None) == (dim.score is None)
        if dim.score is not None:
            assert Fraction(d["exact"]) == dim.score

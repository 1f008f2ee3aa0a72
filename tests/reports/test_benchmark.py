"""The survey benchmark and the consistency checks (assess.domain.survey)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from assess.domain.answers import Answer, parse_answers
from assess.domain.bank import Bank, Condition, ConsistencyCheck
from assess.domain.survey import (
    benchmark,
    check_consistency,
    compare_survey,
    consistency_findings,
    format_agreement,
    ordinal,
    spearman,
    survey_benchmark,
)

from .banks import criterion, dimension, make_bank


def _answers(bank: Bank, raw: dict[str, Any]) -> dict[str, Answer]:
    return {k: v for k, v in parse_answers(bank, raw).items() if v is not None}


def _compare(bank: Bank, qid: str, raw: Any):
    question = bank.question(qid)
    answer = _answers(bank, {qid: raw})[qid] if raw is not None else None
    return compare_survey(bank, question, answer)


# ----------------------------------------------------------------------------
# Wording and agreement


def test_ordinals() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
        "111th",
    ]


def test_spearman_on_the_options_both_ranked() -> None:
    assert spearman(["a", "b", "c"], ["a", "b", "c"]) == (Fraction(1), 3)
    assert spearman(["c", "b", "a"], ["a", "b", "c"]) == (Fraction(-1), 3)
    # Only the shared options count, re-ranked among themselves: x is not in theirs.
    assert spearman(["b", "x", "a"], ["a", "b", "c", "d"]) == (Fraction(-1), 2)
    # a b c d vs a c b d: one swap; Σd² = 2; ρ = 1 − 6×2 / (4×15) = 1 − 12/60 = 4/5
    assert spearman(["a", "b", "c", "d"], ["a", "c", "b", "d"]) == (Fraction(4, 5), 4)
    assert spearman(["a"], ["a", "b"]) == (None, 1)
    assert spearman([], ["a", "b"]) == (None, 0)
    assert format_agreement(Fraction(4, 5)) == "0.80"
    assert format_agreement(Fraction(-1, 2)) == "−0.50"
    assert format_agreement(Fraction(1, 3)) == "0.33"
    assert format_agreement(Fraction(0)) == "0.00"


# ----------------------------------------------------------------------------
# The survey benchmark on the shipped bank's figures (from the 2019 survey)


def test_a_yes_no_answer_beside_the_percentages(bank: Bank) -> None:
    item = _compare(bank, "S-PRIME-COLLABORATOR", "yes")
    assert item.answered and item.has_figures
    assert [(s.option_id, s.percent, s.chosen) for s in item.shares] == [
        ("yes", 46, True),
        ("no", 54, False),
    ]
    assert [s.option_id for s in item.most_common] == ["no"]
    assert any("46% of the chief executives surveyed" in f for f in item.findings)
    assert any("most common answer was “No” (54%)" in f for f in item.findings)


def test_the_most_common_answer_when_the_officer_agrees(bank: Bank) -> None:
    item = _compare(bank, "S-CONTRACT-LENGTH", "3-5-years")
    assert [s.option_id for s in item.most_common] == ["3-5-years"]
    assert "That was their most common answer." in item.findings
    likert = _compare(bank, "S-INNOVATION", "low")
    assert any("11% of the chief executives" in f for f in likert.findings)
    assert any("“Medium importance” (48%)" in f for f in likert.findings)


def test_an_answer_no_respondent_gave(bank: Bank) -> None:
    # 100% said yes, so the shares account for everyone: none said no.
    item = _compare(bank, "S-EXPLORE", "no")
    assert any("none of the chief executives surveyed did" in f for f in item.findings)


def test_an_option_without_a_figure_is_not_given_one(bank: Bank) -> None:
    # Only "yes" (53%) is given; the source does not give a figure for "no".
    item = _compare(bank, "S-STRATEGIC-PLANNING", "no")
    assert any("gives no figure" in f for f in item.findings)
    # 53% is more than the 47% not accounted for, so it is the most common answer.
    assert [s.option_id for s in item.most_common] == ["yes"]


def test_a_ranking_against_the_respondents_rank_order(bank: Bank) -> None:
    # Theirs: delivery-capability, skills, user-expectations, legacy-contracts, technology, ...
    item = _compare(bank, "S-CHALLENGES", ["skills", "technology", "delivery-capability"])
    assert [(p.option_id, p.your_rank, p.their_rank) for p in item.placements] == [
        ("skills", 1, 2),
        ("technology", 2, 5),
        ("delivery-capability", 3, 1),
    ]
    # Their top 3: delivery-capability, skills, user-expectations → 2 of yours are in it.
    assert (item.top_overlap, item.top_size) == (2, 3)
    # Re-ranked on the shared three: yours s=1 t=2 d=3, theirs d=1 s=2 t=3.
    # d² = (1−2)² + (2−3)² + (3−1)² = 1 + 1 + 4 = 6; ρ = 1 − 36/24 = −1/2.
    assert item.spearman == Fraction(-1, 2)
    assert item.shared == 3
    assert "You ranked “Access to skills” first; they ranked it 2nd of 7." in item.findings
    assert "2 of your top 3 are in their top 3." in item.findings


def test_a_single_choice_against_a_rank_order(bank: Bank) -> None:
    item = _compare(bank, "S-MECHANISM", "fixed-term")
    assert item.placements[0].their_rank == 2
    assert any("they ranked it 2nd of 4" in f for f in item.findings)
    assert any("Their first choice was “A joint venture”" in f for f in item.findings)
    first = _compare(bank, "S-MECHANISM", "joint-venture")
    assert not any("Their first choice" in f for f in first.findings)


def test_questions_without_figures_say_so(bank: Bank) -> None:
    item = _compare(bank, "S-SERVICES", ["ict"])
    assert not item.has_figures
    assert item.findings == ("The survey source gives no figures for this question.",)


def test_unanswered_survey_questions_still_show_the_respondents(bank: Bank) -> None:
    item = _compare(bank, "S-DRIVERS", None)
    assert not item.answered and item.has_figures and item.summary
    assert item.findings == ("Not answered yet.",)


def test_survey_benchmark_lists_shown_survey_questions_in_bank_order(bank: Bank) -> None:
    answers = _answers(bank, {"S-EXPLORE": "no"})
    ids = [s.question_id for s in survey_benchmark(bank, answers)]
    survey_ids = [q.id for s in bank.instrument("survey").sections for q in s.questions]
    assert ids == [i for i in survey_ids if i in ids]
    # S-SERVICES is only asked when S-EXPLORE is yes.
    assert "S-SERVICES" not in ids
    assert "S-SERVICES" in [
        s.question_id for s in survey_benchmark(bank, _answers(bank, {"S-EXPLORE": "yes"}))
    ]


# ----------------------------------------------------------------------------
# Consistency checks, generically over every check in the shipped bank


def _meeting(bank: Bank, condition: Condition) -> Any:
    """A raw answer that makes `condition` hold."""
    question = bank.question(condition.question)
    if condition.first is not None:
        return [condition.first]
    if condition.equals is not None:
        return condition.equals
    if condition.any_of is not None:
        return (
            [condition.any_of[0]] if question.type in ("multi", "ranking") else condition.any_of[0]
        )
    if condition.at_least is not None:
        return condition.at_least
    raise AssertionError(f"no way to meet {condition}")


def _not_meeting(bank: Bank, condition: Condition) -> Any:
    question = bank.question(condition.question)
    if condition.first is not None:
        other = next(o for o in question.option_ids if o != condition.first)
        return [other, condition.first]
    if condition.equals is not None:
        return next(o for o in question.option_ids if o != condition.equals)
    raise AssertionError(f"no way to miss {condition}")


def _check_ids(bank: Bank) -> list[str]:
    return [c.id for c in bank.consistency]


def _check(bank: Bank, check_id: str) -> ConsistencyCheck:
    return next(c for c in bank.consistency if c.id == check_id)


def test_every_consistency_check_in_the_bank_is_evaluated(bank: Bank) -> None:
    findings = consistency_findings(bank, {})
    assert [f.id for f in findings] == _check_ids(bank)
    assert len(findings) == 9
    # With no survey answers no condition holds, so nothing fires.
    assert not any(f.fires for f in findings)


@pytest.fixture(params=range(9), ids=lambda i: f"check{i}")
def check(request: pytest.FixtureRequest, bank: Bank) -> ConsistencyCheck:
    return bank.consistency[request.param]


def _when(bank: Bank, check: ConsistencyCheck) -> dict[str, Any]:
    return {c.question: _meeting(bank, c) for c in check.when}


def _threshold(bank: Bank, check: ConsistencyCheck) -> int:
    return check.below_level or bank.question(check.criterion).target


def test_a_check_fires_when_its_conditions_hold_and_the_criterion_is_below(
    bank: Bank, check: ConsistencyCheck
) -> None:
    threshold = _threshold(bank, check)
    answers = _answers(bank, {**_when(bank, check), check.criterion: threshold - 1})
    finding = check_consistency(bank, answers, check)
    assert finding.conditions_met and finding.applicable and finding.fires
    assert finding.level == threshold - 1
    assert finding.explanation == check.explanation
    assert f"at level {threshold - 1}" in finding.context and "below" in finding.context
    assert finding.because and all(c.question in " ".join(finding.because) for c in check.when)


def test_a_check_does_not_fire_at_the_threshold(bank: Bank, check: ConsistencyCheck) -> None:
    threshold = _threshold(bank, check)
    answers = _answers(bank, {**_when(bank, check), check.criterion: threshold})
    finding = check_consistency(bank, answers, check)
    assert finding.conditions_met and not finding.fires
    assert "not below" in finding.context


def test_an_unrated_criterion_counts_as_0_and_says_not_yet_rated(
    bank: Bank, check: ConsistencyCheck
) -> None:
    finding = check_consistency(bank, _answers(bank, _when(bank, check)), check)
    assert finding.fires
    assert finding.level is None
    assert "not yet rated" in finding.context


def test_a_check_does_not_fire_when_its_survey_condition_fails(
    bank: Bank, check: ConsistencyCheck
) -> None:
    raw = {c.question: _not_meeting(bank, c) for c in check.when}
    answers = _answers(bank, {**raw, check.criterion: 0})
    finding = check_consistency(bank, answers, check)
    assert not finding.conditions_met and not finding.fires
    assert finding.because == ()


def test_a_not_applicable_criterion_never_fires() -> None:
    bank = make_bank(
        [dimension("d", 1, [criterion("C1", allow_na=True), criterion("C2")])],
        survey=[
            {
                "id": "s",
                "title": "Survey",
                "questions": [
                    {
                        "id": "S1",
                        "type": "yesno",
                        "text": "Yes or no?",
                        "help": "Say.",
                        "source": {"file": "test-source.txt", "quote": "Q."},
                    }
                ],
            }
        ],
        consistency=[
            {
                "id": "k",
                "title": "Check",
                "when": [{"question": "S1", "equals": "yes"}],
                "criterion": "C1",
                "explanation": "Because.",
            },
            {
                "id": "k2",
                "title": "Check at a level",
                "when": [{"question": "S1", "equals": "yes"}],
                "criterion": "C2",
                "below_level": 2,
                "explanation": "Because.",
            },
        ],
    )
    na = {"S1": Answer("yes"), "C1": Answer(None, "Out of scope"), "C2": Answer(2)}
    first, second = consistency_findings(bank, na)
    assert first.conditions_met and not first.applicable and not first.fires
    assert "not applicable" in first.context
    # below_level 2 overrides the target of 3: level 2 is not below it.
    assert second.threshold == 2 and second.threshold_kind == "level" and not second.fires
    low = {"S1": Answer("yes"), "C2": Answer(1)}
    assert consistency_findings(bank, low)[1].fires
    # The survey question has no figures; the benchmark says so.
    (item,) = benchmark(bank, low).survey
    assert not item.has_figures


def test_the_benchmark_collects_fired_checks(bank: Bank) -> None:
    answers = _answers(
        bank,
        {
            "S-REASONS-AGAINST": ["loss-of-control"],
            "S-PRIME-COLLABORATOR": "yes",
            "R-CLIENT-INTELLIGENT": 1,
        },
    )
    fired = {f.id for f in benchmark(bank, answers).fired}
    # Both checks on the intelligent client function fire; nothing else has its condition.
    assert fired == {"control-vs-client", "prime-collaborator-vs-client"}

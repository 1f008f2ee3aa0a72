"""The survey benchmark and the consistency checks (assess.domain.survey), on the version 2 bank."""

from __future__ import annotations

import itertools
import math
import random
import re
from typing import Any

import pytest

from assess.domain.answers import Answer, parse_answers
from assess.domain.bank import Bank, Condition, ConsistencyCheck
from assess.domain.survey import (
    NOT_ANSWERED,
    SurveyComparison,
    benchmark,
    check_consistency,
    compare_survey,
    consistency_findings,
    kendall_tau_b,
    ordinal,
    survey_benchmark,
)
from assess.domain.survey import _rounded_hundredths as rounded_hundredths
from tests.bank.banks import v1_bank, v2_bank

from .banks import criterion, dimension, make_bank


@pytest.fixture(scope="module")
def bank() -> Bank:
    return v2_bank()


def _answers(bank: Bank, raw: dict[str, Any]) -> dict[str, Answer]:
    return {k: v for k, v in parse_answers(bank, raw).items() if v is not None}


def _compare(bank: Bank, qid: str, raw: Any) -> SurveyComparison:
    question = bank.question(qid)
    assert question is not None
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


def _tau_b_by_hand(yours: dict[str, int], theirs: dict[str, int]) -> float:
    """Kendall's tau-b written out from its definition, to check the counting against."""
    items = [i for i in yours if i in theirs]
    pairs = list(itertools.combinations(items, 2))
    sign = [
        (
            (yours[a] > yours[b]) - (yours[a] < yours[b]),
            (theirs[a] > theirs[b]) - (theirs[a] < theirs[b]),
        )
        for a, b in pairs
    ]
    nc = sum(1 for x, y in sign if x * y > 0)
    nd = sum(1 for x, y in sign if x * y < 0)
    n1 = sum(1 for x, _ in sign if x == 0)
    n2 = sum(1 for _, y in sign if y == 0)
    return (nc - nd) / math.sqrt((len(pairs) - n1) * (len(pairs) - n2))


def test_kendall_tau_b_without_ties() -> None:
    same = kendall_tau_b({"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 2, "c": 3})
    assert (same.concordant, same.discordant, same.tau_b) == (3, 0, 1.0)
    reversed_ = kendall_tau_b({"c": 1, "b": 2, "a": 3}, {"a": 1, "b": 2, "c": 3})
    assert reversed_.tau_b == -1.0 and reversed_.formatted() == "−1.00"


def test_kendall_tau_b_counts_items_in_one_tier_as_tied() -> None:
    # Theirs: a in tier 1, b and c together in tier 2. Yours: a, b, c in order.
    agreement = kendall_tau_b({"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 2, "c": 2})
    assert (agreement.concordant, agreement.discordant, agreement.tied_theirs) == (2, 0, 1)
    # tau-b = 2 / √(3 × 2) = 0.8165
    assert agreement.tau_b == pytest.approx(2 / math.sqrt(6))
    assert agreement.formatted() == "0.82"
    # Only shared items count: x is not in theirs and d is not in yours.
    partial = kendall_tau_b({"b": 1, "x": 2, "a": 3}, {"a": 1, "b": 2, "d": 3})
    assert partial.shared == 2 and partial.tau_b == -1.0


def test_kendall_tau_b_is_undefined_when_they_tie_everything() -> None:
    agreement = kendall_tau_b({"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 1, "c": 1})
    assert not agreement.defined and agreement.tau_b is None and agreement.formatted() == ""


@pytest.mark.parametrize("seed", range(30))
def test_kendall_tau_b_matches_the_definition(seed: int) -> None:
    rng = random.Random(seed)
    items = list("abcdefg")
    rng.shuffle(items)
    yours = {item: n for n, item in enumerate(items[: rng.randint(2, 7)], 1)}
    theirs = {item: rng.randint(1, 3) for item in "abcdefg"}
    agreement = kendall_tau_b(yours, theirs)
    if agreement.defined:
        assert agreement.tau_b == pytest.approx(_tau_b_by_hand(yours, theirs))


def test_agreement_is_rounded_exactly_half_away_from_zero() -> None:
    assert rounded_hundredths(1, 64) == 13  # 1/8 = 0.125 exactly: rounds up to 0.13
    assert rounded_hundredths(1, 16) == 25
    assert rounded_hundredths(3, 4) == 150
    assert rounded_hundredths(2, 6) == 82  # 0.8165
    assert rounded_hundredths(0, 6) == 0


# ----------------------------------------------------------------------------
# Yes/no, single choice and scale: the figure the source gives, and nothing more


def test_a_yes_no_answer_beside_the_percentages(bank: Bank) -> None:
    item = _compare(bank, "S-PRIME-COLLABORATOR", "yes")
    assert item.answered and item.has_figures
    assert [(s.option_id, s.percent, s.chosen) for s in item.shares] == [
        ("yes", 46, True),
        ("no", 54, False),
    ]
    assert [s.option_id for s in item.most_common] == ["no"]
    assert "You answered “Yes”; 46% of the chief executives surveyed did the same." in (
        item.findings
    )
    assert "Their most common answer was “No” (54%)." in item.findings


def test_the_most_common_answer_when_the_officer_agrees(bank: Bank) -> None:
    item = _compare(bank, "S-CONTRACT-LENGTH", "3-5-years")
    assert [s.option_id for s in item.most_common] == ["3-5-years"]
    assert "That was their most common answer." in item.findings
    likert = _compare(bank, "S-INNOVATION", "low")
    assert any("11% of the chief executives" in f for f in likert.findings)
    assert any("“Medium importance” (48%)" in f for f in likert.findings)


def test_an_answer_without_a_figure_gets_the_figures_the_source_gives(bank: Bank) -> None:
    # 100% said yes: the officer's "no" is told that, not given a figure of its own.
    item = _compare(bank, "S-EXPLORE", "no")
    assert item.findings[0] == (
        "You answered “No”. Of the chief executives surveyed, 100% said “Yes”."
    )
    assert not any("none" in f.lower() or re.search(r"(?<![\d.])0%", f) for f in item.findings)


def test_a_figure_for_another_answer_only_says_the_rest_is_unknown(bank: Bank) -> None:
    # 93% said user-centred design was important; the source says nothing of the rest.
    item = _compare(bank, "S-USER-DESIGN", "no")
    assert item.findings[0] == (
        "You answered “No”. The source gives a figure only for other answers: 93% said "
        "“Yes”; it does not say how the rest answered."
    )
    assert not any("7%" in f or "no figure" in f for f in item.findings)
    # 93% is more than the 7% unaccounted for, so "Yes" is their most common answer.
    assert "Their most common answer was “Yes” (93%)." in item.findings


def test_a_narrower_question_is_set_beside_the_survey_s_broader_one(bank: Bank) -> None:
    # The survey asked about the budget and strategic planning together (53% yes).
    for qid in ("S-PARTNER-STRATEGY", "S-PARTNER-BUDGET"):
        item = _compare(bank, qid, "no")
        assert item.asked
        text = " ".join(item.findings)
        assert "You answered “No”." in item.findings
        assert "budget and/or strategic planning" in text and "53% said “Yes”" in text
        assert "does not say how the rest answered" in text
        assert "not compared with theirs directly" in text
        assert "did the same" not in text and "most common" not in text


# ----------------------------------------------------------------------------
# Rankings: tiers, never invented places


def test_a_ranking_is_placed_in_the_respondents_tiers(bank: Bank) -> None:
    # Theirs: [delivery-capability] [skills, user-expectations] [legacy, technology] [...]
    item = _compare(bank, "S-CHALLENGES", ["skills", "technology", "delivery-capability"])
    assert [(p.option_id, p.your_rank, p.tier) for p in item.placements] == [
        ("skills", 1, 2),
        ("technology", 2, 3),
        ("delivery-capability", 3, 1),
    ]
    assert item.findings[:4] == (
        "Your 1st choice, “Access to skills”, is in their 2nd group of 4, with “Meeting the "
        "high expectations of service users”.",
        "Your 2nd choice, “Access to technology”, is in their 3rd group of 4, with “Legacy "
        "issues of service and technology contracts”.",
        "Your 3rd choice, “Ensuring service delivery capability”, is alone in their top "
        "group (of 4).",
        "Their first choice was “Ensuring service delivery capability”.",
    )
    # Yours s=1 t=2 d=3; theirs s=2 t=3 d=1: (s,t) concordant, (s,d) and (t,d) discordant.
    assert item.agreement is not None
    assert (item.agreement.concordant, item.agreement.discordant) == (1, 2)
    assert item.agreement.formatted() == "−0.33"
    assert any("agree at −0.33 on Kendall's tau-b" in f for f in item.findings)


def test_no_item_the_source_groups_is_given_a_place_of_its_own(bank: Bank) -> None:
    for question in bank.questions:
        respondents = question.respondents
        if question.type != "ranking" or respondents is None:
            continue
        grouped = any(len(tier) > 1 for tier in respondents.tiers)
        for order in itertools.islice(itertools.permutations(question.option_ids, 3), 40):
            item = _compare(bank, question.id, list(order))
            for sentence in item.findings:
                if grouped:
                    assert not re.search(r"ranked \d+(st|nd|rd|th) of", sentence), sentence


def test_a_full_order_is_described_by_place(bank: Bank) -> None:
    # The source orders the reasons against one by one, so places are the source's own.
    item = _compare(bank, "S-REASONS-AGAINST", ["inflexibility", "loss-of-control"])
    assert item.findings[0] == "Your 1st choice, “Inflexibility”, was ranked 3rd of 4 by them."
    assert "Their first choice was “Fear of losing control”." in item.findings
    # Two options shared: too few for an agreement figure.
    assert item.agreement is None
    assert not any("Kendall" in f for f in item.findings)


def test_a_top_group_of_several_is_named_as_a_group(bank: Bank) -> None:
    item = _compare(bank, "S-PERFORMANCE", ["kpis", "outcome-based"])
    assert item.findings[0] == (
        "Your 1st choice, “Key performance indicators (KPIs)”, is in their 2nd group of 2, "
        "with “Risk and reward sharing”."
    )
    assert "Their first choice was “Outcome-based”." in item.findings


def test_agreement_cannot_be_measured_when_they_grouped_every_shared_option(bank: Bank) -> None:
    # Delivery capability, innovation and technology, funding: all in their third tier.
    item = _compare(bank, "S-DRIVERS", ["funding", "delivery-capability", "innovation-technology"])
    assert item.agreement is not None and not item.agreement.defined
    assert any("cannot be measured" in f for f in item.findings)
    assert "Their top group was" not in " ".join(item.findings)
    assert "Their first choice was “Access to skills”." in item.findings


def test_a_single_choice_against_the_respondents_order(bank: Bank) -> None:
    item = _compare(bank, "S-MECHANISM", "fixed-term")
    assert item.placements[0].tier == 2
    assert item.findings[0] == "You chose “A fixed-term contract”; it was ranked 2nd of 4 by them."
    assert "Their first choice was “A joint venture”." in item.findings
    first = _compare(bank, "S-MECHANISM", "joint-venture")
    assert not any("Their first choice" in f for f in first.findings)


def test_the_authority_s_own_question_is_not_compared(bank: Bank) -> None:
    item = _compare(bank, "S-SERVICES", ["ict"])
    assert not item.has_figures and item.origin == "authority"
    assert item.findings == (
        "This is your authority's own context question, not one the survey asked, so there "
        "is nothing to compare it with.",
    )


def test_unanswered_survey_questions_still_show_the_respondents(bank: Bank) -> None:
    item = _compare(bank, "S-DRIVERS", None)
    assert not item.answered and item.has_figures and item.summary
    assert item.findings == (NOT_ANSWERED,)


def _sample(bank: Bank) -> dict[str, Any]:
    """An answer to every survey question, first options first."""
    raw: dict[str, Any] = {}
    for section in bank.instrument("survey").sections:  # type: ignore[union-attr]
        for q in section.questions:
            if q.type in ("ranking", "multi"):
                raw[q.id] = list(reversed(q.option_ids))
            elif q.type == "text":
                raw[q.id] = "Housing repairs"
            else:
                raw[q.id] = q.option_ids[-1]
    return raw


def test_officer_facing_sentences_never_show_bare_ids(bank: Bank) -> None:
    answers = _answers(bank, _sample(bank))
    result = benchmark(bank, answers)
    sentences = [f for s in result.survey for f in s.findings]
    for finding in result.consistency:
        sentences += [finding.title, finding.context, finding.explanation, *finding.because]
    ids = {q.id for q in bank.questions}
    assert sentences
    for sentence in sentences:
        assert not re.search(r"\b[SR]-[A-Z][A-Z-]+\b", sentence), sentence
        assert not any(qid in sentence for qid in ids), sentence


def test_survey_benchmark_lists_shown_survey_questions_in_bank_order(bank: Bank) -> None:
    answers = _answers(bank, {"S-EXPLORE": "no"})
    ids = [s.question_id for s in survey_benchmark(bank, answers)]
    survey_ids = [q.id for s in bank.instrument("survey").sections for q in s.questions]  # type: ignore[union-attr]
    assert ids == [i for i in survey_ids if i in ids]
    # S-SERVICES is only asked when S-EXPLORE is yes.
    assert "S-SERVICES" not in ids
    assert "S-SERVICES" in [
        s.question_id for s in survey_benchmark(bank, _answers(bank, {"S-EXPLORE": "yes"}))
    ]


def test_a_version_1_bank_is_compared_by_its_ranks_as_tiers() -> None:
    # Old assessments keep the version 1 bank: each of its ranks is a tier of its own.
    old = v1_bank()
    item = _compare(old, "S-CHALLENGES", ["technology", "skills", "delivery-capability"])
    assert (
        item.findings[0] == "Your 1st choice, “Access to technology”, was ranked 5th of 7 by them."
    )
    assert item.agreement is not None and item.agreement.defined


# ----------------------------------------------------------------------------
# Consistency checks, generically over every check in the bank


def _meeting(bank: Bank, condition: Condition) -> Any:
    """A raw answer that makes `condition` hold."""
    question = bank.question(condition.question)
    assert question is not None
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
    assert question is not None
    if condition.first is not None:
        other = next(o for o in question.option_ids if o != condition.first)
        return [other, condition.first]
    if condition.equals is not None:
        return next(o for o in question.option_ids if o != condition.equals)
    raise AssertionError(f"no way to miss {condition}")


def _when(bank: Bank, check: ConsistencyCheck) -> dict[str, Any]:
    return {c.question: _meeting(bank, c) for c in check.when}


def _threshold(bank: Bank, check: ConsistencyCheck) -> int:
    target = bank.question(check.criterion).target  # type: ignore[union-attr]
    return check.below_level or target


CHECK_IDS = [c.id for c in v2_bank().consistency]


@pytest.fixture(params=CHECK_IDS)
def check(request: pytest.FixtureRequest, bank: Bank) -> ConsistencyCheck:
    return next(c for c in bank.consistency if c.id == request.param)


def test_every_consistency_check_in_the_bank_is_evaluated(bank: Bank) -> None:
    findings = consistency_findings(bank, {})
    assert [f.id for f in findings] == CHECK_IDS
    assert len(findings) >= 11
    # With no survey answers no condition holds, so nothing fires.
    assert not any(f.fires for f in findings)


def test_the_added_pairings_are_in_the_bank(bank: Bank) -> None:
    pairs = {
        (c.when[0].question, c.when[0].first or c.when[0].equals, c.criterion)
        for c in bank.consistency
    }
    assert ("S-REASONS-AGAINST", "partner-experience", "R-SEL-TRACK-RECORD") in pairs
    assert ("S-DRIVERS", "cost-efficiency", "R-CASE-RIGOUR") in pairs
    # The top reasons against partnering each meet a criterion that answers them.
    assert ("S-REASONS-AGAINST", "loss-of-control", "R-CLIENT-INTELLIGENT") in pairs
    assert ("S-REASONS-AGAINST", "inflexibility", "R-CONTRACT-CHANGE-CONTROL") in pairs


@pytest.mark.parametrize("below", [0, 1, 2])
def test_a_check_fires_at_every_rated_level_below_and_says_which(
    bank: Bank, check: ConsistencyCheck, below: int
) -> None:
    threshold = _threshold(bank, check)
    level = threshold - 1 - below
    if level < 0:
        pytest.skip("no such level below this threshold")
    answers = _answers(bank, {**_when(bank, check), check.criterion: level})
    finding = check_consistency(bank, answers, check)
    assert finding is not None
    assert finding.conditions_met and finding.applicable and finding.fires
    assert finding.level == level and finding.level_label == bank.level_label(level)
    words = f"level {level}, {bank.level_label(level).lower()}"
    assert words in finding.context and "below" in finding.context
    assert finding.explanation == check.explanation
    # "not in place" would be untrue at "in progress" or "planned".
    for text in (finding.title, finding.context, finding.explanation):
        assert "not in place" not in text.lower()
    assert finding.because


def test_a_check_explanation_reads_true_at_any_level_below(check: ConsistencyCheck) -> None:
    # Written once for every level below the threshold: it may not claim nothing exists.
    for text in (check.title, check.explanation):
        lowered = text.lower()
        for claim in ("not in place", "has not been", "have not been", "there is no", " no plan"):
            assert claim not in lowered, (check.id, claim)


def test_a_check_does_not_fire_at_the_threshold(bank: Bank, check: ConsistencyCheck) -> None:
    threshold = _threshold(bank, check)
    answers = _answers(bank, {**_when(bank, check), check.criterion: threshold})
    finding = check_consistency(bank, answers, check)
    assert finding is not None and finding.conditions_met and not finding.fires
    assert "at or above" in finding.context


def test_an_unrated_criterion_never_fires(bank: Bank, check: ConsistencyCheck) -> None:
    finding = check_consistency(bank, _answers(bank, _when(bank, check)), check)
    assert finding is not None and finding.conditions_met
    assert not finding.fires
    assert finding.level is None and finding.level_label == ""
    assert "not yet rated" in finding.context


def test_a_check_does_not_fire_when_its_survey_condition_fails(
    bank: Bank, check: ConsistencyCheck
) -> None:
    raw = {c.question: _not_meeting(bank, c) for c in check.when}
    answers = _answers(bank, {**raw, check.criterion: 0})
    finding = check_consistency(bank, answers, check)
    assert finding is not None and not finding.conditions_met and not finding.fires
    assert finding.because == ()


def test_a_criterion_of_a_later_stage_is_left_out(bank: Bank) -> None:
    check = next(c for c in bank.consistency if c.id == "experience-vs-track-record")
    answers = _answers(bank, {**_when(bank, check), check.criterion: 0})
    earlier = check_consistency(bank, answers, check, stage=1)
    assert earlier is not None and not earlier.applicable and not earlier.fires
    assert "applies from stage 3 (Selection and award)" in earlier.context
    at_stage = check_consistency(bank, answers, check, stage=3)
    assert at_stage is not None and at_stage.fires
    # Without a stage (a version 1 assessment) every criterion counts.
    assert check_consistency(bank, answers, check) == at_stage


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
            "R-CONTRACT-EXIT-PLAN": 2,
        },
    )
    fired = {f.id for f in benchmark(bank, answers).fired}
    # The checks on the client function and the exit plan fire; the others have no rating.
    assert fired == {"control-vs-client", "prime-collaborator-vs-client", "control-vs-exit"}

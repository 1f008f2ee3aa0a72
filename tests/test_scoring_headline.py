"""`scoring.headline` (what every autosave stores) gives exactly what full scoring gives."""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from assess.domain.answers import Answer, check_answer, visible_ids
from assess.domain.assessment import Assessment
from assess.domain.bank import Bank
from assess.domain.scoring import (
    NEARLY_READY,
    NOT_ASSESSED,
    NOT_READY,
    headline,
    round_score,
    score,
)
from tests.reports.banks import banks_with_answers, criterion, dimension, make_bank
from tests.store.support import sample_value


@given(banks_with_answers())
def test_headline_matches_score_on_random_banks(drawn: tuple[Bank, dict[str, Answer]]) -> None:
    bank, answers = drawn
    full = score(bank, answers)
    head = headline(bank, answers)
    assert (head.overall, head.band, head.completeness) == (
        full.overall,
        full.band,
        full.completeness,
    )


def shipped_answers(bank: Bank, seed: int, kinds: list[str]) -> dict[str, Answer]:
    """Answers to the shipped bank: each question skipped, answered, or n/a where allowed."""
    rng = random.Random(seed)
    answers: dict[str, Answer] = {}
    for question, kind in zip(bank.questions, kinds, strict=False):
        if kind == "skip":
            continue
        if kind == "na" and question.allow_na:
            answers[question.id] = Answer(None, "Not relevant here")
        else:
            answers[question.id] = check_answer(question, sample_value(question, rng))
    return answers


@given(st.integers(0, 2**32), st.lists(st.sampled_from(["skip", "answer", "na"]), max_size=60))
def test_the_summary_agrees_with_a_full_scoring(bank: Bank, seed: int, kinds: list[str]) -> None:
    answers = shipped_answers(bank, seed, kinds)
    assessment = Assessment(
        id="0badcafe",
        authority="Kent",
        service="Waste",
        assessor="A. Officer",
        created="2025-04-01T09:00:00Z",
        updated="2025-04-02T09:00:00Z",
        status="draft",
        bank=bank,
        answers=answers,
        revision=3,
    )
    summary, full = assessment.summary(), assessment.result
    assert (summary.score, summary.band, summary.completeness) == (
        round_score(full.overall),
        full.band,
        float(full.completeness),
    )


def test_hidden_questions_are_left_out_as_scoring_leaves_them(bank: Bank) -> None:
    # The shipped bank hides follow-up questions until an earlier answer asks for them.
    hidden = [q for q in bank.questions if q.show_if]
    assert hidden and any(q.id not in visible_ids(bank, {}) for q in hidden)
    head = headline(bank, {})
    assert head.completeness == score(bank, {}).completeness < 1


def test_the_edge_cases_of_the_rules() -> None:
    bank = make_bank(
        [
            dimension("D1", 2, [criterion("C1", weight=2, critical=True), criterion("C2")]),
            dimension("D2", 1, [criterion("C3", allow_na=True)]),
        ]
    )
    # Everything n/a or unanswered: a critical criterion at 0 caps the band.
    assert headline(bank, {}).band == NOT_READY
    high = {"C1": Answer(4), "C2": Answer(4), "C3": Answer(None, "n/a")}
    assert headline(bank, high).overall == Fraction(100)
    assert headline(bank, {**high, "C1": Answer(1)}).band == NOT_READY
    # Level 2 is the critical minimum: it does not cap (two thirds: Nearly ready).
    at_minimum = headline(bank, {**high, "C1": Answer(2)})
    assert at_minimum.overall == Fraction(200, 3) and at_minimum.band == NEARLY_READY
    only_na = make_bank([dimension("D1", 1, [criterion("C1", allow_na=True)])])
    head = headline(only_na, {"C1": Answer(None, "n/a")})
    assert head.overall is None and head.band == NOT_ASSESSED and head.completeness == 1

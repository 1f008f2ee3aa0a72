"""The officers' consensus: what the rule decides, what it leaves to settle, the score range,
settling, and the draft it saves."""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess.domain.answers import Answer
from assess.domain.assessment import Assessment
from assess.domain.bank import Bank, load_bank
from assess.domain.compare import ACROSS_OFFICERS, compare
from assess.domain.consensus import (
    AGREED,
    MIDDLE,
    NOT_ANSWERED,
    SETTLED,
    TO_SETTLE,
    consensus,
)
from assess.domain.errors import BadInput
from assess.store import Store

from .support import V1_BANK, bank_with, make, question_data

V1 = load_bank(V1_BANK)


@pytest.fixture(scope="module")
def bank(v1_bank: Bank) -> Bank:
    # The figures below are worked out by hand on version 1.0.0 of the bank.
    return v1_bank


def officers(bank: Bank, *views: dict[str, Answer]) -> list[Assessment]:
    names = ("Ann", "Bob", "Cat", "Dee", "Eve")
    return [
        make(bank, answers, id=f"o{n}", assessor=names[n], created=f"2026-03-0{n + 1}T00:00Z")
        for n, answers in enumerate(views)
    ]


def level(n: int, note: str = "") -> Answer:
    return Answer(n, None, note)


def test_the_rule_takes_agreement_and_a_clear_middle(bank: Bank) -> None:
    views = officers(
        bank,
        {"R-LEAD-OWNERSHIP": level(1), "R-CASE-RIGOUR": level(2), "R-PV-TEST": level(3)},
        {"R-LEAD-OWNERSHIP": level(3), "R-CASE-RIGOUR": level(2), "R-PV-TEST": level(3)},
        {"R-LEAD-OWNERSHIP": level(4), "R-CASE-RIGOUR": level(3)},
    )
    agreed = consensus(compare(views))
    ownership = agreed.item("R-LEAD-OWNERSHIP")
    assert (ownership.rule, ownership.level) == (MIDDLE, 3)  # the middle of 1, 3, 4
    assert agreed.item("R-CASE-RIGOUR").level == 2  # the middle of 2, 2, 3
    # Cat did not rate R-PV-TEST: the two who did agree.
    assert (agreed.item("R-PV-TEST").rule, agreed.item("R-PV-TEST").level) == (AGREED, 3)
    assert agreed.item("R-SCOPE-PACKAGE").rule == NOT_ANSWERED
    assert agreed.complete and agreed.score_range()[0] == agreed.score_range()[1]
    assert "Consensus of: Ann level 1, Bob level 3, Cat level 4." in ownership.answer.evidence  # type: ignore[union-attr]


def test_two_officers_who_differ_leave_the_item_to_settle(bank: Bank) -> None:
    views = officers(
        bank,
        {"R-PV-TEST": level(1, "No test yet"), "R-CASE-RIGOUR": level(2)},
        {"R-PV-TEST": level(4, "Cabinet, May"), "R-CASE-RIGOUR": level(2)},
    )
    agreed = consensus(compare(views))
    item = agreed.item("R-PV-TEST")
    # Neither the lower nor the higher: the officers settle it, between their levels.
    assert item.rule == TO_SETTLE and item.answer is None
    assert item.choices == (1, 2, 3, 4) and item.choices_text() == "1, 2, 3 or 4"
    assert [(v.officer, v.level, v.evidence) for v in item.views] == [
        ("Ann", 1, "No test yet"),
        ("Bob", 4, "Cabinet, May"),
    ]
    assert agreed.item("R-CASE-RIGOUR").rule == AGREED
    assert not agreed.complete
    assert "R-PV-TEST" not in agreed.answers()


def test_four_officers_settle_only_between_the_two_middle_levels(bank: Bank) -> None:
    views = officers(
        bank,
        *(
            {"R-PV-TEST": level(a), "R-LEAD-OWNERSHIP": level(b)}
            for a, b in zip((0, 1, 3, 4), (1, 2, 2, 4), strict=True)
        ),
    )
    agreed = consensus(compare(views))
    assert agreed.item("R-PV-TEST").choices == (1, 2, 3)  # the middle two are 1 and 3
    middle = agreed.item("R-LEAD-OWNERSHIP")
    assert (middle.rule, middle.level) == (MIDDLE, 2)  # the middle two are both 2


def test_not_applicable_keeps_its_reasons(bank: Bank) -> None:
    views = officers(
        bank,
        {"R-FIT-WELLBEING": Answer(None, "County"), "R-STK-PARTNERS": Answer(None, "No users")},
        {"R-FIT-WELLBEING": Answer(None, "Not ours"), "R-STK-PARTNERS": level(2, "Panel met")},
    )
    agreed = consensus(compare(views))
    wellbeing = agreed.item("R-FIT-WELLBEING")
    assert wellbeing.rule == AGREED and wellbeing.answer is not None
    assert wellbeing.answer.na_reason == "County; Not ours"
    # One says n/a, the other a level: nothing orders them, so it is for the officers.
    mixed = agreed.item("R-STK-PARTNERS")
    assert mixed.rule == TO_SETTLE and mixed.choices == (None, 2)
    assert mixed.views_text() == "Ann not applicable · Bob level 2"
    settled = agreed.settle({"R-STK-PARTNERS": None}).item("R-STK-PARTNERS")
    assert settled.rule == SETTLED and settled.answer is not None
    assert settled.answer.na_reason == "No users"
    assert "Not applicable because Ann: No users." in settled.answer.evidence
    assert "Bob: Panel met" in settled.answer.evidence


def test_settling_checks_the_item_and_the_level(bank: Bank) -> None:
    views = officers(
        bank,
        {"R-PV-TEST": level(1), "R-CASE-RIGOUR": level(2)},
        {"R-PV-TEST": level(3), "R-CASE-RIGOUR": level(2)},
    )
    agreed = consensus(compare(views))
    with pytest.raises(BadInput, match="can be settled at 1, 2 or 3"):
        agreed.settle({"R-PV-TEST": 4})
    with pytest.raises(BadInput, match="not left to settle"):
        agreed.settle({"R-CASE-RIGOUR": 3})
    with pytest.raises(BadInput, match="not a readiness criterion"):
        agreed.settle({"S-EXPLORE": 1})
    done = agreed.settle({"R-PV-TEST": 2})
    assert done.complete and done.item("R-PV-TEST").level == 2
    assert done.item("R-PV-TEST").answer.evidence.startswith(  # type: ignore[union-attr]
        "Settled by the officers of: Ann level 1, Bob level 3."
    )
    # The comparison carries what is settled, so every report shows the same consensus.
    assert (
        consensus(compare(views).with_settled({"R-PV-TEST": 2})).item("R-PV-TEST").rule == SETTLED
    )


def test_the_score_is_a_range_until_every_item_is_settled(bank: Bank) -> None:
    views = officers(bank, {"R-PV-TEST": level(0)}, {"R-PV-TEST": level(4)})
    agreed = consensus(compare(views))
    low, high = agreed.score_range()
    # R-PV-TEST: dimension weight 2 × weight 3 = 6 of Σe = 138; at 0 it adds nothing, at 4 all 6.
    assert low.overall == 0
    assert high.overall == Fraction(100 * 6, 138)
    assert agreed.score_text() == (
        "between 0.0 (Not ready) and 4.3 (Not ready), depending on how the 1 item to "
        "settle is settled"
    )
    settled = agreed.settle({"R-PV-TEST": 2})
    assert settled.score_text() == "2.2 (Not ready)"  # 100 × 6 × 2/4 / 138


@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "R-LEAD-OWNERSHIP",
                    "R-FIT-WELLBEING",
                    "R-STK-PARTNERS",
                    "R-CASE-RIGOUR",
                    "R-SCOPE-PACKAGE",
                ]
            ),
            st.one_of(st.none(), st.integers(0, 4)),
            st.one_of(st.none(), st.integers(0, 4)),
        ),
        min_size=1,
        max_size=5,
        unique_by=lambda t: t[0],
    )
)
def test_the_range_is_exactly_the_lowest_and_highest_settlement(views: Any) -> None:
    bank = V1

    # None is "not applicable" for the two criteria that allow it, else unanswered.
    def answer(qid: str, value: int | None) -> Answer | None:
        if value is not None:
            return level(value)
        return Answer(None, "n/a") if bank.question(qid).allow_na else None  # type: ignore[union-attr]

    ann = {q: a for q, x, _ in views if (a := answer(q, x)) is not None}
    bob = {q: a for q, _, y in views if (a := answer(q, y)) is not None}
    agreed = consensus(compare(officers(bank, ann, bob)))
    pending = agreed.to_settle
    every = [
        agreed.settle(dict(zip((i.id for i in pending), combo, strict=True))).result().overall
        for combo in itertools.product(*(i.choices for i in pending))
    ]
    scored = [s for s in every if s is not None]
    low, high = agreed.score_range()
    if scored:
        assert (low.overall, high.overall) == (min(scored), max(scored))


def test_survey_answers_only_where_everyone_agrees(bank: Bank) -> None:
    views = officers(
        bank,
        {"S-EXPLORE": Answer("yes"), "S-MECHANISM": Answer("joint-venture")},
        {"S-EXPLORE": Answer("yes", None, "x"), "S-MECHANISM": Answer("fixed-term")},
    )
    agreed = consensus(compare(views))
    assert agreed.answers()["S-EXPLORE"].value == "yes"
    assert "S-MECHANISM" not in agreed.answers()
    assert [q.id for q in agreed.survey_differ] == ["S-MECHANISM"]


def test_only_officers_have_a_consensus(bank: Bank) -> None:
    services = [make(bank, {}, id="x", service="Waste"), make(bank, {}, id="y", service="Leisure")]
    with pytest.raises(BadInput, match="compared across services"):
        consensus(compare(services))


def _saved(db: Path, assessments: list[Assessment]) -> tuple[Store, list[Assessment]]:
    store = Store.open(db)
    saved = [
        store.create(
            authority=a.authority,
            service=a.service,
            assessor=a.assessor,
            bank=a.bank,
            answers=a.answers,
            period="2026/27",
        )
        for a in assessments
    ]
    return store, saved


def test_the_draft_is_a_new_assessment_with_items_to_settle_unanswered(
    bank: Bank, db: Path
) -> None:
    store, saved = _saved(
        db,
        officers(
            bank,
            {
                "R-PV-TEST": level(1),
                "R-CASE-RIGOUR": level(2),
                "R-FIT-WELLBEING": Answer(None, "County"),
            },
            {
                "R-PV-TEST": level(3),
                "R-CASE-RIGOUR": level(2),
                "R-FIT-WELLBEING": Answer(None, "Not ours"),
            },
        ),
    )
    comparison = compare(saved)
    assert comparison.kind == ACROSS_OFFICERS
    draft = consensus(comparison).draft()
    assert draft.left_unanswered == ("R-PV-TEST",)
    made = store.create(**draft.fields(), who="Dee")
    again = store.get(made.id)
    assert again.status == "draft" and again.assessor == "Consensus of Ann, Bob"
    assert (again.authority, again.service, again.period) == ("Borsetshire", "Waste", "2026/27")
    assert "R-PV-TEST" not in again.answers
    assert again.answers["R-CASE-RIGOUR"].level == 2
    assert again.answers["R-FIT-WELLBEING"].na_reason == "County; Not ours"
    settled = consensus(comparison.with_settled({"R-PV-TEST": 2})).draft()
    assert settled.answers["R-PV-TEST"].level == 2 and settled.left_unanswered == ()
    # The assessments compared are untouched.
    assert [store.get(a.id).revision for a in saved] == [a.revision for a in saved]


def test_the_draft_leaves_out_what_the_newest_bank_refuses(bank: Bank) -> None:
    def no_na(data: dict[str, Any]) -> None:
        question_data(data, "R-FIT-WELLBEING")["allow_na"] = False

    newer = bank_with(bank, no_na, "1.2.0")
    old = make(bank, {"R-FIT-WELLBEING": Answer(None, "County")}, id="n1", assessor="Ann")
    new = make(newer, {"R-LEAD-OWNERSHIP": level(2)}, id="n2", assessor="Bob")
    comparison = compare([old, new], ACROSS_OFFICERS)
    assert "R-FIT-WELLBEING" in comparison.shared_ids  # same type and options: shared
    draft = consensus(comparison).draft()
    assert draft.bank.version == "1.2.0"
    assert "R-FIT-WELLBEING" not in draft.answers  # n/a is not allowed any more
    assert draft.answers["R-LEAD-OWNERSHIP"].level == 2

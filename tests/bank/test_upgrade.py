"""Carrying an assessment's answers from one bank version to the next (assess.domain.upgrade)."""

from __future__ import annotations

from typing import Any

import pytest

from assess.domain.answers import Answer, check_answer
from assess.domain.bank import Bank, Question, bank_from_data
from assess.domain.upgrade import carry, counterparts, plan_upgrade
from tests.bank.banks import v1_bank, v2_bank
from tests.reports.banks import bank_data, criterion, dimension, make_bank


def _value(question: Question, n: int) -> Any:
    """A valid value for any question, varied with n."""
    if question.type == "maturity":
        return n % 5
    if question.type in ("multi", "ranking"):
        ids = list(question.option_ids)
        return ids[n % len(ids) :] + ids[: n % len(ids)]
    if question.type in ("single", "likert", "yesno"):
        return question.option_ids[n % len(question.option_ids)]
    if question.type == "number":
        return 3
    return f"Answer {n}"


def fully_answered(bank: Bank) -> dict[str, Answer]:
    """Every question answered, each with an evidence note; some criteria not applicable."""
    answers = {}
    for n, question in enumerate(bank.questions):
        raw: dict[str, Any] = {"evidence": f"Note on {question.id}"}
        if question.allow_na and n % 2:
            raw["na"] = "Not part of this service"
        else:
            raw["value"] = _value(question, n)
        answers[question.id] = check_answer(question, raw)
    return answers


def test_a_fully_answered_version_1_assessment_carries_every_answer_and_note() -> None:
    old, new = v1_bank(), v2_bank()
    answers = fully_answered(old)
    plan = plan_upgrade(old, new, answers)
    # Every version 1 question survives in version 2, kept or replaced, so all carry.
    assert plan.left_behind == ()
    assert {c.from_id for c in plan.carried} == set(answers)
    for carried in plan.carried:
        before = answers[carried.from_id]
        assert carried.answer.to_data() == before.to_data(), carried.question_id
        assert carried.answer.evidence == f"Note on {carried.from_id}"
    # The renamed ones are exactly those the new bank names under `replaces`.
    renamed = {(c.from_id, c.question_id) for c in plan.carried if c.renamed}
    assert renamed == {(r, q.id) for q in new.questions for r in q.replaces}
    assert ("R-GOV-GATEWAY", "R-GOV-ASSURANCE") in renamed
    assert plan.answers["R-GOV-ASSURANCE"] == answers["R-GOV-GATEWAY"]


def test_the_questions_needing_a_fresh_answer_are_exactly_the_new_ones() -> None:
    old, new = v1_bank(), v2_bank()
    plan = plan_upgrade(old, new, fully_answered(old))
    expected = [
        q.id
        for q in new.questions
        if old.question(q.id) is None and not any(old.question(r) for r in q.replaces)
    ]
    assert list(plan.fresh) == expected == list(plan.new_questions)
    # Among them the framework criteria added in version 2, and the halves of split questions.
    for qid in ("R-CASE-FIVE-CASES", "R-STAFF-PENSIONS", "R-SEL-TRANSPARENCY", "S-PARTNER-BUDGET"):
        assert qid in plan.fresh
    for qid in ("R-LEAD-OWNERSHIP", "R-GOV-ASSURANCE", "S-PARTNER-STRATEGY"):
        assert qid not in plan.fresh
    # Every new-bank question is either carried or fresh, never both.
    carried = {c.question_id for c in plan.carried}
    assert carried.isdisjoint(plan.fresh)
    assert carried | set(plan.fresh) == {q.id for q in new.questions}


def test_an_unanswered_question_is_neither_carried_nor_fresh() -> None:
    old, new = v1_bank(), v2_bank()
    answers = fully_answered(old)
    del answers["R-LEAD-OWNERSHIP"], answers["R-SEL-VALUES"]
    plan = plan_upgrade(old, new, answers)
    assert "R-LEAD-OWNERSHIP" not in plan.answers and "R-SEL-TRACK-RECORD" not in plan.answers
    # It was never answered, so nothing is lost: it is simply unanswered on the new bank.
    assert "R-LEAD-OWNERSHIP" not in plan.fresh and "R-SEL-TRACK-RECORD" not in plan.fresh


def test_upgrading_to_the_same_bank_carries_everything_unchanged() -> None:
    bank = v2_bank()
    answers = fully_answered(bank)
    plan = plan_upgrade(bank, bank, answers)
    assert plan.answers == answers and plan.fresh == () and plan.left_behind == ()
    assert not any(c.renamed for c in plan.carried)


# ----------------------------------------------------------------------------
# Answers that do not carry, and why


def _survey(*questions: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"id": "s", "title": "Survey", "questions": list(questions)}]


def _choice(qid: str, type_: str, options: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "id": qid,
        "type": type_,
        "text": f"Question {qid}?",
        "help": "Choose.",
        "options": [{"id": o, "label": o.title()} for o in options],
        "source": {"file": "test-source.txt", "quote": "A sentence."},
        **extra,
    }


@pytest.fixture
def banks() -> tuple[Bank, Bank]:
    old = make_bank(
        [dimension("d", 1, [criterion("C1", allow_na=True), criterion("C2"), criterion("C3")])],
        survey=_survey(
            _choice("S1", "single", ["a", "b", "c"]),
            _choice("S2", "single", ["a", "b"]),
            _choice("S3", "single", ["a", "b"]),
            _choice("S4", "single", ["a", "b"]),
        ),
    )
    renamed = criterion("C3-NEW")
    renamed["replaces"] = ["C3"]
    merged = _choice("S34", "single", ["a", "b"], replaces=["S4", "S3"])
    new = make_bank(
        [dimension("d", 1, [criterion("C1"), renamed, criterion("C4")])],
        survey=_survey(
            _choice("S1", "single", ["a", "b"]),  # option c dropped
            _choice("S2", "multi", ["a", "b"]),  # a single choice became a multiple one
            merged,  # S4 and S3 merged into one question
        ),
    )
    return old, new


def test_incompatible_answers_are_left_behind_with_a_reason(banks: tuple[Bank, Bank]) -> None:
    old, new = banks
    raw = {
        "C1": Answer(None, "Out of scope"),
        "C2": Answer(2, evidence="Minutes"),
        "C3": Answer(4, evidence="Report"),
        "S1": Answer("c"),
        "S2": Answer("a"),
        "S3": Answer("a"),
        "S4": Answer("b"),
    }
    plan = plan_upgrade(old, new, raw)
    assert plan.answers == {"C3-NEW": Answer(4, evidence="Report"), "S34": Answer("b")}
    reasons = {left.old_id: left.reason for left in plan.left_behind}
    assert list(reasons) == ["S1", "S2", "S3", "C1", "C2"]  # in the old bank's order
    assert "not applicable, which “Is C1 in place?” no longer allows" in reasons["C1"]
    assert "has no question that takes it over" in reasons["C2"]
    assert "'c' is not an option" in reasons["S1"]
    assert "single-choice question" in reasons["S2"] and "multiple-choice" in reasons["S2"]
    assert "takes over from more than one question" in reasons["S3"]
    assert "“Question S4?” was carried instead" in reasons["S3"]
    # Fresh: the new criterion, and the questions whose earlier answers could not carry.
    assert plan.new_questions == ("C4",)
    assert set(plan.fresh) == {"C1", "C4", "S1", "S2"}
    # Reasons are for officers: they name questions by their text, in quotation marks.
    for old_id, reason in reasons.items():
        if old_id != "C2":
            assert "“" in reason and "”" in reason, reason


def test_the_plan_changes_nothing_it_is_given(banks: tuple[Bank, Bank]) -> None:
    old, new = banks
    raw = {"C3": Answer(4), "S1": Answer("a")}
    before = dict(raw)
    plan_upgrade(old, new, raw)
    assert raw == before


def test_counterparts_and_carry(banks: tuple[Bank, Bank]) -> None:
    old, new = banks
    merged = new.question("S34")
    assert merged is not None
    assert [q.id for q in counterparts(old, merged)] == ["S4", "S3"]
    kept = new.question("S1")
    assert kept is not None and [q.id for q in counterparts(old, kept)] == ["S1"]
    assert counterparts(old, new.question("C4")) == ()  # type: ignore[arg-type]
    carried = carry(old.question("S1"), kept, Answer("a", evidence="Why"))  # type: ignore[arg-type]
    assert carried == Answer("a", evidence="Why")


def test_a_bank_built_from_the_same_data_carries_answers_between_versions() -> None:
    # The same bank under a new version number: nothing changes but the version.
    data = bank_data([dimension("d", 2, [criterion("C1"), criterion("C2")])])
    old = bank_from_data(data, "old")
    new = bank_from_data({**data, "version": "1.1"}, "new")
    plan = plan_upgrade(old, new, {"C1": Answer(3), "C2": Answer(0, evidence="None yet")})
    assert plan.answers == {"C1": Answer(3), "C2": Answer(0, evidence="None yet")}
    assert (plan.old_bank, plan.new_bank) == ("test-bank 1.0", "test-bank 1.1")

"""The action plan's rules: checking entries, overdue, reading order, carry-over, outcomes."""

from __future__ import annotations

import datetime

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.domain.plan import (
    DONE_AND_ROSE,
    DONE_NOT_ROSE,
    DROPPED,
    NEW_GAP,
    NOT_DONE,
    PlanEntry,
    PlanProblem,
    PlanProblems,
    carried_over,
    check_entry,
    check_plan,
    parse_due,
    plan_outcomes,
    plan_rows,
    progress,
)
from assess.domain.scoring import score

TODAY = datetime.date(2026, 12, 1)


def _q(bank: Bank, qid: str):  # type: ignore[no-untyped-def]
    question = bank.question(qid)
    assert question is not None
    return question


def test_a_new_entry_starts_from_the_banks_action(v1_bank: Bank) -> None:
    question = _q(v1_bank, "R-CASE-RIGOUR")
    entry = check_entry(question, {"owner": "Head of Finance", "due": "2027-03-31"})
    assert entry.action == question.action
    assert entry.owner == "Head of Finance"
    assert entry.due == datetime.date(2027, 3, 31)
    assert entry.status == "not started" and entry.is_open
    # Fields left out keep their earlier values; the action can be rewritten.
    later = check_entry(question, {"status": "in-progress", "action": "Our own words"}, entry)
    assert (later.owner, later.due, later.status, later.action) == (
        "Head of Finance",
        datetime.date(2027, 3, 31),
        "in progress",
        "Our own words",
    )
    # An empty action goes back to the bank's.
    assert check_entry(question, {"action": ""}, later).action == question.action


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ({"status": "finished"}, "is not one of: not started, in progress, done, dropped"),
        ({"status": ["done"]}, "is not one of: not started"),  # not text, nor to be looked up
        ({"status": {"done": 1}}, "is not one of: not started"),
        ({"status": 3}, "is not one of: not started"),
        ({"due": "2027-02-30"}, "is not a real date"),
        ({"due": "31/03/2027"}, "not a date written as YYYY-MM-DD"),
        ({"due": "2027-03-31\n"}, "not a date written as YYYY-MM-DD"),
        ({"owner": "Ann\x1b[2J"}, "control characters"),
        ({"owner": "Ann\nBob"}, "line breaks or control characters"),
        ({"status": "dropped"}, "needs a reason"),
        ({"aim": 5}, "is not a level from 0 to 4"),
        ({"aim": True}, "is not a level from 0 to 4"),
        ({"colour": "red"}, "unknown field 'colour'"),
        ("done", "must be a mapping"),
    ],
)
def test_bad_entries_are_refused_with_the_reason(v1_bank: Bank, raw: object, says: str) -> None:
    with pytest.raises(PlanProblem, match=None) as caught:
        check_entry(_q(v1_bank, "R-CASE-RIGOUR"), raw)
    assert says in str(caught.value)


def test_only_criteria_have_entries_and_unknown_ids_are_named(v1_bank: Bank) -> None:
    with pytest.raises(PlanProblem, match="only a readiness criterion"):
        check_entry(_q(v1_bank, "S-EXPLORE"), {"owner": "Ann"})
    with pytest.raises(PlanProblems) as caught:
        check_plan(v1_bank, {"R-NOPE": {"owner": "A"}, "R-CASE-RIGOUR": {"status": "x"}})
    assert [p.split(":")[0] for p in caught.value.problems] == [
        "plan.'R-NOPE'",
        "plan.R-CASE-RIGOUR",
    ]


def test_a_dropped_entry_keeps_its_reason_and_others_lose_it(v1_bank: Bank) -> None:
    question = _q(v1_bank, "R-CASE-RIGOUR")
    dropped = check_entry(question, {"status": "dropped", "reason": "Scope changed"})
    assert dropped.reason == "Scope changed" and not dropped.is_open
    reopened = check_entry(question, {"status": "in progress"}, dropped)
    assert reopened.reason == ""


def test_overdue_is_a_passed_due_date_not_done_or_dropped() -> None:
    due = datetime.date(2026, 11, 30)
    assert PlanEntry("Q", "a", due=due).overdue(TODAY)
    assert PlanEntry("Q", "a", due=due, status="in progress").overdue(TODAY)
    assert not PlanEntry("Q", "a", due=due, status="done").overdue(TODAY)
    assert not PlanEntry("Q", "a", due=due, status="dropped", reason="r").overdue(TODAY)
    assert not PlanEntry("Q", "a", due=TODAY).overdue(TODAY)  # due today is not late yet
    assert not PlanEntry("Q", "a").overdue(TODAY)
    assert parse_due("") is None


def test_the_plan_reads_overdue_first_then_in_gap_order(v1_bank: Bank) -> None:
    answers = {"R-CASE-RIGOUR": Answer(1), "R-MKT-DIALOGUE": Answer(0), "R-LEAD-REALISM": Answer(4)}
    result = score(v1_bank, answers)
    plan = {
        "R-MKT-DIALOGUE": PlanEntry("R-MKT-DIALOGUE", "a", due=datetime.date(2026, 1, 1)),
        "R-CASE-RIGOUR": PlanEntry("R-CASE-RIGOUR", "b"),
        "R-LEAD-REALISM": PlanEntry("R-LEAD-REALISM", "c", status="done"),
    }
    rows = plan_rows(result, plan, TODAY)
    # Dialogue is overdue; rigour is open (a critical gap); realism is done (no gap).
    assert [r.question.id for r in rows] == ["R-MKT-DIALOGUE", "R-CASE-RIGOUR", "R-LEAD-REALISM"]
    assert [r.overdue for r in rows] == [True, False, False]
    assert rows[1].gap_rank is not None and rows[1].aim == rows[1].target
    assert progress(plan.values(), TODAY).describe() == "3 actions, 1 overdue, 1 done"


def test_a_copy_for_the_next_period_carries_exactly_the_open_entries() -> None:
    plan = {
        "A": PlanEntry("A", "a"),
        "B": PlanEntry("B", "b", status="in progress"),
        "C": PlanEntry("C", "c", status="done"),
        "D": PlanEntry("D", "d", status="dropped", reason="No longer needed"),
    }
    assert set(carried_over(plan)) == {"A", "B"}


def test_what_became_of_each_entry_a_year_later(v1_bank: Bank) -> None:
    earlier = score(
        v1_bank,
        {
            "R-CASE-RIGOUR": Answer(1),
            "R-MKT-DIALOGUE": Answer(1),
            "R-LEAD-REALISM": Answer(1),
            "R-STK-USERS": Answer(1),
            "R-LEAD-OWNERSHIP": Answer(4),
        },
    )
    later = score(
        v1_bank,
        {
            "R-CASE-RIGOUR": Answer(3),  # done, and it rose
            "R-MKT-DIALOGUE": Answer(1),  # done, but it did not rise
            "R-LEAD-REALISM": Answer(2),  # not done (still in progress)
            "R-STK-USERS": Answer(1),  # dropped
            "R-LEAD-OWNERSHIP": Answer(1),  # a new gap, with no entry
        },
    )
    earlier_plan = {
        "R-CASE-RIGOUR": PlanEntry("R-CASE-RIGOUR", "a", status="in progress"),
        "R-MKT-DIALOGUE": PlanEntry("R-MKT-DIALOGUE", "b", status="done"),
        "R-LEAD-REALISM": PlanEntry("R-LEAD-REALISM", "c"),
        "R-STK-USERS": PlanEntry("R-STK-USERS", "d", status="dropped", reason="Merged"),
    }
    # The copy carried the open entries; in the later assessment rigour was finished.
    later_plan = {
        "R-CASE-RIGOUR": PlanEntry("R-CASE-RIGOUR", "a", status="done"),
        "R-LEAD-REALISM": PlanEntry("R-LEAD-REALISM", "c", status="in progress"),
    }
    outcomes = {o.question.id: o for o in plan_outcomes(earlier_plan, earlier, later_plan, later)}
    assert outcomes["R-CASE-RIGOUR"].outcome == DONE_AND_ROSE
    assert outcomes["R-MKT-DIALOGUE"].outcome == DONE_NOT_ROSE
    assert outcomes["R-LEAD-REALISM"].outcome == NOT_DONE
    assert outcomes["R-STK-USERS"].outcome == DROPPED
    new = outcomes["R-LEAD-OWNERSHIP"]
    assert (new.outcome, new.level_before, new.level_after) == (NEW_GAP, 4, 1)
    # Gaps already there a year ago are not new, planned or not.
    assert all(o.outcome != NEW_GAP for qid, o in outcomes.items() if qid != "R-LEAD-OWNERSHIP")

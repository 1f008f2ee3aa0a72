"""Answers files: answers, plan changes and the period, every bad value named by its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.domain.answers import Answer
from assess.domain.answers_file import read_answers_file
from assess.domain.bank import Bank
from assess.domain.errors import AnswersError

GOOD = """\
period: 2026/27
answers:
  R-CASE-RIGOUR: 2
plan:
  R-CASE-RIGOUR: {owner: Head of Finance, due: 2027-03-31, status: in-progress}
  R-LEAD-REALISM: {action: "Agree the limits with the leader", status: done}
"""

BAD = """\
plan:
  R-CASE-RIGOUR: {owner: Ann, due: 2027-02-30}
  R-LEAD-REALISM: {status: finished}
  R-NOT-THERE: {owner: Bob}
  S-EXPLORE: {owner: Cat}
"""


def test_plan_changes_and_the_period_are_read_and_checked(v1_bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(GOOD, encoding="utf-8")
    loaded = read_answers_file(path, v1_bank)
    assert loaded.answers == {"R-CASE-RIGOUR": Answer(2)}
    assert loaded.period == "2026/27"
    assert loaded.plan["R-CASE-RIGOUR"]["status"] == "in-progress"
    assert set(loaded.plan) == {"R-CASE-RIGOUR", "R-LEAD-REALISM"}


def test_every_bad_plan_entry_is_named_with_its_line(v1_bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(AnswersError) as caught:
        read_answers_file(path, v1_bank)
    lines = caught.value.problems
    assert len(lines) == 4
    assert "line 2: R-CASE-RIGOUR: the due date '2027-02-30' is not a real date" in lines[0]
    assert "line 3: R-LEAD-REALISM: the status 'finished' is not one of" in lines[1]
    assert "line 4: R-NOT-THERE: there is no question with this id" in lines[2]
    assert "line 5: S-EXPLORE: only a readiness criterion" in lines[3]
    assert "nothing was saved" in caught.value.message


def test_a_period_that_cannot_be_ordered_is_refused(v1_bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "period.yaml"
    path.write_text("period: next year\nanswers: {}\n", encoding="utf-8")
    with pytest.raises(AnswersError, match="line 1: 'next year' is not a period"):
        read_answers_file(path, v1_bank)

"""An exported workbook, edited as an officer would, read back: exactly the intended changes.

The reader is checked against a hand-built assessment (with a plan and a
period), and the whole path through `assess answer` and `assess new` against
a real store: a bad cell is named by sheet and cell, and then nothing at all
is saved.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
import pytest

from assess.domain.answers import Answer
from assess.domain.answers_file import answers_from_parsed
from assess.domain.bank import Bank
from assess.domain.errors import AnswersError, BadInput
from assess.reports.model import report_for
from assess.reports.workbook import read_workbook
from assess.store import Store
from tests.helpers import assert_clean_failure, invoke
from tests.store.support import folder_bytes

from .support import (
    CRITICAL,
    FORMULA_NOTE,
    HOSTILE,
    PLANNED,
    RATED,
    REPORT_DATE,
    assessment,
    column_of,
    edit,
    period_cell,
    report,
    row_of,
    write_workbook,
)


def test_an_untouched_workbook_changes_nothing(tmp_path: Path, bank: Bank) -> None:
    path = write_workbook(tmp_path / "r.xlsx", report(bank))
    read = answers_from_parsed(read_workbook(path, bank, assessment(bank)), bank)
    assert read.answers == {} and read.plan == {} and read.period is None


def test_exactly_the_cells_the_officer_changed_are_read_back(tmp_path: Path, bank: Bank) -> None:
    path = write_workbook(tmp_path / "r.xlsx", report(bank))
    edited = edit(
        path,
        tmp_path / "edited.xlsx",
        {
            ("Answers", RATED, "Level"): 4,  # a level
            ("Answers", CRITICAL, "Evidence"): "Signed cabinet minute, 3 March",  # a note
            ("Gaps and plan", PLANNED, "Owner"): "Ann Smith",  # an owner
            ("Gaps and plan", PLANNED, "Due"): datetime.datetime(2027, 6, 30),  # a real date
        },
    )
    book = openpyxl.load_workbook(edited)
    period_cell(book).value = "2027/28"
    book.save(edited)

    read = answers_from_parsed(read_workbook(edited, bank, assessment(bank)), bank)
    # The note that was exported as "'=HYPERLINK(...)" comes back as typed, level changed.
    assert read.answers == {
        RATED: Answer(4, None, FORMULA_NOTE),
        CRITICAL: Answer(1, None, "Signed cabinet minute, 3 March"),
    }
    assert read.plan == {PLANNED: {"owner": "Ann Smith", "due": "2027-06-30"}}
    assert read.period == "2027/28"


def test_a_bad_level_is_named_by_its_cell_and_refuses_the_file(tmp_path: Path, bank: Bank) -> None:
    path = write_workbook(tmp_path / "r.xlsx", report(bank))
    book = openpyxl.load_workbook(path)
    answers = book["Answers"]
    cell = answers.cell(row_of(answers, "R-CASE-RIGOUR"), column_of(answers, "Level")).coordinate
    edited = edit(
        path,
        tmp_path / "bad.xlsx",
        {("Answers", RATED, "Level"): 4, ("Answers", "R-CASE-RIGOUR", "Level"): 5},
    )
    with pytest.raises(AnswersError) as caught:
        answers_from_parsed(read_workbook(edited, bank, assessment(bank)), bank)
    assert caught.value.problems == [
        f"{edited}, Answers!{cell}: R-CASE-RIGOUR: 5 is not a level; give a whole number "
        "from 0 to 4"
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3 – Largely in place", Answer(3, None, "")),
        ("2", Answer(2, None, "")),
        (2.0, Answer(2, None, "")),
    ],
)
def test_levels_are_read_however_they_were_typed(
    tmp_path: Path, bank: Bank, value: object, expected: Answer
) -> None:
    path = write_workbook(tmp_path / "r.xlsx", report(bank))
    edited = edit(path, tmp_path / "e.xlsx", {("Answers", "R-CASE-RIGOUR", "Level"): value})
    read = answers_from_parsed(read_workbook(edited, bank, assessment(bank)), bank)
    assert read.answers == {"R-CASE-RIGOUR": expected}


def test_not_applicable_needs_a_reason_and_a_cleared_row_clears_the_answer(
    tmp_path: Path, bank: Bank
) -> None:
    path = write_workbook(tmp_path / "r.xlsx", report(bank))
    allowed = next(q for q in bank.criteria if q.allow_na and q.id != CRITICAL)
    edited = edit(
        path,
        tmp_path / "e.xlsx",
        {
            ("Answers", RATED, "Level"): None,
            ("Answers", RATED, "Evidence"): None,
            ("Answers", "R-CASE-RIGOUR", "Level"): "N/A",
        },
    )
    with pytest.raises(AnswersError) as caught:
        answers_from_parsed(read_workbook(edited, bank, assessment(bank)), bank)
    (problem,) = caught.value.problems
    assert "R-CASE-RIGOUR" in problem and "Answers!E" in problem
    fixed = edit(
        edited,
        tmp_path / "f.xlsx",
        {
            ("Answers", "R-CASE-RIGOUR", "Level"): 2,
            ("Answers", allowed.id, "Level"): "N/A",
            ("Answers", allowed.id, "Not applicable because"): "Not our service",
        },
    )
    read = answers_from_parsed(read_workbook(fixed, bank, assessment(bank)), bank)
    assert read.answers[RATED] is None  # cleared
    assert read.answers[allowed.id] == Answer(None, "Not our service", "")


def test_a_changed_locked_cell_or_a_formula_is_named_not_dropped(
    tmp_path: Path, bank: Bank
) -> None:
    path = write_workbook(tmp_path / "r.xlsx", report(bank))
    edited = edit(
        path,
        tmp_path / "e.xlsx",
        {
            ("Answers", RATED, "Target"): 4,
            ("Answers", CRITICAL, "Evidence"): "=1+1",  # typed as a formula
        },
    )
    with pytest.raises(AnswersError) as caught:
        read_workbook(edited, bank, assessment(bank))
    text = "\n".join(caught.value.problems)
    assert "holds a formula" in text and "only the yellow cells are read back" in text
    assert len(caught.value.problems) == 2


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"id": "ffff0000"}, "exported for assessment a1b2c3d4, not ffff0000"),
        ({"revision": 4}, "has changed since this workbook was exported"),
    ],
)
def test_a_workbook_for_another_assessment_or_an_older_state_is_refused(
    tmp_path: Path, bank: Bank, change: dict[str, object], fragment: str
) -> None:
    path = write_workbook(tmp_path / "r.xlsx", report(bank))
    with pytest.raises(BadInput) as caught:
        read_workbook(path, bank, assessment(bank, **change))
    assert fragment in caught.value.message


def test_a_workbook_from_another_bank_version_is_refused(tmp_path: Path, bank: Bank) -> None:
    path = write_workbook(tmp_path / "r.xlsx", report(bank))
    book = openpyxl.load_workbook(path)
    meta = book["assess"]
    for row in meta.iter_rows():
        if row[0].value == "bank_version":
            row[1].value = "0.9.0"
    book.save(path)
    with pytest.raises(BadInput, match=r"made with question bank .* 0\.9\.0"):
        read_workbook(path, bank, assessment(bank))


def test_files_that_are_not_our_workbooks_are_refused(tmp_path: Path, bank: Bank) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(BadInput, match="not an Excel workbook that assess can read"):
        read_workbook(junk, bank)
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    with pytest.raises(BadInput, match="not exported by assess"):
        read_workbook(plain, bank)


# -- through the command line, against a real store --------------------------------


def _saved(db: Path, bank: Bank) -> str:
    store = Store.open(db)
    made = store.create(
        authority="Anytown Borough Council",
        service="Waste",
        answers={CRITICAL: Answer(1, None, "Drafted"), RATED: Answer(3, None, HOSTILE)},
    )
    return made.id


def test_answer_merges_the_workbook_changes_and_nothing_else(
    db: Path, tmp_path: Path, bank: Bank
) -> None:
    assessment_id = _saved(db, bank)
    path = tmp_path / "r.xlsx"
    assert invoke("report", assessment_id, "--format", "xlsx", "-o", str(path), db=db).code == 0
    same = invoke("answer", assessment_id, "--answers", str(path), db=db)
    assert same.code == 0 and same.out.startswith("Nothing to change"), same.err
    edited = edit(
        path,
        tmp_path / "e.xlsx",
        {("Answers", RATED, "Level"): 4, ("Answers", "R-PV-TEST", "Level"): 2},
    )
    before = Store.open(db).get(assessment_id)
    outcome = invoke("answer", assessment_id, "--answers", str(edited), db=db)
    assert outcome.code == 0, outcome.err
    after = Store.open(db).get(assessment_id)
    changed = {
        q
        for q in set(before.answers) | set(after.answers)
        if before.answers.get(q) != after.answers.get(q)
    }
    assert changed == {RATED, "R-PV-TEST"}
    assert after.answers[RATED] == Answer(4, None, HOSTILE)  # the hostile note kept exactly
    assert after.answers["R-PV-TEST"] == Answer(2, None, "")


def test_one_bad_cell_refuses_the_whole_workbook_and_the_store_is_untouched(
    db: Path, tmp_path: Path, bank: Bank
) -> None:
    assessment_id = _saved(db, bank)
    path = tmp_path / "r.xlsx"
    assert invoke("report", assessment_id, "--format", "xlsx", "-o", str(path), db=db).code == 0
    edited = edit(
        path,
        tmp_path / "bad.xlsx",
        {
            ("Answers", RATED, "Level"): 4,
            ("Answers", CRITICAL, "Evidence"): "A new note",
            ("Answers", "R-CASE-RIGOUR", "Level"): 5,
        },
    )
    before = folder_bytes(db)
    outcome = invoke("answer", assessment_id, "--answers", str(edited), db=db)
    assert_clean_failure(outcome, "nothing was saved", "Answers!E", "5 is not a level")
    assert folder_bytes(db) == before


def test_plan_changes_are_saved_with_the_answers_or_refused_whole(
    db: Path, tmp_path: Path, bank: Bank
) -> None:
    assessment_id = _saved(db, bank)
    path = tmp_path / "r.xlsx"
    assert invoke("report", assessment_id, "--format", "xlsx", "-o", str(path), db=db).code == 0
    edited = edit(
        path,
        tmp_path / "e.xlsx",
        {
            ("Answers", RATED, "Level"): 4,
            ("Gaps and plan", CRITICAL, "Owner"): "Ann Smith",
            ("Gaps and plan", CRITICAL, "Due"): datetime.date(2027, 3, 31),
        },
    )
    outcome = invoke("answer", assessment_id, "--answers", str(edited), db=db)
    assert outcome.code == 0, outcome.err
    assert "1 answer(s) and 1 plan entry" in outcome.out
    after = Store.open(db).get(assessment_id)
    assert after.answers[RATED].level == 4
    entry = after.plan[CRITICAL]
    assert (entry.owner, entry.due) == ("Ann Smith", datetime.date(2027, 3, 31))
    assert entry.action == bank.question(CRITICAL).action  # type: ignore[union-attr]
    assert set(after.plan) == {CRITICAL}  # the other gaps' rows were left as offered


def test_new_starts_from_a_workbook(db: Path, tmp_path: Path, bank: Bank) -> None:
    assessment_id = _saved(db, bank)
    path = tmp_path / "r.xlsx"
    assert invoke("report", assessment_id, "--format", "xlsx", "-o", str(path), db=db).code == 0
    edited = edit(path, tmp_path / "e.xlsx", {("Gaps and plan", CRITICAL, "Owner"): "Ann Smith"})
    book = openpyxl.load_workbook(edited)
    period_cell(book).value = "2026/27"
    book.save(edited)
    outcome = invoke("new", "--authority", "Copy Council", "--answers", str(edited), db=db)
    assert outcome.code == 0, outcome.err
    copy = Store.open(db).get(outcome.out.strip())
    assert dict(copy.answers) == dict(Store.open(db).get(assessment_id).answers)
    assert copy.period == "2026/27"
    assert set(copy.plan) == {CRITICAL} and copy.plan[CRITICAL].owner == "Ann Smith"


def test_answer_refuses_another_assessments_workbook(db: Path, tmp_path: Path, bank: Bank) -> None:
    first, second = _saved(db, bank), _saved(db, bank)
    path = tmp_path / "r.xlsx"
    assert invoke("report", first, "--format", "xlsx", "-o", str(path), db=db).code == 0
    before = folder_bytes(db)
    outcome = invoke("answer", second, "--answers", str(path), db=db)
    assert_clean_failure(outcome, f"exported for assessment {first}, not {second}")
    assert len(outcome.err_lines) == 1
    assert folder_bytes(db) == before


def test_the_rebuilt_workbook_uses_the_recorded_report_date(tmp_path: Path, bank: Bank) -> None:
    # Read back on another day, an untouched workbook still matches its rebuilt twin.
    made = assessment(bank)
    path = write_workbook(tmp_path / "r.xlsx", report_for(made, "2025-01-01"))
    assert REPORT_DATE != "2025-01-01"
    read = answers_from_parsed(read_workbook(path, bank, made), bank)
    assert read.answers == {}

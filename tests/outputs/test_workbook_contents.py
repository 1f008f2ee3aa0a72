"""The workbook as Excel (and LibreOffice) sees it: sheets, drop-downs, dates, locks, text."""

from __future__ import annotations

import csv
import datetime
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from assess.domain.bank import Bank
from assess.domain.compare import compare
from assess.reports.export import file_bytes

from .support import (
    FORMULA_NOTE,
    HOSTILE,
    PLANNED,
    RATED,
    assessment,
    column_of,
    report,
    row_of,
    write_workbook,
)


@pytest.fixture
def book(tmp_path: Path, bank: Bank) -> openpyxl.Workbook:
    return openpyxl.load_workbook(
        write_workbook(tmp_path / "r.xlsx", report(bank), marking="OFFICIAL-SENSITIVE")
    )


def test_the_sheets_and_the_hidden_record(book: openpyxl.Workbook, bank: Bank) -> None:
    assert book.sheetnames == ["Summary", "Answers", "Gaps and plan", "Survey", "Rules", "assess"]
    hidden = book["assess"]
    assert hidden.sheet_state == "veryHidden" and hidden.protection.sheet
    record = {row[0]: row[1] for row in hidden.iter_rows(values_only=True)}
    assert record["assessment_id"] == "a1b2c3d4" and record["revision"] == "3"
    assert (record["bank_id"], record["bank_version"], record["bank_hash"]) == (
        bank.id,
        bank.version,
        bank.content_hash,
    )
    assert record["format"] == "assess-workbook" and record["format_version"] == "1"
    for title in ("Answers", "Gaps and plan", "Survey"):
        assert book[title].freeze_panes is not None
        assert book[title].protection.sheet
    assert book["Summary"]._charts, "the summary has a native chart"
    assert book["Summary"].oddHeader.center.text == "OFFICIAL-SENSITIVE"


def test_level_drop_downs_cover_exactly_the_level_cells(
    book: openpyxl.Workbook, bank: Bank
) -> None:
    answers = book["Answers"]
    level = column_of(answers, "Level")
    validations = {dv.formula1: dv for dv in answers.data_validations.dataValidation}
    assert set(validations) == {'"0,1,2,3,4"', '"0,1,2,3,4,N/A"'}
    with_na = {str(r) for r in validations['"0,1,2,3,4,N/A"'].sqref.ranges}
    without = {str(r) for r in validations['"0,1,2,3,4"'].sqref.ranges}
    for question in bank.criteria:
        cell = answers.cell(row_of(answers, question.id), level)
        assert cell.coordinate in (with_na if question.allow_na else without), question.id
        assert cell.protection.locked is False
    assert len(with_na) + len(without) == len(bank.criteria)
    assert all(dv.showErrorMessage for dv in validations.values())
    # Cells that are not read back are locked.
    assert answers.cell(2, column_of(answers, "Target")).protection.locked is True


def test_the_plan_has_status_drop_downs_and_real_dates(book: openpyxl.Workbook) -> None:
    plan = book["Gaps and plan"]
    row = row_of(plan, PLANNED)
    due = plan.cell(row, column_of(plan, "Due"))
    assert due.value == datetime.datetime(2027, 3, 31) and due.is_date
    status = plan.cell(row, column_of(plan, "Status"))
    lists = [dv for dv in plan.data_validations.dataValidation if dv.type == "list"]
    assert [dv.formula1 for dv in lists] == ['"not started,in progress,done,dropped"']
    assert status.coordinate in {str(r) for r in lists[0].sqref.ranges}
    dates = [dv for dv in plan.data_validations.dataValidation if dv.type == "date"]
    assert due.coordinate in {str(r) for r in dates[0].sqref.ranges}


def test_text_is_never_a_formula(book: openpyxl.Workbook, tmp_path: Path, bank: Bank) -> None:
    answers = book["Answers"]
    evidence = column_of(answers, "Evidence")
    formula = answers.cell(row_of(answers, RATED), evidence)
    assert formula.value == "'" + FORMULA_NOTE and formula.data_type == "s"
    hostile = answers.cell(row_of(answers, PLANNED), evidence)
    assert hostile.value == HOSTILE and hostile.data_type == "s"  # bidi kept as typed
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row), sheet.title
    with zipfile.ZipFile(write_workbook(tmp_path / "again.xlsx", report(bank))) as archive:
        names = archive.namelist()
        assert not [n for n in names if "vba" in n.lower()]  # no macros
        sheet_xml = b"".join(archive.read(n) for n in names if n.startswith("xl/worksheets/"))
    assert b"<f>" not in sheet_xml


def test_a_comparison_workbook_has_scores_side_by_side(tmp_path: Path, bank: Bank) -> None:
    earlier = assessment(bank, id="e0000001", created="2025-01-10T09:00:00.000Z")
    later = assessment(bank, id="e0000002", created="2026-01-10T09:00:00.000Z")
    path = tmp_path / "c.xlsx"
    path.write_bytes(file_bytes(compare([earlier, later]), "xlsx", date="2026-05-01"))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:3] == ["Summary", "Changes", "Gaps"]
    summary = book["Summary"]
    heading_row = next(r for r in summary.iter_rows() if r[0].value == "Dimension")
    assert len([c for c in heading_row if c.value]) == 4  # dimension, two columns, change
    assert summary._charts


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_workbook_cleanly(tmp_path: Path, bank: Bank) -> None:
    path = write_workbook(tmp_path / "r.xlsx", report(bank))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    rows = list(csv.reader((tmp_path / "r.csv").open(encoding="utf-8", errors="replace")))
    assert any("Readiness report" in cell for row in rows for cell in row)

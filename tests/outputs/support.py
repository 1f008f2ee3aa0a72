"""Shared pieces of the output tests: an assessment with a plan, workbooks edited as an
officer would, and the hostile text every format must show literally."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path
from typing import Any

import openpyxl

from assess.domain.answers import Answer
from assess.domain.assessment import Assessment
from assess.domain.bank import Bank
from assess.domain.plan import PlanEntry
from assess.reports.export import file_bytes
from assess.reports.model import Report, report_for
from tests.compare.support import make

REPORT_DATE = "2026-05-01"
# Rich markup, an element, a spreadsheet formula and a right-to-left override.
HOSTILE = (
    '[bold]B[/bold] <script>alert(1)</script> =HYPERLINK("http://e","x") abc\u202edcba\u202c end'
)
FORMULA_NOTE = '=HYPERLINK("http://e","click")'

CRITICAL = "R-LEAD-OWNERSHIP"  # critical, no N/A
PLANNED = "R-CLIENT-INTELLIGENT"  # a gap with a plan entry
RATED = "R-LEAD-REALISM"


def assessment(bank: Bank, **changes: Any) -> Assessment:
    """A hand-built assessment with answers, a plan entry, a period and hostile text."""
    answers = {
        CRITICAL: Answer(1, None, "Cabinet report drafted"),
        RATED: Answer(3, None, FORMULA_NOTE),
        PLANNED: Answer(1, None, HOSTILE),
        "R-PV-TEST": Answer(4, None, ""),
    }
    na = next(q for q in bank.criteria if q.allow_na)
    answers[na.id] = Answer(None, "Back-office services only", "")
    plan = {
        PLANNED: PlanEntry(PLANNED, "Fund a client team", "Sam Jones", datetime.date(2027, 3, 31))
    }
    made = make(bank, answers, id="a1b2c3d4", authority="Anytown Borough Council")
    fields: dict[str, Any] = {"plan": plan, "period": "2026/27", "revision": 3, "stage": 1}
    return dataclasses.replace(made, **{**fields, **changes})


def report(bank: Bank, **changes: Any) -> Report:
    return report_for(assessment(bank, **changes), REPORT_DATE)


def write_workbook(path: Path, subject: Report, marking: str = "") -> Path:
    path.write_bytes(file_bytes(subject, "xlsx", marking=marking))
    return path


def row_of(sheet: Any, qid: str) -> int:
    """The row of a question on the Answers or Gaps and plan sheet."""
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == qid:
            return row
    raise AssertionError(f"{qid} is not on {sheet.title}")


def column_of(sheet: Any, heading: str) -> int:
    for cell in sheet[1]:
        if cell.value == heading:
            return int(cell.column)
    raise AssertionError(f"no column {heading!r} on {sheet.title}")


def edit(path: Path, target: Path, changes: dict[tuple[str, str, str], Any]) -> Path:
    """Save a copy of the workbook with cells changed: {(sheet, question id, heading): value}."""
    book = openpyxl.load_workbook(path)
    for (title, qid, heading), value in changes.items():
        sheet = book[title]
        sheet.cell(row_of(sheet, qid), column_of(sheet, heading)).value = value
    book.save(target)
    return target


def period_cell(book: Any) -> Any:
    """The Summary sheet's period cell (beside its label)."""
    sheet = book["Summary"]
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row, 1).value == "Period":
            return sheet.cell(row, 2)
    raise AssertionError("no period on the Summary sheet")

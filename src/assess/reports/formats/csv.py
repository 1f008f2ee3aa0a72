"""The CSV export: one row per question and criterion, for a spreadsheet.

Numbers (levels, targets, weights, gap points, number answers) are written
as numbers. Every text cell passes through `escape.csv_cell`, so an answer
or note that starts with = + - @ (or a tab or line break) is shown as text
and never run as a formula.
"""

from __future__ import annotations

import csv
import io

from assess.domain.plan import PlanEntry
from assess.reports.escape import csv_cell
from assess.reports.model import QuestionRow, Report

HEADER = (
    "id",
    "instrument",
    "section",
    "question",
    "type",
    "shown",
    "answer",
    "level",
    "target",
    "weight",
    "gap_points",
    "critical",
    "from_stage",
    "evidence",
    "action",
    "owner",
    "due",
    "status",
)


def render(report: Report) -> str:
    """Every question as a CSV row, in bank order, with its action-plan entry."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in report.questions:
        cells = _cells(row, report.plan_entry(row.id))
        writer.writerow([csv_cell(cell) for cell in cells])
    return buffer.getvalue()


def _cells(row: QuestionRow, entry: PlanEntry | None) -> tuple[object, ...]:
    # A number answer stays a number; everything else is the answer in words.
    answer: object = row.value if isinstance(row.value, int | float) else row.answer_text
    if row.level is not None:
        answer = row.answer_text
    criterion = row.criterion
    readiness = row.instrument == "readiness"
    return (
        row.id,
        row.instrument,
        row.section_title,
        row.text,
        row.type,
        row.shown,
        answer,
        row.level,
        criterion.target if criterion else None,
        criterion.weight if criterion else None,
        criterion.gap_points if criterion else None,
        criterion.critical if criterion else None,
        row.question.from_stage if readiness else None,
        row.evidence,
        entry.action if entry else None,
        entry.owner if entry else None,
        entry.due.isoformat() if entry and entry.due else None,
        entry.status if entry else None,
    )

"""The action plan on its own, as `assess plan ID` and the app's plan export show it.

The same entries, in the same order and words, as the plan section of the full
report (`layout.plan_blocks`): overdue first, then in gap order, each with its
criterion, action, owner, due date and status. Text, Markdown and HTML draw
the Document made here; JSON and CSV list every field of every entry.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from assess.reports.document import Document, Facts
from assess.reports.escape import csv_cell
from assess.reports.model import Report

CSV_HEADER = (
    "id",
    "criterion",
    "dimension",
    "level",
    "target",
    "aim",
    "gap_points",
    "action",
    "owner",
    "due",
    "status",
    "reason",
    "overdue",
    "note",
)


@dataclass(frozen=True)
class PlanView:
    """The action plan of one report."""

    report: Report


def plan_document(view: PlanView) -> Document:
    from assess.reports.layout import plan_blocks

    meta = view.report.meta
    pairs = [("Authority", meta.authority)]
    if meta.service:
        pairs.append(("Service", meta.service))
    if meta.period:
        pairs.append(("Period", meta.period))
    if meta.date:
        pairs.append(("Plan date", meta.date))
    return Document(
        title=f"Action plan: {meta.title}", blocks=(Facts(tuple(pairs)), *plan_blocks(view.report))
    )


def plan_data(view: PlanView) -> dict[str, Any]:
    report = view.report
    return {
        "format": "assess-plan",
        "format_version": 1,
        "assessment": report.meta.assessment_id or None,
        "plan_date": report.meta.date or None,
        "entries": [
            {
                "id": r.question.id,
                "criterion": r.question.text,
                **r.entry.to_data(),
                "aim": r.aim,
                "level": r.level,
                "target": r.target,
                "gap_points": r.gap_points,
                "overdue": r.overdue,
            }
            for r in report.plan_rows
        ],
    }


def render_plan(view: PlanView, fmt: str, *, width: int = 80, color: bool = False) -> str:
    """The plan in format `fmt` (text, markdown, html, json or csv)."""
    if fmt == "json":
        return json.dumps(plan_data(view), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _csv(view)
    from assess.reports import render_document

    return render_document(plan_document(view), fmt, width=width, color=color)


def _csv(view: PlanView) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    report = view.report
    for r in report.plan_rows:
        e = r.entry
        dimension = report.bank.section_of(r.question.id).title
        cells = (
            r.question.id,
            r.question.text,
            dimension,
            r.level,
            r.target,
            r.aim,
            r.gap_points,
            e.action,
            e.owner,
            e.due.isoformat() if e.due else "",
            e.status,
            e.reason,
            r.overdue,
            e.note,
        )
        writer.writerow([csv_cell(c) for c in cells])
    return buffer.getvalue()

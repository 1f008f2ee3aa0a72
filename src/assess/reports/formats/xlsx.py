"""The Excel workbook: a report an officer can read, fill in and give back.

Sheets: Summary (score, band, both delivery confidence ratings, dimension and
business-case scores with a native bar chart), Answers (one row per readiness
criterion: its level, with a drop-down of 0–4 and N/A where the bank allows
it, its evidence and any not-applicable reason), Gaps and plan (each gap and
plan entry: action, owner, due date as a real date, status with a drop-down),
Survey (each answer beside the chief executives' figures) and Rules. The
cells that are read back are yellow and unlocked; every other cell is locked
(sheet protection without a password: it stops slips, not people).

Text is never a formula: every text cell is neutralised as in the CSV
(`escape.csv_cell`, a leading apostrophe before = + - @) and stored as a
string, so a note reading `=HYPERLINK(...)` is text in any spreadsheet.
There are no macros. A very hidden sheet records the workbook's format
version, the assessment's id and revision, the bank's id, version and hash,
the report date and the marking: `reports/workbook.py` reads an edited
workbook back against exactly that.

The layout (which sheet, row and column holds what) is made here once, as
`WorkbookPlan`; the reader rebuilds it from the recorded assessment to tell
what the officer changed.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from assess.domain.plan import STATUSES
from assess.domain.rules import RULES_VERSION
from assess.domain.scoring import round_score
from assess.reports.escape import csv_cell, printable
from assess.reports.layout import GAP_POINTS_EXPLAINED, stage_text
from assess.reports.model import Report

if TYPE_CHECKING:
    from assess.domain.compare import Comparison

FORMAT = "assess-workbook"
FORMAT_VERSION = 1
META_SHEET = "assess"
NA = "N/A"
LEVELS = ("0", "1", "2", "3", "4")

SUMMARY, ANSWERS, PLAN, SURVEY, RULES = "Summary", "Answers", "Gaps and plan", "Survey", "Rules"
# (heading, width): the columns of the Answers sheet, in order.
ANSWER_COLUMNS = (
    ("Id", 16),
    ("Criterion", 60),
    ("Dimension", 26),
    ("From stage", 10),
    ("Level", 8),
    ("Level means", 20),
    ("Target", 8),
    ("Gap points", 10),
    ("Critical", 9),
    ("Evidence", 60),
    ("Not applicable because", 40),
)
# The columns read back, and the answer field each holds.
ANSWER_FIELDS = {"Level": "level", "Evidence": "evidence", "Not applicable because": "na"}
PLAN_COLUMNS = (
    ("Id", 16),
    ("Criterion", 50),
    ("Gap points", 10),
    ("Action", 60),
    ("Owner", 22),
    ("Due", 12),
    ("Status", 13),
    ("Reason (if dropped)", 30),
    ("Note", 40),
)
PLAN_FIELDS = {
    "Action": "action",
    "Owner": "owner",
    "Due": "due",
    "Status": "status",
    "Reason (if dropped)": "reason",
    "Note": "note",
}
PERIOD_LABEL = "Period"

EDITABLE = PatternFill("solid", fgColor="FFF2CC")
HEADER = PatternFill("solid", fgColor="D9D9D9")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TEXT_FORMAT = "@"  # Excel keeps what is typed in the cell as text ("2026/27" stays so)


def cell_value(value: Any) -> Any:
    """A value as the workbook holds it: text neutralised and made printable, else as is."""
    if isinstance(value, str):
        return printable(str(csv_cell(value)))
    return value


@dataclass
class SheetPlan:
    """One sheet: its rows of values, which cells are read back, its column widths."""

    title: str
    rows: list[list[Any]] = field(default_factory=list)
    widths: Sequence[int] = ()
    header_rows: int = 0  # rows frozen at the top (a table's heading)
    editable: set[tuple[int, int]] = field(default_factory=set)  # (row, column), from 1
    # Number formats of cells that need one (an editable cell is text unless given one).
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    wrap: bool = True

    def add(self, *values: Any) -> int:
        """Append a row; its number."""
        self.rows.append(list(values))
        return len(self.rows)


@dataclass(frozen=True)
class ChartPlan:
    """A native chart of a table on a sheet: rows `first` (headings) to `last`."""

    sheet: str
    title: str
    kind: str  # "bar" (one bar per row, a series per column) or "line" (a line per row)
    first: int
    last: int
    columns: int  # how many columns of figures, after the label column
    anchor: str


@dataclass
class WorkbookPlan:
    """The whole workbook before it is written, and what the reader compares with."""

    sheets: list[SheetPlan]
    meta: dict[str, str]
    levels_na: list[str] = field(default_factory=list)  # Answers cells taking 0–4 or N/A
    levels: list[str] = field(default_factory=list)  # Answers cells taking 0–4 only
    statuses: list[str] = field(default_factory=list)
    due: list[str] = field(default_factory=list)
    charts: list[ChartPlan] = field(default_factory=list)

    def sheet(self, title: str) -> SheetPlan:
        return next(s for s in self.sheets if s.title == title)


# ----------------------------------------------------------------------------
# The report's workbook


def report_plan(report: Report, *, marking: str = "") -> WorkbookPlan:
    """The layout of the report's workbook (what `report_workbook` writes)."""
    meta = {
        "format": FORMAT,
        "format_version": str(FORMAT_VERSION),
        "kind": "report",
        "assessment_id": report.meta.assessment_id,
        "revision": "" if report.meta.revision is None else str(report.meta.revision),
        "bank_id": report.bank.id,
        "bank_version": report.bank.version,
        "bank_hash": report.bank.content_hash,
        "rules_version": str(RULES_VERSION),
        "report_date": report.meta.date,
        "marking": marking,
    }
    plan = WorkbookPlan(sheets=[], meta=meta)
    plan.sheets.append(_summary(report, marking, plan))
    plan.sheets.append(_answers(report, plan))
    plan.sheets.append(_plan(report, plan))
    plan.sheets.append(_survey(report))
    plan.sheets.append(_rules(report))
    return plan


def _summary(report: Report, marking: str, plan: WorkbookPlan) -> SheetPlan:
    meta = report.meta
    sheet = SheetPlan(SUMMARY, widths=(34, 14, 16, 14, 60), wrap=False)
    if marking:
        sheet.add(marking)
    sheet.add(f"Readiness report: {meta.title}")
    sheet.add()
    facts = [("Authority", meta.authority), ("Service", meta.service), ("Assessor", meta.assessor)]
    for label, value in facts:
        sheet.add(label, value)
    period_row = sheet.add(PERIOD_LABEL, meta.period)
    sheet.editable.add((period_row, 2))
    sheet.add("Stage", stage_text(report.result.stage))
    sheet.add("Report date", meta.date)
    sheet.add()
    sheet.add("Readiness score (out of 100)", round_score(report.overall))
    sheet.add("Band", report.band)
    for cap in report.result.caps:
        sheet.add("Band capped by", cap.criterion.text)
    sheet.add("Delivery confidence (suggested by the rules)", report.confidence or "–")
    sheet.add("Delivery confidence (the officer's own)", meta.confidence or "not given")
    if meta.confidence_reason:
        sheet.add("Why", meta.confidence_reason)
    sheet.add(
        "Questions answered",
        f"{report.questions_answered} of {report.questions_shown}",
    )
    sheet.add()
    first = sheet.add("Dimension", "Score", "Weight", "Rated")
    for d in report.dimensions:
        sheet.add(d.title, round_score(d.score), d.weight, f"{d.answered} of {d.applicable}")
    last = len(sheet.rows)
    plan.charts.append(ChartPlan(SUMMARY, "Readiness by dimension", "bar", first, last, 1, "G3"))
    if report.cases:
        sheet.add()
        first = sheet.add("Business case", "Score", "Criteria")
        for c in report.cases:
            sheet.add(c.title, round_score(c.score), c.applicable)
        plan.charts.append(
            ChartPlan(
                SUMMARY, "Readiness by business case", "bar", first, len(sheet.rows), 1, "G24"
            )
        )
    sheet.add()
    sheet.add(
        "Scores are as exported. Change the yellow cells on the Answers and Gaps and plan "
        "sheets (and the period above), then read the workbook back with "
        f"assess answer {meta.assessment_id or 'ID'} --answers FILE.xlsx and export again."
    )
    return sheet


def _answers(report: Report, plan: WorkbookPlan) -> SheetPlan:
    sheet = SheetPlan(ANSWERS, widths=[w for _, w in ANSWER_COLUMNS], header_rows=1, editable=set())
    sheet.add(*(title for title, _ in ANSWER_COLUMNS))
    editable = [i for i, (title, _) in enumerate(ANSWER_COLUMNS, 1) if title in ANSWER_FIELDS]
    level_column = get_column_letter(_column(ANSWER_COLUMNS, "Level"))
    for c in report.criteria:
        if c.na_reason is not None:
            level: Any = NA
        else:
            level = c.level if c.shown else None
        row = sheet.add(
            c.id,
            c.text,
            c.dimension_title,
            c.from_stage,
            level,
            c.level_label if c.level is not None else "",
            c.target,
            c.gap_points,
            "yes" if c.critical else "",
            c.evidence,
            c.na_reason or "",
        )
        sheet.editable.update((row, column) for column in editable)
        sheet.formats[(row, _column(ANSWER_COLUMNS, "Level"))] = "General"  # a level is a number
        (plan.levels_na if c.question.allow_na else plan.levels).append(f"{level_column}{row}")
    return sheet


def _plan(report: Report, plan: WorkbookPlan) -> SheetPlan:
    sheet = SheetPlan(PLAN, widths=[w for _, w in PLAN_COLUMNS], header_rows=1)
    sheet.add(*(title for title, _ in PLAN_COLUMNS))
    editable = [i for i, (title, _) in enumerate(PLAN_COLUMNS, 1) if title in PLAN_FIELDS]
    due_column = _column(PLAN_COLUMNS, "Due")
    status_column = get_column_letter(_column(PLAN_COLUMNS, "Status"))
    # Every gap, most urgent first, then the plan's other entries in the plan's order.
    criteria = {c.id: c for c in report.criteria}
    listed = [gap.id for gap in report.gaps]
    listed += [r.question.id for r in report.plan_rows if r.question.id not in listed]
    for qid in listed:
        criterion = criteria[qid]
        entry = report.plan_entry(qid)
        row = sheet.add(
            qid,
            criterion.text,
            criterion.gap_points,
            entry.action if entry else criterion.action,
            entry.owner if entry else "",
            entry.due if entry else None,
            entry.status if entry else "",
            entry.reason if entry else "",
            entry.note if entry else "",
        )
        sheet.editable.update((row, column) for column in editable)
        sheet.formats[(row, due_column)] = "yyyy-mm-dd"
        plan.statuses.append(f"{status_column}{row}")
        plan.due.append(f"{get_column_letter(due_column)}{row}")
    return sheet


def _survey(report: Report) -> SheetPlan:
    sheet = SheetPlan(SURVEY, widths=(16, 60, 40, 70), header_rows=1)
    sheet.add("Id", "Question", "Your answer", "How the chief executives answered (2019 survey)")
    for s in report.benchmark.survey:
        theirs = s.summary if s.has_figures else "The survey gives no figures for this question."
        sheet.add(s.question_id, s.text, s.answer_text or "not answered yet", theirs)
    sheet.add()
    sheet.add(
        "",
        "Survey answers are not read back from this workbook: change them in the app or in "
        "an answers file.",
    )
    return sheet


def _rules(report: Report) -> SheetPlan:
    sheet = SheetPlan(RULES, widths=(100,))
    sheet.add("How the score is worked out")
    sheet.add(report.rules)
    sheet.add(GAP_POINTS_EXPLAINED)
    sheet.add()
    sheet.add("Maturity levels")
    for level, described in sorted(report.bank.maturity_levels.items()):
        sheet.add(f"{level} – {described.label}: {described.descriptor}")
    sheet.add()
    sheet.add(
        "Only the yellow cells are read back. A level is 0 to 4, or N/A where the criterion "
        "allows it (then say why in 'Not applicable because'); a clear level, evidence and "
        "reason clears the answer. Plan statuses: " + ", ".join(STATUSES) + "."
    )
    return sheet


def _column(columns: Sequence[tuple[str, int]], title: str) -> int:
    return next(i for i, (name, _) in enumerate(columns, 1) if name == title)


def report_workbook(report: Report, *, marking: str = "") -> bytes:
    """The report's workbook, as the bytes of an .xlsx file."""
    return save(build(report_plan(report, marking=marking)), report.meta.date)


# ----------------------------------------------------------------------------
# A comparison's workbook


def comparison_plan(comparison: Comparison, *, date: str = "", marking: str = "") -> WorkbookPlan:
    """The layout of a comparison's workbook: scores side by side, changes, gaps."""
    from assess.reports.compare_layout import comparison_title, signed

    c = comparison
    meta = {
        "format": FORMAT,
        "format_version": str(FORMAT_VERSION),
        "kind": "comparison",
        "assessment_ids": " ".join(col.id for col in c.columns),
        "bank_id": c.bank.id,
        "report_date": date,
        "marking": marking,
    }
    plan = WorkbookPlan(sheets=[], meta=meta)
    labels = [col.label for col in c.columns]
    summary = SheetPlan(SUMMARY, widths=(34, *([16] * len(labels)), 12), header_rows=0)
    if marking:
        summary.add(marking)
    summary.add(comparison_title(c))
    summary.add("Compared", f"{len(labels)} assessments, {c.kind}")
    if date:
        summary.add("Date", date)
    summary.add()
    first = summary.add("Dimension", *labels, "Change")
    for row in (c.overall_row, *c.dimensions):
        summary.add(row.title, *(round_score(s) for s in row.scores), signed(row.change) or "–")
    last = len(summary.rows)
    summary.add("Band", *(col.result.band for col in c.columns))
    summary.add("Gap points", *(col.gap_points for col in c.columns))
    kind = "line" if c.kind == "over time" else "bar"
    anchor = f"A{last + 4}"
    plan.charts.append(
        ChartPlan(SUMMARY, "Readiness by dimension", kind, first, last, len(labels), anchor)
    )
    plan.sheets.append(summary)

    changes = SheetPlan("Changes", widths=(16, 60, *([30] * len(labels))), header_rows=1)
    changes.add("Id", "Question", *labels)
    from assess.reports.compare_layout import answer_words

    for change in c.changes:
        changes.add(
            change.question.id,
            change.question.text,
            *(answer_words(c, change, i) for i in range(len(labels))),
        )
    plan.sheets.append(changes)

    gaps = SheetPlan("Gaps", widths=(12, 16, 60, 12, 12, 14, 14), header_rows=1)
    gaps.add(
        "Gap", "Id", "Criterion", "Level before", "Level after", "Points before", "Points after"
    )
    for what, found in (
        ("closed", c.gaps_closed),
        ("opened", c.gaps_opened),
        ("persisting", c.gaps_persisting),
    ):
        for g in found:
            gaps.add(
                what,
                g.question.id,
                g.question.text,
                g.level_before,
                g.level_after,
                g.points_before,
                g.points_after,
            )
    plan.sheets.append(gaps)
    rules = SheetPlan(RULES, widths=(100,))
    rules.add("How the comparison is worked out")
    rules.add(c.rules)
    plan.sheets.append(rules)
    return plan


def comparison_workbook(comparison: Comparison, *, date: str = "", marking: str = "") -> bytes:
    return save(build(comparison_plan(comparison, date=date, marking=marking)), date)


# ----------------------------------------------------------------------------
# Writing


def build(plan: WorkbookPlan) -> Workbook:
    """The plan as an openpyxl workbook (not yet saved)."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    marking = plan.meta.get("marking", "")
    for sheet_plan in plan.sheets:
        _write_sheet(book.create_sheet(sheet_plan.title), sheet_plan, marking)
    if plan.levels or plan.levels_na:
        answers = book[ANSWERS]
        _validation(answers, plan.levels, list(LEVELS), "a level from 0 to 4")
        _validation(answers, plan.levels_na, [*LEVELS, NA], "a level from 0 to 4, or N/A")
    if plan.statuses:
        _validation(book[PLAN], plan.statuses, list(STATUSES), "one of the four statuses")
        due = DataValidation(
            type="date",
            operator="greaterThan",
            formula1="1",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Not a date",
            error="Type the due date as a date, such as 2027-03-31.",
        )
        book[PLAN].add_data_validation(due)
        for ref in plan.due:
            due.add(ref)
    for chart in plan.charts:
        _chart(book[chart.sheet], chart)
    meta = book.create_sheet(META_SHEET)
    for key, value in plan.meta.items():
        meta.append([key, printable(value)])
        meta.cell(meta.max_row, 2).data_type = "s"
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    return book


def _write_sheet(ws: Worksheet, plan: SheetPlan, marking: str) -> None:
    for r, values in enumerate(plan.rows, 1):
        for c, value in enumerate(values, 1):
            if (value is None or value == "") and (r, c) not in plan.editable:
                continue
            cell = ws.cell(r, c)
            if value is not None and value != "":
                cell.value = cell_value(value)
            if isinstance(value, str) and value:
                cell.data_type = "s"  # never a formula, whatever the text starts with
            if (r, c) in plan.editable:
                cell.fill = EDITABLE
                cell.protection = Protection(locked=False)
                cell.number_format = plan.formats.get((r, c), TEXT_FORMAT)
            if plan.wrap and isinstance(value, str):
                cell.alignment = WRAP
            if r <= plan.header_rows:
                cell.font = BOLD
                cell.fill = HEADER
    if plan.title == SUMMARY:
        for r, values in enumerate(plan.rows, 1):
            if values and len(values) >= 2 and isinstance(values[0], str):
                ws.cell(r, 1).font = BOLD
        ws.cell(1, 1).font = Font(bold=True, size=14)
    for c, width in enumerate(plan.widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    if plan.header_rows:
        # The heading stays in view; on Answers the id and criterion columns do too.
        column = "C" if plan.title == ANSWERS else "A"
        ws.freeze_panes = f"{column}{plan.header_rows + 1}"
        ws.auto_filter.ref = ws.dimensions
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # officers may still widen columns and rows
    ws.protection.formatRows = False
    _page_setup(ws, marking)
    if plan.header_rows:
        ws.print_title_rows = f"1:{plan.header_rows}"


def _page_setup(ws: Worksheet, marking: str) -> None:
    """A4 landscape, one page wide, the marking (plain words: no & codes) and page numbers."""
    from openpyxl.worksheet.header_footer import HeaderFooterItem
    from openpyxl.worksheet.properties import PageSetupProperties

    header, footer = HeaderFooterItem(), HeaderFooterItem()
    if marking:
        header.center.text = marking
        footer.center.text = marking
    footer.right.text = "Page &P of &N"
    ws.oddHeader, ws.oddFooter = header, footer
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _validation(ws: Worksheet, refs: list[str], choices: list[str], what: str) -> None:
    if not refs:
        return
    listed = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not one of the choices",
        error=f"Choose {what} from the list.",
    )
    ws.add_data_validation(listed)
    for ref in refs:
        listed.add(ref)


def _chart(ws: Worksheet, plan: ChartPlan) -> None:
    chart: BarChart | LineChart
    figures = plan.columns + 1
    if plan.kind == "line":
        chart = LineChart()  # a line per row (dimension) across the columns (assessments)
        data = Reference(ws, min_col=1, max_col=figures, min_row=plan.first + 1, max_row=plan.last)
        chart.add_data(data, titles_from_data=True, from_rows=True)
        chart.set_categories(Reference(ws, min_col=2, max_col=figures, min_row=plan.first))
    else:
        chart = BarChart()
        chart.type = "bar"
        data = Reference(ws, min_col=2, max_col=figures, min_row=plan.first, max_row=plan.last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=plan.first + 1, max_row=plan.last))
        chart.x_axis.scaling.orientation = "maxMin"  # the first row at the top
    chart.title = plan.title
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.height = max(7.5, 0.6 * (plan.last - plan.first) + 3)
    chart.width = 18
    ws.add_chart(chart, plan.anchor)


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def save(book: Workbook, date: str = "") -> bytes:
    """The workbook's bytes, the same every time for the same content.

    The workbook's own created and modified times, and each zip member's
    time, are set to the report's date (or 1980-01-01, the zip format's
    earliest, when it has none) rather than the moment of saving, so that an
    export from the app and one from the command line are byte for byte
    the same file.
    """
    try:
        when = datetime.datetime.fromisoformat(date) if date else datetime.datetime(1980, 1, 1)
    except ValueError:
        when = datetime.datetime(1980, 1, 1)
    book.properties.created = when
    book.properties.modified = when
    first = io.BytesIO()
    book.save(first)
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(first) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = member.external_attr
            data = source.read(member.filename)
            if member.filename == "docProps/core.xml":
                # openpyxl stamps the moment of saving here, whatever it was told.
                stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            target.writestr(info, data)
    return fixed.getvalue()


def as_date(value: Any) -> datetime.date | None:
    """A cell's date (openpyxl reads one as a datetime at midnight)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None

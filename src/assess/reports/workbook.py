"""Reading back an exported workbook after an officer has filled it in.

`read_workbook` turns the yellow cells of a workbook made by `formats/xlsx.py`
into a `ParsedFile` of the answers-file shape (`{answers: ..., plan: ...,
period: ...}`) whose places are cells (`Answers!E14`), so the same checks as
for an answers file (`domain.answers_file.answers_from_parsed`) name every bad
cell. Nothing here saves anything.

Against a saved assessment (`assess answer ID --answers FILE.xlsx`) only what
the officer changed counts: the workbook is rebuilt exactly as it was
exported, from the assessment and the report date and marking recorded in
the workbook's hidden sheet, and each cell is compared with its rebuilt
twin. A changed cell that is not read back (a target, a score, a survey
answer) is refused by name rather than silently dropped. A workbook made for
another assessment, on another bank or bank version, or before the
assessment last changed, is refused with one line saying so. For a new
assessment (`assess new --answers FILE.xlsx`) every filled-in yellow cell
counts.

Workbooks are untrusted files: their size and the size they unpack to are
capped before openpyxl opens them (which reads the XML through defusedxml).
"""

from __future__ import annotations

import datetime
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assess.domain.errors import AnswersError, BadInput
from assess.domain.safejson import ParsedFile
from assess.reports.escape import FORMULA_STARTS
from assess.reports.formats.xlsx import (
    ANSWER_COLUMNS,
    ANSWER_FIELDS,
    ANSWERS,
    FORMAT,
    FORMAT_VERSION,
    META_SHEET,
    NA,
    PERIOD_LABEL,
    PLAN,
    PLAN_COLUMNS,
    PLAN_FIELDS,
    SUMMARY,
    WorkbookPlan,
    as_date,
    build,
    cell_value,
    report_plan,
)

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from assess.domain.assessment import Assessment
    from assess.domain.bank import Bank

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a zip bomb unpacks to far more
_LEVEL_WITH_LABEL = re.compile(r"([0-4])(\s*[–-].*)?")

# A field of one row: (sheet, question id, field) -> (cell value, cell name)
Cells = dict[tuple[str, str, str], tuple[Any, str]]


def is_workbook(path: Path) -> bool:
    """Whether `path` names an Excel workbook (by its suffix, as officers name files)."""
    return Path(path).suffix.lower() in (".xlsx", ".xlsm")


def read_workbook(path: Path, bank: Bank, assessment: Assessment | None = None) -> ParsedFile:
    """The officer's entries in an exported workbook, in the shape of an answers file.

    With `assessment`, only what changed since the workbook was exported from it;
    without, every filled-in cell that is read back (for a new assessment on `bank`).
    """
    source = str(path)
    book = _open(Path(path))
    meta = _meta(book, source)
    _check_identity(meta, bank, assessment, source)
    found, problems = _entries(book, source)
    if assessment is not None:
        rebuilt = _rebuilt(assessment, meta)
        baseline, _ = _entries(build(rebuilt), source)
        problems += _locked_changes(book, build(rebuilt), found, source)
    else:
        # A gap's row offers the bank's recommended action before anyone has planned it.
        baseline = {
            key: (cell_value(question.action), "")
            for key in found
            if key[0] == PLAN
            and key[2] == "action"
            and (question := bank.question(key[1])) is not None
        }
    if problems:
        raise AnswersError(
            f"{len(problems)} cell{'s' if len(problems) != 1 else ''} in {source} cannot "
            "be read back; nothing was saved",
            problems,
        )
    return _as_parsed(found, baseline, source)


def _open(path: Path) -> Workbook:
    from openpyxl import load_workbook

    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise BadInput(f"{path}: no such workbook") from None
    except OSError as exc:
        raise BadInput(f"{path}: cannot read the workbook: {exc.strerror or exc}") from None
    if path.is_dir():
        raise BadInput(f"{path}: is a folder, not a workbook")
    if size > MAX_WORKBOOK_BYTES:
        raise BadInput(f"{path}: the workbook is larger than 20 MB; refusing to read it")
    not_ours = (
        f"{path}: not an Excel workbook that assess can read; export one with "
        "assess report ID --format xlsx -o FILE.xlsx"
    )
    try:
        with zipfile.ZipFile(path) as archive:
            if sum(item.file_size for item in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise BadInput(f"{path}: the workbook unpacks to more than 200 MB; refusing it")
        return load_workbook(path, data_only=False, keep_links=False)
    except BadInput:
        raise
    except OSError as exc:
        raise BadInput(f"{path}: cannot read the workbook: {exc.strerror or exc}") from None
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise BadInput(not_ours) from None


def _meta(book: Workbook, source: str) -> dict[str, str]:
    if META_SHEET not in book.sheetnames:
        raise BadInput(
            f"{source}: this workbook was not exported by assess (it has no record of the "
            "assessment it belongs to); export one with assess report ID --format xlsx"
        )
    sheet = book[META_SHEET]
    meta = {
        str(key): "" if value is None else str(value)
        for key, value in sheet.iter_rows(min_col=1, max_col=2, values_only=True)
        if key is not None
    }
    if meta.get("format") != FORMAT:
        raise BadInput(f"{source}: this workbook was not exported by assess")
    if meta.get("kind") != "report":
        raise BadInput(
            f"{source}: this workbook is a comparison of assessments; only a report's "
            "workbook can be read back (assess report ID --format xlsx)"
        )
    if meta.get("format_version") != str(FORMAT_VERSION):
        raise BadInput(
            f"{source}: this workbook is in format version {meta.get('format_version')!r}, "
            f"and this version of assess reads version {FORMAT_VERSION}; export it again"
        )
    return meta


def _check_identity(
    meta: dict[str, str], bank: Bank, assessment: Assessment | None, source: str
) -> None:
    if assessment is not None and meta.get("assessment_id") != assessment.id:
        raise BadInput(
            f"{source}: this workbook was exported for assessment "
            f"{meta.get('assessment_id') or '(none)'}, not {assessment.id} "
            f"({assessment.title}); nothing was saved"
        )
    made_on = f"{meta.get('bank_id')} {meta.get('bank_version')}"
    if (meta.get("bank_id"), meta.get("bank_version")) != (bank.id, bank.version):
        raise BadInput(
            f"{source}: this workbook was made with question bank {made_on}, not "
            f"{bank.id} {bank.version}; its cells would not mean the same thing, so "
            "nothing was saved"
        )
    if meta.get("bank_hash") != bank.content_hash:
        raise BadInput(
            f"{source}: this workbook was made with a different copy of question bank "
            f"{made_on} (its content differs); nothing was saved"
        )
    if assessment is not None and meta.get("revision") != str(assessment.revision):
        raise BadInput(
            f"{source}: the assessment has changed since this workbook was exported "
            f"(revision {meta.get('revision')}, now {assessment.revision}, last changed "
            f"{assessment.updated}); export a fresh workbook and make the changes in it, "
            "so no one's work is overwritten; nothing was saved"
        )


def _rebuilt(assessment: Assessment, meta: dict[str, str]) -> WorkbookPlan:
    from assess.reports.model import report_for

    report = report_for(assessment, meta.get("report_date", ""))
    return report_plan(report, marking=meta.get("marking", ""))


def _headings(sheet: Worksheet) -> dict[str, int]:
    return {
        str(cell.value): cell.column
        for cell in next(sheet.iter_rows(min_row=1, max_row=1))
        if cell.value is not None
    }


def _entries(book: Workbook, source: str) -> tuple[Cells, list[str]]:
    """Every read-back cell by (sheet, question id, field), and cells that cannot be read."""
    found: Cells = {}
    problems: list[str] = []
    for title, columns, fields in (
        (ANSWERS, ANSWER_COLUMNS, ANSWER_FIELDS),
        (PLAN, PLAN_COLUMNS, PLAN_FIELDS),
    ):
        if title not in book.sheetnames:
            problems.append(f"{source}: the sheet {title!r} is missing")
            continue
        sheet = book[title]
        headings = _headings(sheet)
        missing = [name for name, _ in columns if name not in headings]
        if missing:
            problems.append(f"{source}, {title}!1: the column {missing[0]!r} is missing")
            continue
        id_column = headings["Id"]
        seen: dict[str, str] = {}
        for row in sheet.iter_rows(min_row=2):
            qid_cell = row[id_column - 1]
            if qid_cell.value is None or str(qid_cell.value).strip() == "":
                continue
            qid = str(qid_cell.value).strip()
            if qid in seen:
                problems.append(
                    f"{source}, {title}!{qid_cell.coordinate}: {qid} is listed twice "
                    f"(also at {seen[qid]})"
                )
                continue
            seen[qid] = f"{title}!{qid_cell.coordinate}"
            for heading, name in fields.items():
                cell = row[headings[heading] - 1]
                place = f"{title}!{cell.coordinate}"
                if cell.data_type == "f":
                    problems.append(
                        f"{source}, {place}: this cell holds a formula; type the value itself"
                    )
                elif cell.data_type == "e":
                    problems.append(f"{source}, {place}: this cell holds an error value")
                found[(title, qid, name)] = (cell.value, place)
    if SUMMARY in book.sheetnames:
        for row in book[SUMMARY].iter_rows(min_row=1, max_col=2):
            if row[0].value == PERIOD_LABEL:
                found[(SUMMARY, "", "period")] = (row[1].value, f"{SUMMARY}!{row[1].coordinate}")
                break
    return found, problems


def _locked_changes(book: Workbook, rebuilt: Workbook, found: Cells, source: str) -> list[str]:
    """Cells that differ from the workbook as exported but are not read back."""
    read_back = {place for _, place in found.values()}
    problems: list[str] = []
    for sheet in rebuilt.worksheets:
        if sheet.title == META_SHEET:
            continue
        if sheet.title not in book.sheetnames:
            problems.append(f"{source}: the sheet {sheet.title!r} is missing")
            continue
        theirs = book[sheet.title]
        rows = max(sheet.max_row, theirs.max_row)
        columns = max(sheet.max_column, theirs.max_column)
        for r in range(1, rows + 1):
            for c in range(1, columns + 1):
                mine, given = sheet.cell(r, c), theirs.cell(r, c)
                place = f"{sheet.title}!{given.coordinate}"
                if place in read_back or _same(mine.value, given.value):
                    continue
                problems.append(
                    f"{source}, {place}: this cell was changed, but only the yellow cells are "
                    "read back; undo the change (or make it in the app)"
                )
                if len(problems) >= 20:
                    return problems
    return problems


def _same(a: Any, b: Any) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, datetime.date) or isinstance(b, datetime.date):
        return as_date(a) == as_date(b)
    return bool(a == b)


def _as_parsed(found: Cells, baseline: Cells, source: str) -> ParsedFile:
    """The changed entries as an answers file, each placed at its first changed cell."""
    data: dict[str, Any] = {}
    places: dict[tuple[str | int, ...], str] = {}

    def changed(key: tuple[str, str, str]) -> bool:
        before = baseline.get(key, (None, ""))[0]
        return not _same(before, found[key][0])

    answers: dict[str, Any] = {}
    plan: dict[str, dict[str, Any]] = {}
    ids = dict.fromkeys(qid for (_, qid, _) in found if qid)
    for qid in ids:
        keys = [(ANSWERS, qid, name) for name in ANSWER_FIELDS.values()]
        keys = [k for k in keys if k in found]
        moved = [k for k in keys if changed(k)]
        if moved:
            answers[qid] = _answer({k[2]: found[k][0] for k in keys})
            places[("answers", qid)] = found[moved[0]][1]
        plan_keys = [(PLAN, qid, name) for name in PLAN_FIELDS.values()]
        moved = [k for k in plan_keys if k in found and changed(k)]
        if moved:
            plan[qid] = {k[2]: _plan_value(k[2], found[k][0]) for k in moved}
            places[("plan", qid)] = found[moved[0]][1]
    period_key = (SUMMARY, "", "period")
    if period_key in found and changed(period_key):
        data["period"] = _text(found[period_key][0])
        places[("period",)] = found[period_key][1]
    data["answers"] = answers
    if plan:
        data["plan"] = plan
    places[("answers",)] = ANSWERS
    return ParsedFile(value=data, source=source, places=places)


def _text(value: Any) -> str | None:
    """A text cell as the officer meant it: the export's leading apostrophe taken off."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime | datetime.date):
        return as_date(value).isoformat()  # type: ignore[union-attr]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    return text if text.strip() else None


def _level(value: Any) -> Any:
    """A level cell: 0–4 (typed as a number, as text or as "3 – Largely in place"), N/A,
    or whatever else was typed (the answer checks then say why it is not a level)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        typed = value.strip()
        if not typed:
            return None
        if typed.upper() in (NA, "NA", "N.A."):
            return NA
        match = _LEVEL_WITH_LABEL.fullmatch(typed)
        if match:
            return int(match.group(1))
    return value


def _answer(fields: dict[str, Any]) -> Any:
    """One criterion's row as an answer value: None clears it."""
    level = _level(fields.get("level"))
    evidence = _text(fields.get("evidence"))
    reason = _text(fields.get("na"))
    if level is None and evidence is None and reason is None:
        return None
    raw: dict[str, Any] = {}
    if level == NA:
        raw["na"] = reason or ""
    else:
        if level is not None:
            raw["level"] = level
        if reason is not None:
            raw["na"] = reason
    if evidence is not None:
        raw["evidence"] = evidence
    return raw


def _plan_value(name: str, value: Any) -> Any:
    if name == "due":
        found = as_date(value)
        return found.isoformat() if found is not None else _text(value)
    return _text(value)

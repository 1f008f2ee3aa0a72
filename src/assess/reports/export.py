"""One export function: a report or a comparison, in one format, as a file's bytes.

The command line (`-o FILE`) and every export in the app (results, compare)
call `export`, so the same assessment in the same format always gives the
same file: the same rendering (80 columns, no colour for a file), the same
encoding, and the same byte-order mark at the start of a CSV file (it tells
Excel the file is UTF-8, so dashes and accents survive). The Excel workbook
and the PDF are made here too, as bytes; they are files, never screen text.

Two options shape a printed report: the committee view (a one-page
executive summary first, identifiers in an appendix) and a protective
marking such as OFFICIAL-SENSITIVE on every page. `check_options` says which
formats take them, in words an officer can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from assess.domain.errors import BadInput
from assess.reports.model import Report
from assess.store import write_output

if TYPE_CHECKING:
    from assess.domain.compare import Comparison
    from assess.reports.plan_view import PlanView

FILE_WIDTH = 80  # a text report in a file reads the same in any editor or printout


@dataclass(frozen=True)
class Format:
    """A report format as officers choose it: its key, its name in words, its file suffix."""

    key: str
    label: str
    suffix: str
    binary: bool = False  # a file only (a workbook, a PDF), never shown on a screen


FORMATS: tuple[Format, ...] = (
    Format("text", "Plain text", ".txt"),
    Format("markdown", "Markdown", ".md"),
    Format("html", "Web page (HTML)", ".html"),
    Format("json", "JSON (for other programs)", ".json"),
    Format("csv", "Spreadsheet (CSV)", ".csv"),
    Format("xlsx", "Excel workbook (can be filled in and read back)", ".xlsx", binary=True),
    Format("pdf", "PDF (A4, for committee papers)", ".pdf", binary=True),
)
FORMAT_KEYS: tuple[str, ...] = tuple(f.key for f in FORMATS)
COMMITTEE_FORMATS = ("text", "markdown", "html", "pdf")
MARKING_FORMATS = ("text", "markdown", "html", "pdf", "xlsx")

# UK government security classifications and their descriptors are a few words
# in capitals (OFFICIAL, OFFICIAL-SENSITIVE, OFFICIAL-SENSITIVE COMMERCIAL).
# Plain words only: the marking goes into page headers, style sheets and
# spreadsheet headers, each of which gives other characters a meaning.
_MARKING = re.compile(r"[A-Za-z0-9][A-Za-z0-9 /-]{0,59}")


class NotForScreen(BadInput):
    """A workbook or PDF asked for on the screen: it has to go to a file."""


def format_named(key: str) -> Format:
    """The format with this key (ValueError for one we do not make)."""
    for candidate in FORMATS:
        if candidate.key == key:
            return candidate
    raise ValueError(f"unknown report format {key!r}")


def check_marking(marking: str) -> str:
    """A protective marking as given, checked: a few plain words, or "" for none."""
    marking = " ".join(marking.split())
    if marking and not _MARKING.fullmatch(marking):
        raise BadInput(
            f"the protective marking {marking[:40]!r} is not a few plain words; use letters, "
            "digits, spaces, hyphens or slashes, up to 60 characters (e.g. OFFICIAL-SENSITIVE)"
        )
    return marking


def _is_plan(subject: Report | Comparison | PlanView) -> bool:
    """Whether the subject is an action plan on its own.

    A report is known without the plan view's module, which a report never
    needs: `assess report` is then spared importing it.
    """
    if isinstance(subject, Report):
        return False
    from assess.reports.plan_view import PlanView

    return isinstance(subject, PlanView)


def check_options(
    subject: Report | Comparison | PlanView,
    fmt: str,
    *,
    committee: bool = False,
    marking: str = "",
) -> str:
    """Refuse an option the format (or a comparison) does not take; the checked marking."""
    chosen = format_named(fmt)
    marking = check_marking(marking)
    if _is_plan(subject) and (chosen.binary or marking):
        raise BadInput(
            "the action plan on its own comes as text, Markdown, HTML, JSON or CSV; for a "
            "workbook or a PDF with the plan in it, export the report (assess report ID "
            "--format xlsx or pdf)"
        )
    if committee and not isinstance(subject, Report):
        raise BadInput(
            "the committee view is for the report on one assessment; a comparison is "
            "already laid out for reading (use assess report ID --committee)"
        )
    if committee and fmt not in COMMITTEE_FORMATS:
        raise BadInput(
            f"the committee view is a printed report; use --format with one of "
            f"{', '.join(COMMITTEE_FORMATS)}, not {fmt}"
        )
    if marking and fmt not in MARKING_FORMATS:
        raise BadInput(
            f"a {fmt} file has no page to carry a protective marking; use --format with one "
            f"of {', '.join(MARKING_FORMATS)}"
        )
    return marking


def render_text(
    subject: Report | Comparison | PlanView,
    fmt: str,
    *,
    width: int = FILE_WIDTH,
    color: bool = False,
    date: str = "",
    committee: bool = False,
    marking: str = "",
) -> str:
    """The subject in format `fmt`, as text for a screen (no byte-order mark).

    `date` is the day a comparison is made (a report carries its own date).
    """
    from assess.reports import render, render_comparison

    chosen = format_named(fmt)
    if chosen.binary:
        raise NotForScreen(
            f"{'an' if chosen.label[0] in 'AEIOU' else 'a'} {chosen.label.split(' (')[0]} "
            f"is a file, not text for the screen; give -o FILE{chosen.suffix} to write it"
        )
    marking = check_options(subject, fmt, committee=committee, marking=marking)
    if isinstance(subject, Report):
        return render(subject, fmt, width=width, color=color, committee=committee, marking=marking)
    if _is_plan(subject):
        from assess.reports.plan_view import render_plan

        return render_plan(cast("PlanView", subject), fmt, width=width, color=color)
    comparison = cast("Comparison", subject)
    return render_comparison(comparison, fmt, width=width, color=color, date=date, marking=marking)


def file_bytes(
    subject: Report | Comparison | PlanView,
    fmt: str,
    *,
    date: str = "",
    committee: bool = False,
    marking: str = "",
) -> bytes:
    """Exactly what an exported file holds."""
    # A plan on its own is refused a binary format (check_options): text only.
    marking = check_options(subject, fmt, committee=committee, marking=marking)
    if fmt == "xlsx" and not _is_plan(subject):
        from assess.reports.formats import xlsx

        if isinstance(subject, Report):
            return xlsx.report_workbook(subject, marking=marking)
        return xlsx.comparison_workbook(cast("Comparison", subject), date=date, marking=marking)
    if fmt == "pdf" and not _is_plan(subject):
        from assess.reports.formats import pdf

        if isinstance(subject, Report):
            return pdf.render_report(subject, committee=committee, marking=marking)
        return pdf.render_comparison(cast("Comparison", subject), date=date, marking=marking)
    text = render_text(subject, fmt, date=date, committee=committee, marking=marking)
    if fmt == "csv":
        text = "\ufeff" + text
    if not text.endswith("\n"):
        text += "\n"
    return text.encode("utf-8")


def export(
    subject: Report | Comparison | PlanView,
    fmt: str,
    path: Path,
    *,
    date: str = "",
    committee: bool = False,
    marking: str = "",
) -> Path:
    """Write the subject to `path` in format `fmt` (atomically: never half a file).

    A device or FIFO named is written to directly and a symbolic link followed
    (`assess.store.write_output`); only a regular file is ever replaced.
    """
    path = Path(path).expanduser()
    data = file_bytes(subject, fmt, date=date, committee=committee, marking=marking)
    write_output(path, data)
    return path

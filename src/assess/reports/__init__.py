"""Readiness reports in the formats officers and their leadership use.

`build_report` (in `model.py`) works out every figure once; one small module
per format lays it out: `to_text` (Rich, for the terminal), `to_markdown`,
`to_html` (self-contained, printable), `to_json` (every figure, exact
fractions too) and `to_csv` (one row per question); the Excel workbook and
the PDF are files rather than text, made by `export.file_bytes`. The printed
formats share the `Document` blocks in `document.py`: the report
(`layout.py`), its committee view (`committee.py`) and comparisons
(`compare_layout.py`) are each written once as a Document. Renderer modules
are imported only when used, so a JSON report never imports Rich.

Comparisons of assessments (`assess.domain.compare`) come out in the same
formats through `render_comparison`: `compare_layout` writes the Document the
text, Markdown and HTML renderers draw, and `compare_json` and `compare_csv`
read the comparison directly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from assess.reports.model import Report, ReportMeta, build_report

if TYPE_CHECKING:
    from assess.domain.compare import Comparison
    from assess.reports.document import Document

FORMATS: dict[str, str] = {
    "text": "assess.reports.formats.text",
    "markdown": "assess.reports.formats.markdown",
    "html": "assess.reports.formats.html",
    "json": "assess.reports.formats.json",
    "csv": "assess.reports.formats.csv",
}


def render_document(document: Document, fmt: str, *, width: int = 80, color: bool = False) -> str:
    """Any report Document in a printed format (text, markdown or html)."""
    if fmt not in ("text", "markdown", "html"):
        raise ValueError(f"{fmt!r} is not a printed format")
    module = importlib.import_module(FORMATS[fmt])
    if fmt == "text":
        return str(module.render_document(document, width=width, color=color))
    return str(module.render_document(document))


def report_layout(report: Report, *, committee: bool = False) -> Document:
    """The report's Document: the full report, or its committee view."""
    if committee:
        from assess.reports.committee import committee_document

        return committee_document(report)
    from assess.reports.layout import report_document

    return report_document(report)


def render(
    report: Report,
    fmt: str,
    *,
    width: int = 80,
    color: bool = False,
    committee: bool = False,
    marking: str = "",
) -> str:
    """The report in format `fmt` (one of FORMATS); the committee view and a protective
    marking apply to the printed formats (text, Markdown, HTML)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}")
    module = importlib.import_module(FORMATS[fmt])
    if fmt in ("json", "csv"):
        return module.render(report)
    return draw(report_layout(report, committee=committee), fmt, width, color, marking)


def draw(document: Document, fmt: str, width: int, color: bool, marking: str) -> str:
    """A Document in one of the printed formats (text, markdown, html)."""
    module = importlib.import_module(FORMATS[fmt])
    if fmt == "text":
        return module.render_document(document, width=width, color=color, marking=marking)
    return module.render_document(document, marking=marking)


# Assessments side by side in one table of a printed comparison before it is
# split: a terminal 80 columns wide holds a dimension title, four scores with
# their changes and the trend; Markdown and HTML pages can take more.
COMPARISON_COLUMNS = {"markdown": 8, "html": 8}


def comparison_columns(fmt: str, width: int) -> int:
    """How many assessments one printed table holds in format `fmt` at `width`."""
    if fmt == "text":
        return max(2, (max(40, width) - 36) // 11)
    return COMPARISON_COLUMNS.get(fmt, 8)


def render_comparison(
    comparison: Comparison,
    fmt: str,
    *,
    width: int = 80,
    color: bool = False,
    date: str = "",
    marking: str = "",
) -> str:
    """The comparison in format `fmt` (one of FORMATS)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}")
    if fmt == "json":
        from assess.reports.formats.compare_json import render as render_json

        return render_json(comparison, date=date)
    if fmt == "csv":
        from assess.reports.formats.compare_csv import render as render_csv

        return render_csv(comparison)
    from assess.reports.compare_layout import comparison_document

    document = comparison_document(
        comparison,
        date=date,
        max_columns=comparison_columns(fmt, width),
        width=width if fmt == "text" else None,
    )
    return draw(document, fmt, width, color, marking)


__all__ = [
    "FORMATS",
    "Report",
    "ReportMeta",
    "build_report",
    "comparison_columns",
    "draw",
    "render",
    "render_comparison",
    "report_layout",
]

"""Readiness reports in the formats officers and their leadership use.

`build_report` (in `model.py`) works out every figure once; one small module
per format lays it out: `to_text` (Rich, for the terminal), `to_markdown`,
`to_html` (self-contained, printable), `to_json` (every figure, exact
fractions too) and `to_csv` (one row per question). The printed formats share
the `Document` blocks in `document.py`, so other reports (such as comparisons)
can reuse them. Renderer modules are imported only when used, so a JSON report
never imports Rich.
"""

from __future__ import annotations

import importlib

from assess.reports.model import Report, ReportMeta, build_report

FORMATS: dict[str, str] = {
    "text": "assess.reports.to_text",
    "markdown": "assess.reports.to_markdown",
    "html": "assess.reports.to_html",
    "json": "assess.reports.to_json",
    "csv": "assess.reports.to_csv",
}


def render(report: Report, fmt: str, *, width: int = 80, color: bool = False) -> str:
    """The report in format `fmt` (one of FORMATS)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}")
    module = importlib.import_module(FORMATS[fmt])
    if fmt == "text":
        return module.render(report, width=width, color=color)
    return module.render(report)


__all__ = ["FORMATS", "Report", "ReportMeta", "build_report", "render"]

"""One export function: a report or a comparison, in one format, as a file's bytes.

The command line (`-o FILE`) and every export in the app (results, compare)
call `export`, so the same assessment in the same format always gives the
same file, byte for byte: the same rendering (80 columns, no colour for a
file), the same encoding, and the same byte-order mark at the start of a CSV
file (it tells Excel the file is UTF-8, so dashes and accents survive).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assess.reports.model import Report
from assess.store import atomic_write_bytes

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


FORMATS: tuple[Format, ...] = (
    Format("text", "Plain text", ".txt"),
    Format("markdown", "Markdown", ".md"),
    Format("html", "Web page (HTML)", ".html"),
    Format("json", "JSON (for other programs)", ".json"),
    Format("csv", "Spreadsheet (CSV)", ".csv"),
)
FORMAT_KEYS: tuple[str, ...] = tuple(f.key for f in FORMATS)


def format_named(key: str) -> Format:
    """The format with this key (ValueError for one we do not make)."""
    for candidate in FORMATS:
        if candidate.key == key:
            return candidate
    raise ValueError(f"unknown report format {key!r}")


def render_text(
    subject: Report | Comparison | PlanView,
    fmt: str,
    *,
    width: int = FILE_WIDTH,
    color: bool = False,
    date: str = "",
) -> str:
    """The subject in format `fmt`, as text for a screen (no byte-order mark).

    `date` is the day a comparison is made (a report carries its own date).
    """
    from assess.reports import render, render_comparison
    from assess.reports.plan_view import PlanView, render_plan

    format_named(fmt)
    if isinstance(subject, Report):
        return render(subject, fmt, width=width, color=color)
    if isinstance(subject, PlanView):
        return render_plan(subject, fmt, width=width, color=color)
    return render_comparison(subject, fmt, width=width, color=color, date=date)


def file_bytes(subject: Report | Comparison | PlanView, fmt: str, *, date: str = "") -> bytes:
    """Exactly what an exported file holds."""
    text = render_text(subject, fmt, date=date)
    if fmt == "csv":
        text = "\ufeff" + text
    if not text.endswith("\n"):
        text += "\n"
    return text.encode("utf-8")


def export(
    subject: Report | Comparison | PlanView, fmt: str, path: Path, *, date: str = ""
) -> Path:
    """Write the subject to `path` in format `fmt` (atomically: never half a file)."""
    path = Path(path).expanduser()
    atomic_write_bytes(path, file_bytes(subject, fmt, date=date), durable=False)
    return path

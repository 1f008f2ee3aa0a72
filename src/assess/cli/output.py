"""Writing command output: to stdout, or to the file given with -o; and every message.

Also the `--format`, `-o` and `--marking` options that every reporting command
shares. A workbook or PDF is never written to a terminal (it would fill the
screen with binary); piped or redirected, it goes to stdout as bytes.

Messages. Every line a command says (`say`), on stdout or stderr, goes out
through `visible`: whatever data it quotes (a name, a question id, a key from
a file, a path) can never move the cursor, retitle the window, clear the
screen or reverse the text; such characters are shown by their code.

Files. `-o FILE` is written by `write_output` (see `assess.store`): a device
such as /dev/null or a FIFO is written to directly, a symbolic link is
followed to the file it names, and only a regular file is replaced
(atomically, keeping its permissions).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

import click

from assess.domain.errors import BadInput
from assess.domain.visible import visible
from assess.store import write_output

if TYPE_CHECKING:
    from assess.domain.compare import Comparison
    from assess.reports import Report
    from assess.reports.plan_view import PlanView

# The formats `assess.reports.export.FORMATS` makes; written out here so that
# building the command line does not import the reports.
REPORT_FORMATS = ("text", "markdown", "html", "json", "csv", "xlsx", "pdf")
BINARY_FORMATS = ("xlsx", "pdf")

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
output_option = click.option(
    "-o", "--output", metavar="FILE", help="Write to FILE instead of the screen."
)
marking_option = click.option(
    "--marking",
    default="",
    metavar="WORDS",
    help="A protective marking, such as OFFICIAL-SENSITIVE, at the top and bottom of every "
    "page (text, markdown, html, pdf and xlsx).",
)


def say(text: str, *, err: bool = False) -> None:
    """Print one message (lines of it), data in it shown safely (see the module docstring)."""
    click.echo("\n".join(visible(line, one_line=True) for line in text.split("\n")), err=err)


def _to_screen(output: str | None) -> bool:
    return output is None or output == "-"


def report_style(output: str | None) -> tuple[bool, int]:
    """(colour, width) for a report: colour and the terminal's width only on a real terminal."""
    color = (
        _to_screen(output)
        and sys.stdout.isatty()
        and not os.environ.get("NO_COLOR")
        and os.environ.get("TERM") != "dumb"
    )
    return color, shutil.get_terminal_size((80, 24)).columns if color else 80


def emit_report(
    subject: Report | Comparison | PlanView,
    fmt: str,
    output: str | None,
    *,
    date: str = "",
    committee: bool = False,
    marking: str = "",
) -> None:
    """Print a report or comparison, or export it to the file `output` (`reports.export`)."""
    from assess.reports.export import export, file_bytes, render_text

    if _to_screen(output):
        if fmt in BINARY_FORMATS:
            buffer = _binary_stdout(fmt)
            buffer.write(file_bytes(subject, fmt, date=date, committee=committee, marking=marking))
            buffer.flush()
            return
        color, width = report_style(output)
        text = render_text(
            subject, fmt, width=width, color=color, date=date, committee=committee, marking=marking
        )
        emit(text, None)
        return
    path = checked_output(output)
    try:
        export(subject, fmt, path, date=date, committee=committee, marking=marking)
    except OSError as exc:
        raise BadInput(f"{path}: cannot write the file: {exc.strerror or exc}") from None
    say(f"Wrote {path}", err=True)


def _binary_stdout(fmt: str) -> BinaryIO:
    """Standard output for bytes, when it is a pipe or a file and not a terminal."""
    buffer = getattr(sys.stdout, "buffer", None)
    if sys.stdout.isatty() or buffer is None:
        raise BadInput(
            f"a {fmt} file cannot be shown on the screen; give -o FILE.{fmt} to write it"
        )
    return cast(BinaryIO, buffer)


def checked_output(output: str | None) -> Path:
    path = Path(str(output)).expanduser()
    if path.is_dir():
        raise BadInput(f"{path}: is a folder; give a file name to write to")
    if not path.parent.exists():
        raise BadInput(f"{path.parent}: no such folder to write {path.name} into")
    return path


def emit(text: str, output: str | None) -> None:
    """Print `text`, or write it to `output` without ever leaving half a file."""
    if _to_screen(output):
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
        return
    path = checked_output(output)
    try:
        write_output(path, text.encode("utf-8"))
    except OSError as exc:
        raise BadInput(f"{path}: cannot write the file: {exc.strerror or exc}") from None
    say(f"Wrote {path}", err=True)

"""Writing command output: to stdout, or atomically to the file given with -o.

Also the `--format` and `-o` options that every reporting command shares.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from assess.domain.errors import BadInput
from assess.store import atomic_write_text

REPORT_FORMATS = ("text", "markdown", "html", "json", "csv")

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


def emit_report(text: str, fmt: str, output: str | None) -> None:
    """`emit` a rendered report; a CSV file starts with a byte-order mark."""
    if fmt == "csv" and not _to_screen(output):
        # The byte-order mark tells Excel the file is UTF-8, so dashes and accents survive.
        text = "\ufeff" + text
    emit(text, output)


def emit(text: str, output: str | None) -> None:
    """Print `text`, or write it to `output` without ever leaving half a file."""
    if _to_screen(output):
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
        return
    path = Path(output).expanduser()
    if path.is_dir():
        raise BadInput(f"{path}: is a folder; give a file name to write to")
    if not path.parent.exists():
        raise BadInput(f"{path.parent}: no such folder to write {path.name} into")
    try:
        atomic_write_text(path, text, durable=False)
    except OSError as exc:
        raise BadInput(f"{path}: cannot write the file: {exc.strerror or exc}") from None
    print(f"Wrote {path}", file=sys.stderr)

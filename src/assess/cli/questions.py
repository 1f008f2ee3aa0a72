"""`assess questions`: check, list and export question banks."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import click

from assess.cli.output import emit, output_option, say
from assess.domain.bank import Bank, InvalidBank, load_bank, shipped_bank_path
from assess.domain.errors import BankError

EXIT_BAD_INPUT = 2
NBSP = "\u00a0"

TYPE_NAMES = {
    "maturity": "level 0–4",
    "single": "one choice",
    "multi": "choices",
    "ranking": "ranking",
    "yesno": "yes/no",
    "likert": "scale",
    "number": "number",
    "text": "text",
}


@click.group()
def questions() -> None:
    """Check, list and export question banks."""


def _bank_path(path: str | None) -> Path:
    return Path(path) if path else shipped_bank_path()


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def describe(bank: Bank) -> str:
    """One line that identifies a bank: id, version, short hash and size."""
    return f"{identify(bank)}: {size(bank)}"


def identify(bank: Bank) -> str:
    return f"{bank.id} {bank.version} (hash {bank.content_hash[:12]})"


def size(bank: Bank) -> str:
    return (
        f"{_count(len(bank.questions), 'question', 'questions')}, "
        f"{_count(len(bank.criteria), 'criterion', 'criteria')} "
        f"in {_count(len(bank.dimensions), 'dimension', 'dimensions')}"
    )


@questions.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option("--all", "show_all", is_flag=True, help="List every problem, not just the first.")
def validate(path: str | None, show_all: bool) -> None:
    """Check a question bank (default: the shipped one) and say whether it is usable."""
    bank_path = _bank_path(path)
    try:
        bank = load_bank(bank_path)
    except BankError as exc:
        if not show_all:
            raise
        every = exc.every_problem if isinstance(exc, InvalidBank) else exc.all_lines()
        for line in every:
            say(line.strip(), err=True)
        raise click.exceptions.Exit(EXIT_BAD_INPUT) from None
    say(f"OK {bank_path}: {describe(bank)}")


@questions.command(name="list")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
def list_questions(path: str | None) -> None:
    """List every question and criterion in a bank, section by section."""
    bank_path = _bank_path(path)
    bank = load_bank(bank_path)
    emit(format_list(bank, bank_path, _width()), None)


def _width() -> int:
    # Wider than 100 columns, lines get hard to follow; narrower than 60, the text column
    # beside the ids is too thin to read.
    return max(60, min(100, shutil.get_terminal_size((80, 24)).columns))


def format_list(bank: Bank, bank_path: Path, width: int = 80) -> str:
    """The bank as an indented list that fits in `width` columns (ids excepted)."""
    lines = [bank.title, f"Bank {identify(bank)}", f"{size(bank)}.", f"File: {bank_path}", ""]
    id_width = max(len(q.id) for q in bank.questions)
    for instrument in bank.instruments:
        lines.append(instrument.title)
        for section in instrument.sections:
            weight = f" (weight {section.weight})" if instrument.id == "readiness" else ""
            lines.append(f"  {section.title}{weight}")
            for q in section.questions:
                flags = []
                if q.is_criterion:
                    flags.append(f"weight {q.weight}, target {q.target}")
                    if q.critical:
                        flags.append("critical")
                if q.show_if:
                    flags.append("conditional")
                kind = TYPE_NAMES[q.type] + (f"; {', '.join(flags)}" if flags else "")
                head = f"    {q.id:<{id_width}}  "
                # Non-breaking spaces keep the bracketed summary on one line.
                tag = f"[{kind}]".replace(" ", NBSP)
                body = textwrap.wrap(f"{q.text} {tag}", width=max(30, width - len(head)))
                lines.append(head + body[0].replace(NBSP, " "))
                lines.extend(" " * len(head) + rest.replace(NBSP, " ") for rest in body[1:])
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


@questions.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json"]),
    default="json",
    show_default=True,
    help="Output format.",
)
@output_option
def export(path: str | None, fmt: str, output: str | None) -> None:
    """Print a whole bank as JSON, for other tools."""
    bank = load_bank(_bank_path(path))
    data = {"content_hash": bank.content_hash, **bank.to_data()}
    emit(json.dumps(data, indent=2, ensure_ascii=False), output)

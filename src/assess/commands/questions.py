"""`assess questions`: check, list and export question banks."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import click

from assess.bank import Bank, load_bank, shipped_bank_path
from assess.commands.output import emit
from assess.errors import BankError

EXIT_BAD_INPUT = 2

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


def describe(bank: Bank) -> str:
    """One line that identifies a bank: id, version, short hash and size."""
    return (
        f"{bank.id} {bank.version} (hash {bank.content_hash[:12]}): "
        f"{len(bank.questions)} questions, {len(bank.criteria)} criteria "
        f"in {len(bank.dimensions)} dimensions"
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
        for line in exc.all_lines():
            click.echo(line.strip(), err=True)
        raise click.exceptions.Exit(EXIT_BAD_INPUT) from None
    click.echo(f"OK {bank_path}: {describe(bank)}")


@questions.command(name="list")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
def list_questions(path: str | None) -> None:
    """List every question and criterion in a bank, section by section."""
    bank_path = _bank_path(path)
    bank = load_bank(bank_path)
    lines = [f"{bank.title}", f"{bank_path}", describe(bank), ""]
    width = max(len(q.id) for q in bank.questions)
    for instrument in bank.instruments:
        lines.append(f"{instrument.title}")
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
                head = f"    {q.id:<{width}}  "
                body = textwrap.wrap(f"{q.text} [{kind}]", width=max(40, 100 - len(head)))
                lines.append(head + body[0])
                lines.extend(" " * len(head) + rest for rest in body[1:])
        lines.append("")
    emit("\n".join(lines).rstrip() + "\n", None)


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
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of the screen.")
def export(path: str | None, fmt: str, output: str | None) -> None:
    """Print a whole bank as JSON, for other tools."""
    bank = load_bank(_bank_path(path))
    data = {"content_hash": bank.content_hash, **bank.to_data()}
    emit(json.dumps(data, indent=2, ensure_ascii=False), output)

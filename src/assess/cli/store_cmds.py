"""The store from the command line: new, answer, list, export, import, delete, rename,
duplicate and restore.

Every command opens the store named by `--db` / `ASSESS_DB` (or the default
one) through `Settings.store()`; only `new` and `import` create a missing
one. Bad input raises `BadInput`, which the CLI
prints as one line per problem with exit status 2, and nothing is written.
Warnings from the store (a damaged file found or restored from its backup)
go to stderr after the command's own output.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import click

from assess.cli import Settings, pass_settings
from assess.cli.output import emit
from assess.domain.answers import load_answers_file
from assess.domain.assessment import Assessment, Summary, percent_done
from assess.domain.bank import load_shipped_bank
from assess.domain.scoring import format_score
from assess.store import CorruptStore, Store, StoreError

# Names are checked when they are saved; this guards the screen against a
# store file edited by hand.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CELL_WIDTH = 28


@contextlib.contextmanager
def _store(settings: Settings, *, create: bool = False) -> Iterator[Store]:
    """The store, with its warnings printed to stderr however the command ends.

    Only the commands that add assessments create a missing store: a typo in
    `--db` should not leave an empty store behind a failed command.
    """
    if not create and not settings.store_path.exists():
        raise StoreError(
            f"{settings.store_path}: there is no store here yet; "
            "`assess new` or `assess import` starts one"
        )
    store: Store = settings.store()
    try:
        yield store
    finally:
        for warning in store.take_warnings():
            click.echo(f"assess: warning: {warning}", err=True)


def _describe(assessment: Assessment) -> str:
    result = assessment.result
    complete = f"{percent_done(result.completeness)} complete"
    return (
        f"{assessment.id} ({assessment.title}): {complete}, "
        f"readiness {format_score(result.overall)} ({result.band})"
    )


@click.command()
@click.option("--authority", required=True, help="The authority being assessed.")
@click.option("--service", default="", help="The service, if the assessment is for one.")
@click.option("--assessor", default="", help="Your name, as the officer making it.")
@click.option(
    "--answers",
    "answers_file",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Start with the answers in this YAML or JSON file.",
)
@pass_settings
def new(
    settings: Settings, authority: str, service: str, assessor: str, answers_file: str | None
) -> None:
    """Start a new assessment and print its id (only the id, for scripts)."""
    bank = load_shipped_bank()
    answers = {}
    if answers_file:  # checked before the store is touched
        loaded = load_answers_file(Path(answers_file), bank)
        answers = {qid: answer for qid, answer in loaded.items() if answer is not None}
    with _store(settings, create=True) as store:
        assessment = store.create(
            authority=authority, service=service, assessor=assessor, bank=bank, answers=answers
        )
        click.echo(assessment.id)


@click.command()
@click.argument("assessment_id", metavar="ID")
@click.option(
    "--answers",
    "answers_file",
    metavar="FILE",
    required=True,
    type=click.Path(dir_okay=False),
    help="YAML or JSON file of answers to merge in (null clears an answer).",
)
@click.option("--who", default="", help="Your name for the history (default: the assessor).")
@pass_settings
def answer(settings: Settings, assessment_id: str, answers_file: str, who: str) -> None:
    """Merge answers from a file into an assessment."""
    with _store(settings) as store:
        found = store.resolve(assessment_id)
        before = store.get(found)
        answers = load_answers_file(Path(answers_file), before.bank)
        after = store.save_answers(found, answers, who=who)
        if after.revision == before.revision:
            click.echo(f"Nothing to change: {_describe(after)}")
        else:
            click.echo(f"Saved {len(answers)} answer(s) to {_describe(after)}")


def _cell(text: str, width: int = CELL_WIDTH) -> str:
    text = _UNPRINTABLE.sub("?", text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(summaries: list[Summary]) -> str:
    head = ("ID", "Authority", "Service", "Assessor", "Status", "Complete", "Score", "Band")
    rows = [(*head, "Updated (UTC)")]
    for s in summaries:
        score = "–" if s.score is None else f"{s.score:.1f}"
        rows.append(
            (
                s.id,
                _cell(s.authority),
                _cell(s.service),
                _cell(s.assessor),
                _cell(s.status, 10),
                percent_done(s.completeness),
                score,
                _cell(s.band, 14),
                f"{s.updated[:10]} {s.updated[11:16]}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    numeric = {5, 6}
    lines = []
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


@click.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_settings
def list_assessments(settings: Settings, as_json: bool) -> None:
    """List the saved assessments, most recently updated first."""
    if not settings.store_path.exists():
        summaries: list[Summary] = []
    else:
        with _store(settings) as store:
            summaries = store.list()
    if as_json:
        data = [summary.to_data() for summary in summaries]
        emit(json.dumps(data, indent=2, ensure_ascii=False), None)
    elif not summaries:
        click.echo("No assessments yet. Start one with: assess new --authority NAME")
    else:
        emit(_table(summaries), None)


@click.command()
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--all", "export_all", is_flag=True, help="Export every assessment.")
@click.option(
    "-o", "--output", metavar="FILE", required=True, help="The bundle file to write ('-': screen)."
)
@pass_settings
def export(settings: Settings, ids: tuple[str, ...], export_all: bool, output: str) -> None:
    """Write assessments, with their history and banks, to a portable bundle."""
    if export_all == bool(ids):
        raise click.UsageError("give the ids of the assessments to export, or --all")
    with _store(settings) as store:
        bundle = store.export_bundle(None if export_all else ids)
        emit(json.dumps(bundle, indent=1, ensure_ascii=False), output)
        count = len(bundle["assessments"])
        click.echo(f"Exported {count} assessment{'s' if count != 1 else ''}", err=True)


@click.command(name="import")
@click.argument("bundle_file", metavar="FILE", type=click.Path(dir_okay=False))
@click.option(
    "--skip-conflicts",
    is_flag=True,
    help="Import the others when some ids are already used here by different assessments.",
)
@pass_settings
def import_bundle(settings: Settings, bundle_file: str, skip_conflicts: bool) -> None:
    """Add the assessments in a bundle; those already here are left alone."""
    with _store(settings, create=True) as store:
        result = store.import_file(Path(bundle_file), skip_conflicts=skip_conflicts)
        for assessment_id, title in result.added:
            click.echo(f"added      {assessment_id}  {_cell(title, 60)}")
        for assessment_id, title in result.unchanged:
            click.echo(f"unchanged  {assessment_id}  {_cell(title, 60)}")
        for conflict in result.conflicts:
            click.echo(f"assess: not imported: {conflict}", err=True)
        click.echo(
            f"{len(result.added)} added, {len(result.unchanged)} already here"
            + (f", {len(result.conflicts)} not imported" if result.conflicts else ""),
            err=True,
        )


def _title_of(store: Store, assessment_id: str) -> str:
    try:
        return store.get(assessment_id).title
    except CorruptStore:
        return "cannot be read"


@click.command()
@click.argument("assessment_id", metavar="ID")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@pass_settings
def delete(settings: Settings, assessment_id: str, yes: bool) -> None:
    """Move an assessment to the store's trash (assess restore ID brings it back)."""
    with _store(settings) as store:
        found = store.resolve(assessment_id)
        title = _title_of(store, found)
        if not yes:
            click.confirm(
                f"Delete {found} ({title})? It goes to the store's trash, and "
                f"`assess restore {found}` brings it back",
                abort=True,
            )
        store.delete(found)
        click.echo(f"Deleted {found} ({title}); `assess restore {found}` brings it back")


@click.command()
@click.argument("assessment_id", metavar="ID")
@pass_settings
def restore(settings: Settings, assessment_id: str) -> None:
    """Bring back a deleted assessment."""
    with _store(settings) as store:
        click.echo(f"Restored {_describe(store.restore(assessment_id))}")


def _names_given(authority: str | None, service: str | None, assessor: str | None) -> bool:
    return any(value is not None for value in (authority, service, assessor))


@click.command()
@click.argument("assessment_id", metavar="ID")
@click.option("--authority", help="The new authority name.")
@click.option("--service", help="The new service name ('' for none).")
@click.option("--assessor", help="The new assessor name.")
@pass_settings
def rename(
    settings: Settings,
    assessment_id: str,
    authority: str | None,
    service: str | None,
    assessor: str | None,
) -> None:
    """Change an assessment's authority, service or assessor."""
    if not _names_given(authority, service, assessor):
        raise click.UsageError("give at least one of --authority, --service and --assessor")
    with _store(settings) as store:
        found = store.resolve(assessment_id)
        renamed = store.rename(found, authority=authority, service=service, assessor=assessor)
        by = f", assessor {renamed.assessor}" if renamed.assessor else ""
        click.echo(f"Renamed {found}: {renamed.title}{by}")


@click.command()
@click.argument("assessment_id", metavar="ID")
@click.option("--authority", help="Authority of the copy (default: the same).")
@click.option("--service", help="Service of the copy (default: the same).")
@click.option("--assessor", help="Assessor of the copy (default: the same).")
@pass_settings
def duplicate(
    settings: Settings,
    assessment_id: str,
    authority: str | None,
    service: str | None,
    assessor: str | None,
) -> None:
    """Copy an assessment's answers into a new draft (e.g. for next year); prints the new id."""
    with _store(settings) as store:
        found = store.resolve(assessment_id)
        copy = store.duplicate(found, authority=authority, service=service, assessor=assessor)
        click.echo(copy.id)


__all__ = [
    "answer",
    "delete",
    "duplicate",
    "export",
    "import_bundle",
    "list_assessments",
    "new",
    "rename",
    "restore",
]

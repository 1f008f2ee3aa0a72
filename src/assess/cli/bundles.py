"""Bundles from the command line: export assessments to a portable file, and import one.

A bundle carries assessments with their answers, history and the exact
question banks they were made with, so it opens in any store. Importing the
same bundle twice changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from assess.cli.assessments import cell
from assess.cli.context import RunContext, pass_context
from assess.cli.output import emit, say


@click.command()
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--all", "export_all", is_flag=True, help="Export every assessment.")
@click.option(
    "-o", "--output", metavar="FILE", required=True, help="The bundle file to write ('-': screen)."
)
@pass_context
def export(run: RunContext, ids: tuple[str, ...], export_all: bool, output: str) -> None:
    """Write assessments, with their history and banks, to a portable bundle."""
    if export_all == bool(ids):
        raise click.UsageError("give the ids of the assessments to export, or --all")
    with run.using_store() as store:
        bundle = store.export_bundle(None if export_all else ids)
        emit(json.dumps(bundle, indent=1, ensure_ascii=False), output)
        count = len(bundle["assessments"])
        say(f"Exported {count} assessment{'s' if count != 1 else ''}", err=True)


@click.command(name="import")
@click.argument("bundle_file", metavar="FILE", type=click.Path(dir_okay=False))
@click.option(
    "--skip-conflicts",
    is_flag=True,
    help="Import the others when some ids are already used here by different assessments.",
)
@pass_context
def import_bundle(run: RunContext, bundle_file: str, skip_conflicts: bool) -> None:
    """Add the assessments in a bundle; those already here are left alone."""
    with run.using_store(create=True) as store:
        result = store.import_file(Path(bundle_file), skip_conflicts=skip_conflicts)
        for assessment_id, title in result.added:
            say(f"added      {assessment_id}  {cell(title, 60)}")
        for assessment_id, title in result.unchanged:
            say(f"unchanged  {assessment_id}  {cell(title, 60)}")
        for conflict in result.conflicts:
            say(f"assess: not imported: {conflict}", err=True)
        say(
            f"{len(result.added)} added, {len(result.unchanged)} already here"
            + (f", {len(result.conflicts)} not imported" if result.conflicts else ""),
            err=True,
        )

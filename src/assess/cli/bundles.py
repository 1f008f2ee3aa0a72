"""Bundles from the command line: export assessments to a portable file, and import one.

A bundle carries assessments with their answers, history and the exact
question banks they were made with, so it opens in any store. Importing the
same bundle twice changes nothing. Export writes a bundle of JSON lines one
assessment at a time; import reads those and the older whole-file bundles.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assess.cli.assessments import cell
from assess.cli.context import RunContext, pass_context
from assess.cli.output import checked_output, say
from assess.domain.errors import BadInput
from assess.store import BundleOut


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
        chosen = None if export_all else ids
        if output == "-":
            screen: BundleOut = getattr(sys.stdout, "buffer", None) or _TextOut()
            count = store.write_bundle(screen, chosen)
            screen.flush()
        else:
            path = checked_output(output)
            try:
                count = store.export_file(path, chosen)
            except OSError as exc:
                raise BadInput(f"{path}: cannot write the file: {exc.strerror or exc}") from None
            say(f"Wrote {path}", err=True)
        say(f"Exported {count} assessment{'s' if count != 1 else ''}", err=True)


class _TextOut:
    """Bytes to a standard output that takes only text (one redirected to a string)."""

    def write(self, data: bytes) -> int:
        sys.stdout.write(data.decode("utf-8"))  # a bundle is written a whole line at a time
        return len(data)

    def flush(self) -> None:
        sys.stdout.flush()


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

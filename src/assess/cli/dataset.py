"""`assess dataset`: assessments as a folder of tidy Parquet tables, for work across councils.

Without `--with-names` the folder holds no names and no free text: each
authority, service and assessment is a pseudonymous key made with the
officer's export key (`--key FILE`, by default one kept in the user data
folder, created the first time with a message saying where). Needs the
optional `data` extra; without it, one line says how to install it.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from assess.cli.context import RunContext, pass_context
from assess.cli.output import say
from assess.dataset.extra import require_libraries

KEY_DEFAULT = "Default: export-key.txt in your user data folder."
key_option = click.option(
    "--key",
    "key_file",
    metavar="FILE",
    help=f"Your export key file (made if missing). {KEY_DEFAULT}",
)


@click.command()
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--all", "export_all", is_flag=True, help="Export every assessment in the store.")
@click.option(
    "-o", "--output", metavar="DIR", required=True, help="The folder to write (new or empty)."
)
@click.option(
    "--with-names",
    is_flag=True,
    help="Include names (authority, service, assessor, owners) and free text (notes, reasons).",
)
@key_option
@pass_context
def dataset(
    run: RunContext,
    ids: tuple[str, ...],
    export_all: bool,
    output: str,
    with_names: bool,
    key_file: str | None,
) -> None:
    """Write assessments as Parquet tables with a datapackage.json, for collecting across
    councils; names and free text are left out unless you give --with-names."""
    if export_all == bool(ids):
        raise click.UsageError("give the ids of the assessments to export, or --all")
    require_libraries("pyarrow")
    from assess.dataset.export import write_dataset
    from assess.dataset.folder import check_target
    from assess.dataset.keys import default_key_path, load_or_create
    from assess.domain.assessment import now_iso

    folder = Path(output).expanduser()
    check_target(folder)
    with run.using_store() as store:
        if export_all:
            chosen = [summary.id for summary in store.list()]
        else:
            chosen = list(dict.fromkeys(store.resolve(i) for i in ids))
        key_path = Path(key_file).expanduser() if key_file else default_key_path()
        key, made = load_or_create(key_path)
        if made:
            say(
                f"assess: made a new export key in {key_path}; keep it private, and give the "
                "same file (--key) for later exports so that they can be joined to this one",
                err=True,
            )
        count = write_dataset(
            chosen,
            store.get,
            folder,
            key,
            with_names=with_names,
            today=datetime.date.today(),
            created=now_iso(),
        )
    plural = "s" if count != 1 else ""
    say(f"Wrote {count} assessment{plural} to {folder}", err=True)
    if with_names:
        say(
            "assess: this dataset includes names and notes; share it only where they may go",
            err=True,
        )

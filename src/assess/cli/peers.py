"""`assess peers`: one assessment against the peer assessments in dataset folders.

Every folder is checked against its datapackage.json before any of it is
read; one that fails is named on stderr and skipped, the report is made from
the others, and the exit status is then 2 so that a script notices. Needs
the optional `data` extra; without it, one line says how to install it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assess.cli.context import RunContext, pass_context
from assess.cli.dataset import KEY_DEFAULT
from assess.cli.output import emit, output_option, report_style, say
from assess.dataset.extra import require_libraries
from assess.domain.errors import BadInput

if TYPE_CHECKING:
    from assess.dataset.peers import PeerFilters

PEER_FORMATS = ("text", "markdown", "html", "json", "csv")
EXIT_SKIPPED = 2


def _filters(
    authority_types: tuple[str, ...],
    regions: tuple[str, ...],
    services: tuple[str, ...],
    periods: tuple[str, ...],
) -> PeerFilters:
    from assess.dataset.peers import PeerFilters
    from assess.domain.authority import AuthorityProblem, check_authority_type, check_region
    from assess.domain.names import check_name
    from assess.domain.period import PeriodProblem, check_period

    try:
        return PeerFilters(
            authority_types=tuple(dict.fromkeys(check_authority_type(t) for t in authority_types)),
            regions=tuple(dict.fromkeys(check_region(r) for r in regions)),
            services=tuple(
                dict.fromkeys(check_name(s, "service", required=True) for s in services)
            ),
            periods=tuple(dict.fromkeys(check_period(p) for p in periods)),
        )
    except (AuthorityProblem, PeriodProblem) as exc:
        raise BadInput(str(exc)) from None


@click.command()
@click.argument("assessment_id", metavar="ID")
@click.argument("folders", nargs=-1, required=True, metavar="DATASET_DIR...")
@click.option(
    "--authority-type",
    "authority_types",
    multiple=True,
    metavar="TYPE",
    help="Only peers of this kind of authority: county, district, unitary, metropolitan, "
    "london-borough (repeat for several).",
)
@click.option(
    "--region",
    "regions",
    multiple=True,
    metavar="REGION",
    help="Only peers in this region or nation: north-east, london, wales ... (repeat for several).",
)
@click.option(
    "--service",
    "services",
    multiple=True,
    metavar="NAME",
    help="Only peers' assessments of this service: by name in datasets with names, by key "
    "in datasets made with your export key.",
)
@click.option(
    "--period",
    "periods",
    multiple=True,
    metavar="PERIOD",
    help='Only peers\' assessments for this period, such as "2026/27".',
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(PEER_FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@output_option
@click.option(
    "--key",
    "key_file",
    metavar="FILE",
    help="Your export key file, to leave your own authority's assessments out of the "
    f"peers. {KEY_DEFAULT}",
)
@pass_context
def peers(
    run: RunContext,
    assessment_id: str,
    folders: tuple[str, ...],
    authority_types: tuple[str, ...],
    regions: tuple[str, ...],
    services: tuple[str, ...],
    periods: tuple[str, ...],
    fmt: str,
    output: str | None,
    key_file: str | None,
) -> None:
    """Set an assessment against its peers in dataset folders made by `assess dataset`:
    median and quartiles per dimension and business case, and where you stand."""
    require_libraries()
    filters = _filters(authority_types, regions, services, periods)
    from assess.dataset.keys import ExportKey, default_key_path, read_key
    from assess.dataset.peer_report import render_peers
    from assess.dataset.peers import check_folders, peer_benchmark

    with run.using_store() as store:
        assessment = store.get(store.resolve(assessment_id))
    own_key: ExportKey | None
    if key_file:
        own_key = read_key(Path(key_file).expanduser())
    else:
        default = default_key_path()
        own_key = read_key(default) if default.exists() else None

    datasets, skipped = check_folders(Path(f).expanduser() for f in folders)
    for s in skipped:
        say(f"assess: skipped {s.folder}: {s.problem}", err=True)
    if not datasets:
        raise BadInput("no dataset folder could be read, so there are no peers to compare with")
    benchmark = peer_benchmark(assessment, datasets, filters, own_key, skipped)
    color, width = report_style(output)
    text = render_peers(benchmark, fmt, width=width, color=color)
    if fmt == "csv" and output not in (None, "-"):
        text = "\ufeff" + text  # so that Excel reads the file as UTF-8, as every CSV report
    emit(text, output)
    if skipped:
        plural = "s" if len(skipped) != 1 else ""
        say(
            f"assess: {len(skipped)} folder{plural} skipped (named above); the figures are "
            "from the others",
            err=True,
        )
        sys.stdout.flush()
        click.get_current_context().exit(EXIT_SKIPPED)

"""`assess compare`: saved assessments side by side, and a consensus to settle.

`assess compare ID ID [ID ...]` compares two or more saved assessments (a
unique start of each id is enough) and prints the comparison, or writes it
atomically to the file given with -o, in any of the report formats. The kind
of comparison (over time, across services, across officers, across
authorities) is worked out from the assessments; `--kind` overrides it.

`--save-consensus` saves the officers' consensus view (the median level of
each criterion) as a new draft assessment and prints its id, as `assess new`
does. It is refused unless the comparison is across officers: a median of
last year and this year, or of two services, describes nothing real. When
officers assessed months apart (so the comparison looks like one over time),
`--kind officers` says that they are officers' views after all.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import click

from assess.cli.context import RunContext, pass_context
from assess.cli.output import emit_report, format_option, marking_option, output_option, say
from assess.domain.compare import ACROSS_OFFICERS, ACROSS_SERVICES, MIXED, OVER_TIME
from assess.domain.errors import BadInput
from assess.domain.scoring import format_score

if TYPE_CHECKING:
    from assess.domain.compare import Comparison

KIND_NAMES = {
    "time": OVER_TIME,
    "services": ACROSS_SERVICES,
    "officers": ACROSS_OFFICERS,
    "authorities": MIXED,
}


@click.command()
@click.argument("ids", nargs=-1, metavar="ID ID [ID ...]")
@format_option
@output_option
@marking_option
@click.option(
    "--kind",
    type=click.Choice(tuple(KIND_NAMES)),
    help="Compare over time, across services, across officers or across authorities, "
    "whatever the assessments look like (normally worked out for you).",
)
@click.option(
    "--save-consensus",
    is_flag=True,
    help="Save the officers' consensus view (the median level of each criterion) as a new "
    "draft assessment and print its id. Only for a comparison across officers. The "
    "comparison itself is written only with -o.",
)
@click.option(
    "--who",
    default="",
    metavar="NAME",
    help="Your name, for the new assessment's history (with --save-consensus).",
)
@pass_context
def compare(
    run: RunContext,
    ids: tuple[str, ...],
    fmt: str,
    output: str | None,
    marking: str,
    kind: str | None,
    save_consensus: bool,
    who: str,
) -> None:
    """Compare two or more saved assessments: scores side by side, what changed and why.

    Over time (one authority and service at different dates), across services,
    or across officers (colleagues' views of the same authority and service,
    with where they disagree and a consensus view).
    """
    from assess.domain.compare import compare as build
    from assess.domain.compare import save_consensus as save
    from assess.reports.export import check_marking

    marking = check_marking(marking)

    if len(ids) < 2:
        raise BadInput(
            "give two or more assessment ids to compare (assess list shows them)"
            if ids
            else "say which assessments to compare: give two or more ids (assess list shows them)"
        )
    with run.using_store() as store:
        assessments = [store.get(store.resolve(i)) for i in ids]
    comparison = build(assessments, KIND_NAMES[kind] if kind else None)
    if save_consensus and not comparison.for_officers:
        raise BadInput(
            f"--save-consensus is for officers' views of the same authority and service; "
            f"these assessments are compared {comparison.kind}, so nothing was saved "
            "(if they are officers' views made months apart, add --kind officers)"
        )
    if not save_consensus or output not in (None, "-"):
        _write(comparison, fmt, output, marking)
    if save_consensus:
        saved = save(store, comparison, who=who)
        result = saved.result
        say(saved.id)
        apart = len(comparison.disagreements)
        if not apart:
            settle = "no criterion had views two or more levels apart"
        elif apart == 1:
            settle = "1 criterion had views two or more levels apart (its evidence note says so)"
        else:
            settle = (
                f"{apart} criteria had views two or more levels apart (their evidence notes say so)"
            )
        say(
            f"Saved the consensus view as a new draft assessment {saved.id} "
            f"({saved.title}, assessor “{saved.assessor}”), scoring "
            f"{format_score(result.overall)} ({result.band}). Open it to settle each level: "
            f"{settle}.",
            err=True,
        )


def _write(comparison: Comparison, fmt: str, output: str | None, marking: str) -> None:
    emit_report(comparison, fmt, output, date=datetime.date.today().isoformat(), marking=marking)

"""`assess compare`: saved assessments side by side, and the officers' consensus.

`assess compare ID ID [ID ...]` compares two or more saved assessments (a
unique start of each id is enough) and prints the comparison, or writes it
atomically to the file given with -o, in any of the report formats. The kind
of comparison (over time, across services, across officers, across
authorities) is worked out from the authority, service, period and assessor
of each; `--kind` overrides it. `--baseline ID` names the assessment changes
are measured from (by default the earliest over time, otherwise the first).

`--save-consensus` saves the officers' consensus as a new draft assessment
and prints its id, as `assess new` does. Items the rule leaves to settle are
settled with `--settle QID=LEVEL` (or `QID=na` for not applicable), one for
each; any left unsettled are saved unanswered, and listed with every
officer's view so that they can be settled in the app or the questionnaire.
It is refused unless the comparison is across officers: a consensus of last
year and this year, or of two services, describes nothing real. When officers
assessed months apart with no period given (so the comparison looks like one
over time), `--kind officers` says that they are officers' views after all.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

import click

from assess.cli.context import RunContext, pass_context
from assess.cli.output import emit_report, format_option, marking_option, output_option, say
from assess.domain.compare import ACROSS_OFFICERS, ACROSS_SERVICES, MIXED, OVER_TIME
from assess.domain.errors import BadInput
from assess.store import gc_paused

if TYPE_CHECKING:
    from assess.domain.compare import Comparison
    from assess.domain.consensus import Choice, Consensus

KIND_NAMES = {
    "time": OVER_TIME,
    "services": ACROSS_SERVICES,
    "officers": ACROSS_OFFICERS,
    "authorities": MIXED,
}
_SETTLE = re.compile(r"\s*([A-Za-z0-9_-]+)\s*=\s*([0-4]|na|n/a)\s*", re.IGNORECASE)


def parse_settle(given: tuple[str, ...]) -> dict[str, Choice]:
    """`--settle R-X=2 --settle R-Y=na` as {question id: level, or None for not applicable}."""
    choices: dict[str, Choice] = {}
    for text in given:
        found = _SETTLE.fullmatch(text)
        if found is None:
            raise BadInput(
                f"--settle {text!r} is not QUESTION=LEVEL; give a question id, then = and a "
                "level 0-4, or na for not applicable (for example --settle R-CASE-RIGOUR=2)"
            )
        qid, value = found.group(1).upper(), found.group(2).lower()
        if qid in choices:
            raise BadInput(f"--settle names {qid} twice; settle each item once")
        choices[qid] = None if value in ("na", "n/a") else int(value)
    return choices


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
    "--baseline",
    metavar="ID",
    help="The assessment changes are measured from (by default the earliest over time, "
    "otherwise the first given).",
)
@click.option(
    "--save-consensus",
    is_flag=True,
    help="Save the officers' consensus as a new draft assessment and print its id. Only "
    "for a comparison across officers. The comparison itself is written only with -o.",
)
@click.option(
    "--settle",
    "settle",
    multiple=True,
    metavar="QID=LEVEL",
    help="Settle an item the consensus leaves to settle, at a level 0-4 or na (not "
    "applicable); give it once for each item. With --save-consensus, or to see the "
    "settled consensus in the comparison.",
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
    baseline: str | None,
    save_consensus: bool,
    settle: tuple[str, ...],
    who: str,
) -> None:
    """Compare two or more saved assessments: scores side by side, what changed and why.

    Over time (one authority and service in different periods, with what
    became of the action plan), across services, across authorities, or
    across officers (colleagues' views of the same authority, service and
    period, with where they disagree and their consensus).
    """
    from assess.reports.export import check_marking

    marking = check_marking(marking)
    choices = parse_settle(settle)

    if len(ids) < 2:
        raise BadInput(
            "give two or more assessment ids to compare (assess list shows them)"
            if ids
            else "say which assessments to compare: give two or more ids (assess list shows them)"
        )
    # Reading, comparing and drawing hundreds of assessments makes millions of objects
    # that all live until the comparison is written, with hardly a cycle among them.
    with gc_paused():
        _compare(
            run,
            ids,
            fmt=fmt,
            output=output,
            marking=marking,
            kind=kind,
            baseline=baseline,
            save_consensus=save_consensus,
            choices=choices,
            who=who,
        )


def _compare(
    run: RunContext,
    ids: tuple[str, ...],
    *,
    fmt: str,
    output: str | None,
    marking: str,
    kind: str | None,
    baseline: str | None,
    save_consensus: bool,
    choices: dict[str, Choice],
    who: str,
) -> None:
    """The comparison read, made, written and saved (see `compare`).

    A function of its own so that everything it makes is freed when it
    returns, before the cycle collector resumes: resumed with all of it
    still there, it would walk it all once more.
    """
    from assess.domain.compare import compare as build
    from assess.domain.consensus import consensus

    with run.using_store() as store:
        # A comparison never shows the history: checking it would cost a third of the reading.
        assessments = [store.get(store.resolve(i), history=False) for i in ids]
        base = store.resolve(baseline) if baseline is not None else None
    comparison = build(assessments, KIND_NAMES[kind] if kind else None, base)
    if (save_consensus or choices) and not comparison.for_officers:
        option = "--save-consensus" if save_consensus else "--settle"
        raise BadInput(
            f"{option} is for officers' views of the same authority and service; "
            f"these assessments are compared {comparison.kind}, so nothing was saved "
            "(if they are officers' views made months apart, add --kind officers)"
        )
    if choices:
        comparison = comparison.with_settled(choices)
        # Refused before anything is written: an item not to settle, or a level
        # outside its choices.
        consensus(comparison)
    if not save_consensus or output not in (None, "-"):
        _write(comparison, fmt, output, marking)
    if save_consensus:
        agreed = consensus(comparison)
        draft = agreed.draft()
        with run.using_store() as store:
            saved = store.create(**draft.fields(), who=who)
        say(saved.id)
        say(
            f"Saved the consensus as a new draft assessment {saved.id} ({saved.title}, "
            f"assessor “{saved.assessor}”). {_settle_words(agreed)}",
            err=True,
        )
        for item in agreed.to_settle:
            say(f"  To settle: {item.question.text} ({item.id})", err=True)
            say(f"    {item.views_text()}; settle at {item.choices_text()}", err=True)


def _settle_words(agreed: Consensus) -> str:
    pending = len(agreed.to_settle)
    if not pending:
        return f"Nothing is left to settle; it scores {agreed.score_text()}."
    return (
        f"{pending} item{'s are' if pending != 1 else ' is'} left to settle and saved "
        f"unanswered (give --settle QID=LEVEL for each, or settle them in the app); the "
        f"consensus scores {agreed.score_text()}."
    )


def _write(comparison: Comparison, fmt: str, output: str | None, marking: str) -> None:
    emit_report(comparison, fmt, output, date=datetime.date.today().isoformat(), marking=marking)

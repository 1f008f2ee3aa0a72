"""`assess report`: the readiness report for a saved assessment or an answers file.

`assess report ID` reports on an assessment in the store, scored with the exact
bank it was made with. `assess report --answers FILE` reports straight from an
answers file against the shipped bank, without touching the store. Either way
the report goes to the screen, or atomically to the file given with -o.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assess.cli.context import RunContext, pass_context
from assess.cli.output import emit_report, format_option, marking_option, output_option
from assess.domain.errors import BadInput

if TYPE_CHECKING:
    from assess.domain.answers import Answer
    from assess.domain.bank import Bank
    from assess.reports import ReportMeta


@click.command()
@click.argument("assessment_id", metavar="[ID]", required=False)
@click.option(
    "--answers",
    "answers_file",
    metavar="FILE",
    help="Report straight from this answers file (YAML or JSON) instead of a saved assessment.",
)
@click.option("--authority", metavar="NAME", help="The authority's name (with --answers).")
@click.option("--service", metavar="S", help="The service assessed (with --answers).")
@click.option("--assessor", metavar="NAME", help="Who made the assessment (with --answers).")
@format_option
@output_option
@click.option(
    "--committee",
    is_flag=True,
    help="The committee view: a one-page executive summary first, plain words, the "
    "identifiers in an appendix (text, markdown, html, pdf).",
)
@marking_option
@pass_context
def report(
    run: RunContext,
    assessment_id: str | None,
    answers_file: str | None,
    authority: str | None,
    service: str | None,
    assessor: str | None,
    fmt: str,
    output: str | None,
    committee: bool,
    marking: str,
) -> None:
    """Print the readiness score, the gap report and the survey benchmark.

    Give the ID of a saved assessment (a unique start of it is enough), or
    --answers FILE to report straight from an answers file.
    """
    from assess.reports import build_report
    from assess.reports.export import check_marking
    from assess.reports.model import report_for

    today = datetime.date.today().isoformat()
    marking = check_marking(marking)  # before any work, so a bad marking costs nothing
    if assessment_id and answers_file:
        raise BadInput("give an assessment ID or --answers FILE, not both")
    if answers_file:
        bank, answers, meta = _from_file(
            run, Path(answers_file), authority, service, assessor, today
        )
        built = build_report(meta, bank, answers)
    elif assessment_id:
        if authority is not None or service is not None or assessor is not None:
            raise BadInput(
                "--authority, --service and --assessor go with --answers; "
                "a saved assessment already has them (use 'assess rename' to change them)"
            )
        with run.using_store() as store:
            assessment = store.get(store.resolve(assessment_id))
        built = report_for(assessment, today)
    else:
        raise BadInput(
            "say which assessment to report on: give its ID, or --answers FILE "
            "to report straight from an answers file"
        )

    emit_report(built, fmt, output, committee=committee, marking=marking)


def _from_file(
    run: RunContext,
    path: Path,
    authority: str | None,
    service: str | None,
    assessor: str | None,
    today: str,
) -> tuple[Bank, dict[str, Answer], ReportMeta]:
    """The shipped bank, the checked answers and the report details for an answers file."""
    from assess.domain.answers_file import read_answers_file
    from assess.domain.names import check_name
    from assess.reports import ReportMeta

    bank = run.shipped_bank()
    loaded = read_answers_file(path, bank)
    # A None value clears an answer when merging; in a report it is simply unanswered.
    answers = {qid: answer for qid, answer in loaded.answers.items() if answer is not None}

    def name(option: str | None, from_file: str | None, what: str) -> str:
        # Names given on the command line win over the file's (already checked) ones.
        if option is not None:
            return check_name(option, what, required=False)
        return from_file or ""

    meta = ReportMeta(
        authority=name(authority, loaded.authority, "authority name") or "Authority not named",
        service=name(service, loaded.service, "service name"),
        assessor=name(assessor, loaded.assessor, "assessor name"),
        date=today,
        source=str(path),
        stage=loaded.stage or 0,
        period=loaded.period or "",
    )
    return bank, answers, meta

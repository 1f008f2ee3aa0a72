"""`assess plan`: an assessment's action plan, shown or changed one entry at a time.

`assess plan ID` prints the plan (overdue actions first) in any report
format, or writes it with -o. `assess plan ID set QID --owner ... --due ...
--status ...` changes one criterion's entry (creating it from the bank's
recommended action if there is none yet); every change goes into the
assessment's history. Bad values (an unknown status, an impossible date, an
owner with control characters) are refused with exit status 2 and nothing
is saved.
"""

from __future__ import annotations

import click

from assess.cli.context import RunContext, pass_context
from assess.cli.output import emit_report, format_option, output_option, say
from assess.domain.plan import STATUSES

STATUS_CHOICES = [s.replace(" ", "-") for s in STATUSES]


@click.command()
@click.argument("assessment_id", metavar="ID")
@click.argument("verb", metavar="[set QID]", required=False, type=click.Choice(["set"]))
@click.argument("question_id", metavar="", required=False)
@click.option("--action", help="(set) The action (default: the question bank's recommendation).")
@click.option("--owner", help="(set) Who owns the action ('' for nobody yet).")
@click.option("--due", metavar="YYYY-MM-DD", help="(set) When it is due ('' for no date).")
@click.option("--status", type=click.Choice(STATUS_CHOICES), help="(set) How far it has got.")
@click.option("--reason", help="(set) Why it was dropped (needed with --status dropped).")
@click.option("--aim", type=click.IntRange(0, 4), help="(set) The level it aims for.")
@click.option("--note", help="(set) A note on the action.")
@click.option("--remove", is_flag=True, help="(set) Remove the entry altogether.")
@click.option("--who", default="", help="(set) Your name for the history (default: the assessor).")
@format_option
@output_option
@pass_context
def plan(
    run: RunContext,
    assessment_id: str,
    verb: str | None,
    question_id: str | None,
    action: str | None,
    owner: str | None,
    due: str | None,
    status: str | None,
    reason: str | None,
    aim: int | None,
    note: str | None,
    remove: bool,
    who: str,
    fmt: str,
    output: str | None,
) -> None:
    """Show an assessment's action plan, or change one entry: `assess plan ID set QID ...`.

    Overdue actions come first, then the rest in the order of the gaps.
    """
    given = {
        name: value
        for name, value in (
            ("action", action),
            ("owner", owner),
            ("due", due),
            ("status", status),
            ("reason", reason),
            ("aim", aim),
            ("note", note),
        )
        if value is not None
    }
    if verb is None:
        if given or remove:
            raise click.UsageError("to change an entry, say which: assess plan ID set QID ...")
        _show(run, assessment_id, fmt, output)
        return
    if not question_id:
        raise click.UsageError(
            "say which criterion: assess plan ID set QID (assess questions list)"
        )
    if remove and given:
        raise click.UsageError("--remove takes no other changes")
    with run.using_store() as store:
        found = store.resolve(assessment_id)
        before = store.get(found)
        after = store.save_plan(found, {question_id: None if remove else given}, who=who)
        if after.revision == before.revision:
            say(f"Nothing to change in the plan of {found}")
            return
        entry = after.plan.get(question_id)
        if entry is None:
            say(f"Removed the plan entry for {question_id} from {found}")
            return
        due_text = entry.due.isoformat() if entry.due else "no due date"
        say(
            f"Plan of {found}, {question_id}: {entry.status}, owner "
            f"{entry.owner or 'not given'}, {due_text}"
        )


def _show(run: RunContext, assessment_id: str, fmt: str, output: str | None) -> None:
    from assess.reports.model import report_for
    from assess.reports.plan_view import PlanView

    with run.using_store() as store:
        assessment = store.get(store.resolve(assessment_id))
        report = report_for(assessment, store.clock()[:10])
    emit_report(PlanView(report), fmt, output)

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


@click.group(invoke_without_command=True)
@click.argument("assessment_id", metavar="ID")
@format_option
@output_option
@click.pass_context
def plan(ctx: click.Context, assessment_id: str, fmt: str, output: str | None) -> None:
    """Show an assessment's action plan, or change an entry with `assess plan ID set QID ...`."""
    ctx.ensure_object(RunContext)
    run: RunContext = ctx.obj
    ctx.meta["assessment_id"] = assessment_id
    if ctx.invoked_subcommand is not None:
        return
    from assess.reports.model import report_for
    from assess.reports.plan_view import PlanView

    with run.using_store() as store:
        assessment = store.get(store.resolve(assessment_id))
        report = report_for(assessment, store.clock()[:10])
    emit_report(PlanView(report), fmt, output)


@plan.command(name="set")
@click.argument("question_id", metavar="QID")
@click.option("--action", help="The action (default: the question bank's recommendation).")
@click.option("--owner", help="Who owns the action ('' for nobody yet).")
@click.option("--due", metavar="YYYY-MM-DD", help="When it is due ('' for no date).")
@click.option("--status", type=click.Choice(STATUS_CHOICES), help="How far it has got.")
@click.option("--reason", help="Why it was dropped (needed with --status dropped).")
@click.option("--aim", type=click.IntRange(0, 4), help="The level it aims for (default: target).")
@click.option("--note", help="A note on the action.")
@click.option("--remove", is_flag=True, help="Remove the entry altogether.")
@click.option("--who", default="", help="Your name for the history (default: the assessor).")
@pass_context
@click.pass_context
def set_entry(
    ctx: click.Context,
    run: RunContext,
    question_id: str,
    action: str | None,
    owner: str | None,
    due: str | None,
    status: str | None,
    reason: str | None,
    aim: int | None,
    note: str | None,
    remove: bool,
    who: str,
) -> None:
    """Create or change the plan entry for one criterion (QID, as `assess questions list` shows)."""
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
    if remove and given:
        raise click.UsageError("--remove takes no other changes")
    assert ctx.parent is not None  # `set` is always under `plan`
    assessment_id = ctx.parent.meta["assessment_id"]
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

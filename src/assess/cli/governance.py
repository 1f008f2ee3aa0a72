"""Governance from the command line: stage, the officer's own rating, sign-off, reopening, upgrade.

Each change goes into the assessment's history (who, when, from, to). A
signed-off assessment refuses every change until `assess reopen ID --reason`.
`assess upgrade ID` makes a new draft on the current question bank with every
answer that still means the same thing, and lists what needs a fresh answer.
"""

from __future__ import annotations

import click

from assess.cli.context import RunContext, pass_context
from assess.cli.output import say
from assess.domain.confidence import CONFIDENCE_RATINGS


@click.command()
@click.argument("assessment_id", metavar="ID")
@click.argument("new_stage", metavar="[STAGE]", required=False, type=click.IntRange(0, 5))
@click.option("--next", "to_next", is_flag=True, help="Move on to the next stage.")
@click.option("--who", default="", help="Your name for the history (default: the assessor).")
@pass_context
def stage(
    run: RunContext, assessment_id: str, new_stage: int | None, to_next: bool, who: str
) -> None:
    """Show an assessment's stage, set it (0–5), or move it on with --next."""
    from assess.domain.stages import stage as stage_named

    if to_next and new_stage is not None:
        raise click.UsageError("give a STAGE or --next, not both")
    with run.using_store() as store:
        found = store.resolve(assessment_id)
        if to_next:
            changed = store.next_stage(found, who=who)
        elif new_stage is not None:
            changed = store.set_details(found, stage=new_stage, who=who)
        else:
            changed = store.get(found)
        now = stage_named(changed.stage)
        say(f"{found} is at {now.title} ({now.gateway}): {now.question}")


@click.command()
@click.argument("assessment_id", metavar="ID")
@click.argument("rating", metavar="RATING", type=click.Choice([*CONFIDENCE_RATINGS, "none"]))
@click.option("--reason", default="", help="Why you give this rating (required).")
@click.option("--who", default="", help="Your name for the history (default: the assessor).")
@pass_context
def confidence(run: RunContext, assessment_id: str, rating: str, reason: str, who: str) -> None:
    """Record your own delivery confidence rating, beside the one the rules suggest."""
    with run.using_store() as store:
        found = store.resolve(assessment_id)
        chosen = "" if rating == "none" else rating
        changed = store.set_details(
            found, confidence=chosen, confidence_reason=reason if chosen else "", who=who
        )
        suggested = changed.result.confidence or "none (not assessed)"
        own = changed.confidence or "none"
        say(f"{found}: your rating {own}; the rules suggest {suggested}")


@click.command()
@click.argument("assessment_id", metavar="ID")
@click.option("--name", required=True, help="The name of the officer signing off.")
@click.option("--role", required=True, help="Their role, e.g. Director of Resources.")
@click.option("--who", default="", help="Your name for the history (default: --name).")
@pass_context
def signoff(run: RunContext, assessment_id: str, name: str, role: str, who: str) -> None:
    """Sign off a complete assessment: read-only until reopened, review due in six months."""
    with run.using_store() as store:
        found = store.resolve(assessment_id)
        signed = store.sign_off(found, name=name, role=role, who=who)
        assert signed.signoff is not None
        say(
            f"Signed off {found} ({signed.title}) by {signed.signoff.name}, "
            f"{signed.signoff.role}, on {signed.signoff.date}; review by {signed.signoff.review}"
        )


@click.command()
@click.argument("assessment_id", metavar="ID")
@click.option("--reason", required=True, help="Why it is being reopened (kept in its history).")
@click.option("--who", default="", help="Your name for the history (default: the assessor).")
@pass_context
def reopen(run: RunContext, assessment_id: str, reason: str, who: str) -> None:
    """Reopen a signed-off assessment so that it can be changed again."""
    with run.using_store() as store:
        found = store.resolve(assessment_id)
        store.reopen(found, reason=reason, who=who)
        say(f"Reopened {found}; it can be changed again")


@click.command()
@click.argument("assessment_id", metavar="ID")
@click.option("--who", default="", help="Your name for the history (default: the assessor).")
@pass_context
def upgrade(run: RunContext, assessment_id: str, who: str) -> None:
    """Make a draft on the current question bank, carrying every answer that still fits.

    Prints the new id, then (on stderr) what carried over and what needs a
    fresh answer. The original assessment is left as it is.
    """
    with run.using_store() as store:
        found = store.resolve(assessment_id)
        draft, done = store.upgrade(found, who=who)
        say(draft.id)
        say(
            f"Upgraded {found} from {done.old_bank} to {done.new_bank} as the new draft "
            f"{draft.id}: {len(done.carried)} answer(s) carried over, "
            f"{len(done.fresh)} question(s) need a fresh answer.",
            err=True,
        )
        bank = draft.bank
        for qid in done.fresh:
            question = bank.question(qid)
            if question is not None:
                say(f"  needs an answer: {question.text}", err=True)
        for left in done.left_behind:
            say(f"  not carried: {left.reason}", err=True)

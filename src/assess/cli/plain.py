"""The plain mode: an assessment asked one line at a time, for screen readers and simple terminals.

`assess fill ID --plain` (or `assess --plain`, which first asks which
assessment) asks each question on its own lines of standard output and reads
the answer from a line of standard input: no full-screen drawing, no colour
and no escape codes of any kind, so a screen reader reads exactly what is
written and a pipe can drive it. Each answer is checked the way the app
checks it and saved the moment it is given, through the same store. Answer by
number or by option id; `?` repeats the question with its help, `skip` moves
on, `back` goes to the previous question, `quit` stops (everything given is
already saved). At the end the result is summarised in plain text.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

import click

from assess.cli.context import RunContext, pass_context
from assess.domain.errors import BadInput

if TYPE_CHECKING:
    from assess.domain.answers import Answer
    from assess.domain.assessment import Assessment
    from assess.domain.bank import Question
    from assess.store import Store

HELP = (
    "Answer with a number or an option's short name. Type ? for the question's help, "
    "skip to leave it for now, back for the previous question, quit to stop. "
    "Every answer is saved as soon as you give it."
)


class Quit(Exception):
    """The officer typed quit, or standard input ended."""


@dataclass
class Conversation:
    """Lines out, lines in: standard output and input, or any pair of text streams."""

    out: TextIO
    into: TextIO

    def say(self, text: str = "") -> None:
        from assess.reports.escape import printable

        # Data text can hold anything; only plain characters reach the screen reader.
        for line in text.split("\n"):
            self.out.write(printable(line) + "\n")
        self.out.flush()

    def ask(self, prompt: str) -> str:
        from assess.reports.escape import printable

        self.out.write(printable(prompt) + " ")
        self.out.flush()
        line = self.into.readline()
        if not line:
            self.out.write("\n")
            raise Quit
        return line.rstrip("\r\n").strip()


@click.command()
@click.argument("assessment_id", metavar="ID")
@click.option(
    "--plain",
    is_flag=True,
    help="One question per line, for screen readers and simple terminals (no full screen).",
)
@click.option("--who", default="", help="Your name for the history (default: your user name).")
@pass_context
def fill(run: RunContext, assessment_id: str, plain: bool, who: str) -> None:
    """Answer an assessment's questions: in the app, or one line at a time with --plain."""
    with run.using_store() as store:
        found = store.resolve(assessment_id)
        if not plain:
            raise click.UsageError(
                "assess fill asks the questions one line at a time with --plain; to answer "
                "them in the app, run assess on its own and open the assessment there"
            )
        talk = Conversation(sys.stdout, sys.stdin)
        fill_plainly(store, found, talk, who=who or _user())


def run_plain(run: RunContext) -> None:
    """`assess --plain`: choose an assessment (or start one), then fill it in line by line."""
    talk = Conversation(sys.stdout, sys.stdin)
    with run.using_store(create=True) as store:
        try:
            chosen = choose(store, talk)
        except Quit:
            talk.say("Nothing was changed.")
            return
        fill_plainly(store, chosen, talk, who=_user())


def _user() -> str:
    from assess.tui.session import current_user

    return current_user()


def choose(store: Store, talk: Conversation) -> str:
    """Which assessment to fill in: one from the list by number, or a new one."""
    summaries = store.list()
    talk.say("Assessments in this store:" if summaries else "There are no assessments yet.")
    for n, s in enumerate(summaries, 1):
        who = f", {s.assessor}" if s.assessor else ""
        when = f", {s.period}" if s.period else ""
        done = f"{int(s.completeness * 100)}% answered"
        talk.say(f"{n}. {s.authority}{' — ' + s.service if s.service else ''}{when}{who}: {done}")
    while True:
        reply = talk.ask(
            f"Type a number from 1 to {len(summaries)}, or new:" if summaries else "Type new:"
        ).lower()
        if reply == "quit":
            raise Quit
        if reply == "new":
            return _new(store, talk)
        if reply.isdigit() and 1 <= int(reply) <= len(summaries):
            return summaries[int(reply) - 1].id
        talk.say("That is not one of the choices.")


def _new(store: Store, talk: Conversation) -> str:
    import datetime

    from assess.domain.period import current_financial_year
    from assess.domain.stages import STAGES

    proposed = current_financial_year(datetime.date.fromisoformat(store.clock()[:10]))
    while True:
        authority = talk.ask("Authority:")
        service = talk.ask("Service (Enter for none):")
        assessor = talk.ask("Your name (Enter for none):")
        period = talk.ask(f"Period (Enter for {proposed}):") or proposed
        for s in STAGES:
            talk.say(f"{s.number}. {s.name}: {s.question}")
        stage = talk.ask("Stage, 0 to 5 (Enter for 0):") or "0"
        try:
            made = store.create(
                authority=authority,
                service=service,
                assessor=assessor,
                period=period,
                stage=int(stage) if stage.isdigit() else -1,
            )
        except BadInput as exc:
            talk.say(f"Not created: {exc.message}. Try again.")
            continue
        talk.say(f"Created {made.title}.")
        return made.id


def fill_plainly(store: Store, assessment_id: str, talk: Conversation, *, who: str) -> None:
    """Ask every question shown, starting at the first unanswered one, saving each answer."""
    assessment = store.get(assessment_id)
    if assessment.signed_off and assessment.signoff is not None:
        talk.say(
            f"{assessment.title} was signed off by {assessment.signoff.name} on "
            f"{assessment.signoff.date}, so it cannot be changed. Reopen it first: "
            f"assess reopen {assessment.id} --reason ..."
        )
        _summary(talk, assessment)
        return
    talk.say(f"{assessment.title}.")
    talk.say(HELP)
    index = _first_unanswered(assessment)
    try:
        while True:
            shown = _shown(assessment)
            if index >= len(shown):
                break
            question = shown[index]
            step = _ask_question(talk, assessment, question, index + 1, len(shown))
            if step.answer is not _KEEP:
                assessment = _save(store, talk, assessment, question, step.answer, who)
            index = max(0, index + step.move)
    except Quit:
        talk.say("Stopped. Every answer you gave is saved; run this again to carry on.")
        return
    talk.say("That was the last question.")
    _summary(talk, store.get(assessment_id))


@dataclass(frozen=True)
class Step:
    answer: object  # an Answer, None to clear, or _KEEP for no change
    move: int  # +1 on, -1 back


_KEEP = object()


def _shown(assessment: Assessment) -> list[Question]:
    """The questions asked, given the answers so far (an answer can show or hide others)."""
    from assess.domain.answers import visible_ids

    visible = visible_ids(assessment.bank, assessment.answers)
    return [q for q in assessment.bank.questions if q.id in visible]


def _first_unanswered(assessment: Assessment) -> int:
    for n, question in enumerate(_shown(assessment)):
        if assessment.answers.get(question.id) is None:
            return n
    return 0


def _ask_question(
    talk: Conversation, assessment: Assessment, question: Question, number: int, total: int
) -> Step:
    bank = assessment.bank
    section = bank.section_of(question.id).title
    talk.say("")
    talk.say(f"Question {number} of {total}, {section}: {question.text}")
    later = question.is_criterion and question.from_stage > assessment.stage
    if later:
        talk.say(
            f"This criterion counts from stage {question.from_stage}; you can answer it now, "
            "but it does not count yet."
        )
    choices = _choices(assessment, question)
    for key, label in choices:
        talk.say(f"  {key}: {label}")
    current = assessment.answers.get(question.id)
    if current is not None:
        from assess.domain.survey import describe_answer

        talk.say(f"Your answer now: {describe_answer(bank, question, current)}.")
    while True:
        reply = talk.ask(_prompt(question, current is not None))
        lowered = reply.lower()
        if lowered == "quit":
            raise Quit
        if lowered in ("?", "help"):
            talk.say(question.help)
            talk.say(HELP)
            continue
        if lowered == "skip" or (reply == "" and current is None):
            return Step(_KEEP, +1)
        if reply == "":
            return Step(_KEEP, +1)
        if lowered == "back":
            return Step(_KEEP, -1)
        if lowered == "clear":
            return Step(None, +1)
        try:
            answer = _parse(talk, question, reply, choices)
        except BadInput as exc:
            talk.say(f"{exc.message}")
            continue
        if answer is None:
            continue
        return Step(answer, +1)


def _choices(assessment: Assessment, question: Question) -> list[tuple[str, str]]:
    bank = assessment.bank
    if question.is_criterion:
        rows = [
            (str(level), f"{bank.level_label(level)}. {bank.level_descriptor(question, level)}")
            for level in range(5)
        ]
        if question.allow_na:
            rows.append(("n", "Not applicable (you will be asked why)"))
        return rows
    return [(str(n), option.label) for n, option in enumerate(question.options, 1)]


def _prompt(question: Question, answered: bool) -> str:
    keep = " Enter keeps your answer." if answered else " Enter skips."
    kinds = {
        "maturity": "Level, 0 to 4" + (", or n" if question.allow_na else "") + ":",
        "yesno": "1 for yes, 2 for no:",
        "single": "The number of your choice:",
        "likert": "The number of your choice:",
        "multi": "The numbers of every choice that applies, separated by commas:",
        "ranking": "The numbers in order, most important first, separated by commas:",
        "number": "A number:",
        "text": "Your answer:",
    }
    return kinds.get(question.type, "Your answer:") + keep


def _parse(
    talk: Conversation, question: Question, reply: str, choices: list[tuple[str, str]]
) -> Answer | None:
    """The answer typed, checked as the app checks it (BadInput says what is wrong)."""
    from assess.domain.answers import AnswerProblem, check_answer

    raw: object
    if question.is_criterion:
        if reply.lower() in ("n", "na", "n/a") and question.allow_na:
            reason = talk.ask("Why does it not apply?")
            if not reason:
                talk.say("A reason is needed; the answer was not changed.")
                return None
            raw = {"na": reason}
        elif reply.isdigit():
            raw = {"value": int(reply)}
        else:
            raise BadInput(f"{reply!r} is not a level: type a number from 0 to 4")
        evidence = talk.ask("Evidence for this rating (Enter for none):")
        if evidence and "value" in raw:
            raw = {**raw, "evidence": evidence}
    elif question.type in ("single", "likert", "yesno"):
        raw = {"value": _option(question, reply)}
    elif question.type in ("multi", "ranking"):
        parts = [p.strip() for p in reply.replace(";", ",").split(",") if p.strip()]
        raw = {"value": [_option(question, p) for p in parts]}
    elif question.type == "number":
        try:
            number: float = float(reply)
        except ValueError:
            raise BadInput(f"{reply!r} is not a number") from None
        raw = {"value": int(number) if number.is_integer() else number}
    else:
        raw = {"value": reply}
    try:
        return check_answer(question, raw)
    except AnswerProblem as exc:
        raise BadInput(str(exc)) from None


def _option(question: Question, typed: str) -> str:
    """An option id from its number (1, 2, ...) or its id."""
    if typed.isdigit() and 1 <= int(typed) <= len(question.options):
        return question.options[int(typed) - 1].id
    if typed in question.option_ids:
        return typed
    raise BadInput(f"{typed!r} is not one of the choices: type its number")


def _save(
    store: Store,
    talk: Conversation,
    assessment: Assessment,
    question: Question,
    answer: object,
    who: str,
) -> Assessment:
    from assess.domain.answers import Answer

    assert answer is None or isinstance(answer, Answer)
    try:
        saved = store.save_answer(
            assessment.id, question.id, answer, who=who, base_revision=assessment.revision
        )
    except BadInput as exc:
        talk.say(f"Not saved: {exc.message}")
        return store.get(assessment.id)
    talk.say("Saved." if answer is not None else "Cleared.")
    return saved


def _summary(talk: Conversation, assessment: Assessment) -> None:
    from assess.domain.scoring import format_score

    result = assessment.result
    talk.say("")
    if result.overall is None:
        talk.say("No readiness criterion applies yet, so there is no score.")
    else:
        talk.say(
            f"Readiness {format_score(result.overall)} out of 100: {result.band}. "
            f"Suggested delivery confidence: {result.confidence}."
        )
    answered, shown = result.questions_answered, result.questions_shown
    talk.say(f"{answered} of {shown} questions answered.")
    for gap in result.gaps[:5]:
        critical = "Critical. " if gap.critical else ""
        talk.say(f"Gap {gap.rank}: {critical}{gap.criterion.text} Action: {gap.action}")
    if len(result.gaps) > 5:
        talk.say(f"... and {len(result.gaps) - 5} more gaps.")
    talk.say(f"The full report: assess report {assessment.id}")

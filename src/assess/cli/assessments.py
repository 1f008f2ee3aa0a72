"""Assessments from the command line: new, answer, list, rename, duplicate, delete, restore.

Every command works on the store the run names (`--db`, ASSESS_DB or the
default, see `context`); only `new` creates a missing one. Bad input raises
`BadInput`, which the command line prints as one line per problem with exit
status 2, and nothing is written. Commands that need no question bank (list,
delete, restore, rename) never load one.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from itertools import repeat
from json.encoder import encode_basestring  # as json.dumps(text, ensure_ascii=False), in C
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from assess.cli.context import RunContext, pass_context
from assess.cli.output import say
from assess.domain.assessment import Summary, percent_done
from assess.domain.visible import UNSAFE_ON_ONE_LINE, visible
from assess.store import CorruptStore, Store

if TYPE_CHECKING:
    from assess.domain.answers_file import AnswersFile
    from assess.domain.assessment import Assessment
    from assess.domain.bank import Bank

CELL_WIDTH = 28


def _describe(assessment: Assessment) -> str:
    from assess.domain.scoring import format_score

    result = assessment.result
    complete = f"{percent_done(float(result.completeness))} complete"
    return (
        f"{assessment.id} ({assessment.title}): {complete}, "
        f"readiness {format_score(result.overall)} ({result.band})"
    )


@click.command()
@click.option("--authority", required=True, help="The authority being assessed.")
@click.option("--service", default="", help="The service, if the assessment is for one.")
@click.option("--assessor", default="", help="Your name, as the officer making it.")
@click.option(
    "--period", default=None, help='The period it is for: "2026/27", "2026" or "as at 2026-12-01".'
)
@click.option(
    "--stage",
    type=click.IntRange(0, 5),
    default=None,
    help="The partnership's stage, 0 (exploring) to 5 (running and review). Default 0.",
)
@click.option("--authority-type", default="", help="county, district, unitary, metropolitan ...")
@click.option("--region", default="", help="north-east, london, wales ... (assess new --help)")
@click.option(
    "--answers",
    "answers_file",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Start with the answers (and plan) in this YAML or JSON file, or an exported "
    "workbook (.xlsx).",
)
@pass_context
def new(
    run: RunContext,
    authority: str,
    service: str,
    assessor: str,
    period: str | None,
    stage: int | None,
    authority_type: str,
    region: str,
    answers_file: str | None,
) -> None:
    """Start a new assessment and print its id (only the id, for scripts).

    The period and stage can also come from the answers file; options given
    here win over the file's.
    """
    from assess.domain.answers_file import AnswersFile

    bank = run.shipped_bank()
    # Checked before the store is touched; a workbook gives its answers, plan and period.
    loaded = _answers_from(Path(answers_file), bank, None) if answers_file else AnswersFile({})
    answers = {qid: answer for qid, answer in loaded.answers.items() if answer is not None}
    with run.using_store(create=True) as store:
        assessment = store.create(
            authority=authority,
            service=service,
            assessor=assessor,
            bank=bank,
            answers=answers,
            plan=loaded.plan,
            stage=stage if stage is not None else loaded.stage or 0,
            period=period if period is not None else loaded.period or "",
            authority_type=authority_type,
            region=region,
        )
        say(assessment.id)


@click.command()
@click.argument("assessment_id", metavar="ID")
@click.option(
    "--answers",
    "answers_file",
    metavar="FILE",
    required=True,
    type=click.Path(dir_okay=False),
    help="YAML or JSON file of answers to merge in (null clears an answer), or a workbook "
    "exported for this assessment (.xlsx), whose changed cells are merged in.",
)
@click.option("--who", default="", help="Your name for the history (default: the assessor).")
@pass_context
def answer(run: RunContext, assessment_id: str, answers_file: str, who: str) -> None:
    """Merge answers (and any plan changes and period) from a file into an assessment."""
    with run.using_store() as store:
        found = store.resolve(assessment_id)
        before = store.get(found)
        loaded = _answers_from(Path(answers_file), before.bank, before)
        # All or nothing; and should someone else save in the meantime, a question
        # or plan entry they changed is refused rather than overwritten.
        after = store.save_changes(
            found,
            answers=loaded.answers,
            plan=loaded.plan,
            period=loaded.period,
            who=who,
            base_revision=before.revision,
        )
        if after.revision == before.revision:
            say(f"Nothing to change: {_describe(after)}")
            return
        saved = [f"{len(loaded.answers)} answer(s)"]
        if loaded.plan:
            saved.append(f"{len(loaded.plan)} plan entr{'y' if len(loaded.plan) == 1 else 'ies'}")
        if loaded.period is not None:
            saved.append("the period")
        say(f"Saved {' and '.join(saved)} to {_describe(after)}")


def _answers_from(path: Path, bank: Bank, assessment: Assessment | None) -> AnswersFile:
    """A checked answers file, or a workbook read back (its changes, for `assessment`)."""
    from assess.domain.answers_file import answers_from_parsed, read_answers_file

    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return read_answers_file(path, bank)
    from assess.reports.workbook import read_workbook

    return answers_from_parsed(read_workbook(path, bank, assessment), bank)


def cell(text: str, width: int = CELL_WIDTH) -> str:
    """Data text for one cell of a printed line: hidden characters by their code, cut to fit."""
    text = visible(text, one_line=True)
    return text if len(text) <= width else text[: width - 1] + "…"


_HEAD = (
    "ID",
    "Authority",
    "Service",
    "Assessor",
    "Period",
    "Stage",
    "Status",
    "Complete",
    "Score",
    "Band",
    "Confidence",
    "Actions",
    "Updated (UTC)",
)
# The columns aligned right (numbers), and each data text column's width.
_NUMERIC = frozenset({5, 7, 8})
_TEXT_WIDTHS = {1: CELL_WIDTH, 2: CELL_WIDTH, 3: CELL_WIDTH, 4: 18, 6: 24, 9: 14, 10: 12}


def _cells(texts: list[str], width: int) -> tuple[list[str], int]:
    """A column of data text as `cell` shows it, and its widest value's length.

    The work is done on the column's distinct values (most columns repeat a
    few: bands, statuses, periods), with one search for hidden characters in
    them all. Nearly always none holds one (stored summaries are checked for
    them) and none is too long, and then the column is used as it is;
    otherwise each distinct value goes through `cell` once.
    """
    distinct = set(texts)
    if UNSAFE_ON_ONE_LINE.search("".join(distinct)) is None:
        widest = max(map(len, distinct), default=0)
        if widest <= width:
            return texts, widest
    shown = {text: cell(text, width) for text in distinct}
    return list(map(shown.__getitem__, texts)), max(map(len, shown.values()), default=0)


# Lines of the table made and written at a time: the whole table of a large
# store at once would hold every cell twice over in memory.
_CHUNK = 4096


def _table(summaries: list[Summary], today: str) -> str:
    """The list as aligned columns of plain text (see `_table_chunks`)."""
    return "\n".join(_table_chunks(summaries, today))


def _table_chunks(summaries: list[Summary], today: str) -> Iterator[str]:
    """The table's lines, up to `_CHUNK` at a time, each piece without its last newline.

    A store may hold 100,000 assessments, so the work is done a column at a
    time with the loops in C (one search per column for hidden characters,
    `str.ljust` mapped over a column) rather than cell by cell.
    """

    def field(name: str) -> list[Any]:
        return list(map(attrgetter(name), summaries))

    def shown(values: list[Any], show: Callable[[Any], str]) -> list[str]:
        # Values repeat (a few bands, stages, scores), so each is worked out once.
        worded = {value: show(value) for value in set(values)}
        return list(map(worded.__getitem__, values))

    status = field("status")
    actions = shown(field("plan_total"), str)
    for n, s in enumerate(summaries):
        if s.review:  # signed off
            status[n] = "signed off, review due" if s.review <= today else "signed off"
        overdue = s.overdue(today) if s.plan_due else 0
        if overdue:
            actions[n] = f"{s.plan_total} ({overdue} overdue)"
    columns: list[list[str]] = [
        field("id"),
        field("authority"),
        field("service"),
        field("assessor"),
        field("period"),
        shown(field("stage"), str),
        status,
        shown(field("completeness"), percent_done),
        shown(field("score"), lambda score: "–" if score is None else f"{score:.1f}"),
        field("band"),
        [c or "–" for c in field("confidence")],
        actions,
        shown(field("updated"), lambda stamp: f"{stamp[:10]} {stamp[11:16]}"),
    ]
    widest: dict[int, int] = {}
    for i, width in (*_TEXT_WIDTHS.items(), (12, CELL_WIDTH)):
        columns[i], widest[i] = _cells(columns[i], width)
    widths = [
        max(len(head), widest[i] if i in widest else max(map(len, columns[i]), default=0))
        for i, head in enumerate(_HEAD)
    ]
    pads = [str.rjust if i in _NUMERIC else str.ljust for i in range(len(_HEAD))]
    yield "  ".join(pad(h, w) for pad, h, w in zip(pads, _HEAD, widths, strict=True)).rstrip()
    for start in range(0, len(summaries), _CHUNK):
        padded = [
            map(pad, column[start : start + _CHUNK], repeat(width))
            for pad, column, width in zip(pads, columns, widths, strict=True)
        ]
        yield "\n".join(map(str.rstrip, map("  ".join, zip(*padded, strict=True))))


def _json_list(summaries: list[Summary]) -> str:
    """`json.dumps([s.to_data() ...], indent=2, ensure_ascii=False)` (see `_json_chunks`)."""
    return "".join(_json_chunks(summaries))


def _json_chunks(summaries: list[Summary]) -> Iterator[str]:
    """The text `json.dumps([s.to_data() ...], indent=2, ensure_ascii=False)` gives, in pieces.

    The same text to the byte, but made `_CHUNK` summaries at a time (the
    JSON of a large store is tens of MB; made whole, it would be in memory
    two or three times over), each value encoded once per distinct value or
    by the C encoder mapped over a column of text, and each summary's lines
    made by one `%` of a template, rather than by the indenting encoder,
    which is written in Python and walks every value.
    """
    if not summaries:
        yield "[]"
        return
    names = Summary._fields
    template = "  {\n" + ",\n".join(f"    {json.dumps(n)}: %s" for n in names) + "\n  }"
    seen: list[dict[tuple[type, Any], str]] = [{} for _ in names]
    yield "["
    for start in range(0, len(summaries), _CHUNK):
        part = summaries[start : start + _CHUNK]
        columns: list[list[str]] = []
        for name, column, known in zip(names, zip(*part, strict=True), seen, strict=True):
            if name == "plan_due":
                columns.append(_shown_json(column, _json_days, known))
            elif _is_text(column):
                columns.append(list(map(encode_basestring, column)))
            else:
                columns.append(_shown_json(column, _json_value, known))
        rows = ",\n".join(map(template.__mod__, zip(*columns, strict=True)))
        yield ("\n" if start == 0 else ",\n") + rows
    yield "\n]"


def _is_text(column: tuple[Any, ...]) -> bool:
    return {type(value) for value in column} == {str}


def _json_value(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _json_days(days: tuple[str, ...]) -> str:
    """A list of due dates as the indenting encoder writes it, at the depth of a field."""
    if not days:
        return "[]"
    return "[\n" + ",\n".join(f"      {encode_basestring(day)}" for day in days) + "\n    ]"


def _shown_json(
    column: tuple[Any, ...], encode: Callable[[Any], str], known: dict[tuple[type, Any], str]
) -> list[str]:
    # Values repeat (stages, bands, scores), so each is encoded once (`known`
    # keeps them from one piece to the next); 1 and 1.0 are one key, so the
    # type is part of it.
    for value in set(column):
        if (type(value), value) not in known:
            known[type(value), value] = encode(value)
    return [known[type(v), v] for v in column]


@click.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_context
def list_assessments(run: RunContext, as_json: bool) -> None:
    """List the saved assessments, most recently updated first."""
    today = ""
    summaries: list[Summary] = []
    if run.has_store():  # a missing or empty folder simply holds none yet
        with run.using_store() as store:
            summaries = store.list()
            today = store.clock()[:10]
    if as_json:
        for chunk in _json_chunks(summaries):
            sys.stdout.write(chunk)
        sys.stdout.write("\n")
        sys.stdout.flush()
    elif not summaries:
        say("No assessments yet. Start one with: assess new --authority NAME")
    else:
        for chunk in _table_chunks(summaries, today):
            sys.stdout.write(chunk + "\n")
        sys.stdout.flush()


def _title_of(store: Store, assessment_id: str) -> str:
    try:
        return store.title(assessment_id)  # the metadata alone: no bank to load
    except CorruptStore:
        pass
    try:
        return store.get(assessment_id).title  # which puts a good backup back, if there is one
    except CorruptStore:
        return "cannot be read"


@click.command()
@click.argument("assessment_id", metavar="ID")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@pass_context
def delete(run: RunContext, assessment_id: str, yes: bool) -> None:
    """Move an assessment to the store's trash (assess restore ID brings it back)."""
    with run.using_store() as store:
        found = store.resolve(assessment_id)
        title = _title_of(store, found)
        if not yes:
            click.confirm(
                f"Delete {found} ({title})? It goes to the store's trash, and "
                f"`assess restore {found}` brings it back",
                abort=True,
            )
        store.delete(found)
        say(f"Deleted {found} ({title}); `assess restore {found}` brings it back")


@click.command()
@click.argument("assessment_id", metavar="ID")
@pass_context
def restore(run: RunContext, assessment_id: str) -> None:
    """Bring back a deleted assessment."""
    with run.using_store() as store:
        say(f"Restored {_describe(store.restore(assessment_id))}")


def _names_given(authority: str | None, service: str | None, assessor: str | None) -> bool:
    return any(value is not None for value in (authority, service, assessor))


@click.command()
@click.argument("assessment_id", metavar="ID")
@click.option("--authority", help="The new authority name.")
@click.option("--service", help="The new service name ('' for none).")
@click.option("--assessor", help="The new assessor name.")
@click.option(
    "--period", help='The period: "2026/27", "2026" or "as at 2026-12-01" (\'\' for none).'
)
@click.option("--authority-type", help="county, district, unitary, metropolitan or london-borough.")
@click.option(
    "--region", help="One of England's nine regions, or wales, scotland, northern-ireland."
)
@click.option("--who", default="", help="Your name for the history (default: the assessor).")
@pass_context
def rename(
    run: RunContext,
    assessment_id: str,
    authority: str | None,
    service: str | None,
    assessor: str | None,
    period: str | None,
    authority_type: str | None,
    region: str | None,
    who: str,
) -> None:
    """Change an assessment's names, period, authority type or region."""
    details = (period, authority_type, region)
    if not _names_given(authority, service, assessor) and all(d is None for d in details):
        raise click.UsageError(
            "give at least one of --authority, --service, --assessor, --period, "
            "--authority-type and --region"
        )
    with run.using_store() as store:
        found = store.resolve(assessment_id)
        renamed = store.get(found)
        if _names_given(authority, service, assessor):
            renamed = store.rename(found, authority=authority, service=service, assessor=assessor)
        if any(d is not None for d in details):
            renamed = store.set_details(
                found, period=period, authority_type=authority_type, region=region, who=who
            )
        by = f", assessor {renamed.assessor}" if renamed.assessor else ""
        when = f", {renamed.period}" if renamed.period else ""
        say(f"Renamed {found}: {renamed.title}{by}{when}")


@click.command()
@click.argument("assessment_id", metavar="ID")
@click.option("--authority", help="Authority of the copy (default: the same).")
@click.option("--service", help="Service of the copy (default: the same).")
@click.option("--assessor", help="Assessor of the copy (default: the same).")
@click.option("--period", help="Period of the copy (default: the one after the original's).")
@pass_context
def duplicate(
    run: RunContext,
    assessment_id: str,
    authority: str | None,
    service: str | None,
    assessor: str | None,
    period: str | None,
) -> None:
    """Copy an assessment into a new draft for the next period; prints the new id.

    The copy keeps the answers and the open actions of the plan (done and
    dropped ones stay with the original), and its period is the one after
    the original's unless --period gives another.
    """
    with run.using_store() as store:
        found = store.resolve(assessment_id)
        copy = store.duplicate(
            found, authority=authority, service=service, assessor=assessor, period=period
        )
        say(copy.id)

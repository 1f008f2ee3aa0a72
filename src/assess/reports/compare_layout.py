"""A comparison of assessments laid out as a Document, for the terminal, Markdown and HTML.

The printed formats (and the app's compare screen) draw this one Document
(see `document.py`), so they always agree. Sections, in the order officers
read them: what is compared, what kind of comparison it is and why, and the
baseline (and, when the banks differ, which questions were left out; when
an officer has several assessments, which one is their view); the
assessments; the overall scores; every dimension side by side with the
change from the baseline (and, over time only, a trend); the answers that
changed, with their evidence notes; gaps closed, opened and persisting;
over time, what became of the baseline's action plan; across officers,
where they disagree and the consensus, with each item left to settle and
every officer's view of it; how it is all worked out; and an appendix of
identifiers. The body names questions by their text, never by their ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from assess.domain.compare import (
    OVER_TIME,
    AnswerChange,
    Comparison,
    CriterionSpread,
    DimensionScores,
    GapChange,
    column_answers,
    describe_kind,
    kind_and_reason,
)
from assess.domain.consensus import (
    AGREED,
    MIDDLE,
    NOT_ANSWERED,
    SETTLED,
    TO_SETTLE,
    Consensus,
    ConsensusItem,
    View,
    consensus,
)
from assess.domain.plan import (
    DONE_AND_ROSE,
    DONE_NOT_ROSE,
    DROPPED,
    NEW_GAP,
    NOT_DONE,
    PlanEntry,
    PlanOutcome,
)
from assess.domain.scoring import format_score
from assess.domain.stages import stage as stage_named
from assess.domain.survey import describe_answer
from assess.reports.document import (
    Bar,
    Bars,
    Block,
    Chart,
    Column,
    Document,
    Facts,
    Heading,
    Item,
    Items,
    Paragraph,
    Series,
    Table,
    Tone,
    band_tone,
)

# The compare screen draws its trends with the same characters.
from assess.reports.document import sparkline as sparkline

TREND_WORDS = {"up": "▲ up", "down": "▼ down", "flat": "= same"}
DEFAULT_COLUMNS = 8  # assessments side by side in one table before it is split
# Up to this many officers are named one by one where their levels are listed.
NAMED_COLUMNS = 8
# More tables of scores side by side than this are not read; a summary is.
MAX_TABLES = 3
# In the terminal (as `reports.comparison_columns` reckons it): the dimension's
# title and the trend take this many cells, a score with its change and the
# gap before it this many, and a heading needs this many more than its length.
TITLE_AND_TREND_CELLS = 36
SCORE_CELLS = 11
COLUMN_GAP = 1
# Levels given ("Ann 1 · Bob 3") up to this long are kept on one line in a table.
LEVELS_ON_ONE_LINE = 36

# What became of the baseline's plan, in the order a reader wants it, and the heading of each.
OUTCOME_HEADINGS = (
    (DONE_AND_ROSE, "Done, and the level rose"),
    (DONE_NOT_ROSE, "Done, but the level did not rise"),
    (NOT_DONE, "Not done"),
    (DROPPED, "Dropped"),
    (NEW_GAP, "New gaps with no plan entry"),
)


def signed(delta: Fraction | None) -> str:
    """A change in points to one decimal: "+35.0", "−12.5", "±0.0" (empty when unknown)."""
    if delta is None:
        return ""
    if delta == 0:
        return "±0.0"
    return ("+" if delta > 0 else "−") + format_score(abs(delta))


def trend_text(row: DimensionScores) -> str:
    """`▂▅█ ▲ up`: the scores as a sparkline, then the direction from the baseline to the last."""
    return f"{sparkline(row.scores)} {TREND_WORDS[row.trend]}"


def signed_count(delta: int) -> str:
    """A change in a whole number: "+3", "−3", "±0"."""
    return "±0" if delta == 0 else f"{'+' if delta > 0 else '−'}{abs(delta)}"


def count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def subject(comparison: Comparison) -> str:
    """What the comparison is about, for its title."""
    assessments = comparison.assessments
    titles = {a.title for a in assessments}
    if len(titles) == 1:
        return assessments[0].title
    authorities = {a.authority for a in assessments}
    if len(authorities) == 1:
        return assessments[0].authority
    return f"{len(authorities)} authorities"


def comparison_title(comparison: Comparison) -> str:
    return f"Comparison {comparison.kind}: {subject(comparison)}"


def comparison_document(
    comparison: Comparison,
    *,
    date: str = "",
    max_columns: int = DEFAULT_COLUMNS,
    width: int | None = None,
) -> Document:
    """The whole comparison as a Document.

    Tables hold at most `max_columns` assessments, and, given the `width` of a
    terminal, no more than fit in it with every heading whole. Across
    officers the consensus has the items the officers settled so far
    (`Comparison.settled`).
    """
    c = comparison
    agreed = consensus(c) if c.for_officers else None
    blocks: list[Block] = [_facts(c, date)]
    blocks += [Paragraph(warning, "warning") for warning in c.warnings]
    blocks += _bank_note(c)
    blocks += _assessments(c)
    blocks += _overall(c)
    blocks += _dimensions(c, max(1, max_columns), width)
    blocks += _changes(c)
    blocks += _gaps(c)
    if c.over_time:
        blocks += plan_blocks(c)
    if agreed is not None:
        blocks += _disagreements(c, agreed)
        blocks += consensus_blocks(agreed)
    blocks += [
        Heading("How the comparison is worked out"),
        Paragraph(c.rules, "muted"),
    ]
    blocks += appendix_blocks(c)
    return Document(title=comparison_title(c), blocks=tuple(blocks))


def _facts(c: Comparison, date: str) -> Facts:
    assessments = c.assessments
    detected, reason = kind_and_reason(assessments)
    kind = f"{c.kind} (worked out from them: {reason})"
    if c.kind != detected:
        kind = f"{c.kind}, as chosen (they look like a comparison {detected}: {reason})"
    pairs: list[tuple[str, str]] = [
        ("Compared", f"{len(assessments)} assessments"),
        ("Kind", kind),
    ]
    authorities = list(dict.fromkeys(a.authority for a in assessments))
    pairs.append(("Authority" if len(authorities) == 1 else "Authorities", "; ".join(authorities)))
    services = list(dict.fromkeys(a.service for a in assessments if a.service))
    if services:
        pairs.append(("Service" if len(services) == 1 else "Services", "; ".join(services)))
    periods = list(dict.fromkeys(a.period for a in assessments if a.period))
    if periods:
        pairs.append(("Period" if len(periods) == 1 else "Periods", "; ".join(periods)))
    pairs.append(("Baseline", c.baseline.label + (", as chosen" if c.baseline_chosen else "")))
    pairs.append(("How to read it", describe_kind(c)))
    if date:
        pairs.append(("Report date", date))
    bank = c.bank
    if c.same_bank:
        pairs.append(("Question bank", f"{bank.id} {bank.version}, the same for all"))
    else:
        pairs.append(
            (
                "Question banks",
                f"{bank.id} versions {', '.join(c.bank_versions)}: compared on the "
                f"{c.shared_count} questions they share; {len(c.left_out)} left out",
            )
        )
    return Facts(tuple(pairs))


def _bank_note(c: Comparison) -> list[Block]:
    if c.same_bank:
        return []
    texts = [f"“{text}”" for _, text in c.left_out_texts]
    return [
        Paragraph(
            f"The assessments were made with different versions of the question bank. "
            f"They are compared on the {c.shared_count} questions every version asks in "
            f"the same way, scored with version {c.bank.version}'s weights. Left out "
            f"({len(c.left_out)}): {'; '.join(texts)}.",
            "warning",
        )
    ]


def _assessments(c: Comparison) -> list[Block]:
    """Each assessment as an entry of its own: every name in full, at any width."""
    items = []
    for column in c.columns:
        a = column.assessment
        found = stage_named(a.stage)
        lines: list[tuple[str, str]] = [
            ("Assessment", a.title),
            ("Assessor", a.assessor or "not given"),
            ("Period", a.period or "not given"),
            ("Stage", f"{found.number}, {found.name}"),
            ("Made", a.created[:10]),
            ("Status", a.status + (" and signed off" if a.signed_off else "")),
            ("Question bank", f"version {a.bank.version}"),
        ]
        if column is c.baseline and len(c.columns) > 1:
            lines.append(("", "The baseline: changes are measured from this one."))
        items.append(Item(title=column.label, lines=tuple(lines)))
    return [Heading("The assessments compared"), Items(tuple(items))]


def _overall(c: Comparison) -> list[Block]:
    bars = []
    for column, delta in zip(c.columns, c.overall_deltas, strict=True):
        result = column.result
        change = signed(delta)
        note = result.band + (f" · {change}" if column is not c.baseline and change else "")
        bars.append(
            Bar(
                label=column.label,
                value=result.overall,
                shown=format_score(result.overall),
                note=note,
                tone=band_tone(result.band),
            )
        )
    blocks: list[Block] = [Heading("Overall readiness"), Bars(tuple(bars), heading="Assessment")]
    row = c.overall_row
    if row.change is not None:
        direction = {"up": "an improvement", "down": "a decline", "flat": "no change"}[row.trend]
        blocks.append(
            Paragraph(
                f"From the baseline ({c.baseline.label}) to {c.last.label}: "
                f"{signed(row.change)} points ({direction}).",
                "strong",
            )
        )
    for column in c.columns:
        capped = column.result.capped_by
        if capped:
            texts = "; ".join(f"“{cr.text}”" for cr in capped)
            what = "a critical criterion" if len(capped) == 1 else "critical criteria"
            blocks.append(
                Paragraph(
                    f"{column.label}: band capped by {what} below target: {texts}.",
                    "bad",
                )
            )
    return blocks


def score_cell(row: DimensionScores, index: int) -> str:
    """A score with, beside the baseline, its change from it: "85.0 (+35.0)"."""
    value, delta = row.scores[index], row.deltas[index]
    shown = format_score(value)
    if index == row.baseline or value is None or delta is None:
        return shown
    return f"{shown} ({signed(delta)})"


def column_chunks(c: Comparison, max_columns: int, width: int | None) -> list[range]:
    """The assessments in groups that fit one table each.

    At most `max_columns` to a table; in a terminal `width` cells wide, no
    more than fit with the dimension's title, the trend and every heading
    whole (a heading is an officer's full name, never cut): a long heading
    takes the room of more than one score.
    """
    n = len(c.columns)
    chunks: list[range] = []
    start = 0
    while start < n:
        stop = start + 1
        used = TITLE_AND_TREND_CELLS + _cells(c.columns[start].label)
        while stop < n and stop - start < max_columns:
            more = _cells(c.columns[stop].label)
            if width is not None and used + more > width:
                break
            used += more
            stop += 1
        chunks.append(range(start, stop))
        start = stop
    return chunks


def _cells(label: str) -> int:
    return max(len(label) + COLUMN_GAP, SCORE_CELLS)


def _dimensions(c: Comparison, max_columns: int, width: int | None) -> list[Block]:
    rows: list[DimensionScores] = [c.overall_row, *c.dimensions]
    n = len(c.columns)
    chunks = column_chunks(c, max_columns, width)
    trend = (
        " The trend draws each assessment's score as a bar, then says whether the last is "
        "up or down on the baseline."
        if c.over_time
        else ""
    )
    blocks: list[Block] = [
        Heading("Readiness by dimension"),
        Paragraph(
            f"Scores out of 100; in brackets the change from the baseline "
            f"({c.baseline.label}).{trend}",
            "muted",
        ),
    ]
    if len(chunks) > MAX_TABLES:
        return [*blocks[:1], *_dimension_summary(c, rows), *_charts(c, rows)]
    for number, chunk in enumerate(chunks, 1):
        with_trend = c.over_time and number == len(chunks)
        columns = [Column("Dimension", wide=True)]
        columns += [Column(c.columns[i].label, "right") for i in chunk]
        if with_trend:
            columns.append(Column("Trend"))
        body = []
        for row in rows:
            cells = [row.title]
            cells += [score_cell(row, i) for i in chunk]
            if with_trend:
                cells.append(trend_text(row))
            body.append(tuple(cells))
        extra = [
            ("Band", [col.result.band for col in c.columns]),
            (
                "Questions answered",
                [
                    f"{col.result.questions_answered} of {col.result.questions_shown}"
                    for col in c.columns
                ],
            ),
            ("Gap points", [str(col.gap_points) for col in c.columns]),
        ]
        for title, values in extra:
            cells = [title, *(values[i] for i in chunk)]
            if with_trend:
                cells.append("")
            body.append(tuple(cells))
        if len(chunks) > 1:
            blocks.append(Heading(f"Assessments {chunk.start + 1} to {chunk.stop} of {n}", level=3))
        blocks.append(Table(tuple(columns), tuple(body)))
    return blocks + _charts(c, rows)


def _charts(c: Comparison, rows: list[DimensionScores]) -> list[Block]:
    """Over time, a trend line per dimension; across officers, the spread of their views."""
    series = tuple(Series(row.title, row.scores, strong=row is rows[0]) for row in rows)
    labels = tuple(column.label for column in c.columns)
    if c.kind == OVER_TIME:
        return [
            Chart(
                "trend",
                "Readiness over time",
                "Overall readiness (the heavy line) and each dimension, assessment by "
                "assessment, in period order.",
                labels,
                series,
                data_in="the table above",
            )
        ]
    if c.for_officers:
        return [
            Chart(
                "spread",
                "How far apart the officers' views are",
                "For overall readiness and each dimension, a dot for each officer's score "
                "and a bar from the lowest to the highest.",
                labels,
                series,
            )
        ]
    return []


def _dimension_summary(c: Comparison, rows: list[DimensionScores]) -> list[Block]:
    """Each dimension at the baseline and at the last, its range and its change.

    Used when there are too many assessments to read side by side (a dozen
    tables of four); every score is still in the JSON export and on the
    compare screen.
    """
    first, last = c.baseline.label, c.last.label
    body = []
    for row in rows:
        scored = [s for s in row.scores if s is not None]
        cells = [
            row.title,
            format_score(row.scores[row.baseline]),
            format_score(row.scores[-1]),
            signed(row.change) or "–",
            format_score(min(scored)) if scored else "–",
            format_score(max(scored)) if scored else "–",
        ]
        if c.over_time:
            cells.append(trend_text(row))
        body.append(tuple(cells))
    columns = [
        Column("Dimension", wide=True),
        Column("Baseline", "right"),
        Column("Last", "right"),
        Column("Change", "right"),
        Column("Lowest", "right"),
        Column("Highest", "right"),
    ]
    if c.over_time:
        columns.append(Column("Trend", wide=True))
    return [
        Paragraph(
            f"Scores out of 100 in the baseline ({first}) and the last ({last}), the "
            f"change between them, and the lowest and the highest of all {len(c.columns)}. "
            "Every score of every assessment is in the JSON export and on the compare "
            "screen.",
            "muted",
        ),
        Table(tuple(columns), tuple(body)),
    ]


def answer_words(c: Comparison, change: AnswerChange, index: int) -> str:
    """One column's answer in words, with its evidence note."""
    answer = change.answers[index]
    if answer is None:
        return "not answered"
    words = describe_answer(c.bank, change.question, answer) or "not answered"
    note = answer.evidence.strip()
    return f"{words}. Evidence: {note}" if note else words


def change_where(c: Comparison, change: AnswerChange) -> str:
    """The question's section and, for a criterion, its levels: "Strategic fit · level 1 → 3"."""
    q = change.question
    where = c.bank.section_of(q.id).title
    if not q.is_criterion:
        return where
    levels = [
        "n/a" if a is not None and a.is_na else ("–" if a is None else str(a.level))
        for a in change.answers
    ]
    return f"{where} · level {' → '.join(levels)}"


def change_item(c: Comparison, change: AnswerChange) -> Item:
    lines: list[tuple[str, str]] = [("", change_where(c, change))]
    lines += [(column.label, answer_words(c, change, i)) for i, column in enumerate(c.columns)]
    return Item(title=change.question.text, lines=tuple(lines))


def _changes(c: Comparison) -> list[Block]:
    over_time = c.kind == OVER_TIME
    blocks: list[Block] = [Heading("Answers that changed" if over_time else "Answers that differ")]
    if not c.changes:
        blocks.append(
            Paragraph(f"Every one of the {c.shared_count} shared questions has the same answer.")
        )
        return blocks
    criteria = sum(1 for ch in c.changes if ch.question.is_criterion)
    blocks.append(
        Paragraph(
            f"{len(c.changes)} of the {c.shared_count} shared questions "
            f"{'has a different answer' if len(c.changes) == 1 else 'have different answers'} "
            f"({count(criteria, 'readiness criterion', 'readiness criteria')}, "
            f"{count(len(c.changes) - criteria, 'survey question', 'survey questions')}). "
            "A new evidence note alone is not counted as a change.",
            "muted",
        )
    )
    blocks.append(Items(tuple(change_item(c, ch) for ch in c.changes)))
    return blocks


def gap_facts(gap: GapChange) -> str:
    """ "level 1 → 3 (target 3) · gap points 6 → none"."""
    q = gap.question
    return (
        f"level {_level(gap.level_before)} → {_level(gap.level_after)} (target {q.target}) · "
        f"gap points {_points(gap.points_before)} → {_points(gap.points_after)}"
    )


def _points(points: int | None) -> str:
    return "none" if points is None else str(points)


def _level(level: int | None) -> str:
    return "n/a" if level is None else str(level)


def gap_item(gap: GapChange, *, with_action: bool) -> Item:
    q = gap.question
    lines = [("", f"{'Critical · ' if q.critical else ''}{gap_facts(gap)}")]
    if with_action and q.action:
        lines.append(("Action", q.action))
    return Item(title=q.text, lines=tuple(lines), tone="bad" if q.critical else "plain")


def gap_headings(c: Comparison) -> tuple[str, str, str]:
    """Headings for gaps (closed, opened, persisting) in the words that fit the kind."""
    first, last = c.baseline.label, c.last.label
    if c.kind == OVER_TIME:
        return (
            f"Gaps closed since {first}",
            f"Gaps opened since {first}",
            f"Gaps persisting from {first} to {last}",
        )
    return (
        f"Gaps in {first} but not in {last}",
        f"Gaps in {last} but not in {first}",
        f"Gaps in both {first} and {last}",
    )


def _gaps(c: Comparison) -> list[Block]:
    first, last = c.baseline, c.last
    blocks: list[Block] = [
        Heading("Gaps closed, opened and persisting"),
        Paragraph(
            f"Between the baseline ({first.label}) and the last ({last.label}). Gap points "
            "measure how far a criterion is from its target, weighted by how much it counts "
            "(its dimension's weight times its own, times the levels it is short). Gap "
            f"points in all: {first.gap_points} → {last.gap_points} "
            f"({signed_count(last.gap_points - first.gap_points)}).",
            "muted",
        ),
    ]
    closed, opened, persisting = gap_headings(c)
    # New gaps come with their recommended action; closed and persisting ones
    # are listed compactly (the readiness report of each has the actions).
    for heading, gaps, as_items in (
        (closed, c.gaps_closed, False),
        (opened, c.gaps_opened, True),
        (persisting, c.gaps_persisting, False),
    ):
        blocks.append(Heading(f"{heading} ({len(gaps)})", level=3))
        if not gaps:
            blocks.append(Paragraph("None."))
        elif as_items:
            blocks.append(Items(tuple(gap_item(g, with_action=True) for g in gaps)))
        else:
            blocks.append(gap_table(gaps))
    return blocks


def gap_table(gaps: Sequence[GapChange]) -> Table:
    rows = tuple(
        (
            g.question.text,
            "yes" if g.question.critical else "",
            f"{_level(g.level_before)} → {_level(g.level_after)}",
            str(g.question.target),
            f"{_points(g.points_before)} → {_points(g.points_after)}",
        )
        for g in gaps
    )
    return Table(
        (
            Column("Criterion", wide=True),
            Column("Critical"),
            Column("Level", "right"),
            Column("Target", "right"),
            Column("Gap points", "right"),
        ),
        rows,
    )


# ----------------------------------------------------------------------------
# The action plan, a period later


def outcome_groups(c: Comparison) -> list[tuple[str, str, tuple[PlanOutcome, ...]]]:
    """(outcome, heading, entries) for each of the plan outcomes, in reading order."""
    return [
        (outcome, heading, tuple(o for o in c.plan_outcomes if o.outcome == outcome))
        for outcome, heading in OUTCOME_HEADINGS
    ]


def plan_blocks(c: Comparison) -> list[Block]:
    """Over time: what became of each plan entry of the baseline, and the new gaps."""
    first, last = c.baseline.label, c.last.label
    blocks: list[Block] = [
        Heading("What became of the action plan"),
        Paragraph(
            f"Each action-plan entry of the baseline ({first}) and what became of it by "
            f"{last}, then the gaps of {last} that have no plan entry. An action done "
            "without the level rising is called out: the work did not close the gap.",
            "muted",
        ),
    ]
    if not c.plan_outcomes:
        blocks.append(
            Paragraph(
                f"The baseline has no action-plan entries, and {last} has no new gap without one."
            )
        )
        return blocks
    summary = "; ".join(
        f"{heading.lower()}: {len(found)}" for _, heading, found in outcome_groups(c)
    )
    blocks.append(Paragraph(summary[:1].upper() + summary[1:] + ".", "strong"))
    for outcome, heading, found in outcome_groups(c):
        if outcome == DROPPED and not found:
            continue  # dropped actions are rare; no heading for none of them
        blocks.append(Heading(f"{heading} ({len(found)})", level=3))
        if not found:
            blocks.append(Paragraph("None."))
            continue
        tone: Tone = "warning" if outcome == DONE_NOT_ROSE else "plain"
        blocks.append(Items(tuple(outcome_item(o, tone) for o in found)))
    return blocks


def outcome_item(o: PlanOutcome, tone: Tone = "plain") -> Item:
    levels = f"level {_level_given(o.level_before)} → {_level_given(o.level_after)}"
    lines: list[tuple[str, str]] = [("", f"{levels} (target {o.question.target})")]
    entry = o.later_entry or o.entry
    if o.entry is not None:
        lines.append(("Action", o.entry.action))
        lines.append(("Owner", o.entry.owner or "none named"))
        lines.append(("Status", _status_then_now(o.entry, o.later_entry)))
    elif o.question.action:
        lines.append(("Recommended action", o.question.action))
    if entry is not None and entry.due is not None:
        lines.append(("Due", entry.due.isoformat()))
    return Item(title=o.question.text, lines=tuple(lines), tone=tone)


def _level_given(level: int | None) -> str:
    return "not rated" if level is None else str(level)


def _status_then_now(entry: PlanEntry, later: PlanEntry | None) -> str:
    then = entry.status + (f" ({entry.reason})" if entry.reason else "")
    if later is None:
        return f"{then}; no entry in the later assessment"
    now = later.status + (f" ({later.reason})" if later.reason else "")
    return then if later.status == entry.status else f"{then}, then {now}"


# ----------------------------------------------------------------------------
# Officers: where they disagree, and the consensus


def levels_text(c: Comparison, spread: CriterionSpread) -> str:
    """`Ann 1 · Bob 3 · Cat n/a`: each officer's level, in column order.

    With more officers than fit on a line or two, how many gave each level
    (`1 ×12 · 3 ×30 · n/a ×1`) says more than fifty names do.
    """
    shown = [
        "n/a" if na else ("–" if level is None else str(level))
        for level, na in zip(spread.levels, spread.na, strict=True)
    ]
    if len(c.columns) <= NAMED_COLUMNS:
        return " · ".join(
            f"{column.label} {level}" for column, level in zip(c.columns, shown, strict=True)
        )
    order = ["0", "1", "2", "3", "4", "n/a", "–"]
    counts = {level: shown.count(level) for level in order if level in shown}
    return " · ".join(f"{level} ×{n}" for level, n in counts.items())


def extremes(c: Comparison, spread: CriterionSpread) -> list[int]:
    """The columns whose evidence explains a disagreement: every officer's when there
    are few, else those who gave the lowest and the highest level."""
    if len(c.columns) <= NAMED_COLUMNS or not spread.rated:
        return list(range(len(c.columns)))
    low, high = min(spread.rated), max(spread.rated)
    return [i for i, level in enumerate(spread.levels) if level in (low, high)]


def consensus_text(item: ConsensusItem) -> str:
    """The consensus of one criterion in a few words: `3 agreed`, `to settle`."""
    if item.rule == TO_SETTLE:
        return "to settle"
    if item.rule == NOT_ANSWERED or item.answer is None:
        return "–"
    shown = "n/a" if item.answer.is_na else str(item.answer.level)
    return f"{shown} {item.rule}"


def _disagreements(c: Comparison, agreed: Consensus) -> list[Block]:
    found = c.disagreements
    blocks: list[Block] = [Heading("Where the officers disagree")]
    if not found:
        blocks.append(
            Paragraph(
                "No criterion has levels two or more apart: the officers broadly agree.", "good"
            )
        )
        return blocks
    blocks.append(
        Paragraph(
            f"{len(found)} of {len(c.spreads)} criteria "
            f"{'has' if len(found) == 1 else 'have'} levels two or more apart. "
            "The evidence notes below say why "
            + (
                "each officer chose their level."
                if len(c.columns) <= NAMED_COLUMNS
                else "the officers who gave the lowest and the highest levels chose them."
            ),
            "warning",
        )
    )
    items = {item.id: item for item in agreed.items}
    given = [column_answers(c, i) for i in range(len(c.columns))]
    entries = []
    for spread in found:
        q = spread.question
        lines = []
        for i in extremes(c, spread):
            answer = given[i].get(q.id)
            note = answer.evidence.strip() if answer is not None else ""
            level = (
                "n/a" if spread.na[i] else ("–" if spread.levels[i] is None else spread.levels[i])
            )
            lines.append((f"{c.columns[i].label} ({level})", note or "no evidence note"))
        about = (
            f"Levels given: {levels_text(c, spread)} · {spread.spread} apart · consensus: "
            f"{consensus_text(items[q.id])}"
        )
        entries.append(Item(title=q.text, lines=(("", about), *lines), tone="warning"))
    blocks.append(Items(tuple(entries)))
    return blocks


def view_line(view: View, level_label: str = "") -> tuple[str, str]:
    """(officer, what they said) for one officer's view of an item to settle."""
    answer = view.answer
    if answer is None:
        return view.officer, "not answered"
    if answer.is_na:
        said = f"not applicable: {(answer.na_reason or 'no reason given').rstrip('. ')}"
    else:
        said = f"level {answer.level}" + (f" – {level_label}" if level_label else "")
    note = answer.evidence.strip()
    return view.officer, f"{said}. Evidence: {note}" if note else f"{said}. No evidence note."


def settle_item(agreed: Consensus, item: ConsensusItem) -> Item:
    """One item to settle: the levels it may be settled at, then every officer's view."""
    bank = agreed.comparison.bank
    lines: list[tuple[str, str]] = [("", f"Settle at {item.choices_text()}")]
    for view in item.views:
        label = bank.level_label(view.level) if view.level is not None else ""
        lines.append(view_line(view, label))
    return Item(title=item.question.text, lines=tuple(lines), tone="warning")


def consensus_blocks(agreed: Consensus) -> list[Block]:
    c = agreed.comparison
    pending = agreed.to_settle
    parts = [
        f"{agreed.count(AGREED)} agreed by every officer who answered",
        f"{agreed.count(MIDDLE)} taken as the middle of an odd number of levels",
    ]
    if agreed.count(SETTLED):
        parts.append(f"{agreed.count(SETTLED)} settled by the officers")
    parts.append(f"{len(pending)} left to settle")
    if agreed.count(NOT_ANSWERED):
        parts.append(f"{agreed.count(NOT_ANSWERED)} answered by nobody")
    blocks: list[Block] = [
        Heading("The officers' consensus"),
        Paragraph(
            f"Of the {count(len(agreed.items), 'criterion', 'criteria')}: {'; '.join(parts)}.",
            "muted",
        ),
        Paragraph(
            f"Consensus score: {agreed.score_text()}."
            if agreed.complete
            else f"Consensus score: not settled yet; {agreed.score_text()}.",
            "strong",
        ),
    ]
    if pending:
        blocks.append(
            Paragraph(
                "Where the two middle levels of an even number of officers differ, or some "
                "say not applicable and others give a level, the rule does not decide: the "
                "officers settle the item between them. Settle them on the compare screen "
                "(S), or save the consensus with `assess compare ... --save-consensus` "
                "(give `--settle` for each item; any left unsettled are saved unanswered)."
            )
        )
        blocks.append(Heading(f"To settle ({len(pending)})", level=3))
        blocks.append(Items(tuple(settle_item(agreed, item) for item in pending)))
    if agreed.survey_differ:
        texts = "; ".join(f"“{q.text}”" for q in agreed.survey_differ)
        blocks.append(
            Paragraph(
                "Survey questions the officers answered differently, left unanswered in the "
                f"consensus for them to answer together: {texts}.",
                "muted",
            )
        )
    spreads = {s.question.id: s for s in c.spreads}
    rows = tuple(
        (item.question.text, levels_text(c, spreads[item.id]), consensus_text(item))
        for item in agreed.items
    )
    # Short enough, the levels stay on one line, so no officer's name is split.
    whole = max((len(row[1]) for row in rows), default=0) <= LEVELS_ON_ONE_LINE
    blocks.append(Heading("Every criterion", level=3))
    blocks.append(
        Table(
            (
                Column("Criterion", wide=True),
                Column("Levels given", wide=not whole),
                Column("Consensus"),
            ),
            rows,
        )
    )
    return blocks


# ----------------------------------------------------------------------------
# Appendix


def named_questions(c: Comparison) -> list[tuple[str, str]]:
    """(id, text) of every question the comparison names, in bank order, then those left out."""
    named = {ch.question.id for ch in c.changes}
    named |= {g.question.id for g in (*c.gaps_closed, *c.gaps_opened, *c.gaps_persisting)}
    named |= {o.question.id for o in c.plan_outcomes}
    for column in c.columns:
        named |= {cr.id for cr in column.result.capped_by}
    if c.for_officers:
        named |= {q.id for q in c.bank.criteria}
    found = [(q.id, q.text) for q in c.bank.questions if q.id in named]
    return found + list(c.left_out_texts)


def appendix_blocks(c: Comparison) -> list[Block]:
    """Assessment and question ids, for cross-checking; kept out of the body."""
    return [
        Heading("Appendix: identifiers"),
        Paragraph("Each assessment's id, as `assess report ID` and the exports name it.", "muted"),
        Table(
            (Column("Assessment", wide=True), Column("Id")),
            tuple((column.label, column.id) for column in c.columns)
            + tuple(
                (f"{s.assessment.assessor or 'no assessor named'}, left out", s.assessment.id)
                for s in c.set_aside
            ),
        ),
        Paragraph(
            "Each question named above, with its id as the JSON and CSV exports and answers "
            "files name it.",
            "muted",
        ),
        Table((Column("Id"), Column("Question", wide=True)), tuple(named_questions(c))),
    ]

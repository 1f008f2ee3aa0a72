"""A comparison of assessments laid out as a Document, for the terminal, Markdown and HTML.

The three printed formats draw this one Document (see `document.py`), so they
always agree. Sections, in the order officers read them: what is compared
and how to read it (and, when the banks differ, which questions were left
out); the overall scores; every dimension side by side with the change from
the first column and a trend line; the answers that changed, with both
evidence notes; gaps closed, opened and persisting; for officers, where they
disagree and the consensus view; and how it is all worked out.
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
    consensus_result,
    describe_kind,
)
from assess.domain.scoring import format_score
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
    band_tone,
)

# The compare screen draws its trends with the same characters.
from assess.reports.document import sparkline as sparkline

TREND_WORDS = {"up": "▲ up", "down": "▼ down", "flat": "= same"}
HEADING_WIDTH = 16  # column headings are cut to this; the assessments table has them in full
DEFAULT_COLUMNS = 8  # assessments side by side in one table before it is split
# Up to this many officers are named one by one where their levels are listed.
NAMED_COLUMNS = 8
# More tables of scores side by side than this are not read; a summary is.
MAX_TABLES = 3


def signed(delta: Fraction | None) -> str:
    """A change in points to one decimal: "+35.0", "−12.5", "±0.0" (empty when unknown)."""
    if delta is None:
        return ""
    if delta == 0:
        return "±0.0"
    return ("+" if delta > 0 else "−") + format_score(abs(delta))


def trend_text(row: DimensionScores) -> str:
    """`▂▅█ ▲ up`: the scores as a sparkline, then the direction from first to last."""
    return f"{sparkline(row.scores)} {TREND_WORDS[row.trend]}"


def signed_count(delta: int) -> str:
    """A change in a whole number: "+3", "−3", "±0"."""
    return "±0" if delta == 0 else f"{'+' if delta > 0 else '−'}{abs(delta)}"


def count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def short(text: str, width: int = HEADING_WIDTH) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


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
    comparison: Comparison, *, date: str = "", max_columns: int = DEFAULT_COLUMNS
) -> Document:
    """The whole comparison as a Document; tables hold at most `max_columns` assessments."""
    c = comparison
    blocks: list[Block] = [_facts(c, date)]
    blocks += _bank_note(c)
    blocks += _assessments(c)
    blocks += _overall(c)
    blocks += _dimensions(c, max(1, max_columns))
    blocks += _changes(c)
    blocks += _gaps(c)
    if c.for_officers:
        blocks += _disagreements(c)
        blocks += _consensus(c)
    blocks += [
        Heading("How the comparison is worked out"),
        Paragraph(c.rules, "muted"),
    ]
    return Document(title=comparison_title(c), blocks=tuple(blocks))


def _facts(c: Comparison, date: str) -> Facts:
    assessments = c.assessments
    pairs: list[tuple[str, str]] = [("Compared", f"{len(assessments)} assessments, {c.kind}")]
    authorities = list(dict.fromkeys(a.authority for a in assessments))
    pairs.append(("Authority" if len(authorities) == 1 else "Authorities", "; ".join(authorities)))
    services = list(dict.fromkeys(a.service for a in assessments if a.service))
    if services:
        pairs.append(("Service" if len(services) == 1 else "Services", "; ".join(services)))
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
    return [
        Paragraph(
            f"The assessments were made with different versions of the question bank. "
            f"They are compared on the {c.shared_count} questions every version asks in "
            f"the same way, scored with version {c.bank.version}'s weights. Left out "
            f"({len(c.left_out)}): {', '.join(c.left_out)}.",
            "warning",
        )
    ]


def _assessments(c: Comparison) -> list[Block]:
    rows = tuple(
        (
            column.label,
            column.id,
            column.assessment.title,
            column.assessment.assessor or "not given",
            column.assessment.created[:10],
            column.assessment.status,
            column.assessment.bank.version,
        )
        for column in c.columns
    )
    table = Table(
        (
            Column("Column"),
            Column("Id"),
            Column("Assessment", wide=True),
            Column("Assessor"),
            Column("Made"),
            Column("Status"),
            Column("Bank"),
        ),
        rows,
    )
    return [Heading("The assessments compared"), table]


def _overall(c: Comparison) -> list[Block]:
    bars = []
    for column, delta in zip(c.columns, c.overall_deltas, strict=True):
        result = column.result
        change = signed(delta)
        note = result.band + (f" · {change}" if column is not c.columns[0] and change else "")
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
        blocks.append(
            Paragraph(
                f"From the first column to the last: {signed(row.change)} points "
                f"({TREND_WORDS[row.trend].split(' ', 1)[1]}).",
                "strong",
            )
        )
    for column in c.columns:
        capped = column.result.capped_by
        if capped:
            ids = ", ".join(cr.id for cr in capped)
            what = "a critical criterion" if len(capped) == 1 else "critical criteria"
            blocks.append(
                Paragraph(
                    f"{column.label}: band capped at Not ready by {ids} ({what} below level 2).",
                    "bad",
                )
            )
    return blocks


def score_cell(row: DimensionScores, index: int) -> str:
    """A score with, after the first column, its change from the first: "85.0 (+35.0)"."""
    value, delta = row.scores[index], row.deltas[index]
    shown = format_score(value)
    if index == 0 or value is None or delta is None:
        return shown
    return f"{shown} ({signed(delta)})"


def _dimensions(c: Comparison, max_columns: int) -> list[Block]:
    rows: list[DimensionScores] = [c.overall_row, *c.dimensions]
    n = len(c.columns)
    chunks = [range(start, min(start + max_columns, n)) for start in range(0, n, max_columns)]
    blocks: list[Block] = [
        Heading("Readiness by dimension"),
        Paragraph(
            f"Scores out of 100; in brackets the change from the first column "
            f"({c.columns[0].label}). The trend draws each column's score as a bar, "
            "then says whether the last is up or down on the first.",
            "muted",
        ),
    ]
    if len(chunks) > MAX_TABLES:
        return [*blocks[:1], *_dimension_summary(c, rows), *_charts(c, rows)]
    for number, chunk in enumerate(chunks, 1):
        last_chunk = number == len(chunks)
        columns = [Column("Dimension", wide=True)]
        columns += [Column(short(c.columns[i].label), "right") for i in chunk]
        if last_chunk:
            columns.append(Column("Trend"))
        body = []
        for row in rows:
            cells = [row.title]
            cells += [score_cell(row, i) for i in chunk]
            if last_chunk:
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
            if last_chunk:
                cells.append("")
            body.append(tuple(cells))
        if len(chunks) > 1:
            blocks.append(Heading(f"Columns {chunk.start + 1} to {chunk.stop} of {n}", level=3))
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
                "assessment, oldest first.",
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
    """Each dimension from the first column to the last, its range and its trend.

    Used when there are too many assessments to read side by side (a dozen
    tables of four); every score is still in the JSON export and on the
    compare screen.
    """
    first, last = c.columns[0].label, c.columns[-1].label
    body = []
    for row in rows:
        scored = [s for s in row.scores if s is not None]
        body.append(
            (
                row.title,
                format_score(row.scores[0]),
                format_score(row.scores[-1]),
                signed(row.change) or "–",
                format_score(min(scored)) if scored else "–",
                format_score(max(scored)) if scored else "–",
                trend_text(row),
            )
        )
    return [
        Paragraph(
            f"Scores out of 100 in the first column ({first}) and the last ({last}), the "
            f"change between them, the lowest and the highest of all {len(c.columns)}, and "
            "the trend, which draws each column's score as a bar. Every score of every "
            "assessment is in the JSON export and on the compare screen.",
            "muted",
        ),
        Table(
            (
                Column("Dimension", wide=True),
                Column("First", "right"),
                Column("Last", "right"),
                Column("Change", "right"),
                Column("Lowest", "right"),
                Column("Highest", "right"),
                Column("Trend", wide=True),
            ),
            tuple(body),
        ),
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
    q = change.question
    lines: list[tuple[str, str]] = [("", change_where(c, change))]
    lines += [(column.label, answer_words(c, change, i)) for i, column in enumerate(c.columns)]
    return Item(title=f"{q.id}: {q.text}", lines=tuple(lines))


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
    return Item(
        title=f"{q.id}: {q.text}", lines=tuple(lines), tone="bad" if q.critical else "plain"
    )


def gap_headings(c: Comparison) -> tuple[str, str, str]:
    """Headings for gaps (closed, opened, persisting) in the words that fit the kind."""
    first, last = c.columns[0].label, c.columns[-1].label
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
    first, last = c.columns[0], c.columns[-1]
    blocks: list[Block] = [
        Heading("Gaps closed, opened and persisting"),
        Paragraph(
            f"Between the first column ({first.label}) and the last ({last.label}). Gap "
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
            g.question.id,
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


def consensus_text(spread: CriterionSpread) -> str:
    if spread.median is not None:
        return str(spread.median)
    return "n/a" if any(spread.na) else "–"


def _spread_table(c: Comparison, spreads: Sequence[CriterionSpread]) -> Table:
    rows = tuple(
        (
            s.question.id,
            levels_text(c, s),
            "–" if s.spread is None else str(s.spread),
            consensus_text(s),
        )
        for s in spreads
    )
    return Table(
        (
            Column("Criterion"),
            Column("Levels given", wide=True),
            Column("Spread", "right"),
            Column("Consensus", "right"),
        ),
        rows,
    )


def _disagreements(c: Comparison) -> list[Block]:
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
            "Agree these first; the evidence notes below say why "
            + (
                "each officer chose their level."
                if len(c.columns) <= NAMED_COLUMNS
                else "the officers who gave the lowest and the highest levels chose them."
            ),
            "warning",
        )
    )
    blocks.append(_spread_table(c, found))
    items = []
    given = [column_answers(c, i) for i in range(len(c.columns))]
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
        items.append(Item(title=f"{q.id}: {q.text}", lines=tuple(lines), tone="warning"))
    blocks.append(Items(tuple(items)))
    return blocks


def _consensus(c: Comparison) -> list[Block]:
    result = consensus_result(c)
    return [
        Heading("Consensus view"),
        Paragraph(
            "The median of the levels the officers gave each criterion (the lower of the "
            "two middle levels when there is an even number). Saved as a new draft "
            f"assessment it would score {format_score(result.overall)} ({result.band}); "
            "the officers then settle each level in it. Save it with "
            "`assess compare ... --save-consensus`, or S on the compare screen."
        ),
        _spread_table(c, c.spreads),
    ]

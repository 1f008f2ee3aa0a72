"""Compare: the assessments selected on the home screen, side by side, and what moved.

The figures come from `assess.domain.compare` and the wording from the comparison
report's layout (`reports.compare_layout`), so the screen and every exported
format say the same thing: scores side by side with the change from the
first column and a trend line per dimension; the answers that changed, with
both evidence notes; gaps closed, opened and persisting; and, for officers'
views of one authority and service, where they disagree and a consensus view
that can be saved as a new assessment to settle (after a confirmation).
Everything that comes from data is shown as literal text.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from assess.domain.compare import (
    OVER_TIME,
    Comparison,
    CriterionSpread,
    DimensionScores,
    GapChange,
    column_answers,
    compare,
    consensus_assessor,
    consensus_result,
    describe_kind,
    save_consensus,
)
from assess.domain.errors import BadInput
from assess.domain.scoring import format_score
from assess.reports.compare_layout import (
    NAMED_COLUMNS,
    answer_words,
    change_where,
    comparison_title,
    consensus_text,
    extremes,
    gap_facts,
    gap_headings,
    levels_text,
    score_cell,
    short,
    signed,
    signed_count,
    sparkline,
)
from assess.tui.text import literal, plain, plural, when
from assess.tui.widgets.keybar import KeyBar, key_line

KEYS = "E Export · N/P Section · ↑↓ Scroll · Esc Back · F1 Help"
OFFICER_KEYS = "S Save consensus · " + KEYS
TREND_MARKS = {"up": "▲ up", "down": "▼ down", "flat": "= same"}
# Cells a dimension title and a score column take in the scores table.
TITLE_WIDTH = 18
SCORE_WIDTH = 14


def file_stem(comparison: Comparison) -> str:
    """A safe file name for the exported comparison: `assess-comparison-anytown-waste`."""
    words = comparison_title(comparison).removeprefix("Comparison ")
    slug = re.sub(r"[^a-z0-9]+", "-", words.casefold()).strip("-")[:60].strip("-")
    return f"assess-comparison-{slug}" if slug else "assess-comparison"


def heading(text: str) -> Text:
    return line(text, "bold underline")


def line(text: str, style: str = "") -> Text:
    """Data text on a line of its own in a group (`literal` text runs on into the next)."""
    return Text(text, style=style)


class CompareScreen(Screen[None]):
    """Two or more assessments side by side."""

    CSS_PATH = "compare.tcss"

    HELP = """\
The assessments you selected, compared. What kind of comparison it is is worked
out from them: over time (one authority and service at different dates, oldest
first), across services, across officers (colleagues' views of the same
authority and service, made within 90 days of each other) or across
authorities. Assessments made with different versions of the question bank are
compared on the questions they share; the top of the screen says which were
left out.

Scores are out of 100, with the change from the first column in brackets. The
trend draws each column's score as a bar and says whether the last is up or
down on the first. Then come the answers that changed (with each evidence
note), and the gaps closed, opened and still open between the first column and
the last.

For officers' views, the screen lists the criteria where their levels are two
or more apart, and a consensus view: the median level of each criterion (the
lower of the two middle ones when there is an even number). Save it as a new
draft assessment and settle each level there; the assessments compared are
never changed.

Up / Down, PgUp / PgDn   scroll
Home / End               go to the top or the bottom
N / P                    jump to the next or the previous section
S                        save the consensus as a new assessment (officers'
                         views only; you are asked first)
E                        export the comparison to a file (text, Markdown, HTML,
                         JSON or CSV)
Escape                   go back to the list"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "save_consensus", "Save consensus"),
        Binding("e", "export", "Export"),
        Binding("n", "section(1)", "Next section", show=False),
        Binding("p", "section(-1)", "Previous section", show=False),
        Binding("escape", "back", "Back"),
    ]
    SECTIONS = (
        "#cmp-what",
        "#cmp-scores",
        "#cmp-changes",
        "#cmp-gaps",
        "#cmp-officers",
        "#cmp-consensus",
    )

    def __init__(self, assessment_ids: list[str]) -> None:
        super().__init__()
        self.assessment_ids = assessment_ids
        self.comparison: Comparison | None = None
        self.problem = ""
        self.saved_id = ""  # the consensus saved from this screen, if any

    @property
    def store(self):
        return self.app.store  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Static(id="topbar", markup=False)
        with VerticalScroll(id="compare-body"):
            yield Static(id="cmp-what", markup=False)
            yield Static(id="cmp-scores", markup=False)
            yield Static(id="cmp-changes", markup=False)
            yield Static(id="cmp-gaps", markup=False)
            yield Static(id="cmp-officers", markup=False)
            yield Static(id="cmp-consensus", markup=False)
        yield KeyBar(KEYS, id="cmp-keys")

    def on_mount(self) -> None:
        self.load()
        self.query_one("#compare-body").focus()

    def load(self) -> None:
        """Read the assessments and compare them; a problem is shown, never raised."""
        try:
            assessments = [self.store.get(i) for i in self.assessment_ids]
            self.comparison = compare(assessments)
        except BadInput as exc:
            self.comparison = None
            self.problem = exc.message
        self._draw()

    def on_resize(self) -> None:
        # The tables are laid out for the width: redraw them when it changes.
        c = self.comparison
        if c is not None:
            self._scores(c)
            if c.for_officers:
                self._officers(c)
                self._consensus(c)

    # -- drawing ---------------------------------------------------------------

    def _draw(self) -> None:
        top = self.query_one("#topbar", Static)
        c = self.comparison
        if c is None:
            top.update(plain("Compare"))
            self.query_one("#cmp-what", Static).update(
                literal(f"These assessments cannot be compared: {self.problem}.")
            )
            return
        top.update(plain(f"Compare · {comparison_title(c).removeprefix('Comparison ')}"))
        if c.for_officers:
            self.query_one("#cmp-keys", Static).update(key_line(OFFICER_KEYS))
        self._what(c)
        self._scores(c)
        self._changes(c)
        self._gaps(c)
        for section in ("#cmp-officers", "#cmp-consensus"):
            self.query_one(section, Static).display = c.for_officers
        if c.for_officers:
            self._officers(c)
            self._consensus(c)

    def _what(self, c: Comparison) -> None:
        parts: list[RenderableType] = [line(describe_kind(c))]
        if not c.same_bank:
            note = Text()
            note.append("Different bank versions: ", style="bold")
            note.append(
                f"{', '.join(c.bank_versions)}. Compared on the {c.shared_count} questions "
                f"they share; {len(c.left_out)} left out: {', '.join(c.left_out)}."
            )
            parts.append(note)
        legend = Table.grid(padding=(0, 2))
        legend.add_column(no_wrap=True, style="bold", max_width=24, overflow="ellipsis")
        legend.add_column(ratio=1)
        for column in c.columns:
            a = column.assessment
            legend.add_row(
                literal(column.label),
                literal(
                    f"{a.title} · {a.assessor or 'no assessor named'} · made "
                    f"{when(a.created)} · {a.status} · {a.id}"
                ),
            )
        parts += [Text(""), legend]
        self.query_one("#cmp-what", Static).update(Group(*parts))

    def _scores(self, c: Comparison) -> None:
        """Scores side by side, in as many tables as the width needs, then the trend.

        When every column fits beside the trend, one table holds it all;
        otherwise the columns are split over tables and the trend (with the
        change from the first column to the last) gets a table of its own.
        """
        width = max(self.query_one("#compare-body").scrollable_content_region.width, 40)
        n = len(c.columns)
        trend_width = n + 8  # the sparkline, " ▲ down" and the padding before it
        together = (width - TITLE_WIDTH - 2 - trend_width) // SCORE_WIDTH >= n
        per_table = n if together else max(1, (width - TITLE_WIDTH - 2) // SCORE_WIDTH)
        used = per_table * SCORE_WIDTH + (trend_width if together else 0)
        # Dimension titles get what the scores leave, up to the longest title.
        title_width = max(TITLE_WIDTH, min(30, width - used - 2))
        rows: list[DimensionScores] = [c.overall_row, *c.dimensions]
        parts: list[RenderableType] = [heading("Scores out of 100 (change from the first)")]
        for start in range(0, n, per_table):
            chunk = range(start, min(start + per_table, n))
            table = self._table(title_width)
            for i in chunk:
                table.add_column(
                    literal(short(c.columns[i].label, SCORE_WIDTH - 2), "bold"),
                    justify="right",
                    no_wrap=True,
                )
            if together:
                table.add_column(literal("Trend", "bold"), no_wrap=True)
            for row in rows:
                style = "bold" if row.id == "overall" else ""
                cells = [literal(row.title, style)]
                cells += [literal(score_cell(row, i), style) for i in chunk]
                if together:
                    cells.append(literal(f"{sparkline(row.scores)} {TREND_MARKS[row.trend]}"))
                table.add_row(*cells)
            for title, values in (
                ("Band", [col.result.band for col in c.columns]),
                ("Gap points", [str(col.gap_points) for col in c.columns]),
            ):
                table.add_row(
                    literal(title, "dim"),
                    *(literal(values[i], "dim") for i in chunk),
                    *([literal("")] if together else []),
                )
            parts.append(table)
        if not together:
            table = self._table(title_width)
            first, last = c.columns[0].label, c.columns[-1].label
            table.add_column(literal("Change", "bold"), justify="right", no_wrap=True)
            table.add_column(literal("Trend, column by column", "bold"), overflow="fold")
            for row in rows:
                style = "bold" if row.id == "overall" else ""
                table.add_row(
                    literal(row.title, style),
                    literal(signed(row.change), style),
                    literal(f"{sparkline(row.scores)} {TREND_MARKS[row.trend]}"),
                )
            parts += [line(f"Change from {first} to {last}, and the trend", "bold"), table]
        self.query_one("#cmp-scores", Static).update(Group(*parts))

    @staticmethod
    def _table(title_width: int) -> Table:
        """A table whose first column is the dimension titles, cut to `title_width`."""
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        table.add_column(literal(""), overflow="ellipsis", no_wrap=True, max_width=title_width)
        return table

    def _changes(self, c: Comparison) -> None:
        title = "Answers that changed" if c.kind == OVER_TIME else "Answers that differ"
        parts: list[RenderableType] = [heading(f"{title} ({len(c.changes)})")]
        if not c.changes:
            parts.append(
                line(f"Every one of the {c.shared_count} shared questions has the same answer.")
            )
        entries = _entries()
        for change in c.changes:
            q = change.question
            text = Text(end="")
            text.append(f"{q.id} ", style="bold")
            text.append(q.text)
            text.append(f"\n{change_where(c, change)}", style="dim")
            for i, column in enumerate(c.columns):
                text.append(f"\n{column.label}: ", style="bold")
                text.append(answer_words(c, change, i))
            entries.add_row(literal("•"), text)
        parts.append(entries)
        self.query_one("#cmp-changes", Static).update(Group(*parts))

    def _gaps(self, c: Comparison) -> None:
        first, last = c.columns[0], c.columns[-1]
        parts: list[RenderableType] = [
            heading("Gaps closed, opened and persisting"),
            line(
                f"Gap points in all: {first.gap_points} → {last.gap_points} "
                f"({signed_count(last.gap_points - first.gap_points)}). Persisting gaps are "
                "listed by id only; the results of each assessment give their actions.",
                "dim",
            ),
        ]
        closed, opened, persisting = gap_headings(c)
        for title, gaps, mark in (
            (closed, c.gaps_closed, "✓"),
            (opened, c.gaps_opened, "!"),
            (persisting, c.gaps_persisting, "·"),
        ):
            parts.append(line(f"{title} ({len(gaps)})", "bold"))
            entries = _entries()
            if not gaps:
                entries.add_row(literal(""), literal("None."))
            for gap in gaps:
                entries.add_row(literal(mark, "bold"), _gap_text(gap, full=mark != "·"))
            parts.append(entries)
        self.query_one("#cmp-gaps", Static).update(Group(*parts))

    def _officers(self, c: Comparison) -> None:
        found = c.disagreements
        parts: list[RenderableType] = [heading(f"Where the officers disagree ({len(found)})")]
        if not found:
            parts.append(line("No criterion has levels two or more apart."))
        else:
            parts.append(self._levels_table(c, found))
            if len(c.columns) > NAMED_COLUMNS:
                parts.append(
                    line(
                        "The evidence notes of the officers who gave the lowest and the "
                        "highest levels:",
                        "dim",
                    )
                )
            given = [column_answers(c, i) for i in range(len(c.columns))]
            entries = _entries()
            for spread in found:
                q = spread.question
                text = Text(end="")
                text.append(f"{q.id} ", style="bold")
                text.append(q.text)
                for i in extremes(c, spread):
                    answer = given[i].get(q.id)
                    note = answer.evidence.strip() if answer is not None else ""
                    text.append(f"\n{c.columns[i].label} ({_level(spread, i)}): ", style="bold")
                    text.append(note or "no evidence note", style="" if note else "dim")
                entries.add_row(literal("!", "bold"), text)
            parts.append(entries)
        self.query_one("#cmp-officers", Static).update(Group(*parts))

    def _consensus(self, c: Comparison) -> None:
        result = consensus_result(c)
        agreed = sum(1 for s in c.spreads if s.median is not None)
        na = sum(1 for s in c.spreads if s.median is None and any(s.na))
        unrated = len(c.spreads) - agreed - na
        counts = [f"{plural(agreed, 'criterion gets', 'criteria get')} a level"]
        if na:
            counts.append(f"{na} {'stays' if na == 1 else 'stay'} not applicable")
        if unrated:
            counts.append(
                f"{unrated} that nobody rated {'stays' if unrated == 1 else 'stay'} unrated"
            )
        summary = Text()
        summary.append(
            "The median level of each criterion (the lower middle one when there is an "
            f"even number) scores {format_score(result.overall)} ({result.band}): "
            f"{', '.join(counts)}. "
        )
        summary.append("S", style="bold reverse")
        summary.append(" saves it as a new draft assessment for the officers to settle.")
        self.query_one("#cmp-consensus", Static).update(
            Group(heading("Consensus view"), summary, self._levels_table(c, c.spreads))
        )

    def _levels_table(self, c: Comparison, spreads: Sequence[CriterionSpread]) -> Table:
        """Each criterion's levels, one column per officer when they fit, else in words."""
        width = max(self.query_one("#compare-body").scrollable_content_region.width, 40)
        label_width = min(10, max(len(column.label) for column in c.columns))
        per_officer = 22 + len(c.columns) * (label_width + 2) + 18 <= width
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        table.add_column(literal("Criterion", "bold"), no_wrap=True)
        if per_officer:
            for column in c.columns:
                table.add_column(literal(short(column.label, 10), "bold"), justify="right")
        else:
            table.add_column(literal("Levels given", "bold"), ratio=1)
        table.add_column(literal("Spread", "bold"), justify="right")
        table.add_column(literal("Median", "bold"), justify="right")
        for spread in spreads:
            style = "bold" if spread.disagreement else ""
            levels = (
                [literal(_level(spread, i), style) for i in range(len(c.columns))]
                if per_officer
                else [literal(levels_text(c, spread), style)]
            )
            table.add_row(
                literal(spread.question.id, style),
                *levels,
                literal("–" if spread.spread is None else str(spread.spread), style),
                literal(consensus_text(spread), "bold"),
            )
        return table

    # -- actions -----------------------------------------------------------------

    def action_section(self, step: int) -> None:
        """Scroll the next (or previous) section to the top of the screen."""
        body = self.query_one("#compare-body", VerticalScroll)
        sections = [s for s in (self.query_one(i) for i in self.SECTIONS) if s.display]
        tops = [s.virtual_region.y for s in sections]
        here = body.scroll_y
        if step > 0:
            later = [i for i, top in enumerate(tops) if top > here + 0.5]
            target = sections[later[0]] if later else sections[-1]
        else:
            earlier = [i for i, top in enumerate(tops) if top < here - 0.5]
            target = sections[earlier[-1]] if earlier else sections[0]
        body.scroll_to_widget(target, top=True, animate=False)

    def action_save_consensus(self) -> None:
        from assess.tui.screens.modals import ConfirmModal

        c = self.comparison
        if c is None:
            return
        if not c.for_officers:
            self.notify(
                f"A consensus is for officers' views of one authority and service; these "
                f"assessments are compared {c.kind}, so there is no consensus to save.",
                severity="warning",
                timeout=8,
                markup=False,
            )
            return
        first = c.columns[0].assessment
        result = consensus_result(c)
        body = (
            f"Save the consensus view as a new draft assessment of {first.title}, "
            f"assessor “{consensus_assessor(c)}”? It takes the median level of each "
            f"criterion and scores {format_score(result.overall)} ({result.band}). "
            f"{plural(len(c.disagreements), 'criterion has', 'criteria have')} levels two or "
            "more apart; the evidence notes say so, for you to settle. The assessments "
            "compared are not changed."
        )

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self.save()

        self.app.push_screen(
            ConfirmModal("Save the consensus as a new assessment?", body, confirm="Save"), done
        )

    def save(self) -> None:
        from assess.tui.session import current_user

        if self.comparison is None:
            return
        try:
            saved = save_consensus(self.store, self.comparison, who=current_user())
        except BadInput as exc:
            self.notify(f"Not saved: {exc.message}", severity="error", timeout=8, markup=False)
            return
        self.saved_id = saved.id
        self.notify(
            f"Saved as a new draft assessment {saved.id}: {saved.title}, {saved.assessor}. "
            "It is on the list of assessments.",
            timeout=8,
            markup=False,
        )

    def action_export(self) -> None:
        from assess.tui.screens.modals import ExportReportModal

        if self.comparison is None:
            return

        def done(choice: tuple[str, Path] | None) -> None:
            if choice is not None:
                self.export(*choice)

        self.app.push_screen(ExportReportModal(file_stem(self.comparison)), done)

    def export(self, fmt: str, path: Path) -> None:
        from assess.reports.export import export

        if self.comparison is None:
            return
        today = datetime.date.today().isoformat()
        try:
            export(self.comparison, fmt, path, date=today)
        except OSError as exc:
            self.notify(f"Could not export: {exc}", severity="error", markup=False, timeout=8)
            return
        self.notify(f"Comparison saved to {path}", timeout=6, markup=False)

    def action_back(self) -> None:
        self.dismiss(None)

    def palette_commands(self):
        commands = [
            (
                "Export comparison",
                "Save the comparison as text, Markdown, HTML, JSON or CSV",
                self.action_export,
            ),
            ("Back", "Return to the list of assessments", self.action_back),
        ]
        if self.comparison is not None and self.comparison.for_officers:
            commands.insert(
                0,
                (
                    "Save consensus",
                    "Save the officers' consensus view as a new draft assessment",
                    self.action_save_consensus,
                ),
            )
        return commands


def _level(spread: CriterionSpread, index: int) -> str:
    """One officer's level as the tables show it: 0–4, n/a or – (not rated)."""
    if spread.na[index]:
        return "n/a"
    level = spread.levels[index]
    return "–" if level is None else str(level)


def _entries() -> Table:
    """A list whose entries wrap under their own first line, not under the mark."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1)
    return grid


def _gap_text(gap: GapChange, *, full: bool) -> Text:
    """One gap: its id and movement; with `full`, its text and any recommended action."""
    q = gap.question
    text = Text(end="")
    text.append(q.id, style="bold")
    if q.critical:
        text.append(" CRITICAL", style="bold reverse")
    text.append(f"  {gap_facts(gap)}", style="dim")
    if full:
        text.append(f"\n{q.text}")
        if gap.points_after is not None and q.action:
            text.append("\nAction: ", style="bold")
            text.append(q.action)
    return text

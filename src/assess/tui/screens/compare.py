"""Compare: the assessments selected on the home screen, side by side, and what moved.

The screen draws the comparison report's own layout
(`reports.compare_layout.comparison_document`) through the text report's
renderables (see `widgets/report.py`), laid out for the terminal's width as
`assess compare --format text` is for its own: the scores side by side with
the change from the first column and a trend line per dimension; the answers
that changed, with both evidence notes; gaps closed, opened and persisting;
and, for officers' views of one authority and service, where they disagree
and a consensus view that can be saved as a new assessment to settle (after
a confirmation). Everything that comes from data is shown as literal text.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

from textual.app import ComposeResult
from textual.widgets import Static

from assess.domain.compare import (
    Comparison,
    compare,
    consensus_assessor,
    consensus_result,
    save_consensus,
)
from assess.domain.errors import BadInput
from assess.domain.scoring import format_score
from assess.reports import comparison_columns
from assess.reports.compare_layout import comparison_document, comparison_title
from assess.reports.document import Document
from assess.tui.keys import Key
from assess.tui.screens.base import AppScreen
from assess.tui.screens.results import NEXT_SECTION, PREVIOUS_SECTION, SCROLL, TOP_AND_BOTTOM
from assess.tui.text import plain, plural
from assess.tui.widgets.keybar import KeyBar
from assess.tui.widgets.report import ReportView

SAVE_CONSENSUS = "save_consensus"


def file_stem(comparison: Comparison) -> str:
    """A safe file name for the exported comparison: `assess-comparison-anytown-waste`."""
    words = comparison_title(comparison).removeprefix("Comparison ")
    slug = re.sub(r"[^a-z0-9]+", "-", words.casefold()).strip("-")[:60].strip("-")
    return f"assess-comparison-{slug}" if slug else "assess-comparison"


class CompareScreen(AppScreen[None]):
    """Two or more assessments side by side."""

    HELP = """\
The assessments you selected, compared: the same report as `assess compare`,
section by section. What kind of comparison it is is worked out from them:
over time (one authority and service at different dates, oldest first), across
services, across officers (colleagues' views of the same authority and service,
made within 90 days of each other) or across authorities. Assessments made with
different versions of the question bank are compared on the questions they
share; the top of the report says which were left out.

Scores are out of 100, with the change from the first column in brackets. The
trend draws each column's score as a bar and says whether the last is up or
down on the first. Then come the answers that changed (with each evidence
note), and the gaps closed, opened and still open between the first column and
the last.

For officers' views, the report lists the criteria where their levels are two
or more apart, and a consensus view: the median level of each criterion (the
lower of the two middle ones when there is an even number). Save it as a new
draft assessment and settle each level there; the assessments compared are
never changed."""

    KEYS = (
        Key(
            "s",
            SAVE_CONSENSUS,
            help="save the consensus as a new assessment (you are asked first)",
            bar="Save consensus",
            command="Save consensus",
            command_help="Save the officers' consensus view as a new draft assessment",
        ),
        Key(
            "e",
            "export",
            help="export the comparison to a file (text, Markdown, HTML, JSON or CSV)",
            bar="Export",
            command="Export comparison",
            command_help="Save the comparison as text, Markdown, HTML, JSON or CSV",
        ),
        NEXT_SECTION,
        PREVIOUS_SECTION,
        SCROLL,
        TOP_AND_BOTTOM,
        Key(
            "escape",
            "back",
            help="go back to the list",
            bar="Back",
            command="Back",
            command_help="Return to the list of assessments",
        ),
    )

    def __init__(self, assessment_ids: list[str]) -> None:
        super().__init__()
        self.assessment_ids = assessment_ids
        self.comparison: Comparison | None = None
        self.problem = ""
        self.saved_id = ""  # the consensus saved from this screen, if any

    def compose(self) -> ComposeResult:
        yield Static(id="topbar", markup=False)
        yield Static(id="cmp-problem", markup=False)
        yield ReportView(id="compare-body")
        yield self.key_bar(id="cmp-keys")

    def hidden_keys(self) -> Collection[str]:
        # A consensus is for officers' views of one authority and service only.
        c = self.comparison
        return () if c is not None and c.for_officers else (SAVE_CONSENSUS,)

    def on_mount(self) -> None:
        self.load()
        self.query_one(ReportView).focus()

    def today(self) -> str:
        """The date a comparison made now carries: the store's clock decides what day it is."""
        return self.store.clock()[:10]

    def load(self) -> None:
        """Read the assessments and compare them; a problem is shown, never raised."""
        try:
            assessments = [self.store.get(i) for i in self.assessment_ids]
            self.comparison = compare(assessments)
        except BadInput as exc:
            self.comparison = None
            self.problem = exc.message
        top = self.query_one("#topbar", Static)
        problem = self.query_one("#cmp-problem", Static)
        c = self.comparison
        problem.display = c is None
        if c is None:
            top.update(plain("Compare"))
            problem.update(plain(f"These assessments cannot be compared: {self.problem}."))
            return
        top.update(plain(f"Compare · {comparison_title(c).removeprefix('Comparison ')}"))
        self.query_one("#cmp-keys", KeyBar).show(self.key_hints())
        date = self.today()
        self.query_one(ReportView).show(lambda width: self.document(c, date, width))

    @staticmethod
    def document(c: Comparison, date: str, width: int) -> Document:
        """The comparison laid out for `width`: as many columns per table as fit."""
        return comparison_document(c, date=date, max_columns=comparison_columns("text", width))

    # -- actions -----------------------------------------------------------------

    def action_section(self, step: int) -> None:
        self.query_one(ReportView).jump(step)

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
        try:
            export(self.comparison, fmt, path, date=self.today())
        except OSError as exc:
            self.notify(f"Could not export: {exc}", severity="error", markup=False, timeout=8)
            return
        self.notify(f"Comparison saved to {path}", timeout=6, markup=False)

    def action_back(self) -> None:
        self.dismiss(None)

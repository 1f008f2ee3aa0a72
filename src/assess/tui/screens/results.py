"""The results: the readiness report of one assessment, on screen, and exporting it to a file.

The screen draws the report's own layout (`reports.layout.report_document`)
through the text report's renderables (see `widgets/report.py`): the same
score, band, cap sentence, bars, gaps and actions, survey benchmark and
consistency notes as `assess report`, in the same words. Exports go through
the one export function, dated by the store's clock, so a file saved here is
byte for byte the file `assess report ID -o FILE` writes the same day.
"""

from __future__ import annotations

import re
from pathlib import Path

from textual.app import ComposeResult
from textual.widgets import Static

from assess.domain.assessment import Assessment
from assess.reports.document import Document
from assess.reports.layout import report_document
from assess.reports.model import Report, report_for
from assess.tui.keys import Key
from assess.tui.screens.base import AppScreen
from assess.tui.text import plain
from assess.tui.widgets.report import ReportView

# The keys of a report on screen, shared with the compare screen.
SCROLL = Key(
    "up,down,pageup,pagedown",
    help="scroll",
    bar="Scroll",
    shown="Up / Down, PgUp / PgDn",
    bar_shown="↑↓",
)
TOP_AND_BOTTOM = Key("home,end", help="go to the top or the bottom", shown="Home / End")
NEXT_SECTION = Key(
    "n",
    "section(1)",
    help="bring the next section to the top",
    bar="Section",
    bar_shown="N/P",
    command="Next section",
    command_help="Scroll to the next section",
)
PREVIOUS_SECTION = Key(
    "p",
    "section(-1)",
    help="bring the previous section to the top",
    command="Previous section",
    command_help="Scroll to the previous section",
)


def file_stem(title: str) -> str:
    """A safe file name from an assessment title: `assess-report-anytown-waste`."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")[:60].strip("-")
    return f"assess-report-{slug}" if slug else "assess-report"


class ResultsScreen(AppScreen[None]):
    """The readiness report of one assessment."""

    HELP = """\
The results of this assessment, worked out from the answers saved so far: the
same report as `assess report`, section by section.

Readiness is out of 100: each criterion scores its level ÷ 4, unanswered counts
as 0, and not applicable is left out. 75 or more is Ready, 50 or more Nearly
ready, otherwise Not ready. A critical criterion below level 2 caps the band at
Not ready, whatever the score.

Gaps are criteria below their target, the most urgent first, each with the
recommended action. The survey section sets your survey answers beside the chief
executives' answers in 2019; consistency notes point out survey answers that sit
uneasily with a weak readiness criterion."""

    KEYS = (
        Key(
            "e",
            "export",
            help="export the report to a file (text, Markdown, HTML, JSON, CSV)",
            bar="Export report",
            command="Export report",
            command_help="Save the report as text, Markdown, HTML, JSON or CSV",
        ),
        SCROLL,
        NEXT_SECTION,
        PREVIOUS_SECTION,
        TOP_AND_BOTTOM,
        Key(
            "escape",
            "back",
            help="go back",
            bar="Back",
            command="Back",
            command_help="Return to the previous screen",
        ),
    )

    def __init__(self, assessment_id: str) -> None:
        super().__init__()
        self.assessment_id = assessment_id
        self.assessment: Assessment
        self.report: Report

    def compose(self) -> ComposeResult:
        yield Static(id="topbar", markup=False)
        yield ReportView(id="results")
        yield self.key_bar()

    def on_mount(self) -> None:
        self.assessment = self.store.get(self.assessment_id)
        self.report = self.build(self.today())
        self.query_one("#topbar", Static).update(plain(f"Results · {self.assessment.title}"))
        view = self.query_one(ReportView)
        view.show(self.document)
        view.focus()

    def today(self) -> str:
        """The date a report made now carries: the store's clock decides what day it is."""
        return self.store.clock()[:10]

    def build(self, date: str) -> Report:
        return report_for(self.assessment, date)

    def document(self, width: int) -> Document:
        # The readiness report's layout does not depend on the width.
        return report_document(self.report)

    def action_section(self, step: int) -> None:
        self.query_one(ReportView).jump(step)

    def action_export(self) -> None:
        from assess.tui.screens.modals import ExportReportModal

        def done(choice: tuple[str, Path] | None) -> None:
            if choice is not None:
                self.export(*choice)

        self.app.push_screen(ExportReportModal(self.assessment), done)

    def export(self, fmt: str, path: Path) -> None:
        from assess.reports.export import export

        try:
            export(self.build(self.today()), fmt, path)
        except OSError as exc:
            self.notify(f"Could not export: {exc}", severity="error", markup=False, timeout=8)
            return
        self.notify(f"Report saved to {path}", timeout=6, markup=False)

    def action_back(self) -> None:
        self.dismiss(None)

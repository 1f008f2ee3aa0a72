"""The results: readiness score and band, dimension bars, critical caps, gaps and actions,
the survey benchmark and the consistency notes; and exporting the report to a file.

The figures come from the same report model as `assess report`, so the screen
and every exported format say the same thing.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from assess.reports.layout import consistency_item, survey_item
from assess.reports.model import Report, ReportMeta, build_report
from assess.scoring import NOT_ASSESSED, format_score
from assess.tui.text import plain, plural
from assess.tui.widgets.bars import score_line
from assess.tui.widgets.keybar import KeyBar


def file_stem(title: str) -> str:
    """A safe file name from an assessment title: `assess-report-anytown-waste`."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")[:60].strip("-")
    return f"assess-report-{slug}" if slug else "assess-report"


def heading(text: str) -> Text:
    return Text(text, style="bold underline", end="")


class ResultsScreen(Screen[None]):
    """Score, band, gaps and benchmark of one assessment."""

    HELP = """\
The results of this assessment, worked out from the answers saved so far.

Readiness is out of 100: each criterion scores its level ÷ 4, unanswered counts
as 0, and not applicable is left out. 75 or more is Ready, 50 or more Nearly
ready, otherwise Not ready. A critical criterion below level 2 caps the band at
Not ready, whatever the score.

Gaps are criteria below their target, the most important first, each with the
recommended action. The survey section sets your survey answers beside the chief
executives' answers in 2019; consistency notes point out survey answers that sit
uneasily with a weak readiness criterion.

Up / Down, PgUp / PgDn   scroll
E                        export the report to a file (text, Markdown, HTML, JSON, CSV)
Escape                   go back"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "export", "Export report"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, assessment_id: str) -> None:
        super().__init__()
        self.assessment_id = assessment_id
        self.report: Report

    @property
    def store(self):
        return self.app.store  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Static(id="topbar", markup=False)
        with VerticalScroll(id="results"):
            yield Static(id="overall", markup=False)
            yield Static(id="dimensions", markup=False)
            yield Static(id="gaps", markup=False)
            yield Static(id="survey", markup=False)
            yield Static(id="consistency", markup=False)
        yield KeyBar("E Export report · ↑↓ Scroll · Esc Back · F1 Help")

    def on_mount(self) -> None:
        assessment = self.store.get(self.assessment_id)
        self.assessment = assessment
        self.report = build_report(
            ReportMeta.from_assessment(assessment), assessment.bank, assessment.answers
        )
        self.query_one("#topbar", Static).update(plain(f"Results · {assessment.title}"))
        self._overall()
        self._gaps()
        self._survey()
        self._consistency()
        self.query_one("#results").focus()

    def on_resize(self) -> None:
        self._dimensions()

    def _overall(self) -> None:
        r = self.report
        text = Text(end="")
        text.append("Readiness ", style="bold")
        if r.overall is None:
            text.append(f"{NOT_ASSESSED}: no criterion applies yet.", style="bold")
        else:
            text.append(f"{format_score(r.overall)} out of 100 · {r.band}", style="bold reverse")
        text.append("\n")
        text.append(
            f"{r.questions_answered} of {r.questions_shown} questions answered; "
            f"{r.criteria_answered} of {r.criteria_applicable} applicable criteria rated."
        )
        if r.capped_by:
            text.append("\n")
            critical = plural(len(r.capped_by), "critical criterion", "critical criteria")
            if r.uncapped_band != r.band:
                text.append("Capped: ", style="bold")
                text.append(
                    f"the score alone would be {r.uncapped_band}, but {critical} below "
                    "level 2 keep the band at Not ready:"
                )
            else:
                text.append("Critical: ", style="bold")
                text.append(
                    f"{critical} below level 2 would keep the band at Not ready whatever the score:"
                )
            for row in r.capped_by:
                level = "not rated" if row.level is None else f"level {row.level}"
                text.append(f"\n  ! {row.text} ({level})")
        self.query_one("#overall", Static).update(text)

    def _dimensions(self) -> None:
        width = max(self.query_one("#results").scrollable_content_region.width, 40)
        label = min(34, width // 2)
        bar = max(width - label - 8, 8)
        text = Text(end="")
        text.append_text(heading("Dimensions (score out of 100)"))
        for d in self.report.dimensions:
            text.append("\n")
            text.append_text(score_line(d.title, d.score, label, bar))
        self.query_one("#dimensions", Static).update(text)

    def _gaps(self) -> None:
        gaps = self.report.gaps
        text = Text(end="")
        text.append_text(heading(f"Gaps to close ({len(gaps)})"))
        if not gaps:
            text.append("\nNo criterion is below its target.")
        for gap in gaps:
            c = gap.criterion
            level = "not rated" if c.level is None else f"level {c.level}"
            text.append(f"\n{gap.rank}. ", style="bold")
            if c.critical:
                text.append("CRITICAL ", style="bold reverse")
            text.append(
                f"{c.dimension_title} · {level} → target {c.target} · "
                f"{plural(gap.points, 'point')}\n",
                style="dim",
            )
            text.append(f"   {c.text}\n")
            text.append("   Action: ", style="bold")
            text.append(c.action or "(the bank gives no action for this criterion)")
        self.query_one("#gaps", Static).update(text)

    def _survey(self) -> None:
        survey = self.report.benchmark.survey
        text = Text(end="")
        text.append_text(heading("Your survey answers beside the chief executives' (2019)"))
        if not survey:
            text.append("\nNo survey question is shown for this assessment.")
        for s in survey:
            item = survey_item(s)
            text.append(f"\n{item.title}\n", style="bold")
            for label, line in item.lines:
                text.append(f"   {label + ': ' if label else ''}", style="dim")
                text.append(f"{line}\n")
        self.query_one("#survey", Static).update(text)

    def _consistency(self) -> None:
        bench = self.report.benchmark
        text = Text(end="")
        text.append_text(heading("Consistency notes"))
        if not bench.consistency:
            text.append("\nThis question bank has no consistency checks.")
        elif not bench.fired:
            text.append(
                f"\nNone of the {len(bench.consistency)} checks found a survey answer at odds "
                "with your readiness answers."
            )
        for finding in bench.fired:
            item = consistency_item(finding)
            text.append(f"\n! {item.title}\n", style="bold")
            for label, line in item.lines:
                text.append(f"   {label + ': ' if label else ''}", style="dim")
                text.append(f"{line}\n")
        self.query_one("#consistency", Static).update(text)

    def action_export(self) -> None:
        from assess.tui.screens.modals import ExportReportModal

        def done(choice: tuple[str, Path] | None) -> None:
            if choice is not None:
                self.export(*choice)

        self.app.push_screen(ExportReportModal(file_stem(self.assessment.title)), done)

    def export(self, fmt: str, path: Path) -> None:
        from assess.fileio import atomic_write_text
        from assess.reports import render

        today = datetime.date.today().isoformat()
        report = build_report(
            ReportMeta.from_assessment(self.assessment, date=today),
            self.assessment.bank,
            self.assessment.answers,
        )
        try:
            atomic_write_text(path, render(report, fmt, width=80, color=False))
        except OSError as exc:
            self.notify(f"Could not export: {exc}", severity="error", markup=False, timeout=8)
            return
        self.notify(f"Report saved to {path}", timeout=6, markup=False)

    def action_back(self) -> None:
        self.dismiss(None)

    def palette_commands(self):
        return [
            (
                "Export report",
                "Save the report as text, Markdown, HTML, JSON or CSV",
                self.action_export,
            ),
            ("Back", "Return to the previous screen", self.action_back),
        ]

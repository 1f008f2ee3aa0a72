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

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from assess.domain.scoring import NOT_ASSESSED, format_score
from assess.reports.layout import consistency_item, survey_item
from assess.reports.model import Report, ReportMeta, build_report
from assess.tui.text import hang, indent, plain, plural
from assess.tui.widgets.bars import score_line
from assess.tui.widgets.keybar import KeyBar


def file_stem(title: str) -> str:
    """A safe file name from an assessment title: `assess-report-anytown-waste`."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")[:60].strip("-")
    return f"assess-report-{slug}" if slug else "assess-report"


def heading(text: str, end: str = "\n") -> Text:
    return Text(text, style="bold underline", end=end)


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
        text.end = "\n"
        parts: list[RenderableType] = [text]
        if r.capped_by:
            note = Text()
            critical = plural(len(r.capped_by), "critical criterion", "critical criteria")
            if r.uncapped_band != r.band:
                note.append("Capped: ", style="bold")
                note.append(
                    f"the score alone would be {r.uncapped_band}, but {critical} below "
                    "level 2 keep the band at Not ready:"
                )
            else:
                note.append("Critical: ", style="bold")
                note.append(
                    f"{critical} below level 2 would keep the band at Not ready whatever the score:"
                )
            parts.append(note)
            for row in r.capped_by:
                level = "not rated" if row.level is None else f"level {row.level}"
                parts.append(hang("  ! ", f"{row.text} ({level})", style="bold"))
        self.query_one("#overall", Static).update(Group(*parts))

    def _dimensions(self) -> None:
        width = max(self.query_one("#results").scrollable_content_region.width, 40)
        label = min(34, width // 2)
        bar = max(width - label - 8, 8)
        text = Text()
        text.append_text(heading("Dimensions (score out of 100)", end=""))
        for d in self.report.dimensions:
            text.append("\n")
            text.append_text(score_line(d.title, d.score, label, bar))
        self.query_one("#dimensions", Static).update(text)

    def _gaps(self) -> None:
        gaps = self.report.gaps
        parts: list[RenderableType] = [heading(f"Gaps to close ({len(gaps)})")]
        if not gaps:
            parts.append(Text("No criterion is below its target."))
        number = len(f"{len(gaps)}. ")
        for gap in gaps:
            c = gap.criterion
            level = "not rated" if c.level is None else f"level {c.level}"
            about = Text()
            if c.critical:
                about.append("CRITICAL", style="bold reverse")
                about.append(" ")
            about.append(
                f"{c.dimension_title} · {level} → target {c.target} · "
                f"{plural(gap.points, 'point')}",
                style="dim",
            )
            body = Group(
                about,
                Text(c.text),
                hang(
                    Text("Action: ", style="bold"),
                    c.action or "(the bank gives no action for this criterion)",
                ),
            )
            parts.append(hang(Text(f"{gap.rank}. ".ljust(number), style="bold"), body))
        self.query_one("#gaps", Static).update(Group(*parts))

    @staticmethod
    def _item_lines(lines: list[tuple[str, str]]) -> list[RenderableType]:
        """The lines of a survey or consistency item, each label's text wrapping under itself."""
        out: list[RenderableType] = []
        for label, line in lines:
            if label:
                out.append(indent(hang(Text(f"{label}: ", style="dim"), line), 3))
            else:
                out.append(indent(line, 3))
        return out

    def _survey(self) -> None:
        survey = self.report.benchmark.survey
        parts: list[RenderableType] = [
            heading("Your survey answers beside the chief executives' (2019)")
        ]
        if not survey:
            parts.append(Text("No survey question is shown for this assessment."))
        for s in survey:
            item = survey_item(s)
            parts.append(Text())  # a blank line between questions
            parts.append(Text(item.title, style="bold"))
            parts.extend(self._item_lines(item.lines))
        self.query_one("#survey", Static).update(Group(*parts))

    def _consistency(self) -> None:
        bench = self.report.benchmark
        parts: list[RenderableType] = [heading("Consistency notes")]
        if not bench.consistency:
            parts.append(Text("This question bank has no consistency checks."))
        elif not bench.fired:
            parts.append(
                Text(
                    f"None of the {len(bench.consistency)} checks found a survey answer at odds "
                    "with your readiness answers."
                )
            )
        for finding in bench.fired:
            item = consistency_item(finding)
            parts.append(Text())
            parts.append(hang(Text("! ", style="bold"), Text(item.title, style="bold")))
            parts.extend(self._item_lines(item.lines))
        self.query_one("#consistency", Static).update(Group(*parts))

    def action_export(self) -> None:
        from assess.tui.screens.modals import ExportReportModal

        def done(choice: tuple[str, Path] | None) -> None:
            if choice is not None:
                self.export(*choice)

        self.app.push_screen(ExportReportModal(file_stem(self.assessment.title)), done)

    def export(self, fmt: str, path: Path) -> None:
        from assess.reports.export import export

        today = datetime.date.today().isoformat()
        report = build_report(
            ReportMeta.from_assessment(self.assessment, date=today),
            self.assessment.bank,
            self.assessment.answers,
        )
        try:
            export(report, fmt, path)
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

"""The results: the readiness report of one assessment, on screen, and what is done with it.

The screen draws the report's own layout (`reports.layout.report_document`)
through the text report's renderables (see `widgets/report.py`): the same
score, band, cap sentence, delivery confidence (suggested and the officer's
own), bars, gaps with their actions, evidence and plan entries, survey
benchmark and consistency notes as `assess report`, in the same words.
Exports go through the one export function, dated by the store's clock, so a
file saved here is byte for byte the file `assess report ID -o FILE` writes
the same day.

From here the officer opens the action plan (L), or one gap's plan entry
(G), records their own delivery confidence with a reason (C), signs a
complete assessment off (O; it is then read-only) or reopens it with a
reason (R), and reads the history (H). Every change goes through the store,
which records it in the history, and the report is drawn again on return.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path

from textual.app import ComposeResult
from textual.widgets import Static

from assess.domain.assessment import Assessment
from assess.domain.errors import BadInput
from assess.reports.document import Document
from assess.reports.layout import plan_text, report_document
from assess.reports.model import Report, report_for
from assess.tui.keys import Key
from assess.tui.screens.base import AppScreen
from assess.tui.screens.reading import BACK, NEXT_SECTION, PREVIOUS_SECTION, SCROLL, TOP_AND_BOTTOM
from assess.tui.text import plain, plural
from assess.tui.widgets.keybar import KeyBar
from assess.tui.widgets.report import ReportView

SIGN_OFF = "sign_off"
REOPEN = "reopen"


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
recommended action, the evidence noted so far and its action-plan entry. Gap
points say how far a criterion is from its target, weighted by how much it
counts: its dimension's weight times its own, times the levels it is short.

Delivery confidence is suggested by rule on Gateway's five-point scale (Red to
Green); C records your own rating beside it, with the reason. A complete
assessment can be signed off (O): it is then read-only until reopened with a
reason (R). The survey section sets your survey answers beside the chief
executives' answers in 2019; consistency notes point out survey answers that
sit uneasily with a weak readiness criterion."""

    KEYS = (
        Key(
            "l",
            "plan",
            help="the action plan: owners, due dates and status of each action",
            bar="Plan",
            command="Action plan",
            command_help="Owners, due dates and status of the actions",
        ),
        Key(
            "g",
            "gap_plan",
            help="pick a gap and open its plan entry",
            command="Plan entry of a gap",
            command_help="Pick a gap, then edit its action, owner, due date and status",
        ),
        Key(
            "c",
            "confidence",
            help="record your own delivery confidence rating, with a reason",
            bar="Rating",
            command="Your delivery confidence",
            command_help="Your own rating beside the suggested one, with a reason",
        ),
        Key(
            "o",
            SIGN_OFF,
            help="sign off the assessment (complete ones only; it becomes read-only)",
            bar="Sign off",
            command="Sign off",
            command_help="Name and role; read-only until reopened",
        ),
        Key(
            "r",
            REOPEN,
            help="reopen a signed-off assessment for changes, with a reason",
            bar="Reopen",
            command="Reopen for changes",
            command_help="Say why; the sign-off is withdrawn",
        ),
        Key(
            "h",
            "history",
            help="the history: who changed what, and when",
            bar="History",
            command="History",
            command_help="Every change to this assessment",
        ),
        Key(
            "e",
            "export",
            help="export the report to a file (text, Markdown, HTML, JSON, CSV...)",
            bar="Export",
            command="Export report",
            command_help="Save the report as a file",
        ),
        # Off the key bar, which has the screen's own keys to show; F1 lists them.
        replace(SCROLL, bar=""),
        replace(NEXT_SECTION, bar=""),
        PREVIOUS_SECTION,
        TOP_AND_BOTTOM,
        BACK,
    )

    def __init__(self, assessment_id: str) -> None:
        super().__init__()
        self.assessment_id = assessment_id
        self.assessment: Assessment
        self.report: Report

    def compose(self) -> ComposeResult:
        yield Static(id="topbar", markup=False)
        yield ReportView(id="results")
        yield self.key_bar(id="results-keys")

    def hidden_keys(self) -> Collection[str]:
        signed = getattr(self, "assessment", None) is not None and self.assessment.signed_off
        return (SIGN_OFF,) if signed else (REOPEN,)

    def on_mount(self) -> None:
        self.refresh_report()
        self.query_one(ReportView).focus()

    def on_screen_resume(self) -> None:
        # Back from the plan, history or a dialog: what they changed shows at once.
        if getattr(self, "assessment", None) is not None:
            self.refresh_report()

    def refresh_report(self) -> None:
        """Read the assessment again and draw its report (and the keys that apply now)."""
        self.assessment = self.store.get(self.assessment_id)
        self.report = self.build(self.today())
        a = self.assessment
        read_only = " · signed off, read-only" if a.signed_off else ""
        self.query_one("#topbar", Static).update(plain(f"Results · {a.title}{read_only}"))
        self.query_one("#results-keys", KeyBar).show(self.key_hints())
        self.query_one(ReportView).show(self.document)

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

    # -- the plan, confidence, sign-off and history ------------------------------------

    def action_plan(self) -> None:
        from assess.tui.screens.plan import PlanScreen

        self.app.push_screen(PlanScreen(self.assessment_id))

    def action_gap_plan(self) -> None:
        from assess.tui.screens.pick import Choice, PickModal
        from assess.tui.screens.plan import PlanScreen

        gaps = self.report.gaps
        if not gaps:
            self.notify("There are no gaps: every criterion that counts is at its target.")
            return
        choices = []
        for gap in gaps:
            entry = self.report.plan_entry(gap.id)
            about = f"{'critical · ' if gap.critical else ''}{plural(gap.points, 'gap point')}"
            about += f" · {plan_text(entry)}" if entry else " · no plan entry yet"
            choices.append(Choice(gap.id, f"{gap.rank}. {gap.criterion.text}", about))

        def done(chosen: str | None) -> None:
            if chosen is not None:
                self.app.push_screen(PlanScreen(self.assessment_id, chosen, edit=True))

        self.app.push_screen(
            PickModal("Which gap's plan entry?", "The gaps, most urgent first.", choices), done
        )

    def _refuse_if_signed_off(self) -> bool:
        from assess.tui.screens.signoff import read_only_reason

        if self.assessment.signed_off:
            self.notify(
                read_only_reason(self.assessment), severity="warning", timeout=8, markup=False
            )
            return True
        return False

    def _change(self, what: str, change: Callable[[], object]) -> None:
        """Make one change through the store; a refusal is shown with its reason."""
        try:
            change()
        except BadInput as exc:  # the store's errors too: each says what to do
            self.notify(f"Not saved: {exc.message}", severity="error", timeout=10, markup=False)
            self.refresh_report()
            return
        self.refresh_report()
        self.notify(what, timeout=5, markup=False)

    def action_confidence(self) -> None:
        from assess.tui.screens.rating import ConfidenceModal
        from assess.tui.session import current_user

        if self._refuse_if_signed_off():
            return

        def done(chosen: tuple[str, str] | None) -> None:
            if chosen is None:
                return
            rating, reason = chosen
            self._change(
                f"Your delivery confidence is recorded: {rating}."
                if rating
                else "Your own delivery confidence rating is removed.",
                lambda: self.store.set_details(
                    self.assessment_id,
                    confidence=rating,
                    confidence_reason=reason,
                    who=current_user(),
                ),
            )

        self.app.push_screen(ConfidenceModal(self.assessment), done)

    def action_sign_off(self) -> None:
        from assess.tui.screens.signoff import SignOffModal
        from assess.tui.session import current_user

        a = self.assessment
        if self._refuse_if_signed_off():
            return
        if a.status != "complete":
            self.notify(
                "Only a complete assessment can be signed off. This one is a draft: mark it "
                "complete on the review screen (M) first.",
                severity="warning",
                timeout=8,
            )
            return

        def done(chosen: tuple[str, str] | None) -> None:
            if chosen is None:
                return
            name, role = chosen
            self._change(
                f"Signed off by {name} ({role}). It is read-only until reopened.",
                lambda: self.store.sign_off(
                    self.assessment_id, name=name, role=role, who=current_user()
                ),
            )

        self.app.push_screen(SignOffModal(a.title, a.assessor), done)

    def action_reopen(self) -> None:
        from assess.tui.screens.signoff import ReopenModal
        from assess.tui.session import current_user

        if not self.assessment.signed_off:
            self.notify("This assessment is not signed off: there is nothing to reopen.")
            return

        def done(reason: str | None) -> None:
            if reason is None:
                return
            self._change(
                "Reopened: it can be changed again, and the reason is in its history.",
                lambda: self.store.reopen(self.assessment_id, reason=reason, who=current_user()),
            )

        self.app.push_screen(ReopenModal(self.assessment), done)

    def action_history(self) -> None:
        from assess.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.assessment_id))

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

"""The review: what is still unanswered or unevidenced, and marking the assessment complete.

It lists the shown questions without an answer and the criteria rated 3 or
4 with no evidence note (the same lists the report prints). Enter opens the
item in the questionnaire: an unanswered one at its answer, one without
evidence in its evidence note. M marks the assessment complete (or back to
draft); with items still open it asks first. V shows the results.

The store is written off the event loop (`in_background`); an assessment
deleted or signed off elsewhere is said in words, never a crash.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from assess.domain.assessment import Status
from assess.domain.errors import BadInput
from assess.reports.model import report_for
from assess.tui.keys import Key
from assess.tui.screens.base import AppScreen
from assess.tui.screens.reading import RESULTS
from assess.tui.text import hang, plain, plural
from assess.tui.widgets.options import Options

# What the review returns: the question to open, and whether to open its evidence note.
Opened = tuple[str, bool]


class ReviewScreen(AppScreen[Opened | None]):
    """Returns the question to open (and whether at its note), or None to go back."""

    HELP = """\
The review lists what is left to do before the assessment is complete:

- questions that are shown but not answered yet;
- criteria rated 3 (largely in place) or 4 (fully in place and evidenced)
that have no evidence note: a high rating should say what shows it."""

    KEYS = (
        Key("up,down", help="move through the list", shown="Up / Down"),
        Key("enter", help="open that question to answer it or add the evidence", bar="Open"),
        Key(
            "m",
            "mark",
            help="mark the assessment complete (or, if it is complete, back to draft)",
            bar="Mark complete/draft",
            command="Mark complete",
            command_help="Mark the assessment complete (or draft)",
        ),
        RESULTS,
        Key(
            "escape",
            "back",
            help="go back to the questions",
            bar="Back",
            command="Back to the questions",
            command_help="Return to the questionnaire",
        ),
    )

    def __init__(self, assessment_id: str) -> None:
        super().__init__()
        self.assessment_id = assessment_id
        self.status = "draft"
        self.open_items = 0
        self.signed_off = False
        self.evidence_items: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Static(id="topbar", markup=False)
        yield Static(id="review-summary", markup=False)
        yield Options(id="review-list", markup=False)
        yield self.key_bar()

    def refresh_list(self) -> None:
        from assess.store import UnknownAssessment

        try:
            assessment = self.store.get(self.assessment_id)
        except UnknownAssessment:
            self.notify(
                "This assessment is no longer in the store (deleted elsewhere).",
                severity="warning",
                timeout=6,
            )
            self.dismiss(None)
            return
        except BadInput as exc:
            self.refused("reading the assessment", exc)
            return
        self.signed_off = assessment.signed_off
        report = report_for(assessment, self.store.clock()[:10])
        self.open_items = len(report.unanswered) + len(report.missing_evidence)
        status = "complete" if assessment.status == "complete" else "draft"
        self.status = status
        shown_status = "signed off" if assessment.signed_off else status
        self.query_one("#topbar", Static).update(
            plain(f"Review · {assessment.title} · {shown_status}")
        )
        done = f"{report.questions_answered} of {report.questions_shown} questions answered"
        if self.open_items:
            parts = []
            if report.unanswered:
                parts.append(f"{plural(len(report.unanswered), 'question')} unanswered")
            if report.missing_evidence:
                parts.append(
                    f"{plural(len(report.missing_evidence), 'high rating')} without evidence"
                )
            summary = f"{done}: {' and '.join(parts)}. Enter opens one; M marks the assessment " + (
                "a draft again." if status == "complete" else "complete."
            )
        else:
            summary = f"{done}. Nothing is left to do." + (
                " M marks the assessment complete."
                if status == "draft"
                else " The assessment is marked complete; M makes it a draft again."
            )
        self.query_one("#review-summary", Static).update(plain(summary))
        options: list[Option] = []
        if report.unanswered:
            options.append(
                Option(Text(f"Unanswered ({len(report.unanswered)})", style="bold"), disabled=True)
            )
            for item in report.unanswered:
                options.append(Option(self._item(item.text, item.section_title), id=item.id))
        if report.missing_evidence:
            options.append(
                Option(
                    Text(
                        f"Rated 3–4 without evidence ({len(report.missing_evidence)})", style="bold"
                    ),
                    disabled=True,
                )
            )
            for row in report.missing_evidence:
                about = f"{row.dimension_title} · rated {row.level}, no evidence note"
                options.append(Option(self._item(row.text, about), id=row.id))
        self.evidence_items = {row.id for row in report.missing_evidence}
        if not options:
            options.append(
                Option(Text("Everything is answered and evidenced.", style="bold"), disabled=True)
            )
        listing = self.query_one(OptionList)
        listing.set_options(options)
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        if first is not None:
            listing.highlighted = first
        listing.focus()

    @staticmethod
    def _item(text: str, about: str) -> Table:
        """`• question text` over a dim line saying where it is, both wrapping under the text."""
        return hang("• ", Group(Text(text), Text(about, style="dim")))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.dismiss((event.option.id, event.option.id in self.evidence_items))

    def action_results(self) -> None:
        from assess.tui.screens.results import ResultsScreen

        self.app.push_screen(ResultsScreen(self.assessment_id))

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown; back from the results, the
        # assessment may have changed (signed off there, say).
        self.refresh_list()

    def _set_status(self, status: Status, said: str) -> None:
        def done(_: object) -> None:
            self.notify(said, timeout=3)
            self.refresh_list()

        self.in_background(
            "marking the assessment",
            lambda: self.store.set_status(self.assessment_id, status),
            done,
        )

    def action_mark(self) -> None:
        from assess.tui.screens.modals import ConfirmModal

        if self.signed_off:
            self.notify(
                "This assessment is signed off: it stays complete until it is reopened.",
                timeout=5,
            )
            return
        if self.status == "complete":
            self._set_status("draft", "Marked as a draft again.")
            return
        if not self.open_items:
            self._complete(True)
            return
        self.app.push_screen(
            ConfirmModal(
                "Mark complete with items still open?",
                f"{plural(self.open_items, 'item')} on this list still "
                f"need{'s' if self.open_items == 1 else ''} attention. You can mark the "
                "assessment complete anyway and come back to them later.",
                confirm="Mark complete",
            ),
            self._complete,
        )

    def _complete(self, confirmed: bool | None) -> None:
        if not confirmed:
            return
        self._set_status("complete", "Marked complete.")

    def action_back(self) -> None:
        self.dismiss(None)

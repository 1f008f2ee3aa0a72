"""The history: every change to an assessment, or to one question, in words.

Who changed what, when, and from what to what: answers, action-plan
entries, and the assessment's own details (status, stage, period, names,
sign-off, reopening, the officer's own delivery confidence). The words come
from `reports.history`; the screen scrolls them as a report (`ReportView`).
Opened from the results screen (the whole assessment) and from the plan
screen (one question); with one question, A shows the whole assessment.
"""

from __future__ import annotations

from collections.abc import Collection

from textual.app import ComposeResult
from textual.widgets import Static

from assess.domain.assessment import Assessment
from assess.domain.errors import BadInput
from assess.reports.document import Document
from assess.reports.history import history_document, question_name
from assess.tui.keys import Key
from assess.tui.screens.base import AppScreen
from assess.tui.screens.reading import BACK, SCROLL, TOP_AND_BOTTOM
from assess.tui.text import plain, when
from assess.tui.widgets.keybar import KeyBar
from assess.tui.widgets.report import ReportView

WHOLE = "whole"


class HistoryScreen(AppScreen[None]):
    """The changes to one assessment (or to one of its questions), newest first."""

    CSS_PATH = "governance.tcss"

    HELP = """\
Every change saved to this assessment, newest first: who made it, when (in
this computer's time), and what it was before and after. Answers, action-plan
entries, and the assessment's own details (its status, stage and period, its
names, sign-off and reopening, the officer's own delivery confidence) are all
here. Nothing can be changed from this screen."""

    KEYS = (
        SCROLL,
        TOP_AND_BOTTOM,
        Key(
            "a",
            WHOLE,
            help="show the whole assessment's history, not only this question's",
            bar="Whole assessment",
            command="Whole assessment's history",
            command_help="Every change, not only this question's",
        ),
        BACK,
    )

    def __init__(self, assessment_id: str, question_id: str | None = None) -> None:
        super().__init__()
        self.assessment_id = assessment_id
        self.question_id = question_id
        self.assessment: Assessment | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="topbar", markup=False)
        yield Static(id="history-summary", markup=False)
        yield ReportView(id="history")
        yield self.key_bar(id="history-keys")

    def hidden_keys(self) -> Collection[str]:
        return () if self.question_id is not None else (WHOLE,)

    def on_mount(self) -> None:
        summary = self.query_one("#history-summary", Static)
        try:
            self.assessment = self.store.get(self.assessment_id)
        except BadInput as exc:
            summary.update(plain(f"The history cannot be shown: {exc.message}."))
            return
        self.draw()

    def draw(self) -> None:
        a = self.assessment
        if a is None:
            return
        if self.question_id is None:
            what = "every change"
        else:
            what = f"the changes to {question_name(a.bank, self.question_id)}"
        self.query_one("#topbar", Static).update(plain(f"History · {a.title}"))
        self.query_one("#history-summary", Static).update(
            plain(f"Showing {what}, newest first. Times are this computer's local time.")
        )
        self.query_one("#history-keys", KeyBar).show(self.key_hints())
        view = self.query_one(ReportView)
        view.show(self.document)
        view.focus()

    def document(self, width: int) -> Document:
        assert self.assessment is not None
        return history_document(
            self.assessment, self.question_id, when=lambda at: when(at, with_time=True)
        )

    def action_whole(self) -> None:
        if self.question_id is not None:
            self.question_id = None
            self.draw()

    def action_back(self) -> None:
        self.dismiss(None)

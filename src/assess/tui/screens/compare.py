"""Compare: the assessments selected on the home screen, side by side, and what moved.

The screen draws the comparison report's own layout
(`reports.compare_layout.comparison_document`) through the text report's
renderables (see `widgets/report.py`), laid out for the terminal's width as
`assess compare --format text` is for its own. The kind of comparison is
worked out from the assessments and shown at the top; K chooses another, and
B the baseline the changes are measured from. Across officers, S walks them
through the items their consensus leaves to settle (`screens/settle.py`) and
saves the settled consensus as a new draft; what is settled shows in the
report at once, and leaving with settled items not yet saved asks first.
Everything that comes from data is shown as literal text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import replace
from pathlib import Path

from textual.app import ComposeResult
from textual.widgets import Static

from assess.domain.assessment import Assessment
from assess.domain.compare import KINDS, OVER_TIME, Comparison, compare, kind_and_reason
from assess.domain.errors import BadInput
from assess.reports import comparison_columns
from assess.reports.compare_layout import comparison_document, comparison_title
from assess.reports.document import Document
from assess.tui.keys import Key
from assess.tui.screens.base import AppScreen
from assess.tui.screens.reading import NEXT_SECTION, PREVIOUS_SECTION, SCROLL, TOP_AND_BOTTOM
from assess.tui.text import plain
from assess.tui.widgets.keybar import KeyBar
from assess.tui.widgets.report import ReportView

SETTLE = "settle"


def file_stem(comparison: Comparison) -> str:
    """A safe file name for the exported comparison: `assess-comparison-anytown-waste`."""
    words = comparison_title(comparison).removeprefix("Comparison ")
    slug = re.sub(r"[^a-z0-9]+", "-", words.casefold()).strip("-")[:60].strip("-")
    return f"assess-comparison-{slug}" if slug else "assess-comparison"


class CompareScreen(AppScreen[None]):
    """Two or more assessments side by side."""

    HELP = """\
The assessments you selected, compared: the same report as `assess compare`,
section by section. The top says what kind of comparison it is, worked out
from their authority, service, period and assessor: over time (one authority
and service in different periods, in period order), across services, across
officers (colleagues' views of the same authority, service and period) or
across authorities. K chooses another kind if it was worked out wrongly.

Scores are out of 100, with the change from the baseline in brackets: the
earliest assessment over time, otherwise the first. B chooses another
baseline. Then come the answers that changed (with each evidence note), the
gaps closed, opened and still open, and, over time, what became of each
action in the baseline's plan.

Across officers, each officer counts once (their latest assessment). Where
they all agree, or an odd number of them gives a clear middle level, the
consensus takes it; where the two middle levels of an even number differ,
the officers settle the item: S walks through each one, showing every
officer's level and note, and saves the settled consensus as a new draft
assessment. Until then the consensus score is shown as a range. The
assessments compared are never changed."""

    KEYS = (
        Key(
            "s",
            SETTLE,
            help="settle the officers' consensus, item by item, and save it as a new draft",
            bar="Settle",
            command="Settle the consensus",
            command_help="Agree each item the officers' views leave open; save as a new draft",
        ),
        Key(
            "b",
            "baseline",
            help="choose the baseline the changes are measured from",
            bar="Baseline",
            command="Choose the baseline",
            command_help="The assessment changes are measured from",
        ),
        Key(
            "k",
            "kind",
            help="choose the kind of comparison (over time, across services, officers...)",
            bar="Kind",
            command="Choose the kind of comparison",
            command_help="Over time, across services, across officers or across authorities",
        ),
        Key(
            "e",
            "export",
            help="export the comparison to a file (text, Markdown, HTML, JSON, CSV...)",
            bar="Export",
            command="Export comparison",
            command_help="Save the comparison as a file",
        ),
        NEXT_SECTION,
        PREVIOUS_SECTION,
        # Off the key bar, which has the comparison's own keys to show; F1 lists it.
        replace(SCROLL, bar=""),
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
        self.assessments: list[Assessment] = []
        self.comparison: Comparison | None = None
        self.problem = ""
        self.kind: str | None = None  # the officer's choice; None: as worked out
        self.baseline: str | None = None  # the officer's choice; None: the default
        self.settled: dict[str, int | None] = {}
        self.saved_id = ""  # the consensus saved from this screen, if any
        self.unsaved = False  # settled items not yet saved as a draft

    def compose(self) -> ComposeResult:
        yield Static(id="topbar", markup=False)
        yield Static(id="cmp-problem", markup=False)
        yield ReportView(id="compare-body")
        yield self.key_bar(id="cmp-keys")

    def hidden_keys(self) -> Collection[str]:
        c = self.comparison
        if c is None:
            return (SETTLE, "baseline", "kind", "export")
        # A consensus is for officers' views of one authority and service only.
        return () if c.for_officers else (SETTLE,)

    def on_mount(self) -> None:
        try:
            self.assessments = [self.store.get(i) for i in self.assessment_ids]
        except BadInput as exc:  # the store's errors too (an assessment deleted, a damaged file)
            self.assessments = []
            self.problem = exc.message
        self.load()
        self.query_one(ReportView).focus()

    def today(self) -> str:
        """The date a comparison made now carries: the store's clock decides what day it is."""
        return self.store.clock()[:10]

    def load(self) -> bool:
        """Compare the assessments as chosen; a problem is shown, never raised. True if shown."""
        c: Comparison | None = None
        if self.assessments:
            try:
                c = compare(self.assessments, self.kind, self.baseline)
                if c.for_officers:
                    c = c.with_settled(self.settled)
            except BadInput as exc:
                self.problem = exc.message
        self.comparison = c
        top = self.query_one("#topbar", Static)
        problem = self.query_one("#cmp-problem", Static)
        problem.display = c is None
        self.query_one("#cmp-keys", KeyBar).show(self.key_hints())
        if c is None:
            top.update(plain("Compare"))
            problem.update(plain(f"These assessments cannot be compared: {self.problem}."))
            self.query_one(ReportView).display = False
            return False
        self.query_one(ReportView).display = True
        top.update(plain(f"Compare · {comparison_title(c).removeprefix('Comparison ')}"))
        date = self.today()
        self.query_one(ReportView).show(lambda width: self.document(c, date, width))
        return True

    @staticmethod
    def document(c: Comparison, date: str, width: int) -> Document:
        """The comparison laid out for `width`: as many columns per table as fit."""
        return comparison_document(
            c, date=date, max_columns=comparison_columns("text", width), width=width
        )

    def _try(self, *, kind: str | None = None, baseline: str | None = None) -> None:
        """Compare again with another kind or baseline; if that cannot be done, say why.

        Items already settled are kept: they show again if the officer comes
        back to the comparison across officers.
        """
        chosen_kind = kind if kind is not None else self.kind
        chosen_baseline = baseline if baseline is not None else self.baseline
        try:
            compare(self.assessments, chosen_kind, chosen_baseline)
        except BadInput as exc:
            self.notify(f"Not changed: {exc.message}.", severity="warning", timeout=8, markup=False)
            return
        self.kind, self.baseline = chosen_kind, chosen_baseline
        self.load()

    # -- actions -----------------------------------------------------------------

    def action_section(self, step: int) -> None:
        self.query_one(ReportView).jump(step)

    def action_baseline(self) -> None:
        from assess.tui.screens.pick import Choice, PickModal

        c = self.comparison
        if c is None:
            return
        choices = []
        for i, column in enumerate(c.columns):
            a = column.assessment
            latest = c.kind == OVER_TIME and i == len(c.columns) - 1
            about = f"{a.title} · {a.assessor or 'no assessor named'} · made {a.created[:10]}"
            if latest:
                about += " · the latest: changes are measured up to it"
            choices.append(
                Choice(a.id, column.label, about, disabled=latest, current=column is c.baseline)
            )

        def done(chosen: str | None) -> None:
            if chosen is not None and chosen != c.baseline.id:
                self._try(baseline=chosen)

        self.app.push_screen(
            PickModal(
                "Measure the changes from",
                "The baseline is the assessment every change is measured from.",
                choices,
            ),
            done,
        )

    def action_kind(self) -> None:
        from assess.tui.screens.pick import Choice, PickModal

        c = self.comparison
        if c is None:
            return
        detected, reason = kind_and_reason(self.assessments)
        choices = [
            Choice(
                kind,
                kind[:1].upper() + kind[1:],
                f"worked out from them: {reason}" if kind == detected else "",
                current=kind == c.kind,
            )
            for kind in KINDS
        ]

        def done(chosen: str | None) -> None:
            if chosen is not None and chosen != c.kind:
                self._try(kind=chosen)

        self.app.push_screen(
            PickModal(
                "What kind of comparison is this?",
                "Worked out from the authority, service, period and assessor of each; choose "
                "another if it was worked out wrongly.",
                choices,
            ),
            done,
        )

    def action_settle(self) -> None:
        from assess.tui.screens.settle import SettleScreen

        c = self.comparison
        if c is None:
            return
        if not c.for_officers:
            self.notify(
                f"A consensus is for officers' views of one authority and service; these "
                f"assessments are compared {c.kind}, so there is no consensus to settle.",
                severity="warning",
                timeout=8,
                markup=False,
            )
            return

        def done(result: tuple[Mapping[str, int | None], str] | None) -> None:
            if result is None:
                return
            settled, saved = result
            if saved:
                self.saved_id = saved
            self.unsaved = bool(settled) and not saved
            self.settled = dict(settled)
            self.load()

        self.app.push_screen(SettleScreen(c), done)

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
        except (OSError, BadInput) as exc:
            self.notify(f"Could not export: {exc}", severity="error", markup=False, timeout=8)
            return
        self.notify(f"Comparison saved to {path}", timeout=6, markup=False)

    def action_back(self) -> None:
        from assess.tui.screens.modals import ConfirmModal

        if not self.unsaved:
            self.dismiss(None)
            return

        def done(leave: bool | None) -> None:
            if leave:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmModal(
                "Leave without saving the settled consensus?",
                f"You settled {len(self.settled)} item{'s' if len(self.settled) != 1 else ''} "
                "of the consensus but have not saved it as a new draft (S, then Ctrl+S on the "
                "settling screen). Leave anyway and lose what was settled?",
                confirm="Leave",
                danger=True,
            ),
            done,
        )

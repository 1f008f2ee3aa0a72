"""Side by side: the assessments selected on the home screen, dimension by dimension.

This screen only lays out each assessment's own results next to each other;
the comparison analysis (trends, agreement between officers) belongs to
`assess.compare` and will be shown here when that lands (issue 6).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from assess.scoring import format_score
from assess.tui.text import literal, one_line, percent, plain
from assess.tui.widgets.keybar import KeyBar


class CompareScreen(Screen[None]):
    """Scores of several assessments, one column each."""

    HELP = """\
The assessments you selected, side by side: overall readiness, band, how much
is answered, and the score of each readiness dimension.

Arrow keys   move around the table
Escape       go back to the list"""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]

    def __init__(self, assessment_ids: list[str]) -> None:
        super().__init__()
        self.assessment_ids = assessment_ids

    def compose(self) -> ComposeResult:
        yield Static(id="topbar", markup=False)
        yield DataTable(id="compare-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar("↑↓ Move · Esc Back · F1 Help")

    def on_mount(self) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        assessments = [store.get(i) for i in self.assessment_ids]
        self.query_one("#topbar", Static).update(
            plain(f"Side by side · {len(assessments)} assessments")
        )
        table = self.query_one(DataTable)
        table.add_column(Text("", end=""), key="what", width=24)
        for a in assessments:
            table.add_column(literal(one_line(a.title, 18)), key=a.id, width=18)
        results = [a.result for a in assessments]
        table.add_row(literal("Assessor"), *(literal(a.assessor or "–") for a in assessments))
        table.add_row(literal("Overall"), *(literal(format_score(r.overall)) for r in results))
        table.add_row(literal("Band"), *(literal(r.band) for r in results))
        table.add_row(
            literal("Answered"), *(literal(percent(float(r.completeness))) for r in results)
        )
        # Dimensions in the order of the first assessment's bank; others matched by id.
        for dimension in results[0].dimensions:
            cells = []
            for r in results:
                found = r.dimension(dimension.id)
                cells.append(literal(format_score(found.score) if found else "–"))
            table.add_row(literal(one_line(dimension.title, 24)), *cells)
        table.focus()

    def action_back(self) -> None:
        self.dismiss(None)

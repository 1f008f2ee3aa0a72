"""The new-assessment form: who and what it is for, the period, the stage, and where.

Only the authority is required. The period is proposed (the current
financial year, by the store's clock) and checked as it will be kept; the
stage of the partnership (0 Exploring to 5 Running and review, named) decides
which criteria count; the authority type and region are optional, for
comparing like with like. Everything works from the keyboard: Tab moves
between the boxes, Enter in a box (or Ctrl+S anywhere) creates the
assessment, and each problem is said beside its box.

Creating writes to the store off the event loop; a second Enter while it is
under way is ignored, and a store that refuses (busy, full, read-only) is
said in the form, which stays as it was.
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from assess.domain.authority import AUTHORITY_TYPES, REGIONS
from assess.domain.errors import BadInput
from assess.domain.period import PeriodProblem, check_period, current_financial_year
from assess.domain.stages import STAGES
from assess.tui.keys import Key
from assess.tui.screens.base import AppScreen
from assess.tui.text import plain
from assess.tui.widgets.field import Field, Problem, check_name_fields
from assess.tui.widgets.options import Dropdown

FIELDS = (
    ("authority", "Authority (required)", "e.g. Anytown Borough Council", True),
    (
        "service",
        "Service area",
        "e.g. Waste and recycling (leave empty for the whole authority)",
        False,
    ),
    ("assessor", "Assessor", "Your name, so colleagues know whose view this is", False),
)


class NewAssessmentScreen(AppScreen[str | None]):
    """Asks for the names, period, stage and place; returns the new assessment's id (or None)."""

    HELP = """\
Start a new assessment.

Type the authority's name (required), the service area it covers (leave it
empty if the assessment is for the whole authority) and your name. The period
is the financial year the assessment is for (the current one is proposed);
a copy made next year proposes the year after. The stage is how far the
partnership has got: only the criteria that apply by that stage count in the
score. The authority type and region are optional."""

    KEYS = (
        Key("enter", help="in a box: create the assessment and start answering", bar="Create"),
        Key(
            "tab,shift+tab",
            help="move between the boxes and the choices",
            bar="Next box",
            shown="Tab / Shift+Tab",
            bar_shown="Tab",
        ),
        Key("space", help="on a choice: open its list (Up / Down, then Enter to pick)"),
        Key(
            "ctrl+s",
            "create",
            help="create it from anywhere on the form",
            command="Create the assessment",
            command_help="Check the form and start",
        ),
        Key(
            "escape",
            "cancel",
            help="go back without creating anything",
            bar="Cancel",
            command="Cancel",
            command_help="Go back without creating anything",
        ),
    )
    AUTO_FOCUS = "#authority"

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def compose(self) -> ComposeResult:
        today = date.fromisoformat(self.store.clock()[:10])
        yield Static("New assessment", id="topbar", markup=False)
        with VerticalScroll(id="form"):
            yield Static(
                "Who and what is this assessment for? Only the authority is required; "
                "you can rename it later.",
                classes="intro",
                markup=False,
            )
            for key, label, placeholder, _ in FIELDS:
                yield Label(label, classes="field-label")
                yield Field(placeholder=placeholder, id=key)
                yield Problem(id=f"{key}-problem")
            yield Label(
                "Period (a financial year such as 2026/27, or as at a date)", classes="field-label"
            )
            yield Field(current_financial_year(today), id="period")
            yield Problem(id="period-problem")
            yield Label("Stage of the partnership", classes="field-label")
            yield Dropdown(
                [(f"{s.number} {s.name} ({s.gateway})", s.number) for s in STAGES],
                value=STAGES[0].number,
                allow_blank=False,
                compact=True,
                id="stage",
            )
            yield Label("Type of authority (optional)", classes="field-label")
            yield Dropdown(
                [(name, key) for key, name in AUTHORITY_TYPES.items()],
                prompt="Not given",
                compact=True,
                id="authority_type",
            )
            yield Label("Region (optional)", classes="field-label")
            yield Dropdown(
                [(name, key) for key, name in REGIONS.items()],
                prompt="Not given",
                compact=True,
                id="region",
            )
            yield Problem(id="form-problem")
            with Horizontal(classes="buttons"):
                yield Button("Create and start", id="create", variant="primary")
                yield Button("Cancel", id="cancel")
        yield self.key_bar()

    def on_mount(self) -> None:
        # The first box has the focus; the form's top (what it is for) stays in view.
        self.call_after_refresh(self.query_one("#form").scroll_home, animate=False)

    def check(self) -> dict[str, object] | None:
        """The checked form, or None after showing what is wrong next to each box."""
        names, self.problems = check_name_fields(
            self, ((key, label, required) for key, label, _, required in FIELDS)
        )
        values: dict[str, object] = dict(names)
        period_problem = self.query_one("#period-problem", Static)
        try:
            values["period"] = check_period(self.query_one("#period", Input).value)
            period_problem.update("")
        except PeriodProblem as exc:
            self.problems.append("period")
            period_problem.update(plain(f"{str(exc)[:1].upper()}{str(exc)[1:]}."))
        values["stage"] = self._chosen("stage") or 0
        values["authority_type"] = self._chosen("authority_type") or ""
        values["region"] = self._chosen("region") or ""
        return None if self.problems else values

    def _chosen(self, key: str) -> object:
        value = self.query_one(f"#{key}", Select).value
        return None if value is Select.NULL else value

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_create()

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        if self.leaving or self.working:
            return  # a second Enter in the same burst: the first is under way
        values = self.check()
        if values is None:
            self.query_one(f"#{self.problems[0]}", Input).focus()
            return
        self.query_one("#form-problem", Static).update("")

        def create() -> str:
            return self.store.create(
                authority=str(values["authority"]),
                service=str(values["service"]),
                assessor=str(values["assessor"]),
                stage=int(str(values["stage"])),
                period=str(values["period"]),
                authority_type=str(values["authority_type"]),
                region=str(values["region"]),
                who="",
            ).id

        def refused(problem: BadInput) -> None:
            self.query_one("#form-problem", Static).update(
                plain(f"Not created: {problem.message}. Nothing was saved; try again.")
            )

        self.in_background("creating the assessment", create, self.dismiss, failed=refused)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

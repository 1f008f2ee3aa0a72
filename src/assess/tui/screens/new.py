"""The new-assessment form: authority (required), service area and assessor."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from assess.tui.keys import Key
from assess.tui.screens.base import AppScreen
from assess.tui.widgets.field import Field, check_name_fields

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
    """Asks for the names; returns the new assessment's id (or None if cancelled)."""

    HELP = """\
Start a new assessment.

Type the authority's name (required), the service area it covers (leave it
empty if the assessment is for the whole authority) and your name."""

    KEYS = (
        Key("enter", help="create the assessment and start answering", bar="Create"),
        Key(
            "tab,shift+tab",
            help="move between the boxes",
            bar="Next box",
            shown="Tab / Shift+Tab",
            bar_shown="Tab",
        ),
        Key(
            "ctrl+s",
            "create",
            help="create it from anywhere on the form",
            command="Create the assessment",
            command_help="Check the names and start",
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

    def compose(self) -> ComposeResult:
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
                yield Static("", id=f"{key}-problem", classes="problem", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Create and start", id="create", variant="primary")
                yield Button("Cancel", id="cancel")
        yield self.key_bar()

    def check(self) -> dict[str, str] | None:
        """The checked names, or None after showing what is wrong next to each box."""
        values, self.problems = check_name_fields(
            self, ((key, label, required) for key, label, _, required in FIELDS)
        )
        return None if self.problems else values

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_create()

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        values = self.check()
        if values is None:
            self.query_one(f"#{self.problems[0]}", Input).focus()
            return
        made = self.store.create(
            authority=values["authority"],
            service=values["service"],
            assessor=values["assessor"],
            who="",
        )
        self.dismiss(made.id)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

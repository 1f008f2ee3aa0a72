"""The new-assessment form: authority (required), service area and assessor."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from assess.tui.widgets.field import Field, check_name_fields
from assess.tui.widgets.keybar import KeyBar

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


class NewAssessmentScreen(Screen[str | None]):
    """Asks for the names; returns the new assessment's id (or None if cancelled)."""

    HELP = """\
Start a new assessment.

Type the authority's name (required), the service area it covers (leave it
empty if the assessment is for the whole authority) and your name.

Tab / Shift+Tab  move between the boxes
Enter            create the assessment and start answering
Escape           go back without creating anything"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "create", "Create"),
    ]
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
        yield KeyBar("Enter Create · Tab Next box · Esc Cancel · F1 Help")

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
        made = self.app.store.create(who="", **values)  # type: ignore[attr-defined]
        self.dismiss(made.id)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def palette_commands(self):
        return [
            ("Create the assessment", "Check the names and start", self.action_create),
            ("Cancel", "Go back without creating anything", self.action_cancel),
        ]

"""Sign-off and reopening: the two dialogs, and the words that say an assessment is read-only.

A complete assessment can be signed off by a named officer (name and role);
it is then read-only, in the app and on the command line, until someone
reopens it with a reason. Each dialog only asks: the results screen saves
through the store (`Store.sign_off`, `Store.reopen`), which records both in
the history. `read_only_reason` is the one sentence every screen shows when
it refuses a change to a signed-off assessment.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from assess.domain.assessment import Assessment
from assess.domain.errors import BadInput
from assess.domain.names import check_name
from assess.domain.plan import PlanProblem, check_reason
from assess.tui.keys import Key
from assess.tui.screens.base import AppModal
from assess.tui.text import plain
from assess.tui.widgets.field import Field

FORM_KEYS = (
    Key("tab,shift+tab", help="move between the boxes and buttons", shown="Tab, Shift+Tab"),
    Key("enter", help="go ahead with what is in the boxes", bar="OK"),
    Key("escape", "cancel", help="cancel: nothing is changed", bar="Cancel"),
)


def read_only_reason(assessment: Assessment) -> str:
    """Why a signed-off assessment cannot be changed, and what to do about it."""
    s = assessment.signoff
    if s is None:
        return ""
    return (
        f"This assessment was signed off by {s.name} ({s.role}) on {s.date.isoformat()}, so it "
        "cannot be changed. To change it, reopen it with a reason: R on the results screen."
    )


def _problem(exc: Exception) -> str:
    message = exc.message if isinstance(exc, BadInput) else str(exc)
    return f"{message[:1].upper()}{message[1:]}."


class SignOffModal(AppModal[tuple[str, str] | None]):
    """The name and role of the officer signing off; returns (name, role)."""

    CSS_PATH = "governance.tcss"

    KEYS = FORM_KEYS

    def __init__(self, title: str, name: str = "") -> None:
        super().__init__()
        self.assessment_title = title
        self.default_name = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form-dialog"):
            yield Static("Sign off this assessment", classes="dialog-title", markup=False)
            yield Static(
                plain(
                    f"{self.assessment_title}. Once signed off it is read-only until it is "
                    "reopened with a reason, and a review is due in six months."
                ),
                classes="dialog-body",
                markup=False,
            )
            yield Label("Your name", classes="field-label")
            yield Field(self.default_name, id="name", compact=True)
            yield Label("Your role (e.g. Director of Resources)", classes="field-label")
            yield Field("", id="role", compact=True)
            yield Static("", id="signoff-problem", classes="problem", markup=False)
            yield self.key_bar(classes="dialog-keys")
            with Horizontal(classes="buttons"):
                yield Button("Sign off", id="go", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#name" if not self.default_name else "#role", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#go")
    def go(self) -> None:
        problem = self.query_one("#signoff-problem", Static)
        values = []
        for key, what in (("name", "name of the officer signing off"), ("role", "role")):
            box = self.query_one(f"#{key}", Input)
            try:
                values.append(check_name(box.value, what, required=True))
            except BadInput as exc:
                problem.update(plain(_problem(exc)))
                box.focus()
                return
        self.dismiss((values[0], values[1]))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ReopenModal(AppModal[str | None]):
    """Why a signed-off assessment is reopened; returns the reason.

    Opened by R on the results screen, or (`refused`) when a change was just
    refused because the assessment is signed off.
    """

    CSS_PATH = "governance.tcss"

    KEYS = FORM_KEYS

    def __init__(self, assessment: Assessment, *, refused: bool = False) -> None:
        super().__init__()
        self.assessment = assessment
        self.after_refusal = refused

    def compose(self) -> ComposeResult:
        s = self.assessment.signoff
        signed = f"signed off by {s.name} ({s.role}) on {s.date.isoformat()}" if s else "signed off"
        if self.after_refusal:
            title = "This assessment is signed off"
            lead = f"{self.assessment.title} was {signed}, so your change was not saved. "
        else:
            title = "Reopen for changes"
            lead = f"{self.assessment.title} was {signed}. "
        with Vertical(classes="dialog form-dialog"):
            yield Static(title, classes="dialog-title", markup=False)
            yield Static(
                plain(
                    lead + "Reopening makes it editable again and removes the sign-off; the "
                    "reason goes into its history, and it will need signing off again."
                ),
                classes="dialog-body",
                markup=False,
            )
            yield Label("Why is it being reopened?", classes="field-label")
            yield Field("", id="reason", compact=True)
            yield Static("", id="reopen-problem", classes="problem", markup=False)
            yield self.key_bar(labels={"cancel": "Keep signed off"}, classes="dialog-keys")
            with Horizontal(classes="buttons"):
                yield Button("Reopen", id="go", variant="warning", compact=True)
                yield Button("Keep signed off", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#go")
    def go(self) -> None:
        box = self.query_one("#reason", Input)
        problem = self.query_one("#reopen-problem", Static)
        try:
            reason = check_reason(box.value, "the reason for reopening")
        except PlanProblem as exc:
            problem.update(plain(_problem(exc)))
            return
        if not reason:
            problem.update(
                plain("Say why it is being reopened: the reason is kept in its history.")
            )
            box.focus()
            return
        self.dismiss(reason)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

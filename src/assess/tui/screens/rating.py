"""The officer's own delivery confidence rating, with the reason for it: the dialog.

The rules suggest a rating on Gateway's five-point scale (Red to Green); the
officer may record their own beside it, and must say why. Choosing "No
rating of my own" removes it. The results screen saves the choice through
the store (`Store.set_details(confidence=..., confidence_reason=...)`), which
checks it again and records it in the history.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from assess.domain.assessment import Assessment
from assess.domain.confidence import CONFIDENCE_RATINGS
from assess.domain.plan import PlanProblem, check_reason
from assess.tui.keys import Key
from assess.tui.screens.base import AppModal
from assess.tui.text import plain
from assess.tui.widgets.field import Field
from assess.tui.widgets.options import Options

NONE = "none"  # the option that removes the officer's own rating


class ConfidenceModal(AppModal[tuple[str, str] | None]):
    """Returns (rating, reason); the rating is "" to remove the officer's own."""

    CSS_PATH = "governance.tcss"

    KEYS = (
        Key("up,down", help="move through the ratings", shown="Up / Down"),
        Key("tab,shift+tab", help="move between the ratings, the reason and the buttons"),
        Key("enter", help="choose the rating, then save with the reason", bar="Choose / save"),
        Key("escape", "cancel", help="cancel: the rating stays as it was", bar="Cancel"),
    )

    def __init__(self, assessment: Assessment) -> None:
        super().__init__()
        self.assessment = assessment

    def compose(self) -> ComposeResult:
        a = self.assessment
        suggested = a.result.confidence or "none (nothing is scored yet)"
        with Vertical(classes="dialog form-dialog"):
            yield Static("Your own delivery confidence", classes="dialog-title", markup=False)
            yield Static(
                plain(
                    f"The rules suggest: {suggested}. Record your own rating beside it, on the "
                    "same five-point scale, and say why. Reports show both."
                ),
                classes="dialog-body",
                markup=False,
            )
            options = [
                Option(
                    rating + (" (suggested)" if rating == a.result.confidence else ""), id=rating
                )
                for rating in CONFIDENCE_RATINGS
            ]
            options.append(Option("No rating of my own", id=NONE))
            yield Options(*options, id="ratings")
            yield Label("Why this rating?", classes="field-label")
            yield Field(a.confidence_reason, id="reason", compact=True)
            yield Static("", id="rating-problem", classes="problem", markup=False)
            yield self.key_bar(classes="dialog-keys")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="go", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        ratings = self.query_one("#ratings", OptionList)
        current = self.assessment.confidence or self.assessment.result.confidence or ""
        ids = [*CONFIDENCE_RATINGS, NONE]
        ratings.highlighted = ids.index(current) if current in ids else 0
        ratings.focus()

    @property
    def chosen(self) -> str:
        ratings = self.query_one("#ratings", OptionList)
        index = ratings.highlighted
        option = ratings.get_option_at_index(index) if index is not None else None
        return "" if option is None or option.id == NONE else option.id or ""

    @on(OptionList.OptionSelected, "#ratings")
    def _rating_chosen(self) -> None:
        if self.chosen:
            self.query_one("#reason", Input).focus()
        else:
            self.go()

    @on(Input.Submitted)
    @on(Button.Pressed, "#go")
    def go(self) -> None:
        problem = self.query_one("#rating-problem", Static)
        box = self.query_one("#reason", Input)
        rating = self.chosen
        try:
            reason = check_reason(box.value, "the reason for your rating")
        except PlanProblem as exc:
            problem.update(plain(f"{str(exc)[:1].upper()}{str(exc)[1:]}."))
            box.focus()
            return
        if rating and not reason:
            problem.update(plain(f"Say why you rate it {rating}: a rating needs a reason."))
            box.focus()
            return
        self.dismiss((rating, reason if rating else ""))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

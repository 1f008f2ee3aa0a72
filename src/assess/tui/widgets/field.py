"""A one-line text box that follows the app's cursor-blink setting (the snapshot tests turn it off).

Kept apart from the multi-line note area so that screens with only one-line
boxes (the home screen's filter, the forms) do not load the text-area code.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import getters
from textual.dom import DOMNode
from textual.widgets import Input, Static

from assess.domain.errors import BadInput
from assess.domain.names import check_name
from assess.tui.base import AssessAppBase
from assess.tui.text import plain


class Field(Input):
    """A one-line input that follows the app's cursor-blink setting."""

    app = getters.app(AssessAppBase)

    def on_mount(self) -> None:
        self.cursor_blink = self.app.cursor_blink


def check_name_fields(
    parent: DOMNode, fields: Iterable[tuple[str, str, bool]]
) -> tuple[dict[str, str], list[str]]:
    """Check the name boxes `#<key>` under `parent`, showing each problem in `#<key>-problem`.

    `fields` gives (key, label, required); the result is the checked names and
    the keys of the boxes that are wrong, in order (the form and the rename
    dialog share this, so a name is refused the same way in both).
    """
    values: dict[str, str] = {}
    problems: list[str] = []
    for key, label, required in fields:
        problem = parent.query_one(f"#{key}-problem", Static)
        try:
            values[key] = check_name(
                parent.query_one(f"#{key}", Input).value,
                label.split(" (")[0].lower(),
                required=required,
            )
            problem.update("")
        except BadInput as exc:
            problems.append(key)
            problem.update(plain(f"{exc.message[0].upper()}{exc.message[1:]}."))
    return values, problems

"""A one-line text box that follows the app's cursor-blink setting (the snapshot tests turn it off).

Kept apart from the multi-line note area so that screens with only one-line
boxes (the home screen's filter, the forms) do not load the text-area code.

Two differences from Textual's Input, both so that typing never silently
replaces what is in a box: focusing a box does not select its text (the
next key would have wiped a path or a reason), and Ctrl+A selects all the
text, as in every other program an officer uses (Textual's Input moves to the
start of the line; Home still does that).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from textual import getters
from textual.dom import DOMNode
from textual.visual import VisualType
from textual.widgets import Input, Static

from assess.domain.errors import BadInput
from assess.domain.names import check_name
from assess.tui.base import AssessAppBase
from assess.tui.keys import Key, Keys, WithKeys
from assess.tui.text import plain

# Ctrl+A in a text box (the one-line boxes and the notes): select all of it.
SELECT_ALL = Key("ctrl+a", "select_all", help="in a text box, select all of its text")


class Field(WithKeys, Input):
    """A one-line input that follows the app's cursor-blink setting."""

    KEYS: ClassVar[Keys] = (SELECT_ALL,)
    app = getters.app(AssessAppBase)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)

    def on_mount(self) -> None:
        self.cursor_blink = self.app.cursor_blink


class Problem(Static):
    """What is wrong with the box above it, in words; takes no room while there is nothing."""

    def __init__(self, *, id: str) -> None:
        super().__init__("", id=id, classes="problem", markup=False)
        self.display = False

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        self.display = bool(str(content).strip())
        super().update(content, layout=layout)


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

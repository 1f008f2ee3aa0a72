"""Names officers type (authority, service, assessor, the officer making a change).

Every name is checked the same way wherever it comes from (the New form, the
command line, an answers file, a bundle): plain one-line text of sensible
length, valid Unicode, with nothing that changes how the line reads (a
right-to-left override) or hides in it (a zero-width space). A name is shown
in lists, titles and file names, where such a character would mislead.
"""

from __future__ import annotations

import re
from typing import Any

from assess.domain.errors import BadInput
from assess.domain.visible import has_lone_surrogate, hidden_character

MAX_NAME = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def check_name(value: Any, what: str, *, required: bool) -> str:
    """An authority, service or assessor name: plain one-line text of sensible length."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BadInput(f"the {what} must be text")
    if has_lone_surrogate(value):
        raise BadInput(
            f"the {what} holds bytes that are not UTF-8 text; type it again or save the "
            "file as UTF-8"
        )
    value = value.strip()
    if required and not value:
        raise BadInput(f"the {what} is required")
    if len(value) > MAX_NAME:
        raise BadInput(f"the {what} is longer than {MAX_NAME} characters")
    if _CONTROL.search(value):
        raise BadInput(f"the {what} contains control characters or line breaks")
    hidden = hidden_character(value)
    if hidden is not None:
        raise BadInput(
            f"the {what} contains {hidden}, a character that changes the order text reads "
            "in or cannot be seen; type the name without it"
        )
    return value

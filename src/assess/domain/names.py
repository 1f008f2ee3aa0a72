"""Names officers type (authority, service, assessor, the officer making a change).

Every name is checked the same way wherever it comes from (the New form, the
command line, an answers file, a bundle): plain one-line text of sensible length.
"""

from __future__ import annotations

import re
from typing import Any

from assess.domain.errors import BadInput

MAX_NAME = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def check_name(value: Any, what: str, *, required: bool) -> str:
    """An authority, service or assessor name: plain one-line text of sensible length."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BadInput(f"the {what} must be text")
    value = value.strip()
    if required and not value:
        raise BadInput(f"the {what} is required")
    if len(value) > MAX_NAME:
        raise BadInput(f"the {what} is longer than {MAX_NAME} characters")
    if _CONTROL.search(value):
        raise BadInput(f"the {what} contains control characters or line breaks")
    return value

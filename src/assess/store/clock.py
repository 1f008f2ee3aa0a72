"""The store's clock: the one source of every time the store writes.

A `Store` is given a clock, a function returning the current time as ISO 8601
text in UTC (`assess.domain.assessment.now_iso` unless a test freezes time).
Each operation reads it once, so one save stamps the same moment on the
assessment's `updated`, each changed answer's `at` and each history entry,
and a new assessment is created and updated at the same moment.

What the clock says is written in one canonical form (UTC, milliseconds,
`Z`), because stored times are compared as text: listing sorts on them, and
`2025-04-01T09:30:00Z` would sort after `2025-04-01T09:30:00.500Z`.
The names the store gives files it moves aside (trash, damaged copies) carry
the same moment, as a compact stamp that sorts as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], str]
# A stored time, as checked wherever one comes in (always with `fullmatch`).
TIME_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})")


def read_clock(clock: Clock) -> str:
    """The clock's time in the canonical form, e.g. `2025-04-01T09:30:00.000Z`."""
    text = clock()
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(f"the store's clock gave {text!r}, not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise ValueError(f"the store's clock gave {text!r}, a time without a time zone")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def file_stamp(iso: str) -> str:
    """A canonical stored time as a compact part of a file name: `20250401T093000000000Z`.

    Microseconds, as file names had before the store took a clock, so old
    and new names sort together.
    """
    return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def when_text(iso: str) -> str:
    """`2025-04-01 09:30 UTC` from a stored time, for messages."""
    return f"{iso[:10]} {iso[11:16]} UTC" if len(iso) >= 16 else iso

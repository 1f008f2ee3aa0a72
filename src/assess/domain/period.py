"""The period an assessment is made for: a financial year such as "2026/27", or an "as at" date.

Over-time comparisons put assessments in period order (then by the date they
were made), so the period must be one that can be ordered: a council
financial year (1 April to 31 March) written `YYYY/YY`, a calendar year
`YYYY`, or `as at YYYY-MM-DD`. A copy for the next period proposes the period
after its source's.
"""

from __future__ import annotations

import datetime
import re

_FINANCIAL_YEAR = re.compile(r"([0-9]{4})/([0-9]{2})")
_YEAR = re.compile(r"[0-9]{4}")
_AS_AT = re.compile(r"as at ([0-9]{4}-[0-9]{2}-[0-9]{2})", re.IGNORECASE)
FINANCIAL_YEAR_STARTS = 4  # April

EXAMPLES = '"2026/27" (a financial year), "2026" or "as at 2026-12-01"'


class PeriodProblem(ValueError):
    """A period that cannot be read."""


def check_period(value: object) -> str:
    """The period as it is kept ("" for none); PeriodProblem when it cannot be ordered."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PeriodProblem(f"the period must be text such as {EXAMPLES}")
    text = value.strip(" ")
    if not text:
        return ""
    start(text)  # raises for a period that cannot be read
    found = _AS_AT.fullmatch(text)
    return f"as at {found.group(1)}" if found else text


def start(period: str) -> datetime.date:
    """The first day of a period, by which periods are put in order."""
    found = _FINANCIAL_YEAR.fullmatch(period)
    if found:
        first, second = int(found.group(1)), int(found.group(2))
        if (first + 1) % 100 != second:
            raise PeriodProblem(
                f"{period!r} is not a financial year: the second year must follow the first "
                f"(for example {first}/{(first + 1) % 100:02d})"
            )
        return datetime.date(first, FINANCIAL_YEAR_STARTS, 1)
    if _YEAR.fullmatch(period):
        return datetime.date(int(period), 1, 1)
    found = _AS_AT.fullmatch(period)
    if found:
        try:
            return datetime.date.fromisoformat(found.group(1))
        except ValueError:
            raise PeriodProblem(f"{period!r} does not name a real date") from None
    raise PeriodProblem(f"{period!r} is not a period; write it as {EXAMPLES}")


def order_key(period: str, made: str) -> tuple[int, str, str]:
    """How assessments sort over time: by period (those without one last), then when made."""
    if not period:
        return (1, "", made)
    try:
        return (0, start(period).isoformat(), made)
    except PeriodProblem:
        return (1, "", made)


def next_period(period: str) -> str:
    """The period after this one ("2026/27" → "2027/28"); "" when there is none to follow."""
    if not period:
        return ""
    try:
        first = start(period)
    except PeriodProblem:
        return ""
    if _FINANCIAL_YEAR.fullmatch(period):
        return financial_year(first.year + 1)
    if _YEAR.fullmatch(period):
        return str(first.year + 1)
    try:
        return f"as at {first.replace(year=first.year + 1).isoformat()}"
    except ValueError:  # 29 February
        return f"as at {datetime.date(first.year + 1, 3, 1).isoformat()}"


def financial_year(first_year: int) -> str:
    return f"{first_year}/{(first_year + 1) % 100:02d}"


def current_financial_year(today: datetime.date) -> str:
    """The financial year `today` falls in: 1 December 2026 is in 2026/27."""
    first = today.year if today.month >= FINANCIAL_YEAR_STARTS else today.year - 1
    return financial_year(first)

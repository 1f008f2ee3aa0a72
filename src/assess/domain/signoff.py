"""Sign-off: a complete assessment agreed by a named officer, read-only until reopened.

Signing off records who (name and role) and when, and sets a review date
(by default six months later, as Gateway follow-up reviews after an amber or
red rating are). A signed-off assessment cannot be changed until it is
reopened with a reason; both are kept in its history.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from typing import Any

from assess.domain.names import check_name

REVIEW_AFTER_MONTHS = 6
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class SignOffProblem(ValueError):
    """A sign-off that cannot be recorded."""


@dataclass(frozen=True)
class SignOff:
    name: str
    role: str
    date: datetime.date
    review: datetime.date

    def review_due(self, today: datetime.date) -> bool:
        """The review date has come."""
        return today >= self.review

    def to_data(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "date": self.date.isoformat(),
            "review": self.review.isoformat(),
        }


def months_later(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day where it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def make_signoff(
    name: Any, role: Any, date: datetime.date, review: datetime.date | None = None
) -> SignOff:
    """A checked sign-off; the review date defaults to six months after `date`."""
    who = check_name(name, "name of the officer signing off", required=True)
    what = check_name(role, "role of the officer signing off", required=True)
    review = review or months_later(date, REVIEW_AFTER_MONTHS)
    if review <= date:
        raise SignOffProblem("the review date must be after the sign-off date")
    return SignOff(who, what, date, review)


def signoff_from_data(data: Any) -> SignOff:
    """A sign-off kept in the store or a bundle, checked as strictly as a new one."""
    if not isinstance(data, dict):
        raise SignOffProblem("a sign-off must be a mapping of name, role, date and review")
    dates = []
    for key in ("date", "review"):
        text = data.get(key)
        if not isinstance(text, str) or not _DATE.fullmatch(text):
            raise SignOffProblem(f"the sign-off {key} {text!r} is not a date (YYYY-MM-DD)")
        try:
            dates.append(datetime.date.fromisoformat(text))
        except ValueError:
            raise SignOffProblem(f"the sign-off {key} {text!r} is not a real date") from None
    return make_signoff(data.get("name"), data.get("role"), dates[0], dates[1])

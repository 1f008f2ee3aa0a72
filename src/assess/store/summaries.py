"""The list summary stored with each assessment file and in the index, checked before use.

`assess list` and the home screen show a `Summary` of every assessment
without scoring any of them: each save stores the summary it worked out,
in the file's metadata and in the index. Stored data may be damaged, or
written by someone else, since; so a stored summary is used only if every
field has exactly the type it should (a bool is not a number, None is not
text) and a value it could really have: an id and times in their exact
form, finite numbers in range, text with no control, bidirectional or
invisible character. Otherwise it is worked out afresh from the file.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from assess.domain.assessment import STATUSES, Summary
from assess.domain.rules import RULES_VERSION
from assess.domain.visible import UNSAFE
from assess.store.clock import TIME_PATTERN
from assess.store.ids import ID_PATTERN

SUMMARY_ORDER: tuple[str, ...] = Summary._fields
SUMMARY_FIELDS = frozenset(SUMMARY_ORDER)
# The exact types each stored summary field may have; every other field is text.
_NUMBER_TYPES: dict[str, tuple[type, ...]] = {
    "completeness": (int, float),
    "score": (type(None), int, float),
    "revision": (int,),
    "stage": (int,),
    "plan_total": (int,),
    "plan_due": (list, tuple),
    "rules_version": (int,),
}
# Every allowed sequence of field types, in SUMMARY_ORDER: a stored summary is
# checked with one set lookup of `tuple(map(type, values))`, which matters when
# the index holds 10,000 of them.
SUMMARY_SIGNATURES: frozenset[tuple[type, ...]] = frozenset(
    itertools.product(*(_NUMBER_TYPES.get(name, (str,)) for name in SUMMARY_ORDER))
)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TEXT_FIELDS = tuple(
    SUMMARY_ORDER.index(name)
    for name in SUMMARY_ORDER
    if name not in _NUMBER_TYPES and name not in ("id", "created", "updated")
)
_ID, _CREATED, _UPDATED = (SUMMARY_ORDER.index(n) for n in ("id", "created", "updated"))
_STATUS, _COMPLETE, _SCORE = (SUMMARY_ORDER.index(n) for n in ("status", "completeness", "score"))
_REVISION, _STAGE, _PLAN = (SUMMARY_ORDER.index(n) for n in ("revision", "stage", "plan_total"))
_DUE, _REVIEW = SUMMARY_ORDER.index("plan_due"), SUMMARY_ORDER.index("review")
_RULES = SUMMARY_ORDER.index("rules_version")
_unsafe = UNSAFE.search
_is_finite = math.isfinite


def values_ok(values: Sequence[Any]) -> bool:
    """Whether fields already of the right types (`SUMMARY_SIGNATURES`) hold real values.

    Runs once per index line, so it is written for speed.
    """
    if values[_RULES] != RULES_VERSION or values[_STATUS] not in STATUSES:
        return False
    if not (ID_PATTERN.fullmatch(values[_ID]) and TIME_PATTERN.fullmatch(values[_CREATED])):
        return False
    if not TIME_PATTERN.fullmatch(values[_UPDATED]):
        return False
    complete, score = values[_COMPLETE], values[_SCORE]
    if not (_is_finite(complete) and 0 <= complete <= 1):
        return False
    if score is not None and not (_is_finite(score) and 0 <= score <= 100):
        return False
    if values[_REVISION] < 0 or not 0 <= values[_STAGE] <= 5 or values[_PLAN] < 0:
        return False
    if any(_unsafe(values[i]) for i in _TEXT_FIELDS):
        return False
    review = values[_REVIEW]
    if review and not _DATE.fullmatch(review):
        return False
    due = values[_DUE]
    return all(type(day) is str and _DATE.fullmatch(day) for day in due)


def summary_from_data(data: Mapping[str, object]) -> Summary:
    """A Summary from stored data, refusing wrong types or values (ValueError)."""
    if data.keys() != SUMMARY_FIELDS:
        raise ValueError("the summary does not have the expected fields")
    values = tuple(data[name] for name in SUMMARY_ORDER)
    if tuple(map(type, values)) not in SUMMARY_SIGNATURES:
        raise ValueError("a summary field has the wrong type")
    if data["rules_version"] != RULES_VERSION:
        # Worked out under other scoring rules: scored again from the file.
        raise ValueError("the summary was worked out under other scoring rules")
    if not values_ok(values):
        raise ValueError("a summary field holds a value it cannot have")
    summary = Summary._make(values)
    due = summary.plan_due
    return summary._replace(plan_due=tuple(due)) if isinstance(due, list) else summary


def stored_summary(meta: Mapping[str, object]) -> Summary | None:
    """The summary saved in a file's metadata, if it is well formed (it is only a cache)."""
    data = meta.get("summary")
    if not isinstance(data, dict):
        return None
    try:
        summary = summary_from_data(data)
    except ValueError:
        return None
    # A summary of another assessment (a file copied under a new name) is not this one's.
    return summary if summary.id == meta.get("id") else None

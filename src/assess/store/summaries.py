"""The list summary stored with each assessment file and in the index, checked before use.

`assess list` and the home screen show a `Summary` of every assessment
without scoring any of them: each save stores the summary it worked out,
in the file's metadata and in the index. Stored data may be damaged since,
so a stored summary is used only if every field has exactly the type it
should (a bool is not a number, None is not text); otherwise it is worked
out afresh from the file.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from assess.domain.assessment import Summary
from assess.domain.rules import RULES_VERSION

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


def summary_from_data(data: Mapping[str, object]) -> Summary:
    """A Summary from stored data, refusing wrong types (ValueError)."""
    if data.keys() != SUMMARY_FIELDS:
        raise ValueError("the summary does not have the expected fields")
    values = tuple(data[name] for name in SUMMARY_ORDER)
    if tuple(map(type, values)) not in SUMMARY_SIGNATURES:
        raise ValueError("a summary field has the wrong type")
    if data["rules_version"] != RULES_VERSION:
        # Worked out under other scoring rules: scored again from the file.
        raise ValueError("the summary was worked out under other scoring rules")
    due = data["plan_due"]
    assert isinstance(due, list | tuple)  # the signature check says so
    if not all(isinstance(day, str) for day in due):
        raise ValueError("a plan due date is not text")
    summary = Summary._make(values)
    return summary._replace(plan_due=tuple(due)) if isinstance(due, list) else summary


def stored_summary(meta: Mapping[str, object]) -> Summary | None:
    """The summary saved in a file's metadata, if it is well formed (it is only a cache)."""
    data = meta.get("summary")
    if not isinstance(data, dict):
        return None
    try:
        return summary_from_data(data)
    except ValueError:
        return None

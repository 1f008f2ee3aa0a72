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


# ----------------------------------------------------------------------------
# Many summaries at once: the columns of the index's snapshot
#
# The snapshot (`index`) holds every summary of a large store as columns: one
# JSON list per field, in SUMMARY_ORDER after the inode, size and mtime of each
# file. A column whose values repeat (bands, stages, bank versions, scores) is
# kept as its distinct values and a list of positions in them, so it is read
# quickly and the summaries share one object per value. Each column is checked
# as a whole, with loops in C (one search of all the column's text joined, one
# type set, min and max), against the same rules `values_ok` applies to one
# summary: checking 100,000 summaries one at a time would cost more than
# reading them.

_TEXT_NAMES = frozenset(SUMMARY_ORDER[i] for i in _TEXT_FIELDS)
_ID_RUN = re.compile(r"[0-9a-f]*")
_TIMES = re.compile(rf"(?:{TIME_PATTERN.pattern})(?:\n(?:{TIME_PATTERN.pattern}))*")
_DATES = re.compile(r"\d{4}-\d{2}-\d{2}(?:\n\d{4}-\d{2}-\d{2})*")
# Kept as distinct values and positions when they are at most this share of the column.
_SHARED = 0.25
_STATUSES = frozenset(STATUSES)
# Positions as text: position p is the character chr(p + 32), so fewer than 224
# distinct values fit in one character each (one byte in the file for most),
# which is parsed far faster than a list of numbers, and read back with the
# loops in C (`bytes.translate`, then the bytes as numbers).
_SMALL = 224
_TO_TEXT = bytes((b + 32) % 256 for b in range(256))
_FROM_TEXT = bytes((b - 32) % 256 for b in range(256))


def _types(values: Sequence[Any]) -> set[type]:
    return set(map(type, values))


def _texts_ok(values: Sequence[Any]) -> bool:
    return _types(values) <= {str} and _unsafe("".join(values)) is None


def _lines_ok(values: Sequence[str], pattern: re.Pattern[str]) -> bool:
    """Every value matches `pattern`'s one item (values already known to be text)."""
    if not values:
        return True
    joined = "\n".join(values)
    return joined.count("\n") == len(values) - 1 and pattern.fullmatch(joined) is not None


def _numbers_ok(values: Sequence[Any], low: float, high: float, types: set[type]) -> bool:
    if not values:
        return True
    if not _types(values) <= types or not all(map(_is_finite, values)):
        return False
    return low <= min(values) and max(values) <= high


def column_ok(name: str, values: Sequence[Any]) -> bool:
    """Whether every value of one field's column (or its distinct values) could be real."""
    if name == "id":
        return (
            _types(values) <= {str}
            and set(map(len, values)) <= {8}
            and _ID_RUN.fullmatch("".join(values)) is not None
        )
    if name == "status":
        return _types(values) <= {str} and set(values) <= _STATUSES
    if name in ("created", "updated"):
        return _types(values) <= {str} and _lines_ok(values, _TIMES)
    if name == "completeness":
        return _numbers_ok(values, 0, 1, {int, float})
    if name == "score":
        return _numbers_ok([v for v in values if v is not None], 0, 100, {int, float})
    if name in ("revision", "plan_total"):
        return _numbers_ok(values, 0, math.inf, {int})
    if name == "stage":
        return _numbers_ok(values, 0, 5, {int})
    if name == "rules_version":
        return _types(values) <= {int} and set(values) <= {RULES_VERSION}
    if name == "plan_due":
        if not _types(values) <= {list}:
            return False
        days = [day for due in values for day in due]
        return _types(days) <= {str} and _lines_ok(days, _DATES)
    if name == "review":
        return _texts_ok(values) and _lines_ok([v for v in values if v], _DATES)
    return name in _TEXT_NAMES and _texts_ok(values)


def _positions_text(positions: list[int]) -> str | list[int]:
    """Positions as text, one character each (see `_POSITIONS`), when all are small enough."""
    if max(positions, default=0) < _SMALL:
        return bytes(positions).translate(_TO_TEXT).decode("latin-1")
    return positions


def to_columns(columns_in: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Columns of equal length as stored, each `[values, positions]` (positions None: all values).

    A column of repeated values keeps each distinct value once, and the
    position of each row's value in them: as text, one character a row,
    when there are fewer than 224 (see `_POSITIONS`), else as numbers. Only
    a column of one type is shared so (1 and 1.0 are equal keys, and would
    come back as one type). Lists are compared as tuples.
    """
    columns: list[list[Any]] = []
    for column in columns_in:
        count = len(column)
        types = _types(column)
        if len(types) != 1:
            columns.append([[list(v) if type(v) is tuple else v for v in column], None])
            continue
        listed = types <= {list, tuple}
        keys = [tuple(v) for v in column] if listed else column
        distinct = {key: n for n, key in enumerate(dict.fromkeys(keys))}
        if len(distinct) <= max(1, count * _SHARED):
            values = [list(k) for k in distinct] if listed else list(distinct)
            positions = list(map(distinct.__getitem__, keys))
            columns.append([values, _positions_text(positions)])
        else:
            columns.append([[list(v) for v in column] if listed else list(column), None])
    return columns


def from_columns(columns: Any, names: Sequence[str], count: int) -> list[list[Any]]:
    """The columns `to_columns` made, checked (`column_ok` for each name); ValueError if not.

    Returns one list per column, `count` values long, plan due dates as
    tuples. Only the distinct values need checking: a position that is not
    a position in them raises, and any that is gives one of them. Names
    that are not summary fields ("ino", "size", "mtime": a file's identity)
    are not checked at all, since a wrong identity only makes the listing
    read that file again.
    """
    if type(columns) is not list or len(columns) != len(names):
        raise ValueError("the snapshot does not have the expected columns")
    decoded: list[list[Any]] = []
    for name, column in zip(names, columns, strict=True):
        if type(column) is not list or len(column) != 2 or type(column[0]) is not list:
            raise ValueError(f"the snapshot's {name} column is not one of ours")
        values, positions = column
        if name in SUMMARY_FIELDS:
            if not column_ok(name, values):
                raise ValueError(f"the snapshot's {name} column holds a value it cannot have")
            if name == "plan_due":
                values = [tuple(due) for due in values]
        if positions is None:
            full = values
        else:
            if type(positions) is str:
                try:
                    positions = positions.encode("latin-1").translate(_FROM_TEXT)
                except UnicodeEncodeError:
                    raise ValueError(f"the snapshot's {name} column is not one of ours") from None
            elif type(positions) is not list:
                raise ValueError(f"the snapshot's {name} column is not one of ours")
            try:
                full = list(map(values.__getitem__, positions))
            except (IndexError, TypeError):
                raise ValueError(f"the snapshot's {name} column is not one of ours") from None
        if len(full) != count:
            raise ValueError(f"the snapshot's {name} column is not {count} long")
        decoded.append(full)
    return decoded

"""Whatever a bank file holds, loading it gives a bank or one clear line: never a crash."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from assess.domain.bank import Bank, bank_from_data, bank_from_text
from assess.domain.errors import BankError
from assess.domain.safeyaml import parse_text

MINIMAL_TEXT = (Path(__file__).resolve().parents[1] / "fixtures" / "minimal_bank.yaml").read_text(
    encoding="utf-8"
)
MINIMAL_LINES = MINIMAL_TEXT.splitlines(keepends=True)
MINIMAL_DATA = parse_text(MINIMAL_TEXT, "minimal", what="question bank").value
MINIMAL_V2_TEXT = (
    Path(__file__).resolve().parents[1] / "fixtures" / "minimal_bank_v2.yaml"
).read_text(encoding="utf-8")
MINIMAL_V2_DATA = parse_text(MINIMAL_V2_TEXT, "minimal v2", what="question bank").value


def _load_or_refuse(load: Any, *args: Any) -> None:
    try:
        result = load(*args)
    except BankError as exc:
        assert exc.message and "\n" not in exc.message, exc.message
        assert exc.message.startswith("fuzz"), exc.message  # names the file
        return
    assert isinstance(result, Bank)


line_edits = st.lists(
    st.tuples(
        st.sampled_from(["delete", "duplicate", "swap", "insert", "retype"]),
        st.integers(min_value=0, max_value=len(MINIMAL_LINES) - 1),
        st.text(alphabet=" -:[]{}\"'#&*!|>,.0123456789abcXYZ\t", max_size=12),
    ),
    min_size=1,
    max_size=4,
)


@given(line_edits)
def test_edited_text_never_crashes_the_loader(edits: list[tuple[str, int, str]]) -> None:
    lines = list(MINIMAL_LINES)
    for action, at, text in edits:
        at %= len(lines)
        if action == "delete" and len(lines) > 1:
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "swap" and at + 1 < len(lines):
            lines[at], lines[at + 1] = lines[at + 1], lines[at]
        elif action == "insert":
            lines.insert(at, text + "\n")
        elif action == "retype":
            head, _, _ = lines[at].partition(":")
            lines[at] = f"{head}: {text}\n"
    _load_or_refuse(bank_from_text, "".join(lines), "fuzz.yaml")


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


PATHS = [p for p in _paths(MINIMAL_DATA) if p]
values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _change_and_load(original: Any, changes: list[tuple[Any, Any]]) -> None:
    data = copy.deepcopy(original)
    for path, value in changes:
        target = data
        try:
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this path
    _load_or_refuse(bank_from_data, data, "fuzz data")


@given(st.lists(st.tuples(st.sampled_from(PATHS), values), min_size=1, max_size=3))
def test_any_value_anywhere_never_crashes_the_loader(changes: list[tuple[Any, Any]]) -> None:
    _change_and_load(MINIMAL_DATA, changes)


# The version 2 fields (stages, frameworks, tiers, sources by framework, replaces...).
V2_PATHS = [p for p in _paths(MINIMAL_V2_DATA) if p]


@given(st.lists(st.tuples(st.sampled_from(V2_PATHS), values), min_size=1, max_size=3))
def test_any_value_anywhere_in_a_version_2_bank_never_crashes_the_loader(
    changes: list[tuple[Any, Any]],
) -> None:
    _change_and_load(MINIMAL_V2_DATA, changes)

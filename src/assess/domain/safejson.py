"""Safe parsing of untrusted JSON text, without the YAML machinery.

The limits are those `safeyaml` applies to every JSON file officers hand us
(it parses JSON through here): no key twice in one mapping, a nesting limit
so deep nesting cannot exhaust the stack, and text that is valid Unicode
(no lone surrogate such as `"\\ud800"`, which could never be saved or
printed). A module of its own so that reading a bundle of JSON lines, or
a bank kept as JSON in the store, does not import PyYAML; `ParsedFile`, the
parsed form every reader gives, lives here for the same reason.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from assess.domain.errors import BadInput
from assess.domain.visible import has_lone_surrogate

MAX_DEPTH = 40
# Text decoded from UTF-8 can hold a lone surrogate only through a JSON escape
# (`\ud800` to `\udfff`); text without one needs no search for them.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")

Path_ = tuple[str | int, ...]


@dataclass
class ParsedFile:
    """A parsed file: its plain Python value and the line of every node in it.

    A file that has no lines (a workbook read into the same shape) names its
    places in `places` instead, such as `Answers!E14`; a place wins over a line.
    """

    value: Any
    source: str
    lines: dict[Path_, int] = field(default_factory=dict)
    places: dict[Path_, str] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        """The line of the value at `path`, or of its nearest enclosing value."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None

    def where(self, path: Path_) -> str:
        """`source, line N` (or `source, Sheet!A1`) for messages."""
        for end in range(len(path), -1, -1):
            place = self.places.get(tuple(path[:end]))
            if place is not None:
                return f"{self.source}, {place}"
        line = self.line_of(path)
        return f"{self.source}, line {line}" if line else self.source


def parse_json_text(text: str, source: str, what: str) -> Any:
    """The value of JSON `text`, or `BadInput` naming `source` and what is wrong."""

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):  # only then is it worth finding which key
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    raise BadInput(f"{source}: the key {key!r} appears twice in the {what}")
                seen.add(key)
        return result

    try:
        value = json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        where = f"{source}, line {exc.lineno}"
        raise BadInput(f"{where}: the {what} is not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise BadInput(f"{source}: the {what} is nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with too many digits
        raise BadInput(f"{source}: the {what} has a value that cannot be read: {exc}") from None
    if _SURROGATE_ESCAPE.search(text):
        check_depth_of_value(value, source, what)
    else:
        _check_depth(value, source, what)
    return value


def _check_depth(value: Any, source: str, what: str) -> None:
    """The nesting limit alone, visiting only mappings and lists (much the faster walk).

    Parsed JSON holds exact dicts and lists, so `type` is enough; a mapping
    or list deeper than the limit with anything in it is too deep.
    """
    stack: list[tuple[Any, int]] = [(value, 0)] if type(value) in (dict, list) else []
    pop, push = stack.pop, stack.append
    while stack:
        item, depth = pop()
        children = item.values() if type(item) is dict else item
        if depth >= MAX_DEPTH and children:
            raise BadInput(f"{source}: the {what} is nested more than {MAX_DEPTH} levels deep")
        inner = depth + 1
        for child in children:
            kind = type(child)
            if kind is dict or kind is list:
                push((child, inner))


def check_depth_of_value(value: Any, source: str, what: str) -> None:
    """The nesting limit, and valid Unicode in every key and text value."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BadInput(f"{source}: the {what} is nested more than {MAX_DEPTH} levels deep")
        if isinstance(item, dict):
            for key in item:
                if isinstance(key, str) and has_lone_surrogate(key):
                    raise not_unicode(source, what)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
        elif isinstance(item, str) and has_lone_surrogate(item):
            raise not_unicode(source, what)


def not_unicode(source: str, what: str, line: int | None = None) -> BadInput:
    where = f"{source}, line {line}" if line else source
    return BadInput(
        f"{where}: the {what} holds text that is not valid Unicode (a lone surrogate such as "
        "\\ud800); save it as UTF-8 without it"
    )

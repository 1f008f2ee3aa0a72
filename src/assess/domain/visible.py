"""Text from data shown as it really is: hidden and screen-changing characters made visible.

Officers' notes may hold characters that change how a line reads without
being seen: bidirectional overrides and isolates (U+202E makes "txt.exe"
read as "exe.txt"), zero-width spaces and joiners, a byte-order mark. Names
refuse them (`names.check_name`); notes keep them, since the officer typed
them, but every place that shows text from data shows these characters by
their code instead of obeying them. Control characters (escape sequences
that retitle a window or clear a screen) and lone surrogates (text that came
in as bytes that are not UTF-8) are shown the same way.

`visible(text)` is the one function for that, repr-style: `\\u202e`,
`\\x1b`. The command line passes every message through it before printing,
the reports and the list use it for data text, and the app's own text
helper can call it too.
"""

from __future__ import annotations

import re

# Bidirectional marks, embeddings, overrides and isolates; the Arabic letter mark.
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Characters that take no space: zero-width space, joiners, word joiner and the
# invisible operators, the byte-order mark, the Mongolian vowel separator, soft hyphen.
ZERO_WIDTH = "\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff"
# Line and paragraph separators break a line in some terminals but not others.
SEPARATORS = "\u2028\u2029"
CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"  # tab and line feed are plain text
SURROGATES = "\ud800-\udfff"

# What a name may never hold, and what `visible` writes out by its code.
HIDDEN = re.compile(f"[{BIDI}{ZERO_WIDTH}{SEPARATORS}]")
UNSAFE = re.compile(f"[{CONTROLS}{BIDI}{ZERO_WIDTH}{SEPARATORS}{SURROGATES}]")
UNSAFE_ON_ONE_LINE = re.compile(f"[\t\n{CONTROLS}{BIDI}{ZERO_WIDTH}{SEPARATORS}{SURROGATES}]")
LONE_SURROGATE = re.compile(f"[{SURROGATES}]")


def _code(match: re.Match[str]) -> str:
    point = ord(match.group())
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}"


def visible(text: str, *, one_line: bool = False) -> str:
    """`text` with every control, bidirectional, zero-width and invalid character by its code.

    Tabs and line breaks are kept unless `one_line`. Text with none of these
    characters (nearly all text) is returned as it is, at the cost of one search.
    """
    pattern = UNSAFE_ON_ONE_LINE if one_line else UNSAFE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_code, text)


def hidden_character(text: str) -> str | None:
    """The first character that changes how text reads or takes no space, by its code."""
    found = HIDDEN.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def has_lone_surrogate(text: str) -> bool:
    """True for text that came in as bytes that are not UTF-8 (or a JSON `\\ud800`)."""
    return LONE_SURROGATE.search(text) is not None

"""Escaping text that came from data, so every report shows it exactly as typed.

Answers, evidence notes, names and even the bank's own wording are data, never
markup: a note containing `<script>` or `[link](x)` must appear as those
characters in Markdown and HTML, and a spreadsheet must never run a cell that
happens to start with `=`. (Terminal output uses `rich.text.Text`, which never
reads markup; see `to_text.py`.)
"""

from __future__ import annotations

import html
import re

from assess.domain.visible import HIDDEN

# Characters with a meaning anywhere in a line of CommonMark or GitHub Markdown.
# Escaping each with a backslash is always allowed and shows the character
# itself. ( ) and ! only matter next to [ ], which are escaped, so they are left
# alone to keep the Markdown readable as plain text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&$])")
# At the start of a line these begin a list item, a setext heading or a rule
# ("- x", "+ x", "===", "1. x"); the other openers are escaped everywhere already.
_MARKDOWN_BULLET_START = re.compile(r"^[-+=]")
_MARKDOWN_NUMBER_START = re.compile(r"^(\d+)\.(?=\s|$)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# Control characters (other than tab and line breaks) can rewrite a terminal
# screen or make an HTML page invalid. Answers are checked for them when they are
# saved; this guards against anything that got into a store file by other means.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
REPLACEMENT = "\ufffd"

# A spreadsheet treats a cell starting with one of these as a formula (or, for
# tab and line breaks, as the start of one after trimming).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


# Bidirectional marks, embeddings, overrides and isolates make text read in a
# different order from the one it was typed in, and zero-width characters hide in
# it. Every report shown to a reader (text, Markdown, HTML, PDF, charts) shows them
# by their code (`shown`); the data formats (JSON, CSV) and a workbook cell, which
# must read back as typed, keep them (the officer typed them).
_BIDI_CONTROL = HIDDEN


def printable(text: str) -> str:
    """`text` with any control character (but tab and line breaks) shown as �."""
    return _CONTROL.sub(REPLACEMENT, text)


def bidi_visible(text: str) -> str:
    """`text` with each bidirectional or invisible character shown by its code, `[U+202E]`."""
    if _BIDI_CONTROL.search(text) is None:
        return text
    return _BIDI_CONTROL.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def shown(text: str) -> str:
    """Data text as a reader sees it: controls as �, hidden characters by their code."""
    return bidi_visible(printable(text))


def markdown_text(text: str) -> str:
    """Text for a Markdown paragraph, list item or table cell, shown exactly as typed.

    Line breaks become `<br>` (the only break that works inside a table cell
    and keeps a list item together); leading spaces are dropped so that an
    indented line never turns into a code block.
    """
    lines = [_markdown_line(line) for line in _LINE_BREAK.split(shown(text))]
    return "<br>".join(lines)


def _markdown_line(line: str) -> str:
    line = line.strip()
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", line)
    if _MARKDOWN_BULLET_START.match(escaped):
        return "\\" + escaped
    return _MARKDOWN_NUMBER_START.sub(r"\1\\.", escaped, count=1)


def html_text(text: str) -> str:
    """Text for an HTML element's content: escaped, with line breaks kept as `<br>`."""
    lines = _LINE_BREAK.split(shown(text))
    return "<br>".join(html.escape(line, quote=True) for line in lines)


def html_attr(text: str) -> str:
    """Text for an HTML attribute value (always written in double quotes)."""
    return html.escape(shown(text).replace("\n", " "), quote=True)


def csv_cell(value: object) -> object:
    """A value for a CSV cell: numbers stay numbers; text that a spreadsheet would
    read as a formula gets a leading apostrophe, which spreadsheets show as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text

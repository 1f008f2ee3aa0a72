"""The two source texts the shipped bank rests on, and how to compare text with them.

Copies of the sources live in tests/fixtures/sources/ so that the checks run on
a clean checkout. Comparison normalises whitespace (including the non-breaking
spaces the commentary uses) and nothing else: a quote must match the source's
words, punctuation and curly quotes exactly.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

SOURCES_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
SURVEY = "000_b22ba3331ec7a563.txt"
COMMENTARY = "003_8a4277685fdb7c71.txt"
SOURCE_FILES = (SURVEY, COMMENTARY)


def normalise(text: str) -> str:
    """Collapse every run of whitespace (non-breaking spaces too) to one space."""
    return " ".join(text.replace("\u00a0", " ").split())


@cache
def source_text(name: str) -> str:
    """The named source, normalised."""
    return normalise((SOURCES_DIR / name).read_text(encoding="utf-8"))


def words(text: str) -> list[str]:
    """Lower-case words, with apostrophes and hyphens treated as breaks."""
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


def find_in_order(haystack: str, phrases: list[str]) -> list[int]:
    """Where each phrase first occurs after the previous one (-1 when it does not)."""
    # Spaces round both sides so that a phrase only matches whole words.
    text = " " + " ".join(words(haystack)) + " "
    found: list[int] = []
    start = 0
    for phrase in phrases:
        at = text.find(" " + " ".join(words(phrase)) + " ", start)
        found.append(at)
        if at < 0:
            break
        start = at + 1
    return found

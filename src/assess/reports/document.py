"""The building blocks a printed report is laid out from.

A `Document` is a title and a list of blocks (headings, paragraphs, facts,
score bars, tables, numbered items). The terminal, Markdown and HTML
renderers each know how to draw every block, so a new report (the readiness
report, a comparison of assessments) is written once as a Document and comes
out in all three formats. Block text is plain text exactly as written by the
officer or the bank; escaping is the renderer's job, never the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from assess.domain.scoring import NEARLY_READY, NOT_READY, READY

Tone = Literal["plain", "strong", "muted", "good", "warning", "bad"]
Align = Literal["left", "right"]

BAR_WIDTH = 20


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 2 for a section, 3 for a subsection


@dataclass(frozen=True)
class Paragraph:
    text: str
    tone: Tone = "plain"


@dataclass(frozen=True)
class Facts:
    """Label: value pairs, such as who made the assessment and when."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Score:
    """A headline score: "Overall readiness  62.3 / 100  Nearly ready"."""

    label: str
    shown: str  # the score to one decimal, or "–"
    band: str
    tone: Tone = "plain"


@dataclass(frozen=True)
class Bar:
    """One bar of a bar chart of scores out of 100."""

    label: str
    value: Fraction | None  # 0–100; None draws an empty, labelled bar
    shown: str
    note: str = ""
    tone: Tone = "plain"


@dataclass(frozen=True)
class Bars:
    rows: tuple[Bar, ...]
    heading: str = "Dimension"  # what the labels are, for formats that head the column


@dataclass(frozen=True)
class Column:
    title: str
    align: Align = "left"
    wide: bool = False  # takes the spare width in the terminal


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Item:
    """A titled entry with labelled lines, e.g. one gap and its recommended action."""

    title: str
    lines: tuple[tuple[str, str], ...] = ()  # (label, text); an empty label is a plain line
    tone: Tone = "plain"


@dataclass(frozen=True)
class Items:
    items: tuple[Item, ...]
    numbered: bool = False


Block = Heading | Paragraph | Facts | Score | Bars | Table | Items


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)


def band_tone(band: str) -> Tone:
    """The colour family a band is drawn in."""
    tones: dict[str, Tone] = {READY: "good", NEARLY_READY: "warning", NOT_READY: "bad"}
    return tones.get(band, "muted")


def bar_cells(value: Fraction | None, width: int = BAR_WIDTH) -> int:
    """How many of `width` cells a score out of 100 fills, rounded half up, exactly."""
    if value is None:
        return 0
    clamped = min(max(Fraction(value), Fraction(0)), Fraction(100))
    return int(clamped * width / 100 + Fraction(1, 2))


def text_bar(value: Fraction | None, width: int = BAR_WIDTH) -> str:
    """A bar drawn in characters, for plain text and Markdown."""
    filled = bar_cells(value, width)
    return "█" * filled + "░" * (width - filled)

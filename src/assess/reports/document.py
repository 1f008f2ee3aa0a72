"""The building blocks a printed report is laid out from.

A `Document` is a title and a list of blocks (headings, paragraphs, facts,
score bars, charts, tables, numbered items). The terminal, Markdown and HTML
renderers each know how to draw every block (the PDF is drawn from the
HTML), so a new report (the readiness report, its committee view, a
comparison of assessments) is written once as a Document and comes out in
every printed format. Block text is plain text exactly as written by the
officer or the bank; escaping is the renderer's job, never the caller's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal, TypeVar

from assess.domain.scoring import NEARLY_READY, NOT_READY, READY

Tone = Literal["plain", "strong", "muted", "good", "warning", "bad"]
Align = Literal["left", "right"]

BAR_WIDTH = 20


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 2 for a section, 3 for a subsection
    new_page: bool = False  # printed, the section starts on a new page


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
    # A chart drawn as a picture (HTML, PDF) has its figures in a table beside it,
    # unless `data_in` names where the document already gives them.
    data_in: str = ""


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


@dataclass(frozen=True)
class Series:
    """One line of a trend chart, or one row of dots of a spread chart: scores out of 100."""

    label: str
    values: tuple[Fraction | None, ...]
    strong: bool = False  # drawn heavier, e.g. overall readiness among the dimensions


@dataclass(frozen=True)
class Chart:
    """A chart of several scores per row: a trend over assessments, or a spread of views.

    `trend`: one line per series across `points` (the assessments, in order).
    `spread`: one row per series, a dot for each of `points` (the officers),
    the lowest to the highest joined. `description` is the chart's text
    alternative; `data_in` names the table that already holds its figures
    ("the table above"), or is empty when the chart brings its own.
    """

    kind: Literal["trend", "spread"]
    title: str
    description: str
    points: tuple[str, ...]
    series: tuple[Series, ...]
    data_in: str = ""


Block = Heading | Paragraph | Facts | Score | Bars | Chart | Table | Items


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


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[Fraction | None]) -> str:
    """One character per score, its height the score out of 100 ("·" where there is none)."""
    out = []
    for value in values:
        if value is None:
            out.append("·")
            continue
        clamped = min(max(Fraction(value), Fraction(0)), Fraction(100))
        out.append(SPARKS[min(len(SPARKS) - 1, int(clamped * len(SPARKS) / 100))])
    return "".join(out)


def range_bar(low: Fraction, high: Fraction, width: int = BAR_WIDTH) -> str:
    """The stretch from `low` to `high` out of 100, drawn in characters: `░░███████░░░`."""
    start, end = bar_cells(low, width), max(bar_cells(high, width), bar_cells(low, width) + 1)
    end = min(end, width)
    return "░" * start + "█" * (end - start) + "░" * (width - end)


def chart_rows(chart: Chart) -> tuple[tuple[str, ...], tuple[tuple[str, str, str], ...]]:
    """A chart in characters, for the terminal and Markdown: headings, and per series
    its label, the drawing and the figures (first to last, or lowest to highest)."""
    from assess.domain.scoring import format_score

    rows: list[tuple[str, str, str]] = []
    for series in chart.series:
        scored = [v for v in series.values if v is not None]
        if chart.kind == "trend":
            figures = " → ".join(format_score(v) for v in (scored[:1] + scored[-1:])) or "–"
            rows.append((series.label, sparkline(series.values), figures))
        elif scored:
            low, high = min(scored), max(scored)
            rows.append(
                (series.label, range_bar(low, high), f"{format_score(low)}–{format_score(high)}")
            )
        else:
            rows.append((series.label, "", "–"))
    if chart.kind == "trend":
        return ("", "Trend", "First → last"), tuple(rows)
    return ("", "Lowest to highest", "Range"), tuple(rows)


_T = TypeVar("_T")


def map_text(document: Document, change: Callable[[str], str]) -> Document:
    """The document with `change` applied to every piece of text in it (titles, cells, labels).

    For a format that must show some characters differently (the PDF shows
    bidirectional controls by name); the blocks stay as they are otherwise.
    """

    def walk(value: _T) -> _T:
        item: Any = value
        if isinstance(item, str):
            return change(item)  # type: ignore[return-value]
        if isinstance(item, tuple):
            return tuple(walk(v) for v in item)  # type: ignore[return-value]
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            fields = {f.name: walk(getattr(item, f.name)) for f in dataclasses.fields(item)}
            return dataclasses.replace(item, **fields)  # type: ignore[return-value]
        return value

    return walk(document)

"""A comparison is readable at any width: no column squeezed to a few characters, no word
cut in two, officers' names whole; in the terminal, in HTML and in the PDF made from it."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.domain.compare import Comparison, compare
from assess.reports import comparison_columns, render_comparison
from assess.reports.compare_layout import comparison_document
from assess.reports.document import Table
from assess.reports.export import file_bytes

from .support import make

LONG_AUTHORITY = "Borsetshire and Felpersham Combined District Council"
LONG_NAMES = ("Councillor Annabel Smith-Watson", "Bartholomew Jones-Fairweather")
PUNCTUATION = "?,.;:()“”"


def comparisons(bank: Bank) -> list[Comparison]:
    years = [
        make(
            bank,
            {"R-LEAD-OWNERSHIP": Answer(level), "R-CASE-RIGOUR": Answer(level)},
            id=f"y{n}",
            authority=LONG_AUTHORITY,
            period=period,
            assessor=LONG_NAMES[0],
        )
        for n, (level, period) in enumerate(((1, "2025/26"), (2, "2026/27"), (3, "2027/28")))
    ]
    officers = [
        make(
            bank,
            {"R-LEAD-OWNERSHIP": Answer(level, None, "Cabinet minute, complete")},
            id=f"o{n}",
            authority=LONG_AUTHORITY,
            assessor=name,
            period="2026/27",
        )
        for n, (level, name) in enumerate(zip((1, 4), LONG_NAMES, strict=True))
    ]
    return [compare(years), compare(officers)]


def cell_words(c: Comparison, width: int | None = None) -> set[str]:
    """Every word of every table cell, and every column heading, of the comparison."""
    max_columns = comparison_columns("text", width) if width else 8
    words: set[str] = set()
    for block in comparison_document(c, max_columns=max_columns, width=width).blocks:
        if isinstance(block, Table):
            for row in (*block.rows, tuple(col.title for col in block.columns)):
                for cell in row:
                    words |= {w.strip(PUNCTUATION) for w in cell.split() if len(w) >= 4}
    return words - {""}


def broken(words: set[str], text: str) -> list[str]:
    """The words that do not appear whole in `text` (a break after a hyphen is fine)."""
    tokens = {t.strip(PUNCTUATION) for t in re.sub(r"-\n\s*", "-", text).split()}
    return sorted(w for w in words if w not in tokens)


@pytest.mark.parametrize("width", [60, 80, 120])
def test_text_never_cuts_a_word_or_a_name(v1_bank: Bank, width: int) -> None:
    for c in comparisons(v1_bank):
        out = render_comparison(c, "text", width=width)
        assert max(len(line) for line in out.splitlines()) <= width, c.kind
        assert broken(cell_words(c, width), out) == [], (c.kind, width)
        flat = " ".join(out.split())
        # The assessments are listed one by one, every name in full.
        assert f"Assessment: {LONG_AUTHORITY} — Waste" in flat
        for name in LONG_NAMES if c.for_officers else LONG_NAMES[:1]:
            assert f"Assessor: {name}" in flat


def test_officers_names_head_their_columns_whole(v1_bank: Bank) -> None:
    officers = comparisons(v1_bank)[1]
    dimension_tables = [
        b
        for b in comparison_document(officers, max_columns=4, width=80).blocks
        if isinstance(b, Table) and b.columns[0].title == "Dimension"
    ]
    headings = [col.title for table in dimension_tables for col in table.columns[1:]]
    assert headings == list(LONG_NAMES)  # whole, and no "Trend" between officers


def test_the_pdf_made_from_the_html_never_cuts_a_word_in_a_table(v1_bank: Bank) -> None:
    for c in comparisons(v1_bank):
        pdf = file_bytes(c, "pdf", date="2027-03-01")
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert broken(cell_words(c), text) == [], c.kind


def test_html_cells_break_a_word_only_when_it_cannot_fit(v1_bank: Bank) -> None:
    page = render_comparison(comparisons(v1_bank)[0], "html")
    rule = re.search(r"th, td \{[^}]*\}", page)
    assert rule is not None
    # "anywhere" lets a browser squeeze a column below its longest word ("complet/e").
    assert "overflow-wrap: break-word" in rule.group() and "anywhere" not in rule.group()

"""Drawn without colour, straight into lines, a report is character for character Rich's.

`formats/text.py` draws the blocks of a document whose text is all one cell a
character without Rich's per-cell machinery (`_plain_block`). These tests draw
the same documents both ways (the second with that shortcut turned off, so
every block goes through Rich) and compare every character, for the real
reports and for tables of random words at every width from the narrowest the
console allows.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from rich.cells import cell_len

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.reports import ReportMeta, build_report
from assess.reports.committee import committee_document
from assess.reports.document import (
    Bar,
    Bars,
    Chart,
    Column,
    Document,
    Facts,
    Heading,
    Paragraph,
    Score,
    Series,
    Table,
)
from assess.reports.formats import text
from assess.reports.layout import report_document
from tests.store.support import full_answers

WIDTHS = (40, 41, 47, 52, 60, 63, 72, 80, 99, 100, 120, 160, 250)


def _both_ways(
    document: Document, width: int, monkeypatch: pytest.MonkeyPatch, marking: str = ""
) -> tuple[str, str]:
    plain = text.render_document(document, width=width, marking=marking)
    with monkeypatch.context() as patch:
        for name in ("_plain_block", "_plain_title", "_plain_lines"):
            patch.setattr(text, name, lambda *args: None)
        rich = text.render_document(document, width=width, marking=marking)
    return plain, rich


def _documents(bank: Bank) -> list[Document]:
    answers = full_answers(bank, 5, "Cabinet minutes, 12 March; the business case, section 4.")
    some = dict(list(answers.items())[::3])
    some[bank.criteria[0].id] = Answer(None, "Not for us: " + "a very-long-hyphenated-word " * 5)
    reports = [
        build_report(ReportMeta("Kent County Council", "Waste", "A. Officer"), bank, answers),
        build_report(ReportMeta("Surrey", stage=3), bank, some),
        build_report(ReportMeta("Nowhere"), bank, {}),
    ]
    return [d for r in reports for d in (report_document(r), committee_document(r))]


def test_reports_are_drawn_exactly_as_rich_draws_them(
    bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    for document in _documents(bank):
        for width in WIDTHS:
            plain, rich = _both_ways(document, width, monkeypatch, "OFFICIAL-SENSITIVE")
            assert plain == rich, (document.title, width)


def _words(rng: random.Random, most: int) -> str:
    lengths = [rng.choice((1, 2, 3, 5, 8, 13, 21, 34)) for _ in range(rng.randint(0, most))]
    spaces = ["  " if rng.random() < 0.1 else " " for _ in lengths]
    text = "".join("x" * n + s for n, s in zip(lengths, spaces, strict=True))
    return text.rstrip() if rng.random() < 0.8 else text


def _random_blocks(rng: random.Random) -> list[object]:
    columns = tuple(
        Column(_words(rng, 3) or "C", align=rng.choice(("left", "right")), wide=rng.random() < 0.5)
        for _ in range(rng.randint(1, 6))
    )
    rows = tuple(
        tuple(_words(rng, rng.choice((1, 4, 12))) for _ in columns)
        for _ in range(rng.randint(0, 6))
    )
    bars = tuple(
        Bar(
            _words(rng, 6),
            None if rng.random() < 0.2 else Fraction(rng.randint(0, 100)),
            "62.3",
            _words(rng, 8),
        )
        for _ in range(rng.randint(1, 4))
    )
    return [
        Table(columns, rows),
        Facts(tuple((_words(rng, 4), _words(rng, 20)) for _ in range(rng.randint(1, 4)))),
        Bars(bars),
        Heading(_words(rng, 30)),
        Paragraph(_words(rng, 60)),
        Score(_words(rng, 3), "62.3", _words(rng, 3)),
    ]


@pytest.mark.parametrize("seed", range(120))
def test_random_tables_are_drawn_exactly_as_rich_draws_them(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    blocks = _random_blocks(rng)
    for width in (40, 41, 45, 53, 64, 80, 97, 133):
        for block in blocks:
            title = _words(rng, 20) if rng.random() < 0.3 else ""
            document = Document(title=title, blocks=(block,))  # type: ignore[arg-type]
            plain, rich = _both_ways(document, width, monkeypatch)
            assert plain == rich, (seed, width, block)


def test_a_chart_is_drawn_exactly_as_rich_draws_it(monkeypatch: pytest.MonkeyPatch) -> None:
    series = (
        Series("Overall", (Fraction(40), Fraction(55), Fraction(62)), strong=True),
        Series("Leadership and ownership of the partnership", (None, Fraction(30), Fraction(80))),
    )
    for kind in ("trend", "spread"):
        chart = Chart(kind, "Readiness over time", "", ("2024/25", "2025/26", "2026/27"), series)  # type: ignore[arg-type]
        for width in WIDTHS:
            plain, rich = _both_ways(Document(title="", blocks=(chart,)), width, monkeypatch)
            assert plain == rich, (kind, width)


def test_text_that_is_not_all_one_cell_wide_goes_through_rich() -> None:
    wide = Table((Column("Name"), Column("Note", wide=True)), (("東京", "a note"),))
    assert text._plain_block(wide, 80) is None
    assert text._plain_block(Paragraph("tab\there"), 80) is None
    assert text._plain_block(Paragraph("plain – dash, ‘quotes’ and £5"), 80) is not None


def test_every_character_counted_as_one_cell_is_one_cell_for_rich() -> None:
    assert all(cell_len(c) == 1 for c in text._ONE_CELL)

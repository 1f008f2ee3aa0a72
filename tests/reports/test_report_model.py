"""The report model and what each format shows from it."""

from __future__ import annotations

import csv
import io
import json
import re

import html5lib
import pytest
from markdown_it import MarkdownIt

from assess.domain.answers import Answer, parse_answers
from assess.domain.bank import Bank
from assess.domain.scoring import NOT_ASSESSED
from assess.reports import FORMATS, ReportMeta, build_report, render
from assess.reports.document import Bar, Bars, Column, Document, Heading, Table, bar_cells
from assess.reports.formats.html import render_document as html_document
from assess.reports.formats.markdown import render_document as markdown_document
from assess.reports.formats.text import render_document as text_document

from .banks import criterion, dimension, levels, make_bank, worked_bank


def _answers(bank: Bank, raw: dict) -> dict[str, Answer]:
    return {k: v for k, v in parse_answers(bank, raw).items() if v is not None}


def test_nothing_applicable_is_not_assessed_in_every_format() -> None:
    bank = make_bank([dimension("d", 1, [criterion("C1", allow_na=True, critical=True)])])
    report = build_report(ReportMeta("A"), bank, {"C1": Answer(None, "Not for us")})
    assert report.overall is None and report.band == NOT_ASSESSED
    assert report.capped_by == ()  # an n/a critical criterion does not cap
    for fmt in FORMATS:
        assert render(report, fmt)
    data = json.loads(render(report, "json"))
    assert data["overall"] == {
        "score": None,
        "exact": None,
        "band": NOT_ASSESSED,
        "uncapped_band": NOT_ASSESSED,
        "caps": [],
        "capped_by": [],
        "delivery_confidence": {"suggested": None, "officer": None, "reason": None},
        "total_effective_weight": 0,
    }
    assert "no score yet" in render(report, "text")


def test_missing_evidence_lists_only_levels_3_and_4_without_a_note() -> None:
    answers = {
        "C1": Answer(3),
        "C2": Answer(4, None, "Minutes of 3 March"),
        "C3": Answer(4, None, "   "),
        "C4": Answer(2),
        "C6": Answer(4),
    }
    report = build_report(ReportMeta("A"), worked_bank(), answers)
    assert [c.id for c in report.missing_evidence] == ["C1", "C3", "C6"]
    text = render(report, "text")
    assert "Rated 3 or 4 without an evidence note" in text
    assert "Minutes of 3 March" in text  # shown under "Evidence noted"


def test_unanswered_lists_shown_questions_only(bank: Bank) -> None:
    report = build_report(ReportMeta("A"), bank, _answers(bank, {"S-EXPLORE": "no"}))
    ids = [u.id for u in report.unanswered]
    assert "S-SERVICES" not in ids  # hidden: only asked when S-EXPLORE is yes
    assert "S-EXPLORE" not in ids
    assert "R-LEAD-OWNERSHIP" in ids
    assert report.questions_answered == 1
    assert report.questions_shown == len(ids) + 1


def test_the_text_report_has_every_section(bank: Bank) -> None:
    raw = {
        "S-REASONS-AGAINST": ["loss-of-control"],
        "R-CLIENT-INTELLIGENT": 1,
        "R-LEAD-REALISM": 4,
        "R-FIT-WELLBEING": {"na": "Back office only"},
    }
    meta = ReportMeta("Anytown", "Waste", "Jo Bloggs", date="2025-03-01")
    text = render(build_report(meta, bank, _answers(bank, raw)), "text")
    for heading in (
        "Readiness report: Anytown — Waste",
        "Assessor     Jo Bloggs",
        "Stage        0, Exploring (Gate 0, Strategic assessment)",
        "Report date  2025-03-01",
        "Readiness score",
        "Suggested delivery confidence",
        "Readiness by dimension",
        "Gaps, most urgent first",
        "Every criterion that counts at this stage",
        "Not yet answered",
        "Rated 3 or 4 without an evidence note",
        "Marked not applicable",
        "Your survey answers beside the chief executives'",
        "Consistency notes",
        "How the score is worked out",
        "Appendix: identifiers",
        f"Question bank      {bank.id} {bank.version}",
    ):
        assert heading in text, heading
    # Gaps are numbered in scoring order: critical ones first, named by their question.
    gaps = text.split("Gaps, most urgent first")[1]
    first_gap = " ".join(re.split(r"(?m)^ ?1\. ", gaps)[1].split())
    critical = next(q for q in bank.criteria if q.critical)
    assert first_gap.startswith(critical.text)
    assert "Action:" in text
    # The rules footnote is scoring.RULES, reflowed.
    assert "gap points = effective weight × (target − level)" in " ".join(text.split())


def test_json_lists_every_criterion_with_its_figures(bank: Bank) -> None:
    data = json.loads(render(build_report(ReportMeta("A", stage=2), bank, {}), "json"))
    assert [c["id"] for c in data["criteria"]] == [q.id for q in bank.criteria]
    for c in data["criteria"]:
        assert {"level", "target", "weight", "gap_points", "critical", "score", "exact"} <= set(c)
        assert c["effective_weight"] == c["dimension_weight"] * c["weight"]
        assert c["applicable"] == (c["from_stage"] <= 2) and c["later_stage"] == (
            not c["applicable"]
        )
        # Unanswered and counting at stage 2: level 0, so the gap is D × w × target;
        # a criterion of a later stage is no gap at all.
        expected = c["effective_weight"] * c["target"] if c["applicable"] else 0
        assert c["gap_points"] == expected
    assert [g["id"] for g in data["later_stage"]] == [
        c["id"] for c in data["criteria"] if c["from_stage"] > 2
    ]
    assert data["bank"]["content_hash"] == bank.content_hash
    assert len(data["benchmark"]) == len(
        [q for s in bank.instrument("survey").sections for q in s.questions if not q.show_if]
    )
    assert len(data["consistency"]) == len(bank.consistency)


def test_csv_has_one_row_per_question(bank: Bank) -> None:
    report = build_report(ReportMeta("A"), bank, _answers(bank, {"R-MKT-PEERS": 2}))
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"), newline="")))
    assert [r["id"] for r in rows] == [q.id for q in bank.questions]
    research = next(r for r in rows if r["id"] == "R-MKT-PEERS")
    assert research["level"] == "2" and research["instrument"] == "readiness"
    survey = next(r for r in rows if r["id"] == "S-EXPLORE")
    assert survey["level"] == "" and survey["critical"] == ""


def test_markdown_tables_are_well_formed() -> None:
    report = build_report(ReportMeta("A | B"), worked_bank(), levels(C1=2, C3=4))
    text = render(report, "markdown")
    page = MarkdownIt("commonmark").enable("table").render(text)
    root = html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)
    tables = root.findall(".//table")
    assert len(tables) >= 3
    for table in tables:
        widths = {len(row.findall("./th")) + len(row.findall("./td")) for row in table.iter("tr")}
        assert len(widths) == 1, widths


@pytest.mark.parametrize(("value", "cells"), [(None, 0), (0, 0), (2.5, 1), (50, 10), (100, 20)])
def test_bar_cells(value: float | None, cells: int) -> None:
    assert bar_cells(value) == cells


def test_documents_render_in_all_three_printed_formats() -> None:
    # A comparison report builds its own Document from the same blocks.
    doc = Document(
        title="Comparison <b>",
        blocks=(
            Heading("Scores"),
            Bars((Bar("First [bold]", 50, "50.0"), Bar("Second", None, "–"))),
            Table((Column("A"), Column("B", "right")), (("x <i>", "1"),)),
        ),
    )
    text = text_document(doc)
    assert "First [bold]" in text and "Comparison <b>" in text
    assert "&lt;i&gt;" in html_document(doc)
    html5lib.HTMLParser(strict=True).parse(html_document(doc))
    assert "x \\<i\\>" in markdown_document(doc)

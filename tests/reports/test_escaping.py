"""Text from answers, notes, names and the bank is shown exactly as typed, in every format.

Never Rich markup in the terminal, never HTML in HTML or Markdown, never a
formula in CSV (but numbers stay numbers).
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import html5lib
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from assess.domain.answers import MAX_TEXT, Answer, parse_answers
from assess.domain.bank import Bank
from assess.reports import ReportMeta, build_report, render
from assess.reports.escape import csv_cell, html_text, markdown_text, shown

from .banks import criterion, dimension, make_bank

SCRIPT = "<script>alert('x')</script>"
LINK = "[link](http://example.com/x)"
MARKUP = "[bold]B[/bold] [/x] [link=http://x]L[/link]"
OTHER = "& &amp; &lt; *em* _u_ `code` # h | pipe ~~s~~ ![i](x.png) <img src=x onerror=y>"
HOSTILE = f"{SCRIPT} {LINK} {MARKUP} {OTHER}"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
XHTML = "{http://www.w3.org/1999/xhtml}"


def _hostile_report(bank: Bank):
    raw = {
        "S-EXPLORE": "yes",
        "S-SERVICES": ["other"],
        "S-SERVICES-OTHER": HOSTILE,
        "R-LEAD-OWNERSHIP": {"level": 3, "evidence": HOSTILE},
        "R-FIT-WELLBEING": {"na": HOSTILE},
    }
    answers = {k: v for k, v in parse_answers(bank, raw).items() if v is not None}
    meta = ReportMeta(authority=HOSTILE, service=HOSTILE, assessor=HOSTILE, date="2025-01-01")
    return build_report(meta, bank, answers)


def _hostile_bank() -> Bank:
    # The bank's own wording is data too.
    return make_bank(
        [dimension("d", 1, [criterion("C1", text=HOSTILE, action=HOSTILE, critical=True)])]
    )


def _dom(page: str) -> ET.Element:
    return html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=True)


def _elements(root: ET.Element) -> set[str]:
    return {el.tag.removeprefix(XHTML) for el in root.iter() if isinstance(el.tag, str)}


def _text(root: ET.Element) -> str:
    """The page's text, a <br> read as a line break, whitespace squashed."""
    parts: list[str] = []

    def walk(element: ET.Element) -> None:
        if element.tag == f"{XHTML}br":
            parts.append("\n")
        parts.append(element.text or "")
        for child in element:
            walk(child)
            parts.append(child.tail or "")

    walk(root)
    return _squash("".join(parts))


def _squash(text: str) -> str:
    return " ".join(text.split())


# ----------------------------------------------------------------------------
# HTML


def test_the_html_report_is_valid_html(bank: Bank) -> None:
    page = render(_hostile_report(bank), "html")
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(page)  # strict: raises on the first parse error
    assert parser.errors == []
    assert page.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("which", ["answers", "bank"])
def test_html_shows_script_and_links_as_text(bank: Bank, which: str) -> None:
    report = (
        _hostile_report(bank)
        if which == "answers"
        else build_report(ReportMeta(HOSTILE), _hostile_bank(), {"C1": Answer(0, None, HOSTILE)})
    )
    page = render(report, "html")
    html5lib.HTMLParser(strict=True).parse(page)
    root = _dom(page)
    tags = _elements(root)
    assert "script" not in tags and "a" not in tags and "img" not in tags
    assert _squash(HOSTILE) in _text(root)
    # Self-contained: nothing fetched from elsewhere, no event handlers.
    for el in root.iter():
        assert not {"src", "href"} & set(el.attrib)
        assert not any(name.startswith("on") for name in el.attrib)


@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t")))
def test_any_evidence_note_survives_html_exactly(note: str) -> None:
    bank = _hostile_bank()
    page = render(build_report(ReportMeta("A"), bank, {"C1": Answer(3, None, note)}), "html")
    html5lib.HTMLParser(strict=True).parse(page)
    # Exactly, but for characters that reorder or hide text, which are shown by code.
    assert _squash(shown(note)) in _text(_dom(page))


def test_control_characters_from_a_damaged_store_never_reach_the_page() -> None:
    # Answers files refuse control characters; an answer built in code (as from a
    # hand-edited store) must still not break the page or the terminal.
    bank = _hostile_bank()
    answers = {"C1": Answer(3, None, "red\x1b[31m bell\x07 nul\x00 vt\x0b")}
    report = build_report(ReportMeta("Any\x1btown"), bank, answers)
    html5lib.HTMLParser(strict=True).parse(render(report, "html"))
    for fmt in ("text", "markdown", "html"):
        out = render(report, fmt)
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", out), fmt
        assert "\ufffd" in out


# ----------------------------------------------------------------------------
# Markdown


def _markdown_dom(text: str) -> ET.Element:
    page = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(text)
    return _dom(page)


@pytest.mark.parametrize("which", ["answers", "bank"])
def test_markdown_shows_script_and_links_as_typed(bank: Bank, which: str) -> None:
    report = (
        _hostile_report(bank)
        if which == "answers"
        else build_report(ReportMeta(HOSTILE), _hostile_bank(), {"C1": Answer(0, None, HOSTILE)})
    )
    root = _markdown_dom(render(report, "markdown"))
    tags = _elements(root)
    assert not {"script", "a", "img", "code", "s", "del"} & tags
    assert _squash(HOSTILE) in _text(root)


@pytest.mark.parametrize(
    "typed",
    [
        "- not a list",
        "+ not a list",
        "1. not a list",
        "# not a heading",
        "> not a quote",
        "    not code",
        "===",
        "---",
        "a | b",
        "line one\nline two",
        "trailing backslash \\",
        "<!-- not a comment -->",
        "&copy; stays as typed",
        "http://example.com stays text",
    ],
)
def test_markdown_line_starts_and_specials(typed: str) -> None:
    root = _markdown_dom(f"Before\n\n{markdown_text(typed)}\n")
    assert not {"ul", "ol", "h1", "h2", "blockquote", "pre", "hr", "a", "table"} & _elements(root)
    assert _squash(typed.replace("\n", " ")) in _text(root)


@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=80))
def test_any_text_survives_markdown_exactly(typed: str) -> None:
    root = _markdown_dom(f"| a |\n|---|\n| {markdown_text(typed)} |\n\n{markdown_text(typed)}\n")
    expected = _squash(shown(typed))  # reordering or hidden characters shown by code
    assert _text(root).count(expected) >= 1 if expected else True
    assert not {"script", "a", "img"} & _elements(root)


# ----------------------------------------------------------------------------
# CSV


@pytest.mark.parametrize(
    "text", ["=SUM(A1:A9)", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx", '=HYPERLINK("x")']
)
def test_csv_neutralises_formula_starts(text: str) -> None:
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", [0, 3, -5, 2.5, -0.5, 1_000_000])
def test_csv_numbers_stay_numbers(value: float) -> None:
    assert csv_cell(value) == value


def test_csv_plain_text_is_unchanged() -> None:
    assert csv_cell("Corporate plan p.12") == "Corporate plan p.12"
    assert csv_cell("a=b") == "a=b"
    assert csv_cell(None) == ""
    assert csv_cell(True) == "yes"


def _number_bank() -> Bank:
    count = {
        "id": "N1",
        "type": "number",
        "text": "How many?",
        "help": "Count them.",
        "minimum": -10,
        "maximum": 10,
        "source": {"file": "test-source.txt", "quote": "Q."},
    }
    return make_bank([dimension("d", 1, [criterion("C1", weight=2), count, criterion("C2")])])


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_csv_export_neutralises_every_text_cell_and_round_trips(start: str) -> None:
    bank = _number_bank()
    note = f"{start}cmd|' /C calc'!A0"
    answers = {"C1": Answer(3, None, note), "N1": Answer(-5), "C2": Answer(None, None, note)}
    text = render(build_report(ReportMeta("A"), bank, answers), "csv")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert header[:4] == ["id", "instrument", "section", "question"]
    assert body["C1"]["evidence"] == "'" + note
    # Numbers are written as numbers, unchanged (a negative number is not a formula).
    assert body["N1"]["answer"] == "-5"
    assert (body["C1"]["level"], body["C1"]["target"], body["C1"]["weight"]) == ("3", "3", "2")
    assert body["C1"]["gap_points"] == "0"
    assert body["C2"]["gap_points"] == "3"
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r", "\n")), row
            assert not cell.startswith("-") or re.fullmatch(r"-\d+(\.\d+)?", cell), row


def test_csv_round_trips_the_whole_report(bank: Bank) -> None:
    report = _hostile_report(bank)
    rows = list(csv.reader(io.StringIO(render(report, "csv"), newline="")))
    assert len(rows) == 1 + len(bank.questions)
    by_id = {row[0]: row for row in rows[1:]}
    evidence = rows[0].index("evidence")
    assert by_id["R-LEAD-OWNERSHIP"][evidence] == HOSTILE  # starts with "<": not a formula
    assert by_id["S-SERVICES-OTHER"][6] == HOSTILE
    assert [row[0] for row in rows[1:]] == [q.id for q in bank.questions]


# ----------------------------------------------------------------------------
# Terminal text


@pytest.mark.parametrize("color", [False, True])
def test_rich_markup_in_names_and_notes_prints_literally(bank: Bank, color: bool) -> None:
    report = _hostile_report(bank)
    out = render(report, "text", width=400, color=color)
    if color:
        assert ANSI.search(out), "colour was asked for"
        out = ANSI.sub("", out)
    else:
        assert "\x1b" not in out
    assert "\x1b]8;" not in out  # no terminal hyperlink was made from [link=...]
    for fragment in ("[bold]B[/bold]", "[/x]", "[link=http://x]L[/link]", SCRIPT, LINK):
        assert fragment in out
    assert f"Authority  {HOSTILE}" in _squash(out) or HOSTILE in out


def test_the_text_report_fits_80_columns(bank: Bank) -> None:
    out = render(_hostile_report(bank), "text")
    assert "\x1b" not in out
    assert max(len(line) for line in out.splitlines()) <= 80
    # A long unbroken word is folded rather than pushed past the edge.
    long = build_report(
        ReportMeta("A" * 300), _hostile_bank(), {"C1": Answer(1, None, "x" * MAX_TEXT)}
    )
    assert max(len(line) for line in render(long, "text").splitlines()) <= 80


def test_json_keeps_text_exactly(bank: Bank) -> None:
    data = json.loads(render(_hostile_report(bank), "json"))
    assert data["assessment"]["authority"] == HOSTILE
    evidence = {c["id"]: c["evidence"] for c in data["criteria"]}
    assert evidence["R-LEAD-OWNERSHIP"] == HOSTILE


def test_html_text_helper_keeps_line_breaks() -> None:
    assert html_text("a<b>\nc") == "a&lt;b&gt;<br>c"

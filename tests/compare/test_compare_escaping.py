"""Hostile text in names and notes comes out of every comparison format exactly as typed.

Never Rich markup in the terminal, never an element in HTML or Markdown, never a
formula in CSV.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import html5lib
import pytest
from markdown_it import MarkdownIt

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.domain.compare import Comparison, compare
from assess.reports import render_comparison

from .support import FORMULA, HOSTILE, MARKUP, SCRIPT, make

ANSI = re.compile(r"\x1b\[[0-9;]*m")
XHTML = "{http://www.w3.org/1999/xhtml}"


def hostile(bank: Bank) -> Comparison:
    """Two officers (hostile names) of a hostile authority, with hostile notes everywhere."""
    answers = [
        {
            "S-EXPLORE": Answer("yes"),
            "S-SERVICES": Answer(("other",)),
            "S-SERVICES-OTHER": Answer(f"{HOSTILE} {n}"),
            "R-LEAD-OWNERSHIP": Answer(level, None, f"{HOSTILE} note {n}"),
        }
        for n, level in ((1, 0), (2, 4))
    ]
    # Not applicable to one officer, level 2 to the other: a change, reason and all.
    answers[0]["R-FIT-WELLBEING"] = Answer(None, f"{HOSTILE} reason 1")
    answers[1]["R-FIT-WELLBEING"] = Answer(2, None, f"{HOSTILE} reason 2")
    return compare(
        [
            make(
                bank,
                answers[0],
                id="h1",
                authority=HOSTILE,
                service=HOSTILE,
                assessor=f"{FORMULA} Ann",
            ),
            make(
                bank,
                answers[1],
                id="h2",
                authority=HOSTILE,
                service=HOSTILE,
                assessor=f"{SCRIPT} Bob",
            ),
        ]
    )


def _squash(text: str) -> str:
    return " ".join(text.split())


def _dom(page: str) -> ET.Element:
    return html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=True)


def _tags(root: ET.Element) -> set[str]:
    return {el.tag.removeprefix(XHTML) for el in root.iter() if isinstance(el.tag, str)}


def _text(root: ET.Element) -> str:
    return _squash("".join(root.itertext()))


def test_the_comparison_is_across_officers(bank: Bank) -> None:
    c = hostile(bank)
    assert c.kind == "across officers" and c.disagreements


@pytest.mark.parametrize("color", [False, True])
def test_text_prints_markup_literally(bank: Bank, color: bool) -> None:
    out = render_comparison(hostile(bank), "text", width=300, color=color)
    if color:
        assert ANSI.search(out), "colour was asked for"
        out = ANSI.sub("", out)
    else:
        assert "\x1b" not in out
    assert "\x1b]8;" not in out  # no terminal hyperlink made from [link=...]
    for fragment in (MARKUP, SCRIPT, FORMULA, f"{HOSTILE} note 1", f"{HOSTILE} reason 2"):
        assert fragment in out, fragment


def test_html_is_valid_and_shows_everything_as_text(bank: Bank) -> None:
    page = render_comparison(hostile(bank), "html")
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(page)
    assert parser.errors == []
    root = _dom(page)
    assert not {"script", "a", "img"} & _tags(root)
    text = _text(root)
    for fragment in (HOSTILE, f"{HOSTILE} note 2", f"{SCRIPT} Bob", f"{HOSTILE} reason 1"):
        assert _squash(fragment) in text, fragment
    for el in root.iter():
        assert not {"src", "href"} & set(el.attrib)
        assert not any(name.startswith("on") for name in el.attrib)


def test_markdown_shows_everything_as_typed(bank: Bank) -> None:
    md = render_comparison(hostile(bank), "markdown")
    page = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(md)
    root = _dom(page)
    assert not {"script", "a", "img", "code", "s", "del"} & _tags(root)
    text = _text(root)
    for fragment in (HOSTILE, f"{HOSTILE} note 1", f"{FORMULA} Ann"):
        assert _squash(fragment) in text, fragment


def test_json_keeps_every_text_exactly(bank: Bank) -> None:
    data = json.loads(render_comparison(hostile(bank), "json"))
    assert data["assessments"][0]["authority"] == HOSTILE
    assert data["assessments"][1]["assessor"] == f"{SCRIPT} Bob"
    changes = {c["id"]: c for c in data["changes"]}
    assert changes["R-LEAD-OWNERSHIP"]["answers"][1]["evidence"] == f"{HOSTILE} note 2"
    assert changes["S-SERVICES-OTHER"]["answers"][0]["value"] == f"{HOSTILE} 1"


def test_csv_never_starts_a_cell_with_a_formula(bank: Bank) -> None:
    text = render_comparison(hostile(bank), "csv")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    # The column headings are made from the officers' names: neutralised too.
    assert header[5] == f"'{FORMULA} Ann: answer"
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r", "\n")), cell
            assert not cell.startswith("-") or re.fullmatch(r"-\d+(\.\d+)?", cell), cell
    body = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert body["R-LEAD-OWNERSHIP"][f"'{FORMULA} Ann: evidence"] == f"'{HOSTILE} note 1"
    assert body["S-SERVICES-OTHER"][f"{SCRIPT} Bob: answer"] == f"'{HOSTILE} 2"


def test_control_characters_from_a_damaged_store_never_reach_the_output(bank: Bank) -> None:
    notes = {"R-PV-TEST": Answer(2, None, "red\x1b[31m bell\x07 nul\x00")}
    c = compare(
        [
            make(bank, notes, id="z1", assessor="A\x1bnn"),
            make(bank, {"R-PV-TEST": Answer(4)}, id="z2", assessor="Bob"),
        ]
    )
    for fmt in ("text", "markdown", "html"):
        out = render_comparison(c, fmt)
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", out), fmt
        assert "\ufffd" in out, fmt
    html5lib.HTMLParser(strict=True).parse(render_comparison(c, "html"))

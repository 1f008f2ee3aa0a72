"""Hostile text typed as names, evidence notes and text answers, through every format.

Each text goes in through the command line (`assess new --answers`), and
comes out through `assess report ID --format X` for all five formats and an
`assess export` / `assess import` round trip. It is stored and round-trips
exactly; the HTML report parses as strict HTML5 and has no script element
or link of ours; the Markdown report, rendered, has neither either; CSV
cells that a spreadsheet would run are neutralised; the text report shows
markup as the literal characters; JSON gives back the exact text. Text that
changes how a line reads or hides in it (a right-to-left override, a
zero-width joiner) is kept in notes, but every report a reader sees shows it
by its code, `[U+202E]`; a name may not hold it at all. Text an officer may
not type (a carriage return, a control character, a name over 200
characters) is refused with exit 2 and changes nothing.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import html5lib
import pytest
import yaml
from markdown_it import MarkdownIt

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.domain.visible import HIDDEN, hidden_character
from assess.reports.escape import shown
from assess.store import Store
from tests.helpers import assert_clean_failure, invoke
from tests.store.support import folder_bytes

pytestmark = pytest.mark.robustness

CRITERION = "R-LEAD-OWNERSHIP"
TEXT_QUESTION = "S-SERVICES-OTHER"  # shown once S-SERVICES includes "other"
HOSTILE = {
    "rich markup": "[bold]x[/bold] and [red]red",
    "rich closing tag": "[/x] stray close",
    "rich link": "[link=http://e]click me[/link]",
    "script": "<script>alert(1)</script>",
    "html entities": "&lt;b&gt; & <b>bold</b> \"quoted\" 'single'",
    "markdown": "# heading *em* `code` [a](http://e) ![i](http://e/i.png) | pipe |",
    "formula": "=SUM(A1)",
    "plus": "+1",
    "minus": "-1",
    "at": "@x",
    "tab start": "\tindented by a tab",
    "line feed start": "\nstarts on a new line",
    "several lines": "first line\nsecond line\n\n- not a list",
    "emoji": "emoji 😀👍🏽 and ZWJ 👩‍👩‍👧",
    "right to left": "עברית and العربية mixed with English",
    "bidi override": "abc\u202edcba\u202c end",
    "combining marks": "Zalgo: Z̴̡̢a̷l̶g̵o̸",
    "very long": "A very long note. " * 555,  # 9,990 characters: just under the cap
    "backslashes": "C:\\Users\\x\\ and \\[not escaped\\]",
}
REFUSED_NOTES = {
    "carriage return start": "\rstarts with CR",
    "escape sequence": "red \x1b[31mtext\x1b[0m",
    "bell": "ding\x07",
    "over the cap": "x" * 10_001,
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _name(text: str) -> str | None:
    """The text as a name, or None where a name cannot hold it (one line, ≤ 200, nothing hidden)."""
    name = text.strip()
    if not name or len(name) > 200 or any(c in name for c in "\t\n\r"):
        return None
    return None if hidden_character(name) else name


def _answers_file(tmp_path: Path, note: str, fmt: str) -> Path:
    data = {
        "answers": {
            CRITERION: {"level": 2, "evidence": note},
            "S-EXPLORE": "yes",
            "S-SERVICES": ["other"],
            TEXT_QUESTION: note if note.strip() else "x",
        }
    }
    path = tmp_path / f"answers.{fmt}"
    if fmt == "json":
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _make(db: Path, tmp_path: Path, text: str, fmt: str = "json") -> str:
    name = _name(text) or "Plain Council"
    outcome = invoke(
        "new",
        "--authority",
        name,
        "--service",
        name,
        "--assessor",
        name,
        "--answers",
        str(_answers_file(tmp_path, text, fmt)),
        db=db,
    )
    assert outcome.code == 0, outcome.err
    return outcome.out.strip()


def _report(db: Path, assessment_id: str, fmt: str) -> str:
    outcome = invoke("report", assessment_id, "--format", fmt, db=db)
    assert outcome.code == 0 and "Traceback" not in outcome.err, outcome.err
    return outcome.out


def _texts_of(document: Any) -> str:
    """All the text in a parsed HTML document, with <br> as a line break."""
    parts: list[str] = []

    def walk(element: Any) -> None:
        if not isinstance(element.tag, str):  # a comment
            return
        if element.tag == "br":
            parts.append("\n")
        parts.append(element.text or "")
        for child in element:
            walk(child)
            parts.append(child.tail or "")

    walk(document)
    return "".join(parts)


def _strings(value: Any) -> list[str]:
    """Every string in a parsed JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _check_html(page: str, text: str) -> None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    document = parser.parse(page)  # raises on any parse error
    assert document.findall(".//script") == []
    assert not [a for a in document.iter("a") if "http://e" in (a.get("href") or "")]
    assert not [img for img in document.iter("img")]
    shown = _texts_of(document)
    for line in text.split("\n"):
        assert line.strip() in shown, line


def _check_markdown(markdown: str, text: str) -> None:
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    _check_html(f"<!DOCTYPE html><title>t</title>{rendered}", "")
    shown = _texts_of(html5lib.parse(rendered, namespaceHTMLElements=False))
    for line in text.split("\n"):
        assert line.strip() in shown, (line, markdown[:2000])


def _check_csv(table: str, text: str) -> None:
    rows = list(csv.reader(io.StringIO(table)))
    cells = [cell for row in rows for cell in row]
    for cell in cells:
        if cell.startswith(FORMULA_STARTS):
            float(cell)  # only a number may start like a formula
    wanted = "'" + text if text.startswith(FORMULA_STARTS) else text
    evidence = next(row for row in rows if row and row[0] == CRITERION)[rows[0].index("evidence")]
    assert evidence == wanted
    assert next(row for row in rows if row and row[0] == TEXT_QUESTION)[6] == wanted


@pytest.mark.parametrize("what", sorted(HOSTILE))
def test_hostile_text_is_kept_exactly_and_shown_safely(
    db: Path, tmp_path: Path, bank: Bank, what: str
) -> None:
    text = HOSTILE[what]
    assessment_id = _make(db, tmp_path, text)
    got = Store.open(db).get(assessment_id)
    assert got.answers[CRITERION] == Answer(2, None, text)
    assert got.answers[TEXT_QUESTION].value == text
    name = _name(text)
    if name is not None:
        assert (got.authority, got.service, got.assessor) == (name, name, name)

    short_lines = [line for line in text.split("\n") if 0 < len(line) < 50]
    plain = _report(db, assessment_id, "text")
    assert "\x1b" not in plain  # no terminal codes, whatever the text says
    assert not HIDDEN.search(plain)  # nothing that reorders or hides, either
    for line in short_lines:
        assert shown(line.strip()) in plain, line

    _check_html(_report(db, assessment_id, "html"), shown(text))
    _check_markdown(_report(db, assessment_id, "markdown"), shown(text))
    _check_csv(_report(db, assessment_id, "csv"), text)

    report = json.loads(_report(db, assessment_id, "json"))
    assert text in _strings(report)
    if name is not None:
        assert report["assessment"]["authority"] == name

    bundle = tmp_path / "bundle.json"
    assert invoke("export", "--all", "-o", str(bundle), db=db).code == 0
    other = tmp_path / "other"
    imported = invoke("import", str(bundle), db=other)
    assert imported.code == 0, imported.err
    again = Store.open(other).get(assessment_id)
    assert (again.authority, again.service, again.assessor) == (
        got.authority,
        got.service,
        got.assessor,
    )
    assert again.answers == got.answers and again.history == got.history


@pytest.mark.parametrize("what", sorted(HOSTILE))
def test_hostile_text_from_a_yaml_file_is_kept_exactly(db: Path, tmp_path: Path, what: str) -> None:
    text = HOSTILE[what]
    assessment_id = _make(db, tmp_path, text, fmt="yaml")
    got = Store.open(db).get(assessment_id)
    assert got.answers[CRITERION].evidence == text
    assert got.answers[TEXT_QUESTION].value == text


@pytest.mark.parametrize("what", sorted(REFUSED_NOTES))
def test_text_that_cannot_be_typed_is_refused(db: Path, tmp_path: Path, what: str) -> None:
    Store.open(db).create(authority="Kent")
    before = folder_bytes(db)
    path = _answers_file(tmp_path, REFUSED_NOTES[what], "json")
    outcome = invoke("new", "--authority", "Kent", "--answers", str(path), db=db)
    assert_clean_failure(outcome, str(path), CRITERION, TEXT_QUESTION)
    assert len(outcome.err_lines) == 3  # the message, then one line per bad value
    assert folder_bytes(db) == before


@pytest.mark.parametrize(
    "name",
    [
        "Tab\tinside",
        "Two\nlines",
        "Carriage\rreturn",
        "Escape \x1b[2J",
        "x" * 201,
        "Kent\u202eliocnuoC",  # a right-to-left override
        "Ke\u200bnt",  # a zero-width space
        "Kent\u2066 isolate",
        "\ufeffKent",
    ],
)
def test_names_that_cannot_be_typed_are_refused(db: Path, name: str) -> None:
    Store.open(db).create(authority="Kent")
    before = folder_bytes(db)
    for option in ("--authority", "--service", "--assessor"):
        args = ["new", "--authority", "Kent", option, name]
        if option == "--authority":
            args = ["new", "--authority", name]
        outcome = invoke(*args, db=db)
        assert_clean_failure(outcome)
        assert len(outcome.err_lines) == 1, outcome.err
    assert folder_bytes(db) == before

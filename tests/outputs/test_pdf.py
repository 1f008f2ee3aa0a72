"""The PDF: A4, page numbers, the marking on every page, the summary first, text literal."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from assess.domain.bank import Bank
from assess.reports.export import file_bytes
from tests.helpers import assert_clean_failure, invoke

from .support import HOSTILE, PLANNED, report

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

A4 = (595.28, 841.89)  # points


def _pages(data: bytes) -> tuple[object, list[str]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return reader, [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture(scope="module")
def committee_pdf(bank: Bank) -> bytes:
    return file_bytes(report(bank), "pdf", committee=True, marking="OFFICIAL-SENSITIVE")


def test_pages_are_a4_numbered_and_marked(committee_pdf: bytes) -> None:
    reader, texts = _pages(committee_pdf)
    assert len(texts) >= 3
    for number, (page, text) in enumerate(zip(reader.pages, texts, strict=True), 1):  # type: ignore[attr-defined]
        box = page.mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == A4
        assert f"Page {number} of {len(texts)}" in text
        assert text.count("OFFICIAL-SENSITIVE") >= 2, number  # top and bottom


def test_the_first_page_is_the_executive_summary(committee_pdf: bytes, bank: Bank) -> None:
    _, texts = _pages(committee_pdf)
    first = texts[0]
    assert "Executive summary" in first and "Readiness score" in first
    assert "biggest gaps" in first
    for gap in report(bank).gaps[:3]:  # each with its action and owner
        assert " ".join(gap.criterion.text.split()[:6]) in first
    assert first.count("Owner:") == 3
    assert "what comes next" in first
    assert "Readiness by dimension Dimension" not in first  # the body starts on page 2
    assert texts[1].startswith("Readiness by dimension")
    # No ids or hashes in the body; the appendix has them.
    appendix = next(i for i, t in enumerate(texts) if "Appendix: identifiers" in t)
    body = " ".join(texts[:appendix])
    assert "a1b2c3d4" not in body and bank.content_hash not in body and PLANNED not in body
    assert bank.content_hash[:16] in " ".join(texts[appendix:])


def test_the_pdf_is_tagged_for_screen_readers(committee_pdf: bytes) -> None:
    reader, _ = _pages(committee_pdf)
    root = reader.trailer["/Root"]  # type: ignore[attr-defined]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en"


def test_hostile_text_is_printed_literally(bank: Bank) -> None:
    _, texts = _pages(file_bytes(report(bank), "pdf"))
    text = " ".join(texts)
    # Markup and formulas as typed; the override shown by its code, never obeyed.
    assert '[bold]B[/bold] <script>alert(1)</script> =HYPERLINK("http://e","x")' in text
    assert "abc[U+202E]dcba[U+202C] end" in text
    assert "\u202e" not in HOSTILE.replace("\u202e", "") and "\u202e" not in text


def test_without_weasyprint_one_line_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it were not installed
    answers = tmp_path / "a.yaml"
    answers.write_text("answers: {R-LEAD-OWNERSHIP: 2}\n", encoding="utf-8")
    target = tmp_path / "r.pdf"
    outcome = invoke("report", "--answers", str(answers), "--format", "pdf", "-o", str(target))
    assert_clean_failure(outcome, "pip install 'assess[pdf]'", "libpango")
    assert len(outcome.err_lines) == 1
    assert not target.exists()

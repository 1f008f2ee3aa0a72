"""SVG charts (accessible, literal, drawn from the scores) and the export options."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from fractions import Fraction

import html5lib
import pytest

from assess.domain.bank import Bank
from assess.domain.compare import compare
from assess.domain.errors import BadInput
from assess.reports.charts import LABEL_WIDTH, SCALE, bars_svg, spread_svg, trend_svg
from assess.reports.document import Bar, Bars, Chart, Series
from assess.reports.export import check_options, file_bytes, render_text
from tests.helpers import assert_clean_failure, invoke

from .support import assessment, report

SVG = "{http://www.w3.org/2000/svg}"


def _svg(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # well-formed XML, or this raises


def test_a_bar_chart_is_accessible_and_drawn_from_the_scores() -> None:
    label = "<script>x</script> [red]r\u202eq"
    block = Bars((Bar(label, Fraction(125, 2), "62.5", tone="warning"), Bar("None", None, "–")))
    root = _svg(bars_svg(block, ident="chart-1", title="Dimension scores"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-1-title chart-1-desc"
    assert root.find(f"{SVG}title").text == "Dimension scores"  # type: ignore[union-attr]
    desc = root.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
    assert "62.5" in desc and "–" in desc
    (bar,) = root.findall(f"{SVG}rect")  # no bar for a score there is none of
    assert float(bar.get("width") or 0) == 62.5 * SCALE and float(bar.get("x") or 0) == LABEL_WIDTH
    labels = [t.text or "" for t in root.iter(f"{SVG}text")]
    # The label is text, never markup: no element came from it; the override shown by code.
    assert not root.findall(f".//{SVG}script")
    assert "<script>x</script> [red]r[U+202E]q" in labels
    assert not any("\u202e" in label for label in labels)


def test_trend_and_spread_charts_describe_every_figure() -> None:
    series = (
        Series("Overall", (Fraction(40), Fraction(55), Fraction(70)), strong=True),
        Series("Leadership", (Fraction(20), None, Fraction(80))),
    )
    trend = _svg(
        trend_svg(Chart("trend", "Over time", "Scores.", ("A", "B", "C"), series), ident="t")
    )
    assert len(trend.findall(f"{SVG}polyline")) == 1  # the gap breaks Leadership's line
    assert "40.0, 55.0, 70.0" in (trend.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]
    spread = _svg(
        spread_svg(Chart("spread", "Views", "Views.", ("Ann", "Bob", "Cat"), series), ident="s")
    )
    assert len(spread.findall(f"{SVG}circle")) == 5  # one dot per score
    assert "from 20.0 to 80.0" in (spread.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]


def test_the_html_report_has_charts_with_their_figures_in_tables(bank: Bank) -> None:
    page = render_text(report(bank), "html")
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    document = parser.parse(page)
    charts = document.findall(f".//{SVG}svg")
    assert charts and all(c.get("role") == "img" for c in charts)
    ids = [el.get("id") for el in document.iter() if el.get("id")]
    assert len(ids) == len(set(ids))  # titles and descriptions are told apart
    assert document.findall(".//script") == [] and "<link" not in page and "src=" not in page


def test_comparisons_chart_the_trend_over_time(bank: Bank) -> None:
    earlier = assessment(bank, id="e0000001", created="2025-01-10T09:00:00.000Z")
    later = assessment(bank, id="e0000002", created="2026-01-10T09:00:00.000Z")
    page = render_text(compare([earlier, later]), "html", date="2026-05-01")
    assert ("Readiness over time" in page and "<polyline" in page) or "<circle" in page


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_a_file_format_is_not_printed_on_the_screen(bank: Bank, fmt: str) -> None:
    with pytest.raises(BadInput, match=f"give -o FILE.{fmt}"):
        render_text(report(bank), fmt)


def test_options_the_format_cannot_take_are_refused(bank: Bank) -> None:
    with pytest.raises(BadInput, match="committee view is a printed report"):
        check_options(report(bank), "json", committee=True)
    with pytest.raises(BadInput, match="no page to carry a protective marking"):
        check_options(report(bank), "csv", marking="OFFICIAL")
    with pytest.raises(BadInput, match="not a few plain words"):
        check_options(report(bank), "pdf", marking='OFFICIAL"; } body { display: none')


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_the_marking_heads_and_ends_printed_formats(bank: Bank, fmt: str) -> None:
    shown = render_text(report(bank), fmt, marking="OFFICIAL-SENSITIVE", committee=True)
    assert shown.count("OFFICIAL-SENSITIVE") >= 2
    assert shown.index("OFFICIAL-SENSITIVE") < shown.index("Executive summary")


def test_the_command_line_refuses_a_workbook_on_the_screen_and_a_bad_marking(
    tmp_path, bank: Bank
) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("answers: {R-LEAD-OWNERSHIP: 2}\n", encoding="utf-8")
    assert_clean_failure(
        invoke("report", "--answers", str(answers), "--format", "xlsx"), "give -o FILE.xlsx"
    )
    assert_clean_failure(
        invoke("report", "--answers", str(answers), "--marking", "<b>SECRET</b>"),
        "not a few plain words",
    )
    assert file_bytes(report(bank), "xlsx")[:2] == b"PK"  # a workbook is a zip file

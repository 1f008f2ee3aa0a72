"""The comparison report in five formats, from hand-built assessments with known figures."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction

import html5lib
import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.domain.compare import Comparison, compare
from assess.domain.scoring import format_score
from assess.reports import FORMATS, comparison_columns, render_comparison
from assess.reports.compare_layout import comparison_document, signed, sparkline
from assess.reports.document import Table

from .support import make, newer_bank


@pytest.fixture(scope="module")
def bank(v1_bank: Bank) -> Bank:
    # The figures below are worked out by hand on version 1.0.0 of the bank.
    return v1_bank


def series(bank: Bank) -> Comparison:
    """Last year and this year: one gap closed, one opened, one persisting."""
    full = {c.id: Answer(c.target) for c in bank.criteria}  # no gaps at all
    last_year = make(
        bank,
        {
            **full,
            "R-CASE-RIGOUR": Answer(1, None, "Scoping only"),
            "R-MKT-DIALOGUE": Answer(0),
            "S-EXPLORE": Answer("yes"),
        },
        id="aaaa0001",
        created="2025-01-10T09:00:00.000Z",
    )
    this_year = make(
        bank,
        {
            **full,
            "R-CASE-RIGOUR": Answer(3, None, "Full case to cabinet"),
            "R-MKT-DIALOGUE": Answer(2),
            "R-SCOPE-PACKAGE": Answer(1, None, "Package widened"),
            "S-EXPLORE": Answer("no"),
        },
        id="aaaa0002",
        created="2026-01-10T09:00:00.000Z",
    )
    return compare([this_year, last_year])


def officers(bank: Bank) -> Comparison:
    return compare(
        [
            make(
                bank, {"R-LEAD-OWNERSHIP": Answer(1, None, "Leader only")}, id="b1", assessor="Ann"
            ),
            make(bank, {"R-LEAD-OWNERSHIP": Answer(3)}, id="b2", assessor="Bob"),
            make(bank, {"R-LEAD-OWNERSHIP": Answer(4, None, "Minutes")}, id="b3", assessor="Cat"),
        ]
    )


def data(comparison: Comparison) -> dict:
    return json.loads(render_comparison(comparison, "json", date="2026-02-01"))


# ----------------------------------------------------------------------------
# JSON: every figure


def test_json_scores_side_by_side_with_exact_deltas(bank: Bank) -> None:
    c = series(bank)
    got = data(c)
    assert got["format"] == "assess-comparison" and got["kind"] == "over time"
    assert [a["id"] for a in got["assessments"]] == ["aaaa0001", "aaaa0002"]  # date order
    assert [a["label"] for a in got["assessments"]] == ["2025-01-10", "2026-01-10"]
    business = next(d for d in got["dimensions"] if d["id"] == "business-case")
    row = next(d for d in c.dimensions if d.id == "business-case")
    assert [s["exact"] for s in business["scores"]] == [str(s) for s in row.scores]
    assert business["deltas"][1]["exact"] == str(row.scores[1] - row.scores[0])
    assert business["change"]["exact"] == str(row.scores[1] - row.scores[0])
    assert business["trend"] == "up" and business["weight"] == 3
    scope = next(d for d in got["dimensions"] if d["id"] == "scope")
    # Scope: one criterion (weight 3) from target 3 to level 1: 75 → 25, down 50.
    assert [s["score"] for s in scope["scores"]] == [75.0, 25.0]
    assert scope["deltas"][1] == {"points": -50.0, "exact": "-50"}
    assert scope["trend"] == "down"
    overall = got["overall"]
    assert overall["deltas"][0] == {"points": 0.0, "exact": "0"}
    assert Fraction(overall["change"]["exact"]) == c.overall[1] - c.overall[0]


def test_json_changed_answers_have_both_evidence_notes(bank: Bank) -> None:
    got = data(series(bank))
    changes = {ch["id"]: ch for ch in got["changes"]}
    assert set(changes) == {"R-CASE-RIGOUR", "R-MKT-DIALOGUE", "R-SCOPE-PACKAGE", "S-EXPLORE"}
    before, after = changes["R-CASE-RIGOUR"]["answers"]
    assert (before["level"], before["evidence"]) == (1, "Scoping only")
    assert (after["level"], after["evidence"]) == (3, "Full case to cabinet")
    assert after["answer"] == "3 – Largely in place"
    assert [a["answer"] for a in changes["S-EXPLORE"]["answers"]] == ["Yes", "No"]


def test_json_gaps_closed_opened_and_persisting_with_points(bank: Bank) -> None:
    gaps = data(series(bank))["gaps"]
    assert gaps["between"] == ["aaaa0001", "aaaa0002"]
    # Gap points = D × w × (target − level). R-CASE-RIGOUR: 3 × 3 × (3 − 1) = 18, closed.
    # R-SCOPE-PACKAGE: 2 × 3 × (3 − 1) = 12, opened. R-MKT-DIALOGUE: 2 × 1, from
    # 2 × (3 − 0) = 6 to 2 × (3 − 2) = 2, persisting.
    assert [(g["id"], g["points_before"], g["points_after"]) for g in gaps["closed"]] == [
        ("R-CASE-RIGOUR", 18, None)
    ]
    assert [(g["id"], g["points_before"], g["points_after"]) for g in gaps["opened"]] == [
        ("R-SCOPE-PACKAGE", None, 12)
    ]
    [persisting] = gaps["persisting"]
    assert (persisting["id"], persisting["level_before"], persisting["level_after"]) == (
        "R-MKT-DIALOGUE",
        0,
        2,
    )
    assert (persisting["points_before"], persisting["points_after"]) == (6, 2)
    assert persisting["action"]


def test_json_disagreement_and_consensus_levels(bank: Bank) -> None:
    got = data(officers(bank))
    assert got["kind"] == "across officers"
    assert got["disagreements"] == ["R-LEAD-OWNERSHIP"]
    criteria = {c["id"]: c for c in got["criteria"]}
    assert criteria["R-LEAD-OWNERSHIP"] == {
        "id": "R-LEAD-OWNERSHIP",
        "levels": [1, 3, 4],
        "not_applicable": [False, False, False],
        "spread": 3,
        "disagreement": True,
    }
    assert criteria["R-PV-TEST"]["spread"] is None
    consensus = got["consensus"]
    assert consensus["complete"] and consensus["to_settle"] == []
    assert consensus["answers"]["R-LEAD-OWNERSHIP"]["value"] == 3
    assert "Ann: Leader only; Cat: Minutes" in consensus["answers"]["R-LEAD-OWNERSHIP"]["evidence"]
    items = {c["id"]: c for c in consensus["criteria"]}
    assert items["R-LEAD-OWNERSHIP"]["rule"] == "middle"
    assert [v["level"] for v in items["R-LEAD-OWNERSHIP"]["views"]] == [1, 3, 4]
    # Only ownership is rated: effective weight 3 × 3 = 9 at level 3, of Σe = 138 in all:
    # 100 × (9 × 3/4) / 138 = 225/46.
    assert consensus["overall"]["exact"] == str(Fraction(100 * 9 * 3, 4 * 138))
    assert consensus["range"]["lowest"] == consensus["range"]["highest"]
    assert data(series(bank))["consensus"] is None  # a series has nothing to settle


def test_json_consensus_with_items_to_settle_gives_a_range(bank: Bank) -> None:
    two = compare(
        [
            make(
                bank, {"R-LEAD-OWNERSHIP": Answer(1, None, "Leader only")}, id="b1", assessor="Ann"
            ),
            make(bank, {"R-LEAD-OWNERSHIP": Answer(4)}, id="b2", assessor="Bob"),
        ]
    )
    consensus = data(two)["consensus"]
    assert not consensus["complete"] and consensus["overall"] is None
    assert consensus["to_settle"] == ["R-LEAD-OWNERSHIP"]
    item = next(c for c in consensus["criteria"] if c["id"] == "R-LEAD-OWNERSHIP")
    assert item["rule"] == "to settle" and item["choices"] == [1, 2, 3, 4]
    assert item["views"][0] == {
        "officer": "Ann",
        "level": 1,
        "not_applicable": None,
        "evidence": "Leader only",
        "answered": True,
    }
    # 100 × (9 × level/4) / 138 for levels 1 and 4.
    assert consensus["range"]["lowest"]["exact"] == str(Fraction(100 * 9, 4 * 138))
    assert consensus["range"]["highest"]["exact"] == str(Fraction(100 * 9 * 4, 4 * 138))
    settled = data(two.with_settled({"R-LEAD-OWNERSHIP": 2}))["consensus"]
    assert settled["complete"] and settled["answers"]["R-LEAD-OWNERSHIP"]["value"] == 2


def test_json_names_the_shared_questions_when_banks_differ(bank: Bank) -> None:
    old = make(bank, {"R-MKT-DIALOGUE": Answer(4)}, id="v1", created="2025-01-01T00:00:00.000Z")
    new = make(newer_bank(bank), {}, id="v2", created="2026-01-01T00:00:00.000Z")
    got = data(compare([old, new]))
    assert got["bank"]["same_bank"] is False
    assert got["bank"]["versions"] == ["1.0.0", "1.1.0"]
    assert got["bank"]["left_out"] == ["R-MKT-DIALOGUE", "S-INNOVATION"]
    assert got["bank"]["shared_count"] == len(bank.questions) - 2
    assert "R-MKT-DIALOGUE" not in got["bank"]["shared"]


# ----------------------------------------------------------------------------
# The printed formats


def test_text_report_says_what_moved_and_why(bank: Bank) -> None:
    out = render_comparison(series(bank), "text", date="2026-02-01")
    assert out.startswith("Comparison over time: Borsetshire — Waste\n")
    assert "Over time: 2 assessments of Borsetshire — Waste" in out
    assert "partnering-readiness 1.0.0, the same for all" in out
    assert "Gaps closed since 2025-01-10 (1)" in out
    assert "Gaps opened since 2025-01-10 (1)" in out
    assert "Gaps persisting from 2025-01-10 to 2026-01-10 (1)" in out
    assert "2025-01-10: 1 – Planned. Evidence: Scoping only" in out
    assert "2026-01-10: 3 – Largely in place. Evidence: Full case to cabinet" in out
    assert "75.0   25.0 (−50.0)" in out  # scope, side by side with the change
    assert "▇▃ ▼ down" in out
    assert "How the comparison is worked out" in out and "gap points =" in out
    assert "Where the officers disagree" not in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_text_report_for_officers_lists_disagreements_and_consensus(bank: Bank) -> None:
    out = render_comparison(officers(bank), "text")
    flat = " ".join(out.split())
    ownership = bank.question("R-LEAD-OWNERSHIP")
    assert ownership is not None
    assert "Where the officers disagree" in out
    assert (
        f"• {ownership.text} Levels given: Ann 1 · Bob 3 · Cat 4 · 3 apart · consensus: 3 middle"
        in flat
    )
    assert "Ann (1): Leader only" in flat and "Bob (3): no evidence note" in flat
    assert "The officers' consensus" in out and "0 left to settle" in flat
    assert "Consensus score: 4.9 (Not ready)." in flat  # 225/46
    # Officer text names questions, never by id; ids are in the appendix only.
    body, appendix = out.split("Appendix: identifiers")
    assert "R-LEAD-OWNERSHIP" not in body and "R-LEAD-OWNERSHIP" in appendix


def test_text_report_when_banks_differ_names_what_was_left_out(bank: Bank) -> None:
    old = make(bank, {}, id="v1", created="2025-01-01T00:00:00.000Z")
    new = make(newer_bank(bank), {}, id="v2", created="2026-01-01T00:00:00.000Z")
    out = " ".join(render_comparison(compare([old, new]), "text").split())
    shared = len(bank.questions) - 2
    assert f"compared on the {shared} questions they share; 2 left out" in out
    dialogue, innovation = (bank.question(q) for q in ("R-MKT-DIALOGUE", "S-INNOVATION"))
    assert dialogue is not None and innovation is not None
    assert f"Left out (2): “{dialogue.text}”; “{innovation.text}”." in out


def test_many_assessments_are_split_into_tables_that_fit(bank: Bank) -> None:
    many = [
        make(
            bank,
            {"R-PV-TEST": Answer(i % 5)},
            id=f"c{i:07d}",
            created=f"20{10 + i}-01-01T00:00:00.000Z",
        )
        for i in range(10)
    ]
    c = compare(many)
    out = render_comparison(c, "text", width=80)
    assert max(len(line) for line in out.splitlines()) <= 80
    per_table = comparison_columns("text", 80)
    tables = [
        b
        for b in comparison_document(c, max_columns=per_table).blocks
        if isinstance(b, Table) and b.columns[0].title == "Dimension"
    ]
    assert len(tables) == -(-10 // per_table)
    assert sum(len(t.columns) - 1 for t in tables) == 10 + 1  # every column, and one trend
    assert tables[-1].columns[-1].title == "Trend"
    for label in c.labels:
        assert label in out
    # The trend draws every column, oldest first.
    overall = [line for line in out.splitlines() if line.startswith("Overall readiness")]
    assert any(line.rstrip().endswith(sparkline(c.overall) + " ▲ up") for line in overall)
    # The trend chart, in characters: the sparkline, then the first and last scores.
    first, last = (format_score(c.overall[i]) for i in (0, -1))
    assert overall[-1].split()[-4:] == [sparkline(c.overall), first, "→", last]


def test_markdown_and_html_hold_the_same_content(bank: Bank) -> None:
    c = series(bank)
    md = render_comparison(c, "markdown")
    assert md.startswith("# Comparison over time: Borsetshire — Waste")
    assert "| Scope of the service package | 75.0 | 25.0 (−50.0) | ▇▃ ▼ down |" in md
    assert "\n### Gaps closed since 2025-01-10 (1)\n" in md
    page = render_comparison(c, "html")
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(page)
    assert "<h1>Comparison over time: Borsetshire — Waste</h1>" in page
    assert '<th scope="col">Assessment</th>' in page  # the overall bars are per assessment
    assert "Full case to cabinet" in page


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_renders_every_kind(bank: Bank, fmt: str) -> None:
    for c in (series(bank), officers(bank)):
        out = render_comparison(c, fmt)
        assert out.strip()
        if fmt == "html":
            html5lib.HTMLParser(strict=True).parse(out)


# ----------------------------------------------------------------------------
# CSV


def test_csv_has_a_row_per_shared_question_with_each_answer(bank: Bank) -> None:
    c = officers(bank)
    rows = list(csv.reader(io.StringIO(render_comparison(c, "csv"), newline="")))
    header = rows[0]
    assert header[:5] == ["id", "instrument", "section", "question", "type"]
    assert header[5:8] == ["Ann: answer", "Ann: level", "Ann: evidence"]
    assert header[-6:] == [
        "differs",
        "spread",
        "disagreement",
        "consensus",
        "consensus_rule",
        "plan_outcome",
    ]
    assert [r[0] for r in rows[1:]] == list(c.shared_ids)
    row = dict(zip(header, next(r for r in rows if r[0] == "R-LEAD-OWNERSHIP"), strict=True))
    assert (row["Ann: level"], row["Bob: level"], row["Cat: level"]) == ("1", "3", "4")
    assert row["Ann: evidence"] == "Leader only"
    assert (row["differs"], row["spread"], row["disagreement"], row["consensus"]) == (
        "yes",
        "3",
        "yes",
        "3",
    )
    assert row["consensus_rule"] == "middle"
    unrated = dict(zip(header, next(r for r in rows if r[0] == "R-PV-TEST"), strict=True))
    assert (unrated["spread"], unrated["consensus"], unrated["differs"]) == ("", "", "no")


def test_csv_of_a_series_leaves_consensus_empty(bank: Bank) -> None:
    rows = list(csv.reader(io.StringIO(render_comparison(series(bank), "csv"), newline="")))
    header = rows[0]
    assert header[5] == "2025-01-10: answer"
    row = dict(zip(header, next(r for r in rows if r[0] == "R-CASE-RIGOUR"), strict=True))
    assert (row["2025-01-10: level"], row["2026-01-10: level"]) == ("1", "3")
    assert row["spread"] == "2" and row["consensus"] == ""


def test_signed_changes_round_half_away_from_zero() -> None:
    assert signed(Fraction(35)) == "+35.0"
    assert signed(Fraction(-25, 2)) == "−12.5"
    assert signed(Fraction(-1, 20)) == "−0.1"
    assert signed(Fraction(0)) == "±0.0"
    assert signed(None) == ""


def test_too_many_assessments_for_tables_get_a_summary_per_dimension(bank: Bank) -> None:
    many = [
        make(
            bank,
            {"R-PV-TEST": Answer(i % 5)},
            id=f"d{i:07d}",
            created=f"20{10 + i}-01-01T00:00:00.000Z",
        )
        for i in range(20)
    ]
    c = compare(many)
    tables = [
        b
        for b in comparison_document(c, max_columns=comparison_columns("text", 80)).blocks
        if isinstance(b, Table) and b.columns[0].title == "Dimension"
    ]
    [summary] = tables
    assert [col.title for col in summary.columns] == [
        "Dimension",
        "Baseline",
        "Last",
        "Change",
        "Lowest",
        "Highest",
        "Trend",
    ]
    value = next(row for row in summary.rows if row[0] == "Public value and users")
    row = next(d for d in c.dimensions if d.id == "public-value")
    scored = [s for s in row.scores if s is not None]
    assert value[1:6] == (
        format_score(row.scores[0]),
        format_score(row.scores[-1]),
        signed(row.change) or "–",
        format_score(min(scored)),
        format_score(max(scored)),
    )
    assert value[6] == f"{sparkline(row.scores)} {'▲ up' if row.trend == 'up' else '▼ down'}"
    out = render_comparison(c, "text")
    assert "the lowest and the highest of all 20" in " ".join(out.split())
    assert max(len(line) for line in out.splitlines()) <= 80
    # Markdown and HTML hold eight side by side: twenty make three tables there.
    md = render_comparison(c, "markdown")
    assert md.count("| Dimension |") == 3 and "| First |" not in md

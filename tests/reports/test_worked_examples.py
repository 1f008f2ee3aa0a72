"""Worked examples: scores computed by hand from DESIGN.md's rules, checked against the JSON report.

The arithmetic is written out in the comments so that a reader can follow it
with a pencil. The rules (DESIGN.md, "Scoring rules"):
  criterion score = level / 4 (unanswered = 0; n/a left out)
  dimension = 100 × Σ(weight × level/4) / Σ(weight) over applicable criteria
  overall   = Σ(dimension weight × dimension score) / Σ(dimension weight)
  band: ≥ 75 Ready, ≥ 50 Nearly ready, else Not ready; a critical criterion
        below level 2 caps the band at Not ready
  gap points = weight × (target − level); critical first, then points, then bank order

The bank (tests/reports/banks.py, worked_bank):
  lead   (dim weight 3): C1 w3 target 3 CRITICAL;        C2 w1 target 3
  case   (dim weight 2): C3 w2 target 4 (n/a allowed);   C4 w1 target 2
  client (dim weight 1): C5 w2 target 3 CRITICAL (n/a);  C6 w1 target 3
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from assess.domain.answers import Answer
from assess.domain.scoring import NEARLY_READY, NOT_READY, READY, band_for, format_score
from assess.reports import ReportMeta, build_report, render

from .banks import boundary_bank, levels, worked_bank


def _json(bank, answers) -> dict[str, Any]:
    built = build_report(ReportMeta("Anytown", date="2025-01-01"), bank, answers)
    return json.loads(render(built, "json"))


def _dims(report: dict[str, Any]) -> dict[str, float | None]:
    return {d["id"]: d["score"] for d in report["dimensions"]}


def test_a_partial_assessment() -> None:
    # C1=3, C2 unanswered, C3=2, C4 unanswered, C5=4, C6=1.
    report = _json(worked_bank(), levels(C1=3, C3=2, C5=4, C6=1))
    # lead   = 100 × (3×3/4 + 1×0/4) / (3+1) = 100 × (9/4) / 4 = 900/16 = 56.25 → "56.3" (half up)
    # case   = 100 × (2×2/4 + 1×0/4) / (2+1) = 100 × 1 / 3 = 33.33… → "33.3"
    # client = 100 × (2×4/4 + 1×1/4) / (2+1) = 100 × (9/4) / 3 = 75.0
    assert _dims(report) == {"lead": 56.3, "case": 33.3, "client": 75.0}
    assert [d["exact"] for d in report["dimensions"]] == ["225/4", "100/3", "75"]
    # overall = (3×225/4 + 2×100/3 + 1×75) / (3+2+1)
    #         = (2025/12 + 800/12 + 900/12) / 6 = (3725/12) / 6 = 3725/72 = 51.736… → "51.7"
    assert report["overall"]["score"] == 51.7
    assert report["overall"]["exact"] == "3725/72"
    # 50 ≤ 51.7 < 75 and no critical criterion below 2 (C1=3, C5=4): Nearly ready.
    assert report["overall"]["band"] == NEARLY_READY
    assert report["overall"]["capped_by"] == []
    # Gaps: C2 1×(3−0)=3; C3 2×(4−2)=4; C4 1×(2−0)=2; C6 1×(3−1)=2; C1 and C5 are at target.
    # None critical, so by points: C3 (4), C2 (3), then C4 and C6 (2 each) in bank order.
    assert [(g["id"], g["points"]) for g in report["gaps"]] == [
        ("C3", 4),
        ("C2", 3),
        ("C4", 2),
        ("C6", 2),
    ]
    # 4 of the 6 questions answered.
    assert report["completeness"]["questions_answered"] == 4
    assert report["completeness"]["exact"] == "2/3"
    assert [u["id"] for u in report["unanswered"]] == ["C2", "C4"]


def test_not_applicable_and_a_critical_cap() -> None:
    answers = {
        **levels(C1=1, C2=4, C4=2, C6=3),
        "C3": Answer(None, "No business case needed for a pilot"),
        "C5": Answer(None, "Client function out of scope"),
    }
    report = _json(worked_bank(), answers)
    # lead   = 100 × (3×1/4 + 1×4/4) / 4 = 100 × (7/4) / 4 = 700/16 = 43.75 → "43.8"
    # case   = C3 is n/a, so only C4: 100 × (1×2/4) / 1 = 50.0
    # client = C5 is n/a, so only C6: 100 × (1×3/4) / 1 = 75.0
    assert _dims(report) == {"lead": 43.8, "case": 50.0, "client": 75.0}
    # overall = (3×175/4 + 2×50 + 1×75) / 6 = (525/4 + 100 + 75) / 6 = (1225/4) / 6
    #         = 1225/24 = 51.041… → "51.0"
    assert report["overall"]["score"] == 51.0
    assert report["overall"]["exact"] == "1225/24"
    # 51.0 alone would be Nearly ready, but C1 is critical and at level 1 (< 2): Not ready.
    assert report["overall"]["uncapped_band"] == NEARLY_READY
    assert report["overall"]["band"] == NOT_READY
    assert report["overall"]["capped_by"] == ["C1"]
    # Gaps: C1 3×(3−1)=6 (critical); C4 at target 2; C6 at target 3; n/a criteria have none.
    assert [(g["id"], g["points"], g["critical"]) for g in report["gaps"]] == [("C1", 6, True)]
    assert [n["id"] for n in report["not_applicable"]] == ["C3", "C5"]
    # The printed report names the criterion that caps the band.
    text = render(build_report(ReportMeta("Anytown"), worked_bank(), answers), "text")
    assert "Band capped at Not ready because C1 is below level 2" in text
    assert "51.0 / 100" in text


def test_exactly_75_is_ready_even_with_a_critical_criterion_at_level_2() -> None:
    report = _json(worked_bank(), levels(C1=2, C2=2, C3=4, C4=4, C5=4, C6=4))
    # lead   = 100 × (3×2/4 + 1×2/4) / 4 = 100 × 2 / 4 = 50.0
    # case   = 100 × (2×4/4 + 1×4/4) / 3 = 100.0
    # client = 100 × (2×4/4 + 1×4/4) / 3 = 100.0
    # overall = (3×50 + 2×100 + 1×100) / 6 = 450 / 6 = 75 exactly → Ready (≥ 75).
    assert _dims(report) == {"lead": 50.0, "case": 100.0, "client": 100.0}
    assert report["overall"]["exact"] == "75"
    assert report["overall"]["score"] == 75.0
    # C1 is critical but at level 2, which is not below 2: no cap.
    assert report["overall"]["band"] == READY
    assert report["overall"]["capped_by"] == []
    # Gaps: C1 3×(3−2)=3 (critical, first); C2 1×(3−2)=1.
    assert [(g["id"], g["points"]) for g in report["gaps"]] == [("C1", 3), ("C2", 1)]


def test_just_under_75_shows_as_75_0_but_is_nearly_ready() -> None:
    # A: A1=4, A2=3, A3=1: Σ w×level = 3×4 + 3×3 + 1×1 = 22, Σ w = 7
    #    score = 100 × 22 / (4 × 7) = 2200/28 = 550/7 = 78.571…
    # B: B1=4, B2=4, B3=1, B4=0: Σ w×level = 12 + 12 + 2 + 0 = 26, Σ w = 9
    #    score = 100 × 26 / 36 = 650/9 = 72.222…
    # C: C1=3: score = 75
    # overall = (3×550/7 + 4×650/9 + 1×75) / 8
    #         = (14850/63 + 18200/63 + 4725/63) / 8 = (37775/63) / 8 = 37775/504 = 74.9504…
    # Shown to one decimal (half up) that is "75.0", but the band uses the exact
    # fraction, which is below 75: Nearly ready.
    report = _json(boundary_bank(), levels(A1=4, A2=3, A3=1, B1=4, B2=4, B3=1, B4=0, C1=3))
    assert report["overall"]["exact"] == "37775/504"
    assert report["overall"]["score"] == 75.0
    assert report["overall"]["band"] == NEARLY_READY
    assert [d["exact"] for d in report["dimensions"]] == ["550/7", "650/9", "75"]
    assert _dims(report) == {"A": 78.6, "B": 72.2, "C": 75.0}


def test_format_score_rounds_half_up_and_the_band_uses_the_exact_fraction() -> None:
    # 74.95 exactly: shown as "75.0" (half up), banded on 74.95 < 75.
    assert format_score(Fraction(1499, 20)) == "75.0"
    assert band_for(Fraction(1499, 20)) == NEARLY_READY
    # Just below 74.95 rounds down.
    assert format_score(Fraction(1499, 20) - Fraction(1, 10**9)) == "74.9"
    assert band_for(Fraction(75)) == READY
    assert band_for(Fraction(50)) == NEARLY_READY
    assert band_for(Fraction(4999, 100)) == NOT_READY
    assert format_score(Fraction(4999, 100)) == "50.0"
    # 56.25 → "56.3" and 43.75 → "43.8": half up, not banker's rounding.
    assert format_score(Fraction(225, 4)) == "56.3"
    assert format_score(Fraction(175, 4)) == "43.8"

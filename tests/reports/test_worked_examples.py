"""Worked examples: scores computed by hand from the scoring rules (version 2), checked
against the JSON report.

The arithmetic is written out in the comments so that a reader can follow it
with a pencil. The rules (docs/scoring.md):
  a criterion counts when asked, not n/a, and from_stage ≤ the assessment's stage
  effective weight e = D × w (dimension weight × criterion weight)
  overall   = 100 × Σ(e × level/4) / Σe over the criteria that count
  dimension = 100 × Σ(w × level/4) / Σw over its criteria that count (cases the same)
  band on the score as shown (one decimal, half up): ≥ 75.0 Ready, ≥ 50.0 Nearly ready
  caps: critical below level 2 → Not ready; critical at 2+ but below target → Nearly ready
  confidence: Red (critical < 2), Amber/Red (Not ready), Amber (Nearly ready),
              Amber/Green (Ready with a gap), Green (Ready, no gap)
  gap points = e × (target − level); critical first, then points, then bank order

The bank (tests/reports/banks.py, worked_bank), with each criterion's e = D × w:
  lead   (D 3): C1 w3 target 3 CRITICAL (e 9);         C2 w1 target 3 (e 3)
  case   (D 2): C3 w2 target 4, n/a allowed (e 4);     C4 w1 target 2 (e 2)
  client (D 1): C5 w2 target 3 CRITICAL, n/a (e 2);    C6 w1 target 3 (e 1)
  Σe over all six = 9 + 3 + 4 + 2 + 2 + 1 = 21
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.domain.confidence import AMBER, AMBER_GREEN, AMBER_RED, GREEN, RED
from assess.domain.scoring import NEARLY_READY, NOT_READY, READY, band_for, format_score
from assess.reports import ReportMeta, build_report, render

from .banks import boundary_bank, levels, staged_bank, worked_bank


def _json(bank: Bank, answers: dict[str, Answer], stage: int = 0) -> dict[str, Any]:
    built = build_report(ReportMeta("Anytown", date="2025-01-01", stage=stage), bank, answers)
    return json.loads(render(built, "json"))


def _dims(report: dict[str, Any]) -> dict[str, float | None]:
    return {d["id"]: d["score"] for d in report["dimensions"]}


def _shares(report: dict[str, Any]) -> dict[str, str | None]:
    return {c["id"]: c["share"] and c["share"]["exact"] for c in report["criteria"]}


def test_a_partial_assessment_with_effective_weights() -> None:
    # C1=3, C2 unanswered (counts as 0), C3=2, C4 unanswered, C5=4, C6=1.
    report = _json(worked_bank(), levels(C1=3, C3=2, C5=4, C6=1))
    # Dimensions weigh their own criteria by w:
    # lead   = 100 × (3×3/4 + 1×0/4) / (3+1) = 900/16 = 56.25 → "56.3" (half up)
    # case   = 100 × (2×2/4 + 1×0/4) / (2+1) = 100/3 = 33.33… → "33.3"
    # client = 100 × (2×4/4 + 1×1/4) / (2+1) = 75.0
    assert _dims(report) == {"lead": 56.3, "case": 33.3, "client": 75.0}
    assert [d["exact"] for d in report["dimensions"]] == ["225/4", "100/3", "75"]
    # Overall weighs every criterion by e = D × w, not by averaging the dimensions:
    # 100 × (9×3 + 3×0 + 4×2 + 2×0 + 2×4 + 1×1) / (4 × 21) = 100 × 44 / 84 = 1100/21
    #   = 52.38… → "52.4"
    assert report["overall"]["exact"] == "1100/21"
    assert report["overall"]["score"] == 52.4
    # Each criterion's share of the score is e ÷ Σe: C1 9/21 = 3/7, C2 3/21 = 1/7, ...
    assert _shares(report) == {
        "C1": "3/7",
        "C2": "1/7",
        "C3": "4/21",
        "C4": "2/21",
        "C5": "2/21",
        "C6": "1/21",
    }
    # 50.0 ≤ 52.4 < 75.0; C1 is critical at its target 3 and C5 at 4: no cap. Amber.
    assert report["overall"]["band"] == NEARLY_READY
    assert report["overall"]["caps"] == []
    assert report["overall"]["delivery_confidence"]["suggested"] == AMBER
    # Gap points e × (t − level): C2 3×(3−0) = 9; C3 4×(4−2) = 8; C4 2×(2−0) = 4;
    # C6 1×(3−1) = 2. None is critical, so by points.
    assert [(g["id"], g["points"]) for g in report["gaps"]] == [
        ("C2", 9),
        ("C3", 8),
        ("C4", 4),
        ("C6", 2),
    ]
    # 4 of the 6 questions answered.
    assert report["completeness"]["questions_answered"] == 4
    assert report["completeness"]["exact"] == "2/3"
    assert [u["id"] for u in report["unanswered"]] == ["C2", "C4"]


def test_not_applicable_and_the_not_ready_cap() -> None:
    answers = {
        **levels(C1=1, C2=4, C4=4, C6=4),
        "C3": Answer(None, "No business case needed for a pilot"),
        "C5": Answer(None, "Client function out of scope"),
    }
    report = _json(worked_bank(), answers)
    # C3 and C5 are n/a: they leave both sides. Σe = 9 + 3 + 2 + 1 = 15.
    # overall = 100 × (9×1 + 3×4 + 2×4 + 1×4) / (4 × 15) = 100 × 33 / 60 = 55.0 exactly
    assert report["overall"]["exact"] == "55"
    assert _shares(report) == {
        "C1": "3/5",
        "C2": "1/5",
        "C3": None,
        "C4": "2/15",
        "C5": None,
        "C6": "1/15",
    }
    # lead = 100 × (3×1/4 + 1×4/4) / 4 = 700/16 = 43.75 → "43.8"; case and client = 100.
    assert _dims(report) == {"lead": 43.8, "case": 100.0, "client": 100.0}
    # 55.0 alone is Nearly ready, but C1 is critical at level 1 (< 2): capped at Not ready.
    assert report["overall"]["uncapped_band"] == NEARLY_READY
    assert report["overall"]["band"] == NOT_READY
    assert report["overall"]["caps"] == [{"id": "C1", "band": NOT_READY}]
    # A critical criterion below level 2: Red.
    assert report["overall"]["delivery_confidence"]["suggested"] == RED
    # Gaps: C1 9×(3−1) = 18 (critical). C4 4 ≥ target 2, C6 at 4; n/a criteria have none.
    assert [(g["id"], g["points"], g["critical"]) for g in report["gaps"]] == [("C1", 18, True)]
    assert [n["id"] for n in report["not_applicable"]] == ["C3", "C5"]
    # The printed report names the capping criterion by its question.
    text = render(build_report(ReportMeta("Anytown"), worked_bank(), answers), "text", width=200)
    assert (
        "Band capped at Not ready: “Is C1 in place?” is a critical criterion below level 2" in text
    )
    assert "Without the cap the score would be banded Nearly ready." in text
    assert "55.0 / 100" in text


def test_a_critical_criterion_at_level_2_below_target_caps_at_nearly_ready() -> None:
    report = _json(worked_bank(), levels(C1=2, C2=4, C3=4, C4=4, C5=4, C6=4))
    # overall = 100 × (9×2 + 3×4 + 4×4 + 2×4 + 2×4 + 1×4) / 84 = 100 × 66 / 84 = 550/7
    #   = 78.57… → "78.6", Ready on its own.
    assert report["overall"]["exact"] == "550/7"
    assert report["overall"]["uncapped_band"] == READY
    # C1 is critical, at level 2 but below its target of 3: capped at Nearly ready. Amber.
    assert report["overall"]["band"] == NEARLY_READY
    assert report["overall"]["caps"] == [{"id": "C1", "band": NEARLY_READY}]
    assert report["overall"]["delivery_confidence"]["suggested"] == AMBER
    # lead = 100 × (3×2 + 1×4) / 16 = 62.5
    assert _dims(report)["lead"] == 62.5
    assert [(g["id"], g["points"]) for g in report["gaps"]] == [("C1", 9)]
    text = render(build_report(ReportMeta("A"), worked_bank(), levels(C1=2)), "text", width=200)
    assert (
        "Band capped at Nearly ready: “Is C1 in place?” is a critical criterion at level 2" in text
    )


@pytest.mark.parametrize(
    ("given", "exact", "band", "confidence"),
    [
        # C1 at 0: 100 × (0 + 3×4 + 4×4 + 2×4 + 2×4 + 1×4) / 84 = 4800/84 = 400/7 = 57.1;
        # Nearly ready on the score, but a critical criterion below 2: Red.
        (dict(C1=0, C2=4, C3=4, C4=4, C5=4, C6=4), "400/7", NOT_READY, RED),
        # C1 and C5 at 2, the rest at 1: 100 × (18 + 3 + 4 + 2 + 4 + 1) / 84 = 3200/84
        #   = 800/21 = 38.1: Not ready, and no critical criterion below 2: Amber/Red.
        (dict(C1=2, C2=1, C3=1, C4=1, C5=2, C6=1), "800/21", NOT_READY, AMBER_RED),
        # As in the partial example: Nearly ready, no cap: Amber.
        (dict(C1=3, C3=2, C5=4, C6=1), "1100/21", NEARLY_READY, AMBER),
        # All at 4 but C2 at 2: 100 × (36 + 6 + 16 + 8 + 8 + 4) / 84 = 7800/84 = 650/7 = 92.9;
        # Ready, with C2 below target (3 × 1 = 3 gap points): Amber/Green.
        (dict(C1=4, C2=2, C3=4, C4=4, C5=4, C6=4), "650/7", READY, AMBER_GREEN),
        # Everything at 4: 100, Ready, no gap: Green.
        (dict(C1=4, C2=4, C3=4, C4=4, C5=4, C6=4), "100", READY, GREEN),
    ],
)
def test_each_delivery_confidence_rating(
    given: dict[str, int], exact: str, band: str, confidence: str
) -> None:
    report = _json(worked_bank(), levels(**given))
    assert report["overall"]["exact"] == exact
    assert report["overall"]["band"] == band
    assert report["overall"]["delivery_confidence"]["suggested"] == confidence


def test_stage_filtering_leaves_later_criteria_out_until_their_stage() -> None:
    # staged_bank: lead (D 3) with C1 w3 critical (e 9), C2 w1 (e 3), and C7 w2 critical
    # from stage 3 (e 6).
    answers = levels(C1=4, C2=3)
    at_options = _json(staged_bank(), answers, stage=1)
    # At stage 1, C7 does not count: Σe = 12; 100 × (9×4 + 3×3) / (4 × 12) = 4500/48 = 93.75
    # → "93.8": Ready; no gap (C2 is at its target), so Green. C7, unrated and critical,
    # neither caps the band nor is a gap: it comes at a later stage.
    assert at_options["overall"]["exact"] == "375/4"
    assert at_options["overall"]["band"] == READY
    assert at_options["overall"]["delivery_confidence"]["suggested"] == GREEN
    assert at_options["gaps"] == []
    assert at_options["later_stage"] == [{"id": "C7", "from_stage": 3}]
    # Nor does it make the assessment incomplete: 2 of the 2 questions asked are answered.
    assert at_options["completeness"]["questions_shown"] == 2
    assert at_options["unanswered"] == []
    # At stage 3 it counts, unrated as 0: Σe = 18; 100 × 45 / 72 = 62.5; critical below 2:
    # capped at Not ready, Red, and it is the first gap: 6 × (3 − 0) = 18 points.
    at_award = _json(staged_bank(), answers, stage=3)
    assert at_award["overall"]["exact"] == "125/2"
    assert at_award["overall"]["band"] == NOT_READY
    assert at_award["overall"]["caps"] == [{"id": "C7", "band": NOT_READY}]
    assert at_award["overall"]["delivery_confidence"]["suggested"] == RED
    assert [(g["id"], g["points"]) for g in at_award["gaps"]] == [("C7", 18)]
    assert at_award["later_stage"] == []
    # The five-case scores: strategic = C1, C2 (w 3 and 1); commercial = C1 and, from
    # stage 3, C7 (w 3 and 2). At stage 1 commercial is C1 alone: 100.
    cases = {c["id"]: c["exact"] for c in at_options["cases"]}
    assert cases == {"strategic": str(Fraction(100 * (3 * 4 + 1 * 3), 4 * 4)), "commercial": "100"}
    # At stage 3: commercial = 100 × (3×4 + 2×0) / (4 × 5) = 60.
    assert {c["id"]: c["exact"] for c in at_award["cases"]}["commercial"] == "60"
    text = render(build_report(ReportMeta("A", stage=1), staged_bank(), answers), "text", width=200)
    assert "Coming at a later stage" in text and "Is C7 in place?" in text


def test_a_score_shown_as_75_0_is_ready() -> None:
    # boundary_bank: 250 criteria of weight 2 and one of weight 1 in one dimension of
    # weight 1, so Σe = 501. All the weight-2 ones at level 3 and L at level 2:
    # Σ(e × level) = 250 × 2 × 3 + 1 × 2 = 1502, overall = 100 × 1502 / (4 × 501)
    #   = 37550/501 = 74.9500…, shown to one decimal (half up) as "75.0".
    # The band is decided on the score as shown, so the number and the band agree: Ready.
    answers = {f"W{n}": Answer(3) for n in range(1, 251)} | {"L": Answer(2)}
    report = _json(boundary_bank(), answers)
    assert report["overall"]["exact"] == "37550/501"
    assert report["overall"]["score"] == 75.0
    assert report["overall"]["band"] == READY
    # One level less anywhere drops the shown score below 75.0: Nearly ready.
    lower = _json(boundary_bank(), answers | {"L": Answer(1)})
    assert lower["overall"]["score"] == 74.9
    assert lower["overall"]["band"] == NEARLY_READY


def test_format_score_rounds_half_up_and_the_band_follows_the_shown_score() -> None:
    # 5772/77 = 74.961…: shown as "75.0", so banded Ready.
    assert format_score(Fraction(5772, 77)) == "75.0"
    assert band_for(Fraction(5772, 77)) == READY
    # 74.95 exactly is shown as "75.0" (half up): Ready; just below it is "74.9".
    assert format_score(Fraction(1499, 20)) == "75.0"
    assert band_for(Fraction(1499, 20)) == READY
    assert format_score(Fraction(1499, 20) - Fraction(1, 10**9)) == "74.9"
    assert band_for(Fraction(1499, 20) - Fraction(1, 10**9)) == NEARLY_READY
    # 49.95 shows as "50.0": Nearly ready; 49.9 is Not ready.
    assert band_for(Fraction(4995, 100)) == NEARLY_READY
    assert band_for(Fraction(499, 10)) == NOT_READY
    # 56.25 → "56.3" and 43.75 → "43.8": half up, not banker's rounding.
    assert format_score(Fraction(225, 4)) == "56.3"
    assert format_score(Fraction(175, 4)) == "43.8"

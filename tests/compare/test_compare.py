"""Comparisons of hand-built assessments: deltas, changes, gaps, disagreement, consensus."""

from __future__ import annotations

from fractions import Fraction

import pytest

from assess.domain.answers import Answer
from assess.domain.assessment import Assessment
from assess.domain.bank import Bank
from assess.domain.compare import (
    ACROSS_OFFICERS,
    ACROSS_SERVICES,
    MIXED,
    OVER_TIME,
    compare,
    describe_kind,
    detect_kind,
    kind_and_reason,
)
from assess.domain.errors import BadInput

from .support import edited_bank, make


@pytest.fixture(scope="module")
def bank(v1_bank: Bank) -> Bank:
    # The figures below are worked out by hand on version 1.0.0 of the bank.
    return v1_bank


def test_scores_side_by_side_with_deltas(bank: Bank) -> None:
    last_year = make(
        bank,
        {"R-LEAD-OWNERSHIP": Answer(2), "R-LEAD-REALISM": Answer(2)},
        id="a1",
        created="2025-01-10T09:00:00.000Z",
    )
    this_year = make(
        bank,
        {"R-LEAD-OWNERSHIP": Answer(3), "R-LEAD-REALISM": Answer(4)},
        id="a2",
        created="2026-01-10T09:00:00.000Z",
    )
    # Given newest first; a series over time is put in date order.
    result = compare([this_year, last_year])
    assert result.kind == OVER_TIME
    assert [c.id for c in result.columns] == ["a1", "a2"]
    leadership = next(d for d in result.dimensions if d.id == "leadership")
    # 2025: 100 × (3×2/4 + 2×2/4) / 5 = 50.  2026: 100 × (3×3/4 + 2×4/4) / 5 = 85.
    assert leadership.scores == (Fraction(50), Fraction(85))
    assert leadership.deltas == (Fraction(0), Fraction(35))
    assert leadership.trend == "up"
    # Overall: effective weights 3×3 = 9 and 3×2 = 6 of Σe = 138 over the whole bank.
    # 2025: 100 × (9×2/4 + 6×2/4) / 138 = 750/138 = 125/23.
    # 2026: 100 × (9×3/4 + 6×4/4) / 138 = 1275/138 = 425/46.
    assert result.overall == (Fraction(125, 23), Fraction(425, 46))
    assert result.overall_deltas[1] == Fraction(175, 46)
    untouched = next(d for d in result.dimensions if d.id == "scope")
    assert untouched.trend == "flat"


def test_changed_answers_carry_both_evidence_notes(bank: Bank) -> None:
    a = make(
        bank, {"R-CASE-RIGOUR": Answer(1, None, "Scoping only"), "S-EXPLORE": Answer("yes")}, id="a"
    )
    b = make(
        bank,
        {
            "R-CASE-RIGOUR": Answer(3, None, "Full case to cabinet"),
            "S-EXPLORE": Answer("yes", None, "x"),
        },
        id="b",
        created="2026-06-01T00:00:00.000Z",
    )
    result = compare([a, b])
    changed = {c.question.id: c for c in result.changes}
    # Only the value counts as a change; a new note on the same value does not.
    assert set(changed) == {"R-CASE-RIGOUR"}
    before, after = changed["R-CASE-RIGOUR"].answers
    assert (before.level, before.evidence) == (1, "Scoping only")
    assert (after.level, after.evidence) == (3, "Full case to cabinet")


def test_gaps_closed_opened_and_persisting(bank: Bank) -> None:
    full = {c.id: Answer(c.target) for c in bank.criteria}  # no gaps at all
    first = make(
        bank,
        {**full, "R-CASE-RIGOUR": Answer(1), "R-MKT-DIALOGUE": Answer(0)},
        id="f",
        created="2025-01-01T00:00:00.000Z",
    )
    last = make(
        bank,
        {**full, "R-MKT-DIALOGUE": Answer(2), "R-SCOPE-PACKAGE": Answer(1)},
        id="l",
        created="2026-01-01T00:00:00.000Z",
    )
    result = compare([first, last])
    # Gap points = D × w × (target − level).
    # R-CASE-RIGOUR: 3 × 3 × (3 − 1) = 18, closed.  R-SCOPE-PACKAGE: 2 × 3 × (3 − 1) = 12, opened.
    # R-MKT-DIALOGUE: 2 × 1, from 2 × (3 − 0) = 6 to 2 × (3 − 2) = 2, persisting.
    assert [(g.criterion_id, g.points_before, g.points_after) for g in result.gaps_closed] == [
        ("R-CASE-RIGOUR", 18, None)
    ]
    assert [(g.criterion_id, g.points_before, g.points_after) for g in result.gaps_opened] == [
        ("R-SCOPE-PACKAGE", None, 12)
    ]
    assert [(g.criterion_id, g.points_before, g.points_after) for g in result.gaps_persisting] == [
        ("R-MKT-DIALOGUE", 6, 2)
    ]


def three_officers(bank: Bank) -> list[Assessment]:
    ann = {
        "R-LEAD-OWNERSHIP": Answer(1),
        "R-CASE-RIGOUR": Answer(2),
        "R-FIT-WELLBEING": Answer(None, "County"),
    }
    bob = {
        "R-LEAD-OWNERSHIP": Answer(3),
        "R-CASE-RIGOUR": Answer(2),
        "R-FIT-WELLBEING": Answer(None, "Not ours"),
    }
    cat = {"R-LEAD-OWNERSHIP": Answer(4), "R-CASE-RIGOUR": Answer(3)}
    for answers in (ann, bob, cat):
        answers["S-EXPLORE"] = Answer("yes")
    ann["S-MECHANISM"] = Answer("joint-venture")
    bob["S-MECHANISM"] = Answer("fixed-term")
    return [
        make(bank, ann, id="o1", assessor="Ann", created="2026-03-01T00:00:00.000Z"),
        make(bank, bob, id="o2", assessor="Bob", created="2026-03-04T00:00:00.000Z"),
        make(bank, cat, id="o3", assessor="Cat", created="2026-03-09T00:00:00.000Z"),
    ]


def test_disagreement_between_officers(bank: Bank) -> None:
    result = compare(three_officers(bank))
    assert result.kind == ACROSS_OFFICERS
    spreads = {s.question.id: s for s in result.spreads}
    ownership = spreads["R-LEAD-OWNERSHIP"]
    assert ownership.levels == (1, 3, 4)
    assert ownership.spread == 3 and ownership.disagreement
    assert not spreads["R-CASE-RIGOUR"].disagreement  # 2, 2, 3: one level apart
    assert spreads["R-CASE-RIGOUR"].spread == 1
    assert spreads["R-SCOPE-PACKAGE"].spread is None  # nobody rated it
    assert [s.question.id for s in result.disagreements] == ["R-LEAD-OWNERSHIP"]


def test_different_bank_versions_compare_on_shared_questions(bank: Bank) -> None:
    def edit(text: str) -> str:
        text = text.replace('version: "1.0.0"', 'version: "1.1.0"')
        # Drop R-MKT-DIALOGUE and change one of S-INNOVATION's options.
        start = text.index("          - id: R-MKT-DIALOGUE")
        end = text.index("      - id: stakeholders")
        text = text[:start] + text[end:]
        text = text.replace("{high: 41, medium: 48, low: 11}", "{high: 41, medium: 48}")
        return text.replace("{id: low, label: Low importance}", "{id: none, label: Not important}")

    newer = edited_bank(edit)
    assert newer.version == "1.1.0"
    old = make(
        bank,
        {"R-MKT-DIALOGUE": Answer(4), "R-MKT-CAPACITY": Answer(2)},
        id="v1",
        created="2025-01-01T00:00:00.000Z",
    )
    new = make(newer, {"R-MKT-CAPACITY": Answer(3)}, id="v2", created="2026-01-01T00:00:00.000Z")
    result = compare([old, new])
    assert result.left_out == ("R-MKT-DIALOGUE", "S-INNOVATION")
    assert result.shared_count == len(bank.questions) - 2
    assert not result.same_bank
    market = next(d for d in result.dimensions if d.id == "market")
    # Without R-MKT-DIALOGUE, market = research (w2) + capacity (w2):
    # old 100 × (2×2/4) / 4 = 25 (its dialogue 4 is not counted); new 100 × (2×3/4) / 4 = 37.5.
    assert market.scores == (Fraction(25), Fraction(75, 2))


def test_kinds(bank: Bank) -> None:
    a = make(bank, {}, id="k1", service="Waste")
    assert detect_kind([a, make(bank, {}, id="k2", service="Leisure")]) == ACROSS_SERVICES
    assert detect_kind([a, make(bank, {}, id="k3", authority="Felpersham")]) == MIXED
    assert detect_kind([a, make(bank, {}, id="k4", assessor="Bob")]) == ACROSS_OFFICERS
    later = make(bank, {}, id="k5", assessor="Bob", created="2027-01-01T00:00:00.000Z")
    # With no period given, assessments a year apart are a series.
    assert detect_kind([a, later]) == OVER_TIME
    assert detect_kind([a, make(bank, {}, id="k6", service=" waste ")]) == OVER_TIME


def test_a_comparison_needs_two_different_assessments(bank: Bank) -> None:
    a = make(bank, {}, id="s1")
    with pytest.raises(BadInput, match="at least two"):
        compare([a])
    with pytest.raises(BadInput, match="named twice"):
        compare([a, a])


# ----------------------------------------------------------------------------
# Column labels, kinds and their description


def test_labels_tell_the_columns_apart_in_the_words_of_the_kind(bank: Bank) -> None:
    series = compare(
        [
            make(bank, {}, id="t1", created="2025-01-10T09:00:00.000Z"),
            make(bank, {}, id="t2", created="2026-01-10T09:00:00.000Z"),
            make(bank, {}, id="t3", created="2026-01-10T15:30:00.000Z"),
        ]
    )
    # Two on one day are told apart by the time; the other keeps the date alone.
    assert series.labels == ("2025-01-10", "2026-01-10 · 09:00", "2026-01-10 · 15:30")
    officers = compare(
        [
            make(bank, {}, id="o1", assessor="Ann"),
            make(bank, {}, id="o2", assessor="Bob"),
            make(bank, {}, id="o3", assessor="Ann Smith-Watson of the Borough"),
        ]
    )
    assert officers.kind == ACROSS_OFFICERS
    # Officers' names are the headings, whole, however long.
    assert officers.labels == ("Ann", "Bob", "Ann Smith-Watson of the Borough")
    periods = compare(
        [make(bank, {}, id="p1", period="2026/27"), make(bank, {}, id="p2", period="2027/28")]
    )
    assert periods.labels == ("2026/27", "2027/28")
    services = compare(
        [make(bank, {}, id="s1", service="Waste"), make(bank, {}, id="s2", service="")]
    )
    assert services.labels == ("Waste", "no service named")


def test_the_kind_can_be_chosen_but_officers_need_one_subject(bank: Bank) -> None:
    a = make(bank, {}, id="k1", assessor="Ann", created="2025-01-10T09:00:00.000Z")
    b = make(bank, {}, id="k2", assessor="Bob")
    # Months apart, so it looks like a series; the officer says it is two views.
    assert compare([a, b]).kind == OVER_TIME
    chosen = compare([a, b], ACROSS_OFFICERS)
    assert (chosen.kind, chosen.detected_kind) == (ACROSS_OFFICERS, OVER_TIME)
    assert "Chosen by you" in describe_kind(chosen)
    with pytest.raises(BadInput, match="same authority and service"):
        compare([a, make(bank, {}, id="k3", service="Leisure")], ACROSS_OFFICERS)
    with pytest.raises(BadInput, match="not a kind"):
        compare([a, b], "sideways")


def test_each_kind_is_described_in_plain_english(bank: Bank) -> None:
    a = make(bank, {}, id="d1", created="2025-01-10T09:00:00.000Z")
    b = make(bank, {}, id="d2")
    assert describe_kind(compare([a, b])).startswith(
        "Over time: 2 assessments of Borsetshire — Waste, from 2025-01-10 to 2026-01-10"
    )
    assert "2 services of Borsetshire" in describe_kind(
        compare([a, make(bank, {}, id="d3", service="Leisure")])
    )
    assert "2 different authorities" in describe_kind(
        compare([a, make(bank, {}, id="d4", authority="Felpersham")])
    )
    assert "officers' views" in describe_kind(compare([b, make(bank, {}, id="d5", assessor="X")]))


# ----------------------------------------------------------------------------
# What counts as a change


def test_hidden_answers_and_the_order_of_a_multiple_choice_are_not_changes(bank: Bank) -> None:
    # S-SERVICES is only asked when S-EXPLORE is yes; an answer kept from before
    # the officer said no is not part of that assessment any more.
    a = make(
        bank,
        {"S-EXPLORE": Answer("no"), "S-SERVICES": Answer(("ict", "waste"))},
        id="h1",
        created="2025-01-10T09:00:00.000Z",
    )
    b = make(bank, {"S-EXPLORE": Answer("no")}, id="h2")
    assert compare([a, b]).changes == ()
    shown_a = make(
        bank, {"S-EXPLORE": Answer("yes"), "S-SERVICES": Answer(("ict", "waste"))}, id="m1"
    )
    shown_b = make(
        bank, {"S-EXPLORE": Answer("yes"), "S-SERVICES": Answer(("waste", "ict"))}, id="m2"
    )
    assert compare([shown_a, shown_b]).changes == ()
    shown_c = make(bank, {"S-EXPLORE": Answer("yes"), "S-SERVICES": Answer(("waste",))}, id="m3")
    assert [c.question.id for c in compare([shown_a, shown_c]).changes] == ["S-SERVICES"]


def test_gap_changes_carry_levels_and_the_dimension_trend(bank: Bank) -> None:
    full = {c.id: Answer(c.target) for c in bank.criteria}
    first = make(
        bank, {**full, "R-PV-TEST": Answer(0)}, id="g1", created="2025-01-01T00:00:00.000Z"
    )
    last = make(bank, {**full, "R-PV-TEST": Answer(2)}, id="g2", created="2026-01-01T00:00:00.000Z")
    result = compare([first, last])
    [gap] = result.gaps_persisting
    assert (gap.criterion_id, gap.level_before, gap.level_after) == ("R-PV-TEST", 0, 2)
    assert gap.question.critical
    value = next(d for d in result.dimensions if d.id == "public-value")
    assert value.change is not None and value.change > 0 and value.trend == "up"
    assert result.overall_row.change == result.overall[1] - result.overall[0]
    down = compare([last, make(bank, full, id="g3", created="2024-01-01T00:00:00.000Z")])
    assert [c.id for c in down.columns] == ["g3", "g2"]
    assert next(d for d in down.dimensions if d.id == "public-value").trend == "down"


# ----------------------------------------------------------------------------
# Periods, kinds and the baseline


def test_over_time_goes_by_period_then_by_when_made(bank: Bank) -> None:
    # Made in the opposite order to their periods: the period decides.
    later_period = make(bank, {}, id="a", period="2027/28", created="2026-01-01T00:00:00.000Z")
    earlier_period = make(bank, {}, id="b", period="2026/27", created="2027-06-01T00:00:00.000Z")
    as_at = make(bank, {}, id="c", period="as at 2026-12-01", created="2026-12-02T00:00:00.000Z")
    result = compare([later_period, as_at, earlier_period])
    assert result.kind == OVER_TIME
    # 2026/27 starts 1 April 2026, "as at 2026-12-01" that day, 2027/28 on 1 April 2027.
    assert [c.id for c in result.columns] == ["b", "c", "a"]
    same = [
        make(bank, {}, id="x", period="2026/27", created="2026-09-01T00:00:00.000Z"),
        make(bank, {}, id="y", period="2026/27", created="2026-05-01T00:00:00.000Z"),
    ]
    assert [c.id for c in compare(same).columns] == ["y", "x"]


def test_the_kind_is_worked_out_from_the_period_and_the_assessor(bank: Bank) -> None:
    ann = make(bank, {}, id="a1", assessor="Ann", period="2026/27")
    # Another officer, same period: their views, even a year after.
    bob = make(bank, {}, id="b1", assessor="Bob", period="2026/27", created="2027-02-01T00:00Z")
    assert kind_and_reason([ann, bob]) == (
        ACROSS_OFFICERS,
        "one authority, service and period (2026/27), 2 different assessors",
    )
    # Another period, whoever made it: over time.
    next_year = make(bank, {}, id="a2", assessor="Bob", period="2027/28")
    kind, reason = kind_and_reason([ann, next_year])
    assert kind == OVER_TIME and "different periods (2026/27, 2027/28)" in reason
    assert detect_kind([ann, make(bank, {}, id="a3", service="Leisure")]) == ACROSS_SERVICES


def test_changes_are_measured_from_the_baseline(bank: Bank) -> None:
    years = [
        make(bank, {"R-LEAD-OWNERSHIP": Answer(level)}, id=f"y{n}", period=period)
        for n, (level, period) in enumerate(((1, "2025/26"), (2, "2026/27"), (4, "2027/28")))
    ]
    default = compare(years)
    assert default.baseline.id == "y0" and not default.baseline_chosen
    leadership = next(d for d in default.dimensions if d.id == "leadership")
    chosen = compare(years, baseline="y1")
    assert chosen.baseline_index == 1 and chosen.baseline_chosen
    # Still in period order; the changes are from 2026/27, before it and after it.
    assert [c.id for c in chosen.columns] == ["y0", "y1", "y2"]
    moved = next(d for d in chosen.dimensions if d.id == "leadership")
    assert moved.deltas[1] == 0
    assert moved.deltas[0] == leadership.scores[0] - leadership.scores[1] < 0
    assert moved.change == leadership.scores[2] - leadership.scores[1] > 0
    assert chosen.overall_row.trend == "up"
    assert "measured from 2026/27 (the baseline you chose)" in describe_kind(chosen)
    # The latest cannot be the baseline over time; an assessment not compared cannot either.
    with pytest.raises(BadInput, match="is the latest"):
        compare(years, baseline="y2")
    with pytest.raises(BadInput, match="not one of the assessments compared"):
        compare(years, baseline="zz")


def test_another_kind_puts_its_baseline_first(bank: Bank) -> None:
    waste = make(bank, {"R-PV-TEST": Answer(1)}, id="w", service="Waste")
    leisure = make(bank, {"R-PV-TEST": Answer(3)}, id="l", service="Leisure")
    result = compare([waste, leisure], baseline="l")
    assert [c.id for c in result.columns] == ["l", "w"] and result.baseline_index == 0
    assert result.overall_deltas[1] is not None and result.overall_deltas[1] < 0
    assert [g.question.id for g in result.gaps_closed] == []
    assert [g.question.id for g in result.gaps_opened][:1] == ["R-PV-TEST"]


def test_one_view_per_officer_with_a_warning(bank: Bank) -> None:
    early = make(bank, {}, id="a1", assessor="Ann", created="2026-01-02T00:00:00.000Z")
    late = make(bank, {}, id="a2", assessor="ann", created="2026-01-20T00:00:00.000Z")
    bob = make(bank, {}, id="b1", assessor="Bob", created="2026-01-05T00:00:00.000Z")
    result = compare([early, bob, late])
    assert result.kind == ACROSS_OFFICERS
    assert [c.id for c in result.columns] == ["b1", "a2"]
    assert [(s.assessment.id, s.kept.id) for s in result.set_aside] == [("a1", "a2")]
    [warning] = result.warnings
    # Names are told apart as officers type them: "Ann" and "ann" are one officer.
    assert warning == (
        "ann has 2 assessments here; only the latest (made 2026-01-20) is compared as their "
        "view, and the other is left out (made 2026-01-02)."
    )
    with pytest.raises(BadInput, match="its officer's latest"):
        compare([early, bob, late], baseline="a1")
    with pytest.raises(BadInput, match="all by ANN"):
        compare([early, make(bank, {}, id="a3", assessor="ANN")], ACROSS_OFFICERS)


# ----------------------------------------------------------------------------
# What became of the action plan


def test_each_plan_outcome_over_time(bank: Bank) -> None:
    from assess.domain.plan import (
        DONE_AND_ROSE,
        DONE_NOT_ROSE,
        NEW_GAP,
        NOT_DONE,
        PlanEntry,
    )

    full = {c.id: Answer(c.target) for c in bank.criteria}  # no gaps at all
    low = {"R-LEAD-OWNERSHIP": Answer(1), "R-CASE-RIGOUR": Answer(1), "R-PV-TEST": Answer(1)}
    plan = {
        qid: PlanEntry(qid, bank.question(qid).action, owner="Jo", status=status)  # type: ignore[union-attr]
        for qid, status in (
            ("R-LEAD-OWNERSHIP", "done"),
            ("R-CASE-RIGOUR", "done"),
            ("R-PV-TEST", "in progress"),
        )
    }
    before = make(bank, {**full, **low}, id="p1", period="2026/27", plan=plan)
    after = make(
        bank,
        {
            **full,
            "R-LEAD-OWNERSHIP": Answer(3),  # done, and it rose
            "R-CASE-RIGOUR": Answer(1),  # done, but it did not rise
            "R-PV-TEST": Answer(1),  # not done
            "R-MKT-DIALOGUE": Answer(0),  # a new gap, with no entry
        },
        id="p2",
        period="2027/28",
        plan={"R-PV-TEST": plan["R-PV-TEST"]},  # the open entry carried across
    )
    result = compare([after, before])
    outcomes = {o.question.id: o.outcome for o in result.plan_outcomes}
    assert outcomes == {
        "R-LEAD-OWNERSHIP": DONE_AND_ROSE,
        "R-CASE-RIGOUR": DONE_NOT_ROSE,
        "R-PV-TEST": NOT_DONE,
        "R-MKT-DIALOGUE": NEW_GAP,
    }
    rose = next(o for o in result.plan_outcomes if o.outcome == DONE_AND_ROSE)
    assert (rose.level_before, rose.level_after) == (1, 3)
    # Only over time: across services there is no "a year later".
    across = compare(
        [
            make(bank, {}, id="s1", service="Waste", plan=plan),
            make(bank, {}, id="s2", service="Leisure"),
        ]
    )
    assert across.plan_outcomes == ()

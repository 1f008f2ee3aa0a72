"""The assessment record: names are checked, and the summary agrees with the scores."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from assess.domain.answers import Answer
from assess.domain.assessment import Assessment, now_iso, percent_done
from assess.domain.bank import Bank
from assess.domain.errors import BadInput
from assess.domain.names import check_name


@pytest.mark.parametrize(
    ("value", "required", "fragment"),
    [
        ("", True, "is required"),
        ("   ", True, "is required"),
        (None, True, "is required"),
        ("x" * 201, False, "longer than 200"),
        ("Line\nbreak", False, "control characters or line breaks"),
        ("Esc\x1b[2J", False, "control characters"),
        (42, False, "must be text"),
    ],
)
def test_bad_names_are_refused(value: object, required: bool, fragment: str) -> None:
    with pytest.raises(BadInput, match=re.escape(fragment)):
        check_name(value, "authority", required=required)


def test_names_are_trimmed_and_kept_as_typed() -> None:
    assert check_name("  [bold]Borsetshire[/bold] <b>  ", "authority", required=True) == (
        "[bold]Borsetshire[/bold] <b>"
    )
    assert check_name(None, "service", required=False) == ""


def test_times_are_utc_and_sort_as_text() -> None:
    first, second = now_iso(), now_iso()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", first)
    assert first <= second


def test_summary_reflects_the_scores(v1_bank: Bank) -> None:
    bank = v1_bank
    answers = {
        "R-LEAD-OWNERSHIP": Answer(3),
        "R-LEAD-REALISM": Answer(2),
        "S-EXPLORE": Answer("yes"),
    }
    record = Assessment(
        id="abc12345",
        authority="Borsetshire",
        service="Waste",
        assessor="A. Officer",
        created="2026-01-01T00:00:00.000Z",
        updated="2026-01-02T00:00:00.000Z",
        status="draft",
        bank=bank,
        answers=answers,
    )
    summary = record.summary()
    # Effective weights 3×3 = 9 and 3×2 = 6 of Σe = 138 in the whole bank:
    # 100 × (9×3/4 + 6×2/4) / 138 = 975/138 = 7.065… → 7.1.
    assert summary.score == 7.1
    assert summary.band == "Not ready"
    assert summary.completeness == pytest.approx(3 / record.result.questions_shown)
    assert record.title == "Borsetshire — Waste"
    assert summary.to_data()["bank_version"] == bank.version


@pytest.mark.parametrize(
    ("share", "shown"),
    [
        (0.0, "0%"),
        (1 / 39, "2%"),  # 2.56…: rounded down, as everywhere
        (0.29, "29%"),  # stored as 0.28999…
        (Fraction(2, 3), "66%"),
        (0.999, "99%"),  # never 100% until all is answered
        (1.0, "100%"),
    ],
)
def test_completeness_is_shown_rounded_down(share: float, shown: str) -> None:
    assert percent_done(share) == shown

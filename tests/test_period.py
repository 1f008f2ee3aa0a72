"""Periods: read, ordered, and the next one proposed for a copy."""

from __future__ import annotations

import datetime

import pytest

from assess.domain.authority import AuthorityProblem, check_authority_type, check_region
from assess.domain.period import (
    PeriodProblem,
    check_period,
    current_financial_year,
    next_period,
    order_key,
)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("2026/27", "2026/27"),
        (" 2026 ", "2026"),
        ("As at 2026-12-01", "as at 2026-12-01"),
        ("", ""),
    ],
)
def test_periods_that_can_be_ordered_are_kept(given: str, kept: str) -> None:
    assert check_period(given) == kept


@pytest.mark.parametrize(
    "given", ["2026/28", "next year", "2026/27\n", "as at 2026-02-30", "26/27", 2026]
)
def test_other_periods_are_refused(given: object) -> None:
    with pytest.raises(PeriodProblem):
        check_period(given)


def test_periods_order_by_their_first_day_then_when_made() -> None:
    made = ["2027-05-01", "2026-06-01", "2026-05-01", "2025-01-01"]
    periods = ["2027/28", "as at 2026-05-01", "2026/27", ""]
    ordered = sorted(zip(periods, made, strict=True), key=lambda pm: order_key(*pm))
    # 2026/27 starts on 1 April 2026, before an "as at" of 1 May; no period goes last.
    assert [p for p, _ in ordered] == ["2026/27", "as at 2026-05-01", "2027/28", ""]


def test_the_next_period_follows_on() -> None:
    assert next_period("2026/27") == "2027/28"
    assert next_period("2099/00") == "2100/01"
    assert next_period("2026") == "2027"
    assert next_period("as at 2024-02-29") == "as at 2025-03-01"
    assert next_period("") == ""
    assert current_financial_year(datetime.date(2026, 12, 1)) == "2026/27"
    assert current_financial_year(datetime.date(2027, 3, 31)) == "2026/27"
    assert current_financial_year(datetime.date(2027, 4, 1)) == "2027/28"


def test_authority_type_and_region_by_key_or_name() -> None:
    assert check_authority_type("District council") == "district"
    assert check_region("yorkshire-humber") == "yorkshire-humber"
    assert check_region("") == ""
    with pytest.raises(AuthorityProblem, match="not a region"):
        check_region("Mercia")

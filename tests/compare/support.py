"""Helpers for the comparison tests: hand-built assessments, an edited bank, hostile text."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assess.domain.answers import Answer
from assess.domain.assessment import Assessment
from assess.domain.bank import Bank, bank_from_data, bank_from_text
from assess.domain.plan import PlanEntry

SCRIPT = "<script>alert('x')</script>"
MARKUP = "[bold]B[/bold] [link=http://x]L[/link]"
FORMULA = "=SUM(A1)"
# Names are one line of text (the store checks that), so hostile names are too.
HOSTILE = f"{FORMULA} {SCRIPT} {MARKUP} [link](http://example.com) & *em* | pipe"


def make(
    bank: Bank,
    answers: dict[str, Answer],
    *,
    id: str,
    authority: str = "Borsetshire",
    service: str = "Waste",
    assessor: str = "Ann",
    created: str = "2026-01-10T09:00:00.000Z",
    period: str = "",
    plan: dict[str, PlanEntry] | None = None,
) -> Assessment:
    """An assessment built by hand, as the store would return it."""
    return Assessment(
        id=id,
        authority=authority,
        service=service,
        assessor=assessor,
        created=created,
        updated=created,
        status="draft",
        bank=bank,
        answers=answers,
        period=period,
        plan=plan or {},
    )


V1_BANK = Path(__file__).resolve().parents[1] / "fixtures" / "banks" / "partnering-v1.yaml"


def edited_bank(text_edit: Callable[[str], str]) -> Bank:
    """Version 1.0.0 of the bank's YAML, edited as text, loaded through the real loader."""
    text = V1_BANK.read_text(encoding="utf-8")
    return bank_from_text(text_edit(text), "edited.yaml")


def bank_with(bank: Bank, change: Callable[[dict[str, Any]], None], version: str) -> Bank:
    """`bank` with `change` applied to its data and a new version number."""
    data = copy.deepcopy(bank.to_data())
    change(data)
    data["version"] = version
    return bank_from_data(data, f"bank {version}")


def question_data(data: dict[str, Any], question_id: str) -> dict[str, Any]:
    for instrument in data["instruments"]:
        for section in instrument["sections"]:
            for question in section["questions"]:
                if question["id"] == question_id:
                    return question
    raise KeyError(question_id)


def newer_bank(bank: Bank) -> Bank:
    """The next minor version: R-MKT-DIALOGUE dropped and S-INNOVATION's options changed."""

    def change(data: dict[str, Any]) -> None:
        for instrument in data["instruments"]:
            for section in instrument["sections"]:
                section["questions"] = [
                    q for q in section["questions"] if q["id"] != "R-MKT-DIALOGUE"
                ]
        innovation = question_data(data, "S-INNOVATION")
        innovation["options"] = [o for o in innovation["options"] if o["id"] != "low"] + [
            {"id": "none", "label": "Not important"}
        ]
        respondents = innovation.get("respondents")
        if respondents and "low" in respondents.get("percentages", {}):
            del respondents["percentages"]["low"]

    major, minor = bank.version.split(".")[:2]
    return bank_with(bank, change, f"{major}.{int(minor) + 1}.0")

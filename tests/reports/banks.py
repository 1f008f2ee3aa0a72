"""Small question banks for the report tests, and Hypothesis strategies for random ones.

The worked examples need a bank whose weights never change under them, so
they use the banks built here rather than the shipped one. The strategies
build valid random banks (random dimensions, weights, targets, critical
flags, allow_na) through the real loader, and random valid answers for them,
including "not applicable".
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from assess.domain.answers import Answer
from assess.domain.bank import Bank, bank_from_data

SOURCE = "test-source.txt"


def criterion(
    qid: str,
    *,
    weight: int = 1,
    target: int = 3,
    critical: bool = False,
    allow_na: bool = False,
    text: str | None = None,
    action: str | None = None,
) -> dict[str, Any]:
    return {
        "id": qid,
        "type": "maturity",
        "text": text or f"Is {qid} in place?",
        "help": "Rate it from 0 to 4.",
        "weight": weight,
        "target": target,
        "critical": critical,
        "allow_na": allow_na,
        "action": action or f"Put {qid} in place.",
        "source": {"file": SOURCE, "quote": "A sentence from the source."},
    }


def dimension(did: str, weight: int, questions: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": did, "title": f"Dimension {did}", "weight": weight, "questions": questions}


def bank_data(
    dimensions: list[dict[str, Any]],
    survey: list[dict[str, Any]] | None = None,
    consistency: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    instruments: list[dict[str, Any]] = []
    if survey:
        instruments.append({"id": "survey", "title": "Survey", "sections": survey})
    instruments.append({"id": "readiness", "title": "Readiness", "sections": dimensions})
    return {
        "id": "test-bank",
        "version": "1.0",
        "title": "A test bank",
        "sources": {SOURCE: {"title": "The test source"}},
        "maturity_levels": {
            level: {"label": label, "descriptor": f"{label}."}
            for level, label in enumerate(
                ["Not started", "Planned", "In progress", "Largely in place", "Fully in place"]
            )
        },
        "instruments": instruments,
        "consistency": consistency or [],
    }


def make_bank(
    dimensions: list[dict[str, Any]],
    survey: list[dict[str, Any]] | None = None,
    consistency: list[dict[str, Any]] | None = None,
) -> Bank:
    return bank_from_data(bank_data(dimensions, survey, consistency), "<test bank>")


def worked_bank() -> Bank:
    """The bank of the worked examples (see test_worked_examples.py).

    lead   (dimension weight 3): C1 weight 3 target 3 critical; C2 weight 1 target 3
    case   (dimension weight 2): C3 weight 2 target 4 allow_na; C4 weight 1 target 2
    client (dimension weight 1): C5 weight 2 target 3 critical allow_na; C6 weight 1 target 3
    """
    return make_bank(
        [
            dimension(
                "lead",
                3,
                [criterion("C1", weight=3, target=3, critical=True), criterion("C2", weight=1)],
            ),
            dimension(
                "case",
                2,
                [
                    criterion("C3", weight=2, target=4, allow_na=True),
                    criterion("C4", weight=1, target=2),
                ],
            ),
            dimension(
                "client",
                1,
                [
                    criterion("C5", weight=2, target=3, critical=True, allow_na=True),
                    criterion("C6", weight=1, target=3),
                ],
            ),
        ]
    )


def boundary_bank() -> Bank:
    """A bank on which a score just under 75 is reachable (see the 74.95 example).

    A (weight 3): A1 w3, A2 w3, A3 w1   (criterion weights add up to 7)
    B (weight 4): B1 w3, B2 w3, B3 w2, B4 w1   (add up to 9)
    C (weight 1): C1 w1
    """
    return make_bank(
        [
            dimension(
                "A",
                3,
                [
                    criterion("A1", weight=3),
                    criterion("A2", weight=3),
                    criterion("A3", weight=1),
                ],
            ),
            dimension(
                "B",
                4,
                [
                    criterion("B1", weight=3),
                    criterion("B2", weight=3),
                    criterion("B3", weight=2),
                    criterion("B4", weight=1),
                ],
            ),
            dimension("C", 1, [criterion("C1", weight=1)]),
        ]
    )


def levels(**given: int) -> dict[str, Answer]:
    return {qid: Answer(level) for qid, level in given.items()}


# ----------------------------------------------------------------------------
# Hypothesis strategies


@st.composite
def banks(draw: st.DrawFn) -> Bank:
    """A valid random bank: 1–4 dimensions of 1–4 criteria, every scoring setting random."""
    dimensions = []
    number = 0
    for d in range(draw(st.integers(1, 4))):
        questions = []
        for _ in range(draw(st.integers(1, 4))):
            number += 1
            questions.append(
                criterion(
                    f"C{number}",
                    weight=draw(st.integers(1, 3)),
                    target=draw(st.integers(1, 4)),
                    critical=draw(st.booleans()),
                    allow_na=draw(st.booleans()),
                )
            )
        dimensions.append(dimension(f"D{d + 1}", draw(st.integers(1, 5)), questions))
    return make_bank(dimensions)


NA = "Not relevant to this service"


@st.composite
def answers_for(draw: st.DrawFn, bank: Bank) -> dict[str, Answer]:
    """Random valid answers: each criterion unanswered, a level 0–4, or n/a where allowed."""
    answers: dict[str, Answer] = {}
    for q in bank.criteria:
        kinds = ["unanswered", "level", "level"] + (["na"] if q.allow_na else [])
        kind = draw(st.sampled_from(kinds))
        if kind == "level":
            answers[q.id] = Answer(draw(st.integers(0, 4)))
        elif kind == "na":
            answers[q.id] = Answer(None, NA)
    return answers


def banks_with_answers() -> st.SearchStrategy[tuple[Bank, dict[str, Answer]]]:
    return banks().flatmap(lambda bank: st.tuples(st.just(bank), answers_for(bank)))

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
from assess.domain.bank import CASES, Bank, bank_from_data

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
    from_stage: int = 0,
    cases: tuple[str, ...] = (),
) -> dict[str, Any]:
    staged: dict[str, Any] = {"from_stage": from_stage} if from_stage else {}
    if cases:
        staged["cases"] = list(cases)
    return {
        **staged,
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


def staged_bank() -> Bank:
    """The worked bank with a critical criterion that applies only from stage 3.

    lead (dimension weight 3) gains C7: weight 2, target 3, critical, from stage 3,
    evidencing the commercial case; C1 evidences the strategic and commercial cases.
    """
    data = bank_data(
        [
            dimension(
                "lead",
                3,
                [
                    criterion("C1", weight=3, critical=True, cases=("strategic", "commercial")),
                    criterion("C2", weight=1, cases=("strategic",)),
                    criterion("C7", weight=2, critical=True, from_stage=3, cases=("commercial",)),
                ],
            ),
        ]
    )
    return bank_from_data(data, "<staged bank>")


def boundary_bank() -> Bank:
    """A bank on which a score just under 75 is reachable (see the 74.95 example).

    Scores are multiples of 25 ÷ Σe, so a score that shows as 75.0 without being 75
    needs Σe of 500 or more: one dimension (weight 1) of 250 criteria of weight 2
    ("W1"…"W250") and one of weight 1 ("L"), so Σe = 501.
    """
    return make_bank(
        [
            dimension(
                "A",
                1,
                [criterion(f"W{n}", weight=2) for n in range(1, 251)] + [criterion("L", weight=1)],
            )
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
                    from_stage=draw(st.sampled_from([0, 0, 0, 1, 2, 3, 4, 5])),
                    cases=tuple(
                        draw(st.lists(st.sampled_from(CASES), unique=True, max_size=2).map(sorted))
                    ),
                )
            )
        dimensions.append(dimension(f"D{d + 1}", draw(st.integers(1, 3)), questions))
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

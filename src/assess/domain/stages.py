"""The stages of a partnership's life an assessment can be made at, after the Gateway reviews.

UK public bodies review major projects at six points (OGC Gateway, now run by
the Infrastructure and Projects Authority; Local Partnerships runs Gateway
reviews for councils). An assessment is made at one of these stages: only the
criteria that apply by then are scored, and later ones are listed as coming at
a later stage.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    number: int
    name: str
    gateway: str
    question: str

    @property
    def title(self) -> str:
        """`Stage 1, Options and business case`."""
        return f"Stage {self.number}, {self.name}"


STAGES: tuple[Stage, ...] = (
    Stage(
        0, "Exploring", "Gate 0, Strategic assessment", "Is a partnership worth considering at all?"
    ),
    Stage(
        1,
        "Options and business case",
        "Gate 1, Business justification",
        "Which way of delivering the service is best, and does the case for it stand up?",
    ),
    Stage(
        2,
        "Procurement strategy",
        "Gate 2, Delivery strategy",
        "How will the authority buy it, from whom, and on what terms?",
    ),
    Stage(
        3,
        "Selection and award",
        "Gate 3, Investment decision",
        "Is this the right partner, and the right contract?",
    ),
    Stage(
        4,
        "Mobilisation",
        "Gate 4, Readiness for service",
        "Are staff, systems and the client team ready for the service to start?",
    ),
    Stage(
        5,
        "Running and review",
        "Gate 5, Operations review and benefits realisation",
        "Is it delivering, and is the authority ready to renew, change or leave it?",
    ),
)
FIRST_STAGE = STAGES[0].number
LAST_STAGE = STAGES[-1].number


def stage(number: int) -> Stage:
    """The stage with this number (ValueError outside 0–5)."""
    if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number <= LAST_STAGE:
        raise ValueError(f"{number!r} is not a stage; stages run from 0 to {LAST_STAGE}")
    return STAGES[number]

"""The stages of a partnership's life an assessment can be made at, after the Gateway reviews.

UK public bodies review major projects at six points, the Gateway reviews
(devised by the Office of Government Commerce, now run by the Infrastructure
and Projects Authority). An assessment is made at one of these stages: only
the criteria that apply by then are scored (each says in the question bank
from which stage it applies), and later ones are listed as coming at a later
stage. The stages live here, once, not in the bank: they are the frame the
bank's criteria are placed in.
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
        0,
        "Exploring",
        "Gate 0, Strategic assessment",
        "Should the authority consider a partnership for this service at all?",
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
        "How will the authority go to the market, which suppliers can bid, and on what terms?",
    ),
    Stage(
        3,
        "Selection and award",
        "Gate 3, Investment decision",
        "Is the preferred bidder the right partner, and is the contract the right one to sign?",
    ),
    Stage(
        4,
        "Mobilisation",
        "Gate 4, Readiness for service",
        "Is everything ready for the new service to start, from staff and systems to the client "
        "team?",
    ),
    Stage(
        5,
        "Running and review",
        "Gate 5, Operations review and benefits realisation",
        "Is the partnership delivering what was promised, and is the authority ready to renew, "
        "change or leave it?",
    ),
)
FIRST_STAGE = STAGES[0].number
LAST_STAGE = STAGES[-1].number


def stage(number: int) -> Stage:
    """The stage with this number (ValueError outside 0–5)."""
    if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number <= LAST_STAGE:
        raise ValueError(f"{number!r} is not a stage; stages run from 0 to {LAST_STAGE}")
    return STAGES[number]

"""A demo assessment ("Demo Council") so a first-time officer can see a filled-in example.

The answers are plausible for a council part-way through its preparation:
some criteria well evidenced, some planned, a few gaps, so that the results
screen shows every kind of finding. Every value is checked against the bank,
so a changed bank can only drop a demo answer, never store a bad one.
"""

from __future__ import annotations

from typing import Any

from assess.domain.answers import Answer, AnswerProblem, check_answer
from assess.domain.bank import Bank

DEMO_AUTHORITY = "Demo Council"
DEMO_SERVICE = "Demo: back-office services"
DEMO_ASSESSOR = "Demo officer"

_DEMO: dict[str, Any] = {
    "S-EXPLORE": "yes",
    "S-CHALLENGES": ["investment-funding", "skills", "user-expectations", "technology"],
    "S-PARTNER-PRIORITY": ["technology", "skills", "delivery-capability"],
    "S-DRIVERS": ["cost-efficiency", "skills", "innovation-technology"],
    "S-SERVICES": ["ict", "back-office"],
    "S-REASONS-AGAINST": ["loss-of-control", "inflexibility"],
    "S-MECHANISM": "joint-venture",
    "S-PARTNER-STRATEGY": "yes",
    "S-PARTNER-BUDGET": "no",
    "S-INNOVATION": "high",
    "S-USER-DESIGN": "yes",
    "S-PERFORMANCE": ["outcome-based", "kpis"],
    "S-PRIME-COLLABORATOR": "no",
    "S-CONTRACT-LENGTH": "over-5-years",
    # Leadership, fit and the business case: well on the way.
    "R-LEAD-OWNERSHIP": {
        "level": 3,
        "evidence": "Cabinet paper (demo) agreed by leader and chief executive.",
    },
    "R-LEAD-REALISM": 2,
    "R-FIT-OBJECTIVES": {"level": 4, "evidence": "Corporate plan 2024–28 (demo), section 3."},
    "R-FIT-TRANSFORMATION": 3,
    "R-FIT-FINANCE": 2,
    "R-FIT-WELLBEING": {"na": "Demo: back-office scope has no direct community effect."},
    "R-FIT-BENEFITS-LIFE": 1,
    "R-FIT-RENEWAL": 0,
    "R-CASE-RIGOUR": 2,
    "R-CASE-FIVE-CASES": 2,
    "R-CASE-STAGED": {"level": 3, "evidence": "Strategic Outline Case approved (demo), May."},
    "R-CASE-IN-HOUSE-OPTION": 2,
    "R-CASE-WHOLE-LIFE-COST": 1,
    "R-CASE-DEBATE": 1,
    "R-CASE-NOT-PROCEED": 2,
    "R-MKT-PEERS": 3,
    "R-MKT-RESEARCH-COUNT": 6,
    "R-MKT-OTHER-SECTORS": 1,
    "R-MKT-CAPACITY": 1,
    "R-MKT-DIALOGUE": 0,
    "R-STK-USERS": 1,
    "R-STK-STAFF": 2,
    "R-STK-PARTNERS": 2,
    "R-SCOPE-PACKAGE": 3,
    "R-MODEL-APPRAISAL": 2,
    "R-MODEL-OPTIONS": ["joint-venture", "trading-company"],
    "R-MODEL-WEIGHTED-CRITERIA": 1,
    "R-MODEL-MARKET-HEALTH": 1,
    "R-GOV-ASSURANCE": 2,
    "R-GOV-STAKEHOLDER-VOICE": 1,
    "R-GOV-CASE-REVIEW": 1,
    "R-GOV-RISK-ALLOCATION": 1,
    "R-GOV-S151": {"level": 3, "evidence": "Chief finance officer's note (demo) in the case."},
    "R-GOV-MONITORING-OFFICER": 2,
    # Procurement and after: mostly still to come.
    "R-LAW-BEST-VALUE": 2,
    "R-LAW-SOCIAL-VALUE": 1,
    "R-LAW-SOCIAL-VALUE-CONSULT": 0,
    "R-LAW-PROCUREMENT-ACT": 1,
    "R-LAW-KPIS": 0,
    "R-SEL-TRACK-RECORD": 1,
    "R-SEL-SHARED-VALUES": 0,
    "R-SEL-POLITICAL-AWARENESS": 1,
    "R-SEL-TRANSPARENCY": 0,
    "R-STAFF-WHO-TRANSFERS": 2,
    "R-STAFF-PENSIONS": 1,
    "R-STAFF-PENSION-RISK": 0,
    "R-STAFF-INFORM-CONSULT": 0,
    "R-STAFF-LIABILITY-INFO": 0,
    "R-CONTRACT-EXIT-PLAN": 1,
    "R-CONTRACT-STEP-IN": 0,
    "R-CONTRACT-BREAK-POINTS": 1,
    "R-CONTRACT-CHANGE-CONTROL": 0,
    "R-CLIENT-INTELLIGENT": 1,
    "R-CLIENT-OUTCOMES": 2,
    "R-CLIENT-CONTRACT-MANAGEMENT": 0,
    "R-PV-TEST": 1,
    "R-PV-USER-CENTRED": 2,
    "R-PV-CO-DESIGN": 1,
    "R-RUN-BENEFITS": 0,
    "R-RUN-PERFORMANCE-NOTICES": {"na": "Demo: no contract let yet, so no indicators are set."},
    "R-RUN-EXIT-READY": 0,
}


def demo_answers(bank: Bank) -> dict[str, Answer]:
    """The demo answers that fit `bank` (ids or options it lacks are left out)."""
    answers: dict[str, Answer] = {}
    for question_id, raw in _DEMO.items():
        question = bank.question(question_id)
        if question is None:
            continue
        try:
            answers[question_id] = check_answer(question, raw)
        except AnswerProblem:
            continue
    return answers

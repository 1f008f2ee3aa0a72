"""The shipped bank covers everything it must, every item rests on a source, and reads well.

The tables below are the content the bank must cover, item by item: the
survey's questions, the readiness criteria of version 1 (from the commentary
on the Audit Commission study), and the criteria added in version 2 from the
public frameworks councils work to. For each mapping the test checks that the
question exists, sits in the right instrument, has a sensible type, and that
its own text or help talks about the item (its key words). Further tests hold
the bank to its editorial rules: one question asks one thing, jargon is
explained, every criterion says from which stage it applies and which business
cases it evidences, and every sentence is our own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from assess.domain.bank import (
    CASES,
    LEVELS,
    Bank,
    FrameworkSource,
    Question,
    QuoteSource,
)
from assess.domain.stages import STAGES as GATEWAY_STAGES
from tests.bank.banks import v1_bank, v2_bank
from tests.bank.sources import (
    COMMENTARY,
    SOURCE_FILES,
    SURVEY,
    normalise,
    source_text,
    words,
)


@pytest.fixture(scope="module")
def bank() -> Bank:
    return v2_bank()


@dataclass(frozen=True)
class Covers:
    """One question covering (part of) an item, its type, and words its text or help must use."""

    qid: str
    type: str
    key_words: tuple[str, ...]


SURVEY_COVERAGE: dict[str, list[Covers]] = {
    "exploring alternative approaches because of squeezed budgets": [
        Covers("S-EXPLORE", "yesno", ("other ways", "budgets", "squeezed"))
    ],
    "most difficult challenges (ranked, as tiers)": [
        Covers("S-CHALLENGES", "ranking", ("challenges", "hardest first"))
    ],
    "areas where a partner is a priority": [
        Covers("S-PARTNER-PRIORITY", "ranking", ("areas", "partner", "most important first"))
    ],
    "drivers for engaging a partner": [
        Covers("S-DRIVERS", "ranking", ("drive", "private-sector partner", "strongest first"))
    ],
    "preferred contractual mechanism": [
        Covers("S-MECHANISM", "single", ("form of contract", "contractual mechanism", "prefer"))
    ],
    "partner participation in budget / strategic planning": [
        Covers("S-PARTNER-BUDGET", "yesno", ("partner", "budget")),
        Covers("S-PARTNER-STRATEGY", "yesno", ("partner", "strategic planning")),
    ],
    "importance of experimenting with innovation and new technology": [
        Covers("S-INNOVATION", "likert", ("important", "innovation", "new technology"))
    ],
    "importance of user/citizen-centred design": [
        Covers("S-USER-DESIGN", "yesno", ("important", "citizen-centred design", "commissioning"))
    ],
    "performance-management arrangements": [
        Covers("S-PERFORMANCE", "ranking", ("performance-management arrangements",))
    ],
    "a partner as prime collaborator": [
        Covers("S-PRIME-COLLABORATOR", "yesno", ("prime collaborator", "supply chain"))
    ],
    "ideal contract length": [
        Covers("S-CONTRACT-LENGTH", "single", ("how long", "contract", "ideally"))
    ],
    "reasons for not engaging a partner": [
        Covers("S-REASONS-AGAINST", "ranking", ("hold", "back", "partner", "reasons"))
    ],
    "which services the authority is considering (its own context question)": [
        Covers("S-SERVICES", "multi", ("which services", "considering", "your own plans"))
    ],
}

READINESS_COVERAGE: dict[str, list[Covers]] = {
    "political and managerial leadership ownership": [
        Covers("R-LEAD-OWNERSHIP", "maturity", ("political", "managerial", "leadership", "own"))
    ],
    "partnership integral to the authority's objectives for its locality": [
        Covers("R-FIT-OBJECTIVES", "maturity", ("built into", "overall aims", "area"))
    ],
    "contribution to the transformation programme, the financial strategy "
    "and community well-being": [
        Covers("R-FIT-TRANSFORMATION", "maturity", ("clear", "programme", "transforming")),
        Covers("R-FIT-FINANCE", "maturity", ("clearly", "financial strategy")),
        Covers("R-FIT-WELLBEING", "maturity", ("clear", "well-being", "community")),
    ],
    "realism (not a panacea)": [Covers("R-LEAD-REALISM", "maturity", ("realistic", "cure-all"))],
    "long-term wins with renewal over the partnership's life": [
        Covers("R-FIT-BENEFITS-LIFE", "maturity", ("benefits plan", "whole life")),
        Covers("R-FIT-RENEWAL", "maturity", ("refreshed", "life")),
    ],
    "research of other authorities' experience and of other sectors": [
        Covers("R-MKT-PEERS", "maturity", ("researched", "other authorities")),
        Covers("R-MKT-OTHER-SECTORS", "maturity", ("lessons", "outside local government")),
    ],
    "market analysis and supply-market capacity": [
        Covers("R-MKT-CAPACITY", "maturity", ("analysed the market", "capacity"))
    ],
    "dialogue with potential suppliers": [
        Covers("R-MKT-DIALOGUE", "maturity", ("dialogue", "potential suppliers"))
    ],
    "consultation with service users": [
        Covers("R-STK-USERS", "maturity", ("use the services", "consulted"))
    ],
    "engagement of employees and trade unions": [
        Covers("R-STK-STAFF", "maturity", ("employees", "trade unions", "engaged"))
    ],
    "involvement of other local strategic partners": [
        Covers(
            "R-STK-PARTNERS",
            "maturity",
            ("local partners", "health", "police", "voluntary", "neighbouring councils"),
        )
    ],
    "rigorous business case": [Covers("R-CASE-RIGOUR", "maturity", ("rigorous", "business case"))],
    "political debate before the make-or-buy decision": [
        Covers("R-CASE-DEBATE", "maturity", ("members debate", "before", "make-or-buy"))
    ],
    "readiness to decide not to proceed": [
        Covers("R-CASE-NOT-PROCEED", "maturity", ("prepared", "decide not to go ahead"))
    ],
    "public-value test": [Covers("R-PV-TEST", "maturity", ("tested", "public value"))],
    "sensible package of services": [
        Covers("R-SCOPE-PACKAGE", "maturity", ("sensible package of services",))
    ],
    "gateway reviews involving stakeholders incl. user and employee representatives": [
        Covers("R-GOV-ASSURANCE", "maturity", ("independent", "gateway reviews")),
        Covers("R-GOV-STAKEHOLDER-VOICE", "maturity", ("stakeholders", "users", "staff")),
    ],
    "business-case reviews and revision when the specification changes": [
        Covers("R-GOV-CASE-REVIEW", "maturity", ("business case", "specification changes"))
    ],
    "partner selection on values, track record, political understanding and transparency": [
        Covers("R-SEL-TRACK-RECORD", "maturity", ("evaluation", "track record")),
        Covers("R-SEL-SHARED-VALUES", "maturity", ("evaluation", "values")),
        Covers("R-SEL-POLITICAL-AWARENESS", "maturity", ("evaluation", "political setting")),
        Covers("R-SEL-TRANSPARENCY", "maturity", ("evaluation", "transparency")),
    ],
    "appraisal of delivery models": [
        Covers(
            "R-MODEL-APPRAISAL",
            "maturity",
            (
                "appraised",
                "delivery models",
                "joint venture",
                "public–private–third-sector",
                "employee-owned",
                "social enterprise",
                "transformation partnership",
                "trading compan",
            ),
        ),
        Covers("R-MODEL-OPTIONS", "multi", ("delivery models", "appraisal")),
    ],
    "intelligent client function": [
        Covers("R-CLIENT-INTELLIGENT", "maturity", ("intelligent client function", "strategy"))
    ],
    "outcome-based performance management": [
        Covers("R-CLIENT-OUTCOMES", "maturity", ("outcome-based performance management",))
    ],
    "user-centred design of future services": [
        Covers("R-PV-USER-CENTRED", "maturity", ("future services", "designed around")),
        Covers("R-PV-CO-DESIGN", "maturity", ("service users", "designing future services")),
    ],
}

# Added in version 2, each resting on a public framework (the framework ids it may cite).
V2_COVERAGE: dict[str, tuple[list[Covers], set[str]]] = {
    "five-case business case, built as Strategic Outline, Outline and Full Business Case, "
    "with an in-house comparator": (
        [
            Covers("R-CASE-FIVE-CASES", "maturity", ("five cases", "strategic", "management")),
            Covers(
                "R-CASE-STAGED",
                "maturity",
                ("strategic outline case", "outline business case", "full business case"),
            ),
            Covers("R-CASE-IN-HOUSE-OPTION", "maturity", ("in house", "public sector comparator")),
        ],
        {"green-book", "business-case-guide"},
    ),
    "delivery model assessment on weighted criteria, whole-life cost, market health": (
        [
            Covers("R-MODEL-WEIGHTED-CRITERIA", "maturity", ("weighted criteria", "scored")),
            Covers("R-CASE-WHOLE-LIFE-COST", "maturity", ("whole-life cost", "should-cost model")),
            Covers("R-MODEL-MARKET-HEALTH", "maturity", ("health", "capability", "market")),
        ],
        {"dma-guidance", "should-cost-guidance", "sourcing-playbook"},
    ),
    "staff transfer (TUPE) and pensions": (
        [
            Covers("R-STAFF-WHO-TRANSFERS", "maturity", ("which employees", "TUPE")),
            Covers("R-STAFF-LIABILITY-INFO", "maturity", ("employee liability", "28 days")),
            Covers("R-STAFF-INFORM-CONSULT", "maturity", ("inform and consult", "representatives")),
            Covers(
                "R-STAFF-PENSIONS",
                "maturity",
                ("pension protection", "admission agreement", "broadly comparable"),
            ),
            Covers("R-STAFF-PENSION-RISK", "maturity", ("which party bears", "pension")),
        ],
        {"tupe-2006", "pensions-direction-2007", "sourcing-playbook"},
    ),
    "contract terms and exit": (
        [
            Covers("R-CONTRACT-EXIT-PLAN", "maturity", ("exit plan", "assets", "data")),
            Covers("R-CONTRACT-STEP-IN", "maturity", ("step in",)),
            Covers("R-CONTRACT-BREAK-POINTS", "maturity", ("break points", "end it early")),
            Covers("R-CONTRACT-CHANGE-CONTROL", "maturity", ("change control",)),
            Covers(
                "R-CLIENT-CONTRACT-MANAGEMENT", "maturity", ("contract management", "first day")
            ),
            Covers("R-RUN-EXIT-READY", "maturity", ("leave or re-let", "exit plan")),
        ],
        {"model-services-contract", "pf2-standardisation", "sourcing-playbook"},
    ),
    "legal duties at procurement": (
        [
            Covers(
                "R-LAW-PROCUREMENT-ACT", "maturity", ("Procurement Act 2023", "24 February 2025")
            ),
            Covers("R-LAW-KPIS", "maturity", ("at least three", "£5 million", "section 52")),
            Covers(
                "R-LAW-SOCIAL-VALUE",
                "maturity",
                ("economic, social and environmental well-being", "before procurement starts"),
            ),
            Covers("R-LAW-SOCIAL-VALUE-CONSULT", "maturity", ("whether to consult",)),
            Covers("R-LAW-BEST-VALUE", "maturity", ("best value duty", "section 3")),
            Covers("R-RUN-PERFORMANCE-NOTICES", "maturity", ("every 12 months", "section 71")),
        ],
        {"procurement-act-2023", "social-value-act-2012", "lga-1999"},
    ),
    "assurance and risk": (
        [
            Covers("R-GOV-ASSURANCE", "maturity", ("independent of the project",)),
            Covers("R-GOV-RISK-ALLOCATION", "maturity", ("risk register", "which party")),
            Covers("R-RUN-BENEFITS", "maturity", ("benefits", "gate 5")),
        ],
        {"gateway-review", "sourcing-playbook"},
    ),
    "governance roles": (
        [
            Covers("R-GOV-S151", "maturity", ("chief finance officer", "section 151")),
            Covers("R-GOV-MONITORING-OFFICER", "maturity", ("monitoring officer", "section 5")),
        ],
        {"lga-1972", "lgha-1989"},
    ),
}

# The readiness dimensions -> words the section's title must use.
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "leadership": ("leadership", "ownership"),
    "strategic-fit": ("strategic fit",),
    "business-case": ("business case", "decision"),
    "market": ("market analysis",),
    "stakeholders": ("stakeholder engagement",),
    "scope": ("scope",),
    "delivery-model": ("delivery model",),
    "governance": ("governance", "assurance"),
    "legal": ("legal duties",),
    "selection": ("partner selection",),
    "workforce": ("staff transfer", "pensions"),
    "contract": ("contract", "exit"),
    "client": ("client capability",),
    "public-value": ("public value",),
    "running": ("running", "review"),
}

CRITERION_DIMENSION = {
    "R-LEAD-": "leadership",
    "R-FIT-": "strategic-fit",
    "R-CASE-": "business-case",
    "R-MKT-": "market",
    "R-STK-": "stakeholders",
    "R-SCOPE-": "scope",
    "R-MODEL-": "delivery-model",
    "R-GOV-": "governance",
    "R-LAW-": "legal",
    "R-SEL-": "selection",
    "R-STAFF-": "workforce",
    "R-CONTRACT-": "contract",
    "R-CLIENT-": "client",
    "R-PV-": "public-value",
    "R-RUN-": "running",
}

# The stages, exactly as the Gateway review process names them (the questions are ours).
STAGES = [
    (0, "Exploring", "Gate 0 Strategic assessment"),
    (1, "Options and business case", "Gate 1 Business justification"),
    (2, "Procurement strategy", "Gate 2 Delivery strategy"),
    (3, "Selection and award", "Gate 3 Investment decision"),
    (4, "Mobilisation", "Gate 4 Readiness for service"),
    (5, "Running and review", "Gate 5 Operations review and benefits realisation"),
]


def _mentions(question: Question, key: str) -> bool:
    text = f"{question.text} {question.help}".lower().replace("’", "'")
    return key.lower() in text


def _criterion(bank: Bank, qid: str) -> Question:
    question = bank.question(qid)
    assert question is not None and question.is_criterion, qid
    return question


def test_the_tables_hold_the_whole_list() -> None:
    # 13 survey items, 23 readiness items of version 1, 7 groups added in version 2.
    assert len(SURVEY_COVERAGE) == 13
    assert len(READINESS_COVERAGE) == 23
    assert len(V2_COVERAGE) == 7
    assert len(DIMENSIONS) == 15


@pytest.mark.parametrize(("item", "covered_by"), SURVEY_COVERAGE.items(), ids=list(SURVEY_COVERAGE))
def test_each_survey_item_is_a_survey_question(
    bank: Bank, item: str, covered_by: list[Covers]
) -> None:
    for cover in covered_by:
        question = bank.question(cover.qid)
        assert question is not None, f"{item!r}: no question {cover.qid}"
        assert bank.instrument_of(cover.qid) == "survey", (item, cover.qid)
        assert question.type == cover.type, (item, cover.qid, question.type)
        missing = [key for key in cover.key_words if not _mentions(question, key)]
        assert not missing, f"{cover.qid} does not mention {missing} ({item!r})"


def test_only_the_services_questions_are_the_authority_s_own(bank: Bank) -> None:
    own = {q.id for q in bank.questions if q.is_authority_context}
    assert own == {"S-SERVICES", "S-SERVICES-OTHER"}
    for qid in own:
        question = bank.question(qid)
        assert question is not None and question.respondents is None
        assert "not" in question.help and "survey" in question.help, qid


def _check_readiness_cover(bank: Bank, item: str, cover: Covers) -> Question:
    question = bank.question(cover.qid)
    assert question is not None, f"{item!r}: no question {cover.qid}"
    assert bank.instrument_of(cover.qid) == "readiness", (item, cover.qid)
    assert question.type == cover.type, (item, cover.qid, question.type)
    missing = [key for key in cover.key_words if not _mentions(question, key)]
    assert not missing, f"{cover.qid} does not mention {missing} ({item!r})"
    return question


@pytest.mark.parametrize(
    ("item", "covered_by"), READINESS_COVERAGE.items(), ids=list(READINESS_COVERAGE)
)
def test_each_version_1_readiness_item_is_a_criterion(
    bank: Bank, item: str, covered_by: list[Covers]
) -> None:
    assert any(cover.type == "maturity" for cover in covered_by), item
    for cover in covered_by:
        question = _check_readiness_cover(bank, item, cover)
        if question.is_criterion:
            assert len(question.action.split()) >= 8, cover.qid


@pytest.mark.parametrize(("item", "entry"), V2_COVERAGE.items(), ids=list(V2_COVERAGE))
def test_each_version_2_item_is_a_criterion_resting_on_its_framework(
    bank: Bank, item: str, entry: tuple[list[Covers], set[str]]
) -> None:
    covered_by, frameworks = entry
    for cover in covered_by:
        question = _check_readiness_cover(bank, item, cover)
        source = question.source
        assert isinstance(source, FrameworkSource), cover.qid
        assert source.framework in frameworks, (cover.qid, source.framework)
        assert source.framework in bank.frameworks


@pytest.mark.parametrize(("section_id", "title_words"), DIMENSIONS.items(), ids=list(DIMENSIONS))
def test_each_dimension_is_a_weighted_readiness_section(
    bank: Bank, section_id: str, title_words: tuple[str, ...]
) -> None:
    by_id = {s.id: s for s in bank.dimensions}
    assert section_id in by_id, section_id
    found = by_id[section_id]
    assert all(word in found.title.lower() for word in title_words), (section_id, found.title)
    assert any(q.is_criterion for q in found.questions), section_id
    assert 1 <= found.weight <= 3


def test_every_criterion_sits_in_its_dimension(bank: Bank) -> None:
    # Ids carry their dimension (R-GOV-... is governance); a criterion moved to the wrong
    # section would be scored under the wrong heading.
    for criterion in bank.criteria:
        prefix = next(p for p in CRITERION_DIMENSION if criterion.id.startswith(p))
        assert bank.section_of(criterion.id).id == CRITERION_DIMENSION[prefix], criterion.id
    assert {s.id for s in bank.dimensions} == set(CRITERION_DIMENSION.values())


def test_every_criterion_in_the_bank_is_in_a_coverage_table(bank: Bank) -> None:
    mapped = {c.qid for covers in READINESS_COVERAGE.values() for c in covers}
    mapped |= {c.qid for covers, _ in V2_COVERAGE.values() for c in covers}
    assert {q.id for q in bank.criteria} <= mapped, {q.id for q in bank.criteria} - mapped


# ----------------------------------------------------------------------------
# Every version 1 item kept or deliberately replaced


def test_every_version_1_question_is_kept_or_replaced(bank: Bank) -> None:
    old = v1_bank()
    replaced_by = {r: q.id for q in bank.questions for r in q.replaces}
    for question in old.questions:
        kept = bank.question(question.id)
        if kept is not None:
            assert question.id not in replaced_by, question.id
            # A kept id keeps its meaning: the same type, and every option it had.
            assert kept.type == question.type, question.id
            assert set(question.option_ids) <= set(kept.option_ids), question.id
        else:
            assert question.id in replaced_by, f"{question.id} is neither kept nor replaced"
            assert bank.question(replaced_by[question.id]).type == question.type  # type: ignore[union-attr]


def test_the_double_barrelled_questions_are_split(bank: Bank) -> None:
    split = {
        "R-GOV-GATEWAY": ("R-GOV-ASSURANCE", "R-GOV-STAKEHOLDER-VOICE"),
        "R-SEL-VALUES": ("R-SEL-TRACK-RECORD", "R-SEL-SHARED-VALUES"),
        "R-SEL-POLITICAL": ("R-SEL-POLITICAL-AWARENESS", "R-SEL-TRANSPARENCY"),
        "R-FIT-LONG-TERM": ("R-FIT-BENEFITS-LIFE", "R-FIT-RENEWAL"),
        "R-MKT-RESEARCH": ("R-MKT-PEERS", "R-MKT-OTHER-SECTORS"),
        "R-PV-USER-DESIGN": ("R-PV-USER-CENTRED", "R-PV-CO-DESIGN"),
        "S-STRATEGIC-PLANNING": ("S-PARTNER-STRATEGY", "S-PARTNER-BUDGET"),
    }
    for old_id, (heir, other) in split.items():
        assert bank.question(old_id) is None, old_id
        assert old_id in bank.question(heir).replaces, old_id  # type: ignore[union-attr]
        assert bank.question(other) is not None and not bank.question(other).replaces  # type: ignore[union-attr]


def test_one_question_asks_one_thing(bank: Bank) -> None:
    for q in bank.questions:
        assert q.text.count("?") <= 2, q.id
        # Two questions in one text only where the second is an instruction for a ranking.
        if q.text.count("?") == 2:
            assert q.type == "ranking", q.id
        assert " and/or " not in q.text, q.id


# ----------------------------------------------------------------------------
# Criteria: stages, cases, levels, weights


def test_the_stages_are_the_gateway_stages() -> None:
    assert [(s.number, s.name, s.gateway.replace(",", "")) for s in GATEWAY_STAGES] == STAGES
    questions = [s.question for s in GATEWAY_STAGES]
    assert all(q.endswith("?") for q in questions) and len(set(questions)) == 6


def test_every_readiness_item_says_from_which_stage_it_applies(bank: Bank) -> None:
    for dimension in bank.dimensions:
        for q in dimension.questions:
            assert "from_stage" in q.model_fields_set, q.id
            assert 0 <= q.from_stage <= 5, q.id
    # Each stage brings criteria of its own, and the first stage has enough to assess.
    by_stage = {n: [c.id for c in bank.criteria if c.from_stage == n] for n in range(6)}
    assert all(by_stage[n] for n in range(6)), by_stage
    assert len(by_stage[0]) >= 5


@pytest.mark.parametrize(
    ("qids", "stage"),
    [
        (("R-LEAD-OWNERSHIP", "R-FIT-OBJECTIVES", "R-LEAD-REALISM"), 0),
        (("R-CASE-RIGOUR", "R-CASE-DEBATE", "R-MODEL-APPRAISAL", "R-PV-TEST"), 1),
        (("R-LAW-PROCUREMENT-ACT", "R-LAW-SOCIAL-VALUE", "R-STAFF-PENSIONS"), 2),
        (("R-SEL-TRACK-RECORD", "R-SEL-SHARED-VALUES", "R-CONTRACT-EXIT-PLAN", "R-LAW-KPIS"), 3),
        (("R-STAFF-LIABILITY-INFO", "R-STAFF-INFORM-CONSULT", "R-CLIENT-CONTRACT-MANAGEMENT"), 4),
        (("R-RUN-BENEFITS", "R-RUN-PERFORMANCE-NOTICES", "R-RUN-EXIT-READY"), 5),
    ],
)
def test_criteria_apply_from_the_stage_they_belong_to(
    bank: Bank, qids: tuple[str, ...], stage: int
) -> None:
    for qid in qids:
        assert _criterion(bank, qid).from_stage == stage, qid


def test_partner_selection_never_applies_before_award(bank: Bank) -> None:
    for criterion in bank.criteria:
        if criterion.id.startswith(("R-SEL-", "R-CONTRACT-")):
            assert criterion.from_stage >= 3, criterion.id
        if criterion.id.startswith("R-RUN-"):
            assert criterion.from_stage == 5, criterion.id


def test_every_criterion_names_its_cases(bank: Bank) -> None:
    for criterion in bank.criteria:
        assert criterion.cases, criterion.id
        assert set(criterion.cases) <= set(CASES)
    # Every case of the five-case model is evidenced by several criteria.
    for case in CASES:
        assert sum(case in c.cases for c in bank.criteria) >= 4, case


def test_every_criterion_has_level_descriptors_of_its_own(bank: Bank) -> None:
    generic = {level.descriptor for level in bank.maturity_levels.values()}
    seen: dict[str, str] = {}
    for criterion in bank.criteria:
        assert set(criterion.levels) == set(LEVELS), criterion.id
        texts = [criterion.levels[n] for n in LEVELS]
        assert len(set(texts)) == 5, criterion.id
        for text in texts:
            assert text not in generic, (criterion.id, text)
            # A descriptor is written for its criterion, not shared with another.
            assert seen.setdefault(text, criterion.id) == criterion.id, (criterion.id, text)


def test_weights_targets_and_critical_flags(bank: Bank) -> None:
    for dimension in bank.dimensions:
        assert 1 <= dimension.weight <= 3, dimension.id
        for c in (q for q in dimension.questions if q.is_criterion):
            assert 1 <= c.weight <= 3 and c.target == 3, c.id
            if c.critical:
                # A committee would not proceed without it: it weighs as much as any
                # criterion in its dimension, in a dimension that weighs at least 2.
                assert c.weight == 3 and dimension.weight >= 2, c.id
    critical = {c.id for c in bank.criteria if c.critical}
    assert critical == {
        "R-LEAD-OWNERSHIP",
        "R-CASE-RIGOUR",
        "R-GOV-S151",
        "R-PV-TEST",
        "R-CLIENT-INTELLIGENT",
        "R-STAFF-PENSIONS",
        "R-LAW-PROCUREMENT-ACT",
        "R-CONTRACT-EXIT-PLAN",
    }


def test_shares_of_the_overall_score_do_what_the_weights_say(bank: Bank) -> None:
    # Scoring v2: a criterion's share is D × w ÷ Σ D × w over the criteria that apply.
    for stage in range(6):
        applying = [
            (bank.section_of(c.id).weight * c.weight, c)
            for c in bank.criteria
            if c.from_stage <= stage
        ]
        total = sum(e for e, _ in applying)
        shares = {c.id: e / total for e, c in applying}
        # No single criterion decides the score, and every critical one is among the heaviest.
        assert max(shares.values()) <= 0.25, (stage, max(shares.values()))
        heaviest = max(shares.values())
        for _, c in applying:
            if c.critical:
                assert shares[c.id] >= heaviest * 2 / 3, (stage, c.id)


# ----------------------------------------------------------------------------
# Plain English


# Each piece of jargon -> the questions that use it, whose help must explain it.
JARGON: dict[str, tuple[str, ...]] = {
    "gateway review": ("R-GOV-ASSURANCE",),
    "make-or-buy": ("R-CASE-DEBATE",),
    "prime collaborator": ("S-PRIME-COLLABORATOR",),
    "public value": ("R-PV-TEST",),
    "contractual mechanism": ("S-MECHANISM",),
    "industry framework": ("S-MECHANISM",),
    "prime partner framework": ("S-MECHANISM",),
    "intelligent client function": ("R-CLIENT-INTELLIGENT",),
    "should-cost model": ("R-CASE-WHOLE-LIFE-COST",),
    "step-in right": ("R-CONTRACT-STEP-IN",),
    "break point": ("R-CONTRACT-BREAK-POINTS",),
    "change control": ("R-CONTRACT-CHANGE-CONTROL",),
    "tupe": ("R-STAFF-WHO-TRANSFERS",),
}


@pytest.mark.parametrize(("term", "qids"), JARGON.items(), ids=list(JARGON))
def test_jargon_is_explained_in_the_help(bank: Bank, term: str, qids: tuple[str, ...]) -> None:
    for qid in qids:
        question = bank.question(qid)
        assert question is not None
        help_text = question.help.lower()
        assert term in help_text, (term, qid)
        # The help says what the term is: "X is ...", "X means ...", "X: ...", "X (...)".
        explained = re.search(
            rf"{re.escape(term)}s?\b[^.]{{0,40}}?(\bis\b|\bare\b|\bmeans\b|\blets\b|"
            rf"\bappoints\b|\bcalled\b|\basks\b|:)",
            help_text,
        )
        assert explained or f"{term} (" in help_text or f"({term}" in help_text, (term, qid)


def test_the_review_s_specific_rewordings(bank: Bank) -> None:
    # R-CASE-DEBATE asks about a decision still to be taken.
    assert _criterion(bank, "R-CASE-DEBATE").text.startswith("Will ")
    # Gateway reviews are done by reviewers independent of the project, not by stakeholders.
    assurance = _criterion(bank, "R-GOV-ASSURANCE")
    assert "independent" in assurance.action and "stakeholder" not in assurance.action.lower()
    assert "independent of the project" in assurance.help
    # Local strategic partnerships are mostly gone: ask about the partners that exist.
    partners = _criterion(bank, "R-STK-PARTNERS")
    assert "local strategic partnership" not in partners.action.lower()
    # The survey's contract-length bands meet at three years; the help says how to choose.
    length = bank.question("S-CONTRACT-LENGTH")
    assert length is not None and "three years" in length.help and "both include" in length.help


def test_the_bank_lists_exactly_the_two_source_files(bank: Bank) -> None:
    assert set(bank.sources) == set(SOURCE_FILES)
    assert "survey" in bank.sources[SURVEY].title.lower()
    assert "for better or for worse" in bank.sources[COMMENTARY].title.lower()


def test_every_framework_is_cited_and_every_citation_names_a_part(bank: Bank) -> None:
    cited = {q.source.framework for q in bank.questions if isinstance(q.source, FrameworkSource)}
    assert cited == set(bank.frameworks)
    for framework in bank.frameworks.values():
        assert framework.title and framework.issuer
        assert not framework.url or framework.url.startswith("https://")
    for q in bank.questions:
        if isinstance(q.source, FrameworkSource):
            assert len(q.source.part.split()) >= 2, q.id


def _quotes(bank: Bank) -> list[tuple[str, str, str]]:
    """(where, file, quote) for every quoted source in the bank."""
    found = []
    for q in bank.questions:
        if isinstance(q.source, QuoteSource):
            found.append((q.id, q.source.file, q.source.quote))
        if q.respondents is not None:
            source = q.respondents.source
            found.append((f"{q.id} respondents", source.file, source.quote))
    return found


def test_every_quote_appears_verbatim_in_its_source(bank: Bank) -> None:
    references = _quotes(bank)
    assert len(references) >= 40
    for where, file, quote in references:
        assert file in SOURCE_FILES, (where, file)
        assert len(quote.split()) >= 6, f"{where}: quote too short to pin down the sentence"
        assert normalise(quote) in source_text(file), f"{where}: quote not found in {file}"


def test_a_quote_that_is_not_in_the_source_is_noticed() -> None:
    # The check above must be able to fail: a changed word or a joined sentence is caught.
    text = source_text(SURVEY)
    assert normalise("an overwhelming 100%.") in text
    assert normalise("an overwhelming 99%.") not in text
    assert (
        normalise(
            "Again, access to skills was top of their list closely followed by access to "
            "technology. In descending order of importance"
        )
        not in text
    )


def test_criteria_quote_the_sentence_their_key_words_come_from(bank: Bank) -> None:
    # Each criterion's quote shares real words with the criterion: not a random sentence.
    for criterion in bank.criteria:
        if not isinstance(criterion.source, QuoteSource):
            continue
        quoted = set(words(criterion.source.quote))
        own = set(words(f"{criterion.text} {criterion.help} {criterion.action}"))
        shared = {w for w in quoted & own if len(w) > 4}
        assert len(shared) >= 2, (criterion.id, shared)


# Runs of this many words or more in common with a source read as copying. The rule is
# eight; the bank is held to six so that near misses are caught too.
MAX_SHARED_RUN = 5


def _longest_shared_run(text: str, source_words: list[str]) -> tuple[int, str]:
    mine = words(text)
    best = (0, "")
    grams: dict[int, set[tuple[str, ...]]] = {}
    for n in range(MAX_SHARED_RUN + 1, len(mine) + 1):
        grams.setdefault(
            n, {tuple(source_words[i : i + n]) for i in range(len(source_words) - n + 1)}
        )
        hits = [
            mine[i : i + n] for i in range(len(mine) - n + 1) if tuple(mine[i : i + n]) in grams[n]
        ]
        if not hits:
            break
        best = (n, " ".join(hits[0]))
    return best


def _our_texts(bank: Bank) -> list[tuple[str, str]]:
    """Every sentence the bank writes itself (quotes excepted)."""
    texts: list[tuple[str, str]] = [(f"stage {s.number}", s.question) for s in GATEWAY_STAGES]
    texts += [(f"level {n}", level.descriptor) for n, level in bank.maturity_levels.items()]
    for instrument in bank.instruments:
        texts.append((f"{instrument.id} intro", instrument.intro))
    for section in bank.sections:
        texts += [(f"{section.id} title", section.title), (f"{section.id} intro", section.intro)]
    for q in bank.questions:
        texts += [(f"{q.id} text", q.text), (f"{q.id} help", q.help), (f"{q.id} action", q.action)]
        texts += [(f"{q.id} level {n}", t) for n, t in q.levels.items()]
        texts += [(f"{q.id} option {o.id} help", o.help) for o in q.options if o.help]
        if q.respondents:
            texts.append((f"{q.id} summary", q.respondents.summary))
    for check in bank.consistency:
        texts += [(check.id, check.title), (check.id, check.explanation)]
    return texts


@pytest.mark.parametrize("name", SOURCE_FILES)
def test_our_wording_is_our_own(bank: Bank, name: str) -> None:
    # Only `quote` fields quote the sources. Option labels are exempt: they name the
    # answer categories the survey itself used, so that answers can be benchmarked.
    source_words = words(source_text(name))
    copied = []
    for where, text in _our_texts(bank):
        run, phrase = _longest_shared_run(text, source_words)
        if run > MAX_SHARED_RUN:
            copied.append(f"{where}: {phrase!r}")
    assert not copied, copied


def test_the_copy_check_can_fail() -> None:
    source_words = words(source_text(COMMENTARY))
    copied = "Is there a rigorous business case analysis and political debate?"
    assert _longest_shared_run(copied, source_words)[0] > MAX_SHARED_RUN
    assert _longest_shared_run("Is the business case rigorous?", source_words)[0] == 0

"""The shipped bank covers everything DESIGN.md says it must, and every item rests on a source.

The tables below are the "Content coverage the question bank must reach" list
from DESIGN.md, item by item (the wording of each item is the design's), with
the question ids that cover it. For each mapping the test checks that the
question exists, sits in the right instrument, has a sensible type, and that
its own text or help talks about the item (its key words).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from assess.domain.bank import Bank, Question
from tests.bank.sources import (
    COMMENTARY,
    SOURCE_FILES,
    SURVEY,
    normalise,
    source_text,
    words,
)


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
    "most difficult challenges in delivering improved services (ranked)": [
        Covers("S-CHALLENGES", "ranking", ("challenges", "hardest first"))
    ],
    "areas where a partner is a priority (ranked)": [
        Covers("S-PARTNER-PRIORITY", "ranking", ("areas", "partner", "most important first"))
    ],
    "drivers for engaging a private-sector partner (ranked)": [
        Covers("S-DRIVERS", "ranking", ("drive", "private-sector partner", "strongest first"))
    ],
    "preferred contractual mechanism": [
        Covers("S-MECHANISM", "single", ("contractual mechanism", "prefer"))
    ],
    "partner participation in budget / strategic planning": [
        Covers("S-STRATEGIC-PLANNING", "yesno", ("partner", "budget", "strategic planning"))
    ],
    "importance of experimenting with service innovation and new technology": [
        Covers("S-INNOVATION", "likert", ("important", "innovation", "new technology"))
    ],
    "importance of user/citizen-centred design in commissioning": [
        Covers("S-USER-DESIGN", "yesno", ("important", "citizen-centred design", "commissioning"))
    ],
    "performance-management arrangements": [
        Covers("S-PERFORMANCE", "ranking", ("performance-management arrangements",))
    ],
    "a partner as prime collaborator managing a supply chain": [
        Covers("S-PRIME-COLLABORATOR", "yesno", ("prime collaborator", "supply chain"))
    ],
    "ideal contract length": [
        Covers("S-CONTRACT-LENGTH", "single", ("how long", "contract", "ideally"))
    ],
    "reasons for not engaging a partner (ranked)": [
        Covers("S-REASONS-AGAINST", "ranking", ("hold", "back", "partner", "reasons"))
    ],
    "which services are being considered for partnering": [
        Covers("S-SERVICES", "multi", ("which services", "considering", "partnership"))
    ],
}

READINESS_COVERAGE: dict[str, list[Covers]] = {
    "political and managerial leadership ownership": [
        Covers("R-LEAD-OWNERSHIP", "maturity", ("political", "managerial", "leadership", "own"))
    ],
    "partnership integral to the authority's objectives for its locality": [
        Covers("R-FIT-OBJECTIVES", "maturity", ("built into", "overall aims", "area"))
    ],
    "clear contribution to the transformation programme, the financial strategy "
    "and community well-being": [
        Covers("R-FIT-TRANSFORMATION", "maturity", ("clear", "programme", "transforming")),
        Covers("R-FIT-FINANCE", "maturity", ("clearly", "financial strategy")),
        Covers("R-FIT-WELLBEING", "maturity", ("clear", "well-being", "community")),
    ],
    "realism (not a panacea) and long-term wins with renewal over the partnership's life": [
        Covers("R-LEAD-REALISM", "maturity", ("realistic", "cure-all")),
        Covers("R-FIT-LONG-TERM", "maturity", ("wins", "whole life", "renewal")),
    ],
    "research of other authorities' experience and of other sectors": [
        Covers("R-MKT-RESEARCH", "maturity", ("researched", "other authorities", "other sectors"))
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
        Covers("R-STK-PARTNERS", "maturity", ("other local strategic partners", "involved"))
    ],
    "rigorous business case": [Covers("R-CASE-RIGOUR", "maturity", ("rigorous", "business case"))],
    "political debate before the make-or-buy decision": [
        Covers("R-CASE-DEBATE", "maturity", ("political debate", "before", "make-or-buy"))
    ],
    "readiness to decide not to proceed": [
        Covers("R-CASE-NOT-PROCEED", "maturity", ("prepared", "decide not to go ahead"))
    ],
    "public-value test": [Covers("R-PV-TEST", "maturity", ("tested", "public value"))],
    "sensible package of services": [
        Covers("R-SCOPE-PACKAGE", "maturity", ("sensible package of services",))
    ],
    "gateway reviews with stakeholders incl. user and employee representatives": [
        Covers(
            "R-GOV-GATEWAY",
            "maturity",
            ("gateway reviews", "stakeholders", "representatives", "users", "employees"),
        )
    ],
    "business-case reviews and revision when the specification changes": [
        Covers(
            "R-GOV-CASE-REVIEW",
            "maturity",
            ("business case", "reviewed", "revised", "specification changes"),
        )
    ],
    "partner selection on values, track record, political understanding and transparency": [
        Covers("R-SEL-VALUES", "maturity", ("preferred bidder", "values", "track record")),
        Covers("R-SEL-POLITICAL", "maturity", ("selection", "political", "transparency")),
    ],
    "appraisal of delivery models (joint venture, public–private–third-sector partnership, "
    "employee-owned company, social enterprise, transformation partnership, trading company)": [
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
    "an intelligent client function that keeps ownership of strategy": [
        Covers("R-CLIENT-INTELLIGENT", "maturity", ("intelligent client function", "strategy"))
    ],
    "outcome-based performance management": [
        Covers("R-CLIENT-OUTCOMES", "maturity", ("outcome-based performance management",))
    ],
    "user-centred design of future services": [
        Covers("R-PV-USER-DESIGN", "maturity", ("future services", "designed around their users"))
    ],
}

# The readiness dimensions the issue and DESIGN.md name -> the section that is each one,
# and words its title must use.
DIMENSIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "leadership and ownership": ("leadership", ("leadership", "ownership")),
    "strategic fit": ("strategic-fit", ("strategic fit",)),
    "business case and decision": ("business-case", ("business case", "decision")),
    "market analysis": ("market", ("market analysis",)),
    "stakeholder engagement": ("stakeholders", ("stakeholder engagement",)),
    "scope": ("scope", ("scope",)),
    "procurement governance": ("governance", ("procurement governance",)),
    "partner selection": ("selection", ("partner selection",)),
    "delivery model": ("delivery-model", ("delivery model",)),
    "client capability": ("client", ("client capability",)),
    "public value": ("public-value", ("public value",)),
}

CRITERION_DIMENSION = {
    "R-LEAD-": "leadership",
    "R-FIT-": "strategic-fit",
    "R-CASE-": "business-case",
    "R-MKT-": "market",
    "R-STK-": "stakeholders",
    "R-SCOPE-": "scope",
    "R-GOV-": "governance",
    "R-SEL-": "selection",
    "R-MODEL-": "delivery-model",
    "R-CLIENT-": "client",
    "R-PV-": "public-value",
}


def _mentions(question: Question, key: str) -> bool:
    text = f"{question.text} {question.help}".lower().replace("’", "'")
    return key.lower() in text


def test_the_tables_hold_the_whole_design_list() -> None:
    # DESIGN.md lists 13 survey items and 22 readiness items; none may be dropped from here.
    assert len(SURVEY_COVERAGE) == 13
    assert len(READINESS_COVERAGE) == 22
    assert len(DIMENSIONS) == 11


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


@pytest.mark.parametrize(
    ("item", "covered_by"), READINESS_COVERAGE.items(), ids=list(READINESS_COVERAGE)
)
def test_each_readiness_item_is_a_criterion(
    bank: Bank, item: str, covered_by: list[Covers]
) -> None:
    assert any(cover.type == "maturity" for cover in covered_by), item
    for cover in covered_by:
        question = bank.question(cover.qid)
        assert question is not None, f"{item!r}: no question {cover.qid}"
        assert bank.instrument_of(cover.qid) == "readiness", (item, cover.qid)
        assert question.type == cover.type, (item, cover.qid, question.type)
        if question.is_criterion:
            # A criterion an officer can close: it says what to do about a gap.
            assert len(question.action.split()) >= 8, cover.qid
            assert 1 <= question.weight <= 3 and 1 <= question.target <= 4
        missing = [key for key in cover.key_words if not _mentions(question, key)]
        assert not missing, f"{cover.qid} does not mention {missing} ({item!r})"


@pytest.mark.parametrize(("name", "section"), DIMENSIONS.items(), ids=list(DIMENSIONS))
def test_each_dimension_is_a_weighted_readiness_section(
    bank: Bank, name: str, section: tuple[str, tuple[str, ...]]
) -> None:
    section_id, title_words = section
    by_id = {s.id: s for s in bank.dimensions}
    assert section_id in by_id, name
    found = by_id[section_id]
    assert all(word in found.title.lower() for word in title_words), (name, found.title)
    assert any(q.is_criterion for q in found.questions), name
    assert found.weight >= 1


def test_every_criterion_sits_in_its_dimension(bank: Bank) -> None:
    # Ids carry their dimension (R-GOV-... is procurement governance); a criterion moved
    # to the wrong section would be scored under the wrong heading.
    for criterion in bank.criteria:
        prefix = next(p for p in CRITERION_DIMENSION if criterion.id.startswith(p))
        assert bank.section_of(criterion.id).id == CRITERION_DIMENSION[prefix], criterion.id
    assert {s.id for s in bank.dimensions} == set(CRITERION_DIMENSION.values())


def test_every_criterion_in_the_bank_is_in_the_coverage_table(bank: Bank) -> None:
    mapped = {c.qid for covers in READINESS_COVERAGE.values() for c in covers}
    assert {q.id for q in bank.criteria} <= mapped


def test_the_bank_lists_exactly_the_two_source_files(bank: Bank) -> None:
    assert set(bank.sources) == set(SOURCE_FILES)
    assert "survey" in bank.sources[SURVEY].title.lower()
    assert "for better or for worse" in bank.sources[COMMENTARY].title.lower()


def _all_sources(bank: Bank) -> list[tuple[str, str, str]]:
    """(where, file, quote) for every source reference in the bank."""
    found = []
    for q in bank.questions:
        found.append((q.id, q.source.file, q.source.quote))
        if q.respondents is not None:
            source = q.respondents.source
            found.append((f"{q.id} respondents", source.file, source.quote))
    return found


def test_every_quote_appears_verbatim_in_its_source(bank: Bank) -> None:
    references = _all_sources(bank)
    assert len(references) == len(bank.questions) + sum(1 for q in bank.questions if q.respondents)
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
        quoted = set(words(criterion.source.quote))
        own = set(words(f"{criterion.text} {criterion.help} {criterion.action}"))
        shared = {w for w in quoted & own if len(w) > 4}
        assert len(shared) >= 2, (criterion.id, shared)


MAX_SHARED_RUN = 5  # words; longer runs in common with a source read as copying


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


def test_our_wording_is_our_own(bank: Bank) -> None:
    # Only `quote` fields quote the sources. Option labels are exempt: they name the
    # answer categories the survey itself used, so that answers can be benchmarked.
    source_words = words(" ".join(source_text(name) for name in SOURCE_FILES))
    texts: list[tuple[str, str]] = []
    for section in bank.sections:
        texts += [(f"{section.id} title", section.title), (f"{section.id} intro", section.intro)]
    for q in bank.questions:
        texts += [(f"{q.id} text", q.text), (f"{q.id} help", q.help), (f"{q.id} action", q.action)]
        texts += [(f"{q.id} level {n}", t) for n, t in q.levels.items()]
        if q.respondents:
            texts.append((f"{q.id} summary", q.respondents.summary))
    for check in bank.consistency:
        texts += [(check.id, check.title), (check.id, check.explanation)]
    copied = []
    for where, text in texts:
        run, phrase = _longest_shared_run(text, source_words)
        if run > MAX_SHARED_RUN:
            copied.append(f"{where}: {phrase!r}")
    assert not copied, copied


def test_the_copy_check_can_fail() -> None:
    source_words = words(source_text(COMMENTARY))
    copied = "Is there a rigorous business case analysis and political debate?"
    assert _longest_shared_run(copied, source_words)[0] > MAX_SHARED_RUN
    assert _longest_shared_run("Is the business case rigorous?", source_words)[0] == 0

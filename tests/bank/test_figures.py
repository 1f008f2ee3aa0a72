"""Every survey figure and rank order in the bank is the source's own.

Two kinds of check: one generic (every `respondents` block is backed, figure by
figure and place by place, by its quote, and the quote by the source), and one
by hand (the figures as read from the source by a person, written out below).
"""

from __future__ import annotations

import re

import pytest

from assess.domain.bank import Bank, Question
from tests.bank.sources import SURVEY, find_in_order, normalise, source_text, words

# Read from the survey by hand: (question, option) -> share of respondents.
PERCENTAGES: dict[str, dict[str, float]] = {
    "S-EXPLORE": {"yes": 100},  # "an overwhelming 100%"
    "S-STRATEGIC-PLANNING": {"yes": 53},  # "just over half (53%)"
    "S-INNOVATION": {"high": 41, "medium": 48, "low": 11},
    "S-USER-DESIGN": {"yes": 93},  # "an overwhelming 93%"
    "S-PRIME-COLLABORATOR": {"yes": 46, "no": 54},
    "S-CONTRACT-LENGTH": {"1-3-years": 18, "3-5-years": 50, "over-5-years": 32},
}

# Read from the survey by hand: each ranking, first place first.
RANK_ORDERS: dict[str, list[str]] = {
    "S-CHALLENGES": [
        "delivery-capability",
        "skills",
        "user-expectations",
        "legacy-contracts",
        "technology",
        "investment-funding",
        "multi-agency",
    ],
    "S-PARTNER-PRIORITY": [
        "skills",
        "technology",
        "delivery-capability",
        "legacy-contracts",
        "user-expectations",
        "investment-funding",
        "multi-agency",
    ],
    "S-DRIVERS": [
        "skills",
        "cost-efficiency",
        "delivery-capability",
        "innovation-technology",
        "funding",
        "user-expectations",
    ],
    "S-MECHANISM": ["joint-venture", "fixed-term", "industry-framework", "prime-partner-framework"],
    "S-PERFORMANCE": ["outcome-based", "risk-reward", "kpis"],
    "S-REASONS-AGAINST": ["loss-of-control", "not-suitable", "inflexibility", "partner-experience"],
}

# How each ranked option is recognised in the source's sentence: key words taken from
# the option's label (the test checks they are in the label).
KEY_WORDS: dict[str, dict[str, str]] = {
    "S-CHALLENGES": {
        "delivery-capability": "delivery capability",
        "skills": "skills",
        "user-expectations": "expectations",
        "legacy-contracts": "legacy",
        "technology": "technology",
        "investment-funding": "investment funding",
        "multi-agency": "multi-agency",
    },
    "S-PARTNER-PRIORITY": {
        "skills": "skills",
        "technology": "technology",
        "delivery-capability": "delivery capability",
        "legacy-contracts": "legacy",
        "user-expectations": "expectations",
        "investment-funding": "investment funding",
        "multi-agency": "multi-agency",
    },
    "S-DRIVERS": {
        "skills": "skills",
        "cost-efficiency": "cost efficiencies",
        "delivery-capability": "delivery capability",
        "innovation-technology": "innovation",
        "funding": "funding",
        "user-expectations": "expectations",
    },
    "S-MECHANISM": {
        "joint-venture": "joint",
        "fixed-term": "fixed term",
        "industry-framework": "industry",
        "prime-partner-framework": "prime partner",
    },
    "S-PERFORMANCE": {"outcome-based": "outcome-based", "risk-reward": "risk", "kpis": "KPIs"},
    "S-REASONS-AGAINST": {
        "loss-of-control": "control",
        "not-suitable": "outsourcing",
        "inflexibility": "inflexibility",
        "partner-experience": "experience",
    },
}


def _question(bank: Bank, qid: str) -> Question:
    question = bank.question(qid)
    assert question is not None, qid
    return question


def _figure_in(text: str, share: float) -> bool:
    """Whether `text` states `share` percent (the survey says "exactly half" for 50)."""
    if re.search(rf"(?<![\d.]){re.escape(f'{share:g}')}%", text):
        return True
    return share == 50 and "half" in text.lower()


def test_the_complete_list_of_survey_questions_with_figures(bank: Bank) -> None:
    # A figure silently dropped from the bank (or one added without a hand check) fails here.
    with_percentages = {q.id for q in bank.questions if q.respondents and q.respondents.percentages}
    with_rank_order = {q.id for q in bank.questions if q.respondents and q.respondents.rank_order}
    assert with_percentages == set(PERCENTAGES)
    assert with_rank_order == set(RANK_ORDERS)
    assert all(bank.instrument_of(qid) == "survey" for qid in with_percentages | with_rank_order)


@pytest.mark.parametrize("qid", sorted(PERCENTAGES))
def test_percentages_are_the_sources(bank: Bank, qid: str) -> None:
    respondents = _question(bank, qid).respondents
    assert respondents is not None
    assert respondents.percentages == PERCENTAGES[qid]


@pytest.mark.parametrize("qid", sorted(RANK_ORDERS))
def test_rank_orders_are_the_sources(bank: Bank, qid: str) -> None:
    respondents = _question(bank, qid).respondents
    assert respondents is not None
    assert respondents.rank_order == RANK_ORDERS[qid]
    # A ranking's respondents rank every option it offers.
    assert set(respondents.rank_order) == set(_question(bank, qid).option_ids)


def test_every_respondents_quote_is_in_the_survey(bank: Bank) -> None:
    for q in bank.questions:
        if q.respondents is None:
            continue
        assert q.respondents.source.file == SURVEY, q.id
        assert normalise(q.respondents.source.quote) in source_text(SURVEY), q.id


@pytest.mark.parametrize("qid", sorted(PERCENTAGES))
def test_each_percentage_is_stated_in_the_quote_and_the_summary(bank: Bank, qid: str) -> None:
    respondents = _question(bank, qid).respondents
    assert respondents is not None
    for option_id, share in respondents.percentages.items():
        assert _figure_in(respondents.source.quote, share), (qid, option_id, share)
        assert _figure_in(respondents.summary, share), (qid, option_id, share)


@pytest.mark.parametrize("qid", sorted(RANK_ORDERS))
def test_each_rank_order_follows_the_quote_and_the_summary(bank: Bank, qid: str) -> None:
    question = _question(bank, qid)
    respondents = question.respondents
    assert respondents is not None
    keys = KEY_WORDS[qid]
    assert set(keys) == set(respondents.rank_order)
    for option_id, key in keys.items():
        option = question.option(option_id)
        assert option is not None, (qid, option_id)
        assert set(words(key)) <= set(words(option.label)), (qid, option_id, option.label)
    phrases = [keys[option_id] for option_id in respondents.rank_order]
    for text in (respondents.source.quote, respondents.summary):
        positions = find_in_order(text, phrases)
        assert -1 not in positions, (qid, list(zip(phrases, positions, strict=False)), text)


def test_the_order_check_notices_a_swap(bank: Bank) -> None:
    respondents = _question(bank, "S-CHALLENGES").respondents
    assert respondents is not None
    keys = KEY_WORDS["S-CHALLENGES"]
    swapped = list(respondents.rank_order)
    swapped[3], swapped[4] = swapped[4], swapped[3]  # technology before legacy contracts
    assert -1 in find_in_order(respondents.source.quote, [keys[o] for o in swapped])


def test_the_figure_check_notices_a_wrong_figure() -> None:
    quote = "exactly half said three to five years, 18% said one to three years"
    assert _figure_in(quote, 18) and _figure_in(quote, 50)
    assert not _figure_in(quote, 19) and not _figure_in(quote, 8)

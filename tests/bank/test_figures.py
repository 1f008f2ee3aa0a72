"""Every survey figure and every tier in the bank is the source's own.

Two kinds of check: one generic (every `respondents` block is backed, figure by
figure and tier by tier, by its quote, and the quote by the source), and one
by hand (the figures and the groupings as read from the source by a person,
written out below with the words of the source that show each one).
"""

from __future__ import annotations

import re

import pytest

from assess.domain.bank import Bank, Question
from tests.bank.banks import v2_bank
from tests.bank.sources import SURVEY, find_in_order, normalise, source_text, words


@pytest.fixture(scope="module")
def bank() -> Bank:
    return v2_bank()


# Read from the survey by hand: (question, option) -> share of respondents.
PERCENTAGES: dict[str, dict[str, float]] = {
    "S-EXPLORE": {"yes": 100},  # "an overwhelming 100%"
    # The survey asked about "the budget and/or strategic planning process" (53% yes); the
    # bank asks the two parts separately and says, in `asked`, what the survey asked.
    "S-PARTNER-STRATEGY": {"yes": 53},  # "just over half (53%)"
    "S-PARTNER-BUDGET": {"yes": 53},
    "S-INNOVATION": {"high": 41, "medium": 48, "low": 11},
    "S-USER-DESIGN": {"yes": 93},  # "an overwhelming 93%"
    "S-PRIME-COLLABORATOR": {"yes": 46, "no": 54},
    "S-CONTRACT-LENGTH": {"1-3-years": 18, "3-5-years": 50, "over-5-years": 32},
}
BROADER_QUESTION = {"S-PARTNER-STRATEGY", "S-PARTNER-BUDGET"}

# Read from the survey by hand: each ranking as tiers, top first, each tier with the words
# of the source that put its items there. A tier of several items is a group the source
# names together without ordering it ("followed by A and B", "A and B further down").
TIERS: dict[str, list[tuple[list[str], str]]] = {
    "S-CHALLENGES": [
        (["delivery-capability"], "Ensuring service delivery capability was top of the list"),
        (
            ["skills", "user-expectations"],
            "followed by access to skills and meeting the high expectations of service users",
        ),
        (
            ["legacy-contracts", "technology"],
            "There was slightly less concern about dealing with the legacy issues of service "
            "and technology contracts and indeed about access to technology",
        ),
        (
            ["investment-funding", "multi-agency"],
            "Respondents also put investment funding and collaborating on a multi-agency basis "
            "further down their list",
        ),
    ],
    "S-PARTNER-PRIORITY": [
        (["skills"], "access to skills was top of their list"),
        (["technology"], "closely followed by access to technology"),
        (
            ["delivery-capability"],
            "In descending order of importance partners were regarded as necessary in "
            "developing service delivery capability",
        ),
        (["legacy-contracts"], "dealing with legacy issues"),
        (["user-expectations"], "meeting the expectations of users"),
        (["investment-funding"], "investment funding"),
        (["multi-agency"], "and finally multi-agency collaboration"),
    ],
    "S-DRIVERS": [
        (["skills"], "Access to skills came out top"),
        (["cost-efficiency"], "followed by cost efficiencies"),
        (
            ["delivery-capability", "innovation-technology", "funding", "user-expectations"],
            "then service delivery capability, access to innovation and technology, access to "
            "funding and meeting service user expectations",
        ),
    ],
    "S-MECHANISM": [
        (["joint-venture"], "clearly favoured joint ventures"),
        (["fixed-term"], "followed by a fixed term contract"),
        (["industry-framework"], "then an industry framework"),
        (["prime-partner-framework"], "and finally a prime partner framework"),
    ],
    "S-PERFORMANCE": [
        (["outcome-based"], "outcome-based was top of the list"),
        (["risk-reward", "kpis"], "followed by risk/reward and KPIs"),
    ],
    "S-REASONS-AGAINST": [
        (["loss-of-control"], "The clear answer was fear of loss of control"),
        (
            ["not-suitable"],
            "followed by the fact that in their opinion the service might not be suitable "
            "for outsourcing",
        ),
        (["inflexibility"], "A third reason was inflexibility"),
        (["partner-experience"], "followed by the relevance of the partner’s previous experience"),
    ],
}

# How each ranked option is recognised in the source's words: key words taken from the
# option's label (the test checks they are in the label).
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


def _has(phrase: str, key: str) -> bool:
    return f" {' '.join(words(key))} " in f" {' '.join(words(phrase))} "


def test_the_complete_list_of_survey_questions_with_figures(bank: Bank) -> None:
    # A figure silently dropped from the bank (or one added without a hand check) fails here.
    with_percentages = {q.id for q in bank.questions if q.respondents and q.respondents.percentages}
    with_tiers = {q.id for q in bank.questions if q.respondents and q.respondents.tiers}
    assert with_percentages == set(PERCENTAGES)
    assert with_tiers == set(TIERS)
    assert all(bank.instrument_of(qid) == "survey" for qid in with_percentages | with_tiers)
    # Version 2 gives tiers, never the old rank order.
    assert not any(q.respondents.rank_order for q in bank.questions if q.respondents)


@pytest.mark.parametrize("qid", sorted(PERCENTAGES))
def test_percentages_are_the_sources(bank: Bank, qid: str) -> None:
    respondents = _question(bank, qid).respondents
    assert respondents is not None
    assert respondents.percentages == PERCENTAGES[qid]
    assert bool(respondents.asked) == (qid in BROADER_QUESTION)


def test_a_narrower_question_names_the_survey_s_broader_one(bank: Bank) -> None:
    for qid in sorted(BROADER_QUESTION):
        respondents = _question(bank, qid).respondents
        assert respondents is not None
        assert "budget and/or strategic planning" in respondents.asked
        assert "budget and/or strategic planning" in respondents.source.quote
        # The two parts are separate questions: one asks about the budget, one about planning.
    texts = {qid: _question(bank, qid).text.lower() for qid in BROADER_QUESTION}
    assert "budget" in texts["S-PARTNER-BUDGET"] and "strategic" not in texts["S-PARTNER-BUDGET"]
    assert "strategic planning" in texts["S-PARTNER-STRATEGY"]
    assert "budget" not in texts["S-PARTNER-STRATEGY"]


@pytest.mark.parametrize("qid", sorted(TIERS))
def test_tiers_are_the_sources_grouping(bank: Bank, qid: str) -> None:
    question = _question(bank, qid)
    respondents = question.respondents
    assert respondents is not None
    assert [list(tier) for tier in respondents.tiers] == [tier for tier, _ in TIERS[qid]]
    # Every option the question offers sits in exactly one tier.
    listed = [o for tier in respondents.tiers for o in tier]
    assert sorted(listed) == sorted(question.option_ids)


@pytest.mark.parametrize("qid", sorted(TIERS))
def test_each_tier_rests_on_the_words_that_show_it(bank: Bank, qid: str) -> None:
    respondents = _question(bank, qid).respondents
    assert respondents is not None
    quote = normalise(respondents.source.quote)
    keys = KEY_WORDS[qid]
    phrases = [normalise(phrase) for _, phrase in TIERS[qid]]
    # The phrases are the source's words, in the source's order.
    assert -1 not in find_in_order(quote, phrases), (qid, phrases)
    for (tier, phrase), other in zip(TIERS[qid], phrases, strict=True):
        assert other in quote, (qid, phrase)
        # A tier's items are named in its phrase; no other tier's item is.
        for option_id in tier:
            assert _has(phrase, keys[option_id]), (qid, option_id, phrase)
        for option_id, key in keys.items():
            if option_id not in tier and key not in ("technology", "funding"):
                assert not _has(phrase, key), (qid, option_id, phrase)


def test_a_tier_of_several_is_never_split_into_places(bank: Bank) -> None:
    # The groupings this review found in the source, and that version 1 had turned into
    # strict places: each must be one tier.
    groups = {
        "S-CHALLENGES": [{"skills", "user-expectations"}, {"legacy-contracts", "technology"}],
        "S-DRIVERS": [
            {"delivery-capability", "innovation-technology", "funding", "user-expectations"}
        ],
        "S-PERFORMANCE": [{"risk-reward", "kpis"}],
    }
    for qid, expected in groups.items():
        respondents = _question(bank, qid).respondents
        assert respondents is not None
        tiers = [set(t) for t in respondents.tiers]
        for group in expected:
            assert group in tiers, (qid, group)


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


@pytest.mark.parametrize("qid", sorted(TIERS))
def test_each_summary_follows_the_tiers(bank: Bank, qid: str) -> None:
    question = _question(bank, qid)
    respondents = question.respondents
    assert respondents is not None
    keys = KEY_WORDS[qid]
    assert set(keys) == set(respondents.tier_of)
    for option_id, key in keys.items():
        option = question.option(option_id)
        assert option is not None, (qid, option_id)
        assert set(words(key)) <= set(words(option.label)), (qid, option_id, option.label)
    # The summary names the tiers in order (the first item of each).
    firsts = [keys[tier[0]] for tier in respondents.tiers]
    positions = find_in_order(respondents.summary, firsts)
    assert -1 not in positions, (qid, list(zip(firsts, positions, strict=False)))
    # And a summary of grouped tiers says that the source does not order within them.
    if any(len(tier) > 1 for tier in respondents.tiers):
        said = respondents.summary.lower()
        assert "without an order" in said or "does not order" in said, qid


def test_the_order_check_notices_a_swap(bank: Bank) -> None:
    respondents = _question(bank, "S-REASONS-AGAINST").respondents
    assert respondents is not None
    keys = KEY_WORDS["S-REASONS-AGAINST"]
    swapped = [tier[0] for tier in respondents.tiers]
    swapped[1], swapped[2] = swapped[2], swapped[1]  # inflexibility before suitability
    assert -1 in find_in_order(respondents.source.quote, [keys[o] for o in swapped])


def test_the_figure_check_notices_a_wrong_figure() -> None:
    quote = "exactly half said three to five years, 18% said one to three years"
    assert _figure_in(quote, 18) and _figure_in(quote, 50)
    assert not _figure_in(quote, 19) and not _figure_in(quote, 8)


def test_the_tier_check_notices_a_group_split_or_merged() -> None:
    phrase = "followed by access to skills and meeting the high expectations of service users"
    assert _has(phrase, "skills") and _has(phrase, "expectations")
    assert not _has(phrase, "legacy") and not _has(phrase, "delivery capability")

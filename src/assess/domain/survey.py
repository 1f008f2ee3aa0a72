"""How an officer's survey answers compare with the chief executives', and consistency checks.

Two things the report adds to the readiness score:

- the survey benchmark: for each survey question shown, what the surveyed
  chief executives answered (the bank's `respondents` figures) set beside the
  officer's answer. For a yes/no, single-choice or scale question, the share
  of respondents who gave the officer's answer, where the source gives one;
  where it gives a figure only for another answer, that figure and the fact
  that the source says nothing of the rest. For a ranking, the tier of the
  respondents' order in which each of the officer's first choices falls (the
  source often ranks a group of items together, so no item is given a place
  the source does not give it), and how far the two orders agree, by
  Kendall's tau-b, which counts items in one tier as tied;
- consistency checks: the bank's `consistency` list, each a survey answer
  that sits uneasily with a readiness criterion rated below its threshold.
  A check looks only at a rated level, never at an unrated criterion, and
  says what the level is in the bank's own words for it.

Pure functions over a bank and its answers, returning frozen dataclasses
whose plain-English sentences every report format shows unchanged, so the
terminal, Markdown, HTML and JSON reports all say the same thing. Sentences
use question texts and option labels, never ids.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assess.domain import stages
from assess.domain.answers import Answer, Answers, condition_met, visible_ids
from assess.domain.bank import Bank, Condition, ConsistencyCheck, Question, QuoteSource

# How many of the officer's first choices are placed in the respondents' tiers.
FIRST_CHOICES = 3
# Agreement between two orders is shown only over at least this many shared items.
MIN_SHARED_FOR_AGREEMENT = 3
# Shares given to within rounding of 100% account for everyone surveyed.
_ALL_ACCOUNTED = 99.5

WHO = "the chief executives surveyed"
NOT_ANSWERED = "Not answered yet."


@dataclass(frozen=True)
class OptionShare:
    """An option's share of the respondents, and whether the officer chose it."""

    option_id: str
    label: str
    percent: float
    chosen: bool


@dataclass(frozen=True)
class TierPlacement:
    """Where an option the officer ranked (or chose) falls in the respondents' tiers."""

    option_id: str
    label: str
    your_rank: int
    tier: int | None  # their tier, counting from 1; None when the source does not rank it
    tier_count: int
    tied_with: tuple[str, ...]  # labels of the other options in the same tier


@dataclass(frozen=True)
class RankAgreement:
    """Kendall's tau-b between the officer's ranking and the respondents' tiers.

    Over the `shared` options both rank: `concordant` and `discordant` pairs,
    and the pairs tied in their order (`tied_theirs`, the options they put in one
    tier) and in the officer's (`tied_yours`, always 0 for a ranking).
    tau-b = (concordant − discordant) / √((pairs − tied_yours) × (pairs − tied_theirs)).
    """

    shared: int
    concordant: int
    discordant: int
    tied_yours: int
    tied_theirs: int

    @property
    def pairs(self) -> int:
        return self.shared * (self.shared - 1) // 2

    @property
    def numerator(self) -> int:
        return self.concordant - self.discordant

    @property
    def denominator_squared(self) -> int:
        return (self.pairs - self.tied_yours) * (self.pairs - self.tied_theirs)

    @property
    def defined(self) -> bool:
        return self.denominator_squared > 0

    @property
    def tau_b(self) -> float | None:
        if not self.defined:
            return None
        return self.numerator / math.sqrt(self.denominator_squared)

    def formatted(self) -> str:
        """Two decimals, rounded half away from zero, worked out exactly."""
        if not self.defined:
            return ""
        hundredths = _rounded_hundredths(abs(self.numerator), self.denominator_squared)
        sign = "−" if self.numerator < 0 and hundredths else ""
        return f"{sign}{hundredths // 100}.{hundredths % 100:02d}"


@dataclass(frozen=True)
class SurveyComparison:
    """One survey question: the officer's answer beside the respondents' figures."""

    question_id: str
    section_title: str
    text: str
    type: str
    origin: str  # "survey", or "authority" for the authority's own context question
    answered: bool
    answer_text: str  # the officer's answer in words ("" when unanswered)
    has_figures: bool
    summary: str  # the bank's summary of how the respondents answered
    asked: str  # the survey's own, broader question, when this one asks only part of it
    source_file: str
    source_quote: str
    shares: tuple[OptionShare, ...]  # options with a figure, in bank order
    most_common: tuple[OptionShare, ...]  # more than one when tied; empty when unknowable
    tiers: tuple[tuple[tuple[str, str], ...], ...]  # their tiers of (option id, label)
    placements: tuple[TierPlacement, ...]  # the officer's options in the officer's order
    agreement: RankAgreement | None  # None when fewer than three options are shared
    findings: tuple[str, ...]  # plain-English sentences, in reading order


@dataclass(frozen=True)
class ConsistencyFinding:
    """One of the bank's consistency checks, evaluated against the answers."""

    id: str
    title: str
    criterion_id: str
    criterion_text: str
    level: int | None  # None: not rated (or marked not applicable); a check never fires then
    level_label: str  # the level in words ("In progress"), "" when not rated
    threshold: int  # fires when the rated level is below this
    threshold_kind: str  # "target" or "level"
    applicable: bool  # False when not applicable, hidden, or for a later stage
    conditions_met: bool
    fires: bool
    because: tuple[str, ...]  # why the survey side applies, one phrase per condition
    context: str  # where the criterion stands, in words
    explanation: str


@dataclass(frozen=True)
class Benchmark:
    """The survey benchmark and the consistency checks for one set of answers."""

    survey: tuple[SurveyComparison, ...]
    consistency: tuple[ConsistencyFinding, ...]

    @property
    def fired(self) -> tuple[ConsistencyFinding, ...]:
        return tuple(f for f in self.consistency if f.fires)


# ----------------------------------------------------------------------------
# Wording helpers


def ordinal(n: int) -> str:
    """1 → "1st", 2 → "2nd", 11 → "11th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_percent(value: float) -> str:
    """53.0 → "53%", 12.5 → "12.5%"."""
    return f"{value:g}%"


def _quoted(label: str) -> str:
    return f"“{label}”"


def _label(question: Question, option_id: str) -> str:
    option = question.option(option_id)
    return option.label if option else option_id


def _listed(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def describe_answer(bank: Bank, question: Question, answer: Answer | None) -> str:
    """An answer in words, as an officer would read it."""
    if answer is None:
        return ""
    if answer.is_na:
        return f"Not applicable: {answer.na_reason}"
    value = answer.value
    if question.is_criterion and isinstance(value, int):
        return f"{value} – {bank.level_label(value)}"
    if isinstance(value, tuple):
        labels = [_label(question, v) for v in value]
        if question.type == "ranking":
            return "; ".join(f"{i}. {label}" for i, label in enumerate(labels, 1))
        return "; ".join(labels) if labels else "None of these"
    if isinstance(value, str) and question.options:
        return _label(question, value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        return f"{shown} {question.unit}".rstrip()
    return str(value)


# ----------------------------------------------------------------------------
# Rank agreement


def kendall_tau_b(yours: Mapping[str, int], theirs: Mapping[str, int]) -> RankAgreement:
    """Kendall's tau-b over the items both rankings contain (rank 1 = first; ties share a rank).

    Leaving an item out is not counted as disagreement: only items in both count.
    """
    shared = [item for item in yours if item in theirs]
    concordant = discordant = tied_yours = tied_theirs = 0
    for i, a in enumerate(shared):
        for b in shared[i + 1 :]:
            mine = yours[a] - yours[b]
            other = theirs[a] - theirs[b]
            if mine == 0:
                tied_yours += 1
            if other == 0:
                tied_theirs += 1
            if mine and other:
                if (mine > 0) == (other > 0):
                    concordant += 1
                else:
                    discordant += 1
    return RankAgreement(len(shared), concordant, discordant, tied_yours, tied_theirs)


def _rounded_hundredths(numerator: int, denominator_squared: int) -> int:
    """round(100 × numerator / √denominator_squared), halves away from zero, in integers."""
    # k rounds x = 100n/√d when (2k − 1)² d ≤ 40000 n² < (2k + 1)² d.
    target = 40000 * numerator * numerator
    k = int(100 * numerator / math.sqrt(denominator_squared) + 0.5)
    while k > 0 and (2 * k - 1) ** 2 * denominator_squared > target:
        k -= 1
    while (2 * k + 1) ** 2 * denominator_squared <= target:
        k += 1
    return k


def format_agreement(agreement: RankAgreement) -> str:
    return agreement.formatted()


# ----------------------------------------------------------------------------
# The survey benchmark


def compare_survey(
    bank: Bank, question: Question, answer: Answer | None, section_title: str = ""
) -> SurveyComparison:
    """Set one survey answer beside the respondents' figures for that question."""
    respondents = question.respondents
    answered = answer is not None and not answer.is_na and answer.value is not None
    chosen: tuple[str, ...] = ()
    if answered and answer is not None:
        value = answer.value
        if isinstance(value, tuple):
            chosen = value
        elif isinstance(value, str) and question.options:
            chosen = (value,)

    shares: tuple[OptionShare, ...] = ()
    most_common: tuple[OptionShare, ...] = ()
    tiers: tuple[tuple[tuple[str, str], ...], ...] = ()
    placements: tuple[TierPlacement, ...] = ()
    agreement: RankAgreement | None = None
    findings: list[str] = []

    if respondents is None:
        findings.append(
            "This is your authority's own context question, not one the survey asked, "
            "so there is nothing to compare it with."
            if question.is_authority_context
            else "The survey source gives no figures for this question."
        )
    else:
        if respondents.percentages:
            shares = tuple(
                OptionShare(o.id, o.label, respondents.percentages[o.id], o.id in chosen)
                for o in question.options
                if o.id in respondents.percentages
            )
            top = max(s.percent for s in shares)
            # Only claim a most common answer when no option without a figure could beat it.
            if top >= 100 - sum(respondents.percentages.values()):
                most_common = tuple(s for s in shares if s.percent == top)
        if respondents.tiers:
            tiers = tuple(
                tuple((o, _label(question, o)) for o in tier) for tier in respondents.tiers
            )
            placements = tuple(
                _placement(question, respondents.tier_of, tiers, option_id, rank)
                for rank, option_id in enumerate(chosen, 1)
            )
            if question.type == "ranking" and chosen:
                ranked = kendall_tau_b({o: n for n, o in enumerate(chosen, 1)}, respondents.tier_of)
                if ranked.shared >= MIN_SHARED_FOR_AGREEMENT:
                    agreement = ranked
        if not answered:
            findings.append(NOT_ANSWERED)
        elif respondents.asked:
            findings.extend(_broader_question_findings(question, chosen, shares, respondents.asked))
        else:
            findings.extend(_share_findings(question, chosen, shares, most_common))
            findings.extend(_tier_findings(question, placements, tiers, agreement))

    source = respondents.source if respondents else question.source
    return SurveyComparison(
        question_id=question.id,
        section_title=section_title,
        text=question.text,
        type=question.type,
        origin=question.origin,
        answered=answered,
        answer_text=describe_answer(bank, question, answer) if answered else "",
        has_figures=respondents is not None,
        summary=respondents.summary if respondents else "",
        asked=respondents.asked if respondents else "",
        source_file=source.file if isinstance(source, QuoteSource) else "",
        source_quote=respondents.source.quote if respondents else "",
        shares=shares,
        most_common=most_common,
        tiers=tiers,
        placements=placements,
        agreement=agreement,
        findings=tuple(findings),
    )


def _placement(
    question: Question,
    tier_of: Mapping[str, int],
    tiers: tuple[tuple[tuple[str, str], ...], ...],
    option_id: str,
    rank: int,
) -> TierPlacement:
    tier = tier_of.get(option_id)
    tied = () if tier is None else tuple(label for o, label in tiers[tier - 1] if o != option_id)
    return TierPlacement(option_id, _label(question, option_id), rank, tier, len(tiers), tied)


def _figures_given(shares: tuple[OptionShare, ...]) -> str:
    """ "46% said “Yes” and 54% said “No”"."""
    return _listed([f"{format_percent(s.percent)} said {_quoted(s.label)}" for s in shares])


def _share_findings(
    question: Question,
    chosen: tuple[str, ...],
    shares: tuple[OptionShare, ...],
    most_common: tuple[OptionShare, ...],
) -> list[str]:
    if not shares or not chosen:
        return []
    by_id = {s.option_id: s for s in shares}
    everyone = sum(s.percent for s in shares) >= _ALL_ACCOUNTED
    sentences: list[str] = []
    verb = {"ranking": "ranked first", "multi": "chose"}.get(question.type, "answered")
    for option_id in chosen if question.type != "ranking" else chosen[:1]:
        label = _quoted(_label(question, option_id))
        share = by_id.get(option_id)
        if share is not None:
            sentences.append(
                f"You {verb} {label}; {format_percent(share.percent)} of {WHO} did the same."
            )
            continue
        # The source gives figures only for other options: say what it gives, infer nothing.
        given = _figures_given(shares)
        if everyone:
            sentences.append(f"You {verb} {label}. Of {WHO}, {given}.")
        else:
            only = "a figure only" if len(shares) == 1 else "figures only"
            sentences.append(
                f"You {verb} {label}. The source gives {only} for other answers: {given}; "
                "it does not say how the rest answered."
            )
    if question.type in ("single", "likert", "yesno") and most_common:
        if any(s.chosen for s in most_common):
            sentences.append("That was their most common answer.")
        else:
            top = " and ".join(
                f"{_quoted(s.label)} ({format_percent(s.percent)})" for s in most_common
            )
            noun = "answers were" if len(most_common) > 1 else "answer was"
            sentences.append(f"Their most common {noun} {top}.")
    return sentences


def _broader_question_findings(
    question: Question, chosen: tuple[str, ...], shares: tuple[OptionShare, ...], asked: str
) -> list[str]:
    answer = _listed([_quoted(_label(question, o)) for o in chosen])
    given = _figures_given(shares)
    rest = (
        ""
        if sum(s.percent for s in shares) >= _ALL_ACCOUNTED
        else ("; the source does not say how the rest answered")
    )
    return [
        f"You answered {answer}.",
        f"The survey asked a broader question, {asked}: of {WHO}, {given}{rest}.",
        "Your answer is to a narrower question, so it is not compared with theirs directly.",
    ]


def _where_in_tiers(placement: TierPlacement, singletons: bool) -> str:
    if placement.tier is None:
        return "is not in their list"
    if singletons:
        return f"was ranked {ordinal(placement.tier)} of {placement.tier_count} by them"
    where = f"their {ordinal(placement.tier)} group of {placement.tier_count}"
    if placement.tier == 1:
        where = f"their top group (of {placement.tier_count})"
    if not placement.tied_with:
        return f"is alone in {where}"
    return f"is in {where}, with {_listed([_quoted(t) for t in placement.tied_with])}"


def _tier_findings(
    question: Question,
    placements: tuple[TierPlacement, ...],
    tiers: tuple[tuple[tuple[str, str], ...], ...],
    agreement: RankAgreement | None,
) -> list[str]:
    if not placements or not tiers:
        return []
    singletons = all(len(tier) == 1 for tier in tiers)
    sentences: list[str] = []
    if question.type == "ranking":
        for placement in placements[:FIRST_CHOICES]:
            sentences.append(
                f"Your {ordinal(placement.your_rank)} choice, {_quoted(placement.label)}, "
                f"{_where_in_tiers(placement, singletons)}."
            )
    else:
        placement = placements[0]
        sentences.append(
            f"You chose {_quoted(placement.label)}; it {_where_in_tiers(placement, singletons)}."
        )
    if placements[0].tier != 1:
        top = [_quoted(label) for _, label in tiers[0]]
        if len(top) == 1:
            sentences.append(f"Their first choice was {top[0]}.")
        else:
            sentences.append(f"Their top group was {_listed(top)}.")
    if agreement is not None:
        if agreement.defined:
            sentences.append(
                f"On the {agreement.shared} options you both ranked, the orders agree at "
                f"{agreement.formatted()} on Kendall's tau-b (1 = the same order, 0 = no "
                "relation, −1 = the reverse; options they grouped together count as tied)."
            )
        else:
            sentences.append(
                f"They put all {agreement.shared} options you both ranked in one group, so how "
                "far the orders agree cannot be measured."
            )
    return sentences


def survey_benchmark(bank: Bank, answers: Answers) -> tuple[SurveyComparison, ...]:
    """Every survey question shown, in bank order, beside the respondents' figures."""
    survey = bank.instrument("survey")
    if survey is None:
        return ()
    shown = visible_ids(bank, answers)
    return tuple(
        compare_survey(bank, q, answers.get(q.id), section.title)
        for section in survey.sections
        for q in section.questions
        if q.id in shown
    )


# ----------------------------------------------------------------------------
# Consistency checks


def describe_condition(bank: Bank, condition: Condition, answers: Answers) -> str:
    """What the officer answered that makes this condition hold, as a phrase."""
    question = bank.question(condition.question)
    if question is None:
        return "an answer to a question this bank no longer has"
    asked = _quoted(question.text)
    if condition.first is not None:
        return f"you ranked {_quoted(_label(question, condition.first))} first"
    if condition.equals is not None:
        shown = (
            _label(question, condition.equals)
            if isinstance(condition.equals, str)
            else f"{condition.equals} – {bank.level_label(condition.equals)}"
        )
        return f"you answered {_quoted(shown)} to {asked}"
    if condition.any_of is not None:
        answer = answers.get(question.id)
        value = answer.value if answer is not None else None
        picked = value if isinstance(value, tuple) else (value,)
        matched = [o for o in condition.any_of if o in picked] or list(condition.any_of)
        labels = _listed([_quoted(_label(question, o)) for o in matched])
        return f"your answer to {asked} includes {labels}"
    if condition.at_least is not None:
        return f"your answer to {asked} is at least {condition.at_least:g}"
    if condition.answered:
        return f"you answered {asked}"
    return f"you left {asked} unanswered"


def check_consistency(
    bank: Bank,
    answers: Answers,
    check: ConsistencyCheck,
    shown: set[str] | None = None,
    stage: int | None = None,
) -> ConsistencyFinding | None:
    """Evaluate one consistency check.

    It fires when every condition holds and the criterion applies (shown, not
    marked not applicable, and, when `stage` is given, due by that stage) and
    has been rated below the threshold. An unrated criterion never fires: the
    check says it is waiting for a rating. None when the check names no
    criterion of this bank (the loader refuses such banks, so this only
    guards banks built in code).
    """
    criterion = bank.question(check.criterion)
    if criterion is None or not criterion.is_criterion:
        return None
    answer = answers.get(criterion.id)
    if shown is None:
        shown = visible_ids(bank, answers)
    na = answer is not None and answer.is_na
    later = stage is not None and criterion.from_stage > stage
    applicable = criterion.id in shown and not na and not later
    level = answer.level if answer is not None and not na else None
    if check.below_level is not None:
        threshold, kind = check.below_level, "level"
    else:
        threshold, kind = criterion.target, "target"
    met = all(condition_met(bank, c, answers) for c in check.when)
    fires = met and applicable and level is not None and level < threshold
    return ConsistencyFinding(
        id=check.id,
        title=check.title,
        criterion_id=criterion.id,
        criterion_text=criterion.text,
        level=level,
        level_label=bank.level_label(level) if level is not None else "",
        threshold=threshold,
        threshold_kind=kind,
        applicable=applicable,
        conditions_met=met,
        fires=fires,
        because=tuple(describe_condition(bank, c, answers) for c in check.when) if met else (),
        context=_criterion_context(bank, criterion, answer, applicable, later, threshold, kind),
        explanation=check.explanation,
    )


def level_in_words(bank: Bank, level: int) -> str:
    """ "level 2, in progress": the level and its name, from the bank."""
    return f"level {level}, {bank.level_label(level).lower()}"


def _criterion_context(
    bank: Bank,
    criterion: Question,
    answer: Answer | None,
    applicable: bool,
    later: bool,
    threshold: int,
    kind: str,
) -> str:
    name = _quoted(criterion.text)
    if answer is not None and answer.is_na:
        return f"{name} is marked not applicable: {answer.na_reason}"
    if later:
        stage = stages.stage(criterion.from_stage)
        return (
            f"{name} applies from stage {stage.number} ({stage.name}), later than this "
            "assessment's stage."
        )
    if not applicable:
        return f"{name} is not asked, given your other answers."
    level = answer.level if answer is not None else None
    if level is None:
        return f"{name} is not yet rated; this check looks at it once it is."
    mark = f"its target of {threshold}" if kind == "target" else f"level {threshold}"
    relation = "below" if level < threshold else "at or above"
    return f"{name} is at {level_in_words(bank, level)}: {relation} {mark}."


def consistency_findings(
    bank: Bank, answers: Answers, stage: int | None = None
) -> tuple[ConsistencyFinding, ...]:
    """Every consistency check in the bank, in bank order, evaluated."""
    shown = visible_ids(bank, answers)
    findings = (check_consistency(bank, answers, check, shown, stage) for check in bank.consistency)
    return tuple(f for f in findings if f is not None)


def benchmark(bank: Bank, answers: Answers, stage: int | None = None) -> Benchmark:
    """The survey benchmark and the consistency checks together.

    `stage` (an assessment's stage, when it has one) keeps criteria due at a
    later stage out of the consistency checks.
    """
    return Benchmark(
        survey=survey_benchmark(bank, answers),
        consistency=consistency_findings(bank, answers, stage),
    )

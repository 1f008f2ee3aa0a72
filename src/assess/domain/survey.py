"""How an officer's survey answers compare with the chief executives', and consistency checks.

Two things the report adds to the readiness score:

- the survey benchmark: for each survey question shown, what the surveyed
  chief executives answered (the bank's `respondents` figures) set beside
  the officer's answer: the share who gave the same answer, their most
  common answer, or where the officer's choices sit in their rank order;
- consistency checks: the bank's `consistency` list, each a survey answer
  that sits uneasily with a readiness criterion below its target.

Pure functions over a bank and its answers, returning frozen dataclasses
whose plain-English sentences every report format shows unchanged, so the
terminal, Markdown, HTML and JSON reports all say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from assess.domain.answers import Answer, Answers, condition_met, visible_ids
from assess.domain.bank import Bank, Condition, ConsistencyCheck, Question

# The number of top choices compared between a ranking and the respondents' order.
TOP = 3
# Shares given to within rounding of 100% account for everyone surveyed, so an
# option without a figure was chosen by no one.
_ALL_ACCOUNTED = 99.5

WHO = "the chief executives surveyed"


@dataclass(frozen=True)
class OptionShare:
    """An option's share of the respondents, and whether the officer chose it."""

    option_id: str
    label: str
    percent: float
    chosen: bool


@dataclass(frozen=True)
class Placement:
    """Where an option the officer ranked (or chose) sits in the respondents' order."""

    option_id: str
    label: str
    your_rank: int
    their_rank: int | None  # None: the source does not rank this option


@dataclass(frozen=True)
class SurveyComparison:
    """One survey question: the officer's answer beside the respondents' figures."""

    question_id: str
    section_title: str
    text: str
    type: str
    answered: bool
    answer_text: str  # the officer's answer in words ("" when unanswered)
    has_figures: bool
    summary: str  # the bank's summary of how the respondents answered
    source_file: str
    source_quote: str
    shares: tuple[OptionShare, ...]  # options with a figure, in bank order
    most_common: tuple[OptionShare, ...]  # more than one when tied
    their_order: tuple[tuple[str, str], ...]  # (option id, label), most important first
    placements: tuple[Placement, ...]  # the officer's options in the officer's order
    top_overlap: int | None  # how many of the officer's top choices are in theirs
    top_size: int | None  # how many top choices were compared
    spearman: Fraction | None  # rank agreement on the options both ranked
    shared: int  # how many options both ranked
    findings: tuple[str, ...]  # plain-English sentences, in reading order


@dataclass(frozen=True)
class ConsistencyFinding:
    """One of the bank's consistency checks, evaluated against the answers."""

    id: str
    title: str
    criterion_id: str
    criterion_text: str
    level: int | None  # None: not yet rated (counts as level 0)
    threshold: int  # fires when the level is below this
    threshold_kind: str  # "target" or "level"
    applicable: bool  # False when the criterion is marked not applicable or hidden
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


def spearman(yours: Sequence[str], theirs: Sequence[str]) -> tuple[Fraction | None, int]:
    """Spearman's rank correlation over the items both orders contain, and how many there are.

    Each order is re-ranked 1..n over the shared items only, so leaving an
    option out is not counted as disagreement. None when fewer than two are shared.
    """
    shared = [item for item in yours if item in theirs]
    n = len(shared)
    if n < 2:
        return None, n
    their_shared = [item for item in theirs if item in shared]
    your_rank = {item: i for i, item in enumerate(shared)}
    their_rank = {item: i for i, item in enumerate(their_shared)}
    d_squared = sum((your_rank[item] - their_rank[item]) ** 2 for item in shared)
    return 1 - Fraction(6 * d_squared, n * (n * n - 1)), n


def format_agreement(value: Fraction) -> str:
    """Two decimals, rounded half away from zero, from the exact fraction."""
    hundredths = abs(value) * 100
    rounded = int(hundredths + Fraction(1, 2))
    sign = "−" if value < 0 and rounded else ""
    return f"{sign}{rounded // 100}.{rounded % 100:02d}"


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
    their_order: tuple[tuple[str, str], ...] = ()
    placements: tuple[Placement, ...] = ()
    top_overlap: int | None = None
    top_size: int | None = None
    rho: Fraction | None = None
    shared = 0
    findings: list[str] = []

    if respondents is None:
        findings.append("The survey source gives no figures for this question.")
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
        if respondents.rank_order:
            their_order = tuple((o, _label(question, o)) for o in respondents.rank_order)
            their_rank = {o: i for i, o in enumerate(respondents.rank_order, 1)}
            placements = tuple(
                Placement(o, _label(question, o), i, their_rank.get(o))
                for i, o in enumerate(chosen, 1)
            )
            if question.type == "ranking" and chosen:
                top_size = min(TOP, len(chosen), len(respondents.rank_order))
                theirs_top = set(respondents.rank_order[:top_size])
                top_overlap = sum(1 for o in chosen[:top_size] if o in theirs_top)
                rho, shared = spearman(chosen, respondents.rank_order)
        if not answered:
            findings.append("Not answered yet.")
        else:
            findings.extend(
                _share_findings(question, chosen, shares, most_common, respondents.percentages)
            )
            findings.extend(
                _rank_findings(
                    question, placements, their_order, top_overlap, top_size, rho, shared
                )
            )

    return SurveyComparison(
        question_id=question.id,
        section_title=section_title,
        text=question.text,
        type=question.type,
        answered=answered,
        answer_text=describe_answer(bank, question, answer) if answered else "",
        has_figures=respondents is not None,
        summary=respondents.summary if respondents else "",
        source_file=respondents.source.file if respondents else question.source.file,
        source_quote=respondents.source.quote if respondents else "",
        shares=shares,
        most_common=most_common,
        their_order=their_order,
        placements=placements,
        top_overlap=top_overlap,
        top_size=top_size,
        spearman=rho,
        shared=shared,
        findings=tuple(findings),
    )


def _share_findings(
    question: Question,
    chosen: tuple[str, ...],
    shares: tuple[OptionShare, ...],
    most_common: tuple[OptionShare, ...],
    percentages: dict[str, float],
) -> list[str]:
    if not shares or not chosen:
        return []
    by_id = {s.option_id: s for s in shares}
    everyone = sum(percentages.values()) >= _ALL_ACCOUNTED
    sentences: list[str] = []
    for option_id in chosen if question.type != "ranking" else chosen[:1]:
        label = _quoted(_label(question, option_id))
        share = by_id.get(option_id)
        verb = "ranked first" if question.type == "ranking" else "answered"
        if question.type == "multi":
            verb = "chose"
        if share is not None:
            sentences.append(
                f"You {verb} {label}; {format_percent(share.percent)} of {WHO} did the same."
            )
        elif everyone:
            sentences.append(f"You {verb} {label}; none of {WHO} did.")
        else:
            sentences.append(f"You {verb} {label}; the source gives no figure for that answer.")
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


def _rank_findings(
    question: Question,
    placements: tuple[Placement, ...],
    their_order: tuple[tuple[str, str], ...],
    top_overlap: int | None,
    top_size: int | None,
    rho: Fraction | None,
    shared: int,
) -> list[str]:
    if not placements or not their_order:
        return []
    sentences: list[str] = []
    first = placements[0]
    count = len(their_order)
    where = (
        f"they ranked it {ordinal(first.their_rank)} of {count}"
        if first.their_rank is not None
        else "they did not rank it"
    )
    their_first = _quoted(their_order[0][1])
    if question.type == "ranking":
        sentences.append(f"You ranked {_quoted(first.label)} first; {where}.")
    else:
        sentences.append(f"You chose {_quoted(first.label)}; {where}.")
    if first.their_rank != 1:
        sentences.append(f"Their first choice was {their_first}.")
    if top_overlap is not None and top_size is not None:
        if top_size == 1:
            sentences.append(
                "Your first choice is also theirs."
                if top_overlap
                else "Your first choice is not theirs."
            )
        else:
            verb = "is" if top_overlap == 1 else "are"
            sentences.append(
                f"{top_overlap} of your top {top_size} {verb} in their top {top_size}."
            )
    if rho is not None:
        sentences.append(
            f"On the {shared} options you both ranked, the orders agree at "
            f"{format_agreement(rho)} (1 = the same order, 0 = unrelated, −1 = reversed)."
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
    qid = condition.question
    if question is None:
        return f"your answer to {qid}"
    if condition.first is not None:
        return f"you ranked {_quoted(_label(question, condition.first))} first ({qid})"
    if condition.equals is not None:
        shown = (
            _label(question, condition.equals)
            if isinstance(condition.equals, str)
            else f"{condition.equals} – {bank.level_label(condition.equals)}"
        )
        return f"you answered {_quoted(shown)} ({qid})"
    if condition.any_of is not None:
        answer = answers.get(qid)
        value = answer.value if answer is not None else None
        picked = value if isinstance(value, tuple) else (value,)
        matched = [o for o in condition.any_of if o in picked] or list(condition.any_of)
        labels = " and ".join(_quoted(_label(question, o)) for o in matched)
        return f"your answer includes {labels} ({qid})"
    if condition.at_least is not None:
        return f"your answer is at least {condition.at_least:g} ({qid})"
    if condition.answered:
        return f"you answered {qid}"
    return f"you left {qid} unanswered"


def check_consistency(
    bank: Bank, answers: Answers, check: ConsistencyCheck, shown: set[str] | None = None
) -> ConsistencyFinding | None:
    """Evaluate one consistency check: it fires when every condition holds and the
    criterion (applicable, with unanswered counting as level 0) is below the threshold.

    None when the check names no criterion of this bank (the loader refuses
    such banks, so this only guards banks built in code).
    """
    criterion = bank.question(check.criterion)
    if criterion is None or not criterion.is_criterion:
        return None
    answer = answers.get(criterion.id)
    if shown is None:
        shown = visible_ids(bank, answers)
    na = answer is not None and answer.is_na
    applicable = criterion.id in shown and not na
    level = answer.level if answer is not None else None
    effective = level or 0
    if check.below_level is not None:
        threshold, kind = check.below_level, "level"
    else:
        threshold, kind = criterion.target, "target"
    met = all(condition_met(bank, c, answers) for c in check.when)
    below = effective < threshold
    fires = met and applicable and below
    return ConsistencyFinding(
        id=check.id,
        title=check.title,
        criterion_id=criterion.id,
        criterion_text=criterion.text,
        level=level if not na else None,
        threshold=threshold,
        threshold_kind=kind,
        applicable=applicable,
        conditions_met=met,
        fires=fires,
        because=tuple(describe_condition(bank, c, answers) for c in check.when) if met else (),
        context=_criterion_context(bank, criterion, answer, applicable, threshold, kind),
        explanation=check.explanation,
    )


def _criterion_context(
    bank: Bank,
    criterion: Question,
    answer: Answer | None,
    applicable: bool,
    threshold: int,
    kind: str,
) -> str:
    if answer is not None and answer.is_na:
        return f"{criterion.id} is marked not applicable: {answer.na_reason}"
    if not applicable:
        return f"{criterion.id} is not asked, given your other answers"
    level = answer.level if answer is not None else None
    mark = f"its target of {threshold}" if kind == "target" else f"level {threshold}"
    if level is None:
        stands = "is not yet rated (counted as level 0)"
    else:
        stands = f"is at level {level} ({bank.level_label(level)})"
    relation = "below" if (level or 0) < threshold else "not below"
    return f"{criterion.id} {stands}, {relation} {mark}."


def consistency_findings(bank: Bank, answers: Answers) -> tuple[ConsistencyFinding, ...]:
    """Every consistency check in the bank, in bank order, evaluated."""
    shown = visible_ids(bank, answers)
    findings = (check_consistency(bank, answers, check, shown) for check in bank.consistency)
    return tuple(f for f in findings if f is not None)


def benchmark(bank: Bank, answers: Answers) -> Benchmark:
    """The survey benchmark and the consistency checks together."""
    return Benchmark(
        survey=survey_benchmark(bank, answers),
        consistency=consistency_findings(bank, answers),
    )

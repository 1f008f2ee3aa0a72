"""The officers' consensus: one view of an authority and service from several officers' views.

A comparison across officers (`domain.compare`, one view per officer) gives,
for each readiness criterion, what each officer said: a level, not
applicable with a reason, or nothing. The rule, for the officers who
answered:

- every one of them gives the same answer (the same level, or not
  applicable): the consensus takes it;
- an odd number of them give levels: the middle level is clear, and the
  consensus takes it;
- an even number give levels and the two middle ones differ, or some say
  not applicable and others give a level: the rule does not decide. The item
  is left **to settle**, with each officer's level, note and reason, and the
  officers settle it between the levels in question (`ConsensusItem.choices`).

Until every item is settled the consensus score is not one number but a
range: the lowest and the highest it could come to (`Consensus.score_range`).
A survey answer is carried over only where every officer who answered
agrees. Nothing here saves anything: `Consensus.draft` gives what a new
draft assessment is made of, and the caller hands it to the store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from assess.domain.answers import MAX_TEXT, Answer, AnswerProblem, check_answer, visible_ids
from assess.domain.bank import Bank, Question
from assess.domain.compare import Comparison, column_answers, comparable, newest_bank
from assess.domain.errors import BadInput
from assess.domain.names import MAX_NAME
from assess.domain.scoring import Result, format_score, score

Rule = Literal["agreed", "middle", "to settle", "settled", "not answered"]
AGREED: Rule = "agreed"
MIDDLE: Rule = "middle"
TO_SETTLE: Rule = "to settle"
SETTLED: Rule = "settled"
NOT_ANSWERED: Rule = "not answered"

RULE_WORDS: dict[Rule, str] = {
    AGREED: "every officer who answered agrees",
    MIDDLE: "the middle of an odd number of levels",
    TO_SETTLE: "left for the officers to settle",
    SETTLED: "settled by the officers",
    NOT_ANSWERED: "no officer answered it",
}

Choice = int | None  # a level to settle at, or None for not applicable
# Dinkelbach's method (see `Consensus._extreme`) settles in a handful of rounds.
MAX_ROUNDS = 50


@dataclass(frozen=True)
class View:
    """What one officer said of one criterion."""

    officer: str
    answer: Answer | None  # None: not answered (or not asked) in their assessment

    @property
    def answered(self) -> bool:
        return self.answer is not None

    @property
    def level(self) -> int | None:
        return self.answer.level if self.answer is not None else None

    @property
    def na_reason(self) -> str | None:
        return self.answer.na_reason if self.answer is not None else None

    @property
    def evidence(self) -> str:
        return self.answer.evidence.strip() if self.answer is not None else ""

    def said(self) -> str:
        """`level 3`, `not applicable`, `not answered`."""
        if self.answer is None:
            return "not answered"
        if self.answer.is_na:
            return "not applicable"
        return f"level {self.level}"


@dataclass(frozen=True)
class ConsensusItem:
    """One criterion: every officer's view, and what the consensus makes of them."""

    question: Question
    views: tuple[View, ...]
    rule: Rule
    answer: Answer | None  # the consensus answer; None while to settle, or when unanswered
    choices: tuple[Choice, ...] = ()  # to settle: the levels (None: n/a) it may be settled at

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def to_settle(self) -> bool:
        return self.rule == TO_SETTLE

    @property
    def level(self) -> int | None:
        return self.answer.level if self.answer is not None else None

    def allows(self, choice: Choice) -> bool:
        return choice in self.choices

    def choices_text(self) -> str:
        """`1, 2 or 3`, `not applicable or 2`."""
        words = ["not applicable" if c is None else str(c) for c in self.choices]
        return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"

    def settle(self, choice: Choice) -> ConsensusItem:
        """This item settled at `choice` (BadInput if it is not one of its choices)."""
        if not self.to_settle:
            raise BadInput(
                f"“{self.question.text}” is not left to settle: the consensus already "
                f"{'has it' if self.answer is not None else 'leaves it unanswered'}"
            )
        if choice not in self.choices:
            shown = "not applicable" if choice is None else f"level {choice}"
            raise BadInput(
                f"“{self.question.text}” can be settled at {self.choices_text()}, the levels "
                f"between the officers' views, not at {shown}"
            )
        return ConsensusItem(
            self.question, self.views, SETTLED, _settled_answer(self, choice), self.choices
        )

    def views_text(self) -> str:
        """`Ann level 1 · Bob level 3 · Cat not applicable`."""
        return " · ".join(f"{v.officer} {v.said()}" for v in self.views)


@dataclass(frozen=True)
class ConsensusDraft:
    """What the store makes the new draft assessment from (`Store.create(**draft.fields())`)."""

    authority: str
    service: str
    assessor: str
    bank: Bank
    answers: Mapping[str, Answer]
    stage: int
    period: str
    authority_type: str
    region: str
    left_unanswered: tuple[str, ...] = ()  # ids of the items still to settle

    def fields(self) -> dict[str, Any]:
        return {
            "authority": self.authority,
            "service": self.service,
            "assessor": self.assessor,
            "bank": self.bank,
            "answers": dict(self.answers),
            "stage": self.stage,
            "period": self.period,
            "authority_type": self.authority_type,
            "region": self.region,
        }


@dataclass(frozen=True)
class Consensus:
    """The consensus of a comparison across officers, and what is left to settle."""

    comparison: Comparison
    items: tuple[ConsensusItem, ...]  # every shared criterion, in bank order
    survey: Mapping[str, Answer]  # survey answers every officer who answered agrees on
    survey_differ: tuple[Question, ...]  # survey questions the officers answered differently
    stage: int
    settled: Mapping[str, Choice] = field(default_factory=dict)

    @property
    def officers(self) -> tuple[str, ...]:
        return tuple(c.officer for c in self.comparison.columns)

    @property
    def to_settle(self) -> tuple[ConsensusItem, ...]:
        return tuple(item for item in self.items if item.to_settle)

    @property
    def complete(self) -> bool:
        """Nothing is left to settle: the consensus has one score."""
        return not self.to_settle

    def item(self, question_id: str) -> ConsensusItem:
        for item in self.items:
            if item.id == question_id:
                return item
        raise BadInput(f"{question_id} is not a readiness criterion of this comparison")

    def count(self, rule: Rule) -> int:
        return sum(1 for item in self.items if item.rule == rule)

    def settle(self, choices: Mapping[str, Choice]) -> Consensus:
        """The consensus with these items settled ({question id: level, or None for n/a})."""
        if not choices:
            return self
        by_id = {item.id: item for item in self.items}
        for qid in choices:
            if qid not in by_id:
                raise BadInput(f"{qid} is not a readiness criterion of this comparison")
        items = tuple(
            item.settle(choices[item.id]) if item.id in choices else item for item in self.items
        )
        return Consensus(
            self.comparison,
            items,
            self.survey,
            self.survey_differ,
            self.stage,
            {**self.settled, **choices},
        )

    def answers(self) -> dict[str, Answer]:
        """The consensus answers: decided and settled criteria, agreed survey answers."""
        found: dict[str, Answer] = {
            item.id: item.answer for item in self.items if item.answer is not None
        }
        found.update(self.survey)
        # Conditional answers only count where their question is still shown.
        visible = visible_ids(self.comparison.bank, found)
        return {qid: answer for qid, answer in found.items() if qid in visible}

    def result(self) -> Result:
        """How the consensus scores as it stands (items to settle count as unanswered)."""
        return score(self.comparison.bank, self.answers(), self.stage)

    def score_range(self) -> tuple[Result, Result]:
        """The lowest and the highest the consensus could score once every item is settled."""
        if self.complete:
            result = self.result()
            return result, result
        return self._extreme(lowest=True), self._extreme(lowest=False)

    def score_text(self) -> str:
        """`62.3 (Nearly ready)`, or `between 48.0 (Not ready) and 61.5 (Nearly ready)`."""
        low, high = self.score_range()
        if self.complete:
            return f"{format_score(low.overall)} ({low.band})"
        if low.overall == high.overall:
            return f"{format_score(low.overall)} ({low.band}) however the items are settled"
        return (
            f"between {format_score(low.overall)} ({low.band}) and "
            f"{format_score(high.overall)} ({high.band}), depending on how the "
            f"{_count(len(self.to_settle), 'item', 'items')} to settle "
            f"{'is' if len(self.to_settle) == 1 else 'are'} settled"
        )

    def _extreme(self, *, lowest: bool) -> Result:
        """The settled consensus that scores lowest (or highest), scored by `score` itself.

        The overall score is a ratio, Σ(e × level ÷ 4) ÷ Σe, and settling an
        item at "not applicable" takes it out of both sums, so the extreme is
        not simply every item at its lowest level. Dinkelbach's method finds
        it exactly: for a trial ratio λ each item independently takes the
        choice that moves e × level ÷ 4 − λ × e furthest, the ratio of that
        choice becomes the next λ, and it stops when λ no longer moves.
        """
        pending = self.to_settle
        trial = self.settle({item.id: item.choices[0] for item in pending}).result()
        weights = {c.id: c.effective_weight for c in trial.criteria if c.shown}
        fixed = {c.id: c for c in trial.applicable if c.id not in {i.id for i in pending}}
        top = sum(Fraction(c.effective_weight * c.effective_level, 4) for c in fixed.values())
        bottom = Fraction(sum(c.effective_weight for c in fixed.values()))
        stage_ok = {c.id for c in trial.criteria if c.question.from_stage <= self.stage}

        def part(item: ConsensusItem, choice: Choice) -> tuple[Fraction, Fraction]:
            e = weights.get(item.id, 0) if item.id in stage_ok else 0
            if choice is None or not e:
                return Fraction(0), Fraction(0)
            return Fraction(e * choice, 4), Fraction(e)

        picks = {item.id: item.choices[0] for item in pending}
        ratio: Fraction | None = None
        for _ in range(MAX_ROUNDS):  # converges in a few rounds; bounded all the same
            total_top = top + sum(part(i, picks[i.id])[0] for i in pending)
            total_bottom = bottom + sum(part(i, picks[i.id])[1] for i in pending)
            now = total_top / total_bottom if total_bottom else Fraction(0)
            if now == ratio:
                break
            ratio = now
            for item in pending:
                measured = {c: part(item, c)[0] - now * part(item, c)[1] for c in item.choices}
                best = min(measured.values()) if lowest else max(measured.values())
                # Ties keep the current pick, so the rounds cannot swap back and forth.
                if measured[picks[item.id]] != best:
                    picks[item.id] = next(c for c in item.choices if measured[c] == best)
        return self.settle(picks).result()

    def draft(self, *, who: str = "") -> ConsensusDraft:
        """The new draft assessment: the consensus answers, items still to settle unanswered."""
        first = self.comparison.columns[0].assessment
        # Every consensus answer is to a shared question, so the newest full bank holds them all.
        newest = newest_bank([c.assessment.bank for c in self.comparison.columns])
        answers: dict[str, Answer] = {}
        for qid, answer in self.answers().items():
            question = newest.question(qid)
            if question is None:
                continue
            try:
                # Banks that share a question may still differ in what it allows (a range,
                # "not applicable"); an answer the newest bank refuses is left for them to give.
                answers[qid] = check_answer(question, answer.to_data())
            except AnswerProblem:
                continue
        periods = {c.assessment.period for c in self.comparison.columns}
        latest = max(self.comparison.columns, key=lambda c: c.assessment.created).assessment
        return ConsensusDraft(
            authority=first.authority,
            service=first.service,
            assessor=consensus_assessor(self.officers),
            bank=newest,
            answers=answers,
            stage=self.stage,
            period=periods.pop() if len(periods) == 1 else latest.period,
            authority_type=first.authority_type,
            region=first.region,
            left_unanswered=tuple(item.id for item in self.to_settle),
        )


def consensus(comparison: Comparison) -> Consensus:
    """The consensus of officers' views, with the items settled so far (`comparison.settled`).

    BadInput for any other kind of comparison, or for a settled item that is not
    to settle or is settled at a level outside its choices.


    Only a comparison across officers has a consensus: the middle of one
    authority's readiness last year and this year, or of two services,
    describes nothing real.
    """
    if not comparison.for_officers:
        raise BadInput(
            "a consensus is for several officers' views of the same authority and service; "
            f"these assessments are compared {comparison.kind}"
        )
    officers = [c.officer for c in comparison.columns]
    shown = [column_answers(comparison, i) for i in range(len(comparison.columns))]
    pairs = list(zip(officers, shown, strict=True))
    items = tuple(
        _item(question, tuple(View(officer, given.get(question.id)) for officer, given in pairs))
        for question in comparison.bank.criteria
    )
    survey: dict[str, Answer] = {}
    differ: list[Question] = []
    for question in comparison.bank.questions:
        if question.is_criterion:
            continue
        given = [answers[question.id] for answers in shown if question.id in answers]
        if not given:
            continue
        if len({comparable(question, a) for a in given}) == 1:
            survey[question.id] = Answer(given[0].value, given[0].na_reason, "")
        else:
            differ.append(question)
    # Officers' views of one round are made at one stage; the latest, if they differ.
    stage = max(c.assessment.stage for c in comparison.columns)
    return Consensus(comparison, items, survey, tuple(differ), stage).settle(comparison.settled)


def _item(question: Question, views: tuple[View, ...]) -> ConsensusItem:
    answered = [v for v in views if v.answered]
    if not answered:
        return ConsensusItem(question, views, NOT_ANSWERED, None)
    levels = sorted(v.level for v in answered if v.level is not None)
    not_applicable = [v for v in answered if v.na_reason is not None]
    if not levels:  # every officer who answered says not applicable
        return ConsensusItem(question, views, AGREED, Answer(None, _na_reason(views), _note(views)))
    if not not_applicable:
        if len(set(levels)) == 1:
            return ConsensusItem(question, views, AGREED, Answer(levels[0], None, _note(views)))
        if len(levels) % 2:
            middle = levels[len(levels) // 2]
            return ConsensusItem(question, views, MIDDLE, Answer(middle, None, _note(views)))
        low, high = levels[len(levels) // 2 - 1], levels[len(levels) // 2]
        if low == high:
            return ConsensusItem(question, views, MIDDLE, Answer(low, None, _note(views)))
        return ConsensusItem(question, views, TO_SETTLE, None, tuple(range(low, high + 1)))
    # Some say not applicable and some give a level: no order decides between them.
    choices: tuple[Choice, ...] = tuple(range(levels[0], levels[-1] + 1))
    if question.allow_na:
        choices = (None, *choices)
    return ConsensusItem(question, views, TO_SETTLE, None, choices)


def _settled_answer(item: ConsensusItem, choice: Choice) -> Answer:
    if choice is None:
        return Answer(None, _na_reason(item.views), _note(item.views, settled=True))
    return Answer(choice, None, _note(item.views, settled=True))


def _na_reason(views: Sequence[View]) -> str:
    reasons = [v.na_reason.strip() for v in views if v.na_reason and v.na_reason.strip()]
    return _fit("; ".join(dict.fromkeys(reasons)) or "Not applicable")


def _note(views: Sequence[View], *, settled: bool = False) -> str:
    """Who said what, and the evidence each noted: the consensus keeps every view."""
    said = ", ".join(f"{v.officer} {v.said()}" for v in views)
    note = f"{'Settled by the officers' if settled else 'Consensus'} of: {said}."
    reasons = [f"{v.officer}: {v.na_reason.strip()}" for v in views if v.na_reason]
    if reasons:
        note += " Not applicable because " + "; ".join(reasons) + "."
    notes = [f"{v.officer}: {v.evidence}" for v in views if v.evidence]
    if notes:
        note += " Evidence noted by " + "; ".join(notes)
    return _fit(note)


def _fit(text: str) -> str:
    """Text cut to what an answer may hold, so a long set of notes still saves."""
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def consensus_assessor(officers: Sequence[str]) -> str:
    """The assessor name a saved consensus gets: "Consensus of Ann, Bob, Cat"."""
    assessor = f"Consensus of {', '.join(officers)}"
    return assessor if len(assessor) <= MAX_NAME else assessor[: MAX_NAME - 3] + "..."


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"

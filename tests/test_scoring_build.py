"""How `score` makes its results quickly, and that nothing about them differs for it.

`scoring._frozen` fills a frozen dataclass's fields at once, for speed. These
tests check that what it makes is exactly what `__init__` makes (every
field, equality, immutability), so that a field added later with a
default, or a `__post_init__`, cannot slip past it unnoticed.

`score` keeps what each criterion was given as a row, and the result makes
its per-criterion parts from the rows when they are first read (an autosave
reads only the summary). The parts are made once, and always the same ones.
"""

from __future__ import annotations

import dataclasses
import random

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.domain.scoring import Cap, CriterionResult, DimensionResult, Gap, Rated, score


def _answers(bank: Bank, seed: int) -> dict[str, Answer]:
    rng = random.Random(seed)
    answers = {}
    for q in bank.criteria:
        roll = rng.random()
        if roll < 0.2:
            continue
        if q.allow_na and roll < 0.3:
            answers[q.id] = Answer(None, "not ours", "")
        else:
            answers[q.id] = Answer(rng.randint(0, 4), None, "note" if roll > 0.6 else "")
    return answers


@pytest.mark.parametrize("seed", range(5))
def test_fast_made_results_equal_those_their_init_makes(bank: Bank, seed: int) -> None:
    result = score(bank, _answers(bank, seed), stage=seed)
    made: list[object] = [
        *result.criteria,
        *result.caps,
        *result.gaps,
        *result.dimensions,
        result.rated,
    ]
    assert {type(item) for item in made} <= {CriterionResult, Cap, Gap, DimensionResult, Rated}
    assert result.gaps, "the answers should leave some gaps"
    for item in made:
        fields = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}  # type: ignore[arg-type]
        assert vars(item) == fields  # every field, and nothing else
        again = type(item)(**fields)
        assert again == item
        assert repr(again) == repr(item)
        with pytest.raises(dataclasses.FrozenInstanceError):
            item.level = 1  # type: ignore[attr-defined]


def test_the_parts_are_made_when_first_read_and_then_kept(bank: Bank) -> None:
    result = score(bank, _answers(bank, 1), stage=2)
    assert result.band and result.confidence  # the summary needs no per-criterion part
    assert not {"_made", "caps", "gaps", "cases"} & set(vars(result))
    gaps = result.gaps
    assert "_made" in vars(result)
    assert result.gaps is gaps and result.criteria is result.criteria
    # A gap, a cap and a case hold the very criterion result its dimension holds.
    by_id = {c.id: c for d in result.dimensions for c in d.criteria}
    for part in (*gaps, *result.caps):
        assert part.criterion is by_id[part.criterion.id]
    for case in result.cases:
        assert all(c is by_id[c.id] for c in case.criteria)


def test_results_are_equal_exactly_when_what_was_scored_is(bank: Bank) -> None:
    answers = _answers(bank, 2)
    assert score(bank, answers, stage=1) == score(bank, dict(answers), stage=1)
    changed = dict(answers)
    first = bank.criteria[0].id
    changed[first] = Answer(4 if answers.get(first) != Answer(4, None, "") else 0, None, "")
    assert score(bank, changed, stage=1) != score(bank, answers, stage=1)
    # Only a note differs: the score is the same, but the criterion's result is not.
    noted = dict(answers)
    noted[first] = Answer(changed[first].value, None, "a different note")
    assert score(bank, noted, stage=1) != score(bank, changed, stage=1)

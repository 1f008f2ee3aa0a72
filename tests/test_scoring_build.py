"""`score` makes its per-criterion results without calling their `__init__`: they must not differ.

`scoring._frozen` fills a frozen dataclass's fields at once, for speed. These
tests check that what it makes is exactly what `__init__` makes (every
field, equality, immutability), so that a field added later with a
default, or a `__post_init__`, cannot slip past it unnoticed.
"""

from __future__ import annotations

import dataclasses
import random

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.domain.scoring import Cap, CriterionResult, Gap, score


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
    made: list[object] = [*result.criteria, *result.caps, *result.gaps]
    assert {type(item) for item in made} <= {CriterionResult, Cap, Gap}
    assert result.gaps, "the answers should leave some gaps"
    for item in made:
        fields = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}  # type: ignore[arg-type]
        assert vars(item) == fields  # every field, and nothing else
        again = type(item)(**fields)
        assert again == item
        assert repr(again) == repr(item)
        with pytest.raises(dataclasses.FrozenInstanceError):
            item.level = 1  # type: ignore[attr-defined]

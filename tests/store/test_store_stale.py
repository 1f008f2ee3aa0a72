"""Two officers on one assessment: a stale save of the same question is refused, others merge."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import StaleSave, Store
from tests.store.support import criterion_ids, folder_bytes


def test_stale_save_of_the_same_question_is_refused_and_others_merge(db: Path, bank: Bank) -> None:
    a, b = Store.open(db), Store.open(db)
    q1, q2 = criterion_ids(bank)[:2]
    made = a.create(authority="Kent", assessor="Jo")
    r = b.get(made.id).revision
    assert a.get(made.id).revision == r

    saved_by_a = a.save_answer(made.id, q1, Answer(3), who="Alice Able", base_revision=r)
    assert saved_by_a.revision == r + 1

    before = folder_bytes(db)
    with pytest.raises(StaleSave) as caught:
        b.save_answer(made.id, q1, Answer(1), who="Bob Baker", base_revision=r)
    message = str(caught.value)
    assert q1 in message and "Alice Able" in message
    assert saved_by_a.updated[:10] in message and saved_by_a.updated[11:16] in message
    assert caught.value.who == "Alice Able" and caught.value.revision == r + 1
    assert folder_bytes(db) == before  # nothing written

    merged = b.save_answer(made.id, q2, Answer(2), who="Bob Baker", base_revision=r)
    assert merged.revision == r + 2
    assert merged.answers == {q1: Answer(3), q2: Answer(2)}
    final = Store.open(db).get(made.id)
    assert final.answers == {q1: Answer(3), q2: Answer(2)}
    assert [h.who for h in final.history] == ["Alice Able", "Bob Baker"]


def test_a_clear_by_another_officer_also_makes_a_save_stale(db: Path, bank: Bank) -> None:
    a, b = Store.open(db), Store.open(db)
    q1 = criterion_ids(bank)[0]
    made = a.create(authority="Kent", answers={q1: Answer(2)})
    a.save_answer(made.id, q1, None, who="Alice", base_revision=0)
    with pytest.raises(StaleSave, match="Alice"):
        b.save_answer(made.id, q1, Answer(4), who="Bob", base_revision=0)


def test_the_new_revision_is_the_base_for_the_next_save(db: Path, bank: Bank) -> None:
    store = Store.open(db)
    q1 = criterion_ids(bank)[0]
    made = store.create(authority="Kent")
    first = store.save_answer(made.id, q1, Answer(1), base_revision=made.revision)
    second = store.save_answer(made.id, q1, Answer(2), base_revision=first.revision)
    assert second.answers[q1] == Answer(2)


def test_a_save_without_base_revision_always_applies(db: Path, bank: Bank) -> None:
    a, b = Store.open(db), Store.open(db)
    q1 = criterion_ids(bank)[0]
    made = a.create(authority="Kent")
    a.save_answer(made.id, q1, Answer(1))
    assert b.save_answer(made.id, q1, Answer(4)).answers[q1] == Answer(4)


def test_stale_check_covers_every_question_of_a_multi_save(db: Path, bank: Bank) -> None:
    a, b = Store.open(db), Store.open(db)
    q1, q2, q3 = criterion_ids(bank)[:3]
    made = a.create(authority="Kent")
    a.save_answer(made.id, q2, Answer(1), who="Alice")
    with pytest.raises(StaleSave, match=q2):
        b.save_answers(made.id, {q1: Answer(1), q2: Answer(2), q3: Answer(3)}, base_revision=0)
    assert set(Store.open(db).get(made.id).answers) == {q2}

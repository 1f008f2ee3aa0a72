"""Damaged store files: never overwritten, never taken for empty, the last good copy restored."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import CorruptStore, Store
from tests.helpers import assert_clean_failure, invoke
from tests.store.support import criterion_ids, edited_bank, folder_bytes

DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda data: data[: len(data) // 2],
    "empty": lambda data: b"",
    "nuls": lambda data: b"\x00" * len(data),
    "not json": lambda data: b"this is not JSON {",
    "wrong shape": lambda data: b"[1, 2, 3]",
    "not utf-8": lambda data: b'{"assessment": "\xff\xfe"}',
}


def damage(path: Path, kind: str) -> bytes:
    data = DAMAGE[kind](path.read_bytes())
    path.write_bytes(data)
    return data


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damaged_assessment_without_backup_is_reported_and_kept(
    db: Path, bank: Bank, kind: str
) -> None:
    made = Store.open(db).create(authority="Kent")
    path = db / "assessments" / f"{made.id}.json"
    damaged = damage(path, kind)
    before = folder_bytes(db)
    store = Store.open(db)
    with pytest.raises(CorruptStore) as caught:
        store.get(made.id)
    message = str(caught.value)
    assert str(path) in message and "left as it is" in message
    with pytest.raises(CorruptStore):
        store.save_answer(made.id, criterion_ids(bank)[0], Answer(2))
    assert path.read_bytes() == damaged
    assert folder_bytes(db) == before


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damaged_assessment_is_restored_from_its_backup(db: Path, bank: Bank, kind: str) -> None:
    q1, q2 = criterion_ids(bank)[:2]
    first = Store.open(db)
    made = first.create(authority="Kent")
    first.save_answer(made.id, q1, Answer(1))
    first.save_answer(made.id, q2, Answer(2))  # the .bak now holds revision 1
    path = db / "assessments" / f"{made.id}.json"
    backup_bytes = (db / "assessments" / f"{made.id}.bak").read_bytes()
    damaged = damage(path, kind)

    store = Store.open(db)
    got = store.get(made.id)
    assert got.revision == 1 and got.answers == {q1: Answer(1)}
    [warning] = store.take_warnings()
    assert str(path) in warning and "previous save" in warning
    kept = list((db / "assessments").glob(f"{made.id}.damaged-*.json"))
    assert len(kept) == 1 and kept[0].name in warning
    assert kept[0].read_bytes() == damaged
    assert path.read_bytes() == backup_bytes
    # Work goes on from the restored copy.
    saved = store.save_answer(made.id, q2, Answer(4))
    assert saved.revision == 2 and Store.open(db).get(made.id).answers[q2] == Answer(4)


def test_a_damaged_backup_is_not_used(db: Path, bank: Bank) -> None:
    store = Store.open(db)
    made = store.create(authority="Kent")
    store.save_answer(made.id, criterion_ids(bank)[0], Answer(1))
    folder = db / "assessments"
    damage(folder / f"{made.id}.json", "nuls")
    damage(folder / f"{made.id}.bak", "truncated")
    before = folder_bytes(db)
    with pytest.raises(CorruptStore, match=r"\.bak"):
        Store.open(db).get(made.id)
    assert folder_bytes(db) == before


def test_listing_skips_a_damaged_assessment_and_names_it(db: Path) -> None:
    store = Store.open(db)
    good = [store.create(authority=f"Good {n}").id for n in range(3)]
    bad = store.create(authority="Bad").id
    path = db / "assessments" / f"{bad}.json"
    damaged = damage(path, "truncated")
    fresh = Store.open(db)
    listed = fresh.list()
    assert sorted(s.id for s in listed) == sorted(good)
    [warning] = fresh.take_warnings()
    assert str(path) in warning and "no earlier copy" in warning
    assert path.read_bytes() == damaged

    outcome = invoke("list", db=db)
    assert outcome.code == 0
    assert all(i in outcome.out for i in good) and bad not in outcome.out
    assert str(path) in outcome.err


@pytest.mark.parametrize("kind", ["empty", "nuls", "not json", "wrong shape"])
def test_a_damaged_index_is_rebuilt_and_kept(db: Path, kind: str) -> None:
    store = Store.open(db)
    ids = sorted(store.create(authority=f"Council {n}").id for n in range(5))
    index = db / "index.jsonl"
    damaged = damage(index, kind)
    fresh = Store.open(db)
    assert sorted(s.id for s in fresh.list()) == ids
    [warning] = fresh.take_warnings()
    assert str(index) in warning and "rebuilt" in warning
    [kept] = db.glob("index.damaged-*.jsonl")
    assert kept.read_bytes() == damaged
    # The rebuilt index answers the next listing without re-reading files.
    again = Store.open(db)
    assert sorted(s.id for s in again.list()) == ids and not again.warnings


def test_a_truncated_index_line_is_ignored(db: Path, bank: Bank) -> None:
    store = Store.open(db)
    made = store.create(authority="Kent")
    saved = store.save_answer(made.id, criterion_ids(bank)[0], Answer(3))
    index = db / "index.jsonl"
    data = index.read_bytes()
    index.write_bytes(data[:-20])  # a torn last line
    listed = Store.open(db).list()
    assert listed == [saved.summary()]
    # The next append starts on a line of its own.
    store.save_answer(made.id, criterion_ids(bank)[1], Answer(1))
    assert Store.open(db).list()[0].revision == 2


@pytest.mark.parametrize("kind", ["truncated", "empty", "nuls", "not json", "wrong shape"])
def test_a_damaged_bank_copy_is_reported_and_kept(db: Path, bank: Bank, kind: str) -> None:
    old_bank, _ = edited_bank(bank)
    made = Store.open(db).create(authority="Kent", bank=old_bank)
    copy = db / "banks" / f"{old_bank.content_hash}.json"
    damaged = damage(copy, kind)
    before = folder_bytes(db)
    with pytest.raises(CorruptStore) as caught:
        Store.open(db).get(made.id)
    assert str(copy) in str(caught.value) and made.id in str(caught.value)
    outcome = invoke("answer", made.id, "--answers", str(db / "x.yaml"), db=db)
    assert_clean_failure(outcome, str(copy))
    assert copy.read_bytes() == damaged
    assert folder_bytes(db) == before


def test_an_edited_bank_copy_is_refused(db: Path, bank: Bank) -> None:
    old_bank, _ = edited_bank(bank)
    made = Store.open(db).create(authority="Kent", bank=old_bank)
    copy = db / "banks" / f"{old_bank.content_hash}.json"
    copy.write_bytes(copy.read_bytes().replace(b"Not started", b"Not begun"))
    with pytest.raises(CorruptStore, match="does not match"):
        Store.open(db).get(made.id)


def test_a_damaged_copy_of_the_shipped_bank_is_put_back(db: Path, bank: Bank) -> None:
    made = Store.open(db).create(authority="Kent")
    copy = db / "banks" / f"{bank.content_hash}.json"
    good = copy.read_bytes()
    damaged = damage(copy, "truncated")
    store = Store.open(db)
    assert store.get(made.id).bank.content_hash == bank.content_hash
    [warning] = store.take_warnings()
    assert str(copy) in warning
    [kept] = (db / "banks").glob("*.damaged-*.json")
    assert kept.read_bytes() == damaged
    assert copy.read_bytes() == good


def test_a_missing_bank_copy_is_reported(db: Path, bank: Bank) -> None:
    old_bank, _ = edited_bank(bank)
    made = Store.open(db).create(authority="Kent", bank=old_bank)
    (db / "banks" / f"{old_bank.content_hash}.json").unlink()
    with pytest.raises(CorruptStore, match="missing"):
        Store.open(db).get(made.id)


def test_an_answer_that_does_not_fit_the_bank_is_damage(db: Path, bank: Bank) -> None:
    store = Store.open(db)
    qid = criterion_ids(bank)[0]
    made = store.create(authority="Kent", answers={qid: Answer(2)})
    path = db / "assessments" / f"{made.id}.json"
    path.write_bytes(path.read_bytes().replace(b'"value":2', b'"value":7'))
    with pytest.raises(CorruptStore, match=qid):
        Store.open(db).get(made.id)


@pytest.mark.parametrize("table", ["answers", "plan"])
@pytest.mark.parametrize("question_id", [[], {"id": "x"}, 7, None])
def test_a_document_whose_question_id_is_not_text_is_damage(
    db: Path, bank: Bank, table: str, question_id: object
) -> None:
    # Found by the store fuzz test: a list there raised TypeError (unhashable) and
    # `assess report` ended in "unexpected error", exit 1.
    store = Store.open(db)
    qid = criterion_ids(bank)[0]
    made = store.create(authority="Kent", answers={qid: Answer(2)})
    store.save_plan(made.id, {qid: {}})
    path = db / "assessments" / f"{made.id}.json"
    data = json.loads(path.read_bytes())
    doc = next(iter(data[table].values()))
    doc["question_id"] = question_id
    path.write_text(json.dumps(data), encoding="utf-8")
    (db / "assessments" / f"{made.id}.bak").unlink()  # no good copy to stand in
    before = folder_bytes(db)
    for command in (("report", made.id), ("export", "--all", "-o", str(db.parent / "b.jsonl"))):
        assert_clean_failure(invoke(*command, db=db), f"{made.id}.json", "names no question")
    assert folder_bytes(db) == before


def test_a_damaged_store_marker_is_reported(db: Path) -> None:
    Store.open(db)
    marker = db / "assess-store.json"
    marker.write_bytes(b"\x00\x00")
    with pytest.raises(CorruptStore, match="marker"):
        Store.open(db)
    assert marker.read_bytes() == b"\x00\x00"

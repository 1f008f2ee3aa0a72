"""Every time the store writes comes from its clock; the order of the list is never chance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import Store
from tests.store.support import FrozenClock, criterion_ids, edited_bank, folder_bytes


def stamp(iso: str) -> str:
    """The compact form of a time that the store puts in file names."""
    return iso.replace("-", "").replace(":", "").replace(".", "").replace("Z", "000Z")


def stored(db: Path, assessment_id: str) -> dict:
    return json.loads((db / "assessments" / f"{assessment_id}.json").read_bytes())


def test_every_time_written_comes_from_the_clock(db: Path, bank: Bank) -> None:
    clock = FrozenClock("2025-04-01T09:00:00.000Z")
    store = Store.open(db, clock=clock)
    q1, q2 = criterion_ids(bank)[:2]
    made = store.create(authority="Kent", answers={q1: Answer(2)})
    assert made.created == made.updated == "2025-04-01T09:00:00.000Z"
    tables = stored(db, made.id)
    assert [d["at"] for d in tables["answers"].values()] == [made.created]
    assert [d["at"] for d in tables["history"].values()] == [made.created]

    later = clock.advance(minutes=5)
    saved = store.save_answer(made.id, q2, Answer(3))
    assert saved.updated == later and saved.created == made.created
    assert [h.at for h in saved.history] == [made.created, later]
    tables = stored(db, made.id)
    assert {d["question_id"]: d["at"] for d in tables["answers"].values()} == {
        q1: made.created,
        q2: later,
    }
    assert tables["assessment"]["1"]["summary"]["updated"] == later
    assert Store.open(db).list()[0].updated == later

    completed_at = clock.advance(hours=1)
    assert store.set_status(made.id, "complete").updated == completed_at
    renamed_at = clock.advance(days=1)
    assert store.rename(made.id, service="Waste").updated == renamed_at
    copied_at = clock.advance(days=1)
    copy = store.duplicate(made.id)
    assert copy.created == copy.updated == copied_at
    exported_at = clock.advance(seconds=30)
    assert store.export_bundle([made.id])["exported"] == exported_at

    deleted_at = clock.advance(seconds=1)
    store.delete(made.id)
    assert [p.name for p in store.trash.glob("*.json")] == [f"{made.id}.{stamp(deleted_at)}.json"]


def test_damaged_files_are_set_aside_under_the_clocks_time(db: Path, bank: Bank) -> None:
    clock = FrozenClock("2025-04-01T09:00:00.000Z")
    store = Store.open(db, clock=clock)
    made = store.create(authority="Kent")
    store.save_answer(made.id, criterion_ids(bank)[0], Answer(1))
    old_bank, _ = edited_bank(bank)
    store.create(authority="Surrey", bank=old_bank)
    path = db / "assessments" / f"{made.id}.json"
    path.write_bytes(b"\x00" * 10)
    (db / "index.jsonl").write_bytes(b"\x00" * 10)
    copy = db / "banks" / f"{bank.content_hash}.json"
    copy.write_bytes(b"not json")

    found_at = clock.advance(hours=2)
    fresh = Store.open(db, clock=clock)
    fresh.list()  # sets the index aside
    fresh.get(made.id)  # puts back the file and the shipped bank's copy
    damaged = f"damaged-{stamp(found_at)}"
    assert (db / f"index.{damaged}.jsonl").exists()
    assert (db / "assessments" / f"{made.id}.{damaged}.json").exists()
    assert (db / "banks" / f"{bank.content_hash}.{damaged}.json").exists()


def test_each_operation_reads_the_clock_once(db: Path, bank: Bank) -> None:
    # One moment per operation: the times one save writes all agree.
    clock = FrozenClock()
    store = Store.open(db, clock=clock)
    assert clock.reads == 0
    q1, q2 = criterion_ids(bank)[:2]
    operations = {
        "create": lambda: store.create(authority="Kent", answers={q1: Answer(1)}),
        "save": lambda: store.save_answers(made.id, {q1: Answer(2), q2: Answer(3)}),
        "status": lambda: store.set_status(made.id, "complete"),
        "rename": lambda: store.rename(made.id, authority="Kent CC"),
        "duplicate": lambda: store.duplicate(made.id),
        "export": lambda: store.export_bundle(),
        "delete": lambda: store.delete(made.id),
    }
    reads = {}
    made = store.create(authority="First")
    for name, operation in operations.items():
        before = clock.reads
        operation()
        reads[name] = clock.reads - before
    assert reads == dict.fromkeys(operations, 1)
    before = clock.reads
    store.list()
    store.get(store.list()[0].id)
    assert clock.reads == before  # reading stamps nothing


def test_a_clock_in_another_form_is_written_in_the_canonical_one(db: Path) -> None:
    store = Store.open(db, clock=lambda: "2025-04-01T10:30:00+01:00")
    assert store.create(authority="Kent").created == "2025-04-01T09:30:00.000Z"


@pytest.mark.parametrize("bad", ["yesterday", "2025-04-01T09:30:00", ""])
def test_a_clock_that_gives_no_time_in_utc_is_refused_before_anything_is_written(
    db: Path, bad: str
) -> None:
    store = Store.open(db, clock=lambda: bad)
    before = folder_bytes(db)
    with pytest.raises(ValueError, match="clock"):
        store.create(authority="Kent")
    assert folder_bytes(db) == before


def test_ties_are_broken_by_created_then_by_id(db: Path, bank: Bank) -> None:
    clock = FrozenClock()
    store = Store.open(db, clock=clock)
    same_moment = sorted((store.create(authority=f"C{n}").id for n in range(5)), reverse=True)
    clock.advance()
    older = store.create(authority="Older")
    clock.advance()
    newer = store.create(authority="Newer")
    store.save_answer(older.id, criterion_ids(bank)[0], Answer(2))  # same time as `newer`
    expected = [newer.id, older.id, *same_moment]
    assert [s.id for s in Store.open(db).list()] == expected
    # The same order from files read afresh, whatever order the index held them in.
    (db / "index.jsonl").unlink()
    assert [s.id for s in Store.open(db).list()] == expected


def test_two_deletions_at_one_moment_keep_both_copies(db: Path, bank: Bank) -> None:
    clock = FrozenClock()
    store = Store.open(db, clock=clock)
    qid = criterion_ids(bank)[0]
    made = store.create(authority="Kent", answers={qid: Answer(1)})
    bundle = store.export_bundle([made.id])
    store.delete(made.id)
    store.import_bundle(bundle)  # the same id again, then changed and deleted again
    store.save_answer(made.id, qid, Answer(3))
    store.delete(made.id)
    kept = {p.name for p in store.trash.glob("*.json")}
    assert kept == {f"{made.id}.{stamp(clock.text)}{n}.json" for n in ("", "-1")}
    assert store.restore(made.id).answers[qid] == Answer(3)  # the later deletion


def test_trash_named_by_earlier_versions_is_still_restored(db: Path, bank: Bank) -> None:
    # Earlier versions named trash copies from the wall clock, to the microsecond.
    clock = FrozenClock("2025-04-01T09:00:00.000Z")
    store = Store.open(db, clock=clock)
    qid = criterion_ids(bank)[0]
    made = store.create(authority="Kent", answers={qid: Answer(1)})
    store.delete(made.id)
    [ours] = store.trash.glob("*.json")
    ours.rename(store.trash / f"{made.id}.20250401T085959123456Z.json")
    assert store.restore(made.id[:4]).answers[qid] == Answer(1)
    # ... and sorts with the names the clock gives now: the newest comes back.
    store.delete(made.id)
    [kept] = store.trash.glob("*.json")
    older = kept.read_bytes().replace(b'"value":1', b'"value":3')
    (store.trash / f"{made.id}.20250401T085959123456Z.json").write_bytes(older)
    assert store.restore(made.id).answers[qid] == Answer(1)

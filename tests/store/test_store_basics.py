"""The store's operations: create, get, save, history, revisions, rename, duplicate, trash."""

from __future__ import annotations

import errno
import json
import random
import re
import threading
from pathlib import Path

import filelock
import pytest
from tinydb import TinyDB

from assess.domain.answers import Answer, check_answer
from assess.domain.bank import Bank
from assess.domain.errors import AnswersError, BadInput
from assess.store import (
    CorruptStore,
    Store,
    StoreBusy,
    StoreError,
    UnknownAssessment,
    UnknownQuestion,
)
from assess.store import lock as store_lock
from assess.store import storage as store_tinydb
from assess.store.files import dumps
from assess.store.index import Index
from assess.store.storage import AtomicJSONStorage
from tests.store.support import (
    FrozenClock,
    criterion_ids,
    folder_bytes,
    full_answers,
    sample_value,
)


@pytest.fixture
def store(db: Path) -> Store:
    return Store.open(db)


def test_open_creates_the_layout(db: Path) -> None:
    Store.open(db)
    assert (db / "assess-store.json").is_file()
    for folder in ("assessments", "banks", "trash"):
        assert (db / folder).is_dir()


def test_open_refuses_a_folder_that_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not an assess store"):
        Store.open(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_open_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "store"
    target.write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        Store.open(target)


def test_create_and_get(store: Store, bank: Bank) -> None:
    made = store.create(authority="Kent County Council", service="Waste", assessor="Jo Bloggs")
    assert re.fullmatch(r"[0-9a-f]{8}", made.id)
    assert made.revision == 0 and made.status == "draft" and not made.answers
    assert made.bank.content_hash == bank.content_hash
    got = Store.open(store.root).get(made.id)
    assert (got.authority, got.service, got.assessor) == (
        "Kent County Council",
        "Waste",
        "Jo Bloggs",
    )
    assert got.created == got.updated == made.created
    assert got.bank.content_hash == bank.content_hash


def test_create_with_answers_records_history(store: Store, bank: Bank) -> None:
    answers = full_answers(bank, evidence="board paper 3")
    made = store.create(authority="Kent", assessor="Jo", answers=answers)
    got = Store.open(store.root).get(made.id)
    assert got.answers == answers
    assert len(got.history) == len(answers)
    assert {h.question_id for h in got.history} == set(answers)
    assert all(h.who == "Jo" and h.before is None for h in got.history)


def test_names_are_checked_and_nothing_is_written(store: Store) -> None:
    before = folder_bytes(store.root)
    for bad in ("", "   ", "bad\x1b[31mname", "x" * 201, "two\nlines"):
        with pytest.raises(BadInput):
            store.create(authority=bad)
    with pytest.raises(BadInput):
        store.create(authority="Kent", assessor="\x07")
    assert folder_bytes(store.root) == before


def test_hostile_text_is_stored_exactly(store: Store, bank: Bank) -> None:
    name = "<script>alert(1)</script> [bold]x[/bold] =SUM(A1) ☃"
    made = store.create(authority=name, service="=1+1", assessor="@admin")
    qid = criterion_ids(bank)[0]
    note = "<img src=x onerror=alert(1)>\n[red]not markup[/red]\t=cmd|' /C calc'!A0"
    store.save_answer(made.id, qid, Answer(2, None, note))
    got = Store.open(store.root).get(made.id)
    assert got.authority == name and got.service == "=1+1" and got.assessor == "@admin"
    assert got.answers[qid].evidence == note


def test_save_answer_increments_revision_and_appends_history(store: Store, bank: Bank) -> None:
    made = store.create(authority="Kent", assessor="Jo")
    qid = criterion_ids(bank)[0]
    first = store.save_answer(made.id, qid, Answer(1), who="Al")
    second = store.save_answer(made.id, qid, Answer(3, None, "minutes"), who="Bea")
    assert (first.revision, second.revision) == (1, 2)
    got = Store.open(store.root).get(made.id)
    assert got.answers[qid] == Answer(3, None, "minutes")
    assert [(h.who, h.before, h.after) for h in got.history] == [
        ("Al", None, {"value": 1}),
        ("Bea", {"value": 1}, {"value": 3, "evidence": "minutes"}),
    ]
    assert got.revision == 2 and got.updated == second.updated >= first.updated


def test_who_defaults_to_the_assessor(store: Store, bank: Bank) -> None:
    made = store.create(authority="Kent", assessor="Jo")
    saved = store.save_answer(made.id, criterion_ids(bank)[0], Answer(2))
    assert saved.history[-1].who == "Jo"


def test_none_clears_an_answer(store: Store, bank: Bank) -> None:
    qid = criterion_ids(bank)[0]
    made = store.create(authority="Kent", answers={qid: Answer(4)})
    cleared = store.save_answer(made.id, qid, None, who="Al")
    assert qid not in cleared.answers
    got = Store.open(store.root).get(made.id)
    assert qid not in got.answers
    assert got.history[-1].before == {"value": 4} and got.history[-1].after is None


def test_a_save_that_changes_nothing_writes_nothing(store: Store, bank: Bank) -> None:
    qid = criterion_ids(bank)[0]
    made = store.create(authority="Kent", answers={qid: Answer(2)})
    before = folder_bytes(store.root)
    same = store.save_answer(made.id, qid, Answer(2))
    assert same.revision == made.revision
    assert folder_bytes(store.root) == before


def test_save_answers_is_all_or_nothing(store: Store, bank: Bank) -> None:
    first, second = criterion_ids(bank)[:2]
    made = store.create(authority="Kent")
    before = folder_bytes(store.root)
    with pytest.raises(AnswersError) as caught:
        store.save_answers(made.id, {first: Answer(3), second: Answer(9)})
    assert any(second in line for line in caught.value.lines())
    with pytest.raises(UnknownQuestion, match="NOT-A-QUESTION"):
        store.save_answers(made.id, {first: Answer(3), "NOT-A-QUESTION": Answer(1)})
    assert folder_bytes(store.root) == before


def test_answers_are_checked_against_the_bank(store: Store, bank: Bank) -> None:
    made = store.create(authority="Kent")
    qid = criterion_ids(bank)[0]
    for bad in (Answer(5), Answer("yes"), Answer(2, None, "bad\x1bnote"), Answer(None, "n/a")):
        with pytest.raises(AnswersError):
            store.save_answer(made.id, qid, bad)
    assert store.get(made.id).revision == 0


def test_not_applicable_answers_round_trip(store: Store, bank: Bank) -> None:
    qid = next(q.id for q in bank.criteria if q.allow_na)
    made = store.create(authority="Kent")
    store.save_answer(made.id, qid, Answer(None, "we have no such partners", "see memo"))
    got = Store.open(store.root).get(made.id)
    assert got.answers[qid].is_na and got.answers[qid].na_reason == "we have no such partners"


def test_unknown_ids_are_refused(store: Store) -> None:
    for bad in ("12345678", "nothex!!", "", "ABCDEF"):
        with pytest.raises(UnknownAssessment):
            store.get(bad)
    with pytest.raises(UnknownAssessment, match="not an assessment id"):
        store.resolve("zz")


def test_resolve_accepts_a_unique_prefix(store: Store) -> None:
    made = store.create(authority="Kent")
    assert store.resolve(made.id) == made.id
    assert store.resolve(made.id[:3].upper()) == made.id
    assert store.resolve(f"  {made.id[:5]} ") == made.id


def test_resolve_reports_an_ambiguous_prefix(store: Store) -> None:
    ids = {store.create(authority=f"Council {n}").id for n in range(40)}
    prefixes: dict[str, int] = {}
    for assessment_id in ids:
        prefixes[assessment_id[0]] = prefixes.get(assessment_id[0], 0) + 1
    shared = next(p for p, count in prefixes.items() if count > 1)
    with pytest.raises(UnknownAssessment, match="type more of the id"):
        store.resolve(shared)


def test_set_status(store: Store) -> None:
    made = store.create(authority="Kent")
    done = store.set_status(made.id, "complete")
    assert done.status == "complete" and done.revision == 1
    assert store.list()[0].status == "complete"
    with pytest.raises(StoreError):
        store.set_status(made.id, "finished")


def test_rename(store: Store) -> None:
    made = store.create(authority="Kent", service="Waste", assessor="Jo")
    renamed = store.rename(made.id, authority="Kent CC", service="")
    assert (renamed.authority, renamed.service, renamed.assessor) == ("Kent CC", "", "Jo")
    assert renamed.revision == 1
    assert store.list()[0].authority == "Kent CC"
    with pytest.raises(BadInput):
        store.rename(made.id, authority="")


def test_duplicate_copies_answers_not_history(store: Store, bank: Bank) -> None:
    answers = full_answers(bank, seed=3)
    made = store.create(authority="Kent", service="Waste", assessor="Jo", answers=answers)
    store.set_status(made.id, "complete")
    copy = store.duplicate(made.id, service="Waste 2026", who="Al")
    assert copy.id != made.id
    assert copy.answers == answers
    assert copy.history == ()
    assert copy.status == "draft" and copy.revision == 0
    assert (copy.authority, copy.service, copy.assessor) == ("Kent", "Waste 2026", "Jo")
    assert copy.extra == {"copied_from": made.id}
    assert copy.bank.content_hash == made.bank.content_hash
    assert len(store.list()) == 2


def test_delete_moves_to_trash_and_restore_brings_it_back(store: Store, bank: Bank) -> None:
    qid = criterion_ids(bank)[0]
    made = store.create(authority="Kent", answers={qid: Answer(3)})
    store.save_answer(made.id, qid, Answer(4))
    store.delete(made.id)
    assert store.list() == []
    with pytest.raises(UnknownAssessment, match="was deleted"):
        store.get(made.id)
    assert list(store.trash.glob(f"{made.id}.*.json"))
    restored = store.restore(made.id[:4])
    assert restored.answers[qid] == Answer(4) and restored.revision == 1
    assert [s.id for s in store.list()] == [made.id]
    assert (store.folder / f"{made.id}.bak").exists()


def test_restore_of_something_not_deleted(store: Store) -> None:
    with pytest.raises(UnknownAssessment):
        store.restore("abcdef12")


def test_list_is_newest_first_and_uses_stored_summaries(db: Path, bank: Bank) -> None:
    # A frozen clock: on the wall clock the save may fall in the same
    # millisecond as the second create, and the order would be a tie-break.
    clock = FrozenClock()
    store = Store.open(db, clock=clock)
    first = store.create(authority="First")
    second = store.create(authority="Second")
    clock.advance(minutes=1)
    saved = store.save_answer(first.id, criterion_ids(bank)[0], Answer(4))
    listed = Store.open(db).list()
    assert [s.id for s in listed] == [first.id, second.id]
    assert listed[0] == saved.summary()


def test_files_are_plain_tinydb_files(store: Store, bank: Bank) -> None:
    answers = full_answers(bank, seed=1)
    made = store.create(authority="Kent", answers=answers)
    store.save_answer(made.id, criterion_ids(bank)[0], None)
    path = store.folder / f"{made.id}.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    meta = db.table("assessment").get(doc_id=1)
    assert meta is not None and meta["id"] == made.id and meta["revision"] == 1
    # The recent history is in the file; the older in the log beside it, one JSON line each.
    logged = (store.folder / f"{made.id}.history").read_text().splitlines()
    assert meta["history_log"]["entries"] == len(logged)
    assert len(db.table("history").all()) + len(logged) == len(answers) + 1
    assert {d["question_id"] for d in db.table("answers").all()} == set(answers)
    # The incremental encoding writes exactly what json.dumps of the whole file gives.
    assert path.read_bytes() == dumps(json.loads(path.read_bytes()))


def test_previous_version_is_kept_as_bak(store: Store, bank: Bank) -> None:
    made = store.create(authority="Kent")
    path = store.folder / f"{made.id}.json"
    first = path.read_bytes()
    store.save_answer(made.id, criterion_ids(bank)[0], Answer(1))
    assert (store.folder / f"{made.id}.bak").read_bytes() == first


def test_two_store_objects_see_each_others_saves(db: Path, bank: Bank) -> None:
    one, two = Store.open(db), Store.open(db)
    made = one.create(authority="Kent")
    qids = criterion_ids(bank)
    one.get(made.id)
    two.save_answer(made.id, qids[0], Answer(2))
    # `one` has the old version in memory; the save must merge with what is on disk.
    merged = one.save_answer(made.id, qids[1], Answer(3))
    assert merged.answers == {qids[0]: Answer(2), qids[1]: Answer(3)}
    assert merged.revision == 2


def test_stale_temporaries_are_removed_by_the_next_writer(store: Store, bank: Bank) -> None:
    made = store.create(authority="Kent")
    leftover = store.root / "tmp" / f".tmp-{made.id}.json.0badc0de-1-12345678"
    leftover.write_bytes(b'{"half": ')
    reader = Store.open(store.root, create=False)
    reader.list()
    reader.get(made.id)
    assert leftover.exists()  # opening and reading scan nothing, change nothing
    writer = Store.open(store.root)
    writer.save_answer(made.id, criterion_ids(bank)[0], Answer(1))
    assert not leftover.exists()
    assert store.get(made.id).authority == "Kent"


def test_an_older_versions_temporaries_are_removed_by_listing(store: Store) -> None:
    made = store.create(authority="Kent")
    leftover = store.folder / f".tmp-{made.id}.json.abc12345"
    leftover.write_bytes(b'{"half": ')
    mine = store.folder / ".tmp-my-own-notes.txt"  # not one of the store's names
    mine.write_text("keep me")
    Store.open(store.root).list()
    assert not leftover.exists()
    assert mine.read_text() == "keep me"


@pytest.mark.parametrize("seed", range(3))
def test_the_stored_summary_always_matches_a_fresh_score(db: Path, bank: Bank, seed: int) -> None:
    # Saves that change only evidence notes reuse the last summary rather than
    # rescoring; whatever the mix of changes, it must equal a fresh one.
    rng = random.Random(seed)
    store = Store.open(db)
    made = store.create(authority="Kent", answers=full_answers(bank, seed=seed))
    questions = list(bank.questions)
    for step in range(60):
        choice = rng.random()
        if choice < 0.1:
            store.rename(made.id, service=f"Service {step}")
        elif choice < 0.15:
            store.set_status(made.id, rng.choice(["draft", "complete"]))
        else:
            q = rng.choice(questions)
            current = store.get(made.id).answers.get(q.id)
            if choice < 0.6 and current is not None:
                new = current.with_evidence(f"note {step}")
            elif choice < 0.7:
                new = None
            else:
                new = check_answer(q, {"value": sample_value(q, rng), "evidence": f"e{step}"})
            store.save_answer(made.id, q.id, new)
        fresh = Store.open(db)
        assert fresh.list() == [fresh.get(made.id).summary()], step


def test_a_busy_store_says_so_and_changes_nothing(
    store: Store, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = store.create(authority="Kent")
    monkeypatch.setattr(store_lock, "LOCK_TIMEOUT", 0.05)
    before = folder_bytes(store.root)
    other = Store.open(store.root)
    holder = filelock.FileLock(str(store.root / ".lock"))
    with holder, pytest.raises(StoreBusy, match="busy"):
        other.save_answer(made.id, criterion_ids(bank)[0], Answer(1))
    assert folder_bytes(store.root) == before


def test_one_store_shared_by_threads(store: Store, bank: Bank) -> None:
    made = store.create(authority="Kent")
    criteria = criterion_ids(bank)

    def work(n: int) -> None:
        for i in range(40):
            store.save_answer(made.id, criteria[n], Answer(i % 5, None, f"thread {n} save {i}"))
            store.get(made.id)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    got = Store.open(store.root).get(made.id)
    assert got.revision == 120 == len(got.history)
    assert {qid: a.evidence for qid, a in got.answers.items()} == {
        criteria[n]: f"thread {n} save 39" for n in range(3)
    }


def test_a_failed_write_changes_nothing_and_says_so(
    store: Store, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = store.create(authority="Kent")
    qid = criterion_ids(bank)[0]
    before = folder_bytes(store.root)

    def disk_full(path: Path, data: bytes, **options: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(store_tinydb, "atomic_write_bytes", disk_full)
        with pytest.raises(StoreError, match="No space left"):
            store.save_answer(made.id, qid, Answer(3))
    after = folder_bytes(store.root)
    assert after.pop(f"assessments/{made.id}.bak") == before[f"assessments/{made.id}.json"]
    assert after == before
    assert store.save_answer(made.id, qid, Answer(3)).revision == 1


def test_a_failed_index_append_does_not_fail_the_save(
    store: Store, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = store.create(authority="Kent")

    def broken(self: Index, lines: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(Index, "append", broken)
    saved = store.save_answer(made.id, criterion_ids(bank)[0], Answer(2))
    assert any("index" in w for w in store.take_warnings())
    monkeypatch.undo()
    assert Store.open(store.root).list() == [saved.summary()]


def test_a_folder_in_place_of_a_file(store: Store) -> None:
    made = store.create(authority="Kent")
    (store.folder / "abcdef12.json").mkdir()
    assert [s.id for s in store.list()] == [made.id]
    with pytest.raises(StoreError, match=r"cannot be read \(it is a folder"):
        store.get("abcdef12")


def test_get_without_history_and_the_title_from_the_metadata(db: Path, bank: Bank) -> None:
    store = Store.open(db)
    made = store.create(authority="Kent", service="Waste")
    qid = bank.criteria[0].id
    store.save_answer(made.id, qid, Answer(3), who="Jo")
    full = store.get(made.id)
    bare = store.get(made.id, history=False)
    assert len(full.history) == 1 and bare.history == ()
    assert bare.answers == full.answers and bare.summary() == full.summary()
    assert store.title(made.id) == full.title == "Kent — Waste"
    (db / "assessments" / f"{made.id}.json").write_bytes(b"{not json")
    with pytest.raises(CorruptStore):
        Store.open(db).title(made.id)
    with pytest.raises(UnknownAssessment):
        store.title("0badcafe")

"""The history log: a save's cost and the file's size stay flat, and nothing is lost or doubled.

The file keeps the recent changes; older ones move, in one fsync'd append,
to `<id>.history`, which the file counts (entries and bytes). These tests
check that the history officers see is the same whatever is where, that
a note is stored once per version, and that a writer stopped between the
append and the file's replacement, a `.bak` put back, a file of format 2,
a deletion and a bundle round trip all keep it exactly.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import Store
from assess.store import storage as store_storage
from assess.store.history import RECENT
from tests.helpers import invoke
from tests.store.support import criterion_ids, full_answers


@pytest.fixture
def store(db: Path) -> Store:
    return Store.open(db)


NOTE = "Minutes of cabinet, 12 March; business case v3, section 4. " * 4


def _saves(store: Store, assessment_id: str, qid: str, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        store.save_answer(assessment_id, qid, Answer(n % 5, None, f"{NOTE} save {n}"))


def _meta(store: Store, assessment_id: str) -> dict:
    return json.loads((store.folder / f"{assessment_id}.json").read_bytes())["assessment"]["1"]


def test_the_file_stays_small_and_the_history_whole(store: Store, bank: Bank) -> None:
    made = store.create(authority="Kent", answers=full_answers(bank, 1, "first notes"))
    qid = criterion_ids(bank)[0]
    path = store.folder / f"{made.id}.json"
    _saves(store, made.id, qid, 10)
    early = path.stat().st_size
    _saves(store, made.id, qid, 600, start=10)
    # Bounded by the recent changes the file keeps, however many saves were made.
    assert path.stat().st_size < early + RECENT * (len(NOTE) + 400)
    history = Store.open(store.root).get(made.id).history
    assert len(history) == len(made.answers) + 610
    notes = [e.after["evidence"] for e in history if e.question_id == qid and e.after]
    assert notes[-610:] == [f"{NOTE} save {n}" for n in range(610)]
    # Each entry's `before` is the entry before's `after`, as it was when saved.
    changes = [e for e in history if e.question_id == qid]
    for earlier, later in itertools.pairwise(changes):
        assert later.before == earlier.after


def test_each_version_of_a_note_is_stored_once(store: Store, bank: Bank) -> None:
    made = store.create(authority="Kent")
    qid = criterion_ids(bank)[0]
    _saves(store, made.id, qid, 3 * RECENT)
    log = (store.folder / f"{made.id}.history").read_bytes()
    moved = _meta(store, made.id)["history_log"]["entries"]
    assert moved >= 2 * RECENT
    assert log.count(NOTE.encode()) == moved  # once each, not as before and after too


def test_a_writer_stopped_after_the_append_loses_and_doubles_nothing(
    store: Store, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = store.create(authority="Kent")
    qid = criterion_ids(bank)[0]
    _saves(store, made.id, qid, RECENT)  # the next save moves the history to the log
    before = Store.open(store.root).get(made.id)

    def stopped(self: object, payload: bytes) -> None:
        raise OSError(5, "killed before the file was replaced")

    with monkeypatch.context() as patch:
        patch.setattr(store_storage.AtomicJSONStorage, "commit_bytes", stopped)
        with pytest.raises(Exception, match="killed"):
            store.save_answer(made.id, qid, Answer(1, None, "lost"))
    log = store.folder / f"{made.id}.history"
    assert log.stat().st_size > 0  # the append happened; the file does not count it
    fresh = Store.open(store.root)
    assert fresh.get(made.id).history == before.history
    after = fresh.save_answer(made.id, qid, Answer(2, None, "kept"))
    assert after.history[: len(before.history)] == before.history
    assert len(after.history) == len(before.history) + 1
    assert Store.open(store.root).get(made.id).history == after.history


def test_a_backup_put_back_agrees_with_the_log(store: Store, bank: Bank) -> None:
    made = store.create(authority="Kent")
    qid = criterion_ids(bank)[0]
    # The last save is one that moves the history to the log, so the `.bak` (the
    # version before it) counts fewer of the log's entries than the log holds.
    _saves(store, made.id, qid, 2 * (RECENT + 1) - 1)
    previous = Store.open(store.root).get(made.id)
    _saves(store, made.id, qid, 1, start=2 * (RECENT + 1) - 1)
    assert _meta(store, made.id)["history_log"]["entries"] == 2 * (RECENT + 1)
    path = store.folder / f"{made.id}.json"
    path.write_bytes(path.read_bytes()[:100])  # damaged: its .bak is the version before
    fresh = Store.open(store.root)
    restored = fresh.get(made.id)
    assert restored.history == previous.history
    assert _meta(fresh, made.id)["history_log"]["entries"] == RECENT + 1
    again = fresh.save_answer(made.id, qid, Answer(0, None, "after the repair"))
    assert again.history == (*previous.history, again.history[-1])
    assert Store.open(store.root).get(made.id).history == again.history


def test_a_format_2_file_moves_its_history_to_the_log_on_the_next_save(
    store: Store, bank: Bank
) -> None:
    made = store.create(authority="Kent", answers=full_answers(bank, 2, "n"))
    qid = criterion_ids(bank)[0]
    _saves(store, made.id, qid, 3)
    expected = Store.open(store.root).get(made.id).history
    # As version 2 wrote it: the whole history in the file, no log.
    path = store.folder / f"{made.id}.json"
    tables = json.loads(path.read_bytes())
    log_docs = [json.loads(line) for line in (store.folder / f"{made.id}.history").open()]
    history = dict(enumerate([*log_docs, *tables["history"].values()], start=1))
    for doc_id, doc in history.items():
        doc.setdefault("before", None)
        tables["history"] = {str(k): v for k, v in history.items()} if doc_id else {}
    meta = tables["assessment"]["1"]
    meta["format_version"] = 2
    del meta["history_log"]
    path.write_text(json.dumps(tables))
    (store.folder / f"{made.id}.history").unlink()
    fresh = Store.open(store.root)
    got = fresh.get(made.id).history
    assert [(e.question_id, e.after) for e in got] == [(e.question_id, e.after) for e in expected]
    saved = fresh.save_answer(made.id, qid, Answer(3))
    assert _meta(fresh, made.id)["format_version"] == 3
    assert Store.open(store.root).get(made.id).history == saved.history


def _damaged_log(
    store: Store, bank: Bank, damage: Callable[[bytes], bytes]
) -> tuple[Store, str, str, Path, bytes, str]:
    """An assessment whose history has moved to its log, the log damaged by `damage`.

    Read afresh, it opens with its answers as saved, only its recent history
    (none since the move) and one warning, and the log is left as it is.
    Returns the fresh store, the id, the question changed, the log, its
    damaged bytes and the warning.
    """
    answers = full_answers(bank, 3)
    made = store.create(authority="Kent", answers=answers)
    qid = criterion_ids(bank)[0]
    store.save_answer(made.id, qid, Answer(2, None, "new"))  # the history moves to the log
    log = store.folder / f"{made.id}.history"
    log.write_bytes(damage(log.read_bytes()))
    damaged = log.read_bytes()
    fresh = Store.open(store.root)
    got = fresh.get(made.id)
    assert got.answers == {**answers, qid: Answer(2, None, "new")}
    assert got.history == ()  # the file's own recent history: none since the move
    (warning,) = fresh.take_warnings()
    assert "older history" in warning and f"{made.id}.history" in warning
    assert log.read_bytes() == damaged  # reading changes nothing
    return fresh, made.id, qid, log, damaged, warning


def _set_aside_when_the_history_grows(fresh: Store, made_id: str, qid: str, damaged: bytes) -> None:
    """Saving keeps going; the next move to the log keeps the damaged one aside, as it was."""
    _saves(fresh, made_id, qid, RECENT + 1)
    kept = [p for p in fresh.folder.iterdir() if p.name.startswith(f"{made_id}.damaged-")]
    assert [p.read_bytes() for p in kept] == [damaged]
    again = Store.open(fresh.root)
    assert again.get(made_id).answers[qid] == Answer(RECENT % 5, None, f"{NOTE} save {RECENT}")
    assert len(again.get(made_id).history) == RECENT + 1
    assert again.take_warnings() == []


def test_a_damaged_log_never_stops_the_officer_and_is_kept(store: Store, bank: Bank) -> None:
    fresh, made_id, qid, _, damaged, _ = _damaged_log(store, bank, lambda data: data[:50])
    _set_aside_when_the_history_grows(fresh, made_id, qid, damaged)


def test_the_log_goes_to_the_trash_and_back(store: Store, bank: Bank) -> None:
    made = store.create(authority="Kent", answers=full_answers(bank, 4))
    qid = criterion_ids(bank)[0]
    _saves(store, made.id, qid, 5)
    history = store.get(made.id).history
    store.delete(made.id)
    assert not (store.folder / f"{made.id}.history").exists()
    assert store.restore(made.id).history == history


def test_a_bundle_carries_the_whole_history(db: Path, bank: Bank) -> None:
    store = Store.open(db)
    made = store.create(authority="Kent", answers=full_answers(bank, 5, "n"))
    _saves(store, made.id, criterion_ids(bank)[1], 2 * RECENT)
    history = store.get(made.id).history
    bundle = json.loads(json.dumps(store.export_bundle([made.id])))
    assert [entry for entry in bundle["assessments"][0]["history"]] == [
        e.to_data() | {"revision": bundle["assessments"][0]["history"][n]["revision"]}
        for n, e in enumerate(history)
    ]
    other = Store.open(db.parent / "other")
    other.import_bundle(bundle)
    assert other.get(made.id).history == history
    assert other.export_bundle([made.id])["assessments"] == bundle["assessments"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b'"at":', b'";t":'),  # a byte flipped in a key: still JSON, the same length
        (b'"who":""', b'"who":7 '),  # a value of the wrong kind
        (b'"revision":0', b'"revision":9'),  # a revision later than the file's
    ],
)
def test_a_log_entry_that_fails_its_check_is_a_log_that_cannot_be_read(
    store: Store, bank: Bank, old: bytes, new: bytes
) -> None:
    def damage(data: bytes) -> bytes:
        assert old in data
        return data.replace(old, new, 1)

    fresh, made_id, qid, log, damaged, warning = _damaged_log(store, bank, damage)
    assert "not one of ours" in warning
    # The command line says the same and goes on; an export leaves the log out.
    shown = invoke("report", made_id, db=store.root)
    assert shown.code == 0 and "older history" in shown.err, shown.err
    bundle = store.root.parent / "bundle.json"
    exported = invoke("export", made_id, "-o", str(bundle), db=store.root)
    assert exported.code == 0, exported.err
    other = Store.open(store.root.parent / "other")
    other.import_file(bundle)
    assert other.get(made_id).answers == fresh.get(made_id).answers
    assert log.read_bytes() == damaged
    _set_aside_when_the_history_grows(fresh, made_id, qid, damaged)


def test_a_damaged_entry_in_the_files_own_history_is_damage_the_backup_stands_in_for(
    store: Store, bank: Bank
) -> None:
    made = store.create(authority="Kent", answers=full_answers(bank, 3))
    qid = criterion_ids(bank)[0]
    store.save_answer(made.id, qid, Answer(1, None, "first"))
    store.save_answer(made.id, qid, Answer(2, None, "second"))
    path = store.folder / f"{made.id}.json"
    tables = json.loads(path.read_bytes())
    last = max(tables["history"], key=int)
    tables["history"][last]["at"] = "yesterday"
    path.write_text(json.dumps(tables))
    outcome = invoke("report", made.id, db=store.root)
    assert outcome.code == 0, outcome.err
    assert "could not be read (history entry" in outcome.err, outcome.err
    assert "was put back" in outcome.err
    assert invoke("export", made.id, "-o", "-", db=store.root).code == 0
    fresh = Store.open(store.root)
    got = fresh.get(made.id)  # the copy from the save before, put back
    assert got.answers[qid] == Answer(1, None, "first")
    assert all(entry.at != "yesterday" for entry in got.history)

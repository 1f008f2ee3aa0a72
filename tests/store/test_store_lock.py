"""The store lock: re-entrant, safe across fork, never on a stale file, shared with filelock."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import filelock
import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import Store, StoreBusy
from assess.store import lock as store_lock
from assess.store.lock import StoreLock
from tests.store.support import criterion_ids


def lock_is_free(root: Path) -> bool:
    other = filelock.FileLock(str(root / ".lock"))
    try:
        other.acquire(timeout=0)
    except filelock.Timeout:
        return False
    other.release()
    return True


def test_the_lock_is_held_while_held_and_freed_after(tmp_path: Path) -> None:
    lock = StoreLock(tmp_path / ".lock")
    assert lock_is_free(tmp_path)
    with lock.held() as held:
        assert held and not lock_is_free(tmp_path)
        with lock.held():  # a nested hold (restoring a backup during a save)
            assert not lock_is_free(tmp_path)
        assert not lock_is_free(tmp_path)  # the inner release must not free it
    assert lock_is_free(tmp_path)


def test_a_busy_lock_is_reported_without_waiting_when_asked(tmp_path: Path) -> None:
    lock = StoreLock(tmp_path / ".lock")
    with filelock.FileLock(str(tmp_path / ".lock")), lock.held(wait=False) as held:
        assert held is False
    with lock.held(wait=False) as held:
        assert held is True


def test_a_forked_child_does_not_share_the_parents_hold(tmp_path: Path) -> None:
    lock = StoreLock(tmp_path / ".lock")
    with lock.held():
        pid = os.fork()
        if pid == 0:  # the child: the same lock object, inherited
            try:
                with lock.held(wait=False) as held:
                    os._exit(10 if held else 20)
            finally:
                os._exit(30)
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 20  # busy: the parent holds it
    assert lock_is_free(tmp_path)


def test_a_removed_lock_file_is_not_trusted(
    db: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(db)
    made = store.create(authority="Kent")  # the store's lock file is now open
    (db / ".lock").unlink()  # someone tidies the folder
    monkeypatch.setattr(store_lock, "LOCK_TIMEOUT", 0.05)
    holder = filelock.FileLock(str(db / ".lock"))  # another officer, on the new file
    with holder, pytest.raises(StoreBusy):
        store.save_answer(made.id, criterion_ids(bank)[0], Answer(1))
    assert store.save_answer(made.id, criterion_ids(bank)[0], Answer(1)).revision == 1


def test_dropped_stores_close_their_lock_file(db: Path) -> None:
    Store.open(db).list()
    gc.collect()
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(50):
        Store.open(db).list()
    gc.collect()
    assert len(os.listdir("/proc/self/fd")) <= before

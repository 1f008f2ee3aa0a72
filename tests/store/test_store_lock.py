"""The store lock: held across a save, re-entrant, safe across fork, never on a stale file."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import filelock
import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import Store, StoreBusy
from assess.store import core as store_core
from tests.store.support import criterion_ids


def lock_is_free(root: Path) -> bool:
    other = filelock.FileLock(str(root / ".lock"))
    try:
        other.acquire(timeout=0)
    except filelock.Timeout:
        return False
    other.release()
    return True


def test_the_lock_is_held_while_locked_and_freed_after(db: Path) -> None:
    store = Store.open(db)
    assert lock_is_free(db)
    with store._locked():
        assert not lock_is_free(db)
        with store._locked():  # a nested hold (restoring a backup during a save)
            assert not lock_is_free(db)
        assert not lock_is_free(db)  # the inner release must not free it
    assert lock_is_free(db)


def test_a_forked_child_does_not_share_the_parents_hold(db: Path) -> None:
    store = Store.open(db)
    with store._locked():
        pid = os.fork()
        if pid == 0:  # the child: the same Store object, inherited
            try:
                with store._locked(wait=False) as held:
                    os._exit(10 if held else 20)
            finally:
                os._exit(30)
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 20  # busy: the parent holds it
    assert lock_is_free(db)


def test_a_removed_lock_file_is_not_trusted(
    db: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(db)
    made = store.create(authority="Kent")  # the store's lock file is now open
    (db / ".lock").unlink()  # someone tidies the folder
    monkeypatch.setattr(store_core, "LOCK_TIMEOUT", 0.05)
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

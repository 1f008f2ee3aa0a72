"""Colleagues sharing a store, a writer stopped while it holds the lock, a read-only store.

- Two real Unix users in one group (made for the test, removed after it)
  share a store in a folder of that group. Each saves in turn; every file
  keeps the group, new files follow the umask (002: group-writable) and a
  replaced file keeps its mode, so neither ever meets "Permission denied".
  A lock file left 0644 by another tool still lets the colleague take the
  lock, since flock needs no write access.
- A real process holding the store's lock is stopped with SIGSTOP: `list`,
  `report`, `export` and `compare` answer at once (reading takes no lock),
  and a save made with `wait=False` says busy at once, naming the holder.
- A store on a read-only filesystem (a tmpfs remounted read-only), and a
  store the colleague may only read: listed, reported, exported and compared;
  a save is refused with one clear line saying the store is read-only.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import Store, StoreBusy
from tests.helpers import assert_clean_failure, run_assess
from tests.robustness.machine import colleagues, shared_folder, small_disk
from tests.store.support import folder_bytes, full_answers

pytestmark = pytest.mark.robustness
QID = "R-LEAD-OWNERSHIP"


def _answers(folder: Path, level: int, note: str) -> Path:
    path = folder / f"answers-{level}.json"
    path.write_text(json.dumps({"answers": {QID: {"level": level, "evidence": note}}}))
    os.chmod(path, 0o644)
    return path


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() or p.is_dir()]


def test_two_colleagues_in_one_group_share_a_store() -> None:
    with colleagues() as team:
        alice, bob = team.users
        folder = shared_folder(team.gid)
        try:
            db = folder / "store"
            db.mkdir()  # an empty folder for the store, in the team's group
            os.chown(db, 0, team.gid)
            os.chmod(db, 0o775)
            made = team.run_as(alice, "new", "--authority", "Kent", db=db)
            assert made.code == 0, made.err
            assessment_id = made.out.strip()

            saved = team.run_as(
                bob, "answer", assessment_id, "--answers", str(_answers(folder, 3, "b")), db=db
            )
            assert saved.code == 0, saved.err
            again = team.run_as(
                alice, "answer", assessment_id, "--answers", str(_answers(folder, 4, "a")), db=db
            )
            assert again.code == 0, again.err
            for user in (alice, bob):
                listed = team.run_as(user, "list", db=db)
                assert listed.code == 0 and assessment_id in listed.out, listed.err
            assert Store.open(db, create=False).get(assessment_id).answers[QID] == Answer(
                4, None, "a"
            )

            for path in _files(db):
                info = path.stat()
                assert info.st_gid == team.gid, (path, info.st_gid)
                if path.is_file():
                    # The umask (002) everywhere: the group may read and replace.
                    assert stat.S_IMODE(info.st_mode) == 0o664, (path, oct(info.st_mode))
            assert (db / ".lock").stat().st_uid == team.uid(alice)

            # A replaced file keeps its mode: made 0640 by hand, it stays 0640.
            path = db / "assessments" / f"{assessment_id}.json"
            os.chmod(path, 0o660)
            third = team.run_as(
                bob, "answer", assessment_id, "--answers", str(_answers(folder, 1, "c")), db=db
            )
            assert third.code == 0, third.err
            assert stat.S_IMODE(path.stat().st_mode) == 0o660
            assert path.stat().st_gid == team.gid

            # A lock file another tool left 0644: the colleague still takes the lock.
            os.chmod(db / ".lock", 0o644)
            fourth = team.run_as(
                bob, "answer", assessment_id, "--answers", str(_answers(folder, 2, "d")), db=db
            )
            assert fourth.code == 0, fourth.err
            assert "unexpected error" not in fourth.err
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def test_a_colleague_who_may_only_read_can_list_report_and_export() -> None:
    with colleagues() as team:
        alice, bob = team.users
        folder = shared_folder(team.gid)
        try:
            db = folder / "store"
            made = team.run_as(alice, "new", "--authority", "Kent", db=db, umask=0o022)
            assert made.code == 0, made.err
            assessment_id = made.out.strip()
            other = team.run_as(alice, "new", "--authority", "Kent", db=db, umask=0o022)
            for path in [db, *_files(db)]:
                os.chmod(path, stat.S_IMODE(path.stat().st_mode) & ~0o022)
            before = folder_bytes(db)
            assert team.run_as(bob, "list", db=db).code == 0
            report = team.run_as(bob, "report", assessment_id, db=db)
            assert report.code == 0 and "Kent" in report.out, report.err
            bundle = team.home / bob / "bundle.json"
            exported = team.run_as(bob, "export", "--all", "-o", str(bundle), db=db)
            assert exported.code == 0, exported.err
            compared = team.run_as(bob, "compare", assessment_id, other.out.strip(), db=db)
            assert compared.code == 0, compared.err
            refused = team.run_as(
                bob, "answer", assessment_id, "--answers", str(_answers(folder, 3, "b")), db=db
            )
            assert_clean_failure(refused, "read-only")
            assert "unexpected error" not in refused.err
            assert folder_bytes(db) == before
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def test_a_store_on_a_read_only_disk_is_listed_reported_and_exported(
    tmp_path: Path, bank: Bank
) -> None:
    with small_disk(tmp_path / "disk", "8m") as disk:
        db = disk / "store"
        store = Store.open(db)
        one = store.create(authority="Kent", answers=full_answers(bank, 1))
        two = store.create(authority="Kent", answers=full_answers(bank, 2))
        store.save_answer(one.id, QID, Answer(2))
        # A damaged index, which a reader would normally rebuild: not here.
        (db / "index.jsonl").write_bytes(b"\x00\x00garbage")
        del store
        gc.collect()  # the store's lock file closes with it: nothing open to write
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        before = folder_bytes(db)
        listed = run_assess("list", db=db)
        assert listed.code == 0 and one.id in listed.out and two.id in listed.out, listed.err
        assert run_assess("report", one.id, db=db).code == 0
        bundle = tmp_path / "bundle.json"
        exported = run_assess("export", "--all", "-o", str(bundle), db=db)
        assert exported.code == 0, exported.err
        assert run_assess("compare", one.id, two.id, db=db).code == 0
        answers = _answers(tmp_path, 3, "x")
        refused = run_assess("answer", one.id, "--answers", str(answers), db=db)
        assert_clean_failure(refused, "read-only")
        assert folder_bytes(db) == before


HOLDER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from assess.store import Store
    store = Store.open(Path(sys.argv[1]))
    with store._lock.held():  # the lock every save holds
        print("holding", flush=True)
        os.kill(os.getpid(), signal.SIGSTOP)
    """
)


def test_readers_never_wait_on_a_writer_stopped_while_holding_the_lock(
    tmp_path: Path, bank: Bank
) -> None:
    db = tmp_path / "store"
    store = Store.open(db)
    one = store.create(authority="Kent", answers=full_answers(bank, 1))
    two = store.create(authority="Kent", answers=full_answers(bank, 2))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        _, status = os.waitpid(holder.pid, os.WUNTRACED)
        assert os.WIFSTOPPED(status)  # stopped, still holding the lock
        # Each of these would wait out the lock's 30 seconds and then fail "busy".
        listed = run_assess("list", db=db, timeout=25)
        assert listed.code == 0 and one.id in listed.out, listed.err
        report = run_assess("report", one.id, db=db, timeout=25)
        assert report.code == 0, report.err
        exported = run_assess("export", "--all", "-o", str(tmp_path / "b.json"), db=db, timeout=25)
        assert exported.code == 0, exported.err
        compared = run_assess("compare", one.id, two.id, db=db, timeout=25)
        assert compared.code == 0, compared.err
        # A save that must not wait (the app's) says busy at once, naming the holder.
        with pytest.raises(StoreBusy) as busy:
            Store.open(db).save_answer(one.id, QID, Answer(3), wait=False)
        assert f"process {holder.pid}" in busy.value.who
        assert "nothing was changed" in busy.value.message
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        os.kill(holder.pid, signal.SIGCONT)
        holder.wait()
    # Once the holder has gone, saving works again.
    assert Store.open(db).save_answer(one.id, QID, Answer(3), wait=False).revision == 1

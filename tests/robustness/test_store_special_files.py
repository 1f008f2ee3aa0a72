"""Special files and folders that are not stores: nothing blocks, nothing is followed or adopted.

- A folder that is not a store (it has an `assessments/` folder and the
  officer's own `.tmp-*` files, but no marker) is refused by every command,
  reading or writing, and not one byte of it changes.
- A FIFO, a device node (made with mknod in a temporary folder) or a folder
  in place of an assessment file, the marker or the index never makes a
  command wait: each is reported (or, for the index, set aside and rebuilt).
- A symbolic link in place of the index or an assessment file is never
  followed: the file it points to outside the store is never read as the
  store's, nor appended to.
- Damaged caches: a summary holding NaN or Infinity, or naming another
  assessment, in an index line or in an assessment file, is not used; the
  list is made from the files and is right.
- `-o FILE` writes a device or a FIFO directly, follows a link to a regular
  file (the link stays), keeps a replaced file's mode, and removes the
  temporaries a killed writer left in that folder, and only those.
"""

from __future__ import annotations

import json
import math
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import Store
from tests.helpers import assert_clean_failure, run_assess
from tests.store.support import full_answers

pytestmark = pytest.mark.robustness
TIMEOUT = 30  # a command that blocks on a FIFO would never finish: this ends the test


def _populated(db: Path, bank: Bank) -> tuple[str, str]:
    store = Store.open(db)
    one = store.create(authority="Kent", answers=full_answers(bank, 1, "e"))
    store.save_answer(one.id, "R-LEAD-OWNERSHIP", Answer(4))
    two = store.create(authority="Surrey")
    return one.id, two.id


def _tree(root: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every entry under `root`: its type and, for a regular file, its bytes."""
    found: dict[str, tuple[int, bytes | None]] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        data = path.read_bytes() if stat.S_ISREG(info.st_mode) else None
        found[str(path.relative_to(root))] = (stat.S_IFMT(info.st_mode), data)
    return found


# ----------------------------------------------------------------------------
# A folder that is not a store


def test_a_folder_that_is_not_a_store_is_never_used_or_tidied(tmp_path: Path) -> None:
    folder = tmp_path / "my-work"
    (folder / "assessments").mkdir(parents=True)
    (folder / ".tmp-draft.txt").write_text("my own temporary file")
    (folder / "assessments" / ".tmp-abcdef12.json.x1y2z3a4").write_text("mine too")
    (folder / "notes.txt").write_text("notes")
    before = _tree(folder)
    for args in (
        ("list",),
        ("list", "--json"),
        ("report", "abcdef12"),
        ("export", "--all", "-o", str(tmp_path / "b.json")),
        ("new", "--authority", "Kent"),
        ("import", str(tmp_path / "missing.json")),
    ):
        outcome = run_assess(*args, db=folder, timeout=TIMEOUT)
        assert_clean_failure(outcome)
        assert outcome.code == 2 and "not an assess store" in outcome.err, (args, outcome.err)
        assert _tree(folder) == before, args
    assert not (tmp_path / "b.json").exists()


def test_reading_a_missing_or_empty_folder_makes_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder in (tmp_path / "missing", empty):
        listed = run_assess("list", db=folder)
        assert listed.code == 0 and "No assessments yet" in listed.out
        assert_clean_failure(run_assess("report", "abcdef12", db=folder), "no store here")
    assert not (tmp_path / "missing").exists()
    assert list(empty.iterdir()) == []


def test_a_stores_own_temporaries_are_cleaned_and_no_one_elses(db: Path, bank: Bank) -> None:
    one, _ = _populated(db, bank)
    mine = db / "assessments" / ".tmp-my-notes.txt"
    mine.write_text("an officer's file, in the wrong place")
    dead = db / "tmp" / f".tmp-{one}.json.0000dead-1-00000000"
    dead.write_text("half a file")
    assert run_assess("list", db=db).code == 0
    assert dead.exists()  # reading tidies nothing
    answers = db.parent / "answers.json"
    answers.write_text('{"answers": {"R-LEAD-OWNERSHIP": {"level": 1}}}')
    assert run_assess("answer", one, "--answers", str(answers), db=db).code == 0
    assert not dead.exists()  # a writer removes what dead writers left in tmp/
    assert mine.read_text() == "an officer's file, in the wrong place"


# ----------------------------------------------------------------------------
# FIFOs, devices, folders and links in place of store files


def _fifo(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mknod(path, stat.S_IFIFO | 0o644)


def _device(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mknod(path, stat.S_IFCHR | 0o644, os.makedev(1, 3))  # as /dev/null, made here


@pytest.mark.parametrize("make", [_fifo, _device], ids=["fifo", "device"])
def test_a_special_file_in_place_of_an_assessment_never_blocks(
    db: Path, bank: Bank, make: object
) -> None:
    one, two = _populated(db, bank)
    assert callable(make)
    make(db / "assessments" / f"{two}.json")
    listed = run_assess("list", db=db, timeout=TIMEOUT)
    assert listed.code == 0 and one in listed.out and two not in listed.out
    assert two in listed.err and "not a file" in listed.err
    report = run_assess("report", two, db=db, timeout=TIMEOUT)
    assert_clean_failure(report, two, "not a file")
    assert run_assess("report", one, db=db, timeout=TIMEOUT).code == 0


@pytest.mark.parametrize("make", [_fifo, _device], ids=["fifo", "device"])
def test_a_special_file_in_place_of_the_marker_never_blocks(
    db: Path, bank: Bank, make: object
) -> None:
    one, _ = _populated(db, bank)
    assert callable(make)
    make(db / "assess-store.json")
    for args in (("list",), ("report", one), ("new", "--authority", "Kent")):
        outcome = run_assess(*args, db=db, timeout=TIMEOUT)
        assert_clean_failure(outcome, "assess-store.json", "marker")
        assert "not a file" in outcome.err


@pytest.mark.parametrize(
    "make",
    [_fifo, _device, lambda path: (path.unlink(), path.mkdir())],
    ids=["fifo", "device", "folder"],
)
def test_a_special_file_in_place_of_the_index_is_set_aside_and_rebuilt(
    db: Path, bank: Bank, make: object
) -> None:
    one, two = _populated(db, bank)
    assert callable(make)
    make(db / "index.jsonl")
    listed = run_assess("list", db=db, timeout=TIMEOUT)
    assert listed.code == 0, listed.err
    assert one in listed.out and two in listed.out
    assert "index" in listed.err and "rebuilt" in listed.err
    assert (db / "index.jsonl").is_file() and not (db / "index.jsonl").is_symlink()
    assert [p for p in db.iterdir() if p.name.startswith("index.damaged-")]
    again = run_assess("list", db=db, timeout=TIMEOUT)
    assert again.code == 0 and again.err == ""


def test_a_link_in_place_of_the_index_is_never_followed(
    db: Path, bank: Bank, tmp_path: Path
) -> None:
    one, two = _populated(db, bank)
    outside = tmp_path / "outside.txt"
    outside.write_bytes((db / "index.jsonl").read_bytes())  # looks just like an index
    original = outside.read_bytes()
    (db / "index.jsonl").unlink()
    (db / "index.jsonl").symlink_to(outside)
    answers = tmp_path / "answers.json"
    answers.write_text('{"answers": {"R-LEAD-OWNERSHIP": {"level": 2}}}')
    saved = run_assess("answer", one, "--answers", str(answers), db=db)
    assert saved.code == 0, saved.err
    assert outside.read_bytes() == original  # nothing appended through the link
    listed = run_assess("list", db=db)
    assert listed.code == 0 and one in listed.out and two in listed.out
    assert outside.read_bytes() == original
    assert (db / "index.jsonl").is_file() and not (db / "index.jsonl").is_symlink()


def test_a_link_in_place_of_an_assessment_is_never_followed(
    db: Path, bank: Bank, tmp_path: Path
) -> None:
    _, two = _populated(db, bank)
    target = tmp_path / "elsewhere.json"
    target.write_bytes((db / "assessments" / f"{two}.json").read_bytes())
    (db / "assessments" / f"{two}.json").unlink()
    (db / "assessments" / f"{two}.json").symlink_to(target)
    listed = run_assess("list", db=db)
    assert listed.code == 0 and two not in listed.out and "symbolic link" in listed.err
    assert_clean_failure(run_assess("report", two, db=db), "symbolic link")


# ----------------------------------------------------------------------------
# Damaged caches


def _index_lines(db: Path) -> list[list[object]]:
    lines = (db / "index.jsonl").read_text().splitlines()[1:]
    return [json.loads(line) for line in lines]


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, 1.5])
def test_a_cached_summary_with_an_impossible_number_is_not_used(
    db: Path, bank: Bank, bad: float
) -> None:
    one, two = _populated(db, bank)
    truth = {s.id: s for s in Store.open(db).list()}
    # In the index: the latest line for `one`, with completeness made impossible.
    lines = _index_lines(db)
    last = [line for line in lines if len(line) > 3 and line[3] == one][-1]
    field = 3 + list(truth[one]._fields).index("completeness")
    last[field] = bad
    with open(db / "index.jsonl", "a") as handle:
        handle.write(json.dumps(last) + "\n")
    # In the file: its stored summary, with a score of the same kind.
    path = db / "assessments" / f"{two}.json"
    data = json.loads(path.read_text())
    data["assessment"]["1"]["summary"]["score"] = bad * 100  # a score is 0 to 100
    path.write_text(json.dumps(data))
    listed = run_assess("list", "--json", db=db)
    assert listed.code == 0, listed.err
    shown = {item["id"]: item for item in json.loads(listed.out)}
    assert shown[one] == truth[one].to_data()
    assert shown[two] == truth[two].to_data()


def test_a_cached_summary_naming_another_assessment_is_not_used(db: Path, bank: Bank) -> None:
    one, two = _populated(db, bank)
    truth = {s.id: s.to_data() for s in Store.open(db).list()}
    path = db / "assessments" / f"{two}.json"
    data = json.loads(path.read_text())
    data["assessment"]["1"]["summary"] = dict(truth[one])  # one's summary in two's file
    path.write_text(json.dumps(data))
    listed = run_assess("list", "--json", db=db)
    assert listed.code == 0, listed.err
    shown = {item["id"]: item for item in json.loads(listed.out)}
    assert set(shown) == {one, two}
    assert shown[two] == truth[two]


# ----------------------------------------------------------------------------
# -o FILE


def _report_to(db: Path, assessment_id: str, target: Path) -> None:
    outcome = run_assess("report", assessment_id, "-o", str(target), db=db)
    assert outcome.code == 0, outcome.err


def test_output_to_a_device_node_writes_to_it_and_keeps_it(
    db: Path, bank: Bank, tmp_path: Path
) -> None:
    one, _ = _populated(db, bank)
    device = tmp_path / "null"
    _device(device)
    _report_to(db, one, device)
    info = device.lstat()
    assert stat.S_ISCHR(info.st_mode) and info.st_rdev == os.makedev(1, 3)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp-")] == []


def test_output_to_a_fifo_goes_to_its_reader(db: Path, bank: Bank, tmp_path: Path) -> None:
    one, _ = _populated(db, bank)
    fifo = tmp_path / "pipe"
    _fifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    _report_to(db, one, fifo)
    reader.join(TIMEOUT)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert b"Kent" in received[0]


def test_output_through_a_link_replaces_the_file_it_names(
    db: Path, bank: Bank, tmp_path: Path
) -> None:
    one, _ = _populated(db, bank)
    real = tmp_path / "reports" / "kent.txt"
    real.parent.mkdir()
    real.write_text("last month's report")
    os.chmod(real, 0o640)
    link = tmp_path / "latest.txt"
    link.symlink_to(real)
    _report_to(db, one, link)
    assert link.is_symlink() and link.resolve() == real
    assert "Kent" in real.read_text()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_a_new_output_file_follows_the_umask(db: Path, bank: Bank, tmp_path: Path) -> None:
    one, _ = _populated(db, bank)
    target = tmp_path / "new.txt"
    done = subprocess.run(
        [sys.executable, "-m", "assess", "--db", str(db), "report", one, "-o", str(target)],
        capture_output=True,
        umask=0o027,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # not mkstemp's 0600


def test_a_killed_writers_temporaries_are_removed_on_the_next_write(
    db: Path, bank: Bank, tmp_path: Path
) -> None:
    one, _ = _populated(db, bank)
    out = tmp_path / "out"
    out.mkdir()
    # What a writer killed between writing and renaming leaves: named for it.
    killed = subprocess.Popen([sys.executable, "-c", "pass"])
    killed.wait()
    from assess.store.fileio import host_tag

    dead = out / f".tmp-report.txt.{host_tag()}-{killed.pid}-0123abcd"
    dead.write_text("half a report")
    live = out / f".tmp-report.txt.{host_tag()}-{os.getpid()}-0123abcd"
    live.write_text("a report being written right now")
    elsewhere = out / ".tmp-report.txt.0badf00d-1-0123abcd"  # another machine's
    elsewhere.write_text("another machine's")
    mine = out / ".tmp-mine"
    mine.write_text("the officer's own")
    _report_to(db, one, out / "report.txt")
    assert not dead.exists()
    assert live.exists() and elsewhere.exists() and mine.exists()

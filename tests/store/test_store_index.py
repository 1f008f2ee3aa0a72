"""The list index is a cache: always in line with the files, however it got out of line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import Store
from assess.store.index import COMPACT_SLACK, HEADER_LINE, Index
from assess.store.summaries import SUMMARY_ORDER
from tests.store.support import criterion_ids


def test_a_save_appends_one_line(db: Path, bank: Bank) -> None:
    store = Store.open(db)
    made = store.create(authority="Kent")
    index = db / "index.jsonl"
    lines = index.read_bytes().count(b"\n")
    store.save_answer(made.id, criterion_ids(bank)[0], Answer(1))
    assert index.read_bytes().count(b"\n") == lines + 1


@pytest.mark.parametrize("damaged", [b"", b"\x00" * 300, b"not an index\n", HEADER_LINE[:40]])
def test_a_save_never_writes_to_an_index_it_cannot_read(
    db: Path, bank: Bank, damaged: bytes
) -> None:
    store = Store.open(db)
    made = store.create(authority="Kent")
    index = db / "index.jsonl"
    index.write_bytes(damaged)
    saved = store.save_answer(made.id, criterion_ids(bank)[0], Answer(2))
    assert index.read_bytes() == damaged  # kept for the listing to set aside
    fresh = Store.open(db)
    assert fresh.list() == [saved.summary()]
    assert any("rebuilt" in w for w in fresh.take_warnings())


def test_a_file_written_without_its_index_line_is_listed_right(db: Path, bank: Bank) -> None:
    # A writer killed between its rename and its index append leaves this state.
    store = Store.open(db)
    made = store.create(authority="Kent")
    index = db / "index.jsonl"
    stale_index = index.read_bytes()
    saved = store.save_answer(made.id, criterion_ids(bank)[0], Answer(4))
    index.write_bytes(stale_index)
    assert Store.open(db).list() == [saved.summary()]
    # ... and the correction was recorded, so the next listing reads no file.
    assert Index(db).load().entries[made.id].summary == saved.summary()


def test_a_file_copied_in_by_hand_is_listed(db: Path, tmp_path: Path) -> None:
    other = Store.open(tmp_path / "other")
    made = other.create(authority="Elsewhere")
    Store.open(db)
    shutil.copytree(tmp_path / "other" / "banks", db / "banks", dirs_exist_ok=True)
    shutil.copy(tmp_path / "other" / "assessments" / f"{made.id}.json", db / "assessments")
    assert [s.authority for s in Store.open(db).list()] == ["Elsewhere"]


def test_a_file_removed_by_hand_disappears(db: Path) -> None:
    store = Store.open(db)
    keep = store.create(authority="Keep")
    gone = store.create(authority="Gone")
    (db / "assessments" / f"{gone.id}.json").unlink()
    assert [s.id for s in Store.open(db).list()] == [keep.id]
    assert gone.id not in Index(db).load().entries


def test_a_missing_index_is_rebuilt(db: Path) -> None:
    store = Store.open(db)
    ids = sorted(store.create(authority=f"C{n}").id for n in range(4))
    (db / "index.jsonl").unlink()
    assert sorted(s.id for s in Store.open(db).list()) == ids
    assert sorted(Index(db).load().entries) == ids


def test_deleting_records_a_gone_line(db: Path) -> None:
    store = Store.open(db)
    made = store.create(authority="Kent")
    store.delete(made.id)
    assert Index(db).load().entries == {}


def test_a_long_journal_is_compacted_by_listing(db: Path, bank: Bank) -> None:
    store = Store.open(db)
    made = store.create(authority="Kent")
    qid = criterion_ids(bank)[0]
    for n in range(COMPACT_SLACK + 5):
        store.save_answer(made.id, qid, Answer(n % 5, None, f"note {n}"))
    index = db / "index.jsonl"
    assert index.read_bytes().count(b"\n") > COMPACT_SLACK
    listed = Store.open(db).list()
    assert index.read_bytes().count(b"\n") == 2  # header and one entry
    assert Store.open(db).list() == listed
    assert index.read_bytes().startswith(HEADER_LINE)


def test_an_index_from_another_version_is_rebuilt_quietly(db: Path) -> None:
    store = Store.open(db)
    made = store.create(authority="Kent")
    (db / "index.jsonl").write_bytes(b'{"format":"assess-index","format_version":0}\n["x"]\n')
    fresh = Store.open(db)
    assert [s.id for s in fresh.list()] == [made.id]
    assert fresh.warnings == []
    assert (db / "index.jsonl").read_bytes().startswith(HEADER_LINE)


def test_a_malformed_entry_is_skipped_and_corrected(db: Path) -> None:
    store = Store.open(db)
    made = store.create(authority="Kent")
    index = db / "index.jsonl"
    index.write_bytes(index.read_bytes() + b'[1,2,3,"' + made.id.encode() + b'"]\n')
    assert [s.authority for s in Store.open(db).list()] == ["Kent"]


def test_lines_of_the_wrong_types_are_skipped_and_the_files_listed(db: Path) -> None:
    # Each line is checked field by field: a bool is not a number, None is not text.
    store = Store.open(db)
    made = store.create(authority="Kent")
    index = db / "index.jsonl"
    fields = json.loads(index.read_bytes().splitlines()[-1])
    order = ["ino", "size", "mtime", *SUMMARY_ORDER]
    bad_lines = []
    for name, value in (
        ("revision", True),
        ("service", None),
        ("completeness", "0.5"),
        ("score", False),
        ("mtime", 1.5),
    ):
        changed = list(fields)
        changed[order.index("authority")] = "Wrong"  # what a skipped line must never show
        changed[order.index(name)] = value
        bad_lines.append(json.dumps(changed).encode())
    index.write_bytes(HEADER_LINE + b"\n".join(bad_lines) + b"\n")
    assert [(s.id, s.authority) for s in Store.open(db).list()] == [(made.id, "Kent")]
    # ... and corrected, so the next listing reads the index alone.
    assert Index(db).load().entries[made.id].summary.authority == "Kent"


def test_blank_and_torn_lines_do_not_hide_the_good_ones(db: Path) -> None:
    store = Store.open(db)
    first = store.create(authority="First")
    second = store.create(authority="Second")
    index = db / "index.jsonl"
    header, *lines = index.read_bytes().splitlines()
    torn = lines[-1][:25]
    index.write_bytes(b"\n".join([header, lines[0], b"", b"   ", torn, lines[1], b""]))
    state = Index(db).load()
    assert set(state.entries) == {first.id, second.id}
    assert state.lines == 3  # blank lines are not counted, the torn one is
    assert {s.authority for s in Store.open(db).list()} == {"First", "Second"}


def test_a_current_index_lists_without_reading_any_file(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(db)
    made = [store.create(authority=f"Council {n}") for n in range(3)]
    fresh = Store.open(db)

    def no_reads(*args: object, **kwargs: object) -> None:
        raise AssertionError("a current index needs no file read")

    monkeypatch.setattr(fresh._lister, "read_summary", no_reads)
    assert sorted(s.id for s in fresh.list()) == sorted(m.id for m in made)


def test_a_line_nested_too_deeply_is_skipped(db: Path) -> None:
    # Garbage in the journal (here, nesting deeper than Python's JSON parser
    # allows) is not one of our lines: listing skips it and reads the files.
    store = Store.open(db)
    made = store.create(authority="Kent")
    index = db / "index.jsonl"
    index.write_bytes(index.read_bytes() + b"[" * 100_000 + b"\n")
    assert [s.id for s in Store.open(db).list()] == [made.id]

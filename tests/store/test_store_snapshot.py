"""The index's snapshot: a cache of the journal's summaries, never the reason a row is wrong.

A store of at least `SNAPSHOT_MIN` entries keeps one; here the threshold is
lowered so a handful of assessments have one too.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from assess.domain.answers import Answer
from assess.domain.assessment import Summary
from assess.domain.bank import Bank
from assess.store import Store
from assess.store import index as index_module
from assess.store.index import HEADER_LINE, SNAPSHOT_NAME, Index
from assess.store.summaries import SUMMARY_ORDER, column_ok, from_columns, to_columns
from tests.store.support import criterion_ids

COUNT = 6


@pytest.fixture(autouse=True)
def _small_snapshots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "SNAPSHOT_MIN", 3)
    monkeypatch.setattr(index_module, "SNAPSHOT_SLACK", 2)


def made(db: Path, count: int = COUNT) -> list[Summary]:
    """A store of `count` assessments with a snapshot; the list as it was made."""
    store = Store.open(db)
    for n in range(count):
        store.create(authority=f"Council {n}", service=f"Service {n % 2}")
    listed = Store.open(db).list()  # writes the snapshot
    assert (db / SNAPSHOT_NAME).is_file()
    return listed


def listed_without_snapshot(db: Path) -> list[Summary]:
    (db / SNAPSHOT_NAME).unlink(missing_ok=True)
    return Store.open(db).list()


def test_a_large_store_lists_the_same_from_its_snapshot(db: Path) -> None:
    listed = made(db)
    state = Index(db).load()
    assert state.snapshot_lines is not None and state.ordered
    assert Store.open(db).list() == listed
    assert listed_without_snapshot(db) == listed


def test_a_small_store_never_gets_one(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "SNAPSHOT_MIN", 1000)
    store = Store.open(db)
    store.create(authority="Kent")
    store.list()
    assert not (db / SNAPSHOT_NAME).exists()
    assert store.list_first(10) is None


def test_saves_after_the_snapshot_are_read_from_the_journal(db: Path, bank: Bank) -> None:
    listed = made(db)
    store = Store.open(db)
    saved = store.save_answer(listed[-1].id, criterion_ids(bank)[0], Answer(3))
    fresh = Store.open(db).list()
    assert fresh[0] == saved.summary()
    assert fresh == listed_without_snapshot(db)
    page = Store.open(db).list_first(3)
    assert page is not None and page[0][0] == saved.summary()


def test_a_file_written_without_its_index_line_is_listed_right(db: Path, bank: Bank) -> None:
    # A writer killed between its rename and its index append leaves this state,
    # with the snapshot standing for the whole journal it left.
    listed = made(db)
    index = db / "index.jsonl"
    journal = index.read_bytes()
    snapshot = (db / SNAPSHOT_NAME).read_bytes()
    saved = Store.open(db).save_answer(listed[2].id, criterion_ids(bank)[0], Answer(4))
    index.write_bytes(journal)  # in place: the same inode, the line gone
    (db / SNAPSHOT_NAME).write_bytes(snapshot)
    assert Index(db).load().snapshot_lines is not None  # still stands for the journal
    fresh = Store.open(db)
    assert {s.id: s for s in fresh.list()}[saved.id] == saved.summary()
    first = fresh.list_first(COUNT)
    assert first is not None and saved.summary() in first[0]


def test_a_damaged_file_is_named_whatever_the_snapshot_says(db: Path) -> None:
    listed = made(db)
    path = db / "assessments" / f"{listed[0].id}.json"
    path.write_bytes(path.read_bytes()[:100])  # in place: the inode is the same
    fresh = Store.open(db)
    assert listed[0].id not in {s.id for s in fresh.list()}
    assert any(str(path) in w for w in fresh.take_warnings())
    first = Store.open(db).list_first(COUNT)
    assert first is not None and listed[0].id not in {s.id for s in first[0]}


def test_a_deleted_assessment_is_not_on_the_first_page(db: Path) -> None:
    listed = made(db)
    Store.open(db).delete(listed[0].id)
    first = Store.open(db).list_first(COUNT)
    assert first is not None and first[0] == listed[1:]


def test_a_file_removed_by_hand_is_not_on_the_first_page(db: Path) -> None:
    listed = made(db)
    os.unlink(db / "assessments" / f"{listed[1].id}.json")
    first = Store.open(db).list_first(COUNT)
    assert first is not None and first[0] == [listed[0], *listed[2:]]


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\x00" * 100,
        b"not json\nat all\n",
        b'{"format":"assess-index-snapshot"}\n[]\n',
    ],
)
def test_a_damaged_snapshot_is_ignored_and_written_again(db: Path, damage: bytes) -> None:
    listed = made(db)
    (db / SNAPSHOT_NAME).write_bytes(damage)
    fresh = Store.open(db)
    assert fresh.list() == listed and fresh.take_warnings() == []
    assert Store.open(db).list_first(3) is not None  # the next listing wrote a good one


def _edited(db: Path, column: str, value: object) -> None:
    """The snapshot with every row's `column` replaced by `value`."""
    path = db / SNAPSHOT_NAME
    header, body, _ = path.read_bytes().split(b"\n")
    columns = json.loads(body)  # the identity, then the summary fields
    at = SUMMARY_ORDER.index(column)
    count = json.loads(header)["count"]
    columns[1 + at] = [[value] * count, None]
    rows = json.loads(header)
    for row in rows["head"]:  # as journal lines: inode, size, mtime, then the fields
        row[3 + at] = value
    path.write_bytes(json.dumps(rows).encode() + b"\n" + json.dumps(columns).encode() + b"\n")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("authority", "\x1b]0;pwned\x07Kent"),
        ("band", "[bold red]Ready[/]\u202e"),
        ("updated", "2026-01-01T00:00:00Z\x1b[2J"),
        ("score", 1e9),
        ("completeness", True),
        ("status", "hacked"),
        ("review", "next year"),
        ("id", "../../etc"),
    ],
)
def test_a_hostile_snapshot_is_never_shown(db: Path, column: str, value: object) -> None:
    listed = made(db)
    _edited(db, column, value)
    fresh = Store.open(db)
    assert fresh.list() == listed
    first = fresh.list_first(COUNT)
    assert first is None or first[0] == listed


def test_a_snapshot_of_a_journal_compacted_since_is_not_used(db: Path, bank: Bank) -> None:
    listed = made(db)
    store = Store.open(db)
    for n in range(2):
        store.save_answer(listed[n].id, criterion_ids(bank)[0], Answer(n))
    index = Index(db)
    index.rewrite(index.load().entries)  # as a compaction does: other lines, another file
    assert Index(db).load().snapshot_lines is None
    assert Store.open(db).list() == listed_without_snapshot(db)


def test_a_journal_edited_in_place_is_not_taken_for_its_snapshot(db: Path) -> None:
    listed = made(db)
    index = db / "index.jsonl"
    lines = index.read_bytes().splitlines(keepends=True)
    index.write_bytes(HEADER_LINE + b"".join(reversed(lines[1:])) + b'["x"]\n')
    assert Index(db).load().snapshot_lines is None
    assert Store.open(db).list() == listed


def test_an_identity_is_one_number_for_each_stat_key() -> None:
    keys = [(1, 0, 0), (0, 1, 0), (0, 0, 1), (2**40, 2**40, -(2**60)), (5, 6, 2**62)]
    assert len({index_module.identity(k) for k in keys}) == len(keys)
    assert [index_module.stat_key_of(index_module.identity(k)) for k in keys] == keys


def test_columns_round_trip_and_share_repeated_values() -> None:
    rows = [[n, "a" if n % 2 == 0 else "b", [], [f"2027-01-0{n % 3 + 1}"]] for n in range(300)]
    columns = to_columns(list(zip(*rows, strict=True)))
    assert columns[0][1] is None  # every value different: kept as they are
    assert columns[1][0] == ["a", "b"] and isinstance(columns[1][1], str)
    decoded = from_columns(json.loads(json.dumps(columns)), ["ino", "service", "x", "y"], 300)
    assert decoded[0] == list(range(300)) and decoded[1][:3] == ["a", "b", "a"]
    assert decoded[1][0] is decoded[1][2]  # one object per distinct value
    mixed = to_columns([[1, 1.0] * 3])  # equal, but not the same: kept as they are
    assert mixed == [[[1, 1.0] * 3, None]]


@pytest.mark.parametrize(
    "positions", ["\x00", "\u0100", [5], [1.5], {"0": 1}], ids=lambda p: repr(p)
)
def test_positions_that_are_not_ours_are_refused(positions: object) -> None:
    with pytest.raises(ValueError):
        from_columns([[["a", "b"], positions]], ["service"], 1)


def test_a_column_is_checked_as_every_value_would_be() -> None:
    assert column_ok("authority", ["Kent", "Surrey\ttab"])
    assert not column_ok("authority", ["Kent", "Sur\x1brey"])
    assert not column_ok("created", ["2026-01-01T00:00:00Z\n2026-01-01T00:00:00Z"])
    assert column_ok("created", ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00.5Z"])
    assert not column_ok("plan_due", [["2026-01-01"], ["soon"]])
    assert not column_ok("revision", [1, -1])
    assert not column_ok("revision", [True])
    assert not column_ok("score", [None, float("nan")])
    assert not column_ok("id", ["abcdef01", "ABCDEF01"])

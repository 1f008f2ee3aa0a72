"""Bundles of JSON lines: the round trip, the old whole-file layout, and every refusal whole."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import assess.domain.answers as domain_answers
from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import ImportConflict, InvalidBundle, Store, StoreError
from assess.store import bundle_lines as lines_module
from tests.helpers import assert_clean_failure, exported_records, invoke, run_assess
from tests.store.support import (
    bundle_source,
    edited_bank,
    folder_bytes,
)


@pytest.fixture
def source(tmp_path: Path, bank: Bank) -> Store:
    """Three assessments: one with history and a name in another script, one on another bank."""
    return bundle_source(tmp_path / "source", bank, service="Gwasanaeth — Wâst")


def _written(store: Store, path: Path) -> Path:
    with path.open("wb") as handle:
        assert store.write_bundle(handle) == 3
    return path


def _same(a: Store, b: Store) -> None:
    ids = sorted(s.id for s in a.list())
    assert ids == sorted(s.id for s in b.list())
    for assessment_id in ids:
        x, y = a.get(assessment_id), b.get(assessment_id)
        assert (x.authority, x.service, x.assessor, x.status, x.created, x.updated) == (
            y.authority,
            y.service,
            y.assessor,
            y.status,
            y.created,
            y.updated,
        )
        assert x.revision == y.revision and x.answers == y.answers and x.history == y.history
        assert x.bank.content_hash == y.bank.content_hash
    assert [s.to_data() for s in a.list()] == [s.to_data() for s in b.list()]


def test_a_bundle_of_lines_round_trips(source: Store, db: Path, tmp_path: Path) -> None:
    path = _written(source, tmp_path / "bundle.jsonl")
    raw = path.read_bytes().splitlines()
    # One compact line per header, bank, assessment and end, as the C encoder writes them.
    assert len(raw) == 1 + 2 + 3 + 1
    for line in raw:
        value = json.loads(line)
        assert line == json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    assert "Gwasanaeth — Wâst".encode() in path.read_bytes()  # kept as typed, not escaped
    assert len(exported_records(path)) == 3
    target = Store.open(db)
    result = target.import_file(path)
    assert len(result.added) == 3 and not result.unchanged and not result.conflicts
    _same(source, target)
    assert len(list((db / "banks").glob("*.json"))) == 2
    again = target.import_file(path)
    assert not again.added and len(again.unchanged) == 3
    assert len(source.import_file(path).unchanged) == 3


def test_a_bank_is_written_the_same_wherever_it_was_read_from(
    source: Store, tmp_path: Path
) -> None:
    # A bank validated from its file holds its fields in the schema's order; one
    # read back from a store's copy or its checked cache (as a new process does) in
    # the sorted order of its canonical form. A bundle writes it one way, so the
    # same store always gives the same bundle, whichever process exports it.
    from assess.domain.bank import load_shipped_bank

    validated = load_shipped_bank()
    canonical = Bank.from_data(json.loads(validated.canonical))
    assert list(validated.to_data()) != list(canonical.to_data())  # the two orders differ
    bank_lines = []
    for bank in (validated, canonical):
        out = io.BytesIO()
        lines_module.BundleWriter(out, exported="2026-01-01T00:00:00.000Z").add(
            {"id": "abcdef12"}, bank
        )
        bank_lines.append(out.getvalue().split(b"\n")[1])
    assert bank_lines[0] == bank_lines[1]
    # Two exports of one store, by another process and by this one, agree line for line.
    by_process = tmp_path / "a.jsonl"
    assert run_assess("export", "--all", "-o", str(by_process), db=source.root).code == 0
    by_store = _written(source, tmp_path / "b.jsonl")
    assert by_process.read_bytes().split(b"\n")[1:] == by_store.read_bytes().split(b"\n")[1:]


def test_an_old_whole_file_bundle_still_imports(source: Store, db: Path, tmp_path: Path) -> None:
    # Exactly as `assess export` wrote bundles before they were lines: one indented document.
    old = tmp_path / "old-bundle.json"
    old.write_text(json.dumps(source.export_bundle(), indent=1, ensure_ascii=False))
    assert json.loads(old.read_text())["format_version"] == 2
    outcome = invoke("import", str(old), db=db)
    assert outcome.code == 0, outcome.err
    assert "3 added" in outcome.err
    _same(source, Store.open(db))


def test_export_then_import_through_the_command_line(
    source: Store, db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "bundle.jsonl"
    assert invoke("export", "--all", "-o", str(path), db=source.root).code == 0
    screen = invoke("export", "--all", "-o", "-", db=source.root)
    assert screen.code == 0
    # The same lines but for the time of export in the header.
    assert screen.out.splitlines()[1:] == path.read_text(encoding="utf-8").splitlines()[1:]
    outcome = invoke("import", str(path), db=db)
    assert outcome.code == 0 and "3 added, 0 already here" in outcome.err
    _same(source, Store.open(db))


def test_each_answer_is_checked_once(
    source: Store, db: Path, tmp_path: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _written(source, tmp_path / "bundle.jsonl")
    calls: list[str] = []
    real = domain_answers.check_answer

    def counted(question: Any, raw: Any) -> Answer:
        calls.append(question.id)
        return real(question, raw)

    monkeypatch.setattr(domain_answers, "check_answer", counted)
    Store.open(db).import_file(path)
    other, _ = edited_bank(bank)
    # Kent: its answers, plus the two values only its history holds (the first answer to
    # the question later cleared, and the level 4 in between); Surrey: its answers.
    assert len(calls) == len(bank.questions) + 1 + len(other.questions)


def _lines(path: Path) -> list[Any]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _rewrite(path: Path, values: list[Any]) -> None:
    path.write_text("".join(json.dumps(v) + "\n" for v in values), encoding="utf-8")


def _kent(values: list[Any]) -> dict[str, Any]:
    found: dict[str, Any] = next(
        v["assessment"] for v in values if v.get("assessment", {}).get("authority") == "Kent"
    )
    return found


def _first_answer(values: list[Any]) -> dict[str, Any]:
    answer: dict[str, Any] = next(iter(_kent(values)["answers"].values()))
    return answer


def _bank_line(values: list[Any]) -> int:
    return next(n for n, v in enumerate(values) if "bank" in v)


Breakage = Callable[[list[Any]], object]
BREAKAGES: dict[str, tuple[Breakage, str]] = {
    "cut short": (lambda v: v.pop(), "cut short"),
    "cut after a record": (lambda v: v.pop(-2), "says the bundle holds"),
    "a line after the end": (lambda v: v.append(v[-2]), "after the bundle's last line"),
    "record before its bank": (
        lambda v: v.insert(1, v.pop(next(n for n, x in enumerate(v) if "assessment" in x))),
        "names a bank that is not in the bundle's banks",
    ),
    "bank twice": (lambda v: v.insert(1, v[_bank_line(v)]), "appears twice"),
    "bank edited": (
        lambda v: v[_bank_line(v)]["content"].update(title="Changed"),
        "does not match its content hash",
    ),
    "unknown kind": (lambda v: v.insert(2, {"macro": 1}), "is not a bank, an assessment"),
    "a line not a mapping": (lambda v: v.insert(2, [1, 2]), "is not a bank, an assessment"),
    "answer out of range": (lambda v: _first_answer(v).update(value=9), "assessments["),
    "history with a bad answer": (
        lambda v: _kent(v)["history"][0].update(after={"value": "nope"}),
        "history[0].after",
    ),
    "duplicate id": (lambda v: v.insert(-1, v[-2]), "appears twice in the bundle"),
    "header of another format": (lambda v: v[0].update(format="other"), "format"),
    "header from a newer assess": (lambda v: v[0].update(format_version=9), "newer version"),
    "header with an unknown field": (lambda v: v[0].update(secret=1), "has fields"),
    "control characters in a name": (
        lambda v: _kent(v).update(authority="a\x1b[2Jb"),
        "assessments[",
    ),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_a_broken_bundle_of_lines_is_refused_whole(
    source: Store, db: Path, tmp_path: Path, breakage: str
) -> None:
    path = _written(source, tmp_path / "bundle.jsonl")
    values = _lines(path)
    change, fragment = BREAKAGES[breakage]
    change(values)
    _rewrite(path, values)
    target = Store.open(db)
    before = folder_bytes(db)
    with pytest.raises(InvalidBundle) as caught:
        target.import_file(path)
    assert "nothing was imported" in str(caught.value)
    assert any(fragment in line for line in [str(caught.value), *caught.value.lines()]), (
        caught.value.lines()
    )
    assert folder_bytes(db) == before
    assert target.list() == []


RAW_BREAKAGES: dict[str, Callable[[bytes], bytes]] = {
    "a line that is not JSON": lambda b: b.replace(b'{"assessment":', b'{"assessment":[', 1),
    "a key twice in a line": lambda b: b.replace(b'{"assessment":{', b'{"assessment":{"id":1,', 1),
    "bytes that are not UTF-8": lambda b: b.replace(b'"Kent"', b'"K\xffnt"', 1),
    "NUL bytes": lambda b: b.replace(b'"Kent"', b'"K\x00nt"', 1),
    "a lone surrogate": lambda b: b.replace(b'"Kent"', b'"K\\ud800nt"', 1),
    "deep nesting": lambda b: b.replace(b'"extra":{}', b'"extra":' + b"[" * 60 + b"]" * 60, 1),
}


@pytest.mark.parametrize("breakage", sorted(RAW_BREAKAGES))
def test_hostile_lines_exit_2_and_change_nothing(
    source: Store, db: Path, tmp_path: Path, breakage: str
) -> None:
    path = _written(source, tmp_path / "bundle.jsonl")
    broken = RAW_BREAKAGES[breakage](path.read_bytes())
    assert broken != path.read_bytes()
    path.write_bytes(broken)
    Store.open(db)
    before = folder_bytes(db)
    outcome = invoke("import", str(path), db=db)
    assert_clean_failure(outcome, str(path), "nothing was imported")
    assert folder_bytes(db) == before


def test_the_cap_is_per_line(
    source: Store, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _written(source, tmp_path / "bundle.jsonl")
    longest = max(len(line) for line in path.read_bytes().splitlines(keepends=True))
    monkeypatch.setattr(lines_module, "MAX_LINE_BYTES", longest)
    assert len(Store.open(db).import_file(path).added) == 3  # a bundle larger than the cap
    other = tmp_path / "other"
    monkeypatch.setattr(lines_module, "MAX_LINE_BYTES", longest - 1)
    Store.open(other)
    before = folder_bytes(other)
    outcome = invoke("import", str(path), db=other)
    assert_clean_failure(outcome, "larger than", "nothing was imported")
    assert folder_bytes(other) == before


def test_a_conflict_in_a_bundle_of_lines(source: Store, db: Path, tmp_path: Path) -> None:
    path = _written(source, tmp_path / "bundle.jsonl")
    target = Store.open(db)
    target.import_file(path)
    kent = next(s.id for s in target.list() if s.authority == "Kent")
    target.save_answer(kent, next(iter(target.get(kent).answers)), None, who="Local edit")
    before = folder_bytes(db)
    with pytest.raises(ImportConflict):
        target.import_file(path)
    assert folder_bytes(db) == before
    result = target.import_file(path, skip_conflicts=True)
    assert not result.added and len(result.unchanged) == 2 and len(result.conflicts) == 1


def test_a_bundle_changed_between_the_passes_is_not_trusted(source: Store, tmp_path: Path) -> None:
    path = _written(source, tmp_path / "bundle.jsonl")
    with path.open("rb") as handle:
        found = lines_module.scan(handle, str(path))
        assert len(found.record(handle, 0)["id"]) == 8  # the bytes checked: read again
    data = path.read_bytes()
    at = found.starts[0] + data[found.starts[0] :].index(b'"authority":"') + 13
    # Same length, another name: only the digest tells the difference.
    path.write_bytes(data[:at] + b"X" + data[at + 1 :])
    with path.open("rb") as handle, pytest.raises(StoreError, match="changed while"):
        found.record(handle, 0)


def test_export_to_a_stream_writes_lines_as_it_goes(source: Store) -> None:
    out = io.BytesIO()
    assert source.write_bundle(out, [source.list()[0].id[:5]]) == 1
    values = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [next(iter(v)) for v in values] == ["format", "bank", "assessment", "end"]


def test_a_history_value_equal_only_to_python_is_still_checked(
    source: Store, db: Path, tmp_path: Path, bank: Bank
) -> None:
    # `true == 1` in Python: a history value of true for a level must not pass as the level 1.
    path = _written(source, tmp_path / "bundle.jsonl")
    values = _lines(path)
    kent = _kent(values)
    qid, answer = next((q, a) for q, a in kent["answers"].items() if a.get("value") == 1)
    entry = next(h for h in kent["history"] if h["question_id"] == qid and h["after"] == answer)
    entry["after"] = {**answer, "value": True}
    _rewrite(path, values)
    before = folder_bytes(db) if db.exists() else None
    with pytest.raises(InvalidBundle) as caught:
        Store.open(db).import_file(path)
    assert any(".after" in line for line in caught.value.lines())
    assert before is None or folder_bytes(db) == before


@pytest.mark.parametrize("field", [[], {}, 7, None])
def test_a_detail_change_naming_no_detail_is_refused_cleanly(
    source: Store, db: Path, tmp_path: Path, field: object
) -> None:
    # A change to a detail names the detail; one whose name is not text (a list
    # cannot even be looked up) is refused with the reason, never a crash.
    made = source.create(authority="Kent")
    source.set_details(made.id, stage=2)
    path = tmp_path / "bundle.jsonl"
    with open(path, "wb") as out:
        source.write_bundle(out, [made.id])
    lines = path.read_bytes().splitlines()
    for n, line in enumerate(lines):
        data = json.loads(line)
        for entry in data.get("assessment", {}).get("history", []):
            if entry.get("kind") == "detail":
                entry["field"] = field
                lines[n] = json.dumps(data, ensure_ascii=False).encode()
    edited = tmp_path / "edited.jsonl"
    edited.write_bytes(b"\n".join(lines) + b"\n")
    assert edited.read_bytes() != path.read_bytes()
    assert_clean_failure(invoke("import", str(edited), db=db), "field")

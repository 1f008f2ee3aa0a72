"""The store commands: new, answer, list, export, import, delete, rename, duplicate, restore."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import Store
from tests.helpers import assert_clean_failure, exported_records, invoke, run_assess
from tests.store.support import criterion_ids, folder_bytes

ID = re.compile(r"^[0-9a-f]{8}$")


def new_id(db: Path, *args: str) -> str:
    outcome = invoke("new", "--authority", "Kent County Council", *args, db=db)
    assert outcome.code == 0, outcome.err
    assert ID.match(outcome.out.strip()), outcome.out
    return outcome.out.strip()


def write_answers(path: Path, answers: dict[str, object]) -> Path:
    path.write_text(json.dumps({"answers": answers}))
    return path


def test_new_prints_only_the_id(db: Path) -> None:
    made = new_id(db, "--service", "Waste", "--assessor", "Jo")
    got = Store.open(db).get(made)
    assert (got.authority, got.service, got.assessor) == ("Kent County Council", "Waste", "Jo")


def test_new_as_a_real_process(db: Path) -> None:
    outcome = run_assess("new", "--authority", "Kent", db=db)
    assert outcome.code == 0 and ID.match(outcome.out.strip()) and outcome.out.count("\n") == 1


def test_new_with_answers(db: Path, tmp_path: Path, bank: Bank) -> None:
    q1, q2 = criterion_ids(bank)[:2]
    path = write_answers(tmp_path / "a.json", {q1: 3, q2: {"level": 2, "evidence": "minutes"}})
    made = new_id(db, "--answers", str(path))
    assert Store.open(db).get(made).answers == {q1: Answer(3), q2: Answer(2, None, "minutes")}


def test_new_refuses_bad_input_and_writes_nothing(db: Path, tmp_path: Path, bank: Bank) -> None:
    Store.open(db)
    before = folder_bytes(db)
    q1, q2 = criterion_ids(bank)[:2]
    bad = write_answers(tmp_path / "bad.json", {q1: 7, q2: "high", "NOPE": 1})
    outcome = invoke("new", "--authority", "Kent", "--answers", str(bad), db=db)
    assert_clean_failure(outcome, "3 bad values", q1, q2, "NOPE")
    assert len(outcome.err_lines) == 4  # the summary line and one per bad value
    assert_clean_failure(invoke("new", db=db), "--authority")
    assert_clean_failure(invoke("new", "--authority", "a\x1bb", db=db), "control characters")
    assert_clean_failure(invoke("new", "--authority", "K", "--answers", "missing.yaml", db=db))
    assert folder_bytes(db) == before


def test_answer_merges_and_null_clears(db: Path, tmp_path: Path, bank: Bank) -> None:
    q1, q2, q3 = criterion_ids(bank)[:3]
    made = new_id(db)
    first = write_answers(tmp_path / "1.json", {q1: 1, q2: 2})
    invoke("answer", made, "--answers", str(first), db=db)
    path = write_answers(tmp_path / "2.yaml", {q2: None, q3: 4})
    outcome = invoke("answer", made[:5], "--answers", str(path), "--who", "Al", db=db)
    assert outcome.code == 0 and made in outcome.out and "complete" in outcome.out
    got = Store.open(db).get(made)
    assert got.answers == {q1: Answer(1), q3: Answer(4)}
    assert got.history[-1].who == "Al"


def test_answer_with_bad_values_changes_nothing(db: Path, tmp_path: Path, bank: Bank) -> None:
    q1, q2 = criterion_ids(bank)[:2]
    made = new_id(db)
    before = folder_bytes(db)
    path = write_answers(tmp_path / "bad.json", {q1: 3, q2: 5, "S-NOPE": "x"})
    outcome = invoke("answer", made, "--answers", str(path), db=db)
    assert_clean_failure(outcome, "2 bad values", q2, "S-NOPE")
    assert len(outcome.err_lines) == 3
    assert folder_bytes(db) == before


@pytest.mark.parametrize(
    "args",
    [
        ("answer", "deadbeef", "--answers", "x.json"),
        ("delete", "deadbeef", "--yes"),
        ("rename", "deadbeef", "--authority", "X"),
        ("duplicate", "deadbeef"),
        ("export", "deadbeef", "-o", "out.json"),
        ("restore", "deadbeef"),
        ("answer", "not-an-id!", "--answers", "x.json"),
    ],
)
def test_unknown_ids_exit_2_and_change_nothing(
    db: Path, args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    new_id(db)
    before = folder_bytes(db)
    outcome = invoke(*args, db=db)
    assert_clean_failure(outcome)
    assert len(outcome.err_lines) == 1
    assert folder_bytes(db) == before
    assert not (tmp_path / "out.json").exists()


def test_list_table_and_json(db: Path, tmp_path: Path, bank: Bank) -> None:
    assert "No assessments yet" in invoke("list", db=db).out
    assert json.loads(invoke("list", "--json", db=db).out) == []
    first = new_id(db, "--service", "Waste", "--assessor", "Jo")
    second = new_id(db)
    invoke(
        "answer",
        first,
        "--answers",
        str(write_answers(tmp_path / "a.json", {"R-LEAD-OWNERSHIP": 4})),
    )
    outcome = invoke("list", db=db)
    assert outcome.code == 0
    lines = outcome.out.splitlines()
    assert lines[0].split()[:4] == ["ID", "Authority", "Service", "Assessor"]
    assert [line.split()[0] for line in lines[1:]] == [first, second]  # newest first
    # Aligned: every column starts at the same place on every line.
    starts = [line.index("draft") for line in lines[1:]]
    assert len(set(starts)) == 1 and lines[0].index("Status") == starts[0]
    data = json.loads(invoke("list", "--json", db=db).out)
    assert [d["id"] for d in data] == [first, second]
    assert data[0]["service"] == "Waste" and data[0]["revision"] == 1


def test_list_shows_long_and_hostile_names_safely(db: Path) -> None:
    invoke("new", "--authority", "[bold]x[/bold] " + "y" * 150, db=db)
    outcome = invoke("list", db=db)
    assert "[bold]x[/bold]" in outcome.out and "y" * 40 not in outcome.out and "…" in outcome.out


def test_export_and_import(db: Path, tmp_path: Path) -> None:
    made = new_id(db)
    bundle = tmp_path / "bundle.json"
    outcome = invoke("export", "--all", "-o", str(bundle), db=db)
    assert outcome.code == 0 and "Exported 1 assessment" in outcome.err
    assert [r["id"] for r in exported_records(bundle)] == [made]
    other = tmp_path / "other"
    first = invoke("import", str(bundle), db=other)
    assert first.code == 0 and f"added      {made}" in first.out
    second = invoke("import", str(bundle), db=other)
    assert second.code == 0 and f"unchanged  {made}" in second.out
    one = tmp_path / "one.json"
    assert invoke("export", made[:4], "-o", str(one), db=db).code == 0
    assert [r["id"] for r in exported_records(one)] == [made]


def test_export_needs_ids_or_all(db: Path, tmp_path: Path) -> None:
    made = new_id(db)
    out = str(tmp_path / "b.json")
    assert_clean_failure(invoke("export", "-o", out, db=db), "--all")
    assert_clean_failure(invoke("export", made, "--all", "-o", out, db=db), "--all")
    assert_clean_failure(invoke("export", "--all", db=db), "-o")
    assert not Path(out).exists()


def test_import_conflict_exits_2(db: Path, tmp_path: Path, bank: Bank) -> None:
    made = new_id(db)
    bundle = tmp_path / "bundle.json"
    invoke("export", "--all", "-o", str(bundle), db=db)
    Store.open(db).save_answer(made, criterion_ids(bank)[0], Answer(1))
    before = folder_bytes(db)
    assert_clean_failure(invoke("import", str(bundle), db=db), made, "--skip-conflicts")
    assert folder_bytes(db) == before
    skipped = invoke("import", str(bundle), "--skip-conflicts", db=db)
    assert skipped.code == 0 and "not imported" in skipped.err


def test_delete_asks_first(db: Path) -> None:
    made = new_id(db)
    before = folder_bytes(db)
    refused = invoke("delete", made, db=db, stdin="n\n")
    assert refused.code == 1 and "restore" in refused.out
    assert folder_bytes(db) == before
    no_answer = invoke("delete", made, db=db, stdin="")
    assert no_answer.code == 1 and folder_bytes(db) == before
    accepted = invoke("delete", made, db=db, stdin="y\n")
    assert accepted.code == 0 and f"assess restore {made}" in accepted.out
    assert Store.open(db).list() == []


def test_delete_yes_then_restore(db: Path) -> None:
    made = new_id(db)
    assert invoke("delete", made[:6], "--yes", db=db).code == 0
    assert_clean_failure(invoke("answer", made, "--answers", "x.json", db=db), "was deleted")
    outcome = invoke("restore", made, db=db)
    assert outcome.code == 0 and made in outcome.out
    assert [s.id for s in Store.open(db).list()] == [made]


def test_rename(db: Path) -> None:
    made = new_id(db, "--service", "Waste")
    outcome = invoke("rename", made, "--service", "Highways", "--assessor", "Bea", db=db)
    assert outcome.code == 0 and "Highways" in outcome.out
    got = Store.open(db).get(made)
    assert (got.service, got.assessor) == ("Highways", "Bea")
    assert_clean_failure(invoke("rename", made, db=db), "--authority")
    assert_clean_failure(invoke("rename", made, "--authority", "", db=db), "authority")


def test_duplicate_prints_the_new_id(db: Path, tmp_path: Path, bank: Bank) -> None:
    made = new_id(db)
    q1 = criterion_ids(bank)[0]
    invoke("answer", made, "--answers", str(write_answers(tmp_path / "a.json", {q1: 2})), db=db)
    outcome = invoke("duplicate", made, "--service", "Next year", db=db)
    copy = outcome.out.strip()
    assert outcome.code == 0 and ID.match(copy) and copy != made
    got = Store.open(db).get(copy)
    assert got.answers == {q1: Answer(2)} and got.service == "Next year"


def test_failed_commands_do_not_create_a_store(tmp_path: Path, bank: Bank) -> None:
    missing = tmp_path / "typo"
    for args in (
        ("answer", "deadbeef", "--answers", "x.json"),
        ("delete", "deadbeef", "--yes"),
        ("rename", "deadbeef", "--authority", "X"),
        ("duplicate", "deadbeef"),
        ("export", "--all", "-o", str(tmp_path / "b.json")),
        ("restore", "deadbeef"),
    ):
        assert_clean_failure(invoke(*args, db=missing), str(missing), "no store here")
    listed = invoke("list", db=missing)
    assert listed.code == 0 and "No assessments yet" in listed.out
    bad = write_answers(tmp_path / "bad.json", {criterion_ids(bank)[0]: 9})
    assert_clean_failure(invoke("new", "--authority", "K", "--answers", str(bad), db=missing))
    assert not missing.exists()

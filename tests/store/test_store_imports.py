"""Opening and listing a store loads no question-bank models, answers or scoring.

And commands import only what they use: `answer`, `report` (text to a pipe,
or JSON), `rename`, `delete`, `restore` and `export` import no pydantic, Rich
or YAML while the bank's cache is good (YAML only to read a YAML file); nor
do `report --answers` and `new` once the store has validated the shipped bank.

The home screen and `assess list` need only the list, and importing the bank
models (pydantic) costs about 150 ms of every start, so `assess.store` loads
them only when an operation needs a bank (get, save, create, bundles, or a
summary worked out afresh from a file). Checked in a fresh interpreter, since
this test process has loaded everything long ago.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import Store
from tests.store.support import criterion_ids

HEAVY = (
    "pydantic",
    "yaml",
    "assess.domain.bank",
    "assess.domain.answers",
    "assess.domain.scoring",
    "assess.domain.safeyaml",
)

PROBE = f"""
HEAVY = {HEAVY!r}
import json, sys
from pathlib import Path
from assess.store import Store
store = Store.open(Path(sys.argv[1]))
listed = [(s.id, s.authority, s.score) for s in store.list()]
heavy = sorted(m for m in sys.modules if m in HEAVY or m.split(".")[0] in HEAVY)
print(json.dumps({{"listed": listed, "heavy": heavy, "warnings": store.take_warnings()}}))
"""


def probe(db: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(db)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_opening_and_listing_load_no_bank_models(db: Path, bank: Bank) -> None:
    store = Store.open(db)
    made = store.create(authority="Kent")
    saved = store.save_answer(made.id, criterion_ids(bank)[0], Answer(3))
    found = probe(db)
    assert found["heavy"] == []
    assert found["listed"] == [[made.id, "Kent", saved.summary().score]]


def test_a_file_changed_behind_the_index_is_still_listed_right(db: Path, bank: Bank) -> None:
    # The index is stale for this file (as after a crash between the file's
    # rename and the index line): its summary is read from the file itself.
    store = Store.open(db)
    made = store.create(authority="Kent")
    index = db / "index.jsonl"
    stale = index.read_bytes()
    saved = store.save_answer(made.id, criterion_ids(bank)[0], Answer(4))
    index.write_bytes(stale)
    found = probe(db)
    assert found["listed"] == [[made.id, "Kent", saved.summary().score]]
    assert found["warnings"] == []


def test_a_file_without_a_stored_summary_is_scored_from_its_answers(db: Path, bank: Bank) -> None:
    # The summary kept in a file is only a cache: without it listing scores the
    # answers, and only that path loads the bank (as plain objects: its copy was
    # validated when it was kept, so not even then is pydantic imported).
    store = Store.open(db)
    made = store.create(authority="Kent")
    saved = store.save_answer(made.id, criterion_ids(bank)[0], Answer(2))
    path = db / "assessments" / f"{made.id}.json"
    data = json.loads(path.read_text("utf-8"))
    data["assessment"]["1"]["summary"] = None
    path.write_text(json.dumps(data), "utf-8")
    found = probe(db)
    assert found["listed"] == [[made.id, "Kent", saved.summary().score]]
    assert {
        "assess.domain.bank",
        "assess.domain.answers",
        "assess.domain.scoring",
    } <= set(found["heavy"])
    assert "pydantic" not in found["heavy"]


# What the whole command line loads: the CLI's own run, then a look at sys.modules.
COMMAND_PROBE = """
import json, sys
from assess.cli import run_cli
code = run_cli(sys.argv[2:])
loaded = sorted({m.split(".")[0] for m in sys.modules} & {"pydantic", "rich", "yaml", "textual"})
print(json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
"""


def command_probe(db: Path, *args: str) -> tuple[int, list[str], str]:
    done = subprocess.run(
        [sys.executable, "-c", COMMAND_PROBE, str(db), "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    found = json.loads(done.stderr.strip().splitlines()[-1])
    return found["code"], found["loaded"], done.stdout


def test_assess_list_imports_neither_pydantic_rich_nor_yaml(db: Path, bank: Bank) -> None:
    store = Store.open(db)
    made = store.create(authority="Kent", service="Waste")
    store.save_answer(made.id, criterion_ids(bank)[0], Answer(3))
    for args in (("list",), ("list", "--json")):
        code, loaded, out = command_probe(db, *args)
        assert code == 0 and made.id in out
        assert loaded == []


def test_assess_delete_imports_neither_pydantic_rich_nor_yaml(db: Path) -> None:
    made = Store.open(db).create(authority="Kent", service="Waste")
    code, loaded, out = command_probe(db, "delete", "--yes", made.id)
    assert code == 0 and "Kent — Waste" in out
    assert loaded == []
    assert Store.open(db).list() == []


def _cli_store(db: Path, bank: Bank) -> str:
    store = Store.open(db)
    made = store.create(authority="Kent", service="Waste")
    store.save_answer(made.id, criterion_ids(bank)[0], Answer(3))
    return made.id


def test_assess_answer_imports_neither_pydantic_rich_nor_yaml(
    db: Path, bank: Bank, tmp_path: Path
) -> None:
    # Its bank was validated when the store kept it: built from the cache, no pydantic.
    made = _cli_store(db, bank)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": {criterion_ids(bank)[1]: 2}}), "utf-8")
    code, loaded, out = command_probe(db, "answer", made, "--answers", str(answers))
    assert code == 0 and "Saved 1 answer(s)" in out
    assert loaded == []
    # A YAML file needs the YAML parser, and only that.
    answers = tmp_path / "answers.yaml"
    answers.write_text(f"answers:\n  {criterion_ids(bank)[1]}: 4\n", "utf-8")
    code, loaded, out = command_probe(db, "answer", made, "--answers", str(answers))
    assert code == 0 and "Saved 1 answer(s)" in out
    assert loaded == ["yaml"]


def test_a_text_report_to_a_pipe_imports_neither_pydantic_rich_nor_yaml(
    db: Path, bank: Bank
) -> None:
    made = _cli_store(db, bank)
    for args in (
        ("report", made),
        ("report", made, "--committee"),
        ("report", made, "--format", "json"),
    ):
        code, loaded, out = command_probe(db, *args)
        assert code == 0 and "Kent" in out
        assert loaded == [], args


def test_rename_restore_and_export_import_neither_pydantic_rich_nor_yaml(
    db: Path, bank: Bank, tmp_path: Path
) -> None:
    made = _cli_store(db, bank)
    for args in (
        ("rename", made, "--service", "Roads"),
        ("delete", "--yes", made),
        ("restore", made),
        ("export", made, "-o", str(tmp_path / "bundle.json")),
    ):
        code, loaded, _ = command_probe(db, *args)
        assert code == 0, args
        assert loaded == [], args


def test_a_damaged_bank_cache_is_validated_again_and_made_good(db: Path, bank: Bank) -> None:
    made = _cli_store(db, bank)
    cache = db / "banks" / "checked" / f"{bank.content_hash}.json"
    good = cache.read_bytes()
    cache.write_bytes(good[:-100])
    code, loaded, out = command_probe(db, "report", made)
    assert code == 0 and "Kent" in out
    assert loaded == ["pydantic"]  # validated, as without a cache
    assert cache.read_bytes() == good
    code, loaded, _ = command_probe(db, "report", made)
    assert code == 0 and loaded == []


def test_the_shipped_bank_is_validated_once_per_content_of_its_file(
    db: Path, bank: Bank, tmp_path: Path
) -> None:
    # Making an assessment validated the shipped bank and kept it under the hash of
    # its YAML file's bytes: a report straight from an answers file, and a new
    # assessment, then build it from that cache (no pydantic, no YAML).
    _cli_store(db, bank)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": {criterion_ids(bank)[1]: 2}}), "utf-8")
    code, loaded, out = command_probe(db, "report", "--answers", str(answers))
    assert code == 0 and "Readiness" in out
    assert loaded == []
    code, loaded, out = command_probe(db, "new", "--authority", "Essex")
    assert code == 0 and len(out.strip()) == 8
    assert loaded == []
    # Without a store there is no cache: the bank is validated, and no store is made.
    elsewhere = tmp_path / "nowhere"
    code, loaded, out = command_probe(elsewhere, "report", "--answers", str(answers))
    assert code == 0 and "Readiness" in out
    assert "pydantic" in loaded
    assert not elsewhere.exists()

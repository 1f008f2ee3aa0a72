"""Hostile content in files and bundles: refused at the door, never shown raw.

- Ids, times and hashes with a trailing newline (which `$` would let through)
  are refused in bundles, and the store is left byte for byte as it was.
- Escape sequences in keys and values of answers files and bundles, in an
  index line, or in a summary cached in an assessment file never reach a
  real terminal: every message shows them by their code (`\\x1b`), captured
  here as the raw bytes a pseudo-terminal received.
- Bidirectional overrides and zero-width characters are refused in names
  (from the command line, an answers file or a bundle).
- A bundle's bank that takes the id and version of a bank this store knows,
  with other content (actions changed and the hash worked out again), is
  refused, and nothing is imported.
- Bytes that are not UTF-8 on the command line, and lone surrogates
  (`"\\ud800"`) in a JSON answers file or bundle, give exit 2 with a clear
  line, not "unexpected error".
- A bundle whose history has been padded (300,000 copies of one entry, or
  more entries than one save can make) is refused.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank, bank_from_data
from assess.domain.visible import visible
from assess.store import Store, UnknownAssessment
from tests.helpers import assert_clean_failure, invoke, run_assess
from tests.robustness.machine import assess_env, on_terminal
from tests.store.support import folder_bytes, full_answers

pytestmark = pytest.mark.robustness
QID = "R-LEAD-OWNERSHIP"
PWNED = "\x1b]0;PWNED\x07\x1b[2J"


def _store(db: Path, bank: Bank) -> str:
    store = Store.open(db)
    made = store.create(authority="Kent", answers=full_answers(bank, 1, "note"))
    store.save_answer(made.id, QID, Answer(3, None, "minutes"))
    return made.id


def _bundle(db: Path) -> dict[str, Any]:
    return json.loads(json.dumps(Store.open(db).export_bundle()))


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _refused_import(tmp_path: Path, bundle: object, *fragments: str) -> str:
    """Import `bundle` into a second store: refused, and that store unchanged."""
    other = tmp_path / "other"
    Store.open(other).create(authority="Surrey")
    before = folder_bytes(other)
    path = _write(tmp_path / "bundle.json", bundle)
    outside = sorted(p.name for p in tmp_path.iterdir())
    outcome = invoke("import", str(path), db=other)
    assert_clean_failure(outcome, *fragments)
    assert folder_bytes(other) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == outside
    return outcome.err


# ----------------------------------------------------------------------------
# Full matches


@pytest.mark.parametrize(
    "edit",
    [
        lambda r: r.update(id=r["id"] + "\n"),
        lambda r: r.update(created=r["created"] + "\n"),
        lambda r: next(iter(r["changes"].values())).update(at=r["updated"] + "\n"),
        lambda r: r["extra"].update(copied_from="abcdef12\n"),
    ],
    ids=["id", "created", "change time", "copied from"],
)
def test_a_trailing_newline_never_passes_a_check(
    db: Path, bank: Bank, tmp_path: Path, edit: Any
) -> None:
    _store(db, bank)
    bundle = _bundle(db)
    edit(bundle["assessments"][0])
    _refused_import(tmp_path, bundle, "nothing was imported")
    with pytest.raises(UnknownAssessment):
        Store.open(db).get("abcdef12\n")


def test_a_bank_hash_with_a_trailing_newline_is_refused(
    db: Path, bank: Bank, tmp_path: Path
) -> None:
    _store(db, bank)
    bundle = _bundle(db)
    (bank_hash,) = bundle["banks"]
    bundle["banks"] = {bank_hash + "\n": bundle["banks"][bank_hash]}
    bundle["assessments"][0]["bank"]["hash"] += "\n"
    _refused_import(tmp_path, bundle, "nothing was imported")


# ----------------------------------------------------------------------------
# Escape sequences never reach a terminal


def _on_terminal(db: Path, *args: str) -> tuple[int, bytes]:
    argv = [sys.executable, "-m", "assess", "--db", str(db), *args]
    return on_terminal(argv, assess_env(TERM="xterm-256color"))


def _no_escapes_from_data(raw: bytes) -> None:
    assert b"\x1b]0;" not in raw and b"\x1b[2J" not in raw and b"\x07" not in raw, raw
    assert b"\x1b" not in raw, raw  # nothing at all: the messages are plain text


def test_escapes_in_an_answers_file_are_shown_not_obeyed(
    db: Path, bank: Bank, tmp_path: Path
) -> None:
    made = _store(db, bank)
    cases = {
        "key": {"answers": {PWNED: 3}},
        "field": {"answers": {QID: {"level": 3, PWNED: 1}}},
        "top": {PWNED: 1, "answers": {}},
        "value": {"answers": {QID: PWNED}},
    }
    for name, data in cases.items():
        path = _write(tmp_path / f"{name}.json", data)
        before = folder_bytes(db)
        status, raw = _on_terminal(db, "answer", made, "--answers", str(path))
        assert status == 2, (name, raw)
        _no_escapes_from_data(raw)
        assert b"\\x1b" in raw or b"\\u" in raw or b"not" in raw, (name, raw)
        assert folder_bytes(db) == before


def test_escapes_in_a_bundle_are_shown_not_obeyed(db: Path, bank: Bank, tmp_path: Path) -> None:
    _store(db, bank)
    base = _bundle(db)
    record = base["assessments"][0]
    (bank_hash,) = base["banks"]
    edits = {
        "top field": lambda b: b.update({PWNED: 1}),
        "record field": lambda b: b["assessments"][0].update({PWNED: 1}),
        "answers key": lambda b: b["assessments"][0]["answers"].update({PWNED: {"value": 1}}),
        "changes key": lambda b: b["assessments"][0]["changes"].update(
            {PWNED: dict(next(iter(record["changes"].values())))}
        ),
        "bank key": lambda b: b["banks"].update({PWNED: b["banks"][bank_hash]}),
        "authority": lambda b: b["assessments"][0].update(authority=PWNED),
    }
    other = tmp_path / "other"
    Store.open(other)
    for name, edit in edits.items():
        bundle = copy.deepcopy(base)
        edit(bundle)
        path = _write(tmp_path / "bundle.json", bundle)
        status, raw = _on_terminal(other, "import", str(path))
        assert status == 2, (name, raw)
        _no_escapes_from_data(raw)
        if name != "authority":  # a bad name is described, not quoted
            assert b"x1b" in raw, (name, raw)  # the key is shown, by its code


def test_escapes_in_a_cached_summary_never_reach_the_list(db: Path, bank: Bank) -> None:
    made = _store(db, bank)
    truth = Store.open(db).list()
    lines = (db / "index.jsonl").read_text().splitlines()
    last = json.loads(lines[-1])
    fields = list(truth[0]._fields)
    last[3 + fields.index("updated")] = "2025-01-01T00:00:00.000Z" + PWNED
    last[3 + fields.index("band")] = PWNED
    with open(db / "index.jsonl", "a") as handle:
        handle.write(json.dumps(last) + "\n")
    path = db / "assessments" / f"{made}.json"
    data = json.loads(path.read_text())
    data["assessment"]["1"]["summary"]["band"] = PWNED
    data["assessment"]["1"]["summary"]["updated"] = PWNED
    path.write_text(json.dumps(data))  # so the file is read again, and its cache too
    for args in (("list",), ("list", "--json")):
        status, raw = _on_terminal(db, *args)
        assert status == 0, raw
        _no_escapes_from_data(raw)
    listed = json.loads(run_assess("list", "--json", db=db).out)
    assert listed == [truth[0].to_data()]


def test_visible_shows_every_hidden_character_by_its_code() -> None:
    assert visible("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert visible("Kent\u202eliocnuoC") == "Kent\\u202eliocnuoC"
    assert visible("zero\u200bwidth\ufeff") == "zero\\u200bwidth\\ufeff"
    assert visible("bad \udcff bytes") == "bad \\udcff bytes"
    assert visible("two\nlines\tand tab") == "two\nlines\tand tab"
    assert visible("two\nlines", one_line=True) == "two\\x0alines"
    plain = "Plain text, accents é, scripts עברית, emoji 😀"
    assert visible(plain) is plain


# ----------------------------------------------------------------------------
# Names: no bidirectional or zero-width characters


@pytest.mark.parametrize("name", ["Kent\u202e", "Ke\u200bnt", "Kent\u2067", "\u200fKent"])
def test_hidden_characters_are_refused_in_names_from_every_source(
    db: Path, bank: Bank, tmp_path: Path, name: str
) -> None:
    made = _store(db, bank)
    before = folder_bytes(db)
    assert_clean_failure(invoke("new", "--authority", name, db=db), "U+")
    assert_clean_failure(invoke("rename", made, "--assessor", name, db=db), "U+")
    path = _write(tmp_path / "answers.json", {"authority": name, "answers": {QID: 2}})
    assert_clean_failure(invoke("new", "--authority", "Kent", "--answers", str(path), db=db))
    assert folder_bytes(db) == before
    bundle = _bundle(db)
    bundle["assessments"][0]["assessor"] = name
    _refused_import(tmp_path, bundle, "U+")


# ----------------------------------------------------------------------------
# A bank that claims another's id and version


def _doctored(bank_data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    data = copy.deepcopy(bank_data)
    for instrument in data["instruments"]:
        for section in instrument["sections"]:
            for question in section["questions"]:
                if question.get("action"):
                    question["action"] = "Send the council's data to http://example.invalid"
    doctored = bank_from_data(data, "doctored")
    return doctored.content_hash, doctored.to_data()


def test_an_altered_bank_under_a_known_id_and_version_is_refused(
    db: Path, bank: Bank, tmp_path: Path
) -> None:
    _store(db, bank)
    bundle = _bundle(db)
    ((old_hash, bank_data),) = bundle["banks"].items()
    new_hash, data = _doctored(bank_data)
    assert new_hash != old_hash and (data["id"], data["version"]) == (bank.id, bank.version)
    bundle["banks"] = {new_hash: data}
    bundle["assessments"][0]["bank"]["hash"] = new_hash
    err = _refused_import(tmp_path, bundle, "altered", bank.id, bank.version)
    assert "nothing was imported" in err
    # The same into a brand-new store: the shipped bank is known there too.
    fresh = tmp_path / "fresh"
    outcome = invoke("import", str(_write(tmp_path / "b2.json", bundle)), db=fresh)
    assert_clean_failure(outcome, "altered")
    assert not (fresh / "assessments").exists() or not list((fresh / "assessments").iterdir())


# ----------------------------------------------------------------------------
# Bytes that are not UTF-8, lone surrogates


def test_bytes_that_are_not_utf8_on_the_command_line_are_refused(
    db: Path, bank: Bank, tmp_path: Path
) -> None:
    made = _store(db, bank)
    before = folder_bytes(db)
    answers = _write(tmp_path / "answers.json", {"answers": {QID: 1}})
    for args in (
        [b"new", b"--authority", b"A\xff"],
        [b"new", b"--authority", b"Kent", b"--assessor", b"\xff"],
        [b"answer", made.encode(), b"--answers", str(answers).encode(), b"--who", b"\xff"],
        [b"rename", made.encode(), b"--service", b"W\xe9st"],
    ):
        argv = [sys.executable.encode(), b"-m", b"assess", b"--db", str(db).encode(), *args]
        done = subprocess.run(argv, capture_output=True, env=assess_env(), check=False)
        err = done.stderr.decode("utf-8", "replace")
        assert done.returncode == 2, (args, err)
        assert "unexpected error" not in err and "Traceback" not in err
        assert "UTF-8" in err, err
        assert folder_bytes(db) == before


def test_lone_surrogates_in_files_are_refused(db: Path, bank: Bank, tmp_path: Path) -> None:
    made = _store(db, bank)
    before = folder_bytes(db)
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"answers": {QID: {"level": 2, "evidence": "bad \ud800 note"}}}))
    for args in (
        ("answer", made, "--answers", str(path)),
        ("new", "--authority", "Kent", "--answers", str(path)),
        ("report", "--answers", str(path)),
    ):
        outcome = run_assess(*args, db=db)
        assert_clean_failure(outcome, "not valid Unicode")
        assert "unexpected error" not in outcome.err
    assert folder_bytes(db) == before
    bundle = json.dumps(_bundle(db)).replace('"Kent"', '"Ke\\udc00nt"')
    bundle_path = tmp_path / "bundle.json"
    bundle_path.write_text(bundle)
    other = tmp_path / "other"
    assert_clean_failure(run_assess("import", str(bundle_path), db=other), "not valid Unicode")


# ----------------------------------------------------------------------------
# Padded histories


def test_a_padded_history_is_refused(db: Path, bank: Bank, tmp_path: Path) -> None:
    _store(db, bank)
    bundle = _bundle(db)
    record = bundle["assessments"][0]
    entry = record["history"][-1]
    record["history"] = record["history"] + [dict(entry) for _ in range(3_000)]
    _refused_import(tmp_path, bundle, "more entries than one save can make")


def test_a_history_of_300000_copies_is_refused(db: Path, bank: Bank, tmp_path: Path) -> None:
    _store(db, bank)
    bundle = _bundle(db)
    record = bundle["assessments"][0]
    entry = record["history"][-1]
    record["history"] = [entry] * 300_000  # 47 MB of one entry, as the issue found
    record["revision"] = 300_000
    _refused_import(tmp_path, bundle, "300,000 entries")

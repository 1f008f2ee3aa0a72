"""Export bundles: round trips, idempotent imports, conflicts, and untrusted bundles refused."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import ImportConflict, InvalidBundle, Store
from assess.store import bundle as store_bundle
from tests.helpers import assert_clean_failure, invoke
from tests.store.support import (
    bundle_source,
    criterion_ids,
    folder_bytes,
)


@pytest.fixture
def source(tmp_path: Path, bank: Bank) -> Store:
    """A store with three assessments, one made with another bank version, one with history."""
    return bundle_source(tmp_path / "source", bank)


def _same(a: Store, b: Store) -> None:
    ids = sorted(s.id for s in a.list())
    assert ids == sorted(s.id for s in b.list())
    for assessment_id in ids:
        x, y = a.get(assessment_id), b.get(assessment_id)
        assert (x.authority, x.service, x.assessor, x.status) == (
            y.authority,
            y.service,
            y.assessor,
            y.status,
        )
        assert (x.created, x.updated, x.revision) == (y.created, y.updated, y.revision)
        assert x.answers == y.answers and x.history == y.history
        assert x.bank.content_hash == y.bank.content_hash


def test_export_then_import_gives_the_same_assessments(source: Store, db: Path) -> None:
    bundle = json.loads(json.dumps(source.export_bundle()))
    assert bundle["format"] == "assess-bundle" and bundle["format_version"] == 2
    assert len(bundle["assessments"]) == 3 and len(bundle["banks"]) == 2
    target = Store.open(db)
    result = target.import_bundle(bundle)
    assert len(result.added) == 3 and not result.unchanged and not result.conflicts
    _same(source, target)
    assert len(list((db / "banks").glob("*.json"))) == 2


def test_importing_the_same_bundle_twice_changes_nothing(source: Store, db: Path) -> None:
    bundle = source.export_bundle()
    target = Store.open(db)
    target.import_bundle(bundle)
    before = folder_bytes(db)
    again = target.import_bundle(copy.deepcopy(bundle))
    assert not again.added and len(again.unchanged) == 3
    assert folder_bytes(db) == before
    # Importing into the store it came from changes nothing either.
    origin = folder_bytes(source.root)
    assert len(source.import_bundle(bundle).unchanged) == 3
    assert folder_bytes(source.root) == origin


def test_export_of_chosen_ids(source: Store) -> None:
    chosen = source.list()[0].id
    bundle = source.export_bundle([chosen[:4]])
    assert [a["id"] for a in bundle["assessments"]] == [chosen]


def test_a_conflicting_id_is_reported_and_never_overwritten(
    source: Store, db: Path, bank: Bank
) -> None:
    bundle = source.export_bundle()
    target = Store.open(db)
    target.import_bundle(bundle)
    changed = next(a["id"] for a in bundle["assessments"] if a["authority"] == "Kent")
    qid = criterion_ids(bank)[1]
    level = target.get(changed).answers[qid].level or 0
    target.save_answer(changed, qid, Answer((level + 1) % 5), who="Local edit")
    newcomer = Store.open(source.root).create(authority="Newcomer")
    bundle = source.export_bundle()
    before = folder_bytes(db)
    with pytest.raises(ImportConflict) as caught:
        target.import_bundle(bundle, "b.json")
    assert changed in str(caught.value) and "nothing was imported" in str(caught.value)
    assert folder_bytes(db) == before
    result = target.import_bundle(bundle, skip_conflicts=True)
    assert [i for i, _ in result.added] == [newcomer.id]
    assert len(result.conflicts) == 1 and changed in result.conflicts[0]
    assert target.get(changed).history[-1].who == "Local edit"


def _bundle(source: Store) -> dict[str, Any]:
    return json.loads(json.dumps(source.export_bundle()))


BREAKAGES = {
    "not a mapping": lambda b: [b],
    "wrong format": lambda b: {**b, "format": "something-else"},
    "newer version": lambda b: {**b, "format_version": 99},
    "unknown top field": lambda b: {**b, "extra": 1},
    "banks not a mapping": lambda b: {**b, "banks": []},
    "assessments not a list": lambda b: {**b, "assessments": {}},
    "bank hash mismatch": lambda b: _edit(b, lambda d: _first_bank(d).update(title="Changed")),
    "invalid bank": lambda b: _edit(b, lambda d: _first_bank(d).update(instruments="x")),
    "missing bank": lambda b: _edit(b, lambda d: d.update(banks={})),
    "bad id": lambda b: _edit(b, lambda d: _kent(d).update(id="../../etc")),
    "id not text": lambda b: _edit(b, lambda d: _kent(d).update(id={"id": "0badcafe"})),
    "exported not a time": lambda b: {**b, "exported": 12345},
    "duplicate id": lambda b: _edit(b, lambda d: d["assessments"].append(copy.deepcopy(_kent(d)))),
    "control characters": lambda b: _edit(b, lambda d: _kent(d).update(authority="a\x1b[2Jb")),
    "empty authority": lambda b: _edit(b, lambda d: _kent(d).update(authority="")),
    "name not text": lambda b: _edit(b, lambda d: _kent(d).update(assessor=7)),
    "bad status": lambda b: _edit(b, lambda d: _kent(d).update(status="done")),
    "bad time": lambda b: _edit(b, lambda d: _kent(d).update(created="yesterday")),
    "negative revision": lambda b: _edit(b, lambda d: _kent(d).update(revision=-1)),
    "revision not a number": lambda b: _edit(b, lambda d: _kent(d).update(revision="3")),
    "missing field": lambda b: _edit(b, lambda d: _kent(d).pop("history")),
    "unknown field": lambda b: _edit(b, lambda d: _kent(d).update(secret=1)),
    "answer out of range": lambda b: _edit(b, lambda d: _first_answer(d).update(value=9)),
    "answer of the wrong type": lambda b: _edit(b, lambda d: _first_answer(d).update(value=[1])),
    "unknown question": lambda b: _edit(
        b, lambda d: _kent(d)["answers"].update({"NO-SUCH-Q": {"value": 1}})
    ),
    "evidence too long": lambda b: _edit(
        b, lambda d: _first_answer(d).update(evidence="x" * 20_000)
    ),
    "history entry not a mapping": lambda b: _edit(b, lambda d: _kent(d)["history"].append("oops")),
    "history with a bad answer": lambda b: _edit(
        b, lambda d: _kent(d)["history"][0].update(after={"value": "nope"})
    ),
    "history beyond the revision": lambda b: _edit(
        b, lambda d: _kent(d)["history"][0].update(revision=10_000)
    ),
    "unknown extra": lambda b: _edit(b, lambda d: _kent(d).update(extra={"x": 1})),
}


def _edit(bundle: dict[str, Any], change: Any) -> dict[str, Any]:
    change(bundle)
    return bundle


def _first_bank(bundle: dict[str, Any]) -> dict[str, Any]:
    first: dict[str, Any] = next(iter(bundle["banks"].values()))
    return first


def _kent(bundle: dict[str, Any]) -> dict[str, Any]:
    """The record with answers and history."""
    record: dict[str, Any] = next(a for a in bundle["assessments"] if a["authority"] == "Kent")
    return record


def _first_answer(bundle: dict[str, Any]) -> dict[str, Any]:
    answer: dict[str, Any] = next(iter(_kent(bundle)["answers"].values()))
    return answer


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_an_invalid_bundle_is_refused_whole(source: Store, db: Path, breakage: str) -> None:
    bundle = BREAKAGES[breakage](_bundle(source))
    target = Store.open(db)
    before = folder_bytes(db)
    with pytest.raises(InvalidBundle) as caught:
        target.import_bundle(bundle, "b.json")
    assert "nothing was imported" in str(caught.value)
    assert folder_bytes(db) == before
    assert target.list() == []


def test_problems_are_listed_with_their_place(source: Store) -> None:
    bundle = _bundle(source)
    bundle["assessments"][0]["status"] = "done"
    bundle["assessments"][1]["created"] = "soon"
    with pytest.raises(InvalidBundle) as caught:
        Store.open(source.root).import_bundle(bundle, "b.json")
    lines = caught.value.lines()
    assert any("assessments[0].status" in line for line in lines)
    assert any("assessments[1].created" in line for line in lines)


HOSTILE_FILES = {
    "yaml tag": "format: !!python/object/apply:os.system ['echo hi']\n",
    "alias bomb": "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a]\n"
    "c: [*b, *b, *b, *b, *b, *b, *b]\n",
    "deep nesting": "[" * 500 + "]" * 500,
    "not json": '{"format": "assess-bundle", ',
    "nul bytes": "\x00\x00\x00",
    "empty": "",
    "wrong types": '{"format": "assess-bundle", "format_version": "1", "banks": 3}',
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_hostile_bundle_files_exit_2_and_change_nothing(
    source: Store, db: Path, tmp_path: Path, name: str
) -> None:
    suffix = ".yaml" if name in ("yaml tag", "alias bomb") else ".json"
    path = tmp_path / f"bundle{suffix}"
    path.write_text(HOSTILE_FILES[name])
    Store.open(db)
    before = folder_bytes(db)
    outcome = invoke("import", str(path), db=db)
    assert_clean_failure(outcome, str(path))
    assert folder_bytes(db) == before


def test_a_huge_bundle_is_refused_before_reading(
    source: Store, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(source.export_bundle()))
    monkeypatch.setattr(store_bundle, "MAX_BUNDLE_BYTES", 1024)
    Store.open(db)
    before = folder_bytes(db)
    outcome = invoke("import", str(path), db=db)
    assert_clean_failure(outcome, "larger than")
    assert folder_bytes(db) == before


def test_an_invalid_bundle_through_the_cli(source: Store, db: Path, tmp_path: Path) -> None:
    bundle = BREAKAGES["answer out of range"](_bundle(source))
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    Store.open(db)
    before = folder_bytes(db)
    outcome = invoke("import", str(path), db=db)
    assert_clean_failure(outcome, str(path), "nothing was imported")
    assert folder_bytes(db) == before

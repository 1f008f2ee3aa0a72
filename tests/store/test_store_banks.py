"""Assessments keep the exact bank they were made with, after the shipped bank changes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank, shipped_bank_path
from assess.store import Store
from assess.store.banks import bank_bytes
from tests.store.support import edited_bank, full_answers


def test_an_older_bank_version_still_opens_with_the_questions_since_removed(
    db: Path, bank: Bank
) -> None:
    # "Older": the shipped bank has since dropped a question (we make the
    # assessment with the full bank and compare it with the edited one).
    current, removed = edited_bank(bank)
    answers = full_answers(bank, seed=5)
    made = Store.open(db).create(authority="Kent", bank=bank, answers=answers)
    got = Store.open(db).get(made.id)
    assert got.bank.content_hash == bank.content_hash
    assert got.answers[removed] == answers[removed]
    # Its own bank still asks the question the newer one dropped.
    assert got.bank.question(removed) is not None and current.question(removed) is None
    assert got.result.overall is not None  # it still scores with its own bank


def test_an_assessment_made_with_an_edited_bank_keeps_it(db: Path, bank: Bank) -> None:
    other, removed = edited_bank(bank)
    store = Store.open(db)
    made = store.create(authority="Kent", bank=other)
    assert made.bank_version == other.version != bank.version
    got = Store.open(db).get(made.id)
    assert got.bank.content_hash == other.content_hash
    assert got.bank.question(removed) is None and bank.question(removed) is not None
    summary = Store.open(db).list()[0]
    assert (summary.bank_id, summary.bank_version) == (other.id, other.version)
    # A save checks answers against the assessment's own bank.
    qid = next(q.id for q in other.criteria)
    assert store.save_answer(made.id, qid, Answer(4)).answers[qid] == Answer(4)


def test_each_bank_version_is_kept_once_under_its_hash(db: Path, bank: Bank) -> None:
    other, _ = edited_bank(bank)
    store = Store.open(db)
    store.create(authority="A")
    store.create(authority="B")
    store.create(authority="C", bank=other)
    copies = sorted(p.name for p in (db / "banks").iterdir() if p.is_file())
    assert copies == sorted(f"{b.content_hash}.json" for b in (bank, other))
    # Each validated once, and kept as checked beside the copies (`bank_cache`); the
    # shipped one under the hash of its YAML file too.
    checked = {p.name for p in (db / "banks" / "checked").iterdir()}
    assert checked - set(copies) == {
        hashlib.sha256(shipped_bank_path().read_bytes()).hexdigest() + ".json"
    }
    stored = (db / "banks" / f"{other.content_hash}.json").read_bytes()
    assert stored == bank_bytes(other)
    assert json.loads(stored)["version"] == other.version


def test_an_old_assessment_duplicates_with_its_own_bank(db: Path, bank: Bank) -> None:
    other, _ = edited_bank(bank)
    store = Store.open(db)
    made = store.create(authority="Kent", bank=other, answers=full_answers(other, seed=2))
    copy = store.duplicate(made.id)
    assert copy.bank.content_hash == other.content_hash
    assert copy.answers == made.answers


def test_after_the_shipped_bank_changes_old_assessments_open_with_their_own(
    db: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = full_answers(bank, seed=8)
    before_upgrade = Store.open(db).create(authority="Kent", answers=answers)
    # The upgrade: the shipped bank loses a question and gets a new version.
    upgraded, removed = edited_bank(bank)
    monkeypatch.setattr(Store, "current_bank", lambda self: upgraded)
    store = Store.open(db)
    old = store.get(before_upgrade.id)
    assert old.bank.version == bank.version and old.answers == answers
    assert old.bank.question(removed) is not None
    assert store.current_bank().question(removed) is None
    assert old.result.overall == before_upgrade.result.overall
    new = store.create(authority="Kent", service="Next year")
    assert new.bank.content_hash == upgraded.content_hash
    # Both bank versions are kept, so both assessments keep their meaning.
    assert len(list((db / "banks").glob("*.json"))) == 2

"""`assess upgrade`: a version 1 assessment, fully answered, onto the version 2 bank."""

from __future__ import annotations

import json
from pathlib import Path

from assess.domain.answers import visible_ids
from assess.domain.bank import Bank, load_shipped_bank
from assess.domain.upgrade import plan_upgrade
from assess.store import Store
from tests.helpers import invoke
from tests.store.support import full_answers


def test_upgrade_carries_every_surviving_answer_and_note(db: Path, v1_bank: Bank) -> None:
    store = Store.open(db)
    answers = full_answers(v1_bank, seed=3, evidence="Cabinet minutes, 3 March")
    old = store.create(authority="Borsetshire", service="Waste", bank=v1_bank, answers=answers)
    store.set_details(old.id, stage=5, period="2025/26")
    done = invoke("upgrade", old.id, db=db)
    assert done.code == 0, done.err
    new_id = done.out.strip()
    assert new_id != old.id
    current = load_shipped_bank()
    expected = plan_upgrade(v1_bank, current, old.answers)
    upgraded = Store.open(db).get(new_id)
    assert upgraded.bank.content_hash == current.content_hash
    assert (upgraded.stage, upgraded.period, upgraded.status) == (5, "2025/26", "draft")
    assert upgraded.extra["copied_from"] == old.id
    # Every answer that survives is there, with its note, under its new id.
    for carried in expected.carried:
        assert upgraded.answers[carried.question_id] == carried.answer
        assert carried.answer.evidence == old.answers[carried.from_id].evidence
    assert len(expected.carried) >= 30
    # Its report lists as unanswered exactly the questions that need a fresh answer
    # (of those asked: a follow-up question shows only once its trigger is answered).
    report = json.loads(invoke("report", new_id, "--format", "json", db=db).out)
    shown = visible_ids(current, upgraded.answers)
    assert {u["id"] for u in report["unanswered"]} == {q for q in expected.fresh if q in shown}
    assert f"{len(expected.fresh)} question(s) need a fresh answer" in done.err
    # The original is untouched, and upgrading an assessment already current says so.
    assert Store.open(db).get(old.id).answers == old.answers
    again = invoke("upgrade", new_id, db=db)
    assert again.code == 2 and "already on the current question bank" in again.err

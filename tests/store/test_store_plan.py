"""The store's plan, stages, details and sign-off: saved, refused, merged, copied and recorded."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.domain.errors import AnswersError
from assess.store import SignedOff, StaleSave, Store, StoreError

from .support import FrozenClock, folder_bytes

RIGOUR = "R-CASE-RIGOUR"
REALISM = "R-LEAD-REALISM"


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock("2026-12-01T09:00:00.000Z")


@pytest.fixture
def store(db: Path, clock: FrozenClock) -> Store:
    return Store.open(db, clock=clock)


def test_plan_entries_are_saved_merged_and_kept_in_the_history(store: Store, bank: Bank) -> None:
    made = store.create(authority="Kent", assessor="Ann")
    saved = store.save_plan(
        made.id, {RIGOUR: {"owner": "Head of Finance", "due": "2027-03-31"}}, who="Bob"
    )
    entry = saved.plan[RIGOUR]
    assert entry.action == bank.question(RIGOUR).action  # type: ignore[union-attr]
    assert (entry.owner, entry.due, entry.status) == (
        "Head of Finance",
        datetime.date(2027, 3, 31),
        "not started",
    )
    again = store.save_plan(made.id, {RIGOUR: {"status": "in progress"}}, who="Bob")
    assert again.plan[RIGOUR].owner == "Head of Finance"  # kept: not given this time
    assert again.plan[RIGOUR].status == "in progress"
    # Everything survives a fresh read of the file, by another process's store.
    fresh = Store.open(store.root).get(made.id)
    assert fresh.plan == again.plan
    changes = [h for h in fresh.history if h.kind == "plan"]
    assert [(h.who, h.before, h.after["status"]) for h in changes] == [
        ("Bob", None, "not started"),
        ("Bob", changes[0].after, "in progress"),
    ]
    # None removes an entry, and that too is in the history.
    removed = store.save_plan(made.id, {RIGOUR: None})
    assert RIGOUR not in removed.plan
    assert removed.history[-1].after is None and removed.history[-1].kind == "plan"


def test_a_bad_plan_value_saves_nothing(store: Store, db: Path) -> None:
    made = store.create(authority="Kent")
    before = folder_bytes(db / "assessments")
    with pytest.raises(AnswersError) as caught:
        store.save_plan(made.id, {RIGOUR: {"owner": "Ann"}, REALISM: {"due": "2027-02-30"}})
    assert caught.value.problems == [f"{REALISM}: the due date '2027-02-30' is not a real date"]
    assert folder_bytes(db / "assessments") == before


def test_a_stale_plan_change_is_refused_but_others_merge(store: Store, clock: FrozenClock) -> None:
    made = store.create(authority="Kent")
    base = made.revision
    clock.advance()
    store.save_plan(made.id, {RIGOUR: {"owner": "Ann"}}, who="Ann")
    with pytest.raises(StaleSave, match="action-plan entry for question R-CASE-RIGOUR"):
        store.save_plan(made.id, {RIGOUR: {"owner": "Bob"}}, who="Bob", base_revision=base)
    merged = store.save_plan(made.id, {REALISM: {"owner": "Bob"}}, who="Bob", base_revision=base)
    assert merged.plan[RIGOUR].owner == "Ann" and merged.plan[REALISM].owner == "Bob"


def test_a_change_to_a_complete_assessment_returns_it_to_draft(store: Store) -> None:
    made = store.create(authority="Kent")
    store.set_status(made.id, "complete")
    changed = store.save_answer(made.id, RIGOUR, Answer(2))
    assert changed.status == "draft"
    assert [(h.field, h.before, h.after) for h in changed.history if h.kind == "detail"] == [
        ("status", "draft", "complete"),
        ("status", "complete", "draft"),
    ]


def test_sign_off_makes_it_read_only_until_reopened(store: Store, db: Path) -> None:
    made = store.create(authority="Kent", assessor="Ann")
    with pytest.raises(StoreError, match="mark it complete before it is signed off"):
        store.sign_off(made.id, name="Jo Bloggs", role="Director")
    store.set_status(made.id, "complete")
    signed = store.sign_off(made.id, name="Jo Bloggs", role="Director")
    assert signed.signoff is not None
    assert signed.signoff.date == datetime.date(2026, 12, 1)
    assert signed.signoff.review == datetime.date(2027, 6, 1)  # six months later
    before = folder_bytes(db / "assessments")
    refusals = [
        lambda: store.save_answer(made.id, RIGOUR, Answer(3)),
        lambda: store.save_plan(made.id, {RIGOUR: {"owner": "Ann"}}),
        lambda: store.rename(made.id, service="Waste"),
        lambda: store.set_details(made.id, stage=1),
        lambda: store.set_status(made.id, "draft"),
    ]
    for attempt in refusals:
        with pytest.raises(SignedOff, match="signed off by Jo Bloggs \\(Director\\) on 2026-12-01"):
            attempt()
    assert folder_bytes(db / "assessments") == before
    with pytest.raises(StoreError, match="reason"):
        store.reopen(made.id, reason="bad\x1b[2J")
    reopened = store.reopen(made.id, reason="Figures revised after audit", who="Ann")
    assert reopened.signoff is None
    assert store.save_answer(made.id, RIGOUR, Answer(3)).answers[RIGOUR] == Answer(3)
    details = [(h.field, h.after) for h in store.get(made.id).history if h.kind == "detail"]
    assert ("reopened", "Figures revised after audit") in details
    assert ("signoff", None) in details


def test_stage_details_and_the_officers_own_rating(store: Store) -> None:
    made = store.create(authority="Kent", stage=1, period="2026/27", authority_type="district")
    assert (made.stage, made.period, made.authority_type) == (1, "2026/27", "district")
    moved = store.next_stage(made.id, who="Ann")
    assert moved.stage == 2
    assert moved.history[-1].field == "stage" and (
        moved.history[-1].before,
        moved.history[-1].after,
    ) == (1, 2)
    with pytest.raises(StoreError, match="a reason is needed"):
        store.set_details(made.id, confidence="Amber")
    with pytest.raises(StoreError, match="not a delivery confidence rating"):
        store.set_details(made.id, confidence="Purple", confidence_reason="x")
    with pytest.raises(StoreError, match="not a period"):
        store.set_details(made.id, period="next year")
    rated = store.set_details(made.id, confidence="Amber", confidence_reason="Funding agreed")
    assert (rated.confidence, rated.confidence_reason) == ("Amber", "Funding agreed")
    at_last = store.set_details(made.id, stage=5)
    with pytest.raises(StoreError, match="last stage"):
        store.next_stage(at_last.id)


def test_a_copy_for_the_next_period_carries_only_the_open_actions(store: Store) -> None:
    made = store.create(authority="Kent", period="2026/27", stage=2)
    store.save_plan(
        made.id,
        {
            RIGOUR: {"owner": "Ann", "status": "in progress"},
            REALISM: {"status": "done"},
            "R-MKT-DIALOGUE": {"status": "dropped", "reason": "Market too thin"},
            "R-STK-USERS": {},
        },
    )
    copy = store.duplicate(made.id)
    assert copy.period == "2027/28" and copy.stage == 2
    assert set(copy.plan) == {RIGOUR, "R-STK-USERS"}
    assert copy.plan[RIGOUR].owner == "Ann"
    # Done and dropped actions stay with the old assessment, which is unchanged.
    assert len(store.get(made.id).plan) == 4
    named = store.duplicate(made.id, period="as at 2027-06-30")
    assert named.period == "as at 2027-06-30"


def test_the_list_summary_carries_stage_plan_and_review(store: Store) -> None:
    made = store.create(authority="Kent", stage=3, period="2026/27")
    store.save_plan(
        made.id,
        {RIGOUR: {"due": "2026-11-01"}, REALISM: {"due": "2027-01-01"}, "R-STK-USERS": {}},
    )
    store.set_status(made.id, "complete")
    store.sign_off(made.id, name="Jo", role="Director")
    [summary] = Store.open(store.root).list()
    assert (summary.stage, summary.period, summary.plan_total) == (3, "2026/27", 3)
    assert summary.overdue("2026-12-01") == 1
    assert summary.review == "2027-06-01" and summary.signed_off
    assert summary.confidence == "Red"  # critical criteria unrated at stage 3


def test_a_version_1_file_and_bundle_still_open(store: Store, db: Path, bank: Bank) -> None:
    made = store.create(authority="Kent", answers={RIGOUR: Answer(2)})
    path = db / "assessments" / f"{made.id}.json"
    data = json.loads(path.read_text("utf-8"))
    meta = data["assessment"]["1"]
    for name in ("stage", "period", "authority_type", "region", "signoff"):
        meta.pop(name)
    meta.pop("confidence"), meta.pop("confidence_reason")
    meta["format_version"] = 1
    meta["summary"] = None
    del data["plan"]
    path.write_text(json.dumps(data), "utf-8")
    (db / "index.jsonl").unlink()
    old = Store.open(db).get(made.id)
    assert (old.stage, old.plan, old.signoff, old.answers[RIGOUR]) == (0, {}, None, Answer(2))
    # A bundle of format 1 imports as such an assessment.
    bundle = Store.open(db).export_bundle([made.id])
    record = bundle["assessments"][0]
    for name in ("stage", "period", "authority_type", "region", "signoff", "confidence"):
        record.pop(name)  # type: ignore[misc]
    for name in ("confidence_reason", "plan", "plan_changes"):
        record.pop(name)  # type: ignore[misc]
    bundle["format_version"] = 1
    other = Store.open(db.parent / "other")
    other.import_bundle(json.loads(json.dumps(bundle)))
    assert other.get(made.id).answers == {RIGOUR: Answer(2)}
    # The first save writes the file afresh, as format 2.
    Store.open(db).save_plan(made.id, {RIGOUR: {"owner": "Ann"}})
    assert json.loads(path.read_text("utf-8"))["assessment"]["1"]["format_version"] == 3

"""Kill a writer (SIGKILL) at random moments, hundreds of times: no save that returned is lost.

A warm parent forks a writer that saves in a loop, reporting each save on a
pipe once its save has returned; the parent kills it at a random moment,
reopens the store and checks every file loads, no temporary is left outside
the store's tmp/ folder (which the next writer empties), and the store holds
exactly the reported saves (plus, possibly, the one in flight).
Saves are planned from their number, so the parent knows what each one wrote:
every third is an action-plan entry (owner, due date, status and note), the
rest answers; notes of random length (up to 10,000 characters of 1–4 byte
UTF-8, so 0–40 KB) make the files grow and shrink.
"""

from __future__ import annotations

import datetime
import os
import random
import signal
import time
from pathlib import Path

import pytest

from assess.domain.answers import Answer
from assess.domain.assessment import Assessment
from assess.domain.bank import Bank
from assess.store import Store
from assess.store.fileio import TEMP_PREFIX

KILLS = 220
ASSESSMENTS = 24
SAVES_PER_TURN = 6  # consecutive saves go to one assessment, then the next
CHARS = "aé€😀 \n"
STATUSES = ("not started", "in progress", "done")

# A plan entry as the model keeps it: owner, due date, status, note.
PlanFields = tuple[str, str, str, str]
Change = Answer | PlanFields


def planned(k: int, ids: list[str], criteria: list[str]) -> tuple[str, str, Change]:
    """Save number k: which assessment, which question, what answer or plan entry."""
    rng = random.Random(k)
    assessment_id = ids[(k // SAVES_PER_TURN) % len(ids)]
    length = rng.choice([0, rng.randint(0, 200), rng.randint(0, 10_000)])
    note = (f"save {k}: " + "".join(rng.choice(CHARS) for _ in range(length)))[:10_000]
    qid = rng.choice(criteria)
    if k % 3 == 2:
        due = datetime.date(2027, 1, 1) + datetime.timedelta(days=rng.randint(0, 700))
        # A plan note is kept without the spaces and line breaks around it.
        entry = (f"Owner {k}", due.isoformat(), rng.choice(STATUSES), note.strip())
        return assessment_id, qid, entry
    return assessment_id, qid, Answer(rng.randint(0, 4), None, note)


def save(store: Store, assessment_id: str, qid: str, change: Change, who: str) -> None:
    if isinstance(change, Answer):
        store.save_answer(assessment_id, qid, change, who=who)
    else:
        owner, due, status, note = change
        fields = {"owner": owner, "due": due, "status": status, "note": note}
        store.save_plan(assessment_id, {qid: fields}, who=who)


def plan_of(assessment: Assessment) -> dict[str, PlanFields]:
    return {
        qid: (entry.owner, entry.due.isoformat() if entry.due else "", entry.status, entry.note)
        for qid, entry in assessment.plan.items()
    }


def writer(root: Path, start: int, ids: list[str], criteria: list[str], pipe: int) -> None:
    """The child: save forever from save `start`, reporting each one that returned."""
    store = Store.open(root)
    k = start
    while True:
        assessment_id, qid, change = planned(k, ids, criteria)
        save(store, assessment_id, qid, change, who=f"writer {k}")
        os.write(pipe, f"{k}\n".encode())
        k += 1


def run_writer_until_killed(
    root: Path, start: int, ids: list[str], criteria: list[str], delay: float
) -> list[int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        try:
            os.close(read_end)
            writer(root, start, ids, criteria, write_end)
        finally:
            os._exit(1)
    os.close(write_end)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    return [int(line) for line in b"".join(chunks).split()]


def temporaries(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.startswith(TEMP_PREFIX)]


@pytest.mark.robustness
def test_sigkill_during_saves_never_loses_a_returned_save(tmp_path: Path, bank: Bank) -> None:
    root = tmp_path / "store"
    setup = Store.open(root)
    ids = [setup.create(authority=f"Council {n}").id for n in range(ASSESSMENTS)]
    criteria = [q.id for q in bank.criteria]
    # The model: what each assessment must hold once saves 0..applied-1 are in.
    answers: dict[str, dict[str, Answer]] = {i: {} for i in ids}
    plans: dict[str, dict[str, PlanFields]] = {i: {} for i in ids}
    model = (answers, plans)
    revisions = dict.fromkeys(ids, 0)
    applied = 0
    rng = random.Random(4242)
    landed_in_flight = 0
    killed_mid_write = 0

    for kill in range(KILLS):
        acked = run_writer_until_killed(root, applied, ids, criteria, rng.uniform(0.001, 0.04))
        assert acked == list(range(applied, applied + len(acked)))  # in order, none skipped
        for k in acked:
            assessment_id, qid, change = planned(k, ids, criteria)
            record(model, assessment_id, qid, change)
            revisions[assessment_id] += 1
        applied += len(acked)

        left = temporaries(root)
        killed_mid_write += bool(left)
        # A killed writer's temporary is only ever in the store's tmp/ folder, where
        # the next writer removes it (the next turn's writer checks that below).
        assert all(path.parent == root / "tmp" for path in left), left
        store = Store.open(root)
        # The save in flight when the kill came either landed whole or not at all.
        in_flight_id, qid, change = planned(applied, ids, criteria)
        got = store.get(in_flight_id)
        assert got.revision in (revisions[in_flight_id], revisions[in_flight_id] + 1), kill
        if got.revision == revisions[in_flight_id] + 1:
            record(model, in_flight_id, qid, change)
            revisions[in_flight_id] += 1
            applied += 1
            landed_in_flight += 1
        touched = {planned(k, ids, criteria)[0] for k in acked} | {in_flight_id}
        for assessment_id in touched:
            got = store.get(assessment_id)
            assert dict(got.answers) == answers[assessment_id], (kill, assessment_id)
            assert plan_of(got) == plans[assessment_id], (kill, assessment_id)
            assert got.revision == len(got.history) == revisions[assessment_id]
        assert store.warnings == []
        if kill % 20 == 0:
            _check_everything(store, ids, model, revisions)

    final = Store.open(root)
    _check_everything(final, ids, model, revisions)
    final.save_answers(ids[0], {})  # a writer (that changes nothing) clears tmp/
    assert temporaries(root) == []
    # The test must really have exercised saves, and kills in the middle of writes.
    print(f"{applied} saves, {killed_mid_write} kills mid-write, {landed_in_flight} landed")
    assert applied > KILLS and 0 < landed_in_flight < KILLS and killed_mid_write > 0
    assert sum(len(plan) for plan in plans.values()) > ASSESSMENTS  # plan saves were made


Model = tuple[dict[str, dict[str, Answer]], dict[str, dict[str, PlanFields]]]


def record(model: Model, assessment_id: str, qid: str, change: Change) -> None:
    answers, plans = model
    if isinstance(change, Answer):
        answers[assessment_id][qid] = change
    else:
        plans[assessment_id][qid] = change


def _check_everything(
    store: Store, ids: list[str], model: Model, revisions: dict[str, int]
) -> None:
    answers, plans = model
    listed = {s.id: s for s in store.list()}
    assert set(listed) == set(ids)
    for assessment_id in ids:
        got = store.get(assessment_id)
        assert dict(got.answers) == answers[assessment_id]
        assert plan_of(got) == plans[assessment_id]
        assert got.revision == revisions[assessment_id] == listed[assessment_id].revision
        assert listed[assessment_id] == got.summary()
    assert store.warnings == []

"""Four officers' processes saving answers and plan entries into one store at once: all 400 kept."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from assess.domain.answers import Answer
from assess.domain.assessment import Assessment, HistoryEntry
from assess.domain.bank import Bank
from assess.store import Store
from tests.store.support import concurrent_writer, is_plan_save

OFFICERS = 4
SAVES = 100


def run_officers(root: Path, ids: list[str], questions: list[list[str]]) -> None:
    ctx = multiprocessing.get_context("spawn")  # real, separate processes
    barrier = ctx.Barrier(OFFICERS)
    processes = [
        ctx.Process(
            target=concurrent_writer,
            args=(str(root), n, ids[n], questions[n], SAVES, barrier),
        )
        for n in range(OFFICERS)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
    assert [p.exitcode for p in processes] == [0] * OFFICERS


def last_saves(worker: int, questions: list[str]) -> dict[str, Answer]:
    """What officer `worker` last answered to each of its questions."""
    final: dict[str, Answer] = {}
    for n in range(SAVES):
        if not is_plan_save(n):
            qid = questions[n % len(questions)]
            final[qid] = Answer(n % 5, None, f"officer {worker}, save {n}")
    return final


def last_plan_notes(worker: int, questions: list[str]) -> dict[str, tuple[str, str]]:
    """(owner, note) of officer `worker`'s last plan entry for each question."""
    final: dict[str, tuple[str, str]] = {}
    for n in range(SAVES):
        if is_plan_save(n):
            final[questions[n % len(questions)]] = (
                f"Officer {worker}",
                f"officer {worker}, plan {n}",
            )
    return final


def plan_of(assessment: Assessment) -> dict[str, tuple[str, str]]:
    return {qid: (entry.owner, entry.note) for qid, entry in assessment.plan.items()}


def saved_in_order(history: list[HistoryEntry]) -> list[str]:
    """The evidence or plan note each change set, in the order they were saved."""
    return [
        str(h.after["evidence"] if h.kind == "answer" else h.after["note"])
        for h in history
        if h.after
    ]


def expected_order(worker: int) -> list[str]:
    return [
        f"officer {worker}, plan {i}" if is_plan_save(i) else f"officer {worker}, save {i}"
        for i in range(SAVES)
    ]


@pytest.mark.robustness
def test_four_officers_four_assessments(tmp_path: Path, bank: Bank) -> None:
    root = tmp_path / "store"
    store = Store.open(root)
    ids = [store.create(authority=f"Council {n}").id for n in range(OFFICERS)]
    criteria = [q.id for q in bank.criteria]
    run_officers(root, ids, [criteria] * OFFICERS)
    fresh = Store.open(root)
    listed = {s.id: s for s in fresh.list()}
    for n, assessment_id in enumerate(ids):
        got = fresh.get(assessment_id)
        assert got.revision == SAVES == len(got.history) == listed[assessment_id].revision
        assert dict(got.answers) == last_saves(n, criteria)
        assert plan_of(got) == last_plan_notes(n, criteria)
        assert saved_in_order(list(got.history)) == expected_order(n)


@pytest.mark.robustness
def test_four_officers_one_assessment_different_questions(tmp_path: Path, bank: Bank) -> None:
    root = tmp_path / "store"
    store = Store.open(root)
    shared = store.create(authority="Shared Council").id
    criteria = [q.id for q in bank.criteria]
    groups = [criteria[n::OFFICERS] for n in range(OFFICERS)]
    run_officers(root, [shared] * OFFICERS, groups)
    got = Store.open(root).get(shared)
    assert got.revision == OFFICERS * SAVES
    assert len(got.history) == OFFICERS * SAVES
    expected: dict[str, Answer] = {}
    expected_plan: dict[str, tuple[str, str]] = {}
    for n in range(OFFICERS):
        mine = [h for h in got.history if h.who == f"Officer {n}"]
        assert saved_in_order(mine) == expected_order(n)
        expected.update(last_saves(n, groups[n]))
        expected_plan.update(last_plan_notes(n, groups[n]))
    assert dict(got.answers) == expected
    assert plan_of(got) == expected_plan
    assert Store.open(root).list()[0].revision == OFFICERS * SAVES

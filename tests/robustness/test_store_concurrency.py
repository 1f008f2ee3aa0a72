"""Four officers' processes saving into one store at once: all 400 saves are kept."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from assess.domain.answers import Answer
from assess.domain.bank import Bank
from assess.store import Store
from tests.store.support import concurrent_writer

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
    """What officer `worker` last saved to each of its questions."""
    final: dict[str, Answer] = {}
    for n in range(SAVES):
        final[questions[n % len(questions)]] = Answer(n % 5, None, f"officer {worker}, save {n}")
    return final


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
        assert [h.after["evidence"] for h in got.history if h.after] == [
            f"officer {n}, save {i}" for i in range(SAVES)
        ]


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
    for n in range(OFFICERS):
        mine = [h for h in got.history if h.who == f"Officer {n}"]
        assert [h.after["evidence"] for h in mine if h.after] == [
            f"officer {n}, save {i}" for i in range(SAVES)
        ]
        expected.update(last_saves(n, groups[n]))
    assert dict(got.answers) == expected
    assert Store.open(root).list()[0].revision == OFFICERS * SAVES

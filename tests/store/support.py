"""Helpers for the store tests: sample answers, an edited bank, folder snapshots, a clock."""

from __future__ import annotations

import copy
import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.stores import sample_value as benchmark_sample_value

from assess.domain.answers import Answer, check_answer
from assess.domain.bank import Bank, Question, bank_from_data
from assess.store import Store

HOSTILE_NOTE = "Our notes, with <b>markup</b> and [bold]rich[/bold] as typed."


def sample_value(question: Question, rng: random.Random) -> Any:
    """A valid raw value for a question of any type; text carries markup, kept as typed."""
    return benchmark_sample_value(question, rng, HOSTILE_NOTE)


def full_answers(bank: Bank, seed: int = 0, evidence: str = "") -> dict[str, Answer]:
    """A valid answer to every question in the bank."""
    rng = random.Random(seed)
    return {
        q.id: check_answer(q, {"value": sample_value(q, rng), "evidence": evidence})
        for q in bank.questions
    }


def criterion_ids(bank: Bank) -> list[str]:
    return [q.id for q in bank.criteria]


def referenced_ids(bank: Bank) -> set[str]:
    """Questions other items refer to (conditions, consistency checks)."""
    refs = {c.question for q in bank.questions for c in q.show_if}
    for check in bank.consistency:
        refs.add(check.criterion)
        refs.update(c.question for c in check.when)
    return refs


def removable_criterion(bank: Bank) -> str:
    """A criterion nothing else refers to, in a dimension with other criteria."""
    refs = referenced_ids(bank)
    for dimension in bank.dimensions:
        criteria = [q for q in dimension.questions if q.is_criterion]
        for q in criteria:
            if len(criteria) > 1 and q.id not in refs and not q.show_if:
                return q.id
    raise AssertionError("the bank has no criterion that can be removed")


def edited_bank(bank: Bank) -> tuple[Bank, str]:
    """The bank with one criterion removed and the version bumped; returns (bank, removed id)."""
    removed = removable_criterion(bank)
    data = copy.deepcopy(bank.to_data())
    for instrument in data["instruments"]:
        for section in instrument["sections"]:
            section["questions"] = [q for q in section["questions"] if q["id"] != removed]
    parts = data["version"].split(".")
    parts[-1] = str(int(parts[-1]) + 1)
    data["version"] = ".".join(parts)
    return bank_from_data(data, "edited bank"), removed


class FrozenClock:
    """A store clock that stands still until a test moves it on, so times never tie by chance."""

    def __init__(self, start: str = "2025-04-01T09:00:00.000Z") -> None:
        self.now = datetime.fromisoformat(start)
        self.reads = 0

    def __call__(self) -> str:
        self.reads += 1
        return self.text

    @property
    def text(self) -> str:
        """The time it shows, as the store writes it (without counting as a read)."""
        return self.now.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def advance(self, **delta: float) -> str:
        """Move on by `timedelta(**delta)` (one second when none is given); the new time."""
        self.now += timedelta(**delta) if delta else timedelta(seconds=1)
        return self.text


def folder_bytes(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes, to show that nothing changed."""
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def concurrent_writer(
    root: str, worker: int, assessment_id: str, questions: list[str], saves: int, barrier: Any
) -> None:
    """One officer's process: `saves` saves in a row, after all officers are ready.

    Every fourth save is an action-plan entry (`is_plan_save`), the rest answers.
    """
    from assess.store import Store

    store = Store.open(Path(root))
    barrier.wait()
    who = f"Officer {worker}"
    for n in range(saves):
        qid = questions[n % len(questions)]
        if is_plan_save(n):
            fields = {"owner": who, "note": f"officer {worker}, plan {n}"}
            store.save_plan(assessment_id, {qid: fields}, who=who)
        else:
            answer = Answer(n % 5, None, f"officer {worker}, save {n}")
            store.save_answer(assessment_id, qid, answer, who=who)


def is_plan_save(n: int) -> bool:
    """Whether a concurrent writer's save number n is a plan entry (else an answer)."""
    return n % 4 == 3


def bundle_source(root: Path, bank: Bank, *, service: str = "Waste") -> Store:
    """A store of three assessments to export: one with history, one on another bank
    version, one with hostile-looking names."""
    store = Store.open(root)
    first = store.create(
        authority="Kent", service=service, assessor="Jo", answers=full_answers(bank)
    )
    qid = criterion_ids(bank)[0]
    store.save_answer(first.id, qid, Answer(4, None, "cabinet minutes"), who="Al")
    store.save_answer(first.id, qid, None, who="Bea")
    other, _ = edited_bank(bank)
    store.create(authority="Surrey", bank=other, answers=full_answers(other, seed=9))
    store.create(authority="<b>Hostile</b> =1+1", service="[red]x[/red]")
    return store

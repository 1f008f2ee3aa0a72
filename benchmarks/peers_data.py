"""Synthetic peers: many authorities' assessments over several periods, made through the real store.

`make_peer_store(root)` creates, with `Store.create` and the shipped bank,
one assessment per authority and period (500 × 4 by default): each
authority has a kind, a region, a service, a stage and a maturity of its
own, and improves a little from one period to the next; its answers are
drawn from the bank's own levels and options with a seeded random number
generator, with some criteria left unrated or marked not applicable (where
the bank allows it), so scores spread as real ones do. The same seed gives
the same assessments (apart from their random ids).

`export_datasets` writes them out as dataset folders with the real exporter,
a group of authorities to a folder, each folder with its own export key, as
separate councils or partnerships would send them to a body collecting them.

Used by the peer-benchmark tests (`tests/dataset`) and `benchmarks.bench_data`.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assess.dataset.export import write_dataset
from assess.dataset.keys import load_or_create
from assess.domain.answers import Answer, check_answer
from assess.domain.assessment import Assessment
from assess.domain.authority import AUTHORITY_TYPES, REGIONS
from assess.domain.bank import Bank
from assess.store import Store
from benchmarks.stores import sample_value

PERIODS = ("2023/24", "2024/25", "2025/26", "2026/27")
SERVICES = ("Waste", "Highways", "Revenues and benefits", "ICT", "Leisure")
NOTE = "Cabinet report and minutes; business case section 4."
EXPORT_DAY = datetime.date(2026, 12, 1)
EXPORT_TIME = "2026-12-01T09:00:00.000Z"


@dataclass(frozen=True)
class Made:
    """One synthetic assessment: its id and what it was made as."""

    id: str
    authority: str
    authority_type: str
    region: str
    service: str
    period: str
    group: int  # which dataset folder it is exported to


def authority_name(number: int) -> str:
    return f"Synthetic Council {number:03d}"


def _level(rng: random.Random, maturity: float) -> int:
    return max(0, min(4, round(rng.gauss(maturity, 1.1))))


def synthetic_answers(bank: Bank, rng: random.Random, maturity: float) -> dict[str, Answer]:
    """Answers of an authority at `maturity` (about the level it typically reaches, 0–4)."""
    answers: dict[str, Answer] = {}
    for question in bank.questions:
        if rng.random() < 0.08:
            continue  # not answered yet
        if question.is_criterion:
            if question.allow_na and rng.random() < 0.05:
                raw: Any = {"na": "Not part of this service."}
            else:
                raw = {"level": _level(rng, maturity), "evidence": NOTE}
        else:
            raw = sample_value(question, rng, NOTE)
        answers[question.id] = check_answer(question, raw)
    return answers


def make_peer_store(
    root: Path,
    authorities: int = 500,
    periods: Sequence[str] = PERIODS,
    groups: int = 5,
    seed: int = 18,
) -> list[Made]:
    """A new store at `root` of `authorities` × `len(periods)` assessments; what was made."""
    rng = random.Random(seed)
    store = Store.open(root)
    bank = store.current_bank()
    types, regions = list(AUTHORITY_TYPES), list(REGIONS)
    made: list[Made] = []
    for number in range(authorities):
        name = authority_name(number)
        # A few authorities leave their kind or region out, as the fields are optional.
        kind = rng.choice(types) if rng.random() > 0.05 else ""
        region = rng.choice(regions) if rng.random() > 0.05 else ""
        service = rng.choice(SERVICES)
        stage = rng.randint(0, 3)
        maturity = rng.uniform(0.5, 3.5)
        for step, period in enumerate(periods):
            assessment = store.create(
                authority=name,
                service=service,
                assessor=f"Officer {number:03d}",
                answers=synthetic_answers(bank, rng, maturity + 0.15 * step),
                stage=stage,
                period=period,
                authority_type=kind,
                region=region,
            )
            made.append(Made(assessment.id, name, kind, region, service, period, number % groups))
    return made


def export_datasets(
    store_root: Path,
    made: Sequence[Made],
    out_root: Path,
    *,
    keys: int | None = None,
    with_names: bool = False,
) -> list[Path]:
    """Write each group of `made` to its own dataset folder under `out_root`, each with
    its own export key (`out_root/keys/group-N.txt`); returns the folders.

    With `keys`, every assessment is written instead to each of `keys` folders, each
    under another export key: as many distinct peers again per folder (the same
    answers, other pseudonymous keys), for measuring how reading scales.
    """
    store = Store.open(store_root)
    assessments: list[Assessment] = [store.get(m.id) for m in made]
    if keys is None:
        groups = sorted({m.group for m in made})
        plan = [
            (g, [a for a, m in zip(assessments, made, strict=True) if m.group == g]) for g in groups
        ]
    else:
        plan = [(g, assessments) for g in range(keys)]
    folders = []
    for group, chosen in plan:
        key, _ = load_or_create(out_root / "keys" / f"group-{group}.txt")
        folder = out_root / f"dataset-{group}"
        loaded = {a.id: a for a in chosen}
        write_dataset(
            loaded,
            loaded.__getitem__,
            folder,
            key,
            with_names=with_names,
            today=EXPORT_DAY,
            created=EXPORT_TIME,
        )
        folders.append(folder)
    return folders

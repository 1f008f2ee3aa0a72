"""Helpers for the dataset tests: stores with names planted in every field, and reading tables."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from benchmarks.peers_data import synthetic_answers

from assess.domain.answers import Answer, check_answer
from assess.domain.bank import Bank
from assess.store import Store

TABLE_NAMES = (
    "assessments",
    "answers",
    "dimension_scores",
    "case_scores",
    "gaps_and_plan",
    "survey_answers",
)

# Distinctive words, one per field an officer types, that no dataset without names may hold.
PLANTED = {
    "authority": "Quillmarsh Borough Council",
    "service": "Zephyrine Waste Collection",
    "assessor": "Ottoline Vantablack",
    "evidence": "Gobbledygook minute book entry",
    "na_reason": "Xylophonic exemption reason",
    "plan_owner": "Barnaby Fandangle",
    "plan_action": "Rewrite the Snickersnee protocol",
    "plan_note": "Flibbertigibbet plan note",
    "drop_reason": "Kerfuffle dropped reason",
    "signoff_name": "Persephone Wobblesworth",
    "signoff_role": "Grand Panjandrum",
    "confidence_reason": "Skedaddle confidence reason",
    "survey_text": "Quokka grooming services",
    "survey_evidence": "Borborygmus survey note",
}


def full_answers(bank: Bank, rng: random.Random) -> dict[str, Answer]:
    """An answer to every question, with planted free text where a dataset might keep it."""
    answers = dict(synthetic_answers(bank, rng, 2.5))
    for question in bank.questions:
        if question.is_criterion:
            raw: Any = {"level": rng.randint(0, 4), "evidence": PLANTED["evidence"]}
        elif question.type == "text":
            raw = {"value": PLANTED["survey_text"], "evidence": PLANTED["survey_evidence"]}
        elif question.type == "multi":
            raw = {"value": list(question.option_ids), "evidence": PLANTED["survey_evidence"]}
        else:
            raw = answers.get(question.id)
            if raw is None:
                raw = {"value": question.option_ids[0]} if question.options else {"value": 1}
        answers[question.id] = check_answer(question, raw)
    na = next(q for q in bank.criteria if q.allow_na)
    answers[na.id] = check_answer(na, {"na": PLANTED["na_reason"]})
    return answers


def planted_store(root: Path) -> tuple[Store, list[str]]:
    """A store of three assessments with a planted name or note in every field that takes one."""
    store = Store.open(root)
    bank = store.current_bank()
    rng = random.Random(3)
    ids = []
    criteria = [q for q in bank.criteria if not q.allow_na]
    for n in range(3):
        made = store.create(
            authority=PLANTED["authority"],
            service=PLANTED["service"],
            assessor=PLANTED["assessor"],
            answers=full_answers(bank, rng),
            stage=n,
            period=f"{2024 + n}/{25 + n}",
            authority_type="district",
            region="south-west",
            plan={
                criteria[0].id: {
                    "owner": PLANTED["plan_owner"],
                    "action": PLANTED["plan_action"],
                    "note": PLANTED["plan_note"],
                    "due": "2020-01-01",
                },
                criteria[1].id: {"status": "dropped", "reason": PLANTED["drop_reason"]},
            },
        )
        store.set_details(
            made.id, confidence="Amber", confidence_reason=PLANTED["confidence_reason"]
        )
        ids.append(made.id)
    store.set_status(ids[0], "complete")
    store.sign_off(ids[0], name=PLANTED["signoff_name"], role=PLANTED["signoff_role"])
    return store, ids


def rows(folder: Path, table: str) -> list[dict[str, Any]]:
    """A table's rows, read with pyarrow alone (not through the code under test)."""
    return pq.read_table(str(folder / f"{table}.parquet")).to_pylist()


def every_text(folder: Path) -> str:
    """Every value of every table as text, and the bytes of every file decoded: what to scan."""
    parts = []
    for path in sorted(folder.iterdir()):
        parts.append(path.read_bytes().decode("latin-1"))
    for table in TABLE_NAMES:
        for row in rows(folder, table):
            parts.extend(str(value) for value in row.values())
    return "\n".join(parts)

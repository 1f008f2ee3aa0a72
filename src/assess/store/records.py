"""What an assessment file holds, how it is checked, and how it becomes an `Assessment`.

An assessment file is a TinyDB document with three tables:

- `assessment`: one document of metadata (id, names, times, status, the bank's
  id/version/hash, the revision number, the list summary at the last save);
- `answers`: one document per question ever answered: the stored answer
  (`Answer.to_data()`, or null once cleared) and the revision, time and
  officer of its last change, which is what lets a stale save of the SAME
  question be refused while saves to other questions merge;
- `history`: one document per change (who, when, question, before, after).

The portable form used in bundles ("record") carries the same facts as plain
fields; `tables_to_record` and `record_to_tables` convert between them, and
comparing records is how an import recognises an assessment it already has.

The checks themselves are in `store_checks`, shared with bundle imports.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assess.domain.assessment import Assessment, HistoryEntry, Summary
from assess.store.checks import (
    check_answer_data,
    check_change,
    check_history_entry,
    check_meta_fields,
    is_int,
)
from assess.store.files import Damaged, StatKey

if TYPE_CHECKING:
    from assess.domain.answers import Answer
    from assess.domain.bank import Bank

FILE_FORMAT = "assess-assessment"
FILE_FORMAT_VERSION = 1
META = "assessment"
ANSWERS = "answers"
HISTORY = "history"
META_DOC = "1"

SUMMARY_FIELDS = set(Summary._fields)


def bank_ref(bank: Bank) -> dict[str, str]:
    return {"id": bank.id, "version": bank.version, "hash": bank.content_hash}


# ----------------------------------------------------------------------------
# Files


@dataclass
class Loaded:
    """An assessment file as read: its raw tables and the checked facts a save needs."""

    id: str
    path: Path
    tables: dict[str, Any]
    key: StatKey
    bank: Bank
    answers: dict[str, Answer]
    # question id -> its document id in the answers table
    answer_doc_ids: dict[str, str]

    @property
    def meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = self.tables[META][META_DOC]
        return meta

    @property
    def revision(self) -> int:
        revision: int = self.meta["revision"]
        return revision

    def answer_doc(self, qid: str) -> dict[str, Any] | None:
        doc_id = self.answer_doc_ids.get(qid)
        return None if doc_id is None else self.tables[ANSWERS][doc_id]


def _raise(place: str, message: str) -> None:
    raise Damaged(f"{place}: {message}")


def check_file_meta(tables: Any, expected_id: str) -> dict[str, Any]:
    """The metadata document of an assessment file, or `Damaged` saying what is wrong."""
    if not isinstance(tables, dict):
        raise Damaged("it is not a TinyDB file (the top level is not a mapping)")
    meta_table = tables.get(META)
    if not isinstance(meta_table, dict) or not isinstance(meta_table.get(META_DOC), dict):
        raise Damaged("its 'assessment' table is missing")
    meta = meta_table[META_DOC]
    if meta.get("format") != FILE_FORMAT:
        raise Damaged("it is not an assessment file")
    version = meta.get("format_version")
    if not is_int(version) or version > FILE_FORMAT_VERSION:
        raise Damaged("it was written by a newer version of assess; upgrade to open it")
    check_meta_fields(meta, "assessment", _raise, expected_id)
    for name in (ANSWERS, HISTORY):
        if not isinstance(tables.get(name, {}), dict):
            raise Damaged(f"its '{name}' table is not a table")
    return meta


def load_tables(
    tables: Any, assessment_id: str, path: Path, key: StatKey, bank_for: Callable[[str], Bank]
) -> Loaded:
    """Check a parsed assessment file against its bank (`bank_for(hash)`)."""
    meta = check_file_meta(tables, assessment_id)
    bank = bank_for(meta["bank"]["hash"])
    revision = meta["revision"]
    answers: dict[str, Answer] = {}
    doc_ids: dict[str, str] = {}
    for doc_id, doc in tables.get(ANSWERS, {}).items():
        if not isinstance(doc, dict) or set(doc) != {
            "question_id",
            "answer",
            "revision",
            "at",
            "who",
        }:
            raise Damaged(f"answer document {doc_id} is not in the expected form")
        qid = doc["question_id"]
        place = f"the answer to {qid!r}"
        if qid in doc_ids:
            raise Damaged(f"{place} appears twice")
        check_change(doc, place, _raise, revision)
        if doc["answer"] is not None:
            answer = check_answer_data(bank, qid, doc["answer"], place, _raise)
            assert answer is not None
            answers[qid] = answer
        doc_ids[qid] = doc_id
    tables.setdefault(ANSWERS, {})
    tables.setdefault(HISTORY, {})
    return Loaded(assessment_id, path, tables, key, bank, answers, doc_ids)


def history_of(loaded: Loaded) -> tuple[HistoryEntry, ...]:
    revision = loaded.revision
    entries = []
    for doc_id, doc in loaded.tables[HISTORY].items():
        check_history_entry(
            loaded.bank, doc, f"history entry {doc_id}", _raise, revision, deep=False
        )
        entries.append(
            HistoryEntry(doc["at"], doc["who"], doc["question_id"], doc["before"], doc["after"])
        )
    return tuple(entries)


def to_assessment(loaded: Loaded) -> Assessment:
    meta = loaded.meta
    return Assessment(
        id=loaded.id,
        authority=meta["authority"],
        service=meta["service"],
        assessor=meta["assessor"],
        created=meta["created"],
        updated=meta["updated"],
        status=meta["status"],
        bank=loaded.bank,
        answers=dict(loaded.answers),
        history=history_of(loaded),
        revision=meta["revision"],
        extra=dict(meta.get("extra", {})),
    )


def stored_summary(meta: Mapping[str, Any]) -> Summary | None:
    """The summary saved with the file, if it is well formed (it is only a cache)."""
    data = meta.get("summary")
    if not isinstance(data, dict) or set(data) != SUMMARY_FIELDS:
        return None
    try:
        return summary_from_data(data)
    except (TypeError, ValueError):
        return None


SUMMARY_ORDER: tuple[str, ...] = Summary._fields
# The exact types each stored summary field may have (a bool is not a number);
# every other field is text.
_NUMBER_TYPES: dict[str, tuple[type, ...]] = {
    "completeness": (int, float),
    "score": (type(None), int, float),
    "revision": (int,),
}
# Every allowed sequence of field types, in SUMMARY_ORDER: a stored summary is
# checked with one set lookup of `tuple(map(type, values))`, which matters when
# the index holds 10,000 of them.
SUMMARY_SIGNATURES: frozenset[tuple[type, ...]] = frozenset(
    itertools.product(*(_NUMBER_TYPES.get(name, (str,)) for name in SUMMARY_ORDER))
)


def summary_from_data(data: Mapping[str, Any]) -> Summary:
    """A Summary from stored data, refusing wrong types (stored data may be damaged).

    The types are checked exactly (a bool is not a number, None is not text).
    """
    if data.keys() != SUMMARY_FIELDS:
        raise ValueError("the summary does not have the expected fields")
    values = tuple(data[name] for name in SUMMARY_ORDER)
    if tuple(map(type, values)) not in SUMMARY_SIGNATURES:
        raise ValueError("a summary field has the wrong type")
    return Summary._make(values)


# ----------------------------------------------------------------------------
# New files and the portable record


def new_meta(
    *,
    assessment_id: str,
    authority: str,
    service: str,
    assessor: str,
    created: str,
    updated: str,
    status: str,
    bank: Bank,
    revision: int,
    extra: Mapping[str, Any],
) -> dict[str, Any]:
    # Revision and time come first: they change with every save, and a reader
    # that compares the first bytes of two versions then always sees a difference.
    return {
        "revision": revision,
        "updated": updated,
        "format": FILE_FORMAT,
        "format_version": FILE_FORMAT_VERSION,
        "id": assessment_id,
        "authority": authority,
        "service": service,
        "assessor": assessor,
        "created": created,
        "status": status,
        "bank": bank_ref(bank),
        "extra": dict(extra),
        "summary": None,
    }


def answer_doc(qid: str, answer: Answer | None, revision: int, at: str, who: str) -> dict[str, Any]:
    return {
        "question_id": qid,
        "answer": None if answer is None else answer.to_data(),
        "revision": revision,
        "at": at,
        "who": who,
    }


def history_doc(
    qid: str, before: Any, after: Any, revision: int, at: str, who: str
) -> dict[str, Any]:
    return {
        "at": at,
        "who": who,
        "question_id": qid,
        "before": before,
        "after": after,
        "revision": revision,
    }


def tables_to_record(tables: Mapping[str, Any]) -> dict[str, Any]:
    """The portable form of a (checked) assessment file, as exported in bundles."""
    meta = tables[META][META_DOC]
    answers: dict[str, Any] = {}
    changes: dict[str, Any] = {}
    for doc in tables.get(ANSWERS, {}).values():
        if doc["answer"] is not None:
            answers[doc["question_id"]] = doc["answer"]
        changes[doc["question_id"]] = {k: doc[k] for k in ("revision", "at", "who")}
    return {
        "id": meta["id"],
        "authority": meta["authority"],
        "service": meta["service"],
        "assessor": meta["assessor"],
        "created": meta["created"],
        "updated": meta["updated"],
        "status": meta["status"],
        "bank": dict(meta["bank"]),
        "revision": meta["revision"],
        "answers": answers,
        "changes": changes,
        "history": list(tables.get(HISTORY, {}).values()),
        "extra": dict(meta.get("extra", {})),
    }


def record_to_tables(record: Mapping[str, Any], bank: Bank) -> dict[str, Any]:
    """A checked bundle record as the tables of a new assessment file."""
    meta = new_meta(
        assessment_id=record["id"],
        authority=record["authority"],
        service=record["service"],
        assessor=record["assessor"],
        created=record["created"],
        updated=record["updated"],
        status=record["status"],
        bank=bank,
        revision=record["revision"],
        extra=record.get("extra", {}),
    )
    answers = {}
    for n, (qid, change) in enumerate(record["changes"].items(), start=1):
        answers[str(n)] = {
            "question_id": qid,
            "answer": record["answers"].get(qid),
            "revision": change["revision"],
            "at": change["at"],
            "who": change["who"],
        }
    history = {str(n): dict(entry) for n, entry in enumerate(record["history"], start=1)}
    return {META: {META_DOC: meta}, ANSWERS: answers, HISTORY: history}


def normalise_record(record: dict[str, Any]) -> dict[str, Any]:
    """A checked record with its optional parts filled in, for comparison and writing."""
    return {**record, "extra": dict(record.get("extra", {}))}

"""What an assessment file holds, how it is checked, and how it becomes an `Assessment`.

An assessment file is a TinyDB document with three tables:

- `assessment`: one document of metadata (id, names, times, status, the bank's
  id/version/hash, the revision number, the list summary at the last save);
- `answers`: one document per question ever answered: the stored answer
  (`Answer.to_data()`, or null once cleared) and the revision, time and
  officer of its last change, which is what lets a stale save of the SAME
  question be refused while saves to other questions merge;
- `history`: one document per change (who, when, question, before, after).

The portable form used in bundles (a `Record`) carries the same facts as
plain fields; `tables_to_record` and `record_to_tables` convert between
them, and comparing records is how an import recognises an assessment it
already has.

The types below describe a file once it has been checked (`load_tables`);
before that it is only parsed JSON, and is treated as such.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NotRequired, TypedDict, cast

from assess.domain.assessment import Assessment, HistoryEntry, Status
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
META: Final = "assessment"
ANSWERS: Final = "answers"
HISTORY: Final = "history"
META_DOC = "1"

# An answer as stored: `Answer.to_data()`, plain JSON.
StoredAnswer = dict[str, Any]


class BankRef(TypedDict):
    id: str
    version: str
    hash: str


class Extra(TypedDict, total=False):
    copied_from: str


class MetaDoc(TypedDict):
    # Revision and time come first: they change with every save, and a reader
    # that compares the first bytes of two versions then always sees a difference.
    revision: int
    updated: str
    format: str
    format_version: int
    id: str
    authority: str
    service: str
    assessor: str
    created: str
    status: Status
    bank: BankRef
    extra: NotRequired[Extra]  # files written before it existed have none
    summary: dict[str, Any] | None  # `Summary.to_data()`; only a cache, see summaries


class MetaChange(TypedDict, total=False):
    """The metadata an officer can change after an assessment is made."""

    authority: str
    service: str
    assessor: str
    status: Status


class AnswerDoc(TypedDict):
    question_id: str
    answer: StoredAnswer | None
    revision: int
    at: str
    who: str


class HistoryDoc(TypedDict):
    at: str
    who: str
    question_id: str
    before: StoredAnswer | None
    after: StoredAnswer | None
    revision: int


class Tables(TypedDict):
    """A whole assessment file, in TinyDB's layout: table -> document id -> document."""

    assessment: dict[str, MetaDoc]
    answers: dict[str, AnswerDoc]
    history: dict[str, HistoryDoc]


class Change(TypedDict):
    """The last change to one answer, as a bundle record carries it."""

    revision: int
    at: str
    who: str


class Record(TypedDict):
    """One assessment in a bundle (checked, with its optional parts filled in)."""

    id: str
    authority: str
    service: str
    assessor: str
    created: str
    updated: str
    status: Status
    bank: BankRef
    revision: int
    answers: dict[str, StoredAnswer]
    changes: dict[str, Change]
    history: list[HistoryDoc]
    extra: Extra


def bank_ref(bank: Bank) -> BankRef:
    return {"id": bank.id, "version": bank.version, "hash": bank.content_hash}


# ----------------------------------------------------------------------------
# Files


@dataclass
class Loaded:
    """An assessment file as read: its tables and the checked facts a save needs."""

    id: str
    path: Path
    tables: Tables
    key: StatKey
    bank: Bank
    answers: dict[str, Answer]
    # question id -> its document id in the answers table
    answer_doc_ids: dict[str, str]

    @property
    def meta(self) -> MetaDoc:
        return self.tables[META][META_DOC]

    @property
    def revision(self) -> int:
        return self.meta["revision"]

    def answer_doc(self, qid: str) -> AnswerDoc | None:
        doc_id = self.answer_doc_ids.get(qid)
        return None if doc_id is None else self.tables[ANSWERS][doc_id]


def _raise(place: str, message: str) -> None:
    raise Damaged(f"{place}: {message}")


def check_file_meta(tables: object, expected_id: str) -> MetaDoc:
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
    return cast(MetaDoc, meta)  # check_meta_fields has checked every field


_ANSWER_DOC_FIELDS = frozenset(AnswerDoc.__annotations__)


def load_tables(
    tables: object, assessment_id: str, path: Path, key: StatKey, bank_for: Callable[[str], Bank]
) -> Loaded:
    """Check a parsed assessment file against its bank (`bank_for(hash)`).

    The history is checked when the assessment is made from it (`to_assessment`).
    """
    meta = check_file_meta(tables, assessment_id)
    assert isinstance(tables, dict)  # check_file_meta has made sure
    bank = bank_for(meta["bank"]["hash"])
    revision = meta["revision"]
    answers: dict[str, Answer] = {}
    doc_ids: dict[str, str] = {}
    for doc_id, doc in tables.get(ANSWERS, {}).items():
        if not isinstance(doc, dict) or doc.keys() != _ANSWER_DOC_FIELDS:
            raise Damaged(f"answer document {doc_id} is not in the expected form")
        qid = doc["question_id"]
        place = f"the answer to {qid!r}"
        if qid in doc_ids:
            raise Damaged(f"{place} appears twice")
        check_change(doc, place, _raise, revision)
        if doc["answer"] is not None:
            answer = check_answer_data(bank, qid, doc["answer"], place, _raise)
            assert answer is not None  # _raise raised for any problem
            answers[qid] = answer
        doc_ids[qid] = doc_id
    tables.setdefault(ANSWERS, {})
    tables.setdefault(HISTORY, {})
    # Checked above, but for the history, which `history_of` checks when it is read.
    return Loaded(assessment_id, path, cast(Tables, tables), key, bank, answers, doc_ids)


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
    status: Status,
    bank: Bank,
    revision: int,
    extra: Extra,
) -> MetaDoc:
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
        "extra": Extra(**extra),
        "summary": None,
    }


def answer_doc(qid: str, answer: Answer | None, revision: int, at: str, who: str) -> AnswerDoc:
    return {
        "question_id": qid,
        "answer": None if answer is None else answer.to_data(),
        "revision": revision,
        "at": at,
        "who": who,
    }


def history_doc(
    qid: str,
    before: StoredAnswer | None,
    after: StoredAnswer | None,
    revision: int,
    at: str,
    who: str,
) -> HistoryDoc:
    return {
        "at": at,
        "who": who,
        "question_id": qid,
        "before": before,
        "after": after,
        "revision": revision,
    }


def tables_to_record(tables: Tables) -> Record:
    """The portable form of a (checked) assessment file, as exported in bundles."""
    meta = tables[META][META_DOC]
    answers: dict[str, StoredAnswer] = {}
    changes: dict[str, Change] = {}
    for doc in tables[ANSWERS].values():
        if doc["answer"] is not None:
            answers[doc["question_id"]] = doc["answer"]
        changes[doc["question_id"]] = Change(revision=doc["revision"], at=doc["at"], who=doc["who"])
    return {
        "id": meta["id"],
        "authority": meta["authority"],
        "service": meta["service"],
        "assessor": meta["assessor"],
        "created": meta["created"],
        "updated": meta["updated"],
        "status": meta["status"],
        "bank": BankRef(**meta["bank"]),
        "revision": meta["revision"],
        "answers": answers,
        "changes": changes,
        "history": list(tables[HISTORY].values()),
        "extra": Extra(**meta.get("extra", {})),
    }


def record_to_tables(record: Record, bank: Bank) -> Tables:
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
        extra=record["extra"],
    )
    answers: dict[str, AnswerDoc] = {}
    for n, (qid, change) in enumerate(record["changes"].items(), start=1):
        answers[str(n)] = {
            "question_id": qid,
            "answer": record["answers"].get(qid),
            "revision": change["revision"],
            "at": change["at"],
            "who": change["who"],
        }
    history = {str(n): HistoryDoc(**entry) for n, entry in enumerate(record["history"], start=1)}
    return {META: {META_DOC: meta}, ANSWERS: answers, HISTORY: history}

"""What an assessment file holds, how it is checked, and how it becomes an `Assessment`.

An assessment file is a TinyDB document with four tables:

- `assessment`: one document of metadata (id, names, times, status, the bank's
  id/version/hash, the revision number, the stage, period, authority type and
  region, a sign-off, the officer's own confidence rating, and the list
  summary at the last save);
- `answers`: one document per question ever answered: the stored answer
  (`Answer.to_data()`, or null once cleared) and the revision, time and
  officer of its last change, which is what lets a stale save of the SAME
  question be refused while saves to other questions merge;
- `plan`: one document per criterion with an action-plan entry, kept the same
  way (`PlanEntry.to_data()`, or null once removed);
- `history`: one document per change (who, when, what, before, after): to an
  answer, a plan entry (`kind: plan`) or a detail of the assessment
  (`kind: detail`, with the `field` that changed). From format version 3 it
  holds only the recent changes; older ones are in the append-only log
  `<id>.history` beside the file, and the metadata's `history_log` says how
  many of its entries and bytes belong to this version (see `history`).

Files of format version 1 (before the plan, stages and sign-off) read as
assessments at stage 0 with no plan; files of version 2 keep their whole
history in the table. The next save writes version 3.

The portable form used in bundles (a `Record`) carries the same facts as
plain fields; `tables_to_record` and `record_to_tables` convert between
them, and comparing records is how an import recognises an assessment it
already has.

The types below describe a file once it has been checked (`load_tables`);
before that it is only parsed JSON, and is treated as such.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NotRequired, TypedDict, TypeVar, cast

from assess.domain.assessment import Assessment, HistoryEntry, HistoryKind, Status
from assess.store.checks import (
    check_answer_data,
    check_change,
    check_history_entry,
    check_meta_fields,
    check_plan_data,
    is_int,
    plain_change,
    plain_history_entry,
)
from assess.store.files import Damaged, StatKey
from assess.store.history import (
    EMPTY,
    HistoryKey,
    LogDamaged,
    LogRef,
    check_ref,
    log_path,
    read_log,
)

if TYPE_CHECKING:
    from assess.domain.answers import Answer
    from assess.domain.bank import Bank
    from assess.domain.plan import PlanEntry

FILE_FORMAT = "assess-assessment"
FILE_FORMAT_VERSION = 3
META: Final = "assessment"
ANSWERS: Final = "answers"
PLAN: Final = "plan"
HISTORY: Final = "history"
META_DOC = "1"

# An answer as stored: `Answer.to_data()`, plain JSON; a plan entry likewise.
StoredAnswer = dict[str, Any]
StoredEntry = dict[str, Any]


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
    # Format version 2; a version 1 file has none of them (see `DETAIL_DEFAULTS`).
    stage: NotRequired[int]
    period: NotRequired[str]
    authority_type: NotRequired[str]
    region: NotRequired[str]
    signoff: NotRequired[dict[str, str] | None]  # `SignOff.to_data()`
    confidence: NotRequired[str]  # the officer's own rating, "" when none
    confidence_reason: NotRequired[str]
    # Format version 3: how much of the history log is this version's (see `history`).
    history_log: NotRequired[LogRef]


# The details an officer sets on an assessment, and what a file without them means.
DETAIL_DEFAULTS: dict[str, Any] = {
    "stage": 0,
    "period": "",
    "authority_type": "",
    "region": "",
    "signoff": None,
    "confidence": "",
    "confidence_reason": "",
}


class MetaChange(TypedDict, total=False):
    """The metadata an officer can change after an assessment is made."""

    authority: str
    service: str
    assessor: str
    status: Status
    stage: int
    period: str
    authority_type: str
    region: str
    signoff: dict[str, str] | None
    confidence: str
    confidence_reason: str


class AnswerDoc(TypedDict):
    question_id: str
    answer: StoredAnswer | None
    revision: int
    at: str
    who: str


class PlanDoc(TypedDict):
    question_id: str
    entry: StoredEntry | None
    revision: int
    at: str
    who: str


class HistoryDoc(TypedDict):
    at: str
    who: str
    question_id: str  # "" for a change to a detail of the assessment
    before: Any
    after: Any
    revision: int
    kind: NotRequired[str]  # "plan" or "detail"; an answer's change has none
    field: NotRequired[str]  # the detail that changed (kind "detail")


class Tables(TypedDict):
    """A whole assessment file, in TinyDB's layout: table -> document id -> document."""

    assessment: dict[str, MetaDoc]
    answers: dict[str, AnswerDoc]
    plan: dict[str, PlanDoc]
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
    # Version 2 of the record; filled with DETAIL_DEFAULTS and empty plans when absent.
    stage: int
    period: str
    authority_type: str
    region: str
    signoff: dict[str, str] | None
    confidence: str
    confidence_reason: str
    plan: dict[str, StoredEntry]
    plan_changes: dict[str, Change]


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
    plan: dict[str, PlanEntry] = field(default_factory=dict)
    # criterion id -> its document id in the plan table
    plan_doc_ids: dict[str, str] = field(default_factory=dict)
    # The older history, from the log (`history`): its entries, and each key's last value.
    log: list[HistoryDoc] = field(default_factory=list)
    log_last: dict[HistoryKey, Any] = field(default_factory=dict)
    # Why the log cannot be read ("" when it can): the older history is then not shown.
    log_problem: str = ""
    # Whether every history entry has passed its check (`check_history`).
    history_checked: bool = False

    @property
    def log_ref(self) -> LogRef:
        return self.meta.get("history_log", EMPTY)

    def history_docs(self) -> list[HistoryDoc]:
        """Every history document, oldest first: the log's, then the file's own."""
        recent = self.tables[HISTORY]
        if not self.log:
            return list(recent.values())
        return [*self.log, *(recent[k] for k in sorted(recent, key=int))]

    @property
    def meta(self) -> MetaDoc:
        return self.tables[META][META_DOC]

    @property
    def revision(self) -> int:
        return self.meta["revision"]

    def answer_doc(self, qid: str) -> AnswerDoc | None:
        doc_id = self.answer_doc_ids.get(qid)
        return None if doc_id is None else self.tables[ANSWERS][doc_id]

    def plan_doc(self, qid: str) -> PlanDoc | None:
        doc_id = self.plan_doc_ids.get(qid)
        return None if doc_id is None else self.tables[PLAN][doc_id]

    def detail(self, name: str) -> Any:
        """A detail of the metadata (stage, period...), with its default for older files."""
        return self.meta.get(name, DETAIL_DEFAULTS[name])


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
    for name in (ANSWERS, PLAN, HISTORY):
        if not isinstance(tables.get(name, {}), dict):
            raise Damaged(f"its '{name}' table is not a table")
    counted = check_ref(meta.get("history_log"))
    if ("history_log" in meta or version >= 3) and counted is None:
        raise Damaged("its 'history_log' is not a count of entries and bytes")
    return cast(MetaDoc, meta)  # check_meta_fields has checked every field


_ANSWER_DOC_FIELDS = frozenset(AnswerDoc.__annotations__)
_PLAN_DOC_FIELDS = frozenset(PlanDoc.__annotations__)
T = TypeVar("T")


def _load_table(
    tables: dict[str, Any],
    name: str,
    fields: frozenset[str],
    kind: str,
    what: str,
    revision: int,
    quick: Callable[[str, Any], T | None],
    check: Callable[[str, Any, str], T | None],
) -> tuple[dict[str, T], dict[str, str]]:
    """One table of an assessment file (answers or plan), checked.

    Each document is one question's current value (`answer` or `entry`, None
    once cleared) with the change that set it. Returns {question id: value}
    and {question id: document id}. `quick(qid, raw)` gives the value of a
    usual one or None, and then `check(qid, raw, place)` checks it in full;
    the change that set it is told good quickly the same way (`plain_change`).
    The place named in a message is only worked out for a document in doubt.
    """
    values: dict[str, T] = {}
    seen: dict[str, str] = {}
    value_key = next(iter(fields - {"question_id", "revision", "at", "who"}))
    for doc_id, doc in tables.get(name, {}).items():
        if not isinstance(doc, dict) or doc.keys() != fields:
            raise Damaged(f"{kind} document {doc_id} is not in the expected form")
        qid = doc["question_id"]
        if type(qid) is not str:  # a list or a mapping would not even look itself up
            raise Damaged(
                f"{kind} document {doc_id} names no question (its question id is not text)"
            )
        if qid in seen:
            raise Damaged(f"{what} {qid!r} appears twice")
        if not plain_change(doc, revision):
            check_change(doc, f"{what} {qid!r}", _raise, revision)
        raw = doc[value_key]
        if raw is not None:
            value = quick(qid, raw)
            if value is None:
                value = check(qid, raw, f"{what} {qid!r}")
                assert value is not None  # _raise raised for any problem
            values[qid] = value
        seen[qid] = doc_id
    return values, seen


def stored_answer(
    bank: Bank, qid: object, raw: object, answer_class: type[Answer], max_text: int
) -> Answer | None:
    """The Answer for stored data in the form the store writes, or None to check it in full.

    Nearly every stored answer is a level, an option or a list of options,
    with an evidence note of one printable line. For those this gives the
    Answer that `check_answer_data` would, at a fraction of the cost: it
    accepts only what that check accepts (the value fits the question, the
    note is text of at most `MAX_TEXT` characters with no control character
    or lone surrogate, and the data is exactly `Answer.to_data()`), and
    anything else (a number, free text, not applicable, a note of several
    lines, any problem) goes to `check_answer_data`, which says what is wrong.
    `answer_class` and `max_text` are `Answer` and `MAX_TEXT`, passed in by
    the caller (once per file): this module does not import the answers'
    module when it is loaded, since listing never needs the bank's models.
    """
    question = bank.question(qid) if type(qid) is str else None
    if question is None or type(raw) is not dict or "value" not in raw:
        return None
    evidence = ""
    if len(raw) == 2:
        note = raw.get("evidence")
        # A printable string has no control character (Cc) and no surrogate (Cs);
        # an empty note is not stored, so a stored "" is not in the usual form.
        if type(note) is not str or not note or len(note) > max_text or not note.isprintable():
            return None
        evidence = note
    elif len(raw) != 1:
        return None
    value = raw["value"]
    kind = question.type
    if kind == "maturity":
        if type(value) is int and 0 <= value <= 4:
            return answer_class(value, None, evidence)
    elif kind in ("single", "likert", "yesno"):
        if type(value) is str and value in question.option_ids:
            return answer_class(value, None, evidence)
    elif kind in ("multi", "ranking") and type(value) is list:
        options = question.option_ids
        chosen = tuple(value)
        if (
            all(type(item) is str and item in options for item in chosen)
            and len(set(chosen)) == len(chosen)
            and (chosen or kind == "multi")
        ):
            return answer_class(chosen, None, evidence)
    return None


def load_tables(
    tables: object, assessment_id: str, path: Path, key: StatKey, bank_for: Callable[[str], Bank]
) -> Loaded:
    """Check a parsed assessment file against its bank (`bank_for(hash)`).

    The history is checked when the assessment is made from it (`to_assessment`).
    """
    # Imported here, not with this module: listing never loads the bank's models.
    from assess.domain.answers import MAX_TEXT
    from assess.domain.answers import Answer as answer_class

    meta = check_file_meta(tables, assessment_id)
    assert isinstance(tables, dict)  # check_file_meta has made sure
    bank = bank_for(meta["bank"]["hash"])
    revision = meta["revision"]
    answers, doc_ids = _load_table(
        tables,
        ANSWERS,
        _ANSWER_DOC_FIELDS,
        "answer",
        "the answer to",
        revision,
        lambda qid, data: stored_answer(bank, qid, data, answer_class, MAX_TEXT),
        lambda qid, data, place: check_answer_data(bank, qid, data, place, _raise),
    )
    plan, plan_ids = _load_table(
        tables,
        PLAN,
        _PLAN_DOC_FIELDS,
        "plan",
        "the plan entry for",
        revision,
        lambda qid, data: None,
        lambda qid, data, place: check_plan_data(bank, qid, data, place, _raise),
    )
    tables.setdefault(ANSWERS, {})
    tables.setdefault(PLAN, {})
    tables.setdefault(HISTORY, {})
    for doc_id in tables[HISTORY]:
        if not doc_id.isdigit():
            raise Damaged(f"history entry {doc_id!r} does not have a document number")
    problem = ""
    try:
        log, last = read_log(path, meta.get("history_log", EMPTY))
    except LogDamaged as exc:  # the file is fine: opened with the history it holds itself
        log, last, problem = [], {}, exc.reason
    # Checked above, but for the history, which `history_of` checks when it is read.
    return Loaded(
        assessment_id,
        path,
        cast(Tables, tables),
        key,
        bank,
        answers,
        doc_ids,
        plan,
        plan_ids,
        cast(list[HistoryDoc], log),
        last,
        problem,
    )


def check_history(loaded: Loaded) -> None:
    """Check every history entry once: `Damaged` for a bad one in the file itself.

    A log entry that fails its check makes the log one that cannot be read,
    as `load_tables` treats a log cut short: `loaded` drops it and says why
    (`log_problem`), and keeps the history the file holds itself.
    """
    if loaded.history_checked:
        return
    revision = loaded.revision
    in_log = len(loaded.log)
    name = log_path(loaded.path).name

    def log_line(place: str, message: str) -> None:
        raise LogDamaged(
            f"its history log {name} holds an entry that is not one of ours: {place} {message}"
        )

    bank = loaded.bank
    try:
        for n, doc in enumerate(loaded.history_docs(), start=1):
            if not plain_history_entry(doc, revision):
                report = log_line if n <= in_log else _raise
                check_history_entry(bank, doc, f"history entry {n}", report, revision, deep=False)
    except LogDamaged as exc:
        loaded.log, loaded.log_last, loaded.log_problem = [], {}, exc.reason
        for n, doc in enumerate(loaded.history_docs(), start=1):
            if not plain_history_entry(doc, revision):
                check_history_entry(bank, doc, f"history entry {n}", _raise, revision, deep=False)
    loaded.history_checked = True


def history_of(loaded: Loaded) -> tuple[HistoryEntry, ...]:
    """Every history entry, checked (`check_history`), oldest first."""
    check_history(loaded)
    return tuple(history_entry(doc) for doc in loaded.history_docs())


def history_entry(doc: HistoryDoc) -> HistoryEntry:
    kind: HistoryKind = "answer"
    if doc.get("kind") == "plan":
        kind = "plan"
    elif doc.get("kind") == "detail":
        kind = "detail"
    return HistoryEntry(
        doc["at"],
        doc["who"],
        doc["question_id"],
        doc["before"],
        doc["after"],
        kind=kind,
        field=doc.get("field", ""),
    )


def to_assessment(loaded: Loaded) -> Assessment:
    return make_assessment(loaded, loaded.meta, loaded.answers, loaded.plan, history_of(loaded))


def make_assessment(
    loaded: Loaded,
    meta: MetaDoc,
    answers: Mapping[str, Answer],
    plan: Mapping[str, PlanEntry],
    history: tuple[HistoryEntry, ...],
) -> Assessment:
    """The Assessment for a checked file's metadata, answers, plan and history."""
    from assess.domain.signoff import signoff_from_data

    signoff = meta.get("signoff")
    return Assessment(
        id=loaded.id,
        authority=meta["authority"],
        service=meta["service"],
        assessor=meta["assessor"],
        created=meta["created"],
        updated=meta["updated"],
        status=meta["status"],
        bank=loaded.bank,
        answers=dict(answers),  # the caller may change its copy; ours stays
        history=history,
        revision=meta["revision"],
        extra=dict(meta.get("extra", {})),
        stage=meta.get("stage", 0),
        period=meta.get("period", ""),
        authority_type=meta.get("authority_type", ""),
        region=meta.get("region", ""),
        plan=dict(plan),
        signoff=signoff_from_data(signoff) if signoff else None,
        confidence=meta.get("confidence", ""),
        confidence_reason=meta.get("confidence_reason", ""),
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
    details: Mapping[str, Any] | None = None,
) -> MetaDoc:
    """The metadata of a new file; `details` as in DETAIL_DEFAULTS (the defaults otherwise)."""
    meta: MetaDoc = {
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
        "history_log": dict(EMPTY),  # type: ignore[typeddict-item]
    }
    given = {**DETAIL_DEFAULTS, **(details or {})}
    meta["stage"] = given["stage"]
    meta["period"] = given["period"]
    meta["authority_type"] = given["authority_type"]
    meta["region"] = given["region"]
    meta["signoff"] = given["signoff"]
    meta["confidence"] = given["confidence"]
    meta["confidence_reason"] = given["confidence_reason"]
    return meta


def answer_doc(qid: str, answer: Answer | None, revision: int, at: str, who: str) -> AnswerDoc:
    return {
        "question_id": qid,
        "answer": None if answer is None else answer.to_data(),
        "revision": revision,
        "at": at,
        "who": who,
    }


def plan_doc(qid: str, entry: PlanEntry | None, revision: int, at: str, who: str) -> PlanDoc:
    return {
        "question_id": qid,
        "entry": None if entry is None else entry.to_data(),
        "revision": revision,
        "at": at,
        "who": who,
    }


def history_doc(
    qid: str,
    before: Any,
    after: Any,
    revision: int,
    at: str,
    who: str,
    *,
    kind: str = "answer",
    field: str = "",
) -> HistoryDoc:
    doc: HistoryDoc = {
        "at": at,
        "who": who,
        "question_id": qid,
        "before": before,
        "after": after,
        "revision": revision,
    }
    if kind != "answer":
        doc["kind"] = kind
    if field:
        doc["field"] = field
    return doc


def loaded_to_record(loaded: Loaded) -> Record:
    """The portable form of a (checked) assessment, its whole history included."""
    return tables_to_record(loaded.tables, loaded.history_docs())


def tables_to_record(tables: Tables, history: list[HistoryDoc] | None = None) -> Record:
    """The portable form of an assessment file's tables, as exported in bundles.

    `history` is the whole history (the file's own table by default).
    """
    meta = tables[META][META_DOC]
    answers: dict[str, StoredAnswer] = {}
    changes: dict[str, Change] = {}
    for doc in tables[ANSWERS].values():
        if doc["answer"] is not None:
            answers[doc["question_id"]] = doc["answer"]
        changes[doc["question_id"]] = Change(revision=doc["revision"], at=doc["at"], who=doc["who"])
    plan: dict[str, StoredEntry] = {}
    plan_changes: dict[str, Change] = {}
    for plan_item in tables.get(PLAN, {}).values():
        if plan_item["entry"] is not None:
            plan[plan_item["question_id"]] = plan_item["entry"]
        plan_changes[plan_item["question_id"]] = Change(
            revision=plan_item["revision"], at=plan_item["at"], who=plan_item["who"]
        )
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
        "history": list(tables[HISTORY].values()) if history is None else history,
        "extra": Extra(**meta.get("extra", {})),
        "stage": meta.get("stage", 0),
        "period": meta.get("period", ""),
        "authority_type": meta.get("authority_type", ""),
        "region": meta.get("region", ""),
        "signoff": meta.get("signoff"),
        "confidence": meta.get("confidence", ""),
        "confidence_reason": meta.get("confidence_reason", ""),
        "plan": plan,
        "plan_changes": plan_changes,
    }


def checked_loaded(tables: Tables, path: Path, bank: Bank) -> Loaded:
    """The `Loaded` of tables made from a record `BundleCheck` has checked, without checking again.

    Each stored answer and plan entry passed `check_answer_data` or
    `check_plan_data`, which accept only data in the form `to_data()` gives,
    so turning it back is exact. Only for such tables: any other data goes
    through `load_tables`.
    """
    from assess.domain.answers import Answer

    answers: dict[str, Answer] = {}
    doc_ids: dict[str, str] = {}
    for doc_id, doc in tables[ANSWERS].items():
        raw = doc["answer"]
        if raw is not None:
            value = raw.get("value")
            answers[doc["question_id"]] = Answer(
                tuple(value) if isinstance(value, list) else value,
                raw.get("na"),
                raw.get("evidence", ""),
            )
        doc_ids[doc["question_id"]] = doc_id
    plan: dict[str, PlanEntry] = {}
    plan_ids: dict[str, str] = {}
    for doc_id, plan_item in tables[PLAN].items():
        qid = plan_item["question_id"]
        if plan_item["entry"] is not None:
            plan[qid] = _checked_entry(qid, plan_item["entry"])
        plan_ids[qid] = doc_id
    meta = tables[META][META_DOC]
    return Loaded(meta["id"], path, tables, (0, 0, 0), bank, answers, doc_ids, plan, plan_ids)


def _checked_entry(qid: str, raw: StoredEntry) -> PlanEntry:
    import datetime

    from assess.domain.plan import PlanEntry

    due = raw.get("due")
    return PlanEntry(
        qid,
        raw["action"],
        owner=raw.get("owner", ""),
        due=None if due is None else datetime.date.fromisoformat(due),
        status=raw["status"],
        reason=raw.get("reason", ""),
        aim=raw.get("aim"),
        note=raw.get("note", ""),
    )


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
        details={
            "stage": record["stage"],
            "period": record["period"],
            "authority_type": record["authority_type"],
            "region": record["region"],
            "signoff": record["signoff"],
            "confidence": record["confidence"],
            "confidence_reason": record["confidence_reason"],
        },
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
    plan: dict[str, PlanDoc] = {}
    for n, (qid, change) in enumerate(record["plan_changes"].items(), start=1):
        plan[str(n)] = {
            "question_id": qid,
            "entry": record["plan"].get(qid),
            "revision": change["revision"],
            "at": change["at"],
            "who": change["who"],
        }
    history = {str(n): HistoryDoc(**entry) for n, entry in enumerate(record["history"], start=1)}
    return {META: {META_DOC: meta}, ANSWERS: answers, PLAN: plan, HISTORY: history}

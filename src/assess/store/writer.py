"""How one change to an assessment is written: the next revision, atomically, in O(change).

The hot path of the app is the autosave of one answer, so a save must cost
about what writing the file costs, not more, however long the history is.
So the file holds only the recent changes and a save that takes it past
`history.RECENT` moves them to the append-only log beside it (`history`);
a save changes the tables in TinyDB's own layout directly (TinyDB's Table
API copies a whole table on every insert), and the encoded recent history
is kept between saves (in the `Snapshot`) and extended by the new entries
only; the rest of the file is small and encoded afresh. The bytes are
exactly what `json.dumps` of the whole document gives (a test checks it),
and they are written through
`AtomicJSONStorage`, so the file is a plain TinyDB file that `TinyDB(path)`
opens.

The list summary is worked out here too, and stored with the file: when a
save changes only an evidence note, the last summary is reused rather than
the assessment rescored.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from assess.domain.assessment import Assessment, HistoryEntry, Summary
from assess.store.clock import file_stamp
from assess.store.files import dumps, keep_aside, stat_key
from assess.store.history import EMPTY, RECENT, append, last_values, log_lines, log_path
from assess.store.records import (
    ANSWERS,
    DETAIL_DEFAULTS,
    FILE_FORMAT_VERSION,
    HISTORY,
    META,
    META_DOC,
    PLAN,
    HistoryDoc,
    Loaded,
    MetaChange,
    MetaDoc,
    StoredAnswer,
    Tables,
    answer_doc,
    history_doc,
    history_entry,
    make_assessment,
    plan_doc,
)
from assess.store.snapshot import PREFIX_BYTES, Snapshot, part
from assess.store.summaries import stored_summary

if TYPE_CHECKING:
    from assess.domain.answers import Answer
    from assess.domain.plan import PlanEntry


# `"name":{` for each table name, encoded once rather than on every save.
_OPENINGS: dict[str, bytes] = {}


def encode(tables: Tables, answer_parts: dict[str, bytes], history_chunks: list[bytes]) -> bytes:
    """The file's bytes from the kept encodings (the same bytes as `dumps(tables)`).

    One join at the end, so the history, the largest part, is copied once.
    """
    pieces = [b"{"]
    for name, table in tables.items():
        if len(pieces) > 1:
            pieces.append(b",")
        opening = _OPENINGS.get(name)
        if opening is None:
            opening = _OPENINGS[name] = dumps(name) + b":{"
        pieces.append(opening)
        if name == HISTORY:
            pieces.extend(history_chunks)
        elif name == ANSWERS:
            pieces.append(b",".join(answer_parts.values()))
        else:
            pieces.append(dumps(table)[1:-1])
        pieces.append(b"}")
    pieces.append(b"}")
    return b"".join(pieces)


def _data(answer: Answer | None) -> StoredAnswer | None:
    return None if answer is None else answer.to_data()


def _scored_alike(old: Answer | None, new: Answer | None) -> bool:
    """True when only the evidence note differs: scoring never reads the evidence."""
    if old is None or new is None:
        return old is new
    return type(old.value) is type(new.value) and (old.value, old.na_reason) == (
        new.value,
        new.na_reason,
    )


def _summary(
    assessment: Assessment, meta_doc: MetaDoc, last: Summary | None, *, scored_alike: bool
) -> Summary:
    """The new summary; when no scored input changed, the last one with new names and times.

    Officers type evidence notes far more often than they change a level, and
    the app autosaves as they type, so this keeps most autosaves from rescoring.
    `last` is the summary this process wrote with the version being changed,
    when it did: it needs no checking, unlike one read from the file.
    """
    previous = None
    if scored_alike:
        previous = last if last is not None else stored_summary(meta_doc)
    if previous is None or previous.id != assessment.id:
        return assessment.summary()
    return previous._replace(
        authority=assessment.authority,
        service=assessment.service,
        assessor=assessment.assessor,
        status=assessment.status,
        updated=assessment.updated,
        revision=assessment.revision,
    )


def _apply(meta_doc: MetaDoc, change: MetaChange) -> list[tuple[str, Any, Any]]:
    """Apply a metadata change; (field, before, after) for each field it changes."""
    changed = []
    # A TypedDict takes no update() from another TypedDict: as plain mappings.
    doc = cast(dict[str, Any], meta_doc)
    for name, value in change.items():
        before = doc.get(name, DETAIL_DEFAULTS.get(name))
        if before != value:
            changed.append((name, before, value))
        doc[name] = value
    return changed


def write_change(
    snapshot: Snapshot,
    *,
    answers: Mapping[str, Answer | None],
    meta: MetaChange,
    who: str,
    at: str,
    backup: Path,
    temp_dir: Path | None = None,
    plan: Mapping[str, PlanEntry | None] | None = None,
    noted: Sequence[tuple[str, Any]] = (),
) -> tuple[Snapshot, Summary]:
    """Apply one change (answers, plan entries, details) as the next revision, atomically.

    Every change goes into the history: each answer and plan entry (None
    clears one), each detail of the metadata that changes, and each `noted`
    (field, text) pair (such as the reason for reopening). `at` is the
    store's clock, read once for the whole change. The snapshot is left as
    it was; the new one is returned with the summary.
    """
    from assess.store.storage import AtomicJSONStorage  # not needed to open or list a store

    loaded = snapshot.loaded
    old = snapshot.assessment()
    chunks = list(snapshot.history_chunks())
    # Copies of what changes: the snapshot, which another thread may be reading,
    # stays exactly as it was (and so does the cache, should the write fail).
    answer_parts = dict(snapshot.answer_parts())
    tables = cast(Tables, dict(loaded.tables))
    meta_doc = cast(MetaDoc, dict(tables[META][META_DOC]))
    tables[META] = {META_DOC: meta_doc}
    tables[ANSWERS] = dict(tables[ANSWERS])
    tables[PLAN] = dict(tables[PLAN])
    tables[HISTORY] = dict(tables[HISTORY])
    revision = meta_doc["revision"] + 1
    details = _apply(meta_doc, meta)
    meta_doc["revision"] = revision
    meta_doc["updated"] = at
    meta_doc["format_version"] = FILE_FORMAT_VERSION

    answer_table = tables[ANSWERS]
    history_table = tables[HISTORY]
    new_answers = dict(loaded.answers)
    doc_ids = dict(loaded.answer_doc_ids)
    next_answer = 0  # the next new document's number, once one is needed
    # Entries are numbered through the whole history, the log's included.
    log_ref = loaded.log_ref
    next_history = log_ref["entries"] + len(history_table) + 1
    while str(next_history) in history_table:
        next_history += 1
    added: list[HistoryEntry] = []

    def record(entry: HistoryDoc) -> None:
        nonlocal next_history
        key = str(next_history)
        next_history += 1
        history_table[key] = entry
        chunks.append((b"," if chunks else b"") + part(key, entry))
        added.append(history_entry(entry))

    for qid, answer in answers.items():
        before = _data(loaded.answers.get(qid))
        doc = answer_doc(qid, answer, revision, at, who)
        doc_id = doc_ids.get(qid)
        if doc_id is None:
            if not next_answer:
                next_answer = max((int(k) for k in answer_table), default=0) + 1
            doc_id = str(next_answer)
            next_answer += 1
            doc_ids[qid] = doc_id
        answer_table[doc_id] = doc
        answer_parts[doc_id] = part(doc_id, doc)
        if answer is None:
            new_answers.pop(qid, None)
        else:
            new_answers[qid] = answer
        record(history_doc(qid, before, doc["answer"], revision, at, who))

    plan_table = tables[PLAN]
    new_plan = dict(loaded.plan)
    plan_ids = dict(loaded.plan_doc_ids)
    next_plan = 0
    for qid, entry in (plan or {}).items():
        earlier = loaded.plan.get(qid)
        plan_item = plan_doc(qid, entry, revision, at, who)
        doc_id = plan_ids.get(qid)
        if doc_id is None:
            if not next_plan:
                next_plan = max((int(k) for k in plan_table), default=0) + 1
            doc_id = str(next_plan)
            next_plan += 1
            plan_ids[qid] = doc_id
        plan_table[doc_id] = plan_item
        if entry is None:
            new_plan.pop(qid, None)
        else:
            new_plan[qid] = entry
        before_entry = None if earlier is None else earlier.to_data()
        record(history_doc(qid, before_entry, plan_item["entry"], revision, at, who, kind="plan"))
    for name, before_value, after_value in [*details, *((n, None, t) for n, t in noted)]:
        record(
            history_doc("", before_value, after_value, revision, at, who, kind="detail", field=name)
        )

    assessment = make_assessment(
        loaded, meta_doc, new_answers, new_plan, old.history + tuple(added)
    )
    summary = _summary(
        assessment,
        meta_doc,
        snapshot.summary,
        # Only a change of answers' notes, names or status leaves the rest of the summary
        # as it was; a plan entry or a detail such as the stage changes what it shows.
        scored_alike=not plan
        and set(meta) <= {"authority", "service", "assessor", "status"}
        and all(_scored_alike(loaded.answers.get(q), a) for q, a in answers.items()),
    )
    meta_doc["summary"] = summary.to_data()
    log, log_last, log_problem = loaded.log, loaded.log_last, loaded.log_problem
    if len(history_table) > RECENT:
        # Past the recent changes the file keeps: they move to the log, which is
        # appended to (and fsync'd) before the file that counts them replaces this one.
        moved = [history_table[k] for k in sorted(history_table, key=int)]
        if loaded.log_problem:
            # A log that cannot be read is kept aside, as it is, and a new one begun.
            if os.path.lexists(log_path(loaded.path)):
                keep_aside(log_path(loaded.path), file_stamp(at), move=True)
            log_ref, log, log_last, log_problem = EMPTY, [], {}, ""
        lines = log_lines(cast(list[dict[str, Any]], moved), log_last)
        meta_doc["history_log"] = append(loaded.path, log_ref, lines, len(moved))
        log = [*log, *moved]
        log_last = last_values(cast(list[dict[str, Any]], moved), log_last)
        tables[HISTORY] = {}
        chunks = []
    elif "history_log" not in meta_doc:
        meta_doc["history_log"] = EMPTY
    payload = encode(tables, answer_parts, chunks)
    storage = AtomicJSONStorage(loaded.path, backup=backup, temp_dir=temp_dir)
    stat = storage.commit_bytes(payload)
    new_loaded = Loaded(
        loaded.id,
        loaded.path,
        tables,
        stat_key(stat),
        loaded.bank,
        new_answers,
        doc_ids,
        new_plan,
        plan_ids,
        log,
        log_last,
        log_problem,
        history_checked=True,  # the old entries were checked for `old`; the new are ours
    )
    new = Snapshot(new_loaded, payload[:PREFIX_BYTES], assessment, chunks, answer_parts, summary)
    return new, summary

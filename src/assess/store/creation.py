"""Writing a new assessment file: a new draft, a copy of another, or one imported from a bundle.

A new file is written through TinyDB's own table API (on `AtomicJSONStorage`,
so still one atomic write), which keeps the store's layout exactly what
TinyDB itself makes. Its tables are checked as any file read back would be
before anything is written, and the list summary is stored with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from assess.store.files import StatKey, stat_key
from assess.store.history import EMPTY, NEW_FILE_KEEPS, append, log_lines
from assess.store.records import (
    ANSWERS,
    HISTORY,
    META,
    META_DOC,
    PLAN,
    MetaDoc,
    Tables,
    answer_doc,
    checked_loaded,
    history_doc,
    load_tables,
    make_assessment,
    plan_doc,
    to_assessment,
)
from assess.store.snapshot import PREFIX_BYTES, Snapshot

if TYPE_CHECKING:
    from assess.domain.answers import Answer
    from assess.domain.assessment import Summary
    from assess.domain.bank import Bank
    from assess.domain.plan import PlanEntry
    from assess.store.storage import AtomicJSONStorage


def new_tables(
    meta: MetaDoc,
    answers: Mapping[str, Answer],
    at: str,
    who: str,
    *,
    history: bool,
    plan: Mapping[str, PlanEntry] | None = None,
) -> Tables:
    """The tables of a new assessment at revision 0, its answers given by `who` at `at`.

    With `history`, each answer is also recorded as a change (a new
    assessment made with answers); without, only the answers are kept (a
    copy of another assessment, whose history stays with the original).
    `plan` gives the plan entries it starts with (a copy carries the open ones).
    """
    plan_docs = {
        str(n): plan_doc(qid, entry, 0, at, who)
        for n, (qid, entry) in enumerate((plan or {}).items(), start=1)
    }
    answer_docs = {
        str(n): answer_doc(qid, answer, 0, at, who)
        for n, (qid, answer) in enumerate(answers.items(), start=1)
    }
    history_docs = {
        str(n): history_doc(qid, None, answer.to_data(), 0, at, who)
        for n, (qid, answer) in enumerate(answers.items(), start=1)
        if history
    }
    return {META: {META_DOC: meta}, ANSWERS: answer_docs, PLAN: plan_docs, HISTORY: history_docs}


def write_new(path: Path, tables: Tables, bank: Bank, temp_dir: Path | None = None) -> Snapshot:
    """Write a new assessment file at `path` (lock held; OSError passes).

    The tables are checked against `bank` first, so a file the store would
    refuse to read is never written.
    """
    meta = tables[META][META_DOC]
    assessment_id = meta["id"]
    checked = load_tables(tables, assessment_id, path, (0, 0, 0), lambda _: bank)
    meta["summary"] = to_assessment(checked).summary().to_data()
    storage = _write(path, tables, temp_dir)
    assert storage.last_stat is not None and storage.last_payload is not None
    key = stat_key(storage.last_stat)
    loaded = load_tables(storage.read(), assessment_id, path, key, lambda _: bank)
    return Snapshot(loaded, storage.last_payload[:PREFIX_BYTES])


def write_imported(
    path: Path, tables: Tables, bank: Bank, temp_dir: Path | None = None
) -> tuple[StatKey, Summary]:
    """Write a new assessment file from a record a bundle check has passed (lock held).

    The check has already checked every answer against `bank`, so the file is
    written without checking them again (`checked_loaded`), and it is not
    read back: an import of thousands of assessments keeps none of them in
    memory. The file is fsync'd but not its folder: the caller fsyncs the
    folder once for many files (`fileio.fsync_dir`) before indexing them.
    Returns the file's identity and its summary, for the index.
    """
    checked = checked_loaded(tables, path, bank)
    meta = tables[META][META_DOC]
    summary = make_assessment(checked, meta, checked.answers, checked.plan, ()).summary()
    meta["summary"] = summary.to_data()
    storage = _write(path, tables, temp_dir, sync_folder=False)
    assert storage.last_stat is not None
    return stat_key(storage.last_stat), summary


def _write(
    path: Path, tables: Tables, temp_dir: Path | None, *, sync_folder: bool = True
) -> AtomicJSONStorage:
    """Write checked tables through TinyDB as one atomic write; the storage that wrote them."""
    from tinydb import TinyDB  # not needed to open or list a store

    from assess.store.storage import AtomicJSONStorage

    meta = tables[META][META_DOC]
    if len(tables[HISTORY]) > NEW_FILE_KEEPS:
        # A long history (an assessment imported after years of use) starts in the log.
        docs = cast(list[dict[str, Any]], list(tables[HISTORY].values()))
        meta["history_log"] = append(path, EMPTY, log_lines(docs, {}), len(docs))
        tables = {**tables, HISTORY: {}}
    db = TinyDB(path, storage=AtomicJSONStorage, temp_dir=temp_dir, sync_folder=sync_folder)
    storage = db.storage
    assert isinstance(storage, AtomicJSONStorage)
    with storage.batch():
        db.table(META).insert(meta)
        db.table(ANSWERS).insert_multiple(tables[ANSWERS].values())
        db.table(PLAN).insert_multiple(tables[PLAN].values())
        db.table(HISTORY).insert_multiple(tables[HISTORY].values())
    return storage

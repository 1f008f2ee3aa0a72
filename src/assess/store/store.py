"""The assessment store: TinyDB files that never lose an answer, shared safely.

Layout of a store folder::

    assess-store.json        marks the folder as a store (format version)
    .lock                    the file lock every writer holds
    index.jsonl              the list index, a cache (store_index, store_listing)
    assessments/<id>.json    one TinyDB file per assessment (store_records)
    assessments/<id>.bak     that file's previous version (a hard link)
    banks/<hash>.json        every bank version the store has seen (store_banks)
    trash/<id>.<time>.json   deleted assessments, until restored

Decisions, and why:

- Atomic writes. Every file is replaced by rename after fsync
  (`store_tinydb.AtomicJSONStorage`), so a crash leaves the old version or the
  new one. Temporaries left by a killed writer are removed on open, under
  the lock.
- One lock, held across each read-modify-write. A save takes the lock,
  reads the one assessment file (or reuses this process's copy after
  checking it is current), writes it atomically, appends one index line and
  releases the lock. Concurrent officers never lose each other's saves, and
  a save costs the same however many assessments the store holds. A process
  that dies releases the lock; a lock held longer than `LOCK_TIMEOUT`
  seconds gives `StoreBusy` rather than an endless wait.
- Revisions. Each write increments the assessment's revision, and each
  answer records the revision, time and officer of its last change. A save
  passing `base_revision` (the revision the officer's screen was loaded at)
  is refused with `StaleSave` only if the SAME question changed after it;
  saves to other questions merge, so two officers can share an assessment.
  A save that changes nothing writes nothing and keeps the revision. After
  a save, callers should show the returned assessment and use its revision
  as their new base: it includes other officers' merged changes.
- Damaged files. Before each replacement the old file is hard-linked to
  `<id>.bak`. A file that cannot be read is never overwritten and never taken
  for empty. Restoring is automatic when the assessment is opened or saved
  and a good `.bak` exists, because officers should not need a repair
  command to keep working: the damaged file is renamed to
  `<id>.damaged-<time>.json` (bytes kept), the `.bak` copy put in its place,
  and `Store.warnings` says so (the last change may be missing). Without a
  good copy the operation stops with `CorruptStore`, naming the file, and
  touches nothing. Listing never repairs; it lists the rest and warns. The
  same rule holds for bank copies (the shipped bank is their good copy) and
  the index (the assessment files are its good copy).
- The index. `list()` reads one journal of summaries stored at save time and
  checks it against a directory scan, so it neither opens every file nor
  rescores anything; see `store_index` for why a journal, and how it stays
  right after crashes.
- Speed. An autosave costs about 1.6 times one fsync'd write of the same
  file (`python -m benchmarks.bench_store` measures both side by side).
  The fixed costs were cut to fit: the lock file is kept open between saves
  (`store_lock`), the list summary is worked out without a full scoring
  (`scoring.headline`), and `store_writer` avoids work that would grow with
  the history.
- Module map: `store_core` (opening, lock, ids, reading, writing),
  `store_lock` (the lock), `store_files` (reading and damage detection),
  `store_tinydb` (the atomic TinyDB storage), `store_records` and
  `store_checks` (file layout and checks), `store_writer` (one change),
  `store_index` and `store_listing` (the list), `store_banks` (bank copies),
  `store_bundle` (export and import), `store_errors`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assess.domain.assessment import STATUSES, Assessment, Summary
from assess.domain.names import check_name
from assess.store.core import ID_PREFIX, StoreCore, not_an_id, when_text
from assess.store.errors import (
    CorruptStore,
    ImportConflict,
    InvalidBundle,
    StaleSave,
    StoreBusy,
    StoreError,
    UnknownAssessment,
    UnknownQuestion,
)
from assess.store.fileio import fsync_dir
from assess.store.files import stamp
from assess.store.index import gone_line
from assess.store.listing import scan
from assess.store.records import (
    ANSWERS,
    HISTORY,
    META,
    META_DOC,
    Loaded,
    answer_doc,
    history_doc,
    new_meta,
    record_to_tables,
    tables_to_record,
)

if TYPE_CHECKING:
    from assess.domain.answers import Answer
    from assess.domain.bank import Bank
    from assess.store.bundle import ImportResult

__all__ = [
    "CorruptStore",
    "ImportConflict",
    "InvalidBundle",
    "StaleSave",
    "Store",
    "StoreBusy",
    "StoreError",
    "UnknownAssessment",
    "UnknownQuestion",
    "added_questions",
    "removed_questions",
]


def removed_questions(assessment: Assessment, current_bank: Bank) -> list[str]:
    """Ids of the assessment's questions that the current bank no longer has."""
    return [q.id for q in assessment.bank.questions if current_bank.question(q.id) is None]


def added_questions(assessment: Assessment, current_bank: Bank) -> list[str]:
    """Ids of questions in the current bank that the assessment's bank did not have."""
    return [q.id for q in current_bank.questions if assessment.bank.question(q.id) is None]


class Store(StoreCore):
    """A folder of assessments. Open it with `Store.open(path)`."""

    # ------------------------------------------------------------------
    # Reading and saving

    def get(self, assessment_id: str) -> Assessment:
        """The assessment, with the exact bank it was made with."""
        with self._mutex:
            return self._load(self._check_id(assessment_id)).assessment()

    def save_answer(
        self,
        assessment_id: str,
        question_id: str,
        answer: Answer | None,
        *,
        who: str = "",
        base_revision: int | None = None,
    ) -> Assessment:
        """Save (or with None, clear) one answer: one locked, atomic read-modify-write."""
        return self.save_answers(
            assessment_id, {question_id: answer}, who=who, base_revision=base_revision
        )

    def save_answers(
        self,
        assessment_id: str,
        answers: Mapping[str, Answer | None],
        *,
        who: str = "",
        base_revision: int | None = None,
    ) -> Assessment:
        """Save several answers at once (None clears one); all of them or none."""
        self._check_id(assessment_id)
        who = check_name(who, "officer's name", required=False)
        with self._locked():
            snapshot = self._load(assessment_id)
            loaded = snapshot.loaded
            changes = self._check_answers(loaded.bank, answers)
            if base_revision is not None:
                for qid in changes:
                    _refuse_if_stale(loaded, qid, base_revision)
            effective = {
                qid: new
                for qid, new in changes.items()
                if _data(new) != _data(loaded.answers.get(qid))
            }
            if not effective:
                return snapshot.assessment()
            return self._change(snapshot, answers=effective, who=who or loaded.meta["assessor"])

    def _update_meta(self, assessment_id: str, fields: Mapping[str, Any]) -> Assessment:
        self._check_id(assessment_id)
        with self._locked():
            snapshot = self._load(assessment_id)
            if all(snapshot.loaded.meta.get(k) == v for k, v in fields.items()):
                return snapshot.assessment()
            return self._change(snapshot, meta=fields)

    def set_status(self, assessment_id: str, status: str, *, who: str = "") -> Assessment:
        """Mark an assessment draft or complete."""
        if status not in STATUSES:
            raise StoreError(f"{status!r} is not a status; use {' or '.join(STATUSES)}")
        return self._update_meta(assessment_id, {"status": status})

    def rename(
        self,
        assessment_id: str,
        *,
        authority: str | None = None,
        service: str | None = None,
        assessor: str | None = None,
    ) -> Assessment:
        """Change the authority, service or assessor names."""
        return self._update_meta(
            assessment_id, _names(authority=authority, service=service, assessor=assessor)
        )

    # ------------------------------------------------------------------
    # New assessments

    def create(
        self,
        *,
        authority: str,
        service: str = "",
        assessor: str = "",
        bank: Bank | None = None,
        answers: Mapping[str, Answer] | None = None,
        who: str = "",
    ) -> Assessment:
        """Start a new draft assessment (with the shipped bank unless one is given)."""
        names = _names(authority=authority, service=service, assessor=assessor)
        who = check_name(who, "officer's name", required=False) or names["assessor"]
        bank = bank or self.current_bank()
        checked = {
            qid: a for qid, a in self._check_answers(bank, answers or {}).items() if a is not None
        }
        at = self.clock()
        with self._locked():
            meta = new_meta(
                assessment_id=self._new_id(),
                **names,  # type: ignore[arg-type]
                created=at,
                updated=at,
                status="draft",
                bank=bank,
                revision=0,
                extra={},
            )
            return self._write_new(_fresh_tables(meta, checked, at, who, history=True), bank)

    def duplicate(
        self,
        assessment_id: str,
        *,
        authority: str | None = None,
        service: str | None = None,
        assessor: str | None = None,
        who: str = "",
    ) -> Assessment:
        """A new draft with the same bank and answers (not the history), e.g. for next year."""
        self._check_id(assessment_id)
        overrides = _names(authority=authority, service=service, assessor=assessor)
        who = check_name(who, "officer's name", required=False)
        at = self.clock()
        with self._locked():
            source = self._load(assessment_id).loaded
            names = {k: source.meta[k] for k in ("authority", "service", "assessor")}
            names.update(overrides)
            meta = new_meta(
                assessment_id=self._new_id(),
                **names,
                created=at,
                updated=at,
                status="draft",
                bank=source.bank,
                revision=0,
                extra={"copied_from": assessment_id},
            )
            who = who or names["assessor"]
            tables = _fresh_tables(meta, source.answers, at, who, history=False)
            return self._write_new(tables, source.bank)

    # ------------------------------------------------------------------
    # Delete and restore

    def delete(self, assessment_id: str) -> None:
        """Move the assessment to the store's trash (`restore` brings it back)."""
        self._check_id(assessment_id)
        with self._locked():
            path = self._path(assessment_id)
            if not path.exists():
                self.resolve(assessment_id)
                raise UnknownAssessment(f"no assessment with id {assessment_id}")
            base = f"{assessment_id}.{stamp()}"
            backup = self._backup(assessment_id)
            if backup.exists():
                os.replace(backup, self.trash / f"{base}.bak")
            os.replace(path, self.trash / f"{base}.json")
            fsync_dir(self.trash)
            fsync_dir(self.folder)
            self._cache.pop(assessment_id, None)
            self._index.append([gone_line(assessment_id)])

    def restore(self, assessment_id: str) -> Assessment:
        """Bring back a deleted assessment (its most recently deleted copy)."""
        text = str(assessment_id).strip().lower()
        if not ID_PREFIX.match(text):
            raise not_an_id(assessment_id)
        with self._locked():
            ids = sorted({p.name[:8] for p in self._trashed(text)})
            if not ids:
                raise UnknownAssessment(f"no deleted assessment with id {text} in {self.trash}")
            if len(ids) > 1:
                raise UnknownAssessment(
                    f"{text!r} matches {len(ids)} deleted assessments; type more of the id"
                )
            found = ids[0]
            if self._path(found).exists():
                raise StoreError(
                    f"assessment {found} is in the store already (imported again since it "
                    "was deleted); delete that one first to bring the old one back"
                )
            newest = self._trashed(found)[0]
            backup = newest.with_suffix(".bak")
            os.replace(newest, self._path(found))
            if backup.exists():
                os.replace(backup, self._backup(found))
            fsync_dir(self.folder)
            fsync_dir(self.trash)
            snapshot = self._load(found)
            self._index_entry(snapshot)
            return snapshot.assessment()

    # ------------------------------------------------------------------
    # Listing and bundles

    def list(self) -> list[Summary]:
        """Every assessment's summary, most recently updated first (ties: highest id first).

        Damaged assessment files are left out and named in `warnings`.
        """
        return self._lister.summaries()

    def export_bundle(self, ids: Iterable[str] | None = None) -> dict[str, Any]:
        """A portable bundle of assessments (all when `ids` is None) and their banks."""
        from assess.store.bundle import new_bundle

        chosen = sorted(scan(self.folder)) if ids is None else [self.resolve(i) for i in ids]
        records = []
        banks: dict[str, Bank] = {}
        with self._mutex:
            for assessment_id in dict.fromkeys(chosen):
                loaded = self._load(assessment_id).loaded
                records.append(tables_to_record(loaded.tables))
                banks[loaded.bank.content_hash] = loaded.bank
        return new_bundle(records, banks, exported=self.clock())

    def import_file(self, path: Path, *, skip_conflicts: bool = False) -> ImportResult:
        """Read a bundle file (checked as untrusted input) and import it (`import_bundle`)."""
        from assess.store.bundle import read_bundle

        return self.import_bundle(read_bundle(path), str(path), skip_conflicts=skip_conflicts)

    def import_bundle(
        self, data: Any, source: str = "bundle", *, skip_conflicts: bool = False
    ) -> ImportResult:
        """Add a bundle's assessments; importing the same bundle twice changes nothing.

        The whole bundle is checked before anything is written. An id already
        used here by different content is a conflict: by default nothing is
        imported (`ImportConflict`); with `skip_conflicts` the others are
        imported and the conflicts listed in the result.
        """
        from assess.store.bundle import ImportResult, check_bundle

        bundle = check_bundle(data, source)
        result = ImportResult()
        with self._locked():
            to_add = []
            for record in bundle.records:
                assessment_id = record["id"]
                if not self._path(assessment_id).exists():
                    to_add.append(record)
                    continue
                loaded = self._load(assessment_id).loaded
                if tables_to_record(loaded.tables) == record:
                    result.unchanged.append((assessment_id, _title(record)))
                else:
                    result.conflicts.append(
                        f"{assessment_id} ({_title(record)}): this store has an assessment "
                        "with the same id and different content; it was left as it is"
                    )
            if result.conflicts and not skip_conflicts:
                raise ImportConflict(
                    f"{source}: {len(result.conflicts)} assessment(s) conflict with this "
                    "store; nothing was imported (--skip-conflicts imports the others)",
                    result.conflicts,
                )
            for record in to_add:
                bank = bundle.banks[record["bank"]["hash"]]
                assessment = self._write_new(record_to_tables(record, bank), bank)
                result.added.append((assessment.id, assessment.title))
        return result


# ----------------------------------------------------------------------------
# Helpers


def _data(answer: Answer | None) -> dict[str, Any] | None:
    return None if answer is None else answer.to_data()


def _title(record: Mapping[str, Any]) -> str:
    service = record.get("service")
    return f"{record['authority']} — {service}" if service else str(record["authority"])


def _names(**given: str | None) -> dict[str, str]:
    return {
        what: check_name(value, what, required=what == "authority")
        for what, value in given.items()
        if value is not None
    }


def _refuse_if_stale(loaded: Loaded, qid: str, base_revision: int) -> None:
    doc = loaded.answer_doc(qid)
    if doc is None or doc["revision"] <= base_revision:
        return
    who = doc["who"] or "another officer"
    raise StaleSave(
        f"question {qid} was changed by {who} at {when_text(doc['at'])}, after you opened this "
        "assessment, so your answer to it was not saved; reopen the assessment to see "
        "their answer, then change it again if you still need to",
        question_id=qid,
        who=doc["who"],
        at=doc["at"],
        revision=doc["revision"],
    )


def _fresh_tables(
    meta: dict[str, Any], answers: Mapping[str, Answer], at: str, who: str, *, history: bool
) -> dict[str, Any]:
    answer_docs = {
        str(n): answer_doc(qid, answer, 0, at, who)
        for n, (qid, answer) in enumerate(answers.items(), start=1)
    }
    history_docs = {
        str(n): history_doc(qid, None, answer.to_data(), 0, at, who)
        for n, (qid, answer) in enumerate(answers.items(), start=1)
        if history
    }
    return {META: {META_DOC: meta}, ANSWERS: answer_docs, HISTORY: history_docs}

"""The machinery under `Store`: opening a store, its lock, ids, and reading and
writing assessment files (restoring a damaged file from its backup).

`assess.store.Store` adds the operations officers use on top of this; the
design decisions are explained there.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from assess.domain.assessment import Assessment, Summary, now_iso
from assess.domain.errors import AnswersError
from assess.store.banks import BANKS_DIR, BankShelf
from assess.store.checks import ID_PATTERN
from assess.store.errors import (
    CorruptStore,
    StoreBusy,
    StoreError,
    UnknownAssessment,
    UnknownQuestion,
)
from assess.store.fileio import atomic_write_bytes, remove_stale_temporaries
from assess.store.files import (
    Damaged,
    parse_json,
    read_bytes,
    read_json,
    set_aside,
    stat_key,
)
from assess.store.index import Index, entry_line
from assess.store.listing import Lister, scan
from assess.store.lock import StoreLock
from assess.store.records import ANSWERS, HISTORY, META, META_DOC, load_tables, stored_summary
from assess.store.writer import PREFIX_BYTES, Snapshot, write_change

if TYPE_CHECKING:
    from assess.domain.answers import Answer
    from assess.domain.bank import Bank

Clock = Callable[[], str]

MARKER = "assess-store.json"
MARKER_FORMAT = "assess-store"
MARKER_VERSION = 1
ASSESSMENTS_DIR = "assessments"
TRASH_DIR = "trash"
LOCK_NAME = ".lock"
LOCK_TIMEOUT = 30.0
LOCK_POLL = 0.002  # short: a save holds the lock for about a millisecond
CACHE_SIZE = 16
ID_PREFIX = re.compile(r"^[0-9a-f]{1,8}$")


def not_an_id(text: object) -> UnknownAssessment:
    return UnknownAssessment(
        f"{text!r} is not an assessment id; ids are 8 letters and digits such as "
        "3f9c0a12 (assess list shows them)"
    )


def when_text(iso: str) -> str:
    """`2025-04-01 09:30 UTC` from a stored time."""
    return f"{iso[:10]} {iso[11:16]} UTC" if len(iso) >= 16 else iso


class StoreCore:
    """A store folder's files, lock and cache; see `Store` for the operations."""

    def __init__(self, root: Path, *, clock: Clock = now_iso) -> None:
        self.root = root
        # Every time the store stamps (created, updated, each change, an export)
        # comes from here, so tests freeze time by passing their own clock.
        self.clock = clock
        self.folder = root / ASSESSMENTS_DIR
        self.trash = root / TRASH_DIR
        self.warnings: list[str] = []
        self._lock = StoreLock(root / LOCK_NAME)
        self._index = Index(root)
        self._banks = BankShelf(
            root / BANKS_DIR, shipped=self.current_bank, warn=self._warn, locked=self._locked
        )
        self._lister = Lister(
            self.folder,
            self._index,
            bank_for=self._bank_for,
            locked=self._locked,
            warn=self._warn,
        )
        self._cache: dict[str, Snapshot] = {}
        # One Store may serve several threads of one process (the TUI's workers):
        # the file lock keeps them apart on disk, this keeps them off the cache.
        self._mutex = threading.RLock()

    # ------------------------------------------------------------------
    # Opening, locking, warnings

    @classmethod
    def open(cls, root: Path | str, *, clock: Clock = now_iso) -> Self:
        """Open the store in `root`, creating the folder if it is missing.

        `clock` gives the current time as ISO 8601 text in UTC (as `now_iso`).
        """
        root = Path(root).expanduser()
        if root.exists() and not root.is_dir():
            raise StoreError(f"{root}: is a file; the store must be a folder")
        if root.is_dir() and not (root / MARKER).exists():
            others = [n for n in os.listdir(root) if n not in (LOCK_NAME, ASSESSMENTS_DIR)]
            if others and not (root / ASSESSMENTS_DIR).is_dir():
                raise StoreError(
                    f"{root}: this folder holds other files and is not an assess store; "
                    "give a new or empty folder"
                )
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{root}: cannot create the store folder: {exc.strerror}") from None
        store = cls(root, clock=clock)
        with store._locked():
            store._prepare()
        return store

    def _prepare(self) -> None:
        marker = self.root / MARKER
        try:
            data, _ = read_json(marker)
        except FileNotFoundError:
            text = f'{{"format":"{MARKER_FORMAT}","format_version":{MARKER_VERSION}}}\n'
            atomic_write_bytes(marker, text.encode())
        except Damaged as exc:
            raise CorruptStore(
                f"{marker}: the store's marker file cannot be read ({exc.reason}); it has "
                "been left as it is. Move it out of the folder and assess will write a new one.",
                path=str(marker),
            ) from None
        else:
            if not isinstance(data, dict) or data.get("format") != MARKER_FORMAT:
                raise StoreError(f"{marker}: this is not an assess store marker")
            version = data.get("format_version")
            if not isinstance(version, int) or version > MARKER_VERSION:
                raise StoreError(
                    f"{self.root}: this store was made by a newer version of assess; upgrade"
                )
        for folder in (self.folder, self.trash, self.root / BANKS_DIR):
            folder.mkdir(exist_ok=True)
        for folder in (self.root, self.folder, self.trash, self.root / BANKS_DIR):
            remove_stale_temporaries(folder)

    @contextlib.contextmanager
    def _locked(self, *, wait: bool = True) -> Iterator[bool]:
        """Hold the store lock; with wait=False, yield False at once if it is busy."""
        if not self._mutex.acquire(timeout=LOCK_TIMEOUT if wait else 0):
            if not wait:
                yield False
                return
            raise self._busy()
        try:
            try:
                acquired = self._lock.acquire(LOCK_TIMEOUT if wait else 0, LOCK_POLL)
            except OSError as exc:
                raise StoreError(f"{self.root}: cannot lock the store: {exc.strerror}") from None
            if not acquired:
                if not wait:
                    yield False
                    return
                raise self._busy()
            try:
                yield True
            finally:
                self._lock.release()
        finally:
            self._mutex.release()

    def _busy(self) -> StoreBusy:
        return StoreBusy(
            f"{self.root}: the store has been busy for {LOCK_TIMEOUT:.0f} seconds "
            "(another save is holding it); nothing was changed, try again"
        )

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def take_warnings(self) -> list[str]:
        """The warnings gathered so far (damaged files found, copies restored), then clear."""
        taken, self.warnings = self.warnings, []
        return taken

    def current_bank(self) -> Bank:
        """The shipped bank."""
        from assess.domain.bank import load_shipped_bank

        return load_shipped_bank()

    # ------------------------------------------------------------------
    # Ids

    def _path(self, assessment_id: str) -> Path:
        return self.folder / f"{assessment_id}.json"

    def _backup(self, assessment_id: str) -> Path:
        return self.folder / f"{assessment_id}.bak"

    def _trashed(self, prefix: str) -> list[Path]:
        """Trash copies of assessments whose id starts with `prefix`, newest first."""
        found = [p for p in self.trash.glob(f"{prefix}*.json") if ID_PATTERN.match(p.name[:8])]
        return sorted(found, key=lambda p: p.name[9:], reverse=True)

    def _new_id(self) -> str:
        for _ in range(1000):
            candidate = os.urandom(4).hex()  # secrets.token_hex(4), without importing secrets
            if not self._path(candidate).exists() and not self._trashed(candidate):
                return candidate
        raise StoreError(f"{self.root}: could not find a free assessment id")

    @staticmethod
    def _check_id(assessment_id: str) -> str:
        if not isinstance(assessment_id, str) or not ID_PATTERN.match(assessment_id):
            raise not_an_id(assessment_id)
        return assessment_id

    def resolve(self, id_or_prefix: str) -> str:
        """The full id for an id or a unique prefix of one (as officers type them)."""
        text = str(id_or_prefix).strip().lower()
        if not ID_PREFIX.match(text):
            raise not_an_id(id_or_prefix)
        if len(text) == 8 and self._path(text).exists():
            return text
        matches = sorted(i for i in scan(self.folder) if i.startswith(text))
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            shown = ", ".join(matches[:5]) + (" ..." if len(matches) > 5 else "")
            raise UnknownAssessment(
                f"{text!r} matches {len(matches)} assessments ({shown}); type more of the id"
            )
        trashed = sorted({p.name[:8] for p in self._trashed(text)})
        if len(trashed) == 1:
            raise UnknownAssessment(
                f"assessment {trashed[0]} was deleted; `assess restore {trashed[0]}` brings it back"
            )
        raise UnknownAssessment(f"no assessment with id {text} in the store {self.root}")

    # ------------------------------------------------------------------
    # Reading

    def _bank_for(self, assessment_id: str) -> Callable[[str], Bank]:
        return lambda bank_hash: self._banks.get(bank_hash, needed_by=assessment_id)

    def _read_file(self, assessment_id: str, path: Path) -> Snapshot:
        """Read and check one assessment file (FileNotFoundError and Damaged pass)."""
        cached = self._cache.get(assessment_id) if path == self._path(assessment_id) else None
        if cached is not None:
            with open(path, "rb") as handle:
                key = stat_key(os.fstat(handle.fileno()))
                if cached.matches(key, handle.read(PREFIX_BYTES)):
                    return cached
        data, key = read_bytes(path)
        tables = parse_json(data)
        loaded = load_tables(tables, assessment_id, path, key, self._bank_for(assessment_id))
        return Snapshot(loaded, data[:PREFIX_BYTES])

    def _load(self, assessment_id: str) -> Snapshot:
        """The assessment's file, restoring its backup if the file is damaged."""
        try:
            snapshot = self._read_file(assessment_id, self._path(assessment_id))
        except FileNotFoundError:
            self.resolve(assessment_id)  # says whether it was deleted
            raise UnknownAssessment(f"no assessment with id {assessment_id}") from None
        except Damaged as exc:
            snapshot = self._restore_backup(assessment_id, exc.reason)
        except OSError as exc:  # not damage: a permission problem, a folder in the way
            path = self._path(assessment_id)
            raise StoreError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
        self._remember(snapshot)
        return snapshot

    def _remember(self, snapshot: Snapshot) -> None:
        assessment_id = snapshot.loaded.id
        self._cache.pop(assessment_id, None)
        self._cache[assessment_id] = snapshot
        while len(self._cache) > CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))

    def _restore_backup(self, assessment_id: str, reason: str) -> Snapshot:
        path, backup = self._path(assessment_id), self._backup(assessment_id)
        with self._locked():
            try:  # another process may have restored it while we waited
                return self._read_file(assessment_id, path)
            except FileNotFoundError:
                raise UnknownAssessment(f"no assessment with id {assessment_id}") from None
            except Damaged as exc:
                reason = exc.reason
            try:
                good = self._read_file(assessment_id, backup)
                good_bytes, _ = read_bytes(backup)
            except (FileNotFoundError, Damaged) as exc:
                why = "there is none" if isinstance(exc, FileNotFoundError) else str(exc)
                raise CorruptStore(
                    f"{path}: assessment {assessment_id} cannot be read ({reason}). The file "
                    f"has been left as it is; no earlier copy can be used ({backup.name}: "
                    f"{why}). Put the file back from a backup of this folder, or move it out "
                    "of the store to carry on without it.",
                    path=str(path),
                ) from None
            kept = set_aside(path)
            # A copy, not a link: the next save links this file to the .bak name.
            atomic_write_bytes(path, good_bytes)
            when = good.loaded.meta["updated"]
            self._warn(
                f"{path}: assessment {assessment_id} could not be read ({reason}). Its copy "
                f"from the previous save ({when_text(when)}) was put back, so the last change may "
                f"be missing; the damaged file is kept as {kept.name}."
            )
            snapshot = self._read_file(assessment_id, path)
            self._index_entry(snapshot)
            return snapshot

    # ------------------------------------------------------------------
    # Writing

    def _index_entry(self, snapshot: Snapshot, summary: Summary | None = None) -> None:
        if summary is None:
            summary = stored_summary(snapshot.loaded.meta) or snapshot.assessment().summary()
        try:
            self._index.append([entry_line(snapshot.loaded.id, snapshot.key, summary)])
        except OSError as exc:
            # The save itself is on disk; the index is a cache that listing corrects.
            self._warn(
                f"{self._index.path}: the list index could not be updated ({exc.strerror}); "
                "it will be corrected the next time assessments are listed"
            )

    def _write_failed(self, path: Path, exc: OSError) -> StoreError:
        return StoreError(
            f"{path}: could not save ({exc.strerror or exc}); the assessment is as it was "
            "before this change"
        )

    @staticmethod
    def _check_answers(bank: Bank, answers: Mapping[str, Any]) -> dict[str, Answer | None]:
        from assess.domain.answers import Answer, AnswerProblem, check_answer

        checked: dict[str, Answer | None] = {}
        problems: list[str] = []
        for qid, answer in answers.items():
            question = bank.question(qid) if isinstance(qid, str) else None
            if question is None:
                raise UnknownQuestion(
                    f"question {qid!r} is not in bank {bank.id} {bank.version}, "
                    "which this assessment uses; nothing was saved"
                )
            if answer is None:
                checked[qid] = None
                continue
            # An Answer is re-checked from its data: check_answer trusts Answer objects.
            raw = answer.to_data() if isinstance(answer, Answer) else answer
            try:
                checked[qid] = check_answer(question, raw)
            except AnswerProblem as exc:
                problems.append(f"{qid}: {exc}")
        if problems:
            count = len(problems)
            raise AnswersError(
                f"{count} bad value{'s' if count > 1 else ''}; nothing was saved", problems
            )
        return checked

    def _change(
        self,
        snapshot: Snapshot,
        *,
        answers: Mapping[str, Answer | None] | None = None,
        meta: Mapping[str, Any] | None = None,
        who: str = "",
    ) -> Assessment:
        """Write one change as the next revision (lock held)."""
        self._cache.pop(snapshot.loaded.id, None)  # its tables change in place
        try:
            new, summary = write_change(
                snapshot,
                answers=answers or {},
                meta=meta or {},
                who=who,
                at=self.clock(),
                backup=self._backup(snapshot.loaded.id),
            )
        except OSError as exc:
            raise self._write_failed(snapshot.loaded.path, exc) from None
        self._remember(new)
        self._index_entry(new, summary)
        return new.assessment()

    def _write_new(self, tables: dict[str, Any], bank: Bank) -> Assessment:
        """Write a new assessment file through TinyDB (lock held)."""
        from tinydb import TinyDB

        from assess.store.storage import AtomicJSONStorage

        meta = tables[META][META_DOC]
        assessment_id = meta["id"]
        path = self._path(assessment_id)
        checked = load_tables(tables, assessment_id, path, (0, 0, 0), lambda _: bank)
        meta["summary"] = Snapshot(checked, b"").assessment().summary().to_data()
        db = TinyDB(path, storage=AtomicJSONStorage)
        storage: AtomicJSONStorage = db.storage  # type: ignore[assignment]
        try:
            self._banks.keep(bank)
            with storage.batch():
                db.table(META).insert(meta)
                db.table(ANSWERS).insert_multiple(tables[ANSWERS].values())
                db.table(HISTORY).insert_multiple(tables[HISTORY].values())
        except OSError as exc:
            raise self._write_failed(path, exc) from None
        assert storage.last_stat is not None and storage.last_payload is not None
        loaded = load_tables(
            storage.read(), assessment_id, path, stat_key(storage.last_stat), lambda _: bank
        )
        snapshot = Snapshot(loaded, storage.last_payload[:PREFIX_BYTES])
        self._remember(snapshot)
        self._index_entry(snapshot)
        return snapshot.assessment()

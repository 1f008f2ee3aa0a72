"""`Store`, one folder of assessments: every operation officers use, and how the store works.

A `Store` is one folder of assessments (its layout is described in
`assess.store.folder`); every operation officers use is a method of it, and
the modules beside this one each do one part of its work.

Decisions, and why:

- Atomic writes. Every file is replaced by rename after fsync
  (`storage.AtomicJSONStorage`, `fileio.atomic_write_bytes`), so a crash
  leaves the old version or the new one. Temporaries are written in the
  store's `tmp/` folder; those left by a killed writer are removed by the
  next writer, under the lock (opening a store scans nothing).
- A folder is a store only if it holds the store's marker (`folder`):
  reading never makes one, and a folder of other files is never adopted.
- Reading takes no lock. Every file is replaced whole by a rename, so a
  reader sees one consistent version of each; `get`, `list` and
  `export_bundle` therefore never wait on a writer (not even one stopped
  while holding the lock) and work on a read-only store. What a reader would
  repair (a damaged file with a good `.bak`, a damaged index) it repairs
  only if it can take the lock at once; otherwise it uses the good copy as
  it is and leaves the repair to the next writer.
- One lock, held across each read-modify-write. A save takes the lock,
  reads the one assessment file (or reuses this process's copy after
  checking it is current), writes it atomically, appends one index line and
  releases the lock. Concurrent officers never lose each other's saves, and
  a save costs the same however many assessments the store holds. A process
  that dies releases the lock; a lock held longer than `lock.LOCK_TIMEOUT`
  seconds gives `StoreBusy` rather than an endless wait, and a save made
  with `wait=False` gives it at once (for the app, which saves in a worker
  and says "not saved, retrying" rather than freezing).
- Sharing. Files keep the store folder's group and follow the officer's
  umask; a replaced file keeps its mode (`fileio`), so colleagues in the
  store's group can all save. Any failure to write (no permission, a full
  disk, a read-only folder) is a `StoreError` saying so, with nothing changed.
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
  touches nothing (`backups`). Listing never repairs; it lists the rest and
  warns. The same rule holds for bank copies (the shipped bank is their good
  copy, `banks`) and the index (the assessment files are its good copy).
- The index. `list()` reads one journal of summaries stored at save time and
  checks it against a directory scan, so it neither opens every file nor
  rescores anything; see `index` for why a journal, and how it stays right
  after crashes. The list's order never depends on chance: newest first,
  ties broken by creation time and then by id (`listing`).
- One clock. Every time the store writes (created, updated, each answer's
  time, history, a bundle's export time, the names of trash and damaged
  copies) comes from the clock the store was opened with, read once per
  operation (`clock`), so tests freeze time by passing their own.
- Speed. An autosave should cost little more than one fsync'd write of the
  same file (`python -m benchmarks.bench_store` measures both side by side).
  The fixed costs were cut to fit: the lock file is kept open between saves
  (`lock`), the assessment last used is kept in memory and reused once its
  file is checked to be unchanged (`snapshot`), a save that changes only an
  evidence note reuses the last summary instead of rescoring, the one
  scoring pass reads per-bank facts worked out once (`scoring.score`), and
  `writer` avoids work that would grow with the history.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Self

from assess.domain.assessment import STATUSES, Assessment, Status, Summary, now_iso
from assess.domain.names import check_name
from assess.store.backups import good_backup, restore_from_backup
from assess.store.banks import BankShelf
from assess.store.checks import check_answers, check_plan_changes
from assess.store.clock import Clock, file_stamp, read_clock, when_text
from assess.store.creation import new_tables, write_imported, write_new
from assess.store.errors import (
    CorruptStore,
    ImportConflict,
    SignedOff,
    StaleSave,
    StoreError,
    UnknownAssessment,
)
from assess.store.fileio import fsync_dir, remove_dead_temporaries, remove_temporaries
from assess.store.files import Damaged, read_json
from assess.store.folder import (
    StoreFolder,
    check_marker,
    make_store,
    make_subfolder,
    not_a_store,
    state_of,
)
from assess.store.ids import check_id, typed_prefix
from assess.store.index import Index, entry_line, gone_line
from assess.store.listing import Lister
from assess.store.lock import StoreLock
from assess.store.records import (
    DETAIL_DEFAULTS,
    META,
    META_DOC,
    Extra,
    Loaded,
    MetaChange,
    MetaDoc,
    Record,
    StoredAnswer,
    Tables,
    check_file_meta,
    check_history,
    loaded_to_record,
    make_assessment,
    new_meta,
    record_to_tables,
)
from assess.store.snapshot import Snapshot, SnapshotCache, read_snapshot
from assess.store.summaries import stored_summary
from assess.store.writer import write_change

if TYPE_CHECKING:
    from assess.domain.answers import Answer
    from assess.domain.bank import Bank
    from assess.domain.plan import PlanEntry
    from assess.domain.upgrade import UpgradePlan
    from assess.store.bundle import Bundle, ImportResult
    from assess.store.fileio import BundleOut

__all__ = ["Store"]

# An import appends its index lines this many at a time, not one append per assessment.
_INDEX_BATCH = 500
# Which records of a bundle (by position); a name of its own, as `list` is a Store method.
_Indices = list[int]
# The first page of the list and about how many there are (`Store.list_first`).
_Page = tuple[list[Summary], int]


class Store:
    """A folder of assessments. Open it with `Store.open(path)`.

    `root` is the folder, `folder` its assessment files and `trash` the
    deleted ones; `clock` is what it reads the time from. `warnings` gathers
    what an officer should know about damaged files found and repaired
    (`take_warnings` hands them over).
    """

    def __init__(self, root: Path, *, clock: Clock = now_iso) -> None:
        self.root = root
        self.clock = clock
        self._files = StoreFolder(root)
        self.folder = self._files.assessments
        self.trash = self._files.trash
        self.warnings: list[str] = []
        self._lock = StoreLock(self._files.lock)
        self._tidied = False
        self._index = Index(root, temp_dir=self._files.tmp)
        self._banks = BankShelf(
            self._files.banks,
            shipped=self.current_bank,
            warn=self._warn,
            locked=self._try_writing,
            now=self._now,
            temp_dir=self._files.tmp,
        )
        self._lister = Lister(
            self._files,
            self._index,
            bank_for=self._bank_for,
            locked=self._try_writing,
            warn=self._warn,
            now=self._now,
        )
        self._cache = SnapshotCache()
        self._last_paths: tuple[str, Path, Path] | None = None  # see `_paths`

    @classmethod
    def open(cls, root: Path | str, *, clock: Clock = now_iso, create: bool = True) -> Self:
        """Open the store in `root`; with `create`, make it if the folder is missing or empty.

        Without `create` the folder must already be a store (`StoreError`
        otherwise), and nothing at all is written. Opening never waits on the
        lock. `clock` gives the current time as ISO 8601 text in UTC (as `now_iso`).
        """
        root = Path(root).expanduser()
        store = cls(root, clock=clock)
        if create:
            make_store(store._files)
        else:
            state = state_of(root)
            if state != "store":
                raise not_a_store(root, state)
            check_marker(store._files)
        return store

    @staticmethod
    def state_of(root: Path | str) -> str:
        """Whether `root` is a store: "store", "missing", "empty", "foreign" or "file"."""
        return state_of(Path(root).expanduser())

    @contextlib.contextmanager
    def _writing(self, *, wait: bool | float = True) -> Iterator[None]:
        """Hold the store's lock for a write (see `lock`); `StoreBusy` if it stays busy.

        `wait=False`: `StoreBusy` at once if another process holds it.
        """
        with self._lock.held(wait=wait) as held:
            if not held:
                raise self._lock.busy(0)
            self._tidy_once()
            yield

    @contextlib.contextmanager
    def _try_writing(self) -> Iterator[bool]:
        """The lock if it can be had at once (False when busy, read-only or not allowed).

        For what a reader would tidy or repair on the way: never worth waiting for.
        """
        stack = contextlib.ExitStack()
        try:
            held = stack.enter_context(self._lock.held(wait=False))
            if held:
                self._tidy_once()
        except StoreError:  # a store this officer may only read
            stack.close()
            held = False
        with stack:
            yield held

    def _tidy_once(self) -> None:
        """The first time this Store holds the lock: remove temporaries of writers that died.

        Every writer holds the lock, so while it is held every temporary in
        `tmp/` is a dead writer's.
        """
        if self._tidied:
            return
        self._tidied = True
        try:
            make_subfolder(self._files.tmp)
        except OSError as exc:
            raise _write_failed(self._files.tmp, exc) from None
        remove_temporaries(self._files.tmp)
        remove_dead_temporaries(self.root)  # a marker being written when killed

    # ------------------------------------------------------------------
    # What the store shares with the modules that do its work

    def _now(self) -> str:
        """The store's clock, read once for the operation under way."""
        return read_clock(self.clock)

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def take_warnings(self) -> list[str]:
        """The warnings gathered so far (damaged files found, copies restored), then clear."""
        taken, self.warnings = self.warnings, []
        return taken

    def current_bank(self) -> Bank:
        """The shipped bank: validated once per content of its file, then read from the cache."""
        from assess.domain.bank import load_bank, shipped_bank_path

        return self._banks.from_file(shipped_bank_path(), load_bank)

    def _bank_for(self, assessment_id: str) -> Callable[[str], Bank]:
        return lambda bank_hash: self._banks.get(bank_hash, needed_by=assessment_id)

    def _new_id(self) -> str:
        # A method of the Store so that a test can give fixed ids: the app's
        # screens show them, and screenshots are compared byte for byte.
        return self._files.new_id()

    def resolve(self, id_or_prefix: str) -> str:
        """The full id for an id or a unique prefix of one (as officers type them)."""
        return self._files.resolve(typed_prefix(id_or_prefix))

    # ------------------------------------------------------------------
    # Reading and saving

    def title(self, assessment_id: str) -> str:
        """`Authority — Service` from the file's metadata alone (neither its bank nor answers).

        `CorruptStore` when the file cannot be read, as `get` would give
        without a good backup (a title is only shown, so nothing is repaired).
        """
        path = self._files.file(assessment_id)
        try:
            meta = check_file_meta(read_json(path)[0], assessment_id)
        except FileNotFoundError:
            self.resolve(assessment_id)  # says whether it was deleted
            raise UnknownAssessment(f"no assessment with id {assessment_id}") from None
        except (Damaged, OSError) as exc:
            why = exc.reason if isinstance(exc, Damaged) else (exc.strerror or str(exc))
            raise CorruptStore(f"{path}: cannot be read ({why})", path=str(path)) from None
        return _title(meta)

    def get(self, assessment_id: str, *, history: bool = True) -> Assessment:
        """The assessment, with the exact bank it was made with (no lock: see above).

        `history=False` leaves its history out (an empty `history`), for a
        reader that never shows it, such as a comparison of hundreds.
        """
        snapshot = self._load(check_id(assessment_id), history=history)
        if history:
            return snapshot.assessment()
        loaded = snapshot.loaded
        return make_assessment(loaded, loaded.meta, loaded.answers, loaded.plan, ())

    def save_answer(
        self,
        assessment_id: str,
        question_id: str,
        answer: Answer | None,
        *,
        who: str = "",
        base_revision: int | None = None,
        wait: bool = True,
    ) -> Assessment:
        """Save (or with None, clear) one answer: one locked, atomic read-modify-write.

        With `wait=False` a busy store gives `StoreBusy` at once instead of
        waiting for the lock (nothing is saved; try again).
        """
        return self.save_answers(
            assessment_id, {question_id: answer}, who=who, base_revision=base_revision, wait=wait
        )

    def save_answers(
        self,
        assessment_id: str,
        answers: Mapping[str, Answer | None],
        *,
        who: str = "",
        base_revision: int | None = None,
        wait: bool = True,
    ) -> Assessment:
        """Save several answers at once (None clears one); all of them or none."""
        return self.save_changes(
            assessment_id, answers=answers, who=who, base_revision=base_revision, wait=wait
        )

    def save_plan(
        self,
        assessment_id: str,
        plan: Mapping[str, Mapping[str, object] | None],
        *,
        who: str = "",
        base_revision: int | None = None,
        wait: bool = True,
    ) -> Assessment:
        """Change action-plan entries: {criterion id: fields to change}; None removes one.

        Fields left out keep the entry's values (a new entry starts from the
        bank's recommended action). All the changes are saved, or none.
        """
        return self.save_changes(
            assessment_id, plan=plan, who=who, base_revision=base_revision, wait=wait
        )

    def save_changes(
        self,
        assessment_id: str,
        *,
        answers: Mapping[str, Answer | None] | None = None,
        plan: Mapping[str, Mapping[str, object] | None] | None = None,
        period: str | None = None,
        who: str = "",
        base_revision: int | None = None,
        wait: bool = True,
    ) -> Assessment:
        """Save answers, plan changes and the period together: all of them or none.

        A change to a complete assessment returns it to draft (it is no longer
        complete as agreed); a signed-off one refuses every change (`SignedOff`).
        With `base_revision`, a question or plan entry another officer changed
        since then is refused (`StaleSave`); changes to others merge.
        `wait=False`: `StoreBusy` at once if another save holds the lock.
        """
        check_id(assessment_id)
        who = check_name(who, "officer's name", required=False)
        with self._writing(wait=wait):
            snapshot = self._load(assessment_id, writing=True)
            loaded = snapshot.loaded
            checked_answers = check_answers(loaded.bank, answers or {})
            checked_plan = check_plan_changes(loaded.bank, loaded.plan, plan or {})
            if base_revision is not None:
                for qid, answer in checked_answers.items():
                    _refuse_if_stale(loaded, qid, base_revision, _data(answer))
                for qid, entry in checked_plan.items():
                    mine = None if entry is None else entry.to_data()
                    _refuse_if_stale(loaded, qid, base_revision, mine, plan=True)
            effective = {
                qid: new
                for qid, new in checked_answers.items()
                if _data(new) != _data(loaded.answers.get(qid))
            }
            plan_effective = {
                qid: entry for qid, entry in checked_plan.items() if entry != loaded.plan.get(qid)
            }
            meta: MetaChange = {}
            if period is not None:
                meta["period"] = _period(period)
            if (
                not effective
                and not plan_effective
                and all(loaded.detail(k) == v for k, v in meta.items())
            ):
                return snapshot.assessment()
            self._refuse_if_signed_off(loaded)
            if effective or plan_effective:
                meta["status"] = "draft"
            return self._change(
                snapshot,
                answers=effective,
                plan=plan_effective,
                meta=meta,
                who=who or loaded.meta["assessor"],
            )

    def set_status(self, assessment_id: str, status: Status, *, who: str = "") -> Assessment:
        """Mark an assessment draft or complete."""
        if status not in STATUSES:
            raise StoreError(f"{status!r} is not a status; use {' or '.join(STATUSES)}")
        return self._update_meta(assessment_id, {"status": status}, who=who)

    def set_details(
        self,
        assessment_id: str,
        *,
        stage: int | None = None,
        period: str | None = None,
        authority_type: str | None = None,
        region: str | None = None,
        confidence: str | None = None,
        confidence_reason: str | None = None,
        who: str = "",
    ) -> Assessment:
        """Change the stage, period, authority type, region or the officer's own rating.

        Each change goes into the history (who, when, from, to). The officer's
        rating needs a reason; an empty rating removes it.
        """
        change = _details(
            stage=stage,
            period=period,
            authority_type=authority_type,
            region=region,
            confidence=confidence,
            confidence_reason=confidence_reason,
        )
        return self._update_meta(assessment_id, change, who=who)

    def next_stage(self, assessment_id: str, *, who: str = "") -> Assessment:
        """Move the assessment to the next stage of the partnership (recorded in its history)."""
        from assess.domain.stages import LAST_STAGE, stage

        current = self.get(assessment_id)
        if current.stage >= LAST_STAGE:
            raise StoreError(
                f"assessment {assessment_id} is at the last stage ({stage(LAST_STAGE).title}); "
                "there is no later one"
            )
        return self.set_details(assessment_id, stage=current.stage + 1, who=who)

    def sign_off(self, assessment_id: str, *, name: str, role: str, who: str = "") -> Assessment:
        """Sign off a complete assessment: read-only until reopened, review in six months."""
        import datetime

        from assess.domain.signoff import SignOffProblem, make_signoff

        check_id(assessment_id)
        with self._writing():
            snapshot = self._load(assessment_id, writing=True)
            loaded = snapshot.loaded
            self._refuse_if_signed_off(loaded)
            if loaded.meta["status"] != "complete":
                raise StoreError(
                    f"assessment {assessment_id} is a draft; mark it complete before it is "
                    "signed off"
                )
            today = datetime.date.fromisoformat(self._now()[:10])
            try:
                signoff = make_signoff(name, role, today)
            except SignOffProblem as exc:
                raise StoreError(str(exc)) from None
            return self._change(
                snapshot,
                meta={"signoff": signoff.to_data()},
                who=check_name(who, "officer's name", required=False) or signoff.name,
            )

    def reopen(self, assessment_id: str, *, reason: str, who: str = "") -> Assessment:
        """Reopen a signed-off assessment for changes; the reason goes into its history."""
        from assess.domain.plan import PlanProblem, check_reason

        check_id(assessment_id)
        try:
            why = check_reason(reason, "the reason for reopening")
        except PlanProblem as exc:
            raise StoreError(str(exc)) from None
        with self._writing():
            snapshot = self._load(assessment_id, writing=True)
            loaded = snapshot.loaded
            if loaded.detail("signoff") is None:
                raise StoreError(f"assessment {assessment_id} is not signed off; nothing to reopen")
            return self._change(
                snapshot,
                meta={"signoff": None},
                noted=[("reopened", why)],
                who=check_name(who, "officer's name", required=False) or loaded.meta["assessor"],
            )

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

    def _update_meta(self, assessment_id: str, change: MetaChange, *, who: str = "") -> Assessment:
        check_id(assessment_id)
        who = check_name(who, "officer's name", required=False)
        with self._writing():
            snapshot = self._load(assessment_id, writing=True)
            loaded = snapshot.loaded
            if all(
                loaded.detail(k) == v if k in DETAIL_DEFAULTS else loaded.meta.get(k) == v
                for k, v in change.items()
            ):
                return snapshot.assessment()
            self._refuse_if_signed_off(loaded)
            return self._change(snapshot, meta=change, who=who or loaded.meta["assessor"])

    def _refuse_if_signed_off(self, loaded: Loaded) -> None:
        signoff = loaded.detail("signoff")
        if signoff is not None:
            raise SignedOff(
                f"assessment {loaded.id} was signed off by {signoff['name']} "
                f"({signoff['role']}) on {signoff['date']}, so it cannot be changed; reopen it "
                f'with a reason first (assess reopen {loaded.id} --reason "...")'
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
        stage: int = 0,
        period: str = "",
        authority_type: str = "",
        region: str = "",
        plan: Mapping[str, Mapping[str, object]] | None = None,
    ) -> Assessment:
        """Start a new draft assessment (with the shipped bank unless one is given)."""
        details = _details(stage=stage, period=period, authority_type=authority_type, region=region)
        authority = check_name(authority, "authority", required=True)
        service = check_name(service, "service", required=False)
        assessor = check_name(assessor, "assessor", required=False)
        who = check_name(who, "officer's name", required=False) or assessor
        bank = bank or self.current_bank()
        checked = {qid: a for qid, a in check_answers(bank, answers or {}).items() if a is not None}
        entries = {
            qid: e for qid, e in check_plan_changes(bank, {}, plan or {}).items() if e is not None
        }
        with self._writing():
            at = self._now()
            meta = new_meta(
                assessment_id=self._new_id(),
                authority=authority,
                service=service,
                assessor=assessor,
                created=at,
                updated=at,
                status="draft",
                bank=bank,
                revision=0,
                extra={},
                details=details,
            )
            tables = new_tables(meta, checked, at, who, history=True, plan=entries)
            return self._write_new(tables, bank)

    def duplicate(
        self,
        assessment_id: str,
        *,
        authority: str | None = None,
        service: str | None = None,
        assessor: str | None = None,
        period: str | None = None,
        who: str = "",
    ) -> Assessment:
        """A new draft with the same bank, answers and open plan entries (not the history).

        For next year's assessment from this year's: the period is the one
        after the source's unless another is given, and only the actions still
        open are carried across (done and dropped ones stay with the source).
        """
        from assess.domain.period import next_period
        from assess.domain.plan import carried_over

        check_id(assessment_id)
        names = _names(authority=authority, service=service, assessor=assessor)
        chosen_period = None if period is None else _period(period)
        who = check_name(who, "officer's name", required=False)
        with self._writing():
            source = self._load(assessment_id).loaded
            at = self._now()
            assessor = names.get("assessor", source.meta["assessor"])
            meta = new_meta(
                assessment_id=self._new_id(),
                authority=names.get("authority", source.meta["authority"]),
                service=names.get("service", source.meta["service"]),
                assessor=assessor,
                created=at,
                updated=at,
                status="draft",
                bank=source.bank,
                revision=0,
                extra=Extra(copied_from=assessment_id),
                details={
                    "stage": source.detail("stage"),
                    "period": chosen_period
                    if chosen_period is not None
                    else next_period(source.detail("period")),
                    "authority_type": source.detail("authority_type"),
                    "region": source.detail("region"),
                },
            )
            tables = new_tables(
                meta,
                source.answers,
                at,
                who or assessor,
                history=False,
                plan=carried_over(source.plan),
            )
            return self._write_new(tables, source.bank)

    def upgrade(self, assessment_id: str, *, who: str = "") -> tuple[Assessment, UpgradePlan]:
        """A new draft of the assessment on the shipped bank, carrying every answer that survives.

        Answers carry where the shipped bank asks the same question (by id, or
        through its `replaces`), and so do their plan entries; the rest are
        listed in the plan returned (`UpgradePlan.fresh` needs a fresh answer).
        The original is left as it is.
        """
        from assess.domain.plan import carried_over
        from assess.domain.upgrade import plan_upgrade

        check_id(assessment_id)
        who = check_name(who, "officer's name", required=False)
        current = self.current_bank()
        with self._writing():
            source = self._load(assessment_id).loaded
            if source.bank.content_hash == current.content_hash:
                raise StoreError(
                    f"assessment {assessment_id} is already on the current question bank "
                    f"({current.id} {current.version}); there is nothing to upgrade"
                )
            upgrade = plan_upgrade(source.bank, current, source.answers)
            answers = {c.question_id: c.answer for c in upgrade.carried}
            moved = {c.from_id: c.question_id for c in upgrade.carried}
            plan = {
                moved[qid]: replace(entry, question_id=moved[qid])
                for qid, entry in carried_over(source.plan).items()
                if qid in moved
                and (q := current.question(moved[qid])) is not None
                and q.is_criterion
            }
            at = self._now()
            meta = new_meta(
                assessment_id=self._new_id(),
                authority=source.meta["authority"],
                service=source.meta["service"],
                assessor=source.meta["assessor"],
                created=at,
                updated=at,
                status="draft",
                bank=current,
                revision=0,
                extra=Extra(copied_from=assessment_id),
                details={
                    "stage": source.detail("stage"),
                    "period": source.detail("period"),
                    "authority_type": source.detail("authority_type"),
                    "region": source.detail("region"),
                },
            )
            tables = new_tables(
                meta, answers, at, who or source.meta["assessor"], history=True, plan=plan
            )
            return self._write_new(tables, current), upgrade

    # ------------------------------------------------------------------
    # Delete and restore

    def delete(self, assessment_id: str) -> None:
        """Move the assessment to the store's trash (`restore` brings it back)."""
        check_id(assessment_id)
        with self._writing():
            if not self._files.exists(assessment_id):
                self.resolve(assessment_id)  # says whether it was deleted already
                raise UnknownAssessment(f"no assessment with id {assessment_id}")
            try:
                self._files.move_to_trash(assessment_id, file_stamp(self._now()))
            except OSError as exc:
                raise StoreError(
                    f"{self._files.file(assessment_id)}: could not move it to the trash "
                    f"({exc.strerror or exc}); it is still in the store"
                ) from None
            self._cache.forget(assessment_id)
            self._append_index([gone_line(assessment_id)])

    def restore(self, assessment_id: str) -> Assessment:
        """Bring back a deleted assessment (its most recently deleted copy)."""
        prefix = typed_prefix(assessment_id)
        with self._writing():
            try:
                found = self._files.take_from_trash(prefix)
            except OSError as exc:
                raise StoreError(
                    f"{self.trash}: could not bring assessment {prefix} back "
                    f"({exc.strerror or exc}); it is still in the trash"
                ) from None
            snapshot = self._load(found, writing=True)
            self._index_entry(snapshot)
            return snapshot.assessment()

    # ------------------------------------------------------------------
    # Listing and bundles

    def list(self) -> list[Summary]:
        """Every assessment's summary, most recently updated first.

        Ties are broken by the most recently created, then by the highest id,
        so the order is always the same. Damaged assessment files are left
        out and named in `warnings`.
        """
        return self._lister.summaries()

    def list_first(self, count: int) -> _Page | None:
        """The first `count` summaries of `list()` and about how many there are, quickly.

        For a large store's first screenful before the whole list is read
        (see `Lister.first_page` for what it can and cannot know); None for a
        store without a snapshot of its index (a small one): call `list()`.
        """
        return self._lister.first_page(count)

    def export_bundle(self, ids: Iterable[str] | None = None) -> Bundle:
        """A whole-file bundle in memory (all when `ids` is None): for a few assessments.

        `write_bundle` writes any number of them in the same memory.
        """
        from assess.store.bundle import new_bundle

        records = []
        banks: dict[str, Bank] = {}
        for loaded in self._exported(ids):
            records.append(loaded_to_record(loaded))
            banks[loaded.bank.content_hash] = loaded.bank
        return new_bundle(records, banks, exported=self._now())

    def export_file(self, path: Path, ids: Iterable[str] | None = None) -> int:
        """Write a bundle to the file `path` (all when `ids` is None); how many it holds.

        The file is replaced only once the whole bundle is written (a device
        or pipe is written to directly); OSError passes, the old file kept.
        """
        from assess.store.fileio import streamed_output

        with streamed_output(path) as (handle, _):
            return self.write_bundle(handle, ids)

    def write_bundle(self, out: BundleOut, ids: Iterable[str] | None = None) -> int:
        """Write a bundle of lines to `out` (all when `ids` is None); how many it holds.

        One assessment is read, encoded and written at a time (`bundle_lines`).
        """
        from assess.store.bundle_lines import BundleWriter

        writer = BundleWriter(out, exported=self._now())
        for loaded in self._exported(ids):
            writer.add(loaded_to_record(loaded), loaded.bank)
        writer.finish()
        return writer.count

    def _exported(self, ids: Iterable[str] | None) -> Iterator[Loaded]:
        # Every id is resolved before the first is read, so a bad one stops the export at once.
        chosen = sorted(self._files.ids()) if ids is None else [self.resolve(i) for i in ids]
        for assessment_id in dict.fromkeys(chosen):
            yield self._load(assessment_id).loaded

    def import_file(self, path: Path, *, skip_conflicts: bool = False) -> ImportResult:
        """Read a bundle file (checked as untrusted input) and import it, whichever its layout.

        A bundle of lines is checked line by line in one pass and imported in
        a second (`bundle_lines`); a whole-file bundle is read whole (`import_bundle`).
        """
        from assess.store.bundle import read_bundle
        from assess.store.bundle_lines import open_lines

        handle = open_lines(Path(path))
        if handle is None:
            return self.import_bundle(read_bundle(path), str(path), skip_conflicts=skip_conflicts)
        with handle:
            return self._import_lines(handle, str(path), skip_conflicts=skip_conflicts)

    def import_bundle(
        self, data: object, source: str = "bundle", *, skip_conflicts: bool = False
    ) -> ImportResult:
        """Add a whole-file bundle's assessments; importing the same bundle twice changes nothing.

        The whole bundle is checked before anything is written. An id already
        used here by different content is a conflict: by default nothing is
        imported (`ImportConflict`); with `skip_conflicts` the others are
        imported and the conflicts listed in the result.
        """
        from assess.store.bundle import check_bundle

        bundle = check_bundle(data, source)
        self._banks.refuse_impostors(bundle.banks, source)
        records = bundle.records
        with self._writing():
            result, to_add = self._sort_import(
                [r["id"] for r in records], lambda n: records[n], source, skip_conflicts
            )
            self._add_records(
                ((records[n], bundle.banks[records[n]["bank"]["hash"]]) for n in to_add), result
            )
        return result

    def _import_lines(self, handle: BinaryIO, source: str, *, skip_conflicts: bool) -> ImportResult:
        from assess.store.bundle_lines import scan

        found = scan(handle, source)  # checks everything, keeps only where each record is
        self._banks.refuse_impostors(found.banks, source)
        with self._writing():
            result, to_add = self._sort_import(
                found.ids, lambda n: found.record(handle, n), source, skip_conflicts
            )
            self._add_records(((found.record(handle, n), found.bank(n)) for n in to_add), result)
        return result

    def _sort_import(
        self,
        ids: Sequence[str],
        record: Callable[[int], Record],
        source: str,
        skip_conflicts: bool,
    ) -> tuple[ImportResult, _Indices]:
        """(the result so far, which records to add): those here already are compared (lock held).

        `ImportConflict` if some ids are used here by other content, unless `skip_conflicts`.
        """
        from assess.store.bundle import ImportResult

        result = ImportResult()
        to_add: _Indices = []
        for n, assessment_id in enumerate(ids):
            if not self._files.exists(assessment_id):
                to_add.append(n)
                continue
            given = record(n)
            if loaded_to_record(self._load(assessment_id).loaded) == given:
                result.unchanged.append((assessment_id, _title(given)))
            else:
                result.conflicts.append(
                    f"{assessment_id} ({_title(given)}): this store has an assessment "
                    "with the same id and different content; it was left as it is"
                )
        if result.conflicts and not skip_conflicts:
            raise ImportConflict(
                f"{source}: {len(result.conflicts)} assessment(s) conflict with this "
                "store; nothing was imported (--skip-conflicts imports the others)",
                result.conflicts,
            )
        return result, to_add

    def _add_records(self, records: Iterable[tuple[Record, Bank]], result: ImportResult) -> None:
        """Write checked records as new assessments (lock held), indexing them in batches.

        Each file is fsync'd as it is written; the folder once a batch, before
        the batch is indexed, so the index never lists a file a crash could lose.
        """
        kept: set[str] = set()
        lines: list[bytes] = []

        def index_batch() -> None:
            if lines:
                fsync_dir(self._files.assessments)
                self._append_index(lines)
                lines.clear()

        try:
            for record, bank in records:
                assessment_id = record["id"]
                path = self._files.file(assessment_id)
                try:
                    if bank.content_hash not in kept:
                        self._banks.keep(bank)
                        kept.add(bank.content_hash)
                    key, summary = write_imported(
                        path, record_to_tables(record, bank), bank, self._files.tmp
                    )
                except OSError as exc:
                    raise _write_failed(path, exc) from None
                lines.append(entry_line(assessment_id, key, summary))
                if len(lines) >= _INDEX_BATCH:
                    index_batch()
                result.added.append((assessment_id, _title(record)))
        finally:
            index_batch()  # what was written is listed, even if a later one failed

    # ------------------------------------------------------------------
    # Reading and writing files (the lock is held for every write)

    def _read_file(self, assessment_id: str, path: Path, *, history: bool = True) -> Snapshot:
        """One version of an assessment file, checked (FileNotFoundError and Damaged pass).

        `history`: its history is checked too (a damaged entry in the file is
        damage like any other, found here so that the backup can stand in);
        a reader that never shows the history leaves it unread.
        """
        snapshot = self._cache.current(assessment_id, path)
        if snapshot is None:
            snapshot = read_snapshot(assessment_id, path, self._bank_for(assessment_id))
        if history:
            check_history(snapshot.loaded)
        return snapshot

    def _paths(self, assessment_id: str) -> tuple[Path, Path]:
        """The assessment's file and its `.bak`, kept for the one last asked for.

        An officer's autosaves all go to the one assessment open on screen, and
        making the two paths afresh for each save costs more than some of its
        system calls do.
        """
        last = self._last_paths
        if last is None or last[0] != assessment_id:
            last = (
                assessment_id,
                self._files.file(assessment_id),
                self._files.backup(assessment_id),
            )
            self._last_paths = last
        return last[1], last[2]

    def _load(self, assessment_id: str, *, writing: bool = False, history: bool = True) -> Snapshot:
        """The assessment's file, or its backup's copy if the file is damaged.

        `writing`: the caller holds the lock to change it, so a damaged file
        must be repaired first (or the change refused); a reader only repairs
        when it can have the lock at once. `history=False`: see `_read_file`.
        """
        path, _ = self._paths(assessment_id)
        try:
            snapshot = self._read_file(assessment_id, path, history=history)
        except FileNotFoundError:
            self.resolve(assessment_id)  # says whether it was deleted
            raise UnknownAssessment(f"no assessment with id {assessment_id}") from None
        except Damaged as exc:
            snapshot = self._restore_backup(assessment_id, exc.reason, writing=writing)
        except OSError as exc:  # not damage: a permission problem, a folder in the way
            raise StoreError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
        if snapshot.loaded.log_problem:
            self._warn(
                f"{path}: the older history of assessment {assessment_id} cannot be read "
                f"({snapshot.loaded.log_problem}); its answers are as saved, and only its recent "
                "history is shown. The log is kept as it is, and set aside (not deleted) when "
                "the history next grows."
            )
        self._cache.remember(snapshot)
        return snapshot

    def _restore_backup(self, assessment_id: str, reason: str, *, writing: bool) -> Snapshot:
        """A damaged file's `.bak` put back (`backups`); for a reader, perhaps only shown.

        A writer (holding the lock) gets the repaired file or a `StoreError`,
        never the `.bak`'s copy to change. A reader repairs only if it can have
        the lock at once and the repair works; otherwise it gets the `.bak`'s
        copy as it is, and nothing changes.
        """
        if writing:
            with self._writing():
                return self._repair(assessment_id)
        with self._try_writing() as held:
            if not held:
                return self._backup_as_it_is(assessment_id, reason, "")
            try:
                return self._repair(assessment_id)
            except StoreError as exc:
                if isinstance(exc, CorruptStore | UnknownAssessment):
                    raise
                # A full disk, say: nothing was changed; show the good copy.
                return self._backup_as_it_is(assessment_id, reason, f" ({exc.message})")

    def _repair(self, assessment_id: str) -> Snapshot:
        snapshot, warning = restore_from_backup(
            assessment_id,
            self._files.file(assessment_id),
            self._files.backup(assessment_id),
            read=lambda version: self._read_file(assessment_id, version),
            now=self._now,
            temp_dir=self._files.tmp,
        )
        if warning is not None:
            self._warn(warning)
            self._index_entry(snapshot)
        return snapshot

    def _backup_as_it_is(self, assessment_id: str, reason: str, why_not: str) -> Snapshot:
        """For a reader that cannot repair a damaged file now: its `.bak` copy, unrepaired."""
        path, backup = self._files.file(assessment_id), self._files.backup(assessment_id)
        good, _ = good_backup(
            assessment_id, path, backup, reason, lambda v: self._read_file(assessment_id, v)
        )
        self._warn(
            f"{path}: assessment {assessment_id} cannot be read ({reason}); its copy "
            f"from the previous save ({when_text(good.loaded.meta['updated'])}) is shown "
            f"instead, and nothing was changed{why_not}. The file is repaired the next "
            "time the assessment is saved."
        )
        return good

    def _index_entry(self, snapshot: Snapshot, summary: Summary | None = None) -> None:
        if summary is None:
            summary = stored_summary(snapshot.loaded.meta) or snapshot.assessment().summary()
        self._append_index([entry_line(snapshot.loaded.id, snapshot.key, summary)])

    def _append_index(self, lines: Sequence[bytes]) -> None:
        try:
            self._index.append(lines)
        except (OSError, Damaged) as exc:
            # The change itself is on disk; the index is a cache that listing corrects.
            why = exc.reason if isinstance(exc, Damaged) else exc.strerror
            self._warn(
                f"{self._index.path}: the list index could not be updated ({why}); "
                "it will be corrected the next time assessments are listed"
            )

    def _change(
        self,
        snapshot: Snapshot,
        *,
        answers: Mapping[str, Answer | None] | None = None,
        plan: Mapping[str, PlanEntry | None] | None = None,
        meta: MetaChange | None = None,
        noted: Sequence[tuple[str, str]] = (),
        who: str = "",
    ) -> Assessment:
        """Write one change as the next revision (lock held)."""
        assessment_id = snapshot.loaded.id
        path, backup = self._paths(assessment_id)
        if snapshot.loaded.path != path:
            # Only ever the assessment's own file: never a `.bak` shown to a reader.
            raise StoreError(f"assessment {assessment_id}: its file must be repaired first")
        self._cache.forget(assessment_id)  # its tables change in place
        try:
            new, summary = write_change(
                snapshot,
                answers=answers or {},
                plan=plan or {},
                meta=meta or {},
                noted=noted,
                who=who,
                at=self._now(),
                backup=backup,
                temp_dir=self._files.tmp,
            )
        except OSError as exc:
            raise _write_failed(snapshot.loaded.path, exc) from None
        self._cache.remember(new)
        self._index_entry(new, summary)
        return new.assessment()

    def _write_new(self, tables: Tables, bank: Bank) -> Assessment:
        """Write a new assessment file (lock held), keeping a copy of its bank."""
        path = self._files.file(tables[META][META_DOC]["id"])
        try:
            self._banks.keep(bank)
            snapshot = write_new(path, tables, bank, self._files.tmp)
        except OSError as exc:
            raise _write_failed(path, exc) from None
        self._cache.remember(snapshot)
        self._index_entry(snapshot)
        return snapshot.assessment()


# ----------------------------------------------------------------------------
# Helpers


def _data(answer: Answer | None) -> StoredAnswer | None:
    return None if answer is None else answer.to_data()


def _title(record: Record | MetaDoc) -> str:
    """As `Assessment.title`, from a bundle record or a file's metadata."""
    service = record["service"]
    return f"{record['authority']} — {service}" if service else record["authority"]


def _names(*, authority: str | None, service: str | None, assessor: str | None) -> MetaChange:
    """The names given (None: not given), checked."""
    names: MetaChange = {}
    if authority is not None:
        names["authority"] = check_name(authority, "authority", required=True)
    if service is not None:
        names["service"] = check_name(service, "service", required=False)
    if assessor is not None:
        names["assessor"] = check_name(assessor, "assessor", required=False)
    return names


def _period(text: str) -> str:
    from assess.domain.period import PeriodProblem, check_period

    try:
        return check_period(text)
    except PeriodProblem as exc:
        raise StoreError(str(exc)) from None


def _details(
    *,
    stage: int | None = None,
    period: str | None = None,
    authority_type: str | None = None,
    region: str | None = None,
    confidence: str | None = None,
    confidence_reason: str | None = None,
) -> MetaChange:
    """The details given (None: not given), checked; StoreError for a bad one."""
    from assess.domain.authority import AuthorityProblem, check_authority_type, check_region
    from assess.domain.confidence import CONFIDENCE_RATINGS
    from assess.domain.plan import PlanProblem, check_reason
    from assess.domain.stages import stage as stage_named

    change: MetaChange = {}
    try:
        if stage is not None:
            change["stage"] = stage_named(stage).number
        if period is not None:
            change["period"] = _period(period)
        if authority_type is not None:
            change["authority_type"] = check_authority_type(authority_type)
        if region is not None:
            change["region"] = check_region(region)
        if confidence is not None:
            if confidence and confidence not in CONFIDENCE_RATINGS:
                raise StoreError(
                    f"{confidence!r} is not a delivery confidence rating; use one of "
                    f"{', '.join(CONFIDENCE_RATINGS)}"
                )
            reason = check_reason(confidence_reason or "", "the reason for your rating")
            if confidence and not reason:
                raise StoreError("say why you give this rating (a reason is needed)")
            change["confidence"] = confidence
            change["confidence_reason"] = reason if confidence else ""
        elif confidence_reason is not None:
            raise StoreError("a reason goes with a delivery confidence rating; give the rating")
    except (ValueError, AuthorityProblem, PlanProblem) as exc:
        if isinstance(exc, StoreError):
            raise
        raise StoreError(str(exc)) from None
    return change


def _refuse_if_stale(
    loaded: Loaded, qid: str, base_revision: int, yours: object, *, plan: bool = False
) -> None:
    doc = loaded.plan_doc(qid) if plan else loaded.answer_doc(qid)
    if doc is None or doc["revision"] <= base_revision:
        return
    theirs = doc["entry"] if plan else doc["answer"]  # type: ignore[typeddict-item]
    who = doc["who"] or "another officer"
    what = "the action-plan entry for question" if plan else "question"
    yours = "change to it" if plan else "answer to it"
    raise StaleSave(
        f"{what} {qid} was changed by {who} at {when_text(doc['at'])}, after you opened this "
        f"assessment, so your {yours} was not saved; reopen the assessment to see "
        "their change, then make yours again if you still need to",
        question_id=qid,
        who=doc["who"],
        at=doc["at"],
        revision=doc["revision"],
        theirs=theirs,
        yours=yours,
        plan=plan,
    )


def _write_failed(path: Path, exc: OSError) -> StoreError:
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StoreError(
            f"{path}: could not save: the store is read-only here ({exc.strerror or exc}); "
            "it can be listed, reported and exported, but nothing was changed"
        )
    return StoreError(
        f"{path}: could not save ({exc.strerror or exc}); the assessment is as it was "
        "before this change"
    )
